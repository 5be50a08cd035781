//! [`TacticalClient`] and its [`RmmClient`] implementation.

use std::future::ready;
use std::sync::Arc;

use futures::stream::{self, Stream, StreamExt};
use mspkit_core::http::{Http, decode_value_at, encode_segment};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::paging::changed_since;
use mspkit_core::reqwest::Method;
use mspkit_core::{
    Alert, AlertQuery, Capabilities, Device, DeviceQuery, Error, ErrorKind, Id, ItemStream,
    ListQuery, Operation, Organization, Provider, Result, RmmClient, Site, Software, async_trait,
    error_stream,
};
use serde_json::{Map, Value, json};

use crate::api;
use crate::builder::TacticalClientBuilder;
use crate::lookups::{Directory, Lookups, fetch_clients};
use crate::map;
use crate::settings::TacticalSettings;

const P: Provider = Provider::Tactical;

/// Clients with their sites. Every Tactical route ends in `/`.
pub(crate) const CLIENTS: &str = "clients/";
/// Agents (`?site={id}` for one site).
const AGENTS: &str = "agents/";
/// Alerts, listed with `PATCH` and a filter body.
const ALERTS: &str = "alerts/";

/// How many sites' agent lists are asked for at once. Tactical publishes no
/// limit; its notes ask integrators to stay at four or fewer.
const SITES_IN_FLIGHT: usize = 4;

/// A Tactical RMM client: clients as organizations, their sites, agents as
/// devices, alerts and installed software, through [`RmmClient`].
///
/// Cheap to clone: clones share the connection pool and the client
/// directory used to name each agent's and alert's organization.
#[derive(Clone, Debug)]
pub struct TacticalClient {
    http: Http,
    keep_raw: bool,
    lookups: Arc<Lookups>,
}

impl TacticalClient {
    /// A builder; see [`TacticalClientBuilder`].
    pub fn builder() -> TacticalClientBuilder {
        TacticalClientBuilder::new()
    }

    /// A client for stored settings (the body of `mspkit::Config`'s
    /// `"tactical"` variant), checked before any request.
    pub fn from_settings(settings: &TacticalSettings) -> Result<Self> {
        TacticalClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &TacticalSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        TacticalClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(http: Http, keep_raw: bool) -> Self {
        TacticalClient {
            http,
            keep_raw,
            lookups: Arc::new(Lookups::default()),
        }
    }

    /// The authenticated transport, rooted at the api host, for endpoints
    /// the normalized model does not cover. Remember the trailing slash:
    /// `client.http().get("checks", "agents/{agent_id}/checks/")`.
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// One site's agents: `GET /agents/?site={id}`, one unpaged array.
    fn site_agents(
        &self,
        organization: Id,
        site: i64,
        q: &DeviceQuery,
    ) -> ItemStream<'static, Device> {
        let since = q.updated_since;
        let site_id = Id::from(site);
        ListRequest::get(Operation::Devices.as_str(), AGENTS)
            .query("site", site.to_string())
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, Paging::single())
            .filter(move |d: &Device| changed_since(d.last_seen, since))
            .map(move |a: api::AgentRow, raw| {
                map::agent_row(a, Some(organization.clone()), Some(site_id.clone()), raw)
            })
    }

    /// The client directory, for naming organizations. A key whose role may
    /// not list clients (403) still reads agents and alerts: their
    /// organization is then left unset.
    async fn directory(&self, op: &'static str, reload: bool) -> Result<Arc<Directory>> {
        let found = if reload {
            self.lookups.reload(&self.http, op).await
        } else {
            self.lookups.directory(&self.http, op).await
        };
        match found {
            Err(e) if e.kind() == ErrorKind::Forbidden => Ok(Arc::new(Directory::default())),
            other => other,
        }
    }

    /// An agent's organization: the client of its site, else the client of
    /// its name. One the directory does not know yet reloads it once.
    async fn organization_of(
        &self,
        op: &'static str,
        site: Option<i64>,
        client: Option<&str>,
    ) -> Result<Option<Id>> {
        if site.is_none() && client.is_none() {
            return Ok(None);
        }
        let find = |dir: &Directory| {
            site.and_then(|s| dir.client_of_site(s))
                .or_else(|| client.and_then(|c| dir.client_named(c)))
        };
        if let Some(id) = find(&*self.directory(op, false).await?) {
            return Ok(Some(id));
        }
        Ok(find(&*self.directory(op, true).await?))
    }

    /// `GET /software/{agent_id}/`: an inventory object, or `[]` when the
    /// agent has not sent one yet.
    async fn software_list(&self, device: &Id) -> Result<Vec<Software>> {
        let op = Operation::Software.as_str();
        let resp = self
            .http
            .get(
                op,
                &format!("software/{}/", encode_segment(device.as_str())),
            )
            .target(device.as_str())
            .send()
            .await?;
        let body: Value = resp.json()?;
        let not_inventory = |what: &str| {
            Error::decode(
                P,
                op,
                ".",
                format!("expected an inventory object or [], got {what}"),
                &String::from_utf8_lossy(resp.body()),
            )
            .with_target(device.as_str())
        };
        let entries = match body {
            Value::Array(items) if items.is_empty() => return Ok(Vec::new()),
            Value::Object(mut o) => match o.remove("software") {
                Some(Value::Array(items)) => items,
                Some(_) => return Err(not_inventory("`software` that is not a list")),
                None => return Err(not_inventory("an object without `software`")),
            },
            Value::Array(_) => return Err(not_inventory("a list of inventories")),
            _ => return Err(not_inventory("a single value")),
        };
        entries
            .into_iter()
            .enumerate()
            .map(|(i, entry)| {
                let raw = self.keep_raw.then(|| entry.clone());
                let s: api::SoftwareEntry =
                    decode_value_at(P, op, &format!("software[{i}]"), entry)
                        .map_err(|e| e.with_target(device.as_str()))?;
                Ok(map::software(device, s, raw))
            })
            .collect()
    }
}

