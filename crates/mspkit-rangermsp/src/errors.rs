//! Error bodies. No RangerMSP HTTP error format is published; this reader
//! takes the common shapes, whatever the case of their keys:
//!
//! - `{"error": {"code": "NotFound", "message": "..."}}` (what the fake
//!   server answers, an assumption of this crate);
//! - `{"error": "..."}`, `{"message": "..."}`, `{"Message": "..."}`,
//!   `{"ErrorMessage": "...", "ErrorCode": 3}`;
//! - `{"errors": ["...", ...]}` or `{"errors": {"Field": ["..."]}}`, kept as
//!   details.
//!
//! A body that is not JSON (an IIS or proxy error page) gives nothing, and
//! the error quotes the start of the body instead.

use mspkit_core::http::ErrorBody;
use mspkit_core::reqwest::StatusCode;
use mspkit_core::{Error, ErrorKind, Provider};
use serde_json::{Map, Value};

/// The message when a 2xx body says only `"success": false`.
const UNSUCCESSFUL: &str = "RangerMSP answered success: false";

/// Reads an error body (any of the shapes above).
pub(crate) fn parse_error_body(_status: StatusCode, body: &[u8]) -> ErrorBody {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => from_object(&map),
        Ok(Value::String(s)) if !s.trim().is_empty() => ErrorBody {
            message: Some(s.trim().to_owned()),
            ..ErrorBody::default()
        },
        _ => ErrorBody::default(),
    }
}

/// The value of `key` in `map`, whatever the case of the key.
fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A scalar as text: a non-blank string or a number.
fn scalar(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn from_object(map: &Map<String, Value>) -> ErrorBody {
    let mut code = ["code", "errorCode", "error_code"]
        .iter()
        .find_map(|k| scalar(get(map, k)));
    let mut message = [
        "message",
        "errorMessage",
        "error_description",
        "description",
    ]
    .iter()
    .find_map(|k| scalar(get(map, k)));
    match get(map, "error") {
        Some(Value::Object(inner)) => {
            message = message.or_else(|| scalar(get(inner, "message")));
            code = code.or_else(|| scalar(get(inner, "code")));
        }
        other => message = message.or_else(|| scalar(other)),
    }
    let mut details = Vec::new();
    if let Some(errors) = get(map, "errors") {
        collect(errors, &mut details);
    }
    if message.is_none() {
        message = match details.len() {
            0 if is_unsuccessful(map) => Some(UNSUCCESSFUL.to_owned()),
            0 => None,
            _ => Some(details.join("; ")),
        };
    }
    ErrorBody {
        code,
        message,
        details,
        kind: None,
    }
}

/// The texts of an `errors` value: a string, a list, or field → message(s).
fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        Value::Object(fields) => {
            if let Some(m) = scalar(get(fields, "message")) {
                match scalar(get(fields, "field")) {
                    Some(f) => out.push(format!("{f}: {m}")),
                    None => out.push(m),
                }
                return;
            }
            for (field, msgs) in fields {
                let mut inner = Vec::new();
                collect(msgs, &mut inner);
                if !inner.is_empty() {
                    out.push(format!("{field}: {}", inner.join(", ")));
                }
            }
        }
        _ => {}
    }
}

