//! What goes over the wire: the signature and headers, each operation's
//! method, path and query string, paging, error bodies and build-time checks.

// Helpers shared by the tests panic on what the tests do not expect.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use futures::TryStreamExt;
use mspkit_core::auth::HmacSignature;
use mspkit_core::reqwest::header::HeaderName;
use mspkit_core::{
    Error, ErrorKind, Id, ListQuery, NewNote, NewTicket, Operation, PsaClient, TicketQuery,
};
use mspkit_testkit::{fast_retry, header_value, query_pairs, received, request_target};
use mspkit_unleashed::{UnleashedClient, UnleashedSettings, query_string};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API_ID: &str = "0f7c9f4e-3a1b-4c55-9d0e-2b7a1c3d4e5f";
const API_KEY: &str = "test-api-key";
const ACME: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const BETA: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

fn client(server: &MockServer) -> UnleashedClient {
    UnleashedClient::builder()
        .api_id(API_ID)
        .api_key(API_KEY)
        .client_type("mspkit/sync")
        .base_url(server.uri())
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .rate_limit(None)
        .build()
        .unwrap()
}

fn sign(query: &str) -> String {
    HmacSignature::new(
        HeaderName::from_static("api-auth-id"),
        API_ID,
        HeaderName::from_static("api-auth-signature"),
        API_KEY.into(),
    )
    .sign(query)
}

/// A header's text; the request must carry it.
fn hdr<'a>(r: &'a Request, name: &str) -> &'a str {
    header_value(r, name).unwrap()
}

fn customer(guid: &str, code: &str, modified_ms: i64) -> Value {
    json!({
        "Guid": guid, "CustomerCode": code, "CustomerName": format!("{code} Ltd"),
        "Addresses": [], "Obsolete": false,
        "CreatedOn": "/Date(1704067200000)/", "LastModifiedOn": format!("/Date({modified_ms})/")
    })
}

fn envelope(items: Vec<Value>, page: u64, pages: u64, total: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "Pagination": {"NumberOfItems": total, "PageSize": 2, "PageNumber": page, "NumberOfPages": pages},
        "Items": items
    }))
}

