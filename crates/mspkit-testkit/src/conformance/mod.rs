//! The behaviour every provider client must show against its fake server,
//! written once ([`driver`]) for the PSA and the RMM traits.
//!
//! What the suites check, each on the provider's own fake server:
//! - every advertised list returns every item once, in three or more pages
//!   at a third of its size (lists the harness calls unpaged excepted), and
//!   honours `limit`; a ticket's notes and a device's software are complete;
//! - single reads return the item that was asked for;
//! - operations that are not advertised answer `Unsupported` without sending
//!   a request;
//! - `updated_since` reaches the request as the parameter the provider
//!   documents, where it filters server-side, and no item changed before the
//!   instant comes back, whichever side filters;
//! - the client's default rate limit is the documented one, and a burst of
//!   reads stays under a platform's concurrency cap (the fake enforces it);
//! - 401, 403, 404 (naming the id), 429 with `Retry-After`, a 500 storm
//!   (exactly the policy's attempts), malformed and truncated bodies map to
//!   their `ErrorKind`;
//! - no secret of the settings, and no token the fake issued, appears in any
//!   error's Display or Debug that the checks provoked, in the client's or
//!   the settings' Debug, or in any trace line (raw, form- or JSON-encoded).
//!
//! A failed check panics with the provider, the check and what was seen.

mod driver;
mod hostile;
mod leaks;

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{
    AlertQuery, Capabilities, DeviceQuery, Id, ItemStream, ListQuery, NewNote, NewTicket,
    Operation, Provider, PsaClient, Result, RmmClient, TicketQuery, TicketUpdate,
};

use self::driver::{Ask, Row, Suite, run};
use crate::fake::{Expected, FakeServer};

/// How the PSA suite starts a provider's fake server and connects to it.
#[async_trait]
pub trait PsaHarness: Send + Sync {
    /// The provider's settings type.
    type Settings: Send + Sync + Debug;

    /// Starts a fresh fake server with the provider's realistic data.
    async fn start(&self) -> FakeServer<Self::Settings>;

    /// A client of `fake`, with `retry` as its retry policy.
    fn client(
        &self,
        fake: &FakeServer<Self::Settings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>>;

    /// The list operations whose `updated_since` becomes a server-side filter
    /// (the others filter client-side, as the provider's docs say).
    fn server_side_updated_since(&self) -> Vec<Operation>;

    /// For each list in [`server_side_updated_since`](Self::server_side_updated_since),
    /// the query parameter (or JSON body field) the platform documents for
    /// it: the suite checks that this parameter carries the instant and that
    /// no item older than it comes back (the fake must filter).
    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        Vec::new()
    }

    /// The rate limit the provider's client applies by default: the
    /// platform's published limit, or the conservative default its docs page
    /// states where it publishes none (`None`: no limiter).
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        None
    }

    /// The transport of a client of `fake` built with default options (only
    /// insecure HTTP allowed), to check its rate limiter.
    async fn default_transport(&self, fake: &FakeServer<Self::Settings>) -> Option<Http> {
        let _ = fake;
        None
    }

    /// Lists the platform answers whole in one response (no paging).
    fn unpaged(&self) -> Vec<Operation> {
        Vec::new()
    }

    /// How many requests the platform serves at once (per endpoint), when
    /// it caps them; the fake must enforce the cap as the platform does.
    fn concurrency_cap(&self) -> Option<usize> {
        None
    }
}

/// How the RMM suite starts a provider's fake server and connects to it.
#[async_trait]
pub trait RmmHarness: Send + Sync {
    /// The provider's settings type.
    type Settings: Send + Sync + Debug;

    /// Starts a fresh fake server with the provider's realistic data.
    async fn start(&self) -> FakeServer<Self::Settings>;

    /// A client of `fake`, with `retry` as its retry policy.
    fn client(
        &self,
        fake: &FakeServer<Self::Settings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>>;

    /// The list operations whose `updated_since` becomes a server-side filter.
    fn server_side_updated_since(&self) -> Vec<Operation>;

    /// For each list in [`server_side_updated_since`](Self::server_side_updated_since),
    /// the query parameter (or JSON body field) the platform documents for
    /// it: the suite checks that this parameter carries the instant and that
    /// no item older than it comes back (the fake must filter).
    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        Vec::new()
    }

