//! The list kit against a server on loopback: every paging scheme over
//! several pages, and the guards that stop a walk from ending silently.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::{StreamExt, TryStreamExt};
use mspkit_core::http::{Http, RetryPolicy};
use mspkit_core::list::{ListRequest, Paging};
use mspkit_core::{Company, Error, ItemStream, Provider, Result};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const P: Provider = Provider::Halo;

#[derive(serde::Deserialize)]
struct Row {
    id: u64,
    name: String,
}

fn company(r: Row, raw: Option<Value>) -> Company {
    let mut c = Company::new(P, r.id, r.name);
    c.raw = raw;
    c
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

fn param(req: &Request, name: &str) -> Option<u64> {
    req.url
        .query_pairs()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

/// Serves a slice of `items` per request, chosen by `pick(request)`, rendered by `render`.
struct Serve<F> {
    items: Vec<Value>,
    calls: Arc<AtomicUsize>,
    render: F,
}

impl<F> Respond for Serve<F>
where
    F: Fn(&Request, &[Value]) -> ResponseTemplate + Send + Sync,
{
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.calls.fetch_add(1, Ordering::SeqCst);
        (self.render)(req, &self.items)
    }
}

async fn serve<F>(items: Vec<Value>, render: F) -> (MockServer, Arc<AtomicUsize>)
where
    F: Fn(&Request, &[Value]) -> ResponseTemplate + Send + Sync + 'static,
{
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path("/api/Client"))
        .respond_with(Serve {
            items,
            calls: calls.clone(),
            render,
        })
        .mount(&server)
        .await;
    (server, calls)
}

fn slice(items: &[Value], from: u64, size: u64) -> Vec<Value> {
    items
        .iter()
        .skip(from as usize)
        .take(size as usize)
        .cloned()
        .collect()
}

async fn ids(s: ItemStream<'_, Company>) -> Result<Vec<u64>> {
    let all: Vec<Company> = s.try_collect().await?;
    Ok(all.iter().map(|c| c.id.as_u64().unwrap()).collect())
}

fn list() -> ListRequest {
    ListRequest::get("companies", "Client")
}

#[tokio::test]
async fn page_numbers_with_a_total_walk_every_page_keeping_the_filters() {
    let (server, calls) = serve(rows(25), |req, items| {
        assert_eq!(param(req, "includeinactive"), Some(1));
        let (page, size) = (
            param(req, "page_no").unwrap(),
            param(req, "page_size").unwrap(),
        );
        let size = size.min(10);
        ResponseTemplate::new(200).set_body_json(json!({
            "record_count": items.len(),
            "clients": slice(items, (page - 1) * size, size),
        }))
    })
    .await;
    let paging = Paging::page_number("page_no", 1)
        .size_param("page_size")
        .max_size(100)
        .total_items("/record_count");
    let got = ids(list()
        .items_at("clients")
        .query("includeinactive", "1")
        .walk(&http(&server), paging)
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=25).collect::<Vec<_>>());
    // The server capped pages at 10: the walk went on at that size.
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn offsets_and_keysets_and_path_pages_reach_the_end() {
    // Offset, bare array, a short last page.
    let (server, _) = serve(rows(23), |req, items| {
        let (off, size) = (param(req, "offset").unwrap(), param(req, "limit").unwrap());
        ResponseTemplate::new(200).set_body_json(slice(items, off, size))
    })
    .await;
    let got = ids(list()
        .page_size(Some(10))
        .walk(&http(&server), Paging::offset("offset").size_param("limit"))
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=23).collect::<Vec<_>>());

    // Keyset: `after` the last id, the end on an empty page.
    let (server, calls) = serve(rows(23), |req, items| {
        let after = param(req, "after").unwrap_or(0);
        let size = param(req, "pageSize").unwrap();
        ResponseTemplate::new(200).set_body_json(slice(items, after, size))
    })
    .await;
    let got = ids(list()
        .page_size(Some(10))
        .walk(
            &http(&server),
            Paging::keyset("after", "id").size_param("pageSize"),
        )
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=23).collect::<Vec<_>>());
    assert_eq!(calls.load(Ordering::SeqCst), 4);

    // The page in the path, the page count in the body.
    let server = MockServer::start().await;
    for page in 1..=3u64 {
        Mock::given(path(format!("/api/Customers/{page}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "Pagination": {"NumberOfPages": 3, "PageNumber": page},
                "Items": slice(&rows(25), (page - 1) * 10, 10),
            })))
            .mount(&server)
            .await;
    }
    let got = ids(ListRequest::get("companies", "Customers")
        .items_at("Items")
        .page_size(Some(10))
        .walk(
            &http(&server),
            Paging::path_page(1).total_pages("/Pagination/NumberOfPages"),
        )
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=25).collect::<Vec<_>>());
}

