//! The fake tenant's records, in Autotask's real shape (the provider notes'
//! samples, with ids, names and dates varied per record).

use serde_json::{Value, json};

/// A company like the `/Companies/query` sample.
fn company(
    id: i64,
    name: &str,
    number: &str,
    active: bool,
    country: Option<i64>,
    activity: &str,
) -> Value {
    json!({
        "id": id,
        "additionalAddressInformation": "",
        "address1": if country.is_some() { json!(format!("{} Galaxy Way", id % 1000)) } else { Value::Null },
        "address2": null,
        "alternatePhone1": "",
        "alternatePhone2": "",
        "apiVendorID": null,
        "assetValue": null,
        "billToCompanyLocationID": null,
        "billToAdditionalAddressInformation": "",
        "billingAddress1": "",
        "billingAddress2": "",
        "billToAddressToUse": 1,
        "billToAttention": "",
        "billToCity": "",
        "billToCountryID": null,
        "billToState": "",
        "billToZipCode": "",
        "city": if country.is_some() { "Springfield" } else { "" },
        "classification": null,
        "companyName": name,
        "companyNumber": number,
        "companyType": 1,
        "competitorID": null,
        "countryID": country,
        "createDate": "2016-03-30T13:10:35.563",
        "createdByResourceID": 29682885,
        "currencyID": 1,
        "fax": "",
        "impersonatorCreatorResourceID": null,
        "invoiceEmailMessageID": 1,
        "invoiceMethod": null,
        "invoiceNonContractItemsToParentCompany": null,
        "invoiceTemplateID": 102,
        "isActive": active,
        "isClientPortalActive": true,
        "isEnabledForComanaged": false,
        "isTaskFireActive": false,
        "isTaxExempt": false,
        "lastActivityDate": activity,
        "lastTrackedModifiedDateTime": "2016-03-30T13:10:35.563",
        "marketSegmentID": null,
        "ownerResourceID": 29682885,
        "parentCompanyID": null,
        "phone": format!("555-111-{:04}", id % 10000),
        "postalCode": if country.is_some() { "62704" } else { "" },
        "quoteEmailMessageID": 1,
        "quoteTemplateID": 1,
        "sicCode": "",
        "state": if country.is_some() { "IL" } else { "" },
        "stockMarket": "",
        "stockSymbol": "",
        "surveyCompanyRating": null,
        "taxID": "",
        "taxRegionID": null,
        "territoryID": null,
        "webAddress": null,
        "userDefinedFields": []
    })
}

pub(super) const COMPANY_IDS: [i64; 5] = [29683616, 29683617, 29683618, 29683619, 29683620];

pub(super) fn companies() -> Vec<Value> {
    vec![
        company(
            COMPANY_IDS[0],
            "Sirius Cybernetics Corporation",
            "",
            true,
            None,
            "2018-11-13T17:32:34",
        ),
        company(
            COMPANY_IDS[1],
            "Megadodo Publications",
            "MEGA",
            true,
            Some(1),
            "2024-03-06T09:12:00.15",
        ),
        company(
            COMPANY_IDS[2],
            "Magrathea Planet Builders",
            "MAG-01",
            true,
            Some(23),
            "2023-07-01T08:00:00",
        ),
        company(
            COMPANY_IDS[3],
            "Heart of Gold Logistics",
            "",
            false,
            Some(1),
            "2024-04-10T12:30:00.5",
        ),
        company(
            COMPANY_IDS[4],
            "Milliways Restaurant Group",
            "MILLI",
            true,
            None,
            "2022-01-15T10:00:00",
        ),
    ]
}

