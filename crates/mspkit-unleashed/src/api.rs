//! Unleashed's JSON shapes, as the API sends them: PascalCase names,
//! `/Date(ms)/` timestamps (lists come in a `{"Pagination", "Items"}`
//! envelope, read by the list walk). Unknown fields are ignored; optional and null fields are `Option`.
//!
//! The sales order, product and stock-on-hand types are public: the client
//! streams them beyond the normalized model.

use chrono::{DateTime, NaiveDateTime, Utc};
use mspkit_core::Keyed;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A customer (`/Customers`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Customer {
    pub guid: String,
    #[serde(default)]
    pub customer_code: Option<String>,
    #[serde(default)]
    pub customer_name: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub mobile_number: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub addresses: Vec<CustomerAddress>,
    #[serde(default)]
    pub obsolete: Option<bool>,
    #[serde(default, deserialize_with = "ms_date")]
    pub created_on: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "ms_date")]
    pub last_modified_on: Option<DateTime<Utc>>,
}

/// One of a customer's addresses.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CustomerAddress {
    #[serde(default)]
    pub street_address: Option<String>,
    #[serde(default)]
    pub street_address2: Option<String>,
    #[serde(default)]
    pub suburb: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub is_default: Option<bool>,
}

/// A customer contact (`/Customers/{guid}/Contacts`). Unleashed has not
/// published this shape and no real body has been seen: the field names are
/// inferred, so the contact is read tolerantly. Each field takes the first
/// of several plausible spellings, a value of an unexpected type is no
/// value, and only `Guid` is required.
#[derive(Debug, Default, Deserialize)]
#[serde(try_from = "serde_json::Map<String, Value>")]
pub(crate) struct CustomerContact {
    pub guid: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub created_on: Option<DateTime<Utc>>,
    pub last_modified_on: Option<DateTime<Utc>>,
}

impl CustomerContact {
    /// Whether the contact carries none of the fields read from it.
    pub fn is_blank(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.email,
            &self.phone,
            &self.mobile,
        ]
        .iter()
        .all(|f| f.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

impl TryFrom<serde_json::Map<String, Value>> for CustomerContact {
    type Error = String;

    fn try_from(m: serde_json::Map<String, Value>) -> Result<Self, String> {
        let text = |names: &[&str]| {
            names.iter().find_map(|n| match m.get(*n) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        };
        let date = |name: &str| text(&[name]).and_then(|t| parse_date(&t)).flatten();
        Ok(CustomerContact {
            guid: text(&["Guid"]).ok_or("missing field `Guid`")?,
            first_name: text(&["FirstName", "ContactFirstName", "Firstname"]),
            last_name: text(&["LastName", "ContactLastName", "Lastname", "Surname"]),
            email: text(&["EmailAddress", "Email", "ContactEmail"]),
            phone: text(&["PhoneNumber", "OfficePhone", "Phone", "DDINumber"]),
            mobile: text(&["MobilePhone", "MobileNumber", "Mobile"]),
            created_on: date("CreatedOn"),
            last_modified_on: date("LastModifiedOn"),
        })
    }
}

/// A customer's own primary-contact fields (U6's data dictionary), which a
/// contact without any fields of its own falls back to.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CustomerPrimary {
    pub guid: String,
    #[serde(default)]
    pub contact_first_name: Option<String>,
    #[serde(default)]
    pub contact_last_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub mobile_number: Option<String>,
}

/// A reference to a customer inside another record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CustomerRef {
    /// The customer's GUID.
    #[serde(default)]
    pub guid: Option<String>,
    /// The customer's code.
    #[serde(default)]
    pub customer_code: Option<String>,
    /// The customer's name.
    #[serde(default)]
    pub customer_name: Option<String>,
}

/// A reference to a product inside another record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ProductRef {
    /// The product's GUID.
    #[serde(default)]
    pub guid: Option<String>,
    /// The product's code (SKU).
    #[serde(default)]
    pub product_code: Option<String>,
    /// The product's description (its name in Unleashed).
    #[serde(default)]
    pub product_description: Option<String>,
}

