//! Atera's JSON shapes (API v3), with the field names it sends.
//!
//! Item fields are PascalCase with irregular acronyms (`AgentID` on agents,
//! `AgentId` on alerts, contacts' `Firstname`), so every field is renamed
//! explicitly. Nearly everything is nullable. Timestamps come without an
//! offset and are read as UTC (see the crate docs); enumerations are kept
//! as text so that a value Atera adds later is not a decode error.

use chrono::{DateTime, Utc};
use mspkit_core::de::{lenient_bool, utc_timestamp};
use serde::{Deserialize, Serialize};

/// `CustomerDto`: a customer (an RMM organization, a PSA company).
#[derive(Debug, Clone, Deserialize)]
pub struct Customer {
    #[serde(rename = "CustomerID")]
    pub customer_id: i64,
    #[serde(rename = "CustomerName", default)]
    pub customer_name: Option<String>,
    #[serde(rename = "CreatedOn", default, deserialize_with = "utc_timestamp")]
    pub created_on: Option<DateTime<Utc>>,
    #[serde(rename = "LastModified", default, deserialize_with = "utc_timestamp")]
    pub last_modified: Option<DateTime<Utc>>,
    #[serde(rename = "BusinessNumber", default)]
    pub business_number: Option<String>,
    #[serde(rename = "Domain", default)]
    pub domain: Option<String>,
    #[serde(rename = "Address", default)]
    pub address: Option<String>,
    #[serde(rename = "City", default)]
    pub city: Option<String>,
    #[serde(rename = "State", default)]
    pub state: Option<String>,
    #[serde(rename = "Country", default)]
    pub country: Option<String>,
    #[serde(rename = "Phone", default)]
    pub phone: Option<String>,
    #[serde(rename = "ZipCodeStr", default)]
    pub zip_code: Option<String>,
}

/// `ContactDto`: an end user of a customer.
#[derive(Debug, Clone, Deserialize)]
pub struct Contact {
    #[serde(rename = "EndUserID")]
    pub end_user_id: i64,
    #[serde(rename = "CustomerID", default)]
    pub customer_id: Option<i64>,
    #[serde(rename = "Firstname", default)]
    pub first_name: Option<String>,
    #[serde(rename = "Lastname", default)]
    pub last_name: Option<String>,
    #[serde(rename = "JobTitle", default)]
    pub job_title: Option<String>,
    #[serde(rename = "Email", default)]
    pub email: Option<String>,
    #[serde(rename = "Phone", default)]
    pub phone: Option<String>,
    #[serde(rename = "MobilePhone", default)]
    pub mobile_phone: Option<String>,
    #[serde(rename = "CreatedOn", default, deserialize_with = "utc_timestamp")]
    pub created_on: Option<DateTime<Utc>>,
    #[serde(rename = "LastModified", default, deserialize_with = "utc_timestamp")]
    pub last_modified: Option<DateTime<Utc>>,
    #[serde(rename = "Archived", default, deserialize_with = "lenient_bool")]
    pub archived: Option<bool>,
}

/// `ContractDto`: a customer's contract (an agreement).
#[derive(Debug, Clone, Deserialize)]
pub struct Contract {
    #[serde(rename = "ContractID")]
    pub contract_id: i64,
    #[serde(rename = "CustomerID", default)]
    pub customer_id: Option<i64>,
    #[serde(rename = "ContractName", default)]
    pub contract_name: Option<String>,
    /// `RetainerFlatFee`, `BlockHours`, `Hourly`, `RemoteMonitoring`, ...
    #[serde(rename = "ContractType", default)]
    pub contract_type: Option<String>,
    #[serde(rename = "Active", default, deserialize_with = "lenient_bool")]
    pub active: Option<bool>,
    #[serde(rename = "StartDate", default, deserialize_with = "utc_timestamp")]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(rename = "EndDate", default, deserialize_with = "utc_timestamp")]
    pub end_date: Option<DateTime<Utc>>,
}

