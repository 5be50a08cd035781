//! The demo's connection check (`--config tenants.json --check`): one line
//! per tenant, `ok` for every fake server, `FAIL` with what to check for a
//! wrong key, a bad certificate path or nothing listening, and no data read.

#![allow(clippy::unwrap_used)]

use mspkit::{Config, ErrorKind, Provider};
use mspkit_examples::{check_all, render_checks, start_fake_tenants};

#[tokio::test]
async fn every_fake_tenant_checks_ok_and_nothing_is_synced() {
    let fakes = start_fake_tenants().await;
    let tenants = fakes
        .tenants
        .iter()
        .map(|(label, config, _)| (label.clone(), config.clone()));
    let checks = check_all(tenants).await;
    assert_eq!(checks.len(), fakes.tenants.len());
    let lines = render_checks(&checks);
    assert_eq!(lines.lines().count(), checks.len(), "{lines}");
    for (check, line) in checks.iter().zip(lines.lines()) {
        assert!(check.is_ok(), "{line}");
        let expected = format!("ok  {}  {}  ", check.tenant, check.provider);
        assert!(
            line.starts_with(&expected) && line.ends_with(" ms"),
            "{line}"
        );
    }
    // A check is a sign-in or look-up at most and one call: no list is walked.
    for (server, (label, _, _)) in fakes.servers.iter().zip(&fakes.tenants) {
        let requests = server.received_requests().await.unwrap_or_default();
        assert!(
            (1..=4).contains(&requests.len()),
            "{label}: {:?}",
            requests
                .iter()
                .map(|r| r.url.path().to_owned())
                .collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn a_wrong_key_fails_with_what_to_check() {
    let fake = mspkit::atera::mock::start().await;
    let mut wrong = fake.settings.clone();
    wrong.api_key = "ffffffffffffffffffffffffffffffff".into();
    let checks = check_all([
        ("good".to_owned(), Config::Atera(fake.settings.clone())),
        ("wrong-key".to_owned(), Config::Atera(wrong)),
    ])
    .await;
    assert!(checks[0].is_ok(), "{}", checks[0]);
    let line = checks[1].to_string();
    assert!(
        line.starts_with("FAIL wrong-key atera: atera test_connection: unauthorized: "),
        "{line}"
    );
    let e = checks[1].result.as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    let hint = e.hint().unwrap();
    assert!(hint.contains("allow-list"), "{hint}");
    assert!(line.ends_with(&format!("; check: {hint}")), "{line}");
    assert!(!line.contains("ffffffff"), "{line}");
}

#[tokio::test]
async fn settings_that_cannot_connect_fail_without_a_request() {
    let fake = mspkit::tactical::mock::start().await;
    let mut bad_ca = fake.settings.clone();
    bad_ca.extra_root_certificates = vec!["/nonexistent/private-ca.pem".into()];
    let mut closed = fake.settings.clone();
    closed.base_url = format!("http://127.0.0.1:{}", closed_port());
    let checks = check_all([
        ("bad-ca".to_owned(), Config::Tactical(bad_ca)),
        ("closed".to_owned(), Config::Tactical(closed)),
    ])
    .await;
    assert!(checks.iter().all(|c| c.provider == Provider::Tactical));

    let line = checks[0].to_string();
    assert!(line.starts_with("FAIL bad-ca tactical: "), "{line}");
    assert!(line.contains("extra_root_certificates[0]"), "{line}");
    let e = checks[0].result.as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);

    let line = checks[1].to_string();
    assert!(line.starts_with("FAIL closed tactical: "), "{line}");
    assert!(line.contains("; check: "), "{line}");
    assert!(
        fake.server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

/// A loopback port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
