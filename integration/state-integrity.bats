#!/usr/bin/env bats
# The state directory is input too: a damaged, planted or half-written state
# must neither hide a running container nor turn a command against anything
# that is not the container's.

load helpers
load cgroup-helpers

function setup() {
	requires root
	setup_bundle
	setup_victims
}

function teardown() {
	[ -z "${BIND:-}" ] || umount "$BIND" 2>/dev/null || true
	teardown_victims
}

# run_sleeper ID: a detached container running sleep; its host pid in $PID.
function run_sleeper() {
	new_cgroups_path
	set_args sleep 100
	runtime run -d "$1"
	[ "$status" -eq 0 ]
	PID=$(state_field "$1" pid)
	[ "$PID" -gt 0 ]
}

# sleeper_beside_decoy: run_sleeper $CID without a pid namespace (so that
# delete sweeps its cgroup), and a victim process in a cgroup of the
# test's beside it: the container's cgroup path in $OWN, the decoy's in
# $DECOY, the victim's pid in $VICTIM.
function sleeper_beside_decoy() {
	update_config '.linux.namespaces -= [{"type": "pid"}]'
	run_sleeper "$CID"
	OWN="$CGROUPS_PATH"
	DECOY="$OWN-decoy"
	make_cgroup "$DECOY"
	start_victim "$DECOY"
}

# remove_own_cgroups PATH: the container's own cgroups, which delete left
# alone because its record named something else; the test removes them.
function remove_own_cgroups() {
	local h
	for h in $(hierarchies); do
		[ ! -d "$h$1" ] || rmdir "$h$1"
	done
}

# forge_cgroup_record ROOT PATH CREATED...: $CID's cgroup record made to
# name PATH (under the key of the hierarchy that lists its processes) with
# root ROOT, and its cgroupsPath made "mine", so that the record's names
# fit when PATH ends in /mine; in state.json (config included) and
# init.json alike.
function forge_cgroup_record() {
	local root=$1 path=$2
	shift 2
	local key=freezer mode
	if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
		key="" mode=v2
	else
		mode=$(jq -r .cgroup.mode "$ROOT/$CID/init.json")
	fi
	local record
	record=$(jq -n -c --arg m "$mode" --arg r "$root" --arg k "$key" --arg p "$path" \
		'{mode: $m, root: $r, paths: {($k): $p}, created: $ARGS.positional}' --args "$@")
	jq --argjson c "$record" '.cgroup = $c | .configJson |= (fromjson | .linux.cgroupsPath = "mine" | tojson)' \
		"$ROOT/$CID/state.json" >"$TEST_DIR/state.json" && mv "$TEST_DIR/state.json" "$ROOT/$CID/state.json"
	jq --argjson c "$record" '.cgroup = $c | .cgroupsPath = "mine"' \
		"$ROOT/$CID/init.json" >"$TEST_DIR/init.json" && mv "$TEST_DIR/init.json" "$ROOT/$CID/init.json"
}

@test "a state file that is a symbolic link to another container's is refused" {
	local other
	other=$(new_id)
	run_sleeper "$CID"
	local pid=$PID
	run_sleeper "$other"
	local other_pid=$PID
	mv "$ROOT/$CID/state.json" "$TEST_DIR/state.json.saved"
	ln -s "$ROOT/$other/state.json" "$ROOT/$CID/state.json"

	runtime kill "$CID" KILL
	[ "$status" -ne 0 ]
	runtime kill --all "$CID" KILL
	[ "$status" -ne 0 ]
	sleep 0.2
	[ "$(state_field "$other" status)" = running ]
	alive "$other_pid" || fail "the other container's init was killed"
	alive "$pid"

	if ! is_runc; then
		# The record delete --force falls back on is checked the same way.
		rm "$ROOT/$CID/state.json"
		cp "$TEST_DIR/state.json.saved" "$ROOT/$CID/state.json"
		mv "$ROOT/$CID/init.json" "$TEST_DIR/init.json.saved"
		ln -s "$ROOT/$other/init.json" "$ROOT/$CID/init.json"
		runtime kill "$CID" KILL
		[ "$status" -ne 0 ]
		[[ "$output" == *"init.json is a symbolic link"* ]]
		# delete --force falls back on state.json, which is sound again.
		runtime delete --force "$CID"
		[ "$status" -eq 0 ]
		wait_for_pid_gone "$pid"
		[ "$(state_field "$other" status)" = running ]
		alive "$other_pid" || fail "delete --force killed the other container's init"
		return
	fi
	rm "$ROOT/$CID/state.json"
	mv "$TEST_DIR/state.json.saved" "$ROOT/$CID/state.json"
}

