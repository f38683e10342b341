#!/bin/bash
# Build the Debian 12 guest of the VM tests, or find it in the cache, and
# print the directory that holds it: disk.img (raw ext4, the root file
# system), vmlinuz and initrd.img (Debian's own kernel, from the image).
#
#   integration/vm/build-image.sh            # as root
#
# The image is cached in $RUNB_VM_CACHE (default /var/cache/runb-vm) under
# a key made of this script's content and the files in guest/: changing
# either builds a new image; otherwise nothing is rebuilt. Installs
# debootstrap and e2fsprogs when they are missing; needs a Debian mirror
# ($RUNB_VM_MIRROR, default deb.debian.org) and nothing else.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${RUNB_VM_CACHE:-/var/cache/runb-vm}
mirror=${RUNB_VM_MIRROR:-http://deb.debian.org/debian}
suite=bookworm

# What the tests need in the guest: the init system and the cgroup v2
# host it makes, the container engines and runtimes the suite compares
# against, the suite's own tools, and what rootless containers need.
packages=(
	linux-image-amd64 initramfs-tools kmod udev systemd systemd-sysv dbus
	libpam-systemd dbus-user-session procps util-linux
	runc crun conmon podman netavark iptables catatonit containerd
	busybox-static bats jq uidmap slirp4netns fuse-overlayfs sudo
)

[ "$(id -u)" -eq 0 ] || {
	echo "build-image.sh: needs root (debootstrap, chroot)" >&2
	exit 2
}

key=$(cat "$here/build-image.sh" "$here"/guest/* | sha256sum | cut -c1-16)
dest="$cache/$key"
if [ -e "$dest/done" ]; then
	echo "$dest"
	exit 0
fi

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v mke2fs >/dev/null || need+=(e2fsprogs)
if [ ${#need[@]} -gt 0 ]; then
	echo "# installing ${need[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

mkdir -p "$cache"
# The lock is fd 9; commands that may outlive a killed build do not inherit it.
exec 9>"$cache/lock"
flock 9
# Another build may have finished while this one waited for the lock.
if [ -e "$dest/done" ]; then
	echo "$dest"
	exit 0
fi

work=$(mktemp -d "$cache/build.XXXXXX")
root="$work/root"
cleanup() {
	local m
	for m in proc sys dev; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

start=$SECONDS
echo "# debootstrap $suite from $mirror into $root" >&2
debootstrap --variant=minbase --include="$(
	IFS=,
	echo "${packages[*]}"
)" "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 9>&- || {
	tail -n 30 "$work/debootstrap.log" >&2
	exit 1
}

# --- configuration ----------------------------------------------------------

echo runb-vm >"$root/etc/hostname"
echo "127.0.1.1 runb-vm" >>"$root/etc/hosts"
cat >"$root/etc/fstab" <<-'FSTAB'
	/dev/vda / ext4 rw,errors=remount-ro 0 0
FSTAB
# The job's share: 9p over virtio, from the image's modules at boot (and
# in the initramfs, so that either way works).
printf '%s\n' 9p 9pnet 9pnet_virtio >"$root/etc/modules-load.d/9p.conf"
printf '%s\n' virtio_pci virtio_blk 9p 9pnet 9pnet_virtio >>"$root/etc/initramfs-tools/modules"

# An unprivileged user with subordinate ids, for rootless containers.
chroot "$root" useradd --create-home --shell /bin/bash --uid 1000 --user-group runb-user
echo "runb-user:100000:65536" >"$root/etc/subuid"
echo "runb-user:100000:65536" >"$root/etc/subgid"
passwd -R "$root" -d root >/dev/null

# Nothing on a timer and no login prompt: the guest lives for one job.
for u in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
	fstrim.timer man-db.timer systemd-tmpfiles-clean.timer serial-getty@ttyS0.service; do
	ln -sf /dev/null "$root/etc/systemd/system/$u"
done

# The job: a service that mounts the share, runs it and powers off.
install -m 0755 "$here/guest/runb-vm-job" "$root/usr/local/sbin/runb-vm-job"
install -m 0644 "$here/guest/runb-vm-job.service" "$root/etc/systemd/system/runb-vm-job.service"
ln -sf /etc/systemd/system/runb-vm-job.service "$root/etc/systemd/system/multi-user.target.wants/runb-vm-job.service"
chroot "$root" systemctl set-default multi-user.target >/dev/null 2>&1 ||
	ln -sf /lib/systemd/system/multi-user.target "$root/etc/systemd/system/default.target"

# The initramfs again, with the modules above.
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
chroot "$root" update-initramfs -u -k all >"$work/initramfs.log" 2>&1 9>&- || {
	tail -n 30 "$work/initramfs.log" >&2
	exit 1
}
umount "$root/proc" "$root/sys" "$root/dev"

# --- the image --------------------------------------------------------------

out="$work/out"
mkdir "$out"
cp "$(readlink -f "$root/vmlinuz")" "$out/vmlinuz"
cp "$(readlink -f "$root/initrd.img")" "$out/initrd.img"
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/*
# A sparse file; tests get the room that is left (podman images, bundles).
mke2fs -q -t ext4 -L runb-vm -d "$root" "$out/disk.img" 6G
date -u +%FT%TZ >"$out/done"

mv -T "$out" "$dest"
echo "# image built in $((SECONDS - start))s: $dest" >&2
# Older images are of no use once their script changed.
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name "build.*" -exec rm -rf --one-file-system {} +
echo "$dest"
