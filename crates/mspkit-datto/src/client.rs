//! The Datto RMM client and its [`RmmClient`] implementation.

use futures::stream::{self, StreamExt};
use mspkit_core::http::{Http, encode_segment};
use mspkit_core::paging::{Pager, changed_since};
use mspkit_core::{
    AlertQuery, Capabilities, Device, DeviceQuery, ErrorKind, Id, ItemStream, ListQuery, Operation,
    Organization, Provider, Result, RmmClient, Site, Software, async_trait,
};

use crate::api::{self, AlertsPage, DevicesPage, SitesPage, SoftwarePage};
use crate::builder::DattoClientBuilder;
use crate::map;
use crate::paging::{max_param, raw_body, walk};
use crate::settings::DattoSettings;

const P: Provider = Provider::Datto;

/// A Datto RMM client: sites (as organizations and as sites), devices,
/// alerts and audited software through [`RmmClient`].
///
/// Cheap to clone: clones share the connection pool, the token and the rate
/// limiter.
#[derive(Clone, Debug)]
pub struct DattoClient {
    http: Http,
    keep_raw: bool,
}

impl DattoClient {
    /// A builder.
    pub fn builder() -> DattoClientBuilder {
        DattoClientBuilder::new()
    }

    /// A client for stored settings (the body of `mspkit::Config`'s `datto` variant).
    pub fn from_settings(s: &DattoSettings) -> Result<Self> {
        DattoClientBuilder::from_settings(s).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies.
    pub fn from_settings_with(
        s: &DattoSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || s.allow_insecure_http;
        DattoClientBuilder::from_settings(s)
            .options(options.allow_insecure_http(insecure))
            .build()
    }

    pub(crate) fn new(http: Http, keep_raw: bool) -> Self {
        DattoClient { http, keep_raw }
    }

    /// The authenticated transport (rooted at `{origin}/api/`), for endpoints
    /// the normalized model does not cover; paths start with `v2/`.
    pub fn http(&self) -> &Http {
        &self.http
    }

    fn sites_walk<T, F>(&self, q: &ListQuery, op: Operation, map: F) -> ItemStream<'static, T>
    where
        T: Send + 'static,
        F: Fn(api::Site, Option<serde_json::Value>) -> T + Send + Sync + 'static,
    {
        let first = self
            .http
            .get(op.as_str(), "v2/account/sites")
            .query_opt("max", max_param(q.page_size));
        walk::<SitesPage, _, _>(
            Pager::new(P, op.as_str()).limit(q.limit),
            &self.http,
            op.as_str(),
            first,
            self.keep_raw,
            map,
        )
    }

    /// Open alerts at `base` (`v2/account/alerts`, a site's or a device's),
    /// followed by the resolved ones when asked.
    fn alerts_at(&self, base: String, q: &AlertQuery) -> ItemStream<'static, mspkit_core::Alert> {
        let op = Operation::Alerts.as_str();
        let since = q.updated_since;
        let org = q.organization_id.clone();
        let pager = |org: Option<Id>| {
            Pager::new(P, op)
                .limit(q.limit)
                .filter(move |a: &mspkit_core::Alert| {
                    let changed = a.resolved_at.max(a.created_at);
                    changed_since(changed, since)
                        && org
                            .as_ref()
                            .is_none_or(|o| a.organization_id.as_ref() == Some(o))
                })
        };
        let request = |state: &str| {
            self.http
                .get(op, &format!("{base}/{state}"))
                .query_opt("max", max_param(q.page_size))
        };
        let open = walk::<AlertsPage, _, _>(
            pager(org.clone()),
            &self.http,
            op,
            request("open"),
            self.keep_raw,
            map::alert,
        );
        if !q.include_resolved {
            return open;
        }
        let (http, keep_raw, resolved_pager) = (self.http.clone(), self.keep_raw, pager(org));
        let resolved_first = request("resolved");
        // Started only once the open alerts are through, so a limit met among
        // them costs no request for resolved ones.
        let resolved = stream::once(async move {
            walk::<AlertsPage, _, _>(
                resolved_pager,
                &http,
                op,
                resolved_first,
                keep_raw,
                map::alert,
            )
        })
        .flatten();
        let all = open.chain(resolved);
        match q.limit {
            Some(n) => all.take(n).boxed(),
            None => all.boxed(),
        }
    }
}

