//! What the example programs share: syncing one tenant through the
//! normalized traits and printing what was found, or only checking that
//! each tenant's connection works.

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt, TryStreamExt};
use mspkit::{
    AlertQuery, Config, DeviceQuery, Error, ErrorKind, ListQuery, Provider, PsaClient, Result,
    RmmClient, TicketQuery,
};
use mspkit_testkit::wiremock::MockServer;
use mspkit_testkit::{Expected, FakeServer};

/// Every provider's fake server, running, with a `Config` for each.
pub struct FakeTenants {
    /// The servers; they stop when this is dropped.
    pub servers: Vec<MockServer>,
    /// A label, a configuration and what the server holds, per provider.
    pub tenants: Vec<(String, Config, Expected)>,
}

/// Starts the fake server of every provider and returns configurations for them.
pub async fn start_fake_tenants() -> FakeTenants {
    let mut fakes = FakeTenants {
        servers: Vec::new(),
        tenants: Vec::new(),
    };
    fakes.add(
        mspkit::connectwise::mock::start().await,
        Config::ConnectWise,
    );
    fakes.add(mspkit::autotask::mock::start().await, Config::Autotask);
    fakes.add(mspkit::halo::mock::start().await, Config::Halo);
    fakes.add(mspkit::unleashed::mock::start().await, Config::Unleashed);
    fakes.add(mspkit::ninja::mock::start().await, Config::NinjaOne);
    fakes.add(mspkit::datto::mock::start().await, Config::Datto);
    fakes.add(mspkit::tactical::mock::start().await, Config::Tactical);
    fakes.add(
        mspkit::freshservice::mock::start().await,
        Config::Freshservice,
    );
    fakes.add(mspkit::syncro::mock::start().await, Config::Syncro);
    fakes.add(mspkit::atera::mock::start().await, Config::Atera);
    fakes.add(mspkit::zendesk::mock::start().await, Config::Zendesk);
    fakes.add(mspkit::itflow::mock::start().await, Config::ItFlow);
    fakes.add(mspkit::kaseya_bms::mock::start().await, Config::KaseyaBms);
    fakes.add(mspkit::automate::mock::start().await, Config::Automate);
    fakes.add(mspkit::rangermsp::mock::start().await, Config::RangerMsp);
    fakes
}

impl FakeTenants {
    fn add<S>(&mut self, fake: FakeServer<S>, config: fn(S) -> Config) {
        let config = config(fake.settings);
        self.tenants
            .push((config.provider().as_str().to_owned(), config, fake.expected));
        self.servers.push(fake.server);
    }
}

/// One tenant's connection check: how long it took, or why it failed.
#[derive(Debug)]
pub struct Check {
    /// Label of the tenant (provider slug, or the position in a config file).
    pub tenant: String,
    /// The tenant's platform.
    pub provider: Provider,
    /// The time from building the client to the platform's answer, or the
    /// error (its `Display` ends with `; check: ...` when there is a hint).
    pub result: std::result::Result<Duration, Error>,
}

impl Check {
    /// Whether the connection works.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }
}

impl std::fmt::Display for Check {
    /// `ok  <label>  <provider>  <ms> ms` or `FAIL <label> <provider>: <error>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.result {
            Ok(took) => write!(
                f,
                "ok  {}  {}  {} ms",
                self.tenant,
                self.provider,
                took.as_millis()
            ),
            Err(e) => write!(f, "FAIL {} {}: {e}", self.tenant, self.provider),
        }
    }
}

/// Tests each tenant's connection with the platform's cheapest authenticated
/// call (`test_connection`), one tenant after another; no data is read. A
/// tenant that is both PSA and RMM is tested once.
pub async fn check_all(tenants: impl IntoIterator<Item = (String, Config)>) -> Vec<Check> {
    let mut checks = Vec::new();
    for (tenant, config) in tenants {
        progress(&format!("checking {tenant} ..."));
        let started = Instant::now();
        let result = check_one(&config).await.map(|()| started.elapsed());
        checks.push(Check {
            tenant,
            provider: config.provider(),
            result,
        });
    }
    checks
}

async fn check_one(config: &Config) -> Result<()> {
    if config.is_psa() {
        mspkit::connect_psa(config)?.test_connection().await
    } else {
        mspkit::connect_rmm(config)?.test_connection().await
    }
}

