//! The request body by its encoding: the type the builder keeps, what the method or setter
//! takes, the statement that sets it on the request, and the body enum of an operation
//! that accepts several media types.

use quote::quote;
use syn::{Item, Stmt};

use super::super::build;
use super::super::{doc_attributes, ident, syn_type};
use crate::ir::{BodyChoice, BodyEncoding, MultipartPart, RequestBody, Type};

/// The type of the builder's `body` field (inside `Option` when optional).
pub(super) fn field_type(body: &RequestBody) -> syn::Type {
    match &body.choice {
        Some(choice) => build::type_of(build::path(&[&choice.name])),
        None => encoding_type(&body.encoding, &body.ty),
    }
}

/// The type a value of one encoding is kept as.
fn encoding_type(encoding: &BodyEncoding, ty: &Type) -> syn::Type {
    match encoding {
        BodyEncoding::Json | BodyEncoding::Form => syn_type(ty, false),
        BodyEncoding::Text { .. } => syn_type(&Type::String, false),
        BodyEncoding::Binary { .. } => build::type_of(build::path(&["rt", "BinaryBody"])),
        BodyEncoding::Multipart { .. } => build::type_of(build::path(&["rt", "Multipart"])),
    }
}

/// What the constructor or setter takes for the body, and whether it converts it with
/// `.into()`: a typed JSON or form body as it is, text as `impl Into<String>`, bytes as
/// `impl Into<rt::BinaryBody>`, a choice as `impl Into<{Op}Body>` (from the default
/// variant's type).
pub(super) fn argument(body: &RequestBody) -> (syn::Type, bool) {
    let field = field_type(body);
    match (&body.choice, &body.encoding) {
        (None, BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart { .. }) => {
            (field, false)
        }
        _ => (build::impl_into(field), true),
    }
}

/// The statements that set the body on `request`, from `self.body`.
pub(super) fn statements(body: &RequestBody) -> Vec<Stmt> {
    let request = |method: &str, args: Vec<syn::Expr>| {
        build::method_call(build::named("request"), method, args)
    };
    let field = build::self_field(ident("body"));
    let operation = || build::named("OPERATION");
    // JSON keeps the shape it always had: the body by reference.
    if body.choice.is_none() && body.encoding == BodyEncoding::Json {
        let json_body = |body: syn::Expr| {
            build::semi(build::try_(request("json_body", vec![operation(), body])))
        };
        return vec![if body.required {
            json_body(build::reference(field))
        } else {
            build::if_let_some(
                ident("body"),
                build::reference(field),
                vec![json_body(build::named("body"))],
            )
        }];
    }
    let set = |value: syn::Expr| match (&body.choice, &body.encoding) {
        (Some(_), _) => build::semi(build::try_(build::method_call(
            value,
            "encode",
            vec![operation(), build::reference_mut(build::named("request"))],
        ))),
        (None, encoding) => encode_call(encoding, value, operation(), |method, args| {
            request(method, args)
        }),
    };
    vec![if body.required {
        set(field)
    } else {
        build::if_let_some(ident("body"), field, vec![set(build::named("body"))])
    }]
}

/// The call that sets a body of `encoding` (`value`, owned) on the request.
fn encode_call(
    encoding: &BodyEncoding,
    value: syn::Expr,
    operation: syn::Expr,
    request: impl Fn(&str, Vec<syn::Expr>) -> syn::Expr,
) -> Stmt {
    match encoding {
        BodyEncoding::Json => build::semi(build::try_(request(
            "json_body",
            vec![operation, build::reference(value)],
        ))),
        BodyEncoding::Form => build::semi(build::try_(request(
            "form_body",
            vec![operation, build::reference(value)],
        ))),
        BodyEncoding::Text { content_type } => build::semi(request(
            "text_body",
            vec![build::string(content_type), value],
        )),
        BodyEncoding::Binary {
            default_content_type,
        } => build::semi(build::try_(request(
            "binary_body",
            vec![operation, build::string(default_content_type), value],
        ))),
        BodyEncoding::Multipart { parts } => {
            let typed: Vec<syn::Expr> = parts
                .iter()
                .filter_map(|part| {
                    let content_type = part.content_type.as_ref()?;
                    Some(build::tuple([
                        build::string(&part.name),
                        build::string(content_type),
                    ]))
                })
                .collect();
            build::semi(build::try_(request(
                "multipart_body",
                vec![operation, value, build::reference(build::array(typed))],
            )))
        }
    }
}

