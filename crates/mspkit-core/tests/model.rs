//! The normalized model as a JSON contract: exactly the field names of the
//! design's table plus `provider` and `raw`, snake_case enums, ids as
//! strings, RFC 3339 timestamps, and lossless serde round trips. Also the
//! query helpers, `merge_extra`, `Capabilities` and `Id` conversions.

// Helpers outside #[test] functions panic on purpose too: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashSet};
use std::fmt::Debug;

use chrono::{DateTime, NaiveDate, Utc};
use mspkit_core::{
    Address, Agreement, Alert, Capabilities, ClientOptions, Company, Contact, Device, DeviceType,
    Id, NewNote, NewTicket, Operation, Organization, Priority, PriorityLevel, Provider, Severity,
    Site, Software, StatusChange, Ticket, TicketNote, TicketQuery, TicketState, TicketStatus,
    TicketUpdate, merge_extra,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------
// helpers

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The sorted key set of a JSON object.
fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

/// The design table's fields plus `provider` and `raw`, sorted.
fn entity_fields(table: &str) -> Vec<String> {
    let mut k: Vec<String> = table
        .split(',')
        .map(|f| f.trim().to_owned())
        .chain(["provider".to_owned(), "raw".to_owned()])
        .collect();
    k.sort();
    k
}

fn plain_fields(table: &str) -> Vec<String> {
    let mut k: Vec<String> = table.split(',').map(|f| f.trim().to_owned()).collect();
    k.sort();
    k
}

/// Serializes, checks the value reads back equal, and returns the JSON.
fn round_trip<T>(value: &T) -> Value
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(&back, value);
    // And through text, as an application stores it.
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, value);
    json
}

/// An RFC 3339 timestamp string equal to `expected`.
fn assert_timestamp(v: &Value, expected: &str) {
    let s = v.as_str().unwrap_or_else(|| panic!("not a string: {v}"));
    assert_eq!(s, expected);
    DateTime::parse_from_rfc3339(s).unwrap();
}

fn raw() -> Value {
    json!({"id": 250, "name": "Acme Ltd", "_info": {"lastUpdated": "2024-03-05T14:30:00Z"}})
}

// ---------------------------------------------------------------------------
// field names, per entity

#[test]
fn company_json_has_exactly_the_contract_fields() {
    let mut c = Company::new(Provider::ConnectWise, 250u64, "Acme Ltd");
    c.identifier = Some("ACME".into());
    c.phone = Some("+1 555 0100".into());
    c.website = Some("https://acme.example".into());
    let mut a = Address::new();
    a.line1 = Some("1 Main St".into());
    a.line2 = Some("Suite 2".into());
    a.city = Some("Springfield".into());
    a.region = Some("IL".into());
    a.postal_code = Some("62701".into());
    a.country = Some("United States".into());
    c.address = Some(a);
    c.active = Some(true);
    // A local offset is normalised to UTC.
    c.created_at = Some(at("2024-03-05T15:30:00+01:00"));
    c.updated_at = Some(at("2024-06-01T08:00:00.250Z"));
    c.raw = Some(raw());

    let v = round_trip(&c);
    assert_eq!(
        keys(&v),
        entity_fields(
            "id, name, identifier, phone, website, address, active, created_at, updated_at"
        )
    );
    assert_eq!(
        keys(&v["address"]),
        plain_fields("line1, line2, city, region, postal_code, country")
    );
    assert_eq!(v["id"], json!("250"));
    assert_eq!(v["provider"], json!("connectwise"));
    assert_eq!(v["address"]["postal_code"], json!("62701"));
    assert_eq!(v["active"], json!(true));
    assert_timestamp(&v["created_at"], "2024-03-05T14:30:00Z");
    assert_timestamp(&v["updated_at"], "2024-06-01T08:00:00.250Z");
    assert_eq!(v["raw"], raw());
}

