//! Mapping on the Support API reference's own samples (tests/fixtures):
//! every normalized field checked. Where a sample is served through a list,
//! only the paging envelope (`meta`, `links`) is added.

#![allow(clippy::unwrap_used)]

use futures::TryStreamExt;
use mspkit_core::chrono::{DateTime, Utc};
use mspkit_core::{
    Id, ListQuery, NewNote, PriorityLevel, Provider, PsaClient, TicketQuery, TicketState,
};
use mspkit_zendesk::ZendeskClient;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn at(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

/// A sample list with Zendesk's cursor envelope: the last page.
fn last_page(mut body: Value) -> Value {
    body["meta"] = json!({"has_more": false, "after_cursor": null, "before_cursor": null});
    body["links"] = json!({"next": null, "prev": null});
    body
}

fn client(server: &MockServer) -> ZendeskClient {
    ZendeskClient::builder()
        .oauth_token("gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo")
        .base_url(server.uri())
        .allow_insecure_http()
        .keep_raw(true)
        .build()
        .unwrap()
}

async fn serve(server: &MockServer, verb: &str, at_path: &str, body: Value) {
    Mock::given(method(verb))
        .and(path(at_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_listed_ticket() {
    let server = MockServer::start().await;
    let body = fixture("tickets.json");
    let original = body["tickets"][0].clone();
    serve(&server, "GET", "/api/v2/tickets", last_page(body)).await;
    serve(
        &server,
        "GET",
        "/api/v2/custom_statuses",
        fixture("custom_statuses.json"),
    )
    .await;
    let tickets: Vec<_> = client(&server)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tickets.len(), 1);
    let t = &tickets[0];
    assert_eq!(t.provider, Provider::Zendesk);
    assert_eq!(t.id.as_str(), "35436");
    assert_eq!(t.number.as_deref(), Some("35436"));
    assert_eq!(t.summary, "Help, my printer is on fire!");
    assert_eq!(t.description.as_deref(), Some("The fire is very colorful."));
    // Custom status 123 is not among the account's: the category speaks.
    assert_eq!(t.status.state, TicketState::Open);
    assert_eq!(t.status.label.as_deref(), Some("open"));
    assert_eq!(t.status.id.as_ref().map(Id::as_str), Some("open"));
    let p = t.priority.as_ref().unwrap();
    assert_eq!(p.level, PriorityLevel::High);
    assert_eq!(
        (p.label.as_deref(), p.id.as_ref().map(Id::as_str)),
        (Some("high"), Some("high"))
    );
    assert_eq!(t.company_id.as_ref().map(Id::as_str), Some("509974"));
    assert_eq!(t.contact_id.as_ref().map(Id::as_str), Some("20978392"));
    assert_eq!(t.assignee, None, "no user side-loaded");
    assert_eq!(t.created_at, at("2009-07-20T22:55:29Z"));
    assert_eq!(t.updated_at, at("2011-05-05T10:38:52Z"));
    assert_eq!(t.closed_at, None);
    assert_eq!(t.raw.as_ref(), Some(&original));
}

#[tokio::test]
async fn a_ticket_with_its_custom_status_assignee_and_solve_time() {
    let server = MockServer::start().await;
    let mut body = fixture("ticket.json");
    body["ticket"]["custom_status_id"] = json!(35436);
    // The `users/me` sample, side-loaded as the assignee.
    let mut assignee = fixture("users_me.json")["user"].clone();
    assignee["id"] = json!(235323);
    body["users"] = json!([assignee]);
    serve(&server, "GET", "/api/v2/tickets/35436", body).await;
    serve(
        &server,
        "GET",
        "/api/v2/custom_statuses",
        fixture("custom_statuses.json"),
    )
    .await;
    let c = client(&server);
    let t = c.ticket(&Id::from("35436")).await.unwrap();
    assert_eq!(t.status.state, TicketState::Open);
    assert_eq!(t.status.label.as_deref(), Some("Responding quickly"));
    assert_eq!(t.status.id.as_ref().map(Id::as_str), Some("35436"));
    assert_eq!(t.assignee.as_deref(), Some("Johnny Agent"));
    assert_eq!(t.summary, "Help, my printer is on fire!");
    assert_eq!(t.closed_at, None, "an open ticket has no closed time");

    // Solved, with its metrics side-loaded: closed at the solve time.
    let server = MockServer::start().await;
    let mut body = fixture("ticket.json");
    body["ticket"]["status"] = json!("solved");
    let mut metric = fixture("ticket_metric.json")["ticket_metric"][0].clone();
    metric["ticket_id"] = json!(35436);
    body["metric_sets"] = json!([metric]);
    serve(&server, "GET", "/api/v2/tickets/35436", body).await;
    serve(
        &server,
        "GET",
        "/api/v2/custom_statuses",
        fixture("custom_statuses.json"),
    )
    .await;
    let t = client(&server).ticket(&Id::from("35436")).await.unwrap();
    assert_eq!(t.status.state, TicketState::Resolved);
    assert_eq!(
        t.status.label.as_deref(),
        Some("solved"),
        "custom status 123 is unknown"
    );
    assert_eq!(t.closed_at, at("2020-07-20T06:21:26Z"));
}

#[tokio::test]
async fn listed_organizations() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/api/v2/organizations",
        last_page(fixture("organizations.json")),
    )
    .await;
    let companies: Vec<_> = client(&server)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(companies.len(), 2);
    let (a, b) = (&companies[0], &companies[1]);
    assert_eq!(a.id.as_str(), "4112492");
    assert_eq!(a.name, "Groablet Enterprises");
    assert_eq!(a.identifier.as_deref(), Some("ABC198"));
    assert_eq!(a.website.as_deref(), Some("remain.com"));
    assert_eq!(
        (a.phone.as_ref(), a.address.as_ref(), a.active),
        (None, None, None)
    );
    assert_eq!(a.created_at, at("2018-11-14T00:14:52Z"));
    assert_eq!(a.updated_at, at("2018-11-14T00:54:22Z"));
    assert_eq!(a.raw.as_ref().unwrap()["notes"], "donkey");
    assert_eq!(b.id.as_str(), "1873");
    assert_eq!(b.name, "Willy Wonkas Chocolate Factory");
    assert_eq!(b.identifier.as_deref(), Some("TTV273"));
    assert_eq!(b.website.as_deref(), Some("test.com"));
    assert_eq!(b.created_at, at("2017-08-14T20:13:52Z"));
    assert_eq!(b.updated_at, at("2019-05-16T01:27:46Z"));
}

#[tokio::test]
async fn one_organization() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/api/v2/organizations/4112492",
        fixture("organization.json"),
    )
    .await;
    let c = client(&server).company(&Id::from("4112492")).await.unwrap();
    assert_eq!(c.name, "Groablet Enterprises");
    assert_eq!(c.identifier, None, "external_id is null");
    assert_eq!(c.website.as_deref(), Some("remain.com"));
    assert_eq!(c.created_at, at("2018-11-14T00:14:52Z"));
    assert_eq!(c.updated_at, at("2018-11-14T00:54:22Z"));
    assert!(c.raw.is_some());
}

