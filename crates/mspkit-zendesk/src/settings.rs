//! The settings of a Zendesk connection, as an application stores them.

use std::fmt;

use mspkit_core::SecretString;
use mspkit_core::http::RootsDebug;
use serde::Deserialize;

/// A Zendesk Support connection: the body of `mspkit::Config`'s `"zendesk"`
/// variant.
///
/// The account is named by `subdomain` (`acme`, or its URL
/// `https://acme.zendesk.com`). Exactly one way of signing in is given:
/// `email` with an `api_token` (sent as Basic `{email}/token:{api_token}`),
/// or an `oauth_token` (sent as `Bearer`). Password sign-in is not offered:
/// Zendesk is retiring it.
///
/// ```
/// let settings: mspkit_zendesk::ZendeskSettings = serde_json::from_str(r#"{
///     "subdomain": "acme",
///     "email": "jdoe@example.com",
///     "api_token": "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv"
/// }"#).unwrap();
/// assert_eq!(settings.subdomain.as_deref(), Some("acme"));
/// assert!(!format!("{settings:?}").contains("6wiIBWbG"));
/// ```
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ZendeskSettings {
    /// The account's subdomain (`acme`), or its address
    /// (`https://acme.zendesk.com`). Required unless `base_url` is given.
    #[serde(default)]
    pub subdomain: Option<String>,
    /// The email address of the agent or admin the API token belongs to.
    #[serde(default)]
    pub email: Option<String>,
    /// An API token (Admin Center → Apps and integrations → APIs → Zendesk API).
    #[serde(default)]
    pub api_token: Option<SecretString>,
    /// An OAuth access token, instead of `email` and `api_token`.
    #[serde(default)]
    pub oauth_token: Option<SecretString>,
    /// The account's root URL when it is not `https://{subdomain}.zendesk.com`
    /// (a test server or a proxy); `/api/v2` is added unless it is there.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Allows a plain `http://` `base_url` (a local test server).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Root certificates to trust beyond the built-in ones, each the path
    /// of a PEM file or the PEM text itself (`-----BEGIN CERTIFICATE-----`):
    /// a TLS-inspecting proxy's CA, or a `base_url` proxy's private one. One
    /// that cannot be read is a `Config` error when the client is built.
    #[serde(default)]
    pub extra_root_certificates: Vec<String>,
    /// Accepts any certificate (self-signed, expired, for another name): for
    /// a lab only. Every client built with it logs a warning.
    #[serde(default)]
    pub danger_accept_invalid_certs: bool,
}

impl ZendeskSettings {
    /// Settings naming the account; set `email` and `api_token`, or
    /// `oauth_token`, as fields (or use [`api_token`](Self::api_token) /
    /// [`oauth`](Self::oauth)).
    pub fn new(subdomain: impl Into<String>) -> Self {
        ZendeskSettings {
            subdomain: Some(subdomain.into()),
            ..Self::default()
        }
    }

    /// Settings signing in with an agent's email address and an API token.
    pub fn api_token(
        subdomain: impl Into<String>,
        email: impl Into<String>,
        api_token: impl Into<SecretString>,
    ) -> Self {
        ZendeskSettings {
            email: Some(email.into()),
            api_token: Some(api_token.into()),
            ..Self::new(subdomain)
        }
    }

    /// Settings signing in with an OAuth access token.
    pub fn oauth(subdomain: impl Into<String>, oauth_token: impl Into<SecretString>) -> Self {
        ZendeskSettings {
            oauth_token: Some(oauth_token.into()),
            ..Self::new(subdomain)
        }
    }
}

impl fmt::Debug for ZendeskSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZendeskSettings")
            .field("subdomain", &self.subdomain)
            .field("email", &self.email)
            .field("api_token", &self.api_token)
            .field("oauth_token", &self.oauth_token)
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field(
                "extra_root_certificates",
                &RootsDebug(&self.extra_root_certificates),
            )
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .finish()
    }
}
