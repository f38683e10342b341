#!/bin/bash
# Build a minimal OCI bundle for the integration tests:
#
#   DIR/rootfs       busybox-static plus one symlink per applet (the layout
#                    "busybox --install -s" would give), /etc/passwd and
#                    /etc/group with root and nobody, and the usual empty
#                    mount points (proc sys dev tmp etc).
#   DIR/config.json  testdata/config.json, i.e. "runc spec" defaults with
#                    terminal off and args ["sh"].
#
# Usage: make-bundle.sh DIR
# BUSYBOX may point at another static busybox binary (default /bin/busybox).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$1
busybox=${BUSYBOX:-/bin/busybox}
template="$here/testdata/config.json"

if [ ! -x "$busybox" ]; then
	echo "$0: $busybox not found (apt-get install busybox-static)" >&2
	exit 1
fi
if ! command -v jq >/dev/null; then
	echo "$0: jq not found (apt-get install jq)" >&2
	exit 1
fi

rootfs="$dir/rootfs"
mkdir -p "$rootfs"
cd "$rootfs"

mkdir -p bin sbin usr/bin usr/sbin proc sys dev etc tmp root home
chmod 1777 tmp
chmod 0700 root
cp "$busybox" bin/busybox
chmod 0755 bin/busybox

# One symlink per applet, at the path "busybox --install -s" would use.
# Only ln forks; everything else stays in this shell.
mapfile -t applets < <("$busybox" --list-full)
for applet in "${applets[@]}"; do
	case $applet in
	bin/busybox | "") continue ;;
	*/*) [ -d "${applet%/*}" ] || mkdir -p "${applet%/*}" ;;
	esac
	[ -e "$applet" ] || [ -L "$applet" ] || ln -s /bin/busybox "$applet"
done

cat >etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >etc/group <<'GROUP'
root:x:0:
nobody:x:65534:
GROUP

cd - >/dev/null
jq '.root.path = "rootfs"' "$template" >"$dir/config.json"
