//! The provider notes' NinjaOne samples, served as NinjaOne sends them and
//! mapped into the normalized model, every field checked; odd encodings and
//! unreadable values.

// Helpers outside #[test] fns unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    AlertQuery, DeviceQuery, DeviceType, ErrorKind, Id, ListQuery, Provider, RmmClient, Severity,
};
use mspkit_ninja::NinjaOneClient;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `GET /v2/organizations?pageSize=2` from the notes.
fn organizations_sample() -> Value {
    json!([
      {"name":"Acme Dental","description":"Dental practice, 2 sites","nodeApprovalMode":"AUTOMATIC","tags":[],"fields":{},"id":2},
      {"name":"Bramble & Co","description":"","nodeApprovalMode":"MANUAL","tags":["vip"],"fields":{"contractTier":"gold"},"id":5}
    ])
}

/// `GET /v2/devices-detailed?pageSize=2&df=org%20%3D%202` from the notes.
fn devices_sample() -> Value {
    json!([
      {"id":17,"uid":"3f6c1c2e-8a0b-4f38-9d1e-6f5a1b2c3d4e","organizationId":2,"locationId":3,"nodeClass":"WINDOWS_WORKSTATION",
       "nodeRoleId":1,"rolePolicyId":12,"approvalStatus":"APPROVED","offline":false,"displayName":"Reception PC",
       "systemName":"ACME-RECEP01","dnsName":"ACME-RECEP01.acme.local","netbiosName":"ACME-RECEP01",
       "created":1693900800.512,"lastContact":1718000000.25,"lastUpdate":1717999940.911,"tags":[],"fields":{},
       "maintenance":{"status":"PENDING","start":0.0,"end":0.0},
       "ipAddresses":["192.168.10.21","fe80::1c2b:3a4d:5e6f:7081"],"macAddresses":["00:15:5D:0A:1B:2C"],"publicIP":"203.0.113.7",
       "notes":[],"deviceType":"AGENT"},
      {"id":21,"uid":"9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d","organizationId":2,"locationId":9,"nodeClass":"WINDOWS_SERVER",
       "nodeRoleId":2,"rolePolicyId":13,"policyId":40,"approvalStatus":"APPROVED","offline":true,"displayName":"ACME-DC01",
       "systemName":"ACME-DC01","dnsName":"ACME-DC01.acme.local","netbiosName":"ACME-DC01",
       "created":1690000000.0,"lastContact":1717310000.75,"lastUpdate":1717309990.1,"tags":["dc"],"fields":{},
       "ipAddresses":["192.168.10.5"],"macAddresses":["00:15:5D:0A:1B:99"],"publicIP":"203.0.113.7","notes":[],"deviceType":"AGENT"}
    ])
}

/// `GET /v2/device/17` from the notes (an `AgentDevice`).
fn agent_device_sample() -> Value {
    json!({"id":17,"uid":"3f6c1c2e-8a0b-4f38-9d1e-6f5a1b2c3d4e","organizationId":2,"locationId":3,"nodeClass":"WINDOWS_WORKSTATION",
     "nodeRoleId":1,"rolePolicyId":12,"approvalStatus":"APPROVED","offline":false,"displayName":"Reception PC",
     "systemName":"ACME-RECEP01","dnsName":"ACME-RECEP01.acme.local","netbiosName":"ACME-RECEP01",
     "created":1693900800.512,"lastContact":1718000000.25,"lastUpdate":1717999940.911,"tags":[],"fields":{},
     "references":{"organization":{"name":"Acme Dental","id":2},"location":{"name":"Main Office","id":3},
                   "warranty":{"startDate":1672531200.0,"endDate":1767225600.0}},
     "ipAddresses":["192.168.10.21"],"macAddresses":["00:15:5D:0A:1B:2C"],"publicIP":"203.0.113.7","notes":[],
     "os":{"manufacturer":"Microsoft Corporation","name":"Windows 11 Pro","architecture":"64-bit","lastBootTime":1717900000.0,
           "buildNumber":"22631","releaseId":"23H2","servicePackMajorVersion":0,"servicePackMinorVersion":0,
           "locale":"en-GB","language":"English","needsReboot":false},
     "system":{"name":"ACME-RECEP01","manufacturer":"Dell Inc.","model":"OptiPlex 7010","biosSerialNumber":"7XK2J93",
               "serialNumber":"7XK2J93","domain":"acme.local","domainRole":"MEMBER_WORKSTATION","numberOfProcessors":1,
               "totalPhysicalMemory":17179869184_i64,"virtualMachine":false,"chassisType":"DESKTOP"},
     "memory":{"capacity":17179869184_i64},
     "lastLoggedInUser":"ACME\\jsmith"})
}

