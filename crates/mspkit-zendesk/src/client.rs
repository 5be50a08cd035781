//! [`ZendeskClient`] and its [`PsaClient`] implementation.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use mspkit_core::http::{ApiRequest, Http, decode_value_at};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::{
    Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, Keyed, ListQuery, NewNote,
    NewTicket, Operation, Provider, PsaClient, Result, StatusChange, StatusLookup, StatusTable,
    Ticket, TicketNote, TicketQuery, TicketUpdate, async_trait, error_stream, merge_extra,
};
use serde_json::{Map, Value, json};
use tokio::sync::OnceCell;

use crate::api;
use crate::builder::ZendeskClientBuilder;
use crate::map::{self, Side};
use crate::settings::ZendeskSettings;

const P: Provider = Provider::Zendesk;

/// The largest page of a cursor list.
const MAX_PAGE: u32 = 100;
/// The largest page of an incremental export.
const MAX_EXPORT_PAGE: u32 = 1000;

/// The list parameters every page keeps: the server's next URLs carry
/// them, and any a URL leaves out (the ticket export's `after_url` carries
/// only its cursor) are added. Never the export's `start_time`, which its
/// cursor replaces.
const KEPT_ON_LINKS: &[&str] = &["include", "per_page", "page[size]", "role"];

/// The side-loads asked for with tickets: user names (the assignee) and
/// ticket metrics (the solve time).
const TICKET_INCLUDES: &str = "users,metric_sets";

/// A client of one Zendesk Support account. Cheap to clone: clones share
/// the transports, the rate limiters and the status look-up.
#[derive(Clone)]
pub struct ZendeskClient {
    inner: Arc<Inner>,
}

struct Inner {
    /// Every endpoint but the incremental exports.
    http: Http,
    /// The incremental exports, with their own budget (10 a minute).
    exports: Http,
    keep_raw: bool,
    statuses: OnceCell<Arc<StatusTable>>,
}

impl std::fmt::Debug for ZendeskClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZendeskClient")
            .field("api_root", &self.inner.http.base_url().as_str())
            .field("keep_raw", &self.inner.keep_raw)
            .finish_non_exhaustive()
    }
}

/// The account's request budget as Zendesk last reported it, from the
/// `X-Rate-Limit` / `X-Rate-Limit-Remaining` headers (or the newer
/// `ratelimit-limit` / `ratelimit-remaining` / `ratelimit-reset`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitStatus {
    /// Requests allowed per minute.
    pub limit: Option<u32>,
    /// Requests left in the current minute.
    pub remaining: Option<u32>,
    /// When the budget is renewed.
    pub reset_in: Option<Duration>,
}

impl ZendeskClient {
    /// A builder.
    pub fn builder() -> ZendeskClientBuilder {
        ZendeskClientBuilder::new()
    }

