//! [`UnleashedClient`] and its [`PsaClient`] implementation.

use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use mspkit_core::http::{
    ApiRequest, Http, decode_json, decode_value, decode_value_at, encode_segment,
};
use mspkit_core::list::{ListRequest, Paging, Walk};
use mspkit_core::paging::changed_since;
use mspkit_core::reqwest::Method;
use mspkit_core::{
    Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, Keyed, ListQuery, Operation,
    Provider, PsaClient, Result, async_trait,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::{self, Product, SalesOrder, StockOnHand, is_guid};
use crate::builder::UnleashedClientBuilder;
use crate::map;
use crate::settings::UnleashedSettings;

const P: Provider = Provider::Unleashed;

/// The page size asked for when the query names none: Unleashed's maximum.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// How many customers' contact lists are fetched at once while listing
/// every contact (the rate limiter still paces them).
const CONTACT_FETCHES_AT_ONCE: usize = 4;

/// A query string as Unleashed signs it: the pairs in the order given,
/// `key=value` joined by `&`, every byte but `A-Z a-z 0-9 - . _ ~`
/// percent-encoded (a space is `%20`, never `+`).
///
/// ```
/// use mspkit_unleashed::query_string;
/// assert_eq!(
///     query_string(&[("pageSize", "2"), ("customerName", "Acme Ltd")]),
///     "pageSize=2&customerName=Acme%20Ltd"
/// );
/// assert_eq!(query_string(&[]), "");
/// ```
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let part = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", part(k), part(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Unleashed's paging: the page number is the last path segment (from 1,
/// not signed), `pageSize` (signed) at most 1000, and the list's size in
/// `Pagination.NumberOfItems`, checked at the end.
fn paging() -> Paging {
    Paging::path_page(1)
        .size_param("pageSize")
        .max_size(MAX_PAGE_SIZE)
        .total_items("/Pagination/NumberOfItems")
}

impl Keyed for api::CustomerPrimary {
    fn key(&self) -> Option<&str> {
        Some(&self.guid)
    }
}

/// An Unleashed client: customers as companies and customer contacts as
/// contacts through [`PsaClient`], plus typed streams of sales orders,
/// products and stock on hand. Unleashed has no tickets, notes or
/// agreements; those operations are `Unsupported`.
///
/// Every request is signed: `api-auth-signature` is the base64 HMAC-SHA256
/// of the query string exactly as sent, keyed with the API key.
///
/// Cheap to clone: clones share the connection pool and the rate limiter.
#[derive(Clone, Debug)]
pub struct UnleashedClient {
    http: Http,
    keep_raw: bool,
}

impl UnleashedClient {
    /// A builder; see [`UnleashedClientBuilder`].
    pub fn builder() -> UnleashedClientBuilder {
        UnleashedClientBuilder::new()
    }

    /// A client for stored settings, checked before any request.
    pub fn from_settings(settings: &UnleashedSettings) -> Result<Self> {
        UnleashedClientBuilder::from_settings(settings).build()
    }

    /// A client from stored settings and shared options (raw passthrough,
    /// retry, rate limit, timeouts, a shared `reqwest` client). The
    /// settings' own `allow_insecure_http` still applies, and their trust
    /// settings add to the options'.
    pub fn from_settings_with(
        settings: &UnleashedSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        UnleashedClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure).with_trust_settings(
                &settings.extra_root_certificates,
                settings.danger_accept_invalid_certs,
            ))
            .build()
    }

    pub(crate) fn new(http: Http, keep_raw: bool) -> Self {
        UnleashedClient { http, keep_raw }
    }

    /// The authenticated transport, rooted at the API (`Customers`,
    /// `SalesOrders/2`, ...). Prefer [`request`](Self::request) for calls
    /// with a query string, so that it is encoded the way it is signed.
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// A signed request to `path` (relative to the API root) whose query
    /// string is `query`, built once by [`query_string`](crate::query_string)
    /// and sent exactly as signed.
    pub fn request(
        &self,
        method: Method,
        operation: &'static str,
        path: &str,
        query: &[(&str, &str)],
    ) -> ApiRequest {
        self.http
            .request(method, operation, path)
            .raw_query(&query_string(query))
    }

    /// A signed GET; see [`request`](Self::request).
    pub fn get(&self, operation: &'static str, path: &str, query: &[(&str, &str)]) -> ApiRequest {
        self.request(Method::GET, operation, path, query)
    }

    /// A paged list of `path`. Its filters are dates, numbers and `true`,
    /// which the kit's form encoding writes exactly as [`query_string`]
    /// does; the signature covers the URL as sent either way.
    fn list(&self, op: &'static str, path: &str, q: &ListQuery) -> ListRequest {
        ListRequest::get(op, path)
            .items_at("Items")
            .page_size(q.page_size)
            .limit(q.limit)
            .keep_raw(self.keep_raw)
    }

    fn walk<T: Keyed + Send + 'static>(&self, list: ListRequest) -> Walk<T> {
        list.walk(&self.http, paging())
    }

    /// Sales orders, `GET /SalesOrders/{page}`. `updated_since` becomes
    /// `modifiedSince` (the day, UTC) and is then applied to the instant on
    /// `LastModifiedOn`; `parent_id` keeps the orders of one customer (by its
    /// GUID, client-side).
    pub fn sales_orders(&self, q: ListQuery) -> ItemStream<'static, SalesOrder> {
        let list = self
            .list("sales_orders", "SalesOrders", &q)
            .query_opt("modifiedSince", q.updated_since.map(modified_since));
        let (since, customer) = (q.updated_since, q.parent_id);
        self.walk(list)
            .filter(move |o: &SalesOrder| {
                changed_since(o.last_modified_on, since)
                    && customer.as_ref().is_none_or(|c| {
                        o.customer
                            .as_ref()
                            .and_then(|r| r.guid.as_deref())
                            .is_some_and(|g| g.eq_ignore_ascii_case(c.as_str()))
                    })
            })
            .map(|o, _| o)
    }

    /// Sales orders created or changed at or after `since` (`modifiedSince`).
    pub fn sales_orders_modified_since(
        &self,
        since: DateTime<Utc>,
    ) -> ItemStream<'static, SalesOrder> {
        self.sales_orders(ListQuery::new().updated_since(since))
    }

    /// One sales order by its GUID, `GET /SalesOrders/{guid}`.
    pub async fn sales_order(&self, guid: &Id) -> Result<SalesOrder> {
        self.read_one("sales_order", "SalesOrders", guid, "sales order")
            .await
            .map(|(o, _)| o)
    }

    /// Products, `GET /Products/{page}`. `updated_since` is applied
    /// client-side on `LastModifiedOn`; `parent_id` is refused.
    pub fn products(&self, q: ListQuery) -> ItemStream<'static, Product> {
        if let Some(e) = no_parent("products", &q) {
            return mspkit_core::error_stream(e);
        }
        let since = q.updated_since;
        self.walk(self.list("products", "Products", &q))
            .filter(move |p: &Product| changed_since(p.last_modified_on, since))
            .map(|p, _| p)
    }

    /// Stock on hand per product and warehouse, `GET /StockOnHand/{page}`.
    /// `updated_since` is applied client-side on `LastModifiedOn`;
    /// `parent_id` is refused.
    pub fn stock_on_hand(&self, q: ListQuery) -> ItemStream<'static, StockOnHand> {
        if let Some(e) = no_parent("stock_on_hand", &q) {
            return mspkit_core::error_stream(e);
        }
        let since = q.updated_since;
        self.walk(self.list("stock_on_hand", "StockOnHand", &q))
            .filter(move |s: &StockOnHand| changed_since(s.last_modified_on, since))
            .map(|s, _| s)
    }

    /// `GET /{collection}/{guid}`. A GUID is checked first: the same route
    /// with a number is a page of the list, not a record.
    async fn read_one<A: DeserializeOwned>(
        &self,
        op: &'static str,
        collection: &str,
        id: &Id,
        what: &str,
    ) -> Result<(A, Value)> {
        let not_found = |message: String| Error::not_found(P, op, message).with_target(id.as_str());
        if !is_guid(id.as_str()) {
            return Err(not_found(format!(
                "no {what} has id {:?}: Unleashed ids are GUIDs",
                id.as_str()
            ))
            .with_reached_server(false));
        }
        let path = format!("{collection}/{}", encode_segment(id.as_str()));
        let resp = self.get(op, &path, &[]).target(id.as_str()).send().await?;
        let item =
            single(op, resp.body())?.ok_or_else(|| not_found(format!("no {what} has id {id}")))?;
        Ok((decode_value(P, op, item.clone())?, item))
    }

    /// Every contact of every customer (obsolete ones included): the
    /// customers are walked page by page and each one's contacts fetched, a
    /// few at a time.
    fn all_contacts(&self, q: ListQuery) -> ItemStream<'static, Contact> {
        let op = Operation::Contacts.as_str();
        let customers = ListRequest::get(op, "Customers")
            .items_at("Items")
            .query("includeObsolete", "true");
        let customers = customers
            .walk(&self.http, paging())
            .map(|c: api::CustomerPrimary, _| c);
        let (http, keep_raw, since) = (self.http.clone(), self.keep_raw, q.updated_since);
        let contacts = customers
            .map(move |customer| {
                let http = http.clone();
                async move {
                    let customer = customer?;
                    let id = Id::from(customer.guid.as_str());
                    customer_contacts(&http, &id, Some(customer), keep_raw).await
                }
            })
            .buffered(CONTACT_FETCHES_AT_ONCE)
            .map_ok(|list| futures::stream::iter(list.into_iter().map(Ok)))
            .try_flatten()
            .try_filter(move |c| std::future::ready(changed_since(c.updated_at, since)));
        match q.limit {
            Some(n) => contacts.take(n).boxed(),
            None => contacts.boxed(),
        }
    }
}

