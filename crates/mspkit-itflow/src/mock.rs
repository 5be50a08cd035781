//! A fake ITFlow install (feature `mock`), built from testkit's kit: the
//! `api/v1/{module}/{function}.php` files, the key read from the query on
//! `GET` and from the JSON body on `POST` (both 401 forms: empty when the
//! key is missing, a message when it is wrong), ITFlow's 405s for the
//! wrong method, `limit` / `offset` paging ordered by id with "No resource"
//! (HTTP 200) past the end, rows whose every value is a string, single
//! reads by id (tickets with their status joined), and the writes
//! (`tickets/create.php`, `tickets/resolve.php`, `ticket_replies/create.php`)
//! with ITFlow's 200-with-`False` failures.
//!
//! The row values are synthesized from the columns of ITFlow's `db.sql`, in
//! the shapes the server's source writes (no real capture exists).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let fake = mspkit_itflow::mock::start().await;
//! let http = mspkit_core::http::client_builder().build().unwrap();
//! let page: serde_json::Value = http
//!     .get(format!("{}/api/v1/clients/read.php?api_key={}&limit=3", fake.uri(), mspkit_itflow::mock::API_KEY))
//!     .send().await.unwrap().json().await.unwrap();
//! assert_eq!(page["success"], "True");
//! assert_eq!(page["data"][0]["client_id"], "7");
//! # }
//! ```

// The seed data are tables of tuples.
#![allow(clippy::type_complexity)]

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use mspkit_core::Id;
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use mspkit_testkit::{PageScheme, PageView, Paged, query_param};
use serde_json::{Map, Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::ItFlowSettings;

/// The API key the fake server accepts.
pub const API_KEY: &str = "mockItFlowKey7Qz2Lr9Vx4Np8Ty1Wc5";

/// The user the key runs as (replies are attributed to it).
const KEY_USER: (&str, &str) = ("3", "Sam Tech");

/// ITFlow's words for a read that matched nothing.
pub const NO_RESOURCE: &str =
    "No resource (for this client and company) with the specified parameter(s).";
/// ITFlow's words for a wrong or expired key (HTTP 401).
pub const BAD_KEY: &str = "Authentication failed. API key is invalid or has expired.";
/// ITFlow's words for a create that failed (HTTP 200).
pub const INSERT_FAILED: &str = "Auth success but insert query failed, ensure ALL required variables are provided and database schema is up-to-date. Turn on error logging and look for 'undefined index'";
/// ITFlow's words for an update that changed nothing (HTTP 200).
pub const UPDATE_FAILED: &str = "Auth success but update query failed/returned no results. Ensure ALL required variables are provided and database schema is up-to-date. Most likely cause: non-existent module ID (contact ID/ticket ID/etc)";

/// Starts a fake ITFlow (a current install, with the ticket reply
/// endpoints) holding 8 clients (10 locations), 12 contacts, 40 tickets
/// and their replies (ticket 311 has 3 that are not archived).
pub async fn start() -> FakeServer<ItFlowSettings> {
    start_install(true).await
}

/// Starts a fake ITFlow from before July 2026: the same data, but no
/// `ticket_replies/` endpoints (the web server answers 404).
pub async fn start_without_replies() -> FakeServer<ItFlowSettings> {
    start_install(false).await
}

async fn start_install(replies: bool) -> FakeServer<ItFlowSettings> {
    let server = MockServer::start().await;
    let state = State::seeded();
    let mut expected = Expected::new();
    expected.companies = Some(state.clients.len());
    expected.contacts = Some(state.contacts.len());
    expected.tickets = Some(state.tickets.len());
    expected.company_id = Some(Id::from("7"));
    expected.ticket_with_notes = Some((Id::from("311"), state.replies_of("311", false).len()));
    let fake = Fake {
        state: Arc::new(Mutex::new(state)),
        pages: Paged::new(
            Vec::new(),
            PageScheme::offset("offset", "limit"),
            render_page,
        )
        .default_size(50)
        .max_size(1_000_000),
        replies,
    };
    Mock::given(any()).respond_with(fake).mount(&server).await;
    let mut settings = ItFlowSettings::new(server.uri(), API_KEY);
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected).secrets([API_KEY])
}

/// A page of rows in ITFlow's envelope; none is "No resource" (HTTP 200).
fn render_page(v: &PageView<'_>) -> ResponseTemplate {
    if v.items.is_empty() {
        return no_resource();
    }
    rows(v.items.to_vec())
}

