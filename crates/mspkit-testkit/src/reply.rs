//! [`Reply`]: a canned answer (status, body, content type, headers) in the
//! platform's own words, used for refusals (401, 403, 429) and misses (404).

use serde_json::Value;
use wiremock::ResponseTemplate;

/// A canned response: a status, a body with its content type, and headers.
///
/// Platforms refuse in their own ways, so the fake says exactly what the
/// platform says:
///
/// ```
/// use mspkit_testkit::Reply;
/// use serde_json::json;
///
/// // ASP.NET (HaloPSA): a JSON object.
/// let halo = Reply::json(401, json!({"Message": "Authorization has been denied for this request."}));
/// // Autotask: a bare 401.
/// let autotask = Reply::empty(401);
/// // A plain-text refusal, with a challenge header.
/// let text = Reply::text(401, "Unauthorized").header("www-authenticate", "Bearer");
/// # let _ = (halo, autotask, text);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    status: u16,
    body: Vec<u8>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
}

impl Reply {
    /// `status` with no body at all.
    pub fn empty(status: u16) -> Self {
        Reply {
            status,
            body: Vec::new(),
            content_type: None,
            headers: Vec::new(),
        }
    }

    /// `status` with a JSON body (`application/json`).
    pub fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            body: body.to_string().into_bytes(),
            content_type: Some("application/json".into()),
            headers: Vec::new(),
        }
    }

    /// `status` with a plain-text body (`text/plain; charset=utf-8`).
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            body: body.into().into_bytes(),
            content_type: Some("text/plain; charset=utf-8".into()),
            headers: Vec::new(),
        }
    }

    /// `status` with these bytes as the body, sent as `content_type`.
    pub fn raw(status: u16, body: impl Into<Vec<u8>>, content_type: impl Into<String>) -> Self {
        Reply {
            status,
            body: body.into(),
            content_type: Some(content_type.into()),
            headers: Vec::new(),
        }
    }

    /// Adds a response header (`WWW-Authenticate`, `Retry-After`...).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The response to send.
    pub fn template(&self) -> ResponseTemplate {
        let mut t = ResponseTemplate::new(self.status);
        if let Some(ct) = &self.content_type {
            t = t.set_body_raw(self.body.clone(), ct);
        }
        for (name, value) in &self.headers {
            t = t.insert_header(name.as_str(), value.as_str());
        }
        t
    }
}

impl From<Reply> for ResponseTemplate {
    fn from(r: Reply) -> Self {
        r.template()
    }
}

impl From<&Reply> for ResponseTemplate {
    fn from(r: &Reply) -> Self {
        r.template()
    }
}

/// An OAuth2 error body (RFC 6749 §5.2): `{"error", "error_description"}`.
pub fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        serde_json::json!({ "error": error, "error_description": description }),
    )
}
