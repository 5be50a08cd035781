//! ConnectWise Manage's JSON shapes (REST API 3.0), with the field names it
//! sends.
//!
//! Only the fields the normalized model reads are declared; the rest are
//! ignored, so a value nobody reads cannot fail a sync, and a page of 1,000
//! tickets decodes without building the dozens of reference objects and
//! `_href` links each ticket carries. ConnectWise leaves out null fields, so
//! every field is optional. Timestamps are UTC without fractions
//! (`2018-08-10T17:39:20Z`); the audit ones live under `_info`.
//!
//! The module is public so that code reaching an endpoint through
//! [`ConnectWiseClient::http`](crate::ConnectWiseClient::http) can decode
//! into the same shapes.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// A reference to another record: `{"id": 30, "name": "...", "identifier": "...", "_info": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Reference {
    /// The record's id.
    #[serde(default)]
    pub id: Option<i64>,
    /// Its display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its short code (companies, members).
    #[serde(default)]
    pub identifier: Option<String>,
    /// The sort order (priorities).
    #[serde(default)]
    pub sort: Option<i64>,
}

/// The `_info` block: audit fields (the `_href` links are not read).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Info {
    /// When the record was last changed.
    #[serde(default, deserialize_with = "datetime")]
    pub last_updated: Option<DateTime<Utc>>,
    /// When the record was created.
    #[serde(default, deserialize_with = "datetime")]
    pub date_entered: Option<DateTime<Utc>>,
}

/// A service ticket (`GET /service/tickets`, `/service/tickets/{id}`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Ticket {
    /// The ticket id (also the number people quote).
    pub id: i64,
    /// One-line summary (at most 100 characters).
    #[serde(default)]
    pub summary: Option<String>,
    /// The service board; statuses belong to a board.
    #[serde(default)]
    pub board: Option<Reference>,
    /// The board status (`{id, name}`).
    #[serde(default)]
    pub status: Option<Reference>,
    /// The priority (`{id, name, sort}`).
    #[serde(default)]
    pub priority: Option<Reference>,
    /// The customer company.
    #[serde(default)]
    pub company: Option<Reference>,
    /// The contact who raised it.
    #[serde(default)]
    pub contact: Option<Reference>,
    /// The owning member.
    #[serde(default)]
    pub owner: Option<Reference>,
    /// Every assigned member's identifier, comma-separated.
    #[serde(default)]
    pub resources: Option<String>,
    /// Whether the ticket is closed.
    #[serde(default)]
    pub closed_flag: Option<bool>,
    /// When it was closed.
    #[serde(default, deserialize_with = "datetime")]
    pub closed_date: Option<DateTime<Utc>>,
    /// When it was resolved.
    #[serde(default, deserialize_with = "datetime")]
    pub date_resolved: Option<DateTime<Utc>>,
    /// The description given at creation (sent on create; not returned on reads).
    #[serde(default)]
    pub initial_description: Option<String>,
    /// Audit fields.
    #[serde(default, rename = "_info")]
    pub info: Option<Info>,
}

/// A board status (`GET /service/boards/{id}/statuses`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BoardStatus {
    /// The status id (valid on its board only).
    pub id: i64,
    /// Its name ("New", ">Closed").
    #[serde(default)]
    pub name: Option<String>,
    /// Its place in the board's list.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// Whether a ticket in this status is closed.
    #[serde(default)]
    pub closed_status: Option<bool>,
    /// Whether the status is no longer offered.
    #[serde(default)]
    pub inactive: Option<bool>,
    /// Whether new tickets on the board start in this status.
    #[serde(default)]
    pub default_flag: Option<bool>,
}

/// A company (`GET /company/companies`, `/company/companies/{id}`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Company {
    /// The company id.
    pub id: i64,
    /// Its unique short code.
    #[serde(default)]
    pub identifier: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its company status ("Active", "Inactive", tenant-defined).
    #[serde(default)]
    pub status: Option<Reference>,
    /// Street, first line.
    #[serde(default)]
    pub address_line1: Option<String>,
    /// Street, second line.
    #[serde(default)]
    pub address_line2: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// State or region.
    #[serde(default)]
    pub state: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub zip: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<Reference>,
    /// Main phone number.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Web site.
    #[serde(default)]
    pub website: Option<String>,
    /// Whether the company was deleted.
    #[serde(default)]
    pub deleted_flag: Option<bool>,
    /// Audit fields.
    #[serde(default, rename = "_info")]
    pub info: Option<Info>,
}

/// One e-mail address, phone number or other way to reach a contact.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommunicationItem {
    /// The tenant's type ("Email", "Direct", "Mobile").
    #[serde(default, rename = "type")]
    pub kind: Option<Reference>,
    /// The address or number.
    #[serde(default)]
    pub value: Option<String>,
    /// Whether it is the default of its kind.
    #[serde(default)]
    pub default_flag: Option<bool>,
    /// `Email`, `Phone` or `Fax`.
    #[serde(default)]
    pub communication_type: Option<String>,
}

