//! Mapping on the samples of the provider notes (§7: the token answer, the
//! ticket list, the account, the in-body error) and on payloads shaped
//! field for field after the official spec's DTOs (contacts, contracts,
//! notes), read through the client from a fake answering with them.
//! Every normalized field is checked.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    Agreement, Company, Contact, ErrorKind, Id, ListQuery, NewTicket, PriorityLevel, PsaClient,
    Ticket, TicketNote, TicketQuery, TicketState,
};
use mspkit_kaseya_bms::{KaseyaBmsClient, KaseyaBmsClientBuilder, KaseyaBmsSettings, mock};
use mspkit_testkit::{FakeServer, received_at};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn utc(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().to_utc())
}

/// §7.3: the ticket list, as the notes give it.
fn ticket_list_sample() -> Value {
    json!({
      "success": true,
      "error": null,
      "totalRecords": 1,
      "result": [
        {
          "id": 10452,
          "ticketNumber": "T20240115.0007",
          "title": "Printer offline",
          "details": "Front desk printer shows offline",
          "accountId": 312,
          "accountCode": "ACME",
          "accountName": "Acme Corp",
          "locationId": 415,
          "locationName": "Main Office",
          "contactId": 2201,
          "contactName": "Jane Doe",
          "statusId": 1,
          "statusName": "New",
          "priorityId": 2,
          "priorityName": "Medium",
          "queueId": 3,
          "queueName": "Service Desk",
          "assigneeId": null,
          "assigneeName": null,
          "openDate": "2024-01-15T09:12:00",
          "dueDate": null,
          "completedDate": null,
          "createdOn": "2024-01-15T09:12:31",
          "modifiedOn": "2024-01-15T09:12:31",
          "isScheduled": 0
        }
      ]
    })
}

/// §7.4: one account, as the notes give it.
fn account_sample() -> Value {
    json!({
      "id": 312,
      "accountCode": "ACME",
      "accountName": "Acme Corp",
      "accountTypeId": 1,
      "accountType": "Customer",
      "website": "https://acme.example",
      "isActive": true,
      "isBilling": true,
      "createdOn": "2021-03-02T10:00:00",
      "modifiedOn": "2024-01-10T16:45:00",
      "locations": [
        { "id": 415, "locationName": "Main Office", "isMain": true, "isActive": true, "addresses": [] }
      ]
    })
}

/// A fake BMS with `body` answering `GET {at}` over its own route.
async fn serving(at: &str, body: Value) -> FakeServer<KaseyaBmsSettings> {
    let fake = mock::start().await;
    Mock::given(method("GET"))
        .and(path(at.to_owned()))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    fake
}

fn client(fake: &FakeServer<KaseyaBmsSettings>) -> KaseyaBmsClient {
    KaseyaBmsClient::from_settings(&fake.settings).unwrap()
}

#[tokio::test]
async fn the_notes_ticket_sample_maps_field_by_field() {
    let fake = serving("/v2/servicedesk/tickets", ticket_list_sample()).await;
    let c = KaseyaBmsClientBuilder::from_settings(&fake.settings)
        .keep_raw(true)
        .build()
        .unwrap();
    let tickets: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
    assert_eq!(tickets.len(), 1);
    let t = &tickets[0];
    assert_eq!(t.id, Id::from(10452u64));
    assert_eq!(t.number.as_deref(), Some("T20240115.0007"));
    assert_eq!(t.summary, "Printer offline");
    assert_eq!(
        t.description.as_deref(),
        Some("Front desk printer shows offline")
    );
    assert_eq!(t.status.state, TicketState::New);
    assert_eq!(t.status.label.as_deref(), Some("New"));
    assert_eq!(t.status.id, Some(Id::from(1u64)));
    let p = t.priority.as_ref().unwrap();
    assert_eq!(p.level, PriorityLevel::Medium);
    assert_eq!(p.label.as_deref(), Some("Medium"));
    assert_eq!(p.id, Some(Id::from(2u64)));
    assert_eq!(t.company_id, Some(Id::from(312u64)));
    assert_eq!(t.contact_id, Some(Id::from(2201u64)));
    assert_eq!(t.assignee, None);
    assert_eq!(t.created_at, utc("2024-01-15T09:12:31Z"));
    assert_eq!(t.updated_at, utc("2024-01-15T09:12:31Z"));
    assert_eq!(t.closed_at, None);
    assert_eq!(t.raw.as_ref(), Some(&ticket_list_sample()["result"][0]));
}

