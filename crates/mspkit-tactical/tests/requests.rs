//! What the client sends to Tactical RMM and how it reads the answers:
//! the key on the wire, every endpoint's method, path (with its trailing
//! slash), query and body, client-side `updated_since` and limits, and the
//! platform's error bodies.

// Helpers outside #[test] fns unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use mspkit_core::{
    AlertQuery, DeviceQuery, ErrorKind, Id, ListQuery, Operation, RmmClient, Severity,
};
use mspkit_tactical::mock::{AGENT_WITH_SOFTWARE, API_KEY};
use mspkit_tactical::{TacticalClient, TacticalSettings};
use mspkit_testkit::{
    FakeServer, fast_retry, header_value, json_body, received, received_at, request_line,
};
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(fake: &FakeServer<TacticalSettings>) -> TacticalClient {
    TacticalClient::builder()
        .base_url(fake.uri())
        .api_key(API_KEY)
        .allow_insecure_http()
        .retry_policy(fast_retry())
        .build()
        .unwrap()
}

/// `METHOD /path?query` of each request, in order, an empty query dropped
/// (the kit's list walk may end a URL in an empty `?`, which Django reads
/// as no query).
async fn calls(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|r| match r.url.query() {
            Some("") => format!("{} {}", r.method, r.url.path()),
            _ => request_line(r),
        })
        .collect()
}

