//! Mapping on the sample payloads of the provider notes (shapes from
//! Automate's OpenAPI output), every normalized field checked, through the
//! client against a server that answers them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use mspkit_automate::AutomateClient;
use mspkit_core::{
    AlertQuery, DeviceQuery, DeviceType, ErrorKind, Id, ListQuery, Provider, RmmClient, Severity,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "5f0d7a1e-93b2-4c6d-8e4f-2a1b3c4d5e6f";

/// The notes' `POST apitoken` sample, with an expiry in the future.
fn token_sample() -> Value {
    json!({"AccessToken":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig","TokenType":"Bearer",
        "ExpirationDate": (Utc::now() + chrono::Duration::minutes(50)).to_rfc3339(),
        "AbsoluteExpirationDate":"2099-06-10T20:04:05Z","UserId":"42","InternalUserName":"api-sync",
        "IsTwoFactorRequired":false,"IsInternalTwoFactorRequired":false,"SSOAccessToken":null})
}

/// A client of a server answering `body` at `GET /cwa/api/v1/{at}`.
async fn serving(at: &str, body: Value, keep_raw: bool) -> (MockServer, AutomateClient) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cwa/api/v1/apitoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_sample()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/cwa/api/v1/{at}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = AutomateClient::builder()
        .server(server.uri())
        .username("api-sync")
        .password("s3cret!")
        .client_id(CLIENT_ID)
        .allow_insecure_http()
        .keep_raw(keep_raw)
        .build()
        .unwrap();
    (server, client)
}

fn utc(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

#[tokio::test]
async fn clients_map_to_organizations() {
    // The notes' `GET Clients?pageSize=2` sample.
    let sample = json!([
     {"Id":"1","Name":"Acme Dental","Company":"Acme Dental Ltd","FirstName":"","LastName":"","Address1":"1 High St","Address2":"",
      "City":"Leeds","State":"","ZipCode":"LS1 1AA","PhoneNumber":"","FaxNumber":"","Comment":"","Country":"United Kingdom",
      "ExternalId":"","UsesInHouseSupportStaff":false,"NewTicketNotificationEmail":"","IsHiddenFromAllInclusiveGroup":false},
     {"Id":"7","Name":"Bramble & Co","Company":"","FirstName":"","LastName":"","Address1":"","Address2":"","City":"","State":"",
      "ZipCode":"","PhoneNumber":"","FaxNumber":"","Comment":"","Country":"","ExternalId":"","UsesInHouseSupportStaff":false,
      "NewTicketNotificationEmail":"","IsHiddenFromAllInclusiveGroup":false}
    ]);
    let (_s, c) = serving("Clients", sample.clone(), true).await;
    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs.len(), 2);
    let acme = &orgs[0];
    assert_eq!(acme.id, Id::from("1"));
    assert_eq!(acme.provider, Provider::Automate);
    assert_eq!(acme.name, "Acme Dental");
    assert_eq!(acme.created_at, None, "Automate keeps no creation time");
    assert_eq!(acme.updated_at, None);
    assert_eq!(acme.raw.as_ref(), Some(&sample[0]));
    assert_eq!(orgs[1].id, Id::from("7"));
    assert_eq!(orgs[1].name, "Bramble & Co");
}

/// A client with its `Locations` expanded: their credentials leave `raw`.
#[tokio::test]
async fn a_client_s_nested_locations_lose_their_credentials() {
    let sample = json!([{"Id": 1, "Name": "Acme Dental",
        "Locations": [{"Id": 3, "Name": "Main Office", "ScriptUsername": "ACME\\svc",
                       "ScriptPassword": "p4ss", "Router": {"Id": 2, "Password": "r0uter"}}]}]);
    let (_s, c) = serving("Clients", sample, true).await;
    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs[0].id, Id::from("1"), "a numeric id is read too");
    assert_eq!(
        orgs[0].raw,
        Some(json!({"Id": 1, "Name": "Acme Dental",
            "Locations": [{"Id": 3, "Name": "Main Office", "Router": {"Id": 2}}]}))
    );
}

