//! Datto RMM's error bodies, and what to check on first contact.

use mspkit_core::ErrorKind;
use mspkit_core::http::ErrorBody;
use reqwest::StatusCode;
use serde_json::Value;

/// Words that only the temporary IP block's answer (a gateway's page or a
/// short text) carries; a permissions 403 from the API says "Access Denied"
/// or names the resource.
const IP_BLOCK_HINTS: [&str; 6] = [
    "blocked",
    "too many",
    "rate limit",
    "ratelimit",
    "ip address",
    "temporarily",
];

/// What mspkit says when Datto RMM has blocked the caller's IP address.
pub const IP_BLOCK_MESSAGE: &str = "Datto RMM has temporarily blocked this IP address after \
     repeated requests over its rate limit (600 reads per rolling 60 seconds); wait at least \
     5 minutes before sending more requests, and lower the request rate";

/// Reads Datto RMM's error bodies: Spring's `{"timestamp", "status",
/// "error", "message", "path"}`, OAuth2's `{"error", "error_description"}`,
/// or text. A 403 that is the temporary IP block (after repeated requests
/// over the rate limit) is still `Forbidden`, but its message says so,
/// rather than reading as a missing permission.
pub fn error_body(status: StatusCode, body: &[u8]) -> ErrorBody {
    let mut parsed = ErrorBody::parse_generic(status, body);
    if status != StatusCode::FORBIDDEN {
        return parsed;
    }
    let text = String::from_utf8_lossy(body).to_lowercase();
    let says_blocked = IP_BLOCK_HINTS.iter().any(|h| text.contains(h));
    // The API's own 403s are JSON objects; an empty answer or a page from
    // the gateway in front of it is what the IP block looks like.
    let not_api_json = serde_json::from_slice::<Value>(body).map_or(true, |v| !v.is_object());
    if !(says_blocked || not_api_json) {
        return parsed;
    }
    let said = parsed
        .message
        .take()
        .unwrap_or_else(|| mspkit_core::error::snippet(body));
    let lead = if says_blocked {
        IP_BLOCK_MESSAGE.to_owned()
    } else {
        format!(
            "HTTP 403 without an API error body, which is how the IP block answers: {IP_BLOCK_MESSAGE}"
        )
    };
    parsed.message = Some(if said.is_empty() {
        lead
    } else {
        format!("{lead} (server said: {said})")
    });
    parsed.kind = Some(ErrorKind::Forbidden);
    parsed
}

/// What to check when a call fails before Datto RMM has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/datto.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "api_key and api_secret (a regenerated secret voids the old one), and platform: the keys work only on the platform in the user's API URL",
        ),
        (K::Forbidden, _) => Some(
            "that Enable API Access is on (Setup > Global Settings > Access Control) and the user's security level allows API access; a 403 after many 429s is a temporary IP block (wait five minutes)",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url must be the API host ({platform}-api.centrastage.net), not the web portal",
        ),
        _ => None,
    }
}
