//! The paging schemes a provider picks from, and where each goes next.
//!
//! [`Paging::next`] is a pure function from "the page just asked for and
//! what came back" to "the next page, the end, or an error", so every
//! scheme's rules are tested without a server.

use crate::error::{Error, Result};
use crate::model::Provider;

/// How one list is paged: the scheme, the page-size parameter and the
/// largest page the platform serves, and where the server reports a total.
///
/// ```
/// use mspkit_core::list::Paging;
///
/// // HaloPSA: `page_no` from 1, at most 100 a page, the total in `record_count`.
/// let halo = Paging::page_number("page_no", 1)
///     .size_param("page_size")
///     .max_size(100)
///     .total_items("/record_count");
/// // ConnectWise: the next page named only by the `Link` header.
/// let cw = Paging::link_header().size_param("pageSize").max_size(1000);
/// # let _ = (halo, cw);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub(crate) scheme: Scheme,
    pub(crate) size_param: Option<&'static str>,
    pub(crate) max_size: u32,
    pub(crate) total: Option<Total>,
    pub(crate) rebase_links: bool,
}

/// Where a page names the size of the whole list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    /// The number of items, at this JSON pointer (`/record_count`).
    Items(&'static str),
    /// The number of pages, at this JSON pointer (`/meta/total_pages`).
    Pages(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scheme {
    Single,
    LinkHeader {
        fallback_page: Option<&'static str>,
    },
    NextUrl {
        pointer: &'static str,
        /// A flag that must be true to go on (`/meta/has_more`).
        while_true: Option<&'static str>,
        /// A flag that ends the list when true (`/end_of_stream`).
        until_true: Option<&'static str>,
    },
    PageNumber {
        param: &'static str,
        first: u64,
    },
    Offset {
        param: &'static str,
    },
    Keyset {
        param: &'static str,
        key: &'static str,
    },
    PathPage {
        first: u64,
    },
}

/// Where the next request goes. The pager refuses a cursor it has seen
/// before, so a server that loops ends the walk with an error.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Cursor {
    /// The list's own request.
    First,
    /// A page number or an offset, at a page size, after `received` items.
    Page { at: u64, size: u32, received: u64 },
    /// An absolute URL the server handed back (`Link`, `nextPageUrl`).
    Url(String),
    /// The key of the last item of the previous page.
    After(String),
}

/// What a page told us, for deciding where to go next.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct PageFacts {
    /// Items on the page, as the server sent them.
    pub count: u64,
    /// The total the page reported (items or pages, per [`Total`]).
    pub total: Option<u64>,
    /// The next URL from the body or the `Link` header.
    pub next_url: Option<String>,
    /// The keys of the page's items, in order (keyset lists only).
    pub keys: Vec<String>,
}

impl Paging {
    fn new(scheme: Scheme) -> Self {
        Paging {
            scheme,
            size_param: None,
            max_size: 100,
            total: None,
            rebase_links: false,
        }
    }

    /// One request holds the whole list.
    pub fn single() -> Self {
        Self::new(Scheme::Single)
    }

    /// The next page is the `rel="next"` URL of the `Link` response header
    /// (forward only); no header ends the list.
    pub fn link_header() -> Self {
        Self::new(Scheme::LinkHeader {
            fallback_page: None,
        })
    }

    /// The next page is the URL at `pointer` in the body
    /// (`/pageDetails/nextPageUrl`); `null`, empty or absent ends the list.
    /// It is requested with the list's method and body, so a `POST` query
    /// keeps its filter.
    pub fn next_url(pointer: &'static str) -> Self {
        Self::new(Scheme::NextUrl {
            pointer,
            while_true: None,
            until_true: None,
        })
    }

    /// For a next-URL list: goes on only while the flag at `pointer` is true
    /// (Zendesk's cursor lists keep `links.next` on the last page and say
    /// `meta.has_more: false`).
    pub fn while_true(mut self, pointer: &'static str) -> Self {
        if let Scheme::NextUrl { while_true, .. } = &mut self.scheme {
            *while_true = Some(pointer);
        }
        self
    }

