#!/usr/bin/env bats
# A foreground run whose container keeps running becomes the init stage's
# small waiter: same pid, signals still forwarded, the container's status
# and deletion as before.

load helpers

function setup() {
	requires root
	skip_if_runc "runc's run stays what it is"
	setup_bundle
	writable_rootfs
}

# The run process: the parent of the init stage's parent, the container's.
function run_pid_of() {
	local init stage
	init=$(state_field "$1" pid)
	stage=$(awk '{ print $4 }' "/proc/$init/stat")
	awk '{ print $4 }' "/proc/$stage/stat"
}

# wait_for_waiter PID: poll until PID runs the waiter.
function wait_for_waiter() {
	local tries=50
	while [ "$tries" -gt 0 ]; do
		[ "$(tr '\0' ' ' <"/proc/$1/cmdline" | cut -d' ' -f1-2)" = "runb wait" ] && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	fail "pid $1 still runs $(tr '\0' ' ' <"/proc/$1/cmdline")"
}

@test "handoff: a long-running container's run becomes a small waiter; status and deletion as before" {
	set_args sh -c 'touch /tmp/ready; sleep 1; exit 5'

	runtime_bg "$TEST_DIR/run.out" run "$CID"
	local job=$!
	wait_for_file "$BUNDLE/rootfs/tmp/ready"
	local pid
	pid=$(run_pid_of "$CID")
	wait_for_waiter "$pid"
	local rss
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	echo "waiter VmRSS ${rss} kB"
	[ "$rss" -lt 1024 ]

	local rc=0
	wait "$job" || rc=$?
	echo "run exited with $rc: $(cat "$TEST_DIR/run.out")"
	[ "$rc" -eq 5 ]
	runtime state "$CID"
	[[ "$output" == *"container does not exist"* ]]
	check_no_leftovers
}

@test "handoff: the waiter forwards SIGTERM to the container" {
	set_args sh -c 'trap "exit 7" TERM; touch /tmp/ready; while :; do sleep 0.1; done'

	runtime_bg "$TEST_DIR/run.out" run "$CID"
	local job=$!
	wait_for_file "$BUNDLE/rootfs/tmp/ready"
	local pid
	pid=$(run_pid_of "$CID")
	wait_for_waiter "$pid"
	kill -TERM "$pid"

	local rc=0
	wait "$job" || rc=$?
	echo "run exited with $rc: $(cat "$TEST_DIR/run.out")"
	[ "$rc" -eq 7 ]
	check_no_leftovers
}

@test "handoff: run --keep leaves the container stopped" {
	set_args sh -c 'touch /tmp/ready; sleep 0.5'

	runtime_bg "$TEST_DIR/run.out" run --keep "$CID"
	local job=$!
	wait_for_file "$BUNDLE/rootfs/tmp/ready"
	wait_for_waiter "$(run_pid_of "$CID")"

	local rc=0
	wait "$job" || rc=$?
	[ "$rc" -eq 0 ]
	[ "$(state_field "$CID" status)" = stopped ]
	runtime delete "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "handoff: a container made again under the same id meanwhile is not deleted" {
	set_args sh -c 'touch /tmp/ready; sleep 100'

	runtime_bg "$TEST_DIR/run.out" run "$CID"
	local job=$!
	wait_for_file "$BUNDLE/rootfs/tmp/ready"
	local pid
	pid=$(run_pid_of "$CID")
	wait_for_waiter "$pid"
	# Held still while the container is deleted and made again: it then
	# finds the id's directory is no longer the one it had.
	kill -STOP "$pid"
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	kill -CONT "$pid"

	local rc=0
	wait "$job" || rc=$?
	echo "run exited with $rc: $(cat "$TEST_DIR/run.out")"
	[ "$rc" -eq 137 ]
	[ "$(state_field "$CID" status)" = created ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}
