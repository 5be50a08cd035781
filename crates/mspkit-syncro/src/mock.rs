//! A fake Syncro account (feature `mock`), for tests and the demo.
//!
//! It answers like Syncro's API v1 under `/api/v1/`: `Authorization: Bearer
//! <key>` checked on every request (401 without it), lists paged by `page`
//! with `meta.total_pages` and a page size fixed per endpoint (customers,
//! tickets, assets and alerts 25; contacts and contracts 50; comments 10
//! unless `per_page` asks otherwise), single reads wrapped in their singular
//! key except `GET /contracts/{id}` (bare, and `null` for a deleted
//! contract), `since_updated_at` and `status=Not Closed` on tickets,
//! `status=active|resolved|all` on alerts, and Syncro's several error
//! shapes (`error`, `errors`, `message` as a list with `success: false`).
//!
//! The data follows the example responses of Syncro's OpenAPI document:
//! 55 customers (businesses and people, a few disabled), 110 contacts, 60
//! tickets in every default status, 105 contracts, 55 assets (agent-managed
//! ones with the agent's inventory) and 60 RMM alerts, 53 of them active.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{PsaClient, TicketQuery};
//!
//! let fake = mspkit_syncro::mock::start().await;
//! let client = mspkit_syncro::SyncroClient::from_settings(&fake.settings)?;
//! let tickets: Vec<_> = client.tickets(TicketQuery::new()).try_collect().await?;
//! assert_eq!(Some(tickets.len()), fake.expected.tickets);
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use mspkit_core::{Id, SecretString};
use mspkit_testkit::{
    BearerToken, ById, PageScheme, Paged, Reply, find_by_id, mount_gate, param_matches,
    parse_instant, query_param,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::SyncroSettings;

/// The API key the fake server accepts (as `Authorization: Bearer <key>`).
pub const API_KEY: &str = "T1a2b3c4d5e6f7a8b-mock0syncro0api0key000000000000";

/// The ticket whose comments span several pages, and how many it has.
pub const TICKET_WITH_COMMENTS: (u64, usize) = (5007, 23);
/// A contract that was deleted: `GET /contracts/{id}` answers `null`.
pub const DELETED_CONTRACT: u64 = 9999;

const CUSTOMERS: u64 = 55;
const CONTACTS: u64 = 110;
const TICKETS: u64 = 60;
const CONTRACTS: u64 = 105;
const ASSETS: u64 = 55;
const ALERTS: u64 = 60;

/// Starts a fake Syncro account on loopback, with settings for a client of it.
pub async fn start() -> FakeServer<SyncroSettings> {
    let server = MockServer::start().await;
    let data = Data::new();

    // Every request needs the key as a Bearer token.
    let denied = Reply::json(401, json!({"error": "Unauthorized"}));
    mount_gate(
        &server,
        path_regex("^/"),
        BearerToken::fixed(API_KEY, denied),
    )
    .await;

    let get = |at: &str| Mock::given(method("GET")).and(path_regex(at));
    get("^/api/v1/me$")
        .respond_with(ok(me()))
        .mount(&server)
        .await;
    get("^/api/v1/customers$")
        .respond_with(
            list("customers", data.customers.clone(), 25).filter(|req, c| {
                query_param(req, "include_disabled").as_deref() == Some("true")
                    || c["disabled"] != json!(true)
            }),
        )
        .mount(&server)
        .await;
    get(r"^/api/v1/customers/[^/]+$")
        .respond_with(wrapped("/api/v1/customers", &data.customers, "customer"))
        .mount(&server)
        .await;
    get("^/api/v1/contacts$")
        .respond_with(
            list("contacts", data.contacts.clone(), 50)
                .filter(|req, c| param_matches(req, "customer_id", c, "customer_id")),
        )
        .mount(&server)
        .await;
    get("^/api/v1/tickets$")
        .respond_with(TicketList(
            list("tickets", data.tickets.clone(), 25).filter(ticket_filter),
        ))
        .mount(&server)
        .await;
    get("^/api/v1/tickets/settings$")
        .respond_with(ok(ticket_settings()))
        .mount(&server)
        .await;
    get(r"^/api/v1/tickets/[0-9]+$")
        .respond_with(wrapped("/api/v1/tickets", &data.full_tickets, "ticket"))
        .mount(&server)
        .await;
    get(r"^/api/v1/tickets/[0-9]+/comments$")
        .respond_with(Comments {
            by_ticket: Arc::new(data.comments.clone()),
            paged: Paged::new(
                Vec::new(),
                PageScheme::page_number("page", "per_page", 1),
                |v| {
                    ok(json!({
                        "comments": v.items,
                        "meta": {"total_pages": v.total_pages, "page": v.page, "per_page": v.page_size},
                    }))
                },
            )
            .default_size(10)
            .max_size(100),
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/tickets"))
        .respond_with(CreateTicket)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path_regex(r"^/api/v1/tickets/[0-9]+$"))
        .respond_with(UpdateTicket(Arc::new(data.full_tickets.clone())))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/api/v1/tickets/[0-9]+/comment$"))
        .respond_with(AddComment(Arc::new(data.full_tickets.clone())))
        .mount(&server)
        .await;
    get("^/api/v1/contracts$")
        .respond_with(list("contracts", data.contracts.clone(), 50))
        .mount(&server)
        .await;
    get(r"^/api/v1/contracts/[0-9]+$")
        .respond_with(
            ById::new(
                "/api/v1/contracts",
                data.contracts.clone(),
                "id",
                not_found(),
            )
            .render(|c| ok(c.clone())),
        )
        .mount(&server)
        .await;
    get(&format!("^/api/v1/contracts/{DELETED_CONTRACT}$"))
        .respond_with(ok(Value::Null))
        .with_priority(2)
        .mount(&server)
        .await;
    get("^/api/v1/customer_assets$")
        .respond_with(
            list("assets", data.assets.clone(), 25)
                .filter(|req, a| param_matches(req, "customer_id", a, "customer_id")),
        )
        .mount(&server)
        .await;
    get(r"^/api/v1/customer_assets/[0-9]+$")
        .respond_with(wrapped("/api/v1/customer_assets", &data.assets, "asset"))
        .mount(&server)
        .await;
    get("^/api/v1/rmm_alerts$")
        .respond_with(
            list("rmm_alerts", data.alerts.clone(), 25).filter(|req, a| {
                let resolved = a["resolved"] == json!(true);
                match query_param(req, "status").as_deref() {
                    Some("all") => true,
                    Some("resolved") => resolved,
                    _ => !resolved,
                }
            }),
        )
        .mount(&server)
        .await;

    let mut expected = Expected::new();
    let open_alerts = data
        .alerts
        .iter()
        .filter(|a| a["resolved"] != json!(true))
        .count();
    expected.companies = Some(data.customers.len());
    expected.contacts = Some(data.contacts.len());
    expected.tickets = Some(data.tickets.len());
    expected.agreements = Some(data.contracts.len());
    expected.organizations = Some(data.customers.len());
    expected.devices = Some(data.assets.len());
    expected.alerts = Some(open_alerts);
    expected.company_id = Some(Id::from(1003u64));
    expected.ticket_with_notes = Some((Id::from(TICKET_WITH_COMMENTS.0), TICKET_WITH_COMMENTS.1));
    expected.device_with_software = Some((Id::from(7002u64), 0));
    let settings = SyncroSettings {
        allow_insecure_http: true,
        ..SyncroSettings::with_base_url(server.uri(), SecretString::from(API_KEY))
    };
    FakeServer::new(server, settings, expected).secrets([API_KEY])
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Syncro's 404 body.
fn not_found() -> Reply {
    Reply::json(404, json!({"message": "Not found"}))
}

/// A list in Syncro's envelope, paged by `page` at a size the request
/// cannot change.
fn list(key: &'static str, items: Vec<Value>, size: u64) -> Paged {
    // The size parameter is one no client sends: the size is fixed.
    Paged::new(
        items,
        PageScheme::page_number("page", "fixed-page-size", 1),
        move |v| {
            ok(json!({
                key: v.items,
                "meta": {
                    "total_pages": v.total_pages,
                    "total_entries": v.total,
                    "per_page": v.page_size,
                    "page": v.page,
                },
            }))
        },
    )
    .default_size(size)
    .max_size(size)
}

/// `GET {prefix}/{id}` answered `{"<key>": {...}}`.
fn wrapped(prefix: &str, items: &[Value], key: &'static str) -> ById {
    ById::new(prefix, items.to_vec(), "id", not_found()).render(move |v| ok(json!({ key: v })))
}

/// The tickets list's filters: `customer_id`, `since_updated_at` (400 when
/// unreadable is left to the responder), `status` (`Not Closed` = not
/// resolved).
fn ticket_filter(req: &Request, t: &Value) -> bool {
    let since = query_param(req, "since_updated_at").and_then(|s| parse_instant(&s));
    let updated = t["updated_at"].as_str().and_then(parse_instant);
    let status_ok = match query_param(req, "status").as_deref() {
        None => true,
        Some("Not Closed") => t["resolved_at"].is_null(),
        Some(s) => t["status"] == json!(s),
    };
    param_matches(req, "customer_id", t, "customer_id")
        && status_ok
        && since.is_none_or(|s| updated.is_some_and(|u| u >= s))
}

/// The tickets list, with Syncro's answer to a date it cannot read.
struct TicketList(Paged);

impl Respond for TicketList {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        if let Some(s) = query_param(req, "since_updated_at") {
            if parse_instant(&s).is_none() {
                return Reply::json(422, json!({"error": "since_updated_at is not a date"}))
                    .template();
            }
        }
        self.0.respond(req)
    }
}

/// `GET /tickets/{id}/comments`.
struct Comments {
    by_ticket: Arc<HashMap<String, Vec<Value>>>,
    paged: Paged,
}

impl Respond for Comments {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let id = req.url.path().split('/').nth(4).unwrap_or_default();
        match self.by_ticket.get(id) {
            Some(comments) => self.paged.serve(req, comments),
            None => not_found().template(),
        }
    }
}

fn body_of(req: &Request) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice(&req.body) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn unprocessable(messages: &[&str]) -> ResponseTemplate {
    Reply::json(422, json!({"success": false, "message": messages})).template()
}

/// `POST /tickets`: a customer is required.
struct CreateTicket;

impl Respond for CreateTicket {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let Some(body) = body_of(req) else {
            return unprocessable(&["Request body is not JSON"]);
        };
        if body.get("customer_id").is_none_or(Value::is_null) {
            return Reply::json(422, json!({"error": "Customer required field"})).template();
        }
        let now = "2024-03-06T09:30:00.000Z";
        let mut t = ticket_json(7001, 9001, &body["customer_id"], now, now);
        for key in ["subject", "status", "priority", "contact_id", "user_id"] {
            if let Some(v) = body.get(key) {
                t[key] = v.clone();
            }
        }
        let comments: Vec<Value> = body
            .get("comments_attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, c)| {
                json!({
                    "id": 80001 + i as u64, "created_at": now, "updated_at": now,
                    "ticket_id": 7001, "subject": c["subject"], "body": c["body"],
                    "tech": null, "hidden": c["hidden"], "user_id": null,
                })
            })
            .collect();
        t["comments"] = json!(comments);
        ok(json!({ "ticket": t }))
    }
}

