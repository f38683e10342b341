#!/bin/bash
# Cgroups and processes a test makes itself, as another program on the host
# would have: to check that the runtime leaves them alone. Load after
# helpers.bash; call setup_victims in setup and teardown_victims in teardown.

function setup_victims() {
	VICTIMS=()
	SHARED=()
}

# Kill the test's own processes (by pid), run the usual teardown, then
# remove the cgroups the test made, deepest first.
function teardown_victims() {
	local pid path h
	for pid in "${VICTIMS[@]}"; do
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	teardown_bundle
	for path in "${SHARED[@]}"; do
		for h in $(hierarchies); do
			[ -d "$h$path" ] && find "$h$path" -depth -type d -exec rmdir {} + 2>/dev/null
		done
	done
	return 0
}

# The directories the cgroup hierarchies are mounted on.
function hierarchies() {
	if [ -e /sys/fs/cgroup/cgroup.controllers ]; then
		echo /sys/fs/cgroup
		return
	fi
	local d
	for d in /sys/fs/cgroup/*/; do
		[ -e "$d/cgroup.procs" ] && echo "${d%/}"
	done
}

# make_cgroup PATH: a cgroup at PATH in every hierarchy, made by the test as
# another program would have made it before the container.
function make_cgroup() {
	local path=$1 h part cur
	SHARED+=("/${path#/}")
	for h in $(hierarchies); do
		cur=$h
		for part in ${path//\// }; do
			cur="$cur/$part"
			mkdir -p "$cur"
			# A new v1 cpuset has no cpus or mems until given its parent's
			# (on v2 an empty one means the parent's).
			if [ ! -e "$cur/cgroup.controllers" ] && [ -e "$cur/cpuset.cpus" ] && [ -z "$(cat "$cur/cpuset.cpus")" ]; then
				cat "$(dirname "$cur")/cpuset.cpus" >"$cur/cpuset.cpus"
				cat "$(dirname "$cur")/cpuset.mems" >"$cur/cpuset.mems"
			fi
		done
	done
}

# start_victim PATH: a process of the test's own, moved into the cgroup PATH
# in every hierarchy; its pid in $VICTIM.
function start_victim() {
	local path=$1 h
	sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
	VICTIM=$!
	VICTIMS+=("$VICTIM")
	for h in $(hierarchies); do
		echo "$VICTIM" >"$h$path/cgroup.procs"
	done
}

function alive() {
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

