//! The provider notes' samples mapped into the normalized model, every field
//! checked; Unleashed's odd encodings; values that cannot be read.

// Helpers shared by the tests panic on what the tests do not expect.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use futures::TryStreamExt;
use mspkit_core::{Address, ErrorKind, Id, ListQuery, Provider, PsaClient};
use mspkit_testkit::received;
use mspkit_unleashed::{UnleashedClient, parse_date};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACME: &str = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const BETA: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

/// Sample 7.1 of the provider notes: `GET /Customers/1?pageSize=2` (first page).
const CUSTOMERS_PAGE: &str = r#"{
  "Pagination": {"NumberOfItems": 2, "PageSize": 2, "PageNumber": 1, "NumberOfPages": 1},
  "Items": [
    {
      "Guid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      "CustomerCode": "ACME",
      "CustomerName": "Acme Ltd",
      "CustomerType": "Wholesale",
      "ContactFirstName": "Ana",
      "ContactLastName": "Lopez",
      "Email": "accounts@acme.example",
      "PhoneNumber": "+64 9 555 0100",
      "MobileNumber": null,
      "Addresses": [
        {"AddressType": "Postal", "AddressName": "Head office", "StreetAddress": "1 Queen St", "StreetAddress2": null, "Suburb": null, "City": "Auckland", "Region": null, "Country": "New Zealand", "PostalCode": "1010", "IsDefault": true}
      ],
      "Currency": {"CurrencyCode": "NZD"},
      "Obsolete": false,
      "Notes": null,
      "CreatedOn": "/Date(1704067200000)/",
      "LastModifiedOn": "/Date(1717200000000)/"
    },
    {
      "Guid": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
      "CustomerCode": "BETA",
      "CustomerName": "Beta Stores",
      "CustomerType": null,
      "ContactFirstName": null,
      "ContactLastName": null,
      "Email": null,
      "PhoneNumber": null,
      "MobileNumber": null,
      "Addresses": [],
      "Currency": {"CurrencyCode": "NZD"},
      "Obsolete": true,
      "Notes": "Closed account",
      "CreatedOn": "/Date(1672531200000)/",
      "LastModifiedOn": "/Date(1709251200000)/"
    }
  ]
}"#;

/// Sample 7.2 of the provider notes: `GET /Customers/{guid}/Contacts`.
const CONTACTS: &str = r#"{"Items": [{"Guid": "9a1d2c3b-0000-4000-8000-000000000001", "FirstName": "Ana", "LastName": "Lopez", "EmailAddress": "ana@acme.example", "PhoneNumber": "+64 9 555 0101", "MobilePhone": null}]}"#;

fn at(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
}

async fn serve(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(body.to_owned())
                .insert_header("content-type", "application/json"),
        )
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, keep_raw: bool) -> UnleashedClient {
    UnleashedClient::builder()
        .api_id("0f7c9f4e-3a1b-4c55-9d0e-2b7a1c3d4e5f")
        .api_key("test-api-key")
        .client_type("mspkit/sync")
        .base_url(server.uri())
        .allow_insecure_http()
        .retry_policy(mspkit_testkit::fast_retry())
        .rate_limit(None)
        .keep_raw(keep_raw)
        .build()
        .unwrap()
}

async fn companies(body: &str, keep_raw: bool) -> mspkit_core::Result<Vec<mspkit_core::Company>> {
    let server = serve(body).await;
    client(&server, keep_raw)
        .companies(ListQuery::new())
        .try_collect()
        .await
}

