//! A fake NinjaOne instance (feature `mock`), for tests and the demo.
//!
//! It answers like NinjaOne's Public API v2: an OAuth2 token endpoint at
//! `/ws/oauth/token` (form-encoded client credentials or refresh token),
//! bearer-token checks on every `/v2/` path (401 without), keyset paging with
//! `pageSize` and `after`, the `df=org = {id}` device filter, bare JSON
//! arrays, epoch-second float timestamps and `resultCode`/`errorMessage`
//! error bodies. The data follows the shapes of NinjaOne's schemas: four
//! organizations, seven locations, thirty devices of several node classes,
//! four active alerts and software inventories.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{DeviceQuery, RmmClient};
//!
//! let fake = mspkit_ninja::mock::start().await;
//! let client = mspkit_ninja::NinjaOneClient::from_settings(&fake.settings)?;
//! let devices: Vec<_> = client.devices(DeviceQuery::new()).try_collect().await?;
//! assert_eq!(Some(devices.len()), fake.expected.devices);
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use mspkit_core::{Id, SecretString};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::settings::NinjaOneSettings;

/// The client id the fake server accepts.
pub const CLIENT_ID: &str = "mock-ninja-client-id";
/// The client secret the fake server accepts.
pub const CLIENT_SECRET: &str = "mock-ninja-client-secret";
/// The refresh token the fake server accepts.
pub const REFRESH_TOKEN: &str = "mock-ninja-refresh-token";
/// The access token the fake server issues and checks.
pub const ACCESS_TOKEN: &str = "mock-ninja-access-token";

/// A device that has a software inventory, and its size.
const DEVICE_WITH_SOFTWARE: (i64, usize) = (17, 5);

/// Starts a fake NinjaOne instance on loopback, with settings for a client of it.
pub async fn start() -> FakeServer<NinjaOneSettings> {
    let server = MockServer::start().await;
    let data = Arc::new(Data::new());
    mount(&server, &data).await;
    let expected = {
        let mut e = Expected::new();
        e.organizations = Some(data.organizations.len());
        e.sites = Some(data.locations.len());
        e.devices = Some(data.devices.len());
        e.alerts = Some(data.alerts.len());
        e.device_with_software = Some((Id::from(DEVICE_WITH_SOFTWARE.0), DEVICE_WITH_SOFTWARE.1));
        e
    };
    let settings = NinjaOneSettings {
        region: None,
        base_url: Some(server.uri()),
        client_id: CLIENT_ID.to_owned(),
        client_secret: SecretString::from(CLIENT_SECRET),
        refresh_token: None,
        scope: None,
        allow_insecure_http: true,
    };
    FakeServer {
        server,
        settings,
        expected,
        secrets: Vec::new(),
        tokens: None,
    }
}

async fn mount(server: &MockServer, data: &Arc<Data>) {
    let bearer = format!("Bearer {ACCESS_TOKEN}");
    Mock::given(method("POST"))
        .and(path("/ws/oauth/token"))
        .respond_with(TokenEndpoint)
        .mount(server)
        .await;

    let route = |regex: &str, responder: Box<dyn Respond>| {
        Mock::given(method("GET"))
            .and(path_regex(regex))
            .and(header("authorization", bearer.as_str()))
            .respond_with(Boxed(responder))
    };
    let routes = [
        route(
            r"^/v2/organizations$",
            Box::new(Keyset::new(data.organizations.clone())),
        ),
        route(
            r"^/v2/locations$",
            Box::new(Keyset::new(data.locations.clone())),
        ),
        route(
            r"^/v2/devices-detailed$",
            Box::new(Keyset::new(data.devices.clone()).device_filter()),
        ),
        route(r"^/v2/alerts$", Box::new(Alerts(data.clone()))),
        route(
            r"^/v2/organization/\d+/locations$",
            Box::new(ById(data.clone(), Lookup::OrganizationLocations)),
        ),
        route(
            r"^/v2/device/\d+$",
            Box::new(ById(data.clone(), Lookup::Device)),
        ),
        route(
            r"^/v2/device/\d+/alerts$",
            Box::new(ById(data.clone(), Lookup::DeviceAlerts)),
        ),
        route(
            r"^/v2/device/\d+/software$",
            Box::new(ById(data.clone(), Lookup::DeviceSoftware)),
        ),
    ];
    for mock in routes {
        mock.mount(server).await;
    }
    // An authenticated request to a path not served above.
    Mock::given(path_regex("^/v2/"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(failure(404, "Resource not found"))
        .with_priority(9)
        .mount(server)
        .await;
    // No token, or a wrong one.
    Mock::given(path_regex("^/v2/"))
        .respond_with(failure(
            401,
            "Unauthorized: invalid or expired access token",
        ))
        .with_priority(10)
        .mount(server)
        .await;
}

/// Lets one list hold the routes' different responders.
struct Boxed(Box<dyn Respond>);

impl Respond for Boxed {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.0.respond(req)
    }
}

/// NinjaOne's API error body.
fn failure(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "resultCode": "FAILURE",
        "errorMessage": message,
        "incidentId": "5b1f0a3c-7d2e-4f6a-9b8c-1d2e3f4a5b6c"
    }))
}

