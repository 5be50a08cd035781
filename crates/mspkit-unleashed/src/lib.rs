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
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! # use wiremock::matchers::{method, path, query_param};
//! # use wiremock::{Mock, MockServer, ResponseTemplate};
//! # let server = MockServer::start().await;
//! # Mock::given(method("GET")).and(path("/Customers/1")).and(query_param("pageSize", "1000"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
//! #         "Pagination": {"NumberOfItems": 1, "PageSize": 1000, "PageNumber": 1, "NumberOfPages": 1},
//! #         "Items": [{"Guid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "CustomerCode": "ACME",
//! #             "CustomerName": "Acme Ltd", "PhoneNumber": "+64 9 555 0100", "Obsolete": false,
//! #             "Addresses": [{"AddressType": "Postal", "StreetAddress": "1 Queen St",
//! #                 "City": "Auckland", "Country": "New Zealand", "PostalCode": "1010", "IsDefault": true}],
//! #             "CreatedOn": "/Date(1704067200000)/", "LastModifiedOn": "/Date(1717200000000)/"}]})))
//! #     .mount(&server).await;
//! # let base_url = server.uri();
//! use futures::TryStreamExt;
//! use mspkit_core::{ListQuery, PsaClient};
//! use mspkit_unleashed::UnleashedClient;
//!
//! let unleashed = UnleashedClient::builder()
//!     .api_id("0f7c9f4e-3a1b-4c55-9d0e-2b7a1c3d4e5f")
//!     .api_key("your API key")
//!     .client_type("acme/sync")
//! #   .base_url(base_url).allow_insecure_http()
//!     .build()?;
//!
//! let companies: Vec<_> = unleashed.companies(ListQuery::new()).try_collect().await?;
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
mod map;
mod paging;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use api::{
    CustomerRef, Product, ProductRef, SalesOrder, SalesOrderLine, StockOnHand, parse_date,
};
pub use builder::{DEFAULT_BASE_URL, UnleashedClientBuilder, default_rate_limit};
pub use client::UnleashedClient;
pub use paging::{MAX_PAGE_SIZE, query_string};
pub use settings::UnleashedSettings;
