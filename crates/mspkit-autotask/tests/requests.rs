//! Every request the client sends, checked on the wire against wiremock:
//! auth headers, zone look-up, query filters, paging, writes and errors.

// Helpers outside #[test] functions panic on purpose too: a failed set-up is a failed test.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mspkit_autotask::{AutotaskClient, AutotaskSettings};
use mspkit_core::{
    ErrorKind, Id, ListQuery, NewNote, NewTicket, PsaClient, TicketQuery, TicketState, TicketUpdate,
};
use mspkit_testkit::{fast_retry, received};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROOT: &str = "/atservicesrest/v1.0";
const SECRET: &str = "Wire-Secret-0042";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn ticket_item() -> Value {
    fixture("ticket.json")
}

fn since() -> DateTime<Utc> {
    DateTime::from_timestamp(1_709_618_828, 0).unwrap()
}

fn client(server: &MockServer) -> AutotaskClient {
    AutotaskClient::builder()
        .username("api_user@acme.com")
        .secret(SECRET)
        .integration_code("ABCDEFGH00100244MMEEE333")
        .base_url(format!("{}/atservicesrest", server.uri()))
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

fn page(items: Vec<Value>, next: Option<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "items": items,
        "pageDetails": {"count": items.len(), "requestCount": 500, "prevPageUrl": null, "nextPageUrl": next}
    }))
}

fn p(rest: &str) -> String {
    format!("{ROOT}/{rest}")
}

/// The picklists and look-ups that ticket and note lists read first.
async fn mount_lookups(server: &MockServer) {
    for (entity, file) in [
        ("Tickets", "ticket_fields.json"),
        ("TicketNotes", "note_fields.json"),
        ("Contracts", "contract_fields.json"),
    ] {
        Mock::given(method("GET"))
            .and(path(p(&format!("{entity}/entityInformation/fields"))))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture(file)))
            .mount(server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path(p("Resources/query")))
        .respond_with(page(
            vec![json!({"id": 29682899, "firstName": "Trillian", "lastName": "Astra", "isActive": true})],
            None,
        ))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("Countries/query")))
        .respond_with(page(
            vec![json!({"id": 23, "countryCode": "BE", "displayName": "Belgium", "name": "BELGIUM", "isActive": true})],
            None,
        ))
        .mount(server)
        .await;
}

fn with_id(mut v: Value, id: i64) -> Value {
    v["id"] = json!(id);
    v
}

#[tokio::test]
async fn every_request_carries_the_three_headers_and_no_more() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(p("ThresholdInformation")))
        .and(header("ApiIntegrationCode", "ABCDEFGH00100244MMEEE333"))
        .and(header("UserName", "api_user@acme.com"))
        .and(header("Secret", SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "externalRequestThreshold": 10000, "requestThresholdTimeframe": 60, "currentTimeframeRequestCount": 1234
        })))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server);
    c.test_connection().await.unwrap();
    let t = c.threshold_information().await.unwrap();
    assert_eq!(t.external_request_threshold, 10000);
    assert_eq!(t.request_threshold_timeframe, 60);
    assert_eq!(t.current_timeframe_request_count, 1234);
    let sent = received(&server).await;
    assert!(
        sent.iter()
            .all(|r| !r.headers.contains_key("impersonationresourceid"))
    );
}