/// A contact like the `/Contacts/query` sample (`isActive` an integer).
fn contact(id: i64, company: i64, first: &str, last: &str, active: i64, modified: &str) -> Value {
    json!({
        "id": id,
        "additionalAddressInformation": "",
        "addressLine": "",
        "addressLine1": "",
        "alternatePhone": "",
        "apiVendorID": null,
        "bulkEmailOptOutTime": null,
        "city": "",
        "companyID": company,
        "companyLocationID": null,
        "countryID": 23,
        "createDate": "2019-11-25T16:18:17.893Z",
        "emailAddress": format!("{}@example.com", first.to_lowercase()),
        "emailAddress2": null,
        "emailAddress3": null,
        "extension": "",
        "externalID": "",
        "facebookUrl": "",
        "faxNumber": "",
        "firstName": first,
        "impersonatorCreatorResourceID": null,
        "isActive": active,
        "isOptedOutFromBulkEmail": false,
        "lastActivityDate": modified,
        "lastModifiedDate": modified,
        "lastName": last,
        "linkedInUrl": "",
        "middleInitial": null,
        "mobilePhone": format!("+32 485 56 {:02} {:02}", id % 100, (id / 100) % 100),
        "namePrefix": null,
        "nameSuffix": null,
        "note": "",
        "receivesEmailNotifications": true,
        "phone": "",
        "primaryContact": id % 2 == 1,
        "roomNumber": "",
        "solicitationOptOut": false,
        "solicitationOptOutTime": null,
        "state": "",
        "surveyOptOut": false,
        "title": "Directeur",
        "twitterUrl": "",
        "zipCode": "",
        "userDefinedFields": [
            {"name": "Alternate Email", "value": null},
            {"name": "CRM ID", "value": "DCB71616-857F-E811-A971-000D3AB4CCCD"},
            {"name": "Language", "value": "ENU"}
        ]
    })
}

pub(super) fn contacts() -> Vec<Value> {
    let people = [
        ("Gérard", "Mentor"),
        ("Arthur", "Dent"),
        ("Ford", "Prefect"),
        ("Tricia", "McMillan"),
        ("Zaphod", "Beeblebrox"),
        ("Fenchurch", "Smith"),
        ("Slartibartfast", "Fjord"),
        ("Random", "Dent"),
    ];
    people
        .iter()
        .enumerate()
        .map(|(i, (first, last))| {
            let i = i as i64;
            let modified = format!("2024-0{}-0{}T16:18:17.887Z", 1 + i % 5, 1 + i % 9);
            contact(
                30682885 + i,
                COMPANY_IDS[(i % 5) as usize],
                first,
                last,
                i64::from(i != 5),
                &modified,
            )
        })
        .collect()
}

