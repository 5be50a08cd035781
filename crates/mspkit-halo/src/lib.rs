//! mspkit provider for HaloPSA (and HaloITSM / HaloServiceDesk): customers,
//! users, tickets, actions and client contracts through
//! [`PsaClient`](mspkit_core::PsaClient).
//!
//! Authentication is OAuth2 client credentials; the token endpoint is looked
//! up from the site's `/api/authinfo` on the first call. Lists walk Halo's
//! `pageinate` pages (at most 100 items each) and check `record_count`.
//!
//! Against the fake server of feature `mock` (a real site takes
//! `HaloClient::builder().base_url("https://acme.halopsa.com")...`):
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{PsaClient, TicketQuery};
//! use mspkit_halo::{HaloClient, mock};
//!
//! let fake = mock::start().await;
//! let halo = HaloClient::builder()
//!     .base_url(fake.uri()) // https://acme.halopsa.com
//!     .client_id(mock::CLIENT_ID)
//!     .client_secret(mock::CLIENT_SECRET) // from your secret store
//!     .tenant(mock::TENANT)
//!     .allow_insecure_http() // only for the local fake server
//!     .build()?;
//! let open: Vec<_> = halo.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert!(open.iter().all(|t| !t.status.state.is_closed()));
//! assert_eq!(open[0].summary, "New computer request");
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod auth;
mod builder;
mod client;
mod errors;
mod map;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::{DEFAULT_SCOPE, HaloClientBuilder, default_rate_limit};
pub use client::HaloClient;
pub use settings::HaloSettings;