    /// For a next-URL list: ends when the flag at `pointer` is true
    /// (Zendesk's incremental exports say `end_of_stream: true`).
    pub fn until_true(mut self, pointer: &'static str) -> Self {
        if let Scheme::NextUrl { until_true, .. } = &mut self.scheme {
            *until_true = Some(pointer);
        }
        self
    }

    /// Pages by number in the query parameter `param`, counted from `first`
    /// (0 or 1). The list ends at the reported total, or on a short page.
    pub fn page_number(param: &'static str, first: u64) -> Self {
        Self::new(Scheme::PageNumber { param, first })
    }

    /// Pages by item offset (from 0) in the query parameter `param`.
    pub fn offset(param: &'static str) -> Self {
        Self::new(Scheme::Offset { param })
    }

    /// Keyset paging: `param` carries the `key` field of the last item seen,
    /// and every page must lie beyond it. An empty page ends the list (a
    /// short page proves nothing: the platform's maximum may be unknown).
    pub fn keyset(param: &'static str, key: &'static str) -> Self {
        Self::new(Scheme::Keyset { param, key })
    }

    /// The page number is the last path segment (`/Customers/2`), from `first`.
    pub fn path_page(first: u64) -> Self {
        Self::new(Scheme::PathPage { first })
    }

    /// The query parameter that asks for a page size.
    pub fn size_param(mut self, name: &'static str) -> Self {
        self.size_param = Some(name);
        self
    }

    /// The largest page the platform serves, and the size asked for when
    /// the query names none (100 unless set).
    pub fn max_size(mut self, n: u32) -> Self {
        self.max_size = n.max(1);
        self
    }

    /// The page reports the list's item count at this JSON pointer; the walk
    /// checks it at the end.
    pub fn total_items(mut self, pointer: &'static str) -> Self {
        self.total = Some(Total::Items(pointer));
        self
    }

    /// The page reports the list's page count at this JSON pointer.
    pub fn total_pages(mut self, pointer: &'static str) -> Self {
        self.total = Some(Total::Pages(pointer));
        self
    }

    /// For a `Link` list: a full page without a `Link` header is not taken
    /// as the end; the walk asks for the next page by number in `param`
    /// (ConnectWise endpoints that ignore forward-only paging).
    pub fn fallback_page(mut self, param: &'static str) -> Self {
        if let Scheme::LinkHeader { fallback_page } = &mut self.scheme {
            *fallback_page = Some(param);
        }
        self
    }

    /// Follows next-page links by their path and query only, sent to the
    /// API root's own host: for a platform whose links name another host of
    /// the same tenant (ConnectWise cloud names the site host instead of its
    /// `api-` host). Credentials still never leave the configured host.
    pub fn rebase_links(mut self) -> Self {
        self.rebase_links = true;
        self
    }

    /// The page size to ask for: the query's, capped at the platform's maximum.
    pub(crate) fn size(&self, asked: Option<u32>) -> u32 {
        asked.unwrap_or(self.max_size).clamp(1, self.max_size)
    }

    /// The first cursor of a walk.
    pub(crate) fn first(&self) -> Cursor {
        Cursor::First
    }

