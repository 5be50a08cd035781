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
    /// The checksum of the ticket ids in the order they arrived.
    pub checksum: Option<String>,
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
            checksum: v.get("checksum").and_then(Value::as_str).map(str::to_owned),
        })
    }
}

/// Every run of one side on one list.
#[derive(Debug, Clone)]
pub struct Cell {
    /// `connectwise` or `halo`.
    pub platform: &'static str,
    /// `mspkit` or `baseline` (ConnectWise), `c=K` (Halo).
    pub side: String,
    /// Halo: the `page_concurrency` of the run.
    pub concurrency: Option<usize>,
    /// Tickets in the list.
    pub n: usize,
    /// Delay per page, ms.
    pub delay_ms: u64,
    /// Items per page.
    pub page_size: usize,
    /// Bytes of all page bodies of the list.
    pub body_bytes: u64,
    /// The checksum of the ids in the order the server serves them.
    pub expected_checksum: String,
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
    /// Runs whose ids came in the served order.
    pub fn in_order(&self) -> usize {
        self.samples
            .iter()
            .filter(|s| s.checksum.as_deref() == Some(self.expected_checksum.as_str()))
            .count()
    }
    /// Mean bytes of one page body, MiB.
    pub fn page_mib(&self) -> f64 {
        let pages = (self.n / self.page_size.max(1)).max(1);
        self.body_bytes as f64 / pages as f64 / (1024.0 * 1024.0)
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

/// The most hyper's HTTP/1 read buffer grows to per connection (its
/// default: 8 KiB + 100 x 4 KiB).
const CONNECTION_BUFFER_MIB: f64 = (8192.0 + 4096.0 * 100.0) / 1_048_576.0;

/// The most peak memory may grow per 10,000 more items in a list: the ids
/// seen so far (8 bytes each in a hash table, about 1.7 MiB at 100,000
/// while it grows) and no more than 1 MiB per 10,000 in all, a few percent
/// of the JSON streamed.
const GROWTH_MIB_PER_10K: f64 = 1.0;

/// The target that peak memory grows with N no faster than
/// `GROWTH_MIB_PER_10K`.
fn growth_target(who: &str, small: usize, s: &Cell, large: usize, l: &Cell, delay: u64) -> Target {
    Target {
        name: format!("{who} peak RSS growth MiB per 10k, N={small}..{large}, {delay} ms"),
        value: (l.peak_mib() - s.peak_mib()) / ((large - small) as f64 / 10_000.0),
        op: "<=",
        limit: GROWTH_MIB_PER_10K,
    }
}

/// ConnectWise's mspkit throughput without delay before concurrent pages,
/// from docs/performance.md (N, items/s), to compare with.
const CONNECTWISE_BEFORE: [(usize, f64); 2] = [(10_000, 74_975.0), (100_000, 90_919.0)];

impl Report {
    fn cell(&self, platform: &str, side: &str, n: usize, delay_ms: u64) -> Option<&Cell> {
        self.cells.iter().find(|c| {
            c.platform == platform && c.side == side && c.n == n && c.delay_ms == delay_ms
        })
    }

    /// mspkit / baseline for one ConnectWise list.
    pub fn ratio(&self, n: usize, delay_ms: u64) -> Option<Ratio> {
        let m = self.cell("connectwise", "mspkit", n, delay_ms)?;
        let b = self.cell("connectwise", "baseline", n, delay_ms)?;
        Some(Ratio {
            n,
            delay_ms,
            throughput: m.items_per_s() / b.items_per_s(),
            wall: m.wall() / b.wall(),
            peak_rss: m.peak_mib() / b.peak_mib(),
            cpu: m.cpu() / b.cpu(),
        })
    }

    /// A Halo cell next to the sequential walk (c=1) of the same list.
    pub fn vs_sequential(&self, c: &Cell) -> Option<Ratio> {
        let one = self.cell("halo", "c=1", c.n, c.delay_ms)?;
        Some(Ratio {
            n: c.n,
            delay_ms: c.delay_ms,
            throughput: c.items_per_s() / one.items_per_s(),
            wall: c.wall() / one.wall(),
            peak_rss: c.peak_mib() / one.peak_mib(),
            cpu: c.cpu() / one.cpu(),
        })
    }

    fn lists(&self, platform: &str) -> Vec<(usize, u64)> {
        let mut out: Vec<(usize, u64)> = Vec::new();
        for c in self.cells.iter().filter(|c| c.platform == platform) {
            if !out.contains(&(c.n, c.delay_ms)) {
                out.push((c.n, c.delay_ms));
            }
        }
        out
    }

    fn sizes_and_delays(&self, platform: &str) -> (Vec<usize>, Vec<u64>) {
        let lists = self.lists(platform);
        let mut sizes: Vec<usize> = lists.iter().map(|l| l.0).collect();
        let mut delays: Vec<u64> = lists.iter().map(|l| l.1).collect();
        sizes.sort_unstable();
        sizes.dedup();
        delays.sort_unstable();
        delays.dedup();
        (sizes, delays)
    }

    /// The targets of the benchmark, as far as the figures allow.
    pub fn targets(&self) -> Vec<Target> {
        let mut out = Vec::new();
        self.connectwise_targets(&mut out);
        self.halo_targets(&mut out);
        let runs: usize = self.cells.iter().map(|c| c.samples.len()).sum();
        let ok: usize = self.cells.iter().map(Cell::in_order).sum();
        out.push(Target {
            name: format!("runs whose ids differ from the served order (of {runs})"),
            value: (runs - ok) as f64,
            op: "<=",
            limit: 0.0,
        });
        out
    }

    fn connectwise_targets(&self, out: &mut Vec<Target>) {
        for (n, delay) in self.lists("connectwise") {
            let Some(r) = self.ratio(n, delay) else {
                continue;
            };
            if delay == 0 {
                out.push(Target {
                    name: format!("cw throughput mspkit/baseline, N={n}, no delay"),
                    value: r.throughput,
                    op: ">=",
                    limit: 0.9,
                });
                if let (Some(m), Some(&(_, before))) = (
                    self.cell("connectwise", "mspkit", n, 0),
                    CONNECTWISE_BEFORE.iter().find(|b| b.0 == n),
                ) {
                    out.push(Target {
                        name: format!("cw mspkit items/s / before ({before:.0}), N={n}, no delay"),
                        value: m.items_per_s() / before,
                        op: ">=",
                        limit: 0.9,
                    });
                }
            } else {
                out.push(Target {
                    name: format!("cw wall mspkit/baseline, N={n}, {delay} ms per page"),
                    value: r.wall,
                    op: "<=",
                    limit: 0.6,
                });
            }
        }
        let (sizes, delays) = self.sizes_and_delays("connectwise");
        if let (Some(&small), Some(&large)) = (sizes.first(), sizes.last()) {
            for delay in delays {
                let (Some(s), Some(l)) = (
                    self.cell("connectwise", "mspkit", small, delay),
                    self.cell("connectwise", "mspkit", large, delay),
                ) else {
                    continue;
                };
                if small != large {
                    out.push(growth_target("cw mspkit", small, s, large, l, delay));
                }
                out.push(Target {
                    name: format!("cw mspkit peak RSS MiB, N={large}, {delay} ms"),
                    value: l.peak_mib(),
                    op: "<=",
                    limit: 64.0,
                });
            }
        }
    }

    fn halo_targets(&self, out: &mut Vec<Target>) {
        let (sizes, delays) = self.sizes_and_delays("halo");
        let (Some(&small), Some(&large)) = (sizes.first(), sizes.last()) else {
            return;
        };
        let halo = || self.cells.iter().filter(|c| c.platform == "halo");
        // Wall time with latency, the largest list: concurrent over sequential.
        for c in halo().filter(|c| c.n == large && c.delay_ms > 0 && c.side != "c=1") {
            if let Some(r) = self.vs_sequential(c) {
                out.push(Target {
                    name: format!(
                        "halo wall {}/c=1, N={large}, {} ms per page",
                        c.side, c.delay_ms
                    ),
                    value: r.wall,
                    op: "<=",
                    limit: 0.3,
                });
            }
        }
        // No latency: concurrency must not cost throughput.
        for c in halo().filter(|c| c.delay_ms == 0 && c.side != "c=1") {
            if let Some(r) = self.vs_sequential(c) {
                out.push(Target {
                    name: format!("halo items/s {}/c=1, N={}, no delay", c.side, c.n),
                    value: r.throughput,
                    op: ">=",
                    limit: 0.95,
                });
            }
        }
        for delay in delays {
            for l in halo().filter(|c| c.n == large && c.delay_ms == delay) {
                if small != large
                    && let Some(s) = self.cell("halo", &l.side, small, delay)
                {
                    out.push(growth_target(
                        &format!("halo {}", l.side),
                        small,
                        s,
                        large,
                        l,
                        delay,
                    ));
                }
                // Each extra request in flight holds one page body and one
                // connection, whose read buffer hyper grows to at most
                // `CONNECTION_BUFFER_MIB` and replaces while the body's
                // chunks still point into the old one; nothing else may
                // grow with c.
                if let (Some(k), Some(one)) =
                    (l.concurrency, self.cell("halo", "c=1", large, delay))
                    && k > 1
                {
                    out.push(Target {
                        name: format!(
                            "halo {} peak RSS - c=1 MiB, N={large}, {delay} ms (<= (c-1) x (page + 2 conn))",
                            l.side
                        ),
                        value: l.peak_mib() - one.peak_mib(),
                        op: "<=",
                        limit: (k - 1) as f64 * (l.page_mib() + 2.0 * CONNECTION_BUFFER_MIB),
                    });
                }
                out.push(Target {
                    name: format!("halo {} peak RSS MiB, N={large}, {delay} ms", l.side),
                    value: l.peak_mib(),
                    op: "<=",
                    limit: 64.0,
                });
            }
        }
    }

    /// The tables, with the ratios and the targets under them.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let cw: Vec<&Cell> = self
            .cells
            .iter()
            .filter(|c| c.platform == "connectwise")
            .collect();
        if !cw.is_empty() {
            let _ = writeln!(
                out,
                "ConnectWise tickets over loopback, pages of 1000; median of {} runs per row",
                self.runs
            );
            header(&mut out, "side", "mspkit/baseline");
            for c in cw {
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
                let _ = writeln!(out, "{}  {}", row(c), ratio);
            }
            out.push('\n');
        }
        let halo: Vec<&Cell> = self.cells.iter().filter(|c| c.platform == "halo").collect();
        if let Some(first) = halo.first() {
            let _ = writeln!(
                out,
                "Halo tickets over loopback, pages of 100 (about {:.0} KB), limiter off; c = page requests in flight (1 = sequential); median of {} runs per row",
                first.page_mib() * 1024.0 * 1024.0 / 1000.0,
                self.runs
            );
            header(&mut out, "c", "vs c=1");
            for c in halo {
                let ratio = match self.vs_sequential(c) {
                    Some(r) if c.side != "c=1" => format!(
                        "{:.2}x items/s, {:.2}x wall, {:.2}x CPU, {:+.1} MiB RSS",
                        r.throughput,
                        r.wall,
                        r.cpu,
                        c.peak_mib() - c.peak_mib() / r.peak_rss
                    ),
                    _ => String::new(),
                };
                let _ = writeln!(out, "{}  {}", row(c), ratio);
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "spread = (slowest - fastest) / median wall time; RSS = peak resident set (VmHWM) of the run's own process; MB = 10^6 bytes of JSON bodies; order = runs whose ids-in-order checksum equals the served order's"
        );
        let _ = writeln!(out, "\ntargets:");
        for t in self.targets() {
            let _ = writeln!(
                out,
                "  {:<4} {:<66} {:>8.2} (target {} {:.2})",
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
                    "platform": c.platform,
                    "side": c.side,
                    "page_concurrency": c.concurrency,
                    "n": c.n,
                    "delay_ms": c.delay_ms,
                    "page_size": c.page_size,
                    "items_per_s": c.items_per_s(),
                    "mb_per_s": c.mb_per_s(),
                    "wall_s": c.wall(),
                    "wall_spread": c.spread(),
                    "cpu_s": c.cpu(),
                    "peak_rss_mib": c.peak_mib(),
                    "start_rss_mib": c.start_mib(),
                    "body_bytes": c.body_bytes,
                    "expected_checksum": c.expected_checksum,
                    "runs_in_order": c.in_order(),
                    "runs": c.samples.iter().map(|s| json!({
                        "wall_s": s.wall_s,
                        "cpu_s": s.cpu_s,
                        "peak_rss_kib": s.peak_rss_kib,
                        "start_rss_kib": s.start_rss_kib,
                        "checksum": s.checksum,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let ratio = |r: Ratio| {
            json!({
                "n": r.n,
                "delay_ms": r.delay_ms,
                "items_per_s": r.throughput,
                "wall": r.wall,
                "cpu": r.cpu,
                "peak_rss": r.peak_rss,
            })
        };
        let cw: Vec<Value> = self
            .lists("connectwise")
            .into_iter()
            .filter_map(|(n, d)| self.ratio(n, d))
            .map(ratio)
            .collect();
        let halo: Vec<Value> = self
            .cells
            .iter()
            .filter(|c| c.platform == "halo")
            .filter_map(|c| {
                let mut v = ratio(self.vs_sequential(c)?);
                v["side"] = json!(c.side);
                Some(v)
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
            "runs_per_row": self.runs,
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "results": cells,
            "connectwise_mspkit_over_baseline": cw,
            "halo_over_sequential": halo,
            "targets": targets,
        })
    }
}

/// The column titles of a table, its side column named `side` and its
/// comparison column `versus`, and the rule under them.
fn header(out: &mut String, side: &str, versus: &str) {
    let _ = writeln!(
        out,
        "{:>6} {:>7} {:<9} {:>9} {:>7} {:>8} {:>6} {:>7} {:>9} {:>5}  {versus}",
        "delay", "N", side, "items/s", "MB/s", "wall s", "spread", "CPU s", "RSS MiB", "order",
    );
    let _ = writeln!(out, "{}", "-".repeat(118));
}

/// A cell's figures, in the columns of the tables.
fn row(c: &Cell) -> String {
    format!(
        "{:>6} {:>7} {:<9} {:>9.0} {:>7.1} {:>8.3} {:>5.0}% {:>7.2} {:>9.1} {:>2}/{:<2}",
        format!("{}ms", c.delay_ms),
        c.n,
        c.side,
        c.items_per_s(),
        c.mb_per_s(),
        c.wall(),
        c.spread() * 100.0,
        c.cpu(),
        c.peak_mib(),
        c.in_order(),
        c.samples.len(),
    )
}
