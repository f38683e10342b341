#!/usr/bin/env bats
# spec: the example config.json.

load helpers

function setup() {
	requires root
	setup_bundle
	SPEC_DIR="$TEST_DIR/spec"
	mkdir "$SPEC_DIR"
	cd "$SPEC_DIR"
}

@test "spec writes config.json in the current directory" {
	runtime spec
	[ "$status" -eq 0 ]
	[ -f config.json ]

	jq -e . config.json >/dev/null
	[[ "$(jq -r .ociVersion config.json)" =~ ^1\.[0-9]+\. ]]
	[ "$(jq -r .root.path config.json)" = "rootfs" ]
	[ "$(jq -r '.process.args | join(" ")' config.json)" = "sh" ]
	[ "$(jq -r '.process.cwd' config.json)" = "/" ]
	[ "$(jq -r '.mounts | map(.destination) | index("/proc") != null' config.json)" = "true" ]
	[ "$(jq -r '.linux.namespaces | map(.type) | index("mount") != null' config.json)" = "true" ]
	[ "$(jq -r '.linux.namespaces | map(.type) | index("pid") != null' config.json)" = "true" ]
}

@test "spec --bundle writes config.json in that directory" {
	mkdir other
	runtime spec --bundle other
	[ "$status" -eq 0 ]
	[ -f other/config.json ]
	[ ! -e config.json ]
	jq -e .ociVersion other/config.json >/dev/null
}

@test "spec -b with an absolute path" {
	mkdir "$TEST_DIR/abs"
	runtime spec -b "$TEST_DIR/abs"
	[ "$status" -eq 0 ]
	[ -f "$TEST_DIR/abs/config.json" ]
}

@test "spec refuses to overwrite config.json" {
	echo '{"sentinel": true}' >config.json

	runtime_split spec
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"exists"* ]]
	[ "$(jq -r .sentinel config.json)" = "true" ]
}

@test "a container runs from the spec's config" {
	runtime spec
	[ "$status" -eq 0 ]

	cp -a "$BUNDLE/rootfs" rootfs
	BUNDLE=$SPEC_DIR
	update_config '.process.terminal = false | .process.args = ["sh", "-c", "echo from-spec; hostname"]'
	new_cgroups_path

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "from-spec" ]
	[ "${lines[1]}" = "$(jq -r .hostname config.json)" ]
}

@test "the example config asks for a terminal" {
	runtime spec
	[ "$status" -eq 0 ]
	[ "$(jq -r .process.terminal config.json)" = "true" ]
}