    /// A client for stored settings.
    pub fn from_settings(settings: &ZendeskSettings) -> Result<Self> {
        ZendeskClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &ZendeskSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        ZendeskClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(http: Http, exports: Http, keep_raw: bool) -> Self {
        ZendeskClient {
            inner: Arc::new(Inner {
                http,
                exports,
                keep_raw,
                statuses: OnceCell::new(),
            }),
        }
    }

    /// The authenticated transport (`https://{subdomain}.zendesk.com/api/v2/`),
    /// for endpoints the normalized model does not cover, with auth, retry
    /// and the account's rate limit applied. (The incremental exports'
    /// own limit of 10 a minute is not: keep to it yourself there.)
    pub fn http(&self) -> &Http {
        &self.inner.http
    }

    /// The account's request budget as Zendesk reports it on `GET /users/me`,
    /// to show or log; the client already paces to it and holds back when it
    /// is spent (see [`budget_headers`](crate::budget_headers)).
    pub async fn rate_limit_status(&self) -> Result<RateLimitStatus> {
        let resp = self
            .inner
            .http
            .get("rate_limit_status", "users/me")
            .send()
            .await?;
        let number = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| resp.header(n).and_then(|v| v.trim().parse::<u32>().ok()))
        };
        Ok(RateLimitStatus {
            limit: number(&["x-rate-limit", "ratelimit-limit"]),
            remaining: number(&["x-rate-limit-remaining", "ratelimit-remaining"]),
            reset_in: number(&["ratelimit-reset"]).map(|s| Duration::from_secs(u64::from(s))),
        })
    }

    /// The account's ticket statuses: the fixed six, then its custom
    /// statuses (`GET /custom_statuses`), read once per client. An account
    /// without custom statuses (or a user who may not list them) has the six.
    pub async fn statuses(&self) -> Result<Arc<StatusTable>> {
        self.inner
            .statuses
            .get_or_try_init(|| async {
                let req = self.inner.http.get("custom_statuses", "custom_statuses");
                match req.send().await {
                    Ok(resp) => {
                        let list: api::CustomStatuses = resp.json()?;
                        Ok(Arc::new(map::status_table(&list.custom_statuses)))
                    }
                    Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Forbidden) => {
                        tracing::debug!(error = %e, "no custom statuses; using the fixed six");
                        Ok(Arc::new(map::status_table(&[])))
                    }
                    Err(e) => Err(e),
                }
            })
            .await
            .cloned()
    }

    /// Maps a page of tickets, looking the custom statuses up first when a
    /// ticket names one.
    async fn map_tickets(&self, items: Vec<Item<api::Ticket>>, side: &Side) -> Result<Vec<Ticket>> {
        let statuses = if items.iter().any(|i| i.value.custom_status_id.is_some()) {
            self.statuses().await?
        } else {
            Arc::new(StatusTable::default())
        };
        Ok(items
            .into_iter()
            .map(|i| map::ticket(i.value, side, &statuses, i.raw))
            .collect())
    }

    /// `GET {path}` answering `{"<key>": {...}, ...side-loads}`.
    async fn get_one<A: serde::de::DeserializeOwned>(
        &self,
        req: ApiRequest,
        operation: &'static str,
        key: &'static str,
    ) -> Result<(A, Side, Option<Value>)> {
        let resp = req.send().await?;
        let body: Value = resp.json()?;
        let Value::Object(mut body) = body else {
            return Err(Error::decode(
                P,
                operation,
                ".",
                format!("the answer is not an object holding `{key}`"),
                &String::from_utf8_lossy(resp.body()),
            ));
        };
        let item = match body.remove(key) {
            Some(v @ Value::Object(_)) => v,
            _ => {
                return Err(Error::decode(
                    P,
                    operation,
                    key,
                    format!("the answer has no `{key}` object"),
                    &String::from_utf8_lossy(resp.body()),
                ));
            }
        };
        let raw = self.inner.keep_raw.then(|| item.clone());
        let value = decode_value_at(P, operation, key, item)?;
        Ok((value, Side::from_page(&Value::Object(body)), raw))
    }

    async fn read_ticket(&self, operation: &'static str, id: &Id) -> Result<Ticket> {
        let n = numeric(operation, id)?;
        let req = self
            .inner
            .http
            .get(operation, &format!("tickets/{n}"))
            .query(&[("include", TICKET_INCLUDES)])
            .target(n.to_string());
        let (t, side, raw) = self
            .get_one::<api::Ticket>(req, operation, "ticket")
            .await?;
        let mut tickets = self
            .map_tickets(vec![Item { value: t, raw }], &side)
            .await?;
        tickets
            .pop()
            .ok_or_else(|| Error::new(P, operation, ErrorKind::Decode).with_message("no ticket"))
    }
}

/// Zendesk ids are integers; anything else cannot name a record.
fn numeric(operation: &'static str, id: &Id) -> Result<u64> {
    id.as_str().trim().parse().map_err(|_| {
        Error::new(P, operation, ErrorKind::Config)
            .with_target(id.as_str())
            .with_message("Zendesk ids are integers")
    })
}

/// `start_time` for an incremental export: Unix seconds, at least a minute
/// ago (Zendesk refuses a later one; the last minute is not exported yet).
fn start_time(since: DateTime<Utc>) -> i64 {
    let latest = Utc::now().timestamp() - 61;
    since.timestamp().clamp(0, latest.max(0))
}

/// A cursor list of `path` (`page[size]`, at most 100, never more than a
/// small limit needs).
fn cursor_list(
    operation: &'static str,
    path: impl Into<String>,
    items: &'static str,
    page_size: Option<u32>,
    limit: Option<usize>,
) -> ListRequest {
    ListRequest::get(operation, path)
        .items_at(items)
        .page_size(page_size)
        .limit(limit)
        .keep_on_links(KEPT_ON_LINKS)
}

/// Cursor lists go on at `links.next` while `meta.has_more` is true (the
/// last page may still link onwards); a missing flag is a `Decode` error,
/// and more said to follow with no link a `Paging` error.
fn cursor_paging() -> Paging {
    Paging::next_url("/links/next")
        .while_true("/meta/has_more")
        .size_param("page[size]")
        .max_size(MAX_PAGE)
}

