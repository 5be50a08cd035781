//! The testkit's RMM conformance suite against the fake Datto RMM.

use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{Operation, Result, RmmClient};
use mspkit_datto::{DattoClient, DattoSettings};
use mspkit_testkit::{FakeServer, RmmHarness, rmm_conformance, rmm_hostile};

struct Datto;

#[mspkit_core::async_trait]
impl RmmHarness for Datto {
    type Settings = DattoSettings;

    async fn start(&self) -> FakeServer<DattoSettings> {
        mspkit_datto::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<DattoSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>> {
        let s = &fake.settings;
        let client = DattoClient::builder()
            .base_url(s.base_url.clone().unwrap_or_default())
            .api_key(mspkit_core::ExposeSecret::expose_secret(&s.api_key))
            .api_secret(mspkit_core::ExposeSecret::expose_secret(&s.api_secret))
            .allow_insecure_http()
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    /// Datto's lists have no modification-time filter: all client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        Vec::new()
    }

    /// 600 reads per rolling minute, account-wide: 590 a minute in bursts of 10.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(mspkit_datto::default_rate_limit())
    }

    async fn default_transport(&self, fake: &FakeServer<DattoSettings>) -> Option<Http> {
        let client = DattoClient::from_settings(&fake.settings).ok()?;
        Some(client.http().clone())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datto_passes_rmm_conformance() {
    rmm_conformance(&Datto).await;
}

#[tokio::test]
async fn the_fake_server_works_through_from_settings() {
    use futures::TryStreamExt;
    let fake = mspkit_datto::mock::start().await;
    let client = DattoClient::from_settings(&fake.settings).unwrap();
    client.test_connection().await.unwrap();
    let devices: Vec<_> = client
        .devices(mspkit_core::DeviceQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(Some(devices.len()), fake.expected.devices);
}

#[tokio::test]
async fn datto_survives_hostile_servers() {
    rmm_hostile(&Datto).await;
}
