//! Setting up a [`KaseyaBmsClient`].

use std::time::Duration;

use chrono::FixedOffset;
use mspkit_core::http::{RateLimit, parse_base_url};
use mspkit_core::{ClientOptions, Error, Provider, Result, SecretString, settings};
use url::Url;

use crate::auth::{Credentials, token_exchange};
use crate::client::{Config, KaseyaBmsClient};
use crate::errors::parse_error_body;
use crate::limits::PerEndpoint;
use crate::settings::KaseyaBmsSettings;

const P: Provider = Provider::KaseyaBms;

/// The API host used when none is set.
pub const DEFAULT_BASE_URL: &str = "https://api.bms.kaseya.com";

/// The budget of each endpoint unless the builder sets another: BMS allows
/// 1500 calls an hour per endpoint. The bucket holds 150 and refills at
/// 1350 an hour, so no rolling hour sees more than 1500 calls to one
/// endpoint. The transport itself carries no limiter (its one bucket would
/// hold every endpoint to one endpoint's budget).
pub fn default_rate_limit() -> RateLimit {
    RateLimit::new(1350, Duration::from_secs(3600)).burst(150)
}

/// Builds a [`KaseyaBmsClient`]; every setting is checked in
/// [`build`](Self::build), which sends no request.
#[derive(Clone, Default)]
pub struct KaseyaBmsClientBuilder {
    tenant: Option<String>,
    username: Option<String>,
    password: Option<SecretString>,
    mfa_code: Option<SecretString>,
    base_url: Option<String>,
    time_zone: Option<String>,
    ticket_type_id: Option<u32>,
    ticket_source_id: Option<u32>,
    note_type_id: Option<u32>,
    options: ClientOptions,
}

impl std::fmt::Debug for KaseyaBmsClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KaseyaBmsClientBuilder")
            .field("tenant", &self.tenant)
            .field("username", &self.username)
            .field("base_url", &self.base_url)
            .field("time_zone", &self.time_zone)
            .field("ticket_type_id", &self.ticket_type_id)
            .field("ticket_source_id", &self.ticket_source_id)
            .field("note_type_id", &self.note_type_id)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl KaseyaBmsClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder holding stored settings, to add shared options to before
    /// [`build`](Self::build). Setting [`options`](Self::options) afterwards
    /// replaces the settings' `allow_insecure_http` and trust settings.
    pub fn from_settings(s: &KaseyaBmsSettings) -> Self {
        let mut b = Self::new()
            .tenant(s.tenant.clone())
            .username(s.username.clone())
            .password(s.password.clone());
        b.mfa_code = s.mfa_code.clone();
        b.base_url = s.base_url.clone();
        b.time_zone = s.time_zone.clone();
        b.ticket_type_id = s.ticket_type_id;
        b.ticket_source_id = s.ticket_source_id;
        b.note_type_id = s.note_type_id;
        b.options.allow_insecure_http = s.allow_insecure_http;
        b.options = b
            .options
            .with_trust_settings(&s.extra_root_certificates, s.danger_accept_invalid_certs);
        b
    }

    /// The company name typed at the BMS login page.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// The BMS user to sign in as.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// That user's password (a `&str`, `String` or `SecretString`).
    pub fn password(mut self, password: impl Into<SecretString>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// A one-time MFA code for the sign-in.
    pub fn mfa_code(mut self, code: impl Into<SecretString>) -> Self {
        self.mfa_code = Some(code.into());
        self
    }

    /// The API host ([`DEFAULT_BASE_URL`] when not set); a BMS web address
    /// (`bmsemea.kaseya.com`) becomes its `api.` host.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The fixed UTC offset (`+02:00`, `UTC`) BMS's offset-less timestamps
    /// are read in and date filters are written in (UTC when not set).
    pub fn time_zone(mut self, zone: impl Into<String>) -> Self {
        self.time_zone = Some(zone.into());
        self
    }

    /// The ticket type (`TypeId`) of new tickets.
    pub fn ticket_type_id(mut self, id: u32) -> Self {
        self.ticket_type_id = Some(id);
        self
    }

    /// The ticket source (`SourceId`) of new tickets.
    pub fn ticket_source_id(mut self, id: u32) -> Self {
        self.ticket_source_id = Some(id);
        self
    }

    /// The note type (`TypeId`) of new notes.
    pub fn note_type_id(mut self, id: u32) -> Self {
        self.note_type_id = Some(id);
        self
    }

    mspkit_core::client_options_methods!();

    /// Checks the settings and builds the client. No request is sent: the
    /// sign-in happens on the first call. The rate limit option
    /// ([`rate_limit`](Self::rate_limit)) sets the budget of each endpoint
    /// ([`default_rate_limit`] by default).
    pub fn build(self) -> Result<KaseyaBmsClient> {
        let tenant = settings::required(P, "tenant", self.tenant)?;
        let username = settings::required(P, "username", self.username)?;
        let password = settings::secret(P, "password", self.password)?;
        let mfa_code = match self.mfa_code {
            Some(code) => {
                use mspkit_core::ExposeSecret;
                let t = code.expose_secret().trim().to_owned();
                (!t.is_empty()).then(|| SecretString::from(t))
            }
            None => None,
        };
        let zone = parse_zone(self.time_zone.as_deref())?;
        let raw_url = settings::optional(self.base_url).unwrap_or_else(|| DEFAULT_BASE_URL.into());
        let api_root = api_root(&raw_url, self.options.allow_insecure_http)?;
        let per_endpoint = match self.options.rate_limit {
            None => Some(default_rate_limit()),
            Some(chosen) => chosen,
        };
        let auth = token_exchange(
            &api_root,
            Credentials {
                tenant,
                username,
                password,
                mfa_code,
            },
            zone,
        )?;
        // The budget is kept per endpoint by the crate, none by the transport.
        let mut transport = self.options.clone();
        transport.rate_limit = Some(None);
        let http = transport
            .http_builder(P, api_root.as_str(), None)
            .first_contact_hints(crate::errors::first_contact)
            .auth(PerEndpoint::new(auth, per_endpoint))
            .error_body(parse_error_body)
            .build()?;
        Ok(KaseyaBmsClient::new(
            http,
            Config {
                keep_raw: self.options.keep_raw,
                zone,
                ticket_type_id: self.ticket_type_id,
                ticket_source_id: self.ticket_source_id,
                note_type_id: self.note_type_id,
                per_endpoint,
            },
        ))
    }
}

