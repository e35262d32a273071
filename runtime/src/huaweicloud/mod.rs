//! The Huawei Cloud layer (crate feature `huaweicloud`): regions and their
//! endpoints, IAM tokens (`X-Auth-Token`), AK/SK request signing
//! (`SDK-HMAC-SHA256`), and the `HUAWEICLOUD_SDK_*` environment. A generated
//! crate gets it when its spec asks for the Huawei Cloud profile.

mod credentials;
mod region;
// AK/SK request signing, behind `Credentials`; public only for its test vectors.
#[doc(hidden)]
pub mod signer;

use std::sync::Arc;
use std::time::SystemTime;

use http::HeaderValue;

pub use credentials::{
    Credentials, ENV_AK, ENV_PROJECT_ID, ENV_SECURITY_TOKEN, ENV_SK, MAX_KEY_LEN,
    MAX_PROJECT_ID_LEN, MAX_TOKEN_LEN,
};
pub use region::{ParseRegionError, Region};

use crate::api::{Api, ApiClient};
use crate::auth::{Authorize, CredentialError};
use crate::client::{BUILDER, ClientBuilder, env_var};
use crate::error::{Error, InvalidInput};

/// A generated client of a Huawei Cloud API: its builder has
/// [`region`](ClientBuilder::region), [`auth_token`](ClientBuilder::auth_token)
/// and [`credentials`](ClientBuilder::credentials).
pub trait HuaweiCloudApi: ApiClient {}

impl<C: HuaweiCloudApi> ClientBuilder<C> {
    /// The region, whose endpoint is used unless [`endpoint`](Self::endpoint) is set.
    pub fn region(mut self, region: Region) -> Self {
        self.settings.region = Some(region);
        self
    }

    /// Authenticates with an IAM token, sent as `X-Auth-Token` (1 to 100 000
    /// visible ASCII characters; checked by [`build`](Self::build)). Replaces
    /// earlier credentials.
    pub fn auth_token(self, token: impl Into<String>) -> Self {
        self.with_credential("auth_token", Credentials::token(token))
    }

    /// Authenticates with `credentials` (a token, or AK/SK signing).
    /// Replaces earlier credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.with_credential("credentials", Ok(credentials))
    }
}

impl Authorize for Credentials {
    fn authorize(
        &self,
        request: &mut reqwest::Request,
        now: SystemTime,
    ) -> Result<(), CredentialError> {
        Credentials::authorize(self, request, now)
    }

    fn kind(&self) -> &'static str {
        Credentials::kind(self)
    }

    fn secrets(&self) -> Vec<HeaderValue> {
        Credentials::secrets(self)
    }
}

/// The region from `{PREFIX}_REGION`, if set.
pub(crate) fn region_from_env(api: &Api) -> Result<Option<Region>, Error> {
    let variable = api.env_var("REGION");
    let Some(region) = env_var(&variable)? else {
        return Ok(None);
    };
    region
        .parse::<Region>()
        .map(Some)
        .map_err(|error| InvalidInput::new(BUILDER, variable, error.to_string()).into())
}

/// Credentials from `{PREFIX}_TOKEN`, else the `HUAWEICLOUD_SDK_*` variables.
pub(crate) fn credentials_from_env(api: &Api) -> Result<Option<Arc<dyn Authorize>>, Error> {
    match Credentials::from_env(&api.env_var("TOKEN")) {
        Ok(credentials) => Ok(credentials.map(|c| Arc::new(c) as Arc<dyn Authorize>)),
        Err(error) => Err(InvalidInput::new(
            BUILDER,
            "environment",
            format!("credentials from the environment: {error}"),
        )
        .into()),
    }
}
