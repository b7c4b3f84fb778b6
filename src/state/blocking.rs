//! The one runtime the backends that talk to a server (postgres, s3) run their async drivers on,
//! and [`run`], which waits for one call on it. The [`super::Backend`] trait is synchronous; a
//! backend's call may come from inside the engine's runtime or from none, so each call is spawned
//! on this runtime and waited for over a channel, which never nests runtimes.

use std::future::Future;
use std::sync::OnceLock;

/// The backends' runtime: one worker thread, alive for the whole process.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("plinth-backend")
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("cannot start the state backends' runtime: {e}"))
    })
}

/// Runs `f` on the backends' runtime and waits for it (from any thread, inside another runtime
/// or not).
pub(crate) fn run<T: Send + 'static>(f: impl Future<Output = T> + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    runtime().spawn(async move {
        let _ = tx.send(f.await);
    });
    match rx.recv() {
        Ok(v) => v,
        Err(_) => panic!("the state backends' runtime stopped"),
    }
}
