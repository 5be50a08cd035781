//! A fake Zendesk Support account for tests and the demo.
//!
//! It answers like Zendesk: the same paths (with or without `.json`), both
//! sign-in forms (Basic `{email}/token:{api_token}` and an OAuth `Bearer`
//! token; anything else gets `401 {"error":"Couldn't authenticate you"}`,
//! and `users/me` without credentials answers the anonymous user), cursor
//! paging (`page[size]`, an opaque `page[after]`, `meta.has_more`, and a
//! `links.next` that is there even on the last page), offset paging when
//! `page[size]` is left out (refused past 10,000 records), the incremental
//! exports (cursor-based for tickets and users with `after_url` and
//! `end_of_stream`, time-based for organizations with `next_page`; at most
//! 10 requests a minute, then a plain-text 429), `include=users,metric_sets`
//! side-loads, custom statuses, and ticket writes (a comment is an update;
//! a closed ticket refuses updates with a 422; more than 30 updates of one
//! ticket in ten minutes get a 429 in the `errors` shape).

// A refusal is the response itself, as with testkit's checks.
#![allow(clippy::result_large_err)]

mod data;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::Utc;
use mspkit_testkit::{
    BasicAuth, BearerToken, CheckFn, Credential, Reply, header_value, instant_of, query_param,
    query_params, query_u64,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Map, Value, json};
use url::Url;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::ZendeskSettings;

pub use data::{ORGANIZATION, TICKET_WITH_NOTES};

/// The agent the fake's API token belongs to.
pub const EMAIL: &str = "jdoe@example.com";
/// The fake account's API token (the reference's worked example).
pub const API_TOKEN: &str = "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv";
/// An OAuth access token the fake account takes.
pub const OAUTH_TOKEN: &str = "gErypPlm4dOVgGRvA1ZzMH5MQ3nLo8bo";

/// Exports the fake serves a minute before it answers 429.
pub const EXPORTS_PER_MINUTE: usize = 10;
/// Updates of one ticket the fake takes in ten minutes.
pub const UPDATES_PER_TICKET: usize = 30;

/// Starts a fake account signed in to with [`EMAIL`] and [`API_TOKEN`]:
/// 9 organizations, 17 users (14 end-users, 3 agents), 30 tickets (5
/// comments on [`TICKET_WITH_NOTES`], one on each other ticket) and 8
/// custom statuses.
pub async fn start() -> FakeServer<ZendeskSettings> {
    let (server, expected) = serve().await;
    let mut settings = ZendeskSettings::api_token("example", EMAIL, API_TOKEN);
    settings.base_url = Some(server.uri());
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected).secrets(secrets())
}

/// The same fake account, signed in to with the OAuth token [`OAUTH_TOKEN`].
pub async fn start_oauth() -> FakeServer<ZendeskSettings> {
    let (server, expected) = serve().await;
    let mut settings = ZendeskSettings::oauth("example", OAUTH_TOKEN);
    settings.base_url = Some(server.uri());
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected).secrets(secrets())
}

/// Every form the fake's secrets travel in.
fn secrets() -> Vec<String> {
    vec![
        API_TOKEN.to_owned(),
        OAUTH_TOKEN.to_owned(),
        basic_value(&format!("{EMAIL}/token:{API_TOKEN}")),
    ]
}

