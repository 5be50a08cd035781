//! The local server: pre-built pages of tickets served from memory by hyper
//! on loopback, with an optional delay per page. This file is the
//! ConnectWise stand-in (with the `Link` headers of the real API) and the
//! listeners; `halo.rs` is the HaloPSA stand-in.
//!
//! One listener per (platform, N, delay), all of one platform sharing one
//! set of page bodies (the pages of a smaller N are a prefix of those of a
//! larger one). Both paging
//! modes of the API are served: `page=k` (the `Link` header carries
//! `rel="next"` and `rel="last"`) and forward-only (request header
//! `pagination-type: forward-only`; the `Link` header holds only the next URL,
//! with `pageId` = the last id of the page).

use std::convert::Infallible;
use std::io::{BufRead as _, Write as _};

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;

use crate::template::SAMPLE_TICKET;

/// Items per page: the API's maximum `pageSize`, and what both sides ask for.
pub const PAGE_SIZE: usize = 1000;
/// The id of the first ticket; ids then run up by one.
pub const FIRST_ID: u64 = 200_001;
/// The login company, API keys and integration id both sides present.
pub const COMPANY_ID: &str = "benchco";
/// Public half of the API key.
pub const PUBLIC_KEY: &str = "benchpublic";
/// Private half of the API key.
pub const PRIVATE_KEY: &str = "benchprivate";
/// The integration's `clientId`.
pub const CLIENT_ID: &str = "8c1f4b2e-7d5a-4f0e-9b1c-2a3d4e5f6a7b";
/// The codebase segment, passed explicitly so no discovery call is made.
pub const CODEBASE: &str = "v4_6_release";
/// How long a server may live at most, whatever happens to its parent.
const MAX_LIFETIME: Duration = Duration::from_secs(3 * 60 * 60);

/// The platform a listener stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// ConnectWise Manage: pages of 1,000, `Link` headers.
    ConnectWise,
    /// HaloPSA: pages of 100 by `page_no`, with `record_count`.
    Halo,
}

impl Platform {
    /// The name used on the command line and in the figures.
    pub fn name(self) -> &'static str {
        match self {
            Platform::ConnectWise => "connectwise",
            Platform::Halo => "halo",
        }
    }

    /// Reads a platform's name.
    pub fn parse(s: &str) -> Option<Platform> {
        match s {
            "connectwise" => Some(Platform::ConnectWise),
            "halo" => Some(Platform::Halo),
            _ => None,
        }
    }

    /// Items per page the platform serves (and the client asks for).
    pub fn page_size(self) -> usize {
        match self {
            Platform::ConnectWise => PAGE_SIZE,
            Platform::Halo => crate::halo::PAGE_SIZE,
        }
    }

    /// The id of the list's first ticket (ids then run up by one).
    pub fn first_id(self) -> u64 {
        match self {
            Platform::ConnectWise => FIRST_ID,
            Platform::Halo => crate::halo::FIRST_ID,
        }
    }
}

/// One listener's list: which platform, how many tickets, and how long each
/// page waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The platform served.
    pub platform: Platform,
    /// Tickets in the whole list.
    pub n: usize,
    /// Delay before each page's response.
    pub delay_ms: u64,
}

/// What the server reports for one listener.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The list served.
    pub shape: Shape,
    /// `http://127.0.0.1:port`.
    pub origin: String,
    /// Bytes of every page body of the list, together.
    pub body_bytes: u64,
}

impl Endpoint {
    /// The line the server prints for this endpoint.
    pub fn to_line(&self) -> String {
        format!(
            "listen {} {} {} {} {}",
            self.shape.platform.name(),
            self.shape.n,
            self.shape.delay_ms,
            self.origin,
            self.body_bytes
        )
    }

    /// Reads a line printed by [`Endpoint::to_line`].
    pub fn from_line(line: &str) -> Option<Endpoint> {
        let mut parts = line.strip_prefix("listen ")?.split(' ');
        let platform = Platform::parse(parts.next()?)?;
        let n = parts.next()?.parse().ok()?;
        let delay_ms = parts.next()?.parse().ok()?;
        let origin = parts.next()?.to_owned();
        let body_bytes = parts.next()?.parse().ok()?;
        Some(Endpoint {
            shape: Shape {
                platform,
                n,
                delay_ms,
            },
            origin,
            body_bytes,
        })
    }
}

/// The pre-built page bodies: page k holds ids `FIRST_ID + k*PAGE_SIZE ..`.
struct Pages {
    bodies: Vec<Bytes>,
    /// `GET /service/boards/30/statuses`: the statuses the tickets use.
    statuses: Bytes,
}

