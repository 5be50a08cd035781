//! mspkit provider for [NinjaOne](https://www.ninjaone.com/) (RMM), on its
//! Public API v2.
//!
//! [`NinjaOneClient`] implements [`mspkit_core::RmmClient`]: organizations,
//! locations as sites, devices (`/v2/devices-detailed`, keyset-paged), one
//! device, active alerts and the software installed on a device. It signs in
//! with OAuth2 at `/ws/oauth/token`: client credentials by default, or a
//! user's refresh token; the token is cached, shared by concurrent requests,
//! renewed before it expires and once after a 401.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{DeviceQuery, DeviceType, RmmClient};
//! use mspkit_ninja::{NinjaOneClient, mock};
//!
//! // A fake NinjaOne instance on loopback (feature `mock`).
//! let fake = mock::start().await;
//! let ninja = NinjaOneClient::builder()
//!     .base_url(fake.uri()) // or .region(mspkit_ninja::Region::Eu)
//!     .client_id(mock::CLIENT_ID)
//!     .client_secret(mock::CLIENT_SECRET)
//!     .allow_insecure_http() // the fake speaks plain http://
//!     .build()?;
//!
//! let devices: Vec<_> = ninja
//!     .devices(DeviceQuery::new().organization("2"))
//!     .try_collect()
//!     .await?;
//! assert_eq!(devices[0].hostname.as_deref(), Some("ACME-RECEP01"));
//! assert_eq!(devices[0].device_type, DeviceType::Workstation);
//! assert_eq!(devices[0].online, Some(true));
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, `mock::start()` runs a fake NinjaOne instance
//! with realistic data, for tests and demos.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod map;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::{DEFAULT_SCOPE, NinjaOneClientBuilder};
pub use client::NinjaOneClient;
pub use settings::{NinjaOneSettings, Region, UnknownRegion};
