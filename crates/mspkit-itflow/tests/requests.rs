//! What the client sends to ITFlow and how it reads the answers: the key on
//! the wire (query on reads, JSON body on writes), every endpoint's method,
//! path, query and body, paging by `limit` / `offset` to "No resource",
//! client-side `updated_since`, the 200-with-`False` failures and the
//! platform's error bodies, and that the key never shows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::TryStreamExt;
use mspkit_core::http::RateLimit;
use mspkit_core::{
    ErrorKind, Id, ListQuery, NewNote, NewTicket, Operation, PsaClient, TicketQuery, TicketState,
    TicketUpdate,
};
use mspkit_itflow::mock::{self, API_KEY};
use mspkit_itflow::{ItFlowClient, ItFlowSettings};
use mspkit_testkit::{FakeServer, fast_retry, json_body, query_param, received};
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, Request, ResponseTemplate};

fn client_of(fake: &FakeServer<ItFlowSettings>) -> ItFlowClient {
    ItFlowClient::builder()
        .base_url(fake.uri())
        .api_key(API_KEY)
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

/// Overrides one endpoint file with `answer`.
async fn answer(fake: &FakeServer<ItFlowSettings>, file: &str, answer: ResponseTemplate) {
    Mock::given(path(format!("/api/v1/{file}")))
        .respond_with(answer)
        .with_priority(1)
        .mount(&fake.server)
        .await;
}

fn itflow_json(status: u16, v: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(v)
}

// ---- settings and builder ----

#[test]
fn the_site_in_any_form_gives_the_api_root() {
    for (typed, root) in [
        ("itflow.example.com", "https://itflow.example.com/api/v1/"),
        (
            "https://itflow.example.com/",
            "https://itflow.example.com/api/v1/",
        ),
        (
            "https://itflow.example.com/api/v1",
            "https://itflow.example.com/api/v1/",
        ),
        (
            "https://example.com/itflow/api/v1/",
            "https://example.com/itflow/api/v1/",
        ),
        (
            "https://example.com/itflow?x=1",
            "https://example.com/itflow/api/v1/",
        ),
    ] {
        let c = ItFlowClient::builder()
            .base_url(typed)
            .api_key("k3y")
            .build()
            .unwrap();
        assert_eq!(c.http().base_url().as_str(), root, "{typed}");
    }
}

#[test]
fn bad_settings_are_refused_before_any_request_without_quoting_the_key() {
    let http = ItFlowClient::builder()
        .base_url("http://10.0.0.5/itflow")
        .api_key("k3y")
        .build()
        .unwrap_err();
    assert_eq!(http.kind(), ErrorKind::InsecureUrl);
    assert!(http.to_string().contains("allow_insecure_http"), "{http}");
    let ok = ItFlowClient::builder()
        .base_url("http://10.0.0.5/itflow")
        .api_key("k3y")
        .allow_insecure_http()
        .build()
        .unwrap();
    assert_eq!(
        ok.http().base_url().as_str(),
        "http://10.0.0.5/itflow/api/v1/"
    );

    let empty = ItFlowClient::builder()
        .base_url("itflow.example.com")
        .api_key("  ")
        .build()
        .unwrap_err();
    assert_eq!(empty.kind(), ErrorKind::Config);
    let no_url = ItFlowClient::builder().api_key("k3y").build().unwrap_err();
    assert_eq!(no_url.kind(), ErrorKind::Config);
    let tz = ItFlowClient::builder()
        .base_url("itflow.example.com")
        .api_key("k3y")
        .time_zone("Europe/Berlin")
        .build()
        .unwrap_err();
    assert_eq!(tz.kind(), ErrorKind::Config);
    assert!(tz.to_string().contains("time_zone"), "{tz}");
}

#[test]
fn settings_read_from_json_and_keep_the_key_out_of_debug() {
    let s: ItFlowSettings = serde_json::from_value(json!({
        "base_url": "https://itflow.example.com",
        "api_key": "S3cr3tKeyValue99",
        "time_zone": "+02:00",
        "allow_insecure_http": false
    }))
    .unwrap();
    assert!(!format!("{s:?}").contains("S3cr3tKeyValue99"));
    let c = ItFlowClient::from_settings(&s).unwrap();
    assert!(!format!("{c:?}").contains("S3cr3tKeyValue99"));
    assert_eq!(c.time_zone().local_minus_utc(), 7200);
    assert!(
        serde_json::from_value::<ItFlowSettings>(
            json!({"base_url": "x", "api_key": "k", "typo": 1})
        )
        .is_err()
    );
}

#[test]
fn no_rate_limit_by_default_but_one_can_be_set() {
    let c = ItFlowClient::builder()
        .base_url("itflow.example.com")
        .api_key("k3y")
        .build()
        .unwrap();
    assert_eq!(c.http().rate_limit(), None);
    let limited = ItFlowClient::builder()
        .base_url("itflow.example.com")
        .api_key("k3y")
        .rate_limit(Some(RateLimit::per_second(5)))
        .build()
        .unwrap();
    assert_eq!(limited.http().rate_limit(), Some(RateLimit::per_second(5)));
}

// ---- the key on the wire ----

#[tokio::test]
async fn reads_carry_the_key_in_the_query_and_writes_only_in_the_json_body() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    c.test_connection().await.unwrap();
    c.add_ticket_note(&Id::from("311"), NewNote::internal("Checked the toner."))
        .await
        .unwrap();
    let reqs = received(&fake.server).await;
    let get = &reqs[0];
    assert_eq!(get.method.as_str(), "GET");
    assert_eq!(get.url.path(), "/api/v1/clients/read.php");
    assert_eq!(query_param(get, "api_key").as_deref(), Some(API_KEY));
    assert_eq!(query_param(get, "limit").as_deref(), Some("1"));
    let post = reqs.iter().find(|r| r.method.as_str() == "POST").unwrap();
    assert_eq!(json_body(post)["api_key"], API_KEY);
    // Only in the body: a write's URL, which access logs keep, has no key.
    assert_eq!(query_param(post, "api_key"), None, "{}", post.url.path());
    assert_eq!(
        post.headers.get("content-type").unwrap().to_str().unwrap(),
        "application/json"
    );
}

