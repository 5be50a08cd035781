//! `mspkit::Config` as applications store it: JSON in, the right client out,
//! settings checked before any request, and no secret in `Debug`.

use mspkit::{Config, ErrorKind, Provider, connect_psa, connect_rmm};

fn parse(json: &str) -> Config {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// One realistic configuration per provider, with secrets that must never show.
fn examples() -> Vec<(Provider, Config, &'static [&'static str])> {
    vec![
        (
            Provider::ConnectWise,
            parse(
                r#"{"provider":"connectwise","base_url":"https://na.myconnectwise.net","company_id":"acme",
                      "public_key":"pubKEY123","private_key":"PRIVsecret456","client_id":"0e6c2a77-3b1f-4f6e-9a4e-3c1f6d1b2a9c"}"#,
            ),
            &["PRIVsecret456"],
        ),
        (
            Provider::Autotask,
            parse(
                r#"{"provider":"autotask","username":"api@acme.example","secret":"AT-secret-789",
                      "integration_code":"INTCODE-ABC","base_url":"https://webservices5.autotask.net/atservicesrest"}"#,
            ),
            &["AT-secret-789"],
        ),
        (
            Provider::Halo,
            parse(
                r#"{"provider":"halo","base_url":"https://acme.halopsa.com","client_id":"halo-client",
                      "client_secret":"HALO-secret-000"}"#,
            ),
            &["HALO-secret-000"],
        ),
        (
            Provider::Unleashed,
            parse(
                r#"{"provider":"unleashed","api_id":"0f7c9f4e-3a1b-4c55-9d0e-2b7a1c3d4e5f",
                      "api_key":"UNL-key-321","client_type":"acme/sync"}"#,
            ),
            &["UNL-key-321"],
        ),
        (
            Provider::NinjaOne,
            parse(
                r#"{"provider":"ninja","region":"eu","client_id":"ninja-client","client_secret":"NINJA-secret-654"}"#,
            ),
            &["NINJA-secret-654"],
        ),
        (
            Provider::Datto,
            parse(
                r#"{"provider":"datto","platform":"merlot","api_key":"DATTO-KEY","api_secret":"DATTO-secret-987"}"#,
            ),
            &["DATTO-secret-987"],
        ),
    ]
}

#[test]
fn every_provider_parses_builds_and_hides_its_secrets() {
    for (provider, config, secrets) in examples() {
        assert_eq!(config.provider(), provider);
        let debug = format!("{config:?}");
        for secret in secrets {
            assert!(
                !debug.contains(secret),
                "{provider}: Debug shows a secret: {debug}"
            );
        }
        if config.is_psa() {
            let client = connect_psa(&config).unwrap_or_else(|e| panic!("{provider}: {e}"));
            assert_eq!(client.provider(), provider);
        }
        if config.is_rmm() {
            let client = connect_rmm(&config).unwrap_or_else(|e| panic!("{provider}: {e}"));
            assert_eq!(client.provider(), provider);
        }
        assert!(
            config.is_psa() || config.is_rmm(),
            "{provider}: neither PSA nor RMM"
        );
    }
}

