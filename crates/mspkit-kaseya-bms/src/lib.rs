//! mspkit provider for Kaseya BMS: accounts, contacts, tickets, notes and
//! contracts through [`PsaClient`](mspkit_core::PsaClient), on BMS API 2.0.
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
