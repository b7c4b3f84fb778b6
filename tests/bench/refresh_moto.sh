#!/usr/bin/env bash
# Refresh on the AWS emulator (issue 18): INSTANCES `aws_instance` (count) and SAGEMAKER SageMaker
# objects (half model package groups, half models) applied through Plinth against `moto_server`,
# then `plinth plan` (which refreshes every object first) at each of PARALLELISMS, REPEAT times.
# The API calls are counted by the harness, never by Plinth: moto runs behind a WSGI wrapper
# (moto_counting.py) that logs one "SERVICE ACTION" line per request, and the lines each plan adds
# are the calls of that refresh. Prints calls per action, aws_instance calls per 20 instances
# (goal: <= 1) and the wall time at each parallelism. Needs the AWS provider in the binary and
# moto (`pip install 'moto[server]'`; tests/run.sh installs it).
#   tests/bench/refresh_moto.sh                          # $CARGO_TARGET_DIR/debug/plinth
#   PLINTH=/tmp/plinth INSTANCES=100 SAGEMAKER=10 PARALLELISMS="10" REPEAT=1 tests/bench/refresh_moto.sh
# Knobs beyond lib.sh's: INSTANCES (500), SAGEMAKER (50), PARALLELISMS ("10 50"), PROFILE (the
# build profile printed; default: guessed from the binary's path), OPTIONS (1: the instances also
# set `disable_api_termination` and `credit_specification`, whose refresh costs one
# DescribeInstanceAttribute per instance and one DescribeInstanceCreditSpecifications per 200).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -z ${PLINTH:-} ]]; then
    target=${CARGO_TARGET_DIR:-$here/../../target}
    PLINTH=$target/debug/plinth
    if [[ -x $target/release/plinth && $("$target/release/plinth" version 2>&1) == *"provider aws"* ]]; then
        PLINTH=$target/release/plinth
    fi
fi
TERRAFORM=0 # no Terraform side: its AWS provider is a download, and this case counts moto's calls
source "$here/lib.sh"
INSTANCES=${INSTANCES:-500}
SAGEMAKER=${SAGEMAKER:-50}
PARALLELISMS=${PARALLELISMS:-10 50}
OPTIONS=${OPTIONS:-0}
options=""
if [[ $OPTIONS == 1 ]]; then
    options='
  disable_api_termination = false
  credit_specification {
    cpu_credits = "standard"
  }'