/// One line per check.
pub fn render_checks(checks: &[Check]) -> String {
    let mut out = String::new();
    for check in checks {
        let _ = writeln!(out, "{check}");
    }
    out
}

/// Syncs each tenant through the traits it supports, printing progress to stderr.
pub async fn sync_all(tenants: impl IntoIterator<Item = (String, Config)>) -> Vec<Summary> {
    let mut summaries = Vec::new();
    for (label, config) in tenants {
        progress(&format!("syncing {label} ..."));
        let mut summary = Summary {
            tenant: label.clone(),
            ..Default::default()
        };
        if config.is_psa() {
            match mspkit::connect_psa(&config) {
                Ok(psa) => sync_psa(&label, psa.as_ref(), &mut summary).await,
                Err(e) => summary.samples.push(format!("cannot connect: {e}")),
            }
        }
        if config.is_rmm() {
            match mspkit::connect_rmm(&config) {
                Ok(rmm) => sync_rmm(&label, rmm.as_ref(), &mut summary).await,
                Err(e) => summary.samples.push(format!("cannot connect: {e}")),
            }
        }
        summaries.push(summary);
    }
    summaries
}

/// How many items one list yielded: a count, "unsupported", or the error that ended it.
#[derive(Debug)]
pub enum Count {
    /// Every item arrived.
    Items(usize),
    /// The platform has no such list.
    Unsupported,
    /// The list ended with an error after this many items.
    Failed(usize, Error),
}

impl Count {
    /// The count when every item arrived.
    pub fn items(&self) -> Option<usize> {
        match self {
            Count::Items(n) => Some(*n),
            _ => None,
        }
    }

    fn cell(&self) -> String {
        match self {
            Count::Items(n) => n.to_string(),
            Count::Unsupported => "-".into(),
            Count::Failed(n, _) => format!("{n}!"),
        }
    }
}

impl Summary {
    /// The count of one column, when the tenant has it.
    pub fn count(&self, column: &str) -> Option<&Count> {
        self.counts
            .iter()
            .find(|(k, _)| *k == column)
            .map(|(_, c)| c)
    }
}

/// What a sync of one tenant found.
#[derive(Debug, Default)]
pub struct Summary {
    /// Label of the tenant (provider slug, or the position in a config file).
    pub tenant: String,
    /// Counts by column name, in table order.
    pub counts: Vec<(&'static str, Count)>,
    /// A few sample rows.
    pub samples: Vec<String>,
}

/// The table's columns.
pub const COLUMNS: [&str; 9] = [
    "companies",
    "contacts",
    "tickets",
    "agreements",
    "organizations",
    "sites",
    "devices",
    "alerts",
    "software",
];

async fn count<T, S: Stream<Item = Result<T>> + Unpin>(
    tenant: &str,
    what: &'static str,
    mut stream: S,
    mut sample: impl FnMut(&T),
) -> Count {
    progress(&format!("  {tenant}: {what} ..."));
    let mut n = 0;
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => {
                sample(&item);
                n += 1;
                if n % 500 == 0 {
                    progress(&format!("  {tenant}: {what} ... {n}"));
                }
            }
            Err(e) if e.kind() == ErrorKind::Unsupported && n == 0 => return Count::Unsupported,
            Err(e) => return Count::Failed(n, e),
        }
    }
    Count::Items(n)
}

fn progress(line: &str) {
    let mut err = std::io::stderr();
    let _ = writeln!(err, "{line}");
}

/// Syncs a PSA tenant: companies, contacts, tickets (with samples) and agreements.
pub async fn sync_psa(tenant: &str, psa: &dyn PsaClient, summary: &mut Summary) {
    let mut samples = Vec::new();
    let companies = count(tenant, "companies", psa.companies(ListQuery::new()), |_| {}).await;
    let contacts = count(tenant, "contacts", psa.contacts(ListQuery::new()), |_| {}).await;
    let tickets = count(
        tenant,
        "tickets",
        psa.tickets(TicketQuery::new()),
        |t: &mspkit::Ticket| {
            if samples.len() < 3 {
                samples.push(format!(
                    "ticket {:>8} {:<12} {}",
                    t.number.as_deref().unwrap_or(t.id.as_str()),
                    label(&t.status.state),
                    truncate(&t.summary, 60)
                ));
            }
        },
    )
    .await;
    let agreements = count(
        tenant,
        "agreements",
        psa.agreements(ListQuery::new()),
        |_| {},
    )
    .await;
    summary.counts.extend([
        ("companies", companies),
        ("contacts", contacts),
        ("tickets", tickets),
        ("agreements", agreements),
    ]);
    summary.samples.extend(samples);
}

