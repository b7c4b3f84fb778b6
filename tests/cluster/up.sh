#!/usr/bin/env bash
# Starts the test control plane on 127.0.0.1 with its data, logs and pids in DIR:
#   tests/cluster/up.sh DIR
# Builds what is missing (build.sh), starts etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and KWOK with one fake GPU node (gpu-node-0, nvidia.com/gpu: 8), waits until
# /readyz answers ok and the node is Ready, writes DIR/kubeconfig (admin, system:masters) and
# DIR/kubeconfig-restricted (user "restricted", no RBAC bindings), and prints
#   export KUBECONFIG=DIR/kubeconfig
# as the last line of standard output. Progress goes to standard error. On failure it stops what
# it started (down.sh DIR) and names the log to read. tests/cluster/down.sh DIR stops the cluster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[[ $# -eq 1 && -n $1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
mkdir -p "$1"
D=$(cd "$1" && pwd)
say() { echo "up.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }
timeout_s=${PLINTH_CLUSTER_TIMEOUT:-90}

for p in "$D"/*.pid; do
  [[ -e $p ]] || continue
  pid=$(cat "$p" 2>/dev/null) || continue
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    die "$D already has a running cluster ($(basename "$p" .pid), pid $pid); run $here/down.sh $D first"
  fi
done

# The commands this script and the tests use, from Debian's packages of the same name where missing.
missing=()
for c in kubectl curl openssl jq python3 setsid; do
  command -v "$c" >/dev/null || missing+=("$([[ $c == setsid ]] && echo util-linux || echo "$c")")
done
if ((${#missing[@]})); then
  say "installing Debian's ${missing[*]} (missing here)"
  if ! apt-cache policy "${missing[@]}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get update >&2 || true
  fi
  for p in "${missing[@]}"; do
    apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]' \
      || die "$p is missing and Debian has no $p package here (apt-cache policy $p shows no candidate); install it by hand"
  done
  apt-get install -y "${missing[@]}" >&2
fi

say "building what is missing (build.sh)"
# build.sh's progress goes to stderr as it comes; its last line is the bin directory
B=$("$here/build.sh" | { last=; while IFS= read -r l; do echo "$l" >&2; last=$l; done; echo "$last"; })
[[ -x $B/kube-apiserver ]] || die "build.sh did not print a bin directory with the binaries (got: $B)"

cache=${PLINTH_CACHE:-$HOME/.cache/plinth}
kwok_version=$(sed -n 's/^kwok_version=//p' "$here/build.sh")
S=${GOMODCACHE:-$cache/go/mod}/sigs.k8s.io/kwok@$kwok_version/kustomize/stage
if [[ ! -d $S ]]; then
  S=$(cd /tmp && GOMODCACHE=${GOMODCACHE:-$cache/go/mod} GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kwok@$kwok_version" | jq -r .Dir)/kustomize/stage
  [[ -d $S ]] || die "kwok's stage configs not found at $S"
fi

# From here on, a failure stops what was started.
trap 'rc=$?; if [[ $rc -ne 0 ]]; then say "failed; stopping what was started (logs stay in $D)"; "$here/down.sh" "$D" >&2 || true; fi' EXIT

start=$SECONDS
rm -rf "$D/etcd" "$D/certs" "$D"/*.log "$D"/*.pid
mkdir -p "$D/certs"
read -r P1 P2 P3 P4 P5 < <(python3 -c 'import socket
s=[socket.socket() for _ in range(5)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
printf 'etcd_client=%s\netcd_peer=%s\napiserver=%s\ncontroller_manager=%s\nscheduler=%s\n' \
  "$P1" "$P2" "$P3" "$P4" "$P5" > "$D/ports"

openssl genrsa -out "$D/sa.key" 2048 2>/dev/null
openssl rsa -in "$D/sa.key" -pubout -out "$D/sa.pub" 2>/dev/null
admin_token=$(openssl rand -hex 24)
restricted_token=$(openssl rand -hex 24)
umask_old=$(umask); umask 077
printf '%s,admin,admin-uid,"system:masters"\n%s,restricted,restricted-uid,"plinth:restricted"\n' \
  "$admin_token" "$restricted_token" > "$D/tokens.csv"
for u in admin restricted; do
  if [[ $u == admin ]]; then f=$D/kubeconfig; t=$admin_token; else f=$D/kubeconfig-restricted; t=$restricted_token; fi
  cat > "$f" <<KC
apiVersion: v1
kind: Config
clusters:
- name: plinth
  cluster: {server: "https://127.0.0.1:$P3", certificate-authority: "$D/certs/apiserver.crt"}
users:
- name: $u
  user: {token: "$t"}
contexts:
- name: $u
  context: {cluster: plinth, user: $u}
current-context: $u
KC
done
umask "$umask_old"
K=$D/kubeconfig

run() { # name binary args...: starts in its own session, stdin closed, output to DIR/name.log
  local name=$1; shift
  setsid "$@" </dev/null >"$D/$name.log" 2>&1 &
  echo $! > "$D/$name.pid"
}
alive() { kill -0 "$(cat "$D/$1.pid")" 2>/dev/null || die "$1 exited; read $D/$1.log"; }
wait_for() { # name description command...: bounded wait while the process is alive
  local name=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout_s))
  until "$@" >/dev/null 2>&1; do
    alive "$name"
    ((SECONDS < deadline)) || die "$what not ready after ${timeout_s} s; read $D/$name.log"
    sleep 0.1
  done
}

say "starting etcd (client port $P1)"
run etcd "$B/etcd" --name plinth --data-dir "$D/etcd" \
  --listen-client-urls "http://127.0.0.1:$P1" --advertise-client-urls "http://127.0.0.1:$P1" \
  --listen-peer-urls "http://127.0.0.1:$P2" --initial-advertise-peer-urls "http://127.0.0.1:$P2" \
  --initial-cluster "plinth=http://127.0.0.1:$P2" --log-level warn
wait_for etcd "etcd /health" curl -sf "http://127.0.0.1:$P1/health"

# What the test users (not the controllers) ask, one JSON line each: tests count a refresh's calls.
cat > "$D/audit-policy.yaml" <<'POLICY'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  users: [admin, restricted]
- level: None
POLICY

say "starting kube-apiserver (https://127.0.0.1:$P3)"
run apiserver "$B/kube-apiserver" --etcd-servers="http://127.0.0.1:$P1" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
  --secure-port="$P3" --cert-dir="$D/certs" --token-auth-file="$D/tokens.csv" --authorization-mode=RBAC \
  --service-account-issuer="https://127.0.0.1:$P3" --service-account-key-file="$D/sa.pub" \
  --service-account-signing-key-file="$D/sa.key" --service-cluster-ip-range=10.0.0.0/24 \
  --allow-privileged=true --audit-policy-file="$D/audit-policy.yaml" --audit-log-path="$D/audit.log"
readyz() { [[ $(curl -sk -H "Authorization: Bearer $admin_token" "https://127.0.0.1:$P3/readyz") == ok ]]; }
wait_for apiserver "kube-apiserver /readyz" readyz

say "starting kube-controller-manager and kube-scheduler"
run controller-manager "$B/kube-controller-manager" --kubeconfig="$K" --authentication-kubeconfig="$K" \
  --authorization-kubeconfig="$K" --leader-elect=false --bind-address=127.0.0.1 --secure-port="$P4" \
  --service-account-private-key-file="$D/sa.key" --root-ca-file="$D/certs/apiserver.crt" \
  --use-service-account-credentials=true --service-cluster-ip-range=10.0.0.0/24
run scheduler "$B/kube-scheduler" --kubeconfig="$K" --authentication-kubeconfig="$K" \
  --authorization-kubeconfig="$K" --leader-elect=false --bind-address=127.0.0.1 --secure-port="$P5"

say "creating the fake GPU node gpu-node-0 and starting kwok"
kubectl --kubeconfig "$K" apply -f - >&2 <<'NODE'
apiVersion: v1
kind: Node
metadata:
  name: gpu-node-0
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: gpu-node-0, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
spec: {}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110", nvidia.com/gpu: "8"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110", nvidia.com/gpu: "8"}
NODE
run kwok "$B/kwok" --kubeconfig="$K" --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-ip=127.0.0.1 --server-address=127.0.0.1:0 --cidr=10.244.0.1/24 --node-lease-duration-seconds=40 \
  -c "$S/node/fast/node-initialize.yaml" -c "$S/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
  -c "$S/pod/fast/pod-ready.yaml" -c "$S/pod/fast/pod-complete.yaml" -c "$S/pod/fast/pod-delete.yaml"

healthz() { [[ $(curl -sk "https://127.0.0.1:$1/healthz") == ok ]]; }
wait_for controller-manager "kube-controller-manager /healthz" healthz "$P4"
wait_for scheduler "kube-scheduler /healthz" healthz "$P5"
node_ready() {
  [[ $(kubectl --kubeconfig "$K" get node gpu-node-0 \
    -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}') == True ]]
}
wait_for kwok "node gpu-node-0 Ready" node_ready
# No volume provisioner runs here: a pool of hostPath volumes without a storage class, which the
# controller-manager binds to claims without a class (one claim each; Retain, as nothing deletes).
pvs=${PLINTH_CLUSTER_VOLUMES:-64}
for i in $(seq 0 $((pvs - 1))); do
  mkdir -p "$D/volumes/pv-$i"
  printf -- '---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-%s, labels: {plinth.dev/pool: test}}\nspec: {capacity: {storage: 10Gi}, accessModes: [ReadWriteOnce, ReadWriteMany], persistentVolumeReclaimPolicy: Retain, storageClassName: "", hostPath: {path: "%s"}}\n' "$i" "$D/volumes/pv-$i"
done | kubectl --kubeconfig "$K" apply -f - >/dev/null
# The controllers run once the service-account controller has made default/default (~5 s after
# the controller-manager's /healthz); before that, creating a Pod fails for want of it.
wait_for controller-manager "service account default/default (the controllers)" \
  kubectl --kubeconfig "$K" -n default get serviceaccount default
alive etcd; alive apiserver; alive controller-manager; alive scheduler; alive kwok

say "cluster up in $((SECONDS - start)) s (data and logs in $D; stop with $here/down.sh $D)"
echo "export KUBECONFIG=$D/kubeconfig"