#[tokio::test]
async fn impersonation_sends_the_resource_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(p("ThresholdInformation")))
        .and(header("ImpersonationResourceId", "29682885"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "externalRequestThreshold": 10000, "requestThresholdTimeframe": 60, "currentTimeframeRequestCount": 1
        })))
        .expect(1)
        .mount(&server)
        .await;
    let settings: AutotaskSettings = serde_json::from_value(json!({
        "username": "api_user@acme.com", "secret": SECRET, "integration_code": "CODE",
        "base_url": format!("{}/atservicesrest", server.uri()),
        "impersonation_resource_id": "29682885", "allow_insecure_http": true
    }))
    .unwrap();
    AutotaskClient::from_settings(&settings)
        .unwrap()
        .test_connection()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_zone_is_looked_up_once_without_credentials() {
    let lookup = MockServer::start().await;
    let zone = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/atservicesrest/v1.0/zoneInformation"))
        .and(query_param("user", "api_user@acme.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "zoneName": "America East 5",
            "url": format!("{}/atservicesrest/", zone.uri()),
            "webUrl": "https://ww5.autotask.net/",
            "ci": 12345
        })))
        .expect(1)
        .mount(&lookup)
        .await;
    Mock::given(method("GET"))
        .and(path(p("ThresholdInformation")))
        .and(header("Secret", SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "externalRequestThreshold": 10000, "requestThresholdTimeframe": 60, "currentTimeframeRequestCount": 1
        })))
        .expect(2)
        .mount(&zone)
        .await;
    let c = AutotaskClient::builder()
        .username("api_user@acme.com")
        .secret(SECRET)
        .integration_code("CODE")
        .zone_lookup_url(format!("{}/atservicesrest", lookup.uri()))
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    assert!(format!("{c:?}").contains("to be looked up"));
    c.test_connection().await.unwrap();
    c.clone().test_connection().await.unwrap();
    let sent = received(&lookup).await;
    assert!(sent.iter().all(|r| !r.headers.contains_key("secret")));
    assert!(format!("{c:?}").contains(&zone.uri()));
}

#[tokio::test]
async fn an_unknown_user_at_zone_lookup_is_unauthorized() {
    let lookup = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/atservicesrest/v1.0/zoneInformation"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"errors": ["Zone information could not be determined"]})),
        )
        .expect(1)
        .mount(&lookup)
        .await;
    let c = AutotaskClient::builder()
        .username("nobody@acme.com")
        .secret(SECRET)
        .integration_code("CODE")
        .zone_lookup_url(lookup.uri())
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .build()
        .unwrap();
    match c.test_connection().await {
        Err(e) if e.kind() == ErrorKind::Unauthorized => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "Zone information could not be determined")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn companies_query_everything_then_by_activity_date() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    let company = fixture("company_query.json")["items"][0].clone();
    Mock::given(method("POST"))
        .and(path(p("Companies/query")))
        .and(body_json(
            json!({"filter": [{"op": "gte", "field": "id", "value": 0}], "MaxRecords": 500}),
        ))
        .respond_with(page(vec![company.clone()], None))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("Companies/query")))
        .and(body_json(json!({"filter": [{"op": "or", "items": [
            {"op": "gte", "field": "lastActivityDate", "value": "2024-03-05T06:07:08.000Z"},
            {"op": "gte", "field": "lastTrackedModifiedDateTime", "value": "2024-03-05T06:07:08.000Z"}
        ]}], "MaxRecords": 50})))
        .respond_with(page(vec![], None))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let all: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(all[0].name, "Sirius Cybernetics Corporation");
    let changed: Vec<_> = c
        .companies(ListQuery::new().updated_since(since()).page_size(50))
        .try_collect()
        .await
        .unwrap();
    assert!(changed.is_empty());
}

#[tokio::test]
async fn contacts_of_a_company_changed_since() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(p("Contacts/query")))
        .and(body_json(json!({"filter": [
            {"op": "eq", "field": "companyID", "value": 176},
            {"op": "or", "items": [
                {"op": "gte", "field": "lastActivityDate", "value": "2024-03-05T06:07:08.000Z"},
                {"op": "gte", "field": "lastModifiedDate", "value": "2024-03-05T06:07:08.000Z"}
            ]}
        ], "MaxRecords": 500})))
        .respond_with(page(vec![fixture("contact.json")], None))
        .expect(1)
        .mount(&server)
        .await;
    let contacts: Vec<_> = client(&server)
        .contacts(ListQuery::new().company("176").updated_since(since()))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].company_id, Some(Id::from("176")));
}

