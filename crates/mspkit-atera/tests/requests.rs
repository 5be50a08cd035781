//! What the client sends, exactly, and how it reads Atera's answers and
//! errors, against the fake server.

// Tests panic on failure by design.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mspkit_atera::{AteraClient, AteraSettings, KeyKind, mock};
use mspkit_core::http::RetryPolicy;
use mspkit_core::{
    AlertQuery, ClientOptions, DeviceQuery, ErrorKind, Id, ListQuery, NewNote, NewTicket,
    PsaClient, RmmClient, TicketQuery, TicketState, TicketUpdate,
};
use mspkit_testkit::{FakeServer, header_value, json_body, received, request_line};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const PROBE: &str = "2024-03-05T06:07:08Z";

fn probe() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(PROBE)
        .unwrap()
        .with_timezone(&Utc)
}

fn client(fake: &FakeServer<AteraSettings>) -> AteraClient {
    AteraClient::from_settings_with(
        &fake.settings,
        ClientOptions::new()
            .retry(mspkit_testkit::fast_retry())
            .rate_limit(None),
    )
    .unwrap()
}

/// The requests after the first `skip`, as `METHOD /path?query`.
async fn sent(fake: &FakeServer<AteraSettings>, skip: usize) -> Vec<String> {
    received(&fake.server)
        .await
        .iter()
        .skip(skip)
        .map(request_line)
        .collect()
}

async fn override_path(fake: &FakeServer<AteraSettings>, p: &str, reply: ResponseTemplate) {
    Mock::given(path(p))
        .respond_with(reply)
        .with_priority(1)
        .mount(&fake.server)
        .await;
}

// ---- auth on the wire ----------------------------------------------------

#[tokio::test]
async fn a_legacy_key_goes_in_x_api_key_alone() {
    let fake = mock::start().await;
    let atera = client(&fake);
    assert_eq!(atera.key_kind(), KeyKind::ApiKey);
    RmmClient::test_connection(&atera).await.unwrap();
    let reqs = received(&fake.server).await;
    let r = &reqs[0];
    assert_eq!(header_value(r, "x-api-key"), Some(mock::API_KEY));
    assert_eq!(header_value(r, "authorization"), None);
    assert_eq!(header_value(r, "accept"), Some("application/json"));
    assert_eq!(
        sent(&fake, 0).await,
        ["GET /api/v3/customers?page=1&itemsInPage=1"]
    );
}

#[tokio::test]
async fn a_jwt_goes_in_authorization_bearer_and_a_pasted_bearer_is_not_doubled() {
    for key in [
        mock::API_TOKEN.to_owned(),
        format!("Bearer {}", mock::API_TOKEN),
    ] {
        let fake = mock::start_with_token().await;
        let mut settings = fake.settings.clone();
        settings.api_key = key.into();
        let atera = AteraClient::from_settings(&settings).unwrap();
        assert_eq!(atera.key_kind(), KeyKind::Bearer);
        PsaClient::test_connection(&atera).await.unwrap();
        let reqs = received(&fake.server).await;
        assert_eq!(
            header_value(&reqs[0], "authorization"),
            Some(format!("Bearer {}", mock::API_TOKEN).as_str())
        );
        assert_eq!(header_value(&reqs[0], "x-api-key"), None);
    }
}

#[tokio::test]
async fn a_wrong_key_gets_an_empty_401_and_an_error_that_says_what_to_check() {
    let fake = mock::start().await;
    let mut settings = fake.settings.clone();
    settings.api_key = "ffffffffffffffffffffffffffffffff".into();
    let atera = AteraClient::from_settings(&settings).unwrap();
    let e = RmmClient::test_connection(&atera).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.status(), Some(401));
    let text = e.to_string();
    assert!(
        text.starts_with("atera test_connection: unauthorized: Atera refused the API key"),
        "{text}"
    );
    for what in ["expired", "allow-list", "trial"] {
        assert!(text.contains(what), "{text}");
    }
    assert!(!text.contains("ffffffff") && !format!("{e:?}").contains("ffffffff"));
}

