//! The settings of a Tactical RMM connection, as an application stores them.

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
#[derive(Clone, Debug, Deserialize)]
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
}

impl TacticalSettings {
    /// Settings with the required fields; `allow_insecure_http` starts off
    /// and is assigned as a field.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<SecretString>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
            allow_insecure_http: false,
        }
    }
}
