//! Response bodies: bounded reads and bounded, printable excerpts.

use std::time::Duration;

use bytes::Bytes;
use http::HeaderValue;
use tokio::time::Instant;

/// How many bytes of a body [`ApiError::body_excerpt`](crate::ApiError::body_excerpt)
/// and [`DecodeError::body_excerpt`](crate::DecodeError::body_excerpt) keep.
pub const EXCERPT_BYTES: usize = 1024;

/// How many characters of an excerpt an error's `Display` shows.
pub(super) const DISPLAY_EXCERPT_CHARS: usize = 200;

/// What replaces a secret found in a server's answer.
pub(super) const REDACTED: &str = "<redacted>";

/// Why reading a body stopped.
#[derive(Debug)]
pub(super) enum ReadError {
    /// The body is longer than the limit (and the caller asked not to truncate).
    TooLarge,
    /// The connection failed before the body was complete.
    Interrupted(reqwest::Error),
    /// Less than the minimum throughput arrived within a grace period.
    Stalled,
}

/// Stalled-stream protection: the least a body must deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StallGuard {
    /// How long the throughput may stay below the floor.
    pub(super) grace_period: Duration,
    /// The floor, in bytes per second.
    pub(super) min_bytes_per_sec: u64,
}

impl StallGuard {
    /// The bytes each grace period must deliver: the floor over the grace
    /// period, and at least one.
    fn bytes_per_window(&self) -> u64 {
        let bytes = (self.min_bytes_per_sec as f64 * self.grace_period.as_secs_f64()).ceil();
        // `as` saturates: a huge product is "more than will ever arrive".
        (bytes as u64).max(1)
    }
}

/// A body read from the network, and whether it was cut at the limit.
pub(super) struct ReadBody {
    pub(super) bytes: Bytes,
    pub(super) truncated: bool,
}

