//! Which zone (`webservicesN.autotask.net`) a tenant lives in: given as
//! `base_url`, or looked up once through `zoneInformation?user=`.

use std::sync::Arc;

use mspkit_core::auth::Auth;
use mspkit_core::http::{Http, parse_base_url};
use mspkit_core::{ClientOptions, Error, Provider, Result};
use url::Url;

use crate::api::ZoneInformation;
use crate::builder::default_rate_limit;
use crate::errors::parse_error;

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

/// The authenticated transport of one zone.
pub(crate) fn transport(options: &ClientOptions, root: Url, auth: Arc<dyn Auth>) -> Result<Http> {
    options
        .http_builder(
            Provider::Autotask,
            root.as_str(),
            Some(default_rate_limit()),
        )
        .auth_arc(auth)
        .error_body(parse_error)
        .build()
}

/// Where the client's zone comes from.
pub(crate) enum Zone {
    /// Given in the settings: the transport is ready.
    Fixed(Http),
    /// Looked up on first use.
    Discover(Discovery),
}

/// What a zone look-up needs: an unauthenticated transport to the look-up
/// host (the look-up takes no credentials, so none are sent there), and what
/// the zone's own transport is built from.
pub(crate) struct Discovery {
    lookup: Http,
    options: ClientOptions,
    auth: Arc<dyn Auth>,
}

impl Discovery {
    pub(crate) fn new(options: &ClientOptions, lookup: Url, auth: Arc<dyn Auth>) -> Result<Self> {
        let lookup = options
            .http_builder(Provider::Autotask, lookup.as_str(), None)
            .error_body(parse_error)
            .build()?;
        Ok(Discovery {
            lookup,
            options: options.clone(),
            auth,
        })
    }

    /// The look-up API root.
    pub(crate) fn lookup_url(&self) -> &Url {
        self.lookup.base_url()
    }

    /// Asks which zone `username` lives in and builds that zone's transport.
    pub(crate) async fn resolve(&self, username: &str) -> Result<Http> {
        let info: ZoneInformation = self
            .lookup
            .get("zone_information", "zoneInformation")
            .query(&[("user", username)])
            .send_json()
            .await?;
        let root = api_root(&info.url, self.options.allow_insecure_http).map_err(|e| {
            Error::api(
                Provider::Autotask,
                "zone_information",
                200,
                format!("the zone look-up answered an unusable URL: {e}"),
            )
        })?;
        tracing::debug!(zone = info.zone_name.as_deref().unwrap_or(""), root = %root, "autotask zone found");
        transport(&self.options, root, self.auth.clone())
    }
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
