//! The hostile-server suite: the provider's own fake server, made to
//! misbehave the way real servers, gateways and proxies do, with checks that
//! the client ends in a typed error, never a short or doubled list, and
//! never gives a secret away.
//!
//! The misbehaviour is injected around the fake without knowing the
//! platform's shapes: the list's own first page is recorded and served
//! again, redirects point at a second server that records what reaches it,
//! and error bodies quote the request they refuse.

use std::sync::Arc;

use wiremock::matchers::any;
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use super::driver::{Ask, Suite};
use super::leaks::{Leaks, TraceCapture};
use crate::fake::FakeServer;
use mspkit_core::{ErrorKind, Operation, Provider};

fn retry() -> mspkit_core::http::RetryPolicy {
    crate::fast_retry()
}

/// Runs every hostile-server check.
pub(crate) async fn run<S: Suite>(s: &S) {
    let trace = TraceCapture::install();
    let mut leaks = Leaks::default();
    let p = redirects(s, &mut leaks).await;
    echoes(s, p, &mut leaks).await;
    page_selector_ignored(s, p, &mut leaks).await;
    bodies_without_the_list(s, p, &mut leaks).await;
    token_expiry_mid_walk(s, p, &mut leaks).await;
    posts_never_sent_twice(s, p, &mut leaks).await;
    leaks.assert_clean(p, &trace);
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// A fresh fake and a client of it; warmed up (a token fetched, a root
/// discovered) when `warm`.
async fn fresh<S: Suite>(s: &S, warm: bool) -> (FakeServer<S::Settings>, Box<S::Client>) {
    let fake = s.start().await;
    let c = s.client(&fake, retry()).expect("client builds");
    if warm {
        S::test_connection(&c).await.expect("warm-up call");
    }
    (fake, c)
}

/// Answers every request with a redirect to `to`, keeping the path.
struct RedirectTo(String, u16);

impl Respond for RedirectTo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let target = format!("{}{}", self.0, req.url.path());
        ResponseTemplate::new(self.1).insert_header("location", target.as_str())
    }
}

/// Redirects to another origin, from the very first request (a token
/// endpoint or a look-up) and from a list page: refused, and nothing at all
/// reaches the other server.
async fn redirects<S: Suite>(s: &S, leaks: &mut Leaks) -> Provider {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&elsewhere)
        .await;
    let mut provider = None;
    for (warm, status) in [(false, 307), (true, 302)] {
        let (fake, c) = fresh(s, warm).await;
        let p = S::provider(&c);
        provider = Some(p);
        Mock::given(any())
            .respond_with(RedirectTo(elsewhere.uri(), status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let r = if warm {
            let (list, _) = S::primary(&S::capabilities(&c));
            S::rows(&c, list, &Ask::default()).await.map(drop)
        } else {
            S::test_connection(&c).await
        };
        leaks.note_result("a cross-origin redirect", &r);
        assert!(
            r.is_err(),
            "{p}: a {status} to another host was followed (warm: {warm})"
        );
        let reached = requests(&elsewhere).await;
        assert!(
            reached.is_empty(),
            "{p}: a request followed a {status} to another host: {} {}",
            reached[0].method,
            reached[0].url.path()
        );
        leaks.secrets(fake.all_secrets());
    }
    provider.expect("at least one client was built")
}

/// Answers with the request it got, headers and body included, as gateways
/// that quote what they refused do.
struct Echo(u16);

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let headers: Vec<String> = req
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("")))
            .collect();
        ResponseTemplate::new(self.0).set_body_json(serde_json::json!({
            "message": format!("refused {} {} {}", req.method, req.url, headers.join("; ")),
            "error": String::from_utf8_lossy(&req.body),
            "errors": headers,
        }))
    }
}

