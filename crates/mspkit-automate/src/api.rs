//! Automate's JSON shapes, with the field names its OpenAPI output declares
//! (PascalCase). Only the fields the normalized model reads are declared;
//! the rest (script credentials among them) are never read into these
//! types and stay, scrubbed, in `raw`.
//!
//! Ids come as numbers or strings (`LabTech.Models.Computer.Id` and
//! `LabTech.Models.Client.Id` are typed `string`, the other contracts
//! `int32`): both are read. Timestamps are ISO 8601, with or without an
//! offset (read as UTC without one); .NET's `0001-01-01T00:00:00` means none.

use chrono::{DateTime, Utc};
use mspkit_core::Id;
use mspkit_core::de::parse_utc;
use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::Value;

/// `POST apitoken` and `POST apitoken/refresh`: `TokenResult`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct TokenResult {
    pub access_token: Option<String>,
    #[serde(deserialize_with = "timestamp")]
    pub expiration_date: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "timestamp")]
    pub absolute_expiration_date: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "lenient_flag")]
    pub is_two_factor_required: bool,
}

/// A nested reference (`Client`, `Location`, `Computer`): its id and name.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct Ref {
    #[serde(deserialize_with = "opt_id")]
    pub id: Option<Id>,
    pub name: Option<String>,
}

/// `GET Clients`: `LabTech.Models.Client`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Client {
    #[serde(deserialize_with = "id")]
    pub id: Id,
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET Locations`: `Automate.Api.Domain.Contracts.Clients.Location`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Location {
    #[serde(default, deserialize_with = "opt_id")]
    pub id: Option<Id>,
    #[serde(default, deserialize_with = "opt_id")]
    pub location_id: Option<Id>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub client: Option<Ref>,
}

/// One `LoggedInUsers` entry of a computer.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct LoggedInUser {
    pub logged_in_user_name: Option<String>,
}

/// `GET Computers`: `LabTech.Models.Computer` (the fields the model reads).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Computer {
    #[serde(deserialize_with = "id")]
    pub id: Id,
    #[serde(default)]
    pub computer_name: Option<String>,
    #[serde(default)]
    pub friendly_name: Option<String>,
    #[serde(default)]
    pub client: Option<Ref>,
    #[serde(default)]
    pub location: Option<Ref>,
    #[serde(default, rename = "Type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub operating_system_name: Option<String>,
    #[serde(default)]
    pub operating_system_version: Option<String>,
    #[serde(default, rename = "LocalIPAddress")]
    pub local_ip_address: Option<String>,
    #[serde(default, rename = "MACAddress")]
    pub mac_address: Option<String>,
    #[serde(default)]
    pub serial_number: Option<String>,
    #[serde(default)]
    pub bios_manufacturer: Option<String>,
    #[serde(default)]
    pub remote_agent_version: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub remote_agent_last_contact: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_user_name: Option<String>,
    #[serde(default, deserialize_with = "nullable_list")]
    pub logged_in_users: Vec<LoggedInUser>,
    #[serde(default, deserialize_with = "lenient_flag")]
    pub is_virtual_machine: bool,
}

/// A severity as an alert carries it: `{Id, Name}`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct AlertSeverity {
    pub name: Option<String>,
}

/// `GET Alerts`: `Automate.Api.Domain.Contracts.Alerts.Alert`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Alert {
    #[serde(deserialize_with = "id")]
    pub alert_id: Id,
    #[serde(default)]
    pub client: Option<Ref>,
    #[serde(default)]
    pub computer: Option<Ref>,
    #[serde(default, deserialize_with = "timestamp")]
    pub alert_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub severity: Option<AlertSeverity>,
    #[serde(default)]
    pub message: Option<String>,
}

/// `GET Computers/{id}/Software`: `LabTech.Models.ComputerSoftware`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Software {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub date_installed: Option<DateTime<Utc>>,
}

/// An id given as a number or a non-blank string.
fn id_of<E: de::Error>(v: Value) -> Result<Option<Id>, E> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(Some(Id::from(n.to_string()))),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(Id::from(s.trim()))),
        other => Err(E::custom(format!("{other} is not an id"))),
    }
}

/// A required id: a number or a string.
pub(crate) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
    id_of(Value::deserialize(d)?)?.ok_or_else(|| de::Error::custom("the id is missing"))
}

/// An optional id: a number, a string, null or blank.
pub(crate) fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Id>, D::Error> {
    id_of(Value::deserialize(d)?)
}

/// A timestamp in any form [`parse_utc`] reads; `null`, blank and .NET's
/// `0001-01-01T00:00:00` are none, anything else unreadable is an error.
pub(crate) fn timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() || s.trim().starts_with("0001-01-01") => Ok(None),
        Some(s) => parse_utc(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{s:?} is not a date and time"))),
    }
}

/// A flag that may be missing or null (false), a boolean, or 0/1.
fn lenient_flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(mspkit_core::de::lenient_bool(d)?.unwrap_or(false))
}

/// A list that may be `null`.
fn nullable_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}
