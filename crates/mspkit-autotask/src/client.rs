//! [`AutotaskClient`] and its [`PsaClient`] implementation.

use std::sync::Arc;

use futures::{StreamExt, TryFutureExt, TryStreamExt};
use mspkit_core::http::{ApiRequest, Http, Response, decode_value_at};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::{
    Agreement, Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, ListQuery,
    NewNote, NewTicket, Provider, PsaClient, Result, StatusChange, StatusLookup, Ticket,
    TicketFilter, TicketNote, TicketQuery, TicketUpdate, async_trait, error_stream, merge_extra,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tokio::sync::OnceCell;

use crate::api::{self, FieldsResult, ItemId, SingleItem, ThresholdInformation};
use crate::builder::AutotaskClientBuilder;
use crate::limits::EndpointGate;
use crate::map::{self, Lookups, Names};
use crate::picklist::{self, EntityFields};
use crate::query::{self, cond};
use crate::resume::{self, Query, Seen};
use crate::settings::AutotaskSettings;

const P: Provider = Provider::Autotask;

/// Autotask's paging: each page names the next in `pageDetails.nextPageUrl`
/// (`null` on the last), which is POSTed with the query's body.
fn paging() -> Paging {
    Paging::next_url("/pageDetails/nextPageUrl").max_size(query::MAX_PAGE_SIZE)
}

/// A client of one Autotask database. Cheap to clone: clones share the
/// transport, the zone, the picklist cache and the per-endpoint limits.
#[derive(Clone)]
pub struct AutotaskClient {
    inner: Arc<Inner>,
}

struct Inner {
    username: String,
    keep_raw: bool,
    http: Http,
    /// The zone look-up root, while the zone is still to be found.
    lookup: Option<String>,
    gate: EndpointGate,
    ticket_fields: OnceCell<Arc<EntityFields>>,
    note_fields: OnceCell<Arc<EntityFields>>,
    contract_fields: OnceCell<Arc<EntityFields>>,
    resources: OnceCell<Arc<Names>>,
    countries: OnceCell<Arc<Names>>,
}

impl std::fmt::Debug for AutotaskClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let root = self.inner.http.base_url().as_str();
        let zone = match &self.inner.lookup {
            Some(lookup) if lookup == root => format!("(to be looked up at {lookup})"),
            _ => root.to_owned(),
        };
        f.debug_struct("AutotaskClient")
            .field("username", &self.inner.username)
            .field("zone", &zone)
            .finish_non_exhaustive()
    }
}

impl AutotaskClient {
    /// A builder.
    pub fn builder() -> AutotaskClientBuilder {
        AutotaskClientBuilder::new()
    }

