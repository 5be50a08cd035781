//! [`HaloClient`] and its `PsaClient` implementation.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use mspkit_core::http::{Http, encode_segment};
use mspkit_core::model::merge_extra;
use mspkit_core::paging::{Page, Pager, changed_since};
use mspkit_core::{
    Agreement, Capabilities, Company, Contact, Error, Id, ItemStream, ListQuery, NewNote,
    NewTicket, Provider, PsaClient, Result, StatusChange, Ticket, TicketFilter, TicketNote,
    TicketQuery, TicketUpdate, async_trait,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api;
use crate::builder::HaloClientBuilder;
use crate::lookups::{Lookups, load_statuses};
use crate::map;
use crate::paging::{Cursor, ListRequest, decode_item, decode_one};
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
    /// settings' own `allow_insecure_http` still applies.
    pub fn from_settings_with(
        s: &HaloSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || s.allow_insecure_http;
        HaloClientBuilder::from_settings(s)
            .options(options.allow_insecure_http(insecure))
            .build()
    }

    pub(crate) fn from_parts(http: Http, keep_raw: bool, lookups: Arc<Lookups>) -> Self {
        HaloClient {
            http,
            keep_raw,
            lookups,
        }
    }

    /// The authenticated transport, rooted at `{site}/api/`, for endpoints the
    /// normalized model does not cover (`client.http().get("op", "Agent/me")`).
    pub fn http(&self) -> &Http {
        &self.http
    }

    async fn map_ticket(&self, op: &'static str, t: api::Ticket, raw: Value) -> Result<Ticket> {
        let statuses = self.lookups.statuses(&self.http, op).await?;
        let priorities = self.lookups.priorities(&self.http, op).await?;
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
        let resp = req.send().await?;
        let (t, raw) = decode_one::<api::Ticket>(op, resp.body())?;
        self.map_ticket(op, t, raw).await
    }
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

fn decode_all<A: DeserializeOwned, T>(
    req: &ListRequest,
    items: Vec<Value>,
    keep_raw: bool,
    f: impl Fn(A, Option<Value>) -> T,
) -> Result<Vec<T>> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let raw = keep_raw.then(|| v.clone());
            decode_item(req.operation, req.key, i, v).map(|a| f(a, raw))
        })
        .collect()
}

fn page<T>(items: Vec<T>, next: Option<Cursor>, total: Option<u64>) -> Page<T, Cursor> {
    let p = Page::new(items, next);
    match total {
        Some(n) => p.with_total(n),
        None => p,
    }
}

/// A plain list: every page decoded and mapped by `f`.
fn simple_list<A, T>(
    http: &Http,
    keep_raw: bool,
    req: ListRequest,
    page_size: Option<u32>,
    limit: Option<usize>,
    keep: impl Fn(&T) -> bool + Send + Sync + 'static,
    f: fn(A, Option<Value>) -> T,
) -> ItemStream<'static, T>
where
    A: DeserializeOwned + Send + 'static,
    T: Send + 'static,
{
    let http = http.clone();
    Pager::new(P, req.operation)
        .limit(limit)
        .filter(keep)
        .stream(Cursor::first(page_size), move |cursor| {
            let (http, req) = (http.clone(), req.clone());
            async move {
                let raw = req.fetch(&http, &cursor).await?;
                let items = decode_all(&req, raw.items, keep_raw, f)?;
                Ok(page(items, raw.next, raw.total))
            }
        })
}

