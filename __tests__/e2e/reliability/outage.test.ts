/**
 * Outage matrix: for each scenario and each k from 1 to the writes of its clean run, every write
 * from the kth on fails (HTTP 503, retried by the SDK until it gives up). The run must exit 1 with
 * one error whose last sentence truly says what was and was not changed; once the outage ends,
 * a rerun of the same job must exit 0 and leave the clean run's state.
 */
import { defineMatrix } from './define-matrix.js'

defineMatrix('outage', 'writes fail from write k on, then a rerun once AWS is back')
