//! The settings every provider client's builder shares.

use std::time::Duration;

use crate::http::{HttpBuilder, RateLimit, RetryPolicy};
use crate::model::Provider;

/// What every provider builder accepts besides the provider's own settings:
/// raw passthrough, insecure HTTP for local servers, retry, rate limit,
/// timeouts and a shared `reqwest` client.
///
/// Provider builders hold one in a field named `options` and expose its
/// setters through [`client_options_methods!`](crate::client_options_methods),
/// so the methods read the same in every crate. Built on its own (for
/// `mspkit::connect_psa_with`, a provider's `from_settings_with` or a
/// builder's `.options(...)`), it is chained the same way:
///
/// ```
/// use std::time::Duration;
/// use mspkit_core::ClientOptions;
/// use mspkit_core::http::{RateLimit, RetryPolicy};
///
/// let options = ClientOptions::new()
///     .keep_raw(true)
///     .retry(RetryPolicy::new().max_attempts(5))
///     .rate_limit(Some(RateLimit::per_minute(300)))
///     .timeout(Duration::from_secs(30))
///     .connect_timeout(Duration::from_secs(5));
/// assert!(options.keep_raw);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ClientOptions {
    /// Keep each item's original JSON in `raw`.
    pub keep_raw: bool,
    /// Allow a plain `http://` base URL.
    pub allow_insecure_http: bool,
    /// Retry policy; the default policy when `None`.
    pub retry: Option<RetryPolicy>,
    /// Rate limit: `None` for the provider's default, `Some(None)` for none.
    pub rate_limit: Option<Option<RateLimit>>,
    /// Per-request timeout.
    pub timeout: Option<Duration>,
    /// Connect timeout.
    pub connect_timeout: Option<Duration>,
    /// A `reqwest` client to share.
    pub reqwest_client: Option<reqwest::Client>,
    /// The largest response body read ([`DEFAULT_MAX_BODY_BYTES`](crate::http::DEFAULT_MAX_BODY_BYTES) by default).
    pub max_body_bytes: Option<usize>,
    /// A bound on one call, all retries and waits included (none by default).
    pub deadline: Option<Duration>,
    /// Page requests a list walk keeps in flight where its paging allows
    /// ([`DEFAULT_PAGE_CONCURRENCY`](crate::http::DEFAULT_PAGE_CONCURRENCY) by default).
    pub page_concurrency: Option<usize>,
    /// Certificates trusted beyond the built-in roots, or none checked (a lab).
    pub trust: crate::http::Trust,
}

impl ClientOptions {
    /// The defaults: no raw passthrough, `https://` only, the default retry
    /// policy, the provider's rate limit, the transport's timeouts
    /// ([`DEFAULT_TIMEOUT`](crate::http::DEFAULT_TIMEOUT) per attempt), a
    /// client of its own.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps each item's original JSON in its `raw` field (off by default: memory).
    pub fn keep_raw(mut self, yes: bool) -> Self {
        self.keep_raw = yes;
        self
    }

