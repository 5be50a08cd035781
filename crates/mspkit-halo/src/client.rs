//! [`HaloClient`] and its `PsaClient` implementation.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::{StreamExt, stream};
use mspkit_core::http::{Http, decode_json, decode_value, decode_value_at, encode_segment};
use mspkit_core::list::{Item, ListRequest, Paging, Walk};
use mspkit_core::model::merge_extra;
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Agreement, Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, Keyed, ListQuery,
    NewNote, NewTicket, Provider, PsaClient, Result, StatusChange, StatusLookup, StatusTable,
    Ticket, TicketFilter, TicketNote, TicketQuery, TicketUpdate, async_trait,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::sync::OnceCell;

use crate::api;
use crate::builder::HaloClientBuilder;
use crate::map::{self, PriorityTable};
use crate::settings::HaloSettings;

const P: Provider = Provider::Halo;

/// A HaloPSA client: customers, users, tickets, actions and contracts through
/// [`PsaClient`].
///
/// Cheap to clone; clones share the connection pool, the token, the rate
/// limiter and the status and priority look-ups.
#[derive(Clone, Debug)]
pub struct HaloClient {
    http: Http,
    keep_raw: bool,
    lookups: Arc<Lookups>,
}

/// The status and priority look-ups, read once per client. A failed load is
/// not kept: the next call tries again.
#[derive(Debug, Default)]
struct Lookups {
    statuses: OnceCell<Arc<StatusTable>>,
    priorities: OnceCell<Arc<PriorityTable>>,
}

/// Halo's paging: `page_no` from 1, `page_size` at most 100 whatever is
/// asked, the list's size in `record_count` (checked at the end).
fn paging() -> Paging {
    Paging::page_number("page_no", 1)
        .size_param("page_size")
        .max_size(100)
        .total_items("/record_count")
}

impl HaloClient {
    /// A builder.
    pub fn builder() -> HaloClientBuilder {
        HaloClientBuilder::new()
    }

    /// A client from stored settings (the body of `mspkit::Config`'s `"halo"` variant).
    pub fn from_settings(s: &HaloSettings) -> Result<Self> {
        HaloClientBuilder::from_settings(s).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        s: &HaloSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || s.allow_insecure_http;
        HaloClientBuilder::from_settings(s)
            .options(
                options
                    .allow_insecure_http(insecure)
                    .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs),
            )
            .build()
    }

    pub(crate) fn new(http: Http, keep_raw: bool) -> Self {
        HaloClient {
            http,
            keep_raw,
            lookups: Arc::default(),
        }
    }

    /// The authenticated transport, rooted at `{site}/api/`, for endpoints the
    /// normalized model does not cover (`client.http().get("op", "Agent/me")`).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// A list of `path` whose items sit under `key`.
    fn list(&self, op: &'static str, path: &str, key: &'static str) -> ListRequest {
        ListRequest::get(op, path)
            .items_at(key)
            .keep_raw(self.keep_raw)
    }

    /// Walks `list` page by page; `pageinate=true` comes after its filters.
    fn walk<T: Keyed + Send + 'static>(&self, list: ListRequest) -> Walk<T> {
        list.query("pageinate", "true").walk(&self.http, paging())
    }

    /// `GET {path}/{id}`: one object, with its original JSON.
    async fn read<A: DeserializeOwned>(
        &self,
        op: &'static str,
        path: &str,
        id: &Id,
        query: &[(&str, &str)],
    ) -> Result<(A, Value)> {
        let mut req = self
            .http
            .get(op, &format!("{path}/{}", encode_segment(id.as_str())))
            .target(id.as_str());
        if !query.is_empty() {
            req = req.query(query);
        }
        decode_one(op, req.send().await?.body())
    }

    /// The ticket statuses (`GET /api/Status?type=ticket`), read once.
    async fn statuses(&self, op: &'static str) -> Result<Arc<StatusTable>> {
        self.lookups.statuses(&self.http, op).await
    }

    async fn map_ticket(&self, op: &'static str, t: api::Ticket, raw: Value) -> Result<Ticket> {
        let (statuses, priorities) = self.lookups.both(&self.http, op).await?;
        Ok(map::ticket(
            t,
            &statuses,
            &priorities,
            self.keep_raw.then_some(raw),
        ))
    }

    /// Halo's create-or-update: `POST /api/Tickets` with a one-item array.
    async fn post_ticket(
        &self,
        op: &'static str,
        target: Option<&Id>,
        body: Map<String, Value>,
    ) -> Result<Ticket> {
        let mut req = self.http.post(op, "Tickets").json(&[Value::Object(body)]);
        if let Some(id) = target {
            req = req.target(id.as_str());
        }
        let (t, raw) = decode_one::<api::Ticket>(op, req.send().await?.body())?;
        self.map_ticket(op, t, raw).await
    }
}

