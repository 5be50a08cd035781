//! The HTTP transport against a local fake server: retries and `Retry-After`,
//! error mapping, URL safety, default headers, the shared rate limiter,
//! paging over real responses, and decode errors.

// Helpers outside #[test] functions panic on purpose too: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use mspkit_core::auth::{ApiKeyQuery, Auth, AuthContext, AuthStamp};
use mspkit_core::http::{Http, RateLimit, RetryPolicy, USER_AGENT, encode_segment};
use mspkit_core::paging::{Page, Pager};
use mspkit_core::reqwest::Method;
use mspkit_core::{Error, ErrorKind, Provider, SecretString};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------
// helpers

fn fast() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(3)
        .base_delay(Duration::from_millis(5))
}

fn http(server: &MockServer) -> Http {
    Http::builder(Provider::Halo, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .build()
        .unwrap()
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// Counts the attempts of a request: the transport authorizes each one.
#[derive(Debug, Clone, Default)]
struct CountAttempts(Arc<AtomicUsize>);

impl CountAttempts {
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

#[mspkit_core::async_trait]
impl Auth for CountAttempts {
    async fn authorize(
        &self,
        _: &AuthContext<'_>,
        _: &mut reqwest::Request,
    ) -> mspkit_core::Result<AuthStamp> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(AuthStamp::default())
    }
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

/// Matches when the header is absent.
struct NoHeader(&'static str);

impl Match for NoHeader {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key(self.0)
    }
}

/// Matches a header's raw value exactly (one value, byte for byte).
struct HeaderIs(&'static str, String);

impl Match for HeaderIs {
    fn matches(&self, request: &Request) -> bool {
        let all: Vec<_> = request.headers.get_all(self.0).iter().collect();
        all.len() == 1 && all[0].as_bytes() == self.1.as_bytes()
    }
}

// ---------------------------------------------------------------------------
// retry

#[tokio::test]
async fn a_429_with_retry_after_seconds_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tickets"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/tickets"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let start = Instant::now();
    let v: Value = http(&server)
        .get("tickets", "tickets")
        .send_json()
        .await
        .unwrap();
    let took = start.elapsed();
    assert_eq!(v, json!({"ok": true}));
    // The backoff alone would be a few milliseconds: the second is the server's.
    assert!(took >= Duration::from_millis(950), "{took:?}");
    server.verify().await;
}

#[tokio::test]
async fn a_429_with_retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    Mock::given(path("/api/tickets"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", date.as_str()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/tickets"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let start = Instant::now();
    http(&server)
        .get("tickets", "tickets")
        .send()
        .await
        .unwrap();
    let took = start.elapsed();
    // The date has whole seconds: 2 s ahead is at least 1 s ahead once truncated.
    assert!(took >= Duration::from_millis(900), "{took:?} for {date}");
    assert!(took < Duration::from_secs(10), "{took:?} for {date}");
    server.verify().await;
}

#[tokio::test]
async fn a_503_with_retry_after_is_waited_out_for_an_idempotent_request() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tickets/7"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/tickets/7"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let start = Instant::now();
    http(&server)
        .get("ticket", "tickets/7")
        .send()
        .await
        .unwrap();
    assert!(start.elapsed() >= Duration::from_millis(950));
    server.verify().await;
}

#[tokio::test]
async fn a_retry_after_above_the_maximum_ends_at_once_with_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tickets"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Halo, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(fast().max_retry_after(Duration::from_secs(5)))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = http.get("tickets", "tickets").send().await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err:?}");
    assert_eq!(err.provider(), Provider::Halo);
    assert_eq!(err.operation(), "tickets");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert!(err.is_transient());
    assert_eq!(
        err.to_string(),
        "halo tickets: rate limited (retry after 30s)"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_429_storm_without_retry_after_ends_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tickets"))
        .respond_with(ResponseTemplate::new(429))
        .expect(3)
        .mount(&server)
        .await;
    let err = http(&server)
        .get("tickets", "tickets")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.kind() == ErrorKind::RateLimited && err.retry_after().is_none(),
        "{err:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_429_without_retry_after_waits_the_providers_documented_back_off() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tickets"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/tickets"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Datto, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .default_retry_after(Duration::from_millis(800))
        .build()
        .unwrap();
    let started = Instant::now();
    http.get("tickets", "tickets").send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(750),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_500_storm_ends_with_server_after_exactly_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/tickets"))
        .respond_with(ResponseTemplate::new(500).set_body_string("Internal Server Error"))
        .expect(3)
        .mount(&server)
        .await;
    let err = http(&server)
        .get("tickets", "tickets")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err:?}");
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.snippet(), Some("Internal Server Error"));
    server.verify().await;
}

