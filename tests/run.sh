#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, then runs every test.
# .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# Reuse builds across runs on the same machine; a new machine builds from scratch.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/plinth/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Every run builds from scratch or on top of a previous one: incremental caches only cost disk here.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# Cargo never deletes old artifacts, so a target directory reused across many commits (and
# profiles or features) grows until the disk is full; a full test build takes about 30 GB, 25 of
# them its 130 test executables. With less than that free, first drop the test executables (cargo
# relinks the ones it needs) and the incremental caches, then, if that is not enough, the whole
# debug build.
need_gb=${PLINTH_TEST_DISK_GB:-30}
free_gb() { df -Pk "$CARGO_TARGET_DIR" | awk 'NR == 2 { print int($4 / 1048576) }'; }
mkdir -p "$CARGO_TARGET_DIR"
if [ "$(free_gb)" -lt "$need_gb" ] && [ -d "$CARGO_TARGET_DIR/debug" ]; then
  echo "run.sh: less than $need_gb GB free beside $CARGO_TARGET_DIR: removing old test executables" >&2
  rm -rf "$CARGO_TARGET_DIR/debug/incremental"
  find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f -perm -u+x ! -name '*.*' -delete
  if [ "$(free_gb)" -lt "$need_gb" ]; then
    echo "run.sh: still less than $need_gb GB free: removing $CARGO_TARGET_DIR/debug (a full rebuild)" >&2
    rm -rf "$CARGO_TARGET_DIR/debug"
  fi
fi

need_pip() {
  # usage: need_pip MODULE PACKAGE
  python3 -c "import $1" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "$2"
}

need_deb() {
  # usage: need_deb COMMAND PACKAGE: installs Debian's PACKAGE when COMMAND is missing.
  command -v "$1" >/dev/null && return 0
  if ! apt-cache policy "$2" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get update >&2 || true
  fi
  apt-get install -y "$2" >&2
}

# The tools tests use to check Plinth's work with something other than Plinth: git repositories
# for module sources, tar archives, keys checked by ssh-keygen and openssl.
need_deb git git
need_deb tar tar
need_deb ssh-keygen openssh-client
need_deb openssl openssl
need_deb python3 python3
# The postgres state backend's peer: a real server the tests start (tests/support/postgres.rs)
# from Debian's binaries in /usr/lib/postgresql/VERSION/bin, checked with psql.
need_deb psql postgresql-client
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update >&2 || true
  apt-get install -y postgresql >&2
fi

# Test peers started by the test harness itself (each on 127.0.0.1 with a free port).
if [ -d providers/aws ]; then
  need_pip moto "moto[server]>=5.2,<6"
fi
# The MLflow provider's peer: a real `mlflow server` (tests/support/mlflow.rs); its basic-auth app
# (`--app-name basic-auth`, the wrong-token and wrong-password tests) needs Flask-WTF, MLflow's
# `auth` extra.
need_pip mlflow "mlflow>=3.17,<4"
need_pip flask_wtf "Flask-WTF<2"
# The independent side of the data-drift check (tests/drift/check_drift.py): scipy's ks_2samp and
# chi2_contingency, numpy's quantiles, and pyarrow to write Parquet samples. After mlflow, so that
# a pyarrow mlflow brings along is kept.
need_pip numpy "numpy>=2,<3"
need_pip scipy "scipy>=1.15,<2"
need_pip pyarrow "pyarrow>=18,<26"

# Code hygiene first (fast to fail): canonical formatting and no clippy warning anywhere, tests
# included, and the trimmed AWS SDK. PLINTH_LINT=0 skips them, for a quick local run of some tests.
if [ "${PLINTH_LINT:-1}" != 0 ]; then
  cargo fmt --all --check
  cargo clippy --workspace --all-targets --locked -- -D warnings
  # vendor/aws-sdk is exactly the published SDK releases of Cargo.lock, less the operations no
  # source of Plinth calls (tools/trim_sdk.py remakes them from crates.io and compares).
  python3 tools/trim_sdk.py --check
fi

# The Kubernetes provider's peer: the real control plane, built from its Go modules into
# ~/.cache/plinth (once per machine) and started once for the whole suite, stopped when this
# script exits, also on failure (tests started by hand start their own: tests/cluster/src/lib.rs).
log=$(mktemp)
cluster=$(mktemp -d)
trap 'tests/cluster/down.sh "$cluster" >/dev/null 2>&1 || true; rm -rf "$log" "$cluster"' EXIT
if [ -d providers/kubernetes ]; then
  tests/cluster/up.sh "$cluster" >/dev/null
  export PLINTH_TEST_CLUSTER="$cluster"
fi
set +e
cargo test --workspace --locked "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole suite: cargo prints one result per test binary, the last of
# which is often an empty doc-test run.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) g += $i } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, g }' "$log"
exit "$status"
