//! Operations: parameters, the path template, the request body, responses and headers.

use super::*;

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a parameter in `location` may have this type: a scalar, or (in a query or header)
/// an array of scalars; an enum or an alias of a scalar is one.
pub(super) fn is_parameter_type(
    ty: &Type,
    location: Location,
    types: &BTreeMap<String, TypeDef>,
) -> bool {
    let scalar = |ty: &Type| match ty {
        Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::String => true,
        Type::Named(name) => matches!(
            types.get(name).map(|def| &def.kind),
            Some(
                TypeKind::StringEnum { .. }
                    | TypeKind::IntEnum { .. }
                    | TypeKind::Alias {
                        target: Type::Bool
                            | Type::I32
                            | Type::I64
                            | Type::F32
                            | Type::F64
                            | Type::String
                    }
            )
        ),
        _ => false,
    };
    match ty {
        Type::Vec(item) => location != Location::Path && scalar(item),
        other => scalar(other),
    }
}

impl<'a> Resolver<'a> {
    /// Every operation, sorted by method name.
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let document = &self.spec.document;
        let auth_headers = self.auth_headers();
        let mut operations = Vec::new();
        let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
        let mut method_names = Namespace::default();
        // The clients' own methods (async and blocking, public or not): an operation's
        // method beside one of them would not compile.
        for own in CLIENT_METHODS {
            method_names
                .claim(own, "a method of the client itself")
                .ok();
        }
        for (path, item) in &document.paths {
            let item_pointer = join("/paths", path);
            if let Some(problem) = path_problem(path) {
                self.error(&item_pointer, problem);
                continue;
            }
            if item.reference.is_some() {
                self.error(
                    &join(&item_pointer, "$ref"),
                    "path item `$ref` is not supported",
                );
                continue;
            }
            for (method, operation) in item.operations() {
                let pointer = join(&item_pointer, method);
                let Some(id) = operation.operation_id.clone() else {
                    self.error(
                        &pointer,
                        "the operation has no `operationId` (it names the generated method)",
                    );
                    continue;
                };
                if let Some(previous) = operation_ids.get(&id) {
                    self.error(
                        &join(&pointer, "operationId"),
                        format!("duplicate operationId `{id}` (also at {previous})"),
                    );
                    continue;
                }
                operation_ids.insert(id.clone(), pointer.clone());
                let method_name = names::snake(&id);
                if let Err(previous) = method_names.claim(&method_name, &pointer) {
                    self.error(
                        &join(&pointer, "operationId"),
                        format!("operationId `{id}` becomes method `{method_name}`, which {previous} already uses"),
                    );
                    continue;
                }
                let site = OperationSite {
                    path,
                    method,
                    item,
                    operation,
                    pointer: &pointer,
                };
                if let Some(resolved) = self.operation(site, id, method_name, &auth_headers) {
                    operations.push(resolved);
                }
            }
        }
        operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        operations
    }

    /// Header names that carry credentials (apiKey schemes in a header): the
    /// runtime sets them, so parameters with those names are not generated.
    pub(super) fn auth_headers(&self) -> Vec<String> {
        self.spec
            .document
            .components
            .security_schemes
            .values()
            .filter(|scheme| {
                scheme.kind.as_deref() == Some("apiKey")
                    && scheme.location.as_deref() == Some("header")
            })
            .filter_map(|scheme| scheme.name.as_ref().map(|name| name.to_ascii_lowercase()))
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    /// The operation at `site`, or `None` (with the problems reported) when it cannot be
    /// resolved.
    pub(super) fn operation(
        &mut self,
        site: OperationSite<'a, '_>,
        id: String,
        method_name: String,
        auth_headers: &[String],
    ) -> Option<Operation> {
        let OperationSite {
            path,
            method,
            operation,
            pointer,
            ..
        } = site;
        let type_prefix = names::type_prefix(&id);
        let Some(http_method) = HttpMethod::from_key(method) else {
            self.error(pointer, format!("`{method}` is not an HTTP method"));
            return None;
        };
        if operation.callbacks.is_some() {
            self.error(
                &join(pointer, "callbacks"),
                "`callbacks` are not supported (no code is generated for them)",
            );
        }
        let (params, declared_in_path) = self.parameters(site, &type_prefix, auth_headers);
        let segments = self.path_segments(path, pointer, &params, &declared_in_path);
        let body = match &operation.request_body {
            None => None,
            Some(body) => self.request_body(body, &join(pointer, "requestBody"), &type_prefix),
        };
        let Responses {
            success,
            errors,
            headers: response_headers,
        } = self.responses(operation, pointer, &type_prefix);
        let (success_body, accept) = success_body_and_accept(&success);
        let idempotent = self
            .extension(pointer, "x-idempotent")
            .and_then(Value::as_bool)
            .unwrap_or(http_method.is_idempotent());

        Some(Operation {
            id,
            method_name,
            type_names: names::operation_type_names(&type_prefix),
            type_prefix,
            http_method,
            path: PathTemplate {
                template: path.to_owned(),
                segments,
            },
            summary: operation.summary.clone(),
            docs: docs(&[operation.summary.clone(), operation.description.clone()]),
            deprecated: operation.deprecated,
            params,
            body,
            success,
            errors,
            response_headers,
            success_body,
            accept,
            idempotent,
            gate: super::features::operation_gate(&operation.tags),
        })
    }

    /// The operation's parameters: the path item's, overridden by the operation's own of
    /// the same name and place; the header parameters OpenAPI ignores are left out. Also
    /// the names of every path parameter declared, refused or not, so that a refused one is
    /// not reported a second time as missing from `parameters`.
    fn parameters(
        &mut self,
        site: OperationSite<'a, '_>,
        type_prefix: &str,
        auth_headers: &[String],
    ) -> (Vec<Param>, Vec<String>) {
        let OperationSite {
            path,
            item,
            operation,
            pointer,
            ..
        } = site;
        let components = &self.spec.document.components;
        // Path-level parameters, overridden by operation-level ones of the same name and place.
        let mut raw_params: Vec<(String, &spec::Parameter)> = Vec::new();
        let item_params = item.parameters.iter().enumerate().map(|(i, p)| {
            (
                join(&join(&join("/paths", path), "parameters"), &i.to_string()),
                p,
            )
        });
        let op_params = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (join(&join(pointer, "parameters"), &i.to_string()), p));
        for (param_pointer, param) in item_params.chain(op_params) {
            let Some((resolved_pointer, param)) =
                self.follow(param, &param_pointer, "parameters", &components.parameters)
            else {
                continue;
            };
            let (Some(name), Some(location)) = (&param.name, &param.location) else {
                self.error(&resolved_pointer, "a parameter needs `name` and `in`");
                continue;
            };
            raw_params.retain(|(_, existing)| {
                !(existing.name.as_ref() == Some(name)
                    && existing.location.as_ref() == Some(location))
            });
            raw_params.push((resolved_pointer, param));
        }

        let declared_in_path = raw_params
            .iter()
            .filter(|(_, param)| param.location.as_deref() == Some("path"))
            .filter_map(|(_, param)| param.name.clone())
            .collect();
        let mut params = Vec::new();
        let mut param_names = Namespace::default();
        if operation.request_body.is_some() {
            param_names.claim("body", "the request body").ok();
        }
        param_names
            .claim("client", "the request builder's client")
            .ok();
        for own in ["send", "execute"] {
            param_names
                .claim(own, "a method of the request builder")
                .ok();
        }
        for (param_pointer, param) in raw_params {
            let (Some(wire_name), Some(location)) = (&param.name, &param.location) else {
                continue;
            };
            let location = match location.as_str() {
                "path" => Location::Path,
                "query" => Location::Query,
                "header" => {
                    let lower = wire_name.to_ascii_lowercase();
                    // OpenAPI: these header parameters are ignored; credentials are the runtime's job.
                    if ["accept", "content-type", "authorization"].contains(&lower.as_str())
                        || auth_headers.contains(&lower)
                    {
                        continue;
                    }
                    Location::Header
                }
                other => {
                    self.error(
                        &join(&param_pointer, "in"),
                        format!("parameters in `{other}` are not supported"),
                    );
                    continue;
                }
            };
            if location == Location::Path && !param.required {
                self.error(
                    &join(&param_pointer, "required"),
                    "a path parameter must be `required: true`",
                );
            }
            let Some(schema) = &param.schema else {
                self.error(
                    &param_pointer,
                    "a parameter without `schema` (e.g. with `content`) is not supported",
                );
                continue;
            };
            let name = self.names.snake(wire_name);
            if let Err(previous) = param_names.claim(&name, &param_pointer) {
                self.error(
                    &param_pointer,
                    format!(
                        "parameter `{wire_name}` becomes `{name}`, which {previous} already uses"
                    ),
                );
                continue;
            }
            let schema_pointer = join(&param_pointer, "schema");
            let hint = format!("{type_prefix}{}", self.names.camel(wire_name));
            let ty = self.schema_type(schema, &schema_pointer, &hint);
            let ok = match &mut self.scalar_checks {
                // Types defined on the other thread are known only after the join.
                Some(checks) => {
                    checks.push((ty.clone(), location));
                    true
                }
                None => is_parameter_type(&ty, location, &self.types),
            };
            if !ok {
                self.error(&schema_pointer, format!("a {location:?} parameter must be a scalar (or, in a query or header, an array of scalars)").to_lowercase());
                continue;
            }
            let explode = match param.style.as_deref() {
                None | Some("form") | Some("simple") => {
                    param.explode.unwrap_or(location == Location::Query)
                }
                Some(other) => {
                    self.error(
                        &join(&param_pointer, "style"),
                        format!("parameter style `{other}` is not supported"),
                    );
                    continue;
                }
            };
            let item_schema = match (&ty, &schema.items) {
                (Type::Vec(_), Some(items)) => items.as_ref(),
                _ => schema,
            };
            let mut constraints = self.constraints(item_schema, &schema_pointer);
            constraints.min_items = schema.min_items;
            constraints.max_items = schema.max_items;
            let int32 = item_schema.format.as_deref() == Some("int32") && self.options.widen_int32;
            let docs = docs(&[
                param.description.clone(),
                self.schema_docs(schema, &schema_pointer),
            ]);
            params.push(Param {
                name,
                wire_name: wire_name.clone(),
                location,
                docs,
                ty,
                required: param.required || location == Location::Path,
                explode,
                constraints,
                int32,
            });
        }
        (params, declared_in_path)
    }

    /// The path template's segments; the template and the path parameters must agree.
    fn path_segments(
        &mut self,
        path: &str,
        pointer: &str,
        params: &[Param],
        declared_in_path: &[String],
    ) -> Vec<PathSegment> {
        let mut template_names = Vec::new();
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                self.error(pointer, format!("unbalanced `{{` in path `{path}`"));
                break;
            };
            if start > 0 {
                segments.push(PathSegment::Literal(rest[..start].to_owned()));
            }
            let name = &rest[start + 1..start + end];
            template_names.push(name.to_owned());
            match params
                .iter()
                .find(|p| p.location == Location::Path && p.wire_name == name)
            {
                Some(param) => segments.push(PathSegment::Param(param.name.clone())),
                // Declared, and refused with its own error.
                None if declared_in_path.iter().any(|declared| declared == name) => {}
                None => self.error(
                    pointer,
                    format!(
                        "path parameter `{{{name}}}` in `{path}` is not declared in `parameters`"
                    ),
                ),
            }
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        for param in params.iter().filter(|p| p.location == Location::Path) {
            if !template_names.contains(&param.wire_name) {
                self.error(
                    pointer,
                    format!(
                        "path parameter `{}` is declared but does not appear in `{path}`",
                        param.wire_name
                    ),
                );
            }
        }
        segments
    }

    /// The documented responses: 2xx ones (with their headers) and the others.
    fn responses(
        &mut self,
        operation: &'a spec::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Responses {
        let components = &self.spec.document.components;
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut response_headers = Vec::new();
        let mut header_names = Namespace::default();
        let success_count = operation
            .responses
            .keys()
            .filter(|s| s.starts_with('2'))
            .count();
        if operation.responses.is_empty() {
            self.error(
                &join(pointer, "responses"),
                "an operation must document at least one response",
            );
        }
        for (status, response) in &operation.responses {
            let response_pointer = join(&join(pointer, "responses"), status);
            let Some(parsed_status) = Status::parse(status) else {
                self.error(
                    &response_pointer,
                    format!("`{status}` is not a status code (e.g. `200`, `4XX`, `default`)"),
                );
                continue;
            };
            let Some((resolved_pointer, response)) = self.follow(
                response,
                &response_pointer,
                "responses",
                &components.responses,
            ) else {
                continue;
            };
            let is_success = parsed_status.is_success();
            let hint = if is_success && success_count == 1 {
                format!("{type_prefix}ResponseBody")
            } else {
                let status = if status == "default" {
                    "Default".to_owned()
                } else {
                    status.to_ascii_uppercase()
                };
                format!("{type_prefix}Response{status}")
            };
            let body = self.response_body(
                &response.content,
                &join(&resolved_pointer, "content"),
                &hint,
            );
            let response_docs = response.description.clone();
            if is_success {
                for (wire_name, header) in &response.headers {
                    let header_pointer = join(&join(&resolved_pointer, "headers"), wire_name);
                    let Some((header_pointer, header)) =
                        self.follow(header, &header_pointer, "headers", &components.headers)
                    else {
                        continue;
                    };
                    let name = names::snake(wire_name);
                    if response_headers
                        .iter()
                        .any(|h: &ResponseHeader| h.wire_name.eq_ignore_ascii_case(wire_name))
                    {
                        continue;
                    }
                    if let Err(previous) = header_names.claim(&name, &header_pointer) {
                        self.error(&header_pointer, format!("header `{wire_name}` becomes field `{name}`, which {previous} already uses"));
                        continue;
                    }
                    let ty = match &header.schema {
                        Some(schema) => match self.schema_type(
                            schema,
                            &join(&header_pointer, "schema"),
                            &format!("{type_prefix}{}Header", names::camel(wire_name)),
                        ) {
                            ty @ (Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64) => ty,
                            _ => Type::String,
                        },
                        None => Type::String,
                    };
                    let header_docs = docs(std::slice::from_ref(&header.description));
                    response_headers.push(ResponseHeader {
                        name,
                        wire_name: wire_name.clone(),
                        docs: header_docs,
                        ty,
                    });
                }
                success.push(Response {
                    status: parsed_status,
                    variant: names::status_variant(parsed_status, true),
                    docs: response_docs.clone(),
                    body,
                });
            } else {
                errors.push(Response {
                    status: parsed_status,
                    variant: names::status_variant(parsed_status, false),
                    docs: response_docs,
                    body,
                });
            }
        }
        Responses {
            success,
            errors,
            headers: response_headers,
        }
    }

    pub(super) fn request_body(
        &mut self,
        body: &'a spec::RequestBody,
        pointer: &str,
        type_prefix: &str,
    ) -> Option<RequestBody> {
        let components = &self.spec.document.components;
        let (pointer, body) =
            self.follow(body, pointer, "requestBodies", &components.request_bodies)?;
        let json = body.content.iter().find(|(media, _)| is_json(media));
        let Some((media_type, media)) = json else {
            let found: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.error(
                &join(&pointer, "content"),
                format!("request bodies of type {found:?} are not supported yet (only JSON)"),
            );
            return None;
        };
        let media_pointer = join(&join(&pointer, "content"), media_type);
        let ty = match &media.schema {
            Some(schema) => self.schema_type(
                schema,
                &join(&media_pointer, "schema"),
                &format!("{type_prefix}RequestBody"),
            ),
            None => Type::Json,
        };
        Some(RequestBody {
            ty,
            required: body.required,
            media_type: media_type.clone(),
            docs: body.description.clone(),
        })
    }

    pub(super) fn response_body(
        &mut self,
        content: &spec::Map<spec::MediaType>,
        pointer: &str,
        hint: &str,
    ) -> Body {
        if let Some((media_type, media)) = content.iter().find(|(media, _)| is_json(media)) {
            let media_pointer = join(pointer, media_type);
            return match &media.schema {
                Some(schema) => {
                    Body::Json(self.schema_type(schema, &join(&media_pointer, "schema"), hint))
                }
                None => Body::Json(Type::Json),
            };
        }
        match content.keys().next() {
            None => Body::Empty,
            Some(media) if media.starts_with("text/") => Body::Text,
            Some(_) => Body::Binary,
        }
    }
}

