//! ITFlow's rows -> the normalized model.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use mspkit_core::{
    Address, Company, Contact, Id, Priority, PriorityLevel, Provider, Ticket, TicketNote,
    TicketState, TicketStatus, non_empty,
};
use serde_json::Value;

use crate::api;

const P: Provider = Provider::ItFlow;

/// The seeded statuses every install has (ITFlow's `seed_data.php`);
/// admins may add more (ids 6 and up).
pub(crate) const NEW: u64 = 1;
pub(crate) const OPEN: u64 = 2;
pub(crate) const ON_HOLD: u64 = 3;
/// The status `tickets/resolve.php` sets.
pub(crate) const RESOLVED: u64 = 4;
pub(crate) const CLOSED: u64 = 5;

/// A server-local time, placed in the server's zone.
pub(crate) fn at(t: Option<NaiveDateTime>, tz: FixedOffset) -> Option<DateTime<Utc>> {
    t.and_then(|n| tz.from_local_datetime(&n).single())
        .map(|d| d.with_timezone(&Utc))
}

/// A client as a company; phone and address come from its primary location.
pub(crate) fn company(
    c: api::Client,
    primary: Option<&api::Location>,
    tz: FixedOffset,
    raw: Option<Value>,
) -> Company {
    let mut out = Company::new(P, c.client_id, c.client_name);
    out.identifier = non_empty(c.client_abbreviation);
    out.website = non_empty(c.client_website);
    if let Some(l) = primary {
        out.phone = phone(
            l.location_phone_country_code.clone(),
            l.location_phone.clone(),
            None,
        );
        let mut a = Address::new();
        a.line1 = non_empty(l.location_address.clone());
        a.city = non_empty(l.location_city.clone());
        a.region = non_empty(l.location_state.clone());
        a.postal_code = non_empty(l.location_zip.clone());
        a.country = non_empty(l.location_country.clone());
        out.address = a.non_empty();
    }
    out.active = Some(c.client_archived_at.is_none());
    out.created_at = at(c.client_created_at, tz);
    // Never updated since it was created: the creation is the last change.
    out.updated_at = at(c.client_updated_at.or(c.client_created_at), tz);
    out.raw = raw;
    out
}

/// Whether a location is its client's primary one (and not archived).
pub(crate) fn is_primary(l: &api::Location) -> bool {
    l.location_primary == Some(true) && l.location_archived_at.is_none()
}

/// A contact; ITFlow keeps one `contact_name`, split at its first space.
pub(crate) fn contact(c: api::Contact, tz: FixedOffset, raw: Option<Value>) -> Contact {
    let mut out = Contact::new(P, c.contact_id);
    out.company_id = c.contact_client_id.map(Id::from);
    let (first, last) = split_name(c.contact_name.as_deref().unwrap_or(""));
    out.first_name = first;
    out.last_name = last;
    out.email = non_empty(c.contact_email);
    out.phone = phone(
        c.contact_phone_country_code.clone(),
        c.contact_phone,
        c.contact_extension,
    )
    .or_else(|| phone(c.contact_mobile_country_code, c.contact_mobile, None));
    out.title = non_empty(c.contact_title);
    out.active = Some(c.contact_archived_at.is_none());
    out.created_at = at(c.contact_created_at, tz);
    out.updated_at = at(c.contact_updated_at.or(c.contact_created_at), tz);
    out.raw = raw;
    out
}

/// `"Ana Lopez"` -> (`Ana`, `Lopez`); `"Ana Maria de la Cruz"` -> (`Ana`,
/// `Maria de la Cruz`); one word is a first name.
pub(crate) fn split_name(name: &str) -> (Option<String>, Option<String>) {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.split_once(' ') {
        Some((first, last)) => (Some(first.to_owned()), Some(last.to_owned())),
        None => (non_empty(Some(name)), None),
    }
}

/// A phone number as ITFlow stores it (digits), with its country code
/// (`+1 5550100`) and extension (`x12`) when it has them.
fn phone(code: Option<String>, number: Option<String>, ext: Option<String>) -> Option<String> {
    let number = non_empty(number.map(|n| n.trim().to_owned()))?;
    let mut out = match non_empty(code.map(|c| c.trim().trim_start_matches('+').to_owned())) {
        Some(c) => format!("+{c} {number}"),
        None => number,
    };
    if let Some(x) = non_empty(ext.map(|x| x.trim().to_owned())) {
        out.push_str(" x");
        out.push_str(&x);
    }
    Some(out)
}

