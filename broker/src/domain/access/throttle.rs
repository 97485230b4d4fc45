//! Slowing down guessing: an address that keeps sending wrong credentials gets its 401s later
//! and later. The delay is a pure function of the recent failure count ([`failure_delay`]);
//! [`Throttle`] counts failures per address in a fixed window, in memory (each replica counts
//! its own), and forgets old addresses so the map stays bounded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures counted together: a window starts at an address's first failure.
pub const WINDOW: Duration = Duration::from_secs(600);
/// Failures in a window answered at once (a typo, a rotated token).
pub const FREE_FAILURES: u32 = 5;
/// The longest delay.
pub const MAX_DELAY: Duration = Duration::from_secs(5);
/// Addresses remembered at most; beyond it, expired windows are dropped, then all.
const MAX_ADDRESSES: usize = 10_000;

/// How long to hold the answer to the `failures`-th failure of a window: nothing for the first
/// [`FREE_FAILURES`], then 100 ms doubling up to [`MAX_DELAY`].
pub fn failure_delay(failures: u32) -> Duration {
    if failures <= FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES - 1).min(16);
    Duration::from_millis(100u64 << doublings).min(MAX_DELAY)
}

/// Recent failures per address.
#[derive(Debug, Default)]
pub struct Throttle {
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Throttle {
    /// Counts a failure from `peer` at `now`; returns how long to hold its answer.
    pub fn record_failure(&self, peer: IpAddr, now: Instant) -> Duration {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= MAX_ADDRESSES && !windows.contains_key(&peer) {
            windows.retain(|_, (started, _)| now.duration_since(*started) < WINDOW);
            if windows.len() >= MAX_ADDRESSES {
                windows.clear();
            }
        }
        let window = windows.entry(peer).or_insert((now, 0));
        if now.duration_since(window.0) >= WINDOW {
            *window = (now, 0);
        }
        window.1 = window.1.saturating_add(1);
        failure_delay(window.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_after_the_free_failures_and_is_capped() {
        let table = [
            (0, 0),
            (1, 0),
            (5, 0),
            (6, 100),
            (7, 200),
            (8, 400),
            (10, 1_600),
            (12, 5_000),
            (1_000, 5_000),
            (u32::MAX, 5_000),
        ];
        for (failures, millis) in table {
            assert_eq!(
                failure_delay(failures),
                Duration::from_millis(millis),
                "{failures}"
            );
        }
    }

    #[test]
    fn failures_are_counted_per_address_within_the_window() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let a: IpAddr = "10.0.0.1".parse().unwrap_or(IpAddr::from([10, 0, 0, 1]));
        let b = IpAddr::from([10, 0, 0, 2]);
        for _ in 0..FREE_FAILURES {
            assert_eq!(throttle.record_failure(a, start), Duration::ZERO);
        }
        assert_eq!(
            throttle.record_failure(a, start),
            Duration::from_millis(100)
        );
        assert_eq!(throttle.record_failure(b, start), Duration::ZERO);
        let later = start + WINDOW;
        assert_eq!(throttle.record_failure(a, later), Duration::ZERO);
    }
}
