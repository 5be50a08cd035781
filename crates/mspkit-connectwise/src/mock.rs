//! A fake ConnectWise Manage for tests and demos (feature `mock`).
//!
//! [`start`] runs a wiremock server on loopback that answers like the REST
//! API 3.0 under `/v4_6_release/apis/3.0/`: `/login/companyinfo/{company}`
//! for codebase discovery (no credentials), the Basic + `clientId` check
//! (ConnectWise's 401 body otherwise), bare-array lists paged forward-only
//! (`pagination-type: forward-only`, `pageId`, a `Link` header on every page,
//! empty on the last) or by `page`/`pageSize` with `Link: rel="next"/"last"`,
//! `conditions` on the fields the client filters by, JSON-Patch updates, and
//! ConnectWise's error bodies. The records are built from the sandbox
//! samples in the provider notes, varied per item.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Duration, Utc};
use mspkit_core::{Id, SecretString};
use mspkit_testkit::{
    BasicAuth, HeaderSet, PageScheme, PageView, Paged, Reply, find_by_id, header_value, mount_gate,
    parse_instant, query_param,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::ConnectWiseSettings;

/// The login company of the fake tenant.
pub const COMPANY_ID: &str = "example";
/// The public half of its API key.
pub const PUBLIC_KEY: &str = "Xk4fP2sQ9mLr7TbA";
/// The private half of its API key.
pub const PRIVATE_KEY: &str = "Jv8nW3cZ5hGq1dYe";
/// The integration's `clientId`.
pub const CLIENT_ID: &str = "3b1f0e6c-2a77-4f6e-9a4e-3c1f6d1b2a9c";
/// `base64("example+Xk4fP2sQ9mLr7TbA:Jv8nW3cZ5hGq1dYe")`, as the Basic header carries it.
const BASIC: &str = "ZXhhbXBsZStYazRmUDJzUTltTHI3VGJBOkp2OG5XM2NaNWhHcTFkWWU=";
/// The API root the fake serves.
const ROOT: &str = "/v4_6_release/apis/3.0/";
/// Tickets the fake holds: three pages and a bit at a third of the list.
const TICKETS: usize = 31;
const SANDBOX: &str = "https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/";

/// Starts a fake ConnectWise Manage with 7 companies, 10 contacts, 31
/// tickets on two boards, notes and 7 agreements. Its settings leave the
/// codebase out, so clients discover it.
pub async fn start() -> FakeServer<ConnectWiseSettings> {
    let server = MockServer::start().await;
    let state = State::new();
    let expected = state.expected();
    Mock::given(method("GET"))
        .and(path_regex("^/login/companyinfo/"))
        .respond_with(CompanyInfo)
        .mount(&server)
        .await;
    let refused = Reply::json(
        401,
        json!({"code": "Unauthorized", "message": "Authentication failed"}),
    );
    let user = format!("{COMPANY_ID}+{PUBLIC_KEY}");
    let keys = BasicAuth::new(user, PRIVATE_KEY, refused.clone());
    let client_id = HeaderSet::new(refused).header("clientid", CLIENT_ID);
    mount_gate(&server, path_regex("^/v4_6_release/"), (keys, client_id)).await;
    Mock::given(any())
        .respond_with(Fake::new(state))
        .mount(&server)
        .await;
    let mut settings = ConnectWiseSettings::new(
        server.uri(),
        COMPANY_ID,
        PUBLIC_KEY,
        SecretString::from(PRIVATE_KEY),
        CLIENT_ID,
    );
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected).secrets([PRIVATE_KEY, BASIC])
}

/// `GET /login/companyinfo/{company}`: the codebase, or `null` for a
/// company the site does not know.
struct CompanyInfo;

impl Respond for CompanyInfo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let company = req.url.path().trim_start_matches("/login/companyinfo/");
        if !company.eq_ignore_ascii_case(COMPANY_ID) {
            return ResponseTemplate::new(200).set_body_string("null");
        }
        ok(
            200,
            json!({"CompanyName": "Example Company", "Codebase": "v4_6_release/",
                   "VersionCode": "v2024.1", "CompanyID": COMPANY_ID, "IsCloud": true,
                   "SiteUrl": "na.myconnectwise.net"}),
        )
    }
}

