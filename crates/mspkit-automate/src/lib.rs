//! The ConnectWise Automate provider of mspkit (being written).
#![cfg_attr(docsrs, feature(doc_cfg))]
