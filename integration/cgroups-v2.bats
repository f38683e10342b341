#!/usr/bin/env bats
# cgroup v2 as systemd hosts have it (the unified hierarchy only): the
# controllers delegated along the container's path, each resource's
# control file, freeze, kill, nested and relative paths, the cgroup
# namespace. Values are runc's: the last test runs one config under both
# and compares the files. Hosts with v1 controllers skip this file; the
# guest of integration/vm/ is a pure v2 host.

load helpers

function setup() {
	requires root
	[ -e /sys/fs/cgroup/cgroup.controllers ] || skip "needs a host with only the cgroup v2 hierarchy (integration/vm/)"
	setup_bundle
	writable_rootfs
	RUNC_CID=
	NESTED_TOP=
}

function teardown() {
	# The reference container of the comparison test, if it got that far.
	if [ -n "${RUNC_CID:-}" ]; then
		runc --root "$TEST_DIR/runc-state" delete --force "$RUNC_CID" >/dev/null 2>&1 || true
	fi
	teardown_bundle
	# runc leaves the parents of a nested cgroupsPath behind.
	if [ -n "${NESTED_TOP:-}" ]; then
		rmdir "/sys/fs/cgroup$NESTED_TOP/a" "/sys/fs/cgroup$NESTED_TOP" 2>/dev/null || true
	fi
}

# cg FILE: the content of FILE in the container's cgroup.
function cg() {
	cat "/sys/fs/cgroup$CGROUPS_PATH/$1"
}

# run_detached ARGS...: the container's process, in the background.
function run_detached() {
	set_args "$@"
	runtime run -d "$CID"
	[ "$status" -eq 0 ] || fail "run -d failed: $output"
}

# resources JSON: the config's linux.resources.
function resources() {
	update_config '.linux.resources = $r' --argjson r "$1"
}

# nested_cgroups_path: a cgroupsPath two levels below a fresh top-level
# cgroup, NESTED_TOP. Only the container's own cgroup counts as a leftover:
# what happens to the parents differs (see the test of delete).
function nested_cgroups_path() {
	NESTED_TOP="/runb-itest-${BATS_ROOT_PID:-$$}-${BATS_SUITE_TEST_NUMBER:-0}-nest-$RANDOM"
	CGROUPS_PATH="$NESTED_TOP/a/b"
	CGROUPS_PATHS+=("$CGROUPS_PATH")
	update_config '.linux.cgroupsPath = $p' --arg p "$CGROUPS_PATH"
}

@test "v2 host: the root cgroup has the cpu, memory, pids and io controllers" {
	local c
	for c in cpu memory pids io; do
		grep -qw "$c" /sys/fs/cgroup/cgroup.controllers || fail "no $c in $(cat /sys/fs/cgroup/cgroup.controllers)"
	done
}

@test "v2: memory 64m, pids 42 and cpus 0.5 give memory.max, pids.max and cpu.max" {
	resources '{"memory": {"limit": 67108864}, "pids": {"limit": 42}, "cpu": {"quota": 50000, "period": 100000}}'
	run_detached sleep 100
	[ "$(cg memory.max)" = 67108864 ]
	[ "$(cg pids.max)" = 42 ]
	[ "$(cg cpu.max)" = "50000 100000" ]
	grep -qx "0::$CGROUPS_PATH" "/proc/$(state_field "$CID" pid)/cgroup"
}

@test "v2: controllers are enabled through cgroup.subtree_control along a nested path" {
	nested_cgroups_path
	resources '{"pids": {"limit": 9}, "memory": {"limit": 33554432}, "cpu": {"shares": 2048}, "blockIO": {"weight": 100}}'
	run_detached sleep 100
	local d c
	for d in "$NESTED_TOP" "$NESTED_TOP/a"; do
		for c in cpu io memory pids; do
			grep -qw "$c" "/sys/fs/cgroup$d/cgroup.subtree_control" ||
				fail "$c not enabled in $d: $(cat "/sys/fs/cgroup$d/cgroup.subtree_control")"
		done
	done
	[ "$(cg pids.max)" = 9 ]
	[ "$(cg memory.max)" = 33554432 ]
	grep -qx "0::$CGROUPS_PATH" "/proc/$(state_field "$CID" pid)/cgroup"
}

