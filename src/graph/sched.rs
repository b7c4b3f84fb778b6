//! The scheduling core every walk shares: when a node is ready, what a failure skips, and how many
//! jobs run at once.
//!
//! [`run`] walks any petgraph DAG whose edge `a -> b` means "b depends on a", in dependency order
//! ([`Order::Dependencies`]: creates, updates, evaluation) or in reverse ([`Order::Reverse`]:
//! deletes, where a node waits for everything that depends on it). Readiness is a count per node
//! of the neighbours it still waits for; every node is visited at most once and every edge looked
//! at twice (once to count, once to release), so a walk is linear in the graph. A node fails when
//! its visit or one of its jobs fails; then every node that waits for it is skipped (marked failed
//! without being visited) and the rest go on. Jobs run as tokio tasks, each holding one of
//! `parallelism` permits. A visit may also *defer* jobs ([`Jobs::defer`]): the walk asks the
//! visitor to start each ([`Visitor::start`]) only when the bound of jobs begun and unfinished
//! lets one more begin, so that a node of 100,000 instances holds no task (and its visitor no
//! prepared input) for the instances still waiting.
//!
//! An [`Interrupt`] (Ctrl-C) stops the walk gently: no node is visited and no job starts after
//! the first signal, while the jobs already running finish and are handed to the visitor as
//! usual; a second signal aborts those still running, and the [`Summary`] names them.
//!
//! What a node *means* (evaluating an expression, asking a provider to delete) is the
//! [`Visitor`]'s business: the forward walker in [`super::walk`] and the deletes in
//! `crate::apply` are the two visitors. This module knows nothing of configuration, providers or
//! state.

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::{JoinError, JoinSet};

use crate::interrupt::Interrupt;

/// Which way a walk follows the edges of a DAG whose edge `a -> b` means b depends on a.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// A node is visited after everything it depends on (creates, updates, evaluation).
    Dependencies,
    /// A node is visited after everything that depends on it (deletes).
    Reverse,
}

impl Order {
    /// The neighbours a node waits for.
    fn before(self) -> Direction {
        match self {
            Order::Dependencies => Direction::Incoming,
            Order::Reverse => Direction::Outgoing,
        }
    }

    /// The neighbours that wait for a node.
    fn after(self) -> Direction {
        match self {
            Order::Dependencies => Direction::Outgoing,
            Order::Reverse => Direction::Incoming,
        }
    }
}

/// What visiting a node did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visit {
    /// The node is finished: succeeded or failed.
    Done(bool),
    /// The node finishes when the jobs its visit started have finished, and succeeds when they all
    /// do (at once, and successfully, when it started none).
    Jobs,
}

/// The meaning of the nodes of one walk.
pub trait Visitor {
    /// What a job returns to [`Visitor::finished`].
    type Output: Send + 'static;

    /// Visits a ready node (everything it waits for succeeded). Work that should run in parallel
    /// goes to `jobs`; work done here holds up the walk, which suits cheap synchronous work.
    fn visit(&mut self, node: NodeIndex, jobs: &mut Jobs<Self::Output>) -> impl Future<Output = Visit> + Send;

    /// Starts one job that the visit of `node` deferred ([`Jobs::defer`]), once it may begin:
    /// [`Visit::Jobs`] when it spawned its work to `jobs` (one job, usually), [`Visit::Done`]
    /// when it finished at once. Deferred jobs start in the order they were deferred, each node's
    /// in turn. A visitor that never defers has nothing to start.
    fn start(&mut self, node: NodeIndex, jobs: &mut Jobs<Self::Output>) -> Visit {
        let _ = (node, jobs);
        Visit::Done(false)
    }

    /// Takes the output of one finished job of `node`; returns whether the job succeeded.
    fn finished(&mut self, node: NodeIndex, output: Self::Output) -> bool;

    /// A job panicked. Its node never finishes, so nothing that waits for it is visited.
    fn lost(&mut self, error: JoinError);
}

