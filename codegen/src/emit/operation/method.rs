//! The method that makes an operation's request, on `rt::Client` and (feature `blocking`)
//! on `rt::blocking::Client`: its required parameters as arguments, its docs.

use proc_macro2::Ident;
use syn::{Attribute, Item};

use super::super::build::{self, Takes};
use super::super::{doc_attributes, fixed_tokens, ident, syn_type};
use super::modes::{self, Mode, blocking_cfg};
use super::{Names, has_options};
use crate::ir::{Operation, Param};

/// The constructor method of `operation` on both clients.
pub(super) fn client_methods(operation: &Operation, names: &Names) -> syn::Result<[Item; 2]> {
    let id = &operation.id;
    let required: Vec<&Param> = operation.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = operation.params.iter().filter(|p| !p.required).collect();
    let required_body = operation.body.as_ref().filter(|body| body.required);
    let optional_body = operation.body.as_ref().filter(|body| !body.required);

    let mut args: Vec<(Ident, syn::Type)> = required
        .iter()
        .map(|param| (ident(&param.name), syn_type(&param.ty, false)))
        .collect();
    let mut inits: Vec<(Ident, Option<syn::Expr>)> =
        vec![(ident("client"), Some(modes::client_handle()))];
    inits.extend(required.iter().map(|param| (ident(&param.name), None)));
    inits.extend(
        optional
            .iter()
            .map(|param| (ident(&param.name), Some(build::named("None")))),
    );
    if let Some(body) = required_body {
        let (arg_type, into) = super::body::argument(body);
        args.push((ident("body"), arg_type));
        inits.push((
            ident("body"),
            into.then(|| build::method_call(build::named("body"), "into", [])),
        ));
    }
    if optional_body.is_some() {
        inits.push((ident("body"), Some(build::named("None"))));
    }
    let has_options = has_options(operation);
    let method_docs = |mode: modes::Mode| {
        let route = format!(
            "`{} {}` (operation `{id}`).",
            operation.http_method.as_str(),
            operation.path.template
        );
        // The blocking method points at the async one, whose docs it would only repeat.
        let mut doc = match mode {
            modes::Mode::Async => format!(
                "{}\n\n{route} {}",
                operation
                    .docs
                    .clone()
                    .unwrap_or_else(|| format!("Calls `{id}`.")),
                match has_options {
                    false => "Await the returned request.",
                    true => "Await the returned request, or set its optional parameters first.",
                }
            ),
            modes::Mode::Blocking => format!(
                "{route} The blocking form of the async client's `{}`: call `send()` on the returned request{}.",
                crate::names::unraw(&operation.method_name),
                if has_options {
                    ", after setting its optional parameters"
                } else {
                    ""
                }
            ),
        };
        for param in required.iter().filter(|_| mode == modes::Mode::Async) {
            if let Some(docs) = &param.docs {
                doc.push_str(&format!(
                    "\n\n`{}`: {}",
                    crate::names::unraw(&param.name),
                    docs
                ));
            }
        }
        if let Some(notes) = required_body
            .filter(|_| mode == modes::Mode::Async)
            .and_then(super::body::notes)
        {
            doc.push_str(&format!("\n\n`body`: {notes}"));
        }
        let mut attrs = doc_attributes(&doc);
        if operation.deprecated {
            attrs.push(build::word("deprecated"));
        }
        if args.len() > 6 {
            attrs.push(build::list(
                "allow",
                fixed_tokens("clippy::too_many_arguments"),
            ));
        }
        attrs
    };
    impl_blocks(
        &names.method,
        &names.request,
        args.clone(),
        inits,
        method_docs,
    )
}

/// The two `impl` blocks with the operation's constructor method, on the async client and
/// on the blocking one. `docs` (by mode) are the method's documentation and attributes.
fn impl_blocks(
    method_name: &Ident,
    request_name: &Ident,
    args: Vec<(Ident, syn::Type)>,
    inits: Vec<(Ident, Option<syn::Expr>)>,
    docs: impl Fn(Mode) -> Vec<Attribute>,
) -> syn::Result<[Item; 2]> {
    let make = |mode: Mode| -> syn::Result<Item> {
        let client = match mode {
            Mode::Async => build::path(&["super", "super", "client", "Client"]),
            Mode::Blocking => build::path(&["super", "super", "client", "blocking", "Client"]),
        };
        let output = modes::request_type(request_name, "'_", Some(mode));
        let method = build::method(
            docs(mode),
            method_name.clone(),
            Takes::Borrowed,
            args.clone(),
            output,
            vec![build::tail(build::struct_literal(
                build::path_of([request_name.clone()], None),
                inits.clone(),
            ))],
        );
        let mut item = build::item_impl(
            syn::Generics::default(),
            build::type_of(client),
            vec![method],
        );
        if let (Item::Impl(block), modes::Mode::Blocking) = (&mut item, mode) {
            block.attrs.push(blocking_cfg());
        }
        Ok(item)
    };
    Ok([make(modes::Mode::Async)?, make(modes::Mode::Blocking)?])
}
