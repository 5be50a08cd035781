//! Following the request budget a platform reports in its response headers.
//!
//! A fixed token bucket has to start from a guess (the smallest plan's
//! limit), and it cannot see the other integrations that spend the same
//! account-wide budget. Platforms that say on every answer what the window
//! allows and what is left let the transport do better: pace to the plan's
//! real budget, and hold requests back when nothing is left instead of
//! sending them only to earn a 429.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::rate_limit::{RateLimit, RateLimiter};

/// The longest hold or window taken from anyone: an instant further off
/// than this could overflow the clock, and no budget renews that slowly.
const FARTHEST: Duration = Duration::from_secs(366 * 24 * 3600);

/// `now` plus `wait`, without overflowing the clock whatever a header says.
fn after(now: Instant, wait: Duration) -> Instant {
    now + wait.min(FARTHEST)
}

/// Where a platform reports its request budget: the header that says how
/// many requests are left in the current window (required), optionally the
/// window's total and the seconds until it resets, and the window's length.
///
/// Each header may have several names, for a platform that sends the same
/// figure under an old and a new name; the first name that carries a
/// readable value wins. Names are matched without regard to case.
///
/// ```
/// use std::time::Duration;
/// use mspkit_core::http::BudgetHeaders;
///
/// let budget = BudgetHeaders::new("X-Rate-Limit-Remaining", Duration::from_secs(60))
///     .remaining("ratelimit-remaining")
///     .total("X-Rate-Limit")
///     .total("ratelimit-limit")
///     .reset("ratelimit-reset");
/// assert_eq!(budget.window(), Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetHeaders {
    total: Vec<String>,
    remaining: Vec<String>,
    reset: Vec<String>,
    window: Duration,
}

/// What one response said about the budget. A figure is `None` when its
/// header is absent or unreadable: odd values are ignored, never an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BudgetReading {
    /// Requests the window allows (a zero total is ignored: it cannot pace).
    pub total: Option<u32>,
    /// Requests left in the current window.
    pub remaining: Option<u32>,
    /// How long until the window resets.
    pub reset_in: Option<Duration>,
}

impl BudgetHeaders {
    /// A budget whose remaining requests are in the header `remaining`, for
    /// a window of `window` (a minute for a per-minute budget). Without a
    /// reset header, an exhausted budget is waited out for at most one
    /// window.
    pub fn new(remaining: &str, window: Duration) -> Self {
        BudgetHeaders {
            total: Vec::new(),
            remaining: vec![remaining.to_ascii_lowercase()],
            reset: Vec::new(),
            // A zero window would make the reported total an infinite rate.
            window: window.clamp(Duration::from_millis(1), FARTHEST),
        }
    }

    /// Another name for the remaining-requests header.
    pub fn remaining(mut self, name: &str) -> Self {
        self.remaining.push(name.to_ascii_lowercase());
        self
    }

    /// A header holding the window's total; a reported total becomes the
    /// client's pace. Call again for another name of the same header.
    pub fn total(mut self, name: &str) -> Self {
        self.total.push(name.to_ascii_lowercase());
        self
    }

    /// A header holding the seconds until the window resets, so that an
    /// exhausted budget is waited out no longer than needed. Call again for
    /// another name of the same header.
    pub fn reset(mut self, name: &str) -> Self {
        self.reset.push(name.to_ascii_lowercase());
        self
    }

    /// The window the budget renews over.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Reads the budget from a response's headers.
    pub fn read(&self, headers: &HeaderMap) -> BudgetReading {
        BudgetReading {
            total: first(headers, &self.total, count).filter(|n| *n > 0),
            remaining: first(headers, &self.remaining, count),
            reset_in: first(headers, &self.reset, seconds),
        }
    }
}

