//! The PSA conformance suite against the fake Unleashed API.

use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{ErrorKind, Operation, PsaClient, Result};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance, psa_hostile, received};
use mspkit_unleashed::{UnleashedClient, UnleashedClientBuilder, UnleashedSettings};

struct Unleashed;

#[mspkit_core::async_trait]
impl PsaHarness for Unleashed {
    type Settings = UnleashedSettings;

    async fn start(&self) -> FakeServer<UnleashedSettings> {
        mspkit_unleashed::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<UnleashedSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        // No client-side budget against a local server: the suite makes many calls.
        let client: UnleashedClient = UnleashedClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .rate_limit(None)
            .build()?;
        Ok(Box::new(client))
    }

    /// `modifiedSince` on `/Customers`; contacts filter client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![Operation::Companies]
    }

    /// `modifiedSince=yyyy-mm-dd` (UTC).
    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        vec![(Operation::Companies, "modifiedSince")]
    }

    /// Unleashed publishes no figure (it depends on the plan): the client
    /// keeps to a conservative default.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(mspkit_unleashed::default_rate_limit())
    }

    async fn default_transport(&self, fake: &FakeServer<UnleashedSettings>) -> Option<Http> {
        UnleashedClient::from_settings(&fake.settings)
            .ok()
            .map(|c| c.http().clone())
    }
}

#[tokio::test]
async fn unleashed_passes_psa_conformance() {
    psa_conformance(&Unleashed).await;
}

#[tokio::test]
async fn unleashed_survives_hostile_servers() {
    psa_hostile(&Unleashed).await;
}

#[tokio::test]
async fn the_fake_server_checks_signatures_and_pages_the_extra_lists() {
    use futures::TryStreamExt;
    use mspkit_core::{Id, ListQuery};

    let fake = mspkit_unleashed::mock::start().await;
    let mut wrong = fake.settings.clone();
    wrong.api_key = "not-the-key".into();
    let r = UnleashedClient::from_settings(&wrong)
        .unwrap()
        .test_connection()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Forbidden),
        "{r:?}"
    );

    let c = UnleashedClientBuilder::from_settings(&fake.settings)
        .rate_limit(None)
        .build()
        .unwrap();
    let orders: Vec<_> = c
        .sales_orders(ListQuery::new().page_size(15))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orders.len(), 45);
    let pages = received(&fake.server)
        .await
        .iter()
        .filter(|r| r.url.path().starts_with("/SalesOrders/"))
        .count();
    assert_eq!(pages, 3);
    let one = c
        .sales_order(&Id::from(orders[4].guid.as_str()))
        .await
        .unwrap();
    assert_eq!(one, orders[4]);
    let products: Vec<_> = c.products(ListQuery::new()).try_collect().await.unwrap();
    let stock: Vec<_> = c
        .stock_on_hand(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!((products.len(), stock.len()), (8, 8));
    let contacts: Vec<_> = c
        .contacts(ListQuery::new().company(fake.expected.company_id.clone().unwrap()))
        .try_collect()
        .await
        .unwrap();
    assert!(!contacts.is_empty());
}
