//! A fake Datto RMM (feature `mock`): a wiremock server that answers like the
//! platform, for tests, the demo and users' own tests.
//!
//! It checks the password grant (Basic `public-client:public`, the key and
//! secret as user name and password) and the bearer token on every `/api`
//! call, pages lists by `page` and `max` with absolute `nextPageUrl` links
//! and a `totalCount`, and answers unknown resources with Spring's 404 body.
//! It holds six sites, twelve devices, eight alerts (six open, among them a
//! component alert whose text is only in its context's `samples`) and a
//! software audit; their timestamps are epoch milliseconds, some before
//! March 2024 and some after.

use mspkit_testkit::wiremock::matchers::{method, path_regex};
use mspkit_testkit::wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use mspkit_testkit::{PageScheme, Paged, Reply, TokenEndpoint, find_by_id, mount_gate};

/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::settings::DattoSettings;

/// The API key the fake server accepts.
pub const API_KEY: &str = "JQ4N8AMOCKKEY7H2P0R5T9W3Y6B1D4F";
/// The API secret the fake server accepts.
pub const API_SECRET: &str = "SV2KMOCKSECRET8G5J1L7N3Q9S6U0X4Z";

const ACCOUNT_UID: &str = "ab12cd34";
/// Datto's default and largest page (`GET /v2/system/pagination`).
const MAX_PAGE: u64 = 250;
/// A conservative page for alerts, which page separately.
const MAX_ALERT_PAGE: u64 = 100;
/// 2024-06-10T06:13:20Z in epoch milliseconds: "now" in the fake data.
const NOW_MS: i64 = 1_718_000_000_000;
const HOUR_MS: i64 = 3_600_000;

/// Starts a fake Datto RMM on loopback, with settings for a client of it.
pub async fn start() -> FakeServer<DattoSettings> {
    let server = MockServer::start().await;
    let sites = sites();
    let devices = devices(&sites);
    let (open, resolved) = alerts(&devices);

    let tokens = TokenEndpoint::password(API_KEY, API_SECRET)
        .client_basic("public-client", "public")
        .token_type("bearer")
        .expires_in(359_999)
        .extra(json!({"scope": "default", "jti": "2b8c3a0e-5a1f-4f0e-9d6a-7c1b2e3f4a5b"}));
    tokens.mount(&server, "/auth/oauth/token").await;
    let denied = Reply::json(
        401,
        json!({"error": "invalid_token", "error_description": "Invalid access token"}),
    );
    mount_gate(&server, path_regex("^/api/"), tokens.bearer(denied)).await;

    let in_path = |field: &'static str| {
        move |req: &Request, item: &Value| {
            segment(req, 3).is_some_and(|s| item.pointer(field).and_then(Value::as_str) == Some(s))
        }
    };
    let of_site = |items: &[Value], key, max, field| {
        let list = paged(items, key, max).filter(in_path(field));
        known(sites.clone(), 3, "Site was not found.", move |req, _| {
            list.respond(req)
        })
    };
    let of_device = |items: &[Value], field| {
        let list = paged(items, "alerts", MAX_ALERT_PAGE).filter(in_path(field));
        known(
            devices.clone(),
            3,
            "Device was not found.",
            move |req, _| list.respond(req),
        )
    };
    let (inventory, none) = (
        paged(&software(), "software", MAX_PAGE),
        paged(&[], "software", MAX_PAGE),
    );
    let software_device = devices[0]["uid"].clone();
    #[rustfmt::skip]
    let routes: Vec<(&str, Box<dyn Respond>)> = vec![
        ("^/api/v2/account$", Box::new(ResponseTemplate::new(200).set_body_json(account()))),
        ("^/api/v2/system/pagination$", Box::new(ResponseTemplate::new(200).set_body_json(json!({"max": MAX_PAGE})))),
        ("^/api/v2/account/sites$", Box::new(paged(&sites, "sites", MAX_PAGE))),
        ("^/api/v2/account/devices$", Box::new(paged(&devices, "devices", MAX_PAGE))),
        ("^/api/v2/account/alerts/open$", Box::new(paged(&open, "alerts", MAX_ALERT_PAGE))),
        ("^/api/v2/account/alerts/resolved$", Box::new(paged(&resolved, "alerts", MAX_ALERT_PAGE))),
        ("^/api/v2/site/[^/]+$", Box::new(known(sites.clone(), 3, "Site was not found.", |_, s| ok(s)))),
        ("^/api/v2/site/[^/]+/devices$", Box::new(of_site(&devices, "devices", MAX_PAGE, "/siteUid"))),
        ("^/api/v2/site/[^/]+/alerts/open$", Box::new(of_site(&open, "alerts", MAX_ALERT_PAGE, "/alertSourceInfo/siteUid"))),
        ("^/api/v2/site/[^/]+/alerts/resolved$", Box::new(of_site(&resolved, "alerts", MAX_ALERT_PAGE, "/alertSourceInfo/siteUid"))),
        ("^/api/v2/device/[^/]+$", Box::new(known(devices.clone(), 3, "Device was not found.", |_, d| ok(d)))),
        ("^/api/v2/device/[^/]+/alerts/open$", Box::new(of_device(&open, "/alertSourceInfo/deviceUid"))),
        ("^/api/v2/device/[^/]+/alerts/resolved$", Box::new(of_device(&resolved, "/alertSourceInfo/deviceUid"))),
        ("^/api/v2/audit/device/[^/]+$", Box::new(audited(devices.clone(), |_, d| ok(&audit(d))))),
        ("^/api/v2/audit/device/[^/]+/software$", Box::new(audited(devices.clone(), move |req, d| {
            if d["uid"] == software_device { inventory.respond(req) } else { none.respond(req) }
        }))),
    ];
    for (at, responder) in routes {
        Mock::given(method("GET"))
            .and(path_regex(at))
            .respond_with(move |r: &Request| responder.respond(r))
            .mount(&server)
            .await;
    }
    // Authorized but unknown: Spring's 404.
    Mock::given(path_regex("^/api/"))
        .respond_with(|req: &Request| not_found(req, "Resource was not found."))
        .with_priority(9)
        .mount(&server)
        .await;

    let mut expected = Expected::new();
    expected.device_with_software = devices[0]["uid"]
        .as_str()
        .map(|d| (d.into(), software().len()));
    expected.organizations = Some(sites.len());
    expected.sites = Some(sites.len());
    expected.devices = Some(devices.len());
    expected.alerts = Some(open.len());
    let settings = DattoSettings {
        base_url: Some(server.uri()),
        allow_insecure_http: true,
        ..DattoSettings::new(SecretString::from(API_KEY), SecretString::from(API_SECRET))
    };
    FakeServer::new(server, settings, expected)
        .secrets([API_KEY, API_SECRET])
        .tokens(tokens.store().clone())
}

