//! Reading what a fake server received: its requests, all or to one path,
//! each as text a test can compare (`GET /api/Client?page_no=1`), and a
//! request's body, as JSON ([`json_body`]) or as a form ([`form_pairs`],
//! [`form_value`]).
//!
//! A header's text is [`header_value`](crate::header_value), a query
//! parameter's [`query_param`](crate::query_param), all the query's pairs
//! [`query_pairs`](crate::query_pairs).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use mspkit_testkit::wiremock::matchers::any;
//! use mspkit_testkit::wiremock::{Mock, MockServer, ResponseTemplate};
//! use mspkit_testkit::{json_body, received, received_at, request_line, request_target};
//! use serde_json::json;
//!
//! let server = MockServer::start().await;
//! Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
//! let http = mspkit_core::http::client_builder().build().unwrap();
//! http.get(format!("{}/api/Client?page_no=2", server.uri())).send().await.unwrap();
//! http.post(format!("{}/api/Tickets", server.uri()))
//!     .header("content-type", "application/json")
//!     .body(r#"[{"summary": "Printer offline"}]"#)
//!     .send().await.unwrap();
//!
//! let all = received(&server).await;
//! let lines: Vec<String> = all.iter().map(request_line).collect();
//! assert_eq!(lines, ["GET /api/Client?page_no=2", "POST /api/Tickets"]);
//! assert_eq!(request_target(&all[0]), "/api/Client?page_no=2");
//!
//! let posts = received_at(&server, "/api/Tickets").await;
//! assert_eq!(json_body(&posts[0]), json!([{"summary": "Printer offline"}]));
//! # }
//! ```

use serde_json::Value;
use wiremock::{MockServer, Request};

/// Every request `server` received, in the order they arrived.
///
/// Panics when the server does not record requests: an empty list there
/// would pass a check that nothing was sent.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("the MockServer records no requests (recording is disabled)")
}

/// The requests `server` received whose path is exactly `path`, in order.
pub async fn received_at(server: &MockServer, path: &str) -> Vec<Request> {
    let mut all = received(server).await;
    all.retain(|r| r.url.path() == path);
    all
}

/// The request's path and query as sent: `/path?query`, or `/path` when
/// the URL has no query.
///
/// An empty query stays visible as a trailing `?`, so a check on the
/// target sees exactly what went on the wire.
pub fn request_target(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    }
}

/// The request's method and [`request_target`]: `GET /path?query`.
pub fn request_line(request: &Request) -> String {
    format!("{} {}", request.method, request_target(request))
}

/// Every field of the request's `application/x-www-form-urlencoded` body,
/// decoded, in the order sent (a repeated field once for each time). To
/// compare with fields in another order, sort both sides.
///
/// Panics naming the request (its [`request_line`]) when its content type
/// is not a form: the body of any other type would read as nonsense
/// fields, or none.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use mspkit_testkit::wiremock::matchers::any;
/// use mspkit_testkit::wiremock::{Mock, MockServer, ResponseTemplate};
/// use mspkit_testkit::{form_pairs, form_value, received_at};
///
/// let server = MockServer::start().await;
/// Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
/// let http = mspkit_core::http::client_builder().build().unwrap();
/// http.post(format!("{}/auth/token", server.uri()))
///     .header("content-type", "application/x-www-form-urlencoded")
///     .body("grant_type=client_credentials&scope=read%3Atickets+edit%3Atickets")
///     .send().await.unwrap();
///
/// let token = &received_at(&server, "/auth/token").await[0];
/// let pairs: Vec<(String, String)> = vec![
///     ("grant_type".into(), "client_credentials".into()),
///     ("scope".into(), "read:tickets edit:tickets".into()),
/// ];
/// assert_eq!(form_pairs(token), pairs);
/// assert_eq!(form_value(token, "scope").as_deref(), Some("read:tickets edit:tickets"));
/// assert_eq!(form_value(token, "client_secret"), None);
/// # }
/// ```
pub fn form_pairs(request: &Request) -> Vec<(String, String)> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    assert!(
        essence.eq_ignore_ascii_case("application/x-www-form-urlencoded"),
        "the body of {} is not a form (content type {content_type:?})",
        request_line(request)
    );
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

/// The value of field `name` in the request's form body ([`form_pairs`]),
/// decoded: `None` when the form does not have it.
///
/// Panics naming the request when the field is sent more than once (which
/// of its values counts would be a guess; OAuth forbids repeating one), or
/// when the body is not a form.
pub fn form_value(request: &Request, name: &str) -> Option<String> {
    let mut values = form_pairs(request)
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v);
    let value = values.next();
    let more: Vec<String> = values.collect();
    assert!(
        more.is_empty(),
        "{} sends form field {name:?} more than once: {value:?}, then {more:?}",
        request_line(request)
    );
    value
}

/// The request's body parsed as JSON.
///
/// Panics naming the request (its [`request_line`]) and quoting the body
/// when the body is not JSON.
pub fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "the body of {} is not JSON ({e}): {:?}",
            request_line(request),
            String::from_utf8_lossy(&request.body)
        )
    })
}
