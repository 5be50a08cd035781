//! Following the request budget a platform reports in its headers, against
//! a local fake server: a reported total re-paces the limiter, a spent
//! budget holds requests back until the window resets (or ends the call when
//! that is too far off), requests in flight are counted, and headers that
//! make no sense change nothing.
//!
//! Waits are checked on tokio's paused clock, or through the wait a
//! `RateLimited` error reports, so that no test depends on the machine's speed.

// Helpers outside #[test] functions panic on purpose too: a failed set-up is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use mspkit_core::http::{BudgetHeaders, Http, RateLimit, RetryPolicy, client_builder};
use mspkit_core::{ErrorKind, Provider};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const WINDOW: Duration = Duration::from_secs(60);

fn budget() -> BudgetHeaders {
    BudgetHeaders::new("X-Left", WINDOW)
        .total("X-Total")
        .reset("X-Reset")
}

/// Answers in turn, repeating the last answer.
struct Script(Mutex<VecDeque<ResponseTemplate>>);

impl Script {
    fn new(answers: impl IntoIterator<Item = ResponseTemplate>) -> Self {
        Script(Mutex::new(answers.into_iter().collect()))
    }
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut answers = self.0.lock().unwrap();
        if answers.len() > 1 {
            answers.pop_front().unwrap()
        } else {
            answers.front().cloned().unwrap()
        }
    }
}

fn ok(pairs: &[(&str, &str)]) -> ResponseTemplate {
    let mut t = ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true}));
    for (name, value) in pairs {
        t = t.insert_header(*name, *value);
    }
    t
}

async fn serve(answers: impl IntoIterator<Item = ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/api/x"))
        .respond_with(Script::new(answers))
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> mspkit_core::http::HttpBuilder {
    Http::builder(Provider::Freshservice, format!("{}/api", server.uri()))
        .allow_insecure_http(true)
        .retry(
            RetryPolicy::new()
                .max_attempts(2)
                .base_delay(Duration::from_millis(5)),
        )
        // No client timeouts: on a paused clock they would fire while the
        // fake server, on its own thread, is still answering.
        .reqwest_client(client_builder().build().unwrap())
}

async fn count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

async fn get(http: &Http) -> mspkit_core::Result<()> {
    http.get("x", "x").send().await.map(drop)
}

// ---------------------------------------------------------------------------
// the pace

#[tokio::test]
async fn a_reported_total_replaces_the_default_pace_up_and_down() {
    let server = serve([
        ok(&[("x-total", "6000"), ("x-left", "5999")]),
        ok(&[("x-total", "3000"), ("x-left", "2998")]),
        ok(&[("x-total", "3000"), ("x-left", "2997")]),
    ])
    .await;
    let http = builder(&server)
        .rate_limit(RateLimit::per_minute(1))
        .budget_headers(budget())
        .build()
        .unwrap();
    let clone = http.clone();
    get(&http).await.unwrap();
    assert_eq!(clone.rate_limit(), Some(RateLimit::per_minute(6000)));
    // At the default's one a minute, these would take three minutes.
    tokio::time::timeout(Duration::from_secs(30), async {
        for _ in 0..3 {
            get(&clone).await.unwrap();
        }
    })
    .await
    .expect("the reported total paces the requests");
    assert_eq!(http.rate_limit(), Some(RateLimit::per_minute(3000)));
}

#[tokio::test(start_paused = true)]
async fn a_smaller_reported_total_slows_the_requests_down() {
    let server = serve([ok(&[("x-total", "4"), ("x-left", "1000")])]).await;
    let http = builder(&server)
        .rate_limit(RateLimit::per_second(100).burst(1))
        .budget_headers(BudgetHeaders::new("x-left", Duration::from_secs(1)).total("x-total"))
        .build()
        .unwrap();
    get(&http).await.unwrap();
    // The builder's burst of one stays: four a second, one at a time.
    assert_eq!(http.rate_limit(), Some(RateLimit::per_second(4).burst(1)));
    let start = tokio::time::Instant::now();
    for _ in 0..4 {
        get(&http).await.unwrap();
    }
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(990), "{took:?}");
}

#[tokio::test]
async fn a_chosen_limit_is_lowered_by_a_reported_total_but_never_raised() {
    let server = serve([
        ok(&[("x-total", "500"), ("x-left", "499")]),
        ok(&[("x-total", "60"), ("x-left", "58")]),
    ])
    .await;
    let http = builder(&server)
        .chosen_rate_limit(RateLimit::per_minute(100))
        .budget_headers(budget())
        .build()
        .unwrap();
    get(&http).await.unwrap();
    assert_eq!(http.rate_limit(), Some(RateLimit::per_minute(100)));
    get(&http).await.unwrap();
    assert_eq!(http.rate_limit(), Some(RateLimit::per_minute(60)));
}

// ---------------------------------------------------------------------------
// a spent budget

#[tokio::test(start_paused = true)]
async fn nothing_left_with_a_reset_header_waits_for_the_reset() {
    let server = serve([
        ok(&[("x-total", "100"), ("x-left", "0"), ("x-reset", "30")]),
        ok(&[("x-total", "100"), ("x-left", "99")]),
    ])
    .await;
    let http = builder(&server)
        .rate_limit(RateLimit::per_minute(100))
        .budget_headers(budget())
        .build()
        .unwrap();
    get(&http).await.unwrap();
    let start = tokio::time::Instant::now();
    let next = tokio::spawn({
        let http = http.clone();
        async move { get(&http).await }
    });
    tokio::time::sleep(Duration::from_secs(29)).await;
    assert_eq!(count(&server).await, 1, "nothing is sent before the reset");
    next.await.unwrap().unwrap();
    assert!(start.elapsed() >= Duration::from_secs(30));
    assert_eq!(count(&server).await, 2);
}

