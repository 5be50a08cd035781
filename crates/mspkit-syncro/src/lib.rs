//! The Syncro provider of mspkit (being written).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod lookups;
mod map;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::{SyncroClientBuilder, default_rate_limit};
pub use client::{DESCRIPTION_SUBJECT, NOTE_SUBJECT, SyncroClient};
pub use settings::SyncroSettings;