/// `GET /v2/alerts` from the notes.
fn alerts_sample() -> Value {
    json!([{"uid":"5d0c6a7e-2f1b-4c3d-9e8f-7a6b5c4d3e2f","deviceId":21,"message":"Device ACME-DC01 is offline",
      "createTime":1717310300.123,"updateTime":1717310300.123,"sourceType":"AGENT_OFFLINE",
      "sourceConfigUid":"00000000-0000-0000-0000-000000000000","sourceName":"Agent offline","subject":"Device offline",
      "data":{},"device":{"id":21,"organizationId":2,"locationId":9,"nodeClass":"WINDOWS_SERVER","offline":true,
      "systemName":"ACME-DC01","lastContact":1717310000.75}}])
}

/// `GET /v2/device/17/software` from the notes.
fn software_sample() -> Value {
    json!([{"installDate":"2024-03-02T00:00:00Z","location":"C:\\Program Files\\7-Zip\\","name":"7-Zip 23.01 (x64)",
            "publisher":"Igor Pavlov","size":5767168,"version":"23.01","productCode":""}])
}

/// `GET /v2/locations`: `LocationWithOrganizationRef`, the notes' locations of organization 2.
fn locations_sample() -> Value {
    json!([
      {"name":"Main Office","address":"1 High St","description":"","tags":[],"fields":{},"id":3,"organizationId":2},
      {"name":"Clinic North","address":"","description":"","tags":[],"fields":{},"id":9,"organizationId":2}
    ])
}

/// A server that answers `route` with `body` (and a keyset walk's final empty page).
async fn serve(route: &str, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/ws/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token":"t","token_type":"Bearer","expires_in":3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, keep_raw: bool) -> NinjaOneClient {
    NinjaOneClient::builder()
        .base_url(server.uri())
        .client_id("c")
        .client_secret("s")
        .allow_insecure_http()
        .keep_raw(keep_raw)
        .retry_policy(mspkit_testkit::fast_retry())
        .build()
        .unwrap()
}

async fn devices_from(body: Value) -> mspkit_core::Result<Vec<mspkit_core::Device>> {
    let server = serve("/v2/devices-detailed", body).await;
    client(&server, false)
        .devices(DeviceQuery::new())
        .try_collect()
        .await
}

fn at_millis(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

#[tokio::test]
async fn organizations_map_id_and_name_and_have_no_timestamps() {
    let server = serve("/v2/organizations", organizations_sample()).await;
    let orgs: Vec<_> = client(&server, false)
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs.len(), 2);
    let o = &orgs[1];
    assert_eq!(o.id, Id::from("5"));
    assert_eq!(o.provider, Provider::NinjaOne);
    assert_eq!(o.name, "Bramble & Co");
    assert_eq!((o.created_at, o.updated_at), (None, None));
    assert_eq!(o.raw, None);
}

#[tokio::test]
async fn locations_map_to_sites() {
    let server = serve("/v2/locations", locations_sample()).await;
    let sites: Vec<_> = client(&server, false)
        .sites(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sites.len(), 2);
    let s = &sites[1];
    assert_eq!(s.id, Id::from("9"));
    assert_eq!(s.provider, Provider::NinjaOne);
    assert_eq!(s.organization_id, Some(Id::from("2")));
    assert_eq!(s.name, "Clinic North");
}

