//! What to check when a call fails before NinjaOne has ever answered.

/// What to check when a call fails before NinjaOne has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/ninja.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "client_id and client_secret, and region (or base_url): an API application exists only on the instance it was created on",
        ),
        (K::Api, Some(400)) => Some(
            "that the application's platform is API Services (machine-to-machine) and that it has every scope asked for",
        ),
        (K::Forbidden, _) => Some(
            "the application's scopes (Monitoring, Management) and the technician role behind it",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url must be the instance you sign in to (https://eu.ninjarmm.com), or set region",
        ),
        _ => None,
    }
}
