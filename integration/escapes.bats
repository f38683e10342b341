#!/usr/bin/env bats
# Ways out of the container onto the host, tried with decoys: every path
# the container or its config names must stay inside the container. The
# decoys are files and directories of this test, outside the bundle's
# rootfs, standing for host files such as /etc/shadow.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
	DECOY_DIR="$TEST_DIR/host"
	mkdir -p "$DECOY_DIR"
	echo "decoy" >"$DECOY_DIR/file"
	chmod 0600 "$DECOY_DIR/file"
	chown 12345:12345 "$DECOY_DIR/file"
	VOLUME="$TEST_DIR/volume"
	mkdir -p "$VOLUME"
}

# The decoy file is as it was: mode, owner, content.
function decoy_untouched() {
	[ "$(stat -c '%a %u:%g' "$DECOY_DIR/file")" = "600 12345:12345" ] || fail "decoy changed: $(stat -c '%a %u:%g' "$DECOY_DIR/file")"
	[ "$(cat "$DECOY_DIR/file")" = "decoy" ] || fail "decoy content changed"
}

# No mounts under /dev from the config: devices are made in the rootfs.
function without_dev_mounts() {
	update_config '.mounts |= map(select(.destination | startswith("/dev") | not))'
}

function mount_volume_at_data() {
	update_config '.mounts += [{destination: "/data", type: "bind", source: $v, options: ["rbind", "rw"]}]' --arg v "$VOLUME"
}

@test "a cwd through /proc/self/fd never starts the process on the host" {
	touch "$TEST_DIR/host-marker"
	set_args sh -c 'ls ../ ../../ ../../../ 2>&1; pwd'
	local fd
	for fd in 3 4 5 6 7; do
		update_config '.process.cwd = $c' --arg c "/proc/self/fd/$fd"
		runtime run --preserve-fds 0 "$(new_id)"
		[[ "$output" != *host-marker* ]] || fail "fd $fd: the process saw the host: $output"
		[ "$status" -ne 0 ] || [[ "$output" != *"$ROOT"* ]] || fail "fd $fd: cwd on the host"
	done
}

@test "exec into a created container cannot reach the host through its first process" {
	touch "$TEST_DIR/host-marker"
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	local fd
	for fd in 0 1 2 3 4 5 6 7; do
		runtime exec "$CID" sh -c "ls /proc/1/fd/$fd/ /proc/1/fd/$fd/../ /proc/1/fd/$fd/../../ /proc/1/fd/$fd/../../../ 2>&1"
		[[ "$output" != *host-marker* ]] || fail "fd $fd: exec saw the host: $output"
		runtime exec --cwd "/proc/1/fd/$fd" "$CID" sh -c 'ls . .. ../.. ../../.. 2>&1'
		[[ "$output" != *host-marker* ]] || fail "exec --cwd fd $fd saw the host: $output"
	done
}

@test "device nodes are never made through a symlink: /dev leading into a volume that links to the host" {
	without_dev_mounts
	mount_volume_at_data
	rm -rf "$BUNDLE/rootfs/dev"
	ln -s /data "$BUNDLE/rootfs/dev"
	ln -s "$DECOY_DIR/file" "$VOLUME/null"
	set_args true
	runtime run "$CID"
	decoy_untouched
}

# The decoy's directory, visible in the container at /hostdir: what a
# symlink inside the rootfs can name.
function mount_decoy_at_hostdir() {
	update_config '.mounts += [{destination: "/hostdir", type: "bind", source: $d, options: ["rbind", "rw"]}]' --arg d "$DECOY_DIR"
}

@test "device nodes are never made through a symlink: the image's /dev/null, a configured device" {
	without_dev_mounts
	mount_decoy_at_hostdir
	mkdir -p "$BUNDLE/rootfs/dev"
	rm -f "$BUNDLE/rootfs/dev/null" "$BUNDLE/rootfs/dev/fuse"
	ln -s /hostdir/file "$BUNDLE/rootfs/dev/null"
	ln -s /hostdir/file "$BUNDLE/rootfs/dev/fuse"
	update_config '.linux.devices = [{path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 438, uid: 0, gid: 0}]'
	set_args true
	runtime run "$CID"
	decoy_untouched
}

@test "mount points are never made on the host through a volume's symlink" {
	mount_volume_at_data
	ln -s "$DECOY_DIR" "$VOLUME/sub"
	echo x >"$TEST_DIR/file-source"
	update_config '.mounts += [
		{destination: "/data/sub/tmp", type: "tmpfs", source: "tmpfs"},
		{destination: "/data/sub/file", type: "bind", source: $f, options: ["bind"]}]
		| .process.cwd = "/data/sub/cwd"' --arg f "$TEST_DIR/file-source"
	set_args true
	runtime run "$CID"
	[ "$(ls -A "$DECOY_DIR")" = "file" ] || fail "made on the host: $(ls -A "$DECOY_DIR")"
}

