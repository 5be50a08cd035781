//! [`ItFlowClient`] and its [`PsaClient`] implementation.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::FixedOffset;
use futures::{StreamExt, TryStreamExt};
use mspkit_core::http::{Http, decode_value_at};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Capabilities, Company, Contact, Error, ErrorKind, ExposeSecret, Id, ItemStream, ListQuery,
    NewNote, NewTicket, Operation, Provider, PsaClient, Result, SecretString, Ticket, TicketNote,
    TicketQuery, TicketState, TicketUpdate, async_trait, error_stream, merge_extra,
};
use serde_json::{Map, Value, json};
use tokio::sync::OnceCell;

use crate::api;
use crate::builder::{API_KEY_PARAM, ItFlowClientBuilder};
use crate::errors::page_check;
use crate::map;
use crate::settings::ItFlowSettings;

const P: Provider = Provider::ItFlow;

/// Clients (companies), by `limit` / `offset`.
pub(crate) const CLIENTS: &str = "clients/read.php";
/// Locations: a client's primary one holds its phone and address.
pub(crate) const LOCATIONS: &str = "locations/read.php";
/// Contacts (no client filter on the server).
pub(crate) const CONTACTS: &str = "contacts/read.php";
/// Tickets; `?ticket_id=` reads one, with its status joined.
pub(crate) const TICKETS: &str = "tickets/read.php";
/// `POST` a new ticket.
pub(crate) const CREATE_TICKET: &str = "tickets/create.php";
/// `POST` `{ticket_id, client_id}`: status Resolved.
pub(crate) const RESOLVE_TICKET: &str = "tickets/resolve.php";
/// Ticket replies (notes); absent before mid-2026.
pub(crate) const REPLIES: &str = "ticket_replies/read.php";
/// `POST` a reply; absent before mid-2026.
pub(crate) const CREATE_REPLY: &str = "ticket_replies/create.php";

/// ITFlow's paging: `limit` and `offset`, ordered by id, no total. The
/// server sets no maximum; 100 a page keeps answers with HTML ticket
/// bodies a reasonable size.
fn paging() -> Paging {
    Paging::offset("offset").size_param("limit").max_size(100)
}

/// An ITFlow client: clients as companies, contacts, tickets and their
/// replies as notes, through [`PsaClient`].
///
/// Cheap to clone: clones share the connection pool and the status names
/// learnt so far.
#[derive(Clone)]
pub struct ItFlowClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: Http,
    key: SecretString,
    tz: FixedOffset,
    keep_raw: bool,
    /// Status id -> name, learnt from tickets read by id.
    statuses: Mutex<HashMap<u64, String>>,
    /// The install answered 404 for the reply endpoints (before mid-2026).
    no_replies: AtomicBool,
}

impl std::fmt::Debug for ItFlowClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItFlowClient")
            .field("http", &self.inner.http)
            .field("time_zone", &self.inner.tz)
            .field("keep_raw", &self.inner.keep_raw)
            .finish_non_exhaustive()
    }
}

impl ItFlowClient {
    /// A builder; see [`ItFlowClientBuilder`].
    pub fn builder() -> ItFlowClientBuilder {
        ItFlowClientBuilder::new()
    }

