//! The normalized model: what every provider's data is mapped into.
//!
//! Field names and enum values are the public contract (see the design's
//! table); JSON uses snake_case, ids as strings and RFC 3339 timestamps.

mod id;
mod keyed;
mod provider;
mod psa;
mod rmm;
mod status;
mod write;

pub use id::Id;
pub use keyed::Keyed;
pub use provider::Provider;
pub use psa::{Address, Agreement, Company, Contact, Ticket, TicketNote};
pub use rmm::{Alert, Device, Organization, Site, Software};
pub use status::{DeviceType, Priority, PriorityLevel, Severity, TicketState, TicketStatus};
pub use write::{NewNote, NewTicket, StatusChange, TicketUpdate, merge_extra};

/// A provider's text field as the model keeps it: trimmed, and `None` when
/// blank (platforms send `""` or `" "` for "not set").
pub fn non_empty(s: Option<String>) -> Option<String> {
    let s = s?;
    let trimmed = s.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == s.len() {
        // Most values need no trimming: keep the string, allocate nothing.
        Some(s)
    } else {
        Some(trimmed.to_owned())
    }
}
