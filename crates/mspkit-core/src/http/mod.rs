//! The transport every provider sends through: one `reqwest` client (rustls, ring)
//! with a base URL, auth, retries, a rate limiter (which can follow the budget
//! a platform reports in its headers), timeouts and tracing.
//!
//! ```no_run
//! # async fn run() -> mspkit_core::Result<()> {
//! use mspkit_core::auth::ApiKeyHeader;
//! use mspkit_core::http::{Http, RateLimit};
//! use mspkit_core::Provider;
//!
//! let http = Http::builder(Provider::Atera, "https://app.atera.com/api/v3")
//!     .auth(ApiKeyHeader::new("x-api-key".parse().unwrap(), "secret".into()))
//!     .rate_limit(RateLimit::per_minute(700))
//!     .build()?;
//! let customers: serde_json::Value = http.get("customers", "customers").send_json().await?;
//! # Ok(()) }
//! ```

mod budget;
mod error_body;
mod rate_limit;
mod request;
mod response;
mod retry;
mod tls;
mod url;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use reqwest::header::{ACCEPT, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::{Instrument, field};

pub use self::budget::{BudgetHeaders, BudgetReading};
pub use self::error_body::{ErrorBody, ErrorBodyParser};
pub use self::rate_limit::{RateLimit, RateLimiter};
pub use self::request::ApiRequest;
pub use self::response::{Response, ResponseHead, decode_json, decode_value, decode_value_at};
pub use self::retry::{RetryPolicy, parse_retry_after, retry_after};
pub use self::tls::{
    RootsDebug, Trust, client_builder, client_builder_with, root_store, rustls_config,
    rustls_config_with,
};
pub use self::url::{encode_segment, parse_base_url};

use crate::auth::{Auth, AuthContext, NoAuth};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Provider;

/// The largest response body read unless set otherwise: a larger answer
/// fails early instead of filling memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The time one attempt may take, from sending to the end of the body,
/// unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The time a connection may take to open unless set otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("mspkit/", env!("CARGO_PKG_VERSION"));

/// The authenticated transport of one provider client. Cheap to clone: clones
/// share the connection pool, the token, the rate limiter and what the
/// platform last said about its request budget.
#[derive(Clone)]
pub struct Http {
    inner: Arc<Inner>,
}

struct Inner {
    provider: Provider,
    client: reqwest::Client,
    base: ::url::Url,
    auth: Arc<dyn Auth>,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    budget: Option<budget::Budget>,
    error_body: ErrorBodyParser,
    request_id_header: Option<HeaderName>,
    default_headers: HeaderMap,
    default_retry_after: Option<Duration>,
    discovery: Option<Discovery>,
    max_body: usize,
    deadline: Option<Duration>,
    page_concurrency: usize,
    hints: Option<FirstContactHints>,
    /// Whether any request has been answered successfully yet.
    contacted: std::sync::atomic::AtomicBool,
}

/// What to check when a request fails before the platform ever answered
/// this transport successfully: a provider's reading of a failure's kind and
/// HTTP status, from its docs page's "First contact" section.
pub type FirstContactHints = fn(ErrorKind, Option<u16>) -> Option<&'static str>;

/// How many page requests a list walk keeps in flight by default, where its
/// paging scheme allows more than one (see `docs/performance.md`).
pub const DEFAULT_PAGE_CONCURRENCY: usize = 4;

/// Finds a tenant's API root on first use (Autotask's zone, ConnectWise's
/// codebase). It gets a transport rooted at the builder's base URL that
/// sends no credentials (look-up endpoints take none, and a look-up host
/// never sees them) and returns the root every request is then joined to.
pub type DiscoverRoot = Arc<dyn Fn(Http) -> BoxFuture<'static, Result<::url::Url>> + Send + Sync>;

struct Discovery {
    find: DiscoverRoot,
    lookup: Http,
    root: tokio::sync::OnceCell<::url::Url>,
}

/// Joins `path` under `root`; `Err` says why a path would leave it (an
/// absolute URL, a `\\host` or enough `..` would send credentials elsewhere).
fn join_under(root: &::url::Url, path: &str) -> std::result::Result<::url::Url, String> {
    match root.join(path) {
        Ok(url) if url.origin() == root.origin() && url.path().starts_with(root.path()) => Ok(url),
        Ok(_) => Err("it leaves the API root".to_owned()),
        Err(e) => Err(format!("it is not valid: {e}")),
    }
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http")
            .field("provider", &self.inner.provider)
            .field("base", &self.inner.base.as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field(
                "rate_limit",
                &self.inner.limiter.as_ref().map(RateLimiter::limit),
            )
            .field(
                "budget_headers",
                &self.inner.budget.as_ref().map(budget::Budget::headers),
            )
            .finish_non_exhaustive()
    }
}

impl Http {
    /// A builder for a transport rooted at `base_url`.
    pub fn builder(provider: Provider, base_url: impl Into<String>) -> HttpBuilder {
        HttpBuilder {
            provider,
            base_url: base_url.into(),
            auth: Arc::new(NoAuth),
            retry: RetryPolicy::default(),
            rate_limit: None,
            rate_limit_chosen: false,
            budget: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY_BYTES,
            deadline: None,
            page_concurrency: DEFAULT_PAGE_CONCURRENCY,
            trust: Trust::default(),
            hints: None,
            allow_insecure_http: false,
            error_body: ErrorBody::parse_generic,
            request_id_header: None,
            default_headers: HeaderMap::new(),
            default_retry_after: None,
            client: None,
            discover: None,
        }
    }

