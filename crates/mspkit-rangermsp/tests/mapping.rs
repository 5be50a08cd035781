//! Mapping, every normalized field checked.
//!
//! No response sample of any RangerMSP HTTP API is public (see the
//! provider's docs page). The fixtures in `fixtures/` therefore carry the
//! property names of RangerMSP's .NET objects as a third-party integration
//! reads them (`AccountREC_ID`, `CompanyName`, `TicketREC_ID`,
//! `Status_Text`, `RelLinkREC_ID`, ...), with the 20-character ids and
//! `dd/mm/yyyy` dates RangerMSP uses, in the envelope this crate assumes;
//! one record of each list uses camelCase keys. They prove the mapping,
//! not the server's shape. The same records with their keys spelled in
//! other casings (UPPER, lower, PascalCase, camelCase, snake_case) must map
//! to the same values.

// Test helpers panic by design: a failed read is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    Agreement, Company, Contact, ErrorKind, Id, ListQuery, NewNote, NewTicket, PriorityLevel,
    Provider, PsaClient, Ticket, TicketNote, TicketQuery, TicketState,
};
use mspkit_rangermsp::RangerMspClient;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let text = match name {
        "companies_list" => include_str!("fixtures/companies_list.json"),
        "contacts_list" => include_str!("fixtures/contacts_list.json"),
        "tickets_list" => include_str!("fixtures/tickets_list.json"),
        "ticket" => include_str!("fixtures/ticket.json"),
        "history_notes" => include_str!("fixtures/history_notes.json"),
        "contracts_list" => include_str!("fixtures/contracts_list.json"),
        other => panic!("no fixture {other}"),
    };
    serde_json::from_str(text).unwrap()
}

