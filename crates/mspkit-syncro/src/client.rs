//! [`SyncroClient`] and its `PsaClient` and `RmmClient` implementations.

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use futures::StreamExt;
use mspkit_core::http::{Http, encode_segment};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::model::merge_extra;
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Agreement, Alert, AlertQuery, Capabilities, Company, Contact, Device, DeviceQuery, Error, Id,
    ItemStream, Keyed, ListQuery, NewNote, NewTicket, Operation, Organization, Provider, PsaClient,
    Result, RmmClient, StatusChange, StatusLookup, Ticket, TicketFilter, TicketNote, TicketQuery,
    TicketState, TicketUpdate, async_trait, error_stream,
};
use serde_json::{Map, Value, json};

use crate::api;
use crate::builder::SyncroClientBuilder;
use crate::lookups::{Lookups, body_of, one};
use crate::map;
use crate::settings::SyncroSettings;

const P: Provider = Provider::Syncro;

/// What the RMM side supports: Syncro has no sites and no software
/// inventory in its API.
const RMM_CAPABILITIES: Capabilities = Capabilities::of(&[
    Operation::Organizations,
    Operation::Devices,
    Operation::Device,
    Operation::Alerts,
]);

/// The subject of a note added through [`PsaClient::add_ticket_note`]
/// (Syncro refuses a comment without one); `extra` can set another.
pub const NOTE_SUBJECT: &str = "Update";

/// The subject of the first comment, which holds a new ticket's description.
pub const DESCRIPTION_SUBJECT: &str = "Initial Issue";

/// A Syncro client: customers, contacts, tickets, comments and contracts
/// through [`PsaClient`]; customers, assets and RMM alerts through
/// [`RmmClient`].
///
/// Cheap to clone; clones share the connection pool, the rate limiter and
/// the ticket settings look-up. Both traits name `provider`,
/// `capabilities` and `test_connection`: call them through the trait you
/// mean (`PsaClient::capabilities(&client)`), or the inherent
/// [`test_connection`](Self::test_connection).
#[derive(Clone, Debug)]
pub struct SyncroClient {
    http: Http,
    keep_raw: bool,
    lookups: Arc<Lookups>,
}

/// Syncro's paging: `page` from 1, and the page count in `meta.total_pages`,
/// which ends the walk. The page size is fixed per endpoint and not
/// settable, so none is asked for; a short page before the last is an error.
fn pages() -> Paging {
    Paging::page_number("page", 1)
        .max_size(1)
        .total_pages("/meta/total_pages")
}

/// An item with the change time the model does not keep, for the
/// client-side `updated_since` filter.
struct Stamped<T> {
    item: T,
    at: Option<DateTime<Utc>>,
}

impl<T: Keyed> Keyed for Stamped<T> {
    fn key(&self) -> Option<&str> {
        self.item.key()
    }
}

fn unstamp<T: Send + 'static>(s: ItemStream<'static, Stamped<T>>) -> ItemStream<'static, T> {
    s.map(|r| r.map(|s| s.item)).boxed()
}

/// Syncro ids are integers; an id that is not one is sent as given.
fn id_json(id: &Id) -> Value {
    id.as_u64()
        .map(Value::from)
        .unwrap_or_else(|| Value::String(id.as_str().to_owned()))
}

/// The `since_updated_at` value: RFC 3339 in UTC, to the second.
pub(crate) fn since_param(since: DateTime<Utc>) -> String {
    since.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Names `id` as the error's target when it names none yet.
fn target(id: &Id) -> impl Fn(Error) -> Error + '_ {
    move |e| {
        if e.target().is_some() {
            e
        } else {
            e.with_target(id.as_str())
        }
    }
}

impl SyncroClient {
    /// A builder.
    pub fn builder() -> SyncroClientBuilder {
        SyncroClientBuilder::new()
    }

