//! [`FreshserviceClient`] and its [`PsaClient`] implementation.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use mspkit_core::http::{Http, Response, decode_value_at, encode_segment};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::model::merge_extra;
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Agreement, Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, ListQuery,
    NewNote, NewTicket, Operation, Provider, PsaClient, Result, StatusChange, StatusLookup, Ticket,
    TicketNote, TicketQuery, TicketUpdate, async_trait,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::sync::OnceCell;

use crate::api;
use crate::builder::FreshserviceClientBuilder;
use crate::errors::REQUIRE_FEATURE;
use crate::map;
use crate::settings::{CompanySource, FreshserviceSettings};

const P: Provider = Provider::Freshservice;

/// The `updated_since` sent when the caller gives none: without it List
/// Tickets answers only the tickets created in the last 30 days.
pub const EARLIEST_UPDATED_SINCE: &str = "2000-01-01T00:00:00Z";

/// Freshservice's paging: `page` from 1 and `per_page` up to 100; the next
/// page is the `Link: <...>; rel="next"` header, absent on the last page.
/// (No `fallback_page`: Freshservice sends the link whenever a page follows,
/// and a full last page without one is the end, not a reason to ask again.)
fn paging() -> Paging {
    Paging::link_header().size_param("per_page").max_size(100)
}

/// Freshservice's query timestamps: UTC, whole seconds.
fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Look-ups fetched once per client and shared by its clones.
#[derive(Debug, Default)]
struct Lookups {
    /// Labels of the tenant's own statuses, from the ticket form.
    statuses: OnceCell<Arc<HashMap<u64, String>>>,
    /// Contract type names by id.
    contract_types: OnceCell<Arc<HashMap<u64, String>>>,
}

/// A Freshservice client: departments or workspaces as companies,
/// requesters, tickets, conversations and contracts, through [`PsaClient`].
///
/// Cheap to clone: clones share the connection pool, the rate limiter and
/// the look-ups.
#[derive(Clone, Debug)]
pub struct FreshserviceClient {
    http: Http,
    keep_raw: bool,
    source: CompanySource,
    lookups: Arc<Lookups>,
}

impl FreshserviceClient {
    /// A builder; see [`FreshserviceClientBuilder`].
    pub fn builder() -> FreshserviceClientBuilder {
        FreshserviceClientBuilder::new()
    }

