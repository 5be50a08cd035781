//! BMS's published limit is per endpoint: 1500 calls an hour to each. The
//! transport's rate limiter is one bucket for every call, so the crate keeps
//! one bucket per endpoint (method and path, ids folded into `{id}`) and
//! waits on it as each request is authorized, retries included.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use mspkit_core::Result;
use mspkit_core::auth::{Auth, AuthContext, AuthStamp};
use mspkit_core::http::{RateLimit, RateLimiter};

/// `auth` with a request budget per endpoint in front of it.
pub(crate) struct PerEndpoint<A> {
    inner: A,
    limit: Option<RateLimit>,
    buckets: Mutex<HashMap<String, RateLimiter>>,
}

impl<A> PerEndpoint<A> {
    /// Every endpoint gets a bucket of `limit`; `None` limits nothing.
    pub(crate) fn new(inner: A, limit: Option<RateLimit>) -> Self {
        PerEndpoint {
            inner,
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The bucket of the endpoint `method path`, made on first use.
    fn bucket(&self, method: &str, path: &str) -> Option<RateLimiter> {
        let limit = self.limit?;
        let key = endpoint(method, path);
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        Some(
            buckets
                .entry(key)
                .or_insert_with(|| RateLimiter::new(limit))
                .clone(),
        )
    }
}

/// The endpoint a request goes to: `GET /v2/servicedesk/tickets/{id}/notes`.
pub(crate) fn endpoint(method: &str, path: &str) -> String {
    let template: Vec<&str> = path
        .split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                seg
            }
        })
        .collect();
    format!("{method} {}", template.join("/").to_ascii_lowercase())
}

impl<A: std::fmt::Debug> std::fmt::Debug for PerEndpoint<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PerEndpoint")
            .field("inner", &self.inner)
            .field("limit_per_endpoint", &self.limit)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl<A: Auth> Auth for PerEndpoint<A> {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        if let Some(bucket) = self.bucket(req.method().as_str(), req.url().path()) {
            bucket.acquire().await;
        }
        self.inner.authorize(ctx, req).await
    }

    async fn refresh(&self, ctx: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        self.inner.refresh(ctx, stamp).await
    }

    fn secrets(&self) -> Vec<String> {
        self.inner.secrets()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[derive(Debug)]
    struct Nothing;
    #[async_trait]
    impl Auth for Nothing {
        async fn authorize(
            &self,
            _: &AuthContext<'_>,
            _: &mut reqwest::Request,
        ) -> Result<AuthStamp> {
            Ok(AuthStamp::default())
        }
    }

    #[test]
    fn ids_fold_into_one_endpoint() {
        assert_eq!(
            endpoint("GET", "/v2/servicedesk/tickets/10452/notes"),
            "GET /v2/servicedesk/tickets/{id}/notes"
        );
        assert_eq!(
            endpoint("GET", "/v2/servicedesk/tickets/9"),
            endpoint("GET", "/v2/servicedesk/tickets/10452")
        );
        assert_ne!(
            endpoint("POST", "/v2/servicedesk/tickets"),
            endpoint("GET", "/v2/servicedesk/tickets")
        );
    }

    #[tokio::test(start_paused = true)]
    async fn each_endpoint_has_its_own_budget() {
        let limited = PerEndpoint::new(Nothing, Some(RateLimit::per_hour(3600).burst(2)));
        let start = tokio::time::Instant::now();
        for path in ["/v2/a", "/v2/a", "/v2/b", "/v2/b", "/v2/c/1", "/v2/c/2"] {
            limited.bucket("GET", path).unwrap().acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "three endpoints, two each");
        limited.bucket("GET", "/v2/a").unwrap().acquire().await;
        assert!(start.elapsed() >= Duration::from_millis(990));
        assert!(
            PerEndpoint::new(Nothing, None)
                .bucket("GET", "/v2/a")
                .is_none()
        );
    }
}
