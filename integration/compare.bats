#!/usr/bin/env bats
# The same config under runb and runc gives the same process: capability
# sets, no_new_privs, id maps and mount table, read from inside.

load helpers

function setup() {
	requires root
	skip_if_runc "compares runb with runc"
	command -v runc >/dev/null || fail "runc is needed to compare against"
	setup_bundle
}

SNAPSHOT='grep -E "^(Cap|NoNewPrivs)" /proc/self/status; cat /proc/self/uid_map /proc/self/gid_map; cut -d" " -f5,6,9- /proc/self/mountinfo | sort'

# under RUNTIME_BINARY ID: run the snapshot with another runtime binary.
function under() {
	local bin=$1 id=$2
	timeout 30 "$bin" --root "$TEST_DIR/root-$(basename "$bin")" run "$id" </dev/null 2>&1
}

function compare_runtimes() {
	set_args sh -c "$SNAPSHOT"
	local ours theirs
	ours=$(under "$RUNTIME_BIN" "$CID")
	update_config ".linux.cgroupsPath = \"$(jq -r .linux.cgroupsPath config.json)-runc\""
	CGROUPS_PATHS+=("$(jq -r .linux.cgroupsPath config.json)")
	theirs=$(under "$(command -v runc)" "$CID-runc")
	[ -n "$ours" ]
	diff <(echo "$theirs") <(echo "$ours") || fail "runb and runc differ (< runc, > runb)"
}

@test "runc spec's default config: same capabilities, no_new_privs, mounts" {
	rm config.json
	runc spec
	update_config '.process.terminal = false'
	new_cgroups_path
	compare_runtimes
}

@test "a config with a user namespace: same id maps and mounts" {
	local d=$TEST_DIR
	chmod o+x "$BUNDLE" "$BUNDLE/rootfs"
	while [ "$d" != / ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	update_config '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 300000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 300000, size: 65536}]
		| .root.readonly = true'
	compare_runtimes
}
