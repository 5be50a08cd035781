//! Freshservice's error bodies.
//!
//! Two shapes come back: a validation failure,
//! `{"description": "Validation failed", "errors": [{"field": "email",
//! "message": "It should be a valid email address", "code": "invalid_value"}]}`,
//! and a refusal, `{"code": "access_denied", "message": "..."}`. Both are
//! read leniently; a body that is neither (an empty 404, an HTML page) leaves
//! the status to speak for itself.

use mspkit_core::http::ErrorBody;
use mspkit_core::reqwest::StatusCode;
use serde_json::Value;

/// The code Freshworks answers when the account's plan lacks a feature
/// (contracts on a plan without them).
pub(crate) const REQUIRE_FEATURE: &str = "require_feature";

/// Reads a Freshservice error body into its code, message and field errors.
pub(crate) fn parse_error_body(status: StatusCode, body: &[u8]) -> ErrorBody {
    let mut parsed = ErrorBody::parse_generic(status, body);
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return parsed;
    };
    let text = |key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    // `{code, message}`: the message says what happened.
    // `{description, errors}`: the description does, each error says where.
    parsed.message = text("message").or_else(|| text("description"));
    if parsed.code.is_none() {
        // A validation failure has no code of its own; its field errors do.
        let codes: Vec<&str> = v
            .get("errors")
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e.get("code").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(first) = codes.first() {
            if codes.iter().all(|c| c == first) {
                parsed.code = Some((*first).to_owned());
            }
        }
    }
    parsed
}

/// What to check when a call fails before Freshservice has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/freshservice.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "api_key: the agent's own key from Profile settings, pasted alone (not with :X or Basic), of an agent still active",
        ),
        (K::Forbidden, _) => Some(
            "the agent's role: it must be allowed to read tickets and departments (or workspaces)",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: domain (acme of acme.freshservice.com; vanity domains do not serve the API)",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_are_read() {
        let v = parse_error_body(
            StatusCode::BAD_REQUEST,
            br#"{"description":"Validation failed","errors":[{"field":"email","message":"It should be a valid email address","code":"invalid_value"}]}"#,
        );
        assert_eq!(v.message.as_deref(), Some("Validation failed"));
        assert_eq!(v.code.as_deref(), Some("invalid_value"));
        assert_eq!(v.details, ["email: It should be a valid email address"]);

        let r = parse_error_body(
            StatusCode::FORBIDDEN,
            br#"{"code":"access_denied","message":"You are not authorized to perform this action."}"#,
        );
        assert_eq!(r.code.as_deref(), Some("access_denied"));
        assert_eq!(
            r.message.as_deref(),
            Some("You are not authorized to perform this action.")
        );
        assert_eq!(
            parse_error_body(StatusCode::NOT_FOUND, b""),
            ErrorBody::default()
        );
    }
}
