#!/usr/bin/env bats
# kill: signals to the container's init, or to all its processes.
#
# An init in a pid namespace only gets the signals it has a handler for
# (SIGKILL and SIGSTOP from outside excepted), so the containers below trap
# what they expect and write down what they got.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs

	# /trap.sh: record TERM (and exit), USR1 and HUP in /tmp/sig, one line
	# each; /tmp/ready once the traps are set.
	cat >"$BUNDLE/rootfs/trap.sh" <<'EOF'
#!/bin/sh
trap 'echo TERM >>/tmp/sig; exit 0' TERM
trap 'echo USR1 >>/tmp/sig' USR1
trap 'echo HUP >>/tmp/sig' HUP
touch /tmp/ready
while :; do sleep 0.1; done
EOF
	# /family.sh: like trap.sh, plus a child process that records USR1 in
	# /tmp/sig-child.
	cat >"$BUNDLE/rootfs/family.sh" <<'EOF'
#!/bin/sh
sh -c 'trap "echo USR1 >>/tmp/sig-child" USR1; touch /tmp/ready-child; while :; do sleep 0.1; done' &
exec /trap.sh
EOF
	# /sleep.sh: no handlers at all.
	cat >"$BUNDLE/rootfs/sleep.sh" <<'EOF'
#!/bin/sh
touch /tmp/ready
exec sleep 100
EOF
	chmod +x "$BUNDLE/rootfs/trap.sh" "$BUNDLE/rootfs/family.sh" "$BUNDLE/rootfs/sleep.sh"
}

# Start the container with ARGS, wait until it is ready.
function start_container() {
	set_args "$@"
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/tmp/ready"
}

# wait_for_lines FILE N: wait until FILE has N lines.
function wait_for_lines() {
	local i
	for i in $(seq 100); do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	fail "$1: wanted $2 lines, got: $(cat "$1" 2>/dev/null)"
}

@test "kill sends SIGTERM by default" {
	start_container /trap.sh

	runtime kill "$CID"
	[ "$status" -eq 0 ]

	wait_for_status "$CID" stopped
	[ "$(cat "$BUNDLE/rootfs/tmp/sig")" = "TERM" ]
}

@test "kill by name, by name with SIG prefix, by number" {
	start_container /trap.sh

	runtime kill "$CID" USR1
	[ "$status" -eq 0 ]
	wait_for_lines "$BUNDLE/rootfs/tmp/sig" 1

	runtime kill "$CID" SIGHUP
	[ "$status" -eq 0 ]
	wait_for_lines "$BUNDLE/rootfs/tmp/sig" 2

	runtime kill "$CID" 10
	[ "$status" -eq 0 ]
	wait_for_lines "$BUNDLE/rootfs/tmp/sig" 3

	[ "$(cat "$BUNDLE/rootfs/tmp/sig")" = "$(printf 'USR1\nHUP\nUSR1')" ]
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "kill KILL stops a container" {
	start_container /sleep.sh

	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped
}

@test "kill SIGKILL stops a container" {
	start_container /sleep.sh

	runtime kill "$CID" SIGKILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped
}

@test "kill 9 stops a container" {
	start_container /sleep.sh

	runtime kill "$CID" 9
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped
}

@test "kill: the init's pid is gone after KILL" {
	start_container /sleep.sh
	local pid
	pid=$(state_field "$CID" pid)
	[ -d "/proc/$pid" ]

	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped
	wait_for_pid_gone "$pid"
}

@test "kill of a created container" {
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]

	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped
}

@test "kill of a stopped container fails" {
	start_container /sleep.sh
	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime_split kill "$CID" KILL
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"not running"* ]]
}

@test "kill with an unknown signal fails" {
	start_container /sleep.sh

	runtime_split kill "$CID" NOSUCHSIGNAL
	[ "$status" -ne 0 ]
	[ -n "$stderr" ]
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "kill without --all signals only the init" {
	start_container /family.sh
	wait_for_file "$BUNDLE/rootfs/tmp/ready-child"

	runtime kill "$CID" USR1
	[ "$status" -eq 0 ]
	wait_for_lines "$BUNDLE/rootfs/tmp/sig" 1
	sleep 0.5
	[ ! -e "$BUNDLE/rootfs/tmp/sig-child" ]
}

@test "kill --all signals every process of the container" {
	start_container /family.sh
	wait_for_file "$BUNDLE/rootfs/tmp/ready-child"

	runtime kill --all "$CID" USR1
	[ "$status" -eq 0 ]
	wait_for_lines "$BUNDLE/rootfs/tmp/sig" 1
	wait_for_lines "$BUNDLE/rootfs/tmp/sig-child" 1
	[ "$(state_field "$CID" status)" = "running" ]
}

@test "kill --all KILL stops the container" {
	start_container /family.sh
	wait_for_file "$BUNDLE/rootfs/tmp/ready-child"

	runtime kill --all "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime delete "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

# containerd's shim does this after the init of a container without a pid
# namespace of its own exits: whatever the init left behind still holds the
# container's stdout, and only the cgroup knows about it.
@test "kill --all on a stopped container signals what its init left in the cgroup" {
	update_config '.linux.namespaces -= [{type: "pid"}]'
	set_args sh -c 'sleep 100 & echo $! >/tmp/child; exit 0'
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/tmp/child"
	wait_for_status "$CID" stopped
	local child
	child=$(cat "$BUNDLE/rootfs/tmp/child")
	[ -n "$child" ]
	[ -d "/proc/$child" ]

	runtime kill --all "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_pid_gone "$child"

	# Nothing left to signal: still fine.
	runtime kill --all "$CID" KILL
	[ "$status" -eq 0 ]

	runtime delete "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "kill --all of a paused container leaves it paused" {
	skip_if_runc "runc 1.1.5 thaws a paused container after kill --all"
	start_container /family.sh
	wait_for_file "$BUNDLE/rootfs/tmp/ready-child"
	runtime pause "$CID"
	[ "$status" -eq 0 ]

	runtime kill --all "$CID" USR1
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "paused" ]

	runtime resume "$CID"
	[ "$status" -eq 0 ]
	wait_for_lines "$BUNDLE/rootfs/tmp/sig" 1
	wait_for_lines "$BUNDLE/rootfs/tmp/sig-child" 1
}

@test "kill ID 0 tells whether the container runs" {
	start_container /sleep.sh

	runtime kill "$CID" 0
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "running" ]

	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped

	runtime_split kill "$CID" 0
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"not running"* ]]
}