@test "masking never binds or opens what a symlinked /dev/null points at" {
	skip_if_runc "runc 1.1.5 binds the target of a symlinked /dev/null (CVE-2025-31133)"
	without_dev_mounts
	mount_decoy_at_hostdir
	mkdir -p "$BUNDLE/rootfs/dev"
	rm -f "$BUNDLE/rootfs/dev/null"
	ln -s /hostdir/file "$BUNDLE/rootfs/dev/null"
	echo secret >"$BUNDLE/rootfs/etc/masked"
	update_config '.linux.maskedPaths = ["/etc/masked"]'
	set_args sh -c 'cat /etc/masked; echo pwned >/etc/masked'
	runtime run "$CID"
	[[ "$output" != *decoy* ]] || fail "the masked path showed the decoy: $output"
	decoy_untouched
}

# run_with_forward_bind DEST: run a container that binds a decoy
# ip_forward file at DEST and sets net.ipv4.ip_forward; it must be refused,
# with the decoy untouched.
function run_with_forward_bind() {
	echo 0 >"$TEST_DIR/ip_forward"
	update_config '.mounts += [{destination: $d, type: "bind", source: $f, options: ["bind"]}]
		| .linux.sysctl = {"net.ipv4.ip_forward": "1"}' --arg d "$1" --arg f "$TEST_DIR/ip_forward"
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"inside /proc"* ]]
	[ "$(cat "$TEST_DIR/ip_forward")" = 0 ]
}

@test "a mount inside /proc is refused" {
	run_with_forward_bind /proc/sys/net/ipv4/ip_forward
	[[ "$output" == *"cannot be mounted because it is inside /proc"* ]]
	check_no_leftovers
}

@test "a mount that reaches /proc through a volume's symlink is refused, and sysctls land in procfs" {
	skip_if_runc "runc 1.1.5 checks only the destination as written"
	mount_volume_at_data
	ln -s /proc/sys/net/ipv4 "$VOLUME/net"
	run_with_forward_bind /data/net/ip_forward
}

@test "/proc and /sys that are symlinks in the rootfs are refused" {
	local d
	for d in proc sys; do
		rm -rf "${BUNDLE:?}/rootfs/$d"
		mkdir -p "$DECOY_DIR/$d"
		ln -s "$DECOY_DIR/$d" "$BUNDLE/rootfs/$d"
		runtime run "$(new_id)"
		[ "$status" -ne 0 ]
		[[ "$output" == *"must be mounted on ordinary directory"* ]]
		[ -z "$(ls -A "$DECOY_DIR/$d")" ]
		rm "$BUNDLE/rootfs/$d"
		mkdir "$BUNDLE/rootfs/$d"
	done
}

@test "a /dev that links to a host path gets its ptmx inside the rootfs" {
	skip_if_runc "runc 1.1.5 follows a /dev symlink to the host"
	without_dev_mounts
	rm -rf "$BUNDLE/rootfs/dev"
	ln -s "$DECOY_DIR" "$BUNDLE/rootfs/dev"
	set_args true
	runtime run "$CID"
	[ "$(ls -A "$DECOY_DIR")" = "file" ] || fail "made on the host: $(ls -A "$DECOY_DIR")"
}

@test "--no-pivot leaves no host procfs for a nested user namespace to mount" {
	# CAP_SETFCAP lets the nested namespace map root.
	local caps='["CAP_SYS_ADMIN", "CAP_SETFCAP"]'
	update_config ".process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps}
		| .process.noNewPrivileges = false | del(.linux.seccomp)"
	set_args unshare -U -r -m -p -f sh -c 'mkdir -p /tmp/p; id -u; mount -t proc proc /tmp/p && echo MOUNTED'
	runtime run --no-pivot "$CID"
	[[ "$output" != *MOUNTED* ]] || fail "a nested user namespace mounted a fresh procfs: $output"
	# The nested namespace was made: the mount itself was refused.
	[ "${lines[0]}" = 0 ]
}

@test "exec --cap never fills the inheritable set" {
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	runtime exec --cap CAP_CHOWN "$CID" grep -E '^Cap(Inh|Prm|Bnd)' /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapInh:	0000000000000000"* ]]
	# CAP_CHOWN is bit 0.
	[[ "$(grep CapPrm <<<"$output")" =~ [13579bdf]$ ]]
}

@test "NUL bytes in paths and values are refused, not cut short" {
	local edit
	for edit in '.process.cwd = "/tmp\u0000x"' '.process.env += ["A=b\u0000c"]' \
		'.mounts += [{destination: "/mnt\u0000x", type: "tmpfs", source: "tmpfs"}]' \
		'.linux.maskedPaths += ["/etc\u0000x"]'; do
		cp config.json config.json.orig
		update_config "$edit"
		runtime run "$(new_id)"
		[ "$status" -ne 0 ] || fail "accepted: $edit"
		mv config.json.orig config.json
	done
	check_no_leftovers
}

@test "a createContainer hook's relative writes land in the container's root, not the host's" {
	HOST_DECOY="/runb-itest-hook-$BATS_ROOT_PID-$RANDOM"
	update_config '.hooks.createContainer = [{path: "/bin/sh", args: ["sh", "-c", "pwd >hook-cwd; echo x >\"$0\"", $d]}]' \
		--arg d "$(basename "$HOST_DECOY")"
	set_args true
	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ ! -e "$HOST_DECOY" ] || fail "the hook wrote to the host's root"
	[ -e "$BUNDLE/rootfs/$(basename "$HOST_DECOY")" ]
}

function teardown() {
	[ -z "${HOST_DECOY:-}" ] || rm -f "$HOST_DECOY"
	teardown_bundle
}
