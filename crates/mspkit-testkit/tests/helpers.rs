//! Query helpers, reading what a server received (JSON and form bodies),
//! time filters and the concurrency cap.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use chrono::{TimeZone, Utc};
use futures::future::join_all;
use mspkit_testkit::wiremock::matchers::any;
use mspkit_testkit::wiremock::{Mock, MockServer, Request, ResponseTemplate};
use mspkit_testkit::{
    ConcurrencyCap, Reply, changed_since, field, filter_items, form_pairs, form_value, instant_of,
    json_body, param_matches, parse_instant, query_pairs, query_param, query_param_ignore_case,
    query_params, query_parse, query_u64, received, received_at, request_line, request_target,
    since_param, text_of, updated_since,
};
use serde_json::json;

/// Records the requests a server got, for the helpers to read.
async fn request_for(target: &str) -> Request {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .get(format!("{}{target}", server.uri()))
        .send()
        .await
        .unwrap();
    server.received_requests().await.unwrap().remove(0)
}

#[tokio::test]
async fn query_parameters_first_all_and_as_numbers() {
    let r = request_for("/x?id=3&id=5&name=Acme%20Ltd&size=abc&Page=2&n=12").await;
    assert_eq!(query_param(&r, "id").as_deref(), Some("3"));
    assert_eq!(query_params(&r, "id"), ["3", "5"]);
    assert_eq!(query_param(&r, "name").as_deref(), Some("Acme Ltd"));
    assert_eq!(query_param(&r, "page"), None);
    assert_eq!(query_param_ignore_case(&r, "page").as_deref(), Some("2"));
    assert_eq!(query_parse::<u64>(&r, "n"), Ok(Some(12)));
    assert_eq!(query_parse::<u64>(&r, "absent"), Ok(None));
    assert_eq!(query_parse::<u64>(&r, "size"), Err("abc".to_owned()));
    assert_eq!(query_u64(&r, "size"), None);
    assert_eq!(query_u64(&r, "id"), Some(3));
    assert_eq!(
        query_pairs(&r)[..2],
        [("id".into(), "3".into()), ("id".into(), "5".into())]
    );
    assert_eq!(query_pairs(&r)[2], ("name".into(), "Acme Ltd".into()));
    assert!(query_pairs(&request_for("/x").await).is_empty());

    let acme = json!({"id": 3, "company": {"id": "9"}, "gone": null});
    assert!(param_matches(&r, "id", &acme, "id"));
    assert!(param_matches(&r, "absent", &acme, "id"));
    assert!(!param_matches(&r, "n", &acme, "id"));
    assert_eq!(field(&acme, "/company/id"), Some(&json!("9")));
    assert_eq!(field(&acme, "gone"), None);
    assert_eq!(text_of(&json!(12)), "12");
    assert_eq!(text_of(&json!("12")), "12");
    let kept = filter_items(&[acme.clone(), json!({"id": 4})], |v| v["id"] == 4);
    assert_eq!(kept, vec![json!({"id": 4})]);
}

#[tokio::test]
async fn received_requests_read_as_text_in_order_and_by_path() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let http = mspkit_core::http::client_builder().build().unwrap();
    for target in ["/a?x=1&y=%20", "/b", "/a?", "/a"] {
        http.get(format!("{}{target}", server.uri()))
            .send()
            .await
            .unwrap();
    }
    let all = received(&server).await;
    let lines: Vec<_> = all.iter().map(request_line).collect();
    // The empty query keeps its `?`: the text is what was sent.
    assert_eq!(lines, ["GET /a?x=1&y=%20", "GET /b", "GET /a?", "GET /a"]);
    let at_a: Vec<_> = received_at(&server, "/a")
        .await
        .iter()
        .map(request_target)
        .collect();
    assert_eq!(at_a, ["/a?x=1&y=%20", "/a?", "/a"]);
    assert!(received_at(&server, "/c").await.is_empty());
}

#[tokio::test]
async fn a_json_body_is_parsed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .post(format!("{}/t", server.uri()))
        .body(r#"{"a": [1, null]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_body(&received(&server).await[0]),
        json!({"a": [1, null]})
    );
}

#[tokio::test]
#[should_panic(expected = "the body of GET /x?a=1 is not JSON")]
async fn a_body_that_is_not_json_fails_naming_the_request() {
    json_body(&request_for("/x?a=1").await);
}

/// Records one POST of `body` as `content_type`, for the form helpers.
async fn posted(content_type: &str, body: &'static str) -> Request {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .post(format!("{}/auth/token", server.uri()))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    received(&server).await.remove(0)
}

