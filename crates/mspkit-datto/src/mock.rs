//! A fake Datto RMM (feature `mock`): a wiremock server that answers like the
//! platform, for tests, the demo and users' own tests.
//!
//! It checks the password grant (Basic `public-client:public`, the key and
//! secret as user name and password) and the bearer token on every `/api`
//! call, pages lists by `page` and `max` with absolute `nextPageUrl` links,
//! and answers unknown resources with Spring's 404 body.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use mspkit_testkit::wiremock::matchers::{body_string_contains, header, method, path, path_regex};
use mspkit_testkit::wiremock::{Mock, MockServer, ResponseTemplate};
use mspkit_testkit::{PageScheme, PageView, Paged};

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
/// The bearer token it issues.
pub const ACCESS_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.bW9jaw.bW9jay1kYXR0by1zaWduYXR1cmU";
/// `Basic base64("public-client:public")`.
const CLIENT_BASIC: &str = "Basic cHVibGljLWNsaWVudDpwdWJsaWM=";

const ACCOUNT_UID: &str = "ab12cd34";
/// Datto's default and largest page (`GET /v2/system/pagination`).
const MAX_PAGE: u64 = 250;
/// A conservative page for alerts, which page separately.
const MAX_ALERT_PAGE: u64 = 100;
/// 2024-06-10T06:13:20Z in epoch milliseconds: "now" in the fake data.
const NOW_MS: i64 = 1_718_000_000_000;
const HOUR_MS: i64 = 3_600_000;

/// Starts a fake Datto RMM with four sites, twelve devices, seven alerts
/// (five open) and a software audit.
pub async fn start() -> FakeServer<DattoSettings> {
    let server = MockServer::start().await;
    let uri = server.uri();
    let sites = sites();
    let devices = devices(&sites);
    let (open, resolved) = alerts(&devices);
    let software = software();
    let software_device = devices[0]["uid"].as_str().unwrap().to_owned();

    mount_token(&server).await;
    get(
        &server,
        "/api/v2/account",
        ResponseTemplate::new(200).set_body_json(account()),
    )
    .await;
    get(
        &server,
        "/api/v2/system/pagination",
        ResponseTemplate::new(200).set_body_json(json!({"max": MAX_PAGE})),
    )
    .await;

    list(
        &server,
        &uri,
        "/api/v2/account/sites",
        "sites",
        sites.clone(),
        MAX_PAGE,
    )
    .await;
    list(
        &server,
        &uri,
        "/api/v2/account/devices",
        "devices",
        devices.clone(),
        MAX_PAGE,
    )
    .await;
    list(
        &server,
        &uri,
        "/api/v2/account/alerts/open",
        "alerts",
        open.clone(),
        MAX_ALERT_PAGE,
    )
    .await;
    list(
        &server,
        &uri,
        "/api/v2/account/alerts/resolved",
        "alerts",
        resolved.clone(),
        MAX_ALERT_PAGE,
    )
    .await;

    for site in &sites {
        let uid = site["uid"].as_str().unwrap();
        get(
            &server,
            &format!("/api/v2/site/{uid}"),
            ResponseTemplate::new(200).set_body_json(site),
        )
        .await;
        let of_site = |items: &[Value], key: &str| -> Vec<Value> {
            items
                .iter()
                .filter(|i| pointer_str(i, key) == Some(uid))
                .cloned()
                .collect()
        };
        list(
            &server,
            &uri,
            &format!("/api/v2/site/{uid}/devices"),
            "devices",
            of_site(&devices, "/siteUid"),
            MAX_PAGE,
        )
        .await;
        for (state, items) in [("open", &open), ("resolved", &resolved)] {
            let mine = of_site(items, "/alertSourceInfo/siteUid");
            list(
                &server,
                &uri,
                &format!("/api/v2/site/{uid}/alerts/{state}"),
                "alerts",
                mine,
                MAX_ALERT_PAGE,
            )
            .await;
        }
    }
    for device in &devices {
        let uid = device["uid"].as_str().unwrap();
        get(
            &server,
            &format!("/api/v2/device/{uid}"),
            ResponseTemplate::new(200).set_body_json(device),
        )
        .await;
        if device["deviceClass"] == "device" {
            get(
                &server,
                &format!("/api/v2/audit/device/{uid}"),
                ResponseTemplate::new(200).set_body_json(audit(device)),
            )
            .await;
            let items = if uid == software_device {
                software.clone()
            } else {
                Vec::new()
            };
            list(
                &server,
                &uri,
                &format!("/api/v2/audit/device/{uid}/software"),
                "software",
                items,
                MAX_PAGE,
            )
            .await;
        } else {
            let body = spring_error(
                400,
                "Bad Request",
                "Device audit is only available for devices of class device.",
                &format!("/api/v2/audit/device/{uid}"),
            );
            get(
                &server,
                &format!("/api/v2/audit/device/{uid}"),
                ResponseTemplate::new(400).set_body_json(body),
            )
            .await;
        }
        for (state, items) in [("open", &open), ("resolved", &resolved)] {
            let mine: Vec<Value> = items
                .iter()
                .filter(|a| pointer_str(a, "/alertSourceInfo/deviceUid") == Some(uid))
                .cloned()
                .collect();
            list(
                &server,
                &uri,
                &format!("/api/v2/device/{uid}/alerts/{state}"),
                "alerts",
                mine,
                MAX_ALERT_PAGE,
            )
            .await;
        }
    }

    // Authorized but unknown: Spring's 404. Unauthorized: the OAuth2 resource server's 401.
    Mock::given(path_regex("^/api/"))
        .and(header(
            "authorization",
            format!("Bearer {ACCESS_TOKEN}").as_str(),
        ))
        .respond_with(|req: &mspkit_testkit::wiremock::Request| {
            ResponseTemplate::new(404).set_body_json(spring_error(
                404,
                "Not Found",
                "Resource was not found.",
                req.url.path(),
            ))
        })
        .with_priority(9)
        .mount(&server)
        .await;
    Mock::given(path_regex("^/api/"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_token",
            "error_description": "Invalid access token"
        })))
        .with_priority(10)
        .mount(&server)
        .await;

    let expected = {
        let mut e = Expected::new();
        e.organizations = Some(sites.len());
        e.sites = Some(sites.len());
        e.devices = Some(devices.len());
        e.alerts = Some(open.len());
        e.device_with_software = Some((software_device.into(), software.len()));
        e
    };
    FakeServer {
        server,
        settings: DattoSettings {
            platform: None,
            base_url: Some(uri),
            api_key: SecretString::from(API_KEY),
            api_secret: SecretString::from(API_SECRET),
            allow_insecure_http: true,
        },
        expected,
        secrets: Vec::new(),
        tokens: None,
    }
}

