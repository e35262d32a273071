//! Decoding the ShowRepository example (the page's example response) into the
//! generated type, against decoding the same bytes into `serde_json::Value`.
//!
//! ```text
//! cargo bench -p codearts-repo-tests --bench decode
//! ```
//!
//! `typed` is `serde_json::from_slice::<ShowRepositoryResponseBody>`;
//! `typed_client_path` is what the client really runs on a 2xx body
//! (`serde_path_to_error` for the JSON path of a failure, plus the
//! trailing-data check); `value` is `serde_json::from_slice::<Value>`.
//! Note: this workspace builds serde_json with `preserve_order` (the
//! generator needs it), so `Value` objects are `IndexMap`s here.

use std::hint::black_box;

use codearts_repo::types::ShowRepositoryResponseBody;
use codearts_runtime::{HeaderMap, RawResponse, StatusCode, support};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/example.rs"]
mod example;

fn decode(c: &mut Criterion) {
    let bytes = example::show_repository_example();
    // Both sides must accept the bytes, and the typed side must keep the data.
    let typed: ShowRepositoryResponseBody =
        serde_json::from_slice(&bytes).expect("the example decodes into the generated type");
    assert_eq!(typed.id, Some(2111993598));
    serde_json::from_slice::<serde_json::Value>(&bytes).expect("the example is JSON");
    let raw = RawResponse::new(
        StatusCode::OK,
        HeaderMap::new(),
        codearts_runtime::Bytes::from(bytes.clone()),
    );

    let mut group = c.benchmark_group("decode/show_repository");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("typed", |b| {
        b.iter(|| serde_json::from_slice::<ShowRepositoryResponseBody>(black_box(&bytes)))
    });
    group.bench_function("typed_client_path", |b| {
        b.iter(|| {
            support::decode_json::<ShowRepositoryResponseBody>("ShowRepository", black_box(&raw))
        })
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)))
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
