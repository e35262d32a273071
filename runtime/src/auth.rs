//! Authentication: how credentials reach a request. The [`Authorize`] trait is
//! what the client calls on every attempt; [`SchemeCredential`] implements it for
//! the spec's security schemes (API keys in a header, query or cookie; HTTP
//! bearer and basic), and the Huawei Cloud layer for its tokens and AK/SK signing.
//!
//! Secrets are kept in [`SecretString`]s: they never appear in `Debug` output
//! nor in a [`CredentialError`], and the headers that carry them are marked
//! sensitive.

use std::fmt;
use std::time::SystemTime;

use http::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::api::{ApiKeyLocation, SchemeKind, SecurityScheme};

/// The longest token or key accepted, in characters.
pub const MAX_SECRET_LEN: usize = 100_000;

/// Adds credentials to a request. The client calls it on every attempt, after
/// every other header is set (so that a signature can cover them).
pub trait Authorize: Send + Sync + 'static {
    /// Adds the credentials to `request`; `now` is the attempt's time.
    fn authorize(
        &self,
        request: &mut reqwest::Request,
        now: SystemTime,
    ) -> Result<(), CredentialError>;

    /// What kind of credentials these are, for `Debug` output (never a secret).
    fn kind(&self) -> &'static str;

    /// The secret values an error message must never show, beyond the
    /// sensitive headers `authorize` set (a key sent in the query, a token
    /// inside a longer header value). Asked once, when the client is built.
    fn secrets(&self) -> Vec<HeaderValue> {
        Vec::new()
    }
}

/// Why credentials were rejected or a request could not be authorized.
/// No message ever contains a key, a token or a header value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// The value is empty.
    #[error("the {field} is empty")]
    Empty {
        /// Which value: `token`, `ak`, `sk`, `security_token` or `project_id`.
        field: &'static str,
    },
    /// The value is longer than allowed.
    #[error("the {field} is longer than {max} characters")]
    TooLong {
        /// Which value.
        field: &'static str,
        /// The maximum length in characters.
        max: usize,
    },
    /// The value has characters that cannot go in an HTTP header (only
    /// visible ASCII characters are accepted: no space, control character
    /// or non-ASCII character).
    #[error("the {field} contains characters that cannot be sent in an HTTP header")]
    InvalidCharacters {
        /// Which value.
        field: &'static str,
    },
    /// Only one of the access key and secret key environment variables is
    /// set.
    #[error("{present} is set but {missing} is not")]
    Incomplete {
        /// The credential field the missing variable would give (`ak`, `sk`, `password`, ...).
        field: &'static str,
        /// The variable that is missing.
        missing: String,
        /// The variable that is set.
        present: String,
    },
    /// The setting does not apply to this kind of credentials.
    #[error("a {field} applies only to access key credentials, not to {kind} credentials")]
    NotApplicable {
        /// The setting.
        field: &'static str,
        /// The kind of credentials (`token`, `access_key`, `bearer`, ...).
        kind: &'static str,
    },
    /// The API has no security scheme for this credential (of its kind, or of
    /// the name given), or several where one must be chosen.
    #[error("{reason}")]
    NoScheme {
        /// Which credential: `api_key`, `bearer_token`, `basic_auth`.
        field: &'static str,
        /// What the API declares instead.
        reason: String,
    },
    /// The request cannot be signed.
    #[error("the request cannot be signed: {reason}")]
    UnsignableRequest {
        /// Why (never contains a secret).
        reason: String,
    },
}

impl CredentialError {
    /// The value the error is about: `token`, `ak`, `sk`, `security_token`,
    /// `project_id`, or `request` for [`CredentialError::UnsignableRequest`].
    pub fn field(&self) -> &'static str {
        match self {
            Self::Empty { field }
            | Self::TooLong { field, .. }
            | Self::InvalidCharacters { field }
            | Self::NotApplicable { field, .. }
            | Self::NoScheme { field, .. } => field,
            Self::Incomplete { field, .. } => field,
            Self::UnsignableRequest { .. } => "request",
        }
    }
}

