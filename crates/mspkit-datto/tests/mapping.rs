//! The provider notes' samples mapped into the normalized model, every field
//! checked, and Datto's odd encodings.

// Helpers outside #[test] functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use futures::TryStreamExt;
use mspkit_core::http::decode_json;
use mspkit_core::{
    AlertQuery, DeviceQuery, DeviceType, ErrorKind, Id, ListQuery, Provider, RmmClient, Severity,
};
use mspkit_datto::{DattoClient, api, map};
use mspkit_testkit::{received, request_target};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SITES_PAGE: &str = r#"{
  "pageDetails": {"count": 2, "totalCount": 5, "prevPageUrl": null,
                  "nextPageUrl": "https://merlot-api.centrastage.net/api/v2/account/sites?max=2&page=1"},
  "sites": [
    {"id": 1021, "uid": "8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d", "accountUid": "ab12cd34", "name": "Acme Dental",
     "description": "Main practice", "notes": "", "onDemand": false, "splashtopAutoInstall": true,
     "proxySettings": null,
     "devicesStatus": {"numberOfDevices": 14, "numberOfOnlineDevices": 11, "numberOfOfflineDevices": 3},
     "autotaskCompanyName": "Acme Dental Ltd", "autotaskCompanyId": "29683541",
     "portalUrl": "https://merlot.centrastage.net/csm/site/summary/1021"},
    {"id": 1022, "uid": "0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6", "accountUid": "ab12cd34", "name": "Bramble & Co",
     "description": "", "notes": "", "onDemand": false, "splashtopAutoInstall": false, "proxySettings": null,
     "devicesStatus": {"numberOfDevices": 3, "numberOfOnlineDevices": 3, "numberOfOfflineDevices": 0},
     "autotaskCompanyName": null, "autotaskCompanyId": null,
     "portalUrl": "https://merlot.centrastage.net/csm/site/summary/1022"}
  ]
}"#;

const DEVICE: &str = r#"{"id": 4410551, "uid": "5c3b2a19-0e8d-4f7c-b6a5-493827160abc", "siteId": 1021, "siteUid": "8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d",
 "siteName": "Acme Dental", "deviceType": {"category": "Desktop", "type": "Desktop"}, "hostname": "ACME-RECEP01",
 "intIpAddress": "192.168.10.21", "operatingSystem": "Microsoft Windows 11 Pro 10.0.26200", "lastLoggedInUser": "ACME\\jsmith",
 "domain": "ACME", "cagVersion": "11965", "displayVersion": "4.4.11965.11965", "extIpAddress": "203.0.113.7",
 "description": "Reception", "a64Bit": true, "rebootRequired": false, "online": true, "suspended": false, "deleted": false,
 "lastSeen": 1718000000000, "lastReboot": 1717900000000, "lastAuditDate": 1717990000000, "creationDate": 1693900800000,
 "udf": {"udf1": "Front desk", "udf2": null, "udf3": null}, "snmpEnabled": false, "deviceClass": "device",
 "portalUrl": "https://merlot.centrastage.net/csm/search?qs=uid%3A5c3b2a19-0e8d-4f7c-b6a5-493827160abc",
 "warrantyDate": "2027-01-31",
 "antivirus": {"antivirusProduct": "Microsoft Defender Antivirus", "antivirusStatus": "RunningAndUpToDate"},
 "patchManagement": {"patchStatus": "ApprovedPending", "patchesApprovedPending": 3, "patchesNotApproved": 12, "patchesInstalled": 187},
 "softwareStatus": "Compliant", "webRemoteUrl": "https://merlot.centrastage.net/csm/remote/rto/4410551",
 "networkProbe": false, "onboardedViaNetworkMonitor": false}"#;

const ALERTS_PAGE: &str = r#"{"pageDetails": {"count": 1, "totalCount": 1, "prevPageUrl": null, "nextPageUrl": null},
 "alerts": [{"alertUid": "f004f142-3367-4677-b126-fb8372e1ed60", "priority": "High",
   "diagnostics": "Device ACME-DC01 went offline", "resolved": false, "resolvedBy": null, "resolvedOn": null,
   "muted": false, "ticketNumber": null, "timestamp": 1717310300123,
   "alertMonitorInfo": {"sendsEmails": true, "createsTicket": false},
   "alertContext": {"@class": "online_offline_status_ctx", "status": "OFFLINE"},
   "alertSourceInfo": {"deviceUid": "77aa88bb-99cc-4dde-8eff-001122334455", "deviceName": "ACME-DC01",
                       "siteUid": "8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d", "siteName": "Acme Dental"},
   "responseActions": [], "autoresolveMins": 0}]}"#;

