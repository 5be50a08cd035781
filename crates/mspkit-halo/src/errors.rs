//! Halo's error bodies.

use mspkit_core::http::ErrorBody;
use reqwest::StatusCode;
use serde_json::Value;

/// Reads what Halo answers on failure: `{"resultCode", "errorMessage"}`, a .NET
/// exception `{"ClassName", "Message"}`, `{"Message"}`, an OAuth `{"error"}`,
/// or plain text (quoted by the error as it is).
pub(crate) fn parse_error_body(status: StatusCode, body: &[u8]) -> ErrorBody {
    let mut parsed = ErrorBody::parse_generic(status, body);
    if let Ok(Value::Object(v)) = serde_json::from_slice::<Value>(body) {
        let text = |k: &str| match v.get(k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        if let Some(m) = text("errorMessage") {
            parsed.message = Some(m);
        }
        if parsed.code.is_none() {
            parsed.code = text("resultCode").or_else(|| text("ClassName"));
        }
        if let Some(Value::Object(state)) = v.get("ModelState") {
            for (field, msgs) in state {
                let msgs = match msgs {
                    Value::Array(a) => a
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.as_str().unwrap_or_default().to_owned(),
                };
                parsed.details.push(format!("{field}: {msgs}"));
            }
        }
    }
    parsed
}

/// What to check when a call fails before Halo has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/halo.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "tenant (the name on Halo's API Details page; hosted instances need it), and the client_id and client_secret of an API application using Client ID and Secret (Services)",
        ),
        (K::Api, Some(400)) => {
            Some("tenant, and that scope asks only for what the API application was given")
        }
        (K::Forbidden, _) => Some(
            "the API application's permissions (all, or the read: scopes needed) and those of the agent it logs in as",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url must be the Halo site agents open (https://acme.halopsa.com)",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halo_shapes_give_message_and_code() {
        let b = parse_error_body(
            StatusCode::BAD_REQUEST,
            br#"{"resultCode":1,"errorMessage":"Please select a Customer"}"#,
        );
        assert_eq!(b.message.as_deref(), Some("Please select a Customer"));
        assert_eq!(b.code.as_deref(), Some("1"));
        let b = parse_error_body(
            StatusCode::INTERNAL_SERVER_ERROR,
            br#"{"ClassName":"System.Exception","Message":"Ticket not found"}"#,
        );
        assert_eq!(b.message.as_deref(), Some("Ticket not found"));
        assert_eq!(b.code.as_deref(), Some("System.Exception"));
        assert_eq!(
            parse_error_body(StatusCode::BAD_REQUEST, b"Bad summary"),
            ErrorBody::default()
        );
    }
}
