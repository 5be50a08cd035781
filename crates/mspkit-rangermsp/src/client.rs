//! [`RangerMspClient`] and its `PsaClient` implementation.

use chrono::Utc;
use futures::StreamExt;
use mspkit_core::http::{ApiRequest, Http, Response, decode_value_at, encode_segment};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::model::merge_extra;
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Agreement, Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, ListQuery,
    NewNote, NewTicket, Operation, Provider, PsaClient, Result, Ticket, TicketNote, TicketQuery,
    async_trait,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api;
use crate::builder::RangerMspClientBuilder;
use crate::errors::refusal_in_success;
use crate::keys::same_key;
use crate::map;
use crate::settings::RangerMspSettings;

const P: Provider = Provider::RangerMsp;

/// What the client supports: every PSA operation but `update_ticket`, which
/// the HTTP contract this crate follows does not name.
const CAPABILITIES: Capabilities = Capabilities::all_psa().without(Operation::UpdateTicket);

/// The largest page asked for (`limit`): the contract names no maximum, so
/// this crate stays at 100.
pub const MAX_PAGE_SIZE: u32 = 100;

/// A RangerMSP client: accounts, secondary contacts, tickets, history notes
/// and contracts through [`PsaClient`], over the HTTP contract described on
/// the provider's docs page.
///
/// Cheap to clone; clones share the connection pool.
#[derive(Clone, Debug)]
pub struct RangerMspClient {
    http: Http,
    keep_raw: bool,
}

/// The paging of every list: `page` from 1 and `limit`, items in `data`;
/// a `total` ends the walk where the server reports one, else a short page
/// does.
fn pages() -> Paging {
    Paging::page_number("page", 1)
        .size_param("limit")
        .max_size(MAX_PAGE_SIZE)
        .total_items("/total")
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

/// A 404 from a collection (or the first call) means the server at the
/// base URL has no RangerMSP HTTP API: say so, instead of "not found".
fn no_api(root: &str, e: Error) -> Error {
    if e.kind() != ErrorKind::NotFound || e.target().is_some() {
        return e;
    }
    let mut out = Error::new(e.provider(), e.operation(), ErrorKind::NotFound)
        .with_message(format!(
            "no RangerMSP HTTP API answers at {root} (HTTP 404): check base_url; RangerMSP's \
             documented interfaces are its Windows DLLs, .NET library and XML by e-mail, and \
             a server without an HTTP API service has nothing at this address"
        ))
        .with_reached_server(e.reached_server());
    if let Some(s) = e.status() {
        out = out.with_status(s);
    }
    if let Some(id) = e.request_id() {
        out = out.with_request_id(id);
    }
    if let Some(hint) = e.hint() {
        out = out.with_hint(hint);
    }
    out
}

/// A 2xx body as JSON; a refusal answered with 2xx is the error it means.
fn body_of(op: &'static str, resp: &Response) -> Result<Value> {
    let body: Value = resp.json()?;
    match refusal_in_success(P, op, resp.status(), &body) {
        Some(e) => Err(e),
        None => Ok(body),
    }
}

/// The item of a single answer: `{"data": {...}}`, or the item itself when
/// the body carries its id field (`id_key`, any case). `"data": null` means
/// the item is gone.
fn one<T: DeserializeOwned>(
    op: &'static str,
    body: Value,
    id_key: &str,
    keep_raw: bool,
) -> Result<(T, Option<Value>)> {
    let Value::Object(mut map) = body else {
        let text = body.to_string();
        return Err(Error::decode(
            P,
            op,
            ".",
            "the answer is not an object holding `data`",
            &text,
        ));
    };
    let data_key = map.keys().find(|k| k.eq_ignore_ascii_case("data")).cloned();
    let (item, path) = match data_key.and_then(|k| map.remove(&k)) {
        Some(Value::Null) => {
            return Err(Error::new(P, op, ErrorKind::NotFound)
                .with_message("RangerMSP answered data: null")
                .with_reached_server(true));
        }
        Some(item) => (item, "data"),
        None if map.keys().any(|k| same_key(k, id_key)) => (Value::Object(map), "."),
        None => {
            let fields: Vec<&str> = map.keys().map(String::as_str).take(8).collect();
            let text = Value::Object(map.clone()).to_string();
            return Err(Error::decode(
                P,
                op,
                "data",
                format!(
                    "the answer has no `data` (fields: {})",
                    if fields.is_empty() {
                        "none".to_owned()
                    } else {
                        fields.join(", ")
                    }
                ),
                &text,
            ));
        }
    };
    let raw = keep_raw.then(|| item.clone());
    let value = decode_value_at(P, op, path, item)?;
    Ok((value, raw))
}

/// Decodes a page of records, each read by the list kit as a JSON value,
/// into `A`, and maps it with its raw JSON when the client keeps it.
///
/// Decoding here rather than in the kit reads every record from the same
/// kind of JSON map, in a list or alone, with `raw` kept or not. That
/// matters for a field sent twice under two spellings: the first one read
/// is kept, and straight from the body "first" would follow the body's
/// order without `raw` but the map's key order with it.
fn records<A, T>(
    op: &'static str,
    keep_raw: bool,
    f: impl Fn(A, Option<Value>) -> T + Send + Sync + 'static,
) -> impl Fn(Vec<Item<Value>>) -> std::future::Ready<Result<Vec<T>>> + Send + Sync + 'static
where
    A: DeserializeOwned,
{
    move |items| {
        let out = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let raw = keep_raw.then(|| item.value.clone());
                let record = decode_value_at(P, op, &format!("data[{i}]"), item.value)?;
                Ok(f(record, raw))
            })
            .collect();
        std::future::ready(out)
    }
}