const SOFTWARE_PAGE: &str = r#"{"pageDetails": {"count": 2, "totalCount": 2, "prevPageUrl": null, "nextPageUrl": null},
 "software": [{"name": "7-Zip 23.01 (x64)", "version": "23.01"}, {"name": "Google Chrome", "version": "125.0.6422.142"}]}"#;

fn ms(n: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(n)
}

/// A server with the token endpoint, serving `body` at `route` (its first
/// page, asked for without `page`).
async fn serve(route: &str, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "t", "token_type": "bearer", "expires_in": 359999}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, keep_raw: bool) -> DattoClient {
    DattoClient::builder()
        .base_url(server.uri())
        .api_key("k")
        .api_secret("s")
        .allow_insecure_http()
        .keep_raw(keep_raw)
        .rate_limit(None)
        .retry_policy(mspkit_testkit::fast_retry())
        .build()
        .unwrap()
}

#[tokio::test]
async fn sites_are_organizations_and_sites_of_themselves() {
    // The notes' first page of five sites, its next page on this server.
    let mut first: Value = serde_json::from_str(SITES_PAGE).unwrap();
    let sample_next = first["pageDetails"]["nextPageUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    // (The token endpoint; the first page is mounted once the address is known.)
    let server = serve("/api/v2/account/sites", json!({})).await;
    let next = sample_next.replace("https://merlot-api.centrastage.net", &server.uri());
    first["pageDetails"]["nextPageUrl"] = json!(next);
    Mock::given(method("GET"))
        .and(path("/api/v2/account/sites"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first.clone()))
        .with_priority(1)
        .mount(&server)
        .await;
    let more: Vec<Value> = (3..=5)
        .map(|n| json!({"id": 1020 + n, "uid": format!("site-{n}"), "name": format!("Site {n}")}))
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/v2/account/sites"))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "pageDetails": {"count": 3, "totalCount": 5, "prevPageUrl": null, "nextPageUrl": null},
            "sites": more})))
        .mount(&server)
        .await;

    let orgs: Vec<_> = client(&server, true)
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    // The walk followed nextPageUrl and arrived at the total the page named.
    let total_count = Some(orgs.len() as u64);
    assert_eq!(total_count, Some(5));
    let asked = received(&server).await;
    let next_page_url = asked
        .iter()
        .find(|r| r.url.query().is_some_and(|q| q.contains("page=")))
        .map(|r| format!("https://merlot-api.centrastage.net{}", request_target(r)));
    assert_eq!(
        next_page_url.as_deref(),
        Some("https://merlot-api.centrastage.net/api/v2/account/sites?max=2&page=1")
    );

    let org = &orgs[0];
    assert_eq!(org.id, Id::from("8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d"));
    assert_eq!(org.provider, Provider::Datto);
    assert_eq!(org.name, "Acme Dental");
    assert_eq!(org.created_at, None, "sites carry no timestamps");
    assert_eq!(org.updated_at, None);
    assert_eq!(
        org.raw.as_ref().unwrap()["id"],
        1021,
        "the numeric id stays in raw"
    );

    let sites: Vec<_> = client(&server, false)
        .sites(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let site = &sites[1];
    assert_eq!(site.id, Id::from("0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"));
    assert_eq!(site.provider, Provider::Datto);
    assert_eq!(site.name, "Bramble & Co");
    assert_eq!(site.organization_id, Some(site.id.clone()));
    assert_eq!(site.raw, None);
    let bramble: api::Site = serde_json::from_value(first["sites"][1].clone()).unwrap();
    assert_eq!(bramble.autotask_company_id, None);
}