fn rows(data: Vec<Value>) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"success": "True", "count": data.len(), "data": data}))
}

fn failure(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"success": "False", "message": message}))
}

fn no_resource() -> ResponseTemplate {
    failure(200, NO_RESOURCE)
}

/// The page of a web server for a PHP file that is not there.
fn file_not_found(path: &str) -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_raw(
        format!(
            "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL {path} was not found on this server.</p>\n</body></html>\n"
        ),
        "text/html; charset=iso-8859-1",
    )
}

struct Fake {
    state: Arc<Mutex<State>>,
    pages: Paged,
    replies: bool,
}

/// The endpoint files and the method each requires.
const FILES: [(&str, &str); 8] = [
    ("clients/read.php", "GET"),
    ("locations/read.php", "GET"),
    ("contacts/read.php", "GET"),
    ("tickets/read.php", "GET"),
    ("tickets/create.php", "POST"),
    ("tickets/resolve.php", "POST"),
    ("ticket_replies/read.php", "GET"),
    ("ticket_replies/create.php", "POST"),
];

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let method = req.method.as_str();
        // validate_api_key.php: only GET and POST.
        if method != "GET" && method != "POST" {
            return ResponseTemplate::new(405).set_body_raw(
                format!("string({}) \"{method}\"\n", method.len()),
                "application/json",
            );
        }
        let path = req.url.path();
        let Some(file) = path.strip_prefix("/api/v1/") else {
            return file_not_found(path);
        };
        let Some((_, wanted)) = FILES.iter().find(|(f, _)| *f == file) else {
            return file_not_found(path);
        };
        if !self.replies && file.starts_with("ticket_replies/") {
            return file_not_found(path);
        }
        // $_POST is the JSON body; validate_api_key.php reads the key from
        // the query first, then from the body.
        let body: Map<String, Value> = match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(m)) if method == "POST" => m,
            _ => Map::new(),
        };
        let key = query_param(req, "api_key").or_else(|| match body.get("api_key") {
            Some(Value::String(k)) => Some(k.clone()),
            _ => None,
        });
        match key {
            None => return ResponseTemplate::new(401),
            Some(k) if k != API_KEY => return failure(401, BAD_KEY),
            Some(_) => {}
        }
        if method != *wanted {
            return failure(
                405,
                &format!("Can only send {wanted} requests to this endpoint."),
            );
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let q = |name: &str| query_param(req, name);
        match file {
            "clients/read.php" => match q("client_name") {
                Some(name) => one(state
                    .clients
                    .iter()
                    .find(|c| c["client_name"] == name.as_str())),
                None => self.pages.serve(req, &state.clients),
            },
            "locations/read.php" => match q("location_id") {
                Some(id) => one(find(&state.locations, "location_id", &id)),
                None => self.pages.serve(req, &state.locations),
            },
            "contacts/read.php" => match q("contact_id") {
                Some(id) => one(find(&state.contacts, "contact_id", &id)),
                None => self.pages.serve(req, &state.contacts),
            },
            "tickets/read.php" => match q("ticket_id") {
                Some(id) => match find(&state.tickets, "ticket_id", &id) {
                    Some(t) => rows(vec![state.with_status(t)]),
                    None => no_resource(),
                },
                None => self.pages.serve(req, &state.tickets),
            },
            "ticket_replies/read.php" => {
                if let Some(id) = q("ticket_reply_id") {
                    return one(find(&state.replies, "ticket_reply_id", &id));
                }
                let archived = q("include_archived").as_deref() == Some("1");
                let of = match q("ticket_id") {
                    Some(t) => state.replies_of(&t, archived),
                    None => state
                        .replies
                        .iter()
                        .filter(|r| archived || r["ticket_reply_archived_at"].is_null())
                        .cloned()
                        .collect(),
                };
                self.pages.serve(req, &of)
            }
            "tickets/create.php" => state.create_ticket(&body),
            "tickets/resolve.php" => state.resolve(&body),
            "ticket_replies/create.php" => state.create_reply(&body),
            _ => failure(200, INSERT_FAILED),
        }
    }
}

fn one(row: Option<&Value>) -> ResponseTemplate {
    match row {
        Some(r) => rows(vec![r.clone()]),
        None => no_resource(),
    }
}

fn find<'a>(rows: &'a [Value], field: &str, id: &str) -> Option<&'a Value> {
    rows.iter().find(|r| r[field] == id.trim())
}

