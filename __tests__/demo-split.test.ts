import { describe, expect, it } from '@jest/globals'
import { versionSplit } from '../sandbox/demo.js'

describe('versionSplit: the split the two-version demos print and check', () => {
  it.each([
    [
      { '1.0.0': 400 },
      0,
      true,
      'intended 1.0.0 100% / 1.0.1 0%   observed 1.0.0 100.0% / 1.0.1 0.0% of 400 requests   ok'
    ],
    [
      { '1.0.0': 268, '1.0.1': 132 },
      33.3,
      true,
      'intended 1.0.0 66.7% / 1.0.1 33.3%   observed 1.0.0 67.0% / 1.0.1 33.0% of 400 requests   ok'
    ],
    [
      { '1.0.0': 399, '1.0.1': 1 },
      0,
      false,
      'intended 1.0.0 100% / 1.0.1 0%   observed 1.0.0 99.8% / 1.0.1 0.3% of 400 requests   OFF'
    ],
    [
      { '1.0.0': 300, '1.0.1': 100 },
      50,
      false,
      'intended 1.0.0 50% / 1.0.1 50%   observed 1.0.0 75.0% / 1.0.1 25.0% of 400 requests   OFF'
    ],
    [
      { '1.0.0': 200, '1.0.1': 190, error: 10 },
      50,
      false,
      'intended 1.0.0 50% / 1.0.1 50%   observed 1.0.0 50.0% / 1.0.1 47.5% of 400 requests   OFF'
    ]
  ])('%j at %s %% is ok=%s', (counts, intended, ok, line) => {
    expect(versionSplit(counts, 400, intended)).toEqual({ ok, line })
  })
})
