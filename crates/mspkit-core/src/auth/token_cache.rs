use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::AuthStamp;
use crate::error::Result;

/// A token as an issuer handed it out.
#[derive(Clone)]
pub struct IssuedToken {
    /// The bearer token.
    pub access_token: SecretString,
    /// How long it lives, when the issuer said (counted from when it was
    /// issued).
    pub expires_in: Option<Duration>,
    /// A refresh token issued with it: OAuth2's rotated one, or the one a
    /// [`TokenExchange`](super::TokenExchange) refresh request sends. Reported
    /// by the strategy's [`secrets`](super::Auth::secrets) like the token.
    pub refresh_token: Option<SecretString>,
    /// Until when the session may be renewed by a refresh instead of a new
    /// sign-in (Automate's `AbsoluteExpirationDate`, the expiry of a BMS
    /// refresh token); `None`: the issuer set no limit.
    pub renewable_until: Option<DateTime<Utc>>,
}

impl IssuedToken {
    /// A token with no known lifetime: kept until a request is refused with 401.
    pub fn new(access_token: SecretString) -> Self {
        IssuedToken {
            access_token,
            expires_in: None,
            refresh_token: None,
            renewable_until: None,
        }
    }

    /// Sets the lifetime.
    pub fn expires_in(mut self, d: Duration) -> Self {
        self.expires_in = Some(d);
        self
    }

    /// Sets the refresh token issued with the token.
    pub fn refresh_token(mut self, token: SecretString) -> Self {
        self.refresh_token = Some(token);
        self
    }

    /// Sets until when the session may be refreshed.
    pub fn renewable_until(mut self, at: DateTime<Utc>) -> Self {
        self.renewable_until = Some(at);
        self
    }
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("expires_in", &self.expires_in)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("renewable_until", &self.renewable_until)
            .finish_non_exhaustive()
    }
}

struct Cached {
    token: SecretString,
    renew_at: Option<Instant>,
    stamp: AuthStamp,
}

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// The last fetch that failed: its number and its error.
    failure: Option<(u64, crate::Error)>,
}

/// One token shared by every request of a client, fetched by one caller while
/// the others wait (single flight), and renewed ahead of its expiry. When a
/// fetch fails, the callers that were waiting for it get its error instead of
/// each trying again in turn (fifty callers against a refused credential make
/// one token request, not fifty).
#[derive(Default)]
pub(crate) struct TokenCache {
    state: Mutex<State>,
    issued: std::sync::atomic::AtomicU64,
    fetches: std::sync::atomic::AtomicU64,
    /// The tokens (access and refresh) of the last few issuances, for
    /// redacting them from error texts: an old one may still be quoted.
    recent: std::sync::Mutex<std::collections::VecDeque<SecretString>>,
}

/// How many issued tokens are kept for redaction: four issuances' worth.
const RECENT: usize = 8;

/// How long before expiry a token is renewed: a tenth of its life, at most a minute.
fn renew_margin(life: Duration) -> Duration {
    (life / 10).min(Duration::from_secs(60))
}

impl TokenCache {
    /// The current token, fetching a new one with `fetch` when there is none
    /// or it is due for renewal. Concurrent callers wait for one fetch.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<(SecretString, AuthStamp)>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<IssuedToken>>,
    {
        use std::sync::atomic::Ordering;
        let fetches_before_waiting = self.fetches.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        if let Some(c) = state.token.as_ref() {
            if c.renew_at.is_none_or(|at| Instant::now() < at) {
                return Ok((c.token.clone(), c.stamp));
            }
        }
        if let Some((n, e)) = &state.failure {
            if *n > fetches_before_waiting {
                return Err(e.clone());
            }
        }
        let fetched = fetch().await;
        let n = self.fetches.fetch_add(1, Ordering::AcqRel) + 1;
        let issued = match fetched {
            Ok(issued) => {
                state.failure = None;
                issued
            }
            Err(e) => {
                state.failure = Some((n, e.clone()));
                return Err(e);
            }
        };
        let stamp = AuthStamp(
            self.issued
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1,
        );
        let renew_at = issued
            .expires_in
            .map(|life| Instant::now() + life - renew_margin(life));
        {
            let mut recent = self
                .recent
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for token in std::iter::once(&issued.access_token).chain(&issued.refresh_token) {
                if recent.len() == RECENT {
                    recent.pop_front();
                }
                recent.push_back(token.clone());
            }
        }
        state.token = Some(Cached {
            token: issued.access_token.clone(),
            renew_at,
            stamp,
        });
        Ok((issued.access_token, stamp))
    }

