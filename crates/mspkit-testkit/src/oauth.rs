//! [`TokenEndpoint`]: an OAuth2 token endpoint (RFC 6749) for fakes, with
//! the client-credentials, password and refresh-token grants.
//!
//! It reads the form body, checks every field exactly, answers errors the
//! way an OAuth server does (`400 {"error":"invalid_grant"}`,
//! `401 {"error":"invalid_client"}`), issues distinct tokens from a
//! [`TokenStore`] and rotates refresh tokens: each refresh issues a new one
//! and the old one stops working.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::auth::{BearerToken, basic_credentials};
use crate::reply::{Reply, oauth_error};
use crate::tokens::TokenStore;

/// How the client authenticates to the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ClientAuth {
    /// No client authentication.
    None,
    /// `client_id` and `client_secret` in the form body.
    Form(String, String),
    /// `Authorization: Basic base64(id:secret)`.
    Basic(String, String),
}

#[derive(Debug, Clone)]
struct Config {
    client: ClientAuth,
    client_credentials: bool,
    password: Option<(String, String)>,
    refresh: bool,
    rotate: bool,
    issue_refresh: bool,
    scope: Option<String>,
    expires_in: u64,
    token_type: String,
    extra: Value,
}

/// An OAuth2 token endpoint; mount it with [`mount`](Self::mount) or as a
/// responder. Clones share the same tokens.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use mspkit_testkit::TokenEndpoint;
///
/// let server = wiremock::MockServer::start().await;
/// // NinjaOne: client credentials in the form, refresh tokens that rotate.
/// let tokens = TokenEndpoint::client_credentials("id", "secret")
///     .refresh_grant()
///     .with_refresh_token("pasted-refresh-token");
/// tokens.mount(&server, "/ws/oauth/token").await;
/// // Datto RMM: the password grant, the client in a Basic header.
/// let datto = TokenEndpoint::password("api-key", "api-secret").client_basic("public-client", "public");
/// # let _ = datto;
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct TokenEndpoint {
    config: Arc<Config>,
    store: TokenStore,
}

impl TokenEndpoint {
    fn with(config: Config) -> Self {
        TokenEndpoint {
            config: Arc::new(config),
            store: TokenStore::default(),
        }
    }

    fn edit(mut self, f: impl FnOnce(&mut Config)) -> Self {
        f(Arc::make_mut(&mut self.config));
        self
    }

    fn base() -> Config {
        Config {
            client: ClientAuth::None,
            client_credentials: false,
            password: None,
            refresh: false,
            rotate: true,
            issue_refresh: false,
            scope: None,
            expires_in: 3600,
            token_type: "Bearer".into(),
            extra: json!({}),
        }
    }

    /// The client-credentials grant for client `id` with `secret`, sent as
    /// `client_id` and `client_secret` form fields.
    pub fn client_credentials(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self::with(Config {
            client: ClientAuth::Form(id.into(), secret.into()),
            client_credentials: true,
            ..Self::base()
        })
    }

    /// The password grant for `username` with `password` (no client
    /// authentication unless [`client_basic`](Self::client_basic) or
    /// [`client_form`](Self::client_form) asks for it).
    pub fn password(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::with(Config {
            password: Some((username.into(), password.into())),
            ..Self::base()
        })
    }

    /// Only the refresh-token grant (accepting the tokens added with
    /// [`with_refresh_token`](Self::with_refresh_token)), for client `id`
    /// with `secret` in the form.
    pub fn refresh_only(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self::with(Config {
            client: ClientAuth::Form(id.into(), secret.into()),
            refresh: true,
            issue_refresh: true,
            ..Self::base()
        })
    }

    /// The client authenticates with `Authorization: Basic base64(id:secret)`
    /// (Datto's `public-client:public`), checked by decoding.
    pub fn client_basic(self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        let client = ClientAuth::Basic(id.into(), secret.into());
        self.edit(|c| c.client = client)
    }

    /// The client authenticates with `client_id` and `client_secret` form fields.
    pub fn client_form(self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        let client = ClientAuth::Form(id.into(), secret.into());
        self.edit(|c| c.client = client)
    }

    /// Also accepts the refresh-token grant, and every grant issues a
    /// refresh token. Each refresh issues a new refresh token and the old
    /// one stops working (see [`keep_refresh_tokens`](Self::keep_refresh_tokens)).
    pub fn refresh_grant(self) -> Self {
        self.edit(|c| {
            c.refresh = true;
            c.issue_refresh = true;
        })
    }

    /// Refresh tokens do not rotate: a refresh answers with the same
    /// refresh token, which keeps working.
    pub fn keep_refresh_tokens(self) -> Self {
        self.edit(|c| c.rotate = false)
    }

    /// Accepts `token` as a refresh token (one a user pasted into the settings).
    pub fn with_refresh_token(self, token: impl Into<String>) -> Self {
        self.store.add_refresh(token);
        self.edit(|c| c.refresh = true)
    }

    /// The `scope` field must be exactly `scope` (else `400 invalid_scope`);
    /// it is echoed in the answer.
    pub fn scope(self, scope: impl Into<String>) -> Self {
        let scope = scope.into();
        self.edit(|c| c.scope = Some(scope))
    }

    /// The `expires_in` the answer names (3600 unless set).
    pub fn expires_in(self, seconds: u64) -> Self {
        self.edit(|c| c.expires_in = seconds)
    }

    /// The `token_type` the answer names (`Bearer` unless set).
    pub fn token_type(self, token_type: impl Into<String>) -> Self {
        let t = token_type.into();
        self.edit(|c| c.token_type = t)
    }

