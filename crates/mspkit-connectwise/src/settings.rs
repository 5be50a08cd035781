//! The settings of a ConnectWise Manage connection, as an application stores them.

use std::fmt;

use secrecy::SecretString;
use serde::Deserialize;

/// A ConnectWise Manage connection: the body of `mspkit::Config`'s
/// `"connectwise"` variant.
///
/// ```
/// let settings: mspkit_connectwise::ConnectWiseSettings = serde_json::from_str(r#"{
///     "base_url": "https://na.myconnectwise.net",
///     "company_id": "acme",
///     "public_key": "pubKEY123",
///     "private_key": "PRIVsecret456",
///     "client_id": "0e6c2a77-3b1f-4f6e-9a4e-3c1f6d1b2a9c"
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("PRIVsecret456"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ConnectWiseSettings {
    /// The site people log into: `https://na.myconnectwise.net` (or `eu.`,
    /// `au.`, `za.`), the staging site, or an on-premises host. Cloud and
    /// staging sites are called on their `api-` host; others as given.
    pub base_url: String,
    /// The company id typed at login (the tenant's login company name).
    pub company_id: String,
    /// The public half of the API member's key.
    pub public_key: String,
    /// The private half of the API member's key.
    pub private_key: SecretString,
    /// The integration's `clientId` from developer.connectwise.com.
    pub client_id: String,
    /// The codebase segment of the API root (`v4_6_release`); discovered
    /// through `/login/companyinfo/{company_id}` on the first call when absent.
    #[serde(default)]
    pub codebase: Option<String>,
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

impl ConnectWiseSettings {
    /// Settings with the required fields; the optional ones (`codebase`,
    /// `allow_insecure_http`) start unset and are assigned as fields.
    pub fn new(
        base_url: impl Into<String>,
        company_id: impl Into<String>,
        public_key: impl Into<String>,
        private_key: impl Into<SecretString>,
        client_id: impl Into<String>,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            company_id: company_id.into(),
            public_key: public_key.into(),
            private_key: private_key.into(),
            client_id: client_id.into(),
            codebase: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for ConnectWiseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectWiseSettings")
            .field("base_url", &self.base_url)
            .field("company_id", &self.company_id)
            .field("public_key", &self.public_key)
            .field("private_key", &self.private_key)
            .field("client_id", &self.client_id)
            .field("codebase", &self.codebase)
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
