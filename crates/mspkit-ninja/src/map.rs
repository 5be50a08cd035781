//! NinjaOne's shapes -> the normalized model.

use chrono::{DateTime, Utc};
use mspkit_core::{
    Alert, Device, DeviceType, Id, Organization, Provider, Severity, Site, Software,
};
use serde_json::Value;

use crate::api;
use mspkit_core::model::non_empty;

const P: Provider = Provider::NinjaOne;

/// NinjaOne keeps no creation or change time on organizations.
pub(crate) fn organization(o: api::Organization, raw: Option<Value>) -> Organization {
    let mut out = Organization::new(P, o.id, o.name.unwrap_or_default());
    out.raw = raw;
    out
}

/// `organization` fills in the organization of locations listed under one
/// (`/v2/organization/{id}/locations` items do not carry it).
pub(crate) fn site(l: api::Location, organization: Option<&Id>, raw: Option<Value>) -> Site {
    let mut out = Site::new(P, l.id, l.name.unwrap_or_default());
    out.organization_id = l.organization_id.map(Id::from).or(organization.cloned());
    out.raw = raw;
    out
}

/// Any shape of device: the agent blocks (`os`, `system`) where present,
/// else a VM host's or guest's own fields; a cloud monitor's host is its
/// target's.
pub(crate) fn device(d: api::Device, raw: Option<Value>) -> Device {
    let mut out = Device::new(P, d.id);
    out.organization_id = d.organization_id.map(Id::from);
    out.site_id = d.location_id.map(Id::from);
    let os = d.os.unwrap_or_default();
    let system = d.system.unwrap_or_default();
    out.device_type = device_type(d.node_class.as_deref(), system.chassis_type.as_deref());
    out.hostname = non_empty(d.system_name)
        .or_else(|| non_empty(d.dns_name))
        .or_else(|| non_empty(d.netbios_name))
        .or_else(|| non_empty(d.name))
        .or_else(|| d.target.as_deref().and_then(target_host));
    out.display_name = non_empty(d.display_name);
    out.os_name = non_empty(os.name)
        .or_else(|| non_empty(d.release_name))
        .or_else(|| non_empty(d.guest_os_full_name));
    out.os_version = non_empty(os.build_number)
        .or_else(|| non_empty(os.release_id))
        .or_else(|| non_empty(d.version))
        .or_else(|| non_empty(d.build_number));
    out.online = d.offline.map(|offline| !offline);
    out.last_seen = d.last_contact;
    out.ip_addresses = d.ip_addresses.unwrap_or_default();
    out.mac_addresses = d.mac_addresses.unwrap_or_default();
    out.serial_number = non_empty(system.serial_number)
        .or_else(|| non_empty(system.bios_serial_number))
        .or_else(|| non_empty(d.service_tag));
    out.manufacturer = non_empty(system.manufacturer).or_else(|| non_empty(d.vendor));
    out.model = non_empty(system.model).or_else(|| non_empty(d.model));
    // The agent's version is not in the v2 device shapes: left `None`.
    out.logged_in_user = non_empty(d.last_logged_in_user);
    out.raw = raw;
    out
}

/// The host a cloud monitor watches: a URL's host, or the target itself
/// when it is a bare name or address.
fn target_host(target: &str) -> Option<String> {
    let target = target.trim();
    let host = match url::Url::parse(target) {
        Ok(u) if u.has_host() => u.host_str()?.to_owned(),
        _ if !target.contains(['/', ' ']) => target.to_owned(),
        _ => return None,
    };
    non_empty(Some(host))
}

/// When a device last changed or was seen: `updated_since` on devices keeps
/// a device if either its last data submission or its last contact is recent.
pub(crate) fn device_changed_at(d: &api::Device) -> Option<DateTime<Utc>> {
    d.last_update.max(d.last_contact)
}

/// The type from `nodeClass` (an open set: unknown classes are `Other`); a
/// workstation whose chassis is portable is a laptop.
pub(crate) fn device_type(node_class: Option<&str>, chassis: Option<&str>) -> DeviceType {
    let Some(class) = node_class else {
        return DeviceType::Other;
    };
    match class {
        "WINDOWS_WORKSTATION" | "LINUX_WORKSTATION" | "MAC" => {
            let portable = chassis.is_some_and(|c| {
                let c = c.to_ascii_uppercase();
                ["LAPTOP", "NOTEBOOK", "PORTABLE"]
                    .iter()
                    .any(|p| c.contains(p))
            });
            if portable {
                DeviceType::Laptop
            } else {
                DeviceType::Workstation
            }
        }
        "WINDOWS_SERVER" | "LINUX_SERVER" | "MAC_SERVER" | "NMS_SERVER" => DeviceType::Server,
        // Hypervisor hosts are servers; their guests are virtual machines.
        "VMWARE_VM_HOST" | "HYPERV_VMM_HOST" | "NMS_VM_HOST" => DeviceType::Server,
        "VMWARE_VM_GUEST" | "HYPERV_VMM_GUEST" | "NMS_VIRTUAL_MACHINE" => {
            DeviceType::VirtualMachine
        }
        "ANDROID" | "APPLE_IOS" | "APPLE_IPADOS" => DeviceType::Mobile,
        "NMS_COMPUTER" => DeviceType::Other,
        c if c.starts_with("NMS_") => DeviceType::Network,
        _ => DeviceType::Other,
    }
}

/// Alerts carry no severity in NinjaOne's v2 shape, so it is `Other`. The
/// list holds active conditions only, so every alert is unresolved.
pub(crate) fn alert(a: api::Alert, raw: Option<Value>) -> Alert {
    let message = non_empty(a.message)
        .or_else(|| non_empty(a.subject))
        .or_else(|| non_empty(a.source_name))
        .unwrap_or_default();
    let mut out = Alert::new(P, a.uid, message);
    out.device_id = a.device_id.map(Id::from);
    out.organization_id = a.device.and_then(|d| d.organization_id).map(Id::from);
    out.severity = Severity::Other;
    out.created_at = a.create_time;
    out.resolved = false;
    out.raw = raw;
    out
}

/// When an alert last changed, for a client-side `updated_since`.
pub(crate) fn alert_changed_at(a: &api::Alert) -> Option<DateTime<Utc>> {
    a.update_time.max(a.create_time)
}

pub(crate) fn software(device: &Id, s: api::Application, raw: Option<Value>) -> Software {
    let mut out = Software::new(P, device.clone(), s.name);
    out.version = non_empty(s.version);
    out.publisher = non_empty(s.publisher);
    out.installed_at = s.install_date;
    out.raw = raw;
    out
}
