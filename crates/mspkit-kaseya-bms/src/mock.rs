//! A fake Kaseya BMS (feature `mock`), built from testkit's kit, answering
//! the way BMS API 2.0 does:
//! - the token life cycle: a form-encoded `security/authenticate` checked
//!   field by field, access and refresh tokens with expiry times,
//!   `security/refreshtoken` that uses a refresh token up, and a wrong
//!   password answered with HTTP 200 and `success: false`;
//! - everything else under `/v2/` needs a live token, else an empty 401
//!   with `WWW-Authenticate: Bearer` (ASP.NET's JWT refusal);
//! - the envelope (`success`, `error`, `result`, `totalRecords`) with
//!   camelCase keys, `PageNumber` / `PageSize` paging, and `Filter.*`
//!   parameters (`Filter.ModifiedOnFrom`, `Filter.LastActivityUpdateFrom`,
//!   `Filter.AccountId`, `Filter.AccountIds`, `Filter.ExcludeCompleted`,
//!   `Filter.AccountName`);
//! - failures with HTTP 200: a filter value BMS cannot read, a ticket that
//!   does not exist, a ticket or note missing a required field.
//!
//! The data follows the samples in the provider notes (account 312 "Acme
//! Corp" and its main office 415, ticket 10452); like those samples, the
//! shapes are taken from the official spec and not from captured answers.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, Utc};
use mspkit_core::{Id, SecretString};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use mspkit_testkit::{
    LoginBody, LoginEndpoint, PageScheme, PageView, Paged, Reply, TokenStore, changed_since,
    mount_gate, query_param, since_param,
};
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::KaseyaBmsSettings;

/// The tenant (company name) the fake server expects.
pub const TENANT: &str = "Northwind IT Services";
/// The user the fake server signs in.
pub const USERNAME: &str = "api.sync@northwind-it.example";
/// That user's password (it changes when form-encoded).
pub const PASSWORD: &str = "n0rthw1nd Sync/2024!";
/// The ticket type the fake's settings give new tickets.
pub const TICKET_TYPE_ID: u32 = 3;
/// The ticket source the fake's settings give new tickets.
pub const TICKET_SOURCE_ID: u32 = 1;
/// The note type the fake's settings give new notes.
pub const NOTE_TYPE_ID: u32 = 2;
/// The ticket whose notes the fake holds most of.
pub const TICKET_WITH_NOTES: i64 = 10452;
/// The account of the notes' sample.
pub const ACME: i64 = 312;

/// The API user's own account and location (`security/userinfo`).
const OWN_ACCOUNT: i64 = 1;
const OWN_LOCATION: i64 = 101;
const COMPLETED: i64 = 6;

/// BMS's refusal body, its fields in the order .NET writes them
/// (`success` first): `{"success": false, "error": {...}, "result": null}`.
pub fn refusal_body(code: u16, message: &str, sub_errors: &[&str]) -> String {
    let error = json!({
        "code": code, "message": message, "details": null,
        "stackStrace": null, "subErrors": sub_errors
    });
    format!(r#"{{"success":false,"error":{error},"result":null}}"#)
}

/// BMS's in-body refusal, answered with HTTP 200.
pub fn refusal(code: u16, message: &str, sub_errors: &[&str]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        refusal_body(code, message, sub_errors),
        "application/json; charset=utf-8",
    )
}

fn ok(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({ "success": true, "error": null, "result": result }))
}

fn refused(code: u16, message: &str, sub_errors: &[&str]) -> ResponseTemplate {
    refusal(code, message, sub_errors)
}

