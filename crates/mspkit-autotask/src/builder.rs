//! Setting up an [`AutotaskClient`](crate::AutotaskClient).

use std::sync::Arc;

use mspkit_core::auth::{Auth, HeaderSet};
use mspkit_core::http::RateLimit;
use mspkit_core::{ClientOptions, Error, ExposeSecret, Provider, Result, SecretString};
use reqwest::header::HeaderName;

use crate::client::AutotaskClient;
use crate::settings::AutotaskSettings;
use crate::zone;

/// Autotask's published budget: 10,000 requests per rolling hour per database.
pub fn default_rate_limit() -> RateLimit {
    RateLimit::per_hour(10_000)
}

/// Builds an [`AutotaskClient`]; every setting is checked at [`build`](Self::build),
/// before any request.
#[derive(Default)]
pub struct AutotaskClientBuilder {
    username: Option<String>,
    secret: Option<SecretString>,
    integration_code: Option<String>,
    base_url: Option<String>,
    impersonation_resource_id: Option<u64>,
    zone_lookup_url: Option<String>,
    options: ClientOptions,
}

impl std::fmt::Debug for AutotaskClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AutotaskClientBuilder")
            .field("username", &self.username)
            .field("integration_code", &self.integration_code)
            .field("base_url", &self.base_url)
            .field("impersonation_resource_id", &self.impersonation_resource_id)
            .finish_non_exhaustive()
    }
}

impl AutotaskClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding `settings`.
    pub fn from_settings(settings: &AutotaskSettings) -> Self {
        let mut b = Self::new()
            .username(settings.username.clone())
            .secret(settings.secret.clone())
            .integration_code(settings.integration_code.clone());
        b.base_url = settings.base_url.clone();
        b.impersonation_resource_id = settings.impersonation_resource_id;
        if settings.allow_insecure_http {
            b = b.allow_insecure_http();
        }
        b
    }

    /// The API user's user name.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The API user's secret.
    pub fn secret(mut self, secret: impl Into<SecretString>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// The integration's API tracking identifier.
    pub fn integration_code(mut self, code: impl Into<String>) -> Self {
        self.integration_code = Some(code.into());
        self
    }

    /// The zone's API root (`https://webservices5.autotask.net/atservicesrest`);
    /// without it the zone is looked up on first use.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The resource that writes are attributed to.
    pub fn impersonation_resource_id(mut self, id: u64) -> Self {
        self.impersonation_resource_id = Some(id);
        self
    }

    /// Where zones are looked up (`https://webservices2.autotask.net/atservicesrest`
    /// by default); for a test server.
    pub fn zone_lookup_url(mut self, url: impl Into<String>) -> Self {
        self.zone_lookup_url = Some(url.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(self) -> Result<AutotaskClient> {
        let p = Provider::Autotask;
        let required = |value: Option<String>, name: &str| -> Result<String> {
            match value.map(|v| v.trim().to_owned()) {
                Some(v) if !v.is_empty() => Ok(v),
                _ => Err(Error::config(p, format!("{name} is empty"))),
            }
        };
        let username = required(self.username, "username")?;
        let integration_code = required(self.integration_code, "integration_code")?;
        let secret = match self.secret {
            Some(s) if !s.expose_secret().trim().is_empty() => s,
            _ => return Err(Error::config(p, "secret is empty")),
        };
        let insecure = self.options.allow_insecure_http;
        let mut headers = HeaderSet::new()
            .header(
                p,
                HeaderName::from_static("apiintegrationcode"),
                &integration_code,
            )?
            .header(p, HeaderName::from_static("username"), &username)?
            .secret(HeaderName::from_static("secret"), secret);
        if let Some(id) = self.impersonation_resource_id {
            headers = headers.header(
                p,
                HeaderName::from_static("impersonationresourceid"),
                &id.to_string(),
            )?;
        }
        let auth: Arc<dyn Auth> = Arc::new(headers);
        let zone = match self.base_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => {
                let root = zone::api_root(url, insecure)?;
                zone::Zone::Fixed(zone::transport(&self.options, root, auth)?)
            }
            _ => {
                let lookup = self
                    .zone_lookup_url
                    .as_deref()
                    .unwrap_or(zone::DEFAULT_LOOKUP_URL);
                let lookup = zone::api_root(lookup, insecure)?;
                zone::Zone::Discover(zone::Discovery::new(&self.options, lookup, auth)?)
            }
        };
        Ok(AutotaskClient::new(username, self.options, zone))
    }
}
