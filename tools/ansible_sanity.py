#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Run `ansible-test sanity` on the built collection, offline.

    ansible_sanity.py COLLECTION_DIR [TEST...]

COLLECTION_DIR is the collection as the CMake build assembles it
(<build>/ansible/ansible_collections/elasticache_tools/elasticache, with the
module program in native/). It is copied to a scratch ansible_collections
tree outside git (ansible-test lists a collection inside a git work tree
with git, and the build tree is ignored there), and each test runs as
`ansible-test sanity --test NAME --python X.Y` with HOME in the scratch
directory.

ansible-test runs most tests in a virtual environment it fills with pip
from PyPI, which is not reachable here. For the tests whose requirements
Debian packages (python3-voluptuous, python3-jinja2, python3-yaml, yamllint,
pycodestyle, pylint), the environment is made beforehand where ansible-test
looks for it, with the system's site packages, so ansible-test finds it
ready and installs nothing. Tests that need packages Debian does not have
are not in DEFAULT_TESTS (NEEDS_NETWORK says why).

Prints one line per test and exits non-zero if any failed.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

PYTHON = "/usr/bin/python3"
ANSIBLE_TEST = "/usr/bin/ansible-test"

# Every test `ansible-test sanity --list-tests` names for this collection
# that can run offline here.
DEFAULT_TESTS = [
    "action-plugin-docs", "ansible-doc", "compile", "empty-init", "future-import-boilerplate",
    "ignores", "line-endings", "metaclass-boilerplate", "no-assert", "no-basestring",
    "no-dict-iteritems", "no-dict-iterkeys", "no-dict-itervalues", "no-get-exception",
    "no-illegal-filenames", "no-main-display", "no-smart-quotes", "no-unicode-literals", "pep8",
    "pylint", "replace-urlopen", "runtime-metadata", "shebang", "shellcheck", "symlinks",
    "use-argspec-type-path", "use-compat-six", "validate-modules", "yamllint",
]
NEEDS_NETWORK = {
    "changelog": "antsibull-changelog from PyPI (not packaged in Debian 12); "
                 "tools/render_changelog.py checks the changelog instead",
    "import": "builds virtual environments of its own with virtualenv and pip from PyPI",
    "pslint": "PowerShell (pwsh) and PSScriptAnalyzer; the collection has no PowerShell",
}
# Modules each venv test needs from the system, and the Debian package.
SYSTEM_MODULES = {
    "yaml": "python3-yaml", "jinja2": "python3-jinja2", "voluptuous": "python3-voluptuous",
    "yamllint": "yamllint", "pycodestyle": "pycodestyle", "pylint": "pylint",
    "packaging": "python3-packaging",
}


def prepare_venv(name, home, version):
    """Make the virtual environment ansible-test would create for a sanity
    test, from the system's packages, where ansible-test looks for it."""
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    from ansible_test._internal.commands.sanity import hash_pip_commands
    from ansible_test._internal.host_configs import VirtualPythonConfig
    from ansible_test._internal.python_requirements import collect_requirements

    commands = collect_requirements(
        python=VirtualPythonConfig(version=version, path=PYTHON), controller=True,
        virtualenv=False, command=None, ansible=False, cryptography=False,
        coverage=False, minimize=False, sanity=name)
    label = "sanity.%s" % name if commands else "sanity"
    path = os.path.join(home, ".ansible", "test", "venv", label, version, hash_pip_commands(commands))
    if os.path.exists(os.path.join(path, "marker.txt")):
        return
    subprocess.run([PYTHON, "-m", "venv", "--system-site-packages", "--without-pip", path], check=True)
    python = os.path.join(path, "bin", "python")
    check = subprocess.run(
        [python, "-c", "import yaml, json\ntry:\n from yaml import CLoader\nexcept ImportError:\n CLoader = None\n"
                       "print(json.dumps(bool(CLoader)))"],
        capture_output=True, text=True, check=True)
    with open(os.path.join(path, "meta.install.json"), "w") as f:
        json.dump([c.serialize() for c in commands], f, indent=4)
    with open(os.path.join(path, "meta.yaml.json"), "w") as f:
        f.write(check.stdout.strip())
    open(os.path.join(path, "marker.txt"), "w").close()


def missing_modules():
    missing = []
    for module, package in SYSTEM_MODULES.items():
        if subprocess.run([PYTHON, "-c", "import " + module], capture_output=True).returncode:
            missing.append(package)
    return missing


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    source = os.path.abspath(sys.argv[1])
    tests = sys.argv[2:] or DEFAULT_TESTS
    missing = missing_modules()
    if missing:
        print("ansible_sanity.py: install %s (tools/install-deps.sh does)" % " ".join(missing), file=sys.stderr)
        return 2
    version = "%d.%d" % tuple(int(x) for x in subprocess.run(
        [PYTHON, "-c", "import sys; print(*sys.version_info[:2])"],
        capture_output=True, text=True, check=True).stdout.split())
    scratch = tempfile.mkdtemp(prefix="ec-sanity-")
    failed = []
    try:
        root = os.path.join(scratch, "ansible_collections", "elasticache_tools", "elasticache")
        shutil.copytree(source, root, symlinks=True,
                        ignore=shutil.ignore_patterns("tests/output", "*.tar.gz"))
        home = os.path.join(scratch, "home")
        os.makedirs(home)
        env = dict(os.environ, HOME=home, ANSIBLE_TEST_PREFER_PODMAN="", LC_ALL="C.UTF-8")
        for name in tests:
            if name in NEEDS_NETWORK:
                print("skip  %s: needs the network: %s" % (name, NEEDS_NETWORK[name]))
                continue
            prepare_venv(name, home, version)
            proc = subprocess.run(
                [ANSIBLE_TEST, "sanity", "--test", name, "--python", version, "--color", "no"],
                cwd=root, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            out = proc.stdout + proc.stderr
            ran = 'Running sanity test "%s"' % name in out
            if proc.returncode == 0 and ran:
                print("ok    %s" % name)
            else:
                failed.append(name)
                print("FAIL  %s (exit %d%s)" % (name, proc.returncode, "" if ran else ", did not run"))
                print("\n".join("      " + line for line in out.strip().splitlines()[-40:]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d sanity tests, %d failed%s" % (len(tests), len(failed), (": " + ", ".join(failed)) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