    /// The key field a keyset list reads from each item.
    pub(crate) fn key_field(&self) -> Option<&'static str> {
        match self.scheme {
            Scheme::Keyset { key, .. } => Some(key),
            _ => None,
        }
    }

    /// Where to go after the page at `at`, which held `facts`. `asked` is
    /// the page size the first request asked for.
    pub(crate) fn next(
        &self,
        provider: Provider,
        operation: &'static str,
        at: &Cursor,
        asked: u32,
        facts: &PageFacts,
    ) -> Result<Option<Cursor>> {
        let n = facts.count;
        match &self.scheme {
            Scheme::Single => Ok(None),
            Scheme::NextUrl { .. } => Ok(facts.next_url.clone().map(Cursor::Url)),
            Scheme::LinkHeader { fallback_page } => match (&facts.next_url, fallback_page) {
                (Some(url), _) => Ok(Some(Cursor::Url(url.clone()))),
                // A full page without a link: go on by number.
                (None, Some(param)) if n >= u64::from(asked) && n > 0 => {
                    let (number, received) = match at {
                        Cursor::Page { at, received, .. } => (*at + 1, received + n),
                        // After a followed link, go on from the page it named;
                        // a link that names no page number (a forward-only
                        // cursor) that stops linking has ended the list.
                        Cursor::Url(url) => match page_in(url, param) {
                            Some(p) => (p + 1, n),
                            None => return Ok(None),
                        },
                        _ => (2, n),
                    };
                    Ok(Some(Cursor::Page {
                        at: number,
                        size: asked,
                        received,
                    }))
                }
                (None, _) => Ok(None),
            },
            Scheme::Keyset { .. } => {
                let Some(last) = facts.keys.last() else {
                    return Ok(None);
                };
                if let Cursor::After(after) = at {
                    if let Some(behind) = facts.keys.iter().find(|k| !key_after(k, after)) {
                        return Err(Error::paging(
                            provider,
                            operation,
                            format!(
                                "asked for items after {after}, the server sent {behind}: the cursor is not advancing"
                            ),
                        ));
                    }
                }
                Ok(Some(Cursor::After(last.clone())))
            }
            Scheme::PageNumber { first, .. } | Scheme::PathPage { first } => {
                self.next_numbered(provider, operation, at, asked, facts, *first, false)
            }
            Scheme::Offset { .. } => {
                self.next_numbered(provider, operation, at, asked, facts, 0, true)
            }
        }
    }

    /// The `n` pages after `next` that a walk can ask for before `next`
    /// comes back: only for numbered schemes (page number, offset, page in
    /// the path) whose page reported a total, and only up to the end that
    /// total names. They are the cursors [`next`](Self::next) will hand out
    /// when pages come back full; a page that does not leaves them unused.
    pub(crate) fn ahead(&self, next: &Cursor, total: Option<u64>, n: usize) -> Vec<Cursor> {
        let (Some(total), Cursor::Page { at, size, received }) = (total, next) else {
            return Vec::new();
        };
        let (first, by_offset) = match self.scheme {
            Scheme::PageNumber { first, .. } | Scheme::PathPage { first } => (first, false),
            Scheme::Offset { .. } => (0, true),
            _ => return Vec::new(),
        };
        let step = u64::from(*size);
        (1..=n as u64)
            .map(|i| {
                let received = received + i * step;
                let at = if by_offset { received } else { at + i };
                (at, received)
            })
            .take_while(|(at, received)| match self.total {
                Some(Total::Items(_)) => *received < total,
                Some(Total::Pages(_)) if !by_offset => at - first < total,
                _ => false,
            })
            .map(|(at, received)| Cursor::Page {
                at,
                size: *size,
                received,
            })
            .collect()
    }

    /// Page-number and offset lists: done at the total, or without one on a
    /// short or empty page. A page shorter than asked before the end means
    /// the server capped it: carry on at the size it served.
    #[allow(clippy::too_many_arguments)]
    fn next_numbered(
        &self,
        provider: Provider,
        operation: &'static str,
        at: &Cursor,
        asked: u32,
        facts: &PageFacts,
        first: u64,
        by_offset: bool,
    ) -> Result<Option<Cursor>> {
        let n = facts.count;
        let (page_no, size, before) = match at {
            Cursor::Page { at, size, received } => (*at, *size, *received),
            _ => (first, asked, 0),
        };
        let received = before + n;
        let done = match (self.total, facts.total) {
            _ if n == 0 => true,
            (Some(Total::Items(_)), Some(total)) => received >= total,
            (Some(Total::Pages(_)), Some(pages)) => {
                let number = if by_offset {
                    received / n
                } else {
                    page_no - first + 1
                };
                number >= pages
            }
            _ => n < u64::from(size),
        };
        if done {
            return Ok(None);
        }
        let served = u32::try_from(n).unwrap_or(u32::MAX);
        if by_offset {
            return Ok(Some(Cursor::Page {
                at: received,
                size: served.min(size),
                received,
            }));
        }
        if received % n != 0 {
            return Err(Error::paging(
                provider,
                operation,
                format!(
                    "page {page_no} held {n} items after {before} received; the next page cannot be found"
                ),
            ));
        }
        Ok(Some(Cursor::Page {
            at: received / n + first,
            size: served,
            received,
        }))
    }
}

