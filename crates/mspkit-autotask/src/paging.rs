//! Walking an Autotask query to its end.
//!
//! The first page is `POST /{Entity}/query`; each next page is the
//! `pageDetails.nextPageUrl` the server hands back, fetched with GET. Those
//! links carry every id seen so far and grow with each page, and they have
//! failed for other clients (too long, or refused for the method): when one
//! fails, the walk goes on with the same filter plus `id gt <last id>`, which
//! is only safe because Autotask returns records in ascending id order, so
//! the walk checks that order on every page and refuses to fall back when it
//! did not hold. Either way the list arrives whole or ends with an error.

use std::sync::Arc;

use mspkit_core::http::Http;
use mspkit_core::paging::{Page, Pager};
use mspkit_core::{Error, ErrorKind, ItemStream, Provider, Result};
use reqwest::Method;
use serde_json::Value;

use crate::api::QueryPage;
use crate::client::AutotaskClient;
use crate::map::Lookups;
use crate::query::{QueryBody, id_above};

/// Next-page links longer than this are not followed (Autotask's own advice
/// for GET URLs is to stay under 2,048 characters).
pub const MAX_LINK_LENGTH: usize = 2048;

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Cursor {
    /// The query itself.
    First,
    /// A next-page link, with the highest id so far and whether every page
    /// so far came in ascending id order.
    Link {
        url: String,
        last_id: Option<i64>,
        ordered: bool,
    },
    /// The query again, above the last id seen (after a link failed).
    After(i64),
}

/// How one record becomes a normalized item.
pub(crate) type MapFn<T> = fn(Value, &Lookups, &Cx) -> Result<T>;

/// A client-side filter on mapped items.
pub(crate) type Keep<T> = Box<dyn Fn(&T) -> bool + Send + Sync>;

/// What a mapping function knows about where the record came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cx {
    pub operation: &'static str,
    /// The record's place on its page, for error paths (`items[3].createDate`).
    pub index: Option<usize>,
    pub keep_raw: bool,
}

/// One list walk.
pub(crate) struct Walk<T> {
    pub client: AutotaskClient,
    pub operation: &'static str,
    pub entity: &'static str,
    pub filter: Vec<Value>,
    pub page_size: u32,
    pub limit: Option<usize>,
    pub lookups: fn(&AutotaskClient) -> futures::future::BoxFuture<'_, Result<Lookups>>,
    pub map: MapFn<T>,
}

impl<T: Send + 'static> Walk<T> {
    /// The stream of every item, `keep` dropping those the server could not filter.
    pub(crate) fn stream(self, keep: Option<Keep<T>>) -> ItemStream<'static, T> {
        let mut pager = Pager::new(Provider::Autotask, self.operation).limit(self.limit);
        if let Some(keep) = keep {
            pager = pager.filter(keep);
        }
        let walk = Arc::new(self);
        pager.stream(Cursor::First, move |cursor| {
            let walk = walk.clone();
            async move { walk.page(cursor).await }
        })
    }

    async fn page(&self, cursor: Cursor) -> Result<Page<T, Cursor>> {
        let lookups = (self.lookups)(&self.client).await?;
        let http = self.client.http().await?;
        let (raw, by_id, previous, was_ordered) = match cursor {
            Cursor::First => (self.query(http, None).await?, false, None, true),
            Cursor::After(last) => (self.query(http, Some(last)).await?, true, Some(last), true),
            Cursor::Link {
                url,
                last_id,
                ordered,
            } => match self.follow(http, &url).await {
                Ok(page) => (page, false, last_id, ordered),
                Err(e) if link_failed(&e) => {
                    let Some(last) = last_id.filter(|_| ordered) else {
                        return Err(Error::paging(
                            Provider::Autotask,
                            self.operation,
                            format!(
                                "the next-page link failed ({e}) and the records did not come in id order, so the walk cannot go on by id"
                            ),
                        ));
                    };
                    tracing::debug!(error = %e, last, "next-page link failed; paging by id");
                    (self.query(http, Some(last)).await?, true, Some(last), true)
                }
                Err(e) => return Err(e),
            },
        };
        let (items, next) = self.check(raw, by_id, previous, was_ordered)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, value) in items.into_iter().enumerate() {
            let cx = Cx {
                operation: self.operation,
                index: Some(i),
                keep_raw: self.client.keep_raw(),
            };
            out.push((self.map)(value, &lookups, &cx)?);
        }
        Ok(Page::new(out, next))
    }

    async fn query(&self, http: &Http, above: Option<i64>) -> Result<QueryPage> {
        let mut filter = self.filter.clone();
        filter.extend(above.map(id_above));
        let body = QueryBody {
            filter,
            max_records: Some(self.page_size),
        };
        let req = http
            .post(self.operation, &format!("{}/query", self.entity))
            .json(&body)
            // A query only reads: retrying it is harmless.
            .idempotent(true);
        self.client.send_json(self.entity, req).await
    }

    async fn follow(&self, http: &Http, url: &str) -> Result<QueryPage> {
        if url.len() > MAX_LINK_LENGTH {
            // Not sent: the status says what the server would have answered.
            return Err(Error::api(
                Provider::Autotask,
                self.operation,
                414,
                format!("the next-page link is {} characters long", url.len()),
            )
            .with_reached_server(false));
        }
        let req = http.request_url(Method::GET, self.operation, url)?;
        self.client.send_json(self.entity, req).await
    }

    /// Checks one page and says where the next starts.
    fn check(
        &self,
        page: QueryPage,
        by_id: bool,
        previous: Option<i64>,
        was_ordered: bool,
    ) -> Result<(Vec<Value>, Option<Cursor>)> {
        let details = page.page_details;
        let items = page.items;
        if let Some(count) = details.as_ref().and_then(|d| d.count) {
            if count != items.len() as u64 {
                return Err(Error::paging(
                    Provider::Autotask,
                    self.operation,
                    format!(
                        "the page says it holds {count} records but holds {}",
                        items.len()
                    ),
                ));
            }
        }
        let ids: Vec<Option<i64>> = items
            .iter()
            .map(|v| v.get("id").and_then(Value::as_i64))
            .collect();
        let mut ordered = was_ordered;
        let mut last = previous;
        for id in &ids {
            match (id, last) {
                (Some(id), Some(l)) if *id <= l => ordered = false,
                (None, _) => ordered = false,
                _ => {}
            }
            if let Some(id) = id {
                last = Some(last.map_or(*id, |l| l.max(*id)));
            }
        }
        let next_url = details
            .and_then(|d| d.next_page_url)
            .filter(|u| !u.trim().is_empty());
        let next = match next_url {
            None => None,
            Some(_) if items.is_empty() => {
                return Err(Error::paging(
                    Provider::Autotask,
                    self.operation,
                    "the server announced another page after an empty one",
                ));
            }
            Some(url) if !by_id => Some(Cursor::Link {
                url,
                last_id: last,
                ordered,
            }),
            Some(_) => match last.filter(|_| ordered) {
                Some(last) => Some(Cursor::After(last)),
                None => {
                    return Err(Error::paging(
                        Provider::Autotask,
                        self.operation,
                        "paging by id, the records did not come in id order",
                    ));
                }
            },
        };
        Ok((items, next))
    }
}

/// Errors that mean the link itself did not work (refused, not found, too
/// long, a server failure on it), as opposed to credentials or throttling.
fn link_failed(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::Api | ErrorKind::NotFound | ErrorKind::Server
    )
}
