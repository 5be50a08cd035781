//! [`KaseyaBmsClient`] and its `PsaClient` implementation.

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use futures::{StreamExt, TryStreamExt, stream};
use mspkit_core::http::{ApiRequest, Http, RateLimit, encode_segment};
use mspkit_core::list::{Item, ListRequest, Paging};
use mspkit_core::model::merge_extra;
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Agreement, Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, Keyed, ListQuery,
    NewNote, NewTicket, Provider, PsaClient, Result, StatusChange, StatusLookup, StatusTable,
    Ticket, TicketFilter, TicketNote, TicketQuery, TicketState, TicketUpdate, async_trait,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::sync::OnceCell;

use crate::api;
use crate::builder::KaseyaBmsClientBuilder;
use crate::errors;
use crate::map::{self, AccountNames, PriorityTable};
use crate::settings::KaseyaBmsSettings;

const P: Provider = Provider::KaseyaBms;

/// The largest page asked for, and the size asked when the query names
/// none. BMS documents no maximum (a live client used 3000).
pub const MAX_PAGE_SIZE: u32 = 500;

/// What the builder settled, beside the transport.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub keep_raw: bool,
    pub zone: FixedOffset,
    pub ticket_type_id: Option<u32>,
    pub ticket_source_id: Option<u32>,
    pub note_type_id: Option<u32>,
    pub per_endpoint: Option<RateLimit>,
}

/// A Kaseya BMS client: accounts, contacts, tickets, notes and contracts
/// through [`PsaClient`].
///
/// Cheap to clone; clones share the connection pool, the tokens, the
/// per-endpoint budgets, the look-ups and what was learnt about paging.
#[derive(Clone)]
pub struct KaseyaBmsClient {
    http: Http,
    inner: Arc<Inner>,
}

/// Read once per client; a failed load is not kept.
struct Inner {
    config: Config,
    first_page: OnceCell<u64>,
    statuses: OnceCell<Arc<StatusTable>>,
    priorities: OnceCell<Arc<PriorityTable>>,
    user: OnceCell<api::UserInfo>,
    accounts: OnceCell<Arc<AccountNames>>,
}

impl std::fmt::Debug for KaseyaBmsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KaseyaBmsClient")
            .field("http", &self.http)
            .field("config", &self.inner.config)
            .field("first_page", &self.inner.first_page.get())
            .finish_non_exhaustive()
    }
}

/// BMS's paging: `PageNumber` from `first`, `PageSize`, the list's size in
/// `totalRecords` (checked at the end; the notes and look-ups carry none).
fn paging(first: u64) -> Paging {
    Paging::page_number("PageNumber", first)
        .size_param("PageSize")
        .max_size(MAX_PAGE_SIZE)
        .total_items("/totalRecords")
}

/// Finds the first page number, which BMS does not document, by asking
/// for the first account at page 0 and at page 1 (one item a page):
/// - the same account twice: pages count from 1 (0 is read as 1);
/// - two different accounts, or one then none: pages count from 0;
/// - page 0 refused, or empty while page 1 is not: pages count from 1.
///
/// `None` when the tenant has no account to tell by.
async fn probe_first_page(http: &Http, op: &'static str) -> Result<Option<u64>> {
    async fn page(http: &Http, op: &'static str, n: u64) -> Result<Vec<i64>> {
        let resp = http
            .get(op, "crm/accounts/summary")
            .query(&[("PageSize", "1"), ("PageNumber", &n.to_string())])
            .send()
            .await?;
        let (ids, _) =
            errors::result::<Vec<api::IdOnly>>(op, resp.status().as_u16(), resp.body(), false)
                .map_err(|e| resp.redact(e))?;
        Ok(ids.into_iter().map(|i| i.id).collect())
    }
    let zero = match page(http, op, 0).await {
        Ok(ids) => Some(ids),
        // Page 0 refused (a 400, or `success: false`): pages count from 1.
        Err(e) if matches!(e.kind(), ErrorKind::Api | ErrorKind::NotFound) => None,
        Err(e) => return Err(e),
    };
    let one = page(http, op, 1).await?;
    let first = match (zero.as_deref(), one.as_slice()) {
        (None, _) => Some(1),
        (Some([]), []) => None,
        (Some([]), _) => Some(1),
        (Some([_, ..]), []) => Some(0),
        (Some([a, ..]), [b, ..]) => Some(if a == b { 1 } else { 0 }),
    };
    tracing::debug!(?first, "kaseya-bms first page number");
    Ok(first)
}