/// `PUT /tickets/{id}`: the subject may not be blanked; a move to
/// `Resolved` sets `resolved_at`.
struct UpdateTicket(Arc<Vec<Value>>);

impl Respond for UpdateTicket {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let id = req.url.path().rsplit('/').next().unwrap_or_default();
        let Some(t) = find_by_id(&self.0, "id", id) else {
            return not_found().template();
        };
        let Some(body) = body_of(req) else {
            return unprocessable(&["Request body is not JSON"]);
        };
        if body
            .get("subject")
            .is_some_and(|s| s.as_str().is_none_or(|s| s.trim().is_empty()))
        {
            return unprocessable(&["Subject can't be blank"]);
        }
        let mut t = t.clone();
        for (k, v) in &body {
            t[k] = v.clone();
        }
        t["updated_at"] = json!("2024-03-06T10:00:00.000Z");
        if body.get("status") == Some(&json!("Resolved")) {
            t["resolved_at"] = json!("2024-03-06T10:00:00.000Z");
        }
        ok(json!({ "ticket": t }))
    }
}

/// `POST /tickets/{id}/comment`: subject and body are required.
struct AddComment(Arc<Vec<Value>>);

impl Respond for AddComment {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let id = req.url.path().split('/').nth(4).unwrap_or_default();
        if find_by_id(&self.0, "id", id).is_none() {
            return not_found().template();
        }
        let body = body_of(req).unwrap_or_default();
        let blank = |k: &str| {
            body.get(k)
                .and_then(Value::as_str)
                .is_none_or(|s| s.trim().is_empty())
        };
        let mut missing = Vec::new();
        if blank("body") {
            missing.push("Body can't be blank");
        }
        if blank("subject") {
            missing.push("Subject can't be blank");
        }
        if !missing.is_empty() {
            return unprocessable(&missing);
        }
        ok(json!({"comment": {
            "id": 90001,
            "created_at": "2024-03-06T09:13:33.422Z",
            "updated_at": "2024-03-06T09:13:33.422Z",
            "ticket_id": id.parse::<u64>().unwrap_or_default(),
            "subject": body["subject"],
            "body": body["body"],
            "tech": "Bat Man",
            "hidden": body.get("hidden").cloned().unwrap_or(json!(false)),
            "user_id": 1,
        }}))
    }
}

