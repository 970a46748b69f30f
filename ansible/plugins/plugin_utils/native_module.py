# -*- coding: utf-8 -*-
# SPDX-License-Identifier: Apache-2.0
"""Running the collection's native module programs, for its action plugins.

A module of this collection is a native program (C, over libelasticache),
shipped in the collection's native/ folder once per platform it was built
for, as native/<module>.<system>-<machine> (for example
native/elasticache_reboot.linux-x86_64). An action plugin subclasses
NativeModuleAction, names the program, and runs on the controller to decide
where the program runs:

- run_on=controller (the default): on the controller, as AWS modules are
  usually run (delegate_to: localhost), whatever host the play targets. The
  program gets the task's arguments and environment; become does not apply.
- run_on=target: copied to the task's host and run there as Ansible runs any
  binary module (become, async and remote_tmp apply), for a host that can
  reach the API when the controller cannot.

Either way the result is the program's own: it validates its arguments as
AnsibleModule does and removes secrets from what it returns.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import subprocess
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.executor.module_common import modify_module
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.plugins.action import ActionBase

BIN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'native')
RUN_ON = ('controller', 'target')


def platform_tag(system, machine):
    """The suffix of a binary for `uname -s` and `uname -m`: linux-x86_64."""
    return '%s-%s' % (system.strip().lower(), machine.strip().lower())


def shipped_platforms(program):
    """Platforms this collection carries the program for."""
    try:
        names = os.listdir(BIN_DIR)
    except OSError:
        return []
    prefix = program + '.'
    return sorted(n[len(prefix):] for n in names
                  if n.startswith(prefix) and os.access(os.path.join(BIN_DIR, n), os.X_OK))


def binary_for(program, tag, where):
    """The module binary for a platform, or a failure naming what there is."""
    path = os.path.join(BIN_DIR, '%s.%s' % (program, tag))
    if os.access(path, os.X_OK):
        return path
    have = shipped_platforms(program)
    raise AnsibleActionFail(
        '%s: this collection has no module binary for the %s platform %s '
        '(it has one for: %s). Build the collection on a %s host (see the collection README)%s.'
        % (program, where, tag, ', '.join(have) or 'none', tag,
           ', or use run_on=target on a host of a platform it has' if where == 'controller' and have else ''))


class NativeModuleAction(ActionBase):
    """Runs native/<PROGRAM>.<platform> for the task."""

    PROGRAM = None

    def run(self, tmp=None, task_vars=None):
        if task_vars is None:
            task_vars = {}
        # ActionBase.__init__ sets these per instance, as normal.py does.
        self._supports_check_mode = True
        self._supports_async = True
        result = super(NativeModuleAction, self).run(tmp, task_vars)
        del tmp

        args = dict(self._task.args)
        run_on = args.pop('run_on', None) or 'controller'
        if run_on not in RUN_ON:
            raise AnsibleActionFail('value of run_on must be one of: %s, got: %s' % (', '.join(RUN_ON), run_on))

        if run_on == 'target':
            result.update(self._run_on_target(args, task_vars))
            return result

        if self._task.async_val and not getattr(self._connection, '_remote_is_local', False) \
                and self._connection.transport not in ('local', 'ansible.builtin.local'):
            # Ansible polls an async job on the task's host; a job started on
            # the controller would never be found there.
            raise AnsibleActionFail(
                '%s: async with run_on=controller needs the task to run on the controller '
                '(delegate_to: localhost or connection: local), or use run_on=target.' % self.PROGRAM)
        if self._task.async_val:
            # The host is the controller: Ansible's own async machinery runs
            # the binary there.
            result.update(self._run_on_target(args, task_vars))
            return result

        result.update(self._run_on_controller(args, task_vars))
        return result

    # run_on=controller ----------------------------------------------------

    def _run_on_controller(self, args, task_vars):
        uname = os.uname()
        binary = binary_for(self.PROGRAM, platform_tag(uname.sysname, uname.machine), 'controller')
        self._update_module_args(self._task.action, args, task_vars)
        environment = {}
        self._compute_environment_string(environment)
        env = dict(os.environ)
        env.update((to_native(k), to_native(v)) for k, v in environment.items())

        # The arguments may hold secrets: a private directory, removed after.
        scratch = tempfile.mkdtemp(prefix='ansible-%s-' % self.PROGRAM.replace('_', '-'))
        try:
            path = os.path.join(scratch, 'args')
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, 'w') as f:
                json.dump(args, f)
            proc = subprocess.run([binary, path], env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        except OSError as e:
            raise AnsibleActionFail('%s: could not run %s: %s' % (self.PROGRAM, binary, to_native(e)))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        data = self._parse_returned_data({
            'rc': proc.returncode,
            'stdout': to_text(proc.stdout, errors='surrogate_or_replace'),
            'stderr': to_text(proc.stderr, errors='surrogate_or_replace'),
        })
        if data.get('_ansible_parsed') is False:
            data.setdefault('msg', 'MODULE FAILURE')
            data['rc'] = proc.returncode
        return data

    # run_on=target ----------------------------------------------------------

    def _target_platform(self):
        res = self._low_level_execute_command('uname -s -m', sudoable=False)
        fields = to_text(res.get('stdout', '')).split()
        if res.get('rc') != 0 or len(fields) != 2:
            raise AnsibleActionFail('%s: could not tell the platform of the target with uname -s -m: %s'
                                    % (self.PROGRAM, to_text(res.get('stderr', '')).strip()))
        return platform_tag(fields[0], fields[1])

    def _run_on_target(self, args, task_vars):
        self._module_binary = binary_for(self.PROGRAM, self._target_platform(), 'target')
        wrap_async = self._task.async_val and not self._connection.has_native_async
        try:
            result = self._execute_module(module_name=self._task.action, module_args=args,
                                          task_vars=task_vars, wrap_async=wrap_async)
        finally:
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _configure_module(self, module_name, module_args, task_vars):
        """Hand Ansible the binary for the target's platform instead of
        looking the module up by name (its name resolves to the
        documentation stub in plugins/modules)."""
        binary = getattr(self, '_module_binary', None)
        # Only this module: with async, Ansible configures its async_wrapper
        # module through here too.
        if binary is None or module_name != self._task.action:
            return super(NativeModuleAction, self)._configure_module(module_name, module_args, task_vars)
        environment = {}
        self._compute_environment_string(environment)
        module_data, module_style, shebang = modify_module(
            module_name, binary, module_args, self._templar,
            task_vars=task_vars,
            module_compression=self._play_context.module_compression,
            async_timeout=self._task.async_val,
            environment=environment,
            remote_is_local=bool(getattr(self._connection, '_remote_is_local', False)))
        if module_style != 'binary':
            raise AnsibleActionFail('%s: %s is not a native program' % (self.PROGRAM, binary))
        return module_style, shebang, module_data, binary
