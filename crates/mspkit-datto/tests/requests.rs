//! What goes on the wire: the token request, each operation's request, paging
//! by `nextPageUrl`, Datto's error answers, and build-time checks.

// Helpers outside #[test] functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::TryStreamExt;
use mspkit_core::{AlertQuery, DeviceQuery, Error, ErrorKind, Id, ListQuery, RmmClient};
use mspkit_datto::{DattoClient, DattoSettings, Platform};
use mspkit_testkit::received_at;
use serde_json::{Value, json};
use wiremock::matchers::{
    body_string, header, header_exists, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "JQ4N8A+KEY&1";
const SECRET: &str = "SV2K/secret=9";
const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.e30.dG9rZW4";
const SITE: &str = "8b7e4c2a-1f3d-4a5b-9c6d-7e8f9a0b1c2d";
const DEVICE: &str = "5c3b2a19-0e8d-4f7c-b6a5-493827160abc";

fn token_body(token: &str, expires_in: u64) -> Value {
    json!({"access_token": token, "token_type": "bearer", "expires_in": expires_in,
           "scope": "default", "jti": "2b8c3a0e-5a1f-4f0e-9d6a-7c1b2e3f4a5b"})
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(TOKEN, 359_999)))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> DattoClient {
    DattoClient::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .api_secret(SECRET)
        .allow_insecure_http()
        .retry_policy(mspkit_testkit::fast_retry())
        .rate_limit(None)
        .build()
        .unwrap()
}

fn page(key: &str, items: Vec<Value>, total: usize, next: Option<String>) -> Value {
    json!({"pageDetails": {"count": items.len(), "totalCount": total, "prevPageUrl": null,
                           "nextPageUrl": next}, key: items})
}

fn site(n: i64) -> Value {
    json!({"id": 1020 + n, "uid": format!("site-{n}"), "accountUid": "ab12cd34", "name": format!("Site {n}"),
           "description": "", "notes": "", "onDemand": false, "splashtopAutoInstall": false,
           "proxySettings": null, "devicesStatus": {"numberOfDevices": 1, "numberOfOnlineDevices": 1,
           "numberOfOfflineDevices": 0}, "autotaskCompanyName": null, "autotaskCompanyId": null,
           "portalUrl": format!("https://merlot.centrastage.net/csm/site/summary/{}", 1020 + n)})
}

fn device(uid: &str, class: &str, last_seen: i64) -> Value {
    json!({"id": 4410551, "uid": uid, "siteId": 1021, "siteUid": SITE, "siteName": "Acme Dental",
           "deviceType": {"category": "Desktop", "type": "Desktop"}, "hostname": "ACME-RECEP01",
           "intIpAddress": "192.168.10.21", "operatingSystem": "Microsoft Windows 11 Pro 10.0.26200",
           "lastLoggedInUser": "ACME\\jsmith", "cagVersion": "11965", "displayVersion": "4.4.11965.11965",
           "extIpAddress": "203.0.113.7", "online": true, "lastSeen": last_seen, "deviceClass": class})
}

fn alert(uid: &str, resolved: bool) -> Value {
    json!({"alertUid": uid, "priority": "High", "diagnostics": "Device ACME-DC01 went offline",
           "resolved": resolved, "resolvedOn": if resolved { json!(1717317500123_i64) } else { Value::Null },
           "timestamp": 1717310300123_i64,
           "alertContext": {"@class": "online_offline_status_ctx", "status": "OFFLINE"},
           "alertSourceInfo": {"deviceUid": DEVICE, "deviceName": "ACME-DC01", "siteUid": SITE,
                               "siteName": "Acme Dental"}})
}

fn bearer() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {TOKEN}").as_str())
}

// ---- auth ---------------------------------------------------------------

#[tokio::test]
async fn the_token_is_a_password_grant_with_basic_public_client_outside_api() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .and(header(
            "authorization",
            "Basic cHVibGljLWNsaWVudDpwdWJsaWM=",
        ))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "grant_type=password&username=JQ4N8A%2BKEY%261&password=SV2K%2Fsecret%3D9",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(TOKEN, 359_999)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .and(bearer())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 1147, "uid": "ab12cd34", "name": "Northwind MSP"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    // A pasted API URL with a path still puts the token endpoint at the origin.
    let c = DattoClient::builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .api_key(KEY)
        .api_secret(SECRET)
        .allow_insecure_http()
        .rate_limit(None)
        .build()
        .unwrap();
    c.test_connection().await.unwrap();
    c.test_connection().await.unwrap(); // the token is reused
}

