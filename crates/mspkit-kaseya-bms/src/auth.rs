//! BMS's token life cycle, on core's `TokenExchange`.
//!
//! `POST /v2/security/authenticate` (a form: `GrantType=password`,
//! `UserName`, `Password`, `Tenant`, `MFACode`) gives an access token, a
//! refresh token and their expiry times. `TokenExchange` caches the access
//! token, renews it ahead of its expiry and after a 401, with one request
//! for every waiting caller. What it cannot express is the second way in:
//! while a refresh token is held, the renewal is
//! `POST /v2/security/refreshtoken` (`AccessToken`, `RefreshToken`), and
//! when that fails the client signs in again. [`BmsAuth`] wraps the
//! exchange for that: its login request is built from the session's state
//! (refresh when a live refresh token is held, else sign in), and a failed
//! refresh is followed by one sign-in.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{FixedOffset, Utc};
use mspkit_core::auth::{Auth, AuthContext, AuthStamp, IssuedToken, TokenExchange};
use mspkit_core::{Error, ErrorKind, ExposeSecret, Result, SecretString};
use url::Url;

use crate::api::TokenOutput;
use crate::errors;

/// The sign-in credentials.
pub(crate) struct Credentials {
    pub tenant: String,
    pub username: String,
    pub password: SecretString,
    pub mfa_code: Option<SecretString>,
}

/// Which request the exchange sent last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Attempt {
    #[default]
    None,
    Login,
    Refresh,
}

/// A refresh token and the access token it was issued with.
struct Held {
    access: SecretString,
    refresh: SecretString,
    until: Option<chrono::DateTime<Utc>>,
}

#[derive(Default)]
struct Session {
    held: Option<Held>,
    last: Attempt,
    /// The refresh tokens issued lately, for cutting out of error texts.
    recent: VecDeque<SecretString>,
}

fn lock(s: &Mutex<Session>) -> std::sync::MutexGuard<'_, Session> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How long before its own expiry a refresh token is no longer used.
const REFRESH_MARGIN: chrono::Duration = chrono::Duration::minutes(1);

/// BMS's tokens: sign in, refresh, sign in again when the refresh fails.
pub(crate) struct BmsAuth {
    exchange: TokenExchange,
    session: Arc<Mutex<Session>>,
    login_url: Url,
    username: String,
    tenant: String,
    /// The password and MFA code as a form carries them, where that differs.
    form_secrets: Vec<SecretString>,
}

fn form(fields: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        ser.append_pair(k, v);
    }
    ser.finish()
}

