use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use futures::TryStreamExt;

use super::*;
use crate::ErrorKind;

const P: Provider = Provider::Halo;

fn numbers(from: u32, n: u32) -> Vec<u32> {
    (from..from + n).collect()
}

#[tokio::test]
async fn walks_every_page_once_and_stops_at_the_end() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let items: Vec<u32> = Pager::new(P, "tickets")
        .stream(0u32, move |page| {
            c.fetch_add(1, Ordering::SeqCst);
            async move {
                let next = (page < 3).then_some(page + 1);
                Ok(Page::new(numbers(page * 10, 10), next).with_total(40))
            }
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, (0..40).collect::<Vec<_>>());
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_not_a_loop() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let results: Vec<Result<u32>> = Pager::new(P, "tickets")
        .stream("a".to_string(), move |cursor| {
            c.fetch_add(1, Ordering::SeqCst);
            async move {
                // a -> b -> a: the server loops.
                let next = if cursor == "a" { "b" } else { "a" };
                Ok(Page::new(vec![1], Some(next.to_string())))
            }
        })
        .collect()
        .await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let err = results.last().unwrap().as_ref().unwrap_err();
    assert!(err.kind() == ErrorKind::Paging, "{err:?}");
    assert!(err.to_string().contains("\"a\" a second time"), "{err}");
}

#[tokio::test]
async fn a_short_list_against_the_reported_total_is_an_error() {
    // The server says 717 but stops after two pages of 100: the Halo trap.
    let results: Vec<Result<u32>> = Pager::new(P, "tickets")
        .stream(1u32, |page| async move {
            Ok(Page::new(numbers(page * 100, 100), (page < 2).then_some(page + 1)).with_total(717))
        })
        .collect()
        .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 200);
    let err = results.last().unwrap().as_ref().unwrap_err();
    assert!(
        err.to_string().contains("reported 717 items but sent 200"),
        "{err}"
    );
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream_with_it() {
    let results: Vec<Result<u32>> = Pager::new(P, "tickets")
        .stream(0u32, |page| async move {
            if page == 2 {
                Err(Error::server(P, "tickets", 500, ""))
            } else {
                Ok(Page::new(vec![page], Some(page + 1)))
            }
        })
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(matches!(&results[2], Err(e) if e.kind() == ErrorKind::Server));
}

#[tokio::test]
async fn limit_and_filter_stop_early_without_extra_pages() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let items: Vec<u32> = Pager::new(P, "tickets")
        .limit(Some(15))
        .filter(|n| n % 2 == 0)
        .stream(0u32, move |page| {
            c.fetch_add(1, Ordering::SeqCst);
            async move { Ok(Page::new(numbers(page * 10, 10), Some(page + 1))) }
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, (0..30).filter(|n| n % 2 == 0).collect::<Vec<_>>());
    // Pages 0..=2 were needed; at most one more was already on its way.
    assert!(calls.load(Ordering::SeqCst) <= 4);
}

#[tokio::test(start_paused = true)]
async fn the_next_page_is_fetched_while_the_current_one_is_consumed() {
    let fetch_time = Duration::from_millis(40);
    let start = tokio::time::Instant::now();
    let mut s = Pager::new(P, "tickets").stream(0u32, move |page| async move {
        tokio::time::sleep(fetch_time).await;
        Ok(Page::new(vec![page], (page < 4).then_some(page + 1)))
    });
    while let Some(item) = s.next().await {
        item.unwrap();
        // The caller's own work per item takes as long as a page fetch.
        tokio::time::sleep(fetch_time).await;
    }
    // On the paused clock: sequential would be 5 fetches + 5 work units = 400 ms;
    // overlapped it is the first fetch plus 5 work units.
    assert_eq!(start.elapsed(), Duration::from_millis(240));
}

#[test]
fn changed_since_keeps_items_without_a_timestamp() {
    let t = chrono::DateTime::parse_from_rfc3339("2024-03-05T00:00:00Z")
        .unwrap()
        .to_utc();
    assert!(changed_since(None, Some(t)));
    assert!(changed_since(Some(t), None));
    assert!(changed_since(Some(t), Some(t)));
    assert!(!changed_since(
        Some(t - chrono::Duration::seconds(1)),
        Some(t)
    ));
}

#[tokio::test(start_paused = true)]
async fn an_early_page_sends_for_the_next_before_its_own_items_are_decoded() {
    let latency = Duration::from_millis(40);
    let decode = Duration::from_millis(40);
    let start = tokio::time::Instant::now();
    let items: Vec<u32> = Pager::new(P, "tickets")
        .stream_early(0u32, move |page| async move {
            tokio::time::sleep(latency).await; // the server's answer to the headers
            let next = (page < 4).then_some(page + 1);
            Ok(EarlyPage {
                next,
                rest: Box::pin(async move {
                    tokio::time::sleep(decode).await; // reading and decoding the body
                    // The rest's own cursor is ignored once the headers named one.
                    Ok(Page::new(vec![page], next.map(|_| 99)))
                }),
            })
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, vec![0, 1, 2, 3, 4]);
    // Sequential: 5 x (40 + 40) = 400 ms. Early: the first answer, then each
    // page's decoding overlaps the next page's latency.
    assert_eq!(start.elapsed(), Duration::from_millis(240));
}

#[tokio::test]
async fn an_early_page_without_a_cursor_lets_its_items_decide() {
    let items: Vec<u32> = Pager::new(P, "tickets")
        .stream_early(0u32, |page| async move {
            Ok(EarlyPage {
                next: None,
                rest: Box::pin(async move {
                    Ok(Page::new(vec![page], (page < 2).then_some(page + 1)).with_total(3))
                }),
            })
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, vec![0, 1, 2]);
}

#[tokio::test]
async fn an_early_cursor_seen_before_is_an_error() {
    let results: Vec<Result<u32>> = Pager::new(P, "tickets")
        .stream_early(0u32, |page| async move {
            Ok(EarlyPage {
                next: Some(0),
                rest: Box::pin(async move { Ok(Page::last(vec![page])) }),
            })
        })
        .collect()
        .await;
    assert!(
        matches!(&results.last(), Some(Err(e)) if e.kind() == ErrorKind::Paging),
        "{results:?}"
    );
}
