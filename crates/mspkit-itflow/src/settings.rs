//! The settings of an ITFlow connection, as an application stores them.

use std::fmt;

use mspkit_core::SecretString;
use mspkit_core::http::RootsDebug;
use serde::Deserialize;

/// An ITFlow connection: the body of `mspkit::Config`'s `"itflow"` variant.
///
/// ```
/// let settings: mspkit_itflow::ItFlowSettings = serde_json::from_str(r#"{
///     "base_url": "https://itflow.example.com",
///     "api_key": "q3Zt7LmN0pXv2RbY",
///     "time_zone": "+01:00"
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("q3Zt7LmN0pXv2RbY"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ItFlowSettings {
    /// The ITFlow site (`https://itflow.example.com`, or a sub-path such as
    /// `https://example.com/itflow`); a trailing `/api/v1` is accepted and
    /// dropped. A bare host means `https://`.
    pub base_url: String,
    /// An API key (Admin → API Keys → Create), sent as `api_key`.
    pub api_key: SecretString,
    /// The UTC offset the ITFlow server writes its times in (`"+02:00"`,
    /// `"-05:00"`, `"UTC"`): ITFlow stores server-local times without a
    /// zone. UTC when not set.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Allows a plain `http://` `base_url` (an install on a LAN, or a local
    /// test server).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Root certificates to trust beyond the built-in ones, each the path
    /// of a PEM file or the PEM text itself (`-----BEGIN CERTIFICATE-----`):
    /// the private CA of a self-hosted install, or a TLS-inspecting proxy's.
    /// One that cannot be read is a `Config` error when the client is built.
    #[serde(default)]
    pub extra_root_certificates: Vec<String>,
    /// Accepts any certificate (self-signed, expired, for another name): for
    /// a lab only. Every client built with it logs a warning.
    #[serde(default)]
    pub danger_accept_invalid_certs: bool,
}

impl ItFlowSettings {
    /// Settings with the required fields; the optional ones (`time_zone`,
    /// `allow_insecure_http`, `extra_root_certificates`,
    /// `danger_accept_invalid_certs`) start unset and are assigned as fields.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<SecretString>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
            time_zone: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for ItFlowSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItFlowSettings")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("time_zone", &self.time_zone)
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