    /// The rate limit the provider's client applies by default: the
    /// platform's published limit, or the conservative default its docs page
    /// states where it publishes none (`None`: no limiter).
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        None
    }

    /// The transport of a client of `fake` built with default options (only
    /// insecure HTTP allowed), to check its rate limiter.
    async fn default_transport(&self, fake: &FakeServer<Self::Settings>) -> Option<Http> {
        let _ = fake;
        None
    }

    /// Lists the platform answers whole in one response (no paging).
    fn unpaged(&self) -> Vec<Operation> {
        Vec::new()
    }

    /// How many requests the platform serves at once (per endpoint), when
    /// it caps them; the fake must enforce the cap as the platform does.
    fn concurrency_cap(&self) -> Option<usize> {
        None
    }
}

/// The instant the `updated_since` checks ask for: 2024-03-05T06:07:08Z.
pub fn probe_instant() -> DateTime<Utc> {
    DateTime::from_timestamp(1_709_618_828, 0).unwrap_or_default()
}

/// Runs the PSA conformance checks against `h`'s fake server.
pub async fn psa_conformance<H: PsaHarness>(h: &H) {
    run(&Psa(h)).await;
}

/// Runs the RMM conformance checks against `h`'s fake server.
pub async fn rmm_conformance<H: RmmHarness>(h: &H) {
    run(&Rmm(h)).await;
}

/// Runs the hostile-server checks against `h`'s fake server, made to
/// misbehave: redirects to another host (from the first request and from a
/// list), error bodies that quote the request (token endpoints included), a
/// page selector ignored, a list answered with 200 but no list (an error
/// object, an HTML page), tokens expiring mid-walk, and a create that got
/// 500 (never sent twice); every secret is searched for in what they
/// provoked. The transport-level cases that need a raw socket or long waits
/// (a body cut short, a body over the cap, a server that never answers)
/// are covered once in core's tests, for every provider alike.
pub async fn psa_hostile<H: PsaHarness>(h: &H) {
    hostile::run(&Psa(h)).await;
}

/// The hostile-server checks of [`psa_hostile`], for an RMM client.
pub async fn rmm_hostile<H: RmmHarness>(h: &H) {
    hostile::run(&Rmm(h)).await;
}

struct Psa<'h, H>(&'h H);
struct Rmm<'h, H>(&'h H);

fn list_query(ask: &Ask) -> ListQuery {
    let mut q = ListQuery::new();
    q.page_size = ask.page_size;
    q.limit = ask.limit;
    q.updated_since = ask.since;
    q
}

async fn rows_of<T>(s: ItemStream<'_, T>, row: impl Fn(T) -> Row) -> Result<Vec<Row>> {
    s.map_ok(row).try_collect().await
}

async fn first<T>(s: ItemStream<'_, T>) -> Result<()> {
    let mut s = s;
    match s.next().await {
        Some(Err(e)) => Err(e),
        _ => Ok(()),
    }
}