#[tokio::test]
async fn offset_less_times_are_read_in_the_tenants_zone() {
    let fake = serving("/v2/servicedesk/tickets", ticket_list_sample()).await;
    let c = KaseyaBmsClientBuilder::from_settings(&fake.settings)
        .time_zone("+01:00")
        .build()
        .unwrap();
    let t = &c
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()[0];
    assert_eq!(t.created_at, utc("2024-01-15T08:12:31Z"));
}

#[tokio::test]
async fn the_specs_pascal_case_reads_the_same() {
    let pascal = json!({
        "Success": true, "Error": null, "TotalRecords": 1,
        "result": [{
            "Id": 10452, "TicketNumber": "T20240115.0007", "Title": "Printer offline",
            "Details": "Front desk printer shows offline", "AccountId": 312, "ContactId": 2201,
            "StatusId": 1, "StatusName": "New", "PriorityId": 2, "PriorityName": "Medium",
            "AssigneeId": 21, "AssigneeName": "Sam Patel", "OpenDate": "2024-01-15T09:12:00",
            "CreatedOn": "2024-01-15T09:12:31", "ModifiedOn": "2024-01-15T09:12:31",
            "LastActivityUpdate": "2024-01-16T08:00:00Z", "CompletedDate": null
        }]
    });
    let fake = serving("/v2/servicedesk/tickets", pascal).await;
    let t = &client(&fake)
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()[0];
    assert_eq!(t.number.as_deref(), Some("T20240115.0007"));
    assert_eq!(t.contact_id, Some(Id::from(2201u64)));
    assert_eq!(t.assignee.as_deref(), Some("Sam Patel"));
    // The later of the last activity and the last change.
    assert_eq!(t.updated_at, utc("2024-01-16T08:00:00Z"));
}

#[tokio::test]
async fn a_completed_ticket_is_closed_whatever_its_status_is_called() {
    let fake = serving(
        "/v2/servicedesk/tickets/10470",
        json!({"success": true, "error": null, "result": {
            "id": 10470, "ticketNumber": "T20240301.0002", "title": "Backup job failed overnight",
            "statusId": 2, "statusName": "Assigned", "priorityId": 4, "priorityName": "Critical",
            "assigneeId": 20, "assigneeName": null,
            "completedDate": "2024-03-02T16:45:00", "createdOn": "2024-03-01T07:00:00"
        }}),
    )
    .await;
    let t = client(&fake).ticket(&Id::from(10470u64)).await.unwrap();
    assert_eq!(t.status.state, TicketState::Closed);
    assert_eq!(t.status.label.as_deref(), Some("Assigned"));
    assert_eq!(t.closed_at, utc("2024-03-02T16:45:00Z"));
    assert_eq!(t.priority.unwrap().level, PriorityLevel::Critical);
    // No name: the assignee's id.
    assert_eq!(t.assignee.as_deref(), Some("20"));
}

#[tokio::test]
async fn the_notes_account_sample_maps_field_by_field() {
    let fake = serving("/v2/crm/accounts/summary/312", account_sample()).await;
    let c = KaseyaBmsClientBuilder::from_settings(&fake.settings)
        .keep_raw(true)
        .build()
        .unwrap();
    let a = c.company(&Id::from(312u64)).await.unwrap();
    assert_eq!(a.id, Id::from(312u64));
    assert_eq!(a.name, "Acme Corp");
    assert_eq!(a.identifier.as_deref(), Some("ACME"));
    assert_eq!(a.website.as_deref(), Some("https://acme.example"));
    assert_eq!(a.active, Some(true));
    // The main location has no address.
    assert_eq!(a.phone, None);
    assert_eq!(a.address, None);
    assert_eq!(a.created_at, utc("2021-03-02T10:00:00Z"));
    assert_eq!(a.updated_at, utc("2024-01-10T16:45:00Z"));
    assert_eq!(a.raw, Some(account_sample()));
}

