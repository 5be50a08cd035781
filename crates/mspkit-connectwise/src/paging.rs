//! ConnectWise's paging on core's [`Pager`]: `pageSize` (at most 1000), a
//! bare JSON array per page, and the next page named only by the `Link`
//! response header.
//!
//! Lists that support it are walked forward-only (request header
//! `pagination-type: forward-only`; the `Link` header then holds the next
//! URL, keyed by the last id), the others by page number with `Link:
//! <...>; rel="next"`. Both are followed the same way: the next URL's path
//! and query, sent to the configured API host (so a link naming another
//! host, or the site host instead of its `api-` host, never gets the
//! credentials and never breaks the walk). A page that comes back full
//! without any `Link` header is not taken as the end: the walk goes on by
//! page number, so an endpoint that ignores forward-only paging is still
//! read to the end.

use std::future::Future;
use std::sync::Arc;

use mspkit_core::http::{ApiRequest, ResponseHead};
use mspkit_core::paging::{EarlyPage, Page, Pager};
use mspkit_core::reqwest::header::{HeaderMap, HeaderName, HeaderValue, LINK};
use mspkit_core::{Error, ItemStream, Provider, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::site::Site;

/// The largest page ConnectWise serves, and the size asked for by default.
pub const MAX_PAGE_SIZE: u32 = 1000;

const PAGINATION_TYPE: HeaderName = HeaderName::from_static("pagination-type");
const FORWARD_ONLY: HeaderValue = HeaderValue::from_static("forward-only");

/// One list endpoint: where it is and the filters every page keeps.
#[derive(Debug, Clone)]
pub(crate) struct List {
    pub op: &'static str,
    /// Relative to the API root (`service/tickets`).
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub page_size: u32,
    pub forward_only: bool,
    pub keep_raw: bool,
}

impl List {
    pub(crate) fn new(op: &'static str, path: impl Into<String>, page_size: Option<u32>) -> Self {
        List {
            op,
            path: path.into(),
            query: Vec::new(),
            page_size: page_size.unwrap_or(MAX_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE),
            forward_only: false,
            keep_raw: false,
        }
    }

    /// Adds `conditions` when there are any.
    pub(crate) fn conditions(mut self, conditions: Option<String>) -> Self {
        if let Some(c) = conditions {
            self.query.push(("conditions", c));
        }
        self
    }

    pub(crate) fn forward_only(mut self) -> Self {
        self.forward_only = true;
        self
    }

    pub(crate) fn keep_raw(mut self, yes: bool) -> Self {
        self.keep_raw = yes;
        self
    }
}

/// A decoded page: each item with its original JSON when `keep_raw` is on.
pub(crate) type Items<A> = Vec<(A, Option<Value>)>;

/// Maps a page item by item, for lists that need no look-ups.
pub(crate) fn each<A, T>(
    f: impl Fn(A, Option<Value>) -> T + Send + Sync + 'static,
) -> impl Fn(Items<A>) -> std::future::Ready<Result<Vec<T>>> + Send + Sync + 'static {
    move |items| std::future::ready(Ok(items.into_iter().map(|(a, raw)| f(a, raw)).collect()))
}

/// Where the next page is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Cursor {
    /// The first page (forward-only where the list supports it).
    Start,
    /// A page by number, without forward-only paging.
    Page(u32),
    /// The URL of a `Link` header, and whether it belongs to a forward-only walk.
    Link { url: String, forward_only: bool },
}