impl HaloClient {
    /// The ticket list, with the date search sent when `server_since`.
    fn ticket_walk(&self, q: &TicketQuery, server_since: bool) -> ItemStream<'static, Ticket> {
        let op = "tickets";
        let mut list = self
            .list(op, "Tickets", "tickets")
            .query("order", "id")
            .query_opt("client_id", q.company_id.as_ref().map(Id::to_string));
        match q.filter {
            TicketFilter::Open => list = list.query("open_only", "true"),
            TicketFilter::Closed => list = list.query("closed_only", "true"),
            _ => {}
        }
        if let Some(since) = q.updated_since.filter(|_| server_since) {
            list = list
                .query("datesearch", "lastactiondate")
                .query("startdate", halo_date(since));
        }
        let list = list.page_size(q.page_size).limit(q.limit);
        let (http, lookups) = (self.http.clone(), self.lookups.clone());
        let query = q.clone();
        self.walk(list)
            .filter(move |t: &Ticket| {
                query.accepts_state(t.status.state)
                    && changed_since(t.updated_at, query.updated_since)
            })
            .map_pages(move |items: Vec<Item<api::Ticket>>| {
                let (http, lookups) = (http.clone(), lookups.clone());
                async move {
                    let (statuses, priorities) = lookups.both(&http, op).await?;
                    Ok(items
                        .into_iter()
                        .map(|t| map::ticket(t.value, &statuses, &priorities, t.raw))
                        .collect())
                }
            })
    }
}

impl Lookups {
    async fn statuses(&self, http: &Http, op: &'static str) -> Result<Arc<StatusTable>> {
        self.statuses
            .get_or_try_init(|| load_statuses(http, op))
            .await
            .cloned()
    }

    /// The priorities of every SLA (`GET /api/Priority`). An instance without
    /// that endpoint gives tickets priorities without labels.
    async fn priorities(&self, http: &Http, op: &'static str) -> Result<Arc<PriorityTable>> {
        self.priorities
            .get_or_try_init(|| async {
                let list = match http.get(op, "Priority").send().await {
                    Ok(resp) => bare_or_wrapped(op, resp.body(), "priorities")?,
                    Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
                    Err(e) => return Err(e),
                };
                Ok(Arc::new(PriorityTable::new(list)))
            })
            .await
            .cloned()
    }

    async fn both(
        &self,
        http: &Http,
        op: &'static str,
    ) -> Result<(Arc<StatusTable>, Arc<PriorityTable>)> {
        Ok((
            self.statuses(http, op).await?,
            self.priorities(http, op).await?,
        ))
    }
}

/// `GET /api/Status?type=ticket`.
async fn load_statuses(http: &Http, op: &'static str) -> Result<Arc<StatusTable>> {
    let resp = http.get(op, "Status").query(&[("type", "ticket")]).send();
    let list = bare_or_wrapped(op, resp.await?.body(), "statuses")?;
    Ok(Arc::new(map::status_table(list)))
}

