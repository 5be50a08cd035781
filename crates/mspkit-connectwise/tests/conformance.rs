//! The PSA conformance suite against the fake ConnectWise Manage.

// Helpers outside #[test] fns unwrap too: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use futures::TryStreamExt;
use mspkit_connectwise::{ConnectWiseClient, ConnectWiseClientBuilder, ConnectWiseSettings};
use mspkit_core::http::{Http, RetryPolicy};
use mspkit_core::{
    ErrorKind, ListQuery, NewNote, NewTicket, Operation, PriorityLevel, PsaClient, Result,
    TicketQuery, TicketState, TicketUpdate,
};
use mspkit_testkit::{FakeServer, PsaHarness, psa_conformance, psa_hostile};

struct ConnectWise;

#[mspkit_core::async_trait]
impl PsaHarness for ConnectWise {
    type Settings = ConnectWiseSettings;

    async fn start(&self) -> FakeServer<ConnectWiseSettings> {
        mspkit_connectwise::mock::start().await
    }

    fn client(
        &self,
        fake: &FakeServer<ConnectWiseSettings>,
        retry: RetryPolicy,
    ) -> Result<Box<dyn PsaClient>> {
        let client = ConnectWiseClientBuilder::from_settings(&fake.settings)
            .retry_policy(retry)
            .build()?;
        Ok(Box::new(client))
    }

    /// Every list takes `conditions=lastUpdated >= [..]`.
    fn server_side_updated_since(&self) -> Vec<Operation> {
        vec![
            Operation::Companies,
            Operation::Contacts,
            Operation::Tickets,
            Operation::Agreements,
        ]
    }

    fn updated_since_params(&self) -> Vec<(Operation, &'static str)> {
        self.server_side_updated_since()
            .into_iter()
            .map(|op| (op, "conditions"))
            .collect()
    }

    /// ConnectWise publishes no request budget.
    fn documented_rate_limit(&self) -> Option<mspkit_core::http::RateLimit> {
        None
    }

    async fn default_transport(&self, fake: &FakeServer<ConnectWiseSettings>) -> Option<Http> {
        let client = ConnectWiseClient::from_settings(&fake.settings).ok()?;
        Some(client.http().clone())
    }
}

#[tokio::test]
async fn connectwise_passes_psa_conformance() {
    psa_conformance(&ConnectWise).await;
}

fn client(fake: &FakeServer<ConnectWiseSettings>) -> ConnectWiseClient {
    ConnectWiseClient::from_settings(&fake.settings).unwrap()
}

/// The fake server checks credentials as ConnectWise does and honours the
/// filters, so tests against it mean something.
#[tokio::test]
async fn the_fake_server_checks_credentials_and_filters() {
    let fake = mspkit_connectwise::mock::start().await;
    let mut wrong = fake.settings.clone();
    wrong.private_key = "not-the-key".into();
    let r = ConnectWiseClient::from_settings(&wrong)
        .unwrap()
        .test_connection()
        .await;
    assert!(
        matches!(&r, Err(e) if e.kind() == ErrorKind::Unauthorized),
        "{r:?}"
    );

    let c = client(&fake);
    let all: Vec<_> = c.tickets(TicketQuery::new()).try_collect().await.unwrap();
    let open: Vec<_> = c
        .tickets(TicketQuery::new().open())
        .try_collect()
        .await
        .unwrap();
    let closed: Vec<_> = c
        .tickets(TicketQuery::new().closed())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(open.len() + closed.len(), all.len());
    assert!(!open.is_empty() && !closed.is_empty());
    assert!(
        closed
            .iter()
            .all(|t| t.status.state == TicketState::Closed && t.closed_at.is_some())
    );
    assert!(open.iter().any(|t| t.status.state == TicketState::New));
    // The tenant's own "Scheduled Maintenance" priority sorts first (0): not critical.
    let maintenance: Vec<_> = all
        .iter()
        .filter_map(|t| t.priority.as_ref())
        .filter(|p| p.label.as_deref() == Some("Scheduled Maintenance"))
        .collect();
    assert!(!maintenance.is_empty());
    assert!(maintenance.iter().all(|p| p.level == PriorityLevel::Other));

    let contacts: Vec<_> = c
        .contacts(ListQuery::new().company("250"))
        .try_collect()
        .await
        .unwrap();
    assert!(!contacts.is_empty());
    assert!(
        contacts
            .iter()
            .all(|c| c.company_id.as_ref().map(|i| i.as_str()) == Some("250"))
    );
    assert!(
        contacts
            .iter()
            .all(|c| c.email.is_some() && c.phone.is_some())
    );
}

/// Create, move by normalized state, and note, against the fake.
#[tokio::test]
async fn writes_round_trip_through_the_fake_server() {
    let fake = mspkit_connectwise::mock::start().await;
    let c = client(&fake);
    let created = c
        .create_ticket(
            NewTicket::new("Outlook keeps asking for the password")
                .description("Since this morning, on every PC in the office.")
                .company("251")
                .extra("board", serde_json::json!({"id": 1})),
        )
        .await
        .unwrap();
    assert_eq!(created.status.state, TicketState::New);
    assert_eq!(created.company_id.as_ref().map(|i| i.as_str()), Some("251"));
    let read = c.ticket(&created.id).await.unwrap();
    assert_eq!(
        read.description.as_deref(),
        Some("Since this morning, on every PC in the office.")
    );

    let closed = c
        .update_ticket(&created.id, TicketUpdate::new().state(TicketState::Closed))
        .await
        .unwrap();
    assert_eq!(closed.status.state, TicketState::Closed);
    assert_eq!(closed.status.label.as_deref(), Some("Resolved"));

    let note = c
        .add_ticket_note(
            &created.id,
            NewNote::internal("Reset the cached credentials."),
        )
        .await
        .unwrap();
    assert!(note.internal);
    let notes: Vec<_> = c.ticket_notes(&created.id).try_collect().await.unwrap();
    assert_eq!(notes.len(), 2);

    let missing = c.create_ticket(NewTicket::new("x").company("19299")).await;
    match missing {
        Err(e) if e.kind() == ErrorKind::Api && e.status() == Some(400) => {
            let code = e.code();
            let details = e.details();
            assert_eq!(code, Some("InvalidObject"));
            assert_eq!(
                details,
                vec!["company/id: company 19299 not found [NotFound]".to_owned()]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn connectwise_survives_hostile_servers() {
    psa_hostile(&ConnectWise).await;
}
