#!/usr/bin/env python3
"""Test vectors for the SDK-HMAC-SHA256 signer, produced by the OFFICIAL signer.

The vectors in signing_vectors.json come from the Huawei Cloud Python SDK core
(package `huaweicloudsdkcore`, version 3.1.219 when they were last produced;
the version used is recorded in the JSON). Nothing here reimplements the
signing: every canonical request, string to sign and Authorization value is
what `huaweicloudsdkcore`'s own code computes.

Regenerate (from the repository root, in a virtual environment that has the
package: `python3 -m venv VENV && VENV/bin/pip install huaweicloudsdkcore`):

    python3 generated-client/tests/data/make_signing_vectors.py > generated-client/tests/data/signing_vectors.json

(run it with the virtual environment's python3). The Rust tests in
generated-client/tests/signing.rs check every vector.

How a vector is produced:
  * the URL is split as the official SDK's request holds it: `host` is the
    URL's netloc (host and port), `resource_path` the URL's path as sent
    (percent-encoded), and `query_params` the query read with
    `urllib.parse.parse_qsl(keep_blank_values=True)`, i.e. as
    application/x-www-form-urlencoded pairs (`+` is a space);
  * the headers and the body (UTF-8 bytes, or none) go in unchanged;
  * the clock the signer reads (`datetime.utcnow()` inside
    `huaweicloudsdkcore.signer.signer`) is replaced by one that returns the
    vector's fixed date;
  * the request is signed by `BasicCredentials(ak, sk, project_id)`
    (`.with_security_token(...)` where the vector has one) through its
    `sign_request`, the path the SDK takes for AK/SK credentials: it adds
    X-Project-Id and X-Security-Token, then runs `signer.Signer.sign`;
  * the canonical request and the string to sign are captured by wrapping
    the signer's own `_process_canonical_request` and
    `_process_string_to_sign`; the Authorization value, the headers the SDK
    then sends and the URI it sends (path and canonical query) are read from
    the signed request.

Huawei's published example (the API signing guide of Huawei Cloud's API
Gateway: "Constructing a Standard Request", "Creating a To-Be-Signed String",
"Calculating the Signature") is the first vector; the script checks that the
official signer reproduces the published hash of the canonical request and the
published signature.

All URLs are written in their on-the-wire form (ASCII, percent-encoded), so
that the Rust `url` crate parses each of them to the very same string.
"""

import datetime as _dt
import importlib.metadata
import json
import platform
import sys
from urllib.parse import parse_qsl, urlsplit

import huaweicloudsdkcore.signer.signer as signer_module
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest

AK = "HPUAEXAMPLEAK0123456"
SK = "ExampleSecretKey0123456789abcdefghijklmn"
SECURITY_TOKEN = "gQpjbi1ub3J0aC00iFzfQm9ZexampleSecurityToken-_.~+/=0123456789"
PROJECT_ID = "0123456789abcdef0123456789abcdef"
DATE = "20240102T030405Z"
HOST = "https://codearts-repo.cn-north-4.myhuaweicloud.com"

PUBLISHED = {
    "ak": "QTWAOYTTINDUT2QVKYUC",
    "sk": "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
    "date": "20191115T033655Z",
    "canonical_request_sha256": "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
    "signature": "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
}

JSON = [["Content-Type", "application/json;charset=UTF-8"]]

