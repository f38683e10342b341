#!/usr/bin/env bats
# On a host booted with systemd and cgroup v2 (the VM guest: integration/vm),
# the clients with their defaults drive the runtime under test through the
# systemd cgroup driver: Podman as root (cgroup manager systemd, scopes in
# machine.slice), Podman as an ordinary user (rootless: the user's systemd
# instance, subordinate ids) and containerd's runc shim with
# SystemdCgroup (ctr run --runc-systemd-cgroup). The container's cgroup is
# a transient scope holding the limits as its properties; after rm neither
# the unit nor its cgroup is left.

# Shell code in single quotes runs in the container.
# shellcheck disable=SC2016

bats_require_minimum_version 1.5.0

load clients

# The unprivileged user of the guest (build-image.sh), with subuids.
ROOTLESS_USER=${ROOTLESS_USER:-runb-user}

function setup_file() {
	requires root
	[ -d /run/systemd/system ] || skip "needs a host booted with systemd (run it in integration/vm)"
	[ -f /sys/fs/cgroup/cgroup.controllers ] || skip "needs a cgroup v2 host (run it in integration/vm)"
	requires_cmd podman conmon ctr containerd containerd-shim-runc-v2 systemctl loginctl runuser script
	[ -x "$RUNTIME_BIN" ] || fail "runtime not found: $RUNTIME (set RUNTIME)"
	cd "$BATS_FILE_TMPDIR" || return
	local rootfs
	rootfs=$(clients_rootfs) || return
	tar -C "$rootfs" -cf "$BATS_FILE_TMPDIR/rootfs.tar" .
	[ "$(pm info --format '{{.Host.CgroupManager}}')" = systemd ] || fail "podman's cgroup manager is not systemd here"
	pm import --change 'CMD ["sh"]' "$BATS_FILE_TMPDIR/rootfs.tar" "$PODMAN_IMAGE" >/dev/null

	# The rootless user: a copy of the runtime it can run, a directory of
	# its own to run in, its systemd instance (lingering) and its image.
	USER_DIR=$(mktemp -d /tmp/runb-systemd-user.XXXXXX)
	chmod 0755 "$USER_DIR"
	cp "$RUNTIME_BIN" "$USER_DIR/$RUNTIME_NAME"
	cp "$BATS_FILE_TMPDIR/rootfs.tar" "$USER_DIR/rootfs.tar"
	chown -R "$ROOTLESS_USER:" "$USER_DIR"
	USER_UID=$(id -u "$ROOTLESS_USER")
	export USER_DIR USER_UID
	loginctl enable-linger "$ROOTLESS_USER"
	retry 30 test -S "/run/user/$USER_UID/bus"
	as_user podman import --change 'CMD ["sh"]' "$USER_DIR/rootfs.tar" "$PODMAN_IMAGE" >/dev/null

	containerd_start
	oci_archive "$rootfs" "$CTR_IMAGE" "$BATS_FILE_TMPDIR/image.tar"
	ctr_ images import "$BATS_FILE_TMPDIR/image.tar" >/dev/null
}

function teardown_file() {
	podman_teardown_file
	if [ -n "${USER_DIR:-}" ]; then
		upm_remove_all
		as_user podman rmi -f "$PODMAN_IMAGE" >/dev/null 2>&1 || true
		timeout 60 loginctl disable-linger "$ROOTLESS_USER" || true
		rm -rf "$USER_DIR"
	fi
	containerd_stop
}

function setup() {
	cd "$BATS_TEST_TMPDIR" || return
	NAME=$(pm_name)
	CID="${CLIENTS_PREFIX}-${BATS_SUITE_TEST_NUMBER:-0}"
}

function teardown() {
	local ok=0
	podman_teardown || ok=1
	upm_remove_all || ok=1
	containerd_teardown || ok=1
	return $ok
}

# as_user CMD...: CMD as the rootless user, in its session's environment.
function as_user() {
	(cd "$USER_DIR" && timeout --kill-after=5 "$CLIENT_TIMEOUT" runuser -u "$ROOTLESS_USER" -- \
		env "XDG_RUNTIME_DIR=/run/user/$USER_UID" "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$USER_UID/bus" \
		"HOME=$(getent passwd "$ROOTLESS_USER" | cut -d: -f6)" "$@" </dev/null 3>&-)
}

# upm ARGS...: rootless podman with the user's copy of the runtime.
function upm() {
	as_user podman --runtime "$USER_DIR/$RUNTIME_NAME" "$@"
}

# pm_logs_have NAME TEXT: the container's log contains TEXT.
function pm_logs_have() {
	pm logs "$1" 2>&1 | grep -qF -- "$2"
}

# pm_field NAME GO-TEMPLATE: one field of podman inspect.
function pm_field() {
	pm inspect --format "$2" "$1"
}

