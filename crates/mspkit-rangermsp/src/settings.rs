//! The settings of a RangerMSP connection, as an application stores them.

use std::fmt;

use mspkit_core::http::RootsDebug;
use secrecy::SecretString;
use serde::Deserialize;

/// A RangerMSP connection: the body of `mspkit::Config`'s `"rangermsp"`
/// variant.
///
/// ```
/// let settings: mspkit_rangermsp::RangerMspSettings = serde_json::from_str(r#"{
///     "base_url": "https://crm.example.com:8443/api/v1",
///     "api_key": "SECRET"
/// }"#).unwrap();
/// assert_eq!(settings.base_url.as_deref(), Some("https://crm.example.com:8443/api/v1"));
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RangerMspSettings {
    /// The API root: `https://api.commitcrm.com/api/v1` (the cloud, the
    /// default when unset) or `https://{server}:8443/api/v1` for a
    /// self-hosted server. A URL without a path (`https://crm.example.com:8443`)
    /// gets `/api/v1` added; any other path is used as given.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The API key (RangerMSP: Setup → Security → API Access), sent as
    /// `Authorization: Bearer <key>`, never in the URL.
    pub api_key: SecretString,
    /// The account to act on, for cloud logins that reach several accounts;
    /// sent as the `X-Account-Id` header on every request when set.
    #[serde(default)]
    pub account_id: Option<String>,
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

impl RangerMspSettings {
    /// Settings for the cloud API (`https://api.commitcrm.com/api/v1`); the
    /// optional fields (`account_id`, `allow_insecure_http`,
    /// `extra_root_certificates`, `danger_accept_invalid_certs`) start unset
    /// and are assigned as fields.
    pub fn new(api_key: impl Into<SecretString>) -> Self {
        RangerMspSettings {
            base_url: None,
            api_key: api_key.into(),
            account_id: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }

    /// Settings for another API root: a self-hosted server
    /// (`https://crm.example.com:8443/api/v1`), a proxy, a test server.
    pub fn with_base_url(base_url: impl Into<String>, api_key: impl Into<SecretString>) -> Self {
        RangerMspSettings {
            base_url: Some(base_url.into()),
            ..Self::new(api_key)
        }
    }
}

impl fmt::Debug for RangerMspSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RangerMspSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("account_id", &self.account_id)
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
