//! Automate's token requests and answers, for core's `TokenExchange`.
//!
//! `POST apitoken` with `{"Username", "Password"[, "TwoFactorPasscode"]}`
//! gives a `TokenResult`: the access token, its `ExpirationDate` (about an
//! hour) and an `AbsoluteExpirationDate`. Within the absolute expiry,
//! `POST apitoken/refresh` with the current token as a JSON string renews
//! the session without the credentials, and so without a two-factor
//! passcode, which is good for one sign-in only. The exchange caches the
//! token, renews it ahead of its expiry and after a 401 (one request for
//! every waiting caller), and signs in once when a refresh is refused.
//! Both requests carry the `ClientId` header.

use std::time::Duration;

use chrono::{DateTime, Utc};
use mspkit_core::auth::{IssuedToken, TokenExchange};
use mspkit_core::error::BoxError;
use mspkit_core::http::decode_json;
use mspkit_core::{Error, ExposeSecret, Provider, Result, SecretString};
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use serde_json::Value;
use url::Url;

use crate::api::TokenResult;

const P: Provider = Provider::Automate;

/// The lifetime assumed when `ExpirationDate` cannot be used (absent, in
/// the past, or further out than an hour: the server may write its local
/// time without an offset).
pub(crate) const ASSUMED_LIFE: Duration = Duration::from_secs(55 * 60);

/// The longest lifetime believed; Automate's tokens last about an hour.
const MAX_LIFE: Duration = Duration::from_secs(60 * 60);

/// The sign-in credentials.
pub(crate) struct Credentials {
    pub username: String,
    pub password: SecretString,
    pub two_factor_passcode: Option<SecretString>,
    pub client_id: HeaderValue,
}

/// A value as it appears inside a JSON string, without the quotes.
fn json_escaped(value: &str) -> String {
    let quoted = Value::String(value.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

/// Tokens from `{api_root}apitoken` for `creds`.
pub(crate) fn token_exchange(api_root: &Url, creds: Credentials) -> Result<TokenExchange> {
    let join = |p: &str| {
        api_root
            .join(p)
            .map_err(|e| Error::config(P, format!("cannot form the {p} URL: {e}")))
    };
    let login_url = join("apitoken")?;
    let refresh_url = join("apitoken/refresh")?;
    let Credentials {
        username,
        password,
        two_factor_passcode,
        client_id,
    } = creds;
    // Authenticator apps show the code with spaces.
    let passcode = two_factor_passcode.map(|code| {
        let digits: String = code
            .expose_secret()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        SecretString::from(digits)
    });

    let sign_in = {
        let (url, password, passcode, client_id) = (
            login_url.clone(),
            password.clone(),
            passcode.clone(),
            client_id.clone(),
        );
        move |client: &reqwest::Client| {
            let mut body = serde_json::json!({
                "Username": username,
                "Password": password.expose_secret(),
            });
            if let Some(code) = &passcode {
                body["TwoFactorPasscode"] = Value::String(code.expose_secret().to_owned());
            }
            post_json(client, &url, &client_id, &body)
        }
    };
    let refresh = move |client: &reqwest::Client, last: &IssuedToken| {
        let token = Value::String(last.access_token.expose_secret().to_owned());
        Some(post_json(client, &refresh_url, &client_id, &token))
    };

    let mut exchange = TokenExchange::new(login_url.as_str(), sign_in, parse)
        .refresh_with(refresh, parse)
        .secret(password)
        .secret_encoding(json_escaped);
    if let Some(code) = passcode {
        exchange = exchange.secret(code);
    }
    Ok(exchange)
}

fn post_json(
    client: &reqwest::Client,
    url: &Url,
    client_id: &HeaderValue,
    body: &Value,
) -> reqwest::RequestBuilder {
    client
        .post(url.clone())
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "application/json")
        .header("ClientId", client_id.clone())
        .header(CACHE_CONTROL, "no-cache")
        .body(body.to_string())
}

/// Reads a sign-in or refresh answer.
fn parse(body: &[u8]) -> std::result::Result<IssuedToken, BoxError> {
    let result: TokenResult = decode_json(P, "authenticate", body).map_err(|e| {
        // The body holds a token: say where it failed, quote nothing.
        format!(
            "the token answer cannot be read at `{}`",
            e.decode_path().unwrap_or("TokenResult")
        )
    })?;
    let Some(token) = result.access_token.filter(|t| !t.trim().is_empty()) else {
        let why = if result.is_two_factor_required {
            "the account requires a two-factor passcode: set two_factor_passcode, \
             or sign in as an API user without two-factor authentication"
        } else {
            "the token answer holds no AccessToken"
        };
        return Err(Box::new(
            Error::unauthorized(P, "authenticate", why).with_reached_server(true),
        ));
    };
    let mut issued = IssuedToken::new(SecretString::from(token))
        .expires_in(lifetime(result.expiration_date, Utc::now()));
    if let Some(until) = result.absolute_expiration_date {
        issued = issued.renewable_until(until);
    }
    Ok(issued)
}

/// How long a token lives: until `expires` when that is within the next
/// hour, else [`ASSUMED_LIFE`].
pub(crate) fn lifetime(expires: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Duration {
    expires
        .and_then(|at| (at - now).to_std().ok())
        .filter(|d| !d.is_zero() && *d <= MAX_LIFE)
        .unwrap_or(ASSUMED_LIFE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifetime_is_believed_only_within_an_hour() {
        let now = DateTime::from_timestamp(1_718_000_000, 0).unwrap();
        let at = |secs| Some(now + chrono::Duration::seconds(secs));
        assert_eq!(lifetime(at(3000), now), Duration::from_secs(3000));
        assert_eq!(lifetime(at(3600), now), Duration::from_secs(3600));
        // A server writing its local time (UTC-5, UTC+2) without an offset.
        assert_eq!(lifetime(at(3600 - 5 * 3600), now), ASSUMED_LIFE);
        assert_eq!(lifetime(at(3600 + 2 * 3600), now), ASSUMED_LIFE);
        assert_eq!(lifetime(None, now), ASSUMED_LIFE);
    }

    #[test]
    fn secrets_are_declared_in_their_json_form_too() {
        assert_eq!(json_escaped(r#"pa"ss\word"#), r#"pa\"ss\\word"#);
        assert_eq!(json_escaped("plain"), "plain");
    }
}
