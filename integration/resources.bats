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

# The container's freezer cgroup (v1) or cgroup (v2), made before the
# container; echoes its directory.
function precreate_freezer_cgroup() {
	local dir
	if cgroup_v2; then dir=/sys/fs/cgroup$CGROUPS_PATH; else dir=$(v1_dir freezer); fi
	mkdir -p "$dir"
	echo "$dir"
}

@test "resources: a pre-existing frozen cgroup is refused, not hung in" {
	local dir
	dir=$(precreate_freezer_cgroup)
	if cgroup_v2; then echo 1 >"$dir/cgroup.freeze"; else echo FROZEN >"$dir/freezer.state"; fi
	set_args true
	runtime run "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container's cgroup unexpectedly frozen"* ]]
	# Left as it was.
	if cgroup_v2; then [ "$(cat "$dir/cgroup.freeze")" = 1 ]; else [ "$(cat "$dir/freezer.state")" = FROZEN ]; fi

	if cgroup_v2; then echo 0 >"$dir/cgroup.freeze"; else echo THAWED >"$dir/freezer.state"; fi
	rmdir "$dir"
	check_no_leftovers
}

@test "resources: a pre-existing cgroup with processes in it is used, with runc's warning" {
	local dirs=() d pid
	if cgroup_v2; then dirs=(/sys/fs/cgroup$CGROUPS_PATH); else dirs=("$(v1_dir freezer)" "$(v1_dir devices)"); fi
	sleep 100 3>&- &
	pid=$!
	for d in "${dirs[@]}"; do
		mkdir -p "$d"
		echo "$pid" >"$d/cgroup.procs"
	done
	set_args true
	runtime run "$CID"
	local rc=$status out=$output
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	for d in "${dirs[@]}"; do rmdir "$d" 2>/dev/null || true; done
	[ "$rc" -eq 0 ] || fail "$out"
	[[ "$out" == *"container's cgroup is not empty: 1 process(es) found"* ]]
	check_no_leftovers
}

@test "resources: v1 cpuset values reach a pre-existing empty parent cgroup" {
	cgroup_v2 && skip "a cgroup v1 host only"
	local parent=/runb-itest-parent-$RANDOM$RANDOM
	mkdir "/sys/fs/cgroup/cpuset$parent"
	[ -z "$(cat "/sys/fs/cgroup/cpuset$parent/cpuset.cpus")" ]
	update_config '.linux.cgroupsPath = $p' --arg p "$parent/ctr"
	CGROUPS_PATHS+=("$parent/ctr")
	set_args true
	runtime run "$CID"
	local rc=$status out=$output
	local cpus
	cpus=$(cat "/sys/fs/cgroup/cpuset$parent/cpuset.cpus")
	# Ours, and (runc leaves them) the parents it made in other hierarchies.
	rmdir /sys/fs/cgroup/*"$parent" 2>/dev/null || true
	[ -z "$(__cgroup_dirs "$parent")" ] || fail "parent cgroups left: $(__cgroup_dirs "$parent")"
	[ "$rc" -eq 0 ] || fail "$out"
	[ "$cpus" = "$(cat /sys/fs/cgroup/cpuset/cpuset.cpus)" ]
	check_no_leftovers
}
