#!/usr/bin/env bats
# A command exits without waiting for the kernel to free its memory: a
# helper sharing that memory outlives it briefly and frees it after. The
# caller must never wait for the helper, and the helper must hold nothing
# anyone waits on.

load helpers

function setup() {
	requires root
	skip_if_runc "runc frees its own memory as it exits"
	command -v strace >/dev/null || skip "test requires strace (apt-get install strace)"
	setup_bundle
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
}

function teardown() {
	if [ -n "${TRACER:-}" ]; then
		kill "$TRACER" 2>/dev/null || true
		wait "$TRACER" 2>/dev/null || true
	fi
	teardown_bundle
}

# The pid strace logged for the helper: the clone that shares memory
# without being a thread. strace may log the call in two parts, when
# another process's line comes between: "clone(... <unfinished ...>",
# then "<... clone resumed>) = PID". Nothing while strace has not yet
# made the log.
function helper_pid() {
	[ -f "$1" ] || return 0
	awk '
		$2 ~ /^clone\(/ && /flags=CLONE_VM\|SIGCHLD/ {
			if ($NF ~ /^[0-9]+$/ && $(NF-1) == "=") { print $NF; exit }
			pending[$1] = 1
			next
		}
		$2 == "<..." && $3 == "clone" && pending[$1] && $(NF-1) == "=" { print $NF; exit }
	' "$1"
}

# Whether strace logged PID's exit (it pads pids to a common width).
function exited() {
	grep -Eq "^$1 +\+\+\+ exited with 0 \+\+\+" "$2"
}

@test "the helper that frees a command's memory holds no file, sits in /, takes no signal, and outlives the command" {
	local log="$TEST_DIR/strace.log" out="$TEST_DIR/state.out" main helper i
	# The helper's sleep is stretched to 5 s, so that it can be looked at
	# once the command has exited; strace waits for it, and is stopped here.
	strace -f -q -o "$log" -e trace=clone,clock_nanosleep -e inject=clock_nanosleep:delay_enter=5000000 \
		"$RUNTIME_BIN" --root "$ROOT" state "$CID" >"$out" 2>&1 3>&- &
	TRACER=$!
	for i in $(seq 100); do
		main=$(head -n 1 "$log" 2>/dev/null | awk '{ print $1 }')
		helper=$(helper_pid "$log")
		[ -n "$main" ] && [ -n "$helper" ] && exited "$main" "$log" && break
		sleep 0.1
	done
	cat "$log" >&2
	[ -n "$helper" ] || fail "no helper was started"
	exited "$main" "$log" || fail "the command did not exit while its helper lived"
	[ -d "/proc/$helper" ] || fail "the helper is already gone"

	# The command's whole output reached the caller.
	[ "$(jq -r .id "$out")" = "$CID" ]

	# Nothing but /dev/null and the engine's anonymous files.
	local fd target
	for fd in /proc/"$helper"/fd/*; do
		target=$(readlink "$fd") || continue
		case $target in
		/dev/null | anon_inode:*) ;;
		*) fail "the helper holds $target" ;;
		esac
	done
	[ "$(readlink "/proc/$helper/cwd")" = / ]

	# SIGHUP (1), SIGINT (2), SIGTERM (15) and SIGCHLD (17) are blocked.
	local blocked
	blocked=$(awk '/^SigBlk:/ { print $2 }' "/proc/$helper/status")
	for i in 1 2 15 17; do
		(((0x$blocked >> (i - 1)) & 1)) || fail "signal $i is not blocked in the helper ($blocked)"
	done
}
