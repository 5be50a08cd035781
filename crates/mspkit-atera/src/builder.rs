//! Setting up an [`AteraClient`].

use mspkit_core::auth::ApiKeyHeader;
use mspkit_core::http::{RateLimit, parse_base_url};
use mspkit_core::{ClientOptions, Error, ExposeSecret, Provider, Result, SecretString, settings};
use reqwest::header::{AUTHORIZATION, HeaderName};

use crate::client::AteraClient;
use crate::errors;
use crate::settings::AteraSettings;

const P: Provider = Provider::Atera;

/// The Atera host used when no `base_url` is given.
pub const DEFAULT_BASE_URL: &str = "https://app.atera.com";

/// The path of the API root on the host.
const API_ROOT: &str = "/api/v3/";

/// The client-side pacing applied unless the caller sets another: 600
/// requests a minute, in bursts of at most 10. Atera publishes no numeric
/// limit (its FAQ asks integrations to batch and throttle); this keeps a
/// sync well clear of one while still walking 30 000 items a minute.
pub fn default_rate_limit() -> RateLimit {
    RateLimit::per_minute(600).burst(10)
}

/// Sets up an [`AteraClient`]; every setting is checked in
/// [`build`](Self::build), before any request.
#[derive(Debug, Default)]
pub struct AteraClientBuilder {
    api_key: Option<SecretString>,
    base_url: Option<String>,
    options: ClientOptions,
}

impl AteraClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder for stored settings.
    pub fn from_settings(s: &AteraSettings) -> Self {
        let mut b = AteraClientBuilder {
            api_key: Some(s.api_key.clone()),
            base_url: s.base_url.clone(),
            options: ClientOptions::default(),
        };
        if s.allow_insecure_http {
            b = b.allow_insecure_http();
        }
        b.options = b
            .options
            .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs);
        b
    }

    /// The API key (a legacy key or a newer JWT token; see [`KeyKind`]).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// The Atera host (`https://app.atera.com` by default); only scheme,
    /// host and port are used.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<AteraClient> {
        let root = api_root(self.base_url.as_deref(), self.options.allow_insecure_http)?;
        let key = settings::secret(P, "api_key", self.api_key)?;
        let (kind, key) = classify(key)?;
        let auth = match kind {
            KeyKind::Bearer => ApiKeyHeader::new(AUTHORIZATION, key).with_prefix("Bearer "),
            KeyKind::ApiKey => ApiKeyHeader::new(HeaderName::from_static("x-api-key"), key),
        };
        let http = self
            .options
            .http_builder(P, root.as_str(), Some(default_rate_limit()))
            .first_contact_hints(crate::errors::first_contact)
            .auth(auth)
            .error_body(errors::parse_error_body)
            .build()?;
        Ok(AteraClient::new(http, self.options.keep_raw, kind))
    }
}

/// How a key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyKind {
    /// A legacy API key: `X-API-KEY: <key>`.
    ApiKey,
    /// A newer API token (a JWT): `Authorization: Bearer <token>`.
    Bearer,
}

/// Which header `key` goes in, and the key without a pasted `Bearer `.
///
/// A key pasted with `Bearer ` in front, or that looks like a JWT (three
/// base64url parts joined by dots, the first two not empty), is a bearer
/// token; anything else is a legacy key for `X-API-KEY`.
fn classify(key: SecretString) -> Result<(KeyKind, SecretString)> {
    let text = key.expose_secret();
    let stripped = match (text.get(..6), text.get(6..)) {
        (Some(scheme), Some(rest))
            if scheme.eq_ignore_ascii_case("bearer")
                && (rest.is_empty() || rest.starts_with(char::is_whitespace)) =>
        {
            Some(rest.trim())
        }
        _ => None,
    };
    let value = stripped.unwrap_or(text);
    if value.is_empty() {
        return Err(Error::config(P, "api_key must not be empty"));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::config(
            P,
            "api_key contains spaces or line breaks: paste the key alone",
        ));
    }
    let kind = if stripped.is_some() || looks_like_jwt(value) {
        KeyKind::Bearer
    } else {
        KeyKind::ApiKey
    };
    let key = match stripped {
        Some(v) => SecretString::from(v.to_owned()),
        None => key,
    };
    Ok((kind, key))
}

fn looks_like_jwt(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    let b64url = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
    };
    parts.len() == 3
        && !parts[0].is_empty()
        && !parts[1].is_empty()
        && parts.iter().all(|p| b64url(p))
}

/// The API root (`https://app.atera.com/api/v3/`) on the host the user
/// gave; a pasted path (`/new/dashboard`, `/api/v3`) is dropped.
fn api_root(base_url: Option<&str>, allow_insecure_http: bool) -> Result<url::Url> {
    let raw = settings::optional(base_url.map(str::to_owned));
    let mut url = parse_base_url(
        P,
        raw.as_deref().unwrap_or(DEFAULT_BASE_URL),
        allow_insecure_http,
    )?;
    url.set_path(API_ROOT);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(key: &str) -> (KeyKind, String) {
        let (k, v) = classify(SecretString::from(key.to_owned())).unwrap();
        (k, v.expose_secret().to_owned())
    }

    #[test]
    fn keys_are_sorted_into_their_headers() {
        let legacy = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d";
        assert_eq!(kind(legacy), (KeyKind::ApiKey, legacy.to_owned()));
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
        assert_eq!(kind(jwt), (KeyKind::Bearer, jwt.to_owned()));
        assert_eq!(
            kind(&format!("Bearer {jwt}")),
            (KeyKind::Bearer, jwt.to_owned())
        );
        assert_eq!(
            kind(&format!("bearer  {jwt}")),
            (KeyKind::Bearer, jwt.to_owned())
        );
        // An unsigned token still has three parts.
        assert_eq!(kind("eyJh.eyJz.").0, KeyKind::Bearer);
        assert_eq!(kind("a.b").0, KeyKind::ApiKey);
        assert!(classify(SecretString::from("Bearer ")).is_err());
        assert!(classify(SecretString::from("abc def")).is_err());
    }

    #[test]
    fn the_root_is_the_hosts_api_v3() {
        assert_eq!(
            api_root(None, false).unwrap().as_str(),
            "https://app.atera.com/api/v3/"
        );
        assert_eq!(
            api_root(Some("app.atera.com/new/dashboard"), false)
                .unwrap()
                .as_str(),
            "https://app.atera.com/api/v3/"
        );
        assert_eq!(
            api_root(Some("  "), false).unwrap().as_str(),
            "https://app.atera.com/api/v3/"
        );
        assert!(api_root(Some("http://127.0.0.1:9"), false).is_err());
        assert_eq!(
            api_root(Some("http://127.0.0.1:9/api/v3"), true)
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9/api/v3/"
        );
    }
}
