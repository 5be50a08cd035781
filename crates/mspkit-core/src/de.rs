//! Deserializers for the odd encodings several platforms share, for use in
//! provider crates' `api` shapes with `#[serde(deserialize_with = "...")]`,
//! and [`AnyCase`], for platforms whose keys come in more than one casing.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

mod any_case;

pub use self::any_case::{AnyCase, Fold, Synonym};

/// Reads the timestamp forms the PSA platforms send: RFC 3339 with `Z` or an
/// offset; the same without any offset (`2016-03-30T13:10:35.5630000`, or with
/// a space for `T`), read as UTC, as these platforms store it; a bare date, as
/// its midnight UTC. Surrounding space is ignored. `None` when it is none of
/// these (callers report that as a decode error naming the field).
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let naive = s.strip_suffix('Z').unwrap_or(s);
    NaiveDateTime::parse_from_str(naive, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(naive, "%Y-%m-%d %H:%M:%S%.f"))
        .map(|n| n.and_utc())
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(naive, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc())
        })
}

/// An optional timestamp in any form [`parse_utc`] reads; `null`, absent or
/// blank is `None`, anything else unreadable is an error quoting it.
pub fn utc_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => parse_utc(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{s:?} is not a date and time"))),
    }
}

/// An optional boolean that may come as `true`/`false`, `1`/`0`, or the
/// strings `"true"`/`"false"`/`"1"`/`"0"` (Autotask's contacts send `isActive`
/// as an integer, its companies as a boolean). `null` or absent is `None`;
/// anything else is an error naming the value.
pub fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            _ => Err(de::Error::custom(format!("{n} is not a boolean (0 or 1)"))),
        },
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!("{s:?} is not a boolean"))),
        },
        Some(other) => Err(de::Error::custom(format!("{other} is not a boolean"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Flag {
        #[serde(default, deserialize_with = "lenient_bool")]
        active: Option<bool>,
    }

    fn read(json: &str) -> Result<Option<bool>, serde_json::Error> {
        serde_json::from_str::<Flag>(json).map(|f| f.active)
    }

    #[test]
    fn timestamps_with_and_without_offsets_are_read_as_utc() {
        let at = |s: &str| parse_utc(s).map(|t| t.to_rfc3339());
        assert_eq!(
            at("2018-08-10T17:39:20Z").as_deref(),
            Some("2018-08-10T17:39:20+00:00")
        );
        assert_eq!(
            at("2018-08-10T19:39:20+02:00").as_deref(),
            Some("2018-08-10T17:39:20+00:00")
        );
        assert_eq!(
            at("2016-03-30T13:10:35.5630000").as_deref(),
            Some("2016-03-30T13:10:35.563+00:00")
        );
        assert_eq!(
            at(" 2016-03-30 13:10:35 ").as_deref(),
            Some("2016-03-30T13:10:35+00:00")
        );
        assert_eq!(
            at("2022-12-07T09:15:45.2Z").as_deref(),
            Some("2022-12-07T09:15:45.200+00:00")
        );
        assert_eq!(
            at("2024-02-29").as_deref(),
            Some("2024-02-29T00:00:00+00:00")
        );
        assert_eq!(at("2024-02-30"), None);
        assert_eq!(at("yesterday"), None);
    }

    #[test]
    fn booleans_integers_and_strings_are_read() {
        assert_eq!(read(r#"{"active":true}"#).unwrap(), Some(true));
        assert_eq!(read(r#"{"active":0}"#).unwrap(), Some(false));
        assert_eq!(read(r#"{"active":"1"}"#).unwrap(), Some(true));
        assert_eq!(read(r#"{"active":" False "}"#).unwrap(), Some(false));
        assert_eq!(read(r#"{"active":null}"#).unwrap(), None);
        assert_eq!(read(r#"{}"#).unwrap(), None);
        assert!(
            read(r#"{"active":2}"#)
                .unwrap_err()
                .to_string()
                .contains("not a boolean")
        );
        assert!(read(r#"{"active":"yes"}"#).is_err());
        assert!(read(r#"{"active":[1]}"#).is_err());
    }
}