fi
case $PLINTH in
*/debug/*) PROFILE=${PROFILE:-debug} ;;
*/release/*) PROFILE=${PROFILE:-release} ;;
*) PROFILE=${PROFILE:-unknown} ;;
esac

if [[ $("$PLINTH" version 2>&1) != *"provider aws"* ]]; then
    echo "bench: $PLINTH has no AWS provider; build it with the default features:" >&2
    echo "bench:   cargo build --bin plinth      (a debug build is enough: the time is in moto)" >&2
    exit 1
fi
if ! python3 -c "import moto.server, werkzeug" 2>/dev/null; then
    echo "bench: moto is missing: pip install 'moto[server]' (tests/run.sh installs it)" >&2
    exit 1
fi

# moto on a free port of 127.0.0.1, stopped (by its pid) when the script ends.
calls="$work/calls.log"
: >"$calls"
port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
python3 "$here/moto_counting.py" 127.0.0.1 "$port" "$calls" >"$work/moto.out" 2>&1 &
moto_pid=$!
refresh_cleanup() {
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true # moto's status after the signal is not an error
    bench_cleanup
}
trap refresh_cleanup EXIT
for ((i = 0; i < 300; i++)); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$moto_pid" 2>/dev/null || { echo "bench: moto exited:" >&2; tail -n 20 "$work/moto.out" >&2; exit 1; }
    sleep 0.1
done
if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: moto did not start within 30 s" >&2
    exit 1
fi
moto_version=$(python3 -c "import moto; print(moto.__version__)")

# The AWS chain pointing at moto, as the tests set it (tests/support/moto.rs, plinth_command).
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(AWS_|PLINTH_)')
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
    AWS_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 PLINTH_AWS_FAST_WAITS=1 AWS_EC2_METADATA_DISABLED=true \
    AWS_CONFIG_FILE="$work/no-aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/no-aws-credentials" NO_COLOR=1

dir="$work/refresh"
mkdir -p "$dir"
groups=$((SAGEMAKER / 2))
models=$((SAGEMAKER - groups))
cat >"$dir/main.hcl" <<HCL
provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "node" {
  count         = $INSTANCES
  ami           = "ami-03cf127a"
  instance_type = "t3.micro"$options
  tags = {
    Name = "bench-node-\${count.index}"
    team = "ml"
  }
}

resource "aws_sagemaker_model_package_group" "registry" {
  count                          = $groups
  model_package_group_name       = "bench-registry-\${count.index}"
  model_package_group_description = "benchmark group \${count.index}"
  tags = {
    team = "ml"
  }
}

resource "aws_sagemaker_model" "serving" {
  count              = $models
  name               = "bench-model-\${count.index}"
  execution_role_arn = "arn:aws:iam::123456789012:role/sm"
  primary_container {
    image          = "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:\${count.index}"
    model_data_url = "s3://models/bench/model.tar.gz"
  }
  tags = {
    team = "ml"
  }
}
HCL

header "refresh of $INSTANCES aws_instance + $SAGEMAKER SageMaker objects on moto $moto_version ($PROFILE build)"

# count_since LINE : the request log from line LINE+1 on, as "COUNT SERVICE ACTION MS" lines (MS:
# the time moto spent on those requests, summed).
count_since() {
    tail -n +"$(($1 + 1))" "$calls" | awk '{ n[$1 " " $2]++; ms[$1 " " $2] += $3 } END { for (k in n) printf "%d %s %.0f\n", n[k], k, ms[k] }' | sort -k2
}
lines() { wc -l <"$calls"; }

echo "bench: apply (set-up, --parallelism 50) ..." >&2
before=$(lines)
run_timed "$dir/apply" 0 "$PLINTH" -C "$dir" --no-color apply --auto-approve --parallelism 50 >"$work/apply.run"
read -r apply_wall _ _ <"$work/apply.run"
count_since "$before" >"$work/apply.calls"
launched=$(awk '$3 == "RunInstances" { print $1 }' "$work/apply.calls")
echo "bench: apply wall ${apply_wall}s, $(awk '{ n += $1 } END { print n + 0 }' "$work/apply.calls") calls, RunInstances ${launched:-0}" >&2
if ((failed > 0)); then
    echo "bench: the set-up apply failed; nothing to refresh" >&2
    exit 1
fi

# The refreshes: REPEAT plans at each parallelism, each expected to find nothing to change.
for p in $PARALLELISMS; do
    : >"$work/plan-$p.runs"
    for ((i = 1; i <= REPEAT; i++)); do
        before=$(lines)
        run_timed "$dir/plan-$p-$i" 0 "$PLINTH" -C "$dir" --no-color plan --detailed-exitcode --parallelism "$p" >>"$work/plan-$p.runs"
        count_since "$before" >"$work/plan-$p-$i.calls"
    done
    record plinth refresh "$p" plan "$work/plan-$p.runs"
done
# The same plan without the refresh (no API call): what the engine and the binary's start cost.
: >"$work/plan-norefresh.runs"
for ((i = 1; i <= REPEAT; i++)); do
    before=$(lines)
    run_timed "$dir/plan-norefresh-$i" 0 "$PLINTH" -C "$dir" --no-color plan --detailed-exitcode --refresh=false >>"$work/plan-norefresh.runs"
    count_since "$before" >"$work/plan-norefresh-$i.calls"
done
record plinth refresh norefresh plan "$work/plan-norefresh.runs"

# The table: wall time per parallelism, then the calls of one refresh per action (the first run
# at each parallelism; a later run that differs is flagged).
echo
with=""
[[ $OPTIONS == 1 ]] && with=" (with disable_api_termination and credit_specification)"
echo "Refresh on the AWS emulator: $INSTANCES aws_instance$with + $groups aws_sagemaker_model_package_group + $models aws_sagemaker_model"
echo "  plinth:  $plinth_version, $PLINTH ($PROFILE build, built $bin_date; tree at $git_rev)"
echo "  moto:    $moto_version on 127.0.0.1:$port; calls counted by the harness (moto_counting.py), one per HTTP request"
echo "  machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at end; figures are medians of $REPEAT runs"
echo "  set-up:  apply at --parallelism 50: ${apply_wall} s wall, $(awk '{ n += $1 } END { print n + 0 }' "$work/apply.calls") calls (RunInstances: ${launched:-0})"
echo
printf '%-12s %8s %7s %8s %7s\n' parallelism "wall s" "cpu s" "peak MB" calls
printf '%-12s %8s %7s %8s %7s\n' ------------ -------- ------- -------- -------
while IFS=$'\t' read -r _ _ p _ wall cpu rss _; do
    note=""
    [[ $p == norefresh ]] && note="  plan --refresh=false: no API call, the engine and the binary's start alone"
    printf '%-12s %8s %7s %8s %7s%s\n' "$p" "$wall" "$cpu" $((rss / 1024)) "$(awk '{ n += $1 } END { print n + 0 }' "$work/plan-$p-1.calls")" "$note"
done <"$results"
echo
ps=($PARALLELISMS)
printf '%-10s %-40s' service action
for p in "${ps[@]}"; do printf ' %7s' "p=$p"; done
printf ' %12s %11s\n' "per 20 inst" "moto ms p=${ps[0]}"
cat "$work"/plan-*-1.calls | awk '{ print $2, $3 }' | sort -u | while read -r svc action; do
    printf '%-10s %-40s' "$svc" "$action"
    n1="" ms1=""
    for p in "${ps[@]}"; do
        read -r n ms < <(awk -v s="$svc" -v a="$action" '$2 == s && $3 == a { print $1, $4 }' "$work/plan-$p-1.calls") || true
        n=${n:-0}
        [[ -z $n1 ]] && n1=$n ms1=${ms:-0}
        printf ' %7s' "$n"
    done
    per=""
    [[ $svc == ec2 ]] && per=$(awk -v n="$n1" -v k="$INSTANCES" 'BEGIN { printf "%.2f", n * 20 / k }')
    printf ' %12s %11s\n' "$per" "$ms1"
done
total() { awk -v s="$1" '$2 == s || s == "" { n += $1 } END { print n + 0 }' "$work/plan-${ps[0]}-1.calls"; }
ec2=$(total ec2)
sm=$(total sagemaker)
per20=$(awk -v n="$ec2" -v k="$INSTANCES" 'BEGIN { printf "%.2f", n * 20 / k }')
echo
echo "aws_instance (every ec2 call): $ec2 calls for $INSTANCES instances = $per20 per 20 instances (goal <= 1: $(awk -v v="$per20" 'BEGIN { print (v <= 1) ? "ok" : "MISSED" }'))"
echo "SageMaker (every sagemaker call): $sm calls for $SAGEMAKER objects; other calls: $(($(total "") - ec2 - sm))"
echo "(moto ms: the time moto took to answer those calls in the first run, summed; calls made at once overlap)"
# Every run at a parallelism should make the same calls.
for p in "${ps[@]}"; do
    for ((i = 2; i <= REPEAT; i++)); do
        cmp -s <(cut -d' ' -f1-3 "$work/plan-$p-1.calls") <(cut -d' ' -f1-3 "$work/plan-$p-$i.calls") || echo "note: run $i at parallelism $p made different calls: $(cut -d' ' -f1-3 "$work/plan-$p-$i.calls" | paste -sd' ')"
    done
done
if ((failed > 0)); then
    echo
    echo "WARNING: $failed command(s) exited with an unexpected code; see the messages above."
    exit 1
fi