/// A look-up list: a bare array, or an object holding it under `key`.
fn bare_or_wrapped<A: DeserializeOwned>(
    op: &'static str,
    body: &[u8],
    key: &str,
) -> Result<Vec<A>> {
    match decode_json::<Value>(P, op, body)? {
        list @ Value::Array(_) => decode_value(P, op, list),
        Value::Object(mut map) if map.contains_key(key) => {
            decode_value_at(P, op, key, map.remove(key).unwrap_or_default())
        }
        other => Err(Error::decode(
            P,
            op,
            key,
            format!("the answer has no `{key}` list"),
            &other.to_string(),
        )),
    }
}

/// Decodes a single object, or the first of an array (Halo's writes answer
/// either way), with its original JSON.
fn decode_one<A: DeserializeOwned>(op: &'static str, body: &[u8]) -> Result<(A, Value)> {
    let value = match decode_json::<Value>(P, op, body)? {
        Value::Array(items) => items
            .into_iter()
            .next()
            .ok_or_else(|| Error::decode(P, op, ".", "the answer is an empty list", "[]"))?,
        other => other,
    };
    Ok((decode_value(P, op, value.clone())?, value))
}

/// Halo ids are numbers; an id that is not one is sent as given.
fn id_json(id: &Id) -> Value {
    id.as_u64()
        .map(Value::from)
        .unwrap_or_else(|| Value::String(id.as_str().to_owned()))
}

/// Halo reads query dates without a zone as UTC, the way it stores them.
fn halo_date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

