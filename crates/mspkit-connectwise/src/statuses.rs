//! Board statuses, looked up once per board and kept for the client's life.
//!
//! A ticket names its status only by id and name; whether that status closes
//! the ticket (`closedStatus`) and whether it is the board's starting status
//! (`defaultFlag`) live on the board's status list. Status ids are per board,
//! so the cache is keyed by board: a sync of many tickets costs one look-up
//! per board, shared by concurrent pages.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use mspkit_core::http::Http;
use mspkit_core::{ErrorKind, Id, Result, StatusLookup, TicketState};
use tokio::sync::OnceCell;

use crate::api::BoardStatus;

/// The statuses of one board. Empty when the board's list could not be read
/// (no permission, or a board gone): states then come from the ticket's own
/// `closedFlag`.
#[derive(Debug, Default)]
pub(crate) struct Board {
    by_id: HashMap<i64, BoardStatus>,
    /// Active statuses in the board's order, for picking one by state.
    ordered: Vec<i64>,
}

impl Board {
    fn new(mut statuses: Vec<BoardStatus>) -> Self {
        statuses.sort_by_key(|s| (s.sort_order.unwrap_or(i64::MAX), s.id));
        let ordered = statuses
            .iter()
            .filter(|s| s.inactive != Some(true))
            .map(|s| s.id)
            .collect();
        let by_id = statuses.into_iter().map(|s| (s.id, s)).collect();
        Board { by_id, ordered }
    }

    pub(crate) fn get(&self, id: i64) -> Option<&BoardStatus> {
        self.by_id.get(&id)
    }
}

/// The first active status of the board in a state, in the board's order.
impl StatusLookup for Board {
    fn first_in(&self, state: TicketState) -> Option<Id> {
        self.ordered
            .iter()
            .find(|id| self.by_id.get(id).map(|s| state_of(None, Some(s))) == Some(state))
            .map(|id| Id::from(*id))
    }
}

/// The normalized state from ConnectWise's own flags: closed when the ticket
/// or its status says so, new in the board's starting status, open otherwise.
pub(crate) fn state_of(closed_flag: Option<bool>, status: Option<&BoardStatus>) -> TicketState {
    let closed = closed_flag == Some(true) || status.is_some_and(|s| s.closed_status == Some(true));
    if closed {
        TicketState::Closed
    } else if status.is_some_and(|s| s.default_flag == Some(true)) {
        TicketState::New
    } else {
        TicketState::Open
    }
}

type Slot = Arc<OnceCell<Arc<Board>>>;

/// The per-board cache.
#[derive(Debug, Default)]
pub(crate) struct Statuses {
    boards: Mutex<HashMap<i64, Slot>>,
}

impl Statuses {
    /// The statuses of `board`, fetched on first use. A transient failure is
    /// returned and the next call tries again; a board whose list is refused
    /// or missing is remembered as empty.
    pub(crate) async fn board(
        &self,
        http: &Http,
        op: &'static str,
        board: i64,
    ) -> Result<Arc<Board>> {
        let slot = {
            let mut boards = self.boards.lock().unwrap_or_else(PoisonError::into_inner);
            boards.entry(board).or_default().clone()
        };
        slot.get_or_try_init(|| fetch(http, op, board))
            .await
            .cloned()
    }
}

async fn fetch(http: &Http, op: &'static str, board: i64) -> Result<Arc<Board>> {
    // A board has a few dozen statuses at most: one page of the maximum size.
    let result = http
        .get(op, &format!("service/boards/{board}/statuses"))
        .query(&[("pageSize", "1000")])
        .send()
        .await
        .and_then(|resp| resp.json::<Vec<BoardStatus>>());
    match result {
        Ok(statuses) => Ok(Arc::new(Board::new(statuses))),
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::Forbidden) => {
            tracing::warn!(board, error = %e, "board statuses unavailable; using the tickets' closedFlag");
            Ok(Arc::new(Board::default()))
        }
        Err(e) => Err(e),
    }
}
