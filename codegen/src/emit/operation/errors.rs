//! An operation's documented errors: `{Op}Error`, one variant per documented error
//! status, and its `rt::DocumentedError` impl, which `OperationError::documented` uses.
//! Every operation has one, empty when it documents no error.

use proc_macro2::{Ident, Literal};
use quote::quote;
use syn::Item;

use super::super::build::{self, Takes};
use super::super::{doc_attributes, fixed_docs, ident, syn_type};
use super::response::{response_enum_attrs, response_variant, status_pattern};
use crate::ir::{Body, Operation, Status};

/// The error enum of `operation` and its `rt::DocumentedError` impl.
pub(super) fn error_items(operation: &Operation, error_name: &Ident) -> syn::Result<[Item; 2]> {
    let id = &operation.id;
    let mut errors: Vec<_> = operation.errors.iter().collect();
    errors.sort_by_key(|response| response.status.match_order());
    let variants = errors
        .iter()
        .map(|response| {
            let holds = match &response.body {
                Body::Json(ty) => Some(syn_type(ty, false)),
                _ => None,
            };
            response_variant(response, holds)
        })
        .collect();
    let mut attrs = doc_attributes(&if errors.is_empty() {
        format!(
            "`{id}` documents no error response, so this enum has no variant: every failure is the `Error` of its `OperationError`."
        )
    } else {
        format!(
            "The error responses `{id}` documents: what `OperationError::documented` gives for them."
        )
    });
    attrs.extend(response_enum_attrs());
    let error_enum = build::item_enum(attrs, error_name.clone(), variants);

    // The status dispatch; which operation the error came from is checked by the trait.
    let (parameter, dispatch) = if errors.is_empty() {
        ("_error", build::named("None"))
    } else {
        let mut arms: Vec<(syn::Pat, syn::Expr)> = errors
            .iter()
            .map(|response| {
                let variant = build::self_variant(ident(&response.variant));
                let value = match &response.body {
                    Body::Json(_) => build::method_call(
                        build::call(
                            build::path(&["rt", "support", "decode_error_body"]),
                            [build::named("error")],
                        ),
                        "map",
                        [variant],
                    ),
                    _ => build::call(build::path(&["Some"]), [variant]),
                };
                (status_pattern(response.status), value)
            })
            .collect();
        let has_default = errors
            .iter()
            .any(|response| response.status == Status::Default);
        if !has_default {
            arms.push((build::wildcard(), build::named("None")));
        }
        if has_default && arms.len() == 1 {
            // Only `default`: every status is it, and a one-arm match is what clippy's
            // `match_single_binding` refuses.
            // A body-less `default` does not read the error at all.
            let reads_error = matches!(errors[0].body, Body::Json(_));
            let (_, value) = arms.remove(0);
            (if reads_error { "error" } else { "_error" }, value)
        } else {
            let status = build::method_call(
                build::method_call(build::named("error"), "status", []),
                "as_u16",
                [],
            );
            ("error", build::match_(status, arms))
        }
    };
    let mut from_status = build::method(
        fixed_docs(&[" The documented error of this status and body, if any."]),
        ident("from_documented_status"),
        Takes::Nothing,
        vec![(
            ident(parameter),
            build::reference_type_elided(build::type_of(build::path(&["rt", "ApiError"]))),
        )],
        build::generic_type("Option", build::self_type()),
        vec![build::tail(dispatch)],
    );
    if let syn::ImplItem::Fn(function) = &mut from_status {
        function.vis = syn::Visibility::Inherited;
    }
    // The impl is the same for every operation but for its type and id: parsed once per
    // thread and copied.
    thread_local! {
        static TEMPLATE: syn::Result<syn::ItemImpl> = syn::parse2(quote! {
            impl rt::DocumentedError for Error {
                const OPERATION: &'static str = "";
            }
        });
    }
    let mut trait_impl = TEMPLATE.with(Clone::clone)?;
    trait_impl.self_ty = Box::new(build::type_of(build::path_of([error_name.clone()], None)));
    for member in &mut trait_impl.items {
        if let syn::ImplItem::Const(constant) = member {
            constant.expr = build::literal_expr(Literal::string(id));
        }
    }
    trait_impl.items.push(from_status);
    Ok([error_enum, Item::Impl(trait_impl)])
}