@test "v2: delete removes the container's cgroup" {
	nested_cgroups_path
	resources '{"pids": {"limit": 9}}'
	run_detached sleep 100
	[ -d "/sys/fs/cgroup$CGROUPS_PATH" ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[ ! -e "/sys/fs/cgroup$CGROUPS_PATH" ]
	check_no_leftovers
}

@test "v2: delete also removes the parent cgroups the runtime made" {
	skip_if_runc "runc 1.1.5 removes only the container's own cgroup"
	nested_cgroups_path
	mkdir "/sys/fs/cgroup$NESTED_TOP"
	run_detached sleep 100
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[ ! -e "/sys/fs/cgroup$NESTED_TOP/a" ]
	# Not the one that was there before.
	[ -d "/sys/fs/cgroup$NESTED_TOP" ]
}

@test "v2: memory.max, memory.low, memory.swap.max, and memory.high and memory.oom.group through unified" {
	resources '{"memory": {"limit": 67108864, "reservation": 33554432, "swap": 100663296},
		"unified": {"memory.high": "50331648", "memory.oom.group": "1"}}'
	run_detached sleep 100
	[ "$(cg memory.max)" = 67108864 ]
	[ "$(cg memory.low)" = 33554432 ]
	# OCI's swap is memory+swap; the kernel's is swap alone.
	[ "$(cg memory.swap.max)" = 33554432 ]
	[ "$(cg memory.high)" = 50331648 ]
	[ "$(cg memory.oom.group)" = 1 ]
}

@test "v2: swap equal to the memory limit means no swap: memory.swap.max 0" {
	resources '{"memory": {"limit": 33554432, "swap": 33554432}}'
	run_detached sleep 100
	[ "$(cg memory.swap.max)" = 0 ]
}

@test "v2: cpu.weight from shares, cpu.max from quota and period" {
	resources '{"cpu": {"shares": 512, "quota": 20000, "period": 50000}}'
	run_detached sleep 100
	# runc's conversion: 1 + (shares - 2) * 9999 / 262142
	[ "$(cg cpu.weight)" = 20 ]
	[ "$(cg cpu.max)" = "20000 50000" ]
}

@test "v2: cpu.idle" {
	skip_if_runc "runc 1.1.5 predates the idle setting"
	resources '{"cpu": {"idle": 1}}'
	run_detached sleep 100
	[ "$(cg cpu.idle)" = 1 ]
}

@test "v2: cpu.max.burst" {
	skip_if_runc "runc 1.1.5 predates the burst setting"
	resources '{"cpu": {"quota": 20000, "period": 100000, "burst": 10000}}'
	run_detached sleep 100
	[ "$(cg cpu.max)" = "20000 100000" ]
	[ "$(cg cpu.max.burst)" = 10000 ]
}

@test "v2: cpuset.cpus and cpuset.mems" {
	resources '{"cpu": {"cpus": "0", "mems": "0"}}'
	run_detached sleep 100
	[ "$(cg cpuset.cpus)" = 0 ]
	[ "$(cg cpuset.mems)" = 0 ]
	[ "$(cg cpuset.cpus.effective)" = 0 ]
}

@test "v2: io.weight from the blkio weight, io.max for a device" {
	# A whole disk to throttle: the one the root file system is on.
	local dev
	dev=$(mountpoint -d /)
	[ ! -e "/sys/dev/block/$dev/partition" ] || skip "the root file system is on a partition, not a whole disk"
	resources '{"blockIO": {"weight": 500,
		"throttleReadBpsDevice": [{"major": '"${dev%:*}"', "minor": '"${dev#*:}"', "rate": 1048576}],
		"throttleWriteIOPSDevice": [{"major": '"${dev%:*}"', "minor": '"${dev#*:}"', "rate": 300}]}}'
	run_detached sleep 100
	if [ -e "/sys/fs/cgroup$CGROUPS_PATH/io.bfq.weight" ]; then
		[ "$(cg io.bfq.weight)" = "default 500" ]
	else
		# runc's conversion: 1 + (weight - 10) * 9999 / 990
		[ "$(cg io.weight)" = "default 4950" ]
	fi
	[ "$(cg io.max)" = "$dev rbps=1048576 wbps=max riops=max wiops=300" ]
}