/// Ends a stream after its first error (later sites are not asked for).
fn until_error<T: Send + 'static>(
    s: impl Stream<Item = Result<T>> + Send + 'static,
) -> impl Stream<Item = Result<T>> + Send + 'static {
    s.scan(false, |failed, item| {
        if *failed {
            return ready(None);
        }
        *failed = item.is_err();
        ready(Some(item))
    })
}

/// A stream of the items of one fetch, or of its error.
fn all_or_error<T: Send + 'static>(r: Result<Vec<T>>) -> ItemStream<'static, T> {
    match r {
        Ok(items) => stream::iter(items.into_iter().map(Ok)).boxed(),
        Err(e) => error_stream(e),
    }
}

/// An organization id as Tactical's integer client id; anything else is
/// refused before a request.
fn client_id(op: Operation, id: &Id) -> Result<i64> {
    id.as_str().trim().parse::<i64>().map_err(|_| {
        Error::new(P, op.as_str(), ErrorKind::Config)
            .with_target(id.as_str())
            .with_message(format!(
                "organization id {id:?} is not a Tactical client id (ids are integers)"
            ))
    })
}

#[async_trait]
impl RmmClient for TacticalClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_rmm()
    }

    /// `GET /clients/`, the call Tactical's API docs give as the first one.
    async fn test_connection(&self) -> Result<()> {
        self.http.get("test_connection", CLIENTS).send_probe().await
    }

    /// `GET /clients/`: every client the key's user may see, in one array.
    /// Clients carry no timestamps, so `updated_since` keeps them all.
    fn organizations(&self, q: ListQuery) -> ItemStream<'_, Organization> {
        ListRequest::get(Operation::Organizations.as_str(), CLIENTS)
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, Paging::single())
            .map(map::organization)
    }

    /// The sites nested in `GET /clients/` (one request for all); an
    /// organization filter is applied to that answer. Sites carry no
    /// timestamps, so `updated_since` keeps them all.
    fn sites(&self, q: ListQuery) -> ItemStream<'_, Site> {
        let parent = q.parent_id;
        ListRequest::get(Operation::Sites.as_str(), CLIENTS)
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, Paging::single())
            .filter(move |s: &Site| {
                parent.is_none() || s.organization_id.as_ref() == parent.as_ref()
            })
            .map_pages(|clients: Vec<Item<api::Client>>| {
                ready(Ok(clients
                    .into_iter()
                    .flat_map(|c| map::sites(c.value, c.raw))
                    .collect()))
            })
    }

    /// `GET /clients/`, then `GET /agents/?site={id}` for each site (four
    /// at a time), so every device's organization and site ids are exact.
    /// Organization and site filters choose the sites asked for;
    /// `updated_since` (on `last_seen`) and `limit` apply client-side.
    fn devices(&self, q: DeviceQuery) -> ItemStream<'_, Device> {
        let op = Operation::Devices.as_str();
        let this = self.clone();
        let limit = q.limit.unwrap_or(usize::MAX);
        let sites = async move {
            let clients = fetch_clients(&this.http, op).await?;
            this.lookups.store(&clients);
            Ok((this, clients))
        };
        let devices = stream::once(sites).flat_map(move |found: Result<_>| {
            let (this, clients) = match found {
                Ok(found) => found,
                Err(e) => return error_stream(e),
            };
            let chosen: Vec<(Id, i64)> = clients
                .iter()
                .flat_map(|c| {
                    c.sites
                        .iter()
                        .map(move |s| (Id::from(s.client.unwrap_or(c.id)), s.id))
                })
                .filter(|(org, site)| {
                    q.organization_id.as_ref().is_none_or(|want| want == org)
                        && q.site_id
                            .as_ref()
                            .is_none_or(|want| *want == Id::from(*site))
                })
                .collect();
            let q = q.clone();
            stream::iter(chosen)
                .map(move |(org, site)| this.site_agents(org, site, &q).collect::<Vec<_>>())
                .buffered(SITES_IN_FLIGHT)
                .flat_map(stream::iter)
                .boxed()
        });
        until_error(devices).take(limit).boxed()
    }

    /// `GET /agents/{agent_id}/`. The detail names its site by id and its
    /// client by name; the organization id comes from the client directory.
    async fn device(&self, id: &Id) -> Result<Device> {
        let op = Operation::Device.as_str();
        let resp = self
            .http
            .get(op, &format!("agents/{}/", encode_segment(id.as_str())))
            .target(id.as_str())
            .send()
            .await?;
        let (detail, raw): (api::AgentDetail, _) = resp.json_with_raw(self.keep_raw)?;
        let organization = self
            .organization_of(op, detail.site, detail.client.as_deref())
            .await?;
        Ok(map::agent_detail(detail, organization, raw))
    }

    /// `PATCH /alerts/` with a filter body: open alerts (`resolvedFilter`
    /// and `snoozedFilter` false) unless `include_resolved`, and
    /// `clientFilter` for an organization. The device and `updated_since`
    /// (the later of `alert_time` and `resolved_on`) apply client-side.
    fn alerts(&self, q: AlertQuery) -> ItemStream<'_, Alert> {
        let op = Operation::Alerts;
        let mut filter = Map::new();
        if !q.include_resolved {
            filter.insert("resolvedFilter".into(), json!(false));
            filter.insert("snoozedFilter".into(), json!(false));
        }
        if let Some(org) = &q.organization_id {
            match client_id(op, org) {
                Ok(id) => filter.insert("clientFilter".into(), json!([id])),
                Err(e) => return error_stream(e),
            };
        }
        let (device, since) = (q.device_id, q.updated_since);
        let this = self.clone();
        ListRequest::query_with(Method::PATCH, op.as_str(), ALERTS, Value::Object(filter))
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, Paging::single())
            .filter(move |a: &Alert| {
                device
                    .as_ref()
                    .is_none_or(|d| a.device_id.as_ref() == Some(d))
                    && changed_since(a.resolved_at.max(a.created_at), since)
            })
            .map_pages(move |alerts: Vec<Item<api::Alert>>| {
                let this = this.clone();
                async move {
                    let op = op.as_str();
                    let mut dir = this.directory(op, false).await?;
                    let unknown = |dir: &Directory| {
                        alerts.iter().any(|a| {
                            a.value
                                .client
                                .as_deref()
                                .is_some_and(|n| dir.client_named(n).is_none())
                        })
                    };
                    if unknown(&dir) {
                        dir = this.directory(op, true).await?;
                    }
                    Ok(alerts
                        .into_iter()
                        .map(|a| {
                            let org = a.value.client.as_deref().and_then(|n| dir.client_named(n));
                            map::alert(a.value, org, a.raw)
                        })
                        .collect())
                }
            })
    }

    /// `GET /software/{agent_id}/`, one inventory; `[]` (no inventory yet)
    /// is an empty list.
    fn software(&self, device: &Id) -> ItemStream<'_, Software> {
        let this = self.clone();
        let device = device.clone();
        stream::once(async move { this.software_list(&device).await })
            .flat_map(all_or_error)
            .boxed()
    }
}
