//! What goes on the wire: auth, each endpoint's method, path, query and
//! body, paging by the `Link` header, and the platform's error bodies.

// Tests panic by design: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use futures::TryStreamExt;
use mspkit_core::http::RateLimit;
use mspkit_core::{
    ErrorKind, Id, ListQuery, NewNote, NewTicket, PsaClient, TicketQuery, TicketState, TicketUpdate,
};
use mspkit_freshservice::{CompanySource, FreshserviceClient};
use mspkit_testkit::fast_retry;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The notes' worked example: this key gives `Basic YWJj...WA==`.
const KEY: &str = "abcdefghij1234567890";
const BASIC: &str = "Basic YWJjZGVmZ2hpajEyMzQ1Njc4OTA6WA==";

fn client(server: &MockServer) -> FreshserviceClient {
    client_with(server, CompanySource::Departments)
}

fn client_with(server: &MockServer, source: CompanySource) -> FreshserviceClient {
    FreshserviceClient::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .company_source(source)
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .rate_limit(None)
        .build()
        .unwrap()
}

fn ticket(id: u64, status: u64, updated: &str) -> Value {
    json!({"id": id, "subject": format!("Ticket {id}"), "status": status, "priority": 2,
           "department_id": 7, "workspace_id": 2, "requester_id": 9,
           "created_at": "2024-01-02T03:04:05Z", "updated_at": updated})
}