/// PHP's `intval` of a JSON value.
fn intval(v: Option<&Value>) -> u64 {
    match v {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The fake's clock: a fixed instant, so answers are the same every run.
fn now() -> String {
    "2025-06-12 09:00:00".to_owned()
}

fn ts(t: NaiveDateTime) -> Value {
    Value::String(t.format("%Y-%m-%d %H:%M:%S").to_string())
}

fn day(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .unwrap_or_default()
}

struct State {
    clients: Vec<Value>,
    locations: Vec<Value>,
    contacts: Vec<Value>,
    tickets: Vec<Value>,
    replies: Vec<Value>,
    statuses: Vec<(u64, &'static str, &'static str)>,
}

impl State {
    fn seeded() -> State {
        let clients = clients();
        let locations = locations();
        let contacts = contacts();
        let tickets = tickets(&contacts);
        let replies = replies();
        State {
            clients,
            locations,
            contacts,
            tickets,
            replies,
            statuses: vec![
                (1, "New", "#dc3545"),
                (2, "Open", "#007bff"),
                (3, "On Hold", "#28a745"),
                (4, "Resolved", "#343a40"),
                (5, "Closed", "#343a40"),
                (6, "Waiting on Vendor", "#6f42c1"),
            ],
        }
    }

    fn replies_of(&self, ticket: &str, archived: bool) -> Vec<Value> {
        self.replies
            .iter()
            .filter(|r| {
                r["ticket_reply_ticket_id"] == ticket
                    && (archived || r["ticket_reply_archived_at"].is_null())
            })
            .cloned()
            .collect()
    }

    /// A ticket row with `ticket_statuses` joined, as a read by id answers.
    fn with_status(&self, t: &Value) -> Value {
        let mut row = t.clone();
        let status = intval(t.get("ticket_status"));
        let found = self.statuses.iter().find(|(id, _, _)| *id == status);
        let (id, name, color) = match found {
            Some((id, name, color)) => (
                Value::String(id.to_string()),
                Value::String((*name).to_owned()),
                Value::String((*color).to_owned()),
            ),
            None => (Value::Null, Value::Null, Value::Null),
        };
        let active = if found.is_some() {
            json!("1")
        } else {
            Value::Null
        };
        let order = if found.is_some() {
            json!("0")
        } else {
            Value::Null
        };
        if let Value::Object(m) = &mut row {
            m.insert("ticket_status_id".into(), id);
            m.insert("ticket_status_name".into(), name);
            m.insert("ticket_status_color".into(), color);
            m.insert("ticket_status_active".into(), active);
            m.insert("ticket_status_pauses_sla".into(), json!("0"));
            m.insert("ticket_status_order".into(), order);
        }
        row
    }

    fn create_ticket(&mut self, body: &Map<String, Value>) -> ResponseTemplate {
        let subject = text(body.get("ticket_subject"));
        if subject.trim().is_empty() {
            return failure(200, INSERT_FAILED);
        }
        let id = self
            .tickets
            .iter()
            .map(|t| intval(t.get("ticket_id")))
            .max()
            .unwrap_or(0)
            + 1;
        let number = self
            .tickets
            .iter()
            .map(|t| intval(t.get("ticket_number")))
            .max()
            .unwrap_or(1000)
            + 1;
        let client = intval(body.get("client_id"));
        let mut contact = intval(body.get("ticket_contact_id"));
        if contact == 0 && client != 0 {
            contact = self
                .contacts
                .iter()
                .find(|c| {
                    intval(c.get("contact_client_id")) == client && c["contact_primary"] == "1"
                })
                .map(|c| intval(c.get("contact_id")))
                .unwrap_or(0);
        }
        let priority = match text(body.get("ticket_priority")).as_str() {
            p @ ("Low" | "Medium" | "High" | "Urgent") => p.to_owned(),
            _ => "Medium".to_owned(),
        };
        let details = match body.get("ticket_details") {
            Some(d) => format!("{}<br>", text(Some(d))),
            None => "< blank ><br>".to_owned(),
        };
        let now = now();
        let row = ticket_row(&TicketRow {
            id,
            number,
            subject: &subject,
            details: &details,
            priority: &priority,
            status: 1,
            client,
            contact,
            assigned: intval(body.get("ticket_assigned_to")),
            created: &now,
            updated: None,
            resolved: None,
            closed: None,
        });
        self.tickets.push(row);
        created(id)
    }

    fn resolve(&mut self, body: &Map<String, Value>) -> ResponseTemplate {
        let id = intval(body.get("ticket_id"));
        let client = intval(body.get("client_id"));
        let now = now();
        let hit = self.tickets.iter_mut().find(|t| {
            intval(t.get("ticket_id")) == id
                && intval(t.get("ticket_client_id")) == client
                && t["ticket_resolved_at"].is_null()
        });
        match hit {
            Some(Value::Object(t)) if id != 0 => {
                t.insert("ticket_status".into(), json!("4"));
                t.insert("ticket_resolved_at".into(), json!(now));
                t.insert("ticket_updated_at".into(), json!(now));
                if t["ticket_first_response_at"].is_null() {
                    t.insert("ticket_first_response_at".into(), json!(now));
                }
                ResponseTemplate::new(200).set_body_json(json!({"success": "True", "count": 1}))
            }
            _ => failure(200, UPDATE_FAILED),
        }
    }

    fn create_reply(&mut self, body: &Map<String, Value>) -> ResponseTemplate {
        let ticket_id = intval(body.get("ticket_id"));
        let reply = text(body.get("ticket_reply"));
        let client = intval(body.get("client_id"));
        let Some(ticket) = self
            .tickets
            .iter()
            .find(|t| intval(t.get("ticket_id")) == ticket_id)
            .cloned()
        else {
            return failure(200, INSERT_FAILED);
        };
        if reply.trim().is_empty()
            || (client != 0 && intval(ticket.get("ticket_client_id")) != client)
        {
            return failure(200, INSERT_FAILED);
        }
        let kind = match text(body.get("ticket_reply_type")).as_str() {
            "Public" => "Public",
            _ => "Internal",
        };
        let id = self
            .replies
            .iter()
            .map(|r| intval(r.get("ticket_reply_id")))
            .max()
            .unwrap_or(0)
            + 1;
        let worked = match text(body.get("ticket_reply_time_worked")) {
            t if t.is_empty() => "00:00:00".to_owned(),
            t => t,
        };
        self.replies.push(json!({
            "ticket_reply_id": id.to_string(),
            "ticket_reply": reply,
            "ticket_reply_type": kind,
            "ticket_reply_time_worked": worked,
            "ticket_reply_created_at": now(),
            "ticket_reply_updated_at": null,
            "ticket_reply_archived_at": null,
            "ticket_reply_by": KEY_USER.0,
            "ticket_reply_ticket_id": ticket_id.to_string(),
            "ticket_prefix": ticket["ticket_prefix"],
            "ticket_number": ticket["ticket_number"],
            "ticket_subject": ticket["ticket_subject"],
            "ticket_client_id": ticket["ticket_client_id"],
            "ticket_reply_by_name": KEY_USER.1,
        }));
        let status = intval(body.get("ticket_status"));
        if status != 0 {
            if let Some(Value::Object(t)) = self
                .tickets
                .iter_mut()
                .find(|t| intval(t.get("ticket_id")) == ticket_id)
            {
                t.insert("ticket_status".into(), json!(status.to_string()));
            }
        }
        created(id)
    }
}

/// A create's answer: `count` is a string here.
fn created(id: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"success": "True", "count": "1", "data": [{"insert_id": id}]}))
}

