#!/usr/bin/env bats
# OCI lifecycle hooks: when each phase runs, what it reads on stdin, and
# what a failing or slow hook does to the operation.
#
# One place where runc 1.1 departs from the spec is checked apart: it runs
# the poststart hooks at the end of create (before start); the spec (and
# runc 1.2) run them in start, once the program was released.

load helpers

function setup() {
	requires root
	setup_bundle
	HOOK_DIR="$TEST_DIR/hooklog"
	mkdir -p "$HOOK_DIR" "$BUNDLE/rootfs/hooklog"
}

# A hook appends "PHASE TIMESTAMP STATUS" to DIR/log (STATUS taken from
# the state on its stdin) and keeps that state in DIR/PHASE.json. It is an
# inline sh script so that it also runs inside the container, where
# startContainer hooks are looked up and run.
RECORD='d=$1; p=$2; s=$(cat); printf "%s\n" "$s" >"$d/$p.json"
echo "$p $(date +%s) $(printf "%s" "$s" | sed -n "s/.*\"status\":\"\([a-z]*\)\".*/\1/p")" >>"$d/log"'

# record_hook DIR PHASE: the JSON of a recording hook.
function record_hook() {
	jq -n --arg s "$RECORD" --arg d "$1" --arg p "$2" '{path: "/bin/sh", args: ["sh", "-c", $s, "record", $d, $p]}'
}

# add_recording_hooks: one recording hook in every phase. The startContainer
# hook runs in the container, so the log directory is bind-mounted there.
function add_recording_hooks() {
	local p hooks='{}'
	for p in prestart createRuntime createContainer poststart poststop; do
		hooks=$(jq --arg p "$p" --argjson h "$(record_hook "$HOOK_DIR" "$p")" '.[$p] = [$h]' <<<"$hooks")
	done
	hooks=$(jq --argjson h "$(record_hook /hooklog startContainer)" '.startContainer = [$h]' <<<"$hooks")
	update_config '.hooks = $h | .mounts += [{destination: "/hooklog", type: "bind", source: $d, options: ["rbind"]}]' \
		--argjson h "$hooks" --arg d "$HOOK_DIR"
}

# logged: the phases recorded so far, in order, on one line.
function logged() {
	[ -e "$HOOK_DIR/log" ] || return 0
	awk '{ print $1 }' "$HOOK_DIR/log" | paste -sd' '
}

# line_of PHASE: the line of the log where PHASE ran; fails unless exactly once.
function line_of() {
	local n
	n=$(awk -v p="$1" '$1 == p { print NR }' "$HOOK_DIR/log")
	[ -n "$n" ] && [ "$(wc -l <<<"$n")" -eq 1 ] || fail "phase $1 ran ${n:-no} times: $(logged)"
	echo "$n"
}

# before A B: phase A ran before phase B.
function before() {
	local a b
	a=$(line_of "$1") && b=$(line_of "$2") || return 1
	[ "$a" -lt "$b" ] || fail "$1 ran after $2: $(logged)"
}

# status_of PHASE: the status the phase's hook read on stdin.
function status_of() {
	awk -v p="$1" '$1 == p { print $3 }' "$HOOK_DIR/log"
}

@test "hooks: every phase runs once, in order, with the status of its moment" {
	add_recording_hooks
	set_args true

	runtime run "$CID"
	[ "$status" -eq 0 ]

	before prestart createRuntime
	before createRuntime createContainer
	before createContainer startContainer
	before createContainer poststart
	before startContainer poststop
	before poststart poststop

	[ "$(status_of prestart)" = creating ]
	[ "$(status_of createRuntime)" = creating ]
	[ "$(status_of createContainer)" = creating ]
	[ "$(status_of startContainer)" = created ]
	[ "$(status_of poststop)" = stopped ]
}

