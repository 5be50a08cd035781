//! A fake NinjaOne instance (feature `mock`), for tests and the demo.
//!
//! It answers like NinjaOne's Public API v2: an OAuth2 token endpoint at
//! `/ws/oauth/token` (form-encoded client credentials or refresh token),
//! bearer-token checks on every `/v2/` path (401 without), keyset paging with
//! `pageSize` and `after`, the `df=org = {id}` device filter, bare JSON
//! arrays, epoch-second float timestamps and `resultCode`/`errorMessage`
//! error bodies. The data follows the shapes of NinjaOne's schemas: four
//! organizations, seven locations, thirty-four devices in every shape the
//! spec derives from `Device` (agents, VMware hosts and guests, network
//! devices, a cloud monitor, a phone under MDM, an unmanaged device), four
//! active alerts and software inventories.
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

use mspkit_core::{Id, SecretString};
use mspkit_testkit::{
    ById, PageScheme, Paged, Reply, TokenEndpoint, find_by_id, mount_gate, query_param,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::builder::DEFAULT_SCOPE;
use crate::settings::NinjaOneSettings;

/// The client id the fake server accepts.
pub const CLIENT_ID: &str = "mock-ninja-client-id";
/// The client secret the fake server accepts.
pub const CLIENT_SECRET: &str = "mock-ninja-client-secret";
/// The refresh token the fake server accepts.
pub const REFRESH_TOKEN: &str = "mock-ninja-refresh-token";

/// A device that has a software inventory, and its size.
const DEVICE_WITH_SOFTWARE: (i64, usize) = (17, 5);

/// Starts a fake NinjaOne instance on loopback, with settings for a client of it.
pub async fn start() -> FakeServer<NinjaOneSettings> {
    let server = MockServer::start().await;
    let data = Data::new();
    let tokens = TokenEndpoint::client_credentials(CLIENT_ID, CLIENT_SECRET)
        .scope(DEFAULT_SCOPE)
        .with_refresh_token(REFRESH_TOKEN)
        .keep_refresh_tokens();
    tokens.mount(&server, "/ws/oauth/token").await;
    let denied = failure(401, "Unauthorized: invalid or expired access token");
    mount_gate(&server, path_regex("^/v2/"), tokens.bearer(denied)).await;

    let keyset = |items: &[Value]| {
        Paged::new(
            items.to_vec(),
            PageScheme::keyset("after", "pageSize", "id"),
            |v| ResponseTemplate::new(200).set_body_json(v.items),
        )
        .default_size(1000)
    };
    let devices = keyset(&data.devices).filter(|req, d| {
        org_filter(req).is_ok_and(|org| org.is_none_or(|o| d["organizationId"] == o))
    });
    let all_alerts = data.alerts.clone();
    let routes: Vec<(&str, Box<dyn Respond>)> = vec![
        ("^/v2/organizations$", Box::new(keyset(&data.organizations))),
        ("^/v2/locations$", Box::new(keyset(&data.locations))),
        (
            "^/v2/devices-detailed$",
            Box::new(move |req: &Request| match org_filter(req) {
                Ok(_) => devices.respond(req),
                Err(df) => failure(400, &format!("Invalid device filter: {df}")).template(),
            }),
        ),
        (
            "^/v2/alerts$",
            Box::new(move |req: &Request| match org_filter(req) {
                Ok(org) => ok(all_alerts
                    .iter()
                    .filter(|a| org.is_none_or(|o| a["device"]["organizationId"] == o))
                    .collect::<Vec<_>>()),
                Err(df) => failure(400, &format!("Invalid device filter: {df}")).template(),
            }),
        ),
        (
            r"^/v2/device/[^/]+$",
            Box::new(ById::new(
                "/v2/device",
                data.devices.clone(),
                "id",
                failure(404, "Device not found"),
            )),
        ),
        (
            r"^/v2/organization/[^/]+/locations$",
            Box::new(by_id(data.organizations.clone(), "Organization", {
                let locations = data.locations.clone();
                move |org| {
                    // This endpoint's `Location` shape has no organizationId.
                    let mine = locations
                        .iter()
                        .filter(|l| l["organizationId"] == org["id"]);
                    ok(mine
                        .map(|l| {
                            let mut l = l.clone();
                            l.as_object_mut().map(|o| o.remove("organizationId"));
                            l
                        })
                        .collect::<Vec<_>>())
                }
            })),
        ),
        (
            r"^/v2/device/[^/]+/alerts$",
            Box::new(by_id(data.devices.clone(), "Device", {
                let alerts = data.alerts.clone();
                move |d| {
                    ok(alerts
                        .iter()
                        .filter(|a| a["deviceId"] == d["id"])
                        .collect::<Vec<_>>())
                }
            })),
        ),
        (
            r"^/v2/device/[^/]+/software$",
            Box::new(by_id(data.devices.clone(), "Device", |d| {
                ok(software_of(d))
            })),
        ),
    ];
    for (at, responder) in routes {
        Mock::given(method("GET"))
            .and(path_regex(at))
            .respond_with(move |r: &Request| responder.respond(r))
            .mount(&server)
            .await;
    }
    // An authenticated request to a path not served above.
    Mock::given(path_regex("^/v2/"))
        .respond_with(failure(404, "Resource not found").template())
        .with_priority(9)
        .mount(&server)
        .await;

    let mut expected = Expected::new();
    expected.organizations = Some(data.organizations.len());
    expected.sites = Some(data.locations.len());
    expected.devices = Some(data.devices.len());
    expected.alerts = Some(data.alerts.len());
    expected.device_with_software =
        Some((Id::from(DEVICE_WITH_SOFTWARE.0), DEVICE_WITH_SOFTWARE.1));
    let settings = NinjaOneSettings {
        base_url: Some(server.uri()),
        allow_insecure_http: true,
        ..NinjaOneSettings::new(CLIENT_ID, SecretString::from(CLIENT_SECRET))
    };
    FakeServer::new(server, settings, expected)
        .secrets([CLIENT_SECRET, REFRESH_TOKEN])
        .tokens(tokens.store().clone())
}

/// NinjaOne's API error body.
fn failure(status: u16, message: &str) -> Reply {
    Reply::json(
        status,
        json!({"resultCode": "FAILURE", "errorMessage": message,
               "incidentId": "5b1f0a3c-7d2e-4f6a-9b8c-1d2e3f4a5b6c"}),
    )
}

fn ok(items: impl serde::Serialize) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(items)
}

