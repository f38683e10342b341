#!/usr/bin/env bats
# linux.resources this host cannot enforce are refused, settings are written
# where the kernel has them, and pre-existing cgroups are handled as runc
# handles them.

load helpers

function setup() {
	requires root
	setup_bundle
}

# True on a pure cgroup v2 host (one hierarchy at /sys/fs/cgroup).
function cgroup_v2() {
	[ -e /sys/fs/cgroup/cgroup.controllers ]
}

# v1_dir CONTROLLER: the container's cgroup directory in that v1 hierarchy.
function v1_dir() {
	echo "/sys/fs/cgroup/$1$CGROUPS_PATH"
}

@test "resources: network classID without a net_cls controller is refused" {
	if ! cgroup_v2 && grep -qw net_cls /proc/self/mountinfo; then skip "net_cls is mounted here"; fi
	update_config '.linux.resources.network = {classID: 1048577}'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	is_runc || [[ "$output" == *"linux.resources.network"*"not supported on this host"* ]]
	check_no_leftovers
}

@test "resources: network priorities without a net_prio controller are refused" {
	if ! cgroup_v2 && grep -qw net_prio /proc/self/mountinfo; then skip "net_prio is mounted here"; fi
	update_config '.linux.resources.network = {priorities: [{name: "lo", priority: 1}]}'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	is_runc || [[ "$output" == *"linux.resources.network"*"not supported on this host"* ]]
	check_no_leftovers
}

@test "resources: a blkio setting whose file this kernel lacks is named" {
	cgroup_v2 && skip "a v1 blkio test"
	# Without CFQ there are no leaf weights; the probe cgroup says whether
	# this kernel has them.
	local probe
	probe=$(mktemp -d /sys/fs/cgroup/blkio/runb-itest-probe.XXXXXX)
	local has=0
	[ -e "$probe/blkio.leaf_weight" ] && has=1
	rmdir "$probe"
	[ "$has" -eq 0 ] || skip "this kernel has blkio.leaf_weight"

	update_config '.linux.resources.blockIO = {leafWeight: 500}'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	is_runc || [[ "$output" == *"linux.resources.blockIO.leafWeight is not supported on this host"*"blkio.leaf_weight does not exist"* ]]
	check_no_leftovers
}

@test "resources: memory.kernelTCP is written where the kernel has the file" {
	skip_if_runc "runc 1.1.5 ignores kernelTCP with a warning"
	cgroup_v2 && skip "cgroup v2 has no kernel TCP limit"
	[ -e /sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes ] || skip "no memory.kmem.tcp.limit_in_bytes on this kernel"
	update_config '.linux.resources.memory = {kernelTCP: 67108864}'
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" != *"kernel memory settings are ignored"* ]]
	[ "$(cat "$(v1_dir memory)/memory.kmem.tcp.limit_in_bytes")" = 67108864 ]
}

@test "resources: device access strings are taken as runc takes them" {
	cgroup_v2 && skip "reads the v1 devices.list"
	update_config '.linux.resources.devices = [{allow: false, access: "rwm"}, {allow: true, type: "c", major: 4, minor: 77, access: "rwa"}, {allow: true, type: "c", major: 4, minor: 78, access: "mrmr"}]'
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	grep -qx 'c 4:77 rw' "$(v1_dir devices)/devices.list"
	grep -qx 'c 4:78 rm' "$(v1_dir devices)/devices.list"
}

@test "resources: an empty device access is refused" {
	update_config '.linux.resources.devices = [{allow: false, access: "rwm"}, {allow: true, type: "c", major: 4, minor: 77, access: ""}]'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"device access at 1 field cannot be empty"* ]]
	check_no_leftovers
}

@test "resources: unified settings for a v1 controller are refused in runc's words" {
	cgroup_v2 && skip "a cgroup v1 host only"
	update_config '.linux.resources.unified = {"memory.high": "1000000"}'
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"invalid configuration: cannot use unified on cgroup v1"* ]]
	check_no_leftovers
}
