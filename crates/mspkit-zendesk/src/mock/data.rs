//! The fake account's records, in Zendesk's shapes (the samples of the
//! Support API's reference, spread over time around 2024-03-05).

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

/// The ticket whose comments the suites count.
pub const TICKET_WITH_NOTES: u64 = 35436;
/// An organization that exists.
pub const ORGANIZATION: u64 = 4112492;
/// The agent the fake's credentials belong to.
pub const ME: u64 = 1_902_872_923_580;

/// Custom status ids, one default per category, and two of the account's own.
pub const STATUS_NEW: u64 = 1_900_000_000_101;
pub const STATUS_OPEN: u64 = 1_900_000_000_102;
pub const STATUS_PENDING: u64 = 1_900_000_000_103;
pub const STATUS_HOLD: u64 = 1_900_000_000_104;
pub const STATUS_SOLVED: u64 = 1_900_000_000_105;
pub const STATUS_RESPONDING: u64 = 35436;
pub const STATUS_VENDOR: u64 = 1_900_000_000_107;

pub fn at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 30, 0)
        .single()
        .unwrap_or_default()
}

pub fn organizations() -> Vec<Value> {
    let mut out = vec![
        json!({
            "created_at": "2018-11-14T00:14:52Z",
            "details": "caterpillar =)",
            "domain_names": ["remain.com"],
            "external_id": "ABC198",
            "group_id": 1835962,
            "id": 4112492,
            "name": "Groablet Enterprises",
            "notes": "donkey",
            "organization_fields": {
                "datepudding": "2018-11-04T00:00:00+00:00",
                "org_field_1": "happy happy",
                "org_field_2": "teapot_kettle"
            },
            "shared_comments": false,
            "shared_tickets": false,
            "tags": ["smiley", "teapot_kettle"],
            "updated_at": "2023-10-02T00:54:22Z",
            "url": "https://example.zendesk.com/api/v2/organizations/4112492.json"
        }),
        json!({
            "created_at": "2017-08-14T20:13:52Z",
            "details": "test",
            "domain_names": ["test.com"],
            "external_id": "TTV273",
            "group_id": null,
            "id": 1873,
            "name": "Willy Wonkas Chocolate Factory",
            "notes": "",
            "organization_fields": {
                "datepudding": "2018-11-02T00:00:00+00:00",
                "org_field_1": "malarky",
                "org_field_2": "teapot_kettle"
            },
            "shared_comments": false,
            "shared_tickets": false,
            "tags": ["teapot_kettle"],
            "updated_at": "2023-10-27T01:27:46Z",
            "url": "https://example.zendesk.com/api/v2/organizations/1873.json"
        }),
    ];
    let more = [
        ("Northwind Traders", "northwind.example", "NW-001", None),
        (
            "Contoso Dental Group",
            "contoso-dental.example",
            "CDG-114",
            Some(1835962),
        ),
        ("Fabrikam Legal LLP", "fabrikamlegal.example", "", None),
        (
            "Tailspin Toys",
            "tailspintoys.example",
            "TT-77",
            Some(1835962),
        ),
        (
            "Adventure Works Cycles",
            "adventure-works.example",
            "AW-2020",
            None,
        ),
        (
            "Wide World Importers",
            "wideworldimporters.example",
            "WWI-9",
            None,
        ),
        ("Lamna Healthcare", "", "LH-310", Some(1835962)),
    ];
    for (i, (name, domain, external, group)) in more.into_iter().enumerate() {
        let id = 360_009_812_401u64 + i as u64 * 17;
        let updated = day(2023, 10, 1) + Duration::days(25 * (i as i64 + 2));
        let created = day(2021, 3, 1) + Duration::days(40 * i as i64);
        let domains: Vec<&str> = if domain.is_empty() {
            vec![]
        } else {
            vec![domain]
        };
        out.push(json!({
            "created_at": at(created),
            "details": "",
            "domain_names": domains,
            "external_id": if external.is_empty() { Value::Null } else { json!(external) },
            "group_id": group,
            "id": id,
            "name": name,
            "notes": "",
            "organization_fields": {},
            "shared_comments": false,
            "shared_tickets": true,
            "tags": ["managed"],
            "updated_at": at(updated),
            "url": format!("https://example.zendesk.com/api/v2/organizations/{id}.json")
        }));
    }
    out
}

