//! Halo's shapes -> the normalized model.

use std::collections::HashMap;

use mspkit_core::{
    Agreement, Company, Contact, Id, Priority, PriorityLevel, Provider, StatusEntry, StatusTable,
    Ticket, TicketNote, TicketState, TicketStatus,
};
use serde_json::Value;

use crate::api;
pub(crate) use mspkit_core::model::non_empty;

const P: Provider = Provider::Halo;

/// Halo's built-in Closed status: the one `open_only` leaves out and
/// `closed_only` returns; its id is the same in every installation.
const CLOSED_STATUS_ID: i64 = 9;
/// Halo's built-in New status.
const NEW_STATUS_ID: i64 = 1;
/// Halo's "Unassigned" agent.
const UNASSIGNED_AGENT_ID: i64 = 1;

/// The statuses of one Halo instance, in Halo's display order.
pub(crate) fn status_table(mut list: Vec<api::Status>) -> StatusTable {
    list.sort_by_key(|s| (s.sequence.unwrap_or(i64::MAX), s.id));
    StatusTable::new(
        list.into_iter()
            .map(|s| StatusEntry {
                id: Id::from(s.id),
                state: status_state(s.id, s.name.as_deref()),
                label: non_empty(s.name).unwrap_or_default(),
                active: true,
            })
            .collect(),
    )
}

/// A ticket's status: the table's label and state, or (a status the table
/// does not know) the state its id alone tells.
fn ticket_status(statuses: &StatusTable, id: Option<i64>) -> TicketStatus {
    match id {
        Some(id) => statuses.status(&Id::from(id), status_state(id, None)),
        None => TicketStatus::default(),
    }
}

/// Closed comes from Halo's built-in Closed status (id 9, the one
/// `open_only` leaves out), never from a name. Halo's status objects carry
/// no documented flag for the rest, so the built-in Pending Closure is known
/// by its name (`resolved`), and the names of the open statuses sort them
/// into the open sub-states.
fn status_state(id: i64, name: Option<&str>) -> TicketState {
    if id == CLOSED_STATUS_ID {
        return TicketState::Closed;
    }
    if id == NEW_STATUS_ID {
        return TicketState::New;
    }
    let name = name.unwrap_or_default().to_ascii_lowercase();
    // Halo's built-in Pending Closure: the work is done and the ticket
    // closes itself unless the user answers (Halo's own `excludepending`
    // sets it apart from both the open statuses and Closed).
    if name.starts_with("pending clos") {
        return TicketState::Resolved;
    }
    if name.contains("progress") {
        TicketState::InProgress
    } else if [
        "wait",
        "hold",
        "with user",
        "with supplier",
        "pending",
        "awaiting",
    ]
    .iter()
    .any(|w| name.contains(w))
    {
        TicketState::Waiting
    } else if name == "new" {
        TicketState::New
    } else {
        TicketState::Open
    }
}

/// The priorities of one Halo instance: per SLA, named by `priorityid`.
#[derive(Debug, Clone, Default)]
pub(crate) struct PriorityTable {
    by_sla: HashMap<(i64, i64), String>,
    any_sla: HashMap<i64, String>,
}

impl PriorityTable {
    pub(crate) fn new(list: Vec<api::Priority>) -> Self {
        let mut t = PriorityTable::default();
        for p in list {
            let (Some(pid), Some(name)) = (p.priorityid, non_empty(p.name)) else {
                continue;
            };
            if let Some(sla) = p.slaid {
                t.by_sla.entry((sla, pid)).or_insert_with(|| name.clone());
            }
            t.any_sla.entry(pid).or_insert(name);
        }
        t
    }

    fn label(&self, sla: Option<i64>, id: i64) -> Option<String> {
        sla.and_then(|s| self.by_sla.get(&(s, id)))
            .or_else(|| self.any_sla.get(&id))
            .cloned()
    }
}

