//! mspkit provider for Syncro, which is both a PSA and an RMM: customers,
//! contacts, tickets, comments and contracts through
//! [`PsaClient`](mspkit_core::PsaClient); customers, assets and RMM alerts
//! through [`RmmClient`](mspkit_core::RmmClient). One [`SyncroClient`] serves
//! both.
//!
//! The API key is sent as `Authorization: Bearer <key>`; lists are paged by
//! `page` and end at `meta.total_pages`; the client keeps to Syncro's
//! published 180 requests a minute.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{DeviceQuery, PsaClient, RmmClient, TicketQuery};
//! use mspkit_syncro::SyncroClient;
//!
//! // A fake Syncro account on loopback (feature `mock`); for a real one:
//! // SyncroClient::builder().subdomain("acme").api_key(key).build()?
//! let fake = mspkit_syncro::mock::start().await;
//! let syncro = SyncroClient::from_settings(&fake.settings)?;
//! syncro.test_connection().await?;
//!
//! let open: Vec<_> = syncro.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert!(open.iter().all(|t| t.closed_at.is_none()));
//!
//! let devices: Vec<_> = syncro.devices(DeviceQuery::new()).try_collect().await?;
//! assert_eq!(Some(devices.len()), fake.expected.devices);
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

pub use builder::{SyncroClientBuilder, default_rate_limit};
pub use client::{DESCRIPTION_SUBJECT, NOTE_SUBJECT, SyncroClient};
pub use settings::SyncroSettings;
