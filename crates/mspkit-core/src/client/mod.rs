//! The traits every provider implements, and what their calls take.

mod capabilities;
mod query;

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt};

pub use capabilities::{Capabilities, Operation};
pub use query::{AlertQuery, DeviceQuery, ListQuery, TicketFilter, TicketQuery};

use crate::error::{Error, Result};
use crate::model::{
    Agreement, Alert, Company, Contact, Device, Id, NewNote, NewTicket, Organization, Provider,
    Site, Software, Ticket, TicketNote, TicketUpdate,
};

/// A stream of items from a paged list: every item, or an error; never a
/// silently short list.
pub type ItemStream<'a, T> = BoxStream<'a, Result<T>>;

/// A stream that yields one `Unsupported` error.
pub fn unsupported_stream<'a, T: Send + 'a>(
    provider: Provider,
    op: Operation,
) -> ItemStream<'a, T> {
    error_stream(Error::unsupported(provider, op.as_str()))
}

/// A stream that yields one error: a list refused before any request (a
/// query the provider cannot express, an invalid filter id).
pub fn error_stream<'a, T: Send + 'a>(error: Error) -> ItemStream<'a, T> {
    stream::once(async move { Err(error) }).boxed()
}

/// A PSA: companies, contacts, tickets, notes and agreements.
///
/// Operations a platform lacks return [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) errors, and
/// [`capabilities`](PsaClient::capabilities) lists the ones it has.
#[async_trait]
pub trait PsaClient: Send + Sync + std::fmt::Debug {
    /// The platform.
    fn provider(&self) -> Provider;

    /// Which operations this client supports.
    fn capabilities(&self) -> Capabilities;

    /// Makes the cheapest authenticated call, to check the settings.
    async fn test_connection(&self) -> Result<()>;

    /// Customer companies.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let _ = q;
        unsupported_stream(self.provider(), Operation::Companies)
    }

    /// One company.
    async fn company(&self, id: &Id) -> Result<Company> {
        let _ = id;
        Err(Error::unsupported(
            self.provider(),
            Operation::Company.as_str(),
        ))
    }

    /// Contacts; `q.parent_id` limits them to one company.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let _ = q;
        unsupported_stream(self.provider(), Operation::Contacts)
    }

    /// Tickets.
    fn tickets(&self, q: TicketQuery) -> ItemStream<'_, Ticket> {
        let _ = q;
        unsupported_stream(self.provider(), Operation::Tickets)
    }

    /// One ticket.
    async fn ticket(&self, id: &Id) -> Result<Ticket> {
        let _ = id;
        Err(Error::unsupported(
            self.provider(),
            Operation::Ticket.as_str(),
        ))
    }

    /// Creates a ticket and returns it as the provider stored it.
    async fn create_ticket(&self, t: NewTicket) -> Result<Ticket> {
        let _ = t;
        Err(Error::unsupported(
            self.provider(),
            Operation::CreateTicket.as_str(),
        ))
    }

    /// Changes a ticket and returns it as the provider stored it.
    async fn update_ticket(&self, id: &Id, u: TicketUpdate) -> Result<Ticket> {
        let _ = (id, u);
        Err(Error::unsupported(
            self.provider(),
            Operation::UpdateTicket.as_str(),
        ))
    }

    /// The notes of one ticket.
    fn ticket_notes(&self, ticket: &Id) -> ItemStream<'_, TicketNote> {
        let _ = ticket;
        unsupported_stream(self.provider(), Operation::TicketNotes)
    }

    /// Adds a note to a ticket.
    async fn add_ticket_note(&self, ticket: &Id, n: NewNote) -> Result<TicketNote> {
        let _ = (ticket, n);
        Err(Error::unsupported(
            self.provider(),
            Operation::AddTicketNote.as_str(),
        ))
    }

    /// Agreements or contracts; `q.parent_id` limits them to one company.
    fn agreements(&self, q: ListQuery) -> ItemStream<'_, Agreement> {
        let _ = q;
        unsupported_stream(self.provider(), Operation::Agreements)
    }
}

/// An RMM: organizations, sites, devices, alerts and installed software.
///
/// Operations a platform lacks return [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) errors, and
/// [`capabilities`](RmmClient::capabilities) lists the ones it has.
#[async_trait]
pub trait RmmClient: Send + Sync + std::fmt::Debug {
    /// The platform.
    fn provider(&self) -> Provider;

    /// Which operations this client supports.
    fn capabilities(&self) -> Capabilities;

    /// Makes the cheapest authenticated call, to check the settings.
    async fn test_connection(&self) -> Result<()>;

    /// Customer organizations.
    fn organizations(&self, q: ListQuery) -> ItemStream<'_, Organization> {
        let _ = q;
        unsupported_stream(self.provider(), Operation::Organizations)
    }

    /// Sites; `q.parent_id` limits them to one organization.
    fn sites(&self, q: ListQuery) -> ItemStream<'_, Site> {
        let _ = q;
        unsupported_stream(self.provider(), Operation::Sites)
    }

    /// Devices.
    fn devices(&self, q: DeviceQuery) -> ItemStream<'_, Device> {
        let _ = q;
        unsupported_stream(self.provider(), Operation::Devices)
    }

    /// One device.
    async fn device(&self, id: &Id) -> Result<Device> {
        let _ = id;
        Err(Error::unsupported(
            self.provider(),
            Operation::Device.as_str(),
        ))
    }

    /// Alerts (open ones unless the query includes resolved).
    fn alerts(&self, q: AlertQuery) -> ItemStream<'_, Alert> {
        let _ = q;
        unsupported_stream(self.provider(), Operation::Alerts)
    }

    /// Software installed on one device.
    fn software(&self, device: &Id) -> ItemStream<'_, Software> {
        let _ = device;
        unsupported_stream(self.provider(), Operation::Software)
    }
}
