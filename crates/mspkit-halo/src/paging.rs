//! Halo's paging: `pageinate=true&page_size=N&page_no=K` (1-based), with the
//! whole list's size in `record_count`.
//!
//! Halo serves at most 100 items a page whatever is asked, so we ask for at
//! most 100, take the page size from what came back, and leave the total
//! check to core's `Pager` (a walk that ends short is an error, not a list).

use mspkit_core::http::{Http, decode_json, decode_value, decode_value_at};
use mspkit_core::{Error, Provider, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;

const P: Provider = Provider::Halo;

/// The largest page Halo serves.
pub(crate) const MAX_PAGE_SIZE: u64 = 100;

/// Where the next page starts: its number at a page size, and how many items
/// came before it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Cursor {
    page_no: u64,
    page_size: u64,
    received: u64,
}

impl Cursor {
    /// Page 1 at the asked size, capped at Halo's maximum.
    pub(crate) fn first(page_size: Option<u32>) -> Self {
        Cursor {
            page_no: 1,
            page_size: page_size
                .map(u64::from)
                .unwrap_or(MAX_PAGE_SIZE)
                .clamp(1, MAX_PAGE_SIZE),
            received: 0,
        }
    }
}

/// One page as Halo sent it, items still undecoded.
pub(crate) struct RawPage {
    pub(crate) items: Vec<Value>,
    pub(crate) next: Option<Cursor>,
    pub(crate) total: Option<u64>,
}

/// One list request: the path, the list's property name, and its filters
/// (kept on every page).
#[derive(Debug, Clone)]
pub(crate) struct ListRequest {
    pub(crate) operation: &'static str,
    pub(crate) path: String,
    pub(crate) key: &'static str,
    pub(crate) query: Vec<(String, String)>,
}

impl ListRequest {
    pub(crate) fn new(operation: &'static str, path: impl Into<String>, key: &'static str) -> Self {
        ListRequest {
            operation,
            path: path.into(),
            key,
            query: Vec::new(),
        }
    }

    pub(crate) fn param(mut self, k: &str, v: impl Into<String>) -> Self {
        self.query.push((k.to_owned(), v.into()));
        self
    }

    pub(crate) fn param_opt(self, k: &str, v: Option<impl Into<String>>) -> Self {
        match v {
            Some(v) => self.param(k, v),
            None => self,
        }
    }

    /// Fetches the page at `cursor`.
    pub(crate) async fn fetch(&self, http: &Http, cursor: &Cursor) -> Result<RawPage> {
        let size = cursor.page_size.to_string();
        let page_no = cursor.page_no.to_string();
        let resp = http
            .get(self.operation, &self.path)
            .query(&self.query)
            .query(&[
                ("pageinate", "true"),
                ("page_size", size.as_str()),
                ("page_no", page_no.as_str()),
            ])
            .send()
            .await?;
        let body: Value = resp.json()?;
        let (items, total) = split_list(self.operation, self.key, body)?;
        let next = next_cursor(self.operation, cursor, items.len() as u64, total)?;
        Ok(RawPage { items, next, total })
    }
}

/// The items and `record_count` of a list answer. A bare array (an endpoint
/// that does not page) is the whole list.
pub(crate) fn split_list(
    op: &'static str,
    key: &str,
    body: Value,
) -> Result<(Vec<Value>, Option<u64>)> {
    match body {
        Value::Array(items) => Ok((items, None)),
        Value::Object(mut map) => {
            let total = match map.get("record_count") {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.as_u64().ok_or_else(|| {
                    Error::decode(P, op, "record_count", "not a count", &v.to_string())
                })?),
            };
            match map.remove(key) {
                Some(Value::Array(items)) => Ok((items, total)),
                None | Some(Value::Null) if total == Some(0) => Ok((Vec::new(), total)),
                Some(other) => Err(Error::decode(P, op, key, "not a list", &other.to_string())),
                None => Err(Error::decode(
                    P,
                    op,
                    key,
                    format!("the answer has no `{key}` list"),
                    "",
                )),
            }
        }
        other => Err(Error::decode(
            P,
            op,
            ".",
            "not a list answer",
            &other.to_string(),
        )),
    }
}

/// Where to go after a page of `n` items. Done when the total is reached (or,
/// without a total, on a short page). A page shorter than asked before the
/// end means the server capped it: carry on at the size it used.
fn next_cursor(
    op: &'static str,
    at: &Cursor,
    n: u64,
    total: Option<u64>,
) -> Result<Option<Cursor>> {
    let received = at.received + n;
    let done = match total {
        _ if n == 0 => true,
        Some(total) => received >= total,
        None => n < at.page_size,
    };
    if done {
        return Ok(None);
    }
    if received % n != 0 {
        return Err(Error::paging(
            P,
            op,
            format!(
                "page {} held {n} items after {} received; the next page cannot be found",
                at.page_no, at.received
            ),
        ));
    }
    Ok(Some(Cursor {
        page_no: received / n + 1,
        page_size: n,
        received,
    }))
}

/// Decodes the `index`-th item of the `key` list, naming `key[index].field` on failure.
pub(crate) fn decode_item<T: DeserializeOwned>(
    op: &'static str,
    key: &str,
    index: usize,
    value: Value,
) -> Result<T> {
    decode_value_at(P, op, &format!("{key}[{index}]"), value)
}

/// Decodes a single object, or the first of an array (Halo's writes answer
/// either way).
pub(crate) fn decode_one<T: DeserializeOwned>(op: &'static str, body: &[u8]) -> Result<(T, Value)> {
    let value: Value = decode_json(P, op, body)?;
    let value = match value {
        Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
        Value::Array(_) => {
            return Err(Error::decode(
                P,
                op,
                ".",
                "the answer is an empty list",
                "[]",
            ));
        }
        other => other,
    };
    let item = decode_value(P, op, value.clone())?;
    Ok((item, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(page_no: u64, page_size: u64, received: u64) -> Cursor {
        Cursor {
            page_no,
            page_size,
            received,
        }
    }

    #[test]
    fn pages_follow_the_total_and_the_size_served() {
        assert_eq!(Cursor::first(Some(500)), c(1, 100, 0));
        assert_eq!(Cursor::first(None), c(1, 100, 0));
        assert_eq!(Cursor::first(Some(0)), c(1, 1, 0));
        // Full pages until the total.
        assert_eq!(
            next_cursor("t", &c(1, 100, 0), 100, Some(717)).unwrap(),
            Some(c(2, 100, 100))
        );
        assert_eq!(
            next_cursor("t", &c(8, 100, 700), 17, Some(717)).unwrap(),
            None
        );
        // Asked 100, served 50: carry on at 50 a page.
        assert_eq!(
            next_cursor("t", &c(1, 100, 0), 50, Some(717)).unwrap(),
            Some(c(2, 50, 50))
        );
        // Without a total, a short page ends the list.
        assert_eq!(
            next_cursor("t", &c(1, 10, 0), 10, None).unwrap(),
            Some(c(2, 10, 10))
        );
        assert_eq!(next_cursor("t", &c(2, 10, 10), 3, None).unwrap(), None);
        // An empty page ends the walk; the Pager then checks the total.
        assert_eq!(next_cursor("t", &c(3, 10, 20), 0, Some(30)).unwrap(), None);
        // A short page in the middle that does not line up is an error.
        assert!(next_cursor("t", &c(2, 100, 100), 37, Some(300)).is_err());
    }
}
