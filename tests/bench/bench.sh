#!/usr/bin/env bash
# Plinth scale benchmark: a two-layer graph of `local_value` instances, and the same graph beside
# `terraform` with `terraform_data`. It measures and reports; it asserts nothing about times and is
# not part of the test suite. See tests/bench/README.md.
#
#   tests/bench/bench.sh                 # uses ./target/release/plinth (build it first)
#   BUILD=1 tests/bench/bench.sh         # runs `cargo build --release` first
#   PLINTH=/path/to/plinth SIZES="5000 10000" REPEAT=3 TERRAFORM=0 tests/bench/bench.sh
#
# Environment:
#   PLINTH     the plinth binary        (default: <repo>/target/release/plinth)
#   BUILD      1 = cargo build --release first (default 0)
#   SIZES      instances per layer for the plinth-only runs (default "5000 10000": 10,000 and
#              20,000 instances in all)
#   TF_SIZE    instances per layer for the terraform comparison (default 500: 1,000 in all)
#   REPEAT     runs per plinth measurement; the table shows the median (default 3)
#   TF_REPEAT  runs per terraform measurement (default 1; one terraform apply of 1,000 takes ~20 s)
#   TERRAFORM  0 = skip the terraform comparison (default: run it when `terraform` is on the PATH)
#   KEEP       1 = keep the temporary directory (its path is printed) instead of deleting it
#
# Needs GNU time at /usr/bin/time for peak RSS (`/usr/bin/time -v`, "Maximum resident set size").
# On Debian/Ubuntu:  apt-get update && apt-get install -y time
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
PLINTH=${PLINTH:-$repo/target/release/plinth}
BUILD=${BUILD:-0}
SIZES=${SIZES:-"5000 10000"}
TF_SIZE=${TF_SIZE:-500}
REPEAT=${REPEAT:-3}
TF_REPEAT=${TF_REPEAT:-1}
KEEP=${KEEP:-0}
if [[ -z ${TERRAFORM+x} ]]; then
    if command -v terraform >/dev/null 2>&1; then TERRAFORM=1; else TERRAFORM=0; fi
fi

# Goals from the issue (reported against, never asserted).
GOAL_APPLY_S=3.0       # 10,000 instances: apply from empty state
GOAL_PLAN_S=1.5        # 10,000 instances: re-plan, no changes
GOAL_RSS_MB=200        # peak RSS of either
GOAL_APPLY_RATIO=50    # terraform apply / plinth apply at 1,000 instances
GOAL_PLAN_RATIO=10     # terraform plan / plinth plan at 1,000 instances

TIME=/usr/bin/time
if ! "$TIME" -v true >/dev/null 2>&1; then
    echo "bench: GNU time is missing at $TIME (needed for peak RSS)." >&2
    echo "bench: install it with:  apt-get update && apt-get install -y time" >&2
    exit 1
fi

if [[ $BUILD == 1 ]]; then
    echo "bench: cargo build --release" >&2
    (cd "$repo" && cargo build --release)
fi
if [[ ! -x $PLINTH ]]; then
    echo "bench: no plinth binary at $PLINTH; run 'cargo build --release' (or BUILD=1 $0)" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/plinth-bench.XXXXXX")
