//! A fake ConnectWise Manage for tests and demos (feature `mock`).
//!
//! [`start`] runs a wiremock server on loopback that answers like the REST
//! API 3.0 under `/v4_6_release/apis/3.0/`: `/login/companyinfo/{company}`
//! for codebase discovery, the Basic + `clientId` check (a wrong or missing
//! credential gets a 401), bare-array lists paged by `page`/`pageSize` with
//! `Link: rel="next"/"last"` headers, or forward-only (`pagination-type:
//! forward-only`, `pageId`), `conditions` on the fields the client filters
//! by, JSON-Patch updates, and ConnectWise's error bodies. The records are
//! built from the sandbox samples in the provider notes, varied per item.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use mspkit_core::{Id, SecretString};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Map, Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::api::parse_datetime;
use crate::settings::ConnectWiseSettings;

/// The login company of the fake tenant.
pub const COMPANY_ID: &str = "example";
/// The public half of its API key.
pub const PUBLIC_KEY: &str = "Xk4fP2sQ9mLr7TbA";
/// The private half of its API key.
pub const PRIVATE_KEY: &str = "Jv8nW3cZ5hGq1dYe";
/// The integration's `clientId`.
pub const CLIENT_ID: &str = "3b1f0e6c-2a77-4f6e-9a4e-3c1f6d1b2a9c";
/// `Basic base64("example+Xk4fP2sQ9mLr7TbA:Jv8nW3cZ5hGq1dYe")`.
const AUTHORIZATION: &str = "Basic ZXhhbXBsZStYazRmUDJzUTltTHI3VGJBOkp2OG5XM2NaNWhHcTFkWWU=";
/// The API root the fake serves.
const ROOT: &str = "/v4_6_release/apis/3.0/";
/// Tickets the fake holds: enough for three pages at a third of the list.
const TICKETS: usize = 30;

/// Starts a fake ConnectWise Manage with 6 companies, 9 contacts, 30 tickets
/// on two boards, notes and 4 agreements. Its settings leave the codebase
/// out, so clients discover it.
pub async fn start() -> FakeServer<ConnectWiseSettings> {
    let server = MockServer::start().await;
    let state = State::new();
    let expected = state.expected();
    Mock::given(any())
        .respond_with(Fake(Arc::new(Mutex::new(state))))
        .mount(&server)
        .await;
    let settings = ConnectWiseSettings {
        base_url: server.uri(),
        company_id: COMPANY_ID.to_owned(),
        public_key: PUBLIC_KEY.to_owned(),
        private_key: SecretString::from(PRIVATE_KEY),
        client_id: CLIENT_ID.to_owned(),
        codebase: None,
        allow_insecure_http: true,
    };
    FakeServer {
        server,
        settings,
        expected,
        secrets: Vec::new(),
        tokens: None,
    }
}

const SANDBOX: &str = "https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/";

