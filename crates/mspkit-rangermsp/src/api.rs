//! The JSON shapes this crate reads, named with RangerMSP's own
//! programming-API vocabulary (`AccountREC_ID`, `CompanyName`,
//! `TicketREC_ID`, `RelLinkREC_ID`, ...). Keys are matched regardless of
//! case and underscores (see [`crate::keys`]); unknown fields are ignored
//! and stay in `raw`.
//!
//! Which names come from RangerMSP's documented .NET objects and which are
//! assumptions of this crate is listed on the provider's docs page.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use mspkit_core::de::{AnyCase, parse_utc};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::Value;

use crate::keys::FOLD;

/// The `Deserialize` of a record type: its derived one (`remote = "Self"`
/// makes that an inherent function) run with keys folded, so no call site
/// can read a record with case-sensitive keys by mistake. The pairs are
/// other names of a field that folding alone does not reach.
macro_rules! any_case {
    ($record:ident $(, $other:literal => $declared:literal)*) => {
        impl<'de> Deserialize<'de> for $record {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $record::deserialize(AnyCase::new(d, FOLD).with_synonyms(&[$(($other, $declared)),*]))
            }
        }
    };
}

/// A record id (`REC_ID`, 20 characters in RangerMSP): a string, or a number
/// read as text. Missing or blank is an error.
fn rec_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_rec_id(d)?.ok_or_else(|| de::Error::custom("the record id is missing"))
}

/// An optional record id: `null`, absent or blank is `None`.
fn opt_rec_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
        Some(other) => Err(de::Error::custom(format!("{other} is not a record id"))),
    }
}

/// Free text that may come as a number (`AccountNumber`, `Zip`); `null` is
/// `None`. Blank text is kept (the mapping drops it).
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(de::Error::custom(format!("{other} is not text"))),
    }
}

/// An integer code (`Status`, `AccountType`): a number or a numeric string;
/// `null` or blank is `None`.
fn code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{n} is not an integer code"))),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("{s:?} is not an integer code"))),
        Some(other) => Err(de::Error::custom(format!("{other} is not an integer code"))),
    }
}

/// A scalar kept as it came (a priority may be a label or a number).
fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(v @ (Value::String(_) | Value::Number(_))) => Ok(Some(v)),
        Some(other) => Err(de::Error::custom(format!(
            "{other} is not a text or a number"
        ))),
    }
}

/// Reads RangerMSP's date forms: `dd/mm/yyyy`, `dd/mm/yyyy HH:MM` and
/// `dd/mm/yyyy HH:MM:SS` (day first), read as UTC; ISO 8601 and RFC 3339
/// are accepted too. `None` when it is none of these.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim();
    for form in ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, form) {
            return Some(t.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%d/%m/%Y") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    parse_utc(s)
}

/// An optional date in a form [`parse_date`] reads; `null`, absent or
/// blank is `None`, anything else unreadable is an error quoting it.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => parse_date(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{s:?} is not a dd/mm/yyyy date"))),
    }
}

/// An account: a company (a main account) or, with a parent, a secondary
/// contact of one.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct Account {
    #[serde(rename = "AccountREC_ID", deserialize_with = "rec_id")]
    pub account_rec_id: String,
    /// The company a secondary contact belongs to.
    #[serde(
        rename = "ParentAccountREC_ID",
        default,
        deserialize_with = "opt_rec_id"
    )]
    pub parent_account_rec_id: Option<String>,
    #[serde(rename = "CompanyName", default, deserialize_with = "text")]
    pub company_name: Option<String>,
    /// The contact's full name.
    #[serde(rename = "Contact", default, deserialize_with = "text")]
    pub contact: Option<String>,
    #[serde(rename = "LastName", default, deserialize_with = "text")]
    pub last_name: Option<String>,
    #[serde(rename = "Title", default, deserialize_with = "text")]
    pub title: Option<String>,
    #[serde(rename = "AccountNumber", default, deserialize_with = "text")]
    pub account_number: Option<String>,
    #[serde(rename = "Status", default, deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(rename = "Phone1", default, deserialize_with = "text")]
    pub phone1: Option<String>,
    #[serde(rename = "Phone2", default, deserialize_with = "text")]
    pub phone2: Option<String>,
    #[serde(rename = "EmailAddress1", default, deserialize_with = "text")]
    pub email_address1: Option<String>,
    #[serde(rename = "WebAddress1", default, deserialize_with = "text")]
    pub web_address1: Option<String>,
    #[serde(rename = "AddressLine1", default, deserialize_with = "text")]
    pub address_line1: Option<String>,
    #[serde(rename = "AddressLine2", default, deserialize_with = "text")]
    pub address_line2: Option<String>,
    #[serde(rename = "AddressLine3", default, deserialize_with = "text")]
    pub address_line3: Option<String>,
    #[serde(rename = "City", default, deserialize_with = "text")]
    pub city: Option<String>,
    #[serde(rename = "State", default, deserialize_with = "text")]
    pub state: Option<String>,
    #[serde(rename = "Zip", default, deserialize_with = "text")]
    pub zip: Option<String>,
    #[serde(rename = "Country", default, deserialize_with = "text")]
    pub country: Option<String>,
    #[serde(rename = "CreationDate", default, deserialize_with = "date")]
    pub creation_date: Option<DateTime<Utc>>,
    #[serde(rename = "UpdateDate", default, deserialize_with = "date")]
    pub update_date: Option<DateTime<Utc>>,
}

any_case!(Account, "LastUpdateDate" => "UpdateDate");