/// Syncro's timestamp form: UTC with milliseconds.
fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The `i`th instant of a spread from 2024-01-02 to mid-2024, so that lists
/// straddle 2024-03-05 (a third before it, the rest after).
fn spread(i: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 2, 8, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::hours(i as i64 * 53)
        + Duration::milliseconds((i as i64 * 137) % 1000)
}

const FIRST: [&str; 10] = [
    "Walkin", "Dana", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Jonas", "Mei", "Carlos",
];
const LAST: [&str; 10] = [
    "Customer",
    "Okafor",
    "Shah",
    "Lindqvist",
    "Rossi",
    "Brennan",
    "Khan",
    "Weber",
    "Chen",
    "Ortega",
];
const BUSINESSES: [&str; 11] = [
    "Acme Dental",
    "Harbor Freight Logistics",
    "Northwind Accounting",
    "Blue Ridge Veterinary",
    "Summit Law Group",
    "Pinecrest Realty",
    "Lakeside Family Medicine",
    "Redwood Architecture",
    "Cobalt Marketing",
    "Evergreen Insurance",
    "Granite Construction Co",
];

fn me() -> Value {
    json!({
        "user_token": "3746f72b-9852-4d1a-84e9-eedb5c50abcd",
        "user_email": "joedoe@example.com",
        "user_name": "Joe Doe",
        "user_id": 1,
        "admin": true,
        "can_use_app": true,
        "two_factor_required": false,
        "subdomain": "mockshop",
        "default_location": null,
        "enable_multi_locations": false,
        "locations_allowed": [],
        "permissions": {
            "asset": {"read": true, "write": true, "delete": true},
            "customer": {"read": true, "write": true, "delete": true},
            "ticket": {"read": true, "write": true, "delete": true}
        }
    })
}

