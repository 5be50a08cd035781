//! Freshservice shapes → the normalized model.

use std::collections::HashMap;

use mspkit_core::model::non_empty;
use mspkit_core::{
    Agreement, Company, Contact, Id, Priority, PriorityLevel, Provider, StatusEntry, StatusTable,
    Ticket, TicketNote, TicketState, TicketStatus,
};
use serde_json::Value;

use crate::api;

const P: Provider = Provider::Freshservice;

/// The fixed statuses every tenant has (the API docs' table): code, label, state.
pub(crate) const STATUSES: [(u64, &str, TicketState); 4] = [
    (2, "Open", TicketState::Open),
    (3, "Pending", TicketState::Waiting),
    (4, "Resolved", TicketState::Resolved),
    (5, "Closed", TicketState::Closed),
];

/// The fixed priorities (the API docs' table): code, label, level.
pub(crate) const PRIORITIES: [(u64, &str, PriorityLevel); 4] = [
    (1, "Low", PriorityLevel::Low),
    (2, "Medium", PriorityLevel::Medium),
    (3, "High", PriorityLevel::High),
    (4, "Urgent", PriorityLevel::Critical),
];

/// Whether `code` is one of the fixed statuses (others are the tenant's own,
/// labelled from the ticket form).
pub(crate) fn is_fixed_status(code: u64) -> bool {
    STATUSES.iter().any(|(c, _, _)| *c == code)
}

/// The statuses a normalized state can be moved to: the fixed ones.
pub(crate) fn status_table() -> StatusTable {
    StatusTable::new(
        STATUSES
            .iter()
            .map(|(code, label, state)| StatusEntry {
                id: Id::from(*code),
                label: (*label).to_owned(),
                state: *state,
                active: true,
            })
            .collect(),
    )
}

/// A ticket status from its code: the state from the code (2 open, 3
/// pending, 4 resolved, 5 closed; a custom status is `Other`, never guessed
/// from its name), the label from the fixed table or the tenant's form.
pub(crate) fn status(code: Option<u64>, custom: &HashMap<u64, String>) -> TicketStatus {
    let Some(code) = code else {
        return TicketStatus::new(TicketState::Other);
    };
    match STATUSES.iter().find(|(c, _, _)| *c == code) {
        Some((_, label, state)) => TicketStatus::new(*state).with_id(code).with_label(*label),
        None => {
            let s = TicketStatus::new(TicketState::Other).with_id(code);
            match custom.get(&code) {
                Some(label) => s.with_label(label.clone()),
                None => s,
            }
        }
    }
}

/// A priority from its code.
pub(crate) fn priority(code: Option<u64>) -> Option<Priority> {
    let code = code?;
    Some(match PRIORITIES.iter().find(|(c, _, _)| *c == code) {
        Some((_, label, level)) => Priority::new(*level).with_id(code).with_label(*label),
        None => Priority::new(PriorityLevel::Other).with_id(code),
    })
}

/// The tenant's status labels from the ticket form's `status` field. Its
/// `choices` are read leniently (the shape is inferred): a list of objects
/// with an `id` and a `value` / `label` / `name`, a list of `[label, id]`
/// pairs, or an object mapping labels to ids or ids to labels.
pub(crate) fn status_labels(fields: &[api::TicketField]) -> HashMap<u64, String> {
    let mut out = HashMap::new();
    let Some(choices) = fields
        .iter()
        .find(|f| f.name.as_deref() == Some("status"))
        .and_then(|f| f.choices.as_ref())
    else {
        return out;
    };
    let code = |v: &Value| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let label = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Array(a) => a
            .first()
            .and_then(Value::as_str)
            .map(|s| s.trim().to_owned()),
        _ => None,
    };
    match choices {
        Value::Array(items) => {
            for item in items {
                let pair = match item {
                    Value::Object(o) => o.get("id").and_then(code).zip(
                        ["value", "label", "name"]
                            .iter()
                            .find_map(|k| o.get(*k).and_then(label)),
                    ),
                    Value::Array(a) if a.len() >= 2 => match (code(&a[1]), label(&a[0])) {
                        (Some(c), Some(l)) => Some((c, l)),
                        _ => code(&a[0]).zip(label(&a[1])),
                    },
                    _ => None,
                };
                if let Some((c, l)) = pair {
                    out.insert(c, l);
                }
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                if let (Some(c), Some(l)) = (k.trim().parse::<u64>().ok(), label(v)) {
                    out.insert(c, l);
                } else if let Some(c) = code(v) {
                    out.insert(c, k.trim().to_owned());
                }
            }
        }
        _ => {}
    }
    out
}

