//! Test support for mspkit provider crates: a fake-server kit, and the
//! conformance suites [`psa_conformance`] and [`rmm_conformance`] that every
//! provider runs.
//!
//! Everything here runs on loopback; nothing reaches the internet.
//!
//! # The fake-server kit
//!
//! Each piece is a wiremock matcher, responder or helper; a provider's
//! `mock` module combines them with its own data and envelopes.
//!
//! - [`FakeServer`] and [`Expected`]: the running server, settings for a
//!   client of it, and what it holds.
//! - [`Reply`]: a canned answer in the platform's words (status, body,
//!   content type, headers); [`oauth_error`] for OAuth error bodies.
//! - Credential checks ([`Credential`]): [`ApiKeyHeader`], [`ApiKeyQuery`],
//!   [`BasicAuth`], [`BearerToken`], [`HeaderSet`], [`HmacQuerySignature`]
//!   (with [`hmac_sha256_base64`]), pairs `(a, b)` and [`CheckFn`]. Use one
//!   with [`mount_gate`] (refuse everything in a scope without it),
//!   [`Credential::guard`] (wrap a responder) or [`Credential::matcher`].
//! - Token endpoints: [`TokenEndpoint`] (OAuth2 client credentials,
//!   password, refresh token with rotation) and [`LoginEndpoint`] (a
//!   token-exchange login), both issuing into a [`TokenStore`] that records
//!   every token, counts requests, and can expire tokens after N uses or
//!   refuse the next call.
//! - [`Paged`]: serves a list under any [`PageScheme`] (page number,
//!   offset, `Link` header, next URL in the body, keyset, page in the
//!   path), rendered through the caller's function ([`PageView`]), with
//!   hostile knobs ([`Paged::ignore_page_selector`], [`Paged::empty_pages`],
//!   [`Paged::first_page_without_list`]).
//! - [`ById`] ([`find_by_id`]): `GET {prefix}/{id}` from the same items,
//!   the platform's 404 when missing.
//! - Query helpers: [`query_param`], [`query_param_ignore_case`],
//!   [`query_params`], [`query_pairs`], [`query_parse`], [`query_u64`],
//!   [`param_matches`], [`filter_items`], [`field`], [`text_of`]; time filters
//!   [`parse_instant`], [`instant_of`], [`changed_since`], [`since_param`],
//!   [`updated_since`].
//! - What a server received, for tests to check: [`received`],
//!   [`received_at`], each request as [`request_line`] or
//!   [`request_target`], its [`json_body`] or its form fields
//!   ([`form_pairs`], [`form_value`]); a header's text with
//!   [`header_value`].
//! - [`ConcurrencyCap`]: counts requests in flight and refuses beyond a cap,
//!   recording the peak.
//!
//! # Writing a fake with the kit
//!
//! A fake with a client-credentials token endpoint, a bearer check on
//! everything under `/api/`, a page-number list and look-up by id:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use mspkit_testkit::wiremock::matchers::{method, path, path_regex};
//! use mspkit_testkit::wiremock::{Mock, MockServer, ResponseTemplate};
//! use mspkit_testkit::{ById, Credential, PageScheme, Paged, Reply, TokenEndpoint, mount_gate};
//! use serde_json::json;
//!
//! let server = MockServer::start().await;
//!
//! // POST /auth/token: client credentials, checked field by field.
//! let tokens = TokenEndpoint::client_credentials("my-id", "my-secret").scope("all");
//! tokens.mount(&server, "/auth/token").await;
//!
//! // Everything under /api/ needs one of the tokens it issued; else the
//! // platform's own 401.
//! let denied = Reply::json(401, json!({"Message": "Authorization has been denied for this request."}));
//! mount_gate(&server, path_regex("^/api/"), tokens.bearer(denied)).await;
//!
//! // GET /api/Client: pages by `page_no` from 1, `page_size` at most 100,
//! // in the platform's envelope.
//! let clients: Vec<_> = (1..=250).map(|id| json!({"id": id, "name": format!("Client {id}")})).collect();
//! let list = Paged::new(clients.clone(), PageScheme::page_number("page_no", "page_size", 1), |v| {
//!     ResponseTemplate::new(200).set_body_json(json!({"record_count": v.total, "clients": v.items}))
//! })
//! .max_size(100);
//! Mock::given(method("GET")).and(path("/api/Client")).respond_with(list).mount(&server).await;
//!
//! // GET /api/Client/{id}.
//! let one = ById::new("/api/Client", clients, "id", Reply::json(404, json!({"Message": "Not found"})));
//! Mock::given(method("GET"))
//!     .and(path_regex(r"^/api/Client/[^/]+$"))
//!     .respond_with(one)
//!     .mount(&server)
//!     .await;
//!
//! // A client gets a token, then pages.
//! // (core's client builder carries the TLS setup reqwest needs.)
//! let http = mspkit_core::http::client_builder().build().unwrap();
//! let token: serde_json::Value = http
//!     .post(format!("{}/auth/token", server.uri()))
//!     .form(&[("grant_type", "client_credentials"), ("client_id", "my-id"),
//!             ("client_secret", "my-secret"), ("scope", "all")])
//!     .send().await.unwrap().json().await.unwrap();
//! let bearer = token["access_token"].as_str().unwrap();
//! let page: serde_json::Value = http
//!     .get(format!("{}/api/Client?page_no=3&page_size=100", server.uri()))
//!     .bearer_auth(bearer)
//!     .send().await.unwrap().json().await.unwrap();
//! assert_eq!(page["clients"].as_array().unwrap().len(), 50);
//! assert_eq!(page["record_count"], 250);
//! // Without the token: the platform's 401.
//! let refused = http.get(format!("{}/api/Client", server.uri())).send().await.unwrap();
//! assert_eq!(refused.status(), 401);
//! assert_eq!(tokens.requests(), 1);
//! # }
//! ```
//!
//! Fakes that route by hand (`Mock::given(any())` and a `match` on the
//! path) use the same pieces as functions: [`Credential::admit`] or
//! [`Credential::guard`] for the check, [`Paged::serve`] to page a list
//! held in mutable state, [`find_by_id`] for look-ups.

