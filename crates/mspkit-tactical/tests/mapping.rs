//! The provider notes' Tactical RMM samples, served as Tactical sends them
//! and mapped into the normalized model, every field checked; Tactical's
//! display strings, sentinels and unreadable values.

// Helpers outside #[test] fns unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    AlertQuery, DeviceQuery, DeviceType, ErrorKind, Id, ListQuery, Provider, RmmClient, Severity,
};
use mspkit_tactical::TacticalClient;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RECEP: &str = "kbZAsuBkCqJLvNdmruWRBYnbgyVfdxKUQawWBemZ";
const DC: &str = "QWyxNptZpBzRvfdGqkTWucHXHjAXbMeVvVyLzrWU";

/// `GET /clients/` from the notes.
fn clients_sample() -> Value {
    json!([
      {"id": 1, "name": "Acme Dental", "server_policy": null, "workstation_policy": 2, "alert_template": null,
       "block_policy_inheritance": false,
       "sites": [
         {"id": 1, "name": "Main Office", "server_policy": null, "workstation_policy": null, "alert_template": null,
          "client_name": "Acme Dental", "client": 1, "custom_fields": [], "agent_count": 11, "block_policy_inheritance": false,
          "maintenance_mode": false, "failing_checks": {"error": false, "warning": true}}],
       "custom_fields": [], "agent_count": 11, "maintenance_mode": false, "failing_checks": {"error": false, "warning": true}}
    ])
}

/// `GET /agents/?site=1` from the notes.
fn agents_sample() -> Value {
    json!([{"agent_id": "kbZAsuBkCqJLvNdmruWRBYnbgyVfdxKUQawWBemZ", "alert_template": null, "hostname": "ACME-RECEP01",
      "site_name": "Main Office", "client_name": "Acme Dental", "monitoring_type": "workstation", "description": "Reception",
      "needs_reboot": false, "pending_actions_count": 0, "status": "online", "overdue_text_alert": false,
      "overdue_email_alert": false, "overdue_dashboard_alert": false, "last_seen": "2024-06-10T12:00:01.482113Z",
      "boot_time": 1717919700.0,
      "checks": {"total": 4, "passing": 3, "failing": 0, "warning": 1, "info": 0, "has_failing_checks": false},
      "maintenance_mode": false, "logged_username": "jsmith", "italic": false, "policy": null, "block_policy_inheritance": false,
      "plat": "windows", "goarch": "amd64", "has_patches_pending": true, "version": "2.7.0",
      "operating_system": "Windows 11 Pro, 64 bit v23H2 (build 22631.3737)", "public_ip": "203.0.113.7",
      "cpu_model": ["13th Gen Intel(R) Core(TM) i5-13500"], "graphics": "Intel(R) UHD Graphics 770",
      "local_ips": "192.168.10.21", "make_model": "Dell Inc. OptiPlex 7010",
      "physical_disks": ["Samsung SSD 980 500GB 466GB NVMe"], "custom_fields": [], "serial_number": "7XK2J93"}])
}

/// `PATCH /alerts/` with `{"resolvedFilter": false, "snoozedFilter": false}` from the notes.
fn alerts_sample() -> Value {
    json!([{"id": 412, "hostname": "ACME-DC01", "agent_id": "QWyxNptZpBzRvfdGqkTWucHXHjAXbMeVvVyLzrWU", "client": "Acme Dental",
      "site": "Main Office", "alert_time": "2024-06-02T06:45:00.115529Z", "alert_type": "availability",
      "message": "ACME-DC01 within Acme Dental, Main Office is overdue", "snoozed": false, "snooze_until": null,
      "resolved": false, "resolved_on": null, "severity": "error", "email_sent": null, "resolved_email_sent": null,
      "sms_sent": null, "resolved_sms_sent": null, "hidden": false, "action_run": null, "action_stdout": null,
      "action_stderr": null, "action_retcode": null, "action_execution_time": null, "resolved_action_run": null,
      "resolved_action_stdout": null, "resolved_action_stderr": null, "resolved_action_retcode": null,
      "resolved_action_execution_time": null, "agent": 7, "assigned_check": null, "assigned_task": null}])
}