#[tokio::test]
async fn detailed_devices_map_every_field_they_carry() {
    let devices = devices_from(devices_sample()).await.unwrap();
    assert_eq!(devices.len(), 2);

    let pc = &devices[0];
    assert_eq!(pc.id, Id::from("17"));
    assert_eq!(pc.provider, Provider::NinjaOne);
    assert_eq!(pc.organization_id, Some(Id::from("2")));
    assert_eq!(pc.site_id, Some(Id::from("3")));
    assert_eq!(pc.hostname.as_deref(), Some("ACME-RECEP01"));
    assert_eq!(pc.display_name.as_deref(), Some("Reception PC"));
    assert_eq!(pc.device_type, DeviceType::Workstation);
    assert_eq!(pc.online, Some(true));
    assert_eq!(pc.last_seen, at_millis(1_718_000_000_250));
    assert_eq!(
        pc.ip_addresses,
        ["192.168.10.21", "fe80::1c2b:3a4d:5e6f:7081"]
    );
    assert_eq!(pc.mac_addresses, ["00:15:5D:0A:1B:2C"]);
    // The list sample has no agent blocks: no OS or hardware, never invented.
    assert_eq!(
        (pc.os_name.as_deref(), pc.os_version.as_deref()),
        (None, None)
    );
    assert_eq!(pc.serial_number, None);
    assert_eq!(
        (pc.manufacturer.as_deref(), pc.model.as_deref()),
        (None, None)
    );
    assert_eq!(pc.agent_version, None);
    assert_eq!(pc.logged_in_user, None);

    let dc = &devices[1];
    assert_eq!(dc.id, Id::from("21"));
    assert_eq!(dc.site_id, Some(Id::from("9")));
    assert_eq!(dc.hostname.as_deref(), Some("ACME-DC01"));
    assert_eq!(dc.display_name.as_deref(), Some("ACME-DC01"));
    assert_eq!(dc.device_type, DeviceType::Server);
    assert_eq!(dc.online, Some(false), "offline: true");
    assert_eq!(dc.last_seen, at_millis(1_717_310_000_750));
    assert_eq!(dc.ip_addresses, ["192.168.10.5"]);
    assert_eq!(dc.mac_addresses, ["00:15:5D:0A:1B:99"]);
}

#[tokio::test]
async fn an_agent_device_adds_os_hardware_and_last_user() {
    let server = MockServer::start().await;
    Mock::given(path("/ws/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token":"t","token_type":"Bearer","expires_in":3600})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v2/device/17"))
        .respond_with(ResponseTemplate::new(200).set_body_json(agent_device_sample()))
        .mount(&server)
        .await;
    let d = client(&server, true).device(&Id::from("17")).await.unwrap();
    assert_eq!(d.id, Id::from("17"));
    assert_eq!(d.organization_id, Some(Id::from("2")));
    assert_eq!(d.site_id, Some(Id::from("3")));
    assert_eq!(d.hostname.as_deref(), Some("ACME-RECEP01"));
    assert_eq!(d.display_name.as_deref(), Some("Reception PC"));
    assert_eq!(d.device_type, DeviceType::Workstation, "chassis DESKTOP");
    assert_eq!(d.os_name.as_deref(), Some("Windows 11 Pro"));
    assert_eq!(d.os_version.as_deref(), Some("22631"));
    assert_eq!(d.online, Some(true));
    assert_eq!(d.last_seen, at_millis(1_718_000_000_250));
    assert_eq!(d.ip_addresses, ["192.168.10.21"]);
    assert_eq!(d.mac_addresses, ["00:15:5D:0A:1B:2C"]);
    assert_eq!(d.serial_number.as_deref(), Some("7XK2J93"));
    assert_eq!(d.manufacturer.as_deref(), Some("Dell Inc."));
    assert_eq!(d.model.as_deref(), Some("OptiPlex 7010"));
    assert_eq!(d.agent_version, None, "not in NinjaOne's device shapes");
    assert_eq!(d.logged_in_user.as_deref(), Some("ACME\\jsmith"));
    assert_eq!(
        d.raw,
        Some(agent_device_sample()),
        "keep_raw keeps the original"
    );
}