/// A ticket.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct Ticket {
    #[serde(rename = "TicketREC_ID", deserialize_with = "rec_id")]
    pub ticket_rec_id: String,
    #[serde(rename = "TicketNumber", default, deserialize_with = "text")]
    pub ticket_number: Option<String>,
    #[serde(rename = "AccountREC_ID", default, deserialize_with = "opt_rec_id")]
    pub account_rec_id: Option<String>,
    #[serde(rename = "ContactREC_ID", default, deserialize_with = "opt_rec_id")]
    pub contact_rec_id: Option<String>,
    /// The technician the ticket is assigned to.
    #[serde(rename = "EmployeeREC_ID", default, deserialize_with = "opt_rec_id")]
    pub employee_rec_id: Option<String>,
    /// The ticket's text; its first line is the summary.
    #[serde(rename = "Description", default, deserialize_with = "text")]
    pub description: Option<String>,
    /// The status code; 1000 is completed.
    #[serde(rename = "Status", default, deserialize_with = "code")]
    pub status: Option<i64>,
    /// The status's label.
    #[serde(rename = "Status_Text", default, deserialize_with = "text")]
    pub status_text: Option<String>,
    /// A priority label or number.
    #[serde(rename = "TicketPriority", default, deserialize_with = "scalar")]
    pub ticket_priority: Option<Value>,
    #[serde(rename = "CreationDate", default, deserialize_with = "date")]
    pub creation_date: Option<DateTime<Utc>>,
    #[serde(rename = "UpdateDate", default, deserialize_with = "date")]
    pub update_date: Option<DateTime<Utc>>,
    #[serde(rename = "ClosedDate", default, deserialize_with = "date")]
    pub closed_date: Option<DateTime<Utc>>,
}

any_case!(Ticket);

/// A history note; on a ticket, `RelLinkREC_ID` is the ticket's id.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct HistoryNote {
    #[serde(rename = "HistoryNoteREC_ID", deserialize_with = "rec_id")]
    pub history_note_rec_id: String,
    #[serde(rename = "RelLinkREC_ID", default, deserialize_with = "opt_rec_id")]
    pub rel_link_rec_id: Option<String>,
    #[serde(rename = "Description", default, deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(rename = "Date", default, deserialize_with = "date")]
    pub date: Option<DateTime<Utc>>,
    /// Who wrote it.
    #[serde(rename = "CreateUser", default, deserialize_with = "text")]
    pub create_user: Option<String>,
}

any_case!(HistoryNote, "CreatedByUser" => "CreateUser");

/// A contract of an account.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct Contract {
    #[serde(rename = "ContractREC_ID", deserialize_with = "rec_id")]
    pub contract_rec_id: String,
    #[serde(rename = "AccountREC_ID", default, deserialize_with = "opt_rec_id")]
    pub account_rec_id: Option<String>,
    #[serde(rename = "ContractName", default, deserialize_with = "text")]
    pub contract_name: Option<String>,
    #[serde(rename = "ContractType", default, deserialize_with = "text")]
    pub contract_type: Option<String>,
    #[serde(rename = "Status", default, deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(rename = "StartDate", default, deserialize_with = "date")]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(rename = "EndDate", default, deserialize_with = "date")]
    pub end_date: Option<DateTime<Utc>>,
}

any_case!(Contract);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_are_day_first() {
        let at = |s: &str| parse_date(s).map(|t| t.to_rfc3339());
        assert_eq!(
            at("05/03/2024").as_deref(),
            Some("2024-03-05T00:00:00+00:00")
        );
        assert_eq!(
            at("05/03/2024 06:07").as_deref(),
            Some("2024-03-05T06:07:00+00:00")
        );
        assert_eq!(
            at(" 05/03/2024 06:07:08 ").as_deref(),
            Some("2024-03-05T06:07:08+00:00")
        );
        assert_eq!(
            at("2024-03-05T06:07:08Z").as_deref(),
            Some("2024-03-05T06:07:08+00:00")
        );
        assert_eq!(at("31/02/2024"), None);
        assert_eq!(at("13/13/2024"), None);
    }

    #[test]
    fn keys_in_any_case() {
        let spellings = [
            json!({"TicketREC_ID": "TKT00000000000000001", "Status": "1000", "Status_Text": "Completed"}),
            json!({"ticketRecId": "TKT00000000000000001", "status": 1000, "statusText": "Completed"}),
            json!({"TICKETREC_ID": "TKT00000000000000001", "STATUS": 1000, "STATUS_TEXT": "Completed"}),
            json!({"ticketrec_id": "TKT00000000000000001", "status": 1000, "status_text": "Completed"}),
        ];
        for v in spellings {
            let t: Ticket = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(t.ticket_rec_id, "TKT00000000000000001", "{v}");
            assert_eq!(t.status, Some(1000), "{v}");
            assert_eq!(t.status_text.as_deref(), Some("Completed"), "{v}");
        }
        let a: Account = serde_json::from_value(json!({
            "ACCOUNTREC_ID": "CRD00000000000000001", "lastupdatedate": "06/03/2024"
        }))
        .unwrap();
        assert!(a.update_date.is_some());
        let n: HistoryNote = serde_json::from_value(json!({
            "HISTORYNOTEREC_ID": "HIS00000000000004101", "createdByUser": "Sam Carter"
        }))
        .unwrap();
        assert_eq!(n.create_user.as_deref(), Some("Sam Carter"));
    }

    #[test]
    fn unreadable_values_name_the_problem() {
        let e = serde_json::from_value::<Ticket>(json!({
            "TicketREC_ID": "T", "UpdateDate": "yesterday"
        }))
        .unwrap_err();
        assert!(e.to_string().contains("yesterday"), "{e}");
        let e = serde_json::from_value::<Ticket>(json!({"Status": 1})).unwrap_err();
        assert!(e.to_string().contains("TicketREC_ID"), "{e}");
    }
}
