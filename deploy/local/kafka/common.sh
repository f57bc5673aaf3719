# Sourced by ./start and ./cluster (not run): the broker's classpath, copied once per machine, and a free port.
# Needs $here (this directory) and $repo (the repository's root).
version=$(sed -n 's#.*<version>\(.*\)</version>.*#\1#p' "$here/pom.xml" | head -1)
lib="${SLUICE_CACHE:-$HOME/.cache/sluice}/kafka/$version/lib"
if [ ! -f "$lib/.complete" ]; then
  "$repo/mvnw" -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$lib" >&2
  touch "$lib/.complete"
fi

free_port() {
  local p
  while :; do
    p=$(( (RANDOM % 12000) + 20000 )) # below the ephemeral range (32768-), which outgoing connections take
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
