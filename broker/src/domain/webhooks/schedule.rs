//! When a failed webhook delivery is tried again: a pure function of how many attempts were
//! made and a jitter the caller draws, so the worker stays simple and the schedule is tested
//! without clocks. The first attempt is made at once; each retry waits `first_delay` times
//! `factor` to the power of the retries before it, capped at `max_delay`, spread ±20 % so that
//! deliveries that failed together do not all return together.
//!
//! The default serves a receiver that fails twice within a minute (attempt 3 starts at most
//! 6 s + 24 s after attempt 1) and gives up after 7 attempts, about 58 minutes (70 at worst)
//! after the first.

use std::time::Duration;

/// How far the jitter spreads a delay either way, as a fraction of it.
pub const JITTER_SPREAD: f64 = 0.2;

/// Why a retry policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetryPolicyError {
    /// No attempt at all would be made.
    #[error("webhook attempts must be at least 1, found 0")]
    NoAttempts,
    /// A zero first delay would retry at once, hammering a failing receiver.
    #[error("the first webhook retry delay must be more than zero")]
    ZeroFirstDelay,
    /// A factor of zero would retry at once after the first retry.
    #[error("the webhook retry factor must be at least 1, found 0")]
    ZeroFactor,
    /// The cap is below the first delay.
    #[error(
        "the longest webhook retry delay ({max_delay:?}) must be at least the first ({first_delay:?})"
    )]
    MaxBelowFirst {
        /// The first delay given.
        first_delay: Duration,
        /// The cap given.
        max_delay: Duration,
    },
}

/// How often and how long apart a webhook delivery is attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    first_delay: Duration,
    factor: u32,
    max_delay: Duration,
    max_attempts: u32,
}

impl Default for RetryPolicy {
    /// First retry after 5 s, each next one 4 times longer, at most 30 min apart, 7 attempts:
    /// gaps of 5 s, 20 s, 80 s, 320 s, 1280 s (about 21 min) and 30 min.
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(5),
            factor: 4,
            max_delay: Duration::from_secs(30 * 60),
            max_attempts: 7,
        }
    }
}

impl RetryPolicy {
    /// A policy; refused unless it makes at least one attempt, waits before a retry, grows
    /// (or keeps) the delay and caps it no lower than where it starts.
    pub fn new(
        first_delay: Duration,
        factor: u32,
        max_delay: Duration,
        max_attempts: u32,
    ) -> Result<Self, RetryPolicyError> {
        if max_attempts == 0 {
            return Err(RetryPolicyError::NoAttempts);
        }
        if first_delay.is_zero() {
            return Err(RetryPolicyError::ZeroFirstDelay);
        }
        if factor == 0 {
            return Err(RetryPolicyError::ZeroFactor);
        }
        if max_delay < first_delay {
            return Err(RetryPolicyError::MaxBelowFirst {
                first_delay,
                max_delay,
            });
        }
        Ok(Self {
            first_delay,
            factor,
            max_delay,
            max_attempts,
        })
    }

    /// The delay before the first retry.
    pub fn first_delay(&self) -> Duration {
        self.first_delay
    }

    /// How much longer each retry waits than the one before.
    pub fn factor(&self) -> u32 {
        self.factor
    }

    /// The longest delay before jitter.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// Attempts made at most, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long after the last attempt the next one is made, when `attempts_made` attempts
    /// have failed; `None` once they are exhausted. `attempts_made == 0` gives zero (the first
    /// attempt is made at once); after that the delay is never zero and never above
    /// `max_delay` × 1.2. `jitter`, drawn by the caller from [0, 1), scales the delay from
    /// 0.8 to 1.2 times (a value outside the range is clamped into it; NaN counts as 0.5).
    pub fn next_attempt(&self, attempts_made: u32, jitter: f64) -> Option<Duration> {
        if attempts_made >= self.max_attempts {
            return None;
        }
        if attempts_made == 0 {
            return Some(Duration::ZERO);
        }
        let base = self.base_delay(attempts_made - 1);
        let jitter = if jitter.is_nan() {
            0.5
        } else {
            jitter.clamp(0.0, 1.0)
        };
        let scale = 1.0 - JITTER_SPREAD + 2.0 * JITTER_SPREAD * jitter;
        let spread = Duration::try_from_secs_f64(base.as_secs_f64() * scale).unwrap_or(base);
        Some(spread.max(Duration::from_nanos(1)))
    }

    /// The longest time from the first attempt to the last: every delay at its largest.
    pub fn worst_case_total(&self) -> Duration {
        (1..self.max_attempts)
            .map(|retries| {
                let base = self.base_delay(retries - 1);
                Duration::try_from_secs_f64(base.as_secs_f64() * (1.0 + JITTER_SPREAD))
                    .unwrap_or(base)
            })
            .fold(Duration::ZERO, Duration::saturating_add)
    }