fn at(s: &str) -> Option<DateTime<Utc>> {
    Some(s.parse().unwrap())
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A server answering `verb p` with `body`, and clients of it.
struct Fake {
    server: MockServer,
}

impl Fake {
    async fn new() -> Self {
        Fake {
            server: MockServer::start().await,
        }
    }

    async fn on(&self, verb: &str, p: &str, status: u16, body: Value) {
        Mock::given(method(verb))
            .and(path(p))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    fn client(&self, keep_raw: bool) -> RangerMspClient {
        RangerMspClient::builder()
            .base_url(format!("{}/api/v1", self.server.uri()))
            .api_key("k")
            .allow_insecure_http()
            .keep_raw(keep_raw)
            .build()
            .unwrap()
    }
}

#[tokio::test]
async fn accounts_become_companies() {
    let f = Fake::new().await;
    f.on("GET", "/api/v1/companies", 200, fixture("companies_list"))
        .await;
    let all: Vec<_> = f
        .client(true)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);

    let c = &all[0];
    assert_eq!(c.id, Id::from("CRD00000000000000001"));
    assert_eq!(c.provider, Provider::RangerMsp);
    assert_eq!(c.name, "Northwind Accounting");
    assert_eq!(c.identifier.as_deref(), Some("01001"));
    assert_eq!(c.phone.as_deref(), Some("0113 496 0000"), "Phone1 is blank");
    assert_eq!(c.website.as_deref(), Some("https://www.northwind.example"));
    let a = c.address.as_ref().unwrap();
    assert_eq!(a.line1.as_deref(), Some("12 High Street"));
    assert_eq!(a.line2.as_deref(), Some("Unit 4, Riverside Park"));
    assert_eq!(a.city.as_deref(), Some("Leeds"));
    assert_eq!(a.region.as_deref(), Some("West Yorkshire"));
    assert_eq!(a.postal_code.as_deref(), Some("LS1 4AP"));
    assert_eq!(a.country.as_deref(), Some("United Kingdom"));
    assert_eq!(c.active, Some(true));
    assert_eq!(c.created_at, at("2023-02-14T10:15:00Z"));
    assert_eq!(c.updated_at, at("2024-03-06T09:41:00Z"));
    let raw = c.raw.as_ref().unwrap();
    assert_eq!(raw["AccountManager"], "Sam Carter");
    assert_eq!(raw["Notes"], "Key holder: Dana");

    // camelCase keys, a number for the account number, no company name.
    let c = &all[1];
    assert_eq!(c.id, Id::from("CRD00000000000000002"));
    assert_eq!(c.name, "Walk-in Customer");
    assert_eq!(c.identifier.as_deref(), Some("1002"));
    assert_eq!(c.phone.as_deref(), Some("020 7946 0002"));
    assert_eq!(c.website, None);
    assert_eq!(c.address, None);
    assert_eq!(c.active, Some(false));
    assert_eq!(c.created_at, at("2022-01-01T00:00:00Z"));
    assert_eq!(c.updated_at, None);
}

#[tokio::test]
async fn one_account_and_raw_off_by_default() {
    let f = Fake::new().await;
    let body = json!({"data": fixture("companies_list")["data"][0].clone()});
    f.on("GET", "/api/v1/companies/CRD00000000000000001", 200, body)
        .await;
    let c = f
        .client(false)
        .company(&Id::from("CRD00000000000000001"))
        .await
        .unwrap();
    assert_eq!(c.name, "Northwind Accounting");
    assert_eq!(c.raw, None);
}

#[tokio::test]
async fn secondary_contacts_become_contacts() {
    let f = Fake::new().await;
    f.on("GET", "/api/v1/contacts", 200, fixture("contacts_list"))
        .await;
    let all: Vec<_> = f
        .client(false)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let c = &all[0];
    assert_eq!(c.id, Id::from("CRD00000000000005001"));
    assert_eq!(c.provider, Provider::RangerMsp);
    assert_eq!(c.company_id, Some(Id::from("CRD00000000000000001")));
    assert_eq!(c.first_name.as_deref(), Some("Priya"));
    assert_eq!(c.last_name.as_deref(), Some("Shah"));
    assert_eq!(c.email.as_deref(), Some("priya.shah@northwind.example"));
    assert_eq!(c.phone.as_deref(), Some("07700 900123"));
    assert_eq!(c.title.as_deref(), Some("Bookkeeper"));
    assert_eq!(c.active, Some(true));
    assert_eq!(c.created_at, at("2023-04-03T08:00:00Z"));
    assert_eq!(c.updated_at, at("2024-03-02T17:05:00Z"));

    let c = &all[1];
    assert_eq!(c.company_id, Some(Id::from("CRD00000000000000001")));
    assert_eq!(c.first_name.as_deref(), Some("Mary Ann"));
    assert_eq!(c.last_name.as_deref(), Some("Lee"));
    assert_eq!(c.email, None);
    assert_eq!(c.phone.as_deref(), Some("0113 496 0101"));
    assert_eq!(c.title, None);
    assert_eq!(c.active, None);
    assert_eq!((c.created_at, c.updated_at), (None, None));
}

#[tokio::test]
async fn tickets_map_status_priority_and_text() {
    let f = Fake::new().await;
    f.on("GET", "/api/v1/tickets", 200, fixture("tickets_list"))
        .await;
    let all: Vec<_> = f
        .client(true)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);

    let t = &all[0];
    assert_eq!(t.id, Id::from("TKT00000000000000041"));
    assert_eq!(t.provider, Provider::RangerMsp);
    assert_eq!(t.number.as_deref(), Some("0240-0141"));
    assert_eq!(t.summary, "Nightly backup failed");
    assert_eq!(
        t.description.as_deref(),
        Some("Nightly backup failed\nThe NAS job stopped at 02:10 with a disk error.")
    );
    assert_eq!(t.status.state, TicketState::Closed);
    assert_eq!(t.status.label.as_deref(), Some("Completed"));
    assert_eq!(t.status.id, Some(Id::from("1000")));
    let p = t.priority.as_ref().unwrap();
    assert_eq!(p.level, PriorityLevel::Critical);
    assert_eq!(p.label.as_deref(), Some("Urgent"));
    assert_eq!(p.id, Some(Id::from("Urgent")));
    assert_eq!(t.company_id, Some(Id::from("CRD00000000000000001")));
    assert_eq!(t.contact_id, Some(Id::from("CRD00000000000005001")));
    assert_eq!(t.assignee.as_deref(), Some("EMP00000000000000002"));
    assert_eq!(t.created_at, at("2024-03-04T08:12:00Z"));
    assert_eq!(t.updated_at, at("2024-03-06T16:45:00Z"));
    assert_eq!(t.closed_at, at("2024-03-06T16:40:00Z"));
    let raw = t.raw.as_ref().unwrap();
    assert_eq!(
        raw["Resolution"],
        "Replaced the failing disk; backup rerun."
    );
    assert_eq!(raw["EstimatedDurationTime"], 200);

    let t = &all[1];
    assert_eq!(t.id, Id::from("TKT00000000000000042"));
    assert_eq!(t.summary, "VPN drops every hour");
    assert_eq!(t.description.as_deref(), Some("VPN drops every hour"));
    assert_eq!(t.status.state, TicketState::Waiting);
    assert_eq!(t.status.id, Some(Id::from("300")));
    assert_eq!(t.status.label.as_deref(), Some("Waiting for Customer"));
    let p = t.priority.as_ref().unwrap();
    assert_eq!(p.level, PriorityLevel::Other);
    assert_eq!(
        (p.label.as_deref(), p.id.clone()),
        (None, Some(Id::from("30")))
    );
    assert_eq!(t.company_id, Some(Id::from("CRD00000000000000002")));
    assert_eq!((t.contact_id.clone(), t.assignee.clone()), (None, None));
    assert_eq!(t.created_at, at("2024-03-05T06:07:08Z"));
    assert_eq!(t.updated_at, at("2024-03-05T11:30:00Z"));
    assert_eq!(t.closed_at, None);
}