#[async_trait]
impl RmmClient for DattoClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_rmm()
    }

    /// `GET /v2/account`: one read, authenticated.
    async fn test_connection(&self) -> Result<()> {
        self.http
            .get("test_connection", "v2/account")
            .send_json::<api::Account>()
            .await
            .map(|_| ())
    }

    /// Every site (Datto has no level above the site, so each site is one
    /// organization). Sites carry no timestamps: `updated_since` filters
    /// nothing out.
    fn organizations(&self, q: ListQuery) -> ItemStream<'_, Organization> {
        let since = q.updated_since;
        let stream = self.sites_walk(&q, Operation::Organizations, map::organization);
        stream
            .filter(move |r| {
                let keep = r
                    .as_ref()
                    .map_or(true, |o| changed_since(o.updated_at, since));
                async move { keep }
            })
            .boxed()
    }

    /// Every site, each its own organization; `parent_id` (an organization,
    /// i.e. a site uid) gives that one site.
    fn sites(&self, q: ListQuery) -> ItemStream<'_, Site> {
        let Some(uid) = q.parent_id.clone() else {
            return self.sites_walk(&q, Operation::Sites, map::site);
        };
        let keep_raw = self.keep_raw;
        stream::once(async move {
            let path = format!("v2/site/{}", encode_segment(uid.as_str()));
            let op = Operation::Sites.as_str();
            match self.http.get(op, &path).send().await {
                Ok(resp) => {
                    let site: api::Site = resp.json()?;
                    Ok(Some(map::site(site, raw_body(&resp, keep_raw))))
                }
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        })
        .filter_map(|r: Result<Option<Site>>| async move { r.transpose() })
        .boxed()
    }

    /// `GET /v2/account/devices`, or `GET /v2/site/{uid}/devices` for one
    /// site or organization. `updated_since` is client-side, on `lastSeen`.
    fn devices(&self, q: DeviceQuery) -> ItemStream<'_, Device> {
        let op = Operation::Devices.as_str();
        let site = match (&q.site_id, &q.organization_id) {
            // An organization is a site: two different ones share no device.
            (Some(s), Some(o)) if s != o => return stream::empty().boxed(),
            (Some(s), _) | (None, Some(s)) => Some(s.clone()),
            (None, None) => None,
        };
        let path = match &site {
            Some(uid) => format!("v2/site/{}/devices", encode_segment(uid.as_str())),
            None => "v2/account/devices".to_owned(),
        };
        let first = self
            .http
            .get(op, &path)
            .query_opt("max", max_param(q.page_size));
        let since = q.updated_since;
        let pager = Pager::new(P, op)
            .limit(q.limit)
            .filter(move |d: &Device| changed_since(d.last_seen, since));
        walk::<DevicesPage, _, _>(pager, &self.http, op, first, self.keep_raw, map::device)
    }

    /// `GET /v2/device/{uid}`, completed from `GET /v2/audit/device/{uid}`
    /// (serial number, manufacturer, model, MAC addresses) for devices of
    /// class `device`; other classes have no such audit.
    async fn device(&self, id: &Id) -> Result<Device> {
        let op = Operation::Device.as_str();
        let uid = encode_segment(id.as_str());
        let resp = self
            .http
            .get(op, &format!("v2/device/{uid}"))
            .target(id.as_str())
            .send()
            .await?;
        let record: api::Device = resp.json()?;
        let audited = record
            .device_class
            .as_deref()
            .is_none_or(|c| c.eq_ignore_ascii_case("device"));
        let device = map::device(record, raw_body(&resp, self.keep_raw));
        if !audited {
            return Ok(device);
        }
        match self
            .http
            .get(op, &format!("v2/audit/device/{uid}"))
            .send_json::<api::DeviceAudit>()
            .await
        {
            Ok(audit) => Ok(map::with_audit(device, audit)),
            // No audit yet (a new device) or not auditable: the record stands alone.
            Err(e)
                if e.kind() == ErrorKind::NotFound
                    || (e.kind() == ErrorKind::Api && e.status() == Some(400)) =>
            {
                Ok(device)
            }
            Err(e) => Err(e),
        }
    }

    /// Open alerts (`/alerts/open`) of the account, a site or a device, then
    /// resolved ones (`/alerts/resolved`) when the query includes them.
    /// `updated_since` is client-side (raised or resolved since).
    fn alerts(&self, q: AlertQuery) -> ItemStream<'_, mspkit_core::Alert> {
        let base = match (&q.device_id, &q.organization_id) {
            (Some(d), _) => format!("v2/device/{}/alerts", encode_segment(d.as_str())),
            (None, Some(o)) => format!("v2/site/{}/alerts", encode_segment(o.as_str())),
            (None, None) => "v2/account/alerts".to_owned(),
        };
        self.alerts_at(base, &q)
    }

    /// `GET /v2/audit/device/{uid}/software`: name and version only.
    fn software(&self, device: &Id) -> ItemStream<'_, Software> {
        let op = Operation::Software.as_str();
        let path = format!(
            "v2/audit/device/{}/software",
            encode_segment(device.as_str())
        );
        let first = self.http.get(op, &path);
        let device = device.clone();
        walk::<SoftwarePage, _, _>(
            Pager::new(P, op),
            &self.http,
            op,
            first,
            self.keep_raw,
            move |s, raw| map::software(&device, s, raw),
        )
    }
}
