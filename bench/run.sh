#!/bin/bash
# Benchmark runb against runc and crun on a busybox bundle.
#
# Usage: bench/run.sh [--full] [-n N] [--cases LIST]   (as root; `just bench` builds first)
#
#   --full       also measure state/list with 1000 containers (several minutes)
#   -n N         iterations per case (default 20; BENCH_N does the same)
#   --cases LIST a subset of the cases; --help lists them all
#
# Installs runc, crun and GNU time when missing, builds the bundle in
# build/bench-bundle, then runs bench/main.ts in a private mount namespace.
# On a hybrid cgroup host (cgroup2 mounted at /sys/fs/cgroup/unified), that
# namespace hides the v2 hierarchy under an empty tmpfs, because crun 1.8
# refuses the hybrid layout: every runtime then sees the same pure cgroup v1
# layout. The host's mounts are not touched.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
bun="$repo/node_modules/.bin/bun"

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: must run as root" >&2
	exit 1
fi

need_apt=()
command -v runc >/dev/null || need_apt+=(runc)
command -v crun >/dev/null || need_apt+=(crun)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v strace >/dev/null || need_apt+=(strace)
[ -x /bin/busybox ] || need_apt+=(busybox-static)
command -v jq >/dev/null || need_apt+=(jq)
if [ ${#need_apt[@]} -gt 0 ]; then
	echo "bench: installing ${need_apt[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_apt[@]}" >&2
fi

if [ ! -x "$repo/dist/runb" ]; then
	echo "bench: dist/runb missing; run \`just build\` (or \`just bench\`)" >&2
	exit 1
fi

bundle="$repo/build/bench-bundle"
if [ ! -x "$bundle/rootfs/bin/busybox" ] || [ ! -f "$bundle/config.json" ]; then
	rm -rf "$bundle"
	"$repo/integration/make-bundle.sh" "$bundle"
fi

# The mode every runtime runs in, reported with the results.
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	swap=""
	mode="cgroup v2 (unified), private mount namespace"
elif mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
	swap="umount /sys/fs/cgroup/unified && mount -t tmpfs -o size=64m,mode=755 bench-no-cgroup2 /sys/fs/cgroup/unified"
	mode="cgroup v1: hybrid host, cgroup2 at /sys/fs/cgroup/unified hidden under a tmpfs in a private mount namespace (crun 1.8 refuses hybrid), for every runtime"
else
	swap=""
	mode="cgroup v1 (legacy), private mount namespace"
fi

# State roots and bundles go to a tmpfs the driver mounts on this directory
# inside the namespace; the empty directory itself is removed here.
work="/run/runb-bench-$$"
trap 'rmdir "$work" 2>/dev/null || true' EXIT

export BENCH_CGROUP_MODE="$mode" BENCH_REPO="$repo" BENCH_WORK="$work"
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --propagation private \
	sh -c "${swap:+$swap && }"'exec "$0" "$@"' \
	"$bun" "$here/main.ts" "$@"
