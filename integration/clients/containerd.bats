#!/usr/bin/env bats
# containerd (a private daemon, with its runc v2 shim) running busybox
# containers through the runtime under test: ctr run --runc-binary RUNTIME,
# then tasks: ls, exec, ps, pause/resume, kill, rm; terminals.

# Shell code in single quotes runs in the container.
# shellcheck disable=SC2016

load clients

function setup_file() {
	requires root
	cd "$BATS_FILE_TMPDIR" || return
	[ -x "$RUNTIME_BIN" ] || fail "runtime not found: $RUNTIME (set RUNTIME)"
	containerd_start
	local rootfs
	rootfs=$(clients_rootfs) || return
	oci_archive "$rootfs" "$CTR_IMAGE" "$BATS_FILE_TMPDIR/image.tar"
	ctr_ images import "$BATS_FILE_TMPDIR/image.tar" >/dev/null
}

function teardown_file() {
	containerd_stop
}

function setup() {
	cd "$BATS_TEST_TMPDIR" || return
	ctr_run_opts
	CID="${CLIENTS_PREFIX}-${BATS_SUITE_TEST_NUMBER:-0}"
}

function teardown() {
	containerd_teardown || {
		echo "# containerd log (last lines):" >&2
		tail -n 20 "$CTRD_DIR/containerd.log" | sed 's/^/#   /' >&2
		return 1
	}
}

# task_status ID: the STATUS column of "ctr task ls" for ID.
function task_status() {
	ctr_ task ls | awk -v id="$1" '$1 == id { print $3 }'
}

# task_is ID STATUS: the task has STATUS.
function task_is() {
	[ "$(task_status "$1")" = "$2" ]
}

# start_waiter ID: ctr run -d the waiter container, its output to a file.
function start_waiter() {
	run ctr_ run -d "${CTR_OPTS[@]}" --log-uri "file://$BATS_TEST_TMPDIR/$1.log" "$CTR_IMAGE" "$1" /waiter
	echo "$output"
	[ "$status" -eq 0 ] || return
	retry 10 grep -qx up "$BATS_TEST_TMPDIR/$1.log"
}

@test "ctr images: the imported image is there" {
	run ctr_ images ls -q
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qxF "$CTR_IMAGE" <<<"$output"
}

@test "ctr run --rm prints the output and passes the exit code on" {
	run ctr_ run --rm "${CTR_OPTS[@]}" "$CTR_IMAGE" "$CID" sh -c 'echo to-stdout; echo to-stderr >&2; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *to-stdout* ]]
	[[ "$output" == *to-stderr* ]]
	run ctr_ run --rm "${CTR_OPTS[@]}" "$CTR_IMAGE" "$CID" sh -c 'echo "$(id -u) $(pwd) pid-$$"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "0 / pid-1" ]
	# --rm removed the container.
	[ -z "$(ctr_containers)" ]
}

@test "ctr run -d: task ls shows RUNNING; task exec; task kill, task rm, container rm" {
	start_waiter "$CID"
	run ctr_ task ls
	echo "$output"
	task_is "$CID" RUNNING

	run ctr_ task exec --exec-id x1 "$CID" sh -c 'echo in-$((1+1)); exit 7'
	echo "$output"
	[ "$status" -eq 7 ]
	[ "$output" = in-2 ]
	run ctr_ task exec --exec-id x2 --user 65534 --cwd /tmp "$CID" sh -c 'echo "$(id -u) $(pwd)"; ps -o pid,args'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "65534 /tmp" ]
	[[ "$output" == *"sleep 1000000"* ]]

	run ctr_ task kill "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	retry 10 task_is "$CID" STOPPED
	retry 10 grep -qx got-term "$BATS_TEST_TMPDIR/$CID.log"
	run ctr_ task rm "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	run ctr_ containers rm "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$(ctr_containers)" ]
	ctr_leftovers "$CID"
}

@test "ctr task ps, pause and resume" {
	start_waiter "$CID"
	local pid
	pid=$(ctr_ task ls | awk -v id="$CID" '$1 == id { print $2 }')
	[ "$pid" -gt 0 ]
	run ctr_ task ps "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	# The init and its sleep, by host pid.
	[[ "$output" == *"$pid "* ]]
	[ "${#lines[@]}" -ge 3 ]

	run ctr_ task pause "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	task_is "$CID" PAUSED
	run ctr_ task resume "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	task_is "$CID" RUNNING
	run ctr_ task exec --exec-id x1 "$CID" echo resumed
	[ "$status" -eq 0 ]
	[ "$output" = resumed ]
}

@test "ctr task kill -s KILL: the exit status is the signal's" {
	run ctr_ run -d "${CTR_OPTS[@]}" "$CTR_IMAGE" "$CID" sleep 1000
	[ "$status" -eq 0 ]
	run ctr_ task kill -s SIGKILL "$CID"
	[ "$status" -eq 0 ]
	retry 10 task_is "$CID" STOPPED
	run ctr_ task rm "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *137* ]]
}