/// Times as BMS writes them: no offset (here, UTC).
fn wall(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Starts a fake BMS whose pages count from 1 (page 0 is read as page 1),
/// holding 7 accounts, 12 contacts, 30 tickets (10452 with 4 notes) and 6
/// contracts.
pub async fn start() -> FakeServer<KaseyaBmsSettings> {
    start_paged_from(1).await
}

/// The same fake, its pages counted from `first` (0 or 1): BMS does not
/// document which, so the client is tested against both.
pub async fn start_paged_from(first: u64) -> FakeServer<KaseyaBmsSettings> {
    let server = MockServer::start().await;
    let data = Data::new();
    let store = TokenStore::new("bms");

    let login = LoginEndpoint::new(Reply::raw(
        200,
        refusal_body(401, "Invalid username or password.", &[]),
        "application/json; charset=utf-8",
    ))
    .body(LoginBody::Form)
    .field("GrantType", "password")
    .field("UserName", USERNAME)
    .field("Password", PASSWORD)
    .field("Tenant", TENANT)
    .store_in(&store)
    .answer({
        let store = store.clone();
        move |t| token_answer(&store, &t.access_token, t.expires_at)
    });
    login.mount(&server, "/v2/security/authenticate").await;
    Mock::given(method("POST"))
        .and(path("/v2/security/refreshtoken"))
        .respond_with(RefreshEndpoint {
            store: store.clone(),
        })
        .mount(&server)
        .await;
    // Everything else under /v2/ needs a live token.
    let api = |r: &Request| {
        let p = r.url.path();
        p.starts_with("/v2/")
            && !p.starts_with("/v2/security/authenticate")
            && !p.starts_with("/v2/security/refreshtoken")
    };
    let denied = Reply::empty(401).header("www-authenticate", "Bearer");
    mount_gate(&server, api, login.bearer(denied)).await;

    let get = |p: &str| Mock::given(method("GET")).and(path(p.to_owned()));
    get("/v2/security/userinfo")
        .respond_with(ok(json!({
            "userId": 7, "fullName": "API Sync", "emailAddress": USERNAME,
            "timeStamp": "2024-03-06T10:00:00", "timeZoneValue": 0.0, "timeZoneName": "UTC",
            "tenantId": 4021, "accountId": OWN_ACCOUNT, "locationId": OWN_LOCATION,
            "contactId": null, "businessName": TENANT, "isUserSystemAdmin": false
        })))
        .mount(&server)
        .await;
    get("/v2/system/statuses/lookup")
        .respond_with(ok(statuses()))
        .mount(&server)
        .await;
    get("/v2/system/priorities/lookup")
        .respond_with(ok(priorities()))
        .mount(&server)
        .await;

    let scheme = PageScheme::page_number("PageNumber", "PageSize", first);
    let with_total = |v: &PageView<'_>| {
        ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "error": null, "result": v.items, "totalRecords": v.total
        }))
    };
    let without_total = |v: &PageView<'_>| {
        ResponseTemplate::new(200)
            .set_body_json(json!({ "success": true, "error": null, "result": v.items }))
    };
    let paged = |items: Vec<Value>, totals: bool| {
        let p = if totals {
            Paged::new(items, scheme.clone(), with_total)
        } else {
            Paged::new(items, scheme.clone(), without_total)
        };
        p.default_size(50).max_size(3000)
    };

    let lists: [(&str, Vec<Value>, Filters, bool); 4] = [
        (
            "/v2/crm/accounts/summary",
            data.accounts.clone(),
            Filters::accounts(),
            true,
        ),
        (
            "/v2/crm/contacts/summary",
            data.contacts.clone(),
            Filters::contacts(),
            true,
        ),
        (
            "/v2/servicedesk/tickets",
            data.tickets.clone(),
            Filters::tickets(),
            true,
        ),
        (
            "/v2/finance/contracts/summary",
            data.contracts.clone(),
            Filters::contracts(),
            true,
        ),
    ];
    for (p, items, filters, totals) in lists {
        let list = paged(items.clone(), totals);
        get(p)
            .respond_with(Listing {
                paged: list,
                items: Arc::new(items),
                filters,
            })
            .mount(&server)
            .await;
    }
    let names: Vec<Value> = data
        .accounts
        .iter()
        .map(|a| json!({ "id": a["id"], "name": a["accountName"], "tenantName": TENANT, "isActive": a["isActive"] }))
        .collect();
    get("/v2/crm/accounts/lookup")
        .respond_with(Listing {
            paged: paged(names.clone(), false),
            items: Arc::new(names),
            filters: Filters::default(),
        })
        .mount(&server)
        .await;

    Mock::given(method("GET"))
        .and(path_regex(r"^/v2/crm/accounts/summary/[^/]+$"))
        .respond_with(AccountById(data.accounts.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v2/crm/accounts/[^/]+/locations/lookup$"))
        .respond_with(Locations(data.accounts.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v2/servicedesk/tickets/[^/]+/notes$"))
        .respond_with(Notes {
            paged: paged(Vec::new(), false),
            notes: data.notes.clone(),
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/v2/servicedesk/tickets/[^/]+/notes$"))
        .respond_with(AddNote)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v2/servicedesk/tickets/[^/]+$"))
        .respond_with(TicketById(data.tickets.clone()))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path_regex(r"^/v2/servicedesk/tickets/[^/]+$"))
        .respond_with(PatchTicket(data.tickets.clone()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/servicedesk/tickets"))
        .respond_with(CreateTicket(data.accounts.clone()))
        .mount(&server)
        .await;

    let mut expected = Expected::new();
    expected.companies = Some(data.accounts.len());
    expected.contacts = Some(data.contacts.len());
    expected.tickets = Some(data.tickets.len());
    expected.agreements = Some(data.contracts.len());
    expected.company_id = Some(Id::from(ACME));
    let notes = data.notes.get(&TICKET_WITH_NOTES).map_or(0, Vec::len);
    expected.ticket_with_notes = Some((Id::from(TICKET_WITH_NOTES), notes));

    let mut settings = KaseyaBmsSettings::new(TENANT, USERNAME, SecretString::from(PASSWORD));
    settings.base_url = Some(server.uri());
    settings.ticket_type_id = Some(TICKET_TYPE_ID);
    settings.ticket_source_id = Some(TICKET_SOURCE_ID);
    settings.note_type_id = Some(NOTE_TYPE_ID);
    settings.allow_insecure_http = true;
    let form_encoded: String = url::form_urlencoded::byte_serialize(PASSWORD.as_bytes()).collect();
    FakeServer::new(server, settings, expected)
        .secrets([PASSWORD.to_owned(), form_encoded])
        .tokens(store)
}

/// The answer of a sign-in or refresh: a new access token and a new
/// refresh token with their expiry times.
fn token_answer(store: &TokenStore, access: &str, expires_at: chrono::DateTime<Utc>) -> Value {
    json!({
        "success": true, "error": null,
        "result": {
            "accessToken": access,
            "refreshToken": store.issue_refresh(),
            "accessTokenExpireOn": wall(expires_at),
            "refreshTokenExpireOn": wall(Utc::now() + Duration::days(7)),
        }
    })
}

/// `POST /v2/security/refreshtoken`: `AccessToken` (one issued here, live
/// or not) and `RefreshToken` (used up by this call).
struct RefreshEndpoint {
    store: TokenStore,
}

impl Respond for RefreshEndpoint {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let form: HashMap<String, String> =
            url::form_urlencoded::parse(&r.body).into_owned().collect();
        let access = form.get("AccessToken").cloned().unwrap_or_default();
        let refresh = form.get("RefreshToken").cloned().unwrap_or_default();
        if !self.store.access_tokens().contains(&access) || !self.store.redeem_refresh(&refresh) {
            return refused(401, "Invalid refresh token.", &[]);
        }
        let new_access = self.store.issue_access();
        ResponseTemplate::new(200).set_body_json(token_answer(
            &self.store,
            &new_access,
            Utc::now() + Duration::hours(1),
        ))
    }
}

/// The `Filter.*` parameters one list reads: dates, integers, and the
/// item fields they compare.
#[derive(Default, Clone)]
struct Filters {
    /// `(parameter, field)`: items changed at or after the date.
    since: Vec<(&'static str, &'static str)>,
    /// `(parameter, field)`: items whose field is the number.
    int: Vec<(&'static str, &'static str)>,
    /// `(parameter, field)`: items whose field is one of the numbers (csv).
    ints: Vec<(&'static str, &'static str)>,
    /// `(parameter, field)`: items whose field is the text.
    text: Vec<(&'static str, &'static str)>,
    /// `Filter.ExcludeCompleted`.
    exclude_completed: bool,
}

impl Filters {
    fn accounts() -> Self {
        Filters {
            since: vec![("Filter.ModifiedOnFrom", "modifiedOn")],
            ..Filters::default()
        }
    }
    fn contacts() -> Self {
        Filters {
            since: vec![("Filter.ModifiedOnFrom", "modifiedOn")],
            int: vec![("Filter.AccountId", "accountId")],
            ..Filters::default()
        }
    }
    fn tickets() -> Self {
        Filters {
            since: vec![("Filter.LastActivityUpdateFrom", "lastActivityUpdate")],
            ints: vec![("Filter.AccountIds", "accountId")],
            exclude_completed: true,
            ..Filters::default()
        }
    }
    fn contracts() -> Self {
        Filters {
            text: vec![("Filter.AccountName", "accountName")],
            ..Filters::default()
        }
    }

    /// The items the request's filters keep, or BMS's refusal of a value
    /// it cannot read (answered with 200, as BMS does).
    #[allow(clippy::result_large_err)]
    fn apply(&self, r: &Request, items: &[Value]) -> Result<Vec<Value>, ResponseTemplate> {
        let bad = |p: &str, v: &str| {
            let name = p.trim_start_matches("Filter.");
            refused(
                400,
                &format!("The value '{v}' is not valid for {name}."),
                &[&format!("{p}: The value '{v}' is not valid.")],
            )
        };
        let mut kept: Vec<Value> = items.to_vec();
        for (p, f) in &self.since {
            match since_param(r, p) {
                Ok(Some(since)) => kept.retain(|v| changed_since(v, f, since)),
                Ok(None) => {}
                Err(v) => return Err(bad(p, &v)),
            }
        }
        for (p, f) in &self.int {
            if let Some(v) = query_param(r, p) {
                let n: i64 = v.trim().parse().map_err(|_| bad(p, &v))?;
                kept.retain(|item| item[*f].as_i64() == Some(n));
            }
        }
        for (p, f) in &self.ints {
            if let Some(v) = query_param(r, p) {
                let ns: Vec<i64> = v
                    .split(',')
                    .map(|s| s.trim().parse())
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad(p, &v))?;
                kept.retain(|item| item[*f].as_i64().is_some_and(|n| ns.contains(&n)));
            }
        }
        for (p, f) in &self.text {
            if let Some(v) = query_param(r, p) {
                kept.retain(|item| {
                    item[*f]
                        .as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case(&v))
                });
            }
        }
        if self.exclude_completed {
            match query_param(r, "Filter.ExcludeCompleted").as_deref() {
                None | Some("0") => {}
                Some("1") => kept.retain(|t| t["completedDate"].is_null()),
                Some(v) => return Err(bad("Filter.ExcludeCompleted", v)),
            }
        }
        Ok(kept)
    }
}

/// A paged list behind its filters.
struct Listing {
    paged: Paged,
    items: Arc<Vec<Value>>,
    filters: Filters,
}

impl Respond for Listing {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        match self.filters.apply(r, &self.items) {
            Ok(kept) => self.paged.serve(r, &kept),
            Err(refusal) => refusal,
        }
    }
}

/// The id after `prefix` in the request's path.
fn id_after(r: &Request, prefix: &str) -> Option<i64> {
    r.url
        .path()
        .strip_prefix(prefix)?
        .split('/')
        .next()?
        .parse()
        .ok()
}

fn by_id(items: &[Value], id: Option<i64>) -> Option<&Value> {
    let id = id?;
    items.iter().find(|v| v["id"].as_i64() == Some(id))
}

/// `GET /v2/crm/accounts/summary/{id}`: the spec declares the bare
/// account; an unknown id gets BMS's in-body 404.
struct AccountById(Vec<Value>);

impl Respond for AccountById {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        match by_id(&self.0, id_after(r, "/v2/crm/accounts/summary/")) {
            Some(a) => ResponseTemplate::new(200).set_body_json(a),
            None => refused(404, "Account not found.", &[]),
        }
    }
}

/// `GET /v2/crm/accounts/{id}/locations/lookup`.
struct Locations(Vec<Value>);

impl Respond for Locations {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let Some(a) = by_id(&self.0, id_after(r, "/v2/crm/accounts/")) else {
            return refused(404, "Account not found.", &[]);
        };
        let list: Vec<Value> = a["locations"]
            .as_array()
            .map(|ls| {
                ls.iter()
                    .map(|l| json!({ "id": l["id"], "name": l["locationName"], "accountId": a["id"], "isMain": l["isMain"] }))
                    .collect()
            })
            .unwrap_or_default();
        ok(Value::Array(list))
    }
}

