//! Tactical RMM's JSON shapes, with the field names its serializers use.
//! Unknown fields are ignored; fields that may be `null` are `Option`.

use chrono::{DateTime, NaiveDateTime, Utc};
use mspkit_core::de::{parse_utc, utc_timestamp};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::Value;

/// A client (`GET /clients/`, `ClientSerializer`), with its sites nested.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Client {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub sites: Vec<Site>,
}

/// A site (`SiteSerializer`), nested in its client.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Site {
    pub id: i64,
    pub name: String,
    /// The client's id.
    #[serde(default)]
    pub client: Option<i64>,
}

/// A row of `GET /agents/` (`AgentTableSerializer`): names, not ids, for
/// the client and the site.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct AgentRow {
    pub agent_id: String,
    #[serde(default)]
    pub hostname: Option<String>,
    #[serde(default)]
    pub monitoring_type: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// `online`, `offline` or `overdue`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub last_seen: Option<DateTime<Utc>>,
    /// The current user; else the last one while online; else `-`.
    #[serde(default)]
    pub logged_username: Option<String>,
    /// The agent's version.
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub operating_system: Option<String>,
    /// One comma-separated string, or an error text.
    #[serde(default)]
    pub local_ips: Option<String>,
    /// `"{make} {model}"`, or an error text.
    #[serde(default)]
    pub make_model: Option<String>,
    /// `""` when unknown.
    #[serde(default)]
    pub serial_number: Option<String>,
}

/// `GET /agents/{agent_id}/` (`AgentSerializer`): the model's fields, with
/// the site's id but the client's *name*, and no `serial_number`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct AgentDetail {
    pub agent_id: String,
    #[serde(default)]
    pub hostname: Option<String>,
    /// The site's id.
    #[serde(default)]
    pub site: Option<i64>,
    /// The client's name.
    #[serde(default)]
    pub client: Option<String>,
    #[serde(default)]
    pub monitoring_type: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub last_seen: Option<DateTime<Utc>>,
    /// The current user, or the string `"None"`.
    #[serde(default)]
    pub logged_in_username: Option<String>,
    #[serde(default)]
    pub last_logged_in_user: Option<String>,
    /// `windows`, `linux` or `darwin`.
    #[serde(default)]
    pub plat: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub operating_system: Option<String>,
    #[serde(default)]
    pub local_ips: Option<String>,
    #[serde(default)]
    pub make_model: Option<String>,
    /// The agent's raw inventory; the serial number is read from it.
    #[serde(default)]
    pub wmi_detail: Option<Value>,
}

/// An alert (`AlertSerializer`), listed by `PATCH /alerts/`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Alert {
    pub id: i64,
    /// The agent's `agent_id` (`null` for alerts without an agent).
    #[serde(default)]
    pub agent_id: Option<String>,
    /// The client's *name*.
    #[serde(default)]
    pub client: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub alert_time: Option<DateTime<Utc>>,
    /// `info`, `warning` or `error`.
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub resolved: bool,
    #[serde(default, deserialize_with = "utc_timestamp")]
    pub resolved_on: Option<DateTime<Utc>>,
}

/// One entry of an agent's software inventory (Windows agents send every
/// field, older agents only `name` and `version`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SoftwareEntry {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    /// Go's time format (`2019-06-09 00:00:00 +0000 UTC`); year 1 means unknown.
    #[serde(default, deserialize_with = "go_time")]
    pub install_date: Option<DateTime<Utc>>,
}

/// A time as the agent (written in Go) prints it:
/// `2006-01-02 15:04:05.999999999 -0700 MST`. The zero time (year 1) and a
/// blank value are `None`; RFC 3339 is read as well; anything else is an
/// error quoting it.
pub(crate) fn go_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    parse_go_time(&text).map_err(|()| de::Error::custom(format!("{text:?} is not a date and time")))
}

pub(crate) fn parse_go_time(text: &str) -> Result<Option<DateTime<Utc>>, ()> {
    let s = text.trim();
    if s.is_empty() || s.starts_with("0001-01-01") {
        return Ok(None);
    }
    // A monotonic clock reading (` m=+0.0012`) is not part of the time.
    let s = s.split(" m=").next().unwrap_or(s);
    let parse = |t: &str| {
        DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f %z")
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    // The trailing zone abbreviation (`UTC`, `CEST`, `+03`) repeats the offset.
    let without_zone = s.rsplit_once(' ').map_or(s, |(head, _)| head);
    parse(without_zone)
        .or_else(|| parse(s))
        .or_else(|| parse_utc(s))
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|n| n.and_utc())
        })
        .map(Some)
        .ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_times_are_read_and_the_zero_time_is_unknown() {
        let at = |s: &str| parse_go_time(s).map(|t| t.map(|t| t.to_rfc3339()));
        assert_eq!(
            at("2019-06-09 00:00:00 +0000 UTC"),
            Ok(Some("2019-06-09T00:00:00+00:00".into()))
        );
        assert_eq!(
            at("2023-11-02 08:30:00.5 +0100 CET"),
            Ok(Some("2023-11-02T07:30:00.500+00:00".into()))
        );
        assert_eq!(at("0001-01-01 00:00:00 +0000 UTC"), Ok(None));
        assert_eq!(at(""), Ok(None));
        assert_eq!(
            at("2024-01-02T03:04:05Z"),
            Ok(Some("2024-01-02T03:04:05+00:00".into()))
        );
        assert_eq!(at("last tuesday"), Err(()));
    }
}
