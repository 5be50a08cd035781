//! How fast and how lean a sync is: mspkit's ConnectWise ticket stream
//! against a hand-written baseline, and mspkit's HaloPSA ticket stream
//! (numbered pages) walked one page at a time and with several pages in
//! flight, all served by a lean local server.
//!
//! ```text
//! cargo run --release --example bench                       # 5 runs per row
//! cargo run --release --example bench -- --runs 3 --json bench.json
//! cargo run --release --example bench -- --platforms halo --concurrency 1,4,8
//! ```
//!
//! The program re-executes itself: one child process is the server (hyper
//! on 127.0.0.1 serving pre-built pages: 1,000 tickets in the real
//! ConnectWise shape with `Link` headers, and 100 Halo tickets by `page_no`
//! with `record_count`, behind Halo's authinfo and token endpoints; one
//! listener per platform, list and delay), and every measured run is a child
//! process of its own, so the peak resident memory it reports (VmHWM) is
//! that run's alone. Every run checksums the ticket ids in the order they
//! arrive; the table says whether each run's sum is the served order's.
//! Options:
//!
//! * `--runs R` runs per row (default 5; the table shows medians),
//! * `--sizes 10000,100000` list lengths (multiples of 1,000),
//! * `--delay-ms 20` the delay of the second set of rows (0 for none),
//! * `--platforms connectwise,halo` which stand-ins to measure,
//! * `--concurrency 1,4,8` Halo's `page_concurrency` values (1 = sequential),
//! * `--json FILE` writes the figures to FILE as well.
//!
//! See docs/performance.md for the method and the figures.

#[path = "bench/halo.rs"]
mod halo;
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
use runs::{Checksum, Side};
use server::{Endpoint, Platform, Shape};

/// A measured run that takes longer than this is stopped and counted a failure.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--serve") => parse_options(&args[1..]).and_then(|o| server::serve(&shapes(&o))),
        Some("--run") => run_one(&args[1..]),
        Some("--help" | "-h") => {
            println!(
                "usage: bench [--runs R] [--sizes 10000,100000] [--delay-ms 20] \
                 [--platforms connectwise,halo] [--concurrency 1,4,8] [--json FILE]"
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
    platforms: Vec<Platform>,
    concurrency: Vec<usize>,
    json: Option<String>,
}

/// A comma-separated list.
fn list<T>(flag: &str, text: &str, item: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, String> {
    text.split(',')
        .map(|s| item(s.trim()).ok_or(format!("{flag}: {s:?}?")))
        .collect()
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        runs: 5,
        sizes: vec![10_000, 100_000],
        delay_ms: 20,
        platforms: vec![Platform::ConnectWise, Platform::Halo],
        concurrency: vec![1, mspkit::http::DEFAULT_PAGE_CONCURRENCY, 8],
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
            "--platforms" => o.platforms = list(flag, value()?, Platform::parse)?,
            "--concurrency" => {
                o.concurrency = list(flag, value()?, |s| s.parse().ok().filter(|&k| k > 0))?;
            }
            "--json" => o.json = Some(value()?.clone()),
            other => return Err(format!("unknown option {other:?} (see --help)")),
        }
    }
    if o.runs == 0 || o.sizes.is_empty() || o.platforms.is_empty() || o.concurrency.is_empty() {
        return Err("nothing to run".into());
    }
    for p in &o.platforms {
        let size = p.page_size();
        if let Some(n) = o.sizes.iter().find(|&&n| n == 0 || n % size != 0) {
            return Err(format!(
                "N={n} is not a positive multiple of {size} ({})",
                p.name()
            ));
        }
    }
    Ok(o)
}

/// Every list the server offers: per platform, each size without delay,
/// then with it.
fn shapes(o: &Options) -> Vec<Shape> {
    let mut delays = vec![0];
    if o.delay_ms > 0 {
        delays.push(o.delay_ms);
    }
    let mut out = Vec::new();
    for &platform in &o.platforms {
        for &delay_ms in &delays {
            for &n in &o.sizes {
                out.push(Shape {
                    platform,
                    n,
                    delay_ms,
                });
            }
        }
    }
    out
}