/// A status or priority id as RangerMSP takes it: a number when it is one.
fn code_json(id: &Id) -> Value {
    id.as_str()
        .trim()
        .parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::String(id.as_str().to_owned()))
}

impl RangerMspClient {
    /// A builder.
    pub fn builder() -> RangerMspClientBuilder {
        RangerMspClientBuilder::new()
    }

    /// A client from stored settings (the body of `mspkit::Config`'s
    /// `"rangermsp"` variant).
    pub fn from_settings(s: &RangerMspSettings) -> Result<Self> {
        RangerMspClientBuilder::from_settings(s).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        s: &RangerMspSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || s.allow_insecure_http;
        RangerMspClientBuilder::from_settings(s)
            .options(
                options
                    .allow_insecure_http(insecure)
                    .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs),
            )
            .build()
    }

    pub(crate) fn from_parts(http: Http, keep_raw: bool) -> Self {
        RangerMspClient { http, keep_raw }
    }

    /// The authenticated transport, rooted at the API root
    /// (`https://api.commitcrm.com/api/v1/` by default), for endpoints the
    /// normalized model does not cover, and to look at what a server really
    /// answers (`client.http().get("op", "tickets").send().await?.body()`).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// The provider.
    pub fn provider(&self) -> Provider {
        P
    }

    /// `GET companies?page=1&limit=1`: the cheapest authenticated call. A
    /// 404 says the server has no RangerMSP HTTP API at the base URL; an
    /// answer without a `data` list (a web server's own page) is a decode
    /// error quoting it.
    pub async fn test_connection(&self) -> Result<()> {
        let op = "test_connection";
        let resp = self
            .http
            .get(op, "companies")
            .query(&[("page", "1"), ("limit", "1")])
            .send()
            .await
            .map_err(|e| no_api(self.http.base_url().as_str(), e))?;
        let body = body_of(op, &resp)?;
        match body.get("data") {
            Some(Value::Array(_)) => Ok(()),
            _ => Err(Error::decode(
                P,
                op,
                "data",
                "the answer holds no `data` list: is this a RangerMSP HTTP API?",
                &String::from_utf8_lossy(resp.body()),
            )),
        }
    }

    /// A top-level list: `GET {path}` paged, its 404 read as "no API here"
    /// by [`explain`](Self::explain). Its records come as JSON values for
    /// [`records`] to decode, which also keeps `raw`.
    fn list(&self, op: &'static str, path: &'static str) -> ListRequest {
        ListRequest::get(op, path).items_at("data")
    }

    /// Turns a 404 of a top-level list into the "no API" error.
    fn explain<T: Send + 'static>(&self, s: ItemStream<'static, T>) -> ItemStream<'static, T> {
        let root = self.http.base_url().to_string();
        s.map(move |r| r.map_err(|e| no_api(&root, e))).boxed()
    }

    /// Sends a single read or write and reads its item.
    async fn single<T: DeserializeOwned>(
        &self,
        op: &'static str,
        req: ApiRequest,
        id_key: &str,
        id: Option<&Id>,
    ) -> Result<(T, Option<Value>)> {
        let tag = |e: Error| match id {
            Some(id) => target(id)(e),
            None => e,
        };
        let resp = req.send().await.map_err(tag)?;
        let body = body_of(op, &resp).map_err(tag)?;
        one(op, body, id_key, self.keep_raw).map_err(tag)
    }
}

#[async_trait]
impl PsaClient for RangerMspClient {
    fn provider(&self) -> Provider {
        P
    }

    /// Everything but `update_ticket`.
    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    /// `GET companies?page=1&limit=1`.
    async fn test_connection(&self) -> Result<()> {
        RangerMspClient::test_connection(self).await
    }