/// Walks `list`, handing each page (items paired with their original JSON
/// when `keep_raw` is on) to `map`.
pub(crate) fn walk<A, T, F, Fut>(
    site: Arc<Site>,
    list: List,
    pager: Pager<T>,
    map: F,
) -> ItemStream<'static, T>
where
    A: DeserializeOwned + Send + 'static,
    T: Send + 'static,
    F: Fn(Items<A>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<T>>> + Send + 'static,
{
    let list = Arc::new(list);
    let map = Arc::new(map);
    pager.stream_early(Cursor::Start, move |cursor| {
        let (site, list, map) = (site.clone(), list.clone(), map.clone());
        async move {
            let (head, forward_only) = send(&site, &list, &cursor).await?;
            // A `Link` header names the next page before the body is read:
            // the pager sends for it while this page decodes.
            let linked = link_header(head.headers())
                .map(|text| next_link(&text).map(|url| Cursor::Link { url, forward_only }));
            let early = linked.clone().flatten();
            let rest = async move {
                let resp = head.read().await?;
                let items = resp.json_items::<A>(list.keep_raw)?;
                let next = match linked {
                    Some(_) => None,
                    None => next_by_count(&cursor, items.len(), list.page_size),
                };
                Ok(Page::new(map(items).await?, next))
            };
            Ok(EarlyPage {
                next: early,
                rest: Box::pin(rest),
            })
        }
    })
}

async fn send(site: &Site, list: &List, cursor: &Cursor) -> Result<(ResponseHead, bool)> {
    let (req, forward_only) = match cursor {
        Cursor::Start | Cursor::Page(_) => {
            let path = site.path(list.op, &list.path).await?;
            let mut req = site
                .http
                .get(list.op, &path)
                .query(&[("pageSize", list.page_size.to_string())])
                .query(&list.query);
            if let Cursor::Page(n) = cursor {
                req = req.query(&[("page", n.to_string())]);
            }
            (req, *cursor == Cursor::Start && list.forward_only)
        }
        Cursor::Link { url, forward_only } => (follow(site, list.op, url).await?, *forward_only),
    };
    let req = if forward_only {
        req.header(PAGINATION_TYPE, FORWARD_ONLY)
    } else {
        req
    };
    Ok((req.send_head().await?, forward_only))
}

/// The request for a `Link` URL: its path and query on the configured host,
/// provided the path stays under the API root.
async fn follow(site: &Site, op: &'static str, link: &str) -> Result<ApiRequest> {
    let root = site.root(op).await?;
    let url = site.http.base_url().join(link).map_err(|e| {
        Error::paging(
            Provider::ConnectWise,
            op,
            format!("next-page link {link:?}: {e}"),
        )
    })?;
    let path = url.path().trim_start_matches('/');
    if !path.starts_with(root) {
        return Err(Error::paging(
            Provider::ConnectWise,
            op,
            format!(
                "next-page link {:?} is outside the API root /{root}",
                url.path()
            ),
        ));
    }
    let target = match url.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    Ok(site.http.get(op, &target))
}

/// The `Link` header's values joined, when the response has any.
fn link_header(headers: &HeaderMap) -> Option<String> {
    let mut values = headers.get_all(LINK).iter().peekable();
    values.peek()?;
    Some(
        values
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// With no `Link` header, a full page is not taken as the end: the walk goes
/// on by page number.
fn next_by_count(cursor: &Cursor, items: usize, page_size: u32) -> Option<Cursor> {
    if items < page_size as usize {
        return None;
    }
    match cursor {
        Cursor::Start => Some(Cursor::Page(2)),
        Cursor::Page(n) => Some(Cursor::Page(n + 1)),
        Cursor::Link { .. } => None,
    }
}

/// The next URL of a `Link` header: the target marked `rel="next"`, or the
/// only target when it carries no `rel` at all (forward-only paging).
pub(crate) fn next_link(header: &str) -> Option<String> {
    let mut links = Vec::new();
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let close = open + rest[open..].find('>')?;
        let target = rest[open + 1..close].trim();
        let after = &rest[close + 1..];
        let params = &after[..after.find('<').unwrap_or(after.len())];
        links.push((target, rel(params)));
        rest = after;
    }
    if let Some((target, _)) = links.iter().find(|(_, rel)| {
        rel.as_deref()
            .is_some_and(|r| r.split_whitespace().any(|r| r.eq_ignore_ascii_case("next")))
    }) {
        return Some((*target).to_owned());
    }
    match links.as_slice() {
        [(target, None)] if !target.is_empty() => Some((*target).to_owned()),
        _ => None,
    }
}

fn rel(params: &str) -> Option<String> {
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("rel").then(|| {
            v.trim()
                .trim_end_matches(',')
                .trim()
                .trim_matches('"')
                .to_owned()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn link_headers_name_the_next_page() {
        let nav = r#"<https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies?pageSize=1000&page=2>; rel="next", <https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies?pageSize=1000&page=9>; rel="last""#;
        assert_eq!(
            next_link(nav).as_deref(),
            Some(
                "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies?pageSize=1000&page=2"
            )
        );
        let last = r#"<https://h/x?page=1>; rel="first", <https://h/x?page=8>; rel="prev""#;
        assert_eq!(next_link(last), None);
        let forward = "<https://h/v4_6_release/apis/3.0/service/tickets?pageSize=1000&pageId=3204>";
        assert_eq!(
            next_link(forward).as_deref(),
            Some("https://h/v4_6_release/apis/3.0/service/tickets?pageSize=1000&pageId=3204")
        );
        assert_eq!(
            next_link("<https://h/x?pageId=5>; rel=next").as_deref(),
            Some("https://h/x?pageId=5")
        );
        assert_eq!(next_link(""), None);
        assert_eq!(next_link("<>"), None);
    }
}
