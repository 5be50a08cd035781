//! ITFlow's JSON shapes, with the column names its rows really carry.
//!
//! Rows are raw database rows read through PHP's mysqli text protocol, so
//! every value is a JSON string or `null` (`"client_id": "7"`,
//! `"client_rate": "95.00"`); the readers here take the string and the
//! native form alike, so an install that turns native types on still reads.
//! Id columns use `"0"` for "none". Times are `YYYY-MM-DD HH:MM:SS` in the
//! server's local time, without a zone: they are read as naive times here
//! and placed in the configured zone by `map`.

use chrono::{NaiveDate, NaiveDateTime};
use mspkit_core::Keyed;
use mspkit_core::de::lenient_bool;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A client (company): `clients/read.php`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct Client {
    #[serde(deserialize_with = "int")]
    pub client_id: u64,
    #[serde(default, deserialize_with = "string")]
    pub client_name: String,
    #[serde(default, deserialize_with = "text")]
    pub client_abbreviation: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub client_website: Option<String>,
    #[serde(default, deserialize_with = "local_time")]
    pub client_created_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "local_time")]
    pub client_updated_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "local_time")]
    pub client_archived_at: Option<NaiveDateTime>,
}

/// A client's location: `locations/read.php`. The primary one gives the
/// company its phone and address.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct Location {
    #[serde(deserialize_with = "int_text")]
    pub location_id: String,
    #[serde(default, deserialize_with = "reference")]
    pub location_client_id: Option<u64>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub location_primary: Option<bool>,
    #[serde(default, deserialize_with = "text")]
    pub location_address: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub location_city: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub location_state: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub location_zip: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub location_country: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub location_phone_country_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub location_phone: Option<String>,
    #[serde(default, deserialize_with = "local_time")]
    pub location_archived_at: Option<NaiveDateTime>,
}

impl Keyed for Location {
    fn key(&self) -> Option<&str> {
        Some(&self.location_id)
    }
}

/// A contact: `contacts/read.php`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct Contact {
    #[serde(deserialize_with = "int")]
    pub contact_id: u64,
    #[serde(default, deserialize_with = "text")]
    pub contact_name: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub contact_title: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub contact_email: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub contact_phone_country_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub contact_phone: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub contact_extension: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub contact_mobile_country_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub contact_mobile: Option<String>,
    #[serde(default, deserialize_with = "local_time")]
    pub contact_created_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "local_time")]
    pub contact_updated_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "local_time")]
    pub contact_archived_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "reference")]
    pub contact_client_id: Option<u64>,
}

/// A ticket: `tickets/read.php`. Read by id, the row also carries the
/// joined `ticket_statuses` columns (`ticket_status_name`, ...); the list
/// does not.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct Ticket {
    #[serde(deserialize_with = "int")]
    pub ticket_id: u64,
    #[serde(default, deserialize_with = "text")]
    pub ticket_prefix: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub ticket_number: Option<String>,
    #[serde(default, deserialize_with = "string")]
    pub ticket_subject: String,
    #[serde(default, deserialize_with = "text")]
    pub ticket_details: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub ticket_priority: Option<String>,
    #[serde(default, deserialize_with = "reference")]
    pub ticket_status: Option<u64>,
    #[serde(default, deserialize_with = "local_time")]
    pub ticket_created_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "local_time")]
    pub ticket_updated_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "local_time")]
    pub ticket_resolved_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "local_time")]
    pub ticket_closed_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "reference")]
    pub ticket_assigned_to: Option<u64>,
    #[serde(default, deserialize_with = "reference")]
    pub ticket_client_id: Option<u64>,
    #[serde(default, deserialize_with = "reference")]
    pub ticket_contact_id: Option<u64>,
    /// Joined on a read by id only.
    #[serde(default, deserialize_with = "reference")]
    pub ticket_status_id: Option<u64>,
    /// Joined on a read by id only.
    #[serde(default, deserialize_with = "text")]
    pub ticket_status_name: Option<String>,
}

/// A ticket reply (note): `ticket_replies/read.php`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct TicketReply {
    #[serde(deserialize_with = "int")]
    pub ticket_reply_id: u64,
    #[serde(default, deserialize_with = "string")]
    pub ticket_reply: String,
    #[serde(default, deserialize_with = "text")]
    pub ticket_reply_type: Option<String>,
    #[serde(default, deserialize_with = "local_time")]
    pub ticket_reply_created_at: Option<NaiveDateTime>,
    #[serde(default, deserialize_with = "reference")]
    pub ticket_reply_by: Option<u64>,
    #[serde(default, deserialize_with = "text")]
    pub ticket_reply_by_name: Option<String>,
    #[serde(default, deserialize_with = "reference")]
    pub ticket_reply_ticket_id: Option<u64>,
}