async fn ok_any(server: &MockServer, body: Value) {
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn empty_page() -> Value {
    json!({"Pagination": {"NumberOfItems": 0, "PageSize": 200, "PageNumber": 1, "NumberOfPages": 0}, "Items": []})
}

// ---------- the signature and headers ----------

#[tokio::test]
async fn worked_signatures_from_the_notes_go_on_the_wire_byte_for_byte() {
    let server = MockServer::start().await;
    ok_any(&server, empty_page()).await;
    let c = client(&server);

    c.get("x", "Customers", &[("customerCode", "ACME")])
        .send()
        .await
        .unwrap();
    c.get("x", "Currencies", &[]).send().await.unwrap();
    c.get(
        "x",
        "Customers/2",
        &[("pageSize", "2"), ("customerName", "Acme Ltd")],
    )
    .send()
    .await
    .unwrap();
    let since = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let orders: Vec<_> = c
        .sales_orders(ListQuery::new().updated_since(since).page_size(200))
        .try_collect()
        .await
        .unwrap();
    assert!(orders.is_empty());

    let seen = received(&server).await;
    let wire: Vec<(String, &str)> = seen
        .iter()
        .map(|r| (request_target(r), hdr(r, "api-auth-signature")))
        .collect();
    assert_eq!(
        wire,
        vec![
            (
                "/Customers?customerCode=ACME".to_owned(),
                "s6KpobrGkQepswTQvcBvSBIR2gerxSxdakOIby2olOA="
            ),
            (
                "/Currencies".to_owned(),
                "mJXmOIXOEvaWU3yhLXyFd+DlMvZQxbttrlRgkdQOHMo="
            ),
            (
                "/Customers/2?pageSize=2&customerName=Acme%20Ltd".to_owned(),
                "keMunGB6A3J2HzUrjIMipO5+JwWOkYXkbukXEXQg6OQ="
            ),
            (
                "/SalesOrders/1?modifiedSince=2024-01-01&pageSize=200".to_owned(),
                "9XHYXCCPYOVLKvF+abjINUXNIvgQ/BgAUBrGoJsnSpY="
            ),
        ]
    );
}

#[tokio::test]
async fn every_request_carries_id_client_type_and_json_headers() {
    let server = MockServer::start().await;
    ok_any(&server, empty_page()).await;
    client(&server).test_connection().await.unwrap();
    let seen = received(&server).await;
    let r = &seen[0];
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(request_target(r), "/Customers?pageSize=1");
    assert_eq!(hdr(r, "api-auth-id"), API_ID);
    assert_eq!(hdr(r, "api-auth-signature"), sign("pageSize=1"));
    assert_eq!(hdr(r, "client-type"), "mspkit/sync");
    assert_eq!(hdr(r, "accept"), "application/json");
    assert_eq!(hdr(r, "content-type"), "application/json");
}

#[tokio::test]
async fn a_query_that_needs_encoding_is_signed_exactly_as_sent() {
    let server = MockServer::start().await;
    ok_any(&server, empty_page()).await;
    let name = "Smith & Sons/Ltd+Co 100% Café?";
    client(&server)
        .get(
            "x",
            "Customers",
            &[("customerName", name), ("customerCode", "A=B")],
        )
        .send()
        .await
        .unwrap();
    let expected =
        "customerName=Smith%20%26%20Sons%2FLtd%2BCo%20100%25%20Caf%C3%A9%3F&customerCode=A%3DB";
    assert_eq!(
        query_string(&[("customerName", name), ("customerCode", "A=B")]),
        expected
    );
    let seen = received(&server).await;
    assert_eq!(seen[0].url.query(), Some(expected));
    assert_eq!(hdr(&seen[0], "api-auth-signature"), sign(expected));
    // The server reads back what was meant.
    let pairs = query_pairs(&seen[0]);
    assert_eq!(pairs[0], ("customerName".to_owned(), name.to_owned()));
    assert_eq!(pairs[1], ("customerCode".to_owned(), "A=B".to_owned()));
}

// ---------- companies ----------

#[tokio::test]
async fn companies_walk_path_pages_and_keep_the_filters_on_every_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Customers/1"))
        .respond_with(envelope(
            vec![
                customer(ACME, "ACME", 1_717_200_000_000),
                customer(BETA, "BETA", 1_717_200_000_000),
            ],
            1,
            2,
            3,
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Customers/2"))
        .respond_with(envelope(
            vec![customer(
                "11111111-2222-4333-8444-555555555555",
                "GAMA",
                1_717_200_000_000,
            )],
            2,
            2,
            3,
        ))
        .mount(&server)
        .await;
    let c = client(&server);
    let all: Vec<_> = c
        .companies(ListQuery::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        [ACME, BETA, "11111111-2222-4333-8444-555555555555"]
    );
    let targets: Vec<String> = received(&server).await.iter().map(request_target).collect();
    assert_eq!(
        targets,
        [
            "/Customers/1?includeObsolete=true&pageSize=2",
            "/Customers/2?includeObsolete=true&pageSize=2"
        ]
    );
}

#[tokio::test]
async fn companies_updated_since_is_modified_since_then_the_exact_instant() {
    let server = MockServer::start().await;
    let since: DateTime<Utc> = Utc.with_ymd_and_hms(2024, 3, 5, 6, 7, 8).unwrap();
    let before = since.timestamp_millis() - 1000;
    let after = since.timestamp_millis() + 1000;
    Mock::given(method("GET"))
        .and(path("/Customers/1"))
        .and(query_param("modifiedSince", "2024-03-05"))
        .respond_with(envelope(
            vec![
                customer(ACME, "ACME", before),
                customer(BETA, "BETA", after),
            ],
            1,
            1,
            2,
        ))
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .companies(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id.as_str(), BETA);
    let seen = received(&server).await;
    assert_eq!(
        request_target(&seen[0]),
        "/Customers/1?includeObsolete=true&modifiedSince=2024-03-05&pageSize=1000"
    );
    assert_eq!(
        hdr(&seen[0], "api-auth-signature"),
        sign("includeObsolete=true&modifiedSince=2024-03-05&pageSize=1000")
    );
}

#[tokio::test]
async fn page_size_is_capped_at_1000_and_limit_stops_early() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Customers/1"))
        .respond_with(envelope(
            vec![customer(ACME, "ACME", 0), customer(BETA, "BETA", 0)],
            1,
            5,
            10,
        ))
        .mount(&server)
        .await;
    let c = client(&server);
    // The whole list first (only its first request matters here: a small
    // limit asks for a small page).
    let _ = c
        .companies(ListQuery::new().page_size(5000))
        .try_collect::<Vec<_>>()
        .await;
    let got: Vec<_> = c
        .companies(ListQuery::new().page_size(5000).limit(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    let seen = received(&server).await;
    assert!(
        request_target(&seen[0]).ends_with("pageSize=1000"),
        "{}",
        request_target(&seen[0])
    );
}

#[tokio::test]
async fn a_short_list_or_a_wrong_page_is_an_error_not_a_quiet_end() {
    // The server says three customers but the pages hold two.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Customers/1"))
        .respond_with(envelope(
            vec![customer(ACME, "ACME", 0), customer(BETA, "BETA", 0)],
            1,
            1,
            3,
        ))
        .mount(&server)
        .await;
    // Page 2, past the pages it named, is empty.
    Mock::given(method("GET"))
        .and(path("/Customers/2"))
        .respond_with(envelope(vec![], 2, 1, 3))
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

    // Asked for page 2, the server answers page 1 again.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(envelope(vec![customer(ACME, "ACME", 0)], 1, 2, 2))
        .mount(&server)
        .await;
    let r: Result<Vec<_>, _> = client(&server)
        .companies(ListQuery::new())
        .try_collect()
        .await;
    match r {
        Err(e) if e.kind() == ErrorKind::Paging => {
            let message = e.message().unwrap_or_default();
            assert!(message.contains("page 2"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn company_reads_one_guid_and_refuses_what_is_not_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/Customers/{ACME}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer(ACME, "ACME", 0)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/Customers/{BETA}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"Items": [customer(BETA, "BETA", 0)]})),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(c.company(&Id::from(ACME)).await.unwrap().name, "ACME Ltd");
    // Some reads answer with an envelope.
    assert_eq!(c.company(&Id::from(BETA)).await.unwrap().id.as_str(), BETA);
    let seen = received(&server).await;
    assert_eq!(request_target(&seen[0]), format!("/Customers/{ACME}"));
    assert_eq!(hdr(&seen[0], "api-auth-signature"), sign(""));

    // A number would address a page of the list, not a customer.
    let r = c.company(&Id::from("2")).await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::NotFound),
        "{r:?}"
    );
    assert_eq!(
        received(&server).await.len(),
        2,
        "no request for a non-GUID id"
    );
}

#[tokio::test]
async fn an_empty_envelope_for_a_guid_is_not_found() {
    let server = MockServer::start().await;
    ok_any(&server, json!({"Items": []})).await;
    let r = client(&server).company(&Id::from(ACME)).await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::NotFound),
        "{r:?}"
    );
}