/// Reads a whole response body chunk by chunk, never holding more than
/// `limit` bytes.
///
/// With `truncate`, a longer body is cut at the limit (used for error bodies,
/// whose status matters more than their tail); without, it is an error.
/// A `Content-Length` above the limit is rejected before any byte is read.
///
/// With a `stall` guard, the body fails with [`ReadError::Stalled`] when a
/// grace period passes in which less than the floor (bytes per second × grace
/// period, at least one byte) arrived; the count starts again after each grace
/// period's worth of bytes, from when they completed it.
pub(super) async fn read_limited(
    response: &mut reqwest::Response,
    limit: u64,
    truncate: bool,
    stall: Option<StallGuard>,
) -> Result<ReadBody, ReadError> {
    let declared = response.content_length();
    if !truncate && declared.is_some_and(|len| len > limit) {
        return Err(ReadError::TooLarge);
    }
    // Trust the declared length only as a hint, and never beyond 1 MiB up front.
    let hint = declared.unwrap_or(0).min(limit).min(1024 * 1024);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut buffer: Vec<u8> = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    let window_bytes = stall.map_or(0, |guard| guard.bytes_per_window());
    // `None` also for a grace period too long to be a point in time: no limit.
    let window_from_now = || stall.and_then(|guard| Instant::now().checked_add(guard.grace_period));
    let mut window_end = window_from_now();
    let mut window_received: u64 = 0;
    // Bounded: every iteration either appends at least one byte (the total is
    // capped by `limit`), skips an empty chunk of a finite stream, or returns.
    loop {
        let next = match window_end {
            Some(end) => tokio::time::timeout_at(end, response.chunk())
                .await
                .map_err(|_elapsed| ReadError::Stalled)?,
            None => response.chunk().await,
        };
        let Some(chunk) = next.map_err(ReadError::Interrupted)? else {
            break;
        };
        if window_end.is_some() {
            window_received = window_received.saturating_add(chunk.len() as u64);
            if window_received >= window_bytes {
                window_received = 0;
                window_end = window_from_now();
            }
        }
        let room = limit - buffer.len();
        if chunk.len() > room {
            if truncate {
                buffer.extend_from_slice(&chunk[..room]);
                return Ok(ReadBody {
                    bytes: Bytes::from(buffer),
                    truncated: true,
                });
            }
            return Err(ReadError::TooLarge);
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(ReadBody {
        bytes: Bytes::from(buffer),
        truncated: false,
    })
}

/// The longest prefix of `bytes` of at most `max` bytes that does not end in
/// the middle of a UTF-8 sequence, decoded lossily.
pub(super) fn excerpt(bytes: &[u8], max: usize) -> String {
    let mut prefix = &bytes[..bytes.len().min(max)];
    if prefix.len() < bytes.len() {
        if let Err(error) = std::str::from_utf8(prefix) {
            if error.error_len().is_none() {
                // The prefix ends inside a multi-byte character: drop its start.
                prefix = &prefix[..error.valid_up_to()];
            }
        }
    }
    String::from_utf8_lossy(prefix).into_owned()
}

/// The excerpt of a body with every secret in `secrets` replaced.
///
/// The window read is longer than the excerpt by the longest secret, so that a
/// secret crossing the cut is still found whole before the cut is made.
pub(super) fn scrubbed_excerpt(bytes: &[u8], max: usize, secrets: &[HeaderValue]) -> String {
    let longest = secrets.iter().map(|s| s.len()).max().unwrap_or(0);
    // One byte more, so that a secret that ends at the window's end is known to end a token.
    let window = excerpt(bytes, max.saturating_add(longest).saturating_add(1));
    let scrubbed = scrub(window, secrets);
    if scrubbed.len() <= max {
        return scrubbed;
    }
    excerpt(scrubbed.as_bytes(), max)
}

/// The shortest secret that is looked for in a server's answer, in bytes.
///
/// A shorter one (a one-letter token, a four-digit PIN) cannot be told from
/// the ordinary text around it: replacing it would garble every message that
/// happens to contain those letters, and would give the secret away all the
/// same (the gaps spell it). It is still never shown by `Debug` (the headers
/// that carry it are hidden whole), but an echo of it is left as it is.
pub(super) const MIN_SCRUBBED_SECRET_LEN: usize = 8;

/// From this length on (in bytes) a secret is replaced wherever it occurs; a
/// shorter one (from [`MIN_SCRUBBED_SECRET_LEN`]) only where it stands as a
/// whole token: not preceded nor followed by an ASCII letter or digit that
/// would continue it, so that a password that is also a word does not take
/// that word out of longer words. No ordinary text holds 16 given
/// characters in a row by chance.
pub(super) const SCRUBBED_ANYWHERE_LEN: usize = 16;

/// The secrets worth looking for, longest first (so that a secret inside
/// another, an access key inside the `Authorization` value, does not break the
/// longer one's match).
fn searched<'a>(secrets: impl IntoIterator<Item = &'a [u8]>) -> Vec<&'a [u8]> {
    let mut searched: Vec<&[u8]> = secrets
        .into_iter()
        .filter(|secret| secret.len() >= MIN_SCRUBBED_SECRET_LEN)
        .collect();
    searched.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    searched
}

/// Where the next occurrence of `secret` in `haystack` at or after `from`
/// starts, by the rules of [`SCRUBBED_ANYWHERE_LEN`]. `secret` is never empty.
fn find_secret(haystack: &[u8], secret: &[u8], from: usize) -> Option<usize> {
    let first = *secret.first()?;
    let last = *secret.last()?;
    let whole_token = secret.len() < SCRUBBED_ANYWHERE_LEN;
    let continues = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_alphanumeric);
    let mut at = from;
    // Bounded: `at` grows by at least one each round, up to the haystack's length.
    while at.checked_add(secret.len())? <= haystack.len() {
        let offset = haystack[at..].iter().position(|&b| b == first)?;
        let start = at + offset;
        let end = start.checked_add(secret.len())?;
        if end > haystack.len() {
            return None;
        }
        if &haystack[start..end] == secret {
            let alone = !whole_token
                || ((!first.is_ascii_alphanumeric()
                    || !continues(start.checked_sub(1).and_then(|i| haystack.get(i))))
                    && (!last.is_ascii_alphanumeric() || !continues(haystack.get(end))));
            if alone {
                return Some(start);
            }
        }
        at = start + 1;
    }
    None
}

