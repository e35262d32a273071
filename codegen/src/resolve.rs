//! Stage 2: spec model → IR. Every `$ref` is followed, every name chosen,
//! every type decided; every problem is collected with its location and
//! reported together. Emission, the next stage, cannot fail.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, join};
use crate::ir::{
    Api, Body, Bound, Constraints, Field, HttpMethod, Location, Operation, Param, PathSegment,
    PathTemplate, RequestBody, Response, ResponseHeader, Status, SuccessBody, Type, TypeDef,
    TypeKind, UnionVariant, Variant,
};
use crate::load::LoadedSpec;
use crate::names::{self, Namespace};
use crate::spec::{self, AdditionalProperties, Exclusive, Schema, SchemaType};

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

/// Below this many component schemas plus operations, a second thread costs more than it
/// saves.
const PARALLEL_AT: usize = 64;

/// The stack of the second resolving thread: a main thread's 8 MiB.
const RESOLVER_STACK_BYTES: usize = 8 << 20;

fn resolve_with(
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
fn resolve_on_two_threads(spec: &LoadedSpec, options: &Options) -> Option<Api> {
    let mut first = Resolver::new(spec, options);
    first.start();
    if !first.diagnostics.is_empty() {
        return None;
    }
    let mut second = Resolver {
        component_names: first.component_names.clone(),
        type_names: first.type_names.clone(),
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
        .all(|(ty, location)| is_parameter_type(ty, *location, &first.types))
    {
        return None;
    }
    first.finish(operations).ok()
}

/// Whether a parameter in `location` may have this type: a scalar, or (in a query or header)
/// an array of scalars; an enum or an alias of a scalar is one.
fn is_parameter_type(ty: &Type, location: Location, types: &BTreeMap<String, TypeDef>) -> bool {
    let scalar = |ty: &Type| match ty {
        Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::String => true,
        Type::Named(name) => matches!(
            types.get(name).map(|def| &def.kind),
            Some(
                TypeKind::StringEnum { .. }
                    | TypeKind::IntEnum { .. }
                    | TypeKind::Alias {
                        target: Type::Bool
                            | Type::I32
                            | Type::I64
                            | Type::F32
                            | Type::F64
                            | Type::String
                    }
            )
        ),
        _ => false,
    };
    match ty {
        Type::Vec(item) => location != Location::Path && scalar(item),
        other => scalar(other),
    }
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
        for name in document.components.schemas.keys() {
            let pointer = join("/components/schemas", name);
            let rust_name = names::camel(name);
            if self.claim_type(&rust_name, &pointer) {
                self.component_names.insert(name.clone(), rust_name);
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
        }
    }

    /// Every operation, sorted by method name.
    fn operations(&mut self) -> Vec<Operation> {
        let document = &self.spec.document;
        let auth_headers = self.auth_headers();
        let mut operations = Vec::new();
        let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
        let mut method_names = Namespace::default();
        for (path, item) in &document.paths {
            let item_pointer = join("/paths", path);
            if !path.starts_with('/') {
                self.error(&item_pointer, "a path must start with `/`");
                continue;
            }
            if item.reference.is_some() {
                self.error(
                    &join(&item_pointer, "$ref"),
                    "path item `$ref` is not supported",
                );
                continue;
            }
            for (method, operation) in item.operations() {
                let pointer = join(&item_pointer, method);
                let Some(id) = operation.operation_id.clone() else {
                    self.error(
                        &pointer,
                        "the operation has no `operationId` (it names the generated method)",
                    );
                    continue;
                };
                if let Some(previous) = operation_ids.get(&id) {
                    self.error(
                        &join(&pointer, "operationId"),
                        format!("duplicate operationId `{id}` (also at {previous})"),
                    );
                    continue;
                }
                operation_ids.insert(id.clone(), pointer.clone());
                let method_name = names::snake(&id);
                if let Err(previous) = method_names.claim(&method_name, &pointer) {
                    self.error(
                        &join(&pointer, "operationId"),
                        format!("operationId `{id}` becomes method `{method_name}`, which {previous} already uses"),
                    );
                    continue;
                }
                if let Some(resolved) = self.operation(
                    path,
                    method,
                    item,
                    operation,
                    &pointer,
                    id,
                    method_name,
                    &auth_headers,
                ) {
                    operations.push(resolved);
                }
            }
        }
        operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        operations
    }

    /// The API, once every type and operation is resolved; or every problem found.
    fn finish(mut self, operations: Vec<Operation>) -> Result<Api, Diagnostics> {
        self.box_cycles();
        if !self.diagnostics.is_empty() {
            let mut diagnostics = self.diagnostics;
            diagnostics.sort();
            diagnostics.dedup();
            return Err(Diagnostics(diagnostics));
        }
        let document = &self.spec.document;
        Ok(Api {
            title: document.info.title.clone(),
            version: document.info.version.clone(),
            description: document.info.description.clone(),
            source: self.spec.file.clone(),
            servers: document
                .servers
                .iter()
                .map(|server| server.url.clone())
                .collect(),
            types: self.types.into_values().collect(),
            operations,
        })
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
}

/// `1..=5`, `at least 1` or `at most 5`, for the docs; `None` without bounds.
fn describe_bounds<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{min}..={max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    }
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

fn type_list(schema: &Schema) -> Vec<&str> {
    match &schema.schema_type {
        None => Vec::new(),
        Some(SchemaType::One(one)) => vec![one.as_str()],
        Some(SchemaType::Many(many)) => many.iter().map(String::as_str).collect(),
    }
}

/// Whether a value of this schema may be `null`.
fn is_nullable(schema: &Schema) -> bool {
    schema.nullable
        || type_list(schema).contains(&"null")
        || schema
            .enum_values
            .as_ref()
            .is_some_and(|values| values.contains(&Value::Null))
        || schema
            .one_of
            .iter()
            .chain(&schema.any_of)
            .any(is_null_schema)
}

fn is_null_schema(schema: &Schema) -> bool {
    type_list(schema) == ["null"] || schema.enum_values.as_deref() == Some(&[Value::Null][..])
}

impl<'a> Resolver<'a> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.spec.diagnostic(pointer, message);
        self.diagnostics.push(diagnostic);
    }

    /// Claims a type name; reports a collision and returns false if taken.
    fn claim_type(&mut self, rust_name: &str, pointer: &str) -> bool {
        match self.type_names.claim(rust_name, pointer) {
            Ok(()) => true,
            Err(previous) => {
                self.error(
                    pointer,
                    format!(
                        "the type name `{rust_name}` is already used by {previous}; \
                         rename one of them (names are compared after conversion to UpperCamelCase)"
                    ),
                );
                false
            }
        }
    }

    fn extension(&self, pointer: &str, name: &str) -> Option<&'a Value> {
        self.spec.extension(pointer, name)
    }

    /// Follows a schema `$ref` to the component it names.
    fn component_schema(
        &mut self,
        reference: &str,
        pointer: &str,
    ) -> Option<(&'a String, &'a Schema)> {
        let Some(name) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.error(
                &join(pointer, "$ref"),
                format!("`{reference}`: only local references to `#/components/schemas/…` are supported here"),
            );
            return None;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        match self.spec.document.components.schemas.get_key_value(&name) {
            Some(found) => Some(found),
            None => {
                self.error(
                    &join(pointer, "$ref"),
                    format!("dangling `$ref`: `{reference}` does not exist"),
                );
                None
            }
        }
    }

    /// Whether a `$ref` (or a one-element `allOf` wrapper) points at a nullable schema.
    fn references_nullable(&self, schema: &Schema) -> bool {
        let mut current = schema;
        for _ in 0..32 {
            let next = match (&current.reference, current.all_of.as_slice()) {
                (Some(reference), _) => reference
                    .strip_prefix(SCHEMA_PREFIX)
                    .and_then(|name| self.spec.document.components.schemas.get(name)),
                (None, [only]) => Some(only),
                _ => None,
            };
            match next {
                Some(target) if is_nullable(target) => return true,
                Some(target) => current = target,
                None => return false,
            }
        }
        false
    }

    /// Documentation for a schema used as a field or parameter.
    fn schema_docs(&self, schema: &Schema, pointer: &str) -> Option<String> {
        let mut notes = Vec::new();
        if let Some(format) = &schema.format {
            notes.push(format!("Format: `{format}`."));
        }
        if let Some(range) = self
            .extension(pointer, "x-value-range")
            .and_then(Value::as_str)
        {
            notes.push(format!(
                "Documented range: {range} (not enforced when decoding)."
            ));
        }
        if let Some(range) = describe_bounds(schema.minimum, schema.maximum) {
            notes.push(format!("Range: {range}."));
        }
        if let Some(range) = describe_bounds(schema.min_length, schema.max_length) {
            // "at least 1 character", "1..=5 characters": the number read last decides.
            let unit = match schema.max_length.or(schema.min_length) {
                Some(1) => "character",
                _ => "characters",
            };
            notes.push(format!("Length: {range} {unit}."));
        }
        if let Some(pattern) = &schema.pattern {
            notes.push(format!("Pattern: `{pattern}` (documented, not checked)."));
        }
        if let Some(default) = &schema.default {
            notes.push(format!("Default: `{default}`."));
        }
        if schema.deprecated {
            notes.push("Deprecated.".to_owned());
        }
        let notes = (!notes.is_empty()).then(|| notes.join(" "));
        docs(&[schema.title.clone(), schema.description.clone(), notes])
    }

    /// Defines the named type for a component schema.
    fn define_named(&mut self, rust_name: &str, schema: &Schema, pointer: &str) {
        let kind = match self.kind_of(rust_name, schema, pointer) {
            Some(kind) => kind,
            None => {
                let target = self.schema_type(schema, pointer, rust_name);
                TypeKind::Alias { target }
            }
        };
        if let TypeKind::Alias {
            target: Type::Named(target),
        } = &kind
            && target == rust_name
        {
            self.error(pointer, "the schema refers only to itself");
            return;
        }
        let docs = docs(&[schema.title.clone(), schema.description.clone()]);
        self.types.insert(
            rust_name.to_owned(),
            TypeDef {
                name: rust_name.to_owned(),
                origin: pointer.to_owned(),
                docs,
                kind,
            },
        );
    }

    /// The kind of named type a schema needs, or None when it maps to an
    /// existing type expression.
    fn kind_of(&mut self, rust_name: &str, schema: &Schema, pointer: &str) -> Option<TypeKind> {
        if schema.reference.is_some() {
            return None;
        }
        if schema.not.is_some() {
            self.error(
                &join(pointer, "not"),
                "`not` cannot be represented in Rust types and is not supported",
            );
        }
        if !schema.all_of.is_empty() {
            return self.all_of(rust_name, schema, pointer);
        }
        let alternatives: Vec<(usize, &Schema)> = if !schema.one_of.is_empty() {
            schema
                .one_of
                .iter()
                .enumerate()
                .filter(|(_, s)| !is_null_schema(s))
                .collect()
        } else {
            schema
                .any_of
                .iter()
                .enumerate()
                .filter(|(_, s)| !is_null_schema(s))
                .collect()
        };
        if !schema.one_of.is_empty() || !schema.any_of.is_empty() {
            if alternatives.len() == 1 {
                return None;
            }
            let key = if schema.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            return Some(self.union(rust_name, &alternatives, &join(pointer, key)));
        }
        let types: Vec<&str> = type_list(schema)
            .into_iter()
            .filter(|t| *t != "null")
            .collect();
        if let Some(values) = &schema.enum_values {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            let all_strings = values.iter().all(|v| v.is_string());
            let all_ints = values.iter().all(|v| v.is_i64());
            if !values.is_empty() && all_strings && (types.is_empty() || types == ["string"]) {
                return Some(self.string_enum(&values, pointer));
            }
            if !values.is_empty() && all_ints && (types.is_empty() || types == ["integer"]) {
                return Some(self.int_enum(&values, pointer));
            }
            // Other enums (booleans, numbers, mixed) keep their base type; the
            // allowed values stay in the documentation.
            return None;
        }
        let is_object = types == ["object"] || (types.is_empty() && !schema.properties.is_empty());
        if is_object && !schema.properties.is_empty() {
            return Some(self.object(
                rust_name,
                &schema.properties,
                &schema.required,
                schema,
                pointer,
            ));
        }
        None
    }

    fn string_enum(&mut self, values: &[&Value], pointer: &str) -> TypeKind {
        let custom = self.variant_names(pointer, values.len());
        let mut namespace = Namespace::default();
        namespace.claim("Unknown", "the catch-all variant").ok();
        let mut variants = Vec::new();
        for (index, value) in values.iter().enumerate() {
            let Some(text) = value.as_str() else { continue };
            let name = custom.as_ref().map_or_else(
                || match names::camel(text) {
                    // The catch-all keeps its name; a documented `unknown` gets another.
                    name if name == "Unknown" => "UnknownValue".to_owned(),
                    name => name,
                },
                |names| names[index].clone(),
            );
            let item = join(&join(pointer, "enum"), &index.to_string());
            if let Err(previous) = namespace.claim(&name, &item) {
                self.error(
                    &item,
                    format!("enum value `{text}` becomes variant `{name}`, which {previous} already uses (name the variants with `x-enum-varnames`)"),
                );
                continue;
            }
            variants.push(Variant {
                name,
                value: text.to_owned(),
                docs: None,
            });
        }
        TypeKind::StringEnum { variants }
    }

    fn int_enum(&mut self, values: &[&Value], pointer: &str) -> TypeKind {
        let custom = self.variant_names(pointer, values.len());
        let mut namespace = Namespace::default();
        namespace.claim("Unknown", "the catch-all variant").ok();
        let mut variants = Vec::new();
        for (index, value) in values.iter().enumerate() {
            let Some(number) = value.as_i64() else {
                continue;
            };
            let name = custom.as_ref().map_or_else(
                || {
                    if number < 0 {
                        format!("Minus{}", number.unsigned_abs())
                    } else {
                        format!("V{number}")
                    }
                },
                |names| names[index].clone(),
            );
            let item = join(&join(pointer, "enum"), &index.to_string());
            if let Err(previous) = namespace.claim(&name, &item) {
                self.error(&item, format!("enum value `{number}` becomes variant `{name}`, which {previous} already uses"));
                continue;
            }
            variants.push(Variant {
                name,
                value: number,
                docs: None,
            });
        }
        TypeKind::IntEnum { variants }
    }

    /// Variant names given by `x-enum-varnames`, checked against the values.
    fn variant_names(&mut self, pointer: &str, count: usize) -> Option<Vec<String>> {
        let given = self.extension(pointer, "x-enum-varnames")?;
        let list: Option<Vec<String>> = given.as_array().map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(names::camel)
                .collect()
        });
        match list {
            Some(list) if list.len() == count => Some(list),
            _ => {
                self.error(
                    &join(pointer, "x-enum-varnames"),
                    format!("`x-enum-varnames` must be a list of {count} strings, one per non-null enum value"),
                );
                None
            }
        }
    }

    fn union(
        &mut self,
        rust_name: &str,
        alternatives: &[(usize, &Schema)],
        pointer: &str,
    ) -> TypeKind {
        let mut namespace = Namespace::default();
        namespace.claim("Unknown", "the catch-all variant").ok();
        let mut variants = Vec::new();
        for (index, alternative) in alternatives {
            let item = join(pointer, &index.to_string());
            let hint = format!("{rust_name}Variant{index}");
            let ty = self.schema_type(alternative, &item, &hint);
            let name = match &ty {
                Type::Named(name) => name.clone(),
                Type::Bool => "Bool".into(),
                Type::I32 | Type::I64 => "Integer".into(),
                Type::F32 | Type::F64 => "Number".into(),
                Type::String => "String".into(),
                Type::Vec(_) => "Array".into(),
                Type::Map(_) | Type::Json => "Object".into(),
                Type::Bytes => "Bytes".into(),
            };
            let name = if namespace.contains(&name) {
                format!("Variant{index}")
            } else {
                name
            };
            if let Err(previous) = namespace.claim(&name, &item) {
                self.error(
                    &item,
                    format!("union variant `{name}` collides with {previous}"),
                );
                continue;
            }
            variants.push(UnionVariant { name, ty });
        }
        TypeKind::Union { variants }
    }

    fn all_of(&mut self, rust_name: &str, schema: &Schema, pointer: &str) -> Option<TypeKind> {
        if schema.all_of.len() == 1 && schema.properties.is_empty() {
            return None;
        }
        // Merge the members' properties (following references) into one object.
        let mut properties = spec::Map::new();
        let mut required = Vec::new();
        let mut stack: Vec<(&Schema, String)> = schema
            .all_of
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| (s, join(&join(pointer, "allOf"), &i.to_string())))
            .collect();
        let mut seen = HashSet::new();
        let mut origins: BTreeMap<String, String> = BTreeMap::new();
        while let Some((member, member_pointer)) = stack.pop() {
            if let Some(reference) = &member.reference {
                if !seen.insert(reference.clone()) {
                    continue;
                }
                // Its properties are being merged into an enclosing type already: each merge
                // would copy them once more, without end.
                if self.merging.contains(reference) {
                    self.error(
                        &member_pointer,
                        format!(
                            "`allOf` includes `{reference}`, whose properties already include \
                             this schema: a cycle through `allOf` is not supported (refer to \
                             the type by `$ref` alone instead)"
                        ),
                    );
                    continue;
                }
                if let Some((name, target)) = self.component_schema(reference, &member_pointer) {
                    stack.push((target, join("/components/schemas", name)));
                }
                continue;
            }
            for (index, nested) in member.all_of.iter().enumerate().rev() {
                stack.push((
                    nested,
                    join(&join(&member_pointer, "allOf"), &index.to_string()),
                ));
            }
            if !member.one_of.is_empty() || !member.any_of.is_empty() {
                self.error(
                    &member_pointer,
                    "`oneOf`/`anyOf` inside `allOf` is not supported",
                );
            }
            for (name, property) in &member.properties {
                origins.insert(
                    name.clone(),
                    join(&join(&member_pointer, "properties"), name),
                );
                properties.insert(name.clone(), property.clone());
            }
            required.extend(member.required.iter().cloned());
        }
        for (name, property) in &schema.properties {
            origins.insert(name.clone(), join(&join(pointer, "properties"), name));
            properties.insert(name.clone(), property.clone());
        }
        required.extend(schema.required.iter().cloned());
        let depth = self.merging.len();
        self.merging.extend(seen);
        let kind =
            self.object_with_origins(rust_name, &properties, &required, schema, pointer, &origins);
        self.merging.truncate(depth);
        Some(kind)
    }

    fn object(
        &mut self,
        rust_name: &str,
        properties: &spec::Map<Schema>,
        required: &[String],
        schema: &Schema,
        pointer: &str,
    ) -> TypeKind {
        let origins = properties
            .keys()
            .map(|name| (name.clone(), join(&join(pointer, "properties"), name)))
            .collect();
        self.object_with_origins(rust_name, properties, required, schema, pointer, &origins)
    }

    fn object_with_origins(
        &mut self,
        rust_name: &str,
        properties: &spec::Map<Schema>,
        required: &[String],
        schema: &Schema,
        pointer: &str,
        origins: &BTreeMap<String, String>,
    ) -> TypeKind {
        for name in required {
            if !properties.contains_key(name) {
                self.error(
                    &join(pointer, "required"),
                    format!("`{name}` is required but not a declared property"),
                );
            }
        }
        let mut field_names = Namespace::default();
        let mut fields = Vec::new();
        for (json_name, property) in properties {
            let property_pointer = origins
                .get(json_name)
                .cloned()
                .unwrap_or_else(|| pointer.to_owned());
            let name = self.names.snake(json_name);
            if let Err(previous) = field_names.claim(&name, &property_pointer) {
                self.error(
                    &property_pointer,
                    format!("property `{json_name}` becomes field `{name}`, which {previous} already uses"),
                );
                continue;
            }
            if name == "additional_properties" && schema.additional_properties.is_some() {
                self.error(&property_pointer, "a property named `additional_properties` collides with the field that holds `additionalProperties`");
                continue;
            }
            // Only an inline schema needs a name of its own.
            let hint = match property.reference {
                Some(_) => String::new(),
                None => format!("{rust_name}{}", self.names.camel(json_name)),
            };
            let ty = self.schema_type(property, &property_pointer, &hint);
            let docs = self.schema_docs(property, &property_pointer);
            let sensitive = property.format.as_deref() == Some("password")
                || self
                    .extension(&property_pointer, "x-sensitive")
                    .and_then(Value::as_bool)
                    == Some(true);
            let optional = !required.contains(json_name)
                || is_nullable(property)
                || self.references_nullable(property);
            fields.push(Field {
                name,
                json_name: json_name.clone(),
                docs,
                ty,
                optional,
                boxed: false,
                sensitive,
            });
        }
        let additional = match &schema.additional_properties {
            Some(AdditionalProperties::Schema(extra)) => {
                let hint = format!("{rust_name}Value");
                Some(self.schema_type(extra, &join(pointer, "additionalProperties"), &hint))
            }
            _ => None,
        };
        TypeKind::Struct { fields, additional }
    }

    /// The Rust type of a schema used in a position named `hint` (the name
    /// given to an inline object or enum that needs one).
    fn schema_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
        if let Some(reference) = &schema.reference {
            return match self.component_schema(reference, pointer) {
                Some((name, _)) => match self.component_names.get(name) {
                    Some(rust_name) => Type::Named(rust_name.clone()),
                    None => Type::Json,
                },
                None => Type::Json,
            };
        }
        if let Some(kind) = self.kind_of(hint, schema, pointer) {
            if self.claim_type(hint, pointer) {
                let docs = docs(&[schema.title.clone(), schema.description.clone()]);
                self.types.insert(
                    hint.to_owned(),
                    TypeDef {
                        name: hint.to_owned(),
                        origin: pointer.to_owned(),
                        docs,
                        kind,
                    },
                );
            }
            return Type::Named(hint.to_owned());
        }
        if schema.all_of.len() == 1 {
            return self.schema_type(&schema.all_of[0], &join(&join(pointer, "allOf"), "0"), hint);
        }
        for (key, list) in [("oneOf", &schema.one_of), ("anyOf", &schema.any_of)] {
            if let Some((index, only)) = list.iter().enumerate().find(|(_, s)| !is_null_schema(s)) {
                return self.schema_type(
                    only,
                    &join(&join(pointer, key), &index.to_string()),
                    hint,
                );
            }
        }
        let types: Vec<&str> = type_list(schema)
            .into_iter()
            .filter(|t| *t != "null")
            .collect();
        match types.as_slice() {
            [] => {
                if schema.properties.is_empty()
                    && schema.additional_properties.is_none()
                    && schema.items.is_some()
                {
                    self.array_type(schema, pointer, hint)
                } else {
                    self.object_type(schema, pointer, hint)
                }
            }
            ["object"] => self.object_type(schema, pointer, hint),
            ["array"] => self.array_type(schema, pointer, hint),
            ["string"] => Type::String,
            ["boolean"] => Type::Bool,
            ["integer"] => match schema.format.as_deref() {
                Some("int32") if !self.options.widen_int32 => Type::I32,
                _ => Type::I64,
            },
            ["number"] => match schema.format.as_deref() {
                Some("float") => Type::F32,
                _ => Type::F64,
            },
            [other] => {
                self.error(&join(pointer, "type"), format!("unknown type `{other}`"));
                Type::Json
            }
            _ => Type::Json,
        }
    }

    fn object_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
        match &schema.additional_properties {
            Some(AdditionalProperties::Schema(values)) if schema.properties.is_empty() => {
                let value_hint = format!("{hint}Value");
                let value =
                    self.schema_type(values, &join(pointer, "additionalProperties"), &value_hint);
                Type::Map(Box::new(value))
            }
            _ => Type::Json,
        }
    }

    fn array_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
        match &schema.items {
            Some(items) => {
                let item_hint = format!("{hint}Item");
                Type::Vec(Box::new(self.schema_type(
                    items,
                    &join(pointer, "items"),
                    &item_hint,
                )))
            }
            None => Type::Vec(Box::new(Type::Json)),
        }
    }

    /// Marks the fields and variants that must be boxed to break by-value cycles.
    fn box_cycles(&mut self) {
        // A field (or alias) whose type contains, by value, the type that holds it would be
        // infinitely large: exactly the edges inside a strongly connected component of the
        // by-value graph (a type that holds itself is its own component, with a self-edge).
        let index: BTreeMap<&str, usize> = self
            .types
            .keys()
            .enumerate()
            .map(|(number, name)| (name.as_str(), number))
            .collect();
        let edges: Vec<Vec<usize>> = self
            .types
            .values()
            .map(|def| {
                by_value_targets(&def.kind)
                    .iter()
                    .filter_map(|target| index.get(target.as_str()).copied())
                    .collect()
            })
            .collect();
        let component = strongly_connected_components(&edges);
        let same_component = |a: &str, b: &str| -> bool {
            match (index.get(a), index.get(b)) {
                (Some(&a), Some(&b)) => component[a] == component[b],
                _ => false,
            }
        };
        let mut alias_cycles = Vec::new();
        let mut updates = Vec::new();
        for (name, def) in &self.types {
            match &def.kind {
                TypeKind::Struct { fields, .. } => {
                    for (index, field) in fields.iter().enumerate() {
                        if let Type::Named(target) = &field.ty
                            && same_component(target, name)
                        {
                            updates.push((name.clone(), index));
                        }
                    }
                }
                TypeKind::Alias {
                    target: Type::Named(target),
                } if same_component(target, name) => {
                    alias_cycles.push(def.origin.clone());
                }
                _ => {}
            }
        }
        for origin in alias_cycles {
            self.error(
                &origin,
                "this schema is an alias of itself through other aliases",
            );
        }
        for (name, index) in updates {
            if let Some(TypeKind::Struct { fields, .. }) =
                self.types.get_mut(&name).map(|def| &mut def.kind)
            {
                fields[index].boxed = true;
            }
        }
    }

    /// Header names that carry credentials (apiKey schemes in a header): the
    /// runtime sets them, so parameters with those names are not generated.
    fn auth_headers(&self) -> Vec<String> {
        self.spec
            .document
            .components
            .security_schemes
            .values()
            .filter(|scheme| {
                scheme.kind.as_deref() == Some("apiKey")
                    && scheme.location.as_deref() == Some("header")
            })
            .filter_map(|scheme| scheme.name.as_ref().map(|name| name.to_ascii_lowercase()))
            .collect()
    }

    fn component<'s, T: Clone>(
        &mut self,
        reference: &str,
        section: &str,
        map: &'s spec::Map<T>,
        pointer: &str,
    ) -> Option<(String, &'s T)> {
        let prefix = format!("#/components/{section}/");
        let Some(name) = reference.strip_prefix(&prefix) else {
            self.error(
                &join(pointer, "$ref"),
                format!("`{reference}`: expected a reference to `{prefix}…`"),
            );
            return None;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        match map.get(&name) {
            Some(found) => Some((join(&format!("/components/{section}"), &name), found)),
            None => {
                self.error(
                    &join(pointer, "$ref"),
                    format!("dangling `$ref`: `{reference}` does not exist"),
                );
                None
            }
        }
    }

    /// Follows `$ref` chains of parameters, responses, request bodies and headers.
    fn follow<T: Clone + Refable>(
        &mut self,
        item: &'a T,
        pointer: &str,
        section: &str,
        map: &'a spec::Map<T>,
    ) -> Option<(String, &'a T)> {
        let mut current = (pointer.to_owned(), item);
        for _ in 0..32 {
            match current.1.reference() {
                None => return Some(current),
                Some(reference) => current = self.component(reference, section, map, &current.0)?,
            }
        }
        self.error(pointer, "`$ref` chain is too long (a cycle?)");
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a spec::PathItem,
        operation: &'a spec::Operation,
        pointer: &str,
        id: String,
        method_name: String,
        auth_headers: &[String],
    ) -> Option<Operation> {
        let type_prefix = names::camel(&id);
        let Some(http_method) = HttpMethod::from_key(method) else {
            self.error(pointer, format!("`{method}` is not an HTTP method"));
            return None;
        };
        if operation.callbacks.is_some() {
            self.error(
                &join(pointer, "callbacks"),
                "`callbacks` are not supported (no code is generated for them)",
            );
        }
        let components = &self.spec.document.components;

        // Path-level parameters, overridden by operation-level ones of the same name and place.
        let mut raw_params: Vec<(String, &spec::Parameter)> = Vec::new();
        let item_params = item.parameters.iter().enumerate().map(|(i, p)| {
            (
                join(&join(&join("/paths", path), "parameters"), &i.to_string()),
                p,
            )
        });
        let op_params = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (join(&join(pointer, "parameters"), &i.to_string()), p));
        for (param_pointer, param) in item_params.chain(op_params) {
            let Some((resolved_pointer, param)) =
                self.follow(param, &param_pointer, "parameters", &components.parameters)
            else {
                continue;
            };
            let (Some(name), Some(location)) = (&param.name, &param.location) else {
                self.error(&resolved_pointer, "a parameter needs `name` and `in`");
                continue;
            };
            raw_params.retain(|(_, existing)| {
                !(existing.name.as_ref() == Some(name)
                    && existing.location.as_ref() == Some(location))
            });
            raw_params.push((resolved_pointer, param));
        }

        let mut params = Vec::new();
        let mut param_names = Namespace::default();
        param_names.claim("body", "the request body").ok();
        param_names
            .claim("client", "the request builder's client")
            .ok();
        for (param_pointer, param) in raw_params {
            let (Some(wire_name), Some(location)) = (&param.name, &param.location) else {
                continue;
            };
            let location = match location.as_str() {
                "path" => Location::Path,
                "query" => Location::Query,
                "header" => {
                    let lower = wire_name.to_ascii_lowercase();
                    // OpenAPI: these header parameters are ignored; credentials are the runtime's job.
                    if ["accept", "content-type", "authorization"].contains(&lower.as_str())
                        || auth_headers.contains(&lower)
                    {
                        continue;
                    }
                    Location::Header
                }
                other => {
                    self.error(
                        &join(&param_pointer, "in"),
                        format!("parameters in `{other}` are not supported"),
                    );
                    continue;
                }
            };
            if location == Location::Path && !param.required {
                self.error(
                    &join(&param_pointer, "required"),
                    "a path parameter must be `required: true`",
                );
            }
            let Some(schema) = &param.schema else {
                self.error(
                    &param_pointer,
                    "a parameter without `schema` (e.g. with `content`) is not supported",
                );
                continue;
            };
            let name = self.names.snake(wire_name);
            if let Err(previous) = param_names.claim(&name, &param_pointer) {
                self.error(
                    &param_pointer,
                    format!(
                        "parameter `{wire_name}` becomes `{name}`, which {previous} already uses"
                    ),
                );
                continue;
            }
            let schema_pointer = join(&param_pointer, "schema");
            let hint = format!("{type_prefix}{}", self.names.camel(wire_name));
            let ty = self.schema_type(schema, &schema_pointer, &hint);
            let ok = match &mut self.scalar_checks {
                // Types defined on the other thread are known only after the join.
                Some(checks) => {
                    checks.push((ty.clone(), location));
                    true
                }
                None => is_parameter_type(&ty, location, &self.types),
            };
            if !ok {
                self.error(&schema_pointer, format!("a {location:?} parameter must be a scalar (or, in a query or header, an array of scalars)").to_lowercase());
                continue;
            }
            let explode = match param.style.as_deref() {
                None | Some("form") | Some("simple") => {
                    param.explode.unwrap_or(location == Location::Query)
                }
                Some(other) => {
                    self.error(
                        &join(&param_pointer, "style"),
                        format!("parameter style `{other}` is not supported"),
                    );
                    continue;
                }
            };
            let item_schema = match (&ty, &schema.items) {
                (Type::Vec(_), Some(items)) => items.as_ref(),
                _ => schema,
            };
            let mut constraints = self.constraints(item_schema, &schema_pointer);
            constraints.min_items = schema.min_items;
            constraints.max_items = schema.max_items;
            let int32 = item_schema.format.as_deref() == Some("int32") && self.options.widen_int32;
            let docs = docs(&[
                param.description.clone(),
                self.schema_docs(schema, &schema_pointer),
            ]);
            params.push(Param {
                name,
                wire_name: wire_name.clone(),
                location,
                docs,
                ty,
                required: param.required || location == Location::Path,
                explode,
                constraints,
                int32,
            });
        }

        // The path template, parsed; it and the path parameters must agree.
        let mut template_names = Vec::new();
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                self.error(pointer, format!("unbalanced `{{` in path `{path}`"));
                break;
            };
            if start > 0 {
                segments.push(PathSegment::Literal(rest[..start].to_owned()));
            }
            let name = &rest[start + 1..start + end];
            template_names.push(name.to_owned());
            match params
                .iter()
                .find(|p| p.location == Location::Path && p.wire_name == name)
            {
                Some(param) => segments.push(PathSegment::Param(param.name.clone())),
                None => self.error(
                    pointer,
                    format!(
                        "path parameter `{{{name}}}` in `{path}` is not declared in `parameters`"
                    ),
                ),
            }
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        for param in params.iter().filter(|p| p.location == Location::Path) {
            if !template_names.contains(&param.wire_name) {
                self.error(
                    pointer,
                    format!(
                        "path parameter `{}` is declared but does not appear in `{path}`",
                        param.wire_name
                    ),
                );
            }
        }

        let body = match &operation.request_body {
            None => None,
            Some(body) => self.request_body(body, &join(pointer, "requestBody"), &type_prefix),
        };

        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut response_headers = Vec::new();
        let mut header_names = Namespace::default();
        let success_count = operation
            .responses
            .keys()
            .filter(|s| s.starts_with('2'))
            .count();
        if operation.responses.is_empty() {
            self.error(
                &join(pointer, "responses"),
                "an operation must document at least one response",
            );
        }
        for (status, response) in &operation.responses {
            let response_pointer = join(&join(pointer, "responses"), status);
            let Some(parsed_status) = Status::parse(status) else {
                self.error(
                    &response_pointer,
                    format!("`{status}` is not a status code (e.g. `200`, `4XX`, `default`)"),
                );
                continue;
            };
            let Some((resolved_pointer, response)) = self.follow(
                response,
                &response_pointer,
                "responses",
                &components.responses,
            ) else {
                continue;
            };
            let is_success = parsed_status.is_success();
            let hint = if is_success && success_count == 1 {
                format!("{type_prefix}ResponseBody")
            } else {
                let status = if status == "default" {
                    "Default".to_owned()
                } else {
                    status.to_ascii_uppercase()
                };
                format!("{type_prefix}Response{status}")
            };
            let body = self.response_body(
                &response.content,
                &join(&resolved_pointer, "content"),
                &hint,
            );
            let response_docs = response.description.clone();
            if is_success {
                for (wire_name, header) in &response.headers {
                    let header_pointer = join(&join(&resolved_pointer, "headers"), wire_name);
                    let Some((header_pointer, header)) =
                        self.follow(header, &header_pointer, "headers", &components.headers)
                    else {
                        continue;
                    };
                    let name = names::snake(wire_name);
                    if response_headers
                        .iter()
                        .any(|h: &ResponseHeader| h.wire_name.eq_ignore_ascii_case(wire_name))
                    {
                        continue;
                    }
                    if let Err(previous) = header_names.claim(&name, &header_pointer) {
                        self.error(&header_pointer, format!("header `{wire_name}` becomes field `{name}`, which {previous} already uses"));
                        continue;
                    }
                    let ty = match &header.schema {
                        Some(schema) => match self.schema_type(
                            schema,
                            &join(&header_pointer, "schema"),
                            &format!("{type_prefix}{}Header", names::camel(wire_name)),
                        ) {
                            ty @ (Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64) => ty,
                            _ => Type::String,
                        },
                        None => Type::String,
                    };
                    let header_docs = docs(std::slice::from_ref(&header.description));
                    response_headers.push(ResponseHeader {
                        name,
                        wire_name: wire_name.clone(),
                        docs: header_docs,
                        ty,
                    });
                }
                success.push(Response {
                    status: parsed_status,
                    variant: names::status_variant(parsed_status, true),
                    docs: response_docs.clone(),
                    body,
                });
            } else {
                errors.push(Response {
                    status: parsed_status,
                    variant: names::status_variant(parsed_status, false),
                    docs: response_docs,
                    body,
                });
            }
        }
        let mut distinct: Vec<&Body> = Vec::new();
        for response in &success {
            if !distinct.contains(&&response.body) {
                distinct.push(&response.body);
            }
        }
        let success_body = match distinct.as_slice() {
            [] => SuccessBody::One(Body::Empty),
            [one] => SuccessBody::One((*one).clone()),
            _ => SuccessBody::ByStatus,
        };
        let mut accept: Vec<&str> = Vec::new();
        for response in &success {
            let media = match &response.body {
                Body::Json(_) => "application/json",
                Body::Text => "text/plain",
                Body::Binary => "*/*",
                Body::Empty => continue,
            };
            if !accept.contains(&media) {
                accept.push(media);
            }
        }
        let accept = if accept.is_empty() {
            "application/json".to_owned()
        } else {
            accept.join(", ")
        };
        let idempotent = self
            .extension(pointer, "x-idempotent")
            .and_then(Value::as_bool)
            .unwrap_or(http_method.is_idempotent());

        Some(Operation {
            id,
            method_name,
            type_names: names::operation_type_names(&type_prefix),
            type_prefix,
            http_method,
            path: PathTemplate {
                template: path.to_owned(),
                segments,
            },
            summary: operation.summary.clone(),
            docs: docs(&[operation.summary.clone(), operation.description.clone()]),
            deprecated: operation.deprecated,
            params,
            body,
            success,
            errors,
            response_headers,
            success_body,
            accept,
            idempotent,
        })
    }

    fn constraints(&mut self, schema: &Schema, pointer: &str) -> Constraints {
        let is_integer = type_list(schema).contains(&"integer");
        let bound =
            |value: Option<f64>, exclusive: Option<Exclusive>, lower: bool| -> Option<Bound> {
                let (value, exclusive) = match (value, exclusive) {
                    (_, Some(Exclusive::Bound(bound))) => (Some(bound), true),
                    (value, Some(Exclusive::Flag(flag))) => (value, flag),
                    (value, None) => (value, false),
                };
                let value = value?;
                if is_integer && value.fract() == 0.0 && value.abs() < 9.0e15 {
                    let mut int = value as i64;
                    if exclusive {
                        int += if lower { 1 } else { -1 };
                    }
                    Some(Bound::Int(int))
                } else {
                    Some(Bound::Float { value, exclusive })
                }
            };
        for (key, value) in [("minimum", schema.minimum), ("maximum", schema.maximum)] {
            if value.is_some_and(|v| !v.is_finite()) {
                self.error(&join(pointer, key), "must be a finite number");
            }
        }
        Constraints {
            minimum: bound(schema.minimum, schema.exclusive_minimum, true)
                .filter(|b| bound_is_finite(*b)),
            maximum: bound(schema.maximum, schema.exclusive_maximum, false)
                .filter(|b| bound_is_finite(*b)),
            min_length: schema.min_length,
            max_length: schema.max_length,
            min_items: None,
            max_items: None,
        }
    }

    fn request_body(
        &mut self,
        body: &'a spec::RequestBody,
        pointer: &str,
        type_prefix: &str,
    ) -> Option<RequestBody> {
        let components = &self.spec.document.components;
        let (pointer, body) =
            self.follow(body, pointer, "requestBodies", &components.request_bodies)?;
        let json = body.content.iter().find(|(media, _)| is_json(media));
        let Some((media_type, media)) = json else {
            let found: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.error(
                &join(&pointer, "content"),
                format!("request bodies of type {found:?} are not supported yet (only JSON)"),
            );
            return None;
        };
        let media_pointer = join(&join(&pointer, "content"), media_type);
        let ty = match &media.schema {
            Some(schema) => self.schema_type(
                schema,
                &join(&media_pointer, "schema"),
                &format!("{type_prefix}RequestBody"),
            ),
            None => Type::Json,
        };
        Some(RequestBody {
            ty,
            required: body.required,
            media_type: media_type.clone(),
            docs: body.description.clone(),
        })
    }

    fn response_body(
        &mut self,
        content: &spec::Map<spec::MediaType>,
        pointer: &str,
        hint: &str,
    ) -> Body {
        if let Some((media_type, media)) = content.iter().find(|(media, _)| is_json(media)) {
            let media_pointer = join(pointer, media_type);
            return match &media.schema {
                Some(schema) => {
                    Body::Json(self.schema_type(schema, &join(&media_pointer, "schema"), hint))
                }
                None => Body::Json(Type::Json),
            };
        }
        match content.keys().next() {
            None => Body::Empty,
            Some(media) if media.starts_with("text/") => Body::Text,
            Some(_) => Body::Binary,
        }
    }
}

