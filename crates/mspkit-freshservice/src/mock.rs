//! A fake Freshservice (feature `mock`), for tests and the demo.
//!
//! It answers like Freshservice's API v2 under `/api/v2/`: HTTP Basic with
//! the API key as the user and `X` as the password (`401
//! {"code":"invalid_credentials",...}` otherwise), `page` / `per_page`
//! paging (30 by default, at most 100) with the next page in a `Link:
//! <...>; rel="next"` header, the wrapper keys (`{"tickets": [...]}`,
//! `{"ticket": {...}}`), `X-RateLimit-*` headers on every response (a
//! budget of 200 a minute, counted from the window's first request; past it,
//! an empty 429 with `Retry-After` until the window ends), List
//! Tickets' 30-day default window (without `updated_since` only tickets
//! created in the last 30 days come back) and its server-side
//! `updated_since` filter, integer status / priority / source codes with
//! one custom status, both error shapes (`{description, errors: [...]}` and
//! `{code, message}`), an empty 404 and a 405 for a wrong method.
//!
//! [`start`] is an ITSM tenant (departments); [`start_msp`] is a tenant of
//! Freshservice for MSPs, where each client is a workspace and lists that
//! are not given a `workspace_id` answer the primary workspace only.
//!
//! The data follows the notes' samples: six departments, six workspaces,
//! twelve requesters, thirty-eight tickets (two of them created in the last
//! days), their conversations, five contracts of four types.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{PsaClient, TicketQuery};
//!
//! let fake = mspkit_freshservice::mock::start().await;
//! let client = mspkit_freshservice::FreshserviceClient::from_settings(&fake.settings)?;
//! let tickets: Vec<_> = client.tickets(TicketQuery::new()).try_collect().await?;
//! assert_eq!(Some(tickets.len()), fake.expected.tickets);
//! # Ok(()) }
//! ```

use std::sync::{Mutex, PoisonError};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, SecondsFormat, TimeZone, Utc};
use mspkit_core::{Id, SecretString};
use mspkit_testkit::{BasicAuth, PageScheme, Paged, Reply, mount_gate, query_param, text_of};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Map, Value, json};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::{CompanySource, FreshserviceSettings};

/// The API key the fake server accepts.
pub const API_KEY: &str = "mock-fs-api-key-7Hq2Lr9Xc4";

/// The ticket with conversations, and how many.
pub const TICKET_WITH_NOTES: (u64, usize) = (101, 4);

/// The custom status every fake tenant has (beside the fixed 2 to 5).
pub const CUSTOM_STATUS: (u64, &str) = (6, "Awaiting Vendor");

/// The agent the API key belongs to (author of the notes it adds).
const API_AGENT: u64 = 17_000_000_101;

/// The primary workspace of the fake tenants.
const PRIMARY_WORKSPACE: u64 = 1;

/// The per-minute budget the fake reports in `X-RateLimit-Total`.
const RATE_LIMIT_TOTAL: u64 = 200;

/// The window `RATE_LIMIT_TOTAL` is counted over.
const RATE_LIMIT_WINDOW: std::time::Duration = std::time::Duration::from_secs(60);

/// Starts a fake ITSM tenant (companies are departments) on loopback.
pub async fn start() -> FakeServer<FreshserviceSettings> {
    start_with(CompanySource::Departments).await
}

/// Starts a fake tenant of Freshservice for MSPs (companies are workspaces).
pub async fn start_msp() -> FakeServer<FreshserviceSettings> {
    start_with(CompanySource::Workspaces).await
}

