//! One request to send through [`Http`](super::Http).

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::{Http, Response, ResponseHead, Sent};
use crate::error::{Error, ErrorKind, Result};

/// A request being put together: method, URL, headers, body. It is kept
/// whole (not streamed) so that a retry sends exactly the same bytes.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    pub(crate) http: Http,
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<bytes::Bytes>,
    pub(crate) idempotent: Option<bool>,
    pub(crate) error: Option<String>,
    pub(crate) target: Option<String>,
    /// The path to join to a root that is discovered when the request is sent.
    pub(crate) relative: Option<String>,
}

impl ApiRequest {
    pub(crate) fn new(http: Http, operation: &'static str, method: Method, url: Url) -> Self {
        ApiRequest {
            http,
            operation,
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            idempotent: None,
            error: None,
            target: None,
            relative: None,
        }
    }

    /// Names what the request is about (the id `42` of `ticket(42)`), so
    /// that its errors say so: `halo ticket 42: not found`.
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// `e`, naming this request's target when it has one.
    pub(crate) fn tag(&self, e: Error) -> Error {
        match &self.target {
            Some(target) if e.target().is_none() => e.with_target(target.clone()),
            _ => e,
        }
    }

    /// Appends query parameters, form-encoded (`a b` becomes `a+b`).
    pub fn query<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        // No pairs, no `?`: an empty query string is still sent otherwise.
        if pairs.is_empty() {
            return self;
        }
        {
            let mut q = self.url.query_pairs_mut();
            for (k, v) in pairs {
                q.append_pair(k.as_ref(), v.as_ref());
            }
        }
        self
    }

    /// Appends one query parameter when it has a value.
    pub fn query_opt(self, key: &str, value: Option<impl AsRef<str>>) -> Self {
        match value {
            Some(v) => self.query(&[(key, v.as_ref())]),
            None => self,
        }
    }

    /// Sets the whole query string as given (without `?`), for signed
    /// requests, where the signed string and the sent string must be the
    /// same. Pass it already percent-encoded: only characters a query cannot
    /// hold at all (space, `"`, `#`, `<`, `>`) would still be encoded, and
    /// auth signs the URL after that, so the signature always covers what is
    /// sent.
    pub fn raw_query(mut self, query: &str) -> Self {
        self.url
            .set_query(if query.is_empty() { None } else { Some(query) });
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sends `body` as JSON.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                self.body = Some(bytes.into());
            }
            Err(e) => self.error = Some(format!("the request body cannot be serialized: {e}")),
        }
        self
    }

    /// Sends form-encoded fields.
    pub fn form<K: AsRef<str>, V: AsRef<str>>(mut self, fields: &[(K, V)]) -> Self {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            ser.append_pair(k.as_ref(), v.as_ref());
        }
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self.body = Some(ser.finish().into_bytes().into());
        self
    }

    /// Says whether sending this request twice is harmless. By default GET,
    /// HEAD, PUT, DELETE and OPTIONS are, POST and PATCH are not; a POST that
    /// only reads (Autotask's `/query`) can say so here to be retried.
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = Some(yes);
        self
    }

    /// The URL as it will be sent (before auth adds to it).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Sends the request: auth, rate limit, retries, error mapping.
    pub async fn send(self) -> Result<Response> {
        match self.dispatch(false).await? {
            Sent::Whole(resp) => Ok(resp),
            Sent::Head(head) => head.read().await,
        }
    }

    /// Sends the request like [`send`](Self::send), but returns as soon as a
    /// successful answer's headers are in; read the body with
    /// [`ResponseHead::read`]. Errors are mapped (and retried) as for `send`.
    pub async fn send_head(self) -> Result<ResponseHead> {
        match self.dispatch(true).await? {
            Sent::Head(head) => Ok(head),
            // Only a successful answer is handed back early.
            Sent::Whole(resp) => Err(Error::api(
                resp.provider,
                resp.operation,
                resp.status.as_u16(),
                "unexpected response",
            )),
        }
    }

    async fn dispatch(self, defer_body: bool) -> Result<Sent> {
        if let Some(message) = self.error.clone() {
            return Err(self.tag(
                Error::new(self.http.provider(), self.operation, ErrorKind::Config)
                    .with_message(message),
            ));
        }
        let http = self.http.clone();
        let mut req = self;
        if let Some(path) = req.relative.take() {
            let root = http.root().await.map_err(|e| req.tag(e))?;
            match super::join_under(&root, &path) {
                Ok(mut url) => {
                    url.set_query(req.url.query());
                    req.url = url;
                }
                Err(e) => {
                    return Err(req.tag(
                        Error::new(http.provider(), req.operation, ErrorKind::Config)
                            .with_message(format!("path {path:?}: {e}")),
                    ));
                }
            }
        }
        http.execute(req, defer_body).await
    }

    /// Sends the request and decodes the JSON body into `T`.
    pub async fn send_json<T: DeserializeOwned>(self) -> Result<T> {
        self.send().await?.json()
    }

    /// Sends the request and checks that the answer is JSON, keeping none
    /// of it: the cheapest proof that the API answered, for a
    /// `test_connection`. A web UI or a login page answers 200 too.
    pub async fn send_probe(self) -> Result<()> {
        self.send_json::<serde::de::IgnoredAny>().await.map(drop)
    }

    pub(crate) fn is_idempotent(&self) -> bool {
        self.idempotent.unwrap_or(matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        ))
    }
}