    /// `GET companies` (main accounts); `updated_since` filters client-side
    /// on `UpdateDate`.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let since = q.updated_since;
        let s = self
            .list("companies", "companies")
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, pages())
            .filter(move |c: &Company| changed_since(c.updated_at, since))
            .map_pages(records("companies", self.keep_raw, map::company));
        self.explain(s)
    }

    /// `GET companies/{AccountREC_ID}`.
    async fn company(&self, id: &Id) -> Result<Company> {
        let op = "company";
        let path = format!("companies/{}", encode_segment(id.as_str()));
        let req = self.http.get(op, &path).target(id.as_str());
        let (a, raw) = self
            .single::<api::Account>(op, req, "AccountREC_ID", Some(id))
            .await?;
        Ok(map::company(a, raw))
    }

    /// `GET contacts` (secondary contact accounts), `ParentAccountREC_ID`
    /// for one company; `updated_since` filters client-side.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let since = q.updated_since;
        let s = self
            .list("contacts", "contacts")
            .query_opt(
                "ParentAccountREC_ID",
                q.parent_id.as_ref().map(Id::to_string),
            )
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, pages())
            .filter(move |c: &Contact| changed_since(c.updated_at, since))
            .map_pages(records("contacts", self.keep_raw, map::contact));
        self.explain(s)
    }

    /// `GET tickets`, `AccountREC_ID` for one company. Open/closed, states
    /// and `updated_since` (on `UpdateDate`) filter client-side.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let since = q.updated_since;
        let query = q.clone();
        let s = self
            .list("tickets", "tickets")
            .query_opt("AccountREC_ID", q.company_id.as_ref().map(Id::to_string))
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, pages())
            .filter(move |t: &Ticket| {
                query.accepts_state(t.status.state) && changed_since(t.updated_at, since)
            })
            .map_pages(records("tickets", self.keep_raw, map::ticket));
        self.explain(s)
    }

    /// `GET tickets/{TicketREC_ID}`.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = "ticket";
        let path = format!("tickets/{}", encode_segment(id.as_str()));
        let req = self.http.get(op, &path).target(id.as_str());
        let (t, raw) = self
            .single::<api::Ticket>(op, req, "TicketREC_ID", Some(id))
            .await?;
        Ok(map::ticket(t, raw))
    }

    /// `POST tickets` with `{AccountREC_ID, ContactREC_ID, Description,
    /// Status, TicketPriority, ...extra}`. `Description` is the summary,
    /// followed on the next line by the description when there is one.
    /// A status or priority id that is a number is sent as one.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = "create_ticket";
        let mut body = Map::new();
        if let Some(c) = &t.company_id {
            body.insert("AccountREC_ID".into(), Value::String(c.to_string()));
        }
        if let Some(c) = &t.contact_id {
            body.insert("ContactREC_ID".into(), Value::String(c.to_string()));
        }
        let text = match t.description.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => format!("{}\n{d}", t.summary.trim()),
            _ => t.summary.trim().to_owned(),
        };
        body.insert("Description".into(), Value::String(text));
        if let Some(s) = &t.status_id {
            body.insert("Status".into(), code_json(s));
        }
        if let Some(p) = &t.priority_id {
            body.insert("TicketPriority".into(), code_json(p));
        }
        merge_extra(&mut body, &t.extra);
        let req = self.http.post(op, "tickets").json(&Value::Object(body));
        let (t, raw) = self
            .single::<api::Ticket>(op, req, "TicketREC_ID", None)
            .await?;
        Ok(map::ticket(t, raw))
    }

    /// `GET tickets/{TicketREC_ID}/notes`: the ticket's history notes.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let path = format!("tickets/{}/notes", encode_segment(ticket.as_str()));
        let ticket = ticket.clone();
        let tag = ticket.clone();
        let note = move |n: api::HistoryNote, raw| map::note(n, &ticket, raw);
        ListRequest::get("ticket_notes", path)
            .items_at("data")
            .walk(&self.http, pages())
            .map_pages(records("ticket_notes", self.keep_raw, note))
            .map(move |r| r.map_err(|e| target(&tag)(e)))
            .boxed()
    }

    /// `POST tickets/{TicketREC_ID}/notes` with `{Description, ...extra}`:
    /// a history note on the ticket. History notes are internal records,
    /// so `internal` changes nothing (the note comes back internal).
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let op = "add_ticket_note";
        let mut body = Map::new();
        body.insert("Description".into(), Value::String(n.text.clone()));
        merge_extra(&mut body, &n.extra);
        let path = format!("tickets/{}/notes", encode_segment(ticket.as_str()));
        let req = self
            .http
            .post(op, &path)
            .target(ticket.as_str())
            .json(&Value::Object(body));
        let (note, raw) = self
            .single::<api::HistoryNote>(op, req, "HistoryNoteREC_ID", Some(ticket))
            .await?;
        Ok(map::note(note, ticket, raw))
    }

    /// `GET contracts`, `AccountREC_ID` for one company; contracts carry no
    /// change date, so `updated_since` cannot narrow them (all are listed).
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let today = Utc::now().date_naive();
        let s = self
            .list("agreements", "contracts")
            .query_opt("AccountREC_ID", q.parent_id.as_ref().map(Id::to_string))
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, pages())
            .map_pages(records(
                "agreements",
                self.keep_raw,
                move |c: api::Contract, raw| map::agreement(c, today, raw),
            ));
        self.explain(s)
    }
}
