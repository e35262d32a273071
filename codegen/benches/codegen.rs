//! How fast the generator is, stage by stage and whole, on the in-tree spec
//! and on a large synthetic one (300 operations, 500 schemas; see
//! `examples/large_spec/generate.rs`).
//!
//! ```text
//! cargo bench -p codearts-codegen --bench codegen
//! ```
//!
//! Stages: `read` is `load::load` (YAML text → spec model, with the line
//! index for diagnostics), `resolve` is `resolve::resolve`, `emit` is
//! `emit::emit` (syntax trees, then prettyplease, on all cores). `format` is
//! prettyplease alone, on one thread: the generated files are parsed into
//! syntax trees once, outside the measurement, and each iteration prints them
//! (`prettyplease::unparse`): the part of `emit` that no change to the emitter
//! removes. `whole` is `codearts_codegen::generate` on the text (no file I/O).

use std::hint::black_box;

use codearts_codegen::{Options, emit, generate, load, resolve};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../examples/large_spec/generate.rs"]
mod large_spec;

/// The allocator of `cargo xtask codegen`: what users run is what is measured.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SPEC_FILE: &str = "spec/codearts-repo.yaml";
const SPEC: &str = include_str!("../../spec/codearts-repo.yaml");
const LARGE_FILE: &str = "large.yaml";

/// Benchmarks every stage of `file`; `samples` is criterion's sample size
/// (100 by default; 10 for the large spec, whose iterations take most of a
/// second).
fn stages(c: &mut Criterion, group_name: &str, file: &str, text: &str, samples: usize) {
    let options = Options::default();
    // Setup doubles as a check: the spec generates without errors.
    let loaded = load::load(file, text).unwrap_or_else(|d| panic!("{file} does not load:\n{d}"));
    let api = resolve::resolve(&loaded, &options)
        .unwrap_or_else(|d| panic!("{file} does not resolve:\n{d}"));
    let trees: Vec<syn::File> = emit::emit(&api)
        .iter()
        .map(|file| syn::parse_file(&file.contents).expect("generated code parses"))
        .collect();

    let mut group = c.benchmark_group(group_name);
    group.sample_size(samples);
    group.bench_function("read", |b| {
        b.iter(|| load::load(black_box(file), black_box(text)).map(|_| ()))
    });
    group.bench_function("resolve", |b| {
        b.iter(|| resolve::resolve(black_box(&loaded), &options).map(|api| api.types.len()))
    });
    group.bench_function("emit", |b| b.iter(|| emit::emit(black_box(&api))));
    group.bench_function("format", |b| {
        b.iter(|| {
            black_box(&trees)
                .iter()
                .map(prettyplease::unparse)
                .collect::<Vec<String>>()
        })
    });
    group.bench_function("whole", |b| {
        b.iter(|| generate(black_box(file), black_box(text), &options).map(|g| g.files.len()))
    });
    group.finish();
}

fn in_tree_spec(c: &mut Criterion) {
    stages(c, "codegen/spec", SPEC_FILE, SPEC, 100);
}

fn large(c: &mut Criterion) {
    let text = large_spec::large_spec();
    let generated = generate(LARGE_FILE, &text, &Options::default())
        .unwrap_or_else(|d| panic!("the large spec does not generate:\n{d}"));
    assert_eq!(generated.api.operations.len(), large_spec::OPERATIONS);
    assert!(generated.api.types.len() >= large_spec::SCHEMAS);
    stages(c, "codegen/large", LARGE_FILE, &text, 10);
}

criterion_group!(benches, in_tree_spec, large);
criterion_main!(benches);
