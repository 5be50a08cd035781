//! Cross-provider tests of mspkit live in this package's test targets:
//! `facade.rs` (configuration parsing and client construction through
//! `mspkit::Config`) and `all_providers.rs` (every provider's fake server
//! synced end to end through the facade).