fn customers_with(edit: impl Fn(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(CUSTOMERS_PAGE).unwrap();
    edit(&mut v);
    v.to_string()
}

#[tokio::test]
async fn the_sample_customers_map_field_by_field() {
    let got = companies(CUSTOMERS_PAGE, false).await.unwrap();
    assert_eq!(got.len(), 2);

    let acme = &got[0];
    assert_eq!(acme.id, Id::from(ACME));
    assert_eq!(acme.provider, Provider::Unleashed);
    assert_eq!(acme.name, "Acme Ltd");
    assert_eq!(acme.identifier.as_deref(), Some("ACME"));
    assert_eq!(acme.phone.as_deref(), Some("+64 9 555 0100"));
    assert_eq!(acme.website, None);
    let mut address = Address::new();
    address.line1 = Some("1 Queen St".into());
    address.city = Some("Auckland".into());
    address.postal_code = Some("1010".into());
    address.country = Some("New Zealand".into());
    assert_eq!(acme.address, Some(address));
    assert_eq!(acme.active, Some(true));
    assert_eq!(
        acme.created_at,
        Some(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        acme.updated_at,
        Some(Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(acme.raw, None);

    let beta = &got[1];
    assert_eq!(beta.id, Id::from(BETA));
    assert_eq!(beta.name, "Beta Stores");
    assert_eq!(beta.identifier.as_deref(), Some("BETA"));
    assert_eq!(beta.phone, None);
    assert_eq!(beta.website, None);
    assert_eq!(beta.address, None, "no addresses, no address");
    assert_eq!(beta.active, Some(false), "obsolete means inactive");
    assert_eq!(
        beta.created_at,
        Some(Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        beta.updated_at,
        Some(Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap())
    );
}

#[tokio::test]
async fn keep_raw_keeps_each_customer_as_sent() {
    let got = companies(CUSTOMERS_PAGE, true).await.unwrap();
    let page: Value = serde_json::from_str(CUSTOMERS_PAGE).unwrap();
    assert_eq!(got[0].raw.as_ref(), Some(&page["Items"][0]));
    assert_eq!(got[1].raw.as_ref(), Some(&page["Items"][1]));
}

#[tokio::test]
async fn the_sample_contact_maps_field_by_field() {
    let server = serve(CONTACTS).await;
    let got: Vec<_> = client(&server, false)
        .contacts(ListQuery::new().company(ACME))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    let c = &got[0];
    assert_eq!(c.id.as_str(), "9a1d2c3b-0000-4000-8000-000000000001");
    assert_eq!(c.provider, Provider::Unleashed);
    assert_eq!(c.company_id, Some(Id::from(ACME)));
    assert_eq!(c.first_name.as_deref(), Some("Ana"));
    assert_eq!(c.last_name.as_deref(), Some("Lopez"));
    assert_eq!(c.email.as_deref(), Some("ana@acme.example"));
    assert_eq!(c.phone.as_deref(), Some("+64 9 555 0101"));
    assert_eq!(c.title, None);
    assert_eq!(c.active, None);
    assert_eq!(c.created_at, None);
    assert_eq!(c.updated_at, None);
}

#[tokio::test]
async fn a_contact_without_a_phone_falls_back_to_the_mobile() {
    let body = r#"{"Items": [{"Guid": "9a1d2c3b-0000-4000-8000-000000000002", "FirstName": "Tom",
        "LastName": "", "EmailAddress": " ", "PhoneNumber": null, "MobilePhone": "+64 21 555 0199"}]}"#;
    let server = serve(body).await;
    let got: Vec<_> = client(&server, false)
        .contacts(ListQuery::new().company(ACME))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got[0].phone.as_deref(), Some("+64 21 555 0199"));
    assert_eq!(got[0].last_name, None, "empty text is no value");
    assert_eq!(got[0].email, None);
}

#[tokio::test]
async fn the_default_address_wins_and_the_suburb_is_kept() {
    let body = customers_with(|v| {
        v["Items"][0]["Addresses"] = json!([
            {"AddressType": "Postal", "StreetAddress": "PO Box 12", "City": "Auckland", "IsDefault": false},
            {"AddressType": "Physical", "StreetAddress": "1 Queen St", "StreetAddress2": "Level 3",
             "Suburb": "CBD", "City": "Auckland", "Region": "Auckland", "Country": "New Zealand",
             "PostalCode": "1010", "IsDefault": true}
        ]);
        v["Items"][1]["Addresses"] = json!([
            {"AddressType": "Postal", "StreetAddress": "PO Box 99", "Suburb": "Te Aro", "City": "Wellington", "IsDefault": false}
        ]);
    });
    let got = companies(&body, false).await.unwrap();
    let a = got[0].address.as_ref().unwrap();
    assert_eq!(a.line1.as_deref(), Some("1 Queen St"));
    assert_eq!(a.line2.as_deref(), Some("Level 3, CBD"));
    assert_eq!(a.region.as_deref(), Some("Auckland"));
    let b = got[1].address.as_ref().unwrap();
    assert_eq!(
        b.line1.as_deref(),
        Some("PO Box 99"),
        "no default: the first"
    );
    assert_eq!(b.line2.as_deref(), Some("Te Aro"));
    assert_eq!(b.city.as_deref(), Some("Wellington"));
}

#[tokio::test]
async fn dates_with_offsets_escaped_slashes_nulls_and_the_minimum_date() {
    // `\/` is how .NET escapes the slashes; JSON reads it as `/`.
    let body = CUSTOMERS_PAGE
        .replace(
            r#""/Date(1704067200000)/""#,
            r#""\/Date(1704067200000+1300)\/""#,
        )
        .replace(r#""/Date(1717200000000)/""#, "null")
        .replace(r#""/Date(1672531200000)/""#, r#""/Date(-62135596800000)/""#);
    let got = companies(&body, false).await.unwrap();
    assert_eq!(
        got[0].created_at,
        at(1_704_067_200_000),
        "the offset does not move the instant"
    );
    assert_eq!(got[0].updated_at, None);
    assert_eq!(got[1].created_at, None, ".NET's minimum date is no date");
    assert_eq!(got[1].updated_at, at(1_709_251_200_000));

    assert_eq!(
        parse_date("/Date(1709251200000-0500)/"),
        Some(at(1_709_251_200_000))
    );
}

#[tokio::test]
async fn an_unreadable_value_is_a_decode_error_naming_the_field() {
    let cases = [
        (
            customers_with(|v| v["Items"][1]["LastModifiedOn"] = json!("/Date(yesterday)/")),
            "Items[1].LastModifiedOn",
        ),
        (
            customers_with(|v| v["Items"][0]["Obsolete"] = json!("no")),
            "Items[0].Obsolete",
        ),
        (
            customers_with(|v| {
                v["Items"][0].as_object_mut().unwrap().remove("Guid");
            }),
            "Items[0]",
        ),
        (
            // The walk reads the item count (ends at it and checks it).
            customers_with(|v| v["Pagination"]["NumberOfItems"] = json!("many")),
            "Pagination.NumberOfItems",
        ),
    ];
    for (body, field) in cases {
        match companies(&body, false).await {
            Err(e) if e.kind() == ErrorKind::Decode => {
                let path = e.decode_path().unwrap_or_default();
                assert!(path.starts_with(field), "{path} vs {field}")
            }
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_nameless_customer_is_named_by_its_code() {
    let body = customers_with(|v| v["Items"][0]["CustomerName"] = json!(""));
    let got = companies(&body, false).await.unwrap();
    assert_eq!(got[0].name, "ACME");
}

#[tokio::test]
async fn a_sales_order_reads_every_field() {
    let body = r#"{"Pagination": {"NumberOfItems": 1, "PageSize": 200, "PageNumber": 1, "NumberOfPages": 1},
      "Items": [{
        "Guid": "5a2504e0-4f89-41d3-9a0c-000000000001", "OrderNumber": "SO-00001200",
        "OrderDate": "/Date(1717200000000)/", "RequiredDate": "/Date(1717804800000+1200)/",
        "CompletedDate": null, "OrderStatus": "Parked",
        "Customer": {"Guid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "CustomerCode": "ACME", "CustomerName": "Acme Ltd"},
        "CustomerRef": "PO-5000", "Comments": "Deliver to rear entrance",
        "Currency": {"CurrencyCode": "NZD", "Description": "New Zealand, Dollars"},
        "Tax": {"TaxCode": "G.S.T."},
        "SubTotal": 245.0, "TaxTotal": "36.75", "Total": 281.75,
        "SalesOrderLines": [{"LineNumber": 1,
          "Product": {"Guid": "7c2504e0-4f89-41d3-9a0c-000000000003", "ProductCode": "AP-WIFI6", "ProductDescription": "Wi-Fi 6 access point"},
          "OrderQuantity": 1, "UnitPrice": 245.0, "LineTotal": 245.0}],
        "CreatedOn": "/Date(1717200000000)/", "LastModifiedOn": "/Date(1717286400000)/"
      }]}"#;
    let server = serve(body).await;
    let got: Vec<_> = client(&server, false)
        .sales_orders(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let o = &got[0];
    assert_eq!(o.guid, "5a2504e0-4f89-41d3-9a0c-000000000001");
    assert_eq!(o.order_number.as_deref(), Some("SO-00001200"));
    assert_eq!(o.order_status.as_deref(), Some("Parked"));
    assert_eq!(o.order_date, at(1_717_200_000_000));
    assert_eq!(o.required_date, at(1_717_804_800_000));
    assert_eq!(o.completed_date, None);
    let customer = o.customer.as_ref().unwrap();
    assert_eq!(customer.guid.as_deref(), Some(ACME));
    assert_eq!(customer.customer_code.as_deref(), Some("ACME"));
    assert_eq!(customer.customer_name.as_deref(), Some("Acme Ltd"));
    assert_eq!(o.customer_ref.as_deref(), Some("PO-5000"));
    assert_eq!(o.comments.as_deref(), Some("Deliver to rear entrance"));
    assert_eq!(o.currency.as_deref(), Some("NZD"));
    assert_eq!(o.sub_total, Some(245.0));
    assert_eq!(o.tax_total, Some(36.75), "a number sent as text");
    assert_eq!(o.total, Some(281.75));
    let line = &o.sales_order_lines[0];
    assert_eq!(line.line_number, Some(1));
    assert_eq!(
        line.product.as_ref().unwrap().product_code.as_deref(),
        Some("AP-WIFI6")
    );
    assert_eq!(line.order_quantity, Some(1.0));
    assert_eq!(line.unit_price, Some(245.0));
    assert_eq!(line.line_total, Some(245.0));
    assert_eq!(o.created_on, at(1_717_200_000_000));
    assert_eq!(o.last_modified_on, at(1_717_286_400_000));
}

#[tokio::test]
async fn products_and_stock_read_nested_names_and_text_numbers() {
    let products = r#"{"Pagination": {"NumberOfItems": 1, "PageSize": 200, "PageNumber": 1, "NumberOfPages": 1},
      "Items": [{"Guid": "7c2504e0-4f89-41d3-9a0c-000000000003", "ProductCode": "AP-WIFI6",
        "ProductDescription": "Wi-Fi 6 access point", "Barcode": "9421000000111",
        "UnitOfMeasure": {"Guid": "112504e0-4f89-41d3-9a0c-000000000001", "Name": "EA"},
        "ProductGroup": {"GroupName": "Networking"}, "DefaultSellPrice": 245.0,
        "DefaultPurchasePrice": "147.00", "IsSellable": true, "Obsolete": false,
        "CreatedOn": "/Date(1704067200000)/", "LastModifiedOn": "/Date(1717200000000)/"}]}"#;
    let server = serve(products).await;
    let got: Vec<_> = client(&server, false)
        .products(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let p = &got[0];
    assert_eq!(p.product_code.as_deref(), Some("AP-WIFI6"));
    assert_eq!(
        p.product_description.as_deref(),
        Some("Wi-Fi 6 access point")
    );
    assert_eq!(p.barcode.as_deref(), Some("9421000000111"));
    assert_eq!(p.unit_of_measure.as_deref(), Some("EA"));
    assert_eq!(p.product_group.as_deref(), Some("Networking"));
    assert_eq!(p.default_sell_price, Some(245.0));
    assert_eq!(p.default_purchase_price, Some(147.0));
    assert_eq!(p.is_sellable, Some(true));
    assert_eq!(p.obsolete, Some(false));
    assert_eq!(p.created_on, at(1_704_067_200_000));
    assert_eq!(p.last_modified_on, at(1_717_200_000_000));

    let stock = r#"{"Pagination": {"NumberOfItems": 1, "PageSize": 200, "PageNumber": 1, "NumberOfPages": 1},
      "Items": [{"ProductGuid": "7c2504e0-4f89-41d3-9a0c-000000000003", "ProductCode": "AP-WIFI6",
        "ProductDescription": "Wi-Fi 6 access point", "WarehouseCode": "", "QtyOnHand": "12",
        "AllocatedQty": 2.0, "AvailableQty": 10.0, "OnPurchase": 0, "AvgCost": 147.0,
        "TotalCost": 1764.0, "LastModifiedOn": "/Date(1717200000000)/"}]}"#;
    let server = serve(stock).await;
    let got: Vec<_> = client(&server, false)
        .stock_on_hand(ListQuery::new())
        .try_collect()
        .await
        .unwrap();
    let s = &got[0];
    assert_eq!(
        s.product_guid.as_deref(),
        Some("7c2504e0-4f89-41d3-9a0c-000000000003")
    );
    assert_eq!(s.warehouse_code.as_deref(), Some(""));
    assert_eq!(s.qty_on_hand, Some(12.0));
    assert_eq!(s.allocated_qty, Some(2.0));
    assert_eq!(s.available_qty, Some(10.0));
    assert_eq!(s.on_purchase, Some(0.0));
    assert_eq!(s.avg_cost, Some(147.0));
    assert_eq!(s.total_cost, Some(1764.0));
    assert_eq!(s.last_modified_on, at(1_717_200_000_000));

    let bad = stock.replace(r#""QtyOnHand": "12""#, r#""QtyOnHand": "twelve""#);
    let server = serve(&bad).await;
    let r: Result<Vec<_>, _> = client(&server, false)
        .stock_on_hand(ListQuery::new())
        .try_collect()
        .await;
    match r {
        Err(e) if e.kind() == ErrorKind::Decode => {
            let path = e.decode_path().unwrap_or_default();
            assert_eq!(path, "Items[0].QtyOnHand")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_single_customer_maps_like_a_listed_one() {
    let page: Value = serde_json::from_str(CUSTOMERS_PAGE).unwrap();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/Customers/{ACME}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&page["Items"][0]))
        .mount(&server)
        .await;
    let one = client(&server, true)
        .company(&Id::from(ACME))
        .await
        .unwrap();
    let listed = companies(CUSTOMERS_PAGE, true).await.unwrap();
    assert_eq!(one, listed[0]);
}

// ---------- contacts: inferred names, read tolerantly ----------

async fn contacts_of_acme(server: &MockServer) -> Vec<mspkit_core::Contact> {
    client(server, false)
        .contacts(ListQuery::new().company(ACME))
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn contact_fields_are_read_under_other_spellings_and_odd_types() {
    let body = r#"{"Items": [
        {"Guid": "9a1d2c3b-0000-4000-8000-000000000003", "ContactFirstName": "Mere",
         "Surname": "Parata", "Email": "mere@acme.example", "OfficePhone": 6495550102,
         "Notes": {"unexpected": true}},
        {"Guid": "9a1d2c3b-0000-4000-8000-000000000004", "FirstName": {"Given": "Tom"},
         "LastName": "Ngata", "EmailAddress": "tom@acme.example", "Email": "other@acme.example",
         "PhoneNumber": null, "MobileNumber": "+64 21 555 0100", "LastModifiedOn": "soon"}
    ]}"#;
    let got = contacts_of_acme(&serve(body).await).await;
    let (a, b) = (&got[0], &got[1]);
    assert_eq!(a.first_name.as_deref(), Some("Mere"));
    assert_eq!(a.last_name.as_deref(), Some("Parata"));
    assert_eq!(a.email.as_deref(), Some("mere@acme.example"));
    assert_eq!(
        a.phone.as_deref(),
        Some("6495550102"),
        "a number is read as text"
    );
    // An object where text was expected is no value; the first spelling wins.
    assert_eq!(b.first_name, None);
    assert_eq!(b.email.as_deref(), Some("tom@acme.example"));
    assert_eq!(b.phone.as_deref(), Some("+64 21 555 0100"));
    assert_eq!(b.updated_at, None, "an unreadable date is no date");
}

#[tokio::test]
async fn a_contact_with_none_of_the_fields_takes_the_customers_own() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/Customers/{ACME}/Contacts")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Items": [
            {"Guid": "9a1d2c3b-0000-4000-8000-000000000005", "IsDefault": true},
            {"Guid": "9a1d2c3b-0000-4000-8000-000000000006", "FirstName": "Liam"}
        ]})))
        .mount(&server)
        .await;
    let page: Value = serde_json::from_str(CUSTOMERS_PAGE).unwrap();
    Mock::given(method("GET"))
        .and(path(format!("/Customers/{ACME}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(page["Items"][0].clone()))
        .expect(1)
        .mount(&server)
        .await;
    let got = contacts_of_acme(&server).await;
    let blank = &got[0];
    assert_eq!(blank.id.as_str(), "9a1d2c3b-0000-4000-8000-000000000005");
    assert_eq!(blank.company_id, Some(Id::from(ACME)));
    assert_eq!(blank.first_name.as_deref(), Some("Ana"));
    assert_eq!(blank.last_name.as_deref(), Some("Lopez"));
    assert_eq!(blank.email.as_deref(), Some("accounts@acme.example"));
    assert_eq!(blank.phone.as_deref(), Some("+64 9 555 0100"));
    // A contact with a field of its own keeps its own (and nothing else).
    assert_eq!(got[1].first_name.as_deref(), Some("Liam"));
    assert_eq!(got[1].email, None);
}

#[tokio::test]
async fn every_contact_of_the_fake_has_a_name_or_an_address() {
    let fake = mspkit_unleashed::mock::start().await;
    let c = mspkit_unleashed::UnleashedClientBuilder::from_settings(&fake.settings)
        .rate_limit(None)
        .build()
        .unwrap();
    let all: Vec<_> = c.contacts(ListQuery::new()).try_collect().await.unwrap();
    assert_eq!(Some(all.len()), fake.expected.contacts);
    assert!(
        all.iter()
            .all(|c| c.first_name.is_some() && c.email.is_some())
    );
    // The customers' own fields fill the contacts that have none: no extra request.
    let reads = received(&fake.server)
        .await
        .iter()
        .filter(|r| {
            let last = r.url.path().rsplit('/').next().unwrap_or_default();
            r.url.path().starts_with("/Customers/") && last.len() == 36
        })
        .count();
    assert_eq!(reads, 0);
}