#[tokio::test]
async fn link_headers_and_next_urls_are_followed_not_guessed() {
    let base = Arc::new(std::sync::Mutex::new(String::new()));
    let b = base.clone();
    let (server, _) = serve(rows(30), move |req, items| {
        let page = param(req, "page").unwrap_or(1);
        let mut resp = ResponseTemplate::new(200).set_body_json(slice(items, (page - 1) * 10, 10));
        // Only the server knows the next page: it skips page 3's number.
        let next = match page {
            1 => Some(2),
            2 => Some(7),
            _ => None,
        };
        if let Some(n) = next {
            let url = format!("{}/api/Client?page={n}", b.lock().unwrap());
            resp = resp.insert_header("link", format!("<{url}>; rel=\"next\"").as_str());
        }
        resp
    })
    .await;
    *base.lock().unwrap() = server.uri();
    let got = ids(list()
        .page_size(Some(10))
        .walk(&http(&server), Paging::link_header().size_param("pageSize"))
        .map(company))
    .await
    .unwrap();
    // Page "7" served items 61.. (none): the walk took what the link named.
    assert_eq!(got, (1..=20).collect::<Vec<_>>());

    let (server, _) = serve(rows(30), |req, items| {
        let page = param(req, "page").unwrap_or(1);
        let next = (page < 3).then(|| format!("/api/Client?page={}", page + 1));
        ResponseTemplate::new(200).set_body_json(json!({
            "sites": slice(items, (page - 1) * 10, 10),
            "pageDetails": {"count": 10, "totalCount": 30, "nextPageUrl": next},
        }))
    })
    .await;
    let got = ids(list()
        .items_at("sites")
        .walk(
            &http(&server),
            Paging::next_url("/pageDetails/nextPageUrl").total_items("/pageDetails/totalCount"),
        )
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=30).collect::<Vec<_>>());
}

async fn paging_error(s: ItemStream<'_, Company>) -> Error {
    let results: Vec<Result<Company>> = s.collect().await;
    results
        .into_iter()
        .find_map(|r| r.err())
        .expect("the walk should fail")
}

#[tokio::test]
async fn a_server_that_ignores_the_page_selector_ends_the_walk_with_an_error() {
    // Always page 1, with a total that the repeats would "fill".
    let (server, calls) = serve(rows(30), |_, items| {
        ResponseTemplate::new(200).set_body_json(json!({
            "record_count": 30,
            "clients": slice(items, 0, 10),
        }))
    })
    .await;
    let paging = Paging::page_number("page_no", 1)
        .size_param("page_size")
        .total_items("/record_count");
    let e = paging_error(
        list()
            .items_at("clients")
            .page_size(Some(10))
            .walk(&http(&server), paging)
            .map(company),
    )
    .await;
    assert!(e.to_string().contains("already received"), "{e}");
    // Page 3 may already have been asked for, ahead of page 2's answer.
    assert!((2..=3).contains(&calls.load(Ordering::SeqCst)));
}

