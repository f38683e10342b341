#!/usr/bin/env bats
# Podman (with conmon) running busybox containers through the runtime under
# test: podman --runtime RUNTIME run, exec, logs, stop/start, attach, stats,
# top, pause, published ports, memory limits, terminals; then mounts,
# devices, security options, user namespaces, shared namespaces and pods,
# update, --init, hooks and preserved fds.

# Shell code in single quotes runs in the container.
# shellcheck disable=SC2016

bats_require_minimum_version 1.5.0

load clients

function setup_file() {
	requires root
	# conmon writes files (an "oom" marker) into the directory podman runs in.
	cd "$BATS_FILE_TMPDIR" || return
	podman_setup_file
}

function teardown_file() {
	podman_teardown_file
}

function setup() {
	cd "$BATS_TEST_TMPDIR" || return
	NAME=$(pm_name)
}

function teardown() {
	podman_teardown
	if [ -n "${PROP_MOUNT:-}" ]; then
		umount -R "$PROP_MOUNT" 2>/dev/null || umount -Rl "$PROP_MOUNT" 2>/dev/null || true
	fi
}

# pm_field NAME GO-TEMPLATE: one field of podman inspect.
function pm_field() {
	pm inspect --format "$2" "$1"
}

# start_waiter NAME [OPTIONS...]: run -d the waiter container.
function start_waiter() {
	local name=$1
	shift
	run pm run -d --name "$name" "${PM_OPTS[@]}" "$@" "$PODMAN_IMAGE" /waiter
	echo "$output"
	[ "$status" -eq 0 ] || return
	retry 10 pm_logs_have "$name" up
}

# pm_logs_have NAME TEXT: the container's log contains TEXT.
function pm_logs_have() {
	pm logs "$1" 2>&1 | grep -qF -- "$2"
}

# http_get PORT: GET / from 127.0.0.1:PORT; prints the response (status
# line, headers, body) without carriage returns.
function http_get() {
	timeout 5 bash -c 'exec 5<>"/dev/tcp/127.0.0.1/$1" &&
		printf "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n" >&5 &&
		cat <&5' http_get "$1" | tr -d '\r' | grep .
}

# cgroup_file PID CONTROLLER FILE: a cgroup v1 file of PID's cgroup for
# CONTROLLER, or the v2 file when the host has no such v1 hierarchy.
function cgroup_file() {
	local pid=$1 ctl=$2 file=$3 path
	path=$(awk -F: -v c="$ctl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
	if [ -n "$path" ]; then
		echo "/sys/fs/cgroup/$ctl$path/$file"
	else
		path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
		echo "/sys/fs/cgroup$path/$file"
	fi
}

@test "podman run --rm prints the output and passes the exit code on" {
	run pm run --rm --name "$NAME" "${PM_OPTS[@]}" "$PODMAN_IMAGE" sh -c 'echo to-stdout; echo to-stderr >&2; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *to-stdout* ]]
	[[ "$output" == *to-stderr* ]]
	# --rm removed it.
	run pm container exists "$NAME"
	[ "$status" -eq 1 ]
}

@test "podman run in the foreground: stdout and stdin" {
	run pm run --rm "${PM_OPTS[@]}" "$PODMAN_IMAGE" sh -c 'echo "$(id -u) $(pwd) pid-$$"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "0 / pid-1" ]
	# -i passes stdin through.
	run bash -c "echo piped-in | $(pm_cmdline run --rm -i "${PM_OPTS[@]}" "$PODMAN_IMAGE" cat)"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = piped-in ]
}

@test "podman run -d: ps shows it Up, logs has its output" {
	start_waiter "$NAME"
	run pm ps --filter "name=^$NAME\$" --format '{{.Names}} {{.Status}}'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "$NAME Up "* ]]
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = running ]
	run pm logs "$NAME"
	[ "$status" -eq 0 ]
	[ "$output" = up ]
}

