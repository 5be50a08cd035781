//! A fake ConnectWise Automate server (feature `mock`), for tests and the demo.
//!
//! It answers like Automate's REST API v1 under `/cwa/api/v1/`: the
//! `ClientId` header checked on every request, the token request included
//! (403 without it); `POST apitoken` with `Username`/`Password` (and
//! `TwoFactorPasscode` for the two-factor user, who gets
//! `IsTwoFactorRequired: true` without it) answering a `TokenResult`;
//! `POST apitoken/refresh` with the current token as a JSON string; bearer
//! checks with ASP.NET's `{"Message": ...}` 401; bare JSON arrays paged by
//! `page` (from 1) and `pageSize` (at most 1000), ordered by `orderBy`,
//! filtered by the `condition` expressions the client sends (comparisons
//! joined with `and`/`or`, parentheses, quoted strings and dates) and by
//! `ids`; a 400 for a condition or order it cannot read. The data follows
//! the shapes of Automate's OpenAPI output: five clients, nine locations
//! (with their script credentials), thirty-six computers, seven alerts and
//! software inventories. The shapes are the schemas'; no captured answer
//! was published, so values are invented.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{DeviceQuery, RmmClient};
//!
//! let fake = mspkit_automate::mock::start().await;
//! let client = mspkit_automate::AutomateClient::from_settings(&fake.settings)?;
//! let devices: Vec<_> = client.devices(DeviceQuery::new()).try_collect().await?;
//! assert_eq!(Some(devices.len()), fake.expected.devices);
//! # Ok(()) }
//! ```

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use mspkit_core::{Id, SecretString};
use mspkit_testkit::{
    BearerToken, CheckFn, Credential, LoginBody, LoginEndpoint, LoginToken, PageScheme, Paged,
    Reply, TokenStore, field, header_value, instant_of, mount_gate, parse_instant, query_param,
    text_of,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::AutomateSettings;

/// The user the fake server accepts.
pub const USERNAME: &str = "mock-automate-api";
/// That user's password.
pub const PASSWORD: &str = "mock-automate-pa55word!";
/// A user whose account requires a two-factor passcode (same password).
pub const TWO_FACTOR_USERNAME: &str = "mock-automate-2fa";
/// The passcode the two-factor user signs in with.
pub const TWO_FACTOR_PASSCODE: &str = "246810";
/// The integrator `ClientId` the fake server requires on every request.
pub const CLIENT_ID: &str = "5f0d7a1e-93b2-4c6d-8e4f-2a1b3c4d5e6f";

/// A computer that has a software inventory, and its size.
const DEVICE_WITH_SOFTWARE: (i64, usize) = (118, 5);

/// The API root's path on the fake server.
const ROOT: &str = "/cwa/api/v1";

/// Starts a fake Automate server on loopback, with settings for a client of it.
pub async fn start() -> FakeServer<AutomateSettings> {
    let server = MockServer::start().await;
    let data = Data::new();
    let store = TokenStore::new("automate");

    // Every request needs the ClientId; every request but the token
    // requests needs a token the login issued.
    let bearer = BearerToken::issued_by(
        &store,
        message(401, "Authorization has been denied for this request."),
    );
    // The refusal is the response itself, as in testkit's checks.
    #[allow(clippy::result_large_err)]
    let gate = CheckFn(move |req: &Request| {
        if header_value(req, "clientid") != Some(CLIENT_ID) {
            return Err(message(
                403,
                "A valid ClientId header is required to access the Automate API.",
            )
            .template());
        }
        if is_token_path(req.url.path()) {
            return Ok(());
        }
        bearer.admit(req)
    });
    mount_gate(&server, path_regex("(?i)^/cwa/"), gate).await;

    Mock::given(method("POST"))
        .and(path_regex(r"(?i)^/cwa/api/v1/apitoken$"))
        .respond_with(Login::new(&store))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"(?i)^/cwa/api/v1/apitoken/refresh$"))
        .respond_with(Refresh {
            store: store.clone(),
            redeemed: Arc::default(),
        })
        .mount(&server)
        .await;

    let routes: Vec<(&str, Vec<Value>)> = vec![
        ("Clients", data.clients.clone()),
        ("Locations", data.locations.clone()),
        ("Computers", data.computers.clone()),
        ("Alerts", data.alerts.clone()),
    ];
    for (name, items) in routes {
        Mock::given(method("GET"))
            .and(path_regex(format!("(?i)^{ROOT}/{name}$")))
            .respond_with(List::new(items))
            .mount(&server)
            .await;
    }
    let computers = data.computers.clone();
    let software = data.software.clone();
    Mock::given(method("GET"))
        .and(path_regex(format!(
            r"(?i)^{ROOT}/Computers/[^/]+/Software$"
        )))
        .respond_with(move |req: &Request| {
            let id = req.url.path_segments().and_then(|mut s| s.nth(4));
            let known = id.is_some_and(|id| {
                computers
                    .iter()
                    .any(|c| field(c, "Id").is_some_and(|v| text_of(v) == id))
            });
            if !known {
                return message(404, "Computer not found.").template();
            }
            let mine: Vec<Value> = software
                .iter()
                .filter(|s| id.is_some_and(|id| text_of(&s["ComputerId"]) == id))
                .cloned()
                .collect();
            List::new(mine).respond(req)
        })
        .mount(&server)
        .await;
    // An authenticated request to a path not served above.
    Mock::given(path_regex("(?i)^/cwa/"))
        .respond_with(|req: &Request| {
            message(
                404,
                &format!(
                    "No HTTP resource was found that matches the request URI '{}'.",
                    req.url.path()
                ),
            )
            .template()
        })
        .with_priority(9)
        .mount(&server)
        .await;

    let mut expected = Expected::new();
    expected.organizations = Some(data.clients.len());
    expected.sites = Some(data.locations.len());
    expected.devices = Some(data.computers.len());
    expected.alerts = Some(data.alerts.len());
    expected.device_with_software =
        Some((Id::from(DEVICE_WITH_SOFTWARE.0), DEVICE_WITH_SOFTWARE.1));
    let mut settings = AutomateSettings::new(
        server.uri(),
        USERNAME,
        SecretString::from(PASSWORD),
        CLIENT_ID,
    );
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected)
        .secrets([PASSWORD, TWO_FACTOR_PASSCODE])
        .tokens(store)
}

