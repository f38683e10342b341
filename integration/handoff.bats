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

# run_until_waiter [RUN-OPTION...]: starts run in the background and waits
# until its container is up (it touches /tmp/ready) and the run process is
# the waiter. Sets JOB (the background job) and PID (the run process). The
# containers wait for the test (/tmp/go) rather than for a time: a slow
# machine must not see them gone before the waiter is.
function run_until_waiter() {
	runtime_bg "$TEST_DIR/run.out" run "$@" "$CID"
	JOB=$!
	wait_for_file "$BUNDLE/rootfs/tmp/ready"
	PID=$(run_pid_of "$CID")
	wait_for_waiter "$PID"
}

# wait_run: waits for the background run; its exit status in RC.
function wait_run() {
	RC=0
	wait "$JOB" || RC=$?
	echo "run exited with $RC: $(cat "$TEST_DIR/run.out")"
}

@test "handoff: a long-running container's run becomes a small waiter; status and deletion as before" {
	set_args sh -c 'touch /tmp/ready; until [ -e /tmp/go ]; do sleep 0.1; done; exit 5'

	run_until_waiter
	local rss
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$PID/status")
	echo "waiter VmRSS ${rss} kB"
	[ "$rss" -lt 1024 ]

	touch "$BUNDLE/rootfs/tmp/go"
	wait_run
	[ "$RC" -eq 5 ]
	runtime state "$CID"
	[[ "$output" == *"container does not exist"* ]]
	check_no_leftovers
}

@test "handoff: the waiter forwards SIGTERM to the container" {
	set_args sh -c 'trap "exit 7" TERM; touch /tmp/ready; while :; do sleep 0.1; done'

	run_until_waiter
	kill -TERM "$PID"

	wait_run
	[ "$RC" -eq 7 ]
	check_no_leftovers
}

@test "handoff: run --keep leaves the container stopped" {
	set_args sh -c 'touch /tmp/ready; until [ -e /tmp/go ]; do sleep 0.1; done'

	run_until_waiter --keep
	touch "$BUNDLE/rootfs/tmp/go"

	wait_run
	[ "$RC" -eq 0 ]
	[ "$(state_field "$CID" status)" = stopped ]
	runtime delete "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "handoff: a container made again under the same id meanwhile is not deleted" {
	set_args sh -c 'touch /tmp/ready; sleep 100'

	run_until_waiter
	# Held still while the container is deleted and made again: it then
	# finds the id's directory is no longer the one it had.
	kill -STOP "$PID"
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	kill -CONT "$PID"

	wait_run
	[ "$RC" -eq 137 ]
	[ "$(state_field "$CID" status)" = created ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}
