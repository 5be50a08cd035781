//! mspkit provider for Autotask PSA (in progress).