    /// A client for stored settings, checked before any request.
    pub fn from_settings(settings: &FreshserviceSettings) -> Result<Self> {
        FreshserviceClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &FreshserviceSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        FreshserviceClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(http: Http, keep_raw: bool, source: CompanySource) -> Self {
        FreshserviceClient {
            http,
            keep_raw,
            source,
            lookups: Arc::new(Lookups::default()),
        }
    }

    /// The authenticated transport, rooted at `https://{domain}.freshservice.com/api/v2/`,
    /// for endpoints the normalized model does not cover
    /// (`client.http().get("assets", "assets")`).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// What this client takes as a company.
    pub fn company_source(&self) -> CompanySource {
        self.source
    }

    fn by_workspace(&self) -> bool {
        self.source == CompanySource::Workspaces
    }

    fn list(&self, op: &'static str, path: impl Into<String>) -> ListRequest {
        ListRequest::get(op, path).keep_raw(self.keep_raw)
    }

    /// The companies' list: departments or workspaces.
    fn companies_list(&self, op: &'static str) -> (ListRequest, bool) {
        match self.source {
            CompanySource::Departments => {
                (self.list(op, "departments").items_at("departments"), false)
            }
            CompanySource::Workspaces => (self.list(op, "workspaces").items_at("workspaces"), true),
        }
    }

    /// Every workspace (client) of an MSP tenant, then `each` of them in
    /// turn: the lists that a tenant with workspaces answers per workspace.
    fn per_workspace<T: Send + 'static>(
        &self,
        op: &'static str,
        limit: Option<usize>,
        each: impl Fn(Id) -> ItemStream<'static, T> + Send + Sync + 'static,
    ) -> ItemStream<'static, T> {
        let workspaces = self
            .list(op, "workspaces")
            .items_at("workspaces")
            .keep_raw(false)
            .walk(&self.http, paging())
            .map(map::workspace);
        let all = workspaces.map_ok(move |w| each(w.id)).try_flatten();
        match limit {
            Some(n) => all.take(n).boxed(),
            None => all.boxed(),
        }
    }

    /// The labels of the tenant's own statuses, read once from the ticket form.
    async fn custom_statuses(&self, op: &'static str) -> Result<Arc<HashMap<u64, String>>> {
        load_custom_statuses(&self.http, &self.lookups, op).await
    }

    fn tickets_walk(&self, q: TicketQuery) -> ItemStream<'static, Ticket> {
        let op = Operation::Tickets.as_str();
        let since = q.updated_since;
        let mut list = self
            .list(op, "tickets")
            .items_at("tickets")
            .query(
                "updated_since",
                since.map_or_else(|| EARLIEST_UPDATED_SINCE.to_owned(), timestamp),
            )
            .page_size(q.page_size)
            .limit(q.limit);
        let by_workspace = self.by_workspace();
        if by_workspace {
            if let Some(ws) = &q.company_id {
                list = list.query("workspace_id", ws.as_str());
            }
        }
        let (http, lookups) = (self.http.clone(), self.lookups.clone());
        let query = q.clone();
        list.walk(&self.http, paging())
            .filter(move |t: &Ticket| {
                query.accepts_state(t.status.state)
                    && changed_since(t.updated_at, since)
                    && query
                        .company_id
                        .as_ref()
                        .is_none_or(|c| t.company_id.as_ref() == Some(c))
            })
            .map_pages(move |items: Vec<Item<api::Ticket>>| {
                let (http, lookups) = (http.clone(), lookups.clone());
                async move {
                    let labels = if items.iter().any(|i| has_custom_status(&i.value)) {
                        load_custom_statuses(&http, &lookups, op).await?
                    } else {
                        Arc::default()
                    };
                    Ok(items
                        .into_iter()
                        .map(|i| map::ticket(i.value, by_workspace, &labels, i.raw))
                        .collect())
                }
            })
    }

    fn contacts_walk(&self, q: ListQuery, workspace: Option<Id>) -> ItemStream<'static, Contact> {
        let op = Operation::Contacts.as_str();
        let mut list = self
            .list(op, "requesters")
            .items_at("requesters")
            .page_size(q.page_size)
            .limit(q.limit);
        if let Some(ws) = &workspace {
            list = list.query("workspace_id", ws.as_str());
        }
        let by_workspace = self.by_workspace();
        let since = q.updated_since;
        // Departments mode: a requester may sit in several departments; the
        // company filter keeps it when any of them is the one asked for (an
        // id that is not a number matches none).
        let department: Option<Option<u64>> = if by_workspace {
            None
        } else {
            q.parent_id.as_ref().map(Id::as_u64)
        };
        list.walk(&self.http, paging())
            .map_pages(move |items: Vec<Item<api::Requester>>| {
                let ws = workspace.clone();
                std::future::ready(Ok(items
                    .into_iter()
                    .filter(|i| {
                        let in_company = match department {
                            None => true,
                            Some(None) => false,
                            Some(Some(d)) => i
                                .value
                                .department_ids
                                .as_ref()
                                .is_some_and(|ids| ids.contains(&d)),
                        };
                        in_company && changed_since(i.value.updated_at, since)
                    })
                    .map(|i| map::contact(i.value, by_workspace, ws.as_ref(), i.raw))
                    .collect()))
            })
    }

    fn agreements_walk(&self, q: ListQuery) -> ItemStream<'static, Agreement> {
        let op = Operation::Agreements.as_str();
        let by_workspace = self.by_workspace();
        let mut list = self
            .list(op, "contracts")
            .items_at("contracts")
            .page_size(q.page_size)
            .limit(q.limit);
        let company = q.parent_id.clone();
        if let Some(ws) = &company {
            list = list.query("workspace_id", ws.as_str());
        }
        let company_number = company.as_ref().and_then(Id::as_u64);
        let since = q.updated_since;
        let (http, lookups) = (self.http.clone(), self.lookups.clone());
        list.walk(&self.http, paging())
            .map_pages(move |items: Vec<Item<api::Contract>>| {
                let (http, lookups) = (http.clone(), lookups.clone());
                let wanted = company.clone();
                async move {
                    let kept: Vec<Item<api::Contract>> = items
                        .into_iter()
                        .filter(|i| {
                            // The server filters by `workspace_id`; a contract
                            // that names another client is dropped all the same.
                            let in_company = wanted.is_none()
                                || i.value.workspace_id.is_none()
                                || i.value.workspace_id == company_number;
                            in_company && changed_since(i.value.updated_at, since)
                        })
                        .collect();
                    let types = if kept.iter().any(|i| i.value.contract_type_id.is_some()) {
                        load_contract_types(&http, &lookups, op).await?
                    } else {
                        Arc::default()
                    };
                    Ok(kept
                        .into_iter()
                        .map(|i| {
                            map::agreement(i.value, by_workspace, wanted.as_ref(), &types, i.raw)
                        })
                        .collect())
                }
            })
            .map_err(no_contracts)
            .boxed()
    }

    /// Decodes the single record at `key` of a response (`{"ticket": {...}}`).
    fn decode_one<A: DeserializeOwned>(
        &self,
        op: &'static str,
        resp: &Response,
        key: &'static str,
    ) -> Result<(A, Option<Value>)> {
        let mut body: Value = resp.json()?;
        let Some(inner) = body.get_mut(key).map(Value::take) else {
            let fields = match &body {
                Value::Object(o) => o.keys().cloned().collect::<Vec<_>>().join(", "),
                other => format!("a JSON {}", json_kind(other)),
            };
            return Err(Error::decode(
                P,
                op,
                key,
                format!("the response has no `{key}` (it holds: {fields})"),
                &body.to_string(),
            ));
        };
        let raw = self.keep_raw.then(|| inner.clone());
        Ok((decode_value_at(P, op, key, inner)?, raw))
    }

    async fn map_ticket(&self, op: &'static str, resp: &Response) -> Result<Ticket> {
        let (t, raw) = self.decode_one::<api::Ticket>(op, resp, "ticket")?;
        let labels = if has_custom_status(&t) {
            self.custom_statuses(op).await?
        } else {
            Arc::default()
        };
        Ok(map::ticket(t, self.by_workspace(), &labels, raw))
    }

    /// The company of a new ticket, in the field this tenant uses.
    fn company_field(&self) -> &'static str {
        if self.by_workspace() {
            "workspace_id"
        } else {
            "department_id"
        }
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn has_custom_status(t: &api::Ticket) -> bool {
    t.status.is_some_and(|s| !map::is_fixed_status(s))
}