/// A sales order (`/SalesOrders`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SalesOrder {
    /// The order's GUID.
    pub guid: String,
    /// The order number people quote (`SO-00000123`).
    #[serde(default)]
    pub order_number: Option<String>,
    /// `Parked`, `Placed`, `Backordered`, `Completed`, `Deleted`, ...
    #[serde(default)]
    pub order_status: Option<String>,
    /// When the order was taken.
    #[serde(default, deserialize_with = "ms_date")]
    pub order_date: Option<DateTime<Utc>>,
    /// When the customer needs it.
    #[serde(default, deserialize_with = "ms_date")]
    pub required_date: Option<DateTime<Utc>>,
    /// When it was completed.
    #[serde(default, deserialize_with = "ms_date")]
    pub completed_date: Option<DateTime<Utc>>,
    /// The customer.
    #[serde(default)]
    pub customer: Option<CustomerRef>,
    /// The customer's reference (their purchase order number).
    #[serde(default)]
    pub customer_ref: Option<String>,
    /// Free-text comments.
    #[serde(default)]
    pub comments: Option<String>,
    /// The order's currency code (`NZD`).
    #[serde(default, deserialize_with = "currency_code")]
    pub currency: Option<String>,
    /// Total before tax.
    #[serde(default, deserialize_with = "amount")]
    pub sub_total: Option<f64>,
    /// Tax.
    #[serde(default, deserialize_with = "amount")]
    pub tax_total: Option<f64>,
    /// Total including tax.
    #[serde(default, deserialize_with = "amount")]
    pub total: Option<f64>,
    /// The lines.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub sales_order_lines: Vec<SalesOrderLine>,
    /// When the order was created.
    #[serde(default, deserialize_with = "ms_date")]
    pub created_on: Option<DateTime<Utc>>,
    /// When the order was last changed.
    #[serde(default, deserialize_with = "ms_date")]
    pub last_modified_on: Option<DateTime<Utc>>,
}

/// One line of a sales order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SalesOrderLine {
    /// The line's position on the order.
    #[serde(default)]
    pub line_number: Option<u32>,
    /// The product ordered.
    #[serde(default)]
    pub product: Option<ProductRef>,
    /// How many.
    #[serde(default, deserialize_with = "amount")]
    pub order_quantity: Option<f64>,
    /// Price per unit.
    #[serde(default, deserialize_with = "amount")]
    pub unit_price: Option<f64>,
    /// Quantity × price, less discount.
    #[serde(default, deserialize_with = "amount")]
    pub line_total: Option<f64>,
}

/// A product (`/Products`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Product {
    /// The product's GUID.
    pub guid: String,
    /// The product code (SKU).
    #[serde(default)]
    pub product_code: Option<String>,
    /// The description, which Unleashed shows as the product's name.
    #[serde(default)]
    pub product_description: Option<String>,
    /// The barcode.
    #[serde(default)]
    pub barcode: Option<String>,
    /// The unit of measure's name (`EA`, `Box`).
    #[serde(default, deserialize_with = "named")]
    pub unit_of_measure: Option<String>,
    /// The product group's name.
    #[serde(default, deserialize_with = "group_name")]
    pub product_group: Option<String>,
    /// The default sell price.
    #[serde(default, deserialize_with = "amount")]
    pub default_sell_price: Option<f64>,
    /// The default purchase price.
    #[serde(default, deserialize_with = "amount")]
    pub default_purchase_price: Option<f64>,
    /// Whether it can be sold.
    #[serde(default)]
    pub is_sellable: Option<bool>,
    /// Whether it is obsolete (hidden from new orders).
    #[serde(default)]
    pub obsolete: Option<bool>,
    /// When it was created.
    #[serde(default, deserialize_with = "ms_date")]
    pub created_on: Option<DateTime<Utc>>,
    /// When it was last changed.
    #[serde(default, deserialize_with = "ms_date")]
    pub last_modified_on: Option<DateTime<Utc>>,
}

/// Stock on hand of one product (`/StockOnHand`), in one warehouse or, when
/// the warehouse is empty, across all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StockOnHand {
    /// The product's GUID.
    #[serde(default)]
    pub product_guid: Option<String>,
    /// The product code (SKU).
    #[serde(default)]
    pub product_code: Option<String>,
    /// The product's description.
    #[serde(default)]
    pub product_description: Option<String>,
    /// The warehouse's code; empty for the total over all warehouses.
    #[serde(default)]
    pub warehouse_code: Option<String>,
    /// Units on hand.
    #[serde(default, deserialize_with = "amount")]
    pub qty_on_hand: Option<f64>,
    /// Units allocated to orders.
    #[serde(default, deserialize_with = "amount")]
    pub allocated_qty: Option<f64>,
    /// Units available (on hand less allocated).
    #[serde(default, deserialize_with = "amount")]
    pub available_qty: Option<f64>,
    /// Units on purchase orders.
    #[serde(default, deserialize_with = "amount")]
    pub on_purchase: Option<f64>,
    /// Average cost per unit.
    #[serde(default, deserialize_with = "amount")]
    pub avg_cost: Option<f64>,
    /// Value of the stock on hand.
    #[serde(default, deserialize_with = "amount")]
    pub total_cost: Option<f64>,
    /// When the level last changed.
    #[serde(default, deserialize_with = "ms_date")]
    pub last_modified_on: Option<DateTime<Utc>>,
}

