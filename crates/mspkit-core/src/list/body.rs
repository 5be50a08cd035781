//! Reading one page's body: the items (typed), and the few fields around
//! them that say where the list goes next.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::{Item, ItemsAt};
use crate::error::{Error, Result, snippet};
use crate::http::{decode_json, decode_value_at};
use crate::model::Provider;

/// A decoded page: its items, the keys a keyset walk needs, and the body's
/// other top-level fields (totals, next links).
pub(crate) struct PageBody<A> {
    pub items: Vec<Item<A>>,
    pub keys: Vec<String>,
    pub meta: Value,
    /// The provider's page check said the list has ended here.
    pub end: bool,
}

/// What the decoder needs to know about the list.
pub(crate) struct Shape<'a> {
    pub provider: Provider,
    pub operation: &'static str,
    pub items: &'a ItemsAt,
    pub keep_raw: bool,
    /// The field a keyset walk reads from each item.
    pub key_field: Option<&'static str>,
    /// The provider's reading of a page before its items are.
    pub check: Option<&'a super::PageCheck>,
}

impl Shape<'_> {
    /// Decodes `body`. A body without the list (an error object answered
    /// with 200, an HTML page) is a `Decode` error, never an empty page.
    pub fn decode<A: DeserializeOwned>(&self, body: &[u8]) -> Result<PageBody<A>> {
        if let Some(check) = self.check {
            // A platform that answers failures with 200 says so in the page's
            // own fields: read them before looking for the list.
            if let Ok(page) = serde_json::from_slice::<Value>(body) {
                if check(&page)? == super::PageVerdict::End {
                    return Ok(PageBody {
                        items: Vec::new(),
                        keys: Vec::new(),
                        meta: Value::Null,
                        end: true,
                    });
                }
            }
        }
        if self.keep_raw || self.key_field.is_some() {
            return self.decode_via_value(body);
        }
        match self.items {
            ItemsAt::Root => {
                let items: Vec<A> = decode_json(self.provider, self.operation, body)?;
                Ok(PageBody {
                    items: items.into_iter().map(Item::new).collect(),
                    keys: Vec::new(),
                    meta: Value::Null,
                    end: false,
                })
            }
            ItemsAt::Key(key) => self.decode_envelope(key, body),
        }
    }

    /// The fast path for `{ "<key>": [...], ... }`: items decoded straight
    /// into their type, the other fields kept as JSON.
    fn decode_envelope<A: DeserializeOwned>(
        &self,
        key: &'static str,
        body: &[u8],
    ) -> Result<PageBody<A>> {
        let seed = || Envelope::<A> {
            key,
            item: PhantomData,
        };
        let mut de = serde_json::Deserializer::from_slice(body);
        let parts = match seed()
            .deserialize(&mut de)
            .and_then(|p| de.end().map(|()| p))
        {
            Ok(parts) => parts,
            Err(plain) => return Err(self.envelope_error(key, body, plain, seed())),
        };
        let items = match parts.items {
            Some(items) => items,
            None => return Err(self.missing(key, &parts.meta, body)),
        };
        Ok(PageBody {
            items: items.into_iter().map(Item::new).collect(),
            keys: Vec::new(),
            meta: Value::Object(parts.meta),
            end: false,
        })
    }

    /// Decodes again while tracking the path, to name the field that failed.
    fn envelope_error<A: DeserializeOwned>(
        &self,
        key: &'static str,
        body: &[u8],
        plain: serde_json::Error,
        seed: Envelope<A>,
    ) -> Error {
        let mut de = serde_json::Deserializer::from_slice(body);
        let mut track = serde_path_to_error::Track::new();
        let traced = seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track));
        let (path, source) = match traced {
            Err(e) => (track.path().to_string(), e),
            Ok(_) => (key.to_owned(), plain),
        };
        let text = String::from_utf8_lossy(body);
        Error::decode(self.provider, self.operation, path, source, &text)
    }

    fn decode_via_value<A: DeserializeOwned>(&self, body: &[u8]) -> Result<PageBody<A>> {
        let value: Value = decode_json(self.provider, self.operation, body)?;
        let (list, meta, prefix) = match (self.items, value) {
            (ItemsAt::Root, Value::Array(list)) => (list, Value::Null, String::new()),
            (ItemsAt::Key(key), Value::Object(mut map)) => match map.remove(*key) {
                Some(Value::Array(list)) => (list, Value::Object(map), (*key).to_owned()),
                Some(Value::Null) | None => {
                    return Err(self.missing(key, &map, body));
                }
                Some(other) => {
                    return Err(Error::decode(
                        self.provider,
                        self.operation,
                        *key,
                        "not a list",
                        &other.to_string(),
                    ));
                }
            },
            (ItemsAt::Root, other) => {
                return Err(Error::decode(
                    self.provider,
                    self.operation,
                    ".",
                    "the answer is not a list",
                    &other.to_string(),
                ));
            }
            (ItemsAt::Key(key), other) => {
                return Err(Error::decode(
                    self.provider,
                    self.operation,
                    ".",
                    format!("the answer is not an object holding `{key}`"),
                    &other.to_string(),
                ));
            }
        };
        let mut items = Vec::with_capacity(list.len());
        let mut keys = Vec::new();
        for (i, v) in list.into_iter().enumerate() {
            let at = format!("{prefix}[{i}]");
            if let Some(field) = self.key_field {
                keys.push(key_text(&v, field).ok_or_else(|| {
                    Error::decode(
                        self.provider,
                        self.operation,
                        format!("{at}.{field}"),
                        "the paging key is missing or not a number or text",
                        &v.to_string(),
                    )
                })?);
            }
            let raw = self.keep_raw.then(|| v.clone());
            let value = decode_value_at(self.provider, self.operation, &at, v)?;
            items.push(Item { value, raw });
        }
        Ok(PageBody {
            items,
            keys,
            meta,
            end: false,
        })
    }

    /// A body that lacks the list (or holds `null` there): an error, since an
    /// error object answered with 200 looks just like that.
    fn missing(&self, key: &str, meta: &Map<String, Value>, body: &[u8]) -> Error {
        let shown = snippet(body);
        Error::decode(
            self.provider,
            self.operation,
            key,
            format!(
                "the answer has no `{key}` list (fields: {})",
                meta.keys().take(8).cloned().collect::<Vec<_>>().join(", ")
            ),
            &shown,
        )
    }
}