#[tokio::test]
async fn a_missing_or_wrong_key_is_unauthorized_in_both_forms() {
    let fake = mock::start().await;
    let wrong = ItFlowClient::builder()
        .base_url(fake.uri())
        .api_key("notTheKey000")
        .allow_insecure_http()
        .build()
        .unwrap();
    let e = wrong.test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        e.message(),
        Some("Authentication failed. API key is invalid or has expired.")
    );
    assert!(!format!("{e} {e:?}").contains("notTheKey000"));

    // No key at all: 401 with an empty body.
    let http = mspkit_core::http::client_builder().build().unwrap();
    let bare = http
        .get(format!("{}/api/v1/clients/read.php", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 401);
    assert!(bare.bytes().await.unwrap().is_empty());
    answer(&fake, "tickets/read.php", ResponseTemplate::new(401)).await;
    let c = client_of(&fake);
    let e = c.ticket(&Id::from("311")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.target(), Some("311"));
}

#[tokio::test]
async fn an_answer_quoting_the_request_never_shows_the_key() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    Mock::given(wiremock::matchers::any())
        .respond_with(|r: &Request| {
            itflow_json(
                400,
                json!({"success": "False", "message": format!("bad request {} {}", r.url, String::from_utf8_lossy(&r.body))}),
            )
        })
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let read = c.ticket(&Id::from("311")).await.unwrap_err();
    let write = c.create_ticket(NewTicket::new("x")).await.unwrap_err();
    for e in [read, write] {
        let text = format!("{e} {e:?}");
        assert!(!text.contains(API_KEY), "{text}");
        assert!(text.contains("[REDACTED]"), "{text}");
    }
}

// ---- lists and paging ----