    /// A client for stored settings (the body of `mspkit::Config`'s
    /// `"itflow"` variant), checked before any request.
    pub fn from_settings(settings: &ItFlowSettings) -> Result<Self> {
        ItFlowClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &ItFlowSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        ItFlowClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(http: Http, key: SecretString, tz: FixedOffset, keep_raw: bool) -> Self {
        ItFlowClient {
            inner: Arc::new(Inner {
                http,
                key,
                tz,
                keep_raw,
                statuses: Mutex::new(HashMap::new()),
                no_replies: AtomicBool::new(false),
            }),
        }
    }

    /// The authenticated transport, rooted at `{site}/api/v1/`, for the
    /// endpoints the normalized model does not cover: every request carries
    /// `api_key` in its query (`client.http().get("assets", "assets/read.php")`),
    /// which ITFlow accepts on `POST`s as well.
    pub fn http(&self) -> &Http {
        &self.inner.http
    }

    /// The UTC offset ITFlow's times are read in.
    pub fn time_zone(&self) -> FixedOffset {
        self.inner.tz
    }

    /// A list of `path`, paged by `limit` / `offset`, its rows in `data`.
    fn list(&self, op: Operation, path: &str) -> ListRequest {
        ListRequest::get(op.as_str(), path)
            .items_at("data")
            .keep_raw(self.inner.keep_raw)
            .check_page(page_check(op.as_str()))
    }

    /// A JSON body for a `POST`: ITFlow reads the key from it.
    fn body(&self, mut fields: Map<String, Value>, extra: &Map<String, Value>) -> Value {
        merge_extra(&mut fields, extra);
        fields.insert(
            API_KEY_PARAM.to_owned(),
            Value::String(self.inner.key.expose_secret().to_owned()),
        );
        Value::Object(fields)
    }

    /// The rows a `GET` of `path?{param}={id}` answers, or `NotFound`
    /// (naming `id`) when ITFlow says "No resource".
    async fn read_by(&self, op: Operation, path: &str, param: &str, id: &Id) -> Result<Vec<Value>> {
        let resp = self
            .inner
            .http
            .get(op.as_str(), path)
            .query(&[(param, id.as_str())])
            .target(id.as_str())
            .send()
            .await?;
        api::Envelope::of(&resp)?
            .into_rows(&resp)
            .map_err(|e| e.with_target(id.as_str()))
    }

    /// The row among `rows` whose `field` is `id` (a server or proxy that
    /// ignores the selector answers others), decoded. A row that cannot be
    /// read is a `Decode` error, not a miss.
    fn row_of<A: serde::de::DeserializeOwned>(
        op: Operation,
        rows: Vec<Value>,
        field: &str,
        id: &Id,
    ) -> Result<(A, Value)> {
        let is_it = |r: &Value| match r.get(field) {
            Some(Value::String(s)) => s.trim() == id.as_str(),
            Some(Value::Number(n)) => n.to_string() == id.as_str(),
            _ => false,
        };
        let decode = |i: usize, row: &Value| {
            decode_value_at::<A>(P, op.as_str(), &format!("data[{i}]"), row.clone())
                .map_err(|e| e.with_target(id.as_str()))
        };
        match rows.iter().position(is_it) {
            Some(i) => Ok((decode(i, &rows[i])?, rows[i].clone())),
            None => {
                for (i, row) in rows.iter().enumerate() {
                    decode(i, row)?;
                }
                Err(Error::not_found(P, op.as_str(), "not found")
                    .with_target(id.as_str())
                    .with_reached_server(true))
            }
        }
    }

    /// The status name cached for `status`.
    fn label_of(&self, status: Option<u64>) -> Option<String> {
        let statuses = self
            .inner
            .statuses
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        status.and_then(|s| statuses.get(&s).cloned())
    }

    /// Remembers a status name a ticket read by id carried.
    fn learn_label(&self, t: &api::Ticket) {
        if let (Some(id), Some(name)) = (t.ticket_status_id, t.ticket_status_name.as_ref()) {
            if t.ticket_status == Some(id) && !name.trim().is_empty() {
                self.inner
                    .statuses
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(id, name.trim().to_owned());
            }
        }
    }

    /// Learns the names of the statuses on a page that are not known yet.
    /// ITFlow has no status endpoint, and its ticket list carries only the
    /// status id; a ticket read by id carries the name. So for each unknown
    /// status one ticket in it is read, once per client.
    async fn learn_labels(&self, wanted: Vec<(u64, u64)>) -> Result<()> {
        let mut asked = HashSet::new();
        for (status, ticket) in wanted {
            if self.label_of(Some(status)).is_some() || !asked.insert(status) {
                continue;
            }
            let id = Id::from(ticket);
            let rows = match self
                .read_by(Operation::Tickets, TICKETS, "ticket_id", &id)
                .await
            {
                Ok(rows) => rows,
                // Deleted since the page was read: the label stays unknown.
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            if let Ok((row, _)) =
                Self::row_of::<api::Ticket>(Operation::Tickets, rows, "ticket_id", &id)
            {
                self.learn_label(&row);
            }
        }
        Ok(())
    }

    /// Maps a page of tickets, naming their statuses.
    async fn ticket_page(&self, items: Vec<Item<api::Ticket>>) -> Result<Vec<Ticket>> {
        let wanted = items
            .iter()
            .filter_map(|i| i.value.ticket_status.map(|s| (s, i.value.ticket_id)))
            .collect();
        self.learn_labels(wanted).await?;
        let tz = self.inner.tz;
        Ok(items
            .into_iter()
            .map(|i| {
                let label = self.label_of(i.value.ticket_status);
                map::ticket(i.value, label, tz, i.raw)
            })
            .collect())
    }

    /// The primary location of each client (of `only`, when given).
    async fn primary_locations(&self, only: Option<u64>) -> Result<HashMap<u64, api::Location>> {
        let walk = self
            .list(Operation::Companies, LOCATIONS)
            .walk(&self.inner.http, paging())
            .filter(move |l: &api::Location| {
                map::is_primary(l) && only.is_none_or(|c| l.location_client_id == Some(c))
            })
            .map(|l: api::Location, _| l);
        let found: Result<Vec<api::Location>> = walk.try_collect().await;
        let locations = match found {
            Ok(l) => l,
            // An install without the locations endpoint: no phone or address.
            Err(e) if e.kind() == ErrorKind::NotFound && e.status() == Some(404) => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut by_client = HashMap::new();
        for l in locations {
            if let Some(c) = l.location_client_id {
                by_client.entry(c).or_insert(l);
            }
        }
        Ok(by_client)
    }

    /// Clients as companies (only client `only`, when given), each with its
    /// primary location, read once per call.
    fn company_walk(&self, q: ListQuery, only: Option<u64>) -> ItemStream<'static, Company> {
        let since = q.updated_since;
        let this = self.clone();
        let locations: Arc<OnceCell<Arc<HashMap<u64, api::Location>>>> = Arc::new(OnceCell::new());
        self.list(Operation::Companies, CLIENTS)
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.inner.http, paging())
            .filter(move |c: &Company| {
                changed_since(c.updated_at, since)
                    && only.is_none_or(|id| c.id.as_str() == id.to_string())
            })
            .map_pages(move |items: Vec<Item<api::Client>>| {
                let (this, locations) = (this.clone(), locations.clone());
                async move {
                    if items.is_empty() {
                        return Ok(Vec::new());
                    }
                    let by_client = locations
                        .get_or_try_init(|| async {
                            this.primary_locations(only).await.map(Arc::new)
                        })
                        .await?
                        .clone();
                    let tz = this.inner.tz;
                    Ok(items
                        .into_iter()
                        .map(|i| {
                            let primary = by_client.get(&i.value.client_id);
                            map::company(i.value, primary, tz, i.raw)
                        })
                        .collect())
                }
            })
    }

    /// Whether the reply endpoints are known to be missing.
    fn replies_missing(&self) -> bool {
        self.inner.no_replies.load(Ordering::Relaxed)
    }

    /// The error for an install without the reply endpoints (404), which is
    /// remembered; other errors pass.
    fn replies_error(&self, op: Operation, e: Error) -> Error {
        if e.kind() == ErrorKind::NotFound && e.status() == Some(404) {
            self.inner.no_replies.store(true, Ordering::Relaxed);
            return no_replies(op);
        }
        e
    }

    /// A ticket's client, for the write endpoints that need it.
    fn client_of(ticket: &Ticket) -> u64 {
        ticket.company_id.as_ref().and_then(Id::as_u64).unwrap_or(0)
    }
}

/// The `Unsupported` error of an install without `ticket_replies/`.
fn no_replies(op: Operation) -> Error {
    Error::unsupported(P, op.as_str()).with_message(
        "this ITFlow install has no ticket_replies endpoints (added to ITFlow in July 2026); \
         upgrade it to read and add ticket notes",
    )
}

/// An id ITFlow can take: a positive integer. Anything else is refused
/// before a request.
fn int_id(op: Operation, what: &str, id: &Id) -> Result<u64> {
    match id.as_str().trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(Error::refused(
            P,
            op.as_str(),
            format!(
                "{what} {:?} is not an ITFlow id (ids are positive integers)",
                id.as_str()
            ),
        )),
    }
}

