//! Automate's shapes -> the normalized model. Every `raw` passes through
//! [`scrub::keep`], so no script credential is kept.

use mspkit_core::model::non_empty;
use mspkit_core::{
    Alert, Device, DeviceType, Id, Organization, Provider, Severity, Site, Software,
};
use serde_json::Value;

use crate::api;
use crate::scrub;

const P: Provider = Provider::Automate;

fn text(s: &Option<String>) -> Option<String> {
    non_empty(s.as_ref().map(|s| s.trim().to_owned()))
}

fn ref_id(r: &Option<api::Ref>) -> Option<Id> {
    r.as_ref().and_then(|r| r.id.clone())
}

/// A client as an organization (Automate keeps no creation or change time).
pub(crate) fn organization(c: api::Client, raw: Option<Value>) -> Organization {
    let mut o = Organization::new(P, c.id, text(&c.name).unwrap_or_default());
    o.raw = scrub::keep(raw);
    o
}

/// A location as a site. The list's `Id` is the location's id (`LocationId`
/// repeats it); the organization is the nested `Client`.
pub(crate) fn site(l: api::Location, raw: Option<Value>) -> mspkit_core::Result<Site> {
    let id = l.id.or(l.location_id).ok_or_else(|| {
        mspkit_core::Error::new(P, "sites", mspkit_core::ErrorKind::Decode)
            .with_decode_path("Id")
            .with_message("a location without an Id or LocationId")
    })?;
    let mut s = Site::new(P, id, text(&l.name).unwrap_or_default());
    s.organization_id = ref_id(&l.client);
    s.raw = scrub::keep(raw);
    Ok(s)
}

/// What kind of machine a computer is: a virtual machine when Automate
/// says so, else from its `Type` (`Workstation`, `Server`, ...).
pub(crate) fn device_type(kind: Option<&str>, virtual_machine: bool) -> DeviceType {
    if virtual_machine {
        return DeviceType::VirtualMachine;
    }
    let k = kind.unwrap_or_default().trim().to_ascii_lowercase();
    if k.contains("server") {
        DeviceType::Server
    } else if k.contains("laptop") || k.contains("notebook") || k.contains("portable") {
        DeviceType::Laptop
    } else if k.contains("workstation") || k.contains("desktop") {
        DeviceType::Workstation
    } else if k.contains("network") || k.contains("router") || k.contains("switch") {
        DeviceType::Network
    } else if k.contains("mobile") || k.contains("phone") || k.contains("tablet") {
        DeviceType::Mobile
    } else {
        DeviceType::Other
    }
}

/// A MAC address as `AA:BB:CC:DD:EE:FF` when it is one (Windows inventory
/// writes `00-15-5D-0A-1B-2C`); anything else as reported.
pub(crate) fn mac(text: &str) -> String {
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | ':' | '.'))
        .collect();
    if hex.len() == 12 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        hex.as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).to_ascii_uppercase())
            .collect::<Vec<_>>()
            .join(":")
    } else {
        text.trim().to_owned()
    }
}

/// A computer as a device.
pub(crate) fn device(c: api::Computer, raw: Option<Value>) -> Device {
    let mut d = Device::new(P, c.id);
    d.organization_id = ref_id(&c.client);
    d.site_id = ref_id(&c.location);
    d.hostname = text(&c.computer_name);
    d.display_name = text(&c.friendly_name);
    d.device_type = device_type(c.kind.as_deref(), c.is_virtual_machine);
    d.os_name = text(&c.operating_system_name);
    d.os_version = text(&c.operating_system_version);
    d.online = text(&c.status).and_then(|s| match s.to_ascii_lowercase().as_str() {
        "online" => Some(true),
        "offline" => Some(false),
        _ => None,
    });
    d.last_seen = c.remote_agent_last_contact;
    d.ip_addresses = text(&c.local_ip_address).into_iter().collect();
    d.mac_addresses = text(&c.mac_address).map(|m| mac(&m)).into_iter().collect();
    d.serial_number = text(&c.serial_number);
    d.manufacturer = text(&c.bios_manufacturer);
    d.agent_version = text(&c.remote_agent_version);
    d.logged_in_user = c
        .logged_in_users
        .iter()
        .find_map(|u| text(&u.logged_in_user_name))
        .or_else(|| text(&c.last_user_name));
    d.raw = scrub::keep(raw);
    d
}

/// An alert severity from its name (the label stays in `raw`).
pub(crate) fn severity(name: Option<&str>) -> Severity {
    match name
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "critical" | "fatal" | "emergency" => Severity::Critical,
        "error" | "high" | "major" | "failed" => Severity::Error,
        "warning" | "warn" | "medium" | "minor" => Severity::Warning,
        "info" | "information" | "informational" | "low" | "notice" => Severity::Info,
        _ => Severity::Other,
    }
}

/// An alert. Automate's v1 list holds current alerts and no way to resolve
/// them, so every alert is open.
pub(crate) fn alert(a: api::Alert, raw: Option<Value>) -> Alert {
    let mut out = Alert::new(P, a.alert_id, text(&a.message).unwrap_or_default());
    out.device_id = ref_id(&a.computer);
    out.organization_id = ref_id(&a.client);
    out.severity = severity(a.severity.as_ref().and_then(|s| s.name.as_deref()));
    out.created_at = a.alert_date;
    out.raw = scrub::keep(raw);
    out
}

/// A software entry of `device` (Automate records no publisher).
pub(crate) fn software(device: &Id, s: api::Software, raw: Option<Value>) -> Software {
    let mut out = Software::new(P, device.clone(), text(&s.name).unwrap_or_default());
    out.version = text(&s.version);
    out.installed_at = s.date_installed;
    out.raw = scrub::keep(raw);
    out
}
