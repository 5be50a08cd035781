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
