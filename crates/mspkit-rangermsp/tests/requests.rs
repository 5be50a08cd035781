//! What goes over the wire: auth, each endpoint's method, path, query and
//! body, paging, and how the server's answers (error bodies included) come
//! back as results.

// Test helpers panic by design: a failed read is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    ErrorKind, Id, ListQuery, NewNote, NewTicket, Operation, PsaClient, TicketQuery, TicketState,
    TicketUpdate,
};
use mspkit_rangermsp::mock::{self, ACCOUNT_ID, API_KEY};
use mspkit_rangermsp::{RangerMspClient, RangerMspClientBuilder, RangerMspSettings};
use mspkit_testkit::fast_retry;
use serde_json::{Value, json};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn probe() -> DateTime<Utc> {
    "2024-03-05T06:07:08Z".parse().unwrap()
}

/// A client of a bare wiremock server, rooted at `{uri}/api/v1`.
fn client_of(server: &MockServer) -> RangerMspClient {
    builder_of(server).build().unwrap()
}

fn builder_of(server: &MockServer) -> RangerMspClientBuilder {
    RangerMspClient::builder()
        .base_url(format!("{}/api/v1", server.uri()))
        .api_key("k-123")
        .allow_insecure_http()
        .retry_policy(fast_retry())
}

/// A client of the fake.
fn client_of_fake(fake: &mock::FakeServer<RangerMspSettings>) -> RangerMspClient {
    RangerMspClientBuilder::from_settings(&fake.settings)
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The requests to `p`, as `path?query`.
async fn sent_to(server: &MockServer, p: &str) -> Vec<String> {
    requests(server)
        .await
        .into_iter()
        .filter(|r| r.url.path() == p)
        .map(|r| match r.url.query() {
            Some(q) => format!("{}?{q}", r.url.path()),
            None => r.url.path().to_owned(),
        })
        .collect()
}

fn json_body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

async fn reply(server: &MockServer, status: u16, body: &str) {
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(body.as_bytes().to_vec(), "application/json"),
        )
        .mount(server)
        .await;
}

fn page(items: Value, total: Option<u64>) -> ResponseTemplate {
    let mut body = json!({"data": items});
    if let Some(t) = total {
        body["total"] = json!(t);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn account(n: u64) -> Value {
    json!({"AccountREC_ID": format!("CRD{n:017}"), "CompanyName": format!("Company {n}")})
}

// --- settings and auth --------------------------------------------------

#[tokio::test]
async fn the_key_travels_as_a_bearer_header_and_never_in_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/companies"))
        .and(header("authorization", "Bearer k-123"))
        .respond_with(page(json!([]), Some(0)))
        .expect(1)
        .mount(&server)
        .await;
    let c = client_of(&server);
    c.test_connection().await.unwrap();
    let r = &requests(&server).await[0];
    assert_eq!(r.url.query(), Some("page=1&limit=1"));
    assert!(!r.url.as_str().contains("k-123"));
    assert!(
        r.headers.get("x-account-id").is_none(),
        "no account header unless account_id is set"
    );
}

#[tokio::test]
async fn account_id_travels_as_a_header_on_every_request() {
    let server = MockServer::start().await;
    Mock::given(header("x-account-id", "ACME-MSP-01"))
        .and(header("authorization", "Bearer k-123"))
        .respond_with(page(json!([account(1)]), Some(1)))
        .mount(&server)
        .await;
    let c = builder_of(&server)
        .account_id(" ACME-MSP-01 ")
        .build()
        .unwrap();
    c.test_connection().await.unwrap();
    let all: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn the_fake_checks_the_key_and_the_account() {
    let fake = mock::start().await;
    let http = mspkit_core::http::client_builder().build().unwrap();
    let url = format!("{}/api/v1/companies", fake.uri());
    let raw = http
        .get(&url)
        .header("authorization", API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 401, "a key without Bearer is refused");
    let ok = http.get(&url).bearer_auth(API_KEY).send().await.unwrap();
    assert_eq!(ok.status(), 200);

    let mut settings =
        RangerMspSettings::with_base_url(format!("{}/api/v1", fake.uri()), "not-the-key");
    settings.allow_insecure_http = true;
    let wrong = RangerMspClient::from_settings(&settings).unwrap();
    let e = wrong.test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.message(), Some("Invalid or missing API key"));
    assert_eq!(e.code(), Some("Unauthorized"));
    assert!(!format!("{e} {e:?} {wrong:?}").contains("not-the-key"));

    let mut settings = fake.settings.clone();
    settings.account_id = Some(ACCOUNT_ID.into());
    RangerMspClient::from_settings(&settings)
        .unwrap()
        .test_connection()
        .await
        .unwrap();
    settings.account_id = Some("OTHER".into());
    let e = RangerMspClient::from_settings(&settings)
        .unwrap()
        .test_connection()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        e.message(),
        Some("The API key has no access to this account")
    );
}

