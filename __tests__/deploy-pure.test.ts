/**
 * The pure parts of a deploy: image references, the canary's revision, the stack parameters, the
 * deploy record and the promote a deploy makes possible. Tables for the cases that matter,
 * properties for the invariants.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { chooseRevision } from '../src/deploy/choose-revision.js'
import { parameterNames } from '../src/deploy/deploy-inputs.js'
import { formatDeployRecord, parseDeployRecord } from '../src/deploy/deploy-record.js'
import { parseImageRef, pinned } from '../src/deploy/image-ref.js'
import { promotedImages } from '../src/deploy/promote-tag.js'
import {
  parseRevisionFile,
  revisionOf,
  sameRevision,
  withImage,
  type Revision
} from '../src/deploy/revision.js'
import { liveWeights, planStackParameters } from '../src/deploy/stack-parameters.js'
import { InputError, StateError } from '../src/errors.js'
import { planRun, type PlanState } from '../src/plan.js'
import { thrown } from '../__fixtures__/thrown.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'

describe('parseImageRef', () => {
  it.each([
    [
      `${ECR}/web:1.4.2`,
      {
        name: `${ECR}/web`,
        tag: '1.4.2',
        ecr: { registryId: '123456789012', region: 'eu-west-1', repository: 'web' }
      }
    ],
    [`${ECR}/team/web@${DIGEST}`, { digest: DIGEST, ecr: { repository: 'team/web' } }],
    [`${ECR}/web:1@${DIGEST}`, { tag: '1', digest: DIGEST }],
    ['ghcr.io/org/web:2', { name: 'ghcr.io/org/web', tag: '2' }],
    ['localhost:5000/web:dev', { name: 'localhost:5000/web', tag: 'dev' }],
    ['nginx:1.27', { name: 'nginx', tag: '1.27' }]
  ])('%s', (text, expected) => {
    const ref = parseImageRef(text)
    expect(ref).toMatchObject(expected)
    expect(ref.ecr !== undefined).toBe(text.includes('.dkr.ecr.'))
  })

  it.each([
    ['web', 'no tag or digest'],
    ['Web:1', 'lower-case'],
    ['web@sha256:abc', 'not a sha256 digest'],
    ['web:-x', 'not a valid tag'],
    ['web :1', 'no spaces'],
    [`${ECR}/:1`, 'lower-case']
  ])('%s is refused: %s', (text, why) => {
    const error = thrown(InputError, () => parseImageRef(text))
    expect(error.message).toContain(`"image" is "${text}"`)
    expect(error.message).toContain(why)
  })

  const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8})?$/)
  const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/)
  const digest = fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`)

  it('an ECR reference with a tag parses, and pinning it gives the digest form (property)', () => {
    fc.assert(
      fc.property(
        fc.array(component, { minLength: 1, maxLength: 3 }),
        tag,
        digest,
        (path, t, d) => {
          const ref = parseImageRef(`${ECR}/${path.join('/')}:${t}`)
          expect(ref.ecr?.repository).toBe(path.join('/'))
          expect(ref.tag).toBe(t)
          const again = parseImageRef(pinned(ref, d))
          expect(again).toMatchObject({ digest: d, name: ref.name, ecr: ref.ecr })
          expect(again.tag).toBeUndefined()
        }
      )
    )
  })

  it('never throws anything but an InputError (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseImageRef(text)
        } catch (error) {
          expect(error).toBeInstanceOf(InputError)
        }
      })
    )
  })
})

const base: Revision = {
  family: 'web',
  containerDefinitions: [
    { name: 'app', image: 'web:1', essential: true },
    { name: 'log', image: 'fluent:2' }
  ],
  cpu: '256',
  memory: '512',
  tags: [{ key: 'team', value: 'payments' }]
}

describe('the canary revision', () => {
  it('keeps every field and tag, replacing only the named container image', () => {
    expect(withImage(base, 'app', 'web:2')).toEqual({
      ...base,
      containerDefinitions: [
        { name: 'app', image: 'web:2', essential: true },
        { name: 'log', image: 'fluent:2' }
      ]
    })
  })

  it('refuses a container the revision does not have, naming those it has', () => {
    const error = thrown(StateError, () => withImage(base, 'web', 'web:2'))
    expect(error.message).toContain('no container "web" (its containers: app, log)')
  })

  it('drops the read-only fields of a described task definition', () => {
    const described = {
      ...base,
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:3',
      revision: 3,
      status: 'ACTIVE',
      compatibilities: ['FARGATE'],
      requiresAttributes: [],
      registeredAt: new Date(0),
      registeredBy: 'me'
    }
    expect(revisionOf(described, base.tags)).toEqual(base)
  })

  it('is the same whatever the key order and the empty defaults ECS adds (property)', () => {
    const withDefaults = (r: Revision): Revision => ({
      ...(Object.fromEntries(Object.entries(r).reverse()) as Revision),
      volumes: [],
      placementConstraints: [],
      containerDefinitions: r.containerDefinitions?.map((c) => ({
        mountPoints: [],
        environment: [],
        ...c
      }))
    })
    fc.assert(
      fc.property(fc.string(), fc.string(), (image, other) => {
        const a = withImage(base, 'app', image)
        expect(sameRevision(a, withDefaults(a))).toBe(true)
        expect(sameRevision(a, withImage(base, 'app', other))).toBe(image === other)
      })
    )
  })

  it.each([
    ['not JSON', '{', 'is not JSON'],
    ['not a task definition', '{"family":"web"}', 'is not a task definition'],
    [
      'containers without names',
      '{"family":"web","containerDefinitions":[{}]}',
      'not a task definition'
    ]
  ])('a file that is %s is refused', (_name, text, why) => {
    expect(thrown(InputError, () => parseRevisionFile(text, 'td.json')).message).toContain(why)
  })

  it('reads a rendered file (the Describe answer form) without its read-only fields', () => {
    const { tags, ...definition } = base
    const text = JSON.stringify({
      taskDefinition: { ...definition, revision: 4, status: 'ACTIVE' },
      tags
    })
    expect(parseRevisionFile(text, 'td.json')).toEqual(base)
    expect(parseRevisionFile(JSON.stringify(base), 'td.json')).toEqual(base)
  })
})

describe('chooseRevision', () => {
  const canary = { arn: 'arn:td/web:2', revision: withImage(base, 'app', 'web:2') }

  it.each([
    [
      'a new image: register the base with it',
      { base, stableFamily: 'web', image: 'web:3', container: 'app', canary },
      { register: withImage(base, 'app', 'web:3'), inPlace: false, oldImage: 'web:2' }
    ],
    [
      'the image the canary runs: nothing to register',
      { base, stableFamily: 'web', image: 'web:2', container: 'app', canary },
      { use: 'arn:td/web:2', inPlace: true }
    ],
    [
      'a named revision without an image: run it as it is',
      { base, baseArn: 'arn:td/web:1', stableFamily: 'web', canary },
      { use: 'arn:td/web:1', inPlace: false }
    ],
    [
      'the revision the canary runs, named: in place',
      { base, baseArn: 'arn:td/web:2', stableFamily: 'web', canary },
      { use: 'arn:td/web:2', inPlace: true }
    ]
  ])('%s', (_name, facts, expected) => {
    const choice = chooseRevision(facts)
    expect(choice).toMatchObject(expected)
    if (!('register' in expected)) expect(choice.register).toBeUndefined()
  })

  it('refuses an image with a named revision of another family', () => {
    const error = thrown(StateError, () =>
      chooseRevision({
        base,
        baseArn: 'arn:td/api:1',
        stableFamily: 'web',
        image: 'x:1',
        container: 'app'
      })
    )
    expect(error.message).toContain('names api, but the colours run family web')
  })
})

describe('stack parameters', () => {
  const names = parameterNames('')
  const current = [
    { ParameterKey: 'BlueImage', ParameterValue: 'web:1' },
    { ParameterKey: 'GreenImage', ParameterValue: 'web:2' },
    { ParameterKey: 'StableColor', ParameterValue: 'Blue' },
    { ParameterKey: 'BlueWeight', ParameterValue: '100' },
    { ParameterKey: 'GreenWeight', ParameterValue: '0' },
    { ParameterKey: 'Subnets', ParameterValue: 'subnet-1' }
  ]

  it('changes only the canary image when the live state matches the parameters', () => {
    const change = planStackParameters('s', current, names, {
      stable: 'Blue',
      canary: 'Green',
      split: { Blue: 1000, Green: 0 },
      image: 'web:3'
    })
    expect(change.changes).toEqual(['GreenImage: web:2 → web:3'])
    expect(change.oldImage).toBe('web:2')
    expect(change.parameters.filter((p) => 'ParameterValue' in p)).toEqual([
      { ParameterKey: 'GreenImage', ParameterValue: 'web:3' }
    ])
  })

  it('passes the live stable colour and weights when the action moved them since', () => {
    const change = planStackParameters('s', current, names, {
      stable: 'Green',
      canary: 'Blue',
      split: { Blue: 0, Green: 1000 },
      image: 'web:3'
    })
    expect(change.changes).toEqual([
      'BlueImage: web:1 → web:3',
      'StableColor: Blue → Green',
      'BlueWeight: 100 → 0',
      'GreenWeight: 0 → 1'
    ])
  })

  it('names the parameters a stack lacks, with their mapping', () => {
    const error = thrown(StateError, () =>
      planStackParameters('s', current, parameterNames('GreenImage=WebGreen'), {
        stable: 'Blue',
        canary: 'Green',
        split: { Blue: 1000, Green: 0 },
        image: 'x:1'
      })
    )
    expect(error.message).toContain('no parameter WebGreen (for GreenImage)')
  })

  it('live weights give the live split, and keep the previous values when they do (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        (green, b, g) => {
          const split = { Blue: 1000 - green, Green: green }
          const weights = liveWeights(split, b, g)
          const total = weights.Blue + weights.Green
          expect(total).toBeGreaterThan(0)
          expect((weights.Green * 1000) / total).toBeCloseTo(green, 6)
          if (b + g > 0 && (g * 1000) / (b + g) === green)
            expect(weights).toEqual({ Blue: b, Green: g })
        }
      )
    )
  })
})

describe('deploy record', () => {
  it('round-trips (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Blue' as const, 'Green' as const),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.integer({ min: 1, max: 99999 }),
        fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }),
        (color, family, revision, hex) => {
          const record = {
            color,
            version: `${family}:${revision}`,
            at: '2026-11-23T10:00:00Z',
            ...(hex ? { digest: `sha256:${hex}` } : {})
          }
          expect(parseDeployRecord(formatDeployRecord(record))).toEqual(record)
        }
      )
    )
  })

  it.each(['', 'Green', 'Red web:1 at 2026-11-23T10:00:00Z', 'Green web:1'])(
    '"%s" is not a record',
    (text) => {
      expect(parseDeployRecord(text)).toBeUndefined()
    }
  )

  it('the promoted images are the deployed one, when the revision has it', () => {
    const images = [`${ECR}/web@${DIGEST}`, `${ECR}/fluent:2`]
    expect(promotedImages(images, DIGEST)).toEqual([images[0]])
    expect(promotedImages(images, undefined)).toEqual(images)
  })
})

describe('promote with the canary at 0 %', () => {
  const state = (extra: Partial<PlanState>): PlanState => ({
    stable: 'Blue',
    split: { Blue: 1000, Green: 0 },
    previousTag: 'StableStackPrevious',
    versions: { Blue: 'web:1', Green: 'web:2' },
    retired: { Blue: false, Green: false },
    recordTag: 'StableStackPromotion',
    ...extra
  })
  const promote = (s: PlanState) =>
    planRun(
      {
        mode: 'promote',
        schedule: { steps: [1000], bakeMs: 0, source: 'canary-weight', walk: false },
        undoPromotion: false,
        scaleDownAfterPromote: false
      },
      s,
      (share) => [share]
    )

  it.each([
    [
      'a deploy put the version Green runs there: promoted',
      { deployed: { color: 'Green' as const, version: 'web:2' } },
      1
    ],
    ['no deploy record: nothing to promote', {}, 0],
    [
      'the record names another version: nothing to promote',
      { deployed: { color: 'Green' as const, version: 'web:9' } },
      0
    ],
    [
      'the record names the stable colour (a finished promote): nothing',
      { deployed: { color: 'Blue' as const, version: 'web:1' } },
      0
    ],
    [
      'the deployed version was promoted already: nothing',
      { deployed: { color: 'Green' as const, version: 'web:2' }, record: { promoted: 'web:2' } },
      0
    ],
    [
      'the deployed version is one a promote replaced: nothing to deploy',
      {
        deployed: { color: 'Green' as const, version: 'web:2' },
        record: { promoted: 'web:3', replaced: 'web:2' }
      },
      0
    ]
  ])('%s', (_name, extra, steps) => {
    const plan = promote(state(extra))
    expect(plan.steps.filter((s) => s.tag === 'Green')).toHaveLength(steps)
    if (steps === 1) {
      expect(plan.splitAfter).toEqual({ Blue: 0, Green: 1000 })
      expect(plan.steps[0].gate).toBe(true)
    }
  })
})
