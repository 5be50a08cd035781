//! Zendesk shapes -> the normalized model.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use mspkit_core::{
    Company, Contact, Id, Priority, PriorityLevel, Provider, StatusEntry, StatusTable, Ticket,
    TicketNote, TicketState, TicketStatus, non_empty,
};
use serde_json::Value;

use crate::api::{self, MetricSet, SideUser};

const P: Provider = Provider::Zendesk;

/// What a page or a single read side-loads next to its records
/// (`include=users,metric_sets`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Side {
    /// User names by id.
    pub users: HashMap<u64, String>,
    /// Solve times by ticket id.
    pub solved_at: HashMap<u64, DateTime<Utc>>,
}

impl Side {
    /// Reads the side-loaded `users` and `metric_sets` (or one
    /// `metric_set`) of a body's top-level fields; what cannot be read is
    /// left out (it only names people and times).
    pub(crate) fn from_page(page: &Value) -> Self {
        let mut side = Side::default();
        if let Some(Value::Array(users)) = page.get("users") {
            for u in users {
                if let Ok(SideUser {
                    id,
                    name: Some(name),
                }) = serde_json::from_value(u.clone())
                {
                    side.users.insert(id, name);
                }
            }
        }
        let sets = match page.get("metric_sets") {
            Some(Value::Array(sets)) => sets.clone(),
            _ => page.get("metric_set").cloned().into_iter().collect(),
        };
        for m in &sets {
            if let Ok(MetricSet {
                ticket_id: Some(t),
                solved_at: Some(at),
            }) = serde_json::from_value(m.clone())
            {
                side.solved_at.insert(t, at);
            }
        }
        side
    }
}

/// Zendesk's fixed ticket statuses, in its order. An account with custom
/// statuses still files every ticket under one of them (its category).
pub(crate) const STATUSES: [&str; 6] = ["new", "open", "pending", "hold", "solved", "closed"];

/// Zendesk's fixed priorities.
pub(crate) const PRIORITIES: [&str; 4] = ["urgent", "high", "normal", "low"];

/// The normalized state of a status or status category: `pending` (waiting
/// on the requester) and `hold` (waiting on a third party) are waiting;
/// `solved` is resolved and `closed` (final, read-only) closed. Anything
/// else (`deleted` in exports) is `Other`.
pub(crate) fn status_state(status: &str) -> TicketState {
    match status {
        "new" => TicketState::New,
        "open" => TicketState::Open,
        "pending" | "hold" => TicketState::Waiting,
        "solved" => TicketState::Resolved,
        "closed" => TicketState::Closed,
        _ => TicketState::Other,
    }
}

/// The normalized level of a priority.
pub(crate) fn priority(p: &str) -> Priority {
    let level = match p {
        "urgent" => PriorityLevel::Critical,
        "high" => PriorityLevel::High,
        "normal" => PriorityLevel::Medium,
        "low" => PriorityLevel::Low,
        _ => PriorityLevel::Other,
    };
    Priority::new(level).with_id(p).with_label(p)
}

/// The account's statuses: the fixed ones (ids `new` ... `closed`) first,
/// then its custom statuses (numeric ids, labelled as agents see them, in
/// the state of their category).
pub(crate) fn status_table(custom: &[api::CustomStatus]) -> StatusTable {
    let fixed = STATUSES.iter().map(|s| StatusEntry {
        id: Id::from(*s),
        label: (*s).to_owned(),
        state: status_state(s),
        active: true,
    });
    let custom = custom.iter().map(|c| StatusEntry {
        id: Id::from(c.id),
        label: c.agent_label.clone(),
        state: status_state(&c.status_category),
        active: c.active.unwrap_or(true),
    });
    StatusTable::new(fixed.chain(custom).collect())
}

/// An organization as a company. Zendesk organizations have no phone,
/// address or active flag; their first domain name stands for the website.
pub(crate) fn company(o: api::Organization, raw: Option<Value>) -> Company {
    let mut out = Company::new(P, o.id, o.name.unwrap_or_default());
    out.identifier = non_empty(o.external_id);
    out.website = o
        .domain_names
        .unwrap_or_default()
        .into_iter()
        .map(|d| d.trim().to_owned())
        .find(|d| !d.is_empty());
    out.created_at = o.created_at;
    out.updated_at = o.updated_at;
    out.raw = raw;
    out
}

