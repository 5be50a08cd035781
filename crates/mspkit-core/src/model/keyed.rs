//! What identifies an item within one list, for the paging guards.

use super::{
    Agreement, Alert, Company, Contact, Device, Organization, Site, Software, Ticket, TicketNote,
};

/// An item's identity within its list: two items with the same key are the
/// same item. A list walk uses it to yield each item once and to notice a
/// page served twice. Items without a stable identity return `None` and are
/// never dropped.
pub trait Keyed {
    /// The item's key, when it has one.
    fn key(&self) -> Option<&str>;
}

macro_rules! keyed_by_id {
    ($($t:ty),*) => {$(
        impl Keyed for $t {
            fn key(&self) -> Option<&str> {
                Some(self.id.as_str())
            }
        }
    )*};
}

keyed_by_id!(
    Company,
    Contact,
    Ticket,
    TicketNote,
    Agreement,
    Organization,
    Site,
    Device,
    Alert
);

/// Installed software has no id of its own: the same name and version may
/// be listed twice on one device, so nothing is dropped.
impl Keyed for Software {
    fn key(&self) -> Option<&str> {
        None
    }
}

/// A raw JSON item (a user's own walk through `http()`): no key is assumed.
impl Keyed for serde_json::Value {
    fn key(&self) -> Option<&str> {
        None
    }
}