#[test]
fn the_device_sample_maps_every_field() {
    let d: api::Device = decode_json(Provider::Datto, "device", DEVICE.as_bytes()).unwrap();
    assert_eq!(d.id, Some(4410551));
    assert_eq!(d.last_reboot, ms(1717900000000));
    assert_eq!(d.last_audit_date, ms(1717990000000));
    assert_eq!(d.creation_date, ms(1693900800000));
    assert_eq!(d.warranty_date.as_deref(), Some("2027-01-31"));
    let device = map::device(d, None);
    let site = Some(Id::from("8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d"));
    assert_eq!(device.id, Id::from("5c3b2a19-0e8d-4f7c-b6a5-493827160abc"));
    assert_eq!(device.provider, Provider::Datto);
    assert_eq!(device.organization_id, site);
    assert_eq!(device.site_id, site);
    assert_eq!(device.hostname.as_deref(), Some("ACME-RECEP01"));
    assert_eq!(device.display_name, None);
    assert_eq!(device.device_type, DeviceType::Workstation);
    assert_eq!(device.os_name.as_deref(), Some("Microsoft Windows 11 Pro"));
    assert_eq!(device.os_version.as_deref(), Some("10.0.26200"));
    assert_eq!(device.online, Some(true));
    assert_eq!(
        device.last_seen,
        Some(Utc.with_ymd_and_hms(2024, 6, 10, 6, 13, 20).unwrap())
    );
    assert_eq!(device.ip_addresses, ["192.168.10.21", "203.0.113.7"]);
    assert!(device.mac_addresses.is_empty(), "MACs come from the audit");
    assert_eq!(device.serial_number, None);
    assert_eq!(device.manufacturer, None);
    assert_eq!(device.model, None);
    assert_eq!(device.agent_version.as_deref(), Some("4.4.11965.11965"));
    assert_eq!(device.logged_in_user.as_deref(), Some("ACME\\jsmith"));
    assert_eq!(device.raw, None);

    let audit: api::DeviceAudit = serde_json::from_value(serde_json::json!({
        "portalUrl": "https://merlot.centrastage.net/csm/search?qs=uid%3A5c3b2a19-0e8d-4f7c-b6a5-493827160abc",
        "systemInfo": {"manufacturer": "HP", "model": "EliteDesk 800 G9 Desktop Mini PC",
                       "totalPhysicalMemory": 17179869184_i64, "username": "ACME\\jsmith",
                       "dotNetVersion": "4.8.1", "totalCpuCores": 8},
        "nics": [{"instance": "Intel(R) Ethernet Connection (17) I219-LM", "ipv4": "192.168.10.21",
                  "ipv6": "fe80::1c2b:3d4e:5f60:7182", "macAddress": "3C:52:82:1A:2B:3C", "type": "Ethernet"},
                 {"instance": "Wi-Fi", "ipv4": "", "ipv6": null, "macAddress": "", "type": "Wireless"}],
        "bios": {"instance": "HP Q21 Ver. 02.16.00", "releaseDate": 1688169600000_i64,
                 "serialNumber": "CZC3271X9Q", "smBiosVersion": "3.4"},
        "displays": [], "logicalDisks": [], "processors": [], "snmpInfo": null
    }))
    .unwrap();
    let full = map::with_audit(device, audit);
    assert_eq!(full.serial_number.as_deref(), Some("CZC3271X9Q"));
    assert_eq!(full.manufacturer.as_deref(), Some("HP"));
    assert_eq!(
        full.model.as_deref(),
        Some("EliteDesk 800 G9 Desktop Mini PC")
    );
    assert_eq!(full.mac_addresses, ["3C:52:82:1A:2B:3C"]);
    assert_eq!(
        full.ip_addresses,
        ["192.168.10.21", "203.0.113.7", "fe80::1c2b:3d4e:5f60:7182"]
    );
}

#[test]
fn the_alert_sample_maps_every_field() {
    let page: Value = serde_json::from_str(ALERTS_PAGE).unwrap();
    let a: api::Alert = serde_json::from_value(page["alerts"][0].clone()).unwrap();
    let a = map::alert(a, None);
    assert_eq!(a.id, Id::from("f004f142-3367-4677-b126-fb8372e1ed60"));
    assert_eq!(a.provider, Provider::Datto);
    assert_eq!(
        a.device_id,
        Some(Id::from("77aa88bb-99cc-4dde-8eff-001122334455"))
    );
    assert_eq!(
        a.organization_id,
        Some(Id::from("8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d"))
    );
    assert_eq!(a.severity, Severity::Error);
    assert_eq!(a.message, "Device ACME-DC01 went offline");
    assert_eq!(a.created_at, ms(1717310300123));
    assert!(!a.resolved);
    assert_eq!(a.resolved_at, None);
    assert_eq!(a.raw, None);
}