/// 8 clients, ids 7 to 14 (7 and 8 as in the notes' sample); changes on
/// both sides of March 2024; one archived.
fn clients() -> Vec<Value> {
    let rows: [(
        u64,
        &str,
        &str,
        &str,
        &str,
        NaiveDateTime,
        Option<NaiveDateTime>,
        bool,
    ); 8] = [
        (
            7,
            "Contoso Dental",
            "Healthcare",
            "contosodental.example",
            "CD",
            day(2025, 3, 2, 10, 14),
            Some(day(2025, 6, 11, 8, 2)),
            false,
        ),
        (
            8,
            "Fabrikam Legal",
            "",
            "",
            "FL",
            day(2025, 4, 19, 16, 40),
            None,
            false,
        ),
        (
            9,
            "Northwind Traders",
            "Retail",
            "northwind.example",
            "NWT",
            day(2022, 8, 1, 9, 0),
            Some(day(2023, 12, 4, 11, 30)),
            false,
        ),
        (
            10,
            "Tailspin Toys",
            "Manufacturing",
            "tailspintoys.example",
            "TT",
            day(2022, 9, 14, 13, 5),
            Some(day(2024, 7, 22, 15, 45)),
            false,
        ),
        (
            11,
            "Woodgrove Bank",
            "Finance",
            "woodgrove.example",
            "WGB",
            day(2023, 1, 9, 8, 20),
            None,
            false,
        ),
        (
            12,
            "Adventure Works",
            "Outdoor",
            "adventure-works.example",
            "AW",
            day(2023, 2, 27, 14, 0),
            Some(day(2024, 3, 5, 6, 7)),
            true,
        ),
        (
            13,
            "Litware Inc",
            "Software",
            "litware.example",
            "LIT",
            day(2023, 6, 30, 10, 10),
            Some(day(2024, 11, 2, 9, 9)),
            false,
        ),
        (
            14,
            "Proseware Clinic",
            "Healthcare",
            "proseware.example",
            "PC",
            day(2024, 1, 15, 12, 0),
            Some(day(2024, 2, 1, 12, 0)),
            false,
        ),
    ];
    rows.iter()
        .map(|(id, name, kind, web, abbr, created, updated, archived)| {
            json!({
                "client_id": id.to_string(),
                "client_lead": "0",
                "client_name": name,
                "client_type": kind,
                "client_website": web,
                "client_referral": "",
                "client_rate": if *id == 7 { "95.00" } else { "0.00" },
                "client_currency_code": "USD",
                "client_net_terms": "30",
                "client_tax_id_number": "",
                "client_abbreviation": abbr,
                "client_notes": "",
                "client_favorite": "0",
                "client_created_at": ts(*created),
                "client_updated_at": updated.map(ts),
                "client_archived_at": if *archived { ts(day(2024, 6, 1, 0, 0)) } else { Value::Null },
                "client_accessed_at": updated.map(ts),
            })
        })
        .collect()
}

