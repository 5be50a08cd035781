//! Mapping of Atera's payloads, every normalized field checked.
//!
//! The customer page, the agent, the alert page and the 404 are the samples
//! of the provider notes (synthesized there from Atera's OpenAPI schemas,
//! field names exact). Contacts, contracts, tickets and comments are built
//! the same way from the schemas (`ContactDto`, `ContractDto`, `TicketDto`,
//! `TicketCommentDto`).

// Tests panic on failure by design.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use mspkit_atera::{AteraClient, AteraSettings};
use mspkit_core::{
    Address, AlertQuery, ClientOptions, DeviceQuery, DeviceType, ErrorKind, Id, ListQuery,
    PriorityLevel, PsaClient, RmmClient, Severity, TicketQuery, TicketState,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CUSTOMERS: &str = r#"{"items":[
  {"CustomerID":3,"CustomerName":"Acme Dental","CreatedOn":"2023-09-05T09:30:00","LastModified":"2024-05-30T16:02:11",
   "BusinessNumber":"","Domain":"acme.example","Address":"1 High St","City":"Leeds","State":null,"Country":"United Kingdom",
   "Phone":"+44 113 000 0000","Fax":null,"Notes":null,"Logo":null,"Links":null,"Longitude":-1.5491,"Latitude":53.8008,"ZipCodeStr":"LS1 1AA"},
  {"CustomerID":7,"CustomerName":"Bramble & Co","CreatedOn":"2024-01-12T11:00:00","LastModified":"2024-01-12T11:00:00",
   "BusinessNumber":null,"Domain":null,"Address":null,"City":null,"State":null,"Country":null,"Phone":null,"Fax":null,
   "Notes":null,"Logo":null,"Links":null,"Longitude":null,"Latitude":null,"ZipCodeStr":null}],
 "page":1,"itemsInPage":2,"totalItemCount":2,"totalPages":1,"prevLink":null,
 "nextLink":null}"#;

const AGENT: &str = r#"{"MachineID":"a1b2c3d4e5f6","AgentID":118,"DeviceGuid":"3f6c1c2e-8a0b-4f38-9d1e-6f5a1b2c3d4e","FolderID":12,"FolderName":"Main Office",
 "CustomerID":3,"CustomerName":"Acme Dental","AgentName":"ACME-RECEP01","SystemName":"ACME-RECEP01","MachineName":"ACME-RECEP01",
 "DomainName":"acme.local","CurrentLoggedUsers":"ACME\\jsmith","ComputerDescription":"Reception","Monitored":true,
 "AgentVersion":"2.0.0.270","Favorite":false,"ThresholdID":1,"MonitoredAgentID":118,"Created":"2023-09-05T09:41:12",
 "Modified":"2024-06-10T12:00:01","Online":true,"LastSeen":"2024-06-10T12:00:01","ReportedFromIP":"203.0.113.7",
 "AppViewUrl":"https://app.atera.com/new/agent/118","Motherboard":"Dell Inc. 0X8DXD","Processor":"Intel(R) Core(TM) i5-13500",
 "Memory":16384,"Display":"Intel(R) UHD Graphics 770","Sound":"Realtek Audio","ProcessorCoresCount":14,"SystemDrive":"C:",
 "ProcessorClock":"2.5","Vendor":"Dell Inc.","VendorSerialNumber":"7XK2J93","VendorBrandModel":"OptiPlex 7010",
 "ProductName":"OptiPlex 7010","BiosManufacturer":"Dell Inc.","BiosVersion":"1.9.0","BiosReleaseDate":"2023-11-20T00:00:00",
 "MacAddresses":["00-15-5D-0A-1B-2C"],"IpAddresses":["192.168.10.21"],"HardwareDisks":[],"BatteryInfo":null,
 "OS":"Microsoft Windows 11 Pro","OSType":"Work Station","WindowsSerialNumber":"00330-80000-00000-AA123","Office":null,
 "OfficeSP":null,"OfficeOEM":null,"OfficeSerialNumber":null,"OSNum":10.0,"LastRebootTime":"2024-06-09T07:55:00",
 "OSVersion":"10.0.22631","OSBuild":"22631","OfficeFullVersion":null,"LastLoginUser":"jsmith","DeviceType":"Desktop"}"#;