    /// `first_delay × factor^earlier_retries`, capped at `max_delay`.
    fn base_delay(&self, earlier_retries: u32) -> Duration {
        let mut delay = self.first_delay;
        for _ in 0..earlier_retries {
            if delay >= self.max_delay {
                break;
            }
            delay = delay.saturating_mul(self.factor);
        }
        delay.min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JITTERS: [f64; 6] = [0.0, 0.1, 0.25, 0.5, 0.75, 0.999_999];

    fn secs(seconds: f64) -> Duration {
        Duration::from_secs_f64(seconds)
    }

    #[test]
    fn the_default_schedule() {
        let policy = RetryPolicy::default();
        // (attempts made, delay at jitter 0.5, i.e. unspread)
        let table = [
            (0, Some(0.0)),
            (1, Some(5.0)),
            (2, Some(20.0)),
            (3, Some(80.0)),
            (4, Some(320.0)),
            (5, Some(1280.0)),
            (6, Some(1800.0)),
            (7, None),
            (8, None),
            (u32::MAX, None),
        ];
        for (attempts_made, expected) in table {
            assert_eq!(
                policy.next_attempt(attempts_made, 0.5),
                expected.map(secs),
                "{attempts_made}"
            );
        }
    }

    #[test]
    fn jitter_spreads_each_delay_by_a_fifth_either_way() {
        let policy = RetryPolicy::default();
        let table = [
            (0.0, 4.0),
            (0.25, 4.5),
            (0.5, 5.0),
            (0.75, 5.5),
            (1.0, 6.0),
            (-3.0, 4.0),
            (7.0, 6.0),
            (f64::NAN, 5.0),
            (f64::INFINITY, 6.0),
        ];
        for (jitter, seconds) in table {
            assert_eq!(
                policy.next_attempt(1, jitter),
                Some(secs(seconds)),
                "{jitter}"
            );
        }
    }

    #[test]
    fn a_receiver_that_fails_twice_is_served_within_a_minute() {
        let policy = RetryPolicy::default();
        for first in JITTERS {
            for second in JITTERS {
                let third_attempt_at = policy.next_attempt(1, first).unwrap()
                    + policy.next_attempt(2, second).unwrap();
                assert!(
                    third_attempt_at < Duration::from_secs(60),
                    "{first} {second}: {third_attempt_at:?}"
                );
            }
        }
    }

    #[test]
    fn delays_are_never_zero_and_never_above_the_spread_cap() {
        let policies = [
            RetryPolicy::default(),
            RetryPolicy::new(Duration::from_nanos(1), 1, Duration::from_nanos(1), 3).unwrap(),
            RetryPolicy::new(Duration::from_secs(1), u32::MAX, Duration::MAX, 40).unwrap(),
            RetryPolicy::new(Duration::from_millis(10), 2, Duration::from_secs(1), 100).unwrap(),
        ];
        for policy in policies {
            let cap = Duration::try_from_secs_f64(policy.max_delay().as_secs_f64() * 1.2)
                .unwrap_or(Duration::MAX);
            for attempts_made in 1..policy.max_attempts() {
                for jitter in JITTERS {
                    let delay = policy.next_attempt(attempts_made, jitter).unwrap();
                    assert!(!delay.is_zero(), "{policy:?} {attempts_made} {jitter}");
                    assert!(
                        delay <= cap,
                        "{policy:?} {attempts_made} {jitter}: {delay:?}"
                    );
                }
            }
            assert_eq!(policy.next_attempt(policy.max_attempts(), 0.5), None);
        }
    }

    #[test]
    fn the_worst_case_total_time() {
        // (5 + 20 + 80 + 320 + 1280 + 1800) s × 1.2
        assert_eq!(RetryPolicy::default().worst_case_total(), secs(4206.0));
        let once = RetryPolicy::new(Duration::from_secs(5), 4, Duration::from_secs(60), 1);
        assert_eq!(once.map(|p| p.worst_case_total()), Ok(Duration::ZERO));
        let policy = RetryPolicy::default();
        let largest: Duration = (1..policy.max_attempts())
            .map(|attempts_made| policy.next_attempt(attempts_made, 0.999_999).unwrap())
            .sum();
        assert!(largest <= policy.worst_case_total());
    }

    #[test]
    fn invalid_policies_are_refused() {
        let five = Duration::from_secs(5);
        let table = [
            (
                RetryPolicy::new(five, 4, five, 0),
                "webhook attempts must be at least 1, found 0",
            ),
            (
                RetryPolicy::new(Duration::ZERO, 4, five, 3),
                "the first webhook retry delay must be more than zero",
            ),
            (
                RetryPolicy::new(five, 0, five, 3),
                "the webhook retry factor must be at least 1, found 0",
            ),
            (
                RetryPolicy::new(five, 4, Duration::from_secs(1), 3),
                "the longest webhook retry delay (1s) must be at least the first (5s)",
            ),
        ];
        for (result, message) in table {
            assert_eq!(result.map_err(|e| e.to_string()), Err(message.to_owned()));
        }
        assert_eq!(
            RetryPolicy::new(five, 4, Duration::from_secs(1800), 7),
            Ok(RetryPolicy::default())
        );
    }
}
