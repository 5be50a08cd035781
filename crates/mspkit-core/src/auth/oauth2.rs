use async_trait::async_trait;
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, ClientId, ClientSecret, RefreshToken, RequestTokenError, ResourceOwnerPassword,
    ResourceOwnerUsername, Scope, TokenResponse, TokenUrl,
};
use reqwest::header::AUTHORIZATION;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use super::token_cache::{IssuedToken, TokenCache};
use super::token_exchange::transport;
use super::{Auth, AuthContext, AuthStamp, sensitive_header};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Provider;

const OP: &str = "authenticate";

/// How the OAuth2 grant is obtained.
pub enum Grant {
    /// Client credentials (HaloPSA, NinjaOne without a user).
    ClientCredentials,
    /// A refresh token (NinjaOne with a user's consent). When the server
    /// returns a new refresh token, it replaces this one.
    RefreshToken(SecretString),
    /// Resource-owner password (Datto RMM: API key and secret as user name and password).
    Password {
        /// The user name.
        username: String,
        /// The password.
        password: SecretString,
    },
}

/// Where the client id and secret go in the token request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuthStyle {
    /// In the form body (`client_id`, `client_secret`).
    #[default]
    RequestBody,
    /// As HTTP Basic auth.
    BasicAuth,
}

/// OAuth2 bearer tokens from a token endpoint, on the `oauth2` crate, sent
/// through the transport's own `reqwest` client.
///
/// The token is fetched once for any number of concurrent requests, renewed
/// ahead of `expires_in`, and dropped and fetched again once after a 401.
pub struct OAuth2 {
    token_url: String,
    client_id: String,
    client_secret: Option<SecretString>,
    style: ClientAuthStyle,
    scopes: Vec<String>,
    extra_params: Vec<(String, String)>,
    grant: Grant,
    rotated_refresh_token: Mutex<Option<SecretString>>,
    cache: TokenCache,
}

impl OAuth2 {
    /// A strategy for `grant` against `token_url`.
    pub fn new(
        provider: Provider,
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        grant: Grant,
    ) -> Result<Self> {
        let token_url = token_url.into();
        TokenUrl::new(token_url.clone())
            .map_err(|e| Error::config(provider, format!("token URL {token_url}: {e}")))?;
        Ok(OAuth2 {
            token_url,
            client_id: client_id.into(),
            client_secret: None,
            style: ClientAuthStyle::default(),
            scopes: Vec::new(),
            extra_params: Vec::new(),
            grant,
            rotated_refresh_token: Mutex::new(None),
            cache: TokenCache::default(),
        })
    }

    /// Sets the client secret.
    pub fn client_secret(mut self, secret: SecretString) -> Self {
        self.client_secret = Some(secret);
        self
    }

    /// Sets where the client id and secret go.
    pub fn auth_style(mut self, style: ClientAuthStyle) -> Self {
        self.style = style;
        self
    }

    /// Asks for these scopes (space-separated in the request).
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a form parameter to the token request.
    pub fn extra_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_params.push((name.into(), value.into()));
        self
    }

    async fn fetch(&self, ctx: &AuthContext<'_>) -> Result<IssuedToken> {
        let provider = ctx.provider;
        let token_url = TokenUrl::new(self.token_url.clone())
            .map_err(|e| Error::config(provider, format!("token URL: {e}")))?;
        let mut client = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_token_uri(token_url)
            .set_auth_type(match self.style {
                ClientAuthStyle::RequestBody => AuthType::RequestBody,
                ClientAuthStyle::BasicAuth => AuthType::BasicAuth,
            });
        if let Some(secret) = &self.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()));
        }
        let http = |req: oauth2::HttpRequest| send_token_request(ctx.client.clone(), provider, req);
        let scopes = self.scopes.iter().map(|s| Scope::new(s.clone()));
        let extra = self.extra_params.iter();

        let response = match &self.grant {
            Grant::ClientCredentials => {
                let mut r = client.exchange_client_credentials().add_scopes(scopes);
                for (k, v) in extra {
                    r = r.add_extra_param(k.clone(), v.clone());
                }
                r.request_async(&http).await
            }
            Grant::Password { username, password } => {
                let user = ResourceOwnerUsername::new(username.clone());
                let pass = ResourceOwnerPassword::new(password.expose_secret().to_owned());
                let mut r = client.exchange_password(&user, &pass).add_scopes(scopes);
                for (k, v) in extra {
                    r = r.add_extra_param(k.clone(), v.clone());
                }
                r.request_async(&http).await
            }
            Grant::RefreshToken(initial) => {
                let current = self.rotated_refresh_token.lock().await.clone();
                let token = current.as_ref().unwrap_or(initial);
                let refresh = RefreshToken::new(token.expose_secret().to_owned());
                let mut r = client.exchange_refresh_token(&refresh).add_scopes(scopes);
                for (k, v) in extra {
                    r = r.add_extra_param(k.clone(), v.clone());
                }
                r.request_async(&http).await
            }
        }
        .map_err(|e| token_error(provider, e))?;

        if let Some(new) = response.refresh_token() {
            *self.rotated_refresh_token.lock().await =
                Some(SecretString::from(new.secret().to_owned()));
        }
        Ok(IssuedToken {
            access_token: SecretString::from(response.access_token().secret().to_owned()),
            expires_in: response.expires_in(),
            refresh_token: response
                .refresh_token()
                .map(|t| SecretString::from(t.secret().to_owned())),
            renewable_until: None,
        })
    }
}

