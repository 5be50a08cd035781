//! What goes over the wire: auth, each endpoint's method, path, query and
//! body, paging, and how Syncro's answers (its error shapes included) come
//! back as results.

// Test helpers panic by design: a failed read is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    AlertQuery, DeviceQuery, ErrorKind, Id, ListQuery, NewNote, NewTicket, PsaClient, RmmClient,
    TicketQuery, TicketState, TicketUpdate,
};
use mspkit_syncro::mock::{self, API_KEY};
use mspkit_syncro::{SyncroClient, SyncroSettings};
use mspkit_testkit::{
    PageScheme, Paged, fast_retry, json_body, received, received_at, request_target,
};
use serde_json::{Value, json};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn probe() -> DateTime<Utc> {
    "2024-03-05T06:07:08Z".parse().unwrap()
}

/// A client of a bare wiremock server.
fn client_of(server: &MockServer) -> SyncroClient {
    SyncroClient::builder()
        .base_url(server.uri())
        .api_key("k-123")
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

/// The requests to `p`, as `path?query`.
async fn sent_to(server: &MockServer, p: &str) -> Vec<String> {
    received_at(server, p)
        .await
        .iter()
        .map(request_target)
        .collect()
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

// --- settings and auth --------------------------------------------------

#[tokio::test]
async fn the_key_travels_as_a_bearer_header_and_never_in_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/me"))
        .and(header("authorization", "Bearer k-123"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"user_id": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client_of(&server);
    c.test_connection().await.unwrap();
    let r = &received(&server).await[0];
    assert_eq!(r.url.query(), None, "nothing in the query string");
    assert!(!r.url.as_str().contains("k-123"));
}

#[tokio::test]
async fn the_fake_accepts_only_the_bearer_form_of_its_key() {
    let fake = mock::start().await;
    let http = mspkit_core::http::client_builder().build().unwrap();
    let url = format!("{}/api/v1/me", fake.uri());
    let raw = http
        .get(&url)
        .header("authorization", API_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 401, "a raw key is refused");
    let bearer = http.get(&url).bearer_auth(API_KEY).send().await.unwrap();
    assert_eq!(bearer.status(), 200);

    let mut settings = SyncroSettings::with_base_url(fake.uri(), "not-the-key");
    settings.allow_insecure_http = true;
    let wrong = SyncroClient::from_settings(&settings).unwrap();
    let e = wrong.test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.message(), Some("Unauthorized"));
    assert!(!format!("{e} {e:?} {wrong:?}").contains("not-the-key"));
}

#[test]
fn settings_are_checked_before_any_request() {
    let kind = |b: mspkit_syncro::SyncroClientBuilder| b.build().unwrap_err().kind();
    assert_eq!(
        kind(SyncroClient::builder().subdomain("acme")),
        ErrorKind::Config,
        "no key"
    );
    assert_eq!(
        kind(SyncroClient::builder().subdomain("acme").api_key("  ")),
        ErrorKind::Config,
        "blank key"
    );
    assert_eq!(
        kind(SyncroClient::builder().api_key("k")),
        ErrorKind::Config,
        "no subdomain"
    );
    assert_eq!(
        kind(
            SyncroClient::builder()
                .subdomain("acme.example.com")
                .api_key("k")
        ),
        ErrorKind::Config,
        "another host is a base_url"
    );
    assert_eq!(
        kind(
            SyncroClient::builder()
                .base_url("http://127.0.0.1:1")
                .api_key("k")
        ),
        ErrorKind::InsecureUrl
    );
}

#[test]
fn stored_settings_map_to_the_api_root_and_hide_the_key() {
    let s: SyncroSettings = serde_json::from_value(json!({
        "subdomain": "https://Acme.syncromsp.com/tickets",
        "api_key": "T-secret-key"
    }))
    .unwrap();
    let c = SyncroClient::from_settings(&s).unwrap();
    assert_eq!(
        c.http().base_url().as_str(),
        "https://acme.syncromsp.com/api/v1/"
    );
    assert_eq!(
        c.http().rate_limit(),
        Some(mspkit_core::http::RateLimit::per_minute(180))
    );
    assert!(!format!("{s:?} {c:?}").contains("T-secret-key"));
    let unknown = serde_json::from_value::<SyncroSettings>(json!({
        "subdomain": "acme", "api_key": "k", "apikey": "k"
    }));
    assert!(unknown.is_err(), "unknown fields are refused");
}

// --- list requests ------------------------------------------------------

#[tokio::test]
async fn each_list_sends_its_path_and_filters() {
    let fake = mock::start().await;
    // One page at a time, so the pages arrive in the order they are listed.
    let c = SyncroClient::from_settings_with(
        &fake.settings,
        mspkit_core::ClientOptions::new().page_concurrency(1),
    )
    .unwrap();
    let s = &fake.server;

    let _: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(
        sent_to(s, "/api/v1/customers").await,
        [
            "/api/v1/customers?include_disabled=true&page=1",
            "/api/v1/customers?include_disabled=true&page=2",
            "/api/v1/customers?include_disabled=true&page=3",
        ]
    );

    let _: Vec<_> = c
        .contacts(ListQuery::new().company("1003"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        sent_to(s, "/api/v1/contacts").await,
        ["/api/v1/contacts?customer_id=1003&page=1"]
    );

    let _: Vec<_> = c
        .tickets(
            TicketQuery::new()
                .open()
                .company("1008")
                .updated_since(probe()),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        sent_to(s, "/api/v1/tickets").await,
        [
            "/api/v1/tickets?customer_id=1008&since_updated_at=2024-03-05T06%3A07%3A08Z&status=Not+Closed&page=1"
        ]
    );
    assert_eq!(
        sent_to(s, "/api/v1/tickets/settings").await.len(),
        1,
        "the status look-up"
    );

    let _: Vec<_> = c
        .ticket_notes(&Id::from("5007"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        sent_to(s, "/api/v1/tickets/5007/comments").await,
        ["/api/v1/tickets/5007/comments?sort_by=created_at&sort_direction=ASC&per_page=100&page=1"]
    );

    let _: Vec<_> = c.agreements(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(sent_to(s, "/api/v1/contracts").await.len(), 3);
    assert!(sent_to(s, "/api/v1/contracts").await[0].ends_with("/api/v1/contracts?page=1"));

    let _: Vec<_> = c
        .devices(DeviceQuery::new().organization("1002"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        sent_to(s, "/api/v1/customer_assets").await,
        ["/api/v1/customer_assets?customer_id=1002&page=1"]
    );

    let _: Vec<_> = c.alerts(AlertQuery::new()).try_collect().await.unwrap();
    let _: Vec<_> = c
        .alerts(AlertQuery::new().include_resolved())
        .try_collect()
        .await
        .unwrap();
    let alerts = sent_to(s, "/api/v1/rmm_alerts").await;
    assert_eq!(alerts[0], "/api/v1/rmm_alerts?status=active&page=1");
    assert_eq!(alerts[3], "/api/v1/rmm_alerts?status=all&page=1");
}

#[tokio::test]
async fn the_lists_return_what_the_filters_ask_for() {
    let fake = mock::start().await;
    let c = SyncroClient::from_settings(&fake.settings).unwrap();

    // Server-side on tickets: the fake filters by since_updated_at.
    let since = probe();
    let recent: Vec<_> = c
        .tickets(TicketQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!recent.is_empty() && recent.len() < fake.expected.tickets.unwrap());
    assert!(recent.iter().all(|t| t.updated_at.unwrap() >= since));

    // Client-side on the others.
    let companies: Vec<_> = c
        .companies(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!companies.is_empty() && companies.len() < fake.expected.companies.unwrap());
    assert!(companies.iter().all(|x| x.updated_at.unwrap() >= since));
    let devices: Vec<_> = c
        .devices(DeviceQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!devices.is_empty() && devices.len() < fake.expected.devices.unwrap());
    let agreements: Vec<_> = c
        .agreements(ListQuery::new().company("1004"))
        .try_collect()
        .await
        .unwrap();
    assert!(!agreements.is_empty());
    assert!(
        agreements
            .iter()
            .all(|a| a.company_id == Some(Id::from("1004")))
    );

    // Open tickets: none resolved; closed ones: all resolved.
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
    assert!(open.iter().all(|t| t.closed_at.is_none()));
    assert!(closed.iter().all(|t| t.status.state.is_closed()));
    assert_eq!(open.len() + closed.len(), fake.expected.tickets.unwrap());

    // Alerts: open by default, resolved ones when asked, per device.
    let all: Vec<_> = c
        .alerts(AlertQuery::new().include_resolved())
        .try_collect()
        .await
        .unwrap();
    assert!(all.iter().any(|a| a.resolved));
    assert!(all.len() > fake.expected.alerts.unwrap());
    let one_device: Vec<_> = c
        .alerts(AlertQuery::new().device("7003"))
        .try_collect()
        .await
        .unwrap();
    assert!(!one_device.is_empty());
    assert!(
        one_device
            .iter()
            .all(|a| a.device_id == Some(Id::from("7003")) && !a.resolved)
    );

    // Sites and software are not in Syncro's API: no request is sent.
    let before = received(&fake.server).await.len();
    let e = c
        .sites(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let e = c
        .software(&Id::from("7002"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let e = c
        .devices(DeviceQuery::new().site("1"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert_eq!(received(&fake.server).await.len(), before);
}

// --- paging -------------------------------------------------------------

/// A list of `n` tickets served `size` a page with Syncro's `meta`.
fn ticket_pages(n: u64, size: u64) -> Paged {
    let items = (1..=n)
        .map(|id| json!({"id": id, "number": id, "subject": format!("T{id}"), "status": "New"}))
        .collect();
    Paged::new(items, PageScheme::page_number("page", "none", 1), |v| {
        ResponseTemplate::new(200).set_body_json(json!({
            "tickets": v.items,
            "meta": {"total_pages": v.total_pages, "page": v.page},
        }))
    })
    .default_size(size)
    .max_size(size)
}

async fn settings_route(server: &MockServer) {
    Mock::given(path("/api/v1/tickets/settings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ticket_status_list": ["New", "Resolved"], "users": []
        })))
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_walk_ends_by_the_page_count_whatever_the_page_size() {
    for size in [10, 25, 50] {
        let server = MockServer::start().await;
        settings_route(&server).await;
        Mock::given(path("/api/v1/tickets"))
            .respond_with(ticket_pages(size * 2 + 3, size))
            .mount(&server)
            .await;
        let c = client_of(&server);
        let all: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
        assert_eq!(all.len() as u64, size * 2 + 3);
        assert_eq!(sent_to(&server, "/api/v1/tickets").await.len(), 3);
    }
}

#[tokio::test]
async fn a_short_page_before_the_last_is_an_error_not_the_end() {
    let server = MockServer::start().await;
    settings_route(&server).await;
    let page = |ids: std::ops::RangeInclusive<u64>, n: u64| {
        ResponseTemplate::new(200).set_body_json(json!({
            "tickets": ids.map(|id| json!({"id": id, "subject": "x"})).collect::<Vec<_>>(),
            "meta": {"total_pages": 4, "page": n},
        }))
    };
    Mock::given(path("/api/v1/tickets"))
        .and(wiremock::matchers::query_param("page", "1"))
        .respond_with(page(1..=25, 1))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/tickets"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(page(26..=35, 2))
        .mount(&server)
        .await;
    let c = client_of(&server);
    let e = c
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Paging, "{e}");
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_is_caught() {
    let server = MockServer::start().await;
    settings_route(&server).await;
    Mock::given(path("/api/v1/tickets"))
        .respond_with(ticket_pages(60, 25).ignore_page_selector())
        .mount(&server)
        .await;
    let e = client_of(&server)
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Paging, "{e}");
}

#[tokio::test]
async fn an_answer_without_the_list_is_a_decode_error() {
    let server = MockServer::start().await;
    settings_route(&server).await;
    Mock::given(path("/api/v1/tickets"))
        .respond_with(ticket_pages(60, 25).first_page_without_list("Syncro is busy"))
        .mount(&server)
        .await;
    let e = client_of(&server)
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
}

// --- writes -------------------------------------------------------------

#[tokio::test]
async fn create_ticket_sends_syncros_body() {
    let fake = mock::start().await;
    let c = SyncroClient::from_settings(&fake.settings).unwrap();
    let t = c
        .create_ticket(
            NewTicket::new("Printer jammed")
                .description("Paper stuck in tray 2")
                .company("1003")
                .contact("2003")
                .status("New")
                .priority("High")
                .extra("problem_type", "Hardware"),
        )
        .await
        .unwrap();
    let sent = received(&fake.server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST" && r.url.path() == "/api/v1/tickets")
        .unwrap();
    assert_eq!(
        json_body(&sent),
        json!({
            "subject": "Printer jammed",
            "customer_id": 1003,
            "contact_id": 2003,
            "status": "New",
            "priority": "High",
            "problem_type": "Hardware",
            "comments_attributes": [{
                "subject": "Initial Issue",
                "body": "Paper stuck in tray 2",
                "hidden": false,
                "do_not_email": true
            }]
        })
    );
    assert_eq!(t.summary, "Printer jammed");
    assert_eq!(t.description.as_deref(), Some("Paper stuck in tray 2"));
    assert_eq!(t.company_id, Some(Id::from("1003")));
    assert_eq!(t.status.state, TicketState::New);

    let e = c
        .create_ticket(NewTicket::new("No customer"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(422));
    assert_eq!(e.message(), Some("Customer required field"));
}

#[tokio::test]
async fn update_ticket_sends_labels_and_refuses_what_syncro_cannot_change() {
    let fake = mock::start().await;
    let c = SyncroClient::from_settings(&fake.settings).unwrap();
    let id = Id::from("5002");
    let t = c
        .update_ticket(
            &id,
            TicketUpdate::new()
                .summary("VPN drops hourly")
                .state(TicketState::Closed)
                .priority("Low"),
        )
        .await
        .unwrap();
    let sent = received(&fake.server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "PUT")
        .unwrap();
    assert_eq!(sent.url.path(), "/api/v1/tickets/5002");
    assert_eq!(
        json_body(&sent),
        json!({"subject": "VPN drops hourly", "status": "Resolved", "priority": "Low"})
    );
    assert_eq!(t.status.state, TicketState::Resolved);
    assert!(t.closed_at.is_some());

    let t = c
        .update_ticket(&id, TicketUpdate::new().state(TicketState::Waiting))
        .await
        .unwrap();
    assert_eq!(t.status.label.as_deref(), Some("Waiting for Parts"));

    let before = received(&fake.server).await.len();
    let e = c
        .update_ticket(&id, TicketUpdate::new().description("new text"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert_eq!(received(&fake.server).await.len(), before, "nothing sent");

    let e = c
        .update_ticket(&id, TicketUpdate::new().summary(" "))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.message(), Some("Subject can't be blank"));
    assert_eq!(e.target(), Some("5002"));
}

#[tokio::test]
async fn notes_are_comments_with_a_subject_and_hidden_for_internal() {
    let fake = mock::start().await;
    let c = SyncroClient::from_settings(&fake.settings).unwrap();
    let ticket = Id::from("5003");
    let n = c
        .add_ticket_note(&ticket, NewNote::internal("Replaced the toner"))
        .await
        .unwrap();
    let sent = received(&fake.server)
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    assert_eq!(sent.url.path(), "/api/v1/tickets/5003/comment");
    assert_eq!(
        json_body(&sent),
        json!({"subject": "Update", "body": "Replaced the toner", "hidden": true, "do_not_email": true})
    );
    assert!(n.internal);
    assert_eq!(n.ticket_id, ticket);
    assert_eq!(n.text, "Replaced the toner");

    let e = c
        .add_ticket_note(&ticket, NewNote::new("x").extra("subject", ""))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.message(), Some("Subject can't be blank"));
}

// --- single reads ---------------------------------------------------------

#[tokio::test]
async fn single_reads_unwrap_their_key_and_contracts_come_bare() {
    let fake = mock::start().await;
    let c = SyncroClient::from_settings(&fake.settings).unwrap();
    assert_eq!(
        c.company(&Id::from("1003")).await.unwrap().id,
        Id::from("1003")
    );
    let t = c.ticket(&Id::from("5007")).await.unwrap();
    assert_eq!(t.id, Id::from("5007"));
    assert!(t.description.is_some(), "the first comment");
    assert_eq!(
        c.device(&Id::from("7002")).await.unwrap().id,
        Id::from("7002")
    );
    let a = c.agreement(&Id::from("3002")).await.unwrap();
    assert_eq!(a.id, Id::from("3002"));
    let gone = c
        .agreement(&Id::from(mock::DELETED_CONTRACT))
        .await
        .unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotFound);
    assert_eq!(gone.target(), Some("9999"));
    let missing = c.ticket(&Id::from("424242")).await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert_eq!(missing.message(), Some("Not found"));
    assert_eq!(missing.to_string(), "syncro ticket 424242: not found");
}

#[tokio::test]
async fn a_device_read_accepts_the_asset_bare_or_wrapped() {
    let server = MockServer::start().await;
    let asset = json!({"id": 12, "name": "LT-012", "customer_id": 3, "asset_type": "Laptop"});
    Mock::given(path("/api/v1/customer_assets/12"))
        .respond_with(ResponseTemplate::new(200).set_body_json(asset.clone()))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/customer_assets/13"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"asset": asset})))
        .mount(&server)
        .await;
    let c = client_of(&server);
    assert_eq!(
        c.device(&Id::from("12"))
            .await
            .unwrap()
            .display_name
            .as_deref(),
        Some("LT-012")
    );
    assert_eq!(
        c.device(&Id::from("13")).await.unwrap().device_type,
        mspkit_core::DeviceType::Laptop
    );
}

// --- failures -------------------------------------------------------------

#[tokio::test]
async fn syncros_error_bodies_become_the_errors_they_mean() {
    let cases: [(u16, &str, ErrorKind, &str); 6] = [
        (
            401,
            r#"{"error": "Not authorized. Please ask account admin to update your group permissions."}"#,
            ErrorKind::Unauthorized,
            "Not authorized. Please ask account admin to update your group permissions.",
        ),
        (
            403,
            r#"{"errors": ["Requires permission: Customers - View Detail"]}"#,
            ErrorKind::Forbidden,
            "Requires permission: Customers - View Detail",
        ),
        (
            404,
            r#"{"message": "Not found"}"#,
            ErrorKind::NotFound,
            "Not found",
        ),
        (
            422,
            r#"{"errors": {"mute_for": ["is not valid"]}}"#,
            ErrorKind::Api,
            "mute_for: is not valid",
        ),
        (
            422,
            r#"{"record": {"id": null}, "errors": "Email is not an email"}"#,
            ErrorKind::Api,
            "Email is not an email",
        ),
        (
            422,
            r#"{"success": false, "message": ["Body can't be blank", "Subject can't be blank"]}"#,
            ErrorKind::Api,
            "Body can't be blank; Subject can't be blank",
        ),
    ];
    for (status, body, kind, message) in cases {
        let server = MockServer::start().await;
        reply(&server, status, body).await;
        let e = client_of(&server)
            .contacts(ListQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), kind, "{status} {body}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.message(), Some(message), "{body}");
    }
}

#[tokio::test]
async fn a_refusal_answered_with_200_is_an_error_not_data() {
    let server = MockServer::start().await;
    reply(
        &server,
        200,
        r#"{"success": false, "message": ["Ticket is locked"]}"#,
    )
    .await;
    let c = client_of(&server);
    let e = c.ticket(&Id::from("5")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.message(), Some("Ticket is locked"));
    assert_eq!(e.target(), Some("5"));
    let e = c
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "never an empty list: {e}");
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"user_id": 1})))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    client_of(&server).test_connection().await.unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
    assert_eq!(received(&server).await.len(), 2);

    let server = MockServer::start().await;
    reply(
        &server,
        500,
        "<html>We're sorry, but something went wrong.</html>",
    )
    .await;
    let e = client_of(&server).test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(received(&server).await.len(), 3, "the policy's attempts");

    // A write that reached the server is not sent again.
    let server = MockServer::start().await;
    reply(&server, 502, "Bad Gateway").await;
    let e = client_of(&server)
        .add_ticket_note(&Id::from("1"), NewNote::new("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_decode_errors() {
    for body in [
        "{this is not json",
        r#"{"customers": [{"id": 1, "business_name": "Acme"#,
        r#"{"customers": [{"id": "not a number at all", "created_at": "yesterday"}], "meta": {"total_pages": 1}}"#,
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
        r#"{"ticket": {"id": 5, "updated_at": "not a date"}}"#,
    )
    .await;
    let e = client_of(&server).ticket(&Id::from("5")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(
        e.decode_path().unwrap_or_default().contains("updated_at"),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_fake_holds_what_its_docs_say_and_hides_disabled_customers() {
    let fake = mock::start().await;
    let e = &fake.expected;
    assert_eq!(
        (e.companies, e.contacts, e.tickets, e.agreements),
        (Some(55), Some(110), Some(60), Some(105))
    );
    assert_eq!((e.devices, e.alerts, e.sites), (Some(55), Some(53), None));
    let http = mspkit_core::http::client_builder().build().unwrap();
    let page: Value = http
        .get(format!("{}/api/v1/customers?page=3", fake.uri()))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["meta"]["total_entries"], 51, "4 disabled left out");
    assert_eq!(page["meta"]["total_pages"], 3);
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
        (401, ErrorKind::Unauthorized, "api_key"),
        (403, ErrorKind::Forbidden, "permissions"),
        (404, ErrorKind::NotFound, "subdomain"),
    ] {
        let fake = mspkit_syncro::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = SyncroClient::from_settings_with(
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
fn trust_base(fake: &mspkit_testkit::FakeServer<SyncroSettings>) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "api_key": API_KEY,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_syncro::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: SyncroSettings| async move {
        SyncroClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&SyncroClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_syncro::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: SyncroSettings| {
        SyncroClient::from_settings(&s).map(drop)
    });
}
