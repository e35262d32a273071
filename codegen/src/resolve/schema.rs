//! Schemas to types: named definitions (structs, enums, unions, aliases), inline types,
//! constraints and docs.

use super::*;

/// `1..=5`, `at least 1` or `at most 5`, for the docs; `None` without bounds.
pub(super) fn describe_bounds<T: std::fmt::Display>(
    min: Option<T>,
    max: Option<T>,
) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{min}..={max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    }
}

/// Spec text shown as inline code in a note: control characters escaped, as the enum's
/// variant docs show them.
pub(super) fn shown_text(text: &str) -> String {
    if text.contains(char::is_control) {
        crate::inline_code(&text.escape_debug().to_string())
    } else {
        crate::inline_code(text)
    }
}

/// A documented value of an enum: where it is, and the docs of the alternative that gave it.
pub(super) struct EnumValue<'s> {
    pub value: &'s Value,
    pub pointer: String,
    pub docs: Option<String>,
}

/// The values a schema allows, when it lists them: `enum`, or `const` (OpenAPI 3.1) as a
/// list of one.
pub(super) fn enum_values(schema: &Schema) -> Option<&[Value]> {
    schema
        .enum_values
        .as_deref()
        .or(schema.const_value.as_ref().map(std::slice::from_ref))
}

/// Whether an alternative of `oneOf`/`anyOf` only constrains its parent's properties: no
/// type of its own beyond an object, no reference or composition, and only properties the
/// parent declares (`{required: [source]}`, `{properties: {status: {enum: [completed]}}}`).
pub(super) fn only_constrains(alternative: &Schema, parent: &Schema) -> bool {
    alternative.reference.is_none()
        && alternative.all_of.is_empty()
        && alternative.one_of.is_empty()
        && alternative.any_of.is_empty()
        && alternative.items.is_none()
        && enum_values(alternative).is_none()
        && type_list(alternative).iter().all(|t| *t == "object")
        && alternative
            .properties
            .keys()
            .all(|name| parent.properties.contains_key(name))
}

/// What an object allows beside its properties: `additionalProperties`, or else OpenAPI
/// 3.1's `unevaluatedProperties`, which means the same for an object that is not composed.
pub(super) fn extra_properties(schema: &Schema) -> Option<&AdditionalProperties> {
    schema
        .additional_properties
        .as_ref()
        .or(schema.unevaluated_properties.as_deref())
}

/// The one schema a wrapper holds: the only non-null alternative of `oneOf`/`anyOf`
/// (`oneOf: [{…}]`), or the only member of `allOf`, with its key and index; when the wrapper
/// has no properties of its own.
pub(super) fn wrapped(schema: &Schema) -> Option<(&'static str, usize, &Schema)> {
    if !schema.properties.is_empty() || schema.reference.is_some() {
        return None;
    }
    if !schema.all_of.is_empty() {
        return match schema.all_of.as_slice() {
            [only] => Some(("allOf", 0, only)),
            _ => None,
        };
    }
    let (key, members) = if schema.one_of.is_empty() {
        ("anyOf", &schema.any_of)
    } else {
        ("oneOf", &schema.one_of)
    };
    let mut alternatives = members
        .iter()
        .enumerate()
        .filter(|(_, s)| !is_null_schema(s));
    match (alternatives.next(), alternatives.next()) {
        (Some((index, only)), None) => Some((key, index, only)),
        _ => None,
    }
}

/// A schema's title and description, then those of the schema it wraps (`oneOf: [{…}]`)
/// where they differ: the docs of the type a wrapper becomes.
pub(super) fn wrapper_docs(schema: &Schema) -> Option<String> {
    let mut parts: Vec<Option<String>> = Vec::new();
    let mut current = schema;
    for _ in 0..MAX_WRAPPERS {
        for part in [&current.title, &current.description] {
            if part.is_some() && !parts.contains(part) {
                parts.push(part.clone());
            }
        }
        match wrapped(current) {
            Some((_, _, inner)) if inner.reference.is_none() => current = inner,
            _ => break,
        }
    }
    docs(&parts)
}

