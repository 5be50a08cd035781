//! The settings of a NinjaOne connection, as an application stores them.

use std::fmt;
use std::str::FromStr;

use secrecy::SecretString;
use serde::Deserialize;

/// A NinjaOne connection: the body of `mspkit::Config`'s `"ninja"` variant.
///
/// ```
/// let settings: mspkit_ninja::NinjaOneSettings = serde_json::from_str(r#"{
///     "region": "eu",
///     "client_id": "AAaaA1aaAaAA-aaAaaA11a1A-aA",
///     "client_secret": "SECRET"
/// }"#).unwrap();
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NinjaOneSettings {
    /// The instance the account lives on; give this or `base_url`.
    #[serde(default)]
    pub region: Option<Region>,
    /// The instance's URL (`https://eu.ninjarmm.com`, a white-label host);
    /// give this or `region`. Only scheme, host and port are used.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The client id of the API application (Administration → Apps → API).
    pub client_id: String,
    /// The application's client secret.
    pub client_secret: SecretString,
    /// A refresh token from a user's consent. When set, tokens come from the
    /// refresh-token grant; otherwise from client credentials.
    #[serde(default)]
    pub refresh_token: Option<SecretString>,
    /// The scopes to ask for, space-separated. Client credentials ask for
    /// `monitoring management control` when this is not set; the refresh-token
    /// grant then asks for none (the scopes the user granted).
    #[serde(default)]
    pub scope: Option<String>,
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

impl NinjaOneSettings {
    /// Settings with the required fields; the optional ones (`region`, `base_url`, `refresh_token`, `scope`,
    /// `allow_insecure_http`) start unset and are assigned as fields.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            region: None,
            base_url: None,
            refresh_token: None,
            scope: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for NinjaOneSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NinjaOneSettings")
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("refresh_token", &self.refresh_token)
            .field("scope", &self.scope)
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

/// A NinjaOne instance ("region"), as the NinjaOne login page names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
#[non_exhaustive]
pub enum Region {
    /// `app.ninjarmm.com` (also written `us` or `app`).
    Us,
    /// `eu.ninjarmm.com`.
    Eu,
    /// `oc.ninjarmm.com` (Oceania).
    Oc,
    /// `ca.ninjarmm.com` (Canada).
    Ca,
    /// `us2.ninjarmm.com`.
    Us2,
    /// `fed.ninjarmm.com` (US federal).
    Fed,
}

impl Region {
    /// Every region.
    pub const ALL: [Region; 6] = [
        Region::Us,
        Region::Eu,
        Region::Oc,
        Region::Ca,
        Region::Us2,
        Region::Fed,
    ];

    /// The instance's API root: paths start with `/v2/`, the token endpoint is `/ws/oauth/token`.
    pub const fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://app.ninjarmm.com",
            Region::Eu => "https://eu.ninjarmm.com",
            Region::Oc => "https://oc.ninjarmm.com",
            Region::Ca => "https://ca.ninjarmm.com",
            Region::Us2 => "https://us2.ninjarmm.com",
            Region::Fed => "https://fed.ninjarmm.com",
        }
    }

    /// The name settings use (`us`, `eu`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Oc => "oc",
            Region::Ca => "ca",
            Region::Us2 => "us2",
            Region::Fed => "fed",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A region name that is not one of NinjaOne's instances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRegion(String);

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown NinjaOne region {:?}: expected one of app, us, eu, oc, ca, us2, fed (or set base_url)",
            self.0
        )
    }
}

impl std::error::Error for UnknownRegion {}

impl FromStr for Region {
    type Err = UnknownRegion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "us" | "app" => Ok(Region::Us),
            "eu" => Ok(Region::Eu),
            "oc" => Ok(Region::Oc),
            "ca" => Ok(Region::Ca),
            "us2" => Ok(Region::Us2),
            "fed" => Ok(Region::Fed),
            _ => Err(UnknownRegion(s.to_owned())),
        }
    }
}

impl TryFrom<String> for Region {
    type Error = UnknownRegion;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}
