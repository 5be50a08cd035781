//! Automate's token life cycle, on core's `TokenExchange`.
//!
//! `POST apitoken` with `{"Username", "Password"[, "TwoFactorPasscode"]}`
//! gives a `TokenResult`: the access token, its `ExpirationDate` (about an
//! hour) and an `AbsoluteExpirationDate`. `TokenExchange` caches the token,
//! renews it ahead of its expiry and after a 401, with one request for every
//! waiting caller. What it cannot express is Automate's second way in:
//! `POST apitoken/refresh` with the current token as a JSON string, which
//! renews a session without the credentials (and so without a two-factor
//! passcode, which is good for one sign-in only). [`AutomateAuth`] wraps the
//! exchange for that: the renewal is a refresh while the last token is
//! within its absolute expiry, a sign-in otherwise, and a failed refresh is
//! followed by one sign-in. Both requests carry the `ClientId` header.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mspkit_core::auth::{Auth, AuthContext, AuthStamp, IssuedToken, TokenExchange};
use mspkit_core::http::decode_json;
use mspkit_core::{Error, ErrorKind, ExposeSecret, Provider, Result, SecretString};
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use url::Url;

use crate::api::TokenResult;

const P: Provider = Provider::Automate;

/// The lifetime assumed when `ExpirationDate` cannot be used (absent, in
/// the past, or further out than an hour: the server may write its local
/// time without an offset).
pub(crate) const ASSUMED_LIFE: Duration = Duration::from_secs(55 * 60);

/// The longest lifetime believed; Automate's tokens last about an hour.
const MAX_LIFE: Duration = Duration::from_secs(60 * 60);

/// The sign-in credentials.
pub(crate) struct Credentials {
    pub username: String,
    pub password: SecretString,
    pub two_factor_passcode: Option<SecretString>,
    pub client_id: HeaderValue,
}

