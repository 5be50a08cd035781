//! The RMM conformance suite against the fake NinjaOne instance.

#![cfg(feature = "mock")]

use mspkit_core::http::RetryPolicy;
use mspkit_core::{Operation, Result, RmmClient};
use mspkit_ninja::{NinjaOneClient, NinjaOneClientBuilder, NinjaOneSettings};
use mspkit_testkit::{FakeServer, RmmHarness, rmm_conformance};

struct Ninja;

#[mspkit_core::async_trait]
impl RmmHarness for Ninja {
    type Settings = NinjaOneSettings;

    async fn start(&self) -> FakeServer<NinjaOneSettings> {
        mspkit_ninja::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<NinjaOneSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>> {
        let client: NinjaOneClient = NinjaOneClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    /// NinjaOne has no change-time filter on any list: devices and alerts
    /// filter client-side, organizations and locations carry no timestamps.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        Vec::new()
    }
}

#[tokio::test]
async fn ninja_passes_rmm_conformance() {
    rmm_conformance(&Ninja).await;
}
