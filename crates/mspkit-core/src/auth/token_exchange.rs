use std::sync::Arc;

use async_trait::async_trait;
use reqwest::header::{AUTHORIZATION, HeaderName};
use secrecy::{ExposeSecret, SecretString};

use super::token_cache::{IssuedToken, TokenCache};
use super::{Auth, AuthContext, AuthStamp, sensitive_header};
use crate::error::{BoxError, Error, ErrorKind, Result};

type BuildLogin = dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync;
type ParseToken = dyn Fn(&[u8]) -> std::result::Result<IssuedToken, BoxError> + Send + Sync;

/// Posts credentials to a login endpoint and sends the bearer token it returns
/// until shortly before it expires (ConnectWise Automate's `apitoken`, Kaseya
/// BMS's `security/authenticate`).
///
/// The provider crate gives two functions: one that builds the login request
/// (it captures the credentials, which never leave it) and one that reads the
/// token and its lifetime from the login response.
pub struct TokenExchange {
    login_url: String,
    build: Arc<BuildLogin>,
    parse: Arc<ParseToken>,
    header: HeaderName,
    scheme: String,
    cache: TokenCache,
    secrets: Vec<SecretString>,
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
            header: AUTHORIZATION,
            scheme: "Bearer".into(),
            cache: TokenCache::default(),
            secrets: Vec::new(),
        }
    }

    /// Declares a credential the login request carries (a password, an MFA
    /// code), so that the transport can cut it out of error texts: the
    /// builder function hides it from the strategy otherwise.
    pub fn secret(mut self, value: SecretString) -> Self {
        self.secrets.push(value);
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

    async fn login(&self, ctx: &AuthContext<'_>) -> Result<IssuedToken> {
        const OP: &str = "authenticate";
        let provider = ctx.provider;
        let request = (self.build)(ctx.client)
            .build()
            .map_err(|e| transport(provider, OP, e))?;
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
        // A login endpoint's body is never quoted: it may echo the credentials.
        if status == 401 || status == 403 {
            return Err(Error::unauthorized(
                provider,
                OP,
                format!(
                    "login refused (HTTP {}, {})",
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
                .with_message(format!("login failed ({})", describe_body(&headers, &body))));
        }
        // The body holds the token itself: quote nothing of it.
        (self.parse)(&body).map_err(|source| {
            Error::new(provider, OP, ErrorKind::Decode)
                .with_decode_path("token")
                .with_source(source)
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
        let (token, stamp) = self.cache.get(|| self.login(ctx)).await?;
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
        let mut all: Vec<String> = self
            .secrets
            .iter()
            .map(|s| s.expose_secret().to_owned())
            .collect();
        all.extend(self.cache.recent());
        all
    }
}