/// Jobs that may be begun and unfinished per parallelism permit (see `Jobs::in_flight`), and the
/// least: enough for the journal's group commit to batch hundreds of changes per fsync.
const IN_FLIGHT_PER_PERMIT: usize = 100;
const MIN_IN_FLIGHT: usize = 1_000;

/// The jobs of a walk: tokio tasks, at most `parallelism` of them holding a permit at once. A job
/// yields `None` when an interrupt came before it got its permit (it never started).
pub struct Jobs<T> {
    set: JoinSet<(NodeIndex, Option<T>)>,
    semaphore: Arc<Semaphore>,
    /// The jobs begun and not finished, a job that gave its permit back included (waiting for the
    /// state journal, say): at most [`IN_FLIGHT_PER_PERMIT`] per permit, so that a walk of
    /// 100,000 quick changes does not hold 100,000 running futures while their journal batches
    /// wait for fsync.
    in_flight: Arc<Semaphore>,
    /// The node being visited, which the jobs spawned now belong to.
    node: NodeIndex,
    /// How many jobs the current visit started (deferred ones included).
    started: usize,
    /// The jobs deferred and not started yet, per node in the order they were deferred.
    deferred: VecDeque<(NodeIndex, usize)>,
    /// The `in_flight` permit taken for the deferred job being started, which its task holds.
    reserved: Option<OwnedSemaphorePermit>,
    interrupt: Option<Interrupt>,
    /// What each job is about (its resource address), by task, to name the abandoned ones.
    labels: HashMap<tokio::task::Id, String>,
    /// The tasks that got their permit and began.
    running: Arc<Mutex<HashSet<tokio::task::Id>>>,
}

impl<T: Send + 'static> Jobs<T> {
    fn new(parallelism: usize, interrupt: Option<Interrupt>) -> Self {
        Jobs {
            set: JoinSet::new(),
            semaphore: Arc::new(Semaphore::new(parallelism.max(1))),
            in_flight: Arc::new(Semaphore::new(
                parallelism
                    .max(1)
                    .saturating_mul(IN_FLIGHT_PER_PERMIT)
                    .max(MIN_IN_FLIGHT),
            )),
            node: NodeIndex::end(),
            started: 0,
            deferred: VecDeque::new(),
            reserved: None,
            interrupt,
            labels: HashMap::new(),
            running: Arc::default(),
        }
    }

    /// Defers `n` jobs of the node being visited: the walk calls [`Visitor::start`] for each when
    /// the bound of jobs begun and unfinished lets it begin. Until then a deferred job costs
    /// nothing here but a count; what it will need is the visitor's to keep, as small as it can.
    pub fn defer(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        self.started += n;
        match self.deferred.back_mut() {
            Some((node, left)) if *node == self.node => *left += n,
            _ => self.deferred.push_back((self.node, n)),
        }
    }

    /// Starts a job for the node being visited, about `label` (a resource address); it runs once
    /// a parallelism permit is free and holds it to the end.
    pub fn spawn(&mut self, label: String, job: impl Future<Output = T> + Send + 'static) {
        self.spawn_with_permit(label, move |permit| async move {
            let _permit = permit;
            job.await
        });
    }

    /// Starts a job that is handed its parallelism permit once one is free, so that it may give
    /// it back before it ends (to wait for the state journal, say) and let the next job start.
    /// The permit is `None` only if the semaphore was closed, which this module never does.
    pub fn spawn_with_permit<F, Fut>(&mut self, label: String, job: F)
    where
        F: FnOnce(Option<OwnedSemaphorePermit>) -> Fut + Send + 'static,
        Fut: Future<Output = T> + Send + 'static,
    {
        let semaphore = self.semaphore.clone();
        let in_flight = self.in_flight.clone();
        let node = self.node;
        let interrupt = self.interrupt.clone();
        let running = self.running.clone();
        let reserved = self.reserved.take();
        self.started += 1;
        let handle = self.set.spawn(async move {
            // Held to the end, unlike the permit (a deferred job's was taken before it started).
            let _in_flight = match reserved {
                Some(p) => Some(p),
                None => in_flight.acquire_owned().await.ok(),
            };
            let permit = semaphore.acquire_owned().await.ok();
            if interrupt.as_ref().is_some_and(Interrupt::requested) {
                return (node, None);
            }
            if interrupt.is_some()
                && let Ok(mut r) = running.lock()
            {
                r.insert(tokio::task::id());
            }
            // Boxed, so that a task waiting for its permit holds only the job's captures, not
            // room for the whole future it will run (a walk may spawn many jobs at once).
            (node, Some(Box::pin(job(permit)).await))
        });
        if self.interrupt.is_some() {
            self.labels.insert(handle.id(), label);
        }
    }
}