CASES = [
    dict(
        name="published_example",
        description="Huawei's published signing example (API Gateway signing guide)",
        ak=PUBLISHED["ak"],
        sk=PUBLISHED["sk"],
        date=PUBLISHED["date"],
        method="GET",
        url="https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
        "?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        headers=[["Content-Type", "application/json"]],
    ),
    dict(
        name="get_no_query",
        description="GET without a query string; every header is signed",
        method="GET",
        url=HOST + "/v4/repositories/2111",
        headers=JSON + [["Accept", "application/json"], ["User-Agent", "codearts-repo-rust/0.1.0"]],
    ),
    dict(
        name="get_root_path",
        description="the path `/` stays `/`",
        method="GET",
        url=HOST + "/",
        headers=[],
    ),
    dict(
        name="get_query",
        description="several keys sorted, a repeated key (values sorted), a key without value, "
        "an empty value, `+` and %20 as spaces, reserved and non-ASCII characters",
        method="GET",
        url=HOST + "/v4/projects/p1/repositories"
        "?search=my+repo%20name&page_size=20&page_index=1&tag=b&tag=a&tag=B&archived&empty="
        "&sort=name%3Aasc&path=src%2Fmain.rs&q=a%2Bb%26c%3Dd%3F%23%40%21%24%27%28%29%2A%2C%3B"
        "&emoji=%F0%9F%98%80&%E4%B8%AD=%E6%96%87&tilde=~-._",
        headers=JSON,
    ),
    dict(
        name="query_odd_pieces",
        description="empty pieces between `&` are dropped, an empty key is kept, "
        "`=` inside a value, lower-case percent escapes, upper-case keys sort first",
        method="GET",
        url=HOST + "/v4/groups?a=1&&b=x=y&=v&Z=%e4%b8%ad&z=1",
        headers=JSON,
    ),
    dict(
        name="path_non_ascii_reserved",
        description="a path with non-ASCII and reserved characters and a space",
        method="GET",
        url=HOST + "/v4/repositories/%E4%B8%AD%E6%96%87/a%20b+c/x@y:z!$&'()*,;=/~_.-",
        headers=JSON,
    ),
    dict(
        name="path_encoded_slash_trailing_slash",
        description="the whole path is decoded before splitting: %2F becomes a separator; "
        "a trailing slash is kept; lower-case escapes come out upper-case",
        method="GET",
        url=HOST + "/v4/repositories/group%2Frepo/files/%e4%b8%ad/",
        headers=JSON,
    ),
    dict(
        name="path_invalid_utf8",
        description="a percent escape that is not UTF-8 decodes to U+FFFD, which is re-encoded",
        method="GET",
        url=HOST + "/v4/files/a%FFb%C3",
        headers=JSON,
    ),
    dict(
        name="post_json",
        description="POST with a JSON body (hashed)",
        method="POST",
        url=HOST + "/v4/projects/p1/repositories",
        headers=JSON + [["Accept", "application/json"]],
        body=json.dumps(
            {"name": "demo-仓库", "description": "a b+c", "visibility": "private", "ids": [1, 2]},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
    ),
    dict(
        name="put_json_security_token",
        description="temporary credentials: X-Security-Token is added and signed",
        method="PUT",
        url=HOST + "/v4/repositories/2111/branches/main?force=true",
        headers=JSON,
        body='{"protected":true}',
        security_token=SECURITY_TOKEN,
    ),
    dict(
        name="delete_project_id",
        description="X-Project-Id is added and signed",
        method="DELETE",
        url=HOST + "/v4/repositories/2111",
        headers=JSON,
        project_id=PROJECT_ID,
    ),
    dict(
        name="security_token_and_project_id",
        description="both X-Security-Token and X-Project-Id",
        method="GET",
        url=HOST + "/v4/user?x=1",
        headers=JSON,
        security_token=SECURITY_TOKEN,
        project_id=PROJECT_ID,
    ),
    dict(
        name="header_with_underscore",
        description="a header whose name contains `_` is not signed; values are trimmed; "
        "names are lower-cased and sorted; a non-ASCII value is signed as UTF-8",
        method="GET",
        url=HOST + "/v4/user",
        headers=JSON
        + [
            ["X_Custom_Header", "not signed"],
            ["X-Custom", "  padded value \t"],
            ["x-lower", "v"],
            ["X-Display-Name", "张三"],
        ],
    ),
    dict(
        name="host_with_port",
        description="a host with a port: the Host header is host:port",
        method="GET",
        url="http://127.0.0.1:8080/v4/user?a=b",
        headers=JSON,
    ),
    dict(
        name="ipv6_host_with_port",
        description="an IPv6 host with a port",
        method="GET",
        url="http://[::1]:8443/v4/user",
        headers=JSON,
    ),
    dict(
        name="explicit_host_header",
        description="a Host header already present is signed as it is",
        method="GET",
        url=HOST + "/v4/user",
        headers=JSON + [["Host", "proxy.example.com"]],
    ),
    dict(
        name="octet_stream_unsigned_payload",
        description="a non-JSON content type adds X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD, "
        "which replaces the payload hash",
        method="PUT",
        url=HOST + "/v4/repositories/2111/files/a.bin",
        headers=[["Content-Type", "application/octet-stream"]],
        body="binary-ish payload",
    ),
    dict(
        name="text_plain_empty_body",
        description="a non-JSON content type with an empty body: the header is added and "
        "signed, but the payload hash is the empty hash",
        method="DELETE",
        url=HOST + "/v4/repositories/2111/tags/v1",
        headers=[["Content-Type", "text/plain"]],
    ),
    dict(
        name="patch_json_no_content_type",
        description="a body without a content type is hashed",
        method="PATCH",
        url=HOST + "/v4/repositories/2111?a=%20",
        headers=[],
        body='{"k":"v"}',
    ),
]


def fixed_clock(date: str):
    fixed = _dt.datetime.strptime(date, "%Y%m%dT%H%M%SZ")

    class FixedDatetime(_dt.datetime):
        @classmethod
        def utcnow(cls):
            return fixed

        @classmethod
        def now(cls, tz=None):
            return fixed if tz is None else fixed.replace(tzinfo=_dt.timezone.utc).astimezone(tz)

    return FixedDatetime


def sign(case):
    ak = case.get("ak", AK)
    sk = case.get("sk", SK)
    date = case.get("date", DATE)
    body = case.get("body")
    parts = urlsplit(case["url"])
    request = SdkRequest(
        method=case["method"],
        schema=parts.scheme,
        host=parts.netloc,
        resource_path=parts.path,
        query_params=parse_qsl(parts.query, keep_blank_values=True),
        header_params={name: value for name, value in case["headers"]},
        body=body.encode("utf-8") if body is not None else None,
    )

    credentials = BasicCredentials(ak, sk, case.get("project_id"))
    if case.get("security_token"):
        credentials = credentials.with_security_token(case["security_token"])

    captured = {}
    original_canonical = signer_module.Signer._process_canonical_request
    original_sts = signer_module.Signer._process_string_to_sign

    def canonical(self, req, signed_headers):
        captured["canonical_request"] = original_canonical(self, req, signed_headers)
        return captured["canonical_request"]

    def string_to_sign(self, canonical_request, time):
        captured["string_to_sign"] = original_sts(self, canonical_request, time)
        return captured["string_to_sign"]

    original_datetime = signer_module.datetime
    signer_module.datetime = fixed_clock(date)
    signer_module.Signer._process_canonical_request = canonical
    signer_module.Signer._process_string_to_sign = string_to_sign
    try:
        signed = credentials.sign_request(request)
    finally:
        signer_module.datetime = original_datetime
        signer_module.Signer._process_canonical_request = original_canonical
        signer_module.Signer._process_string_to_sign = original_sts

    authorization = signed.header_params["Authorization"]
    # "SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=..."
    fields = dict(part.split("=", 1) for part in authorization.split(" ", 1)[1].split(", "))
    # The signer leaves header values as their UTF-8 bytes read as ISO-8859-1
    # (what goes on the wire); give them back as text.
    sent_headers = [
        [name, str(value).encode("iso-8859-1").decode("utf-8")]
        for name, value in signed.header_params.items()
    ]
    return {
        "name": case["name"],
        "description": case["description"],
        "ak": ak,
        "sk": sk,
        "security_token": case.get("security_token"),
        "project_id": case.get("project_id"),
        "sdk_date": date,
        "method": case["method"],
        "url": case["url"],
        "headers": case["headers"],
        "body": body,
        "expected": {
            "canonical_request": captured["canonical_request"],
            "string_to_sign": captured["string_to_sign"],
            "signed_headers": fields["SignedHeaders"],
            "signature": fields["Signature"],
            "authorization": authorization,
            "sent_headers": sent_headers,
            "sent_uri": signed.uri,
        },
    }


def main():
    vectors = [sign(case) for case in CASES]

    published = vectors[0]["expected"]
    import hashlib

    got_hash = hashlib.sha256(published["canonical_request"].encode("utf-8")).hexdigest()
    if got_hash != PUBLISHED["canonical_request_sha256"] or published["signature"] != PUBLISHED["signature"]:
        sys.exit("the official signer does not reproduce Huawei's published example")

    json.dump(
        {
            "generator": "generated-client/tests/data/make_signing_vectors.py",
            "signer": "huaweicloudsdkcore.signer.signer.Signer (SDK-HMAC-SHA256)",
            "huaweicloudsdkcore_version": importlib.metadata.version("huaweicloudsdkcore"),
            "python_version": platform.python_version(),
            "published_example": PUBLISHED,
            "vectors": vectors,
        },
        sys.stdout,
        ensure_ascii=False,
        indent=2,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
