//! What goes on the wire: auth, every operation's request, paging, write
//! bodies, Halo's error bodies, and build-time checks.

// Helpers unwrap too: a failed check is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{SECRET, TOKEN, builder, client, mount_lookups, server};
use futures::TryStreamExt;
use mspkit_core::{
    Error, ErrorKind, Id, ListQuery, NewNote, NewTicket, PsaClient, TicketQuery, TicketState,
    TicketUpdate,
};
use mspkit_halo::{HaloClient, HaloSettings};
use mspkit_testkit::{form_pairs, form_value, query_pairs, received, received_at};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn ticket(id: u64, status: i64) -> Value {
    json!({
        "id": id, "summary": format!("Ticket {id}"), "details": "Details", "status_id": status,
        "priority_id": 3, "sla_id": 3, "client_id": 12, "user_id": 399, "agent_id": 5,
        "dateoccurred": "2024-03-06T09:00:00Z", "lastactiondate": "2024-03-07T10:00:00",
        "dateclosed": "1900-01-01T00:00:00"
    })
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---------------------------------------------------------------- auth

#[tokio::test]
async fn token_comes_from_authinfo_with_the_tenant_and_is_sent_as_bearer() {
    let server = server().await;
    mount_lookups(&server).await;
    let c = builder(&server).tenant("acme").build().unwrap();
    c.test_connection().await.unwrap();

    let tokens = received_at(&server, "/auth/token").await;
    assert_eq!(tokens.len(), 1);
    let t = &tokens[0];
    assert_eq!(t.method.as_str(), "POST");
    assert_eq!(query_pairs(t), pairs(&[("tenant", "acme")]));
    assert_eq!(
        t.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    let mut f = form_pairs(t);
    f.sort();
    assert_eq!(
        f,
        pairs(&[
            ("client_id", "c9534241-dde9-4d04-9d45-32b1fbff22ed"),
            ("client_secret", SECRET),
            ("grant_type", "client_credentials"),
            ("scope", "all"),
        ])
    );
    let status = &received_at(&server, "/api/Status").await[0];
    assert_eq!(
        status.headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}")
    );
    assert_eq!(query_pairs(status), pairs(&[("type", "ticket")]));
    // authinfo itself is asked without credentials.
    let info = &received_at(&server, "/api/authinfo").await[0];
    assert!(info.headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_tenant_named_by_authinfo_and_custom_scopes_reach_the_token_request() {
    let server = MockServer::start().await;
    Mock::given(path("/api/authinfo"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "auth_url": format!("{}/auth/", server.uri()), "tenant_id": "contoso" }),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(query_param("tenant", "contoso"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "token_type": "Bearer", "access_token": TOKEN, "expires_in": 3600 }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    mount_lookups(&server).await;
    let c = builder(&server)
        .scope("read:tickets  edit:tickets")
        .build()
        .unwrap();
    c.test_connection().await.unwrap();
    let t = &received_at(&server, "/auth/token").await[0];
    assert_eq!(
        form_value(t, "scope").as_deref(),
        Some("read:tickets edit:tickets")
    );
}

#[tokio::test]
async fn without_authinfo_the_token_endpoint_is_site_auth_token() {
    let server = MockServer::start().await;
    Mock::given(path("/api/authinfo"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(query_param_is_missing("tenant"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "token_type": "Bearer", "access_token": TOKEN, "expires_in": 3600 }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    mount_lookups(&server).await;
    client(&server).test_connection().await.unwrap();
}

#[tokio::test]
async fn build_sends_nothing_and_authinfo_is_asked_once() {
    let server = server().await;
    mount_lookups(&server).await;
    let c = client(&server);
    assert!(received(&server).await.is_empty());
    let clone = c.clone();
    let (a, b) = tokio::join!(c.test_connection(), clone.test_connection());
    a.unwrap();
    b.unwrap();
    c.test_connection().await.unwrap();
    assert_eq!(received_at(&server, "/api/authinfo").await.len(), 1);
    assert_eq!(received_at(&server, "/auth/token").await.len(), 1);
}

#[tokio::test]
async fn concurrent_callers_share_one_token() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(path("/api/Client/12"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": 12, "name": "Acme" })))
        .mount(&server)
        .await;
    let c = client(&server);
    let id = Id::from("12");
    let calls = (0..8).map(|_| c.company(&id));
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(received_at(&server, "/auth/token").await.len(), 1);
}

#[tokio::test]
async fn an_expiring_token_is_renewed() {
    let server = MockServer::start().await;
    Mock::given(path("/api/authinfo"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "token_type": "Bearer", "access_token": TOKEN, "expires_in": 1 }),
        ))
        .mount(&server)
        .await;
    mount_lookups(&server).await;
    let c = client(&server);
    c.test_connection().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    c.test_connection().await.unwrap();
    assert_eq!(received_at(&server, "/auth/token").await.len(), 2);
}

#[tokio::test]
async fn a_401_renews_the_token_once_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/api/authinfo"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "token_type": "Bearer", "access_token": "first", "expires_in": 3600 }),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({ "token_type": "Bearer", "access_token": "second", "expires_in": 3600 }),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/api/Client/12"))
        .and(header("authorization", "Bearer second"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": 12, "name": "Acme" })))
        .mount(&server)
        .await;
    Mock::given(path("/api/Client/12"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({ "Message": "Authorization has been denied for this request." }),
            ),
        )
        .with_priority(10)
        .mount(&server)
        .await;
    let company = client(&server).company(&Id::from("12")).await.unwrap();
    assert_eq!(company.name, "Acme");
    assert_eq!(received_at(&server, "/auth/token").await.len(), 2);
}

#[tokio::test]
async fn a_lasting_401_is_unauthorized_with_halos_message() {
    let server = server().await;
    Mock::given(path("/api/Status"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({ "Message": "Authorization has been denied for this request." }),
            ),
        )
        .mount(&server)
        .await;
    match client(&server).test_connection().await {
        Err(e) if e.kind() == ErrorKind::Unauthorized => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "Authorization has been denied for this request.")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(received_at(&server, "/auth/token").await.len(), 2);
    assert_eq!(received_at(&server, "/api/Status").await.len(), 2);
}

#[tokio::test]
async fn refused_client_credentials_are_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(path("/api/authinfo"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "auth_url": format!("{}/auth", server.uri()) })),
        )
        .mount(&server)
        .await;
    Mock::given(path("/auth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({ "error": "invalid_client", "error_description": "The client credentials are invalid" }),
        ))
        .mount(&server)
        .await;
    match client(&server).test_connection().await {
        Err(e) if e.kind() == ErrorKind::Unauthorized => {
            let text = e.to_string();
            assert!(text.contains("invalid_client"), "{text}");
            assert!(!text.contains(SECRET));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_throttled_authinfo_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(path("/api/authinfo"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    common::mount_auth(&server).await;
    mount_lookups(&server).await;
    client(&server).test_connection().await.unwrap();
    assert_eq!(received_at(&server, "/api/authinfo").await.len(), 2);
}

// ---------------------------------------------------------------- reads

#[tokio::test]
async fn companies_ask_for_active_and_inactive_customers_in_pages() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/Client"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 2,
            "clients": [{ "id": 12, "name": "Acme" }, { "id": 13, "name": "Globex", "inactive": true }]
        })))
        .mount(&server)
        .await;
    let list: Vec<_> = client(&server)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    let r = &received_at(&server, "/api/Client").await[0];
    assert_eq!(
        query_pairs(r),
        pairs(&[
            ("includeactive", "true"),
            ("includeinactive", "true"),
            ("pageinate", "true"),
            ("page_size", "100"),
            ("page_no", "1"),
        ])
    );
}

#[tokio::test]
async fn company_and_ticket_reads_address_one_item() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(method("GET"))
        .and(path("/api/Client/12"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": 12, "name": "Acme" })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets/110043"))
        .and(query_param("includedetails", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ticket(110_043, 2)))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(c.company(&Id::from("12")).await.unwrap().id, Id::from("12"));
    let t = c.ticket(&Id::from("110043")).await.unwrap();
    assert_eq!(t.status.state, TicketState::InProgress);
    // An id cannot leave its path segment.
    let _ = c.ticket(&Id::from("1/../Client")).await;
    let odd: Vec<_> = received(&server)
        .await
        .into_iter()
        .filter(|r| r.url.path().contains("%2F"))
        .collect();
    assert_eq!(odd[0].url.path(), "/api/Tickets/1%2F..%2FClient");
}