#![cfg_attr(docsrs, feature(doc_cfg))]
// Test support panics by design: a failed check is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod auth;
mod by_id;
mod concurrency;
mod conformance;
mod fake;
mod login;
mod oauth;
mod paged;
mod query;
mod received;
mod reply;
mod signature;
mod since;
mod tokens;
mod trust;

pub use auth::{
    Accepts, ApiKeyHeader, ApiKeyQuery, BasicAuth, BearerToken, CheckFn, Credential, Guarded,
    HeaderSet, basic_credentials, basic_header_value, bearer_token, header_value, mount_gate,
};
pub use by_id::{ById, find_by_id};
pub use concurrency::ConcurrencyCap;
pub use conformance::{
    PsaHarness, RmmHarness, probe_instant, psa_conformance, psa_hostile, rmm_conformance,
    rmm_hostile,
};
pub use fake::{Expected, FakeServer};
pub use login::{LoginBody, LoginEndpoint, LoginToken};
pub use oauth::TokenEndpoint;
pub use paged::{PageScheme, PageView, Paged};
pub use query::{
    field, filter_items, param_matches, query_pairs, query_param, query_param_ignore_case,
    query_params, query_parse, query_u64, text_of,
};
pub use received::{
    form_pairs, form_value, json_body, received, received_at, request_line, request_target,
};
pub use reply::{Reply, oauth_error};
pub use signature::{HmacQuerySignature, hmac_sha256_base64};
pub use since::{changed_since, instant_of, parse_instant, since_param, updated_since};
pub use tokens::TokenStore;
pub use trust::{TEST_CA_PEM, check_trust_settings, check_unreadable_roots};
pub use wiremock;

/// A retry policy for tests: three quick attempts.
pub fn fast_retry() -> mspkit_core::http::RetryPolicy {
    mspkit_core::http::RetryPolicy::new()
        .max_attempts(3)
        .base_delay(std::time::Duration::from_millis(5))
        .max_delay(std::time::Duration::from_millis(20))
}
