//! The PSA conformance suite against the fake Unleashed API.

#![cfg(feature = "mock")]

use mspkit_core::http::RetryPolicy;
use mspkit_core::{Operation, PsaClient, Result};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance};
use mspkit_unleashed::{UnleashedClient, UnleashedClientBuilder, UnleashedSettings};

struct Unleashed;

#[mspkit_core::async_trait]
impl PsaHarness for Unleashed {
    type Settings = UnleashedSettings;

    async fn start(&self) -> FakeServer<UnleashedSettings> {
        mspkit_unleashed::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<UnleashedSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        // No client-side budget against a local server: the suite makes many calls.
        let client: UnleashedClient = UnleashedClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .rate_limit(None)
            .build()?;
        Ok(Box::new(client))
    }

    /// `modifiedSince` on `/Customers`; contacts filter client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![Operation::Companies]
    }
}

#[tokio::test]
async fn unleashed_passes_psa_conformance() {
    psa_conformance(&Unleashed).await;
}
