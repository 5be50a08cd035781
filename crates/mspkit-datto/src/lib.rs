//! mspkit provider for Datto RMM (in progress).