/// A ticket. `label` is the status's name, from the status look-up (or the
/// row itself when it was read by id).
pub(crate) fn ticket(
    t: api::Ticket,
    label: Option<String>,
    tz: FixedOffset,
    raw: Option<Value>,
) -> Ticket {
    let mut out = Ticket::new(P, t.ticket_id, t.ticket_subject);
    out.number = match (non_empty(t.ticket_prefix), non_empty(t.ticket_number)) {
        (Some(prefix), Some(n)) => Some(format!("{prefix}{n}")),
        (None, n) => n,
        (Some(_), None) => None,
    };
    out.description = non_empty(t.ticket_details);
    let mut status = TicketStatus::new(state(
        t.ticket_status,
        t.ticket_resolved_at.is_some(),
        t.ticket_closed_at.is_some(),
    ));
    status.id = t.ticket_status.map(Id::from);
    status.label = label.or(t.ticket_status_name);
    out.status = status;
    out.priority = priority(t.ticket_priority);
    out.company_id = t.ticket_client_id.map(Id::from);
    out.contact_id = t.ticket_contact_id.map(Id::from);
    // ITFlow's API names no users: the assignee is the user's id.
    out.assignee = t.ticket_assigned_to.map(|u| u.to_string());
    out.created_at = at(t.ticket_created_at, tz);
    out.updated_at = at(t.ticket_updated_at.or(t.ticket_created_at), tz);
    out.closed_at = at(t.ticket_closed_at.or(t.ticket_resolved_at), tz);
    out.raw = raw;
    out
}

/// The normalized state, from ITFlow's own flags: a closing time or the
/// seeded Closed status is closed, a resolution time or Resolved is
/// resolved; New, Open and On Hold are the seeded statuses; any other
/// status without those times is open (ITFlow counts every ticket without
/// `ticket_closed_at` as open).
pub(crate) fn state(status: Option<u64>, resolved: bool, closed: bool) -> TicketState {
    match status {
        _ if closed => TicketState::Closed,
        Some(CLOSED) => TicketState::Closed,
        _ if resolved => TicketState::Resolved,
        Some(RESOLVED) => TicketState::Resolved,
        Some(NEW) => TicketState::New,
        Some(OPEN) => TicketState::Open,
        Some(ON_HOLD) => TicketState::Waiting,
        Some(_) => TicketState::Open,
        None => TicketState::Other,
    }
}

/// The four priorities ITFlow's create accepts, in its spelling.
pub(crate) const PRIORITIES: [&str; 4] = ["Low", "Medium", "High", "Urgent"];

/// A priority: a free label; its level read from ITFlow's four (and the
/// older `Med`). The label is also its id (what `create_ticket` takes).
pub(crate) fn priority(label: Option<String>) -> Option<Priority> {
    let label = non_empty(label.map(|l| l.trim().to_owned()))?;
    let level = match label.to_ascii_lowercase().as_str() {
        "urgent" | "critical" => PriorityLevel::Critical,
        "high" => PriorityLevel::High,
        "medium" | "med" => PriorityLevel::Medium,
        "low" => PriorityLevel::Low,
        _ => PriorityLevel::Other,
    };
    Some(
        Priority::new(level)
            .with_id(label.clone())
            .with_label(label),
    )
}

/// A ticket reply as a note. `Internal` replies are internal; `Public`
/// (sent to the contact) and `Client` (from the contact) are not.
pub(crate) fn note(
    r: api::TicketReply,
    ticket: &Id,
    tz: FixedOffset,
    raw: Option<Value>,
) -> TicketNote {
    let ticket_id = r
        .ticket_reply_ticket_id
        .map(Id::from)
        .unwrap_or_else(|| ticket.clone());
    let internal = r
        .ticket_reply_type
        .as_deref()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("internal"));
    let mut out = TicketNote::new(P, r.ticket_reply_id, ticket_id, r.ticket_reply);
    out.internal = internal;
    out.author =
        non_empty(r.ticket_reply_by_name).or_else(|| r.ticket_reply_by.map(|u| u.to_string()));
    out.created_at = at(r.ticket_reply_created_at, tz);
    out.raw = raw;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_first_space() {
        assert_eq!(
            split_name(" Ana  Lopez "),
            (Some("Ana".into()), Some("Lopez".into()))
        );
        assert_eq!(split_name("Cher"), (Some("Cher".into()), None));
        assert_eq!(split_name(""), (None, None));
    }

    #[test]
    fn states_follow_the_flags_first() {
        assert_eq!(state(Some(2), false, true), TicketState::Closed);
        assert_eq!(state(Some(2), true, false), TicketState::Resolved);
        assert_eq!(state(Some(3), false, false), TicketState::Waiting);
        assert_eq!(state(Some(7), false, false), TicketState::Open);
        assert_eq!(state(None, false, false), TicketState::Other);
    }

    #[test]
    fn phones_carry_their_country_code_and_extension() {
        let p = phone(Some("1".into()), Some("5550100".into()), Some("12".into()));
        assert_eq!(p.as_deref(), Some("+1 5550100 x12"));
        assert_eq!(
            phone(Some("".into()), Some("5550100".into()), None).as_deref(),
            Some("5550100")
        );
        assert_eq!(phone(Some("1".into()), Some(" ".into()), None), None);
    }
}
