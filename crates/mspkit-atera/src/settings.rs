//! The settings of an Atera connection, as an application stores them.

use std::fmt;

use secrecy::SecretString;
use serde::Deserialize;

/// An Atera connection: the body of `mspkit::Config`'s `"atera"` variant,
/// used by both `connect_rmm` and `connect_psa`.
///
/// ```
/// let settings: mspkit_atera::AteraSettings = serde_json::from_str(r#"{
///     "api_key": "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("1a2b3c4d"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AteraSettings {
    /// The API key from *Admin → API* (newer accounts: *Admin → Data
    /// management → API*). A legacy key travels in `X-API-KEY`; a newer
    /// token (a JWT, `eyJ...`) in `Authorization: Bearer`. A `Bearer `
    /// prefix pasted with it is accepted and not doubled.
    pub api_key: SecretString,
    /// The Atera host; `https://app.atera.com` when not set. Only scheme,
    /// host and port are used (the API root is `/api/v3/` on it), so a
    /// pasted console or API URL works too.
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

impl AteraSettings {
    /// Settings with the key; `base_url` and `allow_insecure_http` start
    /// unset and are assigned as fields.
    pub fn new(api_key: impl Into<SecretString>) -> Self {
        AteraSettings {
            api_key: api_key.into(),
            base_url: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for AteraSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AteraSettings")
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