#[tokio::test]
async fn alerts_map_with_their_device_and_organization() {
    let server = serve("/v2/alerts", alerts_sample()).await;
    let alerts: Vec<_> = client(&server, true)
        .alerts(AlertQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    let a = &alerts[0];
    assert_eq!(a.id, Id::from("5d0c6a7e-2f1b-4c3d-9e8f-7a6b5c4d3e2f"));
    assert_eq!(a.provider, Provider::NinjaOne);
    assert_eq!(a.device_id, Some(Id::from("21")));
    assert_eq!(a.organization_id, Some(Id::from("2")));
    assert_eq!(
        a.severity,
        Severity::Other,
        "NinjaOne alerts carry no severity"
    );
    assert_eq!(a.message, "Device ACME-DC01 is offline");
    assert_eq!(a.created_at, at_millis(1_717_310_300_123));
    assert!(!a.resolved);
    assert_eq!(a.resolved_at, None);
    assert_eq!(a.raw.as_ref(), alerts_sample().get(0));
}

#[tokio::test]
async fn an_alert_without_a_message_falls_back_to_its_subject() {
    let server = serve(
        "/v2/alerts",
        json!([{"uid":"u1","deviceId":21,"message":"","subject":"Device offline","sourceName":"Agent offline"}]),
    )
    .await;
    let alerts: Vec<_> = client(&server, false)
        .alerts(AlertQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(alerts[0].message, "Device offline");
    assert_eq!(
        (alerts[0].organization_id.as_ref(), alerts[0].created_at),
        (None, None)
    );
}

#[tokio::test]
async fn software_maps_with_its_iso_install_date() {
    let server = serve("/v2/device/17/software", software_sample()).await;
    let sw: Vec<_> = client(&server, false)
        .software(&Id::from("17"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sw.len(), 1);
    let s = &sw[0];
    assert_eq!(s.provider, Provider::NinjaOne);
    assert_eq!(s.device_id, Id::from("17"));
    assert_eq!(s.name, "7-Zip 23.01 (x64)");
    assert_eq!(s.version.as_deref(), Some("23.01"));
    assert_eq!(s.publisher.as_deref(), Some("Igor Pavlov"));
    assert_eq!(
        s.installed_at,
        Some(Utc.with_ymd_and_hms(2024, 3, 2, 0, 0, 0).unwrap())
    );
}

#[tokio::test]
async fn install_dates_are_read_leniently() {
    let dates = json!([
        {"name":"a","installDate":"2024-03-02"},
        {"name":"b","installDate":"20240302"},
        {"name":"c","installDate":"2024-03-02T10:11:12"},
        {"name":"d","installDate":"2024-03-02T10:11:12.500+01:00"},
        {"name":"e","installDate":""},
        {"name":"f","installDate":null},
        {"name":"g"}
    ]);
    let server = serve("/v2/device/17/software", dates).await;
    let got: Vec<_> = client(&server, false)
        .software(&Id::from("17"))
        .try_collect()
        .await
        .unwrap();
    let day = Utc.with_ymd_and_hms(2024, 3, 2, 0, 0, 0).unwrap();
    let times: Vec<_> = got.iter().map(|s| s.installed_at).collect();
    assert_eq!(
        times,
        [
            Some(day),
            Some(day),
            Some(Utc.with_ymd_and_hms(2024, 3, 2, 10, 11, 12).unwrap()),
            at_millis(day.timestamp_millis() + 9 * 3_600_000 + 11 * 60_000 + 12_500),
            None,
            None,
            None
        ]
    );
}

#[tokio::test]
async fn epoch_timestamps_are_read_leniently() {
    let devices = devices_from(json!([
        {"id": 1, "lastContact": "1718000000.25"},
        {"id": 2, "lastContact": 1718000000250_i64},
        {"id": 3, "lastContact": 0},
        {"id": 4, "lastContact": null},
        {"id": 5, "lastContact": 1718000000}
    ]))
    .await
    .unwrap();
    let seen: Vec<_> = devices.iter().map(|d| d.last_seen).collect();
    let t = at_millis(1_718_000_000_250);
    assert_eq!(seen, [t, t, None, None, at_millis(1_718_000_000_000)]);
}

#[tokio::test]
async fn an_unreadable_value_is_a_decode_error_naming_its_field() {
    let bad_time = devices_from(
        json!([{"id": 17, "lastContact": 1718000000.25}, {"id": 21, "lastContact": "yesterday"}]),
    )
    .await;
    match bad_time {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default();
            let operation = e.operation();
            assert_eq!(path, "[1].lastContact");
            assert_eq!(operation, "devices");
        }
        other => panic!("{other:?}"),
    }
    let bad_bool = devices_from(json!([{"id": 17, "offline": "no"}])).await;
    assert!(
        matches!(&bad_bool, Err(e) if e.kind() == ErrorKind::Decode && e.decode_path() == Some("[0].offline")),
        "{bad_bool:?}"
    );
    let negative = devices_from(json!([{"id": 17, "lastUpdate": -5}])).await;
    assert!(
        matches!(&negative, Err(e) if e.kind() == ErrorKind::Decode && e.decode_path() == Some("[0].lastUpdate")),
        "{negative:?}"
    );

    let server = serve(
        "/v2/device/17/software",
        json!([{"name": "x", "installDate": "last tuesday"}]),
    )
    .await;
    let sw: Result<Vec<_>, _> = client(&server, false)
        .software(&Id::from("17"))
        .try_collect()
        .await;
    assert!(
        matches!(&sw, Err(e) if e.kind() == ErrorKind::Decode && e.decode_path() == Some("[0].installDate")),
        "{sw:?}"
    );
}

#[tokio::test]
async fn node_classes_map_to_device_types() {
    let cases = [
        ("WINDOWS_WORKSTATION", Some("LAPTOP"), DeviceType::Laptop),
        ("MAC", Some("Notebook"), DeviceType::Laptop),
        ("MAC", None, DeviceType::Workstation),
        (
            "LINUX_WORKSTATION",
            Some("DESKTOP"),
            DeviceType::Workstation,
        ),
        ("LINUX_SERVER", None, DeviceType::Server),
        ("MAC_SERVER", None, DeviceType::Server),
        ("HYPERV_VMM_HOST", None, DeviceType::Server),
        ("VMWARE_VM_GUEST", None, DeviceType::VirtualMachine),
        ("HYPERV_VMM_GUEST", None, DeviceType::VirtualMachine),
        ("NMS_VIRTUAL_MACHINE", None, DeviceType::VirtualMachine),
        ("ANDROID", None, DeviceType::Mobile),
        ("APPLE_IPADOS", None, DeviceType::Mobile),
        ("NMS_SWITCH", None, DeviceType::Network),
        ("NMS_FIREWALL", None, DeviceType::Network),
        ("NMS_PRINTER", None, DeviceType::Network),
        ("NMS_SERVER", None, DeviceType::Server),
        ("NMS_COMPUTER", None, DeviceType::Other),
        ("CLOUD_MONITOR_TARGET", None, DeviceType::Other),
        ("UNMANAGED_DEVICE", None, DeviceType::Other),
        ("A_CLASS_FROM_THE_FUTURE", None, DeviceType::Other),
    ];
    let body: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, (class, chassis, _))| {
            json!({"id": i + 1, "nodeClass": class, "system": {"chassisType": chassis}})
        })
        .chain([json!({"id": 100})])
        .collect();
    let devices = devices_from(Value::from(body)).await.unwrap();
    for ((class, chassis, want), d) in cases.iter().zip(&devices) {
        assert_eq!(d.device_type, *want, "{class} / {chassis:?}");
    }
    assert_eq!(
        devices[cases.len()].device_type,
        DeviceType::Other,
        "no nodeClass"
    );
}