/// How a walk ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Nodes in the walk.
    pub total: usize,
    /// Nodes that finished (visited or skipped).
    pub finished: usize,
    /// Nodes that failed, skipped ones included.
    pub failed: usize,
    /// Nodes skipped because something they wait for failed.
    pub skipped: usize,
    /// Nodes not visited and jobs not started because of an interrupt.
    pub not_started: usize,
    /// The labels of the jobs a second interrupt abandoned while they ran (they may have left
    /// their work half-done), in the order they were abandoned.
    pub abandoned: Vec<String>,
}

impl Summary {
    /// Every node finished and none failed.
    pub fn succeeded(&self) -> bool {
        self.finished == self.total && self.failed == 0
    }
}

/// Walks `graph` in `order`, visiting only the nodes in `include` when it is given (edges to other
/// nodes are ignored), with at most `parallelism` jobs holding a permit at once, stopping as
/// `interrupt` asks (see the module comment).
pub async fn run<N, E, V: Visitor>(
    graph: &DiGraph<N, E>,
    order: Order,
    include: Option<&HashSet<NodeIndex>>,
    parallelism: usize,
    interrupt: Option<&Interrupt>,
    visitor: &mut V,
) -> Summary {
    let mut s = Readiness::new(graph, order, include);
    let mut jobs = Jobs::new(parallelism, interrupt.cloned());
    // Per node: jobs still running, and whether all that finished succeeded.
    let mut running: Vec<(usize, bool)> = vec![(0, true); graph.node_count()];
    let mut abandoning = false;
    loop {
        start_deferred(&mut jobs, visitor, &mut running, &mut s, interrupt).await;
        while let Some(i) = s.ready.pop_front() {
            if interrupt.is_some_and(Interrupt::requested) {
                s.summary.not_started += 1;
                continue;
            }
            if s.upstream_failed[i.index()] {
                s.summary.skipped += 1;
                s.finish(i, false);
                continue;
            }
            jobs.node = i;
            jobs.started = 0;
            match visitor.visit(i, &mut jobs).await {
                Visit::Done(ok) => s.finish(i, ok),
                Visit::Jobs if jobs.started == 0 => s.finish(i, true),
                Visit::Jobs => running[i.index()] = (jobs.started, true),
            }
            // What the bound allows of this node's deferred jobs starts now, before the next
            // visit, as spawned jobs would have.
            start_deferred(&mut jobs, visitor, &mut running, &mut s, interrupt).await;
        }
        let joined = match interrupt {
            Some(interrupt) if !abandoning => tokio::select! {
                biased;
                joined = jobs.set.join_next_with_id() => joined,
                () = interrupt.until_abandoned() => {
                    abandoning = true;
                    jobs.set.abort_all();
                    continue;
                }
            },
            _ => jobs.set.join_next_with_id().await,
        };
        let Some(joined) = joined else {
            break;
        };
        let (i, output) = match joined {
            Ok((_, (i, Some(output)))) => (i, output),
            Ok((_, (_, None))) => {
                s.summary.not_started += 1;
                continue;
            }
            Err(e) if e.is_cancelled() => {
                let began = jobs.running.lock().map(|r| r.contains(&e.id())).unwrap_or(true);
                match jobs.labels.remove(&e.id()) {
                    Some(label) if began => s.summary.abandoned.push(label),
                    _ => s.summary.not_started += 1,
                }
                continue;
            }
            Err(e) => {
                visitor.lost(e);
                continue;
            }
        };
        let ok = visitor.finished(i, output);
        job_done(&mut running, &mut s, i, ok);
    }
    s.summary
}

