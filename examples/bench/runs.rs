//! One measured run, in a process of its own: the sync (mspkit or the
//! baseline) against one server endpoint, then wall time, CPU time, the peak
//! resident memory of this process and a checksum of the ticket ids in the
//! order they arrived, printed as one JSON line.

use std::hint::black_box;
use std::time::Instant;

use futures::StreamExt as _;
use mspkit::connectwise::ConnectWiseClient;
use mspkit::connectwise::api;
use mspkit::{PsaClient, TicketQuery};
use reqwest::header::{ACCEPT, HeaderMap, LINK};
use serde_json::json;

use crate::server::{
    CLIENT_ID, CODEBASE, COMPANY_ID, PAGE_SIZE, PRIVATE_KEY, PUBLIC_KEY, Platform,
};

/// Which sync a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// ConnectWise: `ConnectWiseClient::tickets()` through `PsaClient`,
    /// streamed to the end.
    Mspkit,
    /// ConnectWise: one reqwest client, a loop over pages, serde_json into
    /// the provider's structs.
    Baseline,
    /// Halo: `HaloClient::tickets()` through `PsaClient` with at most this
    /// many page requests in flight (`page_concurrency`), limiter off.
    Pages(usize),
}

impl Side {
    /// The name used on the command line and in the figures.
    pub fn name(self) -> String {
        match self {
            Side::Mspkit => "mspkit".into(),
            Side::Baseline => "baseline".into(),
            Side::Pages(k) => format!("c={k}"),
        }
    }

    /// Reads a side's name.
    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "mspkit" => Some(Side::Mspkit),
            "baseline" => Some(Side::Baseline),
            _ => s
                .strip_prefix("c=")?
                .parse()
                .ok()
                .filter(|&k| k > 0)
                .map(Side::Pages),
        }
    }
}

/// An order-sensitive checksum of ticket ids (FNV-1a, 64 bits, over each
/// id's text and a separator): equal sums mean the same ids in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checksum(u64);

impl Checksum {
    /// The sum of no ids.
    pub fn new() -> Checksum {
        Checksum(0xcbf2_9ce4_8422_2325)
    }

