//! A fake Tactical RMM api host (feature `mock`), for tests and the demo.
//!
//! It answers the way Tactical's Django REST Framework server does:
//! - Django resolves the route first: a known route without its trailing
//!   slash is answered `301 Moved Permanently` to the same path with the
//!   slash (Django's `APPEND_SLASH`), an unknown route gets Django's HTML
//!   404 page; neither looks at the key;
//! - then DRF checks the `X-API-KEY` header (401 `{"detail": ...}` with
//!   `WWW-Authenticate: Token` when it is missing or wrong), then the
//!   method (405 `{"detail": "Method \"GET\" not allowed."}`);
//! - every list is one bare JSON array, unpaged: `GET /clients/` (clients
//!   with their sites nested), `GET /agents/` (`?site=`, `?client=`,
//!   `?monitoring_type=` with its bare-string 400, `?detail=false`),
//!   `PATCH /alerts/` with the JSON filter body (`resolvedFilter`,
//!   `snoozedFilter`, `clientFilter`, `severityFilter`, `timeFilter`, `top`);
//! - `GET /agents/{agent_id}/` answers the detail shape (site id, client
//!   name, raw inventory, no serial number) or DRF's 404;
//!   `GET /software/{agent_id}/` answers the inventory object, or `[]` for an
//!   agent without one (the Linux agents here).
//!
//! The data: four clients with seven sites (one without agents), thirty
//! agents (Windows and Linux; workstations and servers; online, offline and
//! overdue), eleven alerts (open, resolved and snoozed) and software
//! inventories, one of them starting with real agent output.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{DeviceQuery, RmmClient};
//!
//! let fake = mspkit_tactical::mock::start().await;
//! let client = mspkit_tactical::TacticalClient::from_settings(&fake.settings)?;
//! let devices: Vec<_> = client.devices(DeviceQuery::new()).try_collect().await?;
//! assert_eq!(Some(devices.len()), fake.expected.devices);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use mspkit_core::{Id, SecretString};
use mspkit_testkit::{Credential, Reply, header_value, query_param};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::TacticalSettings;

/// The API key the fake server accepts (32 upper-case letters and digits,
/// as Tactical makes them).
pub const API_KEY: &str = "MOCK7TACTICAL4KEY2ACCEPTED9HERE0";

/// The agent whose software inventory starts with real agent output.
pub const AGENT_WITH_SOFTWARE: &str = "QWyxNptZpBzRvfdGqkTWucHXHjAXbMeVvVyLzrWU";

/// Starts a fake Tactical RMM api host on loopback, with settings for a
/// client of it.
pub async fn start() -> FakeServer<TacticalSettings> {
    let server = MockServer::start().await;
    let data = Arc::new(Data::new());
    Mock::given(any())
        .respond_with(Tactical {
            data: data.clone(),
            key: KeyCheck,
        })
        .mount(&server)
        .await;
    let mut expected = Expected::new();
    expected.organizations = Some(data.clients.len());
    expected.sites = Some(data.sites.len());
    expected.devices = Some(data.agents.len());
    expected.alerts = Some(data.alerts.iter().filter(|a| a.is_open()).count());
    expected.device_with_software = Some((
        Id::from(AGENT_WITH_SOFTWARE),
        data.software_of(AGENT_WITH_SOFTWARE).map_or(0, |s| s.len()),
    ));
    let mut settings = TacticalSettings::new(server.uri(), SecretString::from(API_KEY));
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected).secrets([API_KEY])
}

/// DRF's refusal: 401 with a `detail` and the first authenticator's challenge.
fn unauthorized(detail: &str) -> ResponseTemplate {
    Reply::json(401, json!({ "detail": detail }))
        .header("www-authenticate", "Token")
        .template()
}

/// Tactical's `APIAuthentication`: the key in `X-API-KEY`, compared exactly.
struct KeyCheck;

impl Credential for KeyCheck {
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        match header_value(request, "x-api-key") {
            Some(key) if key == API_KEY => Ok(()),
            Some(_) => Err(unauthorized("Invalid token.")),
            None => Err(unauthorized(
                "Authentication credentials were not provided.",
            )),
        }
    }
}

/// The routes this fake serves, as Django's URL patterns resolve them.
#[derive(Debug, PartialEq)]
enum Route {
    Clients,
    Agents,
    Agent(String),
    Alerts,
    SoftwareAll,
    Software(String),
}

impl Route {
    /// The route `path` resolves to; agent ids must be 21 characters or
    /// more without `/` (Tactical's `AgentIDConverter`).
    fn of(path: &str) -> Option<Route> {
        let agent_id = |s: &str| (s.chars().count() > 20 && !s.contains('/')).then(|| s.to_owned());
        match path {
            "/clients/" => Some(Route::Clients),
            "/agents/" => Some(Route::Agents),
            "/alerts/" => Some(Route::Alerts),
            "/software/" => Some(Route::SoftwareAll),
            _ => {
                let inner = path.strip_suffix('/')?;
                if let Some(id) = inner.strip_prefix("/agents/") {
                    agent_id(id).map(Route::Agent)
                } else if let Some(id) = inner.strip_prefix("/software/") {
                    agent_id(id).map(Route::Software)
                } else {
                    None
                }
            }
        }
    }
}

