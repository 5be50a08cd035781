//! The JSON shapes this crate reads, named with RangerMSP's own
//! programming-API vocabulary (`AccountREC_ID`, `CompanyName`,
//! `TicketREC_ID`, `RelLinkREC_ID`, ...). Each field is read under its
//! PascalCase name and its camelCase spelling (`accountREC_ID`, and
//! `accountRecId` for ids); unknown fields are ignored and stay in `raw`.
//!
//! Which names come from RangerMSP's documented .NET objects and which are
//! assumptions of this crate is listed on the provider's docs page.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use mspkit_core::de::parse_utc;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Account {
    #[serde(
        rename = "AccountREC_ID",
        alias = "accountREC_ID",
        alias = "accountRecId",
        alias = "AccountRecId",
        deserialize_with = "rec_id"
    )]
    pub account_rec_id: String,
    /// The company a secondary contact belongs to.
    #[serde(
        rename = "ParentAccountREC_ID",
        alias = "parentAccountREC_ID",
        alias = "parentAccountRecId",
        alias = "ParentAccountRecId",
        default,
        deserialize_with = "opt_rec_id"
    )]
    pub parent_account_rec_id: Option<String>,
    #[serde(
        rename = "CompanyName",
        alias = "companyName",
        default,
        deserialize_with = "text"
    )]
    pub company_name: Option<String>,
    /// The contact's full name.
    #[serde(
        rename = "Contact",
        alias = "contact",
        default,
        deserialize_with = "text"
    )]
    pub contact: Option<String>,
    #[serde(
        rename = "LastName",
        alias = "lastName",
        default,
        deserialize_with = "text"
    )]
    pub last_name: Option<String>,
    #[serde(rename = "Title", alias = "title", default, deserialize_with = "text")]
    pub title: Option<String>,
    #[serde(
        rename = "AccountNumber",
        alias = "accountNumber",
        default,
        deserialize_with = "text"
    )]
    pub account_number: Option<String>,
    #[serde(
        rename = "Status",
        alias = "status",
        default,
        deserialize_with = "text"
    )]
    pub status: Option<String>,
    #[serde(
        rename = "Phone1",
        alias = "phone1",
        default,
        deserialize_with = "text"
    )]
    pub phone1: Option<String>,
    #[serde(
        rename = "Phone2",
        alias = "phone2",
        default,
        deserialize_with = "text"
    )]
    pub phone2: Option<String>,
    #[serde(
        rename = "EmailAddress1",
        alias = "emailAddress1",
        default,
        deserialize_with = "text"
    )]
    pub email_address1: Option<String>,
    #[serde(
        rename = "WebAddress1",
        alias = "webAddress1",
        default,
        deserialize_with = "text"
    )]
    pub web_address1: Option<String>,
    #[serde(
        rename = "AddressLine1",
        alias = "addressLine1",
        default,
        deserialize_with = "text"
    )]
    pub address_line1: Option<String>,
    #[serde(
        rename = "AddressLine2",
        alias = "addressLine2",
        default,
        deserialize_with = "text"
    )]
    pub address_line2: Option<String>,
    #[serde(
        rename = "AddressLine3",
        alias = "addressLine3",
        default,
        deserialize_with = "text"
    )]
    pub address_line3: Option<String>,
    #[serde(rename = "City", alias = "city", default, deserialize_with = "text")]
    pub city: Option<String>,
    #[serde(rename = "State", alias = "state", default, deserialize_with = "text")]
    pub state: Option<String>,
    #[serde(rename = "Zip", alias = "zip", default, deserialize_with = "text")]
    pub zip: Option<String>,
    #[serde(
        rename = "Country",
        alias = "country",
        default,
        deserialize_with = "text"
    )]
    pub country: Option<String>,
    #[serde(
        rename = "CreationDate",
        alias = "creationDate",
        default,
        deserialize_with = "date"
    )]
    pub creation_date: Option<DateTime<Utc>>,
    #[serde(
        rename = "UpdateDate",
        alias = "updateDate",
        alias = "LastUpdateDate",
        alias = "lastUpdateDate",
        default,
        deserialize_with = "date"
    )]
    pub update_date: Option<DateTime<Utc>>,
}

