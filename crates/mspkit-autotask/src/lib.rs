//! mspkit provider for Autotask PSA (placeholder docs; example below).
// The fake server builds Autotask's wide records with `json!`.
#![recursion_limit = "256"]

mod api;
mod builder;
mod client;
mod errors;
mod limits;
mod map;
mod paging;
mod picklist;
mod query;
mod settings;
mod zone;

#[cfg(feature = "mock")]
pub mod mock;

pub use api::ThresholdInformation;
pub use builder::{AutotaskClientBuilder, default_rate_limit};
pub use client::AutotaskClient;
pub use limits::CONCURRENT_REQUESTS_PER_ENDPOINT;
pub use settings::AutotaskSettings;
pub use zone::DEFAULT_LOOKUP_URL;