@test "podman exec: output, exit code, user, workdir and environment" {
	start_waiter "$NAME"
	run pm exec "$NAME" sh -c 'echo in-$((1+1)); exit 7'
	echo "$output"
	[ "$status" -eq 7 ]
	[ "$output" = in-2 ]
	run pm exec -u 65534 -w /tmp -e FOO=bar "$NAME" sh -c 'echo "$(id -u) $(pwd) $FOO"'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "65534 /tmp bar" ]
	# Same pid namespace as the container's init.
	run pm exec "$NAME" ps -o pid,args
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"sleep 1000000"* ]]
	# An exec of a missing program fails, and the container lives on.
	run -127 pm exec "$NAME" /no/such/program
	echo "$output"
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = running ]
}

@test "podman exec -it under a real terminal runs an interactive shell" {
	start_waiter "$NAME"
	in_pty "$(pm_cmdline exec -it "$NAME" sh)" 'echo hello-$((2+3)); tty; stty size
exit 4'
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "$output" == *hello-5* ]]
	[[ "$output" == */dev/pts/* ]]
	[[ "$output" == *"40 120"* ]]
}

@test "podman run --rm -it under a real terminal" {
	in_pty "$(pm_cmdline run --rm -it "${PM_OPTS[@]}" "$PODMAN_IMAGE" sh)" 'echo hi-$((2+3)); tty
exit 5'
	echo "$output"
	[ "$status" -eq 5 ]
	[[ "$output" == *hi-5* ]]
	[[ "$output" == */dev/pts/0* ]]
}

@test "podman stop -t 1, start, restart, rm" {
	start_waiter "$NAME"
	local pid1 pid2 pid3
	pid1=$(pm_field "$NAME" '{{.State.Pid}}')
	[ "$pid1" -gt 0 ]

	run pm stop -t 1 "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = exited ]
	# It got SIGTERM and exited by its trap, not killed after the timeout.
	[ "$(pm_field "$NAME" '{{.State.ExitCode}}')" -eq 0 ]
	[ ! -e "/proc/$pid1" ] || [ "$(awk '{ print $3 }' "/proc/$pid1/stat")" = Z ]

	run pm start "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = running ]
	pid2=$(pm_field "$NAME" '{{.State.Pid}}')
	[ "$pid2" -gt 0 ] && [ "$pid2" -ne "$pid1" ]

	run pm restart -t 1 "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = running ]
	pid3=$(pm_field "$NAME" '{{.State.Pid}}')
	[ "$pid3" -gt 0 ] && [ "$pid3" -ne "$pid2" ]
	retry 10 pm_logs_have "$NAME" got-term

	# rm refuses a running container, rm -f does it.
	run pm rm "$NAME"
	[ "$status" -ne 0 ]
	local id
	id=$(pm_field "$NAME" '{{.Id}}')
	run pm rm -f -t 1 "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	run pm container exists "$NAME"
	[ "$status" -eq 1 ]
	podman_leftovers "$id"
}

@test "podman kill delivers the signal; the exit status is the signal's" {
	run pm run -d --name "$NAME" "${PM_OPTS[@]}" "$PODMAN_IMAGE" sleep 1000
	[ "$status" -eq 0 ]
	run pm kill -s KILL "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	run pm wait "$NAME"
	echo "$output"
	[ "$output" = 137 ]
}

@test "podman attach to a running container with a terminal" {
	run pm run -dit --name "$NAME" "${PM_OPTS[@]}" "$PODMAN_IMAGE" sh
	echo "$output"
	[ "$status" -eq 0 ]
	in_pty "$(pm_cmdline attach "$NAME")" 'echo att-$((4+4)); tty
exit 6'
	echo "$output"
	[[ "$output" == *att-8* ]]
	[[ "$output" == */dev/pts/0* ]]
	run pm wait "$NAME"
	echo "$output"
	[ "$output" = 6 ]
}

