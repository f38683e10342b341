#!/usr/bin/env bats
# Namespaces, hostname, pid 1, user, cwd and environment of the process.

load helpers

function setup() {
	requires root
	setup_bundle
}

# Print "type inode-link" for each namespace type given, inside the
# container.
function container_ns() {
	local script='for t in "$@"; do echo "$t $(readlink /proc/self/ns/$t)"; done'
	set_args sh -c "$script" sh "$@"
	runtime run "$CID"
	[ "$status" -eq 0 ]
}

@test "every namespace in the config is new" {
	requires cgroupns
	update_config '.linux.namespaces += [{"type": "cgroup"}]'

	container_ns pid mnt uts ipc net cgroup
	[ "${#lines[@]}" -eq 6 ]

	local line t inside host
	for line in "${lines[@]}"; do
		t=${line%% *}
		inside=${line#* }
		host=$(readlink "/proc/$$/ns/$t")
		echo "$t: container $inside, host $host"
		[[ "$inside" == "$t:["*"]" ]]
		[ "$inside" != "$host" ]
	done
}

@test "namespaces not in the config are the host's" {
	update_config 'del(.hostname) | .linux.namespaces |= map(select(.type != "network" and .type != "uts"))'

	container_ns net uts user pid
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = "net $(readlink /proc/$$/ns/net)" ]
	[ "${lines[1]}" = "uts $(readlink /proc/$$/ns/uts)" ]
	[ "${lines[2]}" = "user $(readlink /proc/$$/ns/user)" ]
	[ "${lines[3]}" != "pid $(readlink /proc/$$/ns/pid)" ]
}

@test "namespace path: join an existing network namespace" {
	# A namespace to join: the one of a first container.
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	local pid1 netns
	pid1=$(state_field "$CID" pid)
	netns=$(readlink "/proc/$pid1/ns/net")

	new_cgroups_path
	local id2
	id2=$(new_id)
	update_config '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
		--arg p "/proc/$pid1/ns/net"
	set_args readlink /proc/self/ns/net
	runtime run "$id2"
	[ "$status" -eq 0 ]
	[ "$output" = "$netns" ]
}

@test "the process is pid 1 in its pid namespace" {
	set_args sh -c 'echo $$'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "1" ]
}

@test "only the container's processes are visible" {
	set_args sh -c 'ls -d /proc/[0-9]* | wc -l'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	# sh, ls and wc at most.
	[ "$output" -le 3 ]
}

@test "hostname from the config" {
	update_config '.hostname = "testhost"'
	set_args hostname

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "testhost" ]
	# The host's name did not change.
	[ "$(hostname)" != "testhost" ]
}

@test "hostname in a joined UTS namespace" {
	# The namespace to join: the one of a first container.
	update_config '.hostname = "first"'
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	local pid1
	pid1=$(state_field "$CID" pid)

	new_cgroups_path
	local id2
	id2=$(new_id)
	update_config '.hostname = "joined" | .linux.namespaces |= map(if .type == "uts" then .path = $p else . end)' \
		--arg p "/proc/$pid1/ns/uts"
	set_args sh -c 'hostname; readlink /proc/self/ns/uts'
	runtime run "$id2"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "joined" ]
	[ "${lines[1]}" = "$(readlink "/proc/$pid1/ns/uts")" ]
	# Set in the shared namespace, so the first container sees it too.
	[ "$(nsenter --target "$pid1" --uts hostname)" = "joined" ]
	[ "$(hostname)" != "joined" ]
}

@test "hostname without a UTS namespace in the config is refused" {
	update_config '.hostname = "nope" | .linux.namespaces |= map(select(.type != "uts"))'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"unable to set hostname without a private UTS namespace"* ]]
	check_no_leftovers
}

@test "network namespace has only loopback" {
	set_args sh -c 'ls /sys/class/net'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "lo" ]
}

@test "user: uid and gid from the config" {
	update_config '.process.user.uid = 65534 | .process.user.gid = 65534'
	set_args sh -c 'id -u; id -g; id -un'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "65534" ]
	[ "${lines[1]}" = "65534" ]
	[ "${lines[2]}" = "nobody" ]
}

@test "user: additionalGids" {
	update_config '.process.user.uid = 65534 | .process.user.gid = 65534 | .process.user.additionalGids = [5, 7]'
	set_args id -G

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ " $output " == *" 5 "* ]]
	[[ " $output " == *" 7 "* ]]
}

@test "user: root by default" {
	set_args id -u

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "0" ]
}

@test "cwd from the config" {
	update_config '.process.cwd = "/tmp"'
	set_args pwd

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "/tmp" ]
}

@test "cwd that does not exist is created" {
	update_config '.process.cwd = "/new/work/dir"'
	set_args pwd

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "/new/work/dir" ]
}

@test "env from the config, and nothing from the caller" {
	update_config '.process.env += ["FOO=bar"]'
	set_args env

	export LEAK_FROM_CALLER=yes
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"FOO=bar"* ]]
	[[ "$output" == *"TERM=xterm"* ]]
	[[ "$output" != *"LEAK_FROM_CALLER"* ]]
}

@test "PATH from the config is used to find the program" {
	mkdir -p "$BUNDLE/rootfs/opt/bin"
	printf '#!/bin/sh\necho found-in-opt\n' >"$BUNDLE/rootfs/opt/bin/mytool"
	chmod +x "$BUNDLE/rootfs/opt/bin/mytool"
	update_config '.process.env |= map(if startswith("PATH=") then "PATH=/opt/bin:/bin" else . end)'
	set_args mytool

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "found-in-opt" ]
}

