#!/usr/bin/env bash
# Plinth's benchmarks, every case in turn (each script prints its own table): the two-layer graph
# (layers.sh), module instances (modules.sh), fan-in and chain (shapes.sh), the no-op plan
# (noop.sh). Each script runs alone too, with its own knobs; they measure and report, and assert
# nothing. See README.md.
#   tests/bench/bench.sh                        # ./target/release/plinth, every case
#   PLINTH=/path/to/plinth TERRAFORM=0 REPEAT=1 tests/bench/bench.sh
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
status=0
for s in layers modules shapes noop; do
    "$here/$s.sh" || status=1
done
exit $status
