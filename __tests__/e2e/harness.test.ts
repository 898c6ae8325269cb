/** The harness's summary parsers: what they read, and that they throw instead of passing vacuously. */
import { describe, expect, it } from '@jest/globals'
import { chartOf, pieOf } from './harness.js'

const PIE = [
  '```mermaid',
  'pie showData title Traffic after this step',
  '    "Blue" : 90',
  '    "Green" : 10',
  '```'
]
const CHART = [
  '```mermaid',
  'xychart-beta',
  '    title "Canary share (%) by step"',
  '    x-axis ["start", "step 1", "rollback"]',
  '    y-axis "percent" 0 --> 100',
  '    line [0, 12.5, 0]',
  '```'
]
const summary = (...blocks: string[][]) =>
  ['## ✅ myservice: canary — changed', ...blocks.map((b) => b.join('\n'))].join('\n\n')

describe('pieOf', () => {
  it('reads the slices', () => {
    expect(pieOf(summary(CHART, PIE))).toEqual({ Blue: 90, Green: 10 })
    expect(pieOf(summary(PIE.filter((line) => !line.includes('Blue'))))).toEqual({ Green: 10 })
  })

  it('throws without a pie, with two, or with a line it cannot read', () => {
    expect(() => pieOf(summary(CHART))).toThrow('expected one mermaid pie block')
    expect(() => pieOf(summary(PIE, PIE))).toThrow('found 2')
    expect(() => pieOf(summary(PIE.map((l) => l.replace('Blue', 'Red'))))).toThrow('"Red" : 90')
  })
})

describe('chartOf', () => {
  it('reads the labels and the points', () => {
    expect(chartOf(summary(PIE, CHART))).toEqual({
      labels: ['start', 'step 1', 'rollback'],
      points: [0, 12.5, 0]
    })
  })

  it('throws without a chart, without a line, or when labels and points do not pair up', () => {
    expect(() => chartOf(summary(PIE))).toThrow('expected one mermaid xychart block')
    expect(() => chartOf(summary(CHART.filter((l) => !l.includes('line'))))).toThrow('no line')
    expect(() => chartOf(summary(CHART.map((l) => l.replace('0, 12.5, 0', '0, 12.5'))))).toThrow(
      'does not pair'
    )
  })
})
