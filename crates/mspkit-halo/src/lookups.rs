//! Status and priority look-ups, read once per client and shared by its clones.

use std::sync::Arc;

use mspkit_core::http::Http;
use mspkit_core::{Error, ErrorKind, Result};
use serde_json::Value;
use tokio::sync::OnceCell;

use crate::api;
use crate::map::{PriorityTable, StatusTable};
use crate::paging::{decode_item, split_list};

/// The cached look-ups. A failed load is not cached: the next call tries again.
#[derive(Debug, Default)]
pub(crate) struct Lookups {
    statuses: OnceCell<Arc<StatusTable>>,
    priorities: OnceCell<Arc<PriorityTable>>,
}

impl Lookups {
    /// The ticket statuses (`GET /api/Status?type=ticket`).
    pub(crate) async fn statuses(&self, http: &Http, op: &'static str) -> Result<Arc<StatusTable>> {
        self.statuses
            .get_or_try_init(|| async { Ok::<_, Error>(Arc::new(load_statuses(http, op).await?)) })
            .await
            .cloned()
    }

    /// Keeps statuses read elsewhere, when none are cached yet.
    pub(crate) fn offer_statuses(&self, table: StatusTable) {
        let _ = self.statuses.set(Arc::new(table));
    }

    /// The priorities of every SLA (`GET /api/Priority`). An instance without
    /// that endpoint gives tickets priorities without labels.
    pub(crate) async fn priorities(
        &self,
        http: &Http,
        op: &'static str,
    ) -> Result<Arc<PriorityTable>> {
        self.priorities
            .get_or_try_init(|| async {
                let table =
                    match load_list::<api::Priority>(http, op, "Priority", &[], "priorities").await
                    {
                        Ok(list) => PriorityTable::new(list),
                        Err(e) if e.kind() == ErrorKind::NotFound => PriorityTable::default(),
                        Err(e) => return Err(e),
                    };
                Ok(Arc::new(table))
            })
            .await
            .cloned()
    }
}

pub(crate) async fn load_statuses(http: &Http, op: &'static str) -> Result<StatusTable> {
    let list =
        load_list::<api::Status>(http, op, "Status", &[("type", "ticket")], "statuses").await?;
    Ok(StatusTable::new(list))
}

async fn load_list<T: serde::de::DeserializeOwned>(
    http: &Http,
    op: &'static str,
    path: &str,
    query: &[(&str, &str)],
    key: &'static str,
) -> Result<Vec<T>> {
    let body: Value = http.get(op, path).query(query).send().await?.json()?;
    let (items, _) = split_list(op, key, body)?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| decode_item(op, key, i, v))
        .collect()
}