/// A location in the list contract's shape (every field the schema lists;
/// the notes hold no captured sample).
#[tokio::test]
async fn locations_map_to_sites() {
    let sample = json!([{"Id":3,"LocationId":3,"Name":"Main Office","FaxNumber":"",
        "MaintenanceWindow":null,"DeploymentTemplate":null,
        "Router":{"Id":1,"ManufacturerName":"Draytek","Model":"Vigor 2927","Version":"4.4","PortType":"",
                  "Username":"admin","Password":"r0uter-pw","Guid":""},
        "ProbeId":0,"ExternalId":0,"ScriptExtra2":"","ScriptExtra1":"x1","ScriptRouterAddress":"192.168.10.1",
        "ScriptPassword":"Scr1pt-pw","ScriptUsername":"ACME\\svc-automate","ScriptDrive":"C:","RouterPort":0,
        "Comments":"Ground floor","Contact":null,"DefaultDeploymentLogin":null,"PhoneNumber":"0113 496 0000",
        "Country":"United Kingdom","ZipCode":"LS1 1AA","State":"","City":"Leeds","Address2":"","Address1":"1 High St",
        "Client":{"Id":"1","Name":"Acme Dental"},"DefaultDeploymentGroup":null,"ExtraFields":[]},
        {"LocationId":4,"Name":"Clinic North","Client":{"Id":1,"Name":"Acme Dental"}}]);
    let (_s, c) = serving("Locations", sample, true).await;
    let sites: Vec<_> = c.sites(ListQuery::new()).try_collect().await.unwrap();
    let main = &sites[0];
    assert_eq!(main.id, Id::from("3"));
    assert_eq!(main.provider, Provider::Automate);
    assert_eq!(main.organization_id, Some(Id::from("1")));
    assert_eq!(main.name, "Main Office");
    let raw = main.raw.as_ref().unwrap();
    assert_eq!(raw["City"], "Leeds");
    assert_eq!(
        raw["Router"],
        json!({"Id":1,"ManufacturerName":"Draytek","Model":"Vigor 2927","Version":"4.4","PortType":"","Guid":""})
    );
    let shown = format!("{sites:?}");
    for secret in [
        "Scr1pt-pw",
        "svc-automate",
        "r0uter-pw",
        "x1\"",
        "192.168.10.1",
    ] {
        assert!(!shown.contains(secret), "{secret} shown: {shown}");
    }
    assert_eq!(sites[1].id, Id::from("4"), "LocationId stands in for Id");
    assert_eq!(sites[1].organization_id, Some(Id::from("1")));
}

/// The notes' `GET Computers?ids=118` sample.
fn computer_sample() -> Value {
    json!([{"Id":"118","ComputerName":"ACME-RECEP01","FriendlyName":"Reception PC",
      "Client":{"Id":"1","Name":"Acme Dental"},"Location":{"Id":3,"Name":"Main Office"},
      "Type":"Workstation","Status":"Online","OperatingSystemName":"Microsoft Windows 11 Pro x64",
      "OperatingSystemVersion":"10.0.22631","DomainName":"ACME","LocalIPAddress":"192.168.10.21","GatewayIPAddress":"192.168.10.1",
      "MACAddress":"00-15-5D-0A-1B-2C","SerialNumber":"7XK2J93","BiosManufacturer":"Dell Inc.","RemoteAgentVersion":"2024.6.85",
      "RemoteAgentLastContact":"2024-06-10T12:00:01","LastInventoryReceived":"2024-06-10T06:12:44","DateAdded":"2023-09-05T09:30:00",
      "LastUserName":"ACME\\jsmith","LoggedInUsers":[{"LoggedInUserName":"ACME\\jsmith","ConsoleId":1}],
      "IsVirtualMachine":false,"IsMaintenanceModeEnabled":false,"IsRebootNeeded":false,"TotalMemory":16384,"FreeMemory":7310,
      "VirusScanner":{"Id":12,"Name":"Microsoft Defender"},"OpenPortsTCP":[135,445],"OpenPortsUDP":[]}])
}

