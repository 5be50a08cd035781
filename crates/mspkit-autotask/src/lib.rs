//! mspkit provider for Autotask PSA (the Autotask REST API, v1.0).
//!
//! [`AutotaskClient`] implements [`PsaClient`](mspkit_core::PsaClient):
//! companies, contacts, tickets, ticket notes and contracts (as agreements),
//! ticket create and update, and notes. Every list is a `POST /{Entity}/query`
//! with Autotask's filter JSON, walked through `pageDetails.nextPageUrl`
//! (POSTed with the same body), so a list arrives whole or ends with an
//! error. Ticket status and priority labels come
//! from the tenant's picklists (read once per client); the closed state is
//! Autotask's own system status "Complete".
//!
//! Without `base_url` the transport looks the tenant's zone up on first use
//! (`zoneInformation?user=`, without credentials). The client keeps to Autotask's limits itself: at
//! most three single requests at a time per entity endpoint, and a budget of 10,000
//! requests per hour ([`AutotaskClient::threshold_information`] shows the
//! database's real usage).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_autotask::AutotaskClient;
//! use mspkit_core::{PsaClient, TicketQuery};
//!
//! // A fake Autotask zone on loopback (feature `mock`); a real tenant is
//! // `AutotaskClient::builder().username(..).secret(..).integration_code(..).build()?`.
//! let fake = mspkit_autotask::mock::start().await;
//! let autotask = AutotaskClient::from_settings(&fake.settings)?;
//!
//! let open: Vec<_> = autotask.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert!(open.iter().all(|t| t.status.label.as_deref() != Some("Complete")));
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
// The fake server builds Autotask's wide records with `json!`.
#![recursion_limit = "256"]

mod api;
mod builder;
mod client;
mod errors;
mod limits;
mod map;
mod picklist;
mod query;
mod resume;
mod settings;
mod zone;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use api::ThresholdInformation;
pub use builder::{AutotaskClientBuilder, default_rate_limit};
pub use client::AutotaskClient;
pub use limits::CONCURRENT_REQUESTS_PER_ENDPOINT;
pub use settings::AutotaskSettings;
pub use zone::DEFAULT_LOOKUP_URL;
