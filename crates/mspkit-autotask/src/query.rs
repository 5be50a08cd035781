//! Autotask's query JSON: `{"filter": [...], "MaxRecords": N}`. Top-level
//! filter expressions are and-ed; `or` groups hold `items`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

/// The most records one page can hold.
pub const MAX_PAGE_SIZE: u32 = 500;

/// `field op value`.
pub(crate) fn cond(op: &str, field: &str, value: impl Into<Value>) -> Value {
    json!({"op": op, "field": field, "value": value.into()})
}

/// Every record: Autotask refuses a query without a filter.
pub(crate) fn everything() -> Value {
    cond("gte", "id", 0)
}

/// Records changed at or after `since` by any of `fields` (an `or` group, so
/// a record with one of the timestamps empty still qualifies by the other).
pub(crate) fn changed_since(fields: &[&str], since: DateTime<Utc>) -> Value {
    let at = instant(since);
    let items: Vec<Value> = fields.iter().map(|f| cond("gte", f, at.as_str())).collect();
    match items.as_slice() {
        [one] => one.clone(),
        _ => json!({"op": "or", "items": items}),
    }
}

/// Autotask's UTC timestamp form, `2024-03-05T06:07:08.000Z`.
pub(crate) fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The page size to ask for: the caller's, at most 500, never more than the limit.
pub(crate) fn page_size(asked: Option<u32>, limit: Option<usize>) -> u32 {
    let size = asked.unwrap_or(MAX_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE);
    match limit {
        Some(l) if l > 0 && (l as u64) < u64::from(size) => l as u32,
        _ => size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updated_since_is_an_or_group_of_gte() {
        let since = DateTime::from_timestamp(1_709_618_828, 0).unwrap();
        assert_eq!(
            changed_since(&["lastActivityDate", "lastModifiedDate"], since),
            json!({"op":"or","items":[
                {"op":"gte","field":"lastActivityDate","value":"2024-03-05T06:07:08.000Z"},
                {"op":"gte","field":"lastModifiedDate","value":"2024-03-05T06:07:08.000Z"}]})
        );
        assert_eq!(page_size(Some(900), None), 500);
        assert_eq!(page_size(None, Some(2)), 2);
        assert_eq!(page_size(Some(4), Some(10)), 4);
    }
}
