//! What goes over the wire: the auth headers, codebase discovery and the API
//! host, every operation's request (conditions, paging, JSON-Patch and the
//! write bodies), the per-board status look-ups, ConnectWise's error bodies,
//! and the checks `build()` makes before any request.

// Helpers outside #[test] fns unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use mspkit_connectwise::{ConnectWiseClient, ConnectWiseClientBuilder, ConnectWiseSettings};
use mspkit_core::{
    ErrorKind, Id, ListQuery, NewNote, NewTicket, PsaClient, TicketQuery, TicketState, TicketUpdate,
};
use mspkit_testkit::received;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROOT: &str = "/v4_6_release/apis/3.0";

/// `base64("acme+abc:xyz")`, the notes' worked example.
const AUTHORIZATION: &str = "Basic YWNtZSthYmM6eHl6";
const CLIENT_ID: &str = "0e6c2a77-3b1f-4f6e-9a4e-3c1f6d1b2a9c";

fn builder(server: &MockServer) -> ConnectWiseClientBuilder {
    ConnectWiseClient::builder()
        .base_url(server.uri())
        .company_id("acme")
        .public_key("abc")
        .private_key("xyz")
        .client_id(CLIENT_ID)
        .allow_insecure_http()
        .retry_policy(mspkit_testkit::fast_retry())
}

fn client(server: &MockServer) -> ConnectWiseClient {
    builder(server).codebase("v4_6_release").build().unwrap()
}

fn ticket(id: i64, board: i64, status: i64) -> Value {
    json!({"id": id, "summary": format!("Ticket {id}"), "board": {"id": board, "name": "Board"},
           "status": {"id": status, "name": "Status"}, "closedFlag": false,
           "company": {"id": 250, "identifier": "example", "name": "Example Company"}})
}

fn statuses(board: i64) -> Value {
    json!([
        {"id": board * 10, "name": "New", "sortOrder": 0, "closedStatus": false, "defaultFlag": true},
        {"id": board * 10 + 1, "name": "Waiting", "sortOrder": 1, "closedStatus": false, "defaultFlag": false, "inactive": true},
        {"id": board * 10 + 2, "name": "Working", "sortOrder": 2, "closedStatus": false, "defaultFlag": false},
        {"id": board * 10 + 9, "name": ">Closed", "sortOrder": 9, "closedStatus": true, "defaultFlag": false}
    ])
}

async fn mount_statuses(server: &MockServer, board: i64, times: u64) {
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/boards/{board}/statuses")))
        .respond_with(ResponseTemplate::new(200).set_body_json(statuses(board)))
        .expect(times)
        .mount(server)
        .await;
}

fn page(items: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(items)
}

#[tokio::test]
async fn every_request_carries_basic_auth_client_id_and_the_media_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/company/companies")))
        .and(header("authorization", AUTHORIZATION))
        .and(header("clientid", CLIENT_ID))
        .and(header("accept", "application/vnd.connectwise.com+json"))
        .and(query_param("pageSize", "1"))
        .and(query_param("fields", "id"))
        .respond_with(page(json!([{"id": 250}])).insert_header("x-cw-request-id", "abc-123"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).test_connection().await.unwrap();
}

