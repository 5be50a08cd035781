//! Halo's payloads (its swagger examples, a captured create response, a
//! third-party list fixture) mapped to the normalized model, every field checked.

// Helpers unwrap too: a failed check is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use common::{client, mount_lookups, server};
use futures::TryStreamExt;
use mspkit_core::{
    ErrorKind, Id, ListQuery, PriorityLevel, Provider, PsaClient, TicketQuery, TicketState,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The first object of a swagger example (they are one-item arrays).
fn example(name: &str) -> Value {
    match fixture(name) {
        Value::Array(mut a) => a.remove(0),
        other => other,
    }
}

fn at(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().to_utc())
}

async fn serve(server: &MockServer, p: &str, body: Value) {
    Mock::given(method("GET"))
        .and(path(p))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_created_ticket_as_halo_returned_it() {
    let server = server().await;
    mount_lookups(&server).await;
    serve(
        &server,
        "/api/Tickets/110043",
        fixture("ticket-created.json"),
    )
    .await;
    let t = client(&server).ticket(&Id::from("110043")).await.unwrap();
    assert_eq!(t.id, Id::from("110043"));
    assert_eq!(t.provider, Provider::Halo);
    assert_eq!(t.number.as_deref(), Some("110043"));
    assert_eq!(t.summary, "New computer request");
    assert_eq!(
        t.description.as_deref(),
        Some("I need a new computer<br>MacBook Pro 14")
    );
    assert_eq!(t.status.state, TicketState::New);
    assert_eq!(t.status.label.as_deref(), Some("New"));
    assert_eq!(t.status.id, Some(Id::from("1")));
    let p = t.priority.unwrap();
    assert_eq!(
        (p.level, p.label.as_deref(), p.id),
        (PriorityLevel::Medium, Some("Medium"), Some(Id::from("3")))
    );
    assert_eq!(t.company_id, Some(Id::from("12")));
    assert_eq!(t.contact_id, Some(Id::from("399")));
    // Agent 1 is Halo's "Unassigned".
    assert_eq!(t.assignee, None);
    // No `datecreated` on this answer: when it occurred stands in, 7 fraction digits and all.
    assert_eq!(t.created_at, at("2022-09-30T08:23:56.4214387Z"));
    assert_eq!(t.updated_at, at("2022-09-30T08:24:02.202645Z"));
    assert_eq!(t.closed_at, None);
    assert_eq!(t.raw, None);
}

#[tokio::test]
async fn the_swagger_ticket_example() {
    let server = server().await;
    serve(&server, "/api/Status", fixture("status-template.json")).await;
    // An instance without the priority list still lists tickets.
    Mock::given(path("/api/Priority"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    serve(
        &server,
        "/api/Tickets",
        json!({ "record_count": 1, "tickets": [example("ticket-template.json")] }),
    )
    .await;
    let list: Vec<_> = client(&server)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    let t = &list[0];
    assert_eq!(t.id, Id::from("0"));
    assert_eq!(t.number.as_deref(), Some("0"));
    assert_eq!(t.summary, "string");
    assert_eq!(t.description.as_deref(), Some("string"));
    assert_eq!(t.status.state, TicketState::Open);
    assert_eq!(t.status.label.as_deref(), Some("string"));
    assert_eq!(t.status.id, Some(Id::from("0")));
    // Ids of 0 are Halo's "none".
    assert_eq!(t.priority, None);
    assert_eq!(t.company_id, None);
    assert_eq!(t.contact_id, None);
    assert_eq!(t.assignee, None);
    assert_eq!(t.created_at, at("2019-08-02T14:35:55.618Z"));
    assert_eq!(t.updated_at, at("2019-08-02T14:35:55.618Z"));
    // Not in a closed status, so the close date is not news.
    assert_eq!(t.closed_at, None);
}

#[tokio::test]
async fn a_list_envelope_with_labels_from_the_look_ups() {
    let server = server().await;
    mount_lookups(&server).await;
    let mut page = fixture("ticket-list-synthetic.json");
    // The fixture is one page of 75; served here as the whole list.
    page["record_count"] = json!(2);
    serve(&server, "/api/Tickets", page).await;
    let list: Vec<_> = client(&server)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    let (a, b) = (&list[0], &list[1]);
    assert_eq!(
        (a.id.as_str(), a.summary.as_str()),
        ("1", "Network connectivity issue")
    );
    assert_eq!(
        a.description.as_deref(),
        Some("User cannot access shared drives")
    );
    assert_eq!(
        (a.status.state, a.status.label.as_deref()),
        (TicketState::New, Some("New"))
    );
    assert_eq!(b.status.state, TicketState::InProgress);
    // Priority 2 is in no look-up: kept by id, level unknown.
    let p = a.priority.clone().unwrap();
    assert_eq!(
        (p.level, p.label, p.id),
        (PriorityLevel::Other, None, Some(Id::from("2")))
    );
    // Priority 1 named by the look-up.
    let p = b.priority.clone().unwrap();
    assert_eq!(
        (p.level, p.label.as_deref()),
        (PriorityLevel::Critical, Some("Critical"))
    );
    assert_eq!(a.company_id, Some(Id::from("1")));
    assert_eq!(a.created_at, at("2026-02-01T10:00:00Z"));
    assert_eq!(a.updated_at, None);
}

#[tokio::test]
async fn the_swagger_client_example() {
    let server = server().await;
    serve(
        &server,
        "/api/Client",
        json!({ "record_count": 1, "clients": fixture("client-template.json") }),
    )
    .await;
    serve(&server, "/api/Client/0", example("client-template.json")).await;
    let c = client(&server);
    let list: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    let one = c.company(&Id::from("0")).await.unwrap();
    for co in [&list[0], &one] {
        assert_eq!(co.id, Id::from("0"));
        assert_eq!(co.provider, Provider::Halo);
        assert_eq!(co.name, "string");
        assert_eq!(co.identifier.as_deref(), Some("string"));
        assert_eq!(co.phone, None);
        assert_eq!(co.website, None);
        assert_eq!(co.address, None);
        assert_eq!(co.active, Some(false));
        assert_eq!(co.created_at, at("2019-08-02T14:35:55.035Z"));
        assert_eq!(co.updated_at, None);
    }
}

#[tokio::test]
async fn the_swagger_user_example() {
    let server = server().await;
    let mut user = example("user-template.json");
    user["client_id"] = json!(12);
    // A second user: the walk yields an id once.
    user["id"] = json!(1);
    serve(
        &server,
        "/api/Users",
        json!({ "record_count": 2, "users": [example("user-template.json"), user] }),
    )
    .await;
    let list: Vec<_> = client(&server)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let u = &list[0];
    assert_eq!(u.id, Id::from("0"));
    assert_eq!(u.company_id, None);
    assert_eq!(list[1].company_id, Some(Id::from("12")));
    assert_eq!(u.first_name.as_deref(), Some("string"));
    assert_eq!(u.last_name.as_deref(), Some("string"));
    assert_eq!(u.email.as_deref(), Some("string"));
    assert_eq!(u.phone.as_deref(), Some("string"));
    assert_eq!(u.title.as_deref(), Some("string"));
    assert_eq!(u.active, Some(false));
    assert_eq!(u.created_at, at("2019-08-02T14:35:57.556Z"));
    assert_eq!(u.updated_at, None);
}

#[tokio::test]
async fn the_swagger_contract_example() {
    let server = server().await;
    serve(
        &server,
        "/api/ClientContract",
        json!({ "record_count": 1, "contracts": fixture("contract-template.json") }),
    )
    .await;
    let list: Vec<_> = client(&server)
        .agreements(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let a = &list[0];
    assert_eq!(a.id, Id::from("0"));
    assert_eq!(a.company_id, None);
    assert_eq!(a.name, "string");
    assert_eq!(a.kind, None);
    assert_eq!(a.starts_on, NaiveDate::from_ymd_opt(2019, 8, 2));
    assert_eq!(a.ends_on, NaiveDate::from_ymd_opt(2019, 8, 2));
    // started and expired: not in force.
    assert_eq!(a.active, Some(false));
}

#[tokio::test]
async fn the_swagger_action_example() {
    let server = server().await;
    serve(
        &server,
        "/api/Actions",
        json!({ "record_count": 1, "actions": fixture("action-template.json") }),
    )
    .await;
    let list: Vec<_> = client(&server)
        .ticket_notes(&Id::from("110001"))
        .try_collect()
        .await
        .unwrap();
    let n = &list[0];
    assert_eq!(n.id, Id::from("0"));
    // ticket_id 0 is "none": the ticket asked about.
    assert_eq!(n.ticket_id, Id::from("110001"));
    assert_eq!(n.text, "string");
    assert!(n.internal);
    assert_eq!(n.author.as_deref(), Some("string"));
    assert_eq!(n.created_at, at("2019-08-02T14:35:54.437Z"));
}

#[tokio::test]
async fn odd_encodings_are_read() {
    let server = server().await;
    mount_lookups(&server).await;
    serve(&server, "/api/Client", json!({ "record_count": 3, "clients": [
        { "id": 1, "name": "Ints", "inactive": 1, "ref": "  ", "datecreated": "1900-01-01T00:00:00" },
        { "id": 2, "name": "Strings", "inactive": "false", "datecreated": "2021-05-04T10:11:12" },
        { "id": 3, "name": "Nulls", "inactive": null, "datecreated": null, "ref": null }
    ]})).await;
    serve(&server, "/api/Tickets", json!({ "record_count": 2, "tickets": [
        { "id": 7, "summary": "Closed one", "status_id": 9, "priority_id": 3, "sla_id": 4,
          "agent_id": 6, "agent": { "id": 6, "name": "Jordan Reyes" },
          "dateclosed": "2024-03-08T12:00:00", "lastactiondate": "2024-03-08T12:00:00",
          "last_update": "2024-03-09T08:00:00.123Z", "deadlinedate": "1900-01-01T00:00:00" },
        { "id": 8, "summary": "Closed, no date", "status_id": 9, "agent_id": 6,
          "dateclosed": "1900-01-01T00:00:00", "details": "", "details_html": "<p>Only HTML</p>" }
    ]})).await;
    let c = client(&server);
    let cos: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(cos[0].active, Some(false));
    assert_eq!(cos[0].identifier, None);
    assert_eq!(cos[0].created_at, None);
    assert_eq!(cos[1].active, Some(true));
    assert_eq!(cos[1].created_at, at("2021-05-04T10:11:12Z"));
    assert_eq!((cos[2].active, cos[2].created_at), (None, None));

    let ts: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
    assert_eq!(ts[0].status.state, TicketState::Closed);
    assert_eq!(ts[0].closed_at, at("2024-03-08T12:00:00Z"));
    assert_eq!(ts[0].updated_at, at("2024-03-09T08:00:00.123Z"));
    assert_eq!(ts[0].assignee.as_deref(), Some("Jordan Reyes"));
    // The SLA's own name for priority 3.
    assert_eq!(
        ts[0].priority.clone().unwrap().label.as_deref(),
        Some("P3 - Normal")
    );
    assert_eq!(ts[1].closed_at, None);
    assert_eq!(ts[1].assignee.as_deref(), Some("6"));
    assert_eq!(ts[1].description.as_deref(), Some("<p>Only HTML</p>"));
}

async fn decode_error(p: &str, body: Value) -> (String, String) {
    let server = server().await;
    mount_lookups(&server).await;
    serve(&server, p, body).await;
    let c = client(&server);
    let r = match p {
        "/api/Client" => c
            .companies(ListQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .map(|_| ()),
        "/api/ClientContract" => c
            .agreements(ListQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .map(|_| ()),
        _ => c
            .tickets(TicketQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .map(|_| ()),
    };
    match r {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default().to_owned();
            let operation = e.operation();
            (path, operation.to_owned())
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unreadable_values_are_decode_errors_naming_the_field() {
    let (path, op) = decode_error("/api/Tickets", json!({ "record_count": 2, "tickets": [
        { "id": 1, "summary": "ok" }, { "id": 2, "summary": "bad", "dateoccurred": "31/12/2023" }
    ]})).await;
    assert_eq!(
        (path.as_str(), op.as_str()),
        ("tickets[1].dateoccurred", "tickets")
    );
    let (path, _) = decode_error(
        "/api/Client",
        json!({ "record_count": 1, "clients": [
            { "id": 1, "name": "x", "inactive": "maybe" }
        ]}),
    )
    .await;
    assert_eq!(path, "clients[0].inactive");
    let (path, _) = decode_error(
        "/api/ClientContract",
        json!({ "record_count": 1, "contracts": [
            { "id": 1, "start_date": 20240101 }
        ]}),
    )
    .await;
    assert_eq!(path, "contracts[0].start_date");
    let (path, _) = decode_error(
        "/api/Tickets",
        json!({ "record_count": 1, "tickets": [{ "id": "T-1" }]}),
    )
    .await;
    assert_eq!(path, "tickets[0].id");
    let (path, _) = decode_error(
        "/api/Tickets",
        json!({ "record_count": "many", "tickets": [] }),
    )
    .await;
    assert_eq!(path, "record_count");
    let (path, _) = decode_error("/api/Tickets", json!({ "record_count": 3, "faults": [] })).await;
    assert_eq!(path, "tickets");
}

#[tokio::test]
async fn keep_raw_keeps_the_original_object() {
    let server = server().await;
    mount_lookups(&server).await;
    let created = fixture("ticket-created.json");
    serve(&server, "/api/Tickets/110043", created.clone()).await;
    serve(
        &server,
        "/api/Client",
        json!({ "record_count": 1, "clients": fixture("client-template.json") }),
    )
    .await;
    let c = common::builder(&server).keep_raw(true).build().unwrap();
    assert_eq!(
        c.ticket(&Id::from("110043")).await.unwrap().raw,
        Some(created)
    );
    let cos: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(cos[0].raw, Some(example("client-template.json")));
}