/// The first of `names` whose value `parse` accepts.
fn first<T>(headers: &HeaderMap, names: &[String], parse: fn(&str) -> Option<T>) -> Option<T> {
    names.iter().find_map(|name| {
        let value = headers.get(name.as_str())?;
        let parsed = value.to_str().ok().and_then(|v| parse(v.trim()));
        if parsed.is_none() {
            // The value is not quoted: a proxy could put anything there.
            tracing::debug!(
                header = name.as_str(),
                "ignoring an unreadable budget header"
            );
        }
        parsed
    })
}

/// A whole number of requests; a figure beyond `u32` is as good as endless.
fn count(v: &str) -> Option<u32> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        v.parse::<u64>()
            .map_or(u32::MAX, |n| u32::try_from(n).unwrap_or(u32::MAX)),
    )
}

/// Seconds, whole or not.
fn seconds(v: &str) -> Option<Duration> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let secs = v.parse::<f64>().ok()?;
    Duration::try_from_secs_f64(secs).ok()
}

/// The budget a transport and its clones follow, with its own count of
/// what they have sent since the platform last said what was left.
pub(crate) struct Budget {
    headers: BudgetHeaders,
    limiter: Option<RateLimiter>,
    /// The limit the transport was built with, and whether the caller chose
    /// it: a chosen one is never raised by a reported total.
    base: Option<(RateLimit, bool)>,
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Debug, Default)]
struct State {
    /// The window's total, as last reported.
    total: Option<u32>,
    /// What the platform last said was left, less what was sent since;
    /// `None` while unknown (nothing is held back then).
    remaining: Option<u32>,
    /// Requests sent and not yet answered.
    in_flight: u32,
    /// When an exhausted budget is expected back; set whenever
    /// `remaining` is `Some(0)`.
    resets_at: Option<Instant>,
    /// Counts the times `remaining` was taken from the platform, so that a
    /// request given back is not added to a newer figure that never counted it.
    epoch: u64,
}

/// Why a request may not go yet.
pub(crate) struct Hold {
    /// When the budget is expected back.
    pub(crate) until: Instant,
    /// Whether an answer is still due that may lift the hold earlier.
    pub(crate) pending: bool,
}

/// One request's share of the budget, taken before it is sent. Dropped
/// without an answer, it frees its place among the requests in flight, and
/// gives its share back if it was never sent.
pub(crate) struct Pass<'a> {
    budget: &'a Budget,
    epoch: u64,
    sent: bool,
    answered: bool,
}

impl Budget {
    pub(crate) fn new(headers: BudgetHeaders, limiter: Option<RateLimiter>, chosen: bool) -> Self {
        let base = limiter.as_ref().map(|l| (l.limit(), chosen));
        Budget {
            headers,
            limiter,
            base,
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        }
    }

    pub(crate) fn headers(&self) -> &BudgetHeaders {
        &self.headers
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a share of the budget if one is left.
    pub(crate) fn try_pass(&self) -> Result<Pass<'_>, Hold> {
        let now = Instant::now();
        let mut s = self.lock();
        if s.resets_at.is_some_and(|at| now >= at) {
            // A new window: the whole total again, or unknown until the next answer.
            s.resets_at = None;
            s.remaining = s.total;
            s.epoch = s.epoch.wrapping_add(1);
        }
        match s.remaining {
            Some(0) => Err(Hold {
                until: s.resets_at.unwrap_or(after(now, self.headers.window)),
                pending: s.in_flight > 0,
            }),
            left => {
                if let Some(n) = left {
                    s.remaining = Some(n - 1);
                    if n == 1 {
                        // The answer says when it really resets; until then,
                        // at most a window from now.
                        s.resets_at = Some(after(now, self.headers.window));
                    }
                }
                s.in_flight = s.in_flight.saturating_add(1);
                Ok(Pass {
                    budget: self,
                    epoch: s.epoch,
                    sent: false,
                    answered: false,
                })
            }
        }
    }

