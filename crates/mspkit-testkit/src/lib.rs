//! Test support for mspkit provider crates: a [`FakeServer`] (a wiremock
//! server plus the settings that reach it and what it holds), a [`Paged`]
//! responder that serves a list page by page, and the conformance suites
//! [`psa_conformance`] and [`rmm_conformance`] that every provider runs.
//!
//! Everything here runs on loopback; nothing reaches the internet.
#![cfg_attr(docsrs, feature(doc_cfg))]
// Test support panics by design: a failed check is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod conformance;
mod fake;
mod paged;

pub use conformance::{PsaHarness, RmmHarness, psa_conformance, rmm_conformance};
pub use fake::{Expected, FakeServer};
pub use paged::{PageScheme, PageView, Paged};
pub use wiremock;

/// A retry policy for tests: three quick attempts.
pub fn fast_retry() -> mspkit_core::http::RetryPolicy {
    mspkit_core::http::RetryPolicy::new()
        .max_attempts(3)
        .base_delay(std::time::Duration::from_millis(5))
        .max_delay(std::time::Duration::from_millis(20))
}
