//! Running a proptest property the way the fuzz tests (`fuzz_decode.rs`, `fuzz_spec.rs`) do:
//! a bounded number of cases that `PROPTEST_CASES` raises for long runs (fuzz/README.md), no
//! persisted failures, and a summary of what the cases did, printed at the end
//! (`--nocapture`). Also their seeds-with-mutations strategy.

use std::cell::Cell;
use std::fmt::Debug;
use std::time::{Duration, Instant};

use proptest::collection::SizeRange;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// `default_cases` cases, or `PROPTEST_CASES` of them when it is set.
pub fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.trim().parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        // Inputs found are written into the test file as regression tests instead.
        failure_persistence: None,
        ..Config::default()
    }
}

/// What a property counts while its cases run, for the summary: each test file counts its
/// own outcomes (decodes, rejections, diagnostics); executions and times are counted here.
pub trait Tally: Default {
    /// The counts in the summary line, after the executions.
    fn counts(&self) -> String;

    /// Printed after the summary line, e.g. samples of what was counted; nothing by default.
    fn details(&self, _property: &str) {}
}

/// Runs `test` on the cases of `strategy` (shrinking any failure), then prints the summary;
/// panics with the minimal failing input.
pub fn run_property<S, T>(
    name: &str,
    default_cases: u32,
    strategy: S,
    test: impl Fn(S::Value, &T) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: Debug,
    T: Tally,
{
    let config = config(default_cases);
    let cases = config.cases;
    let tally = T::default();
    let executions = Cell::new(0u64);
    let slowest = Cell::new(Duration::ZERO);
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |input| {
        bump(&executions);
        let case_started = Instant::now();
        let outcome = test(input, &tally);
        slowest.set(slowest.get().max(case_started.elapsed()));
        outcome
    });
    eprintln!(
        "{name}: {cases} cases, {} executions, {}, slowest execution {:?}, {:.1?} in all",
        executions.get(),
        tally.counts(),
        slowest.get(),
        started.elapsed(),
    );
    tally.details(name);
    if let Err(error) = result {
        panic!("{name}: {error}");
    }
}

/// A failed case, with `message`.
pub fn fail(message: impl Into<String>) -> TestCaseError {
    TestCaseError::fail(message.into())
}

/// Counts one more.
pub fn bump(cell: &Cell<u64>) {
    cell.set(cell.get() + 1);
}

/// One of `seeds` with `edits` (some of `edit`, as many as `count` says) applied by `apply`
/// in turn.
pub fn mutated<T, E>(
    seeds: &'static [T],
    edit: impl Strategy<Value = E>,
    count: impl Into<SizeRange>,
    apply: fn(&mut T, &E),
) -> impl Strategy<Value = T>
where
    T: Clone + Debug,
    E: Debug,
{
    let edits = proptest::collection::vec(edit, count);
    (0..seeds.len(), edits).prop_map(move |(which, edits)| {
        let mut mutant = seeds[which].clone();
        for edit in &edits {
            apply(&mut mutant, edit);
        }
        mutant
    })
}
