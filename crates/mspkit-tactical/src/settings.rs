//! The settings of a Tactical RMM connection, as an application stores them.

use std::fmt;

use secrecy::SecretString;
use serde::Deserialize;

/// A Tactical RMM connection: the body of `mspkit::Config`'s `"tactical"`
/// variant.
///
/// ```
/// let settings: mspkit_tactical::TacticalSettings = serde_json::from_str(r#"{
///     "base_url": "https://api.example.com",
///     "api_key": "J57BXCFDA2WBCXH0XTELBR5KAI69CNCZ"
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("J57BXCFDA2"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TacticalSettings {
    /// The **api** host of the self-hosted install (`https://api.example.com`),
    /// not the web UI (`rmm.`) or MeshCentral (`mesh.`) host. A bare host
    /// means `https://`; any path is dropped.
    pub base_url: String,
    /// An API key (Settings → Global Settings → API Keys), sent as `X-API-KEY`.
    pub api_key: SecretString,
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

impl TacticalSettings {
    /// Settings with the required fields; `allow_insecure_http` starts off
    /// and is assigned as a field.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<SecretString>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for TacticalSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TacticalSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
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
