//! The one error type of mspkit.
//!
//! Every [`Error`] names the provider and the operation that failed, and has
//! an [`ErrorKind`] saying what sort of failure it is, so a sync over many
//! tenants can report which call broke where and decide what to do about it.
//! The rest is optional detail: the thing asked for, the HTTP status, the
//! platform's message, code, field errors and request id, a `Retry-After`,
//! and for a decode failure the field path and the start of the body.
//! Response bodies are quoted only as a short snippet, and no field ever
//! carries a secret.
//!
//! ```
//! use mspkit_core::{Error, ErrorKind, Provider};
//!
//! let e = Error::not_found(Provider::Halo, "ticket", "Not Found")
//!     .with_target("42")
//!     .with_status(404);
//! assert_eq!(e.kind(), ErrorKind::NotFound);
//! assert_eq!(e.to_string(), "halo ticket 42: not found");
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;

use crate::model::Provider;

/// A boxed error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A shared error source, as an [`Error`] holds it (so that it can be cloned).
pub type SharedError = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// The result type of mspkit.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What [`Error::redacted`] puts where a secret was.
pub const REDACTED: &str = "[REDACTED]";

/// A source whose message had a secret cut out.
#[derive(Debug)]
struct Redacted(String);

impl std::fmt::Display for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Redacted {}

/// An error's message followed by its causes'.
fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}

/// How many characters of a response body an error quotes.
pub const SNIPPET_CHARS: usize = 240;

/// How many characters of a decode path the message shows before shortening it.
const PATH_CHARS: usize = 120;

/// What sort of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client was set up wrong (an empty key, a malformed URL, a bad
    /// setting, a request that cannot be built).
    Config,
    /// A plain `http://` URL was given without `allow_insecure_http`.
    InsecureUrl,
    /// The credentials were refused (HTTP 401, or the provider's equivalent).
    Unauthorized,
    /// The credentials are valid but lack permission (HTTP 403).
    Forbidden,
    /// The thing asked for does not exist (HTTP 404).
    NotFound,
    /// The provider kept answering 429 after the retries the policy allows,
    /// or asked for a wait longer than the policy accepts.
    RateLimited,
    /// The provider failed (5xx, 408) after the retries the policy allows.
    Server,
    /// The provider refused the request (a 4xx other than the above, or an
    /// error body the provider crate recognised).
    Api,
    /// A response could not be read into the expected shape.
    Decode,
    /// A list could not be walked to its end: a repeated cursor, a total
    /// that does not match what was received, a next-page link that goes
    /// elsewhere.
    Paging,
    /// The request did not get an answer (connection refused, reset, DNS,
    /// TLS failure), or the answer could not be read.
    Transport,
    /// The request did not finish in time.
    Timeout,
    /// The provider has no such operation; `capabilities()` says so up front.
    Unsupported,
    /// The request was refused before it was sent, because the provider
    /// cannot express it (a status change to a state the tenant has no
    /// status for).
    Refused,
}

impl ErrorKind {
    /// The kind an HTTP error status means by itself: 401, 403, 404 and 429
    /// their own kinds, 408 and 5xx [`Server`](Self::Server), any other
    /// [`Api`](Self::Api).
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            408 | 500..=599 => ErrorKind::Server,
            _ => ErrorKind::Api,
        }
    }

    /// Whether retrying the same call later may succeed: rate limits, server
    /// errors, timeouts and transport failures.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Transport
        )
    }

    /// Whether an error of this kind describes an answer from the server,
    /// which is what [`Error::new`] assumes for
    /// [`Error::reached_server`] until told otherwise.
    fn is_answer(self) -> bool {
        matches!(
            self,
            ErrorKind::Unauthorized
                | ErrorKind::Forbidden
                | ErrorKind::NotFound
                | ErrorKind::RateLimited
                | ErrorKind::Server
                | ErrorKind::Api
                | ErrorKind::Decode
                | ErrorKind::Paging
        )
    }
}

