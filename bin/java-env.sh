# Sourced by the bin/ scripts and .ci/run: selects a JDK >= 21 (Temurin 25 on the project's machines)
# unless JAVA_HOME already points at one, and makes the repository root the working directory.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
# a JDK (javac present) whose java reports a major version >= 21
is_jdk21() {
  local v
  [ -n "${1:-}" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  v="$(java_major "$1")"
  [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null
}
if ! is_jdk21 "${JAVA_HOME:-}"; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if is_jdk21 "$candidate"; then export JAVA_HOME="$candidate"; break; fi
  done
fi
if ! is_jdk21 "${JAVA_HOME:-}"; then
  echo "a JDK 21 or newer is needed; set JAVA_HOME (now: ${JAVA_HOME:-unset})" >&2
  exit 2
fi
export PATH="$JAVA_HOME/bin:$PATH"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

# Prints the calling script's header comment (its usage): every bin/ command answers -h and --help with it.
print_usage() {
  sed -n '2,/^[^#]/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}
wants_help() {
  local a
  for a in "$@"; do case "$a" in -h|--help) return 0 ;; esac; done
  return 1
}

# Builds the tools modules (and what they depend on) when a source is newer than their last build.
# CS_SKIP_BUILD=1: the caller has just built (a test running a bin/ script inside the Maven build).
TOOLS_BUILT_MARKER=target/tools.built
ensure_tools_built() {
  local marker=$TOOLS_BUILT_MARKER
  [ "${CS_SKIP_BUILD:-}" != 1 ] || return 0
  if [ ! -f "$marker" ] || [ -n "$(find shared functions tools pom.xml -newer "$marker" \( -name '*.java' -o -name '*.json' -o -name 'pom.xml' \) -not -path '*/target/*' -print -quit 2>/dev/null)" ]; then
    local log; log="$(mktemp)"
    echo "building (mvn install -DskipTests) ..." >&2
    mvn -B -q install -DskipTests >"$log" 2>&1 || { cat "$log" >&2; echo "build failed" >&2; exit 2; }
    rm -f "$log"
    mkdir -p "$(dirname "$marker")"
    touch "$marker"
  fi
}
# The class path of one tools module, by its folder under tools/: conformance, local or perf/probes.
tools_classpath() { local m="${1:?tools_classpath needs a tools module: local, conformance or perf/probes}"; echo "tools/$m/target/classes:tools/$m/target/lib/*"; }