    /// Waits for a share of the budget; `Err` with the wait when the budget
    /// is only back after more than `most` (and no answer still due could
    /// say otherwise).
    pub(crate) async fn pass(&self, most: Duration) -> Result<Pass<'_>, Duration> {
        loop {
            // Listening before looking: an answer between the two still wakes us.
            let changed = self.changed.notified();
            let mut changed = std::pin::pin!(changed);
            changed.as_mut().enable();
            let hold = match self.try_pass() {
                Ok(pass) => return Ok(pass),
                Err(hold) => hold,
            };
            let wait = hold.until.saturating_duration_since(Instant::now());
            if wait > most && !hold.pending {
                return Err(wait);
            }
            tracing::debug!(
                ?wait,
                "the platform's request budget is spent: waiting for its window to reset"
            );
            let sleep = std::pin::pin!(tokio::time::sleep_until(hold.until));
            futures::future::select(sleep, changed).await;
        }
    }

    fn answer(&self, headers: &HeaderMap, retry_after: Option<Duration>) {
        let reading = self.headers.read(headers);
        let now = Instant::now();
        let window = self.headers.window;
        let adopt = {
            let mut s = self.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
            let adopt = reading.total.filter(|t| s.total != Some(*t));
            if reading.total.is_some() {
                s.total = reading.total;
            }
            if let Some(left) = reading.remaining {
                s.epoch = s.epoch.wrapping_add(1);
                // The others still in flight may not be in the platform's
                // figure yet: count them as spent until they answer.
                let local = left.saturating_sub(s.in_flight);
                s.remaining = Some(local);
                s.resets_at = if local > 0 {
                    None
                } else {
                    let at_most = after(now, window);
                    Some(match (retry_after, reading.reset_in) {
                        // A 429 on the spent budget: its own wait wins.
                        (Some(wait), _) if left == 0 => after(now, wait),
                        // A reset beyond one window cannot be right for a
                        // per-window budget.
                        (None, Some(reset)) if left == 0 => after(now, reset.min(window)),
                        _ => s
                            .resets_at
                            .filter(|at| *at > now)
                            .map_or(at_most, |at| at.min(at_most)),
                    })
                };
            }
            adopt
        };
        if let Some(total) = adopt {
            self.adopt(total);
        }
        self.changed.notify_waiters();
    }

    /// Paces the limiter to a reported total: a default limit follows it,
    /// a limit the caller chose only comes down to it.
    fn adopt(&self, total: u32) {
        let (Some(limiter), Some((base, chosen))) = (&self.limiter, self.base) else {
            return;
        };
        let reported = RateLimit {
            requests: total,
            per: self.headers.window,
            // A burst the builder capped stays capped.
            burst: if base.burst < base.requests {
                base.burst.min(total)
            } else {
                total
            },
        };
        let limit = if chosen && reported.rate_per_sec() >= base.rate_per_sec() {
            base
        } else {
            reported
        };
        if limiter.limit() != limit {
            tracing::debug!(
                requests = limit.requests,
                per = ?limit.per,
                "pacing to the request budget the platform reports"
            );
            limiter.set_limit(limit);
        }
    }

    /// A request that ended without an answer.
    fn release(&self, epoch: u64, sent: bool) {
        {
            let mut s = self.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
            // Never sent: its share is still there, unless a newer figure
            // from the platform has replaced the count it was taken from.
            if !sent && s.epoch == epoch {
                if let Some(n) = s.remaining {
                    s.remaining = Some(n.saturating_add(1));
                    if n == 0 {
                        s.resets_at = None;
                    }
                }
            }
        }
        self.changed.notify_waiters();
    }
}