#[test]
fn contact_json_has_exactly_the_contract_fields() {
    let mut c = Contact::new(Provider::Autotask, 29_683_541u64);
    c.company_id = Some(Id::from(0u32));
    c.first_name = Some("Ana".into());
    c.last_name = Some("Lopez".into());
    c.email = Some("ana@acme.example".into());
    c.phone = Some("555-0101".into());
    c.title = Some("IT Manager".into());
    c.active = Some(false);
    c.created_at = Some(at("2023-01-02T03:04:05Z"));
    c.updated_at = Some(at("2023-01-02T03:04:06Z"));
    let v = round_trip(&c);
    assert_eq!(
        keys(&v),
        entity_fields(
            "id, company_id, first_name, last_name, email, phone, title, active, created_at, updated_at"
        )
    );
    assert_eq!(v["id"], json!("29683541"));
    assert_eq!(v["company_id"], json!("0"));
    assert_eq!(v["provider"], json!("autotask"));
    assert_eq!(v["raw"], Value::Null);
    assert_timestamp(&v["created_at"], "2023-01-02T03:04:05Z");
}

#[test]
fn ticket_json_has_exactly_the_contract_fields() {
    let mut t = Ticket::new(Provider::Halo, 1042u64, "Printer on fire");
    t.number = Some("T20240101.0001".into());
    t.description = Some("Smoke from tray 2".into());
    t.status = TicketStatus::new(TicketState::InProgress)
        .with_label("Working on it")
        .with_id(3u32);
    t.priority = Some(
        Priority::new(PriorityLevel::Critical)
            .with_label("P1 - Emergency")
            .with_id(1u32),
    );
    t.company_id = Some("12".into());
    t.contact_id = Some("77".into());
    t.assignee = Some("Sam Tech".into());
    t.created_at = Some(at("2024-01-01T09:00:00Z"));
    t.updated_at = Some(at("2024-01-01T10:00:00Z"));
    t.closed_at = Some(at("2024-01-02T11:00:00Z"));
    t.raw = Some(json!({"id": 1042}));
    let v = round_trip(&t);
    assert_eq!(
        keys(&v),
        entity_fields(
            "id, number, summary, description, status, priority, company_id, contact_id, assignee, created_at, updated_at, closed_at"
        )
    );
    assert_eq!(keys(&v["status"]), plain_fields("state, label, id"));
    assert_eq!(keys(&v["priority"]), plain_fields("level, label, id"));
    assert_eq!(
        v["status"],
        json!({"state": "in_progress", "label": "Working on it", "id": "3"})
    );
    assert_eq!(
        v["priority"],
        json!({"level": "critical", "label": "P1 - Emergency", "id": "1"})
    );
    assert_eq!(v["id"], json!("1042"));
    assert_eq!(v["company_id"], json!("12"));
    assert_eq!(v["provider"], json!("halo"));
    assert_timestamp(&v["closed_at"], "2024-01-02T11:00:00Z");
}

#[test]
fn ticket_note_json_has_exactly_the_contract_fields() {
    let mut n = TicketNote::new(Provider::Zendesk, 9u64, 1042u64, "Replaced the fuser.");
    n.internal = true;
    n.author = Some("Sam Tech".into());
    n.created_at = Some(at("2024-01-01T12:00:00Z"));
    let v = round_trip(&n);
    assert_eq!(
        keys(&v),
        entity_fields("id, ticket_id, text, internal, author, created_at")
    );
    assert_eq!(v["ticket_id"], json!("1042"));
    assert_eq!(v["internal"], json!(true));
    assert_eq!(v["provider"], json!("zendesk"));
}

#[test]
fn agreement_json_has_exactly_the_contract_fields() {
    let mut a = Agreement::new(Provider::ConnectWise, 5u64, "Managed Services Gold");
    a.company_id = Some("250".into());
    a.kind = Some("Managed Services".into());
    a.starts_on = Some(day("2024-01-01"));
    a.ends_on = Some(day("2024-12-31"));
    a.active = Some(true);
    let v = round_trip(&a);
    assert_eq!(
        keys(&v),
        entity_fields("id, company_id, name, kind, starts_on, ends_on, active")
    );
    assert_eq!(v["starts_on"], json!("2024-01-01"));
    assert_eq!(v["ends_on"], json!("2024-12-31"));
    assert_eq!(v["company_id"], json!("250"));
}

