#!/usr/bin/env bash
# Module-heavy configuration: SIZE instances of one module (for_each) with VARS variables and two
# resources each; plan from an empty state. Terraform beside it at TF_SIZE.
#   SIZES=500 VARS=60 TF_SIZE=500 tests/bench/modules.sh      (see README.md)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$bench_dir/cases.sh"
SIZES=${SIZES:-500}
TF_SIZE=${TF_SIZE:-500}
export VARS=${VARS:-60}
GOAL["modules 500 plan"]="wall<=1"
header "module instances x $VARS variables x 2 resources"
bench_both modules "$SIZES" "$TF_SIZE" "plan"
print_table "Modules: SIZE module instances x $VARS variables x 2 resources, plan from empty state"
