//! A fake Autotask zone for tests and the demo: the same paths
//! (`/atservicesrest/v1.0/...`), the zone look-up (no credentials), the
//! three-header check (a wrong integration code gets Autotask's 500
//! `{"errors":["IntegrationCode is invalid."]}`, a wrong user or secret a
//! bare 401), query filters, pages of `MaxRecords` linked by
//! `pageDetails.nextPageUrl` (POSTed with the query's body: a GET there is
//! a 405; [`start_refusing_next_page`] refuses a POSTed one too, for tests),
//! picklists, threshold information, ticket and note writes, and at most
//! three requests in flight per entity endpoint (Autotask's thread
//! limit; the fourth is refused). Records are the provider notes' samples
//! (tests/fixtures) with ids, names and dates varied.

mod filter;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use mspkit_testkit::{
    ConcurrencyCap, HeaderSet, PageScheme, PageView, Paged, Reply, find_by_id, mount_gate,
    query_param_ignore_case,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::AutotaskSettings;

/// The fake tenant's API user.
pub const USERNAME: &str = "api_user@acme.com";
/// That user's secret.
pub const SECRET: &str = "s3cr3t-API-user";
/// The fake integration's tracking identifier.
pub const INTEGRATION_CODE: &str = "ABCDEFGH00100244MMEEE333";

const ROOT: &str = "/atservicesrest/v1.0/";
const ZONE_LOOKUP: &str = "/atservicesrest/v1.0/zoneinformation";
/// How long the fake holds each answer, so that requests overlap as they
/// would on a real zone and the thread limit can bite.
const LATENCY: Duration = Duration::from_millis(15);

const COMPANY: &str = include_str!("../../tests/fixtures/company_query.json");
const CONTACT: &str = include_str!("../../tests/fixtures/contact.json");
const TICKET: &str = include_str!("../../tests/fixtures/ticket.json");
const TICKET_FIELDS: &str = include_str!("../../tests/fixtures/ticket_fields.json");
const NOTE_FIELDS: &str = include_str!("../../tests/fixtures/note_fields.json");
const CONTRACT_FIELDS: &str = include_str!("../../tests/fixtures/contract_fields.json");

/// Starts a fake zone holding 5 companies, 8 contacts, 12 tickets (notes on
/// two of them) and 5 contracts. Its settings name the zone; leave
/// `base_url` out and point `zone_lookup_url` at it to look the zone up.
pub async fn start() -> FakeServer<AutotaskSettings> {
    start_with(None).await
}

/// [`start`], with the `nth` next-page POST (counted from 1 over the whole
/// server) answered 405.
///
/// A test-only behaviour: Autotask is documented to refuse a next-page
/// link sent with GET, not one POSTed as the client does. It is here so
/// tests can make a link fail part-way through a list.
pub async fn start_refusing_next_page(nth: usize) -> FakeServer<AutotaskSettings> {
    start_with(Some(nth)).await
}

async fn start_with(refuse_next: Option<usize>) -> FakeServer<AutotaskSettings> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("(?i)^/atservicesrest/v1.0/zoneinformation$"))
        .respond_with(ZoneInformation(server.uri()))
        .mount(&server)
        .await;
    let code = Reply::json(500, json!({"errors": ["IntegrationCode is invalid."]}));
    let check = HeaderSet::new(Reply::empty(401))
        .header_or("apiintegrationcode", INTEGRATION_CODE, code)
        .header_ignore_case("username", USERNAME)
        .header("secret", SECRET);
    let scope = |r: &Request| {
        let path = r.url.path().to_ascii_lowercase();
        path.starts_with(&ROOT.to_ascii_lowercase()) && path != ZONE_LOOKUP
    };
    mount_gate(&server, scope, check).await;
    let state = State::new();
    let expected = state.expected();
    let throttled = Reply::json(
        429,
        json!({"errors": ["Thread limit of 3 reached for this endpoint."]}),
    );
    let capped = ConcurrencyCap::new(Fake::new(state, refuse_next), 3, LATENCY)
        .refusal(throttled)
        .keyed_by(|r| entity_of(r).unwrap_or_default());
    Mock::given(any()).respond_with(capped).mount(&server).await;
    let mut settings = AutotaskSettings::new(USERNAME, SECRET.to_owned(), INTEGRATION_CODE);
    settings.base_url = Some(format!("{}/atservicesrest", server.uri()));
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected).secrets([SECRET])
}