fn user(
    id: u64,
    name: &str,
    email: &str,
    role: &str,
    organization_id: Option<u64>,
    updated: DateTime<Utc>,
) -> Value {
    json!({
        "active": true,
        "alias": "",
        "created_at": at(updated - Duration::days(400)),
        "custom_role_id": null,
        "details": "",
        "email": email,
        "external_id": null,
        "id": id,
        "last_login_at": at(updated),
        "locale": "en-US",
        "locale_id": 1,
        "moderator": false,
        "name": name,
        "notes": "",
        "only_private_comments": false,
        "organization_id": organization_id,
        "phone": null,
        "photo": null,
        "restricted_agent": role == "end-user",
        "role": role,
        "role_type": null,
        "shared": false,
        "shared_agent": false,
        "signature": "",
        "suspended": false,
        "tags": [],
        "ticket_restriction": if role == "end-user" { json!("requested") } else { Value::Null },
        "time_zone": "Eastern Time (US & Canada)",
        "updated_at": at(updated),
        "url": format!("https://example.zendesk.com/api/v2/users/{id}.json"),
        "user_fields": {},
        "verified": true
    })
}

/// Agents and admins (not contacts) and end-users (contacts).
pub fn users() -> Vec<Value> {
    let mut out = vec![
        // The `users/me` sample (the agent), as it is listed.
        json!({
            "active": true,
            "alias": "Mr. Johnny",
            "created_at": "2009-07-20T22:55:29Z",
            "custom_role_id": 9373643,
            "details": "",
            "email": "johnny@example.com",
            "external_id": "sai989sur98w9",
            "id": 35436,
            "last_login_at": "2011-05-05T10:38:52Z",
            "locale": "en-US",
            "locale_id": 1,
            "moderator": true,
            "name": "Johnny Agent",
            "notes": "Johnny is a nice guy!",
            "only_private_comments": false,
            "organization_id": 57542,
            "phone": "+15551234567",
            "restricted_agent": true,
            "role": "agent",
            "role_type": 0,
            "shared": false,
            "shared_agent": false,
            "signature": "Have a nice day, Johnny",
            "suspended": false,
            "tags": ["enterprise", "other_tag"],
            "ticket_restriction": "assigned",
            "time_zone": "Copenhagen",
            "updated_at": "2024-01-05T10:38:52Z",
            "url": "https://company.zendesk.com/api/v2/users/35436.json",
            "user_fields": {"user_date": "2012-07-23T00:00:00Z", "user_decimal": 5.1, "user_dropdown": "option_1"},
            "verified": true
        }),
        user(
            ME,
            "Jane Doe",
            "jdoe@example.com",
            "admin",
            None,
            day(2024, 2, 1),
        ),
        user(
            403_210_778,
            "Sam Okafor",
            "sam.okafor@example.com",
            "agent",
            None,
            day(2024, 3, 20),
        ),
    ];
    let orgs = organizations();
    let org = |i: usize| orgs[i % orgs.len()]["id"].as_u64();
    let people = [
        "Ana Lima",
        "Bram de Vries",
        "Chen Wei",
        "Dana Whitfield",
        "Emeka Obi",
        "Fatima Zahra",
        "Gus Harding",
        "Hana Sato",
        "Ivan Petrov",
        "Jo Mbeki",
        "Kai",
        "Lena Fischer",
        "Mateo Ruiz",
        "Nora O'Neill",
    ];
    for (i, name) in people.into_iter().enumerate() {
        let id = 20_978_392u64 + i as u64 * 101;
        let email = format!(
            "{}@customer{}.example",
            name.to_lowercase().replace([' ', '\''], "."),
            i % 5
        );
        let updated = day(2023, 11, 20) + Duration::days(13 * i as i64);
        // Two end-users belong to no organization.
        let organization_id = if i % 7 == 6 { None } else { org(i) };
        let mut u = user(id, name, &email, "end-user", organization_id, updated);
        if i % 4 == 1 {
            u["phone"] = json!(format!("+1555010{:04}", i * 37));
        }
        if i == 12 {
            u["active"] = json!(false);
        }
        out.push(u);
    }
    out
}