#[tokio::test]
async fn the_codebase_is_discovered_once_and_used_for_every_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/acme"))
        .respond_with(page(
            json!({"CompanyName": "Acme", "Codebase": "v2025_1/", "IsCloud": false}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2025_1/apis/3.0/company/companies"))
        .respond_with(page(json!([{"id": 250, "name": "Acme"}])))
        .expect(2)
        .mount(&server)
        .await;
    let c = builder(&server).build().unwrap();
    let other = c.clone();
    let (a, b) = tokio::join!(c.test_connection(), other.test_connection());
    a.unwrap();
    b.unwrap();
    assert_eq!(
        c.http().base_url().as_str(),
        format!("{}/v2025_1/apis/3.0/", server.uri())
    );
}

#[tokio::test]
async fn discovery_falls_back_to_v4_6_release_but_not_on_a_server_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/acme"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/acme"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/company/companies")))
        .respond_with(page(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let c = builder(&server).build().unwrap();
    let first = c.test_connection().await;
    assert!(
        matches!(&first, Err(e) if e.kind() == ErrorKind::Server && e.status() == Some(500)),
        "{first:?}"
    );
    c.test_connection().await.unwrap();
}

#[test]
fn cloud_sites_are_called_on_their_api_host() {
    let c = |url: &str| {
        ConnectWiseClient::builder()
            .base_url(url)
            .company_id("acme")
            .public_key("abc")
            .private_key("xyz")
            .client_id(CLIENT_ID)
            .build()
            .unwrap()
            .http()
            .base_url()
            .to_string()
    };
    assert_eq!(
        c("https://na.myconnectwise.net"),
        "https://api-na.myconnectwise.net/"
    );
    assert_eq!(
        c("au.myconnectwise.net/v4_6_release/ConnectWise.aspx"),
        "https://api-au.myconnectwise.net/"
    );
    assert_eq!(
        c("https://api-eu.myconnectwise.net"),
        "https://api-eu.myconnectwise.net/"
    );
    assert_eq!(
        c("https://staging.connectwisedev.com"),
        "https://api-staging.connectwisedev.com/"
    );
    assert_eq!(c("https://cw.msp.example"), "https://cw.msp.example/");
}

#[tokio::test]
async fn tickets_send_conditions_and_walk_forward_only_links() {
    let server = MockServer::start().await;
    let next = format!(
        "{}{ROOT}/service/tickets?conditions=closedFlag%3Dfalse&pageSize=2&pageId=2",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets")))
        .and(query_param(
            "conditions",
            "closedFlag=false AND company/id=250 AND lastUpdated >= [2024-03-05T06:07:08Z]",
        ))
        .and(query_param("pageSize", "2"))
        .and(header("pagination-type", "forward-only"))
        .respond_with(
            page(json!([ticket(1, 30, 300), ticket(2, 30, 300)]))
                .insert_header("Link", format!("<{next}>; rel=\"next\"").as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets")))
        .and(query_param("pageId", "2"))
        .and(header("pagination-type", "forward-only"))
        .respond_with(page(json!([ticket(3, 30, 300)])))
        .expect(1)
        .mount(&server)
        .await;
    mount_statuses(&server, 30, 1).await;
    let q = TicketQuery::new()
        .open()
        .company("250")
        .updated_since(Utc.with_ymd_and_hms(2024, 3, 5, 6, 7, 8).unwrap())
        .page_size(2);
    let got: Vec<_> = client(&server).tickets(q).try_collect().await.unwrap();
    assert_eq!(
        got.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    assert!(got.iter().all(|t| t.status.state == TicketState::New));
}

#[tokio::test]
async fn page_numbered_links_are_followed() {
    let server = MockServer::start().await;
    // The link names the API host the client called (a link to any other
    // host is refused: see `a_link_outside_the_api_root_is_a_paging_error`).
    let link = format!(
        "<{0}{ROOT}/service/tickets/7/notes?pageSize=1000&page=2>; rel=\"next\", \
         <{0}{ROOT}/service/tickets/7/notes?pageSize=1000&page=2>; rel=\"last\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets/7/notes")))
        .and(query_param("pageSize", "1000"))
        .and(wiremock::matchers::query_param_is_missing("page"))
        .respond_with(
            page(json!([{"id": 1, "ticketId": 7, "text": "a", "detailDescriptionFlag": true}]))
                .insert_header("Link", link.as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets/7/notes")))
        .and(query_param("page", "2"))
        .respond_with(
            page(json!([{"id": 2, "ticketId": 7, "text": "b", "internalAnalysisFlag": true}]))
                .insert_header(
                    "Link",
                    format!(
                        "<{}{ROOT}/service/tickets/7/notes?page=1>; rel=\"first\"",
                        server.uri()
                    )
                    .as_str(),
                ),
        )
        .mount(&server)
        .await;
    let notes: Vec<_> = client(&server)
        .ticket_notes(&Id::from("7"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 2);
    assert!(!notes[0].internal && notes[1].internal);
    let reqs = received(&server).await;
    assert!(
        reqs.iter()
            .all(|r| r.headers.get("pagination-type").is_none()),
        "notes are paged by number"
    );
}

#[tokio::test]
async fn a_link_outside_the_api_root_is_a_paging_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/company/companies")))
        .respond_with(
            page(json!([{"id": 1, "name": "A"}]))
                .insert_header("Link", "<https://evil.example/steal?page=2>; rel=\"next\""),
        )
        .mount(&server)
        .await;
    let r: Result<Vec<_>, _> = client(&server)
        .companies(ListQuery::new())
        .try_collect()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Paging),
        "{r:?}"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_full_page_without_link_goes_on_by_page_number() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/company/contacts")))
        .and(header("pagination-type", "forward-only"))
        .and(query_param("conditions", "company/id=250"))
        .and(wiremock::matchers::query_param_is_missing("page"))
        .respond_with(page(json!([{"id": 1}, {"id": 2}])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/company/contacts")))
        .and(query_param("page", "2"))
        .and(query_param("conditions", "company/id=250"))
        .respond_with(page(json!([{"id": 3}])))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .contacts(ListQuery::new().company("250").page_size(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 3);
    // The kit keeps a list's headers on every page, so the page-number
    // request still says `pagination-type: forward-only`; `page` is what
    // moves it on.
    let second = &received(&server).await[1];
    assert_eq!(
        mspkit_testkit::query_param(second, "page").as_deref(),
        Some("2")
    );
}

#[tokio::test]
async fn companies_and_agreements_send_their_filters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/company/companies")))
        .and(query_param(
            "conditions",
            "lastUpdated >= [2024-03-05T00:00:00Z]",
        ))
        .and(query_param("pageSize", "1000"))
        .respond_with(page(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/finance/agreements")))
        .and(query_param("conditions", "company/id=251"))
        .respond_with(page(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let since = Utc.with_ymd_and_hms(2024, 3, 5, 0, 0, 0).unwrap();
    let _: Vec<_> = c
        .companies(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c
        .agreements(ListQuery::new().company("251"))
        .try_collect()
        .await
        .unwrap();
    // An id that is not an integer never reaches a conditions expression.
    let bad: Result<Vec<_>, _> = c
        .agreements(ListQuery::new().company("1 OR 1=1"))
        .try_collect()
        .await;
    assert!(
        matches!(&bad, Err(e) if e.kind() == ErrorKind::Config),
        "{bad:?}"
    );
}

#[tokio::test]
async fn statuses_are_looked_up_once_per_board_and_a_refused_board_falls_back() {
    let server = MockServer::start().await;
    let next = format!(
        "<{}{ROOT}/service/tickets?pageSize=2&pageId=2>; rel=\"next\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets")))
        .and(wiremock::matchers::query_param_is_missing("pageId"))
        .and(wiremock::matchers::query_param_is_missing("page"))
        .respond_with(
            page(json!([ticket(1, 30, 309), ticket(2, 1, 10)]))
                .insert_header("Link", next.as_str()),
        )
        .mount(&server)
        .await;
    let mut closed_elsewhere = ticket(4, 7, 71);
    closed_elsewhere["closedFlag"] = json!(true);
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets")))
        .and(query_param("pageId", "2"))
        .respond_with(page(json!([ticket(3, 30, 302), closed_elsewhere])))
        .mount(&server)
        .await;
    // The last forward page is full and has no `Link`: the kit asks for the
    // next page by number, past the end.
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets")))
        .and(query_param("page", "2"))
        .respond_with(page(json!([])))
        .mount(&server)
        .await;
    mount_statuses(&server, 30, 1).await;
    mount_statuses(&server, 1, 1).await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/boards/7/statuses")))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"code": "Forbidden", "message": "You do not have access to this board"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    for _ in 0..2 {
        let got: Vec<_> = c
            .tickets(TicketQuery::new().page_size(2))
            .try_collect()
            .await
            .unwrap();
        let states: Vec<_> = got.iter().map(|t| t.status.state).collect();
        assert_eq!(
            states,
            [
                TicketState::Closed,
                TicketState::New,
                TicketState::Open,
                TicketState::Closed
            ]
        );
    }
}

#[tokio::test]
async fn ticket_reads_its_description_from_the_first_discussion_note() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets/5")))
        .respond_with(page(ticket(5, 30, 300)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets/5/notes")))
        .and(query_param("conditions", "detailDescriptionFlag=true"))
        .and(query_param("orderBy", "id asc"))
        .and(query_param("pageSize", "1"))
        .respond_with(page(json!([{"id": 9, "ticketId": 5, "text": "Printer jams on tray 2", "detailDescriptionFlag": true}])))
        .mount(&server)
        .await;
    mount_statuses(&server, 30, 1).await;
    let t = client(&server).ticket(&Id::from("5")).await.unwrap();
    assert_eq!(t.description.as_deref(), Some("Printer jams on tray 2"));
    assert_eq!(t.status.state, TicketState::New);
}

#[tokio::test]
async fn create_ticket_sends_references_the_default_board_and_extra() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/service/tickets")))
        .and(body_json(json!({
            "summary": "Printer offline",
            "initialDescription": "Second floor, since 9am",
            "company": {"id": 250}, "contact": {"id": 179},
            "status": {"id": 300}, "priority": {"id": 8},
            "board": {"id": 30},
            "severity": "High"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(ticket(9001, 30, 300)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/service/tickets")))
        .and(body_json(
            json!({"summary": "VPN down", "board": {"name": "Help Desk"}}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(ticket(9002, 1, 10)))
        .expect(1)
        .mount(&server)
        .await;
    mount_statuses(&server, 30, 1).await;
    mount_statuses(&server, 1, 1).await;
    let c = builder(&server)
        .codebase("v4_6_release")
        .default_board(30)
        .build()
        .unwrap();
    let t = c
        .create_ticket(
            NewTicket::new("Printer offline")
                .description("Second floor, since 9am")
                .company("250")
                .contact("179")
                .status("300")
                .priority("8")
                .extra("severity", "High"),
        )
        .await
        .unwrap();
    assert_eq!(t.id, Id::from("9001"));
    assert_eq!(t.description.as_deref(), Some("Second floor, since 9am"));
    let t = c
        .create_ticket(NewTicket::new("VPN down").extra("board", json!({"name": "Help Desk"})))
        .await
        .unwrap();
    assert_eq!(t.status.state, TicketState::New);
}

#[tokio::test]
async fn update_ticket_sends_json_patch_and_resolves_a_state_on_the_board() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("{ROOT}/service/tickets/77")))
        .and(body_json(json!([
            {"op": "replace", "path": "summary", "value": "Printer offline (2nd floor)"},
            {"op": "replace", "path": "priority", "value": {"id": 6}},
            {"op": "replace", "path": "status", "value": {"id": 302}}
        ])))
        .respond_with(page(ticket(77, 30, 302)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{ROOT}/service/tickets/77")))
        .and(body_json(json!([{"op": "replace", "path": "status", "value": {"id": 309}}])))
        .respond_with(page(json!({"id": 77, "summary": "x", "board": {"id": 30}, "status": {"id": 309, "name": ">Closed"}, "closedFlag": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets/77")))
        .respond_with(page(ticket(77, 30, 300)))
        .expect(1)
        .mount(&server)
        .await;
    mount_statuses(&server, 30, 1).await;
    let c = client(&server);
    let t = c
        .update_ticket(
            &Id::from("77"),
            TicketUpdate::new()
                .summary("Printer offline (2nd floor)")
                .status_id("300")
                .priority("6")
                .extra("status", json!({"id": 302})),
        )
        .await
        .unwrap();
    assert_eq!(t.status.state, TicketState::Open);
    let t = c
        .update_ticket(
            &Id::from("77"),
            TicketUpdate::new().state(TicketState::Closed),
        )
        .await
        .unwrap();
    assert_eq!(t.status.state, TicketState::Closed);
    let r = c
        .update_ticket(&Id::from("77"), TicketUpdate::new().description("new text"))
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Refused && e.status().is_none() && !e.reached_server()),
        "{r:?}"
    );
}

#[tokio::test]
async fn add_ticket_note_sends_the_flags() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/service/tickets/945315/notes")))
        .and(body_json(json!({"text": "Called the customer", "detailDescriptionFlag": true,
                              "internalAnalysisFlag": false, "resolutionFlag": false})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1, "ticketId": 945315, "text": "Called the customer", "detailDescriptionFlag": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/service/tickets/945315/notes")))
        .and(body_json(json!({"text": "Root cause: GPO", "detailDescriptionFlag": false,
                              "internalAnalysisFlag": true, "resolutionFlag": true})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 2, "ticketId": 945315, "text": "Root cause: GPO", "internalAnalysisFlag": true, "resolutionFlag": true})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let n = c
        .add_ticket_note(&Id::from("945315"), NewNote::new("Called the customer"))
        .await
        .unwrap();
    assert!(!n.internal);
    let n = c
        .add_ticket_note(
            &Id::from("945315"),
            NewNote::internal("Root cause: GPO").extra("resolutionFlag", true),
        )
        .await
        .unwrap();
    assert_eq!(n.id, Id::from("2"));
}

#[tokio::test]
async fn connectwise_error_bodies_map_to_errors_with_their_messages() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/service/tickets")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": "InvalidObject", "message": "ticket object is invalid",
            "errors": [{"code": "NotFound", "message": "company 19299 not found", "resource": "ticket", "field": "company/id"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/tickets/404")))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                json!({"code": "NotFound", "message": "Service Ticket 404 not found"}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/company/companies")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"code": "ApiFindCondition", "message": "Cannot find field 'lastUpdate' in conditions"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/company/contacts")))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(
                json!({"code": "ConnectWiseApi", "message": "UserNotAuthenticated"}),
            ),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    match c.create_ticket(NewTicket::new("x").company("19299")).await {
        Err(e) if e.kind() == ErrorKind::Api => {
            let status = e.status().unwrap_or_default();
            let code = e.code();
            let message = e.message().unwrap_or_default();
            let details = e.details();
            assert_eq!(
                (status, code, message),
                (400, Some("InvalidObject"), "ticket object is invalid")
            );
            assert_eq!(details, ["company/id: company 19299 not found [NotFound]"]);
        }
        other => panic!("{other:?}"),
    }
    match c.ticket(&Id::from("404")).await {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "Service Ticket 404 not found")
        }
        other => panic!("{other:?}"),
    }
    let r: Result<Vec<_>, _> = c.companies(ListQuery::new()).try_collect().await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Api && e.status() == Some(400) && e.code() == Some("ApiFindCondition")),
        "{r:?}"
    );
    let r: Result<Vec<_>, _> = c.contacts(ListQuery::new()).try_collect().await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized && e.message() == Some("UserNotAuthenticated")),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_refused_key_is_unauthorized_without_a_retry() {
    let server = MockServer::start().await;
    Mock::given(header_exists("authorization"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"code": "Unauthorized", "message": "Authentication failed"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let r = client(&server).test_connection().await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized && e.message() == Some("Authentication failed")),
        "{r:?}"
    );
}

#[test]
fn build_checks_every_setting_before_any_request() {
    let ok = || {
        ConnectWiseClient::builder()
            .base_url("https://na.myconnectwise.net")
            .company_id("acme")
            .public_key("abc")
            .private_key("xyz")
            .client_id(CLIENT_ID)
    };
    assert!(ok().build().is_ok());
    let config =
        |b: ConnectWiseClientBuilder| matches!(&b.build(), Err(e) if e.kind() == ErrorKind::Config);
    assert!(config(ok().private_key(" ")));
    assert!(config(ok().public_key("")));
    assert!(config(ok().company_id("")));
    assert!(config(ok().client_id("")));
    assert!(config(ok().base_url("")));
    assert!(config(ok().base_url("not a url at all")));
    assert!(config(ok().base_url("ftp://na.myconnectwise.net")));
    assert!(config(ok().codebase("v4_6_release/../x")));
    assert!(config(ok().company_id("a+b")));
    assert!(config(ConnectWiseClient::builder().company_id("acme")));
    assert!(
        matches!(&ok().base_url("http://cw.example.com").build(), Err(e) if e.kind() == ErrorKind::InsecureUrl)
    );
    assert!(
        ok().base_url("http://cw.example.com")
            .allow_insecure_http()
            .build()
            .is_ok()
    );
}

#[test]
fn debug_shows_no_secret() {
    let settings: ConnectWiseSettings = serde_json::from_value(json!({
        "base_url": "https://na.myconnectwise.net", "company_id": "acme",
        "public_key": "pubKEY123", "private_key": "PRIVsecret456", "client_id": CLIENT_ID
    }))
    .unwrap();
    assert!(!format!("{settings:?}").contains("PRIVsecret456"));
    let client = ConnectWiseClient::from_settings(&settings).unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("PRIVsecret456"), "{debug}");
    assert!(
        !debug.contains("pubKEY123"),
        "the Basic user name carries the public key: {debug}"
    );
    let typo = serde_json::from_value::<ConnectWiseSettings>(json!({
        "base_url": "https://na.myconnectwise.net", "company_id": "acme", "public_key": "p",
        "private_key": "k", "client_id": "c", "codebsae": "v4_6_release"
    }));
    assert!(typo.is_err(), "a misspelt setting must not be ignored");
}

// ---- first contact and trust ---------------------------------------------

/// Every request but a token or look-up one: what the platform's API answers.
struct ApiCalls;

impl wiremock::Match for ApiCalls {
    fn matches(&self, r: &wiremock::Request) -> bool {
        let p = r.url.path().to_ascii_lowercase();
        !["token", "authinfo", "zoneinformation", "companyinfo"]
            .iter()
            .any(|w| p.contains(w))
    }
}

#[tokio::test]
async fn a_refused_first_call_says_what_to_check() {
    for (status, kind, what) in [
        (401, ErrorKind::Unauthorized, "company_id"),
        (403, ErrorKind::Forbidden, "security role"),
        (404, ErrorKind::NotFound, "codebase"),
    ] {
        let fake = mspkit_connectwise::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = ConnectWiseClient::from_settings_with(
            &fake.settings,
            mspkit_core::ClientOptions::new().retry(mspkit_testkit::fast_retry()),
        )
        .unwrap();
        let e = PsaClient::test_connection(&c).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        let hint = e.hint().unwrap_or_default();
        assert!(hint.contains(what), "{status}: {e}");
        assert!(e.to_string().ends_with(&format!("; check: {hint}")), "{e}");
    }
}

/// The settings' JSON the trust checks start from: the fake's, without
/// trust settings.
fn trust_base(fake: &mspkit_testkit::FakeServer<ConnectWiseSettings>) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "company_id": fake.settings.company_id,
        "public_key": fake.settings.public_key,
        "private_key": mspkit_connectwise::mock::PRIVATE_KEY,
        "client_id": fake.settings.client_id,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_connectwise::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: ConnectWiseSettings| async move {
        ConnectWiseClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&ConnectWiseClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_connectwise::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: ConnectWiseSettings| {
        ConnectWiseClient::from_settings(&s).map(drop)
    });
}
