#!/usr/bin/env node
// The command line: the action's own bundle, which sees it was started through this file and
// reads its mode and flags from the arguments. `ecs-canary --help` lists them.
import '../dist/index.js'
