//! RangerMSP's shapes → the normalized model, one function per entity.

use chrono::NaiveDate;
use mspkit_core::model::non_empty;
use mspkit_core::{
    Address, Agreement, Company, Contact, Id, Priority, PriorityLevel, Provider, Ticket,
    TicketNote, TicketState, TicketStatus,
};
use serde_json::Value;

use crate::api;

const P: Provider = Provider::RangerMsp;

/// The ticket status code RangerMSP uses for a completed ticket.
pub const STATUS_COMPLETED: i64 = 1000;

/// Whether an account's `Status` text says active (`Some(true)`), inactive
/// (`Some(false)`), or neither (`None`).
fn account_active(status: Option<&str>) -> Option<bool> {
    let s = status?.trim().to_ascii_lowercase();
    match s.as_str() {
        "active" | "a" => Some(true),
        "inactive" | "i" | "disabled" | "suspended" | "deleted" => Some(false),
        _ => None,
    }
}

/// The first of the phone fields that holds something.
fn phone(a: &api::Account) -> Option<String> {
    non_empty(a.phone1.clone()).or_else(|| non_empty(a.phone2.clone()))
}

/// A main account as a company.
pub(crate) fn company(a: api::Account, raw: Option<Value>) -> Company {
    let name = non_empty(a.company_name.clone())
        .or_else(|| non_empty(a.contact.clone()))
        .unwrap_or_else(|| format!("Account {}", a.account_rec_id));
    let mut out = Company::new(P, a.account_rec_id.as_str(), name);
    out.identifier = non_empty(a.account_number.clone());
    out.phone = phone(&a);
    out.website = non_empty(a.web_address1.clone());
    let mut address = Address::new();
    address.line1 = non_empty(a.address_line1.clone());
    let rest: Vec<String> = [a.address_line2.clone(), a.address_line3.clone()]
        .into_iter()
        .filter_map(non_empty)
        .collect();
    address.line2 = non_empty(Some(rest.join(", ")));
    address.city = non_empty(a.city.clone());
    address.region = non_empty(a.state.clone());
    address.postal_code = non_empty(a.zip.clone());
    address.country = non_empty(a.country.clone());
    out.address = address.non_empty();
    out.active = account_active(a.status.as_deref());
    out.created_at = a.creation_date;
    out.updated_at = a.update_date;
    out.raw = raw;
    out
}

/// First and last name of a contact: `LastName` as it is, the first name
/// what `Contact` (the full name) holds before it. Without a `LastName`,
/// the full name is split at its last space.
fn names(contact: Option<String>, last: Option<String>) -> (Option<String>, Option<String>) {
    let full = non_empty(contact);
    let last = non_empty(last);
    match (full, last) {
        (Some(full), Some(last)) => {
            let first = full
                .strip_suffix(last.as_str())
                .map(|f| f.trim().trim_end_matches(',').trim().to_owned());
            (non_empty(first), Some(last))
        }
        (Some(full), None) => match full.rsplit_once(char::is_whitespace) {
            Some((first, last)) => (
                non_empty(Some(first.trim().to_owned())),
                non_empty(Some(last.to_owned())),
            ),
            None => (Some(full), None),
        },
        (None, last) => (None, last),
    }
}

/// A secondary contact account as a contact.
pub(crate) fn contact(a: api::Account, raw: Option<Value>) -> Contact {
    let mut out = Contact::new(P, a.account_rec_id.as_str());
    out.company_id = a.parent_account_rec_id.clone().map(Id::from);
    let (first, last) = names(a.contact.clone(), a.last_name.clone());
    out.first_name = first;
    out.last_name = last;
    out.email = non_empty(a.email_address1.clone());
    out.phone = phone(&a);
    out.title = non_empty(a.title.clone());
    out.active = account_active(a.status.as_deref());
    out.created_at = a.creation_date;
    out.updated_at = a.update_date;
    out.raw = raw;
    out
}

/// The normalized state of a ticket: completed (code 1000) is closed;
/// otherwise the label says new, in progress, waiting or resolved, and any
/// other status is open.
pub(crate) fn ticket_state(code: Option<i64>, label: Option<&str>) -> TicketState {
    if code == Some(STATUS_COMPLETED) {
        return TicketState::Closed;
    }
    let l = label.unwrap_or_default().trim().to_ascii_lowercase();
    let has = |w: &str| l.contains(w);
    if l.is_empty() {
        TicketState::Open
    } else if has("new") {
        TicketState::New
    } else if has("progress") {
        TicketState::InProgress
    } else if has("wait") || has("schedul") || has("hold") {
        TicketState::Waiting
    } else if has("resolved") {
        TicketState::Resolved
    } else if code.is_none() && (has("complete") || has("closed")) {
        TicketState::Closed
    } else {
        TicketState::Open
    }
}

/// A ticket's status: the code as the id, `Status_Text` as the label.
pub(crate) fn ticket_status(code: Option<i64>, label: Option<String>) -> TicketStatus {
    let label = non_empty(label);
    let mut s = TicketStatus::new(ticket_state(code, label.as_deref()));
    if let Some(c) = code {
        s = s.with_id(c.to_string());
    }
    if let Some(l) = label {
        s = s.with_label(l);
    }
    s
}

