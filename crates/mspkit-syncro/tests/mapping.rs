//! Mapping on Syncro's own sample payloads (the example responses of its
//! OpenAPI document, in `fixtures/`), every normalized field checked.

// Test helpers panic by design: a failed read is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    AlertQuery, DeviceQuery, DeviceType, Id, ListQuery, NewNote, NewTicket, PriorityLevel,
    Provider, PsaClient, RmmClient, Severity, TicketQuery, TicketState,
};
use mspkit_syncro::SyncroClient;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let text = match name {
        "tickets_list" => include_str!("fixtures/tickets_list.json"),
        "ticket" => include_str!("fixtures/ticket.json"),
        "ticket_created" => include_str!("fixtures/ticket_created.json"),
        "customers_list" => include_str!("fixtures/customers_list.json"),
        "customer" => include_str!("fixtures/customer.json"),
        "contacts_list" => include_str!("fixtures/contacts_list.json"),
        "contracts_list" => include_str!("fixtures/contracts_list.json"),
        "contract" => include_str!("fixtures/contract.json"),
        "comments_list" => include_str!("fixtures/comments_list.json"),
        "comment_added" => include_str!("fixtures/comment_added.json"),
        "ticket_settings" => include_str!("fixtures/ticket_settings.json"),
        "assets_list" => include_str!("fixtures/assets_list.json"),
        "rmm_alerts_list" => include_str!("fixtures/rmm_alerts_list.json"),
        "me" => include_str!("fixtures/me.json"),
        other => panic!("no fixture {other}"),
    };
    serde_json::from_str(text).unwrap()
}