@test "rlimits from the config" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 512, "soft": 256}]'
	set_args sh -c 'ulimit -n; ulimit -Hn'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "256" ]
	[ "${lines[1]}" = "512" ]
}

@test "capabilities outside the runtime's bounding set are dropped with a warning" {
	skip_if_runc "runc 1.1.5 fails in capset with EPERM"
	update_config '.process.capabilities = {bounding: $c, effective: $c, permitted: $c}' \
		--argjson c '["CAP_SYS_RESOURCE", "CAP_KILL"]'
	set_args sh -c 'grep CapEff /proc/self/status'
	# The runtime itself runs without CAP_SYS_RESOURCE in its bounding set.
	if setpriv --bounding-set -sys_resource timeout 30 "$RUNTIME_BIN" --root "$ROOT" run "$CID" \
		</dev/null >"$TEST_DIR/out" 2>"$TEST_DIR/err" 3>&-; then status=0; else status=$?; fi
	[ "$status" -eq 0 ] || fail "$(cat "$TEST_DIR/err")"
	[[ "$(cat "$TEST_DIR/err")" == *"ignoring unknown or unavailable capabilities: [CAP_SYS_RESOURCE]"* ]]
	# CAP_KILL (bit 5) only.
	[ "$(awk '{ print $2 }' "$TEST_DIR/out")" = "0000000000000020" ]
}

@test "HOME comes from the container's /etc/passwd when the env has none" {
	update_config '.process.env |= map(select(startswith("HOME=") | not))'
	set_args sh -c 'echo "$HOME"'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = /root ]

	# A uid without an entry gets /.
	new_cgroups_path
	update_config '.process.user = {uid: 1234, gid: 1234}'
	runtime run "$(new_id)"
	[ "$status" -eq 0 ]
	[ "$output" = / ]

	# An empty HOME counts as none.
	new_cgroups_path
	update_config '.process.user = {uid: 65534, gid: 65534} | .process.env += ["HOME="]'
	runtime run "$(new_id)"
	[ "$status" -eq 0 ]
	[ "$output" = /nonexistent ]

	# One the config sets is kept.
	new_cgroups_path
	update_config '.process.env += ["HOME=/mine"]'
	runtime run "$(new_id)"
	[ "$status" -eq 0 ]
	[ "$output" = /mine ]
}

@test "HOME for exec: the passwd home of the user exec runs as" {
	update_config '.process.env |= map(select(startswith("HOME=") | not))'
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]

	runtime exec "$CID" sh -c 'echo "$HOME"'
	[ "$status" -eq 0 ]
	[ "$output" = /root ]
	runtime exec --user 65534:65534 "$CID" sh -c 'echo "$HOME"'
	[ "$status" -eq 0 ]
	[ "$output" = /nonexistent ]
	runtime exec --user 1234 "$CID" sh -c 'echo "$HOME"'
	[ "$status" -eq 0 ]
	[ "$output" = / ]
	runtime exec --env HOME=/given "$CID" sh -c 'echo "$HOME"'
	[ "$status" -eq 0 ]
	[ "$output" = /given ]
}

@test "HOME: an /etc/passwd that links out of the rootfs is resolved inside it" {
	# A passwd on the host that a link in the image points at.
	echo "root:x:0:0:root:/host-secret:/bin/sh" >"$TEST_DIR/host-passwd"
	ln -sfn "../../../../../../../../../../..$TEST_DIR/host-passwd" "$BUNDLE/rootfs/etc/passwd"
	update_config '.process.env |= map(select(startswith("HOME=") | not))'
	set_args sh -c 'echo "$HOME"; exec sleep 100'
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	local i
	for i in $(seq 50); do [ -s "$TEST_DIR/out.1" ] && break; sleep 0.1; done
	[ "$(cat "$TEST_DIR/out.1")" = / ]

	runtime exec "$CID" sh -c 'echo "$HOME"'
	[ "$status" -eq 0 ]
	[ "$output" = / ]
}

@test "without a mount namespace the container runs chrooted, and delete takes its mounts away" {
	update_config '.linux.namespaces |= map(select(.type != "mount")) | del(.linux.maskedPaths) | del(.linux.readonlyPaths)'
	touch "$BUNDLE/rootfs/in-the-rootfs"
	set_args sh -c 'ls /in-the-rootfs && sleep 100'
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	runtime exec "$CID" sh -c 'ls /in-the-rootfs; ls /proc/1/ >/dev/null && echo proc-mounted'
	[ "$status" -eq 0 ]
	[ "$output" = "/in-the-rootfs
proc-mounted" ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "without a mount namespace, masked and read-only paths are refused" {
	update_config '.linux.namespaces |= map(select(.type != "mount")) | .linux.maskedPaths = ["/proc/kcore"]'
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"unable to restrict sys entries without a private MNT namespace"* ]]
	check_no_leftovers
}

@test "with a user namespace, a bind source the container's root cannot reach is still mounted" {
	reachable_by_any_uid
	# Only the host's root may pass through $TEST_DIR/locked.
	mkdir -p -m 700 "$TEST_DIR/locked"
	mkdir -p "$TEST_DIR/locked/vol" "$BUNDLE/rootfs/vol"
	echo from-the-host >"$TEST_DIR/locked/vol/file"
	update_config '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 310000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 310000, size: 65536}]
		| .mounts += [{destination: "/vol", type: "bind", source: $v, options: ["rbind", "ro"]}]' --arg v "$TEST_DIR/locked/vol"
	set_args sh -c 'cat /vol/file; touch /vol/new 2>/dev/null && echo writable || echo read-only'
	runtime run "$CID"
	[ "$status" -eq 0 ] || fail "$output"
	[ "$output" = "from-the-host
read-only" ]
}
