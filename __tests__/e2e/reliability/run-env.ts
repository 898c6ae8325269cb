/**
 * The workflow context a runner gives each job, as the action would see it: a rerun of a job keeps
 * GITHUB_RUN_ID and raises GITHUB_RUN_ATTEMPT; another job has another run id. Run ids are made
 * here, so the snapshot can take them out of tag values (a lease or a record naming its run).
 */
const issued: string[] = []

/** A fresh run id, shaped like GitHub's (11 digits). */
export function newRunId(): string {
  const id = String(17_000_000_000 + issued.length + 1)
  issued.push(id)
  return id
}

/** Every run id handed out so far in this process. */
export function issuedRunIds(): readonly string[] {
  return issued
}

/**
 * The GITHUB_* variables of one attempt of a job (a fresh run id when `runId` is 'new'), and the
 * access key it signs with: the sandbox logs it, which tells two jobs' requests apart.
 */
export function runEnv(runId: string, attempt: number, caller = 'test'): Record<string, string> {
  const id = runId === 'new' ? newRunId() : runId
  return {
    GITHUB_RUN_ID: id,
    GITHUB_RUN_ATTEMPT: String(attempt),
    GITHUB_JOB: 'deploy',
    GITHUB_REPOSITORY: 'octo-org/myservice',
    GITHUB_SERVER_URL: 'https://github.com',
    AWS_ACCESS_KEY_ID: caller
  }
}