/// How many wrappers in a row are looked through (a spec is at most `MAX_NESTING` deep).
const MAX_WRAPPERS: usize = crate::load::MAX_NESTING;

/// A tuple position for the docs: its reference, or its type and format.
fn describe_item(item: &Schema) -> String {
    if let Some(reference) = &item.reference {
        return shown_text(reference.rsplit('/').next().unwrap_or(reference));
    }
    let types = type_list(item).join(" or ");
    match (&item.format, types.is_empty()) {
        (Some(format), false) => format!("{} ({})", shown_text(&types), shown_text(format)),
        (None, false) => shown_text(&types),
        (_, true) => "any value".to_owned(),
    }
}

pub(super) fn type_list(schema: &Schema) -> Vec<&str> {
    match &schema.schema_type {
        None => Vec::new(),
        Some(SchemaType::One(one)) => vec![one.as_str()],
        Some(SchemaType::Many(many)) => many.iter().map(String::as_str).collect(),
    }
}

/// Whether a value of this schema may be `null`.
pub(super) fn is_nullable(schema: &Schema) -> bool {
    let mut current = schema;
    for _ in 0..MAX_WRAPPERS {
        if is_nullable_here(current) {
            return true;
        }
        match wrapped(current) {
            Some((_, _, inner)) => current = inner,
            None => return false,
        }
    }
    false
}

/// Whether the schema itself (not one it wraps) allows `null`.
fn is_nullable_here(schema: &Schema) -> bool {
    schema.nullable
        || type_list(schema).contains(&"null")
        || schema
            .enum_values
            .as_ref()
            .is_some_and(|values| values.contains(&Value::Null))
        || schema.const_value == Some(Value::Null)
        || schema
            .one_of
            .iter()
            .chain(&schema.any_of)
            .any(is_null_schema)
}

pub(super) fn is_null_schema(schema: &Schema) -> bool {
    type_list(schema) == ["null"] || enum_values(schema) == Some(&[Value::Null][..])
}

pub(super) fn bound_is_finite(bound: Bound) -> bool {
    match bound {
        Bound::Int(_) => true,
        Bound::Float { value, .. } => value.is_finite(),
    }
}

impl<'a> Resolver<'a> {
    /// Follows a schema `$ref` to the component it names.
    pub(super) fn component_schema(
        &mut self,
        reference: &str,
        pointer: &str,
    ) -> Option<(&'a String, &'a Schema)> {
        let schemas = &self.spec.document.components.schemas;
        self.component_entry(reference, "schemas", schemas, pointer)
    }

    /// A `$ref` to a `$defs` entry of a component (`#/components/schemas/A/$defs/B`): its
    /// pointer and schema; None for any other reference.
    pub(super) fn def_schema(&self, reference: &str) -> Option<(String, &'a Schema)> {
        let path = reference.strip_prefix(SCHEMA_PREFIX)?;
        if !path.contains("/$defs/") {
            return None;
        }
        let mut segments = path.split('/');
        let unescape = |segment: &str| segment.replace("~1", "/").replace("~0", "~");
        let mut current = self
            .spec
            .document
            .components
            .schemas
            .get(&unescape(segments.next()?))?;
        while let Some(key) = segments.next() {
            if key != "$defs" {
                return None;
            }
            current = current.defs.as_ref()?.get(&unescape(segments.next()?))?;
        }
        Some((format!("/components/schemas/{path}"), current))
    }

