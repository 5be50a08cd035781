//! Setting up a [`ZendeskClient`](crate::ZendeskClient).

use std::sync::Arc;
use std::time::Duration;

use mspkit_core::auth::{ApiKeyHeader, Auth, Basic};
use mspkit_core::http::{BudgetHeaders, RateLimit, parse_base_url};
use mspkit_core::{ClientOptions, Error, ExposeSecret, Provider, Result, SecretString, settings};
use reqwest::header::AUTHORIZATION;

use crate::client::ZendeskClient;
use crate::errors;
use crate::settings::ZendeskSettings;

const P: Provider = Provider::Zendesk;

/// The account-wide limit of Zendesk's smallest plan (Suite Team: 200
/// requests a minute), the pace until Zendesk's first answer reports the
/// plan's real limit (Growth and Professional 400, Enterprise 700,
/// Enterprise Plus and the High Volume add-on 2,500), which the client then
/// follows (see [`budget_headers`]).
pub fn default_rate_limit() -> RateLimit {
    RateLimit::per_minute(200)
}

/// Where Zendesk reports the account's per-minute budget: `X-Rate-Limit`
/// and `X-Rate-Limit-Remaining` on every answer, and on the newer list
/// endpoints also `ratelimit-limit`, `ratelimit-remaining` and
/// `ratelimit-reset` (the seconds until the minute renews).
pub fn budget_headers() -> BudgetHeaders {
    BudgetHeaders::new("X-Rate-Limit-Remaining", Duration::from_secs(60))
        .remaining("ratelimit-remaining")
        .total("X-Rate-Limit")
        .total("ratelimit-limit")
        .reset("ratelimit-reset")
}

/// The incremental export endpoints' own limit: 10 requests a minute.
pub fn export_rate_limit() -> RateLimit {
    RateLimit::per_minute(10)
}

/// Builds a [`ZendeskClient`]; every setting is checked at
/// [`build`](Self::build), before any request.
#[derive(Default)]
pub struct ZendeskClientBuilder {
    subdomain: Option<String>,
    email: Option<String>,
    api_token: Option<SecretString>,
    oauth_token: Option<SecretString>,
    base_url: Option<String>,
    options: ClientOptions,
}

impl std::fmt::Debug for ZendeskClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZendeskClientBuilder")
            .field("subdomain", &self.subdomain)
            .field("email", &self.email)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ZendeskClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding `settings`. Setting [`options`](Self::options)
    /// afterwards replaces the settings' `allow_insecure_http` and trust
    /// settings.
    pub fn from_settings(settings: &ZendeskSettings) -> Self {
        let mut b = Self::new();
        b.subdomain = settings.subdomain.clone();
        b.email = settings.email.clone();
        b.api_token = settings.api_token.clone();
        b.oauth_token = settings.oauth_token.clone();
        b.base_url = settings.base_url.clone();
        if settings.allow_insecure_http {
            b = b.allow_insecure_http();
        }
        b.options = b.options.with_trust_settings(
            &settings.extra_root_certificates,
            settings.danger_accept_invalid_certs,
        );
        b
    }

    /// The account's subdomain (`acme`) or address (`https://acme.zendesk.com`).
    pub fn subdomain(mut self, subdomain: impl Into<String>) -> Self {
        self.subdomain = Some(subdomain.into());
        self
    }

    /// The email address of the agent the API token belongs to.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// An API token (used with [`email`](Self::email)).
    pub fn api_token(mut self, token: impl Into<SecretString>) -> Self {
        self.api_token = Some(token.into());
        self
    }

    /// An OAuth access token, instead of an email address and API token.
    pub fn oauth_token(mut self, token: impl Into<SecretString>) -> Self {
        self.oauth_token = Some(token.into());
        self
    }

    /// The account's root URL when it is not `https://{subdomain}.zendesk.com`
    /// (a test server, a proxy); `/api/v2` is added unless it is there.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. No request is sent.
    pub fn build(self) -> Result<ZendeskClient> {
        let insecure = self.options.allow_insecure_http;
        let root = api_root(
            settings::optional(self.subdomain),
            settings::optional(self.base_url),
            insecure,
        )?;
        let auth = auth(
            settings::optional(self.email),
            self.api_token,
            self.oauth_token,
        )?;
        let main = self
            .options
            .http_builder(P, root.clone(), Some(default_rate_limit()))
            .budget_headers(budget_headers())
            .first_contact_hints(errors::first_contact)
            .auth_arc(auth.clone())
            .error_body(errors::parse_error)
            .build()?;
        // The incremental exports have a budget of their own (10 a minute),
        // on top of the account's; a caller who turned limits off gets none.
        // This transport does not follow the budget headers: the figures
        // on export answers are the account's, not the exports' 10 a minute,
        // and taking that total as its own would pace the exports far past
        // their limit (the fake's export 429 names 10, beside a
        // `Retry-After` that is honoured anyway). The exports' requests
        // still spend the account's budget, which the main transport's next
        // answer accounts for.
        let export_limit = match self.options.rate_limit {
            Some(None) => None,
            _ => Some(export_rate_limit()),
        };
        let exports = self
            .options
            .clone()
            .rate_limit(export_limit)
            .http_builder(P, root, None)
            .first_contact_hints(errors::first_contact)
            .auth_arc(auth)
            .error_body(errors::parse_error)
            .build()?;
        Ok(ZendeskClient::new(main, exports, self.options.keep_raw))
    }
}