/// What the docs of the body's method or setter say about it, beyond the spec's
/// description: the media types, how each is sent, a multipart body's parts.
pub(super) fn notes(body: &RequestBody) -> Option<String> {
    match &body.choice {
        Some(choice) => Some(format!(
            "The body: `{}`, one variant per media type the operation accepts; a value of the \
             first variant's type, `{}`, converts into it.",
            choice.name, choice.variants[0].name
        )),
        None => encoding_notes(&body.encoding, &body.media_type),
    }
}

fn encoding_notes(encoding: &BodyEncoding, media_type: &str) -> Option<String> {
    match encoding {
        BodyEncoding::Json => None,
        BodyEncoding::Form => Some(
            "Sent as `application/x-www-form-urlencoded`: the fields as `name=value` pairs."
                .to_owned(),
        ),
        BodyEncoding::Text { content_type } => Some(format!("Sent as `{content_type}`.")),
        BodyEncoding::Binary {
            default_content_type,
        } => Some(format!(
            "Sent as `{default_content_type}`{}, unless the body chooses its own \
             (`BinaryBody::content_type`). A streaming body is sent once: not retried.",
            if media_type.contains('*') {
                format!(" (the spec accepts `{media_type}`)")
            } else {
                String::new()
            }
        )),
        BodyEncoding::Multipart { parts } => Some(multipart_notes(parts)),
    }
}

fn multipart_notes(parts: &[MultipartPart]) -> String {
    let mut text = String::from("Sent as `multipart/form-data`");
    if parts.is_empty() {
        text.push('.');
        return text;
    }
    text.push_str(", with the parts:\n");
    for part in parts {
        let mut traits = vec![if part.file { "file" } else { "text" }];
        if part.required {
            traits.push("required");
        }
        if part.repeated {
            traits.push("repeatable");
        }
        let content_type = part
            .content_type
            .as_ref()
            .map(|c| format!(", sent as `{c}` unless the part chooses"))
            .unwrap_or_default();
        let docs = part
            .docs
            .as_ref()
            .map(|d| format!(": {}", d.replace('\n', " ")))
            .unwrap_or_default();
        text.push_str(&format!(
            "\n- `{}` ({}{content_type}){docs}",
            part.name,
            traits.join(", ")
        ));
    }
    text
}

/// The body enum of an operation that accepts several media types, its `From` the
/// default variant's type, and the method that sets it on the request.
pub(super) fn choice_items(choice: &BodyChoice, id: &str) -> syn::Result<Vec<Item>> {
    let name = ident(&choice.name);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    // Text is set without the operation's name (it cannot fail).
    let operation = match choice
        .variants
        .iter()
        .all(|v| matches!(v.encoding, BodyEncoding::Text { .. }))
    {
        true => ident("_operation"),
        false => ident("operation"),
    };
    for variant in &choice.variants {
        let variant_name = ident(&variant.name);
        let ty = encoding_type(&variant.encoding, &variant.ty);
        let docs = format!(
            "`{}`.{}",
            variant.media_type,
            encoding_notes(&variant.encoding, &variant.media_type)
                .map(|notes| format!(" {notes}"))
                .unwrap_or_default()
        );
        let attrs = doc_attributes(&docs);
        variants.push(quote!(#(#attrs)* #variant_name(#ty)));
        let call = encode_call(
            &variant.encoding,
            build::named("body"),
            build::named("operation"),
            |method, args| build::method_call(build::named("request"), method, args),
        );
        arms.push(quote!(Self::#variant_name(body) => { #call }));
    }
    let enum_docs = doc_attributes(&format!(
        "The body of a `{id}` request, in one of the media types the operation accepts. A \
         value of the first variant's type converts into it (`From`): the default."
    ));
    let first = &choice.variants[0];
    let first_name = ident(&first.name);
    let first_type = encoding_type(&first.encoding, &first.ty);
    Ok(vec![
        syn::parse2(quote! {
            #(#enum_docs)*
            #[derive(Debug, Clone)]
            pub enum #name {
                #(#variants,)*
            }
        })?,
        syn::parse2(quote! {
            impl From<#first_type> for #name {
                fn from(body: #first_type) -> Self {
                    Self::#first_name(body)
                }
            }
        })?,
        syn::parse2(quote! {
            impl #name {
                /// Sets the body on `request`, with the `Content-Type` of its media type.
                fn encode(
                    self,
                    #operation: &'static str,
                    request: &mut rt::OperationRequest,
                ) -> Result<(), rt::Error> {
                    match self {
                        #(#arms)*
                    }
                    Ok(())
                }
            }
        })?,
    ])
}