/// `GET /v2/servicedesk/tickets/{id}`.
struct TicketById(Vec<Value>);

impl Respond for TicketById {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        match by_id(&self.0, id_after(r, "/v2/servicedesk/tickets/")) {
            Some(t) => ok(ticket_output(t.clone())),
            None => refused(404, "Ticket not found.", &[]),
        }
    }
}

/// A list ticket as `TicketOutputDto`: the contact's e-mail and phone, the
/// source's name.
fn ticket_output(mut t: Value) -> Value {
    if let Value::Object(o) = &mut t {
        o.insert("contactEmail".into(), json!("jane.doe@acme.example"));
        o.insert("contactPhone".into(), json!("+1 555 0100"));
        o.insert("sourceName".into(), json!("Phone"));
        o.insert("hasPostedEntries".into(), json!(false));
        o.insert("isReadOnly".into(), json!(false));
    }
    t
}

fn status_name(id: i64) -> Option<String> {
    statuses()
        .as_array()?
        .iter()
        .find(|s| s["id"].as_i64() == Some(id))
        .and_then(|s| s["name"].as_str().map(str::to_owned))
}

fn priority_name(id: i64) -> Option<String> {
    priorities()
        .as_array()?
        .iter()
        .find(|s| s["id"].as_i64() == Some(id))
        .and_then(|s| s["name"].as_str().map(str::to_owned))
}

