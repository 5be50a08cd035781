//! [`NinjaOneClient`] and its [`RmmClient`] implementation.

use mspkit_core::http::{Http, encode_segment};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Alert, AlertQuery, Capabilities, Device, DeviceQuery, Error, ErrorKind, Id, ItemStream,
    ListQuery, Operation, Organization, Provider, Result, RmmClient, Site, Software, async_trait,
};
use serde_json::Value;

use crate::api;
use crate::builder::NinjaOneClientBuilder;
use crate::map;
use crate::settings::NinjaOneSettings;

const P: Provider = Provider::NinjaOne;

/// NinjaOne's keyset paging: `pageSize` items after `after` = the last id of
/// the previous page, ending on an empty page (a short page proves nothing:
/// the platform's maximum is not published). 1000 a page unless asked.
fn keyset() -> Paging {
    Paging::keyset("after", "id")
        .size_param("pageSize")
        .max_size(1000)
}

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
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &NinjaOneSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        NinjaOneClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
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
        ListRequest::get(op.as_str(), path).keep_raw(self.keep_raw)
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

/// A page mapping that first drops what `keep` refuses: the client-side
/// part of a filter that needs a field the normalized model lacks.
fn keep_then<A, T>(
    keep: impl Fn(&A) -> bool + Send + Sync + 'static,
    map: impl Fn(A, Option<Value>) -> T + Send + Sync + 'static,
) -> impl Fn(Vec<Item<A>>) -> std::future::Ready<Result<Vec<T>>> + Send + Sync + 'static {
    move |items| {
        std::future::ready(Ok(items
            .into_iter()
            .filter(|i| keep(&i.value))
            .map(|i| map(i.value, i.raw))
            .collect()))
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
            .send_probe()
            .await
    }

    /// `GET /v2/organizations`, keyset-paged. Organizations carry no
    /// timestamps, so `updated_since` keeps them all.
    fn organizations(&self, q: ListQuery) -> ItemStream<'_, Organization> {
        self.list(Operation::Organizations, "v2/organizations")
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, keyset())
            .map(map::organization)
    }

    /// `GET /v2/locations` (keyset-paged), or `GET
    /// /v2/organization/{id}/locations` (unpaged) for one organization.
    /// Locations carry no timestamps, so `updated_since` keeps them all.
    fn sites(&self, q: ListQuery) -> ItemStream<'_, Site> {
        let op = Operation::Sites;
        match q.parent_id {
            Some(org) => {
                let path = format!("v2/organization/{}/locations", encode_segment(org.as_str()));
                self.list(op, path)
                    .limit(q.limit)
                    .walk(&self.http, Paging::single())
                    .map(move |l: api::Location, raw| map::site(l, Some(&org), raw))
            }
            None => self
                .list(op, "v2/locations")
                .page_size(q.page_size)
                .limit(q.limit)
                .walk(&self.http, keyset())
                .map(|l: api::Location, raw| map::site(l, None, raw)),
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
        let keep = move |d: &api::Device| {
            let in_site = site.is_none() || d.location_id.map(Id::from) == site;
            in_site && changed_since(map::device_changed_at(d), since)
        };
        list.page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, keyset())
            .map_pages(keep_then(keep, map::device))
    }

    /// `GET /v2/device/{id}`.
    async fn device(&self, id: &Id) -> Result<Device> {
        let op = Operation::Device.as_str();
        let resp = self
            .http
            .get(op, &format!("v2/device/{}", encode_segment(id.as_str())))
            .target(id.as_str())
            .send()
            .await?;
        let (device, raw) = resp.json_with_raw(self.keep_raw)?;
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
        let org = q.device_id.and(q.organization_id);
        let since = q.updated_since;
        let keep = move |a: &api::Alert| {
            let in_org = match (&org, a.device.as_ref().and_then(|d| d.organization_id)) {
                (Some(want), Some(got)) => *want == Id::from(got),
                _ => true,
            };
            in_org && changed_since(map::alert_changed_at(a), since)
        };
        list.limit(q.limit)
            .walk(&self.http, Paging::single())
            .map_pages(keep_then(keep, map::alert))
    }

    /// `GET /v2/device/{id}/software`, unpaged.
    fn software(&self, device: &Id) -> ItemStream<'_, Software> {
        let path = format!("v2/device/{}/software", encode_segment(device.as_str()));
        let device = device.clone();
        self.list(Operation::Software, path)
            .walk(&self.http, Paging::single())
            .map(move |s: api::Application, raw| map::software(&device, s, raw))
    }
}