#[tokio::test]
async fn one_ticket_in_progress() {
    let f = Fake::new().await;
    f.on(
        "GET",
        "/api/v1/tickets/TKT00000000000000043",
        200,
        fixture("ticket"),
    )
    .await;
    let t = f
        .client(false)
        .ticket(&Id::from("TKT00000000000000043"))
        .await
        .unwrap();
    assert_eq!(t.summary, "New starter laptop setup");
    assert_eq!(t.status.state, TicketState::InProgress);
    assert_eq!(t.priority.unwrap().level, PriorityLevel::Medium);
    assert_eq!(t.contact_id, None);
    assert_eq!(t.assignee.as_deref(), Some("EMP00000000000000001"));
    assert_eq!(t.updated_at, at("2024-03-07T10:20:00Z"));
}

#[tokio::test]
async fn history_notes_become_internal_notes() {
    let f = Fake::new().await;
    f.on(
        "GET",
        "/api/v1/tickets/TKT00000000000000041/notes",
        200,
        fixture("history_notes"),
    )
    .await;
    let ticket = Id::from("TKT00000000000000041");
    let all: Vec<_> = f
        .client(false)
        .ticket_notes(&ticket)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let n = &all[0];
    assert_eq!(n.id, Id::from("HIS00000000000004101"));
    assert_eq!(n.provider, Provider::RangerMsp);
    assert_eq!(n.ticket_id, ticket);
    assert_eq!(n.text, "Called the customer, remote session booked.");
    assert!(n.internal);
    assert_eq!(n.author.as_deref(), Some("Sam Carter"));
    assert_eq!(n.created_at, at("2024-03-04T08:30:00Z"));
    let n = &all[1];
    assert_eq!(n.id, Id::from("HIS00000000000004102"));
    assert_eq!(
        n.ticket_id, ticket,
        "the ticket asked for when the note names none"
    );
    assert_eq!(n.text, "Disk replaced.");
    assert_eq!(n.author, None);
    assert_eq!(n.created_at, at("2024-03-06T16:40:00Z"));
}

