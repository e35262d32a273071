//! What an operation's successful answer decodes into: the body (one type, or an enum by
//! status), the typed response headers, and the `{Op}Output` alias.

use proc_macro2::{Ident, Literal};
use syn::{Attribute, Item, Stmt};

use super::super::build;
use super::super::{
    derive, doc_attributes, fixed_docs, fixed_tokens, ident, option_type, syn_type,
};
use super::Names;
use crate::ir::{Body, Operation, Status, SuccessBody, Type};

/// The decoding statements that end `execute`, the `{Op}Output` alias, and the items it
/// refers to (the headers struct, the body enum).
pub(super) struct Output {
    pub(super) statements: Vec<Stmt>,
    pub(super) alias: Item,
    pub(super) items: Vec<Item>,
}

pub(super) fn output(operation: &Operation, names: &Names) -> Output {
    let id = &operation.id;
    let headers_name = &names.response_headers;
    let body_enum_name = &names.response_body;
    let local = |name: &proc_macro2::Ident| build::type_of(build::path_of([name.clone()], None));
    let mut statements = Vec::new();
    let (body_type, decode, body_enum) = match &operation.success_body {
        SuccessBody::One(body) => (body_type_of(body), decode_expr(body), None),
        SuccessBody::ByStatus => {
            let mut responses: Vec<_> = operation.success.iter().collect();
            responses.sort_by_key(|response| response.status.match_order());
            let mut variants: Vec<syn::Variant> = responses
                .iter()
                .map(|response| {
                    let holds = match &response.body {
                        Body::Empty => None,
                        body => Some(body_type_of(body)),
                    };
                    response_variant(response, holds)
                })
                .collect();
            variants.push(build::variant(
                fixed_docs(&[" A 2xx status the spec does not document, with its raw body."]),
                ident("Undocumented"),
                Some(syn_type(&Type::Bytes, false)),
            ));
            let variant_path =
                |variant: Ident| build::path_of([body_enum_name.clone(), variant], None);
            let mut arms: Vec<(syn::Pat, syn::Expr)> = responses
                .iter()
                .filter(|r| r.status != Status::Default)
                .map(|response| {
                    let variant = variant_path(ident(&response.variant));
                    let value = match &response.body {
                        Body::Empty => build::path_expr(variant),
                        body => build::call(variant, [decode_expr(body)]),
                    };
                    (status_pattern(response.status), value)
                })
                .collect();
            arms.push((
                build::wildcard(),
                build::call(
                    variant_path(ident("Undocumented")),
                    [decode_expr(&Body::Binary)],
                ),
            ));
            let mut attrs = fixed_docs(&[" The body of a successful response, by status."]);
            attrs.extend(response_enum_attrs());
            let body_enum = build::item_enum(attrs, body_enum_name.clone(), variants);
            let status = build::method_call(
                build::field_of(build::named("raw"), ident("status")),
                "as_u16",
                [],
            );
            (
                local(body_enum_name),
                build::match_(status, arms),
                Some(body_enum),
            )
        }
    };
    statements.push(build::let_(ident("body"), false, decode));
    let (headers_type, headers_value, headers_struct) = if operation.response_headers.is_empty() {
        (build::tuple_type([]), build::tuple([]), None)
    } else {
        let fields = operation
            .response_headers
            .iter()
            .map(|header| {
                let docs = doc_attributes(&format!(
                    "`{}`{}",
                    header.wire_name,
                    header
                        .docs
                        .as_ref()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ));
                let ty = option_type(syn_type(&header.ty, false));
                build::field(docs, true, ident(&header.name), ty)
            })
            .collect();
        let values = operation.response_headers.iter().map(|header| {
            let value = build::call(
                build::turbofish(
                    &["rt", "support", "header_typed"],
                    vec![syn_type(&header.ty, false)],
                ),
                [
                    build::reference(build::field_of(build::named("raw"), ident("headers"))),
                    build::string(&header.wire_name),
                ],
            );
            (ident(&header.name), Some(value))
        });
        let mut attrs = fixed_docs(&[
            " The response headers the spec declares. A header that is missing",
            " or does not parse is `None`: it never fails the call.",
        ]);
        attrs.push(derive("Debug, Clone, Default, PartialEq"));
        attrs.push(build::word("non_exhaustive"));
        (
            local(headers_name),
            build::struct_literal(build::path_of([headers_name.clone()], None), values),
            Some(build::item_struct(
                attrs,
                headers_name.clone(),
                syn::Generics::default(),
                fields,
            )),
        )
    };
    statements.push(build::let_(ident("headers"), false, headers_value));
    statements.push(build::tail(build::call(
        build::path(&["Ok"]),
        [build::call(
            build::path(&["rt", "Response", "new"]),
            [
                build::named("raw"),
                build::named("body"),
                build::named("headers"),
            ],
        )],
    )));
    let alias = build::type_alias(
        doc_attributes(&format!(
            "What a successful `{id}` call returns: the typed body, status and headers."
        )),
        names.output.clone(),
        build::type_of(build::path_of(
            [ident("rt"), ident("Response")],
            Some(vec![body_type, headers_type]),
        )),
    );
    Output {
        statements,
        alias,
        items: headers_struct.into_iter().chain(body_enum).collect(),
    }
}

