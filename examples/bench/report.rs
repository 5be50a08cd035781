//! Medians of the runs, the table, the targets of the benchmark and the
//! `--json` file.

use std::fmt::Write as _;

use serde_json::{Value, json};

/// One measured run, as its process reported it.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Seconds from the first request to the last item.
    pub wall_s: f64,
    /// User + system CPU seconds of the whole process.
    pub cpu_s: f64,
    /// Peak resident memory of the process (VmHWM), KiB.
    pub peak_rss_kib: f64,
    /// Resident memory once the runtime was up, before the sync, KiB.
    pub start_rss_kib: f64,
}

impl Sample {
    /// Reads the JSON line a run prints.
    pub fn from_json(v: &Value) -> Option<Sample> {
        Some(Sample {
            wall_s: v.get("wall_s")?.as_f64()?,
            cpu_s: v.get("cpu_s").and_then(Value::as_f64).unwrap_or(f64::NAN),
            peak_rss_kib: v.get("peak_rss_kib")?.as_f64()?,
            start_rss_kib: v
                .get("start_rss_kib")
                .and_then(Value::as_f64)
                .unwrap_or(f64::NAN),
        })
    }
}

/// Every run of one side on one list.
#[derive(Debug, Clone)]
pub struct Cell {
    /// `mspkit` or `baseline`.
    pub side: &'static str,
    /// Tickets in the list.
    pub n: usize,
    /// Delay per page, ms.
    pub delay_ms: u64,
    /// Bytes of all page bodies of the list.
    pub body_bytes: u64,
    /// The runs.
    pub samples: Vec<Sample>,
}

fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    }
}

impl Cell {
    /// Median wall time, s.
    pub fn wall(&self) -> f64 {
        median(self.samples.iter().map(|s| s.wall_s).collect())
    }
    /// Median CPU time, s.
    pub fn cpu(&self) -> f64 {
        median(self.samples.iter().map(|s| s.cpu_s).collect())
    }
    /// Median peak RSS, MiB.
    pub fn peak_mib(&self) -> f64 {
        median(self.samples.iter().map(|s| s.peak_rss_kib).collect()) / 1024.0
    }
    /// Median RSS before the sync, MiB.
    pub fn start_mib(&self) -> f64 {
        median(self.samples.iter().map(|s| s.start_rss_kib).collect()) / 1024.0
    }
    /// Items per second at the median wall time.
    pub fn items_per_s(&self) -> f64 {
        self.n as f64 / self.wall()
    }
    /// Megabytes (10^6) of JSON per second at the median wall time.
    pub fn mb_per_s(&self) -> f64 {
        self.body_bytes as f64 / 1e6 / self.wall()
    }
    /// (max - min) / median of the wall times.
    pub fn spread(&self) -> f64 {
        let walls = self.samples.iter().map(|s| s.wall_s);
        let max = walls.clone().fold(f64::MIN, f64::max);
        let min = walls.fold(f64::MAX, f64::min);
        (max - min) / self.wall()
    }
}

/// mspkit over the baseline on one list.
#[derive(Debug, Clone, Copy)]
pub struct Ratio {
    /// Tickets.
    pub n: usize,
    /// Delay per page, ms.
    pub delay_ms: u64,
    /// Items/s, mspkit / baseline (above 1: mspkit is faster).
    pub throughput: f64,
    /// Wall time, mspkit / baseline (below 1: mspkit is faster).
    pub wall: f64,
    /// Peak RSS, mspkit / baseline.
    pub peak_rss: f64,
    /// CPU time, mspkit / baseline.
    pub cpu: f64,
}

/// One target of the benchmark, read off the figures.
#[derive(Debug, Clone)]
pub struct Target {
    /// What is checked.
    pub name: String,
    /// The figure.
    pub value: f64,
    /// `>=` or `<=`.
    pub op: &'static str,
    /// The bound.
    pub limit: f64,
}

impl Target {
    /// Whether the figure is within the bound.
    pub fn met(&self) -> bool {
        match self.op {
            ">=" => self.value >= self.limit,
            _ => self.value <= self.limit,
        }
    }
}

/// All figures of one invocation.
pub struct Report {
    /// Runs per cell.
    pub runs: usize,
    /// Every cell, in table order.
    pub cells: Vec<Cell>,
}