/// `GET /software/{agent_id}/` from the notes, byte for byte: the two
/// entries are real Windows agent output (Tactical's
/// `test_data/software1.json`).
const SOFTWARE_SAMPLE: &str = r#"{"id": 3, "software": [
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
], "agent": 7}"#;

/// `GET /agents/{agent_id}/`: the detail's fields as the notes list them
/// (`AgentSerializer`, `exclude = ["id"]`); no captured body exists.
fn detail_sample() -> Value {
    serde_json::from_str(
        r#"{
      "winupdatepolicy": [], "status": "overdue", "cpu_model": ["Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz"],
      "local_ips": "192.168.10.5, 10.10.0.5", "make_model": "Dell Inc. PowerEdge R650xs",
      "physical_disks": ["PERC H755 Front 1788GB SAS"], "graphics": "Matrox G200eW3 (Nuvoton) WDDM 2.0",
      "checks": {"total": 6, "passing": 5, "failing": 1, "warning": 0, "info": 0, "has_failing_checks": true},
      "timezone": "America/New_York", "all_timezones": ["Africa/Abidjan", "America/New_York", "UTC"],
      "client": "Acme Dental", "site_name": "Main Office", "custom_fields": [], "patches_last_installed": null,
      "last_seen": "2024-06-02T06:15:42.090211Z",
      "applied_policies": {"agent_policy": null, "site_policy": null, "client_policy": null, "default_policy": null},
      "effective_patch_policy": {}, "alert_template": null, "effective_default_shell": "powershell",
      "version": "2.7.0", "operating_system": "Windows Server 2022 Standard, 64 bit v21H2 (build 20348.2527)",
      "plat": "windows", "goarch": "amd64", "hostname": "ACME-DC01", "agent_id": "QWyxNptZpBzRvfdGqkTWucHXHjAXbMeVvVyLzrWU", "services": [],
      "public_ip": "203.0.113.7", "total_ram": 64, "disks": [], "boot_time": 1717000000.0,
      "logged_in_username": "None", "last_logged_in_user": "administrator", "monitoring_type": "server",
      "description": "Domain controller", "mesh_node_id": "node//abc", "overdue_email_alert": true,
      "overdue_text_alert": false, "overdue_dashboard_alert": true, "offline_time": 4, "overdue_time": 30,
      "check_interval": 120, "needs_reboot": false, "choco_installed": true,
      "wmi_detail": {"bios": [[{"Manufacturer": "Dell Inc.", "SerialNumber": "4HQ8MT3"}]],
                     "comp_sys": [[{"Model": "PowerEdge R650xs", "Manufacturer": "Dell Inc."}]],
                     "comp_sys_prod": [[{"Vendor": "Dell Inc."}]],
                     "network_config": [[{"IPAddress": ["192.168.10.5", "fe80::1"]}], [{"IPAddress": ["10.10.0.5"]}]]},
      "time_zone": null, "maintenance_mode": false, "block_policy_inheritance": false,
      "default_shell": "use_global", "default_shell_custom": "", "created_by": "tactical",
      "created_time": "2023-09-01T14:03:11.000000Z", "modified_by": null, "modified_time": "2023-10-01T14:03:11.000000Z",
      "site": 1, "policy": null
    }"#,
    )
    .unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn serve(clients: Value, agents: Value, detail: Value, alerts: Value) -> MockServer {
    let server = MockServer::start().await;
    let json = |v: Value| ResponseTemplate::new(200).set_body_json(v);
    Mock::given(method("GET"))
        .and(path("/clients/"))
        .respond_with(json(clients))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/agents/"))
        .and(query_param("site", "1"))
        .respond_with(json(agents))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/agents/{DC}/")))
        .respond_with(json(detail))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/alerts/"))
        .respond_with(json(alerts))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/software/{DC}/")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(SOFTWARE_SAMPLE),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/software/{RECEP}/")))
        .respond_with(json(json!([])))
        .mount(&server)
        .await;
    server
}

async fn samples() -> MockServer {
    serve(
        clients_sample(),
        agents_sample(),
        detail_sample(),
        alerts_sample(),
    )
    .await
}