/// The envelope of every answer: `success` (`"True"` / `"False"`), a
/// `message` on failures, `count`, and `data` (rows, or `[{insert_id}]`
/// after a create).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Envelope {
    #[serde(default, deserialize_with = "lenient_success")]
    pub success: Option<bool>,
    #[serde(default, deserialize_with = "text")]
    pub message: Option<String>,
    #[serde(default)]
    pub data: Option<Vec<Value>>,
}

/// Only what an answer says of its outcome (`success`, `message`), read
/// from a whole page without its rows.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Outcome {
    #[serde(default, deserialize_with = "lenient_success")]
    pub success: Option<bool>,
    #[serde(default, deserialize_with = "text")]
    pub message: Option<String>,
}

/// The one row a create answers with.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Created {
    #[serde(deserialize_with = "int")]
    pub insert_id: u64,
}

/// A required integer: `"7"` or `7`.
pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| de::Error::custom(format!("{s:?} is not an integer id"))),
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| de::Error::custom(format!("{n} is not an integer id"))),
        other => Err(de::Error::custom(format!("{other} is not an integer id"))),
    }
}

/// A required integer id, kept as its text.
fn int_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    int(d).map(|n| n.to_string())
}

/// A reference to another row: `"0"`, `0`, `""` and `null` mean none.
pub(crate) fn reference<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let n = match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<u64>()
            .map_err(|_| de::Error::custom(format!("{s:?} is not an integer id")))?,
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| de::Error::custom(format!("{n} is not an integer id")))?,
        Some(other) => return Err(de::Error::custom(format!("{other} is not an integer id"))),
    };
    Ok((n != 0).then_some(n))
}

/// Optional text: a string as is, a number or boolean in its JSON form;
/// `null` is none. (Blank strings are kept; `map` drops them.)
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(v.to_string())),
        Some(other) => Err(de::Error::custom(format!("{other} is not text"))),
    }
}

/// Text that is always there; `null` reads as empty.
fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text(d).map(Option::unwrap_or_default)
}

/// A server-local time, `YYYY-MM-DD HH:MM:SS` (or a bare date, as its
/// midnight); `null`, blank and MySQL's zero date are none.
pub(crate) fn local_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDateTime>, D::Error> {
    let Some(s) = text(d)? else {
        return Ok(None);
    };
    let s = s.trim();
    if s.is_empty() || s.starts_with("0000-00-00") {
        return Ok(None);
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
        .map(Some)
        .ok_or_else(|| de::Error::custom(format!("{s:?} is not a date and time")))
}

/// `"True"` / `"False"` (any case), or a JSON boolean.
fn lenient_success<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!("{s:?} is not True or False"))),
        },
        Some(other) => Err(de::Error::custom(format!("{other} is not True or False"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_and_native_values_read_alike() {
        let row = |id: Value, status: Value, at: Value| {
            serde_json::from_value::<Ticket>(json!({
                "ticket_id": id, "ticket_subject": "x", "ticket_status": status,
                "ticket_created_at": at, "ticket_contact_id": "0"
            }))
        };
        let a = row(json!("311"), json!("2"), json!("2025-06-11 08:05:12")).unwrap();
        let b = row(json!(311), json!(2), json!("2025-06-11T08:05:12")).unwrap();
        assert_eq!(a.ticket_id, 311);
        assert_eq!(a.ticket_status, b.ticket_status);
        assert_eq!(a.ticket_created_at, b.ticket_created_at);
        assert_eq!(a.ticket_contact_id, None);
        let zero = row(json!("1"), json!("0"), json!("0000-00-00 00:00:00")).unwrap();
        assert_eq!((zero.ticket_status, zero.ticket_created_at), (None, None));
        let bad = row(json!("1"), json!("2"), json!("yesterday")).unwrap_err();
        assert!(bad.to_string().contains("yesterday"), "{bad}");
        assert!(row(json!("x"), json!("2"), Value::Null).is_err());
    }

    #[test]
    fn success_is_a_string() {
        let e: Envelope = serde_json::from_str(r#"{"success":"False","message":"m"}"#).unwrap();
        assert_eq!(e.success, Some(false));
        let e: Envelope =
            serde_json::from_str(r#"{"success":"True","count":"1","data":[{"insert_id":42}]}"#)
                .unwrap();
        assert_eq!(e.success, Some(true));
        let c: Created = serde_json::from_value(e.data.unwrap()[0].clone()).unwrap();
        assert_eq!(c.insert_id, 42);
    }
}
