//! Tactical RMM's shapes -> the normalized model.

use std::net::IpAddr;

use mspkit_core::model::non_empty;
use mspkit_core::{
    Alert, Device, DeviceType, Id, Organization, Provider, Severity, Site, Software,
};
use serde_json::Value;

use crate::api;

const P: Provider = Provider::Tactical;

/// Tactical keeps no creation or change time on clients.
pub(crate) fn organization(c: api::Client, raw: Option<Value>) -> Organization {
    let mut out = Organization::new(P, c.id, c.name);
    out.raw = raw;
    out
}

/// The sites nested in a client; `raw` is the client's object, from which
/// each site keeps its own.
pub(crate) fn sites(c: api::Client, raw: Option<Value>) -> Vec<Site> {
    let mut raws = match raw {
        Some(Value::Object(mut o)) => match o.remove("sites") {
            Some(Value::Array(items)) => items.into_iter().map(Some).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
    .into_iter();
    let client = c.id;
    c.sites
        .into_iter()
        .map(|s| {
            let mut out = Site::new(P, s.id, s.name);
            out.organization_id = Some(Id::from(s.client.unwrap_or(client)));
            out.raw = raws.next().flatten();
            out
        })
        .collect()
}

/// A row of the agent list. The row names its client and site but carries
/// no ids: they come from the site the list was asked for.
pub(crate) fn agent_row(
    a: api::AgentRow,
    organization: Option<Id>,
    site: Option<Id>,
    raw: Option<Value>,
) -> Device {
    let mut out = Device::new(P, a.agent_id);
    out.organization_id = organization;
    out.site_id = site;
    out.hostname = non_empty(a.hostname);
    out.display_name = non_empty(a.description);
    out.device_type = device_type(a.monitoring_type.as_deref());
    out.os_name = non_empty(a.operating_system);
    out.online = online(a.status.as_deref());
    out.last_seen = a.last_seen;
    out.ip_addresses = local_ips(a.local_ips.as_deref());
    out.serial_number = non_empty(a.serial_number);
    out.model = make_model(a.make_model);
    out.agent_version = non_empty(a.version);
    out.logged_in_user = user(a.logged_username);
    out.raw = raw;
    out
}

/// One agent's detail. It carries the site's id; the client's id is looked
/// up from it by the caller (the detail names the client only by name).
pub(crate) fn agent_detail(
    a: api::AgentDetail,
    organization: Option<Id>,
    raw: Option<Value>,
) -> Device {
    let mut out = Device::new(P, a.agent_id);
    out.organization_id = organization;
    out.site_id = a.site.map(Id::from);
    out.hostname = non_empty(a.hostname);
    out.display_name = non_empty(a.description);
    out.device_type = device_type(a.monitoring_type.as_deref());
    out.os_name = non_empty(a.operating_system);
    out.online = online(a.status.as_deref());
    out.last_seen = a.last_seen;
    out.ip_addresses = local_ips(a.local_ips.as_deref());
    out.serial_number = a
        .wmi_detail
        .as_ref()
        .and_then(|w| serial_from_inventory(w, a.plat.as_deref()));
    out.model = make_model(a.make_model);
    out.agent_version = non_empty(a.version);
    // The same rule the list's `logged_username` follows: the current user,
    // else the last one while the agent is online.
    let current = user(a.logged_in_username);
    out.logged_in_user = match (current, out.online) {
        (Some(u), _) => Some(u),
        (None, Some(true)) => user(a.last_logged_in_user),
        (None, _) => None,
    };
    out.raw = raw;
    out
}

/// `monitoring_type` is `server` or `workstation`; Tactical does not tell
/// laptops or virtual machines apart.
pub(crate) fn device_type(monitoring_type: Option<&str>) -> DeviceType {
    match monitoring_type.map(str::trim) {
        Some(t) if t.eq_ignore_ascii_case("server") => DeviceType::Server,
        Some(t) if t.eq_ignore_ascii_case("workstation") => DeviceType::Workstation,
        _ => DeviceType::Other,
    }
}

/// `online`; `offline` and `overdue` (offline past the alert threshold) are not.
fn online(status: Option<&str>) -> Option<bool> {
    match status? {
        "online" => Some(true),
        "offline" | "overdue" => Some(false),
        _ => None,
    }
}

/// `local_ips` is one display string: addresses joined with `", "`, or an
/// error text (`error getting local ips`). Only addresses are kept.
pub(crate) fn local_ips(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter_map(|part| {
            // Linux agents may send `10.0.0.5/24`.
            let addr = part.split('/').next().unwrap_or(part);
            addr.parse::<IpAddr>().ok().map(|_| addr.to_owned())
        })
        .collect()
}

/// `make_model` is `"{make} {model}"` in one string, which cannot be split
/// safely (`Dell Inc. OptiPlex 7010`), so it is kept whole as the model.
/// The server's error texts are not a model.
fn make_model(text: Option<String>) -> Option<String> {
    non_empty(text).filter(|s| {
        let s = s.to_ascii_lowercase();
        !(s.starts_with("error getting") || s == "unknown make/model")
    })
}

/// `-` (the list) and `None` (the detail) mean nobody is logged in.
fn user(name: Option<String>) -> Option<String> {
    non_empty(name).filter(|n| n != "-" && n != "None")
}

/// The serial number the server reads from the raw inventory for its list:
/// `bios[0][0].SerialNumber` on Windows, `serialnumber` elsewhere.
fn serial_from_inventory(wmi: &Value, plat: Option<&str>) -> Option<String> {
    let found = match plat {
        Some("windows") | None => wmi.pointer("/bios/0/0/SerialNumber"),
        Some(_) => wmi.get("serialnumber"),
    };
    found
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Tactical's three levels; it has no level above `error`.
pub(crate) fn severity(s: Option<&str>) -> Severity {
    match s {
        Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        Some("info") => Severity::Info,
        _ => Severity::Other,
    }
}

/// An alert; `organization` is the id of the client the alert names.
pub(crate) fn alert(a: api::Alert, organization: Option<Id>, raw: Option<Value>) -> Alert {
    let mut out = Alert::new(P, a.id, a.message.unwrap_or_default());
    out.device_id = non_empty(a.agent_id).map(Id::from);
    out.organization_id = organization;
    out.severity = severity(a.severity.as_deref());
    out.created_at = a.alert_time;
    out.resolved = a.resolved;
    out.resolved_at = a.resolved_on;
    out.raw = raw;
    out
}

pub(crate) fn software(device: &Id, s: api::SoftwareEntry, raw: Option<Value>) -> Software {
    let mut out = Software::new(P, device.clone(), s.name);
    out.version = non_empty(s.version);
    out.publisher = non_empty(s.publisher);
    out.installed_at = s.install_date;
    out.raw = raw;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_ips_keep_addresses_only() {
        assert_eq!(
            local_ips(Some("192.168.10.21, 10.8.0.4")),
            ["192.168.10.21", "10.8.0.4"]
        );
        assert_eq!(local_ips(Some("10.0.0.5/24")), ["10.0.0.5"]);
        assert!(local_ips(Some("error getting local ips")).is_empty());
        assert!(local_ips(None).is_empty());
    }
}
