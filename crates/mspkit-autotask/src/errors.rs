//! Autotask's error bodies: `{"errors": ["..."]}`, often with HTTP 500 for
//! what is really a refused credential or a refused request.

use mspkit_core::ErrorKind;
use mspkit_core::http::ErrorBody;
use reqwest::StatusCode;
use serde_json::Value;

/// Messages that mean the credentials (user, integration code, secret) were
/// refused, whatever the status.
const CREDENTIAL_MESSAGES: [&str; 6] = [
    "integrationcode is invalid",
    "integration code is invalid",
    "zone information could not be determined",
    "unauthorized",
    "authentication failed",
    "user is not authenticated",
];

/// Messages that mean the request budget or the thread limit was hit.
const THROTTLE_MESSAGES: [&str; 3] = ["threshold", "thread limit", "too many requests"];

/// Reads an Autotask error body. A 5xx whose body carries Autotask's own
/// `errors` list is a refusal, not a server failure: it becomes
/// `Unauthorized` for credential messages, `RateLimited` for threshold
/// messages, and `Api` (not retried) for the rest.
pub(crate) fn parse_error(status: StatusCode, body: &[u8]) -> ErrorBody {
    let mut parsed = ErrorBody::parse_generic(status, body);
    let messages = error_messages(body);
    if messages.is_empty() {
        return parsed;
    }
    parsed.message = Some(messages.join("; "));
    parsed.details = if messages.len() > 1 {
        messages.clone()
    } else {
        Vec::new()
    };
    let lower = messages.join(" ").to_ascii_lowercase();
    let says = |list: &[&str]| list.iter().any(|m| lower.contains(m));
    parsed.kind = if says(&CREDENTIAL_MESSAGES) && status != StatusCode::FORBIDDEN {
        Some(ErrorKind::Unauthorized)
    } else if says(&THROTTLE_MESSAGES) {
        Some(ErrorKind::RateLimited)
    } else if status.is_server_error() {
        Some(ErrorKind::Api)
    } else {
        None
    };
    parsed
}

fn error_messages(body: &[u8]) -> Vec<String> {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let list = v.get("errors").or_else(|| v.get("Errors"));
    match list {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                Value::Object(o) => o
                    .get("message")
                    .or_else(|| o.get("Message"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What to check when a call fails before Autotask has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/autotask.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "username must be an API-only user (security level API User) with its current secret, and integration_code that user's API Tracking Identifier",
        ),
        (K::Forbidden, _) => Some(
            "the API user's security level: it must be allowed to read companies, contacts, tickets and contracts",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url is the wrong zone; leave it out to look the zone up from the user name",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_500_naming_the_integration_code_is_unauthorized() {
        let p = parse_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            br#"{"errors":["IntegrationCode is invalid."]}"#,
        );
        assert_eq!(p.kind, Some(ErrorKind::Unauthorized));
        assert_eq!(p.message.as_deref(), Some("IntegrationCode is invalid."));
    }

    #[test]
    fn a_plain_500_stays_a_server_error() {
        let p = parse_error(StatusCode::INTERNAL_SERVER_ERROR, b"Internal Server Error");
        assert_eq!(p.kind, None);
    }
}