/// Primary locations for clients 7 to 13 (14 has none), and two branch
/// offices that are not primary.
fn locations() -> Vec<Value> {
    let rows: [(u64, u64, &str, &str, &str, &str, &str, &str, &str, bool); 10] = [
        (
            1,
            7,
            "Main office",
            "200 Harbor Way",
            "Seattle",
            "WA",
            "98101",
            "US",
            "2065550142",
            true,
        ),
        (
            2,
            8,
            "Head office",
            "55 Court St",
            "Boston",
            "MA",
            "02108",
            "US",
            "6175550188",
            true,
        ),
        (
            3,
            9,
            "HQ",
            "1 Market Sq",
            "Portland",
            "OR",
            "97201",
            "US",
            "5035550111",
            true,
        ),
        (
            4,
            10,
            "Factory",
            "900 Industrial Rd",
            "Dayton",
            "OH",
            "45402",
            "US",
            "9375550170",
            true,
        ),
        (
            5,
            11,
            "Tower",
            "10 Finance Plaza",
            "New York",
            "NY",
            "10005",
            "US",
            "2125550199",
            true,
        ),
        (
            6,
            12,
            "Store",
            "77 Trail Ave",
            "Denver",
            "CO",
            "80202",
            "US",
            "3035550123",
            true,
        ),
        (
            7,
            13,
            "Office",
            "5 Tech Park",
            "Austin",
            "TX",
            "73301",
            "US",
            "5125550135",
            true,
        ),
        (
            8,
            7,
            "Branch",
            "14 Bay Rd",
            "Tacoma",
            "WA",
            "98402",
            "US",
            "2535550100",
            false,
        ),
        (
            9,
            9,
            "Warehouse",
            "300 Dock St",
            "Vancouver",
            "WA",
            "98660",
            "US",
            "",
            false,
        ),
        (
            10,
            10,
            "Old plant",
            "2 Mill Ln",
            "Akron",
            "OH",
            "44308",
            "US",
            "3305550101",
            false,
        ),
    ];
    rows.iter()
        .map(
            |(id, client, name, addr, city, st, zip, country, phone, primary)| {
                json!({
                    "location_id": id.to_string(),
                    "location_name": name,
                    "location_description": "",
                    "location_country": country,
                    "location_address": addr,
                    "location_city": city,
                    "location_state": st,
                    "location_zip": zip,
                    "location_phone_country_code": "1",
                    "location_phone": phone,
                    "location_phone_extension": "",
                    "location_fax_country_code": null,
                    "location_fax": "",
                    "location_hours": "",
                    "location_photo": null,
                    "location_primary": if *primary { "1" } else { "0" },
                    "location_notes": "",
                    "location_created_at": "2023-01-01 09:00:00",
                    "location_updated_at": null,
                    "location_archived_at": null,
                    "location_accessed_at": null,
                    "location_contact_id": "0",
                    "location_client_id": client.to_string(),
                })
            },
        )
        .collect()
}