    /// Allows a plain `http://` base URL, for a local or test server.
    pub fn allow_insecure_http(mut self, yes: bool) -> Self {
        self.allow_insecure_http = yes;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets the client-side rate limit (`None` turns it off); the provider's
    /// published limit is the default. Where the platform reports its
    /// budget, a limit set here is lowered to the reported total but never
    /// raised to it.
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Sets the per-request timeout (60 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the connect timeout (10 s by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Caps the response body read (a larger answer fails early, with an
    /// error naming this setting).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// Bounds one call, all retries and waits included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Page requests a list walk keeps in flight where its paging allows
    /// (1: strictly one after another).
    pub fn page_concurrency(mut self, n: usize) -> Self {
        self.page_concurrency = Some(n);
        self
    }

    /// Also trusts the root certificates in `pem`: a PEM file's path or its
    /// text (a self-hosted install's private CA, a TLS-inspecting proxy's).
    pub fn extra_root_certificate(mut self, pem: impl Into<String>) -> Self {
        self.trust = self.trust.extra_root_certificate(pem);
        self
    }

    /// Accepts any certificate: for a lab only; every client built with it
    /// logs a warning.
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.trust = self.trust.danger_accept_invalid_certs(yes);
        self
    }

    /// Applies the trust fields every provider's settings carry
    /// (`extra_root_certificates`, `danger_accept_invalid_certs`), adding to
    /// what was set here.
    pub fn with_trust_settings(self, extra_root_certificates: &[String], danger: bool) -> Self {
        let mut trust = crate::http::Trust::new().danger_accept_invalid_certs(danger);
        for pem in extra_root_certificates {
            trust = trust.extra_root_certificate(pem.clone());
        }
        self.with_trust(&trust)
    }

    /// Applies trust settings read from a provider's settings (they add to
    /// what was set here).
    pub fn with_trust(mut self, trust: &crate::http::Trust) -> Self {
        for pem in &trust.extra_root_certificates {
            self.trust = self.trust.extra_root_certificate(pem.clone());
        }
        if trust.danger_accept_invalid_certs {
            self.trust = self.trust.danger_accept_invalid_certs(true);
        }
        self
    }

    /// Shares a `reqwest` client (and its connection pool) with other
    /// clients; its own timeouts then apply. Build it from
    /// [`http::client_builder`](crate::http::client_builder), which carries
    /// mspkit's TLS setup.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest_client = Some(client);
        self
    }

    /// A transport builder with these options applied, the provider's default
    /// rate limit used unless overridden.
    pub fn http_builder(
        &self,
        provider: Provider,
        base_url: impl Into<String>,
        default_rate_limit: Option<RateLimit>,
    ) -> HttpBuilder {
        let b = crate::http::Http::builder(provider, base_url)
            .allow_insecure_http(self.allow_insecure_http)
            .retry(self.retry.clone().unwrap_or_default());
        let mut b = match self.rate_limit {
            Some(chosen) => b.chosen_rate_limit(chosen),
            None => b.rate_limit(default_rate_limit),
        };
        if let Some(n) = self.max_body_bytes {
            b = b.max_body_bytes(n);
        }
        if let Some(d) = self.deadline {
            b = b.deadline(d);
        }
        if let Some(n) = self.page_concurrency {
            b = b.page_concurrency(n);
        }
        if !self.trust.is_default() {
            b = b.trust(self.trust.clone());
        }
        if let Some(t) = self.timeout {
            b = b.timeout(t);
        }
        if let Some(t) = self.connect_timeout {
            b = b.connect_timeout(t);
        }
        if let Some(c) = &self.reqwest_client {
            b = b.reqwest_client(c.clone());
        }
        b
    }

    /// `Some(value)` when raw passthrough is on.
    pub fn raw<T: serde::Serialize>(&self, value: &T) -> Option<serde_json::Value> {
        if self.keep_raw {
            serde_json::to_value(value).ok()
        } else {
            None
        }
    }
}

/// Expands, inside a provider builder's `impl` block, to the setters of the
/// builder's `options: ClientOptions` field.
#[macro_export]
macro_rules! client_options_methods {
    () => {
        /// Keeps each item's original JSON in its `raw` field (off by default: memory).
        pub fn keep_raw(mut self, yes: bool) -> Self {
            self.options.keep_raw = yes;
            self
        }

        /// Allows a plain `http://` base URL, for a local or test server.
        pub fn allow_insecure_http(mut self) -> Self {
            self.options.allow_insecure_http = true;
            self
        }

        /// Sets the retry policy.
        pub fn retry_policy(mut self, policy: $crate::http::RetryPolicy) -> Self {
            self.options.retry = Some(policy);
            self
        }

        /// Sets the client-side rate limit (`None` turns it off); the
        /// provider's published limit is the default. Where the platform
        /// reports its budget, a limit set here is lowered to the reported
        /// total but never raised to it.
        pub fn rate_limit(mut self, limit: Option<$crate::http::RateLimit>) -> Self {
            self.options.rate_limit = Some(limit);
            self
        }

        /// Sets the per-attempt timeout (30 s by default).
        pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }

        /// Sets the connect timeout (10 s by default).
        pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
            self.options.connect_timeout = Some(timeout);
            self
        }

        /// Caps the response body read (64 MiB by default).
        pub fn max_body_bytes(mut self, bytes: usize) -> Self {
            self.options.max_body_bytes = Some(bytes);
            self
        }

        /// Bounds one call, all retries and waits included (none by default).
        pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
            self.options.deadline = Some(deadline);
            self
        }

        /// Page requests a list walk keeps in flight where its paging allows
        /// (4 by default; 1 walks one page after another).
        pub fn page_concurrency(mut self, n: usize) -> Self {
            self.options.page_concurrency = Some(n);
            self
        }

        /// Also trusts the root certificates in `pem`: a PEM file's path or
        /// its text (a self-hosted install's private CA, a TLS-inspecting proxy's).
        pub fn extra_root_certificate(mut self, pem: impl Into<String>) -> Self {
            self.options = self.options.extra_root_certificate(pem);
            self
        }

        /// Accepts any certificate: for a lab only; every client built with
        /// it logs a warning.
        pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
            self.options = self.options.danger_accept_invalid_certs(yes);
            self
        }

        /// Shares a `reqwest` client (and its connection pool) with other clients.
        pub fn reqwest_client(mut self, client: $crate::reqwest::Client) -> Self {
            self.options.reqwest_client = Some(client);
            self
        }

        /// Sets every shared option at once.
        pub fn options(mut self, options: $crate::ClientOptions) -> Self {
            self.options = options;
            self
        }
    };
}
