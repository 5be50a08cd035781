//! Setting up a [`FreshserviceClient`].

use mspkit_core::auth::Basic;
use std::time::Duration;

use mspkit_core::http::{BudgetHeaders, RateLimit, parse_base_url};
use mspkit_core::{ClientOptions, Error, ExposeSecret, Provider, Result, SecretString, settings};
use url::Url;

use crate::client::FreshserviceClient;
use crate::errors::parse_error_body;
use crate::settings::{CompanySource, FreshserviceSettings};

const P: Provider = Provider::Freshservice;

/// The host every helpdesk's v2 API answers on: `{domain}.freshservice.com`.
const HOST_SUFFIX: &str = ".freshservice.com";

/// The default client-side budget: 100 requests a minute, the account-wide
/// limit of the smallest plan (Starter), so that the first requests of a
/// client stay under any plan's limit. Every answer reports the account's
/// real budget (`X-RateLimit-Total`: Growth 200, Pro 400, Enterprise 500)
/// and what is left of it (`X-RateLimit-Remaining`); the client paces to
/// that total from the first answer on and holds requests back while
/// nothing is left (see [`budget_headers`]). A 429 is waited out by its
/// `Retry-After`.
pub fn default_rate_limit() -> RateLimit {
    RateLimit::per_minute(100)
}

/// Where Freshservice reports the account's per-minute budget. It sends no
/// reset time, so a spent budget is waited out for at most a minute.
pub fn budget_headers() -> BudgetHeaders {
    BudgetHeaders::new("X-RateLimit-Remaining", Duration::from_secs(60)).total("X-RateLimit-Total")
}

/// Builds a [`FreshserviceClient`]; every setting is checked in
/// [`build`](Self::build), which sends no request.
#[derive(Clone, Default)]
pub struct FreshserviceClientBuilder {
    domain: Option<String>,
    base_url: Option<String>,
    api_key: Option<SecretString>,
    company_source: CompanySource,
    options: ClientOptions,
}

impl std::fmt::Debug for FreshserviceClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FreshserviceClientBuilder")
            .field("domain", &self.domain)
            .field("base_url", &self.base_url)
            .field("company_source", &self.company_source)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl FreshserviceClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding stored settings, to add shared options to before
    /// [`build`](Self::build). Setting [`options`](Self::options) afterwards
    /// replaces the settings' `allow_insecure_http` and trust settings.
    pub fn from_settings(s: &FreshserviceSettings) -> Self {
        let mut b = FreshserviceClientBuilder {
            domain: s.domain.clone(),
            base_url: s.base_url.clone(),
            api_key: Some(s.api_key.clone()),
            company_source: s.company_source,
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

    /// The helpdesk: `acme`, `acme.freshservice.com` or its URL.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// A server the domain cannot name (a proxy, a test server), instead of
    /// [`domain`](Self::domain); `/api/v2` is added unless the URL ends with it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The agent's API key (a `&str`, `String` or `SecretString`).
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// What a normalized company is (departments unless set).
    pub fn company_source(mut self, source: CompanySource) -> Self {
        self.company_source = source;
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(self) -> Result<FreshserviceClient> {
        let root = match (
            settings::optional(self.domain),
            settings::optional(self.base_url),
        ) {
            (Some(_), Some(_)) => {
                return Err(Error::config(P, "set domain or base_url, not both"));
            }
            (None, None) => {
                return Err(Error::config(
                    P,
                    "domain is required (the `acme` of acme.freshservice.com), or base_url",
                ));
            }
            (Some(domain), None) => api_root_for_domain(&domain)?,
            (None, Some(url)) => api_root_for_url(&url, self.options.allow_insecure_http)?,
        };
        let key = settings::secret(P, "api_key", self.api_key)?;
        let auth = Basic::new(key.expose_secret().to_owned(), SecretString::from("X"));
        let http = self
            .options
            .http_builder(P, root.as_str(), Some(default_rate_limit()))
            .budget_headers(budget_headers())
            .first_contact_hints(crate::errors::first_contact)
            .auth(auth)
            .error_body(parse_error_body)
            .build()?;
        Ok(FreshserviceClient::new(
            http,
            self.options.keep_raw,
            self.company_source,
        ))
    }
}

/// `https://{name}.freshservice.com/api/v2/` from what a user types: the
/// name, the host, or a URL of the helpdesk. Messages never quote the value.
pub(crate) fn api_root_for_domain(raw: &str) -> Result<Url> {
    let text = raw.trim();
    let without_scheme = match text.split_once("://") {
        Some((_, rest)) => rest,
        None => text,
    };
    let host = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = match host.strip_suffix(HOST_SUFFIX) {
        Some(name) => name.to_owned(),
        None if !host.contains('.') => host,
        None => {
            return Err(Error::config(
                P,
                "domain is not a freshservice.com host: the v2 API answers only on \
                 {name}.freshservice.com, not on a vanity (CNAME) domain; give the \
                 freshservice.com name, or base_url for a proxy",
            ));
        }
    };
    let valid = !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(Error::config(
            P,
            "domain must be the helpdesk's name (letters, digits and hyphens), as in acme.freshservice.com",
        ));
    }
    Url::parse(&format!("https://{name}{HOST_SUFFIX}/api/v2/"))
        .map_err(|e| Error::config(P, format!("cannot form the API URL: {e}")))
}

/// The API root under a `base_url`: `/api/v2/` added unless the path ends
/// with it; the query and fragment are dropped.
pub(crate) fn api_root_for_url(raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let mut url = parse_base_url(P, raw, allow_insecure_http)?;
    url.set_query(None);
    url.set_fragment(None);
    let path = url.path().trim_end_matches('/').to_owned();
    let path = if path.ends_with("/api/v2") {
        format!("{path}/")
    } else {
        format!("{path}/api/v2/")
    };
    url.set_path(&path);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_becomes_the_freshservice_api_root() {
        for input in [
            "acme",
            " Acme ",
            "acme.freshservice.com",
            "https://acme.freshservice.com",
            "https://acme.freshservice.com/a/tickets/42?x=1",
            "http://ACME.freshservice.com:443/",
        ] {
            assert_eq!(
                api_root_for_domain(input).unwrap().as_str(),
                "https://acme.freshservice.com/api/v2/",
                "{input}"
            );
        }
        for bad in [
            "support.acme.com",
            "",
            "acme_corp",
            "-acme",
            "a.b.freshservice.com",
        ] {
            let e = api_root_for_domain(bad).unwrap_err();
            assert_eq!(e.kind(), mspkit_core::ErrorKind::Config, "{bad}");
        }
        let cname = api_root_for_domain("helpdesk.acme.example").unwrap_err();
        assert!(cname.to_string().contains("vanity"), "{cname}");
        assert!(!cname.to_string().contains("acme.example"), "{cname}");
    }

    #[test]
    fn a_base_url_gets_the_api_path_once() {
        assert_eq!(
            api_root_for_url("http://127.0.0.1:8080", true)
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/api/v2/"
        );
        assert_eq!(
            api_root_for_url("https://proxy.example/fs/api/v2/?x=1", false)
                .unwrap()
                .as_str(),
            "https://proxy.example/fs/api/v2/"
        );
        let e = api_root_for_url("http://127.0.0.1:8080", false).unwrap_err();
        assert_eq!(e.kind(), mspkit_core::ErrorKind::InsecureUrl);
    }
}