/// Everything that can go wrong talking to a provider: the provider, the
/// operation and the [`ErrorKind`], with whatever detail was known.
///
/// Build one with [`Error::new`] (or a named constructor such as
/// [`Error::not_found`]) and the `with_*` setters; read it with the
/// accessors. Cloning is cheap: the source is shared.
#[derive(Clone)]
#[non_exhaustive]
pub struct Error {
    // Boxed: an `Error` travels in every `Result`, which stays small.
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    provider: Provider,
    operation: &'static str,
    kind: ErrorKind,
    target: Option<String>,
    status: Option<u16>,
    message: Option<String>,
    code: Option<String>,
    details: Vec<String>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    path: Option<String>,
    snippet: Option<String>,
    reached_server: bool,
    source: Option<SharedError>,
    hint: Option<String>,
}

impl Error {
    /// An error of `kind` from `operation` on `provider`, with no detail yet;
    /// add it with the `with_*` setters. [`reached_server`](Self::reached_server)
    /// starts true for the kinds that describe an answer (unauthorized,
    /// forbidden, not found, rate limited, server, API, decode, paging) and
    /// false for the others.
    pub fn new(provider: Provider, operation: &'static str, kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                provider,
                operation,
                kind,
                target: None,
                status: None,
                message: None,
                code: None,
                details: Vec::new(),
                request_id: None,
                retry_after: None,
                path: None,
                snippet: None,
                reached_server: kind.is_answer(),
                source: None,
                hint: None,
            }),
        }
    }

    /// A configuration error raised while building a client (operation `build`).
    pub fn config(provider: Provider, message: impl Into<String>) -> Self {
        Error::new(provider, "build", ErrorKind::Config).with_message(message)
    }

    /// A plain `http://` URL given without `allow_insecure_http`; `url` is
    /// the refused URL (scheme, host and path only), kept as the message.
    pub fn insecure_url(
        provider: Provider,
        operation: &'static str,
        url: impl Into<String>,
    ) -> Self {
        Error::new(provider, operation, ErrorKind::InsecureUrl).with_message(url)
    }

    /// An operation the provider does not have.
    pub fn unsupported(provider: Provider, operation: &'static str) -> Self {
        Error::new(provider, operation, ErrorKind::Unsupported)
    }

    /// Credentials refused, with what the provider said.
    pub fn unauthorized(
        provider: Provider,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::new(provider, operation, ErrorKind::Unauthorized).with_message(message)
    }

    /// Permission denied, with what the provider said.
    pub fn forbidden(
        provider: Provider,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::new(provider, operation, ErrorKind::Forbidden).with_message(message)
    }

    /// The thing asked for does not exist, with what the provider said.
    pub fn not_found(
        provider: Provider,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::new(provider, operation, ErrorKind::NotFound).with_message(message)
    }

    /// Rate limited, with the wait the provider asked for when it said.
    pub fn rate_limited(
        provider: Provider,
        operation: &'static str,
        retry_after: Option<Duration>,
    ) -> Self {
        let e = Error::new(provider, operation, ErrorKind::RateLimited);
        match retry_after {
            Some(wait) => e.with_retry_after(wait),
            None => e,
        }
    }

    /// A server failure: its status and the start of its body.
    pub fn server(
        provider: Provider,
        operation: &'static str,
        status: u16,
        snippet: impl Into<String>,
    ) -> Self {
        Error::new(provider, operation, ErrorKind::Server)
            .with_status(status)
            .with_snippet(snippet)
    }

    /// A request the provider refused: its status and message.
    pub fn api(
        provider: Provider,
        operation: &'static str,
        status: u16,
        message: impl Into<String>,
    ) -> Self {
        Error::new(provider, operation, ErrorKind::Api)
            .with_status(status)
            .with_message(message)
    }

    /// A request that did not finish in time.
    pub fn timeout(provider: Provider, operation: &'static str) -> Self {
        Error::new(provider, operation, ErrorKind::Timeout)
    }

    /// A request that got no answer, with the underlying error.
    pub fn transport(
        provider: Provider,
        operation: &'static str,
        source: impl Into<BoxError>,
    ) -> Self {
        Error::new(provider, operation, ErrorKind::Transport).with_source(source)
    }

    /// A decode error for a value that is present but unreadable, naming its field.
    pub fn decode(
        provider: Provider,
        operation: &'static str,
        path: impl Into<String>,
        source: impl Into<BoxError>,
        value: &str,
    ) -> Self {
        let mut e = Error::new(provider, operation, ErrorKind::Decode)
            .with_source(source)
            .with_snippet(snippet(value.as_bytes()));
        e.inner.path = Some(path.into());
        e
    }

    /// A request refused before it was sent, because the provider could not
    /// express it (a status change to a state the tenant has no status for).
    pub fn refused(
        provider: Provider,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::new(provider, operation, ErrorKind::Refused).with_message(message)
    }

    /// A paging error: the walk could not reach the end of the list.
    pub fn paging(provider: Provider, operation: &'static str, message: impl Into<String>) -> Self {
        Error::new(provider, operation, ErrorKind::Paging).with_message(message)
    }

    /// Names what was asked for (the id `42` of `ticket(42)`).
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        self.inner.target = Some(target.into());
        self
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    /// Sets the message (the platform's, or ours).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    /// Sets the platform's error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }

    /// Sets the field-level errors, each as `field: message`.
    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.inner.details = details;
        self
    }

    /// Sets the platform's request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// Sets how long the provider asked to wait.
    pub fn with_retry_after(mut self, wait: Duration) -> Self {
        self.inner.retry_after = Some(wait);
        self
    }

    /// Sets the underlying error.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner.source = Some(Arc::from(source.into()));
        self
    }

    /// Cuts every one of `secrets` out of the texts this error quotes from
    /// the other side (message, code, details, body snippet, target, the
    /// source's message), replacing each with `[REDACTED]`: a gateway may
    /// quote the request it refused, credentials included.
    pub fn redacted<S: AsRef<str>>(mut self, secrets: &[S]) -> Self {
        let secrets: Vec<&str> = secrets
            .iter()
            .map(AsRef::as_ref)
            .filter(|s| s.len() >= 4)
            .collect();
        if secrets.is_empty() {
            return self;
        }
        let clean = |text: &mut String| {
            for s in &secrets {
                if text.contains(s) {
                    *text = text.replace(s, REDACTED);
                }
            }
        };
        let inner = &mut *self.inner;
        for text in [
            &mut inner.message,
            &mut inner.code,
            &mut inner.snippet,
            &mut inner.target,
            &mut inner.path,
        ]
        .into_iter()
        .flatten()
        {
            clean(text);
        }
        inner.details.iter_mut().for_each(clean);
        if let Some(source) = &inner.source {
            let mut text = chain_text(source.as_ref());
            if secrets.iter().any(|s| text.contains(s)) {
                clean(&mut text);
                inner.source = Some(Arc::new(Redacted(text)));
            }
        }
        self
    }

    /// Sets the quoted start of the body (or the offending value); pass it
    /// through [`snippet`] first when it may be long.
    pub fn with_snippet(mut self, snippet: impl Into<String>) -> Self {
        self.inner.snippet = Some(snippet.into());
        self
    }

    /// Sets the field path of a decode error (`items[3].createDate`).
    pub fn with_decode_path(mut self, path: impl Into<String>) -> Self {
        self.inner.path = Some(path.into());
        self
    }

    /// Says whether the request was sent and answered (see
    /// [`reached_server`](Self::reached_server)).
    pub fn with_reached_server(mut self, yes: bool) -> Self {
        self.inner.reached_server = yes;
        self
    }

    /// The provider the error came from.
    pub fn provider(&self) -> Provider {
        self.inner.provider
    }

    /// The operation that failed (`build` for a client's builder).
    pub fn operation(&self) -> &'static str {
        self.inner.operation
    }

    /// What sort of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// What was asked for, when the operation was about one thing (the id
    /// `42` of `ticket(42)`).
    pub fn target(&self) -> Option<&str> {
        self.inner.target.as_deref()
    }

    /// The HTTP status, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The platform's message, or ours (for a configuration, paging or
    /// refused error, what is wrong; for an insecure URL, the URL).
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The platform's error code, when it gave one.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// Field-level errors the platform listed, each as `field: message`.
    pub fn details(&self) -> &[String] {
        &self.inner.details
    }

    /// What to check, for a failure on first contact (see
    /// [`with_hint`](Self::with_hint)).
    pub fn hint(&self) -> Option<&str> {
        self.inner.hint.as_deref()
    }

    /// Sets what to check, for a failure on first contact with a platform
    /// (wrong credentials, API access not enabled, a wrong base URL).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.inner.hint = Some(hint.into());
        self
    }

    /// The platform's request id, when it sends one.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// How long the provider asked to wait, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// For a decode error, where in the document the problem is
    /// (`members[3].lastUpdated`, `.` for the root).
    pub fn decode_path(&self) -> Option<&str> {
        self.inner.path.as_deref()
    }

    /// The start of the response body (a server or decode error), or the
    /// offending value.
    pub fn snippet(&self) -> Option<&str> {
        self.inner.snippet.as_deref()
    }

    /// Whether the request was sent and answered: true for any error built
    /// from a response, false for configuration, insecure URL, unsupported
    /// and refused errors, failed connections and timeouts.
    pub fn reached_server(&self) -> bool {
        self.inner.reached_server
    }

    /// Whether retrying the same call later may succeed (rate limits, server
    /// errors, timeouts and transport failures).
    pub fn is_transient(&self) -> bool {
        self.inner.kind.is_transient()
    }

    /// Whether the message adds nothing to the kind (empty, or the status's
    /// canonical reason such as `Not Found`).
    fn message_says_more(&self) -> Option<&str> {
        let m = self.inner.message.as_deref()?.trim();
        let reason = self
            .inner
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .and_then(|s| s.canonical_reason());
        let plain = match self.inner.kind {
            ErrorKind::Unauthorized => Some("unauthorized"),
            ErrorKind::Forbidden => Some("forbidden"),
            ErrorKind::NotFound => Some("not found"),
            _ => None,
        };
        let same = |r: Option<&str>| r.is_some_and(|r| r.eq_ignore_ascii_case(m));
        if m.is_empty() || same(reason) || same(plain) {
            None
        } else {
            Some(m)
        }
    }
}