#[tokio::test]
async fn a_user_as_a_contact() {
    let server = MockServer::start().await;
    // The `users/me` sample, as an end-user (same shape, `role: end-user`).
    let mut user = fixture("users_me.json")["user"].clone();
    user["role"] = json!("end-user");
    serve(
        &server,
        "GET",
        "/api/v2/users",
        last_page(json!({"users": [user]})),
    )
    .await;
    let contacts: Vec<_> = client(&server)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &contacts[0];
    assert_eq!(c.id.as_str(), "35436");
    assert_eq!(c.first_name.as_deref(), Some("Johnny"));
    assert_eq!(c.last_name.as_deref(), Some("Agent"));
    assert_eq!(c.email.as_deref(), Some("johnny@example.com"));
    assert_eq!(c.phone.as_deref(), Some("+15551234567"));
    assert_eq!(c.company_id.as_ref().map(Id::as_str), Some("57542"));
    assert_eq!(c.title, None);
    assert_eq!(c.active, Some(true));
    assert_eq!(c.created_at, at("2009-07-20T22:55:29Z"));
    assert_eq!(c.updated_at, at("2011-05-05T10:38:52Z"));
}

#[tokio::test]
async fn listed_comments_as_notes() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/api/v2/tickets/35436/comments",
        last_page(fixture("comments.json")),
    )
    .await;
    let notes: Vec<_> = client(&server)
        .ticket_notes(&Id::from("35436"))
        .try_collect()
        .await
        .unwrap();
    let n = &notes[0];
    assert_eq!(n.id.as_str(), "1274");
    assert_eq!(n.ticket_id.as_str(), "35436");
    assert_eq!(n.text, "Thanks for your help!");
    assert!(!n.internal);
    assert_eq!(n.author, None, "author 123123 not side-loaded");
    assert_eq!(n.created_at, at("2009-07-20T22:55:29Z"));
}

