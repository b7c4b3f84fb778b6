# Shared by the benchmark scripts of tests/bench/ (sourced, never run): the timing of one command,
# the medians, the Terraform/OpenTofu side of a case and the table. Each script defines its case as
# a function `write_CASE DIR KIND SIZE` (KIND is `local_value` for Plinth, `terraform_data` for
# Terraform) and calls `bench_case` for each engine and size, then `print_table`. See README.md.
#
# Environment (all scripts):
#   PLINTH     the plinth binary (default: <repo>/target/release/plinth)
#   REPEAT     runs per plinth measurement; the table shows the median (default 3)
#   TF_REPEAT  runs per terraform measurement (default 1)
#   TERRAFORM  0 = skip the comparison; default: run it when `terraform` or `tofu` is on the PATH
#   TF_BIN     which of the two to run (default: terraform, else tofu)
#   KEEP       1 = keep the temporary directory (its path is printed) instead of deleting it
set -euo pipefail
export LC_ALL=C

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$bench_dir/../.." && pwd)
PLINTH=${PLINTH:-$repo/target/release/plinth}
REPEAT=${REPEAT:-3}
TF_REPEAT=${TF_REPEAT:-1}
KEEP=${KEEP:-0}
if [[ -z ${TF_BIN:-} ]]; then
    if command -v terraform >/dev/null 2>&1; then TF_BIN=terraform; elif command -v tofu >/dev/null 2>&1; then TF_BIN=tofu; else TF_BIN=""; fi
fi
if [[ -z ${TERRAFORM+x} ]]; then
    if [[ -n $TF_BIN ]]; then TERRAFORM=1; else TERRAFORM=0; fi
fi

TIME=/usr/bin/time
if ! "$TIME" -v true >/dev/null 2>&1; then
    echo "bench: GNU time is missing at $TIME (needed for peak RSS)." >&2
    echo "bench: install it with:  apt-get update && apt-get install -y time" >&2
    exit 1
fi
if [[ ! -x $PLINTH ]]; then
    echo "bench: no plinth binary at $PLINTH; build one (see tests/bench/README.md) or set PLINTH" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/plinth-bench.XXXXXX")
bench_cleanup() {
    if [[ $KEEP == 1 ]]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# Terraform offline and quiet: no CLI config, no update check, no prompts.
: >"$work/empty.tfrc"
export TF_CLI_CONFIG_FILE="$work/empty.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export RUST_LOG=${RUST_LOG:-warn}

results="$work/results.tsv" # engine case size step wall cpu rss runs
: >"$results"
failed=0
declare -A GOAL=() # "case size step" -> "wall<=S" and/or "rss<=MB", space separated

# run_timed OUT_PREFIX EXPECTED_RC CMD... : runs CMD under /usr/bin/time -v, its output in
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

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run_step ENGINE DIR STEP : one command of a case. Steps: `plan` (from an empty state: changes
# expected), `apply` (from an empty state), `replan` (after apply: no changes expected). Prints
# the run_timed line.
run_step() {
    local engine=$1 dir=$2 step=$3
    local -a cmd
    case $engine:$step in
    plinth:plan) cmd=("$PLINTH" -C "$dir" --no-color plan --detailed-exitcode) ;;
    plinth:replan) cmd=("$PLINTH" -C "$dir" --no-color plan --detailed-exitcode) ;;
    plinth:apply) cmd=("$PLINTH" -C "$dir" --no-color apply --auto-approve) ;;
    terraform:plan | terraform:replan) cmd=("$TF_BIN" -chdir="$dir" plan -detailed-exitcode -input=false -no-color) ;;
    terraform:apply) cmd=("$TF_BIN" -chdir="$dir" apply -auto-approve -input=false -no-color) ;;
    esac
    local expect=0
    [[ $step == plan ]] && expect=2
    run_timed "$dir/$step" "$expect" "${cmd[@]}"
}