#[test]
fn a_config_of_the_wrong_kind_is_a_clear_config_error() {
    let rmm = parse(r#"{"provider":"ninja","region":"us","client_id":"c","client_secret":"s"}"#);
    match connect_psa(&rmm) {
        Err(e) if e.kind() == ErrorKind::Config => {
            let provider = e.provider();
            let message = e.message().unwrap_or_default();
            assert_eq!(provider, Provider::NinjaOne);
            assert!(message.contains("connect_rmm"), "{message}");
        }
        other => panic!(
            "expected a Config error, got {:?}",
            other.map(|c| c.provider())
        ),
    }
    let psa = parse(
        r#"{"provider":"halo","base_url":"https://acme.halopsa.com","client_id":"c","client_secret":"s"}"#,
    );
    match connect_rmm(&psa) {
        Err(e) if e.kind() == ErrorKind::Config => {
            let message = e.message().unwrap_or_default();
            assert!(message.contains("connect_psa"), "{message}")
        }
        other => panic!(
            "expected a Config error, got {:?}",
            other.map(|c| c.provider())
        ),
    }
}

#[test]
fn unknown_providers_and_fields_are_refused_when_parsed() {
    let unknown =
        serde_json::from_str::<Config>(r#"{"provider":"nosuch","base_url":"https://x.example"}"#);
    let message = unknown.expect_err("unknown provider").to_string();
    assert!(message.contains("nosuch"), "{message}");
    let typo = serde_json::from_str::<Config>(
        r#"{"provider":"datto","platform":"merlot","api_key":"k","api_secret":"s","api_secert":"s"}"#,
    );
    assert!(typo.is_err(), "a misspelt setting must not be ignored");
}

#[test]
fn bad_settings_are_refused_before_any_request() {
    let insecure = parse(
        r#"{"provider":"halo","base_url":"http://acme.halopsa.com","client_id":"c","client_secret":"s"}"#,
    );
    assert!(matches!(&connect_psa(&insecure), Err(e) if e.kind() == ErrorKind::InsecureUrl));
    let allowed = parse(
        r#"{"provider":"halo","base_url":"http://127.0.0.1:9","client_id":"c","client_secret":"s","allow_insecure_http":true}"#,
    );
    assert!(connect_psa(&allowed).is_ok());
    let empty_key =
        parse(r#"{"provider":"datto","platform":"merlot","api_key":"","api_secret":"s"}"#);
    assert!(matches!(&connect_rmm(&empty_key), Err(e) if e.kind() == ErrorKind::Config));
    let bad_url = parse(
        r#"{"provider":"connectwise","base_url":"not a url","company_id":"acme","public_key":"p","private_key":"k","client_id":"c"}"#,
    );
    assert!(matches!(&connect_psa(&bad_url), Err(e) if e.kind() == ErrorKind::Config));
}

/// The `Config` examples in the provider pages (`docs/providers/*.md`, the
/// ```` ```json ```` blocks that name a provider) parse and build a client, so
/// the documentation cannot drift from the settings.
#[test]
fn the_config_examples_in_the_provider_docs_parse_and_build() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/providers");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("docs/providers exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable page");
        for block in text.split("```json").skip(1) {
            let json = block.split("```").next().unwrap_or_default();
            if !json.contains("\"provider\"") {
                continue;
            }
            let config: Config = serde_json::from_str(json).unwrap_or_else(|e| {
                panic!("{}: example does not parse: {e}\n{json}", path.display())
            });
            let built = if config.is_psa() {
                connect_psa(&config).map(|c| c.provider())
            } else {
                connect_rmm(&config).map(|c| c.provider())
            };
            assert_eq!(
                built.unwrap_or_else(|e| panic!("{}: {e}", path.display())),
                config.provider()
            );
            checked.push(config.provider());
        }
    }
    checked.sort();
    checked.dedup();
    let pages = std::fs::read_dir(&dir)
        .expect("docs/providers exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("README.md"))
        .count();
    assert_eq!(
        checked.len(),
        pages,
        "one example per provider page, found {checked:?}"
    );
}

/// `connect_*_with` applies the options (here `keep_raw`) and keeps the
/// settings' own `allow_insecure_http` (the fake servers speak `http://`).
#[tokio::test]
async fn connect_with_options_keeps_raw_and_the_settings_insecure_flag() {
    use futures::TryStreamExt;
    use mspkit::{
        ClientOptions, DeviceQuery, FakeServer, ListQuery, connect_psa_with, connect_rmm_with,
    };

    let fake: FakeServer<_> = mspkit::halo::mock::start().await;
    assert!(fake.settings.allow_insecure_http);
    let psa = connect_psa_with(
        &Config::Halo(fake.settings.clone()),
        ClientOptions::new().keep_raw(true),
    )
    .unwrap();
    let companies: Vec<_> = psa.companies(ListQuery::new()).try_collect().await.unwrap();
    assert!(!companies.is_empty() && companies.iter().all(|c| c.raw.is_some()));

    let without_raw =
        connect_psa_with(&Config::Halo(fake.settings.clone()), ClientOptions::new()).unwrap();
    let companies: Vec<_> = without_raw
        .companies(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert!(companies.iter().all(|c| c.raw.is_none()));

    let ninja = mspkit::ninja::mock::start().await;
    let rmm = connect_rmm_with(
        &Config::NinjaOne(ninja.settings.clone()),
        ClientOptions::new().keep_raw(true),
    )
    .unwrap();
    let devices: Vec<_> = rmm.devices(DeviceQuery::new()).try_collect().await.unwrap();
    assert!(!devices.is_empty() && devices.iter().all(|d| d.raw.is_some()));

    // The wrong kind is still refused, with the same message.
    let e = connect_rmm_with(&Config::Halo(fake.settings.clone()), ClientOptions::new())
        .err()
        .unwrap();
    assert!(e.to_string().contains("connect_psa"), "{e}");
}

/// Settings are non-exhaustive; `new` builds them outside their crate.
#[test]
fn settings_have_constructors() {
    let mut halo = mspkit::halo::HaloSettings::new("https://acme.halopsa.com", "id", "secret");
    halo.tenant = Some("acme".to_owned());
    assert!(connect_psa(&Config::Halo(halo)).is_ok());
    let mut datto = mspkit::datto::DattoSettings::new("key", "secret");
    datto.platform = Some(mspkit::datto::Platform::Merlot);
    assert!(connect_rmm(&Config::Datto(datto)).is_ok());
}
