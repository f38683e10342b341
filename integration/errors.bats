#!/usr/bin/env bats
# Failures: each must exit non-zero, say why on stderr, and leave nothing
# behind (no state, no cgroup, no mount, no process).

load helpers

function setup() {
	requires root
	setup_bundle
	cp config.json "$TEST_DIR/config.good"
}

# create_works: with the good config back, create succeeds. Shows the
# failure came from what the test broke, not from a runtime that fails
# at everything.
function create_works() {
	cp "$TEST_DIR/config.good" "$BUNDLE/config.json"
	runtime create --bundle "$BUNDLE" "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "created" ]
}

# create_fails [ARGS...]: "create ARGS $CID" fails with a message on stderr
# and leaves nothing behind.
function create_fails() {
	runtime_split create "$@" "$CID"
	[ "$status" -ne 0 ]
	[ -n "$stderr" ]
	check_no_leftovers
	! __runtime state "$CID" >/dev/null 2>&1
}

@test "create: bundle directory does not exist" {
	create_fails --bundle "$TEST_DIR/no-such-bundle"
	[[ "$stderr" == *"no such file or directory"* ]]
	[ ! -e "$TEST_DIR/no-such-bundle" ]
	create_works
}

@test "create: no config.json" {
	rm config.json
	create_fails
	[[ "$stderr" == *"config.json"* ]]
	create_works
}

@test "create: config.json is not JSON" {
	echo '{"ociVersion": "1.3.0", "process": ' >config.json
	create_fails
	create_works
}

@test "create: config.json does not follow the schema" {
	update_config '.process.args = "x"'
	create_fails
	[[ "$stderr" == *"args"* ]]
	create_works
}

@test "create: rootfs does not exist" {
	mv rootfs rootfs.away
	create_fails
	# runc 1.1 says "invalid rootfs: stat PATH: no such file or directory",
	# older ones "rootfs (PATH) does not exist": both name the path.
	[[ "$stderr" == *"$BUNDLE/rootfs"* ]]
	[ ! -e rootfs ]
	mv rootfs.away rootfs
	create_works
}

@test "create: rootfs path in the config does not exist" {
	update_config '.root.path = "no-such-rootfs"'
	create_fails
	[[ "$stderr" == *"$BUNDLE/no-such-rootfs"* ]]
	[ ! -e no-such-rootfs ]
	create_works
}

@test "create: empty args" {
	update_config '.process.args = []'
	create_fails
	[[ "$stderr" == *"args"* ]]
	create_works
}

@test "create: program not found in the rootfs" {
	set_args no-such-program
	create_fails
	[[ "$stderr" == *"executable file not found"* ]]
}

@test "run: program not found in the rootfs" {
	set_args no-such-program
	runtime_split run "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"executable file not found"* ]]
	check_no_leftovers
}

@test "create: absolute path to a program that does not exist" {
	set_args /no/such/program
	create_fails
	[[ "$stderr" == *"no such file or directory"* ]]
}

@test "create: program is not executable" {
	set_args /etc/passwd
	create_fails
	[[ "$stderr" == *"permission denied"* ]]
}

@test "create: cwd is not a directory" {
	update_config '.process.cwd = "/etc/passwd"'
	set_args true
	create_fails
	[[ "$stderr" == *"not a directory"* ]]
	create_works
}

@test "create: hostname without a UTS namespace" {
	update_config '.hostname = "h" | .linux.namespaces |= map(select(.type != "uts"))'
	create_fails
	[[ "$stderr" == *"UTS"* ]]
	create_works
}

@test "create: duplicate id" {
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	local pid
	pid=$(state_field "$CID" pid)

	new_cgroups_path
	runtime_split create "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"already exists"* ]]

	# The first one is untouched; the second left no cgroup.
	[ "$(state_field "$CID" status)" = "created" ]
	[ "$(state_field "$CID" pid)" = "$pid" ]
	[ -z "$(__cgroup_dirs "$CGROUPS_PATH")" ]
}

