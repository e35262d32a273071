//! The statements that validate an operation's parameters and build its request: the
//! checks of documented constraints, the path, query and header parameters, the body, and
//! the call to the client.

use proc_macro2::{Ident, Literal};
use quote::{format_ident, quote};
use syn::Stmt;

use super::super::build;
use super::super::{ident, syn_type};
use crate::ir::{Bound, Location, Operation, Param, PathSegment, Type};

/// The body of `prepare`: the checks and the request, ending with `Ok((self.client, request))`.
pub(super) fn request_statements(operation: &Operation) -> Vec<Stmt> {
    let mut send: Vec<Stmt> = vec![operation_const(&operation.id)];
    for param in &operation.params {
        let name = ident(&param.name);
        let wire = &param.wire_name;
        let (item, is_vec) = match &param.ty {
            Type::Vec(item) => (item.as_ref(), true),
            other => (other, false),
        };
        let field = || build::self_field(name.clone());
        let method = |receiver: syn::Expr, method: &str| build::method_call(receiver, method, []);
        if is_vec
            && (param.constraints.min_items.is_some() || param.constraints.max_items.is_some())
        {
            let (min, max) = (
                optional_literal(param.constraints.min_items.map(Literal::u64_suffixed)),
                optional_literal(param.constraints.max_items.map(Literal::u64_suffixed)),
            );
            let lengths = if param.required {
                build::array([method(field(), "len")])
            } else {
                build::method_call(method(field(), "as_ref"), "map", [build::named("Vec::len")])
            };
            send.push(check_call("check_item_count", wire, lengths, min, max));
        }
        send.extend(value_checks(param, item));
    }

    // The path: its literal text as the format string, each parameter's value encoded
    // once (a parameter may stand in the template twice).
    let mut path_format = String::new();
    let mut path_args: Vec<Ident> = Vec::new();
    let mut encoded: Vec<&str> = Vec::new();
    for segment in &operation.path.segments {
        match segment {
            PathSegment::Literal(text) => {
                path_format.push_str(&text.replace('{', "{{").replace('}', "}}"));
            }
            PathSegment::Param(name) => {
                path_format.push_str("{}");
                let segment = format_ident!(
                    "{}_segment",
                    crate::names::unraw(name).trim_end_matches('_')
                );
                if !encoded.contains(&name.as_str()) {
                    encoded.push(name);
                    let union = operation
                        .params
                        .iter()
                        .find(|param| param.location == Location::Path && param.name == *name)
                        .filter(|param| param.union);
                    let value = match union {
                        // The variant's value, checked and encoded by the runtime.
                        Some(param) => build::try_(build::call(
                            build::path(&["rt", "support", "union_path_segment"]),
                            [
                                build::named("OPERATION"),
                                build::string(&param.wire_name),
                                build::reference(build::self_field(ident(name))),
                            ],
                        )),
                        None => {
                            let text =
                                build::method_call(build::self_field(ident(name)), "to_string", []);
                            build::call(
                                build::path(&["rt", "support", "encode_path_segment"]),
                                [build::reference(text)],
                            )
                        }
                    };
                    send.push(build::let_(segment.clone(), false, value));
                }
                path_args.push(segment);
            }
        }
    }
    let path_expr = if path_args.is_empty() {
        build::call(
            build::path(&["String", "from"]),
            [build::string(&path_format)],
        )
    } else {
        build::macro_expr(
            build::path(&["format"]),
            quote!(#path_format, #(#path_args),*),
        )
    };
    send.push(build::let_(ident("path"), false, path_expr));
    send.push(build::let_(
        ident("request"),
        true,
        build::call(
            build::path(&["rt", "OperationRequest", "new"]),
            [
                build::named("OPERATION"),
                build::path_expr(build::path(&[
                    "rt",
                    "Method",
                    operation.http_method.as_str(),
                ])),
                build::named("path"),
            ],
        ),
    ));
    let request = |method: &str, args: Vec<syn::Expr>| {
        build::method_call(build::named("request"), method, args)
    };
    send.push(build::semi(request(
        "accept",
        vec![build::string(&operation.accept)],
    )));
    send.push(build::semi(request(
        "idempotent",
        vec![build::literal_expr_bool(operation.idempotent)],
    )));
    for param in operation
        .params
        .iter()
        .filter(|p| p.location != Location::Path)
    {
        let field = build::self_field(ident(&param.name));
        let wire = build::string(&param.wire_name);
        if param.union {
            // Borrowed: `[&self.x]`, or `&self.x` (an `Option`) — each value the variant it holds.
            let values = if param.required {
                build::array([build::reference(field)])
            } else {
                build::reference(field)
            };
            let operation = build::named("OPERATION");
            send.push(build::semi(build::try_(match param.location {
                Location::Query => request(
                    "query_union",
                    vec![
                        operation,
                        wire,
                        build::literal_expr_bool(param.explode),
                        values,
                    ],
                ),
                _ => request("header_union", vec![operation, wire, values]),
            })));
            continue;
        }
        let is_vec = matches!(param.ty, Type::Vec(_));
        // The parameter's values, moved out of `self` (each is used once): every value for
        // one query pair or header each, every list for one comma-joined value each.
        let joined = is_vec && (param.location != Location::Query || !param.explode);
        let values = match (is_vec && !joined, param.required) {
            (false, true) => build::array([field]),
            (false, false) | (true, true) => field,
            (true, false) => {
                build::method_call(build::method_call(field, "into_iter", []), "flatten", [])
            }
        };
        send.push(build::semi(match (param.location, joined) {
            (Location::Query, false) => request("query_each", vec![wire, values]),
            (Location::Query, true) => request("query_joined", vec![wire, values]),
            (_, false) => build::try_(request(
                "header_each",
                vec![build::named("OPERATION"), wire, values],
            )),
            (_, true) => build::try_(request(
                "header_joined",
                vec![build::named("OPERATION"), wire, values],
            )),
        }));
    }
    if let Some(body) = &operation.body {
        send.extend(super::body::statements(body));
    }
    send.push(build::tail(build::call(
        build::path(&["Ok"]),
        [build::tuple([
            build::field_of(build::named("self"), ident("client")),
            build::named("request"),
        ])],
    )));
    send
}

/// `const OPERATION: &str = "id";`, the name every check and error carries.
pub(super) fn operation_const(id: &str) -> Stmt {
    build::const_stmt(
        "OPERATION",
        build::reference_type_elided(build::type_of(build::path(&["str"]))),
        build::string(id),
    )
}

/// `None` or `Some(value)`, the bound of a runtime check.
pub(super) fn optional_literal(value: Option<Literal>) -> syn::Expr {
    match value {
        Some(value) => build::call(build::path(&["Some"]), [build::literal_expr(value)]),
        None => build::named("None"),
    }
}

pub(super) fn bound_literal(bound: Option<Bound>, int: bool) -> Option<Literal> {
    bound.map(|bound| match bound {
        Bound::Int(value) if int => Literal::i64_suffixed(value),
        Bound::Int(value) => Literal::f64_suffixed(value as f64),
        Bound::Float { value, .. } => Literal::f64_suffixed(value),
    })
}

/// `rt::support::<check>(OPERATION, "wire", values, min, max)?;`.
pub(super) fn check_call(
    check: &str,
    wire: &str,
    values: syn::Expr,
    min: syn::Expr,
    max: syn::Expr,
) -> Stmt {
    build::semi(build::try_(build::call(
        build::path(&["rt", "support", check]),
        [
            build::named("OPERATION"),
            build::string(wire),
            values,
            min,
            max,
        ],
    )))
}

/// How the checks of a parameter see its values: the runtime's checks take any number of
/// values, so a required, optional or array parameter is one call.
#[derive(Clone, Copy)]
pub(super) enum CheckedAs {
    /// By value: `[self.x]`, `self.x` for an `Option`, `self.x.iter().copied()` for an array.
    Values,
    /// As `&str`: `[self.x.as_str()]`, `self.x.as_deref()`, `.map(String::as_str)`.
    Strs,
}

/// The expression that iterates over a parameter's values, for its checks.
pub(super) fn checked_values(param: &Param, checked_as: CheckedAs) -> syn::Expr {
    let field = || build::self_field(ident(&param.name));
    let method = |receiver: syn::Expr, method: &str| build::method_call(receiver, method, []);
    let is_vec = matches!(param.ty, Type::Vec(_));
    let items = || {
        let items = method(field(), "iter");
        if param.required {
            items
        } else {
            method(items, "flatten")
        }
    };
    match (checked_as, is_vec, param.required) {
        (CheckedAs::Values, false, true) => build::array([field()]),
        (CheckedAs::Values, false, false) => field(),
        (CheckedAs::Values, true, _) => method(items(), "copied"),
        (CheckedAs::Strs, false, true) => build::array([method(field(), "as_str")]),
        (CheckedAs::Strs, false, false) => method(field(), "as_deref"),
        (CheckedAs::Strs, true, _) => {
            build::method_call(items(), "map", [build::named("String::as_str")])
        }
    }
}

/// The checks of one parameter's values (`item` is the type of one value).
pub(super) fn value_checks(param: &Param, item: &Type) -> Vec<Stmt> {
    let values = || checked_values(param, CheckedAs::Values);
    let strs = || checked_values(param, CheckedAs::Strs);
    let wire = &param.wire_name;
    let c = &param.constraints;
    let range = |int: bool, min: Option<Bound>, max: Option<Bound>| {
        (
            optional_literal(bound_literal(min, int)),
            optional_literal(bound_literal(max, int)),
        )
    };
    let lengths = |min: Option<u64>, max: Option<u64>| {
        (
            optional_literal(min.map(Literal::u64_suffixed)),
            optional_literal(max.map(Literal::u64_suffixed)),
        )
    };
    match item {
        Type::I32 | Type::I64 => {
            let float_bound = matches!(c.minimum, Some(Bound::Float { .. }))
                || matches!(c.maximum, Some(Bound::Float { .. }));
            if float_bound {
                let (min, max) = range(false, c.minimum, c.maximum);
                let as_f64 = build::closure(
                    ident("value"),
                    build::cast(build::named("value"), syn_type(&Type::F64, false)),
                );
                let values = build::method_call(values(), "map", [as_f64]);
                vec![check_call("check_number_range", wire, values, min, max)]
            } else {
                let min = c
                    .minimum
                    .or(param.int32.then_some(Bound::Int(i64::from(i32::MIN))));
                let max = c
                    .maximum
                    .or(param.int32.then_some(Bound::Int(i64::from(i32::MAX))));
                if min.is_none() && max.is_none() {
                    return Vec::new();
                }
                let (min, max) = range(true, min, max);
                vec![check_call("check_int_range", wire, values(), min, max)]
            }
        }
        Type::F32 | Type::F64 => {
            let (min, max) = range(false, c.minimum, c.maximum);
            vec![check_call("check_number_range", wire, values(), min, max)]
        }
        Type::String => {
            let mut checks = Vec::new();
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = lengths(c.min_length, c.max_length);
                checks.push(check_call("check_string_length", wire, strs(), min, max));
            }
            if param.location == Location::Path {
                checks.push(build::semi(build::try_(build::call(
                    build::path(&["rt", "support", "check_path_segment"]),
                    [build::named("OPERATION"), build::string(wire), strs()],
                ))));
            }
            checks
        }
        _ => Vec::new(),
    }
}
