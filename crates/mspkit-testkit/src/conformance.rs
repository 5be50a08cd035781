//! The behaviour every provider client must show against its fake server.
//!
//! Each check starts a fresh fake server, so failures injected for one check
//! never leak into another. A failed check panics with the provider, the
//! check and what was seen.

use std::collections::HashSet;
use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{
    AlertQuery, DeviceQuery, ErrorKind, Id, ItemStream, ListQuery, NewNote, NewTicket, Operation,
    PsaClient, Result, RmmClient, TicketQuery, TicketUpdate,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::fake::FakeServer;

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
    /// platform's published limit, or `None` where it publishes none.
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
    /// platform's published limit, or `None` where it publishes none.
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

const PROBE_FORMS: [&str; 4] = ["2024-03-05", "1709618828", "03/05/2024", "05/03/2024"];

fn retry() -> RetryPolicy {
    crate::fast_retry()
}

async fn request_count(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .map(|r| r.len())
        .unwrap_or(0)
}

/// Mounts a response that wins over every route of the fake server.
async fn mount_override(server: &MockServer, response: ResponseTemplate, times: Option<u64>) {
    let mock = Mock::given(any()).respond_with(response).with_priority(1);
    let mock = match times {
        Some(n) => mock.up_to_n_times(n),
        None => mock,
    };
    mock.mount(server).await;
}

async fn collect<T>(s: ItemStream<'_, T>) -> Result<Vec<T>> {
    s.try_collect().await
}

async fn first_result<T: Debug>(s: ItemStream<'_, T>) -> Option<Result<T>> {
    let mut s = s;
    s.next().await
}

fn ids<'a>(label: &str, ids: impl Iterator<Item = &'a Id>, expected: usize) {
    let mut seen = HashSet::new();
    let mut n = 0;
    for id in ids {
        n += 1;
        assert!(
            seen.insert(id.clone()),
            "{label}: id {id} was yielded twice"
        );
    }
    assert_eq!(n, expected, "{label}: expected {expected} items, got {n}");
}

fn is_unsupported<T: Debug>(r: &Result<T>) -> bool {
    matches!(&r, Err(e) if e.kind() == ErrorKind::Unsupported)
}

/// Whether any request the server saw carries the probe instant, in the URL
/// (decoded) or the body, in one of the forms providers use.
async fn probe_reached(server: &MockServer, from: usize) -> bool {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().skip(from).any(|r| {
        let url: String = url::form_urlencoded::parse(r.url.as_str().as_bytes())
            .map(|(k, v)| format!("{k}={v}&"))
            .collect();
        let text = format!("{} {url} {}", r.url, String::from_utf8_lossy(&r.body));
        PROBE_FORMS.iter().any(|f| text.contains(f))
    })
}