#[tokio::test]
async fn open_tickets_exclude_the_picklists_complete_status() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    let open = with_id(
        json!({"id": 1, "title": "Open one", "status": 8, "priority": 2}),
        30000,
    );
    Mock::given(method("POST"))
        .and(path(p("Tickets/query")))
        .and(body_json(json!({"filter": [
            {"op": "eq", "field": "companyID", "value": 629},
            {"op": "or", "items": [
                {"op": "gte", "field": "lastActivityDate", "value": "2024-03-05T06:07:08.000Z"},
                {"op": "gte", "field": "lastTrackedModificationDateTime", "value": "2024-03-05T06:07:08.000Z"}
            ]},
            {"op": "notIn", "field": "status", "value": [5]}
        ], "MaxRecords": 25})))
        .respond_with(page(vec![open], None))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("Tickets/query")))
        .and(body_json(
            json!({"filter": [{"op": "in", "field": "status", "value": [5]}], "MaxRecords": 500}),
        ))
        .respond_with(page(vec![ticket_item()], None))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let tickets: Vec<_> = c
        .tickets(
            TicketQuery::new()
                .company("629")
                .updated_since(since())
                .open()
                .page_size(25),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tickets[0].status.state, TicketState::InProgress);
    let closed: Vec<_> = c
        .tickets(TicketQuery::new().closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(closed[0].status.state, TicketState::Closed);
    // The picklist is read once per client.
    let fields_reads = received(&server)
        .await
        .iter()
        .filter(|r| r.url.path().ends_with("Tickets/entityInformation/fields"))
        .count();
    assert_eq!(fields_reads, 1);
}

fn tickets_page(ids: &[i64]) -> Vec<Value> {
    ids.iter()
        .map(|id| json!({"id": id, "title": format!("T{id}"), "status": 1, "priority": 2}))
        .collect()
}

#[tokio::test]
async fn pages_follow_next_page_links_with_post_and_the_same_body() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    let link = format!(
        "{}{ROOT}/Tickets/query/next?paging=%7B%22pageSize%22%3A2%2C%22previousIds%22%3A%5B10%5D%2C%22nextIds%22%3A%5B30%5D%7D&search=%7B%22filter%22%3A%5B%5D%7D",
        server.uri()
    );
    Mock::given(method("POST"))
        .and(path(p("Tickets/query")))
        .and(body_json(
            json!({"filter": [{"op": "gte", "field": "id", "value": 0}], "MaxRecords": 2}),
        ))
        .respond_with(page(tickets_page(&[10, 20]), Some(link)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("Tickets/query/next")))
        .and(query_param(
            "paging",
            r#"{"pageSize":2,"previousIds":[10],"nextIds":[30]}"#,
        ))
        .and(header("Secret", SECRET))
        .and(body_json(
            json!({"filter": [{"op": "gte", "field": "id", "value": 0}], "MaxRecords": 2}),
        ))
        .respond_with(page(tickets_page(&[30]), None))
        .expect(1)
        .mount(&server)
        .await;
    let ids: Vec<String> = client(&server)
        .tickets(TicketQuery::new().page_size(2))
        .map_ok(|t| t.id.into_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["10", "20", "30"]);
}

/// A client of the fake zone that keeps raw JSON.
fn fake_client(fake: &mspkit_testkit::FakeServer<AutotaskSettings>) -> AutotaskClient {
    let options = mspkit_core::ClientOptions::new()
        .retry(fast_retry())
        .keep_raw(true);
    AutotaskClient::from_settings_with(&fake.settings, options).unwrap()
}

/// The JSON bodies POSTed to `rest` (under the API root), in order.
async fn posted(server: &MockServer, rest: &str) -> Vec<Value> {
    received(server)
        .await
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path().eq_ignore_ascii_case(&p(rest)))
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

