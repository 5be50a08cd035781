//! A fake Unleashed API (feature `mock`), for tests and the demo.
//!
//! It answers like Unleashed: signed requests only (`api-auth-id` plus the
//! HMAC-SHA256 of the query string as sent in `api-auth-signature`; missing
//! headers get a 401, a wrong id or signature a 403), pages named in the
//! path (`/Customers/2`) with `pageSize` (default 200, at most 1000) and a
//! `Pagination` envelope, `modifiedSince`, `includeObsolete` (obsolete
//! customers hidden unless asked for), single reads by GUID,
//! `/Date(ms)/` timestamps and `Description` error bodies. The data follows
//! the shapes of the provider notes' samples: twelve customers (two
//! obsolete), their contacts, forty-five sales orders, products and stock on
//! hand.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> mspkit_core::Result<()> {
//! use futures::TryStreamExt;
//! use mspkit_core::{ListQuery, PsaClient};
//!
//! let fake = mspkit_unleashed::mock::start().await;
//! let client = mspkit_unleashed::UnleashedClient::from_settings(&fake.settings)?;
//! let companies: Vec<_> = client.companies(ListQuery::new()).try_collect().await?;
//! assert_eq!(Some(companies.len()), fake.expected.companies);
//! # Ok(()) }
//! ```

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use mspkit_core::auth::HmacSignature;
use mspkit_core::reqwest::header::HeaderName;
use mspkit_core::{Id, SecretString};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::api::{is_guid, parse_date};
use crate::settings::UnleashedSettings;

/// The API id the fake server accepts.
pub const API_ID: &str = "6c2f3b1a-8d4e-4f5a-9b7c-1e2d3f4a5b6c";
/// The API key the fake server checks signatures with.
pub const API_KEY: &str = "mock-unleashed-api-key";
/// The `client-type` the settings send.
pub const CLIENT_TYPE: &str = "mspkit/mock";

/// Unleashed's page size when a request names none.
const DEFAULT_PAGE_SIZE: usize = 200;
/// The largest page Unleashed serves.
const MAX_PAGE_SIZE: usize = 1000;

/// Starts a fake Unleashed API on loopback, with settings for a client of it.
pub async fn start() -> FakeServer<UnleashedSettings> {
    let server = MockServer::start().await;
    let data = Arc::new(Data::new());
    Mock::given(method("GET"))
        .respond_with(Api {
            data: data.clone(),
            signer: Arc::new(HmacSignature::new(
                HeaderName::from_static("api-auth-id"),
                API_ID,
                HeaderName::from_static("api-auth-signature"),
                SecretString::from(API_KEY),
            )),
        })
        .mount(&server)
        .await;
    let expected = {
        let mut e = Expected::new();
        e.companies = Some(data.customers.len());
        e.contacts = Some(data.contacts.iter().map(|(_, c)| c.len()).sum());
        e.company_id = data.customers.first().map(|c| Id::from(guid_of(c)));
        e
    };
    let settings = UnleashedSettings {
        api_id: API_ID.to_owned(),
        api_key: SecretString::from(API_KEY),
        client_type: CLIENT_TYPE.to_owned(),
        base_url: Some(server.uri()),
        allow_insecure_http: true,
    };
    FakeServer {
        server,
        settings,
        expected,
        secrets: Vec::new(),
        tokens: None,
    }
}

/// What the fake server holds, as Unleashed sends it.
struct Data {
    customers: Vec<Value>,
    /// Each customer's GUID and contacts.
    contacts: Vec<(String, Vec<Value>)>,
    sales_orders: Vec<Value>,
    products: Vec<Value>,
    stock: Vec<Value>,
}

fn guid(kind: u8, n: usize) -> String {
    format!("{kind:02x}2504e0-4f89-41d3-9a0c-{n:012x}")
}

fn guid_of(v: &Value) -> String {
    v["Guid"].as_str().unwrap_or_default().to_owned()
}

/// `/Date(ms)/` for a day in 2024 (some with the offset .NET adds).
fn date(day_of_year: i64, with_offset: bool) -> String {
    let ms = 1_704_067_200_000 + day_of_year * 86_400_000 + 9 * 3_600_000;
    if with_offset {
        format!("/Date({ms}+1300)/")
    } else {
        format!("/Date({ms})/")
    }
}

