//! A fake RangerMSP HTTP API (feature `mock`), for tests and the demo.
//!
//! It speaks the contract this crate assumes (see the provider's docs
//! page), under `/api/v1/`:
//!
//! - `Authorization: Bearer <key>` on every request, else `401` with
//!   `{"error": {"code": "Unauthorized", "message": ...}}`; an
//!   `X-Account-Id` other than [`ACCOUNT_ID`] is `403`;
//! - `GET companies`, `contacts`, `tickets`, `contracts` and
//!   `tickets/{id}/notes`, paged by `page` (from 1) and `limit` (25 by
//!   default, at most 100), answering `{"data": [...], "page", "limit"}`;
//!   companies and tickets add `"total"`, the other lists do not (the
//!   contract makes it optional, and a client must then stop on a short
//!   page);
//! - filters `ParentAccountREC_ID` on contacts and `AccountREC_ID` on
//!   tickets and contracts;
//! - `GET companies/{id}` and `tickets/{id}` answering `{"data": {...}}`;
//! - `POST tickets` (an `AccountREC_ID` of an existing account and a
//!   `Description` required, else `422`) and `POST tickets/{id}/notes`,
//!   answering `201 {"data": {...}}`;
//! - `405` for other methods on tickets, `404` for any other path.
//!
//! Records use RangerMSP's programming-API names, 20-character `REC_ID`
//! strings and `dd/mm/yyyy HH:MM` dates: 58 main accounts, 124 secondary
//! contacts, 75 tickets (a fifth of them completed, status 1000), their
//! history notes (ticket [`TICKET_WITH_NOTES`] has 23) and 41 contracts.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{PsaClient, TicketQuery};
//!
//! let fake = mspkit_rangermsp::mock::start().await;
//! let client = mspkit_rangermsp::RangerMspClient::from_settings(&fake.settings)?;
//! let tickets: Vec<_> = client.tickets(TicketQuery::new()).try_collect().await?;
//! assert_eq!(Some(tickets.len()), fake.expected.tickets);
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use mspkit_core::{Id, SecretString};
use mspkit_testkit::{
    BearerToken, ById, PageScheme, Paged, Reply, find_by_id, header_value, mount_gate,
    param_matches,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::RangerMspSettings;

/// The API key the fake server accepts (as `Authorization: Bearer <key>`).
pub const API_KEY: &str = "rmsp_live_7Qm2Xw9Lk4Rt8Vb1Nc6Zp3Hd5Fj0Gs";

/// The only `X-Account-Id` the fake accepts (the header is optional).
pub const ACCOUNT_ID: &str = "ACME-MSP-01";

/// The ticket whose history notes span several pages, and how many it has.
pub const TICKET_WITH_NOTES: (&str, usize) = ("TKT00000000000000007", 23);

/// The id a ticket created through the fake gets.
pub const CREATED_TICKET: &str = "TKT00000000000009001";

/// The id a history note added through the fake gets.
pub const ADDED_NOTE: &str = "HIS00000000000009001";

const COMPANIES: u64 = 58;
const CONTACTS: u64 = 124;
const TICKETS: u64 = 75;
const CONTRACTS: u64 = 41;

/// Starts a fake RangerMSP API on loopback, with settings for a client of it.
pub async fn start() -> FakeServer<RangerMspSettings> {
    let server = MockServer::start().await;
    let data = Data::new();

    // Every request needs the key as a Bearer token, and a known account
    // when it names one.
    let denied = Reply::json(
        401,
        json!({"error": {"code": "Unauthorized", "message": "Invalid or missing API key"}}),
    );
    mount_gate(
        &server,
        path_regex("^/"),
        BearerToken::fixed(API_KEY, denied),
    )
    .await;
    Mock::given(WrongAccount)
        .respond_with(
            Reply::json(
                403,
                json!({"error": {"code": "Forbidden", "message": "The API key has no access to this account"}}),
            )
            .template(),
        )
        .with_priority(2)
        .mount(&server)
        .await;

    let get = |at: &str| Mock::given(method("GET")).and(path_regex(at));
    get("^/api/v1/companies$")
        .respond_with(list(data.companies.clone(), true))
        .mount(&server)
        .await;
    get("^/api/v1/companies/[^/]+$")
        .respond_with(one(
            "/api/v1/companies",
            &data.companies,
            "AccountREC_ID",
            "Account",
        ))
        .mount(&server)
        .await;
    get("^/api/v1/contacts$")
        .respond_with(
            list(data.contacts.clone(), false).filter(|req, c| {
                param_matches(req, "ParentAccountREC_ID", c, "ParentAccountREC_ID")
            }),
        )
        .mount(&server)
        .await;
    get("^/api/v1/tickets$")
        .respond_with(
            list(data.tickets.clone(), true)
                .filter(|req, t| param_matches(req, "AccountREC_ID", t, "AccountREC_ID")),
        )
        .mount(&server)
        .await;
    get("^/api/v1/tickets/[^/]+$")
        .respond_with(one(
            "/api/v1/tickets",
            &data.tickets,
            "TicketREC_ID",
            "Ticket",
        ))
        .mount(&server)
        .await;
    get("^/api/v1/tickets/[^/]+/notes$")
        .respond_with(Notes {
            by_ticket: Arc::new(data.notes.clone()),
            paged: list(Vec::new(), false),
        })
        .mount(&server)
        .await;
    get("^/api/v1/contracts$")
        .respond_with(
            list(data.contracts.clone(), false)
                .filter(|req, c| param_matches(req, "AccountREC_ID", c, "AccountREC_ID")),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/tickets"))
        .respond_with(CreateTicket(Arc::new(data.companies.clone())))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/api/v1/tickets/[^/]+/notes$"))
        .respond_with(AddNote(Arc::new(data.tickets.clone())))
        .mount(&server)
        .await;
    // Other methods on tickets: 405, as web servers answer them.
    Mock::given(path_regex("^/api/v1/tickets(/.*)?$"))
        .respond_with(
            Reply::json(
                405,
                json!({"error": {"code": "MethodNotAllowed", "message": "The requested resource does not support this HTTP method"}}),
            )
            .header("allow", "GET, POST")
            .template(),
        )
        .with_priority(10)
        .mount(&server)
        .await;

    let mut expected = Expected::new();
    expected.companies = Some(data.companies.len());
    expected.contacts = Some(data.contacts.len());
    expected.tickets = Some(data.tickets.len());
    expected.agreements = Some(data.contracts.len());
    expected.company_id = Some(Id::from(rec_id("CRD", 3)));
    expected.ticket_with_notes = Some((Id::from(TICKET_WITH_NOTES.0), TICKET_WITH_NOTES.1));
    let settings = RangerMspSettings {
        allow_insecure_http: true,
        ..RangerMspSettings::with_base_url(
            format!("{}/api/v1", server.uri()),
            SecretString::from(API_KEY),
        )
    };
    FakeServer::new(server, settings, expected).secrets([API_KEY])
}

/// Requests naming an account other than [`ACCOUNT_ID`].
struct WrongAccount;

impl wiremock::Match for WrongAccount {
    fn matches(&self, req: &Request) -> bool {
        header_value(req, crate::ACCOUNT_ID_HEADER).is_some_and(|a| a != ACCOUNT_ID)
    }
}

fn ok(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ok(status, json!({"error": {"code": code, "message": message}}))
}

/// A list in the contract's envelope, paged by `page` and `limit`.
fn list(items: Vec<Value>, with_total: bool) -> Paged {
    Paged::new(
        items,
        PageScheme::page_number("page", "limit", 1),
        move |v| {
            let mut body = json!({"data": v.items, "page": v.page, "limit": v.page_size});
            if with_total {
                body["total"] = json!(v.total);
            }
            ok(200, body)
        },
    )
    .default_size(25)
    .max_size(100)
}

/// `GET {prefix}/{id}` answered `{"data": {...}}`, or a 404 naming `what`.
fn one(prefix: &str, items: &[Value], id_field: &str, what: &str) -> ById {
    let missing = Reply::json(
        404,
        json!({"error": {"code": "NotFound", "message": format!("{what} not found")}}),
    );
    ById::new(prefix, items.to_vec(), id_field, missing).render(|v| ok(200, json!({"data": v})))
}

/// The ticket id in `/api/v1/tickets/{id}/...`.
fn ticket_of(req: &Request) -> String {
    req.url
        .path_segments()
        .and_then(|mut s| s.nth(3))
        .unwrap_or_default()
        .to_owned()
}

fn body_of(req: &Request) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice(&req.body) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn blank(body: &serde_json::Map<String, Value>, key: &str) -> bool {
    body.get(key)
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
}

/// `GET tickets/{id}/notes`.
struct Notes {
    by_ticket: Arc<HashMap<String, Vec<Value>>>,
    paged: Paged,
}

impl Respond for Notes {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        match self.by_ticket.get(&ticket_of(req)) {
            Some(notes) => self.paged.serve(req, notes),
            None => error(404, "NotFound", "Ticket not found"),
        }
    }
}

/// `POST tickets`: an existing account and a description are required.
struct CreateTicket(Arc<Vec<Value>>);

impl Respond for CreateTicket {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let Some(body) = body_of(req) else {
            return error(400, "BadRequest", "The request body is not a JSON object");
        };
        let mut errors = serde_json::Map::new();
        let account = body.get("AccountREC_ID").and_then(Value::as_str);
        match account {
            None => {
                errors.insert("AccountREC_ID".into(), json!(["is required"]));
            }
            Some(a) if find_by_id(&self.0, "AccountREC_ID", a).is_none() => {
                errors.insert("AccountREC_ID".into(), json!(["no such account"]));
            }
            Some(_) => {}
        }
        if blank(&body, "Description") {
            errors.insert("Description".into(), json!(["is required"]));
        }
        if !errors.is_empty() {
            return ok(
                422,
                json!({"error": {"code": "ValidationFailed", "message": "The ticket is not valid"}, "errors": errors}),
            );
        }
        let now = "06/03/2024 09:30";
        let mut t = json!({
            "TicketREC_ID": CREATED_TICKET,
            "TicketNumber": "0240-0901",
            "AccountREC_ID": account,
            "ContactREC_ID": null,
            "AssetREC_ID": null,
            "ContractREC_ID": null,
            "EmployeeREC_ID": null,
            "TicketPriority": "Normal",
            "TicketType": "Support",
            "Source": "API",
            "Description": body["Description"],
            "Resolution": "",
            "Status": 100,
            "Status_Text": "New",
            "CreatedByUser": "API",
            "CreationDate": now,
            "UpdateDate": now,
            "DueDate": "",
            "ClosedDate": "",
            "EstimatedDurationTime": 0,
            "ShowTicketInDispatcher": "N",
        });
        for (k, v) in &body {
            if k != "Description" {
                t[k] = v.clone();
            }
        }
        ok(201, json!({"data": t}))
    }
}

