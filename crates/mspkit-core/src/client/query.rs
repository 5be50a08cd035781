//! What a list call asks for.

use chrono::{DateTime, Utc};

use crate::model::{Id, TicketState};

/// Options for a list of companies, contacts, agreements, organizations or sites.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ListQuery {
    /// Only items changed at or after this instant (incremental sync). Each
    /// provider turns it into its own server-side filter where it has one, and
    /// filters client-side otherwise (its docs page says which).
    pub updated_since: Option<DateTime<Utc>>,
    /// Items per page to ask for; the provider's maximum when `None`. The
    /// provider may cap it; paging follows what the server really returned.
    pub page_size: Option<u32>,
    /// Stop after this many items.
    pub limit: Option<usize>,
    /// Only items of this company (PSA) or organization (RMM).
    pub parent_id: Option<Id>,
}

impl ListQuery {
    /// Everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only items changed at or after `since`.
    pub fn updated_since(mut self, since: DateTime<Utc>) -> Self {
        self.updated_since = Some(since);
        self
    }

    /// Items per page to ask for.
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Stop after `n` items.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Only items of this company or organization.
    pub fn parent(mut self, id: impl Into<Id>) -> Self {
        self.parent_id = Some(id.into());
        self
    }

    /// Only items of this company (contacts, agreements); same as [`parent`](Self::parent).
    pub fn company(self, id: impl Into<Id>) -> Self {
        self.parent(id)
    }

    /// Only items of this organization (sites); same as [`parent`](Self::parent).
    pub fn organization(self, id: impl Into<Id>) -> Self {
        self.parent(id)
    }
}

/// Which tickets to list by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TicketFilter {
    /// Open and closed.
    #[default]
    All,
    /// Only tickets whose state is not resolved or closed.
    Open,
    /// Only resolved or closed tickets.
    Closed,
}

/// Options for a list of tickets.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct TicketQuery {
    /// Only tickets changed at or after this instant.
    pub updated_since: Option<DateTime<Utc>>,
    /// Items per page to ask for.
    pub page_size: Option<u32>,
    /// Stop after this many tickets.
    pub limit: Option<usize>,
    /// Only tickets of this company.
    pub company_id: Option<Id>,
    /// Open, closed or all.
    pub filter: TicketFilter,
    /// Only tickets in one of these normalized states (empty: any).
    pub states: Vec<TicketState>,
}

impl TicketQuery {
    /// Every ticket.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only tickets changed at or after `since`.
    pub fn updated_since(mut self, since: DateTime<Utc>) -> Self {
        self.updated_since = Some(since);
        self
    }

    /// Items per page to ask for.
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Stop after `n` tickets.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Only tickets of this company.
    pub fn company(mut self, id: impl Into<Id>) -> Self {
        self.company_id = Some(id.into());
        self
    }

    /// Only open tickets.
    pub fn open(mut self) -> Self {
        self.filter = TicketFilter::Open;
        self
    }

    /// Only resolved or closed tickets.
    pub fn closed(mut self) -> Self {
        self.filter = TicketFilter::Closed;
        self
    }

    /// Only tickets in one of these states.
    pub fn states(mut self, states: impl IntoIterator<Item = TicketState>) -> Self {
        self.states = states.into_iter().collect();
        self
    }

    /// Whether a ticket in `state` passes the open/closed and state filters;
    /// providers use it for the part of the filter their API cannot express.
    pub fn accepts_state(&self, state: TicketState) -> bool {
        let by_filter = match self.filter {
            TicketFilter::All => true,
            TicketFilter::Open => !state.is_closed(),
            TicketFilter::Closed => state.is_closed(),
        };
        by_filter && (self.states.is_empty() || self.states.contains(&state))
    }
}

/// Options for a list of devices.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct DeviceQuery {
    /// Only devices changed (or seen) at or after this instant.
    pub updated_since: Option<DateTime<Utc>>,
    /// Items per page to ask for.
    pub page_size: Option<u32>,
    /// Stop after this many devices.
    pub limit: Option<usize>,
    /// Only devices of this organization.
    pub organization_id: Option<Id>,
    /// Only devices of this site.
    pub site_id: Option<Id>,
}

impl DeviceQuery {
    /// Every device.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only devices changed at or after `since`.
    pub fn updated_since(mut self, since: DateTime<Utc>) -> Self {
        self.updated_since = Some(since);
        self
    }

    /// Items per page to ask for.
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Stop after `n` devices.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Only devices of this organization.
    pub fn organization(mut self, id: impl Into<Id>) -> Self {
        self.organization_id = Some(id.into());
        self
    }

    /// Only devices of this site.
    pub fn site(mut self, id: impl Into<Id>) -> Self {
        self.site_id = Some(id.into());
        self
    }
}

/// Options for a list of alerts.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct AlertQuery {
    /// Only alerts raised or changed at or after this instant.
    pub updated_since: Option<DateTime<Utc>>,
    /// Items per page to ask for.
    pub page_size: Option<u32>,
    /// Stop after this many alerts.
    pub limit: Option<usize>,
    /// Only alerts of this organization.
    pub organization_id: Option<Id>,
    /// Only alerts of this device.
    pub device_id: Option<Id>,
    /// Also list resolved alerts (open ones only by default).
    pub include_resolved: bool,
}

impl AlertQuery {
    /// Open alerts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only alerts raised or changed at or after `since`.
    pub fn updated_since(mut self, since: DateTime<Utc>) -> Self {
        self.updated_since = Some(since);
        self
    }

    /// Items per page to ask for.
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Stop after `n` alerts.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Only alerts of this organization.
    pub fn organization(mut self, id: impl Into<Id>) -> Self {
        self.organization_id = Some(id.into());
        self
    }

    /// Only alerts of this device.
    pub fn device(mut self, id: impl Into<Id>) -> Self {
        self.device_id = Some(id.into());
        self
    }

    /// Resolved alerts too.
    pub fn include_resolved(mut self) -> Self {
        self.include_resolved = true;
        self
    }
}
