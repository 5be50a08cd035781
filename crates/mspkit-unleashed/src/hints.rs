//! What to check when a call fails before Unleashed has ever answered.

/// What to check when a call fails before Unleashed has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/unleashed.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Forbidden, _) => Some(
            "api_id (the GUID) and api_key (the long key beside it) are not swapped, were copied whole and belong to this organisation; a proxy that rewrites query strings breaks the signature",
        ),
        (K::Unauthorized, _) => Some(
            "that API access is still enabled in Unleashed, and that no proxy strips the api-auth-id and api-auth-signature headers",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url; leave it unset for a real account (https://api.unleashedsoftware.com)",
        ),
        _ => None,
    }
}
