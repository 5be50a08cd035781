//! Time filters: read an instant in the forms platforms use and keep the
//! items changed since it (`updated_since`, `modifiedSince`, `startdate`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;
use wiremock::Request;

use crate::query::{field, query_param};

/// Reads an instant: RFC 3339 (`2024-03-01T10:00:00Z`, `+01:00`),
/// a date-time without a zone taken as UTC (`2024-03-01T10:00:00`,
/// `2024-03-01 10:00:00`, with or without fractions), a date
/// (`2024-03-01`, midnight UTC), .NET's `/Date(ms)/` (offset ignored, as
/// the milliseconds are UTC), or epoch seconds or milliseconds.
///
/// ```
/// use mspkit_testkit::parse_instant;
/// let a = parse_instant("2024-03-01").unwrap();
/// assert_eq!(parse_instant("2024-03-01T00:00:00Z"), Some(a));
/// assert_eq!(parse_instant("/Date(1709251200000)/"), Some(a));
/// assert_eq!(parse_instant("1709251200"), Some(a));
/// ```
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc());
        }
    }
    if let Some(t) = s
        .strip_suffix('Z')
        .and_then(|s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").ok())
    {
        return Some(t.and_utc());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    if let Some(inner) = s.strip_prefix("/Date(").and_then(|s| s.strip_suffix(")/")) {
        let digits = inner
            .get(1..)
            .and_then(|rest| rest.find(['+', '-']))
            .map_or(inner, |i| &inner[..=i]);
        return digits
            .parse::<i64>()
            .ok()
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single());
    }
    s.parse::<f64>().ok().and_then(epoch)
}

/// Epoch seconds, or milliseconds when the number is too large for seconds.
fn epoch(n: f64) -> Option<DateTime<Utc>> {
    if !n.is_finite() {
        return None;
    }
    let ms = if n.abs() >= 1e11 { n } else { n * 1000.0 };
    Utc.timestamp_millis_opt(ms.round() as i64).single()
}

/// The instant in `value`: a string in any form [`parse_instant`] reads,
/// or a number of epoch seconds (milliseconds when large).
pub fn instant_of(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::String(s) => parse_instant(s),
        Value::Number(n) => n.as_f64().and_then(epoch),
        _ => None,
    }
}

/// Whether `item`'s `item_field` (a name or a JSON pointer) is at or after
/// `since`. An item without a readable instant there is not kept.
pub fn changed_since(item: &Value, item_field: &str, since: DateTime<Utc>) -> bool {
    field(item, item_field)
        .and_then(instant_of)
        .is_some_and(|t| t >= since)
}

/// The instant query parameter `param` names: `Ok(None)` when absent,
/// `Err(value)` when unreadable (answer 400).
pub fn since_param(request: &Request, param: &str) -> Result<Option<DateTime<Utc>>, String> {
    match query_param(request, param) {
        None => Ok(None),
        Some(v) => parse_instant(&v).map(Some).ok_or(v),
    }
}

/// The items whose `item_field` is at or after `since`, cloned.
pub fn updated_since(items: &[Value], item_field: &str, since: DateTime<Utc>) -> Vec<Value> {
    items
        .iter()
        .filter(|v| changed_since(v, item_field, since))
        .cloned()
        .collect()
}
