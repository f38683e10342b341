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

@test "--help lists the commands" {
	runtime_split --help
	[ "$status" -eq 0 ]
	local cmd
	for cmd in create start run state kill delete list spec; do
		[[ "$output" == *"$cmd"* ]] || fail "--help does not mention $cmd"
	done
}