async fn load_custom_statuses(
    http: &Http,
    lookups: &Lookups,
    op: &'static str,
) -> Result<Arc<HashMap<u64, String>>> {
    lookups
        .statuses
        .get_or_try_init(|| async {
            let fields: api::TicketFields = http.get(op, "ticket_form_fields").send_json().await?;
            Ok(Arc::new(map::status_labels(&fields.ticket_fields)))
        })
        .await
        .cloned()
}

async fn load_contract_types(
    http: &Http,
    lookups: &Lookups,
    op: &'static str,
) -> Result<Arc<HashMap<u64, String>>> {
    lookups
        .contract_types
        .get_or_try_init(|| async {
            let types: api::ContractTypes = http.get(op, "contract_types").send_json().await?;
            Ok(Arc::new(
                types
                    .contract_types
                    .into_iter()
                    .filter_map(|t| Some((t.id, t.name?)))
                    .collect(),
            ))
        })
        .await
        .cloned()
}

/// Freshservice ids are integers: one that is not is refused before sending.
fn number(op: &'static str, what: &str, id: &Id) -> Result<Value> {
    id.as_str()
        .trim()
        .parse::<u64>()
        .map(Value::from)
        .map_err(|_| {
            Error::new(P, op, ErrorKind::Config)
                .with_target(id.as_str())
                .with_message(format!(
                    "{what} is not a Freshservice id (ids are integers)"
                ))
        })
}

/// A contracts error that says the plan has no contracts becomes `Unsupported`.
fn no_contracts(e: Error) -> Error {
    if e.code() == Some(REQUIRE_FEATURE) {
        let why = e
            .message()
            .unwrap_or("the plan lacks the contracts feature");
        Error::new(P, Operation::Agreements.as_str(), ErrorKind::Unsupported)
            .with_message(format!("this Freshservice account has no contracts: {why}"))
            .with_code(REQUIRE_FEATURE)
    } else {
        e
    }
}

