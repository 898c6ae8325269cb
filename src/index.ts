import { run } from './main.js'

// The AWS SDK warns on Node < 22 that its releases from 2027 will need Node 22. The action runs
// on node24; the command line and the tests support Node 20 with the SDK versions pinned here
// (README, "Using a release"), so the warning says nothing a run can act on. A caller who sets
// the variable keeps their choice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

await run()