@test "v2: hugetlb.<size>.max" {
	[ -e "/sys/fs/cgroup/cgroup.subtree_control" ] && grep -qw hugetlb /sys/fs/cgroup/cgroup.controllers ||
		skip "no hugetlb controller"
	resources '{"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}'
	run_detached sleep 100
	[ "$(cg hugetlb.2MB.max)" = 4194304 ]
}

@test "v2: unified keys are written as they are; a key of a missing controller fails the create" {
	resources '{"unified": {"pids.max": "17", "cpu.weight": "77", "memory.swap.high": "1048576"}}'
	run_detached sleep 100
	[ "$(cg pids.max)" = 17 ]
	[ "$(cg cpu.weight)" = 77 ]
	[ "$(cg memory.swap.high)" = 1048576 ]

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	new_cgroups_path
	resources '{"unified": {"nosuch.max": "1"}}'
	runtime run -d "$CID"
	[ "$status" -ne 0 ]
	check_no_leftovers
}

@test "v2: pause writes cgroup.freeze 1 and waits for frozen; resume writes 0" {
	run_detached sleep 100
	[ "$(cg cgroup.freeze)" = 0 ]
	runtime pause "$CID"
	[ "$status" -eq 0 ]
	[ "$(cg cgroup.freeze)" = 1 ]
	grep -qx "frozen 1" "/sys/fs/cgroup$CGROUPS_PATH/cgroup.events"
	runtime resume "$CID"
	[ "$status" -eq 0 ]
	[ "$(cg cgroup.freeze)" = 0 ]
	grep -qx "frozen 0" "/sys/fs/cgroup$CGROUPS_PATH/cgroup.events"
}

@test "v2: update writes cpu.max, cpu.weight, memory.max, memory.swap.max and pids.max" {
	resources '{"memory": {"limit": 67108864}, "pids": {"limit": 42}}'
	run_detached sleep 100
	runtime update --cpu-quota 30000 --cpu-period 100000 --cpu-share 1024 --memory 32m --memory-swap 48m --pids-limit 7 "$CID"
	[ "$status" -eq 0 ]
	[ "$(cg cpu.max)" = "30000 100000" ]
	[ "$(cg cpu.weight)" = 39 ]
	[ "$(cg memory.max)" = 33554432 ]
	[ "$(cg memory.swap.max)" = 16777216 ]
	[ "$(cg pids.max)" = 7 ]
}

@test "v2: kill --all KILL reaches every process, sub-cgroups included" {
	# Without a pid namespace, the init's death does not take the rest.
	update_config '.linux.namespaces -= [{"type": "pid"}]'
	run_detached sleep 100
	runtime exec -d --pid-file "$TEST_DIR/exec1.pid" "$CID" sleep 101
	[ "$status" -eq 0 ]
	mkdir "/sys/fs/cgroup$CGROUPS_PATH/sub"
	runtime exec -d --pid-file "$TEST_DIR/exec2.pid" --cgroup sub "$CID" sleep 102
	[ "$status" -eq 0 ]
	local pids=("$(state_field "$CID" pid)" "$(cat "$TEST_DIR/exec1.pid")" "$(cat "$TEST_DIR/exec2.pid")")

	runtime kill --all "$CID" KILL
	[ "$status" -eq 0 ]
	local p
	for p in "${pids[@]}"; do
		wait_for_pid_gone "$p"
	done
	wait_for_status "$CID" stopped
	[ -z "$(cat "/sys/fs/cgroup$CGROUPS_PATH/sub/cgroup.procs")" ]
	grep -qx "populated 0" "/sys/fs/cgroup$CGROUPS_PATH/cgroup.events"
}