#[test]
fn settings_are_checked_before_any_request() {
    let kind = |b: RangerMspClientBuilder| b.build().unwrap_err().kind();
    assert_eq!(
        kind(RangerMspClient::builder()),
        ErrorKind::Config,
        "no key"
    );
    assert_eq!(
        kind(RangerMspClient::builder().api_key("  ")),
        ErrorKind::Config,
        "blank key"
    );
    assert_eq!(
        kind(
            RangerMspClient::builder()
                .api_key("k")
                .base_url("ftp://crm")
        ),
        ErrorKind::Config
    );
    assert_eq!(
        kind(
            RangerMspClient::builder()
                .api_key("k")
                .base_url("http://crm.example.com:8443")
        ),
        ErrorKind::InsecureUrl
    );
    assert_eq!(
        kind(
            RangerMspClient::builder()
                .api_key("k")
                .account_id("two words")
        ),
        ErrorKind::Config
    );
    let e = RangerMspClient::builder()
        .api_key("k")
        .account_id("bad\nvalue")
        .build()
        .unwrap_err();
    assert!(!e.to_string().contains("bad"), "{e}");
}

#[test]
fn the_default_root_is_the_cloud_and_a_bare_server_gets_api_v1() {
    let cloud = RangerMspClient::from_settings(&RangerMspSettings::new("k")).unwrap();
    assert_eq!(
        cloud.http().base_url().as_str(),
        "https://api.commitcrm.com/api/v1/"
    );
    let own = RangerMspClient::from_settings(&RangerMspSettings::with_base_url(
        "https://crm.example.com:8443",
        "k",
    ))
    .unwrap();
    assert_eq!(
        own.http().base_url().as_str(),
        "https://crm.example.com:8443/api/v1/"
    );
    let settings: RangerMspSettings = serde_json::from_value(json!({
        "api_key": "SECRET", "account_id": "A1", "allow_insecure_http": true
    }))
    .unwrap();
    assert_eq!(settings.account_id.as_deref(), Some("A1"));
    assert!(!format!("{settings:?}").contains("SECRET"));
    assert!(
        serde_json::from_value::<RangerMspSettings>(json!({"api_key": "k", "subdomain": "x"}))
            .is_err()
    );
}

// --- each endpoint ------------------------------------------------------

#[tokio::test]
async fn lists_send_page_limit_and_their_filters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(json!([]), None))
        .mount(&server)
        .await;
    let c = client_of(&server);
    let _: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    let _: Vec<_> = c
        .contacts(
            ListQuery::new()
                .company("CRD00000000000000003")
                .page_size(10),
        )
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c
        .tickets(TicketQuery::new().company("CRD00000000000000003").open())
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c
        .agreements(
            ListQuery::new()
                .company("CRD00000000000000003")
                .page_size(500),
        )
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c
        .ticket_notes(&Id::from("TKT/1 2"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        sent_to(&server, "/api/v1/companies").await,
        ["/api/v1/companies?limit=100&page=1"]
    );
    assert_eq!(
        sent_to(&server, "/api/v1/contacts").await,
        ["/api/v1/contacts?ParentAccountREC_ID=CRD00000000000000003&limit=10&page=1"]
    );
    assert_eq!(
        sent_to(&server, "/api/v1/tickets").await,
        ["/api/v1/tickets?AccountREC_ID=CRD00000000000000003&limit=100&page=1"],
        "open/closed is filtered client-side"
    );
    assert_eq!(
        sent_to(&server, "/api/v1/contracts").await,
        ["/api/v1/contracts?AccountREC_ID=CRD00000000000000003&limit=100&page=1"],
        "the page size is capped at 100"
    );
    assert_eq!(
        sent_to(&server, "/api/v1/tickets/TKT%2F1%202/notes").await,
        ["/api/v1/tickets/TKT%2F1%202/notes?limit=100&page=1"]
    );
}

