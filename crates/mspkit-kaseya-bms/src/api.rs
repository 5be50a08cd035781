//! Kaseya BMS API 2.0's JSON shapes.
//!
//! The official spec prints PascalCase names (`AccountName`); the API sends
//! camelCase (`accountName`). Fields are declared in camelCase, as sent, and
//! every record reads its keys with ASCII case folded
//! ([`AnyCase`](mspkit_core::de::AnyCase)), so `accountId`, `AccountId`,
//! `accountID` and `ACCOUNTID` are one field: no two properties of one of
//! the spec's 801 schemas differ in case alone. Underscores are not folded:
//! the casings BMS sends and prints need only case, the few spec names that
//! carry one (`Is_Active`, `Next_link`) keep it as part of the name, and a
//! key BMS never sends (`account_id`) is safer ignored than read into a
//! field it may not mean. Unknown fields are ignored, and every field the
//! spec marks nullable is an `Option`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use mspkit_core::de::{AnyCase, Fold, lenient_bool};
use serde::{Deserialize, Deserializer, de};

/// The `Deserialize` of each record type: its derived one (`remote =
/// "Self"` makes that an inherent function) run with keys folded, so no
/// call site can read a record with case-sensitive keys by mistake.
macro_rules! any_case {
    ($($record:ident),+ $(,)?) => {$(
        impl<'de> Deserialize<'de> for $record {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $record::deserialize(AnyCase::new(d, Fold::Case))
            }
        }
    )+};
}

any_case!(
    ErrorInfo,
    TokenOutput,
    UserInfo,
    IdOnly,
    Address,
    Location,
    LocationLookup,
    Account,
    AccountName,
    Email,
    Phone,
    Contact,
    Ticket,
    Note,
    Contract,
    Status,
    Priority
);

/// A timestamp as BMS wrote it: with an offset, or (as BMS usually writes
/// them) without one, to be read in the tenant's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// `2024-01-15T09:12:31Z`, `2024-01-15T10:12:31+01:00`.
    Zoned(DateTime<FixedOffset>),
    /// `2024-01-15T09:12:31`, `2024-01-15 09:12:31.27`, `2024-01-15`.
    Local(NaiveDateTime),
}

impl Stamp {
    /// Reads the forms above; `None` for anything else.
    pub(crate) fn parse(text: &str) -> Option<Stamp> {
        let s = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(Stamp::Zoned(t));
        }
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
            .ok()
            .or_else(|| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
            .map(Stamp::Local)
    }

    /// The instant, reading an offset-less stamp in `zone`.
    pub(crate) fn at(self, zone: FixedOffset) -> DateTime<Utc> {
        match self {
            Stamp::Zoned(t) => t.with_timezone(&Utc),
            Stamp::Local(n) => zone
                .from_local_datetime(&n)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| n.and_utc()),
        }
    }

    /// The calendar day as written (agreements run from day to day).
    pub(crate) fn date(self) -> NaiveDate {
        match self {
            Stamp::Zoned(t) => t.date_naive(),
            Stamp::Local(n) => n.date(),
        }
    }

    fn year(self) -> i32 {
        use chrono::Datelike;
        self.date().year()
    }
}

/// An optional timestamp: `null`, absent, blank or .NET's empty date
/// (`0001-01-01T00:00:00`, any year up to 1900) is `None`; text that is not
/// a timestamp is an error quoting it.
pub(crate) fn stamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Stamp>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => match Stamp::parse(&s) {
            Some(t) if t.year() <= 1900 => Ok(None),
            Some(t) => Ok(Some(t)),
            None => Err(de::Error::custom(format!("{s:?} is not a date and time"))),
        },
    }
}

/// `ErrorInfo`: what BMS puts beside `success: false` (the spec's
/// `StackStrace` is spelled so on the wire).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct ErrorInfo {
    #[serde(default)]
    pub code: Option<serde_json::Value>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub sub_errors: Option<Vec<String>>,
}

/// `TokenOutputDto`: the result of `security/authenticate` and
/// `security/refreshtoken`.
#[derive(Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct TokenOutput {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default, deserialize_with = "stamp")]
    pub access_token_expire_on: Option<Stamp>,
    #[serde(default, deserialize_with = "stamp")]
    pub refresh_token_expire_on: Option<Stamp>,
}

/// `UserInfoOutputDto` (`security/userinfo`): the signed-in user and the
/// account and location their own tickets belong to.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct UserInfo {
    #[serde(default)]
    pub account_id: Option<i64>,
    #[serde(default)]
    pub location_id: Option<i64>,
}

/// Any item, by its id only (the paging probe).
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub(crate) struct IdOnly {
    pub id: i64,
}

/// `AccountAddressOutputDto`.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Address {
    #[serde(default)]
    pub address1: Option<String>,
    #[serde(default)]
    pub address2: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub zip_code: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_main: Option<bool>,
}

/// `AccountLocationOutputDto`, inside an account summary.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Location {
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_main: Option<bool>,
    #[serde(default)]
    pub addresses: Option<Vec<Address>>,
}

/// `AccountLocationLookupOutputDto` (`crm/accounts/{id}/locations/lookup`).
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct LocationLookup {
    pub id: i64,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_main: Option<bool>,
}

