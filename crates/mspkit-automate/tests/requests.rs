//! What goes on the wire: the sign-in and refresh requests, the `ClientId`
//! and bearer on every call, each endpoint's path and query (conditions,
//! order, paging), and how Automate's answers map to errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use mspkit_automate::{AutomateClient, AutomateClientBuilder, AutomateSettings, mock};
use mspkit_core::{AlertQuery, DeviceQuery, ErrorKind, Id, ListQuery, RmmClient};
use mspkit_testkit::{
    fast_retry, header_value, json_body, probe_instant, query_pairs, query_param, received,
    received_at,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_ID: &str = "5f0d7a1e-93b2-4c6d-8e4f-2a1b3c4d5e6f";
const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.first";

fn client(server: &MockServer) -> AutomateClientBuilder {
    AutomateClient::builder()
        .server(server.uri())
        .username("api-sync")
        .password("s3cret\"pass")
        .client_id(CLIENT_ID)
        .allow_insecure_http()
        .retry_policy(fast_retry())
}

fn token_result(token: &str, expires_in_secs: i64) -> Value {
    let at = |secs: i64| {
        (chrono::Utc::now() + chrono::Duration::seconds(secs))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    json!({"AccessToken": token, "TokenType": "Bearer", "ExpirationDate": at(expires_in_secs),
        "AbsoluteExpirationDate": at(expires_in_secs + 6 * 3600), "UserId": "42",
        "InternalUserName": "api-sync", "IsTwoFactorRequired": false,
        "IsInternalTwoFactorRequired": false, "SSOAccessToken": null})
}

/// A server whose login answers `TOKEN` (an hour) and whose lists answer `[]`.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cwa/api/v1/apitoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_result(TOKEN, 3600)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// The requests other than sign-in and refresh.
async fn api_requests(server: &MockServer) -> Vec<Request> {
    let mut all = received(server).await;
    all.retain(|r| !r.url.path().to_ascii_lowercase().contains("apitoken"));
    all
}

#[tokio::test]
async fn sign_in_and_every_call_carry_the_client_id_and_the_token() {
    let server = server().await;
    let c = client(&server).build().unwrap();
    c.test_connection().await.unwrap();
    let all = received(&server).await;
    assert_eq!(all.len(), 2);
    let login = &all[0];
    assert_eq!(login.method.as_str(), "POST");
    assert_eq!(login.url.path(), "/cwa/api/v1/apitoken");
    assert_eq!(header_value(login, "clientid"), Some(CLIENT_ID));
    assert_eq!(
        header_value(login, "content-type"),
        Some("application/json")
    );
    assert_eq!(header_value(login, "authorization"), None);
    let body = json_body(login);
    assert_eq!(
        body,
        json!({"Username": "api-sync", "Password": "s3cret\"pass"})
    );

    let call = &all[1];
    assert_eq!(call.url.path(), "/cwa/api/v1/Clients");
    assert_eq!(call.url.query(), Some("page=1&pageSize=1"));
    assert_eq!(header_value(call, "clientid"), Some(CLIENT_ID));
    assert_eq!(
        header_value(call, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(header_value(call, "accept"), Some("application/json"));
}

#[tokio::test]
async fn the_two_factor_passcode_is_sent_without_spaces() {
    let server = server().await;
    let c = client(&server)
        .two_factor_passcode(" 123 456 ")
        .build()
        .unwrap();
    c.test_connection().await.unwrap();
    let login = &received(&server).await[0];
    let body = json_body(login);
    assert_eq!(body["TwoFactorPasscode"], "123456");
}

#[tokio::test]
async fn concurrent_callers_share_one_sign_in() {
    let server = server().await;
    let c = client(&server).build().unwrap();
    let calls = (0..12).map(|_| c.test_connection());
    for r in futures::future::join_all(calls).await {
        r.unwrap();
    }
    let logins = received(&server).await.len() - 12;
    assert_eq!(logins, 1);
}

/// After a 401 the token is refreshed (the old token as a JSON string, with
/// the ClientId), and the call is sent once more with the new one.
#[tokio::test]
async fn a_401_refreshes_the_token_once() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/cwa/api/v1/apitoken/refresh"))
        .and(header("clientid", CLIENT_ID))
        .and(body_json(json!(TOKEN)))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_result("second", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"Message": "Authorization has been denied for this request."}),
            ),
        )
        .mount(&server)
        .await;
    let c = client(&server).build().unwrap();
    c.test_connection().await.unwrap();
    let calls = api_requests(&server).await;
    assert_eq!(calls.len(), 2);
    assert_eq!(
        header_value(&calls[1], "authorization"),
        Some("Bearer second")
    );
}