@test "v2: a relative cgroupsPath is placed beside the runtime's own cgroup" {
	local own rel parent
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	parent=$(dirname "$own")
	[ "$parent" != / ] || parent=
	rel="runb-itest-rel-$RANDOM$RANDOM"
	CGROUPS_PATHS+=("$parent/$rel")
	update_config '.linux.cgroupsPath = $p' --arg p "$rel"
	run_detached sleep 100
	grep -qx "0::$parent/$rel" "/proc/$(state_field "$CID" pid)/cgroup" ||
		fail "container in $(cat "/proc/$(state_field "$CID" pid)/cgroup"), runtime in $own"
}

@test "v2: in a cgroup namespace, the container's root cgroup is its own" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	resources '{"pids": {"limit": 42}}'
	set_args sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/pids.max'
	runtime_split run "$CID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "0::/" ]
	[ "${lines[1]}" = 42 ]
}

@test "v2: with a user namespace, the cgroup is made and joined by a write, its limits in place" {
	# Not born in its cgroup (the stage may not write it from inside the
	# namespace): the runtime makes the directory as the process joins it.
	update_config '.linux.namespaces += [{type: "user"}, {type: "cgroup"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 320000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 320000, size: 65536}]'
	reachable_by_any_uid
	resources '{"memory": {"limit": 67108864}, "pids": {"limit": 42}}'
	run_detached sleep 100
	[ "$(cg memory.max)" = 67108864 ]
	[ "$(cg pids.max)" = 42 ]
	grep -qx "0::$CGROUPS_PATH" "/proc/$(state_field "$CID" pid)/cgroup"
	[ "$(cg cgroup.procs)" = "$(state_field "$CID" pid)" ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[ ! -e "/sys/fs/cgroup$CGROUPS_PATH" ] || fail "the cgroup is left behind"
}

# The files a config sets, read from the cgroup at /sys/fs/cgroup$1.
function cgroup_values() {
	local f
	for f in memory.max memory.low memory.swap.max memory.high pids.max cpu.weight cpu.max cpu.idle \
		cpuset.cpus cpuset.mems io.weight io.bfq.weight cgroup.subtree_control cgroup.freeze; do
		[ -e "/sys/fs/cgroup$1/$f" ] && echo "$f: $(tr '\n' ' ' <"/sys/fs/cgroup$1/$f")"
	done
	return 0
}

@test "v2: each control file has the value runc gives it for the same config" {
	skip_if_runc "compares the runtime under test with runc"
	command -v runc >/dev/null || fail "runc is not installed"
	resources '{"memory": {"limit": 67108864, "reservation": 16777216, "swap": 134217728},
		"pids": {"limit": 99}, "cpu": {"shares": 300, "quota": 75000, "period": 150000, "idle": 0, "cpus": "0", "mems": "0"},
		"blockIO": {"weight": 700}, "unified": {"memory.high": "60000000"}}'
	run_detached sleep 100
	local ours theirs
	ours=$(cgroup_values "$CGROUPS_PATH")

	new_cgroups_path
	local runc_path=$CGROUPS_PATH
	RUNC_CID=$(new_id)
	# runc's own --root, outside the one teardown checks for leftovers.
	mkdir -p "$TEST_DIR/runc-state"
	runc --root "$TEST_DIR/runc-state" run -d "$RUNC_CID" </dev/null >"$TEST_DIR/runc.out" 2>&1 3>&- ||
		fail "runc run failed: $(cat "$TEST_DIR/runc.out")"
	theirs=$(cgroup_values "$runc_path")
	runc --root "$TEST_DIR/runc-state" delete --force "$RUNC_CID"
	RUNC_CID=

	diff <(echo "$theirs") <(echo "$ours") || fail "runc (<) and $RUNTIME_NAME (>) differ"
	[ "$(wc -l <<<"$ours")" -ge 10 ]
}
