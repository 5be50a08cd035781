//! RMM entities: organizations, sites, devices, alerts and installed software.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{DeviceType, Id, Provider, Severity};

/// A customer organization in an RMM (a "client" or "customer").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Organization {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// Display name.
    pub name: String,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed.
    pub updated_at: Option<DateTime<Utc>>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Organization {
    /// An organization with the given id and name; every other field empty.
    pub fn new(provider: Provider, id: impl Into<Id>, name: impl Into<String>) -> Self {
        Organization {
            id: id.into(),
            provider,
            name: name.into(),
            created_at: None,
            updated_at: None,
            raw: None,
        }
    }
}

/// A location of an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Site {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// The organization it belongs to.
    pub organization_id: Option<Id>,
    /// Display name.
    pub name: String,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Site {
    /// A site with the given id and name; every other field empty.
    pub fn new(provider: Provider, id: impl Into<Id>, name: impl Into<String>) -> Self {
        Site {
            id: id.into(),
            provider,
            organization_id: None,
            name: name.into(),
            raw: None,
        }
    }
}

/// A managed device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Device {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// The organization it belongs to.
    pub organization_id: Option<Id>,
    /// The site it belongs to.
    pub site_id: Option<Id>,
    /// The machine's network name.
    pub hostname: Option<String>,
    /// The name shown in the RMM, where it differs from the hostname.
    pub display_name: Option<String>,
    /// What kind of machine it is.
    pub device_type: DeviceType,
    /// Operating system name.
    pub os_name: Option<String>,
    /// Operating system version or build.
    pub os_version: Option<String>,
    /// Whether the agent is online now; `None` when the provider does not say.
    pub online: Option<bool>,
    /// When the agent last checked in.
    pub last_seen: Option<DateTime<Utc>>,
    /// IP addresses, as reported.
    pub ip_addresses: Vec<String>,
    /// MAC addresses, as reported.
    pub mac_addresses: Vec<String>,
    /// Serial number.
    pub serial_number: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// The RMM agent's version.
    pub agent_version: Option<String>,
    /// The user logged in at last check-in.
    pub logged_in_user: Option<String>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Device {
    /// A device with the given id; every other field empty and type `Other`.
    pub fn new(provider: Provider, id: impl Into<Id>) -> Self {
        Device {
            id: id.into(),
            provider,
            organization_id: None,
            site_id: None,
            hostname: None,
            display_name: None,
            device_type: DeviceType::Other,
            os_name: None,
            os_version: None,
            online: None,
            last_seen: None,
            ip_addresses: Vec::new(),
            mac_addresses: Vec::new(),
            serial_number: None,
            manufacturer: None,
            model: None,
            agent_version: None,
            logged_in_user: None,
            raw: None,
        }
    }
}

/// An alert raised by monitoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Alert {
    /// The provider's id.
    pub id: Id,
    /// Where the value came from.
    pub provider: Provider,
    /// The device it concerns.
    pub device_id: Option<Id>,
    /// The organization it concerns.
    pub organization_id: Option<Id>,
    /// How serious it is.
    pub severity: Severity,
    /// What happened.
    pub message: String,
    /// When it was raised.
    pub created_at: Option<DateTime<Utc>>,
    /// Whether it has been resolved.
    pub resolved: bool,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Alert {
    /// An open alert with the given id and message; every other field empty.
    pub fn new(provider: Provider, id: impl Into<Id>, message: impl Into<String>) -> Self {
        Alert {
            id: id.into(),
            provider,
            device_id: None,
            organization_id: None,
            severity: Severity::Other,
            message: message.into(),
            created_at: None,
            resolved: false,
            resolved_at: None,
            raw: None,
        }
    }
}

/// A piece of software installed on a device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Software {
    /// Where the value came from.
    pub provider: Provider,
    /// The device it is installed on.
    pub device_id: Id,
    /// Product name.
    pub name: String,
    /// Installed version.
    pub version: Option<String>,
    /// Publisher or vendor.
    pub publisher: Option<String>,
    /// When it was installed.
    pub installed_at: Option<DateTime<Utc>>,
    /// The provider's original object, kept when the client was built with `keep_raw(true)`.
    #[serde(default)]
    pub raw: Option<Value>,
}

impl Software {
    /// Software with the given device and name; every other field empty.
    pub fn new(provider: Provider, device_id: impl Into<Id>, name: impl Into<String>) -> Self {
        Software {
            provider,
            device_id: device_id.into(),
            name: name.into(),
            version: None,
            publisher: None,
            installed_at: None,
            raw: None,
        }
    }
}
