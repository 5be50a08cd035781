//! The settings of an Unleashed connection, as an application stores them.

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
#[derive(Clone, Debug, Deserialize)]
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
        }
    }
}
