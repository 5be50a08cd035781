//! [`ById`]: `GET {prefix}/{id}` served from a list of items, with the
//! platform's 404 for an id it does not hold.

use std::sync::Arc;

use serde_json::Value;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::query::{field, text_of};
use crate::reply::Reply;

/// The item of `items` whose `id_field` (a name or JSON pointer) reads as
/// `id` (compared as text, so `12` matches both `12` and `"12"`).
pub fn find_by_id<'a>(items: &'a [Value], id_field: &str, id: &str) -> Option<&'a Value> {
    items
        .iter()
        .find(|v| field(v, id_field).is_some_and(|f| text_of(f) == id))
}

type Render = dyn Fn(&Value) -> ResponseTemplate + Send + Sync;

/// Serves `GET {prefix}/{id}` from `items`: the item whose id field matches
/// the path segment after `prefix`, else the `missing` reply. Mount it on a
/// path that has exactly one segment after the prefix
/// (`path_regex(r"^/api/Tickets/[^/]+$")`).
///
/// ```
/// use mspkit_testkit::{ById, Reply};
/// use serde_json::json;
///
/// let tickets = vec![json!({"id": 1, "summary": "VPN down"})];
/// let by_id = ById::new("/api/Tickets", tickets, "id", Reply::json(404, json!({"message": "not found"})))
///     // Autotask wraps the item.
///     .render(|item| wiremock::ResponseTemplate::new(200).set_body_json(json!({"item": item})));
/// # let _ = by_id;
/// ```
#[derive(Clone)]
pub struct ById {
    prefix: String,
    items: Arc<Vec<Value>>,
    id_field: String,
    missing: Reply,
    ignore_case: bool,
    render: Arc<Render>,
}

impl ById {
    /// Looks items up under `prefix` by `id_field`; a miss gets `missing`.
    pub fn new(
        prefix: impl Into<String>,
        items: Vec<Value>,
        id_field: impl Into<String>,
        missing: Reply,
    ) -> Self {
        ById {
            prefix: prefix.into().trim_end_matches('/').to_owned(),
            items: Arc::new(items),
            id_field: id_field.into(),
            missing,
            ignore_case: false,
            render: Arc::new(|v| ResponseTemplate::new(200).set_body_json(v)),
        }
    }

    /// Compares ids ignoring ASCII case (GUIDs).
    pub fn ignore_case(mut self) -> Self {
        self.ignore_case = true;
        self
    }

    /// Renders a found item (the bare item with 200 unless set).
    pub fn render(
        mut self,
        render: impl Fn(&Value) -> ResponseTemplate + Send + Sync + 'static,
    ) -> Self {
        self.render = Arc::new(render);
        self
    }

    /// The id the request names: the path segment after the prefix.
    pub fn id_of(&self, request: &Request) -> Option<String> {
        let rest = request.url.path().strip_prefix(self.prefix.as_str())?;
        let id = rest.strip_prefix('/')?.trim_end_matches('/');
        (!id.is_empty() && !id.contains('/')).then(|| percent_decode(id))
    }
}

/// Decodes `%XX` escapes in a path segment.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let escaped = (b[i] == b'%')
            .then(|| b.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Respond for ById {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(id) = self.id_of(request) else {
            return self.missing.template();
        };
        let found = self.items.iter().find(|v| {
            field(v, &self.id_field).is_some_and(|f| {
                let f = text_of(f);
                if self.ignore_case {
                    f.eq_ignore_ascii_case(&id)
                } else {
                    f == id
                }
            })
        });
        match found {
            Some(v) => (self.render)(v),
            None => self.missing.template(),
        }
    }
}