#[tokio::test]
async fn an_item_seen_twice_is_yielded_once() {
    // The list shifted: page 2 starts with the last item of page 1.
    let (server, _) = serve(rows(20), |req, items| {
        let from = match param(req, "page").unwrap() {
            1 => 0,
            2 => 9,
            _ => 19,
        };
        ResponseTemplate::new(200).set_body_json(slice(items, from, 10))
    })
    .await;
    let got = ids(list()
        .page_size(Some(10))
        .walk(
            &http(&server),
            Paging::page_number("page", 1).size_param("size"),
        )
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=20).collect::<Vec<_>>());
}

#[tokio::test]
async fn endless_empty_pages_end_in_a_paging_error() {
    let base = Arc::new(std::sync::Mutex::new(String::new()));
    let b = base.clone();
    let (server, calls) = serve(Vec::new(), move |req, _| {
        let page = param(req, "page").unwrap_or(1);
        let url = format!("{}/api/Client?page={}", b.lock().unwrap(), page + 1);
        ResponseTemplate::new(200)
            .set_body_json(json!([]))
            .insert_header("link", format!("<{url}>; rel=\"next\"").as_str())
    })
    .await;
    *base.lock().unwrap() = server.uri();
    let e = paging_error(
        list()
            .walk(&http(&server), Paging::link_header())
            .map(company),
    )
    .await;
    assert!(e.to_string().contains("empty pages in a row"), "{e}");
    assert!(calls.load(Ordering::SeqCst) <= 4);
}

#[tokio::test]
async fn a_first_page_without_the_list_is_a_decode_error() {
    let (server, _) = serve(rows(3), |_, _| {
        ResponseTemplate::new(200).set_body_json(json!({"message": "Access denied for this IP"}))
    })
    .await;
    let e = paging_error(
        list()
            .items_at("sites")
            .walk(&http(&server), Paging::next_url("/pageDetails/nextPageUrl"))
            .map(company),
    )
    .await;
    let text = e.to_string();
    assert!(text.contains("no `sites` list"), "{text}");
    assert!(text.contains("Access denied"), "{text}");
}

#[tokio::test]
async fn a_next_url_on_another_host_is_refused() {
    let (server, calls) = serve(rows(3), |_, items| {
        ResponseTemplate::new(200).set_body_json(json!({
            "sites": items,
            "pageDetails": {"nextPageUrl": "https://elsewhere.example/api/Client?page=2"},
        }))
    })
    .await;
    let e = paging_error(
        list()
            .items_at("sites")
            .walk(&http(&server), Paging::next_url("/pageDetails/nextPageUrl"))
            .map(company),
    )
    .await;
    assert!(e.to_string().contains("elsewhere.example"), "{e}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn raw_json_is_kept_when_asked_and_a_limit_asks_for_no_more() {
    let (server, calls) = serve(rows(50), |req, items| {
        let size = param(req, "size").unwrap();
        let page = param(req, "page").unwrap();
        ResponseTemplate::new(200).set_body_json(slice(items, (page - 1) * size, size))
    })
    .await;
    let got: Vec<Company> = list()
        .keep_raw(true)
        .limit(Some(3))
        .walk(
            &http(&server),
            Paging::page_number("page", 1).size_param("size"),
        )
        .map(company)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].raw, Some(json!({"id": 3, "name": "Company 3"})));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A page-number server on a raw socket that holds each answer a moment and
