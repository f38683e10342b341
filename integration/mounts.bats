#!/usr/bin/env bats
# Root filesystem, mounts, /dev and devices.

load helpers

function setup() {
	requires root
	setup_bundle
}

function teardown() {
	[ -z "${HOST_MARKER:-}" ] || rm -f "$HOST_MARKER"
	teardown_bundle
}

@test "a tmpfs from config.mounts is seen inside, not on the host" {
	writable_rootfs
	update_config '.mounts += [{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}]'
	set_args sh -c 'grep " /mnt/t " /proc/mounts; echo data >/mnt/t/file; touch /tmp/ready; sleep 100'

	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/tmp/ready"

	# Inside: a tmpfs at /mnt/t (seen through the container's own root).
	local pid
	pid=$(state_field "$CID" pid)
	grep -q '^tmpfs /mnt/t tmpfs' "/proc/$pid/mounts"
	[ "$(cat "/proc/$pid/root/mnt/t/file")" = "data" ]

	# Outside: no mount under the bundle, the file went to the tmpfs.
	[ -z "$(awk -v b="$BUNDLE" 'index($5, b) == 1' /proc/self/mountinfo)" ]
	[ ! -e "$BUNDLE/rootfs/mnt/t/file" ]
}

@test "the host's root is not visible" {
	HOST_MARKER=$(mktemp /tmp/runb-itest-marker.XXXXXX)
	set_args sh -c "test -e '$HOST_MARKER' && echo visible; test -e '$BUNDLE' && echo bundle-visible; test -e /bin/busybox && echo own-root"

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "own-root" ]
}

@test "readonly root: writing fails" {
	update_config '.root.readonly = true'
	set_args sh -c 'echo running; touch /x && echo wrote'

	runtime_split run "$CID"
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = "running" ]
	[[ "$output" != *"wrote"* ]]
	[ ! -e "$BUNDLE/rootfs/x" ]
}

@test "writable root: writing works" {
	update_config '.root.readonly = false'
	set_args sh -c 'touch /x && echo wrote'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "wrote" ]
	[ -e "$BUNDLE/rootfs/x" ]
}

@test "bind mount of a host directory, read-write" {
	mkdir "$TEST_DIR/shared"
	echo from-host >"$TEST_DIR/shared/in"
	update_config '.mounts += [{"destination": "/mnt/b", "type": "bind", "source": $src, "options": ["rbind"]}]' \
		--arg src "$TEST_DIR/shared"
	set_args sh -c 'cat /mnt/b/in; echo from-container >/mnt/b/out'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "from-host" ]
	[ "$(cat "$TEST_DIR/shared/out")" = "from-container" ]
}

@test "bind mount of a host directory, read-only" {
	mkdir "$TEST_DIR/shared"
	echo from-host >"$TEST_DIR/shared/in"
	update_config '.mounts += [{"destination": "/mnt/b", "type": "bind", "source": $src, "options": ["rbind", "ro"]}]' \
		--arg src "$TEST_DIR/shared"
	set_args sh -c 'cat /mnt/b/in; echo x >/mnt/b/out && echo wrote'

	runtime_split run "$CID"
	[ "${lines[0]}" = "from-host" ]
	[[ "$output" != *"wrote"* ]]
	[ ! -e "$TEST_DIR/shared/out" ]
	# The host's copy stays writable.
	touch "$TEST_DIR/shared/still-writable"
}

@test "bind mount of a single file" {
	echo file-content >"$TEST_DIR/hostfile"
	update_config '.mounts += [{"destination": "/etc/hostfile", "type": "bind", "source": $src, "options": ["bind", "ro"]}]' \
		--arg src "$TEST_DIR/hostfile"
	set_args cat /etc/hostfile

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "file-content" ]
}

@test "/proc is mounted and shows the container's processes" {
	set_args sh -c 'grep -c "^proc /proc proc" /proc/mounts; cat /proc/1/comm; true'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1" ]
	[ "${lines[1]}" = "sh" ]
}

@test "/sys is mounted read-only" {
	set_args sh -c 'grep "^sysfs /sys sysfs" /proc/mounts'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == "sysfs /sys sysfs ro,"* ]]
}

