//! A fake Atera API (feature `mock`) for tests and demos: the v3 paths
//! under `/api/v3/`, both credential forms (`X-API-KEY` with a legacy key,
//! `Authorization: Bearer` with a JWT token), a 401 with an empty body
//! otherwise, the `{items, page, itemsInPage, totalItemCount, totalPages,
//! prevLink, nextLink}` envelope paged by `nextLink` (at most 50 a page),
//! RFC 7807 problem details on 400 and 404, a 405 for a wrong method, and
//! realistic data in Atera's PascalCase shapes.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_atera::AteraClient;
//! use mspkit_core::{DeviceQuery, RmmClient};
//!
//! let fake = mspkit_atera::mock::start().await;
//! let atera = AteraClient::from_settings(&fake.settings)?;
//! let devices: Vec<_> = atera.devices(DeviceQuery::new()).try_collect().await?;
//! assert_eq!(Some(devices.len()), fake.expected.devices);
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use serde_json::{Value, json};
use wiremock::matchers::{any, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use mspkit_testkit::{
    ApiKeyHeader, BearerToken, Credential, PageScheme, PageView, Paged, Reply, find_by_id,
    mount_gate, parse_instant, query_param,
};
pub use mspkit_testkit::{Expected, FakeServer};

use crate::settings::AteraSettings;

/// The legacy API key the fake accepts in `X-API-KEY`.
pub const API_KEY: &str = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d";

/// The newer API token (a JWT) the fake accepts as `Authorization: Bearer`.
pub const API_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2NvdW50SWQiOiI0NDEyIiwiZG9tYWlucyI6WyJBZ2VudHMiLCJBbGVydHMiLCJDdXN0b21lcnMiLCJDb250YWN0cyIsIlRpY2tldHMiLCJDb250cmFjdHMiXX0.bW9jay1zaWduYXR1cmUtbm90LWEtcmVhbC1vbmU";

/// The account's `TimeZoneName`.
pub const TIME_ZONE: &str = "GMT Standard Time";

/// The ticket that has comments in the fake, and how many.
pub const TICKET_WITH_COMMENTS: (i64, usize) = (5001, 4);

const CUSTOMERS: usize = 8;
const AGENTS: usize = 120;
const CONTACTS: usize = 30;
const CONTRACTS: usize = 9;
const TICKETS: usize = 130;
const OPEN_ALERTS: usize = 24;

/// Starts the fake; its settings carry the legacy key (`X-API-KEY`).
pub async fn start() -> FakeServer<AteraSettings> {
    start_with(API_KEY).await
}

/// Starts the fake; its settings carry the JWT token (`Authorization:
/// Bearer`).
pub async fn start_with_token() -> FakeServer<AteraSettings> {
    start_with(API_TOKEN).await
}

async fn start_with(key: &str) -> FakeServer<AteraSettings> {
    let server = MockServer::start().await;
    // Atera answers a missing or wrong credential with 401 and no body.
    let refusal = Reply::empty(401);
    let either = Either {
        legacy: ApiKeyHeader::new("x-api-key", API_KEY, refusal.clone()),
        token: BearerToken::fixed(API_TOKEN, refusal),
    };
    mount_gate(&server, path_regex("^/"), either).await;

    let data = Data::new();
    let expected = data.expected();
    Mock::given(any())
        .respond_with(Fake::new(data))
        .mount(&server)
        .await;

    let mut settings = AteraSettings::new(key);
    settings.base_url = Some(server.uri());
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected).secrets([key.to_owned(), format!("Bearer {key}")])
}

/// Either credential form admits a request.
struct Either {
    legacy: ApiKeyHeader,
    token: BearerToken,
}

impl Credential for Either {
    #[allow(clippy::result_large_err)]
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        self.legacy
            .admit(request)
            .or_else(|_| self.token.admit(request))
    }
}

/// The probe instant of the suites lies between these.
fn before(n: usize) -> String {
    stamp(Utc.with_ymd_and_hms(2023, 9, 5, 9, 30, 0).single(), n)
}

fn after(n: usize) -> String {
    stamp(Utc.with_ymd_and_hms(2024, 5, 30, 16, 2, 11).single(), n)
}

