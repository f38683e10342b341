#!/usr/bin/env bats
# Global flags: --version, --log, --log-format, --root.

load helpers

function setup() {
	requires root
	setup_bundle
}

@test "--version names the runtime and the spec version" {
	runtime_split --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^[a-z][a-z0-9-]*\ version\ [0-9] ]]
	printf '%s\n' "${lines[@]}" | grep -Eq '^spec: 1\.[0-9]+'
}

@test "--version names the commit the binary was built from" {
	runtime_split --version
	[ "$status" -eq 0 ]
	local commit
	commit=$(printf '%s\n' "${lines[@]}" | sed -n 's/^commit: //p')
	[ -n "$commit" ] && [ "$commit" != unknown ]
	is_runc && return 0
	# `git describe --dirty --long --always`: [TAG-N-g]SHA[-dirty]; the SHA
	# is a commit of this repository.
	local sha=${commit%-dirty}
	sha=${sha##*-g}
	git -C "$INTEGRATION_ROOT" cat-file -e "$sha^{commit}"
}

@test "--log FILE --log-format json: errors are JSON objects" {
	runtime_split --log "$TEST_DIR/log.json" --log-format json state no-such-container
	[ "$status" -ne 0 ]

	[ -s "$TEST_DIR/log.json" ]
	cat "$TEST_DIR/log.json"
	# Every line is a JSON object; at least one is an error with a message.
	jq -e 'type == "object"' "$TEST_DIR/log.json" >/dev/null
	jq -se 'map(select(.level == "error" and (.msg | type == "string") and (.msg | length > 0))) | length > 0' \
		"$TEST_DIR/log.json" >/dev/null
	jq -se 'map(select(.level == "error")) | .[0].msg | contains("container does not exist")' \
		"$TEST_DIR/log.json" >/dev/null
}

@test "--log FILE: a failed create is logged" {
	update_config '.process.args = []'
	runtime_split --log "$TEST_DIR/log.json" --log-format json create "$CID"
	[ "$status" -ne 0 ]
	jq -se 'map(select(.level == "error")) | length > 0' "$TEST_DIR/log.json" >/dev/null
}

@test "--log FILE appends" {
	echo '{"level":"info","msg":"already here"}' >"$TEST_DIR/log.json"
	runtime_split --log "$TEST_DIR/log.json" --log-format json state no-such-container
	[ "$status" -ne 0 ]
	[ "$(head -n1 "$TEST_DIR/log.json")" = '{"level":"info","msg":"already here"}' ]
	[ "$(wc -l <"$TEST_DIR/log.json")" -ge 2 ]
}

@test "--root keeps containers apart" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	[ -d "$ROOT/$CID" ]

	local other="$TEST_DIR/other-root"
	run timeout 30 "$RUNTIME_BIN" --root "$other" list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run timeout 30 "$RUNTIME_BIN" --root "$other" state "$CID"
	[ "$status" -ne 0 ]
}

@test "a relative --root names one directory whatever the working directory" {
	set_args sleep 100
	# From the bundle: "../state" is $ROOT.
	[ "$(cd .. && pwd)/state" = "$ROOT" ]
	# To a file: the container holds create's stdout, a pipe would not end.
	timeout 30 "$RUNTIME_BIN" --root ../state create "$CID" </dev/null >"$TEST_DIR/create.out" 2>&1 3>&- ||
		fail "create: $(cat "$TEST_DIR/create.out")"
	[ -d "$ROOT/$CID" ]
	# The same container through the absolute path, from elsewhere.
	runtime start "$CID"
	[ "$status" -eq 0 ]
	runtime state "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
}

@test "a relative --root is made absolute: messages name the directory itself" {
	skip_if_runc "runc before 1.2 keeps --root as given"
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	echo '{' >"$ROOT/$CID/state.json"
	run timeout 30 "$RUNTIME_BIN" --root ../state/./ state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$ROOT/$CID/state.json"* ]] || fail "the message does not name $ROOT: $output"
}

@test "--root / is refused, and nothing is made there" {
	skip_if_runc "runc before 1.2 takes / as given"
	local before
	before=$(ls -A /)
	for arg in / . ../../../../../../..; do
		run timeout 30 sh -c 'cd / && "$0" --root "$1" list' "$RUNTIME_BIN" "$arg"
		[ "$status" -ne 0 ]
		[[ "$output" == *"option --root argument should not be set to /"* ]] || fail "--root $arg: $output"
	done
	[ "$(ls -A /)" = "$before" ]
}

@test "--help lists the commands" {
	runtime_split --help
	[ "$status" -eq 0 ]
	local cmd
	for cmd in create start run state kill delete list spec; do
		[[ "$output" == *"$cmd"* ]] || fail "--help does not mention $cmd"
	done
}
