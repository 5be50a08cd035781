//! mspkit: one Rust SDK for the PSA and RMM platforms that managed service
//! providers run on, through one normalized model.
//!
//! Write a sync once against [`PsaClient`] (companies, contacts, tickets,
//! notes, agreements) and [`RmmClient`] (organizations, sites, devices,
//! alerts, software), and store each tenant's connection as a [`Config`]:
//!
//! ```
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use futures::TryStreamExt;
//! use mspkit::{Config, TicketQuery};
//!
//! let config: Config = serde_json::from_str(r#"{
//!     "provider": "halo",
//!     "base_url": "https://acme.halopsa.com",
//!     "client_id": "2d1c1d3e-8a57-4a5a-9d0a-6c3e0f0b7f11",
//!     "client_secret": "from-your-secret-store"
//! }"#)?;
//! let psa = mspkit::connect_psa(&config)?;
//! let open: Vec<_> = psa.tickets(TicketQuery::new().open()).try_collect().await?;
//! println!("{} open tickets in {}", open.len(), psa.provider());
//! # Ok(()) }
//! ```
//!
//! [`connect_psa_with`] and [`connect_rmm_with`] take [`ClientOptions`] as
//! well: raw passthrough, retry policy, rate limit, timeouts and a shared
//! `reqwest` client.
//!
//! Each provider is a cargo feature (all on by default) and a crate of its
//! own, re-exported here under its slug (`mspkit::halo::HaloClient`). Its
//! client also exposes the authenticated transport (`client.http()`) for
//! endpoints the normalized model does not cover. The `native-roots` feature
//! also trusts the platform's certificate store (for TLS-inspecting
//! proxies); the `mock` feature adds each provider's fake server
//! (`mspkit::halo::mock::start()`, a [`FakeServer`]).
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod config;

pub use config::{connect_psa, connect_rmm};
pub use mspkit_core::*;

/// A provider's fake server (feature `mock`): the running server, settings
/// that reach it, and what it holds. Keep it alive while it is used.
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub use mspkit_testkit::{Expected, FakeServer};

// The providers, written once. A new provider is one entry here, its
// feature in Cargo.toml, and its `Provider` variant in mspkit-core.
providers! {
    /// ConnectWise Manage.
    ConnectWise {
        feature: "connectwise",
        slug: "connectwise",
        kind: psa,
        module: connectwise = mspkit_connectwise,
        settings: ConnectWiseSettings,
        client: ConnectWiseClient,
    }
    /// Autotask PSA.
    Autotask {
        feature: "autotask",
        slug: "autotask",
        kind: psa,
        module: autotask = mspkit_autotask,
        settings: AutotaskSettings,
        client: AutotaskClient,
    }
    /// HaloPSA.
    Halo {
        feature: "halo",
        slug: "halo",
        kind: psa,
        module: halo = mspkit_halo,
        settings: HaloSettings,
        client: HaloClient,
    }
    /// Unleashed Software.
    Unleashed {
        feature: "unleashed",
        slug: "unleashed",
        kind: psa,
        module: unleashed = mspkit_unleashed,
        settings: UnleashedSettings,
        client: UnleashedClient,
    }
    /// NinjaOne.
    NinjaOne {
        feature: "ninja",
        slug: "ninja",
        kind: rmm,
        module: ninja = mspkit_ninja,
        settings: NinjaOneSettings,
        client: NinjaOneClient,
    }
    /// Datto RMM.
    Datto {
        feature: "datto",
        slug: "datto",
        kind: rmm,
        module: datto = mspkit_datto,
        settings: DattoSettings,
        client: DattoClient,
    }
    /// Tactical RMM.
    Tactical {
        feature: "tactical",
        slug: "tactical",
        kind: rmm,
        module: tactical = mspkit_tactical,
        settings: TacticalSettings,
        client: TacticalClient,
    }
    /// Freshservice.
    Freshservice {
        feature: "freshservice",
        slug: "freshservice",
        kind: psa,
        module: freshservice = mspkit_freshservice,
        settings: FreshserviceSettings,
        client: FreshserviceClient,
    }
    /// Syncro.
    Syncro {
        feature: "syncro",
        slug: "syncro",
        kind: both,
        module: syncro = mspkit_syncro,
        settings: SyncroSettings,
        client: SyncroClient,
    }
    /// Atera.
    Atera {
        feature: "atera",
        slug: "atera",
        kind: both,
        module: atera = mspkit_atera,
        settings: AteraSettings,
        client: AteraClient,
    }
    /// Zendesk Support.
    Zendesk {
        feature: "zendesk",
        slug: "zendesk",
        kind: psa,
        module: zendesk = mspkit_zendesk,
        settings: ZendeskSettings,
        client: ZendeskClient,
    }
    /// ITFlow.
    ItFlow {
        feature: "itflow",
        slug: "itflow",
        kind: psa,
        module: itflow = mspkit_itflow,
        settings: ItFlowSettings,
        client: ItFlowClient,
    }
    /// Kaseya BMS.
    KaseyaBms {
        feature: "kaseya-bms",
        slug: "kaseya-bms",
        kind: psa,
        module: kaseya_bms = mspkit_kaseya_bms,
        settings: KaseyaBmsSettings,
        client: KaseyaBmsClient,
    }
    /// ConnectWise Automate.
    Automate {
        feature: "automate",
        slug: "automate",
        kind: rmm,
        module: automate = mspkit_automate,
        settings: AutomateSettings,
        client: AutomateClient,
    }
    /// RangerMSP.
    RangerMsp {
        feature: "rangermsp",
        slug: "rangermsp",
        kind: psa,
        module: rangermsp = mspkit_rangermsp,
        settings: RangerMspSettings,
        client: RangerMspClient,
    }
}