/// Counts one finished job of node `i` (`running`: per node, the jobs not finished and whether
/// all that finished succeeded); the node finishes with its last job.
fn job_done<N, E>(running: &mut [(usize, bool)], s: &mut Readiness<'_, N, E>, i: NodeIndex, ok: bool) {
    let entry = &mut running[i.index()];
    entry.0 = entry.0.saturating_sub(1);
    entry.1 &= ok;
    if entry.0 == 0 {
        let ok = entry.1;
        s.finish(i, ok);
    }
}

/// Starts deferred jobs, in order, while the bound of jobs in flight lets one more begin (and at
/// least one when nothing runs, so that a walk never waits for nothing). After an interrupt none
/// starts: they count as not started.
async fn start_deferred<N, E, V: Visitor>(
    jobs: &mut Jobs<V::Output>,
    visitor: &mut V,
    running: &mut [(usize, bool)],
    s: &mut Readiness<'_, N, E>,
    interrupt: Option<&Interrupt>,
) {
    while let Some((node, left)) = jobs.deferred.front_mut() {
        if interrupt.is_some_and(Interrupt::requested) {
            s.summary.not_started += jobs.deferred.drain(..).map(|(_, n)| n).sum::<usize>();
            return;
        }
        let permit = match jobs.in_flight.clone().try_acquire_owned() {
            Ok(p) => Some(p),
            Err(_) if jobs.set.is_empty() => jobs.in_flight.clone().acquire_owned().await.ok(),
            Err(_) => return,
        };
        let node = *node;
        *left -= 1;
        if *left == 0 {
            jobs.deferred.pop_front();
        }
        jobs.node = node;
        jobs.started = 0;
        jobs.reserved = permit;
        let visit = visitor.start(node, jobs);
        jobs.reserved = None;
        // The deferred job counted in `running` is replaced by what it spawned.
        match visit {
            Visit::Done(ok) => job_done(running, s, node, ok),
            Visit::Jobs => {
                running[node.index()].0 += jobs.started;
                job_done(running, s, node, true);
            }
        }
    }
}

/// Readiness bookkeeping: how many neighbours each node still waits for, whether one of them
/// failed, and the queue of nodes ready to visit.
struct Readiness<'a, N, E> {
    graph: &'a DiGraph<N, E>,
    order: Order,
    include: Option<&'a HashSet<NodeIndex>>,
    waiting: Vec<usize>,
    upstream_failed: Vec<bool>,
    ready: VecDeque<NodeIndex>,
    summary: Summary,
}

impl<'a, N, E> Readiness<'a, N, E> {
    fn new(graph: &'a DiGraph<N, E>, order: Order, include: Option<&'a HashSet<NodeIndex>>) -> Self {
        let n = graph.node_count();
        let mut s = Readiness {
            graph,
            order,
            include,
            waiting: vec![0; n],
            upstream_failed: vec![false; n],
            ready: VecDeque::new(),
            summary: Summary::default(),
        };
        for i in graph.node_indices() {
            if !s.included(i) {
                continue;
            }
            s.summary.total += 1;
            let waiting = graph
                .neighbors_directed(i, order.before())
                .filter(|d| s.included(*d))
                .count();
            s.waiting[i.index()] = waiting;
            if waiting == 0 {
                s.ready.push_back(i);
            }
        }
        s
    }

    fn included(&self, i: NodeIndex) -> bool {
        self.include.is_none_or(|s| s.contains(&i))
    }