fn at(s: &str) -> Option<DateTime<Utc>> {
    Some(s.parse().unwrap())
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A server answering `GET {p}` (or `verb`) with `body`, and a client of it.
struct Fake {
    server: MockServer,
}

impl Fake {
    async fn new() -> Self {
        let server = MockServer::start().await;
        let f = Fake { server };
        f.get("/api/v1/tickets/settings", fixture("ticket_settings"))
            .await;
        f.get("/api/v1/me", fixture("me")).await;
        f
    }

    async fn get(&self, p: &str, body: Value) {
        self.on("GET", p, body).await;
    }

    async fn on(&self, verb: &str, p: &str, body: Value) {
        Mock::given(method(verb))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    fn client(&self, keep_raw: bool) -> SyncroClient {
        SyncroClient::builder()
            .base_url(self.server.uri())
            .api_key("k")
            .allow_insecure_http()
            .keep_raw(keep_raw)
            .build()
            .unwrap()
    }
}

#[tokio::test]
async fn customers_become_companies_and_organizations() {
    let f = Fake::new().await;
    f.get("/api/v1/customers", fixture("customers_list")).await;
    f.get("/api/v1/customers/1", fixture("customer")).await;
    let c = f.client(true);

    let companies: Vec<_> = c.companies(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(companies.len(), 1);
    let co = &companies[0];
    assert_eq!(co.id, Id::from("1"));
    assert_eq!(co.provider, Provider::Syncro);
    // `business_name` is null: the person's name, as `business_then_name` gives it.
    assert_eq!(co.name, "Walkin Customer");
    assert_eq!(co.identifier, None);
    assert_eq!(co.phone.as_deref(), Some("123"));
    assert_eq!(co.website, None);
    assert_eq!(co.address, None, "every address field is null");
    assert_eq!(co.active, Some(true));
    assert_eq!(co.created_at, at("2019-10-21T08:33:21.053Z"));
    assert_eq!(co.updated_at, at("2019-10-21T08:33:21.053Z"));
    assert_eq!(
        co.raw.as_ref().unwrap(),
        &fixture("customers_list")["customers"][0]
    );

    let one = c.company(&Id::from("1")).await.unwrap();
    assert_eq!(one.name, "Walkin Customer");
    assert_eq!(one.raw.as_ref().unwrap(), &fixture("customer")["customer"]);

    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let o = &orgs[0];
    assert_eq!((o.id.as_str(), o.name.as_str()), ("1", "Walkin Customer"));
    assert_eq!(o.created_at, at("2019-10-21T08:33:21.053Z"));
    assert_eq!(o.updated_at, at("2019-10-21T08:33:21.053Z"));
}

#[tokio::test]
async fn a_business_customer_with_an_address_and_no_phone() {
    let f = Fake::new().await;
    let mut list = fixture("customers_list");
    let c0 = &mut list["customers"][0];
    c0["business_name"] = json!("Acme Dental");
    c0["business_then_name"] = json!("Acme Dental");
    c0["phone"] = json!(" ");
    c0["mobile"] = json!("555-0199");
    c0["address"] = json!("123 Main St");
    c0["address_2"] = json!("Suite 4");
    c0["city"] = json!("Springfield");
    c0["state"] = json!("OR");
    c0["zip"] = json!("97477");
    c0["disabled"] = json!(true);
    f.get("/api/v1/customers", list).await;
    let co = f
        .client(false)
        .companies(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    assert_eq!(co.name, "Acme Dental");
    assert_eq!(
        co.phone.as_deref(),
        Some("555-0199"),
        "mobile when no phone"
    );
    let a = co.address.unwrap();
    assert_eq!(a.line1.as_deref(), Some("123 Main St"));
    assert_eq!(a.line2.as_deref(), Some("Suite 4"));
    assert_eq!(a.city.as_deref(), Some("Springfield"));
    assert_eq!(a.region.as_deref(), Some("OR"));
    assert_eq!(a.postal_code.as_deref(), Some("97477"));
    assert_eq!(a.country, None);
    assert_eq!(co.active, Some(false));
    assert_eq!(co.raw, None);
}

#[tokio::test]
async fn contacts_split_their_one_name() {
    let f = Fake::new().await;
    f.get("/api/v1/contacts", fixture("contacts_list")).await;
    let c = f
        .client(false)
        .contacts(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    assert_eq!(c.id, Id::from("1"));
    assert_eq!(c.company_id, Some(Id::from("1")));
    assert_eq!(c.first_name.as_deref(), Some("Boba"));
    assert_eq!(c.last_name.as_deref(), Some("Fett"));
    assert_eq!(c.email.as_deref(), Some("jarviscorwin@hanefeeney.io"));
    assert_eq!(c.phone.as_deref(), Some("657.325.3258 x330"));
    assert_eq!(c.title, None, "properties has no title");
    assert_eq!(c.active, None, "Syncro contacts have no active flag");
    assert_eq!(c.created_at, at("2019-10-22T08:47:09.723Z"));
    assert_eq!(c.updated_at, at("2019-10-22T08:47:09.723Z"));
}

#[tokio::test]
async fn tickets_from_the_list_the_single_read_and_the_create_answer() {
    let f = Fake::new().await;
    f.get("/api/v1/tickets", fixture("tickets_list")).await;
    f.get("/api/v1/tickets/5", fixture("ticket")).await;
    f.on("POST", "/api/v1/tickets", fixture("ticket_created"))
        .await;
    let c = f.client(true);

    let t = c
        .tickets(TicketQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    assert_eq!(t.id, Id::from("1"));
    assert_eq!(t.number.as_deref(), Some("1"));
    assert_eq!(t.summary, "Some major problem");
    assert_eq!(t.description, None, "no comments in the list");
    assert_eq!(t.status.state, TicketState::New);
    assert_eq!(t.status.label.as_deref(), Some("New"));
    assert_eq!(t.status.id, Some(Id::from("New")));
    assert_eq!(t.priority, None);
    assert_eq!(t.company_id, Some(Id::from("1")));
    assert_eq!(t.contact_id, None);
    assert_eq!(t.assignee, None);
    assert_eq!(t.created_at, at("2019-11-04T08:59:31.034Z"));
    assert_eq!(t.updated_at, at("2019-11-04T08:59:31.034Z"));
    assert_eq!(t.closed_at, None);
    assert_eq!(
        t.raw.as_ref().unwrap(),
        &fixture("tickets_list")["tickets"][0]
    );

    let t = c.ticket(&Id::from("5")).await.unwrap();
    assert_eq!(t.id, Id::from("5"));
    assert_eq!(t.number.as_deref(), Some("4"));
    assert_eq!(t.assignee.as_deref(), Some("Bat Man"));
    assert_eq!(t.company_id, Some(Id::from("1")));
    assert_eq!(t.created_at, at("2019-11-05T07:40:54.824Z"));

    let t = c
        .create_ticket(NewTicket::new("Ticket Subject").company("1"))
        .await
        .unwrap();
    assert_eq!(t.id, Id::from("3"));
    assert_eq!(t.number.as_deref(), Some("2012"));
    assert_eq!(t.summary, "Ticket Subject");
    assert_eq!(t.description.as_deref(), Some("Comment Body"));
    let p = t.priority.unwrap();
    assert_eq!(p.level, PriorityLevel::High);
    assert_eq!(p.label.as_deref(), Some("High"));
    assert_eq!(t.assignee.as_deref(), Some("Bat Man"));
    assert_eq!(t.updated_at, at("2019-11-04T14:55:01.928Z"));
}

#[tokio::test]
async fn resolved_tickets_are_closed_by_resolved_at() {
    let f = Fake::new().await;
    let mut list = fixture("tickets_list");
    let t0 = list["tickets"][0].clone();
    let mut resolved = t0.clone();
    resolved["id"] = json!(2);
    resolved["status"] = json!("Invoiced");
    resolved["resolved_at"] = json!("2019-11-06T10:00:00Z");
    let mut custom = t0.clone();
    custom["id"] = json!(3);
    custom["status"] = json!("Waiting on Customer");
    custom["priority"] = json!("2 Normal");
    custom["user_id"] = json!(1);
    list["tickets"] = json!([t0, resolved, custom]);
    f.get("/api/v1/tickets", list).await;
    let all: Vec<_> = f
        .client(false)
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all[1].status.state, TicketState::Closed);
    assert_eq!(all[1].closed_at, at("2019-11-06T10:00:00Z"));
    assert_eq!(all[2].status.state, TicketState::Waiting);
    assert_eq!(
        all[2].priority.as_ref().unwrap().level,
        PriorityLevel::Medium
    );
    assert_eq!(
        all[2].assignee.as_deref(),
        Some("Bat Man"),
        "the technician's name from the ticket settings"
    );
}

#[tokio::test]
async fn comments_become_notes() {
    let f = Fake::new().await;
    f.get("/api/v1/tickets/1/comments", fixture("comments_list"))
        .await;
    f.on(
        "POST",
        "/api/v1/tickets/13/comment",
        fixture("comment_added"),
    )
    .await;
    let c = f.client(false);
    let n = c
        .ticket_notes(&Id::from("1"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    assert_eq!(n.id, Id::from("1"));
    assert_eq!(n.ticket_id, Id::from("1"));
    assert_eq!(n.text, "Test Body");
    assert!(!n.internal);
    assert_eq!(n.author.as_deref(), Some("Test Tech"));
    assert_eq!(n.created_at, at("2025-12-23T00:00:00Z"));

    let n = c
        .add_ticket_note(&Id::from("13"), NewNote::internal("Comment Body"))
        .await
        .unwrap();
    assert_eq!(n.id, Id::from("2"));
    assert_eq!(n.ticket_id, Id::from("13"));
    assert_eq!(n.text, "Comment Body");
    assert!(n.internal);
    assert_eq!(n.author.as_deref(), Some("Joe"));
    assert_eq!(n.created_at, at("2019-11-05T09:13:33.422Z"));
}

#[tokio::test]
async fn contracts_become_agreements_listed_wrapped_and_read_bare() {
    let f = Fake::new().await;
    f.get("/api/v1/contracts", fixture("contracts_list")).await;
    f.get("/api/v1/contracts/1", fixture("contract")).await;
    let c = f.client(false);
    let a = c
        .agreements(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    assert_eq!(a.id, Id::from("1"));
    assert_eq!(a.company_id, Some(Id::from("1")));
    assert_eq!(a.name, "Support Tier 1");
    assert_eq!(a.kind, None);
    assert_eq!(a.starts_on, day(2019, 10, 23));
    assert_eq!(a.ends_on, day(2020, 10, 22));
    assert_eq!(a.active, Some(false), "an opportunity");
    assert_eq!(c.agreement(&Id::from("1")).await.unwrap(), a);

    let mut active = fixture("contract");
    active["status"] = json!("Active");
    active["end_date"] = json!("2099-12-31T00:00:00.000Z");
    f.get("/api/v1/contracts/2", active).await;
    assert_eq!(
        c.agreement(&Id::from("2")).await.unwrap().active,
        Some(true)
    );
}

#[tokio::test]
async fn assets_become_devices() {
    let f = Fake::new().await;
    // The spec's example lists the asset without `meta`; the list pages
    // like every other, so the page count is added here.
    let mut page = fixture("assets_list");
    page["meta"] = json!({"total_pages": 1, "page": 1});
    f.get("/api/v1/customer_assets", page).await;
    let d = f
        .client(false)
        .devices(DeviceQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    assert_eq!(d.id, Id::from("7"));
    assert_eq!(d.organization_id, Some(Id::from("1")));
    assert_eq!(d.site_id, None);
    assert_eq!(d.display_name.as_deref(), Some("New Name"));
    assert_eq!(d.hostname, None, "not an agent-managed asset");
    assert_eq!(d.device_type, DeviceType::Other, "asset type `Dodrio`");
    assert_eq!(d.os_name, None, "`properties.OS` is the type's own field");
    assert_eq!(d.os_version, None);
    assert_eq!(d.online, None);
    assert_eq!(d.last_seen, None);
    assert!(d.ip_addresses.is_empty() && d.mac_addresses.is_empty());
    assert_eq!(d.serial_number.as_deref(), Some("NewSerial"));
    assert_eq!(d.manufacturer, None);
    assert_eq!(d.model, None);
    assert_eq!(d.agent_version, None);
    assert_eq!(d.logged_in_user, None);
}

/// An agent-managed asset: the agent's inventory in
/// `properties.kabuto_information` (a shape seen in public clients, not in
/// the spec; see the docs page).
#[tokio::test]
async fn agent_managed_assets_carry_the_agents_inventory() {
    let fake = mspkit_syncro::mock::start().await;
    let c = SyncroClient::from_settings(&fake.settings).unwrap();
    let d = c.device(&Id::from("7002")).await.unwrap();
    assert_eq!(d.hostname.as_deref(), Some("WS-001"));
    assert_eq!(d.display_name.as_deref(), Some("WS-001"));
    assert_eq!(
        d.device_type,
        DeviceType::Workstation,
        "form factor Desktop"
    );
    assert_eq!(d.os_name.as_deref(), Some("Microsoft Windows 10 Pro"));
    assert_eq!(d.os_version.as_deref(), Some("22H2"));
    assert_eq!(d.online, Some(true));
    assert!(d.last_seen.is_some());
    assert_eq!(d.ip_addresses, ["10.0.0.21"]);
    assert_eq!(d.mac_addresses, ["00155D000002"]);
    assert_eq!(d.serial_number.as_deref(), Some("SN000001"));
    assert_eq!(d.manufacturer.as_deref(), Some("LENOVO"));
    assert_eq!(d.model.as_deref(), Some("20QD00LMUK"));
    assert_eq!(d.logged_in_user.as_deref(), Some("ACME\\user1"));
    let server = c.device(&Id::from("7004")).await.unwrap();
    assert_eq!(server.device_type, DeviceType::Server);
    assert_eq!(server.online, Some(false), "agent_offline_triggered");
    let printer = c.device(&Id::from("7005")).await.unwrap();
    assert_eq!(
        printer.device_type,
        DeviceType::Network,
        "asset type Printer"
    );
    assert_eq!((printer.online, printer.os_name), (None, None));
}

#[tokio::test]
async fn rmm_alerts_become_alerts() {
    let f = Fake::new().await;
    f.get("/api/v1/rmm_alerts", fixture("rmm_alerts_list"))
        .await;
    let a = f
        .client(false)
        .alerts(AlertQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .remove(0);
    assert_eq!(a.id, Id::from("1"));
    assert_eq!(a.device_id, Some(Id::from("1")));
    assert_eq!(a.organization_id, None, "customer_id 0");
    assert_eq!(
        a.severity,
        Severity::Other,
        "Syncro alerts have no severity"
    );
    assert_eq!(a.message, "MyText");
    assert_eq!(a.created_at, at("2019-10-31T08:22:35.058Z"));
    assert!(!a.resolved);
    assert_eq!(a.resolved_at, None);
}
