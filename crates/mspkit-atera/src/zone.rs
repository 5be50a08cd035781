//! The account's time zone, as far as `FromLastModifiedDate` needs it.
//!
//! Atera reads `FromLastModifiedDate` (customers, contacts) "in the
//! account's configured timezone", with no offset allowed, and returns
//! timestamps without an offset. The zone's name comes from
//! `GET /api/v3/account` (`TimeZoneName`). Without a time-zone database the
//! crate knows each zone's standard offset, not its daylight-saving dates;
//! daylight saving only moves clocks later, so the standard offset is the
//! smallest the zone's clocks show. The filter is sent at the instant read
//! with that offset: never later than the true local time, so no change is
//! missed (in summer up to an hour more comes back). A zone the crate does
//! not know is read with UTC−12, the smallest offset there is.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

/// The smallest offset from UTC any zone shows: UTC−12.
const SMALLEST_OFFSET: i32 = -12 * 60;

/// What a filter needs of the account's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccountZone {
    /// `TimeZoneName` as the account reports it.
    pub name: Option<String>,
    /// The smallest offset from UTC the zone's clocks show, in minutes.
    pub min_offset: i32,
    /// Whether the name was recognised (else `min_offset` is UTC−12).
    pub known: bool,
}

impl AccountZone {
    /// The zone for `TimeZoneName`.
    pub fn from_name(name: Option<&str>) -> Self {
        let trimmed = name.map(str::trim).filter(|n| !n.is_empty());
        let offset = trimmed.and_then(standard_offset);
        AccountZone {
            name: trimmed.map(str::to_owned),
            min_offset: offset.unwrap_or(SMALLEST_OFFSET),
            known: offset.is_some(),
        }
    }

    /// A zone nothing is known of (the account could not be read).
    pub fn unknown() -> Self {
        Self::from_name(None)
    }

    /// The local time `FromLastModifiedDate` is given for `since`.
    pub fn local(&self, since: DateTime<Utc>) -> NaiveDateTime {
        since.naive_utc() + Duration::minutes(i64::from(self.min_offset))
    }

    /// `since` as `FromLastModifiedDate` takes it: `yyyy-MM-ddTHH:mm:ss`,
    /// account-local, no offset.
    pub fn filter_value(&self, since: DateTime<Utc>) -> String {
        self.local(since).format("%Y-%m-%dT%H:%M:%S").to_string()
    }

    /// The earliest offset-less `LastModified` an item changed at or after
    /// `since` can show, whether Atera writes it in the account's zone or
    /// in UTC: the client-side check keeps items from here on.
    pub fn threshold(&self, since: DateTime<Utc>) -> NaiveDateTime {
        self.local(since).min(since.naive_utc())
    }
}

/// The standard offset (minutes east of UTC) of a zone named as Windows
/// (`W. Europe Standard Time`), IANA (`Europe/Berlin`) or by offset
/// (`(UTC+01:00) Amsterdam, Berlin`, `UTC`, `GMT-5`) names it.
fn standard_offset(name: &str) -> Option<i32> {
    // Etc/GMT+5 is UTC−5 (POSIX signs are inverted).
    if let Some(rest) = name.strip_prefix("Etc/GMT").filter(|r| !r.is_empty()) {
        let hours: i32 = rest.parse().ok()?;
        return Some(-hours * 60);
    }
    if let Some(offset) = offset_in_text(name) {
        return Some(offset);
    }
    let windows = name
        .strip_suffix(" Standard Time")
        .or_else(|| name.strip_suffix(" Daylight Time"))
        .unwrap_or(name);
    if let Some((_, offset)) = WINDOWS
        .iter()
        .find(|(zone, _)| zone.eq_ignore_ascii_case(windows))
    {
        return Some(*offset);
    }
    if let Some((_, offset)) = IANA
        .iter()
        .find(|(zone, _)| zone.eq_ignore_ascii_case(name))
    {
        return Some(*offset);
    }
    // The smallest offset of the region, for cities not listed.
    IANA_REGIONS
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, offset)| *offset)
}

