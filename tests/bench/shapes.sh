#!/usr/bin/env bash
# Graph shapes: a fan-in (one resource depending on FANIN others) and a chain CHAIN deep, each a
# separate resource block; plan from an empty state, then apply. Terraform beside it at
# TF_FANIN and TF_CHAIN.
#   FANIN=10000 CHAIN=5000 TF_FANIN=1000 TF_CHAIN=500 tests/bench/shapes.sh      (see README.md)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$bench_dir/cases.sh"
FANIN=${FANIN:-10000}
CHAIN=${CHAIN:-5000}
TF_FANIN=${TF_FANIN:-1000}
TF_CHAIN=${TF_CHAIN:-500}
GOAL["fanin 10000 plan"]="wall<=1"
GOAL["fanin 10000 apply"]="wall<=1"
GOAL["chain 5000 plan"]="wall<=1"
GOAL["chain 5000 apply"]="wall<=1"
header "fan-in and chain"
bench_both fanin "$FANIN" "$TF_FANIN" "plan apply"
bench_both chain "$CHAIN" "$TF_CHAIN" "plan apply"
print_table "Graph shapes: fan-in (SIZE resources into one) and chain (SIZE deep); plan, then apply"