#[tokio::test]
async fn an_accounts_address_and_phone_come_from_its_main_location() {
    let fake = mock::start().await;
    let all: Vec<_> = client(&fake)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let york = all.iter().find(|c| c.id == Id::from(318u64)).unwrap();
    assert_eq!(york.name, "York Dental Group");
    assert_eq!(york.phone.as_deref(), Some("+1 555 0114"));
    let addr = york.address.as_ref().unwrap();
    assert_eq!(addr.line1.as_deref(), Some("3 Minster Yard"));
    assert_eq!(addr.line2.as_deref(), Some("Suite 2"));
    assert_eq!(addr.city.as_deref(), Some("York"));
    assert_eq!(addr.region.as_deref(), Some("North Yorkshire"));
    assert_eq!(addr.postal_code.as_deref(), Some("YO1 7HH"));
    assert_eq!(addr.country.as_deref(), Some("United Kingdom"));
    let prospect = all.iter().find(|c| c.id == Id::from(340u64)).unwrap();
    assert_eq!(prospect.active, Some(false));
    assert_eq!(prospect.website, None, "a blank website is none");
}

#[tokio::test]
async fn contacts_take_their_default_email_and_phone() {
    let body = json!({"success": true, "error": null, "totalRecords": 2, "result": [
        {
            "id": 2201, "createdBy": 1, "createdOn": "2022-01-10T08:00:00", "modifiedBy": 1,
            "modifiedOn": "2024-03-01T08:30:00", "accountId": 312, "accountName": "Acme Corp",
            "locationId": 415, "locationName": "Main Office", "firstName": "Jane", "lastName": "Doe",
            "jobTitle": "Office Manager", "isPoc": true, "isActive": true, "effectiveDate": null,
            "isBillable": true, "canRecieveInvoices": false,
            "emails": [
                {"id": 1, "emailAddress": "jane@gmail.example", "emailTypeId": 2, "emailType": "Personal", "isDefault": false},
                {"id": 2, "emailAddress": "jane.doe@acme.example", "emailTypeId": 1, "emailType": "Work", "isDefault": true}
            ],
            "phones": [
                {"id": 3, "phone": "+1 555 0100", "phoneTypeId": 1, "phoneType": "Work", "isDefault": true}
            ]
        },
        {
            "id": 2205, "accountId": 318, "firstName": "Priya", "lastName": "Natarajan",
            "jobTitle": "", "isActive": false, "emails": null,
            "phones": [{"phone": " ", "isDefault": true}, {"phone": "+44 1904 555 010", "isDefault": false}]
        }
    ]});
    let fake = serving("/v2/crm/contacts/summary", body).await;
    let all: Vec<_> = client(&fake)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let jane = &all[0];
    assert_eq!(jane.id, Id::from(2201u64));
    assert_eq!(jane.company_id, Some(Id::from(312u64)));
    assert_eq!(jane.first_name.as_deref(), Some("Jane"));
    assert_eq!(jane.last_name.as_deref(), Some("Doe"));
    assert_eq!(jane.email.as_deref(), Some("jane.doe@acme.example"));
    assert_eq!(jane.phone.as_deref(), Some("+1 555 0100"));
    assert_eq!(jane.title.as_deref(), Some("Office Manager"));
    assert_eq!(jane.active, Some(true));
    assert_eq!(jane.created_at, utc("2022-01-10T08:00:00Z"));
    assert_eq!(jane.updated_at, utc("2024-03-01T08:30:00Z"));
    let priya = &all[1];
    assert_eq!(priya.email, None);
    assert_eq!(priya.phone.as_deref(), Some("+44 1904 555 010"));
    assert_eq!(priya.title, None);
    assert_eq!(priya.active, Some(false));
    assert_eq!(priya.created_at, None);
}

