//! What a generated crate tells the runtime about its API: the description the
//! generator writes from the spec, and the trait that ties a generated client
//! type to it.

use crate::client::Client;
use crate::error::Error;

/// The API a generated client calls, as its spec describes it. The generator
/// writes one `static` of it per crate; the [`ClientBuilder`](crate::ClientBuilder)
/// reads it for the defaults, the environment and the authentication schemes.
#[derive(Debug)]
#[non_exhaustive]
pub struct Api {
    /// The first part of every `User-Agent`: the generated crate's name and version.
    pub user_agent: &'static str,
    /// The prefix of the environment variables the client reads
    /// (`{prefix}_ENDPOINT`, `{prefix}_TOKEN`, ...): ASCII capitals, digits and `_`.
    pub env_prefix: &'static str,
    /// The spec's first server, when it is an absolute URL: the endpoint when no
    /// other is given.
    pub default_endpoint: Option<&'static str>,
    /// The spec's `securitySchemes` that the runtime can apply.
    pub security_schemes: &'static [SecurityScheme],
    /// Which cloud's conventions the API follows.
    pub profile: Profile,
}

impl Api {
    /// A description with no default endpoint, no security scheme and the
    /// generic profile.
    pub const fn new(user_agent: &'static str, env_prefix: &'static str) -> Api {
        Api {
            user_agent,
            env_prefix,
            default_endpoint: None,
            security_schemes: &[],
            profile: Profile::Generic,
        }
    }

    /// The same with `endpoint` as the default endpoint.
    pub const fn default_endpoint(mut self, endpoint: &'static str) -> Api {
        self.default_endpoint = Some(endpoint);
        self
    }

    /// The same with these security schemes.
    pub const fn security_schemes(mut self, schemes: &'static [SecurityScheme]) -> Api {
        self.security_schemes = schemes;
        self
    }

    /// The same with `profile`.
    pub const fn profile(mut self, profile: Profile) -> Api {
        self.profile = profile;
        self
    }

    /// The environment variable `{prefix}_{name}`.
    pub(crate) fn env_var(&self, name: &str) -> String {
        format!("{}_{name}", self.env_prefix)
    }
}

/// The conventions of the cloud an API belongs to, chosen by the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// Any OpenAPI service: the endpoint from the builder, the environment or
    /// the spec; credentials for the spec's security schemes.
    Generic,
    /// A Huawei Cloud service (crate feature `huaweicloud`): regions, IAM
    /// tokens and AK/SK signing, the `HUAWEICLOUD_SDK_*` environment.
    HuaweiCloud,
}

/// A security scheme of the spec (`components.securitySchemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec.
    pub name: &'static str,
    /// How the credential is sent.
    pub kind: SchemeKind,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemeKind {
    /// `apiKey`: the key as a header, query parameter or cookie named `parameter`.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        parameter: &'static str,
    },
    /// HTTP `bearer`, and `oauth2` / `openIdConnect` (whose access tokens are
    /// bearer tokens): `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP `basic`: `Authorization: Basic <base64(user:password)>`.
    Basic,
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A generated client type: what the [`ClientBuilder`](crate::ClientBuilder)
/// builds. Implemented by generated code, for its async and blocking clients.
pub trait ApiClient: Sized {
    /// The API the client calls.
    const API: &'static Api;

    /// Wraps a configured runtime client.
    #[doc(hidden)]
    fn from_client(client: Client) -> Result<Self, Error>;
}
