//! [`AteraClient`] and its [`RmmClient`] and [`PsaClient`] implementations.

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use futures::{StreamExt, TryStreamExt};
use mspkit_core::http::{Http, encode_segment};
use mspkit_core::list::{ListRequest, Paging};
use mspkit_core::paging::changed_since;
use mspkit_core::{
    Agreement, Alert, AlertQuery, Capabilities, Company, Contact, Device, DeviceQuery, Error,
    ErrorKind, Id, ItemStream, Keyed, ListQuery, NewNote, NewTicket, Operation, Organization,
    Provider, PsaClient, Result, RmmClient, Site, Software, StatusChange, StatusLookup, Ticket,
    TicketNote, TicketQuery, TicketUpdate, async_trait, error_stream, merge_extra,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tokio::sync::OnceCell;

use crate::api;
use crate::builder::{AteraClientBuilder, KeyKind};
use crate::map;
use crate::settings::AteraSettings;
use crate::zone::AccountZone;

const P: Provider = Provider::Atera;

/// The largest page Atera serves (`itemsInPage`, "max is 50").
pub(crate) const MAX_PAGE: u32 = 50;

/// An Atera (API v3) client: the RMM side (customers as organizations,
/// agents as devices, alerts) through [`RmmClient`], and the built-in
/// helpdesk (customers as companies, contacts, tickets and their comments,
/// contracts as agreements) through [`PsaClient`].
///
/// Cheap to clone: clones share the connection pool, the rate limiter and
/// the account's time zone once it has been read.
#[derive(Clone, Debug)]
pub struct AteraClient {
    http: Http,
    keep_raw: bool,
    key_kind: KeyKind,
    zone: Arc<OnceCell<AccountZone>>,
}

impl AteraClient {
    /// A builder; see [`AteraClientBuilder`].
    pub fn builder() -> AteraClientBuilder {
        AteraClientBuilder::new()
    }

    /// A client for stored settings, checked before any request.
    pub fn from_settings(settings: &AteraSettings) -> Result<Self> {
        AteraClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &AteraSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        AteraClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(http: Http, keep_raw: bool, key_kind: KeyKind) -> Self {
        AteraClient {
            http,
            keep_raw,
            key_kind,
            zone: Arc::new(OnceCell::new()),
        }
    }

    /// The authenticated transport, rooted at `https://app.atera.com/api/v3/`
    /// (paths such as `agents/118/installed-patches`), for endpoints the
    /// normalized model does not cover.
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// [`Provider::Atera`] (the same through both traits).
    pub fn provider(&self) -> Provider {
        P
    }

    /// The cheapest authenticated call, `GET /api/v3/customers?page=1&itemsInPage=1`
    /// (the same through both traits).
    pub async fn test_connection(&self) -> Result<()> {
        test_connection(&self.http).await
    }

    /// Which header the key travels in.
    pub fn key_kind(&self) -> KeyKind {
        self.key_kind
    }

    /// A list under the API root: `page=1`, `itemsInPage`, then `nextLink`.
    fn list(&self, op: Operation, path: impl Into<String>) -> ListRequest {
        ListRequest::get(op.as_str(), path)
            .items_at("items")
            .query("page", "1")
            .keep_raw(self.keep_raw)
    }

    /// One item: `GET {path}`, its errors naming `id`.
    async fn one<A: DeserializeOwned>(
        &self,
        op: Operation,
        path: String,
        id: &Id,
    ) -> Result<(A, Option<Value>)> {
        self.http
            .get(op.as_str(), &path)
            .target(id.as_str())
            .send()
            .await?
            .json_with_raw(self.keep_raw)
    }

    /// The account's time zone (`GET /api/v3/account`), read once per
    /// client. A key without the permission to read the account gets the
    /// widest margin instead of a failed list.
    async fn zone(&self, op: Operation) -> Result<AccountZone> {
        self.zone
            .get_or_try_init(|| async {
                let answer = self.http.get(op.as_str(), "account").send().await;
                match answer {
                    Ok(resp) => {
                        let account: api::Account = resp.json()?;
                        let zone = AccountZone::from_name(account.time_zone_name.as_deref());
                        if !zone.known {
                            tracing::warn!(
                                time_zone = ?zone.name,
                                "atera: unknown account time zone; FromLastModifiedDate is sent 12 hours early"
                            );
                        }
                        Ok(zone)
                    }
                    Err(e) if matches!(e.kind(), ErrorKind::Forbidden | ErrorKind::NotFound) => {
                        tracing::warn!(error = %e, "atera: the account cannot be read; FromLastModifiedDate is sent 12 hours early");
                        Ok(AccountZone::unknown())
                    }
                    Err(e) => Err(e),
                }
            })
            .await
            .cloned()
    }

    /// Customers, as organizations or companies: `GET /customers`, with
    /// `FromLastModifiedDate` (account-local) for `updated_since`, checked
    /// again on `LastModified`.
    fn customers<T>(
        &self,
        op: Operation,
        q: ListQuery,
        map: fn(api::Customer, Option<Value>) -> T,
        updated: fn(&T) -> Option<DateTime<Utc>>,
    ) -> ItemStream<'static, T>
    where
        T: Keyed + Send + 'static,
    {
        self.since_filtered(op, "customers", q, map, updated, |_| true)
    }

    /// A list filtered by `FromLastModifiedDate` (customers, contacts).
    fn since_filtered<A, T>(
        &self,
        op: Operation,
        path: &'static str,
        q: ListQuery,
        map: fn(A, Option<Value>) -> T,
        updated: fn(&T) -> Option<DateTime<Utc>>,
        keep: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> ItemStream<'static, T>
    where
        A: DeserializeOwned + Send + 'static,
        T: Keyed + Send + 'static,
    {
        let this = self.clone();
        deferred(async move {
            let mut list = this.list(op, path).page_size(q.page_size).limit(q.limit);
            let mut threshold = None;
            if let Some(since) = q.updated_since {
                let zone = this.zone(op).await?;
                list = list.query("FromLastModifiedDate", zone.filter_value(since));
                threshold = Some(zone.threshold(since));
            }
            Ok(list
                .walk(&this.http, paging())
                .filter(move |item: &T| {
                    let recent = match (threshold, updated(item)) {
                        (Some(t), Some(at)) => at.naive_utc() >= t,
                        _ => true,
                    };
                    recent && keep(item)
                })
                .map(map))
        })
    }

    /// One alert list (`alertStatus`), filtered client-side.
    fn alert_walk(&self, q: &AlertQuery, status: &'static str) -> ItemStream<'static, Alert> {
        let (org, device, since) = (
            q.organization_id.clone(),
            q.device_id.clone(),
            q.updated_since,
        );
        self.list(Operation::Alerts, "alerts")
            .query("alertStatus", status)
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, paging())
            .filter(move |a: &Alert| {
                org.as_ref()
                    .is_none_or(|o| a.organization_id.as_ref() == Some(o))
                    && device
                        .as_ref()
                        .is_none_or(|d| a.device_id.as_ref() == Some(d))
                    && changed_since(map::alert_changed_at(a), since)
            })
            .map(map::alert)
    }

    /// Reads a `Result` body's `ActionID`.
    fn action_id(&self, op: Operation, resp: &mspkit_core::http::Response) -> Result<String> {
        let result: api::ActionResult = resp.json()?;
        let id = match result.action_id {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                return Err(Error::decode(
                    P,
                    op.as_str(),
                    "ActionID",
                    "missing or empty: the new ticket's id is not known",
                    &String::from_utf8_lossy(resp.body()),
                ));
            }
        };
        Ok(id)
    }
}

/// Atera's paging: `itemsInPage` up to 50, the next page at `nextLink`
/// (empty on the last), the total in `totalItemCount`, checked at the end.
fn paging() -> Paging {
    Paging::next_url("/nextLink")
        .size_param("itemsInPage")
        .max_size(MAX_PAGE)
        .total_items("/totalItemCount")
}

/// A stream whose list needs an async look-up first (the account's zone).
fn deferred<T: Send + 'static>(
    setup: impl Future<Output = Result<ItemStream<'static, T>>> + Send + 'static,
) -> ItemStream<'static, T> {
    futures::stream::once(setup)
        .map(|r| r.unwrap_or_else(error_stream))
        .flatten()
        .boxed()
}