/// Whether a body says `"success": false` (or `"false"`).
fn is_unsuccessful(map: &Map<String, Value>) -> bool {
    match get(map, "success") {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// A 2xx answer that is a refusal (`"success": false`, or an `error`
/// without any data) as the error it is: never read as data.
pub(crate) fn refusal_in_success(
    provider: Provider,
    operation: &'static str,
    status: StatusCode,
    body: &Value,
) -> Option<Error> {
    let Value::Object(map) = body else {
        return None;
    };
    let has_data = get(map, "data").is_some_and(|d| !d.is_null());
    let refused =
        is_unsuccessful(map) || (!has_data && get(map, "error").is_some_and(|e| !e.is_null()));
    if !refused {
        return None;
    }
    let parsed = from_object(map);
    let mut e = Error::new(provider, operation, ErrorKind::Api)
        .with_status(status.as_u16())
        .with_message(parsed.message.unwrap_or_else(|| UNSUCCESSFUL.to_owned()))
        .with_details(parsed.details)
        .with_reached_server(true);
    if let Some(code) = parsed.code {
        e = e.with_code(code);
    }
    Some(e)
}

/// What to check when a call fails before RangerMSP has answered this
/// client once (wired with `first_contact_hints`; see the "First contact"
/// section of `docs/providers/rangermsp.md`).
pub(crate) fn first_contact(kind: ErrorKind, _status: Option<u16>) -> Option<&'static str> {
    match kind {
        ErrorKind::Unauthorized => Some(
            "api_key: the key from Setup > Security > API Access, for a user with API access enabled (a proxy in between may drop the Authorization header)",
        ),
        ErrorKind::Forbidden => Some(
            "account_id on a cloud login that reaches several accounts (it must be one the login can reach), and what the key's user may do",
        ),
        ErrorKind::NotFound => Some(
            "base_url: the API root ending in /api/v1 (port 8443 on a self-hosted server); if the root itself answers 404, that server has no HTTP API service",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> ErrorBody {
        parse_error_body(StatusCode::BAD_REQUEST, body.as_bytes())
    }

    #[test]
    fn an_error_object_with_code_and_message() {
        let b = read(r#"{"error": {"code": "NotFound", "message": "Ticket not found"}}"#);
        assert_eq!(b.code.as_deref(), Some("NotFound"));
        assert_eq!(b.message.as_deref(), Some("Ticket not found"));
    }

    #[test]
    fn flat_shapes_in_any_case() {
        let b = read(r#"{"ErrorCode": 3, "ErrorMessage": "Account not found"}"#);
        assert_eq!(b.code.as_deref(), Some("3"));
        assert_eq!(b.message.as_deref(), Some("Account not found"));
        assert_eq!(
            read(r#"{"Message": "Denied"}"#).message.as_deref(),
            Some("Denied")
        );
        assert_eq!(
            read(r#"{"error": "Unauthorized"}"#).message.as_deref(),
            Some("Unauthorized")
        );
        assert_eq!(read(r#""plain""#).message.as_deref(), Some("plain"));
    }

    #[test]
    fn field_errors_become_details() {
        let b =
            read(r#"{"errors": {"AccountREC_ID": ["is required"], "Description": "is blank"}}"#);
        assert_eq!(
            b.details,
            ["AccountREC_ID: is required", "Description: is blank"]
        );
        assert_eq!(
            b.message.as_deref(),
            Some("AccountREC_ID: is required; Description: is blank")
        );
        let b = read(
            r#"{"message": "Invalid ticket", "errors": [{"field": "AccountREC_ID", "message": "is required"}]}"#,
        );
        assert_eq!(b.message.as_deref(), Some("Invalid ticket"));
        assert_eq!(b.details, ["AccountREC_ID: is required"]);
    }

    #[test]
    fn bodies_that_are_not_json_give_nothing() {
        assert_eq!(
            read("<html>404 - File or directory not found.</html>"),
            ErrorBody::default()
        );
        assert_eq!(read(""), ErrorBody::default());
    }

    #[test]
    fn a_refusal_answered_with_200_is_an_error() {
        let p = Provider::RangerMsp;
        let body =
            serde_json::json!({"success": false, "message": "Database is down for maintenance"});
        let e = refusal_in_success(p, "ticket", StatusCode::OK, &body).unwrap();
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.message(), Some("Database is down for maintenance"));
        let body = serde_json::json!({"error": {"code": "Locked", "message": "Record locked"}});
        let e = refusal_in_success(p, "ticket", StatusCode::OK, &body).unwrap();
        assert_eq!(e.code(), Some("Locked"));
        let fine = serde_json::json!({"data": {"TicketREC_ID": "x"}, "error": null});
        assert!(refusal_in_success(p, "ticket", StatusCode::OK, &fine).is_none());
    }
}