/// Sends one token request with the transport's client. Answers that are not
/// an OAuth2 error document (a gateway's 502, an HTML 401) become our own
/// errors here, so they are reported as what they are rather than as a
/// failure to parse.
async fn send_token_request(
    client: reqwest::Client,
    provider: Provider,
    req: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse> {
    let req = reqwest::Request::try_from(req).map_err(|e| transport(provider, OP, e))?;
    let asked = req.url().clone();
    let resp = client
        .execute(req)
        .await
        .map_err(|e| transport(provider, OP, e))?;
    super::token_exchange::refuse_redirect(provider, &asked, resp.url())?;
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.bytes().await.map_err(|e| transport(provider, OP, e))?;
    let is_oauth_error = serde_json::from_slice::<serde_json::Value>(&body)
        .map(|v| v.get("error").is_some())
        .unwrap_or(false);
    if !status.is_success() && !is_oauth_error {
        // A token endpoint's body is never quoted: it may echo the secret.
        let message = format!(
            "token endpoint answered HTTP {} ({})",
            status.as_u16(),
            super::token_exchange::describe_body(&headers, &body)
        );
        return Err(match status.as_u16() {
            401 | 403 => Error::unauthorized(provider, OP, message).with_status(status.as_u16()),
            429 => Error::rate_limited(
                provider,
                OP,
                crate::http::retry_after(&headers, std::time::SystemTime::now()),
            )
            .with_status(429),
            s if s >= 500 => Error::new(provider, OP, ErrorKind::Server)
                .with_status(s)
                .with_message(message),
            s => Error::api(provider, OP, s, message),
        });
    }
    let mut out = oauth2::HttpResponse::new(body.to_vec());
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

fn token_error(
    provider: Provider,
    e: RequestTokenError<Error, oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> Error {
    match e {
        RequestTokenError::ServerResponse(resp) => {
            let code = resp.error().as_ref().to_owned();
            let message = match resp.error_description() {
                Some(d) => format!("{code}: {d}"),
                None => code.clone(),
            };
            match resp.error() {
                BasicErrorResponseType::InvalidClient
                | BasicErrorResponseType::InvalidGrant
                | BasicErrorResponseType::UnauthorizedClient => {
                    Error::unauthorized(provider, OP, message).with_code(code)
                }
                _ => Error::api(provider, OP, 400, message).with_code(code),
            }
        }
        RequestTokenError::Request(e) => e,
        // The body may hold a token: quote nothing of it.
        RequestTokenError::Parse(e, _body) => Error::new(provider, OP, ErrorKind::Decode)
            .with_decode_path(e.path().to_string())
            .with_source(e.into_inner()),
        // The answer was not JSON at all (a login page, a proxy's error
        // page): unreadable, like any body of the wrong shape.
        RequestTokenError::Other(message) if message.contains("Content-Type") => {
            Error::new(provider, OP, ErrorKind::Decode).with_message(format!(
                "the token endpoint's answer is not JSON ({message})"
            ))
        }
        RequestTokenError::Other(message) => {
            Error::new(provider, OP, ErrorKind::Api).with_message(message)
        }
    }
}

impl std::fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let grant = match self.grant {
            Grant::ClientCredentials => "client_credentials",
            Grant::RefreshToken(_) => "refresh_token",
            Grant::Password { .. } => "password",
        };
        f.debug_struct("OAuth2")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("grant", &grant)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for OAuth2 {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        let (token, stamp) = self.cache.get(|| self.fetch(ctx)).await?;
        let value = sensitive_header(ctx.provider, &format!("Bearer {}", token.expose_secret()))?;
        req.headers_mut().insert(AUTHORIZATION, value);
        Ok(stamp)
    }

    async fn refresh(&self, _: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        Ok(self.cache.invalidate(stamp).await)
    }

    fn secrets(&self) -> Vec<String> {
        let mut all = Vec::new();
        let mut add = |s: &SecretString| all.push(s.expose_secret().to_owned());
        if let Some(s) = &self.client_secret {
            add(s);
        }
        match &self.grant {
            Grant::RefreshToken(t) => add(t),
            Grant::Password { username, password } => {
                // Some platforms use an API key as the user name (Datto RMM).
                add(&SecretString::from(username.clone()));
                add(password);
            }
            Grant::ClientCredentials => {}
        }
        if let Ok(rotated) = self.rotated_refresh_token.try_lock() {
            if let Some(t) = rotated.as_ref() {
                add(t);
            }
        }
        all.extend(self.cache.recent());
        all
    }
}
