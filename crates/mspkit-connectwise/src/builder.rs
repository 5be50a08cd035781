//! Setting up a [`ConnectWiseClient`].

use mspkit_core::auth::{Basic, Chain, HeaderSet};
use mspkit_core::reqwest::header::{ACCEPT, HeaderName, HeaderValue};
use mspkit_core::{ClientOptions, Error, Provider, Result, SecretString, settings};

use crate::client::ConnectWiseClient;
use crate::errors::parse_error_body;
use crate::settings::ConnectWiseSettings;
use crate::site::{api_origin, api_root, clean_codebase, discover_root};

const P: Provider = Provider::ConnectWise;

/// The response header holding ConnectWise's id for a request, recorded in
/// each request's tracing span.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-cw-request-id");

/// The integration id header every call needs.
const CLIENT_ID: HeaderName = HeaderName::from_static("clientid");

/// ConnectWise's media type, without a version: the server's current
/// version answers.
const MEDIA_TYPE: HeaderValue = HeaderValue::from_static("application/vnd.connectwise.com+json");

/// Sets up a [`ConnectWiseClient`]; every setting is checked in
/// [`build`](Self::build), before any request.
#[derive(Debug, Default)]
pub struct ConnectWiseClientBuilder {
    base_url: Option<String>,
    company_id: Option<String>,
    public_key: Option<String>,
    private_key: Option<SecretString>,
    client_id: Option<String>,
    codebase: Option<String>,
    default_board: Option<i64>,
    options: ClientOptions,
}

impl ConnectWiseClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder for stored settings.
    pub fn from_settings(s: &ConnectWiseSettings) -> Self {
        let mut b = ConnectWiseClientBuilder {
            base_url: Some(s.base_url.clone()),
            company_id: Some(s.company_id.clone()),
            public_key: Some(s.public_key.clone()),
            private_key: Some(s.private_key.clone()),
            client_id: Some(s.client_id.clone()),
            codebase: s.codebase.clone(),
            ..Self::default()
        };
        if s.allow_insecure_http {
            b = b.allow_insecure_http();
        }
        b.options = b
            .options
            .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs);
        b
    }

    /// The site people log into (`https://na.myconnectwise.net`, an
    /// on-premises host); cloud sites are called on their `api-` host.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The company id typed at login.
    pub fn company_id(mut self, id: impl Into<String>) -> Self {
        self.company_id = Some(id.into());
        self
    }

    /// The public half of the API member's key.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// The private half of the API member's key.
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.private_key = Some(SecretString::from(key.into()));
        self
    }

    /// The integration's `clientId` (developer.connectwise.com).
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// The codebase segment of the API root (`v4_6_release`), skipping the
    /// discovery call.
    pub fn codebase(mut self, codebase: impl Into<String>) -> Self {
        self.codebase = Some(codebase.into());
        self
    }

    /// The board new tickets go to when `NewTicket::extra` names none.
    pub fn default_board(mut self, board_id: i64) -> Self {
        self.default_board = Some(board_id);
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. Makes no request: the
    /// codebase, when not given, is discovered on the first call.
    pub fn build(self) -> Result<ConnectWiseClient> {
        let origin = api_origin(
            self.base_url.as_deref().unwrap_or_default(),
            self.options.allow_insecure_http,
        )?;
        let company_id = settings::required(P, "company_id", self.company_id)?;
        let public_key = settings::required(P, "public_key", self.public_key)?;
        let client_id = settings::required(P, "client_id", self.client_id)?;
        let private_key = settings::secret(P, "private_key", self.private_key)?;
        if company_id.contains('+') || company_id.contains(':') {
            return Err(Error::config(P, "company_id cannot contain '+' or ':'"));
        }
        let codebase = match settings::optional(self.codebase) {
            None => None,
            Some(raw) => Some(clean_codebase(&raw).ok_or_else(|| {
                Error::config(
                    P,
                    format!("codebase {raw:?} is not one path segment like v4_6_release"),
                )
            })?),
        };
        let auth = Chain::new()
            .with(Basic::new(
                format!("{company_id}+{public_key}"),
                private_key,
            ))
            .with(HeaderSet::new().header(P, CLIENT_ID, &client_id)?);
        // With a codebase the root is known; without one the transport asks
        // `login/companyinfo` on first use, on the API host, without credentials.
        let (base, discover) = match codebase {
            Some(c) => (api_root(&origin, &c)?, None),
            None => (origin, Some(company_id)),
        };
        // ConnectWise publishes no request budget: no client-side limit
        // unless the caller sets one; 429s are retried honouring Retry-After.
        let mut http = self
            .options
            .http_builder(P, base.as_str(), None)
            .first_contact_hints(crate::errors::first_contact)
            .auth(auth)
            .default_header(ACCEPT, MEDIA_TYPE)
            .error_body(parse_error_body)
            .request_id_header(REQUEST_ID);
        if let Some(company) = discover {
            http =
                http.discover_root(move |lookup| Box::pin(discover_root(lookup, company.clone())));
        }
        Ok(ConnectWiseClient::new(
            http.build()?,
            self.default_board,
            self.options.keep_raw,
        ))
    }
}