async fn mount_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .and(header("authorization", CLIENT_BASIC))
        .and(body_string_contains("grant_type=password"))
        .and(body_string_contains(format!("username={API_KEY}")))
        .and(body_string_contains(format!("password={API_SECRET}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": ACCESS_TOKEN,
            "token_type": "bearer",
            "expires_in": 359_999,
            "scope": "default",
            "jti": "2b8c3a0e-5a1f-4f0e-9d6a-7c1b2e3f4a5b"
        })))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .and(header("authorization", CLIENT_BASIC))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant",
            "error_description": "Bad credentials"
        })))
        .with_priority(9)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "unauthorized",
            "error_description": "Full authentication is required to access this resource"
        })))
        .with_priority(10)
        .mount(server)
        .await;
}

/// A GET route that needs the bearer token.
async fn get(server: &MockServer, at: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(at))
        .and(header(
            "authorization",
            format!("Bearer {ACCESS_TOKEN}").as_str(),
        ))
        .respond_with(response)
        .mount(server)
        .await;
}

/// A paged list under Datto's envelope, with absolute `nextPageUrl` links.
async fn list(
    server: &MockServer,
    uri: &str,
    at: &str,
    key: &'static str,
    items: Vec<Value>,
    max: u64,
) {
    let origin = uri.to_owned();
    let scheme = PageScheme::PageNumber {
        page: "page".into(),
        size: "max".into(),
        first: 0,
    };
    let paged = Paged::new(items, scheme, move |v: &PageView<'_>| {
        let link = |page: u64| {
            let mut url = url::Url::parse(&format!("{origin}{}", v.request.url.path())).unwrap();
            url.query_pairs_mut()
                .append_pair("max", &v.page_size.to_string())
                .append_pair("page", &page.to_string());
            url.to_string()
        };
        let prev = v.page.checked_sub(1).map(link);
        ResponseTemplate::new(200).set_body_json(json!({
            "pageDetails": {
                "count": v.items.len(),
                "totalCount": v.total,
                "prevPageUrl": prev,
                "nextPageUrl": v.next.map(link),
            },
            key: v.items,
        }))
    })
    .default_size(max)
    .max_size(max);
    Mock::given(method("GET"))
        .and(path(at))
        .and(header(
            "authorization",
            format!("Bearer {ACCESS_TOKEN}").as_str(),
        ))
        .respond_with(paged)
        .mount(server)
        .await;
}