#[tokio::test]
async fn lists_page_by_limit_and_offset_until_a_short_page() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let tickets: Vec<_> = c
        .tickets(TicketQuery::new().page_size(15))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tickets.len(), 40);
    let reqs = received(&fake.server).await;
    let pages: Vec<_> = reqs
        .iter()
        .filter(|r| {
            r.url.path() == "/api/v1/tickets/read.php" && query_param(r, "ticket_id").is_none()
        })
        .collect();
    let offsets: Vec<_> = pages
        .iter()
        .map(|r| query_param(r, "offset").unwrap())
        .collect();
    assert_eq!(offsets, ["0", "15", "30"]);
    assert!(
        pages
            .iter()
            .all(|r| query_param(r, "limit").as_deref() == Some("15"))
    );
    assert!(pages.iter().all(|r| r.method.as_str() == "GET"));
    // Ordered by id, as ITFlow answers.
    assert_eq!(tickets[0].id.as_str(), "301");
    assert_eq!(tickets[39].id.as_str(), "340");
}

#[tokio::test]
async fn a_page_past_the_end_answered_no_resource_ends_the_list() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    // 12 contacts in pages of 4: the fourth page is "No resource" (HTTP 200).
    let contacts: Vec<_> = c
        .contacts(ListQuery::new().page_size(4))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(contacts.len(), 12);
    let offsets: Vec<_> = received(&fake.server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/api/v1/contacts/read.php")
        .map(|r| query_param(r, "offset").unwrap())
        .collect();
    assert_eq!(offsets, ["0", "4", "8", "12"]);

    // A list with nothing in it is empty, not an error.
    answer(
        &fake,
        "contacts/read.php",
        itflow_json(
            200,
            json!({"success": "False", "message": mock::NO_RESOURCE}),
        ),
    )
    .await;
    let none: Vec<_> = c.contacts(ListQuery::new()).try_collect().await.unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn another_failure_with_200_on_a_list_is_an_error_with_itflows_message() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    answer(
        &fake,
        "tickets/read.php",
        itflow_json(
            200,
            json!({"success": "False", "message": "Database error"}),
        ),
    )
    .await;
    let e = c
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.message(), Some("Database error"));
}

#[tokio::test]
async fn updated_since_and_every_filter_apply_client_side() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let since = "2024-03-05T06:07:08Z".parse().unwrap();
    let recent: Vec<_> = c
        .tickets(TicketQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!recent.is_empty() && recent.len() < 40);
    assert!(recent.iter().all(|t| t.updated_at.unwrap() >= since));
    let open: Vec<_> = c
        .tickets(TicketQuery::new().open().company("7"))
        .try_collect()
        .await
        .unwrap();
    assert!(!open.is_empty());
    assert!(
        open.iter()
            .all(|t| !t.status.state.is_closed() && t.company_id.as_ref().unwrap().as_str() == "7")
    );
    let contacts: Vec<_> = c
        .contacts(ListQuery::new().company("9").updated_since(since))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = contacts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["22"]);
    // No request carried a date: ITFlow has no such filter.
    for r in received(&fake.server).await {
        let q = r.url.query().unwrap_or("");
        assert!(!q.contains("2024"), "{q}");
    }
}

#[tokio::test]
async fn companies_take_phone_and_address_from_the_primary_location() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let companies: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(companies.len(), 8);
    let contoso = &companies[0];
    assert_eq!(contoso.phone.as_deref(), Some("+1 2065550142"));
    let a = contoso.address.as_ref().unwrap();
    assert_eq!(a.line1.as_deref(), Some("200 Harbor Way"));
    let proseware = companies.iter().find(|c| c.id.as_str() == "14").unwrap();
    assert_eq!(
        (proseware.phone.as_ref(), proseware.address.as_ref()),
        (None, None)
    );
    // One walk of the locations per call.
    let locations = received(&fake.server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/api/v1/locations/read.php")
        .count();
    assert_eq!(locations, 1);

    let one = c.company(&Id::from("12")).await.unwrap();
    assert_eq!(one.name, "Adventure Works");
    assert_eq!(one.active, Some(false));
    assert_eq!(one.phone.as_deref(), Some("+1 3035550123"));
    let e = c.company(&Id::from("99")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.target(), Some("99"));
}

// ---- single reads and status names ----

