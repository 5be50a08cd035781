//! The testkit's PSA conformance suite against the fake Autotask zone.

use mspkit_autotask::{AutotaskClient, AutotaskSettings, mock};
use mspkit_core::http::{Http, RateLimit, RetryPolicy};
use mspkit_core::{ErrorKind, Operation, PsaClient, Result, async_trait};
use mspkit_testkit::{FakeServer, PsaHarness, json_body, psa_conformance, psa_hostile, received};

struct Harness;

#[async_trait]
impl PsaHarness for Harness {
    type Settings = AutotaskSettings;

    async fn start(&self) -> FakeServer<AutotaskSettings> {
        mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<AutotaskSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let client = mspkit_autotask::AutotaskClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client) as Box<dyn PsaClient>)
    }

    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![
            Operation::Companies,
            Operation::Contacts,
            Operation::Tickets,
        ]
    }

    /// The query filter's field, in the POSTed body.
    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        self.server_side_updated_since()
            .into_iter()
            .map(|op| (op, "lastActivityDate"))
            .collect()
    }

    /// 10,000 requests per rolling hour per database.
    fn documented_rate_limit(&self) -> Option<RateLimit> {
        Some(mspkit_autotask::default_rate_limit())
    }

    async fn default_transport(&self, fake: &FakeServer<AutotaskSettings>) -> Option<Http> {
        let client = AutotaskClient::from_settings(&fake.settings).ok()?;
        Some(client.http().clone())
    }

    /// Three requests in flight per entity endpoint.
    fn concurrency_cap(&self) -> Option<usize> {
        Some(mspkit_autotask::CONCURRENT_REQUESTS_PER_ENDPOINT)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autotask_passes_psa_conformance() {
    psa_conformance(&Harness).await;
}

#[tokio::test]
async fn the_fake_zone_is_found_by_zone_lookup() {
    let fake = mock::start().await;
    let mut settings = fake.settings.clone();
    settings.base_url = None;
    let client = AutotaskClient::builder()
        .username(&settings.username)
        .secret(mock::SECRET)
        .integration_code(&settings.integration_code)
        .zone_lookup_url(format!("{}/atservicesrest", fake.uri()))
        .allow_insecure_http()
        .build()
        .unwrap();
    client.test_connection().await.unwrap();
    let http = client.http();
    assert_eq!(
        http.base_url().as_str(),
        format!("{}/atservicesrest/v1.0/", fake.uri())
    );
}

#[tokio::test]
async fn the_fake_zone_checks_the_three_headers_like_autotask() {
    let fake = mock::start().await;
    let mut wrong_secret = fake.settings.clone();
    wrong_secret.secret = "not-the-secret".to_owned().into();
    let r = AutotaskClient::from_settings(&wrong_secret)
        .unwrap()
        .test_connection()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized),
        "{r:?}"
    );

    let mut wrong_code = fake.settings.clone();
    wrong_code.integration_code = "NOT-A-CODE".to_owned();
    match AutotaskClient::from_settings(&wrong_code)
        .unwrap()
        .test_connection()
        .await
    {
        Err(e) if e.kind() == ErrorKind::Unauthorized => {
            let message = e.message().unwrap_or_default();
            assert_eq!(message, "IntegrationCode is invalid.")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_fake_zone_takes_writes() {
    use mspkit_core::{NewNote, NewTicket, TicketState, TicketUpdate};
    let fake = mock::start().await;
    let client = AutotaskClient::from_settings(&fake.settings).unwrap();
    let company = fake.expected.company_id.clone().unwrap();
    let created = client
        .create_ticket(
            NewTicket::new("Printer offline")
                .company(company.clone())
                .extra("queueID", 29683354),
        )
        .await
        .unwrap();
    assert_eq!(created.summary, "Printer offline");
    assert_eq!(created.company_id, Some(company));
    assert_eq!(created.status.state, TicketState::New);
    let closed = client
        .update_ticket(&created.id, TicketUpdate::new().state(TicketState::Closed))
        .await
        .unwrap();
    assert_eq!(closed.status.label.as_deref(), Some("Complete"));
    let note = client
        .add_ticket_note(&created.id, NewNote::internal("Replaced the toner."))
        .await
        .unwrap();
    assert!(note.internal);
    assert_eq!(note.text, "Replaced the toner.");
}

/// After a POST query, each `pageDetails.nextPageUrl` is POSTed with the
/// query's own body; the fake, like Autotask, answers a GET there with 405.
#[tokio::test]
async fn next_pages_are_posted_with_the_query_body_and_a_get_is_refused() {
    use futures::TryStreamExt;
    use mspkit_core::TicketQuery;
    let fake = mock::start().await;
    let client = AutotaskClient::from_settings(&fake.settings).unwrap();
    let tickets: Vec<_> = client
        .tickets(TicketQuery::new().company("29683617").page_size(1))
        .try_collect()
        .await
        .unwrap();
    assert!(tickets.len() >= 2, "{}", tickets.len());
    let sent = received(&fake.server).await;
    let queries: Vec<_> = sent
        .iter()
        .filter(|r| r.url.path().to_ascii_lowercase().contains("/tickets/query"))
        .collect();
    assert_eq!(queries.len(), tickets.len(), "one request per page");
    let first = json_body(queries[0]);
    assert_eq!(
        first,
        serde_json::json!({"filter": [{"op": "eq", "field": "companyID", "value": 29683617}], "MaxRecords": 1})
    );
    for next in &queries[1..] {
        assert_eq!(next.method.as_str(), "POST");
        assert!(
            next.url.path().ends_with("/Tickets/query/next"),
            "{}",
            next.url
        );
        assert_eq!(json_body(next), first);
    }
    // The same next-page URL, fetched with GET as older clients did.
    let get = mspkit_core::http::client_builder()
        .build()
        .unwrap()
        .get(format!(
            "{}{}?{}",
            fake.uri(),
            queries[1].url.path(),
            queries[1].url.query().unwrap_or_default()
        ))
        .header("ApiIntegrationCode", mock::INTEGRATION_CODE)
        .header("UserName", mock::USERNAME)
        .header("Secret", mock::SECRET)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status().as_u16(), 405);
    let body: serde_json::Value = get.json().await.unwrap();
    assert_eq!(
        body["errors"][0],
        "The requested resource does not support http method 'GET'."
    );
}

#[tokio::test]
async fn autotask_survives_hostile_servers() {
    psa_hostile(&Harness).await;
}