@test "hooks: poststart runs in start, after startContainer, with the status running" {
	skip_if_runc "runc 1.1.5 runs poststart at the end of create, with the status created"
	add_recording_hooks
	set_args sleep 100

	runtime create --pid-file "$TEST_DIR/pid" "$CID"
	[ "$status" -eq 0 ]
	[ "$(logged)" = "prestart createRuntime createContainer" ]

	runtime start "$CID"
	[ "$status" -eq 0 ]
	[ "$(logged)" = "prestart createRuntime createContainer startContainer poststart" ]
	[ "$(status_of poststart)" = running ]
	[ "$(jq -r .pid "$HOOK_DIR/poststart.json")" = "$(cat "$TEST_DIR/pid")" ]
	[ "$(jq -r .id "$HOOK_DIR/poststart.json")" = "$CID" ]

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "hooks: run runs poststart after the program was released" {
	skip_if_runc "runc 1.1.5 runs poststart at the end of create"
	add_recording_hooks
	set_args true

	runtime run "$CID"
	[ "$status" -eq 0 ]
	[ "$(logged)" = "prestart createRuntime createContainer startContainer poststart poststop" ]
	[ "$(status_of poststart)" = running ]
}

@test "hooks: create, start and delete each run their own phases" {
	add_recording_hooks
	# poststart is where runc 1.1 and the spec differ: checked on its own.
	update_config 'del(.hooks.poststart)'
	set_args true

	runtime create "$CID"
	[ "$status" -eq 0 ]
	[ "$(logged)" = "prestart createRuntime createContainer" ]

	runtime start "$CID"
	[ "$status" -eq 0 ]
	wait_for_status "$CID" stopped
	[ "$(logged)" = "prestart createRuntime createContainer startContainer" ]

	runtime delete "$CID"
	[ "$status" -eq 0 ]
	[ "$(logged)" = "prestart createRuntime createContainer startContainer poststop" ]
	check_no_leftovers
}

@test "hooks: the state on stdin names the container and its pid" {
	add_recording_hooks
	update_config '.annotations = {"org.example.hooks": "yes"}'
	set_args sleep 100

	runtime create --pid-file "$TEST_DIR/pid" "$CID"
	[ "$status" -eq 0 ]
	local pid p
	pid=$(cat "$TEST_DIR/pid")

	for p in prestart createRuntime createContainer; do
		[ "$(jq -r .id "$HOOK_DIR/$p.json")" = "$CID" ]
		[ "$(jq -r .bundle "$HOOK_DIR/$p.json")" = "$BUNDLE" ]
		[[ "$(jq -r .ociVersion "$HOOK_DIR/$p.json")" =~ ^1\.[0-9]+\. ]]
		[ "$(jq -r '.annotations["org.example.hooks"]' "$HOOK_DIR/$p.json")" = yes ]
	done
	# Runtime-namespace hooks get the host's pid of the container process;
	# createContainer runs inside, and gets the pid the process has there.
	[ "$(jq -r .pid "$HOOK_DIR/prestart.json")" = "$pid" ]
	[ "$(jq -r .pid "$HOOK_DIR/createRuntime.json")" = "$pid" ]
	[ "$(jq -r .pid "$HOOK_DIR/createContainer.json")" = 1 ]

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status "$HOOK_DIR/poststop.json")" = stopped ]
	[ "$(jq -r .id "$HOOK_DIR/poststop.json")" = "$CID" ]
	# No process any more: no pid at all, as with runc.
	[ "$(jq -r 'has("pid")' "$HOOK_DIR/poststop.json")" = false ]
}

@test "hooks: a hook gets exactly its args and env, and the runtime's env without one" {
	local out="$HOOK_DIR"
	update_config '.hooks.createRuntime = [
		{path: "/bin/sh", args: ["my-argv0", "-c", "tr \"\\0\" \"\\n\" </proc/$$/cmdline >\($d)/args; env >\($d)/env", "x", "two words"], env: ["HOOK_A=1", "HOOK_B=two words"]},
		{path: "/bin/sh", args: ["sh", "-c", "env >\($d)/inherited"]}
	]' --arg d "$out"

	runtime create "$CID"
	[ "$status" -eq 0 ]

	# The whole argv as the kernel has it: args[0] included.
	[ "$(sed -n 1p "$out/args")" = my-argv0 ]
	[ "$(sed -n 2p "$out/args")" = -c ]
	[ "$(sed -n 4p "$out/args")" = x ]
	[ "$(sed -n 5p "$out/args")" = "two words" ]
	[ "$(wc -l <"$out/args")" -eq 5 ]
	# sh adds PWD of its own.
	[ "$(grep -v '^PWD=' "$out/env" | sort | paste -sd,)" = "HOOK_A=1,HOOK_B=two words" ]
	grep -q '^PATH=' "$out/inherited"
}

@test "hooks: a failing createRuntime hook fails create and leaves nothing behind" {
	update_config '.hooks = {
		createRuntime: [{path: "/bin/sh", args: ["sh", "-c", "echo to-out; echo to-err >&2; exit 1"]}],
		poststop: [$h]
	}' --argjson h "$(record_hook "$HOOK_DIR" poststop)"

	runtime create "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running hook #0: error running hook: exit status 1, stdout: to-out"* ]]
	[[ "$output" == *"stderr: to-err"* ]]
	check_no_leftovers
	# The teardown of a failed create runs the poststop hooks.
	[ "$(logged)" = poststop ]
	[ "$(status_of poststop)" = stopped ]
}

@test "hooks: the first failing hook stops its phase" {
	update_config '.hooks.createRuntime = [
		{path: "/bin/true"},
		{path: "/bin/false"},
		{path: "/bin/sh", args: ["sh", "-c", "touch \($d)/third"]}
	]' --arg d "$HOOK_DIR"

	runtime create "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running hook #1: error running hook: exit status 1"* ]]
	[ ! -e "$HOOK_DIR/third" ]
	check_no_leftovers
}

@test "hooks: a hook past its timeout is killed and fails create" {
	update_config '.hooks.createRuntime = [{path: "/bin/sleep", args: ["sleep", "20"], timeout: 1}]'

	local started=$SECONDS
	runtime create "$CID"
	[ "$status" -ne 0 ]
	[ $((SECONDS - started)) -lt 10 ]
	[[ "$output" == *"error running hook #0: hook ran past specified timeout of 1.0s"* ]]
	check_no_leftovers
}