async fn start_with(source: CompanySource) -> FakeServer<FreshserviceSettings> {
    let server = MockServer::start().await;
    let data = Data::new(Utc::now());
    let mut expected = Expected::new();
    expected.contacts = Some(data.requesters.len());
    expected.tickets = Some(data.tickets.len());
    expected.agreements = Some(data.contracts.len());
    expected.ticket_with_notes = Some((Id::from(TICKET_WITH_NOTES.0), TICKET_WITH_NOTES.1));
    match source {
        CompanySource::Workspaces => {
            expected.companies = Some(data.workspaces.len());
            expected.company_id = Some(Id::from(3u64));
        }
        _ => {
            expected.companies = Some(data.departments.len());
            expected.company_id = Some(Id::from(17_000_123_457u64));
        }
    }
    let refusal = Reply::json(
        401,
        json!({"code": "invalid_credentials", "message": "You have to be logged in to perform this action."}),
    );
    mount_gate(
        &server,
        path_regex("^/api/"),
        BasicAuth::new(API_KEY, "X", refusal),
    )
    .await;
    Mock::given(path_regex("^/api/v2/"))
        .respond_with(Router::new(data, source == CompanySource::Workspaces))
        .mount(&server)
        .await;
    let mut settings = FreshserviceSettings::new("mock", SecretString::from(API_KEY));
    settings.domain = None;
    settings.base_url = Some(server.uri());
    settings.company_source = source;
    settings.allow_insecure_http = true;
    let basic = STANDARD.encode(format!("{API_KEY}:X"));
    FakeServer::new(server, settings, expected).secrets([API_KEY.to_owned(), basic])
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap_or_default()
}

/// What the fake tenant holds.
struct Data {
    departments: Vec<Value>,
    workspaces: Vec<Value>,
    requesters: Vec<Value>,
    tickets: Vec<Value>,
    conversations: Vec<Value>,
    contracts: Vec<Value>,
    contract_types: Vec<Value>,
}