/// Django's 404 page for a path no route matches (`DEBUG = False`).
fn django_not_found() -> ResponseTemplate {
    Reply::raw(
        404,
        "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n",
        "text/html; charset=utf-8",
    )
    .template()
}

/// DRF's 404 for a missing object (`get_object_or_404`).
fn object_not_found(model: &str) -> ResponseTemplate {
    Reply::json(
        404,
        json!({ "detail": format!("No {model} matches the given query.") }),
    )
    .template()
}

fn method_not_allowed(method: &str) -> ResponseTemplate {
    Reply::json(
        405,
        json!({ "detail": format!("Method \"{method}\" not allowed.") }),
    )
    .template()
}

/// Tactical's `notify_error`: 400 with a bare JSON string.
fn notify_error(message: &str) -> ResponseTemplate {
    Reply::json(400, json!(message)).template()
}

/// An unhandled exception in a view (`DEBUG = False`).
fn server_error() -> ResponseTemplate {
    Reply::raw(
        500,
        "<h1>Server Error (500)</h1>",
        "text/html; charset=utf-8",
    )
    .template()
}

fn ok(body: Value) -> ResponseTemplate {
    Reply::json(200, body).template()
}

/// The fake api host: URL resolution, then the key, then the view.
struct Tactical {
    data: Arc<Data>,
    key: KeyCheck,
}

impl Respond for Tactical {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let path = req.url.path();
        let Some(route) = Route::of(path) else {
            // `APPEND_SLASH`: a route that resolves with the slash is
            // redirected to it, query string kept; the key is not checked.
            if !path.ends_with('/') && Route::of(&format!("{path}/")).is_some() {
                let location = match req.url.query() {
                    Some(q) => format!("{path}/?{q}"),
                    None => format!("{path}/"),
                };
                return ResponseTemplate::new(301)
                    .insert_header("location", location.as_str())
                    .insert_header("content-type", "text/html; charset=utf-8");
            }
            return django_not_found();
        };
        if let Err(refusal) = self.key.admit(req) {
            return refusal;
        }
        let method = req.method.as_str();
        match (method, route) {
            ("GET", Route::Clients) => ok(Value::Array(self.data.clients.clone())),
            ("GET", Route::Agents) => self.agents(req),
            ("GET", Route::Agent(id)) => match self.data.agent(&id) {
                Some(a) => ok(a.detail(&self.data)),
                None => object_not_found("Agent"),
            },
            ("PATCH", Route::Alerts) => self.alerts(req),
            ("GET", Route::SoftwareAll) => ok(Value::Array(
                self.data
                    .agents
                    .iter()
                    .filter_map(|a| self.data.inventory(a))
                    .collect(),
            )),
            ("GET", Route::Software(id)) => match self.data.agent(&id) {
                Some(a) => ok(self.data.inventory(a).unwrap_or_else(|| json!([]))),
                None => object_not_found("Agent"),
            },
            (m, _) => method_not_allowed(m),
        }
    }
}

impl Tactical {
    /// `GET /agents/`: `site` wins over `client`; `monitoring_type` must be
    /// `server` or `workstation`; `detail=false` gives the short rows.
    fn agents(&self, req: &Request) -> ResponseTemplate {
        let monitoring = query_param(req, "monitoring_type").filter(|m| !m.is_empty());
        if let Some(m) = &monitoring {
            if m != "server" && m != "workstation" {
                return notify_error("monitoring type does not exist");
            }
        }
        let site = query_param(req, "site");
        let client = query_param(req, "client");
        // Django reads the id as an integer: another value is a 500.
        let as_id = |v: &Option<String>| match v {
            None => Ok(None),
            Some(s) => s.trim().parse::<i64>().map(Some),
        };
        let (Ok(site), Ok(client)) = (as_id(&site), as_id(&client)) else {
            return server_error();
        };
        let detail = query_param(req, "detail").is_none_or(|d| d == "true");
        let rows: Vec<Value> = self
            .data
            .agents
            .iter()
            .filter(|a| match (site, client) {
                (Some(s), _) => a.site == s,
                (None, Some(c)) => self.data.client_of(a.site) == Some(c),
                (None, None) => true,
            })
            .filter(|a| {
                monitoring
                    .as_deref()
                    .is_none_or(|m| a.monitoring_type() == m)
            })
            .map(|a| {
                if detail {
                    a.row(&self.data)
                } else {
                    json!({
                        "id": a.pk,
                        "hostname": a.hostname,
                        "agent_id": a.agent_id,
                        "client": self.data.client_name_of(a.site),
                        "site": self.data.site_name(a.site),
                    })
                }
            })
            .collect();
        ok(Value::Array(rows))
    }

