//! Mapping, every normalized field checked.
//!
//! No response sample of any RangerMSP HTTP API is public (see the
//! provider's docs page). The fixtures in `fixtures/` therefore carry the
//! property names of RangerMSP's .NET objects as a third-party integration
//! reads them (`AccountREC_ID`, `CompanyName`, `TicketREC_ID`,
//! `Status_Text`, `RelLinkREC_ID`, ...), with the 20-character ids and
//! `dd/mm/yyyy` dates RangerMSP uses, in the envelope this crate assumes;
//! one record of each list uses camelCase keys. They prove the mapping,
//! not the server's shape.

// Test helpers panic by design: a failed read is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    Id, ListQuery, NewNote, NewTicket, PriorityLevel, Provider, PsaClient, TicketQuery, TicketState,
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
