//! BMS's token requests and answers, for core's `TokenExchange`.
//!
//! `POST /v2/security/authenticate` (a form: `GrantType=password`,
//! `UserName`, `Password`, `Tenant`, `MFACode`) gives an access token, a
//! refresh token and their expiry times. While the refresh token lives, a
//! renewal is `POST /v2/security/refreshtoken` (`AccessToken`,
//! `RefreshToken`). The exchange caches the token, renews it ahead of its
//! expiry and after a 401 (one request for every waiting caller), and signs
//! in again when a refresh is refused.

use std::time::Duration;

use chrono::{FixedOffset, Utc};
use mspkit_core::auth::{IssuedToken, TokenExchange};
use mspkit_core::error::BoxError;
use mspkit_core::{Error, ErrorKind, ExposeSecret, Provider, Result, SecretString};
use url::Url;

use crate::api::TokenOutput;
use crate::errors;

/// The sign-in credentials.
pub(crate) struct Credentials {
    pub tenant: String,
    pub username: String,
    pub password: SecretString,
    pub mfa_code: Option<SecretString>,
}

/// How long before its own expiry a refresh token is no longer used: a
/// refresh sent at the last moment may arrive too late.
const REFRESH_MARGIN: chrono::Duration = chrono::Duration::minutes(1);

/// Tokens from `{api_root}security/authenticate` for `creds`; offset-less
/// expiry times are read in `zone`.
pub(crate) fn token_exchange(
    api_root: &Url,
    creds: Credentials,
    zone: FixedOffset,
) -> Result<TokenExchange> {
    let join = |p: &str| {
        api_root
            .join(p)
            .map_err(|e| Error::config(Provider::KaseyaBms, format!("cannot form {p}: {e}")))
    };
    let login_url = join("security/authenticate")?;
    let refresh_url = join("security/refreshtoken")?;
    let Credentials {
        tenant,
        username,
        password,
        mfa_code,
    } = creds;

    let sign_in = {
        let (url, password, mfa_code) = (login_url.clone(), password.clone(), mfa_code.clone());
        move |client: &reqwest::Client| {
            let mut fields = vec![
                ("GrantType", "password"),
                ("UserName", username.as_str()),
                ("Password", password.expose_secret()),
                ("Tenant", tenant.as_str()),
            ];
            if let Some(code) = &mfa_code {
                fields.push(("MFACode", code.expose_secret()));
            }
            post_form(client, &url, &fields)
        }
    };
    let refresh = move |client: &reqwest::Client, last: &IssuedToken| {
        let refresh_token = last.refresh_token.as_ref()?;
        Some(post_form(
            client,
            &refresh_url,
            &[
                ("AccessToken", last.access_token.expose_secret()),
                ("RefreshToken", refresh_token.expose_secret()),
            ],
        ))
    };

    let mut exchange = TokenExchange::new(login_url.as_str(), sign_in, move |body: &[u8]| {
        parse(body, zone)
    })
    .refresh_with(refresh, move |body: &[u8]| parse(body, zone))
    .secret(password)
    .secret_encoding(form_encoded);
    if let Some(code) = mfa_code {
        exchange = exchange.secret(code);
    }
    Ok(exchange)
}

fn post_form(
    client: &reqwest::Client,
    url: &Url,
    fields: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    client
        .post(url.clone())
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(body.finish())
}

/// A secret as a form carries it, for cutting that form out of error texts too.
fn form_encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Reads a sign-in or refresh answer.
fn parse(body: &[u8], zone: FixedOffset) -> std::result::Result<IssuedToken, BoxError> {
    let out = match errors::result::<TokenOutput>("authenticate", 200, body, false) {
        Ok((out, _)) => out,
        Err(e) if e.kind() != ErrorKind::Decode => return Err(Box::new(refused(e))),
        // The body holds tokens: say where it failed, quote nothing.
        Err(e) => {
            return Err(format!(
                "the token answer cannot be read at `{}`",
                e.decode_path().unwrap_or("result")
            )
            .into());
        }
    };
    let access = out
        .access_token
        .filter(|t| !t.trim().is_empty())
        .ok_or("the token answer holds no accessToken")?;
    // An expiry already past (clock or zone skew) is no lifetime: the token
    // is used until BMS refuses it.
    let life = out
        .access_token_expire_on
        .map(|t| t.at(zone) - Utc::now())
        .and_then(|d| d.to_std().ok())
        .filter(|d| *d > Duration::ZERO);
    let mut issued = IssuedToken::new(SecretString::from(access));
    if let Some(d) = life {
        issued = issued.expires_in(d);
    }
    if let Some(refresh) = out.refresh_token.filter(|t| !t.trim().is_empty()) {
        issued = issued.refresh_token(SecretString::from(refresh));
        if let Some(until) = out.refresh_token_expire_on {
            issued = issued.renewable_until(until.at(zone) - REFRESH_MARGIN);
        }
    }
    Ok(issued)
}

/// BMS refuses a sign-in with 200 and `success: false`: that is an
/// `Unauthorized` with its message and code, not an API error.
fn refused(r: Error) -> Error {
    let mut out = Error::new(r.provider(), "authenticate", ErrorKind::Unauthorized)
        .with_message(format!(
            "login refused: {}",
            r.message().unwrap_or("success: false")
        ))
        .with_details(r.details().to_vec())
        .with_reached_server(true);
    if let Some(status) = r.status() {
        out = out.with_status(status);
    }
    if let Some(code) = r.code() {
        out = out.with_code(code.to_owned());
    }
    out
}
