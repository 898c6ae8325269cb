import type { PerColor } from './color.js'

/**
 * Every failure the action expects has a class of its own, so callers branch on `instanceof`
 * and the runner shows one message that says what is wrong and how to fix it.
 */
export class ActionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = new.target.name
  }
}

/** An input is missing, malformed or contradicts another input. Raised before any AWS call. */
export class InputError extends ActionError {}

/** AWS answered, but the service, stack, rule or tag is not in the shape the action needs. */
export class StateError extends ActionError {}

/** A resource the inputs name does not exist. */
export class NotFoundError extends StateError {}

/** Rule discovery found no weighted rule, or more than one. */
export class RuleDiscoveryError extends StateError {}

/** A service tag or input names a test rule or listener the action may not change. */
export class TestRouteError extends StateError {}

/** The route read back after the write does not carry the split the action wrote. */
export class VerificationError extends ActionError {
  constructor(
    message: string,
    /** The split the read-back found. */
    readonly live: PerColor<number>
  ) {
    super(message)
  }
}

/** IAM denied a call; the message names the IAM action to allow. */
export class AccessDeniedError extends ActionError {
  constructor(
    readonly iamAction: string,
    detail: string
  ) {
    super(
      `Access denied: the role this job runs as is not allowed to call ${iamAction}. ` +
        `Allow ${iamAction} in its IAM policy (docs/iam-policy.json lists every call the action makes). ` +
        `AWS said: ${detail}`
    )
  }
}

/** No usable credentials were found in the standard AWS chain. */
export class CredentialsError extends ActionError {}

/** Any other AWS failure, named by the call that failed. */
export class AwsCallError extends ActionError {
  constructor(
    readonly iamAction: string,
    readonly code: string,
    detail: string,
    message = `${iamAction} failed: ${code}: ${detail}`
  ) {
    super(message)
  }
}

/** AWS still throttled a call after the SDK's retries; the action stops there. */
export class ThrottledError extends AwsCallError {}

/** The connection to an AWS endpoint failed (reset, refused, timed out) on every attempt. */
export class ConnectionError extends AwsCallError {}

/** Promote moved the traffic but could not write the stable tag; running promote again finishes it. */
export class IncompletePromotionError extends ActionError {}

/** The run was cancelled (SIGINT/SIGTERM from the runner). */
export class CancelledError extends ActionError {}

/**
 * A cancel ended a wait after a write that AWS carries on by itself (a service's rollout, targets
 * draining). Nothing is rolled back over it: its message says what goes on, what is true now and
 * what to run.
 */
export class InterruptedWaitError extends ActionError {
  constructor(
    message: string,
    /** The writes made before the wait, one line each, for the run's account of its writes. */
    readonly written: readonly string[] = []
  ) {
    super(message)
  }
}

/**
 * A change of several writes failed after some of them were made (a promote's tag, then its
 * UpdateService, then a rollout the circuit breaker rolled back): `written` says which, so the
 * run reports them instead of claiming it wrote nothing.
 */
export class PartialWriteError extends StateError {
  constructor(
    message: string,
    readonly written: readonly string[]
  ) {
    super(message)
  }
}

/** The writes an error says were made before it, when it is one that knows. */
export function writtenBefore(error: unknown): readonly string[] {
  return error instanceof PartialWriteError || error instanceof InterruptedWaitError
    ? error.written
    : []
}

/** The plan asks for something the deployment shape cannot do (a share its router cannot set). */
export class PlanError extends ActionError {}

/** A gate judged the canary bad (or timed out waiting for it); the executor rolls back. */
export class GateFailure extends ActionError {}

/** Another live run holds the service's lease: this run refuses before its first change. */
export class LeaseHeldError extends StateError {}

/** Another run took the lease, or changed traffic or the tag, while this run was working. */
export class ConcurrentRunError extends ActionError {
  constructor(
    message: string,
    /** True when the run that took over is a rollback: this run rolls back too. */
    readonly byRollback: boolean
  ) {
    super(message)
  }
}

/**
 * A write to routes that move in lockstep failed on some of them. The message says which, and
 * whether the ones written were put back; `cause` is the first failure.
 */
export class LockstepWriteError extends ActionError {
  constructor(message: string, cause: unknown) {
    super(message)
    this.cause = cause
  }
}

/** What a caught value says: its message when it is an Error, else its text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A message as a sentence: trimmed, with a full stop added unless it ends in one. */
export function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
