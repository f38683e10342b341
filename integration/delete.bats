#!/usr/bin/env bats
# delete: of stopped, created and running containers, forced or not.

load helpers

function setup() {
	requires root
	setup_bundle
}

@test "delete a stopped container" {
	set_args true
	runtime create "$CID"
	[ "$status" -eq 0 ]
	runtime start "$CID"
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime delete "$CID"
	[ "$status" -eq 0 ]

	runtime state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]]
	check_no_leftovers
}

@test "delete a running container without --force fails" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]

	runtime_split delete "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"$CID"* ]]
	[[ "$stderr" == *"not stopped"* ]]

	# Nothing happened to it.
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "delete --force a running container" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(state_field "$CID" pid)

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]

	runtime state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]]
	wait_for_pid_gone "$pid"
	check_no_leftovers
}

@test "delete -f a created container" {
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "created" ]

	runtime delete -f "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "delete --force kills every process of the container" {
	writable_rootfs
	set_args sh -c 'sleep 100 & sleep 100 & touch /tmp/ready; wait'
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/tmp/ready"

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "delete --force of an unknown id succeeds" {
	runtime delete --force no-such-container
	[ "$status" -eq 0 ]

	runtime state no-such-container
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]]
}

@test "delete of an unknown id fails" {
	runtime_split delete no-such-container
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container does not exist"* ]]
}

@test "delete twice: the second fails" {
	set_args true
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime delete "$CID"
	[ "$status" -eq 0 ]
	runtime delete "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]]
}

@test "an id can be reused after delete" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]

	set_args echo second
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "second" ]
}
