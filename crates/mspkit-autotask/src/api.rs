//! Autotask's JSON shapes as the REST API sends them: camelCase, ids as
//! integers, picklist values as integers (and as strings inside
//! `picklistValues`), dates with or without a `Z`.

use chrono::{DateTime, NaiveDate, Utc};
use mspkit_core::de::lenient_bool;
use serde::{Deserialize, Deserializer, Serialize, de};
use serde_json::Value;

/// `{"item": {...}}` from `GET /{Entity}/{id}`; `null` when there is no such record.
#[derive(Debug, Clone, Deserialize)]
pub struct SingleItem {
    /// The record.
    pub item: Option<Value>,
}

/// `{"itemId": N}` from a create or an update.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemId {
    /// The id of the record written.
    pub item_id: i64,
}

/// `GET /ZoneInformation?user=`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneInformation {
    /// The zone's name ("America East 5").
    #[serde(alias = "ZoneName")]
    pub zone_name: Option<String>,
    /// The zone's API root, `https://webservices5.autotask.net/atservicesrest/`.
    #[serde(alias = "Url")]
    pub url: String,
}

/// `GET /{Entity}/entityInformation/fields`.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldsResult {
    /// The entity's fields.
    #[serde(alias = "Fields")]
    pub fields: Vec<FieldInfo>,
}

/// One field of an entity, with its picklist when it has one.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldInfo {
    /// The field's name (`status`).
    pub name: String,
    /// Whether the field is a picklist.
    #[serde(default)]
    pub is_pick_list: bool,
    /// The picklist's values.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub picklist_values: Vec<PicklistValue>,
}

/// One picklist entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PicklistValue {
    /// The value stored in records (a string holding an integer).
    #[serde(deserialize_with = "int_or_text")]
    pub value: i64,
    /// The tenant's label.
    pub label: String,
    /// Whether new records get this value by default.
    #[serde(default)]
    pub is_default_value: bool,
    /// Display order.
    pub sort_order: Option<i64>,
    /// Whether the value may still be chosen.
    #[serde(default = "yes")]
    pub is_active: bool,
    /// Whether the value is one of Autotask's own (it cannot be removed).
    #[serde(default)]
    pub is_system: bool,
}

/// `GET /ThresholdInformation`: how much of the hourly request budget is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThresholdInformation {
    /// Requests allowed per timeframe (10,000).
    pub external_request_threshold: i64,
    /// The timeframe, in minutes (60).
    pub request_threshold_timeframe: i64,
    /// Requests made in the current timeframe.
    pub current_timeframe_request_count: i64,
}

/// A company (`/Companies`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: i64,
    pub company_name: Option<String>,
    pub company_number: Option<String>,
    pub company_type: Option<i64>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_active: Option<bool>,
    pub phone: Option<String>,
    pub web_address: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    #[serde(rename = "countryID")]
    pub country_id: Option<i64>,
    #[serde(default, deserialize_with = "datetime")]
    pub create_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime")]
    pub last_activity_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime")]
    pub last_tracked_modified_date_time: Option<DateTime<Utc>>,
}

/// A contact (`/Contacts`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub id: i64,
    #[serde(rename = "companyID")]
    pub company_id: Option<i64>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email_address: Option<String>,
    pub phone: Option<String>,
    pub mobile_phone: Option<String>,
    pub title: Option<String>,
    /// An integer (1/0) for contacts, unlike companies' boolean.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_active: Option<bool>,
    #[serde(default, deserialize_with = "datetime")]
    pub create_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime")]
    pub last_activity_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime")]
    pub last_modified_date: Option<DateTime<Utc>>,
}

/// A ticket (`/Tickets`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ticket {
    pub id: i64,
    pub ticket_number: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<i64>,
    pub priority: Option<i64>,
    #[serde(rename = "companyID")]
    pub company_id: Option<i64>,
    #[serde(rename = "contactID")]
    pub contact_id: Option<i64>,
    #[serde(rename = "assignedResourceID")]
    pub assigned_resource_id: Option<i64>,
    #[serde(default, deserialize_with = "datetime")]
    pub create_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime")]
    pub last_activity_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime")]
    pub last_tracked_modification_date_time: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime")]
    pub completed_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime")]
    pub resolved_date_time: Option<DateTime<Utc>>,
}

/// A ticket note (`/TicketNotes`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketNote {
    pub id: i64,
    #[serde(rename = "ticketID")]
    pub ticket_id: i64,
    pub title: Option<String>,
    pub description: Option<String>,
    pub note_type: Option<i64>,
    pub publish: Option<i64>,
    #[serde(rename = "creatorResourceID")]
    pub creator_resource_id: Option<i64>,
    #[serde(default, deserialize_with = "datetime")]
    pub create_date_time: Option<DateTime<Utc>>,
}

/// A contract (`/Contracts`), the normalized agreement.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    pub id: i64,
    #[serde(rename = "companyID")]
    pub company_id: Option<i64>,
    pub contract_name: Option<String>,
    pub contract_number: Option<String>,
    pub contract_type: Option<i64>,
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "date")]
    pub start_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "date")]
    pub end_date: Option<NaiveDate>,
}

/// A resource (an Autotask user), for assignee and author names.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// A country, for company addresses.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Country {
    pub id: i64,
    pub display_name: Option<String>,
    pub name: Option<String>,
}

fn yes() -> bool {
    true
}

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Picklist values arrive as strings (`"5"`); accept numbers too.
fn int_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| de::Error::custom(format!("{n} is not an integer"))),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| de::Error::custom(format!("{s:?} is not an integer"))),
        other => Err(de::Error::custom(format!(
            "expected an integer, got {other}"
        ))),
    }
}

/// Reads Autotask's timestamps: UTC, with or without `Z`, with 0 to 7
/// fractional digits (`2016-03-30T13:10:35.563`, `2022-12-07T09:15:45.2Z`).
pub(crate) fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    mspkit_core::de::parse_utc(s)
}

fn datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => parse_datetime(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{s:?} is not a date and time"))),
    }
}

/// Contract dates are midnight timestamps with no time zone: the date is the
/// part before `T`, never shifted.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => {
            let day = s.trim().split(['T', ' ']).next().unwrap_or_default();
            NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| de::Error::custom(format!("{s:?} is not a date")))
        }
    }
}
