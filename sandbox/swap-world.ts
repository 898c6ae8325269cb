/**
 * The listener swap between two services (the `swap-services` world variant): the default
 * world's load balancer with its production listener (HTTP:80) and a test listener (HTTP:8443),
 * both forwarding to blue-tg as a new setup starts, and two services of the ECS controller in
 * place of the task sets: `web-blue` (myapp:1, 1.0.0) registered in blue-tg and `web-green`
 * (myapp:2, 1.0.1) in green-tg. Blue is stable: `web-blue` carries the StableStack tag. The
 * stack is gone: a run names the listeners, the services and the target groups.
 */
import { BLUE_SERVICE, GREEN_SERVICE } from './route53-world.js'
import { ecsArn, findTargetGroup, type ServiceState, type World } from './world.js'

export { BLUE_SERVICE, GREEN_SERVICE }

export function addSwapServicesShape(w: World): void {
  const created = Date.parse('2026-01-01T00:00:00Z')
  const groups = {
    Blue: findTargetGroup(w, 'blue-tg')!.arn,
    Green: findTargetGroup(w, 'green-tg')!.arn
  }
  const service = (name: string, revision: number, group: string, stable: boolean) =>
    ({
      name,
      arn: ecsArn(w.region, w.accountId, `service/mycluster/${name}`),
      clusterName: 'mycluster',
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      rolloutState: 'COMPLETED',
      deploymentController: 'ECS',
      taskDefinition: ecsArn(w.region, w.accountId, `task-definition/myapp:${revision}`),
      loadBalancers: [{ targetGroupArn: group, containerName: 'app', containerPort: 80 }],
      tags: stable ? [{ key: 'StableStack', value: 'Blue' }] : [],
      taskSets: [],
      createdAt: created
    }) satisfies ServiceState
  w.services = [
    service(BLUE_SERVICE, 1, groups.Blue, true),
    service(GREEN_SERVICE, 2, groups.Green, false)
  ]
  w.stacks = []
}
