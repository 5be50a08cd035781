//! mspkit provider for Kaseya BMS: accounts, contacts, tickets, notes and
//! contracts through [`PsaClient`](mspkit_core::PsaClient), on BMS API 2.0
//! (`https://api.bms.kaseya.com/v2/`).
//!
//! The client signs in with the tenant (the company name typed at login),
//! a user name and password (and an MFA code where one is needed), keeps
//! the access token, renews it with the refresh token before it expires and
//! signs in again when that fails. BMS reports failures in the body of a
//! 200 answer (`success: false`): every answer is checked, and such a body
//! is an error with BMS's code and message, never data or an empty list.
//! BMS allows 1500 calls an hour to each endpoint; the client keeps a
//! budget per endpoint. Timestamps without an offset are read in the
//! `time_zone` setting (UTC by default).
//!
//! Against the fake server of feature `mock` (a real tenant leaves
//! `base_url` out):
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{NewNote, PsaClient, TicketQuery};
//! use mspkit_kaseya_bms::{KaseyaBmsClient, mock};
//!
//! let fake = mock::start().await;
//! let bms = KaseyaBmsClient::builder()
//!     .base_url(fake.uri()) // leave out for https://api.bms.kaseya.com
//!     .tenant(mock::TENANT)
//!     .username(mock::USERNAME)
//!     .password(mock::PASSWORD) // from your secret store
//!     .note_type_id(mock::NOTE_TYPE_ID)
//!     .allow_insecure_http() // only for the local fake server
//!     .build()?;
//! let open: Vec<_> = bms.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert!(open.iter().all(|t| !t.status.state.is_closed()));
//! assert_eq!(open[0].summary, "Printer offline");
//! let note = bms.add_ticket_note(&open[0].id, NewNote::internal("On site at 2pm.")).await?;
//! assert!(note.internal);
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod auth;
mod builder;
mod client;
mod errors;
mod limits;
mod map;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::{DEFAULT_BASE_URL, KaseyaBmsClientBuilder, default_rate_limit};
pub use client::{KaseyaBmsClient, MAX_PAGE_SIZE};
pub use settings::KaseyaBmsSettings;
