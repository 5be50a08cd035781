//! [`ConcurrencyCap`]: a responder wrapper for platforms that cap requests
//! in flight (Autotask: 3 per endpoint). It holds every admitted answer for
//! a delay, counts the requests in flight, answers beyond the cap with
//! 429 (or the platform's reply) and records the peak.
//!
//! wiremock answers one request at a time and then sleeps the delay
//! outside its lock, so "in flight" is measured by time: a request admitted
//! at `t` is in flight until `t + delay`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use wiremock::{Request, Respond, ResponseTemplate};

use crate::reply::Reply;

type KeyFn = dyn Fn(&Request) -> String + Send + Sync;

#[derive(Debug, Default)]
struct Counts {
    /// When each admitted request leaves, per key.
    leaving: HashMap<String, Vec<Instant>>,
    peak: usize,
    admitted: usize,
    refused: usize,
}

/// Counts requests in flight through `inner` and refuses those beyond the
/// cap. Clones share the counts, so keep one to read [`peak`](Self::peak).
///
/// ```
/// use std::time::Duration;
/// use mspkit_testkit::{ConcurrencyCap, Reply};
/// use serde_json::json;
/// use wiremock::ResponseTemplate;
///
/// let cap = ConcurrencyCap::new(ResponseTemplate::new(200), 3, Duration::from_millis(100))
///     .refusal(Reply::json(429, json!({"errors": ["Too many concurrent requests"]})))
///     .per_path();
/// // mount `cap.clone()`, run the client, then check `cap.peak() <= 3`.
/// # let _ = cap;
/// ```
pub struct ConcurrencyCap<R> {
    inner: Arc<R>,
    cap: usize,
    delay: Duration,
    refusal: Reply,
    key: Option<Arc<KeyFn>>,
    counts: Arc<Mutex<Counts>>,
}

impl<R> Clone for ConcurrencyCap<R> {
    fn clone(&self) -> Self {
        ConcurrencyCap {
            inner: self.inner.clone(),
            cap: self.cap,
            delay: self.delay,
            refusal: self.refusal.clone(),
            key: self.key.clone(),
            counts: self.counts.clone(),
        }
    }
}

impl<R: Respond> ConcurrencyCap<R> {
    /// At most `cap` requests in flight; each admitted answer from `inner`
    /// is held for `delay`. Beyond the cap: `429` with an empty body.
    pub fn new(inner: R, cap: usize, delay: Duration) -> Self {
        ConcurrencyCap {
            inner: Arc::new(inner),
            cap,
            delay,
            refusal: Reply::empty(429),
            key: None,
            counts: Arc::default(),
        }
    }

    /// What a request beyond the cap gets.
    pub fn refusal(mut self, reply: Reply) -> Self {
        self.refusal = reply;
        self
    }

    /// Counts each path separately (a cap per endpoint).
    pub fn per_path(self) -> Self {
        self.keyed_by(|r| r.url.path().to_ascii_lowercase())
    }

    /// Counts separately per key (a cap per whatever `key` says).
    pub fn keyed_by(mut self, key: impl Fn(&Request) -> String + Send + Sync + 'static) -> Self {
        self.key = Some(Arc::new(key));
        self
    }

    fn lock(&self) -> MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The most requests in flight at once (for one key), so far.
    pub fn peak(&self) -> usize {
        self.lock().peak
    }

    /// Requests admitted so far.
    pub fn admitted(&self) -> usize {
        self.lock().admitted
    }

    /// Requests refused for being beyond the cap.
    pub fn refused(&self) -> usize {
        self.lock().refused
    }
}

impl<R: Respond> Respond for ConcurrencyCap<R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let key = self.key.as_ref().map(|k| k(request)).unwrap_or_default();
        let now = Instant::now();
        {
            let mut counts = self.lock();
            let leaving = counts.leaving.entry(key).or_default();
            leaving.retain(|t| *t > now);
            if leaving.len() >= self.cap {
                counts.refused += 1;
                return self.refusal.template();
            }
            leaving.push(now + self.delay);
            let in_flight = leaving.len();
            counts.admitted += 1;
            counts.peak = counts.peak.max(in_flight);
        }
        self.inner.respond(request).set_delay(self.delay)
    }
}