/// `POST tickets/{id}/notes`: the ticket must exist; a description is required.
struct AddNote(Arc<Vec<Value>>);

impl Respond for AddNote {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let id = ticket_of(req);
        if find_by_id(&self.0, "TicketREC_ID", &id).is_none() {
            return error(404, "NotFound", "Ticket not found");
        }
        let body = body_of(req).unwrap_or_default();
        if blank(&body, "Description") {
            return ok(
                422,
                json!({"error": {"code": "ValidationFailed", "message": "The history note is not valid"}, "errors": {"Description": ["is required"]}}),
            );
        }
        ok(
            201,
            json!({"data": {
                "HistoryNoteREC_ID": ADDED_NOTE,
                "RelLinkREC_ID": id,
                "Date": "06/03/2024 09:45",
                "Description": body["Description"],
                "CreateUser": "API",
                "Field1": "",
            }}),
        )
    }
}

/// A 20-character record id: a three-letter table tag and a number.
fn rec_id(tag: &str, n: u64) -> String {
    format!("{tag}{n:017}")
}

/// RangerMSP's date and time form: `dd/mm/yyyy HH:MM`.
fn stamp(t: DateTime<Utc>) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// A date alone: `dd/mm/yyyy`.
fn day(t: DateTime<Utc>) -> String {
    t.format("%d/%m/%Y").to_string()
}

