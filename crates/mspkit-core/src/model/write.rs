//! What a caller sends: new tickets, ticket updates and new notes.
//!
//! Each shape has an `extra` map that the provider merges into its request
//! body last, for fields the normalized model does not name (a ConnectWise
//! board, a Halo ticket type). Keys in `extra` win over normalized fields.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Id, TicketState};

/// A ticket to create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewTicket {
    /// One-line summary or subject (required by every provider).
    pub summary: String,
    /// The initial description.
    pub description: Option<String>,
    /// The customer company.
    pub company_id: Option<Id>,
    /// The contact who raised it.
    pub contact_id: Option<Id>,
    /// The provider's status id to start in; the provider's default when absent.
    pub status_id: Option<Id>,
    /// The provider's priority id; the provider's default when absent.
    pub priority_id: Option<Id>,
    /// Provider-specific fields, merged into the request body last.
    #[serde(default)]
    pub extra: Map<String, Value>,
}

impl NewTicket {
    /// A new ticket with the given summary.
    pub fn new(summary: impl Into<String>) -> Self {
        NewTicket {
            summary: summary.into(),
            ..Default::default()
        }
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets the customer company.
    pub fn company(mut self, id: impl Into<Id>) -> Self {
        self.company_id = Some(id.into());
        self
    }

    /// Sets the contact.
    pub fn contact(mut self, id: impl Into<Id>) -> Self {
        self.contact_id = Some(id.into());
        self
    }

    /// Sets the provider's status id.
    pub fn status(mut self, id: impl Into<Id>) -> Self {
        self.status_id = Some(id.into());
        self
    }

    /// Sets the provider's priority id.
    pub fn priority(mut self, id: impl Into<Id>) -> Self {
        self.priority_id = Some(id.into());
        self
    }

    /// Adds a provider-specific field.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// The status a ticket update moves a ticket to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StatusChange {
    /// The provider's own status id.
    Id(Id),
    /// A normalized state; the provider picks its first status in that state
    /// (from its status look-up) and fails with an
    /// `ErrorKind::Refused` error when it has none.
    State(TicketState),
}

/// Changes to an existing ticket; fields left `None` are not sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketUpdate {
    /// New summary.
    pub summary: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New status.
    pub status: Option<StatusChange>,
    /// New priority, as the provider's id.
    pub priority_id: Option<Id>,
    /// Provider-specific fields, merged into the request body last.
    #[serde(default)]
    pub extra: Map<String, Value>,
}

impl TicketUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Changes the summary.
    pub fn summary(mut self, text: impl Into<String>) -> Self {
        self.summary = Some(text.into());
        self
    }

    /// Changes the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Moves the ticket to the provider's status with this id.
    pub fn status_id(mut self, id: impl Into<Id>) -> Self {
        self.status = Some(StatusChange::Id(id.into()));
        self
    }

    /// Moves the ticket to the provider's first status in this normalized state.
    pub fn state(mut self, state: TicketState) -> Self {
        self.status = Some(StatusChange::State(state));
        self
    }

    /// Changes the priority.
    pub fn priority(mut self, id: impl Into<Id>) -> Self {
        self.priority_id = Some(id.into());
        self
    }

    /// Adds a provider-specific field.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Whether the update changes nothing.
    pub fn is_empty(&self) -> bool {
        self.summary.is_none()
            && self.description.is_none()
            && self.status.is_none()
            && self.priority_id.is_none()
            && self.extra.is_empty()
    }
}

/// A note to add to a ticket.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewNote {
    /// The note's text.
    pub text: String,
    /// Whether the note is hidden from the customer.
    pub internal: bool,
    /// Provider-specific fields, merged into the request body last.
    #[serde(default)]
    pub extra: Map<String, Value>,
}

impl NewNote {
    /// A note visible to the customer.
    pub fn new(text: impl Into<String>) -> Self {
        NewNote {
            text: text.into(),
            ..Default::default()
        }
    }

    /// An internal note, hidden from the customer.
    pub fn internal(text: impl Into<String>) -> Self {
        NewNote {
            text: text.into(),
            internal: true,
            ..Default::default()
        }
    }

    /// Adds a provider-specific field.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// Merges `extra` into a JSON object body, `extra` winning on equal keys.
///
/// Providers call this last when they build a create or update body.
pub fn merge_extra(body: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (k, v) in extra {
        body.insert(k.clone(), v.clone());
    }
}