#[tokio::test]
async fn empty_names_are_none_and_the_hostname_falls_back() {
    let devices = devices_from(json!([
        {"id": 1, "systemName": "", "dnsName": "nas01.acme.local", "displayName": "", "offline": null,
         "ipAddresses": null, "system": {"serialNumber": "", "biosSerialNumber": "BIOS-1"}},
        {"id": 2, "netbiosName": "PRN-2F", "displayName": "Printer 2nd floor"}
    ]))
    .await
    .unwrap();
    assert_eq!(devices[0].hostname.as_deref(), Some("nas01.acme.local"));
    assert_eq!(devices[0].display_name, None);
    assert_eq!(devices[0].online, None, "offline: null says nothing");
    assert!(devices[0].ip_addresses.is_empty());
    assert_eq!(devices[0].serial_number.as_deref(), Some("BIOS-1"));
    assert_eq!(devices[1].hostname.as_deref(), Some("PRN-2F"));
    assert_eq!(
        devices[1].display_name.as_deref(),
        Some("Printer 2nd floor")
    );
}

#[tokio::test]
async fn keep_raw_keeps_each_original_object_and_is_off_by_default() {
    let server = serve("/v2/devices-detailed", devices_sample()).await;
    let with_raw: Vec<_> = client(&server, true)
        .devices(DeviceQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(with_raw[0].raw.as_ref(), devices_sample().get(0));
    assert_eq!(with_raw[1].raw.as_ref(), devices_sample().get(1));
    let without: Vec<_> = client(&server, false)
        .devices(DeviceQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert!(without.iter().all(|d| d.raw.is_none()));
}

// ---- every device shape the spec derives from `Device` ----
//
// The samples are SYNTHESIZED from the spec's schemas (field names exact,
// values invented): `AgentDevice` is above; these are `VMHost`, `VMGuest`,
// the cloud monitors, `MdmDevice`, `NMSServer`/`NMSTarget` and
// `UnmanagedDevice`. Each maps the same in the list and in `device(id)`.

/// The device as the list maps it and as `device(id)` maps it (the same).
async fn list_and_single(sample: Value) -> mspkit_core::Device {
    let id = sample["id"].to_string();
    let server = serve("/v2/devices-detailed", json!([sample.clone()])).await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/device/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&sample))
        .mount(&server)
        .await;
    let c = client(&server, false);
    let listed: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    let single = c.device(&Id::from(id.as_str())).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], single, "the list and device(id) agree");
    single
}