/// Whether `path` is one of the token requests (no bearer needed).
fn is_token_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p == "/cwa/api/v1/apitoken" || p == "/cwa/api/v1/apitoken/refresh"
}

/// ASP.NET Web API's error body.
fn message(status: u16, text: &str) -> Reply {
    Reply::json(status, json!({ "Message": text }))
}

fn refused_login() -> Reply {
    message(401, "Invalid username or password.")
}

/// A `TokenResult` for a token the login or the refresh issued.
fn token_result(t: &LoginToken, user: &str) -> Value {
    let at = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    json!({"AccessToken": t.access_token, "TokenType": "Bearer",
        "ExpirationDate": at(t.expires_at),
        "AbsoluteExpirationDate": at(t.expires_at + Duration::hours(6)),
        "UserId": "42", "InternalUserName": user,
        "IsTwoFactorRequired": false, "IsInternalTwoFactorRequired": false, "SSOAccessToken": null})
}

/// `POST apitoken`: the API user; the two-factor user with a passcode, or
/// `IsTwoFactorRequired: true` without one.
struct Login {
    user: LoginEndpoint,
    two_factor: LoginEndpoint,
}

impl Login {
    fn new(store: &TokenStore) -> Self {
        let endpoint = |user: &'static str| {
            LoginEndpoint::new(refused_login())
                .body(LoginBody::Json)
                .store_in(store)
                .field("Username", user)
                .field("Password", PASSWORD)
                .answer(move |t| token_result(t, user))
        };
        Login {
            user: endpoint(USERNAME),
            two_factor: endpoint(TWO_FACTOR_USERNAME)
                .field("TwoFactorPasscode", TWO_FACTOR_PASSCODE),
        }
    }
}

