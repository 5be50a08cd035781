//! Automate's error bodies: ASP.NET Web API's `{"Message": "..."}`, with
//! `MessageDetail` or `ExceptionMessage` where the server adds them (a
//! condition it cannot parse). No captured body was published: the shape
//! is inferred from the platform's stack, and anything else is read by the
//! generic reader.

use mspkit_core::http::ErrorBody;
use reqwest::StatusCode;
use serde_json::Value;

/// Reads an Automate error body.
pub(crate) fn parse_error_body(status: StatusCode, body: &[u8]) -> ErrorBody {
    let mut parsed = ErrorBody::parse_generic(status, body);
    if let Ok(Value::Object(doc)) = serde_json::from_slice::<Value>(body) {
        for key in ["MessageDetail", "ExceptionMessage"] {
            if let Some(Value::String(s)) = doc.get(key) {
                let s = s.trim();
                if !s.is_empty() && parsed.message.as_deref() != Some(s) {
                    parsed.details.push(s.to_owned());
                }
            }
        }
    }
    parsed
}

/// What to check when a call fails before Automate has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/automate.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        // The sign-in answers 401 and 403 alike as a refused login.
        (K::Unauthorized, Some(403)) | (K::Forbidden, _) => Some(
            "client_id: the integrator ClientId GUID registered with ConnectWise (required since Automate 2020.11); a 403 after signing in is the user's class lacking permission for that area",
        ),
        (K::Unauthorized, _) => Some(
            "username and password (a user that signs in through single sign-on only cannot use the API), and two_factor_passcode if the account requires two-factor authentication (a passcode is good for one sign-in: unattended syncs need an API user without it)",
        ),
        // A 404 at sign-in or on a call: the wrong host.
        (K::NotFound, _) | (K::Api, Some(404)) => Some(
            "if every call gets 404: server must be the host the Automate web client runs on, which serves the API under /cwa/api/v1 (not a Control or Manage host)",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_and_detail_are_read() {
        let b = parse_error_body(
            StatusCode::BAD_REQUEST,
            br#"{"Message":"The request is invalid.","MessageDetail":"Unknown field 'Foo' in condition"}"#,
        );
        assert_eq!(b.message.as_deref(), Some("The request is invalid."));
        assert_eq!(b.details, vec!["Unknown field 'Foo' in condition"]);
        let plain = parse_error_body(StatusCode::UNAUTHORIZED, b"");
        assert_eq!(plain, ErrorBody::default());
    }
}
