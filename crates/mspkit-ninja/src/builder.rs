//! Setting up a [`NinjaOneClient`].

use mspkit_core::auth::{ClientAuthStyle, Grant, OAuth2};
use mspkit_core::http::parse_base_url;
use mspkit_core::{ClientOptions, Error, Provider, Result, SecretString, settings};

use crate::client::NinjaOneClient;
use crate::errors::parse_error_body;
use crate::settings::{NinjaOneSettings, Region};

const PROVIDER: Provider = Provider::NinjaOne;

/// The scopes client credentials ask for unless `scope` says otherwise:
/// read (`monitoring`), write (`management`) and remote actions (`control`).
/// `offline_access` must not be among them: the EU instance refuses it on
/// this grant.
pub const DEFAULT_SCOPE: &str = "monitoring management control";

/// The token endpoint, relative to the instance root.
const TOKEN_PATH: &str = "ws/oauth/token";

/// Sets up a [`NinjaOneClient`]; every setting is checked in
/// [`build`](Self::build), before any request.
#[derive(Debug, Default)]
pub struct NinjaOneClientBuilder {
    region: Option<Region>,
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    refresh_token: Option<SecretString>,
    scope: Option<String>,
    options: ClientOptions,
}

impl NinjaOneClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder for stored settings.
    pub fn from_settings(s: &NinjaOneSettings) -> Self {
        let mut b = NinjaOneClientBuilder {
            region: s.region,
            base_url: s.base_url.clone(),
            client_id: Some(s.client_id.clone()),
            client_secret: Some(s.client_secret.clone()),
            refresh_token: s.refresh_token.clone(),
            scope: s.scope.clone(),
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

    /// The instance the account lives on (or give [`base_url`](Self::base_url)).
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// The instance's URL, for a host the regions do not cover; only scheme,
    /// host and port are used.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API application's client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// The API application's client secret.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(SecretString::from(secret.into()));
        self
    }

    /// A user's refresh token: tokens then come from the refresh-token grant,
    /// and a refresh token the server hands back replaces this one.
    pub fn refresh_token(mut self, token: impl Into<String>) -> Self {
        self.refresh_token = Some(SecretString::from(token.into()));
        self
    }

    /// The scopes to ask for, space-separated (see [`DEFAULT_SCOPE`]).
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<NinjaOneClient> {
        let root = self.api_root()?;
        let client_id = settings::required(PROVIDER, "client_id", self.client_id)?;
        let secret = settings::secret(PROVIDER, "client_secret", self.client_secret)?;
        let refresh_token = self
            .refresh_token
            .map(|t| settings::secret(PROVIDER, "refresh_token", Some(t)))
            .transpose()?;
        // The refresh-token grant keeps the scopes the user granted.
        let default_scopes: Vec<&str> = match refresh_token {
            Some(_) => Vec::new(),
            None => DEFAULT_SCOPE.split(' ').collect(),
        };
        let scopes = settings::scopes(PROVIDER, self.scope, &default_scopes)?;
        let grant = match refresh_token {
            Some(t) => Grant::RefreshToken(t),
            None => Grant::ClientCredentials,
        };
        let token_url = root
            .join(TOKEN_PATH)
            .map_err(|e| Error::config(PROVIDER, format!("token URL: {e}")))?;
        let auth = OAuth2::new(PROVIDER, token_url.as_str(), client_id, grant)?
            .client_secret(secret)
            .auth_style(ClientAuthStyle::RequestBody)
            .scopes(scopes);
        // NinjaOne publishes no request budget: no client-side limit unless
        // the caller sets one; 429s are retried honouring Retry-After.
        let http = self
            .options
            .http_builder(PROVIDER, root.as_str(), None)
            .first_contact_hints(crate::errors::first_contact)
            .auth(auth)
            .error_body(parse_error_body)
            .build()?;
        Ok(NinjaOneClient::new(http, self.options.keep_raw))
    }

    /// The instance root (`https://eu.ninjarmm.com/`) from the region or the
    /// URL; a pasted URL's path (`/apidocs/`, `/ws`) is dropped.
    fn api_root(&self) -> Result<url::Url> {
        let raw = match (self.region, self.base_url.as_deref()) {
            (Some(_), Some(_)) => {
                return Err(Error::config(PROVIDER, "set region or base_url, not both"));
            }
            (None, None) => {
                return Err(Error::config(
                    PROVIDER,
                    "set region (app, us, eu, oc, ca, us2, fed) or base_url",
                ));
            }
            (Some(region), None) => region.base_url(),
            (None, Some(url)) => url,
        };
        let mut url = parse_base_url(PROVIDER, raw, self.options.allow_insecure_http)?;
        url.set_path("/");
        Ok(url)
    }
}
