//! Turning "fetch one page from a cursor" into a stream of every item.
//!
//! A [`Pager`] runs the provider's page function in a task of its own, so the
//! next page is on its way while the caller works through the current one.
//! It stops on the provider's end signal, fails on a cursor it has already
//! seen (instead of looping), and checks the total the server reported, so a
//! list either arrives whole or ends with an error.

use std::collections::{HashSet, VecDeque};
use std::fmt::Debug;
use std::future::Future;
use std::hash::{BuildHasher, Hash};

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream;
use tokio::task::JoinHandle;

use crate::client::ItemStream;
use crate::error::{Error, Result};
use crate::model::{Keyed, Provider};

/// How many empty pages in a row a walk follows while the server still
/// points onwards, before it stops with `Error::Paging` instead of asking
/// forever.
pub const MAX_EMPTY_PAGES: u32 = 3;

/// One page: its items, the cursor of the next page (`None` on the last),
/// and the total the server reported for the whole list, when it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T, C> {
    /// Every item the server returned on this page.
    pub items: Vec<T>,
    /// Where the next page starts; `None` ends the list.
    pub next: Option<C>,
    /// The number of items in the whole list, when the server said.
    pub total: Option<u64>,
}

impl<T, C> Page<T, C> {
    /// A page followed by another at `next`.
    pub fn new(items: Vec<T>, next: Option<C>) -> Self {
        Page {
            items,
            next,
            total: None,
        }
    }

    /// The last page.
    pub fn last(items: Vec<T>) -> Self {
        Page {
            items,
            next: None,
            total: None,
        }
    }

    /// Records the total the server reported for the whole list.
    pub fn with_total(mut self, total: u64) -> Self {
        self.total = Some(total);
        self
    }
}

/// A page whose response headers already say where the next page is (a
/// `Link` header), handed over before its body is read and decoded, so the
/// pager can send for the next page first and decode this one while that
/// request is on the wire.
pub struct EarlyPage<T, C> {
    /// The next cursor, when the headers name it; `None` leaves the decision
    /// to `rest` (whose own `next` is used only then).
    pub next: Option<C>,
    /// Reads and decodes the page's items.
    pub rest: BoxFuture<'static, Result<Page<T, C>>>,
}

impl<T: Send + 'static, C: Send + 'static> EarlyPage<T, C> {
    /// A page that was already decoded whole.
    pub fn whole(page: Page<T, C>) -> Self {
        EarlyPage {
            next: None,
            rest: Box::pin(std::future::ready(Ok(page))),
        }
    }
}

/// A client-side filter: which items to keep.
type Keep<T> = Box<dyn Fn(&T) -> bool + Send + Sync>;

/// An item's identity for the repeat guards, as an 8-byte hash.
type KeyOf<T> = Box<dyn Fn(&T) -> Option<u64> + Send + Sync>;

/// Settings of one paged walk.
pub struct Pager<T> {
    provider: Provider,
    operation: &'static str,
    limit: Option<usize>,
    keep: Option<Keep<T>>,
    key: Option<KeyOf<T>>,
}

