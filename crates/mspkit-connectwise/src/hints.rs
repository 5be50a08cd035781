//! What to check when a call fails before ConnectWise has ever answered.

/// What to check when a call fails before ConnectWise has answered this client
/// once (wired with `first_contact_hints`; see the "First contact" section
/// of `docs/providers/connectwise.md`).
pub(crate) fn first_contact(
    kind: mspkit_core::ErrorKind,
    status: Option<u16>,
) -> Option<&'static str> {
    use mspkit_core::ErrorKind as K;
    match (kind, status) {
        (K::Unauthorized, _) => Some(
            "company_id (the company typed at login, not the company's name), the API member's public and private keys, and client_id (the integration's clientId from developer.connectwise.com)",
        ),
        (K::Forbidden, _) => Some(
            "the API member's security role: it must be allowed to read companies, contacts, service tickets and agreements",
        ),
        (K::NotFound, _) => Some(
            "if every call gets 404: base_url (the site people log into) and, on an on-premises server, codebase",
        ),
        _ => None,
    }
}