#[tokio::test]
async fn a_form_body_reads_as_its_fields_in_order() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .post(format!("{}/auth/token", server.uri()))
        .form(&[("b", "x y&z"), ("a", "1"), ("a", "2"), ("empty", "")])
        .send()
        .await
        .unwrap();
    let sent = &received(&server).await[0];
    let pairs: Vec<(String, String)> = [("b", "x y&z"), ("a", "1"), ("a", "2"), ("empty", "")]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(form_pairs(sent), pairs);
    assert_eq!(form_value(sent, "b").as_deref(), Some("x y&z"));
    assert_eq!(form_value(sent, "empty").as_deref(), Some(""));
    assert_eq!(form_value(sent, "missing"), None);

    // A charset parameter, and any case, is still a form.
    let with_charset = posted(
        "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
        "MFACode=123456",
    )
    .await;
    assert_eq!(
        form_value(&with_charset, "MFACode").as_deref(),
        Some("123456")
    );
}

#[tokio::test]
#[should_panic(expected = "POST /auth/token sends form field \"a\" more than once")]
async fn a_form_field_sent_twice_has_no_one_value() {
    let sent = posted("application/x-www-form-urlencoded", "a=1&b=2&a=3").await;
    form_value(&sent, "a");
}

#[tokio::test]
#[should_panic(expected = "the body of POST /auth/token is not a form")]
async fn a_body_that_is_not_a_form_fails_naming_the_request() {
    form_pairs(&posted("application/json", r#"{"a": "1"}"#).await);
}

#[tokio::test]
async fn instants_in_the_forms_platforms_use() {
    let t = Utc.with_ymd_and_hms(2024, 3, 1, 10, 30, 0).unwrap();
    for text in [
        "2024-03-01T10:30:00Z",
        "2024-03-01T11:30:00+01:00",
        "2024-03-01T10:30:00",
        "2024-03-01T10:30:00.000",
        "2024-03-01 10:30:00",
        "2024-03-01T10:30",
        "/Date(1709289000000)/",
        "/Date(1709289000000+1300)/",
        "1709289000",
        "1709289000000",
    ] {
        assert_eq!(parse_instant(text), Some(t), "{text}");
    }
    assert_eq!(
        parse_instant("2024-03-01"),
        Some(Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(parse_instant("yesterday"), None);
    assert_eq!(instant_of(&json!(1_709_289_000.0)), Some(t));
    assert_eq!(instant_of(&json!(null)), None);

    let items = vec![
        json!({"id": 1, "lastModified": "2024-02-28T00:00:00Z"}),
        json!({"id": 2, "lastModified": "2024-03-01T10:30:00Z"}),
        json!({"id": 3, "lastModified": 1_709_300_000.5}),
        json!({"id": 4}),
    ];
    let kept = updated_since(&items, "lastModified", t);
    assert_eq!(
        kept.iter().map(|v| v["id"].clone()).collect::<Vec<_>>(),
        [2, 3]
    );
    assert!(!changed_since(&items[3], "lastModified", t));

    let r = request_for("/x?modifiedSince=2024-03-01&bad=soon").await;
    assert_eq!(
        since_param(&r, "modifiedSince"),
        Ok(Some(Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap()))
    );
    assert_eq!(since_param(&r, "absent"), Ok(None));
    assert_eq!(since_param(&r, "bad"), Err("soon".to_owned()));
}

async fn burst(server: &MockServer, paths: &[&str]) -> Vec<u16> {
    let http = mspkit_core::http::client_builder().build().unwrap();
    let calls = paths.iter().map(|p| {
        let req = http.get(format!("{}{p}", server.uri()));
        async move { req.send().await.unwrap().status().as_u16() }
    });
    join_all(calls).await
}

#[tokio::test]
async fn a_concurrency_cap_refuses_beyond_it_and_records_the_peak() {
    let cap =
        ConcurrencyCap::new(ResponseTemplate::new(200), 3, Duration::from_millis(300)).refusal(
            Reply::json(429, json!({"errors": ["Too many concurrent requests"]})),
        );
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(cap.clone())
        .mount(&server)
        .await;

    let mut statuses = burst(&server, &["/a"; 6]).await;
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 200, 200, 429, 429, 429]);
    assert_eq!((cap.peak(), cap.admitted(), cap.refused()), (3, 3, 3));

    // Once they have left, there is room again; one at a time never queues.
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert_eq!(burst(&server, &["/a"]).await, [200]);
    }
    assert_eq!(cap.peak(), 3);
}

#[tokio::test]
async fn a_cap_per_endpoint_counts_each_path_apart() {
    let cap =
        ConcurrencyCap::new(ResponseTemplate::new(200), 2, Duration::from_millis(300)).per_path();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(cap.clone())
        .mount(&server)
        .await;
    let statuses = burst(
        &server,
        &["/tickets", "/tickets", "/companies", "/companies"],
    )
    .await;
    assert_eq!(statuses, [200; 4]);
    assert_eq!((cap.peak(), cap.refused()), (2, 0));
    // A third at once on one path is refused; the other path is untouched.
    let statuses = burst(&server, &["/tickets", "/companies", "/tickets", "/tickets"]).await;
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1);
    assert_eq!(statuses[1], 200);
    assert_eq!((cap.peak(), cap.refused()), (2, 1));
}
