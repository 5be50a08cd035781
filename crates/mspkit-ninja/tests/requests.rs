//! What goes over the wire: the OAuth2 token requests and the token's life
//! cycle, every operation's request, keyset paging, NinjaOne's error bodies,
//! and the checks `build()` makes before any request.

// Helpers outside #[test] fns unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use mspkit_core::{AlertQuery, DeviceQuery, Error, ErrorKind, Id, ListQuery, RmmClient};
use mspkit_ninja::{NinjaOneClient, NinjaOneClientBuilder, NinjaOneSettings, Region};
use mspkit_testkit::{form_pairs, form_value, received, received_at};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN_PATH: &str = "/ws/oauth/token";

fn token(access: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": access, "token_type": "Bearer", "expires_in": 3600,
        "scope": "monitoring management control"
    }))
}

async fn server_with_token() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("tok-1"))
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> NinjaOneClientBuilder {
    NinjaOneClient::builder()
        .base_url(server.uri())
        .client_id("cid-123")
        .client_secret("csecret-456")
        .allow_insecure_http()
        .retry_policy(mspkit_testkit::fast_retry())
}

fn client(server: &MockServer) -> NinjaOneClient {
    builder(server).build().unwrap()
}

/// The request's form fields, sorted, to compare with [`sorted`] (a field
/// sent twice stays twice).
fn form(req: &Request) -> Vec<(String, String)> {
    let mut f = form_pairs(req);
    f.sort();
    f
}

/// `pairs` as owned text, sorted.
fn sorted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<_> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    v.sort();
    v
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn query_of(req: &Request) -> BTreeMap<String, String> {
    req.url.query_pairs().into_owned().collect()
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

// ---- auth on the wire and the token's life cycle ----

#[tokio::test]
async fn client_credentials_are_form_encoded_with_the_default_scope() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/v2/organizations"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).test_connection().await.unwrap();

    let tokens = received_at(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 1);
    let t = &tokens[0];
    assert_eq!(
        t.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert!(
        t.headers.get("authorization").is_none(),
        "credentials go in the body, not in Basic auth"
    );
    assert_eq!(
        form(t),
        sorted(&[
            ("grant_type", "client_credentials"),
            ("client_id", "cid-123"),
            ("client_secret", "csecret-456"),
            ("scope", "monitoring management control"),
        ])
    );
    let api = received_at(&server, "/v2/organizations").await;
    assert_eq!(query_of(&api[0]), map(&[("pageSize", "1")]));
}

#[tokio::test]
async fn a_scope_setting_replaces_the_default() {
    let server = server_with_token().await;
    Mock::given(path("/v2/organizations"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    let c = builder(&server)
        .scope("monitoring  management")
        .build()
        .unwrap();
    c.test_connection().await.unwrap();
    let tokens = received_at(&server, TOKEN_PATH).await;
    assert_eq!(
        form_value(&tokens[0], "scope").as_deref(),
        Some("monitoring management")
    );
}

#[tokio::test]
async fn the_refresh_token_grant_is_used_and_a_rotated_token_replaces_the_old_one() {
    let server = MockServer::start().await;
    // The first grant hands out a new refresh token along with the access token.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ok(json!({
            "access_token": "access-1", "token_type": "Bearer", "expires_in": 3600,
            "refresh_token": "refresh-2"
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token("access-2"))
        .mount(&server)
        .await;
    // The first access token is refused once, which forces a second grant.
    Mock::given(path("/v2/organizations"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path("/v2/organizations"))
        .and(header("authorization", "Bearer access-2"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;

    let c = builder(&server).refresh_token("refresh-1").build().unwrap();
    c.test_connection().await.unwrap();

    let tokens = received_at(&server, TOKEN_PATH).await;
    assert_eq!(tokens.len(), 2);
    let expect = |rt: &str| {
        sorted(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("client_id", "cid-123"),
            ("client_secret", "csecret-456"),
        ])
    };
    // No scope: the refresh-token grant keeps the scopes the user granted.
    assert_eq!(form(&tokens[0]), expect("refresh-1"));
    assert_eq!(form(&tokens[1]), expect("refresh-2"));
}

#[tokio::test]
async fn concurrent_requests_share_one_token_request() {
    let server = server_with_token().await;
    Mock::given(path("/v2/organizations"))
        .respond_with(ok(json!([])).set_delay(Duration::from_millis(20)))
        .mount(&server)
        .await;
    let c = client(&server);
    let calls = (0..8).map(|_| c.test_connection());
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1);
    assert_eq!(received_at(&server, "/v2/organizations").await.len(), 8);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ok(
            json!({"access_token": "short", "token_type": "Bearer", "expires_in": 1}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v2/organizations"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    let c = client(&server);
    c.test_connection().await.unwrap();
    c.test_connection().await.unwrap();
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 1);
    // Past 90% of its one-second life the token is due for renewal.
    tokio::time::sleep(Duration::from_millis(950)).await;
    c.test_connection().await.unwrap();
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_401_renews_the_token_once_then_is_unauthorized() {
    let server = server_with_token().await;
    Mock::given(path("/v2/organizations"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"resultCode": "FAILURE", "errorMessage": "Invalid access token"}),
        ))
        .mount(&server)
        .await;
    let err = client(&server).test_connection().await.unwrap_err();
    match err {
        e if e.kind() == ErrorKind::Unauthorized => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "Invalid access token")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(received_at(&server, TOKEN_PATH).await.len(), 2);
    assert_eq!(received_at(&server, "/v2/organizations").await.len(), 2);
}

#[tokio::test]
async fn refused_client_credentials_are_unauthorized_with_the_oauth_message() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_client", "error_description": "Bad client credentials"}),
        ))
        .mount(&server)
        .await;
    match client(&server).test_connection().await.unwrap_err() {
        e if e.kind() == ErrorKind::Unauthorized => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "invalid_client: Bad client credentials");
            assert!(!message.contains("csecret-456"));
        }
        other => panic!("{other:?}"),
    }
    assert!(received_at(&server, "/v2/organizations").await.is_empty());
}

