//! The PSA conformance and hostile-server suites against the fake RangerMSP API.

use mspkit_core::http::{Http, RetryPolicy};
use mspkit_core::{ClientOptions, Operation, PsaClient, Result};
use mspkit_rangermsp::{RangerMspClient, RangerMspClientBuilder, RangerMspSettings};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance, psa_hostile};

struct RangerMsp;

#[mspkit_core::async_trait]
impl PsaHarness for RangerMsp {
    type Settings = RangerMspSettings;

    async fn start(&self) -> FakeServer<RangerMspSettings> {
        mspkit_rangermsp::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<RangerMspSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let c = RangerMspClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(c))
    }

    /// The contract names no change filter: every list filters
    /// `updated_since` client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        Vec::new()
    }

    /// RangerMSP publishes no rate limit, and the client applies none.
    fn documented_rate_limit(&self) -> Option<mspkit_core::http::RateLimit> {
        None
    }

    async fn default_transport(&self, fake: &FakeServer<RangerMspSettings>) -> Option<Http> {
        let options = ClientOptions::new().allow_insecure_http(true);
        RangerMspClient::from_settings_with(&fake.settings, options)
            .ok()
            .map(|c| c.http().clone())
    }
}

#[tokio::test]
async fn rangermsp_passes_psa_conformance() {
    psa_conformance(&RangerMsp).await;
}

#[tokio::test]
async fn rangermsp_survives_hostile_servers() {
    psa_hostile(&RangerMsp).await
}