@test "hooks: a hook that cannot be executed fails create" {
	update_config '.hooks.prestart = [{path: "/nonexistent/hook"}]'

	runtime create "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running hook #0: fork/exec /nonexistent/hook: no such file or directory"* ]]
	check_no_leftovers
}

@test "hooks: a failing createContainer hook fails create and leaves nothing behind" {
	update_config '.hooks.createContainer = [{path: "/bin/sh", args: ["sh", "-c", "exit 4"]}]'

	runtime create "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running hook #0: error running hook: exit status 4"* ]]
	check_no_leftovers
}

@test "hooks: a failing poststart hook fails start and stops the container" {
	skip_if_runc "runc 1.1.5 runs poststart in create, and fails create"
	set_args sleep 100
	update_config '.hooks.poststart = [{path: "/bin/sh", args: ["sh", "-c", "exit 2"]}]'

	runtime create "$CID"
	[ "$status" -eq 0 ]
	runtime start "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running hook #0: error running hook: exit status 2"* ]]
	wait_for_status "$CID" stopped

	runtime delete "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "hooks: a failing poststart hook fails run and leaves nothing behind" {
	skip_if_runc "runc 1.1.5 runs poststart in create"
	set_args sleep 100
	update_config '.hooks.poststart = [{path: "/bin/sh", args: ["sh", "-c", "exit 2"]}]'

	runtime run -d "$CID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running hook #0: error running hook: exit status 2"* ]]
	check_no_leftovers
}

@test "hooks: a failing startContainer hook keeps the program from running" {
	writable_rootfs
	set_args sh -c 'touch /ran'
	update_config '.hooks.startContainer = [{path: "/bin/sh", args: ["sh", "-c", "exit 3"]}]'

	runtime create "$CID"
	[ "$status" -eq 0 ]
	# runc's start succeeds and the container's init then fails; a runtime
	# that reports the failure from start is just as right.
	runtime start "$CID"
	wait_for_status "$CID" stopped
	[ ! -e "$BUNDLE/rootfs/ran" ]

	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	check_no_leftovers
}

@test "hooks: a failing poststop hook does not fail delete" {
	set_args true
	update_config '.hooks.poststop = [{path: "/bin/sh", args: ["sh", "-c", "echo bad; exit 5"]}]'

	runtime run "$CID"
	[ "$status" -eq 0 ]
	runtime list -q
	[ -z "$output" ]

	new_cgroups_path
	runtime create "$CID"
	[ "$status" -eq 0 ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[[ "$output" == *"error running hook #0: error running hook: exit status 5, stdout: bad"* ]]
	check_no_leftovers
}

@test "hooks: after a failing poststop hook the next ones still run" {
	skip_if_runc "runc stops at the first failing poststop hook (the spec says to go on)"
	update_config '.hooks.poststop = [
		{path: "/bin/false"},
		{path: "/bin/sh", args: ["sh", "-c", "touch \($d)/second"]}
	]' --arg d "$HOOK_DIR"

	runtime create "$CID"
	[ "$status" -eq 0 ]
	runtime delete --force "$CID"
	[ "$status" -eq 0 ]
	[ -e "$HOOK_DIR/second" ]
	check_no_leftovers
}

@test "hooks: createContainer runs in the container's namespaces" {
	cat >"$TEST_DIR/ns-hook.sh" <<SH
#!/bin/sh
for n in net uts ipc mnt pid; do readlink /proc/self/ns/\$n; done >"$TEST_DIR/hook-ns"
SH
	chmod +x "$TEST_DIR/ns-hook.sh"
	update_config '.hooks.createContainer = [{path: $p}]' --arg p "$TEST_DIR/ns-hook.sh"
	set_args sh -c 'for n in net uts ipc mnt pid; do readlink /proc/self/ns/$n; done'
	runtime_split run "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	[ "$output" = "$(cat "$TEST_DIR/hook-ns")" ] || fail "container: $output; hook: $(cat "$TEST_DIR/hook-ns")"
}

@test "hooks: startContainer runs inside as the container's process, with its own argv and env" {
	writable_rootfs
	mkdir -p "$BUNDLE/rootfs/tmp"
	chmod 1777 "$BUNDLE/rootfs/tmp"
	# shellcheck disable=SC2016 # for the hook's shell
	update_config '.process.user = {uid: 1000, gid: 1000} | .process.cwd = "/tmp"
		| .hooks.startContainer = [{path: "/bin/busybox", env: ["HOOKVAR=from-hook"],
			args: ["sh", "-c", "echo \"$0 $(id -u) $HOOKVAR $(pwd)\" >/tmp/hook-out", "hook-arg"]}]'
	set_args true
	runtime run "$CID"
	[ "$status" -eq 0 ]
	# busybox picks its applet by argv[0]: "sh" must reach it.
	[ "$(cat "$BUNDLE/rootfs/tmp/hook-out")" = "hook-arg 1000 from-hook /tmp" ]
}
