//! Syncro's shapes → the normalized model, one function per entity.

use std::collections::HashMap;

use chrono::NaiveDate;
use mspkit_core::de::parse_utc;
use mspkit_core::model::non_empty;
use mspkit_core::{
    Address, Agreement, Alert, Company, Contact, Device, DeviceType, Id, Organization, Priority,
    PriorityLevel, Provider, Severity, StatusEntry, StatusTable, Ticket, TicketNote, TicketState,
    TicketStatus,
};
use serde_json::Value;

use crate::api;

const P: Provider = Provider::Syncro;

/// What the ticket mapping needs from `GET /tickets/settings`: the status
/// labels (each label is its own id) and the technicians' names.
#[derive(Debug, Clone, Default)]
pub(crate) struct TicketLookups {
    pub statuses: StatusTable,
    pub users: HashMap<String, String>,
}

impl TicketLookups {
    pub(crate) fn new(settings: api::TicketSettings) -> Self {
        let statuses = settings
            .ticket_status_list
            .into_iter()
            .filter_map(|label| non_empty(Some(label)))
            .map(|label| StatusEntry {
                id: Id::from(label.as_str()),
                state: state_of_label(&label),
                label,
                active: true,
            })
            .collect();
        let users = settings
            .users
            .into_iter()
            .filter_map(|u| Some((u.id, non_empty(u.name)?)))
            .collect();
        TicketLookups {
            statuses: StatusTable::new(statuses),
            users,
        }
    }
}

/// The normalized state of a status label. Syncro's statuses are free
/// labels the account configures; the built-in ones are placed here, and
/// any other label counts as open (Syncro closes a ticket only by resolving
/// it, which sets `resolved_at`).
pub(crate) fn state_of_label(label: &str) -> TicketState {
    let l = label.trim().to_ascii_lowercase();
    match l.as_str() {
        "new" => TicketState::New,
        "in progress" => TicketState::InProgress,
        "resolved" => TicketState::Resolved,
        // Billed after it was resolved.
        "invoiced" => TicketState::Closed,
        "scheduled" => TicketState::Waiting,
        "customer reply" => TicketState::Open,
        _ if l.starts_with("waiting") => TicketState::Waiting,
        _ => TicketState::Open,
    }
}

/// A ticket's status: its label (also its id), and the state: resolved or
/// closed when `resolved_at` is set, else the label's state.
pub(crate) fn ticket_status(
    label: Option<String>,
    resolved: bool,
    statuses: &StatusTable,
) -> TicketStatus {
    let label = non_empty(label);
    let by_label = label.as_deref().map(|l| {
        statuses
            .get(&Id::from(l))
            .map(|e| e.state)
            .unwrap_or_else(|| state_of_label(l))
    });
    let state = match (resolved, by_label) {
        (true, Some(TicketState::Closed)) => TicketState::Closed,
        (true, _) => TicketState::Resolved,
        (false, Some(s)) => s,
        (false, None) => TicketState::Open,
    };
    match label {
        Some(l) => TicketStatus::new(state).with_id(l.as_str()).with_label(l),
        None => TicketStatus::new(state),
    }
}

/// A priority label's level: Syncro's priorities are free labels (`"Low"`,
/// `"2 Normal"`, `"High"`); the level is read from the words in it.
pub(crate) fn priority(label: Option<String>) -> Option<Priority> {
    let label = non_empty(label)?;
    let l = label.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    let level = if has(&["urgent", "critical", "emergency"]) {
        PriorityLevel::Critical
    } else if has(&["high"]) {
        PriorityLevel::High
    } else if has(&["normal", "medium"]) {
        PriorityLevel::Medium
    } else if has(&["low"]) {
        PriorityLevel::Low
    } else {
        PriorityLevel::Other
    };
    Some(
        Priority::new(level)
            .with_id(label.as_str())
            .with_label(label),
    )
}