#[tokio::test]
async fn settings_are_checked_before_any_request() {
    let empty = AteraSettings::new("   ");
    assert_eq!(
        AteraClient::from_settings(&empty).unwrap_err().kind(),
        ErrorKind::Config
    );
    let mut plain = AteraSettings::new(mock::API_KEY);
    plain.base_url = Some("http://atera.internal".into());
    assert_eq!(
        AteraClient::from_settings(&plain).unwrap_err().kind(),
        ErrorKind::InsecureUrl
    );
    let default = AteraClient::from_settings(&AteraSettings::new(mock::API_KEY)).unwrap();
    assert_eq!(
        default.http().base_url().as_str(),
        "https://app.atera.com/api/v3/"
    );
    assert_eq!(
        default.http().rate_limit(),
        Some(mspkit_atera::default_rate_limit())
    );
    let debug = format!("{default:?} {:?}", AteraSettings::new(mock::API_KEY));
    assert!(!debug.contains(mock::API_KEY), "{debug}");
    let parsed: Result<AteraSettings, _> =
        serde_json::from_str(r#"{"api_key": "k", "region": "eu"}"#);
    assert!(parsed.is_err(), "unknown settings are refused");
}

// ---- RMM requests ----------------------------------------------------------

#[tokio::test]
async fn devices_page_by_next_link_over_three_pages() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let devices: Vec<_> = atera
        .devices(DeviceQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(devices.len(), 120);
    let urls = sent(&fake, 0).await;
    assert_eq!(
        urls,
        [
            "GET /api/v3/agents?page=1&itemsInPage=50",
            "GET /api/v3/agents?itemsInPage=50&page=2",
            "GET /api/v3/agents?itemsInPage=50&page=3",
        ]
    );
}

#[tokio::test]
async fn devices_of_an_organization_use_the_customer_path_and_filter_the_rest_locally() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let q = DeviceQuery::new()
        .organization("3")
        .site("13")
        .updated_since(probe());
    let devices: Vec<_> = atera.devices(q).try_collect().await.unwrap();
    assert!(!devices.is_empty());
    assert!(
        devices
            .iter()
            .all(|d| d.organization_id == Some(Id::from("3")) && d.site_id == Some(Id::from("13")))
    );
    assert_eq!(
        sent(&fake, 0).await,
        ["GET /api/v3/agents/customer/3?page=1&itemsInPage=50"]
    );
    let e = atera
        .devices(DeviceQuery::new().organization("acme"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert_eq!(received(&fake.server).await.len(), 1);
}

#[tokio::test]
async fn one_device_and_its_not_found() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let d = atera.device(&Id::from("118")).await.unwrap();
    assert_eq!(d.hostname.as_deref(), Some("ACME-RECEP01"));
    let e = atera.device(&Id::from("999999")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.target(), Some("999999"));
    assert_eq!(
        e.to_string(),
        "atera device 999999: not found: Agent 999999 was not found"
    );
    assert_eq!(
        sent(&fake, 0).await,
        ["GET /api/v3/agents/118", "GET /api/v3/agents/999999"]
    );
}

#[tokio::test]
async fn alerts_ask_for_open_ones_unless_resolved_are_wanted() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let open: Vec<_> = atera.alerts(AlertQuery::new()).try_collect().await.unwrap();
    assert_eq!(open.len(), 24);
    assert!(open.iter().all(|a| !a.resolved));
    assert_eq!(
        sent(&fake, 0).await,
        ["GET /api/v3/alerts?page=1&alertStatus=Open&itemsInPage=50"]
    );
    let mut q = AlertQuery::new();
    q.include_resolved = true;
    let all: Vec<_> = atera.alerts(q).try_collect().await.unwrap();
    assert_eq!(all.len(), 34);
    assert_eq!(all.iter().filter(|a| a.resolved).count(), 8);
    assert_eq!(
        sent(&fake, 1).await,
        [
            "GET /api/v3/alerts?page=1&alertStatus=Open&itemsInPage=50",
            "GET /api/v3/alerts?page=1&alertStatus=Snoozed&itemsInPage=50",
            "GET /api/v3/alerts?page=1&alertStatus=Resolved&itemsInPage=50",
        ]
    );
    let mut q = AlertQuery::new().updated_since(probe());
    q.organization_id = Some(Id::from("3"));
    let recent: Vec<_> = atera.alerts(q).try_collect().await.unwrap();
    assert!(!recent.is_empty());
    assert!(
        recent
            .iter()
            .all(|a| a.created_at.unwrap() >= probe() && a.organization_id == Some(Id::from("3")))
    );
}

