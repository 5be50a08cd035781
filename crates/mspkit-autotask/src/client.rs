//! [`AutotaskClient`] and its [`PsaClient`] implementation.

use std::sync::Arc;

use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryFutureExt, TryStreamExt};
use mspkit_core::http::{ApiRequest, Http, Response, decode_value_at};
use mspkit_core::{
    Agreement, Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, ListQuery,
    NewNote, NewTicket, Provider, PsaClient, Result, StatusChange, Ticket, TicketFilter,
    TicketNote, TicketQuery, TicketUpdate, async_trait, error_stream, merge_extra,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tokio::sync::OnceCell;

use crate::api::{self, FieldsResult, ItemId, SingleItem, ThresholdInformation};
use crate::builder::AutotaskClientBuilder;
use crate::limits::EndpointGate;
use crate::map::{self, Lookups, Names};
use crate::paging::{Cx, Walk};
use crate::picklist::{self, EntityFields};
use crate::query::{self, cond};
use crate::settings::AutotaskSettings;
use crate::zone::Zone;

const P: Provider = Provider::Autotask;

/// A client of one Autotask database. Cheap to clone: clones share the
/// transport, the zone, the picklist cache and the per-endpoint limits.
#[derive(Clone)]
pub struct AutotaskClient {
    inner: Arc<Inner>,
}

struct Inner {
    username: String,
    options: mspkit_core::ClientOptions,
    zone: Zone,
    api: OnceCell<Http>,
    gate: EndpointGate,
    ticket_fields: OnceCell<Arc<EntityFields>>,
    note_fields: OnceCell<Arc<EntityFields>>,
    contract_fields: OnceCell<Arc<EntityFields>>,
    resources: OnceCell<Arc<Names>>,
    countries: OnceCell<Arc<Names>>,
}

impl std::fmt::Debug for AutotaskClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let zone = match (&self.inner.zone, self.inner.api.get()) {
            (_, Some(http)) => http.base_url().to_string(),
            (Zone::Discover(d), None) => format!("(to be looked up at {})", d.lookup_url()),
            (Zone::Fixed(http), None) => http.base_url().to_string(),
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
    /// settings' own `allow_insecure_http` still applies.
    pub fn from_settings_with(
        settings: &AutotaskSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        AutotaskClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure))
            .build()
    }

    pub(crate) fn new(username: String, options: mspkit_core::ClientOptions, zone: Zone) -> Self {
        let api = match &zone {
            Zone::Fixed(http) => OnceCell::new_with(Some(http.clone())),
            Zone::Discover(_) => OnceCell::new(),
        };
        AutotaskClient {
            inner: Arc::new(Inner {
                username,
                options,
                zone,
                api,
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
    /// normalized model does not cover (auth, retry and rate limit applied).
    /// When no `base_url` was given, the first call looks the zone up
    /// (`zoneInformation?user=`) and every later one reuses it.
    ///
    /// Requests sent through it directly do not take the client's
    /// per-endpoint slots (three at a time); keep to that limit yourself.
    pub async fn http(&self) -> Result<&Http> {
        match &self.inner.zone {
            Zone::Fixed(http) => Ok(http),
            Zone::Discover(discovery) => {
                self.inner
                    .api
                    .get_or_try_init(|| discovery.resolve(&self.inner.username))
                    .await
            }
        }
    }

    /// How much of the hourly request budget (10,000 per rolling hour, shared
    /// by every integration of the database) is used (`GET /ThresholdInformation`).
    pub async fn threshold_information(&self) -> Result<ThresholdInformation> {
        let http = self.http().await?;
        let req = http.get("threshold_information", "ThresholdInformation");
        self.send_json("ThresholdInformation", req).await
    }

    pub(crate) fn keep_raw(&self) -> bool {
        self.inner.options.keep_raw
    }

    /// Sends `req` once a slot on `entity` is free.
    pub(crate) async fn send(&self, entity: &str, req: ApiRequest) -> Result<Response> {
        let _slot = self.inner.gate.enter(entity).await;
        req.send().await
    }

    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        entity: &str,
        req: ApiRequest,
    ) -> Result<T> {
        self.send(entity, req).await?.json()
    }

    /// `GET /{Entity}/{id}`: the record, or `NotFound` for `{"item": null}`.
    async fn get_item(&self, operation: &'static str, entity: &str, id: i64) -> Result<Value> {
        let http = self.http().await?;
        let req = http
            .get(operation, &format!("{entity}/{id}"))
            .target(id.to_string());
        let single: SingleItem = self.send_json(entity, req).await?;
        single.item.filter(|v| !v.is_null()).ok_or_else(|| {
            Error::not_found(P, operation, format!("{entity} {id} does not exist"))
                .with_target(id.to_string())
        })
    }

    async fn fields(
        &self,
        cell: &OnceCell<Arc<EntityFields>>,
        operation: &'static str,
        entity: &'static str,
    ) -> Result<Arc<EntityFields>> {
        cell.get_or_try_init(|| async {
            let http = self.http().await?;
            let req = http.get(operation, &format!("{entity}/entityInformation/fields"));
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

    async fn note_fields(&self, operation: &'static str) -> Result<Arc<EntityFields>> {
        self.fields(&self.inner.note_fields, operation, "TicketNotes")
            .await
    }

    async fn contract_fields(&self, operation: &'static str) -> Result<Arc<EntityFields>> {
        self.fields(&self.inner.contract_fields, operation, "Contracts")
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
            let walk = Walk {
                client: self.clone(),
                operation,
                entity,
                filter: vec![query::everything()],
                page_size: query::MAX_PAGE_SIZE,
                limit: None,
                lookups: no_lookups,
                map: |v, _, _| Ok(v),
            };
            match walk.stream(None).try_collect::<Vec<Value>>().await {
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

    async fn resources(&self, operation: &'static str) -> Result<Arc<Names>> {
        self.names(&self.inner.resources, operation, "Resources", |v| {
            let r: api::Resource = serde_json::from_value(v.clone()).ok()?;
            Some((r.id, map::resource_name(&r)?))
        })
        .await
    }

    async fn countries(&self, operation: &'static str) -> Result<Arc<Names>> {
        self.names(&self.inner.countries, operation, "Countries", |v| {
            let c: api::Country = serde_json::from_value(v.clone()).ok()?;
            Some((c.id, map::country_name(&c)?))
        })
        .await
    }

    async fn company_lookups(&self, op: &'static str) -> Result<Lookups> {
        Ok(Lookups {
            countries: Some(self.countries(op).await?),
            ..Lookups::default()
        })
    }

    async fn ticket_lookups(&self, op: &'static str) -> Result<Lookups> {
        Ok(Lookups {
            ticket_fields: Some(self.ticket_fields(op).await?),
            resources: Some(self.resources(op).await?),
            ..Lookups::default()
        })
    }

    async fn note_lookups(&self, op: &'static str) -> Result<Lookups> {
        Ok(Lookups {
            note_fields: Some(self.note_fields(op).await?),
            resources: Some(self.resources(op).await?),
            ..Lookups::default()
        })
    }

    async fn contract_lookups(&self, op: &'static str) -> Result<Lookups> {
        Ok(Lookups {
            contract_fields: Some(self.contract_fields(op).await?),
            ..Lookups::default()
        })
    }

    fn ticket_stream(&self, q: TicketQuery) -> ItemStream<'static, Ticket> {
        let client = self.clone();
        let op = "tickets";
        async move {
            let mut filter = Vec::new();
            if let Some(company) = &q.company_id {
                filter.push(cond("eq", "companyID", numeric(op, company)?));
            }
            if let Some(since) = q.updated_since {
                filter.push(query::changed_since(
                    &["lastActivityDate", "lastTrackedModificationDateTime"],
                    since,
                ));
            }
            if q.filter != TicketFilter::All {
                let closed = client.ticket_fields(op).await?.closed_statuses();
                let op_name = if q.filter == TicketFilter::Open {
                    "notIn"
                } else {
                    "in"
                };
                filter.push(cond(op_name, "status", closed));
            }
            if filter.is_empty() {
                filter.push(query::everything());
            }
            let walk = Walk {
                client,
                operation: op,
                entity: "Tickets",
                filter,
                page_size: query::page_size(q.page_size, q.limit),
                limit: q.limit,
                lookups: |c| c.ticket_lookups("tickets").boxed(),
                map: ticket_from,
            };
            let keep = move |t: &Ticket| q.accepts_state(t.status.state);
            Ok(walk.stream(Some(Box::new(keep))))
        }
        .try_flatten_stream()
        .boxed()
    }
}

fn no_lookups(_: &AutotaskClient) -> BoxFuture<'_, Result<Lookups>> {
    async { Ok(Lookups::default()) }.boxed()
}

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

/// Decodes one record, naming `items[i].field` (or `item.field`) on failure,
/// and keeps the original when `keep_raw` is on.
fn decode<A: DeserializeOwned>(value: Value, cx: &Cx) -> Result<(A, Option<Value>)> {
    let raw = cx.keep_raw.then(|| value.clone());
    let at = match cx.index {
        Some(i) => format!("items[{i}]"),
        None => "item".to_owned(),
    };
    let decoded = decode_value_at::<A>(P, cx.operation, &at, value)?;
    Ok((decoded, raw))
}

fn company_from(v: Value, l: &Lookups, cx: &Cx) -> Result<Company> {
    let (c, raw) = decode::<api::Company>(v, cx)?;
    let mut out = map::company(c, l);
    out.raw = raw;
    Ok(out)
}

fn contact_from(v: Value, _: &Lookups, cx: &Cx) -> Result<Contact> {
    let (c, raw) = decode::<api::Contact>(v, cx)?;
    let mut out = map::contact(c);
    out.raw = raw;
    Ok(out)
}

fn ticket_from(v: Value, l: &Lookups, cx: &Cx) -> Result<Ticket> {
    let (t, raw) = decode::<api::Ticket>(v, cx)?;
    let mut out = map::ticket(t, l);
    out.raw = raw;
    Ok(out)
}

fn note_from(v: Value, l: &Lookups, cx: &Cx) -> Result<TicketNote> {
    let (n, raw) = decode::<api::TicketNote>(v, cx)?;
    let mut out = map::ticket_note(n, l);
    out.raw = raw;
    Ok(out)
}

fn agreement_from(v: Value, l: &Lookups, cx: &Cx) -> Result<Agreement> {
    let (c, raw) = decode::<api::Contract>(v, cx)?;
    let mut out = map::agreement(c, l);
    out.raw = raw;
    Ok(out)
}

fn single(operation: &'static str, keep_raw: bool) -> Cx {
    Cx {
        operation,
        index: None,
        keep_raw,
    }
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

    async fn test_connection(&self) -> Result<()> {
        self.threshold_information().await.map(|_| ())
    }

    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let filter = match q.updated_since {
            Some(since) => {
                query::changed_since(&["lastActivityDate", "lastTrackedModifiedDateTime"], since)
            }
            None => query::everything(),
        };
        Walk {
            client: self.clone(),
            operation: "companies",
            entity: "Companies",
            filter: vec![filter],
            page_size: query::page_size(q.page_size, q.limit),
            limit: q.limit,
            lookups: |c| c.company_lookups("companies").boxed(),
            map: company_from,
        }
        .stream(None)
    }

    async fn company(&self, id: &Id) -> Result<Company> {
        let op = "company";
        let n = numeric(op, id)?;
        let lookups = self.company_lookups(op).await?;
        let value = self.get_item(op, "Companies", n).await?;
        company_from(value, &lookups, &single(op, self.keep_raw()))
    }

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
            filter.push(query::changed_since(
                &["lastActivityDate", "lastModifiedDate"],
                since,
            ));
        }
        if filter.is_empty() {
            filter.push(query::everything());
        }
        Walk {
            client: self.clone(),
            operation: op,
            entity: "Contacts",
            filter,
            page_size: query::page_size(q.page_size, q.limit),
            limit: q.limit,
            lookups: no_lookups,
            map: contact_from,
        }
        .stream(None)
    }

    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        self.ticket_stream(q)
    }

    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = "ticket";
        let n = numeric(op, id)?;
        let lookups = self.ticket_lookups(op).await?;
        let value = self.get_item(op, "Tickets", n).await?;
        ticket_from(value, &lookups, &single(op, self.keep_raw()))
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
        let http = self.http().await?;
        let created: ItemId = self
            .send_json("Tickets", http.post(op, "Tickets").json(&body))
            .await?;
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
                let Some(s) = fields.first_status_in(*state) else {
                    return Err(Error::refused(
                        P,
                        op,
                        format!("the tenant has no active ticket status in state {state:?}"),
                    )
                    .with_target(id.as_str()));
                };
                body.insert("status".into(), json!(s));
            }
            Some(_) | None => {}
        }
        if let Some(p) = &u.priority_id {
            body.insert("priority".into(), json!(numeric(op, p)?));
        }
        merge_extra(&mut body, &u.extra);
        let http = self.http().await?;
        let updated: ItemId = self
            .send_json(
                "Tickets",
                http.patch(op, "Tickets").target(n.to_string()).json(&body),
            )
            .await?;
        self.ticket(&Id::from(updated.item_id)).await
    }

    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let op = "ticket_notes";
        let n = match numeric(op, ticket) {
            Ok(n) => n,
            Err(e) => return error_stream(e),
        };
        Walk {
            client: self.clone(),
            operation: op,
            entity: "TicketNotes",
            filter: vec![cond("eq", "ticketID", n)],
            page_size: query::MAX_PAGE_SIZE,
            limit: None,
            lookups: |c| c.note_lookups("ticket_notes").boxed(),
            map: note_from,
        }
        .stream(None)
    }

    async fn add_ticket_note(&self, ticket: &Id, note: NewNote) -> Result<TicketNote> {
        let op = "add_ticket_note";
        let n = numeric(op, ticket)?;
        let lookups = self.note_lookups(op).await?;
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
        let http = self.http().await?;
        let created: ItemId = self
            .send_json(
                "Tickets",
                http.post(op, &format!("Tickets/{n}/Notes"))
                    .target(n.to_string())
                    .json(&body),
            )
            .await?;
        let value = self.get_item(op, "TicketNotes", created.item_id).await?;
        note_from(value, &lookups, &single(op, self.keep_raw()))
    }

    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let op = "agreements";
        let filter = match &q.parent_id {
            Some(company) => match numeric(op, company) {
                Ok(n) => cond("eq", "companyID", n),
                Err(e) => return error_stream(e),
            },
            None => query::everything(),
        };
        // Contracts carry no change timestamp: `updated_since` cannot be
        // applied, and every contract is listed.
        Walk {
            client: self.clone(),
            operation: op,
            entity: "Contracts",
            filter: vec![filter],
            page_size: query::page_size(q.page_size, q.limit),
            limit: q.limit,
            lookups: |c| c.contract_lookups("agreements").boxed(),
            map: agreement_from,
        }
        .stream(None)
    }
}
