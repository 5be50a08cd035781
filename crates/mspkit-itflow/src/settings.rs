//! The settings of an ITFlow connection, as an application stores them.

use mspkit_core::SecretString;
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
#[derive(Clone, Debug, Deserialize)]
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
}

impl ItFlowSettings {
    /// Settings with the required fields; `time_zone` and
    /// `allow_insecure_http` start unset and are assigned as fields.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<SecretString>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: api_key.into(),
            time_zone: None,
            allow_insecure_http: false,
        }
    }
}
