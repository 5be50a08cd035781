//! The fake server's reading of Autotask filter expressions.

use std::cmp::Ordering;

use serde_json::Value;

use crate::api::parse_datetime;

/// Whether `item` passes every top-level expression (they are and-ed).
pub(super) fn passes(item: &Value, filter: &[Value]) -> bool {
    filter.iter().all(|f| matches(item, f))
}

fn field<'a>(item: &'a Value, name: &str) -> Option<&'a Value> {
    let obj = item.as_object()?;
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return x.partial_cmp(&y);
    }
    let (x, y) = (a.as_str()?, b.as_str()?);
    match (parse_datetime(x), parse_datetime(y)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => Some(x.to_lowercase().cmp(&y.to_lowercase())),
    }
}

fn matches(item: &Value, f: &Value) -> bool {
    let op = f
        .get("op")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let items = || {
        f.get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    if op == "and" {
        return items().iter().all(|i| matches(item, i));
    }
    if op == "or" {
        return items().iter().any(|i| matches(item, i));
    }
    let name = f.get("field").and_then(Value::as_str).unwrap_or("");
    let have = field(item, name);
    let want = f.get("value").unwrap_or(&Value::Null);
    let cmp = || have.and_then(|h| compare(h, want));
    let text = |g: fn(&str, &str) -> bool| match (have.and_then(Value::as_str), want.as_str()) {
        (Some(h), Some(w)) => g(&h.to_lowercase(), &w.to_lowercase()),
        _ => false,
    };
    let listed = || {
        want.as_array().is_some_and(|list| {
            list.iter()
                .any(|w| have.and_then(|h| compare(h, w)) == Some(Ordering::Equal))
        })
    };
    match op.as_str() {
        "eq" => cmp() == Some(Ordering::Equal),
        "noteq" => cmp() != Some(Ordering::Equal),
        "gt" => cmp() == Some(Ordering::Greater),
        "gte" => matches!(cmp(), Some(Ordering::Greater | Ordering::Equal)),
        "lt" => cmp() == Some(Ordering::Less),
        "lte" => matches!(cmp(), Some(Ordering::Less | Ordering::Equal)),
        "in" => listed(),
        "notin" => !listed(),
        "exist" => have.is_some(),
        "notexist" => have.is_none(),
        "contains" => text(|h, w| h.contains(w)),
        "beginswith" => text(|h, w| h.starts_with(w)),
        "endswith" => text(|h, w| h.ends_with(w)),
        _ => false,
    }
}