#[async_trait]
impl PsaClient for HaloClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa()
    }

    /// Reads the ticket statuses (and keeps them for the look-up).
    async fn test_connection(&self) -> Result<()> {
        let table = load_statuses(&self.http, "test_connection").await?;
        self.lookups.offer_statuses(table);
        Ok(())
    }

    /// `GET /api/Client` (active and inactive); `updated_since` cannot apply:
    /// Halo keeps no last-changed date on customers.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let req = ListRequest::new("companies", "Client", "clients")
            .param("includeactive", "true")
            .param("includeinactive", "true");
        let since = q.updated_since;
        simple_list(
            &self.http,
            self.keep_raw,
            req,
            q.page_size,
            q.limit,
            move |c: &Company| changed_since(c.updated_at, since),
            map::company,
        )
    }

    /// `GET /api/Client/{id}`.
    async fn company(&self, id: &Id) -> Result<Company> {
        let op = "company";
        let resp = self
            .http
            .get(op, &format!("Client/{}", encode_segment(id.as_str())))
            .target(id.as_str())
            .send()
            .await?;
        let (c, raw) = decode_one::<api::Client>(op, resp.body())?;
        Ok(map::company(c, self.keep_raw.then_some(raw)))
    }

    /// `GET /api/Users`, `client_id` for one company.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let req = ListRequest::new("contacts", "Users", "users")
            .param_opt("client_id", q.parent_id.as_ref().map(Id::to_string));
        let since = q.updated_since;
        simple_list(
            &self.http,
            self.keep_raw,
            req,
            q.page_size,
            q.limit,
            move |c: &Contact| changed_since(c.updated_at, since),
            map::contact,
        )
    }

    /// `GET /api/Tickets` ordered by id: `client_id`, `open_only` / `closed_only`,
    /// and `datesearch=lastactiondate&startdate=` for `updated_since` (checked
    /// again on each ticket, so an instance that ignores it only costs pages).
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let op = "tickets";
        let mut req = ListRequest::new(op, "Tickets", "tickets")
            .param("order", "id")
            .param_opt("client_id", q.company_id.as_ref().map(Id::to_string));
        match q.filter {
            TicketFilter::Open => req = req.param("open_only", "true"),
            TicketFilter::Closed => req = req.param("closed_only", "true"),
            _ => {}
        }
        if let Some(since) = q.updated_since {
            req = req
                .param("datesearch", "lastactiondate")
                .param("startdate", halo_date(since));
        }
        let (http, keep_raw, lookups) = (self.http.clone(), self.keep_raw, self.lookups.clone());
        let since = q.updated_since;
        let query = q.clone();
        Pager::new(P, op)
            .limit(q.limit)
            .filter(move |t: &Ticket| {
                query.accepts_state(t.status.state) && changed_since(t.updated_at, since)
            })
            .stream(Cursor::first(q.page_size), move |cursor| {
                let (http, req, lookups) = (http.clone(), req.clone(), lookups.clone());
                async move {
                    let raw = req.fetch(&http, &cursor).await?;
                    let statuses = lookups.statuses(&http, op).await?;
                    let priorities = lookups.priorities(&http, op).await?;
                    let items = decode_all(&req, raw.items, keep_raw, |t, r| {
                        map::ticket(t, &statuses, &priorities, r)
                    })?;
                    Ok(page(items, raw.next, raw.total))
                }
            })
    }

    /// `GET /api/Tickets/{id}?includedetails=true`.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = "ticket";
        let resp = self
            .http
            .get(op, &format!("Tickets/{}", encode_segment(id.as_str())))
            .target(id.as_str())
            .query(&[("includedetails", "true")])
            .send()
            .await?;
        let (t, raw) = decode_one::<api::Ticket>(op, resp.body())?;
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
                let statuses = self.lookups.statuses(&self.http, op).await?;
                let sid = statuses.first_in(*state).ok_or_else(|| {
                    Error::refused(
                        P,
                        op,
                        format!("no Halo ticket status is in the state {state:?}"),
                    )
                    .with_target(id.as_str())
                })?;
                body.insert("status_id".into(), Value::from(sid));
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
        let req = ListRequest::new("ticket_notes", "Actions", "actions")
            .param("ticket_id", ticket.to_string());
        let (http, keep_raw, ticket) = (self.http.clone(), self.keep_raw, ticket.clone());
        Pager::new(P, req.operation).stream(Cursor::first(None), move |cursor| {
            let (http, req, ticket) = (http.clone(), req.clone(), ticket.clone());
            async move {
                let raw = req.fetch(&http, &cursor).await?;
                let items = decode_all(&req, raw.items, keep_raw, |a, r| map::note(a, &ticket, r))?;
                Ok(page(items, raw.next, raw.total))
            }
        })
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
        let req = ListRequest::new("agreements", "ClientContract", "contracts")
            .param_opt("client_id", q.parent_id.as_ref().map(Id::to_string));
        simple_list(
            &self.http,
            self.keep_raw,
            req,
            q.page_size,
            q.limit,
            |_: &Agreement| true,
            map::agreement,
        )
    }
}
