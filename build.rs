//! Build script of the `plinth` package: links its binary with packed relative relocations
//! (DT_RELR, `-z pack-relative-relocs`) where the machine can load them. With every provider, the
//! binary has about 560,000 relative relocations: unpacked, a 13 MB table that the dynamic loader
//! reads at every start, so every command's peak memory is 14 MB higher (docs/performance.md,
//! "What changed", 28). Packed, the table is under 130 KB.
//!
//! Only glibc 2.36 and later load packed relocations, and the linker marks a packed binary as
//! needing them (`GLIBC_ABI_DT_RELR`), so an older glibc would refuse to start it. The script
//! therefore packs only when building for the machine it runs on (`cargo install`, `cargo build`)
//! and a probe program linked the same way starts there; everywhere else the binary links as
//! before.

use std::env;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const PACK: &str = "link-arg=-Wl,-z,pack-relative-relocs";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if native_linux_gnu() && probe_starts() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
        // For tests/build_profile.rs, which checks the binary.
        println!("cargo:rustc-env=PLINTH_PACKED_RELOCATIONS=1");
    }
}

fn native_linux_gnu() -> bool {
    env::var("HOST").ok() == env::var("TARGET").ok()
        && env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu")
}

/// Links an empty program with packed relocations (with the build's own rustc and flags) and
/// runs it: true only when both work.
fn probe_starts() -> bool {
    let (Some(rustc), Some(out)) = (env::var_os("RUSTC"), env::var_os("OUT_DIR")) else {
        return false;
    };
    let out = PathBuf::from(out);
    let source = out.join("relr_probe.rs");
    let program = out.join("relr_probe");
    if std::fs::write(&source, "fn main() {}\n").is_err() {
        return false;
    }
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let linked = Command::new(rustc)
        .args(flags.split('\x1f').filter(|f| !f.is_empty()))
        .args(["--edition=2021", "-C", PACK, "-o"])
        .arg(&program)
        .arg(&source)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    linked
        && Command::new(&program)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}