/// A ticket like the `/Tickets/query` sample.
pub(super) fn ticket(id: i64, n: i64, title: &str, status: i64, priority: i64) -> Value {
    let company = COMPANY_IDS[(n % 5) as usize];
    let complete = status == 5;
    let activity = format!("2024-03-{:02}T09:15:52.407Z", 1 + n * 2);
    json!({
        "id": id,
        "apiVendorID": null,
        "assignedResourceID": if n % 3 == 0 { Value::Null } else { json!(29682899) },
        "assignedResourceRoleID": 29683355,
        "billingCodeID": 29683502,
        "changeApprovalBoard": null,
        "changeApprovalStatus": null,
        "changeApprovalType": null,
        "changeInfoField1": "",
        "changeInfoField2": "",
        "changeInfoField3": "",
        "changeInfoField4": "",
        "changeInfoField5": "",
        "companyID": company,
        "companyLocationID": 457,
        "completedByResourceID": if complete { json!(29682899) } else { Value::Null },
        "completedDate": if complete { json!(format!("2024-03-{:02}T09:15:28.147Z", 1 + n * 2)) } else { Value::Null },
        "configurationItemID": null,
        "contactID": 30682885 + n % 8,
        "contractID": 29683361,
        "contractServiceBundleID": null,
        "contractServiceID": null,
        "createDate": format!("2024-02-{:02}T09:40:14.113Z", 1 + n),
        "createdByContactID": null,
        "creatorResourceID": 29682885,
        "creatorType": 1,
        "currentServiceThermometerRating": null,
        "description": if n % 4 == 0 { Value::Null } else { json!(format!("{title}: details from the customer.")) },
        "dueDateTime": "2024-04-06T13:00:00Z",
        "estimatedHours": 3.5000,
        "externalID": "",
        "firstResponseAssignedResourceID": null,
        "firstResponseDateTime": "2024-02-24T09:40:16.073Z",
        "firstResponseDueDateTime": null,
        "firstResponseInitiatingResourceID": null,
        "hoursToBeScheduled": 0.0000,
        "impersonatorCreatorResourceID": null,
        "isAssignedToComanaged": false,
        "issueType": 6,
        "isVisibleToComanaged": false,
        "lastActivityDate": activity,
        "lastActivityPersonType": 1,
        "lastActivityResourceID": 4,
        "lastCustomerNotificationDateTime": "2024-03-07T09:15:45.2Z",
        "lastCustomerVisibleActivityDateTime": "2024-03-07T09:15:28.133Z",
        "lastTrackedModificationDateTime": format!("2024-02-{:02}T09:40:14.113Z", 1 + n),
        "monitorID": null,
        "monitorTypeID": null,
        "opportunityID": null,
        "organizationalLevelAssociationID": null,
        "previousServiceThermometerRating": null,
        "priority": priority,
        "problemTicketId": null,
        "projectID": null,
        "purchaseOrderNumber": "",
        "queueID": 29683354,
        "resolution": "",
        "resolutionPlanDateTime": "2024-02-24T09:40:16.073Z",
        "resolutionPlanDueDateTime": null,
        "resolvedDateTime": if complete { json!("2024-03-06T16:10:00Z") } else { Value::Null },
        "resolvedDueDateTime": null,
        "rmaStatus": null,
        "rmaType": null,
        "rmmAlertID": null,
        "serviceLevelAgreementHasBeenMet": null,
        "serviceLevelAgreementID": null,
        "serviceLevelAgreementPausedNextEventHours": null,
        "serviceThermometerTemperature": null,
        "source": 13,
        "status": status,
        "subIssueType": null,
        "ticketCategory": 3,
        "ticketNumber": format!("T202402{:02}.{:04}.051", 1 + n, 46 + n),
        "ticketType": 1,
        "title": title,
        "userDefinedFields": []
    })
}

pub(super) const TICKET_WITH_NOTES: i64 = 29296;

pub(super) fn tickets() -> Vec<Value> {
    let titles = [
        ("ICT Coaching", 5, 2),
        ("Printer on floor 2 offline", 1, 1),
        ("New starter laptop", 8, 2),
        ("VPN drops every hour", 7, 1),
        ("Mailbox quota exceeded", 5, 3),
        ("Firewall firmware update", 10, 2),
        ("Server room temperature alarm", 8, 4),
        ("Password reset for Ford", 5, 3),
        ("Backup job failed", 9, 1),
        ("Phone system reconfiguration", 12, 2),
        ("Shared drive permissions", 1, 3),
        ("Replace UPS battery", 17, 2),
    ];
    titles
        .iter()
        .enumerate()
        .map(|(i, (title, status, priority))| {
            ticket(
                TICKET_WITH_NOTES + i as i64,
                i as i64,
                title,
                *status,
                *priority,
            )
        })
        .collect()
}

/// A ticket note (TicketNoteModel's fields, camelCase as the API sends them).
pub(super) fn note(id: i64, ticket: i64, title: &str, text: &str, publish: i64, at: &str) -> Value {
    json!({
        "id": id,
        "createDateTime": at,
        "creatorResourceID": 29682899,
        "description": text,
        "impersonatorCreatorResourceID": null,
        "impersonatorUpdaterResourceID": null,
        "lastActivityDate": at,
        "noteType": 1,
        "publish": publish,
        "ticketID": ticket,
        "title": title
    })
}