/// A customer's display name: the business name, else the person's.
fn customer_name(c: &api::Customer) -> String {
    non_empty(c.business_name.clone())
        .or_else(|| non_empty(c.business_then_name.clone()))
        .or_else(|| non_empty(c.fullname.clone()))
        .or_else(|| {
            let joined = [c.firstname.as_deref(), c.lastname.as_deref()]
                .into_iter()
                .flatten()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            non_empty(Some(joined))
        })
        .unwrap_or_else(|| format!("Customer {}", c.id))
}

/// A customer as a PSA company.
pub(crate) fn company(c: api::Customer, raw: Option<Value>) -> Company {
    let mut out = Company::new(P, c.id.as_str(), customer_name(&c));
    out.phone = non_empty(c.phone.clone()).or_else(|| non_empty(c.mobile.clone()));
    let mut address = Address::new();
    address.line1 = non_empty(c.address.clone());
    address.line2 = non_empty(c.address_2.clone());
    address.city = non_empty(c.city.clone());
    address.region = non_empty(c.state.clone());
    address.postal_code = non_empty(c.zip.clone());
    out.address = address.non_empty();
    out.active = c.disabled.map(|d| !d);
    out.created_at = c.created_at;
    out.updated_at = c.updated_at;
    out.raw = raw;
    out
}

/// A customer as an RMM organization.
pub(crate) fn organization(c: api::Customer, raw: Option<Value>) -> Organization {
    let mut out = Organization::new(P, c.id.as_str(), customer_name(&c));
    out.created_at = c.created_at;
    out.updated_at = c.updated_at;
    out.raw = raw;
    out
}

/// A contact; Syncro keeps one `name`, split at its last space into first
/// and last name (a single word is the first name).
pub(crate) fn contact(c: api::Contact, raw: Option<Value>) -> Contact {
    let mut out = Contact::new(P, c.id.as_str());
    out.company_id = c.customer_id.map(Id::from);
    if let Some(name) = non_empty(c.name) {
        match name.rsplit_once(char::is_whitespace) {
            Some((first, last)) => {
                out.first_name = non_empty(Some(first.to_owned()));
                out.last_name = non_empty(Some(last.to_owned()));
            }
            None => out.first_name = Some(name),
        }
    }
    out.email = non_empty(c.email);
    out.phone = non_empty(c.phone).or_else(|| non_empty(c.mobile));
    out.title = c
        .properties
        .get("title")
        .and_then(Value::as_str)
        .and_then(|s| non_empty(Some(s.to_owned())));
    out.created_at = c.created_at;
    out.updated_at = c.updated_at;
    out.raw = raw;
    out
}

/// A ticket. The description is the body of its first comment; the
/// assignee is the technician's name (from the ticket, else from the
/// settings' user list).
pub(crate) fn ticket(t: api::Ticket, lookups: &TicketLookups, raw: Option<Value>) -> Ticket {
    let summary = non_empty(t.subject.clone()).unwrap_or_default();
    let mut out = Ticket::new(P, t.id.as_str(), summary);
    out.number = t.number;
    out.description = t
        .comments
        .iter()
        .min_by_key(|c| (c.created_at, c.id.parse::<u64>().unwrap_or(u64::MAX)))
        .and_then(|c| non_empty(c.body.clone()));
    out.status = ticket_status(t.status, t.resolved_at.is_some(), &lookups.statuses);
    out.priority = priority(t.priority);
    out.company_id = t.customer_id.map(Id::from);
    out.contact_id = t.contact_id.map(Id::from);
    out.assignee = t
        .user
        .and_then(|u| non_empty(u.full_name).or_else(|| non_empty(u.email)))
        .or_else(|| {
            t.user_id
                .as_ref()
                .and_then(|id| lookups.users.get(id).cloned())
        });
    out.created_at = t.created_at;
    out.updated_at = t.updated_at;
    out.closed_at = t.resolved_at;
    out.raw = raw;
    out
}