/// The entity endpoint a request is for (`tickets` for `/Tickets/query/next`).
fn entity_of(r: &Request) -> Option<String> {
    let path = r.url.path().to_ascii_lowercase();
    let rest = path.strip_prefix(&ROOT.to_ascii_lowercase())?;
    rest.split('/').next().map(str::to_owned)
}

/// `GET zoneInformation?user=`: this server, for the fake's user.
struct ZoneInformation(String);

impl Respond for ZoneInformation {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        match query_param_ignore_case(req, "user") {
            Some(u) if u.eq_ignore_ascii_case(USERNAME) => ResponseTemplate::new(200)
                .set_body_json(
                    json!({"zoneName": "Fake Zone", "url": format!("{}/atservicesrest/", self.0),
                                      "webUrl": format!("{}/", self.0), "ci": 0}),
                ),
            _ => errors(500, "Zone information could not be determined"),
        }
    }
}

fn errors(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "errors": [message] }))
}

fn sample(text: &str) -> Value {
    let v: Value = serde_json::from_str(text).unwrap_or_default();
    match v.get("items") {
        Some(items) => items[0].clone(),
        None => v,
    }
}

/// `sample` with `fields` set.
fn from(sample: &Value, fields: Value) -> Value {
    let mut out = sample.clone();
    if let (Some(o), Value::Object(f)) = (out.as_object_mut(), fields) {
        o.extend(f);
    }
    out
}

/// A row of `|`-separated fields.
fn row(text: &str) -> Vec<&str> {
    text.split('|').collect()
}

fn int(s: &str) -> i64 {
    s.trim().parse().unwrap_or_default()
}

const COMPANY_IDS: [i64; 5] = [29683616, 29683617, 29683618, 29683619, 29683620];
const TICKET_WITH_NOTES: i64 = 29296;

/// name | number | active | country | last activity
const COMPANIES: [&str; 5] = [
    "Sirius Cybernetics Corporation||true||2018-11-13T17:32:34",
    "Megadodo Publications|MEGA|true|1|2024-03-06T09:12:00.15",
    "Magrathea Planet Builders|MAG-01|true|23|2023-07-01T08:00:00",
    "Heart of Gold Logistics||false|1|2024-04-10T12:30:00.5",
    "Milliways Restaurant Group|MILLI|true||2022-01-15T10:00:00",
];

const PEOPLE: [&str; 8] = [
    "Gérard|Mentor",
    "Arthur|Dent",
    "Ford|Prefect",
    "Tricia|McMillan",
    "Zaphod|Beeblebrox",
    "Fenchurch|Smith",
    "Slartibartfast|Fjord",
    "Random|Dent",
];

/// title | status | priority
const TICKETS: [&str; 12] = [
    "ICT Coaching|5|2",
    "Printer on floor 2 offline|1|1",
    "New starter laptop|8|2",
    "VPN drops every hour|7|1",
    "Mailbox quota exceeded|5|3",
    "Firewall firmware update|12|2",
    "Server room temperature alarm|8|4",
    "Password reset for Ford|5|3",
    "Backup job failed|7|1",
    "Phone system reconfiguration|12|2",
    "Shared drive permissions|1|3",
    "Replace UPS battery|8|2",
];

/// id | ticket | title | publish | created | text
const NOTES: [&str; 4] = [
    "30000101|29296|Called customer|1|2024-03-01T10:00:00.12Z|Called the customer to plan the coaching session.",
    "30000102|29296|Internal|2|2024-03-02T11:30:00Z|Billing to go against the block-hours contract.",
    "30000103|29296|Completed|1|2024-03-07T09:15:00.5Z|Session delivered; closing.",
    "30000104|29299|Investigating|2|2024-03-08T08:00:00Z|VPN logs collected.",
];

/// id | company | name | type | status | start | end
const CONTRACTS: [&str; 5] = [
    "29683361|0|Managed Services 2024|7|1|2024-01-01T00:00:00|2024-12-31T00:00:00",
    "29683362|1|Block Hours 40h|4|1|2023-06-01T00:00:00|2025-05-31T00:00:00",
    "29683363|2|Time & Materials|1|0|2020-01-01T00:00:00|2022-12-31T00:00:00",
    "29683364|0|Per Ticket Support|8|1|2024-03-01T00:00:00|2025-02-28T00:00:00",
    "29683365|3|Recurring Backup|7|1|2023-11-01T00:00:00|2025-10-31T00:00:00",
];

