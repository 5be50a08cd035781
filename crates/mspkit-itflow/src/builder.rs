//! Setting up an [`ItFlowClient`].

use chrono::{FixedOffset, Offset, Utc};
use mspkit_core::auth::ApiKeyQuery;
use mspkit_core::http::parse_base_url;
use mspkit_core::{ClientOptions, Error, ErrorKind, Provider, Result, SecretString, settings};

use crate::client::ItFlowClient;
use crate::errors::parse_error_body;
use crate::settings::ItFlowSettings;

const P: Provider = Provider::ItFlow;

/// The query parameter (and JSON body field) that carries the key.
pub(crate) const API_KEY_PARAM: &str = "api_key";

/// Sets up an [`ItFlowClient`]; every setting is checked in
/// [`build`](Self::build), before any request.
///
/// ```
/// let client = mspkit_itflow::ItFlowClient::builder()
///     .base_url("https://example.com/itflow/api/v1/")
///     .api_key("q3Zt7LmN0pXv2RbY")
///     .time_zone("-05:00")
///     .build()
///     .unwrap();
/// assert_eq!(client.http().base_url().as_str(), "https://example.com/itflow/api/v1/");
/// ```
#[derive(Debug, Default)]
pub struct ItFlowClientBuilder {
    base_url: Option<String>,
    api_key: Option<SecretString>,
    time_zone: Option<String>,
    options: ClientOptions,
}

impl ItFlowClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder for stored settings. Setting [`options`](Self::options)
    /// afterwards replaces the settings' `allow_insecure_http` and trust
    /// settings.
    pub fn from_settings(s: &ItFlowSettings) -> Self {
        let mut b = ItFlowClientBuilder {
            base_url: Some(s.base_url.clone()),
            api_key: Some(s.api_key.clone()),
            time_zone: s.time_zone.clone(),
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

    /// The ITFlow site (`https://itflow.example.com`, or a sub-path); a
    /// trailing `/api/v1` is accepted. A bare host means `https://`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// The UTC offset the server writes its times in (`"+02:00"`, `"UTC"`);
    /// UTC when not set.
    pub fn time_zone(mut self, offset: impl Into<String>) -> Self {
        self.time_zone = Some(offset.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. ITFlow publishes no rate
    /// limit, so none applies unless [`rate_limit`](Self::rate_limit) sets one.
    pub fn build(self) -> Result<ItFlowClient> {
        let raw = settings::required(P, "base_url", self.base_url)?;
        let site = parse_base_url(P, &raw, self.options.allow_insecure_http).map_err(|e| {
            if e.kind() == ErrorKind::InsecureUrl {
                Error::insecure_url(
                    P,
                    "build",
                    format!(
                        "{} (an install on a trusted LAN may be reached over http: set \
                         \"allow_insecure_http\": true in the settings, or call \
                         .allow_insecure_http() on the builder)",
                        e.message().unwrap_or_default()
                    ),
                )
            } else {
                e
            }
        })?;
        let mut root = site;
        let path = root.path().trim_end_matches('/').to_owned();
        let site_path = path.strip_suffix("/api/v1").unwrap_or(&path).to_owned();
        root.set_path(&format!("{site_path}/api/v1/"));
        let key = settings::secret(P, "api_key", self.api_key)?;
        let offset = match settings::optional(self.time_zone) {
            None => Utc.fix(),
            Some(tz) => parse_offset(&tz).ok_or_else(|| {
                Error::config(
                    P,
                    "time_zone must be a UTC offset such as +02:00, -0500 or UTC \
                     (zone names such as Europe/Berlin are not read)",
                )
            })?,
        };
        let http = self
            .options
            .http_builder(P, root.as_str(), None)
            .first_contact_hints(crate::errors::first_contact)
            .auth(ApiKeyQuery::new(API_KEY_PARAM, key.clone()).reads_only())
            .error_body(parse_error_body)
            .build()?;
        Ok(ItFlowClient::new(http, key, offset, self.options.keep_raw))
    }
}

/// `UTC`, `Z`, `GMT`, `+HH:MM`, `+HHMM` or `+HH` (and `-`), optionally
/// after `UTC`/`GMT` (`UTC+02:00`).
pub(crate) fn parse_offset(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    if rest.is_empty() || rest == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, digits) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None if digits.len() <= 2 => (digits, "0"),
        None => return None,
    };
    if h.is_empty() || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_read_in_the_usual_forms() {
        let secs = |t: &str| parse_offset(t).map(|o| o.local_minus_utc());
        assert_eq!(secs("UTC"), Some(0));
        assert_eq!(secs("z"), Some(0));
        assert_eq!(secs("+02:00"), Some(7200));
        assert_eq!(secs("-0530"), Some(-19800));
        assert_eq!(secs("UTC+1"), Some(3600));
        assert_eq!(secs("GMT-03:30"), Some(-12600));
        assert_eq!(secs("Europe/Berlin"), None);
        assert_eq!(secs("+25:00"), None);
        assert_eq!(secs("+"), None);
    }
}
