use std::fmt;

use serde::{Deserialize, Serialize};

/// An opaque identifier as the provider gives it: an integer, a GUID or a string.
///
/// Ids are kept as strings so that one type fits every platform; JSON carries
/// them as strings whatever the provider used.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// Wraps a provider's identifier.
    pub fn new(id: impl Into<String>) -> Self {
        Id(id.into())
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier as an unsigned integer, for providers whose ids are numeric.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// The identifier as text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id(s.to_owned())
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        Id(s)
    }
}

impl From<&String> for Id {
    fn from(s: &String) -> Self {
        Id(s.clone())
    }
}

macro_rules! id_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Id {
            fn from(n: $t) -> Self {
                Id(n.to_string())
            }
        }
    )*};
}
id_from_int!(u32, u64, i32, i64, usize);

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
