//! The ticket settings look-up (status labels and technicians), read once
//! per client and shared by its clones, and the readers of single answers.

use std::sync::Arc;

use mspkit_core::http::{Http, Response, decode_value_at};
use mspkit_core::{Error, ErrorKind, Provider, Result};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::OnceCell;

use crate::api;
use crate::errors::refusal_in_success;
use crate::map::TicketLookups;

const P: Provider = Provider::Syncro;

/// The cached look-ups. A failed load is not cached: the next call tries again.
#[derive(Debug, Default)]
pub(crate) struct Lookups {
    tickets: OnceCell<Arc<TicketLookups>>,
}

impl Lookups {
    /// The account's status labels and technicians (`GET /tickets/settings`).
    pub(crate) async fn tickets(
        &self,
        http: &Http,
        op: &'static str,
    ) -> Result<Arc<TicketLookups>> {
        self.tickets
            .get_or_try_init(|| async {
                let resp = http.get(op, "tickets/settings").send().await?;
                let body = body_of(op, &resp)?;
                let settings: api::TicketSettings =
                    decode_value_at(P, op, "tickets/settings", body)?;
                Ok::<_, Error>(Arc::new(TicketLookups::new(settings)))
            })
            .await
            .cloned()
    }
}

/// A 2xx body as JSON; a refusal answered with 2xx (`"success": false`) is
/// the error it means.
pub(crate) fn body_of(op: &'static str, resp: &Response) -> Result<Value> {
    let body: Value = resp.json()?;
    match refusal_in_success(P, op, resp.status(), &body) {
        Some(e) => Err(e),
        None => Ok(body),
    }
}

/// The item of a single answer: under `key` (`{"ticket": {...}}`), or the
/// body itself when `bare` allows it and the body is the item (an object
/// with an `id`). A `null` answer means the item is gone (Syncro answers a
/// deleted contract with `null` and 200).
pub(crate) fn one<T: DeserializeOwned>(
    op: &'static str,
    body: Value,
    key: &'static str,
    bare: bool,
    keep_raw: bool,
) -> Result<(T, Option<Value>)> {
    let item = match body {
        Value::Null => {
            return Err(Error::new(P, op, ErrorKind::NotFound)
                .with_message("Syncro answered null")
                .with_reached_server(true));
        }
        Value::Object(mut map) => match map.remove(key) {
            Some(Value::Null) => {
                return Err(Error::new(P, op, ErrorKind::NotFound)
                    .with_message(format!("Syncro answered {key}: null"))
                    .with_reached_server(true));
            }
            Some(item) => item,
            None if bare && map.contains_key("id") => Value::Object(map),
            None => {
                let fields: Vec<&str> = map.keys().map(String::as_str).take(8).collect();
                let text = Value::Object(map.clone()).to_string();
                return Err(Error::decode(
                    P,
                    op,
                    key,
                    format!(
                        "the answer has no `{key}` (fields: {})",
                        if fields.is_empty() {
                            "none".to_owned()
                        } else {
                            fields.join(", ")
                        }
                    ),
                    &text,
                ));
            }
        },
        other => {
            let text = other.to_string();
            return Err(Error::decode(
                P,
                op,
                ".",
                format!("the answer is not an object holding `{key}`"),
                &text,
            ));
        }
    };
    let raw = keep_raw.then(|| item.clone());
    let path = if bare { "." } else { key };
    let value = decode_value_at(P, op, path, item)?;
    Ok((value, raw))
}