const ALERTS: &str = r#"{"items":[{"AlertID":90412,"Code":1,"Source":"Agent","Title":"Machine status unknown","Severity":"Critical",
  "Created":"2024-06-02T06:45:00","SnoozedEndDate":null,"DeviceGuid":"9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d","AgentId":121,
  "AdditionalInfo":null,"Archived":false,"AlertCategoryID":"Availability","ArchivedDate":null,"TicketID":null,
  "AlertMessage":"ACME-DC01 has not reported for 15 minutes","DeviceName":"ACME-DC01","CustomerID":3,"CustomerName":"Acme Dental",
  "FolderID":12,"PollingCyclesCount":3,"DeviceType":"Server"}],
 "page":1,"itemsInPage":1,"totalItemCount":1,"totalPages":1,"prevLink":null,"nextLink":null}"#;

const NOT_FOUND: &str = r#"{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.4","title":"Not Found","status":404,"detail":"Alert 999999 was not found","instance":null}"#;

fn at(s: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
}

fn page(items: Value) -> String {
    let n = items.as_array().map_or(0, Vec::len);
    json!({"items": items, "page": 1, "itemsInPage": 50, "totalItemCount": n,
           "totalPages": 1, "prevLink": "", "nextLink": ""})
    .to_string()
}

async fn serve(server: &MockServer, p: &str, status: u16, body: impl Into<String>) {
    Mock::given(method("GET"))
        .and(path(p))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(body.into().into_bytes(), "application/json"),
        )
        .mount(server)
        .await;
}

async fn client(server: &MockServer, keep_raw: bool) -> AteraClient {
    let mut s = AteraSettings::new("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d");
    s.base_url = Some(server.uri());
    s.allow_insecure_http = true;
    AteraClient::from_settings_with(&s, ClientOptions::new().keep_raw(keep_raw).rate_limit(None))
        .unwrap()
}

#[tokio::test]
async fn customers_as_organizations_and_companies() {
    let server = MockServer::start().await;
    serve(&server, "/api/v3/customers", 200, CUSTOMERS).await;
    let atera = client(&server, true).await;

    let orgs: Vec<_> = atera
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs.len(), 2);
    let o = &orgs[0];
    assert_eq!(o.id, Id::from("3"));
    assert_eq!(o.name, "Acme Dental");
    assert_eq!(o.created_at, at("2023-09-05T09:30:00Z"));
    assert_eq!(o.updated_at, at("2024-05-30T16:02:11Z"));
    assert_eq!(o.raw.as_ref().unwrap()["ZipCodeStr"], "LS1 1AA");

    let companies: Vec<_> = atera
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &companies[0];
    assert_eq!(c.id, Id::from("3"));
    assert_eq!(c.name, "Acme Dental");
    // "BusinessNumber": "" is not an identifier.
    assert_eq!(c.identifier, None);
    assert_eq!(c.phone.as_deref(), Some("+44 113 000 0000"));
    assert_eq!(c.website.as_deref(), Some("acme.example"));
    let mut address = Address::new();
    address.line1 = Some("1 High St".into());
    address.city = Some("Leeds".into());
    address.postal_code = Some("LS1 1AA".into());
    address.country = Some("United Kingdom".into());
    assert_eq!(c.address, Some(address));
    assert_eq!(c.active, None);
    assert_eq!(c.created_at, at("2023-09-05T09:30:00Z"));
    assert_eq!(c.updated_at, at("2024-05-30T16:02:11Z"));
    // All nulls: only id and name.
    let b = &companies[1];
    assert_eq!((b.id.as_str(), b.name.as_str()), ("7", "Bramble & Co"));
    assert_eq!(
        (&b.identifier, &b.phone, &b.website, &b.address),
        (&None, &None, &None, &None)
    );
}

#[tokio::test]
async fn an_agent_as_a_device() {
    let server = MockServer::start().await;
    serve(&server, "/api/v3/agents/118", 200, AGENT).await;
    serve(
        &server,
        "/api/v3/agents",
        200,
        page(serde_json::from_str(&format!("[{AGENT}]")).unwrap()),
    )
    .await;
    let atera = client(&server, false).await;
    let d = atera.device(&Id::from("118")).await.unwrap();
    assert_eq!(d.id, Id::from("118"));
    assert_eq!(d.organization_id, Some(Id::from("3")));
    assert_eq!(d.site_id, Some(Id::from("12")));
    assert_eq!(d.hostname.as_deref(), Some("ACME-RECEP01"));
    assert_eq!(d.display_name.as_deref(), Some("ACME-RECEP01"));
    assert_eq!(d.device_type, DeviceType::Workstation);
    assert_eq!(d.os_name.as_deref(), Some("Microsoft Windows 11 Pro"));
    assert_eq!(d.os_version.as_deref(), Some("10.0.22631"));
    assert_eq!(d.online, Some(true));
    assert_eq!(d.last_seen, at("2024-06-10T12:00:01Z"));
    assert_eq!(d.ip_addresses, ["192.168.10.21"]);
    assert_eq!(d.mac_addresses, ["00-15-5D-0A-1B-2C"]);
    assert_eq!(d.serial_number.as_deref(), Some("7XK2J93"));
    assert_eq!(d.manufacturer.as_deref(), Some("Dell Inc."));
    assert_eq!(d.model.as_deref(), Some("OptiPlex 7010"));
    assert_eq!(d.agent_version.as_deref(), Some("2.0.0.270"));
    assert_eq!(d.logged_in_user.as_deref(), Some("ACME\\jsmith"));
    assert_eq!(d.raw, None);
    let listed: Vec<_> = atera
        .devices(DeviceQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed, [d]);
}

