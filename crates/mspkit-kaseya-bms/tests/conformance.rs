//! The testkit's PSA conformance and hostile-server suites against the fake
//! BMS, with pages counted from 1 and from 0.

use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{ErrorKind, Operation, PsaClient, Result, async_trait};
use mspkit_kaseya_bms::{KaseyaBmsClient, KaseyaBmsSettings, mock};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance, psa_hostile};

/// The harness, for a fake whose pages count from `first`.
struct Bms {
    first: u64,
}

#[async_trait]
impl PsaHarness for Bms {
    type Settings = KaseyaBmsSettings;

    async fn start(&self) -> FakeServer<KaseyaBmsSettings> {
        mock::start_paged_from(self.first).await
    }

    fn client(
        &self,
        fake: &FakeServer<KaseyaBmsSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let client = mspkit_kaseya_bms::KaseyaBmsClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
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
            (Operation::Companies, "Filter.ModifiedOnFrom"),
            (Operation::Contacts, "Filter.ModifiedOnFrom"),
            (Operation::Tickets, "Filter.LastActivityUpdateFrom"),
        ]
    }

    /// BMS's limit is per endpoint (1500 calls an hour each); the crate
    /// keeps it with a budget per endpoint, so the transport carries none.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        None
    }

    async fn default_transport(&self, fake: &FakeServer<KaseyaBmsSettings>) -> Option<Http> {
        KaseyaBmsClient::from_settings(&fake.settings)
            .ok()
            .map(|c| c.http().clone())
    }
}

#[tokio::test]
async fn bms_passes_psa_conformance_with_pages_from_1() {
    psa_conformance(&Bms { first: 1 }).await;
}

#[tokio::test]
async fn bms_passes_psa_conformance_with_pages_from_0() {
    psa_conformance(&Bms { first: 0 }).await;
}

#[tokio::test]
async fn bms_survives_hostile_servers() {
    psa_hostile(&Bms { first: 1 }).await;
}

#[tokio::test]
async fn the_default_budget_is_per_endpoint() {
    let fake = mock::start().await;
    let client = KaseyaBmsClient::from_settings(&fake.settings).unwrap();
    assert_eq!(client.http().rate_limit(), None);
    assert_eq!(
        client.rate_limit_per_endpoint(),
        Some(mspkit_kaseya_bms::default_rate_limit())
    );
}

#[tokio::test]
async fn the_fake_server_refuses_wrong_credentials_like_bms() {
    let fake = mock::start().await;
    let mut wrong = fake.settings.clone();
    wrong.password = "not-the-password".into();
    let e = KaseyaBmsClient::from_settings(&wrong)
        .unwrap()
        .test_connection()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    assert!(
        e.to_string().contains("Invalid username or password."),
        "{e}"
    );
    // No token at all: ASP.NET's bare 401.
    let r = mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .get(format!("{}/v2/servicedesk/tickets", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
}
