//! Atera's shapes -> the normalized model.

use chrono::{DateTime, Utc};
use mspkit_core::{
    Address, Agreement, Alert, Company, Contact, Device, DeviceType, Id, Priority, PriorityLevel,
    Provider, Severity, StatusEntry, StatusTable, Ticket, TicketNote, TicketState, TicketStatus,
    non_empty,
};
use serde_json::Value;

use crate::api;

const P: Provider = Provider::Atera;

/// A customer as an RMM organization.
pub(crate) fn organization(c: api::Customer, raw: Option<Value>) -> mspkit_core::Organization {
    let mut o = mspkit_core::Organization::new(
        P,
        c.customer_id,
        non_empty(c.customer_name).unwrap_or_default(),
    );
    o.created_at = c.created_on;
    o.updated_at = c.last_modified;
    o.raw = raw;
    o
}

/// A customer as a PSA company.
pub(crate) fn company(c: api::Customer, raw: Option<Value>) -> Company {
    let mut out = Company::new(
        P,
        c.customer_id,
        non_empty(c.customer_name).unwrap_or_default(),
    );
    out.identifier = non_empty(c.business_number);
    out.phone = non_empty(c.phone);
    out.website = non_empty(c.domain);
    let mut address = Address::new();
    address.line1 = non_empty(c.address);
    address.city = non_empty(c.city);
    address.region = non_empty(c.state);
    address.postal_code = non_empty(c.zip_code);
    address.country = non_empty(c.country);
    out.address = address.non_empty();
    out.created_at = c.created_on;
    out.updated_at = c.last_modified;
    out.raw = raw;
    out
}

/// A contact (end user).
pub(crate) fn contact(c: api::Contact, raw: Option<Value>) -> Contact {
    let mut out = Contact::new(P, c.end_user_id);
    out.company_id = c.customer_id.map(Id::from);
    out.first_name = non_empty(c.first_name);
    out.last_name = non_empty(c.last_name);
    out.email = non_empty(c.email);
    out.phone = non_empty(c.phone).or_else(|| non_empty(c.mobile_phone));
    out.title = non_empty(c.job_title);
    out.active = c.archived.map(|archived| !archived);
    out.created_at = c.created_on;
    out.updated_at = c.last_modified;
    out.raw = raw;
    out
}

/// A contract as an agreement.
pub(crate) fn agreement(c: api::Contract, raw: Option<Value>) -> Agreement {
    let mut out = Agreement::new(
        P,
        c.contract_id,
        non_empty(c.contract_name).unwrap_or_default(),
    );
    out.company_id = c.customer_id.map(Id::from);
    out.kind = non_empty(c.contract_type);
    out.starts_on = c.start_date.map(|d| d.date_naive());
    out.ends_on = c.end_date.map(|d| d.date_naive());
    out.active = c.active;
    out.raw = raw;
    out
}

/// Atera's built-in ticket statuses (a tenant may add its own; those are
/// kept by label, in state `other` unless the ticket has been resolved).
pub(crate) fn statuses() -> StatusTable {
    let entry = |label: &str, state| StatusEntry {
        id: Id::from(label),
        label: label.to_owned(),
        state,
        active: true,
    };
    StatusTable::new(vec![
        entry("Open", TicketState::Open),
        entry("Pending", TicketState::Waiting),
        entry("Resolved", TicketState::Resolved),
        entry("Closed", TicketState::Closed),
    ])
}

/// A ticket's status: a built-in one by its label; a custom one by the
/// ticket's own resolved date.
pub(crate) fn ticket_status(label: Option<&str>, resolved: bool) -> TicketStatus {
    let fallback = if resolved {
        TicketState::Resolved
    } else {
        TicketState::Other
    };
    let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) else {
        return TicketStatus::new(fallback);
    };
    let table = statuses();
    let known = table
        .entries()
        .iter()
        .find(|e| e.label.eq_ignore_ascii_case(label));
    let state = known.map_or(fallback, |e| e.state);
    TicketStatus::new(state).with_label(label).with_id(label)
}

/// A priority: its label is also what a write sends back.
pub(crate) fn priority(label: &str) -> Priority {
    let level = match label.trim().to_ascii_lowercase().as_str() {
        "critical" => PriorityLevel::Critical,
        "high" => PriorityLevel::High,
        "medium" => PriorityLevel::Medium,
        "low" => PriorityLevel::Low,
        _ => PriorityLevel::Other,
    };
    Priority::new(level)
        .with_label(label.trim())
        .with_id(label.trim())
}

/// A ticket.
pub(crate) fn ticket(t: api::Ticket, raw: Option<Value>) -> Ticket {
    let updated = t.last_activity();
    let mut out = Ticket::new(P, t.ticket_id, non_empty(t.title).unwrap_or_default());
    out.number = non_empty(t.number);
    out.description = non_empty(t.first_comment);
    out.status = ticket_status(t.status.as_deref(), t.resolved.is_some());
    out.priority = non_empty(t.priority).map(|p| priority(&p));
    out.company_id = t.customer_id.map(Id::from);
    out.contact_id = t.end_user_id.map(Id::from);
    out.assignee = non_empty(t.technician_name).or_else(|| non_empty(t.technician_email));
    out.created_at = t.created;
    out.updated_at = updated;
    out.closed_at = t.resolved.filter(|_| out.status.state.is_closed());
    out.raw = raw;
    out
}

