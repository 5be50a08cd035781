//! The provider kit's list walk: a provider describes a list (a
//! [`ListRequest`]) and picks its [`Paging`] scheme; the kit sends every
//! page, decodes the items, keeps their raw JSON when asked, and applies the
//! guards that keep a list from ending silently.
//!
//! ```
//! use mspkit_core::list::{ListRequest, Paging};
//! use mspkit_core::{Company, ItemStream, Provider};
//! use mspkit_core::http::Http;
//!
//! #[derive(serde::Deserialize)]
//! struct Client {
//!     id: u64,
//!     name: String,
//! }
//!
//! fn companies(http: &Http) -> ItemStream<'static, Company> {
//!     ListRequest::get("companies", "Client")
//!         .items_at("clients")
//!         .query("includeinactive", "true")
//!         .walk(http, Paging::page_number("page_no", 1).size_param("page_size"))
//!         .map(|c: Client, raw| {
//!             let mut company = Company::new(Provider::Halo, c.id, c.name);
//!             company.raw = raw;
//!             company
//!         })
//! }
//! ```
//!
//! What every walk guarantees, whatever the scheme:
//! - every page request keeps the list's filters, method and body;
//! - a body without the list is a `Decode` error, never an empty page;
//! - a cursor the server hands back twice, a page of items already
//!   received, or [`MAX_EMPTY_PAGES`](crate::paging::MAX_EMPTY_PAGES) empty
//!   pages in a row that still point onwards end the walk with
//!   `Error::Paging`; an item received twice is yielded once;
//! - a total the server reported is checked at the end;
//! - a next-page URL on another host is refused, never followed with credentials.

mod body;
mod scheme;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, LINK};
use serde::de::DeserializeOwned;
use serde_json::Value;

use self::body::Shape;
use self::scheme::{Cursor, PageFacts};
pub use self::scheme::{Paging, Total};
use crate::client::ItemStream;
use crate::error::{ErrorKind, Result};
use crate::http::{ApiRequest, Http, Response};
use crate::model::Keyed;
use crate::paging::{AbortOnDrop, EarlyPage, Page, Pager};

/// One decoded item of a list, with the platform's original JSON when the
/// client keeps it (`keep_raw`).
#[derive(Debug, Clone, PartialEq)]
pub struct Item<A> {
    /// The item in the provider's own shape.
    pub value: A,
    /// The original JSON object, when asked for.
    pub raw: Option<Value>,
}

impl<A> Item<A> {
    /// An item without its raw JSON.
    pub fn new(value: A) -> Self {
        Item { value, raw: None }
    }
}

/// What a provider's page check says of a page ([`ListRequest::check_page`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageVerdict {
    /// An ordinary page: read its list.
    List,
    /// The list has ended here (a page past the end answered as a failure).
    End,
}

/// A provider's reading of a whole page before its list is read.
pub type PageCheck = Arc<dyn Fn(&Value) -> Result<PageVerdict> + Send + Sync>;

/// Where a page holds its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsAt {
    /// The body is the list (`[...]`).
    Root,
    /// The list is the top-level field of this name (`{"tickets": [...]}`).
    Key(&'static str),
}

/// One list endpoint: what to send for its first page, and what every later
/// page keeps (filters, method, body, headers).
#[derive(Clone)]
pub struct ListRequest {
    operation: &'static str,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
    headers: HeaderMap,
    items: ItemsAt,
    page_size: Option<u32>,
    limit: Option<usize>,
    keep_raw: bool,
    check: Option<PageCheck>,
    keep_on_links: Vec<&'static str>,
    target: Option<String>,
}