pub fn custom_statuses() -> Vec<Value> {
    let status = |id: u64, label: &str, category: &str, default: bool, active: bool| {
        json!({
            "active": active,
            "agent_label": label,
            "created_at": "2021-07-20T22:55:29Z",
            "default": default,
            "description": "",
            "end_user_description": "",
            "end_user_label": label,
            "id": id,
            "raw_agent_label": label,
            "raw_description": "",
            "raw_end_user_description": "",
            "raw_end_user_label": label,
            "status_category": category,
            "updated_at": "2021-07-20T22:55:29Z"
        })
    };
    vec![
        status(STATUS_NEW, "New", "new", true, true),
        status(STATUS_OPEN, "Open", "open", true, true),
        // The reference's sample, as it is.
        json!({
            "active": true,
            "agent_label": "Responding quickly",
            "created_at": "2021-07-20T22:55:29Z",
            "default": false,
            "description": "Customer needs a response quickly",
            "end_user_description": "Your ticket is being responded to",
            "end_user_label": "Urgent processing",
            "id": 35436,
            "raw_agent_label": "Responding quickly",
            "raw_description": "Customer needs a response quickly",
            "raw_end_user_description": "Your ticket is being responded to",
            "raw_end_user_label": "Urgent processing",
            "status_category": "open",
            "updated_at": "2021-07-20T22:55:29Z"
        }),
        status(STATUS_PENDING, "Pending", "pending", true, true),
        status(STATUS_HOLD, "On-hold", "hold", true, true),
        status(STATUS_VENDOR, "Waiting on vendor", "hold", false, true),
        status(STATUS_SOLVED, "Solved", "solved", true, true),
        status(
            1_900_000_000_109,
            "Escalated (retired)",
            "open",
            false,
            false,
        ),
    ]
}

/// The custom status a ticket in `status` carries by default.
pub fn default_custom_status(status: &str) -> Value {
    match status {
        "new" => json!(STATUS_NEW),
        "open" => json!(STATUS_OPEN),
        "pending" => json!(STATUS_PENDING),
        "hold" => json!(STATUS_HOLD),
        "solved" | "closed" => json!(STATUS_SOLVED),
        _ => Value::Null,
    }
}

