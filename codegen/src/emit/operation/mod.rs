//! One operation's module: the methods that make its request on both clients, the request
//! builder, how it is sent and decoded, and its documented errors. Each part is made by
//! the submodule named for what it produces; `emit_operation` puts them in order.

mod body;
mod errors;
mod method;
mod modes;
mod request;
mod response;
mod send;

use proc_macro2::Ident;

use super::build;
use super::{Syntax, doc_text, doc_values, file_of, ident};
use crate::ir::{Body, Operation, Type};

/// The names of what an operation's module defines, as identifiers.
struct Names {
    method: Ident,
    request: Ident,
    output: Ident,
    response_headers: Ident,
    response_body: Ident,
    error: Ident,
}

impl Names {
    fn of(operation: &Operation) -> Names {
        let names = &operation.type_names;
        Names {
            method: ident(&operation.method_name),
            request: ident(&names.request),
            output: ident(&names.output),
            response_headers: ident(&names.response_headers),
            response_body: ident(&names.response_body),
            error: ident(&names.error),
        }
    }
}

/// The module of `operation`.
pub(super) fn emit_operation(operation: &Operation) -> Syntax {
    let names = Names::of(operation);
    let id = &operation.id;

    let mut module_items = vec![build::use_item(&["codearts_runtime"], Some("rt"))];
    if operation_uses_types(operation) {
        module_items.push(build::use_item(&["super", "super", "types"], None));
    }
    module_items.extend(method::client_methods(operation, &names)?);
    module_items.push(request::builder_struct(operation, &names)?);
    if let Some(choice) = operation.body.as_ref().and_then(|b| b.choice.as_ref()) {
        module_items.extend(body::choice_items(choice, id)?);
    }

    let output = response::output(operation, &names);
    let mut builder_methods = request::setters(operation);
    builder_methods.extend(request::exchange_methods(
        &names.output,
        send::request_statements(operation),
        response::decode_names_operation(operation).then(|| send::operation_const(&operation.id)),
        output.statements,
    ));
    module_items.push(build::item_impl(
        modes::request_generics(false)?,
        modes::request_type(&names.request, "'a", None),
        builder_methods,
    ));
    module_items.extend(modes::send_items(
        &names.request,
        &names.output,
        &names.error,
    )?);
    module_items.push(output.alias);
    module_items.extend(output.items);
    module_items.extend(errors::error_items(operation, &names.error)?);

    let module_doc = doc_text(&format!(
        "{}\n\n`{} {}` (operation `{id}`).",
        operation.summary.clone().unwrap_or_else(|| id.clone()),
        operation.http_method.as_str(),
        operation.path.template,
    ));
    let mut file = file_of(module_items);
    file.attrs = doc_values(&module_doc)
        .into_iter()
        .map(|value| build::doc(value, true))
        .collect();
    Ok(file)
}

/// Whether the request has optional parameters or an optional body (and so setters).
fn has_options(operation: &Operation) -> bool {
    operation.params.iter().any(|p| !p.required)
        || operation.body.as_ref().is_some_and(|b| !b.required)
}

/// Whether the module refers to `types` (and so imports it).
fn operation_uses_types(operation: &Operation) -> bool {
    fn named(ty: &Type) -> bool {
        match ty {
            Type::Named(_) => true,
            Type::Vec(inner) | Type::Map(inner) => named(inner),
            _ => false,
        }
    }
    let body = |body: &Body| matches!(body, Body::Json(ty) if named(ty));
    operation.params.iter().any(|p| named(&p.ty))
        || operation.body.as_ref().is_some_and(|b| {
            named(&b.ty)
                || b.choice
                    .as_ref()
                    .is_some_and(|c| c.variants.iter().any(|v| named(&v.ty)))
        })
        || operation.success.iter().any(|r| body(&r.body))
        || operation.errors.iter().any(|r| body(&r.body))
}