impl<T: Send + 'static> Pager<T> {
    /// A walk for `operation`.
    pub fn new(provider: Provider, operation: &'static str) -> Self {
        Pager {
            provider,
            operation,
            limit: None,
            keep: None,
            key: None,
        }
    }

    /// Guards the walk by the items' ids: an item already yielded is not
    /// yielded again (a list that shifted under the walk), and a page whose
    /// every item was yielded before ends the walk with `Error::Paging` (a
    /// server or proxy that ignores the page selector). Only an 8-byte hash
    /// of each id is kept, so memory stays small however long the list.
    pub fn dedupe(mut self) -> Self
    where
        T: Keyed,
    {
        let hasher = std::collections::hash_map::RandomState::new();
        self.key = Some(Box::new(move |item: &T| {
            item.key().map(|k| hasher.hash_one(k))
        }));
        self
    }

    /// Stops after `limit` items (after filtering), fetching no page beyond.
    pub fn limit(mut self, limit: Option<usize>) -> Self {
        self.limit = limit;
        self
    }

    /// Keeps only items that pass `keep`: the client-side part of a filter the
    /// provider's API cannot express. The reported total still counts every
    /// item the server sent.
    pub fn filter(mut self, keep: impl Fn(&T) -> bool + Send + Sync + 'static) -> Self {
        self.keep = Some(Box::new(keep));
        self
    }

    /// Walks the list from `first`, calling `fetch` for each page.
    pub fn stream<C, F, Fut>(self, first: C, fetch: F) -> ItemStream<'static, T>
    where
        C: Clone + Eq + Hash + Debug + Send + Sync + 'static,
        F: Fn(C) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Page<T, C>>> + Send + 'static,
    {
        let fetch = std::sync::Arc::new(fetch);
        self.stream_early(first, move |cursor| {
            let fetch = fetch.clone();
            async move { fetch(cursor).await.map(EarlyPage::whole) }
        })
    }

    /// Walks the list from `first` with a page function that hands a page
    /// over as soon as its headers are in ([`EarlyPage`]): the request for
    /// the next page then leaves before this page's body is decoded, which
    /// hides the server's latency behind the decoding. At most one page is
    /// read ahead, so memory stays flat however long the list.
    pub fn stream_early<C, F, Fut>(self, first: C, fetch: F) -> ItemStream<'static, T>
    where
        C: Clone + Eq + Hash + Debug + Send + Sync + 'static,
        F: Fn(C) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<EarlyPage<T, C>>> + Send + 'static,
    {
        let fetch = std::sync::Arc::new(fetch);
        let spawn = {
            let fetch = fetch.clone();
            move |cursor: C| {
                let fetch = fetch.clone();
                AbortOnDrop(tokio::spawn(async move { fetch(cursor).await }))
            }
        };
        let mut seen = HashSet::new();
        seen.insert(first.clone());
        let state = Walk {
            provider: self.provider,
            operation: self.operation,
            limit: self.limit,
            keep: self.keep,
            key: self.key,
            pending: Some(spawn(first)),
            buffer: VecDeque::new(),
            seen,
            seen_items: HashSet::new(),
            empty_run: 0,
            pages: 0,
            received: 0,
            yielded: 0,
            total: None,
            finished: false,
        };
        stream::unfold((state, spawn), |(mut walk, spawn)| async move {
            let item = walk.next_item(&spawn).await?;
            Some((item, (walk, spawn)))
        })
        .boxed()
    }
}

/// A spawned task that is aborted when its handle is dropped.
pub(crate) struct AbortOnDrop<R>(pub(crate) JoinHandle<R>);

impl<R> Drop for AbortOnDrop<R> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

struct Walk<T, C> {
    provider: Provider,
    operation: &'static str,
    limit: Option<usize>,
    keep: Option<Keep<T>>,
    key: Option<KeyOf<T>>,
    pending: Option<AbortOnDrop<Result<EarlyPage<T, C>>>>,
    buffer: VecDeque<T>,
    seen: HashSet<C>,
    seen_items: HashSet<u64>,
    empty_run: u32,
    pages: u64,
    received: u64,
    yielded: usize,
    total: Option<u64>,
    finished: bool,
}

