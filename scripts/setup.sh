# Shared by scripts/demo and scripts/test (sourced, not run): Debian packages as root or with
# sudo, the project's venv, and Debian's chromium (the Odyssey adapter drives it).

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "$0: needs root (or sudo) for: $*" >&2; return 1; fi
}

apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# $1: the pip extras to install ("" or "[dev]").
ensure_venv() {
  PYTHON=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
      echo "installing python3-venv..."
      rm -rf .venv
      apt_install python3-venv
      "$PYTHON" -m venv .venv
    fi
  fi
  .venv/bin/pip install --quiet --disable-pip-version-check -e ".$1"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium (the Odyssey adapter and the browser check drive it)..."
    apt_install chromium
  fi
}