fn companies() -> Vec<Value> {
    let base = sample(COMPANY);
    COMPANIES.iter().enumerate().map(|(i, r)| {
        let f = row(r);
        let country = (!f[3].is_empty()).then(|| int(f[3]));
        let id = COMPANY_IDS[i];
        from(&base, json!({
            "id": id, "companyName": f[0], "companyNumber": f[1], "isActive": f[2] == "true",
            "countryID": country, "lastActivityDate": f[4], "phone": format!("555-111-{:04}", id % 10000),
            "address1": country.map(|_| format!("{} Galaxy Way", id % 1000)),
            "city": if country.is_some() { "Springfield" } else { "" },
            "state": if country.is_some() { "IL" } else { "" },
            "postalCode": if country.is_some() { "62704" } else { "" },
        }))
    }).collect()
}

fn contacts() -> Vec<Value> {
    let base = sample(CONTACT);
    PEOPLE.iter().enumerate().map(|(i, r)| {
        let (f, i) = (row(r), i as i64);
        let modified = format!("2024-0{}-0{}T16:18:17.887Z", 1 + i % 5, 1 + i % 9);
        from(&base, json!({
            "id": 30682885 + i, "companyID": COMPANY_IDS[(i % 5) as usize], "firstName": f[0],
            "lastName": f[1], "isActive": i64::from(i != 5), "lastActivityDate": modified,
            "lastModifiedDate": modified, "emailAddress": format!("{}@example.com", f[0].to_lowercase()),
            "primaryContact": i % 2 == 1,
        }))
    }).collect()
}

/// Ticket `n` like the sample; `createDate` and activity move on per ticket.
fn ticket(base: &Value, n: i64, title: &str, status: i64, priority: i64) -> Value {
    let complete = status == 5;
    let activity = format!("2024-03-{:02}T09:15:52.407Z", 1 + n * 2);
    from(
        base,
        json!({
            "id": TICKET_WITH_NOTES + n, "title": title, "status": status, "priority": priority,
            "companyID": COMPANY_IDS[(n % 5) as usize], "contactID": 30682885 + n % 8,
            "assignedResourceID": if n % 3 == 0 { Value::Null } else { json!(29682899) },
            "ticketNumber": format!("T202402{:02}.{:04}.051", 1 + n, 46 + n),
            "createDate": format!("2024-02-{:02}T09:40:14.113Z", 1 + n),
            "lastActivityDate": activity,
            "lastTrackedModificationDateTime": format!("2024-02-{:02}T09:40:14.113Z", 1 + n),
            "description": if n % 4 == 0 { Value::Null } else { json!(format!("{title}: details from the customer.")) },
            "completedDate": if complete { json!(activity) } else { Value::Null },
            "resolvedDateTime": if complete { json!("2024-03-06T16:10:00Z") } else { Value::Null },
        }),
    )
}

fn note(f: &[&str]) -> Value {
    json!({
        "id": int(f[0]), "ticketID": int(f[1]), "title": f[2], "publish": int(f[3]),
        "createDateTime": f[4], "lastActivityDate": f[4], "description": f[5..].join("|"),
        "creatorResourceID": 29682899, "noteType": 1,
        "impersonatorCreatorResourceID": null, "impersonatorUpdaterResourceID": null,
    })
}

fn contract(f: &[&str]) -> Value {
    let id = int(f[0]);
    json!({
        "id": id, "companyID": COMPANY_IDS[int(f[1]) as usize], "contractName": f[2],
        "contractNumber": format!("C-{id}"), "contractType": int(f[3]), "status": int(f[4]),
        "startDate": f[5], "endDate": f[6], "contractCategory": 1, "contractPeriodType": "m",
        "billingPreference": 1, "isDefaultContract": id % 2 == 1, "estimatedRevenue": 1200.0,
        "description": "", "serviceLevelAgreementID": null, "userDefinedFields": []
    })
}