impl Pass<'_> {
    /// Marks the request as handed to the connection: from here it counts
    /// against the budget even if no answer comes.
    pub(crate) fn sent(&mut self) {
        self.sent = true;
    }

    /// Reads the budget from the answer's headers. A 429 that says nothing
    /// is left holds every request back for its `Retry-After`; one that
    /// leaves budget (a limit of a single record, say) holds back no other.
    pub(crate) fn answered(mut self, status: StatusCode, headers: &HeaderMap) {
        self.answered = true;
        let retry_after = (status == StatusCode::TOO_MANY_REQUESTS)
            .then(|| super::retry_after(headers, std::time::SystemTime::now()))
            .flatten();
        self.budget.answer(headers, retry_after);
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        if !self.answered {
            self.budget.release(self.epoch, self.sent);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(v) = HeaderValue::from_str(value) {
                h.append(*name, v);
            }
        }
        h
    }

    fn zendesk_like() -> BudgetHeaders {
        BudgetHeaders::new("X-Rate-Limit-Remaining", Duration::from_secs(60))
            .remaining("ratelimit-remaining")
            .total("X-Rate-Limit")
            .total("ratelimit-limit")
            .reset("ratelimit-reset")
    }

    #[test]
    fn reads_each_figure_by_any_of_its_names() {
        let b = zendesk_like();
        let r = b.read(&headers(&[
            ("x-rate-limit", "700"),
            ("x-rate-limit-remaining", " 699 "),
            ("ratelimit-reset", "42"),
        ]));
        assert_eq!(r.total, Some(700));
        assert_eq!(r.remaining, Some(699));
        assert_eq!(r.reset_in, Some(Duration::from_secs(42)));
        // The second name serves when the first is absent or unreadable.
        let r = b.read(&headers(&[
            ("x-rate-limit-remaining", "lots"),
            ("ratelimit-remaining", "3"),
            ("ratelimit-limit", "400"),
            ("ratelimit-reset", "0.25"),
        ]));
        assert_eq!(r.total, Some(400));
        assert_eq!(r.remaining, Some(3));
        assert_eq!(r.reset_in, Some(Duration::from_millis(250)));
        assert_eq!(b.read(&HeaderMap::new()), BudgetReading::default());
    }

    #[test]
    fn odd_values_are_ignored() {
        let b = zendesk_like();
        for odd in [
            "", "-1", "1e3", "abc", "12abc", "0x10", "+5", "NaN", "inf", "1.2.3", "٣",
        ] {
            let r = b.read(&headers(&[
                ("x-rate-limit", odd),
                ("x-rate-limit-remaining", odd),
                ("ratelimit-reset", odd),
            ]));
            assert_eq!(r.total, None, "{odd:?}");
            assert_eq!(r.remaining, None, "{odd:?}");
            assert_eq!(r.reset_in, None, "{odd:?}");
        }
        // A zero total cannot pace anything; a zero remaining is news.
        let r = b.read(&headers(&[
            ("x-rate-limit", "0"),
            ("x-rate-limit-remaining", "0"),
        ]));
        assert_eq!((r.total, r.remaining), (None, Some(0)));
        // Bytes that are not text are skipped, not an error.
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_bytes(b"\xff\xfe") {
            h.insert("x-rate-limit-remaining", v);
        }
        assert_eq!(b.read(&h).remaining, None);
        // A figure beyond u32 is as good as endless.
        let r = b.read(&headers(&[("x-rate-limit", "99999999999999999999999")]));
        assert_eq!(r.total, Some(u32::MAX));
        let r = b.read(&headers(&[("ratelimit-reset", "1e400")]));
        assert_eq!(r.reset_in, None);
    }

    #[tokio::test(start_paused = true)]
    async fn the_last_share_holds_the_next_request_until_an_answer() {
        let budget = Budget::new(zendesk_like(), None, false);
        let h = headers(&[("x-rate-limit-remaining", "1")]);
        if let Ok(pass) = budget.try_pass() {
            pass.answered(StatusCode::OK, &h);
        }
        let mut first = budget.try_pass().ok();
        assert!(first.is_some(), "one share is left");
        let hold = budget.try_pass().err();
        assert!(
            hold.as_ref().is_some_and(|h| h.pending),
            "held while the last share's answer is due"
        );
        // Never sent (its auth failed): the share comes back.
        drop(first.take());
        assert!(budget.try_pass().is_ok());
    }
}
