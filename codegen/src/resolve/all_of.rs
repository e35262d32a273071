//! `allOf`: the members' properties merged into one struct.

use super::*;

impl<'a> Resolver<'a> {
    pub(super) fn all_of(
        &mut self,
        rust_name: &str,
        schema: &Schema,
        pointer: &str,
    ) -> Option<TypeKind> {
        if let ([only], true) = (schema.all_of.as_slice(), schema.properties.is_empty()) {
            // A wrapper: the one schema it holds (None for a `$ref`, which is an alias).
            return self.kind_of(rust_name, only, &join(&join(pointer, "allOf"), "0"));
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
                if let Some((def_pointer, target)) = self.def_schema(reference) {
                    stack.push((target, def_pointer));
                } else if let Some((name, target)) =
                    self.component_schema(reference, &member_pointer)
                {
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
}
