//! The one error type of mspkit.
//!
//! Every variant names the provider and the operation that failed, so a sync
//! over many tenants can report which call broke where. Response bodies are
//! quoted only as a short snippet, and no variant ever carries a secret.

use std::time::Duration;

use crate::model::Provider;

/// A boxed error source.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The result type of mspkit.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many characters of a response body an error quotes.
pub const SNIPPET_CHARS: usize = 240;

/// Everything that can go wrong talking to a provider.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The credentials were refused (HTTP 401, or the provider's equivalent).
    #[error("{provider} {operation}: unauthorized: {message}")]
    Unauthorized {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// What the provider said.
        message: String,
    },
    /// The credentials are valid but lack permission (HTTP 403).
    #[error("{provider} {operation}: forbidden: {message}")]
    Forbidden {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// What the provider said.
        message: String,
    },
    /// The thing asked for does not exist (HTTP 404).
    #[error("{provider} {operation}: not found: {message}")]
    NotFound {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// What the provider said.
        message: String,
    },
    /// The provider kept answering 429 after the retries the policy allows, or
    /// asked for a wait longer than the policy accepts.
    #[error("{provider} {operation}: rate limited{}", fmt_retry_after(.retry_after))]
    RateLimited {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// How long the provider asked to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// The provider refused the request (a 4xx other than the above, or an
    /// error body the provider crate recognised).
    #[error("{provider} {operation}: HTTP {status}{}: {message}{}", fmt_code(.code), fmt_details(.details))]
    Api {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// HTTP status; 0 when the request was refused before it was sent
        /// (see [`Error::refused`]).
        status: u16,
        /// The provider's error code, when it gave one.
        code: Option<String>,
        /// The provider's message.
        message: String,
        /// Field-level errors the provider listed, each as `field: message`.
        details: Vec<String>,
    },
    /// The provider failed (5xx) after the retries the policy allows.
    #[error("{provider} {operation}: server error HTTP {status}: {snippet}")]
    Server {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The start of the response body.
        snippet: String,
    },
    /// A response could not be read into the expected shape.
    #[error("{provider} {operation}: cannot decode `{path}`: {source} (body starts: {snippet})")]
    Decode {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// Where in the document the problem is (`members[3].lastUpdated`), `.` for the root.
        path: String,
        /// What was wrong.
        source: BoxError,
        /// The start of the response body, or the offending value.
        snippet: String,
    },
    /// The request did not get an answer (connection refused, reset, TLS failure).
    #[error("{provider} {operation}: transport error: {}", fmt_chain(.source.as_ref()))]
    Transport {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// The underlying error.
        source: BoxError,
    },
    /// The request did not finish in time.
    #[error("{provider} {operation}: timed out")]
    Timeout {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
    },
    /// The client was set up wrong (an empty key, a malformed URL, a bad setting).
    #[error("{provider} {operation}: configuration error: {message}")]
    Config {
        /// The provider.
        provider: Provider,
        /// The operation (`build` for a client's builder).
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A plain `http://` URL was given without `allow_insecure_http`.
    #[error(
        "{provider} {operation}: refusing insecure URL {url}: use https, or allow_insecure_http for a local test server"
    )]
    InsecureUrl {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// The refused URL (scheme, host and path only).
        url: String,
    },
    /// The provider has no such operation; `capabilities()` says so up front.
    #[error("{provider} does not support {operation}")]
    Unsupported {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
    },
    /// A list could not be walked to its end: a repeated cursor, a total that
    /// does not match what was received, a next-page link that goes elsewhere.
    #[error("{provider} {operation}: paging stopped early: {message}")]
    Paging {
        /// The provider.
        provider: Provider,
        /// The operation.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
}

