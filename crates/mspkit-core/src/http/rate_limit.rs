//! A client-side token bucket, so that a busy sync stays under a provider's
//! published limit instead of learning it from 429s.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// A request budget: `requests` per `per`, with bursts of up to `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// The window.
    pub per: Duration,
    /// The largest burst (defaults to `requests`).
    pub burst: u32,
}

impl RateLimit {
    /// `requests` per `per`.
    pub fn new(requests: u32, per: Duration) -> Self {
        RateLimit {
            requests: requests.max(1),
            per,
            burst: requests.max(1),
        }
    }

    /// `n` requests per second.
    pub fn per_second(n: u32) -> Self {
        Self::new(n, Duration::from_secs(1))
    }

    /// `n` requests per minute.
    pub fn per_minute(n: u32) -> Self {
        Self::new(n, Duration::from_secs(60))
    }

    /// `n` requests per hour.
    pub fn per_hour(n: u32) -> Self {
        Self::new(n, Duration::from_secs(3600))
    }

    /// Caps bursts at `n` requests.
    pub fn burst(mut self, n: u32) -> Self {
        self.burst = n.max(1);
        self
    }

    pub(crate) fn rate_per_sec(&self) -> f64 {
        f64::from(self.requests) / self.per.as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

#[derive(Debug)]
struct Bucket {
    /// Inside the lock with the tokens: a budget the platform reports
    /// changes the pace of every clone at once.
    limit: RateLimit,
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    /// Adds the tokens earned since the last look, at the current rate.
    fn refill(&mut self, now: Instant) {
        let elapsed = now.duration_since(self.updated).as_secs_f64();
        self.tokens =
            (self.tokens + elapsed * self.limit.rate_per_sec()).min(f64::from(self.limit.burst));
        self.updated = now;
    }
}

/// A token bucket shared by every clone (and so by every clone of an `Http`).
#[derive(Debug, Clone)]
pub struct RateLimiter {
    bucket: Arc<Mutex<Bucket>>,
}

impl RateLimiter {
    /// A full bucket for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter {
            bucket: Arc::new(Mutex::new(Bucket {
                limit,
                tokens: f64::from(limit.burst),
                updated: Instant::now(),
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Bucket> {
        match self.bucket.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The budget this limiter enforces now.
    pub fn limit(&self) -> RateLimit {
        self.lock().limit
    }

    /// Changes the budget for this limiter and every clone of it, from now
    /// on: the time already waited counts at the old rate, and a smaller
    /// burst drops the tokens above it.
    pub fn set_limit(&self, limit: RateLimit) {
        let mut b = self.lock();
        b.refill(Instant::now());
        b.limit = limit;
        b.tokens = b.tokens.min(f64::from(limit.burst));
    }

    /// Waits until a request may be sent, and takes its token.
    pub async fn acquire(&self) {
        loop {
            let wait = {
                let mut b = self.lock();
                b.refill(Instant::now());
                if b.tokens >= 1.0 {
                    b.tokens -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - b.tokens) / b.limit.rate_per_sec())
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn bursts_then_paces_and_is_shared_by_clones() {
        let limiter = RateLimiter::new(RateLimit::per_second(10).burst(5));
        let clone = limiter.clone();
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "the burst goes through at once"
        );
        // The clone draws on the same, now empty, bucket: 10 more take ~1 s.
        for _ in 0..10 {
            clone.acquire().await;
        }
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(990) && took <= Duration::from_millis(1100),
            "{took:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_limit_changes_the_pace_of_every_clone() {
        let limiter = RateLimiter::new(RateLimit::per_second(10).burst(1));
        let clone = limiter.clone();
        limiter.acquire().await;
        clone.set_limit(RateLimit::per_second(2).burst(1));
        assert_eq!(limiter.limit(), RateLimit::per_second(2).burst(1));
        let start = Instant::now();
        limiter.acquire().await;
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(500) && took <= Duration::from_millis(510),
            "slower: {took:?}"
        );
        limiter.set_limit(RateLimit::per_second(100).burst(1));
        let start = Instant::now();
        clone.acquire().await;
        let took = start.elapsed();
        assert!(
            took >= Duration::from_millis(10) && took <= Duration::from_millis(20),
            "faster: {took:?}"
        );
    }
}
