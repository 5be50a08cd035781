use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use reqwest::header::{AUTHORIZATION, HeaderName};
use secrecy::{ExposeSecret, SecretString};

use super::token_cache::{IssuedToken, TokenCache};
use super::{Auth, AuthContext, AuthStamp, sensitive_header};
use crate::error::{BoxError, Error, ErrorKind, Result};

type BuildLogin = dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync;
type BuildRefresh =
    dyn Fn(&reqwest::Client, &IssuedToken) -> Option<reqwest::RequestBuilder> + Send + Sync;
type ParseToken = dyn Fn(&[u8]) -> std::result::Result<IssuedToken, BoxError> + Send + Sync;
type Encode = dyn Fn(&str) -> String + Send + Sync;

/// Posts credentials to a login endpoint and sends the bearer token it returns
/// until shortly before it expires (ConnectWise Automate's `apitoken`, Kaseya
/// BMS's `security/authenticate`).
///
/// The provider crate gives two functions: one that builds the login request
/// (it captures the credentials, which never leave it) and one that reads the
/// token and its lifetime from the login response.
///
/// The token is renewed a little before it expires and after a 401, with
/// one request for any number of waiting callers. By default the renewal is
/// a new sign-in; with [`refresh_with`](Self::refresh_with) it is a refresh
/// request while the last issuance allows one, and a sign-in otherwise.
///
/// A parse function that finds a refusal in an answer given with 200 (a
/// two-factor passcode required, `success: false`) returns it as an
/// [`Error`]: that error is reported as it is. Any other parse error is a
/// `Decode` error at `token`, which quotes nothing of the body.
pub struct TokenExchange {
    login_url: String,
    build: Arc<BuildLogin>,
    parse: Arc<ParseToken>,
    refresh: Option<Refresh>,
    header: HeaderName,
    scheme: String,
    cache: TokenCache,
    /// What the last issuance left (its tokens and `renewable_until`), for
    /// the next refresh; `None` while there is nothing to refresh.
    last: Mutex<Option<IssuedToken>>,
    secrets: Vec<SecretString>,
    encodings: Vec<Box<Encode>>,
}

/// The second way to renew a token.
struct Refresh {
    build: Box<BuildRefresh>,
    parse: Box<ParseToken>,
}

/// Which request a token answer came from, for the error texts.
#[derive(Clone, Copy)]
enum Step {
    Login,
    Refresh,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Login => "login",
            Step::Refresh => "token refresh",
        }
    }
}

impl TokenExchange {
    /// A token exchange against `login_url` (shown in `Debug`; the request
    /// itself comes from `build`).
    pub fn new(
        login_url: impl Into<String>,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
        parse: impl Fn(&[u8]) -> std::result::Result<IssuedToken, BoxError> + Send + Sync + 'static,
    ) -> Self {
        TokenExchange {
            login_url: login_url.into(),
            build: Arc::new(build),
            parse: Arc::new(parse),
            refresh: None,
            header: AUTHORIZATION,
            scheme: "Bearer".into(),
            cache: TokenCache::default(),
            last: Mutex::new(None),
            secrets: Vec::new(),
            encodings: Vec::new(),
        }
    }

    /// Renews the token with a refresh request instead of a new sign-in
    /// while the last issuance allows it (Automate's `apitoken/refresh`,
    /// BMS's `security/refreshtoken`): a sign-in may need what a renewal
    /// cannot give again, such as a one-time passcode.
    ///
    /// `build` receives what the last sign-in or refresh issued (its access
    /// token and, when `parse` read them, its refresh token and
    /// [`renewable_until`](IssuedToken::renewable_until); its `expires_in`
    /// counts from when it was issued) and returns the refresh request, or
    /// `None` when that issuance cannot be refreshed (no refresh token). It
    /// is not called once `renewable_until` has passed: a platform that stops
    /// refreshing earlier sets an earlier `renewable_until`. `parse` reads the
    /// refresh answer, like the login's `parse`; what it returns replaces
    /// what the last issuance left.
    ///
    /// A refresh that fails for a reason that may pass (a 429, a 5xx, a
    /// timeout) is reported, and retried under the transport's retry policy
    /// as a refresh. Any other failure (refused with 400, 401 or 403, an
    /// answer that cannot be read) is followed by one sign-in, which the
    /// waiting callers share.
    pub fn refresh_with(
        mut self,
        build: impl Fn(&reqwest::Client, &IssuedToken) -> Option<reqwest::RequestBuilder>
        + Send
        + Sync
        + 'static,
        parse: impl Fn(&[u8]) -> std::result::Result<IssuedToken, BoxError> + Send + Sync + 'static,
    ) -> Self {
        self.refresh = Some(Refresh {
            build: Box::new(build),
            parse: Box::new(parse),
        });
        self
    }