    /// Extra fields merged into every successful answer (Datto's `jti`).
    pub fn extra(self, fields: Value) -> Self {
        self.edit(|c| c.extra = fields)
    }

    /// Issues tokens from `store` (shared with a [`LoginEndpoint`] or
    /// another token endpoint) instead of a store of its own. Refresh tokens
    /// already added stay in the old store, so call this first.
    ///
    /// [`LoginEndpoint`]: crate::LoginEndpoint
    pub fn store_in(mut self, store: &TokenStore) -> Self {
        self.store = store.clone();
        self
    }

    /// The tokens this endpoint issued: ask it for what was issued, make
    /// tokens expire or the next call fail.
    pub fn store(&self) -> &TokenStore {
        &self.store
    }

    /// A bearer check that accepts this endpoint's access tokens.
    pub fn bearer(&self, refusal: Reply) -> BearerToken {
        BearerToken::issued_by(&self.store, refusal)
    }

    /// Every token issued, access and refresh, in order.
    pub fn issued(&self) -> Vec<String> {
        self.store.issued()
    }

    /// The number of token requests, granted or not.
    pub fn requests(&self) -> usize {
        self.store.requests()
    }

    /// Every access token stops working after `n` API calls.
    pub fn expire_after_uses(&self, n: u64) {
        self.store.expire_after_uses(n);
    }

    /// The next API call is refused (401), whatever its token.
    pub fn reject_next_call(&self) {
        self.store.reject_next_call();
    }

    /// Mounts this endpoint at `POST {at}` on `server`.
    pub async fn mount(&self, server: &MockServer, at: &str) {
        Mock::given(method("POST"))
            .and(path(at))
            .respond_with(self.clone())
            .named("token endpoint")
            .mount(server)
            .await;
    }

    fn check_client(&self, req: &Request, form: &HashMap<String, String>) -> Result<(), Reply> {
        let field = |k: &str| form.get(k).map(String::as_str);
        let ok = match &self.config.client {
            ClientAuth::None => true,
            ClientAuth::Form(id, secret) => {
                field("client_id") == Some(id) && field("client_secret") == Some(secret)
            }
            ClientAuth::Basic(id, secret) => basic_credentials(req).is_some_and(|(u, p)| {
                decode_form_component(&u) == *id && decode_form_component(&p) == *secret
            }),
        };
        if ok {
            Ok(())
        } else {
            Err(oauth_error(
                401,
                "invalid_client",
                "Client authentication failed",
            ))
        }
    }

    fn grant(&self, req: &Request) -> Result<Value, Reply> {
        let form: HashMap<String, String> = url::form_urlencoded::parse(&req.body)
            .into_owned()
            .collect();
        let field = |k: &str| form.get(k).map(String::as_str);
        let Some(grant_type) = field("grant_type") else {
            return Err(oauth_error(
                400,
                "invalid_request",
                "Missing grant_type parameter",
            ));
        };
        let c = &self.config;
        let known = match grant_type {
            "client_credentials" => c.client_credentials,
            "password" => c.password.is_some(),
            "refresh_token" => c.refresh,
            _ => false,
        };
        if !known {
            return Err(oauth_error(
                400,
                "unsupported_grant_type",
                &format!("Unsupported grant type: {grant_type}"),
            ));
        }
        self.check_client(req, &form)?;
        if let Some(scope) = &c.scope {
            // A refresh may leave the scope out (RFC 6749 §6).
            let optional = grant_type == "refresh_token" && field("scope").is_none();
            if !optional && field("scope") != Some(scope.as_str()) {
                return Err(oauth_error(400, "invalid_scope", "The scope is invalid"));
            }
        }
        let mut refresh = None;
        match grant_type {
            "password" => {
                let (user, password) = c
                    .password
                    .as_ref()
                    .map(|(u, p)| (u.as_str(), p.as_str()))
                    .unwrap_or_default();
                if field("username") != Some(user) || field("password") != Some(password) {
                    return Err(oauth_error(400, "invalid_grant", "Bad credentials"));
                }
            }
            "refresh_token" => {
                let Some(token) = field("refresh_token") else {
                    return Err(oauth_error(
                        400,
                        "invalid_request",
                        "Missing refresh_token parameter",
                    ));
                };
                let ok = if c.rotate {
                    self.store.redeem_refresh(token)
                } else {
                    self.store.refresh_is_live(token)
                };
                if !ok {
                    return Err(oauth_error(400, "invalid_grant", "Invalid refresh token"));
                }
                if !c.rotate {
                    refresh = Some(token.to_owned());
                }
            }
            _ => {}
        }
        let access = self.store.issue_access();
        if refresh.is_none() && c.issue_refresh {
            refresh = Some(self.store.issue_refresh());
        }
        let mut body = json!({
            "access_token": access,
            "token_type": c.token_type,
            "expires_in": c.expires_in,
        });
        if let Some(r) = refresh {
            body["refresh_token"] = json!(r);
        }
        if let Some(s) = field("scope").or(c.scope.as_deref()) {
            body["scope"] = json!(s);
        }
        if let (Value::Object(b), Value::Object(extra)) = (&mut body, &c.extra) {
            for (k, v) in extra {
                b.insert(k.clone(), v.clone());
            }
        }
        Ok(body)
    }
}

/// RFC 6749 §2.3.1 form-encodes the id and secret before Basic encoding;
/// names without special characters are unchanged.
fn decode_form_component(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.store.count_request();
        match self.grant(request) {
            Ok(body) => ResponseTemplate::new(200)
                .set_body_json(body)
                .insert_header("cache-control", "no-store"),
            Err(reply) => reply.template(),
        }
    }
}