/// Checks a value that goes into a header (or, for the secret key, into the
/// signature): 1..=`max` characters, each visible ASCII (`!`..=`~`).
pub(crate) fn validate(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<(), CredentialError> {
    if value.is_empty() {
        return Err(CredentialError::Empty { field });
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(CredentialError::InvalidCharacters { field });
    }
    // All ASCII now, so bytes == characters.
    if value.len() > max {
        return Err(CredentialError::TooLong { field, max });
    }
    Ok(())
}

pub(crate) fn sensitive_value(
    field: &'static str,
    value: &str,
) -> Result<HeaderValue, CredentialError> {
    let mut v =
        HeaderValue::from_str(value).map_err(|_| CredentialError::InvalidCharacters { field })?;
    v.set_sensitive(true);
    Ok(v)
}

/// A credential for one of the spec's security schemes: an API key, a bearer
/// token, or a user name and password.
#[derive(Clone)]
pub struct SchemeCredential {
    scheme: &'static str,
    secret: Secret,
}

#[derive(Clone)]
enum Secret {
    ApiKey {
        location: ApiKeyLocation,
        parameter: &'static str,
        key: SecretString,
    },
    Bearer(SecretString),
    Basic {
        user: String,
        password: SecretString,
    },
}

impl SchemeCredential {
    /// `key` for the API key scheme `scheme`.
    pub fn api_key(
        scheme: &SecurityScheme,
        key: impl Into<String>,
    ) -> Result<Self, CredentialError> {
        let SchemeKind::ApiKey {
            location,
            parameter,
        } = scheme.kind
        else {
            return Err(CredentialError::NotApplicable {
                field: "api_key",
                kind: scheme_kind(scheme),
            });
        };
        let key = SecretString::from(key.into());
        validate("api_key", key.expose_secret(), MAX_SECRET_LEN)?;
        Ok(SchemeCredential {
            scheme: scheme.name,
            secret: Secret::ApiKey {
                location,
                parameter,
                key,
            },
        })
    }

    /// `token` for the bearer (or OAuth 2, or OpenID Connect) scheme `scheme`.
    pub fn bearer(
        scheme: &SecurityScheme,
        token: impl Into<String>,
    ) -> Result<Self, CredentialError> {
        if scheme.kind != SchemeKind::Bearer {
            return Err(CredentialError::NotApplicable {
                field: "bearer_token",
                kind: scheme_kind(scheme),
            });
        }
        let token = SecretString::from(token.into());
        validate("bearer_token", token.expose_secret(), MAX_SECRET_LEN)?;
        Ok(SchemeCredential {
            scheme: scheme.name,
            secret: Secret::Bearer(token),
        })
    }

    /// `user` and `password` for the HTTP basic scheme `scheme`. The user must
    /// not contain `:` (RFC 7617); neither may contain control characters.
    pub fn basic(
        scheme: &SecurityScheme,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Result<Self, CredentialError> {
        if scheme.kind != SchemeKind::Basic {
            return Err(CredentialError::NotApplicable {
                field: "basic_auth",
                kind: scheme_kind(scheme),
            });
        }
        let user: String = user.into();
        let password = SecretString::from(password.into());
        if user.contains(':') || user.chars().any(char::is_control) {
            return Err(CredentialError::InvalidCharacters { field: "user" });
        }
        if password.expose_secret().chars().any(char::is_control) {
            return Err(CredentialError::InvalidCharacters { field: "password" });
        }
        if password.expose_secret().len() > MAX_SECRET_LEN {
            return Err(CredentialError::TooLong {
                field: "password",
                max: MAX_SECRET_LEN,
            });
        }
        Ok(SchemeCredential {
            scheme: scheme.name,
            secret: Secret::Basic { user, password },
        })
    }

    /// The security scheme's name in the spec.
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }
}

fn scheme_kind(scheme: &SecurityScheme) -> &'static str {
    match scheme.kind {
        SchemeKind::ApiKey { .. } => "api_key",
        SchemeKind::Bearer => "bearer",
        SchemeKind::Basic => "basic",
    }
}

impl Authorize for SchemeCredential {
    fn authorize(
        &self,
        request: &mut reqwest::Request,
        _now: SystemTime,
    ) -> Result<(), CredentialError> {
        match &self.secret {
            Secret::ApiKey {
                location: ApiKeyLocation::Header,
                parameter,
                key,
            } => {
                let name = HeaderName::from_bytes(parameter.as_bytes()).map_err(|_| {
                    CredentialError::InvalidCharacters {
                        field: "api_key header name",
                    }
                })?;
                let value = sensitive_value("api_key", key.expose_secret())?;
                request.headers_mut().insert(name, value);
            }
            Secret::ApiKey {
                location: ApiKeyLocation::Query,
                parameter,
                key,
            } => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(parameter, key.expose_secret());
            }
            Secret::ApiKey {
                location: ApiKeyLocation::Cookie,
                parameter,
                key,
            } => {
                let cookie = format!(
                    "{}={}",
                    percent_encoding::utf8_percent_encode(parameter, COOKIE),
                    percent_encoding::utf8_percent_encode(key.expose_secret(), COOKIE),
                );
                let value = sensitive_value("api_key", &cookie)?;
                request.headers_mut().append(http::header::COOKIE, value);
            }
            Secret::Bearer(token) => {
                let value =
                    sensitive_value("bearer_token", &format!("Bearer {}", token.expose_secret()))
                        .map_err(|_| CredentialError::InvalidCharacters {
                        field: "bearer_token",
                    })?;
                request
                    .headers_mut()
                    .insert(http::header::AUTHORIZATION, value);
            }
            Secret::Basic { user, password } => {
                use base64::Engine as _;
                let encoded = base64::engine::general_purpose::STANDARD
                    .encode(format!("{user}:{}", password.expose_secret()));
                let value = sensitive_value("password", &format!("Basic {encoded}"))?;
                request
                    .headers_mut()
                    .insert(http::header::AUTHORIZATION, value);
            }
        }
        Ok(())
    }

    fn kind(&self) -> &'static str {
        match self.secret {
            Secret::ApiKey { .. } => "api_key",
            Secret::Bearer(_) => "bearer",
            Secret::Basic { .. } => "basic",
        }
    }

    fn secrets(&self) -> Vec<HeaderValue> {
        let secret = match &self.secret {
            Secret::ApiKey { key, .. } => key,
            Secret::Bearer(token) => token,
            Secret::Basic { password, .. } => password,
        };
        HeaderValue::from_str(secret.expose_secret())
            .map(|mut value| {
                value.set_sensitive(true);
                value
            })
            .into_iter()
            .collect()
    }
}

