//! The request builder: its struct (the client handle, the parameters, the body), the
//! setters of optional parameters, and its private `execute`, which both modes send with.

use proc_macro2::Ident;
use syn::{Attribute, Item, Stmt};

use super::super::build::{self, Takes};
use super::super::{derive, doc_attributes, fixed_docs, ident, option_type, syn_type};
use super::response::result_of;
use super::{Names, has_options, modes};
use crate::ir::{Operation, Param, Type};

/// `pub struct {Op}Request<'a, M = rt::Async> { client, parameters.., body }`.
pub(super) fn builder_struct(operation: &Operation, names: &Names) -> syn::Result<Item> {
    let id = &operation.id;
    let has_options = has_options(operation);
    let client_field = build::field(
        Vec::new(),
        false,
        ident("client"),
        modes::client_field_type(),
    );
    let mut struct_fields: Vec<syn::Field> = std::iter::once(client_field)
        .chain(operation.params.iter().map(|param| {
            let ty = syn_type(&param.ty, false);
            let ty = if param.required { ty } else { option_type(ty) };
            build::field(Vec::new(), false, ident(&param.name), ty)
        }))
        .collect();
    if let Some(body) = &operation.body {
        let ty = super::body::field_type(body);
        let ty = if body.required { ty } else { option_type(ty) };
        struct_fields.push(build::field(Vec::new(), false, ident("body"), ty));
    }
    let mut builder_attrs = doc_attributes(&if has_options {
        format!(
            "A `{id}` request: set optional parameters, then `.await` it (or `send()` it, from the blocking client)."
        )
    } else {
        format!("A `{id}` request: `.await` it (or `send()` it, from the blocking client).")
    });
    builder_attrs.push(derive("Debug, Clone"));
    builder_attrs.push(build::name_value(
        "must_use",
        "a request does nothing until it is sent",
    ));
    Ok(build::item_struct(
        builder_attrs,
        names.request.clone(),
        modes::request_generics(true)?,
        struct_fields,
    ))
}

/// The setters of the optional parameters and of an optional body.
pub(super) fn setters(operation: &Operation) -> Vec<syn::ImplItem> {
    let optional: Vec<&Param> = operation.params.iter().filter(|p| !p.required).collect();
    let optional_body = operation.body.as_ref().filter(|body| !body.required);
    let mut builder_methods: Vec<syn::ImplItem> = optional
        .iter()
        .map(|param| {
            let docs = doc_attributes(
                &param
                    .docs
                    .clone()
                    .unwrap_or_else(|| format!("Sets `{}`.", param.wire_name)),
            );
            setter(docs, ident(&param.name), &param.ty, SetterTakes::IntoString)
        })
        .collect();
    if let Some(body) = optional_body {
        let mut text = body
            .docs
            .clone()
            .unwrap_or_else(|| "Sets the request body.".into());
        if let Some(notes) = super::body::notes(body) {
            text.push_str("\n\n");
            text.push_str(&notes);
        }
        let docs = doc_attributes(&text);
        builder_methods.push(match super::body::argument(body) {
            (_, false) if body.choice.is_none() && body.encoding.is_json() => {
                setter(docs, ident("body"), &body.ty, SetterTakes::Type)
            }
            (arg_type, into) => body_setter(docs, arg_type, into),
        });
    }
    builder_methods
}

/// The request builder's private methods that send it: `prepare` (checks and builds the
/// request; no `async`), `decode` (the response; an associated function), and `execute`,
/// which hands both to the runtime's `call`. Generated code holds no `async` body of its
/// own: the one future, `call`'s, is compiled where a request is awaited.
pub(super) fn exchange_methods(
    output_name: &Ident,
    prepare: Vec<Stmt>,
    operation_const: Option<Stmt>,
    mut decode: Vec<Stmt>,
) -> [syn::ImplItem; 3] {
    let private = |mut item: syn::ImplItem| {
        if let syn::ImplItem::Fn(function) = &mut item {
            function.vis = syn::Visibility::Inherited;
        }
        item
    };
    let prepared = build::type_of(build::path_of(
        [ident("Result")],
        Some(vec![
            build::tuple_type([
                build::with_lifetime_path(
                    &["rt", "Handle"],
                    "'a",
                    vec![build::type_of(build::path(&["M"]))],
                ),
                build::type_of(build::path(&["rt", "OperationRequest"])),
            ]),
            build::type_of(build::path(&["rt", "Error"])),
        ]),
    ));
    let prepare = build::method(
        fixed_docs(&[" Checks the parameters and builds the request, before anything is sent."]),
        ident("prepare"),
        Takes::Owned,
        Vec::new(),
        prepared,
        prepare,
    );
    // `OPERATION` only where the decoding names it (a JSON or text body).
    if let Some(operation_const) = operation_const {
        decode.insert(0, operation_const);
    }
    let decode = build::method(
        fixed_docs(&[" Decodes a 2xx answer: the body, the declared headers."]),
        ident("decode"),
        Takes::Nothing,
        vec![(
            ident("raw"),
            build::type_of(build::path(&["rt", "RawResponse"])),
        )],
        result_of(output_name),
        decode,
    );
    let execute = build::method(
        fixed_docs(&[
            " Validates the parameters, sends the request (with retries, per the",
            " client's policy) and decodes the response.",
        ]),
        ident("execute"),
        Takes::Owned,
        Vec::new(),
        build::impl_future(result_of(output_name), false),
        vec![build::tail(build::call(
            build::path(&["rt", "support", "call"]),
            [
                build::named("self"),
                build::path_expr(build::path(&["Self", "prepare"])),
                build::path_expr(build::path(&["Self", "decode"])),
            ],
        ))],
    );
    [private(prepare), private(decode), private(execute)]
}

/// `pub fn body(mut self, value: T) -> Self { self.body = Some(value(.into())); self }`.
fn body_setter(docs: Vec<Attribute>, arg_type: syn::Type, into: bool) -> syn::ImplItem {
    let value = build::path_expr(build::path(&["value"]));
    let value = if into {
        build::method_call(value, "into", [])
    } else {
        value
    };
    build::method(
        docs,
        ident("body"),
        Takes::OwnedMut,
        vec![(ident("value"), arg_type)],
        build::self_type(),
        vec![
            build::assign(
                build::self_field(ident("body")),
                build::call(build::path(&["Some"]), [value]),
            ),
            build::tail(build::path_expr(build::path(&["self"]))),
        ],
    )
}

/// How a setter takes its value.
#[derive(PartialEq)]
pub(super) enum SetterTakes {
    /// As typed.
    Type,
    /// A string parameter: any `impl Into<String>`.
    IntoString,
}

/// `pub fn name(mut self, value: ty) -> Self { self.name = Some(value); self }`.
pub(super) fn setter(
    docs: Vec<Attribute>,
    name: Ident,
    ty: &Type,
    takes: SetterTakes,
) -> syn::ImplItem {
    let value = build::path_expr(build::path(&["value"]));
    let (arg_type, value) = if takes == SetterTakes::IntoString && *ty == Type::String {
        (
            build::impl_into_string(),
            build::method_call(value, "into", []),
        )
    } else {
        (syn_type(ty, false), value)
    };
    build::method(
        docs,
        name.clone(),
        Takes::OwnedMut,
        vec![(ident("value"), arg_type)],
        build::self_type(),
        vec![
            build::assign(
                build::self_field(name),
                build::call(build::path(&["Some"]), [value]),
            ),
            build::tail(build::path_expr(build::path(&["self"]))),
        ],
    )
}
