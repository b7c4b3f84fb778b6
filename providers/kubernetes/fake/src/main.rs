//! `plinth-kube-fake KUBECONFIG`: runs the fake API server until it is stopped (Ctrl-C, `kill`)
//! and writes a kubeconfig pointing at it, so that the Kubernetes examples can be tried without a
//! cluster:
//!
//! ```sh
//! cargo run -p plinth-kube-fake -- /tmp/fake-kubeconfig &
//! KUBECONFIG=/tmp/fake-kubeconfig plinth -C examples/kubernetes-platform apply
//! ```
//!
//! Everything it stores is lost when it stops.

use std::path::PathBuf;
use std::process::ExitCode;

use plinth_kube_fake::FakeApi;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!(
            "usage: plinth-kube-fake KUBECONFIG\n  writes a kubeconfig for the fake API server to KUBECONFIG and serves until stopped"
        );
        return ExitCode::from(1);
    };
    let api = FakeApi::start();
    if let Err(e) = api.write_kubeconfig(&path, None) {
        eprintln!("error: cannot write {}: {e}", path.display());
        return ExitCode::from(1);
    }
    eprintln!(
        "fake Kubernetes API server on {}; kubeconfig written to {}\nexport KUBECONFIG={}\n(Ctrl-C stops it)",
        api.url(),
        path.display(),
        path.display()
    );
    // The server runs on its own thread; this one only keeps the process alive.
    loop {
        std::thread::park();
    }
}
