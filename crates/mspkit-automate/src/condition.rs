//! Automate's `condition` filter: an expression language (`=`, `>=`, `and`,
//! `or`, parentheses, quoted strings), so nothing a caller gives is pasted
//! into it raw. Ids are checked to be integers (Automate's ids are int32)
//! and written as numbers; instants are written by the client itself, in
//! single quotes. Each clause is parenthesized and clauses are joined with
//! `and`.

use chrono::{DateTime, Utc};
use mspkit_core::{Error, Id, Provider, Result};

const P: Provider = Provider::Automate;

/// A condition under construction.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Condition(Vec<String>);

impl Condition {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// `(field = id)`, the id checked to be an integer first. `what` names
    /// the setting in the error (`organization id`).
    pub(crate) fn id_equals(
        mut self,
        op: &'static str,
        field: &str,
        what: &str,
        id: &Id,
    ) -> Result<Self> {
        let n = integer_id(op, what, id)?;
        self.0.push(format!("({field} = {n})"));
        Ok(self)
    }

    /// Items whose `fields` (any of them) are at or after `since`.
    pub(crate) fn since(mut self, fields: &[&str], since: DateTime<Utc>) -> Self {
        let at = instant(since);
        let any: Vec<String> = fields.iter().map(|f| format!("({f} >= {at})")).collect();
        self.0.push(match any.len() {
            1 => any[0].clone(),
            _ => format!("({})", any.join(" or ")),
        });
        self
    }

    /// The expression, or `None` when there is no clause.
    pub(crate) fn build(self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.0.join(" and "))
    }
}

/// An instant as a condition literal: `'2024-03-05T06:07:08'`, in UTC (the
/// client reads timestamps without an offset as UTC too).
pub(crate) fn instant(at: DateTime<Utc>) -> String {
    format!("'{}'", at.format("%Y-%m-%dT%H:%M:%S"))
}

/// `id` as Automate's integer id, or a `Refused` error before any request:
/// an id such as `1) or (1=1` would change what the condition asks for.
pub(crate) fn integer_id(op: &'static str, what: &str, id: &Id) -> Result<i64> {
    let text = id.as_str().trim();
    let ok = !text.is_empty() && text.len() <= 19 && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<i64>() {
        Ok(n) if ok => Ok(n),
        _ => Err(Error::refused(
            P,
            op,
            format!(
                "{what} {:?} is not an Automate id (ids are integers)",
                id.as_str()
            ),
        )
        .with_target(id.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mspkit_core::ErrorKind;

    #[test]
    fn ids_are_checked_and_clauses_joined() {
        let c = Condition::new()
            .id_equals("devices", "Client.Id", "organization id", &Id::from(" 5 "))
            .unwrap()
            .id_equals("devices", "Location.Id", "site id", &Id::from("12"))
            .unwrap()
            .since(
                &["RemoteAgentLastContact", "LastInventoryReceived"],
                DateTime::from_timestamp(1_709_618_828, 0).unwrap(),
            );
        assert_eq!(
            c.build().unwrap(),
            "(Client.Id = 5) and (Location.Id = 12) and ((RemoteAgentLastContact >= '2024-03-05T06:07:08') or (LastInventoryReceived >= '2024-03-05T06:07:08'))"
        );
        for bad in [
            "1) or (1=1",
            "",
            "-1",
            "1.5",
            "99999999999999999999",
            "0x10",
        ] {
            let e = Condition::new()
                .id_equals("sites", "Client.Id", "organization id", &Id::from(bad))
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Refused, "{bad}");
            assert!(e.to_string().contains("organization id"), "{e}");
            assert!(!e.reached_server());
        }
        assert_eq!(Condition::new().build(), None);
    }
}
