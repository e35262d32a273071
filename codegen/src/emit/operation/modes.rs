//! The two ways a request is sent: the request builder's generics (`'a`, and the mode `M`:
//! `rt::Async`, or `&'a rt::blocking::Client`), its client handle, `send()` for each mode
//! and `IntoFuture` for the async one. The validation and encoding both modes share is the
//! builder's private `execute` (`request.rs`, `send.rs`, `response.rs`).

use std::cell::RefCell;

use proc_macro2::{Ident, Span};
use quote::quote;
use syn::{Attribute, Item};

use super::super::build;

/// Which client a constructor method is on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Async,
    Blocking,
}

/// The value of the request builder's `client` field in a constructor.
pub(super) fn client_handle() -> syn::Expr {
    build::method_call(build::named("self"), "into", [])
}

/// The type of the request builder's `client` field: `rt::Handle<'a, M>`.
pub(super) fn client_field_type() -> syn::Type {
    build::with_lifetime_path(&["rt", "Handle"], "'a", vec![mode_param()])
}

/// `M`, the request builder's mode parameter.
fn mode_param() -> syn::Type {
    build::type_of(build::path(&["M"]))
}

/// `&'lifetime rt::blocking::Client`, the blocking mode.
pub(super) fn blocking_mode(lifetime: &str) -> syn::Type {
    build::reference_type(
        lifetime,
        build::type_of(build::path(&["rt", "blocking", "Client"])),
    )
}

/// The request builder's type in `mode` (`None`: any mode `M`), for the client's lifetime.
pub(super) fn request_type(request_name: &Ident, lifetime: &str, mode: Option<Mode>) -> syn::Type {
    let args = match mode {
        None => vec![mode_param()],
        Some(Mode::Async) => Vec::new(),
        Some(Mode::Blocking) => vec![blocking_mode(lifetime)],
    };
    build::with_lifetime(request_name.clone(), lifetime, args)
}

/// `<'a, M = rt::Async>` of the request builder, or `<'a, M>` of its impl, made once per
/// thread.
pub(super) fn request_generics(with_default: bool) -> syn::Result<syn::Generics> {
    thread_local! {
        static MADE: RefCell<[Option<syn::Generics>; 2]> = RefCell::default();
    }
    MADE.with_borrow_mut(|made| {
        let slot = &mut made[usize::from(with_default)];
        if let Some(generics) = slot {
            return Ok(generics.clone());
        }
        let generics: syn::Generics = if with_default {
            syn::parse2(quote!(<'a, M = rt::Async>))?
        } else {
            syn::parse2(quote!(<'a, M: 'a>))?
        };
        *slot = Some(generics.clone());
        Ok(generics)
    })
}

/// `Result<Output, rt::OperationError<Error>>`, what `send()` returns.
fn send_result(output_name: &Ident, error_name: &Ident) -> syn::Type {
    let operation_error = build::type_of(build::path_of(
        [
            Ident::new("rt", Span::call_site()),
            Ident::new("OperationError", Span::call_site()),
        ],
        Some(vec![build::type_of(build::path_of(
            [error_name.clone()],
            None,
        ))]),
    ));
    build::type_of(build::path_of(
        [Ident::new("Result", Span::call_site())],
        Some(vec![
            build::type_of(build::path_of([output_name.clone()], None)),
            operation_error,
        ]),
    ))
}

/// `send()` for the async mode and the blocking one, and `IntoFuture` for the async one:
/// the same for every operation but for their types, so parsed once per thread and copied.
pub(super) fn send_items(
    request_name: &Ident,
    output_name: &Ident,
    error_name: &Ident,
) -> syn::Result<[Item; 3]> {
    thread_local! {
        static TEMPLATES: syn::Result<[syn::ItemImpl; 3]> = templates();
    }
    let [mut async_send, mut blocking_send, mut into_future] =
        TEMPLATES.with(|templates| templates.clone())?;
    let result = send_result(output_name, error_name);
    async_send.self_ty = Box::new(request_type(request_name, "'a", Some(Mode::Async)));
    blocking_send.self_ty = Box::new(request_type(request_name, "'a", Some(Mode::Blocking)));
    into_future.self_ty = Box::new(request_type(request_name, "'a", None));
    for member in &mut async_send.items {
        if let syn::ImplItem::Fn(function) = member {
            function.sig.output = syn::ReturnType::Type(
                Default::default(),
                Box::new(build::impl_future(result.clone(), true)),
            );
        }
    }
    for member in &mut blocking_send.items {
        if let syn::ImplItem::Fn(function) = member {
            function.sig.output =
                syn::ReturnType::Type(Default::default(), Box::new(result.clone()));
        }
    }
    for member in &mut into_future.items {
        if let syn::ImplItem::Type(alias) = member
            && alias.ident == "Output"
        {
            alias.ty = result.clone();
        }
    }
    Ok([
        Item::Impl(async_send),
        Item::Impl(blocking_send),
        Item::Impl(into_future),
    ])
}

/// The three items of `send_items`, with placeholder types.
fn templates() -> syn::Result<[syn::ItemImpl; 3]> {
    Ok([
        syn::parse2(quote! {
            impl<'a> Request<'a> {
                /// Validates the parameters, sends the request (with retries, per the
                /// client's policy) and decodes the response.
                pub fn send(self) -> impl std::future::Future<Output = Result> + Send + 'a {
                    rt::support::documented(self.execute())
                }
            }
        })?,
        syn::parse2(quote! {
            #[cfg(feature = "blocking")]
            impl<'a> Request<'a> {
                /// Validates the parameters, sends the request (with retries, per the
                /// client's policy), waits for the answer and decodes it.
                pub fn send(self) -> Result {
                    let client = self.client;
                    client.block_on(self.execute())
                }
            }
        })?,
        syn::parse2(quote! {
            // Generic over the (one) async mode, so that the crate compiles no future of
            // its own: the boxed future, the decoding it reaches and the attempt loop are
            // compiled where a request is awaited, as a plain `async fn` would be.
            impl<'a, M: rt::AsyncMode + 'a> std::future::IntoFuture for Request<'a, M> {
                type Output = Result;
                type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;
                fn into_future(self) -> Self::IntoFuture {
                    Box::pin(rt::support::documented(self.execute()))
                }
            }
        })?,
    ])
}

/// `#[cfg(feature = "blocking")]`.
pub(super) fn blocking_cfg() -> Attribute {
    build::list("cfg", quote!(feature = "blocking"))
}
