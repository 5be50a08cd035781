//! What goes on the wire: the sign-in form and the token life cycle, every
//! operation's request, paging from whichever first page the tenant uses,
//! write bodies, BMS's refusals answered with 200, error statuses, broken
//! bodies and build-time checks.

// Helpers unwrap too: a failed check is a failed test.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use futures::TryStreamExt;
use mspkit_core::{
    ErrorKind, Id, ListQuery, NewNote, NewTicket, PsaClient, TicketQuery, TicketState, TicketUpdate,
};
use mspkit_kaseya_bms::{KaseyaBmsClient, KaseyaBmsClientBuilder, KaseyaBmsSettings, mock};
use mspkit_testkit::{
    FakeServer, form_pairs, form_value, json_body, query_pairs, query_param, received, received_at,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(fake: &FakeServer<KaseyaBmsSettings>) -> KaseyaBmsClient {
    KaseyaBmsClientBuilder::from_settings(&fake.settings)
        .retry_policy(mspkit_testkit::fast_retry())
        .build()
        .unwrap()
}

/// The request's form fields, sorted, to compare with [`pairs`].
fn form(request: &Request) -> Vec<(String, String)> {
    let mut f = form_pairs(request);
    f.sort();
    f
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<_> = p
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.sort();
    v
}

// ------------------------------------------------------------ sign-in

#[tokio::test]
async fn the_sign_in_is_a_form_and_the_token_a_bearer() {
    let fake = mock::start().await;
    let c = client(&fake);
    c.test_connection().await.unwrap();
    let logins = received_at(&fake.server, "/v2/security/authenticate").await;
    assert_eq!(logins.len(), 1);
    let l = &logins[0];
    assert_eq!(l.method.as_str(), "POST");
    assert_eq!(
        l.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        form(l),
        pairs(&[
            ("GrantType", "password"),
            ("Password", mock::PASSWORD),
            ("Tenant", mock::TENANT),
            ("UserName", mock::USERNAME),
        ])
    );
    let status = &received_at(&fake.server, "/v2/system/statuses/lookup").await[0];
    let issued = fake.tokens.as_ref().unwrap().access_tokens();
    assert_eq!(
        status.headers.get("authorization").unwrap(),
        &format!("Bearer {}", issued[0])
    );
    assert!(query_pairs(status).is_empty());
}

#[tokio::test]
async fn an_mfa_code_travels_with_the_sign_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/security/authenticate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "error": null,
            "result": { "accessToken": "t-1", "refreshToken": "r-1",
                        "accessTokenExpireOn": "2099-01-01T00:00:00", "refreshTokenExpireOn": "2099-01-08T00:00:00" }
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/system/statuses/lookup"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "result": []})),
        )
        .mount(&server)
        .await;
    let c = KaseyaBmsClient::builder()
        .base_url(server.uri())
        .tenant("Acme")
        .username("u@acme.example")
        .password("pw")
        .mfa_code(" 123456 ")
        .allow_insecure_http()
        .build()
        .unwrap();
    c.test_connection().await.unwrap();
    let l = &received_at(&server, "/v2/security/authenticate").await[0];
    assert_eq!(form_value(l, "MFACode").as_deref(), Some("123456"));
    assert!(!format!("{c:?}").contains("123456"));
}