@test "podman stats --no-stream shows memory usage and pids" {
	start_waiter "$NAME"
	run pm stats --no-stream --format '{{.Name}}|{{.MemUsage}}|{{.PIDs}}' "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	local mem pids
	mem=$(cut -d'|' -f2 <<<"$output")
	pids=$(cut -d'|' -f3 <<<"$output")
	[[ "$output" == "$NAME|"* ]]
	# e.g. "397.3kB / 25.28GB": some usage, out of some limit.
	[[ "$mem" =~ ^[0-9.]+[kMG]?B\ /\ [0-9.]+[kMGT]?B$ ]]
	[[ "$mem" != 0B* ]]
	# sh and sleep
	[ "$pids" -ge 2 ]
}

@test "podman top lists the container's processes" {
	start_waiter "$NAME"
	run pm top "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID* ]]
	[[ "$output" == *"sleep 1000000"* ]]
	run pm top "$NAME" pid comm
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *sleep* ]]
}

@test "podman pause freezes the container, unpause thaws it" {
	start_waiter "$NAME"
	local pid state
	pid=$(pm_field "$NAME" '{{.State.Pid}}')
	state=$(cgroup_file "$pid" freezer freezer.state)

	run pm pause "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = paused ]
	run pm ps -a --filter "name=^$NAME\$" --format '{{.Status}}'
	echo "$output"
	[ "$output" = Paused ]
	if [ -e "$state" ]; then
		[ "$(cat "$state")" = FROZEN ]
	else
		[ "$(cat "$(cgroup_file "$pid" "" cgroup.freeze)")" = 1 ]
	fi

	run pm unpause "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = running ]
	if [ -e "$state" ]; then
		[ "$(cat "$state")" = THAWED ]
	fi
	run pm exec "$NAME" echo thawed
	[ "$status" -eq 0 ]
	[ "$output" = thawed ]
}

@test "podman run -p publishes httpd's port on the host" {
	local port=$((18000 + ${BATS_ROOT_PID:-$$} % 1000))
	run pm run -d --name "$NAME" -p "127.0.0.1:$port:8080" "${PM_OPTS[@]}" "$PODMAN_IMAGE" httpd -f -p 8080 -h /www
	echo "$output"
	[ "$status" -eq 0 ]
	retry 10 http_get "$port" >"$BATS_TEST_TMPDIR/page"
	cat "$BATS_TEST_TMPDIR/page"
	grep -q '^HTTP/1.[01] 200' "$BATS_TEST_TMPDIR/page"
	grep -qx "hello from runb-clients httpd" "$BATS_TEST_TMPDIR/page"
	run pm port "$NAME"
	echo "$output"
	[[ "$output" == *"8080/tcp -> 127.0.0.1:$port"* ]]
}

@test "podman images lists the imported image" {
	run pm images --format '{{.Repository}}:{{.Tag}}'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qxF "$PODMAN_IMAGE" <<<"$output"
}

@test "podman run --memory 6m: the container runs, and so does an exec" {
	run pm run --rm "${PM_OPTS[@]}" --memory 6m "$PODMAN_IMAGE" echo small-enough
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = small-enough ]

	start_waiter "$NAME" --memory 6m
	local pid limit
	pid=$(pm_field "$NAME" '{{.State.Pid}}')
	limit=$(cgroup_file "$pid" memory memory.limit_in_bytes)
	[ -e "$limit" ] || limit=$(cgroup_file "$pid" "" memory.max)
	[ "$(cat "$limit")" -eq $((6 * 1024 * 1024)) ]
	run pm exec "$NAME" echo exec-fits
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = exec-fits ]
	run pm stop -t 1 "$NAME"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$NAME" '{{.State.OOMKilled}}')" = false ]
}