/// The organization a `df` names: `Ok(None)` without one, `Err(df)` for a
/// filter other than the one the fake understands, `org = 12`.
fn org_filter(req: &Request) -> Result<Option<i64>, String> {
    let Some(df) = query_param(req, "df") else {
        return Ok(None);
    };
    df.split_once('=')
        .filter(|(field, _)| field.trim() == "org")
        .and_then(|(_, v)| v.trim().parse().ok())
        .map(Some)
        .ok_or(df)
}

/// A route under `/v2/{kind}/{id}/...`: the answer for the item with the id
/// in the path, or NinjaOne's 404 naming the kind.
fn by_id(
    items: Vec<Value>,
    kind: &'static str,
    answer: impl Fn(&Value) -> ResponseTemplate + Send + Sync + 'static,
) -> impl Respond {
    move |req: &Request| {
        let id = req.url.path_segments().and_then(|mut s| s.nth(2));
        match id.and_then(|id| find_by_id(&items, "id", id)) {
            Some(item) => answer(item),
            None => failure(404, &format!("{kind} not found")).template(),
        }
    }
}

/// What the fake instance holds.
struct Data {
    organizations: Vec<Value>,
    locations: Vec<Value>,
    devices: Vec<Value>,
    alerts: Vec<Value>,
}

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
#[rustfmt::skip]
const KINDS: [(&str, &str, &str, &str, &str); 8] = [
    ("WINDOWS_WORKSTATION", "DESKTOP", "Windows 11 Pro", "22631", "23H2"),
    ("WINDOWS_SERVER", "RACK_MOUNT", "Windows Server 2022 Standard", "20348", "21H2"),
    ("WINDOWS_WORKSTATION", "LAPTOP", "Windows 10 Pro", "19045", "22H2"),
    ("MAC", "LAPTOP", "macOS Sonoma", "23E224", "14.4.1"),
    ("LINUX_SERVER", "OTHER", "Ubuntu 22.04.4 LTS", "5.15.0-105", ""),
    ("VMWARE_VM_GUEST", "OTHER", "Windows Server 2019 Standard", "17763", "1809"),
    ("NMS_SWITCH", "", "", "", ""),
    ("WINDOWS_WORKSTATION", "DESKTOP", "Windows 11 Pro", "22631", "23H2"),
];

