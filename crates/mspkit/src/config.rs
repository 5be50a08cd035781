//! A tenant's connection as data, and turning it into a client.

use serde::Deserialize;

use mspkit_core::{Error, ErrorKind, Provider, PsaClient, Result, RmmClient};

/// One tenant's connection to one platform, as an application stores it
/// (JSON, TOML, a database row). Tagged by `provider`, whose value is the
/// provider's slug; the other keys are that provider's settings.
///
/// ```
/// let config: mspkit::Config = serde_json::from_str(r#"{
///     "provider": "datto",
///     "platform": "merlot",
///     "api_key": "KEY",
///     "api_secret": "SECRET"
/// }"#).unwrap();
/// assert_eq!(config.provider(), mspkit::Provider::Datto);
/// assert!(!format!("{config:?}").contains("SECRET"));
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "provider")]
#[non_exhaustive]
pub enum Config {
    /// ConnectWise Manage.
    #[cfg(feature = "connectwise")]
    #[serde(rename = "connectwise")]
    ConnectWise(mspkit_connectwise::ConnectWiseSettings),
    /// Autotask PSA.
    #[cfg(feature = "autotask")]
    #[serde(rename = "autotask")]
    Autotask(mspkit_autotask::AutotaskSettings),
    /// HaloPSA.
    #[cfg(feature = "halo")]
    #[serde(rename = "halo")]
    Halo(mspkit_halo::HaloSettings),
    /// Unleashed Software.
    #[cfg(feature = "unleashed")]
    #[serde(rename = "unleashed")]
    Unleashed(mspkit_unleashed::UnleashedSettings),
    /// NinjaOne.
    #[cfg(feature = "ninja")]
    #[serde(rename = "ninja")]
    NinjaOne(mspkit_ninja::NinjaOneSettings),
    /// Datto RMM.
    #[cfg(feature = "datto")]
    #[serde(rename = "datto")]
    Datto(mspkit_datto::DattoSettings),
}

impl Config {
    /// The platform this configuration connects to.
    pub fn provider(&self) -> Provider {
        // `*self`: with every provider feature off the enum is empty, and only
        // a match on the value itself may then have no arms.
        match *self {
            #[cfg(feature = "connectwise")]
            Config::ConnectWise(_) => Provider::ConnectWise,
            #[cfg(feature = "autotask")]
            Config::Autotask(_) => Provider::Autotask,
            #[cfg(feature = "halo")]
            Config::Halo(_) => Provider::Halo,
            #[cfg(feature = "unleashed")]
            Config::Unleashed(_) => Provider::Unleashed,
            #[cfg(feature = "ninja")]
            Config::NinjaOne(_) => Provider::NinjaOne,
            #[cfg(feature = "datto")]
            Config::Datto(_) => Provider::Datto,
        }
    }

    /// Whether [`connect_psa`] accepts this configuration.
    pub fn is_psa(&self) -> bool {
        match self {
            #[cfg(feature = "connectwise")]
            Config::ConnectWise(_) => true,
            #[cfg(feature = "autotask")]
            Config::Autotask(_) => true,
            #[cfg(feature = "halo")]
            Config::Halo(_) => true,
            #[cfg(feature = "unleashed")]
            Config::Unleashed(_) => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// Whether [`connect_rmm`] accepts this configuration.
    pub fn is_rmm(&self) -> bool {
        match self {
            #[cfg(feature = "ninja")]
            Config::NinjaOne(_) => true,
            #[cfg(feature = "datto")]
            Config::Datto(_) => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }
}

/// Builds the PSA client a configuration describes. Settings are checked
/// here (an empty key, a bad URL, `http://` without `allow_insecure_http`),
/// before any request; a configuration of an RMM-only platform is an
/// [`ErrorKind::Config`] error that says to use [`connect_rmm`].
pub fn connect_psa(config: &Config) -> Result<Box<dyn PsaClient>> {
    match config {
        #[cfg(feature = "connectwise")]
        Config::ConnectWise(s) => Ok(Box::new(
            mspkit_connectwise::ConnectWiseClient::from_settings(s)?,
        )),
        #[cfg(feature = "autotask")]
        Config::Autotask(s) => Ok(Box::new(mspkit_autotask::AutotaskClient::from_settings(s)?)),
        #[cfg(feature = "halo")]
        Config::Halo(s) => Ok(Box::new(mspkit_halo::HaloClient::from_settings(s)?)),
        #[cfg(feature = "unleashed")]
        Config::Unleashed(s) => Ok(Box::new(mspkit_unleashed::UnleashedClient::from_settings(
            s,
        )?)),
        #[allow(unreachable_patterns)]
        other => Err(wrong_kind(
            other.provider(),
            "connect_psa",
            "a PSA",
            "connect_rmm",
        )),
    }
}

/// Builds the RMM client a configuration describes. Settings are checked
/// here, before any request; a configuration of a PSA-only platform is an
/// [`ErrorKind::Config`] error that says to use [`connect_psa`].
pub fn connect_rmm(config: &Config) -> Result<Box<dyn RmmClient>> {
    match config {
        #[cfg(feature = "ninja")]
        Config::NinjaOne(s) => Ok(Box::new(mspkit_ninja::NinjaOneClient::from_settings(s)?)),
        #[cfg(feature = "datto")]
        Config::Datto(s) => Ok(Box::new(mspkit_datto::DattoClient::from_settings(s)?)),
        #[allow(unreachable_patterns)]
        other => Err(wrong_kind(
            other.provider(),
            "connect_rmm",
            "an RMM",
            "connect_psa",
        )),
    }
}

fn wrong_kind(provider: Provider, operation: &'static str, kind: &str, other: &str) -> Error {
    Error::new(provider, operation, ErrorKind::Config).with_message(format!(
        "{} is not {kind}; use {other}",
        provider.display_name()
    ))
}