@test "/dev has the default devices and links" {
	local script='
		for d in null zero full random urandom tty; do test -c /dev/$d || echo "missing $d"; done
		test -e /dev/ptmx || echo "missing ptmx"
		for l in fd stdin stdout stderr; do test -L /dev/$l || echo "missing $l"; done
		stat -c "null %t:%T" /dev/null
		stat -c "zero %t:%T" /dev/zero
		readlink /dev/fd
		echo x >/dev/null && echo wrote-null
		head -c 4 /dev/zero | wc -c
	'
	set_args sh -c "$script"

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" != *"missing"* ]]
	[[ "$output" == *"null 1:3"* ]]
	[[ "$output" == *"zero 1:5"* ]]
	[[ "$output" == *"/proc/self/fd"* ]]
	[[ "$output" == *"wrote-null"* ]]
	[ "${lines[-1]}" = "4" ]
}

@test "/dev/pts and /dev/shm are mounted" {
	set_args sh -c 'grep -E "^[^ ]+ /dev/(pts|shm) " /proc/mounts | cut -d" " -f2,3'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"/dev/pts devpts"* ]]
	[[ "$output" == *"/dev/shm tmpfs"* ]]
}

@test "linux.devices creates a device node" {
	update_config '.linux.devices = [{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 0, "gid": 0}]'
	set_args sh -c 'test -c /dev/mynull && stat -c "%t:%T %a" /dev/mynull && echo x >/dev/mynull && echo wrote'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1:3 666" ]
	[ "${lines[1]}" = "wrote" ]
	# Created in the container's /dev tmpfs, not in the bundle.
	[ ! -e "$BUNDLE/rootfs/dev/mynull" ]
}

@test "maskedPaths and readonlyPaths" {
	writable_rootfs
	mkdir -p "$BUNDLE/rootfs/secret"
	echo hidden >"$BUNDLE/rootfs/secret/file"
	echo hidden >"$BUNDLE/rootfs/secretfile"
	update_config '.linux.maskedPaths = ["/secret", "/secretfile"] | .linux.readonlyPaths = ["/tmp"]'
	set_args sh -c 'ls /secret | wc -l; wc -c </secretfile; touch /tmp/x && echo wrote'

	runtime_split run "$CID"
	[ "${lines[0]}" = "0" ]
	[ "${lines[1]}" = "0" ]
	[[ "$output" != *"wrote"* ]]
}

@test "run --no-pivot" {
	update_config '.hostname = "nopivot"'
	set_args sh -c 'hostname; echo $$; ls /bin/busybox'

	runtime run --no-pivot "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "nopivot" ]
	[ "${lines[1]}" = "1" ]
	[ "${lines[2]}" = "/bin/busybox" ]
	check_no_leftovers
}

@test "create --no-pivot, then start" {
	writable_rootfs
	set_args sh -c 'echo ok >/tmp/done'

	runtime create --no-pivot "$CID"
	[ "$status" -eq 0 ]
	runtime start "$CID"
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/tmp/done"
	wait_for_status "$CID" stopped
	runtime delete "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "mounts are gone from the host after delete" {
	mkdir "$TEST_DIR/shared"
	update_config '.mounts += [{"destination": "/mnt/b", "type": "bind", "source": $src, "options": ["rbind"]}]' \
		--arg src "$TEST_DIR/shared"
	set_args sleep 100

	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "running" ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]

	check_no_leftovers
	# The bind source is untouched.
	[ -d "$TEST_DIR/shared" ]
}

@test "rro makes a bind mount and every mount below it read-only" {
	mkdir -p "$TEST_DIR/src/sub"
	mount -t tmpfs below "$TEST_DIR/src/sub"
	update_config '.mounts += [{destination: "/mnt", type: "bind", source: $s, options: ["rbind", "rro"]}]' --arg s "$TEST_DIR/src"
	set_args sh -c 'touch /mnt/a 2>/dev/null && echo top-writable || echo top-ro; touch /mnt/sub/b 2>/dev/null && echo sub-writable || echo sub-ro'
	runtime run "$CID"
	umount "$TEST_DIR/src/sub"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = top-ro ]
	[ "${lines[1]}" = sub-ro ]
}

@test "a read-only /dev is made read-only after its devices and mounts" {
	update_config '(.mounts[] | select(.destination == "/dev") | .options) += ["ro"]'
	set_args sh -c 'echo x >/dev/null && echo null-ok; ls /dev/pts/ptmx >/dev/null && echo pts-ok; touch /dev/new 2>/dev/null && echo dev-writable || echo dev-ro'
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = "null-ok
pts-ok
dev-ro" ]
}

@test "a tmpfs without mode= takes the mode of the directory it covers" {
	mkdir -p "$BUNDLE/rootfs/covered"
	chmod 0710 "$BUNDLE/rootfs/covered"
	update_config '.mounts += [{destination: "/covered", type: "tmpfs", source: "tmpfs", options: ["size=1m"]}]'
	set_args stat -c %a /covered
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$output" = 710 ]
}