/// The message without the hint.
struct Main<'a>(&'a Error);

impl fmt::Display for Main<'_> {
    /// `{provider} {operation}[ {target}]: {what}`, `what` being short:
    /// `not found`, `HTTP 400 [code]: message (field: problem)`,
    /// `rate limited (retry after 2s)`, `server error HTTP 503: <body>`,
    /// ``cannot decode `path`: <why> (body starts: <body>)``, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (provider, operation) = (self.0.inner.provider, self.0.inner.operation);
        if self.0.inner.kind == ErrorKind::Unsupported {
            write!(f, "{provider} does not support {operation}")?;
            // The reason, when there is one (a plan without the feature).
            if let Some(why) = self.0.inner.message.as_deref().filter(|m| !m.is_empty()) {
                write!(f, ": {why}")?;
            }
            return Ok(());
        }
        write!(f, "{provider} {operation}")?;
        if let Some(target) = &self.0.inner.target {
            write!(f, " {target}")?;
        }
        f.write_str(": ")?;
        let message = self.0.inner.message.as_deref().unwrap_or_default();
        match self.0.inner.kind {
            ErrorKind::Config => write!(f, "configuration error: {message}"),
            ErrorKind::InsecureUrl => write!(
                f,
                "refusing insecure URL {message}: use https, or allow_insecure_http for a local test server"
            ),
            ErrorKind::Unauthorized | ErrorKind::Forbidden | ErrorKind::NotFound => {
                f.write_str(match self.0.inner.kind {
                    ErrorKind::Unauthorized => "unauthorized",
                    ErrorKind::Forbidden => "forbidden",
                    _ => "not found",
                })?;
                match self.0.message_says_more() {
                    Some(m) => write!(f, ": {m}"),
                    None => Ok(()),
                }
            }
            ErrorKind::RateLimited => {
                f.write_str("rate limited")?;
                match self.0.inner.retry_after {
                    Some(wait) => write!(f, " (retry after {})", Wait(wait)),
                    None => Ok(()),
                }
            }
            ErrorKind::Server => {
                f.write_str("server error")?;
                if let Some(status) = self.0.inner.status {
                    write!(f, " HTTP {status}")?;
                }
                match self.0.inner.snippet.as_deref().filter(|s| !s.is_empty()) {
                    Some(s) => write!(f, ": {s}"),
                    None => match self.0.message_says_more() {
                        Some(m) => write!(f, ": {m}"),
                        None => Ok(()),
                    },
                }
            }
            ErrorKind::Api => {
                match self.0.inner.status {
                    Some(status) => write!(f, "HTTP {status}")?,
                    None => f.write_str("refused by the provider")?,
                }
                if let Some(code) = &self.0.inner.code {
                    write!(f, " [{code}]")?;
                }
                if let Some(m) = self.0.message_says_more() {
                    write!(f, ": {m}")?;
                }
                // The first detail stands in for a missing message: not twice.
                let details: Vec<&str> = self
                    .0
                    .inner
                    .details
                    .iter()
                    .map(String::as_str)
                    .filter(|d| Some(*d) != self.0.inner.message.as_deref())
                    .collect();
                if !details.is_empty() {
                    write!(f, " ({})", details.join("; "))?;
                }
                Ok(())
            }
            ErrorKind::Decode => {
                f.write_str("cannot decode")?;
                if let Some(path) = &self.0.inner.path {
                    write!(f, " `{}`", ShortPath(path))?;
                }
                match (&self.0.inner.source, &self.0.inner.message) {
                    (Some(source), _) => write!(f, ": {source}")?,
                    (None, Some(m)) => write!(f, ": {m}")?,
                    (None, None) => {}
                }
                match self.0.inner.snippet.as_deref() {
                    Some("") => f.write_str(" (empty body)"),
                    Some(s) => write!(f, " (body starts: {s})"),
                    None => Ok(()),
                }
            }
            ErrorKind::Paging => write!(f, "paging stopped early: {message}"),
            ErrorKind::Transport => {
                f.write_str("transport error")?;
                // Our own reading of the failure first (what to check), then
                // the causes as the network stack reported them.
                match (&self.0.inner.source, &self.0.inner.message) {
                    (Some(source), Some(m)) => {
                        write!(f, ": {m} ({})", fmt_chain(source.as_ref()))
                    }
                    (Some(source), None) => write!(f, ": {}", fmt_chain(source.as_ref())),
                    (None, Some(m)) => write!(f, ": {m}"),
                    (None, None) => Ok(()),
                }
            }
            ErrorKind::Timeout => f.write_str("timed out"),
            ErrorKind::Refused => write!(f, "not sent: {message}"),
            // Handled above.
            ErrorKind::Unsupported => Ok(()),
        }
    }
}