/// Where an operation is in the spec.
#[derive(Clone, Copy)]
pub(super) struct OperationSite<'a, 'p> {
    pub(super) path: &'p str,
    /// The path item's key: `get`, `post`, ...
    pub(super) method: &'p str,
    pub(super) item: &'a spec::PathItem,
    pub(super) operation: &'a spec::Operation,
    pub(super) pointer: &'p str,
}

/// An operation's documented responses.
struct Responses {
    success: Vec<Response>,
    errors: Vec<Response>,
    /// The headers the 2xx responses declare.
    headers: Vec<ResponseHeader>,
}

/// What the 2xx responses decode into, and the `Accept` that asks for their media types.
fn success_body_and_accept(success: &[Response]) -> (SuccessBody, String) {
    let mut distinct: Vec<&Body> = Vec::new();
    for response in success {
        if !distinct.contains(&&response.body) {
            distinct.push(&response.body);
        }
    }
    let success_body = match distinct.as_slice() {
        [] => SuccessBody::One(Body::Empty),
        [one] => SuccessBody::One((*one).clone()),
        _ => SuccessBody::ByStatus,
    };
    let mut accept: Vec<&str> = Vec::new();
    for response in success {
        let media = match &response.body {
            Body::Json(_) => "application/json",
            Body::Text => "text/plain",
            Body::Binary => "*/*",
            Body::Empty => continue,
        };
        if !accept.contains(&media) {
            accept.push(media);
        }
    }
    let accept = if accept.is_empty() {
        "application/json".to_owned()
    } else {
        accept.join(", ")
    };
    (success_body, accept)
}

/// What is wrong with a path template, if anything: it must start with `/`, and must not
/// hold what a URL parser would read differently (a query, a fragment, a dot segment that
/// it removes, which would send the request to another path).
fn path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return Some("a path must start with `/`");
    }
    if path.contains('?') {
        return Some("a path must not contain `?`: a query string belongs in `parameters`");
    }
    if path.contains('#') {
        return Some("a path must not contain `#`: a fragment is never sent");
    }
    let dot_segment = path.split('/').any(|segment| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    });
    if dot_segment {
        return Some(
            "a path must not have a `.` or `..` segment: URLs resolve it away, so the request \
             would go to another path",
        );
    }
    None
}

/// The methods the runtime's `Client` and `blocking::Client` have of their own.
const CLIENT_METHODS: &[&str] = &[
    "async_client",
    "attempt",
    "builder",
    "clone",
    "endpoint",
    "execute",
    "fmt",
    "from",
    "from_env",
    "into",
    "new",
    "prepare",
    "region",
    "retry_policy",
    "run",
];
