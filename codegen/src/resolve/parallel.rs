//! Speed: a large valid spec is resolved on two threads (the first component schemas on one,
//! the rest and the operations on the other), joined and checked; anything to report is
//! resolved again on one thread, so diagnostics are always the one-thread ones.

use super::*;

/// Below this many component schemas plus operations, a second thread costs more than it
/// saves.
pub(super) const PARALLEL_AT: usize = 64;

/// The stack of the second resolving thread: a main thread's 8 MiB.
pub(super) const RESOLVER_STACK_BYTES: usize = 8 << 20;

pub(super) fn resolve_with(
    spec: &LoadedSpec,
    options: &Options,
    parallel_at: usize,
) -> Result<Api, Diagnostics> {
    let document = &spec.document;
    let size = document.components.schemas.len() + document.paths.len();
    if size >= parallel_at
        && std::thread::available_parallelism().map_or(1, usize::from) >= 2
        && let Some(api) = resolve_on_two_threads(spec, options)
    {
        return Ok(api);
    }
    let mut resolver = Resolver::new(spec, options);
    resolver.start();
    resolver.define_components(0..document.components.schemas.len());
    let operations = resolver.operations();
    resolver.finish(operations)
}

/// A valid spec resolved on two threads: the first component schemas on one, the other
/// schemas and every operation on the other, then joined. The result is the one-thread
/// result because nothing one side decides depends on the other: component names are all
/// claimed before the split, types are keyed by name, and an operation's check that a
/// parameter's named type is a scalar is made after the join. Anything that would be
/// reported (a collision between the sides included) gives `None`, and the caller resolves
/// on one thread, so diagnostics are always the one-thread ones.
pub(super) fn resolve_on_two_threads(spec: &LoadedSpec, options: &Options) -> Option<Api> {
    let mut first = Resolver::new(spec, options);
    first.start();
    if !first.diagnostics.is_empty() {
        return None;
    }
    let mut second = Resolver {
        component_names: first.component_names.clone(),
        type_names: first.type_names.clone(),
        renamed_components: first.renamed_components.clone(),
        def_names: first.def_names.clone(),
        scalar_checks: Some(Vec::new()),
        ..Resolver::new(spec, options)
    };
    // An operation costs about two thirds of a schema (measured on the large spec).
    let schemas = spec.document.components.schemas.len();
    let operations: usize = spec
        .document
        .paths
        .values()
        .map(|item| item.operations().count())
        .sum();
    let split = ((schemas + operations * 2 / 3) / 2).min(schemas);
    let (mut first, second) = std::thread::scope(|scope| {
        // Resolving recurses as deep as `allOf` chains of references go: the thread gets
        // the stack a main thread has, not a spawned thread's 2 MiB.
        let second = std::thread::Builder::new()
            .stack_size(RESOLVER_STACK_BYTES)
            .spawn_scoped(scope, move || {
                second.define_components(split..schemas);
                let operations = second.operations();
                (second, operations)
            });
        first.define_components(0..split);
        (first, second.ok().map(|second| second.join()))
    });
    let (second, operations) = second?.ok()?;
    if !first.diagnostics.is_empty() || !second.diagnostics.is_empty() {
        return None;
    }
    if !first.type_names.absorb(second.type_names) {
        return None;
    }
    for (name, def) in second.types {
        if first.types.insert(name, def).is_some() {
            return None;
        }
    }
    let checks = second.scalar_checks.unwrap_or_default();
    if !checks
        .iter()
        .all(|(ty, location)| parameter_kind(ty, *location, &first.types).is_some())
    {
        return None;
    }
    first.finish(operations).ok()
}