impl fmt::Display for Error {
    /// `{provider} {operation}[ {target}]: {what}`, `what` being short:
    /// `not found`, `HTTP 400 [code]: message (field: problem)`,
    /// `rate limited (retry after 2s)`, `server error HTTP 503: <body>`,
    /// ``cannot decode `path`: <why> (body starts: <body>)``, ...; then
    /// `; check: <hint>` when the error carries a first-contact hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Main(self))?;
        if let Some(hint) = &self.inner.hint {
            write!(f, "; check: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("provider", &self.inner.provider)
            .field("operation", &self.inner.operation)
            .field("kind", &self.inner.kind);
        if let Some(v) = &self.inner.target {
            d.field("target", v);
        }
        if let Some(v) = &self.inner.status {
            d.field("status", v);
        }
        if let Some(v) = &self.inner.message {
            d.field("message", v);
        }
        if let Some(v) = &self.inner.code {
            d.field("code", v);
        }
        if !self.inner.details.is_empty() {
            d.field("details", &self.inner.details);
        }
        if let Some(v) = &self.inner.request_id {
            d.field("request_id", v);
        }
        if let Some(v) = &self.inner.retry_after {
            d.field("retry_after", v);
        }
        if let Some(v) = &self.inner.path {
            d.field("path", v);
        }
        if let Some(v) = &self.inner.snippet {
            d.field("snippet", v);
        }
        d.field("reached_server", &self.inner.reached_server);
        if let Some(v) = &self.inner.hint {
            d.field("hint", v);
        }
        if let Some(v) = &self.inner.source {
            d.field("source", v);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A wait, readably: `2s`, `1998ms`, `61.5s`.
struct Wait(Duration);

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let ms = (d.as_nanos() + 500_000) / 1_000_000;
        if d.subsec_nanos() == 0 || (ms % 1000 == 0 && ms > 0) {
            write!(f, "{}s", ms.max(d.as_secs() as u128 * 1000) / 1000)
        } else if ms < 10_000 {
            write!(f, "{ms}ms")
        } else {
            let tenths = (ms + 50) / 100;
            match tenths % 10 {
                0 => write!(f, "{}s", tenths / 10),
                t => write!(f, "{}.{t}s", tenths / 10),
            }
        }
    }
}

/// A decode path, its middle left out when it is very long.
struct ShortPath<'a>(&'a str);

impl fmt::Display for ShortPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.0;
        let count = path.chars().count();
        if count <= PATH_CHARS {
            return f.write_str(path);
        }
        let keep = PATH_CHARS / 2;
        let head: String = path.chars().take(keep).collect();
        let tail: String = path.chars().skip(count - keep).collect();
        write!(f, "{head}…{tail}")
    }
}

