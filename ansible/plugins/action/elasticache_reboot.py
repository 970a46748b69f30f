# -*- coding: utf-8 -*-
# SPDX-License-Identifier: Apache-2.0
"""Action plugin for elasticache_tools.elasticache.elasticache_reboot.

The module is the native program native/elasticache_reboot.<system>-<machine> of this
collection; plugin_utils/native_module.py runs it on the controller
(run_on=controller, the default) or on the task's host (run_on=target).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.elasticache_tools.elasticache.plugins.plugin_utils.native_module import NativeModuleAction


class ActionModule(NativeModuleAction):

    PROGRAM = 'elasticache_reboot'
