//! [`AutomateClient`] and its [`RmmClient`] implementation.

use futures::StreamExt;
use mspkit_core::http::{Http, encode_segment};
use mspkit_core::list::{ListRequest, Paging};
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Alert, AlertQuery, Capabilities, Device, DeviceQuery, Error, Id, ItemStream, ListQuery,
    Operation, Organization, Provider, Result, RmmClient, Site, Software, async_trait,
    error_stream,
};

use crate::api;
use crate::builder::AutomateClientBuilder;
use crate::condition::{Condition, integer_id};
use crate::map;
use crate::scrub;
use crate::settings::AutomateSettings;

const P: Provider = Provider::Automate;

/// The computer fields `updated_since` compares: the agent's last contact
/// and the last inventory received (a best-effort "changed since").
pub const DEVICE_SINCE_FIELDS: [&str; 2] = ["RemoteAgentLastContact", "LastInventoryReceived"];

/// Automate's paging: bare arrays, `page` from 1 and `pageSize` up to 1000;
/// no total, so a short page is the last.
fn paging() -> Paging {
    Paging::page_number("page", 1)
        .size_param("pageSize")
        .max_size(1000)
}

/// A ConnectWise Automate (REST API v1) client: clients as organizations,
/// locations as sites, computers as devices, alerts and installed
/// software, through [`RmmClient`].
///
/// Cheap to clone: clones share the connection pool, the token and the
/// rate limiter.
#[derive(Clone, Debug)]
pub struct AutomateClient {
    http: Http,
    keep_raw: bool,
}

impl AutomateClient {
    /// A builder; see [`AutomateClientBuilder`].
    pub fn builder() -> AutomateClientBuilder {
        AutomateClientBuilder::new()
    }

    /// A client for stored settings, checked before any request.
    pub fn from_settings(settings: &AutomateSettings) -> Result<Self> {
        AutomateClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &AutomateSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        AutomateClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(http: Http, keep_raw: bool) -> Self {
        AutomateClient { http, keep_raw }
    }

    /// The authenticated transport, rooted at `https://{host}/cwa/api/v1/`
    /// (the token and the `ClientId` header applied), for endpoints the
    /// normalized model does not cover.
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// The platform.
    pub fn provider(&self) -> Provider {
        P
    }

    /// Makes the cheapest authenticated call (`GET Clients?pageSize=1`).
    pub async fn test_connection(&self) -> Result<()> {
        self.http
            .get("test_connection", "Clients")
            .query(&[("page", "1"), ("pageSize", "1")])
            .send_probe()
            .await
    }

    /// A list of `path` in a stable order, with `condition` when given.
    fn list(&self, op: Operation, path: impl Into<String>, order_by: &str) -> ListRequest {
        ListRequest::get(op.as_str(), path)
            .query("orderBy", order_by)
            .keep_raw(self.keep_raw)
    }
}

/// `stream` with the credentials of Automate's objects blanked in any body
/// an error quotes.
fn scrubbed<T: Send + 'static>(stream: ItemStream<'static, T>) -> ItemStream<'static, T> {
    stream.map(|r| r.map_err(scrub::error)).boxed()
}

