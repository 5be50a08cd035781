//! The Datto RMM client and its [`RmmClient`] implementation.

use futures::stream::{self, StreamExt};
use mspkit_core::http::{Http, encode_segment};
use mspkit_core::list::{ListRequest, Paging};
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Alert, AlertQuery, Capabilities, Device, DeviceQuery, ErrorKind, Id, ItemStream, ListQuery,
    Operation, Organization, Provider, Result, RmmClient, Site, Software, async_trait,
};

use crate::api;
use crate::builder::DattoClientBuilder;
use crate::map;
use crate::settings::DattoSettings;

const P: Provider = Provider::Datto;

/// Datto's paging: every later page is `pageDetails.nextPageUrl`, followed
/// verbatim until it is `null`; `pageDetails.totalCount` is checked at the
/// end. The first request asks for `max` only when the query names a page
/// size (Datto's default is its maximum, 250; 100 is assumed for alerts).
fn next_url(max_size: u32) -> Paging {
    Paging::next_url("/pageDetails/nextPageUrl")
        .total_items("/pageDetails/totalCount")
        .max_size(max_size)
}

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
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        s: &DattoSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || s.allow_insecure_http;
        DattoClientBuilder::from_settings(s)
            .options(
                options
                    .allow_insecure_http(insecure)
                    .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs),
            )
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

    /// The list at `path`, its items under `key`, `max` when asked for.
    fn list(
        &self,
        op: Operation,
        path: impl Into<String>,
        key: &'static str,
        page_size: Option<u32>,
    ) -> ListRequest {
        ListRequest::get(op.as_str(), path)
            .items_at(key)
            .query_opt("max", page_size.map(|n| n.max(1).to_string()))
            .page_size(page_size)
            .keep_raw(self.keep_raw)
    }

    fn sites_list(&self, op: Operation, q: &ListQuery) -> ListRequest {
        self.list(op, "v2/account/sites", "sites", q.page_size)
            .limit(q.limit)
    }

    /// The alerts at `{base}/open`, then `{base}/resolved` when asked for.
    fn alerts_at(&self, base: String, q: AlertQuery) -> ItemStream<'static, Alert> {
        let (since, org) = (q.updated_since, q.organization_id.clone());
        let walk = move |client: &Self, state: &str| {
            let org = org.clone();
            client
                .list(
                    Operation::Alerts,
                    format!("{base}/{state}"),
                    "alerts",
                    q.page_size,
                )
                .limit(q.limit)
                .walk(&client.http, next_url(100))
                .filter(move |a: &Alert| {
                    changed_since(a.resolved_at.max(a.created_at), since)
                        && org
                            .as_ref()
                            .is_none_or(|o| a.organization_id.as_ref() == Some(o))
                })
                .map(map::alert)
        };
        let open = walk(self, "open");
        if !q.include_resolved {
            return open;
        }
        // Started only once the open alerts are through, so a limit met among
        // them costs no request for resolved ones.
        let client = self.clone();
        let resolved = stream::once(async move { walk(&client, "resolved") }).flatten();
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
        self.sites_list(Operation::Organizations, &q)
            .walk(&self.http, next_url(250))
            .map(map::organization)
    }

    /// Every site, each its own organization; `parent_id` (an organization,
    /// i.e. a site uid) gives that one site.
    fn sites(&self, q: ListQuery) -> ItemStream<'_, Site> {
        let Some(uid) = q.parent_id.clone() else {
            return self
                .sites_list(Operation::Sites, &q)
                .walk(&self.http, next_url(250))
                .map(map::site);
        };
        stream::once(async move {
            let path = format!("v2/site/{}", encode_segment(uid.as_str()));
            match self.http.get(Operation::Sites.as_str(), &path).send().await {
                Ok(resp) => {
                    let (site, raw) = resp.json_with_raw(self.keep_raw)?;
                    Ok(Some(map::site(site, raw)))
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
        let since = q.updated_since;
        self.list(Operation::Devices, path, "devices", q.page_size)
            .limit(q.limit)
            .walk(&self.http, next_url(250))
            .filter(move |d: &Device| changed_since(d.last_seen, since))
            .map(map::device)
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
        let (record, raw): (api::Device, _) = resp.json_with_raw(self.keep_raw)?;
        let audited = record
            .device_class
            .as_deref()
            .is_none_or(|c| c.eq_ignore_ascii_case("device"));
        let device = map::device(record, raw);
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
    fn alerts(&self, q: AlertQuery) -> ItemStream<'_, Alert> {
        let base = match (&q.device_id, &q.organization_id) {
            (Some(d), _) => format!("v2/device/{}/alerts", encode_segment(d.as_str())),
            (None, Some(o)) => format!("v2/site/{}/alerts", encode_segment(o.as_str())),
            (None, None) => "v2/account/alerts".to_owned(),
        };
        self.alerts_at(base, q)
    }

    /// `GET /v2/audit/device/{uid}/software`: name and version only.
    fn software(&self, device: &Id) -> ItemStream<'_, Software> {
        let path = format!(
            "v2/audit/device/{}/software",
            encode_segment(device.as_str())
        );
        let device = device.clone();
        self.list(Operation::Software, path, "software", None)
            .walk(&self.http, next_url(250))
            .map(move |s, raw| map::software(&device, s, raw))
    }
}
