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

/// Which certificates a transport trusts beyond [`root_store`]: a private
/// CA of a self-hosted install or of a TLS-inspecting proxy, or (for a lab
/// only) none at all. It deserializes from a provider's settings, so a
/// stored configuration can carry it.
#[derive(Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct Trust {
    /// Extra root certificates, each the path of a PEM file or the PEM text
    /// itself (`-----BEGIN CERTIFICATE-----...`).
    #[serde(default)]
    pub extra_root_certificates: Vec<String>,
    /// Accepts any certificate, expired, self-signed or for another name:
    /// for a lab only. Every client built with it logs a warning.
    #[serde(default)]
    pub danger_accept_invalid_certs: bool,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust")
            .field(
                "extra_root_certificates",
                &RootsDebug(&self.extra_root_certificates),
            )
            .field(
                "danger_accept_invalid_certs",
                &self.danger_accept_invalid_certs,
            )
            .finish()
    }
}

impl Trust {
    /// The built-in roots only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Also trusts the certificates in `pem` (a PEM file's path or its text).
    pub fn extra_root_certificate(mut self, pem: impl Into<String>) -> Self {
        self.extra_root_certificates.push(pem.into());
        self
    }

    /// Accepts any certificate (a lab only).
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.danger_accept_invalid_certs = yes;
        self
    }

    /// Whether this is the built-in trust and nothing else.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Shows a settings struct's `extra_root_certificates` in `Debug`: a file
/// path in full, PEM text by its first line only (it is not secret, but a
/// whole certificate would drown the rest).
///
/// ```
/// let roots = vec!["/etc/ssl/acme-ca.pem".to_owned(), "-----BEGIN CERTIFICATE-----\nMIIB...".to_owned()];
/// let shown = format!("{:?}", mspkit_core::http::RootsDebug(&roots));
/// assert_eq!(shown, r#"["/etc/ssl/acme-ca.pem", "-----BEGIN CERTIFICATE-----..."]"#);
/// ```
pub struct RootsDebug<'a>(pub &'a [String]);

impl std::fmt::Debug for RootsDebug<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|pem| {
                let text = pem.trim_start();
                if text.starts_with("-----BEGIN") {
                    format!("{}...", text.lines().next().unwrap_or_default())
                } else {
                    pem.clone()
                }
            }))
            .finish()
    }
}

/// [`rustls_config`] with `trust` applied: its extra roots added, or every
/// certificate accepted. A root that cannot be read or parsed is a
/// configuration error naming the file (never the PEM text).
pub fn rustls_config_with(
    provider: crate::model::Provider,
    trust: &Trust,
) -> crate::Result<rustls::ClientConfig> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let crypto = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = root_store();
    for (i, source) in trust.extra_root_certificates.iter().enumerate() {
        let (pem, shown) = if source.trim_start().starts_with("-----BEGIN") {
            (
                source.clone().into_bytes(),
                format!("extra_root_certificates[{i}] (inline PEM)"),
            )
        } else {
            let bytes = std::fs::read(source).map_err(|e| {
                crate::Error::config(
                    provider,
                    format!("extra_root_certificates[{i}] {source:?}: {e}"),
                )
            })?;
            (bytes, format!("extra_root_certificates[{i}] {source:?}"))
        };
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .map_err(|e| {
                crate::Error::config(provider, format!("{shown}: not PEM certificates: {e:?}"))
            })?;
        if certs.is_empty() {
            return Err(crate::Error::config(
                provider,
                format!("{shown}: holds no certificate"),
            ));
        }
        let (added, _) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(crate::Error::config(
                provider,
                format!("{shown}: no usable certificate"),
            ));
        }
    }
    let builder = rustls::ClientConfig::builder_with_provider(crypto.clone())
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|_| unreachable!("ring supports TLS 1.2 and 1.3"));
    let mut config = if trust.danger_accept_invalid_certs {
        tracing::warn!(
            provider = provider.as_str(),
            "danger_accept_invalid_certs is set: certificates are not checked"
        );
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(crypto)))
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// [`client_builder`] with `trust` applied.
pub fn client_builder_with(
    provider: crate::model::Provider,
    trust: &Trust,
) -> crate::Result<reqwest::ClientBuilder> {
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(rustls_config_with(provider, trust)?)
        .redirect(same_origin_redirects()))
}

/// Accepts any server certificate but still checks the handshake's
/// signatures, for `danger_accept_invalid_certs`.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// What a TLS failure means, in words a user can act on, when `e` (or one of
/// its causes) is one: `None` for other failures.
pub(crate) fn tls_failure(e: &(dyn std::error::Error + 'static), host: &str) -> Option<String> {
    use rustls::CertificateError as C;
    // An `io::Error` hides the error it wraps from `source()`: look inside.
    let mut next = Some(e);
    let mut found = None;
    while let Some(err) = next {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            found = Some(r);
            break;
        }
        next = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    let fix = "add its CA with extra_root_certificates (a PEM file or text), or, for a lab only, set danger_accept_invalid_certs";
    Some(match found? {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => format!(
            "the certificate of {host} is not trusted (unknown issuer or self-signed): {fix}"
        ),
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => format!(
            "the certificate of {host} has expired: renew it on the server (or, for a lab only, set danger_accept_invalid_certs)"
        ),
        rustls::Error::InvalidCertificate(
            C::NotValidForName | C::NotValidForNameContext { .. },
        ) => format!(
            "the certificate of {host} is not valid for that name: check the host in the base URL (the certificate names another)"
        ),
        rustls::Error::InvalidCertificate(other) => {
            format!("the certificate of {host} was refused ({other:?}): {fix}")
        }
        // Bytes that are no TLS record: a plain-HTTP port addressed with
        // https://, common on self-hosted LAN installs.
        rustls::Error::InvalidMessage(_) => format!(
            "{host} answered on that port, but not with TLS: check the port, or use an http:// base URL with allow_insecure_http if the server has no TLS there"
        ),
        other => format!("the TLS handshake with {host} failed: {other}"),
    })
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
