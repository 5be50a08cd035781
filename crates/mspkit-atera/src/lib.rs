//! The Atera provider of mspkit (being written).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod map;
mod settings;
mod zone;

pub use builder::{AteraClientBuilder, DEFAULT_BASE_URL, KeyKind, default_rate_limit};
pub use client::AteraClient;
pub use settings::AteraSettings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