impl Data {
    fn new(now: DateTime<Utc>) -> Self {
        let departments: Vec<Value> = [
            (
                17_000_123_456u64,
                "Finance",
                "Finance and payroll",
                "finance.acme.example",
            ),
            (
                17_000_123_457,
                "IT",
                "Internal IT and infrastructure",
                "it.acme.example",
            ),
            (
                17_000_123_458,
                "Human Resources",
                "People operations",
                "hr.acme.example",
            ),
            (
                17_000_123_459,
                "Sales",
                "Field and inside sales",
                "sales.acme.example",
            ),
            (
                17_000_123_460,
                "Operations",
                "Warehouse and logistics",
                "ops.acme.example",
            ),
            (
                17_000_123_461,
                "Legal",
                "Contracts and compliance",
                "legal.acme.example",
            ),
        ]
        .iter()
        .enumerate()
        .map(|(i, (id, name, description, domain))| {
            let created = at(2023, 6, 1, 10, 0) + Duration::days(30 * i as i64);
            let updated = at(2024, 1, 20, 8, 30) + Duration::days(25 * i as i64);
            json!({
                "id": id, "name": name, "description": description,
                "head_user_id": 17_000_987_654u64 + i as u64, "prime_user_id": null,
                "domains": [domain], "custom_fields": {},
                "created_at": ts(created), "updated_at": ts(updated)
            })
        })
        .collect();
        let workspaces: Vec<Value> = [
            (
                1u64,
                "Northwind Managed Services",
                "active",
                true,
                "The MSP's own service desk",
            ),
            (2, "Acme Corporation", "active", false, "Client since 2021"),
            (3, "Globex Industries", "active", false, "Client since 2022"),
            (4, "Initech", "active", false, "Client since 2023"),
            (
                5,
                "Umbrella Logistics",
                "active",
                false,
                "Client since 2023",
            ),
            (6, "Hooli Retail", "draft", false, "Onboarding"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (id, name, state, primary, description))| {
            json!({
                "id": id, "name": name, "description": description, "primary": primary,
                "restricted": false, "state": state, "template_name": "IT",
                "created_at": ts(at(2023, 9, 1, 12, 0) + Duration::days(20 * i as i64)),
                "updated_at": ts(at(2024, 2, 10, 9, 15) + Duration::days(15 * i as i64))
            })
        })
        .collect();
        let people = [
            ("Dana", "Reyes", "Accountant"),
            ("Malik", "Osei", "Systems Administrator"),
            ("Priya", "Natarajan", "HR Business Partner"),
            ("Tomás", "Álvarez", "Account Executive"),
            ("Grace", "Lindqvist", "Logistics Coordinator"),
            ("Kenji", "Watanabe", "Paralegal"),
            ("Amara", "Nwosu", "Controller"),
            ("Lukas", "Becker", "Network Engineer"),
            ("Sofia", "Rossi", "Recruiter"),
            ("Ethan", "Clarke", "Sales Manager"),
            ("Hannah", "Novak", "Dispatcher"),
            ("Omar", "Haddad", "Compliance Officer"),
        ];
        let requesters: Vec<Value> = people
            .iter()
            .enumerate()
            .map(|(i, (first, last, title))| {
                let dept = 17_000_123_456u64 + (i % 6) as u64;
                let mut depts = vec![dept];
                if i % 5 == 0 {
                    depts.push(17_000_123_456 + ((i + 1) % 6) as u64);
                }
                let created = at(2023, 8, 1, 9, 0) + Duration::days(11 * i as i64);
                let updated = at(2024, 2, 1, 16, 45) + Duration::days(6 * i as i64);
                json!({
                    "id": 17_000_555_000u64 + i as u64,
                    "first_name": first, "last_name": last, "job_title": title,
                    "primary_email": format!("{}.{}@acme.example", first.to_lowercase(), last.to_lowercase()),
                    "secondary_emails": [],
                    "work_phone_number": if i % 3 == 2 { Value::Null } else { json!(format!("+1 555 01{i:02}")) },
                    "mobile_phone_number": if i % 3 == 2 { json!(format!("+1 555 09{i:02}")) } else { Value::Null },
                    "department_ids": depts,
                    "workspace_id": 1 + (i % 6) as u64,
                    "can_see_all_tickets_from_associated_departments": false,
                    "reporting_manager_id": null, "address": null,
                    "time_zone": "Eastern Time (US & Canada)", "language": "en",
                    "location_id": null, "background_information": null,
                    "custom_fields": {}, "active": i != 7, "has_logged_in": i % 2 == 0,
                    "external_id": null,
                    "created_at": ts(created), "updated_at": ts(updated)
                })
            })
            .collect();
        let subjects = [
            "Laptop will not boot after update",
            "VPN drops every few minutes",
            "New starter: accounts and hardware",
            "Printer on floor 2 jams",
            "Request: Adobe Acrobat licence",
            "Outlook keeps asking for password",
            "Replace failing disk in file server",
            "Wi-Fi slow in meeting room B",
            "Shared mailbox access for payroll",
        ];
        let statuses = [2u64, 2, 3, 4, 5, 2, CUSTOM_STATUS.0, 3, 5];
        let categories = [
            ("Hardware", "Computer", "PC"),
            ("Network", "VPN", "Client"),
            ("Software", "Windows", "Update"),
        ];
        let mut tickets: Vec<Value> = (0..36u64)
            .map(|i| {
                let created = at(2023, 12, 1, 9, 0)
                    + Duration::days(4 * i as i64)
                    + Duration::hours((i % 7) as i64);
                let updated = created + Duration::days((i % 5) as i64) + Duration::hours(3);
                ticket_json(TicketSeed {
                    id: 101 + i,
                    subject: subjects[(i % 9) as usize],
                    status: statuses[(i % 9) as usize],
                    priority: 1 + i % 4,
                    source: [1u64, 2, 3, 4, 9][(i % 5) as usize],
                    department: 17_000_123_456 + i % 6,
                    workspace: 1 + i % 6,
                    requester: 17_000_555_000 + i % 12,
                    responder: (i % 4 != 3).then_some(17_000_000_101 + i % 3),
                    category: categories[(i % 3) as usize],
                    created,
                    updated,
                })
            })
            .collect();
        // Two tickets of the last days: all a list without `updated_since` shows.
        for (n, days) in [(137u64, 3i64), (138, 1)] {
            let created = now - Duration::days(days);
            tickets.push(ticket_json(TicketSeed {
                id: n,
                subject: "Monitor flickers",
                status: 2,
                priority: 2,
                source: 2,
                department: 17_000_123_457,
                workspace: 2,
                requester: 17_000_555_001,
                responder: None,
                category: categories[0],
                created,
                updated: created + Duration::hours(2),
            }));
        }
        let mut conversations = Vec::new();
        let mut conv_id = 17_001_000_001u64;
        for (ticket, items) in [
            (
                101u64,
                vec![
                    (
                        false,
                        true,
                        Some("dana.reyes@acme.example"),
                        "It shows a black screen after the Windows update.",
                    ),
                    (
                        true,
                        false,
                        None,
                        "Checked BIOS; the SSD is detected. Rolling back the update.",
                    ),
                    (
                        false,
                        false,
                        None,
                        "We are rolling back the update; please keep the laptop plugged in.",
                    ),
                    (true, false, None, "Rollback done, monitoring for a day."),
                ],
            ),
            (
                102,
                vec![(
                    false,
                    true,
                    Some("malik.osei@acme.example"),
                    "Happens on the home network too.",
                )],
            ),
        ] {
            for (k, (private, incoming, from, text)) in items.into_iter().enumerate() {
                let created = at(2023, 12, 1, 11, 0) + Duration::hours(5 * k as i64);
                conversations.push(json!({
                    "id": conv_id, "user_id": if incoming { 17_000_555_000u64 } else { API_AGENT },
                    "to_emails": [], "from_email": from, "cc_emails": [], "bcc_emails": [],
                    "body": format!("<div>{text}</div>"), "body_text": text,
                    "ticket_id": ticket, "incoming": incoming, "private": private,
                    "source": if incoming { 0 } else { 2 }, "support_email": null,
                    "attachments": [],
                    "created_at": ts(created), "updated_at": ts(created)
                }));
                conv_id += 1;
            }
        }
        let contract_types: Vec<Value> = [
            (1u64, "Lease"),
            (2, "Maintenance"),
            (3, "Software License"),
            (4, "Warranty"),
        ]
        .iter()
        .map(|(id, name)| {
            json!({"id": id, "name": name, "description": format!("{name} contracts"),
                       "needs_approval": false, "is_default": true,
                       "created_at": "2023-01-01T00:00:00Z", "updated_at": "2023-01-01T00:00:00Z"})
        })
        .collect();
        let contracts: Vec<Value> = [
            (1u64, "Copier lease - HQ", "CTR-1001", 1u64, "active", (2023, 1, 1), (2026, 12, 31), 2u64),
            (2, "Server maintenance", "CTR-1002", 2, "active", (2024, 1, 1), (2024, 12, 31), 2),
            (3, "Microsoft 365 E3", "CTR-1003", 3, "active", (2023, 7, 1), (2025, 6, 30), 3),
            (4, "Laptop warranty extension", "CTR-1004", 4, "expired", (2021, 3, 1), (2024, 2, 29), 3),
            (5, "Firewall support renewal", "CTR-1005", 2, "draft", (2024, 6, 1), (2025, 5, 31), 4),
        ]
        .iter()
        .enumerate()
        .map(|(i, (id, name, number, kind, status, start, end, ws))| {
            json!({
                "id": id, "name": name, "description": null, "vendor_id": 17_000_321_000u64 + i as u64,
                "auto_renew": i % 2 == 0, "notify_expiry": true, "notify_before": 30,
                "approver_id": 17_000_000_101u64, "cost": 1200.0 + 250.0 * i as f64,
                "status": status, "contract_number": number, "contract_type_id": kind,
                "visible_to_id": null, "notify_to": ["it-admins@acme.example"],
                "expiry_notified": false, "requester_id": null, "delegatee_id": null,
                "software_id": null, "license_type": null, "billing_cycle": "annual",
                "license_key": null, "workspace_id": ws,
                "start_date": ts(at(start.0, start.1, start.2, 0, 0)),
                "end_date": ts(at(end.0, end.1, end.2, 0, 0)),
                "created_at": ts(at(2023, 1, 5, 9, 0) + Duration::days(60 * i as i64)),
                "updated_at": ts(at(2024, 1, 15, 9, 0) + Duration::days(40 * i as i64))
            })
        })
        .collect();
        Data {
            departments,
            workspaces,
            requesters,
            tickets,
            conversations,
            contracts,
            contract_types,
        }
    }
}

