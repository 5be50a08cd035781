//! Unleashed's error bodies, and what to check on first contact.

use mspkit_core::ErrorKind;
use mspkit_core::http::ErrorBody;
use mspkit_core::reqwest::StatusCode;
use serde_json::Value;

/// Reads Unleashed's error bodies: `{"Description": ...}`, or a list of
/// `{"Field", "Description"}` items. A 403 is how Unleashed answers a wrong
/// signature or API id, so its message says that.
pub(crate) fn parse_error_body(status: StatusCode, body: &[u8]) -> ErrorBody {
    let mut parsed = ErrorBody::parse_generic(status, body);
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        let items = match &v {
            Value::Array(items) => Some(items),
            Value::Object(o) => o.get("Items").and_then(Value::as_array),
            _ => None,
        };
        for item in items.into_iter().flatten() {
            let text = |k: &str| {
                item.get(k)
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
            };
            if let Some(desc) = text("Description").or_else(|| text("Message")) {
                parsed.details.push(match text("Field") {
                    Some(f) => format!("{f}: {desc}"),
                    None => desc.to_owned(),
                });
            }
        }
    }
    if status == StatusCode::FORBIDDEN {
        let server = parsed
            .message
            .take()
            .or_else(|| parsed.details.first().cloned());
        let mut message = "Unleashed refused the request signature or API id (403 Forbidden): \
                           check api_id and api_key"
            .to_owned();
        if let Some(server) = server.filter(|s| !s.eq_ignore_ascii_case("forbidden")) {
            message.push_str(&format!(" (server said: {server})"));
        }
        parsed.message = Some(message);
        parsed.kind = Some(ErrorKind::Forbidden);
    }
    parsed
}

/// What to check when a call fails before Unleashed has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/unleashed.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Forbidden, _) => Some(
            "api_id (the GUID) and api_key (the long key beside it) are not swapped, were copied whole and belong to this organisation; a proxy that rewrites query strings breaks the signature",
        ),
        (K::Unauthorized, _) => Some(
            "that API access is still enabled in Unleashed, and that no proxy strips the api-auth-id and api-auth-signature headers",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url; leave it unset for a real account (https://api.unleashedsoftware.com)",
        ),
        _ => None,
    }
}
