#!/usr/bin/env bats
# features: a schema-valid document that tells the truth.

load helpers

BUN="$BATS_TEST_DIRNAME/../node_modules/.bin/bun"
VALIDATE="$BATS_TEST_DIRNAME/clients/validate.ts"

function setup() {
	requires root
	skip_if_runc "runc 1.1 has no features document for runtime-spec 1.3"
	setup_bundle
	writable_rootfs
}

@test "features is valid against the runtime-spec features schema" {
	runtime_split features
	[ "$status" -eq 0 ]
	echo "$output" >"$TEST_DIR/features.json"
	run "$BUN" "$VALIDATE" features <"$TEST_DIR/features.json"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(jq -r .ociVersionMax "$TEST_DIR/features.json")" = "1.3.0" ]
}

@test "every namespace features lists can be created" {
	runtime_split features
	[ "$status" -eq 0 ]
	local ns types
	types=$(jq -r '.linux.namespaces[]' <<<"$output")
	[ -n "$types" ]
	for ns in $types; do
		[ "$ns" = "user" ] && continue # needs id mappings: below
		update_config '.linux.namespaces |= (map(select(.type != $t)) + [{type: $t}])' --arg t "$ns"
	done
	update_config '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}]'
	reachable_by_any_uid
	set_args sh -c 'for n in cgroup ipc mnt net pid time user uts; do readlink /proc/self/ns/$n; done'
	runtime run "$CID"
	[ "$status" -eq 0 ] || fail "$output"
	for ns in cgroup ipc mnt net pid time user uts; do
		local inside
		inside=$(grep "^$ns:" <<<"$output")
		[ -n "$inside" ] || fail "no $ns namespace line in: $output"
		[ "$inside" != "$(readlink "/proc/$$/ns/$ns")" ] || fail "$ns namespace is the host's"
	done
}

@test "every capability features lists is known to the kernel's bounding set" {
	runtime_split features
	[ "$status" -eq 0 ]
	local last
	last=$(cat /proc/sys/kernel/cap_last_cap)
	[ "$(jq '.linux.capabilities | length' <<<"$output")" -le $((last + 1)) ]
}