    /// A client from stored settings (the body of `mspkit::Config`'s `"syncro"` variant).
    pub fn from_settings(s: &SyncroSettings) -> Result<Self> {
        SyncroClientBuilder::from_settings(s).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        s: &SyncroSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || s.allow_insecure_http;
        SyncroClientBuilder::from_settings(s)
            .options(
                options
                    .allow_insecure_http(insecure)
                    .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs),
            )
            .build()
    }

    pub(crate) fn from_parts(http: Http, keep_raw: bool) -> Self {
        SyncroClient {
            http,
            keep_raw,
            lookups: Arc::new(Lookups::default()),
        }
    }

    /// The authenticated transport, rooted at `https://{subdomain}.syncromsp.com/api/v1/`,
    /// for endpoints the normalized model does not cover
    /// (`client.http().get("invoices", "invoices")`).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// `GET /me`: the cheapest authenticated call.
    pub async fn test_connection(&self) -> Result<()> {
        let op = "test_connection";
        let resp = self.http.get(op, "me").send().await?;
        body_of(op, &resp).map(|_| ())
    }

    /// One contract (`GET /contracts/{id}`), which Syncro answers bare,
    /// unlike its other single reads; a deleted contract answers `null`,
    /// read as not found.
    pub async fn agreement(&self, id: &Id) -> Result<Agreement> {
        let op = "agreement";
        let path = format!("contracts/{}", encode_segment(id.as_str()));
        let resp = self.http.get(op, &path).target(id.as_str()).send().await?;
        let body = body_of(op, &resp).map_err(target(id))?;
        let (c, raw): (api::Contract, _) =
            one(op, body, "contract", true, self.keep_raw).map_err(target(id))?;
        Ok(map::agreement(c, Utc::now().date_naive(), raw))
    }

    async fn map_ticket(
        &self,
        op: &'static str,
        t: api::Ticket,
        raw: Option<Value>,
    ) -> Result<Ticket> {
        let lookups = self.lookups.tickets(&self.http, op).await?;
        Ok(map::ticket(t, &lookups, raw))
    }

    /// Sends a ticket write and reads the `{"ticket": {...}}` answer.
    async fn write_ticket(
        &self,
        op: &'static str,
        req: mspkit_core::http::ApiRequest,
        id: Option<&Id>,
    ) -> Result<Ticket> {
        let tag = |e: Error| match id {
            Some(id) => target(id)(e),
            None => e,
        };
        let resp = req.send().await?;
        let body = body_of(op, &resp).map_err(tag)?;
        let (t, raw) = one(op, body, "ticket", false, self.keep_raw).map_err(tag)?;
        self.map_ticket(op, t, raw).await
    }

    fn customers<T: Keyed + Send + 'static>(
        &self,
        op: &'static str,
        q: &ListQuery,
        f: fn(api::Customer, Option<Value>) -> T,
    ) -> ItemStream<'static, T> {
        let since = q.updated_since;
        let s = ListRequest::get(op, "customers")
            .items_at("customers")
            // Disabled customers are left out unless asked for; a sync
            // needs them to see them go inactive.
            .query("include_disabled", "true")
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, pages())
            .filter(move |s: &Stamped<T>| changed_since(s.at, since))
            .map(move |c: api::Customer, raw| {
                let at = c.updated_at;
                Stamped {
                    item: f(c, raw),
                    at,
                }
            });
        unstamp(s)
    }

    /// The customer (company or organization) `GET /customers/{id}`.
    async fn customer(&self, op: &'static str, id: &Id) -> Result<(api::Customer, Option<Value>)> {
        let path = format!("customers/{}", encode_segment(id.as_str()));
        let resp = self.http.get(op, &path).target(id.as_str()).send().await?;
        let body = body_of(op, &resp).map_err(target(id))?;
        one(op, body, "customer", false, self.keep_raw).map_err(target(id))
    }
}

