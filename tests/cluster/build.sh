#!/usr/bin/env bash
# Builds the test control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)
# from the Go modules pinned in this directory's go.mod, into a cache outside the repository:
#   $PLINTH_CACHE/k8s/<kubernetes version>/bin   (PLINTH_CACHE defaults to ~/.cache/plinth)
# KWOK (the fake kubelet) is built from its own module by version (go install pkg@version, its own
# go.mod and k8s.io/* v0.36.x dependencies), as it is a client of the API server only.
# A binary already there is not rebuilt. Prints the bin directory as the last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
cache=${PLINTH_CACHE:-$HOME/.cache/plinth}
export GOMODCACHE=${GOMODCACHE:-$cache/go/mod}
export GOCACHE=${GOCACHE:-$cache/go/build}
export GOFLAGS=${GOFLAGS:--p=2}
export CGO_ENABLED=0
kver=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
kwok_version=v0.8.0
bin=$cache/k8s/$kver/bin
mkdir -p "$bin"
minor=${kver#v1.}; minor=${minor%%.*}
vpkg=k8s.io/component-base/version
kflags="-s -w -X $vpkg.gitVersion=$kver -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=1970-01-01T00:00:00Z"
timer=()
if [[ -n "${PLINTH_BUILD_TIME:-}" && -x /usr/bin/time ]]; then timer=(/usr/bin/time -f "%e s wall, %M KB max RSS"); fi
build() { # name package ldflags
  local name=$1 pkg=$2 ldflags=$3
  if [[ -x $bin/$name ]]; then echo "build.sh: $name: already built ($bin/$name)"; return; fi
  echo "build.sh: $name: building $pkg ..."
  local start=$SECONDS
  "${timer[@]}" go build -trimpath -ldflags="$ldflags" -o "$bin/$name.tmp" "$pkg"
  mv "$bin/$name.tmp" "$bin/$name"
  echo "build.sh: $name: built in $((SECONDS - start)) s, $(du -h "$bin/$name" | cut -f1)"
}
build etcd go.etcd.io/etcd/server/v3 "-s -w"
build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$kflags"
build kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$kflags"
build kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$kflags"
if [[ -x $bin/kwok ]]; then echo "build.sh: kwok: already built ($bin/kwok)"; else
  echo "build.sh: kwok: installing sigs.k8s.io/kwok/cmd/kwok@$kwok_version ..."
  start=$SECONDS
  rm -rf "$bin/.kwok"
  GOBIN=$bin/.kwok "${timer[@]}" go install -trimpath -ldflags="-s -w" "sigs.k8s.io/kwok/cmd/kwok@$kwok_version"
  mv "$bin/.kwok/kwok" "$bin/kwok" && rmdir "$bin/.kwok"
  echo "build.sh: kwok: built in $((SECONDS - start)) s, $(du -h "$bin/kwok" | cut -f1)"
fi
echo "$bin"
