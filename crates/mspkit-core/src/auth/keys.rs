use async_trait::async_trait;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::{Auth, AuthContext, AuthStamp, sensitive_header};
use crate::error::{Error, Result};
use crate::model::Provider;

/// No credentials (public endpoints, or tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

#[async_trait]
impl Auth for NoAuth {
    async fn authorize(&self, _: &AuthContext<'_>, _: &mut reqwest::Request) -> Result<AuthStamp> {
        Ok(AuthStamp::default())
    }
}

/// A key in one header: `X-API-KEY: <key>` (Atera, Tactical RMM), or
/// `Authorization: Bearer <key>` with a prefix (Syncro).
pub struct ApiKeyHeader {
    header: HeaderName,
    prefix: String,
    key: SecretString,
}

impl ApiKeyHeader {
    /// The key sent as the whole value of `header`.
    pub fn new(header: HeaderName, key: SecretString) -> Self {
        ApiKeyHeader {
            header,
            prefix: String::new(),
            key,
        }
    }

    /// Puts `prefix` before the key (`"Bearer "`).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }
}

impl std::fmt::Debug for ApiKeyHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyHeader")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for ApiKeyHeader {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        let value = sensitive_header(
            ctx.provider,
            &format!("{}{}", self.prefix, self.key.expose_secret()),
        )?;
        req.headers_mut().insert(self.header.clone(), value);
        Ok(AuthStamp::default())
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.key.expose_secret().to_owned()]
    }
}

/// A key in a query parameter: `?api_key=<key>`.
///
/// The transport never logs query strings, so the key stays out of traces.
pub struct ApiKeyQuery {
    param: String,
    key: SecretString,
    on_writes: bool,
}

impl ApiKeyQuery {
    /// The key sent as query parameter `param`.
    pub fn new(param: impl Into<String>, key: SecretString) -> Self {
        ApiKeyQuery {
            param: param.into(),
            key,
            on_writes: true,
        }
    }

    /// Adds the key to reads (`GET`, `HEAD`) only: for a platform that takes
    /// it from a write's body, so that it stays out of the URLs that web
    /// servers and proxies log wherever it can.
    pub fn reads_only(mut self) -> Self {
        self.on_writes = false;
        self
    }
}

impl std::fmt::Debug for ApiKeyQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyQuery")
            .field("param", &self.param)
            .field("on_writes", &self.on_writes)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for ApiKeyQuery {
    async fn authorize(
        &self,
        _: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        let read = matches!(*req.method(), reqwest::Method::GET | reqwest::Method::HEAD);
        if !read && !self.on_writes {
            return Ok(AuthStamp::default());
        }
        req.url_mut()
            .query_pairs_mut()
            .append_pair(&self.param, self.key.expose_secret());
        Ok(AuthStamp::default())
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.key.expose_secret().to_owned()]
    }
}

enum HeaderValueKind {
    Plain(HeaderValue),
    Secret(SecretString),
}

/// A fixed set of headers, some of them secret: Autotask's `ApiIntegrationCode`,
/// `UserName` and `Secret`; ConnectWise's `clientId`.
#[derive(Default)]
pub struct HeaderSet {
    headers: Vec<(HeaderName, HeaderValueKind)>,
}

impl HeaderSet {
    /// No headers yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header whose value may be shown in `Debug` (an id, a client id).
    pub fn header(mut self, provider: Provider, name: HeaderName, value: &str) -> Result<Self> {
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::config(
                provider,
                format!("header {name} has characters not allowed in a header"),
            )
        })?;
        self.headers.push((name, HeaderValueKind::Plain(value)));
        Ok(self)
    }

    /// Adds a header whose value is a secret.
    pub fn secret(mut self, name: HeaderName, value: SecretString) -> Self {
        self.headers.push((name, HeaderValueKind::Secret(value)));
        self
    }
}

impl std::fmt::Debug for HeaderSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        for (name, value) in &self.headers {
            match value {
                HeaderValueKind::Plain(v) => m.entry(name, v),
                HeaderValueKind::Secret(_) => m.entry(name, &"[REDACTED]"),
            };
        }
        m.finish()
    }
}

#[async_trait]
impl Auth for HeaderSet {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        for (name, value) in &self.headers {
            let value = match value {
                HeaderValueKind::Plain(v) => v.clone(),
                HeaderValueKind::Secret(s) => sensitive_header(ctx.provider, s.expose_secret())?,
            };
            req.headers_mut().insert(name.clone(), value);
        }
        Ok(AuthStamp::default())
    }

    fn secrets(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter_map(|(_, v)| match v {
                HeaderValueKind::Secret(s) => Some(s.expose_secret().to_owned()),
                HeaderValueKind::Plain(_) => None,
            })
            .collect()
    }
}