#[tokio::test]
async fn a_post_that_got_500_is_not_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/tickets"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let err = http(&server)
        .post("create_ticket", "tickets")
        .json(&json!({"summary": "Printer on fire"}))
        .send()
        .await
        .unwrap_err();
    assert!(
        err.kind() == ErrorKind::Server && err.status() == Some(500),
        "{err:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_post_that_got_429_is_sent_again_with_the_same_body() {
    let server = MockServer::start().await;
    let body = json!({"summary": "Printer on fire", "priority": 2});
    Mock::given(method("POST"))
        .and(path("/api/tickets"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/tickets"))
        .and(body_json(body.clone()))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let created: Value = http(&server)
        .post("create_ticket", "tickets")
        .json(&body)
        .send_json()
        .await
        .unwrap();
    assert_eq!(created, json!({"id": 1}));
    let sent = received(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
    server.verify().await;
}

#[tokio::test]
async fn an_idempotent_post_is_retried_on_500() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/V1.0/Tickets/query"))
        .respond_with(ResponseTemplate::new(500))
        .expect(3)
        .mount(&server)
        .await;
    let err = http(&server)
        .post("tickets", "V1.0/Tickets/query")
        .json(&json!({"filter": []}))
        .idempotent(true)
        .send()
        .await
        .unwrap_err();
    assert!(err.kind() == ErrorKind::Server, "{err:?}");
    server.verify().await;
}

#[tokio::test]
async fn a_get_marked_not_idempotent_is_not_retried_on_500() {
    let server = MockServer::start().await;
    Mock::given(path("/api/reports/run"))
        .respond_with(ResponseTemplate::new(502))
        .expect(1)
        .mount(&server)
        .await;
    let err = http(&server)
        .get("report", "reports/run")
        .idempotent(false)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.kind() == ErrorKind::Server && err.status() == Some(502),
        "{err:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_put_is_retried_on_503_until_it_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/tickets/5"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/tickets/5"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    http(&server)
        .put("update_ticket", "tickets/5")
        .json(&json!({"summary": "x"}))
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_ends_in_transport() {
    let port = closed_port();
    for method in [Method::GET, Method::POST] {
        let attempts = CountAttempts::default();
        let http = Http::builder(Provider::Datto, format!("http://127.0.0.1:{port}/api"))
            .allow_insecure_http(true)
            .retry(fast())
            .auth(attempts.clone())
            .build()
            .unwrap();
        // A refused connect never reached the server: even a POST goes again.
        let err = http
            .request(method.clone(), "devices", "devices")
            .send()
            .await
            .unwrap_err();
        assert!(
            err.kind() == ErrorKind::Transport
                && err.provider() == Provider::Datto
                && err.operation() == "devices",
            "{method}: {err:?}"
        );
        assert_eq!(attempts.get(), 3, "{method}");
        assert!(err.is_transient());
    }
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(path("/api/slow"))
        .respond_with(ok().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Halo, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = http.get("slow", "slow").send().await.unwrap_err();
    assert!(
        err.kind() == ErrorKind::Timeout
            && err.provider() == Provider::Halo
            && err.operation() == "slow",
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------
// error mapping

#[tokio::test]
async fn statuses_map_to_errors_with_the_body_message() {
    let server = MockServer::start().await;
    for (status, msg) in [
        (401, "Bearer token expired"),
        (403, "Missing permission: tickets.read"),
        (404, "Ticket 42 does not exist"),
    ] {
        Mock::given(path(format!("/api/s{status}")))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"message": msg})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let http = http(&server);
    let e401 = http.get("ticket", "s401").send().await.unwrap_err();
    assert!(
        e401.kind() == ErrorKind::Unauthorized && e401.message() == Some("Bearer token expired"),
        "{e401:?}"
    );
    let e403 = http.get("ticket", "s403").send().await.unwrap_err();
    assert!(
        e403.kind() == ErrorKind::Forbidden
            && e403.message() == Some("Missing permission: tickets.read"),
        "{e403:?}"
    );
    let e404 = http.get("ticket", "s404").send().await.unwrap_err();
    assert!(
        e404.kind() == ErrorKind::NotFound && e404.message() == Some("Ticket 42 does not exist"),
        "{e404:?}"
    );
    assert_eq!(
        e404.to_string(),
        "halo ticket: not found: Ticket 42 does not exist"
    );
    for e in [&e401, &e403, &e404] {
        assert!(!e.is_transient(), "{e:?}");
    }
    // None of them was retried.
    server.verify().await;
}

#[tokio::test]
async fn an_error_names_its_target_and_the_request_id() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tickets/42"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-request-id", "req-7"))
        .expect(1)
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Halo, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .request_id_header(mspkit_core::reqwest::header::HeaderName::from_static(
            "x-request-id",
        ))
        .build()
        .unwrap();
    let err = http
        .get("ticket", "tickets/42")
        .target("42")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err:?}");
    assert_eq!(err.target(), Some("42"));
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req-7"));
    assert!(err.reached_server());
    assert_eq!(err.to_string(), "halo ticket 42: not found");

    // A refused connection never reached the server.
    let closed = Http::builder(Provider::Halo, "http://127.0.0.1:9/api")
        .allow_insecure_http(true)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = closed
        .get("ticket", "tickets/42")
        .target("42")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_transient(), "{err:?}");
    assert!(!err.reached_server(), "{err:?}");
    assert_eq!(err.target(), Some("42"));
    server.verify().await;
}