    /// `PATCH /alerts/`, as Tactical's `GetAddAlerts.patch` filters.
    fn alerts(&self, req: &Request) -> ResponseTemplate {
        let body: Value = if req.body.is_empty() {
            json!({})
        } else {
            match serde_json::from_slice(&req.body) {
                Ok(v) => v,
                Err(e) => {
                    return Reply::json(
                        400,
                        json!({ "detail": format!("JSON parse error - {e}") }),
                    )
                    .template();
                }
            }
        };
        let Some(filters) = body.as_object() else {
            return server_error();
        };
        let alerts = &self.data.alerts;
        if let Some(top) = filters.get("top") {
            let Some(top) = top.as_u64() else {
                return server_error();
            };
            let mut open: Vec<&FakeAlert> =
                alerts.iter().filter(|a| a.is_open() && !a.hidden).collect();
            open.sort_by_key(|a| a.alert_time);
            return ok(json!({
                "alerts_count": open.len(),
                "alerts": open.iter().take(top as usize).map(|a| a.json(&self.data)).collect::<Vec<_>>(),
            }));
        }
        let falsy = |key: &str| filters.get(key).is_some_and(|v| !truthy(v));
        let (open_only, unsnoozed_only) = (falsy("resolvedFilter"), falsy("snoozedFilter"));
        let clients = match filters.get("clientFilter") {
            None => None,
            Some(Value::Array(ids)) => Some(
                ids.iter()
                    .filter_map(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
                    .collect::<Vec<_>>(),
            ),
            Some(_) => return server_error(),
        };
        let severities = match filters.get("severityFilter") {
            None => None,
            Some(Value::Array(s)) => Some(s.iter().filter_map(Value::as_str).collect::<Vec<_>>()),
            Some(_) => return server_error(),
        };
        let days = match filters.get("timeFilter") {
            None => None,
            Some(v) => match v.as_i64() {
                Some(d) => Some(d),
                None => return server_error(),
            },
        };
        let now = Utc::now();
        let list: Vec<Value> = alerts
            .iter()
            .filter(|a| !open_only || !a.resolved)
            .filter(|a| !unsnoozed_only || !a.snoozed)
            .filter(|a| {
                clients.as_ref().is_none_or(|ids| {
                    let agent = self.data.agents.iter().find(|g| g.pk == a.agent);
                    agent.is_some_and(|g| {
                        self.data
                            .client_of(g.site)
                            .is_some_and(|c| ids.contains(&c))
                    })
                })
            })
            .filter(|a| severities.as_ref().is_none_or(|s| s.contains(&a.severity)))
            .filter(|a| {
                days.is_none_or(|d| a.alert_time > now - Duration::days(d) && a.alert_time <= now)
            })
            .map(|a| a.json(&self.data))
            .collect();
        ok(Value::Array(list))
    }
}

/// Python's truth value of a JSON value (`not request.data[key]`).
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Django's JSON form of a time: microseconds and `Z`.
fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .unwrap_or_default()
}

/// One agent, from which both the list row and the detail are rendered.
#[derive(Debug, Clone)]
struct FakeAgent {
    pk: i64,
    agent_id: String,
    site: i64,
    hostname: String,
    description: &'static str,
    plat: &'static str,
    server: bool,
    status: &'static str,
    last_seen: Option<DateTime<Utc>>,
    /// Who is logged in now (`None`: nobody; the model then holds `"None"`).
    current_user: Option<&'static str>,
    last_user: &'static str,
    operating_system: &'static str,
    version: &'static str,
    public_ip: &'static str,
    ips: Vec<String>,
    /// The server's error text instead of the addresses.
    ips_error: bool,
    make: &'static str,
    model: &'static str,
    serial: String,
    cpu: &'static str,
}

