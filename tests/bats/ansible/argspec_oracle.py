#!/usr/bin/python3
"""Compare a native module's parameter handling with AnsibleModule's.

For every case in argspec_cases.json, run the C module (flat args file, as
Ansible gives a binary module, in check mode against the simulator) and
oracle_module.py (AnsibleModule with the same argument_spec) and compare:
- when AnsibleModule fails validation: the same msg (the list of valid
  booleans is a Python set, printed in a random order, so it is compared
  up to that list);
- otherwise: the C module did not fail validation, and returns the same
  invocation.module_args (no_log values masked) and warnings.
Usage: argspec_oracle.py MODULE CASES_JSON SCRATCH_DIR [MODULE_NAME]
(MODULE_NAME: elasticache_reboot, the default, or elasticache_info)
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    out = p.stdout.strip().splitlines()
    return json.loads(out[-1]) if out else {"_stderr": p.stderr}


def norm_msg(msg):
    cut = msg.find("Valid booleans include:")
    return msg[:cut] if cut >= 0 else msg


def main():
    module, cases_path, scratch = sys.argv[1:4]
    module_name = sys.argv[4] if len(sys.argv) > 4 else "elasticache_reboot"
    with open(cases_path) as f:
        cases = json.load(f)
    failures = 0
    for i, case in enumerate(cases):
        env = dict(os.environ, ORACLE_MODULE=module_name)
        env.update({k: v.replace("@SIM_URL@", os.environ.get("SIM_URL", ""))
                    for k, v in case.get("env", {}).items()})
        for name in case.get("unset", []):
            env.pop(name, None)
        args = dict(case["args"])
        args["_ansible_module_name"] = module_name
        args["_ansible_check_mode"] = True
        path = os.path.join(scratch, "oracle-args-%d" % i)
        with open(path, "w") as f:
            json.dump(args, f)
        got = run([module, path], env)
        wrapped = path + ".wrapped"
        with open(wrapped, "w") as f:
            json.dump({"ANSIBLE_MODULE_ARGS": args}, f)
        want = run(["/usr/bin/python3", os.path.join(HERE, "oracle_module.py"), wrapped], env)
        problems = []
        if want.get("failed"):
            if norm_msg(got.get("msg", "")) != norm_msg(want["msg"]):
                problems.append("msg\n   got:  %r\n   want: %r" % (got.get("msg"), want["msg"]))
        else:
            if "_stderr" in got:
                problems.append("no output: %s" % got["_stderr"])
            got_args = got.get("invocation", {}).get("module_args")
            want_args = want["invocation"]["module_args"]
            if got_args != want_args:
                problems.append("module_args\n   got:  %s\n   want: %s" % (
                    json.dumps(got_args, sort_keys=True), json.dumps(want_args, sort_keys=True)))
            if got.get("warnings", []) != want.get("warnings", []):
                problems.append("warnings: got %r want %r" % (got.get("warnings"), want.get("warnings")))
            if got.get("failed") and case.get("must_succeed", True):
                problems.append("the C module failed: %s" % got.get("msg"))
        status = "ok" if not problems else "MISMATCH"
        print("%-8s %s" % (status, case["name"]))
        for p in problems:
            print("   " + p)
        failures += bool(problems)
    print("%d cases, %d mismatches" % (len(cases), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