#[tokio::test]
async fn sites_and_software_are_unsupported_without_a_request() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let e = atera
        .sites(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(e.message().unwrap().contains("folder"));
    let e = atera
        .software(&Id::from("118"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(e.message().unwrap().contains("patches"));
    assert!(received(&fake.server).await.is_empty());
}

// ---- updated_since ------------------------------------------------------------

#[tokio::test]
async fn from_last_modified_date_is_sent_in_the_accounts_zone_without_offset() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let orgs: Vec<_> = atera
        .organizations(ListQuery::new().updated_since(probe()))
        .try_collect()
        .await
        .unwrap();
    assert!(!orgs.is_empty() && orgs.len() < 8);
    assert!(orgs.iter().all(|o| o.updated_at.unwrap() >= probe()));
    // The account is read once per client.
    let _: Vec<_> = PsaClient::contacts(&atera, ListQuery::new().updated_since(probe()))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        sent(&fake, 0).await,
        [
            "GET /api/v3/account",
            "GET /api/v3/customers?page=1&FromLastModifiedDate=2024-03-05T06%3A07%3A08&itemsInPage=50",
            "GET /api/v3/contacts?page=1&FromLastModifiedDate=2024-03-05T06%3A07%3A08&itemsInPage=50",
        ]
    );
}

#[tokio::test]
async fn other_zones_move_the_filter_never_later_than_the_instant() {
    for (zone, value) in [
        ("W. Europe Standard Time", "2024-03-05T07%3A07%3A08"),
        ("Eastern Standard Time", "2024-03-05T01%3A07%3A08"),
        (
            "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi",
            "2024-03-05T11%3A37%3A08",
        ),
        // Unknown: the smallest offset there is (UTC-12).
        ("Somewhere Standard Time", "2024-03-04T18%3A07%3A08"),
    ] {
        let fake = mock::start().await;
        override_path(
            &fake,
            "/api/v3/account",
            ResponseTemplate::new(200).set_body_json(json!({"TimeZoneName": zone})),
        )
        .await;
        let atera = client(&fake);
        let _: Vec<_> = atera
            .companies(ListQuery::new().updated_since(probe()))
            .try_collect()
            .await
            .unwrap();
        let urls = sent(&fake, 1).await;
        assert!(
            urls[0].contains(&format!("FromLastModifiedDate={value}&")),
            "{zone}: {urls:?}"
        );
    }
}

#[tokio::test]
async fn an_account_that_cannot_be_read_gives_the_widest_margin() {
    let fake = mock::start().await;
    override_path(&fake, "/api/v3/account", ResponseTemplate::new(403)).await;
    let atera = client(&fake);
    let _: Vec<_> = atera
        .companies(ListQuery::new().updated_since(probe()))
        .try_collect()
        .await
        .unwrap();
    assert!(sent(&fake, 1).await[0].contains("FromLastModifiedDate=2024-03-04T18%3A07%3A08"));
}

#[tokio::test]
async fn items_the_server_should_have_dropped_are_dropped_again() {
    // A server that ignores the filter: the client checks LastModified.
    let fake = mock::start().await;
    override_path(
        &fake,
        "/api/v3/customers",
        ResponseTemplate::new(200).set_body_json(json!({
            "items": [
                {"CustomerID": 3, "CustomerName": "Acme Dental", "LastModified": "2024-05-30T16:02:11"},
                {"CustomerID": 7, "CustomerName": "Bramble & Co", "LastModified": "2024-01-12T11:00:00"},
                {"CustomerID": 9, "CustomerName": "No date", "LastModified": null}
            ],
            "page": 1, "itemsInPage": 50, "totalItemCount": 3, "totalPages": 1,
            "prevLink": "", "nextLink": ""
        })),
    )
    .await;
    let atera = client(&fake);
    let ids: Vec<String> = atera
        .companies(ListQuery::new().updated_since(probe()))
        .map_ok(|c| c.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["3", "9"]);
}

#[tokio::test]
async fn tickets_since_use_lastmodified_with_a_utc_date() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let tickets: Vec<_> = atera
        .tickets(TicketQuery::new().updated_since(probe()).company("3"))
        .try_collect()
        .await
        .unwrap();
    assert!(!tickets.is_empty());
    assert!(
        tickets
            .iter()
            .all(|t| t.updated_at.unwrap() >= probe() && t.company_id == Some(Id::from("3")))
    );
    assert_eq!(
        sent(&fake, 0).await[0],
        "GET /api/v3/tickets/lastmodified?page=1&date=2024-03-05T06%3A07%3A08Z&includeComments=true&itemsInPage=50"
    );
}

