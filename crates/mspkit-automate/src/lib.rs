//! mspkit provider for [ConnectWise Automate](https://www.connectwise.com/platform/rmm)
//! (formerly LabTech; RMM), on its REST API v1.
//!
//! [`AutomateClient`] implements [`mspkit_core::RmmClient`]: clients as
//! organizations, locations as sites, computers as devices (one device
//! through `Computers?ids=`), current alerts and the software installed on
//! a computer. It signs in at `POST /cwa/api/v1/apitoken` with a user's
//! name and password (and a two-factor passcode when the account needs
//! one), sends the integrator `ClientId` header on every request, keeps
//! the token for every concurrent caller and renews it before it expires
//! (`apitoken/refresh`, or a new sign-in when a refresh fails).
//!
//! Filters go into Automate's `condition` expressions; ids are checked to be
//! integers first, so an id such as `1) or (1=1` is refused before any
//! request. The script credentials Automate returns with locations never
//! reach `raw`, `Debug` or an error.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_automate::{AutomateClient, mock};
//! use mspkit_core::{DeviceQuery, DeviceType, RmmClient};
//!
//! // A fake Automate server on loopback (feature `mock`).
//! let fake = mock::start().await;
//! let automate = AutomateClient::builder()
//!     .server(fake.uri()) // or "rancor.hostedrmm.com"
//!     .username(mock::USERNAME)
//!     .password(mock::PASSWORD)
//!     .client_id(mock::CLIENT_ID)
//!     .allow_insecure_http() // the fake speaks plain http://
//!     .build()?;
//!
//! let devices: Vec<_> = automate
//!     .devices(DeviceQuery::new().organization("1").site("3"))
//!     .try_collect()
//!     .await?;
//! assert_eq!(devices[0].hostname.as_deref(), Some("ACME-RECEP01"));
//! assert_eq!(devices[0].device_type, DeviceType::Workstation);
//! assert_eq!(devices[0].online, Some(true));
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, `mock::start()` runs a fake Automate server
//! with realistic data, for tests and demos.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod auth;
mod builder;
mod client;
mod condition;
mod errors;
mod map;
mod scrub;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::{API_PATH, AutomateClientBuilder, default_rate_limit};
pub use client::{AutomateClient, DEVICE_SINCE_FIELDS};
pub use settings::AutomateSettings;