#[async_trait]
impl<H: PsaHarness> Suite for Psa<'_, H> {
    type Settings = H::Settings;
    type Client = dyn PsaClient;

    async fn start(&self) -> FakeServer<H::Settings> {
        self.0.start().await
    }
    fn client(
        &self,
        fake: &FakeServer<H::Settings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        self.0.client(fake, retry)
    }
    fn server_side_updated_since(&self) -> Vec<Operation> {
        self.0.server_side_updated_since()
    }
    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        self.0.updated_since_params()
    }
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        self.0.documented_rate_limit()
    }
    async fn default_transport(&self, fake: &FakeServer<H::Settings>) -> Option<Http> {
        self.0.default_transport(fake).await
    }
    fn unpaged(&self) -> Vec<Operation> {
        self.0.unpaged()
    }
    fn concurrency_cap(&self) -> Option<usize> {
        self.0.concurrency_cap()
    }

    fn provider(c: &dyn PsaClient) -> Provider {
        c.provider()
    }
    fn capabilities(c: &dyn PsaClient) -> Capabilities {
        c.capabilities()
    }
    async fn test_connection(c: &dyn PsaClient) -> Result<()> {
        c.test_connection().await
    }
    fn lists(e: &Expected) -> Vec<(Operation, Option<usize>)> {
        vec![
            (Operation::Companies, e.companies),
            (Operation::Contacts, e.contacts),
            (Operation::Tickets, e.tickets),
            (Operation::Agreements, e.agreements),
        ]
    }
    async fn rows(c: &dyn PsaClient, op: Operation, ask: &Ask) -> Result<Vec<Row>> {
        match op {
            Operation::Companies => {
                rows_of(c.companies(list_query(ask)), |x| (x.id, x.updated_at)).await
            }
            Operation::Contacts => {
                rows_of(c.contacts(list_query(ask)), |x| (x.id, x.updated_at)).await
            }
            Operation::Tickets => {
                let mut q = TicketQuery::new();
                q.page_size = ask.page_size;
                q.limit = ask.limit;
                q.updated_since = ask.since;
                rows_of(c.tickets(q), |x| (x.id, x.updated_at)).await
            }
            Operation::Agreements => rows_of(c.agreements(list_query(ask)), |x| (x.id, None)).await,
            other => panic!("{other} is not a PSA list"),
        }
    }
    fn singles(e: &Expected) -> Vec<(Operation, Option<Id>)> {
        vec![
            (Operation::Company, e.company_id.clone()),
            (
                Operation::Ticket,
                e.ticket_with_notes.as_ref().map(|(id, _)| id.clone()),
            ),
        ]
    }
    async fn single(c: &dyn PsaClient, op: Operation, id: &Id) -> Result<Id> {
        match op {
            Operation::Company => c.company(id).await.map(|x| x.id),
            Operation::Ticket => c.ticket(id).await.map(|x| x.id),
            other => panic!("{other} is not a PSA single read"),
        }
    }
    fn children(e: &Expected) -> Vec<(Operation, Option<(Id, usize)>)> {
        vec![(Operation::TicketNotes, e.ticket_with_notes.clone())]
    }
    async fn child_rows(c: &dyn PsaClient, op: Operation, parent: &Id) -> Result<Vec<Id>> {
        match op {
            Operation::TicketNotes => c.ticket_notes(parent).map_ok(|n| n.id).try_collect().await,
            other => panic!("{other} is not a PSA child list"),
        }
    }
    fn all_operations() -> Vec<Operation> {
        vec![
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
        ]
    }
    async fn call(c: &dyn PsaClient, op: Operation) -> Result<()> {
        let id = Id::from("1");
        match op {
            Operation::Companies => first(c.companies(ListQuery::new())).await,
            Operation::Company => c.company(&id).await.map(drop),
            Operation::Contacts => first(c.contacts(ListQuery::new())).await,
            Operation::Tickets => first(c.tickets(TicketQuery::new())).await,
            Operation::Ticket => c.ticket(&id).await.map(drop),
            Operation::CreateTicket => c.create_ticket(NewTicket::new("x")).await.map(drop),
            Operation::UpdateTicket => c
                .update_ticket(&id, TicketUpdate::new().summary("x"))
                .await
                .map(drop),
            Operation::TicketNotes => first(c.ticket_notes(&id)).await,
            Operation::AddTicketNote => c.add_ticket_note(&id, NewNote::new("x")).await.map(drop),
            Operation::Agreements => first(c.agreements(ListQuery::new())).await,
            other => panic!("{other} is not a PSA operation"),
        }
    }
    async fn create_ticket(c: &dyn PsaClient, summary: &str) -> Result<()> {
        c.create_ticket(NewTicket::new(summary)).await.map(drop)
    }
    fn primary(caps: &Capabilities) -> (Operation, Operation) {
        let list = if caps.supports(Operation::Tickets) {
            Operation::Tickets
        } else {
            Operation::Companies
        };
        let single = if caps.supports(Operation::Ticket) {
            Operation::Ticket
        } else {
            Operation::Company
        };
        (list, single)
    }
}