fn form_encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl BmsAuth {
    /// Tokens from `{api_root}security/authenticate` for `creds`; offset-less
    /// expiry times are read in `zone`.
    pub(crate) fn new(api_root: &Url, creds: Credentials, zone: FixedOffset) -> Result<Self> {
        let join = |p: &str| {
            api_root.join(p).map_err(|e| {
                Error::config(
                    mspkit_core::Provider::KaseyaBms,
                    format!("cannot form {p}: {e}"),
                )
            })
        };
        let login_url = join("security/authenticate")?;
        let refresh_url = join("security/refreshtoken")?;
        let session = Arc::new(Mutex::new(Session::default()));

        let mut form_secrets = Vec::new();
        for s in std::iter::once(&creds.password).chain(creds.mfa_code.as_ref()) {
            let encoded = form_encoded(s.expose_secret());
            if encoded != s.expose_secret() {
                form_secrets.push(SecretString::from(encoded));
            }
        }

        let build = {
            let session = session.clone();
            let (login_url, refresh_url) = (login_url.clone(), refresh_url.clone());
            let Credentials {
                tenant,
                username,
                password,
                mfa_code,
            } = &creds;
            let (tenant, username, password, mfa_code) = (
                tenant.clone(),
                username.clone(),
                password.clone(),
                mfa_code.clone(),
            );
            move |client: &reqwest::Client| {
                let mut s = lock(&session);
                let now = Utc::now();
                let held = s
                    .held
                    .take()
                    .filter(|h| h.until.is_none_or(|u| u > now + REFRESH_MARGIN));
                let (url, body) = match held {
                    Some(h) => {
                        s.last = Attempt::Refresh;
                        let body = form(&[
                            ("AccessToken", h.access.expose_secret()),
                            ("RefreshToken", h.refresh.expose_secret()),
                        ]);
                        (refresh_url.clone(), body)
                    }
                    None => {
                        s.last = Attempt::Login;
                        let mut fields = vec![
                            ("GrantType", "password"),
                            ("UserName", username.as_str()),
                            ("Password", password.expose_secret()),
                            ("Tenant", tenant.as_str()),
                        ];
                        if let Some(code) = &mfa_code {
                            fields.push(("MFACode", code.expose_secret()));
                        }
                        (login_url.clone(), form(&fields))
                    }
                };
                client
                    .post(url)
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .header(reqwest::header::ACCEPT, "application/json")
                    .body(body)
            }
        };

        let parse = {
            let session = session.clone();
            move |body: &[u8]| -> std::result::Result<IssuedToken, mspkit_core::error::BoxError> {
                let out = match errors::result::<TokenOutput>("authenticate", 200, body, false) {
                    Ok((out, _)) => out,
                    // A refusal carries the platform's code and message.
                    Err(e) if e.kind() != ErrorKind::Decode => return Err(Box::new(e)),
                    // The body holds tokens: say where it failed, quote nothing.
                    Err(e) => {
                        return Err(format!(
                            "the token answer cannot be read at `{}`",
                            e.decode_path().unwrap_or("result")
                        )
                        .into());
                    }
                };
                let access = out
                    .access_token
                    .filter(|t| !t.trim().is_empty())
                    .ok_or("the token answer holds no accessToken")?;
                let now = Utc::now();
                let life = out
                    .access_token_expire_on
                    .map(|t| t.at(zone) - now)
                    .and_then(|d| d.to_std().ok())
                    .filter(|d| *d > Duration::ZERO);
                let access = SecretString::from(access);
                let mut s = lock(&session);
                if let Some(refresh) = out.refresh_token.filter(|t| !t.trim().is_empty()) {
                    let refresh = SecretString::from(refresh);
                    if s.recent.len() == 4 {
                        s.recent.pop_front();
                    }
                    s.recent.push_back(refresh.clone());
                    s.held = Some(Held {
                        access: access.clone(),
                        refresh,
                        until: out.refresh_token_expire_on.map(|t| t.at(zone)),
                    });
                }
                let issued = IssuedToken::new(access);
                Ok(match life {
                    Some(d) => issued.expires_in(d),
                    None => issued,
                })
            }
        };

        let mut exchange =
            TokenExchange::new(login_url.as_str(), build, parse).secret(creds.password.clone());
        if let Some(code) = &creds.mfa_code {
            exchange = exchange.secret(code.clone());
        }
        Ok(BmsAuth {
            exchange,
            session,
            login_url,
            username: creds.username,
            tenant: creds.tenant,
            form_secrets,
        })
    }

    /// A refusal answered by the login endpoint with 200 (`success: false`)
    /// reaches us as a token that cannot be read: it is a refused sign-in.
    fn login_error(e: Error) -> Error {
        if e.kind() != ErrorKind::Decode || e.decode_path() != Some("token") {
            return e;
        }
        let refused = std::error::Error::source(&e)
            .and_then(|s| s.downcast_ref::<Error>())
            .cloned();
        match refused {
            Some(r) => {
                let mut out = Error::new(r.provider(), "authenticate", ErrorKind::Unauthorized)
                    .with_message(format!(
                        "login refused: {}",
                        r.message().unwrap_or("success: false")
                    ))
                    .with_details(r.details().to_vec())
                    .with_reached_server(true);
                if let Some(status) = r.status() {
                    out = out.with_status(status);
                }
                if let Some(code) = r.code() {
                    out = out.with_code(code.to_owned());
                }
                out
            }
            None => e,
        }
    }
}

impl std::fmt::Debug for BmsAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BmsAuth")
            .field("login_url", &self.login_url.as_str())
            .field("tenant", &self.tenant)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for BmsAuth {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        match self.exchange.authorize(ctx, req).await {
            Ok(stamp) => Ok(stamp),
            Err(e) => {
                let refreshed = lock(&self.session).last == Attempt::Refresh;
                if !refreshed {
                    return Err(Self::login_error(e));
                }
                // The refresh token is spent whatever the answer was: the
                // next exchange signs in.
                tracing::debug!(kind = ?e.kind(), "the token refresh failed; signing in again");
                self.exchange
                    .authorize(ctx, req)
                    .await
                    .map_err(Self::login_error)
            }
        }
    }

    async fn refresh(&self, ctx: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        self.exchange.refresh(ctx, stamp).await
    }

    fn secrets(&self) -> Vec<String> {
        let mut all = self.exchange.secrets();
        all.extend(
            self.form_secrets
                .iter()
                .map(|s| s.expose_secret().to_owned()),
        );
        let s = lock(&self.session);
        for t in &s.recent {
            let t = t.expose_secret();
            all.push(t.to_owned());
            let encoded = form_encoded(t);
            if encoded != t {
                all.push(encoded);
            }
        }
        all
    }
}
