#!/usr/bin/env bats
# kill --all, delete --force and the clean-up after a failed create touch
# the container's own processes only: never a process that merely shares a
# cgroup with it, and never the cgroups above it.

load helpers
load cgroup-helpers

function setup() {
	requires root
	setup_bundle
	setup_victims
}

function teardown() {
	teardown_victims
}

function no_pid_namespace() {
	update_config '.linux.namespaces -= [{"type": "pid"}]'
}

@test "delete --force spares a process in the container's pre-existing cgroup" {
	make_cgroup "$CGROUPS_PATH"
	start_victim "$CGROUPS_PATH"
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"cgroup is not empty"* ]]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	alive "$VICTIM" || fail "delete --force killed a process that was not the container's"
	[ ! -e "$ROOT/$CID" ]
}

@test "delete --force without a pid namespace spares the cgroup's other processes" {
	skip_if_runc "runc 1.1 kills every process in the cgroup of a container without a pid namespace"
	no_pid_namespace
	writable_rootfs
	make_cgroup "$CGROUPS_PATH"
	start_victim "$CGROUPS_PATH"
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	# A process of the container's own, started by exec: it must go.
	runtime exec -d "$CID" sh -c 'echo $$ >/exec.pid; exec sleep 100'
	[ "$status" -eq 0 ]
	wait_for_file "$BUNDLE/rootfs/exec.pid"
	local exec_pid
	exec_pid=$(cat "$BUNDLE/rootfs/exec.pid")
	runtime kill --all "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_pid_gone "$exec_pid"
	alive "$VICTIM" || fail "kill --all killed a process that was not the container's"
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	alive "$VICTIM" || fail "delete --force killed a process that was not the container's"
}

@test "a failed create spares a process in the container's pre-existing cgroup" {
	make_cgroup "$CGROUPS_PATH"
	start_victim "$CGROUPS_PATH"
	set_args /no/such/program
	runtime run -d "$CID"
	[ "$status" -ne 0 ]
	alive "$VICTIM" || fail "the failed create killed a process that was not the container's"
	[ ! -e "$ROOT/$CID" ]
}

@test "a failed create without a pid namespace spares the cgroup's other processes" {
	skip_if_runc "runc 1.1 kills every process in the cgroup of a failed container without a pid namespace"
	no_pid_namespace
	make_cgroup "$CGROUPS_PATH"
	start_victim "$CGROUPS_PATH"
	set_args /no/such/program
	runtime run -d "$CID"
	[ "$status" -ne 0 ]
	alive "$VICTIM" || fail "the failed create killed a process that was not the container's"
}

@test "delete --force and a failed create spare a process in a shared parent cgroup" {
	local parent="$CGROUPS_PATH"
	make_cgroup "$parent"
	start_victim "$parent"
	new_cgroups_path
	update_config '.linux.cgroupsPath = $p' --arg p "$parent/ctr"
	CGROUPS_PATHS+=("$parent/ctr")
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	alive "$VICTIM" || fail "delete --force killed a process in the parent cgroup"
	# The parent was there before: it stays; the container's own cgroup goes.
	local h
	for h in $(hierarchies); do
		[ -d "$h$parent" ] || fail "$h$parent was removed"
		[ ! -e "$h$parent/ctr" ] || fail "$h$parent/ctr was left behind"
	done

	set_args /no/such/program
	runtime run -d "$(new_id)"
	[ "$status" -ne 0 ]
	alive "$VICTIM" || fail "a failed create killed a process in the parent cgroup"
}

@test "kill --all spares a process in the container's pre-existing cgroup" {
	skip_if_runc "runc 1.1 signals every process in the container's cgroup"
	make_cgroup "$CGROUPS_PATH"
	start_victim "$CGROUPS_PATH"
	set_args sleep 100
	runtime run -d "$CID"
	[ "$status" -eq 0 ]
	runtime kill --all "$CID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped
	alive "$VICTIM" || fail "kill --all killed a process that was not the container's"
}