/// A refresh that is refused is followed by one sign-in; a 401 after that
/// is `Unauthorized`.
#[tokio::test]
async fn a_failed_refresh_signs_in_again() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/cwa/api/v1/apitoken/refresh"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"Message": "Invalid token."})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"Message": "Authorization has been denied for this request."}),
            ),
        )
        .mount(&server)
        .await;
    let c = client(&server).build().unwrap();
    let e = c.test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.status(), Some(401));
    assert_eq!(
        e.message(),
        Some("Authorization has been denied for this request.")
    );
    let all = received(&server).await;
    let paths: Vec<&str> = all.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            "/cwa/api/v1/apitoken",
            "/cwa/api/v1/Clients",
            "/cwa/api/v1/apitoken/refresh",
            "/cwa/api/v1/apitoken",
            "/cwa/api/v1/Clients",
        ]
    );
}

/// A token is renewed (refreshed) before its `ExpirationDate`, not after a 401.
#[tokio::test]
async fn a_token_is_refreshed_before_it_expires() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cwa/api/v1/apitoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_result(TOKEN, 2)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cwa/api/v1/apitoken/refresh"))
        .and(body_json(json!(TOKEN)))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_result("second", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let c = client(&server).build().unwrap();
    c.test_connection().await.unwrap();
    tokio::time::sleep(Duration::from_millis(2000)).await;
    c.test_connection().await.unwrap();
    let calls = api_requests(&server).await;
    assert_eq!(
        header_value(&calls[1], "authorization"),
        Some("Bearer second")
    );
}

#[tokio::test]
async fn a_refused_sign_in_is_unauthorized_without_the_password() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"Message": "Invalid username or password."})),
        )
        .mount(&server)
        .await;
    let c = client(&server).build().unwrap();
    let e = c.test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    let shown = format!("{e} {e:?} {c:?}");
    assert!(shown.contains("Invalid username or password."), "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
}

#[tokio::test]
async fn lists_are_ordered_and_filtered_by_conditions() {
    let server = server().await;
    let c = client(&server).build().unwrap();
    let since = probe_instant();
    let _: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c
        .sites(ListQuery::new().organization("7"))
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c
        .devices(
            DeviceQuery::new()
                .organization("9")
                .site("10")
                .updated_since(since),
        )
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c
        .alerts(AlertQuery::new().organization("1").device("118"))
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c.software(&Id::from("118")).try_collect().await.unwrap();
    let _ = c.device(&Id::from("118")).await;

    let seen: Vec<(String, Vec<(String, String)>)> = api_requests(&server)
        .await
        .iter()
        .map(|r| {
            assert_eq!(r.method.as_str(), "GET");
            (r.url.path().to_owned(), query_pairs(r))
        })
        .collect();
    let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    assert_eq!(
        seen,
        vec![
            (
                "/cwa/api/v1/Clients".to_owned(),
                q(&[("orderBy", "Id asc"), ("pageSize", "1000"), ("page", "1")])
            ),
            (
                "/cwa/api/v1/Locations".to_owned(),
                q(&[
                    ("orderBy", "Id asc"),
                    ("condition", "(Client.Id = 7)"),
                    ("pageSize", "1000"),
                    ("page", "1")
                ])
            ),
            (
                "/cwa/api/v1/Computers".to_owned(),
                q(&[
                    ("orderBy", "Id asc"),
                    (
                        "condition",
                        "(Client.Id = 9) and (Location.Id = 10) and ((RemoteAgentLastContact >= '2024-03-05T06:07:08') or (LastInventoryReceived >= '2024-03-05T06:07:08'))"
                    ),
                    ("pageSize", "1000"),
                    ("page", "1")
                ])
            ),
            (
                "/cwa/api/v1/Alerts".to_owned(),
                q(&[
                    ("orderBy", "AlertId asc"),
                    ("condition", "(Client.Id = 1) and (Computer.Id = 118)"),
                    ("pageSize", "1000"),
                    ("page", "1")
                ])
            ),
            (
                "/cwa/api/v1/Computers/118/Software".to_owned(),
                q(&[
                    ("orderBy", "ApplicationId asc"),
                    ("pageSize", "1000"),
                    ("page", "1")
                ])
            ),
            ("/cwa/api/v1/Computers".to_owned(), q(&[("ids", "118")])),
        ]
    );
}