/// A keyset key as text: a string as is, a number in its JSON form.
fn key_text(item: &Value, field: &str) -> Option<String> {
    match item.get(field)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The top-level object of a page: the list under `key`, every other field
/// kept as JSON.
struct Envelope<A> {
    key: &'static str,
    item: PhantomData<A>,
}

struct Parts<A> {
    items: Option<Vec<A>>,
    meta: Map<String, Value>,
}

impl<'de, A: DeserializeOwned> DeserializeSeed<'de> for Envelope<A> {
    type Value = Parts<A>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        de: D,
    ) -> std::result::Result<Parts<A>, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de, A: DeserializeOwned> Visitor<'de> for Envelope<A> {
    type Value = Parts<A>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object holding the `{}` list", self.key)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> std::result::Result<Parts<A>, M::Error> {
        let mut items = None;
        let mut meta = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if k == self.key {
                items = map.next_value::<Option<Vec<A>>>()?;
            } else {
                meta.insert(k, map.next_value::<Value>()?);
            }
        }
        Ok(Parts { items, meta })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct T {
        id: u64,
        summary: String,
    }

    fn shape<'a>(items: &'a ItemsAt, keep_raw: bool, key: Option<&'static str>) -> Shape<'a> {
        Shape {
            provider: Provider::Halo,
            operation: "tickets",
            items,
            keep_raw,
            key_field: key,
            check: None,
        }
    }

    const BODY: &str = r#"{"page_no":1,"record_count":3,"tickets":[{"id":1,"summary":"a"},{"id":2,"summary":"b"}]}"#;

    #[test]
    fn an_envelope_gives_items_and_the_fields_around_them() {
        let at = ItemsAt::Key("tickets");
        for keep_raw in [false, true] {
            let page: PageBody<T> = shape(&at, keep_raw, None).decode(BODY.as_bytes()).unwrap();
            assert_eq!(page.items.len(), 2);
            assert_eq!(page.items[1].value.summary, "b");
            assert_eq!(page.items[0].raw.is_some(), keep_raw);
            assert_eq!(page.meta.pointer("/record_count"), Some(&Value::from(3)));
        }
    }

    #[test]
    fn a_body_without_the_list_is_a_decode_error_never_an_empty_page() {
        let at = ItemsAt::Key("tickets");
        for keep_raw in [false, true] {
            let err = shape(&at, keep_raw, None)
                .decode::<T>(br#"{"message":"An error occurred"}"#)
                .err()
                .unwrap();
            let text = err.to_string();
            assert!(text.contains("no `tickets` list"), "{text}");
            assert!(text.contains("message"), "{text}");
        }
        let root = ItemsAt::Root;
        assert!(shape(&root, false, None).decode::<T>(b"<html>").is_err());
        assert!(shape(&root, true, None).decode::<T>(br#"{"a":1}"#).is_err());
    }

    #[test]
    fn a_bad_item_names_its_field() {
        let at = ItemsAt::Key("tickets");
        let body = br#"{"tickets":[{"id":1,"summary":"a"},{"id":"x","summary":"b"}]}"#;
        for keep_raw in [false, true] {
            let err = shape(&at, keep_raw, None)
                .decode::<T>(body)
                .err()
                .unwrap()
                .to_string();
            assert!(err.contains("tickets[1].id"), "{err}");
        }
    }

    #[test]
    fn keyset_keys_are_read_from_each_item() {
        let root = ItemsAt::Root;
        let page: PageBody<T> = shape(&root, false, Some("id"))
            .decode(br#"[{"id":7,"summary":"a"},{"id":9,"summary":"b"}]"#)
            .unwrap();
        assert_eq!(page.keys, vec!["7", "9"]);
        let err = shape(&root, false, Some("uid"))
            .decode::<T>(br#"[{"id":7,"summary":"a"}]"#)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("[0].uid"), "{err}");
    }
}
