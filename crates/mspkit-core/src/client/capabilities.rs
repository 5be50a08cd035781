//! Which operations a provider supports.

use std::fmt;

/// One operation of [`PsaClient`](super::PsaClient) or [`RmmClient`](super::RmmClient).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `PsaClient::companies`.
    Companies,
    /// `PsaClient::company`.
    Company,
    /// `PsaClient::contacts`.
    Contacts,
    /// `PsaClient::tickets`.
    Tickets,
    /// `PsaClient::ticket`.
    Ticket,
    /// `PsaClient::create_ticket`.
    CreateTicket,
    /// `PsaClient::update_ticket`.
    UpdateTicket,
    /// `PsaClient::ticket_notes`.
    TicketNotes,
    /// `PsaClient::add_ticket_note`.
    AddTicketNote,
    /// `PsaClient::agreements`.
    Agreements,
    /// `RmmClient::organizations`.
    Organizations,
    /// `RmmClient::sites`.
    Sites,
    /// `RmmClient::devices`.
    Devices,
    /// `RmmClient::device`.
    Device,
    /// `RmmClient::alerts`.
    Alerts,
    /// `RmmClient::software`.
    Software,
}

impl Operation {
    /// The PSA operations.
    pub const PSA: [Operation; 10] = [
        Operation::Companies,
        Operation::Company,
        Operation::Contacts,
        Operation::Tickets,
        Operation::Ticket,
        Operation::CreateTicket,
        Operation::UpdateTicket,
        Operation::TicketNotes,
        Operation::AddTicketNote,
        Operation::Agreements,
    ];

    /// The RMM operations.
    pub const RMM: [Operation; 6] = [
        Operation::Organizations,
        Operation::Sites,
        Operation::Devices,
        Operation::Device,
        Operation::Alerts,
        Operation::Software,
    ];

    /// The method name, as errors report it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::Companies => "companies",
            Operation::Company => "company",
            Operation::Contacts => "contacts",
            Operation::Tickets => "tickets",
            Operation::Ticket => "ticket",
            Operation::CreateTicket => "create_ticket",
            Operation::UpdateTicket => "update_ticket",
            Operation::TicketNotes => "ticket_notes",
            Operation::AddTicketNote => "add_ticket_note",
            Operation::Agreements => "agreements",
            Operation::Organizations => "organizations",
            Operation::Sites => "sites",
            Operation::Devices => "devices",
            Operation::Device => "device",
            Operation::Alerts => "alerts",
            Operation::Software => "software",
        }
    }

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The set of operations a client supports.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities(u32);

impl Capabilities {
    /// No operation.
    pub const fn none() -> Self {
        Capabilities(0)
    }

    /// Every PSA operation.
    pub const fn all_psa() -> Self {
        Self::none().with_all(&Operation::PSA)
    }

    /// Every RMM operation.
    pub const fn all_rmm() -> Self {
        Self::none().with_all(&Operation::RMM)
    }

    /// These operations.
    pub const fn of(ops: &[Operation]) -> Self {
        Self::none().with_all(ops)
    }

    /// Adds an operation.
    pub const fn with(self, op: Operation) -> Self {
        Capabilities(self.0 | op.bit())
    }

    /// Adds operations.
    pub const fn with_all(self, ops: &[Operation]) -> Self {
        let mut bits = self.0;
        let mut i = 0;
        while i < ops.len() {
            bits |= ops[i].bit();
            i += 1;
        }
        Capabilities(bits)
    }

    /// Removes an operation.
    pub const fn without(self, op: Operation) -> Self {
        Capabilities(self.0 & !op.bit())
    }

    /// Whether the operation is supported.
    pub const fn supports(self, op: Operation) -> bool {
        self.0 & op.bit() != 0
    }

    /// The supported operations, PSA first.
    pub fn operations(self) -> impl Iterator<Item = Operation> {
        Operation::PSA
            .into_iter()
            .chain(Operation::RMM)
            .filter(move |op| self.supports(*op))
    }
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.operations().map(Operation::as_str))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_add_and_remove() {
        let caps = Capabilities::all_psa().without(Operation::Agreements);
        assert!(caps.supports(Operation::Tickets));
        assert!(!caps.supports(Operation::Agreements));
        assert!(!caps.supports(Operation::Devices));
        assert_eq!(caps.operations().count(), 9);
        assert_eq!(Capabilities::all_rmm().operations().count(), 6);
        assert_eq!(
            format!("{:?}", Capabilities::of(&[Operation::Sites])),
            "{\"sites\"}"
        );
    }
}
