//! The generator on small fixture specs, one per construct and one per spec
//! error. Each working fixture's resolved IR and emitted code are
//! snapshotted here, and compiled by this crate's library (see build.rs);
//! each broken fixture's error report is snapshotted.

use std::path::Path;

use codearts_codegen::{Options, generate};

/// The name a fixture goes by in diagnostics and headers: relative, never a machine path.
fn display_name(path: &Path) -> String {
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    format!("fixtures/{folder}/{file}")
}

fn code_listing(files: &[codearts_codegen::GeneratedFile]) -> String {
    files
        .iter()
        .map(|file| format!("==> {} <==\n{}\n", file.path, file.contents))
        .collect()
}

#[test]
fn working_fixtures_resolve_and_emit() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"),
        "ok/*.{yaml,json}",
        |path| {
            let text = std::fs::read_to_string(path).expect("readable fixture");
            let generated = generate(&display_name(path), &text, &Options::default())
                .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
            insta::assert_yaml_snapshot!("ir", generated.api);
            insta::assert_snapshot!("code", code_listing(&generated.files));
        }
    );
}

#[test]
fn broken_fixtures_are_reported_with_locations() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"),
        "err/*.yaml",
        |path| {
            let text = std::fs::read_to_string(path).expect("readable fixture");
            let diagnostics = match generate(&display_name(path), &text, &Options::default()) {
                Ok(_) => panic!("{} must be rejected", path.display()),
                Err(diagnostics) => diagnostics,
            };
            for diagnostic in diagnostics.iter() {
                assert!(
                    diagnostic.line.is_some(),
                    "every problem has a line: {diagnostic}"
                );
                assert!(diagnostic.file.starts_with("fixtures/err/"), "{diagnostic}");
            }
            insta::assert_snapshot!(diagnostics.to_string());
        }
    );
}

#[test]
fn same_spec_gives_the_same_bytes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok/operations.yaml");
    let text = std::fs::read_to_string(&path).expect("readable fixture");
    let first = generate("operations.yaml", &text, &Options::default()).expect("generates");
    let second = generate("operations.yaml", &text, &Options::default()).expect("generates");
    assert_eq!(first.files, second.files);
}

#[test]
fn int32_can_be_kept_narrow() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Counts:\n      type: object\n      properties:\n        small: {type: integer, format: int32}\n        big: {type: integer, format: int64}\n        plain: {type: integer}\n";
    let narrow = generate("counts.yaml", text, &Options { widen_int32: false }).expect("generates");
    let types = &narrow
        .files
        .iter()
        .find(|f| f.path == "types.rs")
        .expect("types.rs")
        .contents;
    assert!(types.contains("pub small: Option<i32>"), "{types}");
    assert!(types.contains("pub big: Option<i64>"), "{types}");
    assert!(types.contains("pub plain: Option<i64>"), "{types}");
    let wide = generate("counts.yaml", text, &Options::default()).expect("generates");
    let types = &wide
        .files
        .iter()
        .find(|f| f.path == "types.rs")
        .expect("types.rs")
        .contents;
    assert!(types.contains("pub small: Option<i64>"), "{types}");
}