# upm_logs_have NAME TEXT: the rootless container's log contains TEXT.
function upm_logs_have() {
	upm logs "$1" 2>&1 | grep -qF -- "$2"
}

function upm_remove_all() {
	[ -n "${USER_DIR:-}" ] || return 0
	local ids
	mapfile -t ids < <(upm ps -a -q --no-trunc --filter "label=$PODMAN_LABEL" 2>/dev/null)
	[ ${#ids[@]} -eq 0 ] && return 0
	upm rm -f -t 0 "${ids[@]}" >/dev/null 2>&1 || true
	local ok=0 id
	for id in "${ids[@]}"; do
		retry 5 unit_gone --user "libpod-$id.scope" || ok=1
	done
	return $ok
}

# unit_prop [--user] UNIT PROPERTY: one property of a unit, as systemctl shows it.
function unit_prop() {
	local scope=()
	if [ "$1" = --user ]; then
		scope=(--user -M "$ROOTLESS_USER@")
		shift
	fi
	systemctl "${scope[@]}" show -p "$2" --value "$1"
}

# unit_gone [--user] UNIT: the unit is not loaded, and its cgroup is gone.
function unit_gone() {
	local user=
	[ "$1" = --user ] && user=--user && shift
	local state cg
	state=$(unit_prop $user "$1" LoadState)
	[ "$state" = not-found ] || {
		echo "leftover: unit $1 ($state)" >&2
		return 1
	}
	cg=$(find /sys/fs/cgroup -type d -name "$1" 2>/dev/null | head -n 1)
	[ -z "$cg" ] || {
		echo "leftover: cgroup $cg" >&2
		return 1
	}
}

# scope_limits [--user] UNIT: MemoryMax TasksMax CPUQuotaPerSecUSec of UNIT.
function scope_limits() {
	local user=
	[ "$1" = --user ] && user=--user && shift
	echo "$(unit_prop $user "$1" MemoryMax) $(unit_prop $user "$1" TasksMax) $(unit_prop $user "$1" CPUQuotaPerSecUSec)"
}

LIMITS=(--memory 64m --pids-limit 42 --cpus 0.5)

@test "podman (systemd manager): run --rm with limits sees its own cgroup namespace" {
	run pm run --rm "${PM_OPTS[@]}" "${LIMITS[@]}" "$PODMAN_IMAGE" cat /proc/self/cgroup
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "0::/" ]
}

@test "podman (systemd manager): the scope has the limits; exec, stats, pause, update, stop, rm; nothing left" {
	run pm run -d --name "$NAME" "${PM_OPTS[@]}" "${LIMITS[@]}" "$PODMAN_IMAGE" /waiter
	echo "$output"
	[ "$status" -eq 0 ]
	local id=$output unit="libpod-$output.scope"
	retry 10 pm_logs_have "$NAME" up
	run unit_prop "$unit" ControlGroup
	echo "$output"
	[ "$output" = "/machine.slice/$unit" ]
	run scope_limits "$unit"
	echo "$output"
	[ "$output" = "67108864 42 500ms" ]
	[ "$(cat "/sys/fs/cgroup/machine.slice/$unit/memory.max")" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup/machine.slice/$unit/pids.max")" = 42 ]
	[ "$(cat "/sys/fs/cgroup/machine.slice/$unit/cpu.max")" = "50000 100000" ]

	run pm exec "$NAME" sh -c 'cat /proc/self/cgroup; exit 3'
	echo "$output"
	[ "$status" -eq 3 ]
	[ "$output" = "0::/" ]
	run pm stats --no-stream --format '{{.MemUsage}}|{{.PIDs}}' "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	# some usage, out of the 64 MiB limit, and at least sh and sleep
	[[ "$output" =~ ^[0-9.]+[kM]?B\ /\ 67.11MB\|[0-9]+$ ]]
	[ "${output#*|}" -ge 2 ]

	run pm pause "$NAME"
	[ "$status" -eq 0 ]
	[ "$(pm_field "$NAME" '{{.State.Status}}')" = paused ]
	grep -qx "frozen 1" "/sys/fs/cgroup/machine.slice/$unit/cgroup.events"
	run pm unpause "$NAME"
	[ "$status" -eq 0 ]
	grep -qx "frozen 0" "/sys/fs/cgroup/machine.slice/$unit/cgroup.events"

	# (podman 4.3's update takes the memory and CPU settings only)
	run pm update --memory 96m --cpus 0.25 "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(unit_prop "$unit" MemoryMax)" = 100663296 ]
	[ "$(unit_prop "$unit" CPUQuotaPerSecUSec)" = 250ms ]
	[ "$(cat "/sys/fs/cgroup/machine.slice/$unit/memory.max")" = 100663296 ]

	run pm stop -t 5 "$NAME"
	[ "$status" -eq 0 ]
	run pm rm "$NAME"
	[ "$status" -eq 0 ]
	retry 5 unit_gone "$unit"
	[ ! -e "/run/$RUNTIME_NAME/$id" ]
}