# bench_case ENGINE CASE SIZE STEPS : REPEAT (TF_REPEAT) times, in a fresh directory each: write
# the configuration with write_CASE, run the STEPS in order (a step written `-apply` runs without
# being recorded: the set-up of a re-plan), and record the median of each recorded step.
bench_case() {
    local engine=$1 case=$2 size=$3 steps=$4
    local reps=$REPEAT kind=local_value i dir step name
    if [[ $engine == terraform ]]; then reps=$TF_REPEAT kind=terraform_data; fi
    for step in $steps; do : >"$work/$engine-$case-$size-${step#-}.runs"; done
    for ((i = 1; i <= reps; i++)); do
        dir="$work/$engine-$case-$size-$i"
        "write_$case" "$dir" "$kind" "$size"
        if [[ $engine == terraform ]]; then
            run_timed "$dir/init" 0 "$TF_BIN" -chdir="$dir" init -input=false -no-color >/dev/null
        fi
        for step in $steps; do
            name=${step#-}
            run_step "$engine" "$dir" "$name" >>"$work/$engine-$case-$size-$name.runs"
        done
        [[ $KEEP == 1 ]] || rm -rf "$dir"
    done
    for step in $steps; do
        [[ $step == -* ]] && continue
        record "$engine" "$case" "$size" "$step" "$work/$engine-$case-$size-$step.runs"
    done
}

# record ENGINE CASE SIZE STEP FILE : FILE holds one "wall cpu rss" line per run.
record() {
    local engine=$1 case=$2 size=$3 step=$4 file=$5 runs wall cpu rss
    runs=$(wc -l <"$file")
    wall=$(cut -d' ' -f1 "$file" | median)
    cpu=$(cut -d' ' -f2 "$file" | median)
    rss=$(cut -d' ' -f3 "$file" | median)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$case" "$size" "$step" "$wall" "$cpu" "$rss" "$runs" >>"$results"
    printf 'bench: %-9s %-8s %7s %-6s wall %7ss  cpu %6ss  rss %5d MB  (median of %d; all: %s)\n' \
        "$engine" "$case" "$size" "$step" "$wall" "$cpu" $((rss / 1024)) "$runs" "$(cut -d' ' -f1 "$file" | paste -sd' ')" >&2
}

# bench_both CASE PLINTH_SIZES TF_SIZE STEPS : Plinth at every size (and at TF_SIZE), the other
# engine at TF_SIZE when it is on the PATH (TF_SIZE empty or 0: no comparison).
bench_both() {
    local case=$1 sizes=$2 tf_size=$3 steps=$4 n
    for n in $sizes; do bench_case plinth "$case" "$n" "$steps"; done
    if [[ $TERRAFORM == 1 && -n $tf_size && $tf_size != 0 ]]; then
        [[ " $sizes " == *" $tf_size "* ]] || bench_case plinth "$case" "$tf_size" "$steps"
        bench_case terraform "$case" "$tf_size" "$steps"
    fi
}

header() {
    local title=$1
    plinth_version=$("$PLINTH" version 2>&1 | head -n 1)
    bin_date=$(date -r "$PLINTH" '+%Y-%m-%d %H:%M:%S')
    git_rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "?")
    tf_version=""
    if [[ $TERRAFORM == 1 ]]; then tf_version=$("$TF_BIN" version -no-color 2>/dev/null | head -n 1); fi
    echo "bench: $title" >&2
    echo "bench: $plinth_version ($PLINTH, built $bin_date; work tree at $git_rev)" >&2
    echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" >&2
}

# verdict GOALS WALL RSS_MB : "ok" or "MISSED ..." for goals like "wall<=3 rss<=300".
verdict() {
    local goals=$1 wall=$2 rss=$3 g out=""
    for g in $goals; do
        local what=${g%%<=*} limit=${g#*<=} v
        if [[ $what == wall ]]; then v=$wall; else v=$rss; fi
        if awk -v v="$v" -v l="$limit" 'BEGIN { exit !(v <= l) }'; then out+=" $what ok"; else out+=" $what MISSED"; fi
    done
    echo "${out# }"
}

print_table() {
    local title=$1
    echo
    echo "$title"
    echo "  plinth:  $plinth_version, $PLINTH (built $bin_date; tree at $git_rev)"
    [[ -n $tf_version ]] && grep -q "^terraform" "$results" && echo "  compare: $tf_version (terraform_data, offline)"
    echo "  machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at end; plinth figures are medians of $REPEAT runs"
    echo "           (wall time is measured under whatever else runs on the machine; cpu = user + system)"
    echo
    printf '%-8s %8s %-7s %8s %7s %8s  %-32s %9s %8s\n' case size step "wall s" "cpu s" "peak MB" goal "other s" ratio
    printf '%-8s %8s %-7s %8s %7s %8s  %-32s %9s %8s\n' -------- -------- ------- -------- ------- -------- -------------------------------- --------- --------
    local engine case size step wall cpu rss runs goal tfw ratio mb
    while IFS=$'\t' read -r engine case size step wall cpu rss runs; do
        [[ $engine == plinth ]] || continue
        mb=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
        goal=${GOAL["$case $size $step"]:-}
        [[ -n $goal ]] && goal="$goal: $(verdict "$goal" "$wall" "$mb")"
        tfw=$(awk -F'\t' -v c="$case" -v s="$size" -v t="$step" '$1 == "terraform" && $2 == c && $3 == s && $4 == t { print $5 }' "$results")
        ratio=""
        [[ -n $tfw ]] && ratio=$(awk -v a="$tfw" -v b="$wall" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "inf" }')
        printf '%-8s %8s %-7s %8s %7s %8s  %-32s %9s %8s\n' "$case" "$size" "$step" "$wall" "$cpu" "$mb" "$goal" "$tfw" "$ratio"
    done <"$results"
    if ((failed > 0)); then
        echo
        echo "WARNING: $failed command(s) exited with an unexpected code; see the messages above."
        return 1
    fi
    return 0
}
