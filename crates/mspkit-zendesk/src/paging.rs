//! Walking the Zendesk lists the kit cannot walk yet.
//!
//! The organization and user exports go through the kit
//! (`Paging::next_url(..).until_true("/end_of_stream")`). The cursor lists
//! and the ticket export stay here, on core's [`Pager`] with a page function
//! of their own, for three things the kit's walk does not offer:
//!
//! - a flag that is missing, or says more follow with no link, is an error
//!   here (`meta.has_more`, `end_of_stream`); the kit ends the list there,
//!   which would end a list that fell back to offset paging after one page;
//! - the side-loads (`users`, `metric_sets`) sit next to the items, and the
//!   kit's mapper sees only the items;
//! - the ticket export's `after_url` carries only its cursor, so the
//!   side-loads (and `per_page`) are added back to every page; the kit
//!   follows a next URL as given.
//!
//! Cursor lists (`page[size]=N`) carry `meta.has_more` and `links.next`,
//! and go on **while `has_more` is true** (the last page may still link
//! onwards). The ticket export carries `end_of_stream` and `after_url`,
//! there on the last page too, and ends **when `end_of_stream` is true**.
//! The pager brings read-ahead, the limit, a cursor seen twice, pages of
//! repeats and endless empty pages refused, items yielded once; a body
//! without the list is a `Decode` error, and a next URL on another host is
//! refused by the transport.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use mspkit_core::http::{Http, decode_value_at};
use mspkit_core::list::Item;
use mspkit_core::paging::{Page, Pager};
use mspkit_core::{Error, ItemStream, Keyed, Provider, Result};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api::{MetricSet, SideUser};

const P: Provider = Provider::Zendesk;

/// The largest page of a cursor list.
pub(crate) const MAX_PAGE: u32 = 100;
/// The largest page of an incremental export.
pub(crate) const MAX_EXPORT_PAGE: u32 = 1000;

/// How a list says it goes on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ending {
    /// `links.next` while `meta.has_more` is true (cursor pagination).
    HasMore,
    /// The URL in field `next` while `end_of_stream` is false (exports).
    EndOfStream {
        /// `after_url` (the ticket export).
        next: &'static str,
    },
}

/// Where the next page is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Cursor {
    /// The list's own request.
    First,
    /// A URL the server handed back.
    Url(String),
}

/// What a page side-loads next to its items (`include=users,metric_sets`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Side {
    /// User names by id.
    pub users: HashMap<u64, String>,
    /// Solve times by ticket id.
    pub solved_at: HashMap<u64, DateTime<Utc>>,
}

impl Side {
    /// Reads the side-loaded `users` and `metric_sets` of a body; what
    /// cannot be read is left out (it only names people and times).
    pub(crate) fn from_body(body: &Map<String, Value>) -> Self {
        let mut side = Side::default();
        if let Some(Value::Array(users)) = body.get("users") {
            for u in users {
                if let Ok(SideUser {
                    id,
                    name: Some(name),
                }) = serde_json::from_value(u.clone())
                {
                    side.users.insert(id, name);
                }
            }
        }
        let sets = match body.get("metric_sets") {
            Some(Value::Array(sets)) => sets.clone(),
            _ => body.get("metric_set").cloned().into_iter().collect(),
        };
        {
            for m in &sets {
                if let Ok(MetricSet {
                    ticket_id: Some(t),
                    solved_at: Some(at),
                }) = serde_json::from_value(m.clone())
                {
                    side.solved_at.insert(t, at);
                }
            }
        }
        side
    }
}

/// A mapped item and whether the caller wants it: the part of a query
/// Zendesk cannot filter (counted as received, then dropped).
pub(crate) struct Row<T> {
    pub item: T,
    pub keep: bool,
}

impl<T> Row<T> {
    pub(crate) fn keep(item: T) -> Self {
        Row { item, keep: true }
    }
}

impl<T: Keyed> Keyed for Row<T> {
    fn key(&self) -> Option<&str> {
        self.item.key()
    }
}

/// One list: its first request, where the items are, and how it ends.
#[derive(Debug, Clone)]
pub(crate) struct List {
    pub operation: &'static str,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub items: &'static str,
    pub ending: Ending,
    pub target: Option<String>,
    pub limit: Option<usize>,
    pub keep_raw: bool,
}

impl List {
    /// A cursor list of `path`, `page[size]` set from the query (at most 100).
    pub(crate) fn cursor(
        operation: &'static str,
        path: impl Into<String>,
        items: &'static str,
        page_size: Option<u32>,
        limit: Option<usize>,
    ) -> Self {
        let size = size(page_size, limit, MAX_PAGE);
        List {
            operation,
            path: path.into(),
            query: vec![("page[size]".to_owned(), size.to_string())],
            items,
            ending: Ending::HasMore,
            target: None,
            limit,
            keep_raw: false,
        }
    }

    /// An incremental export of `path` from `start_time` (Unix seconds);
    /// `per_page` only when the caller asked for a size.
    pub(crate) fn export(
        operation: &'static str,
        path: impl Into<String>,
        items: &'static str,
        next: &'static str,
        start_time: i64,
        page_size: Option<u32>,
        limit: Option<usize>,
    ) -> Self {
        let mut query = vec![("start_time".to_owned(), start_time.to_string())];
        if page_size.is_some() || limit.is_some() {
            let n = size(page_size, limit, MAX_EXPORT_PAGE);
            query.push(("per_page".to_owned(), n.to_string()));
        }
        List {
            operation,
            path: path.into(),
            query,
            items,
            ending: Ending::EndOfStream { next },
            target: None,
            limit,
            keep_raw: false,
        }
    }