@test "podman rootless (the user's systemd): run --rm with limits; the scope is the user's" {
	run upm run --rm "${PM_OPTS[@]}" --memory 64m --pids-limit 42 "$PODMAN_IMAGE" sh -c 'cat /proc/self/cgroup; id -u'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "0::/" ]
	[ "${lines[1]}" = 0 ]
}

@test "podman rootless: limits on the user's scope; exec, stats, pause, update, stop, rm; nothing left" {
	run upm run -d --name "$NAME" "${PM_OPTS[@]}" "${LIMITS[@]}" "$PODMAN_IMAGE" /waiter
	echo "$output"
	[ "$status" -eq 0 ]
	local id=$output unit="libpod-$output.scope" cg
	retry 10 upm_logs_have "$NAME" up
	cg=$(unit_prop --user "$unit" ControlGroup)
	echo "cgroup: $cg"
	[[ "$cg" == "/user.slice/user-$USER_UID.slice/user@$USER_UID.service/"*"/$unit" ]]
	run scope_limits --user "$unit"
	echo "$output"
	[ "$output" = "67108864 42 500ms" ]
	[ "$(cat "/sys/fs/cgroup$cg/memory.max")" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup$cg/pids.max")" = 42 ]
	# The state directory is the user's.
	[ -d "/run/user/$USER_UID/$RUNTIME_NAME/$id" ]

	run upm exec "$NAME" sh -c 'cat /proc/self/cgroup; id -u'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "0::/" ]
	run upm stats --no-stream --format '{{.MemUsage}}' "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9.]+[kM]?B\ /\ 67.11MB$ ]]
	run upm pause "$NAME"
	[ "$status" -eq 0 ]
	grep -qx "frozen 1" "/sys/fs/cgroup$cg/cgroup.events"
	run upm unpause "$NAME"
	[ "$status" -eq 0 ]
	run upm update --memory 96m "$NAME"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(unit_prop --user "$unit" MemoryMax)" = 100663296 ]
	run upm stop -t 5 "$NAME"
	[ "$status" -eq 0 ]
	run upm rm "$NAME"
	[ "$status" -eq 0 ]
	retry 5 unit_gone --user "$unit"
	[ ! -e "/run/user/$USER_UID/$RUNTIME_NAME/$id" ]
}

@test "ctr run --runc-systemd-cgroup --rm: a scope in system.slice" {
	# ctr's default spec has no cgroup namespace: the scope shows as it is.
	run ctr_ run --rm "${CTR_OPTS[@]}" --runc-systemd-cgroup --cgroup "system.slice:ctr:$CID" --memory-limit 67108864 \
		"$CTR_IMAGE" "$CID" sh -c 'cat /proc/self/cgroup'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "0::/system.slice/ctr-$CID.scope" ]
	retry 5 unit_gone "ctr-$CID.scope"
}

@test "ctr run -d --runc-systemd-cgroup: exec, metrics, pause, resume, kill, rm; nothing left" {
	local unit="ctr-$CID.scope"
	run ctr_ run -d "${CTR_OPTS[@]}" --runc-systemd-cgroup --cgroup "system.slice:ctr:$CID" --memory-limit 67108864 \
		--log-uri "file://$BATS_TEST_TMPDIR/$CID.log" "$CTR_IMAGE" "$CID" /waiter
	echo "$output"
	[ "$status" -eq 0 ]
	retry 10 grep -qx up "$BATS_TEST_TMPDIR/$CID.log"
	[ "$(unit_prop "$unit" ControlGroup)" = "/system.slice/$unit" ]
	[ "$(unit_prop "$unit" MemoryMax)" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup/system.slice/$unit/memory.max")" = 67108864 ]
	run ctr_ task exec --exec-id x1 "$CID" sh -c 'cat /proc/self/cgroup; exit 4'
	echo "$output"
	[ "$status" -eq 4 ]
	[ "$output" = "0::/system.slice/$unit" ]
	run ctr_ task metrics "$CID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *memory* ]]
	run ctr_ task pause "$CID"
	[ "$status" -eq 0 ]
	grep -qx "frozen 1" "/sys/fs/cgroup/system.slice/$unit/cgroup.events"
	run ctr_ task resume "$CID"
	[ "$status" -eq 0 ]
	run ctr_ task kill "$CID"
	[ "$status" -eq 0 ]
	retry 10 grep -qx got-term "$BATS_TEST_TMPDIR/$CID.log"
	retry 10 ctr_ task rm "$CID"
	run ctr_ containers rm "$CID"
	[ "$status" -eq 0 ]
	retry 5 unit_gone "$unit"
}