/// A department as a company. Departments have no phone, website, address
/// or active flag of their own.
pub(crate) fn department(d: api::Department, raw: Option<Value>) -> Company {
    let mut c = Company::new(P, d.id, d.name.unwrap_or_default());
    c.created_at = d.created_at;
    c.updated_at = d.updated_at;
    c.raw = raw;
    c
}

/// A workspace (an MSP tenant's client) as a company; `active` from its
/// `state` (`active` or `draft`).
pub(crate) fn workspace(w: api::Workspace, raw: Option<Value>) -> Company {
    let mut c = Company::new(P, w.id, w.name.unwrap_or_default());
    c.active = w
        .state
        .as_deref()
        .map(|s| s.trim().eq_ignore_ascii_case("active"));
    c.created_at = w.created_at;
    c.updated_at = w.updated_at;
    c.raw = raw;
    c
}

/// A requester as a contact. The company is the first of its departments
/// (departments mode) or its workspace (workspaces mode; `workspace` when
/// the list was asked for one client).
pub(crate) fn contact(
    r: api::Requester,
    by_workspace: bool,
    workspace: Option<&Id>,
    raw: Option<Value>,
) -> Contact {
    let mut c = Contact::new(P, r.id);
    c.company_id = if by_workspace {
        workspace.cloned().or_else(|| r.workspace_id.map(Id::from))
    } else {
        r.department_ids
            .as_ref()
            .and_then(|ids| ids.first())
            .map(|id| Id::from(*id))
    };
    c.first_name = non_empty(r.first_name);
    c.last_name = non_empty(r.last_name);
    c.email = non_empty(r.primary_email);
    c.phone = non_empty(r.work_phone_number).or_else(|| non_empty(r.mobile_phone_number));
    c.title = non_empty(r.job_title);
    c.active = r.active;
    c.created_at = r.created_at;
    c.updated_at = r.updated_at;
    c.raw = raw;
    c
}

/// A ticket. The company is `department_id` (departments mode) or
/// `workspace_id` (workspaces mode); the assignee is the responder's agent
/// id; `closed_at` comes from `stats` (single reads ask for it).
pub(crate) fn ticket(
    t: api::Ticket,
    by_workspace: bool,
    custom: &HashMap<u64, String>,
    raw: Option<Value>,
) -> Ticket {
    let mut out = Ticket::new(P, t.id, t.subject.unwrap_or_default());
    out.number = Some(t.id.to_string());
    out.description = non_empty(t.description_text).or_else(|| non_empty(t.description));
    out.status = status(t.status, custom);
    out.priority = priority(t.priority);
    out.company_id = if by_workspace {
        t.workspace_id
    } else {
        t.department_id
    }
    .map(Id::from);
    out.contact_id = t.requester_id.map(Id::from);
    out.assignee = t.responder_id.map(|id| id.to_string());
    out.created_at = t.created_at;
    out.updated_at = t.updated_at;
    out.closed_at = t.stats.and_then(|s| s.closed_at.or(s.resolved_at));
    out.raw = raw;
    out
}

/// A conversation as a note: `private` is internal; the text is the plain
/// `body_text` (the HTML `body` when absent); the author is the sender's
/// address, else the user id.
pub(crate) fn note(c: api::Conversation, ticket: &Id, raw: Option<Value>) -> TicketNote {
    let text = non_empty(c.body_text)
        .or_else(|| non_empty(c.body))
        .unwrap_or_default();
    let ticket_id = c.ticket_id.map(Id::from).unwrap_or_else(|| ticket.clone());
    let mut n = TicketNote::new(P, c.id, ticket_id, text);
    n.internal = c.private.unwrap_or(false);
    n.author = non_empty(c.from_email).or_else(|| c.user_id.map(|id| id.to_string()));
    n.created_at = c.created_at;
    n.raw = raw;
    n
}

/// A contract as an agreement: the kind is its contract type's name, active
/// when its status is `active`, the company its workspace (MSP tenants; the
/// one asked for when the contract names none).
pub(crate) fn agreement(
    c: api::Contract,
    by_workspace: bool,
    workspace: Option<&Id>,
    types: &HashMap<u64, String>,
    raw: Option<Value>,
) -> Agreement {
    let name = non_empty(c.name)
        .or_else(|| non_empty(c.contract_number.clone()))
        .unwrap_or_default();
    let mut a = Agreement::new(P, c.id, name);
    a.company_id = if by_workspace {
        c.workspace_id.map(Id::from).or_else(|| workspace.cloned())
    } else {
        None
    };
    a.kind = c.contract_type_id.and_then(|id| types.get(&id).cloned());
    a.starts_on = c.start_date.map(|t| t.date_naive());
    a.ends_on = c.end_date.map(|t| t.date_naive());
    a.active = c
        .status
        .as_deref()
        .map(|s| s.trim().eq_ignore_ascii_case("active"));
    a.raw = raw;
    a
}
