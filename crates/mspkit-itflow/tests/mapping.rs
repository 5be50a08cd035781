//! Mapping of the sample payloads in the provider notes (`tests/fixtures/`,
//! verbatim: the envelopes and error bodies are exact, the row values are
//! synthesized from ITFlow's `db.sql` columns), read through the client
//! from a server answering with them, every normalized field checked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    ErrorKind, Id, ListQuery, PriorityLevel, Provider, PsaClient, TicketQuery, TicketState,
};
use mspkit_itflow::ItFlowClient;
use serde_json::Value;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn at(s: &str) -> Option<DateTime<Utc>> {
    Some(s.parse().unwrap())
}

/// A server answering each endpoint with its sample; reads by id of
/// anything else answer "No resource".
async fn server() -> MockServer {
    let server = MockServer::start().await;
    let ok = |name: &str| ResponseTemplate::new(200).set_body_json(fixture(name));
    let single = [
        ("tickets/read.php", "ticket_id", "311", "ticket_read_311"),
        ("contacts/read.php", "contact_id", "19", "contact_read_19"),
    ];
    for (file, param, id, name) in single {
        Mock::given(method("GET"))
            .and(path(format!("/api/v1/{file}")))
            .and(query_param(param, id))
            .respond_with(ok(name))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    for (file, param) in [
        ("tickets/read.php", "ticket_id"),
        ("contacts/read.php", "contact_id"),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/api/v1/{file}")))
            .and(wiremock::matchers::query_param_contains(param, ""))
            .respond_with(ok("no_resource"))
            .with_priority(2)
            .mount(&server)
            .await;
    }
    let lists = [
        ("clients/read.php", "clients_read"),
        ("locations/read.php", "no_resource"),
        ("contacts/read.php", "contact_read_19"),
        ("tickets/read.php", "tickets_read"),
        ("ticket_replies/read.php", "ticket_replies_read_311"),
    ];
    for (file, name) in lists {
        Mock::given(method("GET"))
            .and(path(format!("/api/v1/{file}")))
            .respond_with(ok(name))
            .with_priority(5)
            .mount(&server)
            .await;
    }
    server
}

fn client(server: &MockServer, keep_raw: bool) -> ItFlowClient {
    ItFlowClient::builder()
        .base_url(server.uri())
        .api_key("AbC123xyz")
        .allow_insecure_http()
        .keep_raw(keep_raw)
        .build()
        .unwrap()
}

#[tokio::test]
async fn clients_map_to_companies() {
    let server = server().await;
    let c = client(&server, true);
    let companies: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(companies.len(), 2);
    let contoso = &companies[0];
    assert_eq!(contoso.id.as_str(), "7");
    assert_eq!(contoso.provider, Provider::ItFlow);
    assert_eq!(contoso.name, "Contoso Dental");
    assert_eq!(contoso.identifier.as_deref(), Some("CD"));
    assert_eq!(contoso.website.as_deref(), Some("contosodental.example"));
    // No location in this sample: no phone, no address.
    assert_eq!(contoso.phone, None);
    assert_eq!(contoso.address, None);
    assert_eq!(contoso.active, Some(true));
    assert_eq!(contoso.created_at, at("2025-03-02T10:14:55Z"));
    assert_eq!(contoso.updated_at, at("2025-06-11T08:02:31Z"));
    assert_eq!(
        contoso.raw.as_ref(),
        Some(&fixture("clients_read")["data"][0])
    );

    let fabrikam = &companies[1];
    assert_eq!(fabrikam.id.as_str(), "8");
    assert_eq!(fabrikam.name, "Fabrikam Legal");
    assert_eq!(fabrikam.identifier.as_deref(), Some("FL"));
    assert_eq!(fabrikam.website, None);
    assert_eq!(fabrikam.active, Some(true));
    assert_eq!(fabrikam.created_at, at("2025-04-19T16:40:03Z"));
    // Never updated: the creation is the last change.
    assert_eq!(fabrikam.updated_at, at("2025-04-19T16:40:03Z"));
}

#[tokio::test]
async fn contacts_map_with_their_name_split() {
    let server = server().await;
    let c = client(&server, false);
    let contacts: Vec<_> = c.contacts(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(contacts.len(), 1);
    let ana = &contacts[0];
    assert_eq!(ana.id.as_str(), "19");
    assert_eq!(ana.provider, Provider::ItFlow);
    assert_eq!(ana.company_id.as_ref().map(Id::as_str), Some("7"));
    assert_eq!(ana.first_name.as_deref(), Some("Ana"));
    assert_eq!(ana.last_name.as_deref(), Some("Lopez"));
    assert_eq!(ana.email.as_deref(), Some("ana@contosodental.example"));
    assert_eq!(ana.phone.as_deref(), Some("+1 5550100"));
    assert_eq!(ana.title.as_deref(), Some("Office Manager"));
    assert_eq!(ana.active, Some(true));
    assert_eq!(ana.created_at, at("2025-03-02T10:16:20Z"));
    assert_eq!(ana.updated_at, at("2025-03-02T10:16:20Z"));
    assert_eq!(ana.raw, None);
}

#[tokio::test]
async fn tickets_map_from_the_list_with_status_names_looked_up() {
    let server = server().await;
    let c = client(&server, true);
    let tickets: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
    assert_eq!(tickets.len(), 2);

    let printer = &tickets[0];
    assert_eq!(printer.id.as_str(), "311");
    assert_eq!(printer.provider, Provider::ItFlow);
    assert_eq!(printer.number.as_deref(), Some("TCK-1042"));
    assert_eq!(printer.summary, "Printer offline in reception");
    assert_eq!(
        printer.description.as_deref(),
        Some("Front desk printer shows offline since this morning<br>")
    );
    assert_eq!(printer.status.state, TicketState::Open);
    // Learnt from ticket 311 read by id (its status joined).
    assert_eq!(printer.status.label.as_deref(), Some("Open"));
    assert_eq!(printer.status.id.as_ref().map(Id::as_str), Some("2"));
    let p = printer.priority.as_ref().unwrap();
    assert_eq!(p.level, PriorityLevel::High);
    assert_eq!(p.label.as_deref(), Some("High"));
    assert_eq!(p.id.as_ref().map(Id::as_str), Some("High"));
    assert_eq!(printer.company_id.as_ref().map(Id::as_str), Some("7"));
    assert_eq!(printer.contact_id.as_ref().map(Id::as_str), Some("19"));
    assert_eq!(printer.assignee.as_deref(), Some("3"));
    assert_eq!(printer.created_at, at("2025-06-11T08:05:12Z"));
    assert_eq!(printer.updated_at, at("2025-06-11T09:40:27Z"));
    assert_eq!(printer.closed_at, None);
    assert_eq!(
        printer.raw.as_ref(),
        Some(&fixture("tickets_read")["data"][0])
    );

    let laptop = &tickets[1];
    assert_eq!(laptop.id.as_str(), "312");
    assert_eq!(laptop.number.as_deref(), Some("TCK-1043"));
    assert_eq!(laptop.summary, "New starter laptop");
    assert_eq!(laptop.status.state, TicketState::New);
    assert_eq!(laptop.status.id.as_ref().map(Id::as_str), Some("1"));
    // Ticket 312 could not be read by id here: the name stays unknown.
    assert_eq!(laptop.status.label, None);
    assert_eq!(
        laptop.priority.as_ref().map(|p| p.level),
        Some(PriorityLevel::Low)
    );
    // "0" means none.
    assert_eq!(laptop.contact_id, None);
    assert_eq!(laptop.assignee, None);
    assert_eq!(laptop.created_at, at("2025-06-11T10:01:00Z"));
    assert_eq!(laptop.updated_at, at("2025-06-11T10:01:00Z"));
    assert_eq!(laptop.closed_at, None);
}

#[tokio::test]
async fn a_ticket_read_by_id_carries_its_joined_status() {
    let server = server().await;
    let c = client(&server, true);
    let t = c.ticket(&Id::from("311")).await.unwrap();
    assert_eq!(t.id.as_str(), "311");
    assert_eq!(t.status.state, TicketState::Open);
    assert_eq!(t.status.label.as_deref(), Some("Open"));
    assert_eq!(t.summary, "Printer offline in reception");
    assert_eq!(t.raw.as_ref(), Some(&fixture("ticket_read_311")["data"][0]));
    let e = c.ticket(&Id::from("404")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.message(), fixture("no_resource")["message"].as_str());
}

#[tokio::test]
async fn replies_map_to_notes() {
    let server = server().await;
    let c = client(&server, false);
    let notes: Vec<_> = c
        .ticket_notes(&Id::from("311"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 1);
    let n = &notes[0];
    assert_eq!(n.id.as_str(), "88");
    assert_eq!(n.provider, Provider::ItFlow);
    assert_eq!(n.ticket_id.as_str(), "311");
    assert_eq!(n.text, "Power-cycled the printer, back online.");
    assert!(n.internal);
    assert_eq!(n.author.as_deref(), Some("Sam Tech"));
    assert_eq!(n.created_at, at("2025-06-11T09:40:27Z"));
}

#[tokio::test]
async fn the_invalid_key_body_is_unauthorized_with_its_message() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(fixture("invalid_key_401")))
        .mount(&server)
        .await;
    let e = client(&server, false).test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        e.message(),
        Some("Authentication failed. API key is invalid or has expired.")
    );
}