/// A ticket.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Ticket {
    #[serde(
        rename = "TicketREC_ID",
        alias = "ticketREC_ID",
        alias = "ticketRecId",
        alias = "TicketRecId",
        deserialize_with = "rec_id"
    )]
    pub ticket_rec_id: String,
    #[serde(
        rename = "TicketNumber",
        alias = "ticketNumber",
        default,
        deserialize_with = "text"
    )]
    pub ticket_number: Option<String>,
    #[serde(
        rename = "AccountREC_ID",
        alias = "accountREC_ID",
        alias = "accountRecId",
        alias = "AccountRecId",
        default,
        deserialize_with = "opt_rec_id"
    )]
    pub account_rec_id: Option<String>,
    #[serde(
        rename = "ContactREC_ID",
        alias = "contactREC_ID",
        alias = "contactRecId",
        alias = "ContactRecId",
        default,
        deserialize_with = "opt_rec_id"
    )]
    pub contact_rec_id: Option<String>,
    /// The technician the ticket is assigned to.
    #[serde(
        rename = "EmployeeREC_ID",
        alias = "employeeREC_ID",
        alias = "employeeRecId",
        alias = "EmployeeRecId",
        default,
        deserialize_with = "opt_rec_id"
    )]
    pub employee_rec_id: Option<String>,
    /// The ticket's text; its first line is the summary.
    #[serde(
        rename = "Description",
        alias = "description",
        default,
        deserialize_with = "text"
    )]
    pub description: Option<String>,
    /// The status code; 1000 is completed.
    #[serde(
        rename = "Status",
        alias = "status",
        default,
        deserialize_with = "code"
    )]
    pub status: Option<i64>,
    /// The status's label.
    #[serde(
        rename = "Status_Text",
        alias = "status_Text",
        alias = "statusText",
        alias = "StatusText",
        default,
        deserialize_with = "text"
    )]
    pub status_text: Option<String>,
    /// A priority label or number.
    #[serde(
        rename = "TicketPriority",
        alias = "ticketPriority",
        default,
        deserialize_with = "scalar"
    )]
    pub ticket_priority: Option<Value>,
    #[serde(
        rename = "CreationDate",
        alias = "creationDate",
        default,
        deserialize_with = "date"
    )]
    pub creation_date: Option<DateTime<Utc>>,
    #[serde(
        rename = "UpdateDate",
        alias = "updateDate",
        default,
        deserialize_with = "date"
    )]
    pub update_date: Option<DateTime<Utc>>,
    #[serde(
        rename = "ClosedDate",
        alias = "closedDate",
        default,
        deserialize_with = "date"
    )]
    pub closed_date: Option<DateTime<Utc>>,
}

/// A history note; on a ticket, `RelLinkREC_ID` is the ticket's id.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct HistoryNote {
    #[serde(
        rename = "HistoryNoteREC_ID",
        alias = "historyNoteREC_ID",
        alias = "historyNoteRecId",
        alias = "HistoryNoteRecId",
        deserialize_with = "rec_id"
    )]
    pub history_note_rec_id: String,
    #[serde(
        rename = "RelLinkREC_ID",
        alias = "relLinkREC_ID",
        alias = "relLinkRecId",
        alias = "RelLinkRecId",
        default,
        deserialize_with = "opt_rec_id"
    )]
    pub rel_link_rec_id: Option<String>,
    #[serde(
        rename = "Description",
        alias = "description",
        default,
        deserialize_with = "text"
    )]
    pub description: Option<String>,
    #[serde(rename = "Date", alias = "date", default, deserialize_with = "date")]
    pub date: Option<DateTime<Utc>>,
    /// Who wrote it.
    #[serde(
        rename = "CreateUser",
        alias = "createUser",
        alias = "CreatedByUser",
        alias = "createdByUser",
        default,
        deserialize_with = "text"
    )]
    pub create_user: Option<String>,
}

/// A contract of an account.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Contract {
    #[serde(
        rename = "ContractREC_ID",
        alias = "contractREC_ID",
        alias = "contractRecId",
        alias = "ContractRecId",
        deserialize_with = "rec_id"
    )]
    pub contract_rec_id: String,
    #[serde(
        rename = "AccountREC_ID",
        alias = "accountREC_ID",
        alias = "accountRecId",
        alias = "AccountRecId",
        default,
        deserialize_with = "opt_rec_id"
    )]
    pub account_rec_id: Option<String>,
    #[serde(
        rename = "ContractName",
        alias = "contractName",
        default,
        deserialize_with = "text"
    )]
    pub contract_name: Option<String>,
    #[serde(
        rename = "ContractType",
        alias = "contractType",
        default,
        deserialize_with = "text"
    )]
    pub contract_type: Option<String>,
    #[serde(
        rename = "Status",
        alias = "status",
        default,
        deserialize_with = "text"
    )]
    pub status: Option<String>,
    #[serde(
        rename = "StartDate",
        alias = "startDate",
        default,
        deserialize_with = "date"
    )]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(
        rename = "EndDate",
        alias = "endDate",
        default,
        deserialize_with = "date"
    )]
    pub end_date: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn keys_in_either_case() {
        let pascal: Ticket = serde_json::from_value(serde_json::json!({
            "TicketREC_ID": "TKT0000000000000001", "Status": "1000", "Status_Text": "Completed"
        }))
        .unwrap();
        let camel: Ticket = serde_json::from_value(serde_json::json!({
            "ticketRecId": "TKT0000000000000001", "status": 1000, "statusText": "Completed"
        }))
        .unwrap();
        assert_eq!(pascal.ticket_rec_id, camel.ticket_rec_id);
        assert_eq!((pascal.status, camel.status), (Some(1000), Some(1000)));
        assert_eq!(camel.status_text.as_deref(), Some("Completed"));
    }

    #[test]
    fn unreadable_values_name_the_problem() {
        let e = serde_json::from_value::<Ticket>(serde_json::json!({
            "TicketREC_ID": "T", "UpdateDate": "yesterday"
        }))
        .unwrap_err();
        assert!(e.to_string().contains("yesterday"), "{e}");
        let e = serde_json::from_value::<Ticket>(serde_json::json!({"Status": 1})).unwrap_err();
        assert!(e.to_string().contains("TicketREC_ID"), "{e}");
    }
}
