//! Syncs every provider's built-in fake server through the normalized
//! traits and prints what it found. No account needed:
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! With `--config tenants.json` (a JSON list of `mspkit::Config` objects,
//! see docs/getting-started.md) it syncs those real tenants instead. With
//! `--check` as well it only tests each tenant's connection, one line per
//! tenant, and syncs nothing:
//!
//! ```text
//! cargo run --example demo -- --config tenants.json --check
//! ok  halo#1  halo  212 ms
//! FAIL ninja#2 ninja: ninja test_connection: unauthorized: ...; check: client_id and client_secret, ...
//! ```

use std::process::ExitCode;

use mspkit::Config;
use mspkit_examples::{check_all, render, render_checks, start_fake_tenants, sync_all};

const USAGE: &str = "usage: demo [--config tenants.json] [--check]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut config = None;
    let mut check = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => match args.next() {
                Some(path) if config.is_none() => config = Some(path),
                _ => return fail(USAGE),
            },
            "--check" => check = true,
            _ => return fail(USAGE),
        }
    }
    let tenants = match &config {
        None => None,
        Some(path) => match read_config_file(path) {
            Ok(tenants) => Some(tenants),
            Err(message) => return fail(&message),
        },
    };
    // The fake servers must outlive the run.
    let fakes = match tenants {
        Some(_) => None,
        None => {
            eprintln!("starting the built-in fake servers (loopback only) ...");
            Some(start_fake_tenants().await)
        }
    };
    let tenants = tenants.unwrap_or_else(|| {
        fakes
            .iter()
            .flat_map(|f| &f.tenants)
            .map(|(label, config, _)| (label.clone(), config.clone()))
            .collect()
    });
    if check {
        let checks = check_all(tenants).await;
        print!("{}", render_checks(&checks));
        if checks.iter().all(|c| c.is_ok()) {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    } else {
        println!("{}", render(&sync_all(tenants).await));
        ExitCode::SUCCESS
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::FAILURE
}

/// The tenants of a config file, labelled `<provider>#<position>`.
fn read_config_file(path: &str) -> Result<Vec<(String, Config)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let configs: Vec<Config> = serde_json::from_str(&text)
        .map_err(|e| format!("{path} is not a list of mspkit configs: {e}"))?;
    Ok(configs
        .into_iter()
        .enumerate()
        .map(|(i, c)| (format!("{}#{}", c.provider(), i + 1), c))
        .collect())
}
