//! [`NinjaOneClient`] and its [`RmmClient`] implementation.

use mspkit_core::http::{Http, encode_segment};
use mspkit_core::paging::{Pager, changed_since};
use mspkit_core::{
    Alert, AlertQuery, Capabilities, Device, DeviceQuery, Error, ErrorKind, Id, ItemStream,
    ListQuery, Operation, Organization, Provider, Result, RmmClient, Site, Software, async_trait,
};

use crate::api;
use crate::builder::NinjaOneClientBuilder;
use crate::map;
use crate::paging::{ListRequest, keyset, single};
use crate::settings::NinjaOneSettings;

const P: Provider = Provider::NinjaOne;

/// A NinjaOne (Public API v2) client: organizations, locations as sites,
/// devices, active alerts and installed software, through [`RmmClient`].
///
/// Cheap to clone: clones share the connection pool, the OAuth2 token and
/// any rate limiter.
#[derive(Clone, Debug)]
pub struct NinjaOneClient {
    http: Http,
    keep_raw: bool,
}

impl NinjaOneClient {
    /// A builder; see [`NinjaOneClientBuilder`].
    pub fn builder() -> NinjaOneClientBuilder {
        NinjaOneClientBuilder::new()
    }

    /// A client for stored settings, checked before any request.
    pub fn from_settings(settings: &NinjaOneSettings) -> Result<Self> {
        NinjaOneClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies.
    pub fn from_settings_with(
        settings: &NinjaOneSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        NinjaOneClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure))
            .build()
    }

    pub(crate) fn new(http: Http, keep_raw: bool) -> Self {
        NinjaOneClient { http, keep_raw }
    }

    /// The authenticated transport, rooted at the instance (paths start with
    /// `v2/`), for endpoints the normalized model does not cover.
    pub fn http(&self) -> &Http {
        &self.http
    }

    fn list(&self, op: Operation, path: impl Into<String>) -> ListRequest {
        ListRequest::new(&self.http, op.as_str(), path).keep_raw(self.keep_raw)
    }
}

/// A `df` device filter on an organization. The id goes into an expression,
/// so anything but an integer is refused rather than sent.
fn org_filter(op: Operation, id: &Id) -> Result<String> {
    match id.as_str().trim().parse::<i64>() {
        Ok(n) => Ok(format!("org = {n}")),
        Err(_) => Err(Error::new(P, op.as_str(), ErrorKind::Config)
            .with_target(id.as_str())
            .with_message(format!(
                "organization id {id:?} is not a NinjaOne id (ids are integers)"
            ))),
    }
}

