#!/usr/bin/env bats
# run: create + start + wait, in the foreground or detached.

load helpers

function setup() {
	requires root
	setup_bundle
}

@test "run prints the container's output" {
	set_args echo hello from the container

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "hello from the container" ]
}

@test "run --no-subreaper: accepted, the status is still the container's" {
	set_args sh -c 'echo fine; exit 7'

	runtime run --no-subreaper "$CID"
	[ "$status" -eq 7 ]
	[ "$output" = "fine" ]
}

@test "run: the container's stderr reaches the caller's stderr" {
	set_args sh -c 'echo to-out; echo to-err >&2'

	runtime_split run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "to-out" ]
	[ "$stderr" = "to-err" ]
}

@test "run exits with the container's exit status" {
	set_args sh -c 'exit 7'

	runtime run "$CID"
	[ "$status" -eq 7 ]
}

@test "run exits 0 when the container exits 0" {
	set_args sh -c 'echo done; exit 0'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "done" ]
}

@test "run: container killed by a signal gives 128+signal" {
	# Without a pid namespace the shell is not an init, and SIGKILL from
	# itself is not ignored.
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'kill -9 $$'

	runtime run "$CID"
	[ "$status" -eq 137 ]
}

@test "run: init killed from outside gives 128+signal" {
	writable_rootfs
	set_args sh -c 'touch /tmp/ready; exec sleep 100'

	runtime_bg "$TEST_DIR/run.out" run "$CID"
	local run_pid=$!
	wait_for_file "$BUNDLE/rootfs/tmp/ready"
	wait_for_status "$CID" running

	kill -9 "$(state_field "$CID" pid)"
	local rc=0
	wait "$run_pid" || rc=$?
	echo "run exited with $rc: $(cat "$TEST_DIR/run.out")"
	[ "$rc" -eq 137 ]
}

@test "run: the container is gone after run returns" {
	set_args true

	runtime run "$CID"
	[ "$status" -eq 0 ]

	runtime state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]]
	check_no_leftovers
}

@test "run -d detaches and leaves the container running" {
	set_args sleep 100

	runtime run -d --pid-file "$TEST_DIR/pid" "$CID"
	[ "$status" -eq 0 ]

	runtime state "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = "running" ]
	[ "$(jq -r .pid <<<"$output")" = "$(cat "$TEST_DIR/pid")" ]

	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime delete "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "run --detach: long option" {
	set_args sleep 100

	runtime run --detach "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "run --bundle from another directory" {
	set_args echo bundle-ok
	cd "$TEST_DIR"

	runtime run --bundle "$BUNDLE" "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "bundle-ok" ]
}

@test "run -b with a relative bundle path" {
	set_args echo relative-ok
	cd "$TEST_DIR"

	runtime run -b bundle "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "relative-ok" ]
}

@test "run: stdin is passed to the container" {
	set_args cat

	# __runtime closes stdin; call it by hand with a here-string.
	local rc=0
	output=$(timeout 30 "$RUNTIME_BIN" --root "$ROOT" run "$CID" <<<"piped input" 2>&1 3>&-) || rc=$?
	echo "$output"
	[ "$rc" -eq 0 ]
	[ "$output" = "piped input" ]
}