#[async_trait]
impl<H: RmmHarness> Suite for Rmm<'_, H> {
    type Settings = H::Settings;
    type Client = dyn RmmClient;

    async fn start(&self) -> FakeServer<H::Settings> {
        self.0.start().await
    }
    fn client(
        &self,
        fake: &FakeServer<H::Settings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn RmmClient>> {
        self.0.client(fake, retry)
    }
    fn server_side_updated_since(&self) -> Vec<Operation> {
        self.0.server_side_updated_since()
    }
    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        self.0.updated_since_params()
    }
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        self.0.documented_rate_limit()
    }
    async fn default_transport(&self, fake: &FakeServer<H::Settings>) -> Option<Http> {
        self.0.default_transport(fake).await
    }
    fn unpaged(&self) -> Vec<Operation> {
        self.0.unpaged()
    }
    fn concurrency_cap(&self) -> Option<usize> {
        self.0.concurrency_cap()
    }

    fn provider(c: &dyn RmmClient) -> Provider {
        c.provider()
    }
    fn capabilities(c: &dyn RmmClient) -> Capabilities {
        c.capabilities()
    }
    async fn test_connection(c: &dyn RmmClient) -> Result<()> {
        c.test_connection().await
    }
    fn lists(e: &Expected) -> Vec<(Operation, Option<usize>)> {
        vec![
            (Operation::Organizations, e.organizations),
            (Operation::Sites, e.sites),
            (Operation::Devices, e.devices),
            (Operation::Alerts, e.alerts),
        ]
    }
    async fn rows(c: &dyn RmmClient, op: Operation, ask: &Ask) -> Result<Vec<Row>> {
        match op {
            Operation::Organizations => {
                rows_of(c.organizations(list_query(ask)), |x| (x.id, x.updated_at)).await
            }
            Operation::Sites => rows_of(c.sites(list_query(ask)), |x| (x.id, None)).await,
            Operation::Devices => {
                let mut q = DeviceQuery::new();
                q.page_size = ask.page_size;
                q.limit = ask.limit;
                q.updated_since = ask.since;
                rows_of(c.devices(q), |x| (x.id, None)).await
            }
            Operation::Alerts => {
                let mut q = AlertQuery::new();
                q.page_size = ask.page_size;
                q.limit = ask.limit;
                q.updated_since = ask.since;
                rows_of(c.alerts(q), |x| (x.id, None)).await
            }
            other => panic!("{other} is not an RMM list"),
        }
    }
    fn singles(e: &Expected) -> Vec<(Operation, Option<Id>)> {
        vec![(
            Operation::Device,
            e.device_with_software.as_ref().map(|(id, _)| id.clone()),
        )]
    }
    async fn single(c: &dyn RmmClient, op: Operation, id: &Id) -> Result<Id> {
        match op {
            Operation::Device => c.device(id).await.map(|x| x.id),
            other => panic!("{other} is not an RMM single read"),
        }
    }
    fn children(e: &Expected) -> Vec<(Operation, Option<(Id, usize)>)> {
        vec![(Operation::Software, e.device_with_software.clone())]
    }
    async fn child_rows(c: &dyn RmmClient, op: Operation, parent: &Id) -> Result<Vec<Id>> {
        match op {
            Operation::Software => {
                let items: Vec<_> = c.software(parent).try_collect().await?;
                assert!(
                    items.iter().all(|s| s.device_id == *parent),
                    "software of {parent}: an entry names another device"
                );
                Ok(items.into_iter().map(|s| s.device_id).collect())
            }
            other => panic!("{other} is not an RMM child list"),
        }
    }
    fn all_operations() -> Vec<Operation> {
        vec![
            Operation::Organizations,
            Operation::Sites,
            Operation::Devices,
            Operation::Device,
            Operation::Alerts,
            Operation::Software,
        ]
    }
    async fn call(c: &dyn RmmClient, op: Operation) -> Result<()> {
        let id = Id::from("1");
        match op {
            Operation::Organizations => first(c.organizations(ListQuery::new())).await,
            Operation::Sites => first(c.sites(ListQuery::new())).await,
            Operation::Devices => first(c.devices(DeviceQuery::new())).await,
            Operation::Device => c.device(&id).await.map(drop),
            Operation::Alerts => first(c.alerts(AlertQuery::new())).await,
            Operation::Software => first(c.software(&id)).await,
            other => panic!("{other} is not an RMM operation"),
        }
    }
    async fn create_ticket(c: &dyn RmmClient, _summary: &str) -> Result<()> {
        Err(mspkit_core::Error::unsupported(
            c.provider(),
            "create_ticket",
        ))
    }
    fn primary(caps: &Capabilities) -> (Operation, Operation) {
        let list = if caps.supports(Operation::Devices) {
            Operation::Devices
        } else {
            Operation::Organizations
        };
        (list, Operation::Device)
    }
}