/// Builds `pages` pages of tickets from the template, varied per id.
fn build_pages(pages: usize) -> Result<Pages, String> {
    let template = Template::compile()?;
    let mut bodies = Vec::with_capacity(pages);
    let mut buf = Vec::new();
    for k in 0..pages {
        buf.clear();
        buf.push(b'[');
        for j in 0..PAGE_SIZE {
            if j > 0 {
                buf.push(b',');
            }
            template.write(k * PAGE_SIZE + j, &mut buf);
        }
        buf.push(b']');
        bodies.push(Bytes::copy_from_slice(&buf));
    }
    Ok(Pages {
        bodies,
        statuses: board_statuses(),
    })
}

/// The status list of board 30, in the shape of `GET /service/boards/{id}/statuses`.
fn board_statuses() -> Bytes {
    let statuses: Vec<serde_json::Value> = STATUSES
        .iter()
        .enumerate()
        .map(|(order, &(id, name, closed))| {
            json!({
                "id": id,
                "name": name,
                "board": {"id": 30, "name": "Network Security - South", "_info": {
                    "board_href": format!("{HOST}/service/boards/30")}},
                "sortOrder": order,
                "displayOnBoard": true,
                "inactive": false,
                "closedStatus": closed,
                "timeEntryNotAllowed": closed,
                "defaultFlag": order == 0,
                "escalationStatus": if closed { "Resolved" } else { "NotResponded" },
                "customerPortalFlag": false,
                "_info": {"lastUpdated": "2019-03-04T16:28:13Z", "updatedBy": "User"},
            })
        })
        .collect();
    Bytes::from(serde_json::Value::Array(statuses).to_string())
}

const HOST: &str = "https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/";
const SUMMARIES: [&str; 8] = [
    "Daily Tenable Reports",
    "Printer offline on the second floor",
    "New starter: laptop, mailbox and VPN",
    "VPN drops every 30 minutes",
    "Backup job failed on FS01",
    "Outlook keeps asking for the password",
    "Replace UPS battery in the server room",
    "Firewall firmware update window",
];
/// (id, name, closed) of the board's statuses.
const STATUSES: [(u64, &str, bool); 5] = [
    (560, "New", false),
    (561, "In Progress", false),
    (564, "Waiting Customer", false),
    (565, "Scheduled", false),
    (562, ">Closed", true),
];
/// (id, name, sort) of the priorities.
const PRIORITIES: [(u64, &str, u64); 4] = [
    (6, "Priority 1 - Emergency Response", 1),
    (15, "Priority 2 - Quick Response", 2),
    (8, "Priority 3 - Normal Response", 3),
    (12, "Priority 5 - Service Request", 5),
];

/// Marks a slot's name in the template while it is being compiled.
const MARK: char = '\u{1}';