struct TicketSeed {
    id: u64,
    subject: &'static str,
    status: u64,
    priority: u64,
    source: u64,
    department: u64,
    workspace: u64,
    requester: u64,
    responder: Option<u64>,
    category: (&'static str, &'static str, &'static str),
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
}

/// A ticket in the shape of the notes' sample (section 7.1).
fn ticket_json(s: TicketSeed) -> Value {
    let text = format!("{}. Reported through the portal.", s.subject);
    json!({
        "subject": s.subject,
        "group_id": 17_000_444_000u64 + s.id % 3,
        "department_id": s.department,
        "category": s.category.0, "sub_category": s.category.1, "item_category": s.category.2,
        "requester_id": s.requester,
        "responder_id": s.responder,
        "due_by": ts(s.created + Duration::days(3)),
        "fr_escalated": false, "deleted": false, "spam": false,
        "email_config_id": null, "fwd_emails": [], "reply_cc_emails": [], "cc_emails": [],
        "is_escalated": false,
        "fr_due_by": ts(s.created + Duration::hours(8)),
        "id": s.id,
        "priority": s.priority, "status": s.status, "source": s.source,
        "urgency": 1 + s.id % 3, "impact": 1 + s.id % 3,
        "workspace_id": s.workspace,
        "created_at": ts(s.created), "updated_at": ts(s.updated),
        "requested_for_id": s.requester,
        "to_emails": null,
        "type": if s.id % 4 == 0 { "Service Request" } else { "Incident" },
        "description": format!("<div>{text}</div>"),
        "description_text": text,
        "custom_fields": {"business_impact": if s.priority >= 3 { json!("High") } else { Value::Null }},
        "tags": [], "attachments": []
    })
}

/// Routes `/api/v2/...` by hand: the lists and records live in mutable state.
struct Router {
    state: Mutex<State>,
    msp: bool,
    budget: Mutex<Budget>,
    pages: Pages,
}

/// The requests counted in the current minute, and when it began.
struct Budget {
    since: std::time::Instant,
    used: u64,
}

struct State {
    data: Data,
    next_ticket: u64,
    next_conversation: u64,
}

/// One paging responder per wrapper key.
struct Pages {
    departments: Paged,
    workspaces: Paged,
    requesters: Paged,
    tickets: Paged,
    conversations: Paged,
    contracts: Paged,
}

fn pager(key: &'static str) -> Paged {
    Paged::new(
        Vec::new(),
        PageScheme::link_header("page", "per_page", 1),
        move |v| ResponseTemplate::new(200).set_body_json(json!({ key: v.items })),
    )
    .default_size(30)
    .max_size(100)
}

impl Router {
    fn new(data: Data, msp: bool) -> Self {
        Router {
            state: Mutex::new(State {
                data,
                next_ticket: 139,
                next_conversation: 17_001_000_100,
            }),
            msp,
            budget: Mutex::new(Budget {
                since: std::time::Instant::now(),
                used: 0,
            }),
            pages: Pages {
                departments: pager("departments"),
                workspaces: pager("workspaces"),
                requesters: pager("requesters"),
                tickets: pager("tickets"),
                conversations: pager("conversations"),
                contracts: pager("contracts"),
            },
        }
    }