/// An incremental export of `path` from `since`.
fn export(
    operation: &'static str,
    path: &str,
    items: &'static str,
    since: DateTime<Utc>,
    page_size: Option<u32>,
    limit: Option<usize>,
) -> ListRequest {
    ListRequest::get(operation, path)
        .items_at(items)
        .query("start_time", start_time(since).to_string())
        .page_size(page_size)
        .limit(limit)
        .keep_on_links(KEPT_ON_LINKS)
}

/// An export goes on at its next URL (there on the last page too) until
/// `end_of_stream` is true; `per_page` (at most 1,000) is sent only when
/// the query names a page size or a limit.
fn export_paging(next: &'static str, page_size: Option<u32>, limit: Option<usize>) -> Paging {
    let paging = Paging::next_url(next)
        .until_true("/end_of_stream")
        .max_size(MAX_EXPORT_PAGE);
    if page_size.is_some() || limit.is_some() {
        paging.size_param("per_page")
    } else {
        paging
    }
}

/// A mapped item and whether the caller wants it: the part of a query
/// Zendesk cannot filter (counted as received, then dropped).
struct Row<T> {
    item: T,
    keep: bool,
}

impl<T: Keyed> Keyed for Row<T> {
    fn key(&self) -> Option<&str> {
        self.item.key()
    }
}

/// A status as Zendesk takes it: a custom status id (`custom_status_id`)
/// or one of the six fixed statuses (`status`).
fn status_field(operation: &'static str, id: &Id) -> Result<(&'static str, Value)> {
    let s = id.as_str().trim();
    if let Ok(n) = s.parse::<u64>() {
        return Ok(("custom_status_id", json!(n)));
    }
    match map::STATUSES.iter().find(|f| f.eq_ignore_ascii_case(s)) {
        Some(f) => Ok(("status", json!(f))),
        None => Err(Error::refused(
            P,
            operation,
            "a Zendesk status is one of new, open, pending, hold, solved, closed, or a custom status id",
        )),
    }
}

/// A priority as Zendesk takes it: one of its four.
fn priority_field(operation: &'static str, id: &Id) -> Result<Value> {
    let s = id.as_str().trim();
    match map::PRIORITIES.iter().find(|p| p.eq_ignore_ascii_case(s)) {
        Some(p) => Ok(json!(p)),
        None => Err(Error::refused(
            P,
            operation,
            "a Zendesk priority is one of urgent, high, normal, low",
        )),
    }
}