/// Answers every request on `server` with `response`, ahead of the fake's routes.
async fn answer_all(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .with_priority(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_key_travels_in_x_api_key_and_nowhere_else() {
    let fake = mspkit_tactical::mock::start().await;
    client(&fake).test_connection().await.unwrap();
    let sent = received(&fake.server).await;
    assert_eq!(sent.len(), 1);
    let r = &sent[0];
    assert_eq!(r.method.as_str(), "GET");
    assert_eq!(r.url.path(), "/clients/");
    assert_eq!(r.url.query(), None);
    assert_eq!(header_value(r, "x-api-key"), Some(API_KEY));
    assert!(r.headers.get("authorization").is_none());
    let ua = header_value(r, "user-agent");
    assert!(ua.is_some_and(|ua| ua.starts_with("mspkit/")), "{ua:?}");
}

#[tokio::test]
async fn every_route_is_asked_for_with_its_trailing_slash() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let _: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let _: Vec<_> = c.sites(ListQuery::new()).try_collect().await.unwrap();
    let _: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    c.device(&Id::from(AGENT_WITH_SOFTWARE)).await.unwrap();
    let _: Vec<_> = c.alerts(AlertQuery::new()).try_collect().await.unwrap();
    let _: Vec<_> = c
        .software(&Id::from(AGENT_WITH_SOFTWARE))
        .try_collect()
        .await
        .unwrap();
    let sent = received(&fake.server).await;
    assert!(sent.len() > 10);
    for r in &sent {
        assert!(r.url.path().ends_with('/'), "{} {}", r.method, r.url);
    }
}

#[tokio::test]
async fn a_path_without_its_slash_gets_djangos_redirect() {
    let fake = mspkit_tactical::mock::start().await;
    let http = mspkit_core::http::client_builder()
        .redirect(mspkit_core::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = http
        .get(format!("{}/agents?site=1", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 301);
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/agents/?site=1")
    );
    // A route that does not exist at all: Django's HTML page, key or not.
    let r = http
        .get(format!("{}/agents/short/", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.text().await.unwrap().contains("<h1>Not Found</h1>"));
}

#[tokio::test]
async fn organizations_and_sites_come_from_one_clients_call() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs.len(), 4);
    assert_eq!(orgs[0].id, Id::from("1"));
    assert_eq!(orgs[0].name, "Acme Dental");
    let sites: Vec<_> = c.sites(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(sites.len(), 7);
    let acme: Vec<_> = c
        .sites(ListQuery::new().organization("1"))
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = acme.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Branch Clinic", "Main Office"]);
    assert!(
        acme.iter()
            .all(|s| s.organization_id == Some(Id::from("1")))
    );
    let limited: Vec<_> = c
        .sites(ListQuery::new().limit(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(limited.len(), 3);
    assert_eq!(
        calls(&fake.server).await,
        [
            "GET /clients/",
            "GET /clients/",
            "GET /clients/",
            "GET /clients/"
        ]
    );
}

#[tokio::test]
async fn devices_are_listed_site_by_site_with_exact_ids() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let all: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    assert_eq!(Some(all.len()), fake.expected.devices);
    let sent = calls(&fake.server).await;
    assert_eq!(sent[0], "GET /clients/");
    let mut sites: Vec<_> = sent[1..].to_vec();
    sites.sort();
    assert_eq!(
        sites,
        (1..=7)
            .map(|s| format!("GET /agents/?site={s}"))
            .collect::<Vec<_>>()
    );
    // Each device carries the ids of the site it was listed under.
    let acme_dc = all
        .iter()
        .find(|d| d.id.as_str() == AGENT_WITH_SOFTWARE)
        .unwrap();
    assert_eq!(acme_dc.organization_id, Some(Id::from("1")));
    assert_eq!(acme_dc.site_id, Some(Id::from("1")));
    let ids: HashSet<_> = all.iter().map(|d| d.id.clone()).collect();
    assert_eq!(ids.len(), all.len());
}

#[tokio::test]
async fn organization_and_site_filters_choose_the_sites_asked_for() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let coastal: Vec<_> = c
        .devices(DeviceQuery::new().organization("3"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(coastal.len(), 8);
    assert!(
        coastal
            .iter()
            .all(|d| d.organization_id == Some(Id::from("3")))
    );
    let mut sent = calls(&fake.server).await;
    sent.sort();
    assert_eq!(
        sent,
        [
            "GET /agents/?site=4",
            "GET /agents/?site=5",
            "GET /clients/"
        ]
    );

    fake.server.reset().await;
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let depot: Vec<_> = c
        .devices(DeviceQuery::new().site("5"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(depot.len(), 3);
    assert!(
        depot
            .iter()
            .all(|d| d.site_id == Some(Id::from("5")) && d.organization_id == Some(Id::from("3")))
    );
    assert_eq!(
        calls(&fake.server).await,
        ["GET /clients/", "GET /agents/?site=5"]
    );
    // A site of another organization: nothing, and no agent request.
    let none: Vec<_> = c
        .devices(DeviceQuery::new().organization("1").site("5"))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn updated_since_and_limit_apply_client_side() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let since = Utc.with_ymd_and_hms(2024, 3, 5, 6, 7, 8).unwrap();
    let all: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    let recent: Vec<_> = c
        .devices(DeviceQuery::new().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!recent.is_empty() && recent.len() < all.len());
    assert!(
        recent
            .iter()
            .all(|d| d.last_seen.is_some_and(|t| t >= since))
    );
    assert_eq!(
        recent.len(),
        all.iter()
            .filter(|d| d.last_seen.is_none_or(|t| t >= since))
            .count()
    );
    // No filter reaches the server.
    for r in received(&fake.server).await {
        let q = r.url.query().unwrap_or_default();
        assert!(q.is_empty() || q.starts_with("site="), "{q}");
    }

    let alerts: Vec<_> = c
        .alerts(AlertQuery::new().include_resolved().updated_since(since))
        .try_collect()
        .await
        .unwrap();
    assert!(!alerts.is_empty());
    assert!(
        alerts
            .iter()
            .all(|a| a.created_at.max(a.resolved_at) >= Some(since))
    );

    let three: Vec<_> = c
        .devices(DeviceQuery::new().limit(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(three.len(), 3);
}

#[tokio::test]
async fn one_device_reads_the_detail_and_names_its_organization() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let d = c.device(&Id::from(AGENT_WITH_SOFTWARE)).await.unwrap();
    assert_eq!(d.id.as_str(), AGENT_WITH_SOFTWARE);
    assert_eq!(d.site_id, Some(Id::from("1")));
    assert_eq!(d.organization_id, Some(Id::from("1")));
    // The detail has no serial number field: it is read from the inventory.
    assert_eq!(d.serial_number.as_deref(), Some("4HQ8MT3"));
    // The directory is cached: a second read asks for the agent only.
    c.device(&Id::from("kbZAsuBkCqJLvNdmruWRBYnbgyVfdxKUQawWBemZ"))
        .await
        .unwrap();
    assert_eq!(
        calls(&fake.server).await,
        [
            format!("GET /agents/{AGENT_WITH_SOFTWARE}/"),
            "GET /clients/".to_owned(),
            "GET /agents/kbZAsuBkCqJLvNdmruWRBYnbgyVfdxKUQawWBemZ/".to_owned(),
        ]
    );
}

#[tokio::test]
async fn device_and_list_agree() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let all: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    for listed in &all {
        let one = c.device(&listed.id).await.unwrap();
        assert_eq!(one.organization_id, listed.organization_id, "{}", listed.id);
        assert_eq!(one.site_id, listed.site_id);
        assert_eq!(one.hostname, listed.hostname);
        assert_eq!(one.display_name, listed.display_name);
        assert_eq!(one.device_type, listed.device_type);
        assert_eq!(one.os_name, listed.os_name);
        assert_eq!(one.online, listed.online);
        assert_eq!(one.last_seen, listed.last_seen);
        assert_eq!(one.ip_addresses, listed.ip_addresses);
        assert_eq!(one.serial_number, listed.serial_number, "{}", listed.id);
        assert_eq!(one.model, listed.model);
        assert_eq!(one.agent_version, listed.agent_version);
        assert_eq!(one.logged_in_user, listed.logged_in_user, "{}", listed.id);
    }
}

#[tokio::test]
async fn an_unknown_agent_is_not_found_with_drfs_message() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let id = Id::from("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ");
    let e = c.device(&id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.status(), Some(404));
    assert_eq!(e.target(), Some(id.as_str()));
    assert_eq!(e.message(), Some("No Agent matches the given query."));
    // An id too short for an agent route: Django's own 404 page.
    let e = c.device(&Id::from("42")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = c.software(&id).try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn alerts_are_a_patch_with_a_filter_body() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let open: Vec<_> = c.alerts(AlertQuery::new()).try_collect().await.unwrap();
    assert_eq!(Some(open.len()), fake.expected.alerts);
    assert!(open.iter().all(|a| !a.resolved));
    let all: Vec<_> = c
        .alerts(AlertQuery::new().include_resolved())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 11);
    let acme: Vec<_> = c
        .alerts(AlertQuery::new().organization("1"))
        .try_collect()
        .await
        .unwrap();
    assert!(!acme.is_empty());
    assert!(
        acme.iter()
            .all(|a| a.organization_id == Some(Id::from("1")))
    );
    let dc: Vec<_> = c
        .alerts(AlertQuery::new().device(AGENT_WITH_SOFTWARE))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(dc.len(), 1);
    assert_eq!(dc[0].id, Id::from("412"));
    assert_eq!(dc[0].severity, Severity::Error);

    let alert_calls = received_at(&fake.server, "/alerts/").await;
    let bodies: Vec<Value> = alert_calls
        .iter()
        .map(|r| {
            assert_eq!(r.method.as_str(), "PATCH");
            assert_eq!(header_value(r, "content-type"), Some("application/json"));
            json_body(r)
        })
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"resolvedFilter": false, "snoozedFilter": false}),
            json!({}),
            json!({"resolvedFilter": false, "snoozedFilter": false, "clientFilter": [1]}),
            json!({"resolvedFilter": false, "snoozedFilter": false}),
        ]
    );
}

#[tokio::test]
async fn an_organization_that_is_not_a_client_id_is_refused_before_sending() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let e = c
        .alerts(AlertQuery::new().organization("acme"))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(received(&fake.server).await.is_empty());
}

