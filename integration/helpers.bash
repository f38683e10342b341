#!/bin/bash
# Shared helpers for the integration tests.
#
# The suite is written against the behaviour of runc, and runs against any
# runtime with the same command line:
#
#   RUNTIME=runc bats integration/          # the reference
#   RUNTIME=/path/to/runb bats integration/ # default: ../dist/runb
#
# Every test gets its own --root, bundle, container id and cgroupsPath, so
# nothing is shared between tests or with containers outside the suite.

if [ -z "${BATS_RUN_TMPDIR:-}" ]; then
	echo "these helpers are meant to be loaded by bats" >&2
	exit 1
fi

INTEGRATION_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # for the test files
TESTDATA="$INTEGRATION_ROOT/testdata"

# Seconds any single runtime call may take before it is treated as hung.
RUNTIME_TIMEOUT=${RUNTIME_TIMEOUT:-30}

# Resolve $RUNTIME once: the tests cd into bundles, so a relative path would
# stop working.
: "${RUNTIME:=$INTEGRATION_ROOT/../dist/runb}"
case $RUNTIME in
*/*) RUNTIME_BIN=$(realpath -m "$RUNTIME") ;;
*) RUNTIME_BIN=$(command -v "$RUNTIME" || echo "$RUNTIME") ;;
esac
RUNTIME_NAME=$(basename "$RUNTIME_BIN")

# Fail the current test with a message.
function fail() {
	echo "$@" >&2
	return 1
}

# True when the runtime under test is runc itself.
function is_runc() {
	[ "$RUNTIME_NAME" = "runc" ]
}

# Skip a test that checks behaviour runc does not share; say why.
function skip_if_runc() {
	if is_runc; then
		skip "runc differs here: $*"
	fi
}

# requires FEATURE...: skip the test if the machine cannot run it.
function requires() {
	local f
	for f in "$@"; do
		case $f in
		root)
			[ "$(id -u)" -eq 0 ] || skip "test requires root"
			;;
		cgroupns)
			[ -e /proc/self/ns/cgroup ] || skip "test requires cgroup namespaces"
			;;
		*)
			fail "BUG: unknown requirement $f"
			;;
		esac
	done
}

# The raw runtime call: private --root, bounded in time, stdin closed, and
# bats' fd 3 closed so a container left running can't hold the test open.
function __runtime() {
	timeout --kill-after=5 "$RUNTIME_TIMEOUT" "$RUNTIME_BIN" --root "$ROOT" "$@" </dev/null 3>&-
}

# Log one finished call and its output to the per-test log, which
# teardown prints when the test failed.
function __log_call() {
	{
		echo "\$ $RUNTIME_NAME $1 (status=$status)"
		[ -z "$output" ] || echo "$output"
		[ -z "${stderr:-}" ] || echo "stderr: $stderr"
	} >>"$RUNTIME_LOG"
}

# runtime ARGS...: like bats' run, for the runtime under test. Sets
# $status, $output (stdout and stderr merged) and $lines.
#
# Output goes through a file rather than a pipe: create and run -d leave
# a container process holding the runtime's stdout, and a pipe would keep
# the caller waiting for the container to exit.
function runtime() {
	local out="$TEST_DIR/out.$((++RUNTIME_CALLS))"
	if __runtime "$@" >"$out" 2>&1; then
		status=0
	else
		status=$?
	fi
	output=$(cat "$out")
	mapfile -t lines <<<"$output"
	stderr=
	__log_call "$*"
}

# runtime_split ARGS...: like runtime, with stdout in $output and stderr
# in $stderr.
function runtime_split() {
	local out="$TEST_DIR/out.$((++RUNTIME_CALLS))"
	if __runtime "$@" >"$out" 2>"$out.err"; then
		status=0
	else
		status=$?
	fi
	output=$(cat "$out")
	stderr=$(cat "$out.err")
	mapfile -t lines <<<"$output"
	__log_call "$*"
}

# runtime_bg OUTFILE ARGS...: start the runtime in the background, its
# stdout and stderr to OUTFILE; $! is its pid.
function runtime_bg() {
	local outfile=$1
	shift
	echo "\$ $RUNTIME_NAME $* (in background)" >>"$RUNTIME_LOG"
	__runtime "$@" >"$outfile" 2>&1 &
}

# update_config JQ_EXPR [JQ_ARGS...]: edit ./config.json in place.
function update_config() {
	local expr=$1
	shift
	jq "$expr" config.json "$@" >config.json.new
	mv config.json.new config.json
}

# new_cgroups_path: give the bundle's config a cgroupsPath of its own.
# Call it again before reusing the bundle for another container.
function new_cgroups_path() {
	CGROUPS_PATH="/runb-itest-${BATS_ROOT_PID:-$$}-${BATS_SUITE_TEST_NUMBER:-0}-$RANDOM$RANDOM"
	CGROUPS_PATHS+=("$CGROUPS_PATH")
	update_config '.linux.cgroupsPath = $p' --arg p "$CGROUPS_PATH"
}

# new_id: print a fresh container id, remembered for teardown (in a file:
# new_id is called as $(new_id), in a subshell).
function new_id() {
	local id="ct-${BATS_SUITE_TEST_NUMBER:-0}-$RANDOM"
	echo "$id" >>"$TEST_DIR/ids"
	echo "$id"
}

# The ids handed out by new_id in this test, and any a test added to
# CONTAINER_IDS itself.
function __test_ids() {
	cat "$TEST_DIR/ids" 2>/dev/null || true
	[ ${#CONTAINER_IDS[@]} -eq 0 ] || printf '%s\n' "${CONTAINER_IDS[@]}"
}

# A bundle built once per run, copied for each test.
function __bundle_cache() {
	local cache="$BATS_RUN_TMPDIR/bundle-cache"
	if [ ! -d "$cache" ]; then
		local tmp
		tmp=$(mktemp -d "$BATS_RUN_TMPDIR/bundle-cache.XXXXXX")
		"$INTEGRATION_ROOT/make-bundle.sh" "$tmp" >&2
		# Another test file may have won the race; keep whichever is there.
		mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
	fi
	echo "$cache"
}

# setup_bundle: a fresh bundle in a private directory, cwd there. Sets
#   TEST_DIR  the test's private directory
#   ROOT      the runtime's --root (state directory)
#   BUNDLE    the bundle (cwd), with rootfs/ and config.json
#   CID       a container id for this test
#   CGROUPS_PATH  the cgroupsPath in config.json
function setup_bundle() {
	[ -x "$RUNTIME_BIN" ] || fail "runtime not found: $RUNTIME (set RUNTIME)"

	TEST_DIR=$(mktemp -d "${BATS_TEST_TMPDIR:-$BATS_RUN_TMPDIR}/rt.XXXXXX")
	ROOT="$TEST_DIR/state"
	BUNDLE="$TEST_DIR/bundle"
	RUNTIME_LOG="$TEST_DIR/runtime.log"
	RUNTIME_CALLS=0
	CONTAINER_IDS=()
	CGROUPS_PATHS=()
	mkdir "$ROOT"
	: >"$RUNTIME_LOG"

	cp -a "$(__bundle_cache)" "$BUNDLE"
	cd "$BUNDLE" || return
	new_cgroups_path
	CID=$(new_id)
}

# Make the container's root filesystem writable, so that programs inside
# can leave files the test reads from $BUNDLE/rootfs.
function writable_rootfs() {
	update_config '.root.readonly = false'
}

# reachable_by_any_uid: let a user namespace's root (nobody on the host)
# reach the bundle: search permission on it, its rootfs and every directory
# above the test's own.
function reachable_by_any_uid() {
	chmod o+x "$BUNDLE" "$BUNDLE/rootfs"
	local d=$TEST_DIR
	while [ "$d" != / ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
}

# set_args ARG...: the container's process.args.
function set_args() {
	update_config '.process.args = $ARGS.positional' --args -- "$@"
}

# container_state ID FIELD: one field of "state ID", or fail.
function state_field() {
	local json
	json=$(__runtime state "$1" 2>/dev/null) || return 1
	jq -r ".$2" <<<"$json"
}

# wait_for_status ID STATUS [SECONDS]: poll until the container has STATUS.
function wait_for_status() {
	local id=$1 want=$2 secs=${3:-10} got=
	local tries=$((secs * 10))
	while [ "$tries" -gt 0 ]; do
		got=$(state_field "$id" status) || got="(state failed)"
		[ "$got" = "$want" ] && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	fail "container $id: status is \"$got\", wanted \"$want\" after ${secs}s"
}

# wait_for_file PATH [SECONDS]: poll until PATH exists.
function wait_for_file() {
	local path=$1 secs=${2:-10}
	local tries=$((secs * 10))
	while [ "$tries" -gt 0 ]; do
		[ -e "$path" ] && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	fail "$path did not appear within ${secs}s"
}

# wait_for_pid_gone PID [SECONDS]: poll until PID no longer runs. A zombie
# counts as gone: reaping it is up to whoever its parent is now.
function wait_for_pid_gone() {
	local pid=$1 secs=${2:-10} st
	local tries=$((secs * 10))
	while [ "$tries" -gt 0 ]; do
		st=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 0
		[ -z "$st" ] || [ "$st" = "Z" ] || [ "$st" = "X" ] && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	fail "pid $pid still running after ${secs}s"
}

# --- leftovers -------------------------------------------------------------

# Processes whose root directory is the bundle's rootfs, or whose cwd is
# inside it. readlink of a container's root says "/" from outside, so the
# root is compared by device and inode.
function __bundle_pids() {
	[ -d "$BUNDLE/rootfs" ] || return 0
	local want
	want=$(stat -c '%d:%i' "$BUNDLE/rootfs")
	# One stat call for all processes; vanished ones are just skipped.
	stat -L -c '%d:%i %n' /proc/[0-9]*/root 2>/dev/null |
		awk -v want="$want" '$1 == want { split($2, a, "/"); print a[3] }'
	find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$BUNDLE/rootfs" -o -lname "$BUNDLE/rootfs/*" \) 2>/dev/null |
		cut -d/ -f3
}

# Mount points on the host under the bundle.
function __bundle_mounts() {
	awk -v b="$BUNDLE" 'index($5, b) == 1 { print $5 }' /proc/self/mountinfo
}

# Cgroup directories named after a cgroupsPath, in every hierarchy.
function __cgroup_dirs() {
	local path=$1 d
	for d in /sys/fs/cgroup"$path" /sys/fs/cgroup/*"$path"; do
		[ -d "$d" ] && echo "$d"
	done
	return 0
}

# check_no_leftovers [ID...]: assert the runtime left nothing behind for
# these containers (default: every id and cgroupsPath this test used): no
# state directory, no host mount under the bundle, no cgroup, no process
# living in the rootfs. Meant for when no container of the test is
# running, e.g. after delete or after a create that failed.
function check_no_leftovers() {
	local ids=("$@") id p bad=0
	[ ${#ids[@]} -eq 0 ] && mapfile -t ids < <(__test_ids)
	for id in "${ids[@]}"; do
		if [ -e "$ROOT/$id" ]; then
			echo "leftover: state directory $ROOT/$id" >&2
			bad=1
		fi
	done
	for p in "${CGROUPS_PATHS[@]}"; do
		if [ -n "$(__cgroup_dirs "$p")" ]; then
			echo "leftover: cgroup $(__cgroup_dirs "$p" | tr '\n' ' ')" >&2
			bad=1
		fi
	done
	if [ -n "$(__bundle_mounts)" ]; then
		echo "leftover: mounts $(__bundle_mounts | tr '\n' ' ')" >&2
		bad=1
	fi
	if [ -n "$(__bundle_pids)" ]; then
		echo "leftover: processes $(__bundle_pids | tr '\n' ' ')" >&2
		bad=1
	fi
	return $bad
}

# Remove what check_no_leftovers would complain about; only things that
# belong to this test (its bundle, its cgroupsPaths) are touched.
function __clean_leftovers() {
	local pid m p d
	for pid in $(__bundle_pids); do
		kill -9 "$pid" 2>/dev/null || true
	done
	for m in $(__bundle_mounts | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	# Children first; a cgroup is removable once its killed processes are
	# gone, which may take a moment.
	for _ in $(seq 20); do
		local left=
		for p in "${CGROUPS_PATHS[@]}"; do
			for d in $(__cgroup_dirs "$p"); do
				find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || left=1
			done
		done
		[ -z "$left" ] && break
		sleep 0.1
	done
}

# teardown_bundle: delete every container the test made, then check that
# nothing is left; clean up and fail the test if something is.
function teardown_bundle() {
	[ -n "${TEST_DIR:-}" ] || return 0
	cd "$INTEGRATION_ROOT" || return

	local id ids listed
	mapfile -t ids < <(__test_ids)
	listed=$(__runtime list -q 2>/dev/null) || true
	# shellcheck disable=SC2206 # ids are plain words
	ids+=($listed)
	if [ -d "$ROOT" ]; then
		for id in "$ROOT"/*; do
			[ -d "$id" ] && ids+=("${id##*/}")
		done
	fi
	mapfile -t ids < <(printf '%s\n' "${ids[@]}" | sort -u | grep -v '^$')
	for id in "${ids[@]}"; do
		__runtime delete --force "$id" >>"$RUNTIME_LOG" 2>&1 || true
	done

	local ok=0
	check_no_leftovers "${ids[@]}" || ok=1
	__clean_leftovers
	if [ -z "${BATS_TEST_COMPLETED:-}" ]; then
		echo "# runtime calls (log: $RUNTIME_LOG):" >&2
		sed 's/^/#   /' "$RUNTIME_LOG" >&2
	fi
	rm -rf --one-file-system "$TEST_DIR" 2>/dev/null || true
	TEST_DIR=
	[ $ok -eq 0 ] || fail "the runtime left things behind after delete --force"
}

# Every test file uses the same per-test bundle.
function setup() {
	setup_bundle
}

function teardown() {
	teardown_bundle
}
