//! Reading a provider's error response into an [`Error`].

use reqwest::StatusCode;
use serde_json::Value;

use crate::error::{Error, ErrorKind, snippet};
use crate::model::Provider;

/// A provider's error response, as its crate reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// The provider's error code.
    pub code: Option<String>,
    /// The provider's message.
    pub message: Option<String>,
    /// Field-level errors, each as `field: message`.
    pub details: Vec<String>,
    /// Overrides what the status means (Autotask answers 500 for a bad
    /// integration code): one of `Unauthorized`, `Forbidden`, `NotFound`,
    /// `RateLimited`, `Server` or `Api`.
    pub kind: Option<ErrorKind>,
}

/// Reads an error response body; each provider may give its own.
pub type ErrorBodyParser = fn(StatusCode, &[u8]) -> ErrorBody;

impl ErrorBody {
    /// A lenient reader for the common shapes: `message` / `Message` /
    /// `error_description` / `error` / `Description` / `title`, a `code` /
    /// `errorCode`, and an `errors` array of strings or of objects with a
    /// `field` and a `message`.
    pub fn parse_generic(_status: StatusCode, body: &[u8]) -> ErrorBody {
        let Ok(v) = serde_json::from_slice::<Value>(body) else {
            return ErrorBody::default();
        };
        let text = |keys: &[&str]| {
            keys.iter().find_map(|k| match v.get(*k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        };
        let message = text(&[
            "message",
            "errorMessage",
            "Message",
            "error_description",
            "Description",
            "description",
            "title",
            "error",
        ]);
        let code = text(&["code", "errorCode", "ErrorCode", "error_code", "resultCode"]);
        let details = match v.get("errors") {
            Some(Value::Array(items)) => items.iter().filter_map(detail_text).collect(),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(field, msg)| format!("{field}: {}", value_text(msg)))
                .collect(),
            _ => Vec::new(),
        };
        ErrorBody {
            code,
            message,
            details,
            kind: None,
        }
    }

    /// Turns the response into the error it means.
    pub fn into_error(
        self,
        provider: Provider,
        operation: &'static str,
        status: StatusCode,
        body: &[u8],
        retry_after: Option<std::time::Duration>,
    ) -> Error {
        let kind = self.kind.unwrap_or_else(|| ErrorKind::from_status(status));
        let message = self
            .message
            .clone()
            .or_else(|| self.details.first().cloned())
            .unwrap_or_else(|| {
                let s = snippet(body);
                if s.is_empty() {
                    status.canonical_reason().unwrap_or("no message").to_owned()
                } else {
                    s
                }
            });
        let mut error = Error::new(provider, operation, kind)
            .with_status(status.as_u16())
            .with_message(message)
            .with_details(self.details)
            .with_reached_server(true);
        if let Some(code) = self.code {
            error = error.with_code(code);
        }
        match kind {
            ErrorKind::RateLimited => match retry_after {
                Some(wait) => error.with_retry_after(wait),
                None => error,
            },
            ErrorKind::Server => error.with_snippet(snippet(body)),
            _ => error,
        }
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn detail_text(item: &Value) -> Option<String> {
    match item {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let msg = ["message", "Message", "description", "detail"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))?;
            let field = ["field", "Field", "fieldName", "property"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str));
            Some(match field {
                Some(f) => format!("{f}: {msg}"),
                None => msg.to_owned(),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_reader_takes_code_message_and_field_errors() {
        let body = br#"{"code":"InvalidObject","message":"service/tickets object is invalid","errors":[{"code":"Missing","message":"The summary field is required.","resource":"service/tickets","field":"summary"}]}"#;
        let parsed = ErrorBody::parse_generic(StatusCode::BAD_REQUEST, body);
        assert_eq!(parsed.code.as_deref(), Some("InvalidObject"));
        assert_eq!(
            parsed.message.as_deref(),
            Some("service/tickets object is invalid")
        );
        assert_eq!(
            parsed.details,
            vec!["summary: The summary field is required.".to_owned()]
        );

        let strings = ErrorBody::parse_generic(
            StatusCode::INTERNAL_SERVER_ERROR,
            br#"{"errors":["IntegrationCode is invalid."]}"#,
        );
        assert_eq!(
            strings.details,
            vec!["IntegrationCode is invalid.".to_owned()]
        );
        assert_eq!(
            ErrorBody::parse_generic(StatusCode::BAD_GATEWAY, b"<html>"),
            ErrorBody::default()
        );
    }

    #[test]
    fn statuses_map_to_kinds_and_overrides_win() {
        let e = ErrorBody::default().into_error(
            Provider::Halo,
            "tickets",
            StatusCode::NOT_FOUND,
            b"",
            None,
        );
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.message(), Some("Not Found"));
        let over = ErrorBody {
            kind: Some(ErrorKind::Unauthorized),
            message: Some("bad code".into()),
            ..Default::default()
        };
        let e = over.into_error(
            Provider::Autotask,
            "tickets",
            StatusCode::INTERNAL_SERVER_ERROR,
            b"",
            None,
        );
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
    }
}