#[tokio::test]
async fn a_401_reruns_the_grant_once_and_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("old-token", 359_999)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(TOKEN, 359_999)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .and(header("authorization", "Bearer old-token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_token", "error_description": "Access token expired: old-token"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1147})))
        .mount(&server)
        .await;
    client(&server).test_connection().await.unwrap();
    assert_eq!(received_at(&server, "/auth/oauth/token").await.len(), 2);
    assert_eq!(received_at(&server, "/api/v2/account").await.len(), 2);
}

#[tokio::test]
async fn a_401_after_a_fresh_token_is_unauthorized_with_the_message() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_token", "error_description": "Invalid access token"}),
        ))
        .mount(&server)
        .await;
    let e = client(&server).test_connection().await.unwrap_err();
    assert!(
        e.kind() == ErrorKind::Unauthorized && e.message() == Some("Invalid access token"),
        "{e:?}"
    );
    // One renewal, not a loop.
    assert_eq!(received_at(&server, "/auth/oauth/token").await.len(), 2);
}

#[tokio::test]
async fn an_expired_token_is_fetched_again_before_the_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(TOKEN, 0)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1147})))
        .mount(&server)
        .await;
    let c = client(&server);
    c.test_connection().await.unwrap();
    c.test_connection().await.unwrap();
    assert_eq!(received_at(&server, "/auth/oauth/token").await.len(), 2);
}

#[tokio::test]
async fn refused_credentials_at_the_token_endpoint_are_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_grant", "error_description": "Bad credentials"}),
        ))
        .mount(&server)
        .await;
    let e = client(&server).test_connection().await.unwrap_err();
    match e {
        e if e.kind() == ErrorKind::Unauthorized => {
            let message = e.message().unwrap_or_default();
            assert!(message.contains("Bad credentials"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

// ---- operations ---------------------------------------------------------

#[tokio::test]
async fn organizations_and_sites_are_the_account_sites() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/sites"))
        .and(query_param_is_missing("max"))
        .and(query_param_is_missing("page"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "sites",
            vec![site(1), site(2)],
            2,
            None,
        )))
        .mount(&server)
        .await;
    let c = client(&server);
    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let sites: Vec<_> = c.sites(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(
        orgs.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
        ["site-1", "site-2"]
    );
    assert_eq!(orgs[1].name, "Site 2");
    assert_eq!(sites[0].id, orgs[0].id);
    assert_eq!(sites[0].organization_id, Some(orgs[0].id.clone()));
}

#[tokio::test]
async fn sites_of_one_organization_read_that_site_and_an_unknown_one_is_empty() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/site/{SITE}")))
        .and(bearer())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 1021, "uid": SITE, "name": "Acme Dental"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/site/nope"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"timestamp": "2024-06-10T06:13:20.123+00:00",
            "status": 404, "error": "Not Found", "message": "Site was not found.", "path": "/api/v2/site/nope"})))
        .mount(&server)
        .await;
    let c = client(&server);
    let one: Vec<_> = c
        .sites(ListQuery::new().organization(SITE))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].name, "Acme Dental");
    assert_eq!(one[0].organization_id.as_ref().map(Id::as_str), Some(SITE));
    let none: Vec<_> = c
        .sites(ListQuery::new().organization("nope"))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn paging_follows_next_page_url_verbatim_until_null() {
    let server = server().await;
    let next = format!(
        "{}/api/v2/account/devices?max=2&page=1&siteName=ignored",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/api/v2/account/devices"))
        .and(query_param("max", "2"))
        .and(query_param_is_missing("page"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "devices",
            vec![
                device("d1", "device", 1718000000000),
                device("d2", "device", 1718000000000),
            ],
            3,
            Some(next),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/devices"))
        .and(query_param("page", "1"))
        .and(query_param("siteName", "ignored"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "devices",
            vec![device("d3", "device", 1718000000000)],
            3,
            None,
        )))
        .mount(&server)
        .await;
    let got: Vec<_> = client(&server)
        .devices(DeviceQuery::new().page_size(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        got.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["d1", "d2", "d3"]
    );
    assert_eq!(
        received_at(&server, "/api/v2/account/devices").await.len(),
        2
    );
}

#[tokio::test]
async fn devices_of_a_site_or_organization_use_the_site_path() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/site/{SITE}/devices")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "devices",
            vec![device(DEVICE, "device", 1718000000000)],
            1,
            None,
        )))
        .mount(&server)
        .await;
    let c = client(&server);
    let by_site: Vec<_> = c
        .devices(DeviceQuery::new().site(SITE))
        .try_collect()
        .await
        .unwrap();
    let by_org: Vec<_> = c
        .devices(DeviceQuery::new().organization(SITE))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_site.len(), 1);
    assert_eq!(by_org, by_site);
    // A site of another organization holds none of its devices: no request.
    let none: Vec<_> = c
        .devices(DeviceQuery::new().site(SITE).organization("other"))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(
        received_at(&server, &format!("/api/v2/site/{SITE}/devices"))
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn devices_updated_since_filters_on_last_seen_client_side() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/devices"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "devices",
            vec![
                device("recent", "device", 1718000000000), // 2024-06-10
                device("stale", "device", 1700000000000),  // 2023-11-14
                device("never", "device", 0),
            ],
            3,
            None,
        )))
        .mount(&server)
        .await;
    let since = chrono::DateTime::parse_from_rfc3339("2024-03-05T06:07:08Z")
        .unwrap()
        .to_utc();
    let got: Vec<_> = client(&server)
        .devices(DeviceQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    // Unknown times are kept: dropping them could lose a change.
    assert_eq!(
        got.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["recent", "never"]
    );
    let sent = &received_at(&server, "/api/v2/account/devices").await[0];
    // (The kit's list walk leaves an empty `?` on a request without
    // parameters: no parameter is what counts.)
    assert_eq!(
        sent.url.query().filter(|q| !q.is_empty()),
        None,
        "nothing server-side to send"
    );
}