async fn sent(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn query(r: &Request) -> Vec<(String, String)> {
    r.url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn a_domain_maps_to_the_freshservice_api_root() {
    for domain in [
        "acme",
        "acme.freshservice.com",
        "https://acme.freshservice.com/a/dashboard",
    ] {
        let c = FreshserviceClient::builder()
            .domain(domain)
            .api_key(KEY)
            .build()
            .unwrap();
        assert_eq!(
            c.http().base_url().as_str(),
            "https://acme.freshservice.com/api/v2/"
        );
    }
    let cname = FreshserviceClient::builder()
        .domain("support.acme.example")
        .api_key(KEY)
        .build()
        .unwrap_err();
    assert_eq!(cname.kind(), ErrorKind::Config);
    let no_key = FreshserviceClient::builder()
        .domain("acme")
        .api_key("  ")
        .build()
        .unwrap_err();
    assert_eq!(no_key.kind(), ErrorKind::Config);
    let insecure = FreshserviceClient::builder()
        .base_url("http://127.0.0.1:9")
        .api_key(KEY)
        .build()
        .unwrap_err();
    assert_eq!(insecure.kind(), ErrorKind::InsecureUrl);
    let both = FreshserviceClient::builder()
        .domain("acme")
        .base_url("https://proxy.example")
        .api_key(KEY)
        .build()
        .unwrap_err();
    assert_eq!(both.kind(), ErrorKind::Config);
    let debug = format!(
        "{:?}",
        FreshserviceClient::builder().domain("acme").api_key(KEY)
    );
    assert!(!debug.contains(KEY), "{debug}");
}

#[tokio::test]
async fn basic_auth_carries_the_key_and_x() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/departments"))
        .and(header("authorization", BASIC))
        .and(query_param("per_page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"departments": []})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).test_connection().await.unwrap();
    let msp = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/workspaces"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"workspaces": []})))
        .expect(1)
        .mount(&msp)
        .await;
    client_with(&msp, CompanySource::Workspaces)
        .test_connection()
        .await
        .unwrap();
}

#[tokio::test]
async fn tickets_always_send_updated_since_and_follow_the_link_header() {
    let fake = mspkit_freshservice::mock::start().await;
    let c = FreshserviceClient::from_settings(&fake.settings).unwrap();
    let all: Vec<_> = c
        .tickets(TicketQuery::new().page_size(13))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(Some(all.len()), fake.expected.tickets);
    let reqs: Vec<Request> = sent(&fake.server)
        .await
        .into_iter()
        .filter(|r| r.url.path() == "/api/v2/tickets")
        .collect();
    assert_eq!(reqs.len(), 3, "38 tickets at 13 a page");
    for (i, r) in reqs.iter().enumerate() {
        let q = query(r);
        assert!(
            q.contains(&("updated_since".into(), "2000-01-01T00:00:00Z".into())),
            "{q:?}"
        );
        assert!(q.contains(&("per_page".into(), "13".into())), "{q:?}");
        let page = q.iter().find(|(k, _)| k == "page").map(|(_, v)| v.as_str());
        assert_eq!(
            page,
            if i == 0 {
                None
            } else {
                Some(["2", "3"][i - 1])
            }
        );
    }

    // The caller's instant, in Freshservice's form; the server filters.
    let since = chrono::DateTime::parse_from_rfc3339("2024-03-05T06:07:08Z")
        .unwrap()
        .to_utc();
    let recent: Vec<_> = c
        .tickets(TicketQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!recent.is_empty() && recent.len() < all.len());
    assert!(recent.iter().all(|t| t.updated_at.unwrap() >= since));
    let last = sent(&fake.server).await.pop().unwrap();
    assert_eq!(
        last.url
            .query_pairs()
            .find(|(k, _)| k == "updated_since")
            .unwrap()
            .1,
        "2024-03-05T06:07:08Z"
    );

    // Without `updated_since` Freshservice shows only the last 30 days.
    let raw: Value = c.http().get("raw", "tickets").send_json().await.unwrap();
    assert_eq!(raw["tickets"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_full_page_without_a_link_is_the_end() {
    let server = MockServer::start().await;
    let page: Vec<Value> = (1..=3)
        .map(|i| ticket(i, 2, "2024-05-01T00:00:00Z"))
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tickets": page})))
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .tickets(TicketQuery::new().page_size(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(sent(&server).await.len(), 1);
}

#[tokio::test]
async fn open_closed_and_department_filters_apply_to_tickets() {
    let fake = mspkit_freshservice::mock::start().await;
    let c = FreshserviceClient::from_settings(&fake.settings).unwrap();
    let all: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
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
    assert_eq!(open.len() + closed.len(), all.len());
    assert!(closed.iter().all(|t| t.status.state.is_closed()));
    let it: Vec<_> = c
        .tickets(TicketQuery::new().company("17000123457"))
        .try_collect()
        .await
        .unwrap();
    assert!(!it.is_empty());
    assert!(
        it.iter()
            .all(|t| t.company_id == Some(Id::from("17000123457")))
    );
    let custom = all
        .iter()
        .find(|t| t.status.id == Some(Id::from(6u64)))
        .unwrap();
    assert_eq!(custom.status.state, TicketState::Other);
    assert_eq!(custom.status.label.as_deref(), Some("Awaiting Vendor"));
    // The ticket form is read once per client.
    let forms = sent(&fake.server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/api/v2/ticket_form_fields")
        .count();
    assert_eq!(forms, 1);
}

#[tokio::test]
async fn an_msp_tenant_is_listed_workspace_by_workspace() {
    let fake = mspkit_freshservice::mock::start_msp().await;
    let c = FreshserviceClient::from_settings(&fake.settings).unwrap();
    let companies: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    let tickets: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
    assert_eq!(Some(tickets.len()), fake.expected.tickets);
    let asked: Vec<String> = sent(&fake.server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/api/v2/tickets")
        .filter_map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "workspace_id")
                .map(|(_, v)| v.into_owned())
        })
        .collect();
    let ids: Vec<String> = companies.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(asked, ids);
    let acme: Vec<_> = c
        .tickets(TicketQuery::new().company("2"))
        .try_collect()
        .await
        .unwrap();
    assert!(!acme.is_empty() && acme.iter().all(|t| t.company_id == Some(Id::from("2"))));
    let contacts: Vec<_> = c
        .contacts(ListQuery::new().company("3"))
        .try_collect()
        .await
        .unwrap();
    assert!(!contacts.is_empty() && contacts.iter().all(|t| t.company_id == Some(Id::from("3"))));
    let last = sent(&fake.server).await.pop().unwrap();
    assert_eq!(last.url.path(), "/api/v2/requesters");
    assert!(query(&last).contains(&("workspace_id".into(), "3".into())));
    let draft = companies.iter().find(|c| c.name == "Hooli Retail").unwrap();
    assert_eq!(draft.active, Some(false));
}

#[tokio::test]
async fn contacts_of_a_department_match_any_of_its_departments() {
    let fake = mspkit_freshservice::mock::start().await;
    let c = FreshserviceClient::from_settings(&fake.settings).unwrap();
    let finance: Vec<_> = c
        .contacts(ListQuery::new().company("17000123457"))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = finance.iter().map(|c| c.id.as_str()).collect();
    // 17000555001 and 17000555007 are in IT first; 17000555000 second.
    assert!(
        ids.contains(&"17000555000") && ids.contains(&"17000555001"),
        "{ids:?}"
    );
    let none: Vec<_> = c
        .contacts(ListQuery::new().company("not-a-number"))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn create_ticket_sends_freshservice_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .and(body_json(json!({
            "subject": "VPN down", "description": "<p>Since 9am</p>",
            "status": 2, "priority": 1, "requester_id": 9, "department_id": 7,
            "source": 3
        })))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"ticket": ticket(55, 2, "2024-05-01T00:00:00Z")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let t = client(&server)
        .create_ticket(
            NewTicket::new("VPN down")
                .description("<p>Since 9am</p>")
                .contact("9")
                .company("7")
                .extra("source", 3),
        )
        .await
        .unwrap();
    assert_eq!(t.id, Id::from("55"));

    // Workspaces put the company in `workspace_id`; ids must be numbers.
    let msp = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .and(body_json(
            json!({"subject": "x", "status": 3, "priority": 4, "workspace_id": 2}),
        ))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"ticket": ticket(56, 3, "2024-05-01T00:00:00Z")})),
        )
        .expect(1)
        .mount(&msp)
        .await;
    let c = client_with(&msp, CompanySource::Workspaces);
    c.create_ticket(NewTicket::new("x").status("3").priority("4").company("2"))
        .await
        .unwrap();
    let bad = c
        .create_ticket(NewTicket::new("x").contact("dana@acme.example"))
        .await;
    assert_eq!(bad.unwrap_err().kind(), ErrorKind::Config);
    assert_eq!(sent(&msp).await.len(), 1, "a bad id sends nothing");
}

#[tokio::test]
async fn update_ticket_puts_the_changes_and_maps_states_to_codes() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/tickets/42"))
        .and(body_json(
            json!({"status": 4, "subject": "Renamed", "priority": 3}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ticket": ticket(42, 4, "2024-05-01T00:00:00Z")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let t = c
        .update_ticket(
            &Id::from("42"),
            TicketUpdate::new()
                .state(TicketState::Resolved)
                .summary("Renamed")
                .priority("3"),
        )
        .await
        .unwrap();
    assert_eq!(t.status.state, TicketState::Resolved);
    let refused = c
        .update_ticket(
            &Id::from("42"),
            TicketUpdate::new().state(TicketState::InProgress),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Refused);
    assert_eq!(refused.target(), Some("42"));
    assert_eq!(sent(&server).await.len(), 1);
}

#[tokio::test]
async fn notes_are_conversations_and_added_as_notes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets/42/notes"))
        .and(body_json(
            json!({"body": "Rebooted the router", "private": true}),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"conversation": {
            "id": 900, "user_id": 5, "body": "<div>Rebooted the router</div>",
            "body_text": "Rebooted the router", "ticket_id": 42, "incoming": false,
            "private": true, "source": 2, "created_at": "2024-05-01T10:00:00Z"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let n = client(&server)
        .add_ticket_note(&Id::from("42"), NewNote::internal("Rebooted the router"))
        .await
        .unwrap();
    assert!(n.internal);
    assert_eq!(n.text, "Rebooted the router");
    assert_eq!(n.ticket_id, Id::from("42"));

    let fake = mspkit_freshservice::mock::start().await;
    let c = FreshserviceClient::from_settings(&fake.settings).unwrap();
    let notes: Vec<_> = c
        .ticket_notes(&Id::from("101"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 4);
    assert_eq!(notes.iter().filter(|n| n.internal).count(), 2);
    let public = c
        .add_ticket_note(&Id::from("101"), NewNote::new("We are on it"))
        .await
        .unwrap();
    assert!(!public.internal);
    let notes: Vec<_> = c
        .ticket_notes(&Id::from("101"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 5);
}

#[tokio::test]
async fn a_single_ticket_asks_for_stats_and_gets_closed_at() {
    let fake = mspkit_freshservice::mock::start().await;
    let c = FreshserviceClient::from_settings(&fake.settings).unwrap();
    // Ticket 105 is closed (status 5).
    let t = c.ticket(&Id::from("105")).await.unwrap();
    assert_eq!(t.status.state, TicketState::Closed);
    assert_eq!(t.closed_at, t.updated_at);
    let last = sent(&fake.server).await.pop().unwrap();
    assert_eq!(last.url.path(), "/api/v2/tickets/105");
    assert!(query(&last).contains(&("include".into(), "stats".into())));
    let company = c.company(&Id::from("17000123456")).await.unwrap();
    assert_eq!(company.name, "Finance");
}

#[tokio::test]
async fn freshservices_error_bodies_become_errors() {
    let server = MockServer::start().await;
    let c = client(&server);
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "description": "Validation failed",
            "errors": [{"field": "email", "message": "It should be a valid email address", "code": "invalid_value"}]
        })))
        .mount(&server)
        .await;
    let e = c.create_ticket(NewTicket::new("x")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.message(), Some("Validation failed"));
    assert_eq!(e.code(), Some("invalid_value"));
    assert_eq!(e.details(), ["email: It should be a valid email address"]);

    for (status, body, kind) in [
        (
            401,
            json!({"code": "invalid_credentials", "message": "You have to be logged in to perform this action."}),
            ErrorKind::Unauthorized,
        ),
        (
            403,
            json!({"code": "access_denied", "message": "You are not authorized to perform this action."}),
            ErrorKind::Forbidden,
        ),
    ] {
        let s = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body.clone()))
            .mount(&s)
            .await;
        let e = client(&s).ticket(&Id::from("42")).await.unwrap_err();
        assert_eq!(e.kind(), kind);
        assert_eq!(e.code(), body["code"].as_str());
        assert_eq!(e.message(), body["message"].as_str());
    }

    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&s)
        .await;
    let e = client(&s).ticket(&Id::from("999")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(
        e.to_string()
            .starts_with("freshservice ticket 999: not found; check: "),
        "{e}"
    );

    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>maintenance</html>"))
        .mount(&s)
        .await;
    let e = client(&s).ticket(&Id::from("1")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(sent(&s).await.len(), 3, "retried per the policy");

    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ticket": ticket(1, 2, "2024-05-01T00:00:00Z")})),
        )
        .mount(&s)
        .await;
    assert_eq!(
        client(&s).ticket(&Id::from("1")).await.unwrap().id,
        Id::from("1")
    );
}

#[tokio::test]
async fn bodies_that_are_not_the_record_are_decode_errors() {
    for body in [
        r#"{"tickets": [{"id": 1, "subject": "x", "status": 2"#,
        r#"{"message": "Something went wrong"}"#,
        r#"{"tickets": [{"id": "one"}]}"#,
        "<html>login</html>",
    ] {
        let s = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&s)
            .await;
        let r: Result<Vec<_>, _> = client(&s).tickets(TicketQuery::new()).try_collect().await;
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Decode, "{body}");
    }
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "ok"})))
        .mount(&s)
        .await;
    let e = client(&s).ticket(&Id::from("1")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("ticket"), "{e}");
}

