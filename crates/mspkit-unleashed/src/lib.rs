//! mspkit provider for [Unleashed](https://www.unleashedsoftware.com/)
//! (inventory and order management).
//!
//! [`UnleashedClient`] implements [`mspkit_core::PsaClient`] for what
//! Unleashed has of a PSA: customers as companies and customer contacts as
//! contacts. Tickets, notes and agreements do not exist there and are
//! `Unsupported`. Beyond the traits it streams sales orders, products and
//! stock on hand as typed records.
//!
//! Every request is signed: `api-auth-signature` is the base64 HMAC-SHA256
//! of the query string exactly as sent (the client builds that string once,
//! see [`query_string`]), beside `api-auth-id` and `client-type`.
//!
//! Against the fake server of feature `mock` (a real account needs no
//! `base_url`: `https://api.unleashedsoftware.com` is the default):
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{ListQuery, PsaClient};
//! use mspkit_unleashed::{UnleashedClient, mock};
//!
//! let fake = mock::start().await;
//! let unleashed = UnleashedClient::builder()
//!     .api_id(mock::API_ID) // the GUID from Integrations → Unleashed API Access
//!     .api_key(mock::API_KEY) // from your secret store
//!     .client_type("acme/sync")
//!     .base_url(fake.uri()) // only for the local fake server
//!     .allow_insecure_http()
//!     .build()?;
//!
//! let companies: Vec<_> = unleashed.companies(ListQuery::new()).try_collect().await?;
//! assert_eq!(Some(companies.len()), fake.expected.companies);
//! assert_eq!(companies[0].name, "Acme Ltd");
//! assert_eq!(companies[0].identifier.as_deref(), Some("ACME"));
//! assert_eq!(companies[0].active, Some(true));
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, `mock::start()` runs a fake Unleashed API with
//! realistic data, for tests and demos.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod builder;
mod client;
mod errors;
mod map;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use api::{
    CustomerRef, Product, ProductRef, SalesOrder, SalesOrderLine, StockOnHand, parse_date,
};
pub use builder::{DEFAULT_BASE_URL, UnleashedClientBuilder, default_rate_limit};
pub use client::{MAX_PAGE_SIZE, UnleashedClient, query_string};
pub use settings::UnleashedSettings;
