//! Where a tenant's API lives: the API host a login site maps to, and the
//! codebase segment of the API root (discovered by the transport on first
//! use when the settings name none).

use mspkit_core::http::{Http, encode_segment, parse_base_url};
use mspkit_core::{Error, Provider, Result};
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

/// Finds the API root of `company_id` on the API host `lookup` is rooted
/// at: `/login/companyinfo/{company_id}` names the codebase, and the root is
/// `{codebase}/apis/3.0/`. The look-up sends no credentials. A transient
/// failure is returned (the transport tries again on the next call); an
/// answer without a usable codebase falls back to [`DEFAULT_CODEBASE`].
pub(crate) async fn discover_root(lookup: Http, company_id: String) -> Result<Url> {
    let path = format!("login/companyinfo/{}", encode_segment(&company_id));
    let found = match lookup.get("discover_codebase", &path).send().await {
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
    let codebase = found.unwrap_or_else(|| {
        tracing::warn!(
            "no codebase from /login/companyinfo; using {DEFAULT_CODEBASE} \
             (set `codebase` to choose another)"
        );
        DEFAULT_CODEBASE.to_owned()
    });
    api_root(lookup.base_url(), &codebase)
}

/// `{origin}/{codebase}/apis/3.0/`.
pub(crate) fn api_root(origin: &Url, codebase: &str) -> Result<Url> {
    origin
        .join(&format!("{codebase}/apis/3.0/"))
        .map_err(|e| Error::config(P, format!("the API root for codebase {codebase:?}: {e}")))
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
