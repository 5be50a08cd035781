//! NinjaOne's keyset paging (`pageSize` + `after` = the last id of the
//! previous page) and its unpaged lists, on core's [`Pager`].
//!
//! A keyset list has no total and no next link, and a server may serve fewer
//! items than `pageSize` asked for (its maximum is not published), so a short
//! page does not prove the end: the walk ends on an empty page. Every id on a
//! page must lie beyond the `after` that asked for it; otherwise the server
//! is not advancing and the walk fails instead of looping or repeating items.

use std::sync::Arc;

use mspkit_core::http::Http;
use mspkit_core::paging::{Page, Pager};
use mspkit_core::{Error, ItemStream};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::Keyed;

/// The page size asked for when the query names none.
pub(crate) const DEFAULT_PAGE_SIZE: u32 = 1000;

/// One list endpoint: where it is and the filters every page repeats.
pub(crate) struct ListRequest {
    pub http: Http,
    pub operation: &'static str,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub keep_raw: bool,
}

impl ListRequest {
    pub(crate) fn new(http: &Http, operation: &'static str, path: impl Into<String>) -> Self {
        ListRequest {
            http: http.clone(),
            operation,
            path: path.into(),
            query: Vec::new(),
            keep_raw: false,
        }
    }

    pub(crate) fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }

    pub(crate) fn keep_raw(mut self, yes: bool) -> Self {
        self.keep_raw = yes;
        self
    }
}

/// Walks a keyset-paged list, mapping each item with `map` (`None` drops it:
/// the client-side part of a filter).
pub(crate) fn keyset<A, T, F>(
    list: ListRequest,
    page_size: Option<u32>,
    pager: Pager<T>,
    map: F,
) -> ItemStream<'static, T>
where
    A: DeserializeOwned + Keyed + Send + 'static,
    T: Send + 'static,
    F: Fn(A, Option<Value>) -> Option<T> + Send + Sync + 'static,
{
    let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE).max(1).to_string();
    let list = Arc::new(list);
    let map = Arc::new(map);
    pager.stream(None::<i64>, move |after| {
        let (list, map, page_size) = (list.clone(), map.clone(), page_size.clone());
        async move {
            let mut req = list
                .http
                .get(list.operation, &list.path)
                .query(&[("pageSize", page_size.as_str())]);
            if let Some(after) = after {
                req = req.query(&[("after", after.to_string())]);
            }
            let resp = req.query(&list.query).send().await?;
            let items: Vec<(A, Option<Value>)> = resp.json_items(list.keep_raw)?;
            let Some(last) = items.iter().map(|(a, _)| a.key()).max() else {
                return Ok(Page::last(Vec::new()));
            };
            if let Some(after) = after {
                let lowest = items.iter().map(|(a, _)| a.key()).min().unwrap_or(last);
                if lowest <= after {
                    return Err(Error::paging(
                        mspkit_core::Provider::NinjaOne,
                        list.operation,
                        format!(
                            "asked for ids after {after}, the server sent id {lowest}: \
                             `after` is not advancing"
                        ),
                    ));
                }
            }
            let mapped = items
                .into_iter()
                .filter_map(|(a, raw)| map(a, raw))
                .collect();
            Ok(Page::new(mapped, Some(Some(last))))
        }
    })
}

/// Fetches an unpaged list (a bare array) in one request.
pub(crate) fn single<A, T, F>(list: ListRequest, pager: Pager<T>, map: F) -> ItemStream<'static, T>
where
    A: DeserializeOwned + Send + 'static,
    T: Send + 'static,
    F: Fn(A, Option<Value>) -> Option<T> + Send + Sync + 'static,
{
    let list = Arc::new(list);
    let map = Arc::new(map);
    pager.stream((), move |()| {
        let (list, map) = (list.clone(), map.clone());
        async move {
            let resp = list
                .http
                .get(list.operation, &list.path)
                .query(&list.query)
                .send()
                .await?;
            let items: Vec<(A, Option<Value>)> = resp.json_items(list.keep_raw)?;
            Ok(Page::last(
                items
                    .into_iter()
                    .filter_map(|(a, raw)| map(a, raw))
                    .collect(),
            ))
        }
    })
}
