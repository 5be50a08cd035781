//! [`UnleashedClient`] and its [`PsaClient`] implementation.

use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};
use mspkit_core::http::{ApiRequest, Http, encode_segment};
use mspkit_core::paging::{Page, Pager, changed_since};
use mspkit_core::reqwest::Method;
use mspkit_core::{
    Capabilities, Company, Contact, Error, ErrorKind, Id, ItemStream, ListQuery, Operation,
    Provider, PsaClient, Result, async_trait,
};
use serde::de::DeserializeOwned;

use crate::api::{self, Product, SalesOrder, StockOnHand, is_guid};
use crate::builder::UnleashedClientBuilder;
use crate::map;
use crate::paging::{ListRequest, decode_list, decode_one, paged, signed_request};
use crate::settings::UnleashedSettings;

const P: Provider = Provider::Unleashed;

/// How many customers' contact lists are fetched at once while listing
/// every contact (the rate limiter still paces them).
const CONTACT_FETCHES_AT_ONCE: usize = 4;

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
    /// settings' own `allow_insecure_http` still applies.
    pub fn from_settings_with(
        settings: &UnleashedSettings,
        options: mspkit_core::ClientOptions,
    ) -> Result<Self> {
        let insecure = options.allow_insecure_http || settings.allow_insecure_http;
        UnleashedClientBuilder::from_settings(settings)
            .options(options.allow_insecure_http(insecure))
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
        signed_request(&self.http, method, operation, path, query)
    }

    /// A signed GET; see [`request`](Self::request).
    pub fn get(&self, operation: &'static str, path: &str, query: &[(&str, &str)]) -> ApiRequest {
        self.request(Method::GET, operation, path, query)
    }

    fn list(&self, op: &'static str, path: &str, q: &ListQuery) -> ListRequest {
        ListRequest::new(&self.http, op, path, q.page_size, self.keep_raw)
    }

    /// Sales orders, `GET /SalesOrders/{page}`. `updated_since` becomes
    /// `modifiedSince` (the day, UTC) and is then applied to the instant on
    /// `LastModifiedOn`; `parent_id` keeps the orders of one customer (by its
    /// GUID, client-side).
    pub fn sales_orders(&self, q: ListQuery) -> ItemStream<'static, SalesOrder> {
        let op = "sales_orders";
        let mut list = self.list(op, "SalesOrders", &q);
        if let Some(since) = q.updated_since {
            list = list.filter("modifiedSince", modified_since(since));
        }
        let (since, customer) = (q.updated_since, q.parent_id);
        let pager = Pager::new(P, op)
            .limit(q.limit)
            .filter(move |o: &SalesOrder| {
                changed_since(o.last_modified_on, since)
                    && customer.as_ref().is_none_or(|c| {
                        o.customer
                            .as_ref()
                            .and_then(|r| r.guid.as_deref())
                            .is_some_and(|g| g.eq_ignore_ascii_case(c.as_str()))
                    })
            });
        paged(list, pager, |o: SalesOrder, _| o)
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
        let op = "products";
        if let Some(e) = no_parent(op, &q) {
            return mspkit_core::error_stream(e);
        }
        let since = q.updated_since;
        let pager = Pager::new(P, op)
            .limit(q.limit)
            .filter(move |p: &Product| changed_since(p.last_modified_on, since));
        paged(self.list(op, "Products", &q), pager, |p: Product, _| p)
    }

    /// Stock on hand per product and warehouse, `GET /StockOnHand/{page}`.
    /// `updated_since` is applied client-side on `LastModifiedOn`;
    /// `parent_id` is refused.
    pub fn stock_on_hand(&self, q: ListQuery) -> ItemStream<'static, StockOnHand> {
        let op = "stock_on_hand";
        if let Some(e) = no_parent(op, &q) {
            return mspkit_core::error_stream(e);
        }
        let since = q.updated_since;
        let pager = Pager::new(P, op)
            .limit(q.limit)
            .filter(move |s: &StockOnHand| changed_since(s.last_modified_on, since));
        paged(
            self.list(op, "StockOnHand", &q),
            pager,
            |s: StockOnHand, _| s,
        )
    }

    /// `GET /{collection}/{guid}`. A GUID is checked first: the same route
    /// with a number is a page of the list, not a record.
    async fn read_one<A: DeserializeOwned>(
        &self,
        op: &'static str,
        collection: &str,
        id: &Id,
        what: &str,
    ) -> Result<(A, serde_json::Value)> {
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
        decode_one(&resp, op)?.ok_or_else(|| not_found(format!("no {what} has id {id}")))
    }

    /// Every contact of every customer (obsolete ones included): the
    /// customers are walked page by page and each one's contacts fetched.
    fn all_contacts(&self, q: ListQuery) -> ItemStream<'static, Contact> {
        let op = Operation::Contacts.as_str();
        let customers = ListRequest::new(&self.http, op, "Customers", None, false)
            .filter("includeObsolete", "true");
        let (http, keep_raw) = (self.http.clone(), self.keep_raw);
        let since = q.updated_since;
        Pager::new(P, op)
            .limit(q.limit)
            .filter(move |c: &Contact| changed_since(c.updated_at, since))
            .stream(1u64, move |page| {
                let (customers, http) = (customers.clone(), http.clone());
                async move {
                    let fetched = customers.fetch::<api::Customer>(page).await?;
                    let contacts: Vec<Vec<Contact>> =
                        futures::stream::iter(
                            fetched.items.into_iter().map(|(c, _)| {
                                let http = http.clone();
                                async move {
                                    customer_contacts(&http, &Id::from(c.guid), keep_raw).await
                                }
                            }),
                        )
                        .buffered(CONTACT_FETCHES_AT_ONCE)
                        .try_collect()
                        .await?;
                    // The page's total counts customers, not contacts: no total here.
                    Ok(Page::new(
                        contacts.into_iter().flatten().collect(),
                        fetched.next,
                    ))
                }
            })
    }
}

