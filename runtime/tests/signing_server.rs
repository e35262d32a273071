//! End to end: a loopback server checks the `SDK-HMAC-SHA256` signature of
//! every request the client sends, with its own, separate implementation of
//! the verification (it shares no code with the client's signer), and answers
//! 401 on a mismatch.
//!
//! The server is a plain `std::net` listener on 127.0.0.1 in a thread; it
//! serves a fixed number of requests, gives up after a deadline, and closes
//! every connection after its answer.

#[path = "runtime_util/test_client.rs"]
mod test_client;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use codearts_runtime::huaweicloud::Credentials;
use codearts_runtime::{Error, OperationRequest, RetryPolicy};
use hmac::{Hmac, Mac};
use http::Method;
use sha2::{Digest, Sha256};
use test_client::Client;

const AK: &str = "HPUAEXAMPLEAK0123456";
const SK: &str = "ExampleSecretKey0123456789abcdefghijklmn";
const SECURITY_TOKEN: &str = "LoopbackSecurityToken-0123456789_.~+/=";
const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";

/// What the server saw of one request.
#[derive(Debug)]
struct Seen {
    target: String,
    headers: Vec<(String, String)>,
    verdict: Result<String, String>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The answer the server gives to a correctly signed request.
#[derive(Clone, Copy)]
enum Plan {
    Ok,
    Unavailable,
}

fn start_server(sk: &'static str, plans: Vec<Plan>) -> (SocketAddr, JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    listener.set_nonblocking(true).expect("nonblocking");
    let handle = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        for plan in plans {
            let stream = loop {
                match listener.accept() {
                    Ok((stream, _)) => break Some(stream),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        if Instant::now() > deadline {
                            break None;
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break None,
                }
            };
            let Some(stream) = stream else { break };
            if let Some(s) = serve(stream, sk, plan) {
                seen.push(s);
            }
        }
        seen
    });
    (addr, handle)
}

fn serve(mut stream: TcpStream, sk: &str, plan: Plan) -> Option<Seen> {
    stream.set_nonblocking(false).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let mut parts = request_line.split(' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);

    let verdict = verify(&method, &target, &headers, &body, sk);
    let (status, extra, payload) = match (&verdict, plan) {
        (Err(_), _) => (
            "401 Unauthorized",
            "",
            r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}"#.to_owned(),
        ),
        (Ok(_), Plan::Unavailable) => (
            "503 Service Unavailable",
            "Retry-After: 1\r\n",
            r#"{"error_code":"APIGW.0801","error_msg":"busy"}"#.to_owned(),
        ),
        (Ok(date), Plan::Ok) => ("200 OK", "", format!(r#"{{"ok":true,"sdk_date":"{date}"}}"#)),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         X-Request-Id: loopback-1\r\n{extra}Connection: close\r\n\r\n{payload}",
        payload.len()
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
    Some(Seen {
        target,
        headers,
        verdict,
    })
}

// --- A second, independent implementation of the verification -------------

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn pct_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn pct_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |c: u8| char::from(c).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(u8::try_from(h * 16 + l).expect("byte"));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn verify(
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
    sk: &str,
) -> Result<String, String> {
    let get = |name: &str| -> Result<&str, String> {
        let mut values = headers.iter().filter(|(n, _)| n == name);
        let value = values.next().ok_or(format!("no {name} header"))?;
        if values.next().is_some() {
            return Err(format!("several {name} headers"));
        }
        Ok(value.1.as_str())
    };
    let auth = get("authorization")?;
    let rest = auth
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or("not SDK-HMAC-SHA256")?;
    let mut access = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Access", v)) => access = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("unexpected part {part:?}")),
        }
    }
    let (access, signed, signature) = (
        access.ok_or("no Access")?,
        signed.ok_or("no SignedHeaders")?,
        signature.ok_or("no Signature")?,
    );
    if access != AK {
        return Err("unknown access key".into());
    }
    let names: Vec<&str> = signed.split(';').collect();
    if !names.is_sorted() || !names.contains(&"host") || !names.contains(&"x-sdk-date") {
        return Err(format!("bad SignedHeaders {signed}"));
    }

    let date = get("x-sdk-date")?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let t = parse_date(date).ok_or("bad X-Sdk-Date")?;
    if t.abs_diff(now) > 300 {
        return Err("X-Sdk-Date too far from now".into());
    }

    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut canonical_path = pct_decode(path)
        .split('/')
        .map(pct_encode)
        .collect::<Vec<_>>()
        .join("/");
    if !canonical_path.ends_with('/') {
        canonical_path.push('/');
    }
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                pct_decode(&k.replace('+', " ")),
                pct_decode(&v.replace('+', " ")),
            )
        })
        .collect();
    pairs.sort();
    let canonical_query = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", pct_encode(k), pct_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut canonical_headers = String::new();
    for name in &names {
        canonical_headers.push_str(&format!("{name}:{}\n", get(name)?.trim()));
    }
    let payload_hash = if body.is_empty() {
        hex::encode(Sha256::digest(b""))
    } else if let Ok(v) = get("x-sdk-content-sha256") {
        v.to_owned()
    } else {
        hex::encode(Sha256::digest(body))
    };
    let canonical = format!(
        "{method}\n{canonical_path}\n{canonical_query}\n{canonical_headers}\n{signed}\n{payload_hash}"
    );
    let to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(sk.as_bytes()).expect("hmac key");
    mac.update(to_sign.as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    if expected != signature {
        return Err(format!(
            "signature mismatch; server computed canonical request:\n{canonical}"
        ));
    }
    Ok(date.to_owned())
}