#[tokio::test]
async fn a_ticket_is_read_by_id_with_its_status_name() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let t = c.ticket(&Id::from("311")).await.unwrap();
    assert_eq!(t.status.label.as_deref(), Some("Open"));
    let r = &received(&fake.server).await[0];
    assert_eq!(r.url.path(), "/api/v1/tickets/read.php");
    assert_eq!(query_param(r, "ticket_id").as_deref(), Some("311"));

    // "No resource" with HTTP 200 on a read by id is NotFound, naming the id.
    let e = c.ticket(&Id::from("999")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        e.to_string(),
        format!("itflow ticket 999: not found: {}", mock::NO_RESOURCE)
    );
}

#[tokio::test]
async fn status_names_are_learnt_once_per_status_and_cached() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let all: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
    let custom = all
        .iter()
        .find(|t| t.status.id.as_ref().map(Id::as_str) == Some("6"))
        .unwrap();
    assert_eq!(custom.status.label.as_deref(), Some("Waiting on Vendor"));
    assert_eq!(custom.status.state, TicketState::Open);
    let held = all
        .iter()
        .find(|t| t.status.id.as_ref().map(Id::as_str) == Some("3"))
        .unwrap();
    assert_eq!(
        (held.status.state, held.status.label.as_deref()),
        (TicketState::Waiting, Some("On Hold"))
    );
    let look_ups = |reqs: &[Request]| {
        reqs.iter()
            .filter(|r| query_param(r, "ticket_id").is_some())
            .count()
    };
    // Six statuses in use: six tickets read by id.
    assert_eq!(look_ups(&received(&fake.server).await), 6);
    let _: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
    assert_eq!(look_ups(&received(&fake.server).await), 6);
}

// ---- writes ----

#[tokio::test]
async fn create_ticket_posts_its_fields_then_reads_the_ticket_back() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let t = c
        .create_ticket(
            NewTicket::new("Monitor flickers")
                .description("Second screen at desk 4")
                .company("8")
                .contact("21")
                .priority("high")
                .extra("ticket_billable", 1),
        )
        .await
        .unwrap();
    assert_eq!(t.id.as_str(), "341");
    assert_eq!(t.number.as_deref(), Some("TCK-1072"));
    assert_eq!(
        t.description.as_deref(),
        Some("Second screen at desk 4<br>")
    );
    assert_eq!(t.status.state, TicketState::New);
    assert_eq!(t.priority.as_ref().unwrap().label.as_deref(), Some("High"));
    let reqs = received(&fake.server).await;
    let post = reqs.iter().find(|r| r.method.as_str() == "POST").unwrap();
    assert_eq!(post.url.path(), "/api/v1/tickets/create.php");
    assert_eq!(
        json_body(post),
        json!({
            "api_key": API_KEY,
            "ticket_subject": "Monitor flickers",
            "ticket_details": "Second screen at desk 4",
            "client_id": 8,
            "ticket_contact_id": 21,
            "ticket_priority": "High",
            "ticket_billable": 1
        })
    );
    let read = reqs.last().unwrap();
    assert_eq!(query_param(read, "ticket_id").as_deref(), Some("341"));
}

#[tokio::test]
async fn create_ticket_refuses_what_itflow_cannot_take_and_reports_its_failures() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    for bad in [
        NewTicket::new("x").priority("P1"),
        NewTicket::new("x").status("2"),
        NewTicket::new("x").company("acme"),
    ] {
        let e = c.create_ticket(bad).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
    }
    assert!(received(&fake.server).await.is_empty());
    // An empty subject: ITFlow's insert failure, with HTTP 200.
    let e = c.create_ticket(NewTicket::new("")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(200));
    assert_eq!(e.message(), Some(mock::INSERT_FAILED));
}

