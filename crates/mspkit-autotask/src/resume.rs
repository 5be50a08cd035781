//! Going on with a query whose next-page link failed: a fresh
//! `POST /{Entity}/query` with the original filter and `id gt <last id>`,
//! paged on by its own `nextPageUrl`s.
//!
//! The re-query finds exactly the records not received yet only if
//! Autotask returns query results in ascending id order, which its
//! documentation does not promise (a query has no sort option). So the
//! order is checked, not trusted: a walk whose ids did not rise is never
//! resumed, and a re-query that hands back an id not above the one before
//! it ends with a `Paging` error.

use std::sync::{Arc, Mutex, PoisonError};

use futures::StreamExt;
use mspkit_core::list::ListRequest;
use mspkit_core::{Error, ItemStream, Keyed, Provider, Result};
use serde_json::{Value, json};

use crate::query::{self, cond};

const P: Provider = Provider::Autotask;

/// Answers to a next-page request that say the link itself cannot be used,
/// while the query it came from still can. Autotask answers a next-page
/// link sent with the wrong method with 405, and a link that names nothing
/// (404) or no longer does (410) says the same of the link alone. Refused
/// credentials (401/403), throttling (429) and server failures (5xx, which
/// is also how Autotask reports a refused request) are about the request,
/// not the link: a re-query would fare no better, so they keep their own
/// handling and retries.
const UNUSABLE_LINK: [u16; 3] = [404, 405, 410];

/// Re-queries one walk may make before a failing link ends it: a link that
/// keeps failing points at something a re-query does not mend.
pub(crate) const MAX_FALLBACKS: usize = 3;

/// One `POST /{Entity}/query`: what its walk and any re-query share.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    pub(crate) op: &'static str,
    pub(crate) entity: String,
    /// And-ed expressions; empty for every record.
    pub(crate) filter: Vec<Value>,
    pub(crate) size: u32,
    pub(crate) limit: Option<usize>,
    pub(crate) keep_raw: bool,
}

impl Query {
    /// The list of the records with an id above `after` (all when `None`),
    /// ending after `limit` of them.
    pub(crate) fn list(&self, after: Option<i64>, limit: Option<usize>) -> ListRequest {
        let mut filter = self.filter.clone();
        if filter.is_empty() {
            filter.push(query::everything());
        }
        if let Some(last) = after {
            filter.push(cond("gt", "id", last));
        }
        let size = query::page_size(Some(self.size), limit);
        let body = json!({"filter": filter, "MaxRecords": size});
        ListRequest::post_query(self.op, format!("{}/query", self.entity), body)
            .items_at("items")
            .limit(limit)
            .keep_raw(self.keep_raw)
    }
}

/// What one walk (the first, or a re-query) has received so far.
#[derive(Clone)]
pub(crate) struct Seen(Arc<Mutex<SeenState>>);

struct SeenState {
    op: &'static str,
    /// A re-query must rise above `last` or end: going on could loop.
    strict: bool,
    last: Option<i64>,
    ascending: bool,
    pages: usize,
}

impl Seen {
    fn new(op: &'static str, after: Option<i64>) -> Self {
        Seen(Arc::new(Mutex::new(SeenState {
            op,
            strict: after.is_some(),
            last: after,
            ascending: true,
            pages: 0,
        })))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SeenState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Notes a page's records, before any client-side filter: a re-query
    /// starts after the last record received, kept or not.
    pub(crate) fn record<T: Keyed>(&self, items: &[T]) -> Result<()> {
        let mut s = self.lock();
        s.pages += 1;
        for item in items {
            let id = item.key().and_then(|k| k.trim().parse::<i64>().ok());
            let rises = match (id, s.last) {
                (Some(id), Some(last)) => id > last,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !rises {
                if s.strict {
                    let last = s.last.unwrap_or_default();
                    let id = item.key().unwrap_or("(none)");
                    return Err(Error::paging(
                        P,
                        s.op,
                        format!(
                            "the re-query after id {last} returned id {id}: \
                             its records are not in ascending id order"
                        ),
                    ));
                }
                s.ascending = false;
            }
            if let Some(id) = id {
                s.last = Some(s.last.map_or(id, |l| l.max(id)));
            }
        }
        Ok(())
    }
}

/// Walks `q` with `walk`; when a next-page link fails as [`UNUSABLE_LINK`]
/// says, goes on with a re-query after the last id received (at most
/// [`MAX_FALLBACKS`] times). Any other error ends the list as it would
/// have.
pub(crate) fn resumable<T, W>(q: Query, walk: W) -> ItemStream<'static, T>
where
    T: Keyed + Send + 'static,
    W: Fn(ListRequest, Seen) -> ItemStream<'static, T> + Send + Sync + 'static,
{
    let seen = Seen::new(q.op, None);
    let first = walk(q.list(None, q.limit), seen.clone());
    let state = Resume {
        q,
        walk,
        seen,
        stream: Some(first),
        yielded: 0,
        fallbacks: 0,
    };
    futures::stream::unfold(state, |mut s| async move {
        loop {
            let next = s.stream.as_mut()?.next().await;
            match next {
                None => return None,
                Some(Ok(item)) => {
                    s.yielded += 1;
                    return Some((Ok(item), s));
                }
                Some(Err(e)) => match s.requery(&e) {
                    Some(stream) => s.stream = Some(stream),
                    None => {
                        s.stream = None;
                        return Some((Err(e), s));
                    }
                },
            }
        }
    })
    .boxed()
}

struct Resume<T, W> {
    q: Query,
    walk: W,
    seen: Seen,
    stream: Option<ItemStream<'static, T>>,
    yielded: usize,
    fallbacks: usize,
}

impl<T, W> Resume<T, W>
where
    W: Fn(ListRequest, Seen) -> ItemStream<'static, T>,
{
    /// The walk that goes on after `e`, when `e` is a failed next-page link
    /// and the records so far allow one.
    fn requery(&mut self, e: &Error) -> Option<ItemStream<'static, T>> {
        let status = e.status().filter(|s| UNUSABLE_LINK.contains(s))?;
        let last = {
            let s = self.seen.lock();
            // No page yet means the query itself failed, not a link.
            if s.pages == 0 || !s.ascending {
                return None;
            }
            s.last?
        };
        if self.fallbacks >= MAX_FALLBACKS {
            return None;
        }
        let limit = match self.q.limit {
            Some(n) if n <= self.yielded => return None,
            Some(n) => Some(n - self.yielded),
            None => None,
        };
        self.fallbacks += 1;
        tracing::debug!(
            operation = self.q.op,
            entity = %self.q.entity,
            status,
            after_id = last,
            fallback = self.fallbacks,
            "a next-page link failed; re-querying by id"
        );
        self.seen = Seen::new(self.q.op, Some(last));
        Some((self.walk)(
            self.q.list(Some(last), limit),
            self.seen.clone(),
        ))
    }
}
