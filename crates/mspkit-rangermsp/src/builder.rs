//! Setting up a [`RangerMspClient`].

use mspkit_core::auth::ApiKeyHeader;
use mspkit_core::http::parse_base_url;
use mspkit_core::reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use mspkit_core::{ClientOptions, Error, Provider, Result, SecretString, settings};
use url::Url;

use crate::client::RangerMspClient;
use crate::errors::parse_error_body;
use crate::settings::RangerMspSettings;

const P: Provider = Provider::RangerMsp;

/// The cloud API root, used when no `base_url` is set.
pub const CLOUD_BASE_URL: &str = "https://api.commitcrm.com/api/v1";

/// The header that carries `account_id` (an assumption of this crate: the
/// setup guide names the setting, not how it travels).
pub const ACCOUNT_ID_HEADER: &str = "x-account-id";

/// Builds a [`RangerMspClient`]; every setting is checked in
/// [`build`](Self::build), which sends no request.
///
/// RangerMSP publishes no rate limit, so none applies unless
/// [`rate_limit`](Self::rate_limit) sets one.
#[derive(Clone, Default)]
pub struct RangerMspClientBuilder {
    base_url: Option<String>,
    api_key: Option<SecretString>,
    account_id: Option<String>,
    options: ClientOptions,
}

impl std::fmt::Debug for RangerMspClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RangerMspClientBuilder")
            .field("base_url", &self.base_url)
            .field("account_id", &self.account_id)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl RangerMspClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding stored settings, to add shared options to before
    /// [`build`](Self::build). Setting [`options`](Self::options) afterwards
    /// replaces the settings' `allow_insecure_http` and trust settings.
    pub fn from_settings(s: &RangerMspSettings) -> Self {
        let mut b = Self::new().api_key(s.api_key.clone());
        if let Some(url) = &s.base_url {
            b = b.base_url(url.clone());
        }
        if let Some(account) = &s.account_id {
            b = b.account_id(account.clone());
        }
        if s.allow_insecure_http {
            b = b.allow_insecure_http();
        }
        b.options = b
            .options
            .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs);
        b
    }

    /// The API root: `https://{server}:8443/api/v1` for a self-hosted
    /// server; the cloud's `https://api.commitcrm.com/api/v1` when unset. A
    /// URL with no path gets `/api/v1`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key (a `&str`, `String` or `SecretString`).
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The cloud account to act on, sent as `X-Account-Id`.
    pub fn account_id(mut self, account: impl Into<String>) -> Self {
        self.account_id = Some(account.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(self) -> Result<RangerMspClient> {
        let root = api_root(self.base_url.as_deref(), self.options.allow_insecure_http)?;
        let key = settings::secret(P, "api_key", self.api_key)?;
        let mut http = self
            .options
            .http_builder(P, root.as_str(), None)
            .first_contact_hints(crate::errors::first_contact)
            .auth(ApiKeyHeader::new(AUTHORIZATION, key).with_prefix("Bearer "))
            .error_body(parse_error_body);
        if let Some(account) = settings::optional(self.account_id) {
            let value = HeaderValue::from_str(&account)
                .ok()
                .filter(|_| account.bytes().all(|b| b.is_ascii_graphic()))
                .ok_or_else(|| {
                    Error::config(P, "account_id must be printable ASCII without spaces")
                })?;
            http = http.default_header(HeaderName::from_static(ACCOUNT_ID_HEADER), value);
        }
        Ok(RangerMspClient::from_parts(
            http.build()?,
            self.options.keep_raw,
        ))
    }
}

/// The API root (ending in `/`) for a base URL, or the cloud's when none is
/// set. A URL with no path is given `/api/v1/`.
pub(crate) fn api_root(base_url: Option<&str>, allow_insecure_http: bool) -> Result<Url> {
    let raw = settings::optional(base_url.map(str::to_owned));
    let raw = raw.as_deref().unwrap_or(CLOUD_BASE_URL);
    let mut url = parse_base_url(P, raw, allow_insecure_http)?;
    if url.path() == "/" {
        url.set_path("/api/v1/");
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mspkit_core::ErrorKind;

    fn root(b: Option<&str>) -> std::result::Result<String, ErrorKind> {
        api_root(b, true)
            .map(|u| u.to_string())
            .map_err(|e| e.kind())
    }

    #[test]
    fn the_api_root_is_the_cloud_or_the_base_url() {
        assert_eq!(root(None).unwrap(), "https://api.commitcrm.com/api/v1/");
        assert_eq!(
            root(Some("  ")).unwrap(),
            "https://api.commitcrm.com/api/v1/"
        );
        assert_eq!(
            root(Some("https://crm.example.com:8443")).unwrap(),
            "https://crm.example.com:8443/api/v1/"
        );
        assert_eq!(
            root(Some("crm.example.com:8443/")).unwrap(),
            "https://crm.example.com:8443/api/v1/"
        );
        assert_eq!(
            root(Some("https://crm.example.com:8443/api/v1")).unwrap(),
            "https://crm.example.com:8443/api/v1/"
        );
        assert_eq!(
            root(Some("https://proxy.example/rangermsp/v1/")).unwrap(),
            "https://proxy.example/rangermsp/v1/"
        );
        assert_eq!(root(Some("ftp://x")).unwrap_err(), ErrorKind::Config);
        assert_eq!(
            api_root(Some("http://127.0.0.1:9000"), false)
                .unwrap_err()
                .kind(),
            ErrorKind::InsecureUrl
        );
    }
}