    /// Declares a credential the login request carries (a password, an MFA
    /// code), so that the transport can cut it out of error texts: the
    /// builder function hides it from the strategy otherwise.
    pub fn secret(mut self, value: SecretString) -> Self {
        self.secrets.push(value);
        self
    }

    /// Declares a form the token requests write secrets in (form-encoded,
    /// escaped inside a JSON string): every declared secret and issued token
    /// is reported in that form too, wherever it differs, since a server
    /// quoting the request it refused quotes it so.
    pub fn secret_encoding(
        mut self,
        encode: impl Fn(&str) -> String + Send + Sync + 'static,
    ) -> Self {
        self.encodings.push(Box::new(encode));
        self
    }

    /// Sends the token as `<scheme> <token>` (default `Bearer`).
    pub fn scheme(mut self, scheme: impl Into<String>) -> Self {
        self.scheme = scheme.into();
        self
    }

    /// Sends the token in this header (default `Authorization`).
    pub fn header(mut self, header: HeaderName) -> Self {
        self.header = header;
        self
    }

    fn last(&self) -> MutexGuard<'_, Option<IssuedToken>> {
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The refresh request and the reader of its answer, when a refresh is
    /// set up and the last issuance may still be refreshed.
    fn refresh_request(
        &self,
        client: &reqwest::Client,
    ) -> Option<(reqwest::RequestBuilder, &ParseToken)> {
        let refresh = self.refresh.as_ref()?;
        let last = self.last().clone()?;
        if last
            .renewable_until
            .is_some_and(|until| until <= chrono::Utc::now())
        {
            return None;
        }
        Some(((refresh.build)(client, &last)?, &*refresh.parse))
    }

    /// A new token: refreshed when the last issuance allows it, else (or
    /// when the refresh is refused) signed in for.
    async fn renew(&self, ctx: &AuthContext<'_>) -> Result<IssuedToken> {
        if let Some((request, parse)) = self.refresh_request(ctx.client) {
            match self.exchange(ctx, Step::Refresh, request, parse).await {
                Ok(issued) => return Ok(self.keep(issued)),
                // Signing in would not help against a busy or unreachable
                // server, and may spend a one-time passcode.
                Err(e) if e.is_transient() => return Err(e),
                Err(e) => {
                    // Kind and status only: the message may quote the request.
                    tracing::debug!(
                        kind = ?e.kind(),
                        status = ?e.status(),
                        "the token refresh failed; signing in again"
                    );
                }
            }
        }
        // A refused refresh spent what it sent: should the sign-in fail too,
        // the next attempt must not send it again.
        *self.last() = None;
        let issued = self
            .exchange(ctx, Step::Login, (self.build)(ctx.client), &*self.parse)
            .await?;
        Ok(self.keep(issued))
    }

    fn keep(&self, issued: IssuedToken) -> IssuedToken {
        *self.last() = Some(issued.clone());
        issued
    }

