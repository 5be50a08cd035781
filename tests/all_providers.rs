//! Every provider's fake server, synced end to end through `mspkit::Config`
//! and the normalized traits, as the demo does: every list arrives whole.

use mspkit_examples::{Count, start_fake_tenants, sync_all};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fake_tenant_syncs_completely_through_the_facade() {
    let fakes = start_fake_tenants().await;
    assert_eq!(fakes.tenants.len(), 15);
    let configs = fakes.tenants.iter().map(|(l, c, _)| (l.clone(), c.clone()));
    let summaries = sync_all(configs).await;
    for ((label, _, expected), summary) in fakes.tenants.iter().zip(&summaries) {
        let columns = [
            ("companies", expected.companies),
            ("contacts", expected.contacts),
            ("tickets", expected.tickets),
            ("agreements", expected.agreements),
            ("organizations", expected.organizations),
            ("sites", expected.sites),
            ("devices", expected.devices),
            ("alerts", expected.alerts),
        ];
        for (column, want) in columns {
            match (summary.count(column), want) {
                (Some(Count::Items(n)), Some(want)) => assert_eq!(*n, want, "{label} {column}"),
                (Some(Count::Unsupported), None) | (None, None) => {}
                (got, want) => panic!("{label} {column}: got {got:?}, the fake holds {want:?}"),
            }
        }
    }
    let table = mspkit_examples::render(&summaries);
    for (label, _, _) in &fakes.tenants {
        assert!(table.contains(label.as_str()), "the table lacks {label}");
    }
}
