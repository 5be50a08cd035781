//! The fake side against the client side: core's list walk reads every
//! `Paged` scheme to the end, and the hostile knobs trip its guards.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::TryStreamExt;
use mspkit_core::http::{Http, RetryPolicy};
use mspkit_core::list::{ListRequest, Paging};
use mspkit_core::{Company, Provider, Result};
use mspkit_testkit::wiremock::matchers::{path, path_regex};
use mspkit_testkit::wiremock::{Mock, MockServer, ResponseTemplate};
use mspkit_testkit::{PageScheme, PageView, Paged};
use serde_json::{Value, json};

const P: Provider = Provider::Halo;

#[derive(serde::Deserialize)]
struct Row {
    id: u64,
    name: String,
}

fn rows(n: u64) -> Vec<Value> {
    (1..=n)
        .map(|i| json!({"id": i, "name": format!("Company {i}")}))
        .collect()
}

fn http(server: &MockServer) -> Http {
    Http::builder(P, format!("{}/api/", server.uri()))
        .allow_insecure_http(true)
        .retry(RetryPolicy::new().max_attempts(1))
        .build()
        .unwrap()
}

async fn mounted(paged: Paged) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path_regex(r"^/api/Client(/\d+)?$"))
        .respond_with(paged)
        .mount(&server)
        .await;
    server
}

async fn walk(
    server: &MockServer,
    items_at: Option<&'static str>,
    paging: Paging,
) -> Result<Vec<u64>> {
    let mut list = ListRequest::get("companies", "Client").page_size(Some(10));
    if let Some(key) = items_at {
        list = list.items_at(key);
    }
    let all: Vec<Company> = list
        .walk(&http(server), paging)
        .map(|r: Row, _| Company::new(P, r.id, r.name))
        .try_collect()
        .await?;
    Ok(all.iter().map(|c| c.id.as_u64().unwrap()).collect())
}

fn bare(v: &PageView<'_>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(v.items)
}

fn halo(v: &PageView<'_>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"record_count": v.total, "clients": v.items}))
}

fn every() -> Vec<u64> {
    (1..=25).collect()
}

#[tokio::test]
async fn core_walks_every_scheme_the_fake_serves() {
    // Page numbers with a total; the server caps pages at 7 (the walk asks 10).
    let s = mounted(
        Paged::new(
            rows(25),
            PageScheme::page_number("page_no", "page_size", 1),
            halo,
        )
        .max_size(7),
    )
    .await;
    let p = Paging::page_number("page_no", 1)
        .size_param("page_size")
        .total_items("/record_count");
    assert_eq!(walk(&s, Some("clients"), p).await.unwrap(), every());

    // Zero-based pages, no total, a short last page.
    let s = mounted(Paged::new(
        rows(25),
        PageScheme::page_number("page", "max", 0),
        bare,
    ))
    .await;
    let p = Paging::page_number("page", 0).size_param("max");
    assert_eq!(walk(&s, None, p).await.unwrap(), every());

    // A page count.
    let pages = |v: &PageView<'_>| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"meta": {"total_pages": v.total_pages}, "data": v.items}))
    };
    let s = mounted(Paged::new(
        rows(25),
        PageScheme::page_number("page", "per_page", 1),
        pages,
    ))
    .await;
    let p = Paging::page_number("page", 1)
        .size_param("per_page")
        .total_pages("/meta/total_pages");
    assert_eq!(walk(&s, Some("data"), p).await.unwrap(), every());

    // Offsets.
    let s = mounted(Paged::new(
        rows(25),
        PageScheme::offset("offset", "limit"),
        bare,
    ))
    .await;
    let p = Paging::offset("offset").size_param("limit");
    assert_eq!(walk(&s, None, p).await.unwrap(), every());

    // The Link header.
    let s = mounted(Paged::new(
        rows(25),
        PageScheme::link_header("page", "pageSize", 1),
        bare,
    ))
    .await;
    let p = Paging::link_header().size_param("pageSize");
    assert_eq!(walk(&s, None, p).await.unwrap(), every());

    // The next URL in the body.
    let datto = |v: &PageView<'_>| {
        ResponseTemplate::new(200).set_body_json(json!({
            "pageDetails": {"count": v.items.len(), "totalCount": v.total, "nextPageUrl": v.next_url},
            "sites": v.items,
        }))
    };
    let s = mounted(Paged::new(
        rows(25),
        PageScheme::next_url("page", "max", 0),
        datto,
    ))
    .await;
    let p = Paging::next_url("/pageDetails/nextPageUrl").size_param("max");
    assert_eq!(walk(&s, Some("sites"), p).await.unwrap(), every());

    // Keyset.
    let s = mounted(Paged::new(
        rows(25),
        PageScheme::keyset("after", "pageSize", "id"),
        bare,
    ))
    .await;
    let p = Paging::keyset("after", "id").size_param("pageSize");
    assert_eq!(walk(&s, None, p).await.unwrap(), every());

    // The page in the path.
    let unleashed = |v: &PageView<'_>| {
        ResponseTemplate::new(200).set_body_json(json!({
            "Pagination": {"NumberOfItems": v.total, "PageNumber": v.page, "NumberOfPages": v.total_pages},
            "Items": v.items,
        }))
    };
    let s = mounted(Paged::new(
        rows(25),
        PageScheme::path_page("pageSize", 1),
        unleashed,
    ))
    .await;
    let p = Paging::path_page(1)
        .size_param("pageSize")
        .total_pages("/Pagination/NumberOfPages");
    assert_eq!(walk(&s, Some("Items"), p).await.unwrap(), every());
}

