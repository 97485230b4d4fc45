//! How long to wait before retrying a broker request: exponential back-off with jitter, or what
//! the broker's `Retry-After` asks for (seconds or an HTTP date), never longer than the policy's
//! cap.
//!
//! The decision is a pure function of the attempt, the policy, the header and a random fraction,
//! so that it is tested without sleeping; [`super::BrokerClient::send`] does the waiting.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;

use super::RetryPolicy;

/// True for the answers worth another attempt: 5xx, 408 and 429.
pub fn is_retryable(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
}

/// The wait before attempt `attempt + 1` (the first retry follows attempt 1).
///
/// Without `Retry-After`, the wait is `first_delay * 2^(attempt - 1)` scaled by a jitter factor
/// between 0.5 and 1 (`jitter` is a fraction in `[0, 1)`), so that many CI jobs hit by the same
/// outage do not retry in lockstep. With `Retry-After`, the broker said when to come back: that
/// wait is kept, plus up to a tenth of it as jitter. Both are capped at `max_delay`.
pub fn backoff(
    attempt: u32,
    policy: &RetryPolicy,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let jitter = jitter.clamp(0.0, 1.0);
    let wait = match retry_after {
        Some(asked) => asked.mul_f64(1.0 + jitter / 10.0),
        None => {
            let doublings = attempt.saturating_sub(1).min(16);
            let base = policy.first_delay.saturating_mul(1 << doublings);
            base.min(policy.max_delay).mul_f64(0.5 + jitter / 2.0)
        }
    };
    wait.min(policy.max_delay)
}

/// Reads a `Retry-After` value: a number of seconds, or an HTTP date (a date in the past means
/// now).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            attempts: 5,
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }

    #[test]
    fn waits_double_and_jitter_stays_between_half_and_all_of_them() {
        let cases = [
            (1, 0.0, 250),
            (1, 1.0, 500),
            (2, 0.0, 500),
            (3, 0.5, 1500),
            (6, 1.0, 10_000),
            (40, 0.0, 5_000),
        ];
        for (attempt, jitter, millis) in cases {
            let wait = backoff(attempt, &policy(), None, jitter);
            assert_eq!(
                wait.as_millis(),
                millis,
                "attempt {attempt} jitter {jitter}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_with_a_little_jitter_and_capped() {
        let asked = Some(Duration::from_secs(2));
        assert_eq!(backoff(1, &policy(), asked, 0.0), Duration::from_secs(2));
        assert_eq!(
            backoff(1, &policy(), asked, 0.5),
            Duration::from_millis(2100)
        );
        let too_long = Some(Duration::from_secs(3600));
        assert_eq!(
            backoff(1, &policy(), too_long, 0.0),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = DateTime::parse_from_rfc3339("2026-12-04T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Fri, 04 Dec 2026 10:00:07 GMT", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Fri, 04 Dec 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn server_errors_throttling_and_timeouts_are_retried() {
        for (status, retried) in [
            (503, true),
            (500, true),
            (429, true),
            (408, true),
            (404, false),
            (400, false),
            (401, false),
        ] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(is_retryable(status), retried, "{status}");
        }
    }
}