/// `UTC`, `GMT`, `UTC+2`, `GMT-05:00`, `(UTC+05:30) Chennai` (the offset
/// Windows puts in a zone's display name).
fn offset_in_text(name: &str) -> Option<i32> {
    let upper = name.to_ascii_uppercase();
    if matches!(
        upper.as_str(),
        "UTC" | "GMT" | "Z" | "ETC/UTC" | "ETC/GMT" | "COORDINATED UNIVERSAL TIME" | "(UTC)"
    ) || upper.starts_with("(UTC) ")
    {
        return Some(0);
    }
    let start = upper.find("UTC").or_else(|| upper.find("GMT"))?;
    let rest = &upper[start + 3..];
    let sign = match rest.chars().next()? {
        '+' => 1,
        '-' | '\u{2212}' => -1,
        _ => return None,
    };
    let digits = rest[1..]
        .trim_start_matches('\u{2212}')
        .split(|c: char| !(c.is_ascii_digit() || c == ':'))
        .next()?;
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None if digits.len() > 2 => (
            digits[..digits.len() - 2].parse().ok()?,
            digits[digits.len() - 2..].parse().ok()?,
        ),
        None => (digits.parse().ok()?, 0),
    };
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// Windows zone ids (without ` Standard Time`) and their standard offsets.
const WINDOWS: &[(&str, i32)] = &[
    ("Dateline", -720),
    ("UTC-11", -660),
    ("Aleutian", -600),
    ("Hawaiian", -600),
    ("Marquesas", -570),
    ("Alaskan", -540),
    ("UTC-09", -540),
    ("Pacific (Mexico)", -480),
    ("UTC-08", -480),
    ("Pacific", -480),
    ("US Mountain", -420),
    ("Mountain (Mexico)", -420),
    ("Mountain", -420),
    ("Yukon", -420),
    ("Central America", -360),
    ("Central", -360),
    ("Easter Island", -360),
    ("Central (Mexico)", -360),
    ("Canada Central", -360),
    ("SA Pacific", -300),
    ("Eastern (Mexico)", -300),
    ("Eastern", -300),
    ("Haiti", -300),
    ("Cuba", -300),
    ("US Eastern", -300),
    ("Turks And Caicos", -300),
    ("Paraguay", -240),
    ("Atlantic", -240),
    ("Venezuela", -240),
    ("Central Brazilian", -240),
    ("SA Western", -240),
    ("Pacific SA", -240),
    ("Newfoundland", -210),
    ("Tocantins", -180),
    ("E. South America", -180),
    ("SA Eastern", -180),
    ("Argentina", -180),
    ("Greenland", -180),
    ("Montevideo", -180),
    ("Magallanes", -180),
    ("Saint Pierre", -180),
    ("Bahia", -180),
    ("UTC-02", -120),
    ("Mid-Atlantic", -120),
    ("Azores", -60),
    ("Cape Verde", -60),
    ("UTC", 0),
    ("GMT", 0),
    ("Greenwich", 0),
    ("Sao Tome", 0),
    ("Morocco", 0),
    ("W. Europe", 60),
    ("Central Europe", 60),
    ("Romance", 60),
    ("Central European", 60),
    ("W. Central Africa", 60),
    ("Jordan", 120),
    ("GTB", 120),
    ("Middle East", 120),
    ("Egypt", 120),
    ("E. Europe", 120),
    ("Syria", 120),
    ("West Bank", 120),
    ("South Africa", 120),
    ("FLE", 120),
    ("Israel", 120),
    ("South Sudan", 120),
    ("Kaliningrad", 120),
    ("Sudan", 120),
    ("Libya", 120),
    ("Namibia", 120),
    ("Arabic", 180),
    ("Turkey", 180),
    ("Arab", 180),
    ("Belarus", 180),
    ("Russian", 180),
    ("E. Africa", 180),
    ("Volgograd", 180),
    ("Iran", 210),
    ("Arabian", 240),
    ("Astrakhan", 240),
    ("Azerbaijan", 240),
    ("Russia Time Zone 3", 240),
    ("Mauritius", 240),
    ("Saratov", 240),
    ("Georgian", 240),
    ("Caucasus", 240),
    ("Afghanistan", 270),
    ("West Asia", 300),
    ("Ekaterinburg", 300),
    ("Pakistan", 300),
    ("Qyzylorda", 300),
    ("India", 330),
    ("Sri Lanka", 330),
    ("Nepal", 345),
    ("Central Asia", 360),
    ("Bangladesh", 360),
    ("Omsk", 360),
    ("Myanmar", 390),
    ("SE Asia", 420),
    ("Altai", 420),
    ("W. Mongolia", 420),
    ("North Asia", 420),
    ("N. Central Asia", 420),
    ("Tomsk", 420),
    ("China", 480),
    ("North Asia East", 480),
    ("Singapore", 480),
    ("W. Australia", 480),
    ("Taipei", 480),
    ("Ulaanbaatar", 480),
    ("Aus Central W.", 525),
    ("Transbaikal", 540),
    ("Tokyo", 540),
    ("North Korea", 540),
    ("Korea", 540),
    ("Yakutsk", 540),
    ("Cen. Australia", 570),
    ("AUS Central", 570),
    ("E. Australia", 600),
    ("AUS Eastern", 600),
    ("West Pacific", 600),
    ("Tasmania", 600),
    ("Vladivostok", 600),
    ("Lord Howe", 630),
    ("Bougainville", 660),
    ("Russia Time Zone 10", 660),
    ("Magadan", 660),
    ("Norfolk", 660),
    ("Sakhalin", 660),
    ("Central Pacific", 660),
    ("Russia Time Zone 11", 720),
    ("New Zealand", 720),
    ("UTC+12", 720),
    ("Fiji", 720),
    ("Kamchatka", 720),
    ("Chatham Islands", 765),
    ("UTC+13", 780),
    ("Tonga", 780),
    ("Samoa", 780),
    ("Line Islands", 840),
];

