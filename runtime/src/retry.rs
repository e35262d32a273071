//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// How the client retries failed attempts.
///
/// A failed attempt is retried when all of these hold:
///
/// - attempts remain (`max_attempts` counts the first one too);
/// - the failure is transient: a connection failure or timeout, a
///   connection closed or reset before the answer or mid-body, or HTTP 429,
///   502, 503 or 504 (never 500 or another 4xx, and never a malformed answer,
///   [`TransportErrorKind::Protocol`](crate::TransportErrorKind::Protocol),
///   which the server would most likely send again);
/// - the request is idempotent (GET, HEAD, OPTIONS, PUT and DELETE by
///   default) — except that a failure to *connect* is retried for every
///   request, since nothing of it was sent;
/// - the server did not ask, with `Retry-After`, for a longer wait than
///   `max_retry_after`: then the error is returned at once, with
///   [`Error::retry_after`](crate::Error::retry_after) set, instead of sleeping.
///
/// The wait before retry *n* is the server's `Retry-After` when it sent one,
/// else a random duration between zero and
/// `min(max_backoff, initial_backoff × 2ⁿ⁻¹)` ("full jitter").
///
/// The default: 3 attempts, 200 ms initial backoff, 5 s maximum backoff,
/// `Retry-After` honoured up to 20 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new()
    }
}

impl RetryPolicy {
    /// The default policy (see the type's documentation).
    pub const fn new() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(20),
        }
    }

    /// A policy that makes exactly one attempt.
    pub const fn disabled() -> Self {
        RetryPolicy::new().max_attempts(1)
    }

    /// The number of attempts, the first included; 0 counts as 1.
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The cap on the backoff before the first retry; later retries double it.
    pub const fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The cap on any backoff.
    pub const fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` the client waits for; a server asking for
    /// more gets the error returned at once.
    pub const fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The configured number of attempts (at least 1).
    pub const fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The configured `Retry-After` cap.
    pub const fn retry_after_cap(&self) -> Duration {
        self.max_retry_after
    }

    /// A random backoff before retry number `retry` (1 for the first retry):
    /// uniform in `0..=min(max_backoff, initial_backoff × 2^(retry-1))`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .checked_mul(1u32 << exponent)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// The wait a `Retry-After` header asks for: delta-seconds, or an HTTP-date
/// (a date in the past means no wait). `None` when absent or unparsable.
pub(super) fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is "a very long time".
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}