/// The parts of the template text that vary per ticket, as
/// `(verbatim text, replacement with slots, occurrences)`.
const SLOTS: [(&str, &str, usize); 18] = [
    ("3186", "\u{1}id\u{1}", 10),
    (
        "\"summary\":\"Daily Tenable Reports\"",
        "\"summary\":\"\u{1}summary\u{1}\"",
        1,
    ),
    (
        "\"status\":{\"id\":562,\"name\":\">Closed\"",
        "\"status\":{\"id\":\u{1}status_id\u{1},\"name\":\"\u{1}status_name\u{1}\"",
        1,
    ),
    ("statuses/562\"", "statuses/\u{1}status_id\u{1}\"", 1),
    ("19298", "\u{1}company_id\u{1}", 3),
    (
        "\"identifier\":\"Example\",\"name\":\"Example Company\"",
        "\"identifier\":\"\u{1}company_ident\u{1}\",\"name\":\"\u{1}company_name\u{1}\"",
        1,
    ),
    (
        "5ec92caf-0922-4120-9268-21580dbbcef8",
        "5ec92caf-0922-4120-9268-\u{1}company_guid\u{1}",
        1,
    ),
    ("\"contactName\":\"\",", "\u{1}contact\u{1}", 1),
    (
        "\"owner\":{\"id\":244,\"identifier\":\"User\",\"name\":\"User\"",
        "\"owner\":{\"id\":\u{1}owner_id\u{1},\"identifier\":\"\u{1}owner_ident\u{1}\",\"name\":\"\u{1}owner_name\u{1}\"",
        1,
    ),
    ("members/244", "members/\u{1}owner_id\u{1}", 2),
    (
        "\"priority\":{\"id\":12,\"name\":\"Priority 5 - Service Request\",\"sort\":5",
        "\"priority\":{\"id\":\u{1}priority_id\u{1},\"name\":\"\u{1}priority_name\u{1}\",\"sort\":\u{1}priority_sort\u{1}",
        1,
    ),
    ("priorities/12", "priorities/\u{1}priority_id\u{1}", 2),
    (
        "\"closedDate\":\"2018-08-10T17:39:20Z\",\"closedBy\":\"User\",\"closedFlag\":true,",
        "\u{1}closed\u{1}",
        1,
    ),
    (
        "\"dateResolved\":\"2018-08-10T17:39:12Z\",",
        "\u{1}resolved\u{1}",
        1,
    ),
    (
        "\"resources\":\"User\"",
        "\"resources\":\"\u{1}owner_ident\u{1}\"",
        1,
    ),
    (
        "b7fd8e26-fcad-4ade-ba53-c0772dcd7913",
        "b7fd8e26-fcad-4ade-ba53-\u{1}guid\u{1}",
        1,
    ),
    (
        "\"lastUpdated\":\"2018-11-09T21:19:07Z\",\"updatedBy\":\"User\",\"dateEntered\":\"2018-08-09T15:22:36Z\",\"enteredBy\":\"User\"",
        "\"lastUpdated\":\"\u{1}updated\u{1}\",\"updatedBy\":\"\u{1}owner_ident\u{1}\",\"dateEntered\":\"\u{1}entered\u{1}\",\"enteredBy\":\"\u{1}owner_ident\u{1}\"",
        1,
    ),
    ("2018-08-09T15:22:30Z", "\u{1}entered\u{1}", 2),
];

/// The sample ticket, compacted (key order and number formats kept as the
/// API sent them) and cut into literal text and per-ticket slots.
struct Template {
    parts: Vec<Part>,
}

enum Part {
    Text(String),
    Slot(String),
}

