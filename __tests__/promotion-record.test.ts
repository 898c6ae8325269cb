/** src/promotion-record.ts: the promote's record as a tag value, and which versions it rules out. */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  formatRecord,
  parseRecord,
  recordTime,
  replacedVersion,
  versionOf,
  type PromotionRecord
} from '../src/promotion-record.js'

const version = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), fc.integer({ min: 1, max: 99999 }))
  .map(([family, revision]) => `${family}:${revision}`)

describe('the record tag', () => {
  it.each([
    [
      'web:42 replaced web:41 at 2026-11-23T10:00:00Z',
      { promoted: 'web:42', replaced: 'web:41', at: '2026-11-23T10:00:00Z' }
    ],
    ['web:42', { promoted: 'web:42' }],
    ['  web:42 replaced web:41  ', { promoted: 'web:42', replaced: 'web:41' }],
    ['web', undefined],
    ['web:42 replaced', undefined],
    ['web:42 at yesterday', undefined],
    ['', undefined]
  ])('parses %j', (text, expected) => {
    expect(parseRecord(text)).toEqual(expected)
  })

  it('reads back what it writes, and writes only characters ECS allows in a tag value', () => {
    fc.assert(
      fc.property(
        version,
        fc.option(version, { nil: undefined }),
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('9999-01-01') }),
        (promoted, replaced, when) => {
          const record: PromotionRecord = {
            promoted,
            ...(replaced ? { replaced } : {}),
            at: recordTime(when.getTime())
          }
          const text = formatRecord(record)
          expect(text).toMatch(/^[A-Za-z0-9 +\-=._:/@]{1,256}$/)
          expect(parseRecord(text)).toEqual(record)
        }
      )
    )
  })

  it('writes no record that would not fit in a tag', () => {
    const long = `${'f'.repeat(200)}:1`
    expect(formatRecord({ promoted: long, replaced: long })).toBeUndefined()
  })

  it('takes the version from a task definition ARN', () => {
    expect(versionOf('arn:aws:ecs:us-east-1:123456789012:task-definition/web:42')).toBe('web:42')
  })
})

describe('replacedVersion', () => {
  const record = { promoted: 'web:42', replaced: 'web:41', at: '2026-11-23T10:00:00Z' }
  it.each([
    ['web:41', 'web:41, the version that web:42 replaced on 2026-11-23 10:00 UTC'],
    ['web:7', 'web:7, older than web:42, which was promoted on 2026-11-23 10:00 UTC'],
    ['web:42', undefined],
    ['web:43', undefined],
    ['api:1', undefined],
    ['web-old:41', undefined]
  ])('%s', (canary, expected) => {
    expect(replacedVersion(canary, record)).toBe(expected)
  })

  it('rules out nothing without a record or a version', () => {
    expect(replacedVersion('web:1', undefined)).toBeUndefined()
    expect(replacedVersion(undefined, record)).toBeUndefined()
  })
})