// ---------- contacts ----------

fn contacts_body(n: usize, prefix: &str) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|i| json!({"Guid": format!("{prefix}-0000-4000-8000-00000000000{i}"), "FirstName": "Ana",
                         "LastName": "Lopez", "EmailAddress": "ana@acme.example", "PhoneNumber": null}))
        .collect();
    json!({ "Items": items })
}

#[tokio::test]
async fn contacts_of_one_company_are_its_contacts_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/Customers/{ACME}/Contacts")))
        .respond_with(ResponseTemplate::new(200).set_body_json(contacts_body(2, "9a1d2c3b")))
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .contacts(ListQuery::new().company(ACME))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 2);
    assert!(
        got.iter()
            .all(|c| c.company_id.as_ref().map(Id::as_str) == Some(ACME))
    );
    let seen = received(&server).await;
    assert_eq!(
        request_target(&seen[0]),
        format!("/Customers/{ACME}/Contacts")
    );
    assert_eq!(hdr(&seen[0], "api-auth-signature"), sign(""));

    let r: Result<Vec<_>, _> = client(&server)
        .contacts(ListQuery::new().company("ACME"))
        .try_collect()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::NotFound),
        "{r:?}"
    );
}

#[tokio::test]
async fn all_contacts_walk_every_customer_obsolete_ones_included() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Customers/1"))
        .and(query_param("includeObsolete", "true"))
        .respond_with(envelope(
            vec![customer(ACME, "ACME", 0), customer(BETA, "BETA", 0)],
            1,
            1,
            2,
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/Customers/{ACME}/Contacts")))
        .respond_with(ResponseTemplate::new(200).set_body_json(contacts_body(2, "aaaaaaaa")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/Customers/{BETA}/Contacts")))
        .respond_with(ResponseTemplate::new(200).set_body_json(contacts_body(1, "bbbbbbbb")))
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let owners: Vec<&str> = got
        .iter()
        .map(|c| c.company_id.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(owners, [ACME, ACME, BETA]);
}

// ---------- sales orders, products, stock ----------

fn order(n: usize, customer_guid: &str, modified_ms: i64) -> Value {
    json!({"Guid": format!("5a2504e0-4f89-41d3-9a0c-{n:012x}"), "OrderNumber": format!("SO-{n:08}"),
           "OrderStatus": "Parked", "OrderDate": "/Date(1704067200000)/",
           "Customer": {"Guid": customer_guid, "CustomerCode": "ACME"},
           "SalesOrderLines": [], "LastModifiedOn": format!("/Date({modified_ms})/")})
}

#[tokio::test]
async fn sales_orders_page_through_three_pages() {
    let server = MockServer::start().await;
    for page in 1..=3u64 {
        let items = (0..2)
            .map(|i| order(page as usize * 10 + i, ACME, 0))
            .collect();
        Mock::given(method("GET"))
            .and(path(format!("/SalesOrders/{page}")))
            .and(query_param("pageSize", "2"))
            .respond_with(envelope(items, page, 3, 6))
            .mount(&server)
            .await;
    }
    let got: Vec<_> = client(&server)
        .sales_orders(ListQuery::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 6);
    let mut targets: Vec<String> = received(&server).await.iter().map(request_target).collect();
    // Pages after the second may be asked for at once: compare in page order.
    targets.sort();
    assert_eq!(
        targets,
        [
            "/SalesOrders/1?pageSize=2",
            "/SalesOrders/2?pageSize=2",
            "/SalesOrders/3?pageSize=2"
        ]
    );
}

#[tokio::test]
async fn sales_orders_by_modified_since_by_customer_and_by_guid() {
    let server = MockServer::start().await;
    let since = Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap();
    let ms = since.timestamp_millis();
    Mock::given(method("GET"))
        .and(path("/SalesOrders/1"))
        .respond_with(envelope(
            vec![
                order(1, ACME, ms - 1),
                order(2, ACME, ms),
                order(3, BETA, ms + 1),
            ],
            1,
            1,
            3,
        ))
        .mount(&server)
        .await;
    let guid = "5a2504e0-4f89-41d3-9a0c-000000000007";
    Mock::given(method("GET"))
        .and(path(format!("/SalesOrders/{guid}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(order(7, ACME, 0)))
        .mount(&server)
        .await;
    let c = client(&server);
    let changed: Vec<_> = c
        .sales_orders_modified_since(since)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        changed
            .iter()
            .map(|o| o.order_number.as_deref().unwrap())
            .collect::<Vec<_>>(),
        ["SO-00000002", "SO-00000003"]
    );
    let of_beta: Vec<_> = c
        .sales_orders(ListQuery::new().company(BETA.to_uppercase()))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(of_beta.len(), 1);
    let one = c.sales_order(&Id::from(guid)).await.unwrap();
    assert_eq!(one.guid, guid);
    let targets: Vec<String> = received(&server).await.iter().map(request_target).collect();
    assert_eq!(
        targets,
        [
            "/SalesOrders/1?modifiedSince=2024-06-01&pageSize=1000".to_owned(),
            "/SalesOrders/1?pageSize=1000".to_owned(),
            format!("/SalesOrders/{guid}"),
        ]
    );
    assert!(
        matches!(&c.sales_order(&Id::from("SO-00000007")).await, Err(e) if e.kind() == ErrorKind::NotFound)
    );
}

#[tokio::test]
async fn products_and_stock_on_hand_are_paged_lists() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Products/1"))
        .respond_with(envelope(
            vec![
                json!({"Guid": "7c2504e0-4f89-41d3-9a0c-000000000001", "ProductCode": "AP-WIFI6",
                       "LastModifiedOn": "/Date(1717200000000)/"}),
                json!({"Guid": "7c2504e0-4f89-41d3-9a0c-000000000002", "ProductCode": "UPS-1500",
                       "LastModifiedOn": "/Date(1704067200000)/"}),
            ],
            1,
            1,
            2,
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/StockOnHand/1"))
        .respond_with(envelope(
            vec![json!({"ProductCode": "AP-WIFI6", "QtyOnHand": 12.0, "WarehouseCode": ""})],
            1,
            1,
            1,
        ))
        .mount(&server)
        .await;
    let c = client(&server);
    let since = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
    let products: Vec<_> = c
        .products(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(products.len(), 1, "updated_since applies client-side");
    assert_eq!(products[0].product_code.as_deref(), Some("AP-WIFI6"));
    let stock: Vec<_> = c
        .stock_on_hand(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(stock[0].qty_on_hand, Some(12.0));
    let targets: Vec<String> = received(&server).await.iter().map(request_target).collect();
    assert_eq!(
        targets,
        ["/Products/1?pageSize=1000", "/StockOnHand/1?pageSize=1000"]
    );

    let r: Result<Vec<_>, _> = c
        .products(ListQuery::new().parent(ACME))
        .try_collect()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Config),
        "{r:?}"
    );
}

#[tokio::test]
async fn tickets_notes_and_agreements_are_unsupported_without_a_request() {
    let server = MockServer::start().await;
    let c = client(&server);
    let caps = c.capabilities();
    assert!(caps.supports(Operation::Companies));
    assert!(caps.supports(Operation::Company));
    assert!(caps.supports(Operation::Contacts));
    for op in [
        Operation::Tickets,
        Operation::Ticket,
        Operation::CreateTicket,
        Operation::UpdateTicket,
        Operation::TicketNotes,
        Operation::AddTicketNote,
        Operation::Agreements,
    ] {
        assert!(!caps.supports(op), "{op}");
    }
    let t: Result<Vec<_>, _> = c.tickets(TicketQuery::new()).try_collect().await;
    assert!(matches!(&t, Err(e) if e.kind() == ErrorKind::Unsupported));
    let a: Result<Vec<_>, _> = c.agreements(ListQuery::new()).try_collect().await;
    assert!(matches!(&a, Err(e) if e.kind() == ErrorKind::Unsupported));
    assert!(
        matches!(&c.create_ticket(NewTicket::new("x")).await, Err(e) if e.kind() == ErrorKind::Unsupported)
    );
    assert!(
        matches!(&c.add_ticket_note(&Id::from("1"), NewNote::new("x")).await, Err(e) if e.kind() == ErrorKind::Unsupported)
    );
    assert!(received(&server).await.is_empty());
}

// ---------- errors ----------

async fn failing(status: u16, body: &str) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_string(body))
        .mount(&server)
        .await;
    client(&server).test_connection().await.unwrap_err()
}

#[tokio::test]
async fn a_403_says_the_signature_or_id_is_wrong() {
    let e = failing(403, "").await;
    match &e {
        e if e.kind() == ErrorKind::Forbidden => {
            let message = e.message().unwrap_or_default();
            assert!(message.contains("signature or API id"), "{message}");
            assert!(message.contains("api_id and api_key"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!e.to_string().contains(API_KEY));
    match failing(403, r#"{"Description":"Invalid api-auth-signature"}"#).await {
        e if e.kind() == ErrorKind::Forbidden => {
            let message = e.message().unwrap_or_default();
            assert!(message.contains("signature or API id"), "{message}");
            assert!(message.contains("Invalid api-auth-signature"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unleashed_error_bodies_keep_their_description() {
    match failing(
        400,
        r#"{"Description":"The pageSize must be between 1 and 1000"}"#,
    )
    .await
    {
        e if e.kind() == ErrorKind::Api => {
            let status = e.status().unwrap_or_default();
            let message = e.message().unwrap_or_default();
            assert_eq!(status, 400);
            assert_eq!(message, "The pageSize must be between 1 and 1000");
        }
        other => panic!("{other:?}"),
    }
    match failing(
        400,
        r#"{"Items":[{"Field":"CustomerCode","Description":"Customer code already exists"}]}"#,
    )
    .await
    {
        e if e.kind() == ErrorKind::Api => {
            let message = e.message().unwrap_or_default();
            let details = e.details();
            assert_eq!(message, "CustomerCode: Customer code already exists");
            assert_eq!(details, ["CustomerCode: Customer code already exists"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(failing(401, "").await.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        failing(404, r#"{"Description":"Not found"}"#).await.kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn a_429_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("client-type", "mspkit/sync"))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty_page()))
        .mount(&server)
        .await;
    client(&server).test_connection().await.unwrap();
    let seen = received(&server).await;
    assert_eq!(seen.len(), 2);
    // The retry is signed again, over the same query.
    assert_eq!(hdr(&seen[1], "api-auth-signature"), sign("pageSize=1"));
}

// ---------- building ----------

fn builder() -> mspkit_unleashed::UnleashedClientBuilder {
    UnleashedClient::builder()
        .api_id(API_ID)
        .api_key(API_KEY)
        .client_type("mspkit/sync")
}

fn config_error(r: mspkit_core::Result<UnleashedClient>) -> String {
    match r {
        Err(e) if e.kind() == ErrorKind::Config => e.message().unwrap_or_default().to_owned(),
        other => panic!("expected a Config error, got {other:?}"),
    }
}

#[test]
fn build_checks_every_setting_before_any_request() {
    let c = builder().build().unwrap();
    assert_eq!(
        c.http().base_url().as_str(),
        "https://api.unleashedsoftware.com/"
    );

    assert!(config_error(builder().api_id("").build()).contains("api_id is empty"));
    assert!(config_error(builder().api_id("abc123").build()).contains("not a GUID"));
    assert!(config_error(builder().api_key("  ").build()).contains("api_key is empty"));
    for bad in [
        "",
        "MSPKit/Sync",
        "mspkit/my sync",
        "mspkit",
        "mspkit/sync!",
        "a/b/c",
    ] {
        let m = config_error(builder().client_type(bad).build());
        assert!(m.contains("client_type"), "{bad:?}: {m}");
    }
    assert!(config_error(builder().client_type("MSPKit/sync").build()).contains("lowercase"));
    assert!(config_error(builder().base_url("https://exa mple.com").build()).contains("base URL"));
    assert!(
        matches!(&builder().base_url("http://127.0.0.1:9").build(), Err(e) if e.kind() == ErrorKind::InsecureUrl)
    );
    assert!(
        builder()
            .base_url("http://127.0.0.1:9")
            .allow_insecure_http()
            .build()
            .is_ok()
    );
    let no_id = UnleashedClient::builder()
        .api_key(API_KEY)
        .client_type("a/b")
        .build();
    assert!(config_error(no_id).contains("api_id"));
}

#[test]
fn settings_deserialize_and_nothing_shows_the_key() {
    let json = format!(
        r#"{{"api_id":"{API_ID}","api_key":"UNL-key-321","client_type":"acme/sync",
             "base_url":"http://127.0.0.1:9","allow_insecure_http":true}}"#
    );
    let s: UnleashedSettings = serde_json::from_str(&json).unwrap();
    assert_eq!(s.client_type, "acme/sync");
    let client = UnleashedClient::from_settings(&s).unwrap();
    for debug in [format!("{s:?}"), format!("{client:?}")] {
        assert!(!debug.contains("UNL-key-321"), "{debug}");
    }
    assert!(format!("{client:?}").contains("api-auth-id"));
    let unknown = serde_json::from_str::<UnleashedSettings>(
        r#"{"api_id":"x","api_key":"y","client_type":"a/b","region":"nz"}"#,
    );
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
        (401, ErrorKind::Unauthorized, "API access"),
        (403, ErrorKind::Forbidden, "api_id"),
        (404, ErrorKind::NotFound, "base_url"),
    ] {
        let fake = mspkit_unleashed::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = UnleashedClient::from_settings_with(
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
fn trust_base(fake: &mspkit_testkit::FakeServer<UnleashedSettings>) -> Value {
    json!({
        "api_id": fake.settings.api_id,
        "api_key": mspkit_unleashed::mock::API_KEY,
        "client_type": fake.settings.client_type,
        "base_url": fake.settings.base_url,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_unleashed::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: UnleashedSettings| async move {
        UnleashedClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&UnleashedClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_unleashed::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: UnleashedSettings| {
        UnleashedClient::from_settings(&s).map(drop)
    });
}
