//! A tenant's ticket statuses, as read from the platform: each status's id,
//! label and normalized state, for labelling tickets and for turning "move
//! this ticket to a closed state" into the platform's own status.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::{Id, Provider, TicketState, TicketStatus};

/// "The platform's first status in state X": what an update by normalized
/// state needs. Providers with their own status shapes (per-board lists)
/// implement it; [`StatusTable`] is the common case.
pub trait StatusLookup {
    /// The first active status in `state`, in the platform's order.
    fn first_in(&self, state: TicketState) -> Option<Id>;

    /// Like [`first_in`](Self::first_in), or an error refusing the request
    /// before it is sent when the tenant has no such status.
    fn require(
        &self,
        provider: Provider,
        operation: &'static str,
        state: TicketState,
    ) -> Result<Id> {
        self.first_in(state).ok_or_else(|| {
            Error::refused(
                provider,
                operation,
                format!(
                    "no {provider} ticket status is in the state {}",
                    state_name(state)
                ),
            )
        })
    }
}

fn state_name(state: TicketState) -> String {
    serde_json::to_value(state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{state:?}"))
}

/// One status of the tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEntry {
    /// The platform's id.
    pub id: Id,
    /// The platform's label.
    pub label: String,
    /// The normalized state, from the platform's own flags where it has them.
    pub state: TicketState,
    /// Whether the status can still be chosen.
    pub active: bool,
}

/// The statuses of a tenant, in the platform's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusTable {
    entries: Vec<StatusEntry>,
    by_id: HashMap<Id, usize>,
}

impl StatusTable {
    /// A table of `entries`, kept in the order given.
    pub fn new(entries: Vec<StatusEntry>) -> Self {
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        StatusTable { entries, by_id }
    }

    /// The status with this id.
    pub fn get(&self, id: &Id) -> Option<&StatusEntry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// Every status, in order.
    pub fn entries(&self) -> &[StatusEntry] {
        &self.entries
    }

    /// The normalized status of a ticket in status `id`: the table's state
    /// and label, or `fallback` (and no label) for a status it does not know.
    pub fn status(&self, id: &Id, fallback: TicketState) -> TicketStatus {
        match self.get(id) {
            Some(e) => TicketStatus::new(e.state)
                .with_id(e.id.clone())
                .with_label(e.label.clone()),
            None => TicketStatus::new(fallback).with_id(id.clone()),
        }
    }
}

impl StatusLookup for StatusTable {
    fn first_in(&self, state: TicketState) -> Option<Id> {
        self.entries
            .iter()
            .find(|e| e.active && e.state == state)
            .map(|e| e.id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u64, label: &str, state: TicketState, active: bool) -> StatusEntry {
        StatusEntry {
            id: Id::from(id),
            label: label.into(),
            state,
            active,
        }
    }

    #[test]
    fn the_first_active_status_in_a_state_or_a_refusal() {
        let t = StatusTable::new(vec![
            entry(1, "New", TicketState::New, true),
            entry(9, "Closed (old)", TicketState::Closed, false),
            entry(4, "Closed", TicketState::Closed, true),
        ]);
        assert_eq!(t.first_in(TicketState::Closed), Some(Id::from(4u64)));
        assert_eq!(
            t.get(&Id::from(9u64)).map(|e| e.label.as_str()),
            Some("Closed (old)")
        );
        let e = t
            .require(Provider::Halo, "update_ticket", TicketState::Waiting)
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("no halo ticket status is in the state waiting"),
            "{e}"
        );
        let s = t.status(&Id::from(77u64), TicketState::Other);
        assert_eq!(s.state, TicketState::Other);
    }
}
