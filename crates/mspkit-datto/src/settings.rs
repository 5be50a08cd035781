//! The settings of a Datto RMM connection, as a configuration file holds them.

use std::fmt;
use std::str::FromStr;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

/// The settings of one Datto RMM account: the body of `mspkit::Config`'s
/// `"provider": "datto"` variant.
///
/// Give either `platform` (the name Datto shows in the API URL, `merlot` in
/// `https://merlot-api.centrastage.net`) or `base_url` (that URL as shown under
/// *Setup → Users → API URL*), not both.
///
/// ```
/// let s: mspkit_datto::DattoSettings = serde_json::from_str(r#"{
///     "platform": "merlot", "api_key": "KEY", "api_secret": "SECRET"
/// }"#).unwrap();
/// assert!(!format!("{s:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DattoSettings {
    /// The platform the account lives on.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// The API URL instead of a platform (`https://merlot-api.centrastage.net`;
    /// a path such as `/api` or `/api/v2` is ignored).
    #[serde(default)]
    pub base_url: Option<String>,
    /// The API key of a user with API access (sent as the OAuth2 user name).
    pub api_key: SecretString,
    /// The API secret key of that user (sent as the OAuth2 password).
    pub api_secret: SecretString,
    /// Allows a plain `http://` base URL (a local test server).
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

impl DattoSettings {
    /// Settings with the required fields; the optional ones (`platform`, `base_url`,
    /// `allow_insecure_http`) start unset and are assigned as fields.
    pub fn new(api_key: impl Into<SecretString>, api_secret: impl Into<SecretString>) -> Self {
        Self {
            api_key: api_key.into(),
            api_secret: api_secret.into(),
            platform: None,
            base_url: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for DattoSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DattoSettings")
            .field("platform", &self.platform)
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("api_secret", &self.api_secret)
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

/// A Datto RMM platform (the region an account is hosted in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// `pinotage-api.centrastage.net`.
    Pinotage,
    /// `merlot-api.centrastage.net`.
    Merlot,
    /// `concord-api.centrastage.net`.
    Concord,
    /// `vidal-api.centrastage.net`.
    Vidal,
    /// `zinfandel-api.centrastage.net`.
    Zinfandel,
    /// `syrah-api.centrastage.net`.
    Syrah,
}

impl Platform {
    /// Every platform.
    pub const ALL: [Platform; 6] = [
        Platform::Pinotage,
        Platform::Merlot,
        Platform::Concord,
        Platform::Vidal,
        Platform::Zinfandel,
        Platform::Syrah,
    ];

    /// The platform's name, lower case (`merlot`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Platform::Pinotage => "pinotage",
            Platform::Merlot => "merlot",
            Platform::Concord => "concord",
            Platform::Vidal => "vidal",
            Platform::Zinfandel => "zinfandel",
            Platform::Syrah => "syrah",
        }
    }

    /// The API origin: `https://{platform}-api.centrastage.net`.
    pub fn origin(self) -> String {
        format!("https://{}-api.centrastage.net", self.as_str())
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a Datto RMM platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlatform(pub String);

impl fmt::Display for UnknownPlatform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
        write!(
            f,
            "unknown Datto RMM platform {:?}; expected one of {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownPlatform {}

impl FromStr for Platform {
    type Err = UnknownPlatform;

    /// Reads a platform name in any case (`Merlot`, `merlot`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownPlatform(s.to_owned()))
    }
}

impl<'de> Deserialize<'de> for Platform {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_parse_in_any_case_and_unknown_ones_are_named() {
        assert_eq!("Merlot".parse::<Platform>(), Ok(Platform::Merlot));
        assert_eq!(" syrah ".parse::<Platform>(), Ok(Platform::Syrah));
        let err = "pinetop".parse::<Platform>().unwrap_err().to_string();
        assert!(
            err.contains("pinetop") && err.contains("zinfandel"),
            "{err}"
        );
        assert_eq!(
            Platform::Concord.origin(),
            "https://concord-api.centrastage.net"
        );
    }
}
