use mspkit_core::Id;
use wiremock::MockServer;

/// A provider's fake server: the running wiremock server, settings that
/// point a client at it, and what it holds (so tests and the demo can check
/// that a sync got everything).
///
/// Each provider crate's `mock::start()` (feature `mock`) returns one.
/// **Keep the value alive while the server is used**: the server runs as
/// long as [`server`](Self::server) does, and dropping the `FakeServer`
/// stops it, after which requests to its URI fail to connect. Bind it to a
/// named variable (`let fake = ...`), not `_`, and build the client from
/// `&fake.settings`.
///
/// For example `let fake = mspkit_halo::mock::start().await;`, then
/// `HaloClient::from_settings(&fake.settings)`, and compare what a sync got
/// with `fake.expected`.
pub struct FakeServer<S> {
    /// The running server on loopback (`127.0.0.1`, a free port). It stops
    /// when this value is dropped. Tests may mount further mocks on it or
    /// read the requests it received.
    pub server: MockServer,
    /// The provider's settings for a client of this server: its URI as the
    /// base URL, the credentials it accepts, and `allow_insecure_http` set
    /// (the server speaks plain `http://`). Pass them to the provider's
    /// `from_settings`, or wrap them in the facade's `Config`.
    pub settings: S,
    /// What the server holds: how many of each entity and ids that exist,
    /// to check a sync against.
    pub expected: Expected,
    /// Every secret a client of this server holds, in each form it is sent
    /// (a key as is, a Basic header value, a password): the suites search
    /// every error message, `Debug` text and trace line for them.
    pub secrets: Vec<String>,
    /// The token store of the fake's token endpoint, when the platform
    /// issues tokens: every token it issued is searched for as well.
    pub tokens: Option<crate::TokenStore>,
}

impl<S> FakeServer<S> {
    /// A fake server holding `expected`, reached with `settings`; add what
    /// the client will hold secret with [`secrets`](Self::secrets) and the
    /// token store with [`tokens`](Self::tokens).
    pub fn new(server: MockServer, settings: S, expected: Expected) -> Self {
        FakeServer {
            server,
            settings,
            expected,
            secrets: Vec::new(),
            tokens: None,
        }
    }

    /// The secrets a client of this server holds.
    pub fn secrets(mut self, secrets: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.secrets = secrets.into_iter().map(Into::into).collect();
        self
    }

    /// The token store of the fake's token endpoint.
    pub fn tokens(mut self, tokens: crate::TokenStore) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Every secret to search for: the settings' secrets and every token
    /// issued so far.
    pub fn all_secrets(&self) -> Vec<String> {
        let mut all = self.secrets.clone();
        if let Some(t) = &self.tokens {
            all.extend(t.issued());
        }
        all.retain(|s| !s.is_empty());
        all
    }

    /// The server's base URI (`http://127.0.0.1:PORT`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }
}

/// How many of each entity a fake server holds, and ids that exist in it.
/// A count of `None` means the provider has no such list.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Expected {
    /// Companies.
    pub companies: Option<usize>,
    /// Contacts.
    pub contacts: Option<usize>,
    /// Tickets (open and closed).
    pub tickets: Option<usize>,
    /// Agreements.
    pub agreements: Option<usize>,
    /// Organizations.
    pub organizations: Option<usize>,
    /// Sites.
    pub sites: Option<usize>,
    /// Devices.
    pub devices: Option<usize>,
    /// Open alerts (what `AlertQuery::new()` lists).
    pub alerts: Option<usize>,
    /// A company that exists.
    pub company_id: Option<Id>,
    /// A ticket that exists, and how many notes it has.
    pub ticket_with_notes: Option<(Id, usize)>,
    /// A device that exists, and how many software entries it has.
    pub device_with_software: Option<(Id, usize)>,
}

impl Expected {
    /// Nothing yet.
    pub fn new() -> Self {
        Self::default()
    }
}