/// How the response body is decoded from `raw`.
/// Whether decoding the answer names `OPERATION` (a JSON or text body does, in its errors).
pub(super) fn decode_names_operation(operation: &Operation) -> bool {
    let named = |body: &Body| matches!(body, Body::Json(_) | Body::Text);
    match &operation.success_body {
        SuccessBody::One(body) => named(body),
        SuccessBody::ByStatus => operation
            .success
            .iter()
            .any(|response| named(&response.body)),
    }
}

pub(super) fn decode_expr(body: &Body) -> syn::Expr {
    let operation_and_raw = || {
        [
            build::named("OPERATION"),
            build::reference(build::named("raw")),
        ]
    };
    match body {
        Body::Empty => build::tuple([]),
        Body::Json(ty) => build::try_(build::call(
            build::turbofish(&["rt", "support", "decode_json"], vec![syn_type(ty, false)]),
            operation_and_raw(),
        )),
        Body::Text => build::try_(build::call(
            build::path(&["rt", "support", "decode_text"]),
            operation_and_raw(),
        )),
        Body::Binary => build::call(
            build::path(&["rt", "support", "decode_bytes"]),
            [build::reference(build::named("raw"))],
        ),
    }
}

/// The match pattern for a documented status (`404`, `4XX`, `default`).
pub(super) fn status_pattern(status: Status) -> syn::Pat {
    match status {
        Status::Default => build::wildcard(),
        Status::Code(code) => build::literal_pattern(Literal::u16_unsuffixed(code)),
        Status::Class(class) => {
            let low = u16::from(class) * 100;
            build::range_pattern(
                Literal::u16_unsuffixed(low),
                Literal::u16_unsuffixed(low + 99),
            )
        }
    }
}

/// `Result<output, rt::Error>`.
pub(super) fn result_of(output_name: &Ident) -> syn::Type {
    build::type_of(build::path_of(
        [ident("Result")],
        Some(vec![
            build::type_of(build::path_of([output_name.clone()], None)),
            build::type_of(build::path(&["rt", "Error"])),
        ]),
    ))
}

/// The variant of a response enum (success or error) for `response`, holding `holds`.
pub(super) fn response_variant(
    response: &crate::ir::Response,
    holds: Option<syn::Type>,
) -> syn::Variant {
    let docs = doc_attributes(&format!(
        "`{}`: {}",
        response.status,
        response.docs.clone().unwrap_or_default()
    ));
    build::variant(docs, ident(&response.variant), holds)
}

/// The attributes of an enum of responses: variants differ in size as the spec's bodies
/// do; a value is made once per call and moved, not stored in bulk, so boxing would only
/// cost an allocation.
pub(super) fn response_enum_attrs() -> [Attribute; 3] {
    [
        derive("Debug, Clone, PartialEq"),
        build::word("non_exhaustive"),
        build::list("allow", fixed_tokens("clippy::large_enum_variant")),
    ]
}

/// The type a response body decodes to, as a node.
pub(super) fn body_type_of(body: &Body) -> syn::Type {
    match body {
        Body::Empty => build::tuple_type([]),
        Body::Json(ty) => syn_type(ty, false),
        Body::Text => syn_type(&Type::String, false),
        Body::Binary => syn_type(&Type::Bytes, false),
    }
}
