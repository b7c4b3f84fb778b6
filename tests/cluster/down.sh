#!/usr/bin/env bash
# Stops the test control plane that tests/cluster/up.sh DIR started, in the order kwok, scheduler,
# controller-manager, apiserver, etcd (the apiserver hangs in shutdown if etcd goes first): SIGTERM,
# a bounded wait, then SIGKILL. Idempotent: a missing pid file or a process already gone is fine,
# so it also cleans up after an up.sh that failed half-way. Data and logs stay in DIR.
set -uo pipefail
[[ $# -eq 1 && -n $1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
[[ -d $1 ]] || exit 0
D=$(cd "$1" && pwd)
grace=${PLINTH_CLUSTER_STOP_TIMEOUT:-15}
# alive: exists and is not a zombie (up.sh, on failure, calls this while still the parent)
alive() { [[ -r /proc/$1/stat ]] && [[ $(cut -d' ' -f3 < "/proc/$1/stat" 2>/dev/null) != Z ]]; }
for name in kwok scheduler controller-manager apiserver etcd; do
  f=$D/$name.pid
  [[ -f $f ]] || continue
  pid=$(cat "$f" 2>/dev/null)
  # only a live process whose command line is still ours (the pid may have been reused)
  if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" \
     && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$D"; then
    kill -TERM "$pid" 2>/dev/null
    deadline=$((SECONDS + grace))
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    if alive "$pid"; then
      echo "down.sh: $name (pid $pid) still running after ${grace} s; SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null
      for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    fi
    echo "down.sh: $name stopped" >&2
  fi
  rm -f "$f"
done
exit 0