/// What a cookie name or value may not hold as it is (RFC 6265 `cookie-octet`).
const COOKIE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'=')
    .add(b'%');

/// Stands for a secret in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl fmt::Debug for SchemeCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("SchemeCredential");
        s.field("scheme", &self.scheme).field("kind", &self.kind());
        if let Secret::Basic { user, .. } = &self.secret {
            s.field("user", user);
        }
        s.field("secret", &Redacted).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: SecurityScheme = SecurityScheme {
        name: "key",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Header,
            parameter: "X-Api-Key",
        },
    };
    const QUERY: SecurityScheme = SecurityScheme {
        name: "q",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Query,
            parameter: "api key",
        },
    };
    const COOKIE_KEY: SecurityScheme = SecurityScheme {
        name: "c",
        kind: SchemeKind::ApiKey {
            location: ApiKeyLocation::Cookie,
            parameter: "session",
        },
    };
    const BEARER: SecurityScheme = SecurityScheme {
        name: "b",
        kind: SchemeKind::Bearer,
    };
    const BASIC: SecurityScheme = SecurityScheme {
        name: "basic",
        kind: SchemeKind::Basic,
    };

    fn authorized(credential: &SchemeCredential) -> reqwest::Request {
        let url = "https://api.example/v1/pets?limit=2"
            .parse()
            .expect("valid URL");
        let mut request = reqwest::Request::new(http::Method::GET, url);
        credential
            .authorize(&mut request, SystemTime::UNIX_EPOCH)
            .expect("authorized");
        request
    }

    #[test]
    fn api_keys_go_where_the_scheme_says_and_are_sensitive() {
        let header = authorized(&SchemeCredential::api_key(&HEADER, "k1").unwrap());
        let value = &header.headers()["x-api-key"];
        assert_eq!(value, "k1");
        assert!(value.is_sensitive());

        let query = authorized(&SchemeCredential::api_key(&QUERY, "k2&x").unwrap());
        assert_eq!(query.url().query(), Some("limit=2&api+key=k2%26x"));

        let cookie = authorized(&SchemeCredential::api_key(&COOKIE_KEY, "a;b").unwrap());
        assert_eq!(cookie.headers()["cookie"], "session=a%3Bb");
        assert!(cookie.headers()["cookie"].is_sensitive());
    }

    #[test]
    fn bearer_and_basic_set_authorization() {
        let bearer = authorized(&SchemeCredential::bearer(&BEARER, "t0k").unwrap());
        assert_eq!(bearer.headers()["authorization"], "Bearer t0k");
        let basic = authorized(&SchemeCredential::basic(&BASIC, "Aladdin", "open sesame").unwrap());
        // RFC 7617's example.
        assert_eq!(
            basic.headers()["authorization"],
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert!(basic.headers()["authorization"].is_sensitive());
    }

    #[test]
    fn credentials_are_checked_against_their_scheme_and_never_shown() {
        assert_eq!(
            SchemeCredential::bearer(&HEADER, "t").unwrap_err(),
            CredentialError::NotApplicable {
                field: "bearer_token",
                kind: "api_key"
            }
        );
        assert!(matches!(
            SchemeCredential::api_key(&HEADER, "has space"),
            Err(CredentialError::InvalidCharacters { field: "api_key" })
        ));
        assert!(matches!(
            SchemeCredential::basic(&BASIC, "a:b", "p"),
            Err(CredentialError::InvalidCharacters { field: "user" })
        ));
        let credential = SchemeCredential::basic(&BASIC, "me", "hunter2").unwrap();
        let debug = format!("{credential:?}");
        assert!(
            debug.contains("\"me\"") && !debug.contains("hunter2"),
            "{debug}"
        );
        assert_eq!(
            credential.secrets(),
            vec![HeaderValue::from_static("hunter2")]
        );
    }
}