impl Respond for Login {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let sent: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        let said = |k: &str| sent.get(k).map(text_of).unwrap_or_default();
        if said("Username") != TWO_FACTOR_USERNAME {
            return self.user.respond(req);
        }
        if said("Password") == PASSWORD && said("TwoFactorPasscode").is_empty() {
            return ResponseTemplate::new(200).set_body_json(json!({
                "AccessToken": null, "TokenType": null, "ExpirationDate": null,
                "AbsoluteExpirationDate": null, "UserId": null, "InternalUserName": null,
                "IsTwoFactorRequired": true, "IsInternalTwoFactorRequired": false,
                "SSOAccessToken": null}));
        }
        self.two_factor.respond(req)
    }
}

/// `POST apitoken/refresh`: a token the login issued, as a JSON string,
/// renewed once.
struct Refresh {
    store: TokenStore,
    redeemed: Arc<Mutex<HashSet<String>>>,
}

impl Respond for Refresh {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let Ok(old) = serde_json::from_slice::<String>(&req.body) else {
            return message(400, "The request is invalid.").template();
        };
        let fresh = self
            .redeemed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(old.clone());
        if !fresh || !self.store.access_tokens().contains(&old) {
            return message(401, "The token cannot be refreshed.").template();
        }
        let token = LoginToken {
            access_token: self.store.issue_access(),
            expires_in: 3600,
            expires_at: Utc::now() + Duration::hours(1),
        };
        ResponseTemplate::new(200).set_body_json(token_result(&token, USERNAME))
    }
}

/// A list endpoint: `ids`, `condition` and `orderBy` applied, then paged
/// as a bare array.
struct List {
    items: Vec<Value>,
    paged: Paged,
}

impl List {
    fn new(items: Vec<Value>) -> Self {
        let paged = Paged::new(
            Vec::new(),
            PageScheme::page_number("page", "pageSize", 1),
            |v| ResponseTemplate::new(200).set_body_json(v.items),
        )
        .default_size(1000)
        .max_size(1000);
        List { items, paged }
    }
}

impl Respond for List {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut items: Vec<Value> = self.items.clone();
        if let Some(ids) = query_param(req, "ids") {
            let ids: Vec<&str> = ids.split(',').map(str::trim).collect();
            items.retain(|i| {
                ids.iter()
                    .any(|id| field(i, "Id").is_some_and(|v| text_of(v) == *id))
            });
        }
        if let Some(text) = query_param(req, "condition") {
            let expr = match parse_condition(&text) {
                Ok(e) => e,
                Err(why) => {
                    return message(400, &format!("Invalid condition: {why}")).template();
                }
            };
            items.retain(|i| expr.eval(i));
        }
        if let Some(order) = query_param(req, "orderBy") {
            match order_by(&order, &mut items) {
                Ok(()) => {}
                Err(why) => return message(400, &format!("Invalid orderBy: {why}")).template(),
            }
        }
        self.paged.serve(req, &items)
    }
}

/// Sorts `items` by `Field asc|desc`; the field must exist.
fn order_by(order: &str, items: &mut [Value]) -> Result<(), String> {
    let mut words = order.split_whitespace();
    let name = words.next().ok_or("empty")?;
    let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => return Err(format!("unknown direction {other}")),
    };
    if !items.is_empty() && !items.iter().any(|i| field(i, name).is_some()) {
        return Err(format!("unknown field {name}"));
    }
    items.sort_by(|a, b| {
        let (a, b) = (field(a, name).map(text_of), field(b, name).map(text_of));
        let ord = match (
            a.as_deref().and_then(|s| s.parse::<f64>().ok()),
            b.as_deref().and_then(|s| s.parse::<f64>().ok()),
        ) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => a.cmp(&b),
        };
        if desc { ord.reverse() } else { ord }
    });
    Ok(())
}