/// `bytes` with every occurrence of each of `secrets` (already [`searched`]) replaced by
/// [`REDACTED`]; `None` when none occurs.
fn replace_secrets(bytes: &[u8], secrets: &[&[u8]]) -> Option<Vec<u8>> {
    let mut replaced: Option<Vec<u8>> = None;
    for secret in secrets {
        let text = replaced.as_deref().unwrap_or(bytes);
        let Some(mut at) = find_secret(text, secret, 0) else {
            continue;
        };
        let mut out = Vec::with_capacity(text.len());
        let mut done = 0;
        // Bounded: each match starts after the previous one ended.
        loop {
            out.extend_from_slice(&text[done..at]);
            out.extend_from_slice(REDACTED.as_bytes());
            done = at + secret.len();
            match find_secret(text, secret, done) {
                Some(next) => at = next,
                None => break,
            }
        }
        out.extend_from_slice(&text[done..]);
        replaced = Some(out);
    }
    replaced
}

/// `text` with every occurrence of a secret replaced by [`REDACTED`] (see
/// [`MIN_SCRUBBED_SECRET_LEN`] and [`SCRUBBED_ANYWHERE_LEN`] for what counts).
pub(super) fn scrub(text: String, secrets: &[HeaderValue]) -> String {
    // Only secrets that are text can be in text; replacing whole UTF-8 sequences in UTF-8
    // text leaves UTF-8 text.
    let secrets = searched(
        secrets
            .iter()
            .map(HeaderValue::as_bytes)
            .filter(|secret| std::str::from_utf8(secret).is_ok()),
    );
    match replace_secrets(text.as_bytes(), &secrets) {
        Some(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()),
        None => text,
    }
}

/// `bytes` with every occurrence of a secret replaced by [`REDACTED`]; the same
/// buffer (no copy) when none occurs, which is the normal case.
pub(super) fn scrub_bytes(bytes: Bytes, secrets: &[HeaderValue]) -> Bytes {
    let secrets = searched(secrets.iter().map(HeaderValue::as_bytes));
    match replace_secrets(&bytes, &secrets) {
        Some(scrubbed) => Bytes::from(scrubbed),
        None => bytes,
    }
}

/// A JSON `body` whose strings, once unescaped, hold a secret (`"\u0054OKEN"` is `"TOKEN"`),
/// re-encoded with those strings scrubbed; any other body as it is. Run after
/// [`scrub_bytes`], so that a typed body decoded from the result cannot hold a secret.
pub(super) fn scrub_json_strings(body: Bytes, secrets: &[HeaderValue]) -> Bytes {
    if secrets.is_empty() || !body.contains(&b'\\') {
        // Without a backslash every string is literal, and `scrub_bytes` saw it.
        return body;
    }
    let Ok(mut value) =
        serde_json::from_slice::<serde_json::Value>(crate::support::strip_bom(&body))
    else {
        return body;
    };
    if !scrub_value(&mut value, secrets) {
        return body;
    }
    serde_json::to_vec(&value).map(Bytes::from).unwrap_or(body)
}

/// Scrubs every string (keys too) of `value`; whether anything changed. Iterative, so that
/// no nesting can exhaust the stack.
fn scrub_value(value: &mut serde_json::Value, secrets: &[HeaderValue]) -> bool {
    use serde_json::Value;
    let scrub_text = |text: &mut String| {
        if contains_secret(text.as_bytes(), secrets) {
            *text = scrub(std::mem::take(text), secrets);
            true
        } else {
            false
        }
    };
    let mut changed = false;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::String(text) => changed |= scrub_text(text),
            Value::Array(items) => pending.extend(items.iter_mut()),
            Value::Object(object) => {
                if object
                    .keys()
                    .any(|k| contains_secret(k.as_bytes(), secrets))
                {
                    let entries = std::mem::take(object);
                    for (mut key, item) in entries {
                        scrub_text(&mut key);
                        object.insert(key, item);
                    }
                    changed = true;
                }
                pending.extend(object.values_mut());
            }
            _ => {}
        }
    }
    changed
}

/// Whether `bytes` hold one of `secrets`, as [`scrub`] would find it.
pub(super) fn contains_secret(bytes: &[u8], secrets: &[HeaderValue]) -> bool {
    secrets.iter().any(|secret| {
        let secret = secret.as_bytes();
        secret.len() >= MIN_SCRUBBED_SECRET_LEN && find_secret(bytes, secret, 0).is_some()
    })
}

/// A one-line, printable version of a server-supplied text, at most `max`
/// characters: control characters become spaces, runs of whitespace collapse.
pub(super) fn one_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    let mut count = 0;
    let mut last_space = true;
    for c in text.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        if count == max {
            out.push('…');
            return out;
        }
        out.push(c);
        count += 1;
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}