@test "ctr run --rm -t under a real terminal runs an interactive shell" {
	in_pty "$(ctr_cmdline run --rm -t "${CTR_OPTS[@]}" "$CTR_IMAGE" "$CID" sh)" 'echo hello-$((2+3)); tty
exit 4'
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "$output" == *hello-5* ]]
	[[ "$output" == */dev/pts/0* ]]
}

@test "ctr task exec -t under a real terminal" {
	start_waiter "$CID"
	in_pty "$(ctr_cmdline task exec -t --exec-id tty1 "$CID" sh)" 'echo exec-$((3*3)); tty
exit 5'
	echo "$output"
	[ "$status" -eq 5 ]
	[[ "$output" == *exec-9* ]]
	[[ "$output" == */dev/pts/* ]]
}

@test "ctr run --memory-limit: an allocating process is OOM-killed (137)" {
	run ctr_ run --rm "${CTR_OPTS[@]}" --memory-limit $((32 * 1024 * 1024)) "$CTR_IMAGE" "$CID" \
		dd if=/dev/zero of=/dev/null bs=64M count=1
	echo "$output"
	[ "$status" -eq 137 ]
	run ctr_ run --rm "${CTR_OPTS[@]}" --memory-limit $((128 * 1024 * 1024)) "$CTR_IMAGE" "$CID" \
		dd if=/dev/zero of=/dev/null bs=64M count=1
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "ctr run --read-only with a read-only bind mount" {
	local vol="$BATS_TEST_TMPDIR/vol"
	mkdir -p "$vol"
	echo from-host >"$vol/file"
	run ctr_ run --rm "${CTR_OPTS[@]}" --read-only --mount "type=bind,src=$vol,dst=/data,options=rbind:ro" \
		"$CTR_IMAGE" "$CID" sh -c 'cat /data/file; touch /x || echo rootfs-ro; touch /data/x || echo data-ro'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *from-host* ]]
	[[ "$output" == *rootfs-ro* ]]
	[[ "$output" == *data-ro* ]]
}

@test "ctr run --privileged, --device, --seccomp" {
	run ctr_ run --rm "${CTR_OPTS[@]}" --privileged "$CTR_IMAGE" "$CID" grep CapEff /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "CapEff:	$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)" ]
	run ctr_ run --rm "${CTR_OPTS[@]}" --device /dev/null "$CTR_IMAGE" "$CID" sh -c 'echo x >/dev/null && echo dev-ok'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = dev-ok ]
	run ctr_ run --rm "${CTR_OPTS[@]}" --seccomp "$CTR_IMAGE" "$CID" grep Seccomp: /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "Seccomp:	2" ]
}

@test "ctr run --uidmap: a user namespace over a remapped snapshot" {
	# ctr ignores --runc-binary and --runc-root with --uidmap: the shim runs
	# "runc" from containerd's PATH (the runtime under test), default root.
	run ctr_ run -d "${CTR_OPTS[@]}" --log-uri "file://$BATS_TEST_TMPDIR/$CID.log" \
		--uidmap 0:300000:65536 --gidmap 0:300000:65536 "$CTR_IMAGE" "$CID" \
		sh -c 'cat /proc/self/uid_map; id -u; stat -c %u /bin/busybox; echo done; sleep 1000000'
	echo "$output"
	[ "$status" -eq 0 ]
	retry 10 grep -qx "done" "$BATS_TEST_TMPDIR/$CID.log"
	cat "$BATS_TEST_TMPDIR/$CID.log"
	mapfile -t lines <"$BATS_TEST_TMPDIR/$CID.log"
	[ "$(echo "${lines[0]}" | tr -s ' ')" = " 0 300000 65536" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 0 ]
	# The runtime under test runs it.
	run "$RUNTIME_BIN" --root "/run/containerd/runc/$CTR_NS" state "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
}

@test "ctr task metrics reads the container's cgroups" {
	start_waiter "$CID"
	run ctr_ task metrics "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	local mem pids
	mem=$(awk '$1 == "memory.usage_in_bytes" || $1 == "memory.usage" { print $2 }' <<<"$output")
	pids=$(awk '$1 == "pids.current" { print $2 }' <<<"$output")
	[ "$mem" -gt 0 ]
	[ "$pids" -ge 2 ]
}

@test "ctr run --with-ns joins another task's pid and network namespaces" {
	start_waiter "$CID"
	local pid
	pid=$(ctr_ task ls | awk -v id="$CID" '$1 == id { print $2 }')
	run ctr_ run --rm "${CTR_OPTS[@]}" --with-ns "pid:/proc/$pid/ns/pid" --with-ns "network:/proc/$pid/ns/net" \
		"$CTR_IMAGE" "$CID-2" sh -c 'ps -o args | grep -c "^sleep 1000000"; readlink /proc/self/ns/pid; readlink /proc/self/ns/net'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = "$(readlink "/proc/$pid/ns/pid")" ]
	[ "${lines[2]}" = "$(readlink "/proc/$pid/ns/net")" ]
}
