//! Zendesk's error bodies, in the three shapes it answers with:
//!
//! - `{"error": "RecordNotFound", "description": "Not found"}` (a code and a
//!   message; a 401 carries only `{"error": "Couldn't authenticate you"}`),
//!   with field errors in `details` on a 422
//!   (`{"details": {"status": [{"description": "..."}]}}`);
//! - `{"error": {"title": "Invalid attribute", "message": "..."}}`;
//! - `{"errors": [{"code": "TooManyRequests", "title": "...", "detail": "..."}]}`.
//!
//! A 429 may come as plain text; its status says enough.

use mspkit_core::http::ErrorBody;
use reqwest::StatusCode;
use serde_json::{Map, Value};

/// Reads a Zendesk error body.
pub(crate) fn parse_error(status: StatusCode, body: &[u8]) -> ErrorBody {
    let Ok(Value::Object(v)) = serde_json::from_slice::<Value>(body) else {
        return ErrorBody::default();
    };
    let mut out = ErrorBody::default();
    match v.get("error") {
        Some(Value::String(error)) => {
            match text(&v, "description") {
                Some(description) => {
                    out.code = Some(error.clone());
                    out.message = Some(description);
                }
                // `{"error": "Couldn't authenticate you"}`: a message; a
                // bare identifier (`"Forbidden"`) is a code as well.
                None => {
                    if is_code(error) {
                        out.code = Some(error.clone());
                    }
                    out.message = Some(error.clone());
                }
            }
        }
        Some(Value::Object(error)) => {
            let title = text(error, "title");
            let message = text(error, "message");
            out.message = match (title, message) {
                (Some(t), Some(m)) => Some(format!("{t}: {m}")),
                (t, m) => m.or(t),
            };
        }
        _ => {}
    }
    if let Some(Value::Array(errors)) = v.get("errors") {
        let entries: Vec<(Option<String>, String)> = errors
            .iter()
            .filter_map(|e| {
                let e = e.as_object()?;
                let title = text(e, "title");
                let detail = text(e, "detail");
                let said = match (title, detail) {
                    (Some(t), Some(d)) => format!("{t}: {d}"),
                    (t, d) => d.or(t)?,
                };
                Some((text(e, "code"), said))
            })
            .collect();
        if let Some((code, said)) = entries.first() {
            out.code = out.code.take().or_else(|| code.clone());
            out.message = out.message.take().or_else(|| Some(said.clone()));
        }
        if entries.len() > 1 {
            out.details = entries
                .into_iter()
                .map(|(code, said)| match code {
                    Some(c) => format!("{c}: {said}"),
                    None => said,
                })
                .collect();
        }
    }
    if let Some(Value::Object(details)) = v.get("details") {
        out.details.extend(field_errors(details));
    }
    if out.message.is_none() && out.details.is_empty() {
        // Not one of Zendesk's shapes: the generic reader may still find a message.
        return ErrorBody::parse_generic(status, body);
    }
    out
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// `RecordNotFound`, `InvalidEndpoint`: one word, no spaces.
fn is_code(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `{"status": [{"description": "...", "error": "..."}]}` as `status: ...`.
fn field_errors(details: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (field, errors) in details {
        let list = match errors {
            Value::Array(list) => list.clone(),
            other => vec![other.clone()],
        };
        for e in list {
            let said = match &e {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => text(o, "description").or_else(|| text(o, "error")),
                _ => None,
            };
            if let Some(said) = said {
                out.push(format!("{field}: {said}"));
            }
        }
    }
    out
}

/// What to check when a call fails before Zendesk has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/zendesk.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "email and api_token (the address of the agent who owns the token; sent as email/token) or oauth_token (an access token of this account), and that Token access is turned on in Admin Center (Apps and integrations > APIs > Zendesk API)",
        ),
        (K::Forbidden, _) => Some(
            "the user's role: an admin or a full agent (end-users and light agents are refused; the incremental exports behind updated_since are for admins only)",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: subdomain (the `acme` of acme.zendesk.com; a host-mapped help-center domain is not an API host) or base_url",
        ),
        (K::RateLimited, _) => Some(
            "the plan's per-minute limit (Team 200, Growth and Professional 400, Enterprise 700, Enterprise Plus 2,500), shared with the account's other integrations: lower rate_limit",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(status: u16, body: &str) -> ErrorBody {
        parse_error(StatusCode::from_u16(status).unwrap(), body.as_bytes())
    }

    #[test]
    fn a_code_and_a_description() {
        let p = parse(
            404,
            r#"{"error":"RecordNotFound","description":"Not found"}"#,
        );
        assert_eq!(p.code.as_deref(), Some("RecordNotFound"));
        assert_eq!(p.message.as_deref(), Some("Not found"));
        let p = parse(401, r#"{"error":"Couldn't authenticate you"}"#);
        assert_eq!(p.code, None);
        assert_eq!(p.message.as_deref(), Some("Couldn't authenticate you"));
    }

    #[test]
    fn an_error_object() {
        let p = parse(
            400,
            r#"{"error":{"title":"Invalid attribute","message":"You passed an invalid value for the page attribute."}}"#,
        );
        assert_eq!(
            p.message.as_deref(),
            Some("Invalid attribute: You passed an invalid value for the page attribute.")
        );
    }

    #[test]
    fn an_errors_list_and_field_details() {
        let p = parse(
            429,
            r#"{"errors":[{"code":"TooManyRequests","title":"Too many requests to update"}]}"#,
        );
        assert_eq!(p.code.as_deref(), Some("TooManyRequests"));
        assert_eq!(p.message.as_deref(), Some("Too many requests to update"));
        let p = parse(
            422,
            r#"{"error":"RecordInvalid","description":"Record validation errors","details":{"status":[{"description":"Status: closed prevents ticket update","error":"InvalidValue"}]}}"#,
        );
        assert_eq!(p.code.as_deref(), Some("RecordInvalid"));
        assert_eq!(p.details, ["status: Status: closed prevents ticket update"]);
    }

    #[test]
    fn plain_text_is_left_to_the_status() {
        assert_eq!(parse(429, "Too Many Requests"), ErrorBody::default());
    }
}
