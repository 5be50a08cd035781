//! Paging over real HTTP: every scheme walked across three or more pages,
//! the hostile knobs, filters, and look-up by id.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use mspkit_testkit::wiremock::matchers::{any, method, path, path_regex};
use mspkit_testkit::wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use mspkit_testkit::{ById, PageScheme, PageView, Paged, Reply, param_matches};
use serde_json::{Value, json};

fn items(n: u64) -> Vec<Value> {
    (1..=n)
        .map(|id| json!({"id": id, "name": format!("item {id}"), "org": id % 2}))
        .collect()
}

fn ids(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_u64().unwrap())
        .collect()
}

struct Got {
    status: u16,
    link: Option<String>,
    body: Value,
}

async fn get(url: &str) -> Got {
    let http = mspkit_core::http::client_builder().build().unwrap();
    let resp = http.get(url).send().await.unwrap();
    Got {
        status: resp.status().as_u16(),
        link: resp
            .headers()
            .get("link")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: resp.json().await.unwrap_or(Value::Null),
    }
}

async fn serve(paged: Paged, at: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(paged)
        .mount(&server)
        .await;
    server
}

/// `{"total": .., "pages": .., "items": [..], "next": ..}`.
fn envelope(v: &PageView<'_>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "total": v.total, "pages": v.total_pages, "page": v.page, "items": v.items,
        "next": v.next_url, "next_key": v.next_key,
    }))
}

#[tokio::test]
async fn page_numbers_from_one_with_a_total_and_a_capped_size() {
    let paged = Paged::new(
        items(7),
        PageScheme::page_number("page_no", "page_size", 1),
        envelope,
    )
    .max_size(3);
    let server = serve(paged, "/list").await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        // Asks for 50; the server caps at 3.
        let g = get(&format!(
            "{}/list?page_no={page}&page_size=50",
            server.uri()
        ))
        .await;
        assert_eq!(g.status, 200);
        assert_eq!(
            (g.body["total"].as_u64(), g.body["pages"].as_u64()),
            (Some(7), Some(3))
        );
        assert_eq!(g.body["page"], page);
        seen.extend(ids(&g.body["items"]));
    }
    assert_eq!(seen, (1..=7).collect::<Vec<_>>());
    let past = get(&format!("{}/list?page_no=4&page_size=3", server.uri())).await;
    assert_eq!(ids(&past.body["items"]), Vec::<u64>::new());
    // No page named: the first; no size named: the default (25, capped at 3).
    let first = get(&format!("{}/list", server.uri())).await;
    assert_eq!(ids(&first.body["items"]), vec![1, 2, 3]);
}

#[tokio::test]
async fn page_numbers_from_zero_end_on_a_short_page() {
    // A bare array: no total at all.
    let paged = Paged::new(items(10), PageScheme::page_number("page", "max", 0), |v| {
        ResponseTemplate::new(200).set_body_json(v.items)
    });
    let server = serve(paged, "/list").await;
    let mut seen: Vec<u64> = Vec::new();
    let mut page = 0;
    loop {
        let g = get(&format!("{}/list?page={page}&max=4", server.uri())).await;
        let got = ids(&g.body);
        seen.extend(&got);
        page += 1;
        if got.len() < 4 {
            break;
        }
    }
    assert_eq!(page, 3);
    assert_eq!(seen, (1..=10).collect::<Vec<_>>());
}

#[tokio::test]
async fn offsets_walk_item_by_item() {
    let paged = Paged::new(items(9), PageScheme::offset("offset", "limit"), envelope);
    let server = serve(paged, "/list").await;
    let mut seen = Vec::new();
    for offset in [0, 3, 6] {
        let g = get(&format!("{}/list?offset={offset}&limit=3", server.uri())).await;
        assert_eq!(g.body["page"], offset);
        seen.extend(ids(&g.body["items"]));
        let next = g.body["next"].as_str().map(str::to_owned);
        if offset < 6 {
            assert!(next.unwrap().contains(&format!("offset={}", offset + 3)));
        } else {
            assert_eq!(next, None);
        }
    }
    assert_eq!(seen, (1..=9).collect::<Vec<_>>());
}

/// The URL of a `Link` header's `rel="next"`.
fn next_link(link: &str) -> Option<String> {
    link.split(',')
        .find(|part| part.contains("rel=\"next\""))
        .and_then(|part| part.split_once('<'))
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(url, _)| url.to_owned())
}

