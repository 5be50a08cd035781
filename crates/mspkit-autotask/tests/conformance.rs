//! The testkit's PSA conformance suite against the fake Autotask zone.

#![cfg(feature = "mock")]

use mspkit_autotask::{AutotaskClient, AutotaskSettings, mock};
use mspkit_core::http::RetryPolicy;
use mspkit_core::{Operation, PsaClient, Result, async_trait};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance};

struct Harness;

#[async_trait]
impl PsaHarness for Harness {
    type Settings = AutotaskSettings;

    async fn start(&self) -> FakeServer<AutotaskSettings> {
        mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<AutotaskSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let client = mspkit_autotask::AutotaskClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client) as Box<dyn PsaClient>)
    }

    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![
            Operation::Companies,
            Operation::Contacts,
            Operation::Tickets,
        ]
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autotask_passes_psa_conformance() {
    psa_conformance(&Harness).await;
}

#[tokio::test]
async fn the_fake_zone_is_found_by_zone_lookup() {
    let fake = mock::start().await;
    let mut settings = fake.settings.clone();
    settings.base_url = None;
    let client = AutotaskClient::builder()
        .username(&settings.username)
        .secret(mock::SECRET)
        .integration_code(&settings.integration_code)
        .zone_lookup_url(format!("{}/atservicesrest", fake.uri()))
        .allow_insecure_http()
        .build()
        .unwrap();
    client.test_connection().await.unwrap();
    let http = client.http().await.unwrap();
    assert_eq!(
        http.base_url().as_str(),
        format!("{}/atservicesrest/v1.0/", fake.uri())
    );
}