// ---- PSA requests ------------------------------------------------------------

#[tokio::test]
async fn psa_lists_and_reads_send_the_documented_requests() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let companies: Vec<_> = atera
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(companies.len(), 8);
    let c = atera.company(&Id::from("3")).await.unwrap();
    assert_eq!(c.name, "Acme Dental");
    let contacts: Vec<_> = atera
        .contacts(ListQuery::new().company("7"))
        .try_collect()
        .await
        .unwrap();
    assert!(!contacts.is_empty());
    assert!(contacts.iter().all(|c| c.company_id == Some(Id::from("7"))));
    let open: Vec<_> = atera
        .tickets(TicketQuery::new().company("3").open())
        .try_collect()
        .await
        .unwrap();
    assert!(open.iter().all(|t| !t.status.state.is_closed()));
    let t = atera.ticket(&Id::from("5001")).await.unwrap();
    assert_eq!(t.id, Id::from("5001"));
    let agreements: Vec<_> = atera
        .agreements(ListQuery::new().company("3"))
        .try_collect()
        .await
        .unwrap();
    assert!(
        agreements
            .iter()
            .all(|a| a.company_id == Some(Id::from("3")))
    );
    let notes: Vec<_> = atera
        .ticket_notes(&Id::from("5001"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 4);
    assert_eq!(
        sent(&fake, 0).await,
        [
            "GET /api/v3/customers?page=1&itemsInPage=50",
            "GET /api/v3/customers/3",
            "GET /api/v3/contacts?page=1&itemsInPage=50",
            "GET /api/v3/tickets?page=1&customerId=3&itemsInPage=50",
            "GET /api/v3/tickets/5001",
            "GET /api/v3/contracts/customer/3?page=1&itemsInPage=50",
            "GET /api/v3/tickets/5001/comments?page=1&itemsInPage=50",
        ]
    );
}

