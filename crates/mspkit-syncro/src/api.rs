//! Syncro's JSON shapes, with the field names it sends (from the example
//! responses of Syncro's OpenAPI document). Unknown fields are ignored;
//! optional and `null` fields are `Option`.

use chrono::{DateTime, Utc};
use mspkit_core::de::{lenient_bool, utc_timestamp};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An id as Syncro sends it: an integer (a string is accepted too), kept
/// as text.
fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match opt_id(d)? {
        Some(s) => Ok(s),
        None => Err(de::Error::custom("the id is missing")),
    }
}

/// An optional id (`null`, absent or blank is `None`).
fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(other) => Err(de::Error::custom(format!("{other} is not an id"))),
    }
}

/// A list that may come as `null`.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A free-form object (`properties`, custom fields) that may come as `null`.
fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        Some(Value::Object(m)) => Ok(m),
        _ => Ok(Map::new()),
    }
}

/// A customer (`GET /customers`, `GET /customers/{id}`): a business, or a
/// person when `business_name` is empty.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Customer {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub firstname: Option<String>,
    #[serde(default)]
    pub lastname: Option<String>,
    #[serde(default)]
    pub fullname: Option<String>,
    #[serde(default)]
    pub business_name: Option<String>,
    #[serde(default)]
    pub business_then_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub address_2: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub zip: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub disabled: Option<bool>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A contact of a customer (`GET /contacts`). `name` is one full-name string.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Contact {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_id")]
    pub customer_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub mobile: Option<String>,
    /// Custom fields; the contact's title is `properties.title`.
    #[serde(default, deserialize_with = "object")]
    pub properties: Map<String, Value>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// The technician a ticket is assigned to (`ticket.user`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct User {
    #[serde(default, deserialize_with = "opt_id")]
    pub id: Option<String>,
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// A ticket (`GET /tickets`, `GET /tickets/{id}`, and the answers of
/// `POST /tickets` and `PUT /tickets/{id}`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Ticket {
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// The ticket number people use (an integer; the create body types it
    /// as a string).
    #[serde(default, deserialize_with = "opt_id")]
    pub number: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    /// One of the account's status labels (`GET /tickets/settings`).
    #[serde(default)]
    pub status: Option<String>,
    /// A free label (`"Low"`, `"2 Normal"`), `null` by default.
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default, deserialize_with = "opt_id")]
    pub customer_id: Option<String>,
    #[serde(default, deserialize_with = "opt_id")]
    pub contact_id: Option<String>,
    /// The assigned technician.
    #[serde(default, deserialize_with = "opt_id")]
    pub user_id: Option<String>,
    #[serde(default)]
    pub user: Option<User>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
    /// Set when the ticket was resolved: Syncro's only closed signal.
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// The comments; the first one holds the description (lists carry only
    /// the initial comment).
    #[serde(default, deserialize_with = "list")]
    pub comments: Vec<Comment>,
}

/// The author of a comment, when the list includes it (`{}` otherwise).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CommentUser {
    #[serde(default)]
    pub full_name: Option<String>,
}

/// A ticket comment (`GET /tickets/{id}/comments`, `POST /tickets/{id}/comment`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Comment {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_id")]
    pub ticket_id: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    /// The name shown as the author.
    #[serde(default)]
    pub tech: Option<String>,
    /// `true` for a private (internal) comment.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub hidden: Option<bool>,
    #[serde(default, deserialize_with = "opt_id")]
    pub user_id: Option<String>,
    #[serde(default)]
    pub user: Option<CommentUser>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
}

/// A contract (`GET /contracts`; `GET /contracts/{id}` answers it bare).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Contract {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_id")]
    pub customer_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// `"Active"`, `"Opportunity"`, ...
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub end_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A technician in the ticket settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SettingsUser {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET /tickets/settings`: the account's status labels and technicians.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TicketSettings {
    #[serde(deserialize_with = "list")]
    pub ticket_status_list: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    pub users: Vec<SettingsUser>,
}

/// The RMM side of an asset (`asset.rmm_store`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RmmStore {
    /// Alert triggers, each `"true"` or `"false"` (`agent_offline_triggered`).
    #[serde(default, deserialize_with = "object")]
    pub triggers: Map<String, Value>,
}

/// An asset (`GET /customer_assets`, `GET /customer_assets/{id}`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Asset {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "opt_id")]
    pub customer_id: Option<String>,
    /// The asset type's name (`"Syncro Device"` for agent-managed machines,
    /// `"Laptop"`, or a type the account made).
    #[serde(default)]
    pub asset_type: Option<String>,
    #[serde(default)]
    pub asset_serial: Option<String>,
    /// Free-form: the asset type's custom fields, and for agent-managed
    /// machines the agent's inventory under `kabuto_information`.
    #[serde(default, deserialize_with = "object")]
    pub properties: Map<String, Value>,
    #[serde(default)]
    pub rmm_store: Option<RmmStore>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An RMM alert (`GET /rmm_alerts`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RmmAlert {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_id")]
    pub customer_id: Option<String>,
    #[serde(default, deserialize_with = "opt_id")]
    pub asset_id: Option<String>,
    #[serde(default)]
    pub computer_name: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub resolved: Option<bool>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub formatted_output: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub updated_at: Option<DateTime<Utc>>,
}
