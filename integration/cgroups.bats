#!/usr/bin/env bats
# cgroups: linux.resources enforced for real (memory, pids, cpu, devices),
# and the commands built on the container's cgroups: pause, resume, ps,
# update, events.

load helpers

function setup() {
	requires root
	setup_bundle
	writable_rootfs
}

# True on a pure cgroup v2 host (one hierarchy at /sys/fs/cgroup).
function cgroup_v2() {
	[ -e /sys/fs/cgroup/cgroup.controllers ]
}

# cgroup_file CONTROLLER FILE: the path of FILE in the container's cgroup
# (v1: under the controller's hierarchy).
function cgroup_file() {
	if cgroup_v2; then
		echo "/sys/fs/cgroup$CGROUPS_PATH/$2"
	else
		echo "/sys/fs/cgroup/$1$CGROUPS_PATH/$2"
	fi
}

# memory_limit_file: where the memory limit lives on this host.
function memory_limit_file() {
	if cgroup_v2; then cgroup_file memory memory.max; else cgroup_file memory memory.limit_in_bytes; fi
}

# run_detached ARGS...: the container's process, run in the background.
function run_detached() {
	set_args "$@"
	runtime run -d "$CID"
	[ "$status" -eq 0 ] || fail "run -d failed: $output"
}

# wait_for_grep PATTERN FILE [SECONDS]
function wait_for_grep() {
	local tries=$((${3:-10} * 10))
	while [ "$tries" -gt 0 ]; do
		grep -q -- "$1" "$2" 2>/dev/null && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	fail "\"$1\" not in $2 after ${3:-10}s: $(cut -c1-200 "$2" 2>/dev/null)"
}

# A memory+swap limit equal to the memory limit, where the kernel accounts
# swap, so that memory cannot spill into swap instead of hitting the limit.
function limit_memory() {
	update_config '.linux.resources.memory = {"limit": $m}' --argjson m "$1"
	if cgroup_v2 || [ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then
		update_config '.linux.resources.memory.swap = $m' --argjson m "$1"
	fi
}

@test "memory limit: a process allocating more is OOM-killed, and events reports it" {
	limit_memory 33554432
	# tail keeps all of a newline-free stream in memory. The reporting shell
	# must survive: a second OOM kill, while the first victim's memory is
	# still charged, could otherwise pick it; so the hog's processes are
	# made the first choice.
	run_detached sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; sh -c "echo 1000 >/proc/self/oom_score_adj; head -c 100m /dev/zero | tail"; echo $? >/tmp/status; exec sleep 100'
	[ "$(cat "$(memory_limit_file)")" = "33554432" ]

	runtime_bg "$TEST_DIR/events" events --interval 1s "$CID"
	local events_pid=$!
	wait_for_grep '"type":"stats"' "$TEST_DIR/events"

	touch "$BUNDLE/rootfs/tmp/go"
	wait_for_file "$BUNDLE/rootfs/tmp/status" 20
	[ "$(cat "$BUNDLE/rootfs/tmp/status")" = "137" ]
	wait_for_grep "{\"type\":\"oom\",\"id\":\"$CID\"}" "$TEST_DIR/events"

	# events ends with the container.
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	wait "$events_pid" || true
}

@test "pids limit: forks beyond the limit fail" {
	update_config '.linux.resources.pids = {"limit": 10}'
	# The inner shell forks until it cannot (and then gives up); the outer
	# one reports back.
	run_detached sh -c 'sh -c "i=0; while [ \$i -lt 30 ]; do sleep 30 & i=\$((i+1)); done" 2>/tmp/err; touch /tmp/done; exec sleep 100'
	wait_for_file "$BUNDLE/rootfs/tmp/done"

	[ "$(cat "$(cgroup_file pids pids.max)")" = "10" ]
	[ "$(cat "$(cgroup_file pids pids.current)")" -le 10 ]
	grep -qi "fork" "$BUNDLE/rootfs/tmp/err" || fail "no fork failure: $(cat "$BUNDLE/rootfs/tmp/err")"
}

@test "cpu quota: a busy loop gets throttled" {
	update_config '.linux.resources.cpu = {"quota": 10000, "period": 100000}'
	run_detached sh -c 'while :; do :; done'

	local stat throttled=0 i
	stat=$(cgroup_file cpu cpu.stat)
	for i in $(seq 50); do
		throttled=$(awk '$1 == "nr_throttled" { print $2 }' "$stat")
		[ "$throttled" -gt 0 ] && break
		sleep 0.1
	done
	[ "$throttled" -gt 0 ]

	runtime_split events --stats "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq '.data.cpu.throttling.throttledPeriods' <<<"$output")" -gt 0 ]
}

