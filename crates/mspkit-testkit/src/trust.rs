//! The trust settings every provider's settings carry
//! (`extra_root_certificates`, `danger_accept_invalid_certs`), checked the
//! same way for all of them: [`check_trust_settings`] end to end, and
//! [`check_unreadable_roots`] for the refusals of one constructor.

use std::fmt::Debug;
use std::future::Future;

use mspkit_core::{ErrorKind, Result};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A private CA's certificate, made for these tests (its key is not kept):
/// valid PEM that any provider's settings can carry.
pub const TEST_CA_PEM: &str = "-----BEGIN CERTIFICATE-----\n\
MIIBkTCCATegAwIBAgIUR8B5MfV7+gsMk6Yqr+2QSCqSH8MwCgYIKoZIzj0EAwIw\n\
HTEbMBkGA1UEAwwSRXhhbXBsZSBQcml2YXRlIENBMCAXDTI2MTIwMTA0MTAxNVoY\n\
DzIxMjYxMTA3MDQxMDE1WjAdMRswGQYDVQQDDBJFeGFtcGxlIFByaXZhdGUgQ0Ew\n\
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARkmRu0Jj1bga8gbYokU0gnwFJ9+kI7\n\
zTOsJi/fZ4A7NIqdPS00F3WmTzRX/5GIOfJtwfjAP1wCxtmk414E43U/o1MwUTAd\n\
BgNVHQ4EFgQUl/6ZhTyG57VO/ato7fQMHq8YjcYwHwYDVR0jBBgwFoAUl/6ZhTyG\n\
57VO/ato7fQMHq8YjcYwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF\n\
AiEA+IFpiM+0Rhza8idlzUHKbMJLeCklkZC+4P3wwGf8cQkCIBWFge81548erOTj\n\
DtuuG8BXLBjWY50bLqrRKVA1uQHY\n\
-----END CERTIFICATE-----\n";

/// Checks a provider's trust settings end to end, from the JSON a stored
/// `Config` holds: `base` is the provider's settings as JSON (pointing at its
/// fake server), and `connect` builds a client from settings and makes its
/// cheapest call (both constructors, `from_settings` and
/// `from_settings_with`, should be covered by the caller's `connect`).
///
/// - an inline PEM is read, shown in `Debug` by its first line only, and the
///   client builds and connects;
/// - the same certificate from a file's path builds and connects;
/// - a missing file, or text that is not a certificate, is a `Config` error
///   when the client is built, naming the setting and never quoting the text;
/// - the lab opt-out (`danger_accept_invalid_certs`) builds and connects.
pub async fn check_trust_settings<S, F, Fut>(base: Value, connect: F)
where
    S: DeserializeOwned + Debug,
    F: Fn(S) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let with = |roots: Value, danger: bool| -> S {
        let mut json = base.clone();
        json["extra_root_certificates"] = roots;
        json["danger_accept_invalid_certs"] = json!(danger);
        serde_json::from_value(json).unwrap_or_else(|e| panic!("settings with trust: {e}"))
    };

    let inline = with(json!([TEST_CA_PEM]), false);
    let shown = format!("{inline:?}");
    assert!(
        shown.contains("-----BEGIN CERTIFICATE-----...") && !shown.contains("MIIB"),
        "Debug shows more of the certificate than its first line: {shown}"
    );
    connect(inline)
        .await
        .unwrap_or_else(|e| panic!("an inline CA certificate: {e}"));

    let file = std::env::temp_dir().join(format!(
        "mspkit-test-ca-{}-{:?}.pem",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&file, TEST_CA_PEM).expect("a temporary file");
    let from_file = connect(with(json!([file.to_string_lossy()]), false)).await;
    let _ = std::fs::remove_file(&file);
    from_file.unwrap_or_else(|e| panic!("a CA certificate from a file: {e}"));

    let missing = connect(with(json!(["/nonexistent/private-ca.pem"]), false))
        .await
        .expect_err("a missing CA file must be refused");
    assert_eq!(missing.kind(), ErrorKind::Config, "{missing}");
    assert!(
        missing.to_string().contains("extra_root_certificates[0]"),
        "{missing}"
    );

    let garbage = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n";
    let bad = connect(with(json!([garbage]), false))
        .await
        .expect_err("text that is not a certificate must be refused");
    assert_eq!(bad.kind(), ErrorKind::Config, "{bad}");
    assert!(
        !bad.to_string().contains("bm90"),
        "the PEM text was quoted: {bad}"
    );

    connect(with(json!([]), true))
        .await
        .unwrap_or_else(|e| panic!("danger_accept_invalid_certs: {e}"));
}

/// Checks that a provider's client refuses, when it is built, a root
/// certificate it cannot read, and names it well: `base` is the provider's
/// settings as JSON (as for [`check_trust_settings`]), and `build` builds a
/// client from settings and drops it, through the one constructor under
/// test (typically `from_settings`, which [`check_trust_settings`] reaches
/// only after `from_settings_with`).
///
/// With `extra_root_certificates` set (and `danger_accept_invalid_certs`
/// off):
///
/// - a file that does not exist: the settings' `Debug` shows its path, and
///   building is a `Config` error naming `extra_root_certificates[0]` and
///   the path, not as an inline entry;
/// - inline PEM text that is not a certificate: the settings' `Debug` does
///   not show its body, and building is a `Config` error naming
///   `extra_root_certificates[0] (inline PEM)` and never quoting the body.
///
/// Core's own [`Trust`](mspkit_core::http::Trust), built into a TLS
/// configuration, passes it as a provider's settings and `from_settings`
/// would:
///
/// ```
/// use mspkit_core::Provider;
/// use mspkit_core::http::{Trust, rustls_config_with};
///
/// mspkit_testkit::check_unreadable_roots(serde_json::json!({}), |trust: Trust| {
///     rustls_config_with(Provider::Halo, &trust).map(drop)
/// });
/// ```
pub fn check_unreadable_roots<S, F>(base: Value, build: F)
where
    S: DeserializeOwned + Debug,
    F: Fn(S) -> Result<()>,
{
    let with = |roots: Value| -> S {
        let mut json = base.clone();
        json["extra_root_certificates"] = roots;
        json["danger_accept_invalid_certs"] = json!(false);
        serde_json::from_value(json).unwrap_or_else(|e| panic!("settings with trust: {e}"))
    };

    let path = "/nonexistent/private-ca.pem";
    let settings = with(json!([path]));
    let shown = format!("{settings:?}");
    assert!(
        shown.contains(path),
        "Debug does not show the root's path: {shown}"
    );
    let missing = build(settings).expect_err("a root that cannot be read must be refused");
    assert_eq!(missing.kind(), ErrorKind::Config, "{missing}");
    let message = missing.to_string();
    assert!(message.contains("extra_root_certificates[0]"), "{message}");
    assert!(message.contains(path), "the path is not named: {message}");
    assert!(
        !message.contains("(inline PEM)"),
        "a path is named as inline PEM: {message}"
    );

    let body = "bm90IGEgY2VydA==";
    let garbage = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
    let settings = with(json!([garbage]));
    let shown = format!("{settings:?}");
    assert!(!shown.contains(body), "Debug quotes the PEM body: {shown}");
    let bad = build(settings).expect_err("inline text that is not a certificate must be refused");
    assert_eq!(bad.kind(), ErrorKind::Config, "{bad}");
    let message = bad.to_string();
    assert!(
        message.contains("extra_root_certificates[0] (inline PEM)"),
        "{message}"
    );
    assert!(
        !message.contains(body),
        "the PEM body was quoted: {message}"
    );
}