fn resources() -> Vec<Value> {
    let r = |id: i64, first: &str, last: &str, user: &str| {
        json!({"id": id, "email": format!("{user}@acme.com"), "firstName": first, "lastName": last,
               "isActive": true, "resourceType": "Employee", "title": "Engineer", "userName": user,
               "userType": 1, "licenseType": 1, "userDefinedFields": []})
    };
    vec![
        r(4, "Administrator", "", "admin"),
        r(29682885, "Marvin", "Android", "marvin"),
        r(29682899, "Trillian", "Astra", "trillian"),
    ]
}

fn countries() -> Vec<Value> {
    let c = |id: i64, code: &str, display: &str| {
        json!({"id": id, "addressFormatID": 1, "countryCode": code, "displayName": display,
               "isActive": true, "isDefaultCountry": id == 1, "name": display.to_uppercase()})
    };
    vec![c(1, "US", "United States"), c(23, "BE", "Belgium")]
}

/// What the fake holds, by lower-cased entity name.
struct State {
    records: Vec<(&'static str, Vec<Value>)>,
}

impl State {
    fn new() -> Self {
        let base = sample(TICKET);
        let tickets = TICKETS.iter().enumerate().map(|(n, r)| {
            let f = row(r);
            ticket(&base, n as i64, f[0], int(f[1]), int(f[2]))
        });
        State {
            records: vec![
                ("companies", companies()),
                ("contacts", contacts()),
                ("tickets", tickets.collect()),
                ("ticketnotes", NOTES.iter().map(|r| note(&row(r))).collect()),
                (
                    "contracts",
                    CONTRACTS.iter().map(|r| contract(&row(r))).collect(),
                ),
                ("resources", resources()),
                ("countries", countries()),
            ],
        }
    }

    fn records(&mut self, entity: &str) -> Option<&mut Vec<Value>> {
        let found = self.records.iter_mut().find(|(name, _)| *name == entity);
        found.map(|(_, records)| records)
    }