/// An error and its causes, `: `-separated ("error sending request: client
/// error (Connect): tcp connect error: Connection refused"), each cause once.
fn fmt_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

/// The start of a body, cut to [`SNIPPET_CHARS`] characters on a character
/// boundary, with invalid UTF-8 replaced.
pub fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_cuts_on_char_boundary() {
        let long = "é".repeat(SNIPPET_CHARS + 10);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"  short  "), "short");
        assert_eq!(snippet(&[0xff, b'a']), "\u{fffd}a");
    }

    #[test]
    fn messages_name_provider_and_operation() {
        let e = Error::api(
            Provider::ConnectWise,
            "create_ticket",
            400,
            "Ticket object is invalid",
        )
        .with_code("InvalidObject")
        .with_details(vec!["board: Board is required".into()]);
        assert_eq!(
            e.to_string(),
            "connectwise create_ticket: HTTP 400 [InvalidObject]: Ticket object is invalid (board: Board is required)"
        );
        assert_eq!(e.provider(), Provider::ConnectWise);
        assert_eq!(e.operation(), "create_ticket");
        assert_eq!(e.kind(), ErrorKind::Api);
        assert!(!e.is_transient());
    }

    #[test]
    fn a_target_is_named_and_a_bare_reason_left_out() {
        let e = Error::not_found(Provider::Halo, "ticket", "Not Found")
            .with_status(404)
            .with_target("42");
        assert_eq!(e.to_string(), "halo ticket 42: not found");
        assert_eq!(e.target(), Some("42"));
        assert_eq!(e.message(), Some("Not Found"));
        let e = Error::not_found(Provider::Halo, "ticket", "")
            .with_status(404)
            .with_target("42");
        assert_eq!(e.to_string(), "halo ticket 42: not found");
        let e = Error::not_found(Provider::Halo, "ticket", "No ticket with id 42").with_status(404);
        assert_eq!(
            e.to_string(),
            "halo ticket: not found: No ticket with id 42"
        );
        assert_eq!(
            Error::unsupported(Provider::Unleashed, "tickets").to_string(),
            "unleashed does not support tickets"
        );
    }

    #[test]
    fn waits_read_well() {
        let wait = |d| Wait(d).to_string();
        assert_eq!(wait(Duration::from_secs(2)), "2s");
        assert_eq!(wait(Duration::from_millis(1998)), "1998ms");
        assert_eq!(wait(Duration::from_secs_f64(1.998_190_494)), "1998ms");
        assert_eq!(wait(Duration::from_millis(250)), "250ms");
        assert_eq!(wait(Duration::from_millis(61_540)), "61.5s");
        assert_eq!(wait(Duration::from_millis(60_020)), "60s");
        assert_eq!(wait(Duration::from_nanos(1_999_999_900)), "2s");
        assert_eq!(wait(Duration::ZERO), "0s");
        let e = Error::rate_limited(Provider::Datto, "devices", Some(Duration::from_secs(2)));
        assert_eq!(
            e.to_string(),
            "datto devices: rate limited (retry after 2s)"
        );
        assert!(e.is_transient() && e.reached_server());
        let e = Error::rate_limited(Provider::Datto, "devices", None);
        assert_eq!(e.to_string(), "datto devices: rate limited");
    }

    #[test]
    fn decode_and_server_errors_quote_the_body() {
        let e = Error::decode(Provider::NinjaOne, "devices", "[0].id", "not a number", "");
        assert_eq!(
            e.to_string(),
            "ninja devices: cannot decode `[0].id`: not a number (empty body)"
        );
        let e = Error::decode(
            Provider::NinjaOne,
            "devices",
            "[0].id",
            "not a number",
            "\"x\"",
        );
        assert_eq!(
            e.to_string(),
            "ninja devices: cannot decode `[0].id`: not a number (body starts: \"x\")"
        );
        let long = format!("items[0].{}", "a.".repeat(100));
        let e = Error::decode(Provider::NinjaOne, "devices", long.clone(), "bad", "{}");
        let text = e.to_string();
        assert!(text.contains('…') && text.len() < long.len() + 60, "{text}");
        assert_eq!(e.decode_path(), Some(long.as_str()));
        let e = Error::server(Provider::Autotask, "tickets", 503, "busy");
        assert_eq!(
            e.to_string(),
            "autotask tickets: server error HTTP 503: busy"
        );
    }

    #[test]
    fn clones_keep_the_source_and_refusals_were_not_sent() {
        let e = Error::transport(Provider::Halo, "tickets", "connection refused");
        let copy = e.clone();
        assert_eq!(
            std::error::Error::source(&copy).map(ToString::to_string),
            Some("connection refused".into())
        );
        assert_eq!(
            copy.to_string(),
            "halo tickets: transport error: connection refused"
        );
        assert!(!copy.reached_server());
        let r = Error::refused(Provider::Halo, "update_ticket", "no status in state Closed")
            .with_target("7");
        assert_eq!(r.kind(), ErrorKind::Refused);
        assert_eq!(r.status(), None);
        assert!(!r.reached_server());
        assert_eq!(
            r.to_string(),
            "halo update_ticket 7: not sent: no status in state Closed"
        );
        let debug = format!("{r:?}");
        assert!(
            debug.contains("kind: Refused") && !debug.contains("code"),
            "{debug}"
        );
    }
}
