//! mspkit provider for Datto RMM.
//!
//! [`DattoClient`] implements [`mspkit_core::RmmClient`] over the Datto RMM
//! REST API v2. Datto has no customer level above the site, so every site is
//! both an `Organization` and a `Site` with the same id (the site's `uid`).
//! Normalized ids are Datto's alphanumeric `uid`s, which every API path takes;
//! the numeric ids stay in `raw`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! # use wiremock::{Mock, MockServer, ResponseTemplate, matchers::{method, path}};
//! # let server = MockServer::start().await;
//! # Mock::given(method("POST")).and(path("/auth/oauth/token"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(
//! #         {"access_token": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "token_type": "bearer",
//! #          "expires_in": 359999, "scope": "default", "jti": "2b8c3a0e-5a1f-4f0e-9d6a-7c1b2e3f4a5b"})))
//! #     .mount(&server).await;
//! # Mock::given(method("GET")).and(path("/api/v2/account/devices"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(
//! #         {"pageDetails": {"count": 1, "totalCount": 1, "prevPageUrl": null, "nextPageUrl": null},
//! #          "devices": [{"id": 4410551, "uid": "5c3b2a19-0e8d-4f7c-b6a5-493827160abc", "siteId": 1021,
//! #            "siteUid": "8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d", "siteName": "Acme Dental",
//! #            "deviceType": {"category": "Desktop", "type": "Desktop"}, "hostname": "ACME-RECEP01",
//! #            "intIpAddress": "192.168.10.21", "operatingSystem": "Microsoft Windows 11 Pro 10.0.26200",
//! #            "online": true, "lastSeen": 1718000000000_i64, "deviceClass": "device"}]})))
//! #     .mount(&server).await;
//! # let base_url = server.uri();
//! use futures::TryStreamExt;
//! use mspkit_core::{DeviceQuery, RmmClient};
//! use mspkit_datto::DattoClient;
//!
//! let datto = DattoClient::builder()
//!     .base_url(base_url) // or .platform(mspkit_datto::Platform::Merlot)
//!     .api_key("JQ4N8A...")
//!     .api_secret("SV2K...")
//! #   .allow_insecure_http()
//!     .build()?;
//! let devices: Vec<_> = datto.devices(DeviceQuery::new()).try_collect().await?;
//! assert_eq!(devices[0].hostname.as_deref(), Some("ACME-RECEP01"));
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
mod builder;
mod client;
pub mod map;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod paging;
mod settings;

pub use builder::{DattoClientBuilder, default_rate_limit};
pub use client::DattoClient;
pub use settings::{DattoSettings, Platform, UnknownPlatform};
