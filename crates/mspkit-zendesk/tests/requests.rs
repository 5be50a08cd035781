//! What the client sends and how it reads Zendesk's answers: the exact auth
//! on the wire, each endpoint's method, path, query and body, the paging and
//! export endings, and Zendesk's error bodies.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::TryStreamExt;
use mspkit_core::http::{RateLimit, RetryPolicy};
use mspkit_core::{
    ErrorKind, Id, ListQuery, NewNote, NewTicket, PsaClient, TicketQuery, TicketState, TicketUpdate,
};
use mspkit_testkit::fast_retry;
use mspkit_zendesk::{ZendeskClient, ZendeskSettings, mock};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASIC: &str =
    "Basic amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2";

fn client(server: &MockServer) -> ZendeskClient {
    ZendeskClient::builder()
        .email("jdoe@example.com")
        .api_token("6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv")
        .base_url(server.uri())
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn cursor_page(key: &str, items: Value, has_more: bool, next: Option<String>) -> Value {
    json!({
        key: items,
        "meta": {"has_more": has_more, "after_cursor": "xxx", "before_cursor": "yyy"},
        "links": {"next": next, "prev": null}
    })
}

fn ticket(id: u64, status: &str) -> Value {
    json!({"id": id, "subject": format!("T{id}"), "status": status, "priority": "normal",
           "created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-03-06T00:00:00Z"})
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

// ---- auth on the wire ----------------------------------------------------

#[tokio::test]
async fn an_api_token_is_sent_as_basic_email_slash_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/me"))
        .and(header("authorization", BASIC))
        .and(header("accept", "application/json"))
        .respond_with(ok(
            json!({"user": {"id": 1902872923580u64, "name": "Jane Doe"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).test_connection().await.unwrap();
}

#[tokio::test]
async fn an_oauth_token_is_sent_as_bearer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/users/me"))
        .and(header(
            "authorization",
            "Bearer gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo",
        ))
        .respond_with(ok(json!({"user": {"id": 7}})))
        .expect(1)
        .mount(&server)
        .await;
    let mut settings = ZendeskSettings::oauth("example", "gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo");
    settings.base_url = Some(server.uri());
    settings.allow_insecure_http = true;
    ZendeskClient::from_settings(&settings)
        .unwrap()
        .test_connection()
        .await
        .unwrap();
}

#[tokio::test]
async fn both_forms_work_against_the_fake_and_wrong_ones_get_zendesks_401() {
    for fake in [mock::start().await, mock::start_oauth().await] {
        let c = ZendeskClient::from_settings(&fake.settings).unwrap();
        c.test_connection().await.unwrap();
    }
    let fake = mock::start().await;
    let mut wrong = fake.settings.clone();
    wrong.api_token = Some("not-the-token".to_owned().into());
    let e = ZendeskClient::from_settings(&wrong)
        .unwrap()
        .test_connection()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.message(), Some("Couldn't authenticate you"));
    assert!(!format!("{e} {e:?}").contains("not-the-token"));
}

#[tokio::test]
async fn zendesks_anonymous_user_means_the_credentials_were_not_taken() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/users/me"))
        .respond_with(ok(json!({"user": {"id": null, "name": "Anonymous user"}})))
        .mount(&server)
        .await;
    let e = client(&server).test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
}

// ---- settings ------------------------------------------------------------

#[test]
fn exactly_one_sign_in_form_is_required_and_no_value_is_quoted() {
    let token = "s3cret-token-value";
    let mut both = ZendeskSettings::api_token("acme", "a@b.example", token);
    both.oauth_token = Some(token.to_owned().into());
    let e = ZendeskClient::from_settings(&both).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let text = e.to_string();
    assert!(
        text.contains("email and api_token, or oauth_token, not both"),
        "{text}"
    );
    assert!(!text.contains(token) && !format!("{e:?}").contains(token));

    let e = ZendeskClient::from_settings(&ZendeskSettings::new("acme")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(
        e.to_string()
            .contains("email and api_token, or oauth_token"),
        "{e}"
    );

    let mut no_token = ZendeskSettings::new("acme");
    no_token.email = Some("a@b.example".into());
    let e = ZendeskClient::from_settings(&no_token).unwrap_err();
    assert!(e.to_string().contains("api_token"), "{e}");

    let mut no_email = ZendeskSettings::new("acme");
    no_email.api_token = Some(token.to_owned().into());
    let e = ZendeskClient::from_settings(&no_email).unwrap_err();
    assert!(e.to_string().contains("email"), "{e}");
    assert!(!format!("{e} {e:?}").contains(token));

    // A blank OAuth field next to a token pair is no second form.
    let mut blank = ZendeskSettings::api_token("acme", "a@b.example", token);
    blank.oauth_token = Some(" ".to_owned().into());
    assert!(ZendeskClient::from_settings(&blank).is_ok());
}

#[test]
fn settings_read_from_json_and_the_subdomain_becomes_the_root() {
    let s: ZendeskSettings = serde_json::from_str(
        r#"{"subdomain": "https://acme.zendesk.com", "oauth_token": "tok-123"}"#,
    )
    .unwrap();
    assert!(!format!("{s:?}").contains("tok-123"));
    let c = ZendeskClient::from_settings(&s).unwrap();
    assert_eq!(
        c.http().base_url().as_str(),
        "https://acme.zendesk.com/api/v2/"
    );
    assert!(!format!("{c:?}").contains("tok-123"));

    let mut plain = ZendeskSettings::oauth("acme", "tok-123");
    plain.base_url = Some("http://127.0.0.1:9".into());
    let e = ZendeskClient::from_settings(&plain).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsecureUrl);
    let e =
        ZendeskClient::from_settings(&ZendeskSettings::oauth("support.acme.com", "t")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let unknown = serde_json::from_str::<ZendeskSettings>(r#"{"subdomain":"a","password":"x"}"#);
    assert!(unknown.is_err(), "password sign-in is not offered");
}

// ---- lists and paging ----------------------------------------------------

#[tokio::test]
async fn cursor_lists_end_on_has_more_false_even_with_a_next_link() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets"))
        .and(query_param("page[size]", "2"))
        .and(query_param("include", "users,metric_sets"))
        .and(query_param_is_missing("page[after]"))
        .respond_with(ok(cursor_page(
            "tickets",
            json!([ticket(1, "open"), ticket(2, "new")]),
            true,
            Some(format!(
                "{base}/api/v2/tickets.json?page%5Bsize%5D=2&page%5Bafter%5D=c1"
            )),
        )))
        .expect(1)
        .mount(&server)
        .await;
    // Zendesk's own next link dropped the side-loads: the client adds them back.
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets.json"))
        .and(query_param("page[after]", "c1"))
        .and(query_param("include", "users,metric_sets"))
        .respond_with(ok(cursor_page(
            "tickets",
            json!([ticket(3, "solved"), ticket(4, "hold")]),
            true,
            Some(format!(
                "{base}/api/v2/tickets.json?page%5Bsize%5D=2&page%5Bafter%5D=c2"
            )),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets.json"))
        .and(query_param("page[after]", "c2"))
        .respond_with(ok(cursor_page(
            "tickets",
            json!([ticket(5, "closed")]),
            false,
            Some(format!(
                "{base}/api/v2/tickets.json?page%5Bsize%5D=2&page%5Bafter%5D=c3"
            )),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let tickets: Vec<_> = client(&server)
        .tickets(TicketQuery::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tickets.len(), 5);
    assert_eq!(
        requests(&server).await.len(),
        3,
        "the last link is not followed"
    );
}

#[tokio::test]
async fn the_page_size_is_capped_at_100_and_a_small_limit_asks_for_less() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/organizations"))
        .and(query_param("page[size]", "100"))
        .respond_with(ok(cursor_page(
            "organizations",
            json!([{"id": 1, "name": "A"}]),
            false,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations"))
        .and(query_param("page[size]", "2"))
        .respond_with(ok(cursor_page(
            "organizations",
            json!([{"id": 1, "name": "A"}, {"id": 2, "name": "B"}]),
            true,
            Some(format!(
                "{}/api/v2/organizations.json?page%5Bafter%5D=z",
                server.uri()
            )),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let all: Vec<_> = c
        .companies(ListQuery::new().page_size(500))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    let two: Vec<_> = c
        .companies(ListQuery::new().limit(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(two.len(), 2);
}

#[tokio::test]
async fn contacts_are_end_users_overall_or_of_one_organization() {
    let server = MockServer::start().await;
    let user = json!({"id": 9, "name": "Ana Lima", "role": "end-user", "organization_id": 4112492});
    Mock::given(method("GET"))
        .and(path("/api/v2/users"))
        .and(query_param("role", "end-user"))
        .and(query_param("page[size]", "100"))
        .respond_with(ok(cursor_page("users", json!([user.clone()]), false, None)))
        .expect(1)
        .mount(&server)
        .await;
    // A member whose primary organization is another is a member all the same.
    let member =
        json!({"id": 10, "name": "Bram de Vries", "role": "end-user", "organization_id": 1873});
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations/4112492/users"))
        .and(query_param("role", "end-user"))
        .respond_with(ok(cursor_page("users", json!([user, member]), false, None)))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let all: Vec<_> = c.contacts(ListQuery::new()).try_collect().await.unwrap();
    let one: Vec<_> = c
        .contacts(ListQuery::new().company("4112492"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!((all.len(), one.len()), (1, 2));
}

#[tokio::test]
async fn tickets_of_a_company_and_state_filters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations/1873/tickets"))
        .and(query_param("include", "users,metric_sets"))
        .respond_with(ok(cursor_page(
            "tickets",
            json!([
                ticket(1, "open"),
                ticket(2, "solved"),
                ticket(3, "closed"),
                ticket(4, "pending")
            ]),
            false,
            None,
        )))
        .mount(&server)
        .await;
    let c = client(&server);
    let open: Vec<_> = c
        .tickets(TicketQuery::new().company("1873").open())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        open.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["1", "4"]
    );
    let closed: Vec<_> = c
        .tickets(TicketQuery::new().company("1873").closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(closed.len(), 2);
    let e = c
        .tickets(TicketQuery::new().company("acme"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

#[tokio::test]
async fn updated_since_walks_the_ticket_export_to_end_of_stream() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/api/v2/incremental/tickets/cursor"))
        .and(query_param("start_time", "1709618828"))
        .and(query_param("include", "users,metric_sets"))
        .and(query_param_is_missing("per_page"))
        .respond_with(ok(json!({
            "tickets": [ticket(1, "open")],
            "after_cursor": "MTU3NjYxMzUzOS4wfHw0Njd8",
            "after_url": format!("{base}/api/v2/incremental/tickets/cursor.json?cursor=MTU3NjYxMzUzOS4wfHw0Njd8"),
            "before_cursor": null, "before_url": null, "end_of_stream": false
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/incremental/tickets/cursor.json"))
        .and(query_param("cursor", "MTU3NjYxMzUzOS4wfHw0Njd8"))
        .and(query_param("include", "users,metric_sets"))
        .and(query_param_is_missing("start_time"))
        .respond_with(ok(json!({
            "tickets": [ticket(2, "solved")],
            "after_cursor": "bmV4dA",
            "after_url": format!("{base}/api/v2/incremental/tickets/cursor.json?cursor=bmV4dA"),
            "before_cursor": null, "before_url": null, "end_of_stream": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let since = mspkit_core::chrono::DateTime::from_timestamp(1_709_618_828, 0).unwrap();
    let tickets: Vec<_> = client(&server)
        .tickets(TicketQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tickets.len(), 2);
    assert_eq!(
        requests(&server).await.len(),
        2,
        "after_url at the end is not followed"
    );
}

#[tokio::test]
async fn updated_since_uses_the_organization_and_user_exports() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/incremental/organizations"))
        .and(query_param("start_time", "1709618828"))
        .and(query_param("per_page", "50"))
        .respond_with(ok(json!({
            "organizations": [{"id": 1, "name": "A", "updated_at": "2024-03-06T00:00:00Z"}],
            "count": 1, "end_of_stream": true, "end_time": 1709683200,
            "next_page": format!("{}/api/v2/incremental/organizations.json?start_time=1709683200", server.uri())
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/incremental/users/cursor"))
        .and(query_param("start_time", "1709618828"))
        .respond_with(ok(json!({
            "users": [
                {"id": 1, "name": "Ana Lima", "role": "end-user", "organization_id": 5},
                {"id": 2, "name": "Johnny Agent", "role": "agent", "organization_id": 5},
                {"id": 3, "name": "Bram de Vries", "role": "end-user", "organization_id": 6}
            ],
            "after_url": null, "end_of_stream": true
        })))
        .expect(2)
        .mount(&server)
        .await;
    let since = mspkit_core::chrono::DateTime::from_timestamp(1_709_618_828, 0).unwrap();
    let c = client(&server);
    let orgs: Vec<_> = c
        .companies(ListQuery::new().updated_since(since).page_size(50))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs.len(), 1);
    let users: Vec<_> = c
        .contacts(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        users.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        ["1", "3"]
    );
    let of_org: Vec<_> = c
        .contacts(ListQuery::new().updated_since(since).company("6"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        of_org.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        ["3"]
    );
}

#[tokio::test]
async fn the_time_based_export_drops_the_repeats_at_each_page_boundary() {
    let fake = mock::start().await;
    let c = ZendeskClient::from_settings(&fake.settings).unwrap();
    let since = mspkit_core::chrono::DateTime::from_timestamp(0, 0).unwrap();
    // Three a page: each page starts with the previous page's last, and the
    // last page holds nothing new.
    let orgs: Vec<_> = c
        .companies(ListQuery::new().updated_since(since).page_size(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(Some(orgs.len()), fake.expected.companies);
    let mut ids: Vec<_> = orgs.iter().map(|o| o.id.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), orgs.len());
}

#[tokio::test]
async fn an_updated_since_within_the_last_minute_is_moved_back_to_one_minute_ago() {
    let fake = mock::start().await;
    let c = ZendeskClient::from_settings(&fake.settings).unwrap();
    let now = mspkit_core::chrono::Utc::now();
    let tickets: Vec<_> = c
        .tickets(TicketQuery::new().updated_since(now))
        .try_collect()
        .await
        .unwrap();
    assert!(tickets.is_empty());
}

#[tokio::test]
async fn pages_without_the_list_or_the_flag_are_errors_not_ends() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/organizations"))
        .respond_with(ok(
            json!({"error": "Something", "description": "went wrong"}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/users"))
        .respond_with(ok(
            json!({"users": [{"id": 1, "role": "end-user"}], "next_page": null, "count": 1}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/tickets"))
        .respond_with(ok(cursor_page(
            "tickets",
            json!([ticket(1, "open")]),
            true,
            None,
        )))
        .mount(&server)
        .await;
    let c = client(&server);
    let e = c
        .companies(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("no `organizations` list"), "{e}");
    let e = c
        .contacts(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("meta.has_more"));
    let e = c
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Paging);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/tickets"))
        .respond_with(ok(cursor_page(
            "tickets",
            json!([ticket(1, "open")]),
            true,
            Some("https://evil.example/api/v2/tickets.json?page%5Bafter%5D=x".into()),
        )))
        .mount(&server)
        .await;
    let e = client(&server)
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Paging);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn notes_are_the_ticket_comments() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets/35436/comments"))
        .and(query_param("page[size]", "100"))
        .and(query_param("include", "users"))
        .respond_with(ok(json!({
            "comments": [{"id": 1, "body": "Hi", "public": true, "author_id": 7, "created_at": "2024-01-01T00:00:00Z"},
                         {"id": 2, "body": "Internal", "public": false, "author_id": 8}],
            "users": [{"id": 7, "name": "Ana Lima"}],
            "meta": {"has_more": false}, "links": {"next": null}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let notes: Vec<_> = client(&server)
        .ticket_notes(&Id::from("35436"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0].author.as_deref(), Some("Ana Lima"));
    assert!(!notes[0].internal && notes[1].internal);
    assert_eq!(notes[1].author, None);
}

// ---- single reads and writes -----------------------------------------------

#[tokio::test]
async fn single_reads_name_their_ids() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/organizations/4112492"))
        .respond_with(ok(
            json!({"organization": {"id": 4112492, "name": "Groablet Enterprises"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets/42"))
        .and(query_param("include", "users,metric_sets"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "RecordNotFound", "description": "Not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(
        c.company(&Id::from("4112492")).await.unwrap().name,
        "Groablet Enterprises"
    );
    let e = c.ticket(&Id::from("42")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.code(), Some("RecordNotFound"));
    assert_eq!(e.target(), Some("42"));
    assert!(e.to_string().starts_with("zendesk ticket 42: "), "{e}");
    let e = c.ticket(&Id::from("../users")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn create_ticket_sends_the_description_as_the_first_comment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .and(body_json(json!({"ticket": {
            "subject": "My printer is on fire!",
            "comment": {"body": "The smoke is very colorful."},
            "organization_id": 4112492,
            "requester_id": 20978392,
            "custom_status_id": 35436,
            "priority": "urgent",
            "type": "incident"
        }})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"ticket": {"id": 35437}, "audit": {"events": []}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets/35437"))
        .respond_with(ok(json!({"ticket": ticket(35437, "new")})))
        .expect(1)
        .mount(&server)
        .await;
    let t = client(&server)
        .create_ticket(
            NewTicket::new("My printer is on fire!")
                .description("The smoke is very colorful.")
                .company("4112492")
                .contact("20978392")
                .status("35436")
                .priority("urgent")
                .extra("type", "incident"),
        )
        .await
        .unwrap();
    assert_eq!(t.id.as_str(), "35437");
}

#[tokio::test]
async fn create_ticket_without_a_description_uses_the_summary_and_names_a_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .and(body_json(json!({"ticket": {"subject": "Reset MFA", "comment": {"body": "Reset MFA"}, "status": "open"}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"ticket": {"id": 5}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/tickets/5"))
        .respond_with(ok(json!({"ticket": ticket(5, "open")})))
        .mount(&server)
        .await;
    let c = client(&server);
    c.create_ticket(NewTicket::new("Reset MFA").status("Open"))
        .await
        .unwrap();
    let e = c
        .create_ticket(NewTicket::new("x").priority("P1"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn update_ticket_puts_the_changes() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/tickets/35436"))
        .and(body_json(
            json!({"ticket": {"subject": "Printer fixed", "status": "solved", "priority": "low"}}),
        ))
        .respond_with(ok(
            json!({"ticket": ticket(35436, "solved"), "audit": {"events": []}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/tickets/35437"))
        .and(body_json(
            json!({"ticket": {"custom_status_id": 1900000000107u64}}),
        ))
        .respond_with(ok(
            json!({"ticket": ticket(35437, "hold"), "audit": {"events": []}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex_any())
        .respond_with(ok(json!({"ticket": ticket(35436, "solved")})))
        .mount(&server)
        .await;
    let c = client(&server);
    let t = c
        .update_ticket(
            &Id::from("35436"),
            TicketUpdate::new()
                .summary("Printer fixed")
                .state(TicketState::Resolved)
                .priority("low"),
        )
        .await
        .unwrap();
    assert_eq!(t.status.state, TicketState::Resolved);
    c.update_ticket(
        &Id::from("35437"),
        TicketUpdate::new().status_id("1900000000107"),
    )
    .await
    .unwrap();
    let before = requests(&server).await.len();
    for (u, why) in [
        (TicketUpdate::new().description("new text"), "description"),
        (
            TicketUpdate::new().state(TicketState::InProgress),
            "in_progress",
        ),
        (TicketUpdate::new().status_id("Resolved"), "status"),
    ] {
        let e = c.update_ticket(&Id::from("35436"), u).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused, "{why}: {e}");
        assert_eq!(e.target(), Some("35436"));
    }
    assert_eq!(
        requests(&server).await.len(),
        before,
        "refused before sending"
    );
}

fn path_regex_any() -> wiremock::matchers::PathRegexMatcher {
    wiremock::matchers::path_regex(r"^/api/v2/tickets/\d+$")
}

#[tokio::test]
async fn a_note_is_a_ticket_update_with_a_comment_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/tickets/35436"))
        .and(body_json(
            json!({"ticket": {"comment": {"body": "Ordered a fuser.", "public": false}}}),
        ))
        .respond_with(ResponseTemplate::new(500).set_body_string("Internal Server Error"))
        .expect(1)
        .mount(&server)
        .await;
    let e = client(&server)
        .add_ticket_note(&Id::from("35436"), NewNote::internal("Ordered a fuser."))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
}

#[tokio::test]
async fn a_public_note_reads_back_from_the_audit() {
    let fake = mock::start().await;
    let c = ZendeskClient::from_settings(&fake.settings).unwrap();
    let id = Id::from(mock::TICKET_WITH_NOTES);
    let note = c
        .add_ticket_note(&id, NewNote::new("We are on our way."))
        .await
        .unwrap();
    assert!(!note.internal);
    assert_eq!(note.text, "We are on our way.");
    assert_eq!(note.ticket_id, id);
    assert!(note.created_at.is_some());
    let notes: Vec<_> = c.ticket_notes(&id).try_collect().await.unwrap();
    assert_eq!(notes.last().map(|n| n.id.clone()), Some(note.id));
}

#[tokio::test]
async fn agreements_are_unsupported_without_a_request() {
    let server = MockServer::start().await;
    let e = client(&server)
        .agreements(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(requests(&server).await.is_empty());
}

// ---- the fake's writes and limits ------------------------------------------

#[tokio::test]
async fn the_fake_takes_writes_like_zendesk() {
    let fake = mock::start().await;
    let c = ZendeskClient::from_settings(&fake.settings).unwrap();
    let company = fake.expected.company_id.clone().unwrap();
    let t = c
        .create_ticket(
            NewTicket::new("Printer offline")
                .company(company.clone())
                .priority("high"),
        )
        .await
        .unwrap();
    assert_eq!(t.summary, "Printer offline");
    assert_eq!(t.description.as_deref(), Some("Printer offline"));
    assert_eq!(t.company_id, Some(company));
    assert_eq!(t.status.state, TicketState::New);
    assert_eq!(t.status.label.as_deref(), Some("New"));
    let solved = c
        .update_ticket(&t.id, TicketUpdate::new().state(TicketState::Resolved))
        .await
        .unwrap();
    assert_eq!(solved.status.state, TicketState::Resolved);
    assert!(solved.closed_at.is_some());
    let vendor = c
        .update_ticket(&t.id, TicketUpdate::new().status_id("1900000000107"))
        .await
        .unwrap();
    assert_eq!(vendor.status.state, TicketState::Waiting);
    assert_eq!(vendor.status.label.as_deref(), Some("Waiting on vendor"));
    let closed = c
        .update_ticket(&t.id, TicketUpdate::new().state(TicketState::Closed))
        .await
        .unwrap();
    assert_eq!(closed.status.state, TicketState::Closed);
    assert_eq!(closed.status.label.as_deref(), Some("closed"));
    let e = c
        .update_ticket(&t.id, TicketUpdate::new().summary("again"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(422));
    assert_eq!(e.code(), Some("RecordInvalid"));
    assert_eq!(
        e.details(),
        ["status: Status: closed prevents ticket update"]
    );
}

#[tokio::test]
async fn the_fakes_limits_answer_in_zendesks_words() {
    let fake = mock::start().await;
    let c = ZendeskClient::builder()
        .email(mock::EMAIL)
        .api_token(mock::API_TOKEN)
        .base_url(fake.uri())
        .allow_insecure_http()
        .rate_limit(None)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(2)
                .max_retry_after(Duration::from_secs(1)),
        )
        .build()
        .unwrap();
    let since = mspkit_core::chrono::DateTime::from_timestamp(1_709_618_828, 0).unwrap();
    for _ in 0..mock::EXPORTS_PER_MINUTE {
        c.tickets(TicketQuery::new().updated_since(since).limit(1))
            .try_collect::<Vec<_>>()
            .await
            .unwrap();
    }
    let e = c
        .tickets(TicketQuery::new().updated_since(since))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    assert!(e.retry_after().is_some_and(|w| w > Duration::from_secs(1)));

    let id = Id::from(mock::TICKET_WITH_NOTES);
    for i in 0..mock::UPDATES_PER_TICKET {
        c.update_ticket(&id, TicketUpdate::new().summary(format!("take {i}")))
            .await
            .unwrap();
    }
    let e = c
        .update_ticket(&id, TicketUpdate::new().summary("one too many"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.code(), Some("TooManyRequests"));
    assert_eq!(
        e.message(),
        Some(
            "Too many requests to update: This ticket has been updated too many times in the last 10 minutes"
        )
    );

    let status = c.rate_limit_status().await.unwrap();
    assert_eq!((status.limit, status.remaining), (Some(700), Some(699)));

    // Offset paging (no `page[size]`) stops at 10,000 records.
    let e = c
        .http()
        .get("raw", "tickets")
        .query(&[("page", "101"), ("per_page", "100")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(
        e.message()
            .unwrap_or_default()
            .starts_with("Invalid attribute: "),
        "{e}"
    );
}

#[tokio::test]
async fn the_client_follows_the_accounts_budget_under_either_header_name() {
    let server = MockServer::start().await;
    // An Enterprise account (700 a minute), in the older headers.
    Mock::given(path("/api/v2/users/me"))
        .respond_with(
            ok(json!({"user": {"id": 1}}))
                .insert_header("X-Rate-Limit", "700")
                .insert_header("X-Rate-Limit-Remaining", "699"),
        )
        .mount(&server)
        .await;
    // A list endpoint in the newer ones, with the minute spent.
    Mock::given(path("/api/v2/groups"))
        .respond_with(
            ok(json!({"groups": []}))
                .insert_header("ratelimit-limit", "700")
                .insert_header("ratelimit-remaining", "0")
                .insert_header("ratelimit-reset", "30"),
        )
        .mount(&server)
        .await;
    let c = ZendeskClient::builder()
        .email("jdoe@example.com")
        .api_token("6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv")
        .base_url(server.uri())
        .allow_insecure_http()
        .retry_policy(fast_retry().max_retry_after(Duration::from_secs(5)))
        .build()
        .unwrap();
    assert_eq!(
        c.http().rate_limit(),
        Some(mspkit_zendesk::default_rate_limit())
    );
    let status = c.rate_limit_status().await.unwrap();
    assert_eq!((status.limit, status.remaining), (Some(700), Some(699)));
    assert_eq!(c.http().rate_limit(), Some(RateLimit::per_minute(700)));

    c.http().get("groups", "groups").send().await.unwrap();
    // Held until the reported reset, longer than this caller waits: the
    // call ends without a request.
    let e = c.rate_limit_status().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e}");
    let wait = e.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(29) && wait <= Duration::from_secs(30),
        "{wait:?}"
    );
    assert_eq!(requests(&server).await.len(), 2);
}

// ---- Zendesk's error bodies --------------------------------------------------

async fn failing(status: u16, body: ResponseTemplate) -> mspkit_core::Error {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/tickets"))
        .respond_with(body)
        .mount(&server)
        .await;
    let _ = status;
    client(&server)
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn zendesks_error_bodies_become_the_right_kinds() {
    let e = failing(
        401,
        ResponseTemplate::new(401).set_body_json(json!({"error": "Couldn't authenticate you"})),
    )
    .await;
    assert_eq!(
        (e.kind(), e.message()),
        (ErrorKind::Unauthorized, Some("Couldn't authenticate you"))
    );

    let e = failing(
        403,
        ResponseTemplate::new(403).set_body_json(json!({"error": "Forbidden", "description": "You do not have access to this page. Please contact the account owner of this help desk for further help."})),
    )
    .await;
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(e.code(), Some("Forbidden"));
    assert!(
        e.message()
            .unwrap_or_default()
            .starts_with("You do not have access")
    );

    let e = failing(
        400,
        ResponseTemplate::new(400).set_body_json(json!({"error": {"title": "Invalid attribute", "message": "You passed an invalid value for the page attribute. Invalid parameter: page must be an integer from api/v2/users/search"}})),
    )
    .await;
    assert_eq!(e.kind(), ErrorKind::Api);
    assert!(e.to_string().contains("HTTP 400"), "{e}");
    assert!(
        e.message()
            .unwrap_or_default()
            .starts_with("Invalid attribute: You passed")
    );

    let e = failing(
        429,
        ResponseTemplate::new(429)
            .insert_header("content-type", "text/plain")
            .insert_header("retry-after", "300")
            .set_body_string("Number of allowed API requests per minute exceeded"),
    )
    .await;
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(300)));

    let e = failing(
        500,
        ResponseTemplate::new(500).set_body_string("Internal Server Error"),
    )
    .await;
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(500)));

    for body in [
        "{this is not json",
        r#"{"tickets":[{"id":1,"subject":"Help"#,
    ] {
        let e = failing(
            200,
            ResponseTemplate::new(200)
                .set_body_string(body)
                .insert_header("content-type", "application/json"),
        )
        .await;
        assert_eq!(e.kind(), ErrorKind::Decode, "{body}");
    }
    let e = failing(
        200,
        ok(json!({"tickets": [{"id": 1, "updated_at": "yesterday"}], "meta": {"has_more": false}})),
    )
    .await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("tickets[0].updated_at"));
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/organizations"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_string("Too Many Requests"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/organizations"))
        .respond_with(ok(cursor_page(
            "organizations",
            json!([{"id": 1, "name": "A"}]),
            false,
            None,
        )))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let orgs: Vec<_> = client(&server)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs.len(), 1);
    assert!(started.elapsed() >= Duration::from_millis(900));
}

// ---- first contact and trust ---------------------------------------------

#[tokio::test]
async fn a_refused_first_call_says_what_to_check() {
    for (status, body, kind, what) in [
        (
            401,
            json!({"error": "Couldn't authenticate you"}),
            ErrorKind::Unauthorized,
            "Token access",
        ),
        (
            403,
            json!({"error": "Forbidden", "description": "You do not have access to this page. Please contact the account owner of this help desk for further help."}),
            ErrorKind::Forbidden,
            "role",
        ),
        (
            404,
            json!({"error": "InvalidEndpoint", "description": "Not found"}),
            ErrorKind::NotFound,
            "subdomain",
        ),
        (
            429,
            json!({"error": "APIRateLimitExceeded", "description": "Number of allowed API requests per minute exceeded"}),
            ErrorKind::RateLimited,
            "plan's per-minute limit",
        ),
    ] {
        let fake = mock::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = ZendeskClient::from_settings_with(
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
    }
}

#[tokio::test]
async fn once_zendesk_has_answered_errors_carry_no_hint() {
    let fake = mock::start().await;
    let c = ZendeskClient::from_settings_with(
        &fake.settings,
        mspkit_core::ClientOptions::new().retry(fast_retry()),
    )
    .unwrap();
    c.test_connection().await.unwrap();
    let e = c.ticket(&Id::from("999999")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    assert_eq!(e.hint(), None, "{e}");
}

#[tokio::test]
async fn a_failing_note_list_names_its_ticket() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/tickets/35436/comments"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "RecordNotFound", "description": "Not found"})),
        )
        .mount(&server)
        .await;
    let e = client(&server)
        .ticket_notes(&Id::from("35436"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    assert_eq!(e.target(), Some("35436"), "{e}");
    assert!(
        e.to_string().starts_with("zendesk ticket_notes 35436: "),
        "{e}"
    );
}

/// The settings' JSON the trust checks start from: the fake's, without
/// trust settings.
fn trust_base(fake: &mspkit_testkit::FakeServer<ZendeskSettings>) -> Value {
    json!({
        "subdomain": fake.settings.subdomain,
        "base_url": fake.settings.base_url,
        "email": fake.settings.email,
        "api_token": mock::API_TOKEN,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: ZendeskSettings| async move {
        ZendeskClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&ZendeskClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: ZendeskSettings| {
        ZendeskClient::from_settings(&s).map(drop)
    });
}