#[tokio::test]
async fn link_headers_carry_the_next_page_and_keep_the_filters() {
    let paged = Paged::new(
        items(10),
        PageScheme::link_header("page", "pageSize", 1),
        |v| ResponseTemplate::new(200).set_body_json(v.items),
    );
    let server = serve(paged, "/company/companies").await;
    let mut url = Some(format!(
        "{}/company/companies?conditions=a%3D1&pageSize=4",
        server.uri()
    ));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(u) = url {
        let g = get(&u).await;
        seen.extend(ids(&g.body));
        pages += 1;
        url = g.link.as_deref().and_then(next_link);
        if let Some(next) = &url {
            assert!(next.starts_with(&server.uri()), "{next}");
            assert!(next.contains("conditions=a%3D1"), "{next}");
            assert!(next.contains("pageSize=4"), "{next}");
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, (1..=10).collect::<Vec<_>>());
}

#[tokio::test]
async fn next_urls_in_the_body_for_get_and_post() {
    let render = |v: &PageView<'_>| {
        ResponseTemplate::new(200).set_body_json(json!({
            "pageDetails": {"count": v.items.len(), "nextPageUrl": v.next_url},
            "devices": v.items,
        }))
    };
    let paged = Paged::new(items(8), PageScheme::next_url("page", "max", 0), render);
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/account/devices"))
        .respond_with(paged)
        .mount(&server)
        .await;
    let mut url = Some(format!("{}/api/v2/account/devices?max=3", server.uri()));
    let mut seen = Vec::new();
    let mut pages = 0;
    let http = mspkit_core::http::client_builder().build().unwrap();
    while let Some(u) = url {
        // Every page asked for with the list's own method and body.
        let body: Value = http
            .post(&u)
            .json(&json!({"filter": []}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen.extend(ids(&body["devices"]));
        pages += 1;
        url = body["pageDetails"]["nextPageUrl"]
            .as_str()
            .map(str::to_owned);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, (1..=8).collect::<Vec<_>>());
}

#[tokio::test]
async fn opaque_links_are_followed_and_guessed_pages_refused() {
    let paged = Paged::new(
        items(10),
        PageScheme::link_header("page", "pageSize", 1),
        |v| ResponseTemplate::new(200).set_body_json(v.items),
    )
    .opaque_links();
    let server = serve(paged, "/company/companies").await;
    let first = format!("{}/company/companies?pageSize=4", server.uri());
    // Following the links walks the list.
    let mut url = Some(first.clone());
    let (mut seen, mut links) = (Vec::new(), Vec::new());
    while let Some(u) = url {
        let g = get(&u).await;
        assert_eq!(g.status, 200, "{u}");
        seen.extend(ids(&g.body));
        url = g.link.as_deref().and_then(next_link);
        links.extend(url.clone());
    }
    assert_eq!(seen, (1..=10).collect::<Vec<_>>());
    assert_eq!(links.len(), 2);
    assert!(
        links
            .iter()
            .all(|l| !l.contains("page=2") && !l.contains("page=3")),
        "{links:?}"
    );
    // A page number worked out by the client is refused, not served.
    for guess in ["2", "3", "pg0000000000000002", "pg"] {
        let g = get(&format!("{first}&page={guess}")).await;
        assert_eq!(g.status, 400, "page={guess}");
        assert!(
            g.body["message"]
                .as_str()
                .unwrap()
                .contains("not handed out")
        );
    }
    // The cursor of the second page works when asked again.
    assert_eq!(ids(&get(&links[0]).await.body), vec![5, 6, 7, 8]);
}

#[tokio::test]
async fn keysets_serve_in_key_order_after_the_last_key() {
    // Out of order on purpose; ids compare as numbers (9 < 10).
    let shuffled: Vec<Value> = [10, 3, 7, 1, 12, 9, 5]
        .iter()
        .map(|id| json!({"id": id}))
        .collect();
    let paged = Paged::new(
        shuffled,
        PageScheme::keyset("after", "pageSize", "id"),
        |v| ResponseTemplate::new(200).set_body_json(v.items),
    );
    let server = serve(paged, "/v2/devices").await;
    let mut after: Option<u64> = None;
    let mut pages = Vec::new();
    loop {
        let url = match after {
            None => format!("{}/v2/devices?pageSize=3", server.uri()),
            Some(a) => format!("{}/v2/devices?pageSize=3&after={a}", server.uri()),
        };
        let got = ids(&get(&url).await.body);
        if got.is_empty() {
            break;
        }
        after = got.last().copied();
        pages.push(got);
    }
    assert_eq!(pages, vec![vec![1, 3, 5], vec![7, 9, 10], vec![12]]);

    // Text keys, and the next key in the view.
    let named: Vec<Value> = ["delta", "alpha", "echo", "charlie", "bravo"]
        .iter()
        .map(|k| json!({"key": k}))
        .collect();
    let paged = Paged::new(
        named,
        PageScheme::keyset("cursor", "limit", "key"),
        envelope,
    );
    let server = serve(paged, "/k").await;
    let g = get(&format!("{}/k?limit=2&cursor=bravo", server.uri())).await;
    let keys: Vec<&str> = g.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["charlie", "delta"]);
    assert_eq!(g.body["next_key"], "delta");
    assert!(g.body["next"].as_str().unwrap().contains("cursor=delta"));
}

#[tokio::test]
async fn the_page_number_in_the_path() {
    let paged = Paged::new(items(5), PageScheme::path_page("pageSize", 1), |v| {
        ResponseTemplate::new(200).set_body_json(json!({
            "Pagination": {"NumberOfItems": v.total, "PageNumber": v.page, "NumberOfPages": v.total_pages},
            "Items": v.items, "Next": v.next_url,
        }))
    });
    let server = MockServer::start().await;
    Mock::given(path_regex(r"^/Customers(/\d+)?$"))
        .respond_with(paged)
        .mount(&server)
        .await;
    let first = get(&format!("{}/Customers?pageSize=2", server.uri())).await;
    assert_eq!(first.body["Pagination"]["PageNumber"], 1);
    assert_eq!(first.body["Pagination"]["NumberOfPages"], 3);
    let next = first.body["Next"].as_str().unwrap();
    assert_eq!(next, format!("{}/Customers/2?pageSize=2", server.uri()));
    let mut seen = ids(&first.body["Items"]);
    for page in [2, 3] {
        let g = get(&format!("{}/Customers/{page}?pageSize=2", server.uri())).await;
        assert_eq!(g.body["Pagination"]["PageNumber"], page);
        seen.extend(ids(&g.body["Items"]));
        if page == 2 {
            assert_eq!(
                g.body["Next"].as_str().unwrap(),
                format!("{}/Customers/3?pageSize=2", server.uri())
            );
        } else {
            assert!(g.body["Next"].is_null());
        }
    }
    assert_eq!(seen, vec![1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn hostile_a_server_that_ignores_the_page_selector() {
    let paged = Paged::new(
        items(9),
        PageScheme::link_header("page", "pageSize", 1),
        |v| ResponseTemplate::new(200).set_body_json(v.items),
    )
    .ignore_page_selector();
    let server = serve(paged, "/l").await;
    for page in 1..=3 {
        let g = get(&format!("{}/l?page={page}&pageSize=3", server.uri())).await;
        assert_eq!(ids(&g.body), vec![1, 2, 3], "page {page}");
        let next = next_link(g.link.as_deref().unwrap()).unwrap();
        assert!(next.contains("page=2"), "still points at page 2: {next}");
    }
    // Offsets and keysets alike.
    let paged = Paged::new(items(9), PageScheme::offset("offset", "limit"), envelope)
        .ignore_page_selector();
    let server = serve(paged, "/o").await;
    let g = get(&format!("{}/o?offset=6&limit=3", server.uri())).await;
    assert_eq!(ids(&g.body["items"]), vec![1, 2, 3]);
    let paged = Paged::new(
        items(9),
        PageScheme::keyset("after", "size", "id"),
        envelope,
    )
    .ignore_page_selector();
    let server = serve(paged, "/k").await;
    let g = get(&format!("{}/k?after=3&size=3", server.uri())).await;
    assert_eq!(ids(&g.body["items"]), vec![1, 2, 3]);
    assert_eq!(g.body["next_key"], "3");
}

#[tokio::test]
async fn hostile_empty_pages_that_keep_pointing_onward() {
    let paged =
        Paged::new(items(9), PageScheme::next_url("page", "max", 1), envelope).empty_pages();
    let server = serve(paged, "/e").await;
    let mut url = format!("{}/e?max=3", server.uri());
    for page in 1..=5 {
        let g = get(&url).await;
        assert_eq!(ids(&g.body["items"]), Vec::<u64>::new());
        assert_eq!(g.body["page"], page);
        assert_eq!(g.body["total"], 9, "the total still says 9");
        url = g.body["next"]
            .as_str()
            .expect("always a next page")
            .to_owned();
        assert!(url.contains(&format!("page={}", page + 1)));
    }
    let paged = Paged::new(
        items(9),
        PageScheme::link_header("page", "pageSize", 1),
        |v| ResponseTemplate::new(200).set_body_json(v.items),
    )
    .empty_pages();
    let server = serve(paged, "/l").await;
    let g = get(&format!("{}/l?page=40", server.uri())).await;
    assert_eq!(ids(&g.body), Vec::<u64>::new());
    assert!(
        next_link(g.link.as_deref().unwrap())
            .unwrap()
            .contains("page=41")
    );
}

#[tokio::test]
async fn hostile_a_first_page_without_the_list() {
    let paged = Paged::new(
        items(9),
        PageScheme::page_number("page", "size", 1),
        envelope,
    )
    .first_page_without_list("Rate limit exceeded, try later");
    let server = serve(paged, "/m").await;
    for first in ["", "?page=1", "?page=0&size=3"] {
        let g = get(&format!("{}/m{first}", server.uri())).await;
        assert_eq!(g.status, 200);
        assert_eq!(g.body, json!({"message": "Rate limit exceeded, try later"}));
    }
    let second = get(&format!("{}/m?page=2&size=3", server.uri())).await;
    assert_eq!(ids(&second.body["items"]), vec![4, 5, 6]);
}

#[tokio::test]
async fn filters_count_what_is_kept_and_unpaged_lists_come_whole() {
    let paged = Paged::new(
        items(12),
        PageScheme::page_number("page_no", "page_size", 1),
        envelope,
    )
    .filter(|req, item| param_matches(req, "org", item, "org"))
    .unpaged_unless("pageinate", "true");
    let server = serve(paged, "/api/Users").await;
    let whole = get(&format!("{}/api/Users?page_size=2", server.uri())).await;
    assert_eq!(
        ids(&whole.body["items"]).len(),
        12,
        "not paged without pageinate=true"
    );
    let odd = get(&format!(
        "{}/api/Users?pageinate=true&page_no=2&page_size=2&org=1",
        server.uri()
    ))
    .await;
    assert_eq!(odd.body["total"], 6);
    assert_eq!(ids(&odd.body["items"]), vec![5, 7]);
}

/// A fake that routes by hand and holds its list in its own state.
struct ByHand {
    paged: Paged,
    live: Vec<Value>,
}

impl Respond for ByHand {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.paged.serve(request, &self.live)
    }
}

#[tokio::test]
async fn serve_pages_items_held_elsewhere() {
    let paged = Paged::new(Vec::new(), PageScheme::offset("skip", "take"), envelope);
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ByHand {
            paged,
            live: items(4),
        })
        .mount(&server)
        .await;
    let g = get(&format!("{}/whatever?skip=2&take=5", server.uri())).await;
    assert_eq!(ids(&g.body["items"]), vec![3, 4]);
    assert_eq!(g.body["total"], 4);
}

#[tokio::test]
async fn look_up_by_id_with_the_platforms_404() {
    let guids = vec![
        json!({"Guid": "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "Name": "Acme"}),
        json!({"Guid": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "Name": "Beta"}),
    ];
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/Customers/[^/]+$"))
        .respond_with(
            ById::new(
                "/Customers",
                guids,
                "Guid",
                Reply::json(404, json!({"Description": "Record not found"})),
            )
            .ignore_case(),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/tickets/[^/]+$"))
        .respond_with(
            ById::new("/tickets/", items(3), "id", Reply::empty(404))
                .render(|item| ResponseTemplate::new(200).set_body_json(json!({ "item": item }))),
        )
        .mount(&server)
        .await;
    let acme = get(&format!(
        "{}/Customers/3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        server.uri()
    ))
    .await;
    assert_eq!(
        (acme.status, acme.body["Name"].as_str()),
        (200, Some("Acme"))
    );
    let missing = get(&format!("{}/Customers/nope", server.uri())).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, json!({"Description": "Record not found"}));
    let t2 = get(&format!("{}/tickets/2", server.uri())).await;
    assert_eq!(t2.body["item"]["name"], "item 2");
    let t9 = get(&format!("{}/tickets/9", server.uri())).await;
    assert_eq!((t9.status, t9.body.clone()), (404, Value::Null));
    assert_eq!(
        mspkit_testkit::find_by_id(&items(3), "id", "3").unwrap()["name"],
        "item 3"
    );
}