/// Halo priorities have no level of their own, only a name.
fn priority_level(label: Option<&str>) -> PriorityLevel {
    let l = label.unwrap_or_default().to_ascii_lowercase();
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

/// Halo writes "none" as 0 (or -1) in id fields.
fn id_of(n: Option<i64>) -> Option<Id> {
    n.filter(|n| *n > 0).map(Id::from)
}

pub(crate) fn company(c: api::Client, raw: Option<Value>) -> Company {
    let mut out = Company::new(P, c.id, non_empty(c.name).unwrap_or_default());
    out.identifier = non_empty(c.reference);
    out.active = c.inactive.map(|i| !i);
    out.created_at = c.datecreated;
    out.raw = raw;
    out
}

pub(crate) fn contact(u: api::User, raw: Option<Value>) -> Contact {
    let mut out = Contact::new(P, u.id);
    out.company_id = id_of(u.client_id);
    out.first_name = non_empty(u.firstname);
    out.last_name = non_empty(u.surname);
    if out.first_name.is_none() && out.last_name.is_none() {
        out.first_name = non_empty(u.name);
    }
    out.email = non_empty(u.emailaddress);
    out.phone = non_empty(u.phonenumber).or_else(|| non_empty(u.mobilenumber));
    out.title = non_empty(u.title);
    out.active = u.inactive.map(|i| !i);
    out.created_at = u.datecreated;
    out.raw = raw;
    out
}

pub(crate) fn ticket(
    t: api::Ticket,
    statuses: &StatusTable,
    priorities: &PriorityTable,
    raw: Option<Value>,
) -> Ticket {
    let mut out = Ticket::new(P, t.id, non_empty(t.summary).unwrap_or_default());
    out.number = Some(t.id.to_string());
    out.description = non_empty(t.details).or_else(|| non_empty(t.details_html));
    out.status = ticket_status(statuses, t.status_id);
    out.priority = t.priority_id.filter(|id| *id > 0).map(|id| {
        let label = t
            .priority
            .and_then(|p| non_empty(p.name))
            .or_else(|| priorities.label(t.sla_id, id));
        let p = Priority::new(priority_level(label.as_deref())).with_id(id);
        match label {
            Some(l) => p.with_label(l),
            None => p,
        }
    });
    out.company_id = id_of(t.client_id);
    out.contact_id = id_of(t.user_id);
    out.assignee = t
        .agent_id
        .filter(|id| *id > 0 && *id != UNASSIGNED_AGENT_ID)
        .map(|id| {
            t.agent
                .and_then(|a| non_empty(a.name))
                .unwrap_or_else(|| id.to_string())
        });
    out.created_at = t.datecreated.or(t.dateoccurred);
    out.updated_at = t.lastactiondate.max(t.last_update);
    // A reopened ticket keeps its old close date; it is only news while closed.
    out.closed_at = t.dateclosed.filter(|_| out.status.state.is_closed());
    out.raw = raw;
    out
}

pub(crate) fn note(a: api::Action, ticket: &Id, raw: Option<Value>) -> TicketNote {
    let ticket_id = id_of(a.ticket_id).unwrap_or_else(|| ticket.clone());
    let text = non_empty(a.note)
        .or_else(|| non_empty(a.note_html))
        .unwrap_or_default();
    let mut out = TicketNote::new(P, a.id, ticket_id, text);
    out.internal = a.hiddenfromuser.unwrap_or(false);
    out.author = non_empty(a.who);
    out.created_at = a.datetime.or(a.actiondatecreated);
    out.raw = raw;
    out
}

pub(crate) fn agreement(c: api::Contract, raw: Option<Value>) -> Agreement {
    let mut out = Agreement::new(P, c.id, non_empty(c.reference).unwrap_or_default());
    out.company_id = id_of(c.client_id);
    out.starts_on = c.start_date.map(|d| d.date_naive());
    out.ends_on = c.end_date.map(|d| d.date_naive());
    out.active = match (c.started, c.expired) {
        (Some(started), Some(expired)) => Some(started && !expired),
        (None, Some(true)) | (Some(false), None) => Some(false),
        _ => None,
    };
    out.raw = raw;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_comes_from_the_closed_status_not_from_names() {
        assert_eq!(status_state(9, Some("Closed")), TicketState::Closed);
        assert_eq!(status_state(9, None), TicketState::Closed);
        assert_eq!(
            status_state(21, Some("Closed - duplicate")),
            TicketState::Open
        );
        assert_eq!(status_state(1, Some("New")), TicketState::New);
        assert_eq!(
            status_state(2, Some("In Progress")),
            TicketState::InProgress
        );
        assert_eq!(
            status_state(4, Some("Waiting on User")),
            TicketState::Waiting
        );
        assert_eq!(
            status_state(8, Some("Pending Closure")),
            TicketState::Resolved
        );
        assert_eq!(
            status_state(10, Some("Pending Supplier")),
            TicketState::Waiting
        );
    }

    #[test]
    fn priority_levels_follow_labels() {
        assert_eq!(priority_level(Some("Critical")), PriorityLevel::Critical);
        assert_eq!(priority_level(Some("P2 - High")), PriorityLevel::High);
        assert_eq!(priority_level(Some("Medium")), PriorityLevel::Medium);
        assert_eq!(priority_level(Some("Low")), PriorityLevel::Low);
        assert_eq!(priority_level(Some("Scheduled")), PriorityLevel::Other);
        assert_eq!(priority_level(None), PriorityLevel::Other);
    }
}
