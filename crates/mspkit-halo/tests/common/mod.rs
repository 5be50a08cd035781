//! A bare wiremock Halo for the request and mapping tests: authinfo and a
//! token endpoint, the rest mounted by each test.

#![allow(dead_code, clippy::unwrap_used)]

use mspkit_halo::{HaloClient, HaloClientBuilder};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.test-token";
pub const SECRET: &str = "s3cr3t-Halo-value";

/// A server answering authinfo (`{uri}/auth`) and issuing [`TOKEN`].
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    mount_auth(&server).await;
    server
}

pub async fn mount_auth(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/authinfo"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "auth_url": format!("{}/auth", server.uri()) })),
        )
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "access_token": TOKEN, "expires_in": 3600, "scope": "all"
        })))
        .mount(server)
        .await;
}

/// Statuses and priorities as Halo lists them.
pub async fn mount_lookups(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/Status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            { "id": 1, "name": "New", "shortname": "NEW", "type": 0, "sequence": 1, "colour": "#4fc1e9" },
            { "id": 2, "name": "In Progress", "shortname": "INP", "type": 0, "sequence": 2, "colour": "#a0d468" },
            { "id": 4, "name": "Waiting on User", "shortname": "WOU", "type": 0, "sequence": 4, "colour": "#ac92ec" },
            { "id": 9, "name": "Closed", "shortname": "CLO", "type": 0, "sequence": 9, "colour": "#656d78" }
        ])))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/Priority"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            { "id": "6f1f0a52-3d0c-4a55-ee4e-08d7e0f912c9", "slaid": 3, "priorityid": 1, "name": "Critical", "fixtime": 4, "fixunits": "H", "colour": "#ed5565" },
            { "id": "3e485768-7967-452e-ee50-08d7e0f912c9", "slaid": 3, "priorityid": 3, "name": "Medium", "fixtime": 40, "fixunits": "H", "colour": "#fcdc00" },
            { "id": "0c7d9e20-19f4-4e2b-ee51-08d7e0f912c9", "slaid": 4, "priorityid": 3, "name": "P3 - Normal", "fixtime": 24, "fixunits": "H", "colour": "#fcdc00" }
        ])))
        .mount(server)
        .await;
}

pub fn builder(server: &MockServer) -> HaloClientBuilder {
    HaloClient::builder()
        .base_url(server.uri())
        .client_id("c9534241-dde9-4d04-9d45-32b1fbff22ed")
        .client_secret(SECRET)
        .allow_insecure_http()
        .retry_policy(mspkit_testkit::fast_retry())
        .rate_limit(None)
}

pub fn client(server: &MockServer) -> HaloClient {
    builder(server).build().unwrap()
}