/// An OAuth2 error body (RFC 6749).
fn oauth_error(status: u16, error: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({ "error": error, "error_description": description }))
}

fn query(req: &Request, name: &str) -> Option<String> {
    req.url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn id_in_path(req: &Request) -> Option<i64> {
    req.url.path_segments()?.find_map(|s| s.parse::<i64>().ok())
}

fn id_of(v: &Value) -> i64 {
    v.get("id").and_then(Value::as_i64).unwrap_or_default()
}

/// `POST /ws/oauth/token`: the client must send its id and secret in the
/// form body, with the client-credentials or refresh-token grant.
struct TokenEndpoint;

impl Respond for TokenEndpoint {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let form: HashMap<String, String> = url::form_urlencoded::parse(&req.body)
            .into_owned()
            .collect();
        let field = |k: &str| form.get(k).map(String::as_str);
        if field("client_id") != Some(CLIENT_ID) || field("client_secret") != Some(CLIENT_SECRET) {
            return oauth_error(401, "invalid_client", "Bad client credentials");
        }
        let scope = field("scope").unwrap_or_default();
        let mut body = json!({
            "access_token": ACCESS_TOKEN,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": if scope.is_empty() { "monitoring management control" } else { scope },
        });
        match field("grant_type") {
            Some("client_credentials") if scope.split(' ').any(|s| s == "offline_access") => {
                oauth_error(400, "invalid_scope", "offline_access is not allowed")
            }
            Some("client_credentials") => ResponseTemplate::new(200).set_body_json(body),
            Some("refresh_token") if field("refresh_token") == Some(REFRESH_TOKEN) => {
                body["refresh_token"] = json!(REFRESH_TOKEN);
                ResponseTemplate::new(200).set_body_json(body)
            }
            Some("refresh_token") => oauth_error(400, "invalid_grant", "Invalid refresh token"),
            _ => oauth_error(400, "unsupported_grant_type", "Unsupported grant type"),
        }
    }
}

/// A keyset-paged list: ids ascending, `after` = the last id seen,
/// `pageSize` items at most.
struct Keyset {
    items: Arc<Vec<Value>>,
    device_filter: bool,
}

impl Keyset {
    fn new(items: Arc<Vec<Value>>) -> Self {
        Keyset {
            items,
            device_filter: false,
        }
    }

    /// Honours `df=org = {id}`.
    fn device_filter(mut self) -> Self {
        self.device_filter = true;
        self
    }
}

impl Respond for Keyset {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let size = match query(req, "pageSize").map(|s| s.parse::<usize>()) {
            None => 1000,
            Some(Ok(n)) if n > 0 => n,
            Some(_) => return failure(400, "Invalid pageSize"),
        };
        let after = match query(req, "after").map(|s| s.parse::<i64>()) {
            None => i64::MIN,
            Some(Ok(n)) => n,
            Some(Err(_)) => return failure(400, "Invalid after"),
        };
        let org = match query(req, "df").filter(|_| self.device_filter) {
            None => None,
            Some(df) => match parse_org_filter(&df) {
                Some(org) => Some(org),
                None => return failure(400, &format!("Invalid device filter: {df}")),
            },
        };
        let page: Vec<&Value> = self
            .items
            .iter()
            .filter(|v| id_of(v) > after)
            .filter(|v| {
                org.is_none_or(|o| v.get("organizationId").and_then(Value::as_i64) == Some(o))
            })
            .take(size)
            .collect();
        ResponseTemplate::new(200).set_body_json(page)
    }
}