    /// Adds the next id.
    pub fn push(&mut self, id: &str) {
        for &b in id.as_bytes().iter().chain(b"\n") {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The sum of the ids a server serves: `first`, `first + 1`, ... `n` of them.
    pub fn of_run(first: u64, n: usize) -> Checksum {
        let mut sum = Checksum::new();
        for id in first..first + n as u64 {
            sum.push(&id.to_string());
        }
        sum
    }

    /// As 16 hex digits.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Runs one sync of `n` tickets from `origin` and prints its figures as one
/// JSON line on stdout.
pub fn run(
    platform: Platform,
    side: Side,
    origin: &str,
    n: usize,
    delay_ms: u64,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let start_rss = proc_status_kib("VmRSS:");
    let cpu_before = cpu_seconds();
    let (items, wall, sum) = runtime.block_on(async {
        match (platform, side) {
            (Platform::ConnectWise, Side::Mspkit) => mspkit_sync(origin).await,
            (Platform::ConnectWise, Side::Baseline) => baseline_sync(origin).await,
            (Platform::Halo, Side::Pages(k)) => crate::halo::sync(origin, k).await,
            _ => Err(format!("{} has no side {}", platform.name(), side.name())),
        }
    })?;
    let cpu = cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    let peak = proc_status_kib("VmHWM:");
    drop(runtime);
    if items != n {
        return Err(format!(
            "{}: expected {n} tickets, got {items}",
            side.name()
        ));
    }
    let line = json!({
        "platform": platform.name(),
        "side": side.name(),
        "n": n,
        "delay_ms": delay_ms,
        "items": items,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_kib": peak,
        "start_rss_kib": start_rss,
        "checksum": sum.hex(),
    });
    println!("{line}");
    Ok(())
}

/// mspkit: the normalized ticket stream, through the trait object, to the end.
async fn mspkit_sync(origin: &str) -> Result<(usize, f64, Checksum), String> {
    let client = ConnectWiseClient::builder()
        .base_url(origin)
        .company_id(COMPANY_ID)
        .public_key(PUBLIC_KEY)
        .private_key(PRIVATE_KEY)
        .client_id(CLIENT_ID)
        .codebase(CODEBASE)
        .allow_insecure_http()
        .build()
        .map_err(|e| format!("cannot build the client: {e}"))?;
    stream_tickets(&client, PAGE_SIZE, "mspkit").await
}

/// Streams every ticket of `psa` to the end, through the trait object, in
/// pages of `page_size`: the count, the wall time from the first request to
/// the last item, and the checksum of the ids in the order they came.
pub async fn stream_tickets(
    psa: &dyn PsaClient,
    page_size: usize,
    who: &str,
) -> Result<(usize, f64, Checksum), String> {
    let started = Instant::now();
    let mut stream = psa.tickets(TicketQuery::new().page_size(page_size as u32));
    let (mut items, mut sum) = (0, Checksum::new());
    while let Some(ticket) = stream.next().await {
        let ticket = ticket.map_err(|e| format!("{who}: after {items} tickets: {e}"))?;
        sum.push(ticket.id.as_str());
        black_box(&ticket);
        items += 1;
    }
    Ok((items, started.elapsed().as_secs_f64(), sum))
}

/// The baseline: what a careful user writes without mspkit. One client, the
/// auth headers, `pageSize=1000`, follow `Link: rel="next"` verbatim, decode
/// each page with serde_json into the provider crate's own ticket struct.
async fn baseline_sync(origin: &str) -> Result<(usize, f64, Checksum), String> {
    // mspkit's TLS setup (rustls with ring): reqwest has no built-in
    // crypto provider in this workspace.
    let client = mspkit::http::client_builder()
        .build()
        .map_err(|e| format!("cannot build the client: {e}"))?;
    let user = format!("{COMPANY_ID}+{PUBLIC_KEY}");
    let started = Instant::now();
    let mut url = format!("{origin}/{CODEBASE}/apis/3.0/service/tickets?pageSize={PAGE_SIZE}");
    let (mut items, mut sum) = (0, Checksum::new());
    // Bounded: a server that never stops handing out links cannot keep us here.
    for _ in 0..1_000_000 {
        let resp = client
            .get(&url)
            .basic_auth(&user, Some(PRIVATE_KEY))
            .header("clientId", CLIENT_ID)
            .header(ACCEPT, "application/vnd.connectwise.com+json")
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| format!("baseline: {e}"))?;
        let next = next_link(resp.headers());
        let body = resp.bytes().await.map_err(|e| format!("baseline: {e}"))?;
        let page: Vec<api::Ticket> =
            serde_json::from_slice(&body).map_err(|e| format!("baseline: decode: {e}"))?;
        for ticket in &page {
            sum.push(&ticket.id.to_string());
            black_box(ticket);
        }
        items += page.len();
        match next {
            Some(next) => url = next,
            None => return Ok((items, started.elapsed().as_secs_f64(), sum)),
        }
    }
    Err("baseline: the server never stopped handing out next links".into())
}

/// The `rel="next"` target of a `Link` header.
fn next_link(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(LINK)?.to_str().ok()?;
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let close = open + rest[open..].find('>')?;
        let target = &rest[open + 1..close];
        let after = &rest[close + 1..];
        let params = &after[..after.find('<').unwrap_or(after.len())];
        if params.contains("rel=\"next\"") || params.contains("rel=next") {
            return Some(target.to_owned());
        }
        rest = &after[params.len()..];
    }
    None
}

/// A `VmXxx:` line of `/proc/self/status`, in KiB.
fn proc_status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// User + system CPU time of this process so far (Linux clock ticks of 1/100 s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
