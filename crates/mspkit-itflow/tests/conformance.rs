//! The PSA conformance and hostile-server suites against the fake ITFlow.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use mspkit_core::http::{Http, RetryPolicy};
use mspkit_core::{Operation, PsaClient, Result};
use mspkit_itflow::{ItFlowClient, ItFlowClientBuilder, ItFlowSettings};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance, psa_hostile};

struct ItFlow;

#[mspkit_core::async_trait]
impl PsaHarness for ItFlow {
    type Settings = ItFlowSettings;

    async fn start(&self) -> FakeServer<ItFlowSettings> {
        mspkit_itflow::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<ItFlowSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let client: ItFlowClient = ItFlowClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    /// ITFlow's read endpoints filter on nothing but ids: every list's
    /// `updated_since` applies client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        Vec::new()
    }

    /// ITFlow (self-hosted) has no rate limit.
    fn documented_rate_limit(&self) -> Option<mspkit_core::http::RateLimit> {
        None
    }

    async fn default_transport(&self, fake: &FakeServer<ItFlowSettings>) -> Option<Http> {
        let client = ItFlowClient::from_settings(&fake.settings).ok()?;
        Some(client.http().clone())
    }
}

#[tokio::test]
async fn itflow_passes_psa_conformance() {
    psa_conformance(&ItFlow).await;
}

#[tokio::test]
async fn itflow_survives_hostile_servers() {
    psa_hostile(&ItFlow).await
}
