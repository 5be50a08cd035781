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

    fn rate_per_sec(&self) -> f64 {
        f64::from(self.requests) / self.per.as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// A token bucket shared by every clone (and so by every clone of an `Http`).
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limit: RateLimit,
    bucket: Arc<Mutex<Bucket>>,
}

impl RateLimiter {
    /// A full bucket for `limit`.
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            bucket: Arc::new(Mutex::new(Bucket {
                tokens: f64::from(limit.burst),
                updated: Instant::now(),
            })),
        }
    }

    /// The budget this limiter enforces.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Waits until a request may be sent, and takes its token.
    pub async fn acquire(&self) {
        loop {
            let wait = {
                let mut b = match self.bucket.lock() {
                    Ok(b) => b,
                    Err(poisoned) => poisoned.into_inner(),
                };
                let now = Instant::now();
                let elapsed = now.duration_since(b.updated).as_secs_f64();
                b.tokens = (b.tokens + elapsed * self.limit.rate_per_sec())
                    .min(f64::from(self.limit.burst));
                b.updated = now;
                if b.tokens >= 1.0 {
                    b.tokens -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - b.tokens) / self.limit.rate_per_sec())
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
}
