//! [`TokenStore`]: the tokens a fake's token endpoint has issued, shared
//! with the bearer check that accepts them.
//!
//! Tokens are distinct and counter-based (`fake-access-1`, `fake-refresh-2`),
//! every one is recorded (so a suite can search error texts and logs for
//! leaked tokens), and tests can make tokens run out: after N uses, on the
//! next call, or all at once.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// What the store knows; shared by the token endpoints and the bearer check.
#[derive(Debug, Default)]
struct State {
    prefix: String,
    counter: u64,
    /// Access tokens in issue order, with their use counts and whether revoked.
    access: Vec<Access>,
    /// Refresh tokens in issue order, with whether they still work.
    refresh: Vec<(String, bool)>,
    /// Every token issued, in order (access and refresh).
    issued: Vec<String>,
    expire_after: Option<u64>,
    reject_next: u64,
    requests: usize,
    refused: usize,
}

#[derive(Debug)]
struct Access {
    token: String,
    uses: u64,
    revoked: bool,
}

/// The tokens a fake server issued and accepts. Cheap to clone: clones
/// share the same tokens.
#[derive(Debug, Clone)]
pub struct TokenStore {
    state: Arc<Mutex<State>>,
}

impl Default for TokenStore {
    fn default() -> Self {
        Self::new("fake")
    }
}

impl TokenStore {
    /// An empty store whose tokens start with `prefix`
    /// (`{prefix}-access-1`, `{prefix}-refresh-2`).
    pub fn new(prefix: impl Into<String>) -> Self {
        TokenStore {
            state: Arc::new(Mutex::new(State {
                prefix: prefix.into(),
                ..State::default()
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn next(state: &mut State, kind: &str) -> String {
        state.counter += 1;
        let token = format!("{}-{kind}-{}", state.prefix, state.counter);
        state.issued.push(token.clone());
        token
    }

    /// Issues a new access token.
    pub fn issue_access(&self) -> String {
        let mut s = self.lock();
        let token = Self::next(&mut s, "access");
        s.access.push(Access {
            token: token.clone(),
            uses: 0,
            revoked: false,
        });
        token
    }

    /// Issues a new refresh token (it works once when the endpoint rotates).
    pub fn issue_refresh(&self) -> String {
        let mut s = self.lock();
        let token = Self::next(&mut s, "refresh");
        s.refresh.push((token.clone(), true));
        token
    }

    /// Accepts `token` as an access token without issuing it (a fixed
    /// token from the settings); it is recorded like an issued one.
    pub fn add_access(&self, token: impl Into<String>) {
        let token = token.into();
        let mut s = self.lock();
        s.issued.push(token.clone());
        s.access.push(Access {
            token,
            uses: 0,
            revoked: false,
        });
    }

    /// Accepts `token` as a refresh token (the one a user pasted into the
    /// settings); it is recorded like an issued one.
    pub fn add_refresh(&self, token: impl Into<String>) {
        let token = token.into();
        let mut s = self.lock();
        s.issued.push(token.clone());
        s.refresh.push((token, true));
    }

    /// Whether `token` is a refresh token that still works.
    pub fn refresh_is_live(&self, token: &str) -> bool {
        self.lock()
            .refresh
            .iter()
            .any(|(t, live)| *live && t == token)
    }

    /// Uses up refresh token `token`: `true` if it worked (it stops working
    /// now), `false` if it is unknown or already used.
    pub fn redeem_refresh(&self, token: &str) -> bool {
        let mut s = self.lock();
        match s.refresh.iter_mut().find(|(t, live)| *live && t == token) {
            Some(entry) => {
                entry.1 = false;
                true
            }
            None => false,
        }
    }

    /// Admits one API call made with access token `token`: `true` if the
    /// token was issued, is not revoked or used up, and no refusal was
    /// queued with [`reject_next_call`](Self::reject_next_call). Counts the use.
    pub fn admit(&self, token: &str) -> bool {
        let mut s = self.lock();
        if s.reject_next > 0 {
            s.reject_next -= 1;
            s.refused += 1;
            return false;
        }
        let limit = s.expire_after;
        let ok = match s.access.iter_mut().find(|a| a.token == token) {
            Some(a) if !a.revoked && limit.is_none_or(|n| a.uses < n) => {
                a.uses += 1;
                true
            }
            _ => false,
        };
        if !ok {
            s.refused += 1;
        }
        ok
    }

    /// Whether `token` would be admitted now (counts nothing).
    pub fn is_valid(&self, token: &str) -> bool {
        let s = self.lock();
        s.reject_next == 0
            && s.access.iter().any(|a| {
                a.token == token && !a.revoked && s.expire_after.is_none_or(|n| a.uses < n)
            })
    }

    /// Every access token stops working after `n` admitted calls (those
    /// already issued count the calls they have made).
    pub fn expire_after_uses(&self, n: u64) {
        self.lock().expire_after = Some(n);
    }

    /// The next API call is refused whatever its token (once).
    pub fn reject_next_call(&self) {
        self.lock().reject_next += 1;
    }

    /// Every access token issued so far stops working.
    pub fn revoke_access_tokens(&self) {
        for a in &mut self.lock().access {
            a.revoked = true;
        }
    }

    /// Every token issued or added, access and refresh, in order.
    pub fn issued(&self) -> Vec<String> {
        self.lock().issued.clone()
    }

    /// The access tokens issued or added, in order.
    pub fn access_tokens(&self) -> Vec<String> {
        self.lock().access.iter().map(|a| a.token.clone()).collect()
    }

    /// The refresh tokens issued or added, in order.
    pub fn refresh_tokens(&self) -> Vec<String> {
        self.lock().refresh.iter().map(|r| r.0.clone()).collect()
    }

    /// The number of requests the token endpoints sharing this store got
    /// (granted or not).
    pub fn requests(&self) -> usize {
        self.lock().requests
    }

    /// The number of API calls refused for their token.
    pub fn refused(&self) -> usize {
        self.lock().refused
    }

    /// Counts one token-endpoint request.
    pub(crate) fn count_request(&self) {
        self.lock().requests += 1;
    }

    /// Whether `text` contains any token this store issued (for checking
    /// that errors and logs never show one).
    pub fn leaks_into(&self, text: &str) -> Option<String> {
        self.lock()
            .issued
            .iter()
            .find(|t| text.contains(t.as_str()))
            .cloned()
    }
}