@test "podman run --memory 32m: a process allocating more is OOM-killed (137)" {
	run pm run --rm "${PM_OPTS[@]}" --memory 32m --memory-swap 32m "$PODMAN_IMAGE" \
		dd if=/dev/zero of=/dev/null bs=64M count=1
	echo "$output"
	[ "$status" -eq 137 ]
	# conmon saw the OOM kill through the cgroup and left its marker in
	# its working directory (podman's, here).
	[ -e oom ]
	rm oom
	# The control: with room for it, the same dd succeeds.
	run pm run --rm "${PM_OPTS[@]}" --memory 128m --memory-swap 128m "$PODMAN_IMAGE" \
		dd if=/dev/zero of=/dev/null bs=64M count=1
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "podman stop -t 1 kills a container that ignores SIGTERM (137)" {
	run pm run -d --name "$NAME" "${PM_OPTS[@]}" "$PODMAN_IMAGE" sh -c 'trap "" TERM; echo up; sleep 1000000 & wait; wait'
	[ "$status" -eq 0 ]
	retry 10 pm_logs_have "$NAME" up
	run pm stop -t 1 "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = exited ]
	[ "$(pm_field "$NAME" '{{.State.ExitCode}}')" -eq 137 ]
}

@test "podman run --read-only, a read-only bind volume, a tmpfs" {
	local vol="$BATS_TEST_TMPDIR/vol"
	mkdir -p "$vol"
	echo from-host >"$vol/file"
	run pm run --rm "${PM_OPTS[@]}" --read-only -v "$vol:/data:ro" --tmpfs /scratch "$PODMAN_IMAGE" sh -c '
		cat /data/file
		touch /rootfs-file || echo rootfs-ro
		touch /data/new || echo data-ro
		touch /scratch/new && echo scratch-rw
		grep -q "^tmpfs /scratch tmpfs" /proc/mounts && echo scratch-tmpfs'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *from-host* ]]
	[[ "$output" == *rootfs-ro* ]]
	[[ "$output" == *data-ro* ]]
	[[ "$output" == *scratch-rw* ]]
	[[ "$output" == *scratch-tmpfs* ]]
	[ ! -e "$vol/new" ]
}

@test "podman run --mount bind-propagation=rslave: host mounts show up inside" {
	# podman asks for linux.rootfsPropagation "rslave" here.
	local src="$BATS_TEST_TMPDIR/prop"
	mkdir -p "$src/sub"
	mount --bind "$src" "$src"
	mount --make-rshared "$src"
	PROP_MOUNT=$src
	start_waiter "$NAME" --mount "type=bind,src=$src,dst=/prop,bind-propagation=rslave"
	mount -t tmpfs tmpfs "$src/sub"
	echo late-mount >"$src/sub/file"
	run pm exec "$NAME" cat /prop/sub/file
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = late-mount ]
}

@test "podman run --device adds the device node" {
	run pm run --rm "${PM_OPTS[@]}" --device /dev/null:/dev/extra-null "$PODMAN_IMAGE" sh -c 'ls -l /dev/extra-null; echo data >/dev/extra-null && echo writable'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == crw-rw-rw-*" 1,   3 "*/dev/extra-null* ]]
	[[ "$output" == *writable* ]]
}

@test "podman run --privileged: all capabilities, host devices, no seccomp" {
	run pm run --rm "${PM_OPTS[@]}" --privileged "$PODMAN_IMAGE" sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status; ls /dev'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapEff:	$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)"* ]]
	[[ "$output" == *"Seccomp:	0"* ]]
	# A host device podman adds only for --privileged.
	local dev
	dev=$(find /dev -maxdepth 1 -type c -name 'tty[0-9]*' -print -quit)
	[ -z "$dev" ] || [[ "$output" == *"${dev#/dev/}"* ]]
}