fn ok(body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// A list under Datto's envelope, paged by `page` and `max` (at most
/// `max`), with absolute `nextPageUrl` links and the `totalCount`.
fn paged(items: &[Value], key: &'static str, max: u64) -> Paged {
    let scheme = PageScheme::next_url("page", "max", 0);
    Paged::new(items.to_vec(), scheme, move |v| {
        let prev = v.page.checked_sub(1).map(|p| {
            let mut url = v.request.url.clone();
            let rest: Vec<_> = url
                .query_pairs()
                .filter(|(k, _)| k != "page")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(rest)
                .append_pair("page", &p.to_string());
            url.to_string()
        });
        ResponseTemplate::new(200).set_body_json(json!({
            "pageDetails": {"count": v.items.len(), "totalCount": v.total,
                            "prevPageUrl": prev, "nextPageUrl": v.next_url},
            key: v.items,
        }))
    })
    .default_size(max)
    .max_size(max)
}

/// The path segment `at` (`/api/v2/site/{uid}`: 3).
fn segment(req: &Request, at: usize) -> Option<&str> {
    req.url.path_segments().and_then(|mut s| s.nth(at))
}

/// Answers with `answer` for the item whose uid is path segment `at`, or
/// Spring's 404 with `missing`.
fn known(
    items: Vec<Value>,
    at: usize,
    missing: &'static str,
    answer: impl Fn(&Request, &Value) -> ResponseTemplate + Send + Sync + 'static,
) -> impl Respond {
    move |req: &Request| match segment(req, at).and_then(|uid| find_by_id(&items, "uid", uid)) {
        Some(item) => answer(req, item),
        None => not_found(req, missing),
    }
}

/// A device audit route: Datto answers 400 for a device whose class is not
/// `device`.
fn audited(
    devices: Vec<Value>,
    answer: impl Fn(&Request, &Value) -> ResponseTemplate + Send + Sync + 'static,
) -> impl Respond {
    known(devices, 4, "Device was not found.", move |req, d| {
        if d["deviceClass"] == "device" {
            return answer(req, d);
        }
        let message = "Device audit is only available for devices of class device.";
        ResponseTemplate::new(400).set_body_json(spring_error(
            400,
            "Bad Request",
            message,
            req.url.path(),
        ))
    })
}

fn not_found(req: &Request, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(spring_error(
        404,
        "Not Found",
        message,
        req.url.path(),
    ))
}

fn spring_error(status: u16, error: &str, message: &str, at: &str) -> Value {
    json!({
        "timestamp": "2024-06-10T06:13:20.123+00:00",
        "status": status,
        "error": error,
        "message": message,
        "path": at
    })
}

fn account() -> Value {
    json!({
        "id": 1147,
        "uid": ACCOUNT_UID,
        "name": "Northwind MSP",
        "currency": "USD",
        "descriptor": {"bilingEmail": "billing@northwind.example", "deviceLimit": 500, "timeZone": "Europe/London"},
        "devicesStatus": {"numberOfDevices": 12, "numberOfOnlineDevices": 9, "numberOfOfflineDevices": 3,
                          "numberOfOnDemandDevices": 0, "numberOfManagedDevices": 12}
    })
}

fn sites() -> Vec<Value> {
    // id, uid, name, description, linked Autotask company (name, id)
    type Row<'a> = (i64, &'a str, &'a str, &'a str, Option<(&'a str, &'a str)>);
    #[rustfmt::skip]
    let rows: [Row<'_>; 6] = [
        (1021, "8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d", "Acme Dental", "Main practice", Some(("Acme Dental Ltd", "29683541"))),
        (1022, "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6", "Bramble & Co", "", None),
        (1023, "3f9a7c21-6d4e-4b8a-a1c2-5e6f7a8b9c0d", "Harbour Logistics", "Warehouse and depot", Some(("Harbour Logistics plc", "29683577"))),
        (1024, "c5d6e7f8-0a1b-4c2d-9e3f-4a5b6c7d8e9f", "Orchard Veterinary", "Two clinics", Some(("Orchard Vets", "29683602"))),
        (1025, "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", "Kestrel Accountancy", "New client, onboarding", None),
        (1026, "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d", "Deleted Devices", "", None),
    ];
    rows.iter()
        .map(|(id, uid, name, description, autotask)| {
            json!({
                "id": id, "uid": uid, "accountUid": ACCOUNT_UID, "name": name,
                "description": description, "notes": "", "onDemand": false,
                "splashtopAutoInstall": id % 2 == 1, "proxySettings": null,
                "devicesStatus": {"numberOfDevices": 3, "numberOfOnlineDevices": 2, "numberOfOfflineDevices": 1},
                "autotaskCompanyName": autotask.map(|a| a.0), "autotaskCompanyId": autotask.map(|a| a.1),
                "portalUrl": format!("https://merlot.centrastage.net/csm/site/summary/{id}")
            })
        })
        .collect()
}