impl std::fmt::Debug for ListRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("items", &self.items)
            .field("page_size", &self.page_size)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl ListRequest {
    /// A `GET` of `path` (relative to the API root) for `operation`.
    pub fn get(operation: &'static str, path: impl Into<String>) -> Self {
        ListRequest {
            operation,
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            items: ItemsAt::Root,
            page_size: None,
            limit: None,
            keep_raw: false,
            check: None,
            keep_on_links: Vec::new(),
            target: None,
        }
    }

    /// A `POST` query with a JSON `body` that only reads: it is sent again
    /// with every page and retried like a `GET`.
    pub fn post_query(operation: &'static str, path: impl Into<String>, body: Value) -> Self {
        Self::query_with(Method::POST, operation, path, body)
    }

    /// A read sent with another method and a JSON filter `body` (Tactical
    /// RMM lists alerts with `PATCH`): sent again with every page and
    /// retried like a `GET`.
    pub fn query_with(
        method: Method,
        operation: &'static str,
        path: impl Into<String>,
        body: Value,
    ) -> Self {
        let mut list = Self::get(operation, path);
        list.method = method;
        list.body = Some(body);
        list
    }

    /// The operation, as errors name it.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The list is the field `key` of each page (the body itself by default).
    pub fn items_at(mut self, key: &'static str) -> Self {
        self.items = ItemsAt::Key(key);
        self
    }

    /// Adds a query parameter, kept on every page.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Adds a query parameter when it has a value.
    pub fn query_opt(self, key: impl Into<String>, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Adds a request header, kept on every page.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// The page size the caller asked for (capped at the platform's maximum).
    pub fn page_size(mut self, n: Option<u32>) -> Self {
        self.page_size = n;
        self
    }

    /// Stops after `n` items (after any client-side filter).
    pub fn limit(mut self, n: Option<usize>) -> Self {
        self.limit = n;
        self
    }

    /// Keeps each item's original JSON.
    pub fn keep_raw(mut self, yes: bool) -> Self {
        self.keep_raw = yes;
        self
    }

    /// Names what the list belongs to in its errors (`ticket_notes 42: not
    /// found`), as [`ApiRequest::target`] does for a single request.
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// Adds these of the list's query parameters to a next-page URL the
    /// server handed back when it leaves them out (Zendesk's export cursors
    /// drop `include`).
    pub fn keep_on_links(mut self, names: &[&'static str]) -> Self {
        self.keep_on_links = names.to_vec();
        self
    }

    /// Reads every page whole before its list, for a platform that answers
    /// failures with HTTP 200 (`success: false` and a message): `check`
    /// returns the platform's error, says the list has ended there (a page
    /// past the end answered as "no resource"), or lets the list be read.
    /// An error it returns ends the walk; the page's body is never taken for
    /// an empty list.
    pub fn check_page(
        mut self,
        check: impl Fn(&Value) -> Result<PageVerdict> + Send + Sync + 'static,
    ) -> Self {
        self.check = Some(Arc::new(check));
        self
    }

    /// Starts a walk of this list through `http`, paged by `paging`; finish
    /// it with one of [`Walk`]'s `map` methods.
    pub fn walk<T: Keyed + Send + 'static>(self, http: &Http, paging: Paging) -> Walk<T> {
        let pager = Pager::new(http.provider(), self.operation)
            .limit(self.limit)
            .dedupe();
        Walk {
            http: http.clone(),
            list: self,
            paging,
            pager,
        }
    }

    /// The request for the page at `cursor`.
    fn request(
        &self,
        http: &Http,
        paging: &Paging,
        cursor: &Cursor,
        size: u32,
    ) -> Result<ApiRequest> {
        let size_text = size.to_string();
        let mut req = match cursor {
            Cursor::Url(url) if paging.rebase_links => {
                let link = url::Url::parse(url).or_else(|_| http.base_url().join(url));
                let local = match link {
                    Ok(u) => format!(
                        "{}{}",
                        u.path(),
                        u.query().map(|q| format!("?{q}")).unwrap_or_default()
                    ),
                    Err(_) => url.clone(),
                };
                http.request_url(self.method.clone(), self.operation, &local)?
            }
            Cursor::Url(url) => {
                let mut req = http.request_url(self.method.clone(), self.operation, url)?;
                let present: Vec<String> = req
                    .url()
                    .query_pairs()
                    .map(|(k, _)| k.into_owned())
                    .collect();
                let missing: Vec<(String, String)> = self
                    .query
                    .iter()
                    .filter(|(k, _)| {
                        self.keep_on_links.contains(&k.as_str()) && !present.contains(k)
                    })
                    .cloned()
                    .collect();
                req = req.query(&missing);
                req
            }
            _ => {
                let path = match (&paging.scheme, cursor) {
                    (scheme::Scheme::PathPage { first }, Cursor::First) => {
                        format!("{}/{first}", self.path.trim_end_matches('/'))
                    }
                    (scheme::Scheme::PathPage { .. }, Cursor::Page { at, .. }) => {
                        format!("{}/{at}", self.path.trim_end_matches('/'))
                    }
                    _ => self.path.clone(),
                };
                let mut req = http
                    .request(self.method.clone(), self.operation, &path)
                    .query(&self.query);
                let page_size = match cursor {
                    Cursor::Page { size, .. } => size.to_string(),
                    _ => size_text,
                };
                if let Some(name) = paging.size_param {
                    req = req.query(&[(name, page_size.as_str())]);
                }
                match (&paging.scheme, cursor) {
                    (scheme::Scheme::PageNumber { param, first }, Cursor::First) => {
                        req = req.query(&[(*param, first.to_string())]);
                    }
                    (scheme::Scheme::Offset { param }, Cursor::First) => {
                        req = req.query(&[(*param, "0")]);
                    }
                    (
                        scheme::Scheme::PageNumber { param, .. } | scheme::Scheme::Offset { param },
                        Cursor::Page { at, .. },
                    )
                    | (
                        scheme::Scheme::LinkHeader {
                            fallback_page: Some(param),
                        },
                        Cursor::Page { at, .. },
                    ) => {
                        req = req.query(&[(*param, at.to_string())]);
                    }
                    (scheme::Scheme::Keyset { param, .. }, Cursor::After(key)) => {
                        req = req.query(&[(*param, key.as_str())]);
                    }
                    _ => {}
                }
                req
            }
        };
        for (name, value) in &self.headers {
            req = req.header(name.clone(), value.clone());
        }
        if let Some(target) = &self.target {
            req = req.target(target.clone());
        }
        if let Some(body) = &self.body {
            req = req.json(body).idempotent(true);
        }
        Ok(req)
    }
}

/// A list walk being set up: add a client-side filter, then map the items.
pub struct Walk<T> {
    http: Http,
    list: ListRequest,
    paging: Paging,
    pager: Pager<T>,
}

impl<T: Keyed + Send + 'static> Walk<T> {
    /// Keeps only the items that pass `keep`: the part of a filter the
    /// platform cannot apply (documented per operation).
    pub fn filter(mut self, keep: impl Fn(&T) -> bool + Send + Sync + 'static) -> Self {
        self.pager = self.pager.filter(keep);
        self
    }

    /// Maps each item (and its raw JSON) into `T`.
    pub fn map<A>(
        self,
        f: impl Fn(A, Option<Value>) -> T + Send + Sync + 'static,
    ) -> ItemStream<'static, T>
    where
        A: DeserializeOwned + Send + 'static,
    {
        self.try_map(move |a, raw| Ok(f(a, raw)))
    }

    /// Maps each item into `T`, or fails the walk.
    pub fn try_map<A>(
        self,
        f: impl Fn(A, Option<Value>) -> Result<T> + Send + Sync + 'static,
    ) -> ItemStream<'static, T>
    where
        A: DeserializeOwned + Send + 'static,
    {
        let f = Arc::new(f);
        self.map_pages(move |items: Vec<Item<A>>| {
            let f = f.clone();
            std::future::ready(
                items
                    .into_iter()
                    .map(|item| f(item.value, item.raw))
                    .collect::<Result<Vec<T>>>(),
            )
        })
    }

    /// Maps a whole page at a time, for mappings that need a look-up first
    /// (a status table fetched once and cached).
    pub fn map_pages<A, F, Fut>(self, f: F) -> ItemStream<'static, T>
    where
        A: DeserializeOwned + Send + 'static,
        F: Fn(Vec<Item<A>>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<T>>> + Send + 'static,
    {
        self.map_pages_with(move |items: Vec<Item<A>>, _page: Value| f(items))
    }

    /// Like [`map_pages`](Self::map_pages), with the page's other top-level
    /// fields as well (`Value::Null` for a bare list): the records a
    /// platform side-loads next to the list (Zendesk's `users`).
    pub fn map_pages_with<A, F, Fut>(self, f: F) -> ItemStream<'static, T>
    where
        A: DeserializeOwned + Send + 'static,
        F: Fn(Vec<Item<A>>, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<T>>> + Send + 'static,
    {
        let Walk {
            http,
            list,
            paging,
            pager,
        } = self;
        let size = match list.limit {
            // A small limit needs no full page.
            Some(limit) => paging
                .size(list.page_size)
                .min(limit.clamp(1, u32::MAX as usize) as u32),
            None => paging.size(list.page_size),
        };
        let first = paging.first();
        let ctx = Arc::new(Ctx {
            http,
            list,
            paging,
            size,
        });
        let ahead = Arc::new(Ahead::default());
        let f = Arc::new(f);
        pager.stream_early(first, move |cursor: Cursor| {
            let (ctx, ahead, f) = (ctx.clone(), ahead.clone(), f.clone());
            async move {
                let got = match ahead.take(&ctx, &cursor) {
                    Some(sent) => Got::Whole(sent.await?),
                    None => ctx.send(&cursor).await?,
                };
                // A `Link` names the next page before the body is read: the
                // pager sends for it while this page decodes.
                let link = match &got {
                    Got::Head(pair) => next_link(pair.0.headers()),
                    Got::Whole(_) => None,
                };
                let early = link.clone().map(Cursor::Url);
                let rest = async move {
                    let (http, list, paging) = (&ctx.http, &ctx.list, &ctx.paging);
                    let resp = match got {
                        Got::Whole(resp) => resp,
                        Got::Head(pair) => match pair.0.read().await {
                            Ok(resp) => resp,
                            // A body cut short is asked for again, with the
                            // transport's retries, as any other read would be.
                            Err(e) if e.kind() == ErrorKind::Transport => pair.1.send().await?,
                            Err(e) => return Err(e),
                        },
                    };
                    let shape = Shape {
                        provider: http.provider(),
                        operation: list.operation,
                        items: &list.items,
                        keep_raw: list.keep_raw,
                        key_field: paging.key_field(),
                        check: list.check.as_ref(),
                    };
                    let page = shape.decode::<A>(resp.body()).map_err(|e| resp.redact(e))?;
                    let facts = PageFacts {
                        count: page.items.len() as u64,
                        total: total_of(paging, &page.meta, http, list.operation)?,
                        next_url: match link {
                            Some(link) => Some(link),
                            None => next_url_of(paging, &page.meta, http, list.operation)?,
                        },
                        keys: page.keys,
                    };
                    let next = if page.end {
                        None
                    } else {
                        paging.next(http.provider(), list.operation, &cursor, ctx.size, &facts)?
                    };
                    if let Some(next) = &next {
                        // The end is known: the pages after the next one can
                        // be on their way while this one is mapped and yielded.
                        // The next page counts among those in flight, sent
                        // ahead already or about to be sent by the pager.
                        let most = http.page_concurrency();
                        let after = paging.ahead(next, facts.total, most.saturating_sub(1));
                        ahead.send(&ctx, next, after, most);
                    }
                    let items = f(page.items, page.meta).await?;
                    let mut out = Page::new(items, next);
                    if let (Some(Total::Items(_)), Some(total)) = (paging.total, facts.total) {
                        out = out.with_total(total);
                    }
                    Ok(out)
                };
                Ok(EarlyPage {
                    next: early,
                    rest: Box::pin(rest),
                })
            }
        })
    }
}

/// What every page request of one walk shares.
struct Ctx {
    http: Http,
    list: ListRequest,
    paging: Paging,
    size: u32,
}

impl Ctx {
    /// Sends for the page at `cursor`: whole, or for a `Link` list only its
    /// headers (with the request kept, to ask again for a body cut short).
    async fn send(&self, cursor: &Cursor) -> Result<Got> {
        let req = self
            .list
            .request(&self.http, &self.paging, cursor, self.size)?;
        if matches!(self.paging.scheme, scheme::Scheme::LinkHeader { .. }) {
            Ok(Got::Head(Box::new((req.clone().send_head().await?, req))))
        } else {
            Ok(Got::Whole(req.send().await?))
        }
    }
}

/// Page requests sent ahead of the walk, by cursor; dropping the walk
/// aborts them.
#[derive(Default)]
struct Ahead(std::sync::Mutex<HashMap<Cursor, AbortOnDrop<Result<Response>>>>);

impl Ahead {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Cursor, AbortOnDrop<Result<Response>>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The request already sent for `cursor`, if any.
    fn take(
        &self,
        ctx: &Ctx,
        cursor: &Cursor,
    ) -> Option<impl Future<Output = Result<Response>> + use<>> {
        let task = self.lock().remove(cursor)?;
        let (provider, operation) = (ctx.http.provider(), ctx.list.operation);
        Some(async move {
            let mut task = task;
            match (&mut task.0).await {
                Ok(result) => result,
                Err(join) => Err(crate::Error::paging(
                    provider,
                    operation,
                    format!("a page request task failed: {join}"),
                )),
            }
        })
    }

    /// Sends for `cursors` not sent yet, keeping at most `most` requests in
    /// flight, `next` (the page the walk asks for next, sent ahead or not)
    /// among them.
    fn send(&self, ctx: &Arc<Ctx>, next: &Cursor, cursors: Vec<Cursor>, most: usize) {
        let mut pending = self.lock();
        for cursor in cursors {
            let in_flight = pending.len() + usize::from(!pending.contains_key(next));
            if in_flight >= most {
                break;
            }
            if pending.contains_key(&cursor) {
                continue;
            }
            let ctx = ctx.clone();
            let at = cursor.clone();
            let task = tokio::spawn(async move {
                let req = ctx.list.request(&ctx.http, &ctx.paging, &at, ctx.size)?;
                req.send().await
            });
            pending.insert(cursor, AbortOnDrop(task));
        }
    }
}

/// A page as it came back: whole, or (for `Link` lists) only its headers so
/// far, with the request to send again should its body be cut short.
enum Got {
    Whole(crate::http::Response),
    Head(Box<(crate::http::ResponseHead, ApiRequest)>),
}

/// The total a page reported, when the scheme reads one. A total that is
/// present but not a count is a `Decode` error.
fn total_of(paging: &Paging, meta: &Value, http: &Http, op: &'static str) -> Result<Option<u64>> {
    let pointer = match paging.total {
        Some(Total::Items(p) | Total::Pages(p)) => p,
        None => return Ok(None),
    };
    match meta.pointer(pointer) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().parse::<u64>().is_ok() => Ok(s.trim().parse().ok()),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            crate::Error::decode(
                http.provider(),
                op,
                pointer.trim_start_matches('/').replace('/', "."),
                "not a count",
                &v.to_string(),
            )
        }),
    }
}