/// The last token issued, which a refresh renews.
struct Held {
    token: SecretString,
    until: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct Session {
    held: Option<Held>,
}

fn lock(s: &Mutex<Session>) -> std::sync::MutexGuard<'_, Session> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Automate's tokens: sign in, refresh, sign in again when a refresh fails.
pub(crate) struct AutomateAuth {
    exchange: TokenExchange,
    session: Arc<Mutex<Session>>,
    /// How many refreshes were sent, so a caller whose renewal failed knows
    /// whether it was a refresh (worth one sign-in) or a sign-in.
    refreshes: Arc<AtomicU64>,
    login_url: Url,
    username: String,
    /// The password and passcode as the JSON body carries them, where that differs.
    json_secrets: Vec<SecretString>,
}

/// A value as it appears inside a JSON string, without the quotes.
fn json_escaped(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

impl AutomateAuth {
    /// Tokens from `{api_root}apitoken` for `creds`.
    pub(crate) fn new(api_root: &Url, creds: Credentials) -> Result<Self> {
        let join = |p: &str| {
            api_root
                .join(p)
                .map_err(|e| Error::config(P, format!("cannot form the {p} URL: {e}")))
        };
        let login_url = join("apitoken")?;
        let refresh_url = join("apitoken/refresh")?;
        let session = Arc::new(Mutex::new(Session::default()));
        let refreshes = Arc::new(AtomicU64::new(0));

        let mut json_secrets = Vec::new();
        for s in std::iter::once(&creds.password).chain(creds.two_factor_passcode.as_ref()) {
            let escaped = json_escaped(s.expose_secret());
            if escaped != s.expose_secret() {
                json_secrets.push(SecretString::from(escaped));
            }
        }

        let build = {
            let (session, refreshes) = (session.clone(), refreshes.clone());
            let (login_url, refresh_url) = (login_url.clone(), refresh_url.clone());
            let username = creds.username.clone();
            let password = creds.password.clone();
            let passcode = creds.two_factor_passcode.clone();
            let client_id = creds.client_id.clone();
            move |client: &reqwest::Client| {
                let now = Utc::now();
                let held = lock(&session)
                    .held
                    .take()
                    .filter(|h| h.until.is_none_or(|u| u > now));
                let (url, body) = match held {
                    Some(h) => {
                        refreshes.fetch_add(1, Ordering::AcqRel);
                        let body = serde_json::Value::String(h.token.expose_secret().to_owned());
                        (refresh_url.clone(), body)
                    }
                    None => {
                        let mut body = serde_json::json!({
                            "Username": username,
                            "Password": password.expose_secret(),
                        });
                        if let Some(code) = &passcode {
                            // Authenticator apps show the code with spaces.
                            let code: String = code
                                .expose_secret()
                                .chars()
                                .filter(|c| !c.is_whitespace())
                                .collect();
                            body["TwoFactorPasscode"] = serde_json::Value::String(code);
                        }
                        (login_url.clone(), body)
                    }
                };
                client
                    .post(url)
                    .header(CONTENT_TYPE, "application/json")
                    .header(ACCEPT, "application/json")
                    .header("ClientId", client_id.clone())
                    .header(CACHE_CONTROL, "no-cache")
                    .body(body.to_string())
            }
        };

        let parse = {
            let session = session.clone();
            move |body: &[u8]| -> std::result::Result<IssuedToken, mspkit_core::error::BoxError> {
                let result: TokenResult = decode_json(P, "authenticate", body).map_err(|e| {
                    // The body holds a token: say where it failed, quote nothing.
                    format!(
                        "the token answer cannot be read at `{}`",
                        e.decode_path().unwrap_or("TokenResult")
                    )
                })?;
                let token = result.access_token.filter(|t| !t.trim().is_empty());
                let Some(token) = token else {
                    let why = if result.is_two_factor_required {
                        "the account requires a two-factor passcode: set two_factor_passcode, \
                         or sign in as an API user without two-factor authentication"
                    } else {
                        "the token answer holds no AccessToken"
                    };
                    return Err(Box::new(
                        Error::unauthorized(P, "authenticate", why).with_reached_server(true),
                    ));
                };
                let token = SecretString::from(token);
                lock(&session).held = Some(Held {
                    token: token.clone(),
                    until: result.absolute_expiration_date,
                });
                Ok(
                    IssuedToken::new(token)
                        .expires_in(lifetime(result.expiration_date, Utc::now())),
                )
            }
        };

        let mut exchange =
            TokenExchange::new(login_url.as_str(), build, parse).secret(creds.password.clone());
        if let Some(code) = &creds.two_factor_passcode {
            exchange = exchange.secret(code.clone());
        }
        Ok(AutomateAuth {
            exchange,
            session,
            refreshes,
            login_url,
            username: creds.username,
            json_secrets,
        })
    }

    /// A refusal the parser found in a 200 answer (two-factor required)
    /// reaches us as a token that cannot be read: it is a refused sign-in.
    fn login_error(e: Error) -> Error {
        if e.kind() != ErrorKind::Decode || e.decode_path() != Some("token") {
            return e;
        }
        std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<Error>())
            .cloned()
            .unwrap_or(e)
    }
}

/// How long a token lives: until `expires` when that is within the next
/// hour, else [`ASSUMED_LIFE`].
pub(crate) fn lifetime(expires: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Duration {
    expires
        .and_then(|at| (at - now).to_std().ok())
        .filter(|d| !d.is_zero() && *d <= MAX_LIFE)
        .unwrap_or(ASSUMED_LIFE)
}

impl std::fmt::Debug for AutomateAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AutomateAuth")
            .field("login_url", &self.login_url.as_str())
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for AutomateAuth {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        let refreshes_before = self.refreshes.load(Ordering::Acquire);
        match self.exchange.authorize(ctx, req).await {
            Ok(stamp) => Ok(stamp),
            Err(e) if self.refreshes.load(Ordering::Acquire) > refreshes_before => {
                // A refresh failed (the token it renews is spent whatever the
                // answer was): sign in once; callers waiting meanwhile share it.
                tracing::debug!(kind = ?e.kind(), "the token refresh failed; signing in again");
                self.exchange
                    .authorize(ctx, req)
                    .await
                    .map_err(Self::login_error)
            }
            Err(e) => Err(Self::login_error(e)),
        }
    }

    async fn refresh(&self, ctx: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        self.exchange.refresh(ctx, stamp).await
    }

    fn secrets(&self) -> Vec<String> {
        let mut all = self.exchange.secrets();
        all.extend(
            self.json_secrets
                .iter()
                .map(|s| s.expose_secret().to_owned()),
        );
        if let Some(h) = &lock(&self.session).held {
            all.push(h.token.expose_secret().to_owned());
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifetime_is_believed_only_within_an_hour() {
        let now = DateTime::from_timestamp(1_718_000_000, 0).unwrap();
        let at = |secs| Some(now + chrono::Duration::seconds(secs));
        assert_eq!(lifetime(at(3000), now), Duration::from_secs(3000));
        assert_eq!(lifetime(at(3600), now), Duration::from_secs(3600));
        // A server writing its local time (UTC-5, UTC+2) without an offset.
        assert_eq!(lifetime(at(3600 - 5 * 3600), now), ASSUMED_LIFE);
        assert_eq!(lifetime(at(3600 + 2 * 3600), now), ASSUMED_LIFE);
        assert_eq!(lifetime(None, now), ASSUMED_LIFE);
    }

    #[test]
    fn secrets_are_declared_in_their_json_form_too() {
        assert_eq!(json_escaped(r#"pa"ss\word"#), r#"pa\"ss\\word"#);
        assert_eq!(json_escaped("plain"), "plain");
    }
}
