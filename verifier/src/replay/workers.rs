//! The threads and workers of one phase of a run.
//!
//! A phase runs on [`worker_threads`] OS threads (two per CPU), each with its own
//! single-threaded tokio runtime, so that a request, its response and the matching all happen on one thread with no
//! hand-over between threads. A thread runs its share of the phase's workers; each worker
//! takes the next interaction from [`PhaseRun`]'s counter, verifies it over its own
//! [`Session`] and leaves the report in the run's finished list.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;
use tokio::task::JoinSet;

use super::plan::PlannedInteraction;
use super::report::InteractionReport;
use super::{Replayer, Session, interaction};
use crate::source::LoadedContract;

/// One phase while it runs: what is left to take, what has finished, and how many threads are
/// still at work.
#[derive(Debug)]
pub(crate) struct PhaseRun {
    /// Indexes into the plan, in the order they are taken.
    items: Vec<usize>,
    /// The next entry of `items` to take.
    next: AtomicUsize,
    /// Reports not yet handed to the progress callback, with their plan index.
    finished: Mutex<Vec<(usize, InteractionReport)>>,
    /// Threads not yet done.
    threads_left: AtomicUsize,
    /// Notified when the last thread is done.
    pub(crate) ended: Notify,
}

impl PhaseRun {
    pub(crate) fn new(items: Vec<usize>, threads: usize) -> PhaseRun {
        PhaseRun {
            items,
            next: AtomicUsize::new(0),
            finished: Mutex::new(Vec::new()),
            threads_left: AtomicUsize::new(threads),
            ended: Notify::new(),
        }
    }

    /// The next interaction to verify (an index into the plan), if any is left.
    fn next_slot(&self) -> Option<usize> {
        let at = self.next.fetch_add(1, Ordering::Relaxed);
        self.items.get(at).copied()
    }

    fn finish(&self, slot: usize, report: InteractionReport) {
        self.finished
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((slot, report));
    }

    /// The reports finished since the last call. The list left behind has the room the taken
    /// one had, so that the workers' pushes until the next call do not grow it step by step
    /// (each step a copy of every report so far).
    pub(crate) fn take_finished(&self) -> Vec<(usize, InteractionReport)> {
        let mut finished = self.finished.lock().unwrap_or_else(PoisonError::into_inner);
        let room = finished.capacity();
        std::mem::replace(&mut *finished, Vec::with_capacity(room))
    }

    /// Marks one thread done; the last one notifies [`PhaseRun::ended`].
    pub(crate) fn thread_done(&self) {
        if self.threads_left.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.ended.notify_one();
        }
    }

    pub(crate) fn all_threads_done(&self) -> bool {
        self.threads_left.load(Ordering::Acquire) == 0
    }
}

/// How many threads a phase with `limit` interactions in flight runs on: two per CPU, no more
/// than `limit`.
///
/// In CI the provider usually runs on the same machine and competes for the same cores, and a
/// verifier needs more CPU per request than a provider answering from memory; with more
/// runnable threads it gets a fairer share. Measured with bench/ (nginx on the same 2 cores,
/// `--concurrency 32`, 5 000 interactions, median of 9 alternating runs): 2 threads 114 000
/// requests/s, 3 threads 123 000, 4 threads 127 000. (`wrk` on the same machine does best
/// with 2 threads.)
pub(crate) fn worker_threads(limit: usize) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    cpus.saturating_mul(2).min(limit).max(1)
}

/// `workers` spread over `threads` as evenly as possible.
pub(crate) fn split(workers: usize, threads: usize) -> Vec<usize> {
    let threads = threads.max(1);
    (0..threads)
        .map(|index| workers / threads + usize::from(index < workers % threads))
        .collect()
}

/// Marks the thread done however it ends, a panic included.
struct ThreadDone<'a>(&'a PhaseRun);

impl Drop for ThreadDone<'_> {
    fn drop(&mut self) {
        self.0.thread_done();
    }
}

/// The body of one worker thread: `workers` workers on a single-threaded runtime until the
/// phase has no interaction left. A worker that panics loses its interaction (reported as
/// stopped) and the others go on.
pub(crate) fn run_thread(
    run: &Arc<PhaseRun>,
    replayer: &Arc<Replayer>,
    contracts: &Arc<Vec<LoadedContract>>,
    planned: &Arc<[PlannedInteraction]>,
    workers: usize,
) {
    let _done = ThreadDone(run);
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        let mut running = JoinSet::new();
        for _ in 0..workers {
            running.spawn(worker(
                Arc::clone(run),
                Arc::clone(replayer),
                Arc::clone(contracts),
                Arc::clone(planned),
            ));
        }
        while running.join_next().await.is_some() {}
    });
}

async fn worker(
    run: Arc<PhaseRun>,
    replayer: Arc<Replayer>,
    contracts: Arc<Vec<LoadedContract>>,
    planned: Arc<[PlannedInteraction]>,
) {
    let mut session = Session::new(replayer.client.clone(), replayer.options.request_timeout);
    while let Some(slot) = run.next_slot() {
        let item = planned[slot];
        let loaded = &contracts[item.contract];
        let interaction = &loaded.contract.interactions[item.interaction];
        let report =
            interaction::verify(&replayer, &mut session, interaction, loaded.pending).await;
        run.finish(slot, report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_are_spread_evenly() {
        assert_eq!(split(32, 2), [16, 16]);
        assert_eq!(split(5, 2), [3, 2]);
        assert_eq!(split(1, 1), [1]);
        assert_eq!(split(3, 4), [1, 1, 1, 0]);
    }

    #[test]
    fn a_phase_ends_when_its_last_thread_is_done() {
        let run = PhaseRun::new(vec![4, 7], 2);
        assert_eq!(run.next_slot(), Some(4));
        assert_eq!(run.next_slot(), Some(7));
        assert_eq!(run.next_slot(), None);
        run.thread_done();
        assert!(!run.all_threads_done());
        run.thread_done();
        assert!(run.all_threads_done());
    }
}
