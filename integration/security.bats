#!/usr/bin/env bats
# Process security and isolation settings, read back from inside the
# container; bad settings refused before anything is created.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
}

@test "capabilities: the configured sets, and nothing more" {
	update_config '.process.capabilities = {
		bounding: ["CAP_CHOWN", "CAP_KILL"], effective: ["CAP_KILL"],
		permitted: ["CAP_CHOWN", "CAP_KILL"], inheritable: [], ambient: []}'
	set_args grep -E '^Cap(Bnd|Eff|Prm|Inh)' /proc/self/status
	runtime run "$CID"
	[ "$status" -eq 0 ]
	# CAP_CHOWN = bit 0, CAP_KILL = bit 5. Root's exec makes effective = permitted.
	[[ "$output" == *"CapBnd:	0000000000000021"* ]]
	[[ "$output" == *"CapPrm:	0000000000000021"* ]]
	[[ "$output" == *"CapInh:	0000000000000000"* ]]
}

@test "capabilities: an unknown name is ignored with runc's warning" {
	update_config '.process.capabilities = {
		bounding: ["CAP_KILL", "CAP_NO_SUCH_THING"], effective: ["CAP_KILL"],
		permitted: ["CAP_KILL", "CAP_NO_SUCH_THING"], inheritable: [], ambient: []}'
	set_args grep -E '^CapBnd' /proc/self/status
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ignoring unknown or unavailable capabilities: [CAP_NO_SUCH_THING]"* ]]
	[[ "$output" == *"CapBnd:	0000000000000020"* ]]
}

@test "capabilities: a non-root user keeps only its ambient ones" {
	update_config '.process.user = {uid: 1000, gid: 1000}
		| .process.capabilities = {
		bounding: ["CAP_CHOWN", "CAP_KILL"], effective: ["CAP_CHOWN", "CAP_KILL"],
		permitted: ["CAP_CHOWN", "CAP_KILL"], inheritable: ["CAP_KILL"], ambient: ["CAP_KILL"]}'
	set_args grep -E '^Cap(Eff|Prm|Amb)' /proc/self/status
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapPrm:	0000000000000020"* ]]
	[[ "$output" == *"CapEff:	0000000000000020"* ]]
	[[ "$output" == *"CapAmb:	0000000000000020"* ]]
}

@test "noNewPrivileges sets NoNewPrivs" {
	update_config '.process.noNewPrivileges = true'
	set_args grep NoNewPrivs /proc/self/status
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
	update_config '.process.noNewPrivileges = false'
	runtime run "$CID"
	[[ "$output" == *"NoNewPrivs:	0"* ]]
}

@test "rlimits, umask, additional groups, oom score" {
	update_config '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 321, hard: 654}, {type: "RLIMIT_CORE", soft: 0, hard: 0}]
		| .process.user = {uid: 1000, gid: 1000, additionalGids: [10, 20], umask: 63}
		| .process.oomScoreAdj = 123'
	set_args sh -c 'ulimit -n; ulimit -Hn; umask; id -G; cat /proc/self/oom_score_adj'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "321" ]
	[ "${lines[1]}" = "654" ]
	[ "${lines[2]}" = "0077" ]
	[ "${lines[3]}" = "1000 10 20" ]
	[ "${lines[4]}" = "123" ]
}

@test "masked paths read empty, read-only paths refuse writes" {
	update_config '.linux.maskedPaths = ["/tmp/secret", "/sys/firmware", "/no/such/path"]
		| .linux.readonlyPaths = ["/proc/sys", "/tmp/ro"]'
	mkdir -p "$BUNDLE/rootfs/tmp/ro"
	echo "do not read" >"$BUNDLE/rootfs/tmp/secret"
	set_args sh -c 'wc -c </tmp/secret; ls -A /sys/firmware | wc -l; touch /sys/firmware/x 2>&1 || echo masked-ro; touch /tmp/ro/x 2>&1 || echo ro-denied; echo 1 >/proc/sys/kernel/ns_last_pid 2>&1 || echo sys-ro'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "0" ]
	[ "${lines[1]}" = "0" ]
	[[ "$output" == *"masked-ro"* ]]
	[[ "$output" == *"ro-denied"* ]]
	[[ "$output" == *"sys-ro"* ]]
}

@test "sysctls in the container's own namespaces are set" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmni": "1234"}'
	set_args sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1" ]
	[ "${lines[1]}" = "1234" ]
	[ "$(cat /proc/sys/kernel/shmmni)" != "1234" ] || [ "$(cat /proc/sys/kernel/shmmni)" = "4096" ]
}

