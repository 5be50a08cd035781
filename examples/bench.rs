//! How fast and how lean a sync is: mspkit's ConnectWise ticket stream
//! against a hand-written baseline, both served by a lean local server.
//!
//! ```text
//! cargo run --release --example bench                       # 5 runs per row
//! cargo run --release --example bench -- --runs 3 --json bench.json
//! ```
//!
//! The program re-executes itself: one child process is the server (hyper
//! on 127.0.0.1 serving pre-built pages of 1,000 tickets in the real
//! ConnectWise shape, with `Link` headers, one listener per list and delay),
//! and every measured run is a child process of its own, so the peak
//! resident memory it reports (VmHWM) is that run's alone. Options:
//!
//! * `--runs R` runs per row (default 5; the table shows medians),
//! * `--sizes 10000,100000` list lengths (multiples of 1,000),
//! * `--delay-ms 20` the delay of the second set of rows (0 for none),
//! * `--json FILE` writes the figures to FILE as well.
//!
//! See docs/performance.md for the method and the figures.

#[path = "bench/report.rs"]
mod report;
#[path = "bench/runs.rs"]
mod runs;
#[path = "bench/server.rs"]
mod server;
#[path = "bench/template.rs"]
mod template;

use std::io::BufRead as _;
use std::io::BufReader;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use report::{Cell, Report, Sample};
use runs::Side;
use server::{Endpoint, Shape};

/// A measured run that takes longer than this is stopped and counted a failure.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--serve") => parse_options(&args[1..]).and_then(|o| server::serve(&shapes(&o))),
        Some("--run") => run_one(&args[1..]),
        Some("--help" | "-h") => {
            println!(
                "usage: bench [--runs R] [--sizes 10000,100000] [--delay-ms 20] [--json FILE]"
            );
            Ok(())
        }
        _ => parse_options(&args).and_then(|o| orchestrate(&o)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    runs: usize,
    sizes: Vec<usize>,
    delay_ms: u64,
    json: Option<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        runs: 5,
        sizes: vec![10_000, 100_000],
        delay_ms: 20,
        json: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--runs" => o.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--sizes" => {
                o.sizes = value()?
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--sizes: {e}"))?;
            }
            "--delay-ms" => {
                o.delay_ms = value()?.parse().map_err(|e| format!("--delay-ms: {e}"))?;
            }
            "--json" => o.json = Some(value()?.clone()),
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
    }
    if o.runs == 0 || o.sizes.is_empty() {
        return Err("nothing to run".into());
    }
    if let Some(n) = o
        .sizes
        .iter()
        .find(|&&n| n == 0 || n % server::PAGE_SIZE != 0)
    {
        return Err(format!(
            "N={n} is not a positive multiple of {}",
            server::PAGE_SIZE
        ));
    }
    Ok(o)
}

/// Every list the server offers: each size without delay, then with it.
fn shapes(o: &Options) -> Vec<Shape> {
    let mut delays = vec![0];
    if o.delay_ms > 0 {
        delays.push(o.delay_ms);
    }
    delays
        .into_iter()
        .flat_map(|delay_ms| o.sizes.iter().map(move |&n| Shape { n, delay_ms }))
        .collect()
}

/// `--run <side> <origin> <n> <delay_ms>`: one measured run (a child process).
fn run_one(args: &[String]) -> Result<(), String> {
    let [side, origin, n, delay] = args else {
        return Err("usage: bench --run mspkit|baseline ORIGIN N DELAY_MS".into());
    };
    let side = Side::parse(side).ok_or(format!("unknown side {side:?}"))?;
    let n = n.parse().map_err(|e| format!("N: {e}"))?;
    let delay = delay.parse().map_err(|e| format!("DELAY_MS: {e}"))?;
    runs::run(side, origin, n, delay)
}

/// Kills the server when the run ends, however it ends.
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(
    exe: &std::path::Path,
    o: &Options,
) -> Result<(ServerProcess, Vec<Endpoint>), String> {
    let sizes: Vec<String> = o.sizes.iter().map(usize::to_string).collect();
    let mut child = Command::new(exe)
        .args(["--serve", "--sizes", &sizes.join(","), "--delay-ms"])
        .arg(o.delay_ms.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no server stdout")?;
    let server = ServerProcess(child);
    let mut endpoints = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("server: {e}"))?;
        if line == "ready" {
            return Ok((server, endpoints));
        }
        endpoints.push(Endpoint::from_line(&line).ok_or(format!("server said {line:?}"))?);
    }
    Err("the server stopped before it was ready".into())
}

/// Runs one measured child and reads its figures.
fn measure(exe: &std::path::Path, side: Side, e: &Endpoint) -> Result<Sample, String> {
    let mut child = Command::new(exe)
        .args(["--run", side.name(), &e.origin])
        .arg(e.shape.n.to_string())
        .arg(e.shape.delay_ms.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|err| format!("cannot start a run: {err}"))?;
    let deadline = Instant::now() + RUN_TIMEOUT;
    let status = loop {
        match child.try_wait().map_err(|err| err.to_string())? {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{} N={} took too long", side.name(), e.shape.n));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        std::io::Read::read_to_string(&mut stdout, &mut out).map_err(|err| err.to_string())?;
    }
    if !status.success() {
        return Err(format!("{} N={} failed ({status})", side.name(), e.shape.n));
    }
    let line = out.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .ok()
        .as_ref()
        .and_then(Sample::from_json)
        .ok_or(format!("a run printed {line:?}"))
}

fn orchestrate(o: &Options) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
    eprintln!("bench: building the pages and starting the server ...");
    let (server, endpoints) = start_server(&exe, o)?;
    let mut cells: Vec<Cell> = endpoints
        .iter()
        .flat_map(|e| {
            [Side::Baseline, Side::Mspkit].map(|side| Cell {
                side: side.name(),
                n: e.shape.n,
                delay_ms: e.shape.delay_ms,
                body_bytes: e.body_bytes,
                samples: Vec::new(),
            })
        })
        .collect();
    for round in 0..o.runs {
        for (i, e) in endpoints.iter().enumerate() {
            // Alternate which side goes first, so drift in the machine's load
            // does not favour one.
            let order = if round % 2 == 0 {
                [Side::Baseline, Side::Mspkit]
            } else {
                [Side::Mspkit, Side::Baseline]
            };
            for side in order {
                let sample = measure(&exe, side, e)?;
                eprintln!(
                    "bench: run {}/{} {:>3} ms N={:<7} {:<9} {:>7.3} s  {:>6.1} MiB",
                    round + 1,
                    o.runs,
                    e.shape.delay_ms,
                    e.shape.n,
                    side.name(),
                    sample.wall_s,
                    sample.peak_rss_kib / 1024.0
                );
                let cell = &mut cells[2 * i + usize::from(side == Side::Mspkit)];
                cell.samples.push(sample);
            }
        }
    }
    drop(server);
    let report = Report {
        runs: o.runs,
        cells,
    };
    println!("{}", report.table());
    if let Some(path) = &o.json {
        let text = serde_json::to_string_pretty(&report.to_json()).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("cannot write {path}: {e}"))?;
        eprintln!("bench: figures written to {path}");
    }
    Ok(())
}