#[tokio::test]
async fn contracts_become_agreements() {
    let f = Fake::new().await;
    f.on("GET", "/api/v1/contracts", 200, fixture("contracts_list"))
        .await;
    let all: Vec<_> = f
        .client(false)
        .agreements(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let a = &all[0];
    assert_eq!(a.id, Id::from("CTR00000000000000003"));
    assert_eq!(a.provider, Provider::RangerMsp);
    assert_eq!(a.company_id, Some(Id::from("CRD00000000000000001")));
    assert_eq!(a.name, "Managed Services - Gold");
    assert_eq!(a.kind.as_deref(), Some("Global"));
    assert_eq!(a.starts_on, day(2023, 4, 1));
    assert_eq!(a.ends_on, day(2099, 3, 31));
    assert_eq!(a.active, Some(true));
    let a = &all[1];
    assert_eq!(a.kind.as_deref(), Some("Block of Time"));
    assert_eq!(
        (a.starts_on, a.ends_on),
        (day(2022, 1, 1), day(2022, 12, 31))
    );
    assert_eq!(a.active, Some(false), "ended");
    let a = &all[2];
    assert_eq!(a.name, "Contract CTR00000000000000005");
    assert_eq!((a.company_id.clone(), a.kind.clone()), (None, None));
    assert_eq!((a.starts_on, a.ends_on), (day(2024, 1, 1), None));
    assert_eq!(a.active, Some(true), "started, no end, no status");
}

#[tokio::test]
async fn writes_read_back_what_the_server_answers() {
    let f = Fake::new().await;
    f.on("POST", "/api/v1/tickets", 201, fixture("ticket"))
        .await;
    f.on(
        "POST",
        "/api/v1/tickets/TKT00000000000000043/notes",
        201,
        json!({"data": fixture("history_notes")["data"][0].clone()}),
    )
    .await;
    let c = f.client(false);
    let t = c
        .create_ticket(NewTicket::new("New starter laptop setup").company("CRD00000000000000001"))
        .await
        .unwrap();
    assert_eq!(t.id, Id::from("TKT00000000000000043"));
    assert_eq!(t.status.state, TicketState::InProgress);
    let n = c
        .add_ticket_note(&Id::from("TKT00000000000000043"), NewNote::internal("x"))
        .await
        .unwrap();
    assert_eq!(n.id, Id::from("HIS00000000000004101"));
    assert_eq!(
        n.ticket_id,
        Id::from("TKT00000000000000041"),
        "as the server says"
    );
}

// ---- keys in any casing ----------------------------------------------------

/// How a JSON layer in front of RangerMSP's .NET objects may spell their
/// property names.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Casing {
    /// As the fixture has it.
    AsSent,
    /// `ACCOUNTREC_ID`
    Upper,
    /// `accountrec_id`
    Lower,
    /// `AccountRecId`
    Pascal,
    /// `accountREC_ID`: .NET's camelCase policy, which lowers only the
    /// leading capitals.
    DotNetCamel,
    /// `accountRecId`
    Camel,
    /// `account_rec_id`
    Snake,
}

const CASINGS: [Casing; 7] = [
    Casing::AsSent,
    Casing::Upper,
    Casing::Lower,
    Casing::Pascal,
    Casing::DotNetCamel,
    Casing::Camel,
    Casing::Snake,
];

/// A key's words: split at underscores, after a lower-case letter or digit
/// followed by a capital, and before the last capital of a run followed by
/// a lower-case letter (`RelLinkREC_ID` → `Rel Link REC ID`).
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in key.split('_').filter(|p| !p.is_empty()) {
        let c: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for i in 0..c.len() {
            let starts = i > 0
                && c[i].is_ascii_uppercase()
                && (!c[i - 1].is_ascii_uppercase()
                    || c.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
            if starts && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c[i]);
        }
        out.push(word);
    }
    out
}

