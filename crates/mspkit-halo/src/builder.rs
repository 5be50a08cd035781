//! Setting up a [`HaloClient`].

use std::sync::Arc;
use std::time::Duration;

use mspkit_core::http::{RateLimit, parse_base_url};
use mspkit_core::{ClientOptions, Error, Provider, Result, SecretString, settings};
use url::Url;

use crate::auth::HaloAuth;
use crate::client::HaloClient;
use crate::errors::parse_error_body;

const P: Provider = Provider::Halo;

/// The scope asked for when none is set.
pub const DEFAULT_SCOPE: &str = "all";

/// The client-side limit used unless the builder sets another: Halo
/// publishes no figure; integrators report 500 requests per rolling three
/// minutes, so that is the budget, with bursts of 60.
pub fn default_rate_limit() -> RateLimit {
    RateLimit::new(500, Duration::from_secs(180)).burst(60)
}

/// Builds a [`HaloClient`]; every setting is checked in [`build`](Self::build),
/// which sends no request.
#[derive(Clone, Default)]
pub struct HaloClientBuilder {
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    tenant: Option<String>,
    scope: Option<String>,
    options: ClientOptions,
}

impl std::fmt::Debug for HaloClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HaloClientBuilder")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("tenant", &self.tenant)
            .field("scope", &self.scope)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl HaloClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding stored settings, to add shared options to before
    /// [`build`](Self::build). Setting [`options`](Self::options) afterwards
    /// replaces the settings' `allow_insecure_http` and trust settings.
    pub fn from_settings(s: &crate::HaloSettings) -> Self {
        let mut b = Self::new()
            .base_url(s.base_url.clone())
            .client_id(s.client_id.clone())
            .client_secret(s.client_secret.clone());
        b.tenant = s.tenant.clone();
        b.scope = s.scope.clone();
        b.options.allow_insecure_http = s.allow_insecure_http;
        b.options = b
            .options
            .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs);
        b
    }

    /// The Halo site (`https://acme.halopsa.com`); scheme, host and port are used.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API application's client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// The API application's client secret (a `&str`, `String` or `SecretString`).
    pub fn client_secret(mut self, secret: impl Into<SecretString>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The tenant of a Halo-hosted instance (sent as `?tenant=` to the token endpoint).
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// The scopes to ask for, space-separated ([`DEFAULT_SCOPE`] when not set).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. No request is sent: the
    /// token endpoint is looked up on the first call.
    pub fn build(self) -> Result<HaloClient> {
        let raw_url = settings::required(P, "base_url", self.base_url)?;
        let site = site_root(&raw_url, self.options.allow_insecure_http)?;
        let client_id = settings::required(P, "client_id", self.client_id)?;
        let client_secret = settings::secret(P, "client_secret", self.client_secret)?;
        let scopes = settings::scopes(P, self.scope, &[DEFAULT_SCOPE])?;
        let api_root = site
            .join("api/")
            .map_err(|e| Error::config(P, format!("cannot form the API URL: {e}")))?;
        // authinfo is asked without credentials, with the same retries.
        let lookup = self.options.http_builder(P, site.as_str(), None).build()?;
        let auth = HaloAuth {
            site: lookup,
            tenant: settings::optional(self.tenant),
            client_id,
            client_secret,
            scopes,
            allow_insecure_http: self.options.allow_insecure_http,
            oauth: Default::default(),
        };
        let http = self
            .options
            .http_builder(P, api_root.as_str(), Some(default_rate_limit()))
            .first_contact_hints(crate::errors::first_contact)
            .auth_arc(Arc::new(auth))
            .error_body(parse_error_body)
            .build()?;
        Ok(HaloClient::new(http, self.options.keep_raw))
    }
}

/// The site's scheme, host and port: what a user pastes may carry a path
/// (`/api`, `/auth`) that is not part of the site.
fn site_root(raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let mut url = parse_base_url(P, raw, allow_insecure_http)?;
    url.set_path("/");
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_is_scheme_host_and_port() {
        assert_eq!(
            site_root("acme.halopsa.com/api/", false).unwrap().as_str(),
            "https://acme.halopsa.com/"
        );
        assert_eq!(
            site_root("http://127.0.0.1:8080/x?y", true)
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/"
        );
    }
}
