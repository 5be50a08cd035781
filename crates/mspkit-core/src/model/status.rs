use serde::{Deserialize, Serialize};

use super::Id;

/// The normalized state of a ticket; the provider's own label is kept beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TicketState {
    /// Logged, not yet looked at.
    New,
    /// Open and waiting for work.
    Open,
    /// Someone is working on it.
    InProgress,
    /// Waiting on the customer, a vendor or a schedule.
    Waiting,
    /// Resolved, possibly awaiting confirmation.
    Resolved,
    /// Closed.
    Closed,
    /// A state the provider has that maps to none of the above.
    Other,
}

impl TicketState {
    /// Whether the state counts as done (resolved or closed).
    pub fn is_closed(self) -> bool {
        matches!(self, TicketState::Resolved | TicketState::Closed)
    }
}

/// A ticket's status: the normalized state plus the provider's own label and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketStatus {
    /// The normalized state.
    pub state: TicketState,
    /// The provider's name for the status ("Waiting Customer").
    pub label: Option<String>,
    /// The provider's id for the status.
    pub id: Option<Id>,
}

impl TicketStatus {
    /// A status with the given state and no label or id.
    pub fn new(state: TicketState) -> Self {
        TicketStatus {
            state,
            label: None,
            id: None,
        }
    }

    /// Sets the provider's label.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the provider's id.
    pub fn with_id(mut self, id: impl Into<Id>) -> Self {
        self.id = Some(id.into());
        self
    }
}

impl Default for TicketStatus {
    fn default() -> Self {
        TicketStatus::new(TicketState::Other)
    }
}

/// The normalized urgency of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PriorityLevel {
    /// Business down.
    Critical,
    /// Urgent.
    High,
    /// Normal.
    Medium,
    /// Can wait.
    Low,
    /// A level the provider has that maps to none of the above.
    Other,
}

/// A ticket's priority: the normalized level plus the provider's own label and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Priority {
    /// The normalized level.
    pub level: PriorityLevel,
    /// The provider's name for the priority ("Priority 2 - Quick Response").
    pub label: Option<String>,
    /// The provider's id for the priority.
    pub id: Option<Id>,
}

impl Priority {
    /// A priority with the given level and no label or id.
    pub fn new(level: PriorityLevel) -> Self {
        Priority {
            level,
            label: None,
            id: None,
        }
    }

    /// Sets the provider's label.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the provider's id.
    pub fn with_id(mut self, id: impl Into<Id>) -> Self {
        self.id = Some(id.into());
        self
    }
}

/// How serious an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Needs action now.
    Critical,
    /// Something failed.
    Error,
    /// Something may fail.
    Warning,
    /// For information.
    Info,
    /// A severity the provider has that maps to none of the above.
    Other,
}

/// What kind of machine a device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeviceType {
    /// A desktop computer.
    Workstation,
    /// A portable computer.
    Laptop,
    /// A server.
    Server,
    /// A virtual machine or a hypervisor guest.
    VirtualMachine,
    /// A router, switch, firewall, printer or other network device.
    Network,
    /// A phone or tablet.
    Mobile,
    /// Anything else, or unknown.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_serialize_snake_case() {
        assert_eq!(
            serde_json::to_string(&TicketState::InProgress).unwrap(),
            "\"in_progress\""
        );
        assert_eq!(
            serde_json::to_string(&DeviceType::VirtualMachine).unwrap(),
            "\"virtual_machine\""
        );
        assert_eq!(
            serde_json::to_string(&PriorityLevel::Critical).unwrap(),
            "\"critical\""
        );
        assert_eq!(
            serde_json::to_string(&Severity::Warning).unwrap(),
            "\"warning\""
        );
    }
}
