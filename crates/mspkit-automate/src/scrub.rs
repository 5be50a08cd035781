//! Credentials Automate hands out with its objects, kept out of `raw` and
//! out of errors.
//!
//! A location carries the credentials its scripts run with (`ScriptUsername`,
//! `ScriptPassword`, `ScriptDrive`, `ScriptExtra1`...), its router's login
//! (`Router.Password`) and its deployment template's proxy and cache
//! passwords. Locations come nested too: in a computer's `Location`, a
//! client's `Locations`. None of these fields is read into the crate's
//! types; [`raw`] drops them from the original JSON, and [`error`] blanks
//! their values in the start of a body an error quotes.

use mspkit_core::Error;
use serde_json::Value;

/// What replaces a credential's value in a quoted body.
const REDACTED: &str = "[REDACTED]";

/// Whether a field of an Automate object holds a credential.
pub(crate) fn is_credential(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("script")
        || k.contains("password")
        || k.contains("passcode")
        || k.contains("secret")
        || k.contains("accesstoken")
        || matches!(
            k.as_str(),
            "username" | "cacheusername" | "proxyserverusername" | "backupserverusername"
        )
}

/// `value` without any credential field, at any depth.
pub(crate) fn raw(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| !is_credential(k))
                .map(|(k, v)| (k, raw(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(raw).collect()),
        other => other,
    }
}

/// `raw` of an item's kept JSON.
pub(crate) fn keep(value: Option<Value>) -> Option<Value> {
    value.map(raw)
}

/// `e` with the string values of credential fields blanked in the start of
/// the body it quotes (a decode error shows the start of a page of locations).
pub(crate) fn error(e: Error) -> Error {
    match e.snippet() {
        Some(s) if s.len() > 2 => {
            let clean = text(s);
            if clean == s { e } else { e.with_snippet(clean) }
        }
        _ => e,
    }
}

/// JSON text (possibly cut short) with the string value of every
/// credential field replaced by `[REDACTED]`; a value cut short by the end
/// of the text is replaced to the end.
pub(crate) fn text(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = string_end(rest) else {
            out.push_str(rest);
            return out;
        };
        let name = &rest[..close];
        out.push_str(name);
        out.push('"');
        rest = &rest[close + 1..];
        // A key is a string followed by `:`; a credential's string value is blanked.
        let after = rest.trim_start();
        let Some(value) = after.strip_prefix(':') else {
            continue;
        };
        if !is_credential(name) {
            continue;
        }
        let value = value.trim_start();
        let Some(body) = value.strip_prefix('"') else {
            continue;
        };
        out.push_str(&rest[..rest.len() - body.len()]);
        out.push_str(REDACTED);
        match string_end(body) {
            Some(end) => {
                out.push('"');
                rest = &body[end + 1..];
            }
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The index of the quote that closes a JSON string starting at `s`.
fn string_end(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credentials_are_dropped_at_any_depth() {
        let v = json!({"Id": 3, "Name": "Main", "ScriptPassword": "p", "ScriptUsername": "u",
            "Router": {"Id": 1, "Username": "admin", "Password": "r"},
            "Client": {"Id": "1", "Locations": [{"Id": 4, "ScriptExtra1": "x"}]},
            "LastUserName": "ACME\\jsmith"});
        assert_eq!(
            raw(v),
            json!({"Id": 3, "Name": "Main", "Router": {"Id": 1},
                "Client": {"Id": "1", "Locations": [{"Id": 4}]}, "LastUserName": "ACME\\jsmith"})
        );
    }

    #[test]
    fn quoted_bodies_lose_credential_values_even_when_cut_short() {
        assert_eq!(
            text(r#"[{"Id":3,"ScriptPassword":"hun\"ter2","Name":"Main","ScriptUsername" : "adm"#),
            r#"[{"Id":3,"ScriptPassword":"[REDACTED]","Name":"Main","ScriptUsername" : "[REDACTED]"#
        );
        assert_eq!(
            text(r#"{"Router":{"Password":null,"Name":"ScriptPassword"}}"#),
            r#"{"Router":{"Password":null,"Name":"ScriptPassword"}}"#
        );
        assert_eq!(text("{this is not json"), "{this is not json");
    }
}