/// The conformance suite's paging check bites only if the fake's next
/// page cannot be worked out: Autotask's `paging=` token is opaque, and so
/// is the fake's.
#[tokio::test]
async fn the_fakes_next_page_must_be_followed_not_guessed() {
    let fake = mspkit_autotask::mock::start().await;
    let c = fake_client(&fake);
    c.test_connection().await.unwrap();
    let body = json!({"filter": [{"op": "exist", "field": "id"}], "MaxRecords": 2});
    let first: Value = c
        .http()
        .post("tickets", "Tickets/query")
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    let link = first["pageDetails"]["nextPageUrl"].as_str().unwrap();
    assert!(link.contains("/Tickets/query/next?"), "{link}");
    assert!(!link.contains("paging=2"), "{link}");
    let guessed = c
        .http()
        .post("tickets", "Tickets/query/next")
        .query(&[("MaxRecords", "2"), ("paging", "2")])
        .json(&body)
        .send()
        .await
        .unwrap_err();
    assert_eq!(guessed.status(), Some(400), "{guessed}");
}

fn ticket_ids(tickets: &[mspkit_core::Ticket]) -> Vec<i64> {
    tickets
        .iter()
        .map(|t| t.id.as_str().parse().unwrap())
        .collect()
}

/// A next-page link refused part-way: the list goes on with a re-query by
/// id that keeps the original filter, and every record comes once, in order.
#[tokio::test]
async fn a_refused_next_page_link_goes_on_with_an_id_gt_requery() {
    let q = || TicketQuery::new().open().page_size(2);
    let whole = mspkit_autotask::mock::start().await;
    let expected: Vec<_> = fake_client(&whole)
        .tickets(q())
        .try_collect()
        .await
        .unwrap();
    let expected = ticket_ids(&expected);
    assert!(expected.len() > 6, "{expected:?}");

    let fake = mspkit_autotask::mock::start_refusing_next_page(2).await;
    let got: Vec<_> = fake_client(&fake).tickets(q()).try_collect().await.unwrap();
    assert_eq!(ticket_ids(&got), expected);
    assert!(
        got.iter()
            .all(|t| t.raw.as_ref().is_some_and(|r| r["id"].is_i64()))
    );

    let queries = posted(&fake.server, "Tickets/query").await;
    assert_eq!(queries.len(), 2, "{queries:?}");
    let mut filter = queries[0]["filter"].as_array().unwrap().clone();
    filter.push(json!({"op": "gt", "field": "id", "value": expected[3]}));
    assert_eq!(queries[1], json!({"filter": filter, "MaxRecords": 2}));
}

/// Refused credentials and server failures on a next-page link are the
/// request's trouble, not the link's: no re-query, the error as it was.
#[tokio::test]
async fn a_401_or_500_on_a_next_page_link_is_not_requeried() {
    for (status, kind) in [(401, ErrorKind::Unauthorized), (500, ErrorKind::Server)] {
        let server = MockServer::start().await;
        mount_lookups(&server).await;
        let link = format!("{}{ROOT}/Tickets/query/next?paging=x", server.uri());
        Mock::given(method("POST"))
            .and(path(p("Tickets/query")))
            .respond_with(page(tickets_page(&[10, 20]), Some(link)))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(p("Tickets/query/next")))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let r: Result<Vec<_>, _> = client(&server)
            .tickets(TicketQuery::new().company("629").page_size(2))
            .try_collect()
            .await;
        assert!(matches!(&r, Err(e) if e.kind() == kind), "{status}: {r:?}");
        assert_eq!(posted(&server, "Tickets/query").await.len(), 1, "{status}");
        let nexts = posted(&server, "Tickets/query/next").await.len();
        let retried = if status == 500 { 3 } else { 1 };
        assert_eq!(nexts, retried, "{status}");
    }
}

