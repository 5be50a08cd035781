//! What the client sends: ids as ConnectWise integers, `conditions`
//! expressions, and the bodies of the write operations.

use chrono::{DateTime, Utc};
use mspkit_core::model::merge_extra;
use mspkit_core::{Error, ErrorKind, Id, NewNote, NewTicket, Provider, Result};
use serde_json::{Map, Value, json};

const P: Provider = Provider::ConnectWise;

/// A ConnectWise id (an integer). Anything else is refused before it can
/// reach a path or a `conditions` expression.
pub(crate) fn int_id(op: &'static str, what: &str, id: &Id) -> Result<i64> {
    id.as_str().trim().parse().map_err(|_| {
        Error::new(P, op, ErrorKind::Config)
            .with_target(id.as_str())
            .with_message(format!(
                "{what} id {:?} is not a ConnectWise id (ids are integers)",
                id.as_str()
            ))
    })
}

/// A `conditions` expression: the parts joined with `AND`.
#[derive(Debug, Default)]
pub(crate) struct Conditions(Vec<String>);

impl Conditions {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// `lastUpdated > [2024-03-05T06:07:08Z]`.
    pub(crate) fn updated_since(mut self, since: Option<DateTime<Utc>>) -> Self {
        if let Some(t) = since {
            // `>=` so that an item changed in the very second of the last sync is not missed.
            self.0.push(format!(
                "lastUpdated >= [{}]",
                t.format("%Y-%m-%dT%H:%M:%SZ")
            ));
        }
        self
    }

    /// `company/id=250`.
    pub(crate) fn company(mut self, id: Option<i64>) -> Self {
        if let Some(id) = id {
            self.0.push(format!("company/id={id}"));
        }
        self
    }

    /// `closedFlag=false`.
    pub(crate) fn closed(mut self, closed: Option<bool>) -> Self {
        if let Some(c) = closed {
            self.0.push(format!("closedFlag={c}"));
        }
        self
    }

    pub(crate) fn build(self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.0.join(" AND "))
    }
}

fn reference(id: i64) -> Value {
    json!({ "id": id })
}

/// `POST /service/tickets`: the board comes from `extra["board"]`, else the
/// builder's default board, else the server's default.
pub(crate) fn new_ticket(
    op: &'static str,
    t: &NewTicket,
    default_board: Option<i64>,
) -> Result<Map<String, Value>> {
    let mut body = Map::new();
    body.insert("summary".into(), Value::from(t.summary.clone()));
    if let Some(d) = &t.description {
        body.insert("initialDescription".into(), Value::from(d.clone()));
    }
    let refs = [
        ("company", &t.company_id),
        ("contact", &t.contact_id),
        ("status", &t.status_id),
        ("priority", &t.priority_id),
    ];
    for (key, id) in refs {
        if let Some(id) = id {
            body.insert(key.into(), reference(int_id(op, key, id)?));
        }
    }
    if let Some(board) = default_board {
        body.insert("board".into(), reference(board));
    }
    merge_extra(&mut body, &t.extra);
    Ok(body)
}

/// A JSON-Patch document for `PATCH /service/tickets/{id}`.
#[derive(Debug, Default)]
pub(crate) struct Patch(Vec<(String, Value)>);

impl Patch {
    /// Replaces `path` with `value`; a later replace of the same path wins.
    pub(crate) fn replace(&mut self, path: &str, value: Value) {
        self.0.retain(|(p, _)| p != path);
        self.0.push((path.to_owned(), value));
    }

    pub(crate) fn reference(&mut self, path: &str, id: i64) {
        self.replace(path, reference(id));
    }

    pub(crate) fn extra(&mut self, extra: &Map<String, Value>) {
        for (k, v) in extra {
            self.replace(k, v.clone());
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_json(self) -> Value {
        self.0
            .into_iter()
            .map(|(path, value)| json!({ "op": "replace", "path": path, "value": value }))
            .collect()
    }
}

/// `POST /service/tickets/{id}/notes`: a customer-visible note is
/// discussion (`detailDescriptionFlag`), an internal one internal analysis.
pub(crate) fn new_note(n: &NewNote) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("text".into(), Value::from(n.text.clone()));
    body.insert("detailDescriptionFlag".into(), Value::from(!n.internal));
    body.insert("internalAnalysisFlag".into(), Value::from(n.internal));
    body.insert("resolutionFlag".into(), Value::from(false));
    merge_extra(&mut body, &n.extra);
    body
}
