#!/usr/bin/env bats
# Input the runtime cannot use is refused with a message that says what is
# wrong and where, never with the JavaScript engine's own words, and without
# taking the runtime down on the way.

load helpers

function setup() {
	requires root
	setup_bundle
}

function teardown() {
	if [ -n "${FULL_MOUNT:-}" ]; then
		umount "$FULL_MOUNT" 2>/dev/null || true
	fi
	teardown_bundle
}

# The engine's messages that must never reach the user.
function no_engine_words() {
	[[ "$output" != *"JSON Parse error"* ]] || fail "raw parser message"
	[[ "$output" != *"is not an object"* ]] || fail "raw engine message"
	[[ "$output" != *"Maximum call stack"* ]] || fail "stack overflow"
	[[ "$output" != *"err_invalid_arg"* && "$output" != *"ERR_INVALID_ARG"* ]] || fail "raw argument check"
}

@test "a config that is not JSON is refused with its line and column" {
	skip_if_runc "runc 1.1 gives the decoder's message without a position"
	printf '{\n  "ociVersion": "1.0.2",\n  "process": oops\n}\n' >config.json
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"config.json: invalid JSON at line 3, column 14"* ]]
	no_engine_words
}

@test "a config nested too deep is refused at once" {
	local depth=100000
	{
		printf '{"ociVersion": "1.0.2", "x": '
		head -c "$depth" /dev/zero | tr '\0' '['
		head -c "$depth" /dev/zero | tr '\0' ']'
		printf '}\n'
	} >config.json
	local started=$SECONDS
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[ $((SECONDS - started)) -lt 10 ]
	no_engine_words
	is_runc || [[ "$output" == *"nesting deeper than"* ]]
}

@test "a NUL byte in cgroupsPath is refused by name" {
	update_config '.linux.cgroupsPath = "/runb-nul\u0000x"'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	no_engine_words
	is_runc || [[ "$output" == *"linux.cgroupsPath contains a NUL byte"* ]]
}

@test "a failing init step says what failed once" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}]'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"rlimit"* ]]
	[[ "$output" != *"set setrlimit"* ]] || fail "doubled words"

	update_config '.process.rlimits = [] | .linux.maskedPaths += ["/dev/null/x"]'
	runtime run "$(new_id)"
	[ "$status" -ne 0 ]
	is_runc || [[ "$output" == *"mask /dev/null/x: not a directory"* ]]
	[[ "$output" != *"/dev/null/x: mask /dev/null/x"* ]] || fail "doubled words"
}

@test "an init the OOM killer takes is reported as such" {
	update_config '.linux.resources.memory = {"limit": 20480}'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" != *"exited before it was ready"* ]]
	# runc's own init is far larger, so it fails setting the limit instead.
	[[ "$output" == *"OOM-killed"* || "$output" == *"memory limit"* ]]
}

@test "a full disk is reported with the path that could not be written" {
	FULL_MOUNT="$TEST_DIR/full"
	mkdir "$FULL_MOUNT"
	mount -t tmpfs -o size=16k tmpfs "$FULL_MOUNT"
	head -c 65536 /dev/zero >"$FULL_MOUNT/fill" 2>/dev/null || true
	set_args true
	ROOT="$FULL_MOUNT/state" runtime run -d "$CID"
	[ "$status" -ne 0 ]
	# runc 1.1 says only "unable to store init state".
	is_runc || [[ "$output" == *"$FULL_MOUNT/state/"*"no space left on device"* ]]
}