pub fn tickets() -> Vec<Value> {
    // The reference's ticket sample, moved into 2024.
    let mut out = vec![json!({
        "assignee_id": 35436,
        "collaborator_ids": [35334, 234],
        "created_at": "2023-11-20T22:55:29Z",
        "custom_fields": [{"id": 27642, "value": "745"}, {"id": 27648, "value": "yes"}],
        "custom_status_id": STATUS_RESPONDING,
        "description": "The fire is very colorful.",
        "due_at": null,
        "external_id": "ahg35h3jh",
        "follower_ids": [35334, 234],
        "from_messaging_channel": false,
        "group_id": 98738,
        "has_incidents": false,
        "id": TICKET_WITH_NOTES,
        "organization_id": ORGANIZATION,
        "priority": "high",
        "problem_id": 9873764,
        "raw_subject": "{{dc.printer_on_fire}}",
        "recipient": "support@company.com",
        "requester_id": 20978392,
        "satisfaction_rating": {"comment": "Great support!", "id": 1234, "score": "good"},
        "sharing_agreement_ids": [84432],
        "status": "open",
        "subject": "Help, my printer is on fire!",
        "submitter_id": 76872,
        "tags": ["enterprise", "other_tag"],
        "type": "incident",
        "updated_at": "2024-04-11T10:38:52Z",
        "url": "https://company.zendesk.com/api/v2/tickets/35436.json",
        "via": {"channel": "web"}
    })];
    let subjects = [
        "Outlook keeps asking for password",
        "New starter laptop for accounts",
        "VPN drops every 10 minutes",
        "Printer on 2nd floor jams",
        "Shared mailbox permissions",
        "Replace failing disk in NAS",
        "Teams calls echo",
        "Reset MFA for field engineer",
        "Quote for 5 new monitors",
        "Website SSL certificate expiring",
        "Backup job failed overnight",
        "Wi-Fi slow in meeting room",
        "Onboard new receptionist",
        "Phishing email reported",
        "Server room temperature alert",
        "QuickBooks won't open",
        "Firewall firmware update",
        "Scanner to email not working",
        "Offboard departing employee",
        "Laptop screen flickers",
        "Licence renewal for CAD",
        "Mapped drive missing",
        "Domain renewal",
        "Slow PC in reception",
        "Set up conference room display",
        "Archive old project share",
        "Password manager rollout",
        "Switch port flapping",
        "Install Adobe Acrobat",
    ];
    let statuses = ["new", "open", "pending", "hold", "solved", "closed"];
    let priorities = [
        Value::Null,
        json!("low"),
        json!("normal"),
        json!("high"),
        json!("urgent"),
    ];
    let orgs = organizations();
    let end_users: Vec<Value> = users()
        .into_iter()
        .filter(|u| u["role"] == "end-user")
        .collect();
    let agents = [35436u64, ME, 403_210_778];
    for (i, subject) in subjects.into_iter().enumerate() {
        let id = 41_001u64 + i as u64 * 3;
        let status = statuses[i % statuses.len()];
        let requester = &end_users[i % end_users.len()];
        let updated = day(2023, 12, 1) + Duration::days(5 * i as i64) + Duration::hours(i as i64);
        let created = updated - Duration::days(2 + (i as i64 % 9));
        let assignee = if status == "new" {
            Value::Null
        } else {
            json!(agents[i % agents.len()])
        };
        let organization = if i % 10 == 9 {
            Value::Null
        } else {
            requester["organization_id"]
                .as_u64()
                .map_or_else(|| orgs[i % orgs.len()]["id"].clone(), |o| json!(o))
        };
        let custom_status = match (status, i % 8) {
            ("hold", 3) => json!(STATUS_VENDOR),
            ("open", 1) => json!(STATUS_RESPONDING),
            _ => default_custom_status(status),
        };
        out.push(json!({
            "assignee_id": assignee,
            "brand_id": 360_000_123_456u64,
            "collaborator_ids": [],
            "created_at": at(created),
            "custom_fields": [{"id": 27642, "value": null}, {"id": 27648, "value": if i % 2 == 0 { json!("yes") } else { json!(["a", "b"]) }}],
            "custom_status_id": custom_status,
            "description": format!("{subject}. Reported by {} via the portal.", requester["name"].as_str().unwrap_or_default()),
            "due_at": null,
            "email_cc_ids": [],
            "external_id": null,
            "follower_ids": [],
            "from_messaging_channel": false,
            "group_id": 98738,
            "has_incidents": false,
            "id": id,
            "is_public": true,
            "organization_id": organization,
            "priority": priorities[i % priorities.len()].clone(),
            "problem_id": null,
            "raw_subject": subject,
            "recipient": "support@company.com",
            "requester_id": requester["id"].clone(),
            "satisfaction_rating": null,
            "sharing_agreement_ids": [],
            "status": status,
            "subject": subject,
            "submitter_id": requester["id"].clone(),
            "tags": ["managed"],
            "ticket_form_id": 360_000_654_321u64,
            "type": if i % 3 == 0 { json!("incident") } else { json!("question") },
            "updated_at": at(updated),
            "url": format!("https://company.zendesk.com/api/v2/tickets/{id}.json"),
            "via": {"channel": if i % 2 == 0 { "email" } else { "web" }, "source": {"from": {}, "rel": null, "to": {}}}
        }));
    }
    out
}