/// A re-query that does not rise above the last id received would repeat
/// records or loop: it ends the list with `Paging`.
#[tokio::test]
async fn a_requery_that_goes_backwards_ends_with_paging() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    let link = format!("{}{ROOT}/Tickets/query/next?paging=x", server.uri());
    let company = json!({"op": "eq", "field": "companyID", "value": 629});
    Mock::given(method("POST"))
        .and(path(p("Tickets/query")))
        .and(body_json(json!({"filter": [company], "MaxRecords": 2})))
        .respond_with(page(tickets_page(&[10, 20]), Some(link)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("Tickets/query/next")))
        .respond_with(ResponseTemplate::new(405).set_body_json(
            json!({"errors": ["The requested resource does not support http method 'POST'."]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let after = json!({"op": "gt", "field": "id", "value": 20});
    Mock::given(method("POST"))
        .and(path(p("Tickets/query")))
        .and(body_json(
            json!({"filter": [company, after], "MaxRecords": 2}),
        ))
        .respond_with(page(tickets_page(&[15, 30]), None))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let mut list = c.tickets(TicketQuery::new().company("629").page_size(2));
    let mut ids = Vec::new();
    let end = loop {
        match list.try_next().await {
            Ok(Some(t)) => ids.push(t.id.into_string()),
            Ok(None) => break None,
            Err(e) => break Some(e),
        }
    };
    assert_eq!(ids, ["10", "20"]);
    assert!(
        matches!(&end, Some(e) if e.kind() == ErrorKind::Paging),
        "{end:?}"
    );
}

/// `limit` is counted across a re-query: the list stops at it, with no
/// request for what it would not yield.
#[tokio::test]
async fn a_limit_stops_the_list_without_extra_requests() {
    for (limit, queries, nexts) in [(4, 1, 1), (5, 2, 2)] {
        let fake = mspkit_autotask::mock::start_refusing_next_page(2).await;
        let q = TicketQuery::new().page_size(2).limit(limit);
        let got: Vec<_> = fake_client(&fake).tickets(q).try_collect().await.unwrap();
        assert_eq!(got.len(), limit);
        let ids = ticket_ids(&got);
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        let sent = posted(&fake.server, "Tickets/query").await;
        assert_eq!(sent.len(), queries, "{limit}: {sent:?}");
        if let Some(requery) = sent.get(1) {
            assert_eq!(requery["MaxRecords"], 1, "{requery}");
        }
        let next = posted(&fake.server, "Tickets/query/next").await;
        assert_eq!(next.len(), nexts, "{limit}");
    }
}

#[tokio::test]
async fn notes_and_contracts_are_queried_by_their_parent() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    Mock::given(method("POST"))
        .and(path(p("TicketNotes/query")))
        .and(body_json(json!({"filter": [{"op": "eq", "field": "ticketID", "value": 29296}], "MaxRecords": 500})))
        .respond_with(page(vec![json!({"id": 5, "ticketID": 29296, "title": "t", "description": "d", "noteType": 1, "publish": 2, "creatorResourceID": 29682899, "createDateTime": "2024-03-01T10:00:00Z"})], None))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("Contracts/query")))
        .and(body_json(json!({"filter": [{"op": "eq", "field": "companyID", "value": 629}], "MaxRecords": 500})))
        .respond_with(page(vec![json!({"id": 29683361, "companyID": 629, "contractName": "Managed", "contractType": 7, "status": 1, "startDate": "2024-01-01T00:00:00", "endDate": "2024-12-31T00:00:00"})], None))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let notes: Vec<_> = c
        .ticket_notes(&Id::from("29296"))
        .try_collect()
        .await
        .unwrap();
    assert!(notes[0].internal);
    assert_eq!(notes[0].author.as_deref(), Some("Trillian Astra"));
    let contracts: Vec<_> = c
        .agreements(ListQuery::new().company("629"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(contracts[0].kind.as_deref(), Some("Recurring Service"));
}

#[tokio::test]
async fn a_null_item_is_not_found_and_a_text_id_is_refused_without_a_request() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    Mock::given(method("GET"))
        .and(path(p("Tickets/424242")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"item": null})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert!(
        matches!(&c.ticket(&Id::from("424242")).await, Err(e) if e.kind() == ErrorKind::NotFound)
    );
    assert!(
        matches!(&c.ticket(&Id::from("../Companies")).await, Err(e) if e.kind() == ErrorKind::Config)
    );
}

#[tokio::test]
async fn create_ticket_posts_the_exact_body_then_reads_the_ticket() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    Mock::given(method("POST"))
        .and(path(p("Tickets")))
        .and(body_json(json!({
            "title": "Printer offline",
            "description": "Floor 2",
            "companyID": 629,
            "contactID": 30684718,
            "status": 1,
            "priority": 2,
            "queueID": 29683354,
            "dueDateTime": "2024-03-06T17:00:00Z"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"itemId": 29296})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("Tickets/29296")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"item": ticket_item()})))
        .expect(1)
        .mount(&server)
        .await;
    let t = client(&server)
        .create_ticket(
            NewTicket::new("Printer offline")
                .description("Floor 2")
                .company("629")
                .contact("30684718")
                .extra("queueID", 29683354)
                .extra("dueDateTime", "2024-03-06T17:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(t.id, Id::from("29296"));
}

#[tokio::test]
async fn update_ticket_patches_with_the_id_in_the_body() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    Mock::given(method("PATCH"))
        .and(path(p("Tickets")))
        .and(body_json(
            json!({"id": 29296, "status": 5, "priority": 4, "title": "Renamed"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"itemId": 29296})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(p("Tickets")))
        .and(body_json(json!({"id": 29296, "status": 7})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"itemId": 29296})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("Tickets/29296")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"item": ticket_item()})))
        .mount(&server)
        .await;
    let c = client(&server);
    let id = Id::from("29296");
    c.update_ticket(
        &id,
        TicketUpdate::new()
            .summary("Renamed")
            .status_id("5")
            .priority("4"),
    )
    .await
    .unwrap();
    // A normalized state picks the tenant's first status in that state.
    c.update_ticket(&id, TicketUpdate::new().state(TicketState::Waiting))
        .await
        .unwrap();
    let none = c
        .update_ticket(&id, TicketUpdate::new().state(TicketState::Resolved))
        .await;
    assert!(
        matches!(&none, Err(e) if e.kind() == ErrorKind::Refused && e.target() == Some("29296")),
        "{none:?}"
    );
}