/// `PatchTicket`: a JSON Patch of `replace` operations on the ticket's
/// fields (`/StatusId`, `/Title`, ...).
struct PatchTicket(Vec<Value>);

impl Respond for PatchTicket {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let Some(mut t) = by_id(&self.0, id_after(r, "/v2/servicedesk/tickets/")).cloned() else {
            return refused(404, "Ticket not found.", &[]);
        };
        let Ok(Value::Array(ops)) = serde_json::from_slice::<Value>(&r.body) else {
            return refused(400, "The request body must be a JSON Patch document.", &[]);
        };
        for op in ops {
            let (Some("replace"), Some(p)) = (op["op"].as_str(), op["path"].as_str()) else {
                return refused(400, "Only replace operations are supported.", &[]);
            };
            let field = p.trim_start_matches('/');
            let key = format!(
                "{}{}",
                field.get(..1).unwrap_or_default().to_ascii_lowercase(),
                field.get(1..).unwrap_or_default()
            );
            if t.get(&key).is_none() {
                return refused(400, &format!("The path '{p}' is not valid."), &[]);
            }
            t[&key] = op["value"].clone();
            if key == "statusId" {
                let sid = op["value"].as_i64().unwrap_or_default();
                let Some(name) = status_name(sid) else {
                    return refused(400, "Invalid status.", &[]);
                };
                t["statusName"] = json!(name);
                t["completedDate"] = if sid == COMPLETED {
                    json!("2024-03-06T11:00:00")
                } else {
                    Value::Null
                };
            }
            if key == "priorityId" {
                t["priorityName"] = json!(priority_name(op["value"].as_i64().unwrap_or_default()));
            }
        }
        t["modifiedOn"] = json!("2024-03-06T11:00:00");
        t["lastActivityUpdate"] = json!("2024-03-06T11:00:00");
        ok(ticket_output(t))
    }
}