fn at(base: &str, hours: i64) -> String {
    let t = parse_datetime(base).ok().flatten().unwrap_or_default() + Duration::hours(hours);
    stamp(t)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn reference(id: i64, name: &str, href: &str) -> Value {
    json!({"id": id, "name": name, "_info": {href: format!("{SANDBOX}/{}", href.trim_end_matches("_href"))}})
}

/// (name, identifier, city, state, zip, status, deleted)
const COMPANIES: [(&str, &str, &str, &str, &str, &str, bool); 6] = [
    (
        "Example Company",
        "example",
        "Plano",
        "TX",
        "75024",
        "Active",
        false,
    ),
    (
        "Contoso Dental Group",
        "ContosoDental",
        "Austin",
        "TX",
        "73301",
        "Active",
        false,
    ),
    (
        "Fabrikam Logistics",
        "Fabrikam",
        "Chicago",
        "IL",
        "60654",
        "Active",
        false,
    ),
    (
        "Northwind Traders",
        "Northwind",
        "Seattle",
        "WA",
        "98101",
        "Active",
        false,
    ),
    (
        "Tailspin Toys",
        "Tailspin",
        "Denver",
        "CO",
        "80202",
        "Inactive",
        false,
    ),
    (
        "Litware Legal",
        "Litware",
        "Boston",
        "MA",
        "02110",
        "Active",
        true,
    ),
];

fn company(i: usize) -> Value {
    let (name, ident, city, st, zip, status, deleted) = COMPANIES[i];
    let id = 250 + i as i64;
    let mut c = json!({
        "id": id, "identifier": ident, "name": name,
        "status": {"id": if status == "Active" { 1 } else { 2 }, "name": status,
                   "_info": {"status_href": format!("{SANDBOX}/company/companies/statuses/1")}},
        "addressLine1": format!("{} Windcrest Dr", 6505 + i * 10), "addressLine2": "Suite 200",
        "city": city, "state": st, "zip": zip,
        "country": reference(1, "United States", "country_href"),
        "phoneNumber": format!("97290565{:02}", i), "faxNumber": "",
        "website": format!("www.{}.example", ident.to_lowercase()),
        "territory": reference(2, "Example Company", "location_href"),
        "accountNumber": "", "dateAcquired": "2006-06-21T04:00:00Z",
        "leadFlag": false, "unsubscribeFlag": false,
        "billingTerms": {"id": 1, "name": "Net 30 days"},
        "deletedFlag": deleted, "mobileGuid": format!("1df91371-6d7a-4778-ab81-f3e7761f52{i:02}"),
        "isVendorFlag": false,
        "types": [reference(1, "Client", "type_href")],
        "site": reference(5353 + i as i64, "Main", "site_href"),
        "_info": {"lastUpdated": at("2024-01-10T15:27:10Z", 24 * 20 * i as i64), "updatedBy": "user",
                  "dateEntered": at("2006-06-21T16:04:59Z", 24 * i as i64), "enteredBy": "CONVERSION"},
        "customFields": [{"id": 2, "caption": "Parent Company", "type": "Text", "entryMethod": "List", "numberOfDecimals": 0}]
    });
    if deleted {
        c["dateDeleted"] = json!("2023-11-09T21:19:15Z");
        c["deletedBy"] = json!("User");
    }
    c
}

fn company_ref(i: usize) -> Value {
    let (name, ident, ..) = COMPANIES[i];
    json!({"id": 250 + i as i64, "identifier": ident, "name": name,
           "_info": {"company_href": format!("{SANDBOX}/company/companies/{}", 250 + i)}})
}

const PEOPLE: [(&str, &str, &str); 9] = [
    ("Mike", "Evans", "Office Manager"),
    ("Priya", "Raman", "IT Coordinator"),
    ("Tom", "Okafor", "Practice Manager"),
    ("Lena", "Schulz", "Warehouse Lead"),
    ("Carlos", "Mendes", "CFO"),
    ("Aiko", "Tanaka", "Buyer"),
    ("Grace", "Hopper", "Owner"),
    ("Sam", "Patel", "Receptionist"),
    ("Ines", "Costa", "Paralegal"),
];

fn contact(i: usize) -> Value {
    let (first, last, title) = PEOPLE[i];
    let c = i % 5;
    let domain = COMPANIES[c].1.to_lowercase();
    let id = 179 + i as i64;
    let email = format!(
        "{}.{}@{domain}.example",
        first.to_lowercase(),
        last.to_lowercase()
    );
    json!({
        "id": id, "firstName": first, "lastName": last,
        "company": company_ref(c),
        "site": reference(136, "Main", "site_href"),
        "title": title,
        "inactiveFlag": i == 8,
        "defaultPhoneNbr": format!("9729056{:03}", 500 + i), "defaultPhoneType": "Direct",
        "marriedFlag": false, "childrenFlag": false, "portalSecurityLevel": 1,
        "disablePortalLoginFlag": true, "unsubscribeFlag": false,
        "mobileGuid": format!("8d6a547e-6a2e-43aa-9670-99073764{id:04}"),
        "defaultBillingFlag": false, "defaultFlag": i < 5,
        "communicationItems": [
            {"id": 1000 + id, "type": {"id": 1, "name": "Email"}, "value": email,
             "defaultFlag": true, "communicationType": "Email"},
            {"id": 2000 + id, "type": {"id": 2, "name": "Direct"}, "value": format!("9729056{:03}", 500 + i),
             "extension": "", "defaultFlag": true, "communicationType": "Phone"}
        ],
        "types": [reference(11, "End User", "type_href")],
        "ignoreDuplicates": false,
        "_info": {"lastUpdated": at("2024-01-31T18:18:16Z", 24 * 15 * i as i64), "updatedBy": "Admin1",
                  "dateEntered": at("2019-05-01T09:00:00Z", 24 * 7 * i as i64), "enteredBy": "Admin1"}
    })
}

/// The boards: (id, name, statuses as (id, name, sort, closed, default)).
type StatusRow = (i64, &'static str, i64, bool, bool);
const BOARDS: [(i64, &str, [StatusRow; 5]); 2] = [
    (
        30,
        "Network Security - South",
        [
            (560, "New", 0, false, true),
            (561, "In Progress", 1, false, false),
            (564, "Waiting Customer", 2, false, false),
            (550, "Scheduled", 3, false, false),
            (562, ">Closed", 9, true, false),
        ],
    ),
    (
        1,
        "Help Desk",
        [
            (1, "New (email)", 0, false, true),
            (2, "Assigned", 1, false, false),
            (3, "Customer Responded", 2, false, false),
            (4, "Resolved", 8, true, false),
            (5, "Closed", 9, true, false),
        ],
    ),
];

const PRIORITIES: [(i64, &str, i64); 4] = [
    (6, "Priority 1 - Emergency Response", 1),
    (15, "Priority 2 - Quick Response", 2),
    (8, "Priority 3 - Normal Response", 3),
    (12, "Priority 5 - Service Request", 5),
];

const SUMMARIES: [&str; 6] = [
    "Daily Tenable Reports",
    "Add Sys Admin to portal",
    "Printer offline on the second floor",
    "VPN drops every 30 minutes",
    "Backup job failed on FS01",
    "New starter: laptop, mailbox and VPN",
];

fn status_ref(board: i64, id: i64, name: &str) -> Value {
    json!({"id": id, "name": name,
           "_info": {"status_href": format!("{SANDBOX}/service/boards/{board}/statuses/{id}")}})
}

fn board_statuses(board: i64) -> Vec<Value> {
    let Some((_, name, rows)) = BOARDS.iter().find(|b| b.0 == board) else {
        return Vec::new();
    };
    rows.iter()
        .map(|&(id, status, sort, closed, default)| {
            json!({
                "id": id, "name": status,
                "board": {"id": board, "name": name},
                "sortOrder": sort, "displayOnBoard": true, "inactive": false,
                "closedStatus": closed, "timeEntryNotAllowed": false, "defaultFlag": default,
                "escalationStatus": "NotResponded", "customerPortalFlag": false,
                "_info": {"lastUpdated": "2020-05-29T13:25:15Z", "updatedBy": "User"}
            })
        })
        .collect()
}

fn ticket(i: usize) -> Value {
    let (board, board_name, rows) = BOARDS[i % 2];
    let (status_id, status_name, _, closed, _) = rows[i % 5];
    let (prio_id, prio_name, sort) = PRIORITIES[i % 4];
    let c = i % 5;
    let id = 3186 + i as i64;
    let entered = at("2024-01-09T15:22:36Z", 24 * 3 * i as i64);
    let updated = at(&entered, 30);
    let mut t = json!({
        "id": id, "summary": SUMMARIES[i % SUMMARIES.len()], "recordType": "ServiceTicket",
        "board": {"id": board, "name": board_name,
                  "_info": {"board_href": format!("{SANDBOX}/service/boards/{board}")}},
        "status": status_ref(board, status_id, status_name),
        "company": company_ref(c),
        "site": reference(1000, "Main", "site_href"), "siteName": "Main",
        "addressLine1": "6505 Windcrest Dr", "addressLine2": "Suite 200", "city": COMPANIES[c].2,
        "stateIdentifier": COMPANIES[c].3, "zip": COMPANIES[c].4,
        "contactName": format!("{} {}", PEOPLE[c].0, PEOPLE[c].1),
        "contactPhoneNumber": "9729056500",
        "type": reference(250, "Reports", "type_href"),
        "team": reference(10, "Network Security", "team_href"),
        "owner": {"id": 244, "identifier": "User", "name": "User",
                  "_info": {"member_href": format!("{SANDBOX}/system/members/244")}},
        "priority": {"id": prio_id, "name": prio_name, "sort": sort,
                     "_info": {"priority_href": format!("{SANDBOX}/service/priorities/{prio_id}")}},
        "serviceLocation": reference(4, "Remote", "location_href"),
        "source": reference(3, "Internal", "source_href"),
        "severity": "Low", "impact": "Low",
    });
    let more = json!({
        "allowAllClientsPortalView": false, "customerUpdatedFlag": false,
        "automaticEmailContactFlag": false, "automaticEmailResourceFlag": false, "automaticEmailCcFlag": false,
        "closedFlag": closed, "actualHours": 1.07, "approved": true,
        "estimatedExpenseCost": 0.00, "estimatedTimeRevenue": 0.00,
        "billingMethod": "ActualRates", "subBillingMethod": "ActualRates",
        "dateResplan": entered, "dateResponded": entered,
        "resolveMinutes": 306, "resPlanMinutes": 0, "respondMinutes": 0, "isInSla": true,
        "resources": "User", "hasChildTicket": false, "hasMergedChildTicketFlag": false,
        "billTime": "NoDefault", "billExpenses": "NoDefault", "billProducts": "NoDefault",
        "mobileGuid": format!("b7fd8e26-fcad-4ade-ba53-c0772dcd{id:04}"),
        "sla": reference(6, "No SLA", "sla_href"),
        "slaStatus": if closed { "Resolved" } else { "Respond" },
        "requestForChangeFlag": false,
        "_info": {"lastUpdated": updated, "updatedBy": "User", "dateEntered": entered, "enteredBy": "User",
                  "notes_href": format!("{SANDBOX}/service/tickets/{id}/notes")},
        "escalationStartDateUTC": entered, "escalationLevel": 15,
        "customFields": [{"id": 7, "caption": "Dispatch Billing Required", "type": "Text",
                          "entryMethod": "List", "numberOfDecimals": 0}]
    });
    if let (Some(t), Value::Object(more)) = (t.as_object_mut(), more) {
        t.extend(more);
    }
    if i % 3 != 2 {
        t["contact"] =
            json!({"id": 179 + c as i64, "name": format!("{} {}", PEOPLE[c].0, PEOPLE[c].1)});
    }
    if closed {
        t["closedDate"] = json!(at(&entered, 26));
        t["closedBy"] = json!("User");
        t["dateResolved"] = json!(at(&entered, 25));
    }
    t
}

fn note(id: i64, ticket: i64, text: &str, flags: (bool, bool, bool), created: &str) -> Value {
    let (detail, internal, resolution) = flags;
    json!({
        "id": id, "ticketId": ticket, "text": text,
        "detailDescriptionFlag": detail, "internalAnalysisFlag": internal,
        "resolutionFlag": resolution, "issueFlag": false,
        "member": {"id": 637, "identifier": "user", "name": "user",
                   "_info": {"member_href": format!("{SANDBOX}/system/members/637")}},
        "dateCreated": created, "createdBy": "user",
        "internalFlag": internal, "externalFlag": detail || resolution,
        "_info": {"lastUpdated": created, "updatedBy": "user"}
    })
}

/// (name, type, company index, start, end, no end, cancelled, status)
#[allow(clippy::type_complexity)]
const AGREEMENTS: [(&str, &str, usize, &str, Option<&str>, bool, bool, &str); 4] = [
    (
        "Managed Services - Gold",
        "Managed Services",
        0,
        "2023-01-01T05:00:00Z",
        None,
        true,
        false,
        "Active",
    ),
    (
        "Block Hours 20",
        "Block Time",
        1,
        "2023-06-01T04:00:00Z",
        Some("2024-05-31T04:00:00Z"),
        false,
        false,
        "Expired",
    ),
    (
        "Managed Backup",
        "Managed Services",
        2,
        "2024-02-01T05:00:00Z",
        Some("2026-01-31T05:00:00Z"),
        false,
        false,
        "Active",
    ),
    (
        "Break/Fix Retainer",
        "Retainer",
        3,
        "2022-03-01T05:00:00Z",
        Some("2025-02-28T05:00:00Z"),
        false,
        true,
        "Cancelled",
    ),
];

fn agreement(i: usize) -> Value {
    let (name, kind, c, start, end, no_end, cancelled, status) = AGREEMENTS[i];
    let mut a = json!({
        "id": 10 + i as i64, "name": name,
        "type": {"id": 3 + i as i64, "name": kind,
                 "_info": {"type_href": format!("{SANDBOX}/finance/agreements/types/{}", 3 + i)}},
        "company": company_ref(c),
        "contact": {"id": 179 + c as i64, "name": format!("{} {}", PEOPLE[c].0, PEOPLE[c].1)},
        "startDate": start, "noEndingDateFlag": no_end, "cancelledFlag": cancelled,
        "agreementStatus": status, "billAmount": 1500.00 + 250.0 * i as f64,
        "applicationUnits": "Hours", "billCycle": {"id": 1, "name": "Monthly"},
        "_info": {"lastUpdated": at("2024-02-01T12:00:00Z", 24 * 30 * i as i64), "updatedBy": "user",
                  "dateEntered": start, "enteredBy": "user"},
        "customFields": []
    });
    if let Some(end) = end {
        a["endDate"] = json!(end);
    }
    a
}

/// What the fake holds.
struct State {
    companies: Vec<Value>,
    contacts: Vec<Value>,
    tickets: Vec<Value>,
    notes: Vec<Value>,
    agreements: Vec<Value>,
}

impl State {
    fn new() -> Self {
        let tickets: Vec<Value> = (0..TICKETS).map(ticket).collect();
        let first = 3186;
        let mut notes = vec![
            note(
                1546040,
                first,
                "Tenable report did not arrive this morning; please check the scheduler.",
                (true, false, false),
                "2024-01-09T15:22:36Z",
            ),
            note(
                1546041,
                first,
                "Scan policy was disabled after the upgrade. Re-enabled.",
                (false, true, false),
                "2024-01-09T16:10:00Z",
            ),
            note(
                1546048,
                first,
                "rest api note internal",
                (true, true, true),
                "2024-01-10T09:41:06Z",
            ),
        ];
        notes.extend((1..TICKETS as i64).step_by(4).map(|k| {
            note(
                1547000 + k,
                first + k,
                "Logged from the customer's e-mail.",
                (true, false, false),
                "2024-02-01T10:00:00Z",
            )
        }));
        State {
            companies: (0..COMPANIES.len()).map(company).collect(),
            contacts: (0..PEOPLE.len()).map(contact).collect(),
            tickets,
            notes,
            agreements: (0..AGREEMENTS.len()).map(agreement).collect(),
        }
    }

    fn expected(&self) -> Expected {
        let mut e = Expected::new();
        e.companies = Some(self.companies.len());
        e.contacts = Some(self.contacts.len());
        e.tickets = Some(self.tickets.len());
        e.agreements = Some(self.agreements.len());
        e.company_id = Some(Id::from(250));
        e.ticket_with_notes = Some((Id::from(3186), 3));
        e
    }
}

struct Fake(Arc<Mutex<State>>);

fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"code": code, "message": message}))
}

