//! mspkit provider for Autotask PSA (the Autotask REST API, v1.0).
//!
//! [`AutotaskClient`] implements [`PsaClient`](mspkit_core::PsaClient):
//! companies, contacts, tickets, ticket notes and contracts (as agreements),
//! ticket create and update, and notes. Every list is a `POST /{Entity}/query`
//! with Autotask's filter JSON, walked through `pageDetails.nextPageUrl` (and,
//! when a link fails, by `id gt <last id>` with the same filter), so a list
//! arrives whole or ends with an error. Ticket status and priority labels come
//! from the tenant's picklists (read once per client); the closed state is
//! Autotask's own system status "Complete".
//!
//! Without `base_url` the tenant's zone is looked up on first use
//! (`zoneInformation?user=`). The client keeps to Autotask's limits itself: at
//! most three requests at a time per entity endpoint, and a budget of 10,000
//! requests per hour ([`AutotaskClient::threshold_information`] shows the
//! database's real usage).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! # use wiremock::{Mock, MockServer, ResponseTemplate, matchers::{method, path}};
//! # let server = MockServer::start().await;
//! # Mock::given(method("GET")).and(path("/atservicesrest/v1.0/Tickets/entityInformation/fields"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"fields": [
//! #         {"name": "status", "isPickList": true, "picklistValues": [
//! #             {"value": "1", "label": "New", "isDefaultValue": true, "sortOrder": 1, "parentValue": "", "isActive": true, "isSystem": true},
//! #             {"value": "5", "label": "Complete", "isDefaultValue": false, "sortOrder": 2, "parentValue": "", "isActive": true, "isSystem": true}]}]})))
//! #     .mount(&server).await;
//! # Mock::given(method("POST")).and(path("/atservicesrest/v1.0/Resources/query"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": [],
//! #         "pageDetails": {"count": 0, "requestCount": 500, "prevPageUrl": null, "nextPageUrl": null}})))
//! #     .mount(&server).await;
//! # Mock::given(method("POST")).and(path("/atservicesrest/v1.0/Tickets/query"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": [
//! #         {"id": 29296, "ticketNumber": "T20200924.0046.051", "title": "ICT Coaching", "status": 1,
//! #          "priority": 2, "companyID": 629, "createDate": "2020-09-24T09:40:14.113Z"}],
//! #         "pageDetails": {"count": 1, "requestCount": 500, "prevPageUrl": null, "nextPageUrl": null}})))
//! #     .mount(&server).await;
//! # let zone_root = format!("{}/atservicesrest", server.uri());
//! use futures::TryStreamExt;
//! use mspkit_autotask::AutotaskClient;
//! use mspkit_core::{PsaClient, TicketQuery};
//!
//! let autotask = AutotaskClient::builder()
//!     .username("api_user@acme.com")
//!     .secret("the API user's secret")
//!     .integration_code("ABCDEFGH00100244MMEEE333")
//!     .base_url(zone_root) // optional: `https://webservices5.autotask.net/atservicesrest`
//! #   .allow_insecure_http()
//!     .build()?;
//! let open: Vec<_> = autotask.tickets(TicketQuery::new().open()).try_collect().await?;
//! assert_eq!(open[0].number.as_deref(), Some("T20200924.0046.051"));
//! assert_eq!(open[0].status.label.as_deref(), Some("New"));
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
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
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use api::ThresholdInformation;
pub use builder::{AutotaskClientBuilder, default_rate_limit};
pub use client::AutotaskClient;
pub use limits::CONCURRENT_REQUESTS_PER_ENDPOINT;
pub use settings::AutotaskSettings;
pub use zone::DEFAULT_LOOKUP_URL;
