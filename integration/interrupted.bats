#!/usr/bin/env bats
# A create killed half-way leaves a record that delete --force uses to undo
# everything it had made.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
}

@test "delete --force undoes a create that was killed half-way" {
	skip_if_runc "runc 1.1 leaves the cgroups of such a create behind"
	# The hook holds create at the point where the container's process,
	# cgroups and mounts exist; the runtime is then killed outright.
	cat >"$TEST_DIR/hold.sh" <<'SH'
#!/bin/sh
touch "$1"
sleep 30
SH
	chmod +x "$TEST_DIR/hold.sh"
	update_config '.hooks.createRuntime = [{path: $p, args: ["hold.sh", $m]}]' \
		--arg p "$TEST_DIR/hold.sh" --arg m "$TEST_DIR/holding"
	set_args sleep 100
	runtime_bg "$TEST_DIR/create.out" create "$CID"
	local runtime_pid=$!
	wait_for_file "$TEST_DIR/holding"
	# What exists now: a state record and a cgroup with the process in it.
	[ -e "$ROOT/$CID" ]
	[ -n "$(__cgroup_dirs "$CGROUPS_PATH")" ]
	# The runtime (and the timeout wrapper) by their command line, then the hook.
	pkill -KILL -f -- "--root $ROOT create $CID" || fail "runtime not found"
	wait "$runtime_pid" 2>/dev/null || true
	pkill -KILL -f -- "$TEST_DIR/hold.sh" || true
	# Nothing cleaned up by itself: the record is still there.
	[ -e "$ROOT/$CID" ]

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}
