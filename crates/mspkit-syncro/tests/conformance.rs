//! The PSA and RMM conformance suites against the fake Syncro account: one
//! client serves both.

use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{ClientOptions, Operation, PsaClient, Result, RmmClient};
use mspkit_syncro::{SyncroClient, SyncroClientBuilder, SyncroSettings};
use mspkit_testkit::{
    FakeServer, PsaHarness, RmmHarness, psa_conformance, psa_hostile, rmm_conformance, rmm_hostile,
};

struct Syncro;

fn client(fake: &FakeServer<SyncroSettings>, retry: RetryPolicy) -> Result<SyncroClient> {
    SyncroClientBuilder::from_settings(&fake.settings)
        .retry_policy(retry)
        .build()
}

fn default_transport(fake: &FakeServer<SyncroSettings>) -> Option<Http> {
    let options = ClientOptions::new().allow_insecure_http(true);
    SyncroClient::from_settings_with(&fake.settings, options)
        .ok()
        .map(|c| c.http().clone())
}

#[mspkit_core::async_trait]
impl PsaHarness for Syncro {
    type Settings = SyncroSettings;

    async fn start(&self) -> FakeServer<SyncroSettings> {
        mspkit_syncro::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<SyncroSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        Ok(Box::new(client(fake, retry)?))
    }

    /// Only tickets have a change filter (`since_updated_at`); customers,
    /// contacts and contracts filter client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![Operation::Tickets]
    }

    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        vec![(Operation::Tickets, "since_updated_at")]
    }

    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(RateLimit::per_minute(180))
    }

    async fn default_transport(&self, fake: &FakeServer<SyncroSettings>) -> Option<Http> {
        default_transport(fake)
    }
}

#[mspkit_core::async_trait]
impl RmmHarness for Syncro {
    type Settings = SyncroSettings;

    async fn start(&self) -> FakeServer<SyncroSettings> {
        mspkit_syncro::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<SyncroSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>> {
        Ok(Box::new(client(fake, retry)?))
    }

    /// Customers, assets and alerts have no change filter: all client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        Vec::new()
    }

    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(RateLimit::per_minute(180))
    }

    async fn default_transport(&self, fake: &FakeServer<SyncroSettings>) -> Option<Http> {
        default_transport(fake)
    }
}

#[tokio::test]
async fn syncro_passes_psa_conformance() {
    psa_conformance(&Syncro).await;
}

#[tokio::test]
async fn syncro_passes_rmm_conformance() {
    rmm_conformance(&Syncro).await;
}

#[tokio::test]
async fn syncro_survives_a_hostile_server_as_a_psa() {
    psa_hostile(&Syncro).await;
}

#[tokio::test]
async fn syncro_survives_a_hostile_server_as_an_rmm() {
    rmm_hostile(&Syncro).await;
}
