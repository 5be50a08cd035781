//! The provider notes' real samples mapped into the normalized model, every
//! field checked; odd encodings and unreadable values.

// Helpers outside #[test] functions panic on purpose too: a failed set-up is a failed test.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use mspkit_autotask::AutotaskClient;
use mspkit_core::{
    ErrorKind, Id, ListQuery, PriorityLevel, Provider, PsaClient, TicketQuery, TicketState,
};
use mspkit_testkit::fast_retry;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROOT: &str = "/atservicesrest/v1.0";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn page(items: Vec<Value>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "items": items,
        "pageDetails": {"count": items.len(), "requestCount": 500, "prevPageUrl": null, "nextPageUrl": null}
    }))
}

/// A zone answering `entity`'s query with `items`, plus the look-ups.
async fn zone(entity: &str, items: Vec<Value>) -> MockServer {
    let server = MockServer::start().await;
    for (e, file) in [
        ("Tickets", "ticket_fields.json"),
        ("TicketNotes", "note_fields.json"),
        ("Contracts", "contract_fields.json"),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("{ROOT}/{e}/entityInformation/fields")))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture(file)))
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/Resources/query")))
        .respond_with(page(vec![
            json!({"id": 29682899, "firstName": "Trillian", "lastName": "Astra", "isActive": true}),
            json!({"id": 29682885, "firstName": "Marvin", "lastName": "", "isActive": true}),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/Countries/query")))
        .respond_with(page(vec![
            json!({"id": 23, "countryCode": "BE", "displayName": "Belgium", "name": "BELGIUM", "isActive": true}),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/{entity}/query")))
        .respond_with(page(items))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, keep_raw: bool) -> AutotaskClient {
    AutotaskClient::builder()
        .username("api_user@acme.com")
        .secret("s")
        .integration_code("CODE")
        .base_url(format!("{}/atservicesrest", server.uri()))
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .keep_raw(keep_raw)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_company_sample_maps_every_field() {
    let sample = fixture("company_query.json")["items"][0].clone();
    let server = zone("Companies", vec![sample.clone()]).await;
    let companies: Vec<_> = client(&server, true)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &companies[0];
    assert_eq!(c.id, Id::from("29683616"));
    assert_eq!(c.provider, Provider::Autotask);
    assert_eq!(c.name, "Sirius Cybernetics Corporation");
    assert_eq!(
        c.identifier, None,
        "an empty companyNumber is no identifier"
    );
    assert_eq!(c.phone.as_deref(), Some("555-111-1111"));
    assert_eq!(c.website, None);
    assert_eq!(c.address, None, "every address part is empty or null");
    assert_eq!(c.active, Some(true));
    // No `Z` on the wire: the time is UTC.
    assert_eq!(c.created_at, Some(at("2016-03-30T13:10:35.563Z")));
    assert_eq!(c.updated_at, Some(at("2018-11-13T17:32:34Z")));
    assert_eq!(c.raw.as_ref(), Some(&sample));
}

#[tokio::test]
async fn a_company_address_and_country_name() {
    let mut sample = fixture("company_query.json")["items"][0].clone();
    sample["address1"] = json!("Rue de la Loi 16");
    sample["city"] = json!("Brussels");
    sample["postalCode"] = json!("1000");
    sample["countryID"] = json!(23);
    sample["companyNumber"] = json!("SCC");
    sample["webAddress"] = json!("https://sirius.example");
    sample["isActive"] = json!(false);
    let server = zone("Companies", vec![sample]).await;
    let companies: Vec<_> = client(&server, false)
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &companies[0];
    let a = c.address.as_ref().unwrap();
    assert_eq!(a.line1.as_deref(), Some("Rue de la Loi 16"));
    assert_eq!(a.line2, None);
    assert_eq!(a.city.as_deref(), Some("Brussels"));
    assert_eq!(a.region, None);
    assert_eq!(a.postal_code.as_deref(), Some("1000"));
    assert_eq!(a.country.as_deref(), Some("Belgium"));
    assert_eq!(c.identifier.as_deref(), Some("SCC"));
    assert_eq!(c.website.as_deref(), Some("https://sirius.example"));
    assert_eq!(c.active, Some(false));
    assert_eq!(c.raw, None);
}

#[tokio::test]
async fn the_contact_sample_maps_every_field() {
    let server = zone("Contacts", vec![fixture("contact.json")]).await;
    let contacts: Vec<_> = client(&server, false)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &contacts[0];
    assert_eq!(c.id, Id::from("30682885"));
    assert_eq!(c.company_id, Some(Id::from("176")));
    assert_eq!(c.first_name.as_deref(), Some("Gérard"));
    assert_eq!(c.last_name.as_deref(), Some("Mentor"));
    assert_eq!(c.email.as_deref(), Some("gerard@example.com"));
    assert_eq!(
        c.phone.as_deref(),
        Some("+32 485 56 44 75"),
        "mobile when phone is empty"
    );
    assert_eq!(c.title.as_deref(), Some("Directeur"));
    assert_eq!(c.active, Some(true), "isActive is the integer 1");
    assert_eq!(c.created_at, Some(at("2019-11-25T16:18:17.893Z")));
    assert_eq!(c.updated_at, Some(at("2019-11-25T16:18:17.893Z")));
}

#[tokio::test]
async fn contact_is_active_zero_and_boolean_both_read() {
    let mut zero = fixture("contact.json");
    zero["isActive"] = json!(0);
    let mut boolean = fixture("contact.json");
    boolean["id"] = json!(30682886);
    boolean["isActive"] = json!(true);
    let server = zone("Contacts", vec![zero, boolean]).await;
    let contacts: Vec<_> = client(&server, false)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(contacts[0].active, Some(false));
    assert_eq!(contacts[1].active, Some(true));
}

#[tokio::test]
async fn the_ticket_sample_maps_every_field_with_picklist_labels() {
    let server = zone("Tickets", vec![fixture("ticket.json")]).await;
    let tickets: Vec<_> = client(&server, false)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    let t = &tickets[0];
    assert_eq!(t.id, Id::from("29296"));
    assert_eq!(t.number.as_deref(), Some("T20200924.0046.051"));
    assert_eq!(t.summary, "ICT Coaching");
    assert_eq!(t.description, None);
    assert_eq!(t.status.state, TicketState::Closed);
    assert_eq!(t.status.label.as_deref(), Some("Complete"));
    assert_eq!(t.status.id, Some(Id::from("5")));
    let p = t.priority.as_ref().unwrap();
    assert_eq!(p.level, PriorityLevel::Medium);
    assert_eq!(p.label.as_deref(), Some("P2 - Medium"));
    assert_eq!(p.id, Some(Id::from("2")));
    assert_eq!(t.company_id, Some(Id::from("629")));
    assert_eq!(t.contact_id, Some(Id::from("30684718")));
    assert_eq!(t.assignee.as_deref(), Some("Trillian Astra"));
    assert_eq!(t.created_at, Some(at("2020-09-24T09:40:14.113Z")));
    assert_eq!(t.updated_at, Some(at("2022-12-07T09:15:52.407Z")));
    assert_eq!(t.closed_at, Some(at("2022-12-07T09:15:28.147Z")));
}

#[tokio::test]
async fn statuses_and_priorities_follow_the_tenants_picklist() {
    let base = fixture("ticket.json");
    let with = |id: i64, status: i64, priority: i64| {
        let mut t = base.clone();
        t["id"] = json!(id);
        t["status"] = json!(status);
        t["priority"] = json!(priority);
        t
    };
    let server = zone(
        "Tickets",
        vec![
            with(1, 1, 4),
            with(2, 7, 1),
            with(3, 8, 3),
            with(4, 21, 6),
            with(5, 99, 9),
        ],
    )
    .await;
    let tickets: Vec<_> = client(&server, false)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    let states: Vec<_> = tickets.iter().map(|t| t.status.state).collect();
    assert_eq!(
        states,
        [
            TicketState::New,
            TicketState::Waiting,
            TicketState::InProgress,
            // A tenant status named "Closed - ..." is not Autotask's Complete.
            TicketState::Open,
            TicketState::Other
        ]
    );
    let levels: Vec<_> = tickets
        .iter()
        .map(|t| t.priority.as_ref().unwrap().level)
        .collect();
    assert_eq!(
        levels,
        [
            PriorityLevel::Critical,
            PriorityLevel::High,
            PriorityLevel::Low,
            PriorityLevel::Other,
            PriorityLevel::Other
        ]
    );
    assert_eq!(tickets[4].status.label, None);
    assert_eq!(
        tickets[1].closed_at, None,
        "an open ticket has no closed_at"
    );
}

#[tokio::test]
async fn notes_and_contracts_map_every_field() {
    let server = zone(
        "TicketNotes",
        vec![json!({
            "id": 30000101, "createDateTime": "2024-03-01T10:00:00.12Z", "creatorResourceID": 29682885,
            "description": "Called the customer.", "impersonatorCreatorResourceID": null,
            "impersonatorUpdaterResourceID": null, "lastActivityDate": "2024-03-01T10:00:00.12Z",
            "noteType": 1, "publish": 1, "ticketID": 29296, "title": "Call"
        })],
    )
    .await;
    Mock::given(method("POST"))
        .and(path(format!("{ROOT}/Contracts/query")))
        .respond_with(page(vec![json!({
            "id": 29683361, "billingPreference": 1, "companyID": 629, "contactName": "",
            "contractCategory": 1, "contractName": "Managed Services 2024", "contractNumber": "C-1",
            "contractPeriodType": "m", "contractType": 7, "description": "", "endDate": "2024-12-31T00:00:00",
            "estimatedRevenue": 1200.0000, "isCompliant": true, "isDefaultContract": true,
            "startDate": "2024-01-01T00:00:00", "status": 0, "userDefinedFields": []
        })]))
        .mount(&server)
        .await;
    let c = client(&server, false);
    let notes: Vec<_> = c
        .ticket_notes(&Id::from("29296"))
        .try_collect()
        .await
        .unwrap();
    let n = &notes[0];
    assert_eq!(n.id, Id::from("30000101"));
    assert_eq!(n.ticket_id, Id::from("29296"));
    assert_eq!(n.text, "Called the customer.");
    assert!(!n.internal, "publish 1 is All Autotask Users");
    assert_eq!(n.author.as_deref(), Some("Marvin"));
    assert_eq!(n.created_at, Some(at("2024-03-01T10:00:00.12Z")));
    let agreements: Vec<_> = c.agreements(ListQuery::new()).try_collect().await.unwrap();
    let a = &agreements[0];
    assert_eq!(a.id, Id::from("29683361"));
    assert_eq!(a.company_id, Some(Id::from("629")));
    assert_eq!(a.name, "Managed Services 2024");
    assert_eq!(a.kind.as_deref(), Some("Recurring Service"));
    assert_eq!(a.starts_on, NaiveDate::from_ymd_opt(2024, 1, 1));
    assert_eq!(a.ends_on, NaiveDate::from_ymd_opt(2024, 12, 31));
    assert_eq!(a.active, Some(false));
}

#[tokio::test]
async fn unreadable_values_are_decode_errors_naming_the_field() {
    let mut bad_date = fixture("ticket.json");
    bad_date["createDate"] = json!("yesterday");
    let server = zone("Tickets", vec![fixture("ticket.json"), bad_date]).await;
    let r: Result<Vec<_>, _> = client(&server, false)
        .tickets(TicketQuery::new())
        .try_collect()
        .await;
    match r {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default();
            assert_eq!(path, "items[1].createDate")
        }
        other => panic!("{other:?}"),
    }

    let mut bad_flag = fixture("contact.json");
    bad_flag["isActive"] = json!(7);
    let server = zone("Contacts", vec![bad_flag]).await;
    let r: Result<Vec<_>, _> = client(&server, false)
        .contacts(ListQuery::new())
        .try_collect()
        .await;
    match r {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default();
            assert_eq!(path, "items[0].isActive")
        }
        other => panic!("{other:?}"),
    }

    let server = zone("Companies", vec![]).await;
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/Companies/29683616")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"item": {"id": "x29683616"}})),
        )
        .mount(&server)
        .await;
    match client(&server, false).company(&Id::from("29683616")).await {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default();
            assert_eq!(path, "item.id")
        }
        other => panic!("{other:?}"),
    }
}