    /// The provider this transport talks to.
    pub fn provider(&self) -> Provider {
        self.inner.provider
    }

    /// The API root every relative path is joined to (ends with `/`). For
    /// a transport that discovers its root, this is the look-up root until
    /// the first request has found the real one ([`root`](Self::root)).
    pub fn base_url(&self) -> &::url::Url {
        match &self.inner.discovery {
            Some(d) => d.root.get().unwrap_or(&self.inner.base),
            None => &self.inner.base,
        }
    }

    /// The API root, discovering it first where the platform needs that
    /// (once per transport and its clones; a failed look-up is tried again
    /// on the next call).
    pub async fn root(&self) -> Result<::url::Url> {
        let Some(d) = &self.inner.discovery else {
            return Ok(self.inner.base.clone());
        };
        d.root
            .get_or_try_init(|| (d.find)(d.lookup.clone()))
            .await
            .cloned()
    }

    /// `e` with every secret the transport's auth holds (keys, passwords,
    /// issued tokens) cut out of the texts it quotes.
    pub fn redact(&self, e: Error) -> Error {
        e.redacted(&self.inner.auth.secrets())
    }

    /// How many page requests a list walk keeps in flight where it can.
    pub fn page_concurrency(&self) -> usize {
        self.inner.page_concurrency
    }

    /// The largest response body this transport reads.
    pub fn max_body_bytes(&self) -> usize {
        self.inner.max_body
    }

    /// The client-side rate limit requests wait on, if any: the one it was
    /// built with, or the budget the platform has reported since (see
    /// [`HttpBuilder::budget_headers`]).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.limiter.as_ref().map(RateLimiter::limit)
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// A request for `path`, relative to the API root (a leading `/` is
    /// ignored: paths never escape the root; one that would, such as an
    /// absolute URL or `../..`, fails with an [`ErrorKind::Config`] error
    /// when sent). Ids
    /// inside `path` must already be encoded with [`encode_segment`].
    pub fn request(&self, method: Method, operation: &'static str, path: &str) -> ApiRequest {
        let path = path.trim_start_matches('/');
        let base = self.base_url();
        let error = match join_under(base, path) {
            Ok(url) => {
                let mut req = ApiRequest::new(self.clone(), operation, method, url);
                // The root is not known yet: the path is joined to it when sent.
                if self
                    .inner
                    .discovery
                    .as_ref()
                    .is_some_and(|d| d.root.get().is_none())
                {
                    req.relative = Some(path.split('?').next().unwrap_or_default().to_owned());
                }
                return req;
            }
            Err(e) => e,
        };
        // The query string may carry a key: quote the path only.
        let shown = path.split('?').next().unwrap_or_default();
        let mut req = ApiRequest::new(self.clone(), operation, method, base.clone());
        req.error = Some(format!("path {shown:?}: {error}"));
        req
    }

