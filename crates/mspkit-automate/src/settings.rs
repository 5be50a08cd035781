//! The settings of a ConnectWise Automate connection, as an application stores them.

use std::fmt;

use mspkit_core::http::RootsDebug;
use secrecy::SecretString;
use serde::Deserialize;

/// A ConnectWise Automate connection: the body of `mspkit::Config`'s
/// `"automate"` variant.
///
/// ```
/// let settings: mspkit_automate::AutomateSettings = serde_json::from_str(r#"{
///     "server": "rancor.hostedrmm.com",
///     "username": "api-sync",
///     "password": "SECRET",
///     "client_id": "123e4567-e89b-42d3-a456-426614174000"
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AutomateSettings {
    /// The Automate server: a cloud host (`rancor.hostedrmm.com`) or an
    /// on-premises one, with or without `https://` and a path; the API root
    /// is `https://{host}/cwa/api/v1`.
    pub server: String,
    /// The Automate user the client signs in as (a dedicated API user).
    pub username: String,
    /// That user's password.
    pub password: SecretString,
    /// A two-factor passcode, for an account that requires one. A passcode
    /// is good for one sign-in only: unattended syncs need a user without
    /// two-factor authentication.
    #[serde(default)]
    pub two_factor_passcode: Option<SecretString>,
    /// The integrator's `ClientId` GUID, registered with ConnectWise and
    /// sent on every request (required since Automate 2020.11).
    pub client_id: String,
    /// Allows a plain `http://` server (a local test server).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Root certificates to trust beyond the built-in ones, each the path
    /// of a PEM file or the PEM text itself (`-----BEGIN CERTIFICATE-----`):
    /// an on-premises server's private CA, or a TLS-inspecting proxy's. One
    /// that cannot be read is a `Config` error when the client is built.
    #[serde(default)]
    pub extra_root_certificates: Vec<String>,
    /// Accepts any certificate (self-signed, expired, for another name): for
    /// a lab only. Every client built with it logs a warning.
    #[serde(default)]
    pub danger_accept_invalid_certs: bool,
}

impl AutomateSettings {
    /// Settings with the required fields; the optional ones
    /// (`two_factor_passcode`, `allow_insecure_http`,
    /// `extra_root_certificates`, `danger_accept_invalid_certs`) start unset
    /// and are assigned as fields.
    pub fn new(
        server: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<SecretString>,
        client_id: impl Into<String>,
    ) -> Self {
        AutomateSettings {
            server: server.into(),
            username: username.into(),
            password: password.into(),
            two_factor_passcode: None,
            client_id: client_id.into(),
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for AutomateSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AutomateSettings")
            .field("server", &self.server)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("two_factor_passcode", &self.two_factor_passcode)
            .field("client_id", &self.client_id)
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
