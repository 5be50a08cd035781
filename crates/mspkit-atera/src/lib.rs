//! mspkit provider for [Atera](https://www.atera.com/) (RMM with a built-in
//! helpdesk), on its API v3.
//!
//! One client, [`AteraClient`], implements both traits:
//! - [`mspkit_core::RmmClient`]: customers as organizations, agents as
//!   devices (per customer through `/agents/customer/{id}`), one device,
//!   alerts (open ones, or with resolved and snoozed ones). Sites and
//!   installed software are `Unsupported`: the API has no folder list and no
//!   software inventory.
//! - [`mspkit_core::PsaClient`]: customers as companies, contacts, tickets
//!   (`/tickets/lastmodified` for `updated_since`), one ticket, create and
//!   update, ticket comments as notes (list and add, internal or public),
//!   contracts as agreements.
//!
//! The key goes in `X-API-KEY` (legacy keys) or, for a newer token (a JWT),
//! in `Authorization: Bearer`; the client picks by the key's shape. Lists
//! follow Atera's `nextLink` (at most 50 items a page) and check
//! `totalItemCount`. `FromLastModifiedDate` (customers, contacts) is read by
//! Atera in the account's time zone: the client reads the zone once from
//! `/account`, sends the filter local and never later than the instant, and
//! checks `LastModified` again.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_atera::AteraClient;
//! use mspkit_core::{DeviceQuery, ListQuery, PsaClient, RmmClient, TicketQuery};
//!
//! // A fake Atera with realistic data (feature `mock`); for a real account:
//! // AteraClient::builder().api_key("your key").build()?
//! let fake = mspkit_atera::mock::start().await;
//! let atera = AteraClient::from_settings(&fake.settings)?;
//!
//! let customers: Vec<_> = atera.organizations(ListQuery::new()).try_collect().await?;
//! let acme = &customers[0];
//! assert_eq!(acme.name, "Acme Dental");
//!
//! let devices: Vec<_> = atera
//!     .devices(DeviceQuery::new().organization(acme.id.clone()))
//!     .try_collect()
//!     .await?;
//! assert_eq!(devices[0].hostname.as_deref(), Some("ACME-RECEP01"));
//!
//! let open: Vec<_> = atera
//!     .tickets(TicketQuery::new().company(acme.id.clone()).open())
//!     .try_collect()
//!     .await?;
//! assert!(open.iter().all(|t| !t.status.state.is_closed()));
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, `mock::start()` (legacy key) and
//! `mock::start_with_token()` (JWT) run a fake Atera for tests and demos.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod map;
mod settings;
mod zone;

pub use builder::{AteraClientBuilder, DEFAULT_BASE_URL, KeyKind, default_rate_limit};
pub use client::AteraClient;
pub use settings::AteraSettings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