fn ok(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(body)
        .insert_header("x-cw-request-id", "0f4c9a2e-fake-4c2b-9d3e-5a7b8c9d0e1f")
}

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let path = req.url.path().to_owned();
        if let Some(company) = path.strip_prefix("/login/companyinfo/") {
            if !company.eq_ignore_ascii_case(COMPANY_ID) {
                return ResponseTemplate::new(200).set_body_string("null");
            }
            return ok(
                200,
                json!({
                    "CompanyName": "Example Company", "Codebase": "v4_6_release/",
                    "VersionCode": "v2024.1", "CompanyID": COMPANY_ID, "IsCloud": true,
                    "SiteUrl": "na.myconnectwise.net"
                }),
            );
        }
        let header = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok());
        if header("authorization") != Some(AUTHORIZATION) || header("clientid") != Some(CLIENT_ID) {
            return error(
                401,
                "Unauthorized",
                "Authentication failed: invalid credentials or clientId",
            );
        }
        let Some(rest) = path.strip_prefix(ROOT) else {
            return error(404, "NotFound", "The requested resource was not found");
        };
        let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let id = |s: &str| s.parse::<i64>().ok();
        match (req.method.as_str(), parts.as_slice()) {
            ("GET", ["company", "companies"]) => list(req, &state.companies),
            ("GET", ["company", "companies", c]) => one(&state.companies, id(c), "company"),
            ("GET", ["company", "contacts"]) => list(req, &state.contacts),
            ("GET", ["finance", "agreements"]) => list(req, &state.agreements),
            ("GET", ["service", "tickets"]) => list(req, &state.tickets),
            ("GET", ["service", "tickets", t]) => one(&state.tickets, id(t), "Service Ticket"),
            ("GET", ["service", "tickets", t, "notes"]) => {
                let Some(t) = id(t).filter(|t| find(&state.tickets, *t).is_some()) else {
                    return error(404, "NotFound", "Service Ticket not found");
                };
                let notes: Vec<Value> = state
                    .notes
                    .iter()
                    .filter(|n| n["ticketId"] == t)
                    .cloned()
                    .collect();
                list(req, &notes)
            }
            ("GET", ["service", "boards", b, "statuses"]) => {
                match id(b).filter(|b| BOARDS.iter().any(|x| x.0 == *b)) {
                    Some(b) => list(req, &board_statuses(b)),
                    None => error(404, "NotFound", "Board not found"),
                }
            }
            ("POST", ["service", "tickets"]) => create_ticket(&mut state, req),
            ("PATCH", ["service", "tickets", t]) => patch_ticket(&mut state, id(t), req),
            ("POST", ["service", "tickets", t, "notes"]) => add_note(&mut state, id(t), req),
            _ => error(404, "NotFound", "The requested resource was not found"),
        }
    }
}

