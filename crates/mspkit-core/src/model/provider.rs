use std::fmt;

use serde::{Deserialize, Serialize};

/// The platform a value came from or a client talks to.
///
/// Serializes as its slug (`"connectwise"`, `"kaseya-bms"`, ...), the same
/// slug `mspkit::Config` uses in its `provider` tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Provider {
    /// ConnectWise Manage (PSA).
    #[serde(rename = "connectwise")]
    ConnectWise,
    /// Autotask PSA.
    #[serde(rename = "autotask")]
    Autotask,
    /// HaloPSA / HaloITSM.
    #[serde(rename = "halo")]
    Halo,
    /// Kaseya BMS (PSA).
    #[serde(rename = "kaseya-bms")]
    KaseyaBms,
    /// Syncro (PSA and RMM).
    #[serde(rename = "syncro")]
    Syncro,
    /// Freshservice (PSA).
    #[serde(rename = "freshservice")]
    Freshservice,
    /// Zendesk Support (PSA).
    #[serde(rename = "zendesk")]
    Zendesk,
    /// ITFlow (PSA).
    #[serde(rename = "itflow")]
    ItFlow,
    /// RangerMSP, formerly CommitCRM (PSA).
    #[serde(rename = "rangermsp")]
    RangerMsp,
    /// Unleashed Software (inventory and orders, PSA side).
    #[serde(rename = "unleashed")]
    Unleashed,
    /// NinjaOne (RMM).
    #[serde(rename = "ninja")]
    NinjaOne,
    /// Datto RMM.
    #[serde(rename = "datto")]
    Datto,
    /// ConnectWise Automate (RMM).
    #[serde(rename = "automate")]
    Automate,
    /// Atera (RMM and its ticketing).
    #[serde(rename = "atera")]
    Atera,
    /// Tactical RMM.
    #[serde(rename = "tactical")]
    Tactical,
}

impl Provider {
    /// Every provider, in the order of the design's table.
    pub const ALL: [Provider; 15] = [
        Provider::ConnectWise,
        Provider::Autotask,
        Provider::Halo,
        Provider::KaseyaBms,
        Provider::Syncro,
        Provider::Freshservice,
        Provider::Zendesk,
        Provider::ItFlow,
        Provider::RangerMsp,
        Provider::Unleashed,
        Provider::NinjaOne,
        Provider::Datto,
        Provider::Automate,
        Provider::Atera,
        Provider::Tactical,
    ];

    /// The provider's slug, as used in configuration files and JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Provider::ConnectWise => "connectwise",
            Provider::Autotask => "autotask",
            Provider::Halo => "halo",
            Provider::KaseyaBms => "kaseya-bms",
            Provider::Syncro => "syncro",
            Provider::Freshservice => "freshservice",
            Provider::Zendesk => "zendesk",
            Provider::ItFlow => "itflow",
            Provider::RangerMsp => "rangermsp",
            Provider::Unleashed => "unleashed",
            Provider::NinjaOne => "ninja",
            Provider::Datto => "datto",
            Provider::Automate => "automate",
            Provider::Atera => "atera",
            Provider::Tactical => "tactical",
        }
    }

    /// The product's name for people ("ConnectWise Manage", "NinjaOne").
    pub const fn display_name(self) -> &'static str {
        match self {
            Provider::ConnectWise => "ConnectWise Manage",
            Provider::Autotask => "Autotask",
            Provider::Halo => "HaloPSA",
            Provider::KaseyaBms => "Kaseya BMS",
            Provider::Syncro => "Syncro",
            Provider::Freshservice => "Freshservice",
            Provider::Zendesk => "Zendesk",
            Provider::ItFlow => "ITFlow",
            Provider::RangerMsp => "RangerMSP",
            Provider::Unleashed => "Unleashed",
            Provider::NinjaOne => "NinjaOne",
            Provider::Datto => "Datto RMM",
            Provider::Automate => "ConnectWise Automate",
            Provider::Atera => "Atera",
            Provider::Tactical => "Tactical RMM",
        }
    }

    /// Looks a provider up by its slug.
    pub fn from_slug(slug: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == slug)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_through_serde_and_from_slug() {
        for p in Provider::ALL {
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
            assert_eq!(serde_json::from_str::<Provider>(&json).unwrap(), p);
            assert_eq!(Provider::from_slug(p.as_str()), Some(p));
        }
        assert_eq!(Provider::KaseyaBms.as_str(), "kaseya-bms");
        assert_eq!(Provider::from_slug("nope"), None);
    }
}