/// One account of the id-and-name look-up.
struct AccountEntry {
    key: String,
    id: i64,
    name: Option<String>,
}

impl Keyed for AccountEntry {
    fn key(&self) -> Option<&str> {
        Some(&self.key)
    }
}

/// `extra[key]`, the key compared ignoring ASCII case (BMS reads JSON
/// names so).
fn extra_value<'a>(extra: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    extra
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn extra_int(extra: &Map<String, Value>, key: &str) -> Option<i64> {
    match extra_value(extra, key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A caller's id as a BMS id (a number).
fn number(op: &'static str, what: &str, id: &Id) -> Result<i64> {
    id.as_str().trim().parse().map_err(|_| {
        Error::refused(
            P,
            op,
            format!("{what} {id} is not a BMS id (BMS ids are numbers)"),
        )
    })
}

/// A required field that could not be found: refused before sending.
fn missing(op: &'static str, field: &str, how: &str) -> Error {
    Error::refused(
        P,
        op,
        format!("BMS requires {field} and none could be found: {how}"),
    )
}

impl KaseyaBmsClient {
    /// A builder.
    pub fn builder() -> KaseyaBmsClientBuilder {
        KaseyaBmsClientBuilder::new()
    }

    /// A client from stored settings (the body of `mspkit::Config`'s
    /// `"kaseya-bms"` variant).
    pub fn from_settings(s: &KaseyaBmsSettings) -> Result<Self> {
        KaseyaBmsClientBuilder::from_settings(s).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit per endpoint, timeouts, a shared `reqwest` client).
    /// The settings' own `allow_insecure_http` still applies, and their
    /// trust settings add to the options'.
    pub fn from_settings_with(
        s: &KaseyaBmsSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || s.allow_insecure_http;
        KaseyaBmsClientBuilder::from_settings(s)
            .options(
                options
                    .allow_insecure_http(insecure)
                    .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs),
            )
            .build()
    }

    pub(crate) fn new(http: Http, config: Config) -> Self {
        KaseyaBmsClient {
            http,
            inner: Arc::new(Inner {
                config,
                first_page: OnceCell::new(),
                statuses: OnceCell::new(),
                priorities: OnceCell::new(),
                user: OnceCell::new(),
                accounts: OnceCell::new(),
            }),
        }
    }

    /// The authenticated transport, rooted at `{host}/v2/`, for endpoints
    /// the normalized model does not cover
    /// (`client.http().get("op", "system/queues/lookup")`). Its answers are
    /// BMS envelopes: check `success` (HTTP 200 carries failures too).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// The budget each endpoint gets (BMS allows 1500 calls an hour per
    /// endpoint); `None` when turned off.
    pub fn rate_limit_per_endpoint(&self) -> Option<RateLimit> {
        self.inner.config.per_endpoint
    }

    /// The number of the first page, once a list walk has found it out.
    pub fn first_page_number(&self) -> Option<u64> {
        self.inner.first_page.get().copied()
    }

    fn zone(&self) -> FixedOffset {
        self.inner.config.zone
    }

    fn keep_raw(&self) -> bool {
        self.inner.config.keep_raw
    }

    /// A date filter's value: the tenant's wall time, without an offset.
    fn filter_time(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.zone())
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    }

    /// A list of `path`, its items under `result`; every page is read whole
    /// for BMS's refusals first ([`errors::page_check`]).
    fn list(&self, op: &'static str, path: impl Into<String>) -> ListRequest {
        ListRequest::get(op, path)
            .items_at("result")
            .keep_raw(self.keep_raw())
            .check_page(errors::page_check(op))
    }

    /// A walk started once the first page number is known.
    fn paged<T, F, Fut>(&self, op: &'static str, make: F) -> ItemStream<'static, T>
    where
        T: Send + 'static,
        F: FnOnce(Paging) -> Fut + Send + 'static,
        Fut: Future<Output = Result<ItemStream<'static, T>>> + Send + 'static,
    {
        let this = self.clone();
        stream::once(async move {
            let first = this.first_page(op).await?;
            make(paging(first)).await
        })
        .try_flatten()
        .boxed()
    }

    async fn first_page(&self, op: &'static str) -> Result<u64> {
        if let Some(n) = self.inner.first_page.get() {
            return Ok(*n);
        }
        match probe_first_page(&self.http, op).await? {
            Some(n) => {
                let _ = self.inner.first_page.set(n);
                Ok(n)
            }
            // Nothing to tell by (no accounts): 1, asked again next time.
            None => Ok(1),
        }
    }

    /// Sends `req` and reads its envelope's result.
    async fn send_one<A: DeserializeOwned>(
        &self,
        op: &'static str,
        req: ApiRequest,
        target: Option<&Id>,
        bare_ok: bool,
    ) -> Result<(A, Value)> {
        let req = match target {
            Some(id) => req.target(id.as_str()),
            None => req,
        };
        let resp = req.send().await?;
        errors::result(op, resp.status().as_u16(), resp.body(), bare_ok).map_err(|e| {
            let e = match target {
                Some(id) => e.with_target(id.as_str()),
                None => e,
            };
            resp.redact(e)
        })
    }

    async fn statuses(&self, op: &'static str) -> Result<Arc<StatusTable>> {
        self.inner
            .statuses
            .get_or_try_init(|| self.load_statuses(op))
            .await
            .cloned()
    }

    /// `GET /v2/system/statuses/lookup`.
    async fn load_statuses(&self, op: &'static str) -> Result<Arc<StatusTable>> {
        let req = self.http.get(op, "system/statuses/lookup");
        let (list, _) = self
            .send_one::<Vec<api::Status>>(op, req, None, false)
            .await?;
        Ok(Arc::new(map::status_table(list)))
    }

    async fn priorities(&self, op: &'static str) -> Result<Arc<PriorityTable>> {
        self.inner
            .priorities
            .get_or_try_init(|| async {
                let req = self.http.get(op, "system/priorities/lookup");
                let (list, _) = self
                    .send_one::<Vec<api::Priority>>(op, req, None, false)
                    .await?;
                Ok::<_, Error>(Arc::new(PriorityTable::new(list)))
            })
            .await
            .cloned()
    }

    async fn lookups(&self, op: &'static str) -> Result<(Arc<StatusTable>, Arc<PriorityTable>)> {
        Ok((self.statuses(op).await?, self.priorities(op).await?))
    }

    /// The signed-in user (`security/userinfo`): the account and location
    /// its own tickets go to.
    async fn user(&self, op: &'static str) -> Result<api::UserInfo> {
        self.inner
            .user
            .get_or_try_init(|| async {
                let req = self.http.get(op, "security/userinfo");
                let (u, _) = self.send_one::<api::UserInfo>(op, req, None, false).await?;
                Ok::<_, Error>(u)
            })
            .await
            .cloned()
    }

    /// Every account's id and name (`crm/accounts/lookup`, inactive ones
    /// included), for contracts, which name their account only.
    async fn account_names(&self, op: &'static str) -> Result<Arc<AccountNames>> {
        if let Some(t) = self.inner.accounts.get() {
            return Ok(t.clone());
        }
        let list = self
            .list(op, "crm/accounts/lookup")
            .keep_raw(false)
            .query("Filter.WithInactiveAccounts", "true");
        let http = self.http.clone();
        let entries: Vec<AccountEntry> = self
            .paged(op, move |paging| {
                std::future::ready(Ok(list.walk(&http, paging).map(
                    |a: api::AccountName, _| AccountEntry {
                        key: a.id.to_string(),
                        id: a.id,
                        name: a.name,
                    },
                )))
            })
            .try_collect()
            .await?;
        let table =
            Arc::new(AccountNames::new(entries.into_iter().filter_map(|e| {
                Some((e.id, mspkit_core::model::non_empty(e.name)?))
            })));
        let _ = self.inner.accounts.set(table.clone());
        Ok(table)
    }

    /// The account's main location (`crm/accounts/{id}/locations/lookup`),
    /// where BMS files a new ticket.
    async fn main_location(&self, op: &'static str, account: i64) -> Result<i64> {
        let path = format!("crm/accounts/{account}/locations/lookup");
        let req = self.http.get(op, &path);
        let (list, _) = self
            .send_one::<Vec<api::LocationLookup>>(op, req, None, false)
            .await?;
        let main = list
            .iter()
            .find(|l| l.is_main == Some(true))
            .or(match list.as_slice() {
                [only] => Some(only),
                _ => None,
            });
        main.map(|l| l.id).ok_or_else(|| {
            missing(
                op,
                "LocationId",
                &format!(
                    "account {account} has no main location; set \"LocationId\" in NewTicket::extra"
                ),
            )
        })
    }

    async fn map_ticket(&self, op: &'static str, t: api::Ticket, raw: Value) -> Result<Ticket> {
        let (statuses, priorities) = self.lookups(op).await?;
        Ok(map::ticket(
            t,
            &statuses,
            &priorities,
            self.zone(),
            self.keep_raw().then_some(raw),
        ))
    }

    /// The ticket a write answered with.
    async fn ticket_answer(
        &self,
        op: &'static str,
        req: ApiRequest,
        target: Option<&Id>,
    ) -> Result<Ticket> {
        let (t, raw) = self.send_one::<api::Ticket>(op, req, target, false).await?;
        self.map_ticket(op, t, raw).await
    }
}

#[async_trait]
impl PsaClient for KaseyaBmsClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa()
    }

    /// `GET /v2/system/statuses/lookup` (kept for the look-up, when none
    /// is yet).
    async fn test_connection(&self) -> Result<()> {
        let table = self.load_statuses("test_connection").await?;
        let _ = self.inner.statuses.set(table);
        Ok(())
    }

    /// `GET /v2/crm/accounts/summary`, `Filter.ModifiedOnFrom` for
    /// `updated_since` (checked again on each account).
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let op = "companies";
        let since = q.updated_since;
        let list = self
            .list(op, "crm/accounts/summary")
            .query_opt("Filter.ModifiedOnFrom", since.map(|t| self.filter_time(t)))
            .page_size(q.page_size)
            .limit(q.limit);
        let (http, zone) = (self.http.clone(), self.zone());
        self.paged(op, move |paging| {
            std::future::ready(Ok(list
                .walk(&http, paging)
                .filter(move |c: &Company| changed_since(c.updated_at, since))
                .map(move |a: api::Account, raw| map::company(a, zone, raw))))
        })
    }

    /// `GET /v2/crm/accounts/summary/{id}` (the spec declares the bare
    /// account; an envelope is read as well).
    async fn company(&self, id: &Id) -> Result<Company> {
        let op = "company";
        let req = self.http.get(
            op,
            &format!("crm/accounts/summary/{}", encode_segment(id.as_str())),
        );
        let (a, raw) = self
            .send_one::<api::Account>(op, req, Some(id), true)
            .await?;
        Ok(map::company(a, self.zone(), self.keep_raw().then_some(raw)))
    }

    /// `GET /v2/crm/contacts/summary`, `Filter.AccountId` for one company,
    /// `Filter.ModifiedOnFrom` for `updated_since`.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let op = "contacts";
        let since = q.updated_since;
        let list = self
            .list(op, "crm/contacts/summary")
            .query_opt("Filter.AccountId", q.parent_id.as_ref().map(Id::to_string))
            .query_opt("Filter.ModifiedOnFrom", since.map(|t| self.filter_time(t)))
            .page_size(q.page_size)
            .limit(q.limit);
        let (http, zone) = (self.http.clone(), self.zone());
        self.paged(op, move |paging| {
            std::future::ready(Ok(list
                .walk(&http, paging)
                .filter(move |c: &Contact| changed_since(c.updated_at, since))
                .map(move |c: api::Contact, raw| map::contact(c, zone, raw))))
        })
    }

    /// `GET /v2/servicedesk/tickets`: `Filter.AccountIds` for one company,
    /// `Filter.ExcludeCompleted=1` for open tickets,
    /// `Filter.LastActivityUpdateFrom` for `updated_since`; closed tickets
    /// and states are picked client-side.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let op = "tickets";
        let list = self
            .list(op, "servicedesk/tickets")
            .query_opt(
                "Filter.AccountIds",
                q.company_id.as_ref().map(Id::to_string),
            )
            .query_opt(
                "Filter.ExcludeCompleted",
                (q.filter == TicketFilter::Open).then_some("1"),
            )
            .query_opt(
                "Filter.LastActivityUpdateFrom",
                q.updated_since.map(|t| self.filter_time(t)),
            )
            .page_size(q.page_size)
            .limit(q.limit);
        let this = self.clone();
        let http = self.http.clone();
        self.paged(op, move |paging| {
            std::future::ready(Ok(list
                .walk(&http, paging)
                .filter(move |t: &Ticket| {
                    q.accepts_state(t.status.state) && changed_since(t.updated_at, q.updated_since)
                })
                .map_pages(move |items: Vec<Item<api::Ticket>>| {
                    let this = this.clone();
                    async move {
                        let (statuses, priorities) = this.lookups(op).await?;
                        Ok(items
                            .into_iter()
                            .map(|t| {
                                map::ticket(t.value, &statuses, &priorities, this.zone(), t.raw)
                            })
                            .collect())
                    }
                })))
        })
    }

    /// `GET /v2/servicedesk/tickets/{id}`.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = "ticket";
        let req = self.http.get(
            op,
            &format!("servicedesk/tickets/{}", encode_segment(id.as_str())),
        );
        self.ticket_answer(op, req, Some(id)).await
    }

    /// `POST /v2/servicedesk/tickets` with every field BMS requires:
    /// `Title`, `Details` (the description, else the summary), `AccountId`
    /// (the company, else the API user's own account), `LocationId` (the
    /// account's main location), `StatusId` (the first New status),
    /// `PriorityId` (the default priority), `TypeId` and `SourceId` (from
    /// the settings), `OpenDate` (now); `extra` wins over each. A value
    /// that cannot be found refuses the ticket before anything is sent.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = "create_ticket";
        let cfg = &self.inner.config;
        let extra = &t.extra;
        let type_id = extra_int(extra, "TypeId")
            .or(cfg.ticket_type_id.map(i64::from))
            .ok_or_else(|| {
                missing(
                    op,
                    "TypeId",
                    "set ticket_type_id in the settings or \"TypeId\" in NewTicket::extra",
                )
            })?;
        let source_id = extra_int(extra, "SourceId")
            .or(cfg.ticket_source_id.map(i64::from))
            .ok_or_else(|| {
                missing(
                    op,
                    "SourceId",
                    "set ticket_source_id in the settings or \"SourceId\" in NewTicket::extra",
                )
            })?;
        let (account, user_location) = match (extra_int(extra, "AccountId"), &t.company_id) {
            (Some(a), _) => (a, None),
            (None, Some(c)) => (number(op, "company", c)?, None),
            (None, None) => {
                let u = self.user(op).await?;
                let a = u.account_id.filter(|a| *a > 0).ok_or_else(|| {
                    missing(
                        op,
                        "AccountId",
                        "no company was given and the API user has no account of its own",
                    )
                })?;
                (a, u.location_id.filter(|l| *l > 0))
            }
        };
        let location = match extra_int(extra, "LocationId").or(user_location) {
            Some(l) => l,
            None => self.main_location(op, account).await?,
        };
        let status = match (extra_int(extra, "StatusId"), &t.status_id) {
            (Some(s), _) => s,
            (None, Some(s)) => number(op, "status", s)?,
            (None, None) => {
                let statuses = self.statuses(op).await?;
                let first = statuses
                    .first_in(TicketState::New)
                    .or_else(|| statuses.first_in(TicketState::Open))
                    .ok_or_else(|| {
                        missing(
                            op,
                            "StatusId",
                            "the tenant has no active New or open status",
                        )
                    })?;
                number(op, "status", &first)?
            }
        };
        let priority = match (extra_int(extra, "PriorityId"), &t.priority_id) {
            (Some(p), _) => p,
            (None, Some(p)) => number(op, "priority", p)?,
            (None, None) => self.priorities(op).await?.default_id().ok_or_else(|| {
                missing(
                    op,
                    "PriorityId",
                    "the tenant marks no priority as default; set a priority",
                )
            })?,
        };
        let mut body = Map::new();
        body.insert("Title".into(), Value::String(t.summary.clone()));
        let details = t.description.clone().unwrap_or_else(|| t.summary.clone());
        body.insert("Details".into(), Value::String(details));
        body.insert("AccountId".into(), account.into());
        body.insert("LocationId".into(), location.into());
        body.insert("StatusId".into(), status.into());
        body.insert("PriorityId".into(), priority.into());
        body.insert("TypeId".into(), type_id.into());
        body.insert("SourceId".into(), source_id.into());
        body.insert(
            "OpenDate".into(),
            Value::String(self.filter_time(Utc::now())),
        );
        if let Some(c) = &t.contact_id {
            body.insert("ContactId".into(), number(op, "contact", c)?.into());
        }
        // `extra` wins, whatever the case of its keys.
        body.retain(|k, _| extra_value(extra, k).is_none());
        merge_extra(&mut body, extra);
        let req = self.http.post(op, "servicedesk/tickets").json(&body);
        self.ticket_answer(op, req, None).await
    }

    /// `PATCH /v2/servicedesk/tickets/{id}` with a JSON Patch:
    /// `replace /Title`, `/Details`, `/StatusId` (a normalized state becomes
    /// the tenant's first status in it), `/PriorityId`, and `/{key}` for
    /// each `extra` entry.
    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = "update_ticket";
        if u.is_empty() {
            return self.ticket(id).await;
        }
        let replace = |path: &str, value: Value| serde_json::json!({ "op": "replace", "path": format!("/{path}"), "value": value });
        let mut ops = Vec::new();
        if let Some(s) = &u.summary {
            ops.push(replace("Title", Value::String(s.clone())));
        }
        if let Some(d) = &u.description {
            ops.push(replace("Details", Value::String(d.clone())));
        }
        match &u.status {
            Some(StatusChange::Id(sid)) => {
                ops.push(replace("StatusId", number(op, "status", sid)?.into()));
            }
            Some(StatusChange::State(state)) => {
                let statuses = self.statuses(op).await?;
                let sid = statuses
                    .require(P, op, *state)
                    .map_err(|e| e.with_target(id.as_str()))?;
                ops.push(replace("StatusId", number(op, "status", &sid)?.into()));
            }
            _ => {}
        }
        if let Some(p) = &u.priority_id {
            ops.push(replace("PriorityId", number(op, "priority", p)?.into()));
        }
        for (k, v) in &u.extra {
            ops.push(replace(k.trim_start_matches('/'), v.clone()));
        }
        let req = self
            .http
            .patch(
                op,
                &format!("servicedesk/tickets/{}", encode_segment(id.as_str())),
            )
            .json(&ops)
            .header(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static("application/json-patch+json"),
            );
        self.ticket_answer(op, req, Some(id)).await
    }

    /// `GET /v2/servicedesk/tickets/{id}/notes`, page by page.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let op = "ticket_notes";
        let path = format!(
            "servicedesk/tickets/{}/notes",
            encode_segment(ticket.as_str())
        );
        let list = self.list(op, path);
        let (http, zone, ticket) = (self.http.clone(), self.zone(), ticket.clone());
        self.paged(op, move |paging| {
            std::future::ready(Ok(list
                .walk(&http, paging)
                .map(move |n: api::Note, raw| map::note(n, &ticket, zone, raw))))
        })
    }

    /// `POST /v2/servicedesk/tickets/{id}/notes` with `{Details, IsInternal,
    /// TypeId (from the settings), NoteDate (now), ...extra}`.
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let op = "add_ticket_note";
        let type_id = extra_int(&n.extra, "TypeId")
            .or(self.inner.config.note_type_id.map(i64::from))
            .ok_or_else(|| {
                missing(
                    op,
                    "the note's TypeId",
                    "set note_type_id in the settings or \"TypeId\" in NewNote::extra",
                )
            })?;
        let mut body = Map::new();
        body.insert("Details".into(), Value::String(n.text.clone()));
        body.insert("IsInternal".into(), Value::Bool(n.internal));
        body.insert("TypeId".into(), type_id.into());
        body.insert(
            "NoteDate".into(),
            Value::String(self.filter_time(Utc::now())),
        );
        body.retain(|k, _| extra_value(&n.extra, k).is_none());
        merge_extra(&mut body, &n.extra);
        let req = self
            .http
            .post(
                op,
                &format!(
                    "servicedesk/tickets/{}/notes",
                    encode_segment(ticket.as_str())
                ),
            )
            .json(&body);
        let (note, raw) = self
            .send_one::<api::Note>(op, req, Some(ticket), false)
            .await?;
        Ok(map::note(
            note,
            ticket,
            self.zone(),
            self.keep_raw().then_some(raw),
        ))
    }

    /// `GET /v2/finance/contracts/summary`. Contracts name their account but
    /// carry no id: the account comes from the tenant's account look-up by
    /// name (read once), and one company's contracts are asked for with
    /// `Filter.AccountName` and checked by id. Contracts have no change
    /// date, so `updated_since` does not narrow them.
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let op = "agreements";
        let this = self.clone();
        self.paged(op, move |paging| async move {
            let names = this.account_names(op).await?;
            let mut list = this
                .list(op, "finance/contracts/summary")
                .page_size(q.page_size)
                .limit(q.limit);
            let parent = match &q.parent_id {
                Some(id) => {
                    let Some(name) = id
                        .as_str()
                        .parse::<i64>()
                        .ok()
                        .and_then(|n| names.name_of(n))
                    else {
                        return Ok(stream::empty().boxed());
                    };
                    list = list.query("Filter.AccountName", name);
                    Some(id.clone())
                }
                None => None,
            };
            Ok(list
                .walk(&this.http, paging)
                .filter(move |a: &Agreement| parent.is_none() || a.company_id == parent)
                .map(move |c: api::Contract, raw| map::agreement(c, &names, raw)))
        })
    }
}
