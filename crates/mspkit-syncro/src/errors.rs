//! Syncro's error bodies, which come in several shapes:
//!
//! - `{"error": "Customer required field"}`;
//! - `{"errors": "Email is not an email"}` (beside the `record` refused),
//!   `{"errors": ["...", "..."]}` or `{"errors": {"mute_for": ["is not valid"]}}`;
//! - `{"message": "Not found"}` or `{"success": false, "message": ["Subject can't be blank"]}`;
//! - `{"success": false}` alone, sometimes with status 200.
//!
//! All of them are read into one message (the parts joined with `; `), the
//! parts also kept as details when there are several.

use mspkit_core::http::ErrorBody;
use mspkit_core::reqwest::StatusCode;
use mspkit_core::{Error, ErrorKind, Provider};
use serde_json::{Map, Value};

/// The message when a body says only `"success": false`.
const UNSUCCESSFUL: &str = "Syncro answered success: false";

/// Reads a Syncro error body (any of the shapes above). A body that is not
/// JSON (an HTML error page, plain text) gives nothing, and the error quotes
/// the start of the body instead.
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

fn from_object(map: &Map<String, Value>) -> ErrorBody {
    let mut parts: Vec<String> = Vec::new();
    for key in ["error", "errors", "message"] {
        if let Some(v) = map.get(key) {
            collect(v, &mut parts);
        }
    }
    parts.dedup();
    let unsuccessful = is_unsuccessful(map);
    let message = match parts.len() {
        0 if unsuccessful => Some(UNSUCCESSFUL.to_owned()),
        0 => None,
        _ => Some(parts.join("; ")),
    };
    let details = if parts.len() > 1 { parts } else { Vec::new() };
    ErrorBody {
        code: None,
        message,
        details,
        kind: None,
    }
}

/// The texts of one error value: a string, a list of them, or an object of
/// field → message(s) (`mute_for: is not valid`).
fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(items) => {
            for item in items {
                collect(item, out);
            }
        }
        Value::Object(fields) => {
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
    match map.get("success") {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// A 2xx answer that is a refusal (`{"success": false, ...}`) as the error
/// it is: never read as data.
pub(crate) fn refusal_in_success(
    provider: Provider,
    operation: &'static str,
    status: StatusCode,
    body: &Value,
) -> Option<Error> {
    let Value::Object(map) = body else {
        return None;
    };
    if !is_unsuccessful(map) {
        return None;
    }
    let parsed = from_object(map);
    Some(
        Error::new(provider, operation, ErrorKind::Api)
            .with_status(status.as_u16())
            .with_message(parsed.message.unwrap_or_else(|| UNSUCCESSFUL.to_owned()))
            .with_details(parsed.details)
            .with_reached_server(true),
    )
}

/// What to check when a call fails before Syncro has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/syncro.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "api_key (an API token from your profile > API Tokens, not revoked) and that token's permissions for this call",
        ),
        (K::Forbidden, _) => {
            Some("the token's user and custom permissions: they must allow this resource")
        }
        (K::NotFound, _) => Some(
            "if every call gets 404: subdomain (acme of acme.syncromsp.com), or a base_url that ends at the API root",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> ErrorBody {
        parse_error_body(StatusCode::UNPROCESSABLE_ENTITY, body.as_bytes())
    }

    #[test]
    fn error_as_a_string() {
        let b = read(r#"{"error": "Customer required field"}"#);
        assert_eq!(b.message.as_deref(), Some("Customer required field"));
        assert!(b.details.is_empty());
        let b = read(
            r#"{"error": "Not authorized. Please ask account admin to update your group permissions."}"#,
        );
        assert_eq!(
            b.message.as_deref(),
            Some("Not authorized. Please ask account admin to update your group permissions.")
        );
    }

    #[test]
    fn errors_as_a_string_beside_the_record() {
        let b =
            read(r#"{"record": {"id": null, "email": "xxx"}, "errors": "Email is not an email"}"#);
        assert_eq!(b.message.as_deref(), Some("Email is not an email"));
    }

    #[test]
    fn errors_as_an_array() {
        let b = read(r#"{"errors": ["Name can't be blank", "Customer can't be blank"]}"#);
        assert_eq!(
            b.message.as_deref(),
            Some("Name can't be blank; Customer can't be blank")
        );
        assert_eq!(b.details.len(), 2);
    }

    #[test]
    fn errors_as_an_object_of_fields() {
        let b = read(r#"{"errors": {"mute_for": ["is not valid"]}}"#);
        assert_eq!(b.message.as_deref(), Some("mute_for: is not valid"));
        let b = read(r#"{"errors": {"email": ["is invalid", "is taken"], "name": "is blank"}}"#);
        assert_eq!(
            b.message.as_deref(),
            Some("email: is invalid, is taken; name: is blank")
        );
        assert_eq!(b.details, ["email: is invalid, is taken", "name: is blank"]);
    }

    #[test]
    fn message_as_a_string() {
        let b = read(r#"{"message": "Not found"}"#);
        assert_eq!(b.message.as_deref(), Some("Not found"));
    }

    #[test]
    fn message_as_an_array_with_success_false() {
        let b = read(r#"{"success": false, "message": ["Subject can't be blank"]}"#);
        assert_eq!(b.message.as_deref(), Some("Subject can't be blank"));
        let b = read(
            r#"{"success": false, "message": ["Body can't be blank", "Subject can't be blank"]}"#,
        );
        assert_eq!(
            b.message.as_deref(),
            Some("Body can't be blank; Subject can't be blank")
        );
        assert_eq!(b.details, ["Body can't be blank", "Subject can't be blank"]);
        let b = read(
            r#"{"success": false, "message": ["Asset type can't be blank"], "params": {"name": "No type"}}"#,
        );
        assert_eq!(b.message.as_deref(), Some("Asset type can't be blank"));
    }

    #[test]
    fn success_false_alone() {
        let b = read(r#"{"success": false}"#);
        assert_eq!(b.message.as_deref(), Some(UNSUCCESSFUL));
        let b = read(r#"{"success": "false"}"#);
        assert_eq!(b.message.as_deref(), Some(UNSUCCESSFUL));
    }

    #[test]
    fn bodies_that_are_not_json_give_nothing() {
        assert_eq!(read("<html>Bad Gateway</html>"), ErrorBody::default());
        assert_eq!(read(""), ErrorBody::default());
        assert_eq!(read(r#"{"record": {}}"#), ErrorBody::default());
    }

    #[test]
    fn a_refusal_answered_with_200_is_an_error() {
        let body = serde_json::json!({"success": false, "message": ["Subject can't be blank"]});
        let e = refusal_in_success(Provider::Syncro, "update_ticket", StatusCode::OK, &body)
            .expect("a refusal");
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.message(), Some("Subject can't be blank"));
        assert_eq!(e.status(), Some(200));
        let fine = serde_json::json!({"success": true, "ticket": {}});
        assert!(refusal_in_success(Provider::Syncro, "x", StatusCode::OK, &fine).is_none());
    }
}