fn ticket_settings() -> Value {
    json!({
        "ticket_status_list": STATUSES,
        "default_labor_product_id": null,
        "ticket_timer_charge_by_default": null,
        "saved_searches": [],
        "ticket_types": [],
        "ticket_type_fields": [],
        "ticket_type_field_answers": [],
        "appointment_types": [],
        "users": [{"id": 1, "name": "Bat Man"}, {"id": 2, "name": "Robin Hood"}],
        "dashboard_settings": null,
        "worksheet_templates": [],
        "require_ticket_type": null,
        "require_intake_form_with_ticket": null,
        "require_outtake_form_with_ticket": null,
        "ticket_workflow_default_id": null
    })
}

const STATUSES: [&str; 8] = [
    "New",
    "In Progress",
    "Resolved",
    "Invoiced",
    "Waiting for Parts",
    "Waiting on Customer",
    "Scheduled",
    "Customer Reply",
];

/// The fake account's data, in Syncro's shapes.
struct Data {
    customers: Vec<Value>,
    contacts: Vec<Value>,
    /// Tickets as the list shows them (the initial comment only).
    tickets: Vec<Value>,
    /// Tickets as `GET /tickets/{id}` shows them (every comment).
    full_tickets: Vec<Value>,
    comments: HashMap<String, Vec<Value>>,
    contracts: Vec<Value>,
    assets: Vec<Value>,
    alerts: Vec<Value>,
}

