//! mspkit provider for Datto RMM.
//!
//! [`DattoClient`] implements [`mspkit_core::RmmClient`] over the Datto RMM
//! REST API v2. Datto has no customer level above the site, so every site is
//! both an `Organization` and a `Site` with the same id (the site's `uid`).
//! Normalized ids are Datto's alphanumeric `uid`s, which every API path takes;
//! the numeric ids stay in `raw`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{DeviceQuery, RmmClient};
//! use mspkit_datto::{DattoClient, mock};
//!
//! // A fake Datto RMM on loopback (feature `mock`).
//! let fake = mock::start().await;
//! let datto = DattoClient::builder()
//!     .base_url(fake.uri()) // or .platform(mspkit_datto::Platform::Merlot)
//!     .api_key(mock::API_KEY)
//!     .api_secret(mock::API_SECRET)
//!     .allow_insecure_http() // the fake speaks plain http://
//!     .build()?;
//! let devices: Vec<_> = datto.devices(DeviceQuery::new()).try_collect().await?;
//! assert_eq!(devices[0].hostname.as_deref(), Some("ACME-RECEP01"));
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
mod builder;
mod client;
mod errors;
pub mod map;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod settings;

pub use builder::{DattoClientBuilder, default_rate_limit};
pub use client::DattoClient;
pub use settings::{DattoSettings, Platform, UnknownPlatform};
