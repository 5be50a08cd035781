//! The settings of an Autotask connection, as an application stores them.

use std::fmt;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

/// An Autotask connection: the body of `mspkit::Config`'s `"autotask"` variant.
///
/// ```
/// let settings: mspkit_autotask::AutotaskSettings = serde_json::from_str(r#"{
///     "username": "api_user@acme.com",
///     "secret": "SECRET",
///     "integration_code": "ABCDEFGH00100244MMEEE333"
/// }"#).unwrap();
/// assert!(settings.base_url.is_none()); // the zone is looked up on first use
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AutotaskSettings {
    /// The user name of an "API User (API-only)" resource (`api_user@acme.com`).
    pub username: String,
    /// That API user's secret.
    pub secret: SecretString,
    /// The API tracking identifier of the integration (sent as `ApiIntegrationCode`).
    pub integration_code: String,
    /// The zone's API root (`https://webservices5.autotask.net/atservicesrest`).
    /// When absent, the zone is found through `zoneInformation?user=` on
    /// first use and cached.
    #[serde(default)]
    pub base_url: Option<String>,
    /// A resource id that writes are attributed to (`ImpersonationResourceId`).
    #[serde(default, deserialize_with = "resource_id")]
    pub impersonation_resource_id: Option<u64>,
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

impl AutotaskSettings {
    /// Settings with the required fields; the optional ones (`base_url`, `impersonation_resource_id`,
    /// `allow_insecure_http`) start unset and are assigned as fields.
    pub fn new(
        username: impl Into<String>,
        secret: impl Into<SecretString>,
        integration_code: impl Into<String>,
    ) -> Self {
        Self {
            username: username.into(),
            secret: secret.into(),
            integration_code: integration_code.into(),
            base_url: None,
            impersonation_resource_id: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for AutotaskSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AutotaskSettings")
            .field("username", &self.username)
            .field("secret", &self.secret)
            .field("integration_code", &self.integration_code)
            .field("base_url", &self.base_url)
            .field("impersonation_resource_id", &self.impersonation_resource_id)
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

/// Resource ids are integers, but configuration files often quote them.
fn resource_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(u64),
        Text(String),
    }
    match Option::<Raw>::deserialize(d)? {
        None => Ok(None),
        Some(Raw::Int(n)) => Ok(Some(n)),
        Some(Raw::Text(s)) if s.trim().is_empty() => Ok(None),
        Some(Raw::Text(s)) => s.trim().parse().map(Some).map_err(|_| {
            serde::de::Error::custom(format!(
                "impersonation_resource_id {s:?} is not a resource id"
            ))
        }),
    }
}