/// Base64 of `text`, as a Basic header carries it.
fn basic_value(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

async fn serve() -> (MockServer, Expected) {
    let server = MockServer::start().await;
    let state = State::new();
    let mut expected = Expected::new();
    expected.companies = Some(state.organizations.len());
    expected.contacts = Some(
        state
            .users
            .iter()
            .filter(|u| u["role"] == "end-user")
            .count(),
    );
    expected.tickets = Some(state.tickets.len());
    expected.company_id = Some(ORGANIZATION.into());
    let notes = state.comments.get(&TICKET_WITH_NOTES).map_or(0, Vec::len);
    expected.ticket_with_notes = Some((TICKET_WITH_NOTES.into(), notes));
    let fake = Fake {
        origin: server.uri(),
        state: Arc::new(Mutex::new(state)),
    };
    Mock::given(any()).respond_with(fake).mount(&server).await;
    (server, expected)
}

struct State {
    organizations: Vec<Value>,
    users: Vec<Value>,
    tickets: Vec<Value>,
    comments: HashMap<u64, Vec<Value>>,
    custom_statuses: Vec<Value>,
    next_id: u64,
    exports: Vec<Instant>,
    updates: HashMap<u64, Vec<Instant>>,
}

impl State {
    fn new() -> Self {
        let tickets = data::tickets();
        State {
            organizations: data::organizations(),
            users: data::users(),
            comments: data::comments(&tickets).into_iter().collect(),
            tickets,
            custom_statuses: data::custom_statuses(),
            next_id: 50_001,
            exports: Vec::new(),
            updates: HashMap::new(),
        }
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

#[derive(Clone)]
struct Fake {
    origin: String,
    state: Arc<Mutex<State>>,
}

fn json_reply(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn not_found() -> ResponseTemplate {
    json_reply(
        404,
        json!({"error": "RecordNotFound", "description": "Not found"}),
    )
}

fn invalid_endpoint() -> ResponseTemplate {
    json_reply(
        404,
        json!({"error": "InvalidEndpoint", "description": "Not found"}),
    )
}

fn record_invalid(field: &str, description: &str, error: &str) -> ResponseTemplate {
    json_reply(
        422,
        json!({
            "error": "RecordInvalid",
            "description": "Record validation errors",
            "details": {field: [{"description": description, "error": error}]}
        }),
    )
}

fn invalid_attribute(message: &str) -> ResponseTemplate {
    json_reply(
        400,
        json!({"error": {"title": "Invalid attribute", "message": message}}),
    )
}

fn id_of(v: &Value) -> u64 {
    v["id"].as_u64().unwrap_or_default()
}

/// An opaque cursor for "after the item with this key".
fn encode_cursor(key: &str) -> String {
    key.bytes().map(|b| format!("{:02x}", b ^ 0x5a)).collect()
}

fn decode_cursor(cursor: &str) -> Option<String> {
    if cursor.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(cursor.get(i..i + 2)?, 16)
                .ok()
                .map(|b| b ^ 0x5a)
        })
        .collect();
    String::from_utf8(bytes?).ok()
}

impl Fake {
    /// The credentials Zendesk takes: the API token of [`EMAIL`], or the
    /// OAuth token.
    fn admit(request: &Request) -> Result<(), ResponseTemplate> {
        let refusal = Reply::json(401, json!({"error": "Couldn't authenticate you"}));
        let basic = BasicAuth::new(format!("{EMAIL}/token"), API_TOKEN, refusal.clone());
        let bearer = BearerToken::fixed(OAUTH_TOKEN, refusal);
        CheckFn(move |r: &Request| basic.admit(r).or_else(|_| bearer.admit(r))).admit(request)
    }

    /// This request's URL on the fake's origin, `.json` added to the path as
    /// Zendesk's own links have it, with `set` replacing those parameters
    /// and `drop` removed.
    fn link(&self, request: &Request, set: &[(&str, String)], drop: &[&str]) -> String {
        let mut url = request.url.clone();
        if let Ok(origin) = Url::parse(&self.origin) {
            let _ = url.set_scheme(origin.scheme());
            let _ = url.set_host(origin.host_str());
            let _ = url.set_port(origin.port());
        }
        if !url.path().ends_with(".json") {
            let path = format!("{}.json", url.path());
            url.set_path(&path);
        }
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !set.iter().any(|(s, _)| s == k) && !drop.contains(&k.as_ref()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .extend_pairs(set.iter().map(|(k, v)| (*k, v.as_str())));
        url.to_string()
    }

    /// A list answered with cursor paging (`page[size]` given) or offset
    /// paging (`page`, `per_page`), with `side` added to each page.
    fn list(
        &self,
        request: &Request,
        key: &str,
        items: &[Value],
        side: impl Fn(&[Value]) -> Map<String, Value>,
    ) -> ResponseTemplate {
        let Some(size) = query_param(request, "page[size]") else {
            return self.offset_list(request, key, items, side);
        };
        let Ok(size) = size.trim().parse::<usize>() else {
            return invalid_attribute("page[size] must be an integer");
        };
        let size = size.clamp(1, 100);
        let start = match query_param(request, "page[after]") {
            None => 0,
            Some(cursor) => match decode_cursor(&cursor).and_then(|k| k.parse::<u64>().ok()) {
                Some(after) => items
                    .iter()
                    .position(|i| id_of(i) == after)
                    .map_or(items.len(), |p| p + 1),
                None => return invalid_attribute("page[after] is not a valid cursor"),
            },
        };
        let start = start.min(items.len());
        let end = (start + size).min(items.len());
        let page = &items[start..end];
        let has_more = end < items.len();
        let after = page.last().map(|i| encode_cursor(&id_of(i).to_string()));
        let before = page.first().map(|i| encode_cursor(&id_of(i).to_string()));
        // Zendesk's last page still links onwards: only `has_more` ends a list.
        let next = after.as_ref().map(|a| {
            self.link(
                request,
                &[("page[size]", size.to_string()), ("page[after]", a.clone())],
                &["page[before]"],
            )
        });
        let prev = before.as_ref().map(|b| {
            self.link(
                request,
                &[
                    ("page[size]", size.to_string()),
                    ("page[before]", b.clone()),
                ],
                &["page[after]"],
            )
        });
        let mut body = side(page);
        body.insert(key.to_owned(), json!(page));
        body.insert(
            "meta".into(),
            json!({"has_more": has_more, "after_cursor": after, "before_cursor": before}),
        );
        body.insert("links".into(), json!({"next": next, "prev": prev}));
        json_reply(200, Value::Object(body))
    }

    fn offset_list(
        &self,
        request: &Request,
        key: &str,
        items: &[Value],
        side: impl Fn(&[Value]) -> Map<String, Value>,
    ) -> ResponseTemplate {
        let per_page = query_u64(request, "per_page").unwrap_or(100).clamp(1, 100) as usize;
        let page = query_u64(request, "page").unwrap_or(1).max(1) as usize;
        if (page - 1) * per_page >= 10_000 {
            return invalid_attribute(
                "You passed an invalid value for the page attribute. Invalid parameter: page must be less than or equal to 100",
            );
        }
        let start = ((page - 1) * per_page).min(items.len());
        let end = (start + per_page).min(items.len());
        let next = (end < items.len()).then(|| {
            self.link(
                request,
                &[
                    ("page", (page + 1).to_string()),
                    ("per_page", per_page.to_string()),
                ],
                &[],
            )
        });
        let previous = (page > 1).then(|| {
            self.link(
                request,
                &[
                    ("page", (page - 1).to_string()),
                    ("per_page", per_page.to_string()),
                ],
                &[],
            )
        });
        let mut body = side(&items[start..end]);
        body.insert(key.to_owned(), json!(&items[start..end]));
        body.insert("next_page".into(), json!(next));
        body.insert("previous_page".into(), json!(previous));
        body.insert("count".into(), json!(items.len()));
        json_reply(200, Value::Object(body))
    }

    /// The exports' own budget: 10 requests a minute, then Zendesk's
    /// plain-text 429.
    fn export_budget(&self, state: &mut State) -> Option<ResponseTemplate> {
        let now = Instant::now();
        state
            .exports
            .retain(|t| now.duration_since(*t) < Duration::from_secs(60));
        if state.exports.len() >= EXPORTS_PER_MINUTE {
            let wait = 60 - now.duration_since(state.exports[0]).as_secs();
            return Some(
                ResponseTemplate::new(429)
                    .insert_header("content-type", "text/plain; charset=utf-8")
                    .insert_header("retry-after", wait.max(1).to_string().as_str())
                    .insert_header("x-rate-limit", "10")
                    .insert_header("x-rate-limit-remaining", "0")
                    .set_body_string("Too Many Requests (incremental export rate limit)\n"),
            );
        }
        state.exports.push(now);
        None
    }

    /// A cursor-based export (`start_time`, then `cursor`): the items changed
    /// at or after `start_time`, oldest first; `after_url` is there to the
    /// end, `end_of_stream` says when it is.
    fn cursor_export(
        &self,
        request: &Request,
        key: &str,
        items: &[Value],
        side: impl Fn(&[Value]) -> Map<String, Value>,
    ) -> ResponseTemplate {
        let per_page = query_u64(request, "per_page")
            .unwrap_or(1000)
            .clamp(1, 1000) as usize;
        let (start_time, from) = match query_param(request, "cursor") {
            Some(c) => match decode_cursor(&c).and_then(|k| {
                let (t, p) = k.split_once(':')?;
                Some((t.parse::<i64>().ok()?, p.parse::<usize>().ok()?))
            }) {
                Some(tp) => tp,
                None => {
                    return json_reply(
                        400,
                        json!({"error": "InvalidCursor", "description": "The cursor is invalid"}),
                    );
                }
            },
            None => match export_start(request) {
                Ok(t) => (t, 0),
                Err(refusal) => return refusal,
            },
        };
        let changed = changed_at_or_after(items, start_time);
        let from = from.min(changed.len());
        let to = (from + per_page).min(changed.len());
        let page = &changed[from..to];
        let cursor = encode_cursor(&format!("{start_time}:{to}"));
        let after_url = format!(
            "{}/api/v2/incremental/{key}/cursor.json?cursor={cursor}",
            self.origin
        );
        let mut body = side(page);
        body.insert(key.to_owned(), json!(page));
        body.insert("after_cursor".into(), json!(cursor));
        body.insert("after_url".into(), json!(after_url));
        body.insert("before_cursor".into(), Value::Null);
        body.insert("before_url".into(), Value::Null);
        body.insert("end_of_stream".into(), json!(to >= changed.len()));
        json_reply(200, Value::Object(body))
    }

    /// The time-based organization export: up to `per_page` items changed at
    /// or after `start_time`; `next_page` starts at the last one's time (so
    /// it comes again), `end_of_stream` once a page is not full.
    fn time_export(&self, request: &Request, key: &str, items: &[Value]) -> ResponseTemplate {
        let per_page = query_u64(request, "per_page")
            .unwrap_or(1000)
            .clamp(1, 1000) as usize;
        let start_time = match export_start(request) {
            Ok(t) => t,
            Err(refusal) => return refusal,
        };
        let changed = changed_at_or_after(items, start_time);
        let page: Vec<Value> = changed.into_iter().take(per_page).collect();
        let end_time = page.last().map_or(start_time, changed_time);
        let mut set = vec![("start_time", end_time.to_string())];
        if let Some(n) = query_param(request, "per_page") {
            set.push(("per_page", n));
        }
        let next = self.link(request, &set, &[]);
        json_reply(
            200,
            json!({
                key: page,
                "count": page.len(),
                "end_of_stream": page.len() < per_page,
                "end_time": end_time,
                "next_page": next
            }),
        )
    }

    fn route(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let Some(rest) = path.strip_prefix("/api/v2/") else {
            return invalid_endpoint();
        };
        let rest = rest.strip_suffix(".json").unwrap_or(rest);
        let parts: Vec<&str> = rest.split('/').collect();
        let method = request.method.as_str();
        if parts == ["users", "me"]
            && method == "GET"
            && header_value(request, "authorization").is_none()
        {
            return json_reply(
                200,
                json!({"user": {"id": null, "name": "Anonymous user", "email": "invalid@example.com",
                        "role": "end-user", "url": null, "active": true, "verified": false}}),
            );
        }
        if let Err(refusal) = Self::admit(request) {
            return refusal;
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let state = &mut *state;
        let includes = query_params(request, "include")
            .iter()
            .flat_map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<String>>();
        let users = state.users.clone();
        let side_users = |page: &[Value], fields: &[&str]| -> Vec<Value> {
            let wanted: std::collections::BTreeSet<u64> = page
                .iter()
                .flat_map(|i| fields.iter().filter_map(|f| i[*f].as_u64()))
                .collect();
            users
                .iter()
                .filter(|u| wanted.contains(&id_of(u)))
                .cloned()
                .collect()
        };
        let ticket_side = |page: &[Value]| {
            let mut m = Map::new();
            if includes.iter().any(|i| i == "users") {
                m.insert(
                    "users".into(),
                    json!(side_users(
                        page,
                        &["assignee_id", "requester_id", "submitter_id"]
                    )),
                );
            }
            if includes.iter().any(|i| i == "metric_sets") {
                m.insert(
                    "metric_sets".into(),
                    json!(page.iter().map(data::metric_set).collect::<Vec<_>>()),
                );
            }
            m
        };
        let no_side = |_: &[Value]| Map::new();
        let role_filter = |list: Vec<Value>| -> Vec<Value> {
            let mut roles = query_params(request, "role");
            roles.extend(query_params(request, "role[]"));
            list.into_iter()
                .filter(|u| roles.is_empty() || roles.iter().any(|r| u["role"] == json!(r)))
                .collect()
        };
        match (method, parts.as_slice()) {
            ("GET", ["users", "me"]) => {
                let me = state.users.iter().find(|u| id_of(u) == data::ME).cloned();
                json_reply(200, json!({"user": me}))
                    .insert_header("x-rate-limit", "700")
                    .insert_header("x-rate-limit-remaining", "699")
            }
            ("GET", ["organizations"]) => {
                self.list(request, "organizations", &state.organizations, no_side)
            }
            ("GET", ["organizations", id]) => {
                match state
                    .organizations
                    .iter()
                    .find(|o| id_of(o).to_string() == *id)
                {
                    Some(o) => json_reply(200, json!({"organization": o})),
                    None => not_found(),
                }
            }
            ("GET", ["organizations", id, "users"]) => {
                if !state
                    .organizations
                    .iter()
                    .any(|o| id_of(o).to_string() == *id)
                {
                    return not_found();
                }
                let members: Vec<Value> = state
                    .users
                    .iter()
                    .filter(|u| {
                        u["organization_id"]
                            .as_u64()
                            .map(|o| o.to_string())
                            .as_deref()
                            == Some(*id)
                    })
                    .cloned()
                    .collect();
                self.list(request, "users", &role_filter(members), no_side)
            }
            ("GET", ["organizations", id, "tickets"]) => {
                if !state
                    .organizations
                    .iter()
                    .any(|o| id_of(o).to_string() == *id)
                {
                    return not_found();
                }
                let tickets: Vec<Value> = state
                    .tickets
                    .iter()
                    .filter(|t| {
                        t["organization_id"]
                            .as_u64()
                            .map(|o| o.to_string())
                            .as_deref()
                            == Some(*id)
                    })
                    .cloned()
                    .collect();
                self.list(request, "tickets", &tickets, ticket_side)
            }
            ("GET", ["users"]) => {
                let list = role_filter(state.users.clone());
                self.list(request, "users", &list, no_side)
            }
            ("GET", ["users", id]) => {
                match state.users.iter().find(|u| id_of(u).to_string() == *id) {
                    Some(u) => json_reply(200, json!({"user": u})),
                    None => not_found(),
                }
            }
            ("GET", ["tickets"]) => self.list(request, "tickets", &state.tickets, ticket_side),
            ("GET", ["tickets", id]) => {
                match state.tickets.iter().find(|t| id_of(t).to_string() == *id) {
                    Some(t) => {
                        let mut body = ticket_side(std::slice::from_ref(t));
                        body.insert("ticket".into(), t.clone());
                        json_reply(200, Value::Object(body))
                    }
                    None => not_found(),
                }
            }
            ("GET", ["tickets", id, "comments"]) => {
                let Some(list) = id.parse::<u64>().ok().and_then(|n| state.comments.get(&n)) else {
                    return not_found();
                };
                let list = list.clone();
                let comment_side = |page: &[Value]| {
                    let mut m = Map::new();
                    if includes.iter().any(|i| i == "users") {
                        m.insert("users".into(), json!(side_users(page, &["author_id"])));
                    }
                    m
                };
                self.list(request, "comments", &list, comment_side)
            }
            ("GET", ["custom_statuses"]) => {
                json_reply(200, json!({"custom_statuses": state.custom_statuses}))
            }
            ("GET", ["incremental", "tickets", "cursor"]) => {
                if let Some(r) = self.export_budget(state) {
                    return r;
                }
                self.cursor_export(request, "tickets", &state.tickets, ticket_side)
            }
            ("GET", ["incremental", "users", "cursor"]) => {
                if let Some(r) = self.export_budget(state) {
                    return r;
                }
                self.cursor_export(request, "users", &state.users, no_side)
            }
            ("GET", ["incremental", "organizations"]) => {
                if let Some(r) = self.export_budget(state) {
                    return r;
                }
                self.time_export(request, "organizations", &state.organizations)
            }
            ("POST", ["tickets"]) => self.create(request, state),
            ("PUT", ["tickets", id]) => match id.parse::<u64>() {
                Ok(n) => self.update(request, state, n),
                Err(_) => not_found(),
            },
            _ => invalid_endpoint(),
        }
    }

    fn create(&self, request: &Request, state: &mut State) -> ResponseTemplate {
        let Some(ticket) = request_ticket(request) else {
            return json_reply(
                400,
                json!({"error": "InvalidValue", "description": "ticket is required"}),
            );
        };
        let tv = Value::Object(ticket.clone());
        let body = tv["comment"]["body"].as_str().unwrap_or_default();
        if body.trim().is_empty() {
            return record_invalid("description", "Description: cannot be blank", "BlankValue");
        }
        if let Err(r) = check_fields(&ticket) {
            return r;
        }
        let id = state.id();
        let now = data::at(Utc::now());
        let requester = tv["requester_id"].as_u64().unwrap_or(data::ME);
        let organization = ticket.get("organization_id").cloned().unwrap_or_else(|| {
            state
                .users
                .iter()
                .find(|u| id_of(u) == requester)
                .map_or(Value::Null, |u| u["organization_id"].clone())
        });
        let status = tv["status"].as_str().unwrap_or("new").to_owned();
        let mut record = json!({
            "assignee_id": null,
            "collaborator_ids": [],
            "created_at": now,
            "custom_fields": [],
            "custom_status_id": data::default_custom_status(&status),
            "description": body,
            "due_at": null,
            "external_id": null,
            "group_id": 98738,
            "has_incidents": false,
            "id": id,
            "organization_id": organization,
            "priority": ticket.get("priority").cloned().unwrap_or(Value::Null),
            "raw_subject": tv["subject"].clone(),
            "requester_id": requester,
            "status": status,
            "subject": tv["subject"].clone(),
            "submitter_id": data::ME,
            "tags": [],
            "type": null,
            "updated_at": now,
            "url": format!("{}/api/v2/tickets/{id}.json", self.origin),
            "via": {"channel": "api", "source": {"from": {}, "rel": null, "to": {}}}
        });
        if let Some(custom) = ticket.get("custom_status_id") {
            record["custom_status_id"] = custom.clone();
        }
        for (k, v) in ticket.iter() {
            if !["comment", "status", "custom_status_id"].contains(&k.as_str()) {
                record[k] = v.clone();
            }
        }
        let comment = data::comment(id * 10 + 1, data::ME, body, true, &now);
        state.comments.insert(id, vec![comment.clone()]);
        state.tickets.push(record.clone());
        let audit = json!({"id": id * 10 + 8, "ticket_id": id, "created_at": now, "author_id": data::ME,
            "events": [comment_event(&comment)]});
        json_reply(201, json!({"ticket": record, "audit": audit})).insert_header(
            "location",
            format!("{}/api/v2/tickets/{id}.json", self.origin).as_str(),
        )
    }

    fn update(&self, request: &Request, state: &mut State, id: u64) -> ResponseTemplate {
        let Some(pos) = state.tickets.iter().position(|t| id_of(t) == id) else {
            return not_found();
        };
        let Some(changes) = request_ticket(request) else {
            return json_reply(
                400,
                json!({"error": "InvalidValue", "description": "ticket is required"}),
            );
        };
        let now_instant = Instant::now();
        let recent = state.updates.entry(id).or_default();
        recent.retain(|t| now_instant.duration_since(*t) < Duration::from_secs(600));
        if recent.len() >= UPDATES_PER_TICKET {
            return json_reply(
                429,
                json!({"errors": [{"code": "TooManyRequests", "title": "Too many requests to update",
                    "detail": "This ticket has been updated too many times in the last 10 minutes"}]}),
            )
            .insert_header("retry-after", "600");
        }
        recent.push(now_instant);
        if state.tickets[pos]["status"] == "closed" {
            return record_invalid(
                "status",
                "Status: closed prevents ticket update",
                "ClosedPreventsUpdate",
            );
        }
        if let Err(r) = check_fields(&changes) {
            return r;
        }
        let now = data::at(Utc::now());
        let mut events = Vec::new();
        let event_id = state.id() * 10;
        {
            let t = &mut state.tickets[pos];
            for (k, v) in changes.iter() {
                match k.as_str() {
                    "comment" => {}
                    "status" => {
                        let s = v.as_str().unwrap_or_default();
                        t["status"] = v.clone();
                        if !changes.contains_key("custom_status_id") {
                            t["custom_status_id"] = data::default_custom_status(s);
                        }
                        events.push(json!({"field_name": "status", "id": event_id + events.len() as u64, "type": "Change", "value": v}));
                    }
                    "custom_status_id" => {
                        if let Some(c) = state_category(&state.custom_statuses, v) {
                            t["status"] = json!(c);
                        }
                        t["custom_status_id"] = v.clone();
                        events.push(json!({"field_name": "custom_status_id", "id": event_id + events.len() as u64, "type": "Change", "value": v}));
                    }
                    _ => {
                        t[k] = v.clone();
                        events.push(json!({"field_name": k, "id": event_id + events.len() as u64, "type": "Change", "value": v}));
                    }
                }
            }
            t["updated_at"] = json!(now);
        }
        if let Some(body) = changes.get("comment").and_then(|c| c["body"].as_str()) {
            let comment = changes.get("comment").cloned().unwrap_or_default();
            let public = comment["public"].as_bool().unwrap_or(true);
            let author = comment["author_id"].as_u64().unwrap_or(data::ME);
            let comment = data::comment(event_id + 9, author, body, public, &now);
            events.insert(0, comment_event(&comment));
            state.comments.entry(id).or_default().push(comment);
        }
        let ticket = state.tickets[pos].clone();
        let audit = json!({"id": event_id + 8, "ticket_id": id, "created_at": now, "author_id": data::ME,
            "metadata": {"system": {}, "custom": {}}, "events": events});
        json_reply(200, json!({"ticket": ticket, "audit": audit}))
    }
}

/// The `Comment` event of an audit, for a new comment.
fn comment_event(comment: &Value) -> Value {
    let mut e = comment.clone();
    if let Some(m) = e.as_object_mut() {
        m.remove("created_at");
        m.remove("metadata");
        m.remove("via");
    }
    e
}

fn state_category(custom: &[Value], id: &Value) -> Option<String> {
    custom
        .iter()
        .find(|c| c["id"] == *id)
        .and_then(|c| c["status_category"].as_str().map(str::to_owned))
}

/// The `ticket` object of a write's body.
fn request_ticket(request: &Request) -> Option<Map<String, Value>> {
    let body: Value = serde_json::from_slice(&request.body).ok()?;
    body.get("ticket")?.as_object().cloned()
}

/// Status and priority are fixed enums.
fn check_fields(ticket: &Map<String, Value>) -> Result<(), ResponseTemplate> {
    if let Some(s) = ticket.get("status") {
        let ok = s
            .as_str()
            .is_some_and(|s| ["new", "open", "pending", "hold", "solved", "closed"].contains(&s));
        if !ok {
            return Err(record_invalid(
                "status",
                "Status: is invalid",
                "InvalidValue",
            ));
        }
    }
    if let Some(p) = ticket.get("priority") {
        let ok = p.is_null()
            || p.as_str()
                .is_some_and(|p| ["urgent", "high", "normal", "low"].contains(&p));
        if !ok {
            return Err(record_invalid(
                "priority",
                "Priority: is invalid",
                "InvalidValue",
            ));
        }
    }
    Ok(())
}

/// An export's `start_time`: required, at least a minute ago.
fn export_start(request: &Request) -> Result<i64, ResponseTemplate> {
    let Some(t) = query_param(request, "start_time").and_then(|s| s.trim().parse::<i64>().ok())
    else {
        return Err(json_reply(
            400,
            json!({"error": "InvalidValue", "description": "start_time is required and must be a Unix time"}),
        ));
    };
    if t > Utc::now().timestamp() - 60 {
        return Err(json_reply(
            400,
            json!({"error": "InvalidValue", "description": "Too recent start_time. Use a start_time older than 1 minute"}),
        ));
    }
    Ok(t)
}

/// When an item last changed, in Unix seconds.
fn changed_time(item: &Value) -> i64 {
    instant_of(&item["updated_at"]).map_or(0, |t| t.timestamp())
}

/// The items changed at or after `start_time`, oldest first.
fn changed_at_or_after(items: &[Value], start_time: i64) -> Vec<Value> {
    let mut by_time: BTreeMap<(i64, u64), Value> = BTreeMap::new();
    for i in items {
        let t = changed_time(i);
        if t >= start_time {
            by_time.insert((t, id_of(i)), i.clone());
        }
    }
    by_time.into_values().collect()
}

impl Respond for Fake {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.route(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_opaque_and_read_back() {
        let c = encode_cursor("41004");
        assert_ne!(c, "41004");
        assert_eq!(decode_cursor(&c).as_deref(), Some("41004"));
        assert_eq!(decode_cursor("zz"), None);
    }

    #[test]
    fn the_basic_value_is_base64() {
        assert_eq!(
            basic_value("jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv"),
            "amRvZUBleGFtcGxlLmNvbS90b2tlbjo2d2lJQldiR2tCTW8xbVJETXVWd2t3MUVQc05rZVVqOTVQSXoyYWt2"
        );
        assert_eq!(basic_value("ab"), "YWI=");
    }
}