#[tokio::test]
async fn create_ticket_posts_the_model_and_reads_the_new_ticket_back() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let t = atera
        .create_ticket(
            NewTicket::new("Printer jammed")
                .description("Paper stuck in tray 2")
                .contact("200")
                .priority("High")
                .extra("TicketType", "Incident"),
        )
        .await
        .unwrap();
    assert_eq!(t.summary, "Printer jammed");
    assert_eq!(t.description.as_deref(), Some("Paper stuck in tray 2"));
    assert_eq!(t.company_id, Some(Id::from("3")));
    assert_eq!(t.priority.unwrap().label.as_deref(), Some("High"));
    let reqs = received(&fake.server).await;
    assert_eq!(reqs[0].method.as_str(), "POST");
    assert_eq!(reqs[0].url.path(), "/api/v3/tickets");
    assert_eq!(
        json_body(&reqs[0]),
        json!({"TicketTitle": "Printer jammed", "Description": "Paper stuck in tray 2",
               "EndUserID": 200, "TicketPriority": "High", "TicketType": "Incident"})
    );
    assert_eq!(reqs[1].url.path(), format!("/api/v3/tickets/{}", t.id));

    // A company alone cannot place a ticket: refused before sending.
    let e = atera
        .create_ticket(NewTicket::new("x").company("3"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert!(e.to_string().contains("contact_id"), "{e}");
    assert_eq!(received(&fake.server).await.len(), 2);

    // Atera's own validation comes back as problem details.
    let e = atera
        .create_ticket(NewTicket::new("x").contact("200").priority("Urgent"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.message(), Some("One or more validation errors occurred."));
    assert_eq!(
        e.details(),
        ["TicketPriority: The value 'Urgent' is not valid."]
    );
}

#[tokio::test]
async fn update_ticket_puts_only_what_changes_and_maps_states_to_built_in_statuses() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let t = atera
        .update_ticket(
            &Id::from("5002"),
            TicketUpdate::new()
                .summary("Laptop ready")
                .state(TicketState::Closed)
                .priority("Low"),
        )
        .await
        .unwrap();
    assert_eq!(t.summary, "Laptop ready");
    assert_eq!(t.status.state, TicketState::Closed);
    assert_eq!(t.status.label.as_deref(), Some("Closed"));
    assert!(t.closed_at.is_some());
    let reqs = received(&fake.server).await;
    assert_eq!(reqs[0].method.as_str(), "PUT");
    assert_eq!(reqs[0].url.path(), "/api/v3/tickets/5002");
    assert_eq!(
        json_body(&reqs[0]),
        json!({"TicketTitle": "Laptop ready", "TicketStatus": "Closed", "TicketPriority": "Low"})
    );
    // A state Atera has no built-in status for, and a description: refused.
    for u in [
        TicketUpdate::new().state(TicketState::InProgress),
        TicketUpdate::new().description("x"),
        TicketUpdate::new(),
    ] {
        let e = atera.update_ticket(&Id::from("5002"), u).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
        assert_eq!(e.target(), Some("5002"));
    }
    assert_eq!(received(&fake.server).await.len(), 2);
    let e = atera
        .update_ticket(&Id::from("999999"), TicketUpdate::new().summary("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        e.to_string(),
        "atera update_ticket 999999: not found: Ticket 999999 was not found"
    );
}

#[tokio::test]
async fn notes_are_posted_as_the_assigned_technician_or_the_named_author() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let note = atera
        .add_ticket_note(&Id::from("5001"), NewNote::internal("Reset the MFA method"))
        .await
        .unwrap();
    assert!(note.internal);
    let reqs = received(&fake.server).await;
    assert_eq!(reqs[0].url.path(), "/api/v3/tickets/5001");
    assert_eq!(reqs[1].method.as_str(), "POST");
    assert_eq!(reqs[1].url.path(), "/api/v3/tickets/5001/comments");
    let b = json_body(&reqs[1]);
    assert_eq!(b["CommentText"], "Reset the MFA method");
    assert_eq!(
        b["TechnicianCommentDetails"],
        json!({"TechnicianId": 12, "IsInternal": true})
    );
    assert!(b["CommentTimestampUTC"].as_str().unwrap().ends_with('Z'));
    // The note comes back in the list under the same id.
    let notes: Vec<_> = atera
        .ticket_notes(&Id::from("5001"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(notes.len(), 5);
    assert_eq!(notes[4].id, note.id);
    assert!(notes[4].internal);

    // A contact's public comment.
    atera
        .add_ticket_note(
            &Id::from("5001"),
            NewNote::new("It works now").extra("EnduserId", 200),
        )
        .await
        .unwrap();
    let reqs = received(&fake.server).await;
    let b = json_body(reqs.last().unwrap());
    assert_eq!(b["EnduserCommentDetails"], json!({"EnduserId": 200}));
    assert!(b.get("EnduserId").is_none() && b.get("TechnicianCommentDetails").is_none());

    // No technician on the ticket and none named: refused.
    let e = atera
        .add_ticket_note(&Id::from("5005"), NewNote::new("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert!(e.to_string().contains("TechnicianId"), "{e}");
}

// ---- paging guards -------------------------------------------------------------

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let fake = mock::start().await;
    override_path(
        &fake,
        "/api/v3/contracts",
        ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"ContractID": 700, "CustomerID": 3, "ContractName": "Managed IT support 2023", "Active": true}],
            "page": 1, "itemsInPage": 1, "totalItemCount": 2, "totalPages": 2, "prevLink": "",
            "nextLink": "https://elsewhere.example/api/v3/contracts?page=2&itemsInPage=1"
        })),
    )
    .await;
    let atera = client(&fake);
    let e = atera
        .agreements(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Paging);
    assert_eq!(received(&fake.server).await.len(), 1);
}

#[tokio::test]
async fn a_list_shorter_than_its_total_is_an_error() {
    let fake = mock::start().await;
    override_path(
        &fake,
        "/api/v3/contracts",
        ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"ContractID": 700, "CustomerID": 3, "ContractName": "Managed IT support 2023", "Active": true}],
            "page": 1, "itemsInPage": 50, "totalItemCount": 9, "totalPages": 1, "prevLink": "", "nextLink": ""
        })),
    )
    .await;
    let atera = client(&fake);
    let e = atera
        .agreements(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Paging);
    assert!(e.to_string().contains("reported 9 items but sent 1"), "{e}");
}

