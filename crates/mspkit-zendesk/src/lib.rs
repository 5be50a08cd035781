//! mspkit provider for Zendesk Support (the Support API, v2).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod map;
mod paging;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::{ZendeskClientBuilder, default_rate_limit, export_rate_limit};
pub use client::{RateLimitStatus, ZendeskClient};
pub use settings::ZendeskSettings;