/// The `i`th instant of a spread from 2024-01-02 over several months, so
/// that lists straddle 2024-03-05 (about a third before it).
fn spread(i: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 2, 8, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::hours(i as i64 * 37)
        + Duration::minutes((i as i64 * 13) % 60)
}

const FIRST: [&str; 10] = [
    "Dana", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Jonas", "Mei", "Carlos", "Ruth",
];
const LAST: [&str; 10] = [
    "Okafor",
    "Shah",
    "Lindqvist",
    "Rossi",
    "Brennan",
    "Khan",
    "Weber",
    "Chen",
    "Ortega",
    "Novak",
];
const BUSINESSES: [&str; 12] = [
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
    "Granite Construction",
    "Meridian Dental Lab",
];
const CITIES: [(&str, &str, &str); 4] = [
    ("London", "", "EC1A 1BB"),
    ("Manchester", "Greater Manchester", "M1 1AE"),
    ("Leeds", "West Yorkshire", "LS1 4AP"),
    ("Bristol", "", "BS1 5TR"),
];

/// The fake's data, in the contract's shapes.
struct Data {
    companies: Vec<Value>,
    contacts: Vec<Value>,
    tickets: Vec<Value>,
    notes: HashMap<String, Vec<Value>>,
    contracts: Vec<Value>,
}

