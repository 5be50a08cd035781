//! The local HaloPSA stand-in and the Halo side of a run.
//!
//! The server answers what a `HaloClient` asks for, in Halo's shapes:
//! `GET /api/authinfo` (without credentials) names the token endpoint,
//! `POST /auth/token?tenant=` issues a bearer token for the client
//! credentials (form body), and with that token `GET /api/Status?type=ticket`,
//! `GET /api/Priority` and `GET /api/Tickets?pageinate=true&page_size=100&page_no=N`
//! answer; the list body is `{"record_count": N, "tickets": [...]}`, 100 per
//! page at most. Every response waits the endpoint's delay first.
//!
//! The tickets are the one Halo answered a `POST /api/Tickets` with (the
//! provider crate's fixture `ticket-created.json`, about 70 keys), without
//! the embedded `priority` object a list does not carry, with the list
//! columns of Halo's swagger example that it lacks (`datecreated`,
//! `dateclosed`, `deadlinedate`, `contract_id`, `customfields`), varied per id.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::{BufMut as _, Bytes, BytesMut};
use chrono::{DateTime, TimeDelta, Utc};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use mspkit::halo::HaloClient;
use serde_json::{Map, Value, json};

use crate::runs::Checksum;
use crate::server::reply;

/// Items per page: the most Halo serves, and what the client asks for.
pub const PAGE_SIZE: usize = 100;
/// The id of the first ticket; ids then run up by one.
pub const FIRST_ID: u64 = 100_001;
/// The API application's client id.
pub const CLIENT_ID: &str = "c9534241-dde9-4d04-9d45-32b1fbff22ed";
/// The API application's client secret.
pub const CLIENT_SECRET: &str = "bench-halo-client-secret";
/// The tenant the token endpoint expects.
pub const TENANT: &str = "benchtenant";
/// The access token the token endpoint issues.
const ACCESS_TOKEN: &str = "bench-halo-access-token-5d1e7a";

/// A ticket as Halo returned it (the provider crate's captured answer).
const SAMPLE_TICKET: &str =
    include_str!("../../crates/mspkit-halo/tests/fixtures/ticket-created.json");