impl FakeAgent {
    fn monitoring_type(&self) -> &'static str {
        if self.server { "server" } else { "workstation" }
    }

    fn is_posix(&self) -> bool {
        self.plat != "windows"
    }

    /// Tactical's `Agent.local_ips`.
    fn local_ips(&self) -> String {
        if self.ips_error || self.ips.is_empty() {
            "error getting local ips".to_owned()
        } else {
            self.ips.join(", ")
        }
    }

    /// Tactical's `Agent.make_model`.
    fn make_model(&self) -> String {
        if self.make.is_empty() {
            "error getting make/model".to_owned()
        } else {
            format!("{} {}", self.make, self.model)
        }
    }

    /// The model's `logged_in_username`.
    fn logged_in_username(&self) -> &'static str {
        self.current_user.unwrap_or("None")
    }

    /// `AgentTableSerializer.get_logged_username`.
    fn logged_username(&self) -> &'static str {
        match self.current_user {
            Some(u) => u,
            None if self.status == "online" => self.last_user,
            None => "-",
        }
    }

    fn checks(&self) -> Value {
        let failing = (self.pk % 5 == 0) as i64;
        json!({"total": 4, "passing": 4 - failing, "failing": failing, "warning": 0, "info": 0,
               "has_failing_checks": failing > 0})
    }

    fn physical_disks(&self) -> Value {
        if self.is_posix() {
            json!([{"model": "QEMU HARDDISK", "size": "64G", "interface": "ata"}])
        } else {
            json!(["Samsung SSD 980 500GB 466GB NVMe"])
        }
    }

    /// A row of `GET /agents/` (`AgentTableSerializer`).
    fn row(&self, data: &Data) -> Value {
        json!({
            "agent_id": self.agent_id,
            "alert_template": null,
            "hostname": self.hostname,
            "site_name": data.site_name(self.site),
            "client_name": data.client_name_of(self.site),
            "monitoring_type": self.monitoring_type(),
            "description": self.description,
            "needs_reboot": self.pk % 6 == 0,
            "pending_actions_count": 0,
            "status": self.status,
            "overdue_text_alert": false,
            "overdue_email_alert": self.server,
            "overdue_dashboard_alert": true,
            "last_seen": self.last_seen.map(iso),
            "boot_time": self.last_seen.map_or(0.0, |t| (t.timestamp() - 86_400) as f64),
            "checks": self.checks(),
            "maintenance_mode": false,
            "logged_username": self.logged_username(),
            "italic": self.current_user.is_none() && self.status == "online",
            "policy": null,
            "block_policy_inheritance": false,
            "plat": self.plat,
            "goarch": "amd64",
            "has_patches_pending": !self.is_posix() && self.pk % 3 == 0,
            "version": self.version,
            "operating_system": self.operating_system,
            "public_ip": self.public_ip,
            "cpu_model": [self.cpu],
            "graphics": if self.is_posix() { "No graphics cards" } else { "Intel(R) UHD Graphics 770" },
            "local_ips": self.local_ips(),
            "make_model": self.make_model(),
            "physical_disks": self.physical_disks(),
            "custom_fields": [],
            "serial_number": self.serial,
        })
    }

    /// The agent's raw inventory (`wmi_detail`): nested WMI arrays on
    /// Windows, the posix agent's flat object elsewhere.
    fn wmi_detail(&self) -> Value {
        if self.is_posix() {
            return json!({
                "cpus": [self.cpu],
                "gpus": [],
                "disks": self.physical_disks(),
                "local_ips": self.ips,
                "make_model": if self.make.is_empty() { Value::Null } else { json!(self.make_model()) },
                "serialnumber": self.serial,
            });
        }
        json!({
            "os": [[{"Caption": self.operating_system, "BuildNumber": "22631"}]],
            "cpu": [[{"Name": self.cpu, "NumberOfCores": 14}]],
            "mem": [[{"Capacity": 17_179_869_184_u64, "Manufacturer": "Samsung"}]],
            "bios": [[{"Manufacturer": self.make, "SerialNumber": self.serial, "SMBIOSBIOSVersion": "1.17.0"}]],
            "disk": [[{"Model": "Samsung SSD 980 500GB", "Size": 500_105_249_280_u64, "InterfaceType": "SCSI"}]],
            "comp_sys": [[{"Model": self.model, "Manufacturer": self.make, "SystemFamily": "Default string", "Domain": "corp.local"}]],
            "base_board": [[{"Manufacturer": self.make, "Product": "0X8MPH"}]],
            "comp_sys_prod": [[{"Vendor": self.make, "Name": self.model, "IdentifyingNumber": self.serial}]],
            "network_config": [[
                {"IPAddress": self.ips, "MACAddress": format!("00:15:5D:0A:{:02X}:{:02X}", self.site, self.pk), "DHCPEnabled": true}
            ]],
            "desktop_monitor": [],
            "network_adapter": [],
            "graphics": [[{"Caption": "Intel(R) UHD Graphics 770"}]],
        })
    }

    /// `GET /agents/{agent_id}/` (`AgentSerializer`, `exclude = ["id"]`).
    fn detail(&self, data: &Data) -> Value {
        let created = at(2023, 9, 1, 14, 3, 11) + Duration::hours(self.pk);
        // Built in two parts: one `json!` this size exceeds the macro's recursion limit.
        let mut out = json!({
            "winupdatepolicy": [],
            "status": self.status,
            "cpu_model": [self.cpu],
            "local_ips": self.local_ips(),
            "make_model": self.make_model(),
            "physical_disks": self.physical_disks(),
            "graphics": if self.is_posix() { "No graphics cards" } else { "Intel(R) UHD Graphics 770" },
            "checks": self.checks(),
            "timezone": "America/New_York",
            "all_timezones": ["Africa/Abidjan", "America/Chicago", "America/New_York", "Europe/London", "UTC"],
            "client": data.client_name_of(self.site),
            "site_name": data.site_name(self.site),
            "custom_fields": [],
            "patches_last_installed": null,
            "last_seen": self.last_seen.map(iso),
        });
        let model = json!({
            "applied_policies": {"agent_policy": null, "site_policy": null, "client_policy": null, "default_policy": null},
            "effective_patch_policy": {"critical": "manual", "important": "manual", "moderate": "manual", "low": "ignore", "other": "ignore"},
            "alert_template": null,
            "effective_default_shell": if self.is_posix() { "bash" } else { "powershell" },
            "version": self.version,
            "operating_system": self.operating_system,
            "plat": self.plat,
            "goarch": "amd64",
            "hostname": self.hostname,
            "agent_id": self.agent_id,
            "services": [],
            "public_ip": self.public_ip,
            "total_ram": 16,
            "disks": [],
            "boot_time": self.last_seen.map_or(0.0, |t| (t.timestamp() - 86_400) as f64),
            "logged_in_username": self.logged_in_username(),
            "last_logged_in_user": self.last_user,
            "monitoring_type": self.monitoring_type(),
            "description": self.description,
            "mesh_node_id": format!("node//{}", self.agent_id.to_lowercase()),
            "overdue_email_alert": self.server,
            "overdue_text_alert": false,
            "overdue_dashboard_alert": true,
            "offline_time": 4,
            "overdue_time": 30,
            "check_interval": 120,
            "needs_reboot": self.pk % 6 == 0,
            "choco_installed": !self.is_posix(),
            "wmi_detail": self.wmi_detail(),
            "time_zone": null,
            "maintenance_mode": false,
            "block_policy_inheritance": false,
            "default_shell": "use_global",
            "default_shell_custom": "",
            "created_by": "tactical",
            "created_time": iso(created),
            "modified_by": null,
            "modified_time": iso(created + Duration::days(30)),
            "site": self.site,
            "policy": null,
        });
        if let (Value::Object(out), Value::Object(rest)) = (&mut out, model) {
            out.extend(rest);
        }
        out
    }
}

