//! mspkit provider for [ITFlow](https://itflow.org) (PSA), on the API of a
//! self-hosted install (`{site}/api/v1/{module}/{function}.php`).
//!
//! [`ItFlowClient`] implements [`mspkit_core::PsaClient`]: clients as
//! companies (phone and address from each client's primary location),
//! contacts, tickets (status names learnt from tickets read by id, cached
//! per client), one ticket, creating a ticket, resolving one, and ticket
//! replies as notes (on installs from July 2026 on; older ones answer
//! `Unsupported`). ITFlow's API has no contracts endpoint, so agreements
//! are `Unsupported`.
//!
//! ITFlow takes its key as the `api_key` query parameter (on writes, in
//! the JSON body as well); the transport cuts it out of every error and
//! trace. Lists page by `limit` / `offset` and end on a short page or on
//! ITFlow's "No resource" answer; every other answer with
//! `"success": "False"`, even with HTTP 200, is an error. No read filters
//! on dates: `updated_since` and the other filters apply client-side.
//! ITFlow writes server-local times without a zone: set `time_zone` to the
//! server's UTC offset (UTC by default).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{Id, NewNote, PsaClient, TicketQuery, TicketState, TicketUpdate};
//! use mspkit_itflow::ItFlowClient;
//!
//! // A fake ITFlow on loopback (feature `mock`); against a real install,
//! // `ItFlowClient::builder().base_url("https://itflow.example.com").api_key(key)`.
//! let fake = mspkit_itflow::mock::start().await;
//! let itflow = ItFlowClient::from_settings(&fake.settings)?;
//!
//! let open: Vec<_> = itflow
//!     .tickets(TicketQuery::new().open().company("7"))
//!     .try_collect()
//!     .await?;
//! let printer = open.iter().find(|t| t.number.as_deref() == Some("TCK-1042")).unwrap();
//! assert_eq!(printer.status.label.as_deref(), Some("Open"));
//!
//! itflow
//!     .add_ticket_note(&printer.id, NewNote::internal("Toner replaced."))
//!     .await?;
//! let resolved = itflow
//!     .update_ticket(&printer.id, TicketUpdate::new().state(TicketState::Resolved))
//!     .await?;
//! assert_eq!(resolved.status.state, TicketState::Resolved);
//! assert_eq!(itflow.ticket_notes(&Id::from("311")).try_collect::<Vec<_>>().await?.len(), 4);
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
// The fake server writes whole ITFlow rows with `json!`.
#![recursion_limit = "256"]

mod api;
mod builder;
mod client;
mod errors;
mod map;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::ItFlowClientBuilder;
pub use client::ItFlowClient;
pub use settings::ItFlowSettings;
