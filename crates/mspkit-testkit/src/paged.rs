//! A wiremock responder that serves a list page by page, the way most
//! providers page: by page number or by offset, with a page-size parameter.

use std::sync::Arc;

use serde_json::Value;
use wiremock::{Request, Respond, ResponseTemplate};

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
}

/// What the render function gets for one page.
#[derive(Debug)]
pub struct PageView<'a> {
    /// The items on this page.
    pub items: &'a [Value],
    /// The page number as the request named it (page schemes) or the offset.
    pub page: u64,
    /// The page size in force (the request's, capped at the maximum).
    pub page_size: u64,
    /// The number of items in the whole list.
    pub total: u64,
    /// The number of pages.
    pub total_pages: u64,
    /// The next page number (or offset), when there is a next page.
    pub next: Option<u64>,
    /// The request being answered.
    pub request: &'a Request,
}

type Render = dyn Fn(&PageView<'_>) -> ResponseTemplate + Send + Sync;

/// Serves `items` page by page, rendered by the provider's own function.
#[derive(Clone)]
pub struct Paged {
    items: Arc<Vec<Value>>,
    scheme: PageScheme,
    default_size: u64,
    max_size: u64,
    render: Arc<Render>,
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
}

fn query_u64(req: &Request, name: &str) -> Option<u64> {
    req.url
        .query_pairs()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
}

impl Respond for Paged {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let total = self.items.len() as u64;
        let (size_param, start, page) = match &self.scheme {
            PageScheme::PageNumber { page, size, first } => {
                let size_n = query_u64(request, size)
                    .unwrap_or(self.default_size)
                    .clamp(1, self.max_size);
                let n = query_u64(request, page).unwrap_or(*first).max(*first);
                (size_n, (n - first) * size_n, n)
            }
            PageScheme::Offset { offset, size } => {
                let size_n = query_u64(request, size)
                    .unwrap_or(self.default_size)
                    .clamp(1, self.max_size);
                let off = query_u64(request, offset).unwrap_or(0);
                (size_n, off, off)
            }
        };
        let page_size = size_param;
        let from = start.min(total) as usize;
        let to = (start + page_size).min(total) as usize;
        let has_more = (to as u64) < total;
        let next = has_more.then(|| match &self.scheme {
            PageScheme::PageNumber { .. } => page + 1,
            PageScheme::Offset { .. } => to as u64,
        });
        let view = PageView {
            items: &self.items[from..to],
            page,
            page_size,
            total,
            total_pages: total.div_ceil(page_size),
            next,
            request,
        };
        (self.render)(&view)
    }
}