/// `GET /Customers/{guid}/Contacts`: one customer's contacts, in one
/// response. A contact without any fields of its own takes the customer's
/// primary-contact fields: `primary` when the caller has the customer, else
/// `GET /Customers/{guid}`, asked only then.
async fn customer_contacts(
    http: &Http,
    customer: &Id,
    primary: Option<api::CustomerPrimary>,
    keep_raw: bool,
) -> Result<Vec<Contact>> {
    let op = Operation::Contacts.as_str();
    let path = format!("Customers/{}/Contacts", encode_segment(customer.as_str()));
    let body: Value = http.get(op, &path).send().await?.json()?;
    let pages = body
        .pointer("/Pagination/NumberOfPages")
        .and_then(Value::as_u64);
    if let Some(pages) = pages.filter(|n| *n > 1) {
        let message =
            format!("the contacts of customer {customer} came in {pages} pages; only one is read");
        return Err(Error::paging(P, op, message));
    }
    let items: Vec<Value> = match body {
        Value::Array(items) => items,
        Value::Object(mut o) => {
            decode_value_at(P, op, "Items", o.remove("Items").unwrap_or_default())?
        }
        other => {
            return Err(Error::decode(
                P,
                op,
                "Items",
                "not a list of contacts",
                &other.to_string(),
            ));
        }
    };
    let mut contacts = Vec::with_capacity(items.len());
    for (i, v) in items.into_iter().enumerate() {
        let raw = keep_raw.then(|| v.clone());
        let c: api::CustomerContact = decode_value_at(P, op, &format!("Items[{i}]"), v)?;
        contacts.push((c, raw));
    }
    let primary = match primary {
        None if contacts.iter().any(|(c, _)| c.is_blank()) => {
            let path = format!("Customers/{}", encode_segment(customer.as_str()));
            let resp = http.get(op, &path).target(customer.as_str()).send().await?;
            let found = single(op, resp.body())?;
            found.map(|v| decode_value(P, op, v)).transpose()?
        }
        known => known,
    };
    Ok(contacts
        .into_iter()
        .map(|(c, raw)| map::contact(c, customer, primary.as_ref(), raw))
        .collect())
}

