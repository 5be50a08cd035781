//! The RMM conformance suite against the fake NinjaOne instance.

use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{ErrorKind, Operation, Result, RmmClient};
use mspkit_ninja::{NinjaOneClient, NinjaOneClientBuilder, NinjaOneSettings};
use mspkit_testkit::{FakeServer, RmmHarness, rmm_conformance, rmm_hostile};

struct Ninja;

#[mspkit_core::async_trait]
impl RmmHarness for Ninja {
    type Settings = NinjaOneSettings;

    async fn start(&self) -> FakeServer<NinjaOneSettings> {
        mspkit_ninja::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<NinjaOneSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>> {
        let client: NinjaOneClient = NinjaOneClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    /// NinjaOne has no change-time filter on any list: devices and alerts
    /// filter client-side, organizations and locations carry no timestamps.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        Vec::new()
    }

    /// NinjaOne publishes no request budget: no client-side limiter.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        None
    }

    async fn default_transport(&self, fake: &FakeServer<NinjaOneSettings>) -> Option<Http> {
        let client = NinjaOneClient::from_settings(&fake.settings).ok()?;
        Some(client.http().clone())
    }

    /// Active alerts come in one unpaged answer.
    fn unpaged(&self) -> Vec<Operation> {
        vec![Operation::Alerts]
    }
}

#[tokio::test]
async fn ninja_passes_rmm_conformance() {
    rmm_conformance(&Ninja).await;
}

/// The fake server checks credentials as NinjaOne does and honours the
/// organization filter, so tests against it mean something.
#[tokio::test]
async fn the_fake_server_checks_credentials_and_filters() {
    use futures::TryStreamExt;
    use mspkit_core::{AlertQuery, DeviceQuery, ListQuery};

    let fake = mspkit_ninja::mock::start().await;
    let wrong = NinjaOneClient::builder()
        .base_url(fake.uri())
        .client_id(mspkit_ninja::mock::CLIENT_ID)
        .client_secret("not-the-secret")
        .allow_insecure_http()
        .build()
        .unwrap();
    let r = wrong.test_connection().await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized),
        "{r:?}"
    );

    let c = NinjaOneClient::from_settings(&fake.settings).unwrap();
    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let all: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    let mut by_org = 0;
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
        by_org += devices.len();
    }
    assert_eq!(by_org, all.len(), "every device is in one organization");
    let acme: Vec<_> = c
        .alerts(AlertQuery::new().organization("2"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(acme.len(), 2);
    let missing = c.device(&mspkit_core::Id::from("999999")).await;
    assert!(
        matches!(&missing, Err(e) if e.kind() == ErrorKind::NotFound && e.message() == Some("Device not found")),
        "{missing:?}"
    );
}

/// The fake holds every device shape; a VMware host keeps its hardware.
#[tokio::test]
async fn the_fake_server_serves_every_device_shape() {
    use futures::TryStreamExt;
    use mspkit_core::{DeviceQuery, DeviceType, Id};

    let fake = mspkit_ninja::mock::start().await;
    let c = NinjaOneClient::from_settings(&fake.settings).unwrap();
    let host = c.device(&Id::from("240")).await.unwrap();
    assert_eq!(host.device_type, DeviceType::Server);
    assert_eq!(host.manufacturer.as_deref(), Some("Dell Inc."));
    assert_eq!(host.model.as_deref(), Some("PowerEdge R750"));
    assert_eq!(host.serial_number.as_deref(), Some("7H2K9M3"));
    assert_eq!(host.os_name.as_deref(), Some("VMware ESXi 7.0.3"));
    let all: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    let listed = all.iter().find(|d| d.id == host.id).unwrap();
    assert_eq!(*listed, host, "the list maps it as device(id) does");
    let guests: Vec<_> = all
        .iter()
        .filter(|d| d.device_type == DeviceType::VirtualMachine)
        .collect();
    assert!(!guests.is_empty());
    assert!(
        guests
            .iter()
            .all(|g| g.os_name.is_some() && g.manufacturer.is_none())
    );
}

#[tokio::test]
async fn ninja_survives_hostile_servers() {
    rmm_hostile(&Ninja).await;
}