/// The one filter the fake understands: `org = 12` (spaces optional).
fn parse_org_filter(df: &str) -> Option<i64> {
    let (field, value) = df.split_once('=')?;
    (field.trim() == "org")
        .then(|| value.trim().parse().ok())
        .flatten()
}

/// `GET /v2/alerts`, unpaged, with the organization filter.
struct Alerts(Arc<Data>);

impl Respond for Alerts {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let org = match query(req, "df") {
            None => None,
            Some(df) => match parse_org_filter(&df) {
                Some(org) => Some(org),
                None => return failure(400, &format!("Invalid device filter: {df}")),
            },
        };
        let alerts: Vec<&Value> = self
            .0
            .alerts
            .iter()
            .filter(|a| org.is_none_or(|o| a["device"]["organizationId"].as_i64() == Some(o)))
            .collect();
        ResponseTemplate::new(200).set_body_json(alerts)
    }
}

enum Lookup {
    OrganizationLocations,
    Device,
    DeviceAlerts,
    DeviceSoftware,
}

/// The routes with an id in the path; an unknown id is NinjaOne's 404.
struct ById(Arc<Data>, Lookup);

impl Respond for ById {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let data = &self.0;
        let Some(id) = id_in_path(req) else {
            return failure(400, "Invalid identifier");
        };
        let device = data.devices.iter().find(|d| id_of(d) == id);
        let ok = |v: Value| ResponseTemplate::new(200).set_body_json(v);
        match self.1 {
            Lookup::OrganizationLocations => {
                if !data.organizations.iter().any(|o| id_of(o) == id) {
                    return failure(404, "Organization not found");
                }
                // This endpoint's `Location` shape has no organizationId.
                let locations: Vec<Value> = data
                    .locations
                    .iter()
                    .filter(|l| l["organizationId"].as_i64() == Some(id))
                    .map(|l| {
                        let mut l = l.clone();
                        if let Some(o) = l.as_object_mut() {
                            o.remove("organizationId");
                        }
                        l
                    })
                    .collect();
                ok(Value::from(locations))
            }
            Lookup::Device => match device {
                Some(d) => ok(d.clone()),
                None => failure(404, "Device not found"),
            },
            Lookup::DeviceAlerts => match device {
                Some(_) => ok(Value::from(
                    data.alerts
                        .iter()
                        .filter(|a| a["deviceId"].as_i64() == Some(id))
                        .cloned()
                        .collect::<Vec<_>>(),
                )),
                None => failure(404, "Device not found"),
            },
            Lookup::DeviceSoftware => match device {
                Some(d) => ok(Value::from(software_of(d))),
                None => failure(404, "Device not found"),
            },
        }
    }
}

/// What the fake instance holds.
struct Data {
    organizations: Arc<Vec<Value>>,
    locations: Arc<Vec<Value>>,
    devices: Arc<Vec<Value>>,
    alerts: Vec<Value>,
}

/// (id, name, description, approval mode, tags)
const ORGANIZATIONS: [(i64, &str, &str, &str); 4] = [
    (2, "Acme Dental", "Dental practice, 2 sites", "AUTOMATIC"),
    (5, "Bramble & Co", "", "MANUAL"),
    (
        8,
        "Cobalt Freight Ltd",
        "Logistics, warehouse and depot",
        "AUTOMATIC",
    ),
    (12, "Dunmore Legal LLP", "Law firm", "REJECT"),
];

/// (id, organization, name, address)
const LOCATIONS: [(i64, i64, &str, &str); 7] = [
    (3, 2, "Main Office", "1 High St"),
    (4, 5, "Head Office", "22 Quay Road"),
    (9, 2, "Clinic North", ""),
    (11, 8, "Warehouse", "Unit 4, Dock Lane"),
    (15, 8, "Depot East", "Eastgate Industrial Park"),
    (16, 12, "Chambers", "3 Temple Row"),
    (20, 12, "Remote Staff", ""),
];