/// 12 contacts (19 as in the notes' sample), the first of each client its
/// primary one.
fn contacts() -> Vec<Value> {
    let rows: [(
        u64,
        &str,
        &str,
        &str,
        &str,
        &str,
        &str,
        u64,
        NaiveDateTime,
        Option<NaiveDateTime>,
        bool,
    ); 12] = [
        (
            19,
            "Ana Lopez",
            "Office Manager",
            "ana@contosodental.example",
            "5550100",
            "",
            "",
            7,
            day(2025, 3, 2, 10, 16),
            None,
            false,
        ),
        (
            20,
            "Bram de Vries",
            "Dentist",
            "bram@contosodental.example",
            "",
            "",
            "5550177",
            7,
            day(2023, 5, 2, 9, 0),
            Some(day(2023, 9, 1, 9, 0)),
            false,
        ),
        (
            21,
            "Chloe Martin",
            "Paralegal",
            "chloe@fabrikamlegal.example",
            "5550121",
            "12",
            "",
            8,
            day(2025, 4, 20, 9, 30),
            None,
            false,
        ),
        (
            22,
            "Dev Patel",
            "IT Lead",
            "dev@northwind.example",
            "5550122",
            "",
            "",
            9,
            day(2022, 8, 2, 10, 0),
            Some(day(2024, 5, 6, 7, 8)),
            false,
        ),
        (
            23,
            "Eva Novak",
            "Buyer",
            "eva@northwind.example",
            "5550123",
            "",
            "",
            9,
            day(2022, 8, 3, 10, 0),
            None,
            true,
        ),
        (
            24,
            "Femi Adeyemi",
            "Plant Manager",
            "femi@tailspintoys.example",
            "5550124",
            "",
            "",
            10,
            day(2022, 9, 15, 8, 0),
            Some(day(2023, 1, 15, 8, 0)),
            false,
        ),
        (
            25,
            "Grace Kim",
            "CFO",
            "grace@woodgrove.example",
            "5550125",
            "",
            "",
            11,
            day(2023, 1, 10, 8, 0),
            Some(day(2025, 1, 10, 8, 0)),
            false,
        ),
        (
            26,
            "Hugo Silva",
            "Store Manager",
            "hugo@adventure-works.example",
            "5550126",
            "",
            "",
            12,
            day(2023, 3, 1, 8, 0),
            None,
            false,
        ),
        (
            27,
            "Ines Duarte",
            "Developer",
            "ines@litware.example",
            "5550127",
            "",
            "",
            13,
            day(2023, 7, 1, 8, 0),
            Some(day(2024, 3, 5, 6, 7)),
            false,
        ),
        (
            28,
            "Jon Berg",
            "CTO",
            "jon@litware.example",
            "",
            "",
            "",
            13,
            day(2024, 2, 1, 8, 0),
            None,
            false,
        ),
        (
            29,
            "Kai Tanaka",
            "Practice Manager",
            "kai@proseware.example",
            "5550129",
            "",
            "",
            14,
            day(2024, 1, 16, 8, 0),
            Some(day(2024, 8, 16, 8, 0)),
            false,
        ),
        (
            30,
            "Lena",
            "",
            "lena@proseware.example",
            "5550130",
            "",
            "",
            14,
            day(2024, 4, 1, 8, 0),
            None,
            false,
        ),
    ];
    let mut first_of = std::collections::HashSet::new();
    rows.iter()
        .map(|(id, name, title, email, phone, ext, mobile, client, created, updated, archived)| {
            let primary = first_of.insert(*client);
            json!({
                "contact_id": id.to_string(),
                "contact_name": name,
                "contact_title": title,
                "contact_email": email,
                "contact_phone_country_code": "1",
                "contact_phone": phone,
                "contact_extension": ext,
                "contact_mobile_country_code": "1",
                "contact_mobile": mobile,
                "contact_photo": null,
                "contact_pin": null,
                "contact_notes": "",
                "contact_primary": if primary { "1" } else { "0" },
                "contact_important": "0",
                "contact_billing": if primary { "1" } else { "0" },
                "contact_technical": "0",
                "contact_created_at": ts(*created),
                "contact_updated_at": updated.map(ts),
                "contact_archived_at": if *archived { ts(day(2024, 9, 1, 0, 0)) } else { Value::Null },
                "contact_accessed_at": null,
                "contact_location_id": "0",
                "contact_vendor_id": "0",
                "contact_user_id": "0",
                "contact_department": "",
                "contact_client_id": client.to_string(),
            })
        })
        .collect()
}

