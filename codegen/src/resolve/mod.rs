//! Stage 2: spec model → IR. Every `$ref` is followed, every name chosen,
//! every type decided; every problem is collected with its location and
//! reported together. Emission, the next stage, cannot fail.

mod all_of;
mod client;
mod cycles;
mod features;
mod operation;
mod parallel;
mod refs;
mod schema;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, join};
use crate::ir::{
    Api, Body, BodyChoice, BodyEncoding, BodyVariant, Bound, Constraints, Field, HttpMethod,
    Location, MultipartPart, Operation, Param, PathSegment, PathTemplate, RequestBody, Response,
    ResponseHeader, Status, SuccessBody, Type, TypeDef, TypeKind, UnionVariant, Variant,
};
use crate::load::LoadedSpec;
use crate::names::{self, Namespace};
use crate::spec::{self, AdditionalProperties, Exclusive, Schema, SchemaType};

use operation::{ParameterKind, parameter_kind};
use parallel::{PARALLEL_AT, resolve_with};

/// Choices the spec does not make.
#[derive(Debug, Clone)]
pub struct Options {
    /// Map `format: int32` to `i64` (documented bound still checked on request
    /// parameters). CodeArts ids already sit within 2% of `i32::MAX`; a client
    /// that cannot decode the next repository is worse than a wider type.
    pub widen_int32: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { widen_int32: true }
    }
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Resolves a loaded spec into the IR, or every problem found in it.
pub fn resolve(spec: &LoadedSpec, options: &Options) -> Result<Api, Diagnostics> {
    resolve_with(spec, options, PARALLEL_AT)
}

impl<'a> Resolver<'a> {
    fn new(spec: &'a LoadedSpec, options: &'a Options) -> Self {
        Resolver {
            spec,
            options,
            diagnostics: Vec::new(),
            types: BTreeMap::new(),
            type_names: Namespace::default(),
            component_names: BTreeMap::new(),
            names: names::Cache::default(),
            scalar_checks: None,
            merging: Vec::new(),
            notes: Vec::new(),
            renamed_components: BTreeMap::new(),
            def_names: BTreeMap::new(),
        }
    }

    /// Checks the version and claims every component schema's name first, so references
    /// (including recursive ones) resolve before the schema itself is visited.
    fn start(&mut self) {
        let document = &self.spec.document;
        if !document.openapi.starts_with("3.") {
            self.error(
                "/openapi",
                format!(
                    "OpenAPI version `{}` is not supported (3.0.x and 3.1.x are)",
                    document.openapi
                ),
            );
        }
        // Names that differ only in case or punctuation (`nullTime`, `NullTime`) are made
        // distinct here, before any schema is visited, from the names alone. The `$defs` of
        // components (OpenAPI 3.1) are named types too, after the components.
        let schemas = &document.components.schemas;
        let mut named: Vec<(String, &str)> = schemas
            .keys()
            .map(|name| (join("/components/schemas", name), name.as_str()))
            .collect();
        for (name, schema) in schemas {
            if schema.defs.is_some() {
                for (pointer, def_name, _) in defs_of(schema, &join("/components/schemas", name)) {
                    named.push((pointer, def_name));
                }
            }
        }
        let candidates: Vec<names::Candidate> = named
            .iter()
            .map(|(_, name)| {
                let plain = names::type_name(name);
                names::Candidate {
                    descriptive: names::type_name(&names::spell_signs(name)),
                    exact: *name == plain,
                    plain,
                }
            })
            .collect();
        let chosen = names::distinct(&candidates, &[], names::camel_suffixed);
        for (index, ((pointer, name), (rust_name, how))) in named.iter().zip(&chosen).enumerate() {
            if let Err(previous) = self.type_names.claim(rust_name, pointer) {
                // `distinct` gives distinct names: unreachable, but never a panic.
                self.error(
                    pointer,
                    format!("the type name `{rust_name}` is already used by {previous}"),
                );
                continue;
            }
            if *how != names::Disambiguation::Plain {
                let plain = &candidates[index].plain;
                let why = match chosen.iter().position(|(kept, _)| kept == plain) {
                    Some(kept) => format!(
                        "`{plain}` is the schema at {}",
                        schema::shown_text(&named[kept].0)
                    ),
                    None => format!("`{plain}` would name more than one schema"),
                };
                self.renamed_components
                    .insert(rust_name.clone(), format!("Named `{rust_name}` ({why})."));
            }
            if index < schemas.len() {
                self.component_names
                    .insert((*name).to_owned(), rust_name.clone());
            } else {
                self.def_names.insert(pointer.clone(), rust_name.clone());
            }
        }
    }

