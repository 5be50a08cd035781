//! Token endpoints over real HTTP: each grant's fields checked exactly,
//! OAuth error bodies, distinct tokens, rotation, expiry and forced 401s.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use mspkit_testkit::wiremock::matchers::{method, path, path_regex};
use mspkit_testkit::wiremock::{Mock, MockServer, ResponseTemplate};
use mspkit_testkit::{LoginBody, LoginEndpoint, Reply, TokenEndpoint, mount_gate};
use serde_json::{Value, json};

async fn post_form(server: &MockServer, at: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let resp = mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .post(format!("{}{at}", server.uri()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A server with `endpoint` at `/token` and `/api/ok` behind its bearer check.
async fn server_with(endpoint: &TokenEndpoint) -> MockServer {
    let server = MockServer::start().await;
    endpoint.mount(&server, "/token").await;
    let denied = Reply::json(401, json!({"error": "invalid_token"}));
    mount_gate(&server, path_regex("^/api/"), endpoint.bearer(denied)).await;
    Mock::given(method("GET"))
        .and(path("/api/ok"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

async fn call(server: &MockServer, token: &str) -> u16 {
    mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .get(format!("{}/api/ok", server.uri()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

const CC: [(&str, &str); 4] = [
    ("grant_type", "client_credentials"),
    ("client_id", "cid"),
    ("client_secret", "sec"),
    ("scope", "all"),
];

#[tokio::test]
async fn client_credentials_are_checked_field_by_field() {
    let tokens = TokenEndpoint::client_credentials("cid", "sec").scope("all");
    let server = server_with(&tokens).await;

    let (status, body) = post_form(&server, "/token", &CC).await;
    assert_eq!(status, 200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "all");
    assert!(body.get("refresh_token").is_none());
    let first = body["access_token"].as_str().unwrap().to_owned();
    let (_, again) = post_form(&server, "/token", &CC).await;
    let second = again["access_token"].as_str().unwrap().to_owned();
    assert_ne!(first, second, "each grant issues a distinct token");
    assert_eq!(tokens.issued(), vec![first.clone(), second.clone()]);
    assert_eq!(call(&server, &first).await, 200);
    assert_eq!(call(&server, &second).await, 200);
    assert_eq!(call(&server, "made-up").await, 401);

    let with = |k: &str, v: &str| -> Vec<(String, String)> {
        CC.iter()
            .filter(|(name, _)| *name != k)
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .chain((!v.is_empty()).then(|| (k.to_owned(), v.to_owned())))
            .collect()
    };
    let cases = [
        (with("client_secret", "SEC"), 401, "invalid_client"),
        (with("client_secret", ""), 401, "invalid_client"),
        (with("client_id", "cid2"), 401, "invalid_client"),
        (with("scope", "all offline_access"), 400, "invalid_scope"),
        (with("scope", ""), 400, "invalid_scope"),
        (
            with("grant_type", "password"),
            400,
            "unsupported_grant_type",
        ),
        (with("grant_type", ""), 400, "invalid_request"),
    ];
    for (form, want_status, want_error) in cases {
        let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let (status, body) = post_form(&server, "/token", &form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (want_status, Some(want_error)),
            "{form:?}"
        );
    }
    assert_eq!(tokens.requests(), 9);
    assert_eq!(tokens.issued().len(), 2, "refusals issue nothing");
}

async fn refresh_with(server: &MockServer, token: String) -> (u16, Value) {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", "cid"),
        ("client_secret", "sec"),
        ("refresh_token", token.as_str()),
    ];
    post_form(server, "/token", &form).await
}

#[tokio::test]
async fn refresh_tokens_rotate_and_the_old_one_stops_working() {
    let tokens = TokenEndpoint::client_credentials("cid", "sec")
        .refresh_grant()
        .with_refresh_token("pasted");
    let server = server_with(&tokens).await;
    let refresh = |token: String| refresh_with(&server, token);

    let (status, body) = refresh("pasted".into()).await;
    assert_eq!(status, 200);
    let r1 = body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, "pasted");
    // The pasted token was used up.
    let (status, body) = refresh("pasted".into()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The new one works once, and hands over another.
    let (status, body) = refresh(r1.clone()).await;
    assert_eq!(status, 200);
    let r2 = body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r2, r1);
    assert_eq!(refresh(r1.clone()).await.0, 400);
    assert_eq!(refresh(r2.clone()).await.0, 200);
    // Every token is on record, refresh tokens included.
    let issued = tokens.issued();
    assert!(issued.contains(&"pasted".to_owned()) && issued.contains(&r1) && issued.contains(&r2));
    assert_eq!(tokens.store().refresh_tokens().len(), 4);
    assert_eq!(
        tokens
            .store()
            .leaks_into(&format!("error: token {r2} refused")),
        Some(r2)
    );
    // The client credentials grant issues a refresh token too.
    let (_, body) = post_form(&server, "/token", &CC[..3]).await;
    assert!(body["refresh_token"].is_string());

    // Without rotation the same refresh token keeps working.
    let keep = TokenEndpoint::refresh_only("cid", "sec")
        .keep_refresh_tokens()
        .with_refresh_token("stays");
    let server = server_with(&keep).await;
    for _ in 0..2 {
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", "cid"),
            ("client_secret", "sec"),
            ("refresh_token", "stays"),
        ];
        let (status, body) = post_form(&server, "/token", &form).await;
        assert_eq!(
            (status, body["refresh_token"].as_str()),
            (200, Some("stays"))
        );
    }
}

#[tokio::test]
async fn tokens_expire_after_n_uses_and_the_next_call_can_be_refused() {
    let tokens = TokenEndpoint::client_credentials("cid", "sec");
    let server = server_with(&tokens).await;
    let (_, body) = post_form(&server, "/token", &CC[..3]).await;
    let t1 = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(call(&server, &t1).await, 200);

    tokens.expire_after_uses(3);
    assert_eq!(call(&server, &t1).await, 200);
    assert_eq!(call(&server, &t1).await, 200);
    assert_eq!(call(&server, &t1).await, 401, "three uses and it is spent");
    let (_, body) = post_form(&server, "/token", &CC[..3]).await;
    let t2 = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(call(&server, &t2).await, 200);

    tokens.reject_next_call();
    assert_eq!(call(&server, &t2).await, 401);
    assert_eq!(call(&server, &t2).await, 200, "only the next call");

    tokens.store().revoke_access_tokens();
    assert_eq!(call(&server, &t2).await, 401);
    assert_eq!(tokens.store().refused(), 3);
    assert_eq!(tokens.requests(), 2);
}

#[tokio::test]
async fn the_password_grant_with_basic_client_auth() {
    let tokens = TokenEndpoint::password("key", "secret")
        .client_basic("public-client", "public")
        .extra(json!({"jti": "abc"}));
    let server = MockServer::start().await;
    tokens.mount(&server, "/auth/oauth/token").await;
    let http = mspkit_core::http::client_builder().build().unwrap();
    let post = |user: &str, client: (&str, &str)| {
        http.post(format!("{}/auth/oauth/token", server.uri()))
            .basic_auth(client.0, Some(client.1))
            .form(&[
                ("grant_type", "password"),
                ("username", user),
                ("password", "secret"),
            ])
            .send()
    };
    let ok = post("key", ("public-client", "public")).await.unwrap();
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["jti"], "abc");
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("fake-access-")
    );

    let wrong_user = post("kez", ("public-client", "public")).await.unwrap();
    assert_eq!(wrong_user.status(), 400);
    assert_eq!(
        wrong_user.json::<Value>().await.unwrap()["error"],
        "invalid_grant"
    );
    let wrong_client = post("key", ("public-client", "private")).await.unwrap();
    assert_eq!(wrong_client.status(), 401);
    assert_eq!(
        wrong_client.json::<Value>().await.unwrap()["error"],
        "invalid_client"
    );
    let no_client = http
        .post(format!("{}/auth/oauth/token", server.uri()))
        .form(&[
            ("grant_type", "password"),
            ("username", "key"),
            ("password", "secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(no_client.status(), 401);
    assert_eq!(tokens.requests(), 4);
    assert_eq!(tokens.issued().len(), 1);
}

#[tokio::test]
async fn a_token_exchange_login_in_json_or_a_form() {
    let login = LoginEndpoint::new(Reply::json(401, json!({"Message": "Invalid credentials"})))
        .field("UserName", "tech")
        .field("Password", "pa55")
        .expires_in(600)
        .answer(|t| json!({"Result": {"AccessToken": t.access_token, "ExpiresIn": t.expires_in}}));
    let server = MockServer::start().await;
    login.mount(&server, "/v2/security/authenticate").await;
    let at = format!("{}/v2/security/authenticate", server.uri());
    let http = mspkit_core::http::client_builder().build().unwrap();

    let ok: Value = http
        .post(&at)
        .json(&json!({"UserName": "tech", "Password": "pa55", "Tenant": "x"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["Result"]["ExpiresIn"], 600);
    let t1 = ok["Result"]["AccessToken"].as_str().unwrap().to_owned();
    let form = http
        .post(&at)
        .form(&[("UserName", "tech"), ("Password", "pa55")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let t2 = form.json::<Value>().await.unwrap()["Result"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(t1, t2);

    for bad in [
        json!({"UserName": "tech", "Password": "PA55"}),
        json!({"UserName": "tech"}),
        json!({}),
    ] {
        let resp = http.post(&at).json(&bad).send().await.unwrap();
        assert_eq!(resp.status(), 401);
        assert_eq!(
            resp.json::<Value>().await.unwrap()["Message"],
            "Invalid credentials"
        );
    }
    assert_eq!(login.requests(), 5);
    assert_eq!(login.issued(), vec![t1.clone(), t2]);
    assert!(login.store().is_valid(&t1));

    // JSON only: the same fields as a form are refused.
    let json_only = LoginEndpoint::new(Reply::empty(401))
        .field("u", "a")
        .body(LoginBody::Json);
    let server = MockServer::start().await;
    json_only.mount(&server, "/login").await;
    let resp = http
        .post(format!("{}/login", server.uri()))
        .form(&[("u", "a")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let resp = http
        .post(format!("{}/login", server.uri()))
        .json(&json!({"u": "a"}))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["expires_in"], 3600);
    assert!(body["access_token"].is_string());
}
