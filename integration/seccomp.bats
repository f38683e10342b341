#!/usr/bin/env bats
# linux.seccomp: the filter is on the container's process and on exec'd ones.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
	update_config '.linux.seccomp = {
		defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: [
			{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1},
			{names: ["sethostname"], action: "SCMP_ACT_ERRNO", errnoRet: 13}
		]
	}'
}

@test "a denied syscall fails with the configured errno, others work" {
	set_args sh -c 'mkdir /tmp/x; echo "mkdir=$?"; hostname other; echo "hostname=$?"; grep ^Seccomp: /proc/self/status'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"mkdir=1"* ]]
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *"Permission denied"* ]]
	[[ "$output" == *"Seccomp:	2"* ]]
	[ ! -e "$BUNDLE/rootfs/tmp/x" ]
}

@test "exec'd processes get the container's filter" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	runtime exec "$CID" sh -c 'mkdir /tmp/y; echo "mkdir=$?"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"mkdir=1"* ]]
	[ ! -e "$BUNDLE/rootfs/tmp/y" ]
}

@test "a default errno action with an allow list" {
	update_config '.linux.seccomp.defaultAction = "SCMP_ACT_ERRNO" | .linux.seccomp.syscalls = []'
	set_args true
	runtime run "$CID"
	# Not even execve is allowed: the container cannot start its program.
	[ "$status" -ne 0 ]
}

@test "an unknown action is refused before anything is created" {
	update_config '.linux.seccomp.syscalls[0].action = "SCMP_ACT_BOGUS"'
	runtime run "$CID"
	[ "$status" -ne 0 ]
	check_no_leftovers
}

# start_agent: the test's seccomp supervisor (testdata/seccomp-agent.c),
# listening at $AGENT_SOCKET; the state it receives goes to $AGENT_STATE.
function start_agent() {
	AGENT_SOCKET="$TEST_DIR/agent.sock"
	AGENT_STATE="$TEST_DIR/agent-state.json"
	gcc -O -o "$TEST_DIR/seccomp-agent" "$TESTDATA/seccomp-agent.c"
	"$TEST_DIR/seccomp-agent" "$AGENT_SOCKET" "$AGENT_STATE" 3>&- &
	AGENT_PID=$!
	wait_for_file "$AGENT_SOCKET"
}

function teardown() {
	[ -z "${AGENT_PID:-}" ] || kill -9 "$AGENT_PID" 2>/dev/null || true
	teardown_bundle
}

@test "SCMP_ACT_NOTIFY: the listener goes to the agent at listenerPath, which decides" {
	start_agent
	update_config '.linux.seccomp = {
		defaultAction: "SCMP_ACT_ALLOW", listenerPath: $s, listenerMetadata: "meta-data",
		architectures: ["SCMP_ARCH_X86_64"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}' --arg s "$AGENT_SOCKET"
	# The agent answers "done" without making the directory.
	set_args sh -c 'mkdir /tmp/by-agent && echo mkdir-ok; [ -d /tmp/by-agent ] && echo made || echo not-made'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "mkdir-ok
not-made" ]
	[ "$(jq -c .fds "$AGENT_STATE")" = '["seccompFd"]' ]
	[ "$(jq -r .metadata "$AGENT_STATE")" = meta-data ]
	[ "$(jq -r .state.id "$AGENT_STATE")" = "$CID" ]
	[ "$(jq -r '.pid > 0' "$AGENT_STATE")" = true ]
}

@test "SCMP_ACT_NOTIFY without a listenerPath is refused" {
	update_config '.linux.seccomp.syscalls += [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]'
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *listenerPath* ]]
	check_no_leftovers
}