    /// Defines the component schemas at these positions.
    fn define_components(&mut self, positions: std::ops::Range<usize>) {
        let schemas = &self.spec.document.components.schemas;
        for (name, schema) in schemas.iter().skip(positions.start).take(positions.len()) {
            let Some(rust_name) = self.component_names.get(name).cloned() else {
                continue;
            };
            let pointer = join("/components/schemas", name);
            self.define_named(&rust_name, schema, &pointer);
            if schema.defs.is_some() {
                for (def_pointer, _, def) in defs_of(schema, &pointer) {
                    if let Some(rust_name) = self.def_names.get(&def_pointer).cloned() {
                        self.define_named(&rust_name, def, &def_pointer);
                    }
                }
            }
        }
    }

    /// The API, once every type and operation is resolved; or every problem found.
    fn finish(mut self, mut operations: Vec<Operation>) -> Result<Api, Diagnostics> {
        self.box_cycles();
        let client = self.client_config();
        if !self.diagnostics.is_empty() {
            let mut diagnostics = self.diagnostics;
            diagnostics.sort();
            diagnostics.dedup();
            return Err(Diagnostics(diagnostics));
        }
        for param in operations.iter_mut().flat_map(|op| &mut op.params) {
            param.union = parameter_kind(&param.ty, param.location, &self.types)
                == Some(ParameterKind::Union);
        }
        let document = &self.spec.document;
        let mut api = Api {
            title: document.info.title.clone(),
            version: document.info.version.clone(),
            description: document.info.description.clone(),
            source: self.spec.file.clone(),
            servers: document
                .servers
                .iter()
                .map(|server| server.url.clone())
                .collect(),
            client,
            types: self.types.into_values().collect(),
            operations,
            features: Vec::new(),
            type_gates: BTreeMap::new(),
        };
        features::assign(&mut api);
        Ok(api)
    }
}

struct Resolver<'a> {
    spec: &'a LoadedSpec,
    options: &'a Options,
    diagnostics: Vec<Diagnostic>,
    types: BTreeMap<String, TypeDef>,
    type_names: Namespace,
    /// Component schema name → Rust type name.
    component_names: BTreeMap<String, String>,
    names: names::Cache,
    /// On the thread that resolves operations beside component schemas (see
    /// `resolve_on_two_threads`): the parameter types to check once every type is known.
    scalar_checks: Option<Vec<(Type, Location)>>,
    /// The references whose properties the enclosing `allOf` merges are copying.
    merging: Vec<String>,
    /// Notes for the docs of the types being made, innermost last: a type takes the notes
    /// pushed since it started (names made distinct, `required` names not declared).
    notes: Vec<String>,
    /// Component type name → why it is not the schema's plain name.
    renamed_components: BTreeMap<String, String>,
    /// `$defs` of component schemas, by pointer (`/components/schemas/A/$defs/B`) → Rust
    /// type name.
    def_names: BTreeMap<String, String>,
}

/// The `$defs` inside a schema, and theirs, in order: (pointer, name, schema).
fn defs_of<'s>(schema: &'s Schema, pointer: &str) -> Vec<(String, &'s str, &'s Schema)> {
    let mut found = Vec::new();
    let mut pending = vec![(pointer.to_owned(), schema)];
    while let Some((pointer, schema)) = pending.pop() {
        let Some(defs) = &schema.defs else { continue };
        let at = found.len();
        for (name, def) in defs.iter() {
            let def_pointer = join(&join(&pointer, "$defs"), name);
            found.push((def_pointer, name.as_str(), def));
        }
        // Theirs after them, depth first (pushed in reverse, popped in order).
        for (def_pointer, _, def) in found[at..].iter().rev() {
            pending.push((def_pointer.clone(), *def));
        }
    }
    found
}

/// Docs followed by notes, each a paragraph.
fn docs_with_notes(docs: Option<String>, notes: Vec<String>) -> Option<String> {
    if notes.is_empty() {
        return docs;
    }
    let mut parts = vec![docs];
    parts.extend(notes.into_iter().map(Some));
    self::docs(&parts)
}

