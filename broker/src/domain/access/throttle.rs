//! Slowing down guessing: an address that keeps sending wrong credentials is refused for a
//! while after each failure beyond the first few, without its credentials being checked, so
//! parallel requests gain nothing. The pause is a pure function of the recent failure count
//! ([`failure_delay`]); [`Throttle`] counts failures per address (an IPv6 address by its /64,
//! which one host usually holds whole) in a fixed window, in memory (each replica counts its
//! own). When it tracks too many addresses it forgets expired ones and then stops tracking new
//! ones, so nobody can wipe the counters by flooding it with addresses.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures counted together: a window starts at an address's first failure.
pub const WINDOW: Duration = Duration::from_secs(600);
/// Failures in a window answered at once (a typo, a rotated token).
pub const FREE_FAILURES: u32 = 5;
/// The longest pause.
pub const MAX_DELAY: Duration = Duration::from_secs(5);
/// Addresses tracked at most.
const MAX_ADDRESSES: usize = 10_000;

/// How long an address is refused after the `failures`-th failure of a window: nothing for the
/// first [`FREE_FAILURES`], then 100 ms doubling up to [`MAX_DELAY`].
pub fn failure_delay(failures: u32) -> Duration {
    if failures <= FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES - 1).min(16);
    Duration::from_millis(100u64 << doublings).min(MAX_DELAY)
}

/// The key an address is counted under: IPv4 (also when mapped into IPv6) as it is, IPv6 by
/// its /64.
pub fn address_key(peer: IpAddr) -> IpAddr {
    match peer.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
    blocked_until: Instant,
}

/// Recent failures per address.
#[derive(Debug, Default)]
pub struct Throttle {
    windows: Mutex<HashMap<IpAddr, Window>>,
}

impl Throttle {
    /// How much longer `peer` is refused at `now`, if it is.
    pub fn blocked(&self, peer: IpAddr, now: Instant) -> Option<Duration> {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = windows.get(&address_key(peer))?;
        (window.blocked_until > now).then(|| window.blocked_until - now)
    }

    /// Counts a failure from `peer` at `now`; returns how long it is refused from now.
    pub fn record_failure(&self, peer: IpAddr, now: Instant) -> Duration {
        let key = address_key(peer);
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= MAX_ADDRESSES && !windows.contains_key(&key) {
            windows.retain(|_, window| now.duration_since(window.started) < WINDOW);
            if windows.len() >= MAX_ADDRESSES {
                tracing::warn!(
                    addresses = windows.len(),
                    "credential failures from too many addresses to track; not tracking {key}"
                );
                return Duration::ZERO;
            }
        }
        let window = windows.entry(key).or_insert(Window {
            started: now,
            failures: 0,
            blocked_until: now,
        });
        if now.duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                failures: 0,
                blocked_until: now,
            };
        }
        window.failures = window.failures.saturating_add(1);
        let delay = failure_delay(window.failures);
        window.blocked_until = now + delay;
        delay
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
    fn failures_are_counted_per_address_and_block_it_for_a_while() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let a = IpAddr::from([10, 0, 0, 1]);
        let b = IpAddr::from([10, 0, 0, 2]);
        for _ in 0..FREE_FAILURES {
            assert_eq!(throttle.record_failure(a, start), Duration::ZERO);
        }
        assert_eq!(throttle.blocked(a, start), None);
        assert_eq!(
            throttle.record_failure(a, start),
            Duration::from_millis(100)
        );
        assert_eq!(throttle.blocked(a, start), Some(Duration::from_millis(100)));
        assert_eq!(
            throttle.blocked(a, start + Duration::from_millis(100)),
            None
        );
        assert_eq!(throttle.blocked(b, start), None);
        assert_eq!(throttle.record_failure(b, start), Duration::ZERO);
        assert_eq!(
            throttle.record_failure(a, start + WINDOW),
            Duration::ZERO,
            "a new window"
        );
    }

    #[test]
    fn ipv6_counts_by_slash_64_and_mapped_ipv4_as_ipv4() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1"
            .parse()
            .unwrap_or(IpAddr::from([0; 16]));
        let same_64: IpAddr = "2001:db8:1:2:bbbb::9"
            .parse()
            .unwrap_or(IpAddr::from([0; 16]));
        let other_64: IpAddr = "2001:db8:1:3::1".parse().unwrap_or(IpAddr::from([0; 16]));
        assert_eq!(address_key(one), address_key(same_64));
        assert_ne!(address_key(one), address_key(other_64));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap_or(IpAddr::from([0; 16]));
        assert_eq!(address_key(mapped), IpAddr::from([10, 0, 0, 1]));
    }
}