#[tokio::test]
async fn contacts_and_agreements_filter_by_company() {
    let server = server().await;
    Mock::given(path("/api/Users"))
        .and(query_param("client_id", "12"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 1, "users": [{ "id": 399, "client_id": 12, "firstname": "Ana", "surname": "Lee" }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/ClientContract"))
        .and(query_param("client_id", "12"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 1, "contracts": [{ "id": 30, "client_id": 12, "ref": "MSA-2024" }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let contacts: Vec<_> = c
        .contacts(ListQuery::new().company("12"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(contacts[0].company_id, Some(Id::from("12")));
    let agreements: Vec<_> = c
        .agreements(ListQuery::new().company("12"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(agreements[0].name, "MSA-2024");
}

#[tokio::test]
async fn ticket_filters_become_halo_parameters() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(path("/api/Tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 2, "tickets": [ticket(1, 2), ticket(2, 9)]
        })))
        .mount(&server)
        .await;
    let c = client(&server);
    let since = chrono::DateTime::parse_from_rfc3339("2024-03-05T06:07:08Z")
        .unwrap()
        .to_utc();
    let open: Vec<_> = c
        .tickets(TicketQuery::new().open().company("12").updated_since(since))
        .try_collect()
        .await
        .unwrap();
    // The closed one the server sent anyway is dropped client-side.
    assert_eq!(
        open.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["1"]
    );
    let closed: Vec<_> = c
        .tickets(TicketQuery::new().closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(closed.len(), 1);
    let sent = received_at(&server, "/api/Tickets").await;
    assert_eq!(
        query_pairs(&sent[0]),
        pairs(&[
            ("order", "id"),
            ("client_id", "12"),
            ("open_only", "true"),
            ("datesearch", "lastactiondate"),
            ("startdate", "2024-03-05T06:07:08"),
            ("pageinate", "true"),
            ("page_size", "100"),
            ("page_no", "1"),
        ])
    );
    assert_eq!(
        query_pairs(&sent[1]),
        pairs(&[
            ("order", "id"),
            ("closed_only", "true"),
            ("pageinate", "true"),
            ("page_size", "100"),
            ("page_no", "1"),
        ])
    );
}

/// Serves `total` tickets, at most `cap` a page whatever is asked.
struct CappedTickets {
    total: u64,
    cap: u64,
    claimed: u64,
}

impl wiremock::Respond for CappedTickets {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let q = |k: &str| {
            r.url
                .query_pairs()
                .find(|(n, _)| n == k)
                .and_then(|(_, v)| v.parse::<u64>().ok())
                .unwrap()
        };
        let size = q("page_size").min(self.cap);
        let start = (q("page_no") - 1) * size;
        let items: Vec<Value> = (start..(start + size).min(self.total))
            .map(|i| ticket(1000 + i, 1))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(json!({ "record_count": self.claimed, "tickets": items }))
    }
}

#[tokio::test]
async fn pages_ask_at_most_100_and_follow_what_came_back() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(path("/api/Tickets"))
        .respond_with(CappedTickets {
            total: 717,
            cap: 100,
            claimed: 717,
        })
        .mount(&server)
        .await;
    let all: Vec<_> = client(&server)
        .tickets(TicketQuery::new().page_size(500))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 717);
    let sent = received_at(&server, "/api/Tickets").await;
    assert_eq!(sent.len(), 8);
    assert!(
        sent.iter()
            .all(|r| query_pairs(r).contains(&("page_size".into(), "100".into())))
    );
}

#[tokio::test]
async fn a_server_that_serves_less_than_asked_is_followed_at_its_size() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(path("/api/Tickets"))
        .respond_with(CappedTickets {
            total: 120,
            cap: 50,
            claimed: 120,
        })
        .mount(&server)
        .await;
    let all: Vec<_> = client(&server)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    let ids: std::collections::HashSet<_> = all.iter().map(|t| t.id.clone()).collect();
    assert_eq!(ids.len(), 120);
    let sent = received_at(&server, "/api/Tickets").await;
    let mut pages: Vec<_> = sent
        .iter()
        .map(|r| {
            let q = query_pairs(r);
            let get = |k: &str| q.iter().find(|(n, _)| n == k).unwrap().1.clone();
            (get("page_size"), get("page_no"))
        })
        .collect();
    // Pages after the second may be asked for at once: compare in page order.
    pages.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        pages,
        [("100", "1"), ("50", "2"), ("50", "3")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
}

#[tokio::test]
async fn a_list_that_ends_short_of_record_count_is_an_error() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(path("/api/Tickets"))
        .respond_with(CappedTickets {
            total: 150,
            cap: 100,
            claimed: 717,
        })
        .mount(&server)
        .await;
    let r: Result<Vec<_>, _> = client(&server)
        .tickets(TicketQuery::new())
        .try_collect()
        .await;
    match r {
        Err(e) if e.kind() == ErrorKind::Paging => {
            let message = e.message().unwrap_or_default();
            assert!(message.contains("717"), "{message}")
        }
        other => panic!("{:?}", other.map(|v| v.len())),
    }
}

#[tokio::test]
async fn notes_are_the_tickets_actions() {
    let server = server().await;
    Mock::given(path("/api/Actions"))
        .and(query_param("ticket_id", "110001"))
        .and(query_param("pageinate", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 1,
            "actions": [{ "id": 1, "ticket_id": 110001, "note": "Logged", "who": "Ana Lee", "hiddenfromuser": false }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let notes: Vec<_> = client(&server)
        .ticket_notes(&Id::from("110001"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes[0].text, "Logged");
}

// ---------------------------------------------------------------- writes

#[tokio::test]
async fn create_ticket_posts_a_one_item_array() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(method("POST"))
        .and(path("/api/Tickets"))
        .and(body_json(json!([{
            "summary": "Printer offline",
            "details": "The 2nd floor printer shows offline.",
            "client_id": 12,
            "user_id": 399,
            "status_id": 1,
            "priority_id": 3,
            "tickettype_id": 29
        }])))
        .respond_with(ResponseTemplate::new(201).set_body_json(ticket(120_001, 1)))
        .expect(1)
        .mount(&server)
        .await;
    let t = client(&server)
        .create_ticket(
            NewTicket::new("Printer offline")
                .description("The 2nd floor printer shows offline.")
                .company("12")
                .contact("399")
                .status("1")
                .priority("3")
                .extra("tickettype_id", 29),
        )
        .await
        .unwrap();
    assert_eq!(t.id, Id::from("120001"));
    assert_eq!(t.status.state, TicketState::New);
}

#[tokio::test]
async fn update_ticket_posts_the_id_and_the_changes() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(method("POST"))
        .and(path("/api/Tickets"))
        .and(body_json(json!([{ "id": 110043, "status_id": 9 }])))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([ticket(110_043, 9)])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/Tickets"))
        .and(body_json(json!([{
            "id": 110043, "summary": "Renamed", "details": "More", "status_id": 4, "priority_id": 1, "agent_id": 7
        }])))
        .respond_with(ResponseTemplate::new(200).set_body_json(ticket(110_043, 4)))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let closed = c
        .update_ticket(
            &Id::from("110043"),
            TicketUpdate::new().state(TicketState::Closed),
        )
        .await
        .unwrap();
    assert_eq!(closed.status.state, TicketState::Closed);
    let t = c
        .update_ticket(
            &Id::from("110043"),
            TicketUpdate::new()
                .summary("Renamed")
                .description("More")
                .status_id("4")
                .priority("1")
                .extra("agent_id", 7),
        )
        .await
        .unwrap();
    assert_eq!(t.status.state, TicketState::Waiting);
    // A state no Halo status is in fails before anything is sent.
    let e = c
        .update_ticket(
            &Id::from("110043"),
            TicketUpdate::new().state(TicketState::Resolved),
        )
        .await;
    let e = e.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused, "{e:?}");
    assert!(!e.reached_server() && e.status().is_none(), "{e:?}");
    assert_eq!(e.target(), Some("110043"));
}

#[tokio::test]
async fn notes_are_posted_as_actions() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .and(body_json(json!([{
            "ticket_id": 110001, "note": "Checked the toner.", "hiddenfromuser": true, "outcome": "Private Note"
        }])))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": 4, "ticket_id": 110001, "note": "Checked the toner.", "hiddenfromuser": true,
            "outcome": "Private Note", "who": "Jordan Reyes", "datetime": "2024-03-06T10:15:00Z"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .and(body_json(json!([{
            "ticket_id": 110001, "note": "On its way.", "hiddenfromuser": false, "sendemail": true
        }])))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!([{
            "id": 5, "ticket_id": 110001, "note": "On its way.", "hiddenfromuser": false
        }])))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let n = c
        .add_ticket_note(&Id::from("110001"), NewNote::internal("Checked the toner."))
        .await
        .unwrap();
    assert!(n.internal);
    assert_eq!(n.author.as_deref(), Some("Jordan Reyes"));
    let n = c
        .add_ticket_note(
            &Id::from("110001"),
            NewNote::new("On its way.").extra("sendemail", true),
        )
        .await
        .unwrap();
    assert_eq!((n.id.as_str(), n.internal), ("5", false));
}

// ---------------------------------------------------------------- errors

async fn failing(status: u16, body: ResponseTemplate) -> Error {
    let server = server().await;
    Mock::given(path("/api/Client/12"))
        .respond_with(body)
        .mount(&server)
        .await;
    let _ = status;
    client(&server).company(&Id::from("12")).await.unwrap_err()
}

#[tokio::test]
async fn a_missing_ticket_is_named_in_the_error() {
    let server = server().await;
    Mock::given(path("/api/Tickets/42"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let e = client(&server).ticket(&Id::from("42")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e:?}");
    assert_eq!(e.status(), Some(404));
    assert!(e.reached_server());
    assert!(
        e.to_string()
            .starts_with("halo ticket 42: not found; check: "),
        "{e}"
    );
}

#[tokio::test]
async fn halo_error_bodies_map_to_errors_with_their_message() {
    let e = failing(
        400,
        ResponseTemplate::new(400)
            .set_body_json(json!({ "resultCode": 1, "errorMessage": "Please select a Customer" })),
    )
    .await;
    match e {
        e if e.kind() == ErrorKind::Api => {
            let status = e.status().unwrap_or_default();
            let code = e.code();
            let message = e.message().unwrap_or_default();
            assert_eq!((status, code), (400, Some("1")));
            assert_eq!(message, "Please select a Customer");
        }
        other => panic!("{other:?}"),
    }
    let e = failing(
        400,
        ResponseTemplate::new(400).set_body_string("Invalid summary"),
    )
    .await;
    assert!(
        e.kind() == ErrorKind::Api && e.message() == Some("Invalid summary"),
        "{e:?}"
    );
    let e = failing(
        403,
        ResponseTemplate::new(403).set_body_json(
            json!({ "ClassName": "System.UnauthorizedAccessException", "Message": "You do not have permission to access this Customer" }),
        ),
    )
    .await;
    assert!(
        e.kind() == ErrorKind::Forbidden
            && e.message() == Some("You do not have permission to access this Customer"),
        "{e:?}"
    );
    let e = failing(404, ResponseTemplate::new(404)).await;
    assert!(e.kind() == ErrorKind::NotFound, "{e:?}");
    assert_eq!(e.target(), Some("12"));
    assert!(
        e.to_string()
            .starts_with("halo company 12: not found; check: "),
        "{e}"
    );
    let e = failing(
        500,
        ResponseTemplate::new(500)
            .set_body_json(json!({ "ClassName": "System.NullReferenceException", "Message": "Object reference not set" })),
    )
    .await;
    assert!(
        e.kind() == ErrorKind::Server && e.status() == Some(500),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_429_is_waited_out_and_retried() {
    let server = server().await;
    Mock::given(path("/api/Client/12"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(path("/api/Client/12"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": 12, "name": "Acme" })))
        .mount(&server)
        .await;
    let c = client(&server).company(&Id::from("12")).await.unwrap();
    assert_eq!(c.name, "Acme");
    assert_eq!(received_at(&server, "/api/Client/12").await.len(), 3);
}

// ---------------------------------------------------------------- build

#[test]
fn build_checks_every_setting() {
    let ok = || {
        HaloClient::builder()
            .base_url("https://acme.halopsa.com")
            .client_id("id")
            .client_secret("secret")
    };
    assert!(ok().build().is_ok());
    let config =
        |r: mspkit_core::Result<HaloClient>| matches!(&r, Err(e) if e.kind() == ErrorKind::Config);
    assert!(config(ok().client_id("  ").build()));
    assert!(config(ok().client_secret("").build()));
    assert!(config(ok().base_url("not a url at all").build()));
    assert!(config(ok().base_url("").build()));
    assert!(config(ok().scope(" ").build()));
    assert!(config(
        HaloClient::builder()
            .client_id("id")
            .client_secret("s")
            .build()
    ));
    assert!(
        matches!(&ok().base_url("http://acme.halopsa.com").build(), Err(e) if e.kind() == ErrorKind::InsecureUrl)
    );
    assert!(
        ok().base_url("http://127.0.0.1:9")
            .allow_insecure_http()
            .build()
            .is_ok()
    );
    // What users paste: the API or auth URL, or no scheme.
    let c = ok().base_url("acme.halopsa.com/api").build().unwrap();
    assert_eq!(
        c.http().base_url().as_str(),
        "https://acme.halopsa.com/api/"
    );
}

#[tokio::test]
async fn settings_and_clients_never_show_the_secret_or_token() {
    let settings: HaloSettings = serde_json::from_value(json!({
        "base_url": "https://acme.halopsa.com", "client_id": "id", "client_secret": SECRET, "tenant": "acme"
    }))
    .unwrap();
    assert!(!format!("{settings:?}").contains(SECRET));
    let typo = serde_json::from_value::<HaloSettings>(json!({
        "base_url": "https://acme.halopsa.com", "client_id": "id", "client_secret": "s", "tennant": "acme"
    }));
    assert!(typo.is_err());

    let server = server().await;
    mount_lookups(&server).await;
    let c = client(&server);
    c.test_connection().await.unwrap();
    let debug = format!("{c:?} {:?}", builder(&server));
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(!debug.contains(TOKEN), "{debug}");
}

// ---------------------------------------------------------------- corrections

#[tokio::test]
async fn contacts_ask_for_active_and_inactive_users() {
    let server = server().await;
    Mock::given(path("/api/Users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 2, "users": [
                { "id": 399, "client_id": 12, "firstname": "Ana", "surname": "Lee", "inactive": false },
                { "id": 400, "client_id": 12, "firstname": "Tom", "surname": "Okafor", "inactive": true }
            ]
        })))
        .mount(&server)
        .await;
    let list: Vec<_> = client(&server)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        list.iter().map(|c| c.active).collect::<Vec<_>>(),
        [Some(true), Some(false)]
    );
    let r = &received_at(&server, "/api/Users").await[0];
    assert_eq!(
        query_pairs(r),
        pairs(&[
            ("includeactive", "true"),
            ("includeinactive", "true"),
            ("pageinate", "true"),
            ("page_size", "100"),
            ("page_no", "1"),
        ])
    );
}

#[tokio::test]
async fn the_fake_leaves_inactive_users_out_unless_asked_like_halo() {
    let fake = mspkit_halo::mock::start().await;
    let c = HaloClient::from_settings(&fake.settings).unwrap();
    let all: Vec<_> = c.contacts(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(Some(all.len()), fake.expected.contacts);
    assert!(all.iter().any(|u| u.active == Some(false)));
    // Asked without the flags, the fake answers as Halo does: active users only.
    let bare: Value = c
        .http()
        .get("users", "Users")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    let users = bare["users"].as_array().unwrap();
    assert_eq!(users.len(), all.len() - 1);
    assert!(users.iter().all(|u| u["inactive"] == json!(false)));
}

#[tokio::test]
async fn pending_closure_is_resolved_and_can_be_moved_to() {
    let server = server().await;
    Mock::given(path("/api/Status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            { "id": 1, "name": "New", "type": 0, "sequence": 1 },
            { "id": 4, "name": "Waiting on User", "type": 0, "sequence": 4 },
            { "id": 8, "name": "Pending Closure", "type": 0, "sequence": 8 },
            { "id": 9, "name": "Closed", "type": 0, "sequence": 9 }
        ])))
        .mount(&server)
        .await;
    Mock::given(path("/api/Priority"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets/110043"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ticket(110_043, 8)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/Tickets"))
        .and(body_json(json!([{ "id": 110043, "status_id": 8 }])))
        .respond_with(ResponseTemplate::new(200).set_body_json(ticket(110_043, 8)))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let t = c.ticket(&Id::from("110043")).await.unwrap();
    assert_eq!(t.status.state, TicketState::Resolved);
    assert_eq!(t.status.label.as_deref(), Some("Pending Closure"));
    let moved = c
        .update_ticket(
            &Id::from("110043"),
            TicketUpdate::new().state(TicketState::Resolved),
        )
        .await
        .unwrap();
    assert_eq!(moved.status.state, TicketState::Resolved);
}

#[tokio::test]
async fn a_refused_date_search_falls_back_to_filtering_client_side() {
    let server = server().await;
    mount_lookups(&server).await;
    // This instance refuses the date search.
    Mock::given(path("/api/Tickets"))
        .and(query_param("datesearch", "lastactiondate"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "ClassName": "System.ArgumentException", "Message": "Invalid datesearch column"
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    let mut old = ticket(1, 2);
    old["lastactiondate"] = json!("2024-03-01T10:00:00");
    Mock::given(path("/api/Tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 2, "tickets": [old, ticket(2, 2)]
        })))
        .mount(&server)
        .await;
    let since = chrono::DateTime::parse_from_rfc3339("2024-03-05T06:07:08Z")
        .unwrap()
        .to_utc();
    let got: Vec<_> = client(&server)
        .tickets(TicketQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["2"]);
    let sent = received_at(&server, "/api/Tickets").await;
    assert_eq!(sent.len(), 2);
    // UTC, without a zone.
    assert!(query_pairs(&sent[0]).contains(&("startdate".into(), "2024-03-05T06:07:08".into())));
    assert!(
        !query_pairs(&sent[1])
            .iter()
            .any(|(k, _)| k == "datesearch" || k == "startdate")
    );
}

#[tokio::test]
async fn look_ups_are_asked_without_an_empty_query() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(path("/api/Tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 1, "tickets": [ticket(1, 2)]
        })))
        .mount(&server)
        .await;
    let _: Vec<_> = client(&server)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    let priority = &received_at(&server, "/api/Priority").await[0];
    assert_eq!(priority.url.query(), None, "{}", priority.url);
    assert!(!priority.url.as_str().ends_with('?'));
    let status = &received_at(&server, "/api/Status").await[0];
    assert_eq!(status.url.query(), Some("type=ticket"));
}

#[tokio::test]
async fn an_empty_incremental_ticket_list_ends_cleanly() {
    let server = server().await;
    mount_lookups(&server).await;
    Mock::given(path("/api/Tickets"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "record_count": 0, "tickets": [] })),
        )
        .mount(&server)
        .await;
    let since = chrono::DateTime::parse_from_rfc3339("2024-03-05T06:07:08Z")
        .unwrap()
        .to_utc();
    let c = client(&server);
    let mut s = c.tickets(TicketQuery::new().updated_since(since));
    use futures::StreamExt;
    assert!(s.next().await.is_none());
    assert!(s.next().await.is_none());
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
        (401, ErrorKind::Unauthorized, "tenant"),
        (403, ErrorKind::Forbidden, "permissions"),
        (404, ErrorKind::NotFound, "base_url"),
    ] {
        let fake = mspkit_halo::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = HaloClient::from_settings_with(
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
fn trust_base(fake: &mspkit_testkit::FakeServer<HaloSettings>) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "client_id": fake.settings.client_id,
        "client_secret": mspkit_halo::mock::CLIENT_SECRET,
        "tenant": fake.settings.tenant,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_halo::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: HaloSettings| async move {
        HaloClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&HaloClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_halo::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: HaloSettings| {
        HaloClient::from_settings(&s).map(drop)
    });
}
