//! The TLS setup every mspkit `reqwest` client uses: rustls with the `ring`
//! crypto provider, Mozilla's roots (`webpki-roots`) and, with the
//! `native-roots` feature, the platform's certificate store as well.
//!
//! reqwest 0.13's `rustls` feature always brings the `aws-lc-rs` provider (a
//! C library built with cmake). mspkit enables `rustls-no-provider` instead
//! and hands reqwest a finished rustls configuration, so no process-wide
//! crypto provider has to be installed and no C toolchain is needed.

use std::sync::Arc;

use rustls::RootCertStore;

/// The root certificates mspkit trusts: Mozilla's (`webpki-roots`) and, with
/// the `native-roots` feature, the platform's store (where a TLS-inspecting
/// proxy's certificate is usually installed). Native certificates that fail
/// to load or parse are skipped.
pub fn root_store() -> RootCertStore {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    #[cfg(feature = "native-roots")]
    {
        let native = rustls_native_certs::load_native_certs();
        for error in &native.errors {
            tracing::debug!(%error, "a native root certificate could not be loaded");
        }
        let (added, ignored) = roots.add_parsable_certificates(native.certs);
        tracing::debug!(added, ignored, "native root certificates");
    }
    roots
}

/// The rustls client configuration of mspkit's transport: the `ring`
/// provider, TLS 1.2 and 1.3, [`root_store`], ALPN `h2` and `http/1.1`.
pub fn rustls_config() -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        // The ring provider supports the default versions; this cannot fail.
        .unwrap_or_else(|_| unreachable!("ring supports TLS 1.2 and 1.3"))
        .with_root_certificates(root_store())
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    config
}

/// A `reqwest` client builder with mspkit's TLS setup ([`rustls_config`]).
/// Start here to build a client to share between provider clients
/// (`.reqwest_client(...)` on every builder, or
/// [`ClientOptions::reqwest_client`](crate::ClientOptions::reqwest_client)):
/// a bare `reqwest::Client::new()` panics, as mspkit's reqwest has no
/// built-in crypto provider.
///
/// ```
/// let shared = mspkit_core::http::client_builder()
///     .pool_max_idle_per_host(4)
///     .build()
///     .unwrap();
/// # let _ = shared;
/// ```
///
/// Redirects are followed only on the same scheme, host and port, five at
/// most: a redirect to another origin would carry the request's credentials
/// there, so it ends the request with an error naming the host.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .tls_backend_preconfigured(rustls_config())
        .redirect(same_origin_redirects())
}

/// The redirect policy of [`client_builder`].
pub fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let from = attempt.previous().first().map(|u| u.origin());
        let to = attempt.url().origin();
        if from.is_some_and(|from| from != to) {
            let host = attempt
                .url()
                .host_str()
                .unwrap_or("another host")
                .to_owned();
            attempt.error(CrossOriginRedirect(host))
        } else if attempt.previous().len() > 5 {
            attempt.error(CrossOriginRedirect::too_many())
        } else {
            attempt.follow()
        }
    })
}

/// A redirect the transport refused to follow.
#[derive(Debug)]
struct CrossOriginRedirect(String);

impl CrossOriginRedirect {
    fn too_many() -> Self {
        CrossOriginRedirect(String::new())
    }
}

impl std::fmt::Display for CrossOriginRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str("more than five redirects; not following")
        } else {
            write!(
                f,
                "redirected to another host ({}); not following with credentials",
                self.0
            )
        }
    }
}

impl std::error::Error for CrossOriginRedirect {}
