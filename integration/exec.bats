#!/usr/bin/env bats
# exec: a new process in a running container.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
	set_args sleep 1000
	runtime run -d "$CID"
	[ "$status" -eq 0 ] || fail "run -d failed: $output"
}

@test "exec prints the command's output and exits with its status" {
	runtime exec "$CID" sh -c 'echo hello from exec; exit 3'
	[ "$status" -eq 3 ]
	[[ "$output" == *"hello from exec"* ]]
}

@test "exec keeps the program's own flags" {
	runtime exec "$CID" ls -la /
	[ "$status" -eq 0 ]
	[[ "$output" == *"bin"* ]]
}

@test "exec joins every namespace of the container's init" {
	local pid ns
	pid=$(state_field "$CID" pid)
	for ns in pid mnt net uts ipc; do
		runtime exec "$CID" readlink "/proc/self/ns/$ns"
		[ "$status" -eq 0 ]
		[ "$output" = "$(readlink "/proc/$pid/ns/$ns")" ] || fail "$ns: $output vs $(readlink "/proc/$pid/ns/$ns")"
	done
}

@test "exec joins the container's cgroup" {
	local pid
	pid=$(state_field "$CID" pid)
	runtime exec "$CID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "/proc/$pid/cgroup")" ]
}

@test "exec --user, --env and --cwd" {
	runtime exec --user 65534:65534 --env FOO=bar --cwd /tmp "$CID" sh -c 'echo "$(id -u):$(id -g) $FOO $(pwd)"'
	[ "$status" -eq 0 ]
	[ "$output" = "65534:65534 bar /tmp" ]
}

@test "exec --additional-gids" {
	runtime exec --user 1000:1000 -g 10 -g 20 "$CID" id -G
	[ "$status" -eq 0 ]
	[ "$output" = "1000 10 20" ]
}

@test "exec --cap adds a capability" {
	update_config '.process.capabilities.bounding -= ["CAP_NET_ADMIN"]'
	runtime exec "$CID" sh -c 'grep CapEff /proc/self/status'
	[ "$status" -eq 0 ]
	local before
	before=$(tr -d '[:space:]' <<<"${output##*:}")
	runtime exec --cap CAP_SYS_TIME "$CID" sh -c 'grep CapEff /proc/self/status'
	[ "$status" -eq 0 ]
	local after
	after=$(tr -d '[:space:]' <<<"${output##*:}")
	# CAP_SYS_TIME is bit 25.
	[ $(( (0x$after >> 25) & 1 )) -eq 1 ]
	[ $(( (0x$before >> 25) & 1 )) -eq 0 ]
}

@test "exec -d with --pid-file" {
	runtime exec -d --pid-file "$TEST_DIR/exec.pid" "$CID" sleep 100
	[ "$status" -eq 0 ]
	local pid
	pid=$(cat "$TEST_DIR/exec.pid")
	[[ "$pid" =~ ^[0-9]+$ ]]
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink "/proc/$(state_field "$CID" pid)/ns/pid")" ]
	grep -q sleep "/proc/$pid/cmdline"
}

@test "exec -p process.json" {
	jq -n '{args: ["sh", "-c", "echo from-json $X"], env: ["X=1", "PATH=/bin"], cwd: "/", user: {uid: 0, gid: 0}}' >"$TEST_DIR/process.json"
	runtime exec -p "$TEST_DIR/process.json" "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "from-json 1" ]
}

@test "exec of a missing program fails cleanly" {
	runtime exec "$CID" no-such-program
	[ "$status" -ne 0 ]
	[[ "$output" == *"executable file not found"* ]]
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "exec into a stopped container fails" {
	runtime kill "$CID" KILL
	wait_for_status "$CID" stopped
	runtime exec "$CID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"stopped"* ]]
}

@test "exec into an unknown container fails" {
	runtime exec nosuch-container true
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "no process of the runtime is left in the container after exec" {
	runtime exec "$CID" true
	[ "$status" -eq 0 ]
	local pid
	pid=$(state_field "$CID" pid)
	runtime exec "$CID" sh -c 'ls /proc | grep -c "^[0-9]"'
	# sleep (init) and the counting shell with its children only.
	[ "$status" -eq 0 ]
	[ "$output" -le 4 ]
}

@test "exec failures of the runtime's own exit 255, in runc's words" {
	runtime_split exec nosuch-container true
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"exec failed: container does not exist"* ]]

	runtime_split exec "$CID" /no/such/program
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"exec failed: unable to start container process: exec: "*"/no/such/program"*"no such file or directory"* ]]

	runtime_split exec -p "$TEST_DIR/no-such-process.json" "$CID"
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"exec failed: "* ]]

	# The process's own status passes through as it is.
	runtime exec "$CID" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "exec --cgroup / runs the process in the container's own cgroup" {
	runtime exec --cgroup / "$CID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	local inside
	inside=$output
	runtime exec "$CID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[ "$inside" = "$output" ]
}

@test "exec --cgroup: a path out of the container's cgroup and an unknown controller are refused" {
	runtime_split exec --cgroup ../escape "$CID" true
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"../escape is not a sub cgroup path"* ]]

	[ -e /sys/fs/cgroup/cgroup.controllers ] && return 0
	runtime_split exec --cgroup nosuch:sub "$CID" true
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"unknown controller nosuch in "* ]]
}

@test "exec's early taker of the cgroup migration lock is reaped, and its child too" {
	skip_if_runc "runb's own helper"
	[ "$(cat /sys/kernel/rcu_expedited 2>/dev/null)" != 1 ] || skip "this kernel expedites grace periods: runb starts no helper here"
	runtime_bg "$TEST_DIR/exec.out" --debug exec "$CID" sh -c 'touch /tmp/exec-ready; until [ -e /tmp/exec-go ]; do sleep 0.1; done'
	local job=$! pid
	wait_for_file "$BUNDLE/rootfs/tmp/exec-ready"
	grep -q 'cgroup migration lock: taken early' "$TEST_DIR/exec.out" || fail "no helper was started: $(cat "$TEST_DIR/exec.out")"
	pid=$(pgrep -f "^$RUNTIME_BIN --root $ROOT --debug exec $CID")
	[ -n "$pid" ] || fail "no exec process"
	# exec is still running: the helper it started is no child of it, not even a zombie.
	! ps --ppid "$pid" -o comm= | grep -qx runb-prime || fail "exec left its helper unreaped: $(ps --ppid "$pid" -o pid=,stat=,comm=)"
	touch "$BUNDLE/rootfs/tmp/exec-go"
	wait "$job"
	# The helper's child, orphaned, is reaped by whoever reaps orphans.
	local tries=50
	while pgrep -x runb-prime >/dev/null && [ "$tries" -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	! pgrep -x runb-prime >/dev/null || fail "a helper is still there: $(pgrep -a -x runb-prime)"
}
