//! mspkit provider for [NinjaOne](https://www.ninjaone.com/) (RMM), on its
//! Public API v2.
//!
//! [`NinjaOneClient`] implements [`mspkit_core::RmmClient`]: organizations,
//! locations as sites, devices (`/v2/devices-detailed`, keyset-paged), one
//! device, active alerts and the software installed on a device. It signs in
//! with OAuth2 at `/ws/oauth/token`: client credentials by default, or a
//! user's refresh token; the token is cached, shared by concurrent requests,
//! renewed before it expires and once after a 401.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! # use wiremock::matchers::{method, path, query_param, query_param_is_missing};
//! # use wiremock::{Mock, MockServer, ResponseTemplate};
//! # let server = MockServer::start().await;
//! # Mock::given(method("POST")).and(path("/ws/oauth/token"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(
//! #         {"access_token": "eyJhbGciOi", "token_type": "Bearer", "expires_in": 3600,
//! #          "scope": "monitoring management control"})))
//! #     .mount(&server).await;
//! # Mock::given(method("GET")).and(path("/v2/devices-detailed"))
//! #     .and(query_param("df", "org = 2")).and(query_param_is_missing("after"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
//! #         {"id": 17, "organizationId": 2, "locationId": 3, "nodeClass": "WINDOWS_WORKSTATION",
//! #          "offline": false, "displayName": "Reception PC", "systemName": "ACME-RECEP01",
//! #          "lastContact": 1718000000.25, "lastUpdate": 1717999940.911,
//! #          "ipAddresses": ["192.168.10.21"], "macAddresses": ["00:15:5D:0A:1B:2C"]}])))
//! #     .mount(&server).await;
//! # Mock::given(method("GET")).and(path("/v2/devices-detailed")).and(query_param("after", "17"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
//! #     .mount(&server).await;
//! # let base_url = server.uri();
//! use futures::TryStreamExt;
//! use mspkit_core::{DeviceQuery, DeviceType, RmmClient};
//! use mspkit_ninja::NinjaOneClient;
//!
//! let ninja = NinjaOneClient::builder()
//!     .base_url(base_url) // or .region(mspkit_ninja::Region::Eu)
//!     .client_id("AAaaA1aaAaAA-aaAaaA11a1A-aA")
//!     .client_secret("client secret")
//! #   .allow_insecure_http()
//!     .build()?;
//!
//! let devices: Vec<_> = ninja
//!     .devices(DeviceQuery::new().organization("2"))
//!     .try_collect()
//!     .await?;
//! assert_eq!(devices[0].hostname.as_deref(), Some("ACME-RECEP01"));
//! assert_eq!(devices[0].device_type, DeviceType::Workstation);
//! assert_eq!(devices[0].online, Some(true));
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, `mock::start()` runs a fake NinjaOne instance
//! with realistic data, for tests and demos.
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

pub use builder::{DEFAULT_SCOPE, NinjaOneClientBuilder};
pub use client::NinjaOneClient;
pub use settings::{NinjaOneSettings, Region, UnknownRegion};