#[async_trait]
impl PsaClient for ItFlowClient {
    fn provider(&self) -> Provider {
        P
    }

    /// Every PSA operation but agreements (ITFlow's API has no contracts
    /// endpoint). Once an install answered 404 for the ticket reply
    /// endpoints, ticket notes are left out too.
    fn capabilities(&self) -> Capabilities {
        let caps = Capabilities::all_psa().without(Operation::Agreements);
        if self.replies_missing() {
            caps.without(Operation::TicketNotes)
                .without(Operation::AddTicketNote)
        } else {
            caps
        }
    }

    /// `GET clients/read.php?limit=1`: proves the key (a key with no client
    /// to show answers "No resource", which proves it too).
    async fn test_connection(&self) -> Result<()> {
        let resp = self
            .inner
            .http
            .get("test_connection", CLIENTS)
            .query(&[("limit", "1"), ("offset", "0")])
            .send()
            .await?;
        match api::Envelope::of(&resp)?.into_rows(&resp) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// `GET clients/read.php` by `limit` / `offset`, and
    /// `GET locations/read.php` for the primary locations (phone, address).
    /// `updated_since` filters client-side (on `client_updated_at`, or
    /// `client_created_at` for a client never updated).
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        self.company_walk(q, None)
    }

    /// ITFlow has no read of one client by id: the client list is walked
    /// until it is found.
    async fn company(&self, id: &Id) -> Result<Company> {
        let op = Operation::Company.as_str();
        let Ok(n) = id.as_str().trim().parse::<u64>() else {
            return Err(Error::not_found(P, op, "not found").with_target(id.as_str()));
        };
        // No limit: a limit of 1 would ask for pages of one client.
        let found = self
            .company_walk(ListQuery::new(), Some(n))
            .try_next()
            .await
            .map_err(|e| e.with_target(id.as_str()))?;
        found.ok_or_else(|| {
            Error::not_found(P, op, "not found")
                .with_target(id.as_str())
                .with_reached_server(true)
        })
    }

