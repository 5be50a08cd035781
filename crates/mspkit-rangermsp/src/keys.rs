//! Reading a record's keys whatever their case and underscores.
//!
//! Keys are compared with ASCII case folded and underscores dropped, so
//! `AccountREC_ID`, `accountRecId`, `ACCOUNTREC_ID`, `accountrec_id` and
//! `account_rec_id` are one field. Underscores are dropped as well as case
//! because RangerMSP's .NET names carry them inside the name
//! (`AccountREC_ID`, `Units_Hours`, `Price_Rate`), and a JSON layer in front
//! of them may keep them (`accountREC_ID`), turn the name into camelCase
//! (`accountRecId`) or into snake_case (`account_rec_id`). No two of the
//! names the provider notes list differ only in case or underscores, so
//! folding both merges nothing that was distinct. Case is folded for ASCII
//! only: every name RangerMSP documents is ASCII.
//!
//! The folding happens while the record is read, with no rewritten copy
//! of it: [`AnyCase`] wraps the deserializer a record's derived
//! `Deserialize` runs on and hands it each key as the field's declared
//! name. Values pass through untouched, the raw JSON is never rewritten,
//! and a decode error's path names the key as the server spelled it
//! (`data[0].UPDATEDATE`).
//!
//! A record that carries one field under two spellings keeps the first one
//! read and ignores the rest rather than failing. The client reads every
//! record from a `serde_json` map, whose keys are in key order (unless
//! serde_json's `preserve_order` is on), so the spelling that sorts first
//! wins (`ACCOUNTREC_ID`, then `AccountREC_ID`, then `accountRecId`),
//! whatever the order of the body.

use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A key's bytes with ASCII case folded and underscores dropped.
fn folded(key: &str) -> impl Iterator<Item = u8> + '_ {
    key.bytes()
        .filter(|b| *b != b'_')
        .map(|b| b.to_ascii_lowercase())
}

/// Whether two keys name the same field: equal but for ASCII case and
/// underscores.
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    folded(a).eq(folded(b))
}

/// Whether `name` folds to `key` (folded already). It runs for every key
/// against the fields of a record, so it allocates nothing.
fn folds_to(name: &str, key: &str) -> bool {
    folded(name).eq(key.bytes())
}

/// Another spelling of a field that folding alone does not reach
/// (`LastUpdateDate` for `UpdateDate`): `(other, declared)`.
pub(crate) type Synonym = (&'static str, &'static str);

/// A deserializer whose structs read their keys folded. Anything but a
/// struct is read as `D` reads it.
pub(crate) struct AnyCase<D> {
    inner: D,
    synonyms: &'static [Synonym],
}