/// `base` moved on by `hours`, in ConnectWise's format.
fn at(base: &str, hours: i64) -> String {
    let t = parse_instant(base).unwrap_or_default() + Duration::hours(hours);
    stamp(t)
}

fn stamp(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn reference(id: i64, name: &str, href: &str) -> Value {
    json!({"id": id, "name": name, "_info": {href: format!("{SANDBOX}{}/{id}", href.trim_end_matches("_href"))}})
}

/// A row of `|`-separated fields.
fn row(text: &str) -> Vec<&str> {
    text.split('|').collect()
}

/// name | identifier | city | state | zip | status | deleted
const COMPANIES: [&str; 7] = [
    "Example Company|example|Plano|TX|75024|Active|false",
    "Contoso Dental Group|ContosoDental|Austin|TX|73301|Active|false",
    "Fabrikam Logistics|Fabrikam|Chicago|IL|60654|Active|false",
    "Northwind Traders|Northwind|Seattle|WA|98101|Active|false",
    "Tailspin Toys|Tailspin|Denver|CO|80202|Inactive|false",
    "Litware Legal|Litware|Boston|MA|02110|Active|true",
    "Adventure Works Cycles|AdventureWorks|Portland|OR|97205|Active|false",
];

fn company(i: usize) -> Value {
    let f = row(COMPANIES[i]);
    let (id, deleted) = (250 + i as i64, f[6] == "true");
    let mut c = json!({
        "id": id, "identifier": f[1], "name": f[0],
        "status": {"id": if f[5] == "Active" { 1 } else { 2 }, "name": f[5],
                   "_info": {"status_href": format!("{SANDBOX}company/companies/statuses/1")}},
        "addressLine1": format!("{} Windcrest Dr", 6505 + i * 10), "addressLine2": "Suite 200",
        "city": f[2], "state": f[3], "zip": f[4],
        "country": reference(1, "United States", "country_href"),
        "phoneNumber": format!("97290565{i:02}"), "faxNumber": "",
        "website": format!("www.{}.example", f[1].to_lowercase()),
        "dateAcquired": "2006-06-21T04:00:00Z", "leadFlag": false, "deletedFlag": deleted,
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
    let f = row(COMPANIES[i]);
    json!({"id": 250 + i as i64, "identifier": f[1], "name": f[0],
           "_info": {"company_href": format!("{SANDBOX}company/companies/{}", 250 + i)}})
}

/// first name | last name | title
const PEOPLE: [&str; 10] = [
    "Mike|Evans|Office Manager",
    "Priya|Raman|IT Coordinator",
    "Tom|Okafor|Practice Manager",
    "Lena|Schulz|Warehouse Lead",
    "Carlos|Mendes|CFO",
    "Aiko|Tanaka|Buyer",
    "Grace|Hopper|Owner",
    "Sam|Patel|Receptionist",
    "Ines|Costa|Paralegal",
    "Noah|Berg|Dispatcher",
];

fn person(i: usize) -> String {
    let f = row(PEOPLE[i]);
    format!("{} {}", f[0], f[1])
}

fn contact(i: usize) -> Value {
    let f = row(PEOPLE[i]);
    let c = i % 5;
    let id = 179 + i as i64;
    let domain = row(COMPANIES[c])[1].to_lowercase();
    let email = format!(
        "{}.{}@{domain}.example",
        f[0].to_lowercase(),
        f[1].to_lowercase()
    );
    let phone = format!("9729056{:03}", 500 + i);
    json!({
        "id": id, "firstName": f[0], "lastName": f[1],
        "company": company_ref(c),
        "site": reference(136, "Main", "site_href"),
        "title": f[2],
        "inactiveFlag": i == 8,
        "defaultPhoneNbr": phone, "defaultPhoneType": "Direct",
        "portalSecurityLevel": 1, "disablePortalLoginFlag": true, "defaultFlag": i < 5,
        "communicationItems": [
            {"id": 1000 + id, "type": {"id": 1, "name": "Email"}, "value": email,
             "defaultFlag": true, "communicationType": "Email"},
            {"id": 2000 + id, "type": {"id": 2, "name": "Direct"}, "value": phone,
             "extension": "", "defaultFlag": true, "communicationType": "Phone"}
        ],
        "types": [reference(11, "End User", "type_href")],
        "_info": {"lastUpdated": at("2024-01-31T18:18:16Z", 24 * 15 * i as i64), "updatedBy": "Admin1",
                  "dateEntered": at("2019-05-01T09:00:00Z", 24 * 7 * i as i64), "enteredBy": "Admin1"}
    })
}

/// The boards' statuses: board | board name | id | name | sort order | closed | default.
const STATUSES: [&str; 10] = [
    "30|Network Security - South|560|New|0|false|true",
    "30|Network Security - South|561|In Progress|1|false|false",
    "30|Network Security - South|564|Waiting Customer|2|false|false",
    "30|Network Security - South|550|Scheduled|3|false|false",
    "30|Network Security - South|562|>Closed|9|true|false",
    "1|Help Desk|1|New (email)|0|false|true",
    "1|Help Desk|2|Assigned|1|false|false",
    "1|Help Desk|3|Customer Responded|2|false|false",
    "1|Help Desk|4|Resolved|8|true|false",
    "1|Help Desk|5|Closed|9|true|false",
];

/// id | name | sort (the tenant's order: its own "Scheduled Maintenance" comes first, at 0)
const PRIORITIES: [&str; 5] = [
    "6|Priority 1 - Emergency Response|1",
    "15|Priority 2 - Quick Response|2",
    "8|Priority 3 - Normal Response|3",
    "12|Priority 5 - Service Request|5",
    "17|Scheduled Maintenance|0",
];

const SUMMARIES: [&str; 6] = [
    "Daily Tenable Reports",
    "Add Sys Admin to portal",
    "Printer offline on the second floor",
    "VPN drops every 30 minutes",
    "Backup job failed on FS01",
    "New starter: laptop, mailbox and VPN",
];

fn int(s: &str) -> i64 {
    s.parse().unwrap_or_default()
}

fn status_ref(board: i64, id: i64, name: &str) -> Value {
    json!({"id": id, "name": name,
           "_info": {"status_href": format!("{SANDBOX}service/boards/{board}/statuses/{id}")}})
}

fn board_statuses(board: i64) -> Vec<Value> {
    let rows = STATUSES
        .iter()
        .map(|r| row(r))
        .filter(|f| int(f[0]) == board);
    rows.map(|f| {
        json!({
            "id": int(f[2]), "name": f[3], "board": {"id": board, "name": f[1]},
            "sortOrder": int(f[4]), "displayOnBoard": true, "inactive": false,
            "closedStatus": f[5] == "true", "timeEntryNotAllowed": false,
            "defaultFlag": f[6] == "true", "escalationStatus": "NotResponded",
            "_info": {"lastUpdated": "2020-05-29T13:25:15Z", "updatedBy": "User"}
        })
    })
    .collect()
}

fn ticket(i: usize) -> Value {
    // Boards 30 and 1 in turn, each ticket in the next status of its board.
    let status = row(STATUSES[(i % 2) * 5 + (i / 2) % 5]);
    let (board, board_name, closed) = (int(status[0]), status[1], status[5] == "true");
    let prio = row(PRIORITIES[i % 5]);
    let c = i % 5;
    let cf = row(COMPANIES[c]);
    let id = 3186 + i as i64;
    let entered = at("2024-01-09T15:22:36Z", 24 * 3 * i as i64);
    let mut t = json!({
        "id": id, "summary": SUMMARIES[i % SUMMARIES.len()], "recordType": "ServiceTicket",
        "board": {"id": board, "name": board_name,
                  "_info": {"board_href": format!("{SANDBOX}service/boards/{board}")}},
        "status": status_ref(board, int(status[2]), status[3]),
        "company": company_ref(c),
        "site": reference(1000, "Main", "site_href"), "siteName": "Main",
        "addressLine1": "6505 Windcrest Dr", "addressLine2": "Suite 200",
        "city": cf[2], "stateIdentifier": cf[3], "zip": cf[4],
        "contactName": person(c), "contactPhoneNumber": "9729056500",
        "type": reference(250, "Reports", "type_href"),
        "team": reference(10, "Network Security", "team_href"),
        "owner": {"id": 244, "identifier": "User", "name": "User",
                  "_info": {"member_href": format!("{SANDBOX}system/members/244")}},
        "priority": {"id": int(prio[0]), "name": prio[1], "sort": int(prio[2]),
                     "_info": {"priority_href": format!("{SANDBOX}service/priorities/{}", prio[0])}},
        "source": reference(3, "Internal", "source_href"),
        "severity": "Low", "impact": "Low", "closedFlag": closed, "actualHours": 1.07,
        "dateResponded": entered, "resources": "User", "isInSla": true,
        "_info": {"lastUpdated": at(&entered, 30), "updatedBy": "User", "dateEntered": entered,
                  "enteredBy": "User", "notes_href": format!("{SANDBOX}service/tickets/{id}/notes")},
        "customFields": [{"id": 7, "caption": "Dispatch Billing Required", "type": "Text",
                          "entryMethod": "List", "numberOfDecimals": 0}]
    });
    if i % 3 != 2 {
        t["contact"] = json!({"id": 179 + c as i64, "name": person(c)});
    }
    if closed {
        t["closedDate"] = json!(at(&entered, 26));
        t["closedBy"] = json!("User");
        t["dateResolved"] = json!(at(&entered, 25));
    }
    t
}

/// id | ticket | flags (discussion, internal, resolution as `1`/`0`) | created | text
const NOTES: [&str; 3] = [
    "1546040|3186|100|2024-01-09T15:22:36Z|Tenable report did not arrive this morning; please check the scheduler.",
    "1546041|3186|010|2024-01-09T16:10:00Z|Scan policy was disabled after the upgrade. Re-enabled.",
    "1546048|3186|111|2024-01-10T09:41:06Z|rest api note internal",
];

fn note(f: &[&str]) -> Value {
    let flag = |i: usize| f[2].as_bytes().get(i) == Some(&b'1');
    let (detail, internal, resolution, created) = (flag(0), flag(1), flag(2), f[3]);
    json!({
        "id": int(f[0]), "ticketId": int(f[1]), "text": f[4..].join("|"),
        "detailDescriptionFlag": detail, "internalAnalysisFlag": internal,
        "resolutionFlag": resolution, "issueFlag": false,
        "member": {"id": 637, "identifier": "user", "name": "user",
                   "_info": {"member_href": format!("{SANDBOX}system/members/637")}},
        "dateCreated": created, "createdBy": "user",
        "internalFlag": internal, "externalFlag": detail || resolution,
        "_info": {"lastUpdated": created, "updatedBy": "user"}
    })
}

/// name | type | company | start | end (or empty) | no end | cancelled | status
const AGREEMENTS: [&str; 7] = [
    "Managed Services - Gold|Managed Services|0|2023-01-01T05:00:00Z||true|false|Active",
    "Block Hours 20|Block Time|1|2023-06-01T04:00:00Z|2024-05-31T04:00:00Z|false|false|Expired",
    "Managed Backup|Managed Services|2|2024-02-01T05:00:00Z|2026-01-31T05:00:00Z|false|false|Active",
    "Break/Fix Retainer|Retainer|3|2022-03-01T05:00:00Z|2025-02-28T05:00:00Z|false|true|Cancelled",
    "Managed Services - Silver|Managed Services|4|2023-09-01T04:00:00Z||true|false|Active",
    "Microsoft 365 Licensing|Licensing|6|2024-04-01T04:00:00Z|2025-03-31T04:00:00Z|false|false|Active",
    "Network Monitoring|Managed Services|1|2021-07-01T04:00:00Z|2023-06-30T04:00:00Z|false|false|Inactive",
];

fn agreement(i: usize) -> Value {
    let f = row(AGREEMENTS[i]);
    let c = int(f[2]) as usize;
    let mut a = json!({
        "id": 10 + i as i64, "name": f[0],
        "type": {"id": 3 + i as i64, "name": f[1],
                 "_info": {"type_href": format!("{SANDBOX}finance/agreements/types/{}", 3 + i)}},
        "company": company_ref(c),
        "contact": {"id": 179 + c as i64, "name": person(c)},
        "startDate": f[3], "noEndingDateFlag": f[5] == "true", "cancelledFlag": f[6] == "true",
        "agreementStatus": f[7], "billAmount": 1500.00 + 250.0 * i as f64,
        "applicationUnits": "Hours", "billCycle": {"id": 1, "name": "Monthly"},
        "_info": {"lastUpdated": at("2024-02-01T12:00:00Z", 24 * 30 * i as i64), "updatedBy": "user",
                  "dateEntered": f[3], "enteredBy": "user"},
        "customFields": []
    });
    if !f[4].is_empty() {
        a["endDate"] = json!(f[4]);
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
        // id | ticket | flags (discussion, internal, resolution) | created | text
        let mut notes: Vec<Value> = NOTES.iter().map(|r| note(&row(r))).collect();
        notes.extend((1..TICKETS as i64).step_by(4).map(|k| {
            let r = format!(
                "{}|{}|100|2024-02-01T10:00:00Z|Logged from the customer's e-mail.",
                1547000 + k,
                3186 + k
            );
            note(&row(&r))
        }));
        State {
            companies: (0..COMPANIES.len()).map(company).collect(),
            contacts: (0..PEOPLE.len()).map(contact).collect(),
            tickets: (0..TICKETS).map(ticket).collect(),
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

/// The routes under the API root, over the fake's state.
struct Fake {
    state: Arc<Mutex<State>>,
    /// Forward-only lists: `pageId` is "id greater than", the next page in
    /// `Link` (empty on the last page).
    forward: Paged,
    /// Navigable lists: `page` from 1, `Link` with `next` and `last`.
    navigable: Paged,
}

impl Fake {
    fn new(state: State) -> Self {
        let forward = Paged::new(
            Vec::new(),
            PageScheme::keyset("pageId", "pageSize", "id"),
            |v: &PageView<'_>| {
                let link = v
                    .next_url
                    .as_ref()
                    .map(|u| format!("<{u}>; rel=\"next\""))
                    .unwrap_or_default();
                ok(200, json!(v.items)).insert_header("Link", link.as_str())
            },
        );
        let navigable = Paged::new(
            Vec::new(),
            PageScheme::page_number("page", "pageSize", 1),
            |v: &PageView<'_>| {
                let resp = ok(200, json!(v.items));
                let Some(next) = &v.next_url else {
                    return resp;
                };
                let base = next.rsplit_once("page=").map_or("", |(b, _)| b);
                let link = format!(
                    "<{next}>; rel=\"next\", <{base}page={}>; rel=\"last\"",
                    v.total_pages
                );
                resp.insert_header("Link", link.as_str())
            },
        );
        Fake {
            state: Arc::new(Mutex::new(state)),
            forward,
            navigable,
        }
    }

    /// One page of `items` that pass the request's `conditions`.
    fn list(&self, req: &Request, items: &[Value]) -> ResponseTemplate {
        let mut kept = Vec::new();
        let conditions = query_param(req, "conditions").unwrap_or_default();
        for item in items {
            match matches(item, &conditions) {
                Ok(true) => kept.push(item.clone()),
                Ok(false) => {}
                Err(field) => {
                    let message = format!("Cannot find field '{field}' in conditions");
                    return error(400, "ApiFindCondition", &message);
                }
            }
        }
        kept.sort_by_key(|i| i["id"].as_i64());
        let forward_only = header_value(req, "pagination-type")
            .is_some_and(|v| v.eq_ignore_ascii_case("forward-only"));
        if forward_only && query_param(req, "page").is_none() {
            self.forward.serve(req, &kept)
        } else {
            self.navigable.serve(req, &kept)
        }
    }
}

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
        let Some(rest) = req.url.path().strip_prefix(ROOT) else {
            return error(404, "NotFound", "The requested resource was not found");
        };
        let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let one = |items: &[Value], id: &str, what: &str| match find_by_id(items, "id", id) {
            Some(v) => ok(200, v.clone()),
            None => error(404, "NotFound", &format!("{what} {id} not found")),
        };
        match (req.method.as_str(), parts.as_slice()) {
            ("GET", ["company", "companies"]) => self.list(req, &state.companies),
            ("GET", ["company", "companies", c]) => one(&state.companies, c, "company"),
            ("GET", ["company", "contacts"]) => self.list(req, &state.contacts),
            ("GET", ["finance", "agreements"]) => self.list(req, &state.agreements),
            ("GET", ["service", "tickets"]) => self.list(req, &state.tickets),
            ("GET", ["service", "tickets", t]) => one(&state.tickets, t, "Service Ticket"),
            ("GET", ["service", "tickets", t, "notes"]) => {
                if find_by_id(&state.tickets, "id", t).is_none() {
                    return error(404, "NotFound", &format!("Service Ticket {t} not found"));
                }
                let notes: Vec<Value> = state
                    .notes
                    .iter()
                    .filter(|n| n["ticketId"] == int(t))
                    .cloned()
                    .collect();
                self.list(req, &notes)
            }
            ("GET", ["service", "boards", b, "statuses"]) => match board_statuses(int(b)) {
                s if s.is_empty() => error(404, "NotFound", &format!("Board {b} not found")),
                s => self.list(req, &s),
            },
            ("POST", ["service", "tickets"]) => create_ticket(&mut state, req),
            ("PATCH", ["service", "tickets", t]) => patch_ticket(&mut state, int(t), req),
            ("POST", ["service", "tickets", t, "notes"]) => add_note(&mut state, int(t), req),
            _ => error(404, "NotFound", "The requested resource was not found"),
        }
    }
}

/// Whether `item` passes a `conditions` expression of `AND`-joined terms
/// on the fields the client filters by; `Err(field)` for any other field.
fn matches(item: &Value, conditions: &str) -> Result<bool, String> {
    for term in conditions.split(" AND ").map(str::trim) {
        let flag =
            |name: &str, want: &str| item[name].as_bool().unwrap_or(false).to_string() == want;
        let pass = if term.is_empty() {
            true
        } else if let Some(v) = term.strip_prefix("company/id=") {
            item["company"]["id"] == int(v.trim())
        } else if let Some(v) = term.strip_prefix("closedFlag=") {
            flag("closedFlag", v.trim())
        } else if let Some(v) = term.strip_prefix("detailDescriptionFlag=") {
            flag("detailDescriptionFlag", v.trim())
        } else if let Some(v) = term.strip_prefix("lastUpdated >=") {
            // Dates are written in square brackets: `lastUpdated >= [2024-03-05T06:07:08Z]`.
            let since = v.trim().strip_prefix('[').and_then(|v| v.strip_suffix(']'));
            let since = since.and_then(parse_instant).ok_or("lastUpdated")?;
            item["_info"]["lastUpdated"]
                .as_str()
                .and_then(parse_instant)
                .is_some_and(|at| at >= since)
        } else {
            let field = term.split(['=', ' ', '<', '>']).next().unwrap_or(term);
            return Err(field.to_owned());
        };
        if !pass {
            return Ok(false);
        }
    }
    Ok(true)
}

fn invalid(resource: &str, code: &str, message: &str, field: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({
        "code": "InvalidObject", "message": format!("{resource} object is invalid"),
        "errors": [{"code": code, "message": message, "resource": resource, "field": field}]
    }))
}

fn next_id(items: &[Value], floor: i64) -> i64 {
    items
        .iter()
        .filter_map(|t| t["id"].as_i64())
        .fold(floor, i64::max)
        + 1
}

/// `POST /service/tickets`: on the board asked for (else the first), in its
/// default status; `initialDescription` becomes the first note.
fn create_ticket(state: &mut State, req: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
    let company = state
        .companies
        .iter()
        .position(|c| c["id"] == body["company"]["id"]);
    let Some(company) = company else {
        let message = format!("company {} not found", body["company"]["id"]);
        return invalid("ticket", "NotFound", &message, "company/id");
    };
    let board = &body["board"];
    let defaults: Vec<_> = STATUSES
        .iter()
        .map(|r| row(r))
        .filter(|f| f[6] == "true")
        .collect();
    let at = defaults
        .iter()
        .position(|f| board["id"] == int(f[0]) || board["name"] == f[1]);
    let f = &defaults[at.unwrap_or(0)];
    let (id, now) = (next_id(&state.tickets, 3185), stamp(Utc::now()));
    let mut t = json!({
        "id": id, "summary": body["summary"], "recordType": "ServiceTicket",
        "board": {"id": int(f[0]), "name": f[1]}, "status": status_ref(int(f[0]), int(f[2]), f[3]),
        "company": company_ref(company), "closedFlag": false, "severity": "Medium",
        "_info": {"lastUpdated": now, "updatedBy": "example+api", "dateEntered": now}
    });
    for key in ["contact", "priority", "status"]
        .into_iter()
        .filter(|k| !body[k].is_null())
    {
        t[key] = body[key].clone();
    }
    if let Some(text) = body["initialDescription"].as_str() {
        let r = format!("{}|{id}|100|{now}|{text}", 1548000 + id);
        state.notes.push(note(&row(&r)));
    }
    state.tickets.push(t.clone());
    ok(201, t)
}

/// `PATCH /service/tickets/{id}`: `replace` operations; a status must be one
/// of the ticket's board, and a closing one closes the ticket.
fn patch_ticket(state: &mut State, id: i64, req: &Request) -> ResponseTemplate {
    let Some(i) = state.tickets.iter().position(|t| t["id"] == id) else {
        return error(404, "NotFound", &format!("Service Ticket {id} not found"));
    };
    let ops: Vec<Value> = serde_json::from_slice(&req.body).unwrap_or_default();
    let t = &mut state.tickets[i];
    let board = t["board"]["id"].as_i64().unwrap_or_default();
    for op in ops {
        let path = op["path"].as_str().unwrap_or("").trim_start_matches('/');
        let statuses = board_statuses(board);
        if path != "status" {
            t[path] = op["value"].clone();
        } else if let Some(s) = statuses.iter().find(|s| s["id"] == op["value"]["id"]) {
            t["status"] = status_ref(
                board,
                int(&s["id"].to_string()),
                s["name"].as_str().unwrap_or(""),
            );
            t["closedFlag"] = s["closedStatus"].clone();
        } else {
            let message = format!("status {} not found on board {board}", op["value"]["id"]);
            return invalid("ticket", "NotFound", &message, "status/id");
        }
    }
    t["_info"]["lastUpdated"] = json!(stamp(Utc::now()));
    if t["closedFlag"] == true {
        t["closedDate"] = t["_info"]["lastUpdated"].clone();
    }
    ok(200, t.clone())
}

/// `POST /service/tickets/{id}/notes`: at least one of the three flags must be set.
fn add_note(state: &mut State, ticket: i64, req: &Request) -> ResponseTemplate {
    if !state.tickets.iter().any(|t| t["id"] == ticket) {
        return error(
            404,
            "NotFound",
            &format!("Service Ticket {ticket} not found"),
        );
    }
    let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
    let keys = [
        "detailDescriptionFlag",
        "internalAnalysisFlag",
        "resolutionFlag",
    ];
    let flags: String = keys
        .iter()
        .map(|k| if body[k] == true { '1' } else { '0' })
        .collect();
    if flags == "000" {
        let message = "At least one of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true";
        return invalid("ticketNote", "Required", message, keys[0]);
    }
    let (id, now) = (next_id(&state.notes, 1546000), stamp(Utc::now()));
    let text = body["text"].as_str().unwrap_or_default();
    let n = note(&row(&format!("{id}|{ticket}|{flags}|{now}|{text}")));
    state.notes.push(n.clone());
    ok(201, n)
}
