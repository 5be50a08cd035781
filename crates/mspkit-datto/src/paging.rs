//! Walking a Datto RMM list: the first request carries the filters and the
//! page size, and every later page is the `pageDetails.nextPageUrl` the
//! server handed back, followed verbatim until it is `null`.

use std::sync::Arc;

use mspkit_core::ItemStream;
use mspkit_core::http::{ApiRequest, Http, Response};
use mspkit_core::paging::{Page, Pager};
use mspkit_core::reqwest::Method;
use serde_json::Value;

use crate::api::Listing;

/// Streams every item of the list `first` starts, mapping each with `map`
/// (which gets the item's original JSON when `keep_raw` is on).
pub(crate) fn walk<L, T, F>(
    pager: Pager<T>,
    http: &Http,
    operation: &'static str,
    first: ApiRequest,
    keep_raw: bool,
    map: F,
) -> ItemStream<'static, T>
where
    L: Listing,
    T: Send + 'static,
    F: Fn(L::Item, Option<Value>) -> T + Send + Sync + 'static,
{
    let http = http.clone();
    let map = Arc::new(map);
    // The cursor is the absolute URL of the page, the first one included, so
    // the pager's repeated-cursor check also catches a link back to page one.
    pager.stream(first.url().to_string(), move |url: String| {
        let (http, map) = (http.clone(), map.clone());
        async move {
            let resp = http
                .request_url(Method::GET, operation, &url)?
                .send()
                .await?;
            let page: L = resp.json()?;
            let mut raws = if keep_raw {
                raw_items(&resp, L::KEY)
            } else {
                Vec::new()
            }
            .into_iter();
            let (details, items) = page.into_parts();
            let details = details.unwrap_or_default();
            let empty = items.is_empty();
            let items: Vec<T> = items
                .into_iter()
                .map(|item| map(item, raws.next()))
                .collect();
            // An empty page ends the walk whatever link it carries: following
            // links past the end could go on forever; the total check still
            // reports a list that ended short.
            let next = details
                .next_page_url
                .filter(|u| !u.trim().is_empty() && !empty);
            let page = Page::new(items, next);
            Ok(match details.total_count {
                Some(total) => page.with_total(total),
                None => page,
            })
        }
    })
}

/// Each item's original JSON, in order (the body already decoded once, so
/// this cannot fail in a way the typed decode did not report).
pub(crate) fn raw_items(resp: &Response, key: &str) -> Vec<Value> {
    match serde_json::from_slice::<Value>(resp.body()) {
        Ok(Value::Object(mut o)) => match o.remove(key) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The item's original JSON of a single read, when `keep_raw` is on.
pub(crate) fn raw_body(resp: &Response, keep_raw: bool) -> Option<Value> {
    keep_raw
        .then(|| serde_json::from_slice::<Value>(resp.body()).ok())
        .flatten()
}

/// A page-size parameter, when the query asks for one.
pub(crate) fn max_param(page_size: Option<u32>) -> Option<String> {
    page_size.map(|n| n.max(1).to_string())
}
