//! mspkit provider for HaloPSA (and HaloITSM / HaloServiceDesk): customers,
//! users, tickets, actions and client contracts through
//! [`PsaClient`](mspkit_core::PsaClient).
//!
//! Authentication is OAuth2 client credentials; the token endpoint is looked
//! up from the site's `/api/authinfo` on the first call.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! # use wiremock::{Mock, MockServer, ResponseTemplate, matchers::{method, path}};
//! # let server = MockServer::start().await;
//! # let site = server.uri();
//! # Mock::given(path("/api/authinfo")).respond_with(ResponseTemplate::new(200)
//! #     .set_body_json(serde_json::json!({ "auth_url": format!("{site}/auth") }))).mount(&server).await;
//! # Mock::given(method("POST")).and(path("/auth/token")).respond_with(ResponseTemplate::new(200)
//! #     .set_body_json(serde_json::json!({ "access_token": "t", "token_type": "Bearer", "expires_in": 3600 })))
//! #     .mount(&server).await;
//! # Mock::given(path("/api/Status")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
//! #     { "id": 1, "name": "New", "type": 0, "sequence": 1 }, { "id": 9, "name": "Closed", "type": 0, "sequence": 9 }
//! # ]))).mount(&server).await;
//! # Mock::given(path("/api/Priority")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
//! #     { "id": "3e485768-7967-452e-ee50-08d7e0f912c9", "slaid": 3, "priorityid": 3, "name": "Medium" }
//! # ]))).mount(&server).await;
//! # Mock::given(path("/api/Tickets")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
//! #     "record_count": 1, "tickets": [{ "id": 110043, "summary": "New computer request", "status_id": 1,
//! #     "priority_id": 3, "sla_id": 3, "client_id": 12, "dateoccurred": "2022-09-30T08:23:56.4214387Z" }]
//! # }))).mount(&server).await;
//! use futures::TryStreamExt;
//! use mspkit_core::{PsaClient, TicketQuery};
//! use mspkit_halo::HaloClient;
//!
//! let halo = HaloClient::builder()
//!     .base_url(site) // https://acme.halopsa.com
//!     .client_id("c9534241-dde9-4d04-9d45-32b1fbff22ed")
//!     .client_secret("from-your-secret-store")
//!     .tenant("acme")
//!     .allow_insecure_http() // only for the local test server here
//!     .build()?;
//! let open: Vec<_> = halo.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert_eq!(open[0].summary, "New computer request");
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api;
mod auth;
mod builder;
mod client;
mod errors;
mod lookups;
mod map;
mod paging;
mod settings;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::{DEFAULT_SCOPE, HaloClientBuilder};
pub use client::HaloClient;
pub use settings::HaloSettings;
