import { otherColor, type Color, type PerColor } from '../color.js'
import { versionOf } from '../promotion-record.js'

/** What tells the colours apart on a rolling service with standalone canary tasks. */
export interface ColorFacts {
  /** The colour the stable tag names (Blue when the tag is absent). */
  stable: Color
  /** The task definition the service's primary deployment runs. */
  serviceTaskDefinition: string
  /** The canary tasks' task definition, when any canary task runs. */
  canaryTaskDefinition?: string
  /** The colour and version (`family:revision`) the last deploy recorded. */
  deployed?: { color: Color; version: string }
  /** The revision the service ran before the last promote rolled it (trusted already). */
  previousRevision?: string
}

export interface ColorAssignment {
  /** The colour whose revision the service runs: the stable one, until a promote rolls it. */
  serviceColor: Color
  /** Each colour's revision (`family:revision` or an ARN), when known. */
  revisions: PerColor<string | undefined>
}

/**
 * Which colour the service's own tasks are, pure. The canary colour's revision is what its tasks
 * run, else what the last deploy put there, else what the service ran before the last promote
 * (what an undo goes back to). The service is the canary colour once it runs that revision: a
 * promote that rolled the service and stopped before its tag is then seen as all traffic on the
 * canary, which its rerun finishes by writing the tag.
 */
export function assignColors(facts: ColorFacts): ColorAssignment {
  const canary = otherColor(facts.stable)
  const recorded = (color: Color) =>
    facts.deployed?.color === color ? facts.deployed.version : undefined
  const service = facts.serviceTaskDefinition
  const canaryRevision = facts.canaryTaskDefinition ?? recorded(canary) ?? facts.previousRevision
  if (canaryRevision !== undefined && sameVersion(canaryRevision, service)) {
    const before =
      facts.previousRevision && !sameVersion(facts.previousRevision, service)
        ? facts.previousRevision
        : undefined
    const stableRevision = recorded(facts.stable) ?? before
    return {
      serviceColor: canary,
      revisions: { [canary]: service, [facts.stable]: stableRevision } as PerColor<
        string | undefined
      >
    }
  }
  return {
    serviceColor: facts.stable,
    revisions: { [facts.stable]: service, [canary]: canaryRevision } as PerColor<string | undefined>
  }
}

/** Two references to the same revision: ARNs and `family:revision` compare by the latter. */
export function sameVersion(a: string, b: string): boolean {
  return versionOf(a) === versionOf(b)
}