#[tokio::test]
async fn a_plan_without_contracts_is_unsupported_with_the_reason() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/contracts"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "code": "require_feature",
            "message": "The Contracts feature(s) is/are not supported in your plan. Please upgrade your account to use it."
        })))
        .mount(&s)
        .await;
    let e = client(&s)
        .agreements(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    // (The reason is in the message; core's Display of an Unsupported error
    // shows only "freshservice does not support agreements".)
    assert!(
        e.message()
            .is_some_and(|m| m.contains("not supported in your plan")),
        "{e:?}"
    );
    assert_eq!(e.code(), Some("require_feature"));

    let fake = mspkit_freshservice::mock::start().await;
    let c = FreshserviceClient::from_settings(&fake.settings).unwrap();
    let agreements: Vec<_> = c.agreements(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(Some(agreements.len()), fake.expected.agreements);
    let by_department: Vec<_> = c
        .agreements(ListQuery::new().company("17000123456"))
        .try_collect()
        .await
        .unwrap();
    assert!(by_department.is_empty());
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
        (403, ErrorKind::Forbidden, "role"),
        (404, ErrorKind::NotFound, "domain"),
    ] {
        let fake = mspkit_freshservice::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = FreshserviceClient::from_settings_with(
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
fn trust_base(
    fake: &mspkit_testkit::FakeServer<mspkit_freshservice::FreshserviceSettings>,
) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "api_key": mspkit_freshservice::mock::API_KEY,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_freshservice::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(
        base,
        |s: mspkit_freshservice::FreshserviceSettings| async move {
            FreshserviceClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
            PsaClient::test_connection(&FreshserviceClient::from_settings(&s)?).await
        },
    )
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_freshservice::mock::start().await;
    mspkit_testkit::check_unreadable_roots(
        trust_base(&fake),
        |s: mspkit_freshservice::FreshserviceSettings| {
            FreshserviceClient::from_settings(&s).map(drop)
        },
    );
}

// ---- the account's budget ------------------------------------------------

fn ticket_with_budget(total: &str, remaining: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"ticket": ticket(1, 2, "2024-05-01T00:00:00Z")}))
        .insert_header("X-RateLimit-Total", total)
        .insert_header("X-RateLimit-Remaining", remaining)
        .insert_header("X-RateLimit-Used-CurrentRequest", "1")
}