    /// The tokens issued lately (the current ones among them), as text.
    pub(crate) fn recent(&self) -> Vec<String> {
        use secrecy::ExposeSecret;
        self.recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|t| t.expose_secret().to_owned())
            .collect()
    }

    /// Drops the token if it is still the one a refused request carried;
    /// returns whether a retry may succeed (always, once the token is new).
    pub(crate) async fn invalidate(&self, stamp: AuthStamp) -> bool {
        let mut state = self.state.lock().await;
        if state.token.as_ref().is_some_and(|c| c.stamp == stamp) {
            state.token = None;
        }
        true
    }

    /// How many tokens have been issued to this cache.
    #[cfg(test)]
    pub(crate) fn issued(&self) -> u64 {
        self.issued.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use crate::ErrorKind;

    #[tokio::test(start_paused = true)]
    async fn renews_ahead_of_expiry_and_shares_one_fetch() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicU32::new(0));
        let fetch = |fetches: Arc<AtomicU32>| async move {
            let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(IssuedToken::new(SecretString::from(format!("t{n}")))
                .expires_in(Duration::from_secs(3600)))
        };
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| fetch(fetches))
                    .await
                    .unwrap()
                    .0
                    .expose_secret()
                    .to_owned()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), "t1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);

        // Still fresh 58 minutes in; renewed after 59 (a minute's margin).
        tokio::time::advance(Duration::from_secs(58 * 60)).await;
        let (t, _) = cache.get(|| fetch(fetches.clone())).await.unwrap();
        assert_eq!(t.expose_secret(), "t1");
        tokio::time::advance(Duration::from_secs(61)).await;
        let (t, stamp) = cache.get(|| fetch(fetches.clone())).await.unwrap();
        assert_eq!(t.expose_secret(), "t2");
        assert_eq!(stamp, AuthStamp(2));
        assert_eq!(cache.issued(), 2);
    }

    #[tokio::test]
    async fn callers_waiting_on_a_failed_fetch_share_its_error() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Err::<IssuedToken, _>(crate::Error::unauthorized(
                            crate::Provider::Halo,
                            "authenticate",
                            "invalid_client",
                        ))
                    })
                    .await
                    .map(|_| ())
            }));
        }
        for t in tasks {
            assert!(matches!(&t.await.unwrap(), Err(e) if e.kind() == ErrorKind::Unauthorized));
        }
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            1,
            "one fetch for all waiting callers"
        );
        // A caller that comes after the failure tries again.
        let (t, _) = cache
            .get(|| async { Ok(IssuedToken::new(SecretString::from("fresh"))) })
            .await
            .unwrap();
        assert_eq!(t.expose_secret(), "fresh");
    }

    #[tokio::test]
    async fn invalidate_drops_only_the_refused_token() {
        let cache = TokenCache::default();
        let issue = |s: &'static str| async move { Ok(IssuedToken::new(SecretString::from(s))) };
        let (_, old) = cache.get(|| issue("a")).await.unwrap();
        cache.invalidate(old).await;
        let (t, new) = cache.get(|| issue("b")).await.unwrap();
        assert_eq!(t.expose_secret(), "b");
        // A late 401 for the old token must not throw away the new one.
        cache.invalidate(old).await;
        let (t, again) = cache.get(|| issue("c")).await.unwrap();
        assert_eq!((t.expose_secret(), again), ("b", new));
    }
}