/// IANA zones MSPs commonly run in, with their standard offsets.
const IANA: &[(&str, i32)] = &[
    ("Europe/London", 0),
    ("Europe/Dublin", 0),
    ("Europe/Lisbon", 0),
    ("Europe/Amsterdam", 60),
    ("Europe/Berlin", 60),
    ("Europe/Brussels", 60),
    ("Europe/Madrid", 60),
    ("Europe/Paris", 60),
    ("Europe/Rome", 60),
    ("Europe/Stockholm", 60),
    ("Europe/Warsaw", 60),
    ("Europe/Zurich", 60),
    ("Europe/Athens", 120),
    ("Europe/Helsinki", 120),
    ("Europe/Kiev", 120),
    ("Europe/Kyiv", 120),
    ("Europe/Istanbul", 180),
    ("Europe/Moscow", 180),
    ("Asia/Jerusalem", 120),
    ("Asia/Tel_Aviv", 120),
    ("Asia/Dubai", 240),
    ("Asia/Kolkata", 330),
    ("Asia/Calcutta", 330),
    ("Asia/Singapore", 480),
    ("Asia/Hong_Kong", 480),
    ("Asia/Shanghai", 480),
    ("Asia/Tokyo", 540),
    ("Africa/Johannesburg", 120),
    ("America/St_Johns", -210),
    ("America/Halifax", -240),
    ("America/Sao_Paulo", -180),
    ("America/New_York", -300),
    ("America/Toronto", -300),
    ("America/Detroit", -300),
    ("America/Chicago", -360),
    ("America/Winnipeg", -360),
    ("America/Mexico_City", -360),
    ("America/Denver", -420),
    ("America/Edmonton", -420),
    ("America/Phoenix", -420),
    ("America/Los_Angeles", -480),
    ("America/Vancouver", -480),
    ("America/Anchorage", -540),
    ("Pacific/Honolulu", -600),
    ("Australia/Perth", 480),
    ("Australia/Darwin", 570),
    ("Australia/Adelaide", 570),
    ("Australia/Brisbane", 600),
    ("Australia/Sydney", 600),
    ("Australia/Melbourne", 600),
    ("Australia/Hobart", 600),
    ("Pacific/Auckland", 720),
];

/// The smallest standard offset of each IANA region, for cities not listed.
const IANA_REGIONS: &[(&str, i32)] = &[
    ("Europe/", 0),
    ("Africa/", 0),
    ("Asia/", 120),
    ("Indian/", 180),
    ("Australia/", 480),
    ("Atlantic/", -120),
    ("America/", -600),
    ("US/", -600),
    ("Canada/", -480),
    ("Pacific/", -660),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn names_in_every_form_give_their_standard_offset() {
        let off = |n: &str| standard_offset(n);
        assert_eq!(off("W. Europe Standard Time"), Some(60));
        assert_eq!(off("Eastern Standard Time"), Some(-300));
        assert_eq!(off("GMT Standard Time"), Some(0));
        assert_eq!(off("India Standard Time"), Some(330));
        assert_eq!(off("Europe/Berlin"), Some(60));
        assert_eq!(off("Europe/Vilnius"), Some(0));
        assert_eq!(off("America/Boise"), Some(-600));
        assert_eq!(off("Etc/GMT+5"), Some(-300));
        assert_eq!(
            off("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"),
            Some(330)
        );
        assert_eq!(off("(UTC-08:00) Pacific Time (US & Canada)"), Some(-480));
        assert_eq!(off("(UTC) Coordinated Universal Time"), Some(0));
        assert_eq!(off("UTC"), Some(0));
        assert_eq!(off("GMT-5"), Some(-300));
        assert_eq!(off("UTC+0930"), Some(570));
        assert_eq!(off("Mars Standard Time"), None);
    }

    #[test]
    fn the_filter_is_local_and_never_late() {
        let since = at("2024-03-05T06:07:08Z");
        let berlin = AccountZone::from_name(Some("W. Europe Standard Time"));
        assert_eq!(berlin.filter_value(since), "2024-03-05T07:07:08");
        // Values written in UTC would be from 06:07:08 on: keep those too.
        assert_eq!(berlin.threshold(since).to_string(), "2024-03-05 06:07:08");
        let ny = AccountZone::from_name(Some("Eastern Standard Time"));
        assert_eq!(ny.filter_value(since), "2024-03-05T01:07:08");
        assert_eq!(ny.threshold(since).to_string(), "2024-03-05 01:07:08");
        let unknown = AccountZone::from_name(Some("Somewhere"));
        assert!(!unknown.known);
        assert_eq!(unknown.filter_value(since), "2024-03-04T18:07:08");
        assert_eq!(AccountZone::unknown().min_offset, -720);
    }
}