impl<D> AnyCase<D> {
    pub(crate) fn new(inner: D, synonyms: &'static [Synonym]) -> Self {
        AnyCase { inner, synonyms }
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for AnyCase<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = Record {
            visitor,
            fields,
            synonyms: self.synonyms,
        };
        self.inner.deserialize_struct(name, fields, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The struct's own visitor, given a map whose keys are folded. A struct
/// written as an array has no keys and goes to it as it is; any other
/// shape is refused with the struct's own `expecting`.
struct Record<V> {
    visitor: V,
    fields: &'static [&'static str],
    synonyms: &'static [Synonym],
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Record<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Keys {
            inner: map,
            fields: self.fields,
            synonyms: self.synonyms,
            seen: vec![false; self.fields.len()],
            key: String::new(),
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }
}

/// A record's entries, each key handed on as the declared name of the
/// field it folds to.
struct Keys<A> {
    inner: A,
    fields: &'static [&'static str],
    synonyms: &'static [Synonym],
    /// The fields already read: a second spelling of one is skipped, since
    /// a derived struct fails on a field it meets twice.
    seen: Vec<bool>,
    /// The current key, folded; reused from key to key.
    key: String,
}

impl<A> Keys<A> {
    /// The index of the declared field the current key names, if any.
    fn field(&self) -> Option<usize> {
        let key = self.key.as_str();
        let declared = self
            .synonyms
            .iter()
            .find(|(other, _)| folds_to(other, key))
            .map(|(_, declared)| *declared);
        match declared {
            Some(name) => self.fields.iter().position(|f| *f == name),
            None => self.fields.iter().position(|f| folds_to(f, key)),
        }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Keys<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            // The key is read from the inner map, so a path tracker around
            // it records the key as sent, not as folded.
            if self.inner.next_key_seed(Fold(&mut self.key))?.is_none() {
                return Ok(None);
            }
            match self.field() {
                // Keep the first spelling read and do not fail: a server
                // that sends both was not asked to choose.
                Some(i) if self.seen[i] => {
                    self.inner.next_value::<IgnoredAny>()?;
                }
                Some(i) => {
                    self.seen[i] = true;
                    let name = StrDeserializer::<A::Error>::new(self.fields[i]);
                    return seed.deserialize(name).map(Some);
                }
                // Not a field: the struct decides (a derived one ignores it).
                None => {
                    let name = StrDeserializer::<A::Error>::new(&self.key);
                    return seed.deserialize(name).map(Some);
                }
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// Reads a key into the buffer, folded.
struct Fold<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for Fold<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Fold<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        self.0.clear();
        self.0.extend(
            key.chars()
                .filter(|c| *c != '_')
                .map(|c| c.to_ascii_lowercase()),
        );
        debug_assert!(folded(key).eq(self.0.bytes()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(remote = "Self")]
    struct Rec {
        #[serde(rename = "AccountREC_ID")]
        id: String,
        #[serde(rename = "UpdateDate", default)]
        updated: Option<String>,
    }

    impl<'de> Deserialize<'de> for Rec {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Rec::deserialize(AnyCase::new(d, &[("LastUpdateDate", "UpdateDate")]))
        }
    }

    fn rec(v: serde_json::Value) -> Rec {
        <Rec as Deserialize>::deserialize(v).unwrap()
    }

    #[test]
    fn every_casing_is_one_field() {
        for key in [
            "AccountREC_ID",
            "accountREC_ID",
            "accountRecId",
            "AccountRecId",
            "ACCOUNTREC_ID",
            "ACCOUNT_REC_ID",
            "accountrec_id",
            "account_rec_id",
            "accountrecid",
        ] {
            assert_eq!(rec(json!({ key: "A" })).id, "A", "{key}");
        }
        assert!(same_key("TicketREC_ID", "ticket_rec_id"));
        assert!(!same_key("TicketREC_ID", "TicketREC"));
        assert!(folds_to("Status_Text", "statustext"));
        assert!(!folds_to("Status_Text", "status"));
        assert!(!folds_to("Status", "statustext"));
    }

    #[test]
    fn synonyms_and_repeats_keep_the_first_read() {
        let r = rec(json!({"AccountREC_ID": "A", "lastupdatedate": "x"}));
        assert_eq!(r.updated.as_deref(), Some("x"));
        let text = r#"{"accountRecId": "B", "AccountREC_ID": "A", "LASTUPDATEDATE": "y", "UpdateDate": "x"}"#;
        let r: Rec = serde_json::from_str(text).unwrap();
        assert_eq!((r.id.as_str(), r.updated.as_deref()), ("B", Some("y")));
    }

    #[test]
    fn errors_name_the_key_as_sent() {
        let text = r#"{"ACCOUNT_REC_ID": "A", "UPDATEDATE": 5}"#;
        let e = mspkit_core::http::decode_json::<Rec>(
            mspkit_core::Provider::RangerMsp,
            "op",
            text.as_bytes(),
        )
        .unwrap_err();
        assert_eq!(e.decode_path(), Some("UPDATEDATE"));
        let e = serde_json::from_value::<Rec>(json!({"updatedate": "x"})).unwrap_err();
        assert!(e.to_string().contains("AccountREC_ID"), "{e}");
    }
}
