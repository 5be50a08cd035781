//! NinjaOne's JSON shapes (Public API v2), with the field names it sends.
//!
//! Only the fields the normalized model uses are declared; the rest are
//! ignored, so an unexpected value in a field nobody reads cannot fail a sync.
//! Timestamps are epoch seconds as JSON numbers with a fraction, except
//! software's `installDate`, an ISO 8601 string.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use serde::de::{Deserializer, Error as _};
use serde_json::Value;

/// `Organization` (`GET /v2/organizations`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Organization {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
}

/// `Location` (`GET /v2/organization/{id}/locations`) and
/// `LocationWithOrganizationRef` (`GET /v2/locations`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Location {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub organization_id: Option<i64>,
}

/// `Device` (`GET /v2/devices-detailed`, `GET /v2/device/{id}`) in every
/// shape the spec derives from it (discriminated by `deviceType`):
/// `AgentDevice` carries the `os` and `system` blocks; `VMHost` has its
/// hardware and release at the top level (`vendor`, `model`, `serviceTag`,
/// `releaseName`, `version`); `VMGuest` its guest OS (`guestOSFullName`);
/// the cloud monitors their `target`; `MdmDevice`, `NMSServer`, `NMSTarget`
/// and `UnmanagedDevice` only the common fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Device {
    pub id: i64,
    #[serde(default)]
    pub organization_id: Option<i64>,
    #[serde(default)]
    pub location_id: Option<i64>,
    #[serde(default)]
    pub node_class: Option<String>,
    #[serde(default)]
    pub offline: Option<bool>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub system_name: Option<String>,
    #[serde(default)]
    pub dns_name: Option<String>,
    #[serde(default)]
    pub netbios_name: Option<String>,
    #[serde(default, deserialize_with = "epoch_seconds")]
    pub last_contact: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "epoch_seconds")]
    pub last_update: Option<DateTime<Utc>>,
    #[serde(default)]
    pub ip_addresses: Option<Vec<String>>,
    #[serde(default)]
    pub mac_addresses: Option<Vec<String>>,
    #[serde(default)]
    pub os: Option<OperatingSystem>,
    #[serde(default)]
    pub system: Option<ComputerSystem>,
    #[serde(default)]
    pub last_logged_in_user: Option<String>,
    /// `VMHost`: the host's name.
    #[serde(default)]
    pub name: Option<String>,
    /// `VMHost`: the hardware vendor.
    #[serde(default)]
    pub vendor: Option<String>,
    /// `VMHost`: the hardware model.
    #[serde(default)]
    pub model: Option<String>,
    /// `VMHost`: the service tag (serial number).
    #[serde(default)]
    pub service_tag: Option<String>,
    /// `VMHost`: the hypervisor's release name.
    #[serde(default)]
    pub release_name: Option<String>,
    /// `VMHost`: the hypervisor's version.
    #[serde(default)]
    pub version: Option<String>,
    /// `VMHost`: the hypervisor's build number.
    #[serde(default)]
    pub build_number: Option<String>,
    /// `VMGuest`: the guest OS's full name.
    #[serde(default, rename = "guestOSFullName")]
    pub guest_os_full_name: Option<String>,
    /// Cloud monitors: what is watched (a host name or a URL).
    #[serde(default)]
    pub target: Option<String>,
}

/// `OperatingSystem`, on agent devices.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OperatingSystem {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub build_number: Option<String>,
    #[serde(default)]
    pub release_id: Option<String>,
}

/// `ComputerSystem`, on agent devices.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ComputerSystem {
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub serial_number: Option<String>,
    #[serde(default)]
    pub bios_serial_number: Option<String>,
    #[serde(default)]
    pub chassis_type: Option<String>,
}

/// `Alert` (`GET /v2/alerts`, `GET /v2/device/{id}/alerts`): an active
/// (triggered) condition.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Alert {
    pub uid: String,
    #[serde(default)]
    pub device_id: Option<i64>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub source_name: Option<String>,
    #[serde(default, deserialize_with = "epoch_seconds")]
    pub create_time: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "epoch_seconds")]
    pub update_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub device: Option<AlertDevice>,
}

/// The device embedded in an alert (`NodeWithDetailedReferences`), read for its organization.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AlertDevice {
    #[serde(default)]
    pub organization_id: Option<i64>,
}

/// `Application` (`GET /v2/device/{id}/software`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Application {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default, deserialize_with = "install_date")]
    pub install_date: Option<DateTime<Utc>>,
}

/// Beyond this, an epoch value is in milliseconds, not seconds (year 5138 in seconds).
const MILLIS_THRESHOLD: f64 = 1e11;

/// Epoch seconds with a fraction (`1718000000.25`), leniently: a numeric
/// string, or milliseconds, are read too; `0` and `null` mean no time.
fn epoch_seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(v) => epoch_value(&v).map_err(D::Error::custom),
    }
}

fn epoch_value(v: &Value) -> Result<Option<DateTime<Utc>>, String> {
    let secs = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite())
    .ok_or_else(|| format!("expected epoch seconds, got {v}"))?;
    if secs == 0.0 {
        return Ok(None);
    }
    if secs < 0.0 {
        return Err(format!("expected epoch seconds, got the negative {v}"));
    }
    let micros = if secs > MILLIS_THRESHOLD {
        (secs * 1e3).round()
    } else {
        (secs * 1e6).round()
    };
    // The range check keeps the cast below exact; anything past it is not a date.
    if micros >= i64::MAX as f64 {
        return Err(format!("epoch value {v} is out of range"));
    }
    DateTime::from_timestamp_micros(micros as i64)
        .map(Some)
        .ok_or_else(|| format!("epoch value {v} is out of range"))
}

/// `installDate`: ISO 8601 with or without an offset, a bare date, the
/// Windows registry's `yyyyMMdd`, or epoch seconds; empty means unknown.
fn install_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_date_text(s.trim()).map_err(D::Error::custom),
        Some(v @ Value::Number(_)) => epoch_value(&v).map_err(D::Error::custom),
        Some(other) => Err(D::Error::custom(format!("expected a date, got {other}"))),
    }
}

fn parse_date_text(s: &str) -> Result<Option<DateTime<Utc>>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(Some(t.and_utc()));
        }
    }
    for format in ["%Y-%m-%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, format) {
            return Ok(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
        }
    }
    Err(format!("expected an ISO 8601 date, got {s:?}"))
}
