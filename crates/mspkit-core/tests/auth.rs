//! Every auth strategy, checked on the wire against a local fake server:
//! exact header values, query parameters and signatures; token fetching,
//! reuse, renewal and single flight; and no secret in `Debug` or errors.

// Helpers outside #[test] functions panic on purpose too: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mspkit_core::auth::{
    ApiKeyHeader, ApiKeyQuery, Auth, Basic, Chain, ClientAuthStyle, Grant, HeaderSet,
    HmacSignature, IssuedToken, OAuth2, TokenExchange,
};
use mspkit_core::http::{Http, RetryPolicy};
use mspkit_core::{Error, ErrorKind, ExposeSecret, Provider, SecretString};
use reqwest::header::HeaderName;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

// ---------------------------------------------------------------------------
// helpers

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn name(s: &'static str) -> HeaderName {
    HeaderName::from_static(s)
}

fn http_with(provider: Provider, server: &MockServer, auth: impl Auth + 'static) -> Http {
    Http::builder(provider, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(
            RetryPolicy::new()
                .max_attempts(3)
                .base_delay(Duration::from_millis(5)),
        )
        .auth(auth)
        .build()
        .unwrap()
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
}

/// Matches when the request carries `name` exactly once, with exactly `value`
/// (wiremock's `header` splits values on commas; this compares the raw bytes).
struct HeaderIs(&'static str, String);

impl Match for HeaderIs {
    fn matches(&self, request: &Request) -> bool {
        let all: Vec<_> = request.headers.get_all(self.0).iter().collect();
        all.len() == 1 && all[0].as_bytes() == self.1.as_bytes()
    }
}

fn header_is(name: &'static str, value: impl Into<String>) -> HeaderIs {
    HeaderIs(name, value.into())
}

/// Matches when the raw query string is exactly this (`None`: no `?` at all).
struct RawQuery(Option<&'static str>);

impl Match for RawQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query() == self.0
    }
}

/// Matches when the header is absent.
struct NoHeader(&'static str);

impl Match for NoHeader {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key(self.0)
    }
}

/// Matches a form body holding exactly these fields (in any order, nothing else).
struct FormIs(Vec<(String, String)>);

impl Match for FormIs {
    fn matches(&self, request: &Request) -> bool {
        let mut got: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        got.sort();
        got == self.0
    }
}

fn form_is(fields: &[(&str, &str)]) -> FormIs {
    let mut v: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    v.sort();
    FormIs(v)
}

/// A token endpoint that hands out `tok-1`, `tok-2`, ... (and, when asked,
/// rotates refresh tokens `rt-1`, `rt-2`, ...).
struct TokenSeq {
    issued: Arc<AtomicUsize>,
    expires_in: Option<u64>,
    rotate_refresh: bool,
}

impl TokenSeq {
    fn new(expires_in: Option<u64>) -> (Self, Arc<AtomicUsize>) {
        let issued = Arc::new(AtomicUsize::new(0));
        (
            TokenSeq {
                issued: issued.clone(),
                expires_in,
                rotate_refresh: false,
            },
            issued,
        )
    }
}

impl Respond for TokenSeq {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let mut body = json!({"access_token": format!("tok-{n}"), "token_type": "bearer"});
        if let Some(e) = self.expires_in {
            body["expires_in"] = e.into();
        }
        if self.rotate_refresh {
            body["refresh_token"] = format!("rt-{n}").into();
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

async fn requests_to(server: &MockServer, p: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == p)
        .collect()
}

fn bearer_of(r: &Request) -> String {
    r.headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

fn assert_no_secret(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "{s:?} leaked into: {text}");
    }
}

// ---------------------------------------------------------------------------
// fixed credentials

#[tokio::test]
async fn basic_sends_connectwise_company_plus_public_key_and_private_key() {
    let server = MockServer::start().await;
    // base64("acme+PUBKEY123:PRIVKEY456"), computed independently.
    Mock::given(method("GET"))
        .and(path("/api/company/companies"))
        .and(header_is(
            "authorization",
            "Basic YWNtZStQVUJLRVkxMjM6UFJJVktFWTQ1Ng==",
        ))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(
        Provider::ConnectWise,
        &server,
        Basic::new("acme+PUBKEY123", secret("PRIVKEY456")),
    );
    http.get("companies", "company/companies")
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn api_key_header_sends_the_key_as_the_whole_value() {
    let server = MockServer::start().await;
    Mock::given(path("/api/customers"))
        .and(header_is("x-api-key", "atera-key-123"))
        .and(NoHeader("authorization"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(
        Provider::Atera,
        &server,
        ApiKeyHeader::new(name("x-api-key"), secret("atera-key-123")),
    );
    http.get("customers", "customers").send().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn api_key_header_with_a_bearer_prefix() {
    let server = MockServer::start().await;
    Mock::given(path("/api/customers"))
        .and(header_is("authorization", "Bearer syncro-key-456"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(
        Provider::Syncro,
        &server,
        ApiKeyHeader::new(name("authorization"), secret("syncro-key-456")).with_prefix("Bearer "),
    );
    http.get("customers", "customers").send().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn api_key_query_appends_exactly_one_parameter_and_keeps_the_others() {
    let server = MockServer::start().await;
    Mock::given(path("/api/clients"))
        .and(RawQuery(Some("page=2&api_key=itflow-key-789")))
        .and(NoHeader("authorization"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(
        Provider::ItFlow,
        &server,
        ApiKeyQuery::new("api_key", secret("itflow-key-789")),
    );
    http.get("clients", "clients")
        .query(&[("page", "2")])
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn api_key_query_for_reads_only_leaves_a_write_url_without_the_key() {
    let server = MockServer::start().await;
    Mock::given(path("/api/clients/read.php"))
        .and(RawQuery(Some("limit=1&api_key=itflow-key-789")))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/clients/create.php"))
        .and(RawQuery(None))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(
        Provider::ItFlow,
        &server,
        ApiKeyQuery::new("api_key", secret("itflow-key-789")).reads_only(),
    );
    http.get("clients", "clients/read.php")
        .query(&[("limit", "1")])
        .send()
        .await
        .unwrap();
    http.post("create_client", "clients/create.php")
        .json(&json!({"api_key": "itflow-key-789", "client_name": "Acme"}))
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn header_set_sends_autotask_plain_and_secret_headers() {
    let server = MockServer::start().await;
    Mock::given(path("/api/V1.0/Companies/query"))
        .and(header_is("apiintegrationcode", "INTCODE123"))
        .and(header_is("username", "api@acme.example"))
        .and(header_is("secret", "at-secret-xyz"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let auth = HeaderSet::new()
        .header(Provider::Autotask, name("username"), "api@acme.example")
        .unwrap()
        .secret(name("apiintegrationcode"), secret("INTCODE123"))
        .secret(name("secret"), secret("at-secret-xyz"));
    let http = http_with(Provider::Autotask, &server, auth);
    http.post("companies", "V1.0/Companies/query")
        .json(&json!({"filter": [{"op": "exist", "field": "id"}]}))
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[test]
fn header_set_refuses_a_value_that_cannot_be_a_header() {
    let err = HeaderSet::new()
        .header(Provider::Autotask, name("username"), "bad\nvalue")
        .unwrap_err();
    assert!(err.kind() == ErrorKind::Config, "{err:?}");
}

#[tokio::test]
async fn chain_sends_basic_and_the_client_id_header_together() {
    let server = MockServer::start().await;
    Mock::given(path("/api/service/tickets"))
        .and(header_is(
            "authorization",
            "Basic YWNtZStQVUJLRVkxMjM6UFJJVktFWTQ1Ng==",
        ))
        .and(header_is("clientid", "3c5b3f0e-cw-client"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let auth = Chain::new()
        .with(Basic::new("acme+PUBKEY123", secret("PRIVKEY456")))
        .with(
            HeaderSet::new()
                .header(
                    Provider::ConnectWise,
                    name("clientid"),
                    "3c5b3f0e-cw-client",
                )
                .unwrap(),
        );
    let http = http_with(Provider::ConnectWise, &server, auth);
    http.get("tickets", "service/tickets").send().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn fixed_credentials_are_not_resent_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(path("/api/x"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "bad key"})))
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(
        Provider::Atera,
        &server,
        ApiKeyHeader::new(name("x-api-key"), secret("k")),
    );
    let err = http.get("x", "x").send().await.unwrap_err();
    assert!(
        err.kind() == ErrorKind::Unauthorized && err.message() == Some("bad key"),
        "{err:?}"
    );
    server.verify().await;
}

// ---------------------------------------------------------------------------
// HMAC signature (Unleashed)

/// The worked examples of the Unleashed reference, key `test-api-key`.
const UNLEASHED_VECTORS: [(&str, &str); 4] = [
    (
        "customerCode=ACME",
        "s6KpobrGkQepswTQvcBvSBIR2gerxSxdakOIby2olOA=",
    ),
    ("", "mJXmOIXOEvaWU3yhLXyFd+DlMvZQxbttrlRgkdQOHMo="),
    (
        "pageSize=2&customerName=Acme%20Ltd",
        "keMunGB6A3J2HzUrjIMipO5+JwWOkYXkbukXEXQg6OQ=",
    ),
    (
        "modifiedSince=2024-01-01&pageSize=200",
        "9XHYXCCPYOVLKvF+abjINUXNIvgQ/BgAUBrGoJsnSpY=",
    ),
];

const UNLEASHED_ID: &str = "0f7c9f4e-3a1b-4c55-9d0e-2b7a1c3d4e5f";

fn unleashed_auth() -> HmacSignature {
    HmacSignature::new(
        name("api-auth-id"),
        UNLEASHED_ID,
        name("api-auth-signature"),
        secret("test-api-key"),
    )
}

#[test]
fn hmac_sign_matches_the_worked_examples() {
    let auth = unleashed_auth();
    for (query, signature) in UNLEASHED_VECTORS {
        assert_eq!(auth.sign(query), signature, "query {query:?}");
    }
}

#[tokio::test]
async fn hmac_signature_on_the_wire_is_the_signature_of_the_query_sent() {
    let server = MockServer::start().await;
    let http = http_with(Provider::Unleashed, &server, unleashed_auth());
    for (i, (query, signature)) in UNLEASHED_VECTORS.into_iter().enumerate() {
        let raw = if query.is_empty() { None } else { Some(query) };
        // The page number is a path segment and is not signed.
        let page = format!("/api/Customers/{}", i + 1);
        Mock::given(method("GET"))
            .and(path(page.clone()))
            .and(RawQuery(raw))
            .and(header_is("api-auth-id", UNLEASHED_ID))
            .and(header_is("api-auth-signature", signature))
            .respond_with(ok())
            .expect(1)
            .mount(&server)
            .await;
        http.get("companies", &format!("Customers/{}", i + 1))
            .raw_query(query)
            .send()
            .await
            .unwrap_or_else(|e| panic!("query {query:?}: {e}"));
    }
    // And what arrived is, for each request, the signature of its own query.
    let auth = unleashed_auth();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), UNLEASHED_VECTORS.len());
    for r in received {
        let sent = r.url.query().unwrap_or("");
        let got = r
            .headers
            .get("api-auth-signature")
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(got, auth.sign(sent), "query {sent:?}");
    }
    server.verify().await;
}

#[tokio::test]
async fn hmac_signature_and_a_client_type_header_in_a_chain() {
    let server = MockServer::start().await;
    Mock::given(path("/api/Customers"))
        .and(RawQuery(Some("customerCode=ACME")))
        .and(header_is(
            "api-auth-signature",
            "s6KpobrGkQepswTQvcBvSBIR2gerxSxdakOIby2olOA=",
        ))
        .and(header_is("client-type", "mspkit/sync"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let auth = Chain::new().with(unleashed_auth()).with(
        HeaderSet::new()
            .header(Provider::Unleashed, name("client-type"), "mspkit/sync")
            .unwrap(),
    );
    let http = http_with(Provider::Unleashed, &server, auth);
    http.get("companies", "Customers")
        .query(&[("customerCode", "ACME")])
        .send()
        .await
        .unwrap();
    server.verify().await;
}

// ---------------------------------------------------------------------------
// OAuth2

fn token_url(server: &MockServer) -> String {
    format!("{}/auth/token", server.uri())
}

#[tokio::test]
async fn oauth2_client_credentials_with_the_client_in_the_body() {
    let server = MockServer::start().await;
    let (tokens, _) = TokenSeq::new(Some(3600));
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(header_is(
            "content-type",
            "application/x-www-form-urlencoded",
        ))
        .and(NoHeader("authorization"))
        .and(form_is(&[
            ("grant_type", "client_credentials"),
            ("scope", "all edit:tickets"),
            ("client_id", "halo-client"),
            ("client_secret", "halo-secret"),
        ]))
        .respond_with(tokens)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets"))
        .and(header_is("authorization", "Bearer tok-1"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let auth = OAuth2::new(
        Provider::Halo,
        token_url(&server),
        "halo-client",
        Grant::ClientCredentials,
    )
    .unwrap()
    .client_secret(secret("halo-secret"))
    .auth_style(ClientAuthStyle::RequestBody)
    .scopes(["all", "edit:tickets"]);
    let http = http_with(Provider::Halo, &server, auth);
    http.get("tickets", "Tickets").send().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn oauth2_client_credentials_with_basic_client_auth_and_an_extra_param() {
    let server = MockServer::start().await;
    let (tokens, _) = TokenSeq::new(Some(3600));
    // base64("ninja-client:ninja-secret")
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(header_is(
            "authorization",
            "Basic bmluamEtY2xpZW50Om5pbmphLXNlY3JldA==",
        ))
        .and(form_is(&[
            ("grant_type", "client_credentials"),
            ("scope", "monitoring"),
            ("tenant", "acme"),
        ]))
        .respond_with(tokens)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/devices"))
        .and(header_is("authorization", "Bearer tok-1"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let auth = OAuth2::new(
        Provider::NinjaOne,
        token_url(&server),
        "ninja-client",
        Grant::ClientCredentials,
    )
    .unwrap()
    .client_secret(secret("ninja-secret"))
    .auth_style(ClientAuthStyle::BasicAuth)
    .scopes(["monitoring"])
    .extra_param("tenant", "acme");
    let http = http_with(Provider::NinjaOne, &server, auth);
    http.get("devices", "v2/devices").send().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn oauth2_password_grant_datto_style() {
    let server = MockServer::start().await;
    let (tokens, _) = TokenSeq::new(Some(360_000));
    // base64("public-client:public")
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(header_is(
            "authorization",
            "Basic cHVibGljLWNsaWVudDpwdWJsaWM=",
        ))
        .and(form_is(&[
            ("grant_type", "password"),
            ("username", "DATTO-API-KEY"),
            ("password", "datto secret&=+"),
        ]))
        .respond_with(tokens)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/account/devices"))
        .and(header_is("authorization", "Bearer tok-1"))
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    let auth = OAuth2::new(
        Provider::Datto,
        token_url(&server),
        "public-client",
        Grant::Password {
            username: "DATTO-API-KEY".into(),
            password: secret("datto secret&=+"),
        },
    )
    .unwrap()
    .client_secret(secret("public"))
    .auth_style(ClientAuthStyle::BasicAuth);
    let http = http_with(Provider::Datto, &server, auth);
    for _ in 0..2 {
        http.get("devices", "v2/account/devices")
            .send()
            .await
            .unwrap();
    }
    server.verify().await;
}

#[tokio::test]
async fn oauth2_refresh_grant_uses_the_rotated_refresh_token_next_time() {
    let server = MockServer::start().await;
    // The first refresh answers with a new refresh token and a token that is
    // due at once (expires_in 0: the renewal margin is 0, so the next request
    // must renew); the second request must present rt-new, not rt-initial.
    Mock::given(path("/auth/token"))
        .and(form_is(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "rt-initial"),
            ("client_id", "ninja-app"),
            ("client_secret", "app-secret"),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok-a", "token_type": "Bearer",
            "expires_in": 0, "refresh_token": "rt-new"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .and(form_is(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "rt-new"),
            ("client_id", "ninja-app"),
            ("client_secret", "app-secret"),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok-b", "token_type": "Bearer", "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations"))
        .and(header_is("authorization", "Bearer tok-a"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations"))
        .and(header_is("authorization", "Bearer tok-b"))
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    let auth = OAuth2::new(
        Provider::NinjaOne,
        token_url(&server),
        "ninja-app",
        Grant::RefreshToken(secret("rt-initial")),
    )
    .unwrap()
    .client_secret(secret("app-secret"));
    let http = http_with(Provider::NinjaOne, &server, auth);
    for _ in 0..3 {
        http.get("organizations", "v2/organizations")
            .send()
            .await
            .unwrap();
    }
    server.verify().await;
}

#[tokio::test]
async fn oauth2_token_is_reused_while_fresh() {
    let server = MockServer::start().await;
    let (tokens, issued) = TokenSeq::new(Some(3600));
    Mock::given(path("/auth/token"))
        .respond_with(tokens)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header_is("authorization", "Bearer tok-1"))
        .respond_with(ok())
        .expect(5)
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    for _ in 0..5 {
        http.get("tickets", "Tickets").send().await.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    server.verify().await;
}

#[tokio::test]
async fn oauth2_token_without_lifetime_is_kept_until_refused() {
    let server = MockServer::start().await;
    let (tokens, issued) = TokenSeq::new(None);
    Mock::given(path("/auth/token"))
        .respond_with(tokens)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    for _ in 0..3 {
        http.get("tickets", "Tickets").send().await.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
}

fn halo_oauth(server: &MockServer) -> OAuth2 {
    OAuth2::new(
        Provider::Halo,
        token_url(server),
        "halo-client",
        Grant::ClientCredentials,
    )
    .unwrap()
    .client_secret(secret("halo-secret"))
    .scopes(["all"])
}

#[tokio::test]
async fn oauth2_token_that_is_already_due_is_renewed_on_every_request() {
    let server = MockServer::start().await;
    let (tokens, issued) = TokenSeq::new(Some(0));
    Mock::given(path("/auth/token"))
        .respond_with(tokens)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    for _ in 0..3 {
        http.get("tickets", "Tickets").send().await.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 3);
    let used: Vec<String> = requests_to(&server, "/api/Tickets")
        .await
        .iter()
        .map(bearer_of)
        .collect();
    assert_eq!(used, ["Bearer tok-1", "Bearer tok-2", "Bearer tok-3"]);
}

#[tokio::test]
async fn oauth2_token_is_renewed_inside_the_margin_before_expiry() {
    let server = MockServer::start().await;
    // expires_in 1 s: the margin is a tenth of the life, so the token is due
    // after 0.9 s although it has not expired yet at 0.95 s.
    let (tokens, issued) = TokenSeq::new(Some(1));
    Mock::given(path("/auth/token"))
        .respond_with(tokens)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    http.get("tickets", "Tickets").send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(950)).await;
    http.get("tickets", "Tickets").send().await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let used: Vec<String> = requests_to(&server, "/api/Tickets")
        .await
        .iter()
        .map(bearer_of)
        .collect();
    assert_eq!(used, ["Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn oauth2_a_401_renews_the_token_once_and_retries_once() {
    let server = MockServer::start().await;
    let (tokens, issued) = TokenSeq::new(Some(3600));
    Mock::given(path("/auth/token"))
        .respond_with(tokens)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header_is("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "token revoked"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header_is("authorization", "Bearer tok-2"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    http.get("tickets", "Tickets").send().await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    server.verify().await;
}

#[tokio::test]
async fn oauth2_a_second_401_is_unauthorized() {
    let server = MockServer::start().await;
    let (tokens, issued) = TokenSeq::new(Some(3600));
    Mock::given(path("/auth/token"))
        .respond_with(tokens)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "no access to tickets"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    let err = http.get("tickets", "Tickets").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized, "{err:?}");
    assert_eq!(err.provider(), Provider::Halo);
    assert_eq!(err.operation(), "tickets");
    assert_eq!(err.message(), Some("no access to tickets"));
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    server.verify().await;
}

#[tokio::test]
async fn oauth2_many_401s_for_the_same_token_renew_it_once() {
    let server = MockServer::start().await;
    let (tokens, issued) = TokenSeq::new(Some(3600));
    Mock::given(path("/auth/token"))
        .respond_with(tokens.with_delay())
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header_is("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(10)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header_is("authorization", "Bearer tok-2"))
        .respond_with(ok())
        .expect(10)
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    let calls = (0..10).map(|_| http.get("tickets", "Tickets").send());
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    server.verify().await;
}

impl TokenSeq {
    /// The same endpoint, answering after 200 ms so that callers pile up.
    fn with_delay(self) -> DelayedTokens {
        DelayedTokens(self)
    }
}

struct DelayedTokens(TokenSeq);

impl Respond for DelayedTokens {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0
            .respond(request)
            .set_delay(Duration::from_millis(200))
    }
}

#[tokio::test]
async fn oauth2_invalid_client_is_unauthorized_without_the_secret() {
    for status in [400, 401] {
        let server = MockServer::start().await;
        Mock::given(path("/auth/token"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "error": "invalid_client",
                "error_description": "Client authentication failed"
            })))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(path("/api/Tickets"))
            .respond_with(ok())
            .expect(0)
            .mount(&server)
            .await;
        let http = http_with(Provider::Halo, &server, halo_oauth(&server));
        let err = http.get("tickets", "Tickets").send().await.unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::Unauthorized,
            "HTTP {status}: {err:?}"
        );
        assert_eq!(err.provider(), Provider::Halo);
        let message = err.message().unwrap_or_default();
        assert!(message.contains("invalid_client"), "{message}");
        assert_no_secret(&err.to_string(), &["halo-secret"]);
        assert_no_secret(&format!("{err:?}"), &["halo-secret"]);
        server.verify().await;
    }
}

#[tokio::test]
async fn oauth2_password_grant_refused_shows_neither_password_nor_client_secret() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant", "error_description": "Bad credentials"
        })))
        .mount(&server)
        .await;
    let auth = OAuth2::new(
        Provider::Datto,
        token_url(&server),
        "public-client",
        Grant::Password {
            username: "KEY".into(),
            password: secret("datto-password-xyz"),
        },
    )
    .unwrap()
    .client_secret(secret("public-secret-abc"))
    .auth_style(ClientAuthStyle::BasicAuth);
    let http = http_with(Provider::Datto, &server, auth);
    let err = http.get("devices", "devices").send().await.unwrap_err();
    assert!(err.kind() == ErrorKind::Unauthorized, "{err:?}");
    let secrets = ["datto-password-xyz", "public-secret-abc"];
    assert_no_secret(&err.to_string(), &secrets);
    assert_no_secret(&format!("{err:?}"), &secrets);
}

#[tokio::test]
async fn oauth2_token_endpoint_failures_map_to_errors_without_secrets() {
    // A gateway's 5xx, a refusal without an OAuth2 body, and a 200 whose body
    // cannot be read (and holds a token): none may quote a secret.
    type IsExpected = fn(&Error) -> bool;
    let cases: Vec<(ResponseTemplate, IsExpected)> = vec![
        (
            ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"),
            |e| e.kind() == ErrorKind::Server && e.status() == Some(502),
        ),
        (
            ResponseTemplate::new(403).set_body_string("Forbidden"),
            |e| e.kind() == ErrorKind::Unauthorized,
        ),
        (
            ResponseTemplate::new(200).set_body_raw(
                r#"{"access_token":"leaky-token","token_type":"#,
                "application/json",
            ),
            |e| e.kind() == ErrorKind::Decode,
        ),
        (
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "leaky-token"})),
            |e| e.kind() == ErrorKind::Decode,
        ),
    ];
    for (i, (response, expected)) in cases.into_iter().enumerate() {
        let server = MockServer::start().await;
        Mock::given(path("/auth/token"))
            .respond_with(response)
            .mount(&server)
            .await;
        let http = Http::builder(Provider::Halo, server.uri())
            .allow_insecure_http(true)
            .retry(RetryPolicy::none())
            .auth(halo_oauth(&server))
            .build()
            .unwrap();
        let err = http.get("tickets", "Tickets").send().await.unwrap_err();
        assert!(expected(&err), "case {i}: {err:?}");
        assert_eq!(err.provider(), Provider::Halo);
        assert_eq!(err.operation(), "authenticate");
        let secrets = ["halo-secret", "leaky-token"];
        assert_no_secret(&err.to_string(), &secrets);
        assert_no_secret(&format!("{err:?}"), &secrets);
    }
}

#[tokio::test]
async fn oauth2_a_busy_token_endpoint_is_retried_like_the_api() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "tok-ok", "token_type": "Bearer", "expires_in": 3600}),
        ))
        .with_priority(3)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header_is("authorization", "Bearer tok-ok"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    http.get("tickets", "Tickets").send().await.unwrap();
    assert_eq!(requests_to(&server, "/auth/token").await.len(), 3);
    server.verify().await;
}

#[tokio::test]
async fn oauth2_refused_credentials_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_client"})))
        .expect(1)
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    let err = http.get("tickets", "Tickets").send().await.unwrap_err();
    assert!(err.kind() == ErrorKind::Unauthorized, "{err:?}");
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth2_fifty_concurrent_requests_make_one_token_request() {
    let server = MockServer::start().await;
    let (tokens, issued) = TokenSeq::new(Some(3600));
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(tokens.with_delay())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Tickets"))
        .and(header_is("authorization", "Bearer tok-1"))
        .respond_with(ok())
        .expect(50)
        .mount(&server)
        .await;
    let http = http_with(Provider::Halo, &server, halo_oauth(&server));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let http = http.clone();
            tokio::spawn(async move { http.get("tickets", "Tickets").send().await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    server.verify().await;
}

// ---------------------------------------------------------------------------
// TokenExchange (Automate, Kaseya BMS)

fn automate_login(server: &MockServer) -> TokenExchange {
    let login_url = format!("{}/cwa/api/v1/apitoken", server.uri());
    let url = login_url.clone();
    TokenExchange::new(
        login_url,
        move |client: &reqwest::Client| {
            client
                .post(&url)
                .header("clientid", "automate-client-id")
                .json(&json!({"UserName": "api-user", "Password": "automate-pw-123"}))
        },
        |body: &[u8]| {
            let v: Value = serde_json::from_slice(body)?;
            let token = v["AccessToken"].as_str().ok_or("no AccessToken")?;
            Ok(IssuedToken::new(SecretString::from(token.to_owned())))
        },
    )
}

/// A login endpoint answering `login-1`, `login-2`, ...
struct LoginSeq(Arc<AtomicUsize>);

impl Respond for LoginSeq {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "AccessToken": format!("login-{n}"),
            "TokenType": "Bearer",
            "ExpirationDate": "2030-01-01T00:00:00Z"
        }))
    }
}

#[tokio::test]
async fn token_exchange_posts_the_login_exactly_and_reuses_the_token() {
    let server = MockServer::start().await;
    let logins = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/cwa/api/v1/apitoken"))
        .and(header_is("clientid", "automate-client-id"))
        .and(header_is("content-type", "application/json"))
        .and(body_json(
            json!({"UserName": "api-user", "Password": "automate-pw-123"}),
        ))
        .respond_with(LoginSeq(logins.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .and(header_is("authorization", "Bearer login-1"))
        .respond_with(ok())
        .expect(3)
        .mount(&server)
        .await;
    let http = http_with(Provider::Automate, &server, automate_login(&server));
    for _ in 0..3 {
        http.get("devices", "Computers").send().await.unwrap();
    }
    assert_eq!(logins.load(Ordering::SeqCst), 1);
    server.verify().await;
}

#[tokio::test]
async fn token_exchange_logs_in_again_once_after_a_401() {
    let server = MockServer::start().await;
    let logins = Arc::new(AtomicUsize::new(0));
    Mock::given(path("/cwa/api/v1/apitoken"))
        .respond_with(LoginSeq(logins.clone()))
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .and(header_is("authorization", "Bearer login-1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .and(header_is("authorization", "Bearer login-2"))
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    let http = http_with(Provider::Automate, &server, automate_login(&server));
    http.get("devices", "Computers").send().await.unwrap();
    http.get("devices", "Computers").send().await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 2);
    server.verify().await;
}

#[tokio::test]
async fn token_exchange_a_second_401_is_unauthorized_after_one_relogin() {
    let server = MockServer::start().await;
    let logins = Arc::new(AtomicUsize::new(0));
    Mock::given(path("/cwa/api/v1/apitoken"))
        .respond_with(LoginSeq(logins.clone()))
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .respond_with(ResponseTemplate::new(401))
        .expect(2)
        .mount(&server)
        .await;
    let http = http_with(Provider::Automate, &server, automate_login(&server));
    let err = http.get("devices", "Computers").send().await.unwrap_err();
    assert!(err.kind() == ErrorKind::Unauthorized, "{err:?}");
    assert_eq!(logins.load(Ordering::SeqCst), 2);
    server.verify().await;
}

#[tokio::test]
async fn token_exchange_custom_header_without_scheme() {
    let server = MockServer::start().await;
    let logins = Arc::new(AtomicUsize::new(0));
    Mock::given(path("/cwa/api/v1/apitoken"))
        .respond_with(LoginSeq(logins.clone()))
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .and(header_is("x-auth-token", "login-1"))
        .and(NoHeader("authorization"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let auth = automate_login(&server)
        .header(name("x-auth-token"))
        .scheme("");
    let http = http_with(Provider::KaseyaBms, &server, auth);
    http.get("devices", "Computers").send().await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn token_exchange_refused_login_is_unauthorized_without_the_password() {
    let server = MockServer::start().await;
    Mock::given(path("/cwa/api/v1/apitoken"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"Message": "Invalid credentials"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .respond_with(ok())
        .expect(0)
        .mount(&server)
        .await;
    let http = http_with(Provider::Automate, &server, automate_login(&server));
    let err = http.get("devices", "Computers").send().await.unwrap_err();
    assert!(
        err.kind() == ErrorKind::Unauthorized
            && err.operation() == "authenticate"
            && err
                .message()
                .is_some_and(|m| m.contains("Invalid credentials")),
        "{err:?}"
    );
    assert_no_secret(&err.to_string(), &["automate-pw-123"]);
    assert_no_secret(&format!("{err:?}"), &["automate-pw-123"]);
    server.verify().await;
}

#[tokio::test]
async fn token_exchange_unreadable_login_body_does_not_quote_the_token() {
    let server = MockServer::start().await;
    Mock::given(path("/cwa/api/v1/apitoken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"Token": "leaky-login-token"})),
        )
        .mount(&server)
        .await;
    let http = http_with(Provider::Automate, &server, automate_login(&server));
    let err = http.get("devices", "Computers").send().await.unwrap_err();
    assert!(err.kind() == ErrorKind::Decode, "{err:?}");
    assert_no_secret(&err.to_string(), &["leaky-login-token", "automate-pw-123"]);
    assert_no_secret(
        &format!("{err:?}"),
        &["leaky-login-token", "automate-pw-123"],
    );
}

// ---------------------------------------------------------------------------
// TokenExchange with a refresh step (Automate's apitoken/refresh, BMS's
// security/refreshtoken)

/// Reads `{"access", "refresh"?, "until"?}`.
fn parse_issued(body: &[u8]) -> Result<IssuedToken, mspkit_core::error::BoxError> {
    let v: Value = serde_json::from_slice(body)?;
    let mut t = IssuedToken::new(secret(v["access"].as_str().ok_or("no access")?));
    if let Some(r) = v["refresh"].as_str() {
        t = t.refresh_token(secret(r));
    }
    if let Some(u) = v["until"].as_str() {
        t = t.renewable_until(u.parse()?);
    }
    Ok(t)
}

/// Signs in at `/auth/login`; refreshes at `/auth/refresh` with the last
/// access and refresh tokens as a form, when a refresh token was issued.
fn refreshing_exchange(server: &MockServer) -> TokenExchange {
    let login_url = format!("{}/auth/login", server.uri());
    let refresh_url = format!("{}/auth/refresh", server.uri());
    let url = login_url.clone();
    TokenExchange::new(
        login_url,
        move |client: &reqwest::Client| {
            client
                .post(&url)
                .json(&json!({"user": "api-user", "password": "login-pw-123"}))
        },
        parse_issued,
    )
    .secret(secret("login-pw-123"))
    .secret_encoding(|s| url::form_urlencoded::byte_serialize(s.as_bytes()).collect())
    .refresh_with(
        move |client: &reqwest::Client, last: &IssuedToken| {
            let refresh = last.refresh_token.as_ref()?;
            let form = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("access", last.access_token.expose_secret())
                .append_pair("refresh", refresh.expose_secret())
                .finish();
            Some(
                client
                    .post(&refresh_url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form),
            )
        },
        parse_issued,
    )
}

/// A token endpoint answering `{prefix}-1`, `{prefix}-2`, ... with the
/// refresh tokens `rt/{prefix}+1`, ... (characters a form encodes).
struct Issue {
    prefix: &'static str,
    issued: Arc<AtomicUsize>,
    refresh: bool,
    until: chrono::DateTime<chrono::Utc>,
    delay: Duration,
}

impl Issue {
    fn new(prefix: &'static str) -> (Self, Arc<AtomicUsize>) {
        let issued = Arc::new(AtomicUsize::new(0));
        (
            Issue {
                prefix,
                issued: issued.clone(),
                refresh: true,
                until: chrono::Utc::now() + chrono::Duration::hours(6),
                delay: Duration::ZERO,
            },
            issued,
        )
    }
}

impl Respond for Issue {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let mut body = json!({
            "access": format!("{}-{n}", self.prefix),
            "until": self.until.to_rfc3339(),
        });
        if self.refresh {
            body["refresh"] = json!(format!("rt/{}+{n}", self.prefix));
        }
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(self.delay)
    }
}

#[tokio::test]
async fn token_exchange_refreshes_while_renewable() {
    let server = MockServer::start().await;
    let (login, logins) = Issue::new("login");
    Mock::given(path("/auth/login"))
        .respond_with(login)
        .mount(&server)
        .await;
    let (refresh, refreshes) = Issue::new("refreshed");
    Mock::given(method("POST"))
        .and(path("/auth/refresh"))
        .and(form_is(&[("access", "login-1"), ("refresh", "rt/login+1")]))
        .respond_with(refresh)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .and(header_is("authorization", "Bearer login-1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .and(header_is("authorization", "Bearer refreshed-1"))
        .respond_with(ok())
        .expect(2)
        .mount(&server)
        .await;
    let http = http_with(Provider::Automate, &server, refreshing_exchange(&server));
    http.get("devices", "Computers").send().await.unwrap();
    http.get("devices", "Computers").send().await.unwrap();
    assert_eq!(logins.load(Ordering::SeqCst), 1, "no second sign-in");
    assert_eq!(refreshes.load(Ordering::SeqCst), 1);
    server.verify().await;
}

#[tokio::test]
async fn token_exchange_a_refused_refresh_falls_back_to_one_sign_in() {
    let answers = [
        ResponseTemplate::new(401).set_body_json(json!({"Message": "Invalid token."})),
        ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant"})),
        ResponseTemplate::new(403),
        ResponseTemplate::new(200).set_body_string("<html>signed out</html>"),
    ];
    for (i, answer) in answers.into_iter().enumerate() {
        let server = MockServer::start().await;
        let (login, logins) = Issue::new("login");
        Mock::given(path("/auth/login"))
            .respond_with(login)
            .mount(&server)
            .await;
        Mock::given(path("/auth/refresh"))
            .respond_with(answer)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(path("/api/Computers"))
            .and(header_is("authorization", "Bearer login-1"))
            .respond_with(ResponseTemplate::new(401))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(path("/api/Computers"))
            .and(header_is("authorization", "Bearer login-2"))
            .respond_with(ok())
            .expect(2)
            .mount(&server)
            .await;
        let http = http_with(Provider::KaseyaBms, &server, refreshing_exchange(&server));
        http.get("devices", "Computers").send().await.unwrap();
        // The refresh token of the refused refresh is spent: not tried again.
        http.get("devices", "Computers").send().await.unwrap();
        assert_eq!(logins.load(Ordering::SeqCst), 2, "answer {i}");
        server.verify().await;
    }
}

#[tokio::test]
async fn token_exchange_signs_in_once_the_session_may_not_be_refreshed() {
    // Past `renewable_until`, and an issuance without a refresh token.
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    for (until, refresh) in [(past, true), (past + chrono::Duration::hours(1), false)] {
        let server = MockServer::start().await;
        let (mut login, logins) = Issue::new("login");
        login.until = until;
        login.refresh = refresh;
        Mock::given(path("/auth/login"))
            .respond_with(login)
            .mount(&server)
            .await;
        Mock::given(path("/auth/refresh"))
            .respond_with(ok())
            .expect(0)
            .mount(&server)
            .await;
        Mock::given(path("/api/Computers"))
            .and(header_is("authorization", "Bearer login-1"))
            .respond_with(ResponseTemplate::new(401))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(path("/api/Computers"))
            .and(header_is("authorization", "Bearer login-2"))
            .respond_with(ok())
            .expect(1)
            .mount(&server)
            .await;
        let http = http_with(Provider::Automate, &server, refreshing_exchange(&server));
        http.get("devices", "Computers").send().await.unwrap();
        assert_eq!(logins.load(Ordering::SeqCst), 2);
        server.verify().await;
    }
}

#[tokio::test]
async fn token_exchange_concurrent_callers_share_one_refresh() {
    let server = MockServer::start().await;
    let (login, logins) = Issue::new("login");
    Mock::given(path("/auth/login"))
        .respond_with(login)
        .mount(&server)
        .await;
    let (mut refresh, refreshes) = Issue::new("refreshed");
    refresh.delay = Duration::from_millis(100);
    Mock::given(path("/auth/refresh"))
        .respond_with(refresh)
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .and(header_is("authorization", "Bearer login-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .and(header_is("authorization", "Bearer refreshed-1"))
        .respond_with(ok())
        .expect(20)
        .mount(&server)
        .await;
    let http = http_with(Provider::Automate, &server, refreshing_exchange(&server));
    let calls = (0..20).map(|_| http.get("devices", "Computers").send());
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(logins.load(Ordering::SeqCst), 1);
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "one refresh for all");
    server.verify().await;
}

#[tokio::test]
async fn token_exchange_refresh_tokens_never_reach_an_error() {
    // A busy refresh endpoint quoting the refresh token as sent and as a
    // form writes it: retried as a refresh, then reported without it.
    let server = MockServer::start().await;
    let (login, logins) = Issue::new("login");
    Mock::given(path("/auth/login"))
        .respond_with(login)
        .mount(&server)
        .await;
    Mock::given(path("/auth/refresh"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({
            "Message": "cannot refresh rt/login+1 (refresh=rt%2Flogin%2B1) now"
        })))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(path("/api/Computers"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let auth = Arc::new(refreshing_exchange(&server));
    let http = Http::builder(Provider::KaseyaBms, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(
            RetryPolicy::new()
                .max_attempts(3)
                .base_delay(Duration::from_millis(5)),
        )
        .auth_arc(auth.clone())
        .build()
        .unwrap();
    let err = http.get("devices", "Computers").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err:?}");
    assert!(err.to_string().contains("cannot refresh"), "{err}");
    let leaks = ["rt/login+1", "rt%2Flogin%2B1", "login-pw-123"];
    assert_no_secret(&err.to_string(), &leaks);
    assert_no_secret(&format!("{err:?}"), &leaks);
    assert_no_secret(&format!("{auth:?} {http:?}"), &leaks);
    assert_eq!(
        logins.load(Ordering::SeqCst),
        1,
        "a busy refresh is not a sign-in"
    );
    server.verify().await;
}

#[test]
fn debug_of_an_issued_refresh_token_hides_it() {
    let t = IssuedToken::new(secret("issued-token-abc"))
        .refresh_token(secret("issued-refresh-xyz"))
        .renewable_until("2030-01-01T00:00:00Z".parse().unwrap());
    let text = format!("{t:?}");
    assert!(text.contains("2030-01-01"), "{text}");
    assert_no_secret(&text, &["issued-token-abc", "issued-refresh-xyz"]);
}

// ---------------------------------------------------------------------------
// Debug never shows a secret

#[tokio::test]
async fn debug_of_every_strategy_and_of_http_shows_no_secret() {
    let server = MockServer::start().await;
    let (tokens, _) = TokenSeq::new(Some(3600));
    Mock::given(path("/auth/token"))
        .respond_with(tokens)
        .mount(&server)
        .await;
    Mock::given(path("/cwa/api/v1/apitoken"))
        .respond_with(LoginSeq(Arc::new(AtomicUsize::new(0))))
        .mount(&server)
        .await;
    Mock::given(path("/api/x"))
        .respond_with(ok())
        .mount(&server)
        .await;

    let secrets = [
        "PUBKEY123",
        "PRIVKEY456",
        "atera-key-123",
        "itflow-key-789",
        "INTCODE123",
        "at-secret-xyz",
        "test-api-key",
        "halo-secret",
        "rt-initial-secret",
        "datto-password-xyz",
        "automate-pw-123",
        // tokens handed out by the fake endpoints
        "tok-1",
        "login-1",
    ];
    let strategies: Vec<(Arc<dyn Auth>, &str)> = vec![
        (
            Arc::new(Basic::new("acme+PUBKEY123", secret("PRIVKEY456"))),
            "Basic",
        ),
        (
            Arc::new(ApiKeyHeader::new(
                name("x-api-key"),
                secret("atera-key-123"),
            )),
            "x-api-key",
        ),
        (
            Arc::new(ApiKeyQuery::new("api_key", secret("itflow-key-789"))),
            "api_key",
        ),
        (
            Arc::new(
                HeaderSet::new()
                    .header(Provider::Autotask, name("username"), "api@acme.example")
                    .unwrap()
                    .secret(name("apiintegrationcode"), secret("INTCODE123"))
                    .secret(name("secret"), secret("at-secret-xyz")),
            ),
            "api@acme.example",
        ),
        (Arc::new(unleashed_auth()), "api-auth-signature"),
        (Arc::new(halo_oauth(&server)), "halo-client"),
        (
            Arc::new(
                OAuth2::new(
                    Provider::NinjaOne,
                    token_url(&server),
                    "ninja-app",
                    Grant::RefreshToken(secret("rt-initial-secret")),
                )
                .unwrap()
                .client_secret(secret("halo-secret")),
            ),
            "refresh_token",
        ),
        (
            Arc::new(
                OAuth2::new(
                    Provider::Datto,
                    token_url(&server),
                    "public-client",
                    Grant::Password {
                        username: "DATTO-API-KEY".into(),
                        password: secret("datto-password-xyz"),
                    },
                )
                .unwrap(),
            ),
            "password",
        ),
        (Arc::new(automate_login(&server)), "apitoken"),
        (
            Arc::new(
                Chain::new()
                    .with(Basic::new("acme+PUBKEY123", secret("PRIVKEY456")))
                    .with(ApiKeyHeader::new(
                        name("x-api-key"),
                        secret("atera-key-123"),
                    )),
            ),
            "Chain",
        ),
    ];
    for (auth, shown) in strategies {
        let before = format!("{auth:?}");
        // The Debug output is not empty: it names the strategy or a setting.
        assert!(before.contains(shown), "{before}");
        assert_no_secret(&before, &secrets);

        let http = Http::builder(Provider::Halo, format!("{}/api", server.uri()))
            .allow_insecure_http(true)
            .auth_arc(auth.clone())
            .build()
            .unwrap();
        // After a call, a token strategy holds a token: still not shown.
        let _ = http.get("x", "x").send().await;
        for text in [
            format!("{auth:?}"),
            format!("{http:?}"),
            format!("{http:#?}"),
        ] {
            assert!(text.contains(shown), "{text}");
            assert_no_secret(&text, &secrets);
        }
        let req = http.get("x", "x");
        assert_no_secret(&format!("{req:?}"), &secrets);
    }
}

#[test]
fn debug_of_an_issued_token_hides_it() {
    let t = IssuedToken::new(secret("issued-token-abc")).expires_in(Duration::from_secs(60));
    let text = format!("{t:?}");
    assert!(text.contains("60s"), "{text}");
    assert_no_secret(&text, &["issued-token-abc"]);
}
