/**
 * Crash matrix: for each scenario and each k from 1 to the writes of its clean run, the action is
 * SIGKILLed right after its kth write is applied (before it sees the answer), then the same job is
 * rerun (same GITHUB_RUN_ID, attempt 2). The rerun must exit 0 and leave the clean run's state.
 */
import { defineMatrix } from './define-matrix.js'

defineMatrix('crash', 'crash after write k, then a rerun of the same job')