    fn expected(&self) -> Expected {
        let count = |entity: &str| {
            let found = self.records.iter().find(|(name, _)| *name == entity);
            found.map(|(_, r)| r.len())
        };
        let mut e = Expected::new();
        e.companies = count("companies");
        e.contacts = count("contacts");
        e.tickets = count("tickets");
        e.agreements = count("contracts");
        e.company_id = Some(COMPANY_IDS[1].into());
        let notes = NOTES.iter().filter(|r| int(row(r)[1]) == TICKET_WITH_NOTES);
        e.ticket_with_notes = Some((TICKET_WITH_NOTES.into(), notes.count()));
        e
    }
}

struct Fake {
    state: Arc<Mutex<State>>,
    /// Pages of `MaxRecords` in id order; the next page's URL is
    /// `{Entity}/query/next?paging={...}` (as Autotask's), POSTed with the
    /// query's body.
    pages: Paged,
    /// Which next-page POST to answer 405 ([`start_refusing_next_page`]).
    refuse_next: Option<usize>,
    next_posts: AtomicUsize,
}

impl Fake {
    fn new(state: State, refuse_next: Option<usize>) -> Self {
        let pages = Paged::new(
            Vec::new(),
            PageScheme::next_url("paging", "MaxRecords", 1),
            |v: &PageView<'_>| {
                let next = v.next_url.as_ref().map(|u| {
                    // `/Tickets/query?...` pages on as `/Tickets/query/next?...`.
                    let (path, rest) = u.split_once('?').unwrap_or((u, ""));
                    let path = path.trim_end_matches("/next");
                    format!("{path}/next?{rest}")
                });
                ResponseTemplate::new(200).set_body_json(json!({
                    "items": v.items,
                    "pageDetails": {"count": v.items.len(), "requestCount": v.page_size,
                                    "prevPageUrl": null, "nextPageUrl": next}
                }))
            },
        )
        .default_size(500)
        .max_size(500)
        // Autotask's `paging=` is an opaque token: a client cannot make up
        // the next page, it has to follow the link.
        .opaque_links();
        Fake {
            state: Arc::new(Mutex::new(state)),
            pages,
            refuse_next,
            next_posts: AtomicUsize::new(0),
        }
    }
}

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let path = req.url.path().to_ascii_lowercase();
        let Some(rest) = path.strip_prefix(&ROOT.to_ascii_lowercase()) else {
            return ResponseTemplate::new(404);
        };
        let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
        match (req.method.as_str(), parts.as_slice()) {
            ("GET", ["thresholdinformation"]) => ResponseTemplate::new(200).set_body_json(json!({
                "externalRequestThreshold": 10000, "requestThresholdTimeframe": 60,
                "currentTimeframeRequestCount": 42
            })),
            ("GET", [entity, "entityinformation", "fields"]) => {
                let fields = match *entity {
                    "tickets" => TICKET_FIELDS,
                    "ticketnotes" => NOTE_FIELDS,
                    "contracts" => CONTRACT_FIELDS,
                    _ => r#"{"fields": []}"#,
                };
                ResponseTemplate::new(200).set_body_raw(fields, "application/json")
            }
            // The next page of a query is POSTed with the query's body.
            ("GET", [_, "query", "next"]) => errors(
                405,
                "The requested resource does not support http method 'GET'.",
            ),
            ("POST", [_, "query", "next"])
                if self.refuse_next == Some(self.next_posts.fetch_add(1, Ordering::SeqCst) + 1) =>
            {
                errors(
                    405,
                    "The requested resource does not support http method 'POST'.",
                )
            }
            ("POST", [entity, "query"] | [entity, "query", "next"]) => {
                let Some(records) = state.records(entity) else {
                    return ResponseTemplate::new(404);
                };
                let filter = body["filter"].as_array().cloned().unwrap_or_default();
                if filter.is_empty() {
                    return errors(500, "A filter is required.");
                }
                let mut kept: Vec<Value> = records
                    .iter()
                    .filter(|r| filter::passes(r, &filter))
                    .cloned()
                    .collect();
                kept.sort_by_key(|r| r["id"].as_i64());
                // `MaxRecords` travels in the body; the paging scheme reads it from the query.
                let mut req = req.clone();
                if let Some(size) = body["MaxRecords"].as_u64() {
                    req.url
                        .query_pairs_mut()
                        .append_pair("MaxRecords", &size.to_string());
                }
                self.pages.serve(&req, &kept)
            }
            ("GET", [entity, id]) => match state.records(entity) {
                Some(records) => {
                    let item = find_by_id(records, "id", id).cloned();
                    ResponseTemplate::new(200).set_body_json(json!({ "item": item }))
                }
                None => ResponseTemplate::new(404),
            },
            ("POST" | "PATCH", ["tickets"]) => {
                let Some(tickets) = state.records("tickets") else {
                    return ResponseTemplate::new(404);
                };
                let blank = |_| ticket(&sample(TICKET), 0, "", 1, 2);
                write(tickets, body, req.method.as_str() == "POST", blank)
            }
            ("POST", ["tickets", ticket, "notes"]) => {
                let ticket = int(ticket);
                let mut body = body;
                body["ticketID"] = json!(ticket);
                let Some(notes) = state.records("ticketnotes") else {
                    return ResponseTemplate::new(404);
                };
                write(notes, body, true, |id| {
                    note(&row(&format!("{id}|{ticket}||1|2024-03-09T10:00:00Z|")))
                })
            }
            _ => ResponseTemplate::new(404),
        }
    }
}

/// A create (a new record from `blank`, the body's fields over it) or an
/// update (the body's fields over the record its `id` names): `{"itemId": N}`.
fn write(
    records: &mut Vec<Value>,
    body: Value,
    create: bool,
    blank: impl Fn(i64) -> Value,
) -> ResponseTemplate {
    let Value::Object(fields) = body else {
        return errors(500, "Unable to parse the request body.");
    };
    let id = if create {
        let last = records.iter().filter_map(|r| r["id"].as_i64()).max();
        last.unwrap_or(0) + 1
    } else {
        fields.get("id").and_then(Value::as_i64).unwrap_or_default()
    };
    if create {
        let mut record = blank(id);
        record["id"] = json!(id);
        records.push(record);
    }
    let Some(record) = records.iter_mut().find(|r| r["id"] == id) else {
        return errors(500, "The record does not exist.");
    };
    if let Some(r) = record.as_object_mut() {
        r.extend(fields);
        r.insert("id".into(), json!(id));
    }
    ResponseTemplate::new(200).set_body_json(json!({ "itemId": id }))
}
