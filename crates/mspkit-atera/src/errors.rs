//! Atera's error responses: RFC 7807 problem details on 400, 404 and 409
//! (`{"type", "title", "status", "detail", "instance"}`, ASP.NET adding
//! `errors` on validation failures), an empty body on 401.

use mspkit_core::http::ErrorBody;
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::Value;

/// What a 401 says when Atera sends nothing. On a first call the error's
/// hint ([`first_contact`]) lists what to check.
pub(crate) const UNAUTHORIZED_HINT: &str = "Atera refused the API key (Atera gives no reason: a wrong, expired or revoked key, or a call from an IP address not on the token's allow-list)";

/// What a 403 usually means.
const FORBIDDEN_HINT: &str = "the API token lacks the permission for this data (Atera tokens are granted Read/Write/Delete per domain: Agents, Alerts, Customers, Contacts, Tickets, Contracts, ...)";

/// An RFC 7807 problem details body.
#[derive(Debug, Default, Deserialize)]
struct Problem {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

/// Reads an Atera error response.
pub(crate) fn parse_error_body(status: StatusCode, body: &[u8]) -> ErrorBody {
    let problem: Option<Problem> = serde_json::from_slice::<Value>(body)
        .ok()
        .filter(|v| {
            v.get("title").is_some() || v.get("detail").is_some() || v.get("type").is_some()
        })
        .and_then(|v| serde_json::from_value(v).ok());
    let mut parsed = match problem {
        Some(p) => from_problem(status, body, p),
        None => ErrorBody::parse_generic(status, body),
    };
    let hint = match status {
        StatusCode::UNAUTHORIZED => Some(UNAUTHORIZED_HINT),
        StatusCode::FORBIDDEN => Some(FORBIDDEN_HINT),
        _ => None,
    };
    if let Some(hint) = hint {
        parsed.message = Some(match parsed.message.take() {
            Some(m) if !is_plain_reason(&m, status) => format!("{m} ({hint})"),
            _ => hint.to_owned(),
        });
    }
    parsed
}

fn from_problem(status: StatusCode, body: &[u8], p: Problem) -> ErrorBody {
    let mut out = ErrorBody::parse_generic(status, body);
    let title = p.title.filter(|t| !t.trim().is_empty());
    let detail = p.detail.filter(|d| !d.trim().is_empty());
    out.message = match (title, detail) {
        (_, Some(d)) => Some(d),
        (Some(t), None) => Some(t),
        (None, None) => out.message,
    };
    // `type` is a link to the RFC section of the status: no code in it;
    // ASP.NET's `errors` map became `details` above.
    out.code = None;
    out
}

/// `Unauthorized`, `Forbidden`: a message that only repeats the status.
fn is_plain_reason(message: &str, status: StatusCode) -> bool {
    let m = message.trim();
    m.is_empty()
        || status
            .canonical_reason()
            .is_some_and(|r| r.eq_ignore_ascii_case(m))
}

/// What to check when a call fails before Atera has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/atera.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "api_key is the whole key from Admin > API and has not expired, this machine's IP address is on the token's allow-list, and the account is not a trial (trials have no API access)",
        ),
        (K::Forbidden, _) => Some("the token's permissions under Admin > API"),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url; leave it unset for app.atera.com (the API is under /api/v3/ there)",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_details_give_their_detail_and_field_errors() {
        let body = br#"{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.4","title":"Not Found","status":404,"detail":"Alert 999999 was not found","instance":null}"#;
        let e = parse_error_body(StatusCode::NOT_FOUND, body);
        assert_eq!(e.message.as_deref(), Some("Alert 999999 was not found"));
        assert_eq!(e.code, None);
        let body = br#"{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.1","title":"One or more validation errors occurred.","status":400,"errors":{"TicketTitle":["The TicketTitle field is required."]}}"#;
        let e = parse_error_body(StatusCode::BAD_REQUEST, body);
        assert_eq!(
            e.message.as_deref(),
            Some("One or more validation errors occurred.")
        );
        assert_eq!(
            e.details,
            ["TicketTitle: The TicketTitle field is required."]
        );
    }

    #[test]
    fn an_empty_401_still_says_what_to_check() {
        let e = parse_error_body(StatusCode::UNAUTHORIZED, b"");
        let m = e.message.unwrap();
        assert!(m.contains("allow-list") && m.contains("expired"), "{m}");
        let e = parse_error_body(StatusCode::FORBIDDEN, br#"{"message":"Forbidden"}"#);
        assert!(e.message.unwrap().starts_with("the API token lacks"));
    }
}
