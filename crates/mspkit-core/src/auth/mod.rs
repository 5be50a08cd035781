//! How requests prove who sends them: one [`Auth`] trait and the strategies
//! the providers need.
//!
//! Every strategy keeps its secrets in [`SecretString`](secrecy::SecretString):
//! `Debug` shows the strategy and its non-secret settings only, and header
//! values that carry a secret are marked sensitive so that `reqwest` and
//! `http` never print them.

mod basic;
mod chain;
mod hmac_signature;
mod keys;
mod oauth2;
mod token_cache;
mod token_exchange;

use async_trait::async_trait;

pub use basic::Basic;
pub use chain::Chain;
pub use hmac_signature::HmacSignature;
pub use keys::{ApiKeyHeader, ApiKeyQuery, HeaderSet, NoAuth};
pub use oauth2::{ClientAuthStyle, Grant, OAuth2};
pub use token_cache::IssuedToken;
pub use token_exchange::TokenExchange;

use crate::error::Result;
use crate::model::Provider;

/// What a strategy may use while it authorizes a request: the transport's own
/// `reqwest` client (token requests go through it, never a second client) and
/// the provider, for error messages.
#[derive(Debug, Clone, Copy)]
pub struct AuthContext<'a> {
    /// The transport's HTTP client.
    pub client: &'a reqwest::Client,
    /// The provider being called.
    pub provider: Provider,
}

/// Which credential a request was sent with, so that a 401 renews the token
/// once however many requests saw it fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuthStamp(pub u64);

/// A way of authorizing requests.
#[async_trait]
pub trait Auth: Send + Sync + std::fmt::Debug {
    /// Adds credentials (a header, a query parameter, a signature or a token)
    /// to the request, fetching or renewing a token first when one is due.
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp>;

    /// Called after the server answered 401 to a request sent with `stamp`.
    /// Returns whether the request is worth sending once more: token strategies
    /// drop the token (unless another caller already renewed it) and return
    /// `true`; fixed credentials return `false`.
    async fn refresh(&self, ctx: &AuthContext<'_>, stamp: AuthStamp) -> Result<bool> {
        let _ = (ctx, stamp);
        Ok(false)
    }

    /// Every secret this strategy holds or was issued, in each form it is
    /// sent (a key, a password, a Basic header value, a token), so that the
    /// transport can cut them out of any text that reaches an error or a
    /// log (a gateway may quote the request it refused).
    fn secrets(&self) -> Vec<String> {
        Vec::new()
    }
}

pub(crate) fn sensitive_header(
    provider: Provider,
    value: &str,
) -> Result<reqwest::header::HeaderValue> {
    let mut v = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
        crate::Error::config(
            provider,
            "a credential contains characters not allowed in a header",
        )
    })?;
    v.set_sensitive(true);
    Ok(v)
}
