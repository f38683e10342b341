#!/bin/bash
# Shared helpers for the client tests: real container engines (podman with
# conmon, containerd with its runc shim) driving the runtime under test.
#
#   bats integration/clients/               # against dist/runb
#   RUNTIME=runc bats integration/clients/  # the reference
#
# The runtime is resolved as in ../helpers.bash. Everything a file creates
# (images, containers, a private containerd) carries the name prefix
# $CLIENTS_PREFIX and is removed by the file's teardown.

# shellcheck source=integration/helpers.bash
source "$(dirname "${BASH_SOURCE[0]}")/../helpers.bash"

# Seconds any single client call may take before it counts as hung.
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-60}

# One prefix per bats run, so two runs (say, runc and runb side by side)
# never touch each other's containers or images.
CLIENTS_PREFIX="runb-clients-${BATS_ROOT_PID:-$$}"

# requires_cmd CMD...: fail (not skip) when a client is missing: the CI
# installs them, so a missing one is a broken setup.
function requires_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || fail "$c is not installed (see .ci/run)"
	done
}

# A busybox root filesystem with /www/index.html for httpd and /waiter, a
# program that runs until SIGTERM, which it obeys at once; made once per
# file in $BATS_FILE_TMPDIR. Prints its path.
function clients_rootfs() {
	local dir="$BATS_FILE_TMPDIR/bundle"
	if [ ! -d "$dir/rootfs" ]; then
		"$INTEGRATION_ROOT/make-bundle.sh" "$dir" >&2 || return
		mkdir -p "$dir/rootfs/www"
		echo "hello from runb-clients httpd" >"$dir/rootfs/www/index.html"
		cat >"$dir/rootfs/waiter" <<-'EOF'
			#!/bin/sh
			trap 'echo got-term; exit 0' TERM
			echo up
			sleep 1000000 &
			wait
		EOF
		chmod 0755 "$dir/rootfs/waiter"
	fi
	echo "$dir/rootfs"
}