/// An id that would change the condition is refused before any request,
/// naming the setting; so is a device id that is not an integer.
#[tokio::test]
async fn ids_that_are_not_integers_are_refused_before_any_request() {
    let server = server().await;
    let c = client(&server).build().unwrap();
    let hostile = "1) or (1=1";
    let r: Result<Vec<_>, _> = c
        .sites(ListQuery::new().organization(hostile))
        .try_collect()
        .await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert!(e.to_string().contains("organization id"), "{e}");
    let r: Result<Vec<_>, _> = c
        .devices(DeviceQuery::new().site("3 or 1=1"))
        .try_collect()
        .await;
    assert!(r.unwrap_err().to_string().contains("site id"));
    let r: Result<Vec<_>, _> = c
        .alerts(AlertQuery::new().device("118,119"))
        .try_collect()
        .await;
    assert_eq!(r.unwrap_err().kind(), ErrorKind::Refused);
    let e = c.device(&Id::from("118,119")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert!(received(&server).await.is_empty());
}

/// Pages are asked for by number from 1 at the same size, with the
/// condition kept, until a short page.
#[tokio::test]
async fn devices_are_paged_by_number_until_a_short_page() {
    let fake = mock::start().await;
    let c = AutomateClient::from_settings(&fake.settings).unwrap();
    let got: Vec<_> = c
        .devices(DeviceQuery::new().page_size(10))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(Some(got.len()), fake.expected.devices);
    let pages: Vec<(String, String, Option<String>)> =
        received_at(&fake.server, "/cwa/api/v1/Computers")
            .await
            .iter()
            .map(|r| {
                (
                    query_param(r, "page").unwrap(),
                    query_param(r, "pageSize").unwrap(),
                    query_param(r, "orderBy"),
                )
            })
            .collect();
    let want: Vec<_> = (1..=4)
        .map(|p| (p.to_string(), "10".to_owned(), Some("Id asc".to_owned())))
        .collect();
    assert_eq!(pages, want);
    let ids: Vec<_> = got.iter().map(|d| d.id.as_u64().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "ordered by Id");
}

#[tokio::test]
async fn a_device_is_read_by_ids_and_an_empty_answer_is_not_found() {
    let fake = mock::start().await;
    let c = AutomateClient::from_settings(&fake.settings).unwrap();
    let d = c.device(&Id::from("118")).await.unwrap();
    assert_eq!(d.id, Id::from("118"));
    let e = c.device(&Id::from("4242")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(
        e.to_string(),
        "automate device 4242: not found: no computer with this id"
    );
}

async fn failing(status: u16, body: Value) -> (MockServer, AutomateClient) {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/cwa/api/v1/Computers"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    let c = client(&server).build().unwrap();
    (server, c)
}

#[tokio::test]
async fn automate_error_bodies_map_to_their_kinds() {
    let (_s, c) = failing(
        403,
        json!({"Message": "User does not have permission to Computers."}),
    )
    .await;
    let r: Result<Vec<_>, _> = c.devices(DeviceQuery::new()).try_collect().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        e.message(),
        Some("User does not have permission to Computers.")
    );

    let (_s, c) = failing(
        400,
        json!({"Message": "The request is invalid.", "MessageDetail": "Invalid condition: unknown field Foo"}),
    )
    .await;
    let r: Result<Vec<_>, _> = c.devices(DeviceQuery::new()).try_collect().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.message(), Some("The request is invalid."));
    assert_eq!(e.details(), ["Invalid condition: unknown field Foo"]);

    let (_s, c) = failing(404, json!({"Message": "No HTTP resource was found."})).await;
    let e = c.device(&Id::from("5")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.target(), Some("5"));

    let (s, c) = failing(500, json!({"Message": "An error has occurred."})).await;
    let r: Result<Vec<_>, _> = c.devices(DeviceQuery::new()).try_collect().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(
        api_requests(&s).await.len(),
        3,
        "a read is tried the policy's three times"
    );
}