/// The next URL at the scheme's pointer in the body, unless the body's own
/// flags say the list has ended. A flag that is missing or not a boolean is
/// a `Decode` error, and one that says more follow with no URL a `Paging`
/// error: neither is taken for the end.
fn next_url_of(
    paging: &Paging,
    meta: &Value,
    http: &Http,
    op: &'static str,
) -> Result<Option<String>> {
    let scheme::Scheme::NextUrl {
        pointer,
        while_true,
        until_true,
    } = paging.scheme
    else {
        return Ok(None);
    };
    let flag = |p: &str| -> Result<bool> {
        meta.pointer(p).and_then(Value::as_bool).ok_or_else(|| {
            crate::Error::decode(
                http.provider(),
                op,
                p.trim_start_matches('/').replace('/', "."),
                "the paging flag is missing or not true/false",
                &meta.pointer(p).map(Value::to_string).unwrap_or_default(),
            )
        })
    };
    let goes_on = match (while_true, until_true) {
        (Some(p), _) if !flag(p)? => return Ok(None),
        (_, Some(p)) if flag(p)? => return Ok(None),
        (None, None) => false,
        _ => true,
    };
    let url = match meta.pointer(pointer) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    };
    if goes_on && url.is_none() {
        return Err(crate::Error::paging(
            http.provider(),
            op,
            format!("the page says more follow, but `{pointer}` names no next page"),
        ));
    }
    Ok(url)
}

/// The `rel="next"` target of the `Link` headers, if any.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|part| {
            let mut pieces = part.split(';');
            let target = pieces.next()?.trim();
            let is_next = pieces.any(|p| {
                let p = p.trim().replace(' ', "");
                p.eq_ignore_ascii_case("rel=\"next\"") || p.eq_ignore_ascii_case("rel=next")
            });
            let url = target.strip_prefix('<')?.strip_suffix('>')?;
            (is_next && !url.is_empty()).then(|| url.to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            LINK,
            HeaderValue::from_static(
                "<https://x/a?page=1>; rel=\"first\", <https://x/a?page=3>; rel=\"next\"",
            ),
        );
        assert_eq!(next_link(&h).as_deref(), Some("https://x/a?page=3"));
        let mut none = HeaderMap::new();
        none.append(
            LINK,
            HeaderValue::from_static("<https://x/a?page=1>; rel=\"prev\""),
        );
        assert_eq!(next_link(&none), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