#[tokio::test]
async fn a_400_with_code_message_and_field_errors_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/service/tickets"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": "InvalidObject",
            "message": "service/tickets object is invalid",
            "errors": [
                {"code": "Missing", "message": "The summary field is required.", "resource": "service/tickets", "field": "summary"},
                {"code": "InvalidField", "message": "Board not found.", "resource": "service/tickets", "field": "board"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let http = Http::builder(Provider::ConnectWise, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .build()
        .unwrap();
    let err = http
        .post("create_ticket", "service/tickets")
        .json(&json!({}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api, "{err:?}");
    {
        assert_eq!(err.provider(), Provider::ConnectWise);
        assert_eq!(err.operation(), "create_ticket");
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.code(), Some("InvalidObject"));
        assert_eq!(err.message(), Some("service/tickets object is invalid"));
        assert_eq!(
            err.details(),
            &[
                "summary: The summary field is required.".to_owned(),
                "board: Board not found.".to_owned()
            ]
        );
    }
    assert_eq!(
        err.to_string(),
        "connectwise create_ticket: HTTP 400 [InvalidObject]: service/tickets object is invalid \
         (summary: The summary field is required.; board: Board not found.)"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_huge_body_is_quoted_only_as_a_short_snippet() {
    let server = MockServer::start().await;
    let huge = format!("<html>{}</html>", "x".repeat(200_000));
    Mock::given(path("/api/boom"))
        .respond_with(ResponseTemplate::new(500).set_body_string(huge.clone()))
        .mount(&server)
        .await;
    Mock::given(path("/api/gone"))
        .respond_with(ResponseTemplate::new(410).set_body_string(huge.clone()))
        .mount(&server)
        .await;
    let http = http(&server);
    let err = http.get("boom", "boom").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err:?}");
    {
        let snippet = err.snippet().unwrap();
        {
            assert_eq!(
                snippet.chars().count(),
                mspkit_core::error::SNIPPET_CHARS + 1
            );
            assert!(snippet.starts_with("<html>xxx"), "{snippet}");
            assert!(snippet.ends_with('…'), "{snippet}");
        }
    }
    assert!(err.to_string().len() < 1_000);
    // A 4xx without a readable message quotes the body, cut the same way.
    let err = http.get("gone", "gone").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api, "{err:?}");
    {
        let message = err.message().unwrap();
        {
            assert_eq!(err.status(), Some(410));
            assert_eq!(
                message.chars().count(),
                mspkit_core::error::SNIPPET_CHARS + 1
            );
        }
    }
    assert!(err.to_string().len() < 1_000);
}

#[tokio::test]
async fn every_error_names_its_provider_and_operation() {
    let server = MockServer::start().await;
    for (p, status) in [
        ("/api/a", 400),
        ("/api/b", 401),
        ("/api/c", 403),
        ("/api/d", 404),
        ("/api/e", 429),
        ("/api/f", 500),
    ] {
        Mock::given(path(p))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"message": "nope"})))
            .mount(&server)
            .await;
    }
    Mock::given(path("/api/g"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Freshservice, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let refused = Http::builder(
        Provider::Freshservice,
        format!("http://127.0.0.1:{}", closed_port()),
    )
    .allow_insecure_http(true)
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let mut errors = Vec::new();
    for p in ["a", "b", "c", "d", "e", "f"] {
        errors.push(http.get("list_assets", p).send().await.unwrap_err());
    }
    errors.push(
        http.get("list_assets", "g")
            .send_json::<Value>()
            .await
            .unwrap_err(),
    );
    errors.push(refused.get("list_assets", "x").send().await.unwrap_err());
    errors.push(
        http.request_url(Method::GET, "list_assets", "https://elsewhere.example/x")
            .unwrap_err(),
    );
    errors.push(
        Http::builder(Provider::Freshservice, "http://acme.freshservice.com")
            .build()
            .unwrap_err(),
    );
    assert_eq!(errors.len(), 10);
    for e in &errors {
        assert_eq!(e.provider(), Provider::Freshservice, "{e:?}");
        let text = e.to_string();
        assert!(text.starts_with("freshservice "), "{text}");
        if e.operation() != "build" {
            assert_eq!(e.operation(), "list_assets", "{e:?}");
            assert!(text.starts_with("freshservice list_assets: "), "{text}");
        }
    }
}

// ---------------------------------------------------------------------------
// URLs, headers and secrets in errors

#[test]
fn plain_http_is_refused_unless_allowed() {
    let err = Http::builder(Provider::Halo, "http://acme.halopsa.com/api?key=abc")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InsecureUrl, "{err:?}");
    assert_eq!(err.message(), Some("http://acme.halopsa.com/api"));
    assert_eq!(err.operation(), "build");
    assert!(!err.to_string().contains("key=abc"));
    assert!(
        Http::builder(Provider::Halo, "http://127.0.0.1:9")
            .allow_insecure_http(true)
            .build()
            .is_ok()
    );
    assert!(
        Http::builder(Provider::Halo, "https://acme.halopsa.com")
            .build()
            .is_ok()
    );
}