    fn route(&self, req: &Request) -> ResponseTemplate {
        let path = req
            .url
            .path()
            .trim_start_matches("/api/v2/")
            .trim_end_matches('/');
        let segments: Vec<&str> = path.split('/').collect();
        let method = req.method.as_str();
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match (method, segments.as_slice()) {
            ("GET", ["departments"]) => self.pages.departments.serve(req, &state.data.departments),
            ("GET", ["departments", id]) => one(&state.data.departments, id, "department"),
            ("GET", ["workspaces"]) => self.pages.workspaces.serve(req, &state.data.workspaces),
            ("GET", ["workspaces", id]) => one(&state.data.workspaces, id, "workspace"),
            ("GET", ["requesters"]) => {
                let kept = self.in_workspace(req, &state.data.requesters);
                self.pages.requesters.serve(req, &kept)
            }
            ("GET", ["tickets"]) => self.list_tickets(req, &state.data.tickets),
            ("POST", ["tickets"]) => create_ticket(req, &mut state),
            ("GET", ["tickets", id]) => view_ticket(req, &state.data.tickets, id),
            ("PUT", ["tickets", id]) => update_ticket(req, &mut state, id),
            ("GET", ["tickets", id, "conversations"]) => {
                if find(&state.data.tickets, id).is_none() {
                    return not_found();
                }
                let kept: Vec<Value> = state
                    .data
                    .conversations
                    .iter()
                    .filter(|c| text_of(&c["ticket_id"]) == *id)
                    .cloned()
                    .collect();
                self.pages.conversations.serve(req, &kept)
            }
            ("POST", ["tickets", id, "notes"]) => add_note(req, &mut state, id),
            ("GET", ["ticket_form_fields"]) => ok(json!({ "ticket_fields": ticket_fields() })),
            ("GET", ["contracts"]) => {
                let kept = self.in_workspace(req, &state.data.contracts);
                self.pages.contracts.serve(req, &kept)
            }
            ("GET", ["contract_types"]) => {
                ok(json!({ "contract_types": state.data.contract_types }))
            }
            (
                _,
                ["departments" | "workspaces" | "requesters" | "tickets" | "contracts"]
                | ["departments" | "workspaces" | "tickets", _]
                | ["tickets", _, "conversations" | "notes"],
            ) => ResponseTemplate::new(405).set_body_json(json!({
                "message": format!("{method} method is not allowed. It should be one of these method(s): GET, POST")
            })),
            _ => not_found(),
        }
    }