#[tokio::test]
async fn computers_map_to_devices() {
    let (_s, c) = serving("Computers", computer_sample(), true).await;
    let d = c.device(&Id::from("118")).await.unwrap();
    assert_eq!(d.id, Id::from("118"));
    assert_eq!(d.provider, Provider::Automate);
    assert_eq!(d.organization_id, Some(Id::from("1")));
    assert_eq!(d.site_id, Some(Id::from("3")));
    assert_eq!(d.hostname.as_deref(), Some("ACME-RECEP01"));
    assert_eq!(d.display_name.as_deref(), Some("Reception PC"));
    assert_eq!(d.device_type, DeviceType::Workstation);
    assert_eq!(d.os_name.as_deref(), Some("Microsoft Windows 11 Pro x64"));
    assert_eq!(d.os_version.as_deref(), Some("10.0.22631"));
    assert_eq!(d.online, Some(true));
    assert_eq!(d.last_seen, utc("2024-06-10T12:00:01Z"));
    assert_eq!(d.ip_addresses, ["192.168.10.21"]);
    assert_eq!(d.mac_addresses, ["00:15:5D:0A:1B:2C"]);
    assert_eq!(d.serial_number.as_deref(), Some("7XK2J93"));
    assert_eq!(d.manufacturer.as_deref(), Some("Dell Inc."));
    assert_eq!(d.model, None, "the model is only on the chassis endpoint");
    assert_eq!(d.agent_version.as_deref(), Some("2024.6.85"));
    assert_eq!(d.logged_in_user.as_deref(), Some("ACME\\jsmith"));
    assert_eq!(d.raw.as_ref(), Some(&computer_sample()[0]));

    let listed: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    assert_eq!(listed, vec![d], "the list maps as device(id) does");
}

#[tokio::test]
async fn computer_variants_map_their_types_states_and_users() {
    let sample = json!([
        {"Id":121,"ComputerName":"ACME-DC01","FriendlyName":"","Type":"Server","Status":"Offline",
         "IsVirtualMachine":false,"LastUserName":"ACME\\administrator","LoggedInUsers":[],
         "RemoteAgentLastContact":"2024-06-02T06:30:00+02:00","MACAddress":"0015:5D0A:1B99"},
        {"Id":"122","ComputerName":"ACME-SQL01","Type":"Server","Status":"online","IsVirtualMachine":true,
         "LoggedInUsers":null,"RemoteAgentLastContact":"0001-01-01T00:00:00","MACAddress":"unknown"},
        {"Id":"123","ComputerName":"ACME-LT07","Type":"Laptop","Status":"","IsVirtualMachine":0},
        {"Id":"124","ComputerName":"PRINTER","Type":"","Status":"Unknown"}
    ]);
    let (_s, c) = serving("Computers", sample, false).await;
    let d: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    assert_eq!(d[0].id, Id::from("121"));
    assert_eq!(d[0].device_type, DeviceType::Server);
    assert_eq!(d[0].online, Some(false));
    assert_eq!(d[0].display_name, None);
    assert_eq!(
        d[0].logged_in_user.as_deref(),
        Some("ACME\\administrator"),
        "the last user when none is logged in"
    );
    assert_eq!(d[0].last_seen, utc("2024-06-02T04:30:00Z"));
    assert_eq!(d[0].mac_addresses, ["00:15:5D:0A:1B:99"]);
    assert_eq!(d[0].organization_id, None);
    assert_eq!(d[1].device_type, DeviceType::VirtualMachine);
    assert_eq!(d[1].online, Some(true));
    assert_eq!(d[1].last_seen, None, ".NET's empty date is none");
    assert_eq!(d[1].mac_addresses, ["unknown"]);
    assert_eq!(d[2].device_type, DeviceType::Laptop);
    assert_eq!(d[2].online, None);
    assert_eq!(d[3].device_type, DeviceType::Other);
    assert_eq!(d[3].online, None);
    assert!(d[3].ip_addresses.is_empty() && d[3].mac_addresses.is_empty());
}

#[tokio::test]
async fn an_unreadable_timestamp_is_a_decode_error_naming_it() {
    let sample = json!([{"Id":"118","RemoteAgentLastContact":"yesterday"}]);
    let (_s, c) = serving("Computers", sample, false).await;
    let r: Result<Vec<_>, _> = c.devices(DeviceQuery::new()).try_collect().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.decode_path(), Some("[0].RemoteAgentLastContact"));
}