/// Joins the non-empty parts of a doc comment with blank lines.
fn docs(parts: &[Option<String>]) -> Option<String> {
    let parts: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

impl<'a> Resolver<'a> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.spec.diagnostic(pointer, message);
        self.diagnostics.push(diagnostic);
    }

    /// Claims the name of an inline type: `hint`, or when a component or another inline type
    /// has it, `hint` with the smallest free suffix (`Hint2`); and the note for the type's
    /// docs that says why, if it is not `hint`.
    fn claim_inline_type(&mut self, hint: &str, pointer: &str) -> (String, Option<String>) {
        let Err(previous) = self.type_names.claim(hint, pointer) else {
            return (hint.to_owned(), None);
        };
        let mut n = 2;
        loop {
            let name = names::camel_suffixed(hint, n);
            if self.type_names.claim(&name, pointer).is_ok() {
                let note = format!(
                    "Named `{name}`: `{hint}` is the type of {}.",
                    schema::shown_text(&previous)
                );
                return (name, Some(note));
            }
            n += 1;
        }
    }

    fn extension(&self, pointer: &str, name: &str) -> Option<&'a Value> {
        self.spec.extension(pointer, name)
    }
}

#[cfg(test)]
mod tests {
    use super::cycles::strongly_connected_components;
    use super::parallel::resolve_on_two_threads;
    use super::{Options, resolve_with};
    use crate::load::load;

    /// `text` resolved on one thread and on two (whatever the size and the number of cores),
    /// each shown as the IR or the diagnostics; and whether the two-thread path itself gave
    /// the result.
    fn one_and_two_threads(file: &str, text: &str) -> (String, String, bool) {
        let spec = load(file, text).unwrap_or_else(|d| panic!("{file} does not load: {d}"));
        let options = Options::default();
        let show = |result: Result<crate::ir::Api, crate::diag::Diagnostics>| match result {
            Ok(api) => serde_json::to_string_pretty(&api).expect("the IR serialises"),
            Err(diagnostics) => diagnostics.to_string(),
        };
        let one = show(resolve_with(&spec, &options, usize::MAX));
        match resolve_on_two_threads(&spec, &options) {
            Some(api) => (one, show(Ok(api)), true),
            // What `resolve` does then: the one-thread result.
            None => (one, show(resolve_with(&spec, &options, usize::MAX)), false),
        }
    }

