//! Credential checks for fake servers: each admits a request or answers the
//! platform's own refusal (a [`Reply`] the caller gives).
//!
//! A check is used in one of three ways:
//! - [`mount_gate`]: one top-priority mock that refuses every request in a
//!   scope (`path_regex("^/api/")`) without the credential; the routes
//!   behind it need no check of their own. The usual choice.
//! - [`Credential::guard`]: wraps one responder (`Mock::given(any())` fakes
//!   that route by hand).
//! - [`Credential::matcher`]: a wiremock matcher that matches admitted
//!   requests, for mocks that route on it; put it after the path matchers.
//!
//! A check is run once per request by the gate and the guard. Checks with
//! side effects ([`BearerToken`] counts a token's uses) count once per
//! request there; as a matcher they count each time wiremock asks.

use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::reply::Reply;
use crate::tokens::TokenStore;

/// A credential check: admits a request, or answers with the refusal.
pub trait Credential: Send + Sync + 'static {
    /// `Ok` when the request carries the credential, else the response to
    /// send (the platform's 401 or 403).
    // The refusal is the response itself: boxing it would only burden every check.
    #[allow(clippy::result_large_err)]
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate>;

    /// Wraps `inner`: requests this check refuses get the refusal, the others
    /// `inner`'s answer.
    fn guard<R: Respond>(self, inner: R) -> Guarded<Self, R>
    where
        Self: Sized,
    {
        Guarded { check: self, inner }
    }

    /// A matcher that matches the requests this check admits.
    fn matcher(self) -> Accepts<Self>
    where
        Self: Sized,
    {
        Accepts(self)
    }
}

/// A header's value as text, if present and visible ASCII.
pub fn header_value<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Both checks must admit; the first refusal is sent
/// (ConnectWise: Basic and the `clientId` header).
impl<A: Credential, B: Credential> Credential for (A, B) {
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        self.0.admit(request)?;
        self.1.admit(request)
    }
}

/// A responder behind a credential check (see [`Credential::guard`]).
pub struct Guarded<C, R> {
    check: C,
    inner: R,
}

impl<C: Credential, R: Respond> Respond for Guarded<C, R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match self.check.admit(request) {
            Ok(()) => self.inner.respond(request),
            Err(refusal) => refusal,
        }
    }
}

/// A matcher for admitted requests (see [`Credential::matcher`]).
pub struct Accepts<C>(C);

impl<C: Credential> Match for Accepts<C> {
    fn matches(&self, request: &Request) -> bool {
        self.0.admit(request).is_ok()
    }
}

/// The gate's shared state: the check, and the refusal its matcher found
/// for the request being handled (wiremock matches and responds to one
/// request at a time, so the responder takes what the matcher left).
struct Gate<C> {
    check: C,
    refusal: Mutex<Option<ResponseTemplate>>,
}

struct GateMatch<C>(Arc<Gate<C>>);
struct GateRespond<C>(Arc<Gate<C>>);

impl<C: Credential> Match for GateMatch<C> {
    fn matches(&self, request: &Request) -> bool {
        match self.0.check.admit(request) {
            Ok(()) => false,
            Err(refusal) => {
                *self
                    .0
                    .refusal
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(refusal);
                true
            }
        }
    }
}

impl<C: Credential> Respond for GateRespond<C> {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.0
            .refusal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_else(|| ResponseTemplate::new(401))
    }
}

/// Mounts a gate on `server`: every request that `scope` matches and `check`
/// refuses gets the refusal; admitted requests go on to the other mocks.
/// The gate has priority 1, so it sees each request first, once.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use mspkit_testkit::{ApiKeyHeader, Reply, mount_gate};
/// use serde_json::json;
/// use wiremock::matchers::path_regex;
///
/// let server = wiremock::MockServer::start().await;
/// let key = ApiKeyHeader::new("x-api-key", "k-123", Reply::json(401, json!({"error": "bad key"})));
/// mount_gate(&server, path_regex("^/api/"), key).await;
/// # }
/// ```
pub async fn mount_gate(server: &MockServer, scope: impl Match + 'static, check: impl Credential) {
    let gate = Arc::new(Gate {
        check,
        refusal: Mutex::new(None),
    });
    Mock::given(scope)
        .and(GateMatch(gate.clone()))
        .respond_with(GateRespond(gate))
        .with_priority(1)
        .named("credential gate")
        .mount(server)
        .await;
}

/// An API key in a header, compared exactly.
#[derive(Debug, Clone)]
pub struct ApiKeyHeader {
    header: String,
    value: String,
    refusal: Reply,
}

impl ApiKeyHeader {
    /// Header `header` must be exactly `value`; else `refusal`.
    pub fn new(header: impl Into<String>, value: impl Into<String>, refusal: Reply) -> Self {
        ApiKeyHeader {
            header: header.into(),
            value: value.into(),
            refusal,
        }
    }
}

impl Credential for ApiKeyHeader {
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        match header_value(request, &self.header) {
            Some(v) if v == self.value => Ok(()),
            _ => Err(self.refusal.template()),
        }
    }
}

/// An API key in a query parameter, compared exactly (first value).
#[derive(Debug, Clone)]
pub struct ApiKeyQuery {
    param: String,
    value: String,
    refusal: Reply,
}

