//! mspkit provider for RangerMSP (formerly CommitCRM), a PSA (being written).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod map;
mod settings;

pub use api::parse_date;
pub use builder::{ACCOUNT_ID_HEADER, CLOUD_BASE_URL, RangerMspClientBuilder};
pub use client::{MAX_PAGE_SIZE, RangerMspClient};
pub use map::STATUS_COMPLETED;
pub use settings::RangerMspSettings;