# in_pty CMD [INPUT]: run the shell command CMD with a real terminal as its
# stdin/stdout (script(1)), typing INPUT into it. Sets $status and
# $output like bats' run.
function in_pty() {
	local cmd=$1 input=${2:-}
	requires_cmd script
	# script(1) runs CMD with $SHELL -c, as the session leader's child. The
	# shell is fixed so that runs do not depend on the caller's, and CMD
	# is exec'd so that it stays in the terminal's foreground process
	# group: a "timeout" forked by dash would move itself to a background
	# group, and the client would stop on SIGTTOU when it sets the
	# terminal raw.
	run timeout --kill-after=5 "$CLIENT_TIMEOUT" \
		env SHELL=/bin/sh script -qec "stty cols 120 rows 40; exec $cmd" /dev/null <<<"$input" 3>&-
	# The terminal turns \n into \r\n.
	output=${output//$'\r'/}
	# shellcheck disable=SC2034 # like bats' run
	mapfile -t lines <<<"$output"
}

# retry SECONDS CMD...: run CMD every 0.2s until it succeeds.
function retry() {
	local secs=$1
	shift
	local tries=$((secs * 5))
	while [ "$tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		tries=$((tries - 1))
	done
	fail "still failing after ${secs}s: $*"
}

# Cgroup directories (every hierarchy, v1 and v2) that end in PATH.
function cgroup_dirs_named() {
	local path=$1 d
	for d in /sys/fs/cgroup"$path" /sys/fs/cgroup/*"$path"; do
		[ -d "$d" ] && echo "$d"
	done
	return 0
}

# pids_with_cmdline WORD...: pids whose command line contains every WORD
# as a separate argument, for finding the processes a test started.
function pids_with_cmdline() {
	local f pid args w ok
	for f in /proc/[0-9]*/cmdline; do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		args=$(tr '\0' '\n' <"$f" 2>/dev/null) || continue
		ok=1
		for w in "$@"; do
			grep -qxF -- "$w" <<<"$args" || {
				ok=
				break
			}
		done
		[ -n "$ok" ] && echo "$pid"
	done
	return 0
}

# --- podman ------------------------------------------------------------------

PODMAN_IMAGE="localhost/$CLIENTS_PREFIX:busybox"
PODMAN_LABEL="runb-clients=$CLIENTS_PREFIX"
# Options for every "podman run" and "podman create" of the suite: ulimits
# and the label teardown finds the containers by. Podman's default open
# files limit (1048576) can be above the host's hard limit, and raising a
# hard limit needs CAP_SYS_RESOURCE, which a machine may not give.
# shellcheck disable=SC2034 # for the test files
PM_OPTS=(--ulimit nofile=1024:20000 --ulimit nproc=1024:4096 --label "$PODMAN_LABEL")

# pm ARGS...: podman with the runtime under test, bounded in time.
function pm() {
	timeout --kill-after=5 "$CLIENT_TIMEOUT" podman --runtime "$RUNTIME_BIN" "$@" </dev/null 3>&-
}

# pm_cmdline ARGS...: the command line of pm ARGS as one string, for in_pty.
function pm_cmdline() {
	printf '%q ' timeout --kill-after=5 "$CLIENT_TIMEOUT" podman --runtime "$RUNTIME_BIN" "$@"
}

# A container name for this test.
function pm_name() {
	echo "$CLIENTS_PREFIX-${BATS_SUITE_TEST_NUMBER:-0}-${1:-c}"
}

function podman_setup_file() {
	requires_cmd podman conmon script
	[ -x "$RUNTIME_BIN" ] || fail "runtime not found: $RUNTIME (set RUNTIME)"
	# Podman's cgroupfs driver makes a parent cgroup for all its containers
	# and keeps it; teardown removes it if these tests were first to make it.
	PODMAN_MADE_PARENT=
	[ -n "$(cgroup_dirs_named /libpod_parent)" ] || PODMAN_MADE_PARENT=1
	export PODMAN_MADE_PARENT
	local rootfs
	rootfs=$(clients_rootfs) || return
	tar -C "$rootfs" -cf "$BATS_FILE_TMPDIR/rootfs.tar" .
	pm import --change 'CMD ["sh"]' "$BATS_FILE_TMPDIR/rootfs.tar" "$PODMAN_IMAGE" >/dev/null
}

# The full ids of this suite's containers: labelled, or named (pods'
# infra containers) with the prefix.
function pm_suite_ids() {
	{
		pm ps -a -q --no-trunc --filter "label=$PODMAN_LABEL"
		pm ps -a -q --no-trunc --filter "name=^$CLIENTS_PREFIX-"
	} 2>/dev/null | sort -u
}

# podman_leftovers ID...: what the runtime left behind for these removed
# containers: its state directory (podman passes no --root: the runtime's
# default, /run/NAME/ID) and the container's cgroups (podman's cgroupfs
# layout, libpod-ID).
function podman_leftovers() {
	local id d bad=0
	for id in "$@"; do
		for d in /run/*/"$id"; do
			if [ -e "$d" ]; then
				echo "leftover: state directory $d" >&2
				bad=1
			fi
		done
		if [ -n "$(cgroup_dirs_named "/libpod_parent/libpod-$id")" ]; then
			echo "leftover: cgroups $(cgroup_dirs_named "/libpod_parent/libpod-$id" | tr '\n' ' ')" >&2
			bad=1
		fi
	done
	return $bad
}

# Per test: remove the test's containers, then fail if the runtime left
# a state directory or a cgroup behind.
function podman_teardown() {
	local ids pods
	mapfile -t ids < <(pm_suite_ids)
	mapfile -t pods < <(pm pod ps -q --filter "name=^$CLIENTS_PREFIX-" 2>/dev/null)
	[ ${#pods[@]} -eq 0 ] || pm pod rm -f "${pods[@]}" >/dev/null 2>&1 || true
	[ ${#ids[@]} -eq 0 ] && return 0
	pm rm -f -t 0 "${ids[@]}" >/dev/null 2>&1 || pm rm -f "${ids[@]}" >/dev/null 2>&1 || true
	local ok=0
	retry 5 podman_leftovers "${ids[@]}" 2>/dev/null || {
		podman_leftovers "${ids[@]}"
		ok=1
	}
	# Nothing of ours may stay, whoever is to blame.
	local id d
	for id in "${ids[@]}"; do
		for d in $(cgroup_dirs_named "/libpod_parent/libpod-$id"); do
			find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
		done
	done
	return $ok
}

function podman_teardown_file() {
	podman_teardown >/dev/null 2>&1 || true
	pm rmi -f "$PODMAN_IMAGE" >/dev/null 2>&1 || true
	# It holds a "conmon" child. rmdir only takes empty cgroups: anyone
	# else's containers keep it.
	local d
	if [ -n "${PODMAN_MADE_PARENT:-}" ]; then
		for d in $(cgroup_dirs_named /libpod_parent); do
			find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
		done
	fi
}

# --- containerd --------------------------------------------------------------

CTR_NS="$CLIENTS_PREFIX"
# Where the shim keeps state (runc's --root) when ctr gives it no options,
# and other fixed paths the shim and ctr use whatever the daemon's config.
CTRD_SHIM_ROOT=/run/containerd/runc
CTRD_FIXED_DIRS=(/run/containerd/runc /run/containerd/fifo /run/containerd/s /run/containerd)
CTR_IMAGE="docker.io/library/$CLIENTS_PREFIX:busybox"

# ctr ARGS...: ctr against the private containerd, in the suite's namespace.
function ctr_() {
	timeout --kill-after=5 "$CLIENT_TIMEOUT" ctr --address "$CTRD_SOCK" --namespace "$CTR_NS" "$@" </dev/null 3>&-
}

# The options every "ctr run" of the suite takes: the runtime under test
# as the shim's runc binary, and a private state root for it.
function ctr_run_opts() {
	# shellcheck disable=SC2034 # for the test files
	CTR_OPTS=(--runc-binary "$RUNTIME_BIN" --runc-root "$CTRD_DIR/runtime-root")
}

# ctr_cmdline ARGS...: the command line of ctr_ ARGS as one string, for in_pty.
function ctr_cmdline() {
	printf '%q ' timeout --kill-after=5 "$CLIENT_TIMEOUT" ctr --address "$CTRD_SOCK" --namespace "$CTR_NS" "$@"
}

# sha256 of a file, hex.
function sha256_of() {
	sha256sum "$1" | cut -d' ' -f1
}

# oci_archive ROOTFS NAME OUT: an OCI image layout tarball of ROOTFS as one
# uncompressed layer, named NAME (for "ctr image import").
function oci_archive() {
	local rootfs=$1 name=$2 out=$3
	local dir arch layer config manifest
	dir=$(mktemp -d "$BATS_FILE_TMPDIR/oci.XXXXXX")
	mkdir -p "$dir/blobs/sha256"
	arch=$(dpkg --print-architecture 2>/dev/null) || arch=amd64

	tar -C "$rootfs" -cf "$dir/layer.tar" .
	layer=$(sha256_of "$dir/layer.tar")
	mv "$dir/layer.tar" "$dir/blobs/sha256/$layer"

	jq -cn --arg arch "$arch" --arg diff "sha256:$layer" '{
		architecture: $arch, os: "linux",
		config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"]},
		rootfs: {type: "layers", diff_ids: [$diff]}
	}' >"$dir/config.json"
	config=$(sha256_of "$dir/config.json")

	jq -cn --arg config "sha256:$config" --argjson csize "$(stat -c %s "$dir/config.json")" \
		--arg layer "sha256:$layer" --argjson lsize "$(stat -c %s "$dir/blobs/sha256/$layer")" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $config, size: $csize},
		layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $layer, size: $lsize}]
	}' >"$dir/manifest.json"
	manifest=$(sha256_of "$dir/manifest.json")
	mv "$dir/config.json" "$dir/blobs/sha256/$config"

	jq -cn --arg m "sha256:$manifest" --argjson msize "$(stat -c %s "$dir/manifest.json")" \
		--arg name "$name" '{
		schemaVersion: 2,
		manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $msize,
			annotations: {"io.containerd.image.name": $name, "org.opencontainers.image.ref.name": ($name | sub(".*:"; ""))}}]
	}' >"$dir/index.json"
	mv "$dir/manifest.json" "$dir/blobs/sha256/$manifest"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"

	tar -C "$dir" -cf "$out" oci-layout index.json blobs
	rm -rf "$dir"
}

# Start a containerd of our own: private root, state, socket and config,
# no CRI plugin. Sets CTRD_DIR, CTRD_SOCK, CTRD_PID (exported for the tests).
function containerd_start() {
	requires_cmd containerd ctr containerd-shim-runc-v2
	# The socket path must stay short (sun_path), so not under BATS_FILE_TMPDIR.
	CTRD_DIR=$(mktemp -d "${TMPDIR:-/tmp}/runb-ctrd.XXXXXX")
	CTRD_SOCK="$CTRD_DIR/containerd.sock"
	# Containers in a user namespace must reach their rootfs in the state
	# directory.
	chmod 0711 "$CTRD_DIR"
	# Remember which of the fixed directories were there before.
	local d
	CTRD_MADE_DIRS=
	for d in "${CTRD_FIXED_DIRS[@]}"; do
		[ -e "$d" ] || CTRD_MADE_DIRS+="$d "
	done
	# "ctr run --runc-binary" picks the runtime per container, but some ctr
	# options (--uidmap) drop it: the shim then runs "runc" from its PATH,
	# which here is the runtime under test too.
	mkdir "$CTRD_DIR/bin"
	ln -s "$RUNTIME_BIN" "$CTRD_DIR/bin/runc"
	cat >"$CTRD_DIR/config.toml" <<EOF
version = 2
root = "$CTRD_DIR/root"
state = "$CTRD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$CTRD_SOCK"

[ttrpc]
  address = "$CTRD_DIR/containerd.sock.ttrpc"

[debug]
  address = "$CTRD_DIR/debug.sock"
  level = "info"

[plugins."io.containerd.internal.v1.opt"]
  path = "$CTRD_DIR/opt"
EOF
	PATH="$CTRD_DIR/bin:$PATH" containerd --config "$CTRD_DIR/config.toml" >"$CTRD_DIR/containerd.log" 2>&1 3>&- &
	CTRD_PID=$!
	export CTRD_DIR CTRD_SOCK CTRD_PID CTRD_MADE_DIRS
	for _ in $(seq 100); do
		if timeout 5 ctr --address "$CTRD_SOCK" version >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$CTRD_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$CTRD_DIR/containerd.log" >&2
	fail "containerd did not come up"
}

# The suite namespace's containers.
function ctr_containers() {
	ctr_ containers ls -q 2>/dev/null
}

# ctr_remove ID...: delete tasks and containers, whatever state they are in.
function ctr_remove() {
	local id
	for id in "$@"; do
		ctr_ task kill -s SIGKILL "$id" >/dev/null 2>&1 || true
		ctr_ task rm -f "$id" >/dev/null 2>&1 || true
		ctr_ containers rm "$id" >/dev/null 2>&1 || true
	done
}

# ctr_leftovers ID...: what the runtime left behind for these removed
# containers: a state directory under its --root, cgroups (ctr's layout
# is /NAMESPACE/ID), a shim or a process in the container.
function ctr_leftovers() {
	local id d bad=0
	for id in "$@"; do
		for d in "$CTRD_DIR/runtime-root/$CTR_NS/$id" "$CTRD_SHIM_ROOT/$CTR_NS/$id"; do
			if [ -e "$d" ]; then
				echo "leftover: state directory $d" >&2
				bad=1
			fi
		done
		if [ -n "$(cgroup_dirs_named "/$CTR_NS/$id")" ]; then
			echo "leftover: cgroups $(cgroup_dirs_named "/$CTR_NS/$id" | tr '\n' ' ')" >&2
			bad=1
		fi
		if [ -n "$(pids_with_cmdline -namespace "$CTR_NS" -id "$id")" ]; then
			echo "leftover: shim $(pids_with_cmdline -namespace "$CTR_NS" -id "$id" | tr '\n' ' ')" >&2
			bad=1
		fi
	done
	return $bad
}

# Per test: remove the test's containers, and fail if anything stayed.
function containerd_teardown() {
	local ids
	mapfile -t ids < <(ctr_containers)
	[ ${#ids[@]} -eq 0 ] && return 0
	ctr_remove "${ids[@]}"
	local ok=0
	retry 5 ctr_leftovers "${ids[@]}" 2>/dev/null || {
		ctr_leftovers "${ids[@]}"
		ok=1
	}
	if [ -n "$(ctr_containers)" ]; then
		echo "leftover: containers $(ctr_containers | tr '\n' ' ')" >&2
		ok=1
	fi
	return $ok
}

# Stop the private containerd and remove all it had: containers, image,
# namespace, shims it started, cgroups, mounts, files.
function containerd_stop() {
	[ -n "${CTRD_DIR:-}" ] || return 0
	if [ -n "${CTRD_PID:-}" ] && kill -0 "$CTRD_PID" 2>/dev/null; then
		local ids
		mapfile -t ids < <(ctr_containers)
		[ ${#ids[@]} -eq 0 ] || ctr_remove "${ids[@]}"
		ctr_ images rm --sync "$CTR_IMAGE" >/dev/null 2>&1 || true
		timeout 30 ctr --address "$CTRD_SOCK" namespaces rm "$CTR_NS" >/dev/null 2>&1 || true
		kill "$CTRD_PID" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$CTRD_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$CTRD_PID" 2>/dev/null || true
	fi
	# Shims outlive containerd; only ours carry our socket's address.
	local pid
	for pid in $(pids_with_cmdline -address "$CTRD_SOCK"); do
		kill -9 "$pid" 2>/dev/null || true
	done
	local m
	awk -v d="$CTRD_DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do
			umount -l "$m" 2>/dev/null || true
		done
	local d
	for d in $(cgroup_dirs_named "/$CTR_NS"); do
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
	rm -rf --one-file-system "$CTRD_DIR"
	rmdir "$CTRD_SHIM_ROOT/$CTR_NS" 2>/dev/null || true
	for d in $CTRD_MADE_DIRS; do
		rmdir "$d" 2>/dev/null || true
	done
}
