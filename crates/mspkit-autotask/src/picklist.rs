//! Picklists from `/{Entity}/entityInformation/fields`: the tenant's labels
//! for ticket statuses and priorities, note publish levels and contract types.

use std::collections::HashMap;

use mspkit_core::{Id, PriorityLevel, StatusLookup, TicketState};

use crate::api::{FieldsResult, PicklistValue};

/// Autotask's system status "Complete": the one status that closes a ticket.
pub const STATUS_COMPLETE: i64 = 5;
/// Autotask's system status "New".
pub const STATUS_NEW: i64 = 1;

/// The picklists of one entity, by lower-cased field name.
#[derive(Debug, Clone, Default)]
pub(crate) struct EntityFields {
    picklists: HashMap<String, Vec<PicklistValue>>,
}

impl EntityFields {
    pub(crate) fn from_result(r: FieldsResult) -> Self {
        let picklists = r
            .fields
            .into_iter()
            .filter(|f| f.is_pick_list || !f.picklist_values.is_empty())
            .map(|f| (f.name.to_ascii_lowercase(), f.picklist_values))
            .collect();
        EntityFields { picklists }
    }

    pub(crate) fn values(&self, field: &str) -> &[PicklistValue] {
        self.picklists
            .get(&field.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub(crate) fn entry(&self, field: &str, value: i64) -> Option<&PicklistValue> {
        self.values(field).iter().find(|v| v.value == value)
    }

    pub(crate) fn label(&self, field: &str, value: i64) -> Option<&str> {
        self.entry(field, value).map(|v| v.label.as_str())
    }

    /// The value new records get by default, when the tenant set one.
    pub(crate) fn default_value(&self, field: &str) -> Option<i64> {
        let values = self.values(field);
        values
            .iter()
            .find(|v| v.is_default_value && v.is_active)
            .map(|v| v.value)
    }

    /// The ticket statuses that count as closed: Autotask's system
    /// "Complete" as the picklist lists it, or value 5 when the picklist
    /// does not list it at all.
    pub(crate) fn closed_statuses(&self) -> Vec<i64> {
        let statuses = self.values("status");
        let closed: Vec<i64> = statuses
            .iter()
            .filter(|v| status_state(v.value, Some(v)).is_closed())
            .map(|v| v.value)
            .collect();
        if closed.is_empty() {
            vec![STATUS_COMPLETE]
        } else {
            closed
        }
    }
}

/// The first active ticket status, in display order, in a state.
impl StatusLookup for EntityFields {
    fn first_in(&self, state: TicketState) -> Option<Id> {
        let mut statuses: Vec<&PicklistValue> = self
            .values("status")
            .iter()
            .filter(|v| v.is_active && status_state(v.value, Some(v)) == state)
            .collect();
        statuses.sort_by_key(|v| (v.sort_order.unwrap_or(i64::MAX), v.value));
        statuses.first().map(|v| Id::from(v.value))
    }
}

/// A ticket status's normalized state. Closed comes from Autotask's own flag:
/// the system value 5 ("Complete", whatever the tenant renamed it to) is the
/// only status that completes a ticket. New is the system value 1. The rest
/// are open statuses the tenant defined; their labels say which kind.
pub(crate) fn status_state(value: i64, entry: Option<&PicklistValue>) -> TicketState {
    let system = entry.is_none_or(|e| e.is_system);
    if value == STATUS_COMPLETE && system {
        return TicketState::Closed;
    }
    if value == STATUS_NEW && system {
        return TicketState::New;
    }
    let Some(entry) = entry else {
        return TicketState::Other;
    };
    let label = entry.label.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| label.contains(w));
    if has(&["waiting", "on hold", "hold", "pending", "paused"]) {
        TicketState::Waiting
    } else if has(&[
        "in progress",
        "progress",
        "dispatched",
        "scheduled",
        "escalat",
        "working",
    ]) {
        TicketState::InProgress
    } else if has(&["new"]) {
        TicketState::New
    } else {
        TicketState::Open
    }
}

/// A priority's normalized level, by the tenant's label, else by Autotask's
/// system values (1 High, 2 Medium, 3 Low, 4 Critical).
pub(crate) fn priority_level(value: i64, entry: Option<&PicklistValue>) -> PriorityLevel {
    if let Some(entry) = entry {
        let label = entry.label.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| label.contains(w));
        if has(&["critical", "urgent", "emergency"]) {
            return PriorityLevel::Critical;
        }
        if has(&["high"]) {
            return PriorityLevel::High;
        }
        if has(&["medium", "normal", "moderate"]) {
            return PriorityLevel::Medium;
        }
        if has(&["low"]) {
            return PriorityLevel::Low;
        }
        if !entry.is_system {
            return PriorityLevel::Other;
        }
    }
    match value {
        4 => PriorityLevel::Critical,
        1 => PriorityLevel::High,
        2 => PriorityLevel::Medium,
        3 => PriorityLevel::Low,
        _ => PriorityLevel::Other,
    }
}

/// Note publish levels: which value is internal-only and which is visible to all.
pub(crate) fn publish_is_internal(fields: &EntityFields, publish: i64) -> bool {
    match fields.label("publish", publish) {
        Some(label) => label.to_ascii_lowercase().contains("internal"),
        // Autotask's own values: 1 "All Autotask Users", 2 "Internal Only".
        None => publish != 1,
    }
}

/// The publish value for a new note.
pub(crate) fn publish_value(fields: &EntityFields, internal: bool) -> i64 {
    let values = fields.values("publish");
    let found = values.iter().filter(|v| v.is_active).find(|v| {
        let label = v.label.to_ascii_lowercase();
        if internal {
            label.contains("internal") && !label.contains("co-managed")
        } else {
            !label.contains("internal")
        }
    });
    found
        .map(|v| v.value)
        .unwrap_or(if internal { 2 } else { 1 })
}
