use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use super::{Auth, AuthContext, AuthStamp, sensitive_header};
use crate::error::{Error, Result};

/// A request signature: base64 of HMAC-SHA256 over the request's query string
/// (without `?`; the empty string when there is none), keyed with the API key,
/// sent beside the API id (Unleashed's `api-auth-id` / `api-auth-signature`).
///
/// The signature is computed from the URL of the very request being sent, so
/// the string that is signed and the string on the wire are the same by
/// construction: build the query once (see `ApiRequest::raw_query`) and sign
/// nothing else.
pub struct HmacSignature {
    id_header: HeaderName,
    id: String,
    signature_header: HeaderName,
    key: SecretString,
}

impl HmacSignature {
    /// Signs with `key`, sending `id` in `id_header` and the signature in `signature_header`.
    pub fn new(
        id_header: HeaderName,
        id: impl Into<String>,
        signature_header: HeaderName,
        key: SecretString,
    ) -> Self {
        HmacSignature {
            id_header,
            id: id.into(),
            signature_header,
            key,
        }
    }

    /// The signature of `message`: base64(HMAC-SHA256(key, message)).
    pub fn sign(&self, message: &str) -> String {
        sign_hmac_sha256(self.key.expose_secret().as_bytes(), message.as_bytes())
    }
}

/// base64(HMAC-SHA256(key, message)), standard alphabet with padding.
pub(crate) fn sign_hmac_sha256(key: &[u8], message: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(message);
    STANDARD.encode(mac.finalize().into_bytes())
}

impl std::fmt::Debug for HmacSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HmacSignature")
            .field("id_header", &self.id_header)
            .field("signature_header", &self.signature_header)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Auth for HmacSignature {
    async fn authorize(
        &self,
        ctx: &AuthContext<'_>,
        req: &mut reqwest::Request,
    ) -> Result<AuthStamp> {
        let signature = self.sign(req.url().query().unwrap_or(""));
        let id = HeaderValue::from_str(&self.id).map_err(|_| {
            Error::config(
                ctx.provider,
                "the API id has characters not allowed in a header",
            )
        })?;
        req.headers_mut().insert(self.id_header.clone(), id);
        req.headers_mut().insert(
            self.signature_header.clone(),
            sensitive_header(ctx.provider, &signature)?,
        );
        Ok(AuthStamp::default())
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.key.expose_secret().to_owned()]
    }
}