fn client(server: &MockServer, keep_raw: bool) -> TacticalClient {
    TacticalClient::builder()
        .base_url(server.uri())
        .api_key("J57BXCFDA2WBCXH0XTELBR5KAI69CNCZ")
        .allow_insecure_http()
        .keep_raw(keep_raw)
        .build()
        .unwrap()
}

#[tokio::test]
async fn clients_are_organizations_and_their_sites_sites() {
    let server = samples().await;
    let c = client(&server, true);
    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs.len(), 1);
    let o = &orgs[0];
    assert_eq!(o.id, Id::from("1"));
    assert_eq!(o.provider, Provider::Tactical);
    assert_eq!(o.name, "Acme Dental");
    assert_eq!(o.created_at, None);
    assert_eq!(o.updated_at, None);
    assert_eq!(o.raw.as_ref(), Some(&clients_sample()[0]));

    let sites: Vec<_> = c.sites(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(sites.len(), 1);
    let s = &sites[0];
    assert_eq!(s.id, Id::from("1"));
    assert_eq!(s.provider, Provider::Tactical);
    assert_eq!(s.organization_id, Some(Id::from("1")));
    assert_eq!(s.name, "Main Office");
    // Each site keeps its own object, not its client's.
    assert_eq!(s.raw.as_ref(), Some(&clients_sample()[0]["sites"][0]));
}

#[tokio::test]
async fn an_agent_row_maps_every_device_field() {
    let server = samples().await;
    let c = client(&server, true);
    let devices: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    assert_eq!(devices.len(), 1);
    let d = &devices[0];
    assert_eq!(d.id, Id::from(RECEP));
    assert_eq!(d.provider, Provider::Tactical);
    assert_eq!(d.organization_id, Some(Id::from("1")));
    assert_eq!(d.site_id, Some(Id::from("1")));
    assert_eq!(d.hostname.as_deref(), Some("ACME-RECEP01"));
    assert_eq!(d.display_name.as_deref(), Some("Reception"));
    assert_eq!(d.device_type, DeviceType::Workstation);
    assert_eq!(
        d.os_name.as_deref(),
        Some("Windows 11 Pro, 64 bit v23H2 (build 22631.3737)")
    );
    assert_eq!(d.os_version, None);
    assert_eq!(d.online, Some(true));
    assert_eq!(d.last_seen, Some(t("2024-06-10T12:00:01.482113Z")));
    assert_eq!(d.ip_addresses, ["192.168.10.21"]);
    assert!(d.mac_addresses.is_empty());
    assert_eq!(d.serial_number.as_deref(), Some("7XK2J93"));
    assert_eq!(d.manufacturer, None);
    assert_eq!(d.model.as_deref(), Some("Dell Inc. OptiPlex 7010"));
    assert_eq!(d.agent_version.as_deref(), Some("2.7.0"));
    assert_eq!(d.logged_in_user.as_deref(), Some("jsmith"));
    assert_eq!(d.raw.as_ref(), Some(&agents_sample()[0]));
}

#[tokio::test]
async fn an_agent_detail_maps_every_device_field() {
    let server = samples().await;
    let c = client(&server, true);
    let d = c.device(&Id::from(DC)).await.unwrap();
    assert_eq!(d.id, Id::from(DC));
    assert_eq!(d.provider, Provider::Tactical);
    // The detail has the site's id; the client is looked up from it.
    assert_eq!(d.site_id, Some(Id::from("1")));
    assert_eq!(d.organization_id, Some(Id::from("1")));
    assert_eq!(d.hostname.as_deref(), Some("ACME-DC01"));
    assert_eq!(d.display_name.as_deref(), Some("Domain controller"));
    assert_eq!(d.device_type, DeviceType::Server);
    assert_eq!(
        d.os_name.as_deref(),
        Some("Windows Server 2022 Standard, 64 bit v21H2 (build 20348.2527)")
    );
    assert_eq!(d.os_version, None);
    // `overdue` is offline past the alert threshold.
    assert_eq!(d.online, Some(false));
    assert_eq!(d.last_seen, Some(t("2024-06-02T06:15:42.090211Z")));
    assert_eq!(d.ip_addresses, ["192.168.10.5", "10.10.0.5"]);
    assert!(d.mac_addresses.is_empty());
    // No `serial_number` in the detail: read from the inventory as the
    // server does for its list.
    assert_eq!(d.serial_number.as_deref(), Some("4HQ8MT3"));
    assert_eq!(d.manufacturer, None);
    assert_eq!(d.model.as_deref(), Some("Dell Inc. PowerEdge R650xs"));
    assert_eq!(d.agent_version.as_deref(), Some("2.7.0"));
    // `"None"` is nobody; offline, the last user is not the current one.
    assert_eq!(d.logged_in_user, None);
    assert_eq!(d.raw.as_ref(), Some(&detail_sample()));
}

