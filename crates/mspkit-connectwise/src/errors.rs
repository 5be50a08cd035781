//! ConnectWise's error bodies, and what to check on first contact.

use mspkit_core::ErrorKind;
use mspkit_core::http::ErrorBody;
use mspkit_core::reqwest::StatusCode;

use crate::api::ApiError;

/// Reads a ConnectWise error body. Each field error is kept as
/// `field: message [code]`. ConnectWise reports a refused key as code
/// `Unauthorized` or message `UserNotAuthenticated`, which counts as
/// unauthorized whatever the status.
pub(crate) fn parse_error_body(status: StatusCode, body: &[u8]) -> ErrorBody {
    let Ok(e) = serde_json::from_slice::<ApiError>(body) else {
        return ErrorBody::parse_generic(status, body);
    };
    let details = e
        .errors
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| {
            let message = f.message.or_else(|| f.code.clone())?;
            let mut text = match f.field.filter(|s| !s.is_empty()) {
                Some(field) => format!("{field}: {message}"),
                None => message,
            };
            if let Some(code) = f.code {
                text.push_str(&format!(" [{code}]"));
            }
            Some(text)
        })
        .collect();
    let refused = e.code.as_deref() == Some("Unauthorized")
        || e.message.as_deref() == Some("UserNotAuthenticated");
    ErrorBody {
        code: e.code,
        message: e.message.filter(|m| !m.is_empty()),
        details,
        kind: refused.then_some(ErrorKind::Unauthorized),
    }
}

/// What to check when a call fails before ConnectWise has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/connectwise.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "company_id (the company typed at login, not the company's name), the API member's public and private keys, and client_id (the integration's clientId from developer.connectwise.com)",
        ),
        (K::Forbidden, _) => Some(
            "the API member's security role: it must be allowed to read companies, contacts, service tickets and agreements",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url (the site people log into) and, on an on-premises server, codebase",
        ),
        _ => None,
    }
}