/// One alert; rendered as `AlertSerializer` does.
#[derive(Debug, Clone)]
struct FakeAlert {
    id: i64,
    agent: i64,
    alert_type: &'static str,
    severity: &'static str,
    message: String,
    alert_time: DateTime<Utc>,
    resolved: bool,
    resolved_on: Option<DateTime<Utc>>,
    snoozed: bool,
    hidden: bool,
}

impl FakeAlert {
    fn is_open(&self) -> bool {
        !self.resolved && !self.snoozed
    }

    fn json(&self, data: &Data) -> Value {
        let agent = data.agents.iter().find(|a| a.pk == self.agent);
        let (check, task) = match self.alert_type {
            "check" => (Some(100 + self.id), None),
            "task" => (None, Some(200 + self.id)),
            _ => (None, None),
        };
        json!({
            "id": self.id,
            "hostname": agent.map(|a| a.hostname.clone()),
            "agent_id": agent.map(|a| a.agent_id.clone()),
            "client": agent.map(|a| data.client_name_of(a.site)),
            "site": agent.map(|a| data.site_name(a.site)),
            "alert_time": iso(self.alert_time),
            "alert_type": self.alert_type,
            "message": self.message,
            "snoozed": self.snoozed,
            "snooze_until": if self.snoozed { Some(iso(self.alert_time + Duration::days(3))) } else { None },
            "resolved": self.resolved,
            "resolved_on": self.resolved_on.map(iso),
            "severity": self.severity,
            "email_sent": if self.severity == "error" { Some(iso(self.alert_time + Duration::seconds(4))) } else { None },
            "resolved_email_sent": null,
            "sms_sent": null,
            "resolved_sms_sent": null,
            "hidden": self.hidden,
            "action_run": null,
            "action_stdout": null,
            "action_stderr": null,
            "action_retcode": null,
            "action_execution_time": null,
            "resolved_action_run": null,
            "resolved_action_stdout": null,
            "resolved_action_stderr": null,
            "resolved_action_retcode": null,
            "resolved_action_execution_time": null,
            "agent": self.agent,
            "assigned_check": check,
            "assigned_task": task,
        })
    }
}

/// Everything the fake holds.
struct Data {
    /// `GET /clients/` as Tactical renders it.
    clients: Vec<Value>,
    /// `(site id, client id, site name)`.
    sites: Vec<(i64, i64, &'static str)>,
    agents: Vec<FakeAgent>,
    alerts: Vec<FakeAlert>,
    /// Software inventories by agent pk: `(inventory id, entries)`.
    software: Vec<(i64, i64, Vec<Value>)>,
}

const CLIENTS: [(i64, &str, &str); 4] = [
    (1, "Acme Dental", "ACME"),
    (2, "Birch & Co Accounting", "BIRCH"),
    (3, "Coastal Logistics", "COAST"),
    (4, "Delta Architects", "DELTA"),
];

const SITES: [(i64, i64, &str); 7] = [
    (1, 1, "Main Office"),
    (2, 1, "Branch Clinic"),
    (3, 2, "Head Office"),
    (4, 3, "Warehouse"),
    (5, 3, "Depot North"),
    (6, 4, "Studio"),
    // No agents yet.
    (7, 4, "Home Workers"),
];

impl Data {
    fn new() -> Self {
        let sites: Vec<_> = SITES.to_vec();
        let agents = agents();
        let alerts = alerts(&agents);
        let software = software(&agents);
        let mut data = Data {
            clients: Vec::new(),
            sites,
            agents,
            alerts,
            software,
        };
        data.clients = CLIENTS.iter().map(|c| data.client_json(c.0)).collect();
        data
    }

    fn client_of(&self, site: i64) -> Option<i64> {
        self.sites.iter().find(|s| s.0 == site).map(|s| s.1)
    }

    fn client_name_of(&self, site: i64) -> &'static str {
        let client = self.client_of(site).unwrap_or_default();
        CLIENTS.iter().find(|c| c.0 == client).map_or("", |c| c.1)
    }