const CUSTOMERS: [(&str, &str, &str); 12] = [
    ("ACME", "Acme Ltd", "Auckland"),
    ("BETA", "Beta Stores", "Wellington"),
    ("HARB", "Harbour Electrical", "Tauranga"),
    ("KIWI", "Kiwi Outdoor Supplies", "Christchurch"),
    ("MTCK", "Mount Cook Pharmacy", "Timaru"),
    ("NORL", "Northland Logistics", "Whangarei"),
    ("PACI", "Pacific Print Co", "Hamilton"),
    ("RIVR", "Riverside Cafe", "Nelson"),
    ("SOUT", "Southern Hardware", "Dunedin"),
    ("TASM", "Tasman Vineyards", "Blenheim"),
    ("WAIK", "Waikato Dairy Co-op", "Hamilton"),
    ("ZEAL", "Zeal Fitness", "Napier"),
];

const PEOPLE: [(&str, &str); 6] = [
    ("Ana", "Lopez"),
    ("Tom", "Ngata"),
    ("Priya", "Shah"),
    ("Liam", "O'Connor"),
    ("Mere", "Parata"),
    ("Jack", "Wilson"),
];

const PRODUCTS: [(&str, &str, &str, f64); 8] = [
    ("CAB-CAT6-3M", "Cat6 patch cable 3 m", "Cables", 9.5),
    ("SW-24P-POE", "24-port PoE switch", "Networking", 689.0),
    ("AP-WIFI6", "Wi-Fi 6 access point", "Networking", 245.0),
    ("UPS-1500", "UPS 1500 VA", "Power", 520.0),
    ("KB-USB-US", "USB keyboard", "Peripherals", 29.9),
    ("MS-WL", "Wireless mouse", "Peripherals", 24.5),
    ("MON-27-4K", "27\" 4K monitor", "Displays", 499.0),
    ("DOCK-USBC", "USB-C docking station", "Peripherals", 289.0),
];

