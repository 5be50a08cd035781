//! The transport against servers that misbehave on purpose, on loopback:
//! redirects to other hosts, bodies that quote the credentials, bodies too
//! large, a server that never answers, a body cut short, and back-off waits
//! beyond the caller's cap.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use mspkit_core::auth::{ApiKeyHeader, Basic, Grant, OAuth2};
use mspkit_core::http::{Http, RetryPolicy};
use mspkit_core::list::{ListRequest, Paging};
use mspkit_core::{ErrorKind, Provider, SecretString};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const KEY: &str = "k3y-that-must-not-leak";
const SECRET: &str = "s3cret-that-must-not-leak";

fn fast() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(3)
        .base_delay(Duration::from_millis(5))
}

fn keyed(server: &MockServer) -> Http {
    Http::builder(Provider::Atera, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .auth(ApiKeyHeader::new(
            "x-api-key".parse().unwrap(),
            SecretString::from(KEY),
        ))
        .build()
        .unwrap()
}

/// Answers with the request it got: the way some gateways quote what they refused.
struct Echo(u16);

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let headers: Vec<String> = req
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("")))
            .collect();
        ResponseTemplate::new(self.0).set_body_json(json!({
            "message": format!("refused {} {}", req.method, req.url),
            "headers": headers,
            "body": String::from_utf8_lossy(&req.body),
            "errors": headers,
        }))
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_is_an_error_naming_it_and_nothing_reaches_it() {
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&other)
        .await;
    let server = MockServer::start().await;
    Mock::given(path("/api/customers"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/steal?x=1", other.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let e = keyed(&server)
        .get("companies", "customers")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(
        e.to_string()
            .contains("redirected to another host (127.0.0.1)"),
        "{e}"
    );
    assert!(
        !e.to_string().contains("steal"),
        "the query was quoted: {e}"
    );
    assert!(other.received_requests().await.unwrap().is_empty());
    // Refused once: a redirect is not retried.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_redirect_on_the_same_host_is_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/api/customers"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/api/customers/"))
        .mount(&server)
        .await;
    Mock::given(path("/api/customers/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([1, 2])))
        .mount(&server)
        .await;
    let got: Value = keyed(&server)
        .get("companies", "customers")
        .send_json()
        .await
        .unwrap();
    assert_eq!(got, json!([1, 2]));
}

#[tokio::test]
async fn a_token_endpoint_that_redirects_elsewhere_gets_no_secret_and_gives_no_token() {
    let other = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "stolen", "token_type": "bearer"})),
        )
        .mount(&other)
        .await;
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/token", other.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let auth = OAuth2::new(
        Provider::Halo,
        format!("{}/auth/token", server.uri()),
        "client-id",
        Grant::ClientCredentials,
    )
    .unwrap()
    .client_secret(SecretString::from(SECRET));
    let http = Http::builder(Provider::Halo, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .auth(auth)
        .build()
        .unwrap();
    let e = http.get("tickets", "Tickets").send().await.unwrap_err();
    assert!(e.to_string().contains("another host"), "{e}");
    assert!(other.received_requests().await.unwrap().is_empty());

    // The same host: followed by the client, but the token is refused.
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/auth/token2"))
        .mount(&server)
        .await;
    Mock::given(path("/auth/token2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "moved", "token_type": "bearer"})),
        )
        .mount(&server)
        .await;
    let auth = OAuth2::new(
        Provider::Halo,
        format!("{}/auth/token", server.uri()),
        "client-id",
        Grant::ClientCredentials,
    )
    .unwrap()
    .client_secret(SecretString::from(SECRET));
    let http = Http::builder(Provider::Halo, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .auth(auth)
        .build()
        .unwrap();
    let e = http.get("tickets", "Tickets").send().await.unwrap_err();
    assert!(e.to_string().contains("follow no redirects"), "{e}");
    let api_calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().starts_with("/api/"))
        .count();
    assert_eq!(api_calls, 0, "a token from a redirect was used");
}

#[tokio::test]
async fn an_error_body_quoting_the_request_loses_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(path("/api/customers"))
        .respond_with(Echo(500))
        .mount(&server)
        .await;
    let e = keyed(&server)
        .get("companies", "customers")
        .send()
        .await
        .unwrap_err();
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(KEY), "the key leaked: {text}");
        assert!(text.contains("[REDACTED]"), "nothing was redacted: {text}");
    }

    // Basic: neither the password nor the encoded header value survives.
    let http = Http::builder(Provider::ConnectWise, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .auth(Basic::new("acme+public", SecretString::from(SECRET)))
        .build()
        .unwrap();
    Mock::given(path("/api/tickets"))
        .respond_with(Echo(400))
        .mount(&server)
        .await;
    let e = http.get("tickets", "tickets").send().await.unwrap_err();
    let basic = base64_of(&format!("acme+public:{SECRET}"));
    for text in [e.to_string(), format!("{e:?}")] {
        assert!(!text.contains(SECRET) && !text.contains(&basic), "{text}");
    }
}

