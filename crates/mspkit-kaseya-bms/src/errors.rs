//! BMS's envelope and its errors.
//!
//! Every BMS API 2.0 answer is an envelope, `{"success", "error", "result"}`
//! (lists add `"totalRecords"`), and failures usually come with HTTP 200:
//! `{"success": false, "error": {"code": 400, "message": "...",
//! "details": ..., "stackStrace": ..., "subErrors": [...]}, "result": null}`.
//! Such a body is an [`Error`] with the platform's code and message, never
//! data and never an empty list:
//! - single calls read their body through [`result`];
//! - list walks read every page whole through [`page_check`] before looking
//!   for their items under `result`;
//! - a non-2xx answer in the same shape is read by [`parse_error_body`].

use mspkit_core::http::{ErrorBody, decode_value};
use mspkit_core::list::PageVerdict;
use mspkit_core::reqwest::StatusCode;
use mspkit_core::{Error, ErrorKind, Provider, Result};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api::ErrorInfo;

const P: Provider = Provider::KaseyaBms;

/// The message when a refusal says nothing more.
const UNSUCCESSFUL: &str = "BMS answered success: false";

/// A top-level field, in either spelling (`success` or `Success`).
fn field<'a>(map: &'a Map<String, Value>, camel: &str) -> Option<&'a Value> {
    map.get(camel).or_else(|| {
        let mut pascal = camel.to_owned();
        if let Some(first) = pascal.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        map.get(&pascal)
    })
}

/// Whether an envelope says `success: false`.
fn unsuccessful(map: &Map<String, Value>) -> bool {
    match field(map, "success") {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// What a refusal says: code, message and the lines beside it.
struct Said {
    code: Option<String>,
    message: Option<String>,
    details: Vec<String>,
}

fn said(info: Option<&Value>) -> Said {
    let info: ErrorInfo = info
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let code = match info.code {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    };
    let mut details: Vec<String> = info
        .sub_errors
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
    if let Some(d) = info.details.filter(|d| !d.trim().is_empty()) {
        details.push(d);
    }
    Said {
        code,
        message: info.message.filter(|m| !m.trim().is_empty()),
        details,
    }
}

/// What a platform code means: an HTTP-like code (`404`) says it by itself;
/// any other code is an `Api` error.
fn kind_of(code: Option<&str>) -> ErrorKind {
    match code.and_then(|c| c.parse::<u16>().ok()) {
        Some(n @ 400..=599) => StatusCode::from_u16(n)
            .map(ErrorKind::from_status)
            .unwrap_or(ErrorKind::Api),
        _ => ErrorKind::Api,
    }
}

fn refusal_error(op: &'static str, status: u16, s: Said) -> Error {
    let kind = kind_of(s.code.as_deref());
    let message = s
        .message
        .or_else(|| s.details.first().cloned())
        .unwrap_or_else(|| UNSUCCESSFUL.to_owned());
    let mut e = Error::new(P, op, kind)
        .with_status(status)
        .with_message(message)
        .with_details(s.details)
        .with_reached_server(true);
    if let Some(code) = s.code {
        e = e.with_code(code);
    }
    e
}

/// A body that says `success: false`, as the error it is.
pub(crate) fn refusal(op: &'static str, status: u16, body: &Value) -> Option<Error> {
    let Value::Object(map) = body else {
        return None;
    };
    unsuccessful(map).then(|| refusal_error(op, status, said(field(map, "error"))))
}

/// Reads a non-2xx answer: BMS's envelope (`error.message`, `error.code`,
/// `subErrors`), else the common shapes (an ASP.NET `{"message"}`, an
/// OAuth `{"error_description"}`).
pub(crate) fn parse_error_body(status: StatusCode, body: &[u8]) -> ErrorBody {
    let mut parsed = ErrorBody::parse_generic(status, body);
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        if let Some(info @ Value::Object(_)) = field(&map, "error") {
            let s = said(Some(info));
            if s.message.is_some() {
                parsed.message = s.message;
            }
            if s.code.is_some() {
                parsed.code = s.code;
            }
            if !s.details.is_empty() {
                parsed.details = s.details;
            }
        }
    }
    parsed
}

/// The `result` of a single call's envelope, decoded, with its original
/// JSON. `success: false` is the platform's error; an envelope without a
/// result is a `Decode` error. Where the spec declares a bare object
/// (`crm/accounts/summary/{id}`), `bare_ok` accepts one; `null` there is
/// "not found".
pub(crate) fn result<T: DeserializeOwned>(
    op: &'static str,
    status: u16,
    body: &[u8],
    bare_ok: bool,
) -> Result<(T, Value)> {
    let value: Value = mspkit_core::http::decode_json(P, op, body)?;
    if let Some(e) = refusal(op, status, &value) {
        return Err(e);
    }
    let inner = match value {
        Value::Object(mut map) if field(&map, "success").is_some() => {
            let key = if map.contains_key("result") {
                "result"
            } else {
                "Result"
            };
            match map.remove(key) {
                Some(Value::Null) | None => {
                    return Err(Error::decode(
                        P,
                        op,
                        "result",
                        "the answer says success but holds no result",
                        &Value::Object(map).to_string(),
                    ));
                }
                Some(v) => v,
            }
        }
        Value::Null if bare_ok => {
            return Err(Error::new(P, op, ErrorKind::NotFound)
                .with_status(status)
                .with_message("BMS answered null")
                .with_reached_server(true));
        }
        other if bare_ok => other,
        other => {
            return Err(Error::decode(
                P,
                op,
                ".",
                "the answer is not a BMS envelope (no `success`)",
                &other.to_string(),
            ));
        }
    };
    Ok((decode_value(P, op, inner.clone())?, inner))
}

/// BMS's reading of a list page, for the kit's walk
/// ([`ListRequest::check_page`](mspkit_core::list::ListRequest::check_page)):
/// a page that says `success: false` is the platform's refusal (its full
/// error object: code, message, `subErrors`), whatever its `result` holds;
/// any other page is read for its `result` list.
pub(crate) fn page_check(
    op: &'static str,
) -> impl Fn(&Value) -> Result<PageVerdict> + Send + Sync + 'static {
    move |page| match refusal(op, 200, page) {
        Some(refused) => Err(refused),
        None => Ok(PageVerdict::List),
    }
}

