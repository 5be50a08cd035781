//! Reading a request's query string: one parameter, all its values, a
//! number; and a parameter that filters items by a field.

use std::str::FromStr;

use serde_json::Value;
use wiremock::Request;

/// The first value of query parameter `name`, decoded.
pub fn query_param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The first value of query parameter `name`, its name compared ignoring
/// ASCII case (Autotask, Unleashed).
pub fn query_param_ignore_case(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.into_owned())
}

/// Every value of query parameter `name`, in order.
pub fn query_params(request: &Request, name: &str) -> Vec<String> {
    request
        .url
        .query_pairs()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// Every pair of the query, decoded, in the order sent (empty without a
/// query).
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

/// Query parameter `name` parsed as a `T`: `Ok(None)` when absent,
/// `Err(value)` when present but not a `T` (so the fake can answer 400).
///
/// ```
/// # async fn f(req: &wiremock::Request) {
/// let size: Option<u64> = mspkit_testkit::query_parse(req, "pageSize").unwrap_or(None);
/// # }
/// ```
pub fn query_parse<T: FromStr>(request: &Request, name: &str) -> Result<Option<T>, String> {
    match query_param(request, name) {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| v),
    }
}

/// Query parameter `name` as a number; `None` when absent or not a number.
pub fn query_u64(request: &Request, name: &str) -> Option<u64> {
    query_parse(request, name).ok().flatten()
}

/// A JSON value as the text a query would carry: strings bare, the rest as JSON.
pub fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The field of `item` at `field`: a top-level name, or a JSON pointer
/// when it starts with `/` (`/company/id`).
pub fn field<'a>(item: &'a Value, field: &str) -> Option<&'a Value> {
    if field.starts_with('/') {
        item.pointer(field)
    } else {
        item.get(field)
    }
    .filter(|v| !v.is_null())
}

/// Whether `item` passes the filter that query parameter `param` names on
/// `field`: `true` when the request does not name it, else when the
/// field's text equals the parameter's value (HaloPSA's `client_id=12`).
pub fn param_matches(request: &Request, param: &str, item: &Value, item_field: &str) -> bool {
    query_param(request, param)
        .is_none_or(|want| field(item, item_field).is_some_and(|v| text_of(v) == want))
}

/// The items of `items` that pass `keep`, cloned.
pub fn filter_items(items: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<Value> {
    items.iter().filter(|v| keep(v)).cloned().collect()
}