@test "a running container with a damaged state.json is listed and removed by delete --force" {
	skip_if_runc "runc 1.1 cannot load such a container: list omits it and delete --force leaves its init running"
	local kind id damage
	for kind in truncated garbage zeros null empty; do
		id=$(new_id)
		run_sleeper "$id"
		local file="$ROOT/$id/state.json"
		case $kind in
		truncated) damage=$(head -c 100 "$file") && printf '%s' "$damage" >"$file" ;;
		garbage) echo 'this is not JSON' >"$file" ;;
		zeros) head -c 4096 /dev/zero >"$file" ;;
		null) echo null >"$file" ;;
		empty) : >"$file" ;;
		esac

		runtime state "$id"
		[ "$status" -ne 0 ]
		[[ "$output" == *"$file"* ]] || fail "$kind: the message does not name $file"
		[[ "$output" != *"JSON Parse error"* && "$output" != *"is not an object"* ]]

		runtime_split list
		[ "$status" -eq 0 ]
		grep -E "^$id +$PID +unknown" <<<"$output" || fail "$kind: list does not show the container"
		[[ "$stderr" == *"$id"* ]]

		runtime delete --force "$id"
		[ "$status" -eq 0 ]
		wait_for_pid_gone "$PID"
		[ ! -e "$ROOT/$id" ] || fail "$kind: the state directory is still there"
	done
}

@test "a config edited in state.json is checked against the schema again" {
	skip_if_runc "runc 1.1 does not check the saved config"
	run_sleeper "$CID"
	local file="$ROOT/$CID/state.json"
	cp "$file" "$TEST_DIR/state.json.saved"

	jq '.configJson |= (fromjson | .ociVersion = 5 | tojson)' "$TEST_DIR/state.json.saved" >"$file"
	runtime state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$file: saved config.json: /ociVersion: must be string"* ]]
	runtime kill "$CID" KILL
	[ "$status" -ne 0 ]
	alive "$PID" || fail "kill went ahead on a config the schema refuses"

	jq '.configJson |= (fromjson | .hostname = "edited" | tojson)' "$TEST_DIR/state.json.saved" >"$file"
	runtime state "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"status": "running"'* ]]

	# What state prints of the config comes from its facts, which are
	# worked out again from the config once either has been edited.
	jq '.facts.annotations = {"forged": "yes"}' "$TEST_DIR/state.json.saved" >"$file"
	runtime state "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"status": "running"'* ]]
	[[ "$output" != *forged* ]] || fail "state printed annotations edited in state.json: $output"

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	wait_for_pid_gone "$PID"
}

@test "delete --force removes an empty state directory" {
	mkdir "$ROOT/$CID"
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$CID" ]
}

@test "an empty state directory does not block the id" {
	skip_if_runc "runc 1.1 says the container exists"
	mkdir "$ROOT/$CID"
	runtime state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	set_args true
	runtime create "$CID"
	[ "$status" -eq 0 ]
	[ "$(state_field "$CID" status)" = created ]
}

@test "create takes over what a create killed half-way left" {
	skip_if_runc "runc 1.1 says the container exists"
	cat >"$TEST_DIR/hold.sh" <<'SH'
#!/bin/sh
touch "$1"
sleep 30
SH
	chmod +x "$TEST_DIR/hold.sh"
	update_config '.hooks.createRuntime = [{path: $p, args: ["hold.sh", $m]}]' \
		--arg p "$TEST_DIR/hold.sh" --arg m "$TEST_DIR/holding"
	set_args sleep 100
	runtime_bg "$TEST_DIR/create.out" create "$CID"
	local runtime_pid=$!
	wait_for_file "$TEST_DIR/holding"
	local first_init
	first_init=$(jq -r .pid "$ROOT/$CID/init.json")
	[ "$first_init" -gt 0 ]
	pkill -KILL -f -- "--root $ROOT create $CID" || fail "runtime not found"
	wait "$runtime_pid" 2>/dev/null || true
	pkill -KILL -f -- "$TEST_DIR/hold.sh" || true

	runtime state "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"status": "stopped"'* ]]
	update_config 'del(.hooks)'
	runtime create "$CID"
	[ "$status" -eq 0 ]
	wait_for_pid_gone "$first_init"
	[ "$(state_field "$CID" status)" = created ]
}