pub(super) fn notes() -> Vec<Value> {
    vec![
        note(
            30000101,
            TICKET_WITH_NOTES,
            "Called customer",
            "Called the customer to plan the coaching session.",
            1,
            "2024-03-01T10:00:00.12Z",
        ),
        note(
            30000102,
            TICKET_WITH_NOTES,
            "Internal",
            "Billing to go against the block-hours contract.",
            2,
            "2024-03-02T11:30:00Z",
        ),
        note(
            30000103,
            TICKET_WITH_NOTES,
            "Completed",
            "Session delivered; closing.",
            1,
            "2024-03-07T09:15:00.5Z",
        ),
        note(
            30000104,
            TICKET_WITH_NOTES + 3,
            "Investigating",
            "VPN logs collected.",
            2,
            "2024-03-08T08:00:00Z",
        ),
    ]
}

/// A contract (ContractModel's fields, camelCase).
fn contract(
    id: i64,
    company: i64,
    name: &str,
    kind: i64,
    status: i64,
    start: &str,
    end: &str,
) -> Value {
    json!({
        "id": id,
        "billingPreference": 1,
        "billToCompanyContactID": null,
        "billToCompanyID": null,
        "companyID": company,
        "contactID": null,
        "contactName": "",
        "contractCategory": 1,
        "contractExclusionSetID": null,
        "contractName": name,
        "contractNumber": format!("C-{id}"),
        "contractPeriodType": "m",
        "contractType": kind,
        "description": "",
        "endDate": end,
        "estimatedCost": 0.0000,
        "estimatedHours": 0.0000,
        "estimatedRevenue": 1200.0000,
        "exclusionContractID": null,
        "internalCurrencyOverageBillingRate": null,
        "internalCurrencySetupFee": null,
        "isCompliant": true,
        "isDefaultContract": id % 2 == 1,
        "opportunityID": null,
        "organizationalLevelAssociationID": null,
        "overageBillingRate": null,
        "purchaseOrderNumber": "",
        "renewedContractID": null,
        "serviceLevelAgreementID": null,
        "setupFee": null,
        "setupFeeBillingCodeID": null,
        "startDate": start,
        "status": status,
        "timeReportingRequiresStartAndStopTimes": 0,
        "userDefinedFields": []
    })
}

pub(super) fn contracts() -> Vec<Value> {
    vec![
        contract(
            29683361,
            COMPANY_IDS[0],
            "Managed Services 2024",
            7,
            1,
            "2024-01-01T00:00:00",
            "2024-12-31T00:00:00",
        ),
        contract(
            29683362,
            COMPANY_IDS[1],
            "Block Hours 40h",
            4,
            1,
            "2023-06-01T00:00:00",
            "2025-05-31T00:00:00",
        ),
        contract(
            29683363,
            COMPANY_IDS[2],
            "Time & Materials",
            1,
            0,
            "2020-01-01T00:00:00",
            "2022-12-31T00:00:00",
        ),
        contract(
            29683364,
            COMPANY_IDS[0],
            "Per Ticket Support",
            8,
            1,
            "2024-03-01T00:00:00",
            "2025-02-28T00:00:00",
        ),
    ]
}

pub(super) fn resources() -> Vec<Value> {
    let r = |id: i64, first: &str, last: &str, user: &str| {
        json!({
            "id": id, "accountingReferenceID": null, "dateFormat": "dd/MM/yyyy",
            "defaultServiceDeskRoleID": 29683355, "email": format!("{user}@acme.com"),
            "email2": null, "email3": null, "emailTypeCode": "PRIMARY", "firstName": first,
            "gender": null, "greeting": null, "hireDate": "2016-03-30T00:00:00", "homePhone": "",
            "initials": "", "internalCost": 0.0000, "isActive": true, "lastName": last,
            "licenseType": 1, "locationID": 1, "middleName": "", "mobilePhone": "",
            "numberFormat": "x,xxx.xx", "officeExtension": "", "officePhone": "",
            "payrollType": 1, "resourceType": "Employee", "suffix": "", "surveyResourceRating": null,
            "timeFormat": "HH:mm", "title": "Engineer", "travelAvailabilityPct": "0",
            "userName": user, "userType": 1, "userDefinedFields": []
        })
    };
    vec![
        r(4, "Administrator", "", "admin"),
        r(29682885, "Marvin", "Android", "marvin"),
        r(29682899, "Trillian", "Astra", "trillian"),
    ]
}

