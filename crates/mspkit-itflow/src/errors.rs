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
//! errors for single calls; [`page_check`] does it for list walks.

use mspkit_core::http::{ErrorBody, Response};
use mspkit_core::list::PageVerdict;
use mspkit_core::reqwest::StatusCode;
use mspkit_core::{Error, Provider};
use serde::Deserialize;
use serde_json::Value;

use crate::api::{Envelope, Outcome};

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

/// What to check when a call fails before ITFlow has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/itflow.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "api_key: a key from Admin Settings > API Keys that has not passed its expiry date (a 401 with an empty body means the key never arrived: a proxy in front of ITFlow dropped the query string)",
        ),
        (K::Forbidden, _) => Some(
            "the API key's scope: its user needs the client and support modules (write level to create tickets and notes) and access to the clients it reads or writes",
        ),
        (K::NotFound, _) => Some(
            "base_url: the address ITFlow opens at, with its sub-path if it is installed in one (https://example.com/itflow; /api/v1 is added); if only some calls get 404, the install is too old for those endpoints",
        ),
        _ => None,
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

impl Outcome {
    /// The failure this answer reports, if it reports one.
    pub(crate) fn failure(&self) -> Option<Failure> {
        match self.success {
            Some(false) => Some(Failure::of(self.message.clone())),
            _ => None,
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

/// ITFlow's reading of a list page, for the kit's walk
/// ([`ListRequest::check_page`](mspkit_core::list::ListRequest::check_page)):
/// a "No resource" page (an offset past the end, or a list with nothing in
/// it) ends the list; any other `"success": "False"` page ends it with an
/// `Api` error carrying ITFlow's message; every other page is read for its
/// `data` (a body without it is the kit's `Decode` error).
pub(crate) fn page_check(
    operation: &'static str,
) -> impl Fn(&Value) -> mspkit_core::Result<PageVerdict> + Send + Sync + 'static {
    move |page| match Outcome::deserialize(page).ok().and_then(|o| o.failure()) {
        Some(Failure::NoResource(_)) => Ok(PageVerdict::End),
        Some(f) => Err(f.into_error(operation)),
        None => Ok(PageVerdict::List),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mspkit_core::ErrorKind;
    use serde_json::json;

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

    /// Walks `data` lists of two rows then `last` (answered past offset 2),
    /// through the page check, as the client's lists do.
    async fn walk_to(last: impl Into<String>) -> mspkit_core::Result<Vec<u32>> {
        use futures::TryStreamExt;
        use mspkit_core::http::{Http, RetryPolicy};
        use mspkit_core::list::{ListRequest, Paging};
        use wiremock::matchers::query_param;
        use wiremock::{Mock, MockServer, ResponseTemplate};

        #[derive(Deserialize)]
        struct Row {
            id: u32,
        }
        #[derive(Debug)]
        struct Id(u32, String);
        impl mspkit_core::Keyed for Id {
            fn key(&self) -> Option<&str> {
                Some(&self.1)
            }
        }

        let server = MockServer::start().await;
        Mock::given(query_param("offset", "0"))
            .respond_with(
                ResponseTemplate::new(200).set_body_string(
                    r#"{"success":"True","count":"2","data":[{"id":1},{"id":2}]}"#,
                ),
            )
            .mount(&server)
            .await;
        Mock::given(query_param("offset", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_string(last))
            .mount(&server)
            .await;
        let http = Http::builder(P, format!("{}/api/v1/", server.uri()))
            .allow_insecure_http(true)
            .retry(RetryPolicy::new().max_attempts(1))
            .build()?;
        ListRequest::get("tickets", "tickets/read.php")
            .items_at("data")
            .page_size(Some(2))
            .check_page(page_check("tickets"))
            .walk(&http, Paging::offset("offset").size_param("limit"))
            .map(|r: Row, _| Id(r.id, r.id.to_string()))
            .map_ok(|i| i.0)
            .try_collect()
            .await
    }

    #[tokio::test]
    async fn no_resource_ends_a_list_and_other_failures_are_errors() {
        let items = walk_to(
            r#"{"success":"False","message":"No resource (for this client and company) with the specified parameter(s)."}"#,
        )
        .await
        .unwrap();
        assert_eq!(items, [1, 2]);

        let e = walk_to(r#"{"success":"False","message":"Database is busy"}"#)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.message(), Some("Database is busy"));

        // A message longer than any quote of the body comes whole.
        let long = format!("Auth success but query failed: {}", "x".repeat(400));
        let e = walk_to(json!({"success": "False", "message": long}).to_string())
            .await
            .unwrap_err();
        assert_eq!(e.message(), Some(long.as_str()));

        // Not an ITFlow failure: the kit's decode error, as it is.
        let e = walk_to("<html>Sign in</html>").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
    }
}
