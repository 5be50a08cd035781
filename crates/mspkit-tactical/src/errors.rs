//! Tactical RMM's error bodies.
//!
//! Tactical is a Django REST Framework server, and answers errors in three
//! shapes:
//! - its own `notify_error(...)`: HTTP 400 whose body is a bare JSON string
//!   (`"monitoring type does not exist"`);
//! - DRF's exceptions (401, 403, 404, 405): `{"detail": "Invalid token."}`;
//! - DRF's validation errors: 400 with `{"field": ["message", ...]}` (or
//!   `non_field_errors`).
//!
//! Anything else (an nginx or uwsgi page on a 502, Django's HTML 404 for an
//! unknown route) has no readable message; the error then quotes the start
//! of the body.

use mspkit_core::http::ErrorBody;
use mspkit_core::reqwest::StatusCode;
use serde_json::Value;

/// Reads one of Tactical's error bodies.
pub(crate) fn parse_error_body(_status: StatusCode, body: &[u8]) -> ErrorBody {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return ErrorBody::default();
    };
    match value {
        Value::String(s) => ErrorBody {
            message: non_blank(s),
            ..ErrorBody::default()
        },
        Value::Array(items) => ErrorBody {
            details: items.iter().map(text).collect(),
            ..ErrorBody::default()
        },
        Value::Object(map) => {
            let mut out = ErrorBody::default();
            for (field, v) in &map {
                match field.as_str() {
                    "detail" => out.message = non_blank(text(v)),
                    "non_field_errors" => out.message = non_blank(text(v)),
                    _ => out.details.push(format!("{field}: {}", text(v))),
                }
            }
            out
        }
        _ => ErrorBody::default(),
    }
}

fn non_blank(s: String) -> Option<String> {
    (!s.trim().is_empty()).then_some(s)
}

/// A message, or a list of messages joined.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// What to check when a call fails before Tactical RMM has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/tactical.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "api_key (Settings > Global Settings > API Keys): not mistyped, deleted or expired, and its user active; a reverse proxy may drop the X-API-KEY header",
        ),
        (K::Forbidden, _) => Some(
            "the role of the API key's user: it needs permission to list clients, agents, alerts and software",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url must be the install's api host (https://api.example.com), not the rmm. or mesh. host",
        ),
        // The web UI answers every path with its page.
        (K::Decode, _) => Some(
            "a web page came back: base_url must be the install's api host (https://api.example.com), not the rmm. host of the web UI",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ErrorBody {
        parse_error_body(StatusCode::BAD_REQUEST, body.as_bytes())
    }

    #[test]
    fn reads_bare_strings_details_and_field_errors() {
        assert_eq!(
            parse(r#""monitoring type does not exist""#)
                .message
                .as_deref(),
            Some("monitoring type does not exist")
        );
        assert_eq!(
            parse(r#"{"detail": "Invalid token."}"#).message.as_deref(),
            Some("Invalid token.")
        );
        let fields = parse(r#"{"name": ["This field is required."], "site": ["Invalid pk."]}"#);
        assert_eq!(fields.message, None);
        assert_eq!(
            fields.details,
            ["name: This field is required.", "site: Invalid pk."]
        );
        assert_eq!(
            parse(r#"{"non_field_errors": ["Bad input."]}"#)
                .message
                .as_deref(),
            Some("Bad input.")
        );
        assert_eq!(
            parse("<html><h1>Bad Gateway</h1></html>"),
            ErrorBody::default()
        );
        assert_eq!(parse(r#""""#).message, None);
    }
}
