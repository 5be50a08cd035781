//! A fake HaloPSA (feature `mock`), built from testkit's kit: authinfo, a
//! client-credentials token endpoint that checks the tenant, the Bearer
//! check on everything under `/api/` (authinfo aside) with Halo's ASP.NET
//! refusal, `pageinate` paging capped at 100 a page with `record_count`,
//! the ticket filters (`datesearch=lastactiondate&startdate=` included),
//! single reads, and Halo's array-in create-or-update. The data is built
//! from Halo's own example objects.

use mspkit_core::{Id, SecretString};
use mspkit_testkit::{
    ById, PageScheme, PageView, Paged, Reply, TokenEndpoint, changed_since, mount_gate,
    oauth_error, param_matches, query_param, since_param,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex, query_param as has_query};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::HaloSettings;

/// The client id the fake server accepts.
pub const CLIENT_ID: &str = "c9534241-dde9-4d04-9d45-32b1fbff22ed";
/// The client secret the fake server accepts.
pub const CLIENT_SECRET: &str = "mock-halo-client-secret";
/// The tenant the fake server's token endpoint expects.
pub const TENANT: &str = "acme";

const CLOSED: i64 = 9;

/// Halo's refusal of a request without a valid token.
fn denied() -> Reply {
    Reply::json(
        401,
        json!({ "Message": "Authorization has been denied for this request." }),
    )
}

/// Starts a fake Halo with 5 customers, 8 users, 45 tickets (one with 3
/// actions) and 6 contracts.
pub async fn start() -> FakeServer<HaloSettings> {
    let server = MockServer::start().await;
    let uri = server.uri();
    let clients = clients();
    let users = users(&clients);
    let tickets = tickets(&clients, &users);
    let contracts = contracts(&clients);

    Mock::given(method("GET"))
        .and(path("/api/authinfo"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "auth_url": format!("{uri}/auth") })),
        )
        .mount(&server)
        .await;
    let tokens = TokenEndpoint::client_credentials(CLIENT_ID, CLIENT_SECRET).scope("all");
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .and(has_query("tenant", TENANT))
        .respond_with(tokens.clone())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(oauth_error(400, "invalid_request", "Invalid tenant").template())
        .with_priority(10)
        .mount(&server)
        .await;
    // Everything under /api/ but authinfo needs one of the tokens issued.
    let api = |r: &Request| r.url.path().starts_with("/api/") && r.url.path() != "/api/authinfo";
    mount_gate(&server, api, tokens.bearer(denied())).await;

    let json_of = |v: Value| ResponseTemplate::new(200).set_body_json(v);
    Mock::given(method("GET"))
        .and(path("/api/Status"))
        .respond_with(json_of(statuses()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/Priority"))
        .respond_with(json_of(priorities()))
        .mount(&server)
        .await;

    let lists = [
        ("/api/Client", "clients", clients.clone(), None),
        ("/api/Users", "users", users.clone(), Some("client_id")),
        ("/api/Tickets", "tickets", tickets.clone(), None),
        ("/api/Actions", "actions", actions(), Some("ticket_id")),
        (
            "/api/ClientContract",
            "contracts",
            contracts.clone(),
            Some("client_id"),
        ),
    ];
    for (p, key, items, by) in lists {
        let scheme = PageScheme::page_number("page_no", "page_size", 1);
        let render = move |v: &PageView<'_>| {
            ResponseTemplate::new(200)
                .set_body_json(json!({ "record_count": v.total, key: v.items }))
        };
        let list = Paged::new(items, scheme, render)
            .default_size(50)
            .max_size(100)
            .unpaged_unless("pageinate", "true")
            .filter(move |r, v| {
                let shown = match by {
                    Some(f) => param_matches(r, f, v, f),
                    None => key != "tickets" || ticket_filter(r, v),
                };
                shown && (key != "clients" && key != "users" || active_filter(r, v))
            });
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(list)
            .mount(&server)
            .await;
    }
    for (p, items) in [("/api/Tickets", &tickets), ("/api/Client", &clients)] {
        Mock::given(method("GET"))
            .and(path_regex(format!("^{p}/[^/]+$")))
            .respond_with(ById::new(p, items.clone(), "id", Reply::empty(404)))
            .mount(&server)
            .await;
    }
    for (p, existing, new_id) in [
        ("/api/Tickets", tickets.clone(), 120_001),
        ("/api/Actions", Vec::new(), 5),
    ] {
        Mock::given(method("POST"))
            .and(path(p))
            .respond_with(Save { existing, new_id })
            .mount(&server)
            .await;
    }

    let mut expected = Expected::new();
    expected.companies = Some(clients.len());
    expected.contacts = Some(users.len());
    expected.tickets = Some(tickets.len());
    expected.agreements = Some(contracts.len());
    expected.company_id = Some(Id::from(12u64));
    expected.ticket_with_notes = Some((Id::from(110_001u64), 3));

    let mut settings = HaloSettings::new(uri, CLIENT_ID, SecretString::from(CLIENT_SECRET));
    settings.tenant = Some(TENANT.to_owned());
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected)
        .secrets([CLIENT_SECRET])
        .tokens(tokens.store().clone())
}