/// A ticket comment as a note; `hidden` comments are internal.
pub(crate) fn note(c: api::Comment, ticket: &Id, raw: Option<Value>) -> TicketNote {
    let text = non_empty(c.body).unwrap_or_default();
    let ticket_id = c.ticket_id.map(Id::from).unwrap_or_else(|| ticket.clone());
    let mut out = TicketNote::new(P, c.id.as_str(), ticket_id, text);
    out.internal = c.hidden.unwrap_or(false);
    out.author = non_empty(c.tech).or_else(|| c.user.and_then(|u| non_empty(u.full_name)));
    out.created_at = c.created_at;
    out.raw = raw;
    out
}

/// A contract as an agreement. Syncro contracts have no type; a contract is
/// active when its status is `Active` and `today` lies within its dates.
pub(crate) fn agreement(c: api::Contract, today: NaiveDate, raw: Option<Value>) -> Agreement {
    let name = non_empty(c.name).unwrap_or_else(|| format!("Contract {}", c.id));
    let mut out = Agreement::new(P, c.id.as_str(), name);
    out.company_id = c.customer_id.map(Id::from);
    out.starts_on = c.start_date.map(|d| d.date_naive());
    out.ends_on = c.end_date.map(|d| d.date_naive());
    out.active = non_empty(c.status).map(|s| {
        s.eq_ignore_ascii_case("active")
            && out.starts_on.is_none_or(|d| d <= today)
            && out.ends_on.is_none_or(|d| today <= d)
    });
    out.raw = raw;
    out
}