/// (node class, chassis, OS name, build, release)
const KINDS: [(&str, &str, &str, &str, &str); 8] = [
    (
        "WINDOWS_WORKSTATION",
        "DESKTOP",
        "Windows 11 Pro",
        "22631",
        "23H2",
    ),
    (
        "WINDOWS_SERVER",
        "RACK_MOUNT",
        "Windows Server 2022 Standard",
        "20348",
        "21H2",
    ),
    (
        "WINDOWS_WORKSTATION",
        "LAPTOP",
        "Windows 10 Pro",
        "19045",
        "22H2",
    ),
    ("MAC", "LAPTOP", "macOS Sonoma", "23E224", "14.4.1"),
    (
        "LINUX_SERVER",
        "OTHER",
        "Ubuntu 22.04.4 LTS",
        "5.15.0-105",
        "",
    ),
    (
        "VMWARE_VM_GUEST",
        "OTHER",
        "Windows Server 2019 Standard",
        "17763",
        "1809",
    ),
    ("NMS_SWITCH", "", "", "", ""),
    (
        "WINDOWS_WORKSTATION",
        "DESKTOP",
        "Windows 11 Pro",
        "22631",
        "23H2",
    ),
];

impl Data {
    fn new() -> Self {
        let organizations = ORGANIZATIONS
            .iter()
            .map(|(id, name, description, mode)| {
                json!({"name": name, "description": description, "nodeApprovalMode": mode,
                       "tags": [], "fields": {}, "id": id})
            })
            .collect();
        let locations = LOCATIONS
            .iter()
            .map(|(id, org, name, address)| {
                json!({"name": name, "address": address, "description": "", "tags": [],
                       "fields": {}, "id": id, "organizationId": org})
            })
            .collect();
        let mut devices = vec![reception_pc(), acme_dc()];
        devices.extend((0..28).map(generated_device));
        let alerts = vec![
            alert(
                "5d0c6a7e-2f1b-4c3d-9e8f-7a6b5c4d3e2f",
                &devices[1],
                "AGENT_OFFLINE",
                "Agent offline",
                "Device offline",
                "Device ACME-DC01 is offline",
                1717310300.123,
            ),
            alert(
                "8e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
                &devices[0],
                "CONDITION_AGENT_DISK_FREE_SPACE",
                "Disk space low",
                "Disk C: low on space",
                "Disk C: has less than 10% free space (8.2 GB of 237 GB)",
                1717990000.5,
            ),
            alert(
                "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                &devices[5],
                "CONDITION_AGENT_CPU",
                "High CPU",
                "CPU above 90%",
                "CPU utilization above 90% for 15 minutes",
                1717995500.75,
            ),
            alert(
                "9f8e7d6c-5b4a-4938-8271-6a5b4c3d2e1f",
                &devices[12],
                "CONDITION_PENDING_REBOOT",
                "Pending reboot",
                "Reboot required",
                "A reboot is pending after updates",
                1717800000.0,
            ),
        ];
        Data {
            organizations: Arc::new(organizations),
            locations: Arc::new(locations),
            devices: Arc::new(devices),
            alerts,
        }
    }
}

/// The provider notes' `GET /v2/device/17` sample.
fn reception_pc() -> Value {
    json!({"id":17,"uid":"3f6c1c2e-8a0b-4f38-9d1e-6f5a1b2c3d4e","organizationId":2,"locationId":3,
        "nodeClass":"WINDOWS_WORKSTATION","nodeRoleId":1,"rolePolicyId":12,"approvalStatus":"APPROVED",
        "offline":false,"displayName":"Reception PC","systemName":"ACME-RECEP01",
        "dnsName":"ACME-RECEP01.acme.local","netbiosName":"ACME-RECEP01",
        "created":1693900800.512,"lastContact":1718000000.25,"lastUpdate":1717999940.911,"tags":[],"fields":{},
        "maintenance":{"status":"PENDING","start":0.0,"end":0.0},
        "references":{"organization":{"name":"Acme Dental","id":2},"location":{"name":"Main Office","id":3},
                      "warranty":{"startDate":1672531200.0,"endDate":1767225600.0}},
        "ipAddresses":["192.168.10.21","fe80::1c2b:3a4d:5e6f:7081"],"macAddresses":["00:15:5D:0A:1B:2C"],
        "publicIP":"203.0.113.7","notes":[],"deviceType":"AGENT",
        "os":{"manufacturer":"Microsoft Corporation","name":"Windows 11 Pro","architecture":"64-bit",
              "lastBootTime":1717900000.0,"buildNumber":"22631","releaseId":"23H2","servicePackMajorVersion":0,
              "servicePackMinorVersion":0,"locale":"en-GB","language":"English","needsReboot":false},
        "system":{"name":"ACME-RECEP01","manufacturer":"Dell Inc.","model":"OptiPlex 7010",
                  "biosSerialNumber":"7XK2J93","serialNumber":"7XK2J93","domain":"acme.local",
                  "domainRole":"MEMBER_WORKSTATION","numberOfProcessors":1,"totalPhysicalMemory":17179869184_i64,
                  "virtualMachine":false,"chassisType":"DESKTOP"},
        "memory":{"capacity":17179869184_i64},
        "lastLoggedInUser":"ACME\\jsmith"})
}