    /// An MSP tenant answers one workspace: the one asked for, else the primary.
    fn in_workspace(&self, req: &Request, items: &[Value]) -> Vec<Value> {
        if !self.msp {
            return items.to_vec();
        }
        let want =
            query_param(req, "workspace_id").unwrap_or_else(|| PRIMARY_WORKSPACE.to_string());
        items
            .iter()
            .filter(|v| text_of(&v["workspace_id"]) == want)
            .cloned()
            .collect()
    }

    /// `GET /tickets`: `updated_since` filters server-side; without it only
    /// the last 30 days' tickets come back.
    fn list_tickets(&self, req: &Request, tickets: &[Value]) -> ResponseTemplate {
        let since = match query_param(req, "updated_since") {
            None => None,
            Some(v) => match DateTime::parse_from_rfc3339(&v) {
                Ok(t) => Some(t.with_timezone(&Utc)),
                Err(_) => {
                    return validation(
                        "updated_since",
                        "It should be in the 'valid date time' format",
                        "invalid_value",
                    );
                }
            },
        };
        let window = Utc::now() - Duration::days(30);
        let kept: Vec<Value> = self
            .in_workspace(req, tickets)
            .into_iter()
            .filter(|t| match since {
                Some(s) => instant(&t["updated_at"]).is_some_and(|u| u >= s),
                None => instant(&t["created_at"]).is_some_and(|c| c >= window),
            })
            .collect();
        self.pages.tickets.serve(req, &kept)
    }
}

impl Respond for Router {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let now = std::time::Instant::now();
        let counted = {
            let mut b = self.budget.lock().unwrap_or_else(PoisonError::into_inner);
            if now.duration_since(b.since) >= RATE_LIMIT_WINDOW {
                b.since = now;
                b.used = 0;
            }
            if b.used < RATE_LIMIT_TOTAL {
                b.used += 1;
                Ok(RATE_LIMIT_TOTAL - b.used)
            } else {
                Err(RATE_LIMIT_WINDOW.saturating_sub(now.duration_since(b.since)))
            }
        };
        let total = RATE_LIMIT_TOTAL.to_string();
        match counted {
            Ok(remaining) => self
                .route(req)
                .insert_header("x-ratelimit-total", total.as_str())
                .insert_header("x-ratelimit-remaining", remaining.to_string().as_str())
                .insert_header("x-ratelimit-used-currentrequest", "1"),
            Err(left) => {
                // Whole seconds, rounded up: a `Retry-After` of 0 would
                // invite the next request into the same spent minute.
                let wait = left.as_secs() + u64::from(left.subsec_nanos() > 0);
                ResponseTemplate::new(429)
                    .insert_header("retry-after", wait.max(1).to_string().as_str())
                    .insert_header("x-ratelimit-total", total.as_str())
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("x-ratelimit-used-currentrequest", "1")
            }
        }
    }
}

