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

pub(super) fn type_list(schema: &Schema) -> Vec<&str> {
    match &schema.schema_type {
        None => Vec::new(),
        Some(SchemaType::One(one)) => vec![one.as_str()],
        Some(SchemaType::Many(many)) => many.iter().map(String::as_str).collect(),
    }
}

/// Whether a value of this schema may be `null`.
pub(super) fn is_nullable(schema: &Schema) -> bool {
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

pub(super) fn is_null_schema(schema: &Schema) -> bool {
    type_list(schema) == ["null"] || schema.enum_values.as_deref() == Some(&[Value::Null][..])
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

    /// Whether a `$ref` (or a one-element `allOf` wrapper) points at a nullable schema.
    pub(super) fn references_nullable(&self, schema: &Schema) -> bool {
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
        if schema.deprecated {
            notes.push("Deprecated.".to_owned());
        }
        let notes = (!notes.is_empty()).then(|| notes.join(" "));
        docs(&[schema.title.clone(), schema.description.clone(), notes])
    }

    /// Defines the named type for a component schema.
    pub(super) fn define_named(&mut self, rust_name: &str, schema: &Schema, pointer: &str) {
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

    pub(super) fn string_enum(&mut self, values: &[&Value], pointer: &str) -> TypeKind {
        let variants = self.value_variants(
            values,
            pointer,
            |value| value.as_str().map(str::to_owned),
            |text| match names::camel(text) {
                // The catch-all keeps its name; a documented `unknown` gets another.
                name if name == "Unknown" => "UnknownValue".to_owned(),
                name => name,
            },
        );
        TypeKind::StringEnum { variants }
    }

    pub(super) fn int_enum(&mut self, values: &[&Value], pointer: &str) -> TypeKind {
        let variants = self.value_variants(values, pointer, Value::as_i64, |number| {
            if *number < 0 {
                format!("Minus{}", number.unsigned_abs())
            } else {
                format!("V{number}")
            }
        });
        TypeKind::IntEnum { variants }
    }

    /// The variants of an enum of documented values: the values `value_of` reads (others
    /// are skipped), named by `x-enum-varnames` or else by `default_name`; a name taken
    /// twice is reported.
    fn value_variants<T: std::fmt::Display>(
        &mut self,
        values: &[&Value],
        pointer: &str,
        value_of: impl Fn(&Value) -> Option<T>,
        default_name: impl Fn(&T) -> String,
    ) -> Vec<Variant<T>> {
        let custom = self.variant_names(pointer, values.len());
        let mut namespace = Namespace::default();
        namespace.claim("Unknown", "the catch-all variant").ok();
        let mut variants = Vec::new();
        for (index, value) in values.iter().enumerate() {
            let Some(value) = value_of(value) else {
                continue;
            };
            let name = custom
                .as_ref()
                .map_or_else(|| default_name(&value), |names| names[index].clone());
            let item = join(&join(pointer, "enum"), &index.to_string());
            if let Err(previous) = namespace.claim(&name, &item) {
                self.error(
                    &item,
                    format!("enum value `{value}` becomes variant `{name}`, which {previous} already uses (name the variants with `x-enum-varnames`)"),
                );
                continue;
            }
            variants.push(Variant {
                name,
                value,
                docs: None,
            });
        }
        variants
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
    pub(super) fn schema_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
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

    pub(super) fn object_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
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

    pub(super) fn array_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> Type {
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
