//! Syncs every provider's built-in fake server through the normalized
//! traits and prints what it found. No account needed:
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! With `--config tenants.json` (a JSON list of `mspkit::Config` objects,
//! see docs/getting-started.md) it syncs those real tenants instead.

use std::process::ExitCode;

use mspkit::Config;
use mspkit_examples::{render, start_fake_tenants, sync_all};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [] => Ok(run_fakes().await),
        [flag, path] if flag == "--config" => run_config_file(path).await,
        _ => Err("usage: demo [--config tenants.json]".to_owned()),
    };
    match result {
        Ok(table) => {
            println!("{table}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run_fakes() -> String {
    eprintln!("starting the built-in fake servers (loopback only) ...");
    let fakes = start_fake_tenants().await;
    let tenants = fakes
        .tenants
        .iter()
        .map(|(label, config, _)| (label.clone(), config.clone()));
    render(&sync_all(tenants).await)
}

async fn run_config_file(path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let configs: Vec<Config> = serde_json::from_str(&text)
        .map_err(|e| format!("{path} is not a list of mspkit configs: {e}"))?;
    let tenants = configs
        .into_iter()
        .enumerate()
        .map(|(i, c)| (format!("{}#{}", c.provider(), i + 1), c));
    Ok(render(&sync_all(tenants).await))
}