#[tokio::test]
async fn the_alerts_patch_is_retried_like_a_read() {
    let fake = mspkit_tactical::mock::start().await;
    Mock::given(method("PATCH"))
        .and(path("/alerts/"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<h1>502 Bad Gateway</h1>"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let open: Vec<_> = client(&fake)
        .alerts(AlertQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(Some(open.len()), fake.expected.alerts);
}

#[tokio::test]
async fn alerts_are_listed_when_the_key_may_not_list_clients() {
    let fake = mspkit_tactical::mock::start().await;
    Mock::given(method("GET"))
        .and(path("/clients/"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(
                json!({"detail": "You do not have permission to perform this action."}),
            ),
        )
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let c = client(&fake);
    let open: Vec<_> = c.alerts(AlertQuery::new()).try_collect().await.unwrap();
    assert_eq!(Some(open.len()), fake.expected.alerts);
    assert!(open.iter().all(|a| a.organization_id.is_none()));
    // Devices need the sites, so there the 403 is the answer.
    let e = c
        .devices(DeviceQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        e.message(),
        Some("You do not have permission to perform this action.")
    );
}

#[tokio::test]
async fn software_without_an_inventory_is_empty() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    let all: Vec<_> = c.devices(DeviceQuery::new()).try_collect().await.unwrap();
    let linux = all
        .iter()
        .find(|d| {
            d.os_name
                .as_deref()
                .is_some_and(|o| o.starts_with("Ubuntu"))
        })
        .unwrap();
    let none: Vec<_> = c.software(&linux.id).try_collect().await.unwrap();
    assert!(none.is_empty());
    let some: Vec<_> = c
        .software(&Id::from(AGENT_WITH_SOFTWARE))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        Some(some.len()),
        fake.expected.device_with_software.map(|d| d.1)
    );
    let last = calls(&fake.server).await;
    assert_eq!(
        last[last.len() - 1],
        format!("GET /software/{AGENT_WITH_SOFTWARE}/")
    );
}

#[tokio::test]
async fn an_inventory_in_another_shape_is_a_decode_error() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    for body in [
        json!({"id": 3, "agent": 7}),
        json!([{"id": 3, "software": [], "agent": 7}]),
        json!({"id": 3, "software": [{"version": "1.0"}], "agent": 7}),
        json!({"id": 3, "software": [{"name": "x", "install_date": "someday"}], "agent": 7}),
    ] {
        fake.server.reset().await;
        answer_all(
            &fake.server,
            ResponseTemplate::new(200).set_body_json(&body),
        )
        .await;
        let e = c
            .software(&Id::from(AGENT_WITH_SOFTWARE))
            .try_collect::<Vec<_>>()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{body}");
        assert_eq!(e.target(), Some(AGENT_WITH_SOFTWARE));
    }
    fake.server.reset().await;
    answer_all(
        &fake.server,
        ResponseTemplate::new(200).set_body_json(
            json!({"id": 3, "software": [{"name": "x", "install_date": "someday"}], "agent": 7}),
        ),
    )
    .await;
    let e = c
        .software(&Id::from(AGENT_WITH_SOFTWARE))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.decode_path(), Some("software[0].install_date"));
}

