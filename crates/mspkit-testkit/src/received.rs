//! Reading what a fake server received: its requests, all or to one path,
//! each as text a test can compare (`GET /api/Client?page_no=1`), and a
//! request's JSON body.
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