/// A ticket's metrics: its solve time when solved or closed.
pub fn metric_set(ticket: &Value) -> Value {
    let id = ticket["id"].as_u64().unwrap_or_default();
    let updated = ticket["updated_at"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let solved = matches!(ticket["status"].as_str(), Some("solved" | "closed"))
        .then(|| at(updated - Duration::hours(3)));
    json!({
        "agent_wait_time_in_minutes": {"business": 737, "calendar": 2391},
        "assigned_at": ticket["created_at"].clone(),
        "assignee_stations": 1,
        "created_at": ticket["created_at"].clone(),
        "group_stations": 1,
        "id": id + 900_000,
        "reopens": 0,
        "replies": 2,
        "solved_at": solved,
        "status_updated_at": ticket["updated_at"].clone(),
        "ticket_id": id,
        "updated_at": ticket["updated_at"].clone(),
        "url": format!("https://company.zendesk.com/api/v2/ticket_metrics/{}.json", id + 900_000)
    })
}

/// A comment as Zendesk lists it.
pub fn comment(id: u64, author: u64, body: &str, public: bool, created: &str) -> Value {
    json!({
        "attachments": [],
        "audit_id": id + 7,
        "author_id": author,
        "body": body,
        "created_at": created,
        "html_body": format!("<div class=\"zd-comment\" dir=\"auto\"><p dir=\"auto\">{body}</p></div>"),
        "id": id,
        "metadata": {"system": {"client": "Mozilla/5.0", "ip_address": "1.1.1.1"}, "custom": {}},
        "plain_body": body,
        "public": public,
        "type": "Comment",
        "via": {"channel": "web", "source": {"from": {}, "rel": null, "to": {}}}
    })
}

/// The comments of every ticket: its description as the first, and a
/// conversation on the ticket the suites read.
pub fn comments(tickets: &[Value]) -> Vec<(u64, Vec<Value>)> {
    tickets
        .iter()
        .map(|t| {
            let id = t["id"].as_u64().unwrap_or_default();
            let requester = t["requester_id"].as_u64().unwrap_or_default();
            let created = t["created_at"].as_str().unwrap_or_default();
            let description = t["description"].as_str().unwrap_or_default();
            let mut list = vec![comment(id * 10 + 1, requester, description, true, created)];
            if id == TICKET_WITH_NOTES {
                list = vec![
                    // The reference's comment sample.
                    json!({
                        "attachments": [{
                            "content_type": "text/plain",
                            "content_url": "https://company.zendesk.com/attachments/crash.log",
                            "file_name": "crash.log",
                            "id": 498483,
                            "size": 2532,
                            "thumbnails": []
                        }],
                        "audit_id": 432567,
                        "author_id": 123123,
                        "body": "Thanks for your help!",
                        "created_at": "2023-11-20T22:55:29Z",
                        "id": 1274,
                        "metadata": {
                            "system": {
                                "client": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/61.0.3163.100 Safari/537.36",
                                "ip_address": "1.1.1.1",
                                "latitude": -37.000000000001,
                                "location": "Melbourne, 07, Australia",
                                "longitude": 144.0000000000002
                            },
                            "via": {"channel": "web", "source": {"from": {}, "rel": "web_widget", "to": {}}}
                        },
                        "public": true,
                        "type": "Comment"
                    }),
                    comment(1275, 35436, "Can you send a photo of the printer's display?", true, "2023-11-21T08:12:00Z"),
                    comment(1276, 35436, "Customer is on the priority support plan.", false, "2023-11-21T08:13:40Z"),
                    comment(1277, 20978392, "Photo attached. It says E-502.", true, "2023-11-21T09:02:11Z"),
                    comment(1278, ME, "Ordered a fuser unit from the vendor.", false, "2024-04-11T10:38:52Z"),
                ];
            }
            (id, list)
        })
        .collect()
}
