import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { requireTool } from "./tools";

/**
 * Runs a generated boot script (GCP startup script, the VM's cloud-init runcmd and the files it
 * writes) with every command that would touch the machine or the cloud replaced by a stub first in
 * PATH: curl answers from a table (the metadata servers, the secret stores), docker records what
 * it would run and keeps a copy of each --env-file, systemctl runs a unit's ExecStartPre/ExecStart
 * as systemd would (stopping at the first failure). Absolute paths the scripts write to are moved
 * into a sandbox directory. Real bash, sed, base64, jq, mktemp do the rest.
 */

/** One curl answer: URL pattern (ERE), HTTP status, body. */
export interface CurlRule {
    readonly pattern: string;
    readonly status: number;
    readonly body: string;
}

export interface ScriptRun {
    readonly status: number | null;
    readonly stderr: string;
    /** Every stubbed command, one line each: "docker run -d --name model-server ...". */
    readonly calls: string[];
    /** Contents of each --env-file handed to `docker run`, in call order, keyed by container name. */
    readonly envFiles: Array<{ container: string; content: string }>;
    readonly sandbox: string;
}

/** Commands that only log (and succeed). */
const LOGGING_STUBS = ["cos-extensions", "mount", "ubuntu-drivers", "apt-get", "gpg", "nvidia-ctk", "nvidia-smi", "shutdown", "chown", "sleep"];

const LOG = `printf '%s\\n' "$(basename "$0") $*" >> "\${STUB_LOG}"`;

const STUBS: Record<string, string> = {
    curl: `#!/bin/bash
${LOG}
out=""; url=""; fail=0
while (($#)); do
  case $1 in
    -o) out=$2; shift ;;
    -H|-d|-X|--max-time|--data|--header|--request) shift ;;
    --*) ;;
    -*) if [[ $1 == *f* ]]; then fail=1; fi ;;
    *) url=$1 ;;
  esac
  shift
done
while IFS=$'\\t' read -r pattern status body; do
  if [[ $url =~ $pattern ]]; then
    if ((status >= 400)); then
      if ((fail)); then exit 22; fi
    fi
    if [[ -n $out ]]; then cat "$body" > "$out"; else cat "$body"; fi
    exit 0
  fi
done < "\${STUB_DIR}/curl-rules"
echo "curl stub: no rule for $url" >&2
exit 6
`,
    docker: `#!/bin/bash
${LOG}
if [[ $1 == run ]]; then
  name=""; envs=()
  args=("$@")
  for ((i = 0; i < \${#args[@]}; i++)); do
    case \${args[i]} in
      --name) name=\${args[i+1]} ;;
      --env-file) envs+=("\${args[i+1]}") ;;
    esac
  done
  for e in "\${envs[@]}"; do
    n=$(find "\${STUB_DIR}/captured" -type f | wc -l)
    cp "$e" "\${STUB_DIR}/captured/$n.$name"
  done
fi
if [[ $1 == network && $2 == inspect ]]; then exit 1; fi
exit 0
`,
    systemctl: `#!/bin/bash
${LOG}
if [[ $1 == start ]]; then
  unit="\${SANDBOX}/etc/systemd/system/$2"
  pre=(); main=()
  while IFS='=' read -r key value; do
    case $key in
      ExecStartPre) pre+=("$value") ;;
      ExecStart) main+=("$value") ;;
    esac
  done < "$unit"
  for cmd in "\${pre[@]}" "\${main[@]}"; do
    bash -c "$cmd" || exit 1
  done
fi
exit 0
`,
    install: `#!/bin/bash
${LOG}
mkdir -p "\${@: -1}"
`,
};

/** Moves the absolute paths a boot script writes to (and reads back) under `sandbox`. */
export function sandboxPaths(text: string, sandbox: string): string {
    return text.replace(/(^|[\s"'=:>(])\/(run|etc|usr\/local|usr\/share|var\/lib|mnt)\//gm, `$1${sandbox}/$2/`);
}

export interface Boot {
    /** Files to write first (cloud-init write_files), at their real paths (moved into the sandbox). */
    readonly files?: ReadonlyArray<{ path: string; content: string; permissions?: string }>;
    /** The script to run, and its shell. */
    readonly script: string;
    readonly shell: "bash" | "sh";
}

export function runBoot(boot: Boot, curlRules: readonly CurlRule[]): ScriptRun {
    // The VM's scripts parse Key Vault's answers with the real jq (cloud-init installs it there).
    requireTool("jq", "jq");
    const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "boot-"));
    const stubDir = path.join(sandbox, ".stubs");
    fs.mkdirSync(path.join(stubDir, "bin"), { recursive: true });
    fs.mkdirSync(path.join(stubDir, "captured"));
    for (const d of ["run", "etc/systemd/system", "etc/apt/sources.list.d", "usr/local/bin", "usr/share/keyrings", "var/lib", "mnt/stateful_partition"]) {
        fs.mkdirSync(path.join(sandbox, d), { recursive: true });
    }
    for (const [name, text] of Object.entries(STUBS)) fs.writeFileSync(path.join(stubDir, "bin", name), text, { mode: 0o755 });
    for (const name of LOGGING_STUBS) fs.writeFileSync(path.join(stubDir, "bin", name), `#!/bin/bash\n${LOG}\n`, { mode: 0o755 });
    const rules = curlRules.map((r, i) => {
        const body = path.join(stubDir, `body-${i}`);
        fs.writeFileSync(body, r.body);
        return `${r.pattern}\t${r.status}\t${body}`;
    });
    fs.writeFileSync(path.join(stubDir, "curl-rules"), `${rules.join("\n")}\n`);
    for (const f of boot.files ?? []) {
        const target = path.join(sandbox, f.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, sandboxPaths(f.content, sandbox), { mode: parseInt(f.permissions ?? "0644", 8) });
    }
    const scriptFile = path.join(stubDir, "boot-script");
    fs.writeFileSync(scriptFile, sandboxPaths(boot.script, sandbox));
    const log = path.join(stubDir, "calls.log");
    fs.writeFileSync(log, "");
    const r = spawnSync(boot.shell, [scriptFile], {
        encoding: "utf8",
        timeout: 60_000,
        env: { PATH: `${path.join(stubDir, "bin")}:${process.env.PATH}`, STUB_LOG: log, STUB_DIR: stubDir, SANDBOX: sandbox, HOME: sandbox, LANG: "C" },
    });
    const captured = fs
        .readdirSync(path.join(stubDir, "captured"))
        .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
        .map((f) => ({ container: f.replace(/^\d+\./, ""), content: fs.readFileSync(path.join(stubDir, "captured", f), "utf8") }));
    return {
        status: r.status,
        stderr: r.stderr,
        calls: fs.readFileSync(log, "utf8").split("\n").filter(Boolean),
        envFiles: captured,
        sandbox,
    };
}

/** The `docker run` calls that start a named container. */
export function containerStarts(run: ScriptRun, name: string): string[] {
    return run.calls.filter((c) => c.startsWith("docker run ") && c.includes(`--name ${name} `));
}
