//! Setting up an [`AutotaskClient`](crate::AutotaskClient).

use mspkit_core::auth::HeaderSet;
use mspkit_core::http::RateLimit;
use mspkit_core::{ClientOptions, Provider, Result, SecretString, settings};
use reqwest::header::HeaderName;

use crate::client::AutotaskClient;
use crate::errors::parse_error;
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
        b.options = b.options.with_trust_settings(
            &settings.extra_root_certificates,
            settings.danger_accept_invalid_certs,
        );
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

    /// Checks the settings and builds the client. No request is sent: a
    /// zone not given is looked up by the transport on first use.
    pub fn build(self) -> Result<AutotaskClient> {
        let p = Provider::Autotask;
        let username = settings::required(p, "username", self.username)?;
        let integration_code = settings::required(p, "integration_code", self.integration_code)?;
        let secret = settings::secret(p, "secret", self.secret)?;
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
            let name = HeaderName::from_static("impersonationresourceid");
            headers = headers.header(p, name, &id.to_string())?;
        }
        let (root, discover) = match settings::optional(self.base_url) {
            Some(url) => (zone::api_root(&url, insecure)?, false),
            None => {
                let lookup = self.zone_lookup_url.as_deref();
                (
                    zone::api_root(lookup.unwrap_or(zone::DEFAULT_LOOKUP_URL), insecure)?,
                    true,
                )
            }
        };
        let mut http = self
            .options
            .http_builder(p, root.as_str(), Some(default_rate_limit()))
            .first_contact_hints(crate::errors::first_contact)
            .auth(headers)
            .error_body(parse_error);
        if discover {
            let user = username.clone();
            http = http
                .discover_root(move |lookup| Box::pin(zone::find(lookup, user.clone(), insecure)));
        }
        Ok(AutotaskClient::new(
            username,
            self.options.keep_raw,
            http.build()?,
            discover,
        ))
    }
}