@test "time namespace offsets move the container's clocks" {
	[ -e /proc/self/ns/time ] || skip "kernel without time namespaces"
	skip_if_runc "runc 1.1 has no time namespace support"
	update_config '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {boottime: {secs: 864000, nanosecs: 0}}'
	set_args cut -d. -f1 /proc/uptime
	runtime run "$CID"
	[ "$status" -eq 0 ]
	local host
	host=$(cut -d. -f1 /proc/uptime)
	[ "$output" -ge $((host + 864000 - 5)) ]
}

@test "joining another container's namespaces by path" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	local pid ns
	pid=$(state_field "$CID" pid)
	local second=$CID-joiner
	CONTAINER_IDS+=("$second")
	update_config '.linux.namespaces = [
		{type: "pid"}, {type: "mount"},
		{type: "network", path: ($p + "/net")}, {type: "ipc", path: ($p + "/ipc")}, {type: "uts", path: ($p + "/uts")}]' --arg p "/proc/$pid/ns"
	update_config 'del(.hostname)'
	new_cgroups_path
	set_args sh -c 'for n in net ipc uts pid; do readlink /proc/self/ns/$n; done'
	runtime run "$second"
	[ "$status" -eq 0 ] || fail "$output"
	for ns in net ipc uts; do
		grep -Fqx "$(readlink "/proc/$pid/ns/$ns")" <<<"$output" || fail "$ns not joined: $output"
	done
	! grep -Fqx "$(readlink "/proc/$pid/ns/pid")" <<<"$output" || fail "pid namespace should be new"
}

@test "a new session keyring named after the container, unless --no-new-keyring" {
	update_config '.linux.maskedPaths -= ["/proc/keys"]'
	set_args cat /proc/keys
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"keyring"*"$CID"* ]] || fail "no session keyring for $CID in: $output"
	CONTAINER_IDS+=("$CID-nokeyring")
	runtime run --no-new-keyring "$CID-nokeyring"
	[ "$status" -eq 0 ]
	[[ "$output" != *"$CID-nokeyring"* ]]
}

@test "bad settings are refused before anything is created" {
	local cases=(
		'.process.rlimits = [{type: "RLIMIT_BOGUS", soft: 1, hard: 1}]'
		'.linux.sysctl = {"vm.swappiness": "10"}'
		'.linux.namespaces += [{type: "user"}]'
		'.linux.namespaces = [.linux.namespaces[] | select(.type != "uts")]'
		'.linux.intelRdt = {l3CacheSchema: "L3:0=f"}'
	)
	# runc 1.1 lets these through (a warning at most); runb refuses them.
	is_runc || cases+=(
		'.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "0"}'
		'.linux.netDevices = {eth9: {name: "eth9"}}'
		'.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 10}]'
	)
	# A config let through by mistake runs and exits at once.
	set_args true
	local bad
	for bad in "${cases[@]}"; do
		cp config.json config.json.orig
		update_config "$bad"
		runtime run "$CID"
		[ "$status" -ne 0 ] || fail "accepted: $bad"
		check_no_leftovers || fail "left things behind after: $bad"
		mv config.json.orig config.json
	done
}

@test "a user namespace container works with its state under a private (0700) directory" {
	# The container's root is nobody on the host: it needs the bundle, but
	# must not need to reach the runtime's state directory.
	reachable_by_any_uid
	mkdir -m 700 "$TEST_DIR/private"
	update_config '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 310000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 310000, size: 65536}]'
	set_args id -u
	run timeout 30 "$RUNTIME_BIN" --root "$TEST_DIR/private/state" run "$CID"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$output" = "0" ]
}

@test "ioPriority, scheduler and personality" {
	skip_if_runc "runc 1.1 predates ioPriority and scheduler"
	update_config '.process.ioPriority = {class: "IOPRIO_CLASS_IDLE", priority: 0}
		| .process.scheduler = {policy: "SCHED_BATCH", nice: 7}
		| .linux.personality = {domain: "LINUX32"}'
	set_args sh -c 'ionice; uname -m; cut -d" " -f19,41 /proc/self/stat'
	runtime run "$CID"
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = "idle" ]
	[ "${lines[1]}" = "i686" ]
	# fields 19 (nice) and 41 (policy: SCHED_BATCH = 3)
	[ "${lines[2]}" = "7 3" ]
}