    /// A client for stored settings.
    pub fn from_settings(settings: &AutotaskSettings) -> Result<Self> {
        AutotaskClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &AutotaskSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        AutotaskClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(username: String, keep_raw: bool, http: Http, discovers: bool) -> Self {
        let lookup = discovers.then(|| http.base_url().to_string());
        AutotaskClient {
            inner: Arc::new(Inner {
                username,
                keep_raw,
                http,
                lookup,
                gate: EndpointGate::default(),
                ticket_fields: OnceCell::new(),
                note_fields: OnceCell::new(),
                contract_fields: OnceCell::new(),
                resources: OnceCell::new(),
                countries: OnceCell::new(),
            }),
        }
    }

    /// The authenticated transport of the tenant's zone, for endpoints the
    /// normalized model does not cover (auth, retry and rate limit applied),
    /// rooted at `.../atservicesrest/v1.0/`. When no `base_url` was given,
    /// the first request sent through it looks the zone up
    /// (`zoneInformation?user=`, without credentials) and every later one
    /// reuses it.
    ///
    /// Requests sent through it directly do not take the client's
    /// per-endpoint slots (three at a time); keep to that limit yourself.
    pub fn http(&self) -> &Http {
        &self.inner.http
    }

    /// How much of the hourly request budget (10,000 per rolling hour, shared
    /// by every integration of the database) is used (`GET /ThresholdInformation`).
    pub async fn threshold_information(&self) -> Result<ThresholdInformation> {
        let req = self
            .http()
            .get("threshold_information", "ThresholdInformation");
        self.send_json("ThresholdInformation", req).await
    }

    fn keep_raw(&self) -> bool {
        self.inner.keep_raw
    }

    /// Sends `req` once a slot on `entity` is free.
    async fn send(&self, entity: &str, req: ApiRequest) -> Result<Response> {
        let _slot = self.inner.gate.enter(entity).await;
        req.send().await
    }

    async fn send_json<T: DeserializeOwned>(&self, entity: &str, req: ApiRequest) -> Result<T> {
        self.send(entity, req).await?.json()
    }

    /// `POST /{Entity}/query` with `filter` (every record when empty), paged
    /// by `nextPageUrl`.
    fn query(
        &self,
        op: &'static str,
        entity: &str,
        filter: Vec<Value>,
        size: u32,
        limit: Option<usize>,
    ) -> Query {
        Query {
            op,
            entity: entity.to_owned(),
            filter,
            size,
            limit,
            keep_raw: self.keep_raw(),
        }
    }

    /// `GET /{Entity}/{id}`: the record (decoded, with its raw JSON when
    /// kept), or `NotFound` for `{"item": null}`.
    async fn get_item<A: DeserializeOwned>(
        &self,
        op: &'static str,
        entity: &str,
        id: i64,
    ) -> Result<Item<A>> {
        let req = self
            .http()
            .get(op, &format!("{entity}/{id}"))
            .target(id.to_string());
        let single: SingleItem = self.send_json(entity, req).await?;
        let value = single.item.filter(|v| !v.is_null()).ok_or_else(|| {
            Error::not_found(P, op, format!("{entity} {id} does not exist"))
                .with_target(id.to_string())
        })?;
        let raw = self.keep_raw().then(|| value.clone());
        Ok(Item {
            value: decode_value_at(P, op, "item", value)?,
            raw,
        })
    }

    async fn fields(
        &self,
        cell: &OnceCell<Arc<EntityFields>>,
        operation: &'static str,
        entity: &'static str,
    ) -> Result<Arc<EntityFields>> {
        cell.get_or_try_init(|| async {
            let req = self
                .http()
                .get(operation, &format!("{entity}/entityInformation/fields"));
            let fields: FieldsResult = self.send_json(entity, req).await?;
            Ok(Arc::new(EntityFields::from_result(fields)))
        })
        .await
        .cloned()
    }

    pub(crate) async fn ticket_fields(&self, operation: &'static str) -> Result<Arc<EntityFields>> {
        self.fields(&self.inner.ticket_fields, operation, "Tickets")
            .await
    }

    /// Every record of a look-up entity (resources, countries), named. An API
    /// user without access to it gets no names rather than no data.
    async fn names(
        &self,
        cell: &OnceCell<Arc<Names>>,
        operation: &'static str,
        entity: &'static str,
        name: fn(&Value) -> Option<(i64, String)>,
    ) -> Result<Arc<Names>> {
        cell.get_or_try_init(|| async {
            let values = self
                .query(operation, entity, Vec::new(), query::MAX_PAGE_SIZE, None)
                .list(None, None)
                .walk(self.http(), paging())
                .map(|v: Value, _| v);
            match values.try_collect::<Vec<Value>>().await {
                Ok(values) => Ok(Arc::new(values.iter().filter_map(name).collect())),
                Err(e) if e.kind() == ErrorKind::Forbidden => {
                    let message = e.message().unwrap_or_default();
                    tracing::warn!(entity, %message, "no access to look-up entity; names left empty");
                    Ok(Arc::new(Names::new()))
                }
                Err(e) => Err(e),
            }
        })
        .await
        .cloned()
    }

    /// The look-ups a mapping needs, each fetched once per client.
    async fn lookups(&self, op: &'static str, need: Need) -> Result<Lookups> {
        let mut l = Lookups::default();
        let i = &self.inner;
        if need.ticket_fields {
            l.ticket_fields = Some(self.ticket_fields(op).await?);
        }
        if need.note_fields {
            l.note_fields = Some(self.fields(&i.note_fields, op, "TicketNotes").await?);
        }
        if need.contract_fields {
            l.contract_fields = Some(self.fields(&i.contract_fields, op, "Contracts").await?);
        }
        if need.resources {
            l.resources = Some(
                self.names(&i.resources, op, "Resources", |v| {
                    let r: api::Resource = serde_json::from_value(v.clone()).ok()?;
                    Some((r.id, map::resource_name(&r)?))
                })
                .await?,
            );
        }
        if need.countries {
            l.countries = Some(
                self.names(&i.countries, op, "Countries", |v| {
                    let c: api::Country = serde_json::from_value(v.clone()).ok()?;
                    Some((c.id, map::country_name(&c)?))
                })
                .await?,
            );
        }
        Ok(l)
    }

    /// Walks `q`, mapping each page with the look-ups `need` names, and
    /// re-querying by id past a next-page link that fails.
    fn walk<A, T>(
        &self,
        q: Query,
        need: Need,
        map: fn(A, &Lookups) -> T,
        keep: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> ItemStream<'static, T>
    where
        A: DeserializeOwned + Send + 'static,
        T: mspkit_core::Keyed + Raw + Send + 'static,
    {
        let client = self.clone();
        let keep = Arc::new(keep);
        resume::resumable(q, move |list, seen| {
            let keep = keep.clone();
            client.walk_once(list, seen, need, map, move |t: &T| keep(t))
        })
    }

    /// One walk of `list`, telling `seen` of every page received.
    fn walk_once<A, T>(
        &self,
        list: ListRequest,
        seen: Seen,
        need: Need,
        map: fn(A, &Lookups) -> T,
        keep: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> ItemStream<'static, T>
    where
        A: DeserializeOwned + Send + 'static,
        T: mspkit_core::Keyed + Raw + Send + 'static,
    {
        let client = self.clone();
        let op = list.operation();
        list.walk(self.http(), paging())
            .filter(keep)
            .map_pages(move |items: Vec<Item<A>>| {
                let (client, seen) = (client.clone(), seen.clone());
                async move {
                    let l = client.lookups(op, need).await?;
                    let mapped: Vec<T> = items
                        .into_iter()
                        .map(|i| map(i.value, &l).with_raw(i.raw))
                        .collect();
                    seen.record(&mapped)?;
                    Ok(mapped)
                }
            })
    }

    /// One record by id, mapped with the look-ups `need` names.
    async fn one<A: DeserializeOwned, T: Raw>(
        &self,
        op: &'static str,
        entity: &str,
        id: &Id,
        need: Need,
        map: fn(A, &Lookups) -> T,
    ) -> Result<T> {
        let n = numeric(op, id)?;
        let l = self.lookups(op, need).await?;
        let item = self.get_item::<A>(op, entity, n).await?;
        Ok(map(item.value, &l).with_raw(item.raw))
    }
}

/// Which look-ups a mapping needs.
#[derive(Debug, Clone, Copy, Default)]
struct Need {
    ticket_fields: bool,
    note_fields: bool,
    contract_fields: bool,
    resources: bool,
    countries: bool,
}

const COMPANY: Need = Need {
    countries: true,
    ..NONE
};
const TICKET: Need = Need {
    ticket_fields: true,
    resources: true,
    ..NONE
};
const NOTE: Need = Need {
    note_fields: true,
    resources: true,
    ..NONE
};
const CONTRACT: Need = Need {
    contract_fields: true,
    ..NONE
};
const NONE: Need = Need {
    ticket_fields: false,
    note_fields: false,
    contract_fields: false,
    resources: false,
    countries: false,
};

/// A mapped item that keeps the platform's original JSON.
trait Raw {
    fn with_raw(self, raw: Option<Value>) -> Self;
}

macro_rules! raw {
    ($($t:ty),*) => {$(
        impl Raw for $t {
            fn with_raw(mut self, raw: Option<Value>) -> Self {
                self.raw = raw;
                self
            }
        }
    )*};
}

raw!(Company, Contact, Ticket, TicketNote, Agreement);

/// Autotask ids are integers; anything else cannot name a record.
fn numeric(operation: &'static str, id: &Id) -> Result<i64> {
    id.as_str().trim().parse().map_err(|_| {
        Error::new(P, operation, ErrorKind::Config)
            .with_target(id.as_str())
            .with_message(format!(
                "Autotask ids are integers; {:?} is not one",
                id.as_str()
            ))
    })
}

fn contact(c: api::Contact, _: &Lookups) -> Contact {
    map::contact(c)
}

/// A note's title: its first line, cut to Autotask's 250 characters.
fn note_title(text: &str) -> String {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("Note");
    first.chars().take(250).collect()
}

#[async_trait]
impl PsaClient for AutotaskClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa()
    }

    /// `GET /ThresholdInformation`.
    async fn test_connection(&self) -> Result<()> {
        self.threshold_information().await.map(|_| ())
    }

    /// `POST /Companies/query`; `updated_since` is `lastActivityDate` or
    /// `lastTrackedModifiedDateTime` at or after it.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let fields = ["lastActivityDate", "lastTrackedModifiedDateTime"];
        let filter = q.updated_since.map(|t| query::changed_since(&fields, t));
        let size = query::page_size(q.page_size, q.limit);
        let list = self.query(
            "companies",
            "Companies",
            filter.into_iter().collect(),
            size,
            q.limit,
        );
        self.walk(list, COMPANY, map::company, |_| true)
    }

