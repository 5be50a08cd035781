//! Checks every provider builder runs on its settings in `build()`, so that
//! a bad value is refused before any request with the same words everywhere.
//!
//! No message quotes a setting's value: a user may have pasted a key into
//! the wrong field.
//!
//! ```
//! use mspkit_core::settings;
//! use mspkit_core::{Provider, SecretString};
//!
//! let p = Provider::Halo;
//! assert_eq!(settings::required(p, "client_id", Some(" abc ".into())).unwrap(), "abc");
//! assert!(settings::required(p, "client_id", Some("  ".into())).is_err());
//! assert!(settings::secret(p, "client_secret", Some(SecretString::from(""))).is_err());
//! assert_eq!(settings::scopes(p, Some("all  read".into()), &["all"]).unwrap(), ["all", "read"]);
//! assert_eq!(settings::scopes(p, None, &["all"]).unwrap(), ["all"]);
//! ```

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};
use crate::model::Provider;

/// A setting that must be present and not blank, trimmed.
pub fn required(provider: Provider, name: &str, value: Option<String>) -> Result<String> {
    optional(value).ok_or_else(|| {
        Error::config(
            provider,
            format!("{name} is required and must not be empty"),
        )
    })
}

/// An optional setting, trimmed; blank counts as not set.
pub fn optional(value: Option<String>) -> Option<String> {
    let v = value?;
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// A secret setting that must be present and not blank. Surrounding white
/// space (a copy-paste accident) is removed.
pub fn secret(provider: Provider, name: &str, value: Option<SecretString>) -> Result<SecretString> {
    let value = value.ok_or_else(|| Error::config(provider, format!("{name} is required")))?;
    let text = value.expose_secret();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::config(provider, format!("{name} must not be empty")));
    }
    if trimmed.len() == text.len() {
        Ok(value)
    } else {
        Ok(SecretString::from(trimmed.to_owned()))
    }
}

/// A space-separated scope list; `default` when not set. A set but blank
/// list is refused rather than silently widened.
pub fn scopes(provider: Provider, value: Option<String>, default: &[&str]) -> Result<Vec<String>> {
    match value {
        None => Ok(default.iter().map(|s| (*s).to_owned()).collect()),
        Some(s) => {
            let scopes: Vec<String> = s.split_whitespace().map(str::to_owned).collect();
            if scopes.is_empty() {
                return Err(Error::config(
                    provider,
                    format!(
                        "scope is empty; leave it out to ask for `{}`",
                        default.join(" ")
                    ),
                ));
            }
            Ok(scopes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_setting_never_its_value() {
        let p = Provider::Datto;
        let e = secret(p, "api_secret", Some(SecretString::from("   "))).unwrap_err();
        assert_eq!(
            e.to_string(),
            "datto build: configuration error: api_secret must not be empty"
        );
        let e = required(p, "api_key", None).unwrap_err().to_string();
        assert!(e.contains("api_key is required"), "{e}");
        let kept = secret(p, "k", Some(SecretString::from(" s3cret\n"))).unwrap();
        assert_eq!(kept.expose_secret(), "s3cret");
        assert!(scopes(p, Some(" ".into()), &["all"]).is_err());
    }
}