# /dev/zero listed in linux.devices: runc's default rule for it no longer
# applies, so the config's rules alone decide.
function own_dev_zero() {
	update_config '.linux.devices = [{"path": "/dev/zero", "type": "c", "major": 1, "minor": 5, "fileMode": 438, "uid": 0, "gid": 0}]'
}

# try_devices: read and write /dev/zero, read /dev/urandom, read a node
# made with mknod; results in /tmp/result, one word each.
function try_devices() {
	update_config '.process.capabilities |= with_entries(.value += ["CAP_MKNOD"])'
	run_detached sh -c '
		r() { if head -c1 "$1" >/dev/null 2>>/tmp/err; then echo ok; else echo denied; fi; }
		w() { if (echo x >"$1") 2>>/tmp/err; then echo ok; else echo denied; fi; }
		mknod /tmp/zero-node c 1 5
		echo "$(r /dev/zero) $(w /dev/zero) $(r /dev/urandom) $(r /tmp/zero-node)" >/tmp/result.tmp
		mv /tmp/result.tmp /tmp/result'
	wait_for_file "$BUNDLE/rootfs/tmp/result"
	cat "$BUNDLE/rootfs/tmp/result"
}

@test "devices: the default rules allow /dev/zero, even as a new node" {
	[ "$(try_devices)" = "ok ok ok ok" ]
}

@test "devices: the deny-all rule denies a device nothing allows" {
	own_dev_zero
	[ "$(try_devices)" = "denied denied ok denied" ]
	grep -q "Operation not permitted" "$BUNDLE/rootfs/tmp/err"
}

@test "devices: rules apply in order, a later deny narrowing an allow" {
	own_dev_zero
	update_config '.linux.resources.devices += [
		{"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"},
		{"allow": false, "type": "c", "major": 1, "minor": 5, "access": "w"}]'
	[ "$(try_devices)" = "ok denied ok ok" ]
}

@test "pause freezes the container, resume lets it go on" {
	run_detached sh -c 'i=0; while :; do i=$((i+1)); echo $i >/tmp/count; sleep 0.05; done'
	wait_for_file "$BUNDLE/rootfs/tmp/count"

	runtime pause "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "paused" ]
	local before after
	before=$(cat "$BUNDLE/rootfs/tmp/count")
	sleep 0.5
	after=$(cat "$BUNDLE/rootfs/tmp/count")
	[ "$before" = "$after" ]

	runtime_split pause "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container not running"* ]]

	runtime resume "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = "running" ]
	local i
	for i in $(seq 50); do
		[ "$(cat "$BUNDLE/rootfs/tmp/count")" != "$after" ] && break
		sleep 0.1
	done
	[ "$(cat "$BUNDLE/rootfs/tmp/count")" != "$after" ]

	runtime_split resume "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container not paused"* ]]
}

@test "pause of a stopped container fails" {
	run_detached true
	wait_for_status "$CID" stopped
	runtime_split pause "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"container not running"* ]]
}

@test "update changes the limits of a running container" {
	limit_memory 33554432
	update_config '.linux.resources.pids = {"limit": 10}'
	run_detached sleep 100
	[ "$(cat "$(memory_limit_file)")" = "33554432" ]

	runtime update --memory 64m --memory-swap 128m --pids-limit 20 "$CID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(memory_limit_file)")" = "67108864" ]
	[ "$(cat "$(cgroup_file pids pids.max)")" = "20" ]

	echo '{"memory": {"limit": 50331648}, "pids": {"limit": 5}}' >"$TEST_DIR/resources.json"
	runtime update -r "$TEST_DIR/resources.json" "$CID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(memory_limit_file)")" = "50331648" ]
	[ "$(cat "$(cgroup_file pids pids.max)")" = "5" ]
}

@test "update with a bad value fails and changes nothing" {
	run_detached sleep 100
	local before
	before=$(cat "$(cgroup_file pids pids.max)")
	runtime_split update --memory lots --pids-limit 7 "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"invalid value for memory"* ]]
	[ "$(cat "$(cgroup_file pids pids.max)")" = "$before" ]
}