/// JSON text without the whitespace between tokens.
fn compact(json: &str) -> String {
    let (mut out, mut in_string, mut escaped) = (String::with_capacity(json.len()), false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !c.is_ascii_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

impl Template {
    fn compile() -> Result<Template, String> {
        let mut text = compact(SAMPLE_TICKET);
        serde_json::from_str::<serde_json::Value>(&text)
            .map_err(|e| format!("bad template: {e}"))?;
        for (from, to, count) in SLOTS {
            let found = text.matches(from).count();
            if found != count {
                return Err(format!(
                    "template: {from:?} found {found} times, not {count}"
                ));
            }
            text = text.replace(from, to);
        }
        let parts = text
            .split(MARK)
            .enumerate()
            .map(|(i, s)| {
                if i % 2 == 0 {
                    Part::Text(s.to_owned())
                } else {
                    Part::Slot(s.to_owned())
                }
            })
            .collect();
        let template = Template { parts };
        // Every slot must be known, and a filled-in ticket must be valid JSON.
        for i in [0, 4] {
            let mut probe = Vec::new();
            template.write(i, &mut probe);
            let value: serde_json::Value =
                serde_json::from_slice(&probe).map_err(|e| format!("template: {e}"))?;
            if value.get("id").and_then(serde_json::Value::as_u64) != Some(FIRST_ID + i as u64) {
                return Err("template: the id slot did not take".into());
            }
        }
        Ok(template)
    }

    /// Writes ticket number `i` (0-based): the template with its id, summary,
    /// status, priority, company, contact, owner, dates and links varied.
    fn write(&self, i: usize, out: &mut Vec<u8>) {
        let id = FIRST_ID + i as u64;
        let (status_id, status_name, closed) = STATUSES[i % STATUSES.len()];
        let (priority_id, priority_name, sort) = PRIORITIES[i % PRIORITIES.len()];
        let company = i % 250;
        let member = i % 20;
        let contact = i % 1_000;
        let base = DateTime::<Utc>::from_timestamp(1_704_067_200, 0).unwrap_or_default();
        let entered = base + TimeDelta::minutes(5 * i as i64);
        let updated = entered + TimeDelta::hours((i % 72) as i64 + 1);
        let stamp = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ");
        for part in &self.parts {
            let _ = match part {
                Part::Text(s) => out.write_all(s.as_bytes()),
                Part::Slot(slot) => match slot.as_str() {
                    "id" => write!(out, "{id}"),
                    "summary" => write!(out, "{} ({id})", SUMMARIES[i % SUMMARIES.len()]),
                    "status_id" => write!(out, "{status_id}"),
                    "status_name" => out.write_all(status_name.as_bytes()),
                    "company_id" => write!(out, "{}", 19_000 + company),
                    "company_ident" => write!(out, "Client{company:03}"),
                    "company_name" => write!(out, "Client Company {company:03}"),
                    "company_guid" => write!(out, "{:012x}", 19_000 + company),
                    "contact" => write!(
                        out,
                        "\"contact\":{{\"id\":{cid},\"name\":\"Contact {contact:03}\",\"_info\":{{\"contact_href\":\"{HOST}/company/contacts/{cid}\"}}}},\"contactName\":\"Contact {contact:03}\",",
                        cid = 5_000 + contact
                    ),
                    "owner_id" => write!(out, "{}", 200 + member),
                    "owner_ident" => write!(out, "tech{member:02}"),
                    "owner_name" => write!(out, "Technician {member:02}"),
                    "priority_id" => write!(out, "{priority_id}"),
                    "priority_name" => out.write_all(priority_name.as_bytes()),
                    "priority_sort" => write!(out, "{sort}"),
                    "closed" if closed => write!(
                        out,
                        "\"closedDate\":\"{}\",\"closedBy\":\"tech{member:02}\",\"closedFlag\":true,",
                        stamp(updated)
                    ),
                    "closed" => out.write_all(b"\"closedFlag\":false,"),
                    "resolved" if closed => {
                        write!(out, "\"dateResolved\":\"{}\",", stamp(updated))
                    }
                    "resolved" => Ok(()),
                    "guid" => write!(out, "{id:012x}"),
                    "updated" => write!(out, "{}", stamp(updated)),
                    "entered" => write!(out, "{}", stamp(entered)),
                    other => write!(out, "?{other}?"),
                },
            };
        }
    }
}

/// One listener's settings.
struct Site {
    shape: Shape,
    origin: String,
    pages: Arc<Pages>,
    authorization: String,
}

impl Site {
    fn page_count(&self) -> usize {
        self.shape.n / PAGE_SIZE
    }
}

/// A JSON response.
pub fn reply(status: StatusCode, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(body.into()));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

fn error(status: StatusCode, code: &str, message: &str) -> Response<Full<Bytes>> {
    reply(
        status,
        json!({"code": code, "message": message}).to_string(),
    )
}

async fn handle(
    req: Request<Incoming>,
    site: Arc<Site>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let headers = req.headers();
    let authorized = headers
        .get("authorization")
        .is_some_and(|v| v.as_bytes() == site.authorization.as_bytes());
    if !authorized || !headers.contains_key("clientid") {
        return Ok(error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Basic company+public:private and a clientId header are required",
        ));
    }
    // The server's latency: every response waits, the status look-up too.
    if site.shape.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(site.shape.delay_ms)).await;
    }
    let path = req.uri().path();
    if path
        .trim_end_matches('/')
        .ends_with("/service/boards/30/statuses")
    {
        // The board's statuses, which mspkit reads once to tell open from closed.
        return Ok(reply(StatusCode::OK, site.pages.statuses.clone()));
    }
    if !path.trim_end_matches('/').ends_with("/service/tickets") {
        return Ok(error(
            StatusCode::NOT_FOUND,
            "NotFound",
            "only /service/tickets and /service/boards/30/statuses are served",
        ));
    }
    let forward_only = headers
        .get("pagination-type")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"forward-only"));

    let query = req.uri().query().unwrap_or("");
    let mut kept = Vec::new();
    let (mut page_size, mut page, mut page_id) = (None, None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "pageSize" => page_size = v.parse::<usize>().ok(),
            "page" => page = v.parse::<usize>().ok(),
            "pageId" => page_id = v.parse::<u64>().ok(),
            _ => kept.push(pair),
        }
    }
    if page_size != Some(PAGE_SIZE) {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            "InvalidObject",
            "this server serves pageSize=1000 only",
        ));
    }
    // 0-based index of the page asked for.
    let index = match (page_id, page) {
        (Some(after), _) => {
            let first = after.saturating_sub(FIRST_ID - 1) as usize;
            if after < FIRST_ID - 1 || first % PAGE_SIZE != 0 {
                return Ok(error(
                    StatusCode::BAD_REQUEST,
                    "InvalidObject",
                    "pageId is not a page boundary",
                ));
            }
            first / PAGE_SIZE
        }
        (None, Some(0)) => {
            return Ok(error(
                StatusCode::BAD_REQUEST,
                "InvalidObject",
                "page starts at 1",
            ));
        }
        (None, Some(p)) => p - 1,
        (None, None) => 0,
    };

    let pages = site.page_count();
    if index >= pages {
        return Ok(reply(StatusCode::OK, Bytes::from_static(b"[]")));
    }
    let mut resp = reply(StatusCode::OK, site.pages.bodies[index].clone());
    if index + 1 < pages {
        let mut base = format!("{}{}?", site.origin, path);
        for pair in &kept {
            base.push_str(pair);
            base.push('&');
        }
        base.push_str("pageSize=1000");
        let link = if forward_only {
            let last_id = FIRST_ID + ((index + 1) * PAGE_SIZE) as u64 - 1;
            format!("<{base}&pageId={last_id}>; rel=\"next\"")
        } else {
            format!(
                "<{base}&page={}>; rel=\"next\", <{base}&page={pages}>; rel=\"last\"",
                index + 2
            )
        };
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert("link", v);
        }
    }
    Ok(resp)
}