/// Runs the PSA conformance checks against `h`'s fake server.
pub async fn psa_conformance<H: PsaHarness>(h: &H) {
    let fake = h.start().await;
    let client = h
        .client(&fake, retry())
        .expect("client builds for the fake server");
    let p = client.provider();
    let caps = client.capabilities();
    client
        .test_connection()
        .await
        .unwrap_or_else(|e| panic!("{p}: test_connection failed: {e}"));
    let e = &fake.expected;

    // Every advertised list returns every item once; the others are Unsupported.
    let lists: [(Operation, Option<usize>); 4] = [
        (Operation::Companies, e.companies),
        (Operation::Contacts, e.contacts),
        (Operation::Tickets, e.tickets),
        (Operation::Agreements, e.agreements),
    ];
    for (op, expected) in lists {
        let label = format!("{p} {op}");
        let result = match op {
            Operation::Companies => collect(client.companies(ListQuery::new()))
                .await
                .map(|v| v.into_iter().map(|c| c.id).collect::<Vec<_>>()),
            Operation::Contacts => collect(client.contacts(ListQuery::new()))
                .await
                .map(|v| v.into_iter().map(|c| c.id).collect()),
            Operation::Tickets => collect(client.tickets(TicketQuery::new()))
                .await
                .map(|v| v.into_iter().map(|c| c.id).collect()),
            _ => collect(client.agreements(ListQuery::new()))
                .await
                .map(|v| v.into_iter().map(|c| c.id).collect()),
        };
        check_list(&label, caps.supports(op), result, expected);
    }

    // The longest list pages through three or more pages at a third of its size.
    if let Some(total) = e.tickets.filter(|_| caps.supports(Operation::Tickets)) {
        let before = request_count(&fake.server).await;
        let q = TicketQuery::new().page_size(total.div_ceil(3).max(1) as u32);
        let tickets = collect(client.tickets(q))
            .await
            .unwrap_or_else(|e| panic!("{p} tickets paged: {e}"));
        ids(
            &format!("{p} tickets in small pages"),
            tickets.iter().map(|t| &t.id),
            total,
        );
        let pages = request_count(&fake.server).await - before;
        assert!(
            pages >= 3,
            "{p} tickets: expected 3 or more page requests, saw {pages}"
        );
        let limited = collect(client.tickets(TicketQuery::new().limit(2)))
            .await
            .expect("limited list");
        assert_eq!(
            limited.len(),
            2.min(total),
            "{p} tickets: limit(2) not honoured"
        );
    }

    // Single reads and notes.
    check_single(
        &format!("{p} company"),
        caps.supports(Operation::Company),
        e.company_id.clone(),
        |id| {
            let client = &client;
            async move { client.company(&id).await }
        },
    )
    .await;
    if let Some((ticket, notes)) = &e.ticket_with_notes {
        let t = client.ticket(ticket).await;
        if caps.supports(Operation::Ticket) {
            assert_eq!(
                t.unwrap_or_else(|e| panic!("{p} ticket: {e}")).id,
                *ticket,
                "{p} ticket: wrong id"
            );
        } else {
            assert!(
                is_unsupported(&t),
                "{p} ticket: not advertised, so must be Unsupported"
            );
        }
        let n = collect(client.ticket_notes(ticket)).await;
        check_list(
            &format!("{p} ticket_notes"),
            caps.supports(Operation::TicketNotes),
            n.map(|v| v.into_iter().map(|n| n.id).collect()),
            Some(*notes),
        );
    }
    for op in [
        Operation::Ticket,
        Operation::TicketNotes,
        Operation::Company,
    ] {
        if !caps.supports(op) {
            let id = Id::from("1");
            let unsupported = match op {
                Operation::Ticket => is_unsupported(&client.ticket(&id).await),
                Operation::Company => is_unsupported(&client.company(&id).await),
                _ => {
                    matches!(&first_result(client.ticket_notes(&id)).await, Some(Err(e)) if e.kind() == ErrorKind::Unsupported)
                }
            };
            assert!(
                unsupported,
                "{p} {op}: not advertised, so must be Unsupported"
            );
        }
    }
    // Writes that are not advertised must say Unsupported without a request.
    let id = Id::from("1");
    if !caps.supports(Operation::CreateTicket) {
        assert!(
            is_unsupported(&client.create_ticket(NewTicket::new("x")).await),
            "{p} create_ticket"
        );
    }
    if !caps.supports(Operation::UpdateTicket) {
        assert!(
            is_unsupported(
                &client
                    .update_ticket(&id, TicketUpdate::new().summary("x"))
                    .await
            ),
            "{p} update_ticket"
        );
    }
    if !caps.supports(Operation::AddTicketNote) {
        assert!(
            is_unsupported(&client.add_ticket_note(&id, NewNote::new("x")).await),
            "{p} add_ticket_note"
        );
    }

    // updated_since reaches the request where the provider filters server-side.
    for op in h.server_side_updated_since() {
        let before = request_count(&fake.server).await;
        let since = probe_instant();
        let r = match op {
            Operation::Companies => {
                collect(client.companies(ListQuery::new().updated_since(since)))
                    .await
                    .map(|_| ())
            }
            Operation::Contacts => collect(client.contacts(ListQuery::new().updated_since(since)))
                .await
                .map(|_| ()),
            Operation::Tickets => collect(client.tickets(TicketQuery::new().updated_since(since)))
                .await
                .map(|_| ()),
            Operation::Agreements => {
                collect(client.agreements(ListQuery::new().updated_since(since)))
                    .await
                    .map(|_| ())
            }
            other => panic!("{p}: {other} is not a PSA list"),
        };
        r.unwrap_or_else(|e| panic!("{p} {op} with updated_since: {e}"));
        assert!(
            probe_reached(&fake.server, before).await,
            "{p} {op}: updated_since did not reach the request"
        );
    }
    drop(client);

    // Failure mapping, each on a fresh server.
    let primary = |c: &dyn PsaClient| -> Operation {
        if c.capabilities().supports(Operation::Tickets) {
            Operation::Tickets
        } else {
            Operation::Companies
        }
    };
    let run = |c: Box<dyn PsaClient>, op: Operation| async move {
        match op {
            Operation::Tickets => collect(c.tickets(TicketQuery::new()))
                .await
                .map(|v| v.len()),
            _ => collect(c.companies(ListQuery::new()))
                .await
                .map(|v| v.len()),
        }
    };
    failure_checks(
        p,
        || async {
            let fake = h.start().await;
            let c = h.client(&fake, retry()).expect("client builds");
            c.test_connection().await.expect("warm-up call");
            let op = primary(&*c);
            let expected = match op {
                Operation::Tickets => fake.expected.tickets,
                _ => fake.expected.companies,
            };
            (fake.server, op, expected, c)
        },
        run,
        |c: Box<dyn PsaClient>| async move { c.test_connection().await },
        |c: Box<dyn PsaClient>, id: Id| async move {
            if c.capabilities().supports(Operation::Ticket) {
                c.ticket(&id).await.map(|_| ())
            } else {
                c.company(&id).await.map(|_| ())
            }
        },
    )
    .await;
}

