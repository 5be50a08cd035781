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

use chrono::NaiveDate;
use mspkit_core::{Id, SecretString};
use mspkit_testkit::{
    ById, HmacQuerySignature, PageScheme, PageView, Paged, Reply, mount_gate,
    query_param_ignore_case,
};
/// What [`start`] returns: the running server (keep the value alive while
/// it is used: dropping it stops the server), settings that reach it, and
/// what it holds.
pub use mspkit_testkit::{Expected, FakeServer};
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::api::parse_date;
use crate::settings::UnleashedSettings;

/// The API id the fake server accepts.
pub const API_ID: &str = "6c2f3b1a-8d4e-4f5a-9b7c-1e2d3f4a5b6c";
/// The API key the fake server checks signatures with.
pub const API_KEY: &str = "mock-unleashed-api-key";
/// The `client-type` the settings send.
pub const CLIENT_TYPE: &str = "mspkit/mock";

fn error(status: u16, description: &str) -> Reply {
    Reply::json(status, json!({ "Description": description }))
}

/// Starts a fake Unleashed API on loopback, with settings for a client of it.
pub async fn start() -> FakeServer<UnleashedSettings> {
    let server = MockServer::start().await;
    let data = Data::new();
    // Signed requests only: no headers is a 401, a wrong id or signature a
    // 403 (checked by testkit's own HMAC, not the crate's signer).
    let missing = error(
        401,
        "Authentication failed: api-auth-id and api-auth-signature are required",
    );
    let signature = HmacQuerySignature::new(
        "api-auth-id",
        API_ID,
        "api-auth-signature",
        API_KEY,
        missing,
    )
    .wrong(error(403, "Forbidden"));
    mount_gate(&server, any(), signature).await;
    let lists = [
        ("Customers", data.customers.clone(), "Guid"),
        ("SalesOrders", data.sales_orders, "Guid"),
        ("Products", data.products, "Guid"),
        ("StockOnHand", data.stock, "ProductGuid"),
    ];
    for (name, items, key) in lists {
        let customers = name == "Customers";
        let render = |v: &PageView<'_>| {
            ResponseTemplate::new(200).set_body_json(json!({
                "Pagination": {"NumberOfItems": v.total, "PageSize": v.page_size,
                               "PageNumber": v.page, "NumberOfPages": v.total_pages},
                "Items": v.items,
            }))
        };
        let paged = Paged::new(items.clone(), PageScheme::path_page("pageSize", 1), render)
            .default_size(200)
            .max_size(1000)
            .filter(move |r, v| keep(r, v, customers));
        Mock::given(method("GET"))
            .and(path_regex(format!(r"(?i)^/{name}(/\d+)?$")))
            .respond_with(paged)
            .mount(&server)
            .await;
        let one = ById::new(
            format!("/{name}"),
            items,
            key,
            error(404, "Record not found"),
        );
        Mock::given(method("GET"))
            .and(path_regex(format!(
                r"(?i)^/{name}/[0-9a-f]{{8}}(-[0-9a-f]{{4}}){{3}}-[0-9a-f]{{12}}$"
            )))
            .respond_with(one.ignore_case())
            .mount(&server)
            .await;
    }
    let contacts = data.contacts.clone();
    Mock::given(method("GET"))
        .and(path_regex(r"(?i)^/Customers/[^/]+/Contacts$"))
        .respond_with(move |r: &Request| {
            let guid = r.url.path().split('/').nth(2).unwrap_or_default();
            match contacts
                .iter()
                .find(|(id, _)| id.eq_ignore_ascii_case(guid))
            {
                Some((_, people)) => {
                    ResponseTemplate::new(200).set_body_json(json!({ "Items": people }))
                }
                None => error(404, "Customer not found").template(),
            }
        })
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(error(404, "Resource not found").template())
        .with_priority(10)
        .mount(&server)
        .await;

    let mut expected = Expected::new();
    expected.companies = Some(data.customers.len());
    expected.contacts = Some(data.contacts.iter().map(|(_, c)| c.len()).sum());
    expected.company_id = data.customers.first().map(|c| Id::from(guid_of(c)));
    let mut settings = UnleashedSettings::new(API_ID, SecretString::from(API_KEY), CLIENT_TYPE);
    settings.base_url = Some(server.uri());
    settings.allow_insecure_http = true;
    FakeServer::new(server, settings, expected).secrets([API_KEY])
}

/// `includeObsolete` (customers: obsolete ones hidden unless asked for) and
/// `modifiedSince` (`yyyy-mm-dd`, UTC: changed on or after that day).
fn keep(r: &Request, v: &Value, customers: bool) -> bool {
    let obsolete_ok = !customers
        || v["Obsolete"] != json!(true)
        || query_param_ignore_case(r, "includeObsolete")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let since = query_param_ignore_case(r, "modifiedSince")
        .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc());
    let modified = v["LastModifiedOn"].as_str().and_then(parse_date).flatten();
    obsolete_ok && since.is_none_or(|s| modified.is_some_and(|at| at >= s))
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
                // The contact shape is not published: the fake varies the
                // spellings a contact record may use, and some contacts carry
                // none of them (the client then takes the customer's own
                // primary-contact fields).
                let mut people: Vec<Value> = (0..i % 3 + usize::from(i == 0))
                    .map(|k| {
                        let (first, last) = PEOPLE[(i + k) % PEOPLE.len()];
                        let email = format!("{}@{code}.example", first.to_lowercase());
                        let phone = format!("+64 9 555 02{i:02}");
                        match k {
                            0 => json!({"Guid": guid(0x9a, i * 10 + k + 1), "FirstName": first,
                                        "LastName": last, "EmailAddress": email, "PhoneNumber": phone,
                                        "MobilePhone": null}),
                            _ => json!({"Guid": guid(0x9a, i * 10 + k + 1), "FirstName": first,
                                        "LastName": last, "Email": email, "OfficePhone": null,
                                        "MobileNumber": "+64 21 555 0199"}),
                        }
                    })
                    .collect();
                if i % 5 == 4 {
                    people.push(json!({"Guid": guid(0x9a, i * 10 + 9), "IsDefault": true}));
                }
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
