//! mspkit provider for [ITFlow](https://itflow.org) (PSA), on the API of a
//! self-hosted install (`{site}/api/v1/{module}/{function}.php`).
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
