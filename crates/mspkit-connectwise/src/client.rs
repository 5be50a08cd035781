//! [`ConnectWiseClient`] and its [`PsaClient`] implementation.

use std::collections::BTreeSet;
use std::sync::Arc;

use mspkit_core::http::Http;
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::reqwest::header::{HeaderName, HeaderValue};
use mspkit_core::{
    Agreement, Capabilities, Company, Contact, Error, Id, ItemStream, ListQuery, NewNote,
    NewTicket, Operation, Provider, PsaClient, Result, StatusChange, StatusLookup, Ticket,
    TicketFilter, TicketNote, TicketQuery, TicketUpdate, async_trait, error_stream,
};
use serde_json::Value;

use crate::api;
use crate::builder::ConnectWiseClientBuilder;
use crate::map;
use crate::settings::ConnectWiseSettings;
use crate::statuses::{Board, Statuses};
use crate::write::{self, Conditions, Patch, int_id};

const P: Provider = Provider::ConnectWise;

/// The largest page ConnectWise serves, and the size asked for by default.
pub const MAX_PAGE_SIZE: u32 = 1000;

const PAGINATION_TYPE: HeaderName = HeaderName::from_static("pagination-type");
const FORWARD_ONLY: HeaderValue = HeaderValue::from_static("forward-only");

/// ConnectWise's paging: `pageSize` (at most 1000), a bare array per page,
/// the next page named by the `Link` header. A full page without a `Link`
/// goes on by `page` number, so an endpoint that ignores forward-only
/// paging is still read to the end.
fn paging() -> Paging {
    Paging::link_header()
        .fallback_page("page")
        .size_param("pageSize")
        .max_size(MAX_PAGE_SIZE)
}

/// A ConnectWise Manage (REST API 3.0) client: companies, contacts, service
/// tickets and their notes, and agreements, through [`PsaClient`].
///
/// Cheap to clone: clones share the connection pool, the discovered
/// codebase and the board status cache.
#[derive(Clone, Debug)]
pub struct ConnectWiseClient {
    http: Http,
    statuses: Arc<Statuses>,
    default_board: Option<i64>,
    keep_raw: bool,
}

impl ConnectWiseClient {
    /// A builder; see [`ConnectWiseClientBuilder`].
    pub fn builder() -> ConnectWiseClientBuilder {
        ConnectWiseClientBuilder::new()
    }

