/**
 * Shell pieces shared by the generated boot scripts (GCP startup script, the VM's cloud-init): how
 * they read a secret so that a model server never starts without its key.
 *
 * Why this shape: a command substitution used as an argument (`printf ... "$(curl -sf ...)"`)
 * loses its exit status, so `set -e` never sees a failed read and the server started with an
 * empty key, which vLLM and llama-server take as "no authentication". Here every read is a plain
 * command (retried with backoff, then fatal), its result goes to a root-only file on tmpfs, and an
 * empty value is refused before anything starts.
 */

/** Attempts per request; the waits between them are 2, 8, 18, 32 and 50 seconds (about 2 minutes in all). */
export const FETCH_ATTEMPTS = 6;

/**
 * `fetch OUT URL [curl options...]`: a GET (or what the options say) into OUT, retried with
 * backoff on any failure (connection, timeout, HTTP >= 400); returns 1 after the last attempt.
 * The URL printed on failure carries names, never values.
 */
export const FETCH_FUNCTION = `fetch() {
  local out=$1 url=$2 attempt
  shift 2
  for ((attempt = 1; attempt <= ${FETCH_ATTEMPTS}; attempt++)); do
    if curl -sf --max-time 30 -o "\${out}" "$@" "\${url}"; then
      return 0
    fi
    echo "llm-serving: request to \${url%%\\?*} failed (attempt \${attempt} of ${FETCH_ATTEMPTS})" >&2
    if ((attempt < ${FETCH_ATTEMPTS})); then
      sleep "$((2 * attempt * attempt))"
    fi
  done
  return 1
}`;

/** `require_value FILE WHAT`: stops the script when a secret or token came back empty. */
export const REQUIRE_VALUE_FUNCTION = `require_value() {
  if [[ ! -s $1 ]]; then
    echo "llm-serving: $2 is empty; not starting the model server" >&2
    exit 1
  fi
}`;