    /// `GET contacts/read.php` by `limit` / `offset`. ITFlow reads no
    /// client filter here: `q.company(..)` and `updated_since` filter
    /// client-side.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let since = q.updated_since;
        let parent = q.parent_id.clone();
        let tz = self.inner.tz;
        self.list(Operation::Contacts, CONTACTS)
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.inner.http, paging())
            .filter(move |c: &Contact| {
                changed_since(c.updated_at, since)
                    && parent
                        .as_ref()
                        .is_none_or(|p| c.company_id.as_ref() == Some(p))
            })
            .map(move |c: api::Contact, raw| map::contact(c, tz, raw))
    }

    /// `GET tickets/read.php` by `limit` / `offset`. ITFlow filters nothing
    /// here: company, open/closed, states and `updated_since` (on
    /// `ticket_updated_at`, or `ticket_created_at`) apply client-side.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let this = self.clone();
        self.list(Operation::Tickets, TICKETS)
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.inner.http, paging())
            .filter(move |t: &Ticket| {
                changed_since(t.updated_at, q.updated_since)
                    && q.accepts_state(t.status.state)
                    && q.company_id
                        .as_ref()
                        .is_none_or(|c| t.company_id.as_ref() == Some(c))
            })
            .map_pages(move |items: Vec<Item<api::Ticket>>| {
                let this = this.clone();
                async move { this.ticket_page(items).await }
            })
    }

    /// `GET tickets/read.php?ticket_id={id}`, with its status name.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = Operation::Ticket;
        let rows = self.read_by(op, TICKETS, "ticket_id", id).await?;
        let (t, raw): (api::Ticket, Value) = Self::row_of(op, rows, "ticket_id", id)?;
        self.learn_label(&t);
        let label = self
            .label_of(t.ticket_status)
            .or(t.ticket_status_name.clone());
        let raw = self.inner.keep_raw.then_some(raw);
        Ok(map::ticket(t, label, self.inner.tz, raw))
    }

    /// `POST tickets/create.php`, then the ticket read back. ITFlow sets the
    /// status (New), the number and the source itself; the priority is one
    /// of `Low`, `Medium`, `High`, `Urgent` (Medium when not given).
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = Operation::CreateTicket;
        if let Some(status) = &t.status_id {
            if status.as_str().trim() != map::NEW.to_string() {
                return Err(Error::refused(
                    P,
                    op.as_str(),
                    "ITFlow creates every ticket in status New (1); change it afterwards",
                ));
            }
        }
        let mut fields = Map::new();
        fields.insert("ticket_subject".into(), json!(t.summary));
        if let Some(d) = &t.description {
            fields.insert("ticket_details".into(), json!(d));
        }
        if let Some(c) = &t.company_id {
            fields.insert("client_id".into(), json!(int_id(op, "company", c)?));
        }
        if let Some(c) = &t.contact_id {
            fields.insert("ticket_contact_id".into(), json!(int_id(op, "contact", c)?));
        }
        if let Some(p) = &t.priority_id {
            let wanted = p.as_str().trim();
            let Some(known) = map::PRIORITIES
                .iter()
                .find(|k| k.eq_ignore_ascii_case(wanted))
            else {
                return Err(Error::refused(
                    P,
                    op.as_str(),
                    format!(
                        "priority {wanted:?} is not one of ITFlow's: {}",
                        map::PRIORITIES.join(", ")
                    ),
                ));
            };
            fields.insert("ticket_priority".into(), json!(known));
        }
        let resp = self
            .inner
            .http
            .post(op.as_str(), CREATE_TICKET)
            .json(&self.body(fields, &t.extra))
            .send()
            .await?;
        let rows = api::Envelope::of(&resp)?.into_rows(&resp)?;
        let created: api::Created = match rows.into_iter().next() {
            Some(row) => decode_value_at(P, op.as_str(), "data[0]", row)?,
            None => {
                return Err(resp.redact(Error::decode(
                    P,
                    op.as_str(),
                    "data",
                    "the answer names no insert_id",
                    &String::from_utf8_lossy(resp.body()),
                )));
            }
        };
        self.ticket(&Id::from(created.insert_id)).await
    }

    /// ITFlow's API changes one thing about a ticket: it resolves it
    /// (`POST tickets/resolve.php`, status 4, `ticket_resolved_at`). A
    /// change to `Resolved` (or status id 4) is sent there, with the
    /// ticket's client as ITFlow requires; a ticket already resolved or
    /// closed is returned as it is. Other statuses are refused, and field
    /// changes are `Unsupported` (there is no ticket update endpoint).
    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = Operation::UpdateTicket;
        if u.summary.is_some()
            || u.description.is_some()
            || u.priority_id.is_some()
            || !u.extra.is_empty()
        {
            return Err(Error::unsupported(P, op.as_str()).with_message(
                "ITFlow's API has no ticket update endpoint: only a status change to resolved is possible",
            ));
        }
        let resolve = match &u.status {
            None => return self.ticket(id).await,
            Some(mspkit_core::StatusChange::State(TicketState::Resolved)) => true,
            Some(mspkit_core::StatusChange::Id(s)) => {
                s.as_str().trim() == map::RESOLVED.to_string()
            }
            Some(_) => false,
        };
        if !resolve {
            return Err(Error::refused(
                P,
                op.as_str(),
                "ITFlow's API sets one status: resolved (4, through tickets/resolve.php)",
            )
            .with_target(id.as_str()));
        }
        let ticket_id = int_id(op, "ticket", id)?;
        let current = self.ticket(id).await?;
        if current.status.state.is_closed() {
            return Ok(current);
        }
        let body = self.body(
            Map::from_iter([
                ("ticket_id".to_owned(), json!(ticket_id)),
                ("client_id".to_owned(), json!(Self::client_of(&current))),
            ]),
            &Map::new(),
        );
        let resp = self
            .inner
            .http
            .post(op.as_str(), RESOLVE_TICKET)
            .json(&body)
            .target(id.as_str())
            .send()
            .await?;
        api::Envelope::of(&resp)?
            .into_done(&resp)
            .map_err(|e| e.with_target(id.as_str()))?;
        self.ticket(id).await
    }

    /// `GET ticket_replies/read.php?ticket_id={id}` by `limit` / `offset`
    /// (archived replies left out). An install older than the endpoint
    /// (404) answers `Unsupported`, and is remembered.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let op = Operation::TicketNotes;
        if self.replies_missing() {
            return error_stream(no_replies(op));
        }
        let tz = self.inner.tz;
        let parent = ticket.clone();
        let walk = self
            .list(op, REPLIES)
            .query("ticket_id", ticket.as_str())
            .walk(&self.inner.http, paging())
            .map(move |r: api::TicketReply, raw| map::note(r, &parent, tz, raw));
        let this = self.clone();
        walk.map(move |item| item.map_err(|e| this.replies_error(op, e)))
            .boxed()
    }

    /// `POST ticket_replies/create.php` (`Internal`, or `Public`, which
    /// ITFlow emails to the contact and watchers), then the reply read back.
    /// An install older than the endpoint (404) answers `Unsupported`.
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let op = Operation::AddTicketNote;
        if self.replies_missing() {
            return Err(no_replies(op));
        }
        let ticket_id = int_id(op, "ticket", ticket)?;
        let fields = Map::from_iter([
            ("ticket_id".to_owned(), json!(ticket_id)),
            ("ticket_reply".to_owned(), json!(n.text)),
            (
                "ticket_reply_type".to_owned(),
                json!(if n.internal { "Internal" } else { "Public" }),
            ),
        ]);
        let sent = self
            .inner
            .http
            .post(op.as_str(), CREATE_REPLY)
            .json(&self.body(fields, &n.extra))
            .target(ticket.as_str())
            .send()
            .await;
        let resp = sent.map_err(|e| self.replies_error(op, e))?;
        let rows = api::Envelope::of(&resp)?
            .into_rows(&resp)
            .map_err(|e| e.with_target(ticket.as_str()))?;
        let created: api::Created = match rows.into_iter().next() {
            Some(row) => decode_value_at(P, op.as_str(), "data[0]", row)?,
            None => {
                return Err(Error::decode(
                    P,
                    op.as_str(),
                    "data",
                    "the answer names no insert_id",
                    &String::from_utf8_lossy(resp.body()),
                ));
            }
        };
        let reply_id = Id::from(created.insert_id);
        let rows = self
            .read_by(op, REPLIES, "ticket_reply_id", &reply_id)
            .await
            .map_err(|e| self.replies_error(op, e))?;
        let (r, raw): (api::TicketReply, Value) =
            Self::row_of(op, rows, "ticket_reply_id", &reply_id)?;
        let raw = self.inner.keep_raw.then_some(raw);
        Ok(map::note(r, ticket, self.inner.tz, raw))
    }
}