fn instant(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// Freshservice answers a missing record with an empty 404.
fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404)
}

/// A validation failure, in Freshservice's shape.
fn validation(field: &str, message: &str, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({
        "description": "Validation failed",
        "errors": [{"field": field, "message": message, "code": code}]
    }))
}

fn find<'a>(items: &'a [Value], id: &str) -> Option<&'a Value> {
    items.iter().find(|v| text_of(&v["id"]) == id)
}

fn one(items: &[Value], id: &str, key: &str) -> ResponseTemplate {
    match find(items, id) {
        Some(v) => ok(json!({ key: v })),
        None => not_found(),
    }
}

fn with_stats(t: &Value) -> Value {
    let mut t = t.clone();
    let status = t["status"].as_u64().unwrap_or_default();
    let updated = t["updated_at"].clone();
    let resolved = if status == 4 || status == 5 {
        updated.clone()
    } else {
        Value::Null
    };
    let closed = if status == 5 { updated } else { Value::Null };
    t["stats"] = json!({
        "resolved_at": resolved, "closed_at": closed,
        "first_responded_at": t["fr_due_by"].clone(), "agent_responded_at": null,
        "requester_responded_at": null, "status_updated_at": t["updated_at"].clone()
    });
    t
}

fn view_ticket(req: &Request, tickets: &[Value], id: &str) -> ResponseTemplate {
    let Some(t) = find(tickets, id) else {
        return not_found();
    };
    let stats =
        query_param(req, "include").is_some_and(|i| i.split(',').any(|s| s.trim() == "stats"));
    ok(json!({ "ticket": if stats { with_stats(t) } else { t.clone() } }))
}

fn ticket_fields() -> Value {
    json!([
        {"id": 17_000_200_001u64, "workspace_id": null, "name": "requester", "label": "Requester",
         "description": "Ticket requester", "field_type": "default_requester", "required": true,
         "default_field": true, "choices": [], "nested_fields": [],
         "created_at": "2023-01-01T00:00:00Z", "updated_at": "2023-01-01T00:00:00Z"},
        {"id": 17_000_200_002u64, "workspace_id": null, "name": "status", "label": "Status",
         "description": "Ticket status", "field_type": "default_status", "required": true,
         "default_field": true,
         "choices": [
            {"id": 2, "value": "Open"}, {"id": 3, "value": "Pending"},
            {"id": 4, "value": "Resolved"}, {"id": 5, "value": "Closed"},
            {"id": CUSTOM_STATUS.0, "value": CUSTOM_STATUS.1}
         ],
         "nested_fields": [], "created_at": "2023-01-01T00:00:00Z", "updated_at": "2024-01-10T00:00:00Z"},
        {"id": 17_000_200_003u64, "workspace_id": null, "name": "priority", "label": "Priority",
         "description": "Ticket priority", "field_type": "default_priority", "required": true,
         "default_field": true,
         "choices": [{"id": 1, "value": "Low"}, {"id": 2, "value": "Medium"}, {"id": 3, "value": "High"}, {"id": 4, "value": "Urgent"}],
         "nested_fields": [], "created_at": "2023-01-01T00:00:00Z", "updated_at": "2023-01-01T00:00:00Z"}
    ])
}

// The refusal is the response itself, as in testkit's credential checks.
#[allow(clippy::result_large_err)]
fn body_object(req: &Request) -> Result<Map<String, Value>, ResponseTemplate> {
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(ResponseTemplate::new(400).set_body_json(json!({
            "description": "Validation failed",
            "errors": [{"field": "", "message": "Request body has invalid json format", "code": "invalid_json"}]
        }))),
    }
}

fn is_status(v: &Value) -> bool {
    v.as_u64()
        .is_some_and(|s| (2..=5).contains(&s) || s == CUSTOM_STATUS.0)
}

