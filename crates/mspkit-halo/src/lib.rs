//! mspkit provider for HaloPSA (in progress).
