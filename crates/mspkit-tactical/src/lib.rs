//! mspkit provider for [Tactical RMM](https://github.com/amidaware/tacticalrmm)
//! (RMM), on the REST API of a self-hosted install's **api** host.
//!
//! [`TacticalClient`] implements [`mspkit_core::RmmClient`]: clients as
//! organizations and their sites (one `GET /clients/` gives both), agents as
//! devices (listed site by site, so organization and site ids are exact; the
//! device id is the agent's string `agent_id`), one agent's detail, alerts
//! (`PATCH /alerts/` with a filter body) and an agent's installed software.
//! It sends the API key in `X-API-KEY`, and every route with its trailing
//! slash.
//!
//! Tactical does not page: each list is one JSON array. Answers up to
//! [`DEFAULT_MAX_BODY_BYTES`] (256 MiB) are read; raise the builder's
//! `max_body_bytes` (and `timeout`) for a fleet whose lists are larger.
//! `limit` and `updated_since` apply client-side.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{AlertQuery, DeviceQuery, DeviceType, RmmClient};
//! use mspkit_tactical::TacticalClient;
//!
//! // A fake Tactical api host on loopback (feature `mock`); against a real
//! // one, `TacticalClient::builder().base_url("https://api.example.com").api_key(key)`.
//! let fake = mspkit_tactical::mock::start().await;
//! let tactical = TacticalClient::from_settings(&fake.settings)?;
//!
//! let acme: Vec<_> = tactical
//!     .devices(DeviceQuery::new().organization("1"))
//!     .try_collect()
//!     .await?;
//! let dc = acme.iter().find(|d| d.hostname.as_deref() == Some("ACME-DC01")).unwrap();
//! assert_eq!(dc.device_type, DeviceType::Server);
//! assert_eq!(dc.site_id.as_ref().map(|s| s.as_str()), Some("1"));
//!
//! let open: Vec<_> = tactical.alerts(AlertQuery::new()).try_collect().await?;
//! assert!(open.iter().all(|a| !a.resolved));
//! let software: Vec<_> = tactical.software(&dc.id).try_collect().await?;
//! assert_eq!(software[0].name, "7-Zip 19.00 (x64)");
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod lookups;
mod map;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::{DEFAULT_MAX_BODY_BYTES, TacticalClientBuilder};
pub use client::TacticalClient;
pub use settings::TacticalSettings;