#[async_trait]
impl RmmClient for AutomateClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_rmm()
    }

    async fn test_connection(&self) -> Result<()> {
        AutomateClient::test_connection(self).await
    }

    /// `GET Clients`, paged, ordered by `Id`. Clients carry no timestamps,
    /// so `updated_since` keeps them all.
    fn organizations(&self, q: ListQuery) -> ItemStream<'_, Organization> {
        scrubbed(
            self.list(Operation::Organizations, "Clients", "Id asc")
                .page_size(q.page_size)
                .limit(q.limit)
                .walk(&self.http, paging())
                .map(map::organization),
        )
    }

    /// `GET Locations`, paged, ordered by `Id`; an organization becomes
    /// `condition=(Client.Id = n)`. Locations carry no timestamps, so
    /// `updated_since` keeps them all.
    fn sites(&self, q: ListQuery) -> ItemStream<'_, Site> {
        let op = Operation::Sites;
        let mut condition = Condition::new();
        if let Some(org) = &q.parent_id {
            match condition.id_equals(op.as_str(), "Client.Id", "organization id", org) {
                Ok(c) => condition = c,
                Err(e) => return error_stream(e),
            }
        }
        scrubbed(
            self.list(op, "Locations", "Id asc")
                .query_opt("condition", condition.build())
                .page_size(q.page_size)
                .limit(q.limit)
                .walk(&self.http, paging())
                .try_map(map::site),
        )
    }

    /// `GET Computers`, paged, ordered by `Id`. The organization, the site
    /// and `updated_since` become one `condition`: `(Client.Id = n)`,
    /// `(Location.Id = n)` and `((RemoteAgentLastContact >= '…') or
    /// (LastInventoryReceived >= '…'))`.
    fn devices(&self, q: DeviceQuery) -> ItemStream<'_, Device> {
        let op = Operation::Devices;
        let mut condition = Ok(Condition::new());
        if let Some(org) = &q.organization_id {
            condition = condition
                .and_then(|c| c.id_equals(op.as_str(), "Client.Id", "organization id", org));
        }
        if let Some(site) = &q.site_id {
            condition =
                condition.and_then(|c| c.id_equals(op.as_str(), "Location.Id", "site id", site));
        }
        let mut condition = match condition {
            Ok(c) => c,
            Err(e) => return error_stream(e),
        };
        if let Some(since) = q.updated_since {
            condition = condition.since(&DEVICE_SINCE_FIELDS, since);
        }
        scrubbed(
            self.list(op, "Computers", "Id asc")
                .query_opt("condition", condition.build())
                .page_size(q.page_size)
                .limit(q.limit)
                .walk(&self.http, paging())
                .map(map::device),
        )
    }

    /// `GET Computers?ids={id}`: Automate has no `GET Computers/{id}`; an
    /// empty answer is `NotFound`.
    async fn device(&self, id: &Id) -> Result<Device> {
        let op = Operation::Device.as_str();
        let n = integer_id(op, "device id", id)?.to_string();
        let resp = self
            .http
            .get(op, "Computers")
            .query(&[("ids", n.as_str())])
            .target(id.as_str())
            .send()
            .await?;
        let items = resp
            .json_items::<api::Computer>(self.keep_raw)
            .map_err(scrub::error)?;
        items
            .into_iter()
            .find(|(c, _)| c.id.as_str() == n)
            .map(|(c, raw)| map::device(c, raw))
            .ok_or_else(|| {
                Error::not_found(P, op, "no computer with this id")
                    .with_target(id.as_str())
                    .with_reached_server(true)
            })
    }

    /// `GET Alerts`, paged, ordered by `AlertId`: the current alerts (the v1
    /// API resolves none, so `include_resolved` changes nothing). An
    /// organization becomes `(Client.Id = n)`, a device `(Computer.Id = n)`;
    /// `updated_since` is compared with `AlertDate` client-side.
    fn alerts(&self, q: AlertQuery) -> ItemStream<'_, Alert> {
        let op = Operation::Alerts;
        let mut condition = Ok(Condition::new());
        if let Some(org) = &q.organization_id {
            condition = condition
                .and_then(|c| c.id_equals(op.as_str(), "Client.Id", "organization id", org));
        }
        if let Some(device) = &q.device_id {
            condition = condition
                .and_then(|c| c.id_equals(op.as_str(), "Computer.Id", "device id", device));
        }
        let condition = match condition {
            Ok(c) => c,
            Err(e) => return error_stream(e),
        };
        let since = q.updated_since;
        scrubbed(
            self.list(op, "Alerts", "AlertId asc")
                .query_opt("condition", condition.build())
                .page_size(q.page_size)
                .limit(q.limit)
                .walk(&self.http, paging())
                .filter(move |a: &Alert| changed_since(a.created_at, since))
                .map(map::alert),
        )
    }

    /// `GET Computers/{id}/Software`, paged, ordered by `ApplicationId`.
    fn software(&self, device: &Id) -> ItemStream<'_, Software> {
        let path = format!("Computers/{}/Software", encode_segment(device.as_str()));
        let device = device.clone();
        scrubbed(
            self.list(Operation::Software, path, "ApplicationId asc")
                .walk(&self.http, paging())
                .map(move |s: api::Software, raw| map::software(&device, s, raw)),
        )
    }
}
