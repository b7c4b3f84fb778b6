#!/usr/bin/env bash
# Plinth's benchmarks, every case in turn (each script prints its own table): the two-layer graph
# (layers.sh), module instances (modules.sh), fan-in and chain (shapes.sh), the no-op plan
# (noop.sh), and on request the refresh on the AWS emulator (refresh_moto.sh: AWS=1; it needs the
# AWS provider in the binary, which an engine-only build leaves out, and moto). Each script runs
# alone too, with its own knobs; they measure and report, and assert nothing. See README.md.
#   tests/bench/bench.sh                        # ./target/release/plinth, every engine case
#   PLINTH=/path/to/plinth TERRAFORM=0 REPEAT=1 tests/bench/bench.sh
#   AWS=1 PLINTH=/path/to/plinth-with-aws tests/bench/bench.sh    # and the refresh on moto
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
status=0
cases=(layers modules shapes noop)
[[ ${AWS:-0} == 1 ]] && cases+=(refresh_moto)
for s in "${cases[@]}"; do
    "$here/$s.sh" || status=1
done
exit $status
