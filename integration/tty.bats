#!/usr/bin/env bats
# Terminals: --console-socket receives the pty master (recvtty client), or
# the runtime relays it in the foreground.

load helpers

RECVTTY="$BATS_TEST_DIRNAME/clients/recvtty.ts"
BUN="$BATS_TEST_DIRNAME/../node_modules/.bin/bun"

function setup() {
	requires root
	setup_bundle
	writable_rootfs
	RECVTTY_PID=
}

function teardown() {
	# A listener still waiting would keep bats from finishing.
	[ -z "$RECVTTY_PID" ] || kill "$RECVTTY_PID" 2>/dev/null || true
	teardown_bundle
}

# start_recvtty EXPECT INPUT: listen on $TEST_DIR/console.sock in the background.
function start_recvtty() {
	SOCK="$TEST_DIR/console.sock"
	"$BUN" "$RECVTTY" "$SOCK" --input "$2" --expect "$1" --timeout 10 >"$TEST_DIR/tty.out" 2>&1 &
	RECVTTY_PID=$!
	local i
	for i in $(seq 100); do
		[ -S "$SOCK" ] && return 0
		sleep 0.05
	done
	fail "recvtty did not start: $(cat "$TEST_DIR/tty.out")"
}

@test "exec -d -t --console-socket hands over an interactive shell" {
	set_args sleep 1000
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	start_recvtty "hello-3" 'echo hello-$((1+2)); tty\nexit 4\n'
	runtime exec -d -t --console-socket "$SOCK" "$CID" sh
	[ "$status" -eq 0 ]
	wait "$RECVTTY_PID"
	RECVTTY_PID=
	grep -q "hello-3" "$TEST_DIR/tty.out"
	grep -q "^received " "$TEST_DIR/tty.out"
}

@test "a console socket without --detach is refused" {
	set_args sleep 1000
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	runtime exec -t --console-socket "$TEST_DIR/none.sock" "$CID" sh
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot use console socket"* ]]
}

@test "create with terminal: the console socket gets the init's terminal" {
	update_config '.process.terminal = true | .process.consoleSize = {"height": 33, "width": 77}'
	set_args sh
	start_recvtty "33 77" 'stty size\n'
	runtime create --console-socket "$SOCK" "$CID"
	[ "$status" -eq 0 ]
	runtime start "$CID"
	[ "$status" -eq 0 ]
	wait "$RECVTTY_PID"
	RECVTTY_PID=
	grep -q "33 77" "$TEST_DIR/tty.out"
}

@test "run -t in the foreground relays the terminal" {
	command -v script >/dev/null || fail "script(1) from util-linux is needed"
	update_config '.process.terminal = true'
	set_args sh -c 'tty; stty size'
	local cmd="stty rows 40 cols 120; exec $RUNTIME_BIN --root $ROOT run $CID"
	# A fixed shell for script(1), and exec: the runtime stays in the
	# terminal's foreground process group whatever the caller's $SHELL.
	run timeout 20 env SHELL=/bin/sh script -qec "$cmd" /dev/null </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"40 120"* ]]
}

@test "terminal with --detach and no console socket is refused" {
	update_config '.process.terminal = true'
	runtime run -d "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot allocate tty"* ]]
	check_no_leftovers
}

@test "console socket without a terminal is refused" {
	runtime create --console-socket "$TEST_DIR/none.sock" "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot use console socket"* ]]
	check_no_leftovers
}