    /// A request to an absolute URL the provider handed back (a next-page
    /// link). It must be on the same scheme, host and port as the API root,
    /// so credentials never go to another host.
    pub fn request_url(
        &self,
        method: Method,
        operation: &'static str,
        url: &str,
    ) -> Result<ApiRequest> {
        let base = self.base_url();
        let parsed = base.join(url).map_err(|e| {
            Error::paging(
                self.provider(),
                operation,
                format!("next-page URL {url:?} is not valid: {e}"),
            )
            .with_reached_server(false)
        })?;
        if parsed.origin() != base.origin() {
            return Err(Error::paging(
                self.provider(),
                operation,
                format!(
                    "next-page URL points at {} instead of {}; not following it with credentials",
                    parsed.origin().ascii_serialization(),
                    base.origin().ascii_serialization()
                ),
            )
            .with_reached_server(false));
        }
        Ok(ApiRequest::new(self.clone(), operation, method, parsed))
    }

    /// A GET request.
    pub fn get(&self, operation: &'static str, path: &str) -> ApiRequest {
        self.request(Method::GET, operation, path)
    }

    /// A POST request.
    pub fn post(&self, operation: &'static str, path: &str) -> ApiRequest {
        self.request(Method::POST, operation, path)
    }

    /// A PUT request.
    pub fn put(&self, operation: &'static str, path: &str) -> ApiRequest {
        self.request(Method::PUT, operation, path)
    }

    /// A PATCH request.
    pub fn patch(&self, operation: &'static str, path: &str) -> ApiRequest {
        self.request(Method::PATCH, operation, path)
    }

    /// A DELETE request.
    pub fn delete(&self, operation: &'static str, path: &str) -> ApiRequest {
        self.request(Method::DELETE, operation, path)
    }

    fn context(&self) -> AuthContext<'_> {
        AuthContext {
            client: &self.inner.client,
            provider: self.inner.provider,
        }
    }

    fn build(&self, req: &ApiRequest) -> reqwest::Request {
        let mut out = reqwest::Request::new(req.method.clone(), req.url.clone());
        let headers = out.headers_mut();
        for (k, v) in &self.inner.default_headers {
            headers.insert(k.clone(), v.clone());
        }
        for (k, v) in &req.headers {
            headers.insert(k.clone(), v.clone());
        }
        if let Some(body) = &req.body {
            *out.body_mut() = Some(body.clone().into());
        }
        out
    }

    pub(crate) async fn execute(&self, req: ApiRequest, defer_body: bool) -> Result<Sent> {
        let span = tracing::debug_span!(
            "mspkit.request",
            provider = self.inner.provider.as_str(),
            operation = req.operation,
            method = %req.method,
            // The path only: query strings may carry keys.
            path = req.url.path(),
            status = field::Empty,
            attempts = field::Empty,
            request_id = field::Empty,
        );
        let operation = req.operation;
        // The values of the sensitive headers auth set, for redaction: a
        // strategy that declares no secrets still has its header cut out.
        let sent = std::sync::Mutex::new(Vec::new());
        let attempts = self
            .execute_in_span(req, defer_body, &sent)
            .instrument(span);
        let result =
            match self.inner.deadline {
                None => attempts.await,
                Some(limit) => match tokio::time::timeout(limit, attempts).await {
                    Ok(result) => result,
                    Err(_) => Err(Error::timeout(self.provider(), operation).with_message(
                        format!("the call's deadline of {}s passed", limit.as_secs_f64()),
                    )),
                },
            };
        use std::sync::atomic::Ordering;
        match result {
            Ok(sent) => {
                // A web page is no contact with the API: the base URL most
                // likely names the web UI, which a decode error will say.
                let headers = match &sent {
                    Sent::Whole(resp) => resp.headers(),
                    Sent::Head(head) => head.headers(),
                };
                if !is_web_page(headers) {
                    self.inner.contacted.store(true, Ordering::Relaxed);
                }
                Ok(sent)
            }
            Err(e) => {
                let sent = sent
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let e = self.redact(e).redacted(&sent);
                Err(if self.inner.contacted.load(Ordering::Relaxed) {
                    e
                } else {
                    self.first_contact_hint(e)
                })
            }
        }
    }

    /// `e`, a failure to read an answer, with what to check when the API has
    /// not been reached yet (the answer was a web page).
    pub(crate) fn decode_hint(&self, e: Error) -> Error {
        use std::sync::atomic::Ordering;
        if e.kind() == ErrorKind::Decode && !self.inner.contacted.load(Ordering::Relaxed) {
            self.first_contact_hint(e)
        } else {
            e
        }
    }