    fn site_name(&self, site: i64) -> &'static str {
        self.sites.iter().find(|s| s.0 == site).map_or("", |s| s.2)
    }

    fn agent(&self, agent_id: &str) -> Option<&FakeAgent> {
        self.agents.iter().find(|a| a.agent_id == agent_id)
    }

    fn software_of(&self, agent_id: &str) -> Option<&Vec<Value>> {
        let pk = self.agent(agent_id)?.pk;
        self.software
            .iter()
            .find(|s| s.1 == pk)
            .map(|(_, _, entries)| entries)
    }

    /// `InstalledSoftwareSerializer`, or `None` when the agent has none.
    fn inventory(&self, agent: &FakeAgent) -> Option<Value> {
        self.software
            .iter()
            .find(|s| s.1 == agent.pk)
            .map(|(id, pk, entries)| json!({"id": id, "software": entries, "agent": pk}))
    }

    /// `ClientSerializer`, sites ordered by name.
    fn client_json(&self, id: i64) -> Value {
        let (_, name, _) = CLIENTS
            .iter()
            .find(|c| c.0 == id)
            .copied()
            .unwrap_or((id, "", ""));
        let mut sites: Vec<_> = self.sites.iter().filter(|s| s.1 == id).collect();
        sites.sort_by_key(|s| s.2);
        let failing = |site: Option<i64>| {
            self.agents
                .iter()
                .filter(|a| site.map_or(self.client_of(a.site) == Some(id), |s| a.site == s))
                .any(|a| a.pk % 5 == 0)
        };
        let site_json: Vec<Value> = sites
            .iter()
            .map(|(sid, _, sname)| {
                json!({
                    "id": sid, "name": sname, "server_policy": null, "workstation_policy": null,
                    "alert_template": null, "client_name": name, "client": id, "custom_fields": [],
                    "agent_count": self.agents.iter().filter(|a| a.site == *sid).count(),
                    "block_policy_inheritance": false, "maintenance_mode": false,
                    "failing_checks": {"error": failing(Some(*sid)), "warning": false},
                })
            })
            .collect();
        json!({
            "id": id, "name": name, "server_policy": null,
            "workstation_policy": if id == 1 { json!(2) } else { Value::Null },
            "alert_template": null, "block_policy_inheritance": false,
            "sites": site_json, "custom_fields": [],
            "agent_count": self.agents.iter().filter(|a| self.client_of(a.site) == Some(id)).count(),
            "maintenance_mode": false,
            "failing_checks": {"error": failing(None), "warning": false},
        })
    }
}

/// A 40-character agent id from a seed (Tactical's are random letters).
fn agent_id(seed: u64) -> String {
    let letters = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    (0..40)
        .map(|_| {
            x ^= x >> 33;
            x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
            x ^= x >> 29;
            letters[(x % letters.len() as u64) as usize] as char
        })
        .collect()
}

