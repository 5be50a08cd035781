//! Zendesk's JSON shapes, with the field names it sends (Support API v2).
//! Unknown fields are ignored; anything that may be absent or `null` is an
//! `Option`. Ids are 64-bit integers.

use chrono::{DateTime, Utc};
use mspkit_core::de::utc_timestamp;
use serde::Deserialize;

/// An organization (`OrganizationObject`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Organization {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub domain_names: Option<Vec<String>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A user (`UserObject`); end-users are the contacts.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct User {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub organization_id: Option<u64>,
    /// `end-user`, `agent` or `admin`.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// `GET /users/me`: the user the credentials belong to; an anonymous user
/// (no id) when Zendesk did not take them.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Me {
    pub user: MeUser,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MeUser {
    #[serde(default)]
    pub id: Option<u64>,
}

/// A ticket (`TicketObject`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Ticket {
    pub id: u64,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub raw_subject: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// `new`, `open`, `pending`, `hold`, `solved`, `closed` (the category
    /// when the account has custom statuses); `deleted` in exports.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub custom_status_id: Option<u64>,
    /// `urgent`, `high`, `normal`, `low` or `null`.
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub organization_id: Option<u64>,
    #[serde(default)]
    pub requester_id: Option<u64>,
    #[serde(default)]
    pub assignee_id: Option<u64>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
    /// The ticket's metrics, where an export embeds them per ticket.
    #[serde(default)]
    pub metric_set: Option<MetricSet>,
}

/// A ticket's metrics (`TicketMetricObject`), side-loaded with
/// `include=metric_sets`: only what the model needs.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MetricSet {
    #[serde(default)]
    pub ticket_id: Option<u64>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub solved_at: Option<DateTime<Utc>>,
}

/// A user side-loaded with `include=users`: its id and name.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SideUser {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
}

/// A ticket comment (`TicketCommentObject`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Comment {
    pub id: u64,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub plain_body: Option<String>,
    /// `false` for an internal note.
    #[serde(default)]
    pub public: Option<bool>,
    #[serde(default)]
    pub author_id: Option<u64>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
}

/// `PUT /tickets/{id}` answers the ticket and the audit of the change; a
/// comment added by the change is one of the audit's events.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct UpdateResponse {
    #[serde(default)]
    pub audit: Option<Audit>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Audit {
    #[serde(default)]
    pub author_id: Option<u64>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub events: Vec<serde_json::Value>,
}

/// `POST /tickets` answers `{"ticket": {...}, "audit": {...}}`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Created {
    pub ticket: CreatedTicket,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CreatedTicket {
    pub id: u64,
}

/// A custom ticket status (`CustomStatusObject`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CustomStatus {
    pub id: u64,
    pub agent_label: String,
    /// `new`, `open`, `pending`, `hold` or `solved`.
    pub status_category: String,
    #[serde(default)]
    pub active: Option<bool>,
}

/// `GET /custom_statuses`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CustomStatuses {
    pub custom_statuses: Vec<CustomStatus>,
}