/// The page number a followed URL carries in `param`.
fn page_in(url: &str, param: &str) -> Option<u64> {
    let query = url.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == param)
        .and_then(|(_, v)| v.parse().ok())
}

/// Whether keyset key `k` lies beyond `after`: numerically when both are
/// integers, as text otherwise.
fn key_after(k: &str, after: &str) -> bool {
    match (k.parse::<i128>(), after.parse::<i128>()) {
        (Ok(k), Ok(a)) => k > a,
        _ => k > after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Provider = Provider::Halo;

    fn facts(count: u64, total: Option<u64>) -> PageFacts {
        PageFacts {
            count,
            total,
            ..PageFacts::default()
        }
    }

    fn page(at: u64, size: u32, received: u64) -> Cursor {
        Cursor::Page { at, size, received }
    }

    fn next(p: &Paging, at: &Cursor, asked: u32, f: PageFacts) -> Option<Cursor> {
        p.next(P, "t", at, asked, &f).unwrap()
    }

    #[test]
    fn page_numbers_follow_the_total_and_the_size_served() {
        let p = Paging::page_number("page_no", 1)
            .max_size(100)
            .total_items("/record_count");
        assert_eq!(p.size(Some(500)), 100);
        assert_eq!(p.size(None), 100);
        assert_eq!(p.size(Some(0)), 1);
        let first = Cursor::First;
        assert_eq!(
            next(&p, &first, 100, facts(100, Some(717))),
            Some(page(2, 100, 100))
        );
        assert_eq!(
            next(&p, &page(8, 100, 700), 100, facts(17, Some(717))),
            None
        );
        // Asked 100, served 50: carry on at 50 a page.
        assert_eq!(
            next(&p, &first, 100, facts(50, Some(717))),
            Some(page(2, 50, 50))
        );
        // An empty page ends the walk; the pager then checks the total.
        assert_eq!(next(&p, &page(3, 10, 20), 10, facts(0, Some(30))), None);
        // A short page in the middle that does not line up is an error.
        assert!(
            p.next(P, "t", &page(2, 100, 100), 100, &facts(37, Some(300)))
                .is_err()
        );
    }

    #[test]
    fn zero_based_pages_and_short_pages_without_a_total() {
        let p = Paging::page_number("page", 0).max_size(10);
        assert_eq!(
            next(&p, &Cursor::First, 10, facts(10, None)),
            Some(page(1, 10, 10))
        );
        assert_eq!(
            next(&p, &page(1, 10, 10), 10, facts(10, None)),
            Some(page(2, 10, 20))
        );
        assert_eq!(next(&p, &page(2, 10, 20), 10, facts(3, None)), None);
    }

    #[test]
    fn a_page_count_ends_the_walk_on_the_last_page() {
        let p = Paging::page_number("page", 1).total_pages("/meta/total_pages");
        assert_eq!(
            next(&p, &Cursor::First, 25, facts(25, Some(3))),
            Some(page(2, 25, 25))
        );
        assert_eq!(next(&p, &page(3, 25, 50), 25, facts(25, Some(3))), None);
    }

    #[test]
    fn offsets_advance_by_what_came_back() {
        let p = Paging::offset("offset").total_items("/total");
        assert_eq!(
            next(&p, &Cursor::First, 50, facts(50, Some(120))),
            Some(page(50, 50, 50))
        );
        assert_eq!(
            next(&p, &page(50, 50, 50), 50, facts(30, Some(120))),
            Some(page(80, 30, 80))
        );
        assert_eq!(next(&p, &page(80, 30, 80), 50, facts(40, Some(120))), None);
    }

    #[test]
    fn link_and_next_url_follow_the_server() {
        let link = Paging::link_header();
        let with_url = PageFacts {
            count: 5,
            next_url: Some("https://x/y?page=2".into()),
            ..PageFacts::default()
        };
        assert_eq!(
            next(&link, &Cursor::First, 5, with_url.clone()),
            Some(Cursor::Url("https://x/y?page=2".into()))
        );
        // Without a link a full page is the end, unless a fallback is set.
        assert_eq!(next(&link, &Cursor::First, 5, facts(5, None)), None);
        let fallback = Paging::link_header().fallback_page("page");
        assert_eq!(
            next(&fallback, &Cursor::First, 5, facts(5, None)),
            Some(page(2, 5, 5))
        );
        assert_eq!(next(&fallback, &page(2, 5, 5), 5, facts(4, None)), None);
        // A full page reached by a forward-only link that stops linking ends.
        assert_eq!(
            next(
                &fallback,
                &Cursor::Url("https://x/y?pageId=77".into()),
                5,
                facts(5, None)
            ),
            None
        );
        // A full page reached by a link goes on from the page the link named.
        assert_eq!(
            next(
                &fallback,
                &Cursor::Url("https://x/y?page=3&pageSize=5".into()),
                5,
                facts(5, None)
            ),
            Some(page(4, 5, 5))
        );
        let body = Paging::next_url("/pageDetails/nextPageUrl");
        assert_eq!(
            next(&body, &Cursor::First, 5, with_url),
            Some(Cursor::Url("https://x/y?page=2".into()))
        );
        assert_eq!(next(&body, &Cursor::First, 5, facts(5, None)), None);
    }

    #[test]
    fn pages_ahead_stop_at_the_end_the_total_names() {
        let p = Paging::page_number("page_no", 1).total_items("/record_count");
        // After page 1 of 10 a page, 35 items: pages 3 and 4 can go now.
        assert_eq!(
            p.ahead(&page(2, 10, 10), Some(35), 5),
            vec![page(3, 10, 20), page(4, 10, 30)]
        );
        assert_eq!(p.ahead(&page(2, 10, 10), None, 5), vec![]);
        let pages = Paging::path_page(1).total_pages("/Pagination/NumberOfPages");
        assert_eq!(
            pages.ahead(&page(2, 25, 25), Some(3), 4),
            vec![page(3, 25, 50)]
        );
        let off = Paging::offset("offset").total_items("/total");
        assert_eq!(
            off.ahead(&page(50, 50, 50), Some(180), 3),
            vec![page(100, 50, 100), page(150, 50, 150)]
        );
        // Link, next-URL and keyset lists learn their next page from the page.
        assert_eq!(
            Paging::link_header().ahead(&page(2, 10, 10), Some(35), 3),
            vec![]
        );
    }

    #[test]
    fn keysets_must_advance() {
        let p = Paging::keyset("after", "id");
        let keys = |k: &[&str]| PageFacts {
            count: k.len() as u64,
            keys: k.iter().map(|s| s.to_string()).collect(),
            ..PageFacts::default()
        };
        assert_eq!(
            next(&p, &Cursor::First, 3, keys(&["9", "10", "11"])),
            Some(Cursor::After("11".into()))
        );
        assert_eq!(
            next(&p, &Cursor::After("11".into()), 3, keys(&["12"])),
            Some(Cursor::After("12".into()))
        );
        assert_eq!(next(&p, &Cursor::After("12".into()), 3, keys(&[])), None);
        let err = p
            .next(P, "t", &Cursor::After("11".into()), 3, &keys(&["5", "12"]))
            .unwrap_err();
        assert!(err.to_string().contains("not advancing"), "{err}");
    }
}
