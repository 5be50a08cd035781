//! The settings of a Kaseya BMS connection, as an application stores them.

use std::fmt;

use mspkit_core::http::RootsDebug;
use secrecy::SecretString;
use serde::Deserialize;

/// A Kaseya BMS connection: the body of `mspkit::Config`'s `"kaseya-bms"`
/// variant.
///
/// ```
/// let settings: mspkit_kaseya_bms::KaseyaBmsSettings = serde_json::from_str(r#"{
///     "tenant": "Acme Managed IT",
///     "username": "api.sync@acme-it.example",
///     "password": "SECRET",
///     "time_zone": "+01:00",
///     "ticket_type_id": 3,
///     "ticket_source_id": 1,
///     "note_type_id": 2
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// assert_eq!(settings.base_url, None); // https://api.bms.kaseya.com
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KaseyaBmsSettings {
    /// The company name typed at the BMS login page ("Company").
    pub tenant: String,
    /// The BMS user the client signs in as.
    pub username: String,
    /// That user's password.
    pub password: SecretString,
    /// A one-time MFA code, for a user that must give one at login. It is
    /// sent with every login and works only while the code is valid, so a
    /// later login (after the refresh token runs out) fails: prefer a user
    /// without MFA (see the provider's docs page).
    #[serde(default)]
    pub mfa_code: Option<SecretString>,
    /// The API host (`https://api.bms.kaseya.com` when not set). Another
    /// data centre's host goes here; the web address (`bmsemea.kaseya.com`)
    /// is turned into its `api.` host, and any path is dropped.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The fixed UTC offset (`+02:00`, `-05:00`, `UTC`) in which BMS writes
    /// timestamps that carry no offset, and in which date filters are sent.
    /// UTC when not set.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// The ticket type (`TypeId`) new tickets get unless `NewTicket::extra`
    /// names one; BMS requires it.
    #[serde(default)]
    pub ticket_type_id: Option<u32>,
    /// The ticket source (`SourceId`) new tickets get unless
    /// `NewTicket::extra` names one; BMS requires it.
    #[serde(default)]
    pub ticket_source_id: Option<u32>,
    /// The note type (`TypeId`) new notes get unless `NewNote::extra` names
    /// one; BMS requires it.
    #[serde(default)]
    pub note_type_id: Option<u32>,
    /// Allows a plain `http://` `base_url` (a local test server).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Root certificates to trust beyond the built-in ones, each the path
    /// of a PEM file or the PEM text itself (`-----BEGIN CERTIFICATE-----`):
    /// a TLS-inspecting proxy's CA. One that cannot be read is a `Config`
    /// error when the client is built.
    #[serde(default)]
    pub extra_root_certificates: Vec<String>,
    /// Accepts any certificate (self-signed, expired, for another name): for
    /// a lab only. Every client built with it logs a warning.
    #[serde(default)]
    pub danger_accept_invalid_certs: bool,
}

impl KaseyaBmsSettings {
    /// Settings with the required fields; the optional ones start unset and
    /// are assigned as fields.
    pub fn new(
        tenant: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        KaseyaBmsSettings {
            tenant: tenant.into(),
            username: username.into(),
            password: password.into(),
            mfa_code: None,
            base_url: None,
            time_zone: None,
            ticket_type_id: None,
            ticket_source_id: None,
            note_type_id: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for KaseyaBmsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KaseyaBmsSettings")
            .field("tenant", &self.tenant)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("mfa_code", &self.mfa_code)
            .field("base_url", &self.base_url)
            .field("time_zone", &self.time_zone)
            .field("ticket_type_id", &self.ticket_type_id)
            .field("ticket_source_id", &self.ticket_source_id)
            .field("note_type_id", &self.note_type_id)
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
