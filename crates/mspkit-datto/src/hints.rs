//! What to check when a call fails before Datto RMM has ever answered.

/// What to check when a call fails before Datto RMM has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/datto.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "api_key and api_secret (a regenerated secret voids the old one), and platform: the keys work only on the platform in the user's API URL",
        ),
        (K::Forbidden, _) => Some(
            "that Enable API Access is on (Setup > Global Settings > Access Control) and the user's security level allows API access; a 403 after many 429s is a temporary IP block (wait five minutes)",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url must be the API host ({platform}-api.centrastage.net), not the web portal",
        ),
        _ => None,
    }
}