impl ApiKeyQuery {
    /// Query parameter `param` must be exactly `value`; else `refusal`.
    pub fn new(param: impl Into<String>, value: impl Into<String>, refusal: Reply) -> Self {
        ApiKeyQuery {
            param: param.into(),
            value: value.into(),
            refusal,
        }
    }
}

impl Credential for ApiKeyQuery {
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        match crate::query::query_param(request, &self.param) {
            Some(v) if v == self.value => Ok(()),
            _ => Err(self.refusal.template()),
        }
    }
}

/// The value of a `Basic` authorization header for `user` and `password`
/// (`Basic base64(user:password)`), computed here rather than by the
/// client, for a fake's list of secrets or an exact header check.
pub fn basic_header_value(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

/// The `user:password` pair of a `Basic` authorization header, decoded.
pub fn basic_credentials(request: &Request) -> Option<(String, String)> {
    let value = header_value(request, "authorization")?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// HTTP Basic: the header is decoded and the user and password compared
/// exactly (not the encoded header against an encoding of our own).
#[derive(Debug, Clone)]
pub struct BasicAuth {
    user: String,
    password: String,
    refusal: Reply,
}

impl BasicAuth {
    /// `Authorization: Basic base64(user:password)`; else `refusal`.
    pub fn new(user: impl Into<String>, password: impl Into<String>, refusal: Reply) -> Self {
        BasicAuth {
            user: user.into(),
            password: password.into(),
            refusal,
        }
    }
}

impl Credential for BasicAuth {
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        match basic_credentials(request) {
            Some((u, p)) if u == self.user && p == self.password => Ok(()),
            _ => Err(self.refusal.template()),
        }
    }
}

/// The token of a `Bearer` authorization header.
pub fn bearer_token(request: &Request) -> Option<&str> {
    let value = header_value(request, "authorization")?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A `Bearer` token: one of the fixed tokens, or one a [`TokenStore`]
/// issued and still honours (each admitted call counts as a use).
#[derive(Debug, Clone)]
pub struct BearerToken {
    fixed: Vec<String>,
    store: Option<TokenStore>,
    refusal: Reply,
}

impl BearerToken {
    /// Accepts this one token; anything else gets `refusal`.
    pub fn fixed(token: impl Into<String>, refusal: Reply) -> Self {
        BearerToken {
            fixed: vec![token.into()],
            store: None,
            refusal,
        }
    }

    /// Accepts the tokens `store` issued (see [`TokenStore::admit`]).
    pub fn issued_by(store: &TokenStore, refusal: Reply) -> Self {
        BearerToken {
            fixed: Vec::new(),
            store: Some(store.clone()),
            refusal,
        }
    }

    /// Also accepts this fixed token.
    pub fn or_token(mut self, token: impl Into<String>) -> Self {
        self.fixed.push(token.into());
        self
    }
}

impl Credential for BearerToken {
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        let Some(token) = bearer_token(request) else {
            return Err(self.refusal.template());
        };
        if self.fixed.iter().any(|t| t == token) {
            return Ok(());
        }
        match &self.store {
            Some(store) if store.admit(token) => Ok(()),
            _ => Err(self.refusal.template()),
        }
    }
}

/// A set of headers that must all be present with the given values
/// (Autotask's `ApiIntegrationCode`, `UserName` and `Secret`). Each header
/// can have a refusal of its own.
#[derive(Debug, Clone)]
pub struct HeaderSet {
    headers: Vec<Expect>,
    refusal: Reply,
}

#[derive(Debug, Clone)]
struct Expect {
    name: String,
    value: String,
    ignore_case: bool,
    refusal: Option<Reply>,
}

impl HeaderSet {
    /// No headers yet; a missing or wrong one gets `refusal` unless it has
    /// its own.
    pub fn new(refusal: Reply) -> Self {
        HeaderSet {
            headers: Vec::new(),
            refusal,
        }
    }

    /// Header `name` must be exactly `value`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push(Expect {
            name: name.into(),
            value: value.into(),
            ignore_case: false,
            refusal: None,
        });
        self
    }

    /// Header `name` must be `value`, ignoring ASCII case (user names).
    pub fn header_ignore_case(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push(Expect {
            name: name.into(),
            value: value.into(),
            ignore_case: true,
            refusal: None,
        });
        self
    }

    /// Header `name` must be exactly `value`, else `refusal` (Autotask
    /// answers a wrong integration code with a 500). Headers are checked in
    /// the order added.
    pub fn header_or(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        refusal: Reply,
    ) -> Self {
        self.headers.push(Expect {
            name: name.into(),
            value: value.into(),
            ignore_case: false,
            refusal: Some(refusal),
        });
        self
    }
}

impl Credential for HeaderSet {
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        for e in &self.headers {
            let ok = header_value(request, &e.name).is_some_and(|v| {
                if e.ignore_case {
                    v.eq_ignore_ascii_case(&e.value)
                } else {
                    v == e.value
                }
            });
            if !ok {
                return Err(e.refusal.as_ref().unwrap_or(&self.refusal).template());
            }
        }
        Ok(())
    }
}

/// Any check written as a closure.
#[derive(Clone)]
pub struct CheckFn<F>(pub F);

impl<F> Credential for CheckFn<F>
where
    F: Fn(&Request) -> Result<(), ResponseTemplate> + Send + Sync + 'static,
{
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        (self.0)(request)
    }
}
