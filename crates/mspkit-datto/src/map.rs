//! Datto RMM shapes -> the normalized model.
//!
//! Normalized ids are Datto's alphanumeric `uid`s, which every path takes;
//! the numeric `id`s stay in `raw`. Datto has no level above the site, so a
//! site is both an [`Organization`] and a [`Site`] with the same id.

use mspkit_core::{
    Alert, Device, DeviceType, Id, Organization, Provider, Severity, Site, Software,
};
use serde_json::Value;

use crate::api;
use mspkit_core::model::non_empty;

const P: Provider = Provider::Datto;

/// A site as the organization it stands for.
pub fn organization(s: api::Site, raw: Option<Value>) -> Organization {
    let mut o = Organization::new(P, s.uid, s.name.unwrap_or_default());
    o.raw = raw;
    o
}

/// A site as a site of itself (its `organization_id` is its own uid).
pub fn site(s: api::Site, raw: Option<Value>) -> Site {
    let mut out = Site::new(P, s.uid.clone(), s.name.unwrap_or_default());
    out.organization_id = Some(Id::new(s.uid));
    out.raw = raw;
    out
}

/// A device record; serial number, manufacturer, model and MAC addresses
/// come from the audit (see [`with_audit`]).
pub fn device(d: api::Device, raw: Option<Value>) -> Device {
    let mut out = Device::new(P, d.uid.clone());
    let site = non_empty(d.site_uid).map(Id::new);
    out.organization_id = site.clone();
    out.site_id = site;
    out.device_type = device_type(d.device_type.as_ref(), d.device_class.as_deref());
    out.hostname = non_empty(d.hostname);
    let (os_name, os_version) = split_os(d.operating_system.as_deref());
    out.os_name = os_name;
    out.os_version = os_version;
    out.online = d.online;
    out.last_seen = d.last_seen;
    let mut ips = Vec::new();
    for list in [d.int_ip_address.as_deref(), d.ext_ip_address.as_deref()]
        .into_iter()
        .flatten()
    {
        for ip in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !ips.iter().any(|known: &String| known == ip) {
                ips.push(ip.to_owned());
            }
        }
    }
    out.ip_addresses = ips;
    out.agent_version = non_empty(d.display_version).or_else(|| non_empty(d.cag_version));
    out.logged_in_user = non_empty(d.last_logged_in_user);
    out.raw = raw;
    out
}

/// Adds what only the device audit knows: serial number, manufacturer,
/// model and the network interfaces' MAC addresses.
pub fn with_audit(mut d: Device, audit: api::DeviceAudit) -> Device {
    if let Some(info) = audit.system_info {
        d.manufacturer = non_empty(info.manufacturer);
        d.model = non_empty(info.model);
    }
    if let Some(bios) = audit.bios {
        d.serial_number = non_empty(bios.serial_number);
    }
    for nic in audit.nics {
        if let Some(mac) = non_empty(nic.mac_address) {
            if !d.mac_addresses.contains(&mac) {
                d.mac_addresses.push(mac);
            }
        }
        for ip in [nic.ipv4, nic.ipv6].into_iter().flatten() {
            let ip = ip.trim();
            if !ip.is_empty() && !d.ip_addresses.iter().any(|k| k == ip) {
                d.ip_addresses.push(ip.to_owned());
            }
        }
    }
    d
}

/// An alert; `organization_id` is the site's uid.
pub fn alert(a: api::Alert, raw: Option<Value>) -> Alert {
    let message = non_empty(a.diagnostics)
        .or_else(|| a.alert_context.as_ref().and_then(context_summary))
        .unwrap_or_default();
    let mut out = Alert::new(P, a.alert_uid, message);
    if let Some(src) = a.alert_source_info {
        out.device_id = non_empty(src.device_uid).map(Id::new);
        out.organization_id = non_empty(src.site_uid).map(Id::new);
    }
    out.severity = severity(a.priority.as_deref());
    out.created_at = a.timestamp;
    out.resolved = a.resolved.unwrap_or(a.resolved_on.is_some());
    out.resolved_at = a.resolved_on;
    out.raw = raw;
    out
}

/// One entry of a device's software audit.
pub fn software(device: &Id, s: api::Software, raw: Option<Value>) -> Software {
    let mut out = Software::new(P, device.clone(), s.name.unwrap_or_default());
    out.version = non_empty(s.version);
    out.raw = raw;
    out
}

/// Datto's alert priority as a severity.
pub fn severity(priority: Option<&str>) -> Severity {
    match priority.map(str::to_ascii_lowercase).as_deref() {
        Some("critical") => Severity::Critical,
        Some("high") => Severity::Error,
        Some("moderate" | "low") => Severity::Warning,
        Some("information") => Severity::Info,
        _ => Severity::Other,
    }
}

/// The device class decides for printers, network devices and ESXi hosts;
/// for ordinary devices the category (`Desktop`, `Laptop`, `Server`) does.
pub fn device_type(kind: Option<&api::DeviceKind>, class: Option<&str>) -> DeviceType {
    match class.map(str::to_ascii_lowercase).as_deref() {
        Some("printer" | "rmmnetworkdevice") => return DeviceType::Network,
        Some("esxihost") => return DeviceType::Server,
        _ => {}
    }
    let names = kind
        .map(|k| [k.category.as_deref(), k.kind.as_deref()])
        .unwrap_or_default();
    for name in names.into_iter().flatten() {
        let n = name.to_ascii_lowercase();
        let found = if n.contains("laptop") || n.contains("notebook") {
            DeviceType::Laptop
        } else if n.contains("server") {
            DeviceType::Server
        } else if n.contains("desktop") || n.contains("workstation") {
            DeviceType::Workstation
        } else if n.contains("virtual") || n == "vm" {
            DeviceType::VirtualMachine
        } else if ["mobile", "phone", "tablet"].iter().any(|w| n.contains(w)) {
            DeviceType::Mobile
        } else if ["network", "router", "switch", "firewall", "printer"]
            .iter()
            .any(|w| n.contains(w))
        {
            DeviceType::Network
        } else {
            continue;
        };
        return found;
    }
    DeviceType::Other
}

/// Splits Datto's one operating-system string into a name and the trailing
/// dotted version, when there is one (`Microsoft Windows 11 Pro 10.0.26200`).
pub fn split_os(os: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(os) = os.map(str::trim).filter(|s| !s.is_empty()) else {
        return (None, None);
    };
    if let Some((name, last)) = os.rsplit_once(' ') {
        let is_version = last.contains('.')
            && last.chars().all(|c| c.is_ascii_digit() || c == '.')
            && last.chars().next().is_some_and(|c| c.is_ascii_digit());
        if is_version && !name.trim().is_empty() {
            return (Some(name.trim().to_owned()), Some(last.to_owned()));
        }
    }
    (Some(os.to_owned()), None)
}

/// A short text for an alert without diagnostics: its context's `@class`
/// and the context's plain fields (`online_offline_status_ctx: status=OFFLINE`).
fn context_summary(ctx: &Value) -> Option<String> {
    let obj = ctx.as_object()?;
    let class = obj.get("@class").and_then(Value::as_str).unwrap_or("alert");
    let fields: Vec<String> = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "@class")
        .filter_map(|(k, v)| match v {
            Value::String(s) if !s.is_empty() => Some(format!("{k}={s}")),
            Value::Number(n) => Some(format!("{k}={n}")),
            Value::Bool(b) => Some(format!("{k}={b}")),
            _ => None,
        })
        .collect();
    Some(if fields.is_empty() {
        class.to_owned()
    } else {
        format!("{class}: {}", fields.join(", "))
    })
}
