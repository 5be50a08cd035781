//! Halo's OAuth2: the token endpoint is found on the first call (never at
//! build time), then core's `OAuth2` does the rest (caching, single flight,
//! renewal, one retry after a 401).

use std::time::Duration;

use async_trait::async_trait;
use mspkit_core::auth::{Auth, AuthContext, AuthStamp, Grant, OAuth2};
use mspkit_core::{Error, ErrorKind, Provider, Result};
use secrecy::SecretString;
use tokio::sync::OnceCell;
use url::Url;

use crate::api::AuthInfo;

const P: Provider = Provider::Halo;
const OP: &str = "authenticate";
const AUTHINFO_ATTEMPTS: u32 = 3;
const MAX_AUTHINFO_WAIT: Duration = Duration::from_secs(30);

/// OAuth2 client credentials against the token endpoint `/api/authinfo` names.
pub(crate) struct HaloAuth {
    site: Url,
    tenant: Option<String>,
    client_id: String,
    client_secret: SecretString,
    scopes: Vec<String>,
    allow_insecure_http: bool,
    oauth: OnceCell<OAuth2>,
}

impl HaloAuth {
    pub(crate) fn new(
        site: Url,
        tenant: Option<String>,
        client_id: String,
        client_secret: SecretString,
        scopes: Vec<String>,
        allow_insecure_http: bool,
    ) -> Self {
        HaloAuth {
            site,
            tenant,
            client_id,
            client_secret,
            scopes,
            allow_insecure_http,
            oauth: OnceCell::new(),
        }
    }

    async fn strategy(&self, ctx: &AuthContext<'_>) -> Result<&OAuth2> {
        self.oauth
            .get_or_try_init(|| async {
                let token_url = self.token_url(ctx).await?;
                tracing::debug!(token_url = %token_url, "halo token endpoint");
                Ok::<_, Error>(
                    OAuth2::new(
                        P,
                        token_url,
                        self.client_id.clone(),
                        Grant::ClientCredentials,
                    )?
                    .client_secret(self.client_secret.clone())
                    .scopes(self.scopes.clone()),
                )
            })
            .await
    }

    /// `{auth_url}/token` from `/api/authinfo`, else `{site}/auth/token`; with
    /// `?tenant=` when one is set or authinfo names one. A throttled or failing
    /// authinfo is an error (tried again on the next call) rather than a guess
    /// that would stick.
    async fn token_url(&self, ctx: &AuthContext<'_>) -> Result<Url> {
        let info = self.auth_info(ctx).await?;
        let discovered = info
            .as_ref()
            .and_then(|i| i.auth_url.as_deref())
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let mut url = match discovered {
            Some(auth_url) => {
                let base = Url::parse(auth_url).map_err(|e| {
                    Error::config(
                        P,
                        format!("authinfo auth_url {auth_url:?} is not a URL: {e}"),
                    )
                })?;
                self.check_scheme(&base)?;
                let mut url = base.clone();
                let path = format!("{}/token", base.path().trim_end_matches('/'));
                url.set_path(&path);
                url.set_query(None);
                url
            }
            None => {
                let mut url = self.site.clone();
                url.set_path("/auth/token");
                url
            }
        };
        let tenant = self.tenant.clone().or_else(|| {
            info.and_then(|i| i.tenant_id)
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
        });
        if let Some(t) = tenant {
            url.query_pairs_mut().append_pair("tenant", &t);
        }
        Ok(url)
    }

    fn check_scheme(&self, url: &Url) -> Result<()> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.allow_insecure_http => Ok(()),
            _ => Err(Error::insecure_url(
                P,
                OP,
                format!("{}{}", url.origin().ascii_serialization(), url.path()),
            )),
        }
    }

    /// `Ok(None)` when the instance has no usable authinfo (the fallback applies).
    /// Auth errors are not retried by the transport, so a throttled or failing
    /// authinfo is tried a few times here, waiting as the server asks.
    async fn auth_info(&self, ctx: &AuthContext<'_>) -> Result<Option<AuthInfo>> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match self.auth_info_once(ctx).await {
                Err(e) if e.is_transient() && attempt < AUTHINFO_ATTEMPTS => {
                    let wait = match (e.kind(), e.retry_after()) {
                        (ErrorKind::RateLimited, Some(w)) => w,
                        _ => Duration::from_millis(250) * attempt,
                    };
                    if wait > MAX_AUTHINFO_WAIT {
                        return Err(e);
                    }
                    tracing::debug!(attempt, ?wait, error = %e, "retrying authinfo");
                    tokio::time::sleep(wait).await;
                }
                other => return other,
            }
        }
    }

    async fn auth_info_once(&self, ctx: &AuthContext<'_>) -> Result<Option<AuthInfo>> {
        let mut url = self.site.clone();
        url.set_path("/api/authinfo");
        let resp = ctx
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| transport(e.without_url()))?;
        let status = resp.status();
        if status.as_u16() == 429 {
            return Err(Error::rate_limited(
                P,
                OP,
                mspkit_core::http::retry_after(resp.headers(), std::time::SystemTime::now()),
            )
            .with_status(429));
        }
        if status.is_server_error() {
            return Err(Error::server(P, OP, status.as_u16(), ""));
        }
        if !status.is_success() {
            return Ok(None);
        }
        let body = resp.bytes().await.map_err(|e| transport(e.without_url()))?;
        Ok(serde_json::from_slice::<AuthInfo>(&body).ok())
    }
}

fn transport(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::timeout(P, OP)
    } else {
        Error::transport(P, OP, e)
    }
}

impl std::fmt::Debug for HaloAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HaloAuth")
            .field("site", &self.site.as_str())
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("token", &self.oauth.get())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for HaloAuth {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        self.strategy(ctx).await?.authorize(ctx, req).await
    }

    async fn refresh(&self, ctx: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        match self.oauth.get() {
            Some(oauth) => oauth.refresh(ctx, stamp).await,
            None => Ok(false),
        }
    }
}