/// What to check when a call fails before BMS has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/kaseya-bms.md`).
pub(crate) fn first_contact(kind: ErrorKind, status: Option<u16>) -> Option<&'static str> {
    match (kind, status) {
        // A refused sign-in (200 with success: false) or a refused token.
        (ErrorKind::Unauthorized, _) => Some(
            "tenant (the company name typed at the BMS login page, exactly), username and password, and mfa_code if the user must give one at login (a code is valid only briefly: prefer a user without MFA)",
        ),
        (ErrorKind::Forbidden, _) => Some(
            "the user's security role: it needs the CRM and Service Desk modules (read, and write to create tickets and notes)",
        ),
        (ErrorKind::NotFound, _) => Some(
            "if every call gets 404: base_url must be your data centre's API host (api.bms.kaseya.com unless set; api.bmsemea.kaseya.com and the like elsewhere), not the web UI or the legacy /api",
        ),
        (ErrorKind::RateLimited, _) => Some(
            "BMS allows 1500 calls an hour per endpoint, shared with the tenant's other integrations",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const REFUSED: &str = r#"{"success":false,"error":{"code":400,"message":"Validation failed","details":null,"stackStrace":null,"subErrors":["LocationId is required"]},"result":null}"#;

    #[test]
    fn success_false_is_the_platforms_error() {
        let e = result::<Value>("create_ticket", 200, REFUSED.as_bytes(), false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.code(), Some("400"));
        assert_eq!(e.message(), Some("Validation failed"));
        assert_eq!(e.details(), ["LocationId is required"]);
        assert_eq!(e.status(), Some(200));
        let pascal = r#"{"Success":false,"Error":{"Code":404,"Message":"Ticket not found"}}"#;
        let e = result::<Value>("ticket", 200, pascal.as_bytes(), false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.message(), Some("Ticket not found"));
    }

    #[test]
    fn results_envelopes_and_bare_objects() {
        let (v, _) =
            result::<Value>("t", 200, br#"{"success":true,"result":{"id":1}}"#, false).unwrap();
        assert_eq!(v["id"], 1);
        assert!(result::<Value>("t", 200, br#"{"success":true,"result":null}"#, false).is_err());
        assert!(result::<Value>("t", 200, br#"{"id":1}"#, false).is_err());
        let (v, _) = result::<Value>("company", 200, br#"{"id":1}"#, true).unwrap();
        assert_eq!(v["id"], 1);
        let e = result::<Value>("company", 200, b"null", true).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }

    #[test]
    fn a_long_refusal_on_a_list_page_is_read_whole() {
        let check = page_check("tickets");
        let long = format!("Invalid filter: {}", "x".repeat(300));
        let page =
            json!({"success": false, "error": {"code": 400, "message": long}, "result": null});
        let e = check(&page).unwrap_err();
        assert_eq!(e.code(), Some("400"));
        assert!(e.message().unwrap().starts_with("Invalid filter: xxx"));
        assert_eq!(e.message(), Some(long.as_str()));
        assert_eq!(
            check(&json!({"success": true, "result": []})).unwrap(),
            PageVerdict::List
        );
        // The error object first, `success` after it.
        let error_first =
            json!({"error": {"code": 500, "message": "Query timed out: xx"}, "success": false});
        assert_eq!(check(&error_first).unwrap_err().code(), Some("500"));
        // A refusal with an (empty) list is still a refusal, never the end.
        let with_list =
            json!({"success": false, "error": {"code": 400, "message": "No"}, "result": []});
        assert_eq!(check(&with_list).unwrap_err().message(), Some("No"));
        assert_eq!(
            check(&json!({"error": null, "result": [{"id": 1}]})).unwrap(),
            PageVerdict::List
        );
        // Not an envelope: the kit's own decode error follows.
        assert_eq!(
            check(&json!({"message": "An error occurred"})).unwrap(),
            PageVerdict::List
        );
    }

    #[test]
    fn non_2xx_bodies() {
        let b = parse_error_body(StatusCode::BAD_REQUEST, REFUSED.as_bytes());
        assert_eq!(b.message.as_deref(), Some("Validation failed"));
        assert_eq!(b.code.as_deref(), Some("400"));
        let b = parse_error_body(StatusCode::UNAUTHORIZED, b"");
        assert_eq!(b, ErrorBody::default());
    }
}