#[test]
fn organization_and_site_json_have_exactly_the_contract_fields() {
    let mut o = Organization::new(Provider::NinjaOne, 3u64, "Acme Ltd");
    o.created_at = Some(at("2022-05-01T00:00:00Z"));
    o.updated_at = Some(at("2022-05-02T00:00:00Z"));
    let v = round_trip(&o);
    assert_eq!(keys(&v), entity_fields("id, name, created_at, updated_at"));
    assert_eq!(v["provider"], json!("ninja"));
    assert_timestamp(&v["updated_at"], "2022-05-02T00:00:00Z");

    let mut s = Site::new(Provider::Datto, "a1b2c3d4-site", "Head office");
    s.organization_id = Some("3".into());
    let v = round_trip(&s);
    assert_eq!(keys(&v), entity_fields("id, organization_id, name"));
    assert_eq!(v["id"], json!("a1b2c3d4-site"));
    assert_eq!(v["organization_id"], json!("3"));
}

#[test]
fn device_json_has_exactly_the_contract_fields() {
    let mut d = Device::new(Provider::Datto, "6f1a1f7e-device");
    d.organization_id = Some("3".into());
    d.site_id = Some("a1b2c3d4-site".into());
    d.hostname = Some("ACME-WS-01".into());
    d.display_name = Some("Reception PC".into());
    d.device_type = DeviceType::VirtualMachine;
    d.os_name = Some("Windows 11 Pro".into());
    d.os_version = Some("23H2".into());
    d.online = Some(true);
    d.last_seen = Some(at("2024-06-01T08:00:00Z"));
    d.ip_addresses = vec!["10.0.0.5".into(), "fe80::1".into()];
    d.mac_addresses = vec!["00:11:22:33:44:55".into()];
    d.serial_number = Some("SN123".into());
    d.manufacturer = Some("Dell Inc.".into());
    d.model = Some("OptiPlex 7090".into());
    d.agent_version = Some("4.4.2200".into());
    d.logged_in_user = Some("ACME\\ana".into());
    let v = round_trip(&d);
    assert_eq!(
        keys(&v),
        entity_fields(
            "id, organization_id, site_id, hostname, display_name, device_type, os_name, os_version, online, last_seen, ip_addresses, mac_addresses, serial_number, manufacturer, model, agent_version, logged_in_user"
        )
    );
    assert_eq!(v["device_type"], json!("virtual_machine"));
    assert_eq!(v["ip_addresses"], json!(["10.0.0.5", "fe80::1"]));
    assert_eq!(v["mac_addresses"], json!(["00:11:22:33:44:55"]));
    assert_eq!(v["provider"], json!("datto"));
    assert_timestamp(&v["last_seen"], "2024-06-01T08:00:00Z");

    // A device with nothing known is still the full key set, lists empty.
    let v = round_trip(&Device::new(Provider::Tactical, "x"));
    assert_eq!(keys(&v).len(), 19);
    assert_eq!(v["ip_addresses"], json!([]));
    assert_eq!(v["device_type"], json!("other"));
    assert_eq!(v["online"], Value::Null);
}

#[test]
fn alert_json_has_exactly_the_contract_fields() {
    let mut a = Alert::new(Provider::Atera, 88u64, "Disk C: below 10% free");
    a.device_id = Some("6f1a".into());
    a.organization_id = Some("3".into());
    a.severity = Severity::Warning;
    a.created_at = Some(at("2024-06-01T08:00:00Z"));
    a.resolved = true;
    a.resolved_at = Some(at("2024-06-01T09:00:00Z"));
    let v = round_trip(&a);
    assert_eq!(
        keys(&v),
        entity_fields(
            "id, device_id, organization_id, severity, message, created_at, resolved, resolved_at"
        )
    );
    assert_eq!(v["severity"], json!("warning"));
    assert_eq!(v["resolved"], json!(true));
    assert_eq!(v["provider"], json!("atera"));
}

