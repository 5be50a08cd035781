//! ConnectWise shapes to the normalized model, one function per entity.
//!
//! Items are taken by value so that strings move into the model instead of
//! being copied; ConnectWise sends `""` for many blank text fields, which
//! become `None`.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use mspkit_core::{
    Address, Agreement, Company, Contact, Id, Priority, PriorityLevel, Provider, Ticket,
    TicketNote, TicketStatus,
};
use serde_json::Value;

use crate::api;
use crate::statuses::{Board, state_of};
use mspkit_core::model::non_empty as text;

const P: Provider = Provider::ConnectWise;

fn ref_id(r: &Option<api::Reference>) -> Option<Id> {
    r.as_ref().and_then(|r| r.id).map(Id::from)
}

fn ref_name(r: Option<api::Reference>) -> Option<String> {
    r.and_then(|r| text(r.name))
}

/// `company`: active unless deleted or in a status named "Inactive"
/// (ConnectWise's stock status; tenants name their own).
pub(crate) fn company(c: api::Company, raw: Option<Value>) -> Company {
    let info = c.info.unwrap_or_default();
    let inactive_status = c
        .status
        .as_ref()
        .and_then(|s| s.name.as_deref())
        .is_some_and(|n| n.trim().eq_ignore_ascii_case("inactive"));
    let mut address = Address::new();
    address.line1 = text(c.address_line1);
    address.line2 = text(c.address_line2);
    address.city = text(c.city);
    address.region = text(c.state);
    address.postal_code = text(c.zip);
    address.country = ref_name(c.country);

    let mut out = Company::new(P, c.id, c.name.unwrap_or_default());
    out.identifier = text(c.identifier);
    out.phone = text(c.phone_number);
    out.website = text(c.website);
    out.address = address.non_empty();
    out.active = Some(c.deleted_flag != Some(true) && !inactive_status);
    out.created_at = info.date_entered;
    out.updated_at = info.last_updated;
    out.raw = raw;
    out
}

/// `contact`: the e-mail is the default `Email` communication item (else the
/// first one); the phone is `defaultPhoneNbr`, else the default `Phone` item.
pub(crate) fn contact(c: api::Contact, raw: Option<Value>) -> Contact {
    let items = c.communication_items.unwrap_or_default();
    let pick = |kind: &str| {
        let of_kind = || {
            items.iter().filter(move |i| {
                i.communication_type
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(kind))
                    && i.value.as_deref().is_some_and(|v| !v.trim().is_empty())
            })
        };
        of_kind()
            .find(|i| i.default_flag == Some(true))
            .or_else(|| of_kind().next())
            .and_then(|i| i.value.clone())
    };
    let info = c.info.unwrap_or_default();
    let mut out = Contact::new(P, c.id);
    out.company_id = ref_id(&c.company);
    out.first_name = text(c.first_name);
    out.last_name = text(c.last_name);
    out.email = pick("Email");
    out.phone = text(c.default_phone_nbr).or_else(|| pick("Phone"));
    out.title = text(c.title);
    out.active = c.inactive_flag.map(|inactive| !inactive);
    out.created_at = info.date_entered;
    out.updated_at = info.last_updated;
    out.raw = raw;
    out
}

/// `ticket`: the state comes from the ticket's `closedFlag` and its board
/// status's `closedStatus` / `defaultFlag` (see [`state_of`]); the priority
/// level as [`priority`] derives it. `description` is not on the ticket (it
/// is its first note).
pub(crate) fn ticket(t: api::Ticket, board: Option<&Board>, raw: Option<Value>) -> Ticket {
    let status_ref = t.status.unwrap_or_default();
    let board_status = status_ref.id.and_then(|id| board.and_then(|b| b.get(id)));
    let mut status = TicketStatus::new(state_of(t.closed_flag, board_status));
    status.label = text(status_ref.name);
    status.id = status_ref.id.map(Id::from);
    let info = t.info.unwrap_or_default();
    let closed = t.closed_flag == Some(true);

    let mut out = Ticket::new(P, t.id, t.summary.unwrap_or_default());
    out.status = status;
    out.priority = t.priority.map(priority);
    out.company_id = ref_id(&t.company);
    out.contact_id = ref_id(&t.contact);
    out.assignee = t
        .owner
        .and_then(|o| text(o.name).or_else(|| text(o.identifier)))
        .or_else(|| {
            text(t.resources).and_then(|r| {
                r.split(',')
                    .map(str::trim)
                    .find(|s| !s.is_empty())
                    .map(str::to_owned)
            })
        });
    out.description = text(t.initial_description);
    out.created_at = info.date_entered;
    out.updated_at = info.last_updated;
    out.closed_at = if closed {
        t.closed_date.or(t.date_resolved)
    } else {
        None
    };
    out.raw = raw;
    out
}

