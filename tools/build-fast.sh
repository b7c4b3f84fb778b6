#!/usr/bin/env bash
# Runs cargo with the AWS SDK trimmed to the operations Plinth calls (tools/trim_sdk.py): a clean
# release build then costs about a third less CPU (docs/performance.md, "Build time"). The arguments
# are cargo's:
#   tools/build-fast.sh install --path .          # install `plinth` on your PATH
#   tools/build-fast.sh build --release           # target/release/plinth
# The trimmed crates are written to $PLINTH_SDK_DIR (default ~/.cache/plinth/sdk-trimmed), again
# only when the locked version or the operations kept change (a minute the first time). Cargo
# records the patched crates in Cargo.lock: the checkout's Cargo.lock is put back afterwards, so the
# plain `cargo build` is unaffected, but while this runs another cargo command in the checkout sees
# the patched lock (and `--locked` fails there). Needs python3.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${PLINTH_SDK_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/plinth/sdk-trimmed}
python3 "$repo/tools/trim_sdk.py" "$dir"
cp "$repo/Cargo.lock" "$dir/Cargo.lock.checkout"
trap 'cp "$dir/Cargo.lock.checkout" "$repo/Cargo.lock"' EXIT
cd "$repo"
cargo --config "$dir/patch.toml" "$@"