#[test]
fn software_json_has_exactly_the_contract_fields() {
    let mut s = Software::new(Provider::NinjaOne, 42u64, "Google Chrome");
    s.version = Some("125.0.6422.142".into());
    s.publisher = Some("Google LLC".into());
    s.installed_at = Some(at("2024-05-30T00:00:00Z"));
    let v = round_trip(&s);
    assert_eq!(
        keys(&v),
        entity_fields("device_id, name, version, publisher, installed_at")
    );
    assert_eq!(v["device_id"], json!("42"));
    assert_timestamp(&v["installed_at"], "2024-05-30T00:00:00Z");
}

#[test]
fn entities_read_json_without_raw_and_with_nulls() {
    // What an application stored without raw passthrough reads back.
    let c: Company = serde_json::from_value(json!({
        "id": "250", "provider": "connectwise", "name": "Acme Ltd",
        "identifier": null, "phone": null, "website": null, "address": null,
        "active": null, "created_at": "2024-03-05T14:30:00Z", "updated_at": null
    }))
    .unwrap();
    assert_eq!(c.id, Id::from("250"));
    assert_eq!(c.raw, None);
    assert_eq!(c.created_at, Some(at("2024-03-05T14:30:00Z")));
    // An id stored as a number is not silently accepted as another type.
    assert!(
        serde_json::from_value::<Company>(json!({
            "id": 250, "provider": "connectwise", "name": "Acme Ltd"
        }))
        .is_err()
    );
    // A timestamp that is not RFC 3339 is refused.
    assert!(
        serde_json::from_value::<Organization>(json!({
            "id": "1", "provider": "ninja", "name": "A", "created_at": "05/03/2024"
        }))
        .is_err()
    );
}

// ---------------------------------------------------------------------------
// enums

#[test]
fn enums_serialize_as_snake_case_and_read_back() {
    fn check<T: Serialize + DeserializeOwned + PartialEq + Debug>(cases: &[(T, &str)]) {
        for (value, name) in cases {
            assert_eq!(serde_json::to_value(value).unwrap(), json!(name));
            let back: T = serde_json::from_value(json!(name)).unwrap();
            assert_eq!(&back, value);
        }
    }
    check(&[
        (TicketState::New, "new"),
        (TicketState::Open, "open"),
        (TicketState::InProgress, "in_progress"),
        (TicketState::Waiting, "waiting"),
        (TicketState::Resolved, "resolved"),
        (TicketState::Closed, "closed"),
        (TicketState::Other, "other"),
    ]);
    check(&[
        (PriorityLevel::Critical, "critical"),
        (PriorityLevel::High, "high"),
        (PriorityLevel::Medium, "medium"),
        (PriorityLevel::Low, "low"),
        (PriorityLevel::Other, "other"),
    ]);
    check(&[
        (DeviceType::Workstation, "workstation"),
        (DeviceType::Laptop, "laptop"),
        (DeviceType::Server, "server"),
        (DeviceType::VirtualMachine, "virtual_machine"),
        (DeviceType::Network, "network"),
        (DeviceType::Mobile, "mobile"),
        (DeviceType::Other, "other"),
    ]);
    check(&[
        (Severity::Critical, "critical"),
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
        (Severity::Other, "other"),
    ]);
    assert!(serde_json::from_value::<TicketState>(json!("InProgress")).is_err());
    assert!(serde_json::from_value::<DeviceType>(json!("virtualMachine")).is_err());
}

#[test]
fn providers_serialize_as_their_slugs() {
    let slugs: Vec<Value> = Provider::ALL
        .iter()
        .map(|p| serde_json::to_value(p).unwrap())
        .collect();
    assert_eq!(
        slugs,
        [
            "connectwise",
            "autotask",
            "halo",
            "kaseya-bms",
            "syncro",
            "freshservice",
            "zendesk",
            "itflow",
            "rangermsp",
            "unleashed",
            "ninja",
            "datto",
            "automate",
            "atera",
            "tactical"
        ]
        .map(|s| json!(s))
    );
    for p in Provider::ALL {
        assert_eq!(p.to_string(), p.as_str());
        assert_eq!(Provider::from_slug(p.as_str()), Some(p));
    }
}