/// A priority: a label's level from its words (`Urgent`, `High`, `Normal`,
/// `Low`); a bare number is kept as the id, its level `Other`.
pub(crate) fn priority(v: Option<Value>) -> Option<Priority> {
    match v? {
        Value::Number(n) => Some(Priority::new(PriorityLevel::Other).with_id(n.to_string())),
        Value::String(s) => {
            let label = non_empty(Some(s))?;
            let l = label.to_ascii_lowercase();
            let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
            let level = if has(&["urgent", "critical", "emergency", "highest"]) {
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
        _ => None,
    }
}

/// The first line of a ticket's text, the summary.
pub(crate) fn summary_of(description: Option<&str>) -> String {
    description
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_owned()
}

/// A ticket. `Description` is the ticket's text: its first line is the
/// summary, the whole of it the description. The assignee is the
/// technician's `EmployeeREC_ID` (the contract has no employee look-up).
pub(crate) fn ticket(t: api::Ticket, raw: Option<Value>) -> Ticket {
    let mut out = Ticket::new(
        P,
        t.ticket_rec_id.as_str(),
        summary_of(t.description.as_deref()),
    );
    out.number = non_empty(t.ticket_number);
    out.description = t
        .description
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    out.status = ticket_status(t.status, t.status_text);
    out.priority = priority(t.ticket_priority);
    out.company_id = t.account_rec_id.map(Id::from);
    out.contact_id = t.contact_rec_id.map(Id::from);
    out.assignee = t.employee_rec_id;
    out.created_at = t.creation_date;
    out.updated_at = t.update_date;
    out.closed_at = t.closed_date;
    out.raw = raw;
    out
}

/// A history note as a ticket note. History notes are internal records:
/// RangerMSP does not show them to the customer.
pub(crate) fn note(n: api::HistoryNote, ticket: &Id, raw: Option<Value>) -> TicketNote {
    let ticket_id = n
        .rel_link_rec_id
        .map(Id::from)
        .unwrap_or_else(|| ticket.clone());
    let text = n
        .description
        .map(|d| d.trim().to_owned())
        .unwrap_or_default();
    let mut out = TicketNote::new(P, n.history_note_rec_id.as_str(), ticket_id, text);
    out.internal = true;
    out.author = non_empty(n.create_user);
    out.created_at = n.date;
    out.raw = raw;
    out
}

/// A contract as an agreement: active when `today` lies within its dates
/// and its `Status`, where it has one, says `Active`.
pub(crate) fn agreement(c: api::Contract, today: NaiveDate, raw: Option<Value>) -> Agreement {
    let name =
        non_empty(c.contract_name).unwrap_or_else(|| format!("Contract {}", c.contract_rec_id));
    let mut out = Agreement::new(P, c.contract_rec_id.as_str(), name);
    out.company_id = c.account_rec_id.map(Id::from);
    out.kind = non_empty(c.contract_type);
    out.starts_on = c.start_date.map(|d| d.date_naive());
    out.ends_on = c.end_date.map(|d| d.date_naive());
    let in_dates =
        out.starts_on.is_none_or(|d| d <= today) && out.ends_on.is_none_or(|d| today <= d);
    out.active = match non_empty(c.status) {
        Some(s) => Some(s.trim().eq_ignore_ascii_case("active") && in_dates),
        None if out.starts_on.is_some() || out.ends_on.is_some() => Some(in_dates),
        None => None,
    };
    out.raw = raw;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_is_closed_and_labels_give_the_rest() {
        assert_eq!(
            ticket_state(Some(1000), Some("Completed")),
            TicketState::Closed
        );
        assert_eq!(ticket_state(Some(1000), Some("New")), TicketState::Closed);
        assert_eq!(ticket_state(Some(100), Some("New")), TicketState::New);
        assert_eq!(
            ticket_state(Some(200), Some("In Progress")),
            TicketState::InProgress
        );
        assert_eq!(
            ticket_state(Some(300), Some("Wait for reply")),
            TicketState::Waiting
        );
        assert_eq!(
            ticket_state(Some(400), Some("Scheduled")),
            TicketState::Waiting
        );
        assert_eq!(
            ticket_state(Some(500), Some("Escalated")),
            TicketState::Open
        );
        assert_eq!(
            ticket_state(Some(900), Some("Completed?")),
            TicketState::Open
        );
        assert_eq!(ticket_state(None, Some("Completed")), TicketState::Closed);
        assert_eq!(ticket_state(None, None), TicketState::Open);
    }

    #[test]
    fn names_split_around_the_last_name() {
        let n = |c: Option<&str>, l: Option<&str>| names(c.map(Into::into), l.map(Into::into));
        assert_eq!(
            n(Some("Dana Okafor"), Some("Okafor")),
            (Some("Dana".into()), Some("Okafor".into()))
        );
        assert_eq!(
            n(Some("Okafor"), Some("Okafor")),
            (None, Some("Okafor".into()))
        );
        assert_eq!(
            n(Some("Mary Ann Lee"), None),
            (Some("Mary Ann".into()), Some("Lee".into()))
        );
        assert_eq!(n(Some("Reception"), None), (Some("Reception".into()), None));
        assert_eq!(n(None, Some("Lee")), (None, Some("Lee".into())));
    }

    #[test]
    fn priorities() {
        let level = |v: Value| priority(Some(v)).map(|p| p.level);
        assert_eq!(level(Value::from("Urgent")), Some(PriorityLevel::Critical));
        assert_eq!(level(Value::from("High")), Some(PriorityLevel::High));
        assert_eq!(level(Value::from("Normal")), Some(PriorityLevel::Medium));
        assert_eq!(level(Value::from("Low")), Some(PriorityLevel::Low));
        assert_eq!(level(Value::from(30)), Some(PriorityLevel::Other));
        assert_eq!(level(Value::from(" ")), None);
    }

    #[test]
    fn the_summary_is_the_first_line() {
        assert_eq!(
            summary_of(Some("\n  Printer jams \nsecond")),
            "Printer jams"
        );
        assert_eq!(summary_of(None), "");
    }
}
