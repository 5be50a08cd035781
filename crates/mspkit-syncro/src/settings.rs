//! The settings of a Syncro connection, as an application stores them.

use std::fmt;

use secrecy::SecretString;
use serde::Deserialize;

/// A Syncro connection: the body of `mspkit::Config`'s `"syncro"` variant.
///
/// ```
/// let settings: mspkit_syncro::SyncroSettings = serde_json::from_str(r#"{
///     "subdomain": "acme",
///     "api_key": "SECRET"
/// }"#).unwrap();
/// assert_eq!(settings.subdomain.as_deref(), Some("acme"));
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SyncroSettings {
    /// The account's subdomain (`acme` of `https://acme.syncromsp.com`). The
    /// Syncro URL as a user pastes it (`https://acme.syncromsp.com/tickets`)
    /// is accepted too: the subdomain is taken from it. The API is
    /// `https://{subdomain}.syncromsp.com/api/v1`.
    #[serde(default)]
    pub subdomain: Option<String>,
    /// The API token (Syncro: your profile → API Tokens), sent as
    /// `Authorization: Bearer <key>`, never in the URL.
    pub api_key: SecretString,
    /// Another API root instead of the subdomain's (a proxy, a test server):
    /// the API is `{base_url}/api/v1`, or `base_url` itself when it already
    /// ends in `/api/v1`. Wins over `subdomain` when both are set.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Allows a plain `http://` `base_url` (a local test server).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Root certificates to trust beyond the built-in ones, each the path
    /// of a PEM file or the PEM text itself (`-----BEGIN CERTIFICATE-----`):
    /// a self-hosted server's private CA, or a TLS-inspecting proxy's. One
    /// that cannot be read is a `Config` error when the client is built.
    #[serde(default)]
    pub extra_root_certificates: Vec<String>,
    /// Accepts any certificate (self-signed, expired, for another name): for
    /// a lab only. Every client built with it logs a warning.
    #[serde(default)]
    pub danger_accept_invalid_certs: bool,
}

impl SyncroSettings {
    /// Settings for the account at `subdomain` (or a pasted Syncro URL); the
    /// optional fields (`base_url`, `allow_insecure_http`) start unset and
    /// are assigned as fields.
    pub fn new(subdomain: impl Into<String>, api_key: impl Into<SecretString>) -> Self {
        SyncroSettings {
            subdomain: Some(subdomain.into()),
            api_key: api_key.into(),
            base_url: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }

    /// Settings for an API root other than a subdomain's (a proxy, a test
    /// server).
    pub fn with_base_url(base_url: impl Into<String>, api_key: impl Into<SecretString>) -> Self {
        SyncroSettings {
            subdomain: None,
            api_key: api_key.into(),
            base_url: Some(base_url.into()),
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for SyncroSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncroSettings")
            .field("subdomain", &self.subdomain)
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field(
                "extra_root_certificates",
                &mspkit_core::http::RootsDebug(&self.extra_root_certificates),
            )
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .finish()
    }
}
