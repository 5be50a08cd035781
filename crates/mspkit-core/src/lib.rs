//! The core of mspkit: the [`PsaClient`] and [`RmmClient`] traits, the
//! normalized [`model`], [`auth`] strategies, the [`http`] transport with
//! retry and rate limiting, [`paging`], and the one [`Error`] type.
//!
//! Applications usually depend on the `mspkit` facade or on one provider
//! crate; this crate is what they share. A provider client is built with its
//! own builder and used through the traits:
//!
//! ```
//! use futures::TryStreamExt;
//! use mspkit_core::{PsaClient, TicketQuery};
//!
//! async fn open_tickets(psa: &dyn PsaClient) -> mspkit_core::Result<usize> {
//!     let tickets: Vec<_> = psa.tickets(TicketQuery::new().open()).try_collect().await?;
//!     Ok(tickets.len())
//! }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod client;
pub mod de;
pub mod error;
pub mod http;
pub mod list;
pub mod model;
mod options;
pub mod paging;
pub mod settings;
mod status_table;

pub use client::{
    AlertQuery, Capabilities, DeviceQuery, ItemStream, ListQuery, Operation, PsaClient, RmmClient,
    TicketFilter, TicketQuery, error_stream,
};
pub use error::{Error, ErrorKind, Result};
pub use model::*;
pub use options::ClientOptions;
pub use status_table::{StatusEntry, StatusLookup, StatusTable};

/// Re-exported so that provider crates and users name one version.
pub use async_trait::async_trait;
pub use secrecy::{ExposeSecret, SecretString};
pub use {chrono, reqwest, serde_json};
