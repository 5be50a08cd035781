//! [`LoginEndpoint`]: a token-exchange login (ConnectWise Automate's
//! `apitoken`, Kaseya BMS's `security/authenticate`): credentials posted as
//! JSON or a form, answered with an access token and its expiry in the
//! platform's own shape.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::auth::BearerToken;
use crate::query::{field, text_of};
use crate::reply::Reply;
use crate::tokens::TokenStore;

/// A token the login issued, for the function that shapes the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginToken {
    /// The access token.
    pub access_token: String,
    /// Its lifetime in seconds.
    pub expires_in: u64,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// How the credentials arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginBody {
    /// A JSON object.
    Json,
    /// An `application/x-www-form-urlencoded` form.
    Form,
    /// Either: JSON when the body parses as JSON, else a form.
    Either,
}

type Shape = dyn Fn(&LoginToken) -> Value + Send + Sync;

/// A login endpoint that checks posted credentials field by field and
/// answers with a token. Clones share the same tokens.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use mspkit_testkit::{LoginEndpoint, Reply};
/// use serde_json::json;
///
/// let server = wiremock::MockServer::start().await;
/// // Automate: `{"UserName", "Password"}` in, `{"AccessToken", "ExpirationDate"}` out.
/// let login = LoginEndpoint::new(Reply::json(401, json!({"Message": "Invalid credentials"})))
///     .field("UserName", "tech")
///     .field("Password", "pa55")
///     .answer(|t| json!({"AccessToken": t.access_token, "ExpirationDate": t.expires_at.to_rfc3339()}));
/// login.mount(&server, "/cwa/api/v1/apitoken").await;
/// # }
/// ```
#[derive(Clone)]
pub struct LoginEndpoint {
    fields: Vec<(String, String)>,
    body: LoginBody,
    expires_in: u64,
    shape: Arc<Shape>,
    refusal: Reply,
    store: TokenStore,
}

impl std::fmt::Debug for LoginEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginEndpoint")
            .field(
                "fields",
                &self.fields.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("body", &self.body)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

impl LoginEndpoint {
    /// A login that refuses wrong or missing credentials with `refusal`,
    /// takes JSON or a form, and answers `{"access_token", "expires_in"}`
    /// (3600 seconds) unless told otherwise.
    pub fn new(refusal: Reply) -> Self {
        LoginEndpoint {
            fields: Vec::new(),
            body: LoginBody::Either,
            expires_in: 3600,
            shape: Arc::new(
                |t| json!({"access_token": t.access_token, "expires_in": t.expires_in}),
            ),
            refusal,
            store: TokenStore::default(),
        }
    }

    /// Field `name` (a name, or a JSON pointer such as `/auth/user`) must
    /// be exactly `value`.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// Accepts credentials only as `body` (JSON or a form).
    pub fn body(mut self, body: LoginBody) -> Self {
        self.body = body;
        self
    }

    /// The lifetime of the tokens issued (3600 seconds unless set).
    pub fn expires_in(mut self, seconds: u64) -> Self {
        self.expires_in = seconds;
        self
    }

    /// Shapes the answer from the token issued.
    pub fn answer(mut self, shape: impl Fn(&LoginToken) -> Value + Send + Sync + 'static) -> Self {
        self.shape = Arc::new(shape);
        self
    }

    /// Issues tokens from `store`, shared with another endpoint.
    pub fn store_in(mut self, store: &TokenStore) -> Self {
        self.store = store.clone();
        self
    }

    /// The tokens this login issued.
    pub fn store(&self) -> &TokenStore {
        &self.store
    }

    /// A bearer check that accepts this login's tokens.
    pub fn bearer(&self, refusal: Reply) -> BearerToken {
        BearerToken::issued_by(&self.store, refusal)
    }

    /// Every token issued, in order.
    pub fn issued(&self) -> Vec<String> {
        self.store.issued()
    }

    /// The number of login requests, granted or not.
    pub fn requests(&self) -> usize {
        self.store.requests()
    }

    /// Mounts this login at `POST {at}` on `server`.
    pub async fn mount(&self, server: &MockServer, at: &str) {
        Mock::given(method("POST"))
            .and(path(at))
            .respond_with(self.clone())
            .named("login endpoint")
            .mount(server)
            .await;
    }

    fn credentials(&self, request: &Request) -> Option<Value> {
        let json = || {
            serde_json::from_slice::<Value>(&request.body)
                .ok()
                .filter(Value::is_object)
        };
        let form = || {
            let map: serde_json::Map<String, Value> = url::form_urlencoded::parse(&request.body)
                .into_owned()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            Value::Object(map)
        };
        match self.body {
            LoginBody::Json => json(),
            LoginBody::Form => Some(form()),
            LoginBody::Either => json().or_else(|| Some(form())),
        }
    }
}

impl Respond for LoginEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.store.count_request();
        let Some(sent) = self.credentials(request) else {
            return self.refusal.template();
        };
        let ok = self
            .fields
            .iter()
            .all(|(name, want)| field(&sent, name).is_some_and(|v| text_of(v) == *want));
        if !ok {
            return self.refusal.template();
        }
        let token = LoginToken {
            access_token: self.store.issue_access(),
            expires_in: self.expires_in,
            expires_at: Utc::now() + Duration::seconds(self.expires_in as i64),
        };
        ResponseTemplate::new(200).set_body_json((self.shape)(&token))
    }
}