    #[test]
    fn two_threads_resolve_exactly_what_one_thread_does() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
        let mut checked = 0;
        for (folder, valid) in [("ok", true), ("err", false)] {
            let mut paths: Vec<_> = std::fs::read_dir(format!("{fixtures}/{folder}"))
                .expect("fixtures")
                .map(|entry| entry.expect("fixture").path())
                .collect();
            paths.sort();
            for path in paths {
                let name = path.display().to_string();
                let text = std::fs::read_to_string(&path).expect("fixture text");
                if load(&name, &text).is_err() {
                    continue;
                }
                let (one, two, split) = one_and_two_threads(&name, &text);
                assert_eq!(one, two, "{name}");
                assert_eq!(
                    split, valid,
                    "{name}: the two-thread path is taken for valid specs only"
                );
                checked += 1;
            }
        }
        assert!(checked >= 15, "only {checked} fixtures checked");
        let (one, two, split) = one_and_two_threads(
            "spec.yaml",
            include_str!("../../../spec/codearts-repo.yaml"),
        );
        assert_eq!(one, two);
        assert!(split);
    }

    #[test]
    fn what_the_threads_decide_about_each_other_is_checked_after_the_join() {
        // Ten schemas and one path: the first five schemas are defined on the first thread,
        // the operation on the second.
        let spec = |param_schema: &str, op_id: &str| {
            let mut text = String::from(
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    \
                 A:\n      type: object\n      properties:\n        b: {type: string, enum: [x, y]}\n    \
                 Mode: {type: string, enum: [on, off]}\n    \
                 ModeOrLevel: {oneOf: [{$ref: '#/components/schemas/Mode'}, {type: integer}]}\n",
            );
            for n in 0..7 {
                text.push_str(&format!(
                    "    Filler{n}: {{type: object, properties: {{n: {{type: integer}}}}}}\n"
                ));
            }
            text.push_str(&format!(
                "paths:\n  /x:\n    get:\n      operationId: {op_id}\n      parameters:\n        \
                 - {{name: b, in: query, schema: {param_schema}}}\n      responses:\n        \
                 '204': {{description: none}}\n"
            ));
            text
        };
        // A parameter of an enum defined on the other thread: valid, and split.
        let (one, two, split) = one_and_two_threads(
            "t.yaml",
            &spec("{$ref: '#/components/schemas/Mode'}", "List"),
        );
        assert_eq!(one, two);
        assert!(split && one.contains("\"Mode\""), "{one}");
        // A parameter of a union of scalars defined on the other thread: valid, split, and
        // sent as a union.
        let (one, two, split) = one_and_two_threads(
            "t.yaml",
            &spec("{$ref: '#/components/schemas/ModeOrLevel'}", "List"),
        );
        assert_eq!(one, two);
        assert!(split && one.contains("\"union\": true"), "{one}");
        // A parameter of an object defined on the other thread: reported as on one thread.
        let (one, two, split) =
            one_and_two_threads("t.yaml", &spec("{$ref: '#/components/schemas/A'}", "List"));
        assert_eq!(one, two);
        assert!(!split && one.contains("must be a scalar"), "{one}");
        // The same type name made on both threads (`A` + `b`): made distinct as on one
        // thread (the second `AB` is `AB2`).
        let (one, two, split) =
            one_and_two_threads("t.yaml", &spec("{type: string, enum: [p, q]}", "A"));
        assert_eq!(one, two);
        assert!(!split && one.contains("\"AB2\""), "{one}");
    }

    #[test]
    fn a_cycle_through_all_of_is_reported_and_a_long_chain_resolves() {
        let cycle = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                     schemas:\n    A:\n      type: object\n      properties:\n        \
                     b: {allOf: [{$ref: '#/components/schemas/A'}], properties: {x: {type: string}}}\n";
        let spec = load("cycle.yaml", cycle).expect("loads");
        let diagnostics = super::resolve(&spec, &Options::default())
            .expect_err("a cycle through allOf")
            .to_string();
        assert!(
            diagnostics.contains("a cycle through `allOf`"),
            "{diagnostics}"
        );

        // 200 schemas each merging the next through `allOf`, after 70 others: the deep end is
        // resolved on the second thread, which needs a main thread's stack. Run as `main` is.
        let mut chain = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
        );
        for n in 0..70 {
            chain.push_str(&format!(
                "    Filler{n}: {{type: object, properties: {{n: {{type: integer}}}}}}\n"
            ));
        }
        chain.push_str("    C200: {type: object, properties: {v: {type: string}}}\n");
        for n in (0..200).rev() {
            chain.push_str(&format!(
                "    C{n}: {{type: object, properties: {{v: {{type: string}}, next: {{allOf: \
                 [{{$ref: '#/components/schemas/C{}'}}], properties: {{w: {{type: string}}}}}}}}}}\n",
                n + 1
            ));
        }
        let resolved = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                let spec = load("chain.yaml", &chain).expect("loads");
                super::resolve(&spec, &Options::default()).map(|api| api.types.len())
            })
            .expect("a thread")
            .join()
            .expect("no overflow");
        assert!(resolved.expect("resolves") > 271);
    }

    #[test]
    fn components_group_exactly_the_nodes_on_a_common_cycle() {
        // 0 -> 1 -> 2 -> 0 and 1 -> 4 -> 0 are cycles; 3 holds itself; 5 is on none; 6 <-> 7.
        let edges = vec![
            vec![1],
            vec![2, 4],
            vec![0],
            vec![3],
            vec![0],
            vec![],
            vec![7, 5],
            vec![6],
        ];
        let component = strongly_connected_components(&edges);
        let same = |a: usize, b: usize| component[a] == component[b];
        assert!(same(0, 1) && same(1, 2));
        assert!(same(6, 7));
        assert!(!same(0, 3) && !same(0, 5) && !same(5, 6) && !same(0, 6) && !same(3, 4));
        // 4 reaches the cycle (4 -> 0) and is reached from it (1 -> 4): it is on it.
        assert!(same(4, 0));
        // A chain far longer than any thread's stack could recurse through.
        let long: Vec<Vec<usize>> = (0..200_000).map(|n| vec![(n + 1) % 200_000]).collect();
        let component = strongly_connected_components(&long);
        assert!(component.iter().all(|&c| c == component[0]));
    }
}
