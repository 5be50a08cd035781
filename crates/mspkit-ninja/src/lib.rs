//! mspkit provider for NinjaOne (RMM) (in progress).