@test "podman default security: the default capabilities, seccomp filter, no_new_privs off" {
	run pm run --rm "${PM_OPTS[@]}" "$PODMAN_IMAGE" sh -c 'grep -E "^(CapEff|CapBnd|Seccomp|NoNewPrivs):" /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	# containers.conf's defaults: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID
	# SETUID SETPCAP NET_BIND_SERVICE SYS_CHROOT SETFCAP; podman's built-in
	# ones (when CONTAINERS_CONF names a file without them) add NET_RAW,
	# MKNOD and AUDIT_WRITE.
	[[ "$output" == *"CapEff:	00000000800405fb"* || "$output" == *"CapEff:	00000000a80425fb"* ]]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *"NoNewPrivs:	0"* ]]
	run pm run --rm "${PM_OPTS[@]}" --cap-drop all --cap-add NET_ADMIN --security-opt no-new-privileges "$PODMAN_IMAGE" sh -c 'grep -E "^(CapEff|NoNewPrivs):" /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapEff:	0000000000001000"* ]]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
}

@test "podman run --uidmap: a user namespace" {
	run pm run --rm "${PM_OPTS[@]}" --uidmap 0:200000:65536 --gidmap 0:200000:65536 "$PODMAN_IMAGE" sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; stat -c %u /bin/busybox'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | tr -s ' ' | sed -n 1p)" = " 0 200000 65536" ]
	[ "$(echo "$output" | tr -s ' ' | sed -n 2p)" = " 0 200000 65536" ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = 0 ]
}

@test "podman exec --privileged, exec -u: the exec'd process's capabilities" {
	start_waiter "$NAME"
	run pm exec --privileged "$NAME" grep CapEff /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "CapEff:	$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)" ]
	run pm exec -u 65534 "$NAME" grep CapEff /proc/self/status
	echo "$output"
	[ "$output" = "CapEff:	0000000000000000" ]
}

@test "podman run --pid/--network/--ipc/--uts container:NAME joins another container's namespaces" {
	start_waiter "$NAME"
	local pid ns
	pid=$(pm_field "$NAME" '{{.State.Pid}}')
	run pm run --rm "${PM_OPTS[@]}" --pid "container:$NAME" --network "container:$NAME" \
		--ipc "container:$NAME" --uts "container:$NAME" "$PODMAN_IMAGE" sh -c '
		hostname; ps -o args | grep -c "^sleep 1000000"
		for ns in pid net ipc uts; do readlink /proc/self/ns/$ns; done'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(pm_field "$NAME" '{{.Config.Hostname}}')" ]
	[ "${lines[1]}" = 1 ]
	for ns in pid net ipc uts; do
		[[ "$output" == *"$(readlink "/proc/$pid/ns/$ns")"* ]]
	done
}

@test "podman pod: containers share the pod's network and hostname; the pod publishes a port" {
	local pod="$NAME-pod" port=$((19000 + ${BATS_ROOT_PID:-$$} % 1000))
	# A pod's infra container takes no --ulimit: use a private containers.conf.
	printf '[containers]\ndefault_ulimits = ["nofile=1024:20000", "nproc=1024:4096"]\n' >"$BATS_TEST_TMPDIR/containers.conf"
	CONTAINERS_CONF="$BATS_TEST_TMPDIR/containers.conf" run pm pod create --name "$pod" \
		--infra-name "$pod-infra" --infra-image "$PODMAN_IMAGE" --infra-command /waiter \
		-p "127.0.0.1:$port:8080"
	echo "$output"
	[ "$status" -eq 0 ]
	run pm run -d --pod "$pod" --name "$NAME-httpd" "${PM_OPTS[@]}" "$PODMAN_IMAGE" httpd -f -p 8080 -h /www
	echo "$output"
	[ "$status" -eq 0 ]
	run pm run --rm --pod "$pod" "${PM_OPTS[@]}" "$PODMAN_IMAGE" sh -c 'hostname; wget -qO- http://127.0.0.1:8080/'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$pod" ]
	[ "${lines[1]}" = "hello from runb-clients httpd" ]
	retry 10 http_get "$port" >"$BATS_TEST_TMPDIR/page"
	grep -qx "hello from runb-clients httpd" "$BATS_TEST_TMPDIR/page"
	run pm pod stop -t 1 "$pod"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$pod-infra" '{{.State.Status}}')" = exited ]
	run pm pod rm "$pod"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "podman update --memory changes the running container's limit" {
	start_waiter "$NAME" --memory 64m
	local pid limit
	pid=$(pm_field "$NAME" '{{.State.Pid}}')
	limit=$(cgroup_file "$pid" memory memory.limit_in_bytes)
	[ -e "$limit" ] || limit=$(cgroup_file "$pid" "" memory.max)
	[ "$(cat "$limit")" -eq $((64 * 1024 * 1024)) ]
	run pm update --memory 96m "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cat "$limit")" -eq $((96 * 1024 * 1024)) ]
}