/// The fields every shape shares (`Device`), with these ids.
fn base(id: i64, node_class: &str, device_type: &str) -> Value {
    json!({"id": id, "uid": format!("0b1c2d3e-4f5a-4b6c-8d7e-{id:012}"), "organizationId": 8, "locationId": 11,
           "nodeClass": node_class, "approvalStatus": "APPROVED", "offline": false,
           "created": 1693900800.0, "lastContact": 1718000000.5, "lastUpdate": 1717999999.0,
           "tags": [], "fields": {}, "ipAddresses": ["10.8.11.40"], "macAddresses": ["00:50:56:AB:CD:EF"],
           "publicIP": "198.51.100.8", "notes": [], "deviceType": device_type})
}

fn with(mut v: Value, extra: Value) -> Value {
    if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
    v
}

#[tokio::test]
async fn a_vmware_host_keeps_its_vendor_model_service_tag_and_release() {
    let host = with(
        base(301, "VMWARE_VM_HOST", "VMHost"),
        json!({"displayName": "esx01", "dnsName": "esx01.cobalt.local", "cpuMhz": 2900,
               "cpuModel": "Intel(R) Xeon(R) Gold 6326 CPU @ 2.90GHz", "htActive": true, "htAvailable": true,
               "lastBootTime": 1716000000.0, "memorySize": 274877906944_i64, "model": "PowerEdge R750",
               "name": "esx01.cobalt.local", "cpuCores": 32, "cpuPackages": 2, "cpuThreads": 64,
               "serviceTag": "7H2K9M3", "vendor": "Dell Inc.", "releaseName": "VMware ESXi 7.0.3",
               "version": "7.0.3", "buildNumber": "21930508"}),
    );
    let d = list_and_single(host).await;
    assert_eq!(d.id, Id::from("301"));
    assert_eq!(d.device_type, DeviceType::Server);
    assert_eq!(d.hostname.as_deref(), Some("esx01.cobalt.local"));
    assert_eq!(d.display_name.as_deref(), Some("esx01"));
    assert_eq!(d.manufacturer.as_deref(), Some("Dell Inc."));
    assert_eq!(d.model.as_deref(), Some("PowerEdge R750"));
    assert_eq!(d.serial_number.as_deref(), Some("7H2K9M3"));
    assert_eq!(d.os_name.as_deref(), Some("VMware ESXi 7.0.3"));
    assert_eq!(d.os_version.as_deref(), Some("7.0.3"));
    assert_eq!(
        (d.organization_id, d.site_id),
        (Some(Id::from("8")), Some(Id::from("11")))
    );
    assert_eq!(d.online, Some(true));
    assert_eq!(d.last_seen, at_millis(1_718_000_000_500));
    assert_eq!(d.ip_addresses, ["10.8.11.40"]);
    assert_eq!(d.mac_addresses, ["00:50:56:AB:CD:EF"]);
    assert_eq!((d.agent_version, d.logged_in_user), (None, None));
}