/// Thirty agents: the two of the provider notes' samples, then generated
/// ones across six sites.
fn agents() -> Vec<FakeAgent> {
    let mut out = vec![
        FakeAgent {
            pk: 3,
            agent_id: "kbZAsuBkCqJLvNdmruWRBYnbgyVfdxKUQawWBemZ".into(),
            site: 1,
            hostname: "ACME-RECEP01".into(),
            description: "Reception",
            plat: "windows",
            server: false,
            status: "online",
            last_seen: Some(at(2024, 6, 10, 12, 0, 1) + Duration::microseconds(482_113)),
            current_user: Some("jsmith"),
            last_user: "jsmith",
            operating_system: "Windows 11 Pro, 64 bit v23H2 (build 22631.3737)",
            version: "2.7.0",
            public_ip: "203.0.113.7",
            ips: vec!["192.168.10.21".into()],
            ips_error: false,
            make: "Dell Inc.",
            model: "OptiPlex 7010",
            serial: "7XK2J93".into(),
            cpu: "13th Gen Intel(R) Core(TM) i5-13500",
        },
        FakeAgent {
            pk: 7,
            agent_id: AGENT_WITH_SOFTWARE.into(),
            site: 1,
            hostname: "ACME-DC01".into(),
            description: "Domain controller",
            plat: "windows",
            server: true,
            status: "overdue",
            last_seen: Some(at(2024, 6, 2, 6, 15, 42) + Duration::microseconds(90_211)),
            current_user: None,
            last_user: "administrator",
            operating_system: "Windows Server 2022 Standard, 64 bit v21H2 (build 20348.2527)",
            version: "2.7.0",
            public_ip: "203.0.113.7",
            ips: vec!["192.168.10.5".into(), "10.10.0.5".into()],
            ips_error: false,
            make: "Dell Inc.",
            model: "PowerEdge R650xs",
            serial: "4HQ8MT3".into(),
            cpu: "Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz",
        },
    ];
    // (site, how many)
    let layout = [(1, 6), (2, 4), (3, 6), (4, 5), (5, 3), (6, 4)];
    let users = [
        "mgarcia",
        "lchen",
        "apatel",
        "rkowalski",
        "tnguyen",
        "ebrown",
    ];
    let mut pk = 10;
    for (site, count) in layout {
        let prefix = CLIENTS
            .iter()
            .find(|c| Some(c.0) == SITES.iter().find(|s| s.0 == site).map(|s| s.1))
            .map_or("HOST", |c| c.2);
        for n in 0..count {
            pk += 1;
            let k = pk as usize;
            let linux = k % 5 == 3;
            let server = linux || k % 7 == 0;
            let status = ["online", "online", "offline", "overdue"][k % 4];
            // Online agents were seen lately; the others straddle the
            // probe instant (2024-03-05T06:07:08Z).
            let last_seen = match (status, k % 2) {
                ("online", _) => Some(at(2024, 6, 10, 11, 0, 0) - Duration::minutes(k as i64 * 7)),
                (_, 0) => Some(at(2024, 1, 15, 9, 30, 0) + Duration::days(k as i64)),
                _ => Some(at(2024, 4, 2, 17, 45, 0) + Duration::hours(k as i64)),
            };
            let (operating_system, make, model, cpu) = match (linux, server, k % 3) {
                (true, _, 0) => (
                    "Ubuntu 22.04.4 LTS, 64 bit v5.15.0-107-generic (build 5.15.0-107-generic)",
                    "QEMU",
                    "Standard PC (Q35 + ICH9, 2009)",
                    "AMD EPYC 7763 64-Core Processor",
                ),
                (true, _, _) => (
                    "Debian GNU/Linux 12 (bookworm), 64 bit v6.1.0-21-amd64 (build 6.1.0-21-amd64)",
                    "VMware, Inc.",
                    "VMware Virtual Platform",
                    "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz",
                ),
                (false, true, _) => (
                    "Windows Server 2019 Standard, 64 bit v1809 (build 17763.5936)",
                    "Microsoft Corporation",
                    "Virtual Machine",
                    "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz",
                ),
                (false, false, 0) => (
                    "Windows 10 Pro, 64 bit v22H2 (build 19045.4529)",
                    "LENOVO",
                    "ThinkCentre M70q Gen 3",
                    "12th Gen Intel(R) Core(TM) i5-12400T",
                ),
                (false, false, 1) => (
                    "Windows 11 Pro, 64 bit v23H2 (build 22631.3737)",
                    "HP",
                    "HP EliteDesk 800 G6 Desktop Mini PC",
                    "Intel(R) Core(TM) i7-10700T CPU @ 2.00GHz",
                ),
                (false, false, _) => (
                    "Windows 11 Pro, 64 bit v23H2 (build 22631.3593)",
                    "Dell Inc.",
                    "Latitude 5440",
                    "13th Gen Intel(R) Core(TM) i5-1345U",
                ),
            };
            let role = if linux {
                "LNX"
            } else if server {
                "SRV"
            } else {
                "WS"
            };
            let mut ips = vec![format!("192.168.{}.{}", 10 + site, 20 + k)];
            if k % 6 == 1 {
                ips.push(format!("10.8.0.{k}"));
            }
            out.push(FakeAgent {
                pk,
                agent_id: agent_id(pk as u64),
                site,
                hostname: format!("{prefix}-{role}{:02}", n + 1),
                description: ["", "Front desk", "", "Accounts", "Design"][k % 5],
                plat: if linux { "linux" } else { "windows" },
                server,
                status,
                last_seen,
                current_user: (status == "online" && k % 3 != 0).then(|| users[k % users.len()]),
                last_user: users[(k + 1) % users.len()],
                operating_system,
                version: if k % 4 == 1 { "2.6.2" } else { "2.7.0" },
                public_ip: ["203.0.113.7", "198.51.100.23", "192.0.2.140"][(site % 3) as usize],
                ips,
                ips_error: k == 19,
                // One agent whose inventory lacks the model.
                make: if k == 22 { "" } else { make },
                model,
                serial: if make == "QEMU" || k == 14 {
                    String::new()
                } else {
                    format!("{}{:04}", ["5CG", "MJ0", "PF3", "8YT"][k % 4], k * 37)
                },
                cpu,
            });
        }
    }
    out
}