/// A text at `pointer` in `v`: a string (trimmed, non-empty) or a number.
fn text_at(v: &Value, pointer: &str) -> Option<String> {
    match v.pointer(pointer)? {
        Value::String(s) => non_empty(Some(s.clone())),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What a type label says about the machine.
fn device_type_of(label: &str) -> Option<DeviceType> {
    let l = label.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    if has(&["virtual", "vm", "hyper-v", "vmware"]) {
        Some(DeviceType::VirtualMachine)
    } else if has(&["server"]) {
        Some(DeviceType::Server)
    } else if has(&["laptop", "notebook", "portable"]) {
        Some(DeviceType::Laptop)
    } else if has(&["desktop", "workstation", "tower", "all in one", "mini pc"]) {
        Some(DeviceType::Workstation)
    } else if has(&[
        "router",
        "switch",
        "firewall",
        "access point",
        "printer",
        "network",
        "nas",
        "snmp",
    ]) {
        Some(DeviceType::Network)
    } else if has(&["phone", "mobile", "tablet", "ipad", "iphone", "android"]) {
        Some(DeviceType::Mobile)
    } else {
        None
    }
}

/// An asset as a device. Agent-managed assets carry the agent's inventory
/// in `properties.kabuto_information` (`general`, `os`, `network_adapters`,
/// `last_synced_at`, `last_user`); other assets have only their name, type
/// and serial.
pub(crate) fn device(a: api::Asset, raw: Option<Value>) -> Device {
    let mut out = Device::new(P, a.id.as_str());
    out.organization_id = a.customer_id.map(Id::from);
    out.display_name = non_empty(a.name.clone());
    let info = a
        .properties
        .get("kabuto_information")
        .filter(|v| v.is_object());
    let os_name = info.and_then(|i| text_at(i, "/os/name"));
    if let Some(i) = info {
        out.hostname = text_at(i, "/general/name").or_else(|| out.display_name.clone());
        out.os_version =
            text_at(i, "/os/windows_release_version").or_else(|| text_at(i, "/os/build"));
        out.last_seen = text_at(i, "/last_synced_at").and_then(|s| parse_utc(&s));
        out.logged_in_user = text_at(i, "/last_user");
        out.manufacturer = text_at(i, "/general/manufacturer");
        out.model = text_at(i, "/general/model");
        if let Some(Value::Array(nics)) = i.get("network_adapters") {
            for nic in nics {
                for key in ["/ipv4", "/ipv6"] {
                    if let Some(ip) = text_at(nic, key) {
                        if !out.ip_addresses.contains(&ip) {
                            out.ip_addresses.push(ip);
                        }
                    }
                }
                if let Some(mac) = text_at(nic, "/physical_address") {
                    if !out.mac_addresses.contains(&mac) {
                        out.mac_addresses.push(mac);
                    }
                }
            }
        }
        // The agent raises `agent_offline_triggered` while the machine is
        // offline.
        out.online = a
            .rmm_store
            .as_ref()
            .and_then(|s| s.triggers.get("agent_offline_triggered"))
            .and_then(|v| match v {
                Value::Bool(b) => Some(!b),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Some(false),
                Value::String(s) if s.eq_ignore_ascii_case("false") => Some(true),
                _ => None,
            });
    }
    let form_factor = info.and_then(|i| text_at(i, "/general/form_factor"));
    out.device_type = form_factor
        .as_deref()
        .and_then(device_type_of)
        .or_else(|| {
            os_name
                .as_deref()
                .filter(|os| os.to_ascii_lowercase().contains("server"))
                .map(|_| DeviceType::Server)
        })
        .or_else(|| a.asset_type.as_deref().and_then(device_type_of))
        .unwrap_or(DeviceType::Other);
    out.os_name = os_name;
    out.serial_number = non_empty(a.asset_serial)
        .or_else(|| info.and_then(|i| text_at(i, "/general/serial_number")));
    out.raw = raw;
    out
}

/// An RMM alert. Syncro alerts carry no severity; the message is the
/// description (else the check's output).
pub(crate) fn alert(a: api::RmmAlert, raw: Option<Value>) -> Alert {
    let message = non_empty(a.description)
        .or_else(|| non_empty(a.formatted_output))
        .or_else(|| non_empty(a.status))
        .unwrap_or_default();
    let mut out = Alert::new(P, a.id.as_str(), message);
    out.device_id = a.asset_id.map(Id::from);
    // Syncro sends 0 for an alert of no customer.
    out.organization_id = a.customer_id.filter(|c| c != "0").map(Id::from);
    out.severity = Severity::Other;
    out.created_at = a.created_at;
    out.resolved = a.resolved.unwrap_or(false);
    out.raw = raw;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_give_states_and_resolved_at_wins() {
        let table = StatusTable::default();
        assert_eq!(
            ticket_status(Some("New".into()), false, &table).state,
            TicketState::New
        );
        assert_eq!(
            ticket_status(Some("Waiting on Customer".into()), false, &table).state,
            TicketState::Waiting
        );
        assert_eq!(
            ticket_status(Some("Bench Testing".into()), false, &table).state,
            TicketState::Open
        );
        assert_eq!(
            ticket_status(Some("Bench Testing".into()), true, &table).state,
            TicketState::Resolved
        );
        assert_eq!(
            ticket_status(Some("Invoiced".into()), true, &table).state,
            TicketState::Closed
        );
        let s = ticket_status(None, false, &table);
        assert_eq!((s.state, s.label), (TicketState::Open, None));
    }

    #[test]
    fn priority_words_give_levels() {
        let level = |s: &str| priority(Some(s.into())).map(|p| p.level);
        assert_eq!(level("2 Normal"), Some(PriorityLevel::Medium));
        assert_eq!(level("Low"), Some(PriorityLevel::Low));
        assert_eq!(level("0 Urgent"), Some(PriorityLevel::Critical));
        assert_eq!(level("High"), Some(PriorityLevel::High));
        assert_eq!(level("Whenever"), Some(PriorityLevel::Other));
        assert_eq!(level(" "), None);
    }

    #[test]
    fn type_labels() {
        assert_eq!(device_type_of("Laptop"), Some(DeviceType::Laptop));
        assert_eq!(device_type_of("Desktop"), Some(DeviceType::Workstation));
        assert_eq!(
            device_type_of("Virtual Machine"),
            Some(DeviceType::VirtualMachine)
        );
        assert_eq!(device_type_of("Syncro Device"), None);
    }
}
