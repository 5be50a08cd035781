//! ITFlow's failures: its error bodies, and the failures it answers with
//! HTTP 200.
//!
//! Every answer is `{"success": "True" | "False", "message": ..., ...}`.
//! Refusals come with a status (401 with an empty body when the key is
//! missing, 401 with a message when it is wrong or expired, 403 for a key
//! whose user lacks the module or the client, 405 for the wrong method,
//! and a web server's 404 page for an endpoint file an older install does
//! not have). Most other failures come with **200** and `"success":
//! "False"`: a read that matched nothing ("No resource ..."), a create or
//! an update the database refused. [`Envelope::into_rows`] turns those into
//! errors for single calls; [`list_failures`] does it for list walks.

use futures::StreamExt;
use mspkit_core::http::{ErrorBody, Response};
use mspkit_core::reqwest::StatusCode;
use mspkit_core::{Error, ErrorKind, ItemStream, Provider};
use serde_json::Value;

use crate::api::Envelope;

const P: Provider = Provider::ItFlow;

/// How ITFlow words a read that matched nothing.
const NO_RESOURCE: &str = "No resource";

/// Reads one of ITFlow's error bodies: `{"success": "False", "message": ...}`,
/// or nothing readable (the empty 401, the `var_dump` of a 405, a web
/// server's 404 page), for which the error quotes the start of the body.
pub(crate) fn parse_error_body(_status: StatusCode, body: &[u8]) -> ErrorBody {
    let message = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| match v.get("message") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        });
    ErrorBody {
        message,
        ..ErrorBody::default()
    }
}

/// What a `"success": "False"` answer means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A read matched nothing: the end of a list, or an id that does not
    /// exist.
    NoResource(String),
    /// Anything else (a create or an update refused), with ITFlow's message.
    Refused(String),
}

impl Failure {
    fn of(message: Option<String>) -> Failure {
        let message = message.unwrap_or_else(|| "the request failed (no message)".to_owned());
        if message.trim_start().starts_with(NO_RESOURCE) {
            Failure::NoResource(message)
        } else {
            Failure::Refused(message)
        }
    }

    /// The error this failure is for `operation`: `NotFound` for a read
    /// that matched nothing, `Api` (with status 200) for the rest.
    pub(crate) fn into_error(self, operation: &'static str) -> Error {
        match self {
            Failure::NoResource(m) => Error::not_found(P, operation, m)
                .with_status(200)
                .with_reached_server(true),
            Failure::Refused(m) => Error::api(P, operation, 200, m).with_reached_server(true),
        }
    }
}

impl Envelope {
    /// Reads a response's envelope; a body that is not one is a `Decode`
    /// error quoting it.
    pub(crate) fn of(resp: &Response) -> mspkit_core::Result<Envelope> {
        resp.json::<Envelope>()
    }

    /// The failure this envelope reports, if it reports one. A body
    /// without `success` that carries `data` is taken as a success (an
    /// older install); one with neither is not an ITFlow answer.
    pub(crate) fn failure(&self) -> Option<Failure> {
        match self.success {
            Some(false) => Some(Failure::of(self.message.clone())),
            _ => None,
        }
    }

    /// The rows of a successful answer, or the error its failure means for
    /// `operation`. A success without `data` is a `Decode` error (nothing
    /// of an answer is ever guessed).
    pub(crate) fn into_rows(self, resp: &Response) -> mspkit_core::Result<Vec<Value>> {
        if let Some(f) = self.failure() {
            return Err(resp.redact(f.into_error(resp.operation())));
        }
        match (self.success, self.data) {
            (Some(true) | None, Some(rows)) => Ok(rows),
            _ => Err(resp.redact(Error::decode(
                P,
                resp.operation(),
                "data",
                "the answer has no `data` rows",
                &String::from_utf8_lossy(resp.body()),
            ))),
        }
    }

    /// Checks a write's answer (an update carries no `data`).
    pub(crate) fn into_done(self, resp: &Response) -> mspkit_core::Result<()> {
        if let Some(f) = self.failure() {
            return Err(resp.redact(f.into_error(resp.operation())));
        }
        match self.success {
            Some(true) => Ok(()),
            _ => Err(resp.redact(Error::decode(
                P,
                resp.operation(),
                "success",
                "the answer does not say it succeeded",
                &String::from_utf8_lossy(resp.body()),
            ))),
        }
    }
}

/// The `"success": "False"` failure a list page's decode error stands for,
/// if it stands for one.
///
/// The kit's walk reads `data` from every page before a provider sees it,
/// so a page answered `{"success": "False", "message": ...}` reaches the
/// crate as a `Decode` error about the missing `data`, quoting the body.
/// ITFlow's failure bodies are short (under 200 bytes), so the quote is
/// the whole body.
pub(crate) fn page_failure(e: &Error) -> Option<Failure> {
    if e.kind() != ErrorKind::Decode || e.decode_path() != Some("data") {
        return None;
    }
    let body: Envelope = serde_json::from_str(e.snippet()?).ok()?;
    body.failure()
}

/// A list walk as ITFlow pages it: a "No resource" page (an offset past
/// the end, or a list with nothing in it) ends the list; any other
/// `"success": "False"` page ends it with an `Api` error carrying ITFlow's
/// message; everything else passes through.
pub(crate) fn list_failures<T: Send + 'static>(
    s: ItemStream<'static, T>,
) -> ItemStream<'static, T> {
    s.scan(false, |done, item| {
        if *done {
            return std::future::ready(None);
        }
        let out = match item {
            Err(e) => match page_failure(&e) {
                Some(Failure::NoResource(_)) => None,
                Some(f) => {
                    *done = true;
                    let target = e.target().map(str::to_owned);
                    let err = f.into_error(e.operation());
                    Some(Err(match target {
                        Some(t) => err.with_target(t),
                        None => err,
                    }))
                }
                None => {
                    *done = true;
                    Some(Err(e))
                }
            },
            ok => Some(ok),
        };
        std::future::ready(out)
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::TryStreamExt;
    use futures::stream;

    #[test]
    fn reads_messages_and_leaves_the_rest_to_the_snippet() {
        let parse = |b: &str| parse_error_body(StatusCode::UNAUTHORIZED, b.as_bytes());
        assert_eq!(
            parse(r#"{"success":"False","message":"Authentication failed. API key is invalid or has expired."}"#)
                .message
                .as_deref(),
            Some("Authentication failed. API key is invalid or has expired.")
        );
        assert_eq!(parse(""), ErrorBody::default());
        assert_eq!(parse("string(3) \"PUT\"\n"), ErrorBody::default());
    }

    fn missing_data(body: &str) -> Error {
        Error::decode(P, "tickets", "data", "the answer has no `data` list", body)
    }

    #[tokio::test]
    async fn no_resource_ends_a_list_and_other_failures_are_errors() {
        let end = missing_data(
            r#"{"success":"False","message":"No resource (for this client and company) with the specified parameter(s)."}"#,
        );
        let items: Vec<u32> = list_failures(stream::iter(vec![Ok(1), Ok(2), Err(end)]).boxed())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2]);

        let other = missing_data(r#"{"success":"False","message":"Database is busy"}"#);
        let e = list_failures::<u32>(stream::iter(vec![Err(other)]).boxed())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.message(), Some("Database is busy"));

        // Not an ITFlow failure: passed on as it is.
        let html = missing_data("<html>Sign in</html>");
        let e = list_failures::<u32>(stream::iter(vec![Err(html)]).boxed())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }
}
