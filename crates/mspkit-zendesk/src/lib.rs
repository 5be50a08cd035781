//! mspkit provider for Zendesk Support (the Support API, v2).
//!
//! [`ZendeskClient`] implements [`PsaClient`](mspkit_core::PsaClient):
//! organizations as companies, end-users as contacts, tickets (list, read,
//! create, update), and comments as notes (`public: false` is internal;
//! adding a note is a ticket update with a comment). Zendesk has no
//! contracts, so agreements are `Unsupported`.
//!
//! Lists use Zendesk's cursor paging (`page[size]`, followed while
//! `meta.has_more` is true), never offset paging, which stops at 10,000
//! records. `updated_since` reads the incremental exports
//! (`incremental/tickets/cursor`, `incremental/users/cursor`,
//! `incremental/organizations`) to `end_of_stream`, under their own limit of
//! 10 requests a minute. Ticket states come from Zendesk's fixed statuses;
//! labels from the account's custom statuses where it has them (read once
//! per client); assignee and note author names from side-loaded users, and
//! the closed time from side-loaded ticket metrics.
//!
//! Sign in with an agent's email address and an API token (sent as Basic
//! `{email}/token:{api_token}`) or an OAuth access token (`Bearer`).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{PsaClient, TicketQuery, TicketState};
//! use mspkit_zendesk::{ZendeskClient, mock};
//!
//! // A fake account on loopback; against Zendesk, use
//! // `ZendeskSettings::api_token("acme", "jdoe@example.com", token)`.
//! let fake = mock::start().await;
//! let zendesk = ZendeskClient::from_settings(&fake.settings)?;
//! zendesk.test_connection().await?;
//!
//! let open: Vec<_> = zendesk.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert!(open.iter().all(|t| !t.status.state.is_closed()));
//! let printer = zendesk.ticket(&mock::TICKET_WITH_NOTES.into()).await?;
//! assert_eq!(printer.summary, "Help, my printer is on fire!");
//! assert_eq!(printer.status.state, TicketState::Open);
//! assert_eq!(printer.status.label.as_deref(), Some("Responding quickly"));
//! assert_eq!(printer.assignee.as_deref(), Some("Johnny Agent"));
//! # Ok(()) }
//! ```
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

pub use builder::{ZendeskClientBuilder, budget_headers, default_rate_limit, export_rate_limit};
pub use client::{RateLimitStatus, ZendeskClient};
pub use settings::ZendeskSettings;
