//! Setting up a [`TacticalClient`].

use mspkit_core::auth::ApiKeyHeader;
use mspkit_core::http::parse_base_url;
use mspkit_core::reqwest::header::HeaderName;
use mspkit_core::{ClientOptions, Provider, Result, SecretString, settings};

use crate::client::TacticalClient;
use crate::errors::parse_error_body;
use crate::settings::TacticalSettings;

const PROVIDER: Provider = Provider::Tactical;

/// The header that carries the key.
pub(crate) const API_KEY_HEADER: &str = "x-api-key";

/// The largest answer read unless the caller sets `max_body_bytes`: 256 MiB.
/// Tactical does not page, so one answer is a whole list; agents are asked
/// for site by site, but the alert history (`include_resolved`) comes in one
/// answer of about 1.2 kB per alert.
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

/// Sets up a [`TacticalClient`]; every setting is checked in
/// [`build`](Self::build), before any request.
///
/// ```
/// let client = mspkit_tactical::TacticalClient::builder()
///     .base_url("api.example.com")
///     .api_key("J57BXCFDA2WBCXH0XTELBR5KAI69CNCZ")
///     // A large fleet's lists: more time, a larger answer.
///     .timeout(std::time::Duration::from_secs(300))
///     .max_body_bytes(1024 * 1024 * 1024)
///     .build()
///     .unwrap();
/// assert_eq!(client.http().base_url().as_str(), "https://api.example.com/");
/// assert_eq!(client.http().max_body_bytes(), 1024 * 1024 * 1024);
/// ```
#[derive(Debug, Default)]
pub struct TacticalClientBuilder {
    base_url: Option<String>,
    api_key: Option<SecretString>,
    options: ClientOptions,
}

impl TacticalClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder for stored settings.
    pub fn from_settings(s: &TacticalSettings) -> Self {
        let mut b = TacticalClientBuilder {
            base_url: Some(s.base_url.clone()),
            api_key: Some(s.api_key.clone()),
            options: ClientOptions::default(),
        };
        b.options = b
            .options
            .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs);
        if s.allow_insecure_http {
            b.allow_insecure_http()
        } else {
            b
        }
    }

    /// The api host of the install (`https://api.example.com`); a bare host
    /// means `https://`, and any path is dropped.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<TacticalClient> {
        let raw = settings::required(PROVIDER, "base_url", self.base_url)?;
        let mut root = parse_base_url(PROVIDER, &raw, self.options.allow_insecure_http)?;
        // The API lives at the host's root: a pasted path (`/api/schema/`,
        // `/agents/`) is dropped.
        root.set_path("/");
        let key = settings::secret(PROVIDER, "api_key", self.api_key)?;
        let auth = ApiKeyHeader::new(HeaderName::from_static(API_KEY_HEADER), key);
        // Tactical throttles only its login endpoints, not the API: no
        // client-side limit unless the caller sets one.
        let mut http = self
            .options
            .http_builder(PROVIDER, root.as_str(), None)
            .first_contact_hints(crate::errors::first_contact)
            .auth(auth)
            .error_body(parse_error_body);
        if self.options.max_body_bytes.is_none() {
            http = http.max_body_bytes(DEFAULT_MAX_BODY_BYTES);
        }
        let http = http.build()?;
        Ok(TacticalClient::new(http, self.options.keep_raw))
    }
}