/// Error bodies that quote the request, on the first request (a token or
/// login endpoint) and on a list: the suite's leak search must find nothing.
async fn echoes<S: Suite>(s: &S, p: Provider, leaks: &mut Leaks) {
    for (warm, status) in [(false, 400), (false, 401), (true, 500), (true, 400)] {
        let (fake, c) = fresh(s, warm).await;
        Mock::given(any())
            .respond_with(Echo(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let r = if warm {
            let (list, _) = S::primary(&S::capabilities(&c));
            S::rows(&c, list, &Ask::default()).await.map(drop)
        } else {
            S::test_connection(&c).await
        };
        leaks.note_result(&format!("an echoing {status}"), &r);
        assert!(r.is_err(), "{p}: an echoing {status} was taken as success");
        leaks.secrets(fake.all_secrets());
    }
}

/// The path a list's pages share: the path without a trailing page number.
fn family(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some((head, last)) if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => path,
    }
}

/// Matches the requests of one list: its method, and a path in its family.
struct OfList {
    method: String,
    family: String,
}

impl Match for OfList {
    fn matches(&self, req: &Request) -> bool {
        req.method.as_str() == self.method && family(req.url.path()).starts_with(&self.family)
    }
}

/// Walks the primary list in small pages and returns the matcher for its
/// requests and the first page's request, or `None` when it is not paged.
async fn record_list<S: Suite>(
    s: &S,
    c: &S::Client,
    fake: &FakeServer<S::Settings>,
) -> Option<(Operation, OfList, Request)> {
    let (list, _) = S::primary(&S::capabilities(c));
    if s.unpaged().contains(&list) {
        return None;
    }
    let total = S::lists(&fake.expected)
        .into_iter()
        .find(|(op, _)| *op == list)
        .and_then(|(_, n)| n)?;
    let before = requests(&fake.server).await.len();
    let ask = Ask {
        page_size: Some(total.div_ceil(3).max(1) as u32),
        ..Ask::default()
    };
    S::rows(c, list, &ask).await.ok()?;
    let walk: Vec<Request> = requests(&fake.server).await.split_off(before);
    // The list is the family most of the walk's requests belong to.
    let best = walk
        .iter()
        .map(|r| family(r.url.path()).to_owned())
        .max_by_key(|f| {
            let n = walk
                .iter()
                .filter(|r| family(r.url.path()).starts_with(f.as_str()))
                .count();
            (n, std::cmp::Reverse(f.len()))
        })?;
    let first = walk
        .iter()
        .find(|r| family(r.url.path()).starts_with(best.as_str()))?
        .clone();
    let matcher = OfList {
        method: first.method.to_string(),
        family: best,
    };
    Some((list, matcher, first))
}

/// Sends `req` again to the fake, as it was sent, and keeps the answer.
async fn replay(fake_uri: &str, req: &Request) -> ResponseTemplate {
    let client = mspkit_core::http::client_builder()
        .build()
        .expect("a client for the replay");
    let url = format!(
        "{fake_uri}{}{}",
        req.url.path(),
        req.url.query().map(|q| format!("?{q}")).unwrap_or_default()
    );
    let method =
        reqwest::Method::from_bytes(req.method.as_str().as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut out = client.request(method, url).body(req.body.clone());
    for (k, v) in &req.headers {
        if !matches!(k.as_str(), "host" | "content-length") {
            out = out.header(k.as_str(), v.as_bytes());
        }
    }
    let resp = out.send().await.expect("the fake answers the replay");
    let status = resp.status().as_u16();
    let mut template = ResponseTemplate::new(status);
    for (k, v) in resp.headers() {
        if matches!(k.as_str(), "content-type" | "link") {
            template = template.insert_header(k.as_str(), v.as_bytes());
        }
    }
    let body = resp.bytes().await.expect("the replay's body");
    template.set_body_bytes(body.to_vec())
}

/// A server or proxy that ignores the page selector serves page one again
/// and again: the walk ends with a paging error, never with the first page
/// repeated as a list.
async fn page_selector_ignored<S: Suite>(s: &S, p: Provider, leaks: &mut Leaks) {
    let (fake, c) = fresh(s, true).await;
    let Some((list, matcher, first)) = record_list(s, &c, &fake).await else {
        return;
    };
    let page_one = replay(&fake.uri(), &first).await;
    Mock::given(matcher)
        .respond_with(page_one)
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let total = S::lists(&fake.expected)
        .into_iter()
        .find(|(op, _)| *op == list)
        .and_then(|(_, n)| n)
        .unwrap_or(3);
    let ask = Ask {
        page_size: Some(total.div_ceil(3).max(1) as u32),
        ..Ask::default()
    };
    let r = S::rows(&c, list, &ask).await;
    leaks.note_result("the page selector ignored", &r);
    match &r {
        Err(e) if e.kind() == ErrorKind::Paging => {}
        // Harmless only if nothing was repeated (page one was the whole
        // list for that request): never an item twice.
        Ok(rows) => {
            let mut seen = std::collections::HashSet::new();
            for (id, _) in rows {
                assert!(
                    seen.insert(id.clone()),
                    "{p} {list}: a server serving page one again made the list yield {id} twice"
                );
            }
        }
        Err(e) => panic!(
            "{p} {list}: a server serving page one again must end in a paging error, got {e}"
        ),
    }
    leaks.secrets(fake.all_secrets());
}

/// A list answered with 200 but no list (an error object, a login page):
/// an error, never an empty list.
async fn bodies_without_the_list<S: Suite>(s: &S, p: Provider, leaks: &mut Leaks) {
    let answers = [
        (
            "an error object with 200",
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "message": "An error occurred while processing the request"
            })),
        ),
        (
            "an HTML page with 200",
            ResponseTemplate::new(200).set_body_raw(
                "<!DOCTYPE html><html><body><form>Sign in</form></body></html>",
                "text/html",
            ),
        ),
    ];
    for (label, answer) in answers {
        let (fake, c) = fresh(s, true).await;
        let (list, _) = S::primary(&S::capabilities(&c));
        Mock::given(any())
            .respond_with(answer)
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let r = S::rows(&c, list, &Ask::default()).await;
        leaks.note_result(label, &r);
        match &r {
            Err(e) if e.kind() == ErrorKind::Decode || e.kind() == ErrorKind::Api => {}
            other => panic!(
                "{p} {list}: {label} must be a Decode error, got {:?}",
                other.as_ref().map(Vec::len)
            ),
        }
        leaks.secrets(fake.all_secrets());
    }
}