fn capitalized(w: &str) -> String {
    let lower = w.to_ascii_lowercase();
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn recase(key: &str, casing: Casing) -> String {
    match casing {
        Casing::AsSent => key.to_owned(),
        Casing::Upper => key.to_ascii_uppercase(),
        Casing::Lower => key.to_ascii_lowercase(),
        Casing::Pascal => words(key).iter().map(|w| capitalized(w)).collect(),
        Casing::DotNetCamel => {
            let c: Vec<char> = key.chars().collect();
            let mut out = String::new();
            let mut leading = true;
            for i in 0..c.len() {
                let next_lower = c.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                leading = leading && c[i].is_ascii_uppercase() && !(i > 0 && next_lower);
                out.push(if leading {
                    c[i].to_ascii_lowercase()
                } else {
                    c[i]
                });
            }
            out
        }
        Casing::Camel => {
            let w = words(key);
            let mut out = w
                .first()
                .map(|f| f.to_ascii_lowercase())
                .unwrap_or_default();
            out.extend(w.iter().skip(1).map(|w| capitalized(w)));
            out
        }
        Casing::Snake => words(key)
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("_"),
    }
}

#[test]
fn the_casings_spell_rangermsp_names_as_json_layers_do() {
    let all = |key: &str| CASINGS.map(|c| recase(key, c));
    assert_eq!(
        all("AccountREC_ID"),
        [
            "AccountREC_ID",
            "ACCOUNTREC_ID",
            "accountrec_id",
            "AccountRecId",
            "accountREC_ID",
            "accountRecId",
            "account_rec_id"
        ]
    );
    assert_eq!(recase("RelLinkREC_ID", Casing::Snake), "rel_link_rec_id");
    assert_eq!(recase("Status_Text", Casing::Camel), "statusText");
    assert_eq!(recase("EmailAddress1", Casing::Snake), "email_address1");
    assert_eq!(recase("ID", Casing::DotNetCamel), "id");
    assert_eq!(recase("accountRecId", Casing::Upper), "ACCOUNTRECID");
}

/// One record with its top-level keys recased; its values as they are.
fn recased_record(record: &Value, casing: Casing) -> Value {
    let Value::Object(map) = record else {
        panic!("not a record: {record}")
    };
    let map = map
        .iter()
        .map(|(k, v)| (recase(k, casing), v.clone()))
        .collect::<serde_json::Map<_, _>>();
    assert_eq!(map.len(), record.as_object().unwrap().len(), "keys merged");
    Value::Object(map)
}

/// A fixture's body with every record's keys recased.
fn recased(body: Value, casing: Casing) -> Value {
    let mut body = body;
    let data = match body["data"].take() {
        Value::Array(records) => records.iter().map(|r| recased_record(r, casing)).collect(),
        record => recased_record(&record, casing),
    };
    body["data"] = data;
    body
}

/// Everything the client reads from every fixture, with the records' keys
/// in one casing.
#[derive(Debug, PartialEq)]
struct ReadBack {
    companies: Vec<Company>,
    company: Company,
    contacts: Vec<Contact>,
    tickets: Vec<Ticket>,
    ticket: Ticket,
    created: Ticket,
    notes: Vec<TicketNote>,
    added: TicketNote,
    agreements: Vec<Agreement>,
}

/// What the client makes of every fixture recased to `casing`. With
/// `keep_raw`, each `raw` must be the record as served, then it is cleared
/// so the values can be compared across casings.
async fn read_back(casing: Casing, keep_raw: bool) -> ReadBack {
    let f = Fake::new().await;
    let companies = recased(fixture("companies_list"), casing);
    let company = json!({"data": companies["data"][0].clone()});
    let contacts = recased(fixture("contacts_list"), casing);
    let tickets = recased(fixture("tickets_list"), casing);
    let ticket = recased(fixture("ticket"), casing);
    let notes = recased(fixture("history_notes"), casing);
    let added = json!({"data": notes["data"][0].clone()});
    let contracts = recased(fixture("contracts_list"), casing);
    f.on("GET", "/api/v1/companies", 200, companies.clone())
        .await;
    f.on(
        "GET",
        "/api/v1/companies/CRD00000000000000001",
        200,
        company,
    )
    .await;
    f.on("GET", "/api/v1/contacts", 200, contacts.clone()).await;
    f.on("GET", "/api/v1/tickets", 200, tickets.clone()).await;
    f.on(
        "GET",
        "/api/v1/tickets/TKT00000000000000043",
        200,
        ticket.clone(),
    )
    .await;
    f.on("POST", "/api/v1/tickets", 201, ticket.clone()).await;
    let notes_path = "/api/v1/tickets/TKT00000000000000041/notes";
    f.on("GET", notes_path, 200, notes.clone()).await;
    f.on("POST", notes_path, 201, added).await;
    f.on("GET", "/api/v1/contracts", 200, contracts.clone())
        .await;

    let c = f.client(keep_raw);
    let on_ticket = Id::from("TKT00000000000000041");
    let mut got = ReadBack {
        companies: c.companies(ListQuery::new()).try_collect().await.unwrap(),
        company: c.company(&Id::from("CRD00000000000000001")).await.unwrap(),
        contacts: c.contacts(ListQuery::new()).try_collect().await.unwrap(),
        tickets: c.tickets(TicketQuery::new()).try_collect().await.unwrap(),
        ticket: c.ticket(&Id::from("TKT00000000000000043")).await.unwrap(),
        created: c
            .create_ticket(NewTicket::new("New starter laptop setup"))
            .await
            .unwrap(),
        notes: c.ticket_notes(&on_ticket).try_collect().await.unwrap(),
        added: c
            .add_ticket_note(&on_ticket, NewNote::internal("x"))
            .await
            .unwrap(),
        agreements: c.agreements(ListQuery::new()).try_collect().await.unwrap(),
    };

    // Each raw is the record as the server sent it, keys unfolded.
    let served = |body: &Value, i: usize| Some(body["data"][i].clone()).filter(|_| keep_raw);
    let mut raws: Vec<(Option<Value>, Option<Value>)> = Vec::new();
    for (i, x) in got.companies.iter_mut().enumerate() {
        raws.push((x.raw.take(), served(&companies, i)));
    }
    raws.push((got.company.raw.take(), served(&companies, 0)));
    for (i, x) in got.contacts.iter_mut().enumerate() {
        raws.push((x.raw.take(), served(&contacts, i)));
    }
    for (i, x) in got.tickets.iter_mut().enumerate() {
        raws.push((x.raw.take(), served(&tickets, i)));
    }
    let one_ticket = Some(ticket["data"].clone()).filter(|_| keep_raw);
    raws.push((got.ticket.raw.take(), one_ticket.clone()));
    raws.push((got.created.raw.take(), one_ticket));
    for (i, x) in got.notes.iter_mut().enumerate() {
        raws.push((x.raw.take(), served(&notes, i)));
    }
    raws.push((got.added.raw.take(), served(&notes, 0)));
    for (i, x) in got.agreements.iter_mut().enumerate() {
        raws.push((x.raw.take(), served(&contracts, i)));
    }
    for (i, (raw, sent)) in raws.into_iter().enumerate() {
        assert_eq!(raw, sent, "{casing:?}, raw #{i}");
    }
    got
}

#[tokio::test]
async fn keys_in_every_casing_map_to_the_same_values() {
    let reference = read_back(Casing::AsSent, false).await;
    // The fixtures' own values, so that "the same" cannot mean "all empty".
    assert_eq!(reference.companies[0].name, "Northwind Accounting");
    assert_eq!(
        reference.contacts[1].first_name.as_deref(),
        Some("Mary Ann")
    );
    assert_eq!(reference.tickets[0].status.state, TicketState::Closed);
    assert_eq!(reference.tickets[1].status.id, Some(Id::from("300")));
    assert_eq!(reference.notes[1].text, "Disk replaced.");
    assert_eq!(reference.agreements[0].kind.as_deref(), Some("Global"));
    for casing in CASINGS {
        // Without raw the items decode straight from the body; with it,
        // through a JSON value first: both paths fold keys.
        for keep_raw in [false, true] {
            let got = read_back(casing, keep_raw).await;
            assert_eq!(got, reference, "{casing:?}, keep_raw {keep_raw}");
        }
    }
}

/// The first ticket of `tickets_list` with its keys in UPPER case and
/// `STATUS` holding an object, not a code.
fn upper_ticket_with_bad_status() -> Value {
    let mut t = recased_record(&fixture("tickets_list")["data"][0], Casing::Upper);
    t["STATUS"] = json!({"Code": 1000, "Text": "Completed"});
    t
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_a_decode_error_naming_the_key_as_sent() {
    let f = Fake::new().await;
    let bad = upper_ticket_with_bad_status();
    let second = recased_record(&fixture("tickets_list")["data"][1], Casing::Lower);
    f.on(
        "GET",
        "/api/v1/tickets",
        200,
        json!({"data": [second, bad.clone()], "page": 1, "limit": 100}),
    )
    .await;
    f.on(
        "GET",
        "/api/v1/tickets/TKT00000000000000041",
        200,
        json!({"data": bad}),
    )
    .await;
    let mut note = recased_record(&fixture("history_notes")["data"][0], Casing::Snake);
    note["date"] = json!("yesterday");
    f.on(
        "GET",
        "/api/v1/tickets/TKT00000000000000041/notes",
        200,
        json!({"data": [note], "page": 1, "limit": 100}),
    )
    .await;
    for keep_raw in [false, true] {
        let c = f.client(keep_raw);
        let e = c
            .tickets(TicketQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert_eq!(e.provider(), Provider::RangerMsp);
        assert_eq!(e.operation(), "tickets");
        assert_eq!(
            e.decode_path(),
            Some("data[1].STATUS"),
            "keep_raw {keep_raw}: {e}"
        );
        assert!(e.to_string().contains("integer code"), "{e}");

        let e = c
            .ticket(&Id::from("TKT00000000000000041"))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert_eq!(
            (e.provider(), e.operation()),
            (Provider::RangerMsp, "ticket")
        );
        assert_eq!(e.decode_path(), Some("data.STATUS"), "{e}");
        assert_eq!(e.target(), Some("TKT00000000000000041"));

        let e = c
            .ticket_notes(&Id::from("TKT00000000000000041"))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert_eq!(e.operation(), "ticket_notes");
        assert_eq!(e.decode_path(), Some("data[0].date"), "{e}");
        assert!(e.to_string().contains("yesterday"), "{e}");
    }
}

#[tokio::test]
async fn a_field_sent_twice_under_two_spellings_is_read_once_whatever_the_order() {
    // Text rather than `json!`, so the body's order is the server's: the
    // second spellings come before the fixture's own keys.
    let record = fixture("tickets_list")["data"][0].to_string();
    let text = format!(
        r#"{{"accountRecId":"CRD00000000000000002","status":{{"not":"read"}},{}"#,
        &record[1..]
    );
    let body = format!(r#"{{"data":[{text}],"page":1,"limit":100}}"#);
    let f = Fake::new().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&f.server)
        .await;
    for keep_raw in [false, true] {
        let all: Vec<_> = f
            .client(keep_raw)
            .tickets(TicketQuery::new())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 1);
        // `AccountREC_ID` and `Status` sort before `accountRecId` and
        // `status`: they are read, the others ignored, raw or not.
        assert_eq!(all[0].company_id, Some(Id::from("CRD00000000000000001")));
        assert_eq!(all[0].status.id, Some(Id::from("1000")));
        assert_eq!(all[0].status.state, TicketState::Closed);
        if keep_raw {
            let raw = all[0].raw.as_ref().unwrap();
            assert_eq!(raw["accountRecId"], "CRD00000000000000002");
            assert_eq!(raw["status"], json!({"not": "read"}));
        }
    }
}