#[tokio::test]
async fn an_alert_maps_every_field() {
    let server = samples().await;
    let c = client(&server, true);
    let alerts: Vec<_> = c.alerts(AlertQuery::new()).try_collect().await.unwrap();
    assert_eq!(alerts.len(), 1);
    let a = &alerts[0];
    assert_eq!(a.id, Id::from("412"));
    assert_eq!(a.provider, Provider::Tactical);
    assert_eq!(a.device_id, Some(Id::from(DC)));
    // The alert names its client; the id comes from `GET /clients/`.
    assert_eq!(a.organization_id, Some(Id::from("1")));
    assert_eq!(a.severity, Severity::Error);
    assert_eq!(
        a.message,
        "ACME-DC01 within Acme Dental, Main Office is overdue"
    );
    assert_eq!(a.created_at, Some(t("2024-06-02T06:45:00.115529Z")));
    assert!(!a.resolved);
    assert_eq!(a.resolved_at, None);
    assert_eq!(a.raw.as_ref(), Some(&alerts_sample()[0]));
}

#[tokio::test]
async fn resolved_alerts_and_every_severity() {
    let mut alerts = Vec::new();
    for (n, severity) in ["info", "warning", "error", "critical"].iter().enumerate() {
        let mut a = alerts_sample()[0].clone();
        a["id"] = json!(500 + n);
        a["severity"] = json!(severity);
        a["resolved"] = json!(true);
        a["resolved_on"] = json!("2024-06-03T09:00:00.000001Z");
        a["client"] = json!("A client added since");
        alerts.push(a);
    }
    let server = serve(
        clients_sample(),
        agents_sample(),
        detail_sample(),
        json!(alerts),
    )
    .await;
    let got: Vec<_> = client(&server, false)
        .alerts(AlertQuery::new().include_resolved())
        .try_collect()
        .await
        .unwrap();
    let severities: Vec<_> = got.iter().map(|a| a.severity).collect();
    assert_eq!(
        severities,
        [
            Severity::Info,
            Severity::Warning,
            Severity::Error,
            Severity::Other
        ]
    );
    assert!(got.iter().all(|a| a.resolved
        && a.resolved_at == Some(t("2024-06-03T09:00:00.000001Z"))
        && a.organization_id.is_none()
        && a.raw.is_none()));
}

