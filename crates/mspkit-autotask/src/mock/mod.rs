//! A fake Autotask zone for tests and the demo: the same paths
//! (`/atservicesrest/v1.0/...`), the three-header auth check (a wrong user or
//! secret gets 401, a wrong integration code Autotask's 500
//! `{"errors":["IntegrationCode is invalid."]}`), query filters, paging by
//! `MaxRecords` with `pageDetails.nextPageUrl` links, picklists, zone look-up,
//! threshold information, and ticket and note writes.

mod data;
mod filter;

use std::sync::{Arc, Mutex};

/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use url::form_urlencoded;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::AutotaskSettings;

/// The fake tenant's API user.
pub const USERNAME: &str = "api_user@acme.com";
/// That user's secret.
pub const SECRET: &str = "s3cr3t-API-user";
/// The fake integration's tracking identifier.
pub const INTEGRATION_CODE: &str = "ABCDEFGH00100244MMEEE333";

const ROOT: &str = "/atservicesrest/v1.0/";

/// Starts a fake zone holding 5 companies, 8 contacts, 12 tickets (notes on
/// two of them) and 4 contracts.
pub async fn start() -> FakeServer<AutotaskSettings> {
    let server = MockServer::start().await;
    let fake = Fake {
        uri: server.uri(),
        state: Arc::new(Mutex::new(State::new())),
    };
    Mock::given(any()).respond_with(fake).mount(&server).await;
    let settings = AutotaskSettings {
        username: USERNAME.to_owned(),
        secret: SECRET.to_owned().into(),
        integration_code: INTEGRATION_CODE.to_owned(),
        base_url: Some(format!("{}/atservicesrest", server.uri())),
        impersonation_resource_id: None,
        allow_insecure_http: true,
    };
    let mut expected = Expected::new();
    expected.companies = Some(data::companies().len());
    expected.contacts = Some(data::contacts().len());
    expected.tickets = Some(data::tickets().len());
    expected.agreements = Some(data::contracts().len());
    expected.company_id = Some(data::COMPANY_IDS[1].into());
    let notes = data::notes()
        .iter()
        .filter(|n| n["ticketID"] == json!(data::TICKET_WITH_NOTES))
        .count();
    expected.ticket_with_notes = Some((data::TICKET_WITH_NOTES.into(), notes));
    FakeServer {
        server,
        settings,
        expected,
        secrets: Vec::new(),
        tokens: None,
    }
}

struct State {
    companies: Vec<Value>,
    contacts: Vec<Value>,
    tickets: Vec<Value>,
    notes: Vec<Value>,
    contracts: Vec<Value>,
    resources: Vec<Value>,
    countries: Vec<Value>,
}

impl State {
    fn new() -> Self {
        State {
            companies: data::companies(),
            contacts: data::contacts(),
            tickets: data::tickets(),
            notes: data::notes(),
            contracts: data::contracts(),
            resources: data::resources(),
            countries: data::countries(),
        }
    }

    /// The records of an entity, by its lower-cased name, and its canonical name.
    fn records(&mut self, entity: &str) -> Option<(&'static str, &mut Vec<Value>)> {
        Some(match entity {
            "companies" => ("Companies", &mut self.companies),
            "contacts" => ("Contacts", &mut self.contacts),
            "tickets" => ("Tickets", &mut self.tickets),
            "ticketnotes" => ("TicketNotes", &mut self.notes),
            "contracts" => ("Contracts", &mut self.contracts),
            "resources" => ("Resources", &mut self.resources),
            "countries" => ("Countries", &mut self.countries),
            _ => return None,
        })
    }
}

#[derive(Clone)]
struct Fake {
    uri: String,
    state: Arc<Mutex<State>>,
}

fn errors(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "errors": [message] }))
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

fn query_param(req: &Request, name: &str) -> Option<String> {
    req.url
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.into_owned())
}

