//! The testkit's RMM conformance and hostile-server suites against the fake
//! Automate server, and checks that the fake itself behaves like Automate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::TryStreamExt;
use mspkit_automate::{AutomateClient, AutomateClientBuilder, AutomateSettings, mock};
use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{
    AlertQuery, DeviceQuery, ErrorKind, Id, ListQuery, Operation, Result, RmmClient,
};
use mspkit_testkit::{FakeServer, RmmHarness, received, rmm_conformance, rmm_hostile};

struct Automate;

#[mspkit_core::async_trait]
impl RmmHarness for Automate {
    type Settings = AutomateSettings;

    async fn start(&self) -> FakeServer<AutomateSettings> {
        mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<AutomateSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>> {
        let client = AutomateClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    /// Computers are filtered by a `condition` on the agent's last contact
    /// and inventory; clients and locations carry no timestamps; alerts
    /// are compared with `AlertDate` client-side.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![Operation::Devices]
    }

    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        vec![(Operation::Devices, "condition")]
    }

    /// No published limit: the conservative default the docs page states.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(mspkit_automate::default_rate_limit())
    }

    async fn default_transport(&self, fake: &FakeServer<AutomateSettings>) -> Option<Http> {
        let client = AutomateClient::from_settings(&fake.settings).ok()?;
        Some(client.http().clone())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automate_passes_rmm_conformance() {
    rmm_conformance(&Automate).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automate_survives_hostile_servers() {
    rmm_hostile(&Automate).await;
}

/// The fake server checks the ClientId and the credentials as Automate
/// does, and filters by the client's conditions, so tests against it mean
/// something.
#[tokio::test]
async fn the_fake_server_checks_credentials_and_filters() {
    let fake = mock::start().await;
    let with = |user: &str, password: &str, client_id: &str| {
        AutomateClient::builder()
            .server(fake.uri())
            .username(user)
            .password(password)
            .client_id(client_id)
            .allow_insecure_http()
            .build()
            .unwrap()
    };
    let r = with(mock::USERNAME, "not-the-password", mock::CLIENT_ID)
        .test_connection()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized),
        "{r:?}"
    );
    let other_integrator = "00000000-0000-4000-8000-000000000000";
    let r = with(mock::USERNAME, mock::PASSWORD, other_integrator)
        .test_connection()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized && e.to_string().contains("ClientId")),
        "{r:?}"
    );

    let c = AutomateClient::from_settings(&fake.settings).unwrap();
    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let all: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    let (mut devices_by_org, mut sites_by_org) = (0, 0);
    for org in &orgs {
        let devices: Vec<_> = c
            .devices(DeviceQuery::new().organization(org.id.clone()))
            .try_collect()
            .await
            .unwrap();
        assert!(
            devices
                .iter()
                .all(|d| d.organization_id.as_ref() == Some(&org.id))
        );
        let sites: Vec<_> = c
            .sites(ListQuery::new().organization(org.id.clone()))
            .try_collect()
            .await
            .unwrap();
        assert!(!sites.is_empty(), "{} has locations", org.name);
        assert!(
            sites
                .iter()
                .all(|s| s.organization_id.as_ref() == Some(&org.id))
        );
        devices_by_org += devices.len();
        sites_by_org += sites.len();
    }
    assert_eq!(
        devices_by_org,
        all.len(),
        "every device is in one organization"
    );
    assert_eq!(Some(sites_by_org), fake.expected.sites);

    let main_office: Vec<_> = c
        .devices(DeviceQuery::new().site("3"))
        .try_collect()
        .await
        .unwrap();
    assert!(!main_office.is_empty());
    assert!(main_office.iter().all(|d| d.site_id == Some(Id::from("3"))));
    let since = mspkit_testkit::probe_instant();
    let recent: Vec<_> = c
        .devices(DeviceQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!recent.is_empty() && recent.len() < all.len());
    assert!(recent.iter().all(|d| d.last_seen.unwrap() >= since));

    let acme: Vec<_> = c
        .alerts(AlertQuery::new().organization("1"))
        .try_collect()
        .await
        .unwrap();
    assert!(!acme.is_empty());
    assert!(
        acme.iter()
            .all(|a| a.organization_id == Some(Id::from("1")))
    );
    let one = &acme[0];
    let of_device: Vec<_> = c
        .alerts(AlertQuery::new().device(one.device_id.clone().unwrap()))
        .try_collect()
        .await
        .unwrap();
    assert!(of_device.iter().any(|a| a.id == one.id));

    let missing = c.device(&Id::from("999999")).await;
    assert!(
        matches!(&missing, Err(e) if e.kind() == ErrorKind::NotFound && e.target() == Some("999999")),
        "{missing:?}"
    );
}

/// A two-factor account: refused with a clear message without a passcode,
/// signed in with one.
#[tokio::test]
async fn two_factor_accounts_need_their_passcode() {
    let fake = mock::start().await;
    let builder = || {
        AutomateClient::builder()
            .server(fake.uri())
            .username(mock::TWO_FACTOR_USERNAME)
            .password(mock::PASSWORD)
            .client_id(mock::CLIENT_ID)
            .allow_insecure_http()
    };
    let r = builder().build().unwrap().test_connection().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    assert!(e.to_string().contains("two-factor passcode"), "{e}");
    builder()
        .two_factor_passcode("246 810")
        .build()
        .unwrap()
        .test_connection()
        .await
        .unwrap();
}

/// Tokens that run out during a walk are renewed with `apitoken/refresh`,
/// not with the credentials again, and the list arrives whole.
#[tokio::test]
async fn tokens_running_out_mid_walk_are_refreshed() {
    let fake = mock::start().await;
    let c = AutomateClient::from_settings(&fake.settings).unwrap();
    c.test_connection().await.unwrap();
    fake.tokens.as_ref().unwrap().expire_after_uses(2);
    let devices: Vec<_> = c
        .devices(DeviceQuery::new().page_size(6))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(Some(devices.len()), fake.expected.devices);
    let requests = received(&fake.server).await;
    let count = |p: &str| requests.iter().filter(|r| r.url.path() == p).count();
    assert_eq!(count("/cwa/api/v1/apitoken"), 1, "one sign-in");
    assert!(
        count("/cwa/api/v1/apitoken/refresh") >= 3,
        "renewed by refresh"
    );
}