/// A parsed `condition`.
#[derive(Debug)]
enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(String, String, Literal),
}

#[derive(Debug)]
enum Literal {
    Number(f64),
    Text(String),
    Bool(bool),
}

impl Expr {
    fn eval(&self, item: &Value) -> bool {
        match self {
            Expr::And(a, b) => a.eval(item) && b.eval(item),
            Expr::Or(a, b) => a.eval(item) || b.eval(item),
            Expr::Compare(name, op, lit) => {
                let Some(v) = field(item, &format!("/{}", name.replace('.', "/"))) else {
                    return false;
                };
                let ord = match lit {
                    Literal::Number(n) => text_of(v).parse::<f64>().ok().map(|x| x.total_cmp(n)),
                    Literal::Bool(b) => v.as_bool().map(|x| x.cmp(b)),
                    Literal::Text(t) => match (instant_of(v), parse_instant(t)) {
                        (Some(x), Some(y)) => Some(x.cmp(&y)),
                        _ => Some(text_of(v).to_lowercase().cmp(&t.to_lowercase())),
                    },
                };
                let Some(ord) = ord else { return false };
                match op.as_str() {
                    "=" | "eq" => ord.is_eq(),
                    "!=" => ord.is_ne(),
                    ">" => ord.is_gt(),
                    ">=" => ord.is_ge(),
                    "<" => ord.is_lt(),
                    "<=" => ord.is_le(),
                    _ => false,
                }
            }
        }
    }
}

/// The tokens of a condition: parentheses, operators, quoted strings, words.
fn tokens(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() => i += 1,
            '(' | ')' => {
                out.push(c.to_string());
                i += 1;
            }
            '\'' | '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|x| *x == c)
                    .ok_or("an unterminated string")?;
                out.push(chars[i..=i + 1 + end].iter().collect());
                i += end + 2;
            }
            '=' | '!' | '<' | '>' => {
                let two = chars.get(i + 1) == Some(&'=');
                let op: String = chars[i..i + if two { 2 } else { 1 }].iter().collect();
                if op == "!" {
                    return Err("a lone '!'".into());
                }
                out.push(op);
                i += if two { 2 } else { 1 };
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !"()'\"=!<>".contains(chars[i])
                {
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
            }
        }
    }
    Ok(out)
}

fn parse_condition(text: &str) -> Result<Expr, String> {
    let toks = tokens(text)?;
    let mut at = 0;
    let e = parse_or(&toks, &mut at)?;
    match toks.get(at) {
        None => Ok(e),
        Some(t) => Err(format!("unexpected '{t}'")),
    }
}

fn is_word(t: Option<&String>, w: &str) -> bool {
    t.is_some_and(|t| t.eq_ignore_ascii_case(w))
}

fn parse_or(t: &[String], at: &mut usize) -> Result<Expr, String> {
    let mut left = parse_and(t, at)?;
    while is_word(t.get(*at), "or") {
        *at += 1;
        left = Expr::Or(Box::new(left), Box::new(parse_and(t, at)?));
    }
    Ok(left)
}

fn parse_and(t: &[String], at: &mut usize) -> Result<Expr, String> {
    let mut left = parse_atom(t, at)?;
    while is_word(t.get(*at), "and") {
        *at += 1;
        left = Expr::And(Box::new(left), Box::new(parse_atom(t, at)?));
    }
    Ok(left)
}

