//! The testkit's PSA conformance suite against the fake Halo.

use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{ErrorKind, Operation, PsaClient, Result, async_trait};
use mspkit_halo::{HaloClient, HaloSettings, mock};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance, psa_hostile};

struct Halo;

#[async_trait]
impl PsaHarness for Halo {
    type Settings = HaloSettings;

    async fn start(&self) -> FakeServer<HaloSettings> {
        mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<HaloSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let s = &fake.settings;
        let client = HaloClient::builder()
            .base_url(s.base_url.clone())
            .client_id(s.client_id.clone())
            .client_secret(mock::CLIENT_SECRET)
            .tenant(mock::TENANT)
            .allow_insecure_http()
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![Operation::Tickets]
    }

    /// `datesearch=lastactiondate&startdate=<UTC, no zone>`.
    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        vec![(Operation::Tickets, "startdate")]
    }

    /// Halo publishes no figure; the client keeps to the 500 requests per
    /// three minutes integrators report.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(mspkit_halo::default_rate_limit())
    }

    async fn default_transport(&self, fake: &FakeServer<HaloSettings>) -> Option<Http> {
        HaloClient::from_settings(&fake.settings)
            .ok()
            .map(|c| c.http().clone())
    }
}

#[tokio::test]
async fn halo_passes_psa_conformance() {
    psa_conformance(&Halo).await;
}

#[tokio::test]
async fn halo_survives_hostile_servers() {
    psa_hostile(&Halo).await;
}

#[tokio::test]
async fn settings_from_the_fake_server_connect() {
    let fake = mock::start().await;
    let client = HaloClient::from_settings(&fake.settings).unwrap();
    client.test_connection().await.unwrap();
}

#[tokio::test]
async fn the_fake_server_refuses_wrong_credentials_like_halo() {
    let fake = mock::start().await;
    let wrong_secret = HaloClient::builder()
        .base_url(fake.uri())
        .client_id(mock::CLIENT_ID)
        .client_secret("not-the-secret")
        .tenant(mock::TENANT)
        .allow_insecure_http()
        .build()
        .unwrap();
    let e = wrong_secret.test_connection().await.unwrap_err();
    assert!(e.kind() == ErrorKind::Unauthorized, "{e:?}");
    // No token at all: the API's own refusal.
    let r = mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .get(format!("{}/api/Tickets", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}