/// Tokens that expire every two calls: a paged walk renews them and still
/// returns the whole list.
async fn token_expiry_mid_walk<S: Suite>(s: &S, p: Provider, leaks: &mut Leaks) {
    let (fake, c) = fresh(s, true).await;
    let Some(tokens) = fake.tokens.clone() else {
        return;
    };
    let (list, _) = S::primary(&S::capabilities(&c));
    let Some(total) = S::lists(&fake.expected)
        .into_iter()
        .find(|(op, _)| *op == list)
        .and_then(|(_, n)| n)
    else {
        return;
    };
    tokens.expire_after_uses(2);
    let ask = Ask {
        page_size: Some(total.div_ceil(3).max(1) as u32),
        ..Ask::default()
    };
    let r = S::rows(&c, list, &ask).await;
    leaks.note_result("token expiry mid-walk", &r);
    let got = r.unwrap_or_else(|e| panic!("{p} {list}: tokens expiring mid-walk: {e}"));
    assert_eq!(
        got.len(),
        total,
        "{p} {list}: the list after token renewals is not whole"
    );
    leaks.secrets(fake.all_secrets());
}

/// Fails every request whose body carries `marker`, counting them.
struct FailMarked {
    marker: &'static str,
    seen: Arc<std::sync::atomic::AtomicUsize>,
}

impl Match for FailMarked {
    fn matches(&self, req: &Request) -> bool {
        let hit = String::from_utf8_lossy(&req.body).contains(self.marker);
        if hit {
            self.seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        hit
    }
}

/// A write that got a 500 is never sent again: the server may have acted.
async fn posts_never_sent_twice<S: Suite>(s: &S, p: Provider, leaks: &mut Leaks) {
    const MARKER: &str = "Printer on floor 3 jams hostile-check";
    let (fake, c) = fresh(s, true).await;
    if !S::capabilities(&c).supports(Operation::CreateTicket) {
        return;
    }
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    Mock::given(FailMarked {
        marker: MARKER,
        seen: seen.clone(),
    })
    .respond_with(ResponseTemplate::new(500).set_body_string("Internal Server Error"))
    .with_priority(1)
    .mount(&fake.server)
    .await;
    let r = S::create_ticket(&c, MARKER).await;
    leaks.note_result("a create that got 500", &r);
    assert!(
        r.is_err(),
        "{p}: a create answered 500 was taken as success"
    );
    if matches!(&r, Err(e) if !e.reached_server()) {
        // Refused before sending (the platform needs more than a summary).
        leaks.secrets(fake.all_secrets());
        return;
    }
    let sent = seen.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        sent, 1,
        "{p} create_ticket: a write answered 500 was sent {sent} times"
    );
    leaks.secrets(fake.all_secrets());
}