#[tokio::test]
async fn a_missing_key_gets_drfs_401() {
    let fake = mspkit_tactical::mock::start().await;
    let http = mspkit_core::http::client_builder().build().unwrap();
    let r = http
        .get(format!("{}/clients/", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(
        r.headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Token")
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"detail": "Authentication credentials were not provided."})
    );
}

#[tokio::test]
async fn tacticals_error_bodies_become_the_right_errors() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);

    // `notify_error`: 400 with a bare JSON string.
    let e = c
        .http()
        .get("agents", "agents/")
        .query(&[("monitoring_type", "laptop")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.message(), Some("monitoring type does not exist"));
    assert_eq!(
        e.to_string(),
        "tactical agents: HTTP 400: monitoring type does not exist"
    );

    // A method the view has not: DRF's 405.
    let e = c.http().get("alerts", "alerts/").send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(405));
    assert_eq!(e.message(), Some("Method \"GET\" not allowed."));

    // DRF's validation errors: field by field.
    fake.server.reset().await;
    answer_all(
        &fake.server,
        ResponseTemplate::new(400).set_body_json(json!({"name": ["This field is required."]})),
    )
    .await;
    let e = c
        .http()
        .post("add_client", "clients/")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.details(), ["name: This field is required."]);

    // 403 from a role without the permission.
    fake.server.reset().await;
    answer_all(
        &fake.server,
        ResponseTemplate::new(403)
            .set_body_json(json!({"detail": "You do not have permission to perform this action."})),
    )
    .await;
    let e = c
        .organizations(ListQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        e.message(),
        Some("You do not have permission to perform this action.")
    );

    // An expired key.
    fake.server.reset().await;
    answer_all(
        &fake.server,
        ResponseTemplate::new(401)
            .insert_header("www-authenticate", "Token")
            .set_body_json(json!({"detail": "The token has expired."})),
    )
    .await;
    let e = c.test_connection().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.message(), Some("The token has expired."));

    // A proxy's 429 is waited out.
    fake.server.reset().await;
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let orgs: Vec<_> = c
        .organizations(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(orgs.len(), 4);

    // uwsgi gone: nginx's HTML 502, retried, then Server.
    fake.server.reset().await;
    answer_all(
        &fake.server,
        ResponseTemplate::new(502)
            .insert_header("content-type", "text/html")
            .set_body_string("<html><head><title>502 Bad Gateway</title></head></html>"),
    )
    .await;
    let e = c
        .devices(DeviceQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.status(), Some(502));
    assert_eq!(received(&fake.server).await.len(), 3);
}