/// `POST /v2/servicedesk/tickets`: every field `TicketInputDto` requires,
/// and a location of the account.
struct CreateTicket(Vec<Value>);

impl Respond for CreateTicket {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&r.body) else {
            return refused(400, "The request body is not valid.", &[]);
        };
        let get = |k: &str| {
            body.iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_null() && v.as_str() != Some(""))
        };
        let required = [
            "Title",
            "Details",
            "AccountId",
            "LocationId",
            "StatusId",
            "PriorityId",
            "TypeId",
            "SourceId",
            "OpenDate",
        ];
        let missing: Vec<String> = required
            .iter()
            .filter(|k| get(k).is_none())
            .map(|k| format!("{k} is required"))
            .collect();
        if !missing.is_empty() {
            let subs: Vec<&str> = missing.iter().map(String::as_str).collect();
            return refused(400, "Validation failed", &subs);
        }
        let account = get("AccountId")
            .and_then(|v| v.as_i64())
            .unwrap_or_default();
        let location = get("LocationId")
            .and_then(|v| v.as_i64())
            .unwrap_or_default();
        let belongs = account == OWN_ACCOUNT && location == OWN_LOCATION
            || by_id(&self.0, Some(account)).is_some_and(|a| {
                a["locations"]
                    .as_array()
                    .is_some_and(|ls| ls.iter().any(|l| l["id"].as_i64() == Some(location)))
            });
        if !belongs {
            return refused(
                400,
                "Validation failed",
                &["LocationId does not belong to the account"],
            );
        }
        let status = get("StatusId").and_then(|v| v.as_i64()).unwrap_or_default();
        let priority = get("PriorityId")
            .and_then(|v| v.as_i64())
            .unwrap_or_default();
        let mut t = json!({
            "id": 10601, "ticketNumber": "T20240306.0001",
            "title": get("Title"), "details": get("Details"),
            "accountId": account, "locationId": location, "contactId": get("ContactId"),
            "statusId": status, "statusName": status_name(status),
            "priorityId": priority, "priorityName": priority_name(priority),
            "typeId": get("TypeId"), "sourceId": get("SourceId"),
            "queueId": null, "assigneeId": null, "assigneeName": null,
            "openDate": get("OpenDate"), "dueDate": null, "completedDate": null,
            "lastActivityUpdate": "2024-03-06T10:15:00",
            "createdOn": "2024-03-06T10:15:00", "createdBy": 7, "createdByName": "API Sync",
            "modifiedOn": "2024-03-06T10:15:00", "isScheduled": 0, "tenantId": 4021
        });
        if let Some(a) = by_id(&self.0, Some(account)) {
            t["accountName"] = a["accountName"].clone();
            t["accountCode"] = a["accountCode"].clone();
        }
        ok(ticket_output(t))
    }
}

/// `GET /v2/servicedesk/tickets/{id}/notes`, page by page.
struct Notes {
    paged: Paged,
    notes: HashMap<i64, Vec<Value>>,
}

impl Respond for Notes {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let Some(id) = id_after(r, "/v2/servicedesk/tickets/") else {
            return refused(400, "The value is not valid for ticketId.", &[]);
        };
        let none = Vec::new();
        self.paged.serve(r, self.notes.get(&id).unwrap_or(&none))
    }
}

/// `POST /v2/servicedesk/tickets/{id}/notes`: `Details`, `IsInternal`,
/// `TypeId` and `NoteDate` required.
struct AddNote;

impl Respond for AddNote {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&r.body) else {
            return refused(400, "The request body is not valid.", &[]);
        };
        let get = |k: &str| body.get(k).filter(|v| !v.is_null()).cloned();
        let missing: Vec<String> = ["Details", "IsInternal", "TypeId", "NoteDate"]
            .iter()
            .filter(|k| get(k).is_none())
            .map(|k| format!("{k} is required"))
            .collect();
        if !missing.is_empty() {
            let subs: Vec<&str> = missing.iter().map(String::as_str).collect();
            return refused(400, "Validation failed", &subs);
        }
        ok(json!({
            "id": 88001, "createdBy": 7, "createdOn": "2024-03-06T10:20:00",
            "modifiedBy": null, "modifiedOn": null,
            "details": get("Details"), "isInternal": get("IsInternal"),
            "typeId": get("TypeId"), "typeName": "General",
            "createdByName": "API Sync", "createdByEmail": USERNAME,
            "modifiedByName": null, "attachments": []
        }))
    }
}

fn statuses() -> Value {
    let s = |id: i64, name: &str, order: i64, color: &str, system: i64| {
        json!({ "id": id, "name": name, "fontColor": "#FFFFFF", "color": color,
                "statusOrder": order, "typeId": 1, "isSystemStatus": system,
                "slaEventId": null, "isActive": true })
    };
    json!([
        s(1, "New", 1, "#2F80ED", 1),
        s(2, "Assigned", 2, "#9B51E0", 0),
        s(3, "In Progress", 3, "#27AE60", 0),
        s(4, "Waiting on Customer", 4, "#F2994A", 0),
        s(5, "On Hold", 5, "#828282", 0),
        s(COMPLETED, "Completed", 6, "#219653", 1),
    ])
}

