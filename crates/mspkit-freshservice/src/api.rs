//! Freshservice's JSON shapes (API v2), with the field names it sends.
//!
//! Only the fields the normalized model uses are declared; the others are
//! ignored. Lists come wrapped (`{"tickets": [...]}`), single records too
//! (`{"ticket": {...}}`). Ids are 64-bit integers; timestamps are UTC
//! (`2022-11-23T11:55:41Z`); many ids and texts may be `null`.

use chrono::{DateTime, Utc};
use mspkit_core::de::utc_timestamp;
use serde::Deserialize;
use serde_json::Value;

/// A department (`GET /api/v2/departments`), a company of an ITSM tenant.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Department {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A workspace (`GET /api/v2/workspaces`): a client of an MSP tenant.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Workspace {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    /// `active` or `draft`.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A requester (`GET /api/v2/requesters`), a contact.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Requester {
    pub id: u64,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    #[serde(default)]
    pub primary_email: Option<String>,
    #[serde(default)]
    pub work_phone_number: Option<String>,
    #[serde(default)]
    pub mobile_phone_number: Option<String>,
    #[serde(default)]
    pub department_ids: Option<Vec<u64>>,
    /// The client of an MSP tenant's contact (inferred from the MSP notes).
    #[serde(default)]
    pub workspace_id: Option<u64>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A ticket (`GET /api/v2/tickets`, `GET /api/v2/tickets/{id}`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Ticket {
    pub id: u64,
    #[serde(default)]
    pub workspace_id: Option<u64>,
    #[serde(default)]
    pub subject: Option<String>,
    /// HTML.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub description_text: Option<String>,
    /// 2 Open, 3 Pending, 4 Resolved, 5 Closed; others are the tenant's own.
    #[serde(default)]
    pub status: Option<u64>,
    /// 1 Low, 2 Medium, 3 High, 4 Urgent.
    #[serde(default)]
    pub priority: Option<u64>,
    #[serde(default)]
    pub requester_id: Option<u64>,
    #[serde(default)]
    pub responder_id: Option<u64>,
    #[serde(default)]
    pub department_id: Option<u64>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
    /// With `include=stats` only.
    #[serde(default)]
    pub stats: Option<TicketStats>,
}

/// `stats` of a ticket read with `include=stats`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TicketStats {
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub closed_at: Option<DateTime<Utc>>,
}

/// A conversation of a ticket (`GET /api/v2/tickets/{id}/conversations`):
/// a reply or a note.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Conversation {
    pub id: u64,
    #[serde(default)]
    pub ticket_id: Option<u64>,
    /// HTML.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub body_text: Option<String>,
    #[serde(default)]
    pub private: Option<bool>,
    #[serde(default)]
    pub user_id: Option<u64>,
    #[serde(default)]
    pub from_email: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
}

/// A contract (`GET /api/v2/contracts`): a lease, maintenance, licence or
/// warranty contract of the tenant.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Contract {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub contract_number: Option<String>,
    #[serde(default)]
    pub contract_type_id: Option<u64>,
    /// `active`, `draft`, `expired`, `pending_approval`, ...
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub end_date: Option<DateTime<Utc>>,
    /// The client of an MSP tenant's contract (inferred).
    #[serde(default)]
    pub workspace_id: Option<u64>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A contract type (`GET /api/v2/contract_types`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ContractType {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET /api/v2/contract_types`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ContractTypes {
    pub contract_types: Vec<ContractType>,
}

/// A field of the ticket form (`GET /api/v2/ticket_form_fields`); the
/// `status` field's `choices` name the tenant's statuses.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TicketField {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub choices: Option<Value>,
}

/// `GET /api/v2/ticket_form_fields`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct TicketFields {
    pub ticket_fields: Vec<TicketField>,
}
