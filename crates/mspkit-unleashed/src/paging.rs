//! Unleashed's lists and the query strings they are signed over.
//!
//! A paged list names its page in the path (`/Customers/2`, not signed) and
//! its size in the query (`?pageSize=1000`, signed); each page carries a
//! `Pagination` object whose `NumberOfPages` ends the walk and whose
//! `NumberOfItems` the stream checks at the end. Every query string is built
//! here, once, and sent as built, so the signed string is the sent one.

use std::sync::Arc;

use mspkit_core::http::{ApiRequest, Http, Response, decode_json, decode_value};
use mspkit_core::paging::{Page, Pager};
use mspkit_core::{Error, ItemStream, Provider, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::{Envelope, Pagination};

const P: Provider = Provider::Unleashed;

/// The page size asked for when the query names none: Unleashed's maximum.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// A query string as Unleashed signs it: the pairs in the order given,
/// `key=value` joined by `&`, every byte but `A-Z a-z 0-9 - . _ ~`
/// percent-encoded (a space is `%20`, never `+`).
///
/// ```
/// use mspkit_unleashed::query_string;
/// assert_eq!(
///     query_string(&[("pageSize", "2"), ("customerName", "Acme Ltd")]),
///     "pageSize=2&customerName=Acme%20Ltd"
/// );
/// assert_eq!(query_string(&[]), "");
/// ```
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, k);
        out.push('=');
        encode_into(&mut out, v);
    }
    out
}

fn encode_into(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// A request whose query string is `pairs`, built once and sent unchanged.
pub(crate) fn signed_request(
    http: &Http,
    method: mspkit_core::reqwest::Method,
    operation: &'static str,
    path: &str,
    pairs: &[(&str, &str)],
) -> ApiRequest {
    http.request(method, operation, path)
        .raw_query(&query_string(pairs))
}

/// One paged endpoint, and the filters every page repeats.
#[derive(Clone)]
pub(crate) struct ListRequest {
    pub http: Http,
    pub operation: &'static str,
    pub path: String,
    pub filters: Vec<(&'static str, String)>,
    pub page_size: u32,
    pub keep_raw: bool,
}

impl ListRequest {
    pub(crate) fn new(
        http: &Http,
        operation: &'static str,
        path: impl Into<String>,
        page_size: Option<u32>,
        keep_raw: bool,
    ) -> Self {
        ListRequest {
            http: http.clone(),
            operation,
            path: path.into(),
            filters: Vec::new(),
            page_size: page_size.unwrap_or(MAX_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE),
            keep_raw,
        }
    }

    pub(crate) fn filter(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.filters.push((key, value.into()));
        self
    }

    /// `GET /{path}/{page}?{filters and pageSize, by name}`.
    fn page_request(&self, page: u64) -> ApiRequest {
        let size = self.page_size.to_string();
        let mut pairs: Vec<(&str, &str)> = self
            .filters
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain([("pageSize", size.as_str())])
            .collect();
        // One order for every page, so the same filters sign the same way.
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        signed_request(
            &self.http,
            mspkit_core::reqwest::Method::GET,
            self.operation,
            &format!("{}/{page}", self.path),
            &pairs,
        )
    }

    /// One page: its items (each with its original JSON when `keep_raw`) and
    /// the page after it, checked against the page that was asked for.
    pub(crate) async fn fetch<A: DeserializeOwned>(&self, page: u64) -> Result<ListPage<A>> {
        let resp = self.page_request(page).send().await?;
        let (items, pagination) = decode_list::<A>(&resp, self.operation, self.keep_raw)?;
        let pagination = pagination.unwrap_or_default();
        if let Some(served) = pagination.page_number.filter(|n| *n != page) {
            return Err(Error::paging(
                P,
                self.operation,
                format!("asked for page {page}, the server sent page {served}"),
            ));
        }
        let next = match pagination.number_of_pages {
            _ if items.is_empty() => None,
            Some(pages) if page < pages => Some(page + 1),
            _ => None,
        };
        Ok(ListPage {
            items,
            next,
            total: pagination.number_of_items,
        })
    }
}

/// Items, each with its original JSON when raw passthrough is on.
pub(crate) type WithRaw<A> = Vec<(A, Option<Value>)>;

/// One page of a list, decoded.
pub(crate) struct ListPage<A> {
    pub items: WithRaw<A>,
    pub next: Option<u64>,
    pub total: Option<u64>,
}

/// Walks a paged list from page 1, mapping each item.
pub(crate) fn paged<A, T, F>(list: ListRequest, pager: Pager<T>, map: F) -> ItemStream<'static, T>
where
    A: DeserializeOwned + Send + 'static,
    T: Send + 'static,
    F: Fn(A, Option<Value>) -> T + Send + Sync + 'static,
{
    let list = Arc::new(list);
    let map = Arc::new(map);
    pager.stream(1u64, move |page| {
        let (list, map) = (list.clone(), map.clone());
        async move {
            let fetched = list.fetch::<A>(page).await?;
            let items = fetched
                .items
                .into_iter()
                .map(|(a, raw)| map(a, raw))
                .collect();
            let out = Page::new(items, fetched.next);
            Ok(match fetched.total {
                Some(total) => out.with_total(total),
                None => out,
            })
        }
    })
}

/// Decodes a list body: an `{"Pagination", "Items"}` envelope or a bare
/// array. A bad value is a `Decode` error naming `Items[i].Field`.
pub(crate) fn decode_list<A: DeserializeOwned>(
    resp: &Response,
    operation: &'static str,
    keep_raw: bool,
) -> Result<(WithRaw<A>, Option<Pagination>)> {
    let body = resp.body();
    let op = operation;
    let bare = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let (items, pagination) = if bare {
        (resp.json::<Vec<A>>()?, None)
    } else {
        let e: Envelope<A> = resp.json()?;
        (e.items, e.pagination)
    };
    if !keep_raw {
        return Ok((items.into_iter().map(|a| (a, None)).collect(), pagination));
    }
    let raws: Vec<Value> = if bare {
        decode_json(P, op, body)?
    } else {
        decode_json::<Envelope<Value>>(P, op, body)?.items
    };
    Ok((
        items.into_iter().zip(raws.into_iter().map(Some)).collect(),
        pagination,
    ))
}

/// Decodes a single read: the object itself or an envelope holding it
/// (`None` when the envelope is empty), with its original JSON.
pub(crate) fn decode_one<A: DeserializeOwned>(
    resp: &Response,
    operation: &'static str,
) -> Result<Option<(A, Value)>> {
    let value: Value = resp.json()?;
    let item = match value {
        Value::Object(mut o) if o.contains_key("Items") => {
            let items = o.remove("Items").unwrap_or(Value::Null);
            let mut items: Vec<Value> = decode_value(P, operation, items)?;
            if items.is_empty() {
                return Ok(None);
            }
            items.swap_remove(0)
        }
        other => other,
    };
    let decoded: A = decode_value(P, operation, item.clone())?;
    Ok(Some((decoded, item)))
}
