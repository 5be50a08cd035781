//! Which zone (`webservicesN.autotask.net`) a tenant lives in: given as
//! `base_url`, or looked up once through `zoneInformation?user=`.

use mspkit_core::http::{Http, parse_base_url};
use mspkit_core::{Error, Provider, Result};
use url::Url;

use crate::api::ZoneInformation;

/// Where zones are looked up when no `base_url` is given.
pub const DEFAULT_LOOKUP_URL: &str = "https://webservices2.autotask.net/atservicesrest";

/// The API root under a zone root: `.../atservicesrest/v1.0/`. A bare host
/// gets `atservicesrest/v1.0/`, a zone root `v1.0/`, and a root that already
/// names the version is kept.
pub(crate) fn api_root(raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let mut url = parse_base_url(Provider::Autotask, raw, allow_insecure_http)?;
    let path = url.path().to_ascii_lowercase();
    let suffix = if path.ends_with("/v1.0/") {
        ""
    } else if path == "/" {
        "atservicesrest/v1.0/"
    } else {
        "v1.0/"
    };
    let joined = format!("{}{suffix}", url.path());
    url.set_path(&joined);
    Ok(url)
}

/// Asks `lookup` (rooted at the look-up API root, without credentials)
/// which zone `username` lives in: that zone's API root.
pub(crate) async fn find(lookup: Http, username: String, allow_insecure_http: bool) -> Result<Url> {
    let op = "zone_information";
    let info: ZoneInformation = lookup
        .get(op, "zoneInformation")
        .query(&[("user", username.as_str())])
        .send_json()
        .await?;
    let root = api_root(&info.url, allow_insecure_http).map_err(|e| {
        let message = format!("the zone look-up answered an unusable URL: {e}");
        Error::api(Provider::Autotask, op, 200, message)
    })?;
    tracing::debug!(zone = info.zone_name.as_deref().unwrap_or(""), root = %root, "autotask zone found");
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mspkit_core::ErrorKind;

    #[test]
    fn zone_roots_gain_the_version() {
        let root = |s| api_root(s, false).unwrap().to_string();
        assert_eq!(
            root("https://webservices5.autotask.net/atservicesrest"),
            "https://webservices5.autotask.net/atservicesrest/v1.0/"
        );
        assert_eq!(
            root("https://webservices5.autotask.net/ATServicesRest/V1.0/"),
            "https://webservices5.autotask.net/ATServicesRest/V1.0/"
        );
        assert_eq!(
            root("webservices19.autotask.net"),
            "https://webservices19.autotask.net/atservicesrest/v1.0/"
        );
        assert!(
            matches!(&api_root("http://webservices5.autotask.net/atservicesrest", false), Err(e) if e.kind() == ErrorKind::InsecureUrl)
        );
    }
}
