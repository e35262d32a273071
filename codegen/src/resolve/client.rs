//! What the generated client tells the runtime about the API: the environment
//! prefix, the profile, the default endpoint and the security schemes.

use heck::ToShoutySnakeCase as _;
use serde_json::Value;

use super::Resolver;
use crate::diag::join;
use crate::ir::{ApiKeyLocation, ClientConfig, Profile, SchemeKind, SecurityScheme};

/// The root extension that chooses the profile: `generic` (the default) or `huaweicloud`.
const PROFILE_EXTENSION: &str = "x-client-profile";
/// The root extension that sets the environment prefix (default: from the title).
const ENV_PREFIX_EXTENSION: &str = "x-client-env-prefix";
/// The longest environment prefix.
const MAX_ENV_PREFIX: usize = 32;

impl Resolver<'_> {
    pub(super) fn client_config(&mut self) -> ClientConfig {
        let profile = match self.extension("", PROFILE_EXTENSION) {
            None => Profile::Generic,
            Some(Value::String(name)) if name == "generic" => Profile::Generic,
            Some(Value::String(name)) if name == "huaweicloud" => Profile::HuaweiCloud,
            Some(_) => {
                self.error(
                    &join("", PROFILE_EXTENSION),
                    format!("`{PROFILE_EXTENSION}` must be `generic` or `huaweicloud`"),
                );
                Profile::Generic
            }
        };
        let env_prefix = match self.extension("", ENV_PREFIX_EXTENSION) {
            None => env_prefix_from_title(&self.spec.document.info.title),
            Some(Value::String(prefix)) if is_env_prefix(prefix) => prefix.clone(),
            Some(_) => {
                self.error(
                    &join("", ENV_PREFIX_EXTENSION),
                    format!(
                        "`{ENV_PREFIX_EXTENSION}` must be 1 to {MAX_ENV_PREFIX} ASCII capitals, \
                         digits and `_`, starting with a capital"
                    ),
                );
                "API".to_owned()
            }
        };
        let default_endpoint = match profile {
            // A Huawei Cloud client's endpoint comes from its region.
            Profile::HuaweiCloud => None,
            Profile::Generic => self.default_endpoint(),
        };
        ClientConfig {
            env_prefix,
            profile,
            default_endpoint,
            security_schemes: self.security_schemes(),
        }
    }

    /// The first server's URL with each variable's default, if it is absolute.
    fn default_endpoint(&self) -> Option<String> {
        let server = self.spec.document.servers.first()?;
        let mut url = server.url.clone();
        for (name, variable) in &server.variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        let absolute = url.starts_with("https://") || url.starts_with("http://");
        (absolute && !url.contains(['{', '}'])).then_some(url)
    }

    /// The schemes the runtime can apply; a scheme it cannot (HTTP digest, mutual
    /// TLS, ...) is left to the caller's own `Authorize`.
    fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let schemes = &self.spec.document.components.security_schemes;
        let mut resolved = Vec::new();
        for (name, scheme) in schemes {
            let pointer = join("/components/securitySchemes", name);
            if scheme.reference.is_some() {
                continue;
            }
            let kind = match scheme.kind.as_deref() {
                Some("apiKey") => {
                    let location = match scheme.location.as_deref() {
                        Some("header") => ApiKeyLocation::Header,
                        Some("query") => ApiKeyLocation::Query,
                        Some("cookie") => ApiKeyLocation::Cookie,
                        _ => {
                            self.error(
                                &join(&pointer, "in"),
                                "an `apiKey` scheme needs `in`: `header`, `query` or `cookie`",
                            );
                            continue;
                        }
                    };
                    let parameter = match scheme.name.as_deref() {
                        Some(parameter) if is_token(parameter) => parameter.to_owned(),
                        _ => {
                            self.error(
                                &join(&pointer, "name"),
                                "an `apiKey` scheme needs a `name` that is a valid header, \
                                 query parameter or cookie name",
                            );
                            continue;
                        }
                    };
                    SchemeKind::ApiKey {
                        location,
                        parameter,
                    }
                }
                Some("http") => match scheme.scheme.as_deref().map(str::to_ascii_lowercase) {
                    Some(s) if s == "bearer" => SchemeKind::Bearer,
                    Some(s) if s == "basic" => SchemeKind::Basic,
                    _ => continue,
                },
                Some("oauth2" | "openIdConnect") => SchemeKind::Bearer,
                _ => continue,
            };
            resolved.push(SecurityScheme {
                name: name.clone(),
                kind,
            });
        }
        resolved
    }
}

/// An HTTP token (RFC 9110): what a header name must be, and a safe query or cookie name.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn is_env_prefix(prefix: &str) -> bool {
    prefix.len() <= MAX_ENV_PREFIX
        && prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// `SWAGGER_PETSTORE` from `Swagger Petstore`: the title's words, transliterated,
/// shouting, cut at a word boundary to the longest prefix allowed; `API` when
/// nothing is left.
pub(crate) fn env_prefix_from_title(title: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(title, " ");
    let cleaned: String = ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let shouty = cleaned.to_shouty_snake_case();
    let mut prefix = String::new();
    for word in shouty.split('_').filter(|w| !w.is_empty()) {
        let extra = usize::from(!prefix.is_empty()) + word.len();
        if prefix.len() + extra > MAX_ENV_PREFIX {
            break;
        }
        if !prefix.is_empty() {
            prefix.push('_');
        }
        prefix.push_str(word);
    }
    if !prefix.starts_with(|c: char| c.is_ascii_uppercase()) {
        prefix.insert_str(0, "API_");
        prefix.truncate(MAX_ENV_PREFIX);
    }
    prefix.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_prefixes_from_titles() {
        assert_eq!(
            env_prefix_from_title("Swagger Petstore"),
            "SWAGGER_PETSTORE"
        );
        assert_eq!(env_prefix_from_title("PokéAPI"), "POKE_API");
        assert_eq!(env_prefix_from_title("3scale"), "API_3SCALE");
        assert_eq!(env_prefix_from_title(""), "API");
        assert_eq!(env_prefix_from_title("`$(rm -rf)`"), "RM_RF");
        let long =
            env_prefix_from_title("Huawei Cloud CodeArts Repo API (V4), repository operations");
        assert!(
            long.len() <= MAX_ENV_PREFIX && is_env_prefix(&long),
            "{long}"
        );
        for title in ["Swagger Petstore", "PokéAPI", "3scale", "", "日本語", "___"] {
            assert!(is_env_prefix(&env_prefix_from_title(title)), "{title:?}");
        }
    }
}
