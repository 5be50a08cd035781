//! mspkit provider for [ConnectWise Manage](https://www.connectwise.com/platform/psa)
//! (ConnectWise PSA), on its REST API 3.0.
//!
//! [`ConnectWiseClient`] implements [`mspkit_core::PsaClient`]: companies,
//! contacts, service tickets (create, update with JSON-Patch), ticket notes
//! and agreements. It signs requests with an API member's key (HTTP Basic
//! `company+public:private`) and the integration's `clientId`, calls cloud
//! sites on their `api-` host, lets the transport discover the codebase on
//! first use (`/login/companyinfo/{company}`), pages with `pageSize=1000` and
//! the `Link` header (forward-only where the list allows), and reads open/closed from
//! the board statuses' own `closedStatus` flag, looked up once per board.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_connectwise::ConnectWiseClient;
//! use mspkit_core::{PsaClient, TicketQuery, TicketState};
//!
//! // A fake ConnectWise Manage on loopback (feature `mock`); a real site is
//! // `ConnectWiseClient::builder().base_url("https://na.myconnectwise.net")
//! // .company_id(..).public_key(..).private_key(..).client_id(..).build()?`.
//! let fake = mspkit_connectwise::mock::start().await;
//! let cw = ConnectWiseClient::from_settings(&fake.settings)?;
//!
//! let tickets: Vec<_> = cw.tickets(TicketQuery::new().closed()).try_collect().await?;
//! assert!(!tickets.is_empty());
//! assert!(tickets.iter().all(|t| t.status.state == TicketState::Closed));
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, `mock::start()` runs a fake ConnectWise Manage
//! with realistic data, for tests and demos.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
mod builder;
mod client;
mod errors;
mod map;
mod settings;
mod site;
mod statuses;
mod write;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::ConnectWiseClientBuilder;
pub use client::ConnectWiseClient;
pub use client::MAX_PAGE_SIZE;
pub use settings::ConnectWiseSettings;
pub use site::DEFAULT_CODEBASE;
