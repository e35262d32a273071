//! The client type a generated crate would define, for the runtime's own tests:
//! a Huawei Cloud API whose environment variables start with `CODEARTS_`, as the
//! CodeArts Repo client's do.

use codearts_runtime::{self as rt, huaweicloud};

static API: rt::Api = rt::Api::new("codearts-repo-rust/0.1.0", "CODEARTS")
    .security_schemes(&[rt::SecurityScheme {
        name: "X-Auth-Token",
        kind: rt::SchemeKind::ApiKey {
            location: rt::ApiKeyLocation::Header,
            parameter: "X-Auth-Token",
        },
    }])
    .profile(rt::Profile::HuaweiCloud);

/// A client of the test API: the runtime's client, with its builder.
#[derive(Debug, Clone)]
pub struct Client(rt::Client);

/// The builder of [`Client`].
pub type ClientBuilder = rt::ClientBuilder<Client>;

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    #[allow(dead_code)] // not every test binary reads the environment
    pub fn from_env() -> Result<Client, rt::Error> {
        ClientBuilder::new().build()
    }
}

impl std::ops::Deref for Client {
    type Target = rt::Client;
    fn deref(&self) -> &rt::Client {
        &self.0
    }
}

impl rt::ApiClient for Client {
    const API: &'static rt::Api = &API;
    fn from_client(client: rt::Client) -> Result<Self, rt::Error> {
        Ok(Client(client))
    }
}

impl huaweicloud::HuaweiCloudApi for Client {}