impl Report {
    fn cell(&self, side: &str, n: usize, delay_ms: u64) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.side == side && c.n == n && c.delay_ms == delay_ms)
    }

    /// mspkit / baseline for one list.
    pub fn ratio(&self, n: usize, delay_ms: u64) -> Option<Ratio> {
        let m = self.cell("mspkit", n, delay_ms)?;
        let b = self.cell("baseline", n, delay_ms)?;
        Some(Ratio {
            n,
            delay_ms,
            throughput: m.items_per_s() / b.items_per_s(),
            wall: m.wall() / b.wall(),
            peak_rss: m.peak_mib() / b.peak_mib(),
            cpu: m.cpu() / b.cpu(),
        })
    }

    fn lists(&self) -> Vec<(usize, u64)> {
        let mut out: Vec<(usize, u64)> = Vec::new();
        for c in &self.cells {
            if !out.contains(&(c.n, c.delay_ms)) {
                out.push((c.n, c.delay_ms));
            }
        }
        out
    }

    /// The targets of the benchmark, as far as the figures allow.
    pub fn targets(&self) -> Vec<Target> {
        let mut out = Vec::new();
        for (n, delay) in self.lists() {
            let Some(r) = self.ratio(n, delay) else {
                continue;
            };
            if delay == 0 {
                out.push(Target {
                    name: format!("throughput mspkit/baseline, N={n}, no delay"),
                    value: r.throughput,
                    op: ">=",
                    limit: 0.9,
                });
            } else {
                out.push(Target {
                    name: format!("wall mspkit/baseline, N={n}, {delay} ms per page"),
                    value: r.wall,
                    op: "<=",
                    limit: 0.6,
                });
            }
        }
        let mut sizes: Vec<usize> = self.cells.iter().map(|c| c.n).collect();
        sizes.sort_unstable();
        sizes.dedup();
        if let (Some(&small), Some(&large)) = (sizes.first(), sizes.last()) {
            let mut delays: Vec<u64> = self.cells.iter().map(|c| c.delay_ms).collect();
            delays.sort_unstable();
            delays.dedup();
            for delay in delays {
                let (Some(s), Some(l)) = (
                    self.cell("mspkit", small, delay),
                    self.cell("mspkit", large, delay),
                ) else {
                    continue;
                };
                if small != large {
                    out.push(Target {
                        name: format!("mspkit peak RSS N={large} / N={small}, {delay} ms delay"),
                        value: l.peak_mib() / s.peak_mib(),
                        op: "<=",
                        limit: 1.2,
                    });
                }
                out.push(Target {
                    name: format!("mspkit peak RSS MiB, N={large}, {delay} ms delay"),
                    value: l.peak_mib(),
                    op: "<=",
                    limit: 64.0,
                });
            }
        }
        out
    }

    /// The table, with the ratios and the targets under it.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "ConnectWise tickets over loopback, pages of 1000; median of {} runs per row",
            self.runs
        );
        let _ = writeln!(
            out,
            "{:>6} {:>7} {:<9} {:>9} {:>7} {:>8} {:>6} {:>7} {:>9}  mspkit/baseline",
            "delay", "N", "side", "items/s", "MB/s", "wall s", "spread", "CPU s", "RSS MiB",
        );
        let _ = writeln!(out, "{}", "-".repeat(112));
        for c in &self.cells {
            let ratio = if c.side == "mspkit" {
                self.ratio(c.n, c.delay_ms).map_or(String::new(), |r| {
                    format!(
                        "{:.2}x items/s, {:.2}x wall, {:.2}x CPU, {:.2}x RSS",
                        r.throughput, r.wall, r.cpu, r.peak_rss
                    )
                })
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{:>6} {:>7} {:<9} {:>9.0} {:>7.1} {:>8.3} {:>5.0}% {:>7.2} {:>9.1}  {}",
                format!("{}ms", c.delay_ms),
                c.n,
                c.side,
                c.items_per_s(),
                c.mb_per_s(),
                c.wall(),
                c.spread() * 100.0,
                c.cpu(),
                c.peak_mib(),
                ratio
            );
        }
        let _ = writeln!(
            out,
            "\nspread = (slowest - fastest) / median wall time; RSS = peak resident set (VmHWM) of the run's own process; MB = 10^6 bytes of JSON bodies"
        );
        let _ = writeln!(out, "\ntargets:");
        for t in self.targets() {
            let _ = writeln!(
                out,
                "  {:<4} {:<52} {:>8.2} (target {} {})",
                if t.met() { "met" } else { "MISS" },
                t.name,
                t.value,
                t.op,
                t.limit
            );
        }
        out
    }

    /// The same figures as JSON.
    pub fn to_json(&self) -> Value {
        let cells: Vec<Value> = self
            .cells
            .iter()
            .map(|c| {
                json!({
                    "side": c.side,
                    "n": c.n,
                    "delay_ms": c.delay_ms,
                    "items_per_s": c.items_per_s(),
                    "mb_per_s": c.mb_per_s(),
                    "wall_s": c.wall(),
                    "wall_spread": c.spread(),
                    "cpu_s": c.cpu(),
                    "peak_rss_mib": c.peak_mib(),
                    "start_rss_mib": c.start_mib(),
                    "body_bytes": c.body_bytes,
                    "runs": c.samples.iter().map(|s| json!({
                        "wall_s": s.wall_s,
                        "cpu_s": s.cpu_s,
                        "peak_rss_kib": s.peak_rss_kib,
                        "start_rss_kib": s.start_rss_kib,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let ratios: Vec<Value> = self
            .lists()
            .into_iter()
            .filter_map(|(n, d)| self.ratio(n, d))
            .map(|r| {
                json!({
                    "n": r.n,
                    "delay_ms": r.delay_ms,
                    "items_per_s": r.throughput,
                    "wall": r.wall,
                    "cpu": r.cpu,
                    "peak_rss": r.peak_rss,
                })
            })
            .collect();
        let targets: Vec<Value> = self
            .targets()
            .into_iter()
            .map(|t| {
                json!({
                    "name": t.name,
                    "value": t.value,
                    "op": t.op,
                    "limit": t.limit,
                    "met": t.met(),
                })
            })
            .collect();
        json!({
            "page_size": crate::server::PAGE_SIZE,
            "runs_per_row": self.runs,
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "results": cells,
            "ratios_mspkit_over_baseline": ratios,
            "targets": targets,
        })
    }
}