#[tokio::test]
async fn the_client_paces_to_the_reported_budget_and_holds_back_when_it_is_spent() {
    let s = MockServer::start().await;
    // A Pro account (400 a minute) whose other integrations spend the rest.
    Mock::given(method("GET"))
        .respond_with(ticket_with_budget("400", "399"))
        .up_to_n_times(1)
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .respond_with(ticket_with_budget("400", "0"))
        .mount(&s)
        .await;
    let c = FreshserviceClient::builder()
        .base_url(s.uri())
        .api_key(KEY)
        .allow_insecure_http()
        .retry_policy(fast_retry().max_retry_after(Duration::from_secs(5)))
        .build()
        .unwrap();
    assert_eq!(c.http().rate_limit(), Some(RateLimit::per_minute(100)));
    c.ticket(&Id::from("1")).await.unwrap();
    assert_eq!(c.http().rate_limit(), Some(RateLimit::per_minute(400)));
    c.ticket(&Id::from("1")).await.unwrap();
    // Nothing left and no reset time: held for up to a minute, longer than
    // this caller waits, so the call ends without a request.
    let e = c.ticket(&Id::from("1")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    let wait = e.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(5) && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    assert_eq!(sent(&s).await.len(), 2);
}

#[tokio::test]
async fn against_the_fake_the_client_stops_where_the_minutes_budget_ends() {
    let fake = mspkit_freshservice::mock::start().await;
    let c = FreshserviceClient::from_settings_with(
        &fake.settings,
        mspkit_core::ClientOptions::new()
            .rate_limit(None)
            .retry(fast_retry().max_retry_after(Duration::from_secs(5))),
    )
    .unwrap();
    let id = Id::from(mspkit_freshservice::mock::TICKET_WITH_NOTES.0);
    let mut answered = 0;
    let e = loop {
        match c.ticket(&id).await {
            Ok(_) => answered += 1,
            Err(e) => break e,
        }
        assert!(answered <= 200, "the fake's 200 a minute were exceeded");
    };
    assert_eq!(answered, 200, "{e}");
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert!(!e.reached_server(), "held back, not refused: {e}");
    let reached = fake
        .server
        .received_requests()
        .await
        .unwrap_or_default()
        .len();
    assert_eq!(reached, 200, "no request went past the budget");
}
