//! Halo's OAuth2: the token endpoint is found on the first call (never at
//! build time), then core's `OAuth2` does the rest (caching, single flight,
//! renewal, one retry after a 401).

use async_trait::async_trait;
use mspkit_core::ExposeSecret;
use mspkit_core::auth::{Auth, AuthContext, AuthStamp, Grant, OAuth2};
use mspkit_core::http::Http;
use mspkit_core::{Error, Provider, Result};
use secrecy::SecretString;
use tokio::sync::OnceCell;
use url::Url;

use crate::api::AuthInfo;

const P: Provider = Provider::Halo;
const OP: &str = "authenticate";

/// OAuth2 client credentials against the token endpoint `/api/authinfo` names.
pub(crate) struct HaloAuth {
    /// The site, without credentials: authinfo is asked through it, with
    /// the client's retries (a throttled or failing authinfo is waited out,
    /// then an error tried again on the next call, never a guess that sticks).
    pub site: Http,
    pub tenant: Option<String>,
    pub client_id: String,
    pub client_secret: SecretString,
    pub scopes: Vec<String>,
    pub allow_insecure_http: bool,
    pub oauth: OnceCell<OAuth2>,
}

impl HaloAuth {
    async fn strategy(&self) -> Result<&OAuth2> {
        self.oauth
            .get_or_try_init(|| async {
                let token_url = self.token_url().await?;
                tracing::debug!(token_url = %token_url, "halo token endpoint");
                let grant = Grant::ClientCredentials;
                Ok::<_, Error>(
                    OAuth2::new(P, token_url, self.client_id.clone(), grant)?
                        .client_secret(self.client_secret.clone())
                        .scopes(self.scopes.clone()),
                )
            })
            .await
    }

    /// `{auth_url}/token` from `/api/authinfo`, else `{site}/auth/token`
    /// (an instance without authinfo: 404 or another refusal, or no
    /// `auth_url`); with `?tenant=` when one is set or authinfo names one.
    async fn token_url(&self) -> Result<Url> {
        let info = match self.site.get(OP, "api/authinfo").send().await {
            Ok(resp) => serde_json::from_slice::<AuthInfo>(resp.body()).ok(),
            Err(e) if e.is_transient() => return Err(e),
            Err(_) => None,
        };
        let discovered = info
            .as_ref()
            .and_then(|i| i.auth_url.as_deref())
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let mut url = match discovered {
            Some(auth_url) => {
                let mut url = Url::parse(auth_url).map_err(|e| {
                    Error::config(
                        P,
                        format!("authinfo auth_url {auth_url:?} is not a URL: {e}"),
                    )
                })?;
                if !(url.scheme() == "https" || url.scheme() == "http" && self.allow_insecure_http)
                {
                    let shown = format!("{}{}", url.origin().ascii_serialization(), url.path());
                    return Err(Error::insecure_url(P, OP, shown));
                }
                let path = format!("{}/token", url.path().trim_end_matches('/'));
                url.set_path(&path);
                url.set_query(None);
                url
            }
            None => self
                .site
                .base_url()
                .join("auth/token")
                .map_err(|e| Error::config(P, format!("cannot form the token URL: {e}")))?,
        };
        let named = info.and_then(|i| i.tenant_id);
        if let Some(t) = self
            .tenant
            .clone()
            .or_else(|| mspkit_core::settings::optional(named))
        {
            url.query_pairs_mut().append_pair("tenant", &t);
        }
        Ok(url)
    }
}

impl std::fmt::Debug for HaloAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HaloAuth")
            .field("site", &self.site.base_url().as_str())
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
        self.strategy().await?.authorize(ctx, req).await
    }

    async fn refresh(&self, ctx: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        match self.oauth.get() {
            Some(oauth) => oauth.refresh(ctx, stamp).await,
            None => Ok(false),
        }
    }

    fn secrets(&self) -> Vec<String> {
        let mut all = vec![self.client_secret.expose_secret().to_owned()];
        if let Some(oauth) = self.oauth.get() {
            all.extend(oauth.secrets());
        }
        all
    }
}
