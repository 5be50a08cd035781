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
//! Each provider is a cargo feature (all on by default) and a crate of its
//! own, re-exported here under its slug (`mspkit::halo::HaloClient`). Its
//! client also exposes the authenticated transport (`client.http()`) for
//! endpoints the normalized model does not cover.

mod config;

pub use config::{Config, connect_psa, connect_rmm};
pub use mspkit_core::*;

#[cfg(feature = "autotask")]
pub use mspkit_autotask as autotask;
#[cfg(feature = "connectwise")]
pub use mspkit_connectwise as connectwise;
#[cfg(feature = "datto")]
pub use mspkit_datto as datto;
#[cfg(feature = "halo")]
pub use mspkit_halo as halo;
#[cfg(feature = "ninja")]
pub use mspkit_ninja as ninja;
#[cfg(feature = "unleashed")]
pub use mspkit_unleashed as unleashed;