#[tokio::test]
async fn a_429_is_waited_out() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/cwa/api/v1/Alerts"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let c = client(&server).build().unwrap();
    let started = Instant::now();
    let got: Vec<_> = c.alerts(AlertQuery::new()).try_collect().await.unwrap();
    assert!(got.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(api_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn malformed_truncated_and_non_list_bodies_are_decode_errors() {
    for body in [
        "{this is not json",
        r#"[{"Id":"118","ComputerName":"ACME-RE"#,
        r#"{"Message":"An error has occurred."}"#,
        r#"[{"Id":{"Value":118}}]"#,
    ] {
        let server = server().await;
        Mock::given(method("GET"))
            .and(path("/cwa/api/v1/Computers"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(body.as_bytes(), "application/json"),
            )
            .mount(&server)
            .await;
        let c = client(&server).build().unwrap();
        let r: Result<Vec<_>, _> = c.devices(DeviceQuery::new()).try_collect().await;
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Decode, "{body}");
    }
}

/// A page of locations that cannot be read: the error quotes the start of
/// the body with the script credentials blanked.
#[tokio::test]
async fn script_credentials_never_reach_an_error() {
    let server = server().await;
    let body = r#"[{"Id":3,"LocationId":3,"Name":"Main Office","ScriptPassword":"Sup3r-secret","ScriptUsername":"ACME\\svc","Router":{"Password":"r0uter"},"Client":"Acme"}]"#;
    Mock::given(method("GET"))
        .and(path("/cwa/api/v1/Locations"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.as_bytes(), "application/json"))
        .mount(&server)
        .await;
    let c = client(&server).build().unwrap();
    let r: Result<Vec<_>, _> = c.sites(ListQuery::new()).try_collect().await;
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let shown = format!("{e} {e:?}");
    assert!(
        shown.contains("Main Office"),
        "the snippet is kept: {shown}"
    );
    for secret in ["Sup3r-secret", "svc", "r0uter"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

/// With raw passthrough, a location's raw JSON (and a computer's nested
/// location) keeps everything but the credentials; Debug shows none.
#[tokio::test]
async fn raw_json_drops_script_credentials() {
    let fake = mock::start().await;
    let c = AutomateClientBuilder::from_settings(&fake.settings)
        .keep_raw(true)
        .build()
        .unwrap();
    let sites: Vec<_> = c.sites(ListQuery::new()).try_collect().await.unwrap();
    let raw = sites[0].raw.as_ref().unwrap();
    assert_eq!(raw["Name"], "Main Office");
    assert_eq!(raw["Client"]["Name"], "Acme Dental");
    for key in [
        "ScriptPassword",
        "ScriptUsername",
        "ScriptExtra1",
        "ScriptDrive",
    ] {
        assert!(raw.get(key).is_none(), "{key} kept");
    }
    assert!(raw["Router"].get("Password").is_none());
    assert!(raw["Router"].get("Username").is_none());
    let shown = format!("{sites:?}");
    assert!(!shown.contains("script-secret") && !shown.contains("router-secret"));
    assert!(!shown.contains("extra-secret") && !shown.contains("svc-automate"));

    let devices: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    assert!(devices.iter().all(|d| d.raw.is_some()));
    assert_eq!(
        devices[0].raw.as_ref().unwrap()["VirusScanner"]["Name"],
        "Microsoft Defender"
    );
}

#[tokio::test]
async fn settings_are_checked_before_any_request() {
    let ok = || {
        AutomateClient::builder()
            .server("rancor.hostedrmm.com")
            .username("api-sync")
            .password("pw")
            .client_id(CLIENT_ID)
    };
    let c = ok().build().unwrap();
    assert_eq!(
        c.http().base_url().as_str(),
        "https://rancor.hostedrmm.com/cwa/api/v1/"
    );
    assert_eq!(
        c.http().rate_limit(),
        Some(mspkit_automate::default_rate_limit())
    );
    let e = ok()
        .client_id("123123123-1234-1234-1234-123123123123")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.to_string().contains("client_id"));
    let e = ok().password("  ").build().unwrap_err();
    assert!(e.to_string().contains("password"), "{e}");
    let e = ok()
        .server("http://automate.example.com")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsecureUrl);
    let e = AutomateClient::builder()
        .server("rancor.hostedrmm.com")
        .password("pw")
        .client_id(CLIENT_ID)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("username"), "{e}");
    let shown = format!("{:?}", ok().password("hunter22").build().unwrap());
    assert!(!shown.contains("hunter22"), "{shown}");
    let settings: mspkit_automate::AutomateSettings = serde_json::from_value(json!({
        "server": "rancor.hostedrmm.com", "username": "api-sync", "password": "hunter22",
        "two_factor_passcode": "123456", "client_id": CLIENT_ID
    }))
    .unwrap();
    let shown = format!("{settings:?}");
    assert!(
        !shown.contains("hunter22") && !shown.contains("123456"),
        "{shown}"
    );
    AutomateClient::from_settings(&settings).unwrap();
}

// ---- first contact and trust ---------------------------------------------

/// Every request but a sign-in or refresh one: what the platform's API answers.
struct ApiCalls;

impl wiremock::Match for ApiCalls {
    fn matches(&self, r: &wiremock::Request) -> bool {
        !r.url.path().to_ascii_lowercase().contains("apitoken")
    }
}

#[tokio::test]
async fn a_refused_first_call_says_what_to_check() {
    // (at sign-in?, status, the error's kind, what the hint names)
    for (at_sign_in, status, kind, what) in [
        (true, 401, ErrorKind::Unauthorized, "two_factor_passcode"),
        (true, 403, ErrorKind::Unauthorized, "ClientId GUID"),
        (true, 404, ErrorKind::NotFound, "/cwa/api/v1"),
        (false, 401, ErrorKind::Unauthorized, "two_factor_passcode"),
        (false, 403, ErrorKind::Forbidden, "class"),
        (false, 404, ErrorKind::NotFound, "/cwa/api/v1"),
    ] {
        let fake = mock::start().await;
        let refusal = ResponseTemplate::new(status)
            .set_body_json(json!({"Message": "Authorization has been denied for this request."}));
        if at_sign_in {
            Mock::given(path("/cwa/api/v1/apitoken"))
                .respond_with(refusal)
                .with_priority(1)
                .mount(&fake.server)
                .await;
        } else {
            Mock::given(ApiCalls)
                .respond_with(refusal)
                .with_priority(1)
                .mount(&fake.server)
                .await;
        }
        let c = AutomateClient::from_settings_with(
            &fake.settings,
            mspkit_core::ClientOptions::new().retry(fast_retry()),
        )
        .unwrap();
        let e = RmmClient::test_connection(&c).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{status}: {e}");
        assert_eq!(e.status(), Some(status), "{e}");
        let hint = e.hint().unwrap_or_default();
        assert!(hint.contains(what), "{status}: {e}");
        assert!(e.to_string().ends_with(&format!("; check: {hint}")), "{e}");
    }
}

/// The settings' JSON the trust checks start from: the fake's, without
/// trust settings.
fn trust_base(fake: &mspkit_testkit::FakeServer<AutomateSettings>) -> Value {
    json!({
        "server": fake.settings.server,
        "username": fake.settings.username,
        "password": mock::PASSWORD,
        "client_id": fake.settings.client_id,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: AutomateSettings| async move {
        AutomateClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        RmmClient::test_connection(&AutomateClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: AutomateSettings| {
        AutomateClient::from_settings(&s).map(drop)
    });
}
