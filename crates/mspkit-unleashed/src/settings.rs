//! The settings of an Unleashed connection, as an application stores them.

use std::fmt;

use secrecy::SecretString;
use serde::Deserialize;

/// An Unleashed connection: the body of `mspkit::Config`'s `"unleashed"` variant.
///
/// ```
/// let settings: mspkit_unleashed::UnleashedSettings = serde_json::from_str(r#"{
///     "api_id": "0f7c9f4e-3a1b-4c55-9d0e-2b7a1c3d4e5f",
///     "api_key": "SECRET",
///     "client_type": "acme/sync"
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct UnleashedSettings {
    /// The API id (a GUID), from Integrations → Unleashed API Access.
    pub api_id: String,
    /// The API key that signs every request; it gives full access to the account.
    pub api_key: SecretString,
    /// Who is calling, as Unleashed asks integrations to say in the
    /// `client-type` header: lowercase `<partner>/<app>` (`acme/sync`), letters,
    /// digits, `-` and `_` only.
    pub client_type: String,
    /// The API root; `https://api.unleashedsoftware.com` when not set (tests
    /// point it at a local server).
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

impl UnleashedSettings {
    /// Settings with the required fields; the optional ones (`base_url`,
    /// `allow_insecure_http`) start unset and are assigned as fields.
    pub fn new(
        api_id: impl Into<String>,
        api_key: impl Into<SecretString>,
        client_type: impl Into<String>,
    ) -> Self {
        Self {
            api_id: api_id.into(),
            api_key: api_key.into(),
            client_type: client_type.into(),
            base_url: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for UnleashedSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnleashedSettings")
            .field("api_id", &self.api_id)
            .field("api_key", &self.api_key)
            .field("client_type", &self.client_type)
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