/// Runs the server: builds the pages, listens once per shape, prints one
/// `listen` line per endpoint and then `ready`, and serves until standard
/// input closes (the parent went away) or [`MAX_LIFETIME`] has passed.
pub fn serve(shapes: &[Shape]) -> Result<(), String> {
    let most = |p: Platform| {
        shapes
            .iter()
            .filter(|s| s.platform == p)
            .map(|s| s.n)
            .max()
            .unwrap_or(0)
    };
    let started = std::time::Instant::now();
    let pages = Arc::new(build_pages(
        most(Platform::ConnectWise).div_ceil(PAGE_SIZE),
    )?);
    let halo_pages = Arc::new(crate::halo::build_pages(
        most(Platform::Halo).div_ceil(crate::halo::PAGE_SIZE),
    )?);
    eprintln!(
        "server: built {} ConnectWise pages ({:.0} MB) and {} Halo pages ({:.0} MB) in {:.1} s",
        pages.bodies.len(),
        pages.bodies.iter().map(|b| b.len()).sum::<usize>() as f64 / 1e6,
        halo_pages.len(),
        halo_pages.bytes() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    std::thread::spawn(|| {
        // Exit when the parent closes our stdin (or dies).
        let stdin = std::io::stdin();
        let mut line = String::new();
        while matches!(stdin.lock().read_line(&mut line), Ok(n) if n > 0) {
            line.clear();
        }
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let credentials = format!("{COMPANY_ID}+{PUBLIC_KEY}:{PRIVATE_KEY}");
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        );
        let mut out = std::io::stdout().lock();
        for &shape in shapes {
            let size = shape.platform.page_size();
            if shape.n % size != 0 {
                return Err(format!("N must be a multiple of {size}"));
            }
            let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
                .await
                .map_err(|e| e.to_string())?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            let origin = format!("http://{addr}");
            let body_bytes = match shape.platform {
                Platform::ConnectWise => {
                    let site = Arc::new(Site {
                        shape,
                        origin: origin.clone(),
                        pages: pages.clone(),
                        authorization: authorization.clone(),
                    });
                    let body_bytes = pages.bodies[..site.page_count()]
                        .iter()
                        .map(|b| b.len() as u64)
                        .sum();
                    tokio::spawn(accept_loop(listener, move |req| handle(req, site.clone())));
                    body_bytes
                }
                Platform::Halo => {
                    let site = Arc::new(crate::halo::Site {
                        n: shape.n,
                        delay_ms: shape.delay_ms,
                        origin: origin.clone(),
                        pages: halo_pages.clone(),
                    });
                    tokio::spawn(accept_loop(listener, move |req| {
                        crate::halo::handle(req, site.clone())
                    }));
                    halo_pages.body_bytes(shape.n)
                }
            };
            let endpoint = Endpoint {
                shape,
                origin,
                body_bytes,
            };
            writeln!(out, "{}", endpoint.to_line()).map_err(|e| e.to_string())?;
        }
        writeln!(out, "ready").map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
        drop(out);
        tokio::time::sleep(MAX_LIFETIME).await;
        Ok(())
    })
}

async fn accept_loop<F, Fut>(listener: tokio::net::TcpListener, handler: F)
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<Response<Full<Bytes>>, Infallible>> + Send + 'static,
{
    while let Ok((stream, _)) = listener.accept().await {
        let _ = stream.set_nodelay(true);
        let handler = handler.clone();
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(handler))
                .await;
        });
    }
}
