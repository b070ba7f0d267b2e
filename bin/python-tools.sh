# Sourced after java-env.sh by the bin/ scripts and .ci/run: the pinned Python tools of tools/python-tools.txt,
# each [section] in its own virtualenv under the cache, installed the first time (a few minutes) and reused after.
#   use_sam_tools           puts the [sam] section on PATH: sam, cfn-lint, moto_server (and its python as
#                           CS_TOOLS_PYTHON, for aws-sam-translator)
#   localstack_python       prints the [localstack] section's python (bin/localstack runs LocalStack with it)
# CS_TOOLS_CACHE moves the cache (default ~/.cache/cs-destinations).
PYTHON_TOOLS_FILE="$REPO_ROOT/tools/python-tools.txt"
PYTHON_TOOLS_CACHE="${CS_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cs-destinations}"

# NAME (python3.13, ...) -> a path to that interpreter: on PATH, or one of pyenv's versions (these machines have
# 3.10 to 3.13 under pyenv, with only 3.11 on PATH)
find_python() {
  local name="$1" candidate
  if "$name" -c pass >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for candidate in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/"$name" 2>/dev/null | sort -V -r); do
    if "$candidate" -c pass >/dev/null 2>&1; then echo "$candidate"; return 0; fi
  done
  echo "$name is needed for tools/python-tools.txt (not on PATH, not under pyenv)" >&2
  return 2
}

# SECTION -> the path of its virtualenv, installed if it is not there yet; the folder name carries a hash of the
# section's header and pins, so changing a pin installs a new one instead of reusing a stale one.
# A header is `[name]` or `[name pythonX.Y]` (the interpreter the virtualenv is made with; default python3).
python_tools_venv() {
  local section="$1" header pins hash venv interpreter
  header="$(grep -E "^\[$section( [^]]+)?\]\$" "$PYTHON_TOOLS_FILE" | head -1)"
  [ -n "$header" ] || { echo "no section [$section] in $PYTHON_TOOLS_FILE" >&2; return 2; }
  interpreter="$(printf '%s' "$header" | sed -E 's/^\[[^] ]+ ?([^]]*)\]$/\1/')"
  # a pin that is a path of this repository (./tools/...) is installed from there, and its files are in the hash
  pins="$(awk -v want="$header" '/^\[/ { on = ($0 == want); next } on && NF && !/^#/' "$PYTHON_TOOLS_FILE" | sed "s|^\./|$REPO_ROOT/|")"
  hash="$( { printf '%s\n%s\n' "$header" "$pins"; for p in $(printf '%s\n' "$pins" | grep "^$REPO_ROOT/" || true); do
              (cd "$p" && git ls-files -co --exclude-standard | sort | xargs cat); done; } | sha256sum | cut -c1-12)"
  venv="$PYTHON_TOOLS_CACHE/$section-$hash"
  if [ ! -f "$venv/.complete" ]; then
    mkdir -p "$PYTHON_TOOLS_CACHE"
    # one installer at a time (bin/test and bin/localstack may start together)
    exec 9>"$PYTHON_TOOLS_CACHE/.lock"
    flock 9
    if [ ! -f "$venv/.complete" ]; then
      echo "installing the pinned [$section] Python tools into $venv (once; a few minutes) ..." >&2
      rm -rf "$venv"
      local python
      python="$(find_python "${interpreter:-python3}")" || { flock -u 9; return 2; }
      "$python" -m venv "$venv" >&2 || { echo "$python -m venv failed" >&2; flock -u 9; return 2; }
      printf '%s\n' "$pins" > "$venv/requirements.txt"
      if ! "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$venv/requirements.txt" >&2; then
        echo "pip could not install tools/python-tools.txt [$section]" >&2
        rm -rf "$venv"; flock -u 9; return 2
      fi
      touch "$venv/.complete"
    fi
    flock -u 9
  fi
  echo "$venv"
}

use_sam_tools() {
  local venv
  venv="$(python_tools_venv sam)" || exit 2
  export PATH="$venv/bin:$PATH"
  export CS_TOOLS_PYTHON="$venv/bin/python"
  export SAM_CLI_TELEMETRY=0
}

localstack_python() {
  local venv
  venv="$(python_tools_venv localstack)" || exit 2
  echo "$venv/bin/python"
}