/// Checks the fields both writes share.
#[allow(clippy::result_large_err)]
fn check_fields(body: &Map<String, Value>) -> Result<(), ResponseTemplate> {
    if let Some(s) = body.get("status") {
        if !is_status(s) {
            return Err(validation(
                "status",
                "It should be one of these values: '2,3,4,5,6'",
                "invalid_value",
            ));
        }
    }
    if let Some(p) = body.get("priority") {
        if !p.as_u64().is_some_and(|p| (1..=4).contains(&p)) {
            return Err(validation(
                "priority",
                "It should be one of these values: '1,2,3,4'",
                "invalid_value",
            ));
        }
    }
    for key in [
        "requester_id",
        "department_id",
        "workspace_id",
        "group_id",
        "responder_id",
    ] {
        if body.get(key).is_some_and(|v| !v.is_u64() && !v.is_null()) {
            return Err(validation(
                key,
                "It should be a/an Positive Integer",
                "datatype_mismatch",
            ));
        }
    }
    Ok(())
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn create_ticket(req: &Request, state: &mut State) -> ResponseTemplate {
    let body = match body_object(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if ["requester_id", "email", "phone"]
        .iter()
        .all(|k| body.get(*k).is_none())
    {
        return validation(
            "requester_id",
            "Please fill at least 1 of email, phone, requester_id fields",
            "missing_field",
        );
    }
    for key in ["status", "priority"] {
        if body.get(key).is_none() {
            return validation(key, "It should be a/an Positive Integer", "missing_field");
        }
    }
    if let Err(r) = check_fields(&body) {
        return r;
    }
    let now = Utc::now();
    let id = state.next_ticket;
    state.next_ticket += 1;
    let description = body
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut t = ticket_json(TicketSeed {
        id,
        subject: "",
        status: 2,
        priority: 1,
        source: 2,
        department: 0,
        workspace: PRIMARY_WORKSPACE,
        requester: 0,
        responder: None,
        category: ("", "", ""),
        created: now,
        updated: now,
    });
    for k in [
        "department_id",
        "category",
        "sub_category",
        "item_category",
        "requester_id",
        "requested_for_id",
    ] {
        t[k] = Value::Null;
    }
    t["custom_fields"] = json!({});
    t["description"] = json!(description);
    t["description_text"] = json!(strip_tags(&description));
    for (k, v) in &body {
        if k != "description" {
            t[k.as_str()] = v.clone();
        }
    }
    if t["requested_for_id"].is_null() {
        t["requested_for_id"] = t["requester_id"].clone();
    }
    state.data.tickets.push(t.clone());
    ResponseTemplate::new(201).set_body_json(json!({ "ticket": t }))
}

fn update_ticket(req: &Request, state: &mut State, id: &str) -> ResponseTemplate {
    let body = match body_object(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = check_fields(&body) {
        return r;
    }
    let Some(t) = state
        .data
        .tickets
        .iter_mut()
        .find(|v| text_of(&v["id"]) == id)
    else {
        return not_found();
    };
    for (k, v) in &body {
        t[k.as_str()] = v.clone();
        if k == "description" {
            t["description_text"] = json!(strip_tags(v.as_str().unwrap_or_default()));
        }
    }
    t["updated_at"] = json!(ts(Utc::now()));
    ok(json!({ "ticket": t }))
}

fn add_note(req: &Request, state: &mut State, id: &str) -> ResponseTemplate {
    let body = match body_object(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(ticket) = find(&state.data.tickets, id).map(|t| t["id"].clone()) else {
        return not_found();
    };
    let Some(text) = body
        .get("body")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
    else {
        return validation(
            "body",
            "It should not be blank as this is a mandatory field",
            "missing_field",
        );
    };
    let now = ts(Utc::now());
    let c = json!({
        "id": state.next_conversation, "user_id": API_AGENT, "to_emails": [],
        "body": text, "body_text": strip_tags(text), "ticket_id": ticket,
        "incoming": false, "private": body.get("private").and_then(Value::as_bool).unwrap_or(true),
        "source": 2, "support_email": null, "attachments": [],
        "created_at": now, "updated_at": now
    });
    state.next_conversation += 1;
    state.data.conversations.push(c.clone());
    ResponseTemplate::new(201).set_body_json(json!({ "conversation": c }))
}
