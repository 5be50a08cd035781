//! The testkit's conformance suites against the fake Atera: the RMM suite
//! with a legacy key (`X-API-KEY`), the PSA suite with a JWT token
//! (`Authorization: Bearer`).

// Tests panic on failure by design.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mspkit_atera::{AteraClient, AteraSettings, default_rate_limit, mock};
use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{ClientOptions, Operation, PsaClient, Result, RmmClient, async_trait};
use mspkit_testkit::{
    FakeServer, PsaHarness, RmmHarness, psa_conformance, psa_hostile, rmm_conformance, rmm_hostile,
};

fn client(fake: &FakeServer<AteraSettings>, retry: RetryPolicy) -> Result<AteraClient> {
    AteraClient::from_settings_with(&fake.settings, ClientOptions::new().retry(retry))
}

struct Rmm;

#[async_trait]
impl RmmHarness for Rmm {
    type Settings = AteraSettings;

    async fn start(&self) -> FakeServer<AteraSettings> {
        mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<AteraSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>> {
        Ok(Box::new(client(fake, retry)?))
    }

    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![Operation::Organizations]
    }

    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        vec![(Operation::Organizations, "FromLastModifiedDate")]
    }

    /// Atera publishes no number; the crate's documented default.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(default_rate_limit())
    }

    async fn default_transport(&self, fake: &FakeServer<AteraSettings>) -> Option<Http> {
        AteraClient::from_settings(&fake.settings)
            .ok()
            .map(|c| c.http().clone())
    }
}

struct Psa;

#[async_trait]
impl PsaHarness for Psa {
    type Settings = AteraSettings;

    async fn start(&self) -> FakeServer<AteraSettings> {
        mock::start_with_token().await
    }

    fn client(
        &self,
        fake: &FakeServer<AteraSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        Ok(Box::new(client(fake, retry)?))
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
            (Operation::Companies, "FromLastModifiedDate"),
            (Operation::Contacts, "FromLastModifiedDate"),
            (Operation::Tickets, "date"),
        ]
    }

    /// Atera publishes no number; the crate's documented default.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(default_rate_limit())
    }

    async fn default_transport(&self, fake: &FakeServer<AteraSettings>) -> Option<Http> {
        AteraClient::from_settings(&fake.settings)
            .ok()
            .map(|c| c.http().clone())
    }
}

#[tokio::test]
async fn rmm_suite() {
    rmm_conformance(&Rmm).await;
}

#[tokio::test]
async fn psa_suite() {
    psa_conformance(&Psa).await;
}

#[tokio::test]
async fn atera_rmm_survives_hostile_servers() {
    rmm_hostile(&Rmm).await;
}

#[tokio::test]
async fn atera_psa_survives_hostile_servers() {
    psa_hostile(&Psa).await;
}
