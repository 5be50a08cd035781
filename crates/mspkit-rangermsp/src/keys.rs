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
//! The folding is core's [`AnyCase`](mspkit_core::de::AnyCase), while the record is read, with no
//! rewritten copy of it: values pass through untouched, the raw JSON is
//! never rewritten, and a decode error's path names the key as the server
//! spelled it (`data[0].UPDATEDATE`).
//!
//! A record that carries one field under two spellings keeps the first one
//! read and ignores the rest rather than failing. The client reads every
//! record from a `serde_json` map, whose keys are in key order (unless
//! serde_json's `preserve_order` is on), so the spelling that sorts first
//! wins (`ACCOUNTREC_ID`, then `AccountREC_ID`, then `accountRecId`),
//! whatever the order of the body.

use mspkit_core::de::Fold;

/// How RangerMSP's keys are compared (see the module docs).
pub(crate) const FOLD: Fold = Fold::CaseAndUnderscores;

/// Whether two keys name the same field: equal but for ASCII case and
/// underscores.
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    FOLD.same_key(a, b)
}
