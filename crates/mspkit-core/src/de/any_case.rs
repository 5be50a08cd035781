//! Reading a record's keys whatever their case (and, if asked, their
//! underscores), while the record is read.

use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// What two keys may differ in and still name one field. Case is folded for
/// ASCII only: platforms' field names are ASCII, and folding Unicode would
/// cost an allocation per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fold {
    /// ASCII case only: `accountId`, `AccountId`, `ACCOUNTID`, `accountid`.
    Case,
    /// ASCII case and underscores: `AccountREC_ID`, `accountRecId` and
    /// `account_rec_id` too. Only for a platform where no two names it
    /// sends differ in underscores alone.
    CaseAndUnderscores,
}

impl Fold {
    /// A key's bytes as compared.
    fn bytes(self, key: &str) -> impl Iterator<Item = u8> + '_ {
        key.bytes()
            .filter(move |b| self == Fold::Case || *b != b'_')
            .map(|b| b.to_ascii_lowercase())
    }

    /// Whether `a` and `b` name the same field under this folding.
    ///
    /// ```
    /// use mspkit_core::de::Fold;
    ///
    /// assert!(Fold::Case.same_key("accountId", "ACCOUNTID"));
    /// assert!(!Fold::Case.same_key("account_id", "accountId"));
    /// assert!(Fold::CaseAndUnderscores.same_key("AccountREC_ID", "accountRecId"));
    /// ```
    pub fn same_key(self, a: &str, b: &str) -> bool {
        self.bytes(a).eq(self.bytes(b))
    }

    /// Whether `name` folds to `key`, folded already. It runs for every key
    /// against the fields of a record, so it must not allocate.
    fn folds_to(self, name: &str, key: &str) -> bool {
        self.bytes(name).eq(key.bytes())
    }
}

/// Another spelling of a field that folding alone does not reach, as
/// `(other, declared)`: `("LastUpdateDate", "UpdateDate")` reads
/// `lastupdatedate` into the field declared as `UpdateDate`. Both sides are
/// compared folded, and `declared` is the name serde gives the field (after
/// `rename` or `rename_all`).
pub type Synonym = (&'static str, &'static str);

/// A deserializer whose structs read their keys folded: each key is handed
/// to the struct's derived `Deserialize` as the declared name of the field
/// it folds to. Anything but a struct is read as `D` reads it, and nested
/// records fold only if their own `Deserialize` wraps its deserializer too.
///
/// Nothing is rewritten: values pass through untouched, a raw copy of the
/// body keeps the keys as sent, and an error path tracked around `D` (as
/// [`crate::http::decode_json`] does) names the key as sent
/// (`result[0].ACCOUNTID`). Keys are folded into one buffer reused from key
/// to key, so reading allocates nothing per key.
///
/// A record that carries one field under two spellings keeps the first one
/// read and skips the rest, rather than failing as a derived struct does on
/// a repeated field: a server that sends both was not asked to choose. From
/// a `serde_json` map (sorted unless `preserve_order` is on) the spelling
/// that sorts first is read.
///
/// The usual way in is `#[serde(remote = "Self")]`, which turns the derived
/// `Deserialize` into an inherent function, and a hand-written
/// `Deserialize` that runs it through `AnyCase`, so no caller can read the
/// record with case-sensitive keys by mistake:
///
/// ```
/// use mspkit_core::de::{AnyCase, Fold};
/// use serde::{Deserialize, Deserializer};
///
/// #[derive(Debug, Deserialize)]
/// #[serde(remote = "Self", rename_all = "camelCase")]
/// struct Ticket {
///     account_id: i64,
///     #[serde(default)]
///     modified_on: Option<String>,
/// }
///
/// impl<'de> Deserialize<'de> for Ticket {
///     fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
///         Ticket::deserialize(
///             AnyCase::new(d, Fold::Case).with_synonyms(&[("LastModified", "modifiedOn")]),
///         )
///     }
/// }
///
/// let t: Ticket = serde_json::from_str(r#"{"ACCOUNTID": 7, "lastModified": "x"}"#)?;
/// assert_eq!((t.account_id, t.modified_on.as_deref()), (7, Some("x")));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub struct AnyCase<D> {
    inner: D,
    fold: Fold,
    synonyms: &'static [Synonym],
}

impl<D> AnyCase<D> {
    /// Wraps `inner`, folding keys as `fold` says, with no synonyms.
    pub fn new(inner: D, fold: Fold) -> Self {
        AnyCase {
            inner,
            fold,
            synonyms: &[],
        }
    }

    /// Also reads each synonym's `other` spelling as its `declared` field.
    /// Synonyms are looked at before the declared names.
    #[must_use]
    pub fn with_synonyms(mut self, synonyms: &'static [Synonym]) -> Self {
        self.synonyms = synonyms;
        self
    }
}