/// Eleven alerts on the agents above: open, resolved and snoozed, on either
/// side of the probe instant.
fn alerts(agents: &[FakeAgent]) -> Vec<FakeAlert> {
    let host = |pk: i64| {
        agents
            .iter()
            .find(|a| a.pk == pk)
            .map_or(String::new(), |a| a.hostname.clone())
    };
    let pk_at = |i: usize| agents[i % agents.len()].pk;
    let mut out = vec![FakeAlert {
        id: 412,
        agent: 7,
        alert_type: "availability",
        severity: "error",
        message: "ACME-DC01 within Acme Dental, Main Office is overdue".into(),
        alert_time: at(2024, 6, 2, 6, 45, 0) + Duration::microseconds(115_529),
        resolved: false,
        resolved_on: None,
        snoozed: false,
        hidden: false,
    }];
    // (agent index, type, severity, text, day raised, day resolved, snoozed)
    type Spec = (
        usize,
        &'static str,
        &'static str,
        &'static str,
        (u32, u32),
        Option<(u32, u32)>,
        bool,
    );
    #[rustfmt::skip]
    let specs: [Spec; 10] = [
        (4, "check", "warning", "Disk space check: C: drive has less than 10% free", (2, 20), None, false),
        (7, "check", "error", "CPU Load check: average above 90% for 15 minutes", (5, 28), None, false),
        (9, "task", "info", "Weekly cleanup task failed with exit code 1", (1, 30), Some((2, 2)), false),
        (12, "availability", "error", "is overdue", (3, 1), Some((3, 9)), false),
        (15, "check", "warning", "Service check: Spooler is stopped", (4, 11), None, true),
        (18, "custom", "info", "Backup job reported warnings", (3, 4), None, false),
        (21, "check", "error", "Ping check: 10.8.0.1 unreachable", (6, 1), Some((6, 3)), false),
        (24, "availability", "warning", "is overdue", (5, 15), None, false),
        (26, "check", "warning", "Memory check: above 85% used", (2, 2), None, false),
        (28, "task", "error", "Patch scan task timed out", (6, 8), None, true),
    ];
    for (id, (agent, kind, severity, text, (m, d), resolved, snoozed)) in (413..).zip(specs) {
        let agent = pk_at(agent);
        let alert_time = at(2024, m, d, 8 + (id - 413) as u32, 12, 30);
        let message = if kind == "availability" {
            format!("{} {text}", host(agent))
        } else {
            format!("{} - {text}", host(agent))
        };
        out.push(FakeAlert {
            id,
            agent,
            alert_type: kind,
            severity,
            message,
            alert_time,
            resolved: resolved.is_some(),
            resolved_on: resolved.map(|(mo, d)| at(2024, mo, d, 10, 0, 0)),
            snoozed,
            hidden: false,
        });
    }
    out
}

/// Windows agents' inventories; the Linux agents have none. The first
/// inventory starts with two entries verbatim from a real Windows agent
/// (Tactical's `test_data/software1.json`).
fn software(agents: &[FakeAgent]) -> Vec<(i64, i64, Vec<Value>)> {
    let real = json!([
        {
            "name": "7-Zip 19.00 (x64)",
            "size": "5.2 MB",
            "source": "",
            "version": "19.00",
            "location": "C:\\Program Files\\7-Zip\\",
            "publisher": "Igor Pavlov",
            "uninstall": "C:\\Program Files\\7-Zip\\Uninstall.exe",
            "install_date": "0001-01-01 00:00:00 +0000 UTC"
        },
        {
            "name": "Git version 2.22.0.windows.1",
            "size": "262.0 MB",
            "source": "",
            "version": "2.22.0.windows.1",
            "location": "C:\\Program Files\\Git\\",
            "publisher": "The Git Development Community",
            "uninstall": "\"C:\\Program Files\\Git\\unins000.exe\"",
            "install_date": "2019-06-09 00:00:00 +0000 UTC"
        }
    ]);
    let common = |n: i64| {
        vec![
            json!({"name": "Google Chrome", "size": "104.6 MB", "source": "", "version": format!("125.0.6422.{}", 100 + n),
                   "location": "C:\\Program Files\\Google\\Chrome\\Application", "publisher": "Google LLC",
                   "uninstall": "\"C:\\Program Files\\Google\\Chrome\\Application\\125.0.6422.142\\Installer\\setup.exe\" --uninstall --channel=stable --system-level --verbose-logging",
                   "install_date": "2024-05-30 00:00:00 +0000 UTC"}),
            json!({"name": "Microsoft Edge", "size": "0 B", "source": "", "version": "125.0.2535.85",
                   "location": "C:\\Program Files (x86)\\Microsoft\\Edge\\Application", "publisher": "Microsoft Corporation",
                   "uninstall": "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\125.0.2535.85\\Installer\\setup.exe\" --uninstall --msedge --channel=stable --system-level --verbose-logging",
                   "install_date": "2024-06-01 00:00:00 +0000 UTC"}),
            json!({"name": "Tactical RMM Agent", "size": "23.4 MB", "source": "", "version": "2.7.0",
                   "location": "C:\\Program Files\\TacticalAgent\\", "publisher": "AmidaWare Inc",
                   "uninstall": "\"C:\\Program Files\\TacticalAgent\\unins000.exe\"",
                   "install_date": "2023-09-01 00:00:00 +0000 UTC"}),
        ]
    };
    let mut out = Vec::new();
    for (id, a) in (4..).zip(agents.iter().filter(|a| !a.is_posix())) {
        let entries = if a.agent_id == AGENT_WITH_SOFTWARE {
            let mut e = real.as_array().cloned().unwrap_or_default();
            e.extend(common(a.pk));
            // An older agent's entry: name and version only.
            e.push(json!({"name": "Microsoft Visual C++ 2015-2019 Redistributable (x64) - 14.29.30133", "version": "14.29.30133.0"}));
            e
        } else if a.pk % 4 == 0 {
            // Not inventoried yet: `[]`.
            continue;
        } else {
            common(a.pk)
        };
        let inventory = if a.agent_id == AGENT_WITH_SOFTWARE {
            3
        } else {
            id
        };
        out.push((inventory, a.pk, entries));
    }
    out
}