@test "a tampered cgroup record does not turn delete against another cgroup" {
	skip_if_runc "runc 1.1 trusts the cgroup paths in its state"
	sleeper_beside_decoy
	local own="$OWN" decoy="$DECOY"
	local f
	for f in state.json init.json; do
		jq --arg a "$own" --arg b "$decoy" '.cgroup |= walk(if type == "string" then sub($a; $b) else . end)' \
			"$ROOT/$CID/$f" >"$TEST_DIR/$f" && mv "$TEST_DIR/$f" "$ROOT/$CID/$f"
	done
	grep -q -- "$decoy" "$ROOT/$CID/init.json"

	runtime state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cgroupsPath $own"* ]]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	wait_for_pid_gone "$PID"
	alive "$VICTIM" || fail "delete --force killed a process in another cgroup"
	local h
	for h in $(hierarchies); do
		[ -d "$h$decoy" ] || fail "delete --force removed $h$decoy"
	done
	remove_own_cgroups "$own"
}

@test "a cgroup record whose names fit but which names a mount of another cgroup is refused on the host" {
	skip_if_runc "runc 1.1 trusts the cgroup paths in its state"
	sleeper_beside_decoy
	local own="$OWN" decoy="$DECOY"
	# The decoy, in the hierarchy that lists the container's processes,
	# bind-mounted where a record can name it with a relative cgroupsPath
	# ("mine") and a root of its own: the names fit, only the host can
	# tell that the directory is the top of a mount.
	local hier=/sys/fs/cgroup/freezer
	[ ! -e /sys/fs/cgroup/cgroup.controllers ] || hier=/sys/fs/cgroup
	local fake="$TEST_DIR/fake"
	mkdir -p "$fake/h/mine"
	mount --bind "$hier$decoy" "$fake/h/mine"
	BIND="$fake/h/mine"
	forge_cgroup_record "$fake" "$BIND" "$BIND"

	runtime state "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$BIND is the root of its hierarchy"* ]]
	runtime kill --all "$CID" KILL
	[ "$status" -ne 0 ]
	alive "$VICTIM" || fail "kill --all killed a process in another cgroup"
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	wait_for_pid_gone "$PID"
	alive "$VICTIM" || fail "delete --force killed a process in another cgroup"
	[ -d "$hier$decoy" ] || fail "delete --force removed $hier$decoy"
	umount "$BIND" && BIND=
	remove_own_cgroups "$own"
}

@test "a cgroup record that says it made a directory outside the cgroup file systems does not get it removed" {
	skip_if_runc "runc 1.1 trusts the cgroup paths in its state"
	run_sleeper "$CID"
	local own="$CGROUPS_PATH"
	# An empty directory of someone else's, named as the parent the
	# container's cgroup was made in; the cgroup itself is not there.
	local fake="$TEST_DIR/fake"
	mkdir -p "$fake/h"
	forge_cgroup_record "$fake" "$fake/h/gone/mine" "$fake/h" "$fake/h/gone/mine"

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$fake/h is not in a cgroup hierarchy"* ]]
	[ -d "$fake/h" ] || fail "delete --force removed $fake/h"
	wait_for_pid_gone "$PID"
	remove_own_cgroups "$own"
}

@test "an exec.fifo that is a link to another container's does not start that container" {
	skip_if_runc "runc 1.1 opens the link and starts the other container"
	local other
	other=$(new_id)
	set_args sleep 100
	runtime create "$CID"
	[ "$status" -eq 0 ]
	new_cgroups_path
	runtime create "$other"
	[ "$status" -eq 0 ]
	rm "$ROOT/$CID/exec.fifo"
	ln -s "$ROOT/$other/exec.fifo" "$ROOT/$CID/exec.fifo"
	runtime start "$CID"
	[ "$status" -ne 0 ]
	[ "$(state_field "$other" status)" = created ]
}