impl Data {
    fn new() -> Self {
        let customers: Vec<Value> = CUSTOMERS
            .iter()
            .enumerate()
            .map(|(i, (code, name, city))| {
                let (first, last) = PEOPLE[i % PEOPLE.len()];
                let obsolete = *code == "BETA" || *code == "RIVR";
                let addresses = if i % 4 == 1 {
                    json!([])
                } else {
                    json!([
                        {"AddressType": "Postal", "AddressName": "PO Box",
                         "StreetAddress": format!("PO Box {}", 100 + i), "StreetAddress2": null,
                         "Suburb": null, "City": city, "Region": null, "Country": "New Zealand",
                         "PostalCode": format!("{}", 1010 + i * 7), "IsDefault": false},
                        {"AddressType": "Physical", "AddressName": "Head office",
                         "StreetAddress": format!("{} Queen St", i + 1), "StreetAddress2": null,
                         "Suburb": if i % 2 == 0 { json!("Central") } else { Value::Null },
                         "City": city, "Region": null, "Country": "New Zealand",
                         "PostalCode": format!("{}", 1010 + i * 7), "IsDefault": true}
                    ])
                };
                json!({
                    "Guid": guid(0x3f, i + 1),
                    "CustomerCode": code,
                    "CustomerName": name,
                    "CustomerType": if i % 3 == 0 { json!("Wholesale") } else { Value::Null },
                    "ContactFirstName": first,
                    "ContactLastName": last,
                    "Email": format!("accounts@{}.example", code.to_lowercase()),
                    "PhoneNumber": format!("+64 9 555 01{:02}", i),
                    "MobileNumber": null,
                    "Addresses": addresses,
                    "Currency": {"CurrencyCode": "NZD"},
                    "Obsolete": obsolete,
                    "Notes": if obsolete { json!("Closed account") } else { Value::Null },
                    "CreatedOn": date(i as i64 - 300, false),
                    "LastModifiedOn": date(20 + 17 * i as i64, i % 5 == 0),
                })
            })
            .collect();
        let contacts = customers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let code = c["CustomerCode"].as_str().unwrap_or_default().to_lowercase();
                let people = (0..i % 3 + usize::from(i == 0))
                    .map(|k| {
                        let (first, last) = PEOPLE[(i + k) % PEOPLE.len()];
                        json!({
                            "Guid": guid(0x9a, i * 10 + k + 1),
                            "FirstName": first,
                            "LastName": last,
                            "EmailAddress": format!("{}@{code}.example", first.to_lowercase()),
                            "PhoneNumber": format!("+64 9 555 02{i:02}"),
                            "MobilePhone": if k == 1 { json!("+64 21 555 0199") } else { Value::Null },
                        })
                    })
                    .collect();
                (guid_of(c), people)
            })
            .collect();
        let products: Vec<Value> = PRODUCTS
            .iter()
            .enumerate()
            .map(|(i, (code, description, group, price))| {
                json!({
                    "Guid": guid(0x7c, i + 1),
                    "ProductCode": code,
                    "ProductDescription": description,
                    "Barcode": format!("94210000{:05}", i * 37),
                    "UnitOfMeasure": {"Guid": guid(0x11, 1), "Name": "EA"},
                    "ProductGroup": {"Guid": guid(0x12, i % 4), "GroupName": group},
                    "DefaultSellPrice": price,
                    "DefaultPurchasePrice": (price * 0.6 * 100.0).round() / 100.0,
                    "IsSellable": true,
                    "Obsolete": i == 7,
                    "CreatedOn": date(-200 + i as i64, false),
                    "LastModifiedOn": date(30 + 11 * i as i64, false),
                })
            })
            .collect();
        let stock = products
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let on_hand = (i * 13 % 40) as f64;
                let allocated = (i % 4) as f64;
                let cost = p["DefaultPurchasePrice"].as_f64().unwrap_or_default();
                json!({
                    "ProductGuid": p["Guid"],
                    "ProductCode": p["ProductCode"],
                    "ProductDescription": p["ProductDescription"],
                    "ProductGroupName": p["ProductGroup"]["GroupName"],
                    "WarehouseCode": "",
                    "QtyOnHand": on_hand,
                    "AllocatedQty": allocated,
                    "AvailableQty": on_hand - allocated,
                    "OnPurchase": if i % 3 == 0 { 10.0 } else { 0.0 },
                    "AvgCost": cost,
                    "TotalCost": on_hand * cost,
                    "LastModifiedOn": date(40 + 9 * i as i64, false),
                })
            })
            .collect();
        let statuses = ["Parked", "Placed", "Backordered", "Completed"];
        let sales_orders = (0..45usize)
            .map(|n| {
                let c = &customers[n % customers.len()];
                let p = &products[n % products.len()];
                let qty = (n % 5 + 1) as f64;
                let price = p["DefaultSellPrice"].as_f64().unwrap_or_default();
                let sub_total = qty * price;
                let tax = (sub_total * 0.15 * 100.0).round() / 100.0;
                let status = statuses[n % statuses.len()];
                json!({
                    "Guid": guid(0x5a, n + 1),
                    "OrderNumber": format!("SO-{:08}", 1200 + n),
                    "OrderDate": date(n as i64 * 4, false),
                    "RequiredDate": date(n as i64 * 4 + 7, false),
                    "CompletedDate": if status == "Completed" { json!(date(n as i64 * 4 + 9, false)) } else { Value::Null },
                    "OrderStatus": status,
                    "Customer": {"Guid": c["Guid"], "CustomerCode": c["CustomerCode"], "CustomerName": c["CustomerName"]},
                    "CustomerRef": format!("PO-{}", 5000 + n),
                    "Comments": if n % 6 == 0 { json!("Deliver to rear entrance") } else { Value::Null },
                    "Currency": {"CurrencyCode": "NZD"},
                    "Tax": {"TaxCode": "G.S.T."},
                    "SubTotal": sub_total,
                    "TaxTotal": tax,
                    "Total": sub_total + tax,
                    "SalesOrderLines": [{
                        "LineNumber": 1,
                        "Product": {"Guid": p["Guid"], "ProductCode": p["ProductCode"], "ProductDescription": p["ProductDescription"]},
                        "OrderQuantity": qty,
                        "UnitPrice": price,
                        "LineTotal": sub_total,
                    }],
                    "CreatedOn": date(n as i64 * 4, false),
                    "LastModifiedOn": date(n as i64 * 4 + 2, n % 7 == 0),
                })
            })
            .collect();
        Data {
            customers,
            contacts,
            sales_orders,
            products,
            stock,
        }
    }
}

struct Api {
    data: Arc<Data>,
    signer: Arc<HmacSignature>,
}

fn error(status: u16, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "Description": description }))
}