fn priorities() -> Value {
    json!([
        { "id": 1, "name": "Low", "color": "#27AE60", "isDefault": false },
        { "id": 2, "name": "Medium", "color": "#F2C94C", "isDefault": true },
        { "id": 3, "name": "High", "color": "#F2994A", "isDefault": false },
        { "id": 4, "name": "Critical", "color": "#EB5757", "isDefault": false },
    ])
}

/// What the fake holds.
struct Data {
    accounts: Vec<Value>,
    contacts: Vec<Value>,
    tickets: Vec<Value>,
    contracts: Vec<Value>,
    notes: HashMap<i64, Vec<Value>>,
}

impl Data {
    fn new() -> Self {
        let accounts = accounts();
        let contacts = contacts(&accounts);
        let tickets = tickets(&accounts, &contacts);
        let contracts = contracts(&accounts);
        let notes = notes();
        Data {
            accounts,
            contacts,
            tickets,
            contracts,
            notes,
        }
    }
}

fn accounts() -> Vec<Value> {
    #[rustfmt::skip]
    let rows: [(i64, &str, &str, &str, &str, &str, &str); 7] = [
        (OWN_ACCOUNT, "NWIT", TENANT, "Internal", "https://northwind-it.example", "2019-05-01T09:00:00", "2023-11-20T08:30:00"),
        (ACME, "ACME", "Acme Corp", "Customer", "https://acme.example", "2021-03-02T10:00:00", "2024-01-10T16:45:00"),
        (318, "YDG", "York Dental Group", "Customer", "https://yorkdental.example", "2021-06-14T12:10:00", "2024-03-01T09:12:00"),
        (325, "HFL", "Harbour Freight Logistics", "Customer", "", "2022-01-19T15:40:00", "2024-03-05T06:07:08"),
        (331, "NWA", "Northwind Accountancy", "Customer", "https://nwaccountancy.example", "2022-09-07T08:00:00", "2024-03-06T14:20:00"),
        (340, "RVC", "Riverside Veterinary Clinic", "Prospect", "", "2023-04-28T11:25:00", "2024-03-11T10:00:00"),
        (347, "OMA", "Old Mill Architects", "Customer", "https://oldmill.example", "2020-02-11T13:00:00", "2024-02-02T17:05:00"),
    ];
    let cities = [
        ("12 Harbour Way", "Seattle", "WA", "98101", "United States"),
        (
            "500 Main Street",
            "Springfield",
            "IL",
            "62701",
            "United States",
        ),
        (
            "3 Minster Yard",
            "York",
            "North Yorkshire",
            "YO1 7HH",
            "United Kingdom",
        ),
        (
            "Dock 4, Quay Road",
            "Southampton",
            "Hampshire",
            "SO14 3AB",
            "United Kingdom",
        ),
        (
            "88 King Street",
            "Manchester",
            "Greater Manchester",
            "M2 4WU",
            "United Kingdom",
        ),
        (
            "1 Riverside Drive",
            "Austin",
            "TX",
            "78701",
            "United States",
        ),
        (
            "The Old Mill, Mill Lane",
            "Bath",
            "Somerset",
            "BA1 1AA",
            "United Kingdom",
        ),
    ];
    rows.iter()
        .zip(cities)
        .enumerate()
        .map(|(i, ((id, code, name, kind, web, created, modified), (street, city, state, zip, country)))| {
            let main_location = if *id == ACME { 415 } else if *id == OWN_ACCOUNT { OWN_LOCATION } else { 400 + i as i64 * 3 };
            let main_name = if *id == ACME { "Main Office" } else { "Head Office" };
            let mut locations = vec![json!({
                "id": main_location, "createdBy": 1, "createdOn": created, "modifiedBy": 1, "modifiedOn": modified,
                "locationName": main_name, "isMain": true, "isActive": true, "timeZoneId": 35,
                "dateFormatId": 1, "timeFormatId": 1,
                "addresses": [{
                    "id": 9000 + i as i64, "createdBy": 1, "createdOn": created, "modifiedBy": 1, "modifiedOn": modified,
                    "address1": street, "address2": if i == 2 { "Suite 2" } else { "" }, "city": city, "state": state,
                    "zipCode": zip, "countryId": 1, "country": country,
                    "phone": format!("+1 555 01{:02}", i * 7), "fax": null, "latitude": null, "longitude": null,
                    "emailAddress": format!("office@{}.example", code.to_lowercase()),
                    "isMain": true, "isBilling": true, "addressTypeId": 1, "addressType": "Office"
                }]
            })];
            if *id == ACME {
                locations.push(json!({
                    "id": 416, "locationName": "Warehouse", "isMain": false, "isActive": true, "addresses": []
                }));
            }
            json!({
                "id": id, "createdBy": 1, "createdOn": created, "modifiedBy": 1, "modifiedOn": modified,
                "parentId": null, "accountCode": code, "accountTypeId": 1, "accountType": kind,
                "accountName": name, "businessTypeId": null, "businessType": null,
                "accountManagerId": 7, "accountManagerUserName": "jsmith",
                "currencyId": 1, "currencyName": "USD", "creditLimit": 0.0, "netDays": 30.0,
                "website": web, "description": "", "isActive": i != 5, "isBilling": true,
                "acquiredDate": created, "tenantName": TENANT, "locations": locations
            })
        })
        .collect()
}