    /// `GET /Companies/{id}`.
    async fn company(&self, id: &Id) -> Result<Company> {
        self.one("company", "Companies", id, COMPANY, map::company)
            .await
    }

    /// `POST /Contacts/query`; a company is `companyID eq N`, `updated_since`
    /// `lastActivityDate` or `lastModifiedDate` at or after it.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let op = "contacts";
        let mut filter = Vec::new();
        if let Some(company) = &q.parent_id {
            match numeric(op, company) {
                Ok(n) => filter.push(cond("eq", "companyID", n)),
                Err(e) => return error_stream(e),
            }
        }
        if let Some(since) = q.updated_since {
            let fields = ["lastActivityDate", "lastModifiedDate"];
            filter.push(query::changed_since(&fields, since));
        }
        let size = query::page_size(q.page_size, q.limit);
        let list = self.query(op, "Contacts", filter, size, q.limit);
        self.walk(list, NONE, contact, |_| true)
    }

    /// `POST /Tickets/query`; a company is `companyID eq N`, `updated_since`
    /// `lastActivityDate` or `lastTrackedModificationDateTime` at or after
    /// it, open/closed `status notIn|in` the picklist's closed statuses;
    /// other states are filtered client-side.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let client = self.clone();
        let op = "tickets";
        async move {
            let mut filter = Vec::new();
            if let Some(company) = &q.company_id {
                filter.push(cond("eq", "companyID", numeric(op, company)?));
            }
            if let Some(since) = q.updated_since {
                let fields = ["lastActivityDate", "lastTrackedModificationDateTime"];
                filter.push(query::changed_since(&fields, since));
            }
            if q.filter != TicketFilter::All {
                let closed = client.ticket_fields(op).await?.closed_statuses();
                let name = if q.filter == TicketFilter::Open {
                    "notIn"
                } else {
                    "in"
                };
                filter.push(cond(name, "status", closed));
            }
            let size = query::page_size(q.page_size, q.limit);
            let list = client.query(op, "Tickets", filter, size, q.limit);
            let keep = move |t: &Ticket| q.accepts_state(t.status.state);
            Ok(client.walk(list, TICKET, map::ticket, keep))
        }
        .try_flatten_stream()
        .boxed()
    }

    /// `GET /Tickets/{id}`.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        self.one("ticket", "Tickets", id, TICKET, map::ticket).await
    }

    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = "create_ticket";
        let fields = self.ticket_fields(op).await?;
        let mut body = Map::new();
        body.insert("title".into(), json!(t.summary));
        if let Some(d) = &t.description {
            body.insert("description".into(), json!(d));
        }
        if let Some(c) = &t.company_id {
            body.insert("companyID".into(), json!(numeric(op, c)?));
        }
        if let Some(c) = &t.contact_id {
            body.insert("contactID".into(), json!(numeric(op, c)?));
        }
        let status = match &t.status_id {
            Some(s) => Some(numeric(op, s)?),
            None => fields
                .default_value("status")
                .or(Some(picklist::STATUS_NEW)),
        };
        body.insert("status".into(), json!(status));
        let priority = match &t.priority_id {
            Some(p) => Some(numeric(op, p)?),
            None => fields.default_value("priority"),
        };
        if let Some(p) = priority {
            body.insert("priority".into(), json!(p));
        }
        merge_extra(&mut body, &t.extra);
        let req = self.http().post(op, "Tickets").json(&body);
        let created: ItemId = self.send_json("Tickets", req).await?;
        self.ticket(&Id::from(created.item_id)).await
    }

    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = "update_ticket";
        let n = numeric(op, id)?;
        if u.is_empty() {
            return self.ticket(id).await;
        }
        let mut body = Map::new();
        body.insert("id".into(), json!(n));
        if let Some(s) = &u.summary {
            body.insert("title".into(), json!(s));
        }
        if let Some(d) = &u.description {
            body.insert("description".into(), json!(d));
        }
        match &u.status {
            Some(StatusChange::Id(s)) => {
                body.insert("status".into(), json!(numeric(op, s)?));
            }
            Some(StatusChange::State(state)) => {
                let fields = self.ticket_fields(op).await?;
                let s = fields
                    .require(P, op, *state)
                    .map_err(|e| e.with_target(id.as_str()))?;
                body.insert("status".into(), json!(numeric(op, &s)?));
            }
            Some(_) | None => {}
        }
        if let Some(p) = &u.priority_id {
            body.insert("priority".into(), json!(numeric(op, p)?));
        }
        merge_extra(&mut body, &u.extra);
        let req = self.http().patch(op, "Tickets").target(n.to_string());
        let updated: ItemId = self.send_json("Tickets", req.json(&body)).await?;
        self.ticket(&Id::from(updated.item_id)).await
    }

    /// `POST /TicketNotes/query` with `ticketID eq N`.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let op = "ticket_notes";
        let n = match numeric(op, ticket) {
            Ok(n) => n,
            Err(e) => return error_stream(e),
        };
        let filter = vec![cond("eq", "ticketID", n)];
        let list = self.query(op, "TicketNotes", filter, query::MAX_PAGE_SIZE, None);
        self.walk(list, NOTE, map::ticket_note, |_| true)
    }

    async fn add_ticket_note(&self, ticket: &Id, note: NewNote) -> Result<TicketNote> {
        let op = "add_ticket_note";
        let n = numeric(op, ticket)?;
        let lookups = self.lookups(op, NOTE).await?;
        let fields = lookups.note_fields.clone().unwrap_or_default();
        let mut body = Map::new();
        body.insert("ticketID".into(), json!(n));
        body.insert("title".into(), json!(note_title(&note.text)));
        body.insert("description".into(), json!(note.text));
        let note_type = fields.default_value("noteType").unwrap_or(1);
        body.insert("noteType".into(), json!(note_type));
        body.insert(
            "publish".into(),
            json!(picklist::publish_value(&fields, note.internal)),
        );
        merge_extra(&mut body, &note.extra);
        let req = self.http().post(op, &format!("Tickets/{n}/Notes"));
        let req = req.target(n.to_string()).json(&body);
        let created: ItemId = self.send_json("Tickets", req).await?;
        let item = self.get_item(op, "TicketNotes", created.item_id).await?;
        Ok(map::ticket_note(item.value, &lookups).with_raw(item.raw))
    }

    /// `POST /Contracts/query`; a company is `companyID eq N`. Contracts
    /// carry no change timestamp: `updated_since` cannot be applied, and
    /// every contract is listed.
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let op = "agreements";
        let filter = match q.parent_id.as_ref().map(|c| numeric(op, c)).transpose() {
            Ok(company) => company.map(|n| cond("eq", "companyID", n)),
            Err(e) => return error_stream(e),
        };
        let size = query::page_size(q.page_size, q.limit);
        let list = self.query(op, "Contracts", filter.into_iter().collect(), size, q.limit);
        self.walk(list, CONTRACT, map::agreement, |_| true)
    }
}
