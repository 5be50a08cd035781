//! The settings of a HaloPSA connection, as an application stores them.

use std::fmt;

use secrecy::SecretString;
use serde::Deserialize;

/// A HaloPSA (or HaloITSM / HaloServiceDesk) connection: the body of
/// `mspkit::Config`'s `"halo"` variant.
///
/// ```
/// let settings: mspkit_halo::HaloSettings = serde_json::from_str(r#"{
///     "base_url": "https://acme.halopsa.com",
///     "client_id": "c9534241-dde9-4d04-9d45-32b1fbff22ed",
///     "client_secret": "SECRET",
///     "tenant": "acme"
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct HaloSettings {
    /// The Halo site as users open it (`https://acme.halopsa.com`, an on-premises
    /// host). Only scheme, host and port are used: the API is `{base}/api`.
    pub base_url: String,
    /// The client id of the API application (Configuration → Integrations →
    /// Halo API → View Applications, "Client ID and Secret (Services)").
    pub client_id: String,
    /// The application's client secret.
    pub client_secret: SecretString,
    /// The tenant shown on Halo's API details page; needed by Halo-hosted
    /// instances, not by on-premises ones.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The scopes to ask for, space-separated (`all` when not set).
    #[serde(default)]
    pub scope: Option<String>,
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

impl HaloSettings {
    /// Settings with the required fields; the optional ones (`tenant`, `scope`,
    /// `allow_insecure_http`) start unset and are assigned as fields.
    pub fn new(
        base_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            tenant: None,
            scope: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for HaloSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HaloSettings")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("tenant", &self.tenant)
            .field("scope", &self.scope)
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