impl Data {
    fn new() -> Self {
        let customers: Vec<Value> = (0..CUSTOMERS).map(customer).collect();
        let contacts = (0..CONTACTS).map(contact).collect();
        let mut tickets = Vec::new();
        let mut full_tickets = Vec::new();
        let mut comments = HashMap::new();
        for i in 0..TICKETS {
            let (list, full, all) = ticket(i, &customers);
            comments.insert(list["id"].to_string(), all);
            tickets.push(list);
            full_tickets.push(full);
        }
        Data {
            customers,
            contacts,
            tickets,
            full_tickets,
            comments,
            contracts: (0..CONTRACTS).map(contract).collect(),
            assets: (0..ASSETS).map(asset).collect(),
            alerts: (0..ALERTS).map(alert).collect(),
        }
    }
}

fn customer(i: u64) -> Value {
    let id = 1001 + i;
    let (first, last) = (FIRST[(i % 10) as usize], LAST[(i * 3 % 10) as usize]);
    // Every third customer is a person without a business name.
    let business = (i % 3 != 1).then(|| {
        let base = BUSINESSES[(i % 11) as usize];
        if i < 11 {
            base.to_owned()
        } else {
            format!("{base} #{}", i / 11 + 1)
        }
    });
    let fullname = format!("{first} {last}");
    let then_name = business.clone().unwrap_or_else(|| fullname.clone());
    let created = spread(i) - Duration::days(400);
    let with_address = i % 4 != 3;
    json!({
        "id": id,
        "firstname": first,
        "lastname": last,
        "fullname": fullname,
        "business_name": business,
        "email": format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase()),
        "phone": (i % 5 != 4).then(|| format!("555-01{:02}", i % 100)),
        "mobile": (i % 5 == 4).then(|| format!("555-02{:02}", i % 100)),
        "created_at": stamp(created),
        "updated_at": stamp(spread(i)),
        "pdf_url": null,
        "address": with_address.then(|| format!("{} Main St", 100 + i)),
        "address_2": (i % 6 == 0).then_some("Suite 200"),
        "city": with_address.then_some("Springfield"),
        "state": with_address.then_some("OR"),
        "zip": with_address.then(|| format!("97{:03}", i)),
        "latitude": null,
        "longitude": null,
        "notes": null,
        "get_sms": false,
        "opt_out": false,
        "disabled": i % 13 == 12,
        "no_email": i % 2 == 0,
        "location_name": null,
        "location_id": null,
        "properties": {},
        "online_profile_url": format!("https://mockshop.syncromsp.com/my_profile/v2/index?portal_key=pk{id}"),
        "tax_rate_id": null,
        "notification_email": null,
        "invoice_cc_emails": null,
        "invoice_term_id": null,
        "referred_by": null,
        "ref_customer_id": null,
        "business_and_full_name": match &business {
            Some(b) => format!("{b} - {first} {last}"),
            None => format!("{first} {last}"),
        },
        "business_then_name": then_name,
        "contacts": []
    })
}

