//! mspkit provider for [Freshservice](https://www.freshservice.com/) (PSA),
//! on its REST API v2.
//!
//! [`FreshserviceClient`] implements [`mspkit_core::PsaClient`]: departments
//! (ITSM tenants) or workspaces (Freshservice for MSPs) as companies,
//! requesters as contacts, tickets, conversations as notes, and contracts as
//! agreements. It signs in with HTTP Basic, the agent's API key as the user
//! name and `X` as the password, against `https://{domain}.freshservice.com/api/v2`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{PsaClient, TicketQuery, TicketState};
//! use mspkit_freshservice::FreshserviceClient;
//!
//! // A fake Freshservice on loopback (feature `mock`); a real tenant is
//! // `FreshserviceClient::builder().domain("acme").api_key(key).build()?`.
//! let fake = mspkit_freshservice::mock::start().await;
//! let client = FreshserviceClient::from_settings(&fake.settings)?;
//!
//! let open: Vec<_> = client.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert!(open.iter().all(|t| !t.status.state.is_closed()));
//! let pending = open.iter().find(|t| t.status.state == TicketState::Waiting).unwrap();
//! assert_eq!(pending.status.label.as_deref(), Some("Pending"));
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, `mock::start()` runs a fake Freshservice with
//! realistic data, for tests and demos (`mock::start_msp()` for an MSP tenant).
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

pub use builder::{FreshserviceClientBuilder, budget_headers, default_rate_limit};
pub use client::{EARLIEST_UPDATED_SINCE, FreshserviceClient};
pub use settings::{CompanySource, FreshserviceSettings};