fn fmt_retry_after(d: &Option<Duration>) -> String {
    d.map(|d| format!(" (retry after {}s)", d.as_secs_f64()))
        .unwrap_or_default()
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

fn fmt_code(code: &Option<String>) -> String {
    code.as_ref().map(|c| format!(" [{c}]")).unwrap_or_default()
}

fn fmt_details(details: &[String]) -> String {
    if details.is_empty() {
        String::new()
    } else {
        format!(" ({})", details.join("; "))
    }
}

impl Error {
    /// The provider the error came from.
    pub fn provider(&self) -> Provider {
        match self {
            Error::Unauthorized { provider, .. }
            | Error::Forbidden { provider, .. }
            | Error::NotFound { provider, .. }
            | Error::RateLimited { provider, .. }
            | Error::Api { provider, .. }
            | Error::Server { provider, .. }
            | Error::Decode { provider, .. }
            | Error::Transport { provider, .. }
            | Error::Timeout { provider, .. }
            | Error::Config { provider, .. }
            | Error::InsecureUrl { provider, .. }
            | Error::Unsupported { provider, .. }
            | Error::Paging { provider, .. } => *provider,
        }
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Unauthorized { operation, .. }
            | Error::Forbidden { operation, .. }
            | Error::NotFound { operation, .. }
            | Error::RateLimited { operation, .. }
            | Error::Api { operation, .. }
            | Error::Server { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Config { operation, .. }
            | Error::InsecureUrl { operation, .. }
            | Error::Unsupported { operation, .. }
            | Error::Paging { operation, .. } => operation,
        }
    }

    /// A configuration error raised while building a client.
    pub fn config(provider: Provider, message: impl Into<String>) -> Self {
        Error::Config {
            provider,
            operation: "build",
            message: message.into(),
        }
    }

    /// An operation the provider does not have.
    pub fn unsupported(provider: Provider, operation: &'static str) -> Self {
        Error::Unsupported {
            provider,
            operation,
        }
    }

    /// A decode error for a value that is present but unreadable, naming its field.
    pub fn decode(
        provider: Provider,
        operation: &'static str,
        path: impl Into<String>,
        source: impl Into<BoxError>,
        value: &str,
    ) -> Self {
        Error::Decode {
            provider,
            operation,
            path: path.into(),
            source: source.into(),
            snippet: snippet(value.as_bytes()),
        }
    }

    /// A request refused before it was sent, because the provider could not
    /// express it (a status change to a state the tenant has no status for):
    /// an `Api` error with status 0.
    pub fn refused(
        provider: Provider,
        operation: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::Api {
            provider,
            operation,
            status: 0,
            code: None,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// A paging error: the walk could not reach the end of the list.
    pub fn paging(provider: Provider, operation: &'static str, message: impl Into<String>) -> Self {
        Error::Paging {
            provider,
            operation,
            message: message.into(),
        }
    }

    /// A copy of the error for a second caller (token fetches shared by
    /// waiting callers); a boxed source is kept as its message.
    pub(crate) fn duplicate(&self) -> Error {
        let text = |e: &BoxError| -> BoxError { e.to_string().into() };
        match self {
            Error::Unauthorized {
                provider,
                operation,
                message,
            } => Error::Unauthorized {
                provider: *provider,
                operation,
                message: message.clone(),
            },
            Error::Forbidden {
                provider,
                operation,
                message,
            } => Error::Forbidden {
                provider: *provider,
                operation,
                message: message.clone(),
            },
            Error::NotFound {
                provider,
                operation,
                message,
            } => Error::NotFound {
                provider: *provider,
                operation,
                message: message.clone(),
            },
            Error::RateLimited {
                provider,
                operation,
                retry_after,
            } => Error::RateLimited {
                provider: *provider,
                operation,
                retry_after: *retry_after,
            },
            Error::Api {
                provider,
                operation,
                status,
                code,
                message,
                details,
            } => Error::Api {
                provider: *provider,
                operation,
                status: *status,
                code: code.clone(),
                message: message.clone(),
                details: details.clone(),
            },
            Error::Server {
                provider,
                operation,
                status,
                snippet,
            } => Error::Server {
                provider: *provider,
                operation,
                status: *status,
                snippet: snippet.clone(),
            },
            Error::Decode {
                provider,
                operation,
                path,
                source,
                snippet,
            } => Error::Decode {
                provider: *provider,
                operation,
                path: path.clone(),
                source: text(source),
                snippet: snippet.clone(),
            },
            Error::Transport {
                provider,
                operation,
                source,
            } => Error::Transport {
                provider: *provider,
                operation,
                source: text(source),
            },
            Error::Timeout {
                provider,
                operation,
            } => Error::Timeout {
                provider: *provider,
                operation,
            },
            Error::Config {
                provider,
                operation,
                message,
            } => Error::Config {
                provider: *provider,
                operation,
                message: message.clone(),
            },
            Error::InsecureUrl {
                provider,
                operation,
                url,
            } => Error::InsecureUrl {
                provider: *provider,
                operation,
                url: url.clone(),
            },
            Error::Unsupported {
                provider,
                operation,
            } => Error::Unsupported {
                provider: *provider,
                operation,
            },
            Error::Paging {
                provider,
                operation,
                message,
            } => Error::Paging {
                provider: *provider,
                operation,
                message: message.clone(),
            },
        }
    }

    /// Whether retrying the same call later may succeed (rate limits, server
    /// errors, timeouts and transport failures).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. }
                | Error::Server { .. }
                | Error::Timeout { .. }
                | Error::Transport { .. }
        )
    }
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
        let e = Error::Api {
            provider: Provider::ConnectWise,
            operation: "create_ticket",
            status: 400,
            code: Some("InvalidObject".into()),
            message: "Ticket object is invalid".into(),
            details: vec!["board: Board is required".into()],
        };
        assert_eq!(
            e.to_string(),
            "connectwise create_ticket: HTTP 400 [InvalidObject]: Ticket object is invalid (board: Board is required)"
        );
        assert_eq!(e.provider(), Provider::ConnectWise);
        assert_eq!(e.operation(), "create_ticket");
        assert!(!e.is_transient());
    }
}