impl<T, C> Walk<T, C>
where
    C: Clone + Eq + Hash + Debug,
{
    async fn next_item(
        &mut self,
        spawn: &impl Fn(C) -> AbortOnDrop<Result<EarlyPage<T, C>>>,
    ) -> Option<Result<T>> {
        loop {
            if self.finished {
                return None;
            }
            if self.limit.is_some_and(|l| self.yielded >= l) {
                self.finish();
                return None;
            }
            if let Some(item) = self.buffer.pop_front() {
                if self.keep.as_ref().is_some_and(|keep| !keep(&item)) {
                    continue;
                }
                self.yielded += 1;
                return Some(Ok(item));
            }
            let Some(mut pending) = self.pending.take() else {
                self.finished = true;
                return self.check_total().map(Err);
            };
            let early = match (&mut pending.0).await {
                Ok(Ok(early)) => early,
                Ok(Err(e)) => return Some(Err(self.fail(e))),
                Err(join) => {
                    let e = Error::paging(
                        self.provider,
                        self.operation,
                        format!("page task failed: {join}"),
                    );
                    return Some(Err(self.fail(e)));
                }
            };
            let sent_early = early.next.is_some();
            if let Some(next) = early.next {
                if let Err(e) = self.follow(next, spawn) {
                    return Some(Err(self.fail(e)));
                }
                // Let the new task run once, so its request leaves now rather
                // than after this page is decoded on this thread.
                tokio::task::yield_now().await;
            }
            let page = match early.rest.await {
                Ok(page) => page,
                Err(e) => return Some(Err(self.fail(e))),
            };
            self.pages += 1;
            self.received += page.items.len() as u64;
            if page.total.is_some() {
                self.total = page.total;
            }
            let goes_on = sent_early || page.next.is_some();
            if let Err(e) = self.guard_empty(page.items.is_empty(), goes_on) {
                return Some(Err(self.fail(e)));
            }
            let items = match self.drop_repeats(page.items, goes_on) {
                Ok(items) => items,
                Err(e) => return Some(Err(self.fail(e))),
            };
            if let (false, Some(next)) = (sent_early, page.next) {
                if let Err(e) = self.follow(next, spawn) {
                    return Some(Err(self.fail(e)));
                }
            }
            self.buffer.extend(items);
        }
    }

    /// Sends for the page at `next`, unless the server already handed it out.
    fn follow(
        &mut self,
        next: C,
        spawn: &impl Fn(C) -> AbortOnDrop<Result<EarlyPage<T, C>>>,
    ) -> Result<()> {
        if !self.seen.insert(next.clone()) {
            return Err(Error::paging(
                self.provider,
                self.operation,
                format!("the server handed back cursor {next:?} a second time"),
            ));
        }
        self.pending = Some(spawn(next));
        Ok(())
    }

    /// Counts empty pages that still point onwards; a few in a row are
    /// followed (a server may skip a filtered-out page), more end the walk.
    fn guard_empty(&mut self, empty: bool, goes_on: bool) -> Result<()> {
        if !(empty && goes_on) {
            self.empty_run = 0;
            return Ok(());
        }
        self.empty_run += 1;
        if self.empty_run < MAX_EMPTY_PAGES {
            return Ok(());
        }
        Err(Error::paging(
            self.provider,
            self.operation,
            format!(
                "{} empty pages in a row still point to a next page (page {}); stopping instead of asking forever",
                self.empty_run, self.pages
            ),
        ))
    }

    /// Drops items already yielded; a page made only of such items that
    /// still points onwards, or that a reported total says should have held
    /// new ones, means the server served a page again, and the walk stops.
    fn drop_repeats(&mut self, items: Vec<T>, goes_on: bool) -> Result<Vec<T>> {
        let Some(key) = &self.key else {
            return Ok(items);
        };
        let (mut keyed, mut fresh) = (0usize, 0usize);
        let kept: Vec<T> = items
            .into_iter()
            .filter(|item| match key(item) {
                Some(hash) => {
                    keyed += 1;
                    let new = self.seen_items.insert(hash);
                    fresh += usize::from(new);
                    new
                }
                None => true,
            })
            .collect();
        // A last page of repeats adds nothing; it ends the list only where no
        // total says more were due (a time-based export's boundary item).
        if keyed > 0 && fresh == 0 && (goes_on || self.total.is_some()) {
            return Err(Error::paging(
                self.provider,
                self.operation,
                format!(
                    "page {} holds only items already received: the server ignored the page asked for",
                    self.pages
                ),
            ));
        }
        Ok(kept)
    }

    fn fail(&mut self, e: Error) -> Error {
        self.finish();
        e
    }

    fn finish(&mut self) {
        self.finished = true;
        self.pending = None;
        self.buffer.clear();
    }

    fn check_total(&self) -> Option<Error> {
        let total = self.total?;
        (total != self.received).then(|| {
            Error::paging(
                self.provider,
                self.operation,
                format!(
                    "the server reported {total} items but sent {}",
                    self.received
                ),
            )
        })
    }
}

/// Whether `at` passes an `updated_since` filter applied client-side. An item
/// with no timestamp is kept: dropping it could lose a change.
pub fn changed_since(
    at: Option<chrono::DateTime<chrono::Utc>>,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> bool {
    match (at, since) {
        (Some(at), Some(since)) => at >= since,
        _ => true,
    }
}

#[cfg(test)]
mod tests;