fn devices(sites: &[Value]) -> Vec<Value> {
    // hostname, category, class, operating system, online
    #[rustfmt::skip]
    let rows: [(&str, &str, &str, &str, bool); 12] = [
        ("ACME-RECEP01", "Desktop", "device", "Microsoft Windows 11 Pro 10.0.26200", true),
        ("ACME-DC01", "Server", "device", "Microsoft Windows Server 2022 Standard 10.0.20348", false),
        ("ACME-LT-JSMITH", "Laptop", "device", "Microsoft Windows 11 Pro 10.0.22631", true),
        ("BRAMBLE-PC1", "Desktop", "device", "Microsoft Windows 10 Pro 10.0.19045", true),
        ("BRAMBLE-MBP", "Laptop", "device", "macOS Sonoma 14.5.0", true),
        ("BRAMBLE-PRN", "Printer", "printer", "", true),
        ("HARBOUR-FS01", "Server", "device", "Microsoft Windows Server 2019 Standard 10.0.17763", true),
        ("HARBOUR-ESX1", "ESXi Host", "esxihost", "VMware ESXi 7.0.3", true),
        ("HARBOUR-WS07", "Desktop", "device", "Microsoft Windows 11 Enterprise 10.0.22631", false),
        ("ORCHARD-RECEP", "Desktop", "device", "Microsoft Windows 11 Pro 10.0.26100", true),
        ("ORCHARD-UBU01", "Server", "device", "Ubuntu 22.04.4 LTS", true),
        ("ORCHARD-LT02", "Laptop", "device", "Microsoft Windows 10 Pro 10.0.19045", false),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (host, category, class, os, online))| {
            let site = &sites[(i / 3).min(sites.len() - 1)];
            let id = 4_410_551 + i as i64;
            let uid = format!("5c3b2a19-0e8d-4f7c-b6a5-4938271{:05x}", 0x60abc + i);
            // Offline devices were last seen in February 2024, before the others.
            let seen = if *online { NOW_MS - i as i64 * 60_000 } else { NOW_MS - (2_500 + 24 * i as i64) * HOUR_MS };
            let agent = *class == "device";
            json!({
                "id": id, "uid": uid, "siteId": site["id"], "siteUid": site["uid"], "siteName": site["name"],
                "deviceType": {"category": category, "type": category},
                "hostname": host,
                "intIpAddress": format!("192.168.{}.{}", 10 + i / 3, 21 + i),
                "operatingSystem": os,
                "lastLoggedInUser": if agent { json!(format!("{}\\user{i}", host.split('-').next().unwrap_or("WORK"))) } else { Value::Null },
                "domain": host.split('-').next().unwrap_or("WORKGROUP"),
                "cagVersion": if agent { json!("11965") } else { Value::Null },
                "displayVersion": if agent { json!("4.4.11965.11965") } else { Value::Null },
                "extIpAddress": format!("203.0.113.{}", 7 + i / 3),
                "description": "",
                "a64Bit": true, "rebootRequired": i % 4 == 1, "online": online,
                "suspended": false, "deleted": false,
                "lastSeen": seen, "lastReboot": seen - 24 * HOUR_MS, "lastAuditDate": seen - HOUR_MS,
                "creationDate": 1_693_900_800_000_i64 + i as i64 * 86_400_000,
                "udf": {"udf1": if i == 0 { json!("Front desk") } else { Value::Null }},
                "snmpEnabled": *class != "device", "deviceClass": class,
                "portalUrl": format!("https://merlot.centrastage.net/csm/search?qs=uid%3A{uid}"),
                "warrantyDate": if agent { json!("2027-01-31") } else { Value::Null },
                "antivirus": {"antivirusProduct": "Microsoft Defender Antivirus", "antivirusStatus": "RunningAndUpToDate"},
                "patchManagement": {"patchStatus": "ApprovedPending", "patchesApprovedPending": 3,
                                    "patchesNotApproved": 12, "patchesInstalled": 187},
                "softwareStatus": "Compliant",
                "webRemoteUrl": format!("https://merlot.centrastage.net/csm/remote/rto/{id}"),
                "networkProbe": false, "onboardedViaNetworkMonitor": false
            })
        })
        .collect()
}

