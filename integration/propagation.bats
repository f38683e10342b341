#!/usr/bin/env bats
# Mount propagation between the host and a container's volume, as
# linux.rootfsPropagation and the volume's own option ask.

load helpers

function setup() {
	requires root
	setup_bundle
	# The volume is a shared mount point of its own on the host, as a
	# host with systemd has its mounts.
	VOL="$TEST_DIR/vol"
	mkdir -p "$VOL"
	mount --bind "$VOL" "$VOL"
	mount --make-shared "$VOL"
	update_config '.process.capabilities = {bounding: ["CAP_SYS_ADMIN"], effective: ["CAP_SYS_ADMIN"], permitted: ["CAP_SYS_ADMIN"]}
		| del(.linux.seccomp)'
}

function teardown() {
	[ -z "${VOL:-}" ] || umount -R "$VOL" 2>/dev/null || true
	teardown_bundle
}

# volume_with PROPAGATION ROOTFS_PROPAGATION
function volume_with() {
	update_config '.mounts += [{destination: "/vol", type: "bind", source: $v, options: ["rbind", $p]}]
		| .linux.rootfsPropagation = $r' --arg v "$VOL" --arg p "$1" --arg r "$2"
}

# The container mounts a tmpfs on /vol/in and says so in /vol/ready;
# the host then mounts one on /vol/out; the container looks for it for
# 3 s and writes what it saw to /vol/result. Sets $SEEN to that.
function both_ways() {
	mkdir -p "$VOL/in" "$VOL/out"
	set_args sh -c 'mount -t tmpfs inner /vol/in && touch /vol/in/from-container; touch /vol/ready
		for _ in $(seq 30); do [ -e /vol/out/from-host ] && { echo host-seen >/vol/result; exit 0; }; sleep 0.1; done
		echo host-not-seen >/vol/result'
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	wait_for_file "$VOL/ready" 10
	mount -t tmpfs outer "$VOL/out"
	touch "$VOL/out/from-host"
	wait_for_file "$VOL/result" 10
	SEEN=$(cat "$VOL/result")
}

@test "rshared: a mount made in the container shows on the host, and the other way" {
	volume_with rshared rshared
	both_ways
	[ -e "$VOL/in/from-container" ] || fail "the container's mount did not reach the host"
	[ "$SEEN" = host-seen ]
}

@test "rslave: the host's mounts reach the container, the container's stay inside" {
	volume_with rslave rslave
	both_ways
	[ ! -e "$VOL/in/from-container" ] || fail "the container's mount reached the host"
	[ "$SEEN" = host-seen ]
}

@test "rprivate: nothing crosses either way" {
	volume_with rprivate rprivate
	both_ways
	[ ! -e "$VOL/in/from-container" ] || fail "the container's mount reached the host"
	[ "$SEEN" = host-not-seen ]
}