struct TicketRow<'a> {
    id: u64,
    number: u64,
    subject: &'a str,
    details: &'a str,
    priority: &'a str,
    status: u64,
    client: u64,
    contact: u64,
    assigned: u64,
    created: &'a str,
    updated: Option<&'a str>,
    resolved: Option<&'a str>,
    closed: Option<&'a str>,
}

/// A whole `tickets` row, every column in `db.sql`'s order.
fn ticket_row(t: &TicketRow<'_>) -> Value {
    json!({
        "ticket_id": t.id.to_string(),
        "ticket_prefix": "TCK-",
        "ticket_number": t.number.to_string(),
        "ticket_source": "API",
        "ticket_category": null,
        "ticket_subject": t.subject,
        "ticket_details": t.details,
        "ticket_priority": t.priority,
        "ticket_status": t.status.to_string(),
        "ticket_sla_id": "0",
        "ticket_billable": "0",
        "ticket_schedule": null,
        "ticket_onsite": "0",
        "ticket_vendor_ticket_number": "0",
        "ticket_feedback": null,
        "ticket_url_key": format!("k{:031}", t.id * 7919),
        "ticket_created_at": t.created,
        "ticket_updated_at": t.updated,
        "ticket_due_at": null,
        "ticket_resolved_at": t.resolved,
        "ticket_archived_at": null,
        "ticket_first_response_at": t.updated,
        "ticket_response_due_at": null,
        "ticket_resolution_due_at": null,
        "ticket_response_sla_met": null,
        "ticket_resolution_sla_met": null,
        "ticket_response_sla_alert_stage": "0",
        "ticket_resolution_sla_alert_stage": "0",
        "ticket_closed_at": t.closed,
        "ticket_created_by": "0",
        "ticket_assigned_to": t.assigned.to_string(),
        "ticket_closed_by": if t.closed.is_some() { "3" } else { "0" },
        "ticket_vendor_id": "0",
        "ticket_client_id": t.client.to_string(),
        "ticket_contact_id": t.contact.to_string(),
        "ticket_location_id": "0",
        "ticket_asset_id": "0",
        "ticket_quote_id": "0",
        "ticket_invoice_id": "0",
        "ticket_project_id": "0",
        "ticket_recurring_ticket_id": "0",
        "ticket_order": "0",
    })
}

/// 40 tickets, ids 301 to 340 (311 and 312 as in the notes' samples), from
/// late 2022 to mid 2025, in every seeded status and one custom status.
fn tickets(contacts: &[Value]) -> Vec<Value> {
    const SUBJECTS: [&str; 10] = [
        "Outlook keeps asking for a password",
        "VPN drops every hour",
        "Scanner not saving to the share",
        "New starter account",
        "Laptop battery swelling",
        "Shared mailbox permissions",
        "Wi-Fi slow in the meeting room",
        "Renew the SSL certificate",
        "Backup job failed overnight",
        "Phone system voicemail to email",
    ];
    const PRIORITIES: [&str; 4] = ["Low", "Medium", "High", "Urgent"];
    const STATUSES: [u64; 7] = [1, 2, 3, 4, 5, 2, 6];
    const CLIENTS: [u64; 8] = [7, 8, 9, 10, 11, 12, 13, 14];
    let contact_of = |client: u64| {
        contacts
            .iter()
            .find(|c| intval(c.get("contact_client_id")) == client)
            .map(|c| intval(c.get("contact_id")))
            .unwrap_or(0)
    };
    let start = day(2022, 11, 7, 8, 5);
    (0..40u64)
        .map(|i| {
            let id = 301 + i;
            if id == 311 {
                return sample_311();
            }
            if id == 312 {
                return sample_312();
            }
            let created = start + Duration::days(23 * i as i64) + Duration::minutes(37 * i as i64);
            let status = STATUSES[(i % 7) as usize];
            let client = CLIENTS[(i % 8) as usize];
            let updated = (i % 3 != 0).then(|| created + Duration::hours(5 + i as i64));
            let resolved = (4..=5)
                .contains(&status)
                .then(|| created + Duration::days(2));
            let closed = (status == 5).then(|| created + Duration::days(9));
            let updated = match (closed, resolved, updated) {
                (Some(c), _, _) => Some(c),
                (None, Some(r), _) => Some(r),
                (None, None, u) => u,
            };
            let s = |t: Option<NaiveDateTime>| t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string());
            let (created_s, updated_s, resolved_s, closed_s) = (
                s(Some(created)).unwrap_or_default(),
                s(updated),
                s(resolved),
                s(closed),
            );
            let subject = SUBJECTS[(i % 10) as usize];
            let details = format!("<p>{subject}: reported by phone.</p><br>");
            ticket_row(&TicketRow {
                id,
                number: 1032 + i,
                subject,
                details: &details,
                priority: PRIORITIES[(i % 4) as usize],
                status,
                client,
                contact: if i % 5 == 4 { 0 } else { contact_of(client) },
                assigned: if i % 4 == 3 { 0 } else { 3 + i % 2 },
                created: &created_s,
                updated: updated_s.as_deref(),
                resolved: resolved_s.as_deref(),
                closed: closed_s.as_deref(),
            })
        })
        .collect()
}