/// `client_id`, `open_only` / `closed_only`, and the date search Halo
/// documents: `datesearch=lastactiondate&startdate=` (no zone: UTC).
fn ticket_filter(r: &Request, t: &Value) -> bool {
    let status = t["status_id"].as_i64().unwrap_or_default();
    let on = |k: &str| query_param(r, k).as_deref() == Some("true");
    let since_ok = match (
        query_param(r, "datesearch").as_deref(),
        since_param(r, "startdate"),
    ) {
        (Some("lastactiondate"), Ok(Some(since))) => changed_since(t, "lastactiondate", since),
        (_, Err(_)) => false,
        _ => true,
    };
    param_matches(r, "client_id", t, "client_id")
        && !(on("open_only") && status == CLOSED)
        && !(on("closed_only") && status != CLOSED)
        && since_ok
}

/// Customers and users: inactive ones only with `includeinactive=true`,
/// active ones unless `includeactive=false`.
fn active_filter(r: &Request, v: &Value) -> bool {
    let flag = |k: &str| query_param(r, k);
    match v["inactive"].as_bool().unwrap_or(false) {
        true => flag("includeinactive").as_deref() == Some("true"),
        false => flag("includeactive").as_deref() != Some("false"),
    }
}

/// Halo's create-or-update: an array in, the saved object out.
struct Save {
    existing: Vec<Value>,
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
            obj.extend(sent);
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
        // The built-in Pending Closure (its id here is the fake's own).
        s(8, "Pending Closure", "PEN", 8, "#48cfad"),
        s(9, "Closed", "CLO", 9, "#656d78"),
    ])
}

fn priorities() -> Value {
    let rows = [
        (
            "6f1f0a52-3d0c-4a55-ee4e-08d7e0f912c9",
            1,
            "Critical",
            4,
            "#ed5565",
        ),
        (
            "8b0e2c11-5a77-4b1d-ee4f-08d7e0f912c9",
            2,
            "High",
            8,
            "#fc6e51",
        ),
        (
            "3e485768-7967-452e-ee50-08d7e0f912c9",
            3,
            "Medium",
            40,
            "#fcdc00",
        ),
        (
            "0c7d9e20-19f4-4e2b-ee51-08d7e0f912c9",
            4,
            "Low",
            80,
            "#8cc152",
        ),
    ];
    let p = |(guid, pid, name, fix, colour): (&str, i64, &str, i64, &str)| {
        json!({
            "id": guid, "slaid": 3, "priorityid": pid, "name": name, "fixtime": fix,
            "fixunits": "H", "enterslaexcuse": false, "responsetime": fix / 4, "responseunits": "H",
            "ishidden": false, "fixendofday": false, "responseendofday": false, "colour": colour,
            "workdaysoverride": -1, "responsestartofday": false, "responsestartofdaytime": "00:00:00",
            "startofday": false, "startofdaytime": "00:00:00", "setfixtostartdate": false,
            "setfixtotargetdate": true
        })
    };
    Value::Array(rows.into_iter().map(p).collect())
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
    let statuses = [1, 2, 3, 4, 8, CLOSED];
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
    #[rustfmt::skip]
    let rows = [
        (1, 110_001, "Priya Natarajan", 0, "I need a new computer, MacBook Pro 14", "Logged", "2024-02-01T08:23:56.421Z"),
        (2, 110_001, "Jordan Reyes", 5, "Quote requested from the supplier.", "Private Note", "2024-02-01T09:10:00Z"),
        (3, 110_001, "Jordan Reyes", 5, "The quote is attached for approval.", "Email User", "2024-02-02T11:42:17Z"),
        (1, 110_002, "Amira Haddad", 0, "Mail stopped syncing after the update.", "Logged", "2024-02-02T08:01:00Z"),
    ];
    let a = |(id, ticket, who, agent, note, outcome, at): (
        i64,
        i64,
        &str,
        i64,
        &str,
        &str,
        &str,
    )| {
        let hidden = outcome == "Private Note";
        json!({
            "id": id, "ticket_id": ticket, "outcome": outcome, "outcome_id": if hidden { 7 } else { 1 },
            "who": who, "who_type": if agent > 0 { 0 } else { 1 }, "who_agentid": agent,
            "datetime": at, "note": note, "note_html": format!("<p>{note}</p>"),
            "hiddenfromuser": hidden, "actiondatecreated": at, "timetaken": 0.25,
            "new_status": 0, "attachment_count": 0, "customfields": []
        })
    };
    rows.into_iter().map(a).collect()
}

fn contracts(clients: &[Value]) -> Vec<Value> {
    (0..6)
        .map(|i: usize| {
            let c = &clients[i % clients.len()];
            json!({
                "id": 30 + i, "client_id": c["id"], "client_name": c["name"],
                "ref": format!("MSA-{}-{}", 2024 - i as i64, c["id"]),
                "start_date": format!("{}-04-01T00:00:00", 2024 - i as i64),
                "end_date": format!("{}-03-31T00:00:00", 2025 - i as i64 + 1),
                "started": i != 5, "expired": i == 3, "status": 1, "site_id": c["main_site_id"],
                "site_name": "Main", "sla_id": 3, "sla_name": "Managed Services SLA",
                "note": "", "billingperiod": 1, "periodchargeamount": 1250.0, "termmonths": 12,
                "rollingcontract": true, "assets": [], "customfields": [], "periods": []
            })
        })
        .collect()
}