const SUMMARIES: [&str; 9] = [
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
const TEAMS: [&str; 3] = [
    "1st Line Support",
    "2nd Line Support",
    "UIT - CTS - Orders/Deployment",
];
/// (id, name, shortname, colour) of the ticket statuses; 9 is Halo's Closed.
const STATUSES: [(i64, &str, &str, &str); 6] = [
    (1, "New", "NEW", "#4fc1e9"),
    (2, "In Progress", "INP", "#a0d468"),
    (3, "Action Required", "ACT", "#ffce54"),
    (4, "Waiting on User", "WOU", "#ac92ec"),
    (8, "Pending Closure", "PEN", "#48cfad"),
    (9, "Closed", "CLO", "#656d78"),
];
const CLOSED: i64 = 9;
/// (row guid, priorityid, name, fix hours, colour) of SLA 3's priorities.
const PRIORITIES: [(&str, i64, &str, i64, &str); 4] = [
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

/// The pre-built pages: page k's `tickets` array (ids `FIRST_ID + k*100 ..`),
/// and the look-ups.
pub struct Pages {
    items: Vec<Bytes>,
    statuses: Bytes,
    priorities: Bytes,
}

impl Pages {
    /// Bytes of every list body of the first `n` tickets, envelope included.
    pub fn body_bytes(&self, n: usize) -> u64 {
        self.items[..n / PAGE_SIZE]
            .iter()
            .map(|b| (b.len() + envelope(n).len() + 1) as u64)
            .sum()
    }

    /// Pages held.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Bytes of all pages' items.
    pub fn bytes(&self) -> usize {
        self.items.iter().map(Bytes::len).sum()
    }
}

/// The start of a list body: `{"record_count":N,"tickets":`.
fn envelope(n: usize) -> String {
    format!("{{\"record_count\":{n},\"tickets\":")
}

/// Builds `pages` pages of tickets.
pub fn build_pages(pages: usize) -> Result<Pages, String> {
    let template = match serde_json::from_str::<Value>(SAMPLE_TICKET) {
        Ok(Value::Object(mut t)) => {
            t.remove("priority");
            t
        }
        Ok(_) => return Err("the Halo sample ticket is not an object".into()),
        Err(e) => return Err(format!("the Halo sample ticket: {e}")),
    };
    let mut items = Vec::with_capacity(pages);
    let mut buf = Vec::new();
    for k in 0..pages {
        buf.clear();
        buf.push(b'[');
        for j in 0..PAGE_SIZE {
            if j > 0 {
                buf.push(b',');
            }
            let ticket = Value::Object(ticket(&template, k * PAGE_SIZE + j));
            serde_json::to_writer(&mut buf, &ticket).map_err(|e| e.to_string())?;
        }
        buf.push(b']');
        items.push(Bytes::copy_from_slice(&buf));
    }
    Ok(Pages {
        items,
        statuses: Bytes::from(statuses().to_string()),
        priorities: Bytes::from(priorities().to_string()),
    })
}

/// Ticket number `i` (0-based): the sample with its id, summary, details,
/// status, type, priority, customer, site, user, agent, team and dates varied.
fn ticket(template: &Map<String, Value>, i: usize) -> Map<String, Value> {
    let mut t = template.clone();
    let id = FIRST_ID + i as u64;
    let (status, ..) = STATUSES[i % STATUSES.len()];
    let client = i % 250;
    let user = i % 1_000;
    let agent = i % 20;
    let summary = format!("{} ({id})", SUMMARIES[i % SUMMARIES.len()]);
    let email = format!("contact{user:03}@client{client:03}.example");
    let base = DateTime::<Utc>::from_timestamp(1_704_067_200, 0).unwrap_or_default();
    let occurred = base + TimeDelta::minutes(5 * i as i64);
    let created = occurred + TimeDelta::seconds(6);
    let updated = occurred + TimeDelta::hours((i % 72) as i64 + 1);
    let stamp = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let frac = (i as u64 * 7_919_777) % 10_000_000;
    let mut set = |k: &str, v: Value| {
        t.insert(k.to_owned(), v);
    };
    set("id", json!(id));
    set(
        "dateoccurred",
        json!(format!("{}.{frac:07}Z", stamp(occurred))),
    );
    set("summary", json!(summary));
    set(
        "details",
        json!(format!(
            "{summary}<br>Reported by Contact {user:03} via the portal."
        )),
    );
    set("status_id", json!(status));
    set("tickettype_id", json!([1, 3, 29][i % 3]));
    set("priority_id", json!(i % 4 + 1));
    set("client_id", json!(1_000 + client));
    set("client_name", json!(format!("Client Company {client:03}")));
    set("site_id", json!(2_000 + client));
    set(
        "site_name",
        json!(["Main", "Head Office", "Warehouse"][client % 3]),
    );
    set("user_id", json!(5_000 + user));
    set("user_name", json!(format!("Contact {user:03}")));
    set("team", json!(TEAMS[i % TEAMS.len()]));
    // Agent 1 is Halo's "Unassigned".
    set("agent_id", json!(if agent == 0 { 1 } else { 1 + agent }));
    set("attachment_count", json!(i % 3));
    set("flagged", json!(i % 17 == 0));
    set("read", json!(i % 5 != 0));
    set("onhold", json!(status == 4));
    set(
        "respondbydate",
        json!(format!("{}Z", stamp(occurred + TimeDelta::hours(12)))),
    );
    set(
        "fixbydate",
        json!(format!("{}Z", stamp(occurred + TimeDelta::days(5)))),
    );
    set(
        "slaactiondate",
        json!(format!("{}Z", stamp(occurred + TimeDelta::hours(12)))),
    );
    set(
        "lastactiondate",
        json!(format!("{}.{:06}Z", stamp(updated), frac / 10)),
    );
    set("reportedby", json!(email));
    set("user_email", json!(email));
    set("emailtolist", json!(email));
    set(
        "datecreated",
        json!(format!("{}.{:06}Z", stamp(created), frac / 10)),
    );
    set(
        "dateclosed",
        json!(if status == CLOSED {
            format!("{}Z", stamp(updated))
        } else {
            "1900-01-01T00:00:00".to_owned()
        }),
    );
    set("deadlinedate", json!("1900-01-01T00:00:00"));
    set(
        "contract_id",
        json!(if i % 4 == 0 { 0 } else { 30 + client % 6 }),
    );
    set("customfields", json!([]));
    t
}

/// `GET /api/Status?type=ticket`: Halo's status objects.
fn statuses() -> Value {
    let rows = STATUSES.iter().map(|&(id, name, short, colour)| {
        json!({
            "id": id, "name": name, "shortname": short, "ticket_count": 0, "statusemailid": 0,
            "statusemailfreqdays": 0, "statusnochangehours": 0, "notifystatuschange": 0,
            "timeuntilloffhold": 0, "dontsendslareminders": false, "showonquickchange": true,
            "statusnochangehoursmanager": 0, "statusnochangetemplate": 0, "type": 0,
            "sequence": id, "colour": colour, "slaaction": ""
        })
    });
    Value::Array(rows.collect())
}

/// `GET /api/Priority`: Halo's priority objects (one SLA).
fn priorities() -> Value {
    let rows = PRIORITIES.iter().map(|&(guid, pid, name, fix, colour)| {
        json!({
            "id": guid, "slaid": 3, "priorityid": pid, "name": name, "fixtime": fix,
            "fixunits": "H", "enterslaexcuse": false, "responsetime": fix / 4, "responseunits": "H",
            "ishidden": false, "fixendofday": false, "responseendofday": false, "colour": colour,
            "workdaysoverride": -1, "responsestartofday": false, "responsestartofdaytime": "00:00:00",
            "startofday": false, "startofdaytime": "00:00:00", "setfixtostartdate": false,
            "setfixtotargetdate": true
        })
    });
    Value::Array(rows.collect())
}

/// One Halo listener.
pub struct Site {
    /// Tickets in the list.
    pub n: usize,
    /// Delay before every response.
    pub delay_ms: u64,
    /// `http://127.0.0.1:port`.
    pub origin: String,
    /// The pages (shared by every listener).
    pub pages: Arc<Pages>,
}

fn json_reply(status: StatusCode, v: Value) -> Response<Full<Bytes>> {
    reply(status, v.to_string())
}

/// Halo's refusal of a request without a valid token.
fn denied() -> Response<Full<Bytes>> {
    json_reply(
        StatusCode::UNAUTHORIZED,
        json!({ "Message": "Authorization has been denied for this request." }),
    )
}

fn bad_request(message: &str) -> Response<Full<Bytes>> {
    json_reply(
        StatusCode::BAD_REQUEST,
        json!({ "ClassName": "System.Exception", "Message": message }),
    )
}

/// The `key=value` pairs of a query or form body (the values this bench
/// uses need no decoding beyond `+`).
fn pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
}

fn param<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    pairs(text).find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// Answers one request.
pub async fn handle(
    req: Request<Incoming>,
    site: Arc<Site>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    // The server's latency: every response waits, authinfo and token too.
    if site.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(site.delay_ms)).await;
    }
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let method = req.method().clone();
    match (&method, path.as_str()) {
        (&Method::GET, "/api/authinfo") => {
            return Ok(json_reply(
                StatusCode::OK,
                json!({ "auth_url": format!("{}/auth", site.origin) }),
            ));
        }
        (&Method::POST, "/auth/token") => {
            let form = match req.into_body().collect().await {
                Ok(body) => String::from_utf8_lossy(&body.to_bytes()).into_owned(),
                Err(_) => String::new(),
            };
            let ok = param(&query, "tenant") == Some(TENANT)
                && param(&form, "grant_type") == Some("client_credentials")
                && param(&form, "client_id") == Some(CLIENT_ID)
                && param(&form, "client_secret") == Some(CLIENT_SECRET);
            return Ok(if ok {
                json_reply(
                    StatusCode::OK,
                    json!({ "token_type": "Bearer", "access_token": ACCESS_TOKEN,
                            "expires_in": 3600, "scope": "all" }),
                )
            } else {
                json_reply(
                    StatusCode::UNAUTHORIZED,
                    json!({ "error": "invalid_client" }),
                )
            });
        }
        _ => {}
    }
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    let authorized = req
        .headers()
        .get("authorization")
        .is_some_and(|v| v.as_bytes() == bearer.as_bytes());
    if !authorized {
        return Ok(denied());
    }
    if method != Method::GET {
        return Ok(bad_request("this server answers GET only"));
    }
    match path.as_str() {
        "/api/Status" if param(&query, "type") == Some("ticket") => {
            Ok(reply(StatusCode::OK, site.pages.statuses.clone()))
        }
        "/api/Priority" => Ok(reply(StatusCode::OK, site.pages.priorities.clone())),
        "/api/Tickets" => Ok(tickets(&query, &site)),
        _ => Ok(reply(StatusCode::NOT_FOUND, Bytes::new())),
    }
}

