//! A fake HaloPSA (feature `mock`): the same paths, the authinfo and token
//! endpoints, the Bearer check, `pageinate` paging capped at 100 a page, and
//! realistic customers, users, tickets, actions and contracts built from
//! Halo's own example objects.

use std::sync::Arc;

use mspkit_core::SecretString;
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::HaloSettings;

/// The client id the fake server accepts.
pub const CLIENT_ID: &str = "c9534241-dde9-4d04-9d45-32b1fbff22ed";
/// The client secret the fake server accepts.
pub const CLIENT_SECRET: &str = "mock-halo-client-secret";
/// The tenant the fake server's token endpoint expects.
pub const TENANT: &str = "acme";
/// The token the fake server issues and checks.
pub const ACCESS_TOKEN: &str = "mock-halo-access-token";

const CLOSED: i64 = 9;

/// Starts a fake Halo with 5 customers, 8 users, 45 tickets (one with 3
/// actions) and 4 contracts.
pub async fn start() -> FakeServer<HaloSettings> {
    let server = MockServer::start().await;
    let uri = server.uri();
    let clients = clients();
    let users = users(&clients);
    let tickets = tickets(&clients, &users);
    let actions = actions();
    let contracts = contracts(&clients);

    Mock::given(method("GET"))
        .and(path("/api/authinfo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "auth_url": format!("{uri}/auth") })),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(query_param("tenant", TENANT))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(format!("client_id={CLIENT_ID}")))
        .and(body_string_contains(format!(
            "client_secret={CLIENT_SECRET}"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "access_token": ACCESS_TOKEN,
            "expires_in": 3600,
            "scope": "all"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "The client credentials are invalid"
        })))
        .with_priority(10)
        .mount(&server)
        .await;
    // Anything under /api without the token: Halo's (ASP.NET) refusal.
    Mock::given(path_regex("^/api/"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "Message": "Authorization has been denied for this request."
        })))
        .with_priority(10)
        .mount(&server)
        .await;

    let authed = || header("authorization", format!("Bearer {ACCESS_TOKEN}").as_str());
    Mock::given(method("GET"))
        .and(path("/api/Status"))
        .and(authed())
        .respond_with(ResponseTemplate::new(200).set_body_json(statuses()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/Priority"))
        .and(authed())
        .respond_with(ResponseTemplate::new(200).set_body_json(priorities()))
        .mount(&server)
        .await;

    let lists: [(&str, &'static str, Vec<Value>, Filter); 5] = [
        ("/api/Client", "clients", clients.clone(), |_, _| true),
        ("/api/Users", "users", users.clone(), |r, v| {
            matches_param(r, "client_id", v)
        }),
        ("/api/Tickets", "tickets", tickets.clone(), ticket_filter),
        ("/api/Actions", "actions", actions.clone(), |r, v| {
            matches_param(r, "ticket_id", v)
        }),
        (
            "/api/ClientContract",
            "contracts",
            contracts.clone(),
            |r, v| matches_param(r, "client_id", v),
        ),
    ];
    for (p, key, items, filter) in lists {
        Mock::given(method("GET"))
            .and(path(p))
            .and(authed())
            .respond_with(HaloList {
                items: Arc::new(items),
                key,
                filter,
            })
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path_regex(r"^/api/Tickets/[^/]+$"))
        .and(authed())
        .respond_with(ById(Arc::new(tickets.clone())))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/api/Client/[^/]+$"))
        .and(authed())
        .respond_with(ById(Arc::new(clients.clone())))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/Tickets"))
        .and(authed())
        .respond_with(Save {
            existing: Arc::new(tickets.clone()),
            new_id: 120_001,
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .and(authed())
        .respond_with(Save {
            existing: Arc::new(Vec::new()),
            new_id: 5,
        })
        .mount(&server)
        .await;

    let mut expected = Expected::new();
    expected.companies = Some(clients.len());
    expected.contacts = Some(users.len());
    expected.tickets = Some(tickets.len());
    expected.agreements = Some(contracts.len());
    expected.company_id = Some(mspkit_core::Id::from(12u64));
    expected.ticket_with_notes = Some((mspkit_core::Id::from(110_001u64), 3));

    FakeServer {
        settings: HaloSettings {
            base_url: uri,
            client_id: CLIENT_ID.to_owned(),
            client_secret: SecretString::from(CLIENT_SECRET),
            tenant: Some(TENANT.to_owned()),
            scope: None,
            allow_insecure_http: true,
        },
        expected,
        server,
        secrets: Vec::new(),
        tokens: None,
    }
}

type Filter = fn(&Request, &Value) -> bool;

fn param(r: &Request, name: &str) -> Option<String> {
    r.url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn matches_param(r: &Request, name: &str, item: &Value) -> bool {
    param(r, name).is_none_or(|want| text_of(&item[name]) == want)
}

fn ticket_filter(r: &Request, t: &Value) -> bool {
    let status = t["status_id"].as_i64().unwrap_or_default();
    let on = |k: &str| param(r, k).as_deref() == Some("true");
    let since_ok = match (param(r, "datesearch").as_deref(), param(r, "startdate")) {
        (Some("lastactiondate"), Some(start)) => {
            t["lastactiondate"].as_str().unwrap_or_default() >= start.as_str()
        }
        _ => true,
    };
    matches_param(r, "client_id", t)
        && !(on("open_only") && status == CLOSED)
        && !(on("closed_only") && status != CLOSED)
        && since_ok
}

/// A Halo list: `{record_count, <key>: [...]}`, paged when `pageinate=true`
/// (at most 100 a page, whatever is asked).
struct HaloList {
    items: Arc<Vec<Value>>,
    key: &'static str,
    filter: Filter,
}

impl Respond for HaloList {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let hits: Vec<&Value> = self.items.iter().filter(|v| (self.filter)(r, v)).collect();
        let num = |k: &str| param(r, k).and_then(|v| v.parse::<usize>().ok());
        let page: Vec<&Value> = if param(r, "pageinate").as_deref() == Some("true") {
            let size = num("page_size").unwrap_or(50).clamp(1, 100);
            let no = num("page_no").unwrap_or(1).max(1);
            hits.iter()
                .skip((no - 1) * size)
                .take(size)
                .copied()
                .collect()
        } else {
            hits.clone()
        };
        ResponseTemplate::new(200).set_body_json(json!({
            "record_count": hits.len(),
            self.key: page,
        }))
    }
}

/// `GET /api/<Entity>/{id}`: the bare object, or 404.
struct ById(Arc<Vec<Value>>);

impl Respond for ById {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let id = r.url.path().rsplit('/').next().unwrap_or_default();
        match self.0.iter().find(|v| text_of(&v["id"]) == id) {
            Some(v) => ResponseTemplate::new(200).set_body_json(v),
            None => ResponseTemplate::new(404),
        }
    }
}

/// Halo's create-or-update: an array in, the saved object out.
struct Save {
    existing: Arc<Vec<Value>>,
    new_id: i64,
}

impl Respond for Save {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(&r.body) else {
            return ResponseTemplate::new(400).set_body_json(json!({
                "ClassName": "System.Exception",
                "Message": "The request body must be an array"
            }));
        };
        let Some(Value::Object(sent)) = items.into_iter().next() else {
            return ResponseTemplate::new(400).set_body_string("Empty request");
        };
        let mut saved = match sent.get("id").and_then(Value::as_i64) {
            Some(id) => match self.existing.iter().find(|v| v["id"] == json!(id)) {
                Some(v) => v.clone(),
                None => return ResponseTemplate::new(404),
            },
            None => json!({ "id": self.new_id, "datecreated": "2024-03-06T10:15:00Z",
                            "dateoccurred": "2024-03-06T10:15:00Z", "datetime": "2024-03-06T10:15:00Z",
                            "status_id": 1, "who": "API Integration" }),
        };
        if let Value::Object(obj) = &mut saved {
            for (k, v) in sent {
                obj.insert(k, v);
            }
        }
        ResponseTemplate::new(201).set_body_json(saved)
    }
}

fn statuses() -> Value {
    let s = |id: i64, name: &str, short: &str, seq: i64, colour: &str| {
        json!({
            "id": id, "name": name, "shortname": short, "ticket_count": 0, "statusemailid": 0,
            "statusemailfreqdays": 0, "statusnochangehours": 0, "notifystatuschange": 0,
            "timeuntilloffhold": 0, "dontsendslareminders": false, "showonquickchange": true,
            "statusnochangehoursmanager": 0, "statusnochangetemplate": 0, "type": 0,
            "sequence": seq, "colour": colour, "slaaction": ""
        })
    };
    json!([
        s(1, "New", "NEW", 1, "#4fc1e9"),
        s(2, "In Progress", "INP", 2, "#a0d468"),
        s(3, "Action Required", "ACT", 3, "#ffce54"),
        s(4, "Waiting on User", "WOU", 4, "#ac92ec"),
        s(9, "Closed", "CLO", 9, "#656d78"),
    ])
}

fn priorities() -> Value {
    let p = |guid: &str, pid: i64, name: &str, fix: i64, colour: &str| {
        json!({
            "id": guid, "slaid": 3, "priorityid": pid, "name": name, "fixtime": fix,
            "fixunits": "H", "enterslaexcuse": false, "responsetime": fix / 4, "responseunits": "H",
            "ishidden": false, "fixendofday": false, "responseendofday": false, "colour": colour,
            "workdaysoverride": -1, "responsestartofday": false, "responsestartofdaytime": "00:00:00",
            "startofday": false, "startofdaytime": "00:00:00", "setfixtostartdate": false,
            "setfixtotargetdate": true
        })
    };
    json!([
        p(
            "6f1f0a52-3d0c-4a55-ee4e-08d7e0f912c9",
            1,
            "Critical",
            4,
            "#ed5565"
        ),
        p(
            "8b0e2c11-5a77-4b1d-ee4f-08d7e0f912c9",
            2,
            "High",
            8,
            "#fc6e51"
        ),
        p(
            "3e485768-7967-452e-ee50-08d7e0f912c9",
            3,
            "Medium",
            40,
            "#fcdc00"
        ),
        p(
            "0c7d9e20-19f4-4e2b-ee51-08d7e0f912c9",
            4,
            "Low",
            80,
            "#8cc152"
        ),
    ])
}

fn clients() -> Vec<Value> {
    let names = [
        (12, "York Dental Group", "YDG001"),
        (13, "Harbour Freight Logistics", "HFL002"),
        (14, "Northwind Accountancy", "NWA003"),
        (15, "Riverside Veterinary Clinic", ""),
        (16, "Old Mill Architects", "OMA005"),
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, (id, name, reference))| {
            json!({
                "id": id, "name": name, "toplevel_id": 1, "toplevel_name": "Managed Clients",
                "inactive": i == 4, "colour": "#2bd3c6",
                "datecreated": format!("2021-0{}-1{}T09:3{}:12.035Z", i + 1, i, i),
                "notes": "", "main_site_id": 20 + i, "main_site_name": "Main",
                "accountsemailaddress": format!("accounts@{}.example", name.split(' ').next().unwrap_or("client").to_lowercase()),
                "ref": reference, "customertype": 0, "customfields": []
            })
        })
        .collect()
}

fn users(clients: &[Value]) -> Vec<Value> {
    let people = [
        ("Priya", "Natarajan", "IT Manager"),
        ("Amira", "Haddad", "Practice Manager"),
        ("Tom", "Okafor", "Operations Lead"),
        ("Grace", "Lindqvist", "Finance Director"),
        ("Wei", "Chen", "Office Manager"),
        ("Sofia", "Marquez", "Receptionist"),
        ("Daniel", "Byrne", "Partner"),
        ("Hannah", "Kowalski", "Site Supervisor"),
    ];
    people
        .iter()
        .enumerate()
        .map(|(i, (first, last, title))| {
            let c = &clients[i % clients.len()];
            json!({
                "id": 399 + i, "name": format!("{first} {last}"), "site_id": c["main_site_id"],
                "site_name": "Main", "client_name": c["name"], "client_id": c["id"],
                "firstname": first, "surname": last, "initials": format!("{}{}", &first[..1], &last[..1]),
                "title": title, "emailaddress": format!("{}.{}@client{}.example", first.to_lowercase(), last.to_lowercase(), c["id"]),
                "phonenumber_preferred": "", "sitephonenumber": "+44 1904 555 010",
                "phonenumber": if i % 3 == 0 { String::new() } else { format!("+44 1904 555 1{i:02}") },
                "mobilenumber": format!("+44 7700 900 1{i:02}"), "inactive": i == 7,
                "datecreated": format!("2022-0{}-0{}T08:1{}:57.556Z", i % 9 + 1, i % 9 + 1, i),
                "customfields": []
            })
        })
        .collect()
}

fn tickets(clients: &[Value], users: &[Value]) -> Vec<Value> {
    let summaries = [
        "New computer request",
        "Outlook not syncing on mobile",
        "VPN drops every 10 minutes",
        "Printer on 2nd floor offline",
        "New starter account setup",
        "Shared drive permissions",
        "Backup job failed overnight",
        "Phone system voicemail not working",
        "Laptop battery swelling",
    ];
    let statuses = [1, 2, 3, 4, CLOSED];
    (0..45)
        .map(|i: usize| {
            let c = &clients[i % clients.len()];
            let u = &users[i % users.len()];
            let status = statuses[i % statuses.len()];
            let day = i % 28 + 1;
            let closed = if status == CLOSED {
                format!("2024-03-{:02}T16:45:00Z", day.min(27) + 1)
            } else {
                "1900-01-01T00:00:00".to_owned()
            };
            json!({
                "id": 110_001 + i, "dateoccurred": format!("2024-02-{day:02}T08:23:56.4214387Z"),
                "summary": summaries[i % summaries.len()],
                "details": format!("Reported by {} via the portal.", u["name"].as_str().unwrap_or_default()),
                "status_id": status, "tickettype_id": 1, "sla_id": 3, "priority_id": i % 4 + 1,
                "client_id": c["id"], "client_name": c["name"], "site_id": c["main_site_id"], "site_name": "Main",
                "user_id": u["id"], "user_name": u["name"], "user_email": u["emailaddress"],
                "agent_id": if i % 3 == 0 { 1 } else { 5 + (i % 2) as i64 }, "team": "1st Line Support",
                "category_1": "Hardware>Purchase - Quotation", "dateclosed": closed,
                "lastactiondate": format!("2024-03-{day:02}T09:00:00"),
                "datecreated": format!("2024-02-{day:02}T08:24:02.202645Z"),
                "deadlinedate": "1900-01-01T00:00:00", "contract_id": 0, "customfields": []
            })
        })
        .collect()
}

fn actions() -> Vec<Value> {
    let a = |id: i64,
             ticket: i64,
             who: &str,
             agent: i64,
             note: &str,
             hidden: bool,
             outcome: &str,
             at: &str| {
        json!({
            "id": id, "ticket_id": ticket, "outcome": outcome, "outcome_id": if hidden { 7 } else { 1 },
            "who": who, "who_type": if agent > 0 { 0 } else { 1 }, "who_agentid": agent,
            "datetime": at, "note": note, "note_html": format!("<p>{note}</p>"),
            "hiddenfromuser": hidden, "actiondatecreated": at, "timetaken": 0.25,
            "new_status": 0, "attachment_count": 0, "customfields": []
        })
    };
    vec![
        a(
            1,
            110_001,
            "Priya Natarajan",
            0,
            "I need a new computer, MacBook Pro 14",
            false,
            "Logged",
            "2024-02-01T08:23:56.421Z",
        ),
        a(
            2,
            110_001,
            "Jordan Reyes",
            5,
            "Quote requested from the supplier.",
            true,
            "Private Note",
            "2024-02-01T09:10:00Z",
        ),
        a(
            3,
            110_001,
            "Jordan Reyes",
            5,
            "The quote is attached for approval.",
            false,
            "Email User",
            "2024-02-02T11:42:17Z",
        ),
        a(
            1,
            110_002,
            "Amira Haddad",
            0,
            "Mail stopped syncing after the update.",
            false,
            "Logged",
            "2024-02-02T08:01:00Z",
        ),
    ]
}

fn contracts(clients: &[Value]) -> Vec<Value> {
    (0..4)
        .map(|i: usize| {
            let c = &clients[i];
            json!({
                "id": 30 + i, "client_id": c["id"], "client_name": c["name"],
                "ref": format!("MSA-{}-{}", 2024 - i as i64, c["id"]),
                "start_date": format!("{}-04-01T00:00:00", 2024 - i as i64),
                "end_date": format!("{}-03-31T00:00:00", 2025 - i as i64 + 1),
                "started": true, "expired": i == 3, "status": 1, "site_id": c["main_site_id"],
                "site_name": "Main", "sla_id": 3, "sla_name": "Managed Services SLA",
                "note": "", "billingperiod": 1, "periodchargeamount": 1250.0, "termmonths": 12,
                "rollingcontract": true, "assets": [], "customfields": [], "periods": []
            })
        })
        .collect()
}