/// Splits Zendesk's one `name` at its first space: `Johnny Agent` is
/// `Johnny` / `Agent`; a single word is a first name.
pub(crate) fn split_name(name: Option<String>) -> (Option<String>, Option<String>) {
    let Some(name) = non_empty(name) else {
        return (None, None);
    };
    match name.split_once(char::is_whitespace) {
        Some((first, last)) => (
            non_empty(Some(first.to_owned())),
            non_empty(Some(last.trim().to_owned())),
        ),
        None => (Some(name), None),
    }
}

/// An end-user as a contact, in their primary organization.
pub(crate) fn contact(u: api::User, raw: Option<Value>) -> Contact {
    let mut out = Contact::new(P, u.id);
    let (first, last) = split_name(u.name);
    out.first_name = first;
    out.last_name = last;
    out.company_id = u.organization_id.map(Id::from);
    out.email = non_empty(u.email);
    out.phone = non_empty(u.phone);
    out.active = u.active;
    out.created_at = u.created_at;
    out.updated_at = u.updated_at;
    out.raw = raw;
    out
}

/// A ticket. Its state comes from `status` (the category, when the account
/// has custom statuses); the label and id are the custom status's where
/// there is one of that category, else the status itself (`open`). The closed time is the solve time from the ticket's
/// metrics, for a solved or closed ticket.
pub(crate) fn ticket(
    t: api::Ticket,
    side: &Side,
    statuses: &StatusTable,
    raw: Option<Value>,
) -> Ticket {
    let summary = non_empty(t.subject.clone())
        .or_else(|| non_empty(t.raw_subject.clone()))
        .unwrap_or_default();
    let mut out = Ticket::new(P, t.id, summary);
    out.number = Some(t.id.to_string());
    out.description = non_empty(t.description);
    let category = t.status.unwrap_or_default();
    let state = status_state(&category);
    // A custom status names the ticket's status only while it is of the
    // ticket's category (a closed ticket keeps its solved status's id).
    let custom = t
        .custom_status_id
        .and_then(|id| statuses.get(&Id::from(id)))
        .filter(|c| c.state == state);
    out.status = match custom {
        Some(custom) => TicketStatus::new(state)
            .with_id(custom.id.clone())
            .with_label(custom.label.clone()),
        None if category.is_empty() => TicketStatus::new(state),
        None => TicketStatus::new(state)
            .with_id(category.as_str())
            .with_label(category.as_str()),
    };
    out.priority = non_empty(t.priority).map(|p| priority(&p));
    out.company_id = t.organization_id.map(Id::from);
    out.contact_id = t.requester_id.map(Id::from);
    out.assignee = t.assignee_id.and_then(|a| side.users.get(&a).cloned());
    out.created_at = t.created_at;
    out.updated_at = t.updated_at;
    if state.is_closed() {
        out.closed_at = side
            .solved_at
            .get(&t.id)
            .copied()
            .or_else(|| t.metric_set.and_then(|m| m.solved_at));
    }
    out.raw = raw;
    out
}

/// A comment as a note: `public: false` is internal.
pub(crate) fn note(c: api::Comment, ticket: &Id, side: &Side, raw: Option<Value>) -> TicketNote {
    let text = non_empty(c.body)
        .or(non_empty(c.plain_body))
        .unwrap_or_default();
    let mut out = TicketNote::new(P, c.id, ticket.clone(), text);
    out.internal = c.public == Some(false);
    out.author = c.author_id.and_then(|a| side.users.get(&a).cloned());
    out.created_at = c.created_at;
    out.raw = raw;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_first_space() {
        let s = |n: &str| split_name(Some(n.to_owned()));
        assert_eq!(
            s("Johnny Agent"),
            (Some("Johnny".into()), Some("Agent".into()))
        );
        assert_eq!(
            s("Mary Ann van Dyke"),
            (Some("Mary".into()), Some("Ann van Dyke".into()))
        );
        assert_eq!(s("Cher"), (Some("Cher".into()), None));
        assert_eq!(s("  "), (None, None));
    }

    #[test]
    fn statuses_and_priorities() {
        assert_eq!(status_state("hold"), TicketState::Waiting);
        assert_eq!(status_state("solved"), TicketState::Resolved);
        assert_eq!(status_state("deleted"), TicketState::Other);
        assert_eq!(priority("urgent").level, PriorityLevel::Critical);
        assert_eq!(priority("normal").level, PriorityLevel::Medium);
    }
}