    /// Marks a node finished and queues the nodes whose last wait it was.
    fn finish(&mut self, i: NodeIndex, ok: bool) {
        self.summary.finished += 1;
        if !ok {
            self.summary.failed += 1;
        }
        for d in self.graph.neighbors_directed(i, self.order.after()) {
            if !self.included(d) {
                continue;
            }
            if !ok {
                self.upstream_failed[d.index()] = true;
            }
            self.waiting[d.index()] -= 1;
            if self.waiting[d.index()] == 0 {
                self.ready.push_back(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use expect_test::{Expect, expect};

    use super::*;

    /// A DAG from lines `a b c`: b and c depend on a. A lone name is a node with no edges.
    fn dag(spec: &str) -> DiGraph<String, ()> {
        let mut g = DiGraph::new();
        let mut index = std::collections::HashMap::new();
        let mut node = |g: &mut DiGraph<String, ()>, name: &str| {
            *index
                .entry(name.to_string())
                .or_insert_with(|| g.add_node(name.to_string()))
        };
        for line in spec.lines() {
            let mut names = line.split_whitespace();
            let Some(first) = names.next() else { continue };
            let a = node(&mut g, first);
            for b in names {
                let b = node(&mut g, b);
                g.add_edge(a, b, ());
            }
        }
        g
    }

    /// Runs one job per node that logs its start and end; the nodes in `fail` fail.
    struct Logger {
        names: Vec<String>,
        fail: Vec<&'static str>,
        log: Arc<Mutex<Vec<String>>>,
    }

    impl Visitor for Logger {
        type Output = bool;

        async fn visit(&mut self, node: NodeIndex, jobs: &mut Jobs<bool>) -> Visit {
            let name = self.names[node.index()].clone();
            let ok = !self.fail.contains(&name.as_str());
            let log = self.log.clone();
            jobs.spawn(String::new(), async move {
                push(&log, format!("start {name}"));
                tokio::task::yield_now().await;
                push(&log, format!("end {name}"));
                ok
            });
            Visit::Jobs
        }

        fn finished(&mut self, _node: NodeIndex, ok: bool) -> bool {
            ok
        }

        fn lost(&mut self, e: JoinError) {
            push(&self.log, format!("lost {e}"));
        }
    }

    fn push(log: &Mutex<Vec<String>>, line: String) {
        if let Ok(mut l) = log.lock() {
            l.push(line);
        }
    }

    /// Walks `spec` one job at a time (on one thread, so the log is deterministic) and shows the
    /// log and the summary.
    fn check(spec: &str, order: Order, fail: &[&'static str], expect: Expect) {
        let g = dag(spec);
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut v = Logger {
            names: g.node_weights().cloned().collect(),
            fail: fail.to_vec(),
            log: log.clone(),
        };
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let summary = rt.block_on(run(&g, order, None, 1, None, &mut v));
        let lines = log.lock().map(|l| l.join("\n")).unwrap_or_default();
        expect.assert_eq(&format!("{lines}\n{summary:?}"));
    }

    const DIAMOND: &str = "
        db app cache
        app web
        cache web
        lone
    ";

    #[test]
    fn dependencies_come_first() {
        check(
            DIAMOND,
            Order::Dependencies,
            &[],
            expect![[r#"
                start db
                end db
                start lone
                end lone
                start cache
                end cache
                start app
                end app
                start web
                end web
                Summary { total: 5, finished: 5, failed: 0, skipped: 0, not_started: 0, abandoned: [] }"#]],
        );
    }

    #[test]
    fn reverse_order_visits_dependents_first() {
        check(
            DIAMOND,
            Order::Reverse,
            &[],
            expect![[r#"
                start web
                end web
                start lone
                end lone
                start cache
                end cache
                start app
                end app
                start db
                end db
                Summary { total: 5, finished: 5, failed: 0, skipped: 0, not_started: 0, abandoned: [] }"#]],
        );
    }

    #[test]
    fn a_failure_skips_only_what_waits_for_it() {
        // app fails: web (its dependent) is skipped; cache, db and lone go on.
        check(
            DIAMOND,
            Order::Dependencies,
            &["app"],
            expect![[r#"
                start db
                end db
                start lone
                end lone
                start cache
                end cache
                start app
                end app
                Summary { total: 5, finished: 5, failed: 2, skipped: 1, not_started: 0, abandoned: [] }"#]],
        );
        // In reverse, what app depends on (db) waits for it and is skipped.
        check(
            DIAMOND,
            Order::Reverse,
            &["app"],
            expect![[r#"
                start web
                end web
                start lone
                end lone
                start cache
                end cache
                start app
                end app
                Summary { total: 5, finished: 5, failed: 2, skipped: 1, not_started: 0, abandoned: [] }"#]],
        );
    }

    #[test]
    fn a_skip_propagates_down_a_chain() {
        check(
            "a b\nb c\nc d",
            Order::Dependencies,
            &["a"],
            expect![[r#"
                start a
                end a
                Summary { total: 4, finished: 4, failed: 4, skipped: 3, not_started: 0, abandoned: [] }"#]],
        );
    }

    /// A node with several jobs: it fails when one fails, and finishes when the last one does.
    struct Fanned {
        jobs_per_node: usize,
        failing_job: Option<usize>,
        visited: Vec<NodeIndex>,
    }

    impl Visitor for Fanned {
        type Output = bool;

        async fn visit(&mut self, node: NodeIndex, jobs: &mut Jobs<bool>) -> Visit {
            self.visited.push(node);
            for k in 0..self.jobs_per_node {
                let ok = node.index() != 0 || Some(k) != self.failing_job;
                jobs.spawn(String::new(), async move { ok });
            }
            Visit::Jobs
        }

        fn finished(&mut self, _node: NodeIndex, ok: bool) -> bool {
            ok
        }

        fn lost(&mut self, _e: JoinError) {}
    }

    fn fanned(jobs_per_node: usize, failing_job: Option<usize>) -> (Summary, usize) {
        let g = dag("a b");
        let mut v = Fanned {
            jobs_per_node,
            failing_job,
            visited: Vec::new(),
        };
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let summary = rt.block_on(run(&g, Order::Dependencies, None, 2, None, &mut v));
        (summary, v.visited.len())
    }

    #[test]
    fn a_node_is_judged_by_all_its_jobs() {
        let (summary, visited) = fanned(3, None);
        assert!(summary.succeeded(), "{summary:?}");
        assert_eq!(visited, 2);
        let (summary, visited) = fanned(3, Some(2));
        assert_eq!((summary.failed, summary.skipped, visited), (2, 1, 1));
        // A visit that starts no job succeeds at once.
        let (summary, visited) = fanned(0, None);
        assert!(summary.succeeded(), "{summary:?}");
        assert_eq!(visited, 2);
    }

    #[test]
    fn include_limits_the_walk_and_ignores_edges_to_other_nodes() {
        let g = dag("a b\nb c");
        let include: HashSet<NodeIndex> = [NodeIndex::new(0), NodeIndex::new(2)].into();
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut v = Logger {
            names: g.node_weights().cloned().collect(),
            fail: Vec::new(),
            log: log.clone(),
        };
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let summary = rt.block_on(run(&g, Order::Dependencies, Some(&include), 1, None, &mut v));
        let lines = log.lock().map(|l| l.join("\n")).unwrap_or_default();
        expect![[r#"
            start a
            end a
            start c
            end c
            Summary { total: 2, finished: 2, failed: 0, skipped: 0, not_started: 0, abandoned: [] }"#]]
        .assert_eq(&format!("{lines}\n{summary:?}"));
    }

    /// Counts the jobs holding a permit at once and remembers the most.
    #[derive(Default)]
    struct Concurrency {
        running: Arc<AtomicUsize>,
        most: Arc<AtomicUsize>,
        jobs: usize,
    }

    impl Visitor for Concurrency {
        type Output = ();

        async fn visit(&mut self, _node: NodeIndex, jobs: &mut Jobs<()>) -> Visit {
            for _ in 0..self.jobs {
                let (running, most) = (self.running.clone(), self.most.clone());
                jobs.spawn(String::new(), async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                });
            }
            Visit::Jobs
        }

        fn finished(&mut self, _node: NodeIndex, (): ()) -> bool {
            true
        }

        fn lost(&mut self, _e: JoinError) {}
    }

    #[test]
    fn the_parallelism_limit_is_never_exceeded() {
        // 50 independent nodes of 4 jobs each, and a chain of 3 such nodes after them.
        let mut spec: String = (0..50).map(|i| format!("n{i}\n")).collect();
        spec.push_str("n0 c1\nc1 c2\n");
        let g = dag(&spec);
        for parallelism in [1, 3, 8] {
            let mut v = Concurrency {
                jobs: 4,
                ..Default::default()
            };
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_time()
                .build()
                .expect("runtime");
            let summary = rt.block_on(run(&g, Order::Dependencies, None, parallelism, None, &mut v));
            assert!(summary.succeeded(), "{summary:?}");
            let most = v.most.load(Ordering::SeqCst);
            assert!(
                most <= parallelism,
                "{most} jobs ran at once with parallelism {parallelism}"
            );
            assert!(most >= 1);
        }
        // On one thread the walk is deterministic: the limit is reached, not only respected.
        let mut v = Concurrency {
            jobs: 4,
            ..Default::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        rt.block_on(run(&g, Order::Reverse, None, 5, None, &mut v));
        assert_eq!(v.most.load(Ordering::SeqCst), 5);
    }

    /// Finishes every node at once, counting the visits.
    struct Count(usize);

    impl Visitor for Count {
        type Output = ();

        async fn visit(&mut self, _node: NodeIndex, _jobs: &mut Jobs<()>) -> Visit {
            self.0 += 1;
            Visit::Done(true)
        }

        fn finished(&mut self, _node: NodeIndex, (): ()) -> bool {
            true
        }

        fn lost(&mut self, _e: JoinError) {}
    }

    #[test]
    fn long_chains_and_wide_fans_are_walked_once_per_node() {
        const N: usize = 10_000;
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let mut chain: DiGraph<(), ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..N).map(|_| chain.add_node(())).collect();
        for w in nodes.windows(2) {
            chain.add_edge(w[0], w[1], ());
        }
        // Fan-out then fan-in: one root, N middle nodes, one sink that waits for all of them.
        let mut fan: DiGraph<(), ()> = DiGraph::new();
        let root = fan.add_node(());
        let sink = fan.add_node(());
        for _ in 0..N {
            let m = fan.add_node(());
            fan.add_edge(root, m, ());
            fan.add_edge(m, sink, ());
        }
        for g in [&chain, &fan] {
            for order in [Order::Dependencies, Order::Reverse] {
                let mut v = Count(0);
                let summary = rt.block_on(run(g, order, None, 4, None, &mut v));
                assert!(summary.succeeded(), "{summary:?}");
                assert_eq!(v.0, g.node_count());
            }
        }
        // With a job per node and a failure at the root, the rest is skipped, not visited.
        let mut v = Fanned {
            jobs_per_node: 1,
            failing_job: Some(0),
            visited: Vec::new(),
        };
        let summary = rt.block_on(run(&fan, Order::Dependencies, None, 4, None, &mut v));
        assert_eq!(v.visited.len(), 1);
        assert_eq!((summary.finished, summary.skipped), (N + 2, N + 1));
    }

    /// Defers `jobs` jobs per node and prepares each only when asked to start it; the start of
    /// the jobs in `fail` finishes at once, failed. Counts the jobs prepared and not finished.
    struct Deferring {
        jobs: usize,
        fail: Vec<usize>,
        prepared: Arc<AtomicUsize>,
        most: usize,
        started: Vec<usize>,
    }

    impl Visitor for Deferring {
        type Output = ();

        async fn visit(&mut self, _node: NodeIndex, jobs: &mut Jobs<()>) -> Visit {
            jobs.defer(self.jobs);
            Visit::Jobs
        }

        fn start(&mut self, node: NodeIndex, jobs: &mut Jobs<()>) -> Visit {
            let k = self.started[node.index()];
            self.started[node.index()] += 1;
            if self.fail.contains(&k) {
                return Visit::Done(false);
            }
            let now = self.prepared.fetch_add(1, Ordering::SeqCst) + 1;
            self.most = self.most.max(now);
            let prepared = self.prepared.clone();
            jobs.spawn(String::new(), async move {
                tokio::task::yield_now().await;
                prepared.fetch_sub(1, Ordering::SeqCst);
            });
            Visit::Jobs
        }

        fn finished(&mut self, _node: NodeIndex, (): ()) -> bool {
            true
        }

        fn lost(&mut self, _e: JoinError) {}
    }

    fn deferring(jobs: usize, fail: &[usize]) -> (Summary, Deferring) {
        let g = dag("a b");
        let mut v = Deferring {
            jobs,
            fail: fail.to_vec(),
            prepared: Arc::default(),
            most: 0,
            started: vec![0; g.node_count()],
        };
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let summary = rt.block_on(run(&g, Order::Dependencies, None, 2, None, &mut v));
        (summary, v)
    }

    #[test]
    fn deferred_jobs_start_only_when_the_bound_lets_them() {
        // 5,000 jobs per node, at most MIN_IN_FLIGHT (1,000) prepared at once, every one started.
        let (summary, v) = deferring(5_000, &[]);
        assert!(summary.succeeded(), "{summary:?}");
        assert_eq!(v.started, [5_000, 5_000]);
        assert!(
            (1..=MIN_IN_FLIGHT).contains(&v.most),
            "{} jobs were prepared at once",
            v.most
        );
        // A start that fails fails its node, and what waits for it is skipped.
        let (summary, v) = deferring(10, &[3]);
        assert_eq!(v.started, [10, 0]);
        assert_eq!((summary.failed, summary.skipped), (2, 1), "{summary:?}");
    }

    /// Jobs that wait until two of them run, then one of them interrupts (once or twice), and
    /// each runs on for `ms` milliseconds.
    struct Interrupting {
        names: Vec<String>,
        interrupt: Interrupt,
        signals: usize,
        ms: u64,
        finished: Vec<String>,
        both_running: Arc<tokio::sync::Barrier>,
    }

    impl Visitor for Interrupting {
        type Output = String;

        async fn visit(&mut self, node: NodeIndex, jobs: &mut Jobs<String>) -> Visit {
            let name = self.names[node.index()].clone();
            let (interrupt, signals, ms) = (self.interrupt.clone(), self.signals, self.ms);
            let both_running = self.both_running.clone();
            jobs.spawn(name.clone(), async move {
                if both_running.wait().await.is_leader() {
                    for _ in 0..signals {
                        interrupt.signal();
                    }
                }
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                name
            });
            Visit::Jobs
        }

        fn finished(&mut self, _node: NodeIndex, name: String) -> bool {
            self.finished.push(name);
            true
        }

        fn lost(&mut self, e: JoinError) {
            panic!("lost {e}");
        }
    }

    #[test]
    fn an_interrupt_lets_running_jobs_finish_and_starts_nothing_more() {
        let g = dag("a b\nc\nd\ne");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let mut v = Interrupting {
            names: g.node_weights().cloned().collect(),
            interrupt: Interrupt::new(),
            signals: 1,
            ms: 20,
            finished: Vec::new(),
            both_running: Arc::new(tokio::sync::Barrier::new(2)),
        };
        let interrupt = v.interrupt.clone();
        // Two at once: a and c start, interrupt, and finish; b (after a), d and e never start.
        let summary = rt.block_on(run(&g, Order::Dependencies, None, 2, Some(&interrupt), &mut v));
        v.finished.sort();
        assert_eq!(v.finished, ["a", "c"]);
        assert!(summary.abandoned.is_empty());
        assert_eq!(summary.finished, 2);
        assert_eq!(summary.not_started, 3, "{summary:?}");
        assert!(!summary.succeeded());
    }

    #[test]
    fn a_second_interrupt_abandons_the_running_jobs_and_names_them() {
        let g = dag("a\nb\nc");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        let mut v = Interrupting {
            names: g.node_weights().cloned().collect(),
            interrupt: Interrupt::new(),
            signals: 2,
            ms: 60_000,
            finished: Vec::new(),
            both_running: Arc::new(tokio::sync::Barrier::new(2)),
        };
        let interrupt = v.interrupt.clone();
        let summary = rt.block_on(run(&g, Order::Dependencies, None, 2, Some(&interrupt), &mut v));
        assert!(v.finished.is_empty());
        let mut abandoned = summary.abandoned.clone();
        abandoned.sort();
        assert_eq!(abandoned, ["a", "b"]);
        assert_eq!(summary.not_started, 1, "{summary:?}");
    }
}