#[tokio::test]
async fn a_failing_site_ends_the_device_list_with_its_error() {
    let fake = mspkit_tactical::mock::start().await;
    Mock::given(method("GET"))
        .and(path("/agents/"))
        .and(wiremock::matchers::query_param("site", "3"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(
                json!({"detail": "You do not have permission to perform this action."}),
            ),
        )
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let results: Vec<_> =
        futures::StreamExt::collect::<Vec<_>>(client(&fake).devices(DeviceQuery::new())).await;
    let last = results.last().unwrap();
    assert!(
        matches!(last, Err(e) if e.kind() == ErrorKind::Forbidden),
        "{last:?}"
    );
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_decode_errors() {
    let fake = mspkit_tactical::mock::start().await;
    let c = client(&fake);
    for body in [
        "{this is not json",
        r#"[{"id": 1, "name": "Acme Dental", "sites": [{"id": 1, "na"#,
        r#"{"detail": "an object where the list should be"}"#,
        // The web UI's host instead of the api host: the SPA's index page.
        "<!DOCTYPE html><html><head><title>Tactical RMM</title></head></html>",
    ] {
        fake.server.reset().await;
        answer_all(
            &fake.server,
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .await;
        for op in [
            Operation::Organizations,
            Operation::Devices,
            Operation::Alerts,
        ] {
            let r = match op {
                Operation::Organizations => c
                    .organizations(ListQuery::new())
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
                Operation::Devices => c
                    .devices(DeviceQuery::new())
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
                _ => c
                    .alerts(AlertQuery::new())
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
            };
            assert!(
                matches!(&r, Err(e) if e.kind() == ErrorKind::Decode),
                "{op} on {body}: {r:?}"
            );
        }
        let r = c.device(&Id::from(AGENT_WITH_SOFTWARE)).await;
        assert!(
            matches!(&r, Err(e) if e.kind() == ErrorKind::Decode),
            "{r:?}"
        );
    }
}

#[test]
fn the_builder_checks_its_settings_before_any_request() {
    let build = |url: &str, key: &str| TacticalClient::builder().base_url(url).api_key(key).build();
    let e = build("https://api.example.com", " ").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.to_string().contains("api_key"));
    let e = build("", "KEY").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let e = build("http://api.example.com", "KEY").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsecureUrl);
    let e = TacticalClient::builder()
        .base_url("https://api.example.com")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("api_key"), "{e}");

    // A bare host is https; a pasted path is dropped.
    for typed in [
        "api.example.com",
        "https://api.example.com/",
        "https://api.example.com/api/schema/swagger-ui/",
    ] {
        let c = build(typed, "KEY").unwrap();
        assert_eq!(c.http().base_url().as_str(), "https://api.example.com/");
    }
    let c = build("https://api.example.com:8443", "KEY").unwrap();
    assert_eq!(
        c.http().base_url().as_str(),
        "https://api.example.com:8443/"
    );
    assert!(!format!("{c:?}").contains("KEY"));
}