    async fn exchange(
        &self,
        ctx: &AuthContext<'_>,
        step: Step,
        request: reqwest::RequestBuilder,
        parse: &ParseToken,
    ) -> Result<IssuedToken> {
        const OP: &str = "authenticate";
        let provider = ctx.provider;
        let request = request.build().map_err(|e| transport(provider, OP, e))?;
        let asked = request.url().clone();
        let resp = ctx
            .client
            .execute(request)
            .await
            .map_err(|e| transport(provider, OP, e))?;
        refuse_redirect(provider, &asked, resp.url())?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.bytes().await.map_err(|e| transport(provider, OP, e))?;
        // A token endpoint's body is never quoted: it may echo the credentials.
        if status == 401 || status == 403 {
            return Err(Error::unauthorized(
                provider,
                OP,
                format!(
                    "{} refused (HTTP {}, {})",
                    step.name(),
                    status.as_u16(),
                    describe_body(&headers, &body)
                ),
            )
            .with_status(status.as_u16()));
        }
        if !status.is_success() {
            // What the status means (a 404: a wrong host or path; 429 and 5xx
            // are waited out like the API's own), with the body described.
            return Err(Error::new(provider, OP, ErrorKind::from_status(status))
                .with_status(status.as_u16())
                .with_message(format!(
                    "{} failed ({})",
                    step.name(),
                    describe_body(&headers, &body)
                )));
        }
        // The body holds the token itself: quote nothing of it.
        parse(&body).map_err(|source| match source.downcast::<Error>() {
            // A refusal the provider read in an answer given with 200 is
            // more than a body that cannot be read.
            Ok(refusal) => *refusal,
            Err(source) => Error::new(provider, OP, ErrorKind::Decode)
                .with_decode_path("token")
                .with_source(source),
        })
    }
}

/// What a token endpoint's body was, without quoting it: the platform's own
/// message when the body is a JSON error document (the transport then cuts
/// any secret out of it), else only its type and size.
pub(crate) fn describe_body(headers: &reqwest::header::HeaderMap, body: &[u8]) -> String {
    if let Ok(serde_json::Value::Object(doc)) = serde_json::from_slice(body) {
        let said = ["error_description", "Message", "message", "error"]
            .iter()
            .find_map(|k| doc.get(*k).and_then(|v| v.as_str()))
            .filter(|m| !m.trim().is_empty());
        if let Some(m) = said {
            return crate::error::snippet(m.as_bytes());
        }
    }
    let kind = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("no content type");
    if body.is_empty() {
        "empty body".to_owned()
    } else {
        format!("{kind}, {} bytes, not quoted", body.len())
    }
}

/// Token requests follow no redirect: a token obtained after one is refused.
pub(crate) fn refuse_redirect(
    provider: crate::model::Provider,
    asked: &url::Url,
    answered: &url::Url,
) -> Result<()> {
    if asked == answered {
        return Ok(());
    }
    Err(
        Error::new(provider, "authenticate", ErrorKind::Api).with_message(format!(
            "the token endpoint redirected to {}; token requests follow no redirects",
            answered.host_str().unwrap_or("another place")
        )),
    )
}

pub(crate) fn transport(
    provider: crate::model::Provider,
    operation: &'static str,
    e: reqwest::Error,
) -> Error {
    if e.is_timeout() {
        Error::timeout(provider, operation)
    } else {
        Error::transport(provider, operation, e.without_url())
    }
}

impl std::fmt::Debug for TokenExchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenExchange")
            .field("login_url", &self.login_url)
            .field("header", &self.header)
            .field("refreshes", &self.refresh.is_some())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for TokenExchange {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        let (token, stamp) = self.cache.get(|| self.renew(ctx)).await?;
        let value = if self.scheme.is_empty() {
            token.expose_secret().to_owned()
        } else {
            format!("{} {}", self.scheme, token.expose_secret())
        };
        req.headers_mut()
            .insert(self.header.clone(), sensitive_header(ctx.provider, &value)?);
        Ok(stamp)
    }

    async fn refresh(&self, _: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        Ok(self.cache.invalidate(stamp).await)
    }

    fn secrets(&self) -> Vec<String> {
        let plain = self
            .secrets
            .iter()
            .map(|s| s.expose_secret().to_owned())
            .chain(self.cache.recent());
        let mut all = Vec::new();
        for secret in plain {
            for encode in &self.encodings {
                let encoded = encode(&secret);
                if encoded != secret {
                    all.push(encoded);
                }
            }
            all.push(secret);
        }
        all
    }
}
