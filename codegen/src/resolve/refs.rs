//! Following `$ref`s: to component schemas, parameters, responses, request bodies, headers.

use super::*;

/// Spec objects that may be a `$ref`.
pub(super) trait Refable {
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

impl<'a> Resolver<'a> {
    /// The component a local `$ref` names in `section` (`#/components/{section}/{name}`):
    /// its pointer and value; or an error at `pointer`.
    pub(super) fn component<'s, T>(
        &mut self,
        reference: &str,
        section: &str,
        map: &'s spec::Map<T>,
        pointer: &str,
    ) -> Option<(String, &'s T)> {
        let (name, found) = self.component_entry(reference, section, map, pointer)?;
        Some((join(&format!("/components/{section}"), name), found))
    }

    /// The entry (name and value) of `map` that `reference` names; or an error at `pointer`.
    pub(super) fn component_entry<'s, T>(
        &mut self,
        reference: &str,
        section: &str,
        map: &'s spec::Map<T>,
        pointer: &str,
    ) -> Option<(&'s String, &'s T)> {
        let prefix = format!("#/components/{section}/");
        let Some(name) = reference.strip_prefix(&prefix) else {
            self.error(
                &join(pointer, "$ref"),
                format!("`{reference}`: only local references to `{prefix}…` are supported here"),
            );
            return None;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let found = map.get_key_value(&name);
        if found.is_none() {
            self.error(
                &join(pointer, "$ref"),
                format!("dangling `$ref`: `{reference}` does not exist"),
            );
        }
        found
    }

    /// Follows `$ref` chains of parameters, responses, request bodies and headers.
    pub(super) fn follow<T: Clone + Refable>(
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
}
