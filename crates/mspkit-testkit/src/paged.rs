//! [`Paged`]: a wiremock responder that serves a list page by page under
//! any of the schemes the client side walks (see `mspkit_core::list`):
//! page number, offset, `Link` header, next URL in the body, keyset
//! (`after` = the last key) and the page number as the last path segment.
//!
//! Each page is rendered by the caller's function, so every platform keeps
//! its own envelope; the [`PageView`] it gets says what is on the page,
//! the totals, and where the next page is. Knobs make the server hostile
//! the way real ones are: ignoring the page selector, serving empty pages
//! that point onward, or answering the first page without the list.

use std::sync::Arc;

use serde_json::{Value, json};
use url::Url;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::auth::header_value;
use crate::query::{field, query_param, query_u64, text_of};

/// How a request names its page.
#[derive(Debug, Clone)]
pub enum PageScheme {
    /// `?{page}=N&{size}=M`, pages counted from `first` (0 or 1).
    PageNumber {
        /// The page-number query parameter.
        page: String,
        /// The page-size query parameter.
        size: String,
        /// The number of the first page.
        first: u64,
    },
    /// `?{offset}=N&{size}=M`, offsets counted from 0.
    Offset {
        /// The offset query parameter.
        offset: String,
        /// The page-size query parameter.
        size: String,
    },
    /// Pages by number like [`PageNumber`](Self::PageNumber); the next page's
    /// URL goes in a `Link: <url>; rel="next"` header (added after the
    /// render function), none on the last page.
    LinkHeader {
        /// The page-number query parameter the link URLs carry.
        page: String,
        /// The page-size query parameter.
        size: String,
        /// The number of the first page.
        first: u64,
    },
    /// Pages by number like [`PageNumber`](Self::PageNumber); the render
    /// function puts [`PageView::next_url`] in the body where the platform
    /// does (`pageDetails.nextPageUrl`).
    NextUrl {
        /// The page-number query parameter the next URLs carry.
        page: String,
        /// The page-size query parameter.
        size: String,
        /// The number of the first page.
        first: u64,
    },
    /// Keyset paging: items sorted by `key`, `?{after}=K` serves the items
    /// whose key lies beyond K (numerically when both are integers).
    Keyset {
        /// The query parameter that carries the last key seen.
        after: String,
        /// The page-size query parameter.
        size: String,
        /// The item field (or JSON pointer) holding the key.
        key: String,
    },
    /// The page number is the last path segment (`/Customers/2`); a path
    /// without a number is page `first`.
    PathPage {
        /// The page-size query parameter.
        size: String,
        /// The number of the first page.
        first: u64,
    },
}

impl PageScheme {
    /// [`PageScheme::PageNumber`].
    pub fn page_number(page: &str, size: &str, first: u64) -> Self {
        PageScheme::PageNumber {
            page: page.into(),
            size: size.into(),
            first,
        }
    }

    /// [`PageScheme::Offset`].
    pub fn offset(offset: &str, size: &str) -> Self {
        PageScheme::Offset {
            offset: offset.into(),
            size: size.into(),
        }
    }

    /// [`PageScheme::LinkHeader`].
    pub fn link_header(page: &str, size: &str, first: u64) -> Self {
        PageScheme::LinkHeader {
            page: page.into(),
            size: size.into(),
            first,
        }
    }

    /// [`PageScheme::NextUrl`].
    pub fn next_url(page: &str, size: &str, first: u64) -> Self {
        PageScheme::NextUrl {
            page: page.into(),
            size: size.into(),
            first,
        }
    }

    /// [`PageScheme::Keyset`].
    pub fn keyset(after: &str, size: &str, key: &str) -> Self {
        PageScheme::Keyset {
            after: after.into(),
            size: size.into(),
            key: key.into(),
        }
    }

    /// [`PageScheme::PathPage`].
    pub fn path_page(size: &str, first: u64) -> Self {
        PageScheme::PathPage {
            size: size.into(),
            first,
        }
    }

    fn size_param(&self) -> &str {
        match self {
            PageScheme::PageNumber { size, .. }
            | PageScheme::Offset { size, .. }
            | PageScheme::LinkHeader { size, .. }
            | PageScheme::NextUrl { size, .. }
            | PageScheme::Keyset { size, .. }
            | PageScheme::PathPage { size, .. } => size,
        }
    }
}

