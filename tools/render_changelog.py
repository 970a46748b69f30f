#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The Ansible collection's changelog, as antsibull-changelog keeps it.

Debian 12 has no antsibull-changelog, so this reads the same files:
ansible/changelogs/config.yaml, changelog.yaml (released changes) and
fragments/*.yml (changes since), and writes ansible/CHANGELOG.rst in
antsibull's layout. Changes still in fragments are shown under the version
galaxy.yml.in names, marked "(unreleased)".

    render_changelog.py [--root DIR] [--check]   write CHANGELOG.rst (--check: fail if it differs)
    render_changelog.py --release DATE   fold the fragments into changelog.yaml as a
                                         release of that version, with the modules whose
                                         version_added is that version, and delete them
"""

import argparse
import datetime
import glob
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ansible")
CHANGELOGS = os.path.join(ROOT, "changelogs")


def set_root(path):
    global ROOT, CHANGELOGS
    ROOT = path
    CHANGELOGS = os.path.join(ROOT, "changelogs")


class Error(Exception):
    pass


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def collection_version():
    with open(os.path.join(ROOT, "galaxy.yml.in"), encoding="utf-8") as f:
        m = re.search(r"^version:\s*(\S+)\s*$", f.read(), re.M)
    if not m:
        raise Error("galaxy.yml.in has no version")
    return m.group(1)


def read_fragments(config):
    """{section: [entries]} and the fragment file names, checked as
    antsibull-changelog lint checks them."""
    known = {s[0] for s in config["sections"]} | {config["prelude_section_name"]}
    changes, names = {}, []
    for path in sorted(glob.glob(os.path.join(CHANGELOGS, config["notesdir"], "*.yml"))):
        name = os.path.basename(path)
        data = load(path)
        if not isinstance(data, dict) or not data:
            raise Error("%s: a fragment is a mapping of sections to entries" % name)
        for section, entries in data.items():
            if section not in known:
                raise Error("%s: unknown section %r" % (name, section))
            if section == config["prelude_section_name"]:
                if not isinstance(entries, str):
                    raise Error("%s: %s must be a string" % (name, section))
                if section in changes:
                    raise Error("%s: a second %s" % (name, section))
                changes[section] = entries
                continue
            if isinstance(entries, str):
                entries = [entries]
            if not isinstance(entries, list) or not all(isinstance(e, str) and e.strip() for e in entries):
                raise Error("%s: %s must be a list of strings" % (name, section))
            changes.setdefault(section, []).extend(entries)
        names.append(name)
    return changes, names


def new_modules(version):
    """Modules whose sidecar documentation says version_added: VERSION."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "plugins", "modules", "*.yml"))):
        doc = load(path).get("DOCUMENTATION", {})
        if str(doc.get("version_added")) == version:
            out.append({"name": doc["module"], "description": doc["short_description"], "namespace": ""})
    return out


def underline(text, char):
    return "%s\n%s\n" % (text, char * len(text))


def render_release(out, title, release, config):
    out.append("")
    out.append(underline(title, "="))
    changes = release.get("changes", {})
    prelude = config["prelude_section_name"]
    if prelude in changes:
        out.append(underline(config["prelude_section_title"], "-"))
        out.append(changes[prelude].rstrip() + "\n")
    for key, heading in config["sections"]:
        if changes.get(key):
            out.append(underline(heading, "-"))
            out.append("\n".join("- " + " ".join(e.split()) for e in changes[key]) + "\n")
    if release.get("modules"):
        out.append(underline("New Modules", "-"))
        out.append("\n".join("- %s - %s" % (m["name"], m["description"]) for m in release["modules"]) + "\n")


def render(config, changelog, pending, version):
    title = "%s Release Notes" % config["title"]
    out = ["=" * len(title), title, "=" * len(title), "", ".. contents:: Topics", ""]
    releases = changelog.get("releases") or {}
    if pending:
        render_release(out, "v%s (unreleased)" % version, {"changes": pending, "modules": new_modules(version)}, config)
    for v in sorted(releases, key=lambda s: [int(x) if x.isdigit() else x for x in re.split(r"[.-]", s)], reverse=True):
        render_release(out, "v%s" % v, releases[v], config)
    return "\n".join(out).rstrip() + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--release", metavar="DATE")
    ap.add_argument("--root", help="the collection's source folder (default: ansible/ of this repository)")
    args = ap.parse_args()
    if args.root:
        set_root(os.path.abspath(args.root))
    try:
        config = load(os.path.join(CHANGELOGS, "config.yaml"))
        changes_path = os.path.join(CHANGELOGS, config["changes_file"])
        changelog = load(changes_path) or {}
        version = collection_version()
        pending, names = read_fragments(config)
        if args.release:
            datetime.date.fromisoformat(args.release)
            releases = changelog.setdefault("releases", {}) or {}
            changelog["releases"] = releases
            if version in releases:
                raise Error("changelog.yaml already has a release %s" % version)
            if not names:
                raise Error("no fragments to release")
            releases[version] = {"changes": pending, "fragments": names,
                                 "modules": new_modules(version), "release_date": args.release}
            with open(changes_path, "w", encoding="utf-8") as f:
                f.write("---\n")
                yaml.safe_dump(changelog, f, default_flow_style=False, sort_keys=True, width=1000)
            for n in names:
                os.remove(os.path.join(CHANGELOGS, config["notesdir"], n))
            pending = {}
        text = render(config, changelog, pending, version)
        target = os.path.normpath(os.path.join(CHANGELOGS, config["changelog_filename_template"]))
        if args.check:
            with open(target, encoding="utf-8") as f:
                if f.read() != text:
                    raise Error("%s is not up to date: run tools/render_changelog.py" % os.path.relpath(target))
            return 0
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
    except (Error, OSError, ValueError, KeyError, yaml.YAMLError) as e:
        print("render_changelog.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