    /// A client for stored settings, checked before any request.
    pub fn from_settings(settings: &ConnectWiseSettings) -> Result<Self> {
        ConnectWiseClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &ConnectWiseSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        ConnectWiseClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(http: Http, default_board: Option<i64>, keep_raw: bool) -> Self {
        ConnectWiseClient {
            http,
            statuses: Arc::new(Statuses::default()),
            default_board,
            keep_raw,
        }
    }

    /// The authenticated transport for endpoints the normalized model does
    /// not cover, rooted at the API root (`{codebase}/apis/3.0/`, the
    /// codebase discovered on the first request when the settings name none).
    ///
    /// ```no_run
    /// # async fn run(cw: mspkit_connectwise::ConnectWiseClient) -> mspkit_core::Result<()> {
    /// let priorities: serde_json::Value = cw.http().get("priorities", "service/priorities").send_json().await?;
    /// # Ok(()) }
    /// ```
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// A list of `path` with its `conditions`, walked forward-only when
    /// the endpoint allows it.
    fn list(&self, op: Operation, path: &str, c: Conditions, size: Option<u32>) -> ListRequest {
        ListRequest::get(op.as_str(), path)
            .query_opt("conditions", c.build())
            .header(PAGINATION_TYPE, FORWARD_ONLY)
            .page_size(size)
            .keep_raw(self.keep_raw)
    }

    /// `GET /service/tickets/{id}`.
    async fn get_ticket(&self, op: &'static str, id: i64) -> Result<(api::Ticket, Option<Value>)> {
        let resp = self
            .http
            .get(op, &format!("service/tickets/{id}"))
            .target(id.to_string())
            .send()
            .await?;
        resp.json_with_raw(self.keep_raw)
    }

    async fn map_ticket(
        &self,
        op: &'static str,
        t: api::Ticket,
        raw: Option<Value>,
    ) -> Result<Ticket> {
        let board = match t.board.as_ref().and_then(|b| b.id) {
            Some(id) => Some(self.statuses.board(&self.http, op, id).await?),
            None => None,
        };
        Ok(map::ticket(t, board.as_deref(), raw))
    }

    /// The ticket's description: its first discussion note.
    async fn description(&self, op: &'static str, id: i64) -> Result<Option<String>> {
        let notes: Vec<api::Note> = self
            .http
            .get(op, &format!("service/tickets/{id}/notes"))
            .query(&[
                ("conditions", "detailDescriptionFlag=true"),
                ("orderBy", "id asc"),
                ("pageSize", "1"),
            ])
            .send_json()
            .await?;
        Ok(notes.into_iter().next().and_then(|n| n.text))
    }

    /// A response ticket (create, update) mapped, keeping its original JSON when asked.
    async fn ticket_from(
        &self,
        op: &'static str,
        resp: mspkit_core::http::Response,
    ) -> Result<Ticket> {
        let (ticket, raw) = resp.json_with_raw(self.keep_raw)?;
        self.map_ticket(op, ticket, raw).await
    }
}

/// The company filter of a list query, as an integer.
fn company_filter(op: Operation, id: Option<&Id>) -> Result<Option<i64>> {
    id.map(|id| int_id(op.as_str(), "company", id)).transpose()
}

#[async_trait]
impl PsaClient for ConnectWiseClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa()
    }

    /// `GET /company/companies?pageSize=1&fields=id` (after codebase discovery).
    async fn test_connection(&self) -> Result<()> {
        self.http
            .get("test_connection", "company/companies")
            .query(&[("pageSize", "1"), ("fields", "id")])
            .send_probe()
            .await
    }

    /// `GET /company/companies`, forward-only; `updated_since` is
    /// `conditions=lastUpdated >= [..]`.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let conditions = Conditions::new().updated_since(q.updated_since);
        self.list(
            Operation::Companies,
            "company/companies",
            conditions,
            q.page_size,
        )
        .limit(q.limit)
        .walk(&self.http, paging())
        .map(map::company)
    }

    /// `GET /company/companies/{id}`.
    async fn company(&self, id: &Id) -> Result<Company> {
        let op = Operation::Company.as_str();
        let id = int_id(op, "company", id)?;
        let resp = self
            .http
            .get(op, &format!("company/companies/{id}"))
            .target(id.to_string())
            .send()
            .await?;
        let (company, raw) = resp.json_with_raw(self.keep_raw)?;
        Ok(map::company(company, raw))
    }

    /// `GET /company/contacts`, forward-only; a company is
    /// `conditions=company/id=N`, `updated_since` `lastUpdated >= [..]`.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let op = Operation::Contacts;
        let company = match company_filter(op, q.parent_id.as_ref()) {
            Ok(c) => c,
            Err(e) => return error_stream(e),
        };
        let conditions = Conditions::new()
            .company(company)
            .updated_since(q.updated_since);
        self.list(op, "company/contacts", conditions, q.page_size)
            .limit(q.limit)
            .walk(&self.http, paging())
            .map(map::contact)
    }

    /// `GET /service/tickets`, forward-only. Open/closed is
    /// `closedFlag=false|true`, a company `company/id=N`, `updated_since`
    /// `lastUpdated >= [..]`, joined with `AND`; states are filtered
    /// client-side. Each board's statuses are looked up once.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let op = Operation::Tickets;
        let company = match company_filter(op, q.company_id.as_ref()) {
            Ok(c) => c,
            Err(e) => return error_stream(e),
        };
        let closed = match q.filter {
            TicketFilter::Open => Some(false),
            TicketFilter::Closed => Some(true),
            _ => None,
        };
        let conditions = Conditions::new()
            .closed(closed)
            .company(company)
            .updated_since(q.updated_since);
        let (http, statuses) = (self.http.clone(), self.statuses.clone());
        self.list(op, "service/tickets", conditions, q.page_size)
            .limit(q.limit)
            .walk(&self.http, paging())
            .filter(move |t: &Ticket| q.accepts_state(t.status.state))
            .map_pages(move |items: Vec<Item<api::Ticket>>| {
                let (http, statuses) = (http.clone(), statuses.clone());
                async move {
                    let boards = load_boards(&http, &statuses, op.as_str(), &items).await?;
                    Ok(items
                        .into_iter()
                        .map(|item| {
                            let t = item.value;
                            let board = t.board.as_ref().and_then(|b| b.id).and_then(|id| {
                                boards.iter().find(|(b, _)| *b == id).map(|(_, s)| &**s)
                            });
                            map::ticket(t, board, item.raw)
                        })
                        .collect())
                }
            })
    }

    /// `GET /service/tickets/{id}`, with the description from its first
    /// discussion note (`GET /service/tickets/{id}/notes`).
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = Operation::Ticket.as_str();
        let id = int_id(op, "ticket", id)?;
        let (t, raw) = self.get_ticket(op, id).await?;
        let mut ticket = self.map_ticket(op, t, raw).await?;
        if ticket.description.is_none() {
            ticket.description = self.description(op, id).await?;
        }
        Ok(ticket)
    }

    /// `POST /service/tickets` with `summary`, `initialDescription` and
    /// `company`, `contact`, `status`, `priority` and `board` as `{"id": N}`;
    /// `extra` is merged last (`"board": {"name": "Help Desk"}`).
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = Operation::CreateTicket.as_str();
        let body = write::new_ticket(op, &t, self.default_board)?;
        let resp = self
            .http
            .post(op, "service/tickets")
            .json(&body)
            .send()
            .await?;
        let mut ticket = self.ticket_from(op, resp).await?;
        if ticket.description.is_none() {
            ticket.description = t.description;
        }
        Ok(ticket)
    }

    /// `PATCH /service/tickets/{id}` with a JSON-Patch document of `replace`
    /// operations (`summary`, `status`, `priority`, then each `extra` key as
    /// a path). A normalized state becomes the first active status of the
    /// ticket's board in that state. The description cannot be changed:
    /// ConnectWise keeps it as the ticket's first note.
    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = Operation::UpdateTicket.as_str();
        let id = int_id(op, "ticket", id)?;
        let refuse = |message: String| Error::refused(P, op, message).with_target(id.to_string());
        if u.description.is_some() {
            return Err(refuse(
                "ConnectWise keeps a ticket's description as its first note; add a note instead"
                    .into(),
            ));
        }
        let mut patch = Patch::default();
        if let Some(summary) = &u.summary {
            patch.replace("summary", Value::from(summary.clone()));
        }
        match &u.status {
            Some(StatusChange::Id(status)) => {
                patch.reference("status", int_id(op, "status", status)?)
            }
            Some(StatusChange::State(state)) => {
                let (current, _) = self.get_ticket(op, id).await?;
                let board = current.board.and_then(|b| b.id).ok_or_else(|| {
                    refuse(format!("ticket {id} has no board to pick a status from"))
                })?;
                let statuses = self.statuses.board(&self.http, op, board).await?;
                let status = statuses
                    .require(P, op, *state)
                    .map_err(|e| e.with_target(id.to_string()))?;
                patch.reference("status", int_id(op, "status", &status)?);
            }
            Some(_) | None => {}
        }
        if let Some(priority) = &u.priority_id {
            patch.reference("priority", int_id(op, "priority", priority)?);
        }
        patch.extra(&u.extra);
        if patch.is_empty() {
            let (t, raw) = self.get_ticket(op, id).await?;
            return self.map_ticket(op, t, raw).await;
        }
        let resp = self
            .http
            .patch(op, &format!("service/tickets/{id}"))
            .target(id.to_string())
            .json(&patch.into_json())
            .send()
            .await?;
        self.ticket_from(op, resp).await
    }

    /// `GET /service/tickets/{id}/notes`, paged by number (`Link` headers).
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let op = Operation::TicketNotes;
        let id = match int_id(op.as_str(), "ticket", ticket) {
            Ok(id) => id,
            Err(e) => return error_stream(e),
        };
        let ticket = ticket.clone();
        ListRequest::get(op.as_str(), format!("service/tickets/{id}/notes"))
            .keep_raw(self.keep_raw)
            .walk(&self.http, paging())
            .map(move |n, raw| map::note(n, &ticket, raw))
    }

    /// `POST /service/tickets/{id}/notes` with `text` and the note's flags:
    /// discussion (`detailDescriptionFlag`) or, for an internal note,
    /// internal analysis (`internalAnalysisFlag`).
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let op = Operation::AddTicketNote.as_str();
        let id = int_id(op, "ticket", ticket)?;
        let resp = self
            .http
            .post(op, &format!("service/tickets/{id}/notes"))
            .target(id.to_string())
            .json(&write::new_note(&n))
            .send()
            .await?;
        let (note, raw) = resp.json_with_raw(self.keep_raw)?;
        Ok(map::note(note, ticket, raw))
    }

    /// `GET /finance/agreements`, forward-only; a company is
    /// `conditions=company/id=N`, `updated_since` `lastUpdated >= [..]`.
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let op = Operation::Agreements;
        let company = match company_filter(op, q.parent_id.as_ref()) {
            Ok(c) => c,
            Err(e) => return error_stream(e),
        };
        let conditions = Conditions::new()
            .company(company)
            .updated_since(q.updated_since);
        self.list(op, "finance/agreements", conditions, q.page_size)
            .limit(q.limit)
            .walk(&self.http, paging())
            .map(map::agreement)
    }
}

/// The statuses of every board on a page: one cached look-up per board.
async fn load_boards(
    http: &Http,
    statuses: &Statuses,
    op: &'static str,
    items: &[Item<api::Ticket>],
) -> Result<Vec<(i64, Arc<Board>)>> {
    let ids: BTreeSet<i64> = items
        .iter()
        .filter_map(|i| i.value.board.as_ref().and_then(|b| b.id))
        .collect();
    let mut boards = Vec::with_capacity(ids.len());
    for id in ids {
        boards.push((id, statuses.board(http, op, id).await?));
    }
    Ok(boards)
}