#[tokio::test]
async fn the_body_cap_is_large_by_default_and_can_be_set() {
    let fake = mspkit_tactical::mock::start().await;
    let c = TacticalClient::from_settings(&fake.settings).unwrap();
    assert_eq!(
        c.http().max_body_bytes(),
        mspkit_tactical::DEFAULT_MAX_BODY_BYTES
    );
    // A cap below one answer: the list fails, naming the setting to raise.
    let small = TacticalClient::builder()
        .base_url(fake.uri())
        .api_key(API_KEY)
        .allow_insecure_http()
        .max_body_bytes(4096)
        .build()
        .unwrap();
    assert_eq!(small.http().max_body_bytes(), 4096);
    let e = small
        .devices(DeviceQuery::new())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("max_body_bytes"), "{e}");
}

#[test]
fn settings_read_from_json_and_hide_the_key() {
    let s: TacticalSettings = serde_json::from_value(json!({
        "base_url": "https://api.example.com",
        "api_key": "J57BXCFDA2WBCXH0XTELBR5KAI69CNCZ",
        "allow_insecure_http": false
    }))
    .unwrap();
    assert!(!format!("{s:?}").contains("J57BXCFDA2WBCXH0XTELBR5KAI69CNCZ"));
    let c = TacticalClient::from_settings(&s).unwrap();
    assert_eq!(c.provider(), mspkit_core::Provider::Tactical);
    assert_eq!(c.capabilities(), mspkit_core::Capabilities::all_rmm());
    assert!(
        serde_json::from_value::<TacticalSettings>(json!({
            "base_url": "https://api.example.com", "api_key": "K", "apikey": "K"
        }))
        .is_err()
    );
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
        (401, ErrorKind::Unauthorized, "api_key"),
        (403, ErrorKind::Forbidden, "role"),
        (404, ErrorKind::NotFound, "api host"),
    ] {
        let fake = mspkit_tactical::mock::start().await;
        Mock::given(ApiCalls)
            .respond_with(ResponseTemplate::new(status))
            .with_priority(1)
            .mount(&fake.server)
            .await;
        let c = TacticalClient::from_settings_with(
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

#[tokio::test]
async fn the_web_ui_host_instead_of_the_api_host_says_so() {
    // The rmm. host serves its single-page app at every path, with 200.
    let fake = mspkit_tactical::mock::start().await;
    let page = "<!doctype html><html lang=\"en\"><head><title>Tactical RMM</title></head>\
                <body><div id=\"q-app\"></div></body></html>";
    Mock::given(ApiCalls)
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8"))
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let c = TacticalClient::from_settings(&fake.settings).unwrap();
    let e = RmmClient::test_connection(&c).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
    let hint = e.hint().unwrap_or_default();
    assert!(hint.contains("api host"), "{e}");
    assert!(hint.contains("rmm."), "{e}");
}

/// The settings' JSON the trust checks start from: the fake's, without
/// trust settings.
fn trust_base(fake: &mspkit_testkit::FakeServer<TacticalSettings>) -> Value {
    json!({
        "base_url": fake.settings.base_url,
        "api_key": API_KEY,
        "allow_insecure_http": true,
    })
}

#[tokio::test]
async fn trust_settings_reach_the_transport() {
    let fake = mspkit_tactical::mock::start().await;
    let base = trust_base(&fake);
    mspkit_testkit::check_trust_settings(base, |s: TacticalSettings| async move {
        TacticalClient::from_settings_with(&s, mspkit_core::ClientOptions::new())?;
        RmmClient::test_connection(&TacticalClient::from_settings(&s)?).await
    })
    .await;
}

/// What the shared check leaves out: `from_settings` takes the trust
/// settings by its own path, so it must refuse a root it cannot read too;
/// and `Debug` shows a root's file path in full.
#[tokio::test]
async fn from_settings_refuses_a_root_it_cannot_read() {
    let fake = mspkit_tactical::mock::start().await;
    mspkit_testkit::check_unreadable_roots(trust_base(&fake), |s: TacticalSettings| {
        TacticalClient::from_settings(&s).map(drop)
    });
}