#[tokio::test]
async fn device_types_come_from_os_type_and_device_type() {
    let server = MockServer::start().await;
    let mut agents = Vec::new();
    for (i, (os_type, kind, os)) in [
        (
            Some("Domain Controller"),
            Some("Server"),
            "Microsoft Windows Server 2019 Standard",
        ),
        (Some("Server"), None, "Microsoft Windows Server 2022"),
        (
            Some("Work Station"),
            Some("Laptop"),
            "Microsoft Windows 11 Pro",
        ),
        (
            Some("Work Station"),
            Some("Desktop"),
            "Microsoft Windows 10 Pro",
        ),
        (None, Some("Virtual Machine"), "Ubuntu 22.04"),
        (None, None, "macOS 14"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut a: Value = serde_json::from_str(AGENT).unwrap();
        a["AgentID"] = json!(200 + i);
        a["OSType"] = json!(os_type);
        a["DeviceType"] = json!(kind);
        a["OS"] = json!(os);
        agents.push(a);
    }
    serve(&server, "/api/v3/agents", 200, page(Value::Array(agents))).await;
    let atera = client(&server, false).await;
    let types: Vec<_> = atera
        .devices(DeviceQuery::new())
        .map_ok(|d| d.device_type)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        types,
        [
            DeviceType::Server,
            DeviceType::Server,
            DeviceType::Laptop,
            DeviceType::Workstation,
            DeviceType::VirtualMachine,
            DeviceType::Other,
        ]
    );
}

#[tokio::test]
async fn alerts_with_agent_id_spelled_either_way() {
    let server = MockServer::start().await;
    serve(&server, "/api/v3/alerts", 200, ALERTS).await;
    let atera = client(&server, false).await;
    let alerts: Vec<_> = atera.alerts(AlertQuery::new()).try_collect().await.unwrap();
    let a = &alerts[0];
    assert_eq!(a.id, Id::from("90412"));
    assert_eq!(a.device_id, Some(Id::from("121")));
    assert_eq!(a.organization_id, Some(Id::from("3")));
    assert_eq!(a.severity, Severity::Critical);
    assert_eq!(a.message, "ACME-DC01 has not reported for 15 minutes");
    assert_eq!(a.created_at, at("2024-06-02T06:45:00Z"));
    assert!(!a.resolved);
    assert_eq!(a.resolved_at, None);

    let server = MockServer::start().await;
    let mut resolved: Value = serde_json::from_str::<Value>(ALERTS).unwrap()["items"][0].clone();
    let obj = resolved.as_object_mut().unwrap();
    obj.remove("AgentId");
    obj.insert("AgentID".into(), json!(122));
    obj.insert("Archived".into(), json!(true));
    obj.insert("ArchivedDate".into(), json!("2024-06-02T07:10:00"));
    obj.insert("Severity".into(), json!("Information"));
    obj.insert("AlertMessage".into(), Value::Null);
    let no_agent = json!({"AlertID": 90415, "Title": "Disk space low", "Severity": "Warning",
        "DeviceGuid": "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", "Archived": false, "CustomerID": 3});
    serve(
        &server,
        "/api/v3/alerts",
        200,
        page(json!([resolved, no_agent])),
    )
    .await;
    let atera = client(&server, false).await;
    let alerts: Vec<_> = atera.alerts(AlertQuery::new()).try_collect().await.unwrap();
    let r = &alerts[0];
    assert_eq!(r.device_id, Some(Id::from("122")));
    assert_eq!(r.severity, Severity::Info);
    assert_eq!(r.message, "Machine status unknown");
    assert!(r.resolved);
    assert_eq!(r.resolved_at, at("2024-06-02T07:10:00Z"));
    let g = &alerts[1];
    assert_eq!(
        g.device_id,
        Some(Id::from("9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"))
    );
    assert_eq!(g.severity, Severity::Warning);
}