/// Runs the RMM conformance checks against `h`'s fake server.
pub async fn rmm_conformance<H: RmmHarness>(h: &H) {
    let fake = h.start().await;
    let client = h
        .client(&fake, retry())
        .expect("client builds for the fake server");
    let p = client.provider();
    let caps = client.capabilities();
    client
        .test_connection()
        .await
        .unwrap_or_else(|e| panic!("{p}: test_connection failed: {e}"));
    let e = &fake.expected;

    let lists: [(Operation, Option<usize>); 4] = [
        (Operation::Organizations, e.organizations),
        (Operation::Sites, e.sites),
        (Operation::Devices, e.devices),
        (Operation::Alerts, e.alerts),
    ];
    for (op, expected) in lists {
        let label = format!("{p} {op}");
        let result = match op {
            Operation::Organizations => collect(client.organizations(ListQuery::new()))
                .await
                .map(|v| v.into_iter().map(|c| c.id).collect::<Vec<_>>()),
            Operation::Sites => collect(client.sites(ListQuery::new()))
                .await
                .map(|v| v.into_iter().map(|c| c.id).collect()),
            Operation::Devices => collect(client.devices(DeviceQuery::new()))
                .await
                .map(|v| v.into_iter().map(|c| c.id).collect()),
            _ => collect(client.alerts(AlertQuery::new()))
                .await
                .map(|v| v.into_iter().map(|c| c.id).collect()),
        };
        check_list(&label, caps.supports(op), result, expected);
    }

    if let Some(total) = e.devices.filter(|_| caps.supports(Operation::Devices)) {
        let before = request_count(&fake.server).await;
        let q = DeviceQuery::new().page_size(total.div_ceil(3).max(1) as u32);
        let devices = collect(client.devices(q))
            .await
            .unwrap_or_else(|e| panic!("{p} devices paged: {e}"));
        ids(
            &format!("{p} devices in small pages"),
            devices.iter().map(|d| &d.id),
            total,
        );
        let pages = request_count(&fake.server).await - before;
        assert!(
            pages >= 3,
            "{p} devices: expected 3 or more page requests, saw {pages}"
        );
        let limited = collect(client.devices(DeviceQuery::new().limit(2)))
            .await
            .expect("limited list");
        assert_eq!(
            limited.len(),
            2.min(total),
            "{p} devices: limit(2) not honoured"
        );
    }

    if let Some((device, software)) = &e.device_with_software {
        let d = client.device(device).await;
        if caps.supports(Operation::Device) {
            assert_eq!(
                d.unwrap_or_else(|e| panic!("{p} device: {e}")).id,
                *device,
                "{p} device: wrong id"
            );
        } else {
            assert!(
                is_unsupported(&d),
                "{p} device: not advertised, so must be Unsupported"
            );
        }
        let s = collect(client.software(device)).await;
        match s {
            Ok(items) if caps.supports(Operation::Software) => {
                assert_eq!(items.len(), *software, "{p} software: count");
                assert!(
                    items.iter().all(|i| i.device_id == *device),
                    "{p} software: device_id"
                );
            }
            other => check_list(
                &format!("{p} software"),
                caps.supports(Operation::Software),
                other.map(|_| Vec::new()),
                Some(0),
            ),
        }
    } else {
        let id = Id::from("1");
        if !caps.supports(Operation::Device) {
            assert!(
                is_unsupported(&client.device(&id).await),
                "{p} device: must be Unsupported"
            );
        }
        if !caps.supports(Operation::Software) {
            let r = first_result(client.software(&id)).await;
            assert!(
                matches!(&r, Some(Err(e)) if e.kind() == ErrorKind::Unsupported),
                "{p} software: must be Unsupported"
            );
        }
    }

    for op in h.server_side_updated_since() {
        let before = request_count(&fake.server).await;
        let since = probe_instant();
        let r = match op {
            Operation::Organizations => {
                collect(client.organizations(ListQuery::new().updated_since(since)))
                    .await
                    .map(|_| ())
            }
            Operation::Sites => collect(client.sites(ListQuery::new().updated_since(since)))
                .await
                .map(|_| ()),
            Operation::Devices => collect(client.devices(DeviceQuery::new().updated_since(since)))
                .await
                .map(|_| ()),
            Operation::Alerts => collect(client.alerts(AlertQuery::new().updated_since(since)))
                .await
                .map(|_| ()),
            other => panic!("{p}: {other} is not an RMM list"),
        };
        r.unwrap_or_else(|e| panic!("{p} {op} with updated_since: {e}"));
        assert!(
            probe_reached(&fake.server, before).await,
            "{p} {op}: updated_since did not reach the request"
        );
    }
    drop(client);

    let run = |c: Box<dyn RmmClient>, op: Operation| async move {
        match op {
            Operation::Devices => collect(c.devices(DeviceQuery::new()))
                .await
                .map(|v| v.len()),
            _ => collect(c.organizations(ListQuery::new()))
                .await
                .map(|v| v.len()),
        }
    };
    failure_checks(
        p,
        || async {
            let fake = h.start().await;
            let c = h.client(&fake, retry()).expect("client builds");
            c.test_connection().await.expect("warm-up call");
            let op = if c.capabilities().supports(Operation::Devices) {
                Operation::Devices
            } else {
                Operation::Organizations
            };
            let expected = match op {
                Operation::Devices => fake.expected.devices,
                _ => fake.expected.organizations,
            };
            (fake.server, op, expected, c)
        },
        run,
        |c: Box<dyn RmmClient>| async move { c.test_connection().await },
        |c: Box<dyn RmmClient>, id: Id| async move { c.device(&id).await.map(|_| ()) },
    )
    .await;
}

