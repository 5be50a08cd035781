//! Real TLS on loopback, not mocked: a server with certificates made at test
//! time, refused by default with a message that says what to set, accepted
//! with its CA configured or (for a lab) with checks turned off; an expired
//! certificate and one for another name each get their own message.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use mspkit_core::http::{Http, RetryPolicy, Trust};
use mspkit_core::{ClientOptions, ErrorKind, Provider};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A private CA and a server certificate it signed.
struct Pki {
    ca_pem: String,
    cert: CertificateDer<'static>,
    key: Vec<u8>,
}

fn pki(names: &[&str], expired: bool) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "mspkit test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let cert = params.signed_by(&key, &issuer).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        cert: cert.der().clone(),
        key: key.serialize_der(),
    }
}

/// An HTTPS server on loopback answering every request with `{"ok": true}`.
async fn serve(pki: &Pki) -> String {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![pki.cert.clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.key.clone())),
        )
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut buf = vec![0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let body = r#"{"ok":true}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}/api/")
}

fn http(base: &str, trust: Trust) -> mspkit_core::Result<Http> {
    Http::builder(Provider::ItFlow, base)
        .retry(RetryPolicy::new().max_attempts(1))
        .trust(trust)
        .build()
}

async fn get(http: &Http) -> mspkit_core::Result<Value> {
    http.get("test_connection", "clients").send_json().await
}

#[tokio::test]
async fn a_private_ca_is_refused_by_default_and_trusted_when_configured() {
    let pki = pki(&["localhost"], false);
    let base = serve(&pki).await;

    let e = get(&http(&base, Trust::new()).unwrap()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    let text = e.to_string();
    assert!(
        text.contains("not trusted (unknown issuer or self-signed)"),
        "{text}"
    );
    assert!(text.contains("localhost"), "{text}");
    assert!(text.contains("extra_root_certificates"), "{text}");

    // Inline PEM, and a PEM file's path.
    let inline = http(
        &base,
        Trust::new().extra_root_certificate(pki.ca_pem.clone()),
    )
    .unwrap();
    assert_eq!(get(&inline).await.unwrap()["ok"], true);
    let dir = std::env::temp_dir().join(format!("mspkit-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ca.pem");
    std::fs::write(&file, &pki.ca_pem).unwrap();
    let from_file = http(
        &base,
        Trust::new().extra_root_certificate(file.to_string_lossy().into_owned()),
    )
    .unwrap();
    assert_eq!(get(&from_file).await.unwrap()["ok"], true);

    // The lab opt-out.
    let lab = http(&base, Trust::new().danger_accept_invalid_certs(true)).unwrap();
    assert_eq!(get(&lab).await.unwrap()["ok"], true);

    // Through a provider builder's options, as a Config would carry them.
    let options = ClientOptions::new().extra_root_certificate(pki.ca_pem.clone());
    let via_options = options
        .http_builder(Provider::ItFlow, base.as_str(), None)
        .retry(RetryPolicy::new().max_attempts(1))
        .build()
        .unwrap();
    assert_eq!(get(&via_options).await.unwrap()["ok"], true);
}

#[tokio::test]
async fn an_expired_certificate_and_a_wrong_name_say_so() {
    let expired = pki(&["localhost"], true);
    let base = serve(&expired).await;
    let trusted = Trust::new().extra_root_certificate(expired.ca_pem.clone());
    let e = get(&http(&base, trusted).unwrap()).await.unwrap_err();
    assert!(e.to_string().contains("has expired"), "{e}");

    let other = pki(&["billing.example.net"], false);
    let base = serve(&other).await;
    let trusted = Trust::new().extra_root_certificate(other.ca_pem.clone());
    let e = get(&http(&base, trusted).unwrap()).await.unwrap_err();
    assert!(e.to_string().contains("is not valid for that name"), "{e}");
}

#[tokio::test]
async fn a_root_that_cannot_be_read_is_refused_when_the_client_is_built() {
    let e = http(
        "https://localhost:1/api/",
        Trust::new().extra_root_certificate("/no/such/ca.pem"),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.to_string().contains("/no/such/ca.pem"), "{e}");
    let e = http(
        "https://localhost:1/api/",
        Trust::new().extra_root_certificate(
            "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
        ),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(
        !e.to_string().contains("not base64"),
        "the PEM text was quoted: {e}"
    );
}

#[tokio::test]
async fn a_server_without_tls_on_that_port_says_so() {
    // A plain HTTP server addressed with https://, as on a LAN install
    // whose port serves no TLS.
    let plain = wiremock::MockServer::start().await;
    let base = format!("https://localhost:{}/api/", plain.address().port());
    let e = get(&http(&base, Trust::new()).unwrap()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    let text = e.to_string();
    assert!(text.contains("localhost"), "{text}");
    assert!(text.contains("not with TLS"), "{text}");
    assert!(text.contains("allow_insecure_http"), "{text}");
}