#[async_trait]
impl PsaClient for ZendeskClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa().without(Operation::Agreements)
    }

    async fn test_connection(&self) -> Result<()> {
        let op = "test_connection";
        let me: api::Me = self.inner.http.get(op, "users/me").send_json().await?;
        match me.user.id {
            Some(_) => Ok(()),
            // Without credentials Zendesk answers as the anonymous user.
            None => Err(Error::new(P, op, ErrorKind::Unauthorized).with_message(
                "Zendesk answered as an anonymous user: the credentials were not taken",
            )),
        }
    }

    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let op = "companies";
        let keep_raw = self.inner.keep_raw;
        let Some(since) = q.updated_since else {
            return cursor_list(op, "organizations", "organizations", q.page_size, q.limit)
                .keep_raw(keep_raw)
                .walk(&self.inner.http, cursor_paging())
                .map(|o: api::Organization, raw| map::company(o, raw));
        };
        // The time-based export: each page starts at the previous page's
        // last change, so its first organization comes again (the kit yields
        // it once and ends on a last page of nothing else).
        export(
            op,
            "incremental/organizations",
            "organizations",
            since,
            q.page_size,
            q.limit,
        )
        .keep_raw(keep_raw)
        .walk(
            &self.inner.exports,
            export_paging("/next_page", q.page_size, q.limit),
        )
        .map(|o: api::Organization, raw| map::company(o, raw))
    }

    async fn company(&self, id: &Id) -> Result<Company> {
        let op = "company";
        let n = numeric(op, id)?;
        let req = self
            .inner
            .http
            .get(op, &format!("organizations/{n}"))
            .target(n.to_string());
        let (o, _, raw) = self
            .get_one::<api::Organization>(req, op, "organization")
            .await?;
        Ok(map::company(o, raw))
    }

    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let op = "contacts";
        let parent = match q.parent_id.as_ref().map(|p| numeric(op, p)).transpose() {
            Ok(p) => p,
            Err(e) => return error_stream(e),
        };
        let keep_raw = self.inner.keep_raw;
        let Some(since) = q.updated_since else {
            // The lists filter on the server; an organization's list also
            // holds members whose primary organization is another, and they
            // are kept.
            let path = match parent {
                Some(n) => format!("organizations/{n}/users"),
                None => "users".to_owned(),
            };
            return cursor_list(op, path, "users", q.page_size, q.limit)
                .query("role", "end-user")
                .keep_raw(keep_raw)
                .walk(&self.inner.http, cursor_paging())
                .map(|u: api::User, raw| map::contact(u, raw));
        };
        // The export holds every user: end-users (of the organization asked
        // for, their primary one) are kept here, counted as received first.
        export(
            op,
            "incremental/users/cursor",
            "users",
            since,
            q.page_size,
            q.limit,
        )
        .keep_raw(keep_raw)
        .walk(
            &self.inner.exports,
            export_paging("/after_url", q.page_size, q.limit),
        )
        .filter(|row: &Row<Contact>| row.keep)
        .map(move |u: api::User, raw| {
            let end_user = u.role.as_deref().is_none_or(|r| r == "end-user");
            let keep = end_user && parent.is_none_or(|p| u.organization_id == Some(p));
            Row {
                item: map::contact(u, raw),
                keep,
            }
        })
        .map(|row| row.map(|row| row.item))
        .boxed()
    }

    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let op = "tickets";
        let company = match q.company_id.as_ref().map(|c| numeric(op, c)).transpose() {
            Ok(c) => c,
            Err(e) => return error_stream(e),
        };
        let walk = match q.updated_since {
            Some(since) => {
                let (size, limit) = (q.page_size, q.limit);
                export(
                    op,
                    "incremental/tickets/cursor",
                    "tickets",
                    since,
                    size,
                    limit,
                )
                .query("include", TICKET_INCLUDES)
                .keep_raw(self.inner.keep_raw)
                .walk(
                    &self.inner.exports,
                    export_paging("/after_url", size, limit),
                )
            }
            None => {
                let path = match company {
                    Some(n) => format!("organizations/{n}/tickets"),
                    None => "tickets".to_owned(),
                };
                cursor_list(op, path, "tickets", q.page_size, q.limit)
                    .query("include", TICKET_INCLUDES)
                    .keep_raw(self.inner.keep_raw)
                    .walk(&self.inner.http, cursor_paging())
            }
        };
        let export = q.updated_since.is_some();
        let client = self.clone();
        let q = Arc::new(q);
        walk.filter(|row: &Row<Ticket>| row.keep)
            .map_pages_with(move |items: Vec<Item<api::Ticket>>, page: Value| {
                let client = client.clone();
                let q = q.clone();
                async move {
                    let side = Side::from_page(&page);
                    let tickets = client.map_tickets(items, &side).await?;
                    let company = company.map(Id::from);
                    Ok(tickets
                        .into_iter()
                        .map(|t| {
                            // Open/closed and states are not filters of
                            // Zendesk's lists; the export holds every
                            // organization's tickets.
                            let of_company = !export
                                || company
                                    .as_ref()
                                    .is_none_or(|c| t.company_id.as_ref() == Some(c));
                            let keep = q.accepts_state(t.status.state) && of_company;
                            Row { item: t, keep }
                        })
                        .collect())
                }
            })
            .map(|row| row.map(|row| row.item))
            .boxed()
    }

    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        self.read_ticket("ticket", id).await
    }

    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = "create_ticket";
        let mut ticket = Map::new();
        ticket.insert("subject".into(), json!(t.summary));
        // Zendesk takes the description as the ticket's first comment.
        let first = t
            .description
            .clone()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| t.summary.clone());
        ticket.insert("comment".into(), json!({ "body": first }));
        if let Some(c) = &t.company_id {
            ticket.insert("organization_id".into(), json!(numeric(op, c)?));
        }
        if let Some(c) = &t.contact_id {
            ticket.insert("requester_id".into(), json!(numeric(op, c)?));
        }
        if let Some(s) = &t.status_id {
            let (field, value) = status_field(op, s)?;
            ticket.insert(field.into(), value);
        }
        if let Some(p) = &t.priority_id {
            ticket.insert("priority".into(), priority_field(op, p)?);
        }
        merge_extra(&mut ticket, &t.extra);
        let created: api::Created = self
            .inner
            .http
            .post(op, "tickets")
            .json(&json!({ "ticket": ticket }))
            .send_json()
            .await?;
        self.read_ticket(op, &Id::from(created.ticket.id)).await
    }

    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = "update_ticket";
        let n = numeric(op, id)?;
        if u.is_empty() {
            return self.read_ticket(op, id).await;
        }
        if u.description.is_some() {
            return Err(Error::refused(
                P,
                op,
                "a Zendesk ticket's description is its first comment and cannot be changed; add a note instead",
            )
            .with_target(n.to_string()));
        }
        let mut ticket = Map::new();
        if let Some(s) = &u.summary {
            ticket.insert("subject".into(), json!(s));
        }
        match &u.status {
            Some(StatusChange::Id(s)) => {
                let (field, value) =
                    status_field(op, s).map_err(|e| e.with_target(n.to_string()))?;
                ticket.insert(field.into(), value);
            }
            Some(StatusChange::State(state)) => {
                // The fixed statuses come first: a state is set by its
                // status, which Zendesk maps to the category's default
                // custom status where the account has them.
                let to = map::status_table(&[])
                    .require(P, op, *state)
                    .map_err(|e| e.with_target(n.to_string()))?;
                ticket.insert("status".into(), json!(to.as_str()));
            }
            Some(_) | None => {}
        }
        if let Some(p) = &u.priority_id {
            let value = priority_field(op, p).map_err(|e| e.with_target(n.to_string()))?;
            ticket.insert("priority".into(), value);
        }
        merge_extra(&mut ticket, &u.extra);
        self.inner
            .http
            .put(op, &format!("tickets/{n}"))
            .target(n.to_string())
            .json(&json!({ "ticket": ticket }))
            .send()
            .await?;
        self.read_ticket(op, id).await
    }

    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let op = "ticket_notes";
        let n = match numeric(op, ticket) {
            Ok(n) => n,
            Err(e) => return error_stream(e),
        };
        let ticket = Id::from(n);
        cursor_list(op, format!("tickets/{n}/comments"), "comments", None, None)
            .query("include", "users")
            .target(n.to_string())
            .keep_raw(self.inner.keep_raw)
            .walk(&self.inner.http, cursor_paging())
            .map_pages_with(move |items: Vec<Item<api::Comment>>, page: Value| {
                let ticket = ticket.clone();
                async move {
                    let side = Side::from_page(&page);
                    Ok(items
                        .into_iter()
                        .map(|i| map::note(i.value, &ticket, &side, i.raw))
                        .collect())
                }
            })
    }

    async fn add_ticket_note(&self, ticket: &Id, note: NewNote) -> Result<TicketNote> {
        let op = "add_ticket_note";
        let n = numeric(op, ticket)?;
        let mut comment = Map::new();
        comment.insert("body".into(), json!(note.text));
        comment.insert("public".into(), json!(!note.internal));
        merge_extra(&mut comment, &note.extra);
        // A note is a ticket update with a comment. Not sent twice: a retry
        // after a failure the server may have acted on could add it twice.
        let resp = self
            .inner
            .http
            .put(op, &format!("tickets/{n}"))
            .target(n.to_string())
            .idempotent(false)
            .json(&json!({ "ticket": { "comment": comment } }))
            .send()
            .await?;
        let update: api::UpdateResponse = resp.json()?;
        let audit = update.audit.ok_or_else(|| {
            Error::decode(
                P,
                op,
                "audit",
                "the update answered no audit",
                &String::from_utf8_lossy(resp.body()),
            )
            .with_target(n.to_string())
        })?;
        let (i, event) = audit
            .events
            .iter()
            .enumerate()
            .find(|(_, e)| e.get("type").and_then(Value::as_str) == Some("Comment"))
            .ok_or_else(|| {
                Error::decode(
                    P,
                    op,
                    "audit.events",
                    "the update's audit holds no Comment event",
                    &String::from_utf8_lossy(resp.body()),
                )
                .with_target(n.to_string())
            })?;
        let raw = self.inner.keep_raw.then(|| event.clone());
        let mut comment: api::Comment =
            decode_value_at(P, op, &format!("audit.events[{i}]"), event.clone())?;
        comment.created_at = comment.created_at.or(audit.created_at);
        comment.author_id = comment.author_id.or(audit.author_id);
        comment.public = comment.public.or(Some(!note.internal));
        Ok(map::note(comment, &Id::from(n), &Side::default(), raw))
    }
}
