//! mspkit provider for ConnectWise Manage (PSA) (in progress).
