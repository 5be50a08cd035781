//! Unleashed shapes → the normalized model.

use mspkit_core::{Address, Company, Contact, Id, Provider};
use serde_json::Value;

use crate::api;
use mspkit_core::model::non_empty;

const P: Provider = Provider::Unleashed;

/// A customer as a company: `CustomerName` (or the code when the name is
/// empty), the default address (else the first), `Obsolete` as inactive.
pub(crate) fn company(c: api::Customer, raw: Option<Value>) -> Company {
    let name = non_empty(c.customer_name.clone())
        .or_else(|| non_empty(c.customer_code.clone()))
        .unwrap_or_default();
    let mut out = Company::new(P, c.guid, name);
    out.identifier = non_empty(c.customer_code);
    out.phone = non_empty(c.phone_number).or_else(|| non_empty(c.mobile_number));
    out.website = non_empty(c.website);
    out.address = main_address(c.addresses);
    out.active = c.obsolete.map(|o| !o);
    out.created_at = c.created_on;
    out.updated_at = c.last_modified_on;
    out.raw = raw;
    out
}

fn main_address(mut addresses: Vec<api::CustomerAddress>) -> Option<Address> {
    let index = addresses
        .iter()
        .position(|a| a.is_default == Some(true))
        .unwrap_or(0);
    if index >= addresses.len() {
        return None;
    }
    let a = addresses.swap_remove(index);
    let mut out = Address::new();
    out.line1 = non_empty(a.street_address);
    // Unleashed's suburb is the part of the city the street lies in: the
    // second line when there is none, else beside it.
    out.line2 = match (non_empty(a.street_address2), non_empty(a.suburb)) {
        (Some(l2), Some(suburb)) => Some(format!("{l2}, {suburb}")),
        (l2, suburb) => l2.or(suburb),
    };
    out.city = non_empty(a.city);
    out.region = non_empty(a.region);
    out.postal_code = non_empty(a.postal_code);
    out.country = non_empty(a.country);
    out.non_empty()
}

/// A customer contact, of the customer whose list it came from. A contact
/// that carries none of the fields read from it (their names are inferred)
/// takes the customer's own primary-contact fields instead.
pub(crate) fn contact(
    c: api::CustomerContact,
    customer: &Id,
    primary: Option<&api::CustomerPrimary>,
    raw: Option<Value>,
) -> Contact {
    let mut out = Contact::new(P, c.guid.clone());
    out.company_id = Some(customer.clone());
    let fallback = primary.filter(|_| c.is_blank());
    out.first_name = non_empty(c.first_name)
        .or_else(|| fallback.and_then(|p| non_empty(p.contact_first_name.clone())));
    out.last_name = non_empty(c.last_name)
        .or_else(|| fallback.and_then(|p| non_empty(p.contact_last_name.clone())));
    out.email = non_empty(c.email).or_else(|| fallback.and_then(|p| non_empty(p.email.clone())));
    out.phone = non_empty(c.phone)
        .or_else(|| non_empty(c.mobile))
        .or_else(|| {
            fallback.and_then(|p| {
                non_empty(p.phone_number.clone()).or_else(|| non_empty(p.mobile_number.clone()))
            })
        });
    out.created_at = c.created_on;
    out.updated_at = c.last_modified_on;
    out.raw = raw;
    out
}
