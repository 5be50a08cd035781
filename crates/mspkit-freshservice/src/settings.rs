//! The settings of a Freshservice connection, as an application stores them.

use std::fmt;

use secrecy::SecretString;
use serde::Deserialize;

/// A Freshservice connection: the body of `mspkit::Config`'s
/// `"freshservice"` variant.
///
/// ```
/// let settings: mspkit_freshservice::FreshserviceSettings = serde_json::from_str(r#"{
///     "domain": "acme",
///     "api_key": "SECRET",
///     "company_source": "workspaces"
/// }"#).unwrap();
/// assert_eq!(settings.company_source, mspkit_freshservice::CompanySource::Workspaces);
/// assert!(!format!("{settings:?}").contains("SECRET"));
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FreshserviceSettings {
    /// The helpdesk: `acme`, `acme.freshservice.com` or the URL agents open
    /// (`https://acme.freshservice.com/a/tickets`). The API is always
    /// `https://acme.freshservice.com/api/v2`: v2 does not answer on vanity
    /// (CNAME) domains. Give this or `base_url`.
    #[serde(default)]
    pub domain: Option<String>,
    /// The API key of the agent the client acts as (Profile settings → Your
    /// API key), sent as the HTTP Basic user name with the password `X`.
    pub api_key: SecretString,
    /// What a normalized company is: departments (ITSM tenants, the default)
    /// or workspaces (Freshservice for MSPs, where each client is a workspace).
    #[serde(default)]
    pub company_source: CompanySource,
    /// A server the domain cannot name (a proxy, a test server), instead of
    /// `domain`; `/api/v2` is added unless the URL already ends with it.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Allows a plain `http://` `base_url` (a local test server).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Root certificates to trust beyond the built-in ones, each the path
    /// of a PEM file or the PEM text itself (`-----BEGIN CERTIFICATE-----`):
    /// a self-hosted server's private CA, or a TLS-inspecting proxy's. One
    /// that cannot be read is a `Config` error when the client is built.
    #[serde(default)]
    pub extra_root_certificates: Vec<String>,
    /// Accepts any certificate (self-signed, expired, for another name): for
    /// a lab only. Every client built with it logs a warning.
    #[serde(default)]
    pub danger_accept_invalid_certs: bool,
}

impl FreshserviceSettings {
    /// Settings with the required fields; the optional ones
    /// (`company_source`, `base_url`, `allow_insecure_http`) start at their
    /// defaults and are assigned as fields.
    pub fn new(domain: impl Into<String>, api_key: impl Into<SecretString>) -> Self {
        Self {
            domain: Some(domain.into()),
            api_key: api_key.into(),
            company_source: CompanySource::default(),
            base_url: None,
            allow_insecure_http: false,
            extra_root_certificates: Vec::new(),
            danger_accept_invalid_certs: false,
        }
    }
}

impl fmt::Debug for FreshserviceSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FreshserviceSettings")
            .field("domain", &self.domain)
            .field("api_key", &self.api_key)
            .field("company_source", &self.company_source)
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field(
                "extra_root_certificates",
                &mspkit_core::http::RootsDebug(&self.extra_root_certificates),
            )
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .finish()
    }
}

/// Which Freshservice records are the normalized companies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CompanySource {
    /// Departments (`/api/v2/departments`, titled "Departments / Companies"
    /// in the API docs): the usual choice for ITSM tenants. Requesters
    /// belong to them through `department_ids`, tickets through
    /// `department_id`.
    #[default]
    Departments,
    /// Workspaces (`/api/v2/workspaces`): Freshservice for MSPs, where each
    /// client is a workspace and tickets and contacts carry its `workspace_id`.
    Workspaces,
}

impl CompanySource {
    /// The name settings use (`departments`, `workspaces`).
    pub const fn as_str(self) -> &'static str {
        match self {
            CompanySource::Departments => "departments",
            CompanySource::Workspaces => "workspaces",
        }
    }
}
