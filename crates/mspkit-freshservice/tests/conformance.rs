//! The PSA conformance suite against the fake Freshservice: an ITSM tenant
//! (departments) and a tenant of Freshservice for MSPs (workspaces).

// Tests panic by design: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{ClientOptions, ErrorKind, Operation, PsaClient, Result};
use mspkit_freshservice::{FreshserviceClient, FreshserviceClientBuilder, FreshserviceSettings};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance, psa_hostile};

struct Freshservice {
    msp: bool,
}

#[mspkit_core::async_trait]
impl PsaHarness for Freshservice {
    type Settings = FreshserviceSettings;

    async fn start(&self) -> FakeServer<FreshserviceSettings> {
        if self.msp {
            mspkit_freshservice::mock::start_msp().await
        } else {
            mspkit_freshservice::mock::start().await
        }
    }

    fn client(
        &self,
        fake: &FakeServer<FreshserviceSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let client = FreshserviceClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    /// Only List Tickets filters by change time (`updated_since`); the
    /// other lists are filtered client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![Operation::Tickets]
    }

    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        vec![(Operation::Tickets, "updated_since")]
    }

    /// Starter's account-wide 100 requests a minute.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(RateLimit::per_minute(100))
    }

    async fn default_transport(&self, fake: &FakeServer<FreshserviceSettings>) -> Option<Http> {
        let client = FreshserviceClient::from_settings_with(
            &fake.settings,
            ClientOptions::new().allow_insecure_http(true),
        )
        .ok()?;
        Some(client.http().clone())
    }
}

#[tokio::test]
async fn freshservice_passes_psa_conformance() {
    psa_conformance(&Freshservice { msp: false }).await;
}

#[tokio::test]
async fn freshservice_for_msps_passes_psa_conformance() {
    psa_conformance(&Freshservice { msp: true }).await;
}

#[tokio::test]
async fn the_default_rate_limit_is_the_documented_one() {
    let h = Freshservice { msp: false };
    let fake = h.start().await;
    let http = h.default_transport(&fake).await.unwrap();
    assert_eq!(http.rate_limit(), h.documented_rate_limit());
}

/// The fake checks the key as Freshservice does, so tests against it mean something.
#[tokio::test]
async fn the_fake_refuses_a_wrong_key_with_freshservices_body() {
    let fake = mspkit_freshservice::mock::start().await;
    let wrong = FreshserviceClient::builder()
        .base_url(fake.uri())
        .api_key("not-the-key")
        .allow_insecure_http()
        .build()
        .unwrap();
    let r = wrong.test_connection().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    assert_eq!(e.code(), Some("invalid_credentials"));
    assert_eq!(
        e.message(),
        Some("You have to be logged in to perform this action.")
    );
    for secret in &fake.secrets {
        assert!(!format!("{e} {e:?} {wrong:?}").contains(secret.as_str()));
    }
}

#[tokio::test]
async fn freshservice_survives_hostile_servers() {
    psa_hostile(&Freshservice { msp: false }).await;
}

#[tokio::test]
async fn freshservice_msp_survives_hostile_servers() {
    psa_hostile(&Freshservice { msp: true }).await;
}