/// The provider notes' second `devices-detailed` sample, with its agent blocks.
fn acme_dc() -> Value {
    json!({"id":21,"uid":"9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d","organizationId":2,"locationId":9,
        "nodeClass":"WINDOWS_SERVER","nodeRoleId":2,"rolePolicyId":13,"policyId":40,"approvalStatus":"APPROVED",
        "offline":true,"displayName":"ACME-DC01","systemName":"ACME-DC01","dnsName":"ACME-DC01.acme.local",
        "netbiosName":"ACME-DC01","created":1690000000.0,"lastContact":1717310000.75,"lastUpdate":1717309990.1,
        "tags":["dc"],"fields":{},"ipAddresses":["192.168.10.5"],"macAddresses":["00:15:5D:0A:1B:99"],
        "publicIP":"203.0.113.7","notes":[],"deviceType":"AGENT",
        "os":{"manufacturer":"Microsoft Corporation","name":"Windows Server 2022 Standard","architecture":"64-bit",
              "lastBootTime":1716000000.0,"buildNumber":"20348","releaseId":"21H2","needsReboot":true},
        "system":{"name":"ACME-DC01","manufacturer":"HPE","model":"ProLiant DL360 Gen10",
                  "biosSerialNumber":"CZJ0123ABC","serialNumber":"CZJ0123ABC","domain":"acme.local",
                  "domainRole":"PRIMARY_DOMAIN_CONTROLLER","virtualMachine":false,"chassisType":"RACK_MOUNT"},
        "lastLoggedInUser":"ACME\\administrator"})
}

/// Device number `i` of the generated fleet: ids keep rising with gaps, as
/// NinjaOne's node ids do; the kinds, organizations and states vary.
fn generated_device(i: usize) -> Value {
    let n = i as i64;
    let id = 30 + n * 7 + n % 3;
    let (org, location) = {
        let (loc, org, ..) = LOCATIONS[i % LOCATIONS.len()];
        (org, loc)
    };
    let prefix = match org {
        2 => "ACME",
        5 => "BRAMBLE",
        8 => "COBALT",
        _ => "DUNMORE",
    };
    let (class, chassis, os_name, build, release) = KINDS[i % KINDS.len()];
    let name = match class {
        "NMS_SWITCH" => format!("{prefix}-SW{:02}", i + 1),
        c if c.contains("SERVER") || c.contains("VM_GUEST") => format!("{prefix}-SRV{:02}", i + 1),
        _ => format!("{prefix}-WS{:03}", i + 1),
    };
    let domain = format!("{}.local", prefix.to_ascii_lowercase());
    let last_contact = 1_718_000_000.0 - (n as f64) * 3_600.5;
    let mut d = json!({
        "id": id,
        "uid": format!("7c0e{:04x}-1d2e-4f3a-8b4c-5d6e7f8a{:04x}", id, id),
        "organizationId": org,
        "locationId": location,
        "nodeClass": class,
        "nodeRoleId": 1 + (n % 4),
        "rolePolicyId": 12 + (n % 4),
        "approvalStatus": "APPROVED",
        "offline": i % 5 == 0,
        "displayName": name,
        "systemName": name,
        "dnsName": format!("{name}.{domain}"),
        "netbiosName": name,
        "created": 1_690_000_000.0 + (n as f64) * 86_400.25,
        "lastContact": last_contact,
        "lastUpdate": last_contact - 60.5,
        "tags": [],
        "fields": {},
        "ipAddresses": [format!("10.{}.{}.{}", org, location, 10 + i)],
        "macAddresses": [format!("00:15:5D:{:02X}:{:02X}:{:02X}", org, location, i)],
        "publicIP": format!("198.51.100.{}", org),
        "notes": [],
        "deviceType": if class.starts_with("NMS_") { "NMS" } else { "AGENT" },
    });
    if !class.starts_with("NMS_") {
        let user = if class.contains("SERVER") || class.contains("VM_GUEST") {
            format!("{prefix}\\administrator")
        } else {
            format!("{prefix}\\user{:02}", i + 1)
        };
        d["os"] = json!({"manufacturer": if class == "MAC" { "Apple Inc." } else { "Microsoft Corporation" },
            "name": os_name, "architecture": "64-bit", "lastBootTime": last_contact - 86_400.0,
            "buildNumber": build, "releaseId": release, "needsReboot": i % 4 == 0});
        d["system"] = json!({"name": name,
            "manufacturer": if class == "MAC" { "Apple Inc." } else if class == "VMWARE_VM_GUEST" { "VMware, Inc." } else { "Lenovo" },
            "model": if class == "MAC" { "MacBook Pro (14-inch, M3)" } else if class == "VMWARE_VM_GUEST" { "VMware Virtual Platform" } else { "ThinkCentre M70q" },
            "biosSerialNumber": format!("PF{:06}", id * 37), "serialNumber": format!("PF{:06}", id * 37),
            "domain": domain, "virtualMachine": class == "VMWARE_VM_GUEST", "chassisType": chassis});
        d["lastLoggedInUser"] = json!(user);
    }
    d
}