fn parse_atom(t: &[String], at: &mut usize) -> Result<Expr, String> {
    let tok = t.get(*at).ok_or("the condition ends too soon")?;
    if tok == "(" {
        *at += 1;
        let e = parse_or(t, at)?;
        if t.get(*at).map(String::as_str) != Some(")") {
            return Err("a '(' is not closed".into());
        }
        *at += 1;
        return Ok(e);
    }
    let name = tok.clone();
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!("'{name}' is not a field"));
    }
    let op = t
        .get(*at + 1)
        .ok_or("a comparison without an operator")?
        .clone();
    if !matches!(op.as_str(), "=" | "eq" | "!=" | ">" | ">=" | "<" | "<=") {
        return Err(format!("unknown operator '{op}'"));
    }
    let raw = t.get(*at + 2).ok_or("a comparison without a value")?;
    let lit = if let Some(s) = raw
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| raw.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
    {
        Literal::Text(s.to_owned())
    } else if raw.eq_ignore_ascii_case("true") || raw.eq_ignore_ascii_case("false") {
        Literal::Bool(raw.eq_ignore_ascii_case("true"))
    } else if let Ok(n) = raw.parse::<f64>() {
        Literal::Number(n)
    } else if parse_instant(raw).is_some() {
        Literal::Text(raw.clone())
    } else {
        return Err(format!("'{raw}' is not a value"));
    };
    *at += 3;
    Ok(Expr::Compare(name, op, lit))
}

/// What the fake server holds.
struct Data {
    clients: Vec<Value>,
    locations: Vec<Value>,
    computers: Vec<Value>,
    alerts: Vec<Value>,
    software: Vec<Value>,
}

/// (id, name, company, city, country)
const CLIENTS: [(&str, &str, &str, &str, &str); 5] = [
    (
        "1",
        "Acme Dental",
        "Acme Dental Ltd",
        "Leeds",
        "United Kingdom",
    ),
    ("7", "Bramble & Co", "", "", ""),
    (
        "9",
        "Cobalt Freight",
        "Cobalt Freight Ltd",
        "Hull",
        "United Kingdom",
    ),
    (
        "12",
        "Dunmore Legal",
        "Dunmore Legal LLP",
        "York",
        "United Kingdom",
    ),
    (
        "15",
        "Elm Street Surgery",
        "",
        "Harrogate",
        "United Kingdom",
    ),
];

/// (id, client, name)
const LOCATIONS: [(i64, &str, &str); 9] = [
    (3, "1", "Main Office"),
    (4, "1", "Clinic North"),
    (6, "7", "Head Office"),
    (8, "9", "Warehouse"),
    (10, "9", "Depot East"),
    (11, "9", "New Computers"),
    (13, "12", "Chambers"),
    (14, "12", "Remote Staff"),
    (17, "15", "Surgery"),
];

fn client_ref(id: &str) -> Value {
    let name = CLIENTS
        .iter()
        .find(|c| c.0 == id)
        .map(|c| c.1)
        .unwrap_or_default();
    json!({"Id": id, "Name": name})
}

impl Data {
    fn new() -> Self {
        let clients = CLIENTS
            .iter()
            .map(|(id, name, company, city, country)| {
                json!({"Id": id, "Name": name, "Company": company, "FirstName": "", "LastName": "",
                    "Address1": if city.is_empty() { "" } else { "1 High St" }, "Address2": "",
                    "City": city, "State": "", "ZipCode": "", "PhoneNumber": "", "FaxNumber": "",
                    "Comment": "", "Country": country, "ExternalId": "",
                    "UsesInHouseSupportStaff": false, "NewTicketNotificationEmail": "",
                    "IsHiddenFromAllInclusiveGroup": false})
            })
            .collect();
        let locations = LOCATIONS
            .iter()
            .map(|(id, client, name)| location(*id, client, name))
            .collect();
        let mut computers = vec![reception_pc()];
        computers.extend((0..35).map(generated_computer));
        let alerts = alerts(&computers);
        let software = computers.iter().flat_map(software_of).collect();
        Data {
            clients,
            locations,
            computers,
            alerts,
            software,
        }
    }
}