fn query(req: &Request, name: &str) -> Option<String> {
    req.url
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.into_owned())
}

impl Respond for Api {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let header = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(id), Some(signature)) = (header("api-auth-id"), header("api-auth-signature"))
        else {
            return error(
                401,
                "Authentication failed: api-auth-id and api-auth-signature are required",
            );
        };
        let signed = self.signer.sign(req.url.query().unwrap_or(""));
        if id != API_ID || signature != signed {
            return error(403, "Forbidden");
        }
        let segments: Vec<&str> = req.url.path().trim_matches('/').split('/').collect();
        let data = &self.data;
        let is = |s: &str, name: &str| s.eq_ignore_ascii_case(name);
        match segments.as_slice() {
            [c] if is(c, "Customers") => page(req, &data.customers, 1, Some("Customers")),
            [c, p] if is(c, "Customers") && p.parse::<usize>().is_ok() => page(
                req,
                &data.customers,
                p.parse().unwrap_or(1),
                Some("Customers"),
            ),
            [c, g] if is(c, "Customers") => by_guid(&data.customers, g, "Guid"),
            [c, g, k] if is(c, "Customers") && is(k, "Contacts") => {
                match data
                    .contacts
                    .iter()
                    .find(|(id, _)| id.eq_ignore_ascii_case(g))
                {
                    Some((_, people)) => {
                        ResponseTemplate::new(200).set_body_json(json!({ "Items": people }))
                    }
                    None => error(404, "Customer not found"),
                }
            }
            [c, rest @ ..] => {
                let list = if is(c, "SalesOrders") {
                    &data.sales_orders
                } else if is(c, "Products") {
                    &data.products
                } else if is(c, "StockOnHand") {
                    &data.stock
                } else {
                    return error(404, "Resource not found");
                };
                let key = if is(c, "StockOnHand") {
                    "ProductGuid"
                } else {
                    "Guid"
                };
                match rest {
                    [] => page(req, list, 1, None),
                    [p] if p.parse::<usize>().is_ok() => {
                        page(req, list, p.parse().unwrap_or(1), None)
                    }
                    [g] => by_guid(list, g, key),
                    _ => error(404, "Resource not found"),
                }
            }
            [] => error(404, "Resource not found"),
        }
    }
}

fn by_guid(list: &[Value], id: &str, key: &str) -> ResponseTemplate {
    if !is_guid(id) {
        return error(400, "The id is not a valid GUID");
    }
    match list
        .iter()
        .find(|v| v[key].as_str().is_some_and(|g| g.eq_ignore_ascii_case(id)))
    {
        Some(v) => ResponseTemplate::new(200).set_body_json(v),
        None => error(404, "Record not found"),
    }
}

fn modified_at(v: &Value) -> Option<DateTime<Utc>> {
    v["LastModifiedOn"].as_str().and_then(parse_date).flatten()
}

fn page(
    req: &Request,
    items: &[Value],
    number: usize,
    obsolete_filter: Option<&str>,
) -> ResponseTemplate {
    let size = match query(req, "pageSize").map(|s| s.parse::<usize>()) {
        None => DEFAULT_PAGE_SIZE,
        Some(Ok(n)) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
        Some(_) => return error(400, "pageSize must be between 1 and 1000"),
    };
    let since = match query(req, "modifiedSince") {
        None => None,
        Some(s) => match NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
            .or_else(|_| parse_date(&s).flatten().ok_or(()))
        {
            Ok(at) => Some(at),
            Err(_) => return error(400, "modifiedSince is not a valid date (yyyy-mm-dd)"),
        },
    };
    let include_obsolete = obsolete_filter.is_none()
        || query(req, "includeObsolete").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let kept: Vec<&Value> = items
        .iter()
        .filter(|v| include_obsolete || v["Obsolete"] != json!(true))
        .filter(|v| since.is_none_or(|s| modified_at(v).is_some_and(|at| at >= s)))
        .collect();
    let number = number.max(1);
    let total = kept.len();
    let from = ((number - 1) * size).min(total);
    let to = (from + size).min(total);
    ResponseTemplate::new(200).set_body_json(json!({
        "Pagination": {
            "NumberOfItems": total,
            "PageSize": size,
            "PageNumber": number,
            "NumberOfPages": total.div_ceil(size),
        },
        "Items": kept[from..to],
    }))
}