/// A priority's level. ConnectWise's `sort` is only the tenant's display
/// order (a tenant may start at 0, or put "Projects" first), so it never
/// decides alone:
/// 1. a level named in the priority's name wins: `critical`, `emergency` or
///    `urgent` is critical, `high` high, `medium` or `normal` medium, `low` low;
/// 2. else a stock name `Priority N ...` whose `N` is also its `sort` reads on
///    ConnectWise's stock scale: 1 critical, 2 high, 3 medium, 4 and 5 low;
/// 3. anything else is `other`, with the label and id kept.
fn priority(p: api::Reference) -> Priority {
    let name = p.name.as_deref().unwrap_or_default().to_ascii_lowercase();
    let words: Vec<&str> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let stock = match words.as_slice() {
        ["priority", n, ..] => n.parse::<i64>().ok().filter(|n| Some(*n) == p.sort),
        _ => None,
    };
    let level = if has(&["critical", "emergency", "urgent"]) {
        PriorityLevel::Critical
    } else if has(&["high"]) {
        PriorityLevel::High
    } else if has(&["medium", "normal"]) {
        PriorityLevel::Medium
    } else if has(&["low"]) {
        PriorityLevel::Low
    } else {
        match stock {
            Some(1) => PriorityLevel::Critical,
            Some(2) => PriorityLevel::High,
            Some(3) => PriorityLevel::Medium,
            Some(4 | 5) => PriorityLevel::Low,
            _ => PriorityLevel::Other,
        }
    };
    let mut out = Priority::new(level);
    out.label = text(p.name);
    out.id = p.id.map(Id::from);
    out
}

/// `note`: internal when it is only internal analysis (discussion and
/// resolution notes are shown to the customer); the author is the member or
/// contact who wrote it, else the login in `createdBy`.
pub(crate) fn note(n: api::Note, ticket: &Id, raw: Option<Value>) -> TicketNote {
    let ticket_id = n.ticket_id.map(Id::from).unwrap_or_else(|| ticket.clone());
    let internal = n.internal_analysis_flag == Some(true)
        && n.detail_description_flag != Some(true)
        && n.resolution_flag != Some(true);
    let created = n
        .date_created
        .or_else(|| n.info.and_then(|i| i.date_entered));
    let mut out = TicketNote::new(P, n.id, ticket_id, n.text.unwrap_or_default());
    out.internal = internal;
    out.author = ref_name(n.member)
        .or_else(|| ref_name(n.contact))
        .or_else(|| text(n.created_by));
    out.created_at = created;
    out.raw = raw;
    out
}

/// `agreement`: in force when its status is `Active` (or, without a status,
/// when not cancelled); no end date when `noEndingDateFlag` is set.
pub(crate) fn agreement(a: api::Agreement, raw: Option<Value>) -> Agreement {
    let active = match a.agreement_status.as_deref() {
        Some(s) => s.eq_ignore_ascii_case("active") && a.cancelled_flag != Some(true),
        None => a.cancelled_flag != Some(true),
    };
    let mut out = Agreement::new(P, a.id, a.name.unwrap_or_default());
    out.company_id = ref_id(&a.company);
    out.kind = ref_name(a.kind);
    out.starts_on = a.start_date.map(local_date);
    out.ends_on = if a.no_ending_date_flag == Some(true) {
        None
    } else {
        a.end_date.map(local_date)
    };
    out.active = Some(active);
    out.raw = raw;
    out
}

/// The calendar day of a date-only field. ConnectWise stores such a day as
/// midnight in the tenant's time zone and sends it in UTC
/// (`2006-06-21T04:00:00Z` for New York): the nearest midnight is that day,
/// for zones west (04:00Z) and east (14:00Z the day before) of UTC alike.
pub(crate) fn local_date(at: DateTime<Utc>) -> NaiveDate {
    let day = at.date_naive();
    if at.hour() >= 12 {
        (at + Duration::days(1)).date_naive()
    } else {
        day
    }
}
