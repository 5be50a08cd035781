//! mspkit provider for Unleashed Software (customers, contacts, orders) (in progress).