#[async_trait]
impl PsaClient for SyncroClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa()
    }

    /// `GET /me`.
    async fn test_connection(&self) -> Result<()> {
        SyncroClient::test_connection(self).await
    }

    /// `GET /customers?include_disabled=true`; `updated_since` filters
    /// client-side (Syncro has no change filter on customers).
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        self.customers("companies", &q, map::company)
    }

    /// `GET /customers/{id}`.
    async fn company(&self, id: &Id) -> Result<Company> {
        let (c, raw) = self.customer("company", id).await?;
        Ok(map::company(c, raw))
    }

    /// `GET /contacts`, `customer_id` for one company; `updated_since`
    /// filters client-side.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let since = q.updated_since;
        ListRequest::get("contacts", "contacts")
            .items_at("contacts")
            .query_opt("customer_id", q.parent_id.as_ref().map(Id::to_string))
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, pages())
            .filter(move |c: &Contact| changed_since(c.updated_at, since))
            .map(map::contact)
    }

    /// `GET /tickets`: `customer_id`, `status=Not Closed` for open tickets,
    /// and `since_updated_at` for `updated_since` (checked again on each
    /// ticket). Closed-only and state filters apply client-side.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let op = "tickets";
        let mut list = ListRequest::get(op, "tickets")
            .items_at("tickets")
            .query_opt("customer_id", q.company_id.as_ref().map(Id::to_string))
            .query_opt("since_updated_at", q.updated_since.map(since_param))
            .limit(q.limit)
            .keep_raw(self.keep_raw);
        if q.filter == TicketFilter::Open {
            list = list.query("status", "Not Closed");
        }
        let since = q.updated_since;
        let query = q.clone();
        let (http, lookups) = (self.http.clone(), self.lookups.clone());
        list.walk(&self.http, pages())
            .filter(move |t: &Ticket| {
                query.accepts_state(t.status.state) && changed_since(t.updated_at, since)
            })
            .map_pages(move |items: Vec<Item<api::Ticket>>| {
                let (http, lookups) = (http.clone(), lookups.clone());
                async move {
                    let l = lookups.tickets(&http, op).await?;
                    Ok(items
                        .into_iter()
                        .map(|i| map::ticket(i.value, &l, i.raw))
                        .collect())
                }
            })
    }

    /// `GET /tickets/{id}`.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = "ticket";
        let path = format!("tickets/{}", encode_segment(id.as_str()));
        let resp = self.http.get(op, &path).target(id.as_str()).send().await?;
        let body = body_of(op, &resp).map_err(target(id))?;
        let (t, raw) = one(op, body, "ticket", false, self.keep_raw).map_err(target(id))?;
        self.map_ticket(op, t, raw).await.map_err(target(id))
    }

    /// `POST /tickets` with `{customer_id, subject, contact_id, status,
    /// priority, comments_attributes: [{subject: "Initial Issue", body,
    /// hidden: false, do_not_email: true}], ...extra}`. Syncro requires a
    /// customer (`422 Customer required field` without one). The status
    /// and priority "ids" are Syncro's labels.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = "create_ticket";
        let mut body = Map::new();
        body.insert("subject".into(), Value::String(t.summary.clone()));
        if let Some(c) = &t.company_id {
            body.insert("customer_id".into(), id_json(c));
        }
        if let Some(c) = &t.contact_id {
            body.insert("contact_id".into(), id_json(c));
        }
        if let Some(s) = &t.status_id {
            body.insert("status".into(), Value::String(s.to_string()));
        }
        if let Some(p) = &t.priority_id {
            body.insert("priority".into(), Value::String(p.to_string()));
        }
        if let Some(d) = &t.description {
            body.insert(
                "comments_attributes".into(),
                json!([{
                    "subject": DESCRIPTION_SUBJECT,
                    "body": d,
                    "hidden": false,
                    "do_not_email": true,
                }]),
            );
        }
        merge_extra(&mut body, &t.extra);
        let req = self.http.post(op, "tickets").json(&Value::Object(body));
        self.write_ticket(op, req, None).await
    }

    /// `PUT /tickets/{id}` with `{subject, status, priority, ...extra}`. A
    /// normalized state becomes the account's first status label in it
    /// (`Closed` resolves the ticket: `Resolved` is how Syncro closes one).
    /// The description is the ticket's first comment, which the API cannot
    /// change: an update of it is refused (add a note instead).
    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = "update_ticket";
        if u.is_empty() {
            return self.ticket(id).await;
        }
        if u.description.is_some() {
            return Err(Error::refused(
                P,
                op,
                "a Syncro ticket's description is its first comment, which the API cannot \
                 change; add a note instead",
            )
            .with_target(id.as_str()));
        }
        let mut body = Map::new();
        if let Some(s) = &u.summary {
            body.insert("subject".into(), Value::String(s.clone()));
        }
        match &u.status {
            Some(StatusChange::Id(label)) => {
                body.insert("status".into(), Value::String(label.to_string()));
            }
            Some(StatusChange::State(state)) => {
                let lookups = self
                    .lookups
                    .tickets(&self.http, op)
                    .await
                    .map_err(target(id))?;
                let statuses = &lookups.statuses;
                let label = match state {
                    TicketState::Closed => statuses
                        .first_in(TicketState::Resolved)
                        .map(Ok)
                        .unwrap_or_else(|| statuses.require(P, op, *state)),
                    _ => statuses.require(P, op, *state),
                }
                .map_err(target(id))?;
                body.insert("status".into(), Value::String(label.to_string()));
            }
            _ => {}
        }
        if let Some(p) = &u.priority_id {
            body.insert("priority".into(), Value::String(p.to_string()));
        }
        merge_extra(&mut body, &u.extra);
        let path = format!("tickets/{}", encode_segment(id.as_str()));
        let req = self
            .http
            .put(op, &path)
            .target(id.as_str())
            .json(&Value::Object(body));
        self.write_ticket(op, req, Some(id)).await
    }

    /// `GET /tickets/{id}/comments`, oldest first, `per_page` up to 100.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let path = format!("tickets/{}/comments", encode_segment(ticket.as_str()));
        let ticket = ticket.clone();
        ListRequest::get("ticket_notes", path)
            .items_at("comments")
            .query("sort_by", "created_at")
            .query("sort_direction", "ASC")
            .keep_raw(self.keep_raw)
            .walk(
                &self.http,
                Paging::page_number("page", 1)
                    .size_param("per_page")
                    .max_size(100)
                    .total_pages("/meta/total_pages"),
            )
            .map(move |c: api::Comment, raw| map::note(c, &ticket, raw))
    }

    /// `POST /tickets/{id}/comment` with `{subject: "Update", body, hidden,
    /// do_not_email: true, ...extra}`: `hidden` for an internal note; no
    /// e-mail to the customer unless `extra` sets `do_not_email: false`.
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let op = "add_ticket_note";
        let mut body = Map::new();
        body.insert("subject".into(), Value::String(NOTE_SUBJECT.into()));
        body.insert("body".into(), Value::String(n.text.clone()));
        body.insert("hidden".into(), Value::Bool(n.internal));
        body.insert("do_not_email".into(), Value::Bool(true));
        merge_extra(&mut body, &n.extra);
        let path = format!("tickets/{}/comment", encode_segment(ticket.as_str()));
        let resp = self
            .http
            .post(op, &path)
            .target(ticket.as_str())
            .json(&Value::Object(body))
            .send()
            .await?;
        let body = body_of(op, &resp).map_err(target(ticket))?;
        let (c, raw) = one(op, body, "comment", false, self.keep_raw).map_err(target(ticket))?;
        Ok(map::note(c, ticket, raw))
    }

    /// `GET /contracts`; the company filter and `updated_since` apply
    /// client-side (the list has neither).
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let since = q.updated_since;
        let company = q.parent_id.clone();
        let today = Utc::now().date_naive();
        let s = ListRequest::get("agreements", "contracts")
            .items_at("contracts")
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, pages())
            .filter(move |s: &Stamped<Agreement>| {
                changed_since(s.at, since)
                    && company
                        .as_ref()
                        .is_none_or(|c| s.item.company_id.as_ref() == Some(c))
            })
            .map(move |c: api::Contract, raw| {
                let at = c.updated_at;
                Stamped {
                    item: map::agreement(c, today, raw),
                    at,
                }
            });
        unstamp(s)
    }
}