/// The sides measured on a platform's lists.
fn sides(o: &Options, platform: Platform) -> Vec<Side> {
    match platform {
        Platform::ConnectWise => vec![Side::Baseline, Side::Mspkit],
        Platform::Halo => o.concurrency.iter().map(|&k| Side::Pages(k)).collect(),
    }
}

/// `--run <platform> <side> <origin> <n> <delay_ms>`: one measured run (a
/// child process).
fn run_one(args: &[String]) -> Result<(), String> {
    let [platform, side, origin, n, delay] = args else {
        return Err(
            "usage: bench --run connectwise|halo mspkit|baseline|c=K ORIGIN N DELAY_MS".into(),
        );
    };
    let platform = Platform::parse(platform).ok_or(format!("unknown platform {platform:?}"))?;
    let side = Side::parse(side).ok_or(format!("unknown side {side:?}"))?;
    let n = n.parse().map_err(|e| format!("N: {e}"))?;
    let delay = delay.parse().map_err(|e| format!("DELAY_MS: {e}"))?;
    runs::run(platform, side, origin, n, delay)
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
    let platforms: Vec<&str> = o.platforms.iter().map(|p| p.name()).collect();
    let mut child = Command::new(exe)
        .args(["--serve", "--sizes", &sizes.join(","), "--delay-ms"])
        .arg(o.delay_ms.to_string())
        .args(["--platforms", &platforms.join(",")])
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
    let name = side.name();
    let what = format!("{} {name} N={}", e.shape.platform.name(), e.shape.n);
    let mut child = Command::new(exe)
        .args(["--run", e.shape.platform.name(), &name, &e.origin])
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
                return Err(format!("{what} took too long"));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        std::io::Read::read_to_string(&mut stdout, &mut out).map_err(|err| err.to_string())?;
    }
    if !status.success() {
        return Err(format!("{what} failed ({status})"));
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
    // One cell per (endpoint, side); `at[i]` is where endpoint i's cells start.
    let mut cells: Vec<Cell> = Vec::new();
    let mut at = Vec::new();
    for e in &endpoints {
        at.push(cells.len());
        let expected = Checksum::of_run(e.shape.platform.first_id(), e.shape.n).hex();
        for side in sides(o, e.shape.platform) {
            cells.push(Cell {
                platform: e.shape.platform.name(),
                side: side.name(),
                concurrency: match side {
                    Side::Pages(k) => Some(k),
                    _ => None,
                },
                n: e.shape.n,
                delay_ms: e.shape.delay_ms,
                page_size: e.shape.platform.page_size(),
                body_bytes: e.body_bytes,
                expected_checksum: expected.clone(),
                samples: Vec::new(),
            });
        }
    }
    for round in 0..o.runs {
        for (i, e) in endpoints.iter().enumerate() {
            // Alternate the order of the sides between rounds, so drift in
            // the machine's load does not favour one.
            let mut order: Vec<(usize, Side)> =
                sides(o, e.shape.platform).into_iter().enumerate().collect();
            if round % 2 == 1 {
                order.reverse();
            }
            for (j, side) in order {
                let sample = measure(&exe, side, e)?;
                let cell = &mut cells[at[i] + j];
                eprintln!(
                    "bench: run {}/{} {:<11} {:>3} ms N={:<7} {:<9} {:>7.3} s  {:>6.1} MiB  ids {}",
                    round + 1,
                    o.runs,
                    e.shape.platform.name(),
                    e.shape.delay_ms,
                    e.shape.n,
                    side.name(),
                    sample.wall_s,
                    sample.peak_rss_kib / 1024.0,
                    if sample.checksum.as_deref() == Some(cell.expected_checksum.as_str()) {
                        "in order"
                    } else {
                        "DIFFER"
                    }
                );
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