#[tokio::test]
async fn contracts_find_their_account_by_name() {
    let fake = mock::start().await;
    let all: Vec<_> = client(&fake)
        .agreements(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let msa = all.iter().find(|a| a.id == Id::from(901u64)).unwrap();
    assert_eq!(msa.name, "Managed Services 2024");
    assert_eq!(msa.company_id, Some(Id::from(312u64)));
    assert_eq!(msa.kind.as_deref(), Some("Recurring Service"));
    assert_eq!(msa.starts_on, NaiveDate::from_ymd_opt(2024, 1, 1));
    assert_eq!(msa.ends_on, NaiveDate::from_ymd_opt(2024, 12, 31));
    assert_eq!(msa.active, Some(true));
    let expired = all.iter().find(|a| a.id == Id::from(903u64)).unwrap();
    assert_eq!(expired.active, Some(false));
    // .NET's empty date is no end date.
    let open_ended = all.iter().find(|a| a.id == Id::from(904u64)).unwrap();
    assert_eq!(open_ended.ends_on, None);
    assert_eq!(open_ended.company_id, Some(Id::from(325u64)));
}

#[tokio::test]
async fn notes_map_field_by_field() {
    let fake = mock::start().await;
    let notes: Vec<_> = client(&fake)
        .ticket_notes(&Id::from(10452u64))
        .try_collect()
        .await
        .unwrap();
    let n = &notes[1];
    assert_eq!(n.id, Id::from(77002u64));
    assert_eq!(n.ticket_id, Id::from(10452u64));
    assert_eq!(n.text, "Power-cycled the printer; driver queue cleared.");
    assert!(n.internal);
    assert_eq!(n.author.as_deref(), Some("Jordan Reyes"));
    assert_eq!(n.created_at, utc("2024-01-15T09:40:00Z"));
    assert!(!notes[0].internal);
}

#[tokio::test]
async fn the_notes_token_sample_signs_the_calls() {
    // §7.2: its expiry lies in the past; the token is used until refused.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/security/authenticate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
          "success": true,
          "error": null,
          "result": {
            "accessToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.SYNTHESIZED",
            "refreshToken": "SYNTHESIZED-refresh-token",
            "accessTokenExpireOn": "2024-01-15T13:00:00Z",
            "refreshTokenExpireOn": "2024-01-22T12:00:00Z"
          }
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/system/statuses/lookup"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "error": null, "result": [
                {"id": 1, "name": "New", "fontColor": "#FFFFFF", "color": "#2F80ED", "statusOrder": 1,
                 "typeId": 1, "isSystemStatus": 1, "slaEventId": null, "isActive": true}
            ]
        })))
        .mount(&server)
        .await;
    let c = KaseyaBmsClient::builder()
        .base_url(server.uri())
        .tenant("Acme Corp")
        .username("api.user@acme.com")
        .password("p")
        .allow_insecure_http()
        .build()
        .unwrap();
    c.test_connection().await.unwrap();
    c.test_connection().await.unwrap();
    let sent = received_at(&server, "/v2/system/statuses/lookup").await;
    let auth: Vec<_> = sent
        .iter()
        .map(|r| r.headers.get("authorization").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(
        auth,
        ["Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.SYNTHESIZED"; 2]
    );
}

#[tokio::test]
async fn the_notes_error_sample_is_the_platforms_error() {
    // §7.5, answered with 200 to a create.
    let fake = mock::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/servicedesk/tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
          "success": false,
          "error": { "code": 400, "message": "Validation failed", "details": null, "stackStrace": null, "subErrors": ["LocationId is required"] },
          "result": null
        })))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let e = client(&fake)
        .create_ticket(NewTicket::new("Printer offline").company(312u64))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some("400"));
    assert_eq!(e.message(), Some("Validation failed"));
    assert_eq!(e.details(), ["LocationId is required"]);
    assert!(e.to_string().contains("Validation failed"), "{e}");
}

/// The spellings a key may come in: as BMS sends it (camelCase), as the
/// spec prints it (PascalCase), upper case, lower case, and camelCase with
/// `Id` written `ID` (`accountID`, `ID`).
const CASINGS: [&str; 5] = ["camel", "Pascal", "UPPER", "lower", "ID"];

fn recase(key: &str, casing: &str) -> String {
    match casing {
        "Pascal" => key[..1].to_ascii_uppercase() + &key[1..],
        "UPPER" => key.to_ascii_uppercase(),
        "lower" => key.to_ascii_lowercase(),
        "ID" if key == "id" => "ID".to_owned(),
        "ID" => key
            .strip_suffix("Id")
            .map_or_else(|| key.to_owned(), |k| format!("{k}ID")),
        _ => key.to_owned(),
    }
}

/// A record with every key recased, nested records' too; values as they are.
fn recased(v: &Value, casing: &str) -> Value {
    match v {
        Value::Object(map) => {
            let out: serde_json::Map<_, _> = map
                .iter()
                .map(|(k, v)| (recase(k, casing), recased(v, casing)))
                .collect();
            assert_eq!(out.len(), map.len(), "keys merged in {v}");
            Value::Object(out)
        }
        Value::Array(items) => items.iter().map(|i| recased(i, casing)).collect(),
        other => other.clone(),
    }
}