#[tokio::test]
async fn resolving_goes_through_resolve_php_with_the_tickets_client() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let t = c
        .update_ticket(
            &Id::from("311"),
            TicketUpdate::new().state(TicketState::Resolved),
        )
        .await
        .unwrap();
    assert_eq!(t.status.state, TicketState::Resolved);
    assert_eq!(t.status.label.as_deref(), Some("Resolved"));
    assert!(t.closed_at.is_some());
    let reqs = received(&fake.server).await;
    let post = reqs.iter().find(|r| r.method.as_str() == "POST").unwrap();
    assert_eq!(post.url.path(), "/api/v1/tickets/resolve.php");
    assert_eq!(
        json_body(post),
        json!({"api_key": API_KEY, "ticket_id": 311, "client_id": 7})
    );
    // Already resolved: returned as it is, nothing posted.
    let before = received(&fake.server).await.len();
    c.update_ticket(&Id::from("311"), TicketUpdate::new().status_id("4"))
        .await
        .unwrap();
    let after = received(&fake.server).await;
    assert!(after[before..].iter().all(|r| r.method.as_str() == "GET"));
}

#[tokio::test]
async fn other_updates_are_refused_or_unsupported_without_a_request() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let e = c
        .update_ticket(&Id::from("311"), TicketUpdate::new().summary("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let e = c
        .update_ticket(
            &Id::from("311"),
            TicketUpdate::new().state(TicketState::Closed),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert!(received(&fake.server).await.is_empty());
    let e = c
        .agreements(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
}

#[tokio::test]
async fn a_resolve_itflow_refuses_is_an_error_with_its_message() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    answer(
        &fake,
        "tickets/resolve.php",
        itflow_json(
            200,
            json!({"success": "False", "message": mock::UPDATE_FAILED}),
        ),
    )
    .await;
    let e = c
        .update_ticket(
            &Id::from("312"),
            TicketUpdate::new().state(TicketState::Resolved),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.target(), Some("312"));
    assert_eq!(e.message(), Some(mock::UPDATE_FAILED));
}

// ---- notes ----

#[tokio::test]
async fn notes_are_the_tickets_replies_and_a_note_is_posted_as_one() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    let notes: Vec<_> = c
        .ticket_notes(&Id::from("311"))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = notes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["86", "87", "88"]);
    let r = &received(&fake.server).await[0];
    assert_eq!(r.url.path(), "/api/v1/ticket_replies/read.php");
    assert_eq!(query_param(r, "ticket_id").as_deref(), Some("311"));
    assert_eq!(query_param(r, "offset").as_deref(), Some("0"));

    let note = c
        .add_ticket_note(&Id::from("305"), NewNote::new("Replaced the battery."))
        .await
        .unwrap();
    assert_eq!(note.id.as_str(), "92");
    assert_eq!(note.ticket_id.as_str(), "305");
    assert!(!note.internal);
    assert_eq!(note.author.as_deref(), Some("Sam Tech"));
    let reqs = received(&fake.server).await;
    let post = reqs.iter().find(|r| r.method.as_str() == "POST").unwrap();
    assert_eq!(post.url.path(), "/api/v1/ticket_replies/create.php");
    assert_eq!(
        json_body(post),
        json!({"api_key": API_KEY, "ticket_id": 305, "ticket_reply": "Replaced the battery.", "ticket_reply_type": "Public"})
    );
    assert_eq!(
        query_param(reqs.last().unwrap(), "ticket_reply_id").as_deref(),
        Some("92")
    );
}