fn find(items: &[Value], id: i64) -> Option<usize> {
    items.iter().position(|i| i["id"] == id)
}

fn one(items: &[Value], id: Option<i64>, what: &str) -> ResponseTemplate {
    match id.and_then(|id| find(items, id)) {
        Some(i) => ok(200, items[i].clone()),
        None => error(
            404,
            "NotFound",
            &format!("{what} {} not found", id.unwrap_or_default()),
        ),
    }
}

fn query(req: &Request, key: &str) -> Option<String> {
    req.url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Serves one page of `items` (in id order) that pass `conditions`.
fn list(req: &Request, items: &[Value]) -> ResponseTemplate {
    let mut items: Vec<&Value> = items.iter().collect();
    items.sort_by_key(|i| i["id"].as_i64());
    if let Some(conditions) = query(req, "conditions") {
        let mut kept = Vec::new();
        for item in items {
            match matches(item, &conditions) {
                Ok(true) => kept.push(item),
                Ok(false) => {}
                Err(field) => {
                    return ResponseTemplate::new(400).set_body_json(json!({
                        "code": "ApiFindCondition",
                        "message": format!("Cannot find field '{field}' in conditions")
                    }));
                }
            }
        }
        items = kept;
    }
    let size = query(req, "pageSize")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(25)
        .clamp(1, 1000);
    let forward_only = req
        .headers
        .get("pagination-type")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"forward-only"));
    let (from, page) = if forward_only {
        let after = query(req, "pageId")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0);
        (
            items
                .iter()
                .position(|i| i["id"].as_i64() > Some(after))
                .unwrap_or(items.len()),
            0,
        )
    } else {
        let page = query(req, "page")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(1)
            .max(1);
        (((page - 1) * size).min(items.len()), page)
    };
    let to = (from + size).min(items.len());
    let body: Vec<Value> = items[from..to].iter().map(|v| (*v).clone()).collect();
    let mut resp = ok(200, Value::Array(body));
    let base = {
        let mut url = req.url.clone();
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "page" && k != "pageId" && k != "pageSize")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("pageSize", &size.to_string());
        url.to_string()
    };
    if forward_only {
        if to < items.len() {
            let last = items[to - 1]["id"].as_i64().unwrap_or_default();
            resp = resp.insert_header(
                "Link",
                format!("<{base}&pageId={last}>; rel=\"next\"").as_str(),
            );
        }
    } else {
        let pages = items.len().div_ceil(size).max(1);
        let mut links = Vec::new();
        if page < pages {
            links.push(format!("<{base}&page={}>; rel=\"next\"", page + 1));
            links.push(format!("<{base}&page={pages}>; rel=\"last\""));
        }
        if page > 1 {
            links.push(format!("<{base}&page=1>; rel=\"first\""));
            links.push(format!("<{base}&page={}>; rel=\"prev\"", page - 1));
        }
        if !links.is_empty() {
            resp = resp.insert_header("Link", links.join(", ").as_str());
        }
    }
    resp
}