#[tokio::test]
async fn a_hyper_v_host_with_only_a_build_number_and_its_name() {
    let host = with(
        base(302, "HYPERV_VMM_HOST", "VMHost"),
        json!({"name": "HV01", "vendor": "HPE", "model": "ProLiant DL380 Gen10", "serviceTag": "CZ2D1F0ABC",
               "releaseName": "Microsoft Hyper-V Server 2019", "buildNumber": "17763"}),
    );
    let d = list_and_single(host).await;
    assert_eq!(d.device_type, DeviceType::Server);
    assert_eq!(
        d.hostname.as_deref(),
        Some("HV01"),
        "no systemName: the host's name"
    );
    assert_eq!(d.display_name, None);
    assert_eq!(d.manufacturer.as_deref(), Some("HPE"));
    assert_eq!(d.model.as_deref(), Some("ProLiant DL380 Gen10"));
    assert_eq!(d.serial_number.as_deref(), Some("CZ2D1F0ABC"));
    assert_eq!(d.os_name.as_deref(), Some("Microsoft Hyper-V Server 2019"));
    assert_eq!(d.os_version.as_deref(), Some("17763"));
}

#[tokio::test]
async fn a_vm_guest_names_its_guest_os_and_invents_no_hardware() {
    let guest = with(
        base(303, "VMWARE_VM_GUEST", "VMGuest"),
        json!({"parentDeviceId": 301, "displayName": "COBALT-SQL01", "systemName": "COBALT-SQL01",
               "files": "[datastore1] COBALT-SQL01/COBALT-SQL01.vmx", "fullName": "COBALT-SQL01",
               "lastBootTime": 1716500000.0, "memorySize": 34359738368_i64, "coresPerSocket": 4, "cpuCores": 8,
               "powerState": "POWERED_ON", "toolsInstallType": "GUEST_TOOLS_MSI", "toolStatus": "TOOLS_OK",
               "toolsVersion": "12352", "guestOSFullName": "Microsoft Windows Server 2022 (64-bit)",
               "guestOSFamily": "windowsGuest", "guestOSId": "windows2019srvNext_64Guest",
               "toolsVersionStatus": "GUEST_TOOLS_CURRENT", "snapshotCount": 1, "snapshotTotalSize": 1073741824}),
    );
    let d = list_and_single(guest).await;
    assert_eq!(d.device_type, DeviceType::VirtualMachine);
    assert_eq!(d.hostname.as_deref(), Some("COBALT-SQL01"));
    assert_eq!(
        d.os_name.as_deref(),
        Some("Microsoft Windows Server 2022 (64-bit)")
    );
    assert_eq!(d.os_version, None);
    assert_eq!(
        (d.manufacturer, d.model, d.serial_number),
        (None, None, None)
    );
}

