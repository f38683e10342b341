#!/usr/bin/env bats
# Rootless containers: the runtime run by an unprivileged user (nobody),
# with a user namespace that maps only that user's own ids, as runc runs
# them: state under $XDG_RUNTIME_DIR, no device cgroup rules, cgroups only
# where the user may make them, and plain errors where it may not.

load helpers

NOBODY=65534

function setup() {
	requires root
	setup_bundle
	reachable_by_any_uid
	XDG_DIR="$TEST_DIR/xdg"
	mkdir -m 0700 "$XDG_DIR"
	chown "$NOBODY:$NOBODY" "$XDG_DIR"
	# What "spec --rootless" changes: a user namespace of the user's own
	# ids, no network namespace, no gid= for devpts, /sys bound rather than
	# mounted, no cgroup mount; and no cgroupsPath, no limits.
	update_config '
		.linux.namespaces = [.linux.namespaces[] | select(.type != "network")] + [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": $id, "size": 1}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": $id, "size": 1}]
		| .mounts |= map(if .destination == "/dev/pts" then .options -= ["gid=5"] else . end)
		| .mounts |= map(if .type == "sysfs" then {"destination": "/sys", "type": "none", "source": "/sys", "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]} else . end)
		| .mounts |= map(select(.type != "cgroup" and .type != "cgroup2"))
		| del(.linux.cgroupsPath) | del(.linux.resources)' --argjson id "$NOBODY"
	chown "$NOBODY:$NOBODY" "$BUNDLE/config.json"
	STATE_DIR="$XDG_DIR/$RUNTIME_NAME"
}

function teardown() {
	# What a failed test may have left: the containers, as the user.
	local id
	for id in "${CONTAINER_IDS[@]}"; do
		as_nobody "$RUNTIME_BIN" delete -f "$id" >/dev/null 2>&1 || true
	done
	check_no_leftovers
	[ ! -e "$STATE_DIR/$CID" ] || fail "leftover: state directory $STATE_DIR/$CID"
}

# as_nobody CMD...: CMD as the unprivileged user, with its runtime directory.
function as_nobody() {
	timeout --kill-after=5 "$RUNTIME_TIMEOUT" setpriv --reuid "$NOBODY" --regid "$NOBODY" --clear-groups \
		env "XDG_RUNTIME_DIR=$XDG_DIR" "$@" </dev/null 3>&-
}

@test "rootless run: the user's own id is root inside; state in \$XDG_RUNTIME_DIR; devices work" {
	set_args sh -c 'id -u; cat /proc/self/uid_map; echo x >/dev/null && head -c 4 /dev/zero | wc -c'
	run as_nobody "$RUNTIME_BIN" run "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ +0\ +$NOBODY\ +1$ ]]
	[ "${lines[2]}" = 4 ]
	# The state directory was the user's runtime directory's, and is gone.
	[ -d "$STATE_DIR" ]
	[ "$(stat -c %u "$STATE_DIR")" = "$NOBODY" ]
	[ ! -e "$STATE_DIR/$CID" ]
}

@test "rootless create, state, start, delete go through \$XDG_RUNTIME_DIR" {
	set_args sleep 1000
	# The container keeps its stdio: a file, not the pipe "run" reads to its end.
	as_nobody "$RUNTIME_BIN" create "$CID" >"$TEST_DIR/create.out" 2>&1 || {
		cat "$TEST_DIR/create.out"
		fail "create failed"
	}
	[ -e "$STATE_DIR/$CID/state.json" ]
	run as_nobody "$RUNTIME_BIN" state "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = created ]
	run as_nobody "$RUNTIME_BIN" start "$CID"
	[ "$status" -eq 0 ]
	run as_nobody "$RUNTIME_BIN" list -q
	[ "$output" = "$CID" ]
	run as_nobody "$RUNTIME_BIN" delete -f "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$STATE_DIR/$CID" ]
}

@test "rootless with limits, where the user may not make cgroups: an error about cgroups, nothing left" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}}'
	set_args true
	run as_nobody "$RUNTIME_BIN" run "$CID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" =~ "rootless needs no limits"|"could not join or create cgroup"|"permission denied" ]]
	[ ! -e "$STATE_DIR/$CID" ]
}

@test "--rootless false as an unprivileged user: the cgroup permission error stands" {
	set_args true
	run as_nobody "$RUNTIME_BIN" --rootless false run "$CID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"permission denied"* ]]
	[ ! -e "$STATE_DIR/$CID" ]
}

@test "rootless with ids beyond the user's own: the map helper is named" {
	skip_if_runc "runc's message names the failing write or helper in its own words"
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": $id, "size": 1}, {"containerID": 1, "hostID": 200000, "size": 10}]' --argjson id "$NOBODY"
	chown "$NOBODY:$NOBODY" "$BUNDLE/config.json"
	set_args true
	run as_nobody "$RUNTIME_BIN" run "$CID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *newuidmap* ]]
	[ ! -e "$STATE_DIR/$CID" ]
}