#[tokio::test]
async fn the_not_found_sample_names_the_alert() {
    let server = MockServer::start().await;
    serve(&server, "/api/v3/agents/999999", 404, NOT_FOUND).await;
    let atera = client(&server, false).await;
    let e = atera.device(&Id::from("999999")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.message(), Some("Alert 999999 was not found"));
}

#[tokio::test]
async fn contacts_contracts_tickets_and_comments() {
    let server = MockServer::start().await;
    serve(&server, "/api/v3/contacts", 200, page(json!([
        {"EndUserID":200,"CustomerID":3,"CustomerName":"Acme Dental","Firstname":"Jane","Lastname":"Smith",
         "JobTitle":"Practice Manager","Email":"jane.smith@acme.example","Phone":null,"MobilePhone":"+44 7700 900123",
         "IsContactPerson":true,"InIgnoreMode":false,"CreatedOn":"2023-09-05T09:35:00","LastModified":"2024-04-02T10:11:12",
         "Archived":false,"DepartmentID":null,"DepartmentName":null,"DefaultAgentId":null}
    ]))).await;
    serve(&server, "/api/v3/contracts", 200, page(json!([
        {"CustomerID":3,"CustomerName":"Acme Dental","ContractID":700,"ContractName":"Managed IT support 2024",
         "ContractType":"RetainerFlatFee","Active":true,"Default":true,"Taxable":true,
         "StartDate":"2024-01-01T00:00:00","EndDate":"2024-12-31T00:00:00",
         "RetainerFlatFeeContract":{"BillingPeriod":"Monthly","Quantity":1.0,"Rate":null},"HourlyContract":null,
         "BlockHoursContract":null,"BlockMoneyContract":null,"RemoteMonitoringContract":null,"OnlineBackupContract":null,
         "ProjectOneTimeFeeContract":null,"ProjectHourlyRateContract":null}
    ]))).await;
    let ticket = json!({"TicketID":5001,"TicketTitle":"Outlook keeps asking for password","TicketNumber":"5001",
        "TicketPriority":"High","TicketImpact":"Minor","TicketStatus":"Resolved","TicketSource":"Email","TicketType":"Problem",
        "EndUserID":200,"EndUserEmail":"jane.smith@acme.example","EndUserFirstName":"Jane","EndUserLastName":"Smith","EndUserPhone":null,
        "TicketResolvedDate":"2024-06-03T09:05:00","TicketCreatedDate":"2024-06-03T08:12:40","TechnicianFirstCommentDate":"2024-06-03T08:30:02",
        "FirstResponseDueDate":null,"ClosedTicketDueDate":null,
        "FirstComment":"Since this morning Outlook prompts for my password every few minutes.",
        "LastEndUserComment":"Thanks","LastEndUserCommentTimestamp":"2024-06-03T09:02:47",
        "LastTechnicianComment":"Could you remove the saved credential?","LastTechnicianCommentTimestamp":"2024-06-03T08:31:15",
        "CustomerID":3,"CustomerName":"Acme Dental","CustomerBusinessNumber":null,
        "TechnicianContactID":12,"TechnicianFullName":"Dana Reyes","TechnicianEmail":"dana@msp.example","ContractID":700});
    let mut custom = ticket.clone();
    custom["TicketID"] = json!(5002);
    custom["TicketStatus"] = json!("Waiting for parts");
    custom["TicketResolvedDate"] = Value::Null;
    custom["TicketPriority"] = Value::Null;
    custom["TechnicianFullName"] = Value::Null;
    serve(
        &server,
        "/api/v3/tickets",
        200,
        page(json!([ticket, custom])),
    )
    .await;
    serve(&server, "/api/v3/tickets/5001/comments", 200, page(json!([
        {"Date":"2024-06-03T08:30:02","Comment":"Checked the sign-in logs: the password was reset yesterday.",
         "CommentHtml":"<p>Checked the sign-in logs: the password was reset yesterday.</p>","EndUserID":null,
         "TechnicianContactID":12,"Email":"dana@msp.example","FirstName":"Dana","LastName":"Reyes","IsInternal":true},
        {"Date":"2024-06-03T09:02:47","Comment":null,"CommentHtml":"<p>Thanks</p>","EndUserID":200,
         "TechnicianContactID":null,"Email":"jane.smith@acme.example","FirstName":null,"LastName":null,"IsInternal":false}
    ]))).await;
    let atera = client(&server, false).await;

    let contacts: Vec<_> = atera
        .contacts(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let c = &contacts[0];
    assert_eq!(c.id, Id::from("200"));
    assert_eq!(c.company_id, Some(Id::from("3")));
    assert_eq!(c.first_name.as_deref(), Some("Jane"));
    assert_eq!(c.last_name.as_deref(), Some("Smith"));
    assert_eq!(c.email.as_deref(), Some("jane.smith@acme.example"));
    assert_eq!(c.phone.as_deref(), Some("+44 7700 900123"));
    assert_eq!(c.title.as_deref(), Some("Practice Manager"));
    assert_eq!(c.active, Some(true));
    assert_eq!(c.created_at, at("2023-09-05T09:35:00Z"));
    assert_eq!(c.updated_at, at("2024-04-02T10:11:12Z"));

    let agreements: Vec<_> = atera
        .agreements(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let a = &agreements[0];
    assert_eq!(a.id, Id::from("700"));
    assert_eq!(a.company_id, Some(Id::from("3")));
    assert_eq!(a.name, "Managed IT support 2024");
    assert_eq!(a.kind.as_deref(), Some("RetainerFlatFee"));
    assert_eq!(a.starts_on, NaiveDate::from_ymd_opt(2024, 1, 1));
    assert_eq!(a.ends_on, NaiveDate::from_ymd_opt(2024, 12, 31));
    assert_eq!(a.active, Some(true));

    let tickets: Vec<_> = atera
        .tickets(TicketQuery::new())
        .try_collect()
        .await
        .unwrap();
    let t = &tickets[0];
    assert_eq!(t.id, Id::from("5001"));
    assert_eq!(t.number.as_deref(), Some("5001"));
    assert_eq!(t.summary, "Outlook keeps asking for password");
    assert_eq!(
        t.description.as_deref(),
        Some("Since this morning Outlook prompts for my password every few minutes.")
    );
    assert_eq!(t.status.state, TicketState::Resolved);
    assert_eq!(t.status.label.as_deref(), Some("Resolved"));
    assert_eq!(t.status.id, Some(Id::from("Resolved")));
    let p = t.priority.clone().unwrap();
    assert_eq!(p.level, PriorityLevel::High);
    assert_eq!(
        (p.label.as_deref(), p.id),
        (Some("High"), Some(Id::from("High")))
    );
    assert_eq!(t.company_id, Some(Id::from("3")));
    assert_eq!(t.contact_id, Some(Id::from("200")));
    assert_eq!(t.assignee.as_deref(), Some("Dana Reyes"));
    assert_eq!(t.created_at, at("2024-06-03T08:12:40Z"));
    assert_eq!(t.updated_at, at("2024-06-03T09:05:00Z"));
    assert_eq!(t.closed_at, at("2024-06-03T09:05:00Z"));
    let custom = &tickets[1];
    assert_eq!(custom.status.state, TicketState::Other);
    assert_eq!(custom.status.label.as_deref(), Some("Waiting for parts"));
    assert_eq!(custom.priority, None);
    assert_eq!(custom.assignee.as_deref(), Some("dana@msp.example"));
    assert_eq!(custom.closed_at, None);
    assert_eq!(custom.updated_at, at("2024-06-03T09:02:47Z"));

    let notes: Vec<_> = atera
        .ticket_notes(&Id::from("5001"))
        .try_collect()
        .await
        .unwrap();
    let n = &notes[0];
    assert!(
        n.id.as_str().starts_with("5001-1717403402-t12-"),
        "{}",
        n.id
    );
    assert_eq!(n.ticket_id, Id::from("5001"));
    assert_eq!(
        n.text,
        "Checked the sign-in logs: the password was reset yesterday."
    );
    assert!(n.internal);
    assert_eq!(n.author.as_deref(), Some("Dana Reyes"));
    assert_eq!(n.created_at, at("2024-06-03T08:30:02Z"));
    let m = &notes[1];
    assert!(
        m.id.as_str().starts_with("5001-1717405367-u200-"),
        "{}",
        m.id
    );
    assert_eq!(m.text, "<p>Thanks</p>");
    assert!(!m.internal);
    assert_eq!(m.author.as_deref(), Some("jane.smith@acme.example"));
    assert_ne!(n.id, m.id);
}