fn bound_is_finite(bound: Bound) -> bool {
    match bound {
        Bound::Int(_) => true,
        Bound::Float { value, .. } => value.is_finite(),
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The strongly connected component of every node of a directed graph given as adjacency
/// lists (Tarjan's algorithm, without recursion: a spec may chain thousands of schemas).
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let count = edges.len();
    let mut order = vec![UNVISITED; count];
    let mut low = vec![0; count];
    let mut component = vec![UNVISITED; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut next_order = 0;
    let mut components = 0;
    // (node, how many of its edges have been followed)
    let mut path: Vec<(usize, usize)> = Vec::new();
    for root in 0..count {
        if order[root] != UNVISITED {
            continue;
        }
        path.push((root, 0));
        while let Some(&mut (node, ref mut followed)) = path.last_mut() {
            if *followed == 0 {
                order[node] = next_order;
                low[node] = next_order;
                next_order += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*followed) {
                *followed += 1;
                if order[next] == UNVISITED {
                    path.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            path.pop();
            if let Some(&(parent, _)) = path.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// Types a value of this kind contains directly (not behind a Vec or map).
fn by_value_targets(kind: &TypeKind) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    match kind {
        TypeKind::Struct { fields, .. } => {
            for field in fields {
                if let Type::Named(name) = &field.ty {
                    targets.insert(name.clone());
                }
            }
        }
        TypeKind::Union { variants } => {
            for variant in variants {
                if let Type::Named(name) = &variant.ty {
                    targets.insert(name.clone());
                }
            }
        }
        TypeKind::Alias {
            target: Type::Named(name),
        } => {
            targets.insert(name.clone());
        }
        _ => {}
    }
    targets
}

/// Spec objects that may be a `$ref`.
trait Refable {
    fn reference(&self) -> Option<&str>;
}

macro_rules! refable {
    ($($ty:ty),*) => {$(
        impl Refable for $ty {
            fn reference(&self) -> Option<&str> {
                self.reference.as_deref()
            }
        }
    )*};
}
refable!(
    spec::Parameter,
    spec::Response,
    spec::RequestBody,
    spec::Header
);

#[cfg(test)]
mod tests {
    use super::{Options, resolve_on_two_threads, resolve_with, strongly_connected_components};
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
        let (one, two, split) =
            one_and_two_threads("spec.yaml", include_str!("../../spec/codearts-repo.yaml"));
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
                 Mode: {type: string, enum: [on, off]}\n",
            );
            for n in 0..8 {
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
        // A parameter of an object defined on the other thread: reported as on one thread.
        let (one, two, split) =
            one_and_two_threads("t.yaml", &spec("{$ref: '#/components/schemas/A'}", "List"));
        assert_eq!(one, two);
        assert!(!split && one.contains("must be a scalar"), "{one}");
        // The same type name made on both threads (`A` + `b`): reported as on one thread.
        let (one, two, split) =
            one_and_two_threads("t.yaml", &spec("{type: string, enum: [p, q]}", "A"));
        assert_eq!(one, two);
        assert!(!split && one.contains("already used by"), "{one}");
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
