#!/usr/bin/env bash
# `plinth plan` with nothing to do on a SIZE-instance state (the two-layer graph, applied first,
# untimed). Terraform beside it at TF_SIZE.
#   SIZES=1000 TF_SIZE=1000 tests/bench/noop.sh      (see README.md)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$bench_dir/cases.sh"
SIZES=${SIZES:-1000}
TF_SIZE=${TF_SIZE:-1000}
GOAL["layers 1000 replan"]="wall<=0.05"
header "no-op plan"
bench_both layers "$SIZES" "$TF_SIZE" "-apply replan"
print_table "No-op plan on an applied state"