@test "events --stats prints one stats document" {
	limit_memory 33554432
	update_config '.linux.resources.pids = {"limit": 50}'
	run_detached sleep 100

	runtime_split events --stats "$CID"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	jq -e --arg id "$CID" '
		.type == "stats" and .id == $id
		and (.data.cpu.usage | has("kernel") and has("user"))
		and (.data.cpu | has("throttling"))
		and .data.memory.usage.limit == 33554432
		and .data.memory.usage.usage > 0
		and .data.pids.current >= 1 and .data.pids.limit == 50
		and (.data | has("blkio") and has("hugetlb"))' <<<"$output" >/dev/null
}

@test "events of a stopped container fail; a bad interval is refused" {
	run_detached true
	wait_for_status "$CID" stopped
	runtime_split events --stats "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"is not running"* ]]

	runtime_split events --interval 0s "$CID"
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"duration interval must be greater than 0"* ]]
}

@test "ps lists the container's processes, as a table or as json" {
	run_detached sh -c 'sleep 100 & exec sleep 101'
	local pid
	pid=$(state_field "$CID" pid)
	sleep 0.3

	runtime_split ps -f json "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq length <<<"$output")" -eq 2 ]
	jq -e --argjson p "$pid" 'index($p) != null' <<<"$output" >/dev/null

	runtime_split ps "$CID"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID* ]]
	[ "${#lines[@]}" -eq 3 ]
	[[ "$output" == *"sleep 101"* ]]

	# Arguments after the id are ps's own.
	runtime_split ps "$CID" -o pid,args
	[ "$status" -eq 0 ]
	[ "$(awk 'NR > 1 { print $1 }' <<<"$output" | sort -n | head -1)" -gt 0 ]
	[[ "$output" == *"sleep 100"* ]]
}

@test "delete removes the cgroups the limits were set in" {
	limit_memory 33554432
	update_config '.linux.resources.pids = {"limit": 10} | .linux.resources.cpu = {"shares": 512}'
	run_detached sleep 100
	[ -n "$(__cgroup_dirs "$CGROUPS_PATH")" ]

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[ -z "$(__cgroup_dirs "$CGROUPS_PATH")" ]
	check_no_leftovers
}

@test "the runtime itself stays in the cgroups it was started in; exec joins the container's" {
	# The runtime takes the cgroup migration lock early by moving itself
	# into its own cgroup: that must move it nowhere.
	set_args sleep 100
	"$RUNTIME_BIN" --root "$ROOT" run "$CID" </dev/null >"$TEST_DIR/run.out" 2>&1 3>&- &
	local rt_pid=$!
	wait_for_status "$CID" running
	local mine theirs
	mine=$(sort /proc/self/cgroup)
	theirs=$(sort "/proc/$rt_pid/cgroup")
	[ "$mine" = "$theirs" ] || fail "runtime moved: $theirs (started in $mine)"

	runtime exec "$CID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[[ "$output" == *":$CGROUPS_PATH"* ]] || fail "exec not in $CGROUPS_PATH: $output"

	runtime kill "$CID" KILL
	[ "$status" -eq 0 ]
	# The foreground run reports the signal and deletes the container.
	local rc=0
	wait "$rt_pid" || rc=$?
	[ "$rc" -eq 137 ] || fail "run exited $rc"
}

@test "exec --cgroup runs the process in an existing sub-cgroup, and delete removes it" {
	run_detached sleep 100
	local sub arg
	sub=$(dirname "$(cgroup_file pids cgroup.procs)")/sub
	mkdir "$sub"
	if cgroup_v2; then arg=sub; else arg=pids:sub; fi
	runtime exec -d --pid-file "$TEST_DIR/exec.pid" --cgroup "$arg" "$CID" sleep 30
	[ "$status" -eq 0 ]
	local pid cg
	pid=$(cat "$TEST_DIR/exec.pid")
	cg=$(cat "/proc/$pid/cgroup")
	echo "$cg"
	if cgroup_v2; then
		grep -qx "0::$CGROUPS_PATH/sub" <<<"$cg"
	else
		grep -qE "^[0-9]+:pids:$CGROUPS_PATH/sub\$" <<<"$cg"
		grep -qE "^[0-9]+:memory:$CGROUPS_PATH\$" <<<"$cg"
	fi

	# A sub-cgroup that does not exist, or one outside the container's.
	runtime exec --cgroup "${arg/sub/nosuch}" "$CID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *nosuch* ]]
	runtime exec --cgroup ../escape "$CID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"../escape"* ]]

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[ ! -e "$sub" ]
	check_no_leftovers
}
