//! The `plinth` command: the allocator, then the command line (`plinth::cli::main`, in the engine
//! library; each command lives in `src/cli/`) with the providers of this build
//! (`plinth_builtin::all`).

use std::process::ExitCode;

/// mimalloc rather than the system allocator: planning and applying make millions of small,
/// short-lived allocations (values, addresses), which glibc's malloc served slowly and left
/// fragmented (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    plinth::cli::main(plinth_builtin::all())
}