#[tokio::test]
async fn a_note_from_the_update_audit() {
    let server = MockServer::start().await;
    serve(
        &server,
        "PUT",
        "/api/v2/tickets/35436",
        fixture("ticket_update.json"),
    )
    .await;
    let note = client(&server)
        .add_ticket_note(
            &Id::from("35436"),
            NewNote::new("The smoke is very colorful."),
        )
        .await
        .unwrap();
    assert_eq!(note.id.as_str(), "206091192547");
    assert_eq!(note.ticket_id.as_str(), "35436");
    assert_eq!(note.text, "The smoke is very colorful.");
    assert!(
        !note.internal,
        "the event does not say; the note was sent public"
    );
    assert_eq!(note.author, None);
    assert_eq!(note.created_at, None);
    assert_eq!(note.raw.as_ref().unwrap()["type"], "Comment");
}

#[tokio::test]
async fn the_ticket_export_sample_ends_at_end_of_stream() {
    let server = MockServer::start().await;
    // Its `after_url` names another host: following it would be an error.
    serve(
        &server,
        "GET",
        "/api/v2/incremental/tickets/cursor",
        fixture("incremental_tickets_cursor.json"),
    )
    .await;
    let since = DateTime::from_timestamp(1_332_034_771, 0).unwrap();
    let tickets: Vec<_> = client(&server)
        .tickets(TicketQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    let t = &tickets[0];
    assert_eq!(t.id.as_str(), "35436");
    assert_eq!(t.summary, "Help, my printer is on fire!");
    assert_eq!(t.status.state, TicketState::Open);
    assert_eq!(t.status.label.as_deref(), Some("open"));
    assert_eq!(
        t.priority.as_ref().map(|p| p.level),
        Some(PriorityLevel::High)
    );
    assert_eq!(t.company_id.as_ref().map(Id::as_str), Some("509974"));
    assert_eq!(t.contact_id.as_ref().map(Id::as_str), Some("20978392"));
    assert_eq!(t.updated_at, at("2011-05-05T10:38:52Z"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_organization_export_sample_ends_at_end_of_stream() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/api/v2/incremental/organizations",
        fixture("incremental_organizations.json"),
    )
    .await;
    let since = DateTime::from_timestamp(1_332_034_771, 0).unwrap();
    let companies: Vec<_> = client(&server)
        .companies(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(companies.len(), 1);
    assert_eq!(companies[0].identifier.as_deref(), Some("ABC198"));
    assert_eq!(companies[0].updated_at, at("2018-11-14T00:54:22Z"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
