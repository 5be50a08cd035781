//! Where the suites look for secrets: every text a check provoked (error
//! Display and Debug, a client's and its settings' Debug) and every trace
//! line the client wrote, at every level.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Texts collected during a suite, and the secrets to look for in them.
#[derive(Default)]
pub(crate) struct Leaks {
    texts: Vec<(String, String)>,
    secrets: Vec<String>,
}

impl Leaks {
    /// Keeps `text`, produced by `what`, for the final search.
    pub(crate) fn note(&mut self, what: impl Into<String>, text: impl Into<String>) {
        self.texts.push((what.into(), text.into()));
    }

    /// Keeps an error's Display and Debug.
    pub(crate) fn note_err(&mut self, what: &str, e: &mspkit_core::Error) {
        self.note(format!("{what} (Display)"), e.to_string());
        self.note(format!("{what} (Debug)"), format!("{e:?}"));
    }

    /// Keeps the result's error, if it is one.
    pub(crate) fn note_result<T>(&mut self, what: &str, r: &mspkit_core::Result<T>) {
        if let Err(e) = r {
            self.note_err(what, e);
        }
    }

    /// Adds secrets to search for.
    pub(crate) fn secrets(&mut self, secrets: impl IntoIterator<Item = String>) {
        self.secrets.extend(secrets);
    }

    /// Panics naming the first text that holds a secret, in any of the
    /// forms it can take on the wire.
    pub(crate) fn assert_clean(&self, provider: mspkit_core::Provider, trace: &TraceCapture) {
        assert!(
            !self.secrets.is_empty(),
            "{provider}: the fake server names no secrets (FakeServer::secrets): nothing to search for"
        );
        let trace_text = trace.text();
        let mut forms: Vec<(String, String)> = Vec::new();
        for s in self.secrets.iter().filter(|s| s.len() >= 4) {
            let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            forms.push((s.clone(), s.clone()));
            if form != *s {
                forms.push((s.clone(), form));
            }
            let json = serde_json::to_string(s).unwrap_or_default();
            let json = json.trim_matches('"').to_owned();
            if json != *s {
                forms.push((s.clone(), json));
            }
        }
        let texts = self
            .texts
            .iter()
            .map(|(w, t)| (w.as_str(), t.as_str()))
            .chain(std::iter::once(("TRACE output", trace_text.as_str())));
        for (what, text) in texts {
            for (secret, form) in &forms {
                assert!(
                    !text.contains(form.as_str()),
                    "{provider}: a secret ({}…) appears in {what}: {}",
                    secret.chars().take(3).collect::<String>(),
                    excerpt(text, form)
                );
            }
        }
    }
}

/// The text around `needle`, with the needle itself masked.
fn excerpt(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(60)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let end = (at + needle.len() + 60).min(text.len());
    let end = (end..=text.len())
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(text.len());
    text[start..end].replace(needle, "<SECRET>")
}

/// A tracing subscriber that writes every span and event, with all their
/// fields, to a buffer; installed for the current thread while the guard
/// lives (the suites run on a current-thread runtime, so the client's
/// spawned page tasks are covered too).
pub(crate) struct TraceCapture {
    buffer: Arc<Mutex<String>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl TraceCapture {
    pub(crate) fn install() -> Self {
        let buffer = Arc::new(Mutex::new(String::new()));
        let guard = tracing::subscriber::set_default(Collector {
            buffer: buffer.clone(),
            next_id: std::sync::atomic::AtomicU64::new(1),
        });
        TraceCapture {
            buffer,
            _guard: guard,
        }
    }

    pub(crate) fn text(&self) -> String {
        self.buffer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

struct Collector {
    buffer: Arc<Mutex<String>>,
    next_id: std::sync::atomic::AtomicU64,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }
}

impl Collector {
    fn write(&self, head: &str, meta: &Metadata<'_>, fill: impl FnOnce(&mut String)) {
        let mut line = format!("{head} {} {}:", meta.level(), meta.target());
        fill(&mut line);
        line.push('\n');
        self.buffer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_str(&line);
    }
}

impl Subscriber for Collector {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.write("span", span.metadata(), |l| span.record(&mut Fields(l)));
        Id::from_u64(
            self.next_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        )
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = String::from("record:");
        values.record(&mut Fields(&mut line));
        line.push('\n');
        self.buffer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_str(&line);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.write("event", event.metadata(), |l| event.record(&mut Fields(l)));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_a_trace_field_is_found() {
        let trace = TraceCapture::install();
        tracing::trace!(header = "Bearer s3cr3t-token", "sending");
        let mut leaks = Leaks::default();
        leaks.secrets(["s3cr3t-token".to_owned()]);
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            leaks.assert_clean(mspkit_core::Provider::Halo, &trace)
        }));
        assert!(found.is_err(), "the leak was not found");
    }

    #[test]
    fn form_encoded_secrets_are_found_too() {
        let trace = TraceCapture::install();
        let mut leaks = Leaks::default();
        leaks.secrets(["a b+c/d".to_owned()]);
        leaks.note("an error", "client_secret=a+b%2Bc%2Fd");
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            leaks.assert_clean(mspkit_core::Provider::Halo, &trace)
        }));
        assert!(found.is_err(), "the form-encoded leak was not found");
    }
}