/// Everything the client lists, read with `keep_raw`.
#[derive(Debug, PartialEq)]
struct ReadBack {
    companies: Vec<Company>,
    contacts: Vec<Contact>,
    tickets: Vec<Ticket>,
    notes: Vec<TicketNote>,
    agreements: Vec<Agreement>,
}

async fn read_back(fake: &FakeServer<KaseyaBmsSettings>) -> ReadBack {
    let c = KaseyaBmsClientBuilder::from_settings(&fake.settings)
        .keep_raw(true)
        .build()
        .unwrap();
    ReadBack {
        companies: c.companies(ListQuery::new()).try_collect().await.unwrap(),
        contacts: c.contacts(ListQuery::new()).try_collect().await.unwrap(),
        tickets: c.tickets(TicketQuery::new()).try_collect().await.unwrap(),
        notes: c
            .ticket_notes(&Id::from(10452u64))
            .try_collect()
            .await
            .unwrap(),
        agreements: c.agreements(ListQuery::new()).try_collect().await.unwrap(),
    }
}

/// Each item's `raw`, taken out so the rest can be compared across casings.
fn raws<T>(items: &mut [T], raw: impl Fn(&mut T) -> &mut Option<Value>) -> Vec<Value> {
    items.iter_mut().map(|i| raw(i).take().unwrap()).collect()
}

/// The raw records of every list, keyed by the path that served them.
fn take_raws(r: &mut ReadBack) -> [(&'static str, Vec<Value>); 5] {
    [
        (
            "/v2/crm/accounts/summary",
            raws(&mut r.companies, |c| &mut c.raw),
        ),
        (
            "/v2/crm/contacts/summary",
            raws(&mut r.contacts, |c| &mut c.raw),
        ),
        (
            "/v2/servicedesk/tickets",
            raws(&mut r.tickets, |t| &mut t.raw),
        ),
        (
            "/v2/servicedesk/tickets/10452/notes",
            raws(&mut r.notes, |n| &mut n.raw),
        ),
        (
            "/v2/finance/contracts/summary",
            raws(&mut r.agreements, |a| &mut a.raw),
        ),
    ]
}

#[tokio::test]
async fn records_read_alike_in_every_casing() {
    let mut expected = read_back(&mock::start().await).await;
    let served = take_raws(&mut expected);
    assert!(served.iter().all(|(_, records)| !records.is_empty()));
    for casing in CASINGS {
        let fake = mock::start().await;
        for (at, records) in &served {
            let records: Vec<Value> = records.iter().map(|r| recased(r, casing)).collect();
            let body = json!({
                "success": true, "error": null, "totalRecords": records.len(), "result": records
            });
            Mock::given(method("GET"))
                .and(path(*at))
                .respond_with(ResponseTemplate::new(200).set_body_json(body))
                .with_priority(1)
                .mount(&fake.server)
                .await;
        }
        let mut got = read_back(&fake).await;
        for ((at, sent), (_, kept)) in served.iter().zip(take_raws(&mut got)) {
            let sent: Vec<Value> = sent.iter().map(|r| recased(r, casing)).collect();
            assert_eq!(kept, sent, "{casing}: raw of {at} is not as sent");
        }
        assert_eq!(got, expected, "{casing}");
    }
    assert_eq!(recase("accountId", "Pascal"), "AccountId");
    assert_eq!(recase("accountId", "ID"), "accountID");
    assert_eq!(recase("id", "ID"), "ID");
    assert_eq!(recase("accountId", "UPPER"), "ACCOUNTID");
}

#[tokio::test]
async fn decode_errors_name_the_key_as_sent() {
    let mut body = ticket_list_sample();
    body["result"][0] = recased(&body["result"][0], "UPPER");
    body["result"][0]["OPENDATE"] = json!("yesterday");
    let fake = serving("/v2/servicedesk/tickets", body).await;
    let e = client(&fake)
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.provider(), mspkit_core::Provider::KaseyaBms);
    assert_eq!(e.operation(), "tickets");
    assert_eq!(e.decode_path(), Some("result[0].OPENDATE"), "{e}");
}