/// A location in the list contract's shape, script credentials included
/// (what the client must never keep or show).
fn location(id: i64, client: &str, name: &str) -> Value {
    json!({"Id": id, "LocationId": id, "Name": name, "FaxNumber": "",
        "MaintenanceWindow": null, "DeploymentTemplate": null,
        "Router": {"Id": 0, "ManufacturerName": "", "Model": "", "Version": "", "PortType": "",
                   "Username": "admin", "Password": format!("router-secret-{id}"), "Guid": ""},
        "ProbeId": 0, "ExternalId": 0,
        "ScriptExtra2": "", "ScriptExtra1": format!("extra-secret-{id}"),
        "ScriptRouterAddress": "", "ScriptPassword": format!("script-secret-{id}"),
        "ScriptUsername": format!("{}\\svc-automate", client_prefix(client)),
        "ScriptDrive": "C:", "RouterPort": 0, "Comments": "", "Contact": null,
        "DefaultDeploymentLogin": null, "PhoneNumber": "", "Country": "United Kingdom",
        "ZipCode": "", "State": "", "City": "", "Address2": "", "Address1": "",
        "Client": client_ref(client), "DefaultDeploymentGroup": null, "ExtraFields": []})
}

fn client_prefix(client: &str) -> &'static str {
    match client {
        "1" => "ACME",
        "7" => "BRAMBLE",
        "9" => "COBALT",
        "12" => "DUNMORE",
        _ => "ELM",
    }
}

/// The provider notes' `GET Computers?ids=118` sample.
fn reception_pc() -> Value {
    json!({"Id":"118","ComputerName":"ACME-RECEP01","FriendlyName":"Reception PC",
        "Client":{"Id":"1","Name":"Acme Dental"},"Location":{"Id":3,"Name":"Main Office"},
        "Type":"Workstation","Status":"Online","OperatingSystemName":"Microsoft Windows 11 Pro x64",
        "OperatingSystemVersion":"10.0.22631","DomainName":"ACME","LocalIPAddress":"192.168.10.21",
        "GatewayIPAddress":"192.168.10.1","MACAddress":"00-15-5D-0A-1B-2C","SerialNumber":"7XK2J93",
        "BiosManufacturer":"Dell Inc.","RemoteAgentVersion":"2024.6.85",
        "RemoteAgentLastContact":"2024-06-10T12:00:01","LastInventoryReceived":"2024-06-10T06:12:44",
        "DateAdded":"2023-09-05T09:30:00","LastUserName":"ACME\\jsmith",
        "LoggedInUsers":[{"LoggedInUserName":"ACME\\jsmith","ConsoleId":1}],
        "IsVirtualMachine":false,"IsMaintenanceModeEnabled":false,"IsRebootNeeded":false,
        "TotalMemory":16384,"FreeMemory":7310,"VirusScanner":{"Id":12,"Name":"Microsoft Defender"},
        "OpenPortsTCP":[135,445],"OpenPortsUDP":[]})
}

/// (Type, OS, version, virtual)
const KINDS: [(&str, &str, &str, bool); 6] = [
    (
        "Workstation",
        "Microsoft Windows 11 Pro x64",
        "10.0.22631",
        false,
    ),
    (
        "Server",
        "Microsoft Windows Server 2022 Standard x64",
        "10.0.20348",
        false,
    ),
    (
        "Workstation",
        "Microsoft Windows 10 Pro x64",
        "10.0.19045",
        false,
    ),
    (
        "Server",
        "Microsoft Windows Server 2019 Standard x64",
        "10.0.17763",
        true,
    ),
    ("Workstation", "macOS 14.4.1", "14.4.1", false),
    ("Server", "Ubuntu 22.04.4 LTS", "5.15.0-105-generic", false),
];