/// Whether `item` passes a `conditions` expression of `AND`-joined terms
/// on the fields the client filters by; `Err(field)` for any other field.
fn matches(item: &Value, conditions: &str) -> Result<bool, String> {
    for term in conditions.split(" AND ") {
        let term = term.trim();
        let pass = if let Some(v) = term.strip_prefix("company/id=") {
            item["company"]["id"]
                .as_i64()
                .map(|i| i.to_string())
                .as_deref()
                == Some(v.trim())
        } else if let Some(v) = term.strip_prefix("closedFlag=") {
            item["closedFlag"].as_bool().unwrap_or(false).to_string() == v.trim()
        } else if let Some(v) = term.strip_prefix("detailDescriptionFlag=") {
            item["detailDescriptionFlag"]
                .as_bool()
                .unwrap_or(false)
                .to_string()
                == v.trim()
        } else if let Some(rest) = term.strip_prefix("lastUpdated") {
            let (inclusive, v) = match rest.trim().strip_prefix(">=") {
                Some(v) => (true, v),
                None => (false, rest.trim().strip_prefix('>').ok_or("lastUpdated")?),
            };
            let since = parse_datetime(v.trim().trim_start_matches('[').trim_end_matches(']'))
                .ok()
                .flatten()
                .ok_or("lastUpdated")?;
            let at = item["_info"]["lastUpdated"]
                .as_str()
                .and_then(|s| parse_datetime(s).ok().flatten());
            at.is_some_and(|at| if inclusive { at >= since } else { at > since })
        } else {
            return Err(term
                .split(['=', ' ', '<', '>'])
                .next()
                .unwrap_or(term)
                .to_owned());
        };
        if !pass {
            return Ok(false);
        }
    }
    Ok(true)
}