#[async_trait]
impl RmmClient for SyncroClient {
    fn provider(&self) -> Provider {
        P
    }

    /// Organizations, devices, one device and alerts; Syncro has no sites
    /// and no installed-software list in its API.
    fn capabilities(&self) -> Capabilities {
        RMM_CAPABILITIES
    }

    /// `GET /me`.
    async fn test_connection(&self) -> Result<()> {
        SyncroClient::test_connection(self).await
    }

    /// `GET /customers?include_disabled=true`; `updated_since` filters client-side.
    fn organizations(&self, q: ListQuery) -> ItemStream<'_, Organization> {
        self.customers("organizations", &q, map::organization)
    }

    /// `GET /customer_assets`, `customer_id` for one organization;
    /// `updated_since` filters client-side on the asset's `updated_at`.
    /// Syncro has no sites, so a site filter is refused.
    fn devices(&self, q: DeviceQuery) -> ItemStream<'_, Device> {
        let op = "devices";
        if q.site_id.is_some() {
            return error_stream(Error::refused(
                P,
                op,
                "Syncro has no sites: devices cannot be filtered by site",
            ));
        }
        let since = q.updated_since;
        let s = ListRequest::get(op, "customer_assets")
            .items_at("assets")
            .query_opt("customer_id", q.organization_id.as_ref().map(Id::to_string))
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, pages())
            .filter(move |s: &Stamped<Device>| changed_since(s.at, since))
            .map(|a: api::Asset, raw| {
                let at = a.updated_at;
                Stamped {
                    item: map::device(a, raw),
                    at,
                }
            });
        unstamp(s)
    }

    /// `GET /customer_assets/{id}`.
    async fn device(&self, id: &Id) -> Result<Device> {
        let op = "device";
        let path = format!("customer_assets/{}", encode_segment(id.as_str()));
        let resp = self.http.get(op, &path).target(id.as_str()).send().await?;
        let body = body_of(op, &resp).map_err(target(id))?;
        let (a, raw) = one(op, body, "asset", true, self.keep_raw).map_err(target(id))?;
        Ok(map::device(a, raw))
    }

    /// `GET /rmm_alerts?status=active` (`status=all` with resolved ones);
    /// the organization, device and `updated_since` filters apply
    /// client-side (the list has none of them).
    fn alerts(&self, q: AlertQuery) -> ItemStream<'_, Alert> {
        let status = if q.include_resolved { "all" } else { "active" };
        let (since, org, device, resolved_too) = (
            q.updated_since,
            q.organization_id.clone(),
            q.device_id.clone(),
            q.include_resolved,
        );
        let s = ListRequest::get("alerts", "rmm_alerts")
            .items_at("rmm_alerts")
            .query("status", status)
            .limit(q.limit)
            .keep_raw(self.keep_raw)
            .walk(&self.http, pages())
            .filter(move |s: &Stamped<Alert>| {
                let a = &s.item;
                (resolved_too || !a.resolved)
                    && changed_since(s.at, since)
                    && org
                        .as_ref()
                        .is_none_or(|o| a.organization_id.as_ref() == Some(o))
                    && device
                        .as_ref()
                        .is_none_or(|d| a.device_id.as_ref() == Some(d))
            })
            .map(|a: api::RmmAlert, raw| {
                let at = a.updated_at;
                Stamped {
                    item: map::alert(a, raw),
                    at,
                }
            });
        unstamp(s)
    }
}