/// `TicketDto`.
#[derive(Debug, Clone, Deserialize)]
pub struct Ticket {
    #[serde(rename = "TicketID")]
    pub ticket_id: i64,
    #[serde(rename = "TicketTitle", default)]
    pub title: Option<String>,
    #[serde(rename = "TicketNumber", default)]
    pub number: Option<String>,
    /// `Low`, `Medium`, `High`, `Critical`.
    #[serde(rename = "TicketPriority", default)]
    pub priority: Option<String>,
    /// `Open`, `Pending`, `Resolved`, `Closed`, or a custom status.
    #[serde(rename = "TicketStatus", default)]
    pub status: Option<String>,
    #[serde(rename = "EndUserID", default)]
    pub end_user_id: Option<i64>,
    #[serde(
        rename = "TicketCreatedDate",
        default,
        deserialize_with = "utc_timestamp"
    )]
    pub created: Option<DateTime<Utc>>,
    #[serde(
        rename = "TicketResolvedDate",
        default,
        deserialize_with = "utc_timestamp"
    )]
    pub resolved: Option<DateTime<Utc>>,
    #[serde(rename = "FirstComment", default)]
    pub first_comment: Option<String>,
    #[serde(
        rename = "LastEndUserCommentTimestamp",
        default,
        deserialize_with = "utc_timestamp"
    )]
    pub last_end_user_comment: Option<DateTime<Utc>>,
    #[serde(
        rename = "LastTechnicianCommentTimestamp",
        default,
        deserialize_with = "utc_timestamp"
    )]
    pub last_technician_comment: Option<DateTime<Utc>>,
    #[serde(rename = "CustomerID", default)]
    pub customer_id: Option<i64>,
    #[serde(rename = "TechnicianContactID", default)]
    pub technician_id: Option<i64>,
    #[serde(rename = "TechnicianFullName", default)]
    pub technician_name: Option<String>,
    #[serde(rename = "TechnicianEmail", default)]
    pub technician_email: Option<String>,
}

impl Ticket {
    /// The latest moment the ticket shows: created, resolved or commented
    /// on. `TicketDto` has no modification time of its own.
    pub fn last_activity(&self) -> Option<DateTime<Utc>> {
        [
            self.created,
            self.resolved,
            self.last_end_user_comment,
            self.last_technician_comment,
        ]
        .into_iter()
        .flatten()
        .max()
    }
}

/// `TicketCommentDto`: a comment on a ticket. It carries no id.
#[derive(Debug, Clone, Deserialize)]
pub struct Comment {
    #[serde(rename = "Date", default, deserialize_with = "utc_timestamp")]
    pub date: Option<DateTime<Utc>>,
    #[serde(rename = "Comment", default)]
    pub comment: Option<String>,
    #[serde(rename = "CommentHtml", default)]
    pub comment_html: Option<String>,
    #[serde(rename = "EndUserID", default)]
    pub end_user_id: Option<i64>,
    #[serde(rename = "TechnicianContactID", default)]
    pub technician_id: Option<i64>,
    #[serde(rename = "Email", default)]
    pub email: Option<String>,
    #[serde(rename = "FirstName", default)]
    pub first_name: Option<String>,
    #[serde(rename = "LastName", default)]
    pub last_name: Option<String>,
    #[serde(rename = "IsInternal", default, deserialize_with = "lenient_bool")]
    pub is_internal: Option<bool>,
}