/// Computer number `i` of the generated fleet: ids rise with gaps (some as
/// numbers, as other contracts send them), kinds and states vary, and every
/// third one was last seen and inventoried before March 2024.
fn generated_computer(i: usize) -> Value {
    let n = i as i64;
    let id = 120 + n * 3 + n % 2;
    let (location, client, site) = LOCATIONS[i % LOCATIONS.len()];
    let prefix = client_prefix(client);
    let (kind, os, version, vm) = KINDS[i % KINDS.len()];
    let name = match kind {
        "Server" => format!("{prefix}-SRV{:02}", i + 1),
        _ => format!("{prefix}-WS{:03}", i + 1),
    };
    let stale = i % 3 == 2;
    let contact = if stale {
        DateTime::from_timestamp(1_704_000_000 - n * 86_400, 0)
    } else {
        DateTime::from_timestamp(1_718_000_000 - n * 3_600, 0)
    }
    .unwrap_or_default();
    let inventory = contact - Duration::hours(6);
    let at = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%S").to_string();
    let online = !stale && i % 4 != 0;
    let user = if kind == "Server" {
        format!("{prefix}\\administrator")
    } else {
        format!("{prefix}\\user{:02}", i + 1)
    };
    json!({
        "Id": if i % 5 == 0 { json!(id) } else { json!(id.to_string()) },
        "ComputerName": name, "FriendlyName": "",
        "Client": client_ref(client), "Location": {"Id": location, "Name": site},
        "Type": kind, "Status": if online { "Online" } else { "Offline" },
        "OperatingSystemName": os, "OperatingSystemVersion": version,
        "DomainName": prefix, "LocalIPAddress": format!("10.{}.{location}.{}", client, 10 + i),
        "GatewayIPAddress": format!("10.{client}.{location}.1"),
        "MACAddress": format!("00-15-5D-{:02X}-{location:02X}-{i:02X}", id % 256),
        "SerialNumber": format!("PF{:06}", id * 37),
        "BiosManufacturer": if vm { "Microsoft Corporation" } else { "Lenovo" },
        "RemoteAgentVersion": "2024.6.85",
        "RemoteAgentLastContact": at(contact), "RemoteAgentLastInventory": at(inventory),
        "LastInventoryReceived": at(inventory),
        "LastHeartbeat": at(contact), "DateAdded": "2023-01-16T10:00:00",
        "WindowsUpdateDate": "0001-01-01T00:00:00",
        "LastUserName": user,
        "LoggedInUsers": if online { json!([{"LoggedInUserName": user, "ConsoleId": 1}]) } else { json!([]) },
        "IsVirtualMachine": vm, "IsMaintenanceModeEnabled": false, "IsRebootNeeded": i % 7 == 0,
        "TotalMemory": 16384, "FreeMemory": 4096 + n * 10,
        "VirusScanner": {"Id": 12, "Name": "Microsoft Defender"},
        "OpenPortsTCP": [135, 445], "OpenPortsUDP": []
    })
}

/// Current alerts on a few computers; two were raised before March 2024.
fn alerts(computers: &[Value]) -> Vec<Value> {
    #[rustfmt::skip]
    let spec: [(i64, usize, &str, i64, &str, &str, &str); 7] = [
        (5531, 2, "Agent Offline", 3, "Critical", "Monitor", "has not checked in for 15 minutes"),
        (5534, 0, "Disk Space", 2, "Warning", "Monitor", "drive C: has less than 10% free space"),
        (5540, 4, "CPU Usage", 2, "Warning", "Monitor", "CPU above 90% for 15 minutes"),
        (5547, 7, "Antivirus", 3, "Critical", "Monitor", "virus definitions are out of date"),
        (5552, 10, "Pending Reboot", 1, "Informational", "Script", "a reboot is pending after updates"),
        (5560, 13, "Service Stopped", 2, "Error", "Monitor", "the Print Spooler service stopped"),
        (5561, 18, "Event Log", 2, "Warning", "EventLog", "Event 7031 logged in System"),
    ];
    spec.iter()
        .enumerate()
        .map(|(k, (id, at, monitor, sev_id, sev, source, what))| {
            let c = &computers[*at];
            let date = if k % 3 == 2 {
                "2024-01-20T08:15:00".to_owned()
            } else {
                format!("2024-06-0{}T06:45:00", 2 + k % 7)
            };
            json!({"AlertId": id, "Client": c["Client"],
                "Computer": {"Id": c["Id"], "Name": c["ComputerName"], "ComputerStatus": c["Status"]},
                "Device": null, "Location": c["Location"],
                "Monitor": {"Id": 80 + k, "Name": monitor}, "AlertDate": date,
                "Severity": {"Id": sev_id, "Name": sev}, "Source": source,
                "Message": format!("{} {what}", c["ComputerName"].as_str().unwrap_or_default()),
                "FieldName": "", "AlertAge": "8 days"})
        })
        .collect()
}