#[tokio::test]
async fn device_reads_the_record_then_its_audit() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/device/{DEVICE}")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(device(
            DEVICE,
            "device",
            1718000000000,
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/audit/device/{DEVICE}")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "systemInfo": {"manufacturer": "HP", "model": "EliteDesk 800 G9"},
            "bios": {"serialNumber": "CZC1234567"},
            "nics": [{"instance": "Ethernet", "ipv4": "192.168.10.21", "macAddress": "3C:52:82:1A:2B:3C"}]
        })))
        .mount(&server)
        .await;
    let d = client(&server).device(&Id::from(DEVICE)).await.unwrap();
    assert_eq!(d.id.as_str(), DEVICE);
    assert_eq!(d.serial_number.as_deref(), Some("CZC1234567"));
    assert_eq!(d.manufacturer.as_deref(), Some("HP"));
    assert_eq!(d.model.as_deref(), Some("EliteDesk 800 G9"));
    assert_eq!(d.mac_addresses, ["3C:52:82:1A:2B:3C"]);
}

#[tokio::test]
async fn devices_without_an_audit_are_returned_as_recorded() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/device/printer-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(device(
            "printer-1",
            "printer",
            1718000000000,
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/device/new-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(device(
            "new-1",
            "device",
            1718000000000,
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/audit/device/new-1"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"status": 400, "error": "Bad Request",
            "message": "Device audit is not available.", "path": "/api/v2/audit/device/new-1"})),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    let printer = c.device(&Id::from("printer-1")).await.unwrap();
    assert_eq!(printer.device_type, mspkit_core::DeviceType::Network);
    assert!(
        received_at(&server, "/api/v2/audit/device/printer-1")
            .await
            .is_empty()
    );
    let fresh = c.device(&Id::from("new-1")).await.unwrap();
    assert_eq!(fresh.serial_number, None);
}

#[tokio::test]
async fn ids_are_encoded_as_one_path_segment() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/device/a%2Fb%3Fc"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"status": 404, "error": "Not Found",
            "message": "Device was not found.", "path": "/api/v2/device/a%2Fb%3Fc"})),
        )
        .mount(&server)
        .await;
    let e = client(&server)
        .device(&Id::from("a/b?c"))
        .await
        .unwrap_err();
    assert!(
        e.kind() == ErrorKind::NotFound && e.message() == Some("Device was not found."),
        "{e:?}"
    );
}

