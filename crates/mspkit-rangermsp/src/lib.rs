//! mspkit provider for RangerMSP (formerly CommitCRM), a PSA: accounts,
//! their secondary contacts, tickets, history notes and contracts through
//! [`PsaClient`](mspkit_core::PsaClient).
//!
//! **Read the provider's docs page first.** RangerMSP publishes no HTTP
//! API specification: its documented interfaces are Windows DLLs, .NET
//! classes and XML by e-mail. This crate speaks the HTTP contract named by
//! the setup guide the project follows (`/api/v1` on the cloud or on port
//! 8443 of a self-hosted server, `Authorization: Bearer <key>`), with the
//! entity and field names of RangerMSP's programming API (`AccountREC_ID`,
//! `TicketREC_ID`, `Status` 1000 = completed, `dd/mm/yyyy` dates). The
//! envelopes, paths and paging are assumptions the docs page lists; check
//! them against your server with [`RangerMspClient::http`] and
//! `keep_raw(true)`.
//!
//! Lists are paged by `page` and `limit` and end at `total` or on a short
//! page; `updated_since` filters client-side; `update_ticket` is not
//! supported.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{ListQuery, PsaClient, TicketQuery, TicketState};
//! use mspkit_rangermsp::RangerMspClient;
//!
//! // A fake RangerMSP API on loopback (feature `mock`); for a real one:
//! // RangerMspClient::builder().base_url("https://crm.example.com:8443/api/v1").api_key(key).build()?
//! let fake = mspkit_rangermsp::mock::start().await;
//! let ranger = RangerMspClient::from_settings(&fake.settings)?;
//! ranger.test_connection().await?;
//!
//! let companies: Vec<_> = ranger.companies(ListQuery::new()).try_collect().await?;
//! assert_eq!(Some(companies.len()), fake.expected.companies);
//!
//! let open: Vec<_> = ranger.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert!(open.iter().all(|t| t.status.state != TicketState::Closed));
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod keys;
mod map;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use api::parse_date;
pub use builder::{ACCOUNT_ID_HEADER, CLOUD_BASE_URL, RangerMspClientBuilder};
pub use client::{MAX_PAGE_SIZE, RangerMspClient};
pub use map::STATUS_COMPLETED;
pub use settings::RangerMspSettings;