/// A computer's installed software: the notes' sample inventory on 118, a
/// short one elsewhere.
#[rustfmt::skip]
fn software_of(c: &Value) -> Vec<Value> {
    let id = text_of(&c["Id"]);
    let app = |app_id: i64, name: &str, version: &str, installed: &str, path: &str| {
        json!({"ApplicationId": app_id, "ComputerId": id.parse::<i64>().unwrap_or_default(),
            "Name": name, "InstallationPath": path, "DateInstalled": installed, "Size": 5632,
            "UninstallerPath": format!("{path}Uninstall.exe"), "Version": version,
            "Classification": {"Id": 1, "Name": "Application"},
            "DateLastInventoried": c["LastInventoryReceived"], "ClientId": text_of(&c["Client"]["Id"]).parse::<i64>().unwrap_or_default(),
            "ComputerName": c["ComputerName"]})
    };
    if id == DEVICE_WITH_SOFTWARE.0.to_string() {
        return vec![
            app(90211, "7-Zip 23.01 (x64)", "23.01", "2024-03-02T00:00:00", "C:\\Program Files\\7-Zip\\"),
            app(90212, "Google Chrome", "125.0.6422.142", "2024-06-05T00:00:00", "C:\\Program Files\\Google\\Chrome\\Application\\"),
            app(90213, "Microsoft Edge", "125.0.2535.92", "2024-06-07T00:00:00", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\"),
            app(90214, "Adobe Acrobat Reader (64-bit)", "24.002.20759", "2024-05-14T00:00:00", "C:\\Program Files\\Adobe\\Acrobat DC\\"),
            app(90215, "ConnectWise Automate Remote Agent", "2024.6.85", "0001-01-01T00:00:00", "C:\\Windows\\LTSvc\\"),
        ];
    }
    vec![
        app(91000, "ConnectWise Automate Remote Agent", "2024.6.85", "2023-01-16T10:00:00", "C:\\Windows\\LTSvc\\"),
        app(91001, "Microsoft Edge", "125.0.2535.92", "2024-06-07T00:00:00", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_the_client_sends_are_read() {
        let item = json!({"Id": "118", "Client": {"Id": "1"}, "Location": {"Id": 3},
            "RemoteAgentLastContact": "2024-06-10T12:00:01", "LastInventoryReceived": "2024-01-01T00:00:00"});
        let yes = [
            "(Client.Id = 1)",
            "(Client.Id = 1) and (Location.Id = 3)",
            "((RemoteAgentLastContact >= '2024-03-05T06:07:08') or (LastInventoryReceived >= '2024-03-05T06:07:08'))",
            "RemoteAgentLastContact >= 2024-03-05T06:07:08Z",
            "Id = 118",
        ];
        for c in yes {
            assert!(parse_condition(c).unwrap().eval(&item), "{c}");
        }
        for c in [
            "(Client.Id = 2)",
            "(LastInventoryReceived >= '2024-03-05T06:07:08')",
        ] {
            assert!(!parse_condition(c).unwrap().eval(&item), "{c}");
        }
        for bad in [
            "(Client.Id = 1",
            "Client.Id = 1) or (1=1",
            "Client.Id ~ 1",
            "'x' = 1",
        ] {
            assert!(parse_condition(bad).is_err(), "{bad}");
        }
    }
}