    /// Adds a query parameter to the first request (later pages are the
    /// server's URLs, which carry it).
    pub(crate) fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_owned(), value.into()));
        self
    }

    /// Names what errors are about (`ticket_notes 42: not found`).
    pub(crate) fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    pub(crate) fn keep_raw(mut self, yes: bool) -> Self {
        self.keep_raw = yes;
        self
    }

    /// Walks the list, mapping each page with `map` (which may look
    /// something up first) and dropping the rows it marks as unwanted.
    pub(crate) fn walk<A, T, F, Fut>(self, http: &Http, map: F) -> ItemStream<'static, T>
    where
        A: DeserializeOwned + Send + 'static,
        T: Keyed + Send + 'static,
        F: Fn(Vec<Item<A>>, Side) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<Row<T>>>> + Send + 'static,
    {
        let pager = Pager::new(P, self.operation)
            .limit(self.limit)
            .dedupe()
            .filter(|row: &Row<T>| row.keep);
        let shared = Arc::new((http.clone(), self, map));
        pager
            .stream(Cursor::First, move |cursor| {
                let shared = shared.clone();
                async move {
                    let (http, list, map) = &*shared;
                    let (items, side, next) = list.page::<A>(http, &cursor).await?;
                    let rows = map(items, side).await?;
                    Ok(Page::new(rows, next))
                }
            })
            .map(|r| r.map(|row| row.item))
            .boxed()
    }

    /// Fetches and reads one page.
    async fn page<A: DeserializeOwned>(
        &self,
        http: &Http,
        cursor: &Cursor,
    ) -> Result<(Vec<Item<A>>, Side, Option<Cursor>)> {
        let op = self.operation;
        let mut req = match cursor {
            Cursor::First => http.get(op, &self.path).query(&self.query),
            Cursor::Url(url) => {
                let req = http.request_url(Method::GET, op, url)?;
                // Every page keeps the list's parameters: the server's URL
                // carries them, and any it left out are added (never the
                // export's `start_time`, which its cursor replaces).
                let present: Vec<String> = req
                    .url()
                    .query_pairs()
                    .map(|(k, _)| k.into_owned())
                    .collect();
                let missing: Vec<&(String, String)> = self
                    .query
                    .iter()
                    .filter(|(k, _)| k != "start_time" && !present.contains(k))
                    .collect();
                let missing: Vec<(&str, &str)> = missing
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                req.query(&missing)
            }
        };
        if let Some(t) = &self.target {
            req = req.target(t.clone());
        }
        let resp = req.send().await?;
        let body: Value = resp.json()?;
        let text = || String::from_utf8_lossy(resp.body()).into_owned();
        let key = self.items;
        let Value::Object(mut map) = body else {
            return Err(Error::decode(
                P,
                op,
                ".",
                format!("the answer is not an object holding `{key}`"),
                &text(),
            ));
        };
        let list = match map.remove(key) {
            Some(Value::Array(list)) => list,
            Some(Value::Null) | None => {
                let fields: Vec<&str> = map.keys().take(8).map(String::as_str).collect();
                return Err(Error::decode(
                    P,
                    op,
                    key,
                    format!(
                        "the answer has no `{key}` list (fields: {})",
                        fields.join(", ")
                    ),
                    &text(),
                ));
            }
            Some(other) => {
                return Err(Error::decode(P, op, key, "not a list", &other.to_string()));
            }
        };
        let next = self.next(&map, &text)?;
        let mut items = Vec::with_capacity(list.len());
        for (i, v) in list.into_iter().enumerate() {
            let raw = self.keep_raw.then(|| v.clone());
            let value = decode_value_at(P, op, &format!("{key}[{i}]"), v)?;
            items.push(Item { value, raw });
        }
        Ok((items, Side::from_body(&map), next))
    }

    /// Where the list goes after a page, from its flag and its link.
    fn next(&self, body: &Map<String, Value>, text: &dyn Fn() -> String) -> Result<Option<Cursor>> {
        let op = self.operation;
        let (more, flag, link, url) = match self.ending {
            Ending::HasMore => (
                body.get("meta")
                    .and_then(|m| m.get("has_more"))
                    .and_then(Value::as_bool),
                "meta.has_more",
                "links.next",
                body.get("links").and_then(|l| l.get("next")),
            ),
            Ending::EndOfStream { next } => (
                body.get("end_of_stream")
                    .and_then(Value::as_bool)
                    .map(|end| !end),
                "end_of_stream",
                next,
                body.get(next),
            ),
        };
        let Some(more) = more else {
            return Err(Error::decode(
                P,
                op,
                flag,
                "missing or not true/false, so the end of the list cannot be told",
                &text(),
            ));
        };
        if !more {
            return Ok(None);
        }
        match url {
            Some(Value::String(u)) if !u.trim().is_empty() => {
                Ok(Some(Cursor::Url(u.trim().to_owned())))
            }
            _ => Err(Error::paging(
                P,
                op,
                format!("the page says more follow ({flag}) but has no {link}"),
            )),
        }
    }
}

/// The page size to ask for: the query's, or the largest, never more than
/// a small limit needs.
pub(crate) fn size(page_size: Option<u32>, limit: Option<usize>, max: u32) -> u32 {
    let asked = page_size.unwrap_or(max).clamp(1, max);
    match limit {
        Some(l) => asked.min(l.clamp(1, max as usize) as u32),
        None => asked,
    }
}