#[test]
fn a_resolved_alert_without_diagnostics_reads_its_context() {
    let json = r#"{"alertUid": "a1", "priority": "Moderate", "diagnostics": "", "resolved": true,
        "resolvedBy": "tech@northwind.example", "resolvedOn": 1717317500123, "timestamp": 1717310300123,
        "alertContext": {"@class": "perf_disk_usage_ctx", "diskName": "C:", "freeSpace": 8.0, "unitOfMeasure": "PERCENT"},
        "alertSourceInfo": null}"#;
    let a: api::Alert = decode_json(Provider::Datto, "alerts", json.as_bytes()).unwrap();
    let a = map::alert(a, None);
    assert_eq!(a.message, "Disk C: 8% free");
    assert!(a.resolved);
    assert_eq!(a.resolved_at, ms(1717317500123));
    assert_eq!((a.device_id, a.organization_id), (None, None));
    assert_eq!(a.severity, Severity::Warning);
}

#[tokio::test]
async fn the_software_sample_maps_name_and_version() {
    let server = serve(
        "/api/v2/audit/device/5c3b2a19-0e8d-4f7c-b6a5-493827160abc/software",
        serde_json::from_str(SOFTWARE_PAGE).unwrap(),
    )
    .await;
    let device = Id::from("5c3b2a19-0e8d-4f7c-b6a5-493827160abc");
    let s: Vec<_> = client(&server, false)
        .software(&device)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(s[0].name, "7-Zip 23.01 (x64)");
    assert_eq!(s[0].version.as_deref(), Some("23.01"));
    assert_eq!(s[1].name, "Google Chrome");
    assert_eq!(s[1].version.as_deref(), Some("125.0.6422.142"));
    for item in &s {
        assert_eq!(item.device_id, device);
        assert_eq!(item.provider, Provider::Datto);
        assert_eq!(item.publisher, None, "the audit has no publisher");
        assert_eq!(item.installed_at, None, "nor an install date");
    }
}

#[test]
fn priorities_map_to_severities() {
    for (priority, severity) in [
        (Some("Critical"), Severity::Critical),
        (Some("High"), Severity::Error),
        (Some("Moderate"), Severity::Warning),
        (Some("Low"), Severity::Warning),
        (Some("Information"), Severity::Info),
        (Some("Unknown"), Severity::Other),
        (None, Severity::Other),
    ] {
        assert_eq!(map::severity(priority), severity, "{priority:?}");
    }
}

#[test]
fn device_class_and_category_give_the_type() {
    let kind = |c: &str| api::DeviceKind {
        category: Some(c.into()),
        kind: Some(c.into()),
    };
    for (category, class, expected) in [
        ("Desktop", "device", DeviceType::Workstation),
        ("Laptop", "device", DeviceType::Laptop),
        ("Server", "device", DeviceType::Server),
        ("Printer", "printer", DeviceType::Network),
        ("Network Device", "rmmnetworkdevice", DeviceType::Network),
        ("ESXi Host", "esxihost", DeviceType::Server),
        ("Mobile Device", "device", DeviceType::Mobile),
        ("Virtual Machine", "device", DeviceType::VirtualMachine),
        ("Unknown", "unknown", DeviceType::Other),
    ] {
        assert_eq!(
            map::device_type(Some(&kind(category)), Some(class)),
            expected,
            "{category}"
        );
    }
    assert_eq!(map::device_type(None, None), DeviceType::Other);
}

#[test]
fn the_operating_system_string_splits_only_at_a_trailing_version() {
    assert_eq!(
        map::split_os(Some("macOS Sonoma 14.5.0")),
        (Some("macOS Sonoma".into()), Some("14.5.0".into()))
    );
    assert_eq!(
        map::split_os(Some("Ubuntu 22.04.4 LTS")),
        (Some("Ubuntu 22.04.4 LTS".into()), None)
    );
    assert_eq!(
        map::split_os(Some("Windows 11")),
        (Some("Windows 11".into()), None)
    );
    assert_eq!(map::split_os(Some("  ")), (None, None));
    assert_eq!(map::split_os(None), (None, None));
}

