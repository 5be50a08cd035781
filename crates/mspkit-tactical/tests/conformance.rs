//! The RMM conformance suite against the fake Tactical RMM api host.

use mspkit_core::http::{Http, RetryPolicy};
use mspkit_core::{ErrorKind, Operation, Result, RmmClient};
use mspkit_tactical::{TacticalClient, TacticalClientBuilder, TacticalSettings};
use mspkit_testkit::{FakeServer, RmmHarness, rmm_conformance, rmm_hostile};

struct Tactical;

#[mspkit_core::async_trait]
impl RmmHarness for Tactical {
    type Settings = TacticalSettings;

    async fn start(&self) -> FakeServer<TacticalSettings> {
        mspkit_tactical::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<TacticalSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>> {
        let client: TacticalClient = TacticalClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    /// Tactical has no change-time filter on any list: devices (`last_seen`)
    /// and alerts filter client-side; clients and sites carry no timestamps.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        Vec::new()
    }

    /// Tactical throttles only its login endpoints, not the API.
    fn documented_rate_limit(&self) -> Option<mspkit_core::http::RateLimit> {
        None
    }

    async fn default_transport(&self, fake: &FakeServer<TacticalSettings>) -> Option<Http> {
        let client = TacticalClient::from_settings(&fake.settings).ok()?;
        Some(client.http().clone())
    }

    /// Every list is one bare array: clients (and the sites nested in them),
    /// each site's agents, the alerts.
    fn unpaged(&self) -> Vec<Operation> {
        vec![
            Operation::Organizations,
            Operation::Sites,
            Operation::Devices,
            Operation::Alerts,
            Operation::Software,
        ]
    }
}

#[tokio::test]
async fn tactical_passes_rmm_conformance() {
    rmm_conformance(&Tactical).await;
}

/// The fake server checks the key as Tactical does (401 with DRF's `detail`).
#[tokio::test]
async fn a_wrong_key_is_unauthorized_with_tacticals_message() {
    let fake = mspkit_tactical::mock::start().await;
    let wrong = TacticalClient::builder()
        .base_url(fake.uri())
        .api_key("NOTTHEKEY0000000000000000000000X")
        .allow_insecure_http()
        .build()
        .unwrap();
    let e = wrong.test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.message(), Some("Invalid token."));
}

#[tokio::test]
async fn tactical_survives_hostile_servers() {
    rmm_hostile(&Tactical).await;
}