/// records how many requests it held at once.
async fn holding_server(
    items: usize,
    per_page: usize,
) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (n, p) = (now.clone(), peak.clone());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (now, peak) = (n.clone(), p.clone());
            tokio::spawn(async move {
                loop {
                    let mut buf = vec![0u8; 8192];
                    let Ok(read) = sock.read(&mut buf).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    let head = String::from_utf8_lossy(&buf[..read]).to_string();
                    let page: usize = head
                        .split("page_no=")
                        .nth(1)
                        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                        .and_then(|d| d.parse().ok())
                        .unwrap_or(1);
                    let held = now.fetch_add(1, Ordering::SeqCst) + 1;
                    // Past the first window, what is in flight is the
                    // walk's steady state.
                    if page > 5 {
                        peak.fetch_max(held, Ordering::SeqCst);
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(40)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    let from = (page - 1) * per_page;
                    let rows: Vec<Value> = (from..(from + per_page).min(items))
                        .map(|i| json!({"id": i + 1, "name": format!("Company {}", i + 1)}))
                        .collect();
                    let body = json!({"record_count": items, "clients": rows}).to_string();
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if sock.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), now, peak)
}

#[tokio::test]
async fn numbered_pages_with_a_total_go_several_at_a_time_in_order() {
    for (concurrency, most) in [(1usize, 1usize), (4, 4)] {
        let (uri, _, peak) = holding_server(95, 10).await;
        let http = Http::builder(P, format!("{uri}/api/"))
            .allow_insecure_http(true)
            .retry(RetryPolicy::new().max_attempts(1))
            .page_concurrency(concurrency)
            .build()
            .unwrap();
        let paging = Paging::page_number("page_no", 1)
            .size_param("page_size")
            .max_size(10)
            .total_items("/record_count");
        let got = ids(list().items_at("clients").walk(&http, paging).map(company))
            .await
            .unwrap();
        assert_eq!(
            got,
            (1..=95).collect::<Vec<_>>(),
            "concurrency {concurrency}"
        );
        let seen = peak.load(Ordering::SeqCst);
        assert_eq!(
            seen, most,
            "concurrency {concurrency}: {seen} requests in flight once under way"
        );
    }
}

#[tokio::test]
async fn links_naming_another_host_are_refused_unless_rebased_onto_the_api_host() {
    let (server, calls) = serve(rows(20), |req, items| {
        let page = param(req, "page").unwrap_or(1);
        let mut resp = ResponseTemplate::new(200).set_body_json(slice(items, (page - 1) * 10, 10));
        if page == 1 {
            resp = resp.insert_header(
                "link",
                "<https://acme.example.com/api/Client?page=2>; rel=\"next\"",
            );
        }
        resp
    })
    .await;
    let e = paging_error(
        list()
            .page_size(Some(10))
            .walk(&http(&server), Paging::link_header())
            .map(company),
    )
    .await;
    assert!(e.to_string().contains("acme.example.com"), "{e}");
    let got = ids(list()
        .page_size(Some(10))
        .walk(&http(&server), Paging::link_header().rebase_links())
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=20).collect::<Vec<_>>());
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_next_url_list_ends_on_its_flags_link_or_not() {
    // Cursor lists: `links.next` stays on the last page, `meta.has_more` says stop.
    let (server, calls) = serve(rows(30), |req, items| {
        let page = param(req, "page").unwrap_or(1);
        ResponseTemplate::new(200).set_body_json(json!({
            "organizations": slice(items, (page - 1) * 10, 10),
            "meta": {"has_more": page < 3},
            "links": {"next": format!("/api/Client?page={}", page + 1)},
        }))
    })
    .await;
    let got = ids(list()
        .items_at("organizations")
        .walk(
            &http(&server),
            Paging::next_url("/links/next").while_true("/meta/has_more"),
        )
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=30).collect::<Vec<_>>());
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    // Exports: each page repeats the last item of the one before, and the
    // last page holds only that item with `end_of_stream: true`.
    let (server, _) = serve(rows(21), |req, items| {
        let page = param(req, "page").unwrap_or(1);
        let from = (page - 1) * 10;
        let from = from.saturating_sub(u64::from(page > 1));
        ResponseTemplate::new(200).set_body_json(json!({
            "organizations": slice(items, from, 11),
            "end_of_stream": page == 3,
            "after_url": format!("/api/Client?page={}", page + 1),
        }))
    })
    .await;
    let got = ids(list()
        .items_at("organizations")
        .walk(
            &http(&server),
            Paging::next_url("/after_url").until_true("/end_of_stream"),
        )
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=21).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_page_check_reads_failures_answered_with_200() {
    // Past the end, "No resource" ends the list; another failure is an error.
    let (server, _) = serve(rows(20), |req, items| {
        let offset = param(req, "offset").unwrap_or(0);
        if req.url.query().is_some_and(|q| q.contains("client_id=bad")) {
            return ResponseTemplate::new(200)
                .set_body_json(json!({"success": "False", "message": "Invalid client_id"}));
        }
        let page = slice(items, offset, 10);
        if page.is_empty() {
            return ResponseTemplate::new(200).set_body_json(
                json!({"success": "False", "message": "No resource (for this type) found"}),
            );
        }
        ResponseTemplate::new(200)
            .set_body_json(json!({"success": "True", "count": page.len(), "data": page}))
    })
    .await;
    let check = |page: &Value| -> mspkit_core::Result<mspkit_core::list::PageVerdict> {
        use mspkit_core::list::PageVerdict;
        match (page["success"].as_str(), page["message"].as_str()) {
            (Some("False"), Some(m)) if m.starts_with("No resource") => Ok(PageVerdict::End),
            (Some("False"), m) => Err(mspkit_core::Error::api(
                P,
                "companies",
                200,
                m.unwrap_or("failed").to_owned(),
            )),
            _ => Ok(PageVerdict::List),
        }
    };
    let got = ids(list()
        .items_at("data")
        .page_size(Some(10))
        .check_page(check)
        .walk(&http(&server), Paging::offset("offset").size_param("limit"))
        .map(company))
    .await
    .unwrap();
    assert_eq!(got, (1..=20).collect::<Vec<_>>());
    let e = paging_error(
        list()
            .items_at("data")
            .query("client_id", "bad")
            .check_page(check)
            .walk(&http(&server), Paging::offset("offset").size_param("limit"))
            .map(company),
    )
    .await;
    assert!(e.to_string().contains("Invalid client_id"), "{e}");
}

#[tokio::test]
async fn flags_are_read_strictly_and_links_keep_the_named_parameters() {
    // A cursor list whose links drop `include`, and side-loaded users.
    let (server, _) = serve(rows(25), |req, items| {
        let page = param(req, "page").unwrap_or(1);
        assert!(
            req.url.query().is_some_and(|q| q.contains("include=users")),
            "page {page} lost include: {}",
            req.url
        );
        ResponseTemplate::new(200).set_body_json(json!({
            "organizations": slice(items, (page - 1) * 10, 10),
            "users": [{"id": 900 + page, "name": format!("Agent {page}")}],
            "meta": {"has_more": page < 3},
            "links": {"next": format!("/api/Client?page={}", page + 1)},
        }))
    })
    .await;
    let got: Vec<Company> = list()
        .items_at("organizations")
        .query("include", "users")
        .keep_on_links(&["include"])
        .walk(
            &http(&server),
            Paging::next_url("/links/next").while_true("/meta/has_more"),
        )
        .map_pages_with(
            |items: Vec<mspkit_core::list::Item<Row>>, page: Value| async move {
                let agent = page["users"][0]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                Ok(items
                    .into_iter()
                    .map(|i| {
                        let mut c = company(i.value, None);
                        c.identifier = Some(agent.clone());
                        c
                    })
                    .collect())
            },
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 25);
    assert_eq!(got[24].identifier.as_deref(), Some("Agent 3"));

    // A missing flag is a decode error, and "more follow" without a link a paging error.
    for (body, want) in [
        (
            json!({"organizations": [{"id": 1, "name": "a"}], "links": {"next": "/api/Client?page=2"}}),
            "paging flag",
        ),
        (
            json!({"organizations": [{"id": 1, "name": "a"}], "meta": {"has_more": true}, "links": {}}),
            "names no next page",
        ),
    ] {
        let (server, _) = serve(Vec::new(), move |_, _| {
            ResponseTemplate::new(200).set_body_json(body.clone())
        })
        .await;
        let e = paging_error(
            list()
                .items_at("organizations")
                .walk(
                    &http(&server),
                    Paging::next_url("/links/next").while_true("/meta/has_more"),
                )
                .map(company),
        )
        .await;
        assert!(e.to_string().contains(want), "{e}");
    }
}
