//! Mapping of the provider notes' sample payloads, field by field.
//!
//! 7.1 and 7.2 are verbatim copies of third-party test fixtures that follow
//! real responses; 7.3 and 7.4 (department, requester) are the notes'
//! synthesized samples. The workspace, conversation and contract samples
//! follow the field lists of the notes and of public clients (inferred).

// Tests panic by design: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    Id, ListQuery, NewTicket, PriorityLevel, Provider, PsaClient, TicketQuery, TicketState,
};
use mspkit_freshservice::{CompanySource, FreshserviceClient};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIST_TICKETS: &str = r#"{
  "tickets": [
    {
      "subject": "Example Ticket",
      "group_id": 123456789,
      "department_id": 987654321,
      "category": "Hardware",
      "sub_category": "Computer",
      "item_category": "PC",
      "requester_id": 987654321,
      "responder_id": 123456789,
      "due_by": "2022-12-20T12:00:00Z",
      "fr_escalated": false,
      "deleted": false,
      "spam": false,
      "email_config_id": null,
      "fwd_emails": [],
      "reply_cc_emails": [],
      "cc_emails": [],
      "is_escalated": false,
      "fr_due_by": "2022-12-15T12:00:00Z",
      "id": 16,
      "priority": 2,
      "status": 2,
      "source": 4,
      "created_at": "2022-11-23T11:55:41Z",
      "updated_at": "2022-11-24T12:04:00Z",
      "requested_for_id": 987654321,
      "to_emails": null,
      "type": "Incident",
      "description": "Example description",
      "description_text": "Example description",
      "custom_fields": {
        "test_field": "example value"
      }
    },
    {
      "subject": "Example ticket 2",
      "group_id": 123459876,
      "department_id": 987651234,
      "category": "Software",
      "sub_category": "Windows",
      "item_category": null,
      "requester_id": 123456789,
      "responder_id": 112233445,
      "due_by": "2022-12-24T16:00:00Z",
      "fr_escalated": true,
      "deleted": false,
      "spam": false,
      "email_config_id": null,
      "fwd_emails": [],
      "reply_cc_emails": [],
      "cc_emails": [
        "user@example.com"
      ],
      "is_escalated": false,
      "fr_due_by": "2022-11-23T17:00:00Z",
      "id": 15,
      "priority": 3,
      "status": 2,
      "source": 4,
      "created_at": "2022-11-23T11:41:12Z",
      "updated_at": "2022-11-23T11:41:12Z",
      "requested_for_id": 123456789,
      "to_emails": null,
      "type": "Incident",
      "description": "<div>example description</div>",
      "description_text": "example description",
      "custom_fields": {
        "test_field": "Test"
      }
    }
  ]
}"#;

const CREATE_TICKET: &str = r#"{
  "ticket": {
    "cc_emails": [],
    "fwd_emails": [],
    "reply_cc_emails": [],
    "fr_escalated": false,
    "spam": false,
    "email_config_id": null,
    "group_id": null,
    "priority": 1,
    "requester_id": 987654321,
    "requested_for_id": 987654321,
    "responder_id": null,
    "source": 2,
    "status": 2,
    "subject": "New Ticket",
    "to_emails": null,
    "department_id": null,
    "id": 1,
    "type": "Incident",
    "due_by": "2022-12-06T14:16:40Z",
    "fr_due_by": "2022-11-28T20:16:40Z",
    "is_escalated": false,
    "description": "<div>Example description</div>",
    "description_text": "Example description",
    "category": null,
    "sub_category": null,
    "item_category": null,
    "custom_fields": {
      "test_field": null
    },
    "created_at": "2022-11-24T14:16:40Z",
    "updated_at": "2022-11-24T14:16:40Z",
    "tags": [],
    "attachments": []
  }
}"#;

const DEPARTMENTS: &str = r#"{"departments":[{"id":17000123456,"name":"Finance","description":"Finance and payroll","head_user_id":17000987654,"prime_user_id":null,"domains":["finance.acme.example"],"custom_fields":{},"created_at":"2024-02-01T10:00:00Z","updated_at":"2024-05-06T08:30:00Z"}]}"#;

