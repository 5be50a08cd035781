//! Setting up a [`DattoClient`].

use std::time::Duration;

use mspkit_core::auth::{ClientAuthStyle, Grant, OAuth2};
use mspkit_core::http::{RateLimit, parse_base_url};
use mspkit_core::{ClientOptions, Error, ExposeSecret, Provider, Result, SecretString, settings};

use crate::api;
use crate::client::DattoClient;
use crate::settings::Platform;

const P: Provider = Provider::Datto;

/// The fixed OAuth2 client every Datto RMM API user authenticates as.
pub(crate) const OAUTH_CLIENT_ID: &str = "public-client";
/// Its published secret.
pub(crate) const OAUTH_CLIENT_SECRET: &str = "public";

/// Datto RMM allows 600 reads per rolling 60 seconds, account-wide. A token
/// bucket refilling at 590 a minute with bursts of 10 never puts more than
/// 600 requests in any 60-second window, and a burst cannot reach the 90%
/// mark at which Datto starts slowing answers down.
pub fn default_rate_limit() -> RateLimit {
    RateLimit::new(590, Duration::from_secs(60)).burst(10)
}

/// Sets up a [`DattoClient`]: the platform (or API URL), the API key and
/// secret, and the options every mspkit client shares.
///
/// ```
/// use mspkit_datto::{DattoClient, Platform};
///
/// let client = DattoClient::builder()
///     .platform(Platform::Merlot)
///     .api_key("KEY")
///     .api_secret("SECRET")
///     .build()?;
/// assert_eq!(client.http().base_url().as_str(), "https://merlot-api.centrastage.net/api/");
/// # Ok::<(), mspkit_core::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct DattoClientBuilder {
    platform: Option<Platform>,
    base_url: Option<String>,
    api_key: Option<SecretString>,
    api_secret: Option<SecretString>,
    options: ClientOptions,
}

impl DattoClientBuilder {
    /// A builder holding stored settings, to add shared options to before
    /// [`build`](Self::build). Setting [`options`](Self::options) afterwards
    /// replaces the settings' `allow_insecure_http` and trust settings.
    pub fn from_settings(s: &crate::DattoSettings) -> Self {
        let mut b = Self::new()
            .api_key(s.api_key.expose_secret())
            .api_secret(s.api_secret.expose_secret());
        if let Some(p) = s.platform {
            b = b.platform(p);
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

    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The platform the account lives on (or give [`base_url`](Self::base_url)).
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The API URL shown on the user's page in Datto RMM
    /// (`https://merlot-api.centrastage.net`); a path is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// The API secret key.
    pub fn api_secret(mut self, secret: impl Into<String>) -> Self {
        self.api_secret = Some(SecretString::from(secret.into()));
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client; sends no request.
    pub fn build(self) -> Result<DattoClient> {
        let origin = self.origin()?;
        let api_key = settings::secret(P, "api_key", self.api_key)?;
        let api_secret = settings::secret(P, "api_secret", self.api_secret)?;
        let auth = OAuth2::new(
            P,
            format!("{origin}/auth/oauth/token"),
            OAUTH_CLIENT_ID,
            Grant::Password {
                username: api_key.expose_secret().to_owned(),
                password: api_secret,
            },
        )?
        .client_secret(SecretString::from(OAUTH_CLIENT_SECRET))
        .auth_style(ClientAuthStyle::BasicAuth);
        let http = self
            .options
            .http_builder(P, format!("{origin}/api/"), Some(default_rate_limit()))
            .first_contact_hints(crate::errors::first_contact)
            .auth(auth)
            .error_body(api::error_body)
            // Datto documents no Retry-After; resending soon after a 429 is
            // what earns the temporary IP block, so wait a full window.
            .default_retry_after(Duration::from_secs(60))
            .build()?;
        Ok(DattoClient::new(http, self.options.keep_raw))
    }

    /// `https://{platform}-api.centrastage.net`, or the scheme, host and port
    /// of the URL given instead (the token endpoint is outside `/api`).
    fn origin(&self) -> Result<String> {
        let base_url = self
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        match (self.platform, base_url) {
            (Some(_), Some(_)) => Err(Error::config(
                P,
                "give either platform or base_url, not both",
            )),
            (Some(p), None) => Ok(p.origin()),
            (None, Some(url)) => {
                let url = parse_base_url(P, url, self.options.allow_insecure_http)?;
                let origin = url.origin();
                if !origin.is_tuple() {
                    return Err(Error::config(
                        P,
                        format!("the base URL {url} has no origin"),
                    ));
                }
                Ok(origin.ascii_serialization())
            }
            (None, None) => Err(Error::config(
                P,
                "give the platform (pinotage, merlot, concord, vidal, zinfandel, syrah) or the API URL as base_url",
            )),
        }
    }
}