fn check_list(label: &str, supported: bool, result: Result<Vec<Id>>, expected: Option<usize>) {
    match (supported, result) {
        (true, Ok(got)) => {
            let expected = expected.unwrap_or_else(|| {
                panic!("{label}: supported, but the fake server's Expected has no count for it")
            });
            ids(label, got.iter(), expected);
        }
        (true, Err(e)) => panic!("{label}: {e}"),
        (false, r) => assert!(
            is_unsupported(&r),
            "{label}: not advertised, so must be Unsupported, got {r:?}"
        ),
    }
}

async fn check_single<T, F, Fut>(label: &str, supported: bool, id: Option<Id>, get: F)
where
    T: Debug,
    F: Fn(Id) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    match (supported, id) {
        (true, Some(id)) => {
            get(id.clone())
                .await
                .unwrap_or_else(|e| panic!("{label} {id}: {e}"));
        }
        (true, None) => {
            panic!("{label}: supported, but the fake server's Expected names no id for it")
        }
        (false, id) => {
            let r = get(id.unwrap_or_else(|| Id::from("1"))).await;
            assert!(
                is_unsupported(&r),
                "{label}: not advertised, so must be Unsupported, got {r:?}"
            );
        }
    }
}

/// The error-mapping checks shared by both suites. `start` gives a warmed-up
/// client (any token already fetched), the server, the primary list and its
/// expected count.
async fn failure_checks<C, S, SFut, L, LFut, T, TFut, G, GFut>(
    p: mspkit_core::Provider,
    start: S,
    list: L,
    test_connection: T,
    get_one: G,
) where
    S: Fn() -> SFut,
    SFut: std::future::Future<Output = (MockServer, Operation, Option<usize>, C)>,
    L: Fn(C, Operation) -> LFut,
    LFut: std::future::Future<Output = Result<usize>>,
    T: Fn(C) -> TFut,
    TFut: std::future::Future<Output = Result<()>>,
    G: Fn(C, Id) -> GFut,
    GFut: std::future::Future<Output = Result<()>>,
{
    // 401: credentials refused (a token strategy renews once, then gives up).
    let (server, _, _, c) = start().await;
    mount_override(
        &server,
        ResponseTemplate::new(401).set_body_string(r#"{"message":"Unauthorized"}"#),
        None,
    )
    .await;
    let r = test_connection(c).await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized),
        "{p}: 401 must be Unauthorized, got {r:?}"
    );

    // 403: forbidden.
    let (server, op, _, c) = start().await;
    mount_override(
        &server,
        ResponseTemplate::new(403).set_body_string(r#"{"message":"Forbidden"}"#),
        None,
    )
    .await;
    let r = list(c, op).await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Forbidden),
        "{p} {op}: 403 must be Forbidden, got {r:?}"
    );

    // 404: not found, on a single read.
    let (server, _, _, c) = start().await;
    mount_override(
        &server,
        ResponseTemplate::new(404).set_body_string(r#"{"message":"Not found"}"#),
        None,
    )
    .await;
    let r = get_one(c, Id::from("999999")).await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::NotFound),
        "{p}: 404 must be NotFound, got {r:?}"
    );
    let e = r.unwrap_err();
    // The read names the id it asked for (a look-up the read needed first,
    // such as a provider's field definitions, is about something else).
    if let Some(target) = e.target() {
        assert_eq!(target, "999999", "{p}: {e:?}");
        assert!(e.to_string().contains(" 999999: not found"), "{p}: {e}");
    }

    // 429 with Retry-After: waited out, then the list arrives whole.
    let (server, op, expected, c) = start().await;
    let before = request_count(&server).await;
    mount_override(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        Some(1),
    )
    .await;
    let started = std::time::Instant::now();
    let r = list(c, op).await;
    let n = r.unwrap_or_else(|e| panic!("{p} {op}: a 429 then success must succeed, got {e}"));
    assert_eq!(
        Some(n),
        expected,
        "{p} {op}: the list after a 429 is not whole"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "{p} {op}: Retry-After was not honoured"
    );
    assert!(
        request_count(&server).await > before + 1,
        "{p} {op}: the 429 was not retried"
    );

    // A 500 storm ends in Server after the bounded attempts.
    let (server, op, _, c) = start().await;
    let before = request_count(&server).await;
    mount_override(
        &server,
        ResponseTemplate::new(500).set_body_string("Internal Server Error"),
        None,
    )
    .await;
    let r = list(c, op).await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Server && e.status() == Some(500)),
        "{p} {op}: 500s must end in Server, got {r:?}"
    );
    let sent = request_count(&server).await - before;
    assert!(
        (3..=6).contains(&sent),
        "{p} {op}: expected 3 attempts at the failing call, saw {sent} requests"
    );

    // A malformed body and a truncated one are Decode errors, not panics or empty lists.
    for (label, body) in [
        ("malformed", "{this is not json"),
        (
            "truncated",
            r#"[{"id":1,"name":"Acme Corp","identifier":"AC"#,
        ),
    ] {
        let (server, op, _, c) = start().await;
        mount_override(
            &server,
            ResponseTemplate::new(200)
                .set_body_string(body)
                .insert_header("content-type", "application/json"),
            None,
        )
        .await;
        let r = list(c, op).await;
        assert!(
            matches!(&r, Err(e) if e.kind() == ErrorKind::Decode),
            "{p} {op}: a {label} body must be Decode, got {r:?}"
        );
    }
}
