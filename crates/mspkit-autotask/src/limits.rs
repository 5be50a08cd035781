//! Autotask allows at most three requests at a time per entity endpoint
//! (per integration); a fourth is refused. Every request of a client (and of
//! its clones) takes a permit for its entity first, so a busy sync queues
//! instead of being refused.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Requests in flight per entity endpoint that Autotask accepts.
pub const CONCURRENT_REQUESTS_PER_ENDPOINT: usize = 3;

/// One semaphore per entity endpoint, created on first use.
#[derive(Debug, Default)]
pub(crate) struct EndpointGate {
    endpoints: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl EndpointGate {
    /// Waits for a free slot on `entity` (`Tickets`, `TicketNotes`).
    /// `None` only if the semaphore were closed, which this type never does.
    pub(crate) async fn enter(&self, entity: &str) -> Option<OwnedSemaphorePermit> {
        let semaphore = {
            // A poisoned map only means another task panicked while inserting;
            // the map itself is still whole.
            let mut map = self
                .endpoints
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            map.entry(entity.to_ascii_lowercase())
                .or_insert_with(|| Arc::new(Semaphore::new(CONCURRENT_REQUESTS_PER_ENDPOINT)))
                .clone()
        };
        semaphore.acquire_owned().await.ok()
    }

    /// Slots in use on `entity` right now.
    #[cfg(test)]
    pub(crate) fn in_use(&self, entity: &str) -> usize {
        let map = self
            .endpoints
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.get(&entity.to_ascii_lowercase())
            .map(|s| CONCURRENT_REQUESTS_PER_ENDPOINT - s.available_permits())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fourth_request_waits_for_a_slot() {
        let gate = Arc::new(EndpointGate::default());
        let a = gate.enter("Tickets").await;
        let _b = gate.enter("tickets").await;
        let _c = gate.enter("Tickets").await;
        assert_eq!(gate.in_use("Tickets"), 3);
        let g = gate.clone();
        let fourth = tokio::spawn(async move { g.enter("Tickets").await });
        tokio::task::yield_now().await;
        assert!(!fourth.is_finished());
        // Other endpoints are not held up.
        let _other = gate.enter("Companies").await;
        drop(a);
        let _d = fourth.await.unwrap();
        assert_eq!(gate.in_use("Tickets"), 3);
    }
}