#[tokio::test]
async fn add_note_posts_under_the_ticket_then_reads_the_note() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    Mock::given(method("POST"))
        .and(path(p("Tickets/29296/Notes")))
        .and(body_json(json!({
            "ticketID": 29296,
            "title": "Rebooted the printer.",
            "description": "Rebooted the printer.\nWorks again.",
            "noteType": 3,
            "publish": 2
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"itemId": 31000})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("TicketNotes/31000")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"item": {
            "id": 31000, "ticketID": 29296, "title": "Rebooted the printer.",
            "description": "Rebooted the printer.\nWorks again.", "noteType": 3, "publish": 2,
            "creatorResourceID": 29682899, "createDateTime": "2024-03-09T10:00:00.25Z",
            "impersonatorCreatorResourceID": null, "impersonatorUpdaterResourceID": null,
            "lastActivityDate": "2024-03-09T10:00:00.25Z"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let note = client(&server)
        .add_ticket_note(
            &Id::from("29296"),
            NewNote::internal("Rebooted the printer.\nWorks again."),
        )
        .await
        .unwrap();
    assert!(note.internal);
    assert_eq!(note.ticket_id, Id::from("29296"));
}

#[tokio::test]
async fn a_500_naming_the_integration_code_is_unauthorized_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"errors": ["IntegrationCode is invalid."]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    match client(&server).test_connection().await {
        Err(e) if e.kind() == ErrorKind::Unauthorized => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "IntegrationCode is invalid.")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_500_with_autotask_errors_on_a_write_is_an_api_error() {
    let server = MockServer::start().await;
    mount_lookups(&server).await;
    Mock::given(method("POST"))
        .and(path(p("Tickets")))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"errors": [
            "Value for field QueueID is required.", "Value for field DueDateTime is required."
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    match client(&server)
        .create_ticket(NewTicket::new("x").company("629"))
        .await
    {
        Err(e) if e.kind() == ErrorKind::Api => {
            let status = e.status().unwrap_or_default();
            let message = e.message().unwrap_or_default();
            let details = e.details();
            assert_eq!(status, 500);
            assert!(message.contains("QueueID is required"), "{message}");
            assert_eq!(details.len(), 2);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_plain_401_and_a_threshold_refusal() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(p("ThresholdInformation")))
        .and(header_exists("Secret"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    assert!(
        matches!(&client(&server).test_connection().await, Err(e) if e.kind() == ErrorKind::Unauthorized)
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"errors": [
            "Request threshold exceeded for this database."
        ]})))
        .mount(&server)
        .await;
    let r: Result<Vec<_>, _> = client(&server)
        .contacts(ListQuery::new())
        .try_collect()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::RateLimited),
        "{r:?}"
    );
}

#[test]
fn build_checks_every_setting_before_any_request() {
    let ok = || {
        AutotaskClient::builder()
            .username("api_user@acme.com")
            .secret(SECRET)
            .integration_code("CODE")
    };
    assert!(ok().build().is_ok());
    for b in [
        ok().username(" "),
        ok().secret(""),
        ok().integration_code(""),
        ok().base_url("https://exa mple.com"),
        ok().base_url("ftp://webservices5.autotask.net"),
    ] {
        assert!(matches!(&b.build(), Err(e) if e.kind() == ErrorKind::Config));
    }
    assert!(
        matches!(&ok().base_url("http://webservices5.autotask.net/atservicesrest")
            .build(), Err(e) if e.kind() == ErrorKind::InsecureUrl)
    );
    assert!(
        matches!(&ok().zone_lookup_url("http://127.0.0.1:9").build(), Err(e) if e.kind() == ErrorKind::InsecureUrl)
    );
    let missing = AutotaskClient::builder()
        .username("u")
        .integration_code("c")
        .build();
    assert!(matches!(&missing, Err(e) if e.kind() == ErrorKind::Config));
}

#[test]
fn debug_shows_no_secret() {
    let settings: AutotaskSettings = serde_json::from_value(json!({
        "username": "api_user@acme.com", "secret": SECRET, "integration_code": "CODE",
        "base_url": "https://webservices5.autotask.net/atservicesrest"
    }))
    .unwrap();
    let client = AutotaskClient::from_settings(&settings).unwrap();
    for text in [format!("{settings:?}"), format!("{client:?}")] {
        assert!(!text.contains(SECRET), "{text}");
    }
    assert!(format!("{client:?}").contains("webservices5.autotask.net/atservicesrest/v1.0/"));
    let unknown = serde_json::from_value::<AutotaskSettings>(json!({
        "username": "u", "secret": "s", "integration_code": "c", "zone": "5"
    }));
    assert!(unknown.is_err());
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
        (401, ErrorKind::Unauthorized, "integration_code"),
        (403, ErrorKind::Forbidden, "security level"),
        (404, ErrorKind::NotFound, "zone"),
    ] {
        let fake = mspkit_autotask::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = AutotaskClient::from_settings_with(
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
fn trust_base(fake: &mspkit_testkit::FakeServer<AutotaskSettings>) -> Value {
    json!({
        "username": fake.settings.username,
        "secret": mspkit_autotask::mock::SECRET,
        "integration_code": fake.settings.integration_code,
        "base_url": fake.settings.base_url,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_autotask::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: AutotaskSettings| async move {
        AutotaskClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&AutotaskClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_autotask::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: AutotaskSettings| {
        AutotaskClient::from_settings(&s).map(drop)
    });
}
