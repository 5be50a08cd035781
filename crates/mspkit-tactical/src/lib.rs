//! mspkit provider for [Tactical RMM](https://github.com/amidaware/tacticalrmm) (RMM).
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

pub use builder::TacticalClientBuilder;
pub use client::TacticalClient;
pub use settings::TacticalSettings;