#[async_trait]
impl PsaClient for FreshserviceClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa()
    }

    /// `GET /api/v2/departments?per_page=1` (or `workspaces`): one credit,
    /// and it proves the key can read what the companies come from.
    async fn test_connection(&self) -> Result<()> {
        let path = match self.source {
            CompanySource::Departments => "departments",
            CompanySource::Workspaces => "workspaces",
        };
        self.http
            .get("test_connection", path)
            .query(&[("per_page", "1")])
            .send_probe()
            .await
    }

    /// `GET /api/v2/departments` (or `/workspaces`), Link-paged. Neither
    /// takes a change filter: `updated_since` is applied client-side.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let (list, workspaces) = self.companies_list(Operation::Companies.as_str());
        let since = q.updated_since;
        let walk = list
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, paging())
            .filter(move |c: &Company| changed_since(c.updated_at, since));
        if workspaces {
            walk.map(map::workspace)
        } else {
            walk.map(map::department)
        }
    }

    /// `GET /api/v2/departments/{id}` (or `/workspaces/{id}`).
    async fn company(&self, id: &Id) -> Result<Company> {
        let op = Operation::Company.as_str();
        let (path, key) = match self.source {
            CompanySource::Departments => ("departments", "department"),
            CompanySource::Workspaces => ("workspaces", "workspace"),
        };
        let resp = self
            .http
            .get(op, &format!("{path}/{}", encode_segment(id.as_str())))
            .target(id.as_str())
            .send()
            .await?;
        if self.by_workspace() {
            let (w, raw) = self.decode_one::<api::Workspace>(op, &resp, key)?;
            Ok(map::workspace(w, raw))
        } else {
            let (d, raw) = self.decode_one::<api::Department>(op, &resp, key)?;
            Ok(map::department(d, raw))
        }
    }

    /// `GET /api/v2/requesters`, Link-paged. Departments: one company keeps
    /// the requesters whose `department_ids` hold it (client-side).
    /// Workspaces: `workspace_id={id}` for one client; without a company,
    /// each workspace in turn. `updated_since` is applied client-side.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        if !self.by_workspace() {
            return self.contacts_walk(q, None);
        }
        match q.parent_id.clone() {
            Some(ws) => self.contacts_walk(q, Some(ws)),
            None => {
                let this = self.clone();
                let limit = q.limit;
                let mut each = q;
                each.limit = None;
                self.per_workspace(Operation::Contacts.as_str(), limit, move |ws| {
                    this.contacts_walk(each.clone(), Some(ws))
                })
            }
        }
    }

    /// `GET /api/v2/tickets?updated_since=...`, Link-paged. `updated_since`
    /// is always sent (the caller's, else [`EARLIEST_UPDATED_SINCE`]):
    /// without it Freshservice lists only the last 30 days. Workspaces:
    /// `workspace_id={id}` for one client, each workspace in turn otherwise
    /// (a tenant with workspaces lists only the primary one by default).
    /// Departments, open/closed and states are filtered client-side.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        if !self.by_workspace() || q.company_id.is_some() {
            return self.tickets_walk(q);
        }
        let this = self.clone();
        let limit = q.limit;
        let mut each = q;
        each.limit = None;
        self.per_workspace(Operation::Tickets.as_str(), limit, move |ws| {
            this.tickets_walk(each.clone().company(ws))
        })
    }

    /// `GET /api/v2/tickets/{id}?include=stats` (the stats give `closed_at`).
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = Operation::Ticket.as_str();
        let resp = self
            .http
            .get(op, &format!("tickets/{}", encode_segment(id.as_str())))
            .target(id.as_str())
            .query(&[("include", "stats")])
            .send()
            .await?;
        self.map_ticket(op, &resp).await
    }

    /// `POST /api/v2/tickets` with `{subject, description, status, priority,
    /// requester_id, department_id | workspace_id, ...extra}`. Freshservice
    /// requires a status and a priority: Open (2) and Low (1) unless given.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = Operation::CreateTicket.as_str();
        let mut body = Map::new();
        body.insert("subject".into(), Value::String(t.summary.clone()));
        if let Some(d) = &t.description {
            body.insert("description".into(), Value::String(d.clone()));
        }
        let status = match &t.status_id {
            Some(id) => number(op, "status_id", id)?,
            None => Value::from(2u64),
        };
        let priority = match &t.priority_id {
            Some(id) => number(op, "priority_id", id)?,
            None => Value::from(1u64),
        };
        body.insert("status".into(), status);
        body.insert("priority".into(), priority);
        if let Some(c) = &t.contact_id {
            body.insert("requester_id".into(), number(op, "contact_id", c)?);
        }
        if let Some(c) = &t.company_id {
            body.insert(self.company_field().into(), number(op, "company_id", c)?);
        }
        merge_extra(&mut body, &t.extra);
        let resp = self.http.post(op, "tickets").json(&body).send().await?;
        self.map_ticket(op, &resp).await
    }

    /// `PUT /api/v2/tickets/{id}` with the changed fields; a normalized state
    /// becomes its fixed status (open 2, waiting 3, resolved 4, closed 5).
    /// An empty update reads the ticket.
    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = Operation::UpdateTicket.as_str();
        if u.is_empty() {
            return self.ticket(id).await;
        }
        let mut body = Map::new();
        if let Some(s) = &u.summary {
            body.insert("subject".into(), Value::String(s.clone()));
        }
        if let Some(d) = &u.description {
            body.insert("description".into(), Value::String(d.clone()));
        }
        match &u.status {
            Some(StatusChange::Id(sid)) => {
                body.insert("status".into(), number(op, "status", sid)?);
            }
            Some(StatusChange::State(state)) => {
                let code = map::status_table()
                    .require(P, op, *state)
                    .map_err(|e| e.with_target(id.as_str()))?;
                body.insert("status".into(), number(op, "status", &code)?);
            }
            _ => {}
        }
        if let Some(p) = &u.priority_id {
            body.insert("priority".into(), number(op, "priority", p)?);
        }
        merge_extra(&mut body, &u.extra);
        let resp = self
            .http
            .put(op, &format!("tickets/{}", encode_segment(id.as_str())))
            .target(id.as_str())
            .json(&body)
            .send()
            .await?;
        self.map_ticket(op, &resp).await
    }

    /// `GET /api/v2/tickets/{id}/conversations`, Link-paged: replies and
    /// notes, `private` ones internal.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let path = format!("tickets/{}/conversations", encode_segment(ticket.as_str()));
        let ticket = ticket.clone();
        self.list(Operation::TicketNotes.as_str(), path)
            .items_at("conversations")
            .walk(&self.http, paging())
            .map(move |c: api::Conversation, raw| map::note(c, &ticket, raw))
    }

    /// `POST /api/v2/tickets/{id}/notes` with `{body, private, ...extra}`
    /// (the body is HTML; plain text reads as one paragraph).
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let op = Operation::AddTicketNote.as_str();
        let mut body = Map::new();
        body.insert("body".into(), Value::String(n.text.clone()));
        body.insert("private".into(), Value::Bool(n.internal));
        merge_extra(&mut body, &n.extra);
        let resp = self
            .http
            .post(
                op,
                &format!("tickets/{}/notes", encode_segment(ticket.as_str())),
            )
            .target(ticket.as_str())
            .json(&body)
            .send()
            .await?;
        let (c, raw) = self.decode_one::<api::Conversation>(op, &resp, "conversation")?;
        Ok(map::note(c, ticket, raw))
    }

    /// `GET /api/v2/contracts`, Link-paged, with the contract type names
    /// (`GET /api/v2/contract_types`, once). Contracts are the tenant's
    /// lease, maintenance, licence and warranty contracts; a plan without
    /// them answers `require_feature`, which becomes `Unsupported` with the
    /// platform's reason. Contracts belong to no department: for one
    /// department the list is empty. Workspaces: `workspace_id={id}` for one
    /// client, each workspace in turn otherwise. `updated_since` is applied
    /// client-side.
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let by_workspace = self.by_workspace();
        if !by_workspace && q.parent_id.is_some() {
            return futures::stream::empty().boxed();
        }
        if by_workspace && q.parent_id.is_none() {
            let this = self.clone();
            let limit = q.limit;
            let mut each = q;
            each.limit = None;
            return self.per_workspace(Operation::Agreements.as_str(), limit, move |ws| {
                this.agreements_walk(each.clone().company(ws))
            });
        }
        self.agreements_walk(q)
    }
}
