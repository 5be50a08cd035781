//! A response that came back 2xx, and decoding JSON with the field named on failure.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result, snippet};
use crate::model::Provider;

/// A successful response: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) provider: Provider,
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    /// The transport that received it, whose secrets a decode error's quote
    /// of the body is cleaned of.
    pub(crate) http: Option<super::Http>,
}

impl Response {
    /// The provider that answered.
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// The operation the response belongs to (for decode errors).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status (always 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header as text, when present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, owned.
    pub fn into_body(self) -> bytes::Bytes {
        self.body
    }

    /// Decodes the body as JSON into `T`; a mismatch is an
    /// [`ErrorKind::Decode`] error naming the field's path.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(self.provider, self.operation, &self.body).map_err(|e| self.redact(e))
    }

    /// `e`, an error about this response, ready for the caller: the
    /// transport's secrets cut out of what it quotes, and, when the answer
    /// was a web page before the API was ever reached, the hint of what to
    /// check.
    pub fn redact(&self, e: crate::Error) -> crate::Error {
        match &self.http {
            Some(http) => http.decode_hint(http.redact(e)),
            None => e,
        }
    }

    /// Decodes the body into `T` and, when `keep_raw` is on, also keeps it as
    /// a `serde_json::Value` for the item's `raw` field. With it off no
    /// `Value` is built.
    pub fn json_with_raw<T: DeserializeOwned>(
        &self,
        keep_raw: bool,
    ) -> Result<(T, Option<serde_json::Value>)> {
        let raw = if keep_raw { Some(self.json()?) } else { None };
        Ok((self.json()?, raw))
    }

    /// Decodes a bare JSON array into items of `T` (a bad value is a `Decode`
    /// error naming `[index].field`), each paired with its original object
    /// when `keep_raw` is on.
    pub fn json_items<T: DeserializeOwned>(
        &self,
        keep_raw: bool,
    ) -> Result<Vec<(T, Option<serde_json::Value>)>> {
        let items: Vec<T> = self.json()?;
        if !keep_raw {
            return Ok(items.into_iter().map(|item| (item, None)).collect());
        }
        let raws: Vec<serde_json::Value> = self.json()?;
        Ok(items.into_iter().zip(raws.into_iter().map(Some)).collect())
    }
}

/// A successful response whose body has not been read yet: for a page
/// walk that learns where the next page is from the headers (a `Link`) and
/// sends for it before reading and decoding this one.
pub struct ResponseHead {
    pub(crate) provider: Provider,
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) body: reqwest::Response,
    pub(crate) http: super::Http,
}

impl std::fmt::Debug for ResponseHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseHead")
            .field("provider", &self.provider)
            .field("operation", &self.operation)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl ResponseHead {
    /// The HTTP status (always 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.body.headers()
    }

    /// One header as text, when present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.body.headers().get(name).and_then(|v| v.to_str().ok())
    }

    /// Reads the body, up to the transport's body cap. A failure here is not
    /// retried by the transport (the request has been answered); a list walk
    /// sends the request again when the body was cut short.
    pub async fn read(self) -> Result<Response> {
        let headers = self.body.headers().clone();
        let (provider, operation) = (self.provider, self.operation);
        let cap = self.http.max_body_bytes();
        let body = super::read_body(self.body, cap).await.map_err(|e| {
            let e = match e {
                super::BodyError::TooLarge(n) => super::body_too_large(provider, operation, n, cap),
                super::BodyError::Read(e) => super::transport_error(provider, operation, e),
            };
            self.http.redact(e.with_reached_server(true))
        })?;
        Ok(Response {
            provider,
            operation,
            status: self.status,
            headers,
            body,
            http: Some(self.http),
        })
    }
}