/// Exactly one of the two sign-in forms.
fn auth(
    email: Option<String>,
    api_token: Option<SecretString>,
    oauth_token: Option<SecretString>,
) -> Result<Arc<dyn Auth>> {
    let given = |s: &Option<SecretString>| {
        s.as_ref()
            .is_some_and(|s| !s.expose_secret().trim().is_empty())
    };
    let token_form = email.is_some() || given(&api_token);
    match (token_form, given(&oauth_token)) {
        (true, true) => Err(Error::config(
            P,
            "give either email and api_token, or oauth_token, not both",
        )),
        (false, false) => Err(Error::config(
            P,
            "credentials are required: email and api_token, or oauth_token",
        )),
        (false, true) => {
            let token = settings::secret(P, "oauth_token", oauth_token)?;
            Ok(Arc::new(
                ApiKeyHeader::new(AUTHORIZATION, token).with_prefix("Bearer "),
            ))
        }
        (true, false) => {
            let email = settings::required(P, "email (with api_token)", email)?;
            let token = settings::secret(P, "api_token (with email)", api_token)?;
            // Someone who read the header format may have typed the suffix.
            let email = email.strip_suffix("/token").unwrap_or(&email).to_owned();
            Ok(Arc::new(Basic::new(format!("{email}/token"), token)))
        }
    }
}

/// The API root (`https://acme.zendesk.com/api/v2/`): from `base_url` when
/// given, else from the subdomain or the `*.zendesk.com` address typed.
pub(crate) fn api_root(
    subdomain: Option<String>,
    base_url: Option<String>,
    insecure: bool,
) -> Result<String> {
    if let Some(base) = base_url {
        let url = parse_base_url(P, &base, insecure)?;
        let path = url.path().trim_end_matches('/');
        let path = if path.ends_with("/api/v2") {
            path.to_owned()
        } else {
            format!("{path}/api/v2")
        };
        return Ok(format!("{}{path}/", url.origin().ascii_serialization()));
    }
    let typed = subdomain.ok_or_else(|| {
        Error::config(
            P,
            "subdomain is required (the `acme` of acme.zendesk.com), unless base_url is given",
        )
    })?;
    let host = if typed.contains("://") {
        let url = url::Url::parse(&typed)
            .map_err(|_| Error::config(P, "subdomain is neither a subdomain nor a URL"))?;
        url.host_str().unwrap_or_default().to_ascii_lowercase()
    } else {
        typed
            .trim_end_matches('/')
            .split('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let name = match host.strip_suffix(".zendesk.com") {
        Some(name) => name.to_owned(),
        None if host.contains('.') => {
            return Err(Error::config(
                P,
                "subdomain is not a zendesk.com address; give the account's zendesk.com \
                 subdomain (a host-mapped help-center domain is not an API host)",
            ));
        }
        None => host,
    };
    let valid = !name.is_empty()
        && name.len() <= 63
        && !name.starts_with('-')
        && !name.ends_with('-')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(Error::config(
            P,
            "subdomain must be letters, digits and hyphens (the `acme` of acme.zendesk.com)",
        ));
    }
    Ok(format!("https://{name}.zendesk.com/api/v2/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(sub: &str) -> Result<String> {
        api_root(Some(sub.into()), None, false)
    }

    #[test]
    fn what_a_user_types_becomes_the_api_root() {
        for typed in [
            "acme",
            "ACME",
            "acme.zendesk.com",
            "https://acme.zendesk.com",
            "https://acme.zendesk.com/agent/dashboard",
            "http://acme.zendesk.com/",
        ] {
            assert_eq!(
                root(typed).unwrap(),
                "https://acme.zendesk.com/api/v2/",
                "{typed}"
            );
        }
        assert!(root("support.acme.com").is_err());
        assert!(root("ac me").is_err());
        assert!(root("-acme").is_err());
        assert!(api_root(None, None, false).is_err());
    }

    #[test]
    fn a_base_url_gets_the_api_path_once() {
        let r = |u: &str, insecure| api_root(None, Some(u.into()), insecure);
        assert_eq!(
            r("http://127.0.0.1:8080", true).unwrap(),
            "http://127.0.0.1:8080/api/v2/"
        );
        assert_eq!(
            r("https://proxy.example.com/zd/api/v2/", false).unwrap(),
            "https://proxy.example.com/zd/api/v2/"
        );
        let e = r("http://127.0.0.1:8080", false).unwrap_err();
        assert_eq!(e.kind(), mspkit_core::ErrorKind::InsecureUrl);
    }
}