/// The notes' sample ticket 311, verbatim.
fn sample_311() -> Value {
    let mut t = ticket_row(&TicketRow {
        id: 311,
        number: 1042,
        subject: "Printer offline in reception",
        details: "Front desk printer shows offline since this morning<br>",
        priority: "High",
        status: 2,
        client: 7,
        contact: 19,
        assigned: 3,
        created: "2025-06-11 08:05:12",
        updated: Some("2025-06-11 09:40:27"),
        resolved: None,
        closed: None,
    });
    t["ticket_url_key"] = json!("q7Wc1YbZp0aL3sXv9dKe2NfR8tHjU4mG");
    t
}

/// The notes' sample ticket 312, verbatim.
fn sample_312() -> Value {
    let mut t = ticket_row(&TicketRow {
        id: 312,
        number: 1043,
        subject: "New starter laptop",
        details: "Please set up a laptop for Ana<br>",
        priority: "Low",
        status: 1,
        client: 7,
        contact: 0,
        assigned: 0,
        created: "2025-06-11 10:01:00",
        updated: None,
        resolved: None,
        closed: None,
    });
    t["ticket_url_key"] = json!("Zr4nB8sT1cWq6yLp0eKd3mVh9xJf2GaU");
    t
}

/// Replies: three on ticket 311 (88 as in the notes' sample) and one
/// archived, two on ticket 305.
fn replies() -> Vec<Value> {
    let rows: [(u64, &str, &str, &str, &str, u64, Option<&str>); 6] = [
        (
            86,
            "Called reception, printer shows an error light.",
            "Internal",
            "00:05:00",
            "2025-06-11 08:30:00",
            311,
            None,
        ),
        (
            87,
            "We are looking into it and will update you shortly.",
            "Public",
            "00:00:00",
            "2025-06-11 08:31:10",
            311,
            None,
        ),
        (
            88,
            "Power-cycled the printer, back online.",
            "Internal",
            "00:15:00",
            "2025-06-11 09:40:27",
            311,
            None,
        ),
        (
            89,
            "Duplicate note, archived.",
            "Internal",
            "00:00:00",
            "2025-06-11 09:41:00",
            311,
            Some("2025-06-11 09:42:00"),
        ),
        (
            90,
            "Reset the VPN profile.",
            "Internal",
            "00:20:00",
            "2023-07-03 10:00:00",
            305,
            None,
        ),
        (
            91,
            "Thanks, it works again!",
            "Client",
            "00:00:00",
            "2023-07-03 11:15:00",
            305,
            None,
        ),
    ];
    rows.iter()
        .map(|(id, text, kind, worked, at, ticket, archived)| {
            let (prefix_number, subject, client) = if *ticket == 311 {
                ("1042", "Printer offline in reception", "7")
            } else {
                ("1036", "Laptop battery swelling", "11")
            };
            let (by, by_name) = if *kind == "Client" {
                ("0", "Grace Kim")
            } else {
                KEY_USER
            };
            json!({
                "ticket_reply_id": id.to_string(),
                "ticket_reply": text,
                "ticket_reply_type": kind,
                "ticket_reply_time_worked": worked,
                "ticket_reply_created_at": at,
                "ticket_reply_updated_at": null,
                "ticket_reply_archived_at": archived,
                "ticket_reply_by": by,
                "ticket_reply_ticket_id": ticket.to_string(),
                "ticket_prefix": "TCK-",
                "ticket_number": prefix_number,
                "ticket_subject": subject,
                "ticket_client_id": client,
                "ticket_reply_by_name": by_name,
            })
        })
        .collect()
}
