//! Autotask records -> the normalized model, one function per entity.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use mspkit_core::{
    Address, Agreement, Company, Contact, Priority, Provider, Ticket, TicketNote, TicketStatus,
};

use crate::api;
use crate::picklist::{self, EntityFields};
use mspkit_core::model::non_empty as text;

const P: Provider = Provider::Autotask;

/// Names by id (resources, countries).
pub(crate) type Names = HashMap<i64, String>;

/// What mapping needs besides the record: the tenant's picklists and names.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lookups {
    pub ticket_fields: Option<Arc<EntityFields>>,
    pub note_fields: Option<Arc<EntityFields>>,
    pub contract_fields: Option<Arc<EntityFields>>,
    pub resources: Option<Arc<Names>>,
    pub countries: Option<Arc<Names>>,
}

impl Lookups {
    fn resource(&self, id: Option<i64>) -> Option<String> {
        let id = id?;
        self.resources.as_ref()?.get(&id).cloned()
    }
}

fn latest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    a.max(b).or(a).or(b)
}

/// A company. `updated_at` is the later of the last activity (which Autotask
/// also moves on every change) and the last tracked modification.
pub(crate) fn company(c: api::Company, l: &Lookups) -> Company {
    let mut out = Company::new(P, c.id, text(c.company_name).unwrap_or_default());
    out.identifier = text(c.company_number);
    out.phone = text(c.phone);
    out.website = text(c.web_address);
    let mut address = Address::new();
    address.line1 = text(c.address1);
    address.line2 = text(c.address2);
    address.city = text(c.city);
    address.region = text(c.state);
    address.postal_code = text(c.postal_code);
    address.country = c
        .country_id
        .and_then(|id| l.countries.as_ref()?.get(&id).cloned());
    out.address = address.non_empty();
    out.active = c.is_active;
    out.created_at = c.create_date;
    out.updated_at = latest(c.last_activity_date, c.last_tracked_modified_date_time);
    out
}

/// A contact; `isActive` is 1/0 here.
pub(crate) fn contact(c: api::Contact) -> Contact {
    let mut out = Contact::new(P, c.id);
    out.company_id = c.company_id.map(Into::into);
    out.first_name = text(c.first_name);
    out.last_name = text(c.last_name);
    out.email = text(c.email_address);
    out.phone = text(c.phone).or_else(|| text(c.mobile_phone));
    out.title = text(c.title);
    out.active = c.is_active;
    out.created_at = c.create_date;
    out.updated_at = latest(c.last_activity_date, c.last_modified_date);
    out
}

/// A ticket, its status and priority labelled from the tenant's picklists.
pub(crate) fn ticket(t: api::Ticket, l: &Lookups) -> Ticket {
    let fields = l.ticket_fields.as_deref();
    let mut out = Ticket::new(P, t.id, text(t.title).unwrap_or_default());
    out.number = text(t.ticket_number);
    out.description = text(t.description);
    if let Some(status) = t.status {
        let entry = fields.and_then(|f| f.entry("status", status));
        let mut s = TicketStatus::new(picklist::status_state(status, entry)).with_id(status);
        if let Some(e) = entry {
            s = s.with_label(e.label.clone());
        }
        out.status = s;
    }
    out.priority = t.priority.map(|p| {
        let entry = fields.and_then(|f| f.entry("priority", p));
        let mut pr = Priority::new(picklist::priority_level(p, entry)).with_id(p);
        if let Some(e) = entry {
            pr = pr.with_label(e.label.clone());
        }
        pr
    });
    out.company_id = t.company_id.map(Into::into);
    out.contact_id = t.contact_id.map(Into::into);
    out.assignee = l.resource(t.assigned_resource_id);
    out.created_at = t.create_date;
    out.updated_at = latest(t.last_activity_date, t.last_tracked_modification_date_time);
    out.closed_at = if out.status.state.is_closed() {
        t.completed_date.or(t.resolved_date_time)
    } else {
        None
    };
    out
}

/// A ticket note: the description is the text (the title when it is empty).
pub(crate) fn ticket_note(n: api::TicketNote, l: &Lookups) -> TicketNote {
    let title = text(n.title);
    let body = text(n.description).or(title).unwrap_or_default();
    let mut out = TicketNote::new(P, n.id, n.ticket_id, body);
    out.internal = match (n.publish, l.note_fields.as_deref()) {
        (Some(p), Some(f)) => picklist::publish_is_internal(f, p),
        (Some(p), None) => picklist::publish_is_internal(&EntityFields::default(), p),
        (None, _) => false,
    };
    out.author = l.resource(n.creator_resource_id);
    out.created_at = n.create_date_time;
    out
}

/// A contract. Active is contract status 1 ("Active").
pub(crate) fn agreement(c: api::Contract, l: &Lookups) -> Agreement {
    let name = text(c.contract_name)
        .or_else(|| text(c.contract_number))
        .unwrap_or_default();
    let mut out = Agreement::new(P, c.id, name);
    out.company_id = c.company_id.map(Into::into);
    out.kind = c.contract_type.and_then(|t| {
        l.contract_fields
            .as_deref()
            .and_then(|f| f.label("contractType", t))
            .map(str::to_owned)
    });
    out.starts_on = c.start_date;
    out.ends_on = c.end_date;
    out.active = c.status.map(|s| s == 1);
    out
}

/// A resource's name as people see it.
pub(crate) fn resource_name(r: &api::Resource) -> Option<String> {
    let name = [r.first_name.as_deref(), r.last_name.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

/// A country's name as Autotask shows it.
pub(crate) fn country_name(c: &api::Country) -> Option<String> {
    text(c.display_name.clone()).or_else(|| text(c.name.clone()))
}