#[tokio::test]
async fn alerts_are_open_ones_unless_resolved_are_asked_for() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/alerts/open"))
        .and(query_param("max", "50"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "alerts",
            vec![alert("open-1", false)],
            1,
            None,
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/alerts/resolved"))
        .and(query_param("max", "50"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "alerts",
            vec![alert("done-1", true), alert("done-2", true)],
            2,
            None,
        )))
        .mount(&server)
        .await;
    let c = client(&server);
    let open: Vec<_> = c
        .alerts(AlertQuery::new().page_size(50))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        open.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["open-1"]
    );
    assert!(
        received_at(&server, "/api/v2/account/alerts/resolved")
            .await
            .is_empty()
    );

    let all: Vec<_> = c
        .alerts(AlertQuery::new().page_size(50).include_resolved())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["open-1", "done-1", "done-2"]
    );
    assert!(all[1].resolved && all[1].resolved_at.is_some());

    // A limit met among the open alerts sends no request for resolved ones.
    let before = received_at(&server, "/api/v2/account/alerts/resolved")
        .await
        .len();
    let one: Vec<_> = c
        .alerts(AlertQuery::new().page_size(50).include_resolved().limit(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(
        received_at(&server, "/api/v2/account/alerts/resolved")
            .await
            .len(),
        before
    );
}

#[tokio::test]
async fn alerts_of_a_device_or_site_use_their_paths() {
    let server = server().await;
    for p in [
        format!("/api/v2/device/{DEVICE}/alerts/open"),
        format!("/api/v2/site/{SITE}/alerts/open"),
        format!("/api/v2/site/{SITE}/alerts/resolved"),
    ] {
        Mock::given(method("GET"))
            .and(path(p))
            .and(bearer())
            .respond_with(ResponseTemplate::new(200).set_body_json(page(
                "alerts",
                vec![alert("a-1", false)],
                1,
                None,
            )))
            .expect(1)
            .mount(&server)
            .await;
    }
    let c = client(&server);
    let by_device: Vec<_> = c
        .alerts(AlertQuery::new().device(DEVICE))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        by_device[0].device_id.as_ref().map(Id::as_str),
        Some(DEVICE)
    );
    let by_site: Vec<_> = c
        .alerts(AlertQuery::new().organization(SITE).include_resolved())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_site.len(), 2);
}

#[tokio::test]
async fn software_comes_from_the_device_audit() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/audit/device/{DEVICE}/software")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "software",
            vec![
                json!({"name": "7-Zip 23.01 (x64)", "version": "23.01"}),
                json!({"name": "Google Chrome", "version": "125.0.6422.142"}),
            ],
            2,
            None,
        )))
        .mount(&server)
        .await;
    let sw: Vec<_> = client(&server)
        .software(&Id::from(DEVICE))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sw.len(), 2);
    assert_eq!(sw[1].name, "Google Chrome");
    assert_eq!(sw[1].version.as_deref(), Some("125.0.6422.142"));
    assert!(sw.iter().all(|s| s.device_id.as_str() == DEVICE));
}

#[tokio::test]
async fn keep_raw_keeps_the_original_object_with_its_numeric_id() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/devices"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "devices",
            vec![device(DEVICE, "device", 1718000000000)],
            1,
            None,
        )))
        .mount(&server)
        .await;
    let c = DattoClient::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .api_secret(SECRET)
        .allow_insecure_http()
        .keep_raw(true)
        .build()
        .unwrap();
    let d: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    let raw = d[0].raw.as_ref().unwrap();
    assert_eq!(raw["id"], 4410551);
    assert_eq!(raw["uid"], DEVICE);
    // Off by default.
    let d: Vec<_> = client(&server)
        .devices(DeviceQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(d[0].raw, None);
}

// ---- paging that cannot finish -------------------------------------------

