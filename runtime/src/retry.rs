//! When and how long to wait before trying a request again.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use http::HeaderMap;

use crate::error::{Error, TransportErrorKind};

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
///   [`Error::retry_after`](crate::Error::retry_after) set, instead of sleeping;
/// - the client's retry budget has the tokens the retry costs (see below);
/// - the wait would not pass the operation's deadline, when there is one
///   ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)).
///
/// The wait before retry *n* is the server's `Retry-After` when it sent one,
/// else a random duration between zero and
/// `min(max_backoff, initial_backoff × 2ⁿ⁻¹)` ("full jitter").
///
/// # Retry budget
///
/// Retries draw on a token bucket shared by every call of a client (and its
/// clones), so that an outage is not multiplied by the number of attempts: the
/// bucket starts full at its capacity (500 tokens); a retry after a timeout,
/// a connect timeout or a stalled body costs 10 tokens, a retry after a
/// refused connection nothing (no request reached a server), any other
/// retry 5; a
/// call that succeeds puts back 1 token, or, when it needed retries, the cost
/// of its last retry (never above the capacity). When the bucket holds fewer
/// tokens than a retry costs, the call fails with its last error instead of
/// retrying. These are the numbers of the AWS SDKs' "standard" retry mode:
/// a full bucket allows 50 timeout retries (100 others) before the successes
/// that refill it. [`retry_budget`](Self::retry_budget) sets the capacity,
/// [`retry_costs`](Self::retry_costs) the costs and
/// [`unlimited_retry_budget`](Self::unlimited_retry_budget) turns the budget off.
///
/// The default: 3 attempts, 200 ms initial backoff, 5 s maximum backoff,
/// `Retry-After` honoured up to 20 s, a retry budget of 500 tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    /// The capacity of the retry budget; `None`: unlimited.
    budget: Option<u32>,
    retry_cost: u32,
    timeout_retry_cost: u32,
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
            budget: Some(Self::DEFAULT_RETRY_BUDGET),
            retry_cost: Self::DEFAULT_RETRY_COST,
            timeout_retry_cost: Self::DEFAULT_TIMEOUT_RETRY_COST,
        }
    }

    /// The default capacity of the retry budget: 500 tokens.
    pub const DEFAULT_RETRY_BUDGET: u32 = 500;
    /// The default cost of a retry: 5 tokens.
    pub const DEFAULT_RETRY_COST: u32 = 5;
    /// The default cost of a retry after a timeout or a stalled body: 10 tokens.
    pub const DEFAULT_TIMEOUT_RETRY_COST: u32 = 10;

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

    /// The capacity of the retry budget that every call of a client shares
    /// ([`DEFAULT_RETRY_BUDGET`](Self::DEFAULT_RETRY_BUDGET) tokens by default;
    /// see the type's documentation). 0 allows no retry.
    pub const fn retry_budget(mut self, capacity: u32) -> Self {
        self.budget = Some(capacity);
        self
    }

    /// No retry budget: every call retries as far as the other rules allow,
    /// however many other calls are failing.
    pub const fn unlimited_retry_budget(mut self) -> Self {
        self.budget = None;
        self
    }

    /// The tokens a retry takes from the retry budget: `retry` for most
    /// failures ([`DEFAULT_RETRY_COST`](Self::DEFAULT_RETRY_COST)), `timeout_retry`
    /// after a timeout or a stalled body
    /// ([`DEFAULT_TIMEOUT_RETRY_COST`](Self::DEFAULT_TIMEOUT_RETRY_COST)).
    pub const fn retry_costs(mut self, retry: u32, timeout_retry: u32) -> Self {
        self.retry_cost = retry;
        self.timeout_retry_cost = timeout_retry;
        self
    }

    /// The capacity of the retry budget; `None` when unlimited.
    pub const fn budget_capacity(&self) -> Option<u32> {
        self.budget
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

/// The retry budget of one client: a token bucket that retries draw on (see
/// [`RetryPolicy`]). Shared by the client's clones through its `Arc`.
pub(super) struct RetryBudget {
    available: AtomicU32,
    capacity: u32,
    retry_cost: u32,
    timeout_retry_cost: u32,
}

/// What a call took from the budget for its last retry.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Withdrawal(u32);

impl RetryBudget {
    /// A full bucket for `policy`; `None` when its budget is unlimited.
    pub(super) fn new(policy: &RetryPolicy) -> Option<RetryBudget> {
        let capacity = policy.budget?;
        Some(RetryBudget {
            available: AtomicU32::new(capacity),
            capacity,
            retry_cost: policy.retry_cost,
            timeout_retry_cost: policy.timeout_retry_cost,
        })
    }

    /// Takes the cost of retrying after `error`; `None` (and nothing taken)
    /// when the bucket holds less.
    pub(super) fn withdraw(&self, error: &Error) -> Option<Withdrawal> {
        let timeout = matches!(
            error.transport().map(|e| e.kind()),
            Some(
                TransportErrorKind::Timeout
                    | TransportErrorKind::ConnectTimeout
                    | TransportErrorKind::Stalled
            )
        );
        let refused = matches!(
            error.transport().map(|e| e.kind()),
            Some(TransportErrorKind::Connect)
        );
        let cost = if refused {
            0
        } else if timeout {
            self.timeout_retry_cost
        } else {
            self.retry_cost
        };
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                available.checked_sub(cost)
            })
            .ok()
            .map(|_| Withdrawal(cost))
    }

    /// Puts tokens back after a success: the cost of the call's last retry,
    /// or 1 when it needed none; never above the capacity.
    pub(super) fn refund(&self, last: Option<Withdrawal>) {
        let amount = last.map_or(1, |Withdrawal(cost)| cost);
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |available| {
                let refilled = available.saturating_add(amount).min(self.capacity);
                (refilled != available).then_some(refilled)
            });
    }

    /// The tokens in the bucket now.
    pub(super) fn available(&self) -> u32 {
        self.available.load(Ordering::Acquire)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TransportError;

    fn failure(kind: TransportErrorKind) -> Error {
        TransportError::new("Op", kind, true, None).into()
    }

    #[test]
    fn retries_draw_on_the_budget_and_successes_refill_it() {
        let budget = RetryBudget::new(&RetryPolicy::new().retry_budget(22)).unwrap();
        let timeout = failure(TransportErrorKind::Timeout);
        let stalled = failure(TransportErrorKind::Stalled);
        let other = failure(TransportErrorKind::Other);
        let first = budget.withdraw(&timeout).unwrap();
        assert_eq!(budget.available(), 12);
        assert!(budget.withdraw(&stalled).is_some());
        assert_eq!(budget.available(), 2);
        // Too little left for any retry; nothing is taken.
        assert!(budget.withdraw(&other).is_none());
        assert_eq!(budget.available(), 2);
        // A success without retries puts back 1, one after retries its last retry's cost.
        budget.refund(None);
        assert_eq!(budget.available(), 3);
        budget.refund(Some(first));
        assert_eq!(budget.available(), 13);
        // Never above the capacity.
        for _ in 0..10 {
            budget.refund(Some(first));
        }
        assert_eq!(budget.available(), 22);
    }

    #[test]
    fn the_budget_can_be_unlimited_and_its_costs_set() {
        assert!(RetryBudget::new(&RetryPolicy::new().unlimited_retry_budget()).is_none());
        let policy = RetryPolicy::new().retry_budget(3).retry_costs(1, 3);
        let budget = RetryBudget::new(&policy).unwrap();
        assert!(
            budget
                .withdraw(&failure(TransportErrorKind::Other))
                .is_some()
        );
        assert!(
            budget
                .withdraw(&failure(TransportErrorKind::ConnectTimeout))
                .is_none()
        );
        assert_eq!(budget.available(), 2);
        assert_eq!(RetryPolicy::new().budget_capacity(), Some(500));
        // A refused connection put no load on a server: its retry is free.
        assert!(
            budget
                .withdraw(&failure(TransportErrorKind::Connect))
                .is_some()
        );
        assert_eq!(budget.available(), 2);
    }
}