/// `GET /api/Tickets?pageinate=true&page_size=100&page_no=N`.
fn tickets(query: &str, site: &Site) -> Response<Full<Bytes>> {
    if param(query, "pageinate") != Some("true") {
        return bad_request("this server serves the paged list only (pageinate=true)");
    }
    let size = param(query, "page_size").and_then(|v| v.parse::<usize>().ok());
    if size.map(|s| s.min(PAGE_SIZE)) != Some(PAGE_SIZE) {
        return bad_request("this server serves page_size=100 only");
    }
    let index = match param(query, "page_no").map(str::parse::<usize>) {
        Some(Ok(p)) if p >= 1 => p - 1,
        None => 0,
        _ => return bad_request("page_no starts at 1"),
    };
    let head = envelope(site.n);
    if index >= site.n / PAGE_SIZE {
        return reply(StatusCode::OK, format!("{head}[]}}"));
    }
    let items = &site.pages.items[index];
    let mut body = BytesMut::with_capacity(head.len() + items.len() + 1);
    body.put_slice(head.as_bytes());
    body.put_slice(items);
    body.put_u8(b'}');
    reply(StatusCode::OK, body.freeze())
}

/// The Halo side of a run: `HaloClient::tickets()` through `PsaClient`,
/// limiter off, `concurrency` pages in flight at most; returns the items,
/// the wall time and the checksum of the ids in the order they came.
pub async fn sync(origin: &str, concurrency: usize) -> Result<(usize, f64, Checksum), String> {
    let client = HaloClient::builder()
        .base_url(origin)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .tenant(TENANT)
        .allow_insecure_http()
        .rate_limit(None)
        .page_concurrency(concurrency)
        .build()
        .map_err(|e| format!("cannot build the client: {e}"))?;
    crate::runs::stream_tickets(&client, PAGE_SIZE, "halo").await
}