/// `AccountSummaryOutputDto` (`crm/accounts/summary`).
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Account {
    pub id: i64,
    #[serde(default)]
    pub account_code: Option<String>,
    #[serde(default)]
    pub account_name: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_active: Option<bool>,
    #[serde(default, deserialize_with = "stamp")]
    pub created_on: Option<Stamp>,
    #[serde(default, deserialize_with = "stamp")]
    pub modified_on: Option<Stamp>,
    #[serde(default)]
    pub locations: Option<Vec<Location>>,
}

/// `AccountLookupOutputDto` (`crm/accounts/lookup`): id and name.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct AccountName {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
}

/// `ContactEmailOutputDto`.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Email {
    #[serde(default)]
    pub email_address: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_default: Option<bool>,
}

/// `ContactPhoneOutputDto`.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Phone {
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_default: Option<bool>,
}

/// `ContactsSummaryOutputDto` (`crm/contacts/summary`).
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Contact {
    pub id: i64,
    #[serde(default)]
    pub account_id: Option<i64>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_active: Option<bool>,
    #[serde(default)]
    pub emails: Option<Vec<Email>>,
    #[serde(default)]
    pub phones: Option<Vec<Phone>>,
    #[serde(default, deserialize_with = "stamp")]
    pub created_on: Option<Stamp>,
    #[serde(default, deserialize_with = "stamp")]
    pub modified_on: Option<Stamp>,
}

/// `TicketListDto` (the list) and `TicketOutputDto` (one ticket, a create,
/// a patch): the fields both carry.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Ticket {
    pub id: i64,
    #[serde(default)]
    pub ticket_number: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub account_id: Option<i64>,
    #[serde(default)]
    pub contact_id: Option<i64>,
    #[serde(default)]
    pub status_id: Option<i64>,
    #[serde(default)]
    pub status_name: Option<String>,
    #[serde(default)]
    pub priority_id: Option<i64>,
    #[serde(default)]
    pub priority_name: Option<String>,
    #[serde(default)]
    pub assignee_id: Option<i64>,
    #[serde(default)]
    pub assignee_name: Option<String>,
    #[serde(default, deserialize_with = "stamp")]
    pub open_date: Option<Stamp>,
    #[serde(default, deserialize_with = "stamp")]
    pub completed_date: Option<Stamp>,
    #[serde(default, deserialize_with = "stamp")]
    pub last_activity_update: Option<Stamp>,
    #[serde(default, deserialize_with = "stamp")]
    pub created_on: Option<Stamp>,
    #[serde(default, deserialize_with = "stamp")]
    pub modified_on: Option<Stamp>,
}

/// `TicketNoteOutputDto` (`servicedesk/tickets/{id}/notes`).
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Note {
    pub id: i64,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_internal: Option<bool>,
    #[serde(default)]
    pub created_by_name: Option<String>,
    #[serde(default, deserialize_with = "stamp")]
    pub created_on: Option<Stamp>,
}

/// `ClientContractSummaryOutputDto` (`finance/contracts/summary`): it names
/// the account, not its id.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Contract {
    pub id: i64,
    #[serde(default)]
    pub contract_name: Option<String>,
    #[serde(default)]
    pub account_name: Option<String>,
    #[serde(default)]
    pub contract_type: Option<String>,
    #[serde(default)]
    pub contract_number: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "stamp")]
    pub start_date: Option<Stamp>,
    #[serde(default, deserialize_with = "stamp")]
    pub end_date: Option<Stamp>,
}

/// `StatusLookupOutputDto` (`system/statuses/lookup`).
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Status {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status_order: Option<i64>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_active: Option<bool>,
}

/// `PriorityLookupOutputDto` (`system/priorities/lookup`).
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub(crate) struct Priority {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub is_default: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_with_and_without_offsets() {
        let plus_one = FixedOffset::east_opt(3600).unwrap();
        let local = Stamp::parse("2024-01-15T09:12:31").unwrap();
        assert_eq!(local.at(plus_one).to_rfc3339(), "2024-01-15T08:12:31+00:00");
        let zoned = Stamp::parse("2024-01-15T09:12:31Z").unwrap();
        assert_eq!(zoned.at(plus_one).to_rfc3339(), "2024-01-15T09:12:31+00:00");
        assert!(Stamp::parse("2024-01-15 09:12:31.27").is_some());
        assert_eq!(
            Stamp::parse("2024-02-29").unwrap().date().to_string(),
            "2024-02-29"
        );
        assert!(Stamp::parse("soon").is_none());
    }

    #[test]
    fn both_spellings_are_read() {
        let camel: Ticket =
            serde_json::from_str(r#"{"id":1,"statusName":"New","openDate":null}"#).unwrap();
        let pascal: Ticket =
            serde_json::from_str(r#"{"Id":1,"StatusName":"New","OpenDate":"0001-01-01T00:00:00"}"#)
                .unwrap();
        assert_eq!(camel.status_name, pascal.status_name);
        assert_eq!(pascal.open_date, None);
        let bad = serde_json::from_str::<Ticket>(r#"{"id":1,"openDate":"yesterday"}"#);
        assert!(bad.unwrap_err().to_string().contains("yesterday"));
    }
}
