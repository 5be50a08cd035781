//! The sandbox samples of the provider notes (tests/fixtures, verbatim),
//! served as ConnectWise serves them and read through the client: every
//! normalized field checked, plus the odd encodings and an unreadable value.

// Helpers outside #[test] fns unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use mspkit_connectwise::ConnectWiseClient;
use mspkit_core::{
    ErrorKind, Id, ListQuery, PriorityLevel, Provider, PsaClient, TicketQuery, TicketState,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROOT: &str = "/v4_6_release/apis/3.0";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn id(s: &str) -> Option<Id> {
    Some(Id::from(s))
}

async fn board_30() -> MockServer {
    let server = MockServer::start().await;
    // Board 30 of the samples: `>Closed` (562) closes, `In Progress` (550) does not.
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/service/boards/30/statuses")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 548, "name": "New", "board": {"id": 30, "name": "Network Security - South"},
             "sortOrder": 0, "displayOnBoard": true, "inactive": false, "closedStatus": false,
             "timeEntryNotAllowed": false, "defaultFlag": true},
            {"id": 550, "name": "In Progress", "board": {"id": 30, "name": "Network Security - South"},
             "sortOrder": 2, "displayOnBoard": true, "inactive": false, "closedStatus": false,
             "timeEntryNotAllowed": false, "defaultFlag": false},
            {"id": 562, "name": ">Closed", "board": {"id": 30, "name": "Network Security - South"},
             "sortOrder": 9, "displayOnBoard": false, "inactive": false, "closedStatus": true,
             "timeEntryNotAllowed": true, "defaultFlag": false}
        ])))
        .mount(&server)
        .await;
    server
}