/// The devices of a one-page list, read through the client.
async fn devices_from(devices: &str) -> mspkit_core::Result<Vec<mspkit_core::Device>> {
    let body =
        format!(r#"{{"pageDetails": {{"count": 1, "nextPageUrl": null}}, "devices": {devices}}}"#);
    let server = serve(
        "/api/v2/account/devices",
        serde_json::from_str(&body).unwrap(),
    )
    .await;
    client(&server, false)
        .devices(DeviceQuery::new())
        .try_collect()
        .await
}

async fn last_seen(value: &str) -> mspkit_core::Result<Option<DateTime<Utc>>> {
    let devices = devices_from(&format!(r#"[{{"uid": "d1", "lastSeen": {value}}}]"#)).await?;
    Ok(devices[0].last_seen)
}

#[tokio::test]
async fn timestamps_in_every_form_datto_sends() {
    let at = ms(1718000000000);
    assert_eq!(last_seen("1718000000000").await.unwrap(), at, "epoch ms");
    assert_eq!(
        last_seen("1718000000000.0").await.unwrap(),
        at,
        "epoch ms as a float"
    );
    assert_eq!(
        last_seen(r#""1718000000000""#).await.unwrap(),
        at,
        "epoch ms as text"
    );
    assert_eq!(last_seen("1718000000").await.unwrap(), at, "epoch seconds");
    assert_eq!(
        last_seen(r#""2024-06-10T06:13:20Z""#).await.unwrap(),
        at,
        "RFC 3339"
    );
    assert_eq!(
        last_seen("-62135596800000").await.unwrap(),
        None,
        ".NET DateTime.MinValue"
    );
    assert_eq!(last_seen("0").await.unwrap(), None);
    assert_eq!(last_seen("null").await.unwrap(), None);
    assert_eq!(last_seen(r#""""#).await.unwrap(), None);
}

#[tokio::test]
async fn an_unreadable_value_is_a_decode_error_naming_the_field() {
    match last_seen(r#""yesterday""#).await {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default();
            let source = std::error::Error::source(&e).unwrap();
            assert_eq!(path, "devices[0].lastSeen");
            assert!(source.to_string().contains("yesterday"), "{source}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&last_seen("true").await, Err(e) if e.kind() == ErrorKind::Decode && e.decode_path() == Some("devices[0].lastSeen"))
    );
    let no_uid = devices_from(r#"[{"hostname": "X"}]"#).await;
    match no_uid {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default();
            assert_eq!(path, "devices[0]")
        }
        other => panic!("{other:?}"),
    }
    let wrong_online = devices_from(r#"[{"uid": "d1", "online": "yes"}]"#).await;
    assert!(
        matches!(&wrong_online, Err(e) if e.kind() == ErrorKind::Decode && e.decode_path() == Some("devices[0].online"))
    );
}

#[tokio::test]
async fn a_null_list_is_a_decode_error_and_unknown_fields_are_ignored() {
    let alerts = |list: &str| {
        let body = format!(
            r#"{{"pageDetails": {{"count": 0, "totalCount": 0, "nextPageUrl": null, "newField": 1}}, "alerts": {list}}}"#
        );
        async move {
            let server = serve(
                "/api/v2/account/alerts/open",
                serde_json::from_str(&body).unwrap(),
            )
            .await;
            client(&server, false)
                .alerts(AlertQuery::new())
                .try_collect::<Vec<_>>()
                .await
        }
    };
    assert!(alerts("[]").await.unwrap().is_empty());
    // `null` where the list belongs looks like an error answered with 200:
    // the kit's walk refuses it rather than reading it as no alerts.
    let null = alerts("null").await;
    assert!(
        matches!(&null, Err(e) if e.kind() == ErrorKind::Decode),
        "{null:?}"
    );
}

#[test]
fn the_ip_block_parser_leaves_other_statuses_alone() {
    use mspkit_core::reqwest::StatusCode;
    let body = br#"{"status": 404, "error": "Not Found", "message": "Device was not found."}"#;
    let parsed = api::error_body(StatusCode::NOT_FOUND, body);
    assert_eq!(parsed.message.as_deref(), Some("Device was not found."));
    assert_eq!(parsed.kind, None);
    let blocked = api::error_body(
        StatusCode::FORBIDDEN,
        b"Too Many Requests - IP temporarily blocked",
    );
    assert!(blocked.message.unwrap().starts_with(api::IP_BLOCK_MESSAGE));
}

// ---- alert contexts: every type in the API document reads as text ----
//
// An alert often has no `diagnostics` (a component's text sits only in
// `alertContext.samples`); the message then comes from the context, never
// from its class name. One test per context schema of the API document, in
// its field names (values invented; `@class` names as Datto sends them
// where known).

fn message_of(context: Value) -> String {
    let alert: api::Alert = serde_json::from_value(json!({
        "alertUid": "f004f142-3367-4677-b126-fb8372e1ed99", "priority": "Moderate", "resolved": false,
        "timestamp": 1717310300123_i64, "alertContext": context,
        "alertSourceInfo": {"deviceUid": "d1", "deviceName": "ACME-RECEP01", "siteUid": "s1", "siteName": "Acme Dental"}
    }))
    .unwrap();
    map::alert(alert, None).message
}

macro_rules! context_reads {
    ($($name:ident: $context:tt => $message:expr;)*) => {$(
        #[test]
        fn $name() {
            assert_eq!(message_of(json!($context)), $message);
        }
    )*};
}

context_reads! {
    script_context_reads_its_sample:
        {"@class": "comp_script_ctx", "samples": {"Alert": "BSODView Command has Failed:  exit code 3"}}
        => "BSODView Command has Failed: exit code 3";
    script_context_names_several_samples:
        {"@class": "comp_script_ctx", "samples": {"Result": "Time source mismatch.", "Source": "time.windows.com"}}
        => "Result: Time source mismatch.; Source: time.windows.com";
    script_context_without_samples_names_its_kind:
        {"@class": "comp_script_ctx", "samples": {}} => "component script alert";
    action_context:
        {"@class": "action_ctx", "packageName": "nginx", "actionType": "VERSION_CHANGED", "prevVersion": "1.18.0", "version": "1.24.0"}
        => "Package nginx changed version from 1.18.0 to 1.24.0";
    antivirus_context:
        {"@class": "antivirus_ctx", "status": "NOTRUNNING", "productName": "Microsoft Defender Antivirus"}
        => "Microsoft Defender Antivirus not running";
    backup_management_context:
        {"@class": "backup_management_ctx", "errorMessage": "Job 'Nightly' failed: target unreachable", "timeout": 0}
        => "Backup: Job 'Nightly' failed: target unreachable";
    custom_snmp_context:
        {"@class": "custom_snmp_ctx", "displayName": "UPS battery", "currentValue": "42", "monitorInstance": "ups1"}
        => "UPS battery ups1: 42";
    disk_health_context:
        {"@class": "disk_health_ctx", "reason": "SMART predicts failure on disk 0", "type": "DISKHEALTH"}
        => "diskhealth: SMART predicts failure on disk 0";
    disk_usage_context:
        {"@class": "perf_disk_usage_ctx", "diskName": "C:", "totalVolume": 237.9, "freeSpace": 8.0, "unitOfMeasure": "PERCENT", "diskNameDesignation": "SINGLE_VOLUME"}
        => "Disk C: 8% free of 237.9";
    endpoint_security_threat_context:
        {"@class": "endpoint_security_threat_ctx", "esAlertId": "es-1182", "description": "Trojan:Win32/Wacatac blocked"}
        => "Trojan:Win32/Wacatac blocked";
    endpoint_security_windows_defender_context:
        {"@class": "endpoint_security_windows_defender_ctx", "esAlertId": "wd-77", "description": "Real-time protection turned off"}
        => "Real-time protection turned off";
    event_log_context:
        {"@class": "eventlog_ctx", "logName": "System", "code": "41", "type": "ERROR", "source": "Kernel-Power",
         "description": "The system has rebooted without cleanly shutting down first.", "triggerCount": 1}
        => "System log: Kernel-Power event 41 error: The system has rebooted without cleanly shutting down first.";
    fan_context:
        {"@class": "fan_ctx", "reason": "Fan 2 stopped", "type": "FAN"} => "fan: Fan 2 stopped";
    file_system_context:
        {"@class": "fs_object_ctx", "sample": 5120, "threshold": 4096, "path": "D:\\Shares\\Scans", "objectType": "DIRECTORY", "condition": "ABOVE_THRESHOLD"}
        => "directory D:\\Shares\\Scans: above threshold (5120, threshold 4096)";
    network_monitor_context:
        {"@class": "network_monitor_ctx", "description": "Switch port 12 is down"} => "Switch port 12 is down";
    online_offline_status_context:
        {"@class": "online_offline_status_ctx", "status": "OFFLINE"} => "Device offline";
    patch_context:
        {"@class": "patch_ctx", "patchUid": "p-1", "policyUid": "pol-9", "result": "InstallError", "info": "KB5034441 failed with 0x80070643"}
        => "Patch InstallError: KB5034441 failed with 0x80070643";
    ping_context:
        {"@class": "ping_ctx", "instanceName": "gateway 192.168.10.1", "roundtripTime": 950, "reasons": ["Packet loss 40%"]}
        => "Ping gateway 192.168.10.1: Packet loss 40% (950 ms)";
    printer_context:
        {"@class": "printer_ctx", "ipAddress": "192.168.10.50", "macAddress": "00:1B:A9:12:34:56", "markerSupplyIndex": 1, "currentLevel": 4}
        => "Printer 192.168.10.50 supply 1 at 4%";
    psu_context:
        {"@class": "psu_ctx", "reason": "Power supply 1 lost redundancy", "type": "PSU"} => "psu: Power supply 1 lost redundancy";
    ransomware_context:
        {"@class": "ransomware_ctx", "state": 1, "confidenceFactor": 90, "affectedDirectories": ["D:\\Shares"], "rwextension": ".locked"}
        => "Ransomware behaviour in D:\\Shares (files renamed to .locked)";
    resource_usage_context:
        {"@class": "process_resource_usage_ctx", "processName": "sqlservr.exe", "sample": 97.5, "type": "CPU"}
        => "CPU usage 97.5% by sqlservr.exe";
    snmp_probe_context:
        {"@class": "snmp_probe_ctx", "ipAddress": "192.168.10.2", "OID": "1.3.6.1.2.1.1.3.0", "ruleName": "Uptime reset",
         "responseValue": "0", "deviceName": "core-sw1", "monitorName": "Switch uptime"}
        => "Switch uptime on core-sw1 192.168.10.2: 0 (1.3.6.1.2.1.1.3.0)";
    script_context_of_the_spec:
        {"@class": "script_ctx", "samples": {"Output": "Backup agent not found"}} => "Backup agent not found";
    security_center_context:
        {"@class": "wsc_ctx", "productName": "Windows Firewall", "alertType": "DISABLED"} => "Windows Firewall disabled";
    security_management_context:
        {"@class": "security_management_ctx", "status": 2, "productName": "Datto AV", "virusName": "EICAR-Test-File", "infectedFiles": ["C:\\Users\\Public\\eicar.com"]}
        => "EICAR-Test-File found in C:\\Users\\Public\\eicar.com by Datto AV";
    status_context:
        {"@class": "process_status_ctx", "processName": "Spooler", "status": "STOPPED"} => "Spooler is stopped";
    temperature_context:
        {"@class": "temperature_ctx", "degree": 86.0, "type": "CPU"} => "cpu temperature 86°C";
    windows_performance_context:
        {"@class": "perf_mon_ctx", "value": 93.25} => "Performance counter at 93.25";
    wmi_context:
        {"@class": "wmi_ctx", "value": "Stopped"} => "WMI query returned Stopped";
    an_unknown_context_names_its_kind:
        {"@class": "srvc_resource_usage_ctx"} => "service resource usage alert";
}

/// The real shape of a component alert: no `diagnostics` at all, the text in
/// `samples`; read through the client, as the fake serves it.
#[tokio::test]
async fn a_component_alert_reads_its_samples_through_the_client() {
    let fake = mspkit_datto::mock::start().await;
    let c = DattoClient::from_settings(&fake.settings).unwrap();
    let alerts: Vec<_> = c.alerts(AlertQuery::new()).try_collect().await.unwrap();
    assert!(
        alerts
            .iter()
            .all(|a| !a.message.is_empty() && !a.message.ends_with("_ctx"))
    );
    assert!(
        alerts.iter().any(|a| a.message
            == "Time source mismatch. Source is not in approved list: time.windows.com"),
        "{:?}",
        alerts.iter().map(|a| &a.message).collect::<Vec<_>>()
    );
}
