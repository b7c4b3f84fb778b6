#!/usr/bin/env bash
# A clean release build (issue 18: <= 15 min on 2 cores): `cargo build --release --locked` of the
# workspace into an empty target directory, under /usr/bin/time, with a RUSTC_WRAPPER that records
# each rustc run's CPU time (cargo's --timings give wall time only, which other work on the machine
# inflates). Prints the build's wall, CPU and peak memory, the load average, and the crates that
# took the most CPU. Nothing is asserted. Takes 10-15 minutes on 2 cores, 2.5 GB of memory and about
# 3 GB of disk; the registry must already hold the crates (`cargo fetch --locked`), so the download
# is not timed.
#   tests/bench/build.sh                                  # a temporary target directory, deleted
#   BUILD_TARGET=/tmp/rel TOP=30 KEEP=1 tests/bench/build.sh
# Knobs: BUILD_TARGET (the target directory; emptied first; default: a new temporary one), TOP (the
# crates listed, 20), KEEP (1: keep the target directory and its cargo-timings report), CARGO_ARGS
# (more arguments to `cargo build`, e.g. "--no-default-features --features local").
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOP=${TOP:-20}
KEEP=${KEEP:-0}
work=$(mktemp -d "${TMPDIR:-/tmp}/plinth-build-bench.XXXXXX")
target=${BUILD_TARGET:-$work/target}
cleanup() {
    if [[ $KEEP == 1 ]]; then
        echo "kept: $target (cargo-timings/ inside) and $work"
    else
        rm -rf "$work"
        [[ -z ${BUILD_TARGET:-} ]] || rm -rf "$BUILD_TARGET"
    fi
}
trap cleanup EXIT
rm -rf "$target"
mkdir -p "$target"

# The wrapper: cargo runs it as `wrapper RUSTC ARGS...`; it appends "user sys wall crate" per run.
cat >"$work/rustc-time" <<'EOF'
#!/bin/sh
rustc="$1"; shift
name=-; prev=
for a in "$@"; do [ "$prev" = "--crate-name" ] && name=$a; prev=$a; done
exec /usr/bin/time -f "%U %S %e $name" -a -o "$RUSTC_TIME_LOG" "$rustc" "$@"
EOF
chmod +x "$work/rustc-time"

cd "$repo"
cargo fetch --locked >/dev/null 2>&1
echo "clean release build of $(git rev-parse --short HEAD 2>/dev/null || echo '?') into $target"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $(rustc --version)"
# shellcheck disable=SC2086 # CARGO_ARGS is a list of words (or none)
CARGO_TARGET_DIR=$target RUSTC_WRAPPER=$work/rustc-time RUSTC_TIME_LOG=$work/rustc.log \
    CARGO_TERM_COLOR=never /usr/bin/time -v -o "$work/time" \
    cargo build --release --locked --timings ${CARGO_ARGS:-} >"$work/cargo.log" 2>&1 || {
    tail -30 "$work/cargo.log"
    echo "the build failed (log above)" >&2
    exit 1
}
field() { grep -F "$1" "$work/time" | sed 's/.*: //'; }
user=$(field "User time") sys=$(field "System time")
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at end"
echo
echo "wall $(field "Elapsed (wall clock)")  cpu $(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.0f s = %.1f CPU-min", u + s, (u + s) / 60}')  peak $(($(field "Maximum resident") / 1024)) MB"
awk '{t += $1 + $2} END {printf "rustc %.0f s in %d runs; the rest (build scripts, C compilers, cargo) %.0f s\n", t, NR, '"$user + $sys"' - t}' "$work/rustc.log"
echo
echo "CPU s  crate (the $TOP largest rustc runs; aws_sdk_* together: $(awk '$4 ~ /^aws_sdk_/ {t += $1 + $2} END {printf "%.0f s", t}' "$work/rustc.log"))"
awk '{printf "%6.1f  %s\n", $1 + $2, $4}' "$work/rustc.log" | sort -rn | head -n "$TOP"
