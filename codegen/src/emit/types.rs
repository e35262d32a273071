//! `types.rs`: one Rust type per schema (structs, enums of values with `Unknown`, untagged
//! unions, aliases).

use proc_macro2::{Ident, Literal};
use quote::quote;
use syn::{Attribute, Item};

use super::build::{self, Takes};
use super::doc::{attributes_of_safe_docs, doc_attributes, doc_text, fixed_docs, line_doc};
use super::{Syntax, derive, file_of, fixed_tokens, ident, option_type, parsed, syn_type};
use crate::ir::{Field, Type, TypeDef, TypeKind};

pub(super) fn emit_type(def: &TypeDef) -> Syntax {
    let name = ident(&def.name);
    // One comment: the schema's docs (made safe on their own, so that an unclosed code fence
    // in them cannot swallow the next paragraph), then where the type comes from.
    let origin = doc_text(&format!("Schema `{}`.", def.origin));
    let mut docs = match &def.docs {
        Some(docs) => attributes_of_safe_docs(&format!("{}\n\n{origin}", doc_text(docs))),
        None => attributes_of_safe_docs(&origin),
    };
    let items = match &def.kind {
        TypeKind::Struct { fields, additional } => {
            return emit_struct(&name, docs, fields, additional.as_ref());
        }
        TypeKind::StringEnum { variants } => value_enum(
            docs,
            &name,
            &ValueEnum::STRING,
            variants.iter().map(|v| {
                // A value is shown as it is, unless it holds a line break or another control
                // character, which a one-line doc comment cannot (it is shown escaped).
                let shown = if v.value.contains(char::is_control) {
                    v.value.escape_debug().to_string()
                } else {
                    v.value.clone()
                };
                (
                    ident(&v.name),
                    shown,
                    build::literal_expr(Literal::string(&v.value)),
                    v.docs.as_deref(),
                )
            }),
        ),
        TypeKind::IntEnum { variants } => value_enum(
            docs,
            &name,
            &ValueEnum::INTEGER,
            variants.iter().map(|v| {
                (
                    ident(&v.name),
                    v.value.to_string(),
                    build::integer(v.value),
                    v.docs.as_deref(),
                )
            }),
        ),
        TypeKind::Union { variants } => {
            docs.extend(fixed_docs(&[
                "",
                " Decoded by trying each variant in order (`serde(untagged)`);",
                " a value none of them accepts is kept as `Unknown`.",
            ]));
            docs.push(derive(
                "Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize",
            ));
            docs.push(build::list("serde", fixed_tokens("untagged")));
            docs.push(build::list(
                "allow",
                fixed_tokens("clippy::large_enum_variant"),
            ));
            let mut members: Vec<syn::Variant> = variants
                .iter()
                .map(|v| {
                    let ty = syn_type(&v.ty, true);
                    let ty = if v.boxed {
                        build::generic_type("Box", ty)
                    } else {
                        ty
                    };
                    build::variant(Vec::new(), ident(&v.name), Some(ty))
                })
                .collect();
            members.push(unknown_variant(
                " A value none of the documented alternatives accepts, kept as received.",
                build::type_of(build::path(&["serde_json", "Value"])),
            ));
            vec![build::item_enum(docs, name, members)]
        }
        TypeKind::Alias { target } => {
            vec![build::type_alias(docs, name, syn_type(target, true))]
        }
        TypeKind::Newtype { target } => {
            let target = syn_type(target, true);
            let item: syn::ItemStruct = syn::parse2(quote! {
                #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            })?;
            let mut item = item;
            docs.extend(fixed_docs(&[
                "",
                " A newtype, not an alias: the schema contains itself through a list or map.",
            ]));
            docs.extend(item.attrs);
            item.attrs = docs;
            vec![Item::Struct(item)]
        }
    };
    Ok(file_of(items))
}

/// What differs between the string and the integer enums: the type of their values and the
/// runtime macro that implements them.
pub(super) struct ValueEnum {
    derives: &'static str,
    value_type: &'static [&'static str],
    /// `KNOWN` holds references to the values (`&'static str`), not the values.
    borrowed: bool,
    variants_docs: [&'static str; 2],
    implemented_by: &'static str,
}

impl ValueEnum {
    const STRING: ValueEnum = ValueEnum {
        derives: "Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord",
        value_type: &["str"],
        borrowed: true,
        variants_docs: [
            " The values the spec documents, each with its variant. `as_str`,",
            " `Display`, `From<&str>`, `FromStr` and serde use this table.",
        ],
        implemented_by: "string_enum",
    };
    const INTEGER: ValueEnum = ValueEnum {
        derives: "Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord",
        value_type: &["i64"],
        borrowed: false,
        variants_docs: [
            " The values the spec documents, each with its variant. `as_i64`,",
            " `Display`, `From<i64>` and serde use this table.",
        ],
        implemented_by: "int_enum",
    };
}

/// An enum of documented values (variant, value as documented, value as an expression,
/// the variant's own docs from the spec), with an `Unknown` variant, its `KNOWN` and `VARIANTS` tables and the runtime macro call.
pub(super) fn value_enum<'v>(
    mut attrs: Vec<Attribute>,
    name: &Ident,
    shape: &ValueEnum,
    variants: impl Iterator<Item = (Ident, String, syn::Expr, Option<&'v str>)>,
) -> Vec<Item> {
    let value_type = || {
        let ty = build::type_of(build::path(shape.value_type));
        if shape.borrowed {
            build::reference_type("'static", ty)
        } else {
            ty
        }
    };
    let unknown_type = if shape.borrowed {
        build::type_of(build::path(&["String"]))
    } else {
        value_type()
    };
    let mut members = Vec::new();
    let mut known = Vec::new();
    let mut table = Vec::new();
    for (variant, shown, value, docs) in variants {
        // Inline code however many backticks the value holds: never a fence.
        let mut variant_docs = vec![line_doc(&format!(" {}", crate::inline_code(&shown)))];
        if let Some(docs) = docs {
            variant_docs.push(line_doc(""));
            variant_docs.extend(attributes_of_safe_docs(&doc_text(docs)));
        }
        members.push(build::variant(variant_docs, variant.clone(), None));
        known.push(value.clone());
        table.push(build::tuple([value, build::self_variant(variant)]));
    }
    members.push(unknown_variant(
        " A value this version of the client does not know, kept as received.",
        unknown_type,
    ));
    let tables = vec![
        build::associated_const(
            fixed_docs(&[" The values the spec documents."]),
            "KNOWN",
            build::reference_type("'static", build::slice_type(value_type())),
            build::reference(build::array(known)),
        ),
        build::associated_const(
            fixed_docs(&shape.variants_docs),
            "VARIANTS",
            build::reference_type(
                "'static",
                build::slice_type(build::tuple_type([value_type(), build::self_type()])),
            ),
            build::reference(build::array(table)),
        ),
    ];
    attrs.push(derive(shape.derives));
    attrs.push(build::word("non_exhaustive"));
    vec![
        build::item_enum(attrs, name.clone(), members),
        build::item_impl(
            syn::Generics::default(),
            build::type_of(build::path_of([name.clone()], None)),
            tables,
        ),
        enum_macro(shape.implemented_by, name),
    ]
}

/// The last variant of a generated enum, which keeps what no documented variant matches.
pub(super) fn unknown_variant(doc: &'static str, holds: syn::Type) -> syn::Variant {
    build::variant(fixed_docs(&[doc]), ident("Unknown"), Some(holds))
}

/// `codearts_runtime::<which>!(name);`: the impls every enum (or struct) shares.
pub(super) fn enum_macro(which: &str, name: &Ident) -> Item {
    build::macro_call(build::path(&["codearts_runtime", which]), quote!(#name))
}

pub(super) fn field_type(field: &Field) -> syn::Type {
    let inner = syn_type(&field.ty, true);
    let inner = if field.boxed {
        build::generic_type("Box", inner)
    } else {
        inner
    };
    if field.optional {
        option_type(inner)
    } else {
        inner
    }
}

pub(super) fn emit_struct(
    name: &Ident,
    mut attrs: Vec<Attribute>,
    fields: &[Field],
    additional: Option<&Type>,
) -> Syntax {
    let all_optional = fields.iter().all(|field| field.optional);
    let mut field_defs: Vec<syn::Field> = fields
        .iter()
        .map(|field| {
            let mut field_attrs = match (&field.docs, &field.ty) {
                (Some(docs), _) => doc_attributes(docs),
                (None, Type::Named(name)) => {
                    doc_attributes(&format!("`{}`: see `{name}`.", field.json_name))
                }
                (None, _) => doc_attributes(&format!("`{}`.", field.json_name)),
            };
            let rename = (crate::names::unraw(&field.name) != field.json_name).then(|| {
                let json = &field.json_name;
                quote!(rename = #json,)
            });
            let optional = || fixed_tokens(r#"default, skip_serializing_if = "Option::is_none""#);
            match (rename, field.optional) {
                (Some(mut rename), true) => {
                    rename.extend(optional());
                    field_attrs.push(build::list("serde", rename));
                }
                (Some(rename), false) => field_attrs.push(build::list("serde", rename)),
                (None, true) => field_attrs.push(build::list("serde", optional())),
                (None, false) => {}
            }
            build::field(field_attrs, true, ident(&field.name), field_type(field))
        })
        .collect();
    if let Some(ty) = additional {
        let mut field_attrs =
            fixed_docs(&[" Properties beyond the declared ones (`additionalProperties`)."]);
        field_attrs.push(build::list("serde", fixed_tokens("flatten")));
        field_defs.push(build::field(
            field_attrs,
            true,
            ident("additional_properties"),
            syn_type(&Type::Map(Box::new(ty.clone())), true),
        ));
    }
    let sensitive = fields.iter().any(|field| field.sensitive);
    // `Debug` is written by hand when a field is redacted.
    attrs.push(derive(match (sensitive, all_optional) {
        (false, false) => "Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize",
        (false, true) => "Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize",
        (true, false) => "Clone, PartialEq, serde::Serialize, serde::Deserialize",
        (true, true) => "Clone, PartialEq, Default, serde::Serialize, serde::Deserialize",
    }));
    // Without `flatten`, serde's derive would also read a JSON array into the fields by
    // position: the derived code becomes inherent (`remote = "Self"`) and the runtime's
    // `json_object!` implements the traits, reading only objects.
    let object_only = additional.is_none();
    if object_only {
        attrs.push(build::list("serde", fixed_tokens(r#"remote = "Self""#)));
    }
    attrs.push(build::word("non_exhaustive"));
    let mut items = vec![build::item_struct(
        attrs,
        name.clone(),
        syn::Generics::default(),
        field_defs,
    )];
    if object_only {
        items.push(enum_macro("json_object", name));
    }
    if !all_optional {
        let required: Vec<&Field> = fields.iter().filter(|field| !field.optional).collect();
        let args = required
            .iter()
            .map(|field| (ident(&field.name), field_type(field)))
            .collect();
        let none = || build::path_expr(build::path(&["None"]));
        let mut inits: Vec<(Ident, Option<syn::Expr>)> = fields
            .iter()
            .map(|field| (ident(&field.name), field.optional.then(none)))
            .collect();
        if additional.is_some() {
            inits.push((
                ident("additional_properties"),
                Some(build::call(build::path(&["Default", "default"]), [])),
            ));
        }
        let mut method_attrs =
            fixed_docs(&[" A value with the required fields set and every optional one empty."]);
        if required.len() > 7 {
            method_attrs.push(build::list(
                "allow",
                fixed_tokens("clippy::too_many_arguments"),
            ));
        }
        items.push(build::item_impl(
            syn::Generics::default(),
            build::type_of(build::path_of([name.clone()], None)),
            vec![build::method(
                method_attrs,
                ident("new"),
                Takes::Nothing,
                args,
                build::self_type(),
                vec![build::tail(build::self_literal(inits))],
            )],
        ));
    }
    if sensitive {
        let name_text = name.to_string();
        let entries = fields.iter().map(|field| {
            let field_name = ident(&field.name);
            let label = crate::names::unraw(&field.name);
            if field.sensitive {
                quote! { .field(#label, &"<redacted>") }
            } else {
                quote! { .field(#label, &self.#field_name) }
            }
        });
        let extra = additional
            .map(|_| quote! { .field("additional_properties", &self.additional_properties) });
        items.extend(
            parsed(quote! {
                impl std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.debug_struct(#name_text) #(#entries)* #extra .finish()
                    }
                }
            })?
            .items,
        );
    }
    Ok(file_of(items))
}