#[test]
fn status_and_priority_builders() {
    let s = TicketStatus::default();
    assert_eq!(s.state, TicketState::Other);
    assert_eq!((s.label, s.id), (None, None));
    let s = TicketStatus::new(TicketState::Waiting)
        .with_label("Waiting Customer")
        .with_id("w1");
    assert_eq!(s.label.as_deref(), Some("Waiting Customer"));
    assert_eq!(s.id, Some(Id::from("w1")));
    for (state, closed) in [
        (TicketState::New, false),
        (TicketState::Open, false),
        (TicketState::InProgress, false),
        (TicketState::Waiting, false),
        (TicketState::Resolved, true),
        (TicketState::Closed, true),
        (TicketState::Other, false),
    ] {
        assert_eq!(state.is_closed(), closed, "{state:?}");
    }
}

// ---------------------------------------------------------------------------
// write shapes and merge_extra

#[test]
fn write_shapes_round_trip() {
    let t = NewTicket::new("Printer on fire")
        .description("Tray 2")
        .company(250u64)
        .contact("77")
        .status(1u32)
        .priority(4u32)
        .extra("board", json!({"id": 1}));
    let v = round_trip(&t);
    assert_eq!(
        keys(&v),
        plain_fields("summary, description, company_id, contact_id, status_id, priority_id, extra")
    );
    assert_eq!(v["company_id"], json!("250"));
    assert_eq!(v["extra"], json!({"board": {"id": 1}}));

    let u = TicketUpdate::new()
        .summary("Printer fixed")
        .state(TicketState::Closed);
    assert!(!u.is_empty());
    assert!(TicketUpdate::new().is_empty());
    assert!(!TicketUpdate::new().extra("x", 1).is_empty());
    let v = round_trip(&u);
    assert_eq!(v["status"], json!({"state": "closed"}));
    let v = round_trip(&TicketUpdate::new().status_id(5u32).priority(2u32));
    assert_eq!(v["status"], json!({"id": "5"}));
    assert_eq!(v["priority_id"], json!("2"));
    assert_eq!(
        TicketUpdate::new().status_id(5u32).status,
        Some(StatusChange::Id(Id::from(5u32)))
    );

    let n = NewNote::internal("Checked the logs").extra("timeStarted", "2024-01-01T09:00:00Z");
    let v = round_trip(&n);
    assert_eq!(keys(&v), plain_fields("text, internal, extra"));
    assert_eq!(v["internal"], json!(true));
    assert!(!NewNote::new("hello").internal);
}

#[test]
fn merge_extra_adds_fields_and_extra_wins() {
    let mut body = Map::new();
    body.insert("summary".into(), json!("Printer on fire"));
    body.insert("board".into(), json!({"id": 1}));
    let mut extra = Map::new();
    extra.insert("board".into(), json!({"id": 7, "name": "Service"}));
    extra.insert("type".into(), json!({"id": 3}));
    merge_extra(&mut body, &extra);
    assert_eq!(
        Value::Object(body.clone()),
        json!({
            "summary": "Printer on fire",
            "board": {"id": 7, "name": "Service"},
            "type": {"id": 3}
        })
    );
    // An empty extra changes nothing.
    let before = body.clone();
    merge_extra(&mut body, &Map::new());
    assert_eq!(body, before);
    // Through the write shapes' builders.
    let t = NewTicket::new("x").extra("summary", "overridden");
    let mut body = Map::new();
    body.insert("summary".into(), json!(t.summary));
    merge_extra(&mut body, &t.extra);
    assert_eq!(body["summary"], json!("overridden"));
}

// ---------------------------------------------------------------------------
// TicketQuery::accepts_state

const ALL_STATES: [TicketState; 7] = [
    TicketState::New,
    TicketState::Open,
    TicketState::InProgress,
    TicketState::Waiting,
    TicketState::Resolved,
    TicketState::Closed,
    TicketState::Other,
];