#[async_trait]
impl PsaClient for HaloClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa()
    }

    /// Reads the ticket statuses (and keeps them for the look-up, when none are yet).
    async fn test_connection(&self) -> Result<()> {
        let table = load_statuses(&self.http, "test_connection").await?;
        let _ = self.lookups.statuses.set(table);
        Ok(())
    }

    /// `GET /api/Client` (active and inactive); `updated_since` cannot apply:
    /// Halo keeps no last-changed date on customers.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let list = self
            .list("companies", "Client", "clients")
            .query("includeactive", "true")
            .query("includeinactive", "true")
            .page_size(q.page_size)
            .limit(q.limit);
        let since = q.updated_since;
        self.walk(list)
            .filter(move |c: &Company| changed_since(c.updated_at, since))
            .map(map::company)
    }

    /// `GET /api/Client/{id}`.
    async fn company(&self, id: &Id) -> Result<Company> {
        let (c, raw) = self
            .read::<api::Client>("company", "Client", id, &[])
            .await?;
        Ok(map::company(c, self.keep_raw.then_some(raw)))
    }

    /// `GET /api/Users` (active and inactive: without both flags Halo leaves
    /// inactive users out), `client_id` for one company.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let list = self
            .list("contacts", "Users", "users")
            .query("includeactive", "true")
            .query("includeinactive", "true")
            .query_opt("client_id", q.parent_id.as_ref().map(Id::to_string))
            .page_size(q.page_size)
            .limit(q.limit);
        let since = q.updated_since;
        self.walk(list)
            .filter(move |c: &Contact| changed_since(c.updated_at, since))
            .map(map::contact)
    }

    /// `GET /api/Tickets` ordered by id: `client_id`, `open_only` / `closed_only`,
    /// and `datesearch=lastactiondate&startdate=` (UTC, no zone) for
    /// `updated_since`, checked again on each ticket. An instance that
    /// refuses the date search (a 4xx) gets the list without it, filtered
    /// client-side, with a warning.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        if q.updated_since.is_none() {
            return self.ticket_walk(&q, false);
        }
        let first_try = self.ticket_walk(&q, true);
        let this = self.clone();
        stream::once(async move {
            match first_try.into_future().await {
                (Some(Err(e)), _) if e.kind() == ErrorKind::Api => {
                    tracing::warn!(
                        error = %e,
                        "halo refused datesearch=lastactiondate; filtering updated_since client-side"
                    );
                    this.ticket_walk(&q, false)
                }
                // The list was empty: the walk is over, and must not be polled again.
                (None, _) => stream::empty().boxed(),
                (Some(first), rest) => stream::once(async { first }).chain(rest).boxed(),
            }
        })
        .flatten()
        .boxed()
    }

    /// `GET /api/Tickets/{id}?includedetails=true`.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = "ticket";
        let query = [("includedetails", "true")];
        let (t, raw) = self.read::<api::Ticket>(op, "Tickets", id, &query).await?;
        self.map_ticket(op, t, raw).await
    }

    /// `POST /api/Tickets` with `[{summary, details, client_id, user_id,
    /// status_id, priority_id, ...extra}]`.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let mut body = Map::new();
        body.insert("summary".into(), Value::String(t.summary.clone()));
        if let Some(d) = &t.description {
            body.insert("details".into(), Value::String(d.clone()));
        }
        let ids = [
            ("client_id", &t.company_id),
            ("user_id", &t.contact_id),
            ("status_id", &t.status_id),
            ("priority_id", &t.priority_id),
        ];
        for (k, v) in ids {
            if let Some(id) = v {
                body.insert(k.into(), id_json(id));
            }
        }
        merge_extra(&mut body, &t.extra);
        self.post_ticket("create_ticket", None, body).await
    }

    /// `POST /api/Tickets` with `[{id, ...changes}]`; a normalized state becomes
    /// the first Halo status in that state.
    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = "update_ticket";
        if u.is_empty() {
            return self.ticket(id).await;
        }
        let mut body = Map::new();
        body.insert("id".into(), id_json(id));
        if let Some(s) = &u.summary {
            body.insert("summary".into(), Value::String(s.clone()));
        }
        if let Some(d) = &u.description {
            body.insert("details".into(), Value::String(d.clone()));
        }
        match &u.status {
            Some(StatusChange::Id(sid)) => {
                body.insert("status_id".into(), id_json(sid));
            }
            Some(StatusChange::State(state)) => {
                let statuses = self.statuses(op).await?;
                let sid = statuses
                    .require(P, op, *state)
                    .map_err(|e| e.with_target(id.as_str()))?;
                body.insert("status_id".into(), id_json(&sid));
            }
            _ => {}
        }
        if let Some(p) = &u.priority_id {
            body.insert("priority_id".into(), id_json(p));
        }
        merge_extra(&mut body, &u.extra);
        self.post_ticket(op, Some(id), body).await
    }

    /// `GET /api/Actions?ticket_id=`: every action of the ticket.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let list = self
            .list("ticket_notes", "Actions", "actions")
            .query("ticket_id", ticket.to_string());
        let ticket = ticket.clone();
        self.walk(list)
            .map(move |a: api::Action, raw| map::note(a, &ticket, raw))
    }

    /// `POST /api/Actions` with `[{ticket_id, note, hiddenfromuser, ...extra}]`;
    /// an internal note also gets the outcome `Private Note`.
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let op = "add_ticket_note";
        let mut body = Map::new();
        body.insert("ticket_id".into(), id_json(ticket));
        body.insert("note".into(), Value::String(n.text.clone()));
        body.insert("hiddenfromuser".into(), Value::Bool(n.internal));
        if n.internal {
            body.insert("outcome".into(), Value::String("Private Note".into()));
        }
        merge_extra(&mut body, &n.extra);
        let resp = self
            .http
            .post(op, "Actions")
            .target(ticket.as_str())
            .json(&[Value::Object(body)])
            .send()
            .await?;
        let (a, raw) = decode_one::<api::Action>(op, resp.body())?;
        Ok(map::note(a, ticket, self.keep_raw.then_some(raw)))
    }

    /// `GET /api/ClientContract`, `client_id` for one company. Agreements have
    /// no change date, so `updated_since` does not narrow them.
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let list = self
            .list("agreements", "ClientContract", "contracts")
            .query_opt("client_id", q.parent_id.as_ref().map(Id::to_string))
            .page_size(q.page_size)
            .limit(q.limit);
        self.walk(list).map(map::agreement)
    }
}
