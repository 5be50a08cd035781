//! BMS's shapes -> the normalized model.

use std::collections::HashMap;

use chrono::FixedOffset;
use mspkit_core::model::non_empty;
use mspkit_core::{
    Address, Agreement, Company, Contact, Id, Priority, PriorityLevel, Provider, StatusEntry,
    StatusTable, Ticket, TicketNote, TicketState,
};
use serde_json::Value;

use crate::api::{self, Stamp};

const P: Provider = Provider::KaseyaBms;

fn at(s: Option<Stamp>, zone: FixedOffset) -> Option<chrono::DateTime<chrono::Utc>> {
    s.map(|s| s.at(zone))
}

/// BMS writes "none" as 0 in some id fields.
fn id_of(n: Option<i64>) -> Option<Id> {
    n.filter(|n| *n > 0).map(Id::from)
}

/// The state a status name stands for. BMS's status look-up carries no
/// closed or resolved flag (only a name, an order, an undocumented type
/// number and whether it is a system status), so the name is all there is
/// for the status table; a ticket's own `completedDate` overrides it (see
/// [`ticket`]).
pub(crate) fn status_state(name: &str) -> TicketState {
    let n = name.trim().to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["complet", "closed", "cancel"]) {
        TicketState::Closed
    } else if has(&["resolv"]) {
        TicketState::Resolved
    } else if n == "new" || n.starts_with("new ") {
        TicketState::New
    } else if has(&["progress", "working"]) {
        TicketState::InProgress
    } else if has(&["wait", "hold", "pending", "awaiting", "scheduled"]) {
        TicketState::Waiting
    } else {
        TicketState::Open
    }
}

/// The tenant's statuses, in BMS's order.
pub(crate) fn status_table(mut list: Vec<api::Status>) -> StatusTable {
    list.sort_by_key(|s| (s.status_order.unwrap_or(i64::MAX), s.id));
    StatusTable::new(
        list.into_iter()
            .map(|s| {
                let label = non_empty(s.name).unwrap_or_default();
                StatusEntry {
                    id: Id::from(s.id),
                    state: status_state(&label),
                    label,
                    active: s.is_active.unwrap_or(true),
                }
            })
            .collect(),
    )
}

/// The tenant's priorities: names by id, and the default one.
#[derive(Debug, Clone, Default)]
pub(crate) struct PriorityTable {
    names: HashMap<i64, String>,
    default: Option<i64>,
}

impl PriorityTable {
    pub(crate) fn new(list: Vec<api::Priority>) -> Self {
        let mut t = PriorityTable::default();
        for p in list {
            if p.is_default == Some(true) && t.default.is_none() {
                t.default = Some(p.id);
            }
            if let Some(name) = non_empty(p.name) {
                t.names.insert(p.id, name);
            }
        }
        t
    }

    /// The priority BMS marks `isDefault`.
    pub(crate) fn default_id(&self) -> Option<i64> {
        self.default
    }
}

/// BMS priorities have a name only; the level follows it.
pub(crate) fn priority_level(label: &str) -> PriorityLevel {
    let l = label.to_ascii_lowercase();
    if ["critical", "urgent", "emergency"]
        .iter()
        .any(|w| l.contains(w))
    {
        PriorityLevel::Critical
    } else if l.contains("high") {
        PriorityLevel::High
    } else if l.contains("medium") || l.contains("normal") {
        PriorityLevel::Medium
    } else if l.contains("low") {
        PriorityLevel::Low
    } else {
        PriorityLevel::Other
    }
}

/// The main location, or the only one: where the company's address and
/// phone are, and where new tickets go.
pub(crate) fn main_location(locations: &[api::Location]) -> Option<&api::Location> {
    locations
        .iter()
        .find(|l| l.is_main == Some(true))
        .or(match locations {
            [only] => Some(only),
            _ => None,
        })
}

pub(crate) fn company(a: api::Account, zone: FixedOffset, raw: Option<Value>) -> Company {
    let mut out = Company::new(P, a.id, non_empty(a.account_name).unwrap_or_default());
    out.identifier = non_empty(a.account_code);
    out.website = non_empty(a.website);
    out.active = a.is_active;
    out.created_at = at(a.created_on, zone);
    out.updated_at = at(a.modified_on, zone);
    let locations = a.locations.unwrap_or_default();
    let address = main_location(&locations).and_then(|l| {
        let list = l.addresses.as_deref().unwrap_or_default();
        list.iter()
            .find(|a| a.is_main == Some(true))
            .or(list.first())
    });
    if let Some(addr) = address {
        out.phone = non_empty(addr.phone.clone());
        let mut postal = Address::new();
        postal.line1 = non_empty(addr.address1.clone());
        postal.line2 = non_empty(addr.address2.clone());
        postal.city = non_empty(addr.city.clone());
        postal.region = non_empty(addr.state.clone());
        postal.postal_code = non_empty(addr.zip_code.clone());
        postal.country = non_empty(addr.country.clone());
        out.address = postal.non_empty();
    }
    out.raw = raw;
    out
}

/// The default entry of a list, else the first with a value.
fn preferred<T>(
    list: Option<Vec<T>>,
    is_default: impl Fn(&T) -> bool,
    value: impl Fn(T) -> Option<String>,
) -> Option<String> {
    let mut list = list.unwrap_or_default();
    if let Some(i) = list.iter().position(&is_default) {
        let chosen = list.swap_remove(i);
        if let Some(v) = non_empty(value(chosen)) {
            return Some(v);
        }
    }
    list.into_iter().find_map(|x| non_empty(value(x)))
}