fn invalid(resource: &str, errors: Vec<Value>) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({
        "code": "InvalidObject", "message": format!("{resource} object is invalid"), "errors": errors
    }))
}

fn field_error(code: &str, message: &str, resource: &str, field: &str) -> Value {
    json!({"code": code, "message": message, "resource": resource, "field": field})
}

fn create_ticket(state: &mut State, req: &Request) -> ResponseTemplate {
    let Ok(body) = serde_json::from_slice::<Map<String, Value>>(&req.body) else {
        return error(
            400,
            "InvalidObject",
            "The request body is not a ticket object",
        );
    };
    let summary = body
        .get("summary")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if summary.trim().is_empty() {
        return invalid(
            "ticket",
            vec![field_error(
                "Missing",
                "The summary field is required.",
                "ticket",
                "summary",
            )],
        );
    }
    let company_id = body.get("company").and_then(|c| c["id"].as_i64());
    let Some(company) = company_id.and_then(|id| find(&state.companies, id)) else {
        let msg = format!("company {} not found", company_id.unwrap_or_default());
        return invalid(
            "ticket",
            vec![field_error("NotFound", &msg, "ticket", "company/id")],
        );
    };
    let board = body.get("board");
    let board = BOARDS
        .iter()
        .find(|b| board.is_some_and(|r| r["id"] == b.0 || r["name"] == b.1))
        .unwrap_or(&BOARDS[0]);
    let id = state
        .tickets
        .iter()
        .filter_map(|t| t["id"].as_i64())
        .max()
        .unwrap_or(3185)
        + 1;
    let now = stamp(Utc::now());
    let (status_id, status_name, ..) = board.2[0];
    let mut t = json!({
        "id": id, "summary": summary, "recordType": "ServiceTicket",
        "board": {"id": board.0, "name": board.1},
        "status": status_ref(board.0, status_id, status_name),
        "company": company_ref(company.min(COMPANIES.len() - 1)),
        "closedFlag": false, "severity": "Medium", "impact": "Medium",
        "_info": {"lastUpdated": now, "updatedBy": "example+api", "dateEntered": now, "enteredBy": "example+api"}
    });
    for key in ["contact", "priority", "status"] {
        if let Some(r) = body.get(key) {
            t[key] = r.clone();
        }
    }
    if let Some(text) = body.get("initialDescription").and_then(Value::as_str) {
        let note_id = 1548000 + id;
        state
            .notes
            .push(note(note_id, id, text, (true, false, false), &now));
    }
    state.tickets.push(t.clone());
    ok(201, t)
}