async fn serve(server: &MockServer, route: &str, body: Value) {
    Mock::given(method("GET"))
        .and(path(format!("{ROOT}/{route}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn client(server: &MockServer, keep_raw: bool) -> ConnectWiseClient {
    ConnectWiseClient::builder()
        .base_url(server.uri())
        .company_id("acme")
        .public_key("abc")
        .private_key("xyz")
        .client_id("0e6c2a77-3b1f-4f6e-9a4e-3c1f6d1b2a9c")
        .codebase("v4_6_release")
        .allow_insecure_http()
        .keep_raw(keep_raw)
        .retry_policy(mspkit_testkit::fast_retry())
        .build()
        .unwrap()
}

#[tokio::test]
async fn ticket_list_sample_maps_every_field() {
    let server = board_30().await;
    serve(&server, "service/tickets", fixture("tickets.json")).await;
    let tickets: Vec<_> = client(&server, false)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tickets.len(), 2);
    let a = &tickets[0];
    assert_eq!(a.id, Id::from("3186"));
    assert_eq!(a.provider, Provider::ConnectWise);
    assert_eq!(a.number, None, "ConnectWise quotes the id itself");
    assert_eq!(a.summary, "Daily Tenable Reports");
    assert_eq!(
        a.description, None,
        "the description is a note, not on the list"
    );
    assert_eq!(a.status.state, TicketState::Closed);
    assert_eq!(a.status.label.as_deref(), Some(">Closed"));
    assert_eq!(a.status.id, id("562"));
    let p = a.priority.as_ref().unwrap();
    assert_eq!(p.level, PriorityLevel::Low, "sort 5");
    assert_eq!(p.label.as_deref(), Some("Priority 5 - Service Request"));
    assert_eq!(p.id, id("12"));
    assert_eq!(a.company_id, id("19298"));
    assert_eq!(a.contact_id, None, "the sample has no contact");
    assert_eq!(a.assignee.as_deref(), Some("User"));
    assert_eq!(a.created_at, Some(t("2018-08-09T15:22:36Z")));
    assert_eq!(a.updated_at, Some(t("2018-11-09T21:19:07Z")));
    assert_eq!(a.closed_at, Some(t("2018-08-10T17:39:20Z")));
    assert_eq!(a.raw, None, "keep_raw is off");

    let b = &tickets[1];
    assert_eq!(b.id, Id::from("3204"));
    assert_eq!(b.summary, "Add Sys Admin to portal");
    assert_eq!(b.company_id, id("20051"));
    assert_eq!(b.closed_at, Some(t("2018-08-13T12:56:47Z")));
    assert_eq!(b.created_at, Some(t("2018-08-09T16:09:55Z")));
}

#[tokio::test]
async fn patched_ticket_sample_maps_an_open_status_and_resources() {
    let server = board_30().await;
    serve(
        &server,
        "service/tickets/945370",
        fixture("ticket_patched.json"),
    )
    .await;
    serve(&server, "service/tickets/945370/notes", json!([])).await;
    let ticket = client(&server, true)
        .ticket(&Id::from("945370"))
        .await
        .unwrap();
    assert_eq!(ticket.summary, "update_ticket_few_parameters");
    assert_eq!(ticket.status.state, TicketState::Open);
    assert_eq!(ticket.status.label.as_deref(), Some("In Progress"));
    assert_eq!(ticket.status.id, id("550"));
    let p = ticket.priority.unwrap();
    assert_eq!((p.level, p.id), (PriorityLevel::Low, id("8")));
    assert_eq!(ticket.company_id, id("19298"));
    assert_eq!(
        ticket.assignee.as_deref(),
        Some("userint"),
        "no owner: the resources"
    );
    assert_eq!(ticket.created_at, Some(t("2022-09-07T09:46:58Z")));
    assert_eq!(ticket.updated_at, Some(t("2022-09-15T08:30:12Z")));
    assert_eq!(ticket.closed_at, None);
    assert_eq!(ticket.description, None, "no discussion note");
    assert_eq!(
        ticket.raw.unwrap()["mobileGuid"],
        "40ddd5b7-f6f1-4679-9bc9-f80db3fc3daf"
    );
}

#[tokio::test]
async fn company_sample_maps_every_field() {
    let server = board_30().await;
    serve(&server, "company/companies/200", fixture("company.json")).await;
    let c = client(&server, false)
        .company(&Id::from("200"))
        .await
        .unwrap();
    assert_eq!(c.id, Id::from("200"));
    assert_eq!(c.name, "Example Company");
    assert_eq!(c.identifier.as_deref(), Some("example"));
    assert_eq!(c.phone, None, "\"phoneNumber\": \"\" is no phone");
    assert_eq!(c.website.as_deref(), Some("www.example.com"));
    let a = c.address.unwrap();
    assert_eq!(a.line1.as_deref(), Some("6505 Windcrest Dr"));
    assert_eq!(a.line2.as_deref(), Some("Suite 200"));
    assert_eq!(a.city.as_deref(), Some("Plano"));
    assert_eq!(a.region.as_deref(), Some("TX"));
    assert_eq!(a.postal_code.as_deref(), Some("75024"));
    assert_eq!(a.country.as_deref(), Some("United States"));
    assert_eq!(c.active, Some(false), "the sample is deleted");
    assert_eq!(c.created_at, Some(t("2006-06-21T16:04:59Z")));
    assert_eq!(c.updated_at, Some(t("2019-06-13T15:27:10Z")));
}

#[tokio::test]
async fn contact_sample_maps_every_field_and_communication_items() {
    let server = board_30().await;
    let mut sample = fixture("contact.json");
    // The staging sample carries no communication items; these follow the
    // model's shape, with the default e-mail second.
    sample["title"] = json!("Office Manager");
    sample["communicationItems"] = json!([
        {"id": 11, "type": {"id": 1, "name": "Email"}, "value": "old@earth.example",
         "defaultFlag": false, "communicationType": "Email"},
        {"id": 12, "type": {"id": 1, "name": "Email"}, "value": "mike.evans@earth.example",
         "defaultFlag": true, "communicationType": "Email"},
        {"id": 13, "type": {"id": 2, "name": "Direct"}, "value": "9729056500",
         "defaultFlag": true, "communicationType": "Phone"}
    ]);
    serve(&server, "company/contacts", json!([sample])).await;
    let contacts: Vec<_> = client(&server, false)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &contacts[0];
    assert_eq!(c.id, Id::from("179"));
    assert_eq!(c.company_id, id("132"));
    assert_eq!(c.first_name.as_deref(), Some("Mike"));
    assert_eq!(c.last_name.as_deref(), Some("Evans"));
    assert_eq!(c.email.as_deref(), Some("mike.evans@earth.example"));
    assert_eq!(
        c.phone.as_deref(),
        Some("9729056500"),
        "the default Phone item"
    );
    assert_eq!(c.title.as_deref(), Some("Office Manager"));
    assert_eq!(c.active, Some(true));
    assert_eq!(c.created_at, None, "the sample's _info has no dateEntered");
    assert_eq!(c.updated_at, Some(t("2024-05-31T18:18:16Z")));

    // The verbatim sample, with no items at all.
    let server = board_30().await;
    serve(
        &server,
        "company/contacts",
        json!([fixture("contact.json")]),
    )
    .await;
    let contacts: Vec<_> = client(&server, false)
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        (contacts[0].email.as_deref(), contacts[0].phone.as_deref()),
        (None, None)
    );
}

#[tokio::test]
async fn note_sample_maps_every_field() {
    let server = board_30().await;
    let mut internal_only = fixture("note.json");
    internal_only["id"] = json!(1546049);
    internal_only["detailDescriptionFlag"] = json!(false);
    internal_only["resolutionFlag"] = json!(false);
    internal_only.as_object_mut().unwrap().remove("member");
    serve(
        &server,
        "service/tickets/945315/notes",
        json!([fixture("note.json"), internal_only]),
    )
    .await;
    let notes: Vec<_> = client(&server, false)
        .ticket_notes(&Id::from("945315"))
        .try_collect()
        .await
        .unwrap();
    let n = &notes[0];
    assert_eq!(n.id, Id::from("1546048"));
    assert_eq!(n.ticket_id, Id::from("945315"));
    assert_eq!(n.text, "rest api note internal");
    assert!(
        !n.internal,
        "also a discussion and resolution note: the customer sees it"
    );
    assert_eq!(n.author.as_deref(), Some("user"));
    assert_eq!(n.created_at, Some(t("2022-09-15T09:41:06Z")));
    assert!(notes[1].internal, "internal analysis only");
    assert_eq!(
        notes[1].author.as_deref(),
        Some("user"),
        "createdBy without a member"
    );
}

/// No agreement sample was found; this one follows the notes' field list.
#[tokio::test]
async fn agreements_map_dates_as_the_tenant_days_and_status() {
    let server = board_30().await;
    serve(
        &server,
        "finance/agreements",
        json!([
            {"id": 10, "name": "Managed Services - Gold",
             "type": {"id": 3, "name": "Managed Services"},
             "company": {"id": 250, "identifier": "example", "name": "Example Company"},
             "startDate": "2023-01-01T05:00:00Z", "endDate": "2099-12-31T05:00:00Z",
             "noEndingDateFlag": true, "cancelledFlag": false, "agreementStatus": "Active",
             "billAmount": 1500.00},
            {"id": 11, "name": "Sydney retainer", "type": {"id": 4, "name": "Retainer"},
             "company": {"id": 251, "name": "Contoso"},
             "startDate": "2023-06-30T14:00:00Z", "endDate": "2024-06-29T14:00:00Z",
             "noEndingDateFlag": false, "cancelledFlag": true, "agreementStatus": "Cancelled"},
            {"id": 12, "name": "Legacy", "cancelledFlag": false}
        ]),
    )
    .await;
    let a: Vec<_> = client(&server, false)
        .agreements(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(a[0].name, "Managed Services - Gold");
    assert_eq!(a[0].company_id, id("250"));
    assert_eq!(a[0].kind.as_deref(), Some("Managed Services"));
    assert_eq!(a[0].starts_on, NaiveDate::from_ymd_opt(2023, 1, 1));
    assert_eq!(a[0].ends_on, None, "noEndingDateFlag");
    assert_eq!(a[0].active, Some(true));
    // Midnight in Sydney is 14:00Z the day before.
    assert_eq!(a[1].starts_on, NaiveDate::from_ymd_opt(2023, 7, 1));
    assert_eq!(a[1].ends_on, NaiveDate::from_ymd_opt(2024, 6, 30));
    assert_eq!(a[1].active, Some(false));
    assert_eq!(
        (a[2].active, a[2].starts_on, a[2].kind.as_deref()),
        (Some(true), None, None)
    );
}

#[tokio::test]
async fn blank_and_offsetless_dates_are_read_and_a_bad_one_names_its_field() {
    let server = board_30().await;
    let mut tickets = fixture("tickets.json");
    tickets[0]["closedDate"] = json!("2018-08-10T17:39:20");
    tickets[1]["_info"]["lastUpdated"] = json!("");
    serve(&server, "service/tickets", tickets).await;
    let got: Vec<_> = client(&server, false)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got[0].closed_at, Some(t("2018-08-10T17:39:20Z")));
    assert_eq!(got[1].updated_at, None);

    let server = board_30().await;
    let mut tickets = fixture("tickets.json");
    tickets[1]["closedDate"] = json!("last Tuesday");
    serve(&server, "service/tickets", tickets).await;
    let r: Result<Vec<_>, _> = client(&server, false)
        .tickets(TicketQuery::new())
        .try_collect()
        .await;
    match r {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default();
            assert_eq!(path, "[1].closedDate")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn keep_raw_keeps_each_original_object() {
    let server = board_30().await;
    serve(&server, "service/tickets", fixture("tickets.json")).await;
    let tickets: Vec<_> = client(&server, true)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        tickets[1].raw.as_ref().unwrap(),
        &fixture("tickets.json")[1]
    );
}

/// A priority's `sort` is the tenant's own order: it decides a level only
/// for ConnectWise's stock `Priority N` names with the same `N`; a level
/// named in the priority's name wins; anything else is `other`.
#[tokio::test]
async fn priority_levels_never_come_from_sort_alone() {
    let server = board_30().await;
    let cases = [
        ("Scheduled Maintenance", Some(0), PriorityLevel::Other),
        ("Priority 0 - Projects", Some(0), PriorityLevel::Other),
        ("Projects", Some(1), PriorityLevel::Other),
        (
            "Priority 1 - Emergency Response",
            Some(1),
            PriorityLevel::Critical,
        ),
        ("Priority 2 - Quick Response", Some(2), PriorityLevel::High),
        ("Priority 2 - Quick Response", Some(7), PriorityLevel::Other),
        (
            "Priority 3 - Normal Response",
            Some(3),
            PriorityLevel::Medium,
        ),
        ("Priority 4 - Low", Some(4), PriorityLevel::Low),
        ("Priority 5 - Service Request", Some(5), PriorityLevel::Low),
        ("Critical outage", Some(0), PriorityLevel::Critical),
        ("High", None, PriorityLevel::High),
        ("Low impact", Some(1), PriorityLevel::Low),
    ];
    let sample = fixture("tickets.json")[0].clone();
    let tickets: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, (name, sort, _))| {
            let mut t = sample.clone();
            t["id"] = json!(9000 + i);
            t["priority"] = json!({"id": 100 + i, "name": name, "sort": sort});
            if sort.is_none() {
                t["priority"].as_object_mut().unwrap().remove("sort");
            }
            t
        })
        .collect();
    serve(&server, "service/tickets", Value::Array(tickets)).await;
    let got: Vec<_> = client(&server, false)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    for ((name, sort, level), t) in cases.iter().zip(&got) {
        let p = t.priority.as_ref().unwrap();
        assert_eq!(p.level, *level, "{name} (sort {sort:?})");
        assert_eq!(p.label.as_deref(), Some(*name));
    }
}