#[tokio::test]
async fn a_refused_scope_is_an_api_error_naming_it() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_scope", "error_description": "offline_access is not allowed"}),
        ))
        .mount(&server)
        .await;
    let c = builder(&server)
        .scope("monitoring offline_access")
        .build()
        .unwrap();
    match c.test_connection().await.unwrap_err() {
        e if e.kind() == ErrorKind::Api => {
            let code = e.code();
            let message = e.message().unwrap_or_default();
            assert_eq!(code, Some("invalid_scope"));
            assert!(
                message.contains("offline_access is not allowed"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

// ---- each operation's request ----

#[tokio::test]
async fn organizations_walk_keyset_pages_until_an_empty_one() {
    let server = server_with_token().await;
    let page = |after: Option<&str>, body: Value| {
        let m = Mock::given(method("GET"))
            .and(path("/v2/organizations"))
            .and(query_param("pageSize", "2"));
        let m = match after {
            Some(a) => m.and(query_param("after", a)),
            None => m.and(query_param_is_missing("after")),
        };
        m.respond_with(ok(body)).expect(1)
    };
    page(
        None,
        json!([{"id": 2, "name": "Acme Dental"}, {"id": 5, "name": "Bramble & Co"}]),
    )
    .mount(&server)
    .await;
    // A short page does not end the walk: the server may cap pageSize.
    page(Some("5"), json!([{"id": 8, "name": "Cobalt Freight Ltd"}]))
        .mount(&server)
        .await;
    page(Some("8"), json!([])).mount(&server).await;

    let orgs: Vec<_> = client(&server)
        .organizations(ListQuery::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = orgs.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["2", "5", "8"]);
    assert_eq!(orgs[2].name, "Cobalt Freight Ltd");
}

#[tokio::test]
async fn an_after_that_does_not_advance_is_a_paging_error_not_a_loop() {
    let server = server_with_token().await;
    // This server ignores `after` and serves the first page every time.
    Mock::given(path("/v2/devices-detailed"))
        .respond_with(ok(json!([{"id": 17}, {"id": 21}])))
        .mount(&server)
        .await;
    let result: Result<Vec<_>, _> = client(&server)
        .devices(DeviceQuery::new().page_size(2))
        .try_collect()
        .await;
    match result {
        Err(e) if e.kind() == ErrorKind::Paging => {
            let operation = e.operation();
            let message = e.message().unwrap_or_default();
            assert_eq!(operation, "devices");
            assert!(message.contains("after 21"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(received_at(&server, "/v2/devices-detailed").await.len(), 2);
}

#[tokio::test]
async fn devices_filter_the_organization_with_df_and_the_rest_client_side() {
    let server = server_with_token().await;
    let devices = json!([
        {"id": 17, "organizationId": 2, "locationId": 3, "lastContact": 1718000000.25, "lastUpdate": 1717999940.911},
        {"id": 21, "organizationId": 2, "locationId": 9, "lastContact": 1717310000.75, "lastUpdate": 1717309990.1},
        {"id": 30, "organizationId": 2, "locationId": 3, "lastContact": 1600000000.0, "lastUpdate": 1600000000.0}
    ]);
    Mock::given(path("/v2/devices-detailed"))
        .and(query_param_is_missing("after"))
        .respond_with(ok(devices))
        .mount(&server)
        .await;
    Mock::given(path("/v2/devices-detailed"))
        .and(query_param("after", "30"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    let since = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
    let q = DeviceQuery::new()
        .organization("2")
        .site("3")
        .updated_since(since);
    let found: Vec<_> = client(&server).devices(q).try_collect().await.unwrap();
    let ids: Vec<_> = found.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["17"], "site 3 and changed since June: only device 17");

    let sent = received_at(&server, "/v2/devices-detailed").await;
    assert_eq!(sent.len(), 2);
    assert_eq!(
        query_of(&sent[0]),
        map(&[("pageSize", "1000"), ("df", "org = 2")])
    );
    assert_eq!(
        query_of(&sent[1]),
        map(&[("pageSize", "1000"), ("after", "30"), ("df", "org = 2")])
    );
    assert!(
        sent[0].url.as_str().contains("df=org+%3D+2"),
        "the filter is URL-encoded: {}",
        sent[0].url
    );
}

#[tokio::test]
async fn an_organization_id_that_is_not_an_integer_is_refused_before_any_request() {
    let server = server_with_token().await;
    let c = client(&server);
    let devices: Result<Vec<_>, _> = c
        .devices(DeviceQuery::new().organization("2 OR org != 2"))
        .try_collect()
        .await;
    assert!(
        matches!(&devices, Err(e) if e.kind() == ErrorKind::Config && e.operation() == "devices"),
        "{devices:?}"
    );
    let alerts: Result<Vec<_>, _> = c
        .alerts(AlertQuery::new().organization("acme"))
        .try_collect()
        .await;
    assert!(
        matches!(&alerts, Err(e) if e.kind() == ErrorKind::Config && e.operation() == "alerts"),
        "{alerts:?}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn sites_list_all_locations_or_one_organizations() {
    let server = server_with_token().await;
    Mock::given(path("/v2/locations"))
        .and(query_param_is_missing("after"))
        .respond_with(ok(json!([
            {"name": "Main Office", "address": "1 High St", "id": 3, "organizationId": 2},
            {"name": "Head Office", "address": "22 Quay Road", "id": 4, "organizationId": 5}
        ])))
        .mount(&server)
        .await;
    Mock::given(path("/v2/locations"))
        .and(query_param("after", "4"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    Mock::given(path("/v2/organization/2/locations"))
        .respond_with(ok(json!([
            {"name": "Main Office", "address": "1 High St", "description": "", "tags": [], "fields": {}, "id": 3},
            {"name": "Clinic North", "address": "", "description": "", "tags": [], "fields": {}, "id": 9}
        ])))
        .mount(&server)
        .await;
    let c = client(&server);

    let all: Vec<_> = c.sites(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].organization_id, Some(Id::from("5")));
    let sent = received_at(&server, "/v2/locations").await;
    assert_eq!(query_of(&sent[0]), map(&[("pageSize", "1000")]));

    let acme: Vec<_> = c
        .sites(ListQuery::new().organization("2"))
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = acme.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Main Office", "Clinic North"]);
    assert!(
        acme.iter()
            .all(|s| s.organization_id == Some(Id::from("2"))),
        "the organization comes from the path"
    );
    let sent = received_at(&server, "/v2/organization/2/locations").await;
    assert_eq!(sent.len(), 1);
    assert!(query_of(&sent[0]).is_empty());
}

#[tokio::test]
async fn device_software_and_alert_paths() {
    let server = server_with_token().await;
    Mock::given(method("GET"))
        .and(path("/v2/device/17"))
        .respond_with(ok(json!({"id": 17, "systemName": "ACME-RECEP01"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/device/17/software"))
        .respond_with(ok(
            json!([{"name": "7-Zip 23.01 (x64)", "version": "23.01"}]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/device/21/alerts"))
        .respond_with(ok(json!([
            {"uid": "5d0c6a7e-2f1b-4c3d-9e8f-7a6b5c4d3e2f", "deviceId": 21, "message": "Device ACME-DC01 is offline",
             "createTime": 1717310300.123, "updateTime": 1717310300.123, "device": {"id": 21, "organizationId": 2}}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/alerts"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    let c = client(&server);

    assert_eq!(c.device(&Id::from("17")).await.unwrap().id, Id::from("17"));
    let sw: Vec<_> = c.software(&Id::from("17")).try_collect().await.unwrap();
    assert_eq!(sw.len(), 1);
    assert_eq!(sw[0].device_id, Id::from("17"));

    let device_alerts: Vec<_> = c
        .alerts(AlertQuery::new().device("21").organization("2"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(device_alerts.len(), 1);
    let other_org: Vec<_> = c
        .alerts(AlertQuery::new().device("21").organization("5"))
        .try_collect()
        .await
        .unwrap();
    assert!(
        other_org.is_empty(),
        "the alert's device is in organization 2"
    );

    let since = Utc.with_ymd_and_hms(2024, 3, 5, 6, 7, 8).unwrap();
    let _: Vec<_> = c
        .alerts(AlertQuery::new().organization("2").updated_since(since))
        .try_collect()
        .await
        .unwrap();
    let sent = received_at(&server, "/v2/alerts").await;
    assert_eq!(
        query_of(&sent[0]),
        map(&[("df", "org = 2")]),
        "no paging, no date: the API has neither"
    );
}

#[tokio::test]
async fn ids_in_paths_are_encoded() {
    let server = server_with_token().await;
    Mock::given(path("/v2/device/..%2Forganizations"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .device(&Id::from("../organizations"))
        .await
        .unwrap_err();
    assert!(err.kind() == ErrorKind::NotFound, "{err:?}");
}

#[tokio::test]
async fn alerts_updated_since_filters_on_update_time() {
    let server = server_with_token().await;
    Mock::given(path("/v2/alerts"))
        .respond_with(ok(json!([
            {"uid": "a-old", "deviceId": 21, "message": "old", "createTime": 1700000000.0, "updateTime": 1700000000.0},
            {"uid": "a-touched", "deviceId": 21, "message": "raised long ago, updated lately", "createTime": 1700000000.0, "updateTime": 1717310300.5},
            {"uid": "a-untimed", "deviceId": 21, "message": "no times"}
        ])))
        .mount(&server)
        .await;
    let since = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let alerts: Vec<_> = client(&server)
        .alerts(AlertQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = alerts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["a-touched", "a-untimed"],
        "an alert with no time is kept"
    );
}

// ---- NinjaOne's error bodies ----

async fn device_error(status: u16, body: Value) -> Error {
    let server = server_with_token().await;
    Mock::given(path("/v2/device/999999"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    client(&server)
        .device(&Id::from("999999"))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn error_bodies_map_to_variants_with_the_platforms_message() {
    let body = |m: &str| json!({"resultCode": "FAILURE", "errorMessage": m, "incidentId": "5b1f0a3c-7d2e-4f6a-9b8c-1d2e3f4a5b6c"});
    match device_error(404, body("Device not found")).await {
        e if e.kind() == ErrorKind::NotFound => {
            let message = e.message().unwrap_or_default();
            let operation = e.operation();
            assert_eq!(message, "Device not found");
            assert_eq!(operation, "device");
        }
        other => panic!("{other:?}"),
    }
    match device_error(403, body("Insufficient scope: monitoring required")).await {
        e if e.kind() == ErrorKind::Forbidden => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "Insufficient scope: monitoring required")
        }
        other => panic!("{other:?}"),
    }
    match device_error(400, body("Invalid device id")).await {
        e if e.kind() == ErrorKind::Api => {
            let status = e.status().unwrap_or_default();
            let code = e.code();
            let message = e.message().unwrap_or_default();
            assert_eq!((status, code), (400, Some("FAILURE")));
            assert_eq!(message, "Invalid device id");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_429_is_retried_after_its_retry_after() {
    let server = server_with_token().await;
    Mock::given(path("/v2/device/17"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v2/device/17"))
        .respond_with(ok(json!({"id": 17})))
        .mount(&server)
        .await;
    let d = client(&server).device(&Id::from("17")).await.unwrap();
    assert_eq!(d.id, Id::from("17"));
    assert_eq!(received_at(&server, "/v2/device/17").await.len(), 2);
}

// ---- settings and build-time checks ----

fn settings(json: Value) -> Result<NinjaOneSettings, serde_json::Error> {
    serde_json::from_value(json)
}

#[test]
fn regions_map_to_their_instances() {
    for (name, root) in [
        ("app", "https://app.ninjarmm.com/"),
        ("us", "https://app.ninjarmm.com/"),
        ("EU", "https://eu.ninjarmm.com/"),
        ("oc", "https://oc.ninjarmm.com/"),
        ("ca", "https://ca.ninjarmm.com/"),
        ("us2", "https://us2.ninjarmm.com/"),
        ("fed", "https://fed.ninjarmm.com/"),
    ] {
        let s = settings(json!({"region": name, "client_id": "c", "client_secret": "s"})).unwrap();
        let c = NinjaOneClient::from_settings(&s).unwrap();
        assert_eq!(c.http().base_url().as_str(), root, "{name}");
    }
    assert_eq!("Us2".parse::<Region>().unwrap(), Region::Us2);
    let bad = settings(json!({"region": "mars", "client_id": "c", "client_secret": "s"}));
    assert!(
        bad.unwrap_err()
            .to_string()
            .contains("unknown NinjaOne region \"mars\"")
    );
}

#[test]
fn a_pasted_url_keeps_only_scheme_host_and_port() {
    for url in [
        "https://eu.ninjarmm.com/apidocs-beta/",
        "eu.ninjarmm.com/ws",
        "https://eu.ninjarmm.com/#/dashboard",
    ] {
        let c = NinjaOneClient::builder()
            .base_url(url)
            .client_id("c")
            .client_secret("s")
            .build()
            .unwrap();
        assert_eq!(
            c.http().base_url().as_str(),
            "https://eu.ninjarmm.com/",
            "{url}"
        );
    }
}

#[test]
fn bad_settings_are_refused_at_build() {
    let base = || {
        NinjaOneClient::builder()
            .region(Region::Eu)
            .client_id("c")
            .client_secret("s")
    };
    let config_error = |r: mspkit_core::Result<NinjaOneClient>, needle: &str| match r {
        Err(e) if e.kind() == ErrorKind::Config => {
            let operation = e.operation();
            let message = e.message().unwrap_or_default();
            assert_eq!(operation, "build");
            assert!(
                message.contains(needle),
                "{message} should mention {needle}"
            );
        }
        other => panic!("expected a Config error about {needle}, got {other:?}"),
    };
    config_error(base().client_id(" ").build(), "client_id");
    config_error(base().client_secret("").build(), "client_secret");
    config_error(base().refresh_token("").build(), "refresh_token");
    config_error(base().scope("  ").build(), "scope");
    config_error(
        base().base_url("https://eu.ninjarmm.com").build(),
        "not both",
    );
    config_error(
        NinjaOneClient::builder()
            .client_id("c")
            .client_secret("s")
            .build(),
        "region",
    );
    let no_secret = NinjaOneClient::builder()
        .region(Region::Us)
        .client_id("c")
        .build();
    config_error(no_secret, "client_secret");
    let url = |u: &str| {
        NinjaOneClient::builder()
            .base_url(u)
            .client_id("c")
            .client_secret("s")
            .build()
    };
    assert!(matches!(&url("not a url at all"), Err(e) if e.kind() == ErrorKind::Config));
    assert!(matches!(&url("ftp://eu.ninjarmm.com"), Err(e) if e.kind() == ErrorKind::Config));
    assert!(matches!(&url("http://eu.ninjarmm.com"), Err(e) if e.kind() == ErrorKind::InsecureUrl));
    assert!(
        NinjaOneClient::builder()
            .base_url("http://127.0.0.1:9")
            .client_id("c")
            .client_secret("s")
            .allow_insecure_http()
            .build()
            .is_ok()
    );
}

#[test]
fn settings_refuse_unknown_fields_and_honour_allow_insecure_http() {
    let typo = settings(
        json!({"region": "eu", "client_id": "c", "client_secret": "s", "client_secert": "s"}),
    );
    assert!(typo.is_err());
    let local = json!({"base_url": "http://127.0.0.1:9", "client_id": "c", "client_secret": "s"});
    let refused = NinjaOneClient::from_settings(&settings(local.clone()).unwrap());
    assert!(matches!(&refused, Err(e) if e.kind() == ErrorKind::InsecureUrl));
    let mut allowed = local;
    allowed["allow_insecure_http"] = json!(true);
    assert!(NinjaOneClient::from_settings(&settings(allowed).unwrap()).is_ok());
}

#[test]
fn debug_shows_no_secret() {
    let s = settings(json!({
        "region": "eu", "client_id": "visible-client-id", "client_secret": "TOP-SECRET-1",
        "refresh_token": "REFRESH-SECRET-2", "scope": "monitoring"
    }))
    .unwrap();
    let c = NinjaOneClient::from_settings(&s).unwrap();
    for text in [
        format!("{s:?}"),
        format!("{c:?}"),
        format!("{:?}", NinjaOneClientBuilder::from_settings(&s)),
    ] {
        assert!(!text.contains("TOP-SECRET-1"), "{text}");
        assert!(!text.contains("REFRESH-SECRET-2"), "{text}");
    }
    assert!(format!("{c:?}").contains("visible-client-id"));
}

// ---- first contact and trust ---------------------------------------------

/// Every request but a token or look-up one: what the platform's API answers.
struct ApiCalls;

impl wiremock::Match for ApiCalls {
    fn matches(&self, r: &wiremock::Request) -> bool {
        let p = r.url.path().to_ascii_lowercase();
        !["token", "authinfo", "zoneinformation", "companyinfo"]
            .iter()
            .any(|w| p.contains(w))
    }
}

#[tokio::test]
async fn a_refused_first_call_says_what_to_check() {
    for (status, kind, what) in [
        (401, ErrorKind::Unauthorized, "region"),
        (403, ErrorKind::Forbidden, "scopes"),
        (404, ErrorKind::NotFound, "base_url"),
    ] {
        let fake = mspkit_ninja::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = NinjaOneClient::from_settings_with(
            &fake.settings,
            mspkit_core::ClientOptions::new().retry(mspkit_testkit::fast_retry()),
        )
        .unwrap();
        let e = RmmClient::test_connection(&c).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{e}");
        let hint = e.hint().unwrap_or_default();
        assert!(hint.contains(what), "{status}: {e}");
        assert!(e.to_string().ends_with(&format!("; check: {hint}")), "{e}");
    }
}

/// The settings' JSON the trust checks start from: the fake's, without
/// trust settings.
fn trust_base(fake: &mspkit_testkit::FakeServer<NinjaOneSettings>) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "client_id": fake.settings.client_id,
        "client_secret": mspkit_ninja::mock::CLIENT_SECRET,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_ninja::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: NinjaOneSettings| async move {
        NinjaOneClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        RmmClient::test_connection(&NinjaOneClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_ninja::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: NinjaOneSettings| {
        NinjaOneClient::from_settings(&s).map(drop)
    });
}
