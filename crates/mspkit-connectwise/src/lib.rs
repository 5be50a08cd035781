//! mspkit provider for [ConnectWise Manage](https://www.connectwise.com/platform/psa)
//! (ConnectWise PSA), on its REST API 3.0.
//!
//! [`ConnectWiseClient`] implements [`mspkit_core::PsaClient`]: companies,
//! contacts, service tickets (create, update with JSON-Patch), ticket notes
//! and agreements. It signs requests with an API member's key (HTTP Basic
//! `company+public:private`) and the integration's `clientId`, calls cloud
//! sites on their `api-` host, discovers the codebase once
//! (`/login/companyinfo/{company}`), pages with `pageSize=1000` and the `Link`
//! header (forward-only where the list allows), and reads open/closed from
//! the board statuses' own `closedStatus` flag, looked up once per board.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! # use wiremock::matchers::{method, path};
//! # use wiremock::{Mock, MockServer, ResponseTemplate};
//! # let server = MockServer::start().await;
//! # Mock::given(method("GET")).and(path("/v4_6_release/apis/3.0/service/tickets"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{
//! #         "id": 3186, "summary": "Daily Tenable Reports", "recordType": "ServiceTicket",
//! #         "board": {"id": 30, "name": "Network Security - South"},
//! #         "status": {"id": 562, "name": ">Closed"},
//! #         "company": {"id": 19298, "identifier": "Example", "name": "Example Company"},
//! #         "priority": {"id": 12, "name": "Priority 5 - Service Request", "sort": 5},
//! #         "closedDate": "2018-08-10T17:39:20Z", "closedFlag": true,
//! #         "_info": {"lastUpdated": "2018-11-09T21:19:07Z", "dateEntered": "2018-08-09T15:22:36Z"}
//! #     }])))
//! #     .mount(&server).await;
//! # Mock::given(method("GET")).and(path("/v4_6_release/apis/3.0/service/boards/30/statuses"))
//! #     .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
//! #         {"id": 560, "name": "New", "sortOrder": 0, "closedStatus": false, "defaultFlag": true},
//! #         {"id": 562, "name": ">Closed", "sortOrder": 9, "closedStatus": true, "defaultFlag": false}
//! #     ])))
//! #     .mount(&server).await;
//! # let base_url = server.uri();
//! use futures::TryStreamExt;
//! use mspkit_connectwise::ConnectWiseClient;
//! use mspkit_core::{PsaClient, TicketQuery, TicketState};
//!
//! let cw = ConnectWiseClient::builder()
//!     .base_url(base_url) // "https://na.myconnectwise.net"
//!     .company_id("acme")
//!     .public_key("pUbLiCkEy")
//!     .private_key("private key")
//!     .client_id("0e6c2a77-3b1f-4f6e-9a4e-3c1f6d1b2a9c")
//!     .codebase("v4_6_release") // or leave out to discover it
//! #   .allow_insecure_http()
//!     .build()?;
//!
//! let tickets: Vec<_> = cw.tickets(TicketQuery::new()).try_collect().await?;
//! assert_eq!(tickets[0].summary, "Daily Tenable Reports");
//! assert_eq!(tickets[0].status.state, TicketState::Closed);
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, `mock::start()` runs a fake ConnectWise Manage
//! with realistic data, for tests and demos.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
mod builder;
mod client;
mod map;
mod paging;
mod settings;
mod site;
mod statuses;
mod write;

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

pub use builder::ConnectWiseClientBuilder;
pub use client::ConnectWiseClient;
pub use paging::MAX_PAGE_SIZE;
pub use settings::ConnectWiseSettings;
pub use site::DEFAULT_CODEBASE;
