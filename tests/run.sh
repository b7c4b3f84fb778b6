#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, then runs every test.
# .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# Reuse builds across runs on the same machine; a new machine builds from scratch.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/plinth/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

need_pip() {
  # usage: need_pip MODULE PACKAGE
  python3 -c "import $1" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "$2"
}

# Test peers started by the test harness itself (each on 127.0.0.1 with a free port).
if [ -d providers/aws ]; then
  need_pip moto "moto[server]>=5.2,<6"
fi

cargo test --workspace --locked "$@"
