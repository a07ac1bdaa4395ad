#!/usr/bin/env bash
# The one command that builds the Debian package: ./packaging/build-deb.sh
# Leaves dist/ruroco_<version>_<arch>.deb and checks it with lintian (no errors allowed).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-build-deps.sh

# dpkg-buildpackage wants debian/ at the top; the tree keeps it under packaging/.
[ -e debian ] && { echo "build-deb.sh: ./debian exists; remove it first" >&2; exit 2; }
cp -r packaging/debian debian
trap 'rm -rf debian obj-* debian/.debhelper' EXIT
dpkg-buildpackage -b -us -uc >/tmp/ruroco-deb-build.log 2>&1 || { tail -40 /tmp/ruroco-deb-build.log; exit 1; }

version=$(dpkg-parsechangelog -l debian/changelog -S Version)
arch=$(dpkg --print-architecture)
mkdir -p dist
mv "../ruroco_${version}_${arch}.deb" dist/
rm -f "../ruroco_${version}_${arch}.buildinfo" "../ruroco_${version}_${arch}.changes" \
      "../ruroco-dbgsym_${version}_${arch}.deb"
lintian --fail-on error --suppress-tags-from-file /dev/null "dist/ruroco_${version}_${arch}.deb"
echo "dist/ruroco_${version}_${arch}.deb"