fn accepted(q: &TicketQuery) -> Vec<TicketState> {
    ALL_STATES
        .into_iter()
        .filter(|s| q.accepts_state(*s))
        .collect()
}

#[test]
fn ticket_query_accepts_states_by_filter() {
    assert_eq!(accepted(&TicketQuery::new()), ALL_STATES);
    assert_eq!(
        accepted(&TicketQuery::new().open()),
        [
            TicketState::New,
            TicketState::Open,
            TicketState::InProgress,
            TicketState::Waiting,
            TicketState::Other
        ]
    );
    assert_eq!(
        accepted(&TicketQuery::new().closed()),
        [TicketState::Resolved, TicketState::Closed]
    );
}

#[test]
fn ticket_query_states_narrow_the_filter() {
    let q = TicketQuery::new().states([TicketState::Waiting, TicketState::Closed]);
    assert_eq!(accepted(&q), [TicketState::Waiting, TicketState::Closed]);
    let q = TicketQuery::new()
        .open()
        .states([TicketState::Waiting, TicketState::Closed]);
    assert_eq!(accepted(&q), [TicketState::Waiting]);
    let q = TicketQuery::new()
        .closed()
        .states([TicketState::Waiting, TicketState::Closed]);
    assert_eq!(accepted(&q), [TicketState::Closed]);
    // Open but only closed states: nothing.
    let q = TicketQuery::new().open().states([TicketState::Resolved]);
    assert!(accepted(&q).is_empty());
    // The last of open()/closed() wins; states([]) means any.
    let q = TicketQuery::new().closed().open().states([]);
    assert_eq!(accepted(&q).len(), 5);
}

#[test]
fn ticket_query_builders_keep_their_settings() {
    let since = at("2024-01-01T00:00:00Z");
    let q = TicketQuery::new()
        .updated_since(since)
        .page_size(50)
        .limit(10)
        .company(250u64);
    assert_eq!(q.updated_since, Some(since));
    assert_eq!(q.page_size, Some(50));
    assert_eq!(q.limit, Some(10));
    assert_eq!(q.company_id, Some(Id::from("250")));
}

// ---------------------------------------------------------------------------
// Capabilities

#[test]
fn capabilities_sets() {
    let none = Capabilities::none();
    assert_eq!(none, Capabilities::default());
    assert_eq!(none.operations().count(), 0);
    for op in Operation::PSA.into_iter().chain(Operation::RMM) {
        assert!(!none.supports(op));
    }

    let psa = Capabilities::all_psa();
    let rmm = Capabilities::all_rmm();
    for op in Operation::PSA {
        assert!(psa.supports(op) && !rmm.supports(op), "{op}");
    }
    for op in Operation::RMM {
        assert!(rmm.supports(op) && !psa.supports(op), "{op}");
    }
    assert_eq!(psa.operations().collect::<Vec<_>>(), Operation::PSA);
    assert_eq!(rmm.operations().collect::<Vec<_>>(), Operation::RMM);

    // Unleashed: companies and contacts only.
    let unleashed = Capabilities::of(&[
        Operation::Companies,
        Operation::Company,
        Operation::Contacts,
    ]);
    assert_eq!(
        unleashed.operations().collect::<Vec<_>>(),
        [
            Operation::Companies,
            Operation::Company,
            Operation::Contacts
        ]
    );
    assert!(!unleashed.supports(Operation::Tickets));
    assert_eq!(
        format!("{unleashed:?}"),
        r#"{"companies", "company", "contacts"}"#
    );

    // Syncro: both sides, minus agreements.
    let both = Capabilities::all_psa()
        .with_all(&Operation::RMM)
        .without(Operation::Agreements);
    assert_eq!(both.operations().count(), 15);
    assert!(!both.supports(Operation::Agreements));
    assert!(both.supports(Operation::Software));
    let again = both.with(Operation::Agreements);
    assert!(again.supports(Operation::Agreements));
    assert_eq!(again.without(Operation::Agreements), both);
    // Adding twice or removing what is absent changes nothing.
    assert_eq!(again.with(Operation::Agreements), again);
    assert_eq!(none.without(Operation::Sites), none);

    // Const-usable, as provider crates declare them.
    const CAPS: Capabilities = Capabilities::none().with(Operation::Devices);
    assert!(CAPS.supports(Operation::Devices));
}