impl Data {
    fn new() -> Self {
        let organizations = json!([
            {"name": "Acme Dental", "description": "Dental practice, 2 sites", "nodeApprovalMode": "AUTOMATIC", "tags": [], "fields": {}, "id": 2},
            {"name": "Bramble & Co", "description": "", "nodeApprovalMode": "MANUAL", "tags": ["vip"], "fields": {"contractTier": "gold"}, "id": 5},
            {"name": "Cobalt Freight Ltd", "description": "Logistics, warehouse and depot", "nodeApprovalMode": "AUTOMATIC", "tags": [], "fields": {}, "id": 8},
            {"name": "Dunmore Legal LLP", "description": "Law firm", "nodeApprovalMode": "REJECT", "tags": [], "fields": {}, "id": 12}
        ]);
        let locations = LOCATIONS
            .iter()
            .map(|(id, org, name, address)| {
                json!({"name": name, "address": address, "description": "", "tags": [],
                       "fields": {}, "id": id, "organizationId": org})
            })
            .collect();
        let mut devices = vec![reception_pc(), acme_dc()];
        devices.extend((0..28).map(generated_device));
        devices.extend(other_shapes());
        #[rustfmt::skip]
        let alerts = vec![
            alert("5d0c6a7e-2f1b-4c3d-9e8f-7a6b5c4d3e2f", &devices[1], "AGENT_OFFLINE", "Agent offline",
                  "Device offline", "Device ACME-DC01 is offline", 1717310300.123),
            alert("8e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b", &devices[0], "CONDITION_AGENT_DISK_FREE_SPACE",
                  "Disk space low", "Disk C: low on space",
                  "Disk C: has less than 10% free space (8.2 GB of 237 GB)", 1717990000.5),
            alert("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", &devices[5], "CONDITION_AGENT_CPU", "High CPU",
                  "CPU above 90%", "CPU utilization above 90% for 15 minutes", 1717995500.75),
            // Raised before 2024-03-05 and not updated since.
            alert("9f8e7d6c-5b4a-4938-8271-6a5b4c3d2e1f", &devices[12], "CONDITION_PENDING_REBOOT",
                  "Pending reboot", "Reboot required", "A reboot is pending after updates", 1707000000.0),
        ];
        Data {
            organizations: organizations.as_array().cloned().unwrap_or_default(),
            locations,
            devices,
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
/// NinjaOne's node ids do; the kinds, organizations and states vary, and
/// every third device was last seen before March 2024.
fn generated_device(i: usize) -> Value {
    let n = i as i64;
    let id = 30 + n * 7 + n % 3;
    let (location, org, ..) = LOCATIONS[i % LOCATIONS.len()];
    let prefix = match org {
        2 => "ACME",
        5 => "BRAMBLE",
        8 => "COBALT",
        _ => "DUNMORE",
    };
    let (class, chassis, os_name, build, release) = KINDS[i % KINDS.len()];
    let server = class.contains("SERVER") || class.contains("VM_GUEST");
    let name = match class {
        "NMS_SWITCH" => format!("{prefix}-SW{:02}", i + 1),
        _ if server => format!("{prefix}-SRV{:02}", i + 1),
        _ => format!("{prefix}-WS{:03}", i + 1),
    };
    let domain = format!("{}.local", prefix.to_ascii_lowercase());
    let stale = i % 3 == 2;
    let last_contact = if stale {
        1_704_000_000.0 - (n as f64) * 86_400.25
    } else {
        1_718_000_000.0 - (n as f64) * 3_600.5
    };
    let nms = class.starts_with("NMS_");
    let mut d = json!({
        "id": id, "uid": format!("7c0e{id:04x}-1d2e-4f3a-8b4c-5d6e7f8a{id:04x}"),
        "organizationId": org, "locationId": location, "nodeClass": class,
        "nodeRoleId": 1 + (n % 4), "rolePolicyId": 12 + (n % 4), "approvalStatus": "APPROVED",
        "offline": stale || i % 5 == 0, "displayName": name, "systemName": name,
        "dnsName": format!("{name}.{domain}"), "netbiosName": name,
        "created": 1_690_000_000.0 + (n as f64) * 86_400.25,
        "lastContact": last_contact, "lastUpdate": last_contact - 60.5, "tags": [], "fields": {},
        "ipAddresses": [format!("10.{org}.{location}.{}", 10 + i)],
        "macAddresses": [format!("00:15:5D:{org:02X}:{location:02X}:{i:02X}")],
        "publicIP": format!("198.51.100.{org}"), "notes": [],
        "deviceType": if nms { "NMS" } else { "AGENT" },
    });
    if class == "VMWARE_VM_GUEST" {
        // Seen through its host, with no agent: the `VMGuest` shape.
        d["deviceType"] = json!("VMGuest");
        d["guestOSFullName"] = json!(format!("Microsoft {os_name} (64-bit)"));
        d["powerState"] = json!("POWERED_ON");
        d["toolStatus"] = json!("TOOLS_OK");
        d["cpuCores"] = json!(4);
        d["memorySize"] = json!(17_179_869_184_i64);
    } else if !nms {
        let (maker, model) = match class {
            "MAC" => ("Apple Inc.", "MacBook Pro (14-inch, M3)"),
            _ => ("Lenovo", "ThinkCentre M70q"),
        };
        let user = match server {
            true => format!("{prefix}\\administrator"),
            false => format!("{prefix}\\user{:02}", i + 1),
        };
        d["os"] = json!({"manufacturer": if class == "MAC" { "Apple Inc." } else { "Microsoft Corporation" },
            "name": os_name, "architecture": "64-bit", "lastBootTime": last_contact - 86_400.0,
            "buildNumber": build, "releaseId": release, "needsReboot": i % 4 == 0});
        d["system"] = json!({"name": name, "manufacturer": maker, "model": model,
            "biosSerialNumber": format!("PF{:06}", id * 37), "serialNumber": format!("PF{:06}", id * 37),
            "domain": domain, "virtualMachine": false, "chassisType": chassis});
        d["lastLoggedInUser"] = json!(user);
    }
    d
}

/// The shapes other than agents and network devices: a VMware host
/// (`VMHost`, hardware at the top level), a cloud monitor, a phone under
/// MDM and an unmanaged device.
fn other_shapes() -> Vec<Value> {
    let base = |id: i64, class: &str, kind: &str, name: &str, extra: Value| {
        let mut d = json!({"id": id, "uid": format!("0b1c2d3e-4f5a-4b6c-8d7e-{id:012}"),
            "organizationId": 8, "locationId": 11, "nodeClass": class, "approvalStatus": "APPROVED",
            "offline": false, "displayName": name, "created": 1_693_900_800.0,
            "lastContact": 1_718_000_000.5 - id as f64, "lastUpdate": 1_717_999_999.0 - id as f64,
            "tags": [], "fields": {}, "ipAddresses": [], "macAddresses": [], "notes": [], "deviceType": kind});
        if let (Some(d), Value::Object(e)) = (d.as_object_mut(), extra) {
            d.extend(e);
        }
        d
    };
    vec![
        base(
            240,
            "VMWARE_VM_HOST",
            "VMHost",
            "esx01",
            json!({"dnsName": "esx01.cobalt.local",
            "ipAddresses": ["10.8.11.40"], "macAddresses": ["00:50:56:AB:CD:EF"], "name": "esx01.cobalt.local",
            "cpuModel": "Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz", "cpuCores": 32, "cpuPackages": 2,
            "memorySize": 274_877_906_944_i64, "vendor": "Dell Inc.", "model": "PowerEdge R750",
            "serviceTag": "7H2K9M3", "releaseName": "VMware ESXi 7.0.3", "version": "7.0.3",
            "buildNumber": "21930508"}),
        ),
        base(
            241,
            "CLOUD_MONITOR_TARGET",
            "CloudMonitorHTTP",
            "Client portal",
            json!({"enabled": true,
            "interval": 300, "timeout": 30, "target": "https://portal.cobalt-freight.example/login"}),
        ),
        base(242, "APPLE_IOS", "MdmDevice", "J Smith iPhone", json!({})),
        base(
            243,
            "UNMANAGED_DEVICE",
            "UnmanagedDevice",
            "Boardroom TV",
            json!({"netbiosName": "BOARDROOM-TV"}),
        ),
    ]
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
#[rustfmt::skip]
fn software_of(device: &Value) -> Value {
    let app = |name, publisher, version, date, location, size: i64| {
        json!({"installDate": date, "location": location, "name": name, "publisher": publisher,
               "size": size, "version": version, "productCode": ""})
    };
    let edge = || app("Microsoft Edge", "Microsoft Corporation", "125.0.2535.92", "2024-06-07T00:00:00Z",
                      "C:\\Program Files (x86)\\Microsoft\\Edge\\Application", 503316480);
    if device["id"] == DEVICE_WITH_SOFTWARE.0 {
        return json!([
            app("7-Zip 23.01 (x64)", "Igor Pavlov", "23.01", "2024-03-02T00:00:00Z",
                "C:\\Program Files\\7-Zip\\", 5767168),
            app("Google Chrome", "Google LLC", "125.0.6422.142", "2024-06-05T00:00:00Z",
                "C:\\Program Files\\Google\\Chrome\\Application", 412090368),
            edge(),
            app("Adobe Acrobat Reader (64-bit)", "Adobe", "24.002.20759", "2024-05-14T00:00:00Z",
                "C:\\Program Files\\Adobe\\Acrobat DC\\", 1073741824),
            app("Microsoft 365 Apps for business - en-gb", "Microsoft Corporation", "16.0.17628.20144",
                "2024-05-29T00:00:00Z", "C:\\Program Files\\Microsoft Office", 3221225472),
        ]);
    }
    if device["deviceType"] != "AGENT" {
        return json!([]);
    }
    json!([app("NinjaOne Agent", "NinjaOne LLC", "5.8.9154", "2024-01-15T00:00:00Z",
               "C:\\Program Files (x86)\\NinjaRMMAgent", 104857600), edge()])
}