@test "podman run --init: catatonit is pid 1 and reaps" {
	[ -x /usr/libexec/podman/catatonit ] || fail "catatonit is not installed (see .ci/run)"
	run pm run --rm "${PM_OPTS[@]}" --init "$PODMAN_IMAGE" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; echo pid-$$'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "/run/podman-init -- sh -c "* ]]
	[ "${lines[1]}" != pid-1 ]
}

@test "podman --hooks-dir: the runtime runs the prestart and poststop hooks" {
	local hooks="$BATS_TEST_TMPDIR/hooks" out="$BATS_TEST_TMPDIR/hook-out" stage
	mkdir -p "$hooks" "$out"
	for stage in prestart poststop; do
		jq -n --arg stage "$stage" --arg out "$out" '{
			version: "1.0.0",
			hook: {path: "/bin/sh", args: ["sh", "-c", "cat >\"$1/$0.json\"", $stage, $out]},
			when: {always: true},
			stages: [$stage]
		}' >"$hooks/$stage.json"
	done
	run pm --hooks-dir "$hooks" run --name "$NAME" "${PM_OPTS[@]}" "$PODMAN_IMAGE" true
	echo "$output"
	[ "$status" -eq 0 ]
	local id
	id=$(pm_field "$NAME" '{{.Id}}')
	retry 10 test -s "$out/poststop.json"
	cat "$out"/*.json
	[ "$(jq -r .id "$out/prestart.json")" = "$id" ]
	[ "$(jq -r .status "$out/prestart.json")" = creating ]
	[ "$(jq -r .pid "$out/prestart.json")" -gt 0 ]
	[ "$(jq -r .id "$out/poststop.json")" = "$id" ]
	[ "$(jq -r .status "$out/poststop.json")" = stopped ]
}

@test "podman run and exec --preserve-fds pass an open file on" {
	echo passed-fd >"$BATS_TEST_TMPDIR/fd-file"
	# Not through pm, which closes fd 3.
	run timeout --kill-after=5 "$CLIENT_TIMEOUT" podman --runtime "$RUNTIME_BIN" run --rm "${PM_OPTS[@]}" \
		--preserve-fds 1 "$PODMAN_IMAGE" sh -c 'cat <&3' 3<"$BATS_TEST_TMPDIR/fd-file" </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = passed-fd ]
	start_waiter "$NAME"
	run timeout --kill-after=5 "$CLIENT_TIMEOUT" podman --runtime "$RUNTIME_BIN" exec \
		--preserve-fds 1 "$NAME" sh -c 'cat <&3' 3<"$BATS_TEST_TMPDIR/fd-file" </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = passed-fd ]
}

@test "podman run -d -t: the container's terminal output reaches the log" {
	run pm run -d -t --name "$NAME" "${PM_OPTS[@]}" "$PODMAN_IMAGE" sh -c 'tty; echo tty-out'
	echo "$output"
	[ "$status" -eq 0 ]
	run pm wait "$NAME"
	[ "$output" = 0 ]
	run pm logs "$NAME"
	echo "$output"
	[[ "$output" == */dev/pts/0* ]]
	[[ "$output" == *tty-out* ]]
}