fn contact(i: u64) -> Value {
    let id = 2001 + i;
    let (first, last) = (FIRST[(i * 7 % 10) as usize], LAST[(i % 10) as usize]);
    json!({
        "id": id,
        "name": if i % 9 == 8 { first.to_owned() } else { format!("{first} {last}") },
        "address1": format!("{} Ivan Flat", 8000 + i),
        "address2": null,
        "city": "Tuanside",
        "state": "Delaware",
        "zip": "02293",
        "email": format!("{}{}@example.org", first.to_lowercase(), id),
        "phone": (i % 4 != 0).then(|| format!("657.325.{:04}", i)),
        "mobile": format!("(133) 358-{:04}", i),
        "latitude": null,
        "longitude": null,
        "customer_id": 1001 + i % CUSTOMERS,
        "account_id": 1,
        "notes": null,
        "created_at": stamp(spread(i / 2) - Duration::days(30)),
        "updated_at": stamp(spread(i / 2)),
        "vendor_id": null,
        "properties": if i % 5 == 0 { json!({"title": "Office Manager"}) } else { json!({}) },
        "opt_out": false,
        "extension": null
    })
}

fn ticket_json(id: u64, number: u64, customer_id: &Value, created: &str, updated: &str) -> Value {
    let mut t = json!({
        "id": id,
        "number": number,
        "subject": "New ticket",
        "created_at": created,
        "customer_id": customer_id,
        "customer_business_then_name": null,
        "due_date": created,
        "resolved_at": null,
        "start_at": null,
        "end_at": null,
        "location_id": null,
        "location_name": null,
        "problem_type": "Other",
        "status": "New",
        "ticket_type_id": null,
        "ticket_type_name": null,
        "properties": {},
        "user_id": null,
        "updated_at": updated,
        "pdf_url": null,
        "priority": null,
        "billing_status": null,
        "tag_list": [],
    });
    let rest = json!({
        "sla_name": null,
        "creator_name_or_email": null,
        "contact_fullname": null,
        "contract_name": null,
        "address_id": null,
        "parent": false,
        "parent_id": null,
        "child": false,
        "recurring": false,
        "customer_reply": false,
        "total_formatted_billable_time": null,
        "contact_id": null,
        "sla_breached": false,
        "sla_breaching_soon": false,
        "contract_id": null,
        "sla_id": null,
        "customer_tag_list": [],
        "resolution_time": null,
        "response_time": null,
        "customer_icons": [],
        "comments": [],
        "user": null
    });
    if let (Some(t), Value::Object(rest)) = (t.as_object_mut(), rest) {
        t.extend(rest);
    }
    t
}

const SUBJECTS: [&str; 6] = [
    "Outlook keeps asking for password",
    "Printer offline on 2nd floor",
    "New hire laptop setup",
    "VPN disconnects every hour",
    "Server backup failed",
    "Virus warning on reception PC",
];
const PRIORITIES: [Option<&str>; 5] = [
    None,
    Some("Low"),
    Some("2 Normal"),
    Some("High"),
    Some("0 Urgent"),
];

