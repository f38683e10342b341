#!/usr/bin/env bats
# File descriptors passed to the container: --preserve-fds and socket
# activation (LISTEN_FDS).

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
	echo "passed-through" >"$TEST_DIR/fdfile"
}

@test "--preserve-fds 1 hands fd 3 to the container" {
	set_args sh -c 'cat <&3'
	run timeout 30 "$RUNTIME_BIN" --root "$ROOT" run --preserve-fds 1 "$CID" 3<"$TEST_DIR/fdfile"
	[ "$status" -eq 0 ]
	[ "$output" = "passed-through" ]
}

@test "without --preserve-fds the container gets only stdio" {
	set_args sh -c 'ls /proc/self/fd | tr "\n" " "'
	run timeout 30 "$RUNTIME_BIN" --root "$ROOT" run "$CID" 3<"$TEST_DIR/fdfile"
	[ "$status" -eq 0 ]
	# 0 1 2, and the one ls itself opens on /proc/self/fd
	[ "$output" = "0 1 2 3 " ]
	set_args sh -c 'cat <&3'
	run timeout 30 "$RUNTIME_BIN" --root "$ROOT" run "$CID-2" 3<"$TEST_DIR/fdfile"
	CONTAINER_IDS+=("$CID-2")
	[ "$status" -ne 0 ]
}

@test "LISTEN_FDS for the runtime's own pid is passed on with the sockets" {
	set_args sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; cat <&3'
	run timeout 30 sh -c 'LISTEN_FDS=1 LISTEN_PID=$$ exec "$0" --root "$1" run "$2" 3<"$3"' \
		"$RUNTIME_BIN" "$ROOT" "$CID" "$TEST_DIR/fdfile"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1 1" ]
	[ "${lines[1]}" = "passed-through" ]
}