#[tokio::test(start_paused = true)]
async fn nothing_left_without_a_reset_header_waits_at_most_a_window() {
    let server = serve([
        ok(&[("x-left", "0")]),
        ok(&[("x-left", "0")]),
        ok(&[("x-left", "5")]),
    ])
    .await;
    let http = builder(&server).budget_headers(budget()).build().unwrap();
    get(&http).await.unwrap();
    let next = tokio::spawn({
        let http = http.clone();
        async move { get(&http).await }
    });
    tokio::time::sleep(WINDOW - Duration::from_secs(1)).await;
    assert_eq!(count(&server).await, 1, "the request is held back");
    next.await.unwrap().unwrap();
    assert_eq!(count(&server).await, 2);

    // How long a caller that will not wait is told the hold lasts: at most
    // the window from when nothing was left.
    let server = serve([ok(&[("x-left", "0")])]).await;
    let impatient = builder(&server)
        .retry(RetryPolicy::none().max_retry_after(Duration::from_secs(1)))
        .budget_headers(budget())
        .build()
        .unwrap();
    get(&impatient).await.unwrap();
    let err = get(&impatient).await.unwrap_err();
    let wait = err.retry_after().unwrap();
    assert!(wait > Duration::from_secs(1) && wait <= WINDOW, "{wait:?}");
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_wait_beyond_max_retry_after_is_rate_limited_without_sending() {
    let server = serve([ok(&[("x-left", "0"), ("x-reset", "30")])]).await;
    let http = builder(&server)
        .retry(RetryPolicy::new().max_retry_after(Duration::from_secs(10)))
        .budget_headers(budget())
        .build()
        .unwrap();
    get(&http).await.unwrap();
    let err = get(&http).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err:?}");
    let wait = err.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(29) && wait <= Duration::from_secs(30),
        "{wait:?}"
    );
    assert!(!err.reached_server());
    assert!(err.is_transient());
    assert_eq!(count(&server).await, 1, "no request was sent");
}

#[tokio::test]
async fn a_429s_retry_after_wins_over_the_windows_estimate() {
    let server = serve([ResponseTemplate::new(429)
        .insert_header("retry-after", "2")
        .insert_header("x-left", "0")])
    .await;
    let http = builder(&server)
        .retry(RetryPolicy::none().max_retry_after(Duration::from_secs(1)))
        .budget_headers(budget())
        .build()
        .unwrap();
    let err = get(&http).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
    // The next call is held for the 429's two seconds, not a whole window.
    let err = get(&http).await.unwrap_err();
    let wait = err.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(1) && wait <= Duration::from_secs(2),
        "{wait:?}"
    );
    assert_eq!(count(&server).await, 1);
}

#[tokio::test]
async fn a_429_that_leaves_budget_holds_back_no_other_request() {
    // A limit of one record (updates to one ticket), not the account's.
    let server = serve([
        ResponseTemplate::new(429)
            .insert_header("retry-after", "600")
            .insert_header("x-left", "500"),
        ok(&[("x-left", "499")]),
    ])
    .await;
    let http = builder(&server)
        .retry(RetryPolicy::none().max_retry_after(Duration::from_secs(1)))
        .budget_headers(budget())
        .build()
        .unwrap();
    let err = get(&http).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(600)));
    get(&http).await.unwrap();
    assert_eq!(count(&server).await, 2);
}

// ---------------------------------------------------------------------------
// in flight, nonsense, and providers without budget headers

#[tokio::test]
async fn callers_side_by_side_on_the_last_request_send_it_once() {
    let server = serve([
        ok(&[("x-total", "100"), ("x-left", "1")]),
        ok(&[("x-total", "100"), ("x-left", "0"), ("x-reset", "30")]),
    ])
    .await;
    let http = builder(&server)
        .rate_limit(RateLimit::per_minute(100))
        .retry(RetryPolicy::new().max_retry_after(Duration::from_secs(10)))
        .budget_headers(budget())
        .build()
        .unwrap();
    get(&http).await.unwrap();
    let results = futures::future::join_all((0..6).map(|_| get(&http))).await;
    let sent = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(sent, 1, "{results:?}");
    // The others waited for its answer, which put the reset too far off.
    for r in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(r.kind(), ErrorKind::RateLimited, "{r:?}");
        assert!(!r.reached_server());
    }
    assert_eq!(count(&server).await, 2);
}

#[tokio::test]
async fn unreadable_budget_headers_change_nothing() {
    let server = serve([ok(&[
        ("x-total", "lots"),
        ("x-left", "-3"),
        ("x-reset", "soon"),
    ])])
    .await;
    let http = builder(&server)
        .rate_limit(RateLimit::per_minute(100))
        .retry(RetryPolicy::none().max_retry_after(Duration::ZERO))
        .budget_headers(budget())
        .build()
        .unwrap();
    for _ in 0..5 {
        get(&http).await.unwrap();
    }
    assert_eq!(http.rate_limit(), Some(RateLimit::per_minute(100)));
    assert_eq!(count(&server).await, 5);
}

#[tokio::test]
async fn without_budget_headers_a_spent_budget_is_not_followed() {
    let server = serve([ok(&[("x-total", "1"), ("x-left", "0"), ("x-reset", "30")])]).await;
    let http = builder(&server)
        .rate_limit(RateLimit::per_minute(100))
        .retry(RetryPolicy::none().max_retry_after(Duration::ZERO))
        .build()
        .unwrap();
    for _ in 0..3 {
        get(&http).await.unwrap();
    }
    assert_eq!(http.rate_limit(), Some(RateLimit::per_minute(100)));
    assert_eq!(count(&server).await, 3);
}