/// An item and the moment it changed, for a client-side `updated_since`
/// on a field the normalized item does not carry (an agent's `Modified`).
struct Changed<T> {
    item: T,
    at: Option<DateTime<Utc>>,
}

impl<T: Keyed> Keyed for Changed<T> {
    fn key(&self) -> Option<&str> {
        self.item.key()
    }
}

/// An id that goes into a path or a body as Atera's int64.
fn numeric(op: Operation, what: &str, id: &Id) -> Result<i64> {
    id.as_str().trim().parse::<i64>().map_err(|_| {
        Error::refused(
            P,
            op.as_str(),
            format!(
                "{what} {:?} is not an Atera id (ids are integers)",
                id.as_str()
            ),
        )
    })
}

fn unsupported(op: Operation, why: &str) -> Error {
    Error::unsupported(P, op.as_str()).with_message(why)
}

const NO_SITES: &str = "Atera has no site or location list: agents carry a customer folder (FolderID, kept as Device.site_id), but folders can only be created through the API, not listed, and deriving them from agents would miss every empty folder";

const NO_SOFTWARE: &str = "Atera API v3 has no installed-software endpoint (installed patches at agents/{DeviceGuid}/installed-patches are not software); use client.http() for patches";

#[async_trait]
impl RmmClient for AteraClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_rmm()
            .without(Operation::Sites)
            .without(Operation::Software)
    }

    /// `GET /api/v3/customers?page=1&itemsInPage=1`.
    async fn test_connection(&self) -> Result<()> {
        test_connection(&self.http).await
    }

    /// `GET /api/v3/customers`; `updated_since` is `FromLastModifiedDate`
    /// in the account's time zone, checked again on `LastModified`.
    fn organizations(&self, q: ListQuery) -> ItemStream<'_, Organization> {
        self.customers(Operation::Organizations, q, map::organization, |o| {
            o.updated_at
        })
    }

    /// Unsupported: Atera has no site list (see the error's message).
    fn sites(&self, q: ListQuery) -> ItemStream<'_, Site> {
        let _ = q;
        error_stream(unsupported(Operation::Sites, NO_SITES))
    }

    /// `GET /api/v3/agents`, or `GET /api/v3/agents/customer/{id}` for one
    /// organization. The site (`FolderID`) and `updated_since` (`Modified`)
    /// are filtered client-side.
    fn devices(&self, q: DeviceQuery) -> ItemStream<'_, Device> {
        let op = Operation::Devices;
        let path = match &q.organization_id {
            Some(org) => match numeric(op, "organization id", org) {
                Ok(n) => format!("agents/customer/{n}"),
                Err(e) => return error_stream(e),
            },
            None => "agents".to_owned(),
        };
        let (site, since) = (q.site_id, q.updated_since);
        self.list(op, path)
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, paging())
            .filter(move |c: &Changed<Device>| {
                site.as_ref()
                    .is_none_or(|s| c.item.site_id.as_ref() == Some(s))
                    && changed_since(c.at, since)
            })
            .map(|a: api::Agent, raw| Changed {
                at: a.modified,
                item: map::device(a, raw),
            })
            .map_ok(|c| c.item)
            .boxed()
    }

    /// `GET /api/v3/agents/{id}`.
    async fn device(&self, id: &Id) -> Result<Device> {
        let op = Operation::Device;
        let path = format!("agents/{}", encode_segment(id.as_str()));
        let (agent, raw) = self.one::<api::Agent>(op, path, id).await?;
        Ok(map::device(agent, raw))
    }

    /// `GET /api/v3/alerts?alertStatus=Open`; with `include_resolved`, the
    /// `Snoozed` and `Resolved` lists follow. Organization, device and
    /// `updated_since` (the later of `Created` and `ArchivedDate`) are
    /// filtered client-side.
    fn alerts(&self, q: AlertQuery) -> ItemStream<'_, Alert> {
        if !q.include_resolved {
            return self.alert_walk(&q, "Open");
        }
        let all = self
            .alert_walk(&q, "Open")
            .chain(self.alert_walk(&q, "Snoozed"))
            .chain(self.alert_walk(&q, "Resolved"));
        match q.limit {
            Some(n) => all.take(n).boxed(),
            None => all.boxed(),
        }
    }

    /// Unsupported: Atera API v3 has no software inventory.
    fn software(&self, device: &Id) -> ItemStream<'_, Software> {
        let _ = device;
        error_stream(unsupported(Operation::Software, NO_SOFTWARE))
    }
}