/// A single read's answer: the object itself, or the first item of an
/// envelope holding it (`None` when the envelope is empty).
fn single(op: &'static str, body: &[u8]) -> Result<Option<Value>> {
    match decode_json::<Value>(P, op, body)? {
        Value::Object(mut o) if o.contains_key("Items") => {
            let items = o.remove("Items").unwrap_or_default();
            let items: Vec<Value> = decode_value_at(P, op, "Items", items)?;
            Ok(items.into_iter().next())
        }
        other => Ok(Some(other)),
    }
}

/// `modifiedSince` as Unleashed documents it: the day, UTC.
fn modified_since(since: DateTime<Utc>) -> String {
    since.format("%Y-%m-%d").to_string()
}

fn no_parent(op: &'static str, q: &ListQuery) -> Option<Error> {
    q.parent_id.as_ref().map(|_| {
        Error::new(P, op, ErrorKind::Config)
            .with_message("this list has no parent to filter by; leave parent_id unset")
    })
}

#[async_trait]
impl PsaClient for UnleashedClient {
    fn provider(&self) -> Provider {
        P
    }

    /// Companies, one company and contacts: Unleashed has no tickets, notes
    /// or agreements.
    fn capabilities(&self) -> Capabilities {
        Capabilities::of(&[
            Operation::Companies,
            Operation::Company,
            Operation::Contacts,
        ])
    }