fn base64_of(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[tokio::test]
async fn a_token_endpoint_body_is_never_quoted_whole() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            format!("<html>bad gateway for client_secret={SECRET}</html>"),
            "text/html",
        ))
        .mount(&server)
        .await;
    let auth = OAuth2::new(
        Provider::Halo,
        format!("{}/auth/token", server.uri()),
        "client-id",
        Grant::ClientCredentials,
    )
    .unwrap()
    .client_secret(SecretString::from(SECRET));
    let http = Http::builder(Provider::Halo, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(RetryPolicy::new().max_attempts(1))
        .auth(auth)
        .build()
        .unwrap();
    let e = http.get("tickets", "Tickets").send().await.unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains("bad gateway"), "the body was quoted: {text}");
    assert!(text.contains("text/html"), "{text}");
}

#[tokio::test]
async fn the_documented_back_off_obeys_the_callers_cap() {
    let server = MockServer::start().await;
    Mock::given(path("/api/devices"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Datto, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(fast().max_retry_after(Duration::from_secs(1)))
        .default_retry_after(Duration::from_secs(60))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = http.get("devices", "devices").send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "waited the 60 s back-off"
    );
}

#[tokio::test]
async fn a_body_over_the_cap_fails_early_with_the_setting_named() {
    let server = MockServer::start().await;
    Mock::given(path("/api/agents"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(4096)))
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Tactical, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .max_body_bytes(1024)
        .build()
        .unwrap();
    let e = http.get("devices", "agents").send().await.unwrap_err();
    assert!(e.to_string().contains("max_body_bytes"), "{e}");
    // The cap applies to a body read after its headers too.
    let e = http
        .get("devices", "agents")
        .send_head()
        .await
        .unwrap()
        .read()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("1024-byte body cap"), "{e}");
}

#[tokio::test]
async fn a_server_that_never_answers_ends_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(path("/api/agents"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let http = Http::builder(Provider::Tactical, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(fast())
        .timeout(Duration::from_millis(200))
        .deadline(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = http.get("devices", "agents").send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// A server that answers every request with a body cut short (it promises
/// more bytes than it sends and closes), then, from the `good`-th request
/// on, with the whole body.
async fn cutting_server(
    body: &'static str,
    good: usize,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let (len, sent) = if n >= good {
                (body.len(), body)
            } else {
                (body.len() + 100, &body[..body.len() / 2])
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\nconnection: close\r\n\r\n"
            );
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(sent.as_bytes()).await;
            let _ = sock.shutdown().await;
        }
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test]
async fn a_page_cut_short_is_asked_for_again_whatever_the_scheme() {
    use std::sync::atomic::Ordering;
    const PAGE: &str = r#"[{"id":1,"name":"a"},{"id":2,"name":"b"}]"#;
    for paging in [Paging::single(), Paging::link_header()] {
        let (uri, seen) = cutting_server(PAGE, 2).await;
        let http = Http::builder(Provider::ConnectWise, format!("{uri}/api/"))
            .allow_insecure_http(true)
            .retry(fast())
            .build()
            .unwrap();
        let got: Vec<Value> = ListRequest::get("companies", "company/companies")
            .walk(&http, paging.clone())
            .map(|v: Value, _| v)
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{paging:?}: {e}"));
        assert_eq!(got.len(), 2, "{paging:?}");
        assert_eq!(seen.load(Ordering::SeqCst), 2, "{paging:?}");
    }
}