# in_decoy PATH CMD...: run CMD in a cgroup namespace rooted at the test's
# cgroup PATH, with the cgroup file systems mounted anew in a mount namespace
# of its own, so that the root cgroup CMD sees is PATH. A runtime that took
# "/" for a container's cgroup reaches no further than that.
function in_decoy() {
	local path=$1 h
	shift
	local dirs=()
	for h in $(hierarchies); do dirs+=("$h$path"); done
	# shellcheck disable=SC2016 # expanded by the inner shells
	bash -c '
		n=$1; shift
		for d in "${@:1:$n}"; do echo $$ >"$d/cgroup.procs" || exit 99; done
		shift "$n"
		exec unshare -C -m --propagation private bash -c "
			set -e
			mounts=\$(awk '\''{ for (i = 7; \$i != \"-\"; i++); if (\$(i+1) ~ /^cgroup2?\$/ && index(\$5, \"/sys/fs/cgroup\") == 1) print \$5, \$(i+1), \$(i+3) }'\'' /proc/self/mountinfo)
			mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup
			while read -r dir type opts; do
				mkdir -p \"\$dir\"
				if [ \"\$type\" = cgroup2 ]; then mount -t cgroup2 none \"\$dir\"
				else mount -t cgroup -o \"\${opts#rw,}\" cgroup \"\$dir\"; fi
			done <<<\"\$mounts\"
			exec \"\$@\"" _ "$@"
	' _ "${#dirs[@]}" "${dirs[@]}" "$@"
}

@test "cgroupsPath / is refused" {
	skip_if_runc "runc 1.1 accepts the root cgroup, and delete then reaches every process"
	# Everything runs in a decoy cgroup namespace: should the runtime take
	# "/" after all, what its clean-up kills is the test's own cgroup.
	make_cgroup "$CGROUPS_PATH/decoy"
	update_config '.linux.cgroupsPath = "/"'
	set_args true
	local out="$TEST_DIR/out.decoy" rc=0
	in_decoy "$CGROUPS_PATH/decoy" "$RUNTIME_BIN" --root "$ROOT" run -d "$CID" >"$out" 2>&1 </dev/null 3>&- || rc=$?
	cat "$out" >>"$RUNTIME_LOG"
	if [ "$rc" -eq 0 ]; then
		in_decoy "$CGROUPS_PATH/decoy" "$RUNTIME_BIN" --root "$ROOT" delete --force "$CID" </dev/null 3>&- || true
		fail "cgroupsPath / was accepted"
	fi
	[ "$rc" -ne 99 ] || fail "cannot move a shell into the decoy cgroup"
	grep -q 'invalid cgroups path /: .* is the root of its hierarchy' "$out"
	[ ! -e "$ROOT/$CID" ]
}

@test "a cgroupsPath holding the runtime's own cgroup is refused" {
	skip_if_runc "runc 1.1 accepts it, and delete then reaches the runtime itself"
	local parent="$CGROUPS_PATH" h dirs=() out="$TEST_DIR/out.own" rc=0
	make_cgroup "$parent/runtime"
	update_config '.linux.cgroupsPath = $p' --arg p "$parent"
	set_args true
	for h in $(hierarchies); do dirs+=("$h$parent/runtime"); done
	# The runtime runs in $parent/runtime: the container's cgroup would hold it.
	# shellcheck disable=SC2016 # expanded by the inner shell
	bash -c 'for d in "${@:4}"; do echo $$ >"$d/cgroup.procs" || exit 99; done; exec "$1" --root "$2" run -d "$3"' \
		_ "$RUNTIME_BIN" "$ROOT" "$CID" "${dirs[@]}" >"$out" 2>&1 </dev/null 3>&- || rc=$?
	cat "$out" >>"$RUNTIME_LOG"
	[ "$rc" -ne 0 ] && [ "$rc" -ne 99 ]
	grep -q "holds the runtime's own cgroup" "$out"
	[ ! -e "$ROOT/$CID" ]
}