/// Decodes JSON into `T`, naming the path of the field that did not fit.
///
/// The body is decoded straight with `serde_json` first; only when that
/// fails is it decoded again while tracking the path, which allocates for
/// every key and would otherwise make a large list cost half as much again.
pub fn decode_json<T: DeserializeOwned>(
    provider: Provider,
    operation: &'static str,
    body: &[u8],
) -> Result<T> {
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(plain) => {
            let de = &mut serde_json::Deserializer::from_slice(body);
            let (path, source) = match serde_path_to_error::deserialize::<_, T>(de) {
                Err(e) => (e.path().to_string(), e.into_inner()),
                // Cannot happen for the same bytes; report the first error as is.
                Ok(_) => (".".to_owned(), plain),
            };
            Err(Error::new(provider, operation, ErrorKind::Decode)
                .with_decode_path(path)
                .with_source(source)
                .with_snippet(snippet(body)))
        }
    }
}

/// Decodes one item of a list (already parsed) into `T`; a failure names the
/// field under `prefix` (`items[3]` gives `items[3].createDate`).
pub fn decode_value_at<T: DeserializeOwned>(
    provider: Provider,
    operation: &'static str,
    prefix: &str,
    value: serde_json::Value,
) -> Result<T> {
    decode_value(provider, operation, value).map_err(|e| match e.decode_path() {
        Some(".") => e.with_decode_path(prefix),
        Some(path) => {
            let path = format!("{prefix}.{path}");
            e.with_decode_path(path)
        }
        None => e,
    })
}

/// Decodes an already parsed JSON value into `T`, naming the failing field.
pub fn decode_value<T: DeserializeOwned>(
    provider: Provider,
    operation: &'static str,
    value: serde_json::Value,
) -> Result<T> {
    // Straight from a borrow first: the path is tracked only on failure.
    if let Ok(v) = T::deserialize(&value) {
        return Ok(v);
    }
    let text = value.to_string();
    serde_path_to_error::deserialize(&value).map_err(|e| {
        Error::new(provider, operation, ErrorKind::Decode)
            .with_decode_path(e.path().to_string())
            .with_source(e.into_inner())
            .with_snippet(snippet(text.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        items: Vec<Item>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: u64,
    }

    fn response(body: &'static str) -> Response {
        Response {
            provider: Provider::NinjaOne,
            operation: "devices",
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: bytes::Bytes::from_static(body.as_bytes()),
            http: None,
        }
    }

    #[test]
    fn items_keep_their_original_only_when_asked() {
        let resp = response(r#"[{"id":1,"extra":"kept"},{"id":2}]"#);
        let lean = resp.json_items::<Item>(false).unwrap();
        assert_eq!(
            lean.iter()
                .map(|(i, r)| (i.id, r.is_none()))
                .collect::<Vec<_>>(),
            [(1, true), (2, true)]
        );
        let raw = resp.json_items::<Item>(true).unwrap();
        assert_eq!(raw[0].1.as_ref().unwrap()["extra"], "kept");
        assert_eq!(raw[1].1.as_ref().unwrap()["id"], 2);
        let (one, raw) = response(r#"{"id":7,"x":1}"#)
            .json_with_raw::<Item>(true)
            .unwrap();
        assert_eq!((one.id, raw.unwrap()["x"].as_i64()), (7, Some(1)));
        let bad = response(r#"[{"id":1},{"id":"two"}]"#).json_items::<Item>(true);
        let bad = bad.unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::Decode, "{bad:?}");
        assert_eq!(bad.decode_path(), Some("[1].id"), "{bad:?}");
    }

    #[test]
    fn decode_errors_name_the_field() {
        let err = decode_json::<Page>(
            Provider::Datto,
            "devices",
            br#"{"items":[{"id":1},{"id":"x"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err:?}");
        assert_eq!(err.decode_path(), Some("items[1].id"));
        assert_eq!(err.operation(), "devices");
        assert!(err.snippet().unwrap().starts_with("{\"items\""));
        let truncated =
            decode_json::<Page>(Provider::Datto, "devices", br#"{"items":[{"id":1},{"i"#);
        assert_eq!(truncated.unwrap_err().kind(), ErrorKind::Decode);
    }
}
