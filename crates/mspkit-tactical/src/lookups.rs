//! The client directory: which client each site belongs to, and each
//! client's id by name. Agent details and alerts name their client only by
//! name (or by site), so the normalized `organization_id` is looked up here.
//!
//! It is read from `GET /clients/` on first use and shared by clones of the
//! client; a name or site it does not know (a client added since) reloads it
//! once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use mspkit_core::http::Http;
use mspkit_core::{Id, Result};

use crate::api;

/// What `GET /clients/` says about ids and names.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    client_of_site: HashMap<i64, i64>,
    client_by_name: HashMap<String, i64>,
}

impl Directory {
    pub(crate) fn new(clients: &[api::Client]) -> Self {
        let mut d = Directory::default();
        for c in clients {
            d.client_by_name.insert(c.name.clone(), c.id);
            for s in &c.sites {
                d.client_of_site.insert(s.id, s.client.unwrap_or(c.id));
            }
        }
        d
    }

    /// The client a site belongs to.
    pub(crate) fn client_of_site(&self, site: i64) -> Option<Id> {
        self.client_of_site.get(&site).map(|c| Id::from(*c))
    }

    /// A client's id by its (unique) name.
    pub(crate) fn client_named(&self, name: &str) -> Option<Id> {
        self.client_by_name.get(name).map(|c| Id::from(*c))
    }
}

/// The cached directory.
#[derive(Debug, Default)]
pub(crate) struct Lookups {
    directory: Mutex<Option<Arc<Directory>>>,
}

impl Lookups {
    /// The directory, read on first use.
    pub(crate) async fn directory(&self, http: &Http, op: &'static str) -> Result<Arc<Directory>> {
        let cached = self
            .directory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match cached {
            Some(d) => Ok(d),
            None => self.reload(http, op).await,
        }
    }

    /// Reads the directory again (something it did not know was asked for).
    pub(crate) async fn reload(&self, http: &Http, op: &'static str) -> Result<Arc<Directory>> {
        let clients = fetch_clients(http, op).await?;
        Ok(self.store(&clients))
    }

    /// Replaces the directory with what a fresh `GET /clients/` said.
    pub(crate) fn store(&self, clients: &[api::Client]) -> Arc<Directory> {
        let d = Arc::new(Directory::new(clients));
        *self
            .directory
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(d.clone());
        d
    }
}

/// `GET /clients/`: every client the key's user may see, with its sites.
pub(crate) async fn fetch_clients(http: &Http, op: &'static str) -> Result<Vec<api::Client>> {
    http.get(op, crate::client::CLIENTS).send().await?.json()
}