/// `GET /Customers/{guid}/Contacts`: one customer's contacts, in one response.
async fn customer_contacts(http: &Http, customer: &Id, keep_raw: bool) -> Result<Vec<Contact>> {
    let op = Operation::Contacts.as_str();
    let path = format!("Customers/{}/Contacts", encode_segment(customer.as_str()));
    let resp = signed_request(http, Method::GET, op, &path, &[])
        .send()
        .await?;
    let (items, pagination) = decode_list::<api::CustomerContact>(&resp, op, keep_raw)?;
    if let Some(pages) = pagination
        .and_then(|p| p.number_of_pages)
        .filter(|n| *n > 1)
    {
        return Err(Error::paging(
            P,
            op,
            format!("the contacts of customer {customer} came in {pages} pages; only one is read"),
        ));
    }
    Ok(items
        .into_iter()
        .map(|(c, raw)| map::contact(c, customer, raw))
        .collect())
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
            .send()
            .await
            .map(|_| ())
    }

    /// `GET /Customers/{page}?includeObsolete=true&pageSize=1000`, obsolete
    /// customers included (as inactive). `updated_since` becomes
    /// `modifiedSince` (the day, UTC), then applies to the instant on
    /// `LastModifiedOn`.
    fn companies(&self, q: ListQuery) -> ItemStream<'_, Company> {
        let op = Operation::Companies.as_str();
        let mut list = self
            .list(op, "Customers", &q)
            .filter("includeObsolete", "true");
        if let Some(since) = q.updated_since {
            list = list.filter("modifiedSince", modified_since(since));
        }
        let since = q.updated_since;
        let pager = Pager::new(P, op)
            .limit(q.limit)
            .filter(move |c: &Company| changed_since(c.updated_at, since));
        paged(list, pager, map::company)
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
            return mspkit_core::error_stream(
                Error::not_found(
                    P,
                    op,
                    format!(
                        "no customer has id {:?}: Unleashed ids are GUIDs",
                        customer.as_str()
                    ),
                )
                .with_target(customer.as_str())
                .with_reached_server(false),
            );
        }
        let (http, keep_raw, since) = (self.http.clone(), self.keep_raw, q.updated_since);
        Pager::new(P, op)
            .limit(q.limit)
            .filter(move |c: &Contact| changed_since(c.updated_at, since))
            .stream((), move |()| {
                let (http, customer) = (http.clone(), customer.clone());
                async move {
                    Ok(Page::last(
                        customer_contacts(&http, &customer, keep_raw).await?,
                    ))
                }
            })
    }
}
