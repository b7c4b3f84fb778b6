#!/usr/bin/env bash
# Plinth's benchmarks, every case in turn (each script prints its own table): the two-layer graph
# (layers.sh), module instances (modules.sh), fan-in and chain (shapes.sh), the no-op plan
# (noop.sh), and the refresh on the AWS emulator (refresh_moto.sh) when RUN_MOTO=1. Each script runs
# alone too, with its own knobs; they measure and report, and assert nothing. See README.md.
#   tests/bench/bench.sh                        # ./target/release/plinth, every case
#   PLINTH=/path/to/plinth TERRAFORM=0 REPEAT=1 tests/bench/bench.sh
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
status=0
for s in layers modules shapes noop; do
    "$here/$s.sh" || status=1
done
if [[ ${RUN_MOTO:-0} == 1 ]]; then "$here/refresh_moto.sh" || status=1; fi
exit $status
