//! The checks themselves, written once for both suites against [`Suite`],
//! which the PSA and RMM adapters implement.

use std::collections::HashSet;
use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{Capabilities, ErrorKind, Id, Operation, Provider, Result};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::leaks::{Leaks, TraceCapture};
use super::probe_instant;
use crate::fake::{Expected, FakeServer};

/// One item of a list as the checks see it: its id and, where the model
/// has one, the time it last changed.
pub(crate) type Row = (Id, Option<DateTime<Utc>>);

/// The query a check asks a list with.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ask {
    pub page_size: Option<u32>,
    pub limit: Option<usize>,
    pub since: Option<DateTime<Utc>>,
}

/// What the driver needs of a suite: the harness's answers, and each
/// operation of the client's trait reached by its [`Operation`].
#[async_trait]
pub(crate) trait Suite: Sync {
    type Settings: Send + Sync + Debug;
    type Client: ?Sized + Send + Sync + Debug;

    async fn start(&self) -> FakeServer<Self::Settings>;
    fn client(
        &self,
        fake: &FakeServer<Self::Settings>,
        retry: RetryPolicy,
    ) -> Result<Box<Self::Client>>;
    fn server_side_updated_since(&self) -> Vec<Operation>;
    fn updated_since_params(&self) -> Vec<(Operation, &'static str)>;
    fn documented_rate_limit(&self) -> Option<RateLimit>;
    async fn default_transport(&self, fake: &FakeServer<Self::Settings>) -> Option<Http>;
    fn unpaged(&self) -> Vec<Operation>;
    fn concurrency_cap(&self) -> Option<usize>;

    fn provider(c: &Self::Client) -> Provider;
    fn capabilities(c: &Self::Client) -> Capabilities;
    async fn test_connection(c: &Self::Client) -> Result<()>;
    /// The lists of the trait and how many items the fake holds in each.
    fn lists(e: &Expected) -> Vec<(Operation, Option<usize>)>;
    async fn rows(c: &Self::Client, op: Operation, ask: &Ask) -> Result<Vec<Row>>;
    /// The single reads of the trait and an id the fake holds for each.
    fn singles(e: &Expected) -> Vec<(Operation, Option<Id>)>;
    async fn single(c: &Self::Client, op: Operation, id: &Id) -> Result<Id>;
    /// The lists under one item (a ticket's notes, a device's software):
    /// the operation, the parent and how many the fake holds.
    fn children(e: &Expected) -> Vec<(Operation, Option<(Id, usize)>)>;
    async fn child_rows(c: &Self::Client, op: Operation, parent: &Id) -> Result<Vec<Id>>;
    /// Every operation of the trait, called once with throw-away input.
    fn all_operations() -> Vec<Operation>;
    async fn call(c: &Self::Client, op: Operation) -> Result<()>;
    /// Creates a ticket with this summary (PSA only).
    async fn create_ticket(c: &Self::Client, summary: &str) -> Result<()>;
    /// The list failure checks use, and the single read for the 404 check.
    fn primary(caps: &Capabilities) -> (Operation, Operation);
}

fn retry() -> RetryPolicy {
    crate::fast_retry()
}

/// The attempts [`retry`] allows.
const ATTEMPTS: usize = 3;

const PROBE_FORMS: [&str; 4] = ["2024-03-05", "1709618828", "03/05/2024", "05/03/2024"];

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

async fn request_count(server: &MockServer) -> usize {
    requests(server).await.len()
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

fn unique_ids(label: &str, ids: &[Row], expected: usize) {
    let mut seen = HashSet::new();
    for (id, _) in ids {
        assert!(
            seen.insert(id.clone()),
            "{label}: id {id} was yielded twice"
        );
    }
    assert_eq!(
        ids.len(),
        expected,
        "{label}: expected {expected} items, got {}",
        ids.len()
    );
}

fn is_unsupported<T>(r: &Result<T>) -> bool {
    matches!(r, Err(e) if e.kind() == ErrorKind::Unsupported)
}

/// The request text a parameter check reads: the URL, decoded, and the body.
fn request_text(r: &wiremock::Request) -> String {
    let decoded: String = url::form_urlencoded::parse(r.url.query().unwrap_or("").as_bytes())
        .map(|(k, v)| format!("{k}={v}&"))
        .collect();
    format!("{} {decoded} {}", r.url, String::from_utf8_lossy(&r.body))
}

/// Runs every check of the suite.
pub(crate) async fn run<S: Suite>(s: &S) {
    let trace = TraceCapture::install();
    let mut leaks = Leaks::default();

    let fake = s.start().await;
    let client = s
        .client(&fake, retry())
        .expect("the client builds for the fake server");
    let p = S::provider(&client);
    let caps = S::capabilities(&client);
    let r = S::test_connection(&client).await;
    leaks.note_result("test_connection", &r);
    r.unwrap_or_else(|e| panic!("{p}: test_connection failed: {e}"));
    leaks.note("the client's Debug", format!("{client:?}"));
    leaks.note("the settings' Debug", format!("{:?}", fake.settings));

    lists(s, p, &caps, &client, &fake, &mut leaks).await;
    singles::<S>(p, &caps, &client, &fake, &mut leaks).await;
    unsupported::<S>(p, &caps, &client, &fake, &mut leaks).await;
    updated_since(s, p, &caps, &client, &fake, &mut leaks).await;
    rate_limit(s, p, &fake).await;
    leaks.secrets(fake.all_secrets());
    drop(client);
    drop(fake);

    concurrency(s, p, &mut leaks).await;
    failures(s, p, &mut leaks).await;
    leaks.assert_clean(p, &trace);
}

/// Every advertised list returns every item once, through three or more
/// pages at a third of its size, and honours `limit`.
async fn lists<S: Suite>(
    s: &S,
    p: Provider,
    caps: &Capabilities,
    c: &S::Client,
    fake: &FakeServer<S::Settings>,
    leaks: &mut Leaks,
) {
    let unpaged = s.unpaged();
    for (op, expected) in S::lists(&fake.expected) {
        let label = format!("{p} {op}");
        let whole = S::rows(c, op, &Ask::default()).await;
        leaks.note_result(&label, &whole);
        if !caps.supports(op) {
            assert!(
                is_unsupported(&whole),
                "{label}: not advertised, so must be Unsupported, got {whole:?}"
            );
            continue;
        }
        let expected = expected.unwrap_or_else(|| {
            panic!("{label}: supported, but the fake server's Expected has no count for it")
        });
        let whole = whole.unwrap_or_else(|e| panic!("{label}: {e}"));
        unique_ids(&label, &whole, expected);
        if unpaged.contains(&op) {
            continue;
        }
        assert!(
            expected >= 3,
            "{label}: the fake holds {expected} items; a paged list needs at least 3 to be paged"
        );
        let before = request_count(&fake.server).await;
        let ask = Ask {
            page_size: Some(expected.div_ceil(3) as u32),
            ..Ask::default()
        };
        let paged = S::rows(c, op, &ask).await;
        leaks.note_result(&label, &paged);
        let paged = paged.unwrap_or_else(|e| panic!("{label} in small pages: {e}"));
        unique_ids(&format!("{label} in small pages"), &paged, expected);
        let pages = request_count(&fake.server).await - before;
        assert!(
            pages >= 3,
            "{label}: expected 3 or more page requests at page size {}, saw {pages}",
            expected.div_ceil(3)
        );
        let limited = S::rows(
            c,
            op,
            &Ask {
                limit: Some(2),
                ..Ask::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{label} limited: {e}"));
        assert_eq!(limited.len(), 2, "{label}: limit(2) not honoured");
    }
    for (op, child) in S::children(&fake.expected) {
        let label = format!("{p} {op}");
        let (parent, expected) = match child {
            Some(c) => c,
            None if caps.supports(op) => {
                panic!("{label}: supported, but the fake server's Expected names no parent")
            }
            None => (Id::from("1"), 0),
        };
        let got = S::child_rows(c, op, &parent).await;
        leaks.note_result(&label, &got);
        if !caps.supports(op) {
            assert!(
                is_unsupported(&got),
                "{label}: not advertised, so must be Unsupported"
            );
            continue;
        }
        let got = got.unwrap_or_else(|e| panic!("{label} of {parent}: {e}"));
        assert_eq!(got.len(), expected, "{label} of {parent}: count");
    }
}

/// Each single read returns the item that was asked for.
async fn singles<S: Suite>(
    p: Provider,
    caps: &Capabilities,
    c: &S::Client,
    fake: &FakeServer<S::Settings>,
    leaks: &mut Leaks,
) {
    for (op, id) in S::singles(&fake.expected) {
        if !caps.supports(op) {
            continue;
        }
        let id =
            id.unwrap_or_else(|| panic!("{p} {op}: supported, but Expected names no id for it"));
        let got = S::single(c, op, &id).await;
        leaks.note_result(&format!("{p} {op}"), &got);
        let got = got.unwrap_or_else(|e| panic!("{p} {op} {id}: {e}"));
        assert_eq!(got, id, "{p} {op}: asked for {id}, got {got}");
    }
}

/// Operations that are not advertised say `Unsupported` without a request.
async fn unsupported<S: Suite>(
    p: Provider,
    caps: &Capabilities,
    c: &S::Client,
    fake: &FakeServer<S::Settings>,
    leaks: &mut Leaks,
) {
    for op in S::all_operations() {
        if caps.supports(op) {
            continue;
        }
        let before = request_count(&fake.server).await;
        let r = S::call(c, op).await;
        leaks.note_result(&format!("{p} {op}"), &r);
        assert!(
            is_unsupported(&r),
            "{p} {op}: not advertised, so must be Unsupported, got {r:?}"
        );
        let sent = request_count(&fake.server).await - before;
        assert_eq!(
            sent, 0,
            "{p} {op}: Unsupported must not send a request; sent {sent}"
        );
    }
}

/// `updated_since` reaches the request as the documented parameter where
/// the platform filters, and no item changed before the instant comes back.
async fn updated_since<S: Suite>(
    s: &S,
    p: Provider,
    caps: &Capabilities,
    c: &S::Client,
    fake: &FakeServer<S::Settings>,
    leaks: &mut Leaks,
) {
    let since = probe_instant();
    let server_side = s.server_side_updated_since();
    let params = s.updated_since_params();
    for (op, _) in S::lists(&fake.expected) {
        if !caps.supports(op) {
            continue;
        }
        let label = format!("{p} {op} updated_since");
        let before = request_count(&fake.server).await;
        let ask = Ask {
            since: Some(since),
            ..Ask::default()
        };
        let got = S::rows(c, op, &ask).await;
        leaks.note_result(&label, &got);
        let got = got.unwrap_or_else(|e| panic!("{label}: {e}"));
        for (id, at) in &got {
            if let Some(at) = at {
                assert!(
                    *at >= since,
                    "{label}: item {id} changed at {at}, before {since}, came back"
                );
            }
        }
        if !server_side.contains(&op) {
            continue;
        }
        let param = params
            .iter()
            .find(|(o, _)| *o == op)
            .map(|(_, name)| *name)
            .unwrap_or_else(|| {
                panic!("{label}: filtered server-side, but updated_since_params() names no parameter for it")
            });
        let sent: Vec<String> = requests(&fake.server)
            .await
            .iter()
            .skip(before)
            .map(request_text)
            .collect();
        assert!(
            sent.iter()
                .any(|t| t.contains(param) && PROBE_FORMS.iter().any(|f| t.contains(f))),
            "{label}: no request carried `{param}` with the instant; sent: {sent:?}"
        );
    }
}

/// The client's default transport applies the platform's limit.
async fn rate_limit<S: Suite>(s: &S, p: Provider, fake: &FakeServer<S::Settings>) {
    let http = s.default_transport(fake).await.unwrap_or_else(|| {
        panic!("{p}: the harness gives no default_transport, so its rate limit cannot be checked")
    });
    assert_eq!(
        http.rate_limit(),
        s.documented_rate_limit(),
        "{p}: the default rate limit is not the documented one"
    );
}

/// With a concurrency cap, a burst of reads stays under it: the fake
/// refuses beyond the cap, so any excess shows as an extra (retried) request.
async fn concurrency<S: Suite>(s: &S, p: Provider, leaks: &mut Leaks) {
    let Some(cap) = s.concurrency_cap() else {
        return;
    };
    let fake = s.start().await;
    let c = s.client(&fake, retry()).expect("client builds");
    S::test_connection(&c).await.expect("warm-up call");
    let caps = S::capabilities(&c);
    let (_, single) = S::primary(&caps);
    let id = S::singles(&fake.expected)
        .into_iter()
        .find(|(op, _)| *op == single)
        .and_then(|(_, id)| id)
        .unwrap_or_else(|| panic!("{p}: Expected names no id for {single}"));
    // One read first: one-time look-ups a read makes (a tenant's field
    // lists, names) are not part of the burst.
    S::single(&c, single, &id)
        .await
        .unwrap_or_else(|e| panic!("{p} {single} {id}: {e}"));
    let before = request_count(&fake.server).await;
    let calls = cap * 3;
    let results = futures::future::join_all((0..calls).map(|_| S::single(&c, single, &id))).await;
    for r in &results {
        leaks.note_result(&format!("{p} {single} burst"), r);
    }
    assert!(
        results.iter().all(Result::is_ok),
        "{p} {single}: a burst of {calls} under a cap of {cap} failed: {:?}",
        results.iter().find(|r| r.is_err())
    );
    let sent = request_count(&fake.server).await - before;
    assert_eq!(
        sent, calls,
        "{p} {single}: {calls} calls sent {sent} requests: the cap of {cap} in flight was exceeded"
    );
    leaks.secrets(fake.all_secrets());
}

/// Failure mapping, each on a fresh server with a warmed-up client.
async fn failures<S: Suite>(s: &S, p: Provider, leaks: &mut Leaks) {
    async fn fresh<S: Suite>(
        s: &S,
    ) -> (
        FakeServer<S::Settings>,
        Box<S::Client>,
        Operation,
        Operation,
        Option<usize>,
    ) {
        let fake = s.start().await;
        let c = s.client(&fake, retry()).expect("client builds");
        S::test_connection(&c).await.expect("warm-up call");
        let (list, single) = S::primary(&S::capabilities(&c));
        let expected = S::lists(&fake.expected)
            .into_iter()
            .find(|(op, _)| *op == list)
            .and_then(|(_, n)| n);
        (fake, c, list, single, expected)
    }

    // A web page where the API should answer (a base URL naming the web UI,
    // which serves its page at every path with 200): the first call fails,
    // never passes, and says what to check.
    let fake = s.start().await;
    let c = s.client(&fake, retry()).expect("client builds");
    let page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><div id=\"app\"></div></body></html>";
    mount_override(
        &fake.server,
        ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8"),
        None,
    )
    .await;
    let r = S::test_connection(&c).await;
    leaks.note_result("web page", &r);
    match &r {
        Err(e) => assert!(
            e.hint().is_some(),
            "{p}: a web page on first contact must say what to check, got {e:?}"
        ),
        Ok(()) => panic!("{p}: test_connection passed on a web page instead of the API"),
    }

    // 401: credentials refused (a token strategy renews once, then gives up).
    let (fake, c, _, _, _) = fresh(s).await;
    mount_override(
        &fake.server,
        ResponseTemplate::new(401).set_body_string(r#"{"message":"Unauthorized"}"#),
        None,
    )
    .await;
    let r = S::test_connection(&c).await;
    leaks.note_result("401", &r);
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized),
        "{p}: 401 must be Unauthorized, got {r:?}"
    );
    leaks.secrets(fake.all_secrets());

    // 403: forbidden.
    let (fake, c, list, _, _) = fresh(s).await;
    mount_override(
        &fake.server,
        ResponseTemplate::new(403).set_body_string(r#"{"message":"Forbidden"}"#),
        None,
    )
    .await;
    let r = S::rows(&c, list, &Ask::default()).await;
    leaks.note_result("403", &r);
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Forbidden),
        "{p} {list}: 403 must be Forbidden, got {r:?}"
    );
    leaks.secrets(fake.all_secrets());

    // 404: not found, on a single read, naming what was asked for.
    let (fake, c, _, single, _) = fresh(s).await;
    mount_override(
        &fake.server,
        ResponseTemplate::new(404).set_body_string(r#"{"message":"Not found"}"#),
        None,
    )
    .await;
    let missing = Id::from("999999");
    let r = S::single(&c, single, &missing).await;
    leaks.note_result("404", &r);
    let e = match &r {
        Err(e) if e.kind() == ErrorKind::NotFound => e,
        other => panic!("{p} {single}: 404 must be NotFound, got {other:?}"),
    };
    if let Some(target) = e.target() {
        assert_eq!(target, "999999", "{p}: {e:?}");
        assert!(e.to_string().contains(" 999999: not found"), "{p}: {e}");
    }
    leaks.secrets(fake.all_secrets());

    // 429 with Retry-After: waited out, then the list arrives whole.
    let (fake, c, list, _, expected) = fresh(s).await;
    let before = request_count(&fake.server).await;
    mount_override(
        &fake.server,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        Some(1),
    )
    .await;
    let started = std::time::Instant::now();
    let r = S::rows(&c, list, &Ask::default()).await;
    leaks.note_result("429", &r);
    let n = r
        .unwrap_or_else(|e| panic!("{p} {list}: a 429 then success must succeed, got {e}"))
        .len();
    assert_eq!(
        Some(n),
        expected,
        "{p} {list}: the list after a 429 is not whole"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "{p} {list}: Retry-After was not honoured"
    );
    assert!(
        request_count(&fake.server).await > before + 1,
        "{p} {list}: the 429 was not retried"
    );
    leaks.secrets(fake.all_secrets());

    // A 500 storm ends in Server after exactly the policy's attempts.
    let (fake, c, list, _, _) = fresh(s).await;
    let before = request_count(&fake.server).await;
    mount_override(
        &fake.server,
        ResponseTemplate::new(500).set_body_string("Internal Server Error"),
        None,
    )
    .await;
    let r = S::rows(&c, list, &Ask::default()).await;
    leaks.note_result("500", &r);
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Server && e.status() == Some(500)),
        "{p} {list}: 500s must end in Server, got {r:?}"
    );
    let sent = request_count(&fake.server).await - before;
    assert_eq!(
        sent, ATTEMPTS,
        "{p} {list}: expected exactly {ATTEMPTS} attempts at the failing call, saw {sent} requests"
    );
    leaks.secrets(fake.all_secrets());

    // A malformed body and a truncated one are Decode errors, not panics or empty lists.
    for (label, body) in [
        ("malformed", "{this is not json"),
        (
            "truncated",
            r#"[{"id":1,"name":"Acme Corp","identifier":"AC"#,
        ),
    ] {
        let (fake, c, list, _, _) = fresh(s).await;
        mount_override(
            &fake.server,
            ResponseTemplate::new(200)
                .set_body_string(body)
                .insert_header("content-type", "application/json"),
            None,
        )
        .await;
        let r = S::rows(&c, list, &Ask::default()).await;
        leaks.note_result(label, &r);
        assert!(
            matches!(&r, Err(e) if e.kind() == ErrorKind::Decode),
            "{p} {list}: a {label} body must be Decode, got {r:?}"
        );
        leaks.secrets(fake.all_secrets());
    }
}
