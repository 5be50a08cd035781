//! Datto RMM's JSON shapes, with the field names the API really sends.
//!
//! Every list is an envelope `{"pageDetails": {...}, "<plural>": [...]}`,
//! which the kit's list walk reads; these are its items, with the fields
//! the normalized model reads (the rest stays in `raw`). Timestamps are
//! epoch milliseconds although the OpenAPI document types them `date-time`;
//! [`epoch_ms`] reads both and the .NET minimum-date sentinel some fields
//! carry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `Account` (`GET /v2/account`), used to test the connection.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Numeric id.
    pub id: Option<i64>,
}

/// `Site`: Datto's only grouping of devices (one per customer, usually).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// Alphanumeric uid, used in every path.
    pub uid: String,
    /// Name.
    pub name: Option<String>,
    /// The linked Autotask company's id.
    pub autotask_company_id: Option<String>,
}

/// `DevicesType`: a device's category and type as Datto names them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DeviceKind {
    /// `Desktop`, `Laptop`, `Server`, ...
    pub category: Option<String>,
    /// A finer type, often equal to the category.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// `Device`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// Numeric id (`GET /v2/device/id/{id}` takes it; `raw` keeps it).
    pub id: Option<i64>,
    /// Alphanumeric uid, used in every path.
    pub uid: String,
    /// The site's uid.
    pub site_uid: Option<String>,
    /// Category and type.
    pub device_type: Option<DeviceKind>,
    /// Network name.
    pub hostname: Option<String>,
    /// Internal IP address.
    pub int_ip_address: Option<String>,
    /// External (public) IP address.
    pub ext_ip_address: Option<String>,
    /// One display string (`Microsoft Windows 11 Pro 10.0.26200`).
    pub operating_system: Option<String>,
    /// `DOMAIN\user` at the last check-in.
    pub last_logged_in_user: Option<String>,
    /// Agent build number.
    pub cag_version: Option<String>,
    /// Agent version (`4.4.11965.11965`).
    pub display_version: Option<String>,
    /// Whether the agent is online.
    pub online: Option<bool>,
    /// Last check-in.
    #[serde(default, deserialize_with = "epoch_ms")]
    pub last_seen: Option<DateTime<Utc>>,
    /// Last reboot.
    #[serde(default, deserialize_with = "epoch_ms")]
    pub last_reboot: Option<DateTime<Utc>>,
    /// Last audit.
    #[serde(default, deserialize_with = "epoch_ms")]
    pub last_audit_date: Option<DateTime<Utc>>,
    /// When the device was added.
    #[serde(default, deserialize_with = "epoch_ms")]
    pub creation_date: Option<DateTime<Utc>>,
    /// `device`, `printer`, `esxihost`, `rmmnetworkdevice` or `unknown`.
    pub device_class: Option<String>,
    /// Warranty end date (a plain date string, not epoch).
    pub warranty_date: Option<String>,
}

/// `AlertSourceInfo`: the device and site an alert concerns.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertSourceInfo {
    /// The device's uid.
    pub device_uid: Option<String>,
    /// The site's uid.
    pub site_uid: Option<String>,
}

/// `Alert`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Alphanumeric uid.
    pub alert_uid: String,
    /// `Critical`, `High`, `Moderate`, `Low`, `Information` or `Unknown`.
    pub priority: Option<String>,
    /// What the monitor reported.
    pub diagnostics: Option<String>,
    /// Whether it is resolved.
    pub resolved: Option<bool>,
    /// When it was resolved.
    #[serde(default, deserialize_with = "epoch_ms")]
    pub resolved_on: Option<DateTime<Utc>>,
    /// When it was raised.
    #[serde(default, deserialize_with = "epoch_ms")]
    pub timestamp: Option<DateTime<Utc>>,
    /// What the monitor watched, polymorphic by `@class`.
    pub alert_context: Option<Value>,
    /// The device and site.
    pub alert_source_info: Option<AlertSourceInfo>,
}

/// `Software`: one entry of a device's software audit.
#[derive(Debug, Clone, Deserialize)]
pub struct Software {
    /// Product name.
    pub name: Option<String>,
    /// Version.
    pub version: Option<String>,
}

/// `DeviceAudit` (`GET /v2/audit/device/{uid}`): the hardware facts the
/// device record lacks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceAudit {
    /// Manufacturer, model, user.
    pub system_info: Option<SystemInfo>,
    /// BIOS, with the serial number.
    pub bios: Option<Bios>,
    /// Network interfaces.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub nics: Vec<NetworkInterface>,
}

/// `SystemInfo`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
}

/// `Bios`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bios {
    /// Serial number.
    pub serial_number: Option<String>,
}

/// `NetworkInterface`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInterface {
    /// IPv4 address.
    pub ipv4: Option<String>,
    /// IPv6 address.
    pub ipv6: Option<String>,
    /// MAC address.
    pub mac_address: Option<String>,
}

/// `null` or a missing array read as empty.
fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// .NET's `DateTime.MinValue` in epoch milliseconds: Datto's "never".
const DOTNET_MIN_MS: i64 = -62_135_596_800_000;

/// Numbers above this are milliseconds; below, seconds.
const MS_THRESHOLD: i64 = 9_999_999_999;

/// Reads a timestamp as Datto sends it: epoch milliseconds (a number or a
/// numeric string), epoch seconds for small numbers, or an RFC 3339 string.
/// `0`, the .NET minimum date, `null` and `""` are `None`; anything else is
/// an error naming the field.
pub fn epoch_ms<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    use serde::de::Error as _;
    let v = Value::deserialize(d)?;
    let from_number = |n: i64| -> Result<Option<DateTime<Utc>>, D::Error> {
        if n == 0 || n <= DOTNET_MIN_MS {
            return Ok(None);
        }
        let at = if n.abs() > MS_THRESHOLD {
            DateTime::from_timestamp_millis(n)
        } else {
            DateTime::from_timestamp(n, 0)
        };
        at.map(Some)
            .ok_or_else(|| D::Error::custom(format!("timestamp {n} is out of range")))
    };
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_i64() {
            Some(i) => from_number(i),
            None => match n.as_f64() {
                Some(f) if f.is_finite() && f.abs() < 9.0e15 => from_number(f.trunc() as i64),
                _ => Err(D::Error::custom(format!("timestamp {n} is out of range"))),
            },
        },
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if let Ok(i) = s.parse::<i64>() {
                return from_number(i);
            }
            DateTime::parse_from_rfc3339(s)
                .map(|t| Some(t.with_timezone(&Utc)))
                .map_err(|_| D::Error::custom(format!("{s:?} is not a timestamp")))
        }
        other => Err(D::Error::custom(format!("{other} is not a timestamp"))),
    }
}

pub use crate::errors::{IP_BLOCK_MESSAGE, error_body};