fn pointer_str<'a>(v: &'a Value, at: &str) -> Option<&'a str> {
    v.pointer(at).and_then(Value::as_str)
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
    let rows: [Row<'_>; 4] = [
        (
            1021,
            "8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d",
            "Acme Dental",
            "Main practice",
            Some(("Acme Dental Ltd", "29683541")),
        ),
        (
            1022,
            "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6",
            "Bramble & Co",
            "",
            None,
        ),
        (
            1023,
            "3f9a7c21-6d4e-4b8a-a1c2-5e6f7a8b9c0d",
            "Harbour Logistics",
            "Warehouse and depot",
            Some(("Harbour Logistics plc", "29683577")),
        ),
        (
            1024,
            "c5d6e7f8-0a1b-4c2d-9e3f-4a5b6c7d8e9f",
            "Orchard Veterinary",
            "Two clinics",
            Some(("Orchard Vets", "29683602")),
        ),
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
    let rows: [(&str, &str, &str, &str, bool); 12] = [
        (
            "ACME-RECEP01",
            "Desktop",
            "device",
            "Microsoft Windows 11 Pro 10.0.26200",
            true,
        ),
        (
            "ACME-DC01",
            "Server",
            "device",
            "Microsoft Windows Server 2022 Standard 10.0.20348",
            false,
        ),
        (
            "ACME-LT-JSMITH",
            "Laptop",
            "device",
            "Microsoft Windows 11 Pro 10.0.22631",
            true,
        ),
        (
            "BRAMBLE-PC1",
            "Desktop",
            "device",
            "Microsoft Windows 10 Pro 10.0.19045",
            true,
        ),
        (
            "BRAMBLE-MBP",
            "Laptop",
            "device",
            "macOS Sonoma 14.5.0",
            true,
        ),
        ("BRAMBLE-PRN", "Printer", "printer", "", true),
        (
            "HARBOUR-FS01",
            "Server",
            "device",
            "Microsoft Windows Server 2019 Standard 10.0.17763",
            true,
        ),
        (
            "HARBOUR-ESX1",
            "ESXi Host",
            "esxihost",
            "VMware ESXi 7.0.3",
            true,
        ),
        (
            "HARBOUR-WS07",
            "Desktop",
            "device",
            "Microsoft Windows 11 Enterprise 10.0.22631",
            false,
        ),
        (
            "ORCHARD-RECEP",
            "Desktop",
            "device",
            "Microsoft Windows 11 Pro 10.0.26100",
            true,
        ),
        (
            "ORCHARD-UBU01",
            "Server",
            "device",
            "Ubuntu 22.04.4 LTS",
            true,
        ),
        (
            "ORCHARD-LT02",
            "Laptop",
            "device",
            "Microsoft Windows 10 Pro 10.0.19045",
            false,
        ),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (host, category, class, os, online))| {
            let site = &sites[(i / 3).min(sites.len() - 1)];
            let id = 4_410_551 + i as i64;
            let uid = format!("5c3b2a19-0e8d-4f7c-b6a5-4938271{:05x}", 0x60abc + i);
            let seen = if *online { NOW_MS - i as i64 * 60_000 } else { NOW_MS - (48 + i as i64) * HOUR_MS };
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
    // device index, priority, diagnostics, context, resolved
    let rows: [(usize, &str, &str, Value, bool); 7] = [
        (
            1,
            "High",
            "Device ACME-DC01 went offline",
            json!({"@class": "online_offline_status_ctx", "status": "OFFLINE"}),
            false,
        ),
        (
            0,
            "Moderate",
            "Disk C: has 8% free space",
            json!({"@class": "perf_disk_usage_ctx", "diskName": "C:", "totalVolume": 237.9, "freeSpace": 8.0, "unitOfMeasure": "PERCENT", "diskNameDesignation": "SINGLE_VOLUME"}),
            false,
        ),
        (
            6,
            "Critical",
            "Ransomware detected: suspicious file renames in D:\\Shares",
            json!({"@class": "ransomware_ctx"}),
            false,
        ),
        (
            8,
            "Low",
            "",
            json!({"@class": "patch_ctx", "patchStatus": "InstallError"}),
            false,
        ),
        (
            10,
            "Information",
            "Package nginx changed version",
            json!({"@class": "action_ctx", "packageName": "nginx", "actionType": "VERSION_CHANGED", "prevVersion": "1.18.0", "version": "1.24.0"}),
            false,
        ),
        (
            3,
            "High",
            "Antivirus not running",
            json!({"@class": "antivirus_ctx", "status": "NotRunning"}),
            true,
        ),
        (
            9,
            "Moderate",
            "CPU usage above 95% for 15 minutes",
            json!({"@class": "resource_usage_ctx", "type": "CPU"}),
            true,
        ),
    ];
    let mut open = Vec::new();
    let mut resolved = Vec::new();
    for (i, (d, priority, diagnostics, context, is_resolved)) in rows.into_iter().enumerate() {
        let device = &devices[d];
        let raised = NOW_MS - (i as i64 + 1) * 5 * HOUR_MS + 123;
        let alert = json!({
            "alertUid": format!("f004f142-3367-4677-b126-fb8372e1{:04x}", 0xed60 + i),
            "priority": priority, "diagnostics": diagnostics,
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
        if is_resolved {
            resolved.push(alert)
        } else {
            open.push(alert)
        }
    }
    (open, resolved)
}

fn software() -> Vec<Value> {
    [
        ("7-Zip 23.01 (x64)", "23.01"),
        ("Google Chrome", "125.0.6422.142"),
        (
            "Microsoft 365 Apps for business - en-us",
            "16.0.17628.20144",
        ),
        ("Microsoft Edge", "125.0.2535.85"),
        ("Adobe Acrobat (64-bit)", "24.002.20759"),
        ("Datto RMM", "4.4.11965.11965"),
        ("Dentrix G7", "7.3.1"),
    ]
    .iter()
    .map(|(name, version)| json!({"name": name, "version": version}))
    .collect()
}