#[tokio::test]
async fn single_reads_take_data_or_the_bare_item() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/companies/CRD00000000000000001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": account(1)})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tickets/TKT00000000000000001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ticketRecId": "TKT00000000000000001", "description": "Bare"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tickets/TKT00000000000000002"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": null})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/tickets/TKT00000000000000003"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"result": "ok"})))
        .mount(&server)
        .await;
    let c = client_of(&server);
    let co = c.company(&Id::from("CRD00000000000000001")).await.unwrap();
    assert_eq!(co.name, "Company 1");
    let t = c.ticket(&Id::from("TKT00000000000000001")).await.unwrap();
    assert_eq!(t.summary, "Bare");
    let e = c
        .ticket(&Id::from("TKT00000000000000002"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.target(), Some("TKT00000000000000002"));
    let e = c
        .ticket(&Id::from("TKT00000000000000003"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("no `data`"), "{e}");
}

#[tokio::test]
async fn create_ticket_posts_the_rangermsp_fields() {
    let fake = mock::start().await;
    let c = client_of_fake(&fake);
    let mut new = NewTicket::new("  Server room too warm ")
        .description("The AC unit is off.\nTemperature 31C.")
        .company("CRD00000000000000004")
        .contact("CRD00000000000005004")
        .status("200")
        .priority("High");
    new.extra.insert("TicketType".into(), json!("Maintenance"));
    let t = c.create_ticket(new).await.unwrap();
    let r = requests(&fake.server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    assert_eq!(r.url.path(), "/api/v1/tickets");
    assert_eq!(
        json_body(&r),
        json!({
            "AccountREC_ID": "CRD00000000000000004",
            "ContactREC_ID": "CRD00000000000005004",
            "Description": "Server room too warm\nThe AC unit is off.\nTemperature 31C.",
            "Status": 200,
            "TicketPriority": "High",
            "TicketType": "Maintenance",
        })
    );
    assert_eq!(t.id, Id::from(mock::CREATED_TICKET));
    assert_eq!(t.summary, "Server room too warm");
    assert_eq!(t.company_id, Some(Id::from("CRD00000000000000004")));
    assert_eq!(t.status.id, Some(Id::from("200")));
    assert_eq!(
        t.priority.as_ref().and_then(|p| p.label.as_deref()),
        Some("High")
    );

    // No account: the server's 422 with its field errors.
    let e = c.create_ticket(NewTicket::new("x")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(422));
    assert_eq!(e.code(), Some("ValidationFailed"));
    assert_eq!(e.message(), Some("The ticket is not valid"));
    assert_eq!(e.details(), ["AccountREC_ID: is required"]);
}

#[tokio::test]
async fn history_notes_are_listed_and_added() {
    let fake = mock::start().await;
    let c = client_of_fake(&fake);
    let ticket = Id::from(mock::TICKET_WITH_NOTES.0);
    let notes: Vec<_> = c.ticket_notes(&ticket).try_collect().await.unwrap();
    assert_eq!(notes.len(), mock::TICKET_WITH_NOTES.1);
    assert!(notes.iter().all(|n| n.ticket_id == ticket && n.internal));

    let mut n = NewNote::new("Replaced the toner; printing again.");
    n.extra.insert("Field1".into(), json!("visit"));
    let added = c.add_ticket_note(&ticket, n).await.unwrap();
    let r = requests(&fake.server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    assert_eq!(
        r.url.path(),
        format!("/api/v1/tickets/{}/notes", mock::TICKET_WITH_NOTES.0)
    );
    assert_eq!(
        json_body(&r),
        json!({"Description": "Replaced the toner; printing again.", "Field1": "visit"})
    );
    assert_eq!(added.id, Id::from(mock::ADDED_NOTE));
    assert_eq!(added.ticket_id, ticket);
    assert_eq!(added.text, "Replaced the toner; printing again.");
    assert_eq!(added.author.as_deref(), Some("API"));

    let e = c
        .add_ticket_note(&Id::from("TKT99999999999999999"), NewNote::new("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.target(), Some("TKT99999999999999999"));
    let e = c
        .ticket_notes(&Id::from("TKT99999999999999999"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.to_string().contains("TKT99999999999999999: "), "{e}");
}

#[tokio::test]
async fn update_ticket_is_unsupported_and_sends_nothing() {
    let server = MockServer::start().await;
    let c = client_of(&server);
    assert!(!c.capabilities().supports(Operation::UpdateTicket));
    assert!(c.capabilities().supports(Operation::AddTicketNote));
    let e = c
        .update_ticket(&Id::from("TKT1"), TicketUpdate::new().summary("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn the_fake_answers_405_to_other_methods() {
    let fake = mock::start().await;
    let http = mspkit_core::http::client_builder().build().unwrap();
    let r = http
        .put(format!(
            "{}/api/v1/tickets/{}",
            fake.uri(),
            mock::TICKET_WITH_NOTES.0
        ))
        .bearer_auth(API_KEY)
        .json(&json!({"Status": 1000}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
}

// --- updated_since ------------------------------------------------------

#[tokio::test]
async fn updated_since_filters_client_side_without_a_parameter() {
    let fake = mock::start().await;
    let c = client_of_fake(&fake);
    let since = probe();
    let tickets: Vec<_> = c
        .tickets(TicketQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!tickets.is_empty());
    assert!(tickets.len() < fake.expected.tickets.unwrap());
    assert!(tickets.iter().all(|t| t.updated_at.unwrap() >= since));
    let companies: Vec<_> = c
        .companies(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(companies.len() < fake.expected.companies.unwrap());
    let contacts: Vec<_> = c
        .contacts(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(contacts.len() < fake.expected.contacts.unwrap());
    for r in requests(&fake.server).await {
        let q = r.url.query().unwrap_or_default();
        assert!(!q.contains("2024") && !q.contains("since"), "{q}");
    }
}

// --- paging -------------------------------------------------------------

#[tokio::test]
async fn a_list_with_a_total_walks_every_page() {
    let fake = mock::start().await;
    let c = client_of_fake(&fake);
    let all: Vec<_> = c
        .tickets(TicketQuery::new().page_size(20))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 75);
    let mut sent = sent_to(&fake.server, "/api/v1/tickets").await;
    sent.sort();
    assert_eq!(
        sent,
        [
            "/api/v1/tickets?limit=20&page=1",
            "/api/v1/tickets?limit=20&page=2",
            "/api/v1/tickets?limit=20&page=3",
            "/api/v1/tickets?limit=20&page=4",
        ]
    );
}

#[tokio::test]
async fn a_list_without_a_total_ends_on_a_short_page() {
    let fake = mock::start().await;
    let c = client_of_fake(&fake);
    let all: Vec<_> = c
        .agreements(ListQuery::new().page_size(10))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 41);
    assert_eq!(sent_to(&fake.server, "/api/v1/contracts").await.len(), 5);

    // An exact multiple: one more page, empty, ends it.
    let server = MockServer::start().await;
    for (p, items) in [
        (1, json!([account(1), account(2)])),
        (2, json!([account(3), account(4)])),
        (3, json!([])),
    ] {
        Mock::given(method("GET"))
            .and(path("/api/v1/companies"))
            .and(wiremock::matchers::query_param("page", p.to_string()))
            .respond_with(page(items, None))
            .mount(&server)
            .await;
    }
    let c = client_of(&server);
    let all: Vec<_> = c
        .companies(ListQuery::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(sent_to(&server, "/api/v1/companies").await.len(), 3);
}

#[tokio::test]
async fn a_total_that_does_not_arrive_is_a_paging_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/companies"))
        .and(wiremock::matchers::query_param("page", "1"))
        .respond_with(page(json!([account(1), account(2)]), Some(5)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/companies"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(page(json!([account(3)]), Some(5)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(page(json!([]), Some(5)))
        .with_priority(10)
        .mount(&server)
        .await;
    let c = client_of(&server);
    let e = c
        .companies(ListQuery::new().page_size(2))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Paging, "{e}");
}

#[tokio::test]
async fn open_and_closed_tickets_split_on_status_1000() {
    let fake = mock::start().await;
    let c = client_of_fake(&fake);
    let open: Vec<_> = c
        .tickets(TicketQuery::new().open())
        .try_collect()
        .await
        .unwrap();
    let closed: Vec<_> = c
        .tickets(TicketQuery::new().closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(open.len() + closed.len(), 75);
    assert_eq!(closed.len(), 15);
    assert!(closed.iter().all(|t| t.status.state == TicketState::Closed
        && t.status.id == Some(Id::from("1000"))
        && t.closed_at.is_some()));
    assert!(open.iter().all(|t| t.closed_at.is_none()));
}

// --- errors -------------------------------------------------------------

#[tokio::test]
async fn a_404_on_the_api_root_says_there_is_no_http_api() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            "<html><body><h2>404 - File or directory not found.</h2></body></html>",
            "text/html",
        ))
        .mount(&server)
        .await;
    let c = client_of(&server);
    let e = c.test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.status(), Some(404));
    let text = e.to_string();
    assert!(text.contains("no RangerMSP HTTP API answers at"), "{text}");
    assert!(text.contains("/api/v1/"), "{text}");
    let e = c
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("no RangerMSP HTTP API"), "{e}");
    // A single read's 404 is the item's.
    let e = c.ticket(&Id::from("TKT1")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.to_string().contains("ticket TKT1"), "{e}");
    assert!(!e.to_string().contains("no RangerMSP HTTP API"), "{e}");
    // Nothing has answered yet: it still says what to check.
    assert!(e.hint().is_some_and(|h| h.contains("base_url")), "{e}");
}

#[tokio::test]
async fn a_web_page_where_the_api_should_be_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<!DOCTYPE html><html><title>RangerMSP Web Interface</title></html>",
            "text/html",
        ))
        .mount(&server)
        .await;
    let e = client_of(&server).test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let server = MockServer::start().await;
    reply(&server, 200, r#"{"status": "ok"}"#).await;
    let e = client_of(&server).test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("RangerMSP HTTP API"), "{e}");
}

#[tokio::test]
async fn error_bodies_map_to_kinds_with_their_messages() {
    for (status, body, kind, message) in [
        (
            401,
            r#"{"error": {"code": "Unauthorized", "message": "Invalid or missing API key"}}"#,
            ErrorKind::Unauthorized,
            Some("Invalid or missing API key"),
        ),
        (
            403,
            r#"{"error": {"code": "Forbidden", "message": "API access is disabled for this user"}}"#,
            ErrorKind::Forbidden,
            Some("API access is disabled for this user"),
        ),
        (
            400,
            r#"{"message": "Unknown field", "errors": [{"field": "Sort", "message": "is not supported"}]}"#,
            ErrorKind::Api,
            Some("Unknown field"),
        ),
        (500, "Internal Server Error", ErrorKind::Server, None),
        (
            503,
            r#"{"Message": "RangerMSP is down for maintenance"}"#,
            ErrorKind::Server,
            None,
        ),
    ] {
        let server = MockServer::start().await;
        reply(&server, status, body).await;
        let e = client_of(&server)
            .companies(ListQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), kind, "{status}: {e}");
        assert_eq!(e.status(), Some(status));
        if message.is_some() {
            assert_eq!(e.message(), message, "{status}");
        }
        assert!(!format!("{e:?}").contains("k-123"));
    }
}

#[tokio::test]
async fn a_429_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(page(json!([account(1)]), Some(1)))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let all: Vec<_> = client_of(&server)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
}

#[tokio::test]
async fn a_refusal_answered_with_200_is_an_error() {
    let server = MockServer::start().await;
    reply(
        &server,
        200,
        r#"{"success": false, "message": "RangerMSP is down for maintenance"}"#,
    )
    .await;
    let c = client_of(&server);
    let e = c.ticket(&Id::from("TKT1")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.message(), Some("RangerMSP is down for maintenance"));
    let e = c
        .companies(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "a list without `data`");
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_decode_errors() {
    for body in [
        "{not json",
        r#"{"data": [{"AccountREC_ID": "CRD00000000000000001", "CompanyName": "Ac"#,
        r#"{"data": [{"CompanyName": "No id"}]}"#,
        r#"{"data": [{"AccountREC_ID": "CRD00000000000000001", "UpdateDate": "2024-13-45"}]}"#,
    ] {
        let server = MockServer::start().await;
        reply(&server, 200, body).await;
        let e = client_of(&server)
            .companies(ListQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{body}: {e}");
    }
    let server = MockServer::start().await;
    reply(
        &server,
        200,
        r#"{"data": [{"AccountREC_ID": "CRD00000000000000001", "UpdateDate": "31/02/2024"}]}"#,
    )
    .await;
    let e = client_of(&server)
        .companies(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.decode_path(), Some("data[0].UpdateDate"), "{e}");
}

// ---- first contact and trust ---------------------------------------------

#[tokio::test]
async fn a_refused_first_call_says_what_to_check() {
    for (status, kind, what) in [
        (401, ErrorKind::Unauthorized, "API Access"),
        (403, ErrorKind::Forbidden, "account_id"),
        (404, ErrorKind::NotFound, "8443"),
    ] {
        let fake = mock::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = RangerMspClient::from_settings_with(
            &fake.settings,
            mspkit_core::ClientOptions::new().retry(fast_retry()),
        )
        .unwrap();
        let e = PsaClient::test_connection(&c).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        let hint = e.hint().unwrap_or_default();
        assert!(hint.contains(what), "{status}: {e}");
        assert!(e.to_string().ends_with(&format!("; check: {hint}")), "{e}");
    }
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mock::start().await;
    let base = json!({
        "base_url": fake.settings.base_url,
        "api_key": API_KEY,
        "account_id": ACCOUNT_ID,
        "allow_insecure_http": true,
    });
    mspkit_testkit::check_trust_settings(base, |s: RangerMspSettings| async move {
        RangerMspClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&RangerMspClient::from_settings(&s)?).await
    })
    .await;
}