    /// Whether a `$ref` (or a wrapper: `allOf`, `oneOf` or `anyOf` of one) points at a
    /// nullable schema.
    pub(super) fn references_nullable(&self, schema: &Schema) -> bool {
        let mut current = schema;
        for _ in 0..32 {
            let next = match (&current.reference, current.all_of.as_slice()) {
                (Some(reference), _) => reference
                    .strip_prefix(SCHEMA_PREFIX)
                    .and_then(|name| self.spec.document.components.schemas.get(name))
                    .or_else(|| self.def_schema(reference).map(|(_, def)| def)),
                (None, [only]) => Some(only),
                (None, _) => wrapped(current).map(|(_, _, only)| only),
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
    pub(super) fn schema_docs(&self, schema: &Schema, pointer: &str) -> Option<String> {
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
        if let Some(prefix) = &schema.prefix_items {
            let positions: Vec<String> = prefix
                .iter()
                .enumerate()
                .map(|(index, item)| format!("{index}: {}", describe_item(item)))
                .collect();
            notes.push(format!(
                "A tuple (`prefixItems`), kept as JSON values: {}.",
                positions.join("; ")
            ));
        }
        match (&schema.content_media_type, &schema.content_encoding) {
            (Some(media), Some(encoding)) => notes.push(format!(
                "Content: {} encoded as {}.",
                shown_text(media),
                shown_text(encoding)
            )),
            (Some(media), None) => notes.push(format!("Content: {}.", shown_text(media))),
            (None, Some(encoding)) => notes.push(format!("Encoded as {}.", shown_text(encoding))),
            (None, None) => {}
        }
        if schema.deprecated {
            notes.push("Deprecated.".to_owned());
        }
        let notes = (!notes.is_empty()).then(|| notes.join(" "));
        docs(&[schema.title.clone(), schema.description.clone(), notes])
    }

    /// Defines the named type for a component schema.
    pub(super) fn define_named(&mut self, rust_name: &str, schema: &Schema, pointer: &str) {
        let mark = self.notes.len();
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
            self.notes.truncate(mark);
            self.error(
                pointer,
                "the schema is only a `$ref` to itself (directly or through wrappers), which \
                 defines no type",
            );
            return;
        }
        let mut notes = self.notes.split_off(mark);
        if let Some(note) = self.renamed_components.get(rust_name) {
            notes.insert(0, note.clone());
        }
        let docs = docs_with_notes(wrapper_docs(schema), notes);
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
    pub(super) fn kind_of(
        &mut self,
        rust_name: &str,
        schema: &Schema,
        pointer: &str,
    ) -> Option<TypeKind> {
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
        let (key, members) = if schema.one_of.is_empty() {
            ("anyOf", &schema.any_of)
        } else {
            ("oneOf", &schema.one_of)
        };
        let alternatives: Vec<(usize, &Schema)> = members
            .iter()
            .enumerate()
            .filter(|(_, s)| !is_null_schema(s))
            .collect();
        let constraints_only = !schema.properties.is_empty()
            && alternatives
                .iter()
                .all(|(_, alternative)| only_constrains(alternative, schema));
        if !members.is_empty() && constraints_only {
            // `properties` beside alternatives that only say which of them are required or
            // what values they take (GitHub's request bodies): the object, with a note.
            self.notes.push(format!(
                "The value must also match {} of the {} alternatives of `{key}`, which only \
                 constrain these properties (which are required, which values they take); \
                 that is not checked.",
                if key == "oneOf" {
                    "exactly one"
                } else {
                    "at least one"
                },
                alternatives.len(),
            ));
        } else if !members.is_empty() {
            let members_pointer = join(pointer, key);
            // A wrapper (`oneOf: [{…}]`): the one schema it holds.
            if let [(index, only)] = alternatives[..] {
                return self.kind_of(rust_name, only, &join(&members_pointer, &index.to_string()));
            }
            if let Some(kind) = self.enum_of_alternatives(&alternatives, pointer, &members_pointer)
            {
                return Some(kind);
            }
            return Some(self.union(rust_name, &alternatives, &members_pointer));
        }
        let types: Vec<&str> = type_list(schema)
            .into_iter()
            .filter(|t| *t != "null")
            .collect();
        if let Some(values) = enum_values(schema) {
            let values: Vec<EnumValue> = values
                .iter()
                .filter(|v| !v.is_null())
                .enumerate()
                .map(|(index, value)| EnumValue {
                    value,
                    pointer: join(&join(pointer, "enum"), &index.to_string()),
                    docs: None,
                })
                .collect();
            return self.value_enum(&values, &types, pointer);
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

    /// An enum of documented values (strings or integers), or None for other values
    /// (booleans, numbers, mixed), which keep their base type with the values documented.
    fn value_enum(
        &mut self,
        values: &[EnumValue],
        types: &[&str],
        pointer: &str,
    ) -> Option<TypeKind> {
        let all_strings = values.iter().all(|v| v.value.is_string());
        let all_ints = values.iter().all(|v| v.value.is_i64());
        if !values.is_empty() && all_strings && (types.is_empty() || types == ["string"]) {
            return Some(self.string_enum(values, pointer));
        }
        if !values.is_empty() && all_ints && (types.is_empty() || types == ["integer"]) {
            return Some(self.int_enum(values, pointer));
        }
        None
    }

    /// Alternatives that are each an enum of values (or a `const`), with no `$ref`: one enum
    /// of all their values, each documented by its alternative (nexus's sort modes). A scalar,
    /// so it can be a parameter; an untagged union of one-value enums would not be.
    fn enum_of_alternatives(
        &mut self,
        alternatives: &[(usize, &Schema)],
        pointer: &str,
        members_pointer: &str,
    ) -> Option<TypeKind> {
        let mut values: Vec<EnumValue> = Vec::new();
        let mut types: Vec<&str> = Vec::new();
        for (index, alternative) in alternatives {
            let listed = enum_values(alternative)?;
            if alternative.reference.is_some()
                || !alternative.properties.is_empty()
                || !alternative.one_of.is_empty()
                || !alternative.any_of.is_empty()
                || !alternative.all_of.is_empty()
            {
                return None;
            }
            for t in type_list(alternative) {
                if t != "null" && !types.contains(&t) {
                    types.push(t);
                }
            }
            let alternative_pointer = join(members_pointer, &index.to_string());
            let docs = docs(&[alternative.title.clone(), alternative.description.clone()]);
            for (position, value) in listed.iter().enumerate() {
                if value.is_null() || values.iter().any(|known| known.value == value) {
                    continue;
                }
                values.push(EnumValue {
                    value,
                    pointer: join(&join(&alternative_pointer, "enum"), &position.to_string()),
                    docs: docs.clone(),
                });
            }
        }
        self.value_enum(&values, &types, pointer)
    }

    fn string_enum(&mut self, values: &[EnumValue], pointer: &str) -> TypeKind {
        let variants = self.value_variants(
            values,
            pointer,
            |value| value.as_str().map(str::to_owned),
            |text, spell| {
                let text = if spell {
                    names::spell_signs(text)
                } else {
                    text.into()
                };
                match names::camel(&text) {
                    // The catch-all keeps its name; a documented `unknown` gets another.
                    name if name == "Unknown" => "UnknownValue".to_owned(),
                    name => name,
                }
            },
        );
        TypeKind::StringEnum { variants }
    }

    fn int_enum(&mut self, values: &[EnumValue], pointer: &str) -> TypeKind {
        let variants = self.value_variants(values, pointer, Value::as_i64, |number, _| {
            if *number < 0 {
                format!("Minus{}", number.unsigned_abs())
            } else {
                format!("V{number}")
            }
        });
        TypeKind::IntEnum { variants }
    }

    /// The variants of an enum of documented values: the values `value_of` reads (others
    /// are skipped), named by `x-enum-varnames` (a name given twice is reported) or else by
    /// `default_name` (with signs spelled as words when its second argument is true), made
    /// distinct by `names::distinct`: a choice that is not the plain name is noted in the
    /// type's docs.
    fn value_variants<T: std::fmt::Display + PartialEq>(
        &mut self,
        values: &[EnumValue],
        pointer: &str,
        value_of: impl Fn(&Value) -> Option<T>,
        default_name: impl Fn(&T, bool) -> String,
    ) -> Vec<Variant<T>> {
        let read: Vec<(&EnumValue, T)> = values
            .iter()
            .filter_map(|value| value_of(value.value).map(|read| (value, read)))
            .collect();
        let variant = |value: &EnumValue, read: T, name: String| Variant {
            name,
            value: read,
            docs: value.docs.clone(),
        };
        if let Some(custom) = self.variant_names(pointer, values.len()) {
            let mut namespace = Namespace::default();
            namespace.claim("Unknown", "the catch-all variant").ok();
            let mut variants = Vec::new();
            for ((value, read), name) in read.into_iter().zip(custom) {
                if let Err(previous) = namespace.claim(&name, &value.pointer) {
                    self.error(
                        &join(pointer, "x-enum-varnames"),
                        format!("`x-enum-varnames` names the value `{read}` `{name}`, as it does {previous}"),
                    );
                    continue;
                }
                variants.push(variant(value, read, name));
            }
            return variants;
        }
        let candidates: Vec<names::Candidate> = read
            .iter()
            .map(|(_, read)| {
                let plain = default_name(read, false);
                names::Candidate {
                    descriptive: default_name(read, true),
                    exact: read.to_string() == plain,
                    plain,
                }
            })
            .collect();
        let chosen = names::distinct(&candidates, &["Unknown"], names::camel_suffixed);
        let shown: Vec<String> = read
            .iter()
            .map(|(_, read)| format!("the value {}", shown_text(&read.to_string())))
            .collect();
        self.note_disambiguation(&chosen, &shown, "Variant names", "is the catch-all variant");
        read.into_iter()
            .zip(chosen)
            .map(|((value, read), (name, _))| variant(value, read, name))
            .collect()
    }

    /// Notes in the current type's docs what `names::distinct` did not name plainly: what
    /// each renamed name stands for (`shown`, one per name) and why (`reserved_for`: what
    /// the reserved name is for).
    fn note_disambiguation(
        &mut self,
        chosen: &[(String, names::Disambiguation)],
        shown: &[String],
        what: &str,
        reserved_for: &str,
    ) {
        let mut lines = Vec::new();
        for ((name, how), this) in chosen.iter().zip(shown) {
            match how {
                names::Disambiguation::Plain => {}
                names::Disambiguation::Descriptive { plain } => lines.push(format!(
                    "`{name}` is {this} (`{plain}` would name more than one)."
                )),
                names::Disambiguation::Suffixed { plain } => {
                    let keeper = chosen
                        .iter()
                        .position(|(kept, _)| kept == plain)
                        .map_or_else(
                            || reserved_for.to_owned(),
                            |index| format!("is {}", shown[index]),
                        );
                    lines.push(format!("`{name}` is {this} (`{plain}` {keeper})."));
                }
            }
        }
        if !lines.is_empty() {
            self.notes.push(format!(
                "{what} chosen to keep them distinct: {}",
                lines.join(" ")
            ));
        }
    }

    /// Variant names given by `x-enum-varnames`, checked against the values.
    pub(super) fn variant_names(&mut self, pointer: &str, count: usize) -> Option<Vec<String>> {
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

    pub(super) fn union(
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
            variants.push(UnionVariant {
                name,
                ty,
                boxed: false,
            });
        }
        TypeKind::Union { variants }
    }

    pub(super) fn object(
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

    pub(super) fn object_with_origins(
        &mut self,
        rust_name: &str,
        properties: &spec::Map<Schema>,
        required: &[String],
        schema: &Schema,
        pointer: &str,
        origins: &BTreeMap<String, String>,
    ) -> TypeKind {
        // `required` may name a property `properties` does not declare (valid JSON Schema:
        // the value must have it, of any type). No field is made for it: a required field
        // of unknown type would refuse every response that leaves it out, and an object
        // with `additionalProperties` keeps it anyway. The docs say so.
        let undeclared: Vec<String> = required
            .iter()
            .filter(|name| !properties.contains_key(*name))
            .map(|name| shown_text(name))
            .collect();
        if !undeclared.is_empty() {
            self.notes.push(format!(
                "`required` also names {}, which `properties` does not declare: no field holds {}.",
                undeclared.join(", "),
                if undeclared.len() == 1 { "it" } else { "them" }
            ));
        }
        let origins_of = |json_name: &String| {
            origins
                .get(json_name)
                .cloned()
                .unwrap_or_else(|| pointer.to_owned())
        };
        let candidates: Vec<names::Candidate> = properties
            .keys()
            .map(|json_name| {
                let plain = self.names.snake(json_name);
                names::Candidate {
                    descriptive: names::snake(&names::spell_signs(json_name)),
                    exact: names::unraw(&plain) == json_name,
                    plain,
                }
            })
            .collect();
        // The field that holds `additionalProperties` keeps its name.
        let reserved: &[&str] = match extra_properties(schema) {
            Some(_) => &["additional_properties"],
            None => &[],
        };
        let chosen = names::distinct(&candidates, reserved, names::snake_suffixed);
        let shown: Vec<String> = properties
            .keys()
            .map(|json_name| format!("the property {}", shown_text(json_name)))
            .collect();
        self.note_disambiguation(
            &chosen,
            &shown,
            "Field names",
            "holds `additionalProperties`",
        );
        let mut fields = Vec::new();
        for ((json_name, property), (name, how)) in properties.iter().zip(chosen) {
            let property_pointer = origins_of(json_name);
            // Only an inline schema needs a name of its own.
            let hint = match property.reference {
                Some(_) => String::new(),
                None => format!("{rust_name}{}", self.names.camel(json_name)),
            };
            let ty = self.schema_type(property, &property_pointer, &hint);
            let mut docs = self.schema_docs(property, &property_pointer);
            if how != names::Disambiguation::Plain {
                let note = format!("The property {}.", shown_text(json_name));
                docs = Some(match docs {
                    Some(docs) => format!("{docs}\n\n{note}"),
                    None => note,
                });
            }
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
        let additional = match extra_properties(schema) {
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
    pub(super) fn schema_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
        if let Some(reference) = &schema.reference {
            if let Some((def_pointer, _)) = self.def_schema(reference)
                && let Some(rust_name) = self.def_names.get(&def_pointer)
            {
                return Type::Named(rust_name.clone());
            }
            return match self.component_schema(reference, pointer) {
                Some((name, _)) => match self.component_names.get(name) {
                    Some(rust_name) => Type::Named(rust_name.clone()),
                    None => Type::Json,
                },
                None => Type::Json,
            };
        }
        let mark = self.notes.len();
        if let Some(kind) = self.kind_of(hint, schema, pointer) {
            let mut notes = self.notes.split_off(mark);
            let (name, renamed) = self.claim_inline_type(hint, pointer);
            if let Some(note) = renamed {
                notes.insert(0, note);
            }
            let docs = docs_with_notes(wrapper_docs(schema), notes);
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    origin: pointer.to_owned(),
                    docs,
                    kind,
                },
            );
            return Type::Named(name);
        }
        self.notes.truncate(mark);
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
                    && extra_properties(schema).is_none()
                    && (schema.items.is_some() || schema.prefix_items.is_some())
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

    pub(super) fn object_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
        match extra_properties(schema) {
            Some(AdditionalProperties::Schema(values)) if schema.properties.is_empty() => {
                let value_hint = format!("{hint}Value");
                let value =
                    self.schema_type(values, &join(pointer, "additionalProperties"), &value_hint);
                Type::Map(Box::new(value))
            }
            _ => Type::Json,
        }
    }

    pub(super) fn array_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
        if schema.prefix_items.is_some() {
            // A tuple (JSON Schema 2020-12): items of different types by position, which a
            // list of JSON values holds whatever its length (`schema_docs` lists them).
            return Type::Vec(Box::new(Type::Json));
        }
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

    pub(super) fn constraints(&mut self, schema: &Schema, pointer: &str) -> Constraints {
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
}