fn contacts(accounts: &[Value]) -> Vec<Value> {
    #[rustfmt::skip]
    let people = [
        ("Jane", "Doe", "Office Manager"), ("Priya", "Natarajan", "IT Manager"),
        ("Amira", "Haddad", "Practice Manager"), ("Tom", "Okafor", "Operations Lead"),
        ("Grace", "Lindqvist", "Finance Director"), ("Wei", "Chen", "Office Manager"),
        ("Sofia", "Marquez", "Receptionist"), ("Daniel", "Byrne", "Partner"),
        ("Hannah", "Kowalski", "Site Supervisor"), ("Luis", "Ortega", "Controller"),
        ("Mei", "Tanaka", "Architect"), ("Olu", "Adeyemi", "Logistics Planner"),
    ];
    people
        .iter()
        .enumerate()
        .map(|(i, (first, last, title))| {
            let a = &accounts[1 + i % (accounts.len() - 1)];
            let id = if i == 0 { 2201 } else { 2201 + i as i64 * 4 };
            let domain = a["accountCode"].as_str().unwrap_or("x").to_lowercase();
            let email = format!("{}.{}@{domain}.example", first.to_lowercase(), last.to_lowercase());
            json!({
                "id": id, "createdBy": 1,
                "createdOn": format!("2022-{:02}-1{}T08:00:00", i % 12 + 1, i % 9),
                "modifiedBy": 1,
                "modifiedOn": format!("2024-03-{:02}T{:02}:30:00", i % 10 + 1, 8 + i % 6),
                "accountId": a["id"], "accountName": a["accountName"],
                "locationId": a["locations"][0]["id"], "locationName": a["locations"][0]["locationName"],
                "firstName": first, "lastName": last, "jobTitle": title,
                "isPoc": i % 4 == 0, "isActive": i != 9, "effectiveDate": null, "isBillable": true,
                "emails": [
                    { "id": 5000 + i, "emailAddress": format!("{}@gmail.example", first.to_lowercase()),
                      "emailTypeId": 2, "emailType": "Personal", "isDefault": false },
                    { "id": 5100 + i, "emailAddress": email, "emailTypeId": 1, "emailType": "Work", "isDefault": true }
                ],
                "phones": if i % 3 == 2 { json!([]) } else { json!([
                    { "id": 6000 + i, "phone": format!("+1 555 02{i:02}"), "phoneTypeId": 1, "phoneType": "Work", "isDefault": true }
                ]) },
                "canRecieveInvoices": false
            })
        })
        .collect()
}

fn tickets(accounts: &[Value], contacts: &[Value]) -> Vec<Value> {
    let titles = [
        "Printer offline",
        "Outlook not syncing on mobile",
        "VPN drops every 10 minutes",
        "New starter account setup",
        "Shared drive permissions",
        "Backup job failed overnight",
        "Phone system voicemail not working",
        "Laptop battery swelling",
    ];
    let statuses = [1, 2, 3, 4, 5, COMPLETED];
    (0..30)
        .map(|i: usize| {
            let (id, number, a, c) = if i == 0 {
                (TICKET_WITH_NOTES, "T20240115.0007".to_owned(), &accounts[1], &contacts[0])
            } else {
                let a = &accounts[1 + i % (accounts.len() - 1)];
                let c = contacts
                    .iter()
                    .find(|c| c["accountId"] == a["id"])
                    .unwrap_or(&contacts[0]);
                (10452 + i as i64 * 3, format!("T202402{:02}.{:04}", i % 28 + 1, i), a, c)
            };
            let status = if i == 0 { 1 } else { statuses[i % statuses.len()] };
            let priority = (i % 4 + 1) as i64;
            let day = i % 12 + 1;
            let opened = format!("2024-02-{:02}T09:12:00", i % 28 + 1);
            let activity = format!("2024-03-{day:02}T{:02}:15:00", 6 + i % 9);
            let completed = (status == COMPLETED).then(|| format!("2024-03-{:02}T16:45:00", day));
            let assigned = i % 3 != 0;
            let contact_name = format!(
                "{} {}",
                c["firstName"].as_str().unwrap_or_default(),
                c["lastName"].as_str().unwrap_or_default()
            );
            let mut t = json!({
                "id": id, "createdBy": 7, "createdOn": opened, "modifiedBy": 7,
                "modifiedOn": activity, "tenantName": TENANT,
                "ticketNumber": number, "title": titles[i % titles.len()],
                "details": format!("{} reported by {contact_name}.", titles[i % titles.len()]),
                "accountId": a["id"], "locationId": a["locations"][0]["id"], "accountCode": a["accountCode"],
                "accountName": a["accountName"], "locationName": a["locations"][0]["locationName"],
                "contactId": c["id"], "contactName": contact_name,
                "queueId": 3, "queueName": "Service Desk",
                "statusId": status, "statusName": status_name(status), "statusColor": "#2F80ED",
                "statusForeColor": "#FFFFFF", "statusOrder": status,
                "priorityId": priority, "priorityName": priority_name(priority), "priorityColor": "#F2C94C"
            });
            let rest = json!({
                "typeId": 3, "typeName": "Incident", "issueTypeId": null, "issueTypeName": null,
                "contractId": null, "contractName": null,
                "assigneeId": if assigned { json!(20 + i % 2) } else { Value::Null },
                "assigneeName": if assigned { json!(if i % 2 == 0 { "Jordan Reyes" } else { "Sam Patel" }) } else { Value::Null },
                "sourceId": 1, "slaId": 2, "slaName": "Standard SLA", "isScheduled": 0, "hardwareAssetId": 0,
                "hasMetSLA": null, "isSLAPaused": 0,
                "openDate": opened, "dueDate": null, "completedDate": completed,
                "lastActivityUpdate": activity, "lastStatusUpdate": activity,
                "createdByName": "API Sync", "customFields": "[]"
            });
            if let (Value::Object(t), Value::Object(rest)) = (&mut t, rest) {
                t.extend(rest);
            }
            t
        })
        .collect()
}