/// A contact (`GET /company/contacts`, `/company/contacts/{id}`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Contact {
    /// The contact id.
    pub id: i64,
    /// Given name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// The company.
    #[serde(default)]
    pub company: Option<Reference>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
    /// Whether the contact is inactive.
    #[serde(default)]
    pub inactive_flag: Option<bool>,
    /// The default phone number.
    #[serde(default)]
    pub default_phone_nbr: Option<String>,
    /// E-mail addresses and phone numbers.
    #[serde(default)]
    pub communication_items: Option<Vec<CommunicationItem>>,
    /// Audit fields.
    #[serde(default, rename = "_info")]
    pub info: Option<Info>,
}

/// An agreement (`GET /finance/agreements`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Agreement {
    /// The agreement id.
    pub id: i64,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its agreement type.
    #[serde(default, rename = "type")]
    pub kind: Option<Reference>,
    /// The customer company.
    #[serde(default)]
    pub company: Option<Reference>,
    /// First day, as midnight in the tenant's time zone, in UTC.
    #[serde(default, deserialize_with = "datetime")]
    pub start_date: Option<DateTime<Utc>>,
    /// Last day, as midnight in the tenant's time zone, in UTC.
    #[serde(default, deserialize_with = "datetime")]
    pub end_date: Option<DateTime<Utc>>,
    /// Whether the agreement runs with no end date.
    #[serde(default)]
    pub no_ending_date_flag: Option<bool>,
    /// Whether it was cancelled.
    #[serde(default)]
    pub cancelled_flag: Option<bool>,
    /// `Active`, `Cancelled`, `Expired` or `Inactive`.
    #[serde(default)]
    pub agreement_status: Option<String>,
    /// Audit fields.
    #[serde(default, rename = "_info")]
    pub info: Option<Info>,
}

/// A ticket note (`GET /service/tickets/{id}/notes`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Note {
    /// The note id.
    pub id: i64,
    /// The ticket it belongs to.
    #[serde(default)]
    pub ticket_id: Option<i64>,
    /// The text.
    #[serde(default)]
    pub text: Option<String>,
    /// Shown as discussion (the customer sees it).
    #[serde(default)]
    pub detail_description_flag: Option<bool>,
    /// Shown as internal analysis (hidden from the customer).
    #[serde(default)]
    pub internal_analysis_flag: Option<bool>,
    /// Shown as the resolution (the customer sees it).
    #[serde(default)]
    pub resolution_flag: Option<bool>,
    /// The member who wrote it.
    #[serde(default)]
    pub member: Option<Reference>,
    /// The contact who wrote it.
    #[serde(default)]
    pub contact: Option<Reference>,
    /// When it was written.
    #[serde(default, deserialize_with = "datetime")]
    pub date_created: Option<DateTime<Utc>>,
    /// Who wrote it, as a login name.
    #[serde(default)]
    pub created_by: Option<String>,
    /// Audit fields.
    #[serde(default, rename = "_info")]
    pub info: Option<Info>,
}

/// The answer of `GET /login/companyinfo/{company_id}` (no API root needed).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct CompanyInfo {
    /// The codebase segment of the API root, with a trailing slash (`v4_6_release/`).
    #[serde(default, rename = "Codebase")]
    pub codebase: Option<String>,
}

/// An error response: `{"code", "message", "errors": [{"code", "message", "resource", "field"}]}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ApiError {
    /// ConnectWise's error code (`InvalidObject`, `NotFound`).
    #[serde(default)]
    pub code: Option<String>,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The field errors of a validation failure.
    #[serde(default)]
    pub errors: Option<Vec<FieldError>>,
}

/// One field error of an [`ApiError`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct FieldError {
    /// Its code (`NotFound`, `ObjectExists`).
    #[serde(default)]
    pub code: Option<String>,
    /// The message.
    #[serde(default)]
    pub message: Option<String>,
    /// The resource (`ticket`).
    #[serde(default)]
    pub resource: Option<String>,
    /// The field path (`company/id`).
    #[serde(default)]
    pub field: Option<String>,
}

/// A ConnectWise timestamp: `2018-08-10T17:39:20Z` (RFC 3339; one without
/// an offset is read as UTC). Null, absent or empty is `None`; anything else
/// is an error naming the field.
fn datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    d.deserialize_option(OptionalDateTime)
}

struct OptionalDateTime;

impl<'de> Visitor<'de> for OptionalDateTime {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp like 2018-08-10T17:39:20Z")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }

    // Borrowed when the text has no escapes: no allocation per timestamp.
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        parse_datetime(s).map_err(|_| E::invalid_value(de::Unexpected::Str(s), &self))
    }
}

/// Parses a ConnectWise timestamp; empty text is `Ok(None)`, unreadable text `Err(())`.
pub(crate) fn parse_datetime(s: &str) -> Result<Option<DateTime<Utc>>, ()> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    mspkit_core::de::parse_utc(s).map(Some).ok_or(())
}