impl Data {
    fn new() -> Self {
        let companies: Vec<Value> = (0..COMPANIES).map(company).collect();
        let contacts = (0..CONTACTS).map(|i| contact(i, &companies)).collect();
        let tickets: Vec<Value> = (0..TICKETS).map(|i| ticket(i, &companies)).collect();
        let notes = tickets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let id = t["TicketREC_ID"].as_str().unwrap_or_default().to_owned();
                let n = if id == TICKET_WITH_NOTES.0 {
                    TICKET_WITH_NOTES.1 as u64
                } else {
                    i as u64 % 4
                };
                let list = (0..n).map(|k| note(i as u64, k, &id)).collect();
                (id, list)
            })
            .collect();
        Data {
            companies,
            contacts,
            tickets,
            notes,
            contracts: (0..CONTRACTS).map(contract).collect(),
        }
    }
}

fn company(i: u64) -> Value {
    let name = {
        let base = BUSINESSES[(i % 12) as usize];
        if i < 12 {
            base.to_owned()
        } else {
            format!(
                "{base} {}",
                ["North", "South", "East", "West", "Central"][(i / 12 % 5) as usize]
            )
        }
    };
    let (first, last) = (FIRST[(i % 10) as usize], LAST[(i * 3 % 10) as usize]);
    let (city, region, zip) = CITIES[(i % 4) as usize];
    let with_address = i % 5 != 4;
    let slug: String = name
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let mut out = json!({
    "AccountREC_ID": rec_id("CRD", i + 1),
    "AccountManager": (["Sam Carter", "Lee Park"][(i % 2) as usize]),
    "CompanyName": name,
    "Contact": format!("{first} {last}"),
    "LastName": last,
    "Dear": format!("Dear {first}"),
    "Salutation": "",
    "Title": "Office Manager",
    "Status": if i % 11 == 10 { "Inactive" } else { "Active" },
    "AccountNumber": format!("{:05}", 1000 + i),
    "ID": "",
    "Type": "Customer",
    "AccountType": 1,
    "AddressLine1": if with_address { json!(format!("{} High Street", 10 + i)) } else { json!("") },
    "AddressLine2": if i % 6 == 0 { json!("Unit 4") } else { json!("") },
    "AddressLine3": "",
    "City": if with_address { city } else { "" },
    "State": if with_address { region } else { "" },
    "Zip": if with_address { zip } else { "" },
    "Country": if with_address { "United Kingdom" } else { "" },
    "Region": "",
        });
    let rest = json!({
        "Phone1": if i % 7 == 3 { json!("") } else { json!(format!("020 7946 {:04}", i)) },
        "Phone2": format!("07700 900{:03}", i),
        "Phone1Ext": "",
        "FaxNumber": "",
        "EmailAddress1": format!("office@{slug}.example"),
        "EmailAddress2": "",
        "WebAddress1": if i % 3 == 2 { json!("") } else { json!(format!("https://www.{slug}.example")) },
        "WebAddress2": "",
        "FileAs": name,
        "Notes": "",
        "PopupMessage": "",
        "SubContractCode": "",
        "Tax1": "",
        "Tax2": "",
        "Field1": "", "Field2": "", "Field3": "", "Field4": "",
        "CreationDate": stamp(spread(i) - Duration::days(400)),
        "CreatedByUser": "Sam Carter",
        "UpdateDate": stamp(spread(i)),
        "LastUpdatedBy": "Sam Carter",
    });
    if let (Some(out), Value::Object(rest)) = (out.as_object_mut(), rest) {
        out.extend(rest);
    }
    out
}

fn contact(i: u64, companies: &[Value]) -> Value {
    let company = &companies[(i % COMPANIES) as usize];
    let (first, last) = (FIRST[(i * 7 % 10) as usize], LAST[(i % 10) as usize]);
    // A few contacts keep only a full name (no separate last name).
    let (full, last_name) = if i % 9 == 8 {
        (format!("{first} {last}"), "")
    } else if i % 13 == 5 {
        (first.to_owned(), "")
    } else {
        (format!("{first} {last}"), last)
    };
    json!({
        "AccountREC_ID": rec_id("CRD", 5001 + i),
        "ParentAccountREC_ID": company["AccountREC_ID"],
        "AccountType": 5,
        "CompanyName": company["CompanyName"],
        "Contact": full,
        "LastName": last_name,
        "Dear": format!("Dear {first}"),
        "Title": (["Practice Manager", "Bookkeeper", "", "IT Contact"][(i % 4) as usize]),
        "Department": "",
        "Status": "Active",
        "EmailAddress1": format!("{}.{}@example.org", first.to_lowercase(), i),
        "Phone1": if i % 4 == 0 { json!("") } else { json!(format!("020 7946 {:04}", 5000 + i)) },
        "Phone2": format!("07700 901{:03}", i),
        "AddressLine1": "",
        "City": "",
        "CreationDate": stamp(spread(i / 2) - Duration::days(30)),
        "UpdateDate": stamp(spread(i / 2)),
    })
}

