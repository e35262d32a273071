//! Credentials: an IAM token, or an access key / secret key pair that signs
//! each request as the official Huawei Cloud SDKs do (`SDK-HMAC-SHA256`, see
//! [`super::signer`]).
//!
//! Secrets (the token, the secret key, the security token, and the access key
//! too) are kept in [`SecretString`]s: they never appear in a `Debug` output
//! nor in a [`CredentialError`], and the headers that carry them are marked
//! sensitive.

use std::fmt;
use std::time::SystemTime;

use http::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::signer;
use crate::auth::{CredentialError, Redacted, sensitive_value, validate};

/// Environment variable of the access key, as read by the official SDKs.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable of the secret key.
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable of the security token of temporary credentials.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Environment variable of the project id.
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";

/// Longest accepted IAM token or security token, in characters.
pub const MAX_TOKEN_LEN: usize = 100_000;
/// Longest accepted access key or secret key, in characters.
pub const MAX_KEY_LEN: usize = 1_024;
/// Longest accepted project id, in characters.
pub const MAX_PROJECT_ID_LEN: usize = 1_024;

const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");
const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");
const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
const X_SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");

/// How requests are authenticated.
///
/// * [`Credentials::token`]: an IAM token sent as `X-Auth-Token`;
/// * [`Credentials::access_key`]: an AK/SK pair; each request is signed
///   (`X-Sdk-Date` and `Authorization`), optionally with a security token
///   (`X-Security-Token`, for temporary credentials) and a project id
///   (`X-Project-Id`).
#[derive(Clone)]
pub struct Credentials {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Token(SecretString),
    AccessKey {
        ak: SecretString,
        sk: SecretString,
        security_token: Option<SecretString>,
        project_id: Option<String>,
    },
}

impl Credentials {
    /// An IAM token, sent as `X-Auth-Token`. 1 to 100 000 visible ASCII
    /// characters.
    pub fn token(token: impl Into<String>) -> Result<Self, CredentialError> {
        let token: String = token.into();
        let secret = SecretString::from(token);
        validate("token", secret.expose_secret(), MAX_TOKEN_LEN)?;
        Ok(Self {
            inner: Inner::Token(secret),
        })
    }

    /// An access key (AK) and secret key (SK): each request is signed with
    /// `SDK-HMAC-SHA256`. Both must be non-empty visible ASCII, at most 1 024
    /// characters.
    pub fn access_key(
        ak: impl Into<String>,
        sk: impl Into<String>,
    ) -> Result<Self, CredentialError> {
        let ak = SecretString::from(ak.into());
        let sk = SecretString::from(sk.into());
        validate("ak", ak.expose_secret(), MAX_KEY_LEN)?;
        validate("sk", sk.expose_secret(), MAX_KEY_LEN)?;
        Ok(Self {
            inner: Inner::AccessKey {
                ak,
                sk,
                security_token: None,
                project_id: None,
            },
        })
    }

    /// Adds the security token of temporary AK/SK credentials, sent (and
    /// signed) as `X-Security-Token`. An error for token credentials.
    pub fn with_security_token(self, token: impl Into<String>) -> Result<Self, CredentialError> {
        let kind = self.kind();
        match self.inner {
            Inner::AccessKey {
                ak, sk, project_id, ..
            } => {
                let token = SecretString::from(token.into());
                validate("security_token", token.expose_secret(), MAX_TOKEN_LEN)?;
                Ok(Self {
                    inner: Inner::AccessKey {
                        ak,
                        sk,
                        security_token: Some(token),
                        project_id,
                    },
                })
            }
            Inner::Token(_) => Err(CredentialError::NotApplicable {
                field: "security_token",
                kind,
            }),
        }
    }

