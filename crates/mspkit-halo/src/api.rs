//! Halo's JSON shapes, with the field names it sends (see Halo's swagger
//! example objects). Unknown fields are ignored; every field a list may leave
//! out is optional.

use chrono::{DateTime, NaiveDate, Utc};
use mspkit_core::de::lenient_bool;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// A customer (`GET /api/Client`, list property `clients`).
#[derive(Debug, Clone, Deserialize)]
pub struct Client {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    /// The accounts reference.
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub inactive: Option<bool>,
    #[serde(default, deserialize_with = "date")]
    pub datecreated: Option<DateTime<Utc>>,
}

/// An end user, the contact of a customer (`GET /api/Users`, list property `users`).
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub client_id: Option<i64>,
    #[serde(default)]
    pub firstname: Option<String>,
    #[serde(default)]
    pub surname: Option<String>,
    #[serde(default)]
    pub emailaddress: Option<String>,
    #[serde(default)]
    pub phonenumber: Option<String>,
    #[serde(default)]
    pub mobilenumber: Option<String>,
    /// The job title.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub inactive: Option<bool>,
    #[serde(default, deserialize_with = "date")]
    pub datecreated: Option<DateTime<Utc>>,
}

/// A ticket (`GET /api/Tickets`, list property `tickets`; `GET /api/Tickets/{id}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Ticket {
    pub id: i64,
    #[serde(default)]
    pub summary: Option<String>,
    /// The description, plain text.
    #[serde(default)]
    pub details: Option<String>,
    /// The description as HTML, when the plain text is absent.
    #[serde(default)]
    pub details_html: Option<String>,
    #[serde(default)]
    pub status_id: Option<i64>,
    #[serde(default)]
    pub priority_id: Option<i64>,
    #[serde(default)]
    pub sla_id: Option<i64>,
    #[serde(default)]
    pub client_id: Option<i64>,
    #[serde(default)]
    pub user_id: Option<i64>,
    #[serde(default)]
    pub agent_id: Option<i64>,
    /// The assigned agent, embedded on single reads.
    #[serde(default)]
    pub agent: Option<AgentRef>,
    /// The priority, embedded on single reads and write responses.
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default, deserialize_with = "date")]
    pub dateoccurred: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "date")]
    pub datecreated: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "date")]
    pub dateclosed: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "date")]
    pub lastactiondate: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "date")]
    pub last_update: Option<DateTime<Utc>>,
}

/// The part of an embedded agent that names them.
#[derive(Debug, Clone, Deserialize)]
pub struct AgentRef {
    #[serde(default)]
    pub name: Option<String>,
}

/// An action on a ticket: a note, an e-mail, a status change (`GET /api/Actions`,
/// list property `actions`).
#[derive(Debug, Clone, Deserialize)]
pub struct Action {
    pub id: i64,
    #[serde(default)]
    pub ticket_id: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub note_html: Option<String>,
    /// Who did it, by name.
    #[serde(default)]
    pub who: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub hiddenfromuser: Option<bool>,
    #[serde(default, deserialize_with = "date")]
    pub datetime: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "date")]
    pub actiondatecreated: Option<DateTime<Utc>>,
}

/// A client contract (`GET /api/ClientContract`, list property `contracts`).
#[derive(Debug, Clone, Deserialize)]
pub struct Contract {
    pub id: i64,
    #[serde(default)]
    pub client_id: Option<i64>,
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    #[serde(default, deserialize_with = "date")]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "date")]
    pub end_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub started: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub expired: Option<bool>,
}

/// A ticket status (`GET /api/Status`).
#[derive(Debug, Clone, Deserialize)]
pub struct Status {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub sequence: Option<i64>,
}

/// A priority of one SLA (`GET /api/Priority`); tickets name it by
/// `priorityid` (with their `sla_id`), `id` is the row's own GUID.
#[derive(Debug, Clone, Deserialize)]
pub struct Priority {
    #[serde(default)]
    pub priorityid: Option<i64>,
    #[serde(default)]
    pub slaid: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
}

/// The unauthenticated `GET /api/authinfo` answer: where tokens come from.
#[derive(Debug, Clone, Deserialize)]
pub struct AuthInfo {
    #[serde(default)]
    pub auth_url: Option<String>,
    #[serde(default)]
    pub tenant_id: Option<String>,
}

/// Reads a Halo date: RFC 3339 with `Z` or an offset, or without any (read as
/// UTC, as Halo stores times). Halo's empty-date sentinels (`1900-01-01T00:00:00`,
/// `0001-01-01T00:00:00`) and empty strings are absent.
pub fn parse_date(text: &str) -> Result<Option<DateTime<Utc>>, String> {
    let s = text.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let at = mspkit_core::de::parse_utc(s).ok_or_else(|| format!("not a date: {s:?}"))?;
    Ok((at.date_naive() > sentinel_day()).then_some(at))
}

/// The last day Halo uses as "no date"; no real ticket is this old.
fn sentinel_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse_date(&s).map_err(D::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_offsets_naive_times_and_sentinels() {
        let z = parse_date("2022-09-30T08:23:56.4214387Z").unwrap().unwrap();
        assert_eq!(z.to_rfc3339(), "2022-09-30T08:23:56.421438700+00:00");
        let naive = parse_date("2026-06-01T09:00:00").unwrap().unwrap();
        assert_eq!(naive.to_rfc3339(), "2026-06-01T09:00:00+00:00");
        assert_eq!(parse_date("1900-01-01T00:00:00").unwrap(), None);
        assert_eq!(parse_date("0001-01-01T00:00:00").unwrap(), None);
        assert_eq!(parse_date("").unwrap(), None);
        assert!(parse_date("yesterday").is_err());
    }
}