const SUBJECTS: [&str; 6] = [
    "Outlook keeps asking for the password",
    "Printer offline on the 2nd floor",
    "New starter laptop setup",
    "VPN drops every hour",
    "Nightly backup failed",
    "Virus warning on the reception PC",
];
const STATUSES: [(i64, &str); 5] = [
    (100, "New"),
    (200, "In Progress"),
    (300, "Waiting for Customer"),
    (400, "Escalated"),
    (1000, "Completed"),
];
const PRIORITIES: [&str; 4] = ["Low", "Normal", "High", "Urgent"];

fn ticket(i: u64, companies: &[Value]) -> Value {
    let company = &companies[(i * 7 % COMPANIES) as usize];
    let updated = spread(i);
    let created = updated - Duration::days(2 + (i % 5) as i64);
    let (status, label) = STATUSES[(i % 5) as usize];
    let completed = status == 1000;
    let subject = SUBJECTS[(i % 6) as usize];
    json!({
        "TicketREC_ID": rec_id("TKT", i + 1),
        "TicketNumber": format!("0240-{:04}", 100 + i),
        "AccountREC_ID": company["AccountREC_ID"],
        "ContactREC_ID": if i % 4 == 1 { json!(rec_id("CRD", 5001 + i)) } else { json!("") },
        "AssetREC_ID": "",
        "ContractREC_ID": if i % 3 == 0 { json!(rec_id("CTR", 1 + i % CONTRACTS)) } else { json!("") },
        "EmployeeREC_ID": if i % 3 == 2 { json!("") } else { json!(rec_id("EMP", 1 + i % 2)) },
        "TicketPriority": PRIORITIES[(i % 4) as usize],
        "TicketType": (["Support", "Installation", "Maintenance"][(i % 3) as usize]),
        "Source": (["Phone", "Email", "Portal"][(i % 3) as usize]),
        "Description": format!("{subject}\nReported by {} at {}.", company["Contact"].as_str().unwrap_or_default(), company["CompanyName"].as_str().unwrap_or_default()),
        "Resolution": if completed { "Fixed and confirmed with the customer." } else { "" },
        "Status": status,
        "Status_Text": label,
        "CreatedByUser": "Sam Carter",
        "CreationDate": stamp(created),
        "UpdateDate": stamp(updated),
        "DueDate": day(created + Duration::days(7)),
        "ClosedDate": if completed { stamp(updated - Duration::hours(1)) } else { String::new() },
        "EstimatedDurationTime": 100 * (1 + i % 4),
        "ShowTicketInDispatcher": if i % 2 == 0 { "Y" } else { "N" },
    })
}

fn note(ticket: u64, k: u64, ticket_id: &str) -> Value {
    let at = spread(ticket) - Duration::days(2) + Duration::minutes(k as i64 * 41);
    json!({
        "HistoryNoteREC_ID": rec_id("HIS", ticket * 100 + k + 1),
        "RelLinkREC_ID": ticket_id,
        "Date": stamp(at),
        "Description": if k == 0 { "Called the customer, remote session booked.".to_owned() } else { format!("Work log entry {k}") },
        "CreateUser": (["Sam Carter", "Lee Park"][(k % 2) as usize]),
        "Field1": "",
    })
}

fn contract(i: u64) -> Value {
    let start = Utc
        .with_ymd_and_hms(2023, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::days((i * 17 % 365) as i64);
    let end = start + Duration::days(365 * (1 + (i % 3) as i64) - 1);
    let kind = ["Global", "Block of Time", "Block of Money"][(i % 3) as usize];
    json!({
        "ContractREC_ID": rec_id("CTR", i + 1),
        "AccountREC_ID": rec_id("CRD", 1 + i % COMPANIES),
        "ContractName": format!("{} - {}", ["Managed Services", "Support Hours", "Project Fund"][(i % 3) as usize], ["Gold", "Silver", "Bronze"][(i / 3 % 3) as usize]),
        "ContractType": kind,
        "Status": if i % 7 == 6 { "Cancelled" } else { "Active" },
        "StartDate": day(start),
        "EndDate": day(end),
        "Units_Hours": if kind == "Block of Time" { json!(2000 + 500 * (i % 4)) } else { json!(0) },
        "Price": 150_000 + 2_500 * i,
        "Notes": "",
    })
}