#[tokio::test]
async fn the_hostile_knobs_trip_the_walks_guards() {
    // A selector ignored: the same page again.
    let s = mounted(
        Paged::new(
            rows(25),
            PageScheme::page_number("page_no", "page_size", 1),
            halo,
        )
        .ignore_page_selector(),
    )
    .await;
    let p = Paging::page_number("page_no", 1)
        .size_param("page_size")
        .total_items("/record_count");
    let err = walk(&s, Some("clients"), p).await.unwrap_err();
    assert!(err.kind() == mspkit_core::ErrorKind::Paging, "{err}");

    let s = mounted(
        Paged::new(
            rows(25),
            PageScheme::link_header("page", "pageSize", 1),
            bare,
        )
        .ignore_page_selector(),
    )
    .await;
    let err = walk(&s, None, Paging::link_header().size_param("pageSize"))
        .await
        .unwrap_err();
    assert!(err.kind() == mspkit_core::ErrorKind::Paging, "{err}");

    let s = mounted(
        Paged::new(
            rows(25),
            PageScheme::keyset("after", "pageSize", "id"),
            bare,
        )
        .ignore_page_selector(),
    )
    .await;
    let err = walk(
        &s,
        None,
        Paging::keyset("after", "id").size_param("pageSize"),
    )
    .await
    .unwrap_err();
    assert!(err.kind() == mspkit_core::ErrorKind::Paging, "{err}");

    // Empty pages that point onward, for ever.
    let datto = |v: &PageView<'_>| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"pageDetails": {"nextPageUrl": v.next_url}, "sites": v.items}))
    };
    let s =
        mounted(Paged::new(rows(25), PageScheme::next_url("page", "max", 0), datto).empty_pages())
            .await;
    let err = walk(
        &s,
        Some("sites"),
        Paging::next_url("/pageDetails/nextPageUrl").size_param("max"),
    )
    .await
    .unwrap_err();
    assert!(err.kind() == mspkit_core::ErrorKind::Paging, "{err}");

    // No list on the first page: a decode error, never an empty list.
    let s = mounted(
        Paged::new(
            rows(25),
            PageScheme::page_number("page_no", "page_size", 1),
            halo,
        )
        .first_page_without_list("Too many requests"),
    )
    .await;
    let err = walk(
        &s,
        Some("clients"),
        Paging::page_number("page_no", 1).size_param("page_size"),
    )
    .await
    .unwrap_err();
    assert!(err.kind() == mspkit_core::ErrorKind::Decode, "{err}");
}

#[tokio::test]
async fn a_missing_route_is_not_a_page() {
    let server = MockServer::start().await;
    Mock::given(path("/api/Other"))
        .respond_with(Paged::new(rows(3), PageScheme::offset("o", "l"), bare))
        .mount(&server)
        .await;
    assert!(
        walk(&server, None, Paging::offset("o").size_param("l"))
            .await
            .is_err()
    );
}
