//! PSA entities: companies, contacts, tickets, notes and agreements.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Id, Priority, Provider, TicketStatus};

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Address {
    /// First street line.
    pub line1: Option<String>,
    /// Second street line.
    pub line2: Option<String>,
    /// City or town.
    pub city: Option<String>,
    /// State, province or county.
    pub region: Option<String>,
    /// Postal or ZIP code.
    pub postal_code: Option<String>,
    /// Country, as the provider names it.
    pub country: Option<String>,
}

impl Address {
    /// An empty address.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no part of the address is set.
    pub fn is_empty(&self) -> bool {
        [
            &self.line1,
            &self.line2,
            &self.city,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|p| p.is_none())
    }

    /// The address, or `None` when no part of it is set.
    pub fn non_empty(self) -> Option<Self> {
        (!self.is_empty()).then_some(self)
    }
}

/// A customer company (a PSA "company", "client", "account" or "customer").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Company {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// Display name.
    pub name: String,
    /// The provider's short code for the company, where it has one.
    pub identifier: Option<String>,
    /// Main phone number.
    pub phone: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Main address.
    pub address: Option<Address>,
    /// Whether the company is active; `None` when the provider does not say.
    pub active: Option<bool>,
    /// When the company was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the company was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Company {
    /// A company with the given id and name; every other field empty.
    pub fn new(provider: Provider, id: impl Into<Id>, name: impl Into<String>) -> Self {
        Company {
            id: id.into(),
            provider,
            name: name.into(),
            identifier: None,
            phone: None,
            website: None,
            address: None,
            active: None,
            created_at: None,
            updated_at: None,
            raw: None,
        }
    }
}

/// A person at a customer company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Contact {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// The company the contact belongs to.
    pub company_id: Option<Id>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Main e-mail address.
    pub email: Option<String>,
    /// Main phone number.
    pub phone: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Whether the contact is active; `None` when the provider does not say.
    pub active: Option<bool>,
    /// When the contact was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When the contact was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Contact {
    /// A contact with the given id; every other field empty.
    pub fn new(provider: Provider, id: impl Into<Id>) -> Self {
        Contact {
            id: id.into(),
            provider,
            company_id: None,
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            title: None,
            active: None,
            created_at: None,
            updated_at: None,
            raw: None,
        }
    }
}

/// A service ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ticket {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// The number people quote, where it differs from the id ("T20240101.0001").
    pub number: Option<String>,
    /// One-line summary or subject.
    pub summary: String,
    /// The initial description.
    pub description: Option<String>,
    /// Normalized state plus the provider's label and id.
    pub status: TicketStatus,
    /// Normalized level plus the provider's label and id.
    pub priority: Option<Priority>,
    /// The customer company.
    pub company_id: Option<Id>,
    /// The contact who raised it.
    pub contact_id: Option<Id>,
    /// Who it is assigned to, as the provider names them.
    pub assignee: Option<String>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// When it was closed or resolved.
    pub closed_at: Option<DateTime<Utc>>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Ticket {
    /// A ticket with the given id and summary; every other field empty.
    pub fn new(provider: Provider, id: impl Into<Id>, summary: impl Into<String>) -> Self {
        Ticket {
            id: id.into(),
            provider,
            number: None,
            summary: summary.into(),
            description: None,
            status: TicketStatus::default(),
            priority: None,
            company_id: None,
            contact_id: None,
            assignee: None,
            created_at: None,
            updated_at: None,
            closed_at: None,
            raw: None,
        }
    }
}

/// A note, action or comment on a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketNote {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// The ticket the note belongs to.
    pub ticket_id: Id,
    /// The note's text.
    pub text: String,
    /// Whether the note is hidden from the customer.
    pub internal: bool,
    /// Who wrote it, as the provider names them.
    pub author: Option<String>,
    /// When it was written.
    pub created_at: Option<DateTime<Utc>>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl TicketNote {
    /// A note with the given id, ticket and text; every other field empty.
    pub fn new(
        provider: Provider,
        id: impl Into<Id>,
        ticket_id: impl Into<Id>,
        text: impl Into<String>,
    ) -> Self {
        TicketNote {
            id: id.into(),
            provider,
            ticket_id: ticket_id.into(),
            text: text.into(),
            internal: false,
            author: None,
            created_at: None,
            raw: None,
        }
    }
}

/// A service agreement or contract with a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Agreement {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// The customer company.
    pub company_id: Option<Id>,
    /// Name.
    pub name: String,
    /// The provider's type of agreement ("Managed Services", "Block Hours").
    pub kind: Option<String>,
    /// First day it applies.
    pub starts_on: Option<NaiveDate>,
    /// Last day it applies.
    pub ends_on: Option<NaiveDate>,
    /// Whether it is in force; `None` when the provider does not say.
    pub active: Option<bool>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Agreement {
    /// An agreement with the given id and name; every other field empty.
    pub fn new(provider: Provider, id: impl Into<Id>, name: impl Into<String>) -> Self {
        Agreement {
            id: id.into(),
            provider,
            company_id: None,
            name: name.into(),
            kind: None,
            starts_on: None,
            ends_on: None,
            active: None,
            raw: None,
        }
    }
}