async fn test_connection(http: &Http) -> Result<()> {
    http.get("test_connection", "customers")
        .query(&[("page", "1"), ("itemsInPage", "1")])
        .send_probe()
        .await
}

#[async_trait]
impl PsaClient for AteraClient {
    fn provider(&self) -> Provider {
        P
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_psa()
    }

    /// `GET /api/v3/customers?page=1&itemsInPage=1`.
    async fn test_connection(&self) -> Result<()> {
        test_connection(&self.http).await
    }

    /// `GET /api/v3/customers`; `updated_since` is `FromLastModifiedDate`
    /// in the account's time zone, checked again on `LastModified`.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        self.customers(Operation::Companies, q, map::company, |c| c.updated_at)
    }

    /// `GET /api/v3/customers/{id}`.
    async fn company(&self, id: &Id) -> Result<Company> {
        let op = Operation::Company;
        let path = format!("customers/{}", encode_segment(id.as_str()));
        let (c, raw) = self.one::<api::Customer>(op, path, id).await?;
        Ok(map::company(c, raw))
    }

    /// `GET /api/v3/contacts`; `updated_since` is `FromLastModifiedDate`
    /// (account-local), checked again on `LastModified`. The API takes no
    /// customer filter: a company is filtered client-side.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let company = q.parent_id.clone();
        self.since_filtered(
            Operation::Contacts,
            "contacts",
            q,
            map::contact,
            |c| c.updated_at,
            move |c: &Contact| {
                company
                    .as_ref()
                    .is_none_or(|want| c.company_id.as_ref() == Some(want))
            },
        )
    }

    /// `GET /api/v3/tickets` (`customerId` for a company), or with
    /// `updated_since` `GET /api/v3/tickets/lastmodified?date=` (UTC,
    /// ISO 8601; the company is then filtered client-side). Open/closed and
    /// states are filtered client-side.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let op = Operation::Tickets;
        let list = match q.updated_since {
            Some(since) => self
                .list(op, "tickets/lastmodified")
                .query("date", since.to_rfc3339_opts(SecondsFormat::Secs, true))
                .query("includeComments", "true"),
            None => match &q.company_id {
                Some(c) => match numeric(op, "company id", c) {
                    Ok(n) => self.list(op, "tickets").query("customerId", n.to_string()),
                    Err(e) => return error_stream(e),
                },
                None => self.list(op, "tickets"),
            },
        };
        let company = q.company_id.clone();
        let query = q.clone();
        list.page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, paging())
            .filter(move |t: &Ticket| {
                query.accepts_state(t.status.state)
                    && company
                        .as_ref()
                        .is_none_or(|c| t.company_id.as_ref() == Some(c))
            })
            .map(map::ticket)
    }

    /// `GET /api/v3/tickets/{id}`.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let op = Operation::Ticket;
        let path = format!("tickets/{}", encode_segment(id.as_str()));
        let (t, raw) = self.one::<api::Ticket>(op, path, id).await?;
        Ok(map::ticket(t, raw))
    }

    /// `POST /api/v3/tickets` (`TicketTitle`, `Description`, `EndUserID`,
    /// `TicketPriority`, `TicketStatus`, then `extra`), then the new ticket
    /// read back by the `ActionID` the answer carries. Atera files a ticket
    /// under its contact's customer: a company alone is refused.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let op = Operation::CreateTicket;
        let mut body = Map::new();
        body.insert("TicketTitle".into(), json!(t.summary));
        if let Some(d) = &t.description {
            body.insert("Description".into(), json!(d));
        }
        if let Some(contact) = &t.contact_id {
            body.insert(
                "EndUserID".into(),
                json!(numeric(op, "contact id", contact)?),
            );
        }
        if let Some(p) = &t.priority_id {
            body.insert("TicketPriority".into(), json!(p.as_str()));
        }
        if let Some(s) = &t.status_id {
            body.insert("TicketStatus".into(), json!(s.as_str()));
        }
        merge_extra(&mut body, &t.extra);
        let names_contact = ["EndUserID", "EndUserEmail"]
            .iter()
            .any(|k| body.get(*k).is_some_and(|v| !v.is_null()));
        if !names_contact {
            let why = if t.company_id.is_some() {
                "Atera files a ticket under a contact, whose customer becomes the ticket's: give contact_id (or EndUserEmail with EndUserFirstName and EndUserLastName in extra) instead of a company alone"
            } else {
                "Atera needs the ticket's contact: give contact_id (or EndUserEmail with EndUserFirstName and EndUserLastName in extra)"
            };
            return Err(Error::refused(P, op.as_str(), why));
        }
        let resp = self
            .http
            .post(op.as_str(), "tickets")
            .json(&Value::Object(body))
            .send()
            .await?;
        let id = Id::from(self.action_id(op, &resp)?);
        self.ticket(&id).await
    }

    /// `PUT /api/v3/tickets/{id}` (`TicketTitle`, `TicketStatus`,
    /// `TicketPriority`, then `extra`), then the ticket read back. A state
    /// becomes Atera's built-in status (`Open`, `Pending`, `Resolved`,
    /// `Closed`); the description cannot be changed through the API.
    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let op = Operation::UpdateTicket;
        if u.description.is_some() {
            return Err(Error::refused(
                P,
                op.as_str(),
                "Atera's API cannot change a ticket's description (UpdateTicketModel has no such field); add a note instead",
            )
            .with_target(id.as_str()));
        }
        let mut body = Map::new();
        if let Some(s) = &u.summary {
            body.insert("TicketTitle".into(), json!(s));
        }
        match &u.status {
            Some(StatusChange::Id(label)) => {
                body.insert("TicketStatus".into(), json!(label.as_str()));
            }
            Some(StatusChange::State(state)) => {
                let label = map::statuses()
                    .require(P, op.as_str(), *state)
                    .map_err(|e| e.with_target(id.as_str()))?;
                body.insert("TicketStatus".into(), json!(label.as_str()));
            }
            _ => {}
        }
        if let Some(p) = &u.priority_id {
            body.insert("TicketPriority".into(), json!(p.as_str()));
        }
        merge_extra(&mut body, &u.extra);
        if body.is_empty() {
            return Err(Error::refused(P, op.as_str(), "the update changes nothing")
                .with_target(id.as_str()));
        }
        self.http
            .put(
                op.as_str(),
                &format!("tickets/{}", encode_segment(id.as_str())),
            )
            .target(id.as_str())
            .json(&Value::Object(body))
            .send()
            .await?;
        self.ticket(id).await
    }

    /// `GET /api/v3/tickets/{id}/comments`. Comments carry no id: each
    /// note's id is made of the ticket, the time, the author and a hash of
    /// the text.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let op = Operation::TicketNotes;
        let path = format!("tickets/{}/comments", encode_segment(ticket.as_str()));
        let ticket = ticket.clone();
        self.list(op, path)
            .walk(&self.http, paging())
            .map(move |c: api::Comment, raw| map::note(&ticket, c, raw))
    }

    /// `POST /api/v3/tickets/{id}/comments`. The comment is the ticket's
    /// assigned technician's unless `extra` names the author:
    /// `TechnicianId` (or a whole `TechnicianCommentDetails`), or `EnduserId`
    /// (or `EnduserCommentDetails`) for a contact's public comment.
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let op = Operation::AddTicketNote;
        let refused =
            |why: String| Error::refused(P, op.as_str(), why).with_target(ticket.as_str());
        let now = Utc::now();
        let mut extra = n.extra.clone();
        let mut body = Map::new();
        body.insert("CommentText".into(), json!(n.text));
        body.insert(
            "CommentTimestampUTC".into(),
            json!(now.to_rfc3339_opts(SecondsFormat::Secs, true)),
        );
        let technician = extra.remove("TechnicianId").and_then(|v| as_i64(&v));
        let end_user = extra.remove("EnduserId").and_then(|v| as_i64(&v));
        let has_details = extra.contains_key("TechnicianCommentDetails")
            || extra.contains_key("EnduserCommentDetails");
        let author = if has_details {
            let tech = extra
                .get("TechnicianCommentDetails")
                .and_then(|d| d.get("TechnicianId"))
                .and_then(as_i64);
            let user = extra
                .get("EnduserCommentDetails")
                .and_then(|d| d.get("EnduserId"))
                .and_then(as_i64);
            map::author_key(tech, user)
        } else if let Some(user) = end_user.filter(|_| technician.is_none()) {
            if n.internal {
                return Err(refused(
                    "a contact's comment cannot be internal; name a technician (TechnicianId in extra)".into(),
                ));
            }
            body.insert("EnduserCommentDetails".into(), json!({ "EnduserId": user }));
            map::author_key(None, Some(user))
        } else {
            let tech = match technician {
                Some(t) => t,
                None => self.assigned_technician(ticket).await?.ok_or_else(|| {
                    refused("the ticket has no assigned technician to write the comment as: give TechnicianId (an Atera technician contact id) in the note's extra".into())
                })?,
            };
            body.insert(
                "TechnicianCommentDetails".into(),
                serde_json::to_value(api::TechnicianDetails {
                    technician_id: tech,
                    is_internal: n.internal,
                })
                .unwrap_or(Value::Null),
            );
            map::author_key(Some(tech), None)
        };
        merge_extra(&mut body, &extra);
        let internal = body
            .get("TechnicianCommentDetails")
            .and_then(|d| d.get("IsInternal"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.http
            .post(
                op.as_str(),
                &format!("tickets/{}/comments", encode_segment(ticket.as_str())),
            )
            .target(ticket.as_str())
            .json(&Value::Object(body))
            .send()
            .await?;
        let at = DateTime::<Utc>::from_timestamp(now.timestamp(), 0);
        let id = map::note_id(ticket, at, &author, &n.text);
        let mut note = TicketNote::new(P, id, ticket.clone(), n.text);
        note.internal = internal;
        note.created_at = at;
        Ok(note)
    }

    /// `GET /api/v3/contracts`, or `GET /api/v3/contracts/customer/{id}`
    /// for one company. Contracts carry no change time, so `updated_since`
    /// keeps them all.
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let op = Operation::Agreements;
        let path = match &q.parent_id {
            Some(c) => match numeric(op, "company id", c) {
                Ok(n) => format!("contracts/customer/{n}"),
                Err(e) => return error_stream(e),
            },
            None => "contracts".to_owned(),
        };
        self.list(op, path)
            .page_size(q.page_size)
            .limit(q.limit)
            .walk(&self.http, paging())
            .map(map::agreement)
    }
}

impl AteraClient {
    /// The technician assigned to `ticket`, read without `keep_raw`.
    async fn assigned_technician(&self, ticket: &Id) -> Result<Option<i64>> {
        let path = format!("tickets/{}", encode_segment(ticket.as_str()));
        let t: api::Ticket = self
            .http
            .get(Operation::AddTicketNote.as_str(), &path)
            .target(ticket.as_str())
            .send()
            .await?
            .json()?;
        Ok(t.technician_id)
    }
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