/// What the render function gets for one page.
#[derive(Debug)]
#[non_exhaustive]
pub struct PageView<'a> {
    /// The items on this page.
    pub items: &'a [Value],
    /// The page number as the request named it (page schemes) or the
    /// offset; 0 for keyset lists.
    pub page: u64,
    /// The page size in force (the request's, capped at the maximum).
    pub page_size: u64,
    /// The number of items in the whole list (after the filter).
    pub total: u64,
    /// The number of pages.
    pub total_pages: u64,
    /// The next page number (or offset), when there is a next page; `None`
    /// for keyset lists (see [`next_key`](Self::next_key)).
    pub next: Option<u64>,
    /// The absolute URL of the next page, when there is one: this request's
    /// URL with the page (offset, key, path segment) moved on and the page
    /// size set.
    pub next_url: Option<String>,
    /// Keyset lists: the key the request asked to start after.
    pub after: Option<String>,
    /// Keyset lists: the key of the last item, when more items follow.
    pub next_key: Option<String>,
    /// The request being answered.
    pub request: &'a Request,
}

type Render = dyn Fn(&PageView<'_>) -> ResponseTemplate + Send + Sync;
type Filter = dyn Fn(&Request, &Value) -> bool + Send + Sync;

/// Serves `items` page by page, rendered by the provider's own function.
///
/// ```
/// use mspkit_testkit::{PageScheme, Paged};
/// use serde_json::json;
/// use wiremock::ResponseTemplate;
///
/// let items = (1..=7).map(|id| json!({"id": id})).collect();
/// // HaloPSA-like: `page_no` from 1, `page_size` at most 100, the total in the body.
/// let halo = Paged::new(items, PageScheme::page_number("page_no", "page_size", 1), |v| {
///     ResponseTemplate::new(200).set_body_json(json!({"record_count": v.total, "clients": v.items}))
/// })
/// .max_size(100)
/// .filter(|req, item| mspkit_testkit::param_matches(req, "client_id", item, "id"));
/// # let _ = halo;
/// ```
#[derive(Clone)]
pub struct Paged {
    items: Arc<Vec<Value>>,
    scheme: PageScheme,
    default_size: u64,
    max_size: u64,
    render: Arc<Render>,
    filter: Option<Arc<Filter>>,
    origin: Option<String>,
    unpaged_unless: Option<(String, String)>,
    ignore_selector: bool,
    empty_pages: bool,
    no_list_first: Option<String>,
    opaque_links: bool,
}

/// Where one request's page lies.
struct Spot {
    start: usize,
    page: u64,
    is_first: bool,
    after: Option<String>,
}

impl Paged {
    /// Serves `items` under `scheme`, each page rendered by `render`.
    pub fn new(
        items: Vec<Value>,
        scheme: PageScheme,
        render: impl Fn(&PageView<'_>) -> ResponseTemplate + Send + Sync + 'static,
    ) -> Self {
        Paged {
            items: Arc::new(items),
            scheme,
            default_size: 25,
            max_size: 1000,
            render: Arc::new(render),
            filter: None,
            origin: None,
            unpaged_unless: None,
            ignore_selector: false,
            empty_pages: false,
            no_list_first: None,
            opaque_links: false,
        }
    }

    /// The page size when the request names none (25 unless set).
    pub fn default_size(mut self, n: u64) -> Self {
        self.default_size = n.max(1);
        self
    }

    /// The largest page served whatever the request asks (1000 unless set).
    pub fn max_size(mut self, n: u64) -> Self {
        self.max_size = n.max(1);
        self
    }

    /// Serves only the items `keep` passes for the request (the list's
    /// filters); totals count what is kept.
    pub fn filter(
        mut self,
        keep: impl Fn(&Request, &Value) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.filter = Some(Arc::new(keep));
        self
    }

    /// The origin next-page URLs point at (`http://127.0.0.1:PORT`); by
    /// default the request's `Host`.
    pub fn origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// Pages only when query parameter `param` is `value`; otherwise the
    /// whole list is one page (HaloPSA's `pageinate=true`).
    pub fn unpaged_unless(mut self, param: impl Into<String>, value: impl Into<String>) -> Self {
        self.unpaged_unless = Some((param.into(), value.into()));
        self
    }

    /// Hostile: ignores the page selector and always serves the first page,
    /// still pointing at the second (a walk sees the same items again).
    pub fn ignore_page_selector(mut self) -> Self {
        self.ignore_selector = true;
        self
    }

    /// Hostile: every page is empty yet points onward (next number, offset
    /// or URL), for ever. (A keyset list cannot point past an empty page:
    /// its empty page is simply the end.)
    pub fn empty_pages(mut self) -> Self {
        self.empty_pages = true;
        self
    }

    /// Hostile: the first page answers `200 {"message": message}`, without
    /// the list; later pages are served as usual.
    pub fn first_page_without_list(mut self, message: impl Into<String>) -> Self {
        self.no_list_first = Some(message.into());
        self
    }

    /// For `Link` and next-URL schemes whose real links are opaque
    /// (Autotask's `paging=` token): the handed-out links carry a cursor
    /// that only this server makes, and a page asked for by anything else
    /// (a plain page number a client worked out itself) is answered 400.
    /// A client that guesses the next page instead of following the link
    /// fails against it.
    pub fn opaque_links(mut self) -> Self {
        self.opaque_links = true;
        self
    }

    /// The items this responder holds.
    pub fn items(&self) -> &[Value] {
        &self.items
    }

    /// Answers `request` from `items` (instead of the items given to
    /// [`new`](Self::new)): for fakes that route by hand and hold their
    /// lists in mutable state. The filter and knobs apply.
    pub fn serve(&self, request: &Request, items: &[Value]) -> ResponseTemplate {
        if let Err(made_up) = self.page_asked(request) {
            return ResponseTemplate::new(400).set_body_json(json!({
                "message": format!("the page cursor {made_up:?} was not handed out by this server")
            }));
        }
        let mut kept: Vec<&Value> = items
            .iter()
            .filter(|v| self.filter.as_ref().is_none_or(|f| f(request, v)))
            .collect();
        if let PageScheme::Keyset { key, .. } = &self.scheme {
            kept.sort_by(|a, b| compare_keys(&key_of(a, key), &key_of(b, key)));
        }
        let total = kept.len() as u64;
        let paged = self
            .unpaged_unless
            .as_ref()
            .is_none_or(|(p, v)| query_param(request, p).as_deref() == Some(v.as_str()));
        let size = if paged {
            query_u64(request, self.scheme.size_param())
                .unwrap_or(self.default_size)
                .clamp(1, self.max_size)
        } else {
            total.max(1)
        };
        let spot = if paged {
            self.spot(request, &kept, size)
        } else {
            Spot {
                start: 0,
                page: self.first_number(),
                is_first: true,
                after: None,
            }
        };
        if spot.is_first {
            if let Some(message) = &self.no_list_first {
                return ResponseTemplate::new(200).set_body_json(json!({ "message": message }));
            }
        }
        let from = spot.start.min(kept.len());
        let to = (spot.start as u64 + size).min(total) as usize;
        let (page_items, has_more): (Vec<Value>, bool) = if self.empty_pages && paged {
            (
                Vec::new(),
                !matches!(self.scheme, PageScheme::Keyset { .. }),
            )
        } else {
            (
                kept[from..to.max(from)]
                    .iter()
                    .map(|v| (*v).clone())
                    .collect(),
                (to as u64) < total,
            )
        };
        let (next, next_key) = match &self.scheme {
            PageScheme::Keyset { key, .. } => (
                None,
                has_more
                    .then(|| page_items.last().map(|v| key_of(v, key)))
                    .flatten(),
            ),
            PageScheme::Offset { .. } => (has_more.then_some(spot.start as u64 + size), None),
            _ => (has_more.then_some(spot.page + 1), None),
        };
        let next_url = match (&self.scheme, next, &next_key) {
            (PageScheme::Keyset { .. }, _, Some(k)) => Some(self.url_for(request, k, size)),
            (PageScheme::LinkHeader { .. } | PageScheme::NextUrl { .. }, Some(n), _)
                if self.opaque_links =>
            {
                Some(self.url_for(request, &cursor_of(n), size))
            }
            (_, Some(n), _) => Some(self.url_for(request, &n.to_string(), size)),
            _ => None,
        };
        let view = PageView {
            items: &page_items,
            page: spot.page,
            page_size: size,
            total,
            total_pages: total.div_ceil(size),
            next,
            next_url: next_url.clone(),
            after: spot.after,
            next_key,
            request,
        };
        let response = (self.render)(&view);
        match (&self.scheme, next_url) {
            (PageScheme::LinkHeader { .. }, Some(url)) => {
                response.insert_header("link", format!("<{url}>; rel=\"next\"").as_str())
            }
            _ => response,
        }
    }

    /// The page number a request asks for, for numbered schemes: `Ok(None)`
    /// without a selector; with opaque links, `Err(text)` for a selector
    /// this server did not hand out.
    fn page_asked(&self, request: &Request) -> Result<Option<u64>, String> {
        let page = match &self.scheme {
            PageScheme::PageNumber { page, .. }
            | PageScheme::LinkHeader { page, .. }
            | PageScheme::NextUrl { page, .. } => page,
            _ => return Ok(None),
        };
        let opaque = self.opaque_links
            && matches!(
                self.scheme,
                PageScheme::LinkHeader { .. } | PageScheme::NextUrl { .. }
            );
        if !opaque {
            return Ok(query_u64(request, page));
        }
        match query_param(request, page) {
            None => Ok(None),
            Some(text) => page_of_cursor(&text).map(Some).ok_or(text),
        }
    }

    fn first_number(&self) -> u64 {
        match &self.scheme {
            PageScheme::PageNumber { first, .. }
            | PageScheme::LinkHeader { first, .. }
            | PageScheme::NextUrl { first, .. }
            | PageScheme::PathPage { first, .. } => *first,
            PageScheme::Offset { .. } | PageScheme::Keyset { .. } => 0,
        }
    }

    /// Where the request's page starts.
    fn spot(&self, request: &Request, kept: &[&Value], size: u64) -> Spot {
        let numbered = |n: Option<u64>, first: u64| {
            let n = n
                .filter(|_| !self.ignore_selector)
                .unwrap_or(first)
                .max(first);
            Spot {
                start: ((n - first) * size) as usize,
                page: n,
                is_first: n == first,
                after: None,
            }
        };
        match &self.scheme {
            PageScheme::PageNumber { first, .. }
            | PageScheme::LinkHeader { first, .. }
            | PageScheme::NextUrl { first, .. } => {
                numbered(self.page_asked(request).ok().flatten(), *first)
            }
            PageScheme::PathPage { first, .. } => {
                let last = request.url.path().trim_end_matches('/').rsplit('/').next();
                numbered(last.and_then(|s| s.parse().ok()), *first)
            }
            PageScheme::Offset { offset, .. } => {
                let off = query_u64(request, offset)
                    .filter(|_| !self.ignore_selector)
                    .unwrap_or(0);
                Spot {
                    start: off as usize,
                    page: off,
                    is_first: off == 0,
                    after: None,
                }
            }
            PageScheme::Keyset { after, key, .. } => {
                let after = query_param(request, after).filter(|_| !self.ignore_selector);
                let start = match &after {
                    None => 0,
                    Some(a) => kept
                        .iter()
                        .position(|v| key_after(&key_of(v, key), a))
                        .unwrap_or(kept.len()),
                };
                Spot {
                    start,
                    page: 0,
                    is_first: after.is_none(),
                    after,
                }
            }
        }
    }

    /// The request's URL, absolute, with the page selector set to `at`
    /// and the size parameter to `size`.
    fn url_for(&self, request: &Request, at: &str, size: u64) -> String {
        let mut url = request.url.clone();
        let origin = self
            .origin
            .clone()
            .or_else(|| header_value(request, "host").map(|h| format!("http://{h}")));
        if let Some(o) = origin.and_then(|o| Url::parse(&o).ok()) {
            let _ = url.set_scheme(o.scheme());
            let _ = url.set_host(o.host_str());
            let _ = url.set_port(o.port());
        }
        let size_param = self.scheme.size_param().to_owned();
        let selector = match &self.scheme {
            PageScheme::PageNumber { page, .. }
            | PageScheme::LinkHeader { page, .. }
            | PageScheme::NextUrl { page, .. } => Some(page.clone()),
            PageScheme::Offset { offset, .. } => Some(offset.clone()),
            PageScheme::Keyset { after, .. } => Some(after.clone()),
            PageScheme::PathPage { .. } => None,
        };
        if selector.is_none() {
            let path = url.path().trim_end_matches('/').to_owned();
            let base = match path.rsplit_once('/') {
                Some((head, last)) if last.parse::<u64>().is_ok() => head.to_owned(),
                _ => path,
            };
            url.set_path(&format!("{base}/{at}"));
        }
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| *k != size_param && Some(k.as_ref()) != selector.as_deref())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        {
            let mut q = url.query_pairs_mut();
            q.clear().extend_pairs(kept);
            q.append_pair(&size_param, &size.to_string());
            if let Some(sel) = &selector {
                q.append_pair(sel, at);
            }
        }
        url.to_string()
    }
}

/// Scrambles page numbers into cursors no client would come up with: an
/// odd multiplier is invertible modulo 2^64, so every cursor maps back to
/// exactly one page.
const CURSOR_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
const CURSOR_INVERSE: u64 = 0xf1de_83e1_9937_733d;

/// The opaque cursor of page `n`.
fn cursor_of(n: u64) -> String {
    format!("pg{:016x}", n.wrapping_mul(CURSOR_MULTIPLIER))
}

/// The page an opaque cursor names, if it is one.
fn page_of_cursor(text: &str) -> Option<u64> {
    let hex = text.strip_prefix("pg").filter(|h| h.len() == 16)?;
    let scrambled = u64::from_str_radix(hex, 16).ok()?;
    let n = scrambled.wrapping_mul(CURSOR_INVERSE);
    // Small page numbers only: anything else was not made here.
    (n < 1 << 32).then_some(n)
}

/// The key of `item` at `key` (a name or JSON pointer), as text.
fn key_of(item: &Value, key: &str) -> String {
    field(item, key).map(text_of).unwrap_or_default()
}

/// Keys compare numerically when both are integers, else as text
/// (the client's rule).
fn compare_keys(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<i128>(), b.parse::<i128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

fn key_after(k: &str, after: &str) -> bool {
    compare_keys(k, after) == std::cmp::Ordering::Greater
}

impl Respond for Paged {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.serve(request, &self.items)
    }
}