#[tokio::test]
async fn concurrent_callers_share_one_sign_in() {
    let fake = mock::start().await;
    let c = client(&fake);
    let calls = (0..20).map(|_| c.test_connection());
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(
        received_at(&fake.server, "/v2/security/authenticate")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_refused_token_is_renewed_with_the_refresh_token() {
    let fake = mock::start().await;
    let c = client(&fake);
    c.test_connection().await.unwrap();
    let store = fake.tokens.clone().unwrap();
    let (first_access, first_refresh) = (store.access_tokens()[0].clone(), {
        let r = store.refresh_tokens();
        r[0].clone()
    });
    store.revoke_access_tokens();
    c.test_connection().await.unwrap();
    let refreshes = received_at(&fake.server, "/v2/security/refreshtoken").await;
    assert_eq!(refreshes.len(), 1);
    assert_eq!(
        form(&refreshes[0]),
        pairs(&[
            ("AccessToken", &first_access),
            ("RefreshToken", &first_refresh)
        ])
    );
    assert_eq!(
        received_at(&fake.server, "/v2/security/authenticate")
            .await
            .len(),
        1,
        "no second sign-in"
    );
    // The renewed token is the one sent now.
    let last = received_at(&fake.server, "/v2/system/statuses/lookup")
        .await
        .pop()
        .unwrap();
    let renewed = store.access_tokens().pop().unwrap();
    assert_eq!(
        last.headers.get("authorization").unwrap(),
        &format!("Bearer {renewed}")
    );
}

#[tokio::test]
async fn a_failed_refresh_signs_in_again() {
    let fake = mock::start().await;
    let c = client(&fake);
    c.test_connection().await.unwrap();
    Mock::given(method("POST"))
        .and(path("/v2/security/refreshtoken"))
        .respond_with(mock::refusal(401, "Token expired.", &[]))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    fake.tokens.as_ref().unwrap().revoke_access_tokens();
    c.test_connection().await.unwrap();
    assert_eq!(
        received_at(&fake.server, "/v2/security/refreshtoken")
            .await
            .len(),
        1
    );
    assert_eq!(
        received_at(&fake.server, "/v2/security/authenticate")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn a_token_is_refreshed_ahead_of_its_expiry() {
    let server = MockServer::start().await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(1))
        .format("%Y-%m-%dT%H:%M:%S%.3f")
        .to_string();
    let answer = |access: &str, refresh: &str, until: &str| {
        ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "error": null,
            "result": { "accessToken": access, "refreshToken": refresh,
                        "accessTokenExpireOn": until, "refreshTokenExpireOn": "2099-01-01T00:00:00" }
        }))
    };
    Mock::given(method("POST"))
        .and(path("/v2/security/authenticate"))
        .respond_with(answer("t-1", "r-1", &soon))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/security/refreshtoken"))
        .respond_with(answer("t-2", "r-2", "2099-01-01T00:00:00"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/system/statuses/lookup"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "result": []})),
        )
        .mount(&server)
        .await;
    let c = KaseyaBmsClient::builder()
        .base_url(server.uri())
        .tenant("Acme")
        .username("u")
        .password("pw")
        .allow_insecure_http()
        .build()
        .unwrap();
    c.test_connection().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    c.test_connection().await.unwrap();
    let refreshes = received_at(&server, "/v2/security/refreshtoken").await;
    assert_eq!(refreshes.len(), 1, "renewed without waiting for a 401");
    assert_eq!(
        form(&refreshes[0]),
        pairs(&[("AccessToken", "t-1"), ("RefreshToken", "r-1")])
    );
    let sent: Vec<String> = received_at(&server, "/v2/system/statuses/lookup")
        .await
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sent, ["Bearer t-1", "Bearer t-2"]);
}

// ------------------------------------------------------------ paging

#[tokio::test]
async fn pages_are_walked_from_whichever_number_the_tenant_starts_at() {
    for first in [0, 1] {
        let fake = mock::start_paged_from(first).await;
        let c = client(&fake);
        let all: Vec<_> = c
            .tickets(TicketQuery::new().page_size(10))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 30, "pages from {first}");
        assert_eq!(c.first_page_number(), Some(first));
        // The probe: one account at page 0 and at page 1.
        let probe: Vec<_> = received_at(&fake.server, "/v2/crm/accounts/summary")
            .await
            .iter()
            .map(query_pairs)
            .collect();
        let seq = |n: &str| {
            vec![
                ("PageSize".to_owned(), "1".to_owned()),
                ("PageNumber".to_owned(), n.to_owned()),
            ]
        };
        assert_eq!(probe, [seq("0"), seq("1")]);
        // Read-ahead may send page N+1 before page N is answered.
        let mut pages: Vec<String> = received_at(&fake.server, "/v2/servicedesk/tickets")
            .await
            .iter()
            .map(|r| query_param(r, "PageNumber").unwrap())
            .collect();
        pages.sort();
        let want: Vec<String> = (first..first + 3).map(|n| n.to_string()).collect();
        assert_eq!(pages, want, "pages from {first}");
        // Learnt once per client.
        let _: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
        assert_eq!(
            received_at(&fake.server, "/v2/crm/accounts/summary")
                .await
                .len(),
            3
        );
    }
}