pub(super) fn countries() -> Vec<Value> {
    vec![
        json!({"id": 1, "addressFormatID": 1, "countryCode": "US", "displayName": "United States",
               "invoiceTemplateID": 102, "isActive": true, "isDefaultCountry": true, "name": "UNITED STATES",
               "quoteTemplateID": 1, "userDefinedFields": []}),
        json!({"id": 23, "addressFormatID": 3, "countryCode": "BE", "displayName": "Belgium",
               "invoiceTemplateID": 102, "isActive": true, "isDefaultCountry": false, "name": "BELGIUM",
               "quoteTemplateID": 1, "userDefinedFields": []}),
    ]
}

fn pick(value: i64, label: &str, default: bool, order: i64, system: bool) -> Value {
    json!({"value": value.to_string(), "label": label, "isDefaultValue": default, "sortOrder": order,
           "parentValue": "", "isActive": true, "isSystem": system})
}

fn field(name: &str, values: Vec<Value>) -> Value {
    json!({"name": name, "dataType": "integer", "length": 0, "isRequired": true, "isReadOnly": false,
           "isQueryable": true, "isReference": false, "referenceEntityType": "", "isPickList": true,
           "picklistValues": values, "picklistParentValueField": "", "isSupportedWebhookField": false})
}

fn plain(name: &str, data_type: &str) -> Value {
    json!({"name": name, "dataType": data_type, "length": 250, "isRequired": false, "isReadOnly": false,
           "isQueryable": true, "isReference": false, "referenceEntityType": "", "isPickList": false,
           "picklistValues": null, "picklistParentValueField": "", "isSupportedWebhookField": false})
}

/// `/{Entity}/entityInformation/fields` of the entities whose picklists the client reads.
pub(super) fn fields(entity: &str) -> Option<Value> {
    let fields = match entity {
        "tickets" => vec![
            plain("id", "long"),
            plain("title", "string"),
            field(
                "status",
                vec![
                    pick(1, "New", true, 1, true),
                    pick(5, "Complete", false, 2, true),
                    pick(7, "Waiting Customer", false, 3, true),
                    pick(8, "In Progress", false, 4, true),
                    pick(9, "Waiting Materials", false, 5, true),
                    pick(10, "Dispatched", false, 6, true),
                    pick(12, "Waiting Vendor", false, 7, true),
                    pick(17, "On Hold", false, 8, false),
                ],
            ),
            field(
                "priority",
                vec![
                    pick(1, "High", false, 1, true),
                    pick(2, "Medium", true, 2, true),
                    pick(3, "Low", false, 3, true),
                    pick(4, "Critical", false, 4, true),
                ],
            ),
        ],
        "ticketnotes" => vec![
            plain("id", "long"),
            field(
                "noteType",
                vec![
                    pick(1, "Task Summary", true, 1, true),
                    pick(2, "Task Detail", false, 2, true),
                    pick(3, "Task Notes", false, 3, true),
                ],
            ),
            field(
                "publish",
                vec![
                    pick(1, "All Autotask Users", true, 1, true),
                    pick(2, "Internal Only", false, 2, true),
                    pick(4, "Internal & Co-managed", false, 3, true),
                ],
            ),
        ],
        "contracts" => vec![
            plain("id", "long"),
            field(
                "contractType",
                vec![
                    pick(1, "Time & Materials", false, 1, true),
                    pick(3, "Fixed Price", false, 2, true),
                    pick(4, "Block Hours", false, 3, true),
                    pick(6, "Retainer", false, 4, true),
                    pick(7, "Recurring Service", true, 5, true),
                    pick(8, "Per Ticket", false, 6, true),
                ],
            ),
        ],
        _ => return None,
    };
    Some(json!({"fields": fields}))
}