/// A comment's id, as Atera gives it none: the ticket, the moment, the
/// author and a hash of the text, stable from one sync to the next.
pub(crate) fn note_id(ticket: &Id, at: Option<DateTime<Utc>>, author: &str, text: &str) -> String {
    let at = at.map_or(0, |t| t.timestamp());
    format!("{ticket}-{at}-{author}-{:016x}", fnv1a(text.as_bytes()))
}

/// `t12` for technician 12, `u7` for end user 7, `x` for neither.
pub(crate) fn author_key(technician: Option<i64>, end_user: Option<i64>) -> String {
    match (technician, end_user) {
        (Some(t), _) => format!("t{t}"),
        (None, Some(u)) => format!("u{u}"),
        (None, None) => "x".to_owned(),
    }
}

/// FNV-1a, 64 bits: small, and the same in every Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A ticket comment as a note.
pub(crate) fn note(ticket: &Id, c: api::Comment, raw: Option<Value>) -> TicketNote {
    let text = non_empty(c.comment)
        .or_else(|| non_empty(c.comment_html))
        .unwrap_or_default();
    let id = note_id(
        ticket,
        c.date,
        &author_key(c.technician_id, c.end_user_id),
        &text,
    );
    let mut out = TicketNote::new(P, id, ticket.clone(), text);
    out.internal = c.is_internal.unwrap_or(false);
    let name = [non_empty(c.first_name), non_empty(c.last_name)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    out.author = non_empty(Some(name)).or_else(|| non_empty(c.email));
    out.created_at = c.date;
    out.raw = raw;
    out
}

/// The device type from `OSType` (`Server`, `Domain Controller`, `Work
/// Station`), `DeviceType` (`Laptop`, `Desktop`) and the OS name.
pub(crate) fn device_type(a: &api::Agent) -> DeviceType {
    let lower = |s: &Option<String>| s.as_deref().unwrap_or_default().to_ascii_lowercase();
    let (os_type, kind, os) = (lower(&a.os_type), lower(&a.device_type), lower(&a.os));
    if os_type.contains("server")
        || os_type.contains("domain controller")
        || kind.contains("server")
        || os.contains("server")
    {
        DeviceType::Server
    } else if kind.contains("laptop") || kind.contains("notebook") {
        DeviceType::Laptop
    } else if kind.contains("virtual") {
        DeviceType::VirtualMachine
    } else if os_type.contains("work station")
        || os_type.contains("workstation")
        || kind.contains("desktop")
        || kind.contains("workstation")
    {
        DeviceType::Workstation
    } else {
        DeviceType::Other
    }
}

/// An agent as a device.
pub(crate) fn device(a: api::Agent, raw: Option<Value>) -> Device {
    let kind = device_type(&a);
    let mut out = Device::new(P, a.agent_id);
    out.organization_id = a.customer_id.map(Id::from);
    out.site_id = a.folder_id.map(Id::from);
    out.device_type = kind;
    out.display_name =
        non_empty(a.agent_name.clone()).or_else(|| non_empty(a.machine_name.clone()));
    out.hostname = non_empty(a.machine_name)
        .or_else(|| non_empty(a.agent_name))
        .or_else(|| non_empty(a.system_name));
    out.os_name = non_empty(a.os);
    out.os_version = non_empty(a.os_version).or_else(|| non_empty(a.os_build));
    out.online = a.online;
    out.last_seen = a.last_seen;
    out.ip_addresses = clean(a.ip_addresses);
    out.mac_addresses = clean(a.mac_addresses);
    out.serial_number = non_empty(a.vendor_serial_number);
    out.manufacturer = non_empty(a.vendor);
    out.model = non_empty(a.vendor_brand_model).or_else(|| non_empty(a.product_name));
    out.agent_version = non_empty(a.agent_version);
    out.logged_in_user = non_empty(a.current_logged_users).or_else(|| non_empty(a.last_login_user));
    out.raw = raw;
    out
}

fn clean(list: Option<Vec<String>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .filter_map(|s| non_empty(Some(s)))
        .collect()
}

/// An alert. Atera keeps a resolved alert as `Archived`.
pub(crate) fn alert(a: api::Alert, raw: Option<Value>) -> Alert {
    let message = non_empty(a.alert_message.clone())
        .or_else(|| non_empty(a.title.clone()))
        .unwrap_or_default();
    let mut out = Alert::new(P, a.alert_id, message);
    out.device_id = a
        .agent()
        .map(Id::from)
        .or_else(|| non_empty(a.device_guid.clone()).map(Id::from));
    out.organization_id = a.customer_id.map(Id::from);
    out.severity = match a.severity.as_deref().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("critical") => Severity::Critical,
        Some(s) if s.eq_ignore_ascii_case("warning") => Severity::Warning,
        Some(s) if s.eq_ignore_ascii_case("information") || s.eq_ignore_ascii_case("info") => {
            Severity::Info
        }
        _ => Severity::Other,
    };
    out.created_at = a.created;
    out.resolved = a.archived == Some(true);
    out.resolved_at = a.archived_date.filter(|_| out.resolved);
    out.raw = raw;
    out
}

/// When an alert last changed: raised, or resolved.
pub(crate) fn alert_changed_at(a: &Alert) -> Option<DateTime<Utc>> {
    a.created_at.max(a.resolved_at)
}