#[tokio::test]
async fn a_body_without_items_is_a_decode_error() {
    let fake = mock::start().await;
    override_path(
        &fake,
        "/api/v3/customers",
        ResponseTemplate::new(200).set_body_json(json!({"Message": "An error has occurred."})),
    )
    .await;
    let atera = client(&fake);
    let e = atera
        .organizations(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

// ---- errors ----------------------------------------------------------------------

#[tokio::test]
async fn statuses_map_to_kinds_with_atera_bodies() {
    let cases: [(u16, &str, ErrorKind); 5] = [
        (403, "", ErrorKind::Forbidden),
        (
            404,
            r#"{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.4","title":"Not Found","status":404,"detail":"Customer 3 was not found","instance":null}"#,
            ErrorKind::NotFound,
        ),
        (
            409,
            r#"{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.8","title":"Conflict","status":409,"detail":"The customer was changed by someone else","instance":null}"#,
            ErrorKind::Api,
        ),
        (429, "", ErrorKind::RateLimited),
        (
            503,
            "<html><body>Service Unavailable</body></html>",
            ErrorKind::Server,
        ),
    ];
    for (status, text, kind) in cases {
        let fake = mock::start().await;
        override_path(
            &fake,
            "/api/v3/customers/3",
            ResponseTemplate::new(status)
                .set_body_raw(text.as_bytes().to_vec(), "application/problem+json")
                .insert_header("Retry-After", "600"),
        )
        .await;
        let atera = client(&fake);
        let e = atera.company(&Id::from("3")).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{status}: {e}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.target(), Some("3"));
        match status {
            403 => assert!(e.to_string().contains("lacks the permission"), "{e}"),
            // A first call that gets 404 also says what to check.
            404 => {
                assert_eq!(e.message(), Some("Customer 3 was not found"));
                assert!(
                    e.to_string().starts_with(
                        "atera company 3: not found: Customer 3 was not found; check: "
                    ),
                    "{e}"
                );
                assert!(e.hint().is_some_and(|h| h.contains("base_url")), "{e}");
            }
            409 => assert_eq!(
                e.message(),
                Some("The customer was changed by someone else")
            ),
            // A wait longer than the policy allows is handed back at once.
            429 => assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(600))),
            _ => assert_eq!(received(&fake.server).await.len(), 3),
        }
    }
}

#[tokio::test]
async fn a_429_is_waited_out() {
    let fake = mock::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/customers/3"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .with_priority(1)
        .up_to_n_times(1)
        .mount(&fake.server)
        .await;
    let atera = AteraClient::from_settings_with(
        &fake.settings,
        ClientOptions::new().retry(RetryPolicy::new().max_attempts(3)),
    )
    .unwrap();
    let started = std::time::Instant::now();
    assert_eq!(
        atera.company(&Id::from("3")).await.unwrap().name,
        "Acme Dental"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_decode_errors() {
    for text in [
        "{this is not json",
        r#"{"items":[{"AgentID":118,"MachineName":"ACME-RE"#,
        r#"{"items":[{"AgentID":"one-eighteen"}],"page":1,"itemsInPage":50,"totalItemCount":1,"totalPages":1,"nextLink":""}"#,
    ] {
        let fake = mock::start().await;
        override_path(
            &fake,
            "/api/v3/agents",
            ResponseTemplate::new(200).set_body_raw(text.as_bytes().to_vec(), "application/json"),
        )
        .await;
        let atera = client(&fake);
        let e = atera
            .devices(DeviceQuery::new())
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{text}: {e}");
        if text.contains("one-eighteen") {
            assert!(e.to_string().contains("AgentID"), "{e}");
        }
    }
}

#[tokio::test]
async fn a_wrong_method_gets_atera_405() {
    let fake = mock::start().await;
    let atera = client(&fake);
    let e = atera
        .http()
        .delete("custom", "contacts")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(405));
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
        (401, ErrorKind::Unauthorized, "allow-list"),
        (403, ErrorKind::Forbidden, "permissions"),
        (404, ErrorKind::NotFound, "base_url"),
    ] {
        let fake = mspkit_atera::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = AteraClient::from_settings_with(
            &fake.settings,
            mspkit_core::ClientOptions::new().retry(mspkit_testkit::fast_retry()),
        )
        .unwrap();
        let e = RmmClient::test_connection(&c).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        let hint = e.hint().unwrap_or_default();
        assert!(hint.contains(what), "{status}: {e}");
        assert!(e.to_string().ends_with(&format!("; check: {hint}")), "{e}");
    }
}

/// The settings' JSON the trust checks start from: the fake's, without
/// trust settings.
fn trust_base(fake: &mspkit_testkit::FakeServer<AteraSettings>) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "api_key": mock::API_KEY,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_atera::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: AteraSettings| async move {
        AteraClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        PsaClient::test_connection(&AteraClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_atera::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: AteraSettings| {
        AteraClient::from_settings(&s).map(drop)
    });
}