#[tokio::test]
async fn an_install_without_reply_endpoints_answers_unsupported_and_remembers() {
    let fake = mock::start_without_replies().await;
    let c = client_of(&fake);
    assert!(c.capabilities().supports(Operation::TicketNotes));
    let e = c
        .ticket_notes(&Id::from("311"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(e.to_string().contains("ticket_replies"), "{e}");
    assert!(!c.capabilities().supports(Operation::TicketNotes));
    assert!(!c.capabilities().supports(Operation::AddTicketNote));
    let before = received(&fake.server).await.len();
    let e = c
        .add_ticket_note(&Id::from("311"), NewNote::new("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert_eq!(received(&fake.server).await.len(), before);

    // A fresh client finds out from the write as well.
    let fresh = client_of(&fake);
    let e = fresh
        .add_ticket_note(&Id::from("311"), NewNote::new("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
}

// ---- errors ----

#[tokio::test]
async fn the_platforms_refusals_map_to_their_kinds() {
    let fake = mock::start().await;
    let c = client_of(&fake);
    answer(
        &fake,
        "contacts/read.php",
        itflow_json(
            403,
            json!({"success": "False", "message": "The user linked to this API key does not have access to this module."}),
        ),
    )
    .await;
    let e = c
        .contacts(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        e.message(),
        Some("The user linked to this API key does not have access to this module.")
    );

    // The wrong method: ITFlow's 405.
    let e = c
        .http()
        .post("tickets", "tickets/read.php")
        .json(&json!({"api_key": API_KEY}))
        .send()
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Api, Some(405)));
    assert_eq!(
        e.message(),
        Some("Can only send GET requests to this endpoint.")
    );

    answer(
        &fake,
        "clients/read.php",
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
    )
    .await;
    let e = c
        .companies(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);

    answer(
        &fake,
        "tickets/read.php",
        ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"),
    )
    .await;
    let e = c.ticket(&Id::from("311")).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(502)));
}

#[tokio::test]
async fn malformed_and_truncated_answers_are_decode_errors() {
    for body in [
        "{not json",
        r#"{"success":"True","count":2,"data":[{"ticket_id":"311","ticket_subject":"Printer"#,
        r#"{"success":"True","count":1,"data":[{"ticket_id":"abc"}]}"#,
        r#"{"success":"True","count":1}"#,
    ] {
        let fake = mock::start().await;
        let c = client_of(&fake);
        answer(
            &fake,
            "tickets/read.php",
            ResponseTemplate::new(200).set_body_raw(body, "application/json"),
        )
        .await;
        let e = c
            .tickets(TicketQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{body}: {e}");
        let e = c.ticket(&Id::from("311")).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{body}: {e}");
    }
}

#[tokio::test]
async fn times_are_read_in_the_configured_zone() {
    let fake = mock::start().await;
    let mut settings = fake.settings.clone();
    settings.time_zone = Some("+02:00".into());
    let c = ItFlowClient::from_settings(&settings).unwrap();
    let t = c.ticket(&Id::from("311")).await.unwrap();
    // "2025-06-11 08:05:12" at +02:00.
    assert_eq!(
        t.created_at.unwrap().to_rfc3339(),
        "2025-06-11T06:05:12+00:00"
    );
}

// ---- first contact and trust ---------------------------------------------

#[tokio::test]
async fn a_refused_first_call_says_what_to_check() {
    let refusal = |status: u16, message: &str| {
        ResponseTemplate::new(status).set_body_json(json!({"success": "False", "message": message}))
    };
    for (answer, status, kind, what) in [
        (
            refusal(401, mock::BAD_KEY),
            401,
            ErrorKind::Unauthorized,
            "Admin Settings > API Keys",
        ),
        // No key arrived (a proxy dropped the query string): an empty 401.
        (
            ResponseTemplate::new(401),
            401,
            ErrorKind::Unauthorized,
            "query string",
        ),
        (
            refusal(
                403,
                "The user linked to this API key does not have access to the client module.",
            ),
            403,
            ErrorKind::Forbidden,
            "scope",
        ),
        (
            ResponseTemplate::new(404)
                .set_body_string("<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>")
                .insert_header("content-type", "text/html"),
            404,
            ErrorKind::NotFound,
            "/api/v1 is added",
        ),
    ] {
        let fake = mock::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(answer)
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = ItFlowClient::from_settings_with(
            &fake.settings,
            mspkit_core::ClientOptions::new().retry(fast_retry()),
        )
        .unwrap();
        let e = PsaClient::test_connection(&c).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{status}: {e}");
        assert_eq!(e.status(), Some(status), "{e}");
        let hint = e.hint().unwrap_or_default();
        assert!(hint.contains(what), "{status}: {e}");
        assert!(e.to_string().ends_with(&format!("; check: {hint}")), "{e}");
        assert!(!format!("{e} {e:?}").contains(API_KEY), "{e:?}");
    }
}

/// The settings' JSON the trust checks start from: the fake's, without
/// trust settings.
fn trust_base(fake: &mspkit_testkit::FakeServer<ItFlowSettings>) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "api_key": API_KEY,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: ItFlowSettings| async move {
        ItFlowClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&ItFlowClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: ItFlowSettings| {
        ItFlowClient::from_settings(&s).map(drop)
    });
}
