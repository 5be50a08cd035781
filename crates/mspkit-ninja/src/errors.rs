//! NinjaOne's error bodies, and what to check on first contact.

use mspkit_core::http::ErrorBody;
use mspkit_core::reqwest::StatusCode;
use serde_json::Value;

/// NinjaOne's error bodies: `{"resultCode": "...", "errorMessage": "..."}`
/// from the API, RFC 6749 `{"error": "...", "error_description": "..."}`
/// from OAuth; anything else is read by the generic reader.
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
    if let Some(message) = text("errorMessage") {
        parsed.message = Some(message);
    }
    if let Some(code) = text("resultCode") {
        parsed.code = Some(code);
    }
    if let (Some(code), Some(description)) = (text("error"), text("error_description")) {
        parsed.code = Some(code);
        parsed.message = Some(description);
    }
    parsed
}

/// What to check when a call fails before NinjaOne has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/ninja.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "client_id and client_secret, and region (or base_url): an API application exists only on the instance it was created on",
        ),
        (K::Api, Some(400)) => Some(
            "that the application's platform is API Services (machine-to-machine) and that it has every scope asked for",
        ),
        (K::Forbidden, _) => Some(
            "the application's scopes (Monitoring, Management) and the technician role behind it",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url must be the instance you sign in to (https://eu.ninjarmm.com), or set region",
        ),
        _ => None,
    }
}
