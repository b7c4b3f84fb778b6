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
//! `parallelism` permits.
//!
//! What a node *means* (evaluating an expression, asking a provider to delete) is the
//! [`Visitor`]'s business: the forward walker in [`super::walk`] and the deletes in
//! `crate::apply` are the two visitors. This module knows nothing of configuration, providers or
//! state.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::sync::Arc;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::{JoinError, JoinSet};

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
    fn visit(&mut self, node: NodeIndex, jobs: &mut Jobs<Self::Output>) -> impl Future<Output = Visit>;

    /// Takes the output of one finished job of `node`; returns whether the job succeeded.
    fn finished(&mut self, node: NodeIndex, output: Self::Output) -> bool;

    /// A job panicked. Its node never finishes, so nothing that waits for it is visited.
    fn lost(&mut self, error: JoinError);
}

/// The jobs of a walk: tokio tasks, at most `parallelism` of them holding a permit at once.
pub struct Jobs<T> {
    set: JoinSet<(NodeIndex, T)>,
    semaphore: Arc<Semaphore>,
    /// The node being visited, which the jobs spawned now belong to.
    node: NodeIndex,
    /// How many jobs the current visit started.
    started: usize,
}

impl<T: Send + 'static> Jobs<T> {
    fn new(parallelism: usize) -> Self {
        Jobs {
            set: JoinSet::new(),
            semaphore: Arc::new(Semaphore::new(parallelism.max(1))),
            node: NodeIndex::end(),
            started: 0,
        }
    }

    /// Starts a job for the node being visited. The job is given its parallelism permit once one is
    /// free; it may drop the permit before it ends (to wait for the state journal, say) so that
    /// the next job can start. The permit is `None` only if the semaphore was closed, which this
    /// module never does.
    pub fn spawn<F, Fut>(&mut self, job: F)
    where
        F: FnOnce(Option<OwnedSemaphorePermit>) -> Fut + Send + 'static,
        Fut: Future<Output = T> + Send + 'static,
    {
        let semaphore = self.semaphore.clone();
        let node = self.node;
        self.started += 1;
        self.set.spawn(async move {
            let permit = semaphore.acquire_owned().await.ok();
            (node, job(permit).await)
        });
    }
}

/// How a walk ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Nodes in the walk.
    pub total: usize,
    /// Nodes that finished (visited or skipped).
    pub finished: usize,
    /// Nodes that failed, skipped ones included.
    pub failed: usize,
    /// Nodes skipped because something they wait for failed.
    pub skipped: usize,
}

impl Summary {
    /// Every node finished and none failed.
    pub fn succeeded(&self) -> bool {
        self.finished == self.total && self.failed == 0
    }
}

/// Walks `graph` in `order`, visiting only the nodes in `include` when it is given (edges to other
/// nodes are ignored), with at most `parallelism` jobs holding a permit at once.
pub async fn run<N, E, V: Visitor>(
    graph: &DiGraph<N, E>,
    order: Order,
    include: Option<&HashSet<NodeIndex>>,
    parallelism: usize,
    visitor: &mut V,
) -> Summary {
    let mut s = Readiness::new(graph, order, include);
    let mut jobs = Jobs::new(parallelism);
    // Per node: jobs still running, and whether all that finished succeeded.
    let mut running: Vec<(usize, bool)> = vec![(0, true); graph.node_count()];
    loop {
        while let Some(i) = s.ready.pop_front() {
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
        }
        let Some(joined) = jobs.set.join_next().await else {
            break;
        };
        let (i, output) = match joined {
            Ok(r) => r,
            Err(e) => {
                visitor.lost(e);
                continue;
            }
        };
        let ok = visitor.finished(i, output);
        let entry = &mut running[i.index()];
        entry.0 = entry.0.saturating_sub(1);
        entry.1 &= ok;
        if entry.0 == 0 {
            let ok = entry.1;
            s.finish(i, ok);
        }
    }
    s.summary
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