/// A naive timestamp (Atera sends no offset), `n` hours and minutes on.
fn stamp(base: Option<DateTime<Utc>>, n: usize) -> String {
    let t = base.unwrap_or_default() + Duration::minutes(n as i64 * 97);
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

struct Data {
    customers: Vec<Value>,
    agents: Vec<Value>,
    alerts: Vec<Value>,
    contacts: Vec<Value>,
    contracts: Vec<Value>,
    tickets: Vec<Value>,
    comments: HashMap<i64, Vec<Value>>,
    next_ticket: i64,
}

const NAMES: [&str; CUSTOMERS] = [
    "Acme Dental",
    "Bramble & Co",
    "Cobalt Logistics",
    "Dunmore Legal LLP",
    "Eastgate Veterinary",
    "Fernhill Primary School",
    "Greyfriars Accountants",
    "Harbour Lights Hotel",
];

const FIRST: [&str; 10] = [
    "Jane", "Sam", "Priya", "Tom", "Aisha", "Liam", "Mei", "Oscar", "Grace", "Noah",
];
const LAST: [&str; 10] = [
    "Smith", "Okafor", "Patel", "Walsh", "Khan", "Murphy", "Chen", "Berg", "Hughes", "Evans",
];

fn customer_id(i: usize) -> i64 {
    3 + 4 * i as i64
}

impl Data {
    fn new() -> Self {
        let customers: Vec<Value> = (0..CUSTOMERS).map(customer).collect();
        let agents = (0..AGENTS).map(agent).collect();
        let mut alerts: Vec<Value> = (0..OPEN_ALERTS).map(|i| alert(i, "open")).collect();
        alerts.extend((0..8).map(|i| alert(OPEN_ALERTS + i, "resolved")));
        alerts.extend((0..2).map(|i| alert(OPEN_ALERTS + 8 + i, "snoozed")));
        let contacts = (0..CONTACTS).map(contact).collect();
        let contracts = (0..CONTRACTS).map(contract).collect();
        let tickets: Vec<Value> = (0..TICKETS).map(ticket).collect();
        let mut comments = HashMap::new();
        comments.insert(TICKET_WITH_COMMENTS.0, first_ticket_comments());
        Data {
            customers,
            agents,
            alerts,
            contacts,
            contracts,
            tickets,
            comments,
            next_ticket: 5001 + TICKETS as i64,
        }
    }

    fn expected(&self) -> Expected {
        let mut e = Expected::new();
        e.companies = Some(CUSTOMERS);
        e.organizations = Some(CUSTOMERS);
        e.contacts = Some(CONTACTS);
        e.agreements = Some(CONTRACTS);
        e.tickets = Some(TICKETS);
        e.devices = Some(AGENTS);
        e.alerts = Some(OPEN_ALERTS);
        e.sites = None;
        e.company_id = Some(customer_id(0).into());
        e.ticket_with_notes = Some((TICKET_WITH_COMMENTS.0.into(), TICKET_WITH_COMMENTS.1));
        e.device_with_software = Some((118i64.into(), 0));
        e
    }
}

fn customer(i: usize) -> Value {
    let id = customer_id(i);
    match i {
        // The notes' samples, as Atera sends them.
        0 => {
            json!({"CustomerID":3,"CustomerName":"Acme Dental","CreatedOn":"2023-09-05T09:30:00","LastModified":"2024-05-30T16:02:11",
            "BusinessNumber":"","Domain":"acme.example","Address":"1 High St","City":"Leeds","State":null,"Country":"United Kingdom",
            "Phone":"+44 113 000 0000","Fax":null,"Notes":null,"Logo":null,"Links":null,"Longitude":-1.5491,"Latitude":53.8008,"ZipCodeStr":"LS1 1AA"})
        }
        1 => {
            json!({"CustomerID":7,"CustomerName":"Bramble & Co","CreatedOn":"2024-01-12T11:00:00","LastModified":"2024-01-12T11:00:00",
            "BusinessNumber":null,"Domain":null,"Address":null,"City":null,"State":null,"Country":null,"Phone":null,"Fax":null,
            "Notes":null,"Logo":null,"Links":null,"Longitude":null,"Latitude":null,"ZipCodeStr":null})
        }
        _ => json!({
            "CustomerID": id,
            "CustomerName": NAMES[i],
            "CreatedOn": before(i),
            "LastModified": if i % 2 == 0 { after(i) } else { before(i + 40) },
            "BusinessNumber": format!("0{}4471{}", i, id),
            "Domain": format!("{}.example", NAMES[i].split(' ').next().unwrap_or("x").to_lowercase()),
            "Address": format!("{} Market Street", 10 + i),
            "City": (["Leeds", "York", "Bristol", "Cardiff", "Bath", "Hull"][i % 6]),
            "State": null,
            "Country": "United Kingdom",
            "Phone": format!("+44 113 000 00{i:02}"),
            "Fax": null, "Notes": null, "Logo": null, "Links": null,
            "Longitude": null, "Latitude": null,
            "ZipCodeStr": format!("LS{i} 1AA"),
        }),
    }
}

/// The notes' `GET /api/v3/agents/118` sample.
const SAMPLE_AGENT: &str = r#"{"MachineID":"a1b2c3d4e5f6","AgentID":118,"DeviceGuid":"3f6c1c2e-8a0b-4f38-9d1e-6f5a1b2c3d4e","FolderID":12,"FolderName":"Main Office",
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

fn sample(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

fn agent(i: usize) -> Value {
    if i == 0 {
        return sample(SAMPLE_AGENT);
    }
    let c = i % CUSTOMERS;
    let id = 118 + i as i64;
    let prefix: String = NAMES[c]
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(4)
        .collect::<String>()
        .to_uppercase();
    let (os_type, kind, os, version, model) = match i % 5 {
        0 => (
            "Server",
            "Server",
            "Microsoft Windows Server 2022 Standard",
            "10.0.20348",
            "PowerEdge T150",
        ),
        1 => (
            "Work Station",
            "Laptop",
            "Microsoft Windows 11 Pro",
            "10.0.22631",
            "Latitude 5440",
        ),
        2 if i % 10 == 2 => (
            "Domain Controller",
            "Server",
            "Microsoft Windows Server 2019 Standard",
            "10.0.17763",
            "PowerEdge R250",
        ),
        _ => (
            "Work Station",
            "Desktop",
            "Microsoft Windows 10 Pro",
            "10.0.19045",
            "OptiPlex 7010",
        ),
    };
    let name = format!(
        "{prefix}-{}{:02}",
        if os_type == "Work Station" {
            "PC"
        } else {
            "SRV"
        },
        i
    );
    json!({
        "MachineID": format!("{:012x}", 0xa1b2_c3d4_e5f6u64 + i as u64),
        "AgentID": id,
        "DeviceGuid": format!("3f6c1c2e-8a0b-4f38-9d1e-{:012x}", i),
        "FolderID": 12 + (i % 3) as i64,
        "FolderName": (["Main Office", "Branch", "Remote Staff"][i % 3]),
        "CustomerID": customer_id(c),
        "CustomerName": NAMES[c],
        "AgentName": name, "SystemName": name, "MachineName": name,
        "DomainName": format!("{}.local", prefix.to_lowercase()),
        "CurrentLoggedUsers": if i % 4 == 0 { Value::Null } else { json!(format!("{}\\{}", prefix, FIRST[i % 10].to_lowercase())) },
        "ComputerDescription": null,
        "Monitored": true,
        "AgentVersion": "2.0.0.270",
        "Favorite": false,
        "Created": before(i),
        "Modified": if i % 3 == 0 { before(i + 100) } else { after(i) },
        "Online": i % 7 != 0,
        "LastSeen": after(i),
        "ReportedFromIP": format!("203.0.113.{}", 10 + c),
        "Vendor": "Dell Inc.",
        "VendorSerialNumber": format!("{:X}", 0x7A00_0000u64 + i as u64 * 7919),
        "VendorBrandModel": model,
        "ProductName": model,
        "Memory": 16384,
        "MacAddresses": [format!("00-15-5D-0A-{:02X}-{:02X}", c, i % 256)],
        "IpAddresses": [format!("192.168.{}.{}", 10 + c, 20 + i % 200)],
        "HardwareDisks": [],
        "OS": os, "OSType": os_type, "OSVersion": version,
        "OSBuild": version.rsplit('.').next(),
        "LastLoginUser": FIRST[i % 10].to_lowercase(),
        "DeviceType": kind,
    })
}

fn alert(i: usize, state: &str) -> Value {
    if i == 0 {
        return json!({"AlertID":90412,"Code":1,"Source":"Agent","Title":"Machine status unknown","Severity":"Critical",
            "Created":"2024-06-02T06:45:00","SnoozedEndDate":null,"DeviceGuid":"9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d","AgentId":121,
            "AdditionalInfo":null,"Archived":false,"AlertCategoryID":"Availability","ArchivedDate":null,"TicketID":null,
            "AlertMessage":"ACME-DC01 has not reported for 15 minutes","DeviceName":"ACME-DC01","CustomerID":3,"CustomerName":"Acme Dental",
            "FolderID":12,"PollingCyclesCount":3,"DeviceType":"Server"});
    }
    let a = agent(i * 3 % AGENTS);
    let (title, category, severity) = match i % 4 {
        0 => ("Disk space low", "Disk", "Warning"),
        1 => ("CPU utilization high", "Performance", "Warning"),
        2 => ("Machine status unknown", "Availability", "Critical"),
        _ => ("Windows update failed", "General", "Information"),
    };
    let resolved = state == "resolved";
    json!({
        "AlertID": 90412 + i as i64 * 3,
        "Code": 1 + (i % 4) as i64,
        "Source": "Agent",
        "Title": title,
        "Severity": severity,
        "Created": if i % 2 == 0 { after(i) } else { before(i + 200) },
        "SnoozedEndDate": if state == "snoozed" { json!(after(i + 500)) } else { Value::Null },
        "DeviceGuid": a["DeviceGuid"],
        "AgentId": a["AgentID"],
        "AdditionalInfo": null,
        "Archived": resolved,
        "AlertCategoryID": category,
        "ArchivedDate": if resolved { json!(after(i + 3)) } else { Value::Null },
        "TicketID": null,
        "AlertMessage": format!("{} on {}", title, a["MachineName"].as_str().unwrap_or_default()),
        "DeviceName": a["MachineName"],
        "CustomerID": a["CustomerID"],
        "CustomerName": a["CustomerName"],
        "FolderID": a["FolderID"],
        "PollingCyclesCount": 3,
        "DeviceType": a["OSType"],
    })
}

fn contact(i: usize) -> Value {
    let c = i % CUSTOMERS;
    let (first, last) = (FIRST[i % 10], LAST[(i / 3) % 10]);
    let domain = customer(c)["Domain"]
        .as_str()
        .map_or_else(|| "bramble.example".to_owned(), str::to_owned);
    json!({
        "EndUserID": 200 + i as i64,
        "CustomerID": customer_id(c),
        "CustomerName": NAMES[c],
        "Firstname": first,
        "Lastname": last,
        "JobTitle": ([Some("Practice Manager"), Some("Office Manager"), Some("Director"), None, Some("Receptionist")][i % 5]),
        "Email": format!("{}.{}@{}", first.to_lowercase(), last.to_lowercase(), domain),
        "Phone": if i % 4 == 3 { Value::Null } else { json!(format!("+44 113 496 0{i:03}")) },
        "MobilePhone": format!("+44 7700 900{i:03}"),
        "IsContactPerson": i % CUSTOMERS == i,
        "InIgnoreMode": false,
        "CreatedOn": before(i),
        "LastModified": if i % 2 == 1 { after(i) } else { before(i + 60) },
        "Archived": i % 11 == 10,
        "DepartmentID": null,
        "DepartmentName": null,
        "DefaultAgentId": null,
    })
}

fn contract(i: usize) -> Value {
    let c = i % CUSTOMERS;
    let (kind, name) = match i % 3 {
        0 => ("RetainerFlatFee", "Managed IT support"),
        1 => ("RemoteMonitoring", "Remote monitoring"),
        _ => ("BlockHours", "Project hours block"),
    };
    json!({
        "CustomerID": customer_id(c),
        "CustomerName": NAMES[c],
        "ContractID": 700 + i as i64,
        "ContractName": format!("{name} {}", 2023 + (i % 2)),
        "ContractType": kind,
        "Active": i != 8,
        "Default": i < CUSTOMERS,
        "Taxable": true,
        "StartDate": format!("{}-01-01T00:00:00", 2023 + (i % 2)),
        "EndDate": if i % 3 == 1 { Value::Null } else { json!(format!("{}-12-31T00:00:00", 2024 + (i % 2))) },
        "RetainerFlatFeeContract": if kind == "RetainerFlatFee" { json!({"BillingPeriod": "Monthly", "Quantity": 1.0, "Rate": {"RateID": 4, "Amount": 850.0}}) } else { Value::Null },
        "HourlyContract": null,
        "BlockHoursContract": null,
        "BlockMoneyContract": null,
        "RemoteMonitoringContract": null,
        "OnlineBackupContract": null,
        "ProjectOneTimeFeeContract": null,
        "ProjectHourlyRateContract": null,
    })
}

fn ticket(i: usize) -> Value {
    let id = 5001 + i as i64;
    let c = i % CUSTOMERS;
    let user = contact(c);
    let status = match i % 7 {
        0 | 3 => "Open",
        1 => "Pending",
        2 => "Resolved",
        4 => "Closed",
        5 => "Waiting for parts",
        _ => "Open",
    };
    let closed = matches!(status, "Resolved" | "Closed");
    let recent = i % 2 == 0;
    let created = if recent { after(i) } else { before(i) };
    let (title, first) = match i % 4 {
        0 => (
            "Outlook keeps asking for password",
            "Since this morning Outlook prompts for my password every few minutes.",
        ),
        1 => (
            "New starter laptop",
            "Please set up a laptop for our new receptionist starting Monday.",
        ),
        2 => (
            "Printer offline in reception",
            "The reception printer shows offline on every PC.",
        ),
        _ => (
            "VPN disconnects",
            "The VPN drops every ten minutes when working from home.",
        ),
    };
    json!({
        "TicketID": id,
        "TicketTitle": title,
        "TicketNumber": id.to_string(),
        "TicketPriority": (["Low", "Medium", "High", "Critical"][i % 4]),
        "TicketImpact": (["Minor", "Major", "NoImpact", "SiteDown"][i % 4]),
        "TicketStatus": status,
        "TicketSource": (["Email", "Portal", "Phone"][i % 3]),
        "TicketType": (["Problem", "Request", "Incident", "Change"][i % 4]),
        "EndUserID": user["EndUserID"],
        "EndUserEmail": user["Email"],
        "EndUserFirstName": user["Firstname"],
        "EndUserLastName": user["Lastname"],
        "EndUserPhone": user["Phone"],
        "TicketResolvedDate": if closed { json!(if recent { after(i + 2) } else { before(i + 2) }) } else { Value::Null },
        "TicketCreatedDate": created,
        "TechnicianFirstCommentDate": if recent { after(i + 1) } else { before(i + 1) },
        "FirstResponseDueDate": null,
        "ClosedTicketDueDate": null,
        "FirstComment": first,
        "LastEndUserComment": "Thanks",
        "LastEndUserCommentTimestamp": if recent { json!(after(i + 1)) } else { json!(before(i + 1)) },
        "LastTechnicianComment": "Looking into it now.",
        "LastTechnicianCommentTimestamp": if recent { json!(after(i + 1)) } else { Value::Null },
        "OnSiteDurationSeconds": 0, "OnSiteDurationMinutes": 0,
        "OffSiteDurationSeconds": 900, "OffSiteDurationMinutes": 15,
        "TotalDurationSeconds": 900, "TotalDurationMinutes": 15,
        "CustomerID": customer_id(c),
        "CustomerName": NAMES[c],
        "CustomerBusinessNumber": null,
        "TechnicianContactID": if i % 5 == 4 { Value::Null } else { json!(12 + (i % 3) as i64) },
        "TechnicianFullName": if i % 5 == 4 { Value::Null } else { json!((["Dana Reyes", "Kofi Mensah", "Ola Nordmann"])[i % 3]) },
        "TechnicianEmail": if i % 5 == 4 { Value::Null } else { json!((["dana@msp.example", "kofi@msp.example", "ola@msp.example"])[i % 3]) },
        "ContractID": null,
    })
}

fn first_ticket_comments() -> Vec<Value> {
    vec![
        json!({"Date":"2024-06-03T08:12:40","Comment":"Since this morning Outlook prompts for my password every few minutes.","CommentHtml":"<p>Since this morning Outlook prompts for my password every few minutes.</p>",
            "EndUserID":200,"TechnicianContactID":null,"Email":"jane.smith@acme.example","FirstName":"Jane","LastName":"Smith","IsInternal":false}),
        json!({"Date":"2024-06-03T08:30:02","Comment":"Checked the sign-in logs: the password was reset yesterday.","CommentHtml":"<p>Checked the sign-in logs: the password was reset yesterday.</p>",
            "EndUserID":null,"TechnicianContactID":12,"Email":"dana@msp.example","FirstName":"Dana","LastName":"Reyes","IsInternal":true}),
        json!({"Date":"2024-06-03T08:31:15","Comment":"Could you remove the saved credential from Credential Manager and sign in again?","CommentHtml":"<p>Could you remove the saved credential from Credential Manager and sign in again?</p>",
            "EndUserID":null,"TechnicianContactID":12,"Email":"dana@msp.example","FirstName":"Dana","LastName":"Reyes","IsInternal":false}),
        json!({"Date":"2024-06-03T09:02:47","Comment":"Thanks","CommentHtml":"<p>Thanks</p>",
            "EndUserID":200,"TechnicianContactID":null,"Email":"jane.smith@acme.example","FirstName":"Jane","LastName":"Smith","IsInternal":false}),
    ]
}

/// RFC 7807 problem details, as ASP.NET writes them.
fn problem(status: u16, title: &str, detail: Option<String>) -> ResponseTemplate {
    let section = match status {
        400 => "6.5.1",
        404 => "6.5.4",
        405 => "6.5.5",
        _ => "6.6.1",
    };
    let body = json!({
        "type": format!("https://tools.ietf.org/html/rfc7231#section-{section}"),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": null,
    });
    Reply::raw(
        status,
        body.to_string().into_bytes(),
        "application/problem+json",
    )
    .template()
}

fn validation(field: &str, message: String) -> ResponseTemplate {
    let body = json!({
        "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": { field: [message] },
    });
    Reply::raw(
        400,
        body.to_string().into_bytes(),
        "application/problem+json",
    )
    .template()
}

fn not_found(what: &str, id: &str) -> ResponseTemplate {
    problem(404, "Not Found", Some(format!("{what} {id} was not found")))
}

/// Atera's envelope: camelCase around PascalCase items; `nextLink` empty
/// on the last page.
fn envelope(v: &PageView<'_>) -> ResponseTemplate {
    let prev = (v.page > 1).then(|| {
        let mut url = v.request.url.clone();
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "page")
            .map(|(k, val)| (k.into_owned(), val.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("page", &(v.page - 1).to_string());
        url.to_string()
    });
    ResponseTemplate::new(200).set_body_json(json!({
        "items": v.items,
        "page": v.page,
        "itemsInPage": v.page_size,
        "totalItemCount": v.total,
        "totalPages": v.total_pages,
        "prevLink": prev.unwrap_or_default(),
        "nextLink": v.next_url.clone().unwrap_or_default(),
    }))
}

fn pages() -> PageScheme {
    PageScheme::next_url("page", "itemsInPage", 1)
}

fn paged() -> Paged {
    Paged::new(Vec::new(), pages(), envelope)
        .default_size(20)
        .max_size(50)
}

/// `FromLastModifiedDate`: `yyyy-MM-dd` or `yyyy-MM-ddTHH:mm:ss`, no offset.
fn local_filter(value: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

fn naive_field(item: &Value, field: &str) -> Option<NaiveDateTime> {
    item.get(field)
        .and_then(Value::as_str)
        .and_then(parse_instant)
        .map(|t| t.naive_utc())
}

fn ticket_activity(t: &Value) -> Option<DateTime<Utc>> {
    [
        "TicketCreatedDate",
        "TicketResolvedDate",
        "LastEndUserCommentTimestamp",
        "LastTechnicianCommentTimestamp",
    ]
    .iter()
    .filter_map(|f| t.get(*f).and_then(Value::as_str).and_then(parse_instant))
    .max()
}

struct Fake {
    data: Mutex<Data>,
    lists: Arc<Lists>,
}

struct Lists {
    customers: Paged,
    agents: Paged,
    alerts: Paged,
    contacts: Paged,
    contracts: Paged,
    tickets: Paged,
    modified: Paged,
    comments: Paged,
}

/// The id in `/api/v3/{collection}/customer/{id}`.
fn customer_in_path(request: &Request) -> Option<i64> {
    let mut parts = request.url.path().rsplit('/');
    let id = parts.next()?.parse().ok()?;
    (parts.next()? == "customer").then_some(id)
}

fn since_local(request: &Request, item: &Value) -> bool {
    match query_param(request, "FromLastModifiedDate").and_then(|v| local_filter(&v)) {
        Some(from) => naive_field(item, "LastModified").is_some_and(|t| t >= from),
        None => true,
    }
}

impl Fake {
    fn new(data: Data) -> Self {
        let by_customer = |r: &Request, item: &Value| {
            customer_in_path(r).is_none_or(|c| item["CustomerID"].as_i64() == Some(c))
        };
        let lists = Lists {
            customers: paged().filter(since_local),
            agents: paged().filter(by_customer),
            alerts: paged().filter(|r, a| match query_param(r, "alertStatus").as_deref() {
                Some("Open") => a["Archived"] == json!(false) && a["SnoozedEndDate"].is_null(),
                Some("Resolved") => a["Archived"] == json!(true),
                Some("Snoozed") => !a["SnoozedEndDate"].is_null(),
                _ => true,
            }),
            contacts: paged().filter(|r, c| {
                let has = |param: &str, field: &str| {
                    query_param(r, param)
                        .is_none_or(|v| c[field].as_str().is_some_and(|s| s.contains(v.as_str())))
                };
                since_local(r, c) && has("Email", "Email") && has("Phone", "Phone")
            }),
            contracts: paged().filter(by_customer),
            tickets: paged().filter(|r, t| {
                query_param(r, "customerId")
                    .is_none_or(|c| c.parse::<i64>().ok() == t["CustomerID"].as_i64())
                    && query_param(r, "ticketStatus")
                        .is_none_or(|s| t["TicketStatus"].as_str() == Some(s.as_str()))
            }),
            modified: paged().filter(|r, t| {
                // `date` is UTC; today when absent.
                let since = query_param(r, "date")
                    .and_then(|d| parse_instant(&d))
                    .unwrap_or_else(|| {
                        Utc::now()
                            .date_naive()
                            .and_hms_opt(0, 0, 0)
                            .unwrap_or_default()
                            .and_utc()
                    });
                ticket_activity(t).is_some_and(|at| at >= since)
            }),
            comments: paged(),
        };
        Fake {
            data: Mutex::new(data),
            lists: Arc::new(lists),
        }
    }

    fn route(&self, r: &Request) -> ResponseTemplate {
        let path = r.url.path().trim_end_matches('/');
        let Some(rest) = path.strip_prefix("/api/v3/") else {
            return ResponseTemplate::new(404);
        };
        let parts: Vec<&str> = rest.split('/').collect();
        let method = r.method.as_str();
        let mut data = self.data.lock().unwrap_or_else(PoisonError::into_inner);
        let l = &self.lists;
        if let Some(bad) = self.check_query(r) {
            return bad;
        }
        match (method, parts.as_slice()) {
            ("GET", ["account"]) => ResponseTemplate::new(200).set_body_json(json!({
                "AccountID": "4412", "Country": "United Kingdom", "CompanyName": "Northwind MSP",
                "CreatedOn": "2021-02-01T10:00:00", "State": null, "TimeZoneName": TIME_ZONE,
                "City": "Leeds", "Address": "4 Park Row", "PostalCode": "LS1 5HD",
                "Phone": "+44 113 496 0000", "IsITDepartment": false, "Plan": "Pro"})),
            ("GET", ["customers"]) => l.customers.serve(r, &data.customers),
            ("GET", ["customers", id]) => one(&data.customers, "CustomerID", "Customer", id),
            ("GET", ["agents"]) => l.agents.serve(r, &data.agents),
            ("GET", ["agents", "customer", _]) => l.agents.serve(r, &data.agents),
            ("GET", ["agents", id]) => one(&data.agents, "AgentID", "Agent", id),
            ("GET", ["alerts"]) => l.alerts.serve(r, &data.alerts),
            ("GET", ["alerts", id]) => one(&data.alerts, "AlertID", "Alert", id),
            ("GET", ["contacts"]) => l.contacts.serve(r, &data.contacts),
            ("GET", ["contacts", id]) => one(&data.contacts, "EndUserID", "Contact", id),
            ("GET", ["contracts"]) => l.contracts.serve(r, &data.contracts),
            ("GET", ["contracts", "customer", _]) => l.contracts.serve(r, &data.contracts),
            ("GET", ["contracts", id]) => one(&data.contracts, "ContractID", "Contract", id),
            ("GET", ["tickets"]) => l.tickets.serve(r, &data.tickets),
            ("GET", ["tickets", "lastmodified"]) => l.modified.serve(r, &data.tickets),
            ("GET", ["tickets", id]) => one(&data.tickets, "TicketID", "Ticket", id),
            ("POST", ["tickets"]) => create_ticket(&mut data, r),
            ("PUT" | "POST", ["tickets", id]) => update_ticket(&mut data, r, id),
            ("GET", ["tickets", id, "comments"]) => match ticket_index(&data, id) {
                Some(_) => {
                    let n: i64 = id.parse().unwrap_or_default();
                    let empty = Vec::new();
                    l.comments.serve(r, data.comments.get(&n).unwrap_or(&empty))
                }
                None => not_found("Ticket", id),
            },
            ("POST", ["tickets", id, "comments"]) => add_comment(&mut data, r, id),
            (
                _,
                [
                    "account" | "customers" | "agents" | "alerts" | "contacts" | "contracts"
                    | "tickets",
                    ..,
                ],
            ) => ResponseTemplate::new(405),
            _ => ResponseTemplate::new(404),
        }
    }

    /// Atera's own validation of the query: `FromLastModifiedDate` takes no
    /// offset, `date` must be a date-time, page numbers are integers.
    fn check_query(&self, r: &Request) -> Option<ResponseTemplate> {
        if let Some(v) = query_param(r, "FromLastModifiedDate") {
            if local_filter(&v).is_none() {
                return Some(validation(
                    "FromLastModifiedDate",
                    format!(
                        "The value '{v}' is not valid: use yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss, without a time zone offset."
                    ),
                ));
            }
        }
        if let Some(v) = query_param(r, "date") {
            if parse_instant(&v).is_none() {
                return Some(validation("date", format!("The value '{v}' is not valid.")));
            }
        }
        for p in ["page", "itemsInPage"] {
            if let Some(v) = query_param(r, p) {
                if v.parse::<i32>().is_err() {
                    return Some(validation(p, format!("The value '{v}' is not valid.")));
                }
            }
        }
        None
    }
}

fn one(items: &[Value], field: &str, what: &str, id: &str) -> ResponseTemplate {
    match find_by_id(items, field, id) {
        Some(item) => ResponseTemplate::new(200).set_body_json(item),
        None if id.parse::<i64>().is_err() => {
            validation("id", format!("The value '{id}' is not valid."))
        }
        None => not_found(what, id),
    }
}

fn ticket_index(data: &Data, id: &str) -> Option<usize> {
    let n: i64 = id.parse().ok()?;
    data.tickets
        .iter()
        .position(|t| t["TicketID"].as_i64() == Some(n))
}

fn body_of(r: &Request) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice::<Value>(&r.body) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

const PRIORITIES: [&str; 4] = ["Low", "Medium", "High", "Critical"];

fn create_ticket(data: &mut Data, r: &Request) -> ResponseTemplate {
    let Some(body) = body_of(r) else {
        return validation("body", "A non-empty request body is required.".into());
    };
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
    let Some(title) = text("TicketTitle").filter(|t| !t.trim().is_empty()) else {
        return validation("TicketTitle", "The TicketTitle field is required.".into());
    };
    let contact = match body.get("EndUserID").and_then(Value::as_i64) {
        Some(id) => match find_by_id(&data.contacts, "EndUserID", &id.to_string()) {
            Some(c) => c.clone(),
            None => {
                return problem(
                    400,
                    "Bad Request",
                    Some(format!("End user {id} was not found")),
                );
            }
        },
        None => match text("EndUserEmail") {
            Some(email) => {
                json!({"EndUserID": null, "CustomerID": customer_id(0), "CustomerName": NAMES[0],
                "Email": email, "Firstname": text("EndUserFirstName"), "Lastname": text("EndUserLastName")})
            }
            None => {
                return validation(
                    "EndUserID",
                    "An end user ID or an end user email is required.".into(),
                );
            }
        },
    };
    let priority = text("TicketPriority").unwrap_or_else(|| "Low".into());
    if !PRIORITIES.contains(&priority.as_str()) {
        return validation(
            "TicketPriority",
            format!("The value '{priority}' is not valid."),
        );
    }
    let id = data.next_ticket;
    data.next_ticket += 1;
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let mut t = ticket(0);
    let fields = [
        ("TicketID", json!(id)),
        ("TicketNumber", json!(id.to_string())),
        ("TicketTitle", json!(title)),
        ("TicketPriority", json!(priority)),
        (
            "TicketStatus",
            json!(text("TicketStatus").unwrap_or_else(|| "Open".into())),
        ),
        (
            "TicketType",
            json!(text("TicketType").unwrap_or_else(|| "Problem".into())),
        ),
        (
            "TicketImpact",
            json!(text("TicketImpact").unwrap_or_else(|| "Minor".into())),
        ),
        ("EndUserID", contact["EndUserID"].clone()),
        ("EndUserEmail", contact["Email"].clone()),
        ("EndUserFirstName", contact["Firstname"].clone()),
        ("EndUserLastName", contact["Lastname"].clone()),
        ("CustomerID", contact["CustomerID"].clone()),
        ("CustomerName", contact["CustomerName"].clone()),
        (
            "FirstComment",
            body.get("Description").cloned().unwrap_or(Value::Null),
        ),
        ("TicketCreatedDate", json!(now)),
        ("TicketResolvedDate", Value::Null),
        ("TechnicianFirstCommentDate", Value::Null),
        ("LastEndUserComment", Value::Null),
        ("LastEndUserCommentTimestamp", Value::Null),
        ("LastTechnicianComment", Value::Null),
        ("LastTechnicianCommentTimestamp", Value::Null),
        (
            "TechnicianContactID",
            body.get("TechnicianContactID")
                .cloned()
                .unwrap_or(Value::Null),
        ),
        ("TechnicianFullName", Value::Null),
        (
            "TechnicianEmail",
            body.get("TechnicianEmail").cloned().unwrap_or(Value::Null),
        ),
    ];
    for (k, v) in fields {
        t[k] = v;
    }
    data.tickets.push(t);
    ResponseTemplate::new(201).set_body_json(json!({"ActionID": id.to_string()}))
}

fn update_ticket(data: &mut Data, r: &Request, id: &str) -> ResponseTemplate {
    let Some(i) = ticket_index(data, id) else {
        return not_found("Ticket", id);
    };
    let Some(body) = body_of(r) else {
        return validation("body", "A non-empty request body is required.".into());
    };
    if let Some(p) = body.get("TicketPriority").and_then(Value::as_str) {
        if !PRIORITIES.contains(&p) {
            return validation("TicketPriority", format!("The value '{p}' is not valid."));
        }
    }
    let editable = [
        "TicketTitle",
        "TicketStatus",
        "TicketType",
        "TicketPriority",
        "TicketImpact",
        "TechnicianContactID",
        "TechnicianEmail",
    ];
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let t = &mut data.tickets[i];
    for (k, v) in body {
        if editable.contains(&k.as_str()) {
            t[k.as_str()] = v;
        }
    }
    let closed = matches!(t["TicketStatus"].as_str(), Some("Resolved" | "Closed"));
    if closed && t["TicketResolvedDate"].is_null() {
        t["TicketResolvedDate"] = json!(now);
    }
    ResponseTemplate::new(200).set_body_json(json!({"ActionID": id}))
}

fn add_comment(data: &mut Data, r: &Request, id: &str) -> ResponseTemplate {
    if ticket_index(data, id).is_none() {
        return not_found("Ticket", id);
    }
    let Some(body) = body_of(r) else {
        return validation("body", "A non-empty request body is required.".into());
    };
    let Some(text) = body.get("CommentText").and_then(Value::as_str) else {
        return validation("CommentText", "The CommentText field is required.".into());
    };
    let tech = body.get("TechnicianCommentDetails");
    let user = body.get("EnduserCommentDetails");
    let (technician, end_user, internal) = match (tech, user) {
        (Some(t), _) if t["TechnicianId"].as_i64().is_some() => (
            t["TechnicianId"].as_i64(),
            None,
            t["IsInternal"].as_bool().unwrap_or(false),
        ),
        (None, Some(u)) if u["EnduserId"].as_i64().is_some() => {
            (None, u["EnduserId"].as_i64(), false)
        }
        _ => {
            return problem(
                400,
                "Bad Request",
                Some("TechnicianCommentDetails or EnduserCommentDetails is required".into()),
            );
        }
    };
    let date = body
        .get("CommentTimestampUTC")
        .and_then(Value::as_str)
        .and_then(parse_instant)
        .unwrap_or_else(Utc::now)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let n: i64 = id.parse().unwrap_or_default();
    data.comments.entry(n).or_default().push(json!({
        "Date": date, "Comment": text, "CommentHtml": format!("<p>{text}</p>"),
        "EndUserID": end_user, "TechnicianContactID": technician,
        "Email": null, "FirstName": null, "LastName": null, "IsInternal": internal,
    }));
    ResponseTemplate::new(201)
        .set_body_json(json!({"ActionID": format!("{n}-{}", data.comments[&n].len())}))
}

impl Respond for Fake {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.route(request)
    }
}
