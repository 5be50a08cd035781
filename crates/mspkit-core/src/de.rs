//! Deserializers for the odd encodings several platforms share, for use in
//! provider crates' `api` shapes with `#[serde(deserialize_with = "...")]`.

use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

/// An optional boolean that may come as `true`/`false`, `1`/`0`, or the
/// strings `"true"`/`"false"`/`"1"`/`"0"` (Autotask's contacts send `isActive`
/// as an integer, its companies as a boolean). `null` or absent is `None`;
/// anything else is an error naming the value.
pub fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            _ => Err(de::Error::custom(format!("{n} is not a boolean (0 or 1)"))),
        },
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!("{s:?} is not a boolean"))),
        },
        Some(other) => Err(de::Error::custom(format!("{other} is not a boolean"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Flag {
        #[serde(default, deserialize_with = "lenient_bool")]
        active: Option<bool>,
    }

    fn read(json: &str) -> Result<Option<bool>, serde_json::Error> {
        serde_json::from_str::<Flag>(json).map(|f| f.active)
    }

    #[test]
    fn booleans_integers_and_strings_are_read() {
        assert_eq!(read(r#"{"active":true}"#).unwrap(), Some(true));
        assert_eq!(read(r#"{"active":0}"#).unwrap(), Some(false));
        assert_eq!(read(r#"{"active":"1"}"#).unwrap(), Some(true));
        assert_eq!(read(r#"{"active":" False "}"#).unwrap(), Some(false));
        assert_eq!(read(r#"{"active":null}"#).unwrap(), None);
        assert_eq!(read(r#"{}"#).unwrap(), None);
        assert!(
            read(r#"{"active":2}"#)
                .unwrap_err()
                .to_string()
                .contains("not a boolean")
        );
        assert!(read(r#"{"active":"yes"}"#).is_err());
        assert!(read(r#"{"active":[1]}"#).is_err());
    }
}
