//! The two ways a request is sent: the request builder's generics (`'a`, and the mode `M`:
//! `rt::Async`, or `&'a rt::blocking::Client`), its client handle, `send()` for each mode
//! and `IntoFuture` for the async one. The validation and encoding both modes share is the
//! builder's private `execute` (`request.rs`, `send.rs`, `response.rs`).

use std::cell::RefCell;

use proc_macro2::Ident;
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

/// The type of the request builder's `client` field.
pub(super) fn client_field_type() -> syn::Result<syn::Type> {
    syn::parse2(quote!(rt::Handle<'a, M>))
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
            syn::parse2(quote!(<'a, M>))?
        };
        *slot = Some(generics.clone());
        Ok(generics)
    })
}

/// `Request<'a, M>`, the type the setters and `execute` are on.
pub(super) fn request_in_any_mode(request_name: &Ident) -> syn::Result<syn::Type> {
    syn::parse2(quote!(#request_name<'a, M>))
}

/// `send()` for the async mode and the blocking one, and `IntoFuture` for the async one.
pub(super) fn send_items(
    request_name: &Ident,
    output_name: &Ident,
    error_name: &Ident,
) -> syn::Result<[Item; 3]> {
    let result = quote!(Result<#output_name, rt::OperationError<#error_name>>);
    let async_send = syn::parse2(quote! {
        impl<'a> #request_name<'a> {
            /// Validates the parameters, sends the request (with retries, per the
            /// client's policy) and decodes the response.
            pub async fn send(self) -> #result {
                self.execute().await.map_err(rt::OperationError::new)
            }
        }
    })?;
    let blocking_send = syn::parse2(quote! {
        #[cfg(feature = "blocking")]
        impl<'a> #request_name<'a, &'a rt::blocking::Client> {
            /// Validates the parameters, sends the request (with retries, per the
            /// client's policy), waits for the answer and decodes it.
            pub fn send(self) -> #result {
                let client = self.client;
                client.block_on(self.execute())
            }
        }
    })?;
    let into_future = syn::parse2(quote! {
        impl<'a> std::future::IntoFuture for #request_name<'a> {
            type Output = #result;
            type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    })?;
    Ok([async_send, blocking_send, into_future])
}

/// `#[cfg(feature = "blocking")]`.
pub(super) fn blocking_cfg() -> Attribute {
    build::list("cfg", quote!(feature = "blocking"))
}