    /// Adds what to check to a failure on first contact: the provider's own
    /// reading first, then what a DNS failure, a refused connection or a web
    /// page where the API should answer means.
    fn first_contact_hint(&self, e: Error) -> Error {
        if e.hint().is_some() {
            return e;
        }
        let provider = self
            .inner
            .hints
            .and_then(|hints| hints(e.kind(), e.status()));
        if let Some(hint) = provider {
            return e.with_hint(hint);
        }
        if e.kind() == ErrorKind::Decode {
            return e.with_hint(
                "the server answered with a web page, not the API: check that the base URL is the API's address (its host and path), not the web UI's",
            );
        }
        if e.kind() != ErrorKind::Transport {
            return e;
        }
        let text = e.to_string().to_ascii_lowercase();
        if text.contains("dns error") || text.contains("failed to lookup address") {
            e.with_hint("the host name in the base URL does not resolve: check it for typos")
        } else if text.contains("connection refused") {
            e.with_hint("nothing answers at that host and port: check the base URL's port and that the server is up")
        } else {
            e
        }
    }

    async fn execute_in_span(
        &self,
        req: ApiRequest,
        defer_body: bool,
        sent: &std::sync::Mutex<Vec<String>>,
    ) -> Result<Sent> {
        let inner = &*self.inner;
        let (provider, operation) = (inner.provider, req.operation);
        let idempotent = req.is_idempotent();
        let ctx = self.context();
        let span = tracing::Span::current();
        let mut attempt = 0u32;
        let mut renewed_auth = false;
        loop {
            attempt += 1;
            span.record("attempts", attempt);
            if let Some(limiter) = &inner.limiter {
                limiter.acquire().await;
            }
            let mut pass = match &inner.budget {
                None => None,
                Some(budget) => match budget.pass(inner.retry.max_retry_after).await {
                    Ok(pass) => Some(pass),
                    // Like a long `Retry-After`: a sync over many tenants moves on.
                    Err(wait) => {
                        return Err(req.tag(
                            Error::rate_limited(provider, operation, Some(wait))
                                .with_message(
                                    "the request budget the platform reported is spent until its window resets",
                                )
                                .with_reached_server(false),
                        ));
                    }
                },
            };
            let mut outgoing = self.build(&req);
            let stamp = match inner.auth.authorize(&ctx, &mut outgoing).await {
                Ok(stamp) => stamp,
                // A token endpoint that is busy or down gets the same patience
                // as the API itself; nothing was sent to the API yet.
                Err(e) if e.is_transient() && attempt < inner.retry.max_attempts => {
                    let delay = match (e.kind(), e.retry_after()) {
                        (ErrorKind::RateLimited, Some(w)) if w <= inner.retry.max_retry_after => w,
                        (ErrorKind::RateLimited, Some(_)) => return Err(e),
                        _ => inner.retry.backoff(attempt),
                    };
                    tracing::debug!(attempt, error = %self.redact(e.clone()), ?delay, "retrying after an auth failure");
                    tokio::time::sleep(delay).await;
                    continue;
                }
                Err(e) => return Err(e),
            };

            {
                let mut sent = sent
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                for value in outgoing.headers().values().filter(|v| v.is_sensitive()) {
                    if let Ok(text) = value.to_str() {
                        let text = text.to_owned();
                        // `Bearer <token>`: the token alone may be quoted too.
                        if let Some((_, token)) = text.split_once(' ') {
                            sent.push(token.to_owned());
                        }
                        sent.push(text);
                    }
                }
            }
            if let Some(pass) = &mut pass {
                pass.sent();
            }
            let resp = match inner.client.execute(outgoing).await {
                Ok(resp) => resp,
                Err(e) => {
                    // A failed connect never reached the server, so even a POST
                    // may go again; a refused redirect is final.
                    let may_retry = (idempotent || e.is_connect())
                        && !e.is_redirect()
                        && tls::tls_failure(&e, "").is_none();
                    let err = req.tag(transport_error(provider, operation, e));
                    if may_retry && attempt < inner.retry.max_attempts {
                        tracing::debug!(attempt, error = %self.redact(err.clone()), "retrying after transport error");
                        tokio::time::sleep(inner.retry.backoff(attempt)).await;
                        continue;
                    }
                    return Err(err);
                }
            };

            let status = resp.status();
            span.record("status", status.as_u16());
            if let Some(pass) = pass.take() {
                pass.answered(status, resp.headers());
            }
            let request_id = inner
                .request_id_header
                .as_ref()
                .and_then(|name| resp.headers().get(name))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(id) = &request_id {
                span.record("request_id", id.as_str());
            }
            let answered = |e: Error| {
                let e = req.tag(e).with_reached_server(true);
                match &request_id {
                    Some(id) => e.with_request_id(id.clone()),
                    None => e,
                }
            };
            if defer_body && status.is_success() {
                return Ok(Sent::Head(ResponseHead {
                    provider,
                    operation,
                    status,
                    body: resp,
                    http: self.clone(),
                }));
            }
            let headers = resp.headers().clone();
            let body = match read_body(resp, inner.max_body).await {
                Ok(body) => body,
                Err(BodyError::TooLarge(n)) => {
                    return Err(answered(body_too_large(
                        provider,
                        operation,
                        n,
                        inner.max_body,
                    )));
                }
                Err(BodyError::Read(e)) => {
                    let err = answered(transport_error(provider, operation, e));
                    if idempotent && attempt < inner.retry.max_attempts {
                        tokio::time::sleep(inner.retry.backoff(attempt)).await;
                        continue;
                    }
                    return Err(err);
                }
            };
            if status.is_success() {
                return Ok(Sent::Whole(Response {
                    provider,
                    operation,
                    status,
                    headers,
                    body,
                    http: Some(self.clone()),
                }));
            }

            if status == StatusCode::UNAUTHORIZED && !renewed_auth {
                renewed_auth = true;
                if inner.auth.refresh(&ctx, stamp).await? {
                    tracing::debug!("401: credentials renewed, sending once more");
                    attempt -= 1;
                    continue;
                }
            }

            let parsed = (inner.error_body)(status, &body);
            let kind = parsed
                .kind
                .unwrap_or_else(|| ErrorKind::from_status(status));
            let wait = retry_after(&headers, SystemTime::now());
            let error = answered(parsed.into_error(provider, operation, status, &body, wait));
            let retry_in = match kind {
                // A 429 means the server did not act on the request: any method may go again.
                ErrorKind::RateLimited => match wait {
                    Some(w) if w > inner.retry.max_retry_after => None,
                    Some(w) => Some(w),
                    // The provider's documented back-off obeys the caller's cap too.
                    None => match inner.default_retry_after {
                        Some(w) if w > inner.retry.max_retry_after => None,
                        Some(w) => Some(w),
                        None => Some(inner.retry.backoff(attempt)),
                    },
                },
                ErrorKind::Server if idempotent => Some(
                    wait.filter(|w| *w <= inner.retry.max_retry_after)
                        .unwrap_or_else(|| inner.retry.backoff(attempt)),
                ),
                _ => None,
            };
            match retry_in {
                Some(delay) if attempt < inner.retry.max_attempts => {
                    tracing::debug!(attempt, status = status.as_u16(), ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                }
                _ => return Err(error),
            }
        }
    }
}

/// What the retry loop hands back: a whole response, or (for a caller that
/// wants to act on the headers first) one whose body is still to be read.
pub(crate) enum Sent {
    Whole(Response),
    Head(ResponseHead),
}

/// Whether an answer is an HTML page (a web UI or a login page where the
/// API should answer).
fn is_web_page(headers: &reqwest::header::HeaderMap) -> bool {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"))
}

/// Why a body could not be read whole.
pub(crate) enum BodyError {
    /// It is larger than the cap (the size known so far).
    TooLarge(usize),
    /// The connection failed while reading it.
    Read(reqwest::Error),
}

/// The most a body's `Content-Length` reserves before its bytes arrive.
const PREALLOCATE_MOST: usize = 16 << 20;

/// Reads a body, failing as soon as it is known to be over `cap` bytes (from
/// its `Content-Length`, or while it streams in).
pub(crate) async fn read_body(
    mut resp: reqwest::Response,
    cap: usize,
) -> std::result::Result<bytes::Bytes, BodyError> {
    if let Some(len) = resp.content_length() {
        if len > cap as u64 {
            return Err(BodyError::TooLarge(
                usize::try_from(len).unwrap_or(usize::MAX),
            ));
        }
    }
    // A stated length sizes the buffer once: no regrowth, no copies, and
    // no buffer twice the body's size while pages are read side by side. A
    // length that is only claimed reserves no more than `PREALLOCATE_MOST`.
    let stated = resp
        .content_length()
        .map_or(0, |len| len.min(cap.min(PREALLOCATE_MOST) as u64) as usize);
    let mut body = bytes::BytesMut::with_capacity(stated);
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Read)? {
        if body.len() + chunk.len() > cap {
            return Err(BodyError::TooLarge(body.len() + chunk.len()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

pub(crate) fn body_too_large(
    provider: Provider,
    operation: &'static str,
    seen: usize,
    cap: usize,
) -> Error {
    Error::new(provider, operation, ErrorKind::Decode).with_message(format!(
        "the answer is larger than the {cap}-byte body cap (at least {seen} bytes); raise max_body_bytes if this list is expected to be that large"
    ))
}

pub(crate) fn transport_error(
    provider: Provider,
    operation: &'static str,
    e: reqwest::Error,
) -> Error {
    if e.is_redirect() {
        // The redirect policy's own error names the host it refused.
        let why = std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_else(|| "a redirect was refused".to_owned());
        return Error::new(provider, operation, ErrorKind::Transport)
            .with_message(why)
            .with_reached_server(true);
    }
    if let Some(why) = e
        .url()
        .and_then(|u| u.host_str())
        .and_then(|host| tls::tls_failure(&e, host))
    {
        return Error::new(provider, operation, ErrorKind::Transport)
            .with_message(why)
            .with_source(e.without_url());
    }
    if e.is_timeout() {
        Error::timeout(provider, operation)
    } else {
        // `without_url`: a URL may carry a query-string key.
        Error::transport(provider, operation, e.without_url())
    }
}

/// Sets up an [`Http`].
pub struct HttpBuilder {
    provider: Provider,
    base_url: String,
    auth: Arc<dyn Auth>,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
    rate_limit_chosen: bool,
    budget: Option<BudgetHeaders>,
    timeout: Duration,
    connect_timeout: Duration,
    allow_insecure_http: bool,
    error_body: ErrorBodyParser,
    request_id_header: Option<HeaderName>,
    default_headers: HeaderMap,
    default_retry_after: Option<Duration>,
    client: Option<reqwest::Client>,
    discover: Option<DiscoverRoot>,
    max_body: usize,
    deadline: Option<Duration>,
    page_concurrency: usize,
    trust: Trust,
    hints: Option<FirstContactHints>,
}

impl HttpBuilder {
    /// How requests are authorized (none by default).
    pub fn auth(mut self, auth: impl Auth + 'static) -> Self {
        self.auth = Arc::new(auth);
        self
    }

    /// How requests are authorized, shared.
    pub fn auth_arc(mut self, auth: Arc<dyn Auth>) -> Self {
        self.auth = auth;
        self
    }

    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A client-side request budget (none by default): the provider's
    /// default, which a total the platform reports replaces (see
    /// [`budget_headers`](Self::budget_headers)).
    pub fn rate_limit(mut self, limit: impl Into<Option<RateLimit>>) -> Self {
        self.rate_limit = limit.into();
        self.rate_limit_chosen = false;
        self
    }

    /// A request budget the caller chose over the provider's default: a
    /// total the platform reports may lower it but never raises it, since
    /// a caller who keeps below the plan's limit usually leaves room for
    /// other integrations on the same account.
    pub fn chosen_rate_limit(mut self, limit: impl Into<Option<RateLimit>>) -> Self {
        self.rate_limit = limit.into();
        self.rate_limit_chosen = true;
        self
    }

    /// Follows the request budget the platform reports in its response
    /// headers (none by default). After every answer, whatever its status,
    /// a reported total becomes the rate limit's pace (see
    /// [`chosen_rate_limit`](Self::chosen_rate_limit) for the exception),
    /// and once nothing remains, requests wait for the window to reset
    /// instead of earning a 429: until the reported reset, or at most one
    /// window. Requests in flight are counted, so that callers side by side
    /// do not all go out on the last request left. A wait longer than the
    /// retry policy's `max_retry_after` ends the call at once with an
    /// [`ErrorKind::RateLimited`] error carrying the wait, as a long
    /// `Retry-After` does. Headers that are absent or unreadable change
    /// nothing. The hold applies without a rate limit too: a request sent
    /// into a spent budget only earns a 429.
    pub fn budget_headers(mut self, headers: BudgetHeaders) -> Self {
        self.budget = Some(headers);
        self
    }

    /// The time one request may take, from send to the end of the body (60 s by default).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The time a connection may take to open (10 s by default).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Allows a plain `http://` base URL (a local test server).
    pub fn allow_insecure_http(mut self, yes: bool) -> Self {
        self.allow_insecure_http = yes;
        self
    }

    /// How the provider's error bodies are read.
    pub fn error_body(mut self, parser: ErrorBodyParser) -> Self {
        self.error_body = parser;
        self
    }

    /// A response header holding the provider's request id, recorded in the
    /// request's tracing span and on errors built from the response
    /// (`x-cw-request-id`).
    pub fn request_id_header(mut self, name: HeaderName) -> Self {
        self.request_id_header = Some(name);
        self
    }

    /// How long to wait after a 429 that carries no `Retry-After`, for a
    /// provider that documents its own back-off (Datto RMM: a minute); the
    /// retry policy's backoff otherwise.
    pub fn default_retry_after(mut self, wait: Duration) -> Self {
        self.default_retry_after = Some(wait);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.insert(name, value);
        self
    }

    /// How many page requests a list walk keeps in flight where its paging
    /// scheme allows it ([`DEFAULT_PAGE_CONCURRENCY`] unless set; 1 walks
    /// strictly one page after another).
    pub fn page_concurrency(mut self, n: usize) -> Self {
        self.page_concurrency = n.max(1);
        self
    }

    /// What to check when a request fails before the platform has answered
    /// once (see [`FirstContactHints`]).
    pub fn first_contact_hints(mut self, hints: FirstContactHints) -> Self {
        self.hints = Some(hints);
        self
    }

    /// Which certificates to trust beyond the built-in roots (ignored when a
    /// shared `reqwest` client is given: build that one with
    /// [`client_builder_with`]).
    pub fn trust(mut self, trust: Trust) -> Self {
        self.trust = trust;
        self
    }

    /// Caps the response body read ([`DEFAULT_MAX_BODY_BYTES`] unless set).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes.max(1);
        self
    }

    /// Bounds one call (every attempt, back-off and `Retry-After` wait
    /// included); past it the call ends with a timeout. None by default.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Finds the API root on first use instead of taking the base URL as
    /// it: `find` gets a transport rooted at the base URL (without
    /// credentials) and returns the root. Requests built before that are
    /// joined to the root when they are sent, so `http()` stays synchronous.
    pub fn discover_root(
        mut self,
        find: impl Fn(Http) -> BoxFuture<'static, Result<::url::Url>> + Send + Sync + 'static,
    ) -> Self {
        self.discover = Some(Arc::new(find));
        self
    }

    /// Uses this `reqwest` client (to share one connection pool across many
    /// tenants); its own timeouts then apply instead of this builder's.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// Checks the base URL and builds the transport.
    pub fn build(mut self) -> Result<Http> {
        let base = parse_base_url(self.provider, &self.base_url, self.allow_insecure_http)?;
        let client = match self.client.take() {
            Some(c) => c,
            None => client_builder_with(self.provider, &self.trust)?
                .user_agent(USER_AGENT)
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::config(self.provider, format!("cannot set up HTTP: {e}")))?,
        };
        self.default_headers
            .entry(ACCEPT)
            .or_insert(HeaderValue::from_static("application/json"));
        self.default_headers
            .entry(reqwest::header::USER_AGENT)
            .or_insert(HeaderValue::from_static(USER_AGENT));
        let limiter = self.rate_limit.map(RateLimiter::new);
        let budget = self
            .budget
            .take()
            .map(|b| budget::Budget::new(b, limiter.clone(), self.rate_limit_chosen));
        let inner = |auth: Arc<dyn Auth>,
                     discovery: Option<Discovery>,
                     budget: Option<budget::Budget>| Inner {
            provider: self.provider,
            client: client.clone(),
            base: base.clone(),
            auth,
            retry: self.retry.clone(),
            limiter: limiter.clone(),
            budget,
            error_body: self.error_body,
            request_id_header: self.request_id_header.clone(),
            default_headers: self.default_headers.clone(),
            default_retry_after: self.default_retry_after,
            discovery,
            max_body: self.max_body,
            deadline: self.deadline,
            page_concurrency: self.page_concurrency,
            hints: self.hints,
            contacted: std::sync::atomic::AtomicBool::new(false),
        };
        let discovery = self.discover.take().map(|find| Discovery {
            find,
            lookup: Http {
                // A look-up host's headers describe its own service, not the API's budget.
                inner: Arc::new(inner(Arc::new(NoAuth), None, None)),
            },
            root: tokio::sync::OnceCell::new(),
        });
        Ok(Http {
            inner: Arc::new(inner(self.auth.clone(), discovery, budget)),
        })
    }
}
