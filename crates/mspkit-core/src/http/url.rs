//! Checking base URLs and building paths safely.

use url::Url;

use crate::error::{Error, Result};
use crate::model::Provider;

/// Parses a base URL a user typed, refusing what cannot work: a malformed
/// URL, a scheme other than http(s), no host, embedded credentials, and plain
/// `http://` unless `allow_insecure_http` is set. A missing scheme means https.
pub fn parse_base_url(provider: Provider, raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Error::config(provider, "the base URL is empty"));
    }
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let mut url = Url::parse(&with_scheme)
        .map_err(|e| Error::config(provider, format!("the base URL {raw:?} is not a URL: {e}")))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(
            provider,
            format!("the base URL {raw:?} has no host"),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            provider,
            "the base URL must not carry credentials; use the credential settings",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http => {}
        "http" => {
            return Err(Error::insecure_url(
                provider,
                "build",
                format!("{}{}", url.origin().ascii_serialization(), url.path()),
            ));
        }
        other => {
            return Err(Error::config(
                provider,
                format!("the base URL scheme {other:?} is not http(s)"),
            ));
        }
    }
    url.set_fragment(None);
    url.set_query(None);
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// Percent-encodes one path segment (an id a caller passed), so that `/`,
/// `?`, `#` or `..` in it cannot change which resource is addressed.
///
/// URL parsers treat `%2E` and `%2E%2E` exactly like `.` and `..`, so no
/// encoding of an id that is only `.` or `..` can address it; such an id is
/// encoded a second time (`%252E`), naming an item that will not be found
/// rather than the collection or its parent.
pub fn encode_segment(segment: &str) -> String {
    if segment == "." || segment == ".." {
        return "%252E".repeat(segment.len());
    }
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn base_urls_are_checked() {
        let p = Provider::Halo;
        assert_eq!(
            parse_base_url(p, "acme.halopsa.com", false)
                .unwrap()
                .as_str(),
            "https://acme.halopsa.com/"
        );
        assert_eq!(
            parse_base_url(p, "https://x.example/api?x=1#f", false)
                .unwrap()
                .as_str(),
            "https://x.example/api/"
        );
        assert!(
            matches!(&parse_base_url(p, "http://127.0.0.1:8080", false), Err(e) if e.kind() == ErrorKind::InsecureUrl)
        );
        assert!(parse_base_url(p, "http://127.0.0.1:8080", true).is_ok());
        assert!(matches!(&parse_base_url(p, "", false), Err(e) if e.kind() == ErrorKind::Config));
        assert!(
            matches!(&parse_base_url(p, "https://", false), Err(e) if e.kind() == ErrorKind::Config)
        );
        assert!(
            matches!(&parse_base_url(p, "ftp://x.example", false), Err(e) if e.kind() == ErrorKind::Config)
        );
        assert!(
            matches!(&parse_base_url(p, "https://u:pw@x.example", false), Err(e) if e.kind() == ErrorKind::Config)
        );
        assert!(
            matches!(&parse_base_url(p, "https://exa mple.com", false), Err(e) if e.kind() == ErrorKind::Config)
        );
    }

    #[test]
    fn segments_cannot_escape() {
        assert_eq!(encode_segment("123"), "123");
        assert_eq!(encode_segment("a1b2-c3.d"), "a1b2-c3.d");
        assert_eq!(encode_segment("../admin"), "..%2Fadmin");
        assert_eq!(encode_segment(".."), "%252E%252E");
        assert_eq!(encode_segment("."), "%252E");
        assert_eq!(encode_segment("a b?c#d"), "a%20b%3Fc%23d");
    }
}