#[test]
fn operation_names() {
    let names: Vec<&str> = Operation::PSA
        .into_iter()
        .chain(Operation::RMM)
        .map(Operation::as_str)
        .collect();
    assert_eq!(
        names,
        [
            "companies",
            "company",
            "contacts",
            "tickets",
            "ticket",
            "create_ticket",
            "update_ticket",
            "ticket_notes",
            "add_ticket_note",
            "agreements",
            "organizations",
            "sites",
            "devices",
            "device",
            "alerts",
            "software"
        ]
    );
    assert_eq!(Operation::CreateTicket.to_string(), "create_ticket");
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), 16);
}

// ---------------------------------------------------------------------------
// Id

#[test]
fn id_conversions() {
    assert_eq!(Id::from(42u32).as_str(), "42");
    assert_eq!(Id::from(42u64).as_str(), "42");
    assert_eq!(Id::from(-7i32).as_str(), "-7");
    assert_eq!(Id::from(-7i64).as_str(), "-7");
    assert_eq!(Id::from(9usize).as_str(), "9");
    assert_eq!(Id::from(u64::MAX).as_str(), "18446744073709551615");
    assert_eq!(Id::from("abc").as_str(), "abc");
    let owned = String::from("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    assert_eq!(Id::from(&owned).as_str(), owned);
    assert_eq!(Id::from(owned.clone()), Id::new(owned.clone()));
    assert_eq!(Id::new(owned.clone()).into_string(), owned);

    assert_eq!(Id::from("42").as_u64(), Some(42));
    assert_eq!(Id::from(u64::MAX).as_u64(), Some(u64::MAX));
    assert_eq!(Id::from(-7i64).as_u64(), None);
    assert_eq!(Id::from("abc").as_u64(), None);
    assert_eq!(Id::from("").as_u64(), None);

    let id = Id::from(1042u64);
    assert_eq!(id.to_string(), "1042");
    assert_eq!(format!("tickets/{id}"), "tickets/1042");
    let s: &str = id.as_ref();
    assert_eq!(s, "1042");
    assert_eq!(serde_json::to_value(&id).unwrap(), json!("1042"));
    assert_eq!(serde_json::from_value::<Id>(json!("1042")).unwrap(), id);

    // Usable as a key.
    let set: BTreeSet<Id> = ["b", "a", "b"].into_iter().map(Id::from).collect();
    assert_eq!(
        set.into_iter().collect::<Vec<_>>(),
        [Id::from("a"), Id::from("b")]
    );
    let set: HashSet<Id> = [Id::from(1u32), Id::from("1")].into_iter().collect();
    assert_eq!(set.len(), 1);
}

// ---------------------------------------------------------------------------
// raw passthrough

#[test]
fn raw_is_kept_only_when_asked() {
    let payload = json!({"Guid": "3f2504e0", "CustomerName": "Acme Ltd"});
    let off = ClientOptions::default();
    assert_eq!(off.raw(&payload), None);
    let mut on = ClientOptions::default();
    on.keep_raw = true;
    assert_eq!(on.raw(&payload), Some(payload.clone()));

    let mut c = Company::new(Provider::Unleashed, "3f2504e0", "Acme Ltd");
    c.raw = on.raw(&payload);
    let v = round_trip(&c);
    assert_eq!(v["raw"], payload);
}

#[test]
fn non_empty_trims_and_drops_blanks() {
    use mspkit_core::model::non_empty;
    assert_eq!(non_empty(Some("Acme".into())).as_deref(), Some("Acme"));
    assert_eq!(
        non_empty(Some("  Acme Ltd ".into())).as_deref(),
        Some("Acme Ltd")
    );
    assert_eq!(non_empty(Some(" \t ".into())), None);
    assert_eq!(non_empty(Some(String::new())), None);
    assert_eq!(non_empty(None), None);
}