fn patch_ticket(state: &mut State, id: Option<i64>, req: &Request) -> ResponseTemplate {
    let Some(i) = id.and_then(|id| find(&state.tickets, id)) else {
        return error(
            404,
            "NotFound",
            &format!("Service Ticket {} not found", id.unwrap_or_default()),
        );
    };
    let Ok(ops) = serde_json::from_slice::<Vec<Value>>(&req.body) else {
        return error(
            400,
            "InvalidObject",
            "The request body is not a JSON-Patch document",
        );
    };
    let mut t = state.tickets[i].clone();
    let board = t["board"]["id"].as_i64().unwrap_or_default();
    for op in ops {
        let path = op["path"]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches('/');
        if op["op"] != "replace" || path.is_empty() {
            return error(
                400,
                "InvalidObject",
                "Only replace operations are supported here",
            );
        }
        if path == "status" {
            let statuses = board_statuses(board);
            let Some(s) = statuses.iter().find(|s| s["id"] == op["value"]["id"]) else {
                let msg = format!("status {} not found on board {board}", op["value"]["id"]);
                return invalid(
                    "ticket",
                    vec![field_error("NotFound", &msg, "ticket", "status/id")],
                );
            };
            let closed = s["closedStatus"].as_bool().unwrap_or(false);
            t["status"] = status_ref(
                board,
                s["id"].as_i64().unwrap_or_default(),
                s["name"].as_str().unwrap_or_default(),
            );
            t["closedFlag"] = json!(closed);
            if closed {
                t["closedDate"] = json!(stamp(Utc::now()));
            }
        } else {
            t[path] = op["value"].clone();
        }
    }
    t["_info"]["lastUpdated"] = json!(stamp(Utc::now()));
    state.tickets[i] = t.clone();
    ok(200, t)
}

