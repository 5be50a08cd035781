use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::AUTHORIZATION;
use secrecy::{ExposeSecret, SecretString};

use super::{Auth, AuthContext, AuthStamp, sensitive_header};
use crate::error::Result;

/// HTTP Basic: `Authorization: Basic base64(username:password)`.
///
/// ConnectWise Manage (`company+publickey` / private key), Zendesk
/// (`email/token` / API token), Freshservice (API key / `X`).
pub struct Basic {
    username: String,
    password: SecretString,
}

impl Basic {
    /// Basic auth with this user name and password.
    pub fn new(username: impl Into<String>, password: SecretString) -> Self {
        Basic {
            username: username.into(),
            password,
        }
    }
}

impl std::fmt::Debug for Basic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The user name of some providers embeds a key, so neither part is shown.
        f.debug_struct("Basic").finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for Basic {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        let pair = format!("{}:{}", self.username, self.password.expose_secret());
        let value = sensitive_header(ctx.provider, &format!("Basic {}", STANDARD.encode(pair)))?;
        req.headers_mut().insert(AUTHORIZATION, value);
        Ok(AuthStamp::default())
    }

    fn secrets(&self) -> Vec<String> {
        let pair = format!("{}:{}", self.username, self.password.expose_secret());
        vec![
            self.password.expose_secret().to_owned(),
            STANDARD.encode(&pair),
            pair,
        ]
    }
}