    /// `GET /Customers?pageSize=1`.
    async fn test_connection(&self) -> Result<()> {
        self.get("test_connection", "Customers", &[("pageSize", "1")])
            .send_probe()
            .await
    }

    /// `GET /Customers/{page}?includeObsolete=true&pageSize=1000`, obsolete
    /// customers included (as inactive). `updated_since` becomes
    /// `modifiedSince` (the day, UTC), then applies to the instant on
    /// `LastModifiedOn`.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let list = self
            .list(Operation::Companies.as_str(), "Customers", &q)
            .query("includeObsolete", "true")
            .query_opt("modifiedSince", q.updated_since.map(modified_since));
        let since = q.updated_since;
        self.walk(list)
            .filter(move |c: &Company| changed_since(c.updated_at, since))
            .map(map::company)
    }

    /// `GET /Customers/{guid}`.
    async fn company(&self, id: &Id) -> Result<Company> {
        let (customer, raw) = self
            .read_one::<api::Customer>(Operation::Company.as_str(), "Customers", id, "customer")
            .await?;
        Ok(map::company(customer, self.keep_raw.then_some(raw)))
    }

    /// `GET /Customers/{guid}/Contacts` for one company (`parent_id`), else
    /// that for every customer. `updated_since` is applied client-side.
    fn contacts(&self, q: ListQuery) -> ItemStream<'_, Contact> {
        let op = Operation::Contacts.as_str();
        let Some(customer) = q.parent_id.clone() else {
            return self.all_contacts(q);
        };
        if !is_guid(customer.as_str()) {
            let message = format!(
                "no customer has id {:?}: Unleashed ids are GUIDs",
                customer.as_str()
            );
            let e = Error::not_found(P, op, message).with_target(customer.as_str());
            return mspkit_core::error_stream(e.with_reached_server(false));
        }
        let (http, keep_raw, since, limit) =
            (self.http.clone(), self.keep_raw, q.updated_since, q.limit);
        futures::stream::once(
            async move { customer_contacts(&http, &customer, None, keep_raw).await },
        )
        .map_ok(|list| futures::stream::iter(list.into_iter().map(Ok)))
        .try_flatten()
        .try_filter(move |c| std::future::ready(changed_since(c.updated_at, since)))
        .take(limit.unwrap_or(usize::MAX))
        .boxed()
    }
}