#[tokio::test]
async fn alerts_map_with_their_severity() {
    // The notes' `GET Alerts?pageSize=1` sample, and other severities.
    let sample = json!([
     {"AlertId":5531,"Client":{"Id":1,"Name":"Acme Dental"},"Computer":{"Id":121,"Name":"ACME-DC01","ComputerStatus":"Offline"},
      "Device":null,"Location":{"Id":3,"Name":"Main Office"},"Monitor":{"Id":88,"Name":"Agent Offline"},
      "AlertDate":"2024-06-02T06:45:00","Severity":{"Id":3,"Name":"Critical"},"Source":"Monitor",
      "Message":"ACME-DC01 has not checked in for 15 minutes","FieldName":"","AlertAge":"8 days"},
     {"AlertId":5532,"Client":{"Id":1},"Computer":null,"AlertDate":"2024-06-03T07:00:00",
      "Severity":{"Id":2,"Name":"Warning"},"Message":"Disk space low"},
     {"AlertId":5533,"Severity":{"Name":"Informational"},"Message":"Reboot pending"},
     {"AlertId":5534,"Severity":{"Name":"Error"},"Message":"Service stopped"},
     {"AlertId":5535,"Severity":null,"Message":"Unknown"}
    ]);
    let (_s, c) = serving("Alerts", sample.clone(), true).await;
    let a: Vec<_> = c.alerts(AlertQuery::new()).try_collect().await.unwrap();
    let first = &a[0];
    assert_eq!(first.id, Id::from("5531"));
    assert_eq!(first.provider, Provider::Automate);
    assert_eq!(first.device_id, Some(Id::from("121")));
    assert_eq!(first.organization_id, Some(Id::from("1")));
    assert_eq!(first.severity, Severity::Critical);
    assert_eq!(first.message, "ACME-DC01 has not checked in for 15 minutes");
    assert_eq!(first.created_at, utc("2024-06-02T06:45:00Z"));
    assert!(!first.resolved);
    assert_eq!(first.resolved_at, None);
    assert_eq!(first.raw.as_ref(), Some(&sample[0]));
    assert_eq!(a[1].device_id, None);
    let severities: Vec<_> = a.iter().map(|a| a.severity).collect();
    assert_eq!(
        severities,
        [
            Severity::Critical,
            Severity::Warning,
            Severity::Info,
            Severity::Error,
            Severity::Other
        ]
    );

    // updated_since keeps alerts raised at or after the instant.
    let since = utc("2024-06-03T00:00:00Z").unwrap();
    let recent: Vec<_> = c
        .alerts(AlertQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = recent.iter().map(|a| a.id.as_str().to_owned()).collect();
    assert_eq!(
        ids,
        ["5532", "5533", "5534", "5535"],
        "undated alerts are kept"
    );
}

#[tokio::test]
async fn software_maps_to_the_device_asked_for() {
    // The notes' `GET Computers/118/Software?pageSize=1` sample.
    let sample = json!([{"ApplicationId":90211,"ComputerId":118,"Name":"7-Zip 23.01 (x64)","InstallationPath":"C:\\Program Files\\7-Zip\\",
      "DateInstalled":"2024-03-02T00:00:00","Size":5632,"UninstallerPath":"C:\\Program Files\\7-Zip\\Uninstall.exe",
      "Version":"23.01","Classification":{"Id":1,"Name":"Application"},"DateLastInventoried":"2024-06-10T06:12:44",
      "ClientId":1,"ComputerName":"ACME-RECEP01"}]);
    let (_s, c) = serving("Computers/118/Software", sample.clone(), true).await;
    let s: Vec<_> = c.software(&Id::from("118")).try_collect().await.unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].provider, Provider::Automate);
    assert_eq!(s[0].device_id, Id::from("118"));
    assert_eq!(s[0].name, "7-Zip 23.01 (x64)");
    assert_eq!(s[0].version.as_deref(), Some("23.01"));
    assert_eq!(s[0].publisher, None, "Automate records no publisher");
    assert_eq!(s[0].installed_at, utc("2024-03-02T00:00:00Z"));
    assert_eq!(s[0].raw.as_ref(), Some(&sample[0]));
}
