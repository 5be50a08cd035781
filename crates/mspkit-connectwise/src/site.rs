//! Where a tenant's API lives: the API host a login site maps to, and the
//! codebase segment of the API root, discovered once per client.

use mspkit_core::http::{Http, encode_segment, parse_base_url};
use mspkit_core::{Error, Provider, Result};
use tokio::sync::OnceCell;
use url::Url;

use crate::api::CompanyInfo;

const P: Provider = Provider::ConnectWise;

/// The codebase cloud tenants use, and the fallback when discovery finds none.
pub const DEFAULT_CODEBASE: &str = "v4_6_release";

/// The API origin for the site a user typed: scheme, host and port, with a
/// path dropped. ConnectWise's cloud and staging sites
/// (`*.myconnectwise.net`, `*.connectwisedev.com`) serve the API on an
/// `api-` host; a host that already has the prefix, a `sandbox-` host (whose
/// own responses link to it unprefixed), on-premises and loopback hosts are
/// used as given.
pub(crate) fn api_origin(raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let mut url = parse_base_url(P, raw, allow_insecure_http)?;
    url.set_path("/");
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let cloud = host.ends_with(".myconnectwise.net") || host.ends_with(".connectwisedev.com");
    if cloud && !host.starts_with("api-") && !host.starts_with("sandbox-") {
        url.set_host(Some(&format!("api-{host}")))
            .map_err(|e| Error::config(P, format!("the API host for {host:?}: {e}")))?;
    }
    Ok(url)
}

/// A codebase as a single path segment (`v4_6_release`), from a setting or
/// from `companyinfo`'s `"v4_6_release/"`; `None` when it cannot be one.
pub(crate) fn clean_codebase(raw: &str) -> Option<String> {
    let s = raw.trim().trim_matches('/');
    let safe = !s.is_empty()
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    safe.then(|| s.to_owned())
}

/// The transport (rooted at the API origin) and the API root under it,
/// `{codebase}/apis/3.0/`, known from the settings or discovered on the
/// first call and then kept.
#[derive(Debug)]
pub(crate) struct Site {
    pub http: Http,
    company_id: String,
    root: OnceCell<String>,
}

impl Site {
    pub(crate) fn new(http: Http, company_id: String, codebase: Option<String>) -> Self {
        Site {
            http,
            company_id,
            root: OnceCell::new_with(codebase.map(|c| api_root(&c))),
        }
    }

    /// The API root path, `{codebase}/apis/3.0/`, discovering the codebase
    /// on first use (one request, shared by concurrent callers).
    pub(crate) async fn root(&self, op: &'static str) -> Result<&str> {
        self.root
            .get_or_try_init(|| async { Ok(api_root(&self.discover(op).await?)) })
            .await
            .map(String::as_str)
    }

    /// `path` (relative to the API root) as a path under the origin.
    pub(crate) async fn path(&self, op: &'static str, path: &str) -> Result<String> {
        Ok(format!("{}{path}", self.root(op).await?))
    }

    /// Asks `/login/companyinfo/{company_id}` for the codebase. A transient
    /// failure is returned (and discovery runs again on the next call); an
    /// answer without a usable codebase falls back to [`DEFAULT_CODEBASE`].
    async fn discover(&self, op: &'static str) -> Result<String> {
        let path = format!("login/companyinfo/{}", encode_segment(&self.company_id));
        let found = match self.http.get(op, &path).send().await {
            Ok(resp) => resp
                .json::<CompanyInfo>()
                .ok()
                .and_then(|info| info.codebase)
                .and_then(|c| clean_codebase(&c)),
            Err(e) if e.is_transient() => return Err(e),
            Err(e) => {
                tracing::debug!(error = %e, "companyinfo refused");
                None
            }
        };
        Ok(found.unwrap_or_else(|| {
            tracing::warn!(
                "no codebase from /login/companyinfo; using {DEFAULT_CODEBASE} \
                 (set `codebase` to choose another)"
            );
            DEFAULT_CODEBASE.to_owned()
        }))
    }
}

fn api_root(codebase: &str) -> String {
    format!("{codebase}/apis/3.0/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(raw: &str) -> String {
        api_origin(raw, true)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn cloud_sites_get_the_api_prefix_and_others_stay() {
        assert_eq!(
            host("https://na.myconnectwise.net"),
            "https://api-na.myconnectwise.net/"
        );
        assert_eq!(
            host("eu.myconnectwise.net/v4_6_release/services"),
            "https://api-eu.myconnectwise.net/"
        );
        assert_eq!(
            host("https://API-au.myconnectwise.net"),
            "https://api-au.myconnectwise.net/"
        );
        assert_eq!(
            host("staging.connectwisedev.com"),
            "https://api-staging.connectwisedev.com/"
        );
        assert_eq!(
            host("https://sandbox-na.myconnectwise.net"),
            "https://sandbox-na.myconnectwise.net/"
        );
        assert_eq!(
            host("https://cw.example.com:8443/x"),
            "https://cw.example.com:8443/"
        );
        assert_eq!(host("http://127.0.0.1:9000"), "http://127.0.0.1:9000/");
    }

    #[test]
    fn codebases_are_one_safe_segment() {
        assert_eq!(
            clean_codebase("v4_6_release/").as_deref(),
            Some("v4_6_release")
        );
        assert_eq!(clean_codebase(" /v2024_1/ ").as_deref(), Some("v2024_1"));
        assert_eq!(clean_codebase(""), None);
        assert_eq!(clean_codebase("a/b"), None);
        assert_eq!(clean_codebase(".."), None);
        assert_eq!(clean_codebase("v1?x=1"), None);
    }
}
