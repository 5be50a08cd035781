//! The testkit's PSA conformance suite against the fake Zendesk account,
//! signed in both ways.

use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{Operation, PsaClient, Result, async_trait};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance, psa_hostile};
use mspkit_zendesk::{ZendeskClient, ZendeskClientBuilder, ZendeskSettings, mock};

struct Harness {
    oauth: bool,
}

#[async_trait]
impl PsaHarness for Harness {
    type Settings = ZendeskSettings;

    async fn start(&self) -> FakeServer<ZendeskSettings> {
        if self.oauth {
            mock::start_oauth().await
        } else {
            mock::start().await
        }
    }

    fn client(
        &self,
        fake: &FakeServer<ZendeskSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let client = ZendeskClientBuilder::from_settings(&fake.settings)
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

    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        vec![
            (Operation::Companies, "start_time"),
            (Operation::Contacts, "start_time"),
            (Operation::Tickets, "start_time"),
        ]
    }

    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(mspkit_zendesk::default_rate_limit())
    }

    async fn default_transport(&self, fake: &FakeServer<ZendeskSettings>) -> Option<Http> {
        let client = ZendeskClient::from_settings(&fake.settings).ok()?;
        Some(client.http().clone())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zendesk_passes_psa_conformance_with_an_api_token() {
    psa_conformance(&Harness { oauth: false }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zendesk_passes_psa_conformance_with_an_oauth_token() {
    psa_conformance(&Harness { oauth: true }).await;
}

#[tokio::test]
async fn zendesk_survives_hostile_servers() {
    psa_hostile(&Harness { oauth: false }).await;
}

#[tokio::test]
async fn zendesk_oauth_survives_hostile_servers() {
    psa_hostile(&Harness { oauth: true }).await;
}