#[test]
fn bad_base_urls_are_configuration_errors() {
    for bad in [
        "",
        "   ",
        "https://",
        "ftp://acme.example",
        "https://user:pass@acme.example",
        "https://exa mple.com",
        "https://[::1",
    ] {
        let err = Http::builder(Provider::Halo, bad)
            .allow_insecure_http(true)
            .build()
            .unwrap_err();
        assert!(
            err.kind() == ErrorKind::Config && err.operation() == "build",
            "{bad:?}: {err:?}"
        );
    }
    // Credentials in the URL are refused without being quoted.
    let err = Http::builder(Provider::Halo, "https://user:hunter2@acme.example")
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

#[test]
fn the_base_url_is_normalised_to_a_root_with_a_trailing_slash() {
    let http = Http::builder(Provider::Halo, "acme.halopsa.com/api")
        .build()
        .unwrap();
    assert_eq!(http.base_url().as_str(), "https://acme.halopsa.com/api/");
    assert_eq!(http.provider(), Provider::Halo);
    assert_eq!(
        http.get("tickets", "/tickets").url().as_str(),
        "https://acme.halopsa.com/api/tickets"
    );
}

#[tokio::test]
async fn user_agent_and_accept_are_sent() {
    let server = MockServer::start().await;
    let ua = format!("mspkit/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(USER_AGENT, ua);
    Mock::given(path("/api/x"))
        .and(HeaderIs("user-agent", ua.clone()))
        .and(HeaderIs("accept", "application/json".into()))
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    let http = http(&server);
    http.get("x", "x").send().await.unwrap();
    http.post("x", "x").json(&json!({})).send().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn json_and_form_bodies_carry_their_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/j"))
        .and(HeaderIs("content-type", "application/json".into()))
        .and(body_json(json!({"a": 1, "b": "two"})))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/f"))
        .and(HeaderIs(
            "content-type",
            "application/x-www-form-urlencoded".into(),
        ))
        .and(wiremock::matchers::body_string("user=a+b&pw=%26%3D"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/g"))
        .and(NoHeader("content-type"))
        .and(header("x-extra", "yes"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http(&server);
    http.post("j", "j")
        .json(&json!({"a": 1, "b": "two"}))
        .send()
        .await
        .unwrap();
    http.post("f", "f")
        .form(&[("user", "a b"), ("pw", "&=")])
        .send()
        .await
        .unwrap();
    http.get("g", "g")
        .header(
            reqwest::header::HeaderName::from_static("x-extra"),
            reqwest::header::HeaderValue::from_static("yes"),
        )
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn request_url_follows_same_origin_links_only() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tickets"))
        .and(query_param("page", "2"))
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    let http = http(&server);
    // Absolute, same scheme, host and port: followed, query intact.
    let next = format!("{}/api/tickets?page=2", server.uri());
    http.request_url(Method::GET, "tickets", &next)
        .unwrap()
        .send()
        .await
        .unwrap();
    // Relative to the API root: followed too.
    http.request_url(Method::GET, "tickets", "/api/tickets?page=2")
        .unwrap()
        .send()
        .await
        .unwrap();

    let port = server.address().port();
    for elsewhere in [
        format!("http://localhost:{port}/api/tickets?page=2"),
        format!(
            "http://127.0.0.1:{}/api/tickets?page=2",
            port.wrapping_add(1)
        ),
        format!("https://127.0.0.1:{port}/api/tickets?page=2"),
        "https://evil.example/api/tickets?page=2".to_owned(),
        "//evil.example/api/tickets".to_owned(),
    ] {
        let err = http
            .request_url(Method::GET, "tickets", &elsewhere)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Paging, "{elsewhere}: {err:?}");
        assert_eq!(
            (err.provider(), err.operation()),
            (Provider::Halo, "tickets")
        );
        assert!(!err.reached_server());
    }
    server.verify().await;
}

#[tokio::test]
async fn ids_with_slashes_stay_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(path("/api/tickets/a%2Fb/notes"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/tickets/..%2Fadmin"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/tickets/a%20b%3Fc%23d"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http(&server);
    for id in ["a/b", "../admin", "a b?c#d"] {
        let suffix = if id == "a/b" { "/notes" } else { "" };
        let req = http.get("ticket", &format!("tickets/{}{suffix}", encode_segment(id)));
        assert_eq!(req.url().query(), None, "{id}");
        req.send().await.unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    server.verify().await;
}

#[tokio::test]
async fn paths_never_leave_the_api_root() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/api/v1/tickets"))
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    // Nothing may arrive anywhere else, on this host or another.
    Mock::given(wiremock::matchers::any())
        .respond_with(ok())
        .expect(0)
        .mount(&elsewhere)
        .await;
    let http = Http::builder(Provider::Syncro, format!("{}/api/v1", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .auth(mspkit_core::auth::ApiKeyHeader::new(
            reqwest::header::HeaderName::from_static("x-api-key"),
            SecretString::from("root-key".to_owned()),
        ))
        .build()
        .unwrap();
    // Inside the root, however written: followed.
    http.get("tickets", "/tickets").send().await.unwrap();
    http.get("tickets", "other/../tickets")
        .send()
        .await
        .unwrap();

    let port = elsewhere.address().port();
    for bad in [
        format!("{}/steal", elsewhere.uri()),
        format!("\\\\127.0.0.1:{port}\\steal"),
        "../../steal".to_owned(),
        "..".to_owned(),
        "%2e%2e/steal".to_owned(),
        "tickets/../../steal".to_owned(),
        "mailto:x@example.com".to_owned(),
    ] {
        let err = http.get("tickets", &bad).send().await.unwrap_err();
        assert!(
            err.kind() == ErrorKind::Config
                && err.provider() == Provider::Syncro
                && err.operation() == "tickets",
            "{bad:?}: {err:?}"
        );
    }
    assert_eq!(received(&server).await.len(), 2);
    server.verify().await;
    elsewhere.verify().await;
}

#[test]
fn dot_ids_cannot_climb_out_of_their_collection() {
    // URL parsers treat `%2E` and `%2E%2E` like `.` and `..`, so an id of `.`
    // or `..` must not come out as either: it would address the collection or
    // its parent instead of one item.
    let http = Http::builder(Provider::Halo, "https://acme.example/api")
        .build()
        .unwrap();
    for id in [".", ".."] {
        let encoded = encode_segment(id);
        let url = http
            .get("ticket", &format!("tickets/{encoded}/notes"))
            .url()
            .clone();
        let segments: Vec<&str> = url.path_segments().unwrap().collect();
        assert_eq!(segments.len(), 4, "{id:?} -> {url}");
        assert_eq!(
            (segments[0], segments[1], segments[3]),
            ("api", "tickets", "notes"),
            "{id:?} -> {url}"
        );
        assert!(!segments[2].is_empty(), "{id:?} -> {url}");
        let url = http
            .get("ticket", &format!("tickets/{encoded}"))
            .url()
            .clone();
        let segments: Vec<&str> = url.path_segments().unwrap().collect();
        assert_eq!(segments.len(), 3, "{id:?} -> {url}");
        assert!(!segments[2].is_empty(), "{id:?} -> {url}");
    }
    // Dots inside a longer id are kept as they are.
    assert_eq!(encode_segment("v1.2"), "v1.2");
    assert_eq!(encode_segment("..."), "...");
}

#[tokio::test]
async fn the_query_string_never_appears_in_an_error() {
    let key = "query-key-s3cr3t";
    let filter = "filter-value-private";
    let server = MockServer::start().await;
    Mock::given(path("/api/boom"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream failed"))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(path("/api/slow"))
        .respond_with(ok().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let build = |base: String, timeout: Duration| {
        Http::builder(Provider::ItFlow, base)
            .allow_insecure_http(true)
            .retry(fast())
            .timeout(timeout)
            .auth(ApiKeyQuery::new(
                "api_key",
                SecretString::from(key.to_owned()),
            ))
            .build()
            .unwrap()
    };
    let live = build(format!("{}/api", server.uri()), Duration::from_secs(30));
    let impatient = build(format!("{}/api", server.uri()), Duration::from_millis(300));
    let dead = build(
        format!("http://127.0.0.1:{}/api", closed_port()),
        Duration::from_secs(30),
    );

    let server_err = live
        .get("clients", "boom")
        .query(&[("q", filter)])
        .send()
        .await
        .unwrap_err();
    assert!(server_err.kind() == ErrorKind::Server, "{server_err:?}");
    let transport_err = dead
        .get("clients", "clients")
        .query(&[("q", filter)])
        .send()
        .await
        .unwrap_err();
    assert!(
        transport_err.kind() == ErrorKind::Transport,
        "{transport_err:?}"
    );
    let timeout_err = impatient
        .get("clients", "slow")
        .query(&[("q", filter)])
        .idempotent(false)
        .send()
        .await
        .unwrap_err();
    assert!(timeout_err.kind() == ErrorKind::Timeout, "{timeout_err:?}");
    for e in [&server_err, &transport_err, &timeout_err] {
        // Display, Debug and the whole source chain.
        let mut texts = vec![e.to_string(), format!("{e:?}")];
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            texts.push(s.to_string());
            texts.push(format!("{s:?}"));
            source = s.source();
        }
        for t in texts {
            assert!(!t.contains(key), "key leaked: {t}");
            assert!(!t.contains(filter), "query leaked: {t}");
        }
    }
    // The key did reach the server, so the check above is not vacuous.
    let sent = received(&server).await;
    assert!(
        sent.iter()
            .all(|r| r.url.query().unwrap_or("").contains(key))
    );
}

// ---------------------------------------------------------------------------
// rate limiting

#[tokio::test]
async fn the_rate_limiter_is_shared_by_clones() {
    let server = MockServer::start().await;
    Mock::given(path("/api/x"))
        .respond_with(ok())
        .expect(6)
        .mount(&server)
        .await;
    let a = Http::builder(Provider::Syncro, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .rate_limit(RateLimit::per_second(5).burst(1))
        .build()
        .unwrap();
    let b = a.clone();
    let start = Instant::now();
    let run = |h: Http| async move {
        for _ in 0..3 {
            h.get("x", "x").send().await.unwrap();
        }
    };
    // Three each, at the same time: one shared bucket means 6 tokens at 5/s
    // from a burst of 1, so the last one goes at 1 s; separate buckets would
    // finish in 0.4 s.
    futures::join!(run(a), run(b));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(950), "{took:?}");
    server.verify().await;
}

// ---------------------------------------------------------------------------
// paging through the transport

/// The `rel="next"` target of a `Link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                target
                    .trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
    })
}

fn link_walk(http: &Http, first: String) -> mspkit_core::ItemStream<'static, u64> {
    let http = http.clone();
    Pager::new(http.provider(), "tickets").stream(first, move |url: String| {
        let http = http.clone();
        async move {
            let resp = http
                .request_url(Method::GET, "tickets", &url)?
                .send()
                .await?;
            let next = resp.header("link").and_then(next_link);
            let body: Value = resp.json()?;
            let items = body["tickets"]
                .as_array()
                .map(|a| a.iter().filter_map(|t| t["id"].as_u64()).collect())
                .unwrap_or_default();
            Ok(Page::new(items, next))
        }
    })
}

#[tokio::test]
async fn a_three_page_walk_over_link_headers_yields_every_item_once() {
    let server = MockServer::start().await;
    let base = format!("{}/api/v2/tickets", server.uri());
    for page in 1..=3u64 {
        let mut resp = ResponseTemplate::new(200).set_body_json(json!({
            "tickets": [{"id": page * 10 + 1}, {"id": page * 10 + 2}],
        }));
        let prev = format!("<{base}?page={}&per_page=2>; rel=\"prev\"", page.max(2) - 1);
        if page < 3 {
            resp = resp.insert_header(
                "link",
                format!(
                    "{prev}, <{base}?page={}&per_page=2>; rel=\"next\"",
                    page + 1
                ),
            );
        } else {
            resp = resp.insert_header("link", prev);
        }
        Mock::given(path("/api/v2/tickets"))
            .and(query_param("page", page.to_string()))
            .and(query_param("per_page", "2"))
            .respond_with(resp)
            .expect(1)
            .mount(&server)
            .await;
    }
    let http = http(&server);
    let items: Vec<u64> = link_walk(&http, format!("{base}?page=1&per_page=2"))
        .map(|r| r.unwrap())
        .collect()
        .await;
    assert_eq!(items, [11, 12, 21, 22, 31, 32]);
    server.verify().await;
}

#[tokio::test]
async fn a_next_link_to_another_host_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/tickets"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"tickets": [{"id": 1}]}))
                .insert_header(
                    "link",
                    "<https://collector.evil.example/api/v2/tickets?page=2>; rel=\"next\"",
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let http = http(&server);
    let results: Vec<_> = link_walk(&http, format!("{}/api/v2/tickets", server.uri()))
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(*results[0].as_ref().unwrap(), 1);
    assert!(
        matches!(&results[1], Err(e) if e.kind() == ErrorKind::Paging),
        "{:?}",
        results[1]
    );
    server.verify().await;
}

#[tokio::test]
async fn a_server_repeating_a_cursor_ends_with_a_paging_error() {
    let server = MockServer::start().await;
    let base = format!("{}/api/v2/tickets", server.uri());
    // Every page says the next one is `cursor=abc`, forever.
    Mock::given(path("/api/v2/tickets"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"tickets": [{"id": 7}]}))
                .insert_header("link", format!("<{base}?cursor=abc>; rel=\"next\"")),
        )
        .mount(&server)
        .await;
    let http = http(&server);
    let results: Vec<_> = tokio::time::timeout(
        Duration::from_secs(10),
        link_walk(&http, format!("{base}?cursor=start")).collect::<Vec<_>>(),
    )
    .await
    .expect("the walk must end, not loop");
    let last = results.last().unwrap();
    match last {
        Err(e) if e.kind() == ErrorKind::Paging => {
            assert!(e.to_string().contains("cursor=abc"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let items = results.iter().filter(|r| r.is_ok()).count();
    assert!((1..=2).contains(&items), "{results:?}");
    // start, then abc once; the repeat is refused before it is fetched again.
    assert_eq!(received(&server).await.len(), 2);
}

// ---------------------------------------------------------------------------
// decoding

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Devices {
    devices: Vec<Device>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Device {
    uid: String,
    online: bool,
}

async fn decode_error(body: &'static str) -> Error {
    let server = MockServer::start().await;
    Mock::given(path("/api/devices"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = Http::builder(Provider::Datto, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .build()
        .unwrap()
        .get("devices", "devices")
        .send_json::<Devices>()
        .await
        .unwrap_err();
    server.verify().await;
    err
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_naming_the_path() {
    let body = r#"{"devices":[{"uid":"a1","online":true},{"uid":"b2","online":"yes"}]}"#;
    let err = decode_error(body).await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err:?}");
    assert_eq!(
        (err.provider(), err.operation()),
        (Provider::Datto, "devices")
    );
    assert_eq!(err.decode_path(), Some("devices[1].online"));
    assert_eq!(err.snippet(), Some(body));
    assert!(err.to_string().contains("`devices[1].online`"), "{err}");

    let syntax = r#"{"devices":[{"uid":"a1","online":true},{"uid":}]}"#;
    let err = decode_error(syntax).await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err:?}");
    assert_eq!(err.decode_path(), Some("devices[1].uid"));
    assert_eq!(err.snippet(), Some(syntax));
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error_with_a_snippet() {
    let body = r#"{"devices":[{"uid":"a1","online":true},{"uid":"b2","onl"#;
    let err = decode_error(body).await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err:?}");
    let path = err.decode_path().unwrap();
    assert!(path.starts_with("devices[1]"), "{path}");
    assert_eq!(err.snippet(), Some(body));
    let source = std::error::Error::source(&err).unwrap();
    assert!(source.to_string().contains("EOF"), "{source}");
    let err = decode_error("").await;
    assert_eq!(err.kind(), ErrorKind::Decode, "{err:?}");
    assert_eq!(err.decode_path(), Some("."));
    assert_eq!(err.snippet(), Some(""));
}

#[tokio::test]
async fn a_discovered_root_is_found_once_without_credentials_and_joined_when_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/lookup/zone"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"url": "/zone7/v1.0/"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/zone7/v1.0/Tickets/1"))
        .and(query_param("x", "1"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let lookups = Arc::new(AtomicUsize::new(0));
    let seen = lookups.clone();
    let http = Http::builder(Provider::Autotask, format!("{}/lookup/", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .auth(ApiKeyQuery::new("key", SecretString::from("k3y")))
        .discover_root(move |lookup: Http| {
            let seen = seen.clone();
            Box::pin(async move {
                seen.fetch_add(1, Ordering::SeqCst);
                let zone: Value = lookup.get("zone", "zone").send_json().await?;
                let url = zone["url"].as_str().unwrap_or_default();
                Ok(lookup.base_url().join(url).expect("a zone url"))
            })
        })
        .build()
        .unwrap();
    // Built before the root is known, sent after: joined to the zone.
    let first = http.get("ticket", "Tickets/1").query(&[("x", "1")]);
    let second = http.get("ticket", "/Tickets/1").query(&[("x", "1")]);
    first.send().await.unwrap();
    second.send().await.unwrap();
    assert_eq!(http.base_url().path(), "/zone7/v1.0/");
    assert_eq!(lookups.load(Ordering::SeqCst), 1);
    let requests = received(&server).await;
    let lookup = requests
        .iter()
        .find(|r| r.url.path() == "/lookup/zone")
        .unwrap();
    assert!(
        !lookup.url.as_str().contains("k3y"),
        "the look-up got the key"
    );
    assert!(
        requests
            .iter()
            .filter(|r| r.url.path() == "/zone7/v1.0/Tickets/1")
            .count()
            == 2
    );
    // A path that would leave the discovered root is refused when sent.
    let e = http
        .get("ticket", "../../elsewhere")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
}

#[tokio::test]
async fn no_query_pairs_send_no_question_mark() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let none: [(&str, &str); 0] = [];
    http(&server)
        .get("priorities", "Priority")
        .query(&none)
        .send()
        .await
        .unwrap();
    let sent = &received(&server).await[0];
    assert_eq!(sent.url.query(), None, "{}", sent.url);
    assert!(!sent.url.as_str().ends_with('?'), "{}", sent.url);
}

fn hints(kind: ErrorKind, status: Option<u16>) -> Option<&'static str> {
    match (kind, status) {
        (ErrorKind::Unauthorized, _) => Some("the API key, and that API access is enabled"),
        _ => None,
    }
}

#[tokio::test]
async fn a_failure_on_first_contact_says_what_to_check_and_later_ones_do_not() {
    let server = MockServer::start().await;
    Mock::given(path("/api/me"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/me"))
        .respond_with(ok())
        .mount(&server)
        .await;
    Mock::given(path("/api/later"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Atera, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .first_contact_hints(hints)
        .build()
        .unwrap();
    let e = http.get("test_connection", "me").send().await.unwrap_err();
    assert_eq!(
        e.hint(),
        Some("the API key, and that API access is enabled")
    );
    assert!(
        e.to_string()
            .ends_with("; check: the API key, and that API access is enabled"),
        "{e}"
    );
    http.get("test_connection", "me").send().await.unwrap();
    let e = http.get("tickets", "later").send().await.unwrap_err();
    assert_eq!(e.hint(), None, "{e}");

    // Without a provider's word, a refused connection still says what to check.
    let http = Http::builder(
        Provider::Atera,
        format!("http://127.0.0.1:{}/api", closed_port()),
    )
    .allow_insecure_http(true)
    .retry(RetryPolicy::new().max_attempts(1))
    .build()
    .unwrap();
    let e = http.get("test_connection", "me").send().await.unwrap_err();
    assert!(e.hint().is_some_and(|h| h.contains("port")), "{e}");
}

#[tokio::test]
async fn a_web_page_on_first_contact_fails_the_probe_and_says_what_to_check() {
    let server = MockServer::start().await;
    let page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>";
    Mock::given(path("/api/ui"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8"))
        .mount(&server)
        .await;
    Mock::given(path("/api/clients"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1}])))
        .mount(&server)
        .await;
    let http = http(&server);

    // Before the API answered once: a web page is no API, and says so.
    let e = http
        .get("test_connection", "ui")
        .send_probe()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    let hint = e.hint().unwrap_or_default();
    assert!(
        hint.contains("web page") && hint.contains("base URL"),
        "{e}"
    );

    // The API's own JSON passes the probe and counts as contact: a web page
    // after that is a plain decode error, with no first-contact hint.
    http.get("test_connection", "clients")
        .send_probe()
        .await
        .unwrap();
    let e = http.get("ui", "ui").send_json::<Value>().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    assert_eq!(e.hint(), None, "{e}");
}