fn alert(
    uid: &str,
    device: &Value,
    source_type: &str,
    source_name: &str,
    subject: &str,
    message: &str,
    at: f64,
) -> Value {
    json!({"uid": uid, "deviceId": device["id"], "message": message, "createTime": at, "updateTime": at,
        "sourceType": source_type, "sourceConfigUid": "00000000-0000-0000-0000-000000000000",
        "sourceName": source_name, "subject": subject, "data": {},
        "device": {"id": device["id"], "organizationId": device["organizationId"],
                   "locationId": device["locationId"], "nodeClass": device["nodeClass"],
                   "offline": device["offline"], "systemName": device["systemName"],
                   "lastContact": device["lastContact"]}})
}

/// A device's installed software: the notes' sample inventory on device 17,
/// a short one on other agent devices, none on network devices.
fn software_of(device: &Value) -> Vec<Value> {
    let app =
        |name: &str, publisher: &str, version: &str, date: &str, location: &str, size: i64| {
            json!({"installDate": date, "location": location, "name": name, "publisher": publisher,
               "size": size, "version": version, "productCode": ""})
        };
    if id_of(device) == DEVICE_WITH_SOFTWARE.0 {
        return vec![
            app(
                "7-Zip 23.01 (x64)",
                "Igor Pavlov",
                "23.01",
                "2024-03-02T00:00:00Z",
                "C:\\Program Files\\7-Zip\\",
                5767168,
            ),
            app(
                "Google Chrome",
                "Google LLC",
                "125.0.6422.142",
                "2024-06-05T00:00:00Z",
                "C:\\Program Files\\Google\\Chrome\\Application",
                412090368,
            ),
            app(
                "Microsoft Edge",
                "Microsoft Corporation",
                "125.0.2535.92",
                "2024-06-07T00:00:00Z",
                "C:\\Program Files (x86)\\Microsoft\\Edge\\Application",
                503316480,
            ),
            app(
                "Adobe Acrobat Reader (64-bit)",
                "Adobe",
                "24.002.20759",
                "2024-05-14T00:00:00Z",
                "C:\\Program Files\\Adobe\\Acrobat DC\\",
                1073741824,
            ),
            app(
                "Microsoft 365 Apps for business - en-gb",
                "Microsoft Corporation",
                "16.0.17628.20144",
                "2024-05-29T00:00:00Z",
                "C:\\Program Files\\Microsoft Office",
                3221225472_i64,
            ),
        ];
    }
    if device["nodeClass"]
        .as_str()
        .is_some_and(|c| c.starts_with("NMS_"))
    {
        return Vec::new();
    }
    vec![
        app(
            "NinjaOne Agent",
            "NinjaOne LLC",
            "5.8.9154",
            "2024-01-15T00:00:00Z",
            "C:\\Program Files (x86)\\NinjaRMMAgent",
            104857600,
        ),
        app(
            "Microsoft Edge",
            "Microsoft Corporation",
            "125.0.2535.92",
            "2024-06-07T00:00:00Z",
            "C:\\Program Files (x86)\\Microsoft\\Edge\\Application",
            503316480,
        ),
    ]
}