pub(crate) fn contact(c: api::Contact, zone: FixedOffset, raw: Option<Value>) -> Contact {
    let mut out = Contact::new(P, c.id);
    out.company_id = id_of(c.account_id);
    out.first_name = non_empty(c.first_name);
    out.last_name = non_empty(c.last_name);
    out.email = preferred(
        c.emails,
        |e| e.is_default == Some(true),
        |e| e.email_address,
    );
    out.phone = preferred(c.phones, |p| p.is_default == Some(true), |p| p.phone);
    out.title = non_empty(c.job_title);
    out.active = c.is_active;
    out.created_at = at(c.created_on, zone);
    out.updated_at = at(c.modified_on, zone);
    out.raw = raw;
    out
}

pub(crate) fn ticket(
    t: api::Ticket,
    statuses: &StatusTable,
    priorities: &PriorityTable,
    zone: FixedOffset,
    raw: Option<Value>,
) -> Ticket {
    let mut out = Ticket::new(P, t.id, non_empty(t.title).unwrap_or_default());
    out.number = non_empty(t.ticket_number);
    out.description = non_empty(t.details);
    let status_name = non_empty(t.status_name);
    let completed = at(t.completed_date, zone);
    let mut status = match t.status_id {
        Some(id) => statuses.status(
            &Id::from(id),
            status_state(status_name.as_deref().unwrap_or_default()),
        ),
        None => {
            mspkit_core::TicketStatus::new(status_state(status_name.as_deref().unwrap_or_default()))
        }
    };
    if status.label.is_none() {
        status.label = status_name;
    }
    // BMS's own mark of a finished ticket: a completion date.
    if completed.is_some() && !status.state.is_closed() {
        status.state = TicketState::Closed;
    }
    out.status = status;
    out.priority = t.priority_id.filter(|id| *id > 0).map(|id| {
        let label = priorities
            .names
            .get(&id)
            .cloned()
            .or_else(|| non_empty(t.priority_name));
        let p = Priority::new(priority_level(label.as_deref().unwrap_or_default())).with_id(id);
        match label {
            Some(l) => p.with_label(l),
            None => p,
        }
    });
    out.company_id = id_of(t.account_id);
    out.contact_id = id_of(t.contact_id);
    out.assignee = non_empty(t.assignee_name).or_else(|| id_of(t.assignee_id).map(Id::into_string));
    out.created_at = at(t.created_on, zone).or(at(t.open_date, zone));
    out.updated_at = at(t.last_activity_update, zone).max(at(t.modified_on, zone));
    out.closed_at = completed.filter(|_| out.status.state.is_closed());
    out.raw = raw;
    out
}

pub(crate) fn note(n: api::Note, ticket: &Id, zone: FixedOffset, raw: Option<Value>) -> TicketNote {
    let mut out = TicketNote::new(
        P,
        n.id,
        ticket.clone(),
        non_empty(n.details).unwrap_or_default(),
    );
    out.internal = n.is_internal.unwrap_or(false);
    out.author = non_empty(n.created_by_name);
    out.created_at = at(n.created_on, zone);
    out.raw = raw;
    out
}

/// The tenant's accounts by name, for contracts, which name their account
/// but do not give its id.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountNames {
    by_name: HashMap<String, Vec<i64>>,
    by_id: HashMap<i64, String>,
}

impl AccountNames {
    pub(crate) fn new(list: impl IntoIterator<Item = (i64, String)>) -> Self {
        let mut t = AccountNames::default();
        for (id, name) in list {
            t.by_name
                .entry(name.trim().to_lowercase())
                .or_default()
                .push(id);
            t.by_id.insert(id, name);
        }
        t
    }

    /// The one account of this name (none when two share it).
    pub(crate) fn id_of(&self, name: &str) -> Option<i64> {
        match self.by_name.get(&name.trim().to_lowercase())?.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The name of account `id`.
    pub(crate) fn name_of(&self, id: i64) -> Option<&str> {
        self.by_id.get(&id).map(String::as_str)
    }
}

pub(crate) fn agreement(c: api::Contract, names: &AccountNames, raw: Option<Value>) -> Agreement {
    let name = non_empty(c.contract_name)
        .or_else(|| non_empty(c.contract_number))
        .unwrap_or_default();
    let mut out = Agreement::new(P, c.id, name);
    out.company_id = c
        .account_name
        .as_deref()
        .and_then(|n| names.id_of(n))
        .map(Id::from);
    out.kind = non_empty(c.contract_type);
    out.starts_on = c.start_date.map(Stamp::date);
    out.ends_on = c.end_date.map(Stamp::date);
    out.active = non_empty(c.status).map(|s| s.eq_ignore_ascii_case("active"));
    out.raw = raw;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_status_names() {
        assert_eq!(status_state("New"), TicketState::New);
        assert_eq!(status_state("In Progress"), TicketState::InProgress);
        assert_eq!(status_state("Waiting on Customer"), TicketState::Waiting);
        assert_eq!(status_state("On Hold"), TicketState::Waiting);
        assert_eq!(status_state("Resolved"), TicketState::Resolved);
        assert_eq!(status_state("Completed"), TicketState::Closed);
        assert_eq!(status_state("Assigned"), TicketState::Open);
    }

    #[test]
    fn account_names_are_unique_or_nothing() {
        let t = AccountNames::new([
            (1, "Acme Corp".into()),
            (2, "Twin".into()),
            (3, "twin".into()),
        ]);
        assert_eq!(t.id_of(" acme corp"), Some(1));
        assert_eq!(t.id_of("Twin"), None);
        assert_eq!(t.name_of(1), Some("Acme Corp"));
    }
}
