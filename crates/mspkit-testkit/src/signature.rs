//! [`HmacQuerySignature`]: a request signed with base64(HMAC-SHA256) of its
//! query string (Unleashed's `api-auth-id` / `api-auth-signature`).
//!
//! The signature is computed here, independently of any provider's signer,
//! so the fake proves the client's signing rather than repeating it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use wiremock::{Request, ResponseTemplate};

use crate::auth::{Credential, header_value};
use crate::reply::Reply;

/// base64 (standard alphabet, padded) of HMAC-SHA256 of `message` keyed with `key`.
///
/// ```
/// // A worked example from Unleashed's documentation.
/// assert_eq!(
///     mspkit_testkit::hmac_sha256_base64("test-api-key", "customerCode=ACME"),
///     "s6KpobrGkQepswTQvcBvSBIR2gerxSxdakOIby2olOA="
/// );
/// ```
pub fn hmac_sha256_base64(key: &str, message: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        unreachable!("HMAC takes keys of any length")
    };
    mac.update(message.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A signed request: header `id_header` must carry the API id and
/// `signature_header` the HMAC of the query string exactly as received
/// (without `?`; the empty string when there is none).
///
/// A missing header gets `refusal`; a wrong id or signature gets the
/// `wrong` reply when set (Unleashed: 401 for missing, 403 for wrong).
#[derive(Debug, Clone)]
pub struct HmacQuerySignature {
    id_header: String,
    id: String,
    signature_header: String,
    key: String,
    refusal: Reply,
    wrong: Option<Reply>,
}

impl HmacQuerySignature {
    /// Checks `id_header: id` and `signature_header: base64(HMAC-SHA256(key, query))`.
    pub fn new(
        id_header: impl Into<String>,
        id: impl Into<String>,
        signature_header: impl Into<String>,
        key: impl Into<String>,
        refusal: Reply,
    ) -> Self {
        HmacQuerySignature {
            id_header: id_header.into(),
            id: id.into(),
            signature_header: signature_header.into(),
            key: key.into(),
            refusal,
            wrong: None,
        }
    }

    /// A wrong id or signature gets `reply` (a missing header still gets the refusal).
    pub fn wrong(mut self, reply: Reply) -> Self {
        self.wrong = Some(reply);
        self
    }

    /// The signature this check expects for `query`.
    pub fn sign(&self, query: &str) -> String {
        hmac_sha256_base64(&self.key, query)
    }
}

impl Credential for HmacQuerySignature {
    fn admit(&self, request: &Request) -> Result<(), ResponseTemplate> {
        let (Some(id), Some(signature)) = (
            header_value(request, &self.id_header),
            header_value(request, &self.signature_header),
        ) else {
            return Err(self.refusal.template());
        };
        let expected = self.sign(request.url.query().unwrap_or(""));
        if id == self.id && signature == expected {
            Ok(())
        } else {
            Err(self.wrong.as_ref().unwrap_or(&self.refusal).template())
        }
    }
}