fn notes() -> HashMap<i64, Vec<Value>> {
    #[rustfmt::skip]
    let rows: [(i64, i64, &str, bool, &str, &str); 5] = [
        (TICKET_WITH_NOTES, 77001, "Front desk printer shows offline", false, "Jane Doe", "2024-01-15T09:12:31"),
        (TICKET_WITH_NOTES, 77002, "Power-cycled the printer; driver queue cleared.", true, "Jordan Reyes", "2024-01-15T09:40:00"),
        (TICKET_WITH_NOTES, 77003, "Printer back online, test page printed.", false, "Jordan Reyes", "2024-01-15T10:05:12"),
        (TICKET_WITH_NOTES, 77004, "Follow-up: toner ordered.", true, "Sam Patel", "2024-01-16T08:00:00"),
        (10455, 77010, "Mail profile rebuilt on the phone.", false, "Sam Patel", "2024-02-02T11:00:00"),
    ];
    let mut out: HashMap<i64, Vec<Value>> = HashMap::new();
    for (ticket, id, details, internal, by, at) in rows {
        let mut n = Map::new();
        n.insert("id".into(), json!(id));
        n.insert("createdBy".into(), json!(20));
        n.insert("createdOn".into(), json!(at));
        n.insert("modifiedBy".into(), Value::Null);
        n.insert("modifiedOn".into(), Value::Null);
        n.insert("details".into(), json!(details));
        n.insert("isInternal".into(), json!(internal));
        n.insert("typeId".into(), json!(NOTE_TYPE_ID));
        n.insert("typeName".into(), json!("General"));
        n.insert("createdByName".into(), json!(by));
        n.insert(
            "createdByEmail".into(),
            json!(format!(
                "{}@northwind-it.example",
                by.split(' ').next().unwrap_or("x").to_lowercase()
            )),
        );
        n.insert("attachments".into(), json!([]));
        out.entry(ticket).or_default().push(Value::Object(n));
    }
    out
}

fn contracts(accounts: &[Value]) -> Vec<Value> {
    #[rustfmt::skip]
    let rows = [
        (901, "Managed Services 2024", 1, "Recurring Service", "Active", "Monthly", 2450.0, "2024-01-01T00:00:00", "2024-12-31T00:00:00"),
        (902, "Block Hours 20h", 2, "Block Hours", "Active", "One Time", 1800.0, "2023-10-01T00:00:00", "2024-09-30T00:00:00"),
        (903, "Managed Services 2023", 1, "Recurring Service", "Expired", "Monthly", 2300.0, "2023-01-01T00:00:00", "2023-12-31T00:00:00"),
        (904, "Backup as a Service", 3, "Recurring Service", "Active", "Monthly", 320.0, "2022-07-01T00:00:00", "0001-01-01T00:00:00"),
        (905, "Network Refresh Project", 4, "Fixed Fee", "Inactive", "One Time", 12500.0, "2024-04-01T00:00:00", "2024-06-30T00:00:00"),
        (906, "Support Retainer", 6, "Retainer", "Active", "Quarterly", 900.0, "2024-02-01T00:00:00", "2025-01-31T00:00:00"),
    ];
    rows.iter()
        .map(|(id, name, account, kind, status, cycle, price, start, end)| {
            json!({
                "id": id, "contractName": name, "accountName": accounts[*account]["accountName"],
                "contractType": kind, "contractBillingPrice": price, "status": status,
                "contractNumber": format!("C-{id}"), "billingCycle": cycle,
                "startDate": start, "endDate": end
            })
        })
        .collect()
}
