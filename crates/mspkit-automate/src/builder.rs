//! Setting up an [`AutomateClient`].

use mspkit_core::http::{RateLimit, parse_base_url};
use mspkit_core::{ClientOptions, Error, Provider, Result, SecretString, settings};
use reqwest::header::{HeaderName, HeaderValue};

use crate::auth::{Credentials, token_exchange};
use crate::client::AutomateClient;
use crate::errors::parse_error_body;
use crate::settings::AutomateSettings;

const P: Provider = Provider::Automate;

/// The API root under a server's host.
pub const API_PATH: &str = "/cwa/api/v1/";

/// The client-side request budget unless the builder sets another:
/// Automate publishes no rate limit, and many servers are single
/// on-premises machines, so the client stays at 10 requests a second
/// (600 a minute) in bursts of at most 10.
pub fn default_rate_limit() -> RateLimit {
    RateLimit::per_minute(600).burst(10)
}

/// Sets up an [`AutomateClient`]; every setting is checked in
/// [`build`](Self::build), before any request.
#[derive(Debug, Default)]
pub struct AutomateClientBuilder {
    server: Option<String>,
    username: Option<String>,
    password: Option<SecretString>,
    two_factor_passcode: Option<SecretString>,
    client_id: Option<String>,
    options: ClientOptions,
}

impl AutomateClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder for stored settings. Setting [`options`](Self::options)
    /// afterwards replaces the settings' `allow_insecure_http` and trust
    /// settings.
    pub fn from_settings(s: &AutomateSettings) -> Self {
        let mut b = AutomateClientBuilder {
            server: Some(s.server.clone()),
            username: Some(s.username.clone()),
            password: Some(s.password.clone()),
            two_factor_passcode: s.two_factor_passcode.clone(),
            client_id: Some(s.client_id.clone()),
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

    /// The Automate server (`rancor.hostedrmm.com`, `https://automate.example.com/automate`):
    /// only the host and port are used; the API root is `https://{host}/cwa/api/v1`.
    pub fn server(mut self, server: impl Into<String>) -> Self {
        self.server = Some(server.into());
        self
    }

    /// The Automate user to sign in as.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The user's password.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(SecretString::from(password.into()));
        self
    }

    /// A two-factor passcode, for an account that requires one (good for
    /// one sign-in: the session is then kept alive by refreshing the token).
    pub fn two_factor_passcode(mut self, code: impl Into<String>) -> Self {
        self.two_factor_passcode = Some(SecretString::from(code.into()));
        self
    }

    /// The integrator `ClientId` GUID, sent on every request.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<AutomateClient> {
        let server = settings::required(P, "server", self.server)?;
        let root = api_root(&server, self.options.allow_insecure_http)?;
        let username = settings::required(P, "username", self.username)?;
        let password = settings::secret(P, "password", self.password)?;
        let two_factor_passcode = self
            .two_factor_passcode
            .map(|c| settings::secret(P, "two_factor_passcode", Some(c)))
            .transpose()?;
        let client_id = settings::required(P, "client_id", self.client_id)?;
        let client_id = guid(&client_id).ok_or_else(|| {
            Error::config(
                P,
                "client_id must be the integrator ClientId GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
            )
        })?;
        let client_id = HeaderValue::from_str(&client_id)
            .map_err(|_| Error::config(P, "client_id is not a valid header value"))?;
        let auth = token_exchange(
            &root,
            Credentials {
                username,
                password,
                two_factor_passcode,
                client_id: client_id.clone(),
            },
        )?;
        let http = self
            .options
            .http_builder(P, root.as_str(), Some(default_rate_limit()))
            .first_contact_hints(crate::errors::first_contact)
            .default_header(HeaderName::from_static("clientid"), client_id)
            .default_header(
                reqwest::header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            )
            .auth(auth)
            .error_body(parse_error_body)
            .build()?;
        Ok(AutomateClient::new(http, self.options.keep_raw))
    }
}

/// The API root for what the user typed as the server: the host (lower
/// case) and an explicit port are kept, any path is dropped, and the
/// scheme is `https` unless `http://` was typed (refused unless allowed).
pub(crate) fn api_root(server: &str, allow_insecure_http: bool) -> Result<url::Url> {
    let typed = server.trim();
    let with_scheme = if typed.contains("://") {
        typed.to_owned()
    } else {
        format!("https://{typed}")
    };
    let bad = |why: &str| Error::config(P, format!("server is not a host name or URL: {why}"));
    let url = url::Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("only https:// (or http:// for a local server) is used"));
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("no host"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "it carries a user name or password; give only the host",
        ));
    }
    let authority = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    parse_base_url(
        P,
        &format!("{}://{authority}{API_PATH}", url.scheme()),
        allow_insecure_http,
    )
}

/// A GUID in its usual form, braces removed; `None` for anything else.
fn guid(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(t);
    let groups: Vec<&str> = t.split('-').collect();
    let shape = [8, 4, 4, 4, 12];
    let ok = groups.len() == shape.len()
        && groups
            .iter()
            .zip(shape)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    ok.then(|| t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mspkit_core::ErrorKind;

    #[test]
    fn the_server_becomes_the_api_root() {
        let root = |s: &str| api_root(s, false).map(|u| u.to_string());
        let want = "https://rancor.hostedrmm.com/cwa/api/v1/";
        for typed in [
            "rancor.hostedrmm.com",
            " RANCOR.hostedrmm.com ",
            "https://rancor.hostedrmm.com",
            "https://rancor.hostedrmm.com/",
            "https://rancor.hostedrmm.com/automate/#/login",
            "rancor.hostedrmm.com/cwa/api/v1",
        ] {
            assert_eq!(root(typed).unwrap(), want, "{typed}");
        }
        assert_eq!(
            root("automate.example.com:8443").unwrap(),
            "https://automate.example.com:8443/cwa/api/v1/"
        );
        let e = root("http://automate.example.com").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InsecureUrl);
        assert_eq!(
            api_root("http://127.0.0.1:9000", true).unwrap().as_str(),
            "http://127.0.0.1:9000/cwa/api/v1/"
        );
        assert!(root("ftp://host").is_err());
        assert!(root("https://user:pw@host").is_err());
        assert!(root("https://").is_err());
    }

    #[test]
    fn client_ids_are_guids() {
        assert_eq!(
            guid("{123E4567-e89b-42d3-a456-426614174000}").as_deref(),
            Some("123E4567-e89b-42d3-a456-426614174000")
        );
        assert!(guid("123123123-1234-1234-1234-123123123123").is_none());
        assert!(guid("not-a-guid").is_none());
    }
}