cleanup() {
    if [[ $KEEP == 1 ]]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Terraform offline and quiet: no CLI config, no update check, no prompts.
: >"$work/empty.tfrc"
export TF_CLI_CONFIG_FILE="$work/empty.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
# No logging noise from plinth unless the caller asked for it.
export RUST_LOG=${RUST_LOG:-warn}

results="$work/results.tsv"   # label <TAB> wall_s <TAB> cpu_s <TAB> rss_kb <TAB> runs
: >"$results"
failed=0

# run_timed OUT_PREFIX EXPECTED_RC CMD... : runs CMD under /usr/bin/time -v with stdout/stderr in
# OUT_PREFIX.out; prints "wall_s cpu_s rss_kb". A wrong exit code is reported and counted.
run_timed() {
    local prefix=$1 expect=$2
    shift 2
    local rc=0 t0 t1
    t0=$EPOCHREALTIME
    "$TIME" -v -o "$prefix.time" "$@" >"$prefix.out" 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    if [[ $rc != "$expect" ]]; then
        echo "bench: '$*' exited $rc, expected $expect; last lines of its output:" >&2
        tail -n 15 "$prefix.out" >&2
        failed=$((failed + 1))
    fi
    # Wall time from bash's microsecond clock (GNU time rounds to 10 ms); CPU and RSS from time -v.
    awk -F': ' -v t0="$t0" -v t1="$t1" '
        BEGIN { wall = t1 - t0 }
        /User time \(seconds\)/   { cpu += $2 }
        /System time \(seconds\)/ { cpu += $2 }
        /Maximum resident set size/ { rss = $2 }
        END { printf "%.3f %.2f %d\n", wall, cpu, rss }
    ' "$prefix.time"
}

# record LABEL FILE : FILE holds one "wall cpu rss" line per run; stores the median of each column.
record() {
    local label=$1 file=$2
    local runs wall cpu rss
    runs=$(wc -l <"$file")
    wall=$(cut -d' ' -f1 "$file" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    cpu=$(cut -d' ' -f2 "$file" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    rss=$(cut -d' ' -f3 "$file" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$cpu" "$rss" "$runs" >>"$results"
    printf 'bench: %-34s wall %6ss  cpu %6ss  rss %6d MB  (median of %d; all: %s)\n' \
        "$label" "$wall" "$cpu" $((rss / 1024)) "$runs" "$(cut -d' ' -f1 "$file" | paste -sd' ')" >&2
}

# write_config DIR KIND N : the two-layer graph, KIND is local_value or terraform_data.
write_config() {
    local dir=$1 kind=$2 n=$3 ext=hcl
    [[ $kind == terraform_data ]] && ext=tf
    mkdir -p "$dir"
    cat >"$dir/main.$ext" <<EOF
resource "$kind" "l1" {
  count = $n
  input = "v-\${count.index}"
}

resource "$kind" "l2" {
  count = $n
  input = $kind.l1[count.index].output
}
EOF
}

# bench_plinth N : apply from empty state, then re-plan (no changes), REPEAT times each.
bench_plinth() {
    local n=$1 total=$(($1 * 2)) i dir
    local applies="$work/plinth-$n-apply.runs" plans="$work/plinth-$n-plan.runs"
    : >"$applies"
    : >"$plans"
    for ((i = 1; i <= REPEAT; i++)); do
        dir="$work/plinth-$n-$i"
        write_config "$dir" local_value "$n"
        run_timed "$dir/apply" 0 "$PLINTH" -C "$dir" --no-color apply --auto-approve >>"$applies"
        run_timed "$dir/plan" 0 "$PLINTH" -C "$dir" --no-color plan --detailed-exitcode >>"$plans"
        [[ $KEEP == 1 ]] || rm -rf "$dir"
    done
    record "plinth apply   ($total inst)" "$applies"
    record "plinth re-plan ($total inst)" "$plans"
}

bench_terraform() {
    local n=$1 total=$(($1 * 2)) i dir
    local inits="$work/tf-$n-init.runs" applies="$work/tf-$n-apply.runs" plans="$work/tf-$n-plan.runs"
    : >"$inits"
    : >"$applies"
    : >"$plans"
    for ((i = 1; i <= TF_REPEAT; i++)); do
        dir="$work/tf-$n-$i"
        write_config "$dir" terraform_data "$n"
        run_timed "$dir/init" 0 terraform -chdir="$dir" init -input=false -no-color >>"$inits"
        run_timed "$dir/apply" 0 terraform -chdir="$dir" apply -auto-approve -input=false -no-color >>"$applies"
        run_timed "$dir/plan" 0 terraform -chdir="$dir" plan -detailed-exitcode -input=false -no-color >>"$plans"
        [[ $KEEP == 1 ]] || rm -rf "$dir"
    done
    record "terraform init    ($total inst)" "$inits"
    record "terraform apply   ($total inst)" "$applies"
    record "terraform re-plan ($total inst)" "$plans"
}

get() { # get LABEL COLUMN(2=wall,3=cpu,4=rss)
    awk -F'\t' -v l="$1" -v c="$2" '$1 == l { print $c }' "$results"
}

# ---- what is being measured ----------------------------------------------------------------------
plinth_version=$("$PLINTH" version 2>&1 | head -n 1)
bin_date=$(date -r "$PLINTH" '+%Y-%m-%d %H:%M:%S')
git_rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "?")
git_dirty=$(git -C "$repo" status --porcelain --untracked-files=no -- src providers Cargo.toml Cargo.lock 2>/dev/null | wc -l)
tf_version=""
if [[ $TERRAFORM == 1 ]]; then tf_version=$(terraform version -no-color 2>/dev/null | head -n 1); fi
echo "bench: $plinth_version ($PLINTH, built $bin_date; work tree now at $git_rev with $git_dirty modified files in src/providers)" >&2
echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" >&2

# ---- run --------------------------------------------------------------------------------------------
for n in $SIZES; do bench_plinth "$n"; done
if [[ $TERRAFORM == 1 ]]; then
    bench_terraform "$TF_SIZE"
    # Plinth at the same size, in the same run.
    already=0
    for n in $SIZES; do [[ $n == "$TF_SIZE" ]] && already=1; done
    [[ $already == 1 ]] || bench_plinth "$TF_SIZE"
fi

# ---- table ------------------------------------------------------------------------------------------
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
verdict() { # verdict VALUE OP GOAL -> "ok" / "MISSED"
    awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN {
        ok = (op == "<") ? (v < g) : (v >= g); print ok ? "ok" : "MISSED" }'
}

echo
echo "Plinth benchmark — two-layer graph (l2[i].input = l1[i].output)"
echo "  plinth:    $plinth_version, $PLINTH (built $bin_date; work tree now at $git_rev + $git_dirty modified files)"
[[ -n $tf_version ]] && echo "  terraform: $tf_version (terraform_data, offline)"
echo "  machine:   $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at end; plinth figures are medians of $REPEAT runs"
echo
printf '%-32s %9s %9s %9s   %s\n' "measurement" "wall s" "cpu s" "peak MB" "goal"
printf '%-32s %9s %9s %9s   %s\n' "--------------------------------" "-------" "-------" "-------" "----"
while IFS=$'\t' read -r label wall cpu rss runs; do
    goal=""
    if [[ $label == "plinth apply   (10000 inst)" ]]; then
        goal="< ${GOAL_APPLY_S} s: $(verdict "$wall" '<' "$GOAL_APPLY_S"); < ${GOAL_RSS_MB} MB: $(verdict "$(mb "$rss")" '<' "$GOAL_RSS_MB")"
    elif [[ $label == "plinth re-plan (10000 inst)" ]]; then
        goal="< ${GOAL_PLAN_S} s: $(verdict "$wall" '<' "$GOAL_PLAN_S"); < ${GOAL_RSS_MB} MB: $(verdict "$(mb "$rss")" '<' "$GOAL_RSS_MB")"
    fi
    printf '%-32s %9s %9s %9s   %s\n' "$label" "$wall" "$cpu" "$(mb "$rss")" "$goal"
done <"$results"

if [[ $TERRAFORM == 1 ]]; then
    total=$((TF_SIZE * 2))
    tfa=$(get "terraform apply   ($total inst)" 2)
    tfp=$(get "terraform re-plan ($total inst)" 2)
    pa=$(get "plinth apply   ($total inst)" 2)
    pp=$(get "plinth re-plan ($total inst)" 2)
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }'; }
    ra=$(ratio "$tfa" "$pa")
    rp=$(ratio "$tfp" "$pp")
    echo
    printf 'at %d instances: terraform/plinth apply  %6s x   (goal >= %sx: %s)\n' "$total" "$ra" "$GOAL_APPLY_RATIO" \
        "$(verdict "$ra" '>=' "$GOAL_APPLY_RATIO")"
    printf 'at %d instances: terraform/plinth plan   %6s x   (goal >= %sx: %s)\n' "$total" "$rp" "$GOAL_PLAN_RATIO" \
        "$(verdict "$rp" '>=' "$GOAL_PLAN_RATIO")"
fi
if ((failed > 0)); then
    echo
    echo "WARNING: $failed command(s) exited with an unexpected code; see the messages above."
    exit 1
fi
