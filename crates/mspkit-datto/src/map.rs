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
        .or_else(|| a.alert_context.as_ref().and_then(context_message))
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

/// A readable text for an alert without diagnostics, from its context.
///
/// The context is polymorphic by `@class`, and not every class name is
/// documented, so the text is chosen by the fields the context carries (one
/// shape per context type in the API document). A context with nothing
/// readable is named by its kind (`component script alert`), never by its
/// raw class name.
pub fn context_message(ctx: &Value) -> Option<String> {
    let obj = ctx.as_object()?;
    let text = |k: &str| obj.get(k).and_then(scalar);
    let has = |k: &str| text(k).is_some();
    let list = |k: &str| {
        let items: Vec<String> = obj.get(k)?.as_array()?.iter().filter_map(scalar).collect();
        (!items.is_empty()).then(|| items.join(", "))
    };
    let lower = |k: &str| text(k).map(|s| s.to_lowercase().replace('_', " "));
    let named = |k: &str| text(k).map(|s| format!(" {s}")).unwrap_or_default();
    let joined = |parts: &[Option<String>], sep: &str| {
        let parts: Vec<String> = parts.iter().flatten().cloned().collect();
        (!parts.is_empty()).then(|| parts.join(sep))
    };
    let message = if let Some(samples) = obj.get("samples").and_then(Value::as_object) {
        // Components (scripts): their output, by sample name.
        let values: Vec<String> = samples
            .iter()
            .filter_map(|(k, v)| {
                let v = scalar(v)?;
                Some(if samples.len() == 1 {
                    v
                } else {
                    format!("{k}: {v}")
                })
            })
            .collect();
        (!values.is_empty()).then(|| values.join("; "))
    } else if has("packageName") {
        let what = match text("actionType").as_deref() {
            Some("INSTALLED") => format!("installed{}", named("version")),
            Some("UNINSTALLED") => "uninstalled".to_owned(),
            Some("VERSION_CHANGED") => match (text("prevVersion"), text("version")) {
                (Some(a), Some(b)) => format!("changed version from {a} to {b}"),
                _ => "changed version".to_owned(),
            },
            _ => "changed".to_owned(),
        };
        text("packageName").map(|p| format!("Package {p} {what}"))
    } else if let Some(virus) = text("virusName") {
        let files = list("infectedFiles").map(|f| format!(" in {f}"));
        Some(format!(
            "{virus} found{}{}",
            files.unwrap_or_default(),
            by(text("productName"))
        ))
    } else if let Some(days) = text("productNotUpdatedForDays") {
        Some(format!(
            "{} not updated for {days} days",
            product(text("productName"))
        ))
    } else if let Some(days) = text("expiryLicenseForDays") {
        Some(format!(
            "{} licence expires in {days} days",
            product(text("productName"))
        ))
    } else if let Some(hours) = text("systemRemainsInfectedForHours") {
        Some(format!(
            "System infected for {hours} hours{}",
            by(text("productName"))
        ))
    } else if let Some(kind) = lower("alertType") {
        Some(format!("{} {kind}", product(text("productName"))))
    } else if has("productName") && has("status") {
        let status = lower("status").map(|s| match s.as_str() {
            "notdetected" => "not detected".to_owned(),
            "notrunning" => "not running".to_owned(),
            "runningnotuptodate" => "running but not up to date".to_owned(),
            _ => s,
        });
        Some(format!(
            "{} {}",
            product(text("productName")),
            status.unwrap_or_default()
        ))
    } else if let Some(log) = text("logName") {
        let event = joined(
            &[
                text("source"),
                text("code").map(|c| format!("event {c}")),
                lower("type"),
            ],
            " ",
        );
        let head = format!(
            "{log} log{}",
            event.map(|e| format!(": {e}")).unwrap_or_default()
        );
        Some(match text("description") {
            Some(d) => format!("{head}: {d}"),
            None => head,
        })
    } else if let Some(disk) = text("diskName") {
        let free = text("freeSpace").map(|f| match text("unitOfMeasure").as_deref() {
            Some("PERCENT") => format!("{f}% free"),
            _ => format!("{f} free"),
        });
        let total = text("totalVolume").map(|t| format!("of {t}"));
        Some(format!(
            "Disk {disk}{}",
            joined(&[free, total], " ")
                .map(|t| match disk.ends_with(':') {
                    true => format!(" {t}"),
                    false => format!(": {t}"),
                })
                .unwrap_or_default()
        ))
    } else if let Some(path) = text("path") {
        let kind = lower("objectType").unwrap_or_else(|| "object".to_owned());
        let condition = lower("condition").unwrap_or_else(|| "changed".to_owned());
        let values = match (text("sample"), text("threshold")) {
            (Some(s), Some(t)) => format!(" ({s}, threshold {t})"),
            _ => String::new(),
        };
        Some(format!("{kind} {path}: {condition}{values}"))
    } else if has("result") || has("patchUid") {
        let result = text("result").unwrap_or_else(|| "failed".to_owned());
        Some(match text("info") {
            Some(info) => format!("Patch {result}: {info}"),
            None => format!("Patch {result}"),
        })
    } else if let Some(error) = text("errorMessage") {
        Some(format!("Backup: {error}"))
    } else if let Some(minutes) = text("timeout") {
        Some(format!("Backup timed out after {minutes} minutes"))
    } else if let Some(value) = text("currentValue") {
        Some(format!(
            "{}{}: {value}",
            text("displayName").unwrap_or_else(|| "SNMP monitor".to_owned()),
            named("monitorInstance")
        ))
    } else if has("responseValue") || has("OID") || has("oid") || has("ruleName") {
        let name = text("monitorName")
            .or_else(|| text("ruleName"))
            .unwrap_or_else(|| "SNMP probe".to_owned());
        let on = joined(&[text("deviceName"), text("ipAddress")], " ").map(|d| format!(" on {d}"));
        let oid = text("OID")
            .or_else(|| text("oid"))
            .map(|o| format!(" ({o})"));
        Some(
            format!(
                "{name}{}: {}{}",
                on.unwrap_or_default(),
                text("responseValue").unwrap_or_default(),
                oid.unwrap_or_default()
            )
            .trim_end_matches(": ")
            .to_owned(),
        )
    } else if has("markerSupplyIndex") || has("currentLevel") {
        let supply = text("markerSupplyIndex")
            .map(|i| format!(" supply {i}"))
            .unwrap_or_default();
        let level = text("currentLevel")
            .map(|l| format!(" at {l}%"))
            .unwrap_or_default();
        Some(format!("Printer{}{supply}{level}", named("ipAddress")))
    } else if has("instanceName") || has("roundtripTime") || list("reasons").is_some() {
        let rtt = text("roundtripTime").map(|t| format!(" ({t} ms)"));
        let why = list("reasons").map(|r| format!(": {r}"));
        Some(format!(
            "Ping{}{}{}",
            named("instanceName"),
            why.unwrap_or_default(),
            rtt.unwrap_or_default()
        ))
    } else if has("affectedDirectories") || has("rwextension") || has("confidenceFactor") {
        let dirs = list("affectedDirectories").map(|d| format!(" in {d}"));
        let ext = text("rwextension").map(|e| format!(" (files renamed to {e})"));
        Some(format!(
            "Ransomware behaviour{}{}",
            dirs.unwrap_or_default(),
            ext.unwrap_or_default()
        ))
    } else if let Some(degree) = text("degree") {
        Some(format!(
            "{} temperature {degree}°C",
            lower("type").unwrap_or_else(|| "device".to_owned())
        ))
    } else if let Some(reason) = text("reason") {
        Some(match lower("type") {
            Some(kind) => format!("{kind}: {reason}"),
            None => reason,
        })
    } else if let (Some(name), Some(status)) = (
        text("processName").or_else(|| text("serviceName")),
        lower("status"),
    ) {
        Some(format!("{name} is {status}"))
    } else if let Some(usage) = text("sample").or_else(|| text("percentage")) {
        let kind = lower("type")
            .map(|t| t.to_uppercase())
            .unwrap_or_else(|| "Resource".to_owned());
        let of = text("processName")
            .or_else(|| text("serviceName"))
            .map(|n| format!(" by {n}"));
        Some(format!("{kind} usage {usage}%{}", of.unwrap_or_default()))
    } else if let Some(status) = lower("status") {
        Some(format!("Device {status}"))
    } else if let Some(n) = obj.get("value").filter(|v| v.is_number()) {
        scalar(n).map(|n| format!("Performance counter at {n}"))
    } else if let Some(value) = text("value") {
        Some(format!("WMI query returned {value}"))
    } else {
        text("description")
    };
    message.or_else(|| {
        let class = obj.get("@class").and_then(Value::as_str)?;
        Some(kind_of(class))
    })
}

/// `the <product>` or `Security product`.
fn product(name: Option<String>) -> String {
    name.unwrap_or_else(|| "Security product".to_owned())
}

fn by(name: Option<String>) -> String {
    name.map(|n| format!(" by {n}")).unwrap_or_default()
}

/// A JSON scalar as text, white space collapsed and numbers as people
/// write them (`8` rather than `8.0`); `None` when empty.
fn scalar(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A context class as words: `comp_script_ctx` is a `component script alert`.
fn kind_of(class: &str) -> String {
    let words: Vec<&str> = class
        .trim_end_matches("_ctx")
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "comp" => "component",
            "perf" => "performance",
            "srvc" => "service",
            "fs" => "file system",
            "es" => "endpoint security",
            other => other,
        })
        .collect();
    format!("{} alert", words.join(" "))
}