    /// Adds a project id, sent (and signed) as `X-Project-Id`. An error for
    /// token credentials (the token already names its project).
    pub fn with_project_id(self, project_id: impl Into<String>) -> Result<Self, CredentialError> {
        let kind = self.kind();
        match self.inner {
            Inner::AccessKey {
                ak,
                sk,
                security_token,
                ..
            } => {
                let project_id: String = project_id.into();
                validate("project_id", &project_id, MAX_PROJECT_ID_LEN)?;
                Ok(Self {
                    inner: Inner::AccessKey {
                        ak,
                        sk,
                        security_token,
                        project_id: Some(project_id),
                    },
                })
            }
            Inner::Token(_) => Err(CredentialError::NotApplicable {
                field: "project_id",
                kind,
            }),
        }
    }

    /// Credentials from the environment: an IAM token from `token_variable`
    /// (a generated client passes `{PREFIX}_TOKEN`, e.g. `CODEARTS_TOKEN`);
    /// else AK/SK credentials from the official SDKs' variables
    /// `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and, optionally,
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN` and `HUAWEICLOUD_SDK_PROJECT_ID`.
    /// `Ok(None)` when none of the token, AK and SK is set; an error when only
    /// one of AK and SK is, or when a value is invalid. An empty variable
    /// counts as unset.
    pub fn from_env(token_variable: &str) -> Result<Option<Self>, CredentialError> {
        Self::from_lookup(token_variable, |name| std::env::var(name).ok())
    }

    /// As [`Credentials::from_env`], reading variables through `lookup`.
    pub fn from_lookup(
        token_variable: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, CredentialError> {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        if let Some(token) = get(token_variable) {
            return Self::token(token).map(Some);
        }
        let (ak, sk) = match (get(ENV_AK), get(ENV_SK)) {
            (None, None) => return Ok(None),
            (Some(_), None) => {
                return Err(CredentialError::Incomplete {
                    field: "sk",
                    missing: ENV_SK.to_owned(),
                    present: ENV_AK.to_owned(),
                });
            }
            (None, Some(_)) => {
                return Err(CredentialError::Incomplete {
                    field: "ak",
                    missing: ENV_AK.to_owned(),
                    present: ENV_SK.to_owned(),
                });
            }
            (Some(ak), Some(sk)) => (ak, sk),
        };
        let mut credentials = Self::access_key(ak, sk)?;
        if let Some(token) = get(ENV_SECURITY_TOKEN) {
            credentials = credentials.with_security_token(token)?;
        }
        if let Some(project_id) = get(ENV_PROJECT_ID) {
            credentials = credentials.with_project_id(project_id)?;
        }
        Ok(Some(credentials))
    }

    /// `"token"` or `"access_key"`.
    pub fn kind(&self) -> &'static str {
        match self.inner {
            Inner::Token(_) => "token",
            Inner::AccessKey { .. } => "access_key",
        }
    }

    /// The project id given with [`Credentials::with_project_id`], if any.
    pub fn project_id(&self) -> Option<&str> {
        match &self.inner {
            Inner::AccessKey { project_id, .. } => project_id.as_deref(),
            Inner::Token(_) => None,
        }
    }

    /// The values an error must never show, each marked sensitive: the token;
    /// or the access key (sent inside `Authorization`, where the server may echo
    /// it on its own), the secret key and the security token. The project id is
    /// not a secret.
    pub(crate) fn secrets(&self) -> Vec<HeaderValue> {
        let secrets: Vec<&SecretString> = match &self.inner {
            Inner::Token(token) => vec![token],
            Inner::AccessKey {
                ak,
                sk,
                security_token,
                ..
            } => [Some(ak), Some(sk), security_token.as_ref()]
                .into_iter()
                .flatten()
                .collect(),
        };
        secrets
            .into_iter()
            // Validated as visible ASCII, so every one is a header value.
            .filter_map(|secret| sensitive_value("secret", secret.expose_secret()).ok())
            .collect()
    }

    /// Authenticates `request`; call it for every attempt, after every other
    /// header is set.
    ///
    /// * Token: sets `X-Auth-Token` (marked sensitive).
    /// * AK/SK: sets `X-Project-Id` and `X-Security-Token` when given, and
    ///   `X-Sdk-Date` from `now`; removes any `Authorization`; rewrites the
    ///   query string in its canonical form (sorted, encoded, as the official
    ///   SDK sends it); then signs the request as it now is (method, URL, all
    ///   headers, body bytes) and sets `Authorization` (marked sensitive), and
    ///   `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` for a non-JSON content type.
    ///
    /// A streaming body cannot be signed: give the request a byte body.
    pub fn authorize(
        &self,
        request: &mut reqwest::Request,
        now: SystemTime,
    ) -> Result<(), CredentialError> {
        match &self.inner {
            Inner::Token(token) => {
                let value = sensitive_value("token", token.expose_secret())?;
                request.headers_mut().insert(X_AUTH_TOKEN, value);
                Ok(())
            }
            Inner::AccessKey {
                ak,
                sk,
                security_token,
                project_id,
            } => {
                let headers = request.headers_mut();
                headers.remove(http::header::AUTHORIZATION);
                if let Some(project_id) = project_id {
                    let value = HeaderValue::from_str(project_id).map_err(|_| {
                        CredentialError::InvalidCharacters {
                            field: "project_id",
                        }
                    })?;
                    headers.insert(X_PROJECT_ID, value);
                }
                if let Some(token) = security_token {
                    headers.insert(
                        X_SECURITY_TOKEN,
                        sensitive_value("security_token", token.expose_secret())?,
                    );
                }
                let date = signer::format_sdk_date(now);
                let date = HeaderValue::from_str(&date)
                    .map_err(|_| unsignable("the signing date is not a header value"))?;
                headers.insert(X_SDK_DATE, date);

                let query = signer::canonical_query_string(request.url());
                request
                    .url_mut()
                    .set_query(if query.is_empty() { None } else { Some(&query) });

                let body: &[u8] = match request.body() {
                    None => &[],
                    Some(body) => body.as_bytes().ok_or_else(|| {
                        unsignable("a streaming body cannot be signed; use a byte body")
                    })?,
                };
                let signature = signer::sign(
                    &signer::SigningRequest {
                        method: request.method(),
                        url: request.url(),
                        headers: request.headers(),
                        body,
                    },
                    ak.expose_secret(),
                    sk.expose_secret(),
                )
                .map_err(|e| unsignable(&e.to_string()))?;

                let mut authorization = HeaderValue::from_str(&signature.authorization)
                    .map_err(|_| CredentialError::InvalidCharacters { field: "ak" })?;
                authorization.set_sensitive(true);
                let headers = request.headers_mut();
                for (name, value) in signature.extra_headers {
                    headers.insert(name, value);
                }
                headers.insert(http::header::AUTHORIZATION, authorization);
                Ok(())
            }
        }
    }
}

fn unsignable(reason: &str) -> CredentialError {
    CredentialError::UnsignableRequest {
        reason: reason.to_owned(),
    }
}

/// Shows at most the first four characters of an access key, only when it is
/// long enough that they do not give it away.
struct RedactedAk<'a>(&'a str);

impl fmt::Debug for RedactedAk<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.get(..4) {
            Some(prefix) if self.0.len() >= 16 => write!(f, "\"{prefix}…(redacted)\""),
            _ => f.write_str("\"<redacted>\""),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Token(_) => f
                .debug_struct("Credentials::Token")
                .field("token", &Redacted)
                .finish(),
            Inner::AccessKey {
                ak,
                security_token,
                project_id,
                ..
            } => f
                .debug_struct("Credentials::AccessKey")
                .field("ak", &RedactedAk(ak.expose_secret()))
                .field("sk", &Redacted)
                .field("security_token", &security_token.as_ref().map(|_| Redacted))
                .field("project_id", project_id)
                .finish(),
        }
    }
}