fn add_note(state: &mut State, ticket: Option<i64>, req: &Request) -> ResponseTemplate {
    let Some(ticket) = ticket.filter(|t| find(&state.tickets, *t).is_some()) else {
        return error(404, "NotFound", "Service Ticket not found");
    };
    let Ok(body) = serde_json::from_slice::<Map<String, Value>>(&req.body) else {
        return error(
            400,
            "InvalidObject",
            "The request body is not a note object",
        );
    };
    let flag = |k: &str| body.get(k).and_then(Value::as_bool).unwrap_or(false);
    let flags = (
        flag("detailDescriptionFlag"),
        flag("internalAnalysisFlag"),
        flag("resolutionFlag"),
    );
    if flags == (false, false, false) {
        return invalid(
            "ticketNote",
            vec![field_error(
                "Required",
                "At least one of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true",
                "ticketNote",
                "detailDescriptionFlag",
            )],
        );
    }
    let text = body.get("text").and_then(Value::as_str).unwrap_or_default();
    let id = state
        .notes
        .iter()
        .filter_map(|n| n["id"].as_i64())
        .max()
        .unwrap_or(1546000)
        + 1;
    let n = note(id, ticket, text, flags, &stamp(Utc::now()));
    state.notes.push(n.clone());
    ok(201, n)
}