#[tokio::test]
async fn a_short_total_is_an_error_not_a_short_list() {
    let fake = mock::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/finance/contracts/summary"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "error": null, "totalRecords": 9,
            "result": [{"id": 1, "contractName": "A"}, {"id": 2, "contractName": "B"}]
        })))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let r: Result<Vec<_>, _> = client(&fake)
        .agreements(ListQuery::new())
        .try_collect()
        .await;
    assert_eq!(r.unwrap_err().kind(), ErrorKind::Paging);
}

// ------------------------------------------------------------ list filters

#[tokio::test]
async fn list_filters_and_updated_since() {
    let fake = mock::start().await;
    let c = KaseyaBmsClientBuilder::from_settings(&fake.settings)
        .time_zone("+02:00")
        .build()
        .unwrap();
    let since = chrono::DateTime::parse_from_rfc3339("2024-03-05T06:07:08Z")
        .unwrap()
        .to_utc();
    let open: Vec<_> = c
        .tickets(
            TicketQuery::new()
                .open()
                .company(mock::ACME as u64)
                .updated_since(since),
        )
        .try_collect()
        .await
        .unwrap();
    assert!(open.iter().all(|t| !t.status.state.is_closed()));
    let t = received_at(&fake.server, "/v2/servicedesk/tickets").await;
    let q = &t[0];
    assert_eq!(query_param(q, "Filter.AccountIds").as_deref(), Some("312"));
    assert_eq!(
        query_param(q, "Filter.ExcludeCompleted").as_deref(),
        Some("1")
    );
    // The tenant's wall time, without an offset.
    assert_eq!(
        query_param(q, "Filter.LastActivityUpdateFrom").as_deref(),
        Some("2024-03-05T08:07:08")
    );
    assert_eq!(query_param(q, "PageSize").as_deref(), Some("500"));

    let _: Vec<_> = c
        .contacts(ListQuery::new().company(318u64).updated_since(since))
        .try_collect()
        .await
        .unwrap();
    let q = &received_at(&fake.server, "/v2/crm/contacts/summary").await[0];
    assert_eq!(query_param(q, "Filter.AccountId").as_deref(), Some("318"));
    assert_eq!(
        query_param(q, "Filter.ModifiedOnFrom").as_deref(),
        Some("2024-03-05T08:07:08")
    );

    let _: Vec<_> = c
        .companies(ListQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    let listed: Vec<_> = received_at(&fake.server, "/v2/crm/accounts/summary")
        .await
        .into_iter()
        .filter(|r| query_param(r, "PageSize").as_deref() != Some("1"))
        .collect();
    assert_eq!(
        query_param(&listed[0], "Filter.ModifiedOnFrom").as_deref(),
        Some("2024-03-05T08:07:08")
    );

    // Closed tickets: every closed one, none open.
    let closed: Vec<_> = c
        .tickets(TicketQuery::new().closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(closed.len(), 5);
    assert!(closed.iter().all(|t| t.status.state == TicketState::Closed));
}

#[tokio::test]
async fn one_companys_agreements_are_asked_by_account_name() {
    let fake = mock::start().await;
    let c = client(&fake);
    let acme: Vec<_> = c
        .agreements(ListQuery::new().company(mock::ACME as u64))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(acme.len(), 2);
    assert!(
        acme.iter()
            .all(|a| a.company_id == Some(Id::from(mock::ACME)))
    );
    let q = &received_at(&fake.server, "/v2/finance/contracts/summary").await[0];
    assert_eq!(
        query_param(q, "Filter.AccountName").as_deref(),
        Some("Acme Corp")
    );
    let lookup = &received_at(&fake.server, "/v2/crm/accounts/lookup").await[0];
    assert_eq!(
        query_param(lookup, "Filter.WithInactiveAccounts").as_deref(),
        Some("true")
    );
    // An account the tenant does not have: no agreements, no list request.
    let none: Vec<_> = c
        .agreements(ListQuery::new().company(999u64))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(
        received_at(&fake.server, "/v2/finance/contracts/summary")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn notes_are_read_from_the_tickets_path() {
    let fake = mock::start().await;
    let notes: Vec<_> = client(&fake)
        .ticket_notes(&Id::from(mock::TICKET_WITH_NOTES))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 4);
    let r = &received_at(&fake.server, "/v2/servicedesk/tickets/10452/notes").await[0];
    assert_eq!(query_param(r, "PageNumber").as_deref(), Some("1"));
}

// ------------------------------------------------------------ writes

#[tokio::test]
async fn a_new_ticket_gets_every_required_field() {
    let fake = mock::start().await;
    let c = client(&fake);
    let t = c
        .create_ticket(
            NewTicket::new("Printer offline")
                .description("Front desk printer shows offline")
                .company(mock::ACME as u64)
                .contact(2201u64),
        )
        .await
        .unwrap();
    assert_eq!(t.id, Id::from(10601u64));
    assert_eq!(t.status.label.as_deref(), Some("New"));
    // The account's main location was looked up.
    assert_eq!(
        received_at(&fake.server, "/v2/crm/accounts/312/locations/lookup")
            .await
            .len(),
        1
    );
    let post = received_at(&fake.server, "/v2/servicedesk/tickets")
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    let mut body = json_body(&post);
    let open_date = body["OpenDate"].take();
    assert!(
        chrono::NaiveDateTime::parse_from_str(open_date.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S")
            .is_ok(),
        "{open_date}"
    );
    assert_eq!(
        body,
        json!({
            "Title": "Printer offline", "Details": "Front desk printer shows offline",
            "AccountId": 312, "LocationId": 415, "StatusId": 1, "PriorityId": 2,
            "TypeId": 3, "SourceId": 1, "OpenDate": null, "ContactId": 2201
        })
    );
}

#[tokio::test]
async fn a_ticket_without_a_company_goes_to_the_users_own_account() {
    let fake = mock::start().await;
    let c = client(&fake);
    c.create_ticket(NewTicket::new("Renew the wildcard certificate").extra("QueueId", 3))
        .await
        .unwrap();
    let post = received_at(&fake.server, "/v2/servicedesk/tickets")
        .await
        .into_iter()
        .find(|r| r.method.as_str() == "POST")
        .unwrap();
    let body = json_body(&post);
    assert_eq!(body["AccountId"], 1);
    assert_eq!(body["LocationId"], 101);
    assert_eq!(body["Details"], "Renew the wildcard certificate");
    assert_eq!(body["QueueId"], 3);
    assert_eq!(
        received_at(&fake.server, "/v2/security/userinfo")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_ticket_bms_would_refuse_is_refused_before_sending() {
    let fake = mock::start().await;
    let mut settings = fake.settings.clone();
    settings.ticket_type_id = None;
    let c = KaseyaBmsClient::from_settings(&settings).unwrap();
    let e = c
        .create_ticket(NewTicket::new("x").company(312u64))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert!(e.to_string().contains("ticket_type_id"), "{e}");
    assert!(received(&fake.server).await.is_empty());
    // `extra` supplies it instead.
    c.create_ticket(NewTicket::new("x").company(312u64).extra("TypeId", 3))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_validation_failure_answered_with_200_is_an_error() {
    let fake = mock::start().await;
    let e = client(&fake)
        .create_ticket(NewTicket::new("x").company(312u64).extra("LocationId", 999))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(200));
    assert_eq!(e.code(), Some("400"));
    assert_eq!(e.message(), Some("Validation failed"));
    assert_eq!(e.details(), ["LocationId does not belong to the account"]);
}

#[tokio::test]
async fn status_changes_are_a_json_patch() {
    let fake = mock::start().await;
    let c = client(&fake);
    let t = c
        .update_ticket(
            &Id::from(mock::TICKET_WITH_NOTES),
            TicketUpdate::new()
                .state(TicketState::Closed)
                .summary("Printer offline (fixed)"),
        )
        .await
        .unwrap();
    assert_eq!(t.status.state, TicketState::Closed);
    assert_eq!(t.status.label.as_deref(), Some("Completed"));
    assert!(t.closed_at.is_some());
    let patch = &received_at(&fake.server, "/v2/servicedesk/tickets/10452").await[0];
    assert_eq!(patch.method.as_str(), "PATCH");
    assert_eq!(
        patch.headers.get("content-type").unwrap(),
        "application/json-patch+json"
    );
    let body = json_body(patch);
    assert_eq!(
        body,
        json!([
            {"op": "replace", "path": "/Title", "value": "Printer offline (fixed)"},
            {"op": "replace", "path": "/StatusId", "value": 6}
        ])
    );
    let e = c
        .update_ticket(
            &Id::from(10452u64),
            TicketUpdate::new().state(TicketState::Resolved),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
}

#[tokio::test]
async fn notes_are_added_with_their_type_and_date() {
    let fake = mock::start().await;
    let n = client(&fake)
        .add_ticket_note(
            &Id::from(10452u64),
            NewNote::internal("Replaced the fuser."),
        )
        .await
        .unwrap();
    assert_eq!(n.id, Id::from(88001u64));
    assert!(n.internal);
    let post = &received_at(&fake.server, "/v2/servicedesk/tickets/10452/notes").await[0];
    let mut body = json_body(post);
    assert!(body["NoteDate"].take().is_string());
    assert_eq!(
        body,
        json!({"Details": "Replaced the fuser.", "IsInternal": true, "TypeId": 2, "NoteDate": null})
    );
}

// ------------------------------------------------------------ refusals with 200

#[tokio::test]
async fn a_bad_filter_answered_with_200_is_an_error_not_an_empty_list() {
    let fake = mock::start().await;
    let r: Result<Vec<_>, _> = client(&fake)
        .contacts(ListQuery::new().company("acme"))
        .try_collect()
        .await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api, "{e:?}");
    assert_eq!(e.code(), Some("400"));
    assert_eq!(
        e.message(),
        Some("The value 'acme' is not valid for AccountId.")
    );
    assert_eq!(e.operation(), "contacts");
}

#[tokio::test]
async fn a_long_refusal_is_still_read() {
    let fake = mock::start().await;
    let c = client(&fake);
    c.test_connection().await.unwrap();
    let long = format!("Query timed out: {}", "x".repeat(400));
    Mock::given(method("GET"))
        .and(path("/v2/servicedesk/tickets"))
        .respond_with(mock::refusal(500, &long, &[]))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let r: Result<Vec<_>, _> = c.tickets(TicketQuery::new()).try_collect().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server, "{e:?}");
    assert_eq!(e.code(), Some("500"));
    assert!(e.message().unwrap().starts_with("Query timed out: xxx"));
    assert_eq!(e.message(), Some(long.as_str()), "read whole, not cut");
}

#[tokio::test]
async fn a_refusal_that_carries_an_empty_list_is_an_error_not_the_end() {
    let fake = mock::start().await;
    let c = client(&fake);
    c.test_connection().await.unwrap();
    let body = r#"{"success":false,"error":{"code":400,"message":"Invalid sort","details":null,"stackStrace":null,"subErrors":["OrderBy: unknown field"]},"result":[]}"#;
    Mock::given(method("GET"))
        .and(path("/v2/servicedesk/tickets"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(body, "application/json; charset=utf-8"),
        )
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let r: Result<Vec<_>, _> = c.tickets(TicketQuery::new()).try_collect().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api, "{e:?}");
    assert_eq!(e.message(), Some("Invalid sort"));
    assert_eq!(e.details(), ["OrderBy: unknown field"]);
}

#[tokio::test]
async fn a_missing_ticket_is_not_found_naming_its_id() {
    let fake = mock::start().await;
    let e = client(&fake).ticket(&Id::from(999u64)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.target(), Some("999"));
    assert_eq!(e.message(), Some("Ticket not found."));
    let e = client(&fake).company(&Id::from(999u64)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

// ------------------------------------------------------------ error statuses

#[tokio::test]
async fn error_statuses_with_bms_bodies() {
    for (status, kind) in [
        (400, ErrorKind::Api),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::NotFound),
        (500, ErrorKind::Server),
    ] {
        let fake = mock::start().await;
        let c = client(&fake);
        c.test_connection().await.unwrap();
        Mock::given(method("GET"))
            .and(path("/v2/servicedesk/tickets/10452"))
            .respond_with(ResponseTemplate::new(status).set_body_raw(
                mock::refusal_body(status, "Refused by BMS", &["StatusId: not allowed"]),
                "application/json",
            ))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let e = c.ticket(&Id::from(10452u64)).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{status}: {e:?}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.message(), Some("Refused by BMS"), "{status}");
        assert_eq!(e.target(), Some("10452"));
    }
}

#[tokio::test]
async fn a_429_is_waited_out() {
    let fake = mock::start().await;
    let c = client(&fake);
    c.test_connection().await.unwrap();
    Mock::given(method("GET"))
        .and(path("/v2/servicedesk/tickets/10452"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .with_priority(1)
        .up_to_n_times(1)
        .mount(&fake.server)
        .await;
    let started = std::time::Instant::now();
    c.ticket(&Id::from(10452u64)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn broken_bodies_are_decode_errors() {
    for body in [
        "{not json",
        r#"{"success":true,"error":null,"result":[{"id":10452,"title":"Printer"#,
        r#"{"success":true,"result":[{"id":"ten"}]}"#,
        r#"{"success":true,"result":[{"id":1,"openDate":"last Tuesday"}]}"#,
    ] {
        let fake = mock::start().await;
        let c = client(&fake);
        let _: Vec<_> = c
            .companies(ListQuery::new().limit(1))
            .try_collect()
            .await
            .unwrap();
        Mock::given(method("GET"))
            .and(path("/v2/servicedesk/tickets"))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let r: Result<Vec<_>, _> = c.tickets(TicketQuery::new()).try_collect().await;
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{body}: {e:?}");
    }
}

#[tokio::test]
async fn a_single_read_names_the_field_it_cannot_read() {
    let fake = mock::start().await;
    let c = client(&fake);
    c.test_connection().await.unwrap();
    Mock::given(method("GET"))
        .and(path("/v2/servicedesk/tickets/10452"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"success": true, "result": {"id": 10452, "completedDate": "soon"}}),
        ))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let e = c.ticket(&Id::from(10452u64)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("completedDate"), "{e:?}");
}

// ------------------------------------------------------------ building

#[test]
fn settings_are_checked_at_build() {
    let base = || {
        KaseyaBmsClient::builder()
            .tenant("Acme")
            .username("u")
            .password("pw")
    };
    assert!(base().build().is_ok());
    let e = base().tenant(" ").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.to_string().contains("tenant"));
    let e = base().password("").build().unwrap_err();
    assert!(e.to_string().contains("password"), "{e}");
    let e = base().time_zone("Europe/Berlin").build().unwrap_err();
    assert!(e.to_string().contains("fixed UTC offset"), "{e}");
    let e = base()
        .base_url("http://api.bms.kaseya.com")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsecureUrl);
    let c = base().build().unwrap();
    assert_eq!(
        c.http().base_url().as_str(),
        "https://api.bms.kaseya.com/v2/"
    );
    let emea = base()
        .base_url("https://bmsemea.kaseya.com/")
        .build()
        .unwrap();
    assert_eq!(
        emea.http().base_url().as_str(),
        "https://api.bmsemea.kaseya.com/v2/"
    );
    assert!(!format!("{c:?}").contains("pw\""));
}

#[test]
fn settings_read_from_json_keep_their_secrets() {
    let s: KaseyaBmsSettings = serde_json::from_value(json!({
        "tenant": "Acme", "username": "u", "password": "hunter2-secret",
        "mfa_code": "654321", "time_zone": "-05:00"
    }))
    .unwrap();
    let shown = format!("{s:?}");
    assert!(!shown.contains("hunter2-secret") && !shown.contains("654321"));
    let c = KaseyaBmsClient::from_settings(&s).unwrap();
    assert!(!format!("{c:?}").contains("hunter2-secret"));
    assert!(
        serde_json::from_value::<KaseyaBmsSettings>(
            json!({"tenant": "a", "username": "u", "password": "p", "host": "x"})
        )
        .is_err()
    );
}

#[tokio::test]
async fn the_rate_limit_option_sets_each_endpoints_budget() {
    let fake = mock::start().await;
    let limit = mspkit_core::http::RateLimit::per_minute(60);
    let c = KaseyaBmsClientBuilder::from_settings(&fake.settings)
        .rate_limit(Some(limit))
        .build()
        .unwrap();
    assert_eq!(c.rate_limit_per_endpoint(), Some(limit));
    assert_eq!(c.http().rate_limit(), None);
    let off = KaseyaBmsClientBuilder::from_settings(&fake.settings)
        .rate_limit(None)
        .build()
        .unwrap();
    assert_eq!(off.rate_limit_per_endpoint(), None);
}

// ------------------------------------------------------------ first contact and trust

/// Every request but a sign-in or refresh one: what the platform's API answers.
struct ApiCalls;

impl wiremock::Match for ApiCalls {
    fn matches(&self, r: &Request) -> bool {
        !r.url.path().starts_with("/v2/security/")
    }
}

#[tokio::test]
async fn a_refused_first_call_says_what_to_check() {
    // A sign-in BMS refuses (HTTP 200, success: false).
    let fake = mock::start().await;
    let mut settings = fake.settings.clone();
    settings.password = "not the password".to_owned().into();
    let c = KaseyaBmsClient::from_settings_with(
        &settings,
        mspkit_core::ClientOptions::new().retry(mspkit_testkit::fast_retry()),
    )
    .unwrap();
    let e = PsaClient::test_connection(&c).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
    let hint = e.hint().unwrap_or_default();
    assert!(hint.contains("tenant") && hint.contains("mfa_code"), "{e}");
    assert!(e.to_string().ends_with(&format!("; check: {hint}")), "{e}");

    // Refusals of the calls after a sign-in.
    for (status, kind, what) in [
        (401, ErrorKind::Unauthorized, "tenant"),
        (403, ErrorKind::Forbidden, "security role"),
        (404, ErrorKind::NotFound, "data centre's API host"),
    ] {
        let fake = mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = KaseyaBmsClient::from_settings_with(
            &fake.settings,
            mspkit_core::ClientOptions::new().retry(mspkit_testkit::fast_retry()),
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

/// The settings' JSON the trust checks start from: the fake's, without
/// trust settings.
fn trust_base(fake: &mspkit_testkit::FakeServer<KaseyaBmsSettings>) -> Value {
    json!({
        "tenant": fake.settings.tenant,
        "username": fake.settings.username,
        "password": mock::PASSWORD,
        "base_url": fake.settings.base_url,
        "ticket_type_id": fake.settings.ticket_type_id,
        "ticket_source_id": fake.settings.ticket_source_id,
        "note_type_id": fake.settings.note_type_id,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: KaseyaBmsSettings| async move {
        KaseyaBmsClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&KaseyaBmsClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: KaseyaBmsSettings| {
        KaseyaBmsClient::from_settings(&s).map(drop)
    });
}
