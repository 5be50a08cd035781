//! Setting up a [`SyncroClient`].

use std::time::Duration;

use mspkit_core::auth::ApiKeyHeader;
use mspkit_core::http::{RateLimit, parse_base_url};
use mspkit_core::reqwest::header::AUTHORIZATION;
use mspkit_core::{ClientOptions, Error, Provider, Result, SecretString, settings};
use url::Url;

use crate::client::SyncroClient;
use crate::errors::parse_error_body;
use crate::settings::SyncroSettings;

const P: Provider = Provider::Syncro;

/// Syncro's published limit: "180 requests per minute per IP address".
pub fn default_rate_limit() -> RateLimit {
    RateLimit::per_minute(180)
}

/// How long to wait after a 429 without `Retry-After`: to the next minute
/// window at the latest (Syncro's limit counts per minute).
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Builds a [`SyncroClient`]; every setting is checked in
/// [`build`](Self::build), which sends no request.
#[derive(Clone, Default)]
pub struct SyncroClientBuilder {
    subdomain: Option<String>,
    api_key: Option<SecretString>,
    base_url: Option<String>,
    options: ClientOptions,
}

impl std::fmt::Debug for SyncroClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncroClientBuilder")
            .field("subdomain", &self.subdomain)
            .field("base_url", &self.base_url)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl SyncroClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding stored settings, to add shared options to before
    /// [`build`](Self::build). Setting [`options`](Self::options) afterwards
    /// replaces the settings' `allow_insecure_http` and trust settings.
    pub fn from_settings(s: &SyncroSettings) -> Self {
        let mut b = Self::new().api_key(s.api_key.clone());
        if let Some(sub) = &s.subdomain {
            b = b.subdomain(sub.clone());
        }
        if let Some(url) = &s.base_url {
            b = b.base_url(url.clone());
        }
        if s.allow_insecure_http {
            b = b.allow_insecure_http();
        }
        b.options = b
            .options
            .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs);
        b
    }

    /// The account's subdomain (`acme`), or its Syncro URL as pasted
    /// (`https://acme.syncromsp.com/tickets`).
    pub fn subdomain(mut self, subdomain: impl Into<String>) -> Self {
        self.subdomain = Some(subdomain.into());
        self
    }

    /// The API token (a `&str`, `String` or `SecretString`).
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Another API root (a proxy, a test server): `{base_url}/api/v1`, or
    /// `base_url` as it is when it ends in `/api/v1`. Wins over the subdomain.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(self) -> Result<SyncroClient> {
        let root = api_root(
            self.subdomain.as_deref(),
            self.base_url.as_deref(),
            self.options.allow_insecure_http,
        )?;
        let key = settings::secret(P, "api_key", self.api_key)?;
        let http = self
            .options
            .http_builder(P, root.as_str(), Some(default_rate_limit()))
            .first_contact_hints(crate::errors::first_contact)
            .auth(ApiKeyHeader::new(AUTHORIZATION, key).with_prefix("Bearer "))
            .error_body(parse_error_body)
            .default_retry_after(DEFAULT_RETRY_AFTER)
            .build()?;
        Ok(SyncroClient::from_parts(http, self.options.keep_raw))
    }
}

/// The API root (ending in `/api/v1/`) for a base URL or a subdomain.
pub(crate) fn api_root(
    subdomain: Option<&str>,
    base_url: Option<&str>,
    allow_insecure_http: bool,
) -> Result<Url> {
    if let Some(raw) = settings::optional(base_url.map(str::to_owned)) {
        let mut url = parse_base_url(P, &raw, allow_insecure_http)?;
        if !url.path().trim_end_matches('/').ends_with("/api/v1") {
            let path = format!("{}api/v1/", url.path());
            url.set_path(&path);
        }
        return Ok(url);
    }
    let raw = settings::required(P, "subdomain", subdomain.map(str::to_owned)).map_err(|_| {
        Error::config(
            P,
            "subdomain is required (the `acme` of https://acme.syncromsp.com), or base_url",
        )
    })?;
    let sub = normalize_subdomain(&raw)?;
    Url::parse(&format!("https://{sub}.syncromsp.com/api/v1/"))
        .map_err(|e| Error::config(P, format!("cannot form the API URL: {e}")))
}

/// The subdomain of what a user typed: `acme`, `acme.syncromsp.com`, or a
/// Syncro URL with a scheme and a path; lower-cased. The message never
/// quotes the value (a key may have been pasted into the wrong field).
pub(crate) fn normalize_subdomain(raw: &str) -> Result<String> {
    let lower = raw.trim().to_ascii_lowercase();
    let rest = lower.split_once("://").map_or(lower.as_str(), |(_, r)| r);
    let sub = match rest.find(".syncromsp.com") {
        Some(i) => &rest[..i],
        None => rest.trim_end_matches('/'),
    };
    let valid = !sub.is_empty()
        && sub.len() <= 63
        && !sub.starts_with('-')
        && !sub.ends_with('-')
        && sub.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(sub.to_owned())
    } else {
        Err(Error::config(
            P,
            "subdomain must be the account's subdomain (the `acme` of https://acme.syncromsp.com) \
             or its Syncro URL; for another host, set base_url",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_users_type_becomes_the_subdomain() {
        for typed in [
            "acme",
            " ACME ",
            "acme.syncromsp.com",
            "https://acme.syncromsp.com",
            "https://Acme.SyncroMSP.com/tickets?x=1",
            "http://acme.syncromsp.com/api/v1/",
            "acme/",
        ] {
            assert_eq!(normalize_subdomain(typed).unwrap(), "acme", "{typed}");
        }
        assert_eq!(normalize_subdomain("my-shop").unwrap(), "my-shop");
        for bad in ["", "  ", "a.b", "acme/tickets", "https://", "-x", "ac me"] {
            let e = normalize_subdomain(bad).unwrap_err();
            assert_eq!(e.kind(), mspkit_core::ErrorKind::Config, "{bad}");
        }
        let e = normalize_subdomain("Tkey.secret/x")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("Tkey"), "{e}");
    }

    #[test]
    fn the_api_root_comes_from_the_subdomain_or_the_base_url() {
        let root = |s: Option<&str>, b: Option<&str>| {
            api_root(s, b, true)
                .map(|u| u.to_string())
                .map_err(|e| e.kind())
        };
        assert_eq!(
            root(Some("https://acme.syncromsp.com/"), None).unwrap(),
            "https://acme.syncromsp.com/api/v1/"
        );
        assert_eq!(
            root(None, Some("http://127.0.0.1:9000")).unwrap(),
            "http://127.0.0.1:9000/api/v1/"
        );
        assert_eq!(
            root(Some("ignored"), Some("https://proxy.example/syncro/api/v1")).unwrap(),
            "https://proxy.example/syncro/api/v1/"
        );
        assert_eq!(
            root(None, Some("https://proxy.example/syncro")).unwrap(),
            "https://proxy.example/syncro/api/v1/"
        );
        assert_eq!(
            root(None, None).unwrap_err(),
            mspkit_core::ErrorKind::Config
        );
        assert_eq!(
            api_root(None, Some("http://127.0.0.1:9000"), false)
                .unwrap_err()
                .kind(),
            mspkit_core::ErrorKind::InsecureUrl
        );
    }
}
