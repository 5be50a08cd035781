//! Every markdown page of the README and `docs/` is doc-tested
//! (`mspkit_tests::DOC_PAGES`); a new page must be added there.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

fn markdown_in(root: &Path, dir: &str) -> Vec<String> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(root.join(dir)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path.file_name().unwrap().to_string_lossy();
            pages.push(format!("{dir}/{name}"));
        }
    }
    pages
}

#[test]
fn every_page_is_doc_tested() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut on_disk: BTreeSet<String> = markdown_in(&root, "docs").into_iter().collect();
    on_disk.extend(markdown_in(&root, "docs/providers"));
    on_disk.insert("README.md".to_owned());
    let listed: BTreeSet<String> = mspkit_tests::DOC_PAGES
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    let missing: Vec<_> = on_disk.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "pages not doc-tested (add them to doc_pages! in tests/lib.rs): {missing:?}"
    );
    let gone: Vec<_> = listed.difference(&on_disk).collect();
    assert!(gone.is_empty(), "listed pages that do not exist: {gone:?}");
}