impl Respond for Fake {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let path = req.url.path().to_ascii_lowercase();
        let Some(rest) = path.strip_prefix(ROOT) else {
            return ResponseTemplate::new(404);
        };
        let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        let method = req.method.as_str();
        // The zone look-up takes no credentials.
        if parts == ["zoneinformation"] && method == "GET" {
            return match query_param(req, "user") {
                Some(u) if u.eq_ignore_ascii_case(USERNAME) => ResponseTemplate::new(200)
                    .set_body_json(json!({
                        "zoneName": "Fake Zone",
                        "url": format!("{}/atservicesrest/", self.uri),
                        "webUrl": format!("{}/", self.uri),
                        "ci": 0
                    })),
                _ => errors(500, "Zone information could not be determined"),
            };
        }
        if header(req, "apiintegrationcode") != Some(INTEGRATION_CODE) {
            return errors(500, "IntegrationCode is invalid.");
        }
        if header(req, "username").is_none_or(|u| !u.eq_ignore_ascii_case(USERNAME))
            || header(req, "secret") != Some(SECRET)
        {
            return ResponseTemplate::new(401);
        }
        let mut state = match self.state.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        match (method, parts.as_slice()) {
            ("GET", ["thresholdinformation"]) => ResponseTemplate::new(200).set_body_json(json!({
                "externalRequestThreshold": 10000,
                "requestThresholdTimeframe": 60,
                "currentTimeframeRequestCount": 42
            })),
            ("GET", [entity, "entityinformation", "fields"]) => match data::fields(entity) {
                Some(body) => ResponseTemplate::new(200).set_body_json(body),
                None => ResponseTemplate::new(200).set_body_json(json!({"fields": []})),
            },
            ("POST", [entity, "query"]) => {
                let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
                    return errors(500, "Unable to parse the query.");
                };
                let size = body
                    .get("MaxRecords")
                    .or_else(|| body.get("maxRecords"))
                    .and_then(Value::as_u64)
                    .unwrap_or(500);
                let filter = filter_of(&body);
                self.page(&mut state, entity, &filter, size, None, Vec::new())
            }
            ("GET", [entity, "query", "next"]) => {
                let paging: Value = query_param(req, "paging")
                    .and_then(|p| serde_json::from_str(&p).ok())
                    .unwrap_or(Value::Null);
                let search: Value = query_param(req, "search")
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or(Value::Null);
                let size = paging["pageSize"].as_u64().unwrap_or(500);
                let from = paging["nextIds"][0].as_i64();
                let previous: Vec<i64> = paging["previousIds"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default();
                if from.is_none() {
                    return errors(500, "The paging parameter is invalid.");
                }
                self.page(
                    &mut state,
                    entity,
                    &filter_of(&search),
                    size,
                    from,
                    previous,
                )
            }
            ("GET", [entity, id]) => {
                let Some((_, records)) = state.records(entity) else {
                    return ResponseTemplate::new(404);
                };
                let item = id
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| records.iter().find(|r| r["id"] == json!(id)).cloned());
                ResponseTemplate::new(200).set_body_json(json!({ "item": item }))
            }
            ("POST", ["tickets"]) => {
                let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&req.body) else {
                    return errors(500, "Unable to parse the ticket.");
                };
                for required in ["title", "companyID", "status", "priority"] {
                    if !body.contains_key(required) {
                        return errors(500, &format!("{required} is required."));
                    }
                }
                let id = state
                    .tickets
                    .iter()
                    .filter_map(|t| t["id"].as_i64())
                    .max()
                    .unwrap_or(0)
                    + 1;
                let mut ticket = data::ticket(id, 1, "", 1, 2);
                if let Value::Object(t) = &mut ticket {
                    for (k, v) in body {
                        t.insert(k, v);
                    }
                    t.insert("id".into(), json!(id));
                }
                state.tickets.push(ticket);
                ResponseTemplate::new(200).set_body_json(json!({ "itemId": id }))
            }
            ("PATCH", ["tickets"]) => {
                let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&req.body) else {
                    return errors(500, "Unable to parse the ticket.");
                };
                let id = body.get("id").and_then(Value::as_i64);
                let Some(ticket) = state
                    .tickets
                    .iter_mut()
                    .find(|t| id.is_some() && t["id"].as_i64() == id)
                else {
                    return errors(500, "The ticket does not exist.");
                };
                if let Value::Object(t) = ticket {
                    for (k, v) in body {
                        t.insert(k, v);
                    }
                }
                ResponseTemplate::new(200).set_body_json(json!({ "itemId": id }))
            }
            ("POST", ["tickets", ticket, "notes"]) => {
                let Ok(ticket) = ticket.parse::<i64>() else {
                    return ResponseTemplate::new(404);
                };
                let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&req.body) else {
                    return errors(500, "Unable to parse the note.");
                };
                let id = state
                    .notes
                    .iter()
                    .filter_map(|n| n["id"].as_i64())
                    .max()
                    .unwrap_or(0)
                    + 1;
                let text = body
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let title = body
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let publish = body.get("publish").and_then(Value::as_i64).unwrap_or(1);
                let mut note = data::note(id, ticket, title, text, publish, "2024-03-09T10:00:00Z");
                if let Value::Object(n) = &mut note {
                    for (k, v) in body {
                        n.insert(k, v);
                    }
                    n.insert("id".into(), json!(id));
                    n.insert("ticketID".into(), json!(ticket));
                }
                state.notes.push(note);
                ResponseTemplate::new(200).set_body_json(json!({ "itemId": id }))
            }
            _ => ResponseTemplate::new(404),
        }
    }
}

fn filter_of(body: &Value) -> Vec<Value> {
    body.get("filter")
        .or_else(|| body.get("Filter"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn encode(v: &Value) -> String {
    form_urlencoded::byte_serialize(v.to_string().as_bytes()).collect()
}

impl Fake {
    /// One page of `entity` in id order from `from`, with the link to the next.
    fn page(
        &self,
        state: &mut State,
        entity: &str,
        filter: &[Value],
        size: u64,
        from: Option<i64>,
        mut previous: Vec<i64>,
    ) -> ResponseTemplate {
        let Some((name, records)) = state.records(entity) else {
            return ResponseTemplate::new(404);
        };
        if filter.is_empty() {
            return errors(500, "A filter is required.");
        }
        let size = size.clamp(1, 500) as usize;
        let mut matching: Vec<&Value> = records
            .iter()
            .filter(|r| filter::passes(r, filter))
            .filter(|r| from.is_none_or(|f| r["id"].as_i64().is_some_and(|id| id >= f)))
            .collect();
        matching.sort_by_key(|r| r["id"].as_i64());
        let items: Vec<Value> = matching.iter().take(size).map(|v| (*v).clone()).collect();
        let link = |next: i64, previous: &[i64]| {
            let paging = json!({"pageSize": size, "previousIds": previous, "nextIds": [next]});
            let search = json!({ "filter": filter });
            format!(
                "{}{ROOT}{name}/query/next?paging={}&search={}",
                self.uri,
                encode(&paging),
                encode(&search)
            )
        };
        let prev_page_url = previous
            .last()
            .map(|p| link(*p, &previous[..previous.len() - 1]));
        if let Some(first) = items.first().and_then(|i| i["id"].as_i64()) {
            previous.push(first);
        }
        let next_page_url = matching
            .get(size)
            .and_then(|v| v["id"].as_i64())
            .map(|n| link(n, &previous));
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items,
            "pageDetails": {
                "count": items.len(),
                "requestCount": size,
                "prevPageUrl": prev_page_url,
                "nextPageUrl": next_page_url
            }
        }))
    }
}