#[tokio::test]
async fn a_cloud_monitor_is_named_by_the_host_it_watches() {
    let http = with(
        base(304, "CLOUD_MONITOR_TARGET", "CloudMonitorHTTP"),
        json!({"displayName": "Client portal", "enabled": true, "interval": 300, "timeout": 30,
               "target": "https://portal.cobalt-freight.example/login", "ipAddresses": [], "macAddresses": []}),
    );
    let d = list_and_single(http).await;
    assert_eq!(d.device_type, DeviceType::Other);
    assert_eq!(d.hostname.as_deref(), Some("portal.cobalt-freight.example"));
    assert_eq!(d.display_name.as_deref(), Some("Client portal"));
    assert_eq!((d.os_name, d.os_version), (None, None));
    assert_eq!(
        (d.manufacturer, d.model, d.serial_number),
        (None, None, None)
    );
    assert!(d.ip_addresses.is_empty() && d.mac_addresses.is_empty());

    let ping = with(
        base(305, "CLOUD_MONITOR_TARGET", "CloudMonitorPing"),
        json!({"enabled": true, "interval": 60, "timeout": 5, "target": "vpn.cobalt-freight.example"}),
    );
    let d = list_and_single(ping).await;
    assert_eq!(d.hostname.as_deref(), Some("vpn.cobalt-freight.example"));
}

#[tokio::test]
async fn mdm_network_and_unmanaged_devices_map_the_common_fields_only() {
    for (sample, device_type, host) in [
        (
            with(
                base(306, "APPLE_IOS", "MdmDevice"),
                json!({"displayName": "J Smith iPhone"}),
            ),
            DeviceType::Mobile,
            None,
        ),
        (
            with(
                base(307, "NMS_SERVER", "NMSServer"),
                json!({"systemName": "cobalt-nms01", "dnsName": "cobalt-nms01.cobalt.local"}),
            ),
            DeviceType::Server,
            Some("cobalt-nms01"),
        ),
        (
            with(
                base(308, "NMS_FIREWALL", "NMSTarget"),
                json!({"dnsName": "fw01.cobalt.local", "displayName": "Edge firewall"}),
            ),
            DeviceType::Network,
            Some("fw01.cobalt.local"),
        ),
        (
            with(
                base(309, "UNMANAGED_DEVICE", "UnmanagedDevice"),
                json!({"displayName": "Boardroom TV", "netbiosName": "BOARDROOM-TV"}),
            ),
            DeviceType::Other,
            Some("BOARDROOM-TV"),
        ),
    ] {
        let class = sample["nodeClass"].clone();
        let d = list_and_single(sample).await;
        assert_eq!(d.device_type, device_type, "{class}");
        assert_eq!(d.hostname.as_deref(), host, "{class}");
        assert_eq!(d.organization_id, Some(Id::from("8")), "{class}");
        assert_eq!(d.online, Some(true), "{class}");
        assert_eq!(d.ip_addresses, ["10.8.11.40"], "{class}");
        assert_eq!(
            (&d.os_name, &d.manufacturer, &d.model, &d.serial_number),
            (&None, &None, &None, &None),
            "{class}"
        );
    }
}