/// `{scheme}://{host}[:port]/v2/`: a path the user typed (`/v2`, `/api`)
/// is dropped, and a BMS web host (`bms.kaseya.com`, `bmsemea.kaseya.com`)
/// becomes its API host (`api.` in front).
pub(crate) fn api_root(raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let mut url = parse_base_url(P, raw, allow_insecure_http)?;
    if let Some(host) = url.host_str().map(str::to_ascii_lowercase) {
        if host.ends_with(".kaseya.com") && !host.starts_with("api.") {
            url.set_host(Some(&format!("api.{host}")))
                .map_err(|e| Error::config(P, format!("cannot form the API host: {e}")))?;
        }
    }
    url.set_path("/v2/");
    Ok(url)
}

/// A fixed UTC offset: `UTC`, `Z`, `+02:00`, `-0530`, `+2`. IANA zone
/// names are refused (their offset changes over the year).
pub(crate) fn parse_zone(raw: Option<&str>) -> Result<FixedOffset> {
    let utc = chrono::Offset::fix(&chrono::Utc);
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(utc);
    };
    if ["utc", "z", "gmt"].contains(&text.to_ascii_lowercase().as_str()) {
        return Ok(utc);
    }
    let refuse = || {
        Error::config(
            P,
            "time_zone must be a fixed UTC offset such as +02:00, -05:00 or UTC (zone names are not supported)",
        )
    };
    let rest = text
        .strip_prefix("UTC")
        .or_else(|| text.strip_prefix("GMT"))
        .unwrap_or(text);
    let (sign, digits) = match rest.as_bytes().first() {
        Some(b'+') => (1, &rest[1..]),
        Some(b'-') => (-1, &rest[1..]),
        _ => return Err(refuse()),
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let (h, m): (i32, i32) = match (h.parse(), m.parse()) {
        (Ok(h), Ok(m)) if h <= 14 && m < 60 => (h, m),
        _ => return Err(refuse()),
    };
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(refuse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_users_type_becomes_the_v2_root() {
        let root = |s: &str| api_root(s, false).unwrap().to_string();
        assert_eq!(root("api.bms.kaseya.com"), "https://api.bms.kaseya.com/v2/");
        assert_eq!(
            root("https://api.bms.kaseya.com/v2"),
            "https://api.bms.kaseya.com/v2/"
        );
        assert_eq!(
            root("https://bms.kaseya.com/"),
            "https://api.bms.kaseya.com/v2/"
        );
        assert_eq!(
            root("bmsemea.kaseya.com"),
            "https://api.bmsemea.kaseya.com/v2/"
        );
        assert_eq!(
            api_root("http://127.0.0.1:9/", true).unwrap().as_str(),
            "http://127.0.0.1:9/v2/"
        );
        assert!(api_root("http://api.bms.kaseya.com", false).is_err());
    }

    #[test]
    fn zones_are_fixed_offsets() {
        let secs = |s: &str| parse_zone(Some(s)).unwrap().local_minus_utc();
        assert_eq!(secs("UTC"), 0);
        assert_eq!(secs("+02:00"), 7200);
        assert_eq!(secs("-0530"), -19800);
        assert_eq!(secs("UTC+1"), 3600);
        assert_eq!(parse_zone(None).unwrap().local_minus_utc(), 0);
        let e = parse_zone(Some("Europe/Berlin")).unwrap_err().to_string();
        assert!(e.contains("fixed UTC offset"), "{e}");
        assert!(parse_zone(Some("+25:00")).is_err());
    }
}