/// `AgentDto`: a device with the Atera agent.
#[derive(Debug, Clone, Deserialize)]
pub struct Agent {
    #[serde(rename = "AgentID")]
    pub agent_id: i64,
    #[serde(rename = "FolderID", default)]
    pub folder_id: Option<i64>,
    #[serde(rename = "CustomerID", default)]
    pub customer_id: Option<i64>,
    #[serde(rename = "AgentName", default)]
    pub agent_name: Option<String>,
    #[serde(rename = "SystemName", default)]
    pub system_name: Option<String>,
    #[serde(rename = "MachineName", default)]
    pub machine_name: Option<String>,
    #[serde(rename = "CurrentLoggedUsers", default)]
    pub current_logged_users: Option<String>,
    #[serde(rename = "AgentVersion", default)]
    pub agent_version: Option<String>,
    #[serde(rename = "Modified", default, deserialize_with = "utc_timestamp")]
    pub modified: Option<DateTime<Utc>>,
    #[serde(rename = "Online", default, deserialize_with = "lenient_bool")]
    pub online: Option<bool>,
    #[serde(rename = "LastSeen", default, deserialize_with = "utc_timestamp")]
    pub last_seen: Option<DateTime<Utc>>,
    #[serde(rename = "Vendor", default)]
    pub vendor: Option<String>,
    #[serde(rename = "VendorSerialNumber", default)]
    pub vendor_serial_number: Option<String>,
    #[serde(rename = "VendorBrandModel", default)]
    pub vendor_brand_model: Option<String>,
    #[serde(rename = "ProductName", default)]
    pub product_name: Option<String>,
    #[serde(rename = "MacAddresses", default)]
    pub mac_addresses: Option<Vec<String>>,
    #[serde(rename = "IpAddresses", default)]
    pub ip_addresses: Option<Vec<String>>,
    #[serde(rename = "OS", default)]
    pub os: Option<String>,
    /// `Work Station`, `Server`, `Domain Controller`.
    #[serde(rename = "OSType", default)]
    pub os_type: Option<String>,
    #[serde(rename = "OSVersion", default)]
    pub os_version: Option<String>,
    #[serde(rename = "OSBuild", default)]
    pub os_build: Option<String>,
    #[serde(rename = "LastLoginUser", default)]
    pub last_login_user: Option<String>,
    /// `Desktop`, `Laptop`, ...
    #[serde(rename = "DeviceType", default)]
    pub device_type: Option<String>,
}

/// `AlertDto`. Note `AgentId` with a lower-case `d`, unlike `AgentDto`'s
/// `AgentID`; both spellings are read.
#[derive(Debug, Clone, Deserialize)]
pub struct Alert {
    #[serde(rename = "AlertID")]
    pub alert_id: i64,
    #[serde(rename = "Title", default)]
    pub title: Option<String>,
    /// `Information`, `Warning`, `Critical`.
    #[serde(rename = "Severity", default)]
    pub severity: Option<String>,
    #[serde(rename = "Created", default, deserialize_with = "utc_timestamp")]
    pub created: Option<DateTime<Utc>>,
    #[serde(rename = "DeviceGuid", default)]
    pub device_guid: Option<String>,
    #[serde(rename = "AgentId", default)]
    pub agent_id: Option<i64>,
    #[serde(rename = "AgentID", default)]
    pub agent_id_upper: Option<i64>,
    #[serde(rename = "Archived", default, deserialize_with = "lenient_bool")]
    pub archived: Option<bool>,
    #[serde(rename = "ArchivedDate", default, deserialize_with = "utc_timestamp")]
    pub archived_date: Option<DateTime<Utc>>,
    #[serde(rename = "AlertMessage", default)]
    pub alert_message: Option<String>,
    #[serde(rename = "CustomerID", default)]
    pub customer_id: Option<i64>,
}

impl Alert {
    /// The agent the alert is on, however the field is spelled.
    pub fn agent(&self) -> Option<i64> {
        self.agent_id.or(self.agent_id_upper)
    }
}

/// `AccountInfoResponse`, for the account's time zone.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    #[serde(rename = "TimeZoneName", default)]
    pub time_zone_name: Option<String>,
}

/// `Result`: what a create or update answers (`{"ActionID": "..."}`).
#[derive(Debug, Clone, Deserialize)]
pub struct ActionResult {
    #[serde(rename = "ActionID", default)]
    pub action_id: Option<serde_json::Value>,
}

/// `TechnicianCommentDetails`.
#[derive(Debug, Clone, Serialize)]
pub struct TechnicianDetails {
    #[serde(rename = "TechnicianId")]
    pub technician_id: i64,
    #[serde(rename = "IsInternal")]
    pub is_internal: bool,
}