#[async_trait]
impl RmmClient for NinjaOneClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_rmm()
    }

    async fn test_connection(&self) -> Result<()> {
        self.http
            .get("test_connection", "v2/organizations")
            .query(&[("pageSize", "1")])
            .send()
            .await
            .map(|_| ())
    }

    /// `GET /v2/organizations`, keyset-paged. Organizations carry no
    /// timestamps, so `updated_since` keeps them all.
    fn organizations(&self, q: ListQuery) -> ItemStream<'_, Organization> {
        let op = Operation::Organizations;
        keyset(
            self.list(op, "v2/organizations"),
            q.page_size,
            Pager::new(P, op.as_str()).limit(q.limit),
            |o: api::Organization, raw| Some(map::organization(o, raw)),
        )
    }

    /// `GET /v2/locations` (keyset-paged), or `GET
    /// /v2/organization/{id}/locations` for one organization. Locations carry
    /// no timestamps, so `updated_since` keeps them all.
    fn sites(&self, q: ListQuery) -> ItemStream<'_, Site> {
        let op = Operation::Sites;
        let pager = Pager::new(P, op.as_str()).limit(q.limit);
        match q.parent_id {
            Some(org) => {
                let path = format!("v2/organization/{}/locations", encode_segment(org.as_str()));
                single(self.list(op, path), pager, move |l: api::Location, raw| {
                    Some(map::site(l, Some(&org), raw))
                })
            }
            None => keyset(
                self.list(op, "v2/locations"),
                q.page_size,
                pager,
                |l: api::Location, raw| Some(map::site(l, None, raw)),
            ),
        }
    }

    /// `GET /v2/devices-detailed`, keyset-paged; the organization becomes
    /// `df=org = {id}`. The site and `updated_since` (the later of
    /// `lastUpdate` and `lastContact`) are filtered client-side: the API has
    /// no change-time filter.
    fn devices(&self, q: DeviceQuery) -> ItemStream<'_, Device> {
        let op = Operation::Devices;
        let mut list = self.list(op, "v2/devices-detailed");
        if let Some(org) = &q.organization_id {
            match org_filter(op, org) {
                Ok(df) => list = list.query("df", df),
                Err(e) => return mspkit_core::error_stream(e),
            }
        }
        let (site, since) = (q.site_id, q.updated_since);
        keyset(
            list,
            q.page_size,
            Pager::new(P, op.as_str()).limit(q.limit),
            move |d: api::Device, raw| {
                let in_site = site.is_none() || d.location_id.map(Id::from) == site;
                let changed = changed_since(map::device_changed_at(&d), since);
                (in_site && changed).then(|| map::device(d, raw))
            },
        )
    }

    /// `GET /v2/device/{id}`: the agent blocks (OS, hardware, last user) are
    /// present for agent devices.
    async fn device(&self, id: &Id) -> Result<Device> {
        let op = Operation::Device.as_str();
        let resp = self
            .http
            .get(op, &format!("v2/device/{}", encode_segment(id.as_str())))
            .target(id.as_str())
            .send()
            .await?;
        let device: api::Device = resp.json()?;
        let raw = if self.keep_raw {
            Some(resp.json()?)
        } else {
            None
        };
        Ok(map::device(device, raw))
    }

    /// `GET /v2/alerts` (with `df=org = {id}` for an organization), or `GET
    /// /v2/device/{id}/alerts` for one device: active conditions only, in one
    /// unpaged response. NinjaOne keeps no resolved alerts on these lists, so
    /// `include_resolved` changes nothing; `updated_since` (`updateTime`) is
    /// filtered client-side.
    fn alerts(&self, q: AlertQuery) -> ItemStream<'_, Alert> {
        let op = Operation::Alerts;
        let list = match (&q.device_id, &q.organization_id) {
            (Some(device), _) => self.list(
                op,
                format!("v2/device/{}/alerts", encode_segment(device.as_str())),
            ),
            (None, Some(org)) => match org_filter(op, org) {
                Ok(df) => self.list(op, "v2/alerts").query("df", df),
                Err(e) => return mspkit_core::error_stream(e),
            },
            (None, None) => self.list(op, "v2/alerts"),
        };
        // The device path takes no `df`: there the organization is checked
        // on each alert's embedded device.
        let org = match q.device_id {
            Some(_) => q.organization_id,
            None => None,
        };
        let since = q.updated_since;
        single(
            list,
            Pager::new(P, op.as_str()).limit(q.limit),
            move |a: api::Alert, raw| {
                if !changed_since(map::alert_changed_at(&a), since) {
                    return None;
                }
                let alert = map::alert(a, raw);
                let in_org = match (&org, &alert.organization_id) {
                    (Some(want), Some(got)) => want == got,
                    _ => true,
                };
                in_org.then_some(alert)
            },
        )
    }

    /// `GET /v2/device/{id}/software`, unpaged.
    fn software(&self, device: &Id) -> ItemStream<'_, Software> {
        let op = Operation::Software;
        let path = format!("v2/device/{}/software", encode_segment(device.as_str()));
        let device = device.clone();
        single(
            self.list(op, path),
            Pager::new(P, op.as_str()),
            move |s: api::Application, raw| Some(map::software(&device, s, raw)),
        )
    }
}
