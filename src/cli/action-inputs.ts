// Generated from action.yml by scripts/cli-inputs.ts (npm run build); do not edit.

export interface ActionInputDoc {
  name: string
  description: string
  required: boolean
  default: string
}

export const ACTION_INPUTS: readonly ActionInputDoc[] = [
  {
    name: 'mode',
    description:
      'What to do: `canary` (shift `canary-weight` percent of traffic to the canary colour, after deploying `image` or `task-definition` to it when given), `deploy` (put `image` or `task-definition` into the canary colour and wait until it is healthy at 0 %; no traffic moves), `promote` (all traffic to the canary colour, then flip the stable tag), `rollback` (all traffic back to the stable colour, never waits) or `status` (read-only). Required.',
    required: true,
    default: ''
  },
  {
    name: 'cluster',
    description: 'ECS cluster name or ARN. Required.',
    required: true,
    default: ''
  },
  {
    name: 'service',
    description:
      'ECS service name or ARN. With the EXTERNAL deployment controller its task sets are Blue and Green; with the ECS (rolling) controller the canary is standalone tasks beside it (see `workload`). Required.',
    required: true,
    default: ''
  },
  {
    name: 'stack-name',
    description:
      'CloudFormation stack whose outputs `BlueTaskSet`, `GreenTaskSet`, `BlueTargetGroup`, `GreenTargetGroup` (and optionally `ListenerRule`) describe the two colours. Default: none; needed unless all four explicit inputs below are given.',
    required: false,
    default: ''
  },
  {
    name: 'blue-task-set',
    description: 'Blue task set ID or ARN. Overrides the stack output `BlueTaskSet`. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'green-task-set',
    description:
      'Green task set ID or ARN. Overrides the stack output `GreenTaskSet`. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'blue-target-group',
    description:
      'Blue target group ARN. Overrides the stack output `BlueTargetGroup`. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'green-target-group',
    description:
      'Green target group ARN. Overrides the stack output `GreenTargetGroup`. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'listener-rule-arn',
    description:
      "The weighted listener rule, or several (comma- or line-separated) that move in lockstep. Default: the stack output `ListenerRule`; when that is absent too, every rule on the target groups' load balancer whose forward action names both target groups (several move in lockstep).",
    required: false,
    default: ''
  },
  {
    name: 'listener-arn',
    description:
      "Alternative to a rule: the weighted forward is this listener's default action. Default none.",
    required: false,
    default: ''
  },
  {
    name: 'production-listener-arn',
    description:
      'A listener swap instead of a weighted rule: this listener forwards to the stable colour and `test-listener-arn` (required with it) to the other one; promote swaps their target groups. A share between 0 and 100 needs a weighted forward on it. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'canary-weight',
    description:
      'Percent of traffic for the canary colour, 0 to 100 with at most one decimal (0.5 is valid). Used by canary; other modes ignore it (a warning if malformed). Default 10.',
    required: false,
    default: '10'
  },
  {
    name: 'tag-key',
    description:
      'Service tag that names the stable colour (`Blue` or `Green`). Default `StableStack`.',
    required: false,
    default: 'StableStack'
  },
  {
    name: 'wait-for-healthy',
    description:
      "Before a shift that raises the canary's share, and before an undo-promotion gives the traffic back, wait until the colour's task set is steady and every registered target in its target group is healthy. Used by canary, deploy, promote and rollback; other modes ignore it (a warning if malformed). Default `true`.",
    required: false,
    default: 'true'
  },
  {
    name: 'health-timeout-seconds',
    description:
      "How long to wait for the colour to become healthy (and for a deploy's stack update). Used by canary, deploy, promote and rollback; other modes ignore it (a warning if malformed). Default 600.",
    required: false,
    default: '600'
  },
  {
    name: 'dry-run',
    description:
      'Discover, plan and report, but write nothing; a deploy shows the revision diff and the stack parameters that would change. Used by canary, deploy, promote and rollback; status writes nothing anyway, and ignores it (a warning if malformed). Default `false`.',
    required: false,
    default: 'false'
  },
  {
    name: 'aws-region',
    description:
      'AWS region. Default the `AWS_REGION` or `AWS_DEFAULT_REGION` environment variable.',
    required: false,
    default: ''
  },
  {
    name: 'steps',
    description:
      'Shares to walk through in one run, e.g. `5,25,50`; each is held for `bake-time` while the gates are watched, and a final `100` promotes. A rerun resumes past the steps the canary already has. Used by canary; promote refuses it (promote moves all traffic at once), and other modes ignore it (a warning if malformed). Default none (one step of `canary-weight`).',
    required: false,
    default: ''
  },
  {
    name: 'strategy',
    description:
      'Instead of `steps`: `AllAtOnce`, `Canary10Percent5Minutes`, `Canary10Percent15Minutes`, `Linear10PercentEvery1Minute`, `Linear10PercentEvery3Minutes`, or the forms `CanaryXPercentYMinutes` and `LinearXPercentEveryYMinutes`; each ends in a promote. Used by canary; promote refuses it (promote moves all traffic at once), and other modes ignore it (a warning if malformed). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'bake-time',
    description:
      "How long to hold each step while watching alarms and the canary's targets, e.g. `90s`, `5m`, `1h`. Used by canary; other modes ignore it (a warning if malformed). Default the strategy's own bake time, else 0.",
    required: false,
    default: ''
  },
  {
    name: 'alarms',
    description:
      "CloudWatch alarm names, separated by newlines or commas. Before every shift that raises the canary's share and throughout each bake, an alarm in ALARM rolls the canary back and fails the step; status shows their states. Used by canary, promote and status; other modes ignore it (a warning if malformed). Default none.",
    required: false,
    default: ''
  },
  {
    name: 'alarm-prefix',
    description:
      'Also gate on every CloudWatch alarm whose name starts with this. Used by canary, promote and status; other modes ignore it. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'treat-missing-alarm-data-as-failure',
    description:
      'Count INSUFFICIENT_DATA as a firing alarm. Used by canary and promote; other modes ignore it (a warning if malformed). Default `false` (reported, treated as OK).',
    required: false,
    default: 'false'
  },
  {
    name: 'on-cancel',
    description:
      'What a cancelled canary run does: `rollback` (all traffic to the stable colour before the process exits) or `hold` (leave the weights). Used by canary; other modes ignore it (a warning if malformed). Default `rollback`.',
    required: false,
    default: 'rollback'
  },
  {
    name: 'test-header',
    description:
      '`Name: value`; a rule above the weighted one sends requests carrying this header to the canary only. Promote and rollback remove the rule without it. Used by canary; other modes ignore it (a warning if malformed). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'test-query',
    description:
      '`key=value`; like `test-header`, for a query string parameter. Used by canary; other modes ignore it (a warning if malformed). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'test-rule-priority',
    description:
      'Priority of the test rule. Used by canary; other modes ignore it (a warning if malformed). Default the first free priority above the weighted rule.',
    required: false,
    default: ''
  },
  {
    name: 'test-listener-arn',
    description:
      'A second listener whose default forward goes to the canary group while a canary runs and to the stable group after promote or rollback. Used by canary, promote and rollback; other modes ignore it (a warning if malformed). With `production-listener-arn`, the listener that swaps with it (every mode reads it): it forwards to the colour that is not stable. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'scale-down-after-promote',
    description:
      'After a promote (mode promote, or a canary walk that ends at 100), scale the previous stable task set to 0 %. Used by canary and promote; other modes ignore it (a warning if malformed). Default `false`.',
    required: false,
    default: 'false'
  },
  {
    name: 'undo-promotion',
    description:
      'Give traffic and the tag back to the colour that was stable before the last promote (scaling its task set back to 100 % and waiting for it to be healthy if needed). Used by rollback; `true` with another mode is refused, any other value is ignored there (a warning if malformed). Default `false`.',
    required: false,
    default: 'false'
  },
  {
    name: 'github-token',
    description:
      "Token for GitHub Deployments, used only when `environment` is set; it needs `deployments: write`. Used by canary, deploy, promote and rollback; other modes ignore it. Default `${{ github.token }}`, the workflow's token (the command line reads GITHUB_TOKEN).",
    required: false,
    default: '${{ github.token }}'
  },
  {
    name: 'environment',
    description:
      'GitHub environment to record deployments for, e.g. `production`: a canary or a deploy creates a deployment for the version it brings, its status follows the run (`in_progress`, `success`, `failure` with the reason), promote and rollback update the same deployment, and the version a promote replaced becomes `inactive`. A token without `deployments: write` gives a warning, never a failed step. Used by canary, deploy, promote and rollback; other modes ignore it. Default none (off).',
    required: false,
    default: ''
  },
  {
    name: 'environment-url',
    description:
      "URL shown with the environment's deployments, e.g. `https://shop.example.com`. Used by canary, deploy and promote; other modes ignore it (a warning if malformed). Default none.",
    required: false,
    default: ''
  },
  {
    name: 'image',
    description:
      'The new container image, `registry/repo:tag` or `registry/repo@sha256:…`. An image in Amazon ECR must exist there and is pinned to its digest. Used by canary and deploy; other modes ignore it (a warning if malformed). Default none (no deploy).',
    required: false,
    default: ''
  },
  {
    name: 'container-name',
    description:
      "The container that gets `image`. Used by canary and deploy; other modes ignore it (a warning if malformed). Default the container named in the canary task set's load balancer entry.",
    required: false,
    default: ''
  },
  {
    name: 'task-definition',
    description:
      'Instead of (or, for a file, with) `image`: an existing task definition (`family:revision` or ARN), or the path of a task definition JSON file in the workspace. Used by canary and deploy; other modes ignore it (a warning if malformed). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'replace-live-canary',
    description:
      'When the canary colour carries traffic, take its share to 0 before replacing its version, instead of refusing. Used by canary and deploy; other modes ignore it (a warning if malformed). Default `false`.',
    required: false,
    default: 'false'
  },
  {
    name: 'stack-parameters',
    description:
      "The stack's names for the template's parameters, as `Key=Name` pairs (keys `BlueImage`, `GreenImage`, `StableColor`, `BlueWeight`, `GreenWeight`). Used by canary and deploy; other modes ignore it (a warning if malformed). Default the names of templates/ecs-canary.yaml.",
    required: false,
    default: ''
  },
  {
    name: 'promote-image-tag',
    description:
      'After a promote (mode promote, or a canary walk that ends at 100), add this tag (e.g. `production`) to the promoted image in ECR. Used by canary and promote; other modes ignore it (a warning if malformed). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'analysis',
    description:
      "Canary analysis from the load balancer's own per-target-group metrics (GetMetricData on AWS/ApplicationELB): `true`, or `key: value` lines (or a JSON object) overriding the defaults `error-rate-points: 1`, `error-rate-ratio: 2` (fail when the canary's 5xx rate is more than 1 point and 2× above stable's), `p99-ratio: 1.5` and `p99-min-increase: 50ms` (fail when its p99 response time is more than 1.5× stable's and 50 ms above it), `min-requests: 50` (fewer canary requests is inconclusive), `window: 2m` (the span judged), `delay: 1m` (CloudWatch's publication delay: the window ends this long ago), `max-wait: 5m` (how long a step is held past its bake for a verdict) and `on-inconclusive: fail` (or `pass`). A failed verdict rolls back like a firing alarm. Used by canary; other modes ignore it (a warning if malformed). Default `false`.",
    required: false,
    default: 'false'
  },
  {
    name: 'smoke-url',
    description:
      'Before the first production shift, send `smoke-count` requests to this path on the load balancer (e.g. `/health`) or full URL through the test route (`test-header`, `test-query` or `test-listener-arn`); any that fails removes test traffic and fails the step before production traffic moves. Used by canary; other modes ignore it (a warning if malformed). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'smoke-expect-status',
    description:
      'The statuses a smoke request must answer, codes or classes separated by commas (e.g. `200,204`). Used by canary; other modes ignore it (a warning if malformed). Default `2xx`.',
    required: false,
    default: '2xx'
  },
  {
    name: 'smoke-expect-body',
    description:
      "Text every smoke response's body must contain. Used by canary; other modes ignore it (a warning if malformed). Default none.",
    required: false,
    default: ''
  },
  {
    name: 'smoke-timeout',
    description:
      'How long each smoke request may take. Used by canary; other modes ignore it (a warning if malformed). Default `5s`.',
    required: false,
    default: '5s'
  },
  {
    name: 'smoke-count',
    description:
      'How many smoke requests to send. Used by canary; other modes ignore it (a warning if malformed). Default `20`.',
    required: false,
    default: '20'
  },
  {
    name: 'hook-after-test-traffic',
    description:
      'Lambda function (name or ARN) invoked once test traffic reaches the canary, before any production traffic; it returns `{"hookStatus": "SUCCEEDED" | "FAILED" | "IN_PROGRESS", "callBackDelay": seconds}` as ECS lifecycle hooks do, and is invoked again while in progress. Used by canary; other modes ignore it (a warning if malformed). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'hook-before-traffic',
    description:
      'Lambda function invoked before the first production shift, after the smoke check and the after-test-traffic hook. Used by canary; other modes ignore it (a warning if malformed). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'hook-after-traffic',
    description:
      "Lambda function invoked after each production shift, when the step's bake is over; FAILED rolls back. Used by canary; other modes ignore it (a warning if malformed). Default none.",
    required: false,
    default: ''
  },
  {
    name: 'hook-timeout',
    description:
      'How long a hook may stay IN_PROGRESS before it counts as failed. Used by canary; other modes ignore it (a warning if malformed). Default `10m`.',
    required: false,
    default: '10m'
  },
  {
    name: 'blue-service',
    description:
      'The ECS service that runs Blue, when each colour is a service of its own (ECS deployment controller) instead of a task set; set with `green-service`. Its target group or service-discovery name is its own. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'green-service',
    description:
      'The ECS service that runs Green; set with `blue-service`. The stable colour stays in the `tag-key` tag of `service`, copied to both colour services. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'hosted-zone-id',
    description:
      'Route 53 hosted zone of the weighted records that share traffic between `blue-service` and `green-service` (instead of a load balancer rule). Default none.',
    required: false,
    default: ''
  },
  {
    name: 'record-name',
    description:
      'Name of the weighted records in `hosted-zone-id`, e.g. `shop.example.com`. Required with `hosted-zone-id`. Default none.',
    required: false,
    default: ''
  },
  {
    name: 'record-type',
    description:
      'Type of the weighted records (A, AAAA, CNAME…). Default: the type the records have (refused when the set identifiers are weighted in more than one type).',
    required: false,
    default: ''
  },
  {
    name: 'blue-set-identifier',
    description: "Set identifier of Blue's weighted record. Default `Blue`.",
    required: false,
    default: 'Blue'
  },
  {
    name: 'green-set-identifier',
    description: "Set identifier of Green's weighted record. Default `Green`.",
    required: false,
    default: 'Green'
  },
  {
    name: 'workload',
    description:
      'What runs the colours. `auto` (default): task sets when the inputs name a stack, target groups, task sets or a route; otherwise the service decides: an ECS (rolling) controller service with a load balancer gets standalone canary tasks in its own target group, an EXTERNAL one needs the inputs above. `task-sets` or `standalone-task` names it. Read by every mode. Default `auto`.',
    required: false,
    default: 'auto'
  },
  {
    name: 'canary-tasks',
    description:
      "Standalone canary tasks a canary starts beside a rolling service (RunTask, with the service's network configuration). At most the service's desired count; shares are whole tasks, k / (k + service tasks), e.g. 33.3 for 1 beside 2. Used by canary and deploy; other modes ignore it (a warning if malformed). Default `1`.",
    required: false,
    default: '1'
  },
  {
    name: 'deregistration-timeout-seconds',
    description:
      "The longest wait for deregistered canary targets to drain before their tasks are stopped (the target group's deregistration delay, capped by this). Used by canary, deploy, promote and rollback; status ignores it. Default `300`.",
    required: false,
    default: '300'
  }
]