/// A ticket as listed, as read alone, and all its comments.
fn ticket(i: u64, customers: &[Value]) -> (Value, Value, Vec<Value>) {
    let id = 5001 + i;
    let customer = &customers[(i * 7 % CUSTOMERS) as usize];
    let updated = spread(i);
    let created = updated - Duration::days(2 + (i % 5) as i64);
    let status = STATUSES[(i % 8) as usize];
    let resolved = matches!(status, "Resolved" | "Invoiced");
    let mut t = ticket_json(
        id,
        1001 + i,
        &customer["id"],
        &stamp(created),
        &stamp(updated),
    );
    t["subject"] = json!(SUBJECTS[(i % 6) as usize]);
    t["customer_business_then_name"] = customer["business_then_name"].clone();
    t["status"] = json!(status);
    t["priority"] = json!(PRIORITIES[(i % 5) as usize]);
    let problems = ["Virus", "Hardware", "Software", "Network"];
    t["problem_type"] = json!(problems[(i % 4) as usize]);
    if resolved {
        t["resolved_at"] = json!(stamp(updated - Duration::hours(1)));
    }
    if i % 3 != 0 {
        let tech = if i % 3 == 1 { 1 } else { 2 };
        t["user_id"] = json!(tech);
        // The list embeds the technician for some tickets only.
        if i % 2 == 0 {
            t["user"] = json!({
                "id": tech, "email": format!("tech{tech}@example.com"),
                "full_name": if tech == 1 { "Bat Man" } else { "Robin Hood" },
                "created_at": "2019-11-04T14:54:51.081Z", "updated_at": "2019-11-04T14:54:51.081Z",
                "group": "Admins", "admin": tech == 1, "color": "1e3e96"
            });
        }
    }
    if i % 4 == 1 {
        t["contact_id"] = json!(2001 + i);
    }
    let count = if id == TICKET_WITH_COMMENTS.0 {
        TICKET_WITH_COMMENTS.1 as u64
    } else {
        1 + i % 3
    };
    let all: Vec<Value> = (0..count)
        .map(|n| {
            let at = created + Duration::minutes(n as i64 * 47);
            json!({
                "id": 60000 + id * 10 + n,
                "created_at": stamp(at),
                "updated_at": stamp(at),
                "ticket_id": id,
                "subject": if n == 0 { "Initial Issue" } else { "Update" },
                "body": if n == 0 {
                    format!("{} (reported by {})", SUBJECTS[(i % 6) as usize], customer["fullname"].as_str().unwrap_or_default())
                } else {
                    format!("Work log entry {n}")
                },
                "tech": if n == 0 { Value::Null } else { json!("Bat Man") },
                "hidden": n % 2 == 1,
                "user_id": if n == 0 { Value::Null } else { json!(1) },
                "is_rich_text": false,
                "user": {}
            })
        })
        .collect();
    let mut list = t.clone();
    list["comments"] = json!([all[0].clone()]);
    let mut full = t;
    full["comments"] = json!(all.clone());
    for key in ["customer_reply", "parent", "child", "recurring"] {
        full.as_object_mut().map(|o| o.remove(key));
    }
    full["customer"] = customer.clone();
    full["contact"] = Value::Null;
    full["asset_ids"] = json!([]);
    full["attachments"] = json!([]);
    (list, full, all)
}