/// `YYYYMMDDTHHMMSSZ` → seconds since 1970.
fn parse_date(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hh, mm, ss) = (n(9..11)?, n(11..13)?, n(13..15)?);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}

// --- The tests --------------------------------------------------------------

fn client(addr: SocketAddr, credentials: Credentials, retry: RetryPolicy) -> Client {
    Client::builder()
        .endpoint(format!("http://{addr}"))
        .credentials(credentials)
        .retry_policy(retry)
        .build()
        .expect("client")
}

fn rich_request() -> OperationRequest {
    let mut request = OperationRequest::new(
        "SigningServerTest",
        Method::PUT,
        "/v4/repositories/%E4%B8%AD%E6%96%87/a%20b+c/x@y:z".to_owned(),
    );
    request.query("search", "my repo+name".to_owned());
    request.query("tag", "b".to_owned());
    request.query("tag", "a".to_owned());
    request.query("path", "src/main.rs?x=1&y=#".to_owned());
    request.query("emoji", "😀 中文".to_owned());
    request.query("empty", String::new());
    request.header("X-Custom", http::HeaderValue::from_static("  padded  "));
    request.header("X_Unsigned", http::HeaderValue::from_static("not signed"));
    request
        .json_body(
            "SigningServerTest",
            &serde_json::json!({"name": "demo-仓库", "description": "a b+c"}),
        )
        .expect("json");
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_accepts_the_signature_of_a_rich_request() {
    let (addr, server) = start_server(SK, vec![Plan::Ok]);
    let credentials = Credentials::access_key(AK, SK)
        .and_then(|c| c.with_security_token(SECURITY_TOKEN))
        .and_then(|c| c.with_project_id(PROJECT_ID))
        .expect("credentials");
    let client = client(addr, credentials, RetryPolicy::disabled());
    let raw = client.execute(rich_request()).await.expect("200");
    let body: serde_json::Value = serde_json::from_slice(&raw.body).expect("json");
    assert_eq!(body["ok"], true);

    let seen = server.join().expect("server thread");
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(
        s.verdict.as_deref(),
        Ok(body["sdk_date"].as_str().expect("date"))
    );
    assert_eq!(s.header("x-security-token"), Some(SECURITY_TOKEN));
    assert_eq!(s.header("x-project-id"), Some(PROJECT_ID));
    assert_eq!(s.header("x_unsigned"), Some("not signed"));
    let auth = s.header("authorization").expect("authorization");
    assert!(
        auth.contains(
            "SignedHeaders=accept;content-type;host;user-agent;x-custom;x-project-id;x-sdk-date;x-security-token,"
        ),
        "{auth}"
    );
    // The query goes out in canonical form, as the official SDK sends it.
    assert!(
        s.target.ends_with(
            "?emoji=%F0%9F%98%80%20%E4%B8%AD%E6%96%87&empty=&path=src%2Fmain.rs%3Fx%3D1%26y%3D%23\
             &search=my%20repo%2Bname&tag=a&tag=b"
        ),
        "{}",
        s.target
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_is_signed_again_with_a_fresh_date() {
    let (addr, server) = start_server(SK, vec![Plan::Unavailable, Plan::Ok]);
    let credentials = Credentials::access_key(AK, SK).expect("credentials");
    let client = client(
        addr,
        credentials,
        RetryPolicy::new()
            .max_attempts(2)
            .initial_backoff(Duration::from_millis(10))
            .max_retry_after(Duration::from_secs(5)),
    );
    let request = rich_request(); // PUT: idempotent, so retried
    let raw = client.execute(request).await.expect("200 after a retry");
    let body: serde_json::Value = serde_json::from_slice(&raw.body).expect("json");
    assert_eq!(body["ok"], true);

    let seen = server.join().expect("server thread");
    assert_eq!(seen.len(), 2, "two attempts");
    let first = seen[0]
        .verdict
        .as_ref()
        .expect("first attempt validly signed");
    let second = seen[1]
        .verdict
        .as_ref()
        .expect("second attempt validly signed");
    // The server asked to wait a second, so the second date is later.
    assert!(
        parse_date(second) > parse_date(first),
        "fresh X-Sdk-Date: {first} then {second}"
    );
    assert_ne!(
        seen[0].header("authorization"),
        seen[1].header("authorization")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_key_is_refused_by_the_server() {
    let (addr, server) = start_server(SK, vec![Plan::Ok]);
    let wrong_sk = "WrongSecretKey0123456789abcdefghijklmnop";
    let credentials = Credentials::access_key(AK, wrong_sk).expect("credentials");
    let client = client(addr, credentials, RetryPolicy::disabled());
    let error = client.execute(rich_request()).await.expect_err("401");
    let api = match &error {
        Error::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    };
    assert_eq!(api.status().as_u16(), 401);
    for text in [format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains(wrong_sk), "{text}");
        assert!(!text.contains(SK), "{text}");
    }
    let seen = server.join().expect("server thread");
    assert!(seen[0].verdict.is_err());
}