const REQUESTER: &str = r#"{"id":17000555000,"first_name":"Dana","last_name":"Reyes","job_title":"Accountant","primary_email":"dana.reyes@acme.example","secondary_emails":[],"work_phone_number":"+1 555 0100","mobile_phone_number":null,"department_ids":[17000123456],"can_see_all_tickets_from_associated_departments":false,"reporting_manager_id":null,"address":null,"time_zone":"Eastern Time (US & Canada)","language":"en","location_id":null,"background_information":null,"custom_fields":{},"active":true,"has_logged_in":true,"external_id":null,"created_at":"2024-02-01T10:05:00Z","updated_at":"2024-05-06T08:31:00Z"}"#;

fn utc(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().to_utc())
}

async fn serve(route: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path(format!("/api/v2/{route}")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, source: CompanySource) -> FreshserviceClient {
    FreshserviceClient::builder()
        .base_url(server.uri())
        .api_key("k")
        .company_source(source)
        .allow_insecure_http()
        .keep_raw(true)
        .rate_limit(None)
        .build()
        .unwrap()
}

#[tokio::test]
async fn list_tickets_sample() {
    let server = serve("tickets", LIST_TICKETS).await;
    let c = client(&server, CompanySource::Departments);
    let tickets: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
    assert_eq!(tickets.len(), 2);
    let t = &tickets[0];
    assert_eq!(t.provider, Provider::Freshservice);
    assert_eq!(t.id, Id::from("16"));
    assert_eq!(t.number.as_deref(), Some("16"));
    assert_eq!(t.summary, "Example Ticket");
    assert_eq!(t.description.as_deref(), Some("Example description"));
    assert_eq!(t.status.state, TicketState::Open);
    assert_eq!(t.status.label.as_deref(), Some("Open"));
    assert_eq!(t.status.id, Some(Id::from("2")));
    let p = t.priority.as_ref().unwrap();
    assert_eq!(
        (p.level, p.label.as_deref(), p.id.clone()),
        (PriorityLevel::Medium, Some("Medium"), Some(Id::from("2")))
    );
    assert_eq!(t.company_id, Some(Id::from("987654321")));
    assert_eq!(t.contact_id, Some(Id::from("987654321")));
    assert_eq!(t.assignee.as_deref(), Some("123456789"));
    assert_eq!(t.created_at, utc("2022-11-23T11:55:41Z"));
    assert_eq!(t.updated_at, utc("2022-11-24T12:04:00Z"));
    assert_eq!(t.closed_at, None);
    let raw: Value = serde_json::from_str(LIST_TICKETS).unwrap();
    assert_eq!(t.raw.as_ref(), Some(&raw["tickets"][0]));

    let t = &tickets[1];
    assert_eq!(t.id, Id::from("15"));
    assert_eq!(t.description.as_deref(), Some("example description"));
    assert_eq!(t.priority.as_ref().unwrap().level, PriorityLevel::High);
    assert_eq!(t.company_id, Some(Id::from("987651234")));
    assert_eq!(t.contact_id, Some(Id::from("123456789")));
    assert_eq!(t.assignee.as_deref(), Some("112233445"));

    // A workspaces client takes the company from `workspace_id`, which
    // this sample (an account without workspaces) does not carry.
    let msp = client(&server, CompanySource::Workspaces);
    let t = msp
        .tickets(TicketQuery::new().company("1"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert!(t.is_empty(), "no ticket of the sample names workspace 1");
}

#[tokio::test]
async fn create_ticket_sample() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(CREATE_TICKET, "application/json"))
        .mount(&server)
        .await;
    let t = client(&server, CompanySource::Departments)
        .create_ticket(NewTicket::new("New Ticket").contact("987654321"))
        .await
        .unwrap();
    assert_eq!(t.id, Id::from("1"));
    assert_eq!(t.number.as_deref(), Some("1"));
    assert_eq!(t.summary, "New Ticket");
    assert_eq!(t.description.as_deref(), Some("Example description"));
    assert_eq!(
        (t.status.state, t.status.label.as_deref()),
        (TicketState::Open, Some("Open"))
    );
    let p = t.priority.unwrap();
    assert_eq!(
        (p.level, p.label.as_deref()),
        (PriorityLevel::Low, Some("Low"))
    );
    assert_eq!(t.company_id, None);
    assert_eq!(t.contact_id, Some(Id::from("987654321")));
    assert_eq!(t.assignee, None);
    assert_eq!(t.created_at, utc("2022-11-24T14:16:40Z"));
    assert_eq!(t.updated_at, utc("2022-11-24T14:16:40Z"));
    assert_eq!(t.closed_at, None);
    let raw: Value = serde_json::from_str(CREATE_TICKET).unwrap();
    assert_eq!(t.raw, Some(raw["ticket"].clone()));
}

#[tokio::test]
async fn department_sample() {
    let server = serve("departments", DEPARTMENTS).await;
    let companies: Vec<_> = client(&server, CompanySource::Departments)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &companies[0];
    assert_eq!(c.id, Id::from("17000123456"));
    assert_eq!(c.name, "Finance");
    assert_eq!(c.identifier, None);
    assert_eq!(c.phone, None);
    assert_eq!(c.website, None);
    assert_eq!(c.address, None);
    assert_eq!(c.active, None, "departments carry no active flag");
    assert_eq!(c.created_at, utc("2024-02-01T10:00:00Z"));
    assert_eq!(c.updated_at, utc("2024-05-06T08:30:00Z"));
    assert_eq!(
        c.raw.as_ref().unwrap()["domains"],
        json!(["finance.acme.example"])
    );
}

#[tokio::test]
async fn requester_sample() {
    let body = format!(r#"{{"requesters":[{REQUESTER}]}}"#);
    let server = serve("requesters", &body).await;
    let contacts: Vec<_> = client(&server, CompanySource::Departments)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &contacts[0];
    assert_eq!(c.id, Id::from("17000555000"));
    assert_eq!(c.company_id, Some(Id::from("17000123456")));
    assert_eq!(c.first_name.as_deref(), Some("Dana"));
    assert_eq!(c.last_name.as_deref(), Some("Reyes"));
    assert_eq!(c.email.as_deref(), Some("dana.reyes@acme.example"));
    assert_eq!(c.phone.as_deref(), Some("+1 555 0100"));
    assert_eq!(c.title.as_deref(), Some("Accountant"));
    assert_eq!(c.active, Some(true));
    assert_eq!(c.created_at, utc("2024-02-01T10:05:00Z"));
    assert_eq!(c.updated_at, utc("2024-05-06T08:31:00Z"));
    assert_eq!(c.raw, Some(serde_json::from_str(REQUESTER).unwrap()));

    // A mobile number stands in for a missing work number.
    let mobile = REQUESTER
        .replace(
            r#""work_phone_number":"+1 555 0100""#,
            r#""work_phone_number":null"#,
        )
        .replace(
            r#""mobile_phone_number":null"#,
            r#""mobile_phone_number":"+1 555 0199""#,
        );
    let server = serve("requesters", &format!(r#"{{"requesters":[{mobile}]}}"#)).await;
    let c: Vec<_> = client(&server, CompanySource::Departments)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(c[0].phone.as_deref(), Some("+1 555 0199"));
}

#[tokio::test]
async fn workspace_sample() {
    let body = r#"{"workspace":{"id":2,"name":"Acme Corporation","description":"Client since 2021","primary":false,"restricted":false,"state":"active","template_name":"IT","created_at":"2023-09-21T12:00:00Z","updated_at":"2024-02-25T09:15:00Z"}}"#;
    let server = serve("workspaces/2", body).await;
    let c = client(&server, CompanySource::Workspaces)
        .company(&Id::from("2"))
        .await
        .unwrap();
    assert_eq!(c.id, Id::from("2"));
    assert_eq!(c.name, "Acme Corporation");
    assert_eq!(c.active, Some(true));
    assert_eq!(
        (
            c.identifier.clone(),
            c.phone.clone(),
            c.website.clone(),
            c.address.clone()
        ),
        (None, None, None, None)
    );
    assert_eq!(c.created_at, utc("2023-09-21T12:00:00Z"));
    assert_eq!(c.updated_at, utc("2024-02-25T09:15:00Z"));
}

#[tokio::test]
async fn conversation_sample() {
    let body = r#"{"conversations":[
        {"id":17001000001,"user_id":17000555000,"to_emails":[],"from_email":"dana.reyes@acme.example","cc_emails":[],"bcc_emails":[],"body":"<div>It shows a black screen.</div>","body_text":"It shows a black screen.","ticket_id":101,"incoming":true,"private":false,"source":0,"support_email":null,"attachments":[],"created_at":"2023-12-01T11:00:00Z","updated_at":"2023-12-01T11:00:00Z"},
        {"id":17001000002,"user_id":17000000101,"body":"<div>Rolling back.</div>","body_text":null,"ticket_id":101,"incoming":false,"private":true,"source":2,"attachments":[],"created_at":"2023-12-01T16:00:00Z","updated_at":"2023-12-01T16:00:00Z"}
    ]}"#;
    let server = serve("tickets/101/conversations", body).await;
    let notes: Vec<_> = client(&server, CompanySource::Departments)
        .ticket_notes(&Id::from("101"))
        .try_collect()
        .await
        .unwrap();
    let n = &notes[0];
    assert_eq!(n.id, Id::from("17001000001"));
    assert_eq!(n.ticket_id, Id::from("101"));
    assert_eq!(n.text, "It shows a black screen.");
    assert!(!n.internal);
    assert_eq!(n.author.as_deref(), Some("dana.reyes@acme.example"));
    assert_eq!(n.created_at, utc("2023-12-01T11:00:00Z"));
    let n = &notes[1];
    assert!(n.internal);
    assert_eq!(
        n.text, "<div>Rolling back.</div>",
        "the HTML body when there is no text"
    );
    assert_eq!(n.author.as_deref(), Some("17000000101"));
}

#[tokio::test]
async fn contract_sample() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/contracts"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"contracts":[{"id":3,"name":"Microsoft 365 E3","description":null,"vendor_id":17000321002,"auto_renew":true,"notify_expiry":true,"notify_before":30,"approver_id":17000000101,"start_date":"2023-07-01T00:00:00Z","end_date":"2025-06-30T00:00:00Z","cost":1700.0,"status":"active","contract_number":"CTR-1003","contract_type_id":3,"visible_to_id":null,"notify_to":["it-admins@acme.example"],"expiry_notified":false,"requester_id":null,"delegatee_id":null,"software_id":null,"license_type":null,"billing_cycle":"annual","license_key":null,"created_at":"2023-05-06T09:00:00Z","updated_at":"2024-03-26T09:00:00Z"},
                {"id":4,"name":"Laptop warranty extension","status":"expired","contract_type_id":9,"start_date":"2021-03-01","end_date":"2024-02-29","updated_at":"2024-05-05T09:00:00Z"}]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/contract_types"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"contract_types": [
            {"id": 3, "name": "Software License", "description": "Software License contracts", "needs_approval": false, "is_default": true}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let agreements: Vec<_> = client(&server, CompanySource::Departments)
        .agreements(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let a = &agreements[0];
    assert_eq!(a.id, Id::from("3"));
    assert_eq!(a.name, "Microsoft 365 E3");
    assert_eq!(a.kind.as_deref(), Some("Software License"));
    assert_eq!(a.company_id, None, "contracts belong to no department");
    assert_eq!(a.starts_on, NaiveDate::from_ymd_opt(2023, 7, 1));
    assert_eq!(a.ends_on, NaiveDate::from_ymd_opt(2025, 6, 30));
    assert_eq!(a.active, Some(true));
    let b = &agreements[1];
    assert_eq!(b.kind, None, "a type the tenant does not list");
    assert_eq!(b.active, Some(false));
    assert_eq!(b.ends_on, NaiveDate::from_ymd_opt(2024, 2, 29));
}

#[tokio::test]
async fn custom_status_labels_come_from_the_ticket_form() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/tickets/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ticket": {
            "id": 7, "subject": "Waiting on the carrier", "status": 8, "priority": 9,
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-02T00:00:00Z"}})))
        .mount(&server)
        .await;
    // The choices' shape is inferred: objects, pairs and maps are all read.
    Mock::given(path("/api/v2/ticket_form_fields"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"ticket_fields": [
                {"name": "status", "choices": [{"id": 2, "value": "Open"}, ["Awaiting Carrier", 8]]}
            ]})),
        )
        .mount(&server)
        .await;
    let t = client(&server, CompanySource::Departments)
        .ticket(&Id::from("7"))
        .await
        .unwrap();
    assert_eq!(
        t.status.state,
        TicketState::Other,
        "never guessed from the label"
    );
    assert_eq!(t.status.label.as_deref(), Some("Awaiting Carrier"));
    assert_eq!(t.status.id, Some(Id::from("8")));
    let p = t.priority.unwrap();
    assert_eq!(
        (p.level, p.label, p.id),
        (PriorityLevel::Other, None, Some(Id::from("9")))
    );
}