impl<D> fmt::Debug for AnyCase<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnyCase")
            .field("fold", &self.fold)
            .field("synonyms", &self.synonyms)
            .finish_non_exhaustive()
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
            fold: self.fold,
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
    fold: Fold,
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
            fold: self.fold,
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
    fold: Fold,
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
        let (fold, key) = (self.fold, self.key.as_str());
        let declared = self
            .synonyms
            .iter()
            .find(|(other, _)| fold.folds_to(other, key))
            .map(|(_, declared)| *declared);
        match declared {
            Some(name) => self.fields.iter().position(|f| *f == name),
            None => self.fields.iter().position(|f| fold.folds_to(f, key)),
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
            let fold = FoldInto {
                key: &mut self.key,
                fold: self.fold,
            };
            if self.inner.next_key_seed(fold)?.is_none() {
                return Ok(None);
            }
            match self.field() {
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
struct FoldInto<'a> {
    key: &'a mut String,
    fold: Fold,
}

impl<'de> DeserializeSeed<'de> for FoldInto<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for FoldInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        let drop_underscores = self.fold == Fold::CaseAndUnderscores;
        self.key.clear();
        self.key.extend(
            key.chars()
                .filter(|c| !(drop_underscores && *c == '_'))
                .map(|c| c.to_ascii_lowercase()),
        );
        debug_assert!(self.fold.bytes(key).eq(self.key.bytes()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// A record with .NET names, read with underscores folded.
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
            Rec::deserialize(
                AnyCase::new(d, Fold::CaseAndUnderscores)
                    .with_synonyms(&[("LastUpdateDate", "UpdateDate")]),
            )
        }
    }

    /// A camelCase record, read with case folded only.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(remote = "Self", rename_all = "camelCase")]
    struct Camel {
        #[serde(default)]
        account_id: Option<i64>,
        #[serde(default)]
        account_i_d: Option<i64>,
        #[serde(default)]
        nested: Option<Vec<Camel>>,
    }

    impl<'de> Deserialize<'de> for Camel {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Camel::deserialize(AnyCase::new(d, Fold::Case))
        }
    }

    fn rec(v: serde_json::Value) -> Rec {
        <Rec as Deserialize>::deserialize(v).unwrap()
    }

    fn camel(v: serde_json::Value) -> Camel {
        <Camel as Deserialize>::deserialize(v).unwrap()
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
        let f = Fold::CaseAndUnderscores;
        assert!(f.same_key("TicketREC_ID", "ticket_rec_id"));
        assert!(!f.same_key("TicketREC_ID", "TicketREC"));
        assert!(f.folds_to("Status_Text", "statustext"));
        assert!(!f.folds_to("Status_Text", "status"));
        assert!(!f.folds_to("Status", "statustext"));
    }

    #[test]
    fn case_only_keeps_underscores_apart() {
        for key in ["accountId", "AccountId", "ACCOUNTID", "accountid"] {
            assert_eq!(camel(json!({ key: 1 })).account_id, Some(1), "{key}");
        }
        // `account_id` is not `accountId` when only case is folded: it is
        // an unknown key, ignored.
        assert_eq!(camel(json!({"account_id": 1})).account_id, None);
        assert!(Fold::Case.same_key("ID", "id"));
        assert!(!Fold::Case.same_key("a_b", "ab"));
        assert!(!Fold::Case.folds_to("accountId", "account_id"));
        // Nested records fold through their own `Deserialize`.
        let c = camel(json!({"NESTED": [{"AccountID": 2}]}));
        assert_eq!(c.nested.unwrap()[0].account_id, Some(2));
    }

    #[test]
    fn synonyms_and_repeats_keep_the_first_read() {
        let r = rec(json!({"AccountREC_ID": "A", "lastupdatedate": "x"}));
        assert_eq!(r.updated.as_deref(), Some("x"));
        let text = r#"{"accountRecId": "B", "AccountREC_ID": "A", "LASTUPDATEDATE": "y", "UpdateDate": "x"}"#;
        let r: Rec = serde_json::from_str(text).unwrap();
        assert_eq!((r.id.as_str(), r.updated.as_deref()), ("B", Some("y")));
        // Two declared fields that fold alike: the first declared wins,
        // the other is never reached (why `Fold::Case` callers check that
        // their names stay apart).
        let c: Camel = serde_json::from_str(r#"{"accountID": 3}"#).unwrap();
        assert_eq!((c.account_id, c.account_i_d), (Some(3), None));
    }

    #[test]
    fn errors_name_the_key_as_sent() {
        let text = r#"{"ACCOUNT_REC_ID": "A", "UPDATEDATE": 5}"#;
        let e = crate::http::decode_json::<Rec>(crate::Provider::RangerMsp, "op", text.as_bytes())
            .unwrap_err();
        assert_eq!(e.decode_path(), Some("UPDATEDATE"));
        let e = serde_json::from_value::<Rec>(json!({"updatedate": "x"})).unwrap_err();
        assert!(e.to_string().contains("AccountREC_ID"), "{e}");
    }

    #[test]
    fn other_shapes_pass_through() {
        let e = serde_json::from_str::<Camel>("5").unwrap_err();
        assert!(e.to_string().contains("struct Camel"), "{e}");
        let r: Rec = serde_json::from_str(r#"["A", null]"#).unwrap();
        assert_eq!(r.id, "A");
        let v = u32::deserialize(AnyCase::new(json!(7), Fold::Case)).unwrap();
        assert_eq!(v, 7);
    }
}
