//! `client.rs`: the API's description for the runtime (`rt::Api`), and the
//! crate's own `Client` and `blocking::Client`, which wrap the runtime's and
//! carry the operations' methods. Spec text reaches it only as string literals
//! and as inert doc text.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_values;
use super::{Syntax, parsed};
use crate::inline_code;
use crate::ir::{Api, ApiKeyLocation, ClientConfig, Profile, SchemeKind};

pub(super) fn emit_client(api: &Api) -> Syntax {
    let config = &api.client;
    let description = api_description(config);
    // Fixed text, the validated prefix and inline code: nothing to make inert.
    let client_docs = doc_values(&client_docs(config));
    let async_client = client_items(
        config,
        &quote! { #(#[doc = #client_docs])* },
        ClientKind::Async,
    );
    let blocking_client = client_items(
        config,
        &quote! {
            /// The blocking client: the same methods as the async one, whose
            /// requests are sent with `send()`. Built and configured the same way.
        },
        ClientKind::Blocking,
    );
    parsed(quote! {
        //! The clients of the API, and what they tell the runtime about it.
        use codearts_runtime as rt;

        /// The API as the spec describes it: what the runtime needs to build a client.
        static API: rt::Api = #description;

        #async_client

        #[cfg(feature = "blocking")]
        pub mod blocking {
            //! The same operations without async (crate feature `blocking`), for scripts
            //! and command-line tools: `send()` blocks. Each client runs its calls on a
            //! runtime of its own; inside an async runtime a call fails instead of
            //! blocking it: use the async [`Client`](super::Client) there.
            use codearts_runtime as rt;

            #blocking_client

            impl Client {
                /// An async client with the same configuration and connection pool.
                pub fn to_async(&self) -> super::Client {
                    super::Client {
                        inner: self.inner.async_client().clone(),
                    }
                }
            }
        }
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ClientKind {
    Async,
    Blocking,
}

/// A client type: the newtype, its builder, the runtime's view of it (`ApiClient`, the
/// profile's marker trait) and the handle its requests are sent through.
fn client_items(config: &ClientConfig, docs: &TokenStream, kind: ClientKind) -> TokenStream {
    let (inner, deref, api, from_client, mode) = match kind {
        ClientKind::Async => (
            quote!(rt::Client),
            quote!(&self.inner),
            quote!(&API),
            quote!(Ok(Client { inner: client })),
            quote!(rt::Async),
        ),
        ClientKind::Blocking => (
            quote!(rt::blocking::Client),
            quote!(self.inner.async_client()),
            quote!(&super::API),
            quote!(rt::blocking::Client::new(client).map(|inner| Client { inner })),
            quote!(&'a rt::blocking::Client),
        ),
    };
    let huaweicloud = (config.profile == Profile::HuaweiCloud).then(|| {
        quote! { impl rt::huaweicloud::HuaweiCloudApi for Client {} }
    });
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: #inner,
        }

        /// Configures and builds a [`Client`]: endpoint, credentials, timeouts, retries.
        pub type ClientBuilder = rt::ClientBuilder<Client>;

        impl Client {
            /// A builder with the defaults (see [`ClientBuilder::build`] for where the
            /// endpoint and the credentials come from).
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// A client configured from the environment alone (`Client::builder().build()`).
            pub fn from_env() -> Result<Client, rt::Error> {
                ClientBuilder::new().build()
            }
        }

        /// The runtime's client: the endpoint, the retry policy and the rest of the
        /// configuration.
        impl std::ops::Deref for Client {
            type Target = rt::Client;
            fn deref(&self) -> &rt::Client {
                #deref
            }
        }

        impl rt::ApiClient for Client {
            const API: &'static rt::Api = #api;
            fn from_client(client: rt::Client) -> Result<Self, rt::Error> {
                #from_client
            }
        }

        #huaweicloud

        impl<'a> From<&'a Client> for rt::Handle<'a, #mode> {
            fn from(client: &'a Client) -> Self {
                (&client.inner).into()
            }
        }
    }
}

/// `rt::Api::new(..)` with the spec's settings. Every string is a literal.
fn api_description(config: &ClientConfig) -> TokenStream {
    let prefix = &config.env_prefix;
    let mut description = quote! {
        rt::Api::new(
            concat!(env!("CARGO_PKG_NAME"), "-rust/", env!("CARGO_PKG_VERSION")),
            #prefix,
        )
    };
    if let Some(endpoint) = &config.default_endpoint {
        description = quote! { #description.default_endpoint(#endpoint) };
    }
    if !config.security_schemes.is_empty() {
        let schemes = config.security_schemes.iter().map(|scheme| {
            let name = &scheme.name;
            let kind = match &scheme.kind {
                SchemeKind::ApiKey {
                    location,
                    parameter,
                } => {
                    let location = match location {
                        ApiKeyLocation::Header => quote!(Header),
                        ApiKeyLocation::Query => quote!(Query),
                        ApiKeyLocation::Cookie => quote!(Cookie),
                    };
                    quote! {
                        rt::SchemeKind::ApiKey {
                            location: rt::ApiKeyLocation::#location,
                            parameter: #parameter,
                        }
                    }
                }
                SchemeKind::Bearer => quote!(rt::SchemeKind::Bearer),
                SchemeKind::Basic => quote!(rt::SchemeKind::Basic),
            };
            quote! { rt::SecurityScheme { name: #name, kind: #kind } }
        });
        description = quote! { #description.security_schemes(&[#(#schemes),*]) };
    }
    if config.profile == Profile::HuaweiCloud {
        description = quote! { #description.profile(rt::Profile::HuaweiCloud) };
    }
    description
}

/// The client's docs: how to build one, and the environment variables it reads.
fn client_docs(config: &ClientConfig) -> String {
    let var = |name: &str| format!("`{}_{name}`", config.env_prefix);
    let mut rows: Vec<(String, String)> = Vec::new();
    match config.profile {
        Profile::HuaweiCloud => {
            rows.push((
                var("ENDPOINT"),
                "the base URL of the API, e.g. a proxy or a test server".into(),
            ));
            rows.push((
                var("REGION"),
                "else, a region id such as `cn-north-4`".into(),
            ));
            rows.push((var("TOKEN"), "an IAM token, sent as `X-Auth-Token`".into()));
            rows.push((
                "`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`".into(),
                "else, an access key that signs each request".into(),
            ));
            rows.push((
                "`HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_PROJECT_ID`".into(),
                "optional, with the access key".into(),
            ));
        }
        Profile::Generic => {
            let endpoint = match &config.default_endpoint {
                Some(url) => format!("the base URL of the API (default: {})", inline_code(url)),
                None => "the base URL of the API".into(),
            };
            rows.push((var("ENDPOINT"), endpoint));
            let has = |wanted: fn(&SchemeKind) -> bool| {
                config.security_schemes.iter().any(|s| wanted(&s.kind))
            };
            let bearer = has(|kind| *kind == SchemeKind::Bearer);
            let api_key = has(|kind| matches!(kind, SchemeKind::ApiKey { .. }));
            if bearer || api_key {
                let what = if bearer {
                    "a bearer token"
                } else {
                    "the API key"
                };
                rows.push((var("TOKEN"), what.into()));
            }
            if api_key {
                rows.push((var("API_KEY"), "the API key".into()));
            }
            if has(|kind| *kind == SchemeKind::Basic) {
                rows.push((
                    format!("{}, {}", var("USERNAME"), var("PASSWORD")),
                    "HTTP basic credentials".into(),
                ));
            }
        }
    }
    let mut docs = String::from(
        "A client of the API: one method per operation, whose request is awaited.\n\n\
         Cheap to clone (the configuration and the connection pool are shared), `Send` and \
         `Sync`; its `Debug` output never shows a credential. Build one with \
         [`Client::builder`], or from the environment with [`Client::from_env`], which reads:\n\n\
         | variable | what |\n| --- | --- |\n",
    );
    for (variable, what) in rows {
        docs.push_str(&format!("| {variable} | {what} |\n"));
    }
    docs
}