impl Keyed for SalesOrder {
    fn key(&self) -> Option<&str> {
        Some(&self.guid)
    }
}

impl Keyed for Product {
    fn key(&self) -> Option<&str> {
        Some(&self.guid)
    }
}

/// A product's stock in one warehouse: the same product comes once per
/// warehouse, so nothing is dropped.
impl Keyed for StockOnHand {
    fn key(&self) -> Option<&str> {
        None
    }
}

/// .NET's `DateTime.MinValue`, which stands for "no date".
const MIN_VALUE_MS: i64 = -62_135_596_800_000;

/// Reads an Unleashed date: `/Date(1704067200000)/` (milliseconds since the
/// epoch, UTC), with an optional offset `/Date(1704067200000+1300)/` that
/// does not change the instant; `null` and .NET's minimum date are `None`.
/// An ISO 8601 timestamp (without offset: UTC) is read too.
pub fn parse_date(text: &str) -> Option<Option<DateTime<Utc>>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|t| t.strip_suffix(")/"))
    {
        // The sign of an offset comes after the first digit; a leading `-` is the number's.
        let split = inner
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '+' || *c == '-')
            .map(|(i, _)| i);
        let (ms, offset) = match split {
            Some(i) => (&inner[..i], Some(&inner[i + 1..])),
            None => (inner, None),
        };
        if offset.is_some_and(|o| o.len() != 4 || !o.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        let ms: i64 = ms.parse().ok()?;
        if ms <= MIN_VALUE_MS {
            return Some(None);
        }
        return DateTime::from_timestamp_millis(ms).map(Some);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(Some(at.with_timezone(&Utc)));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| Some(n.and_utc()))
}

fn ms_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => parse_date(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "expected a date like /Date(1704067200000)/, got {text:?}"
            ))
        }),
    }
}

/// A number, or a number sent as text; `null` and `""` are `None`.
fn amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected a number, got {s:?}"))),
        Some(other) => Err(de::Error::custom(format!("expected a number, got {other}"))),
    }
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// One text field of a nested object (`{"CurrencyCode": "NZD", ...}`).
fn nested_text<'de, D: Deserializer<'de>>(d: D, key: &str) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Object(o)) => Ok(o.get(key).and_then(Value::as_str).map(str::to_owned)),
        Some(other) => Err(de::Error::custom(format!(
            "expected an object with {key}, got {other}"
        ))),
    }
}

fn currency_code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    nested_text(d, "CurrencyCode")
}

fn named<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    nested_text(d, "Name")
}

fn group_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    nested_text(d, "GroupName")
}

/// Whether `s` is a GUID (`8-4-4-4-12` hex digits), as Unleashed's ids are.
pub(crate) fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Option<Option<DateTime<Utc>>> {
        Some(DateTime::from_timestamp_millis(ms))
    }

    #[test]
    fn dates_read_every_form() {
        assert_eq!(parse_date("/Date(1704067200000)/"), at(1_704_067_200_000));
        assert_eq!(
            parse_date("/Date(1704067200000+1300)/"),
            at(1_704_067_200_000)
        );
        assert_eq!(
            parse_date("/Date(1704067200000-0500)/"),
            at(1_704_067_200_000)
        );
        assert_eq!(parse_date("/Date(-1000)/"), at(-1000));
        assert_eq!(parse_date("/Date(-62135596800000)/"), Some(None));
        assert_eq!(parse_date("2024-01-01T00:00:00"), at(1_704_067_200_000));
        assert_eq!(parse_date("2024-01-01T00:00:00Z"), at(1_704_067_200_000));
        assert_eq!(parse_date(""), Some(None));
        for bad in [
            "/Date(abc)/",
            "/Date(1+13)/",
            "/Date(1704067200000",
            "yesterday",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn guids_are_recognised() {
        assert!(is_guid("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        assert!(is_guid("3F2504E0-4F89-11D3-9A0C-0305E82C3301"));
        assert!(!is_guid("2"));
        assert!(!is_guid("3f2504e0-4f89-11d3-9a0c-0305e82c330"));
        assert!(!is_guid("3f2504e0-4f89-11d3-9a0c-0305e82c330g"));
    }
}