fn contract(i: u64) -> Value {
    let id = 3001 + i;
    let start = Utc
        .with_ymd_and_hms(2023, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::days((i * 11 % 365) as i64);
    let status = match i % 4 {
        0 => "Opportunity",
        3 => "Expired",
        _ => "Active",
    };
    json!({
        "id": id,
        "account_id": 1,
        "customer_id": 1001 + i % CUSTOMERS,
        "name": format!("Support Tier {}", i % 3 + 1),
        "contract_amount": format!("{}k", 10 + i % 30),
        "start_date": stamp(start),
        "end_date": stamp(start + Duration::days(365 * (1 + (i % 3) as i64) - 1)),
        "primary_contact": null,
        "description": "Contract Description",
        "created_at": stamp(spread(i / 2) - Duration::days(10)),
        "updated_at": stamp(spread(i / 2)),
        "status": status,
        "likelihood": 30 + i % 70,
        "apply_to_all": i % 7 == 0,
        "sla_id": null
    })
}

const MAKERS: [&str; 4] = ["Dell Inc.", "LENOVO", "Microsoft Corporation", "HPE"];
const MODELS: [&str; 4] = [
    "OptiPlex 7090",
    "20QD00LMUK",
    "Virtual Machine",
    "ProLiant DL360 Gen10",
];
const FORM_FACTORS: [&str; 4] = ["Laptop", "Desktop", "Virtual Machine", "Server"];
const OSES: [(&str, &str, &str); 4] = [
    ("Microsoft Windows 11 Pro", "23H2", "22631"),
    ("Microsoft Windows 10 Pro", "22H2", "19045"),
    ("Microsoft Windows 11 Pro", "23H2", "22631"),
    ("Microsoft Windows Server 2022 Standard", "", "20348"),
];

fn asset(i: u64) -> Value {
    let id = 7001 + i;
    let customer_id = 1001 + i % CUSTOMERS;
    let agent = i % 5 != 4;
    let name = format!("{}-{:03}", ["LT", "WS", "VM", "SRV"][(i % 4) as usize], i);
    let (asset_type, properties) = if agent {
        let (os, release, build) = OSES[(i % 4) as usize];
        let mac = format!("00155D{:06X}", i + 1);
        (
            "Syncro Device",
            json!({
                "kabuto_information": {
                    "last_synced_at": stamp(spread(i) + Duration::minutes(5)),
                    "last_user": format!("ACME\\user{i}"),
                    "general": {
                        "name": name,
                        "domain": "acme.local",
                        "ip": "203.0.113.10",
                        "manufacturer": MAKERS[(i % 4) as usize],
                        "model": MODELS[(i % 4) as usize],
                        "serial_number": format!("SN{:06}", i),
                        "form_factor": FORM_FACTORS[(i % 4) as usize]
                    },
                    "os": {
                        "name": os,
                        "build": build,
                        "os_architecture": "64-bit",
                        "windows_release_version": release,
                        "last_boot_time": stamp(spread(i) - Duration::days(3)),
                        "pending_reboot": false
                    },
                    "network_adapters": [
                        {"name": "Ethernet", "description": "Intel(R) Ethernet Connection", "type": "Ethernet",
                         "physical_address": mac, "ipv4": format!("10.0.{}.{}", i / 200, i % 200 + 20),
                         "subnet": "255.255.255.0", "gateway": "10.0.0.1"}
                    ]
                }
            }),
        )
    } else {
        (
            ["Printer", "Network Switch"][(i % 2) as usize],
            json!({"Make": "HP", "Model": "LaserJet Pro M404", "LAN IP(s)": format!("10.0.9.{i}")}),
        )
    };
    let offline = agent && i % 7 == 3;
    json!({
        "id": id,
        "name": name,
        "customer_id": customer_id,
        "contact_id": null,
        "created_at": stamp(spread(i) - Duration::days(90)),
        "updated_at": stamp(spread(i)),
        "properties": properties,
        "asset_type": asset_type,
        "asset_serial": if agent { Value::Null } else { json!(format!("VNB3K{:05}", i)) },
        "external_rmm_link": null,
        "rmm_links": [],
        "rmm_store": {
            "id": 4000 + i,
            "asset_id": id,
            "account_id": 1,
            "triggers": {
                "bsod_triggered": "false",
                "time_triggered": "false",
                "no_av_triggered": "false",
                "defrag_triggered": "false",
                "firewall_triggered": "false",
                "app_crash_triggered": "false",
                "low_hd_space_triggered": if i % 6 == 0 { "true" } else { "false" },
                "smart_failure_triggered": "false",
                "device_manager_triggered": "false",
                "agent_offline_triggered": if offline { "true" } else { "false" }
            },
            "windows_updates": {},
            "emsisoft": {},
            "general": {},
            "created_at": stamp(spread(i) - Duration::days(90)),
            "updated_at": stamp(spread(i)),
            "override_alert_agent_offline_mins": null,
            "override_alert_agent_rearm_after_mins": null,
            "override_low_hd_threshold": null,
            "override_autoresolve_offline_alert": null
        },
        "address": null
    })
}

fn alert(i: u64) -> Value {
    let asset = 7001 + i % ASSETS;
    let kinds = [
        ("Low Hd Space Trigger", "C: has less than 10% free space"),
        (
            "Agent Offline Trigger",
            "The agent has not checked in for 30 minutes",
        ),
        ("Firewall Trigger", "Windows Firewall is turned off"),
        ("Windows Update Trigger", "12 updates are pending"),
    ];
    let (status, text) = kinds[(i % 4) as usize];
    json!({
        "id": 8001 + i,
        "customer_id": 1001 + i % ASSETS % CUSTOMERS,
        "ticket_number": null,
        "ticket_status": null,
        "computer_name": format!("{}-{:03}", ["LT", "WS", "VM", "SRV"][(i % ASSETS % 4) as usize], i % ASSETS),
        "properties": {},
        "resolved": i % 8 == 7,
        "check_id": 100 + i % 4,
        "status": status,
        "formatted_output": format!("{text} (check {})", 100 + i % 4),
        "description": text,
        "created_at": stamp(spread(i) - Duration::hours(6)),
        "updated_at": stamp(spread(i)),
        "asset_id": asset
    })
}