#[tokio::test]
async fn the_real_software_sample_maps_every_field() {
    let server = samples().await;
    let c = client(&server, true);
    let items: Vec<_> = c.software(&Id::from(DC)).try_collect().await.unwrap();
    assert_eq!(items.len(), 2);
    let zip = &items[0];
    assert_eq!(zip.provider, Provider::Tactical);
    assert_eq!(zip.device_id, Id::from(DC));
    assert_eq!(zip.name, "7-Zip 19.00 (x64)");
    assert_eq!(zip.version.as_deref(), Some("19.00"));
    assert_eq!(zip.publisher.as_deref(), Some("Igor Pavlov"));
    // Year 1 is Go's zero time: unknown.
    assert_eq!(zip.installed_at, None);
    let raw = zip.raw.as_ref().unwrap();
    assert_eq!(raw["location"], "C:\\Program Files\\7-Zip\\");
    let git = &items[1];
    assert_eq!(git.name, "Git version 2.22.0.windows.1");
    assert_eq!(git.version.as_deref(), Some("2.22.0.windows.1"));
    assert_eq!(
        git.publisher.as_deref(),
        Some("The Git Development Community")
    );
    assert_eq!(
        git.installed_at,
        Some(Utc.with_ymd_and_hms(2019, 6, 9, 0, 0, 0).unwrap())
    );
    assert_eq!(
        git.raw.as_ref().unwrap()["uninstall"],
        "\"C:\\Program Files\\Git\\unins000.exe\""
    );
    // `[]`: the agent has sent no inventory yet.
    let none: Vec<_> = c.software(&Id::from(RECEP)).try_collect().await.unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn display_strings_and_sentinels_are_not_data() {
    let mut linux = agents_sample()[0].clone();
    linux["agent_id"] = json!("LnxAgentIdLnxAgentIdLnxAgentIdLnxAgentId");
    linux["plat"] = json!("linux");
    linux["monitoring_type"] = json!("server");
    linux["status"] = json!("offline");
    linux["last_seen"] = Value::Null;
    linux["logged_username"] = json!("-");
    linux["local_ips"] = json!("error getting local ips");
    linux["make_model"] = json!("error getting make/model");
    linux["serial_number"] = json!("");
    linux["description"] = json!("");
    linux["physical_disks"] =
        json!([{"model": "QEMU HARDDISK", "size": "64G", "interface": "ata"}]);
    let mut several = agents_sample()[0].clone();
    several["agent_id"] = json!("ManyIpsManyIpsManyIpsManyIpsManyIpsManyI");
    several["local_ips"] = json!("192.168.10.22, 10.8.0.14, fd00::14");
    several["make_model"] = json!("unknown make/model");
    several["monitoring_type"] = json!("workstation");
    several["status"] = json!("online");
    several["logged_username"] = json!("None");
    let server = serve(
        clients_sample(),
        json!([linux, several]),
        detail_sample(),
        alerts_sample(),
    )
    .await;
    let devices: Vec<_> = client(&server, false)
        .devices(DeviceQuery::new())
        .try_collect()
        .await
        .unwrap();
    let (l, s) = (&devices[0], &devices[1]);
    assert_eq!(l.device_type, DeviceType::Server);
    assert_eq!(l.online, Some(false));
    assert_eq!(l.last_seen, None);
    assert_eq!(l.logged_in_user, None);
    assert!(l.ip_addresses.is_empty());
    assert_eq!(l.model, None);
    assert_eq!(l.serial_number, None);
    assert_eq!(l.display_name, None);
    assert_eq!(s.ip_addresses, ["192.168.10.22", "10.8.0.14", "fd00::14"]);
    assert_eq!(s.model, None);
    assert_eq!(s.logged_in_user, None);
}

#[tokio::test]
async fn a_detail_whose_user_is_none_while_online_shows_the_last_user() {
    let mut detail = detail_sample();
    detail["status"] = json!("online");
    detail["plat"] = json!("linux");
    detail["wmi_detail"] = json!({"serialnumber": "VMware-42 1a 2b", "local_ips": ["10.0.0.5/24"],
                                  "make_model": "VMware, Inc. VMware Virtual Platform"});
    let server = serve(clients_sample(), agents_sample(), detail, alerts_sample()).await;
    let d = client(&server, false).device(&Id::from(DC)).await.unwrap();
    assert_eq!(d.online, Some(true));
    assert_eq!(d.logged_in_user.as_deref(), Some("administrator"));
    assert_eq!(d.serial_number.as_deref(), Some("VMware-42 1a 2b"));
}

#[tokio::test]
async fn unreadable_values_are_decode_errors_naming_the_field() {
    let mut row = agents_sample()[0].clone();
    row["last_seen"] = json!("yesterday");
    let server = serve(
        clients_sample(),
        json!([row]),
        detail_sample(),
        alerts_sample(),
    )
    .await;
    let e = client(&server, false)
        .devices(DeviceQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("[0].last_seen"));

    let mut alert = alerts_sample()[0].clone();
    alert["id"] = json!("not a number");
    let server = serve(
        clients_sample(),
        agents_sample(),
        detail_sample(),
        json!([alert]),
    )
    .await;
    let e = client(&server, false)
        .alerts(AlertQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("[0].id"));
}
