#!/usr/bin/env bats
# create / start / state / delete, step by step.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
}

@test "create: --pid-file holds the init pid, bare digits" {
	set_args sleep 100

	runtime create --pid-file "$TEST_DIR/pid" "$CID"
	[ "$status" -eq 0 ]

	[ -f "$TEST_DIR/pid" ]
	local pid
	pid=$(cat "$TEST_DIR/pid")
	[[ "$pid" =~ ^[0-9]+$ ]]
	# No trailing newline, as runc writes it.
	[ "$(wc -c <"$TEST_DIR/pid")" -eq "${#pid}" ]

	[ "$(state_field "$CID" pid)" = "$pid" ]
	[ -d "/proc/$pid" ]
}

@test "create: status is created and the process has not started" {
	set_args sh -c 'echo started >/tmp/started; sleep 100'

	runtime create "$CID"
	[ "$status" -eq 0 ]

	runtime state "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = "created" ]
	[ "$(jq -r .pid <<<"$output")" -gt 0 ]

	sleep 0.3
	[ ! -e "$BUNDLE/rootfs/tmp/started" ]
}

@test "create, start, stop, delete" {
	# The process runs until the test creates /tmp/go in the rootfs.
	set_args sh -c 'echo started >/tmp/started; while [ ! -e /tmp/go ]; do sleep 0.1; done'

	runtime create --pid-file "$TEST_DIR/pid" "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "created" ]

	runtime start "$CID"
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/tmp/started"

	runtime state "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = "running" ]
	[ "$(jq -r .pid <<<"$output")" = "$(cat "$TEST_DIR/pid")" ]

	touch "$BUNDLE/rootfs/tmp/go"
	wait_for_status "$CID" stopped

	runtime state "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = "stopped" ]
	[ "$(jq -r .pid <<<"$output")" = "0" ]

	runtime delete "$CID"
	[ "$status" -eq 0 ]

	runtime state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]]

	runtime list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]

	check_no_leftovers
}

@test "start returns without waiting for the process" {
	set_args sleep 100

	runtime create "$CID"
	[ "$status" -eq 0 ]

	local t0=$SECONDS
	runtime start "$CID"
	[ "$status" -eq 0 ]
	[ $((SECONDS - t0)) -lt 10 ]

	[ "$(state_field "$CID" status)" = "running" ]
}

@test "start: the process sees the config's args" {
	set_args sh -c 'echo "$0 $1 $2" >/tmp/args' first second third

	runtime create "$CID"
	[ "$status" -eq 0 ]
	runtime start "$CID"
	[ "$status" -eq 0 ]

	wait_for_file "$BUNDLE/rootfs/tmp/args"
	[ "$(cat "$BUNDLE/rootfs/tmp/args")" = "first second third" ]
}

@test "delete of a created container kills its init" {
	set_args sleep 100

	runtime create --pid-file "$TEST_DIR/pid" "$CID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(cat "$TEST_DIR/pid")

	runtime delete "$CID"
	[ "$status" -eq 0 ]

	runtime state "$CID"
	[ "$status" -ne 0 ]
	wait_for_pid_gone "$pid"
	check_no_leftovers
}

@test "two containers from one bundle are independent" {
	set_args sleep 100
	local id2
	runtime create "$CID"
	[ "$status" -eq 0 ]

	new_cgroups_path
	id2=$(new_id)
	runtime create "$id2"
	[ "$status" -eq 0 ]

	runtime start "$id2"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "created" ]
	[ "$(state_field "$id2" status)" = "running" ]
	[ "$(state_field "$CID" pid)" != "$(state_field "$id2" pid)" ]

	runtime delete --force "$id2"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "created" ]
}
