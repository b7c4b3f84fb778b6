#!/usr/bin/env bash
# Two-layer graph of `local_value` instances (l2[i].input = l1[i].output): apply from an empty state,
# then re-plan (no changes), at 10,000 and 100,000 instances; Terraform beside it at TF_SIZE.
#   SIZES="10000 100000" TF_SIZE=1000 tests/bench/layers.sh      (see README.md)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$bench_dir/cases.sh"
SIZES=${SIZES:-"10000 100000"}
TF_SIZE=${TF_SIZE:-1000}
GOAL["layers 100000 apply"]="wall<=3 rss<=300"
GOAL["layers 100000 replan"]="wall<=1.5 rss<=300"
GOAL["layers 10000 apply"]="wall<=0.4"
GOAL["layers 10000 replan"]="wall<=0.2"
header "two-layer local_value graph"
bench_both layers "$SIZES" "$TF_SIZE" "apply replan"
print_table "Two-layer graph: apply from empty state, then re-plan (no changes)"