@test "run: duplicate id" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]

	new_cgroups_path
	runtime_split run "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"already exists"* ]]
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "id with a slash is refused" {
	runtime_split create "a/b"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"invalid container ID"* ]]
	[ ! -e "$ROOT/a" ]
	check_no_leftovers
}

@test "id .. is refused" {
	runtime_split create ".."
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"invalid container ID"* ]]
	[ -z "$(ls -A "$ROOT")" ]
	check_no_leftovers
}

@test "id . is refused" {
	runtime_split create "."
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"invalid container ID"* ]]
	check_no_leftovers
}

@test "empty id is refused" {
	runtime_split create ""
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"cannot be empty"* ]]
	check_no_leftovers
}

@test "create without an id" {
	runtime_split create
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"argument"* ]]
	[ -z "$(ls -A "$ROOT")" ]
}

@test "state of an unknown id" {
	runtime_split state no-such-container
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container does not exist"* ]]
}

@test "start of an unknown id" {
	runtime_split start no-such-container
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container does not exist"* ]]
}

@test "kill of an unknown id" {
	runtime_split kill no-such-container KILL
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container does not exist"* ]]
}

@test "delete of an unknown id" {
	runtime_split delete no-such-container
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container does not exist"* ]]
}

@test "state with an invalid id" {
	runtime_split state "../x"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"invalid container ID"* ]]
}

@test "start of a running container fails" {
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	runtime start "$CID"
	[ "$status" -eq 0 ]

	runtime_split start "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"cannot start"* ]]
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "start of a stopped container fails" {
	set_args true
	runtime create "$CID"
	[ "$status" -eq 0 ]
	runtime start "$CID"
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime_split start "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"cannot start"* ]]
	[ "$(state_field "$CID" status)" = "stopped" ]
}

@test "delete of a running container without --force" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]

	runtime_split delete "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"not stopped"* ]]
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "unknown command" {
	runtime_split no-such-command
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"no-such-command"* ]]

	runtime list
	[ "$status" -eq 0 ]
}

@test "unknown flag" {
	runtime_split list --no-such-flag
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"no-such-flag"* ]]

	runtime list
	[ "$status" -eq 0 ]
}

@test "two creates of one id at once: one wins, the other says it exists" {
	skip_if_runc "runc 1.1 can fail both creates in this race (file exists / unable to store init state)"
	set_args sleep 100
	runtime_bg "$TEST_DIR/a.out" create "$CID"
	local a=$!
	runtime_bg "$TEST_DIR/b.out" create "$CID"
	local b=$!
	local sa=0 sb=0
	wait "$a" || sa=$?
	wait "$b" || sb=$?
	[ $((sa == 0 ? 1 : 0)) -ne $((sb == 0 ? 1 : 0)) ] || fail "exits $sa and $sb: $(cat "$TEST_DIR"/a.out "$TEST_DIR"/b.out)"
	grep -q "already exists" "$TEST_DIR/a.out" "$TEST_DIR/b.out"
	[ "$(state_field "$CID" status)" = "created" ]
}

@test "--systemd-cgroup on a host without systemd: a clear error, nothing left" {
	[ ! -d /run/systemd/system ] || skip "this host runs systemd"
	update_config '.linux.cgroupsPath = "system.slice:itest:'"$CID"'"'
	runtime --systemd-cgroup create "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"systemd"* ]]
	check_no_leftovers
}

@test "--systemd-cgroup where the system bus cannot be reached: the error, nothing left" {
	update_config '.linux.cgroupsPath = "system.slice:itest:'"$CID"'"'
	set_args true
	# A private /run in which systemd seems to be running, without its bus.
	run unshare -m sh -c 'mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && exec "$@"' sh \
		timeout 60 "$RUNTIME_BIN" --root "$ROOT" --systemd-cgroup run "$CID" </dev/null
	[ "$status" -ne 0 ]
	[[ "$output" == *"bus"* ]]
	check_no_leftovers
}