#[tokio::test]
async fn a_next_page_on_another_host_is_not_followed() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/sites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "sites",
            vec![site(1)],
            2,
            Some("https://evil.example/api/v2/account/sites?page=1".into()),
        )))
        .mount(&server)
        .await;
    let r: Result<Vec<_>, _> = client(&server)
        .organizations(ListQuery::new())
        .try_collect()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Paging),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_repeated_next_page_or_a_short_list_is_a_paging_error() {
    let server = server().await;
    let again = format!("{}/api/v2/account/sites?max=1&page=1", server.uri());
    Mock::given(method("GET"))
        .and(path("/api/v2/account/sites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "sites",
            vec![site(1)],
            5,
            Some(again),
        )))
        .mount(&server)
        .await;
    let r: Result<Vec<_>, _> = client(&server)
        .organizations(ListQuery::new())
        .try_collect()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Paging),
        "{r:?}"
    );

    let server = server_short().await;
    let r: Result<Vec<_>, _> = client(&server).sites(ListQuery::new()).try_collect().await;
    match r {
        Err(e) if e.kind() == ErrorKind::Paging => {
            let message = e.message().unwrap_or_default();
            assert!(message.contains("reported 3"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

async fn server_short() -> MockServer {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/sites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            "sites",
            vec![site(1)],
            3,
            None,
        )))
        .mount(&server)
        .await;
    server
}

// ---- Datto's error answers -----------------------------------------------

async fn failing(body: ResponseTemplate) -> Error {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .respond_with(body)
        .mount(&server)
        .await;
    client(&server).test_connection().await.unwrap_err()
}

#[tokio::test]
async fn a_403_ip_block_says_so() {
    let html = ResponseTemplate::new(403)
        .set_body_string("<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>")
        .insert_header("content-type", "text/html");
    match failing(html).await {
        e if e.kind() == ErrorKind::Forbidden => {
            let message = e.message().unwrap_or_default();
            assert!(
                message.contains("temporarily blocked this IP address"),
                "{message}"
            );
            assert!(message.contains("5 minutes"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let worded = ResponseTemplate::new(403)
        .set_body_string("Your IP address has been blocked due to too many requests");
    match failing(worded).await {
        e if e.kind() == ErrorKind::Forbidden => {
            let message = e.message().unwrap_or_default();
            assert!(
                message.starts_with("Datto RMM has temporarily blocked this IP address"),
                "{message}"
            );
            assert!(
                message.contains("server said: Your IP address has been blocked"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    let empty = ResponseTemplate::new(403);
    let e = failing(empty).await;
    assert!(
        e.kind() == ErrorKind::Forbidden
            && e.message()
                .is_some_and(|m| m.contains("blocked this IP address")),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_403_for_missing_permission_is_a_plain_forbidden() {
    let denied = ResponseTemplate::new(403).set_body_json(json!({"timestamp": "2024-06-10T06:13:20.123+00:00",
        "status": 403, "error": "Forbidden", "message": "Access Denied", "path": "/api/v2/account"}));
    match failing(denied).await {
        e if e.kind() == ErrorKind::Forbidden => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "Access Denied")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn spring_error_bodies_give_their_message() {
    let bad = ResponseTemplate::new(400).set_body_json(json!({"timestamp": "2024-06-10T06:13:20.123+00:00",
        "status": 400, "error": "Bad Request", "message": "Invalid value for max", "path": "/api/v2/account"}));
    match failing(bad).await {
        e if e.kind() == ErrorKind::Api && e.status() == Some(400) => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "Invalid value for max")
        }
        other => panic!("{other:?}"),
    }
    let conflict = ResponseTemplate::new(409);
    let e = failing(conflict).await;
    assert!(
        e.kind() == ErrorKind::Api && e.status() == Some(409),
        "{e:?}"
    );
    let down = ResponseTemplate::new(503).set_body_string("Service Unavailable");
    let e = failing(down).await;
    assert!(
        e.kind() == ErrorKind::Server && e.status() == Some(503),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_429_is_retried_then_reported_as_rate_limited() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let e = client(&server).test_connection().await.unwrap_err();
    assert!(e.kind() == ErrorKind::RateLimited, "{e:?}");
    assert_eq!(received_at(&server, "/api/v2/account").await.len(), 3);
}

#[tokio::test]
async fn a_truncated_page_is_a_decode_error() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/devices"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"pageDetails":{"count":1},"devices":[{"uid":"d1","host"#),
        )
        .mount(&server)
        .await;
    let r: Result<Vec<_>, _> = client(&server)
        .devices(DeviceQuery::new())
        .try_collect()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Decode),
        "{r:?}"
    );
}

// ---- building ------------------------------------------------------------

fn builder() -> mspkit_datto::DattoClientBuilder {
    DattoClient::builder().api_key("k").api_secret("s")
}

#[test]
fn platforms_map_to_their_api_roots() {
    for (p, host) in [
        (Platform::Pinotage, "pinotage-api.centrastage.net"),
        (Platform::Merlot, "merlot-api.centrastage.net"),
        (Platform::Concord, "concord-api.centrastage.net"),
        (Platform::Vidal, "vidal-api.centrastage.net"),
        (Platform::Zinfandel, "zinfandel-api.centrastage.net"),
        (Platform::Syrah, "syrah-api.centrastage.net"),
    ] {
        let c = builder().platform(p).build().unwrap();
        assert_eq!(c.http().base_url().as_str(), format!("https://{host}/api/"));
    }
    let pasted = builder()
        .base_url("https://concord-api.centrastage.net/api/v2/")
        .build()
        .unwrap();
    assert_eq!(
        pasted.http().base_url().as_str(),
        "https://concord-api.centrastage.net/api/"
    );
    let bare = builder()
        .base_url("vidal-api.centrastage.net")
        .build()
        .unwrap();
    assert_eq!(
        bare.http().base_url().as_str(),
        "https://vidal-api.centrastage.net/api/"
    );
}

#[test]
fn bad_settings_are_refused_before_any_request() {
    let config =
        |r: mspkit_core::Result<DattoClient>| matches!(&r, Err(e) if e.kind() == ErrorKind::Config);
    assert!(config(
        DattoClient::builder()
            .platform(Platform::Merlot)
            .api_secret("s")
            .build()
    ));
    assert!(config(
        DattoClient::builder()
            .platform(Platform::Merlot)
            .api_key(" ")
            .api_secret("s")
            .build()
    ));
    assert!(config(
        DattoClient::builder()
            .platform(Platform::Merlot)
            .api_key("k")
            .api_secret("")
            .build()
    ));
    assert!(config(builder().build()), "neither platform nor base_url");
    assert!(config(
        builder()
            .platform(Platform::Merlot)
            .base_url("https://merlot-api.centrastage.net")
            .build()
    ));
    assert!(config(builder().base_url("https://exa mple.com").build()));
    assert!(matches!(&builder()
            .base_url("http://merlot-api.centrastage.net")
            .build(), Err(e) if e.kind() == ErrorKind::InsecureUrl));
    assert!(
        builder()
            .base_url("http://127.0.0.1:9")
            .allow_insecure_http()
            .build()
            .is_ok()
    );
}

#[test]
fn settings_deserialize_with_exactly_the_documented_names() {
    let s: DattoSettings = serde_json::from_str(
        r#"{"platform": "Merlot", "api_key": "KEY-1", "api_secret": "SECRET-2"}"#,
    )
    .unwrap();
    assert_eq!(s.platform, Some(Platform::Merlot));
    assert!(!s.allow_insecure_http);
    DattoClient::from_settings(&s).unwrap();
    let typo = serde_json::from_str::<DattoSettings>(
        r#"{"platform": "merlot", "api_key": "k", "api_secret": "s", "secret": "x"}"#,
    );
    assert!(typo.is_err());
    let unknown = serde_json::from_str::<DattoSettings>(
        r#"{"platform": "pinetop", "api_key": "k", "api_secret": "s"}"#,
    );
    assert!(unknown.unwrap_err().to_string().contains("pinetop"));
    let local: DattoSettings = serde_json::from_str(
        r#"{"base_url": "http://127.0.0.1:9", "api_key": "k", "api_secret": "s", "allow_insecure_http": true}"#,
    )
    .unwrap();
    DattoClient::from_settings(&local).unwrap();
}

#[tokio::test]
async fn debug_never_shows_the_key_or_secret() {
    let s: DattoSettings = serde_json::from_str(
        r#"{"platform": "merlot", "api_key": "KEY-visible-1", "api_secret": "SECRET-visible-2"}"#,
    )
    .unwrap();
    let c = DattoClient::from_settings(&s).unwrap();
    for text in [
        format!("{s:?}"),
        format!("{c:?}"),
        format!(
            "{:?}",
            DattoClient::builder()
                .api_key("KEY-visible-1")
                .api_secret("SECRET-visible-2")
        ),
    ] {
        assert!(
            !text.contains("KEY-visible-1") && !text.contains("SECRET-visible-2"),
            "{text}"
        );
    }
    // Nor does an error from a live exchange.
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": "Access Denied"})))
        .mount(&server)
        .await;
    let e = client(&server).test_connection().await.unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
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
        (401, ErrorKind::Unauthorized, "platform"),
        (403, ErrorKind::Forbidden, "Enable API Access"),
        (404, ErrorKind::NotFound, "API host"),
    ] {
        let fake = mspkit_datto::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = DattoClient::from_settings_with(
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
fn trust_base(fake: &mspkit_testkit::FakeServer<DattoSettings>) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "api_key": mspkit_datto::mock::API_KEY,
        "api_secret": mspkit_datto::mock::API_SECRET,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_datto::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: DattoSettings| async move {
        DattoClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        RmmClient::test_connection(&DattoClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_datto::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: DattoSettings| {
        DattoClient::from_settings(&s).map(drop)
    });
}
