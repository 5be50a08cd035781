//! The trust settings every provider's settings carry
//! (`extra_root_certificates`, `danger_accept_invalid_certs`), checked the
//! same way for all of them: [`check_trust_settings`].

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
