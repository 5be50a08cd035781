//! Cross-provider tests of mspkit live in this package's test targets:
//! `facade.rs` (configuration parsing and client construction through
//! `mspkit::Config`), `all_providers.rs` (every provider's fake server
//! synced end to end through the facade) and `docs.rs` (every markdown page
//! is compiled below).
//!
//! Every Rust block of the README and of each page under `docs/` is a doc
//! test of this crate, so `cargo test --workspace` compiles it (and runs
//! the ones not marked `no_run`). `docs.rs` fails when a page exists that is
//! not listed here.

/// Lists each page as a doc-tested item. The name of each entry is what
/// `docs.rs` compares with the files on disk.
macro_rules! doc_pages {
    ($($name:ident => $path:literal,)*) => {
        $(
            #[doc = include_str!(concat!("../", $path))]
            #[cfg(doctest)]
            pub struct $name;
        )*

        /// The pages whose Rust blocks are doc tests, relative to the
        /// workspace root.
        pub const DOC_PAGES: &[&str] = &[$($path),*];
    };
}

doc_pages! {
    Readme => "README.md",
    Design => "docs/design.md",
    GettingStarted => "docs/getting-started.md",
    Performance => "docs/performance.md",
    Release => "docs/release.md",
    Providers => "docs/providers/README.md",
    Autotask => "docs/providers/autotask.md",
    ConnectWise => "docs/providers/connectwise.md",
    Datto => "docs/providers/datto.md",
    Halo => "docs/providers/halo.md",
    Ninja => "docs/providers/ninja.md",
    Unleashed => "docs/providers/unleashed.md",
    TacticalPage => "docs/providers/tactical.md",
    FreshservicePage => "docs/providers/freshservice.md",
    SyncroPage => "docs/providers/syncro.md",
    AteraPage => "docs/providers/atera.md",
    ZendeskPage => "docs/providers/zendesk.md",
    ItFlowPage => "docs/providers/itflow.md",
    KaseyaBmsPage => "docs/providers/kaseya-bms.md",
    AutomatePage => "docs/providers/automate.md",
    RangerMspPage => "docs/providers/rangermsp.md",
}
