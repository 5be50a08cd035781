//! Setting up an [`UnleashedClient`].

use std::time::Duration;

use mspkit_core::auth::{Chain, HeaderSet, HmacSignature};
use mspkit_core::http::{RateLimit, parse_base_url};
use mspkit_core::reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use mspkit_core::{ClientOptions, Error, Provider, Result, SecretString};
use secrecy::ExposeSecret;

use crate::api::is_guid;
use crate::client::UnleashedClient;
use crate::errors::parse_error_body;
use crate::settings::UnleashedSettings;

const P: Provider = Provider::Unleashed;

/// The API root used when no `base_url` is set.
pub const DEFAULT_BASE_URL: &str = "https://api.unleashedsoftware.com";

/// The client-side request budget used unless the builder sets another.
///
/// Unleashed's limit depends on the subscription plan and its numbers are
/// not public, so this stays near one request a second with short bursts;
/// 429s are retried, honouring `Retry-After`.
pub fn default_rate_limit() -> RateLimit {
    RateLimit::new(60, Duration::from_secs(60)).burst(10)
}

/// Sets up an [`UnleashedClient`]; every setting is checked in
/// [`build`](Self::build), before any request.
#[derive(Debug, Default)]
pub struct UnleashedClientBuilder {
    api_id: Option<String>,
    api_key: Option<SecretString>,
    client_type: Option<String>,
    base_url: Option<String>,
    options: ClientOptions,
}

impl UnleashedClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder for stored settings.
    pub fn from_settings(s: &UnleashedSettings) -> Self {
        let mut b = UnleashedClientBuilder {
            api_id: Some(s.api_id.clone()),
            api_key: Some(s.api_key.clone()),
            client_type: Some(s.client_type.clone()),
            base_url: s.base_url.clone(),
            options: ClientOptions::default(),
        };
        if s.allow_insecure_http {
            b = b.allow_insecure_http();
        }
        b.options = b
            .options
            .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs);
        b
    }

    /// The API id (a GUID).
    pub fn api_id(mut self, id: impl Into<String>) -> Self {
        self.api_id = Some(id.into());
        self
    }

    /// The API key that signs requests.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// The `client-type` header: lowercase `<partner>/<app>`, such as `acme/sync`.
    pub fn client_type(mut self, client_type: impl Into<String>) -> Self {
        self.client_type = Some(client_type.into());
        self
    }

    /// The API root ([`DEFAULT_BASE_URL`] unless set).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<UnleashedClient> {
        let root = parse_base_url(
            P,
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.options.allow_insecure_http,
        )?;
        let api_id = self.api_id.as_deref().map(str::trim).unwrap_or_default();
        if api_id.is_empty() {
            return Err(Error::config(P, "api_id is empty"));
        }
        if !is_guid(api_id) {
            // The key is the long base64 string; the id is the GUID beside it.
            // Never quote it: a key pasted into the wrong field is a secret.
            return Err(Error::config(
                P,
                "api_id is not a GUID (like 0f7c9f4e-3a1b-4c55-9d0e-2b7a1c3d4e5f); is it the API key?",
            ));
        }
        let api_key = self
            .api_key
            .filter(|k| !k.expose_secret().trim().is_empty())
            .ok_or_else(|| Error::config(P, "api_key is empty"))?;
        let client_type = check_client_type(self.client_type.as_deref().unwrap_or_default())?;

        let signature = HmacSignature::new(
            HeaderName::from_static("api-auth-id"),
            api_id,
            HeaderName::from_static("api-auth-signature"),
            api_key,
        );
        let client_type_header =
            HeaderSet::new().header(P, HeaderName::from_static("client-type"), client_type)?;
        let http = self
            .options
            .http_builder(P, root.as_str(), Some(default_rate_limit()))
            .first_contact_hints(crate::errors::first_contact)
            .auth(Chain::new().with(signature).with(client_type_header))
            // Unleashed asks for both headers on every request, bodies or not.
            .default_header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .error_body(parse_error_body)
            .build()?;
        Ok(UnleashedClient::new(http, self.options.keep_raw))
    }
}

/// `client-type` is lowercase `<partner>/<app>`: one `/` between two
/// non-empty parts of `a-z`, `0-9`, `-` and `_`.
fn check_client_type(raw: &str) -> Result<&str> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Error::config(
            P,
            "client_type is empty; Unleashed asks for lowercase <partner>/<app>, such as acme/sync",
        ));
    }
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    let well_formed = match value.split_once('/') {
        Some((partner, app)) => part_ok(partner) && part_ok(app),
        None => false,
    };
    if !well_formed {
        let hint = if value.bytes().any(|b| b.is_ascii_uppercase()) {
            " (it must be lowercase)"
        } else if value.contains(char::is_whitespace) {
            " (it must not contain spaces)"
        } else {
            ""
        };
        return Err(Error::config(
            P,
            format!(
                "client_type {value:?} is not lowercase <partner>/<app> of letters, digits, \
                 '-' and '_', such as acme/sync{hint}"
            ),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::check_client_type;

    #[test]
    fn client_types_are_partner_slash_app() {
        for ok in ["mspkit/sync", "acme-it/stock_sync2", "a/b"] {
            assert_eq!(check_client_type(ok).ok(), Some(ok));
        }
        for bad in [
            "",
            "mspkit",
            "MSPKit/sync",
            "mspkit/my sync",
            "mspkit/sync/extra",
            "/sync",
            "mspkit/",
            "mspkit/sync!",
            "mspkit/sÿnc",
        ] {
            assert!(check_client_type(bad).is_err(), "{bad:?} accepted");
        }
    }
}