fn audit(device: &Value) -> Value {
    let id = device["id"].as_i64().unwrap_or(0);
    let (maker, model) = match device["deviceType"]["category"].as_str() {
        Some("Laptop") => ("LENOVO", "ThinkPad T14 Gen 4"),
        Some("Server") => ("Dell Inc.", "PowerEdge R650"),
        _ => ("HP", "EliteDesk 800 G9 Desktop Mini PC"),
    };
    json!({
        "portalUrl": device["portalUrl"], "webRemoteUrl": device["webRemoteUrl"],
        "systemInfo": {"manufacturer": maker, "model": model, "totalPhysicalMemory": 17_179_869_184_i64,
                       "username": device["lastLoggedInUser"], "dotNetVersion": "4.8.1", "totalCpuCores": 8},
        "nics": [
            {"instance": "Intel(R) Ethernet Connection (17) I219-LM", "ipv4": device["intIpAddress"],
             "ipv6": "fe80::1c2b:3d4e:5f60:7182", "macAddress": format!("3C:52:82:1A:{:02X}:{:02X}", (id >> 8) & 0xff, id & 0xff), "type": "Ethernet"}
        ],
        "bios": {"instance": "HP Q21 Ver. 02.16.00", "releaseDate": 1_688_169_600_000_i64,
                 "serialNumber": format!("CZC{:07}", id % 10_000_000), "smBiosVersion": "3.4"},
        "baseBoard": {"manufacturer": maker, "product": "8AFF"},
        "displays": [], "logicalDisks": [], "mobileInfo": [], "processors": [], "videoBoards": [],
        "attachedDevices": [], "snmpInfo": null, "physicalMemory": []
    })
}