/// Syncs an RMM tenant: organizations, sites, devices (with samples), open
/// alerts, and the software of the first 20 devices.
pub async fn sync_rmm(tenant: &str, rmm: &dyn RmmClient, summary: &mut Summary) {
    let mut samples = Vec::new();
    let mut device_ids = Vec::new();
    let organizations = count(
        tenant,
        "organizations",
        rmm.organizations(ListQuery::new()),
        |_| {},
    )
    .await;
    let sites = count(tenant, "sites", rmm.sites(ListQuery::new()), |_| {}).await;
    let devices = count(
        tenant,
        "devices",
        rmm.devices(DeviceQuery::new()),
        |d: &mspkit::Device| {
            if device_ids.len() < 20 {
                device_ids.push(d.id.clone());
            }
            if samples.len() < 3 {
                samples.push(format!(
                    "device {:<16} {:<16} {:<24} online={}",
                    truncate(d.hostname.as_deref().unwrap_or("?"), 16),
                    label(&d.device_type),
                    truncate(d.os_name.as_deref().unwrap_or("?"), 24),
                    d.online.map_or("?".into(), |o| o.to_string())
                ));
            }
        },
    )
    .await;
    let alerts = count(tenant, "alerts", rmm.alerts(AlertQuery::new()), |_| {}).await;
    progress(&format!(
        "  {tenant}: software of {} devices ...",
        device_ids.len()
    ));
    let mut software = Count::Items(0);
    let mut without_inventory = 0;
    for id in &device_ids {
        let listed: Result<Vec<_>> = rmm.software(id).try_collect().await;
        match (listed, &mut software) {
            (Ok(items), Count::Items(total)) => *total += items.len(),
            // A printer or a hypervisor has no software inventory to read.
            (Err(e), _) if e.kind() == ErrorKind::NotFound => without_inventory += 1,
            (Err(e), _) if e.kind() == ErrorKind::Unsupported => {
                software = Count::Unsupported;
                break;
            }
            (Err(e), Count::Items(total)) => {
                software = Count::Failed(*total, e);
                break;
            }
            _ => {}
        }
    }
    if without_inventory > 0 {
        samples.push(format!(
            "{without_inventory} of {} devices have no software inventory",
            device_ids.len()
        ));
    }
    summary.counts.extend([
        ("organizations", organizations),
        ("sites", sites),
        ("devices", devices),
        ("alerts", alerts),
        ("software", software),
    ]);
    summary.samples.extend(samples);
}

/// An enum's name as the model's JSON spells it (`in_progress`).
fn label<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn truncate(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// The table of every tenant's counts, then sample rows and errors.
pub fn render(summaries: &[Summary]) -> String {
    let mut out = String::new();
    let width = summaries
        .iter()
        .map(|s| s.tenant.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = write!(out, "{:<width$}", "provider");
    for c in COLUMNS {
        let _ = write!(out, " {:>13}", c);
    }
    out.push('\n');
    out.push_str(&"-".repeat(width + 14 * COLUMNS.len()));
    out.push('\n');
    for s in summaries {
        let _ = write!(out, "{:<width$}", s.tenant);
        for c in COLUMNS {
            let cell = s
                .counts
                .iter()
                .find(|(k, _)| *k == c)
                .map_or("-".into(), |(_, v)| v.cell());
            let _ = write!(out, " {cell:>13}");
        }
        out.push('\n');
    }
    out.push_str("\n(- = the platform has no such list; n! = stopped by an error after n items)\n");
    for s in summaries {
        if !s.samples.is_empty() {
            let _ = writeln!(out, "\n{}:", s.tenant);
            for row in &s.samples {
                let _ = writeln!(out, "  {row}");
            }
        }
        for (what, c) in &s.counts {
            if let Count::Failed(_, e) = c {
                let _ = writeln!(out, "  {} {what} failed: {e}", s.tenant);
            }
        }
    }
    out
}