fn alerts(devices: &[Value]) -> (Vec<Value>, Vec<Value>) {
    // device index, hours ago, priority, diagnostics, context, resolved; the
    // patch and both resolved alerts were raised before March 2024.
    #[rustfmt::skip]
    let rows: [(usize, i64, &str, &str, Value, bool); 8] = [
        (1, 5, "High", "Device ACME-DC01 went offline",
         json!({"@class": "online_offline_status_ctx", "status": "OFFLINE"}), false),
        (0, 10, "Moderate", "Disk C: has 8% free space",
         json!({"@class": "perf_disk_usage_ctx", "diskName": "C:", "totalVolume": 237.9, "freeSpace": 8.0,
                "unitOfMeasure": "PERCENT", "diskNameDesignation": "SINGLE_VOLUME"}), false),
        (6, 15, "Critical", "Ransomware detected: suspicious file renames in D:\\Shares",
         json!({"@class": "ransomware_ctx", "state": 1, "confidenceFactor": 90,
                "affectedDirectories": ["D:\\Shares"], "rwextension": ".locked"}), false),
        // A component (script) monitor: the text is only in `samples`.
        (2, 20, "Moderate", "", json!({"@class": "comp_script_ctx", "samples":
            {"Alert": "Time source mismatch. Source is not in approved list: time.windows.com"}}), false),
        (8, 2_600, "Low", "", json!({"@class": "patch_ctx", "patchUid": "9c1e4a2b", "policyUid": "5d7f3e1a",
                                     "result": "InstallError", "info": "KB5034441 failed with 0x80070643"}), false),
        (10, 25, "Information", "Package nginx changed version",
         json!({"@class": "action_ctx", "packageName": "nginx", "actionType": "VERSION_CHANGED",
                "prevVersion": "1.18.0", "version": "1.24.0"}), false),
        (3, 3_000, "High", "", json!({"@class": "antivirus_ctx", "status": "NOTRUNNING",
                                      "productName": "Microsoft Defender Antivirus"}), true),
        (9, 3_500, "Moderate", "", json!({"@class": "process_resource_usage_ctx", "processName": "sqlservr.exe",
                                          "sample": 97.5, "type": "CPU"}), true),
    ];
    let mut open = Vec::new();
    let mut resolved = Vec::new();
    for (i, (d, hours, priority, diagnostics, context, is_resolved)) in rows.into_iter().enumerate()
    {
        let device = &devices[d];
        let raised = NOW_MS - hours * HOUR_MS + 123;
        let mut alert = json!({
            "alertUid": format!("f004f142-3367-4677-b126-fb8372e1{:04x}", 0xed60 + i),
            "priority": priority,
            "resolved": is_resolved,
            "resolvedBy": if is_resolved { json!("tech@northwind.example") } else { Value::Null },
            "resolvedOn": if is_resolved { json!(raised + 2 * HOUR_MS) } else { Value::Null },
            "muted": false, "ticketNumber": if priority == "Critical" { json!("T20240610.0042") } else { Value::Null },
            "timestamp": raised,
            "alertMonitorInfo": {"sendsEmails": true, "createsTicket": priority == "Critical"},
            "alertContext": context,
            "alertSourceInfo": {"deviceUid": device["uid"], "deviceName": device["hostname"],
                                "siteUid": device["siteUid"], "siteName": device["siteName"]},
            "responseActions": [], "autoresolveMins": 0
        });
        if !diagnostics.is_empty() {
            alert["diagnostics"] = json!(diagnostics);
        }
        if is_resolved {
            resolved.push(alert)
        } else {
            open.push(alert)
        }
    }
    (open, resolved)
}

#[rustfmt::skip]
fn software() -> Vec<Value> {
    [
        ("7-Zip 23.01 (x64)", "23.01"),
        ("Google Chrome", "125.0.6422.142"),
        ("Microsoft 365 Apps for business - en-us", "16.0.17628.20144"),
        ("Microsoft Edge", "125.0.2535.85"),
        ("Adobe Acrobat (64-bit)", "24.002.20759"),
        ("Datto RMM", "4.4.11965.11965"),
        ("Dentrix G7", "7.3.1"),
    ]
    .iter()
    .map(|(name, version)| json!({"name": name, "version": version}))
    .collect()
}
