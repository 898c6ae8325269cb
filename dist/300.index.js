export const id = 300;
export const ids = [300];
export const modules = {

/***/ 4023:
/***/ function(__unused_webpack_module, __webpack_exports__, __webpack_require__) {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readStackOutputs: () => (/* binding */ readStackOutputs)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudformation__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3805);
/* harmony import */ var _aws_call_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1373);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);



/** The outputs of a CloudFormation stack, by key. */
async function readStackOutputs(cfn, stackName) {
    const response = await (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_0__/* .awsCall */ .uF)('cloudformation:DescribeStacks', () => cfn.send(new _aws_sdk_client_cloudformation__WEBPACK_IMPORTED_MODULE_2__.DescribeStacksCommand({ StackName: stackName })), (name, message) => name === 'ValidationError' && /does not exist/i.test(message)
        ? new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .NotFoundError */ .m_(`CloudFormation stack "${stackName}" was not found in this account and region. ` +
            'Check "stack-name" and "aws-region".')
        : undefined);
    const stack = response.Stacks?.[0];
    if (!stack)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .NotFoundError */ .m_(`CloudFormation stack "${stackName}" was not found.`);
    const outputs = {};
    for (const output of stack.Outputs ?? []) {
        if (output.OutputKey && output.OutputValue)
            outputs[output.OutputKey] = output.OutputValue;
    }
    return outputs;
}


/***/ },

/***/ 7300:
/***/ function(__unused_webpack_module, __webpack_exports__, __webpack_require__) {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  finishStep: () => (/* binding */ finishStep)
});

// UNUSED EXPORTS: endsNothingWritten, noticeLine

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-elastic-load-balancing-v2/dist-cjs/index.js
var dist_cjs = __webpack_require__(586);
// EXTERNAL MODULE: ./src/aws/ecs-client.ts
var ecs_client = __webpack_require__(1242);
;// CONCATENATED MODULE: ./src/aws/clients.ts


/**
 * `ecs`: the client the run's first request was sent with, when it was made before the rest
 * (ecs-client.ts says why); otherwise one is made on first use.
 *
 * The dynamic imports say `webpackMode: "eager"`: other modules of the rest of the action (the
 * chunk file run-step.ts loads) import these SDKs statically, so they are in that file anyway;
 * the import only defers evaluating them. The SDKs no run needs at start (ECR, Lambda, Route 53)
 * are chunk files of their own instead.
 */
function createClients(region, ecs) {
    const config = (0,ecs_client/* clientConfig */.y)(region);
    let elb;
    let cfn;
    let cloudwatch;
    return {
        get ecs() {
            return (ecs ??= (0,ecs_client/* createEcsClient */.D)(region));
        },
        get elb() {
            return (elb ??= new dist_cjs/* ElasticLoadBalancingV2Client */.MlD(config));
        },
        cfn: () => (cfn ??= Promise.resolve(/* import() eager */).then(__webpack_require__.t.bind(__webpack_require__, 3805, 19)).then((sdk) => new sdk.CloudFormationClient(config))),
        cloudwatch: () => (cloudwatch ??= Promise.resolve(/* import() eager */).then(__webpack_require__.t.bind(__webpack_require__, 4085, 19)).then((sdk) => new sdk.CloudWatchClient(config)))
    };
}

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/color.ts
var src_color = __webpack_require__(8988);
// EXTERNAL MODULE: ./src/shares.ts
var src_shares = __webpack_require__(8855);
;// CONCATENATED MODULE: ./src/execute/journal.ts


/** The last sentence of a failure before the first write, here and in main.ts. */
const NOTHING_WRITTEN = 'No traffic was moved; nothing was written.';
/** The executor's running account of a run; `seal` turns it into an immutable Execution. */
class Journal {
    log;
    steps = [];
    writes = [];
    stable;
    split;
    rolledBack = false;
    constructor(plan, log) {
        this.log = log;
        this.stable = plan.stableBefore;
        this.split = plan.splitBefore;
    }
    get canary() {
        return (0,src_color/* otherColor */.IP)(this.stable);
    }
    wrote(...lines) {
        for (const line of lines) {
            this.writes.push(line);
            this.log.info(line);
        }
    }
    /**
     * What is true now, as the last sentence of a failure message; `leaseLeft` says that the run's
     * lease tag could not be removed, the one write besides those in the journal that stays.
     */
    state(leaseLeft) {
        const lease = leaseLeft ? `${leaseLeft} ` : '';
        if (this.rolledBack)
            return `${lease}Rolled back: all traffic is on ${this.stable} again.`;
        if (this.writes.length === 0) {
            return leaseLeft
                ? `${lease}No traffic was moved; the stable colour is ${this.stable}, and only the lease tag was written.`
                : NOTHING_WRITTEN;
        }
        return `${lease}Traffic is now ${(0,src_shares/* formatSplit */.oe)(this.split)}; the stable colour is ${this.stable}.`;
    }
    seal(failure, error) {
        return Object.freeze({
            steps: Object.freeze(this.steps.map((s) => Object.freeze({ ...s }))),
            writes: Object.freeze([...this.writes]),
            stableAfter: this.stable,
            splitAfter: { ...this.split },
            rolledBack: this.rolledBack,
            ...(failure !== undefined ? { failure } : {}),
            ...(error !== undefined ? { error } : {})
        });
    }
}

;// CONCATENATED MODULE: ./src/clock.ts

const realClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve) => {
        // A cancel that came while a request was in flight has already fired its event.
        if (signal?.aborted)
            return resolve();
        // A cancelled run must not keep the process alive until a long sleep ends.
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    })
};
/**
 * A clock whose sleeps end in a CancelledError once `signal` aborts, checked before and after
 * each sleep, so a wait anywhere in a run is a point where a cancel is noticed.
 */
function cancellable(clock, signal) {
    const check = () => {
        if (signal?.aborted)
            throw new errors/* CancelledError */.cc('Cancelled.');
    };
    return {
        now: () => clock.now(),
        sleep: async (ms) => {
            check();
            await clock.sleep(ms, signal);
            check();
        }
    };
}

// EXTERNAL MODULE: ./src/aws/call.ts
var call = __webpack_require__(1373);
;// CONCATENATED MODULE: ./src/aws/ecr.ts


/**
 * Amazon ECR, loaded only when an image is in ECR: most runs never deploy, so they never read or
 * evaluate the ECR client (the bundler puts it in a chunk file of its own beside dist/index.js).
 */
async function ecrModule() {
    return __webpack_require__.e(/* import() */ 249).then(__webpack_require__.t.bind(__webpack_require__, 8249, 19));
}
const clients = new Map();
/** One client per region (an image may live in another region than the service). */
async function ecrClient(region) {
    const found = clients.get(region);
    if (found)
        return found;
    const { ECRClient } = await ecrModule();
    const client = new ECRClient({ region, maxAttempts: 5 });
    clients.set(region, client);
    return client;
}
/**
 * The digest of `tag` or `digest` in the repository. Refuses, naming the repository, an image or
 * repository that is not there; for a missing image it lists the most recent tags.
 */
async function findImage(ecr, where, wanted) {
    const { DescribeImagesCommand } = await ecrModule();
    const repo = `${where.repository} (registry ${where.registryId}, ${where.region})`;
    const what = wanted.digest ?? `tag ${wanted.tag}`;
    const notFound = async () => {
        const recent = await recentTags(ecr, where).catch(() => undefined);
        const listed = recent === undefined
            ? ''
            : recent.length > 0
                ? ` Its most recent tags: ${recent.join(', ')}.`
                : ' It has no tagged images.';
        return new errors/* NotFoundError */.m_(`Image ${what} is not in ECR repository ${repo}.${listed} Push it first, or check "image".`);
    };
    let missing = false;
    const response = await (0,call/* awsCall */.uF)('ecr:DescribeImages', () => ecr.send(new DescribeImagesCommand({
        registryId: where.registryId,
        repositoryName: where.repository,
        imageIds: [
            wanted.digest ? { imageDigest: wanted.digest } : { imageTag: wanted.tag ?? 'latest' }
        ]
    })), (name) => {
        if (name === 'RepositoryNotFoundException') {
            return new errors/* NotFoundError */.m_(`ECR repository ${repo} was not found. Check "image" (the repository part) and that ` +
                'the role may read it.');
        }
        if (name === 'ImageNotFoundException')
            missing = true;
        return missing ? new errors/* StateError */.qq('image not found') : undefined;
    }).catch(async (error) => {
        if (missing)
            throw await notFound();
        throw error;
    });
    const detail = response.imageDetails?.[0];
    if (!detail?.imageDigest)
        throw await notFound();
    if (wanted.digest && wanted.tag && !(detail.imageTags ?? []).includes(wanted.tag)) {
        throw new errors/* StateError */.qq(`Image ${wanted.digest} in ECR repository ${repo} is not tagged ${wanted.tag} (its tags: ` +
            `${(detail.imageTags ?? []).join(', ') || 'none'}). Give the tag or the digest alone.`);
    }
    return { digest: detail.imageDigest, tags: detail.imageTags ?? [] };
}
/** Up to five tags, most recently pushed first, for the message about a missing image. */
async function recentTags(ecr, where) {
    const { DescribeImagesCommand } = await ecrModule();
    const response = await (0,call/* awsCall */.uF)('ecr:DescribeImages', () => ecr.send(new DescribeImagesCommand({
        registryId: where.registryId,
        repositoryName: where.repository,
        filter: { tagStatus: 'TAGGED' },
        maxResults: 100
    })));
    return (response.imageDetails ?? [])
        .sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0))
        .flatMap((d) => d.imageTags ?? [])
        .slice(0, 5);
}
/**
 * Adds `tag` to the image with `digest`: the manifest BatchGetImage returns is put back under the
 * new tag. ECR answers ImageAlreadyExistsException when the tag already names this digest, which
 * is what was asked. Returns what was written, or undefined when nothing was.
 */
async function tagImage(ecr, where, digest, tag) {
    const { BatchGetImageCommand, PutImageCommand } = await ecrModule();
    const got = await (0,call/* awsCall */.uF)('ecr:BatchGetImage', () => ecr.send(new BatchGetImageCommand({
        registryId: where.registryId,
        repositoryName: where.repository,
        imageIds: [{ imageDigest: digest }]
    })));
    const image = got.images?.[0];
    if (!image?.imageManifest) {
        throw new errors/* NotFoundError */.m_(`Image ${digest} is no longer in ECR repository ${where.repository}.`);
    }
    let already = false;
    await (0,call/* awsCall */.uF)('ecr:PutImage', () => ecr.send(new PutImageCommand({
        registryId: where.registryId,
        repositoryName: where.repository,
        imageManifest: image.imageManifest,
        ...(image.imageManifestMediaType
            ? { imageManifestMediaType: image.imageManifestMediaType }
            : {}),
        imageTag: tag,
        imageDigest: digest
    })), (name) => {
        already = name === 'ImageAlreadyExistsException';
        return undefined;
    }).catch((error) => {
        if (!already)
            throw error;
    });
    return already ? undefined : `ECR ${where.repository}: tag ${tag} → ${digest}`;
}

;// CONCATENATED MODULE: ./src/execute/lease-guard.ts

/**
 * The executor's side of the lease: take it before the first change, look again right before
 * each write and at the end, release it when done. A rollback writes its lease beside its first
 * write and never waits for it, nor fails on it: the emergency exit needs only the route.
 */
class LeaseGuard {
    lease;
    mode;
    log;
    taking;
    held = false;
    started = false;
    /** True once a rollback's lease write has succeeded: only then is there one to mark done. */
    written = false;
    constructor(lease, mode, log) {
        this.lease = lease;
        this.mode = mode;
        this.log = log;
    }
    /** True once this run has written (or started writing) its lease. */
    get active() {
        return this.held || this.started;
    }
    async take(now, durationMs) {
        const { lease } = this;
        if (!lease)
            return;
        if (this.mode === 'rollback') {
            this.started = true;
            this.taking = lease.take(this.mode, now, durationMs).then((note) => {
                this.written = true;
                this.note(note);
            }, (error) => {
                const why = (0,errors/* messageOf */.bD)(error);
                this.log.warning(`The rollback's lease tag was not written (${why}); rolling back anyway.`);
            });
            return;
        }
        this.note(await lease.take(this.mode, now, durationMs));
        this.held = true;
    }
    /**
     * Throws ConcurrentRunError when another run holds the lease now. The executor asks right
     * before each write: two runs that wrote their leases at the same moment both read the later
     * one, so one goes on, and a run whose gates waited learns whether it is still the one.
     */
    async confirm() {
        if (!this.lease || !this.held)
            return undefined;
        const look = await this.lease.look();
        if (!look.ours) {
            const who = look.holder ?? 'its lease tag was removed by someone else';
            throw new errors/* ConcurrentRunError */.X1(`Another run took over this service while this run was working: ${who}.`, look.byRollback ?? false);
        }
        return look;
    }
    /** The service's tags as they are now, whoever holds the lease. */
    async look() {
        return this.lease?.look();
    }
    /** A rollback's look at the end: who wrote last, whatever the lease says. */
    async settle() {
        if (!this.lease || !this.taking)
            return undefined;
        await this.taking;
        return this.lease.look();
    }
    /**
     * A rollback's end: its lease stays, expired, so no new run waits for it while a run that
     * started before it still sees that a rollback came, and which colour it `left` all traffic on
     * (when it did). Never fails the rollback; returns false when the lease could not be marked
     * done (it then blocks other runs until it expires).
     */
    async expire(now, left) {
        if (!this.lease || !this.taking)
            return true;
        await this.taking;
        if (!this.written)
            return true;
        try {
            await this.lease.take(this.mode, now, 0, left);
            this.taking = undefined;
            return true;
        }
        catch (error) {
            const why = (0,errors/* messageOf */.bD)(error);
            this.log.warning(`The rollback's lease was not marked done (${why}).`);
            return false;
        }
    }
    async release() {
        if (!this.lease || !this.held)
            return;
        await this.lease.release();
        this.held = false;
    }
    /**
     * Releases the lease at the end of a failed run. Says, when that fails too, what the lease left
     * behind means for the next run; undefined when there is nothing to say.
     */
    async releaseOrExplain(now, left) {
        if (this.taking) {
            const done = await this.expire(now, left);
            return done || !this.lease
                ? undefined
                : `Marking the lease done failed. ${this.lease.leftBehind()}.`;
        }
        try {
            await this.release();
            return undefined;
        }
        catch (error) {
            const why = (0,errors/* messageOf */.bD)(error);
            this.log.warning(`The lease tag was not removed: ${why}`);
            return this.lease ? `Removing the lease failed. ${this.lease.leftBehind()}.` : undefined;
        }
    }
    /**
     * After losing the service to a rollback: waits until that rollback has finished and returns
     * the colour it left all traffic on. Undefined when it has not said within `limitMs` (or its
     * lease ran out first: it died), or when its lease is gone or no longer a rollback's.
     */
    async rollbackOutcome(clock, limitMs, pollMs = 200) {
        if (!this.lease)
            return undefined;
        try {
            for (let waited = 0;; waited += pollMs) {
                const look = await this.lease.look();
                if (!look.byRollback || look.left)
                    return look.left;
                if (waited >= limitMs || (look.until !== undefined && clock.now() >= look.until)) {
                    return undefined;
                }
                await clock.sleep(pollMs);
            }
        }
        catch {
            // A look that fails (or a cancel while waiting) leaves the decision to what the route shows.
            return undefined;
        }
    }
    /** The lease is another run's now: this run must not remove it. */
    forfeit() {
        this.held = false;
    }
    note(note) {
        if (note)
            this.log.info(`Lease: ${note}.`);
    }
}

;// CONCATENATED MODULE: ./src/execute/shift.ts


/**
 * Writes a split and checks the write's response: the route must hold exactly what was sent.
 * No separate read-back here: it would add a round trip to every shift (and to rollback, the
 * emergency exit) and catch only a writer in the few milliseconds after ours. A writer while a
 * step holds is caught by `routeUnchanged` at every poll of a bake.
 */
async function shiftAndVerify(router, before, target, wrote) {
    const stored = await router.shift(target);
    wrote(`${router.kind} ${router.id}: ${(0,src_shares/* formatSplit */.oe)(before)} → ${(0,src_shares/* formatSplit */.oe)(target)}`);
    if (!(0,src_shares/* sameSplit */.xY)(stored, target)) {
        throw new errors/* VerificationError */.mk(`Wrote ${(0,src_shares/* formatSplit */.oe)(target)} to ${router.kind} ${router.id}, but it holds ` +
            `${(0,src_shares/* formatSplit */.oe)(stored)}: the load balancer did not store what was sent. Nothing more was ` +
            'written; check the route, then run this step again.', stored);
    }
    return stored;
}
/**
 * Reads the route again while a step holds; a split other than `expected` means another writer
 * moved traffic behind the run's back, which ends the run without writing more.
 */
async function routeUnchanged(router, expected) {
    const live = await router.verify();
    if ((0,src_shares/* sameSplit */.xY)(live, expected))
        return;
    throw new errors/* VerificationError */.mk(`${router.kind} ${router.id} holds ${(0,src_shares/* formatSplit */.oe)(live)}, not the ${(0,src_shares/* formatSplit */.oe)(expected)} ` +
        'this run wrote: another writer changed it. Make sure only one workflow moves this service ' +
        'at a time (a concurrency group), then run this step again.', live);
}

;// CONCATENATED MODULE: ./src/promotion-record.ts
/** ECS refuses tag values over 256 characters. */
const MAX_TAG_VALUE = 256;
const VERSION = '[A-Za-z0-9_-]{1,255}:\\d{1,9}';
const PATTERN = new RegExp(`^(${VERSION})(?: replaced (${VERSION}))?(?: at (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ))?$`);
/** `arn:aws:ecs:…:task-definition/web:42` → `web:42`: the version a colour runs. */
function versionOf(taskDefinitionArn) {
    return taskDefinitionArn.split('/').pop() ?? taskDefinitionArn;
}
function parseRecord(value) {
    const match = value === undefined ? null : PATTERN.exec(value.trim());
    if (!match)
        return undefined;
    return {
        promoted: match[1],
        ...(match[2] ? { replaced: match[2] } : {}),
        ...(match[3] ? { at: match[3] } : {})
    };
}
/** The tag value, or undefined when it would not fit in a tag (families near 255 characters). */
function formatRecord(record) {
    const parts = [record.promoted];
    if (record.replaced)
        parts.push(`replaced ${record.replaced}`);
    if (record.at)
        parts.push(`at ${record.at}`);
    const value = parts.join(' ');
    return value.length <= MAX_TAG_VALUE ? value : undefined;
}
/** An ISO time to the second, as the record holds it. */
function recordTime(epochMs) {
    return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/**
 * Why `version` must not get traffic again, or undefined when it may: it is the version the last
 * promote replaced, or an older revision of the family that promote made stable.
 */
function replacedVersion(version, record) {
    if (!version || !record)
        return undefined;
    const when = record.at ? ` on ${record.at.slice(0, 10)} ${record.at.slice(11, 16)} UTC` : '';
    if (version === record.replaced) {
        return `${version}, the version that ${record.promoted} replaced${when}`;
    }
    const [family, revision] = splitVersion(version);
    const [stableFamily, stableRevision] = splitVersion(record.promoted);
    if (family === stableFamily && revision < stableRevision) {
        return `${version}, older than ${record.promoted}, which was promoted${when}`;
    }
    return undefined;
}
function splitVersion(version) {
    const at = version.lastIndexOf(':');
    return [version.slice(0, at), Number(version.slice(at + 1))];
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var client_ecs_dist_cjs = __webpack_require__(212);
;// CONCATENATED MODULE: ./src/service-tags.ts





function tagNames(tagKey) {
    return {
        stable: tagKey,
        previous: `${tagKey}Previous`,
        testRule: `${tagKey}TestRule`,
        promotion: `${tagKey}Promotion`,
        lease: `${tagKey}Lease`,
        deploy: `${tagKey}Deploy`
    };
}
function testRouteTagNames(tagKey) {
    return { testListener: `${tagKey}TestListener`, ruleMarker: `${tagKey}TestRuleOf` };
}
/**
 * The tags on the ECS service: read once by discovery and kept current as the action writes
 * them, so every part of a run sees what the previous part wrote. (Over 60 lines: it is the one
 * owner of the service's tags, and each method is one call.)
 */
class ServiceTags {
    ecs;
    service;
    names;
    values;
    /** The tags as discovery read them: what `putBack` restores. */
    found;
    constructor(ecs, service, tags, tagKey) {
        this.ecs = ecs;
        this.service = service;
        this.names = tagNames(tagKey);
        this.values = new Map(Object.entries(tags));
        this.found = { ...tags };
    }
    get(key) {
        return this.values.get(key);
    }
    /**
     * The stable colour named by the tag; refuses any other value, and a missing tag unless the
     * shape has a colour it starts from (`absent`).
     */
    stable(absent) {
        const key = this.names.stable;
        const value = this.get(key);
        const command = `aws ecs tag-resource --resource-arn ${this.service.arn} --tags key=${key},value=Blue` +
            ' (or value=Green: the colour that serves production now)';
        if (value === undefined && absent)
            return absent;
        if (value === undefined) {
            throw new errors/* StateError */.qq(`Service ${this.service.name} has no "${key}" tag, so the stable colour is unknown. Set it with: ${command}`);
        }
        if (!(0,src_color/* isColor */._o)(value)) {
            throw new errors/* StateError */.qq(`Service ${this.service.name} has ${key}="${value}"; it must be exactly Blue or Green. Fix it with: ${command}`);
        }
        return value;
    }
    /** Writes tags in one call: ECS applies a TagResource call as a whole. */
    async set(tags) {
        const arn = this.service.arn;
        await (0,call/* awsCall */.uF)('ecs:TagResource', () => this.ecs.send(new client_ecs_dist_cjs/* TagResourceCommand */.eqU({
            resourceArn: arn,
            tags: Object.entries(tags).map(([key, value]) => ({ key, value }))
        })), (name, message) => name === 'InvalidParameterException' && /long arn/i.test(message)
            ? new errors/* StateError */.qq(`ECS refused to tag ${arn}: ${message} Opt in to the long ARN format for services ` +
                '(aws ecs put-account-setting --name serviceLongArnFormat --value enabled) and recreate the service.')
            : undefined);
        for (const [key, value] of Object.entries(tags))
            this.values.set(key, value);
    }
    /** Reads the tags again (another run may have written them) and returns them. */
    async read() {
        const response = await (0,call/* awsCall */.uF)('ecs:ListTagsForResource', () => this.ecs.send(new client_ecs_dist_cjs/* ListTagsForResourceCommand */.a_e({ resourceArn: this.service.arn })));
        const tags = Object.fromEntries((response.tags ?? []).flatMap((t) => (t.key ? [[t.key, t.value ?? '']] : [])));
        this.values.clear();
        for (const [key, value] of Object.entries(tags))
            this.values.set(key, value);
        return tags;
    }
    get arn() {
        return this.service.arn;
    }
    async remove(keys) {
        await (0,call/* awsCall */.uF)('ecs:UntagResource', () => this.ecs.send(new client_ecs_dist_cjs/* UntagResourceCommand */.RP$({ resourceArn: this.service.arn, tagKeys: keys })));
        for (const key of keys)
            this.values.delete(key);
    }
    /**
     * The stable tag, the colour an undo returns to and the record of what was promoted, in one
     * call: ECS applies a TagResource call as a whole, so no run sees one without the others.
     */
    async promote(from, to, record) {
        const key = this.names.stable;
        try {
            await this.set({ [key]: to, [this.names.previous]: from, ...this.recordTag(record) });
        }
        catch (error) {
            const why = (0,errors/* messageOf */.bD)(error);
            throw new errors/* IncompletePromotionError */.G_(`All traffic now goes to ${to}, but setting the tag ${key}=${to} failed: ${why} ` +
                'Run promote again to finish; it will only write the tag.');
        }
        return `service tag ${key}: ${from} → ${to}`;
    }
    /**
     * The stable tag first, then the record of the promote: a run that stops between the two leaves
     * a record naming the stable colour itself, which a later undo reads as "nothing to undo".
     */
    async undo(from, to, record) {
        await this.set({ [this.names.stable]: to, ...this.recordTag(record) });
        await this.remove([this.names.previous]);
        return `service tag ${this.names.stable}: ${from} → ${to} (promotion undone)`;
    }
    async forget() {
        await this.remove([this.names.previous]);
        return `service tag ${this.names.previous}: removed (the undo is finished)`;
    }
    /**
     * The tags this run found, written back in one call with the stable tag, then the ones it found
     * absent removed: a run that stops between the two leaves the stable tag right and at worst a
     * record of a promote that did not stand, which names a version that is not stable.
     */
    async putBack() {
        const { stable, previous, promotion } = this.names;
        const keys = [stable, previous, promotion];
        const present = keys.filter((key) => this.found[key] !== undefined);
        const absent = keys.filter((key) => this.found[key] === undefined && this.values.has(key));
        const from = this.values.get(stable);
        await this.set(Object.fromEntries(present.map((key) => [key, this.found[key]])));
        if (absent.length > 0)
            await this.remove(absent);
        return `service tag ${stable}: ${from ?? 'none'} → ${this.found[stable] ?? 'none'} (put back as this run found it)`;
    }
    recordTag(record) {
        const value = record && formatRecord(record);
        return value ? { [this.names.promotion]: value } : {};
    }
}

;// CONCATENATED MODULE: ./src/deploy/deploy-record.ts

const deploy_record_PATTERN = /^(Blue|Green) ([A-Za-z0-9_-]{1,255}:\d{1,9}) at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)(?: (sha256:[0-9a-f]{64}))?$/;
function formatDeployRecord(record) {
    const value = `${record.color} ${record.version} at ${record.at}${record.digest ? ` ${record.digest}` : ''}`;
    return value.length <= 256 ? value : undefined;
}
function parseDeployRecord(value) {
    const match = value === undefined ? null : deploy_record_PATTERN.exec(value.trim());
    if (!match || !(0,src_color/* isColor */._o)(match[1]))
        return undefined;
    return {
        color: match[1],
        version: match[2],
        at: match[3],
        ...(match[4] ? { digest: match[4] } : {})
    };
}

// EXTERNAL MODULE: ./src/deploy/image-ref.ts
var image_ref = __webpack_require__(14);
// EXTERNAL MODULE: ./src/discover/service.ts
var discover_service = __webpack_require__(6636);
;// CONCATENATED MODULE: ./src/gates/health.ts

const POLL_INTERVAL_MS = 5000;
const LABEL = 'health gate';
/**
 * Waits until `color` has no blockers, starting from `initial` (so a healthy canary costs no
 * extra round trip) and probing again every poll. When the timeout passes it returns the last
 * blockers instead.
 */
async function waitUntilReady(initial, probe, timeoutMs, clock, onWait = () => undefined, pollMs = POLL_INTERVAL_MS) {
    const start = clock.now();
    let health = initial;
    let checks = 1;
    for (;;) {
        if (health.blockers.length === 0) {
            const result = { color: health.unit.color, waitedMs: clock.now() - start, checks, health };
            return { ready: true, result };
        }
        if (health.fatal && health.fatal.length > 0) {
            return { ready: false, blockers: health.fatal, fatal: true };
        }
        const left = start + timeoutMs - clock.now();
        if (left <= 0)
            return { ready: false, blockers: health.blockers };
        onWait(health.blockers);
        await clock.sleep(Math.min(pollMs, left));
        health = await probe();
        checks += 1;
    }
}
/**
 * The canary's tasks and targets are ready before it gets more traffic, and stay healthy while it
 * holds a share. Before the first step it starts from what discovery read. (Just over 60 lines:
 * its two methods are the two halves of the Gate interface.)
 */
class HealthGate {
    workload;
    options;
    label = LABEL;
    judges = 'readiness';
    /** The last successful wait, for the summary. */
    last;
    constructor(workload, options) {
        this.workload = workload;
        this.options = options;
    }
    async before(context) {
        const { color, log } = context;
        if (!this.options.enabled) {
            log.warning(`wait-for-healthy is false: ${color} gets more traffic without a health check.`);
            return { label: LABEL, text: 'skipped' };
        }
        return log.group(`Wait for ${color} to be healthy`, async () => {
            const exposed = await this.options.expose(color);
            const wrote = exposed ? [exposed] : [];
            const initial = context.fresh || exposed
                ? await this.workload.probe(color)
                : this.workload.discovered[color];
            const outcome = await waitUntilReady(initial, () => this.workload.probe(color), this.options.timeoutMs, context.clock, (reasons) => log.info(`Waiting: ${reasons.join('; ')}`), this.options.pollMs);
            if (!outcome.ready && outcome.fatal) {
                return {
                    label: LABEL,
                    text: 'failed',
                    wrote,
                    failure: `The canary colour ${color} cannot become healthy: ${outcome.blockers.join('; ')}.`
                };
            }
            if (!outcome.ready) {
                const seconds = Math.round(this.options.timeoutMs / 1000);
                return {
                    label: LABEL,
                    text: 'timed out',
                    wrote,
                    failure: `The canary colour ${color} was not healthy after ${seconds} s: ${outcome.blockers.join('; ')}. ` +
                        'Fix it (or raise "health-timeout-seconds") and run again; a plain "mode: rollback" never waits.'
                };
            }
            const { checks, waitedMs } = outcome.result;
            this.last = outcome.result;
            log.info(`${color} is healthy (${checks} check(s), ${Math.round(waitedMs / 1000)} s).`);
            return { label: LABEL, text: 'healthy', wrote };
        });
    }
    /** During a bake only targets the load balancer marks unhealthy fail the canary. */
    async during(context) {
        const health = await this.workload.probe(context.color);
        const unhealthy = health.targets.notHealthy.filter((t) => t.state === 'unhealthy');
        if (unhealthy.length === 0)
            return { label: LABEL, text: 'healthy' };
        const targets = unhealthy.map((t) => `${t.id}${t.reason ? ` (${t.reason})` : ''}`).join(', ');
        return {
            label: LABEL,
            text: 'unhealthy',
            failure: `Unhealthy ${context.color} target(s) during the bake of step ${context.step + 1} (${context.color} at ${(0,src_shares/* formatPercent */.l9)(context.share)}%): ${targets}`
        };
    }
}

;// CONCATENATED MODULE: ./src/workloads/target-health.ts



/**
 * Draining targets are on their way out (a replaced task, the deregistration delay) and get no
 * new requests, so they neither count as healthy nor block the gate.
 */
async function readTargetHealth(elb, targetGroupArn) {
    const response = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeTargetHealth', () => elb.send(new dist_cjs/* DescribeTargetHealthCommand */.qyg({ TargetGroupArn: targetGroupArn })), (0,call/* whenNotFound */.II)('TargetGroup', () => new errors/* NotFoundError */.m_(`Target group ${targetGroupArn} was not found.`)));
    const summary = { targetGroupArn, total: 0, healthy: 0, notHealthy: [] };
    for (const description of response.TargetHealthDescriptions ?? []) {
        const state = description.TargetHealth?.State ?? 'unknown';
        if (state === 'draining')
            continue;
        summary.total += 1;
        if (state === 'healthy') {
            summary.healthy += 1;
        }
        else {
            const target = description.Target;
            summary.notHealthy.push({
                id: `${target?.Id ?? '?'}${target?.Port ? `:${target.Port}` : ''}`,
                state,
                reason: description.TargetHealth?.Reason
            });
        }
    }
    return summary;
}
/** What keeps a target group's targets from taking traffic; empty when they are ready. Pure. */
function targetBlockers(targets) {
    const reasons = targets.total === 0 ? ['no targets registered in its target group'] : [];
    for (const target of targets.notHealthy) {
        reasons.push(`target ${target.id} is ${target.state}${target.reason ? ` (${target.reason})` : ''}`);
    }
    return reasons;
}
/** A target group whose health was not read (a plain rollback does not wait for it). */
function unreadTargets(targetGroupArn) {
    return { targetGroupArn, total: 0, healthy: 0, notHealthy: [], unread: true };
}

;// CONCATENATED MODULE: ./src/workloads/task-sets.ts







/**
 * The task set that registers in a target group, when no ID names it: the newest one that is not
 * draining (a deploy that stopped before deleting the old one leaves two; the new one is the
 * colour now, and the deploy's rerun deletes the other). Pure.
 */
function taskSetInGroup(service, targetGroup) {
    return service.taskSets
        .filter((t) => t.status !== 'DRAINING')
        .filter((t) => (t.loadBalancers ?? []).some((lb) => lb.targetGroupArn === targetGroup))
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
}
/** Finds each colour's task set in the service, by ID or else by target group; pure. */
function matchTaskSets(service, ids, targetGroups) {
    const pick = (color) => {
        const id = ids[color];
        if (id === undefined) {
            const found = taskSetInGroup(service, targetGroups[color]);
            if (found)
                return found;
            throw new errors/* StateError */.qq(`No task set of service ${service.name} registers in the ${color} target group ` +
                `${targetGroups[color]}. Create one (templates/ecs-canary.yaml shows how) or name it ` +
                `with "${color.toLowerCase()}-task-set".`);
        }
        const taskSet = service.taskSets.find((t) => t.id === id || t.taskSetArn === id);
        if (!taskSet) {
            const known = service.taskSets.map((t) => t.id ?? t.taskSetArn).join(', ') || 'none';
            throw new errors/* StateError */.qq(`The ${color} task set "${id}" is not in service ${service.name} (its task sets: ${known}). ` +
                `Check the ${color}TaskSet stack output or "${color.toLowerCase()}-task-set".`);
        }
        const groups = (taskSet.loadBalancers ?? []).map((lb) => lb.targetGroupArn).filter(Boolean);
        if (groups.length > 0 && !groups.includes(targetGroups[color])) {
            throw new errors/* StateError */.qq(`The ${color} task set ${taskSet.id} registers its tasks in ${groups.join(', ')}, not in the ` +
                `${color} target group ${targetGroups[color]}: traffic for ${color} would reach the wrong tasks.`);
        }
        return taskSet;
    };
    return { Blue: pick('Blue'), Green: pick('Green') };
}
function toUnit(color, taskSet) {
    return {
        color,
        arn: taskSet.taskSetArn ?? taskSet.id ?? '',
        label: taskSet.id ?? taskSet.taskSetArn ?? '',
        status: taskSet.status ?? 'UNKNOWN',
        stability: taskSet.stabilityStatus ?? 'UNKNOWN',
        running: taskSet.runningCount ?? 0,
        desired: taskSet.computedDesiredCount ?? 0,
        taskDefinitionArn: taskSet.taskDefinition
    };
}
/** What keeps a task set from taking more traffic; empty when it is ready. Pure. */
function taskSetBlockers(unit, targets) {
    const reasons = [];
    if (unit.status !== 'ACTIVE' && unit.status !== 'PRIMARY') {
        reasons.push(`task set ${unit.label} is ${unit.status}`);
    }
    if (unit.stability !== 'STEADY_STATE')
        reasons.push(`task set is ${unit.stability}`);
    if (unit.desired <= 0)
        reasons.push('task set wants 0 tasks (scale it up first)');
    else if (unit.running < unit.desired) {
        reasons.push(`${unit.running}/${unit.desired} tasks running`);
    }
    return [...reasons, ...targetBlockers(targets)];
}
function colorHealth(color, taskSet, targets) {
    const unit = toUnit(color, taskSet);
    const retired = (taskSet.scale?.value ?? 100) === 0 || unit.desired === 0;
    return { unit, targets, blockers: taskSetBlockers(unit, targets), retired };
}
/** `arn:aws:ecs:…:task-definition/web:42` → `web:42`. */
const familyRevision = versionOf;
/**
 * Blue and Green as ECS task sets of one service with the EXTERNAL deployment controller. (Over 60
 * lines: one class per workload kind, as the Workload interface asks; each method is short.)
 */
class TaskSetWorkload {
    ecs;
    elb;
    service;
    where;
    discovered;
    taskDefinitions;
    kind = 'ecs-task-sets';
    constructor(ecs, elb, service, where, discovered, taskDefinitions) {
        this.ecs = ecs;
        this.elb = elb;
        this.service = service;
        this.where = where;
        this.discovered = discovered;
        this.taskDefinitions = taskDefinitions;
    }
    /**
     * Reads both colours: the target groups' health as soon as they are known, beside the service
     * read that discovery already started (it carries the task sets). Refuses a service that is
     * not EXTERNAL and task sets that are not where the inputs say.
     */
    static async discover(clients, service, where) {
        const targets = where.readTargets
            ? Promise.all(src_color/* COLORS */.lm.map((c) => readTargetHealth(clients.elb, where.targetGroups[c])))
            : Promise.resolve(src_color/* COLORS */.lm.map((c) => unreadTargets(where.targetGroups[c])));
        // A failed target health read is reported after the service checks; it must not go unhandled.
        targets.catch(() => undefined);
        const state = await service;
        requireExternalController(state);
        const taskSets = matchTaskSets(state, where.taskSets, where.targetGroups);
        const taskDefinitions = prefetchTaskDefinitions(clients.ecs, state);
        const [Blue, Green] = await targets;
        const discovered = {
            Blue: colorHealth('Blue', taskSets.Blue, Blue),
            Green: colorHealth('Green', taskSets.Green, Green)
        };
        return new TaskSetWorkload(clients.ecs, clients.elb, state, where, discovered, taskDefinitions);
    }
    async probe(color) {
        const [service, targets] = await Promise.all([
            (0,discover_service/* readService */.u)(this.ecs, this.where.cluster, this.service.arn),
            readTargetHealth(this.elb, this.where.targetGroups[color])
        ]);
        const taskSets = matchTaskSets(service, this.where.taskSets, this.where.targetGroups);
        return colorHealth(color, taskSets[color], targets);
    }
    async retire(color) {
        await this.scale(color, 0);
        return `task set ${this.discovered[color].unit.label} (${color}): scaled to 0 % after promote`;
    }
    async restore(color) {
        if (!this.discovered[color].retired)
            return undefined;
        await this.scale(color, 100);
        return `task set ${this.discovered[color].unit.label} (${color}): scaled back to 100 %`;
    }
    async scale(color, percent) {
        await (0,call/* awsCall */.uF)('ecs:UpdateTaskSet', () => this.ecs.send(new client_ecs_dist_cjs/* UpdateTaskSetCommand */.qcp({
            cluster: this.where.cluster,
            service: this.service.arn,
            taskSet: this.discovered[color].unit.arn,
            scale: { unit: 'PERCENT', value: percent }
        })));
    }
    /** Task definition images for the summary, from the reads started when the service was read. */
    /** Every unit of a colour is behind its route: nothing is left over to release. */
    releasable() {
        return false;
    }
    async release() {
        return [];
    }
    undoOnRollback = false;
    async details() {
        const read = (color) => {
            const arn = this.discovered[color].unit.taskDefinitionArn;
            return arn ? this.taskDefinitions(arn) : Promise.resolve(undefined);
        };
        const [Blue, Green] = await Promise.all(src_color/* COLORS */.lm.map(read));
        return { Blue, Green };
    }
}
function requireExternalController(service) {
    if (service.deploymentController === 'EXTERNAL')
        return;
    throw new errors/* StateError */.qq(`Service ${service.name} uses the ${service.deploymentController} deployment ` +
        'controller; blue/green task sets need EXTERNAL. Create the service with ' +
        'deploymentController type EXTERNAL (templates/ecs-canary.yaml does).');
}
/**
 * Starts DescribeTaskDefinition for every task set of the service at once and returns a lookup.
 * The results only feed the summary, so they run beside the critical path and a failure (say, a
 * policy without ecs:DescribeTaskDefinition) shows as missing images instead of failing the step.
 */
function prefetchTaskDefinitions(ecs, service) {
    const reads = new Map();
    const read = (arn) => {
        let pending = reads.get(arn);
        if (!pending) {
            pending = (0,call/* awsCall */.uF)('ecs:DescribeTaskDefinition', () => ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: arn }))).then((response) => ({
                arn,
                familyRevision: familyRevision(arn),
                images: (response.taskDefinition?.containerDefinitions ?? [])
                    .map((c) => c.image)
                    .filter((image) => Boolean(image))
            }), () => ({ arn, familyRevision: familyRevision(arn), images: [] }));
            reads.set(arn, pending);
        }
        return pending;
    };
    for (const taskSet of service.taskSets)
        if (taskSet.taskDefinition)
            void read(taskSet.taskDefinition);
    return read;
}

;// CONCATENATED MODULE: ./src/deploy/canary-health.ts





/**
 * Waits until the canary's new task set is steady and every target in the colour's group is
 * healthy. It carries no traffic meanwhile; on timeout it stays where it is, at 0 %.
 */
async function waitForNewCanary(watch, taskSetId) {
    let found;
    const probe = async () => {
        const [service, targets] = await Promise.all([
            (0,discover_service/* readService */.u)(watch.ecs, watch.cluster, watch.service),
            readTargetHealth(watch.elb, watch.targetGroup)
        ]);
        found = service.taskSets.find((t) => t.id === taskSetId || t.taskSetArn === taskSetId);
        if (!found)
            throw new errors/* StateError */.qq(`The new ${watch.color} task set ${taskSetId} is gone.`);
        const unit = toUnit(watch.color, found);
        return { unit, targets, blockers: taskSetBlockers(unit, targets), retired: false };
    };
    const waited = await waitUntilReady(await probe(), probe, watch.timeoutMs, watch.clock, (reasons) => watch.log.info(`Waiting for the new ${watch.color} task set: ${reasons.join('; ')}`), watch.pollMs);
    if (!waited.ready) {
        throw new errors/* StateError */.qq(`The new ${watch.color} task set ${taskSetId} was not healthy within ` +
            `${Math.round(watch.timeoutMs / 1000)} s (${waited.blockers.join('; ')}). It stays in ` +
            `${watch.color} at 0 % of traffic; fix it and run this step again, or deploy another version.`);
    }
    return found;
}

;// CONCATENATED MODULE: ./src/deploy/stack-parameters.ts

function planStackParameters(stackName, current, names, live) {
    const values = new Map(current.map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
    const missing = Object.entries(names)
        .filter(([, name]) => !values.has(name))
        .map(([key, name]) => (key === name ? name : `${name} (for ${key})`));
    if (missing.length > 0) {
        throw new errors/* StateError */.qq(`Stack "${stackName}" has no parameter ${missing.join(', ')}, so a deploy cannot set the ` +
            'canary colour alone. Use a stack made from templates/ecs-canary.yaml, or map the names ' +
            'with "stack-parameters" (e.g. BlueImage=WebBlueImage).');
    }
    const imageName = names[`${live.canary}Image`];
    const weights = liveWeights(live.split, Number(values.get(names.BlueWeight)), Number(values.get(names.GreenWeight)));
    const wanted = new Map([
        [imageName, live.image],
        [names.StableColor, live.stable],
        [names.BlueWeight, String(weights.Blue)],
        [names.GreenWeight, String(weights.Green)]
    ]);
    const changes = [];
    const parameters = current.map((p) => {
        const key = p.ParameterKey ?? '';
        const value = wanted.get(key);
        if (value === undefined || value === p.ParameterValue) {
            return { ParameterKey: key, UsePreviousValue: true };
        }
        changes.push(`${key}: ${p.ParameterValue ?? ''} → ${value}`);
        return { ParameterKey: key, ParameterValue: value };
    });
    return { parameters, changes, oldImage: values.get(imageName) };
}
/**
 * ALB weights for the live split: the previous values when they give the same split (no write to
 * the rule at all), else the split's permille reduced to its smallest whole ratio.
 */
function liveWeights(split, blue, green) {
    const total = blue + green;
    const same = Number.isFinite(total) &&
        total > 0 &&
        Math.abs((blue * 1000) / total - split.Blue) < 1e-6 &&
        Math.abs((green * 1000) / total - split.Green) < 1e-6;
    if (same)
        return { Blue: blue, Green: green };
    const rounded = { Blue: Math.round(split.Blue), Green: Math.round(split.Green) };
    const divisor = gcd(rounded.Blue, rounded.Green) || 1;
    return { Blue: rounded.Blue / divisor, Green: rounded.Green / divisor };
}
function gcd(a, b) {
    return b === 0 ? a : gcd(b, a % b);
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudformation/dist-cjs/index.js
var client_cloudformation_dist_cjs = __webpack_require__(3805);
;// CONCATENATED MODULE: ./src/deploy/stack-update.ts



async function readStack(cfn, stackName) {
    const response = await (0,call/* awsCall */.uF)('cloudformation:DescribeStacks', () => cfn.send(new client_cloudformation_dist_cjs.DescribeStacksCommand({ StackName: stackName })));
    const stack = response.Stacks?.[0];
    if (!stack)
        throw new errors/* NotFoundError */.m_(`CloudFormation stack "${stackName}" was not found.`);
    const outputs = {};
    for (const o of stack.Outputs ?? [])
        if (o.OutputKey)
            outputs[o.OutputKey] = o.OutputValue ?? '';
    return {
        id: stack.StackId ?? stackName,
        status: stack.StackStatus ?? 'UNKNOWN',
        parameters: stack.Parameters ?? [],
        outputs,
        capabilities: stack.Capabilities ?? []
    };
}
/** Refuses a stack that is being changed now: an update cannot start until it settles. */
function requireSettled(stackName, status) {
    if (status.endsWith('_IN_PROGRESS') || status.endsWith('_FAILED')) {
        throw new errors/* StateError */.qq(`Stack "${stackName}" is ${status}: another change is under way (or stuck). Wait until it ` +
            'is UPDATE_COMPLETE (or continue its rollback), then run this step again.');
    }
}
/**
 * UpdateStack with the previous template and the given parameters. Returns false when
 * CloudFormation says there is nothing to update: that is not an error.
 */
async function updateStack(cfn, stackName, parameters, capabilities) {
    let noChange = false;
    await (0,call/* awsCall */.uF)('cloudformation:UpdateStack', () => cfn.send(new client_cloudformation_dist_cjs.UpdateStackCommand({
        StackName: stackName,
        UsePreviousTemplate: true,
        Parameters: parameters,
        ...(capabilities.length > 0 ? { Capabilities: capabilities } : {})
    })), (name, message) => {
        noChange = name === 'ValidationError' && /no updates are to be performed/i.test(message);
        return undefined;
    }).catch((error) => {
        if (!noChange)
            throw error;
    });
    return !noChange;
}
/**
 * Waits for the update to settle. On a failed update, names the first resource that failed and
 * why, from the stack's events.
 */
async function waitForUpdate(cfn, stackName, since, options) {
    const { clock } = options;
    const deadline = clock.now() + options.timeoutMs;
    for (;;) {
        const stack = await readStack(cfn, stackName);
        if (stack.status === 'UPDATE_COMPLETE')
            return stack;
        if (!stack.status.endsWith('_IN_PROGRESS')) {
            const cause = await firstFailure(cfn, stackName, since).catch(() => undefined);
            throw new errors/* StateError */.qq(`The update of stack "${stackName}" failed: it is ${stack.status}` +
                `${cause ? `; the first failure was ${cause}` : ''}.`);
        }
        if (clock.now() >= deadline) {
            throw new errors/* StateError */.qq(`The update of stack "${stackName}" is still ${stack.status} after ` +
                `${Math.round(options.timeoutMs / 1000)} s.`);
        }
        await clock.sleep(Math.min(options.pollMs, Math.max(0, deadline - clock.now())));
    }
}
/** `GreenTaskSet (AWS::ECS::TaskSet): reason`, the earliest failed event since `since`. */
async function firstFailure(cfn, stackName, since) {
    const response = await (0,call/* awsCall */.uF)('cloudformation:DescribeStackEvents', () => cfn.send(new client_cloudformation_dist_cjs.DescribeStackEventsCommand({ StackName: stackName })));
    // Events come newest first.
    const failed = (response.StackEvents ?? [])
        .filter((e) => (e.Timestamp?.getTime() ?? 0) >= since - 1000)
        .filter((e) => e.ResourceStatus?.endsWith('_FAILED') && e.LogicalResourceId !== stackName)
        .reverse()[0];
    if (!failed)
        return undefined;
    return `${failed.LogicalResourceId} (${failed.ResourceType}): ${failed.ResourceStatusReason ?? 'no reason given'}`;
}

;// CONCATENATED MODULE: ./src/deploy/stack-path.ts




/**
 * The stack-managed way: UpdateStack with the previous template and only the canary colour's
 * image parameter changed (the stable colour and the weights passed as they are live), wait for
 * UPDATE_COMPLETE, then for the canary's new task set to be healthy. The stack replaces the task
 * set and its output; a rerun finds the parameter in place and writes nothing.
 */
async function stackReplacement(ctx) {
    const { canary, stable, state } = ctx;
    const stackName = ctx.stackName ?? '';
    const cfn = await ctx.clients.cfn();
    if (!ctx.image) {
        throw new errors/* StateError */.qq(`Stack "${stackName}" builds each colour's task definition from its image parameter: give ` +
            '"image", or leave out "stack-name" to deploy a task definition through the ECS API.');
    }
    const stack = await readStack(cfn, stackName);
    const change = planStackParameters(stackName, stack.parameters, ctx.request.stackParameters, {
        stable,
        canary,
        split: ctx.split,
        image: ctx.image
    });
    const images = {
        container: `${canary} image parameter`,
        ...(change.oldImage ? { oldImage: change.oldImage } : {}),
        newImage: ctx.image
    };
    if (change.oldImage === ctx.image)
        return { diff: [], ...images };
    requireSettled(stackName, stack.status);
    const diff = change.changes.map((line) => `stack ${stackName}: ${line}`);
    return {
        diff,
        ...images,
        apply: async (write) => {
            const since = ctx.clock.now();
            let started = false;
            await write(async () => {
                started = await updateStack(cfn, stackName, change.parameters, stack.capabilities);
                return started ? `stack ${stackName} updated: ${change.changes.join(', ')}` : undefined;
            });
            const updated = started
                ? await waitForUpdate(cfn, stackName, since, {
                    clock: ctx.clock,
                    timeoutMs: ctx.timeoutMs,
                    pollMs: ctx.pollMs
                })
                : stack;
            const taskSetId = updated.outputs[`${canary}TaskSet`];
            if (!taskSetId) {
                throw new errors/* StateError */.qq(`Stack "${stackName}" has no output ${canary}TaskSet after the update.`);
            }
            const taskSet = await waitForNewCanary({
                ecs: ctx.clients.ecs,
                elb: ctx.clients.elb,
                cluster: ctx.cluster,
                service: state.service.arn,
                color: canary,
                targetGroup: state.where.targetGroups[canary],
                clock: ctx.clock,
                log: ctx.log,
                timeoutMs: ctx.timeoutMs,
                pollMs: ctx.pollMs
            }, taskSetId);
            return taskSet.taskDefinition ? { taskDefinitionArn: taskSet.taskDefinition } : {};
        }
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/deploy/revision.ts
var revision = __webpack_require__(5930);
;// CONCATENATED MODULE: ./src/workloads/canary-marker.ts


/**
 * How the action knows its own standalone canary tasks and what a promote replaced, all derived
 * from `tag-key` and the service. Pure.
 */
/** ECS allows up to 128 letters, digits, `-`, `/` and `_` in a task's `startedBy`. */
const STARTED_BY_MAX = 128;
/**
 * The `startedBy` of the canary tasks of one service: `StableStack-canary/web`. ListTasks finds
 * them by it on every run, so a rerun adopts what a crashed run started. A name too long for ECS
 * keeps its start and ends in a hash of the whole, so two services never share a marker.
 */
function canaryMarker(tagKey, serviceName) {
    const full = `${tagKey}-canary/${serviceName}`.replace(/[^A-Za-z0-9/_-]/g, '_');
    if (full.length <= STARTED_BY_MAX)
        return full;
    const hash = (0,external_node_crypto_.createHash)('sha256').update(full).digest('hex').slice(0, 16);
    return `${full.slice(0, STARTED_BY_MAX - hash.length - 1)}-${hash}`;
}
/** Tag on each canary task; its value is the service's ARN, checked before a task is trusted. */
function canaryTaskTag(tagKey) {
    return `${tagKey}CanaryOf`;
}
/** Service tag: the task definition the service ran before a promote rolled it to the canary's. */
function previousRevisionTag(tagKey) {
    return `${tagKey}PreviousRevision`;
}
/** True when a task carries the action's tag naming this very service. */
function isOwnTask(tags, tagKey, serviceArn) {
    const key = canaryTaskTag(tagKey);
    return (tags ?? []).some((t) => t.key === key && t.value === serviceArn);
}
const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/;
/**
 * The previous revision recorded on the service, trusted only when it is a task definition ARN
 * of the service's own family: a tag someone else wrote must not point an undo elsewhere.
 */
function trustedPreviousRevision(value, serviceTaskDefinition) {
    if (!value || !serviceTaskDefinition || !TASK_DEFINITION_ARN.test(value))
        return undefined;
    return (0,revision/* familyOfReference */.DH)(value) === (0,revision/* familyOfReference */.DH)(serviceTaskDefinition) ? value : undefined;
}

;// CONCATENATED MODULE: ./src/workloads/canary-tasks.ts




/** RunTask takes at most 10 tasks a call. */
const RUN_BATCH = 10;
/**
 * The canary tasks of the service: those ListTasks finds by the marker (running or on their way)
 * that carry the action's tag naming this service. A task with the marker but not the tag is
 * someone else's and is left alone.
 */
async function findCanaryTasks(ecs, scope) {
    // Stopped ones too: a canary task that died may still have a target in the group.
    const listed = await Promise.all(['RUNNING', 'STOPPED'].map((desiredStatus) => listTasks(ecs, scope, desiredStatus)));
    const tasks = await describeTasks(ecs, scope.cluster, listed.flat());
    return tasks.filter((t) => isOwnTask(t.tags, scope.tagKey, scope.serviceArn));
}
async function listTasks(ecs, scope, desiredStatus) {
    const arns = [];
    let nextToken;
    do {
        const page = await (0,call/* awsCall */.uF)('ecs:ListTasks', () => ecs.send(new client_ecs_dist_cjs/* ListTasksCommand */.MYg({
            cluster: scope.cluster,
            startedBy: scope.marker,
            desiredStatus,
            ...(nextToken ? { nextToken } : {})
        })));
        arns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    return arns;
}
/** DescribeTasks with tags, 100 ARNs a call (its limit). */
async function describeTasks(ecs, cluster, arns) {
    if (arns.length === 0)
        return [];
    const batches = [];
    for (let i = 0; i < arns.length; i += 100)
        batches.push(arns.slice(i, i + 100));
    const answers = await Promise.all(batches.map((tasks) => (0,call/* awsCall */.uF)('ecs:DescribeTasks', () => ecs.send(new client_ecs_dist_cjs/* DescribeTasksCommand */.z8X({ cluster, tasks, include: ['TAGS'] })))));
    return answers.flatMap((a) => a.tasks ?? []);
}
/**
 * RunTask as the service would start a task, pure: its network configuration, launch type or
 * capacity providers and platform version, with the marker and the action's tag.
 */
function runTaskInput(service, scope, taskDefinition, count) {
    const providers = service.capacityProviderStrategy ?? [];
    return {
        cluster: scope.cluster,
        taskDefinition,
        count,
        startedBy: scope.marker,
        ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {}),
        ...(providers.length > 0
            ? { capacityProviderStrategy: providers }
            : service.launchType
                ? { launchType: service.launchType }
                : {}),
        ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
        ...(service.enableECSManagedTags ? { enableECSManagedTags: true } : {}),
        tags: [{ key: canaryTaskTag(scope.tagKey), value: scope.serviceArn }]
    };
}
/** What RunTask could not start, in AWS's words. */
class RunTaskFailure extends errors/* StateError */.qq {
    started;
    constructor(message, 
    /** The tasks it did start, which the caller stops. */
    started) {
        super(message);
        this.started = started;
    }
}
/** Starts `count` canary tasks; a task ECS could not place fails the call with its reason. */
async function runCanaryTasks(ecs, input) {
    const started = [];
    for (let left = input.count ?? 1; left > 0; left -= RUN_BATCH) {
        const count = Math.min(left, RUN_BATCH);
        const answer = await (0,call/* awsCall */.uF)('ecs:RunTask', () => ecs.send(new client_ecs_dist_cjs/* RunTaskCommand */._eD({ ...input, count }))).catch((error) => {
            throw new RunTaskFailure(error instanceof Error ? error.message : String(error), started);
        });
        started.push(...(answer.tasks ?? []));
        const failures = answer.failures ?? [];
        if (failures.length > 0 || (answer.tasks ?? []).length < count) {
            const reasons = failures.map((f) => `${f.reason ?? 'unknown'}${f.detail ? ` (${f.detail})` : ''}`);
            throw new RunTaskFailure(`RunTask started ${started.length} of ${input.count} canary task(s): ${reasons.join('; ') || 'no reason given'}.`, started);
        }
    }
    return started;
}
/** The private IPv4 address of an awsvpc task, once its network interface is attached. */
function privateIp(task) {
    for (const attachment of task.attachments ?? []) {
        const ip = attachment.details?.find((d) => d.name === 'privateIPv4Address')?.value;
        if (ip)
            return ip;
    }
    for (const container of task.containers ?? []) {
        const ip = container.networkInterfaces?.find((n) => n.privateIpv4Address)?.privateIpv4Address;
        if (ip)
            return ip;
    }
    return undefined;
}
/**
 * Waits until every task is RUNNING with a private IP. A task that stops, or the timeout, fails
 * with AWS's reason; the caller stops what was started.
 */
async function waitForRunning(ecs, cluster, arns, wait) {
    const start = wait.clock.now();
    for (;;) {
        const tasks = await describeTasks(ecs, cluster, arns);
        const stopped = tasks.find((t) => t.lastStatus === 'STOPPED' || t.desiredStatus === 'STOPPED');
        if (stopped) {
            throw new errors/* StateError */.qq(`Canary task ${taskId(stopped)} stopped before it ran: ${stopReason(stopped)}.`);
        }
        const waiting = tasks.filter((t) => t.lastStatus !== 'RUNNING' || !privateIp(t));
        if (waiting.length === 0 && tasks.length === arns.length)
            return tasks;
        const left = start + wait.timeoutMs - wait.clock.now();
        if (left <= 0) {
            const states = waiting.map((t) => `${taskId(t)} ${t.lastStatus ?? 'unknown'}`).join(', ');
            throw new errors/* StateError */.qq(`The canary task(s) were not RUNNING with a private IP within ` +
                `${Math.round(wait.timeoutMs / 1000)} s (${states || 'not found'}).`);
        }
        wait.log(`Waiting for the canary task(s) to run: ${waiting.map(taskId).join(', ')}`);
        await wait.clock.sleep(Math.min(wait.pollMs, left));
    }
}
/** Stops the tasks (StopTask on a task that has stopped already answers as usual). */
async function stopTasks(ecs, cluster, arns, reason) {
    await Promise.all(arns.map((task) => (0,call/* awsCall */.uF)('ecs:StopTask', () => ecs.send(new client_ecs_dist_cjs/* StopTaskCommand */.PP1({ cluster, task, reason })))));
}
/** Why ECS stopped a task, in its words. */
function stopReason(task) {
    const container = task.containers?.find((c) => c.exitCode !== undefined && c.exitCode !== 0);
    const exit = container ? `; container ${container.name} exited ${container.exitCode}` : '';
    return `${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${exit}${container?.reason ? ` (${container.reason})` : ''}`;
}
function taskId(task) {
    return (task.taskArn ?? '').split('/').pop() ?? '';
}

;// CONCATENATED MODULE: ./src/workloads/standalone-colors.ts


/**
 * Which colour the service's own tasks are, pure. The canary colour's revision is what its tasks
 * run, else what the last deploy put there, else what the service ran before the last promote
 * (what an undo goes back to). The service is the canary colour once it runs that revision: a
 * promote that rolled the service and stopped before its tag is then seen as all traffic on the
 * canary, which its rerun finishes by writing the tag.
 */
function assignColors(facts) {
    const canary = (0,src_color/* otherColor */.IP)(facts.stable);
    const recorded = (color) => facts.deployed?.color === color ? facts.deployed.version : undefined;
    const service = facts.serviceTaskDefinition;
    const canaryRevision = facts.canaryTaskDefinition ?? recorded(canary) ?? facts.previousRevision;
    if (canaryRevision !== undefined && sameVersion(canaryRevision, service)) {
        const before = facts.previousRevision && !sameVersion(facts.previousRevision, service)
            ? facts.previousRevision
            : undefined;
        const stableRevision = recorded(facts.stable) ?? before;
        return {
            serviceColor: canary,
            revisions: { [canary]: service, [facts.stable]: stableRevision }
        };
    }
    return {
        serviceColor: facts.stable,
        revisions: { [facts.stable]: service, [canary]: canaryRevision }
    };
}
/** Two references to the same revision: ARNs and `family:revision` compare by the latter. */
function sameVersion(a, b) {
    return versionOf(a) === versionOf(b);
}

;// CONCATENATED MODULE: ./src/workloads/canary-targets.ts



/** `10.0.1.7:8080`, as target health reports name a target. */
function targetId(target) {
    return `${target.Id}:${target.Port}`;
}
async function registerTargets(elb, targetGroup, targets) {
    if (targets.length === 0)
        return;
    await (0,call/* awsCall */.uF)('elasticloadbalancing:RegisterTargets', () => elb.send(new dist_cjs/* RegisterTargetsCommand */.PE6({ TargetGroupArn: targetGroup, Targets: targets })));
}
/**
 * Deregisters the targets, then waits while the load balancer drains them (finishes the requests
 * they have), up to the target group's deregistration delay and at most `capMs`: traffic never
 * goes to a task stopped after this. A cancel ends the wait (the targets take no new request
 * already); the caller then must not stop their tasks.
 */
async function deregisterAndDrain(elb, targetGroup, targets, wait) {
    if (targets.length === 0)
        return { waitedMs: 0, cancelled: false };
    const [, delayMs] = await Promise.all([
        (0,call/* awsCall */.uF)('elasticloadbalancing:DeregisterTargets', () => elb.send(new dist_cjs/* DeregisterTargetsCommand */.Atx({ TargetGroupArn: targetGroup, Targets: targets }))),
        deregistrationDelayMs(elb, targetGroup)
    ]);
    const limit = Math.min(delayMs, wait.capMs);
    const start = wait.clock.now();
    const ids = new Set(targets.map(targetId));
    for (;;) {
        const read = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeTargetHealth', () => elb.send(new dist_cjs/* DescribeTargetHealthCommand */.qyg({ TargetGroupArn: targetGroup })));
        const draining = (read.TargetHealthDescriptions ?? []).filter((d) => d.Target && ids.has(targetId(d.Target)) && d.TargetHealth?.State === 'draining');
        const waited = wait.clock.now() - start;
        if (draining.length === 0)
            return { waitedMs: waited, cancelled: false };
        const left = limit - waited;
        if (left <= 0) {
            wait.log(`Stopped waiting for ${draining.length} target(s) to drain after ${Math.round(waited / 1000)} s (deregistration-timeout-seconds).`);
            return { waitedMs: waited, cancelled: false };
        }
        wait.log(`Draining ${draining.map((d) => targetId(d.Target)).join(', ')}`);
        const cancelled = await wait.clock.sleep(Math.min(wait.pollMs, left)).then(() => false, (error) => {
            if (error instanceof errors/* CancelledError */.cc)
                return true;
            throw error;
        });
        if (cancelled)
            return { waitedMs: wait.clock.now() - start, cancelled };
    }
}
/** The group's `deregistration_delay.timeout_seconds` (ELB's default, 300 s, when unread). */
async function deregistrationDelayMs(elb, targetGroup) {
    const read = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeTargetGroupAttributes', () => elb.send(new dist_cjs/* DescribeTargetGroupAttributesCommand */.cKh({ TargetGroupArn: targetGroup })));
    const value = read.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds');
    const seconds = Number(value?.Value ?? 300);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 300_000;
}

;// CONCATENATED MODULE: ./src/workloads/service-rollout.ts





/** The primary deployment's state, or why the rollout failed, pure. */
function rolloutVerdict(service, taskDefinition) {
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    const state = primary?.rolloutState ?? 'UNKNOWN';
    const reason = primary?.rolloutStateReason ? ` (${primary.rolloutStateReason})` : '';
    if (!primary?.taskDefinition || !sameVersion(primary.taskDefinition, taskDefinition)) {
        // The primary deployment is the rollback's now; why the rollout failed is on its own.
        const failed = service.deployments?.find((d) => d.taskDefinition && sameVersion(d.taskDefinition, taskDefinition));
        const why = failed?.rolloutStateReason ? ` (${failed.rolloutStateReason})` : '';
        return {
            done: false,
            state,
            failure: `The deployment circuit breaker rolled service ${service.serviceName} back to ` +
                `${versionOf(primary?.taskDefinition ?? 'another revision')}: ${versionOf(taskDefinition)} did not become healthy${why}.`
        };
    }
    if (state === 'FAILED') {
        return {
            done: false,
            state,
            failure: `The rollout of ${versionOf(taskDefinition)} on service ${service.serviceName} FAILED${reason}.`
        };
    }
    return state === 'COMPLETED' ? { done: true } : { done: false, state };
}
/**
 * Rolls the service to `taskDefinition` with UpdateService (unless it runs it already) and waits
 * until its PRIMARY deployment is COMPLETED. A FAILED rollout, a circuit-breaker rollback or the
 * timeout fails, saying which; a cancel ends the wait (InterruptedWaitError), never the rollout.
 * Returns what was written, or undefined when nothing was.
 */
async function rollService(ecs, where, taskDefinition, wait) {
    const { cluster, service } = where;
    const arn = service.serviceArn ?? '';
    const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
    const current = primary?.taskDefinition ?? service.taskDefinition ?? '';
    let wrote;
    if (!sameVersion(current, taskDefinition)) {
        await (0,call/* awsCall */.uF)('ecs:UpdateService', () => ecs.send(new client_ecs_dist_cjs/* UpdateServiceCommand */.kZr({ cluster, service: arn, taskDefinition })));
        wrote = `service ${service.serviceName}: task definition ${versionOf(current)} → ${versionOf(taskDefinition)}`;
        wait.log(wrote);
    }
    try {
        await awaitRollout(ecs, where, taskDefinition, wait);
    }
    catch (error) {
        // After UpdateService the run has written: a failure says so, so it is reported, not lost.
        if (!wrote)
            throw error;
        if (error instanceof errors/* InterruptedWaitError */.ep)
            throw new errors/* InterruptedWaitError */.ep(error.message, [wrote]);
        throw new errors/* PartialWriteError */.vT((0,errors/* messageOf */.bD)(error), [wrote]);
    }
    return wrote;
}
/** Polls until the PRIMARY deployment runs `taskDefinition` COMPLETED, or fails saying why. */
async function awaitRollout(ecs, where, taskDefinition, wait) {
    const { cluster, service } = where;
    const arn = service.serviceArn ?? '';
    const start = wait.clock.now();
    for (;;) {
        const read = await (0,call/* awsCall */.uF)('ecs:DescribeServices', () => ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [arn] })));
        const now = read.services?.[0];
        if (!now)
            throw new errors/* StateError */.qq(`Service ${service.serviceName} is gone.`);
        const verdict = rolloutVerdict(now, taskDefinition);
        if (verdict.done)
            return;
        if (verdict.failure)
            throw new errors/* StateError */.qq(verdict.failure);
        const left = start + wait.timeoutMs - wait.clock.now();
        if (left <= 0) {
            throw new errors/* StateError */.qq(`The rollout of ${versionOf(taskDefinition)} on service ${service.serviceName} was not ` +
                `COMPLETED within ${Math.round(wait.timeoutMs / 1000)} s (it is ${verdict.state}).`);
        }
        wait.log(`Waiting for service ${service.serviceName} to roll out ${versionOf(taskDefinition)}: ${verdict.state}`);
        await wait.clock.sleep(Math.min(wait.pollMs, left)).catch((error) => {
            if (!(error instanceof errors/* CancelledError */.cc))
                throw error;
            // ECS owns the rollout: it goes on without this run.
            throw new errors/* InterruptedWaitError */.ep(`The cancel ended the wait for service ${service.serviceName}'s rollout to ` +
                `${versionOf(taskDefinition)} (${verdict.state}); ECS carries it on.`);
        });
    }
}

;// CONCATENATED MODULE: ./src/workloads/two-services.ts






/** The largest desired count the action restores from its own tag (ECS's tasks-per-service quota). */
const MAX_RESTORED_COUNT = 5000;
/** `3@arn:aws:ecs:…:service/c/web-blue`: the count the service had, and which service wrote it. */
function formatScaleTag(desired, serviceArn) {
    return `${desired}@${serviceArn}`;
}
/**
 * The count a retired service had, from the tag the action wrote when it scaled it down. Pure.
 * Undefined unless the tag is the action's own for this very service (a tag copied with the
 * service's definition names another ARN) and the count is one the action would have written.
 */
function parseScaleTag(value, serviceArn) {
    const match = /^(\d{1,4})@(.+)$/.exec(value ?? '');
    if (!match || match[2] !== serviceArn)
        return undefined;
    const count = Number(match[1]);
    return count >= 1 && count <= MAX_RESTORED_COUNT ? count : undefined;
}
/** The service as a unit; its stability is its primary deployment's rollout state. Pure. */
function serviceUnit(color, service) {
    const deployments = service.deployments ?? [];
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    const rollout = primary?.rolloutState ?? 'UNKNOWN';
    return {
        color,
        arn: service.serviceArn ?? '',
        label: service.serviceName ?? service.serviceArn ?? '',
        status: service.status ?? 'UNKNOWN',
        stability: deployments.length > 1 && rollout === 'COMPLETED' ? 'IN_PROGRESS' : rollout,
        running: service.runningCount ?? 0,
        desired: service.desiredCount ?? 0,
        taskDefinitionArn: primary?.taskDefinition ?? service.taskDefinition
    };
}
/**
 * What keeps a colour's service from taking traffic; empty when it is ready. Pure. Its deployment
 * must be COMPLETED, it must want tasks and run them all, and its targets (when it registers in
 * a target group) must be healthy.
 */
function serviceBlockers(unit, targets) {
    const reasons = [];
    if (unit.status !== 'ACTIVE')
        reasons.push(`service ${unit.label} is ${unit.status}`);
    if (unit.stability !== 'COMPLETED')
        reasons.push(`its deployment is ${unit.stability}`);
    if (unit.desired <= 0)
        reasons.push('service wants 0 tasks (scale it up first)');
    else if (unit.running < unit.desired)
        reasons.push(`${unit.running}/${unit.desired} tasks running`);
    return targets ? [...reasons, ...targetBlockers(targets)] : reasons;
}
/** The colour's target group: the input's, which the service must register in, else its own. */
function targetGroupOf(color, service, given) {
    const groups = (service.loadBalancers ?? [])
        .map((lb) => lb.targetGroupArn)
        .filter(Boolean);
    if (given === undefined)
        return groups[0];
    if (groups.length > 0 && !groups.includes(given)) {
        throw new errors/* StateError */.qq(`The ${color} service ${service.serviceName} registers its tasks in ${groups.join(', ')}, not in ` +
            `the ${color} target group ${given}: traffic for ${color} would reach the wrong tasks.`);
    }
    return given;
}
/**
 * Blue and Green as two ECS services of the ECS deployment controller, one per colour, each in
 * its own target group or service-discovery name. Retiring a colour sets its desired count to 0
 * and records the count it had in a tag on that service, which restoring reads back. (Over 60
 * lines: one class per workload kind; each method is short.)
 */
class TwoServiceWorkload {
    ecs;
    elb;
    where;
    colors;
    discovered;
    taskDefinitions;
    kind = 'ecs-services';
    constructor(ecs, elb, where, colors, discovered, taskDefinitions) {
        this.ecs = ecs;
        this.elb = elb;
        this.where = where;
        this.colors = colors;
        this.discovered = discovered;
        this.taskDefinitions = taskDefinitions;
    }
    static async discover(clients, where) {
        const services = await describeColors(clients.ecs, where);
        const colors = {
            Blue: {
                service: services.Blue,
                targetGroup: targetGroupOf('Blue', services.Blue, where.targetGroups.Blue)
            },
            Green: {
                service: services.Green,
                targetGroup: targetGroupOf('Green', services.Green, where.targetGroups.Green)
            }
        };
        if (colors.Blue.targetGroup && colors.Blue.targetGroup === colors.Green.targetGroup) {
            throw new errors/* StateError */.qq(`Both services register in target group ${colors.Blue.targetGroup}; each colour needs its own.`);
        }
        const targets = await Promise.all(src_color/* COLORS */.lm.map((c) => readTargets(clients.elb, colors[c].targetGroup, where.readTargets)));
        const discovered = {
            Blue: two_services_colorHealth('Blue', services.Blue, targets[0]),
            Green: two_services_colorHealth('Green', services.Green, targets[1])
        };
        const taskDefinitions = prefetchTaskDefinitions(clients.ecs, {
            taskSets: src_color/* COLORS */.lm.map((c) => ({ taskDefinition: discovered[c].unit.taskDefinitionArn }))
        });
        return new TwoServiceWorkload(clients.ecs, clients.elb, where, colors, discovered, taskDefinitions);
    }
    /** The colours' services as discovery read them (ARNs and tags). */
    service(color) {
        return this.colors[color].service;
    }
    async probe(color) {
        const [services, targets] = await Promise.all([
            describeColors(this.ecs, this.where),
            readTargets(this.elb, this.colors[color].targetGroup, true)
        ]);
        return two_services_colorHealth(color, services[color], targets);
    }
    /** The count is recorded first: a run that stops between the two writes leaves a full service. */
    async retire(color) {
        const unit = this.discovered[color].unit;
        if (unit.desired <= 0)
            return undefined;
        await this.tag(unit.arn, formatScaleTag(unit.desired, unit.arn));
        await this.scale(unit.arn, 0);
        return `service ${unit.label} (${color}): desired count ${unit.desired} → 0 after promote (tag ${this.where.scaleTag} keeps ${unit.desired})`;
    }
    /** The count from the action's own tag; a tag that is not refuses, before any write. */
    async restore(color) {
        if (!this.discovered[color].retired)
            return undefined;
        const { service } = this.colors[color];
        const arn = service.serviceArn ?? '';
        const tag = this.where.scaleTag;
        const value = (service.tags ?? []).find((t) => t.key === tag)?.value;
        const count = parseScaleTag(value, arn);
        if (count === undefined) {
            throw new errors/* StateError */.qq(`Service ${service.serviceName} (${color}) wants 0 tasks and ` +
                (value === undefined
                    ? `has no ${tag} tag`
                    : `its ${tag} tag "${value}" is not one this action wrote for it`) +
                `, so the count to restore is unknown. Scale it with: aws ecs update-service --cluster ${this.where.cluster} ` +
                `--service ${arn} --desired-count N, then run this step again. Nothing was written.`);
        }
        await this.scale(arn, count);
        await (0,call/* awsCall */.uF)('ecs:UntagResource', () => this.ecs.send(new client_ecs_dist_cjs/* UntagResourceCommand */.RP$({ resourceArn: arn, tagKeys: [tag] })));
        return `service ${service.serviceName} (${color}): desired count 0 → ${count} (restored)`;
    }
    /** Every unit of a colour is behind its route: nothing is left over to release. */
    releasable() {
        return false;
    }
    async release() {
        return [];
    }
    undoOnRollback = false;
    async details() {
        const read = (color) => {
            const arn = this.discovered[color].unit.taskDefinitionArn;
            return arn ? this.taskDefinitions(arn) : Promise.resolve(undefined);
        };
        const [Blue, Green] = await Promise.all(src_color/* COLORS */.lm.map(read));
        return { Blue, Green };
    }
    async tag(arn, value) {
        await (0,call/* awsCall */.uF)('ecs:TagResource', () => this.ecs.send(new client_ecs_dist_cjs/* TagResourceCommand */.eqU({ resourceArn: arn, tags: [{ key: this.where.scaleTag, value }] })));
    }
    async scale(arn, desiredCount) {
        await (0,call/* awsCall */.uF)('ecs:UpdateService', () => this.ecs.send(new client_ecs_dist_cjs/* UpdateServiceCommand */.kZr({ cluster: this.where.cluster, service: arn, desiredCount })));
    }
}
function two_services_colorHealth(color, service, targets) {
    const unit = serviceUnit(color, service);
    const summary = targets ?? {
        targetGroupArn: '',
        total: 0,
        healthy: 0,
        notHealthy: [],
        unread: true
    };
    return {
        unit,
        targets: summary,
        blockers: serviceBlockers(unit, targets),
        retired: unit.desired === 0
    };
}
async function readTargets(elb, targetGroup, read) {
    if (!targetGroup)
        return undefined;
    return read ? readTargetHealth(elb, targetGroup) : unreadTargets(targetGroup);
}
/** Both colours' services in one DescribeServices call, with their tags. */
async function describeColors(ecs, where) {
    const { cluster, services } = where;
    const response = await (0,call/* awsCall */.uF)('ecs:DescribeServices', () => ecs.send(new client_ecs_dist_cjs/* DescribeServicesCommand */.H7c({
        cluster,
        services: [services.Blue, services.Green],
        include: ['TAGS']
    })), (name) => name === 'ClusterNotFoundException'
        ? new errors/* NotFoundError */.m_(`ECS cluster "${cluster}" was not found. Check "cluster" and "aws-region".`)
        : undefined);
    const found = (response.services ?? []).filter((s) => s.status !== 'INACTIVE');
    const pick = (color) => {
        const wanted = services[color];
        const service = found.find((s) => s.serviceName === wanted || s.serviceArn === wanted);
        if (!service) {
            throw new errors/* NotFoundError */.m_(`The ${color} service "${wanted}" was not found in cluster "${cluster}". Check "${color.toLowerCase()}-service".`);
        }
        const controller = service.deploymentController?.type ?? 'ECS';
        if (controller !== 'ECS') {
            throw new errors/* StateError */.qq(`The ${color} service ${service.serviceName} uses the ${controller} deployment controller; ` +
                'with "blue-service" and "green-service" each colour is a service of the ECS (rolling) controller.');
        }
        return service;
    };
    const picked = { Blue: pick('Blue'), Green: pick('Green') };
    if (picked.Blue.serviceArn === picked.Green.serviceArn) {
        throw new errors/* StateError */.qq('"blue-service" and "green-service" name the same service; each colour needs its own.');
    }
    return picked;
}

;// CONCATENATED MODULE: ./src/workloads/standalone-task.ts

















/**
 * A service of the ECS (rolling) controller and canary tasks started beside it with RunTask: the
 * service's own tasks are one colour, the canary tasks the other, and their IPs join the
 * service's target group. A promote rolls the service to the canary's revision; the router
 * (src/routers/task-count/) moves traffic by registering canary targets. (Over 60 lines: one class
 * per workload kind; each method is short.)
 */
class StandaloneTaskWorkload {
    ecs;
    elb;
    service;
    entry;
    tasks;
    targets;
    stable;
    tags;
    options;
    kind = 'standalone-task';
    canary;
    scope;
    discovered;
    assignment;
    /** The service's desired count when discovered: the router's unit of share. */
    serviceCount;
    taskDefinitions;
    /** Canary tasks that ran when discovered: one of them stopping since is a canary that died. */
    liveAtStart;
    /** Set when a cancel ended a drain: the targets' tasks may still serve requests. */
    drainCancelled = false;
    constructor(ecs, elb, service, entry, tasks, targets, stable, tags, options) {
        this.ecs = ecs;
        this.elb = elb;
        this.service = service;
        this.entry = entry;
        this.tasks = tasks;
        this.targets = targets;
        this.stable = stable;
        this.tags = tags;
        this.options = options;
        this.canary = (0,src_color/* otherColor */.IP)(stable);
        this.serviceCount = service.desiredCount ?? 0;
        this.scope = {
            cluster: options.cluster,
            serviceArn: service.serviceArn ?? '',
            marker: canaryMarker(options.tagKey, service.serviceName ?? ''),
            tagKey: options.tagKey
        };
        this.liveAtStart = new Set(this.liveTasks().map((t) => t.taskArn ?? ''));
        this.assignment = this.assign();
        this.discovered = this.health();
        this.taskDefinitions = prefetchTaskDefinitions(ecs, {
            taskSets: src_color/* COLORS */.lm.map((c) => ({ taskDefinition: this.assignment.revisions[c] }))
        });
    }
    /**
     * Reads the canary tasks (by their marker and tag) and the target group beside each other, once
     * the service is known, and refuses a service this shape cannot serve before any write.
     */
    static async discover(clients, state, stable, options) {
        const service = state.described ?? {};
        const entry = loadBalancerEntry(state.name, service);
        const scope = {
            cluster: options.cluster,
            serviceArn: state.arn,
            marker: canaryMarker(options.tagKey, state.name),
            tagKey: options.tagKey
        };
        if (options.starts)
            refuseCanaryCount(state.name, service, options.canaryTasks);
        const [tasks, targets] = await Promise.all([
            findCanaryTasks(clients.ecs, scope),
            standalone_task_readTargets(clients.elb, entry.targetGroup),
            options.starts ? checkTargetType(clients.elb, entry.targetGroup) : undefined,
            options.starts ? checkNetwork(clients.ecs, state.name, service) : undefined
        ]);
        return new StandaloneTaskWorkload(clients.ecs, clients.elb, service, entry, tasks, targets, stable, state.tags, options);
    }
    /** The colour whose revision the service runs now. */
    get serviceColor() {
        return this.assignment.serviceColor;
    }
    /** The service as last read (network, launch type: what RunTask copies). */
    get serviceDescription() {
        return this.service;
    }
    /** Canary tasks that have not been told to stop. */
    liveTasks() {
        return this.tasks.filter((t) => t.desiredStatus !== 'STOPPED' && t.lastStatus !== 'STOPPED');
    }
    /** The target a running canary task takes traffic at: its private IP and the container port. */
    targetOf(task) {
        const ip = privateIp(task);
        return ip ? { Id: ip, Port: this.entry.containerPort } : undefined;
    }
    /** Targets in the group (not draining) that belong to canary tasks, live or stopped. */
    registeredCanary() {
        const own = new Set(this.tasks.flatMap((t) => {
            const target = this.targetOf(t);
            return target ? [targetId(target)] : [];
        }));
        return this.targets
            .filter((d) => d.TargetHealth?.State !== 'draining' && d.Target && own.has(targetId(d.Target)))
            .map((d) => ({ Id: d.Target.Id, Port: d.Target.Port }));
    }
    /** Healthy targets: canary ones and all, for the honest share the summary shows. */
    healthyCounts() {
        const canary = new Set(this.registeredCanary().map(targetId));
        const healthy = this.targets.filter((d) => d.TargetHealth?.State === 'healthy' && d.Target);
        return {
            canary: healthy.filter((d) => canary.has(targetId(d.Target))).length,
            all: healthy.length
        };
    }
    async refreshTargets() {
        this.targets = await standalone_task_readTargets(this.elb, this.entry.targetGroup);
    }
    async probe(color) {
        const [state, tasks, targets] = await Promise.all([
            (0,discover_service/* readService */.u)(this.ecs, this.options.cluster, this.scope.serviceArn),
            describeTasks(this.ecs, this.options.cluster, this.tasks.map((t) => t.taskArn ?? '')),
            standalone_task_readTargets(this.elb, this.entry.targetGroup)
        ]);
        this.service = state.described ?? this.service;
        this.tasks = tasks;
        this.targets = targets;
        this.assignment = this.assign();
        return this.health()[color];
    }
    /** Nothing to free after a promote: the service is the only capacity, and it serves. */
    async retire() {
        return undefined;
    }
    /**
     * An undo: the service rolls back to the colour's revision (recorded when the promote rolled it
     * forward) and the rollout is awaited. Nothing when the service runs it already.
     */
    async restore(color) {
        if (color === this.serviceColor || this.liveTasks().length > 0)
            return undefined;
        return this.rollTo(color, false);
    }
    /**
     * Rolls the service to `color`'s revision and waits for the rollout. A promote first records
     * the revision it leaves on the service (`<tag-key>PreviousRevision`), which an undo returns to.
     */
    async rollTo(color, record) {
        const revision = this.assignment.revisions[color];
        if (!revision) {
            throw new errors/* StateError */.qq(`The revision ${color} runs is unknown, so service ${this.service.serviceName} cannot be rolled to it.`);
        }
        const current = this.assignment.revisions[this.serviceColor];
        const lines = [];
        if (record && current && color !== this.serviceColor) {
            const key = previousRevisionTag(this.options.tagKey);
            await (0,call/* awsCall */.uF)('ecs:TagResource', () => this.ecs.send(new client_ecs_dist_cjs/* TagResourceCommand */.eqU({
                resourceArn: this.scope.serviceArn,
                tags: [{ key, value: this.serviceTaskDefinition() }]
            })));
            this.tags[key] = this.serviceTaskDefinition();
            lines.push(`service tag ${key}: ${this.serviceTaskDefinition()}`);
        }
        const rolled = await rollService(this.ecs, { cluster: this.options.cluster, service: this.service }, revision, {
            clock: this.options.clock,
            timeoutMs: this.options.timeoutMs,
            pollMs: this.options.pollMs,
            log: this.options.log
        }).catch((error) => {
            // What was written before the failure travels with it: the tag, then UpdateService.
            const written = [...lines, ...(0,errors/* writtenBefore */.T2)(error)];
            if (error instanceof errors/* InterruptedWaitError */.ep) {
                throw new errors/* InterruptedWaitError */.ep(`${error.message} ${this.rolloutLeft(revision, current, record)}`, written);
            }
            throw written.length > 0 ? new errors/* PartialWriteError */.vT((0,errors/* messageOf */.bD)(error), written) : error;
        });
        if (rolled)
            lines.push(`${rolled} (rollout COMPLETED)`);
        const state = await (0,discover_service/* readService */.u)(this.ecs, this.options.cluster, this.scope.serviceArn);
        this.service = state.described ?? this.service;
        this.assignment = this.assign();
        return lines.length > 0 ? lines.join('; ') : undefined;
    }
    /** What a cancelled rollout leaves and what finishes it, the end of its failure message. */
    rolloutLeft(revision, before, promote) {
        const name = this.service.serviceName;
        if (!promote) {
            return (`Service ${name}'s tasks move back to ${versionOf(revision)}; nothing else was changed. ` +
                'Run mode rollback again to see it finished.');
        }
        const live = this.liveTasks();
        const tasks = live.length > 0 ? `the canary task(s) ${live.map(taskId).join(', ')} still run, and ` : '';
        const back = before ? `, or mode rollback to roll the service back to ${versionOf(before)}` : '';
        return (`Service ${name}'s tasks move to ${versionOf(revision)} and take all of its traffic; ${tasks}` +
            `the stable tag still names ${this.stable}. Run mode promote again to finish the promote ` +
            `(it waits for the rollout, releases the canary and writes the tag)${back}.`);
    }
    releasable(color) {
        return (color === this.canary && (this.liveTasks().length > 0 || this.registeredCanary().length > 0));
    }
    /**
     * The canary tasks once no route needs them (the canary at 0 %, or the service now running
     * their revision): their targets deregistered and drained first, then the tasks stopped, so no
     * request goes to a stopped task.
     */
    async release(color) {
        if (!this.releasable(color))
            return [];
        const lines = [];
        const registered = this.registeredCanary();
        if (registered.length > 0)
            lines.push(await this.deregister(registered));
        const live = this.liveTasks();
        if (this.drainCancelled && live.length > 0) {
            // Stopping them now would cut the requests they still serve.
            throw new errors/* InterruptedWaitError */.ep(`The cancel ended the wait while canary target(s) drained in ${this.entry.targetGroup}: ` +
                `they take no new request, and canary task(s) ${live.map(taskId).join(', ')} still run ` +
                `(stopped only once drained). ${lines.length > 0 ? `Written: ${lines.join('; ')}. ` : ''}` +
                this.releaseLeft());
        }
        if (live.length > 0) {
            await stopTasks(this.ecs, this.options.cluster, live.map((t) => t.taskArn ?? ''), 'canary released by ecs-canary-action');
            for (const task of live)
                task.desiredStatus = 'STOPPED';
            lines.push(`canary task(s) stopped: ${live.map(taskId).join(', ')}`);
        }
        return lines;
    }
    async register(targets) {
        await registerTargets(this.elb, this.entry.targetGroup, targets);
        await this.refreshTargets();
        return `target group ${this.entry.targetGroup}: registered ${targets.map(targetId).join(', ')}`;
    }
    /**
     * Deregisters the targets and waits while they drain. A cancel ends the wait: the targets take
     * no new request, and `release` then leaves their tasks running.
     */
    async deregister(targets) {
        const drained = await deregisterAndDrain(this.elb, this.entry.targetGroup, targets, {
            clock: this.options.clock,
            capMs: this.options.drainCapMs,
            pollMs: this.options.pollMs,
            log: this.options.log
        });
        if (drained.cancelled)
            this.drainCancelled = true;
        await this.refreshTargets();
        const seconds = Math.round(drained.waitedMs / 1000);
        return (`target group ${this.entry.targetGroup}: deregistered ${targets.map(targetId).join(', ')}` +
            (drained.cancelled
                ? ` (draining; the cancel ended the wait after ${seconds} s)`
                : ` (drained in ${seconds} s)`));
    }
    /** What finishes a release the cancel cut short: the service's colour says which mode. */
    releaseLeft() {
        const version = versionOf(this.serviceTaskDefinition());
        return this.serviceColor === this.canary
            ? `Service ${this.service.serviceName} runs the canary's ${version} and takes all traffic; ` +
                `the stable tag still names ${this.stable}. Run mode promote again to finish the promote.`
            : `Service ${this.service.serviceName} (${version}) takes all traffic. Run mode rollback to stop the canary task(s).`;
    }
    /** A plain rollback with no canary task left has only the last promote to take back. */
    get undoOnRollback() {
        return (!this.releasable(this.canary) &&
            this.serviceColor === this.stable &&
            this.assignment.revisions[this.canary] !== undefined &&
            this.trustedPrevious() !== undefined);
    }
    async details() {
        const read = (color) => {
            const arn = this.assignment.revisions[color];
            return arn ? this.taskDefinitions(arn) : Promise.resolve(undefined);
        };
        const [Blue, Green] = await Promise.all(src_color/* COLORS */.lm.map(read));
        return { Blue, Green };
    }
    serviceTaskDefinition() {
        const primary = this.service.deployments?.find((d) => d.status === 'PRIMARY');
        return primary?.taskDefinition ?? this.service.taskDefinition ?? '';
    }
    trustedPrevious() {
        return trustedPreviousRevision(this.tags[previousRevisionTag(this.options.tagKey)], this.serviceTaskDefinition());
    }
    /**
     * The last deploy's record, trusted only for a revision of the service's own family: a promote
     * rolls the service to it, and a tag someone else wrote must not point it elsewhere.
     */
    trustedDeploy() {
        const record = parseDeployRecord(this.tags[tagNames(this.options.tagKey).deploy]);
        const family = (0,revision/* familyOfReference */.DH)(this.serviceTaskDefinition());
        return record && (0,revision/* familyOfReference */.DH)(record.version) === family ? record : undefined;
    }
    assign() {
        const running = this.liveTasks()[0]?.taskDefinitionArn;
        const deployed = this.trustedDeploy();
        const previous = this.trustedPrevious();
        return assignColors({
            stable: this.stable,
            serviceTaskDefinition: this.serviceTaskDefinition(),
            ...(running ? { canaryTaskDefinition: running } : {}),
            ...(deployed ? { deployed } : {}),
            ...(previous ? { previousRevision: previous } : {})
        });
    }
    health() {
        const own = new Set(this.registeredCanary().map(targetId));
        const serviceTargets = summarize(this.entry.targetGroup, this.targets.filter((d) => !d.Target || !own.has(targetId(d.Target))));
        const canaryTargets = summarize(this.entry.targetGroup, this.targets.filter((d) => d.Target && own.has(targetId(d.Target))));
        const serviceColor = this.serviceColor;
        const unit = {
            ...serviceUnit(serviceColor, this.service),
            noun: 'Service tasks',
            taskDefinitionArn: this.serviceTaskDefinition()
        };
        const served = {
            unit,
            targets: serviceTargets,
            blockers: serviceBlockers(unit, serviceTargets),
            retired: false
        };
        const other = (0,src_color/* otherColor */.IP)(serviceColor);
        const tasks = other === this.canary ? this.tasks : [];
        const canary = this.canaryHealth(other, tasks, canaryTargets);
        return { [serviceColor]: served, [other]: canary };
    }
    canaryHealth(color, tasks, targets) {
        const live = tasks.filter((t) => t.desiredStatus !== 'STOPPED');
        const registered = new Set(targets.total > 0 ? this.registeredCanary().map(targetId) : []);
        const died = tasks.filter((t) => {
            if (t.lastStatus !== 'STOPPED' || this.releasedHere(t))
                return false;
            const target = this.targetOf(t);
            return this.liveAtStart.has(t.taskArn ?? '') || (target && registered.has(targetId(target)));
        });
        const blockers = [];
        if (live.length === 0) {
            blockers.push('no canary task runs: give "image" or "task-definition" to start one');
        }
        for (const task of live.filter((t) => t.lastStatus !== 'RUNNING')) {
            blockers.push(`canary task ${taskId(task)} is ${task.lastStatus ?? 'unknown'}`);
        }
        const stopped = died.map((t) => ({
            id: `task ${taskId(t)}`,
            state: 'unhealthy',
            reason: `stopped: ${stopReason(t)}`
        }));
        for (const s of stopped)
            blockers.push(`canary ${s.id} ${s.reason}`);
        if (live.length > 0 && targets.total === 0) {
            blockers.push('no canary task is registered in the target group yet');
        }
        for (const t of targets.notHealthy) {
            blockers.push(`target ${t.id} is ${t.state}${t.reason ? ` (${t.reason})` : ''}`);
        }
        return {
            unit: {
                color,
                arn: live[0]?.taskArn ?? '',
                label: live.length > 0 ? live.map(taskId).join(', ') : 'none',
                noun: 'Canary tasks',
                status: live[0]?.lastStatus ?? 'NONE',
                stability: live.every((t) => t.lastStatus === 'RUNNING') ? 'RUNNING' : 'STARTING',
                running: live.filter((t) => t.lastStatus === 'RUNNING').length,
                desired: live.length,
                taskDefinitionArn: this.assignment.revisions[color]
            },
            targets: { ...targets, notHealthy: [...targets.notHealthy, ...stopped] },
            blockers,
            ...(stopped.length > 0 ? { fatal: stopped.map((s) => `canary ${s.id} ${s.reason}`) } : {}),
            retired: live.length === 0
        };
    }
    /** A task the action stopped itself is not a canary that died. */
    releasedHere(task) {
        return task.stoppedReason === 'canary released by ecs-canary-action';
    }
}
function summarize(targetGroupArn, found) {
    const summary = { targetGroupArn, total: 0, healthy: 0, notHealthy: [] };
    for (const d of found) {
        const state = d.TargetHealth?.State ?? 'unknown';
        if (state === 'draining')
            continue;
        summary.total += 1;
        if (state === 'healthy')
            summary.healthy += 1;
        else {
            summary.notHealthy.push({
                id: `${d.Target?.Id ?? '?'}${d.Target?.Port ? `:${d.Target.Port}` : ''}`,
                state,
                reason: d.TargetHealth?.Reason
            });
        }
    }
    return summary;
}
async function standalone_task_readTargets(elb, targetGroup) {
    const read = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeTargetHealth', () => elb.send(new dist_cjs/* DescribeTargetHealthCommand */.qyg({ TargetGroupArn: targetGroup })));
    return read.TargetHealthDescriptions ?? [];
}
/** The service's one target group entry; refuses a service without one (or with several). */
function loadBalancerEntry(name, service) {
    const entries = (service.loadBalancers ?? []).filter((lb) => lb.targetGroupArn);
    if (entries.length === 0) {
        throw new errors/* StateError */.qq(`Service ${name} has no load balancer target group, so a canary task has nowhere to take ` +
            "traffic. A standalone canary joins the target group of the service's load balancer entry; " +
            'add one to the service, or use "blue-service"/"green-service" or task sets. Nothing was written.');
    }
    if (entries.length > 1) {
        throw new errors/* StateError */.qq(`Service ${name} registers in ${entries.length} target groups (${entries.map((e) => e.targetGroupArn).join(', ')}); ` +
            'a standalone canary joins exactly one. Nothing was written.');
    }
    const [lb] = entries;
    return {
        targetGroup: lb.targetGroupArn ?? '',
        containerName: lb.containerName ?? '',
        containerPort: lb.containerPort ?? 0
    };
}
function refuseCanaryCount(name, service, canaryTasks) {
    const desired = service.desiredCount ?? 0;
    if (canaryTasks <= desired)
        return;
    throw new errors/* StateError */.qq(`"canary-tasks" is ${canaryTasks}, more than service ${name}'s desired count of ${desired}: ` +
        'the canary must stay the smaller part. Lower "canary-tasks" or scale the service up. Nothing was written.');
}
/** Canary targets are IPs: a Lambda group, or instance targets (bridge/host), are refused. */
async function checkTargetType(elb, targetGroup) {
    const read = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeTargetGroups', () => elb.send(new dist_cjs/* DescribeTargetGroupsCommand */.sC7({ TargetGroupArns: [targetGroup] })));
    const type = read.TargetGroups?.[0]?.TargetType ?? 'instance';
    if (type === 'ip')
        return;
    throw new errors/* StateError */.qq(`Target group ${targetGroup} has target type ${type}; a standalone canary task joins it by its ` +
        `private IP, which needs target type ip (awsvpc tasks).` +
        (type === 'lambda' ? ' A Lambda target group has no tasks at all.' : '') +
        ' Nothing was written.');
}
/** awsvpc tasks need the service's network configuration; bridge and host networking are refused. */
async function checkNetwork(ecs, name, service) {
    const read = await (0,call/* awsCall */.uF)('ecs:DescribeTaskDefinition', () => ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: service.taskDefinition ?? '' })));
    const mode = read.taskDefinition?.networkMode ?? 'bridge';
    if (mode !== 'awsvpc') {
        throw new errors/* StateError */.qq(`Service ${name} runs task definition ${service.taskDefinition} with network mode ${mode}; ` +
            'a standalone canary task is registered by its private IP, which needs network mode awsvpc. ' +
            'Nothing was written.');
    }
    if (!service.networkConfiguration?.awsvpcConfiguration) {
        throw new errors/* StateError */.qq(`Service ${name} uses network mode awsvpc but has no network configuration to start a canary ` +
            'task with (subnets, security groups). Nothing was written.');
    }
}

;// CONCATENATED MODULE: ./src/deploy/choose-revision.ts


/**
 * The canary's next revision, pure: the base with only the container's image replaced; the
 * canary's own revision when that is the same (never registered twice); a named revision as it is
 * when no image is given.
 */
function chooseRevision(facts) {
    const { base, image, container, canary } = facts;
    if (image && facts.baseArn && (0,revision/* familyOfReference */.DH)(facts.baseArn) !== facts.stableFamily) {
        throw new errors/* StateError */.qq(`"task-definition" names ${(0,revision/* familyOfReference */.DH)(facts.baseArn)}, but the colours run family ` +
            `${facts.stableFamily}: an image goes into a revision of the same family. Name a ` +
            `${facts.stableFamily} revision, or give "image" alone.`);
    }
    const target = image && container ? (0,revision/* withImage */.Mo)(base, container, image) : base;
    const oldImage = container && canary ? (0,revision/* imageOf */.dT)(canary.revision, container) : undefined;
    const images = {
        ...(container ? { container } : {}),
        ...(oldImage ? { oldImage } : {}),
        ...(image ? { newImage: image } : {})
    };
    if (canary && (canary.arn === facts.baseArn || (0,revision/* sameRevision */.Y6)(target, canary.revision))) {
        return { use: canary.arn, inPlace: true, ...images };
    }
    if (!image && facts.baseArn)
        return { use: facts.baseArn, inPlace: false, ...images };
    return { register: target, inPlace: false, ...images };
}

;// CONCATENATED MODULE: ./src/deploy/task-set-copy.ts



/**
 * The canary colour's new task set: a copy of its current one (network, load balancer, launch
 * type or capacity providers, platform version, external id, scale) running `taskDefinition`.
 * The client token makes a retried create (a rerun after a lost answer) return the same task set.
 * Pure.
 */
function copyTaskSet(current, where, taskDefinition) {
    const providers = current.capacityProviderStrategy ?? [];
    const token = (0,external_node_crypto_.createHash)('sha256')
        .update(`${current.taskSetArn ?? current.id ?? ''} ${taskDefinition}`)
        .digest('hex')
        .slice(0, 32);
    return {
        cluster: where.cluster,
        service: where.service,
        taskDefinition,
        ...(current.externalId ? { externalId: current.externalId } : {}),
        ...(current.networkConfiguration ? { networkConfiguration: current.networkConfiguration } : {}),
        ...(current.loadBalancers?.length ? { loadBalancers: current.loadBalancers } : {}),
        ...(current.serviceRegistries?.length ? { serviceRegistries: current.serviceRegistries } : {}),
        ...(providers.length > 0
            ? { capacityProviderStrategy: providers }
            : current.launchType
                ? { launchType: current.launchType }
                : {}),
        ...(current.platformVersion ? { platformVersion: current.platformVersion } : {}),
        scale: { unit: 'PERCENT', value: current.scale?.value ?? 100 },
        clientToken: token
    };
}
async function createTaskSet(ecs, input) {
    const response = await (0,call/* awsCall */.uF)('ecs:CreateTaskSet', () => ecs.send(new client_ecs_dist_cjs/* CreateTaskSetCommand */.JQQ(input)));
    if (!response.taskSet)
        throw new Error('CreateTaskSet answered without a task set.');
    return response.taskSet;
}
/** Deletes a task set; one that is already gone is what was asked. */
async function deleteTaskSet(ecs, where, taskSet) {
    let gone = false;
    await (0,call/* awsCall */.uF)('ecs:DeleteTaskSet', () => ecs.send(new client_ecs_dist_cjs/* DeleteTaskSetCommand */.y5A({ cluster: where.cluster, service: where.service, taskSet })), (name) => {
        gone = name === 'TaskSetNotFoundException';
        return undefined;
    }).catch((error) => {
        if (!gone)
            throw error;
    });
    return !gone;
}

;// CONCATENATED MODULE: ./src/deploy/task-set-path.ts









/**
 * The API-managed way: register the revision (built from the stable colour's), create the canary
 * colour's new task set as a copy of its current one, wait until it is steady and healthy, then
 * delete the old one. Every prefix is a state a rerun finishes: the revision is found identical,
 * the newest task set in the canary's group is the colour, and the old one is deleted then.
 */
async function taskSetReplacement(ctx) {
    const { state, canary, stable, request } = ctx;
    const ecs = ctx.clients.ecs;
    const service = state.service;
    const current = taskSetInGroup(service, state.where.targetGroups[canary]);
    const canaryArn = state.health[canary].unit.taskDefinitionArn;
    const stableArn = state.health[stable].unit.taskDefinitionArn;
    if (!current || !canaryArn || !stableArn) {
        throw new errors/* StateError */.qq(`The ${canary} colour has no task set to replace in service ${service.name}.`);
    }
    const reference = request.taskDefinition && 'reference' in request.taskDefinition
        ? request.taskDefinition.reference
        : undefined;
    const [stableRead, canaryRead, referenced] = await Promise.all([
        describe(ecs, stableArn),
        describe(ecs, canaryArn),
        reference ? describe(ecs, reference) : Promise.resolve(undefined)
    ]);
    const file = request.taskDefinition && 'file' in request.taskDefinition
        ? request.taskDefinition.revision
        : undefined;
    const base = file ?? referenced?.revision ?? stableRead.revision;
    const container = request.containerName ?? current.loadBalancers?.find((lb) => lb.containerName)?.containerName;
    if (ctx.image && !container) {
        throw new errors/* StateError */.qq(`The ${canary} task set names no container in its load balancer entry: set "container-name".`);
    }
    const choice = chooseRevision({
        base,
        ...(referenced ? { baseArn: referenced.arn } : {}),
        stableFamily: (0,revision/* familyOfReference */.DH)(stableArn),
        ...(ctx.image ? { image: ctx.image } : {}),
        ...(container ? { container } : {}),
        canary: { arn: canaryRead.arn, revision: canaryRead.revision }
    });
    const where = { cluster: ctx.cluster, service: service.arn };
    const leftovers = service.taskSets.filter((t) => t !== current &&
        t.status !== 'DRAINING' &&
        (t.loadBalancers ?? []).some((lb) => lb.targetGroupArn === state.where.targetGroups[canary]));
    const images = {
        ...(choice.container ? { container: choice.container } : {}),
        ...(choice.oldImage ? { oldImage: choice.oldImage } : {}),
        ...(choice.newImage ? { newImage: choice.newImage } : {})
    };
    const imageLine = choice.newImage
        ? ` (${choice.container}: ${choice.oldImage ?? '?'} → ${choice.newImage})`
        : '';
    if (choice.inPlace && leftovers.length === 0)
        return { diff: [], ...images };
    const diff = choice.inPlace
        ? leftovers.map((t) => `${canary}: delete the old task set ${t.id ?? t.taskSetArn}`)
        : [
            `${canary}: task definition ${versionOf(canaryArn)} → ${choice.use ? versionOf(choice.use) : `a new revision of ${choice.register?.family}`}${imageLine}`,
            `${canary}: new task set replaces ${current.id}`
        ];
    const watch = {
        ecs,
        elb: ctx.clients.elb,
        cluster: ctx.cluster,
        service: service.arn,
        color: canary,
        targetGroup: state.where.targetGroups[canary],
        clock: ctx.clock,
        log: ctx.log,
        timeoutMs: ctx.timeoutMs,
        pollMs: ctx.pollMs
    };
    return {
        diff,
        ...images,
        apply: async (write) => {
            const arn = await revisionToRun(ecs, choice, imageLine, write);
            let fresh = current;
            const old = choice.inPlace ? leftovers : [current, ...leftovers];
            if (!choice.inPlace) {
                await write(async () => {
                    fresh = await createTaskSet(ecs, copyTaskSet(current, where, arn));
                    return `task set ${fresh.id} created in ${canary} with ${versionOf(arn)}`;
                });
            }
            await waitForNewCanary(watch, fresh.taskSetArn ?? fresh.id ?? '');
            for (const taskSet of old) {
                const id = taskSet.taskSetArn ?? taskSet.id ?? '';
                await write(async () => (await deleteTaskSet(ecs, where, id))
                    ? `task set ${taskSet.id} (${canary}, ${versionOf(taskSet.taskDefinition ?? '')}) deleted`
                    : undefined);
            }
            return { taskDefinitionArn: arn };
        }
    };
}
async function describe(ecs, reference) {
    const response = await (0,call/* awsCall */.uF)('ecs:DescribeTaskDefinition', () => ecs.send(new client_ecs_dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: reference, include: ['TAGS'] })), (name) => name === 'ClientException'
        ? new errors/* NotFoundError */.m_(`Task definition ${reference} was not found. Check "task-definition" (family:revision or ARN).`)
        : undefined);
    const definition = response.taskDefinition;
    if (!definition?.taskDefinitionArn) {
        throw new errors/* NotFoundError */.m_(`Task definition ${reference} was not found.`);
    }
    return {
        arn: definition.taskDefinitionArn,
        revision: (0,revision/* revisionOf */.DT)(definition, response.tags),
        active: definition.status !== 'INACTIVE' && definition.status !== 'DELETE_IN_PROGRESS'
    };
}
async function register(ecs, revision) {
    const response = await (0,call/* awsCall */.uF)('ecs:RegisterTaskDefinition', () => ecs.send(new client_ecs_dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(revision)));
    const arn = response.taskDefinition?.taskDefinitionArn;
    if (!arn)
        throw new Error('RegisterTaskDefinition answered without an ARN.');
    return arn;
}
/** The revision the canary runs: the one chosen, or the new one, registered as one write. */
async function revisionToRun(ecs, choice, imageLine, write) {
    const revision = choice.register;
    if (!revision)
        return choice.use ?? '';
    let arn = '';
    await write(async () => {
        arn = await register(ecs, revision);
        return `task definition ${versionOf(arn)} registered${imageLine}`;
    });
    return arn;
}

;// CONCATENATED MODULE: ./src/deploy/standalone-path.ts













/**
 * A rolling service's canary: the revision built from the service's own (only the container's
 * image replaced), then `canaryTasks` standalone tasks started with RunTask as the service would
 * start them, and awaited until RUNNING with a private IP. They take no traffic yet: the router
 * registers them. Canary tasks that run the revision already are adopted, never started twice.
 */
async function standaloneReplacement(ctx, canaryTasks) {
    const { workload, request, canary } = ctx;
    if (!(workload instanceof StandaloneTaskWorkload)) {
        throw new errors/* StateError */.qq('Standalone canary tasks need the standalone-task workload.');
    }
    const ecs = ctx.clients.ecs;
    const service = workload.serviceDescription;
    if (workload.serviceColor !== workload.stable) {
        throw new errors/* StateError */.qq(`Service ${service.serviceName} runs the canary's revision already: a promote has not ` +
            'finished. Run mode promote to finish it (or rollback), then deploy. Nothing was written.');
    }
    const serviceRevision = ctx.state.health[workload.stable].unit.taskDefinitionArn ?? '';
    const live = workload.liveTasks();
    const reference = request.taskDefinition && 'reference' in request.taskDefinition
        ? request.taskDefinition.reference
        : undefined;
    // Without canary tasks, the revision the last deploy registered for the canary colour is the
    // colour's own: run it again when it is what is asked for, rather than register a copy.
    const liveRevision = live[0]?.taskDefinitionArn ?? recordedRevision(ctx, workload.options.tagKey, serviceRevision);
    const [stableRead, canaryRead, referenced] = await Promise.all([
        describe(ecs, serviceRevision),
        liveRevision ? describeActive(ecs, liveRevision) : Promise.resolve(undefined),
        reference ? describe(ecs, reference) : Promise.resolve(undefined)
    ]);
    const file = request.taskDefinition && 'file' in request.taskDefinition
        ? request.taskDefinition.revision
        : undefined;
    const container = request.containerName ?? workload.entry.containerName;
    const choice = chooseRevision({
        base: file ?? referenced?.revision ?? stableRead.revision,
        ...(referenced ? { baseArn: referenced.arn } : {}),
        stableFamily: (0,revision/* familyOfReference */.DH)(serviceRevision),
        ...(ctx.image ? { image: ctx.image } : {}),
        ...(container ? { container } : {}),
        ...(canaryRead ? { canary: canaryRead } : {})
    });
    const inService = (choice.use !== undefined && sameVersion(choice.use, serviceRevision)) ||
        (choice.register !== undefined && (0,revision/* sameRevision */.Y6)(choice.register, stableRead.revision));
    // Without canary tasks, the image replaced is the one the service runs.
    const oldImage = live.length > 0 ? choice.oldImage : container && (0,revision/* imageOf */.dT)(stableRead.revision, container);
    const images = {
        ...(choice.container ? { container: choice.container } : {}),
        ...(oldImage ? { oldImage } : {}),
        ...(choice.newImage ? { newImage: choice.newImage } : {})
    };
    if (inService) {
        return {
            diff: [],
            ...images,
            current: `service ${service.serviceName} runs this version already (${versionOf(serviceRevision)})`
        };
    }
    const imageLine = choice.newImage
        ? ` (${choice.container}: ${oldImage ?? '?'} → ${choice.newImage})`
        : '';
    const missing = choice.inPlace ? Math.max(0, canaryTasks - live.length) : canaryTasks;
    if (choice.inPlace && missing === 0)
        return { diff: [], ...images };
    const what = choice.use ? versionOf(choice.use) : `a new revision of ${choice.register?.family}`;
    const diff = [
        ...(!choice.inPlace && live.length > 0
            ? [`${canary}: stop ${live.length} canary task(s) of ${versionOf(liveRevision ?? '')}`]
            : []),
        `${canary}: start ${missing} canary task(s) with ${what}${imageLine} beside service ${service.serviceName}`
    ];
    const wait = {
        clock: ctx.clock,
        timeoutMs: ctx.timeoutMs,
        pollMs: ctx.pollMs,
        log: (line) => ctx.log.info(line)
    };
    return {
        diff,
        ...images,
        apply: async (write) => {
            const arn = await revisionToRun(ecs, choice, imageLine, write);
            // A new canary supersedes the last promote: a rollback must not undo it any more.
            await write(() => forgetUndo(ctx, workload.options.tagKey));
            if (!choice.inPlace)
                await write(async () => (await workload.release(canary)).join('; ') || undefined);
            let arns = [];
            await write(async () => {
                const input = runTaskInput(service, workload.scope, arn, missing);
                const started = await runCanaryTasks(ecs, input).catch(async (error) => {
                    if (error instanceof RunTaskFailure && error.started.length > 0) {
                        await stopStarted(ctx, error.started.map((t) => t.taskArn ?? ''));
                        throw new errors/* StateError */.qq(`${error.message} The ${error.started.length} started were stopped.`);
                    }
                    throw error;
                });
                arns = started.map((t) => t.taskArn ?? '');
                return `canary task(s) started with ${versionOf(arn)}: ${started.map(taskId).join(', ')} (startedBy ${workload.scope.marker})`;
            });
            await waitForRunning(ecs, ctx.cluster, arns, wait).catch(async (error) => {
                // Cancelled, the tasks are left as the task-set path leaves its new task set: marked,
                // tagged and without traffic, so the next canary adopts them and a rollback stops them.
                if (error instanceof errors/* CancelledError */.cc) {
                    throw new errors/* CancelledError */.cc(`Cancelled while the canary task(s) started: they keep running without traffic ` +
                        `(startedBy ${workload.scope.marker}); the next canary run adopts them and mode rollback stops them.`);
                }
                await stopStarted(ctx, arns);
                throw new errors/* StateError */.qq(`${(0,errors/* messageOf */.bD)(error)} The canary task(s) started were stopped.`);
            });
            return { taskDefinitionArn: arn };
        }
    };
}
/**
 * The canary colour's revision as the action's deploy record names it, unless the service runs
 * it. It is run only when identical to what is asked for (family included: `sameRevision`).
 */
function recordedRevision(ctx, tagKey, serviceRevision) {
    const record = parseDeployRecord(ctx.state.service.tags[tagNames(tagKey).deploy]);
    if (!record || record.color !== ctx.canary)
        return undefined;
    return sameVersion(record.version, serviceRevision) ? undefined : record.version;
}
/** A revision new tasks can run (ACTIVE); a deregistered or deleted one is none. */
async function describeActive(ecs, reference) {
    const read = await describe(ecs, reference).catch((error) => {
        if (error instanceof errors/* NotFoundError */.m_)
            return undefined;
        throw error;
    });
    return read?.active ? read : undefined;
}
async function stopStarted(ctx, arns) {
    await stopTasks(ctx.clients.ecs, ctx.cluster, arns, 'canary start failed (ecs-canary-action)');
}
/** Removes the record an undo would read (the colour and revision before the last promote). */
async function forgetUndo(ctx, tagKey) {
    const keys = [tagNames(tagKey).previous, previousRevisionTag(tagKey)].filter((key) => ctx.state.service.tags[key] !== undefined);
    if (keys.length === 0)
        return undefined;
    await (0,call/* awsCall */.uF)('ecs:UntagResource', () => ctx.clients.ecs.send(new client_ecs_dist_cjs/* UntagResourceCommand */.RP$({ resourceArn: ctx.state.service.arn, tagKeys: keys })));
    return `service tags removed: ${keys.join(', ')} (a new canary replaces the undo of the last promote)`;
}

;// CONCATENATED MODULE: ./src/deploy/deploy.ts














/**
 * Puts the requested version into the canary colour, before any traffic moves: the image checked
 * in ECR and pinned to its digest, the revision built from the stable colour's, the colour
 * replaced (by the stack or by task set calls) and healthy at 0 %, and the deploy recorded on the
 * service. Throws before its first write (bad image, bad state); after it, returns a failure that
 * says what was written and that the stable colour keeps its traffic.
 */
async function deployVersion(inputs, request, found, deps) {
    const { state, shape } = found;
    const { log } = deps;
    // A cancel ends the waits (stack update, new task set); what was written is then reported.
    const clock = cancellable(deps.clock, deps.signal);
    const stable = state.stable;
    const canary = (0,src_color/* otherColor */.IP)(stable);
    const image = request.image ? await resolveImage(request.image, inputs.region) : undefined;
    const live = state.split[canary];
    const context = {
        clients: deps.clients,
        cluster: inputs.cluster,
        ...(inputs.stackName ? { stackName: inputs.stackName } : {}),
        request,
        state,
        workload: shape.workload,
        stable,
        canary,
        split: live > 0 && request.replaceLiveCanary ? (0,src_shares/* splitFor */.o_)(canary, 0) : state.split,
        ...(image ? { image: image.text } : {}),
        clock,
        log,
        timeoutMs: inputs.healthTimeoutSeconds * 1000,
        pollMs: deps.pollMs ?? 5000
    };
    const replacement = inputs.stackName
        ? await stackReplacement(context)
        : state.shapeKind === 'standalone-task'
            ? await standaloneReplacement(context, inputs.canaryTasks)
            : await taskSetReplacement(context);
    const base = {
        diff: replacement.diff,
        ...(image?.digest ? { digest: image.digest } : {}),
        ...(replacement.container ? { container: replacement.container } : {}),
        ...(replacement.oldImage ? { oldImage: replacement.oldImage } : {}),
        ...(replacement.newImage ? { newImage: replacement.newImage } : {})
    };
    if (replacement.current) {
        log.info(`Deploy: ${replacement.current}; nothing to deploy.`);
        return { ...base, changed: false, writes: [], current: replacement.current };
    }
    if (!replacement.apply) {
        log.info(`Deploy: ${canary} runs this version already; nothing to deploy.`);
        return { ...base, changed: false, writes: [] };
    }
    for (const line of replacement.diff)
        log.info(`Deploy: ${line}`);
    if (inputs.dryRun)
        return { ...base, changed: false, writes: [] };
    if (live > 0 && !request.replaceLiveCanary) {
        throw new errors/* StateError */.qq(`The canary colour ${canary} carries ${(0,src_shares/* formatPercent */.l9)(live)}% of traffic, and its version is ` +
            'replaced only while it carries none. Run mode rollback first, or set ' +
            '"replace-live-canary: true" to take its share to 0 before the deploy.');
    }
    const guard = new LeaseGuard(shape.lease, inputs.mode, log);
    const writes = [];
    const write = async (run) => {
        await guard.confirm();
        const line = await run();
        if (line) {
            writes.push(line);
            log.info(line);
        }
    };
    try {
        await guard.take(clock.now(), inputs.healthTimeoutSeconds * 2000 + 600_000);
        if (live > 0) {
            await write(async () => {
                const lines = [];
                await shiftAndVerify(shape.router, state.split, (0,src_shares/* splitFor */.o_)(canary, 0), (l) => lines.push(l));
                return lines.join('; ');
            });
        }
        const result = await replacement.apply(write);
        const tags = new ServiceTags(deps.clients.ecs, state.service, state.service.tags, inputs.tagKey);
        const version = result.taskDefinitionArn && versionOf(result.taskDefinitionArn);
        const record = version &&
            formatDeployRecord({
                color: canary,
                version,
                at: recordTime(clock.now()),
                ...(image?.digest ? { digest: image.digest } : {})
            });
        if (record) {
            await write(async () => {
                await tags.set({ [tags.names.deploy]: record });
                return `service tag ${tags.names.deploy}: ${record}`;
            });
        }
        // Kept only for traffic steps that take it over; a deploy that wrote nothing gives it back.
        if (!deps.keepLease || writes.length === 0)
            await guard.release();
        return {
            ...base,
            changed: writes.length > 0,
            writes,
            ...(result.taskDefinitionArn ? { taskDefinitionArn: result.taskDefinitionArn } : {})
        };
    }
    catch (error) {
        const left = await guard.releaseOrExplain(clock.now());
        if (writes.length === 0)
            throw error;
        const message = (0,errors/* messageOf */.bD)(error);
        const traffic = live > 0 || state.split[stable] > 0
            ? `The canary colour ${canary} carries no traffic; the stable colour ${stable} keeps all of it.`
            : `Traffic is ${(0,src_shares/* formatSplit */.oe)(state.split)}.`;
        return {
            ...base,
            changed: true,
            writes,
            failure: `${(0,errors/* sentence */.em)(message)} Written: ${writes.join('; ')}. ${traffic}${left ? ` ${left}` : ''}`
        };
    }
}
/** The image to run: pinned to its digest when it is in ECR (and found there), else as given. */
async function resolveImage(ref, fallbackRegion) {
    if (!ref.ecr)
        return { text: ref.text };
    const ecr = await ecrClient(ref.ecr.region || fallbackRegion);
    const found = await findImage(ecr, ref.ecr, {
        ...(ref.tag ? { tag: ref.tag } : {}),
        ...(ref.digest ? { digest: ref.digest } : {})
    });
    return { text: (0,image_ref/* pinned */.dp)(ref, found.digest), digest: found.digest };
}

;// CONCATENATED MODULE: ./src/deploy/promote-tag.ts



/**
 * After a promote, the promoted colour's ECR image gets `tag` (e.g. `production`), so the
 * registry shows what runs in production. An image the tag names already is left alone, so a
 * rerun writes nothing. Images outside ECR are skipped with a note. Returns the write, a note,
 * or nothing.
 */
async function tagPromotedImages(images, tag, write) {
    const writes = [];
    const notes = [];
    for (const text of images) {
        let ref;
        try {
            ref = (0,image_ref/* parseImageRef */.Q)(text);
        }
        catch (error) {
            if (!(error instanceof errors/* InputError */.dz))
                throw error;
            notes.push(`${text} is not an image reference this action reads; not tagged ${tag}.`);
            continue;
        }
        if (!ref.ecr) {
            notes.push(`${text} is not in Amazon ECR; not tagged ${tag}.`);
            continue;
        }
        const ecr = await ecrClient(ref.ecr.region);
        const found = await findImage(ecr, ref.ecr, {
            ...(ref.tag ? { tag: ref.tag } : {}),
            ...(ref.digest ? { digest: ref.digest } : {})
        });
        if (found.tags.includes(tag))
            continue;
        const where = ref.ecr;
        const line = await write(() => tagImage(ecr, where, found.digest, tag));
        if (line)
            writes.push(line);
    }
    return { writes, notes };
}
/**
 * The images of the promoted revision to tag: the one the last deploy pinned, when it deployed to
 * this colour; else every image of the revision (the action cannot tell the app from a sidecar).
 */
function promotedImages(images, deployedDigest) {
    const pinned = deployedDigest ? images.filter((i) => i.endsWith(`@${deployedDigest}`)) : [];
    return pinned.length > 0 ? pinned : [...images];
}

// EXTERNAL MODULE: ./src/input-values.ts
var input_values = __webpack_require__(5214);
;// CONCATENATED MODULE: ./src/discover/resources.ts




/** True when the stack must be read: a colour value or the route is not given as an input. */
function needsStack(inputs) {
    if (!inputs.stackName || inputs.route53)
        return false;
    // A deploy through the stack reads its parameters and outputs anyway.
    if (inputs.deploy)
        return true;
    const allExplicit = src_color/* COLORS */.lm.every((c) => inputs.taskSets[c] && inputs.targetGroups[c]);
    return !allExplicit || (!inputs.listenerRuleArn && !inputs.listenerArn && !inputs.swap);
}
/**
 * Merges explicit inputs over stack outputs. Pure: `outputs` is undefined when no stack was read.
 */
function resolveResources(inputs, outputs) {
    // Route 53 records route to the colours' services; each service names its own target group.
    if (inputs.route53) {
        return {
            taskSets: {},
            targetGroups: { Blue: inputs.targetGroups.Blue ?? '', Green: inputs.targetGroups.Green ?? '' }
        };
    }
    const missing = [];
    const pick = (explicit, key) => {
        const value = explicit ?? outputs?.[key];
        if (!value)
            missing.push(key);
        return value ?? '';
    };
    // Without a stack, a colour's task set is the one registering in its target group.
    const taskSet = (explicit, key) => outputs || explicit ? { value: pick(explicit, key) } : undefined;
    const blueSet = taskSet(inputs.taskSets.Blue, constants/* StackOutputKeys */.yl.BlueTaskSet);
    const greenSet = taskSet(inputs.taskSets.Green, constants/* StackOutputKeys */.yl.GreenTaskSet);
    const taskSets = {
        ...(blueSet ? { Blue: blueSet.value } : {}),
        ...(greenSet ? { Green: greenSet.value } : {})
    };
    const targetGroups = {
        Blue: pick(inputs.targetGroups.Blue, constants/* StackOutputKeys */.yl.BlueTargetGroup),
        Green: pick(inputs.targetGroups.Green, constants/* StackOutputKeys */.yl.GreenTargetGroup)
    };
    if (missing.length > 0) {
        const inputNames = missing.map((key) => INPUT_FOR_OUTPUT[key]).join('", "');
        throw new errors/* StateError */.qq(`Stack "${inputs.stackName}" has no output ${missing.join(', ')}. Add ${missing.length > 1 ? 'these outputs' : 'this output'} to the stack (templates/ecs-canary.yaml shows them) or set the input${missing.length > 1 ? 's' : ''} "${inputNames}".`);
    }
    if (targetGroups.Blue === targetGroups.Green) {
        throw new errors/* StateError */.qq(`Blue and Green resolve to the same target group ${targetGroups.Blue}; each colour needs its own.`);
    }
    if (inputs.swap)
        return { taskSets, targetGroups, swap: inputs.swap };
    if (inputs.listenerArn)
        return { taskSets, targetGroups, listenerArn: inputs.listenerArn };
    const rules = (0,input_values/* ruleArnList */.ou)(inputs.listenerRuleArn ?? outputs?.[constants/* StackOutputKeys */.yl.ListenerRule] ?? '');
    return { taskSets, targetGroups, ...(rules.length > 0 ? { listenerRuleArns: rules } : {}) };
}
/** The input that overrides each stack output, for messages. */
const INPUT_FOR_OUTPUT = {
    [constants/* StackOutputKeys */.yl.BlueTaskSet]: constants/* Inputs */.G0.BlueTaskSet,
    [constants/* StackOutputKeys */.yl.GreenTaskSet]: constants/* Inputs */.G0.GreenTaskSet,
    [constants/* StackOutputKeys */.yl.BlueTargetGroup]: constants/* Inputs */.G0.BlueTargetGroup,
    [constants/* StackOutputKeys */.yl.GreenTargetGroup]: constants/* Inputs */.G0.GreenTargetGroup
};

// EXTERNAL MODULE: ./src/gates/alarms.ts
var gates_alarms = __webpack_require__(8972);
;// CONCATENATED MODULE: ./src/gates/analysis-judge.ts
/**
 * The newest window CloudWatch has fully published: it ends `delayMs` before now, on a boundary
 * of its own length (or of a minute, for longer windows), so the same window is asked for until
 * a new period is due, and a period still being published is never judged.
 */
function metricWindow(now, config) {
    const align = Math.min(config.windowMs, 60_000);
    const end = Math.floor((now - config.delayMs) / align) * align;
    return { start: end - config.windowMs, end };
}
/** Errors per request, 0 when there were no requests. */
function errorRate(metrics) {
    return metrics.requests > 0 ? metrics.errors / metrics.requests : 0;
}
/**
 * The canary against stable in the same window. Inconclusive with fewer than `minRequests`
 * canary requests. Fails when the canary's error rate is above stable's by more than
 * `errorRatePoints` points and more than `errorRateRatio` times (both, so that neither a rare
 * error on a quiet stable nor a small rise on a noisy one fails it), or when its p99 is more than
 * `p99Ratio` times stable's and more than `p99MinIncreaseMs` above it (jitter of a few ms on a
 * fast service is not a regression). With no stable requests, the error rate is judged against 0 and the
 * p99 is not compared.
 */
function judgeCanary(canary, stable, window, thresholds) {
    const verdict = (result, reason) => ({
        result,
        reason,
        canary,
        stable,
        window
    });
    if (canary.requests < thresholds.minRequests) {
        return verdict('inconclusive', `the canary served ${canary.requests} request(s) in the window, fewer than the ${thresholds.minRequests} needed to judge it`);
    }
    const canaryRate = errorRate(canary);
    const stableRate = errorRate(stable);
    const pointsAbove = (canaryRate - stableRate) * 100;
    const rates = `error rate ${percent(canaryRate)} against stable's ${percent(stableRate)}`;
    if (pointsAbove > thresholds.errorRatePoints &&
        canaryRate > stableRate * thresholds.errorRateRatio) {
        return verdict('fail', `${rates}: more than ${thresholds.errorRatePoints} point(s) and ${thresholds.errorRateRatio}× above it`);
    }
    const canaryP99 = canary.p99Ms;
    const stableP99 = stable.requests > 0 ? stable.p99Ms : undefined;
    if (canaryP99 !== undefined &&
        stableP99 !== undefined &&
        canaryP99 > stableP99 * thresholds.p99Ratio &&
        canaryP99 - stableP99 > thresholds.p99MinIncreaseMs) {
        return verdict('fail', `p99 ${ms(canaryP99)} against stable's ${ms(stableP99)}: more than ${thresholds.p99Ratio}× it and ${ms(thresholds.p99MinIncreaseMs)} above it`);
    }
    const latency = canaryP99 === undefined
        ? 'p99 not published'
        : stableP99 === undefined
            ? `p99 ${ms(canaryP99)} (stable served nothing to compare)`
            : `p99 ${ms(canaryP99)} against ${ms(stableP99)}`;
    return verdict('pass', `${rates}, ${latency}`);
}
/** `1.25%`: two decimals below 10 %, one above. */
function percent(rate) {
    const value = rate * 100;
    return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}%`;
}
/** `120 ms`, `1.5 s`. */
function ms(value) {
    return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
/** `10:02:00–10:04:00 UTC`. */
function describeWindow(window) {
    const time = (at) => new Date(at).toISOString().slice(11, 19);
    return `${time(window.start)}–${time(window.end)} UTC`;
}

;// CONCATENATED MODULE: ./src/gates/analysis.ts



const analysis_LABEL = 'analysis';
/**
 * Canary analysis: the canary's error rate and p99 against stable's, from the load balancer's own
 * per-target-group metrics, in the newest window CloudWatch has published. A failing verdict
 * rolls back like a firing alarm. An inconclusive one (too few canary requests) does not fail a
 * look; when a step's bake ends, `settle` holds the step until a verdict comes or `max-wait`
 * passes, then follows `on-inconclusive`. Reads are cached per window: CloudWatch's data for a
 * window does not change between two polls of a bake, so a bake costs one call per new window.
 */
class AnalysisGate {
    read;
    config;
    label = analysis_LABEL;
    judges = 'verdict';
    /** The newest verdict, for the outputs. */
    last;
    cached;
    /** When this run first asked: a window that starts earlier may hold another version's data. */
    since;
    constructor(read, config) {
        this.read = read;
        this.config = config;
    }
    /** Before the first shift the canary has no production traffic: there is nothing to judge. */
    async before(context) {
        this.since ??= context.clock.now();
        if (context.share === 0)
            return { label: analysis_LABEL, text: 'no canary traffic yet' };
        return this.reading(await this.look(context), context, 'before');
    }
    /** Reads the newest window once: GetMetricData refused is refused before any write. */
    async probe(now) {
        await this.read(metricWindow(now, this.config));
    }
    async during(context) {
        return this.reading(await this.look(context), context, 'during');
    }
    async settle(context) {
        const { clock, log } = context;
        const start = clock.now();
        let verdict = await this.look(context);
        while (verdict.result === 'inconclusive' && clock.now() - start < this.config.maxWaitMs) {
            log.info(`Holding step ${context.step + 1} for a verdict (${Math.round((clock.now() - start) / 1000)} of ` +
                `${Math.round(this.config.maxWaitMs / 1000)} s): ${verdict.reason}.`);
            // Nothing new can come before the next window is published.
            const due = this.nextWindowDue(clock.now());
            await clock.sleep(Math.min(due - clock.now(), start + this.config.maxWaitMs - clock.now()));
            verdict = await this.look(context);
        }
        return this.reading(verdict, context, 'settle');
    }
    /** When the window after the current one is published: a held step looks again then. */
    nextWindowDue(now) {
        const { windowMs, delayMs } = this.config;
        const align = Math.min(windowMs, 60_000);
        return metricWindow(now, this.config).end + align + delayMs;
    }
    async look(context) {
        const now = context.clock.now();
        this.since ??= now;
        const window = metricWindow(now, this.config);
        const kept = this.cached;
        if (kept && kept.end === window.end && kept.canary === context.color)
            return kept.verdict;
        if (window.start < this.since) {
            // The target group may have served an earlier version then (a canary rolled back before
            // this run): only windows wholly inside this run judge the version it deploys.
            const none = { requests: 0, errors: 0 };
            const started = new Date(this.since).toISOString().slice(11, 19);
            return {
                result: 'inconclusive',
                reason: `no published window starts after this run began (${started} UTC) yet`,
                canary: none,
                stable: none,
                window
            };
        }
        const metrics = await this.read(window);
        const canary = context.color;
        const verdict = judgeCanary(metrics[canary], metrics[(0,src_color/* otherColor */.IP)(canary)], window, this.config);
        this.cached = { end: window.end, canary, verdict };
        this.last = verdict;
        context.log.info(`Analysis of ${describeWindow(window)}: ${verdict.result}, ${verdict.reason}. ` +
            `${canary}: ${describeMetrics(metrics[canary])}; ${(0,src_color/* otherColor */.IP)(canary)}: ${describeMetrics(metrics[(0,src_color/* otherColor */.IP)(canary)])}.`);
        return verdict;
    }
    reading(verdict, context, when) {
        const { color, step, share } = context;
        const held = when === 'settle' && verdict.result === 'inconclusive';
        const fails = verdict.result === 'fail' || (held && this.config.onInconclusive === 'fail');
        const text = verdict.result === 'inconclusive' && held
            ? `inconclusive (${this.config.onInconclusive})`
            : verdict.result;
        if (!fails)
            return { label: analysis_LABEL, text, verdict };
        const where = when === 'before'
            ? `before step ${step + 1}`
            : `${when === 'during' ? 'during the bake' : 'at the end'} of step ${step + 1} (${color} at ${(0,src_shares/* formatPercent */.l9)(share)}%)`;
        const why = verdict.result === 'fail'
            ? `the canary is worse than stable: ${verdict.reason}`
            : `no verdict after holding the step ${Math.round(this.config.maxWaitMs / 1000)} s (${verdict.reason}), and on-inconclusive is fail`;
        return {
            label: analysis_LABEL,
            text,
            verdict,
            failure: `Canary analysis ${where}: ${why}, in ${describeWindow(verdict.window)} ` +
                `(${color}: ${describeMetrics(verdict.canary)}; ${(0,src_color/* otherColor */.IP)(color)}: ${describeMetrics(verdict.stable)})`
        };
    }
}
/** `1200 requests, 0.50% errors, p99 120 ms`. */
function describeMetrics(metrics) {
    const p99 = metrics.p99Ms === undefined ? 'no p99' : `p99 ${ms(metrics.p99Ms)}`;
    return `${metrics.requests} requests, ${percent(errorRate(metrics))} errors, ${p99}`;
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-cloudwatch/dist-cjs/index.js
var client_cloudwatch_dist_cjs = __webpack_require__(4085);
;// CONCATENATED MODULE: ./src/gates/analysis-metrics.ts



const GET = 'cloudwatch:GetMetricData';
const NAMESPACE = 'AWS/ApplicationELB';
/** `app/NAME/ID` from any ARN under a load balancer (its listener's, a rule's, its own). */
function loadBalancerDimension(arn) {
    return /:(?:loadbalancer|listener|listener-rule)\/(app\/[^/]+\/[^/]+)/.exec(arn)?.[1];
}
/** `targetgroup/NAME/ID` from a target group's ARN. */
function targetGroupDimension(arn) {
    return /:(targetgroup\/[^/]+\/[^/]+)$/.exec(arn)?.[1];
}
const SERIES = {
    requests: { metric: 'RequestCount', stat: 'Sum' },
    target5xx: { metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum' },
    connectionErrors: { metric: 'TargetConnectionErrorCount', stat: 'Sum' },
    p50: { metric: 'TargetResponseTime', stat: 'p50' },
    p99: { metric: 'TargetResponseTime', stat: 'p99' }
};
const idOf = (color, series) => `${color.toLowerCase()}_${series}`;
/** The ten queries: five series for each colour, each one period as long as the window. */
function metricQueries(dimensions, periodS) {
    return src_color/* COLORS */.lm.flatMap((color) => Object.keys(SERIES).map((series) => ({
        Id: idOf(color, series),
        ReturnData: true,
        MetricStat: {
            Metric: {
                Namespace: NAMESPACE,
                MetricName: SERIES[series].metric,
                Dimensions: [
                    { Name: 'LoadBalancer', Value: dimensions.loadBalancer },
                    { Name: 'TargetGroup', Value: dimensions.targetGroups[color] }
                ]
            },
            Period: periodS,
            Stat: SERIES[series].stat
        }
    })));
}
function createMetricsRead(cloudwatchClient, dimensions) {
    return async (window) => {
        // Loaded at the first read: a run without analysis never evaluates the CloudWatch SDK.
        const cloudwatch = await cloudwatchClient();
        const periodS = Math.round((window.end - window.start) / 1000);
        const queries = metricQueries(dimensions, periodS);
        const results = [];
        let NextToken;
        do {
            const page = await (0,call/* awsCall */.uF)(GET, () => cloudwatch.send(new client_cloudwatch_dist_cjs.GetMetricDataCommand({
                MetricDataQueries: queries,
                StartTime: new Date(window.start),
                EndTime: new Date(window.end),
                NextToken
            })));
            results.push(...(page.MetricDataResults ?? []));
            NextToken = page.NextToken;
        } while (NextToken);
        return {
            Blue: colorMetrics(results, 'Blue'),
            Green: colorMetrics(results, 'Green')
        };
    };
}
/**
 * One colour's numbers: counts summed over the values returned (one, or none when the load
 * balancer published nothing: it publishes only when requests flow), percentiles when present.
 */
function colorMetrics(results, color) {
    const values = (series) => results.filter((r) => r.Id === idOf(color, series)).flatMap((r) => r.Values ?? []);
    const sum = (series) => values(series).reduce((total, v) => total + v, 0);
    // Several values only when CloudWatch split the window; the worst one is the honest summary.
    const highest = (series) => {
        const found = values(series);
        return found.length > 0 ? Math.max(...found) * 1000 : undefined;
    };
    const p50Ms = highest('p50');
    const p99Ms = highest('p99');
    return {
        requests: sum('requests'),
        errors: sum('target5xx') + sum('connectionErrors'),
        ...(p50Ms !== undefined ? { p50Ms } : {}),
        ...(p99Ms !== undefined ? { p99Ms } : {})
    };
}

;// CONCATENATED MODULE: ./src/gates/hook-contract.ts
/**
 * The lifecycle hook contract of Amazon ECS blue/green deployments, the pure part: a hook function
 * answers `{"hookStatus": "SUCCEEDED" | "FAILED" | "IN_PROGRESS", "callBackDelay": seconds,
 * "hookDetails": {...}}`; IN_PROGRESS means "invoke me again after callBackDelay seconds".
 */
/** ECS invokes an IN_PROGRESS hook again after 30 s when it names no callBackDelay. */
const DEFAULT_CALLBACK_DELAY_MS = 30_000;
const STATUSES = ['SUCCEEDED', 'FAILED', 'IN_PROGRESS'];
const SHOWN = 200;
function parseHookAnswer(payload) {
    const invalid = { invalid: quote(payload) };
    let value;
    try {
        value = JSON.parse(payload);
    }
    catch {
        return invalid;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return invalid;
    const answer = value;
    const status = answer.hookStatus;
    if (typeof status !== 'string' || !STATUSES.includes(status))
        return invalid;
    const delay = answer.callBackDelay;
    if (delay !== undefined && (typeof delay !== 'number' || !(delay >= 0) || delay > 3600)) {
        return invalid;
    }
    return {
        status: status,
        ...(typeof delay === 'number' ? { callBackDelayMs: Math.round(delay * 1000) } : {}),
        ...(answer.hookDetails !== undefined ? { details: answer.hookDetails } : {})
    };
}
/** The payload on one line, cut short: a message names what came back, it does not reproduce it. */
function quote(text) {
    const cut = text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text;
    return JSON.stringify(cut);
}

;// CONCATENATED MODULE: ./src/gates/hooks.ts





const INVOKE = 'lambda:InvokeFunction';
/**
 * Invokes Lambda functions with a client loaded on first use: a run without hooks never evaluates
 * the Lambda SDK (the bundler puts it in a chunk file of its own beside dist/index.js). Endpoints
 * are left to the SDK (AWS_ENDPOINT_URL works), as in aws/clients.ts.
 */
function lambdaInvoker(region) {
    let loaded;
    const load = () => (loaded ??= __webpack_require__.e(/* import() */ 696).then(__webpack_require__.t.bind(__webpack_require__, 1696, 19)).then(({ LambdaClient, InvokeCommand }) => {
        const client = new LambdaClient({ region, maxAttempts: 5 });
        return {
            send: (name, payload) => client.send(new InvokeCommand({
                FunctionName: name,
                InvocationType: 'RequestResponse',
                Payload: payload
            }))
        };
    }));
    return async (name, payload) => {
        const lambda = await load();
        const answer = await (0,call/* awsCall */.uF)(INVOKE, () => lambda.send(name, new TextEncoder().encode(payload)));
        return {
            payload: new TextDecoder().decode(answer.Payload ?? new Uint8Array()),
            ...(answer.FunctionError ? { functionError: answer.FunctionError } : {})
        };
    };
}
/**
 * A lifecycle hook as a gate. `after-test-traffic` and `before-traffic` run before the first
 * production shift (test traffic, when asked for, is open by then); `after-traffic` runs when
 * each step's bake is over. The function is invoked until it answers SUCCEEDED or FAILED,
 * waiting its callBackDelay after each IN_PROGRESS, for at most `hook-timeout`. FAILED, a timeout,
 * an answer outside the contract, a function error, or a function that cannot be invoked (not
 * found, not allowed) fail the gate, and the canary is rolled back.
 */
class HookGate {
    invoke;
    run;
    judges = 'verdict';
    label;
    last;
    constructor(invoke, run) {
        this.invoke = invoke;
        this.run = run;
        this.label = `hook ${run.point}`;
    }
    async before(context) {
        if (this.run.point === 'after-traffic' || context.step > 0)
            return this.quiet();
        return this.call(context);
    }
    /** A bake does not invoke the hook again: its verdict for the step stands. */
    async during() {
        return this.quiet();
    }
    async settle(context) {
        if (this.run.point !== 'after-traffic')
            return this.quiet();
        return this.call(context);
    }
    /** The last verdict, when a look is not a point where the hook runs. */
    quiet() {
        return this.last ?? { label: this.label, text: 'not yet' };
    }
    async call(context) {
        const { clock, log } = context;
        const { functionName, point, timeoutMs } = this.run;
        const started = clock.now();
        const at = `${functionName} (${point}, step ${context.step + 1})`;
        return log.group(`Hook ${at}`, async () => {
            let invocation = 0;
            let details;
            for (;;) {
                invocation += 1;
                const payload = {
                    hook: point,
                    ...this.run.base,
                    canaryColor: context.color,
                    stableColor: (0,src_color/* otherColor */.IP)(context.color),
                    taskDefinitions: { ...this.run.taskDefinitions },
                    canaryShare: (0,src_shares/* percentNumber */.JB)(context.share),
                    step: context.step + 1,
                    invocation,
                    ...(details !== undefined ? { hookDetails: details } : {})
                };
                let answer;
                try {
                    answer = await this.invoke(functionName, JSON.stringify(payload));
                }
                catch (error) {
                    return this.fail(`could not be invoked: ${invokeFailure(error, point)}`, invocation);
                }
                if (answer.functionError) {
                    return this.fail(`raised an error (${answer.functionError}): ${quote(answer.payload)}`, invocation);
                }
                const parsed = parseHookAnswer(answer.payload);
                if ('invalid' in parsed) {
                    return this.fail(`answered ${parsed.invalid}, which is not {"hookStatus": "SUCCEEDED" | "FAILED" | "IN_PROGRESS"}`, invocation);
                }
                const waited = Math.round((clock.now() - started) / 1000);
                log.info(`${functionName}: ${parsed.status} (invocation ${invocation}, ${waited} s)`);
                if (parsed.status === 'SUCCEEDED') {
                    return this.keep({
                        label: this.label,
                        text: 'SUCCEEDED',
                        details: [
                            `${functionName} (${point}): SUCCEEDED after ${invocation} invocation(s), ${waited} s`
                        ]
                    });
                }
                if (parsed.status === 'FAILED')
                    return this.fail('answered FAILED', invocation);
                details = parsed.details;
                const left = started + timeoutMs - clock.now();
                const delay = parsed.callBackDelayMs ?? DEFAULT_CALLBACK_DELAY_MS;
                if (delay >= left) {
                    return this.fail(`was still IN_PROGRESS when hook-timeout (${Math.round(timeoutMs / 1000)} s) would pass before its next call`, invocation);
                }
                await clock.sleep(delay);
            }
        });
    }
    fail(why, invocation) {
        const { functionName, point } = this.run;
        return {
            label: this.label,
            text: 'FAILED',
            details: [`${functionName} (${point}): failed after ${invocation} invocation(s): ${why}`],
            failure: `Hook ${point}: Lambda function ${functionName} ${why}`
        };
    }
    /** Keeps a verdict that passed, for the looks that do not invoke the hook. */
    keep(reading) {
        this.last = reading;
        return reading;
    }
}
/** Why an invocation failed, naming the input or the IAM action that would fix it. */
function invokeFailure(error, point) {
    if (error instanceof errors/* AwsCallError */.iQ && error.code === 'ResourceNotFoundException') {
        return `Lambda has no such function in this account and region. Check "hook-${point}".`;
    }
    return (0,errors/* messageOf */.bD)(error);
}

// EXTERNAL MODULE: ./src/check-inputs.ts
var check_inputs = __webpack_require__(7905);
;// CONCATENATED MODULE: ./src/gates/smoke.ts



const smoke_LABEL = 'smoke check';
const CONCURRENCY = 4;
/** The request as the test route wants it: the URL (with the test query) and the test header. */
function smokeRequest(url, traffic) {
    const target = new URL(url);
    if (traffic.query)
        target.searchParams.append(traffic.query.key, traffic.query.value);
    return {
        url: target.toString(),
        headers: traffic.header ? { [traffic.header.name]: traffic.header.value } : {}
    };
}
/** `200 ×18, 500 ×2`: the statuses seen, most common first; `no answer` for the rest. */
function statusHistogram(results) {
    const counts = new Map();
    for (const r of results) {
        const key = r.status === undefined ? 'no answer' : String(r.status);
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([key, n]) => `${key} ×${n}`)
        .join(', ');
}
/** Nearest-rank percentile of the answered requests' times. */
function percentileMs(results, p) {
    const times = results
        .filter((r) => r.status !== undefined)
        .map((r) => r.ms)
        .sort((a, b) => a - b);
    if (times.length === 0)
        return undefined;
    return times[Math.max(0, Math.ceil(p * times.length) - 1)];
}
/**
 * Smoke checks through the test route: before the first production shift, while test traffic
 * (`test-header`, `test-query` or `test-listener-arn`) reaches the canary, `smoke-count` requests
 * must each answer an accepted status (and contain `smoke-expect-body`) within `smoke-timeout`.
 * One that does not fails the gate: the executor then removes test traffic, and no production
 * traffic has moved.
 */
class SmokeGate {
    config;
    traffic;
    resolveBase;
    fetcher;
    label = smoke_LABEL;
    judges = 'verdict';
    last;
    constructor(config, traffic, resolveBase, fetcher = fetch) {
        this.config = config;
        this.traffic = traffic;
        this.resolveBase = resolveBase;
        this.fetcher = fetcher;
    }
    async before(context) {
        if (context.step > 0)
            return this.kept();
        return context.log.group('Smoke check through the test route', async () => {
            let address;
            try {
                address = this.config.url.startsWith('/')
                    ? `${await this.resolveBase()}${this.config.url}`
                    : this.config.url;
            }
            catch (error) {
                const why = (0,errors/* messageOf */.bD)(error);
                return this.failed('no result', [], `could not find the load balancer's address: ${why}`);
            }
            const request = smokeRequest(address, this.traffic);
            const results = await this.send(request, context);
            const bad = results.filter((r) => r.problem);
            const p50 = percentileMs(results, 0.5);
            const p99 = percentileMs(results, 0.99);
            const times = p50 === undefined || p99 === undefined ? '' : `, p50 ${ms(p50)}, p99 ${ms(p99)}`;
            const summary = `${results.length} request(s) to ${request.url}${this.route()}: ${statusHistogram(results)}${times}`;
            context.log.info(summary);
            if (bad.length === 0) {
                this.last = { label: smoke_LABEL, text: 'passed', details: [summary] };
                return this.last;
            }
            const unreachable = bad.every((r) => r.status === undefined);
            const why = unreachable
                ? `could not reach ${request.url}: ${bad[0].problem}`
                : `${bad.length} of ${results.length} request(s) to ${request.url} failed (${statusHistogram(results)}; first: ${bad[0].problem})`;
            return this.failed(unreachable ? 'unreachable' : 'failed', [summary], why);
        });
    }
    async during() {
        return this.kept();
    }
    kept() {
        return this.last ?? { label: smoke_LABEL, text: 'not run' };
    }
    route() {
        const { header, query, listenerArn } = this.traffic;
        if (header)
            return ` with header ${header.name}: ${header.value}`;
        if (query)
            return ` with ${query.key}=${query.value}`;
        return listenerArn ? ' on the test listener' : '';
    }
    failed(text, details, why) {
        return {
            label: smoke_LABEL,
            text,
            details,
            failure: `Smoke check before the first production shift: ${why}`
        };
    }
    async send(request, context) {
        const results = [];
        let next = 0;
        const worker = async () => {
            while (next < this.config.count) {
                next += 1;
                results.push(await this.one(request, context));
            }
        };
        await Promise.all(Array.from({ length: Math.min(CONCURRENCY, this.config.count) }, worker));
        return results;
    }
    async one(request, context) {
        const { expectStatus, expectBody, timeoutMs } = this.config;
        const start = context.clock.now();
        const elapsed = () => context.clock.now() - start;
        try {
            const response = await this.fetcher(request.url, {
                headers: request.headers,
                signal: AbortSignal.timeout(timeoutMs)
            });
            const body = await response.text();
            const taken = elapsed();
            if (!(0,check_inputs/* statusAccepted */.Kt)(response.status, expectStatus)) {
                return {
                    status: response.status,
                    ms: taken,
                    problem: `status ${response.status}, expected ${expectStatus.join(' or ')}`
                };
            }
            if (expectBody !== undefined && !body.includes(expectBody)) {
                return {
                    status: response.status,
                    ms: taken,
                    problem: `the body does not contain ${JSON.stringify(expectBody)}`
                };
            }
            return { status: response.status, ms: taken };
        }
        catch (error) {
            return { ms: elapsed(), problem: requestFailure(error, timeoutMs) };
        }
    }
}
/** What went wrong with a request that got no answer, in Node's words. */
function requestFailure(error, timeoutMs) {
    const err = error;
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
        return `no answer within smoke-timeout (${Math.round(timeoutMs / 1000)} s)`;
    }
    const cause = err?.cause;
    if (cause?.code)
        return `${cause.code} (${cause.message ?? ''})`.replace(' ()', '');
    return err?.message ?? String(error);
}

;// CONCATENATED MODULE: ./src/routers/alb/address.ts



/**
 * `http://DNS-NAME:PORT`: where a path on a listener is reached from outside, read from the
 * listener (scheme and port) and its load balancer (DNS name). Two reads, made only when a path
 * must be resolved (a smoke check given as a path).
 */
async function listenerAddress(elb, listenerArn) {
    const listeners = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeListeners', () => elb.send(new dist_cjs/* DescribeListenersCommand */.AKE({ ListenerArns: [listenerArn] })));
    const listener = listeners.Listeners?.[0];
    if (!listener?.LoadBalancerArn || !listener.Port) {
        throw new errors/* StateError */.qq(`Listener ${listenerArn} has no load balancer or port.`);
    }
    const balancers = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeLoadBalancers', () => elb.send(new dist_cjs/* DescribeLoadBalancersCommand */.AZi({ LoadBalancerArns: [listener.LoadBalancerArn] })));
    const dns = balancers.LoadBalancers?.[0]?.DNSName;
    if (!dns)
        throw new errors/* StateError */.qq(`Load balancer ${listener.LoadBalancerArn} has no DNS name.`);
    const scheme = listener.Protocol === 'HTTPS' ? 'https' : 'http';
    const port = (scheme === 'https' && listener.Port === 443) || (scheme === 'http' && listener.Port === 80)
        ? ''
        : `:${listener.Port}`;
    return `${scheme}://${dns}${port}`;
}

// EXTERNAL MODULE: ./src/inputs.ts + 4 modules
var src_inputs = __webpack_require__(5961);
;// CONCATENATED MODULE: ./src/routers/alb/elb-reads.ts


/** The ELB reads every ALB module shares: listeners and rules, each written once. */
/** Follows ELB's Marker pagination to the end. */
async function allPages(fetch) {
    const items = [];
    let marker;
    do {
        const page = await fetch(marker);
        items.push(...(page.items ?? []));
        marker = page.next;
    } while (marker);
    return items;
}
function listListeners(elb, loadBalancerArn) {
    return allPages(async (Marker) => {
        const page = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeListeners', () => elb.send(new dist_cjs/* DescribeListenersCommand */.AKE({ LoadBalancerArn: loadBalancerArn, Marker })));
        return { items: page.Listeners, next: page.NextMarker };
    });
}
function listRules(elb, listenerArn) {
    return allPages(async (Marker) => {
        const page = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeRules', () => elb.send(new dist_cjs/* DescribeRulesCommand */.Ggo({ ListenerArn: listenerArn, Marker })));
        return { items: page.Rules, next: page.NextMarker };
    });
}
/** One listener's default actions; `notFound` makes the error a missing listener raises. */
async function describeListenerActions(elb, listenerArn, notFound) {
    const response = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeListeners', () => elb.send(new dist_cjs/* DescribeListenersCommand */.AKE({ ListenerArns: [listenerArn] })), (0,call/* whenNotFound */.II)('Listener', notFound));
    const listener = response.Listeners?.[0];
    if (!listener)
        throw notFound();
    return listener.DefaultActions ?? [];
}

;// CONCATENATED MODULE: ./src/routers/alb/discover-rule.ts




/**
 * Finds every rule on the target groups' load balancers whose forward names both colours, in
 * the order ELB lists them. A default rule that matches means the weighted forward is the
 * listener's default action. More than one means routes that move in lockstep.
 */
async function discoverWeightedRoutes(elb, targetGroups) {
    const groups = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeTargetGroups', () => elb.send(new dist_cjs/* DescribeTargetGroupsCommand */.sC7({
        TargetGroupArns: [targetGroups.Blue, targetGroups.Green]
    })), (0,call/* whenNotFound */.II)('TargetGroup', () => new errors/* NotFoundError */.m_(`Target group ${targetGroups.Blue} or ${targetGroups.Green} was not found. Check the ` +
        'BlueTargetGroup/GreenTargetGroup stack outputs or the target group inputs.')));
    const loadBalancers = [
        ...new Set((groups.TargetGroups ?? []).flatMap((g) => g.LoadBalancerArns ?? []))
    ];
    if (loadBalancers.length === 0) {
        throw new errors/* RuleDiscoveryError */.z4('The Blue and Green target groups are not attached to any load balancer, so there is no ' +
            'weighted rule to find. Set "listener-rule-arn" or "listener-arn".');
    }
    const listeners = (await Promise.all(loadBalancers.map((lb) => listListeners(elb, lb)))).flat();
    const rules = (await Promise.all(listeners.map((l) => listRules(elb, l.ListenerArn ?? '')))).flat();
    const candidates = rules.filter((rule) => forwardsToBoth(rule, targetGroups));
    if (candidates.length === 0) {
        const searched = listeners.map((l) => l.ListenerArn).join(', ') || 'none';
        throw new errors/* RuleDiscoveryError */.z4(`No rule forwards to both ${targetGroups.Blue} and ${targetGroups.Green} on the listeners ` +
            `${searched}. Set "listener-rule-arn" (or "listener-arn"), or add the ListenerRule stack output.`);
    }
    // Several routes (HTTP and HTTPS listeners, `/api/*` and `/*` rules) move together.
    return candidates.map((rule) => {
        if (rule.IsDefault) {
            const listener = listeners.find((l) => (rule.RuleArn ?? '').startsWith(listenerPrefix(l)));
            return { kind: 'listener', arn: listener?.ListenerArn ?? '' };
        }
        return { kind: 'listener-rule', arn: rule.RuleArn ?? '', rule };
    });
}
function forwardsToBoth(rule, targetGroups) {
    return (rule.Actions ?? []).some((action) => {
        const arns = (action.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn);
        return (action.Type === 'forward' &&
            arns.includes(targetGroups.Blue) &&
            arns.includes(targetGroups.Green));
    });
}
/** A listener's rules have ARNs that extend its own: `…:listener-rule/app/lb/x/<listener id>/…`. */
function listenerPrefix(listener) {
    return `${(listener.ListenerArn ?? '').replace(':listener/', ':listener-rule/')}/`;
}

;// CONCATENATED MODULE: ./src/routers/alb/forward.ts


function findForward(actions, where) {
    const indexes = actions.flatMap((action, index) => (action.Type === 'forward' ? [index] : []));
    if (indexes.length === 0) {
        const types = actions.map((a) => a.Type).join(', ') || 'none';
        throw new errors/* StateError */.qq(`${where} has no forward action (its actions: ${types}). The action changes the weights of a ` +
            'forward to the Blue and Green target groups; give it a rule that has one.');
    }
    if (indexes.length > 1)
        throw new errors/* StateError */.qq(`${where} has more than one forward action.`);
    const index = indexes[0];
    const action = actions[index];
    const configured = action.ForwardConfig?.TargetGroups ?? [];
    const single = action.TargetGroupArn;
    if (configured.length === 0) {
        if (!single)
            throw new errors/* StateError */.qq(`${where} has a forward action with no target group.`);
        return { index, entries: [{ TargetGroupArn: single, Weight: 1 }], legacy: true };
    }
    const legacy = configured.length === 1 && single !== undefined && configured[0].TargetGroupArn === single;
    return { index, entries: configured, legacy };
}
/**
 * The raw ALB weight of each colour. Refuses a forward that names any other target group, and a
 * weighted forward that leaves a colour out; the legacy single form may name just one colour.
 */
function readForwardWeights(actions, targetGroups, where) {
    const forward = findForward(actions, where);
    const known = new Set(src_color/* COLORS */.lm.map((c) => targetGroups[c]));
    const foreign = forward.entries
        .map((e) => e.TargetGroupArn ?? '')
        .filter((arn) => !known.has(arn));
    if (foreign.length > 0) {
        throw new errors/* StateError */.qq(`${where} also forwards to ${foreign.join(', ')}, which is neither the Blue (${targetGroups.Blue}) ` +
            `nor the Green (${targetGroups.Green}) target group. The action only moves traffic between ` +
            'the two colours; remove the other target group from the rule or point the action at the right rule.');
    }
    const weights = { Blue: 0, Green: 0 };
    for (const color of src_color/* COLORS */.lm) {
        const entry = forward.entries.find((e) => e.TargetGroupArn === targetGroups[color]);
        if (!entry && !forward.legacy) {
            throw new errors/* StateError */.qq(`${where} does not forward to the ${color} target group ${targetGroups[color]}. Add it to ` +
                `the forward action with weight 0, or check the ${color}TargetGroup stack output or ` +
                `"${color.toLowerCase()}-target-group".`);
        }
        weights[color] = entry ? (entry.Weight ?? 1) : 0;
    }
    return weights;
}
/** Colours the forward does not name (only the legacy single form can lack one). */
function missingColors(actions, targetGroups) {
    const named = findForward(actions, 'The rule').entries.map((e) => e.TargetGroupArn);
    return src_color/* COLORS */.lm.filter((color) => !named.includes(targetGroups[color]));
}
/**
 * The same action list with only the two colours' weights replaced. The forward keeps its order,
 * stickiness and every other field; the legacy form becomes a ForwardConfig naming both colours
 * (ALB rejects TargetGroupArn next to a ForwardConfig of two groups, so it is dropped).
 */
function rewriteForwardWeights(actions, targetGroups, weights) {
    const forward = findForward(actions, 'The rule');
    const colorOf = (arn) => src_color/* COLORS */.lm.find((c) => targetGroups[c] === arn);
    const entries = forward.entries.map((entry) => {
        const color = colorOf(entry.TargetGroupArn);
        return color ? { ...entry, Weight: weights[color] } : entry;
    });
    for (const color of src_color/* COLORS */.lm) {
        if (!entries.some((e) => e.TargetGroupArn === targetGroups[color])) {
            entries.push({ TargetGroupArn: targetGroups[color], Weight: weights[color] });
        }
    }
    return actions.map((action, index) => {
        if (index !== forward.index)
            return action;
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { TargetGroupArn, ...rest } = action;
        return { ...rest, ForwardConfig: { ...action.ForwardConfig, TargetGroups: entries } };
    });
}
/**
 * The same action list with the forward sending everything to one target group, or undefined when
 * it does already. Every other action, and the forward's other fields, stay as they were.
 */
function forwardOnlyTo(actions, targetGroupArn, where) {
    const forward = findForward(actions, where);
    const named = forward.entries.map((e) => e.TargetGroupArn);
    if (named.length === 1 && named[0] === targetGroupArn)
        return undefined;
    return actions.map((action, index) => {
        if (index !== forward.index)
            return action;
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { TargetGroupArn, ...rest } = action;
        const TargetGroups = [{ TargetGroupArn: targetGroupArn, Weight: 1 }];
        return { ...rest, ForwardConfig: { ...action.ForwardConfig, TargetGroups } };
    });
}
/**
 * ELB never returns an OIDC client secret, and ModifyRule refuses an authenticate-oidc action
 * without one unless told to keep the secret it has. Marking those actions keeps the existing
 * secret; without it the write would fail (or, if it could succeed, drop authentication).
 */
function keepExistingSecrets(actions) {
    return actions.map((action) => {
        const oidc = action.AuthenticateOidcConfig;
        if (action.Type !== 'authenticate-oidc' || !oidc || oidc.ClientSecret)
            return action;
        return { ...action, AuthenticateOidcConfig: { ...oidc, UseExistingClientSecret: true } };
    });
}

;// CONCATENATED MODULE: ./src/routers/alb/weights.ts


/**
 * ALB weights for a split of whole permille. Whole percents are written as percents (readable in
 * the console) and tenths as weights out of 1000; a share with a tenth is never 0 or 1000, so
 * neither weight reaches 1000, ALB's limit.
 */
function albWeightsFor(split) {
    const scale = src_color/* COLORS */.lm.every((color) => split[color] % 10 === 0) ? 10 : 1;
    return { Blue: split.Blue / scale, Green: split.Green / scale };
}
/** The exact split raw weights make; both 0 when every weight is 0. */
function splitOfWeights(weights) {
    const total = weights.Blue + weights.Green;
    if (total === 0)
        return { Blue: 0, Green: 0 };
    return { Blue: (weights.Blue * src_shares/* FULL */.eW) / total, Green: (weights.Green * src_shares/* FULL */.eW) / total };
}

;// CONCATENATED MODULE: ./src/routers/alb/alb-forward-router.ts



/**
 * Shared behaviour of routers whose weights live in an ALB forward action: a listener rule's
 * actions or a listener's default actions. Subclasses only fetch and put the action list.
 */
class AlbForwardRouter {
    elb;
    id;
    targetGroups;
    snapshot;
    constructor(elb, id, targetGroups) {
        this.elb = elb;
        this.id = id;
        this.targetGroups = targetGroups;
    }
    /** The actions before the forward in what `read` saw (authentication a test rule must keep). */
    preActions() {
        const actions = this.snapshot ?? [];
        const forward = actions.findIndex((a) => a.Type === 'forward');
        return forward < 0 ? [] : actions.slice(0, forward);
    }
    async read() {
        this.snapshot = await this.fetchActions();
        return splitOfWeights(readForwardWeights(this.snapshot, this.targetGroups, this.label));
    }
    /** Weights out of 1000 express every whole permille exactly. */
    reachable(share) {
        return Number.isInteger(share) && share >= 0 && share <= 1000
            ? [share]
            : [Math.floor(share), Math.ceil(share)];
    }
    /**
     * Writes the split and returns it as ELB stored it, from the write's own response: that proves
     * the weights are live without a second round trip. Only an endpoint that answers without the
     * actions costs a read-back.
     */
    async shift(split) {
        const stored = (await this.put(albWeightsFor(split))) ?? (await this.fetchActions());
        return splitOfWeights(readForwardWeights(stored, this.targetGroups, this.label));
    }
    async exposeForHealthChecks(color) {
        const missing = missingColors(this.actions(), this.targetGroups);
        if (!missing.includes(color))
            return undefined;
        // Writing the weights it has rewrites the forward to name both colours, at the same split.
        await this.put(readForwardWeights(this.actions(), this.targetGroups, this.label));
        return `${this.kind} ${this.id}: added ${missing.join(', ')} at weight 0 so its targets are health-checked (traffic unchanged)`;
    }
    /** The raw weights `read` (or the last write) saw, to write back exactly as they were. */
    rawWeights() {
        return readForwardWeights(this.actions(), this.targetGroups, this.label);
    }
    /** Writes raw weights (ones `rawWeights` returned): a lockstep set undoing a partial write. */
    async writeWeights(weights) {
        await this.put(weights);
    }
    async verify() {
        return splitOfWeights(readForwardWeights(await this.fetchActions(), this.targetGroups, this.label));
    }
    actions() {
        if (!this.snapshot)
            throw new errors/* StateError */.qq(`${this.label} was written before it was read.`);
        return this.snapshot;
    }
    async put(weights) {
        const rewritten = rewriteForwardWeights(this.actions(), this.targetGroups, weights);
        const stored = await this.putActions(keepExistingSecrets(rewritten));
        this.snapshot = rewritten;
        return stored;
    }
}

;// CONCATENATED MODULE: ./src/routers/alb/listener.ts





/** A listener whose default action is the weighted forward. Only DefaultActions are sent. */
class ListenerRouter extends AlbForwardRouter {
    kind = 'listener';
    /** The default actions as read already (started before the stack answered). */
    preloaded;
    withPreloaded(actions) {
        this.preloaded = actions;
        return this;
    }
    get label() {
        return `Listener ${this.id} (default action)`;
    }
    fetchActions() {
        const actions = this.preloaded ?? readListenerActions(this.elb, this.id);
        this.preloaded = undefined;
        return actions;
    }
    placement() {
        return { listenerArn: this.id, conditions: [], preActions: this.preActions() };
    }
    /** ModifyListener answers with the listener as stored, default actions included. */
    async putActions(actions) {
        const response = await (0,call/* awsCall */.uF)('elasticloadbalancing:ModifyListener', () => this.elb.send(new dist_cjs/* ModifyListenerCommand */.ugc({ ListenerArn: this.id, DefaultActions: actions })), (0,call/* whenNotFound */.II)('Listener', () => listenerNotFound(this.id)));
        return response.Listeners?.find((l) => l.ListenerArn === this.id)?.DefaultActions;
    }
}
/** A listener's default actions by ARN. */
function readListenerActions(elb, arn) {
    return describeListenerActions(elb, arn, () => listenerNotFound(arn));
}
function listenerNotFound(arn) {
    return new errors/* NotFoundError */.m_(`Listener ${arn} was not found. Check "listener-arn" and "aws-region".`);
}

;// CONCATENATED MODULE: ./src/routers/alb/lockstep.ts

/** Pure rules for several ALB routes moved in lockstep: what one split stands for the set. */
/**
 * The split that stands for every route: the common split when they agree, else each colour's
 * least share. A set that disagrees then reads as a split no write produces (its shares add up
 * to less than the whole), so a plan always writes it, a read-back never takes it for the
 * target, and a walk resumes from the least advanced route.
 */
function lockstepSplit(splits) {
    const [first] = splits;
    if (splits.every((split) => (0,src_shares/* sameSplit */.xY)(split, first)))
        return first;
    const least = (color) => Math.min(...splits.map((s) => s[color]));
    return { Blue: least('Blue'), Green: least('Green') };
}
/** True when every route holds the same split. */
function routesAgree(routes) {
    return routes.every((route) => sameSplit(route.split, routes[0].split));
}
/** `listener-rule …/a holds Blue 90% / Green 10%; listener …/b holds Blue 100% / Green 0%`. */
function describeRoutes(routes) {
    return routes.map((r) => `${r.kind} ${r.id} holds ${(0,src_shares/* formatSplit */.oe)(r.split)}`).join('; ');
}

;// CONCATENATED MODULE: ./src/routers/alb/lockstep-router.ts



/**
 * Several ALB routes (rules, or listeners' default actions) that forward to the same two target
 * groups and move together: read, written and read back in parallel. A write that fails on some
 * routes puts the ones it changed back to the weights they had, so the set never stays split
 * because of this run. The first route is the primary one: test traffic, the smoke check and
 * analysis use its listener and load balancer.
 */
class LockstepRouter {
    members;
    kind = 'listener-rules';
    id;
    seen;
    constructor(members) {
        this.members = members;
        if (members.length < 2)
            throw new errors/* StateError */.qq('A lockstep set needs at least two routes.');
        this.id = members[0].id;
    }
    /** The route test traffic and the checks that need one listener go through. */
    get primary() {
        return this.members[0];
    }
    async read() {
        return this.remember(await Promise.all(this.members.map((m) => m.read())));
    }
    /** Every route has the same units (ALB weights), so the first one answers for all. */
    reachable(share) {
        return this.members[0].reachable(share);
    }
    async exposeForHealthChecks(color) {
        const settled = await Promise.allSettled(this.members.map((m) => m.exposeForHealthChecks(color)));
        const lines = settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
        const failed = settled.find((s) => s.status === 'rejected');
        if (failed) {
            // A colour at weight 0 carries no traffic, so what was added stays; the message says it.
            const done = lines.length > 0 ? ` Written before the failure: ${lines.join('; ')}.` : '';
            throw new errors/* LockstepWriteError */.Dq(`${(0,errors/* sentence */.em)((0,errors/* messageOf */.bD)(failed.reason))}${done}`, failed.reason);
        }
        return lines.length > 0 ? lines.join('; ') : undefined;
    }
    /**
     * Writes every route at once. When some writes fail, the routes that were written get their
     * previous raw weights back (in parallel too) and the error says what each route holds.
     */
    async shift(split) {
        const before = this.members.map((m) => m.rawWeights());
        const settled = await Promise.allSettled(this.members.map((m) => m.shift(split)));
        const failedAt = settled.flatMap((s, i) => (s.status === 'rejected' ? [i] : []));
        if (failedAt.length === 0) {
            return this.remember(settled.map((s) => s.value));
        }
        const first = settled[failedAt[0]].reason;
        const failedIds = failedAt.map((i) => this.members[i].id).join(', ');
        const written = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [i] : []));
        const head = `Writing ${(0,src_shares/* formatSplit */.oe)(split)} to the routes that move together failed on ${failedIds}: ` +
            (0,errors/* sentence */.em)((0,errors/* messageOf */.bD)(first));
        if (written.length === 0) {
            throw new errors/* LockstepWriteError */.Dq(`${head} No route was changed.`, first);
        }
        const undone = await Promise.allSettled(written.map((i) => this.members[i].writeWeights(before[i])));
        const stuck = written.filter((_, k) => undone[k].status === 'rejected');
        const writtenIds = written.map((i) => this.members[i].id).join(', ');
        if (stuck.length === 0) {
            throw new errors/* LockstepWriteError */.Dq(`${head} ${writtenIds} had been written and got its previous weights back, so every ` +
                'route holds what it held before this write.', first);
        }
        const live = await Promise.allSettled(this.members.map((m) => m.verify()));
        const now = live
            .map((s, i) => s.status === 'fulfilled'
            ? `${this.members[i].kind} ${this.members[i].id} holds ${(0,src_shares/* formatSplit */.oe)(s.value)}`
            : undefined)
            .filter((line) => line !== undefined)
            .join('; ');
        throw new errors/* LockstepWriteError */.Dq(`${head} Putting back ${stuck.map((i) => this.members[i].id).join(', ')} failed too, so the ` +
            `routes disagree${now ? `: ${now}` : ''}. Run mode rollback: it puts every route back on ` +
            'the stable colour.', first);
    }
    async verify() {
        return this.remember(await Promise.all(this.members.map((m) => m.verify())));
    }
    placement() {
        return this.primary.placement();
    }
    routes() {
        const seen = this.seen;
        if (!seen)
            throw new errors/* StateError */.qq('The lockstep routes were listed before they were read.');
        return this.members.map((m, i) => ({ kind: m.kind, id: m.id, split: seen[i] }));
    }
    /** `describeRoutes` of what was last seen, for messages. */
    describe() {
        return describeRoutes(this.routes());
    }
    remember(splits) {
        this.seen = splits;
        return lockstepSplit(splits);
    }
}

;// CONCATENATED MODULE: ./src/routers/alb/listener-swap.ts







/** Reads one listener; `role` names it in messages. */
async function describeListener(elb, arn, role) {
    const notFound = () => new errors/* NotFoundError */.m_(`The ${role} listener ${arn} was not found. Check "${role}-listener-arn".`);
    const response = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeListeners', () => elb.send(new dist_cjs/* DescribeListenersCommand */.AKE({ ListenerArns: [arn] })), (0,call/* whenNotFound */.II)('Listener', notFound));
    const listener = response.Listeners?.[0];
    if (!listener)
        throw notFound();
    return listener;
}
async function putDefaultActions(elb, arn, actions) {
    const response = await (0,call/* awsCall */.uF)('elasticloadbalancing:ModifyListener', () => elb.send(new dist_cjs/* ModifyListenerCommand */.ugc({ ListenerArn: arn, DefaultActions: keepExistingSecrets(actions) })));
    return response.Listeners?.find((l) => l.ListenerArn === arn)?.DefaultActions;
}
/**
 * The actions with the forward sending everything to one target group, in the shape ELB reports
 * a simple forward (TargetGroupArn beside a one-group ForwardConfig), so it reads back as the
 * single form; undefined when it forwards there already.
 */
function forwardTo(actions, arn, where) {
    const single = actions.find((a) => a.Type === 'forward');
    const named = single?.ForwardConfig?.TargetGroups ?? [];
    if (single?.TargetGroupArn === arn && named.every((g) => g.TargetGroupArn === arn))
        return undefined;
    return (forwardOnlyTo(actions, arn, where) ?? actions).map((action) => action.Type === 'forward' ? { ...action, TargetGroupArn: arn } : action);
}
/** True when the forward names both colours (with any weights): the listener can split. */
function isWeighted(weights, actions) {
    const forward = actions.find((a) => a.Type === 'forward');
    return (forward?.ForwardConfig?.TargetGroups?.length ?? 0) > 1 && weights.Blue + weights.Green > 0;
}
class ListenerSwapRouter {
    elb;
    listeners;
    targetGroups;
    kind = 'listener-swap';
    id;
    actions;
    weighted = false;
    constructor(elb, listeners, targetGroups) {
        this.elb = elb;
        this.listeners = listeners;
        this.targetGroups = targetGroups;
        this.id = listeners.production;
    }
    get label() {
        return `Production listener ${this.id} (default action)`;
    }
    /**
     * Reads both listeners at once: they must sit on one load balancer, and each default action
     * must be a forward to the colours (a redirect or fixed response cannot be swapped).
     */
    async read() {
        const [production, test] = await Promise.all([
            describeListener(this.elb, this.listeners.production, 'production'),
            describeListener(this.elb, this.listeners.test, 'test')
        ]);
        if (production.LoadBalancerArn !== test.LoadBalancerArn) {
            throw new errors/* StateError */.qq(`The production listener ${this.listeners.production} is on load balancer ` +
                `${production.LoadBalancerArn} and the test listener ${this.listeners.test} on ` +
                `${test.LoadBalancerArn}. A listener swap moves target groups between two listeners of ` +
                'one load balancer; give "production-listener-arn" and "test-listener-arn" of the same one.');
        }
        readForwardWeights(test.DefaultActions ?? [], this.targetGroups, `Test listener ${test.ListenerArn}`);
        return this.take(production.DefaultActions ?? []);
    }
    /**
     * A weighted production forward sets any whole permille; a forward to one colour all or nothing
     * (the planner then refuses a share between, and lets a promote go from 0 %).
     */
    reachable(share) {
        const exact = Number.isInteger(share) && share >= 0 && share <= src_shares/* FULL */.eW;
        if (this.weighted)
            return exact ? [share] : [Math.floor(share), Math.ceil(share)];
        return exact && (share === 0 || share === src_shares/* FULL */.eW) ? [share] : [0, src_shares/* FULL */.eW];
    }
    /** Health checks run through the test listener, which points at the canary before any share. */
    async exposeForHealthChecks() {
        return undefined;
    }
    async shift(split) {
        const actions = this.current();
        const full = src_color/* COLORS */.lm.find((c) => split[c] === src_shares/* FULL */.eW);
        const next = this.weighted || !full
            ? rewriteForwardWeights(actions, this.targetGroups, albWeightsFor(split))
            : (forwardTo(actions, this.targetGroups[full], this.label) ?? actions);
        const stored = (await putDefaultActions(this.elb, this.id, next)) ?? next;
        return this.take(stored);
    }
    async verify() {
        const listener = await describeListener(this.elb, this.id, 'production');
        return this.take(listener.DefaultActions ?? []);
    }
    take(actions) {
        const weights = readForwardWeights(actions, this.targetGroups, this.label);
        this.actions = actions;
        this.weighted = isWeighted(weights, actions);
        return splitOfWeights(weights);
    }
    current() {
        if (!this.actions)
            throw new errors/* StateError */.qq(`${this.label} was written before it was read.`);
        return this.actions;
    }
}
/**
 * The test listener of a swap: it points at the colour that is not stable. A canary points it at
 * the canary; a promote or rollback (close, given the colour stable after it) at the other one,
 * which after a promote is the colour just replaced: that is the swap. Writes nothing when it
 * points there already, so a rerun writes nothing.
 */
class SwapTestListener {
    elb;
    arn;
    targetGroups;
    constructor(elb, arn, targetGroups) {
        this.elb = elb;
        this.arn = arn;
        this.targetGroups = targetGroups;
    }
    open(canary, wrote) {
        return this.pointAt(canary, wrote);
    }
    close(stable, wrote) {
        return this.pointAt((0,src_color/* otherColor */.IP)(stable), wrote);
    }
    async warnings() {
        return [];
    }
    async pointAt(color, wrote) {
        const listener = await describeListener(this.elb, this.arn, 'test');
        const label = `Test listener ${this.arn}`;
        readForwardWeights(listener.DefaultActions ?? [], this.targetGroups, label);
        const next = forwardTo(listener.DefaultActions ?? [], this.targetGroups[color], label);
        if (!next)
            return;
        await putDefaultActions(this.elb, this.arn, next);
        wrote(`test listener ${this.arn}: forwards to ${color} (${this.targetGroups[color]})`);
    }
}

;// CONCATENATED MODULE: ./src/routers/alb/listener-rule.ts




/** A weighted listener rule. Only its actions are written; its conditions are never sent. */
class ListenerRuleRouter extends AlbForwardRouter {
    kind = 'listener-rule';
    /** The rule as read already (by discovery, or started before the stack answered). */
    preloaded;
    rule;
    withPreloaded(rule) {
        this.preloaded = Promise.resolve(rule);
        return this;
    }
    get label() {
        return `Listener rule ${this.id}`;
    }
    async fetchActions() {
        const rule = await (this.preloaded ?? describeRule(this.elb, this.id));
        this.preloaded = undefined;
        this.rule = rule;
        if (rule.IsDefault) {
            throw new errors/* StateError */.qq(`${this.label} is a listener's default rule, which ALB changes through the listener. ` +
                `Set "listener-arn" to ${listenerArnOf(this.id)} instead of "listener-rule-arn".`);
        }
        return rule.Actions ?? [];
    }
    placement() {
        if (!this.rule)
            return undefined;
        const priority = Number(this.rule.Priority);
        return {
            listenerArn: listenerArnOf(this.id),
            priority: Number.isInteger(priority) ? priority : undefined,
            conditions: this.rule.Conditions ?? [],
            preActions: this.preActions()
        };
    }
    /** ModifyRule answers with the rule as stored: the actions it returns are what is live now. */
    async putActions(actions) {
        const response = await (0,call/* awsCall */.uF)('elasticloadbalancing:ModifyRule', () => this.elb.send(new dist_cjs/* ModifyRuleCommand */.y5P({ RuleArn: this.id, Actions: actions })), (0,call/* whenNotFound */.II)('Rule', () => ruleNotFound(this.id)));
        return response.Rules?.find((r) => r.RuleArn === this.id)?.Actions;
    }
}
/** One rule by ARN. */
async function describeRule(elb, arn) {
    const response = await (0,call/* awsCall */.uF)('elasticloadbalancing:DescribeRules', () => elb.send(new dist_cjs/* DescribeRulesCommand */.Ggo({ RuleArns: [arn] })), (0,call/* whenNotFound */.II)('Rule', () => ruleNotFound(arn)));
    const rule = response.Rules?.[0];
    if (!rule)
        throw ruleNotFound(arn);
    return rule;
}
function ruleNotFound(arn) {
    return new errors/* NotFoundError */.m_(`Listener rule ${arn} was not found. Check "listener-rule-arn" or the ListenerRule stack output, and "aws-region".`);
}
/** `…:listener-rule/app/lb/1/2/3` → `…:listener/app/lb/1/2`. */
function listenerArnOf(ruleArn) {
    return ruleArn.replace(':listener-rule/', ':listener/').replace(/\/[^/]+$/, '');
}

;// CONCATENATED MODULE: ./src/routers/alb/test-route-read.ts




/** ELB DescribeTags takes at most 20 ARNs a call. */
const TAGS_PER_CALL = 20;
/** `weightedRuleArn`'s tags are not read: it is never a test rule, whatever it carries. */
async function readListenerRules(elb, listenerArn, targetGroups, weightedRuleArn) {
    const rules = await listRules(elb, listenerArn);
    const arns = rules
        .filter((r) => r.RuleArn !== weightedRuleArn && mayBeTestRule(r, targetGroups))
        .map((r) => r.RuleArn ?? '');
    const chunks = [];
    for (let i = 0; i < arns.length; i += TAGS_PER_CALL)
        chunks.push(arns.slice(i, i + TAGS_PER_CALL));
    const described = (await Promise.all(chunks.map((chunk) => describeTags(elb, chunk)))).flat();
    const tags = new Map(described);
    // A rule deleted between the two reads (by a run racing this one) is gone for this run too.
    const gone = new Set(arns.filter((arn) => !tags.has(arn)));
    return { listenerArn, rules: rules.filter((r) => !gone.has(r.RuleArn ?? '')), tags };
}
/**
 * A rule the action could have created: not a default rule, with a forward, and every forward
 * naming only the two colours' target groups (a test rule forwards to the canary alone).
 */
function mayBeTestRule(rule, targetGroups) {
    return !rule.IsDefault && foreignGroups(rule.Actions ?? [], targetGroups) === undefined;
}
/**
 * The target groups the forwards name other than the two colours'; `[]` for no forward at all
 * (nothing the action points), undefined when every forward names only the colours.
 */
function foreignGroups(actions, targetGroups) {
    const forwards = actions.filter((a) => a.Type === 'forward');
    if (forwards.length === 0)
        return [];
    const colors = new Set(src_color/* COLORS */.lm.map((c) => targetGroups[c]));
    const named = forwards.flatMap((a) => [
        ...(a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn ?? ''),
        ...(a.TargetGroupArn ? [a.TargetGroupArn] : [])
    ]);
    const foreign = [...new Set(named.filter((arn) => !colors.has(arn)))];
    return foreign.length > 0 || named.length === 0 ? foreign : undefined;
}
/** Tags of rules by ARN. A rule deleted meanwhile fails the whole call; then ask one by one. */
async function describeTags(elb, arns) {
    try {
        const response = await elb.send(new dist_cjs/* DescribeTagsCommand */.yRM({ ResourceArns: arns }));
        return (response.TagDescriptions ?? []).map((d) => [
            d.ResourceArn ?? '',
            Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']))
        ]);
    }
    catch (error) {
        if (!(0,call/* isNotFound */.c4)((0,call/* errorName */.Is)(error), 'Rule')) {
            throw (0,call/* toActionError */.ie)('elasticloadbalancing:DescribeTags', error);
        }
        if (arns.length === 1)
            return [];
        return (await Promise.all(arns.map((arn) => describeTags(elb, [arn])))).flat();
    }
}
/**
 * Listeners by ARN, each read on its own; undefined for one ELB says does not exist. Callers pass
 * only ARNs of the listener form, so ELB's ValidationError never stands for a forged value.
 */
async function readListeners(elb, arns) {
    const read = async (arn) => {
        try {
            const response = await elb.send(new dist_cjs/* DescribeListenersCommand */.AKE({ ListenerArns: [arn] }));
            return [arn, response.Listeners?.[0]];
        }
        catch (error) {
            if ((0,call/* isNotFound */.c4)((0,call/* errorName */.Is)(error), 'Listener'))
                return [arn, undefined];
            throw (0,call/* toActionError */.ie)('elasticloadbalancing:DescribeListeners', error);
        }
    };
    return new Map(await Promise.all([...new Set(arns)].map(read)));
}

;// CONCATENATED MODULE: ./src/routers/alb/test-route-check.ts


function assessTestRoute(facts) {
    const owned = ownedRules(facts);
    const problems = [];
    const taggedRule = ruleStanding(facts, owned, problems);
    const pointable = new Map();
    let taggedListener = 'none';
    const { listener: tagged } = facts.tagged;
    if (tagged) {
        const { listener, what } = judgeListener(facts, tagged);
        taggedListener = listener ? 'ours' : what ? 'suspect' : 'gone';
        if (listener)
            pointable.set(tagged, listener);
        if (what)
            problems.push(listenerTagProblem(facts, tagged, what));
    }
    const input = facts.inputListener;
    if (input && input !== tagged) {
        const { listener, what } = judgeListener(facts, input);
        if (listener)
            pointable.set(input, listener);
        else
            problems.push(inputListenerProblem(input, what ?? 'it was not found'));
    }
    else if (input && taggedListener === 'gone') {
        problems.push(inputListenerProblem(input, 'it was not found'));
    }
    return { owned, taggedRule, taggedListener, pointable, problems };
}
/** Rules on the listener marked as this service's, that forward only to the colours. */
function ownedRules(facts) {
    const { rules, tags } = facts.rules;
    return rules
        .filter((r) => r.RuleArn !== facts.weightedRuleArn &&
        tags.get(r.RuleArn ?? '')?.[facts.names.ruleMarker] === facts.serviceArn)
        .sort((a, b) => Number(a.Priority) - Number(b.Priority));
}
function ruleStanding(facts, owned, problems) {
    const arn = facts.tagged.rule;
    if (!arn)
        return 'none';
    if (owned.some((r) => r.RuleArn === arn))
        return 'ours';
    const { listenerArn, rules } = facts.rules;
    const rule = rules.find((r) => r.RuleArn === arn);
    const onListener = arn.includes(':listener-rule/') && listenerArnOf(arn) === listenerArn;
    // A rule's ARN names its listener for good: one of this listener's that ELB no longer lists
    // was deleted, and only the tag is left (a run that stopped between the two writes).
    if (!rule && onListener)
        return 'gone';
    const what = rule
        ? whyNotOurs(facts, rule)
        : `it is not on the weighted route's listener ${listenerArn}`;
    problems.push(`The service tag ${facts.names.testRule} names listener rule ${arn}, but ${what}. The action ` +
        "changes or deletes only a test rule it created: one on the weighted route's listener, not " +
        `the weighted rule, tagged ${facts.names.ruleMarker}=${facts.serviceArn}, that forwards only ` +
        `to the Blue and Green target groups. ${untagAdvice(facts, facts.names.testRule)} Delete ` +
        'a test rule left behind yourself.');
    return 'suspect';
}
/** Why a rule of the listener that is not among the owned ones is not ours. */
function whyNotOurs(facts, rule) {
    const { ruleMarker } = facts.names;
    const arn = rule.RuleArn ?? '';
    if (arn === facts.weightedRuleArn)
        return 'it is the weighted rule';
    if (rule.IsDefault)
        return "it is the listener's default rule";
    // Only rules that forward to nothing but the colours had their tags read.
    const tags = facts.rules.tags.get(arn);
    if (!tags)
        return forwardProblem(foreignGroups(rule.Actions ?? [], facts.targetGroups) ?? []);
    const marker = tags[ruleMarker];
    return marker === undefined
        ? `it does not carry the tag ${ruleMarker}=${facts.serviceArn} that the action puts on the test rules it creates`
        : `its tag ${ruleMarker} names ${marker}, not this service`;
}
function forwardProblem(foreign) {
    return foreign.length === 0
        ? 'it has no forward action'
        : `it forwards to ${foreign.join(', ')}, not only to the Blue and Green target groups`;
}
/**
 * A listener the action may point at a colour: an ALB listener on the weighted route's load
 * balancer, not the weighted route's own listener, whose default action forwards only to the
 * colours. `what` says why not; neither is set when ELB has no such listener.
 */
function judgeListener(facts, arn) {
    const weighted = facts.rules.listenerArn;
    if (!isListenerArn(arn))
        return { what: 'it is not the ARN of a load balancer listener' };
    if (arn === weighted)
        return { what: "it is the weighted route's own listener" };
    const listener = facts.listeners.get(arn);
    if (!listener)
        return {};
    const home = loadBalancerArnOf(weighted);
    if (listener.LoadBalancerArn !== home) {
        return {
            what: `it is on load balancer ${listener.LoadBalancerArn ?? 'unknown'}, not the weighted route's ${home}`
        };
    }
    const actions = listener.DefaultActions ?? [];
    const foreign = foreignGroups(actions, facts.targetGroups);
    if (foreign)
        return { what: `its default action ${forwardProblem(foreign).replace(/^it /, '')}` };
    if (actions.filter((a) => a.Type === 'forward').length > 1) {
        return { what: 'its default actions hold more than one forward' };
    }
    return { listener };
}
function listenerTagProblem(facts, arn, what) {
    return (`The service tag ${facts.names.testListener} names listener ${arn}, but ${what}. The action ` +
        "points only a test listener on the weighted route's load balancer, other than the weighted " +
        "route's listener, whose default action forwards only to the Blue or Green target group. " +
        untagAdvice(facts, facts.names.testListener));
}
function inputListenerProblem(arn, what) {
    return (`"test-listener-arn" names listener ${arn}, but ${what}. Give a second listener on the ` +
        "weighted route's load balancer whose default action forwards only to the Blue or Green " +
        'target group.');
}
function untagAdvice(facts, tag) {
    return (`If the tag is wrong, remove it (aws ecs untag-resource --resource-arn ${facts.serviceArn} ` +
        `--tag-keys ${tag}).`);
}
const isListenerArn = (arn) => /^arn:[\w-]+:elasticloadbalancing:[^:]*:\d*:listener\//.test(arn);
/** `…:listener/app/lb/1/2` → `…:loadbalancer/app/lb/1`: a listener's ARN embeds its load balancer's. */
function loadBalancerArnOf(listenerArn) {
    return listenerArn.replace(':listener/', ':loadbalancer/').replace(/\/[^/]+$/, '');
}

;// CONCATENATED MODULE: ./src/routers/alb/test-rule.ts

/**
 * Pure builders of the test-traffic rule: the weighted rule's conditions plus the test header or
 * query, its authentication, a forward to the canary alone, and a free priority above it.
 */
/** DescribeRules echoes some conditions in both the legacy `Values` and the typed form; send one. */
function sendableCondition(condition) {
    const typed = condition.HostHeaderConfig ??
        condition.PathPatternConfig ??
        condition.HttpHeaderConfig ??
        condition.QueryStringConfig ??
        condition.HttpRequestMethodConfig ??
        condition.SourceIpConfig;
    if (!typed)
        return condition;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { Values, ...rest } = condition;
    return rest;
}
/** The weighted rule's conditions plus the test header / query conditions. */
function testConditions(placement, traffic) {
    const conditions = placement.conditions.map(sendableCondition);
    if (traffic.header) {
        conditions.push({
            Field: 'http-header',
            HttpHeaderConfig: { HttpHeaderName: traffic.header.name, Values: [traffic.header.value] }
        });
    }
    if (traffic.query) {
        conditions.push({
            Field: 'query-string',
            QueryStringConfig: { Values: [{ Key: traffic.query.key, Value: traffic.query.value }] }
        });
    }
    return conditions;
}
/** The weighted rule's authentication, then a forward to the canary group alone. */
function testActions(placement, canaryTargetGroup) {
    if (placement.preActions.some((a) => a.Type === 'authenticate-oidc')) {
        throw new errors/* StateError */.qq('The weighted rule authenticates with OIDC, and ELB needs the client secret (which it never ' +
            'returns) to create a rule with it, so the action cannot create a test rule that keeps ' +
            'that authentication. Create the test rule yourself, or drop "test-header"/"test-query".');
    }
    const order = Math.max(0, ...placement.preActions.map((a) => a.Order ?? 0)) + 1;
    return [
        ...placement.preActions,
        {
            Type: 'forward',
            Order: order,
            ForwardConfig: { TargetGroups: [{ TargetGroupArn: canaryTargetGroup, Weight: 1 }] }
        }
    ];
}
/** The requested priority, else the first free one above the weighted rule (or from 1). */
function choosePriority(placement, taken, requested) {
    if (requested !== undefined)
        return requested;
    const used = new Set(taken);
    if (placement.priority !== undefined) {
        for (let p = placement.priority - 1; p >= 1; p--)
            if (!used.has(p))
                return p;
        throw new errors/* StateError */.qq(`No free priority above the weighted rule (priority ${placement.priority}) for the test rule. ` +
            'Set "test-rule-priority".');
    }
    let p = 1;
    while (used.has(p))
        p += 1;
    return p;
}

;// CONCATENATED MODULE: ./src/routers/alb/test-rules.ts




/**
 * This service's test rules on the weighted route's listener. Every rule it creates carries the
 * marker tag from the moment it exists, so a run that dies before recording the rule anywhere
 * else leaves one that the next run finds by the marker, not by its priority.
 */
class TestRules {
    elb;
    view;
    marker;
    reread;
    constructor(elb, view, marker, 
    /** Reads the listener again: after losing a race for a priority, the winner may be ours. */
    reread) {
        this.elb = elb;
        this.view = view;
        this.marker = marker;
        this.reread = reread;
    }
    get owned() {
        return this.view.owned;
    }
    /**
     * Makes one owned rule send test requests to the canary: the one at the requested priority,
     * else the lowest, created if there is none. Says each write to `wrote` as soon as it is made;
     * returns the rule's ARN and the other owned rules, which the caller deletes once the service
     * tag names the one kept.
     */
    async sync(placement, canaryGroup, traffic, wrote, retried = false) {
        const conditions = testConditions(placement, traffic);
        const actions = testActions(placement, canaryGroup);
        const requested = traffic.priority;
        const owned = this.view.owned;
        const keep = owned.find((r) => Number(r.Priority) === requested) ?? owned[0];
        const extras = owned.filter((r) => r !== keep);
        if (keep?.RuleArn) {
            const arn = keep.RuleArn;
            if (sameRule(keep, conditions, actions, requested))
                return { arn, extras };
            if (requested === undefined || Number(keep.Priority) === requested) {
                // testActions refuses OIDC, so there is no client secret to keep here.
                await (0,call/* awsCall */.uF)('elasticloadbalancing:ModifyRule', () => this.elb.send(new dist_cjs/* ModifyRuleCommand */.y5P({ RuleArn: arn, Conditions: conditions, Actions: actions })));
                this.replace(keep, { ...keep, Conditions: conditions, Actions: actions });
                wrote(`test rule ${arn}: updated`);
                return { arn, extras };
            }
            // ModifyRule cannot move a rule. Deleted first, so no two rules are ever ours at once
            // for this reason; a stop in between leaves no rule, which the next run creates.
            await this.remove([keep], wrote);
        }
        const taken = this.view.rules.map((r) => Number(r.Priority)).filter(Number.isInteger);
        const priority = choosePriority(placement, taken, requested);
        let created;
        try {
            const response = await this.elb.send(new dist_cjs/* CreateRuleCommand */.OOk({
                ListenerArn: placement.listenerArn,
                Priority: priority,
                Conditions: conditions,
                Actions: actions,
                Tags: [this.marker]
            }));
            created = response.Rules?.[0];
        }
        catch (error) {
            const name = (0,call/* errorName */.Is)(error);
            if (name !== 'PriorityInUseException' && name !== 'PriorityInUse') {
                throw (0,call/* toActionError */.ie)('elasticloadbalancing:CreateRule', error);
            }
            // Another run for this service may have just created the rule: take it over.
            this.view = await this.reread();
            if (!retried && this.view.owned.length > 0) {
                return this.sync(placement, canaryGroup, traffic, wrote, true);
            }
            throw new errors/* StateError */.qq(`Priority ${priority} is taken on ${placement.listenerArn}. Set "test-rule-priority" to a free one.`);
        }
        const arn = created?.RuleArn ?? '';
        const rule = created ?? { RuleArn: arn, Priority: String(priority) };
        this.view = { rules: [...this.view.rules, rule], owned: [rule, ...extras] };
        wrote(`test rule ${arn}: created at priority ${priority}`);
        return { arn, extras };
    }
    /** Deletes owned rules; one already gone is the state wanted. */
    async remove(rules, wrote) {
        for (const rule of [...rules]) {
            const arn = rule.RuleArn ?? '';
            try {
                await this.elb.send(new dist_cjs/* DeleteRuleCommand */.piX({ RuleArn: arn }));
            }
            catch (error) {
                if (!(0,call/* isNotFound */.c4)((0,call/* errorName */.Is)(error), 'Rule')) {
                    throw (0,call/* toActionError */.ie)('elasticloadbalancing:DeleteRule', error);
                }
            }
            this.view = {
                rules: this.view.rules.filter((r) => r.RuleArn !== arn),
                owned: this.view.owned.filter((r) => r.RuleArn !== arn)
            };
            wrote(`test rule ${arn}: deleted`);
        }
    }
    replace(old, next) {
        const swap = (r) => (r === old ? next : r);
        this.view = { rules: this.view.rules.map(swap), owned: this.view.owned.map(swap) };
    }
}
function sameRule(rule, conditions, actions, priority) {
    const groups = (list) => JSON.stringify(list.map((a) => a.ForwardConfig?.TargetGroups));
    return (groups(rule.Actions ?? []) === groups(actions) &&
        JSON.stringify((rule.Conditions ?? []).map(sendableCondition)) === JSON.stringify(conditions) &&
        (priority === undefined || Number(rule.Priority) === priority));
}

;// CONCATENATED MODULE: ./src/routers/alb/test-traffic.ts




/**
 * Test traffic on an ALB: a rule above the weighted one that sends only requests carrying the
 * test header or query to the canary, and a second listener that points at the canary while a
 * canary runs. The service tags say which rule and listener are in use; only what the assessment
 * found to be the action's own is written. Every write leaves a state the next run finishes or
 * undoes: a rule carries its marker from creation, a listener is recorded before it is pointed,
 * and a tag is removed only after what it names is gone or back on the stable colour.
 */
class AlbTestTraffic {
    elb;
    placement;
    traffic;
    targetGroups;
    tags;
    names;
    rules;
    assessment;
    leftAlone;
    /** Default actions of the listeners this run may point, kept current as it writes them. */
    listeners;
    constructor(elb, placement, traffic, targetGroups, tags, names, rules, assessment) {
        this.elb = elb;
        this.placement = placement;
        this.traffic = traffic;
        this.targetGroups = targetGroups;
        this.tags = tags;
        this.names = names;
        this.rules = rules;
        this.assessment = assessment;
        this.leftAlone = assessment.problems.map((problem) => `Left alone: ${problem}`);
        this.listeners = new Map([...assessment.pointable].map(([arn, l]) => [arn, l.DefaultActions ?? []]));
    }
    async warnings() {
        return this.leftAlone;
    }
    async open(canary, wrote) {
        const record = {};
        let extras = [];
        const placement = this.placement();
        if ((this.traffic.header || this.traffic.query) && placement) {
            const synced = await this.rules.sync(placement, this.targetGroups[canary], this.traffic, wrote);
            extras = synced.extras;
            if (synced.arn !== this.tags.get(this.names.testRule))
                record[this.names.testRule] = synced.arn;
        }
        const input = this.traffic.listenerArn;
        const tagged = this.tags.get(this.names.testListener);
        if (input && input !== tagged) {
            // The listener an earlier canary pointed goes back before the tag stops naming it.
            if (tagged && this.listeners.has(tagged)) {
                await this.point(tagged, (0,src_color/* otherColor */.IP)(canary), wrote);
            }
            record[this.names.testListener] = input;
        }
        // Recorded before the listener is pointed: a run that stops next leaves a tag naming a
        // listener still on the stable colour, which promote and rollback handle the same way.
        if (Object.keys(record).length > 0)
            await this.tags.set(record);
        // Two runs that raced both made a rule; the one the tag names stays.
        await this.rules.remove(extras, wrote);
        if (input)
            await this.point(input, canary, wrote);
    }
    async close(stable, wrote) {
        await this.rules.remove(this.rules.owned, wrote);
        for (const arn of this.listeners.keys())
            await this.point(arn, stable, wrote);
        const { taggedRule, taggedListener } = this.assessment;
        const keys = [
            ...(taggedRule !== 'suspect' ? [this.names.testRule] : []),
            ...(taggedListener !== 'suspect' ? [this.names.testListener] : [])
        ].filter((key) => this.tags.get(key) !== undefined);
        if (keys.length > 0)
            await this.tags.remove(keys);
    }
    /** Points the listener's default forward at one colour; every other action stays. */
    async point(listenerArn, color, wrote) {
        const actions = this.listeners.get(listenerArn);
        if (!actions)
            return;
        const group = this.targetGroups[color];
        const next = forwardOnlyTo(actions, group, `Test listener ${listenerArn}`);
        if (!next)
            return;
        await (0,call/* awsCall */.uF)('elasticloadbalancing:ModifyListener', () => this.elb.send(new dist_cjs/* ModifyListenerCommand */.ugc({
            ListenerArn: listenerArn,
            DefaultActions: keepExistingSecrets(next)
        })));
        this.listeners.set(listenerArn, next);
        wrote(`test listener ${listenerArn}: forwards to ${group}`);
    }
}

;// CONCATENATED MODULE: ./src/routers/alb/test-route.ts





/**
 * The listener's rules with the tags of those that may be test rules, and the test listeners,
 * each read as soon as what it needs is known.
 */
function startTestRouteRead(elb, sources) {
    const { wanted, weighted, targetGroups, service, names, inputListener } = sources;
    const rules = Promise.all([wanted, weighted, targetGroups]).then(([want, at, groups]) => want ? readListenerRules(elb, at.listenerArn, groups, at.ruleArn) : undefined);
    const listeners = Promise.all([wanted, service]).then(([want, s]) => {
        const arns = [inputListener, s.tags[names.testListener]].filter((arn) => arn !== undefined && isListenerArn(arn));
        return want ? readListeners(elb, arns) : undefined;
    });
    const read = Promise.all([rules, listeners, weighted, targetGroups, service]).then(([r, l, at, groups, s]) => r && l
        ? {
            facts: {
                rules: r,
                listeners: l,
                weightedRuleArn: at.ruleArn,
                targetGroups: groups,
                serviceArn: s.arn,
                names,
                tagged: { rule: s.tags[names.testRule], listener: s.tags[names.testListener] },
                inputListener
            }
        }
        : undefined);
    if (!sources.tolerateFailure)
        return read;
    return read.catch((error) => ({
        failed: (0,errors/* messageOf */.bD)(error)
    }));
}
/**
 * Test traffic over what was read. Refuses (TestRouteError) when a service tag or input names a
 * rule or listener the action may not change, unless `strict` is off: then those are left alone
 * and reported as warnings.
 */
function albTestTraffic(elb, read, parts) {
    if ('failed' in read)
        return unreadTestRoute(read.failed);
    const { facts } = read;
    const assessment = assessTestRoute(facts);
    if (assessment.problems.length > 0 && parts.strict) {
        throw new errors/* TestRouteError */.u_(`${assessment.problems.join(' ')} Nothing was written.`);
    }
    const marker = { Key: facts.names.ruleMarker, Value: facts.serviceArn };
    const view = { rules: facts.rules.rules, owned: assessment.owned };
    const rules = new TestRules(elb, view, marker, async () => {
        const { listenerArn } = facts.rules;
        const again = await readListenerRules(elb, listenerArn, parts.targetGroups, facts.weightedRuleArn);
        return { rules: again.rules, owned: ownedRules({ ...facts, rules: again }) };
    });
    return new AlbTestTraffic(elb, parts.placement, parts.traffic, parts.targetGroups, parts.tags, facts.names, rules, assessment);
}
/**
 * Test traffic whose reads are still running: they are awaited only when test traffic is opened
 * or closed, so a rollback writes the route first. Only a rollback uses it: it never refuses, so
 * nothing in what the reads find can stop its first write.
 */
function deferredTestTraffic(read, build) {
    const ready = read.then((found) => found && build(found));
    // Reported when test traffic is used; a run that ends before that must not leave it unhandled.
    ready.catch(() => undefined);
    return {
        open: async (canary, wrote) => (await ready)?.open(canary, wrote),
        close: async (stable, wrote) => (await ready)?.close(stable, wrote),
        warnings: async () => (await ready.catch(() => undefined))?.warnings() ?? []
    };
}
/** A rollback whose test-route reads failed still rolls traffic back; it says what it left. */
function unreadTestRoute(why) {
    return {
        open: async () => undefined,
        close: async () => undefined,
        warnings: async () => [
            `Test traffic was left as it is: reading the test rule and listener failed (${why}). ` +
                'Run rollback again to take it away.'
        ]
    };
}

// EXTERNAL MODULE: ./src/lease.ts
var lease = __webpack_require__(7121);
;// CONCATENATED MODULE: ./src/service-lease.ts



/** The lease as a tag on the ECS service, written and read through the service's tags. */
class ServiceLease {
    tags;
    me;
    serviceName;
    until = 0;
    constructor(tags, me, serviceName) {
        this.tags = tags;
        this.me = me;
        this.serviceName = serviceName;
    }
    async take(mode, now, durationMs, left) {
        const key = this.tags.names.lease;
        const verdict = (0,lease/* judgeLease */.Qs)(this.tags.get(key), this.me, now);
        if (!verdict.free && mode !== 'rollback') {
            throw new errors/* LeaseHeldError */._i(`Another run is changing service ${this.serviceName}: ${(0,lease/* describeHolder */.sG)(verdict.holder)}, ` +
                `leased until ${new Date(verdict.holder.until).toISOString()}. Wait for it to finish. If ` +
                `it died, run mode rollback (it never waits for a lease) or remove the tag: aws ecs ` +
                `untag-resource --resource-arn ${this.tags.arn} --tag-keys ${key}. No traffic was ` +
                'moved; nothing was written.');
        }
        const holder = {
            ...this.me,
            mode,
            until: now + durationMs,
            ...(left ? { left } : {})
        };
        this.until = holder.until;
        await this.tags.set({ [key]: (0,lease/* formatLease */.gx)(holder) });
        if (!verdict.free)
            return `rollback takes the service from ${(0,lease/* describeHolder */.sG)(verdict.holder)}`;
        return verdict.note;
    }
    async look() {
        const tags = await this.tags.read();
        const value = tags[this.tags.names.lease];
        const holder = (0,lease/* parseLease */.QM)(value);
        const stable = tags[this.tags.names.stable];
        return {
            ours: (0,lease/* isOwnLease */.jG)(value, this.me),
            ...(holder
                ? {
                    holder: (0,lease/* describeHolder */.sG)(holder),
                    byRollback: holder.mode === 'rollback',
                    until: holder.until,
                    ...(holder.left ? { left: holder.left } : {})
                }
                : {}),
            ...(stable !== undefined && (0,src_color/* isColor */._o)(stable) ? { stable: stable } : {})
        };
    }
    async release() {
        await this.tags.remove([this.tags.names.lease]);
    }
    leftBehind() {
        const key = this.tags.names.lease;
        return (`This run's lease tag ${key} is still on the service: "Re-run jobs" takes it over; any other ` +
            `run waits until it expires at ${new Date(this.until).toISOString().slice(0, 16)} UTC, or ` +
            `until it is removed with: aws ecs untag-resource --resource-arn ${this.tags.arn} ` +
            `--tag-keys ${key}`);
    }
}

;// CONCATENATED MODULE: ./src/stable-mirror.ts



/**
 * The stable tag on the service named by `service` (the one the action reads), copied to the
 * colours' other services so that a look at either service shows which colour is live. The copy
 * is written after the tag it copies and never read back, so it cannot mislead a run: a failed
 * copy is said in the line the write returns, and the next promote or rollback writes it again.
 */
class MirroredStableMarker {
    tags;
    ecs;
    mirrors;
    constructor(tags, ecs, 
    /** ARNs of the services that carry a copy (the colours' services other than `service`). */
    mirrors) {
        this.tags = tags;
        this.ecs = ecs;
        this.mirrors = mirrors;
    }
    async promote(from, to, record) {
        return this.copied(await this.tags.promote(from, to, record));
    }
    async undo(from, to, record) {
        return this.copied(await this.tags.undo(from, to, record));
    }
    forget() {
        return this.tags.forget();
    }
    async putBack() {
        return this.copied(await this.tags.putBack());
    }
    async copied(line) {
        const key = this.tags.names.stable;
        const value = this.tags.get(key);
        if (value === undefined || this.mirrors.length === 0)
            return line;
        const results = await Promise.allSettled(this.mirrors.map((arn) => (0,call/* awsCall */.uF)('ecs:TagResource', () => this.ecs.send(new client_ecs_dist_cjs/* TagResourceCommand */.eqU({ resourceArn: arn, tags: [{ key, value }] })))));
        const failed = results.flatMap((r, i) => r.status === 'rejected' ? [`${this.mirrors[i]} (${(0,errors/* messageOf */.bD)(r.reason)})`] : []);
        const copies = this.mirrors.length - failed.length;
        const said = copies > 0 ? `; copied to ${copies} colour service${copies > 1 ? 's' : ''}` : '';
        const missed = failed.length > 0
            ? `; the copy on ${failed.join(', ')} failed, the next promote or rollback writes it again`
            : '';
        return `${line}${said}${missed}`;
    }
}

;// CONCATENATED MODULE: ./src/routers/task-count/task-shares.ts

/**
 * Shares in units of whole tasks, pure: `canary` canary tasks beside `service` service tasks get
 * canary / (canary + service) of the requests, rounded to a permille (1 of 3 is 333, 33.3 %).
 */
function shareOf(canary, service) {
    const all = canary + service;
    return all === 0 ? 0 : Math.round((src_shares/* FULL */.eW * canary) / all);
}
/**
 * Every share the canary can have: 0 to `maxCanary` tasks beside the service's tasks, and all of
 * it (the service itself rolled to the canary's revision). Ascending, without repeats.
 */
function reachableShares(service, maxCanary) {
    const shares = new Set([src_shares/* FULL */.eW]);
    for (let k = 0; k <= maxCanary; k += 1)
        shares.add(shareOf(k, service));
    return [...shares].sort((a, b) => a - b);
}
/** `[share]` when a task count gives it exactly, else the nearest reachable below and above. */
function nearestShares(share, service, maxCanary) {
    const shares = reachableShares(service, maxCanary);
    if (shares.includes(share))
        return [share];
    const below = shares.filter((s) => s < share).at(-1);
    const above = shares.find((s) => s > share);
    return [below, above].filter((s) => s !== undefined);
}
/** How many canary tasks give `share` (below all of it); undefined when none does. */
function canaryCountFor(share, service, maxCanary) {
    for (let k = 0; k <= maxCanary; k += 1)
        if (shareOf(k, service) === share)
            return k;
    return undefined;
}

;// CONCATENATED MODULE: ./src/routers/task-count/task-count-router.ts




/**
 * Traffic in units of whole tasks: the canary's share is the canary targets registered in the
 * service's target group over those and the service's tasks (1 canary beside 2 is 33.3 %). All of
 * it is the service itself rolled to the canary's revision. Counting registrations and the
 * service's desired count, not momentary health, keeps the split one only a writer changes: a
 * service task replaced during a bake is not another writer. The healthy share is in `notes`.
 */
class TaskCountRouter {
    fleet;
    maxCanary;
    kind = 'task-count';
    constructor(fleet, 
    /** The most canary tasks a share may take (`canary-tasks`). */
    maxCanary) {
        this.fleet = fleet;
        this.maxCanary = maxCanary;
    }
    get id() {
        return this.fleet.entry.targetGroup;
    }
    async read() {
        return this.current();
    }
    reachable(share) {
        return nearestShares(share, this.fleet.serviceCount, this.maxCanary);
    }
    /** Registers one canary task: ALB health-checks a target before it sends it any request. */
    async exposeForHealthChecks(color) {
        const { fleet } = this;
        if (color !== fleet.canary || fleet.serviceColor === color)
            return undefined;
        if (fleet.registeredCanary().length > 0)
            return undefined;
        const target = this.unregistered()[0];
        if (!target)
            return undefined;
        return `${await fleet.register([target])} to be health-checked`;
    }
    async shift(split) {
        const { fleet } = this;
        const share = split[fleet.canary];
        if (share === src_shares/* FULL */.eW) {
            await this.log(await fleet.rollTo(fleet.canary, true));
            return this.current();
        }
        // The service goes back to the stable revision first (a canary moved to all of it).
        if (fleet.serviceColor === fleet.canary)
            await this.log(await fleet.rollTo(fleet.stable, false));
        const count = canaryCountFor(share, fleet.serviceCount, this.maxCanary);
        if (count === undefined) {
            throw new errors/* StateError */.qq(`No number of canary tasks gives ${(0,src_shares/* formatPercent */.l9)(share)}% beside ${fleet.serviceCount} service task(s).`);
        }
        const registered = fleet.registeredCanary();
        if (count > registered.length) {
            const more = this.unregistered().slice(0, count - registered.length);
            if (more.length < count - registered.length) {
                throw new errors/* StateError */.qq(`${(0,src_shares/* formatPercent */.l9)(share)}% needs ${count} canary task(s) in the target group, but only ` +
                    `${registered.length + more.length} run with an IP. Start them with "image" or "task-definition" (and "canary-tasks").`);
            }
            await this.log(await fleet.register(more));
        }
        else if (count < registered.length) {
            // Targets of tasks that stopped go first.
            const live = new Set(fleet.liveTasks().flatMap((t) => {
                const target = fleet.targetOf(t);
                return target ? [targetId(target)] : [];
            }));
            const order = [...registered].sort((a, b) => Number(live.has(targetId(a))) - Number(live.has(targetId(b))));
            await this.log(await fleet.deregister(order.slice(0, registered.length - count)));
        }
        return this.current();
    }
    async verify() {
        await this.fleet.refreshTargets();
        return this.current();
    }
    notes() {
        const { canary, all } = this.fleet.healthyCounts();
        if (all === 0)
            return [];
        return [
            `${canary} of ${all} healthy target(s) in the target group are canary tasks ` +
                `(${(0,src_shares/* formatPercent */.l9)(shareOf(canary, all - canary))}% of requests).`
        ];
    }
    current() {
        const { fleet } = this;
        if (fleet.serviceColor === fleet.canary)
            return (0,src_shares/* splitFor */.o_)(fleet.canary, src_shares/* FULL */.eW);
        return (0,src_shares/* splitFor */.o_)(fleet.canary, shareOf(fleet.registeredCanary().length, fleet.serviceCount));
    }
    /** Targets of running canary tasks that are not in the group yet. */
    unregistered() {
        const { fleet } = this;
        const registered = new Set(fleet.registeredCanary().map(targetId));
        return fleet
            .liveTasks()
            .filter((t) => t.lastStatus === 'RUNNING')
            .flatMap((t) => {
            const target = fleet.targetOf(t);
            return target && !registered.has(targetId(target)) ? [target] : [];
        });
    }
    async log(line) {
        if (line)
            this.fleet.options.log(line);
    }
}

;// CONCATENATED MODULE: ./src/compose.ts





























/**
 * The composition root: the only module that names concrete routers, workloads and gates. Each
 * function picks one kind from the inputs and what was read, once; everything downstream sees
 * the interfaces.
 */
/**
 * When the inputs name the route, its read starts at once, beside the service and stack reads:
 * parsing it needs the target groups, asking for it does not. Saves a round trip on every mode.
 */
function startRouteRead(inputs, clients) {
    const early = inputs.listenerArn
        ? { listener: readListenerActions(clients.elb, inputs.listenerArn) }
        : inputs.listenerRuleArn
            ? { rules: (0,input_values/* ruleArnList */.ou)(inputs.listenerRuleArn).map((arn) => describeRule(clients.elb, arn)) }
            : undefined;
    // Reported when the router reads it; a stack error that comes first must not leave it unhandled.
    early?.listener?.catch(() => undefined);
    for (const rule of early?.rules ?? [])
        rule.catch(() => undefined);
    return early;
}
/**
 * The shape the inputs decide on their own, pure: `workload`, or any input that names task sets
 * or a route (a stack, target groups, rules, listeners, two services, a hosted zone) means task
 * sets at once, so those runs never wait for the service to pick. Undefined when only the
 * service's deployment controller can tell.
 */
function kindFromInputs(inputs) {
    if (inputs.services)
        return 'two-services';
    if (inputs.workload !== 'auto')
        return inputs.workload;
    return inputs.stackName || (0,src_inputs/* namesRouteOrTaskSets */.Fw)(inputs) ? 'task-sets' : undefined;
}
/** `workload: auto` once the service is read: a rolling (ECS) service gets standalone canary tasks. */
function kindOfService(service) {
    if (service.deploymentController === 'ECS')
        return 'standalone-task';
    if (service.deploymentController === 'EXTERNAL') {
        throw new errors/* StateError */.qq(`Service ${service.name} uses the EXTERNAL deployment controller: tell the action where ` +
            'Blue and Green are with "stack-name", or "blue-target-group" and "green-target-group". Nothing was written.');
    }
    throw new errors/* StateError */.qq(`Service ${service.name} uses the ${service.deploymentController} deployment controller, which ` +
        'this action does not drive: it serves EXTERNAL services (task sets) and ECS (rolling) ' +
        'services (a standalone canary task). Nothing was written.');
}
/**
 * Starts the shape's reads. When the inputs decide the shape they start at once, beside the
 * service's read; only when they leave it open does the choice wait for the service.
 */
function startShapeReads(inputs, clients, service, options) {
    const decided = kindFromInputs(inputs);
    if (decided && decided !== 'standalone-task') {
        return { kind: Promise.resolve(decided), ...colorReads(inputs, clients, service, options) };
    }
    const kind = decided ? Promise.resolve(decided) : service.then(kindOfService);
    const reads = kind.then((k) => k === 'standalone-task'
        ? standaloneReads(inputs, clients, service, options)
        : colorReads(inputs, clients, service, options));
    // Each is reported where discovery awaits it; none may go unhandled meanwhile.
    const settled = (pick) => {
        const promise = reads.then(pick);
        promise.catch(() => undefined);
        return promise;
    };
    return {
        kind,
        where: settled((r) => r.where),
        route: settled((r) => r.route),
        workload: settled((r) => r.workload)
    };
}
/** Task sets or two services: the locations from inputs and stack, the route, the workload. */
function colorReads(inputs, clients, service, options) {
    const where = options.outputs().then((found) => resolveResources(inputs, found));
    const route = where.then(async (w) => {
        const router = await chooseRoute(inputs, clients, w, {
            early: options.early,
            log: options.log,
            pollMs: options.pollMs
        });
        return { router, split: await router.read() };
    });
    const workload = where.then((w) => chooseWorkload(inputs, clients, service, w));
    return { where, route, workload };
}
/**
 * A rolling service with standalone canary tasks: the service's target group is both colours'
 * (the router tells them apart by task), found once the service is read.
 */
function standaloneReads(inputs, clients, service, options) {
    const fleet = service.then((state) => {
        refuseForStandalone(inputs, state);
        const stable = new ServiceTags(clients.ecs, state, state.tags, inputs.tagKey).stable(STANDALONE_FIRST_STABLE);
        return StandaloneTaskWorkload.discover(clients, state, stable, {
            cluster: inputs.cluster,
            tagKey: inputs.tagKey,
            canaryTasks: inputs.canaryTasks,
            starts: inputs.mode === 'canary' || inputs.mode === 'deploy',
            drainCapMs: inputs.deregistrationTimeoutSeconds * 1000,
            timeoutMs: inputs.healthTimeoutSeconds * 1000,
            pollMs: options.pollMs ?? 5000,
            clock: cancellable(options.clock, options.signal),
            log: options.log
        });
    });
    const where = fleet.then((f) => ({
        taskSets: {},
        targetGroups: { Blue: f.entry.targetGroup, Green: f.entry.targetGroup }
    }));
    const route = fleet.then(async (f) => {
        const router = new TaskCountRouter(f, inputs.canaryTasks);
        return { router, split: await router.read() };
    });
    return { where, route, workload: fleet };
}
/** Without a tag, a rolling service's own tasks are Blue: the first canary is Green. */
const STANDALONE_FIRST_STABLE = 'Blue';
/**
 * What standalone canary tasks cannot do, refused before any write: an EXTERNAL service, and
 * checks that need a target group per colour (test routes, the smoke check, canary analysis).
 */
function refuseForStandalone(inputs, service) {
    if (service.deploymentController !== 'ECS') {
        throw new errors/* StateError */.qq(`"workload: standalone-task" runs canary tasks beside a service of the ECS (rolling) ` +
            `deployment controller; service ${service.name} uses ${service.deploymentController}. ` +
            'Use "workload: task-sets" (or leave it auto). Nothing was written.');
    }
    if (inputs.mode !== 'canary')
        return;
    const { header, query, listenerArn } = inputs.testTraffic;
    const input = header
        ? constants/* Inputs */.G0.TestHeader
        : query
            ? constants/* Inputs */.G0.TestQuery
            : listenerArn
                ? constants/* Inputs */.G0.TestListenerArn
                : inputs.smoke
                    ? constants/* Inputs */.G0.SmokeUrl
                    : inputs.analysis
                        ? constants/* Inputs */.G0.Analysis
                        : undefined;
    if (input) {
        throw new errors/* StateError */.qq(`"${input}" needs a target group per colour; standalone canary tasks share the service's ` +
            'one. Leave it out for this service. Nothing was written.');
    }
}
/**
 * A given listener or rules, else every rule on the colours' load balancers that names both.
 * Several rules move in lockstep.
 */
async function chooseRouter(clients, where, early) {
    const { targetGroups } = where;
    if (where.swap)
        return new ListenerSwapRouter(clients.elb, where.swap, targetGroups);
    if (where.listenerArn) {
        const router = new ListenerRouter(clients.elb, where.listenerArn, targetGroups);
        return early?.listener ? router.withPreloaded(early.listener) : router;
    }
    const rules = where.listenerRuleArns ?? [];
    if (rules.length > 0) {
        return lockstep(rules.map((arn, i) => {
            const router = new ListenerRuleRouter(clients.elb, arn, targetGroups);
            const preloaded = early?.rules?.[i];
            return preloaded ? router.withPreloaded(preloaded) : router;
        }));
    }
    const found = await discoverWeightedRoutes(clients.elb, targetGroups);
    return lockstep(found.map((route) => route.kind === 'listener'
        ? new ListenerRouter(clients.elb, route.arn, targetGroups)
        : new ListenerRuleRouter(clients.elb, route.arn, targetGroups).withPreloaded(route.rule)));
}
function lockstep(routers) {
    return routers.length === 1 ? routers[0] : new LockstepRouter(routers);
}
/** The one route a listener-bound check (smoke, test traffic) goes through: a set's first. */
function primaryRoute(router) {
    return router instanceof LockstepRouter ? router.primary : router;
}
/**
 * Route 53 weighted records when the inputs name a hosted zone (its module and SDK are loaded
 * only then), else a load balancer's route.
 */
async function chooseRoute(inputs, clients, where, options) {
    const { route53 } = inputs;
    if (!route53)
        return chooseRouter(clients, where, options.early);
    const { Route53Router, route53Client } = await Promise.all(/* import() */[__webpack_require__.e(621), __webpack_require__.e(0)]).then(__webpack_require__.bind(__webpack_require__, 5000));
    return new Route53Router(route53Client(inputs.region), route53, {
        clock: realClock,
        log: options.log,
        awaitSync: inputs.mode !== 'rollback',
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {})
    });
}
/**
 * Blue and Green as task sets of one EXTERNAL-controller service, or as two services when the
 * inputs name one per colour. A plain rollback does not read target health: it never waits for
 * it, and the emergency exit must not wait on a read it does not need (nor fail on one).
 */
function chooseWorkload(inputs, clients, service, where) {
    const readTargets = inputs.mode !== 'rollback' || inputs.undoPromotion;
    if (inputs.services) {
        return TwoServiceWorkload.discover(clients, {
            cluster: inputs.cluster,
            services: inputs.services,
            targetGroups: inputs.targetGroups,
            readTargets,
            scaleTag: `${inputs.tagKey}ScaledFrom`
        });
    }
    return TaskSetWorkload.discover(clients, service, {
        cluster: inputs.cluster,
        taskSets: where.taskSets,
        targetGroups: where.targetGroups,
        readTargets
    });
}
/** The health gate always (it may be switched off); the alarm gate when alarms are named. */
function chooseGates(inputs, router, workload, alarms, pollMs) {
    // A rolling service's rollback is its rollout, awaited until COMPLETED (ECS health-checks the
    // tasks first): a health gate after it would only hold the emergency exit.
    if (inputs.mode === 'rollback' && workload instanceof StandaloneTaskWorkload) {
        return alarms ? [alarms] : [];
    }
    const health = new HealthGate(workload, {
        enabled: inputs.waitForHealthy,
        timeoutMs: inputs.healthTimeoutSeconds * 1000,
        pollMs,
        expose: (color) => router.exposeForHealthChecks(color)
    });
    return alarms ? [health, alarms] : [health];
}
/**
 * The canary's checks beside health and alarms, in the order a step asks them: the smoke check
 * and the hooks before production traffic, then canary analysis. The metrics' dimensions come from
 * the route and the target groups, so analysis needs no input beyond being switched on.
 */
function chooseCheckGates(inputs, clients, parts) {
    if (inputs.mode !== 'canary')
        return [];
    const gates = [];
    if (inputs.smoke) {
        const { router } = parts;
        // A path goes to the listener testers reach the canary on.
        const primary = primaryRoute(router);
        const listener = inputs.testTraffic.listenerArn ??
            (primary.kind === 'listener-rule' ? listenerArnOf(primary.id) : primary.id);
        gates.push(new SmokeGate(inputs.smoke, inputs.testTraffic, () => listenerAddress(clients.elb, listener), parts.fetch));
    }
    const { hooks } = inputs;
    if (hooks) {
        const invoke = parts.invoke ?? lambdaInvoker(inputs.region);
        const { Blue, Green } = parts.workload.discovered;
        const hook = (point, functionName) => new HookGate(invoke, {
            point,
            functionName,
            timeoutMs: hooks.timeoutMs,
            base: {
                service: inputs.service,
                cluster: inputs.cluster,
                ...(parts.runUrl ? { runUrl: parts.runUrl } : {})
            },
            taskDefinitions: { Blue: Blue.unit.taskDefinitionArn, Green: Green.unit.taskDefinitionArn }
        });
        if (hooks.afterTestTraffic)
            gates.push(hook('after-test-traffic', hooks.afterTestTraffic));
        if (hooks.beforeTraffic)
            gates.push(hook('before-traffic', hooks.beforeTraffic));
        if (hooks.afterTraffic)
            gates.push(hook('after-traffic', hooks.afterTraffic));
    }
    if (inputs.analysis) {
        const { Blue, Green } = parts.where.targetGroups;
        const dimensions = {
            loadBalancer: loadBalancerDimension(parts.router.id) ?? '',
            targetGroups: {
                Blue: targetGroupDimension(Blue) ?? '',
                Green: targetGroupDimension(Green) ?? ''
            }
        };
        const analysis = new AnalysisGate(createMetricsRead(clients.cloudwatch, dimensions), inputs.analysis);
        // Analysis holds a step for its verdict before the after-traffic hook is asked about it.
        const afterTraffic = gates.findIndex((g) => g.label === 'hook after-traffic');
        gates.splice(afterTraffic < 0 ? gates.length : afterTraffic, 0, analysis);
    }
    return gates;
}
/**
 * The alarm gate, made before discovery so its first read runs beside the others. Rollback never
 * asks it (an undo asks only readiness), so rollback neither reads alarms nor fails on them.
 */
async function chooseAlarmGate(inputs, clients) {
    const { alarms } = inputs;
    if (inputs.mode === 'rollback')
        return undefined;
    if (alarms.names.length === 0 && !alarms.prefix)
        return undefined;
    // Loaded only here: a run without alarms never evaluates the CloudWatch SDK (clients.ts).
    const [{ createAlarmWatch }, cloudwatch] = await Promise.all([
        Promise.resolve(/* import() eager */).then(__webpack_require__.bind(__webpack_require__, 4051)),
        clients.cloudwatch()
    ]);
    return new gates_alarms/* AlarmGate */.JQ(createAlarmWatch(alarms, cloudwatch), alarms);
}
/**
 * Test traffic's reads, started beside discovery's: the weighted listener is known at once when
 * the inputs or the stack name the route. Promote and rollback always look, to find a test rule a
 * run created but did not record; a canary looks when test traffic is asked for or recorded.
 */
function startTestRouteReads(inputs, clients, reads) {
    // A listener swap's test listener is part of the shape (composeShape), not a test route;
    // Route 53 records and standalone canary tasks have none.
    if (inputs.mode === 'status' || inputs.swap || inputs.route53)
        return Promise.resolve(undefined);
    if (kindFromInputs(inputs) === undefined || inputs.workload === 'standalone-task') {
        return reads.kind.then((kind) => kind === 'standalone-task' ? undefined : readTestRoute(inputs, clients, reads));
    }
    return readTestRoute(inputs, clients, reads);
}
function readTestRoute(inputs, clients, reads) {
    const names = { ...tagNames(inputs.tagKey), ...testRouteTagNames(inputs.tagKey) };
    const { header, query, listenerArn } = inputs.testTraffic;
    const asked = inputs.mode !== 'canary' || Boolean(header || query || listenerArn);
    const wanted = asked
        ? Promise.resolve(true)
        : reads.service.then((s) => Boolean(s.tags[names.testRule] || s.tags[names.testListener]));
    return startTestRouteRead(clients.elb, {
        wanted,
        weighted: reads.where.then((w) => weightedListener(w, reads.route)),
        targetGroups: reads.where.then((w) => w.targetGroups),
        service: reads.service,
        names,
        inputListener: listenerArn,
        tolerateFailure: inputs.mode === 'rollback'
    });
}
async function weightedListener(where, route) {
    if (where.listenerArn)
        return { listenerArn: where.listenerArn };
    // Test traffic goes through the first of several rules moved in lockstep.
    const rule = where.listenerRuleArns?.[0];
    if (rule)
        return { listenerArn: listenerArnOf(rule), ruleArn: rule };
    // Found by discovery: known once the route's read is done.
    const primary = primaryRoute((await route).router);
    return primary.kind === 'listener-rule'
        ? { listenerArn: listenerArnOf(primary.id), ruleArn: primary.id }
        : { listenerArn: primary.id };
}
/** The shape the run works through: router, workload, the tags as the stable marker, test traffic. */
function composeShape(inputs, clients, parts) {
    const { router, workload, tags, where, testRoute } = parts;
    // With a service per colour, the colours' services carry a copy of the stable tag.
    const mirrors = inputs.services
        ? src_color/* COLORS */.lm.map((c) => workload.discovered[c].unit.arn).filter((arn) => arn !== tags.arn)
        : [];
    const marker = mirrors.length > 0 ? new MirroredStableMarker(tags, clients.ecs, mirrors) : tags;
    if (router instanceof ListenerSwapRouter) {
        // The test listener follows the colour that is not stable: open, promote and rollback move it.
        const test = router.listeners.test;
        const testTraffic = new SwapTestListener(clients.elb, test, where.targetGroups);
        return { router, workload, marker, testTraffic };
    }
    // A rollback never refuses: what it may not change it leaves, and says so.
    const build = (read) => albTestTraffic(clients.elb, read, {
        placement: () => router instanceof AlbForwardRouter || router instanceof LockstepRouter
            ? router.placement()
            : undefined,
        traffic: inputs.testTraffic,
        targetGroups: where.targetGroups,
        tags,
        strict: inputs.mode !== 'rollback'
    });
    const testTraffic = testRoute instanceof Promise
        ? deferredTestTraffic(testRoute, build)
        : testRoute && build(testRoute);
    return { router, workload, marker, ...(testTraffic ? { testTraffic } : {}) };
}
/**
 * The run's lease is a tag on the ECS service, next to the stable tag. Without an identity (the
 * executor's own tests) there is none.
 */
function chooseLease(tags, identity, serviceName) {
    return identity ? new ServiceLease(tags, identity, serviceName) : undefined;
}

;// CONCATENATED MODULE: ./src/discover/route-agreement.ts



/**
 * Routes that move in lockstep must hold one split. When they do not, the run goes on only if
 * it will realign them: a rollback (the emergency exit, which puts every route on the stable
 * colour), a status (which writes nothing), or a rerun after a run that stopped between its
 * writes (its lease is still on the service; the rerun writes every route together again). Any
 * other disagreement was made by hand, and the action does not guess which route is right.
 * Pure: returns a line for the log, or undefined when the routes agree.
 */
function checkRoutesAgree(routes, mode, leaseValue) {
    if (!routes || routes.every((r) => (0,src_shares/* sameSplit */.xY)(r.split, routes[0].split)))
        return undefined;
    const each = routes.map((r) => `${r.kind} ${r.id} holds ${(0,src_shares/* formatSplit */.oe)(r.split)}`).join('; ');
    if (mode === 'rollback') {
        return `The routes that move together disagree (${each}); this rollback writes all of them.`;
    }
    if (mode === 'status')
        return `The routes that move together disagree: ${each}.`;
    const holder = (0,lease/* parseLease */.QM)(leaseValue);
    // A finished rollback left them agreeing; its lease explains nothing that came after.
    if (holder && !holder.left) {
        return (`The routes that move together disagree (${each}): the ${(0,lease/* describeHolder */.sG)(holder)} stopped ` +
            'between its writes. This run writes all of them together again.');
    }
    throw new errors/* StateError */.qq(`The routes that move together disagree: ${each}. Something other than this action changed ` +
        'some of them, and the action will not guess which one is right. Run mode rollback: it ' +
        'puts every route back on the stable colour. Or set the same weights on all of them by hand.');
}

;// CONCATENATED MODULE: ./src/discover/discover.ts








/**
 * Reads all state with as few sequential round trips as the data allows: the service (tags, task
 * sets, controller) in parallel with the stack, the alarms and a route named by input; a route
 * found from the stack and both target groups' health as soon as the stack names them. Errors are reported in a fixed order so a message never
 * depends on which answer came back first.
 */
async function discover(inputs, clients, options) {
    const service = options.service ?? (0,discover_service/* readService */.u)(clients.ecs, inputs.cluster, inputs.service);
    const early = startRouteRead(inputs, clients);
    const outputs = needsStack(inputs)
        ? discover_readStack(clients, inputs.stackName ?? '')
        : Promise.resolve(undefined);
    outputs.catch(() => undefined);
    const shapeReads = startShapeReads(inputs, clients, service, {
        early,
        outputs: () => outputs,
        log: (line) => options.log.info(line),
        clock: options.clock ?? realClock,
        ...(options.signal ? { signal: options.signal } : {}),
        pollMs: options.pollMs
    });
    const { kind, where, route, workload } = shapeReads;
    const alarmGate = chooseAlarmGate(inputs, clients);
    const alarms = alarmGate.then((gate) => gate?.prime(options.now()));
    const testRoute = startTestRouteReads(inputs, clients, { service, where, route, kind });
    // A rollback never refuses over test traffic, so its reads go on beside the route write and
    // are awaited only when it takes test traffic away: the emergency exit does not wait on them.
    const deferTestRoute = inputs.mode === 'rollback';
    const testRouteNow = deferTestRoute ? Promise.resolve(undefined) : testRoute;
    const settled = await Promise.allSettled([
        service,
        where,
        workload,
        route,
        alarms,
        testRouteNow,
        alarmGate,
        kind
    ]);
    const serviceState = fulfilled(settled[0]);
    const shapeKind = fulfilled(settled[7]);
    const located = fulfilled(settled[1]);
    const work = fulfilled(settled[2]);
    const tags = new ServiceTags(clients.ecs, serviceState, serviceState.tags, inputs.tagKey);
    const stable = tags.stable(shapeKind === 'standalone-task' ? STANDALONE_FIRST_STABLE : undefined);
    const { router, split } = fulfilled(settled[3]);
    const routes = router.routes?.();
    // Before any write: a set whose routes disagree goes on only when this run realigns it.
    const disagreement = checkRoutesAgree(routes, inputs.mode, tags.get(tags.names.lease));
    const alarmCheck = fulfilled(settled[4]);
    const shape = {
        ...composeShape(inputs, clients, {
            router,
            workload: work,
            tags,
            where: located,
            testRoute: deferTestRoute ? testRoute : fulfilled(settled[5])
        }),
        lease: chooseLease(tags, options.identity, serviceState.name)
    };
    const gates = [
        ...chooseGates(inputs, router, work, fulfilled(settled[6]), options.pollMs),
        ...chooseCheckGates(inputs, clients, {
            router,
            workload: work,
            where: located,
            runUrl: options.identity?.url
        })
    ];
    // A gate that cannot read (GetMetricData denied) is refused here, before the first write.
    await Promise.all(gates.map((gate) => gate.probe?.(options.now())));
    const state = {
        shapeKind,
        service: serviceState,
        stable,
        split,
        where: withTargetGroups(located, work.discovered),
        health: work.discovered,
        previousStable: tags.get(tags.names.previous),
        promotionRecord: tags.get(tags.names.promotion),
        ...(alarmCheck ? { alarms: alarmCheck } : {}),
        route: {
            kind: router.kind,
            id: router.id,
            ...(routes ? { routes } : {}),
            ...(router.notes ? { notes: router.notes() } : {})
        }
    };
    logDiscovery(options.log, inputs, state);
    if (disagreement)
        options.log.warning(disagreement);
    return { state, shape, gates };
}
function logDiscovery(log, inputs, state) {
    log.info(`Service ${state.service.arn}: stable colour ${state.stable} (tag ${inputs.tagKey})`);
    log.info(`Route: ${state.route.kind} ${state.route.id}`);
    state.route.routes?.forEach((route, i) => {
        log.info(`  ${i + 1}. ${route.kind} ${route.id}: ${(0,src_shares/* formatSplit */.oe)(route.split)}`);
    });
    log.info(`Weights: ${(0,src_shares/* formatSplit */.oe)(state.split)}`);
    if (state.alarms)
        log.info(`Alarms: ${(0,gates_alarms/* describeAlarms */.Gj)(state.alarms.alarms)}`);
}
/**
 * The stack's outputs. Its module and the CloudFormation SDK are loaded only here: a run whose
 * inputs name every resource never evaluates them (clients.ts).
 */
async function discover_readStack(clients, stackName) {
    const [{ readStackOutputs }, cfn] = await Promise.all([
        Promise.resolve(/* import() eager */).then(__webpack_require__.bind(__webpack_require__, 4023)),
        clients.cfn()
    ]);
    return readStackOutputs(cfn, stackName);
}
/** A colour found by its service rather than its target group reports the group its service uses. */
function withTargetGroups(where, health) {
    const group = (color) => where.targetGroups[color] || health[color].targets.targetGroupArn;
    return { ...where, targetGroups: { Blue: group('Blue'), Green: group('Green') } };
}
function fulfilled(result) {
    if (result.status === 'rejected')
        throw result.reason;
    return result.value;
}

;// CONCATENATED MODULE: ./src/execute/bake.ts


/**
 * How often a bake looks through the gates: a fifth of the bake, between 0.5 and 3 s. The upper
 * bound keeps the time from an alarm firing to the rollback under 5 s in the worst case (one poll
 * plus two round trips); at 3 s a bake costs 20 DescribeAlarms calls a minute.
 */
function bakePollMs(bakeMs) {
    return Math.min(3000, Math.max(500, Math.floor(bakeMs / 5)));
}
/**
 * A gate whose read fails (after the SDK's own retries) at this many polls in a row fails the
 * bake: a canary that cannot be judged does not keep its traffic. One failed poll is tolerated,
 * as a blip; the next poll comes a few seconds later.
 */
const UNREAD_POLLS = 2;
/**
 * Holds a step for its bake time, asking every gate and checking the route at each poll. Returns
 * the first failing reading, or undefined when the step held to the end; a changed route throws.
 * A gate that could not be read at its last poll, or at UNREAD_POLLS polls in a row, is a failing
 * reading, so the executor rolls the canary back as for any failed gate.
 */
async function bake(record, index, canary, gates, { clock, log, pollMs, checkRoute }) {
    const poll = pollMs ?? bakePollMs(record.bakeMs);
    const start = clock.now();
    const end = start + record.bakeMs;
    const share = (0,src_shares/* formatPercent */.l9)(record.share);
    const title = `Bake step ${index + 1}: ${canary} at ${share}% for ${Math.round(record.bakeMs / 1000)} s`;
    const unread = new Map();
    const look = (gate, context) => gate.during(context).then((reading) => {
        unread.delete(gate.label);
        return reading;
    }, (error) => {
        const times = (unread.get(gate.label) ?? 0) + 1;
        unread.set(gate.label, times);
        const why = (0,errors/* messageOf */.bD)(error);
        log.warning(`Could not look through the gate "${gate.label}": ${why}`);
        const last = clock.now() >= end;
        return {
            label: gate.label,
            text: 'not read',
            ...(times >= UNREAD_POLLS || last
                ? {
                    failure: `Could not look through the gate "${gate.label}" during the bake of step ${index + 1} ` +
                        `(${canary} at ${share}%)${times > 1 ? ` at ${times} polls in a row` : ', at its last poll'}: ` +
                        `${(0,errors/* sentence */.em)(why)} A canary that cannot be judged does not keep its traffic.`
                }
                : {})
        };
    });
    return log.group(title, async () => {
        while (clock.now() < end) {
            await clock.sleep(Math.min(poll, end - clock.now()));
            const context = { color: canary, step: index, share: record.share, fresh: true, clock, log };
            // The route is read beside the gates: another writer is caught without a round trip more.
            // A route that cannot be read still throws: then nothing more is written.
            const [readings] = await Promise.all([
                Promise.all(gates.map((gate) => look(gate, context))),
                checkRoute()
            ]);
            record.bakedMs = clock.now() - start;
            record.readings = mergeReadings(record.readings, readings);
            const failed = readings.find((reading) => reading.failure);
            if (failed)
                return failed;
        }
        log.info(`Step ${index + 1} held ${Math.round(record.bakedMs / 1000)} s with every gate passing.`);
        return undefined;
    });
}
/** The latest reading of each gate, keeping gate order. */
function mergeReadings(kept, latest) {
    const byLabel = new Map(kept.map((r) => [r.label, r]));
    for (const reading of latest)
        byLabel.set(reading.label, reading);
    return [...byLabel.values()];
}

;// CONCATENATED MODULE: ./src/execute/rollback.ts



/**
 * The emergency exit inside a run: all traffic to the stable colour at once (no gate, no bake),
 * then test traffic taken away and the canary's leftover units released. Writes nothing when the
 * canary has no traffic, the run opened no test route and left nothing to release. Returns true
 * when it moved traffic.
 */
async function rollBack(shape, journal, log, openedTestTraffic) {
    const { router, testTraffic, workload } = shape;
    const stable = journal.stable;
    const canary = (0,src_color/* otherColor */.IP)(stable);
    const target = (0,src_shares/* splitFor */.o_)(stable, 1000);
    const moves = !(0,src_shares/* sameSplit */.xY)(journal.split, target);
    const release = workload.releasable(canary);
    if (!moves && !(openedTestTraffic && testTraffic) && !release)
        return false;
    await log.group('Roll back', async () => {
        if (moves) {
            const wrote = (line) => journal.wrote(line);
            journal.split = await shiftAndVerify(router, journal.split, target, wrote);
        }
        if (testTraffic)
            await testTraffic.close(stable, (line) => journal.wrote(line));
        // Canary units no route needs now (a standalone task a health check exposed) are stopped.
        if (release)
            journal.wrote(...(await workload.release(canary)));
    });
    journal.rolledBack = moves;
    return moves;
}

;// CONCATENATED MODULE: ./src/execute/contention.ts




/** How many times a rollback looks again after it had to put traffic back on the stable colour. */
const SETTLE_LOOKS = 3;
const SETTLE_PAUSE_MS = 200;
/**
 * How long a run caught by a rollback waits for it to finish. A rollback takes a few round
 * trips; one that has not finished by then has most likely died.
 */
const ROLLBACK_WAIT_MS = 30_000;
/** How many looks (SETTLE_PAUSE_MS apart) a finished rollback gives a run it caught to agree. */
const STAND_LOOKS = 25;
/** The colour all traffic is on, if it is all on the stable colour: a rollback's last word. */
function settledOn(journal) {
    return journal.split[journal.stable] === src_shares/* FULL */.eW ? journal.stable : undefined;
}
/**
 * The last look, before the report: the lease is still this run's, and the route and the tag are
 * what this run left. A rollback instead makes sure traffic follows the stable tag.
 */
async function checkAtEnd(run) {
    if (!run.guard.active)
        return;
    if (run.plan.mode === 'rollback') {
        try {
            await settleRollback(run);
        }
        finally {
            await run.guard.expire(run.clock.now(), settledOn(run.journal));
        }
        const left = settledOn(run.journal);
        if (left)
            await waitUntilStands(run, left);
        return;
    }
    const { journal } = run;
    const [look, live] = await Promise.all([run.guard.confirm(), run.shape.router.read()]);
    const sameStable = (look?.stable ?? journal.stable) === journal.stable;
    if ((0,src_shares/* sameSplit */.xY)(live, journal.split) && sameStable)
        return;
    if (sameStable && run.wroteRoute) {
        // The lease is still this run's, so whoever wrote the route after it had lost theirs (a run
        // that started at the same moment and stops at its next look): this run's weights stand.
        run.log.info(`Another run wrote ${(0,src_shares/* formatSplit */.oe)(live)} after this run's write; writing ${(0,src_shares/* formatSplit */.oe)(journal.split)} again.`);
        journal.split = await shift(run, live, journal.split);
        return;
    }
    journal.split = live;
    if (look?.stable)
        journal.stable = look.stable;
    throw new errors/* ConcurrentRunError */.X1('Another writer changed the route or the stable tag while this run was working.', false);
}
/**
 * The look after a run let go of the service: what it reports is read after its last write, so
 * a change another run made after this run's last look is not reported as this run's. A change
 * seen here may still be moving (a rollback whose lease this run's release removed is one write
 * from done), so the run looks until the state holds still; a rollback's lease seen here is
 * answered as at any other look.
 */
async function lookAfterRelease(run) {
    let previous;
    for (let look = 0;; look++) {
        if (look > 0)
            await run.clock.sleep(SETTLE_PAUSE_MS);
        const [tags, live] = await Promise.all([run.guard.look(), run.shape.router.read()]);
        const stable = tags?.stable ?? run.journal.stable;
        if ((0,src_shares/* sameSplit */.xY)(live, run.journal.split) && stable === run.journal.stable)
            return;
        if (tags?.byRollback && !tags.ours) {
            throw new errors/* ConcurrentRunError */.X1(`A rollback took over this service after this run's last write: ${tags.holder}.`, true);
        }
        const seen = `${(0,src_shares/* formatSplit */.oe)(live)} ${stable} ${tags?.holder ?? ''}`;
        if (seen === previous || look >= STAND_LOOKS) {
            overtaken(run, live, stable, tags?.holder, 'this run released the service');
        }
        previous = seen;
    }
}
/**
 * A finished rollback's word is final: it writes nothing more. A run it caught makes route and
 * tag agree with it (yieldTo), so the rollback waits a little for that before it reports, and
 * reports what is live if it does not come.
 */
async function waitUntilStands(run, left) {
    for (let look = 0;; look++) {
        const [tags, live] = await Promise.all([run.guard.look(), run.shape.router.read()]);
        const stable = tags?.stable ?? run.journal.stable;
        if (stable === left && (0,src_shares/* sameSplit */.xY)(live, (0,src_shares/* splitFor */.o_)(left, src_shares/* FULL */.eW)))
            return;
        if (look >= STAND_LOOKS) {
            overtaken(run, live, stable, tags?.holder, `this rollback put all traffic on ${left}`);
        }
        await run.clock.sleep(SETTLE_PAUSE_MS);
    }
}
function overtaken(run, live, stable, holder, after) {
    run.journal.split = live;
    run.journal.stable = stable;
    run.journal.rolledBack = false;
    const who = holder ? ` (the lease names ${holder})` : '';
    throw new errors/* ConcurrentRunError */.X1(`After ${after}, another run changed the service${who}.`, false);
}
/**
 * All traffic on the colour the stable tag names, whoever wrote last. After a fix it looks again
 * (a run that lost the lease may have had a write in flight) until a look finds nothing to fix.
 */
async function settleRollback(run) {
    const { journal } = run;
    const started = journal.stable;
    let fixed = false;
    for (let look = 0; look < SETTLE_LOOKS; look++) {
        if (look > 0)
            await run.clock.sleep(SETTLE_PAUSE_MS);
        const [tags, live] = await Promise.all([run.guard.settle(), run.shape.router.read()]);
        journal.stable = tags?.stable ?? journal.stable;
        const target = (0,src_shares/* splitFor */.o_)(journal.stable, src_shares/* FULL */.eW);
        if ((0,src_shares/* sameSplit */.xY)(live, target)) {
            journal.split = live;
            break;
        }
        journal.split = await shift(run, live, target);
        journal.rolledBack = true;
        fixed = true;
    }
    if (journal.stable !== started) {
        throw new errors/* ConcurrentRunError */.X1(`Another run made ${journal.stable} stable while this rollback ran, so all traffic now ` +
            `follows the stable tag to ${journal.stable}. To make ${started} stable again, run ` +
            'rollback with undo-promotion.', false);
    }
    if (fixed) {
        run.log.info(`Another run moved traffic while this rollback ran; all traffic is on ${journal.stable} again.`);
    }
}
/**
 * Another run took the service. A rollback's lease means the emergency exit was pulled: this run
 * waits for the rollback's last word (the colour it left all traffic on, written into its
 * finished lease) and makes route and tag agree with it. A promote whose tag the rollback
 * followed keeps it; any other promote puts the tags back as it found them, and a canary rolls
 * back. When the rollback never says (it died), a promote whose route still carries all traffic
 * keeps its tag. Any other run owns the service now: this run writes nothing more and says what
 * is live.
 */
async function yieldTo(run, error) {
    const { journal, plan } = run;
    run.guard.forfeit();
    const last = journal.steps.at(-1);
    if (last)
        last.outcome = 'failed';
    const left = error.byRollback
        ? await run.guard.rollbackOutcome(run.clock, ROLLBACK_WAIT_MS)
        : undefined;
    const live = await run.shape.router.read().catch(() => undefined);
    if (live)
        journal.split = live;
    const promoted = journal.stable !== plan.stableBefore;
    const keepPromote = promoted &&
        (left !== undefined
            ? left === journal.stable
            : live !== undefined && live[journal.stable] === src_shares/* FULL */.eW);
    if (!error.byRollback || keepPromote) {
        const why = keepPromote
            ? ` This run had already made ${journal.stable} stable; the rollback sent traffic to it. ` +
                `To make ${plan.stableBefore} stable again, run rollback with undo-promotion.`
            : '';
        return journal.seal(`${(0,errors/* sentence */.em)(error.message)}${why} This run stopped and wrote nothing more. ${journal.state()}`, error);
    }
    try {
        // The rollback left traffic on the colour this promote replaced: the tags go back too, so
        // route and tag agree with what the rollback reported.
        if (promoted) {
            journal.wrote(await run.shape.marker.putBack());
            journal.stable = plan.stableBefore;
        }
        await rollBack(run.shape, journal, run.log, plan.openTestTraffic);
        journal.rolledBack = true;
    }
    catch (rollbackError) {
        const why = (0,errors/* messageOf */.bD)(rollbackError);
        return journal.seal(`${(0,errors/* sentence */.em)(error.message)} Rolling back failed: ${why} ${journal.state()} Run mode rollback to finish.`, rollbackError);
    }
    return journal.seal(`${(0,errors/* sentence */.em)(error.message)} It is a rollback, so this run rolled back too. ${journal.state()}`);
}
function shift(run, from, to) {
    return shiftAndVerify(run.shape.router, from, to, (line) => run.journal.wrote(line));
}

;// CONCATENATED MODULE: ./src/execute/executor.ts










/**
 * Walks a plan: for each step, expose the canary to health checks, ask the gates, shift, verify,
 * write the tag, bake while watching the gates. Every failed gate and every cancel goes through
 * one channel with one policy: send all traffic back to the stable colour and take test traffic
 * away, unless there is nothing to take back. Never throws: what happened is in the Execution.
 */
async function execute(plan, shape, gates, options) {
    return new Executor(plan, shape, gates, options).run();
}
/**
 * One class because its phases share the journal and the point past which a cancel no longer
 * undoes a promote; each method is one phase and short.
 */
class Executor {
    plan;
    shape;
    gates;
    options;
    journal;
    clock;
    guard;
    /** Records one write in the journal as soon as it is made. */
    wrote = (line) => this.journal.wrote(line);
    /** Set once a promote's write starts: from then on a cancel lets it finish. */
    committed = false;
    /** Set once this run has written the route. */
    wroteRoute = false;
    constructor(plan, shape, gates, options) {
        this.plan = plan;
        this.shape = shape;
        this.gates = gates;
        this.options = options;
        this.journal = new Journal(plan, options.log);
        this.clock = cancellable(options.clock, options.signal);
        this.guard = new LeaseGuard(shape.lease, plan.mode, options.log);
    }
    async run() {
        try {
            this.checkCancelled();
            const { testTraffic } = this.shape;
            if (mayWrite(this.plan, this.shape) || this.options.leaseHeld) {
                await this.guard.take(this.options.clock.now(), this.options.leaseMs ?? 3_600_000);
            }
            if (this.plan.openTestTraffic && testTraffic) {
                await this.guard.confirm();
                await testTraffic.open(this.plan.canaryBefore, this.wrote);
            }
            for (const [index, step] of this.plan.steps.entries())
                await this.runStep(step, index);
            if (this.plan.steps.length === 0 && this.plan.closeTestTraffic && testTraffic) {
                await testTraffic.close(this.journal.stable, this.wrote);
            }
            if (this.plan.forgetPrevious)
                this.wrote(await this.shape.marker.forget());
            await checkAtEnd(this.context());
            const held = this.guard.active;
            await this.guard.release();
            if (held && this.plan.mode !== 'rollback')
                await lookAfterRelease(this.context());
            return this.journal.seal();
        }
        catch (error) {
            const execution = await this.fail(error);
            const stated = this.journal.state();
            // A run that failed still gives the service back, unless another run has taken it; when
            // that fails too, the message's last sentence says so.
            const left = await this.guard.releaseOrExplain(this.options.clock.now(), settledOn(this.journal));
            if (!left || execution.failure === undefined)
                return execution;
            const failure = execution.failure.endsWith(stated)
                ? `${execution.failure.slice(0, -stated.length)}${this.journal.state(left)}`
                : `${execution.failure} ${left}`;
            return Object.freeze({ ...execution, failure });
        }
    }
    async runStep(step, index) {
        this.checkCancelled();
        const record = {
            kind: step.kind,
            share: step.share,
            startedAt: this.options.clock.now(),
            bakeMs: step.bakeMs,
            bakedMs: 0,
            readings: [],
            outcome: 'pending'
        };
        this.journal.steps.push(record);
        if (step.gate || step.restore)
            await this.judge(step, index, record);
        // A cancel up to here rolls back; once a promote's write starts, it is finished.
        this.checkCancelled();
        if (step.write || step.tag || step.retire)
            await this.guard.confirm();
        if (step.tag)
            this.committed = true;
        await this.options.log.group(`Apply step ${index + 1}`, () => this.apply(step, index));
        record.outcome = outcomeOf(step);
        if (step.kind === 'undo')
            this.journal.rolledBack = true;
        // A cancel that came during the write is honoured once the write has returned.
        this.checkCancelled();
        if (step.bakeMs > 0) {
            const failed = await bake(record, index, step.canary, this.gates, {
                clock: this.clock,
                log: this.options.log,
                pollMs: this.options.pollMs,
                checkRoute: () => routeUnchanged(this.shape.router, this.journal.split)
            });
            if (failed?.failure)
                throw new errors/* GateFailure */.In(failed.failure);
        }
        if (step.kind === 'shift' && step.gate)
            await this.settle(step, index, record);
    }
    /** Gates that hold a step until they have a verdict (analysis, hooks) give it at its end. */
    async settle(step, index, record) {
        const gates = this.gates.filter((g) => g.settle && step.gates === 'all');
        const context = {
            color: step.canary,
            step: index,
            share: this.journal.split[step.canary],
            fresh: true,
            clock: this.clock,
            log: this.options.log
        };
        for (const gate of gates) {
            const reading = await gate.settle(context);
            record.readings = mergeReadings(record.readings, [reading]);
            if (reading.failure)
                throw new errors/* GateFailure */.In(reading.failure);
        }
    }
    /** Brings the canary back if it was retired, then asks each gate in turn. */
    async judge(step, index, record) {
        const restored = step.restore ? await this.shape.workload.restore(step.canary) : undefined;
        if (restored)
            this.journal.wrote(restored);
        if (!step.gate && !restored)
            return;
        const context = {
            color: step.canary,
            step: index,
            share: this.journal.split[step.canary],
            fresh: index > 0 || restored !== undefined,
            clock: this.clock,
            log: this.options.log
        };
        const gates = this.gates.filter((g) => step.gates === 'all' || g.judges === 'readiness');
        for (const gate of gates) {
            const reading = await gate.before(context);
            this.journal.wrote(...(reading.wrote ?? []));
            record.readings = mergeReadings(record.readings, [reading]);
            if (reading.failure)
                throw new errors/* GateFailure */.In(reading.failure);
        }
    }
    /**
     * The shift, then test traffic, then the tag, then the old colour's capacity. Test traffic goes
     * before the tag so that the tag is a promote's last word: a promote that stops before it is
     * run again, and that run finds whatever test route is left.
     */
    async apply(step, index) {
        const { router, marker, testTraffic, workload } = this.shape;
        if (step.write) {
            this.wroteRoute = true;
            const wrote = (line) => this.journal.wrote(line);
            this.journal.split = await shiftAndVerify(router, this.journal.split, step.split, wrote);
            this.options.log.info(`Verified: ${(0,src_shares/* formatSplit */.oe)(this.journal.split)}`);
        }
        const last = index === this.plan.steps.length - 1;
        if (last && this.plan.closeTestTraffic && testTraffic) {
            await testTraffic.close(step.tag ?? this.journal.stable, this.wrote);
        }
        // Before the tag: a promote's tag stays its last word, so a rerun finds what is left.
        if (releases(step) && workload.releasable(step.canary)) {
            this.journal.wrote(...(await workload.release(step.canary)));
        }
        if (step.tag && step.tag !== this.journal.stable) {
            const from = this.journal.stable;
            const record = step.record && { ...step.record, at: recordTime(this.options.clock.now()) };
            const line = step.kind === 'undo'
                ? await marker.undo(from, step.tag, record)
                : await marker.promote(from, step.tag, record);
            this.journal.wrote(line);
            this.journal.stable = step.tag;
        }
        if (step.retire)
            this.journal.wrote(...[await workload.retire(step.retire)].filter(isLine));
    }
    /** The one failure channel: a gate's verdict, a cancel, or any other error. */
    async fail(error) {
        // Writes a failed change made before it failed are the run's writes too (logged already).
        this.journal.writes.push(...(0,errors/* writtenBefore */.T2)(error));
        const cancelled = error instanceof errors/* CancelledError */.cc;
        const last = this.journal.steps.at(-1);
        const interrupted = error instanceof errors/* InterruptedWaitError */.ep;
        if (last)
            last.outcome = cancelled || interrupted ? 'cancelled' : 'failed';
        // A cancel during a wait AWS carries on by itself (a promote's rollout): rolling back over it
        // would undo a promote that has started; the message says what goes on and what to run.
        if (interrupted)
            return this.journal.seal(error.message, error);
        if (cancelled && this.options.onCancel === 'hold') {
            const split = (0,src_shares/* formatSplit */.oe)(this.journal.split);
            return this.journal.seal(`Cancelled: traffic left at ${split} (on-cancel: hold).`);
        }
        // A read-back that disagrees has told us what is live; report that, not what we meant.
        if (error instanceof errors/* VerificationError */.mk) {
            this.journal.split = error.live;
            // Someone else wrote the route: if it was a run that took the lease, say who, and follow
            // a rollback's lead.
            const lost = await this.guard.confirm().then(() => undefined, (lookError) => (lookError instanceof errors/* ConcurrentRunError */.X1 ? lookError : undefined));
            if (lost)
                return yieldTo(this.context(), lost);
        }
        // A rollback that found another run's tag at its end has already followed it; say so.
        if (error instanceof errors/* ConcurrentRunError */.X1 && this.plan.mode === 'rollback') {
            return this.journal.seal(`${(0,errors/* sentence */.em)(error.message)} ${this.journal.state()}`, error);
        }
        if (error instanceof errors/* ConcurrentRunError */.X1)
            return yieldTo(this.context(), error);
        if (!cancelled && !(error instanceof errors/* GateFailure */.In)) {
            // AWS refused or answered something unexpected: say so, and what is true now, but do not
            // write more into a system that is failing. Rollback stays one step away.
            const message = (0,errors/* messageOf */.bD)(error);
            return this.journal.seal(`${(0,errors/* sentence */.em)(message)} ${this.journal.state()}`, error);
        }
        const reason = cancelled ? 'Cancelled' : error.message;
        let rolledBack;
        try {
            rolledBack = await rollBack(this.shape, this.journal, this.options.log, this.plan.openTestTraffic);
        }
        catch (rollbackError) {
            const why = (0,errors/* messageOf */.bD)(rollbackError);
            // The rollback's writes are made; AWS carries on what the cancel stopped waiting for.
            if (rollbackError instanceof errors/* InterruptedWaitError */.ep) {
                return this.journal.seal(`${(0,errors/* sentence */.em)(reason)} ${why}`, rollbackError);
            }
            return this.journal.seal(`${(0,errors/* sentence */.em)(reason)} Rolling back failed: ${why} ${this.journal.state()} Run mode rollback to finish.`, rollbackError);
        }
        // A cancelled step stays `cancelled` in the summary; the message says it was rolled back.
        if (rolledBack && last && !cancelled)
            last.outcome = 'rolled back';
        if (cancelled && rolledBack) {
            return this.journal.seal(`Cancelled: rolled back, all traffic is on ${this.journal.stable}.`);
        }
        return this.journal.seal(`${(0,errors/* sentence */.em)(reason)} ${this.journal.state()}`);
    }
    context() {
        const { plan, shape, journal, guard, wroteRoute } = this;
        return { plan, shape, journal, guard, wroteRoute, log: this.options.log, clock: this.clock };
    }
    checkCancelled() {
        if (this.options.signal?.aborted && !this.committed)
            throw new errors/* CancelledError */.cc('Cancelled.');
    }
}
/**
 * What a step that went through did. A rollback or an undo is not a shift of the walk, so it
 * does not count in `steps-completed`.
 */
function outcomeOf(step) {
    if (step.kind === 'rollback' || step.kind === 'undo') {
        return step.write || step.tag ? 'rolled back' : 'unchanged';
    }
    return step.tag ? 'promoted' : step.write ? 'shifted' : 'unchanged';
}
/** True when the plan may write anything: only then does the run take the lease. */
function mayWrite(plan, shape) {
    const testRoute = shape.testTraffic !== undefined && (plan.openTestTraffic || plan.closeTestTraffic);
    return (testRoute ||
        plan.forgetPrevious ||
        plan.steps.some((s) => s.write ||
            s.tag !== undefined ||
            s.retire !== undefined ||
            s.restore ||
            (releases(s) && shape.workload.releasable(s.canary))));
}
/**
 * A step after which the canary colour's leftover units are released: it has all traffic through
 * the colour's main unit (promote, undo) or none (rollback).
 */
function releases(step) {
    return step.kind === 'promote' || step.kind === 'undo' || step.kind === 'rollback';
}
function isLine(line) {
    return line !== undefined;
}

;// CONCATENATED MODULE: ./src/plan.ts




/**
 * The only place that decides, as a pure function of what was read and what was asked. A state
 * that already matches the target plans no write, so a rerun of a finished run writes nothing.
 * Shares the router cannot set are refused here, before any write.
 */
function planRun(intent, state, reachable) {
    const { stable, split } = state;
    const canary = (0,src_color/* otherColor */.IP)(stable);
    const base = {
        mode: intent.mode,
        stableBefore: stable,
        canaryBefore: canary,
        splitBefore: split,
        openTestTraffic: false,
        closeTestTraffic: false,
        forgetPrevious: false,
        rollback: step('rollback', canary, 0, split, { bakeMs: 0 }),
        warnings: []
    };
    const finish = (steps, reason, extra = {}) => {
        const last = steps.at(-1);
        return {
            ...base,
            steps,
            stableAfter: last?.tag ?? stable,
            splitAfter: last?.split ?? split,
            reason,
            ...extra
        };
    };
    switch (intent.mode) {
        case 'status':
            return finish([], 'Status only: nothing is written.');
        case 'rollback':
            if (intent.undoPromotion)
                return planUndo(state, finish);
            return finish([base.rollback], `Rollback: all traffic back to the stable colour ${stable}.${unchanged(base.rollback)}`, { closeTestTraffic: true });
        case 'deploy':
            return finish([], `Deploy: the canary colour ${canary} runs ${state.versions[canary] ?? 'the new version'} ` +
                `at ${(0,src_shares/* formatPercent */.l9)(split[canary])}%; no traffic is shifted.`);
        case 'promote': {
            if (split[stable] === src_shares/* FULL */.eW && !deployedToCanary(state) && !swapsWhole(state, reachable)) {
                return finish(finishPromote(intent, state), `Nothing to promote: ${stable} is stable and already serves all traffic. ` +
                    `Shift traffic to ${canary} with mode canary first (canary-weight 100 for all at once).`, { closeTestTraffic: true });
            }
            const promote = promoteStep(canary, split, intent, state);
            const why = split[canary] === 0
                ? `Promote: ${canary} runs ${state.versions[canary]}, deployed and not yet promoted; ` +
                    'it gets all traffic at once and becomes the stable colour.'
                : `Promote: ${canary} becomes the stable colour.`;
            return refuseReplaced(finish([promote], why, {
                closeTestTraffic: true
            }), intent, state, finish);
        }
        case 'canary':
            // A canary of what production runs has nothing to show, and a rerun never moves it back.
            if (intent.servedAlready) {
                return finish([], `Nothing to canary: ${intent.servedAlready}. Deploy a new image or revision for a canary.`);
            }
            return refuseReplaced(planCanary(intent, state, reachable, finish), intent, state, finish);
    }
}
/**
 * A plan that would give the canary colour traffic is replaced by "nothing to deploy" when that
 * colour runs a version an earlier promote replaced: rerunning a finished workflow must not walk
 * the old version back. What the promote that replaced it left undone (scale-down, test route) is
 * finished instead. Without a record the plan stands, with a warning that says how to record one.
 */
function refuseReplaced(plan, intent, state, finish) {
    const raises = plan.steps.some((s) => s.gate || (s.kind === 'promote' && s.tag));
    if (!raises)
        return plan;
    const canary = plan.canaryBefore;
    const replaced = replacedVersion(state.versions[canary], state.record);
    if (!replaced)
        return { ...plan, warnings: [...plan.warnings, ...recordWarnings(state)] };
    return finish(finishPromote(intent, state), `Nothing to deploy: the canary colour ${canary} runs ${replaced}. A rerun never gives traffic ` +
        `back to a replaced version: deploy a new version to ${canary} first (or use mode rollback ` +
        'with undo-promotion to go back to it on purpose).', { closeTestTraffic: true });
}
/**
 * True when the last deploy put the version the canary colour runs now into it, and no promote
 * has made that version stable since: a promote from 0 % then has something to promote. After a
 * promote the deployed colour is the stable one, so a rerun finds nothing.
 */
function deployedToCanary(state) {
    const canary = (0,src_color/* otherColor */.IP)(state.stable);
    const version = state.versions[canary];
    return (version !== undefined &&
        state.deployed?.color === canary &&
        state.deployed.version === version &&
        state.record?.promoted !== version);
}
/** What a promote does after its tag: free the old colour when asked. Empty when done already. */
function finishPromote(intent, state) {
    const old = (0,src_color/* otherColor */.IP)(state.stable);
    const promotedHere = state.record !== undefined &&
        state.record.promoted === state.versions[state.stable] &&
        state.record.replaced === state.versions[old];
    if (!intent.scaleDownAfterPromote || !promotedHere || state.retired[old])
        return [];
    return [{ ...step('promote', state.stable, src_shares/* FULL */.eW, state.split, { bakeMs: 0 }), retire: old }];
}
function recordWarnings(state) {
    const stableVersion = state.versions[state.stable];
    if (state.record || !stableVersion)
        return [];
    const what = state.recordText === undefined
        ? `The service has no ${state.recordTag} tag`
        : `${state.recordTag}="${state.recordText}" is not a record this action reads`;
    return [
        `${what}, so this run cannot tell whether the canary runs a version an earlier promote ` +
            `replaced. The next promote records it; to record the stable version now, tag the service ` +
            `with ${state.recordTag}=${stableVersion}.`
    ];
}
/**
 * A single `canary-weight` sets that share, up or down. A walk (`steps`, `strategy`) resumes:
 * steps at or below the canary's current share count as done, and a step of 100 % is a promote.
 */
function planCanary(intent, state, reachable, finish) {
    const { schedule } = intent;
    const canary = (0,src_color/* otherColor */.IP)(state.stable);
    for (const share of schedule.steps)
        refuseUnreachable(share, reachable);
    const current = state.split[canary];
    const remaining = schedule.walk
        ? schedule.steps.filter((share) => share > current || share === src_shares/* FULL */.eW)
        : schedule.steps;
    const steps = [];
    let now = state.split;
    for (const share of remaining) {
        const next = share === src_shares/* FULL */.eW && schedule.walk
            ? promoteStep(canary, now, intent, state)
            : step('shift', canary, share, now, { bakeMs: schedule.bakeMs });
        steps.push(next);
        now = next.split;
    }
    if (steps.length === 0) {
        return finish([], `Every step of ${schedule.source} is done already: ${canary} has at least the last share.`);
    }
    const reason = schedule.walk
        ? `Canary ${canary} walks ${schedule.source}: ${steps.length} step(s) to go, ` +
            `holding each ${Math.round(schedule.bakeMs / 1000)} s.`
        : `Canary: ${canary} is the canary colour.${unchanged(steps[0])}`;
    return finish(steps, reason, {
        openTestTraffic: true,
        closeTestTraffic: steps.some((s) => s.kind === 'promote')
    });
}
/**
 * Undo of the last promote: the colour promote recorded as stable before it gets the traffic and
 * the tag back. Without that record there is nothing to undo, and nothing is written.
 */
function planUndo(state, finish) {
    const { stable, previousStable, previousTag } = state;
    const target = (0,src_color/* otherColor */.IP)(stable);
    if (previousStable === stable) {
        // An undo writes the tag, then removes this record: it stopped between the two.
        return finish([], `No promotion to undo: an undo already gave ${stable} the tag; its record ${previousTag}=` +
            `${previousStable} is removed.`, { forgetPrevious: true });
    }
    if (previousStable !== target) {
        return finish([], previousStable === undefined
            ? `No promotion to undo: the service has no ${previousTag} tag (promote writes it, an undo removes it).`
            : `No promotion to undo: ${previousTag}=${previousStable} does not name the other colour.`);
    }
    // Only readiness gates: the alarms that fired on the new version are why an undo runs.
    const undo = {
        ...step('undo', target, src_shares/* FULL */.eW, state.split, { bakeMs: 0 }),
        tag: target,
        restore: true,
        gates: 'readiness',
        ...recordOf(target, state)
    };
    return finish([undo], `Undo the last promotion: traffic and the tag go back to ${target}, stable before it.`, { closeTestTraffic: true });
}
function promoteStep(canary, now, intent, state) {
    return {
        ...step('promote', canary, src_shares/* FULL */.eW, now, { bakeMs: 0 }),
        tag: canary,
        ...(intent.scaleDownAfterPromote ? { retire: (0,src_color/* otherColor */.IP)(canary) } : {}),
        ...recordOf(canary, state)
    };
}
/** The record a tag change to `to` writes: its version, and the stable one it replaces. */
function recordOf(to, state) {
    const promoted = state.versions[to];
    if (!promoted)
        return {};
    const replaced = state.versions[(0,src_color/* otherColor */.IP)(to)];
    return { record: { promoted, ...(replaced && replaced !== promoted ? { replaced } : {}) } };
}
function step(kind, canary, share, now, { bakeMs }) {
    const split = (0,src_shares/* splitFor */.o_)(canary, share);
    // Only a positive share can raise the canary; a rollback (share 0) therefore never waits,
    // even from a route that sends nothing anywhere.
    const raises = share > 0 && ((0,src_shares/* isEmpty */.Im)(now) || share > now[canary]);
    return {
        kind,
        canary,
        share,
        split,
        write: !(0,src_shares/* sameSplit */.xY)(split, now),
        gate: raises,
        gates: 'all',
        bakeMs,
        restore: false
    };
}
function unchanged(step) {
    return step.write ? '' : ' The route already has the target weights.';
}
/** True when the route moves all traffic or none (a swap): it cannot give the canary a share. */
function allOrNothing(reachable) {
    const half = reachable(src_shares/* FULL */.eW / 2);
    return half.length === 2 && half[0] === 0 && half[1] === src_shares/* FULL */.eW;
}
/**
 * A route that moves all or nothing promotes from 0 %: testers had the canary on the test route.
 * It stays version-aware: the canary colour must run a known version, and `refuseReplaced` turns
 * a rerun after the swap (the canary colour now runs the replaced version) into "nothing to deploy".
 */
function swapsWhole(state, reachable) {
    return allOrNothing(reachable) && state.versions[(0,src_color/* otherColor */.IP)(state.stable)] !== undefined;
}
/**
 * Refuses, before anything is written (a deploy comes before the plan), a canary share the
 * route cannot set.
 */
function refuseUnreachableShares(intent, reachable) {
    if (intent.mode === 'canary')
        for (const share of intent.schedule.steps)
            refuseUnreachable(share, reachable);
}
function refuseUnreachable(share, reachable) {
    const nearest = reachable(share);
    if (nearest.length === 1 && nearest[0] === share)
        return;
    if (allOrNothing(reachable)) {
        throw new errors/* PlanError */.W6(`This route moves all traffic or none (it forwards to one colour), so it cannot give the ` +
            `canary ${(0,src_shares/* formatPercent */.l9)(share)}%. Use canary-weight 0 to show the canary to testers ` +
            'through the test route only, then mode promote to move all traffic; or make the route a ' +
            'weighted forward that names both target groups.');
    }
    throw new errors/* PlanError */.W6(`This route cannot give the canary exactly ${(0,src_shares/* formatPercent */.l9)(share)}%: the nearest shares it can ` +
        `set are ${nearest.map((s) => `${(0,src_shares/* formatPercent */.l9)(s)}%`).join(' and ')}. Use one of those.`);
}

;// CONCATENATED MODULE: ./src/report/text.ts

/** A colour's share of the traffic as a percent string, or `0` when nothing is routed. */
function percentOf(color, split) {
    return (0,src_shares/* formatPercent */.l9)((0,src_shares/* roundedSplit */.mt)(split)[color]);
}
/** `90 s`, `5 min`, `1 min 30 s`: a duration as a reader says it. */
function formatDuration(ms) {
    const seconds = Math.round(ms / 1000);
    if (seconds < 60)
        return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

;// CONCATENATED MODULE: ./src/report/checks.ts

/**
 * The checks a canary runs besides health and alarms, one line each, in the order it runs them;
 * a dry run lists them so a reader sees what a real run would judge. Pure.
 */
function describeChecks(inputs) {
    if (inputs.mode !== 'canary')
        return [];
    const lines = [];
    const { smoke, hooks, analysis, testTraffic } = inputs;
    if (smoke) {
        const route = testTraffic.header
            ? `header ${testTraffic.header.name}: ${testTraffic.header.value}`
            : testTraffic.query
                ? `query ${testTraffic.query.key}=${testTraffic.query.value}`
                : 'the test listener';
        const body = smoke.expectBody === undefined ? '' : `, containing ${JSON.stringify(smoke.expectBody)}`;
        lines.push(`Smoke check before the first shift: ${smoke.count} request(s) to ${smoke.url} through ${route}, ` +
            `each answering ${smoke.expectStatus.join(' or ')}${body} within ${formatDuration(smoke.timeoutMs)}.`);
    }
    const timeout = hooks ? ` (up to ${formatDuration(hooks.timeoutMs)} while IN_PROGRESS)` : '';
    if (hooks?.afterTestTraffic) {
        lines.push(`Hook after-test-traffic: Lambda ${hooks.afterTestTraffic}, before the first shift${timeout}.`);
    }
    if (hooks?.beforeTraffic) {
        lines.push(`Hook before-traffic: Lambda ${hooks.beforeTraffic}, before the first shift${timeout}.`);
    }
    if (analysis) {
        lines.push(`Canary analysis at every bake poll and at each step's end: fail when the canary's 5xx rate is more than ` +
            `${analysis.errorRatePoints} point(s) and ${analysis.errorRateRatio}× above stable's, or its p99 more than ` +
            `${analysis.p99Ratio}× and ${analysis.p99MinIncreaseMs} ms above it; ${formatDuration(analysis.windowMs)} windows ending ` +
            `${formatDuration(analysis.delayMs)} ago; fewer than ${analysis.minRequests} canary requests is inconclusive, ` +
            `held up to ${formatDuration(analysis.maxWaitMs)}, then ${analysis.onInconclusive}.`);
    }
    if (hooks?.afterTraffic) {
        lines.push(`Hook after-traffic: Lambda ${hooks.afterTraffic}, at the end of each step${timeout}.`);
    }
    return lines;
}

;// CONCATENATED MODULE: ./src/pipeline.ts















/**
 * The action's pipeline: discover → plan → execute (gate → shift → verify → bake per step) →
 * outcome. Throws only before the first write (bad state, a share the route cannot set); from the
 * first write on, failures are in the outcome.
 */
async function runPipeline(inputs, deps) {
    const { clients, log } = deps;
    const clock = deps.clock ?? realClock;
    const look = (asked, service) => discover(asked, clients, {
        log,
        now: () => clock.now(),
        clock,
        pollMs: deps.pollMs,
        identity: deps.identity,
        ...(deps.signal ? { signal: deps.signal } : {}),
        ...(service ? { service } : {})
    });
    let found = await log.group('Discover', () => look(inputs, deps.service));
    deps.onDiscovered?.(found.state);
    let deployed;
    if (inputs.deploy) {
        const request = inputs.deploy;
        const first = found;
        refuseUnreachableShares(inputs, (share) => first.shape.router.reachable(share));
        deployed = await log.group('Deploy', () => deployVersion(inputs, request, first, {
            clients,
            log,
            clock,
            pollMs: deps.pollMs,
            ...(deps.signal ? { signal: deps.signal } : {}),
            keepLease: inputs.mode === 'canary'
        }));
        if (deployed.failure)
            return failedDeploy(inputs, first, deployed, log);
        // The canary colour runs another task set and version now: read it again. Its task set is
        // found by the stack's new output or by its target group, not by an ID given before.
        if (deployed.changed) {
            const stableOnly = { [first.state.stable]: inputs.taskSets[first.state.stable] };
            found = await log.group('Discover after the deploy', () => look({ ...inputs, taskSets: stableOnly }));
            deps.onDiscovered?.(found.state);
        }
    }
    const { state, shape, gates } = found;
    deps.onVersionKnown?.(state, () => shape.workload.details());
    // A rollback with no canary left to take back undoes the last promote, when the workload
    // knows what it replaced (a rolling service's recorded revision).
    const undoPromotion = inputs.undoPromotion || (inputs.mode === 'rollback' && shape.workload.undoOnRollback);
    const servedAlready = deployed?.current;
    const plan = planRun({ ...inputs, undoPromotion, ...(servedAlready ? { servedAlready } : {}) }, planState(state, inputs.tagKey), (share) => shape.router.reachable(share));
    await log.group('Plan', async () => logPlan(log, plan, inputs.tagKey));
    const mayWrite = inputs.mode !== 'status' && !inputs.dryRun;
    if (inputs.dryRun) {
        log.info('Dry run: nothing was written.');
        for (const line of describeChecks(inputs))
            log.info(`Would check: ${line}`);
    }
    const execution = mayWrite
        ? await execute(plan, shape, gates, {
            log,
            clock,
            signal: deps.signal,
            pollMs: deps.pollMs,
            onCancel: inputs.onCancel,
            leaseMs: leaseDuration(plan, inputs),
            leaseHeld: deployed?.changed === true && inputs.mode === 'canary'
        })
        : new Journal(plan, log).seal();
    const warnings = (await shape.testTraffic?.warnings()) ?? [];
    for (const warning of warnings)
        log.warning(warning);
    const seen = [...execution.steps]
        .reverse()
        .flatMap((s) => s.readings)
        .find((r) => r.seen)?.seen;
    const details = await shape.workload.details();
    const tagged = await tagAfterPromote(inputs, found, execution, details, { log, clock });
    const writes = [...(deployed?.writes ?? []), ...execution.writes, ...tagged.writes];
    return Object.freeze({
        ...execution,
        ...(tagged.failure ? { failure: tagged.failure } : {}),
        writes,
        inputs,
        state,
        plan,
        ...(deployed ? { deploy: deployed } : {}),
        changed: writes.length > 0,
        stepsCompleted: execution.steps.filter((s) => s.outcome === 'shifted' || s.outcome === 'promoted').length,
        ...(seen || state.alarms ? { alarms: seen ?? state.alarms?.alarms } : {}),
        details,
        warnings: [...warnings, ...tagged.notes]
    });
}
/**
 * `promote-image-tag`: once the canary colour serves everything as the stable one (this promote,
 * or one a rerun finds done), its ECR image gets the tag. The tag write is made under the lease;
 * a failure leaves the promote as it is and says that a rerun adds the tag.
 */
async function tagAfterPromote(inputs, found, execution, details, { log, clock }) {
    const tag = inputs.promoteImageTag;
    const promotes = inputs.mode === 'promote' || (inputs.mode === 'canary' && inputs.schedule.walk);
    const stable = execution.stableAfter;
    if (!tag || !promotes || inputs.dryRun || execution.failure)
        return { writes: [], notes: [] };
    if (execution.splitAfter[stable] !== src_shares/* FULL */.eW)
        return { writes: [], notes: [] };
    const record = parseDeployRecord(found.state.service.tags[tagNames(inputs.tagKey).deploy]);
    const digest = record?.color === stable ? record.digest : undefined;
    const images = promotedImages(details[stable]?.images ?? [], digest);
    const guard = new LeaseGuard(found.shape.lease, inputs.mode, log);
    let taken = false;
    try {
        const result = await tagPromotedImages(images, tag, async (run) => {
            if (!taken) {
                await guard.take(clock.now(), 600_000);
                taken = true;
            }
            await guard.confirm();
            const line = await run();
            if (line)
                log.info(line);
            return line;
        });
        await guard.release();
        for (const note of result.notes)
            log.warning(note);
        return result;
    }
    catch (error) {
        await guard.releaseOrExplain(clock.now());
        const why = (0,errors/* messageOf */.bD)(error);
        return {
            writes: [],
            notes: [],
            failure: `${(0,errors/* sentence */.em)(why)} The promote stands: all traffic is on ${stable}, the stable colour. ` +
                `The image was not tagged ${tag}; run promote again to add the tag (it writes nothing else).`
        };
    }
}
/**
 * A deploy that failed after its first write: no traffic step runs. The outcome says what was
 * written and that the stable colour keeps its traffic, as the deploy's failure does.
 */
async function failedDeploy(inputs, found, deployed, log) {
    const { state, shape } = found;
    const plan = planRun({ ...inputs, mode: 'status' }, planState(state, inputs.tagKey), (share) => shape.router.reachable(share));
    const execution = new Journal(plan, log).seal(deployed.failure);
    return Object.freeze({
        ...execution,
        writes: deployed.writes,
        inputs,
        state,
        plan,
        deploy: deployed,
        changed: true,
        stepsCompleted: 0,
        details: await shape.workload.details(),
        warnings: []
    });
}
/**
 * How long the lease holds if the run dies without releasing it: every step's health wait, bake
 * and the time its checks may hold it, plus a margin. A rerun of the same job takes it over at once.
 */
function leaseDuration(plan, inputs) {
    // A rollback holds it only while it runs; other runs wait at most that long if it dies.
    const margin = (inputs.mode === 'rollback' ? 2 : 10) * 60_000;
    const perStep = (inputs.waitForHealthy ? inputs.healthTimeoutSeconds * 1000 : 0) + heldMs(inputs);
    return plan.steps.reduce((total, step) => total + perStep + step.bakeMs, margin);
}
/** How long a step's checks may hold it past its bake: analysis's wait, each hook's timeout. */
function heldMs(inputs) {
    const { analysis, hooks } = inputs;
    const hookCount = hooks
        ? [hooks.afterTestTraffic, hooks.beforeTraffic, hooks.afterTraffic].filter(Boolean).length
        : 0;
    return (analysis?.maxWaitMs ?? 0) + hookCount * (hooks?.timeoutMs ?? 0);
}
/** What the planner needs of the discovery, as plain data. */
function planState(state, tagKey) {
    const names = tagNames(tagKey);
    const version = (color) => {
        const arn = state.health[color].unit.taskDefinitionArn;
        return arn ? versionOf(arn) : undefined;
    };
    const record = parseRecord(state.promotionRecord);
    const deployed = parseDeployRecord(state.service.tags[names.deploy]);
    return {
        stable: state.stable,
        split: state.split,
        previousStable: state.previousStable,
        previousTag: names.previous,
        versions: { Blue: version('Blue'), Green: version('Green') },
        retired: { Blue: state.health.Blue.retired, Green: state.health.Green.retired },
        ...(record ? { record } : {}),
        recordTag: names.promotion,
        ...(state.promotionRecord !== undefined ? { recordText: state.promotionRecord } : {}),
        ...(deployed ? { deployed: { color: deployed.color, version: deployed.version } } : {})
    };
}
function logPlan(log, plan, tagKey) {
    log.info(plan.reason);
    for (const warning of plan.warnings)
        log.warning(warning);
    let before = plan.splitBefore;
    let stable = plan.stableBefore;
    for (const [i, step] of plan.steps.entries()) {
        const what = step.write
            ? `${(0,src_shares/* formatSplit */.oe)(before)} → ${(0,src_shares/* formatSplit */.oe)(step.split)}`
            : 'no weight change';
        const tag = step.tag && step.tag !== stable ? `, then tag ${tagKey}=${step.tag}` : '';
        log.info(`Step ${i + 1}: ${what}${tag}`);
        before = step.split;
        stable = step.tag ?? stable;
    }
}

;// CONCATENATED MODULE: ./src/report/outputs.ts




/** Every step output, as strings; pure. */
function stepOutputs(outcome) {
    const { state, plan, splitAfter, stableAfter } = outcome;
    const canaryAfter = (0,src_color/* otherColor */.IP)(stableAfter);
    const units = { Blue: state.health.Blue.unit, Green: state.health.Green.unit };
    const groups = state.where.targetGroups;
    return {
        [constants/* Outputs */.tY.StableColor]: stableAfter,
        [constants/* Outputs */.tY.CanaryColor]: canaryAfter,
        [constants/* Outputs */.tY.PreviousStableColor]: plan.stableBefore,
        [constants/* Outputs */.tY.CanaryWeight]: percentOf(canaryAfter, splitAfter),
        [constants/* Outputs */.tY.PreviousCanaryWeight]: percentOf(plan.canaryBefore, plan.splitBefore),
        [constants/* Outputs */.tY.BlueWeight]: percentOf('Blue', splitAfter),
        [constants/* Outputs */.tY.GreenWeight]: percentOf('Green', splitAfter),
        [constants/* Outputs */.tY.Weights]: JSON.stringify(weightsJson(splitAfter)),
        [constants/* Outputs */.tY.StableTaskSet]: units[stableAfter].arn,
        [constants/* Outputs */.tY.CanaryTaskSet]: units[canaryAfter].arn,
        [constants/* Outputs */.tY.BlueTaskDefinition]: units.Blue.taskDefinitionArn ?? '',
        [constants/* Outputs */.tY.GreenTaskDefinition]: units.Green.taskDefinitionArn ?? '',
        [constants/* Outputs */.tY.StableTargetGroup]: groups[stableAfter],
        [constants/* Outputs */.tY.CanaryTargetGroup]: groups[canaryAfter],
        [constants/* Outputs */.tY.ListenerRuleArn]: state.route.id,
        [constants/* Outputs */.tY.Changed]: String(outcome.changed),
        [constants/* Outputs */.tY.RolledBack]: String(outcome.rolledBack),
        [constants/* Outputs */.tY.StepsCompleted]: String(outcome.stepsCompleted),
        [constants/* Outputs */.tY.TaskDefinitionArn]: units[canaryAfter].taskDefinitionArn ?? '',
        [constants/* Outputs */.tY.ImageDigest]: outcome.deploy?.digest ?? '',
        [constants/* Outputs */.tY.Deployed]: String(outcome.deploy?.changed === true && !outcome.deploy.failure),
        [constants/* Outputs */.tY.AnalysisVerdict]: lastVerdict(outcome)?.result ?? ''
    };
}
/**
 * The outputs a step that failed before its first write still knows: nothing changed, and once
 * the service was read, the colours, weights and resources as they are; pure.
 */
function knownOutputs(state) {
    const nothing = {
        [constants/* Outputs */.tY.Changed]: 'false',
        [constants/* Outputs */.tY.RolledBack]: 'false',
        [constants/* Outputs */.tY.StepsCompleted]: '0'
    };
    if (!state)
        return nothing;
    const { stable, split } = state;
    const canary = (0,src_color/* otherColor */.IP)(stable);
    const units = { Blue: state.health.Blue.unit, Green: state.health.Green.unit };
    const groups = state.where.targetGroups;
    return {
        [constants/* Outputs */.tY.StableColor]: stable,
        [constants/* Outputs */.tY.CanaryColor]: canary,
        [constants/* Outputs */.tY.PreviousStableColor]: stable,
        [constants/* Outputs */.tY.CanaryWeight]: percentOf(canary, split),
        [constants/* Outputs */.tY.PreviousCanaryWeight]: percentOf(canary, split),
        [constants/* Outputs */.tY.BlueWeight]: percentOf('Blue', split),
        [constants/* Outputs */.tY.GreenWeight]: percentOf('Green', split),
        [constants/* Outputs */.tY.Weights]: JSON.stringify(weightsJson(split)),
        [constants/* Outputs */.tY.StableTaskSet]: units[stable].arn,
        [constants/* Outputs */.tY.CanaryTaskSet]: units[canary].arn,
        [constants/* Outputs */.tY.BlueTaskDefinition]: units.Blue.taskDefinitionArn ?? '',
        [constants/* Outputs */.tY.GreenTaskDefinition]: units.Green.taskDefinitionArn ?? '',
        [constants/* Outputs */.tY.StableTargetGroup]: groups[stable],
        [constants/* Outputs */.tY.CanaryTargetGroup]: groups[canary],
        [constants/* Outputs */.tY.ListenerRuleArn]: state.route.id,
        ...nothing
    };
}
/** The newest canary analysis verdict of the run, when analysis ran. */
function lastVerdict(outcome) {
    return [...outcome.steps]
        .reverse()
        .flatMap((s) => s.readings)
        .find((r) => r.verdict)?.verdict;
}
/** `{"Blue":90,"Green":10}` in percent; a route that sends nothing gives zeros. */
function weightsJson(split) {
    const shown = (0,src_shares/* roundedSplit */.mt)(split);
    return { Blue: (0,src_shares/* percentNumber */.JB)(shown.Blue), Green: (0,src_shares/* percentNumber */.JB)(shown.Green) };
}

;// CONCATENATED MODULE: ./src/report/result.ts



const RUN_OUTCOMES = (/* unused pure expression or super */ null && ([
    'changed',
    'unchanged',
    'dry-run',
    'failed-before-write',
    'rolled-back',
    'cancelled',
    'failed'
]));
/** The result of a finished run; pure. */
function runResult(outcome) {
    const { inputs, state, plan } = outcome;
    return {
        schemaVersion: 1,
        mode: inputs.mode,
        outcome: result_outcomeOf(outcome),
        cluster: inputs.cluster,
        service: state.service.name,
        dryRun: inputs.dryRun,
        ...(outcome.failure ? { message: outcome.failure } : {}),
        before: traffic(plan.stableBefore, plan.splitBefore),
        after: traffic(outcome.stableAfter, outcome.splitAfter),
        colors: colorFacts(state),
        route: routeData(state),
        plan: {
            reason: plan.reason,
            steps: plan.steps.map(plannedStep),
            warnings: [...plan.warnings]
        },
        steps: outcome.steps.map((step) => ({
            kind: step.kind,
            share: (0,src_shares/* percentNumber */.JB)(step.share),
            startedAt: new Date(step.startedAt).toISOString(),
            bakeSeconds: seconds(step.bakeMs),
            bakedSeconds: seconds(step.bakedMs),
            outcome: step.outcome,
            gates: step.readings.map((r) => ({
                gate: r.label,
                text: r.text,
                ...(r.failure ? { failure: r.failure } : {})
            }))
        })),
        alarms: (outcome.alarms ?? []).map((a) => ({ name: a.name, state: a.state, reason: a.reason })),
        writes: [...outcome.writes],
        warnings: [...outcome.warnings]
    };
}
/** The result of a run that failed before the pipeline returned: nothing was written. */
function earlyResult(failure) {
    const { state } = failure;
    return {
        schemaVersion: 1,
        mode: failure.mode,
        outcome: 'failed-before-write',
        cluster: failure.cluster,
        service: state?.service.name ?? failure.service,
        dryRun: false,
        message: failure.message,
        ...(state
            ? {
                before: traffic(state.stable, state.split),
                after: traffic(state.stable, state.split),
                colors: colorFacts(state),
                route: routeData(state)
            }
            : {}),
        steps: [],
        alarms: (state?.alarms?.alarms ?? []).map((a) => ({
            name: a.name,
            state: a.state,
            reason: a.reason
        })),
        writes: [],
        warnings: []
    };
}
function result_outcomeOf(outcome) {
    if (outcome.failure) {
        if (outcome.steps.some((step) => step.outcome === 'cancelled'))
            return 'cancelled';
        if (outcome.rolledBack)
            return 'rolled-back';
        return outcome.changed ? 'failed' : 'failed-before-write';
    }
    if (outcome.inputs.dryRun)
        return 'dry-run';
    return outcome.changed ? 'changed' : 'unchanged';
}
function traffic(stable, split) {
    return { stable, canary: (0,src_color/* otherColor */.IP)(stable), weights: weightsJson(split) };
}
function routeData(state) {
    const { kind, id, routes } = state.route;
    if (!routes)
        return { kind, id };
    return {
        kind,
        id,
        routes: routes.map((r) => ({ kind: r.kind, id: r.id, weights: weightsJson(r.split) }))
    };
}
function colorFacts(state) {
    const facts = (color) => ({
        taskSet: state.health[color].unit.arn,
        taskDefinition: state.health[color].unit.taskDefinitionArn ?? null,
        targetGroup: state.where.targetGroups[color]
    });
    return Object.fromEntries(src_color/* COLORS */.lm.map((color) => [color, facts(color)]));
}
function plannedStep(step) {
    return {
        kind: step.kind,
        canary: step.canary,
        share: (0,src_shares/* percentNumber */.JB)(step.share),
        weights: weightsJson(step.split),
        write: step.write,
        gated: step.gate,
        bakeSeconds: seconds(step.bakeMs),
        ...(step.tag ? { stableAfter: step.tag } : {})
    };
}
function seconds(ms) {
    return Math.round(ms / 100) / 10;
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
/**
 * Values from AWS and from inputs go into the job summary as plain text: whatever they hold, they
 * render as the same characters, never as markup, a link or a broken table. Each function's output
 * is safe anywhere inline: in a paragraph, a heading, a list item or a table cell.
 */
/**
 * A value as plain text (GitHub's renderer is cmark-gfm):
 * - white space, line breaks included, becomes one space, so the value stays inline;
 * - every character with a meaning inline (`\`, `` ` ``, `*`, `_`, `~`, `[`, `]`, `(`, `)`, `{`,
 *   `}`, `#`, `+`, `!`, `$` for math, `:`) is backslash-escaped, and so is a `-` or a numbered
 *   list marker (`1.`) at the start, where it would open a list;
 * - `&`, `<`, `>` become entities, and `|` becomes `&#124;`: a table's `\|` would show its
 *   backslash outside a table, while an entity reads the same everywhere;
 * - autolinks are broken: `http\://` and `www\.` are not links; an e-mail address is found after
 *   parsing, when escapes are gone, so a WORD JOINER (U+2060, invisible) follows each `@`, which
 *   also keeps `@name` from becoming a mention.
 */
function md(value) {
    const text = String(value ?? '')
        .replace(/\s+/g, ' ')
        .trim();
    if (text === '')
        return '—';
    return text
        .replace(/[\\`*_~[\](){}#+!$:]/g, '\\$&')
        .replace(/^-/, '\\-')
        .replace(/^(\d+)\./, '$1\\.')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/\|/g, '&#124;')
        .replace(/(www)\./gi, '$1\\.')
        .replace(/@/g, '@\u2060');
}
/**
 * A value as inline code, character for character: nothing inside a code span is markup, a link
 * or a mention. The fence is one backtick longer than the longest run inside, with a space inside
 * it where the value starts or ends with a backtick or a space (cmark-gfm removes one space on
 * each side). Line breaks become spaces. A `|` is left as it is: `tableRow` escapes it in a cell,
 * where the table reads `\|` before the code span sees it.
 */
function code(value) {
    const text = (value ?? '').replace(/\r\n|[\r\n]/g, ' ');
    if (text === '')
        return '—';
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longest + 1);
    const pad = /^[` ]|[` ]$/.test(text) && text.trim() !== '' ? ' ' : '';
    return `${fence}${pad}${text}${pad}${fence}`;
}
/**
 * A YAML scalar that is safe inside a fenced block and parses back to the same string: plain only
 * when it starts with a letter, ends with neither ':' nor space, and is not a YAML 1.1 keyword;
 * double-quoted (JSON is valid YAML) otherwise, so numbers, `-`, `a:` and `@x` stay strings.
 */
function yamlScalar(value) {
    const safe = value.replace(/`/g, "'").replace(/[\r\n]+/g, ' ');
    const plain = /^[A-Za-z](?:[\w./:@-]*[\w./@-])?$/.test(safe) &&
        !/^(true|false|null|yes|no|on|off|y|n)$/i.test(safe);
    return plain ? safe : JSON.stringify(safe);
}
/**
 * One row of a table. Cells are markdown made by md, code or the report itself; a `|` in them can
 * only come from a code span, and `\|` is how a table keeps it in its cell.
 */
function tableRow(cells) {
    return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
}
/** A two-column table with an empty header. */
function table(rows) {
    return ['| | |', '|---|---|', ...rows.map(tableRow)].join('\n');
}

;// CONCATENATED MODULE: ./src/report/summary.ts







/** The job summary for a finished step, as markdown; pure. */
function renderSummary(result) {
    const { inputs, state, plan, stableAfter } = result;
    const canaryAfter = (0,src_color/* otherColor */.IP)(stableAfter);
    const outcome = result.failure
        ? result.rolledBack
            ? 'failed, rolled back'
            : 'failed'
        : inputs.dryRun
            ? 'dry run'
            : result.changed
                ? 'changed'
                : 'no change';
    const icon = result.failure ? '❌' : inputs.dryRun ? '🔍' : '✅';
    const parts = [
        `## ${icon} ${md(state.service.name)}: ${inputs.mode} — ${outcome}`,
        ...(result.failure ? [`**${md(result.failure)}**`] : []),
        `Stable: **${stableAfter}** · canary: **${canaryAfter}** · traffic: **${(0,src_shares/* formatSplit */.oe)(result.splitAfter)}** · ` +
            `route: ${state.route.kind} ${code(state.route.id)}`,
        ...routesSection(state.route.routes),
        `> ${md(plan.reason)}`,
        ...(state.route.notes ?? []).map((note) => `> ⚠️ ${md(note)}`),
        ...deploySection(result),
        ...src_color/* COLORS */.lm.map((color) => colorTable(result, color)),
        pieChart(result),
        ...stepsSection(result),
        ...analysisSection(result),
        ...detailsSection(result),
        ...alarmsSection(result),
        '### What was written',
        writtenSection(result),
        ...dryRunChecks(result),
        ...warningsSection(result),
        '### Next step',
        nextStep(inputs, result)
    ];
    return parts.join('\n\n') + '\n';
}
/** Each route of a set that moves in lockstep, with the weights discovery found on it. */
function routesSection(routes) {
    if (!routes)
        return [];
    const lines = routes.map((route, i) => `${i + 1}. ${route.kind} ${code(route.id)}: ${(0,src_shares/* formatSplit */.oe)(route.split)}`);
    return [`Routes that move together (weights before this run):\n\n${lines.join('\n')}`];
}
/** The job summary for a failed step. */
function renderFailure(mode, service, message) {
    return ([`## ❌ ${md(service || 'ECS service')}: ${md(mode || 'step')} failed`, md(message)].join('\n\n') + '\n');
}
function colorTable(result, color) {
    const { state, plan, stableAfter, inputs } = result;
    const { unit, targets } = state.health[color];
    const info = result.details[color];
    const role = color === stableAfter ? 'stable' : 'canary';
    const before = percentOf(color, plan.splitBefore);
    const after = percentOf(color, result.splitAfter);
    const unhealthy = targets.notHealthy.map((t) => `${t.id} ${t.state}`).join(', ');
    return [
        `### ${color} (${role})`,
        table([
            [unit.noun ?? (inputs.services ? 'Service' : 'Task set'), code(unit.label)],
            ['Task definition', code(info?.familyRevision ?? unit.taskDefinitionArn ?? '—')],
            ['Images', info && info.images.length > 0 ? info.images.map(code).join('<br>') : '—'],
            ['Stability', `${md(unit.stability)} (${md(unit.status)})`],
            ['Tasks running / desired', `${unit.running} / ${unit.desired}`],
            [
                'Healthy targets',
                targets.unread
                    ? 'not read (a rollback does not wait for health)'
                    : `${targets.healthy} / ${targets.total}${unhealthy ? ` — ${md(unhealthy)}` : ''}`
            ],
            ['Weight', before === after ? `${after}%` : `${before}% → **${after}%**`]
        ])
    ].join('\n');
}
/** The deploy before the traffic steps: old → new image in the canary colour, and the diff. */
function deploySection(result) {
    const deploy = result.deploy;
    if (!deploy)
        return [];
    const canary = (0,src_color/* otherColor */.IP)(result.plan.stableBefore);
    const image = deploy.newImage !== undefined
        ? `${canary}${deploy.container ? ` (${md(deploy.container)})` : ''}: ` +
            `${code(deploy.oldImage ?? '—')} → ${code(deploy.newImage)}`
        : undefined;
    const state = deploy.failure
        ? 'failed'
        : deploy.changed
            ? 'deployed'
            : result.inputs.dryRun && deploy.diff.length > 0
                ? 'dry run: would change'
                : 'already in place, nothing deployed';
    return [
        `### Deploy to ${canary}: ${state}`,
        [
            ...(image ? [`- ${image}`] : []),
            ...(deploy.digest ? [`- digest ${code(deploy.digest)}`] : []),
            ...(result.inputs.dryRun ? deploy.diff.map((line) => `- would: ${md(line)}`) : [])
        ].join('\n') || 'No change.'
    ];
}
function pieChart(result) {
    const shown = (0,src_shares/* roundedSplit */.mt)(result.splitAfter);
    const slices = src_color/* COLORS */.lm.map((color) => [color, shown[color]])
        .filter(([, share]) => share > 0)
        .map(([color, share]) => `    "${color}" : ${(0,src_shares/* formatPercent */.l9)(share)}`);
    return ['```mermaid', 'pie showData title Traffic after this step', ...slices, '```'].join('\n');
}
function writtenSection(result) {
    const { plan, inputs } = result;
    if (inputs.dryRun) {
        const would = plan.steps.flatMap((step) => [
            ...(step.write ? [`traffic ${(0,src_shares/* formatSplit */.oe)(step.split)}`] : []),
            ...(step.tag && step.tag !== plan.stableBefore ? [`tag ${inputs.tagKey}=${step.tag}`] : [])
        ]);
        const gated = plan.steps.find((step) => step.gate);
        const gate = gated ? ` after waiting for ${gated.canary} to be healthy` : '';
        return `Dry run: nothing was written. It would write ${would.length ? md(would.join(', then ')) + gate : 'nothing'}.`;
    }
    if (result.writes.length === 0)
        return 'No change.';
    return result.writes.map((w) => `- ${md(w)}`).join('\n');
}
function nextStep(inputs, result) {
    const stable = result.stableAfter;
    const canary = (0,src_color/* otherColor */.IP)(stable);
    const share = result.splitAfter[canary];
    const steps = [];
    // A swap moves all traffic or none: a canary opens the test listener, promote swaps.
    if (inputs.swap && Math.round(share) === 0) {
        const open = inputs.mode === 'canary' && !result.failure && !result.rolledBack;
        steps.push(open
            ? `${canary} takes no production traffic; testers reach it on the test listener. When it looks good, promote it (the listeners swap):`
            : `All traffic is on ${stable}. Deploy the next version to ${canary}, then point the test listener at it:`, open ? withBlock(inputs, 'promote') : withBlock(inputs, 'canary', '0'));
    }
    else if (Math.round(share) === 0) {
        const deployed = result.deploy?.changed === true && !result.deploy.failure;
        steps.push(deployed
            ? `${canary} runs the new version with no traffic yet. Shift a share to it:`
            : `All traffic is on ${stable}. Deploy the next version to ${canary}, then shift a share to it:`, withBlock(inputs, 'canary', '10'));
    }
    else {
        steps.push(`${canary} serves ${(0,src_shares/* formatPercent */.l9)(share)}% of traffic. When it looks good, promote it:`, withBlock(inputs, 'promote'), `To send all traffic back to ${stable}:`, withBlock(inputs, 'rollback'));
    }
    return steps.join('\n\n');
}
/** The exact `with:` block for a follow-up step, naming the same resources as this one. */
function withBlock(inputs, mode, canaryWeight) {
    const entries = [
        [constants/* Inputs */.G0.Mode, mode],
        [constants/* Inputs */.G0.Cluster, inputs.cluster],
        [constants/* Inputs */.G0.Service, inputs.service],
        [constants/* Inputs */.G0.StackName, inputs.stackName],
        [constants/* Inputs */.G0.BlueTaskSet, inputs.taskSets.Blue],
        [constants/* Inputs */.G0.GreenTaskSet, inputs.taskSets.Green],
        [constants/* Inputs */.G0.BlueTargetGroup, inputs.targetGroups.Blue],
        [constants/* Inputs */.G0.GreenTargetGroup, inputs.targetGroups.Green],
        [constants/* Inputs */.G0.ListenerRuleArn, inputs.listenerRuleArn],
        [constants/* Inputs */.G0.ListenerArn, inputs.listenerArn],
        [constants/* Inputs */.G0.ProductionListenerArn, inputs.swap?.production],
        [constants/* Inputs */.G0.TestListenerArn, inputs.swap?.test],
        [constants/* Inputs */.G0.BlueService, inputs.services?.Blue],
        [constants/* Inputs */.G0.GreenService, inputs.services?.Green],
        [constants/* Inputs */.G0.HostedZoneId, inputs.route53?.hostedZoneId],
        [constants/* Inputs */.G0.RecordName, inputs.route53?.recordName],
        [constants/* Inputs */.G0.RecordType, inputs.route53?.recordType],
        [constants/* Inputs */.G0.BlueSetIdentifier, setIdentifier(inputs, 'Blue')],
        [constants/* Inputs */.G0.GreenSetIdentifier, setIdentifier(inputs, 'Green')],
        [constants/* Inputs */.G0.TagKey, inputs.tagKey === constants/* DEFAULT_TAG_KEY */.N6 ? undefined : inputs.tagKey],
        [constants/* Inputs */.G0.CanaryWeight, canaryWeight]
    ];
    const lines = entries
        .filter((entry) => entry[1] !== undefined)
        .map(([key, value]) => `  ${key}: ${yamlScalar(value)}`);
    return ['```yaml', 'with:', ...lines, '```'].join('\n');
}
/** A set identifier other than the colour's name, the input's default. */
function setIdentifier(inputs, color) {
    const id = inputs.route53?.setIdentifiers[color];
    return id === color ? undefined : id;
}
/** For runs with steps or a bake: the canary share over time and one row per step. */
function stepsSection(result) {
    const { steps, inputs, plan } = result;
    const walked = inputs.mode === 'canary' && (inputs.schedule.walk || inputs.schedule.bakeMs > 0);
    if (!walked || steps.length === 0)
        return [];
    const time = (ms) => new Date(ms).toISOString().slice(11, 19);
    const points = [plan.splitBefore[plan.canaryBefore], ...steps.map((s) => s.share)];
    const labels = ['start', ...steps.map((_, i) => `step ${i + 1}`)];
    if (result.rolledBack) {
        points.push(0);
        labels.push('rollback');
    }
    const chart = [
        '```mermaid',
        'xychart-beta',
        `    title "Canary share (%) by step"`,
        `    x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
        '    y-axis "percent" 0 --> 100',
        `    line [${points.map(src_shares/* formatPercent */.l9).join(', ')}]`,
        '```'
    ].join('\n');
    const gates = [...new Set(steps.flatMap((s) => s.readings.map((r) => r.label)))];
    const rows = steps.map((s, i) => tableRow([
        String(i + 1),
        `${(0,src_shares/* formatPercent */.l9)(s.share)}%`,
        time(s.startedAt),
        `${Math.round(s.bakedMs / 1000)} / ${Math.round(s.bakeMs / 1000)} s`,
        ...gates.map((label) => md(s.readings.find((r) => r.label === label)?.text)),
        s.outcome
    ]));
    return [
        `### Steps (${md(inputs.schedule.source)})`,
        chart,
        [
            tableRow(['step', 'canary share', 'started (UTC)', 'baked', ...gates.map(md), 'outcome']),
            tableRow(['---', '---', '---', '---', ...gates.map(() => '---'), '---']),
            ...rows
        ].join('\n')
    ];
}
function alarmsSection(result) {
    if (!result.alarms)
        return [];
    const lines = result.alarms.map((a) => `- ${code(a.name)}: **${md(a.state)}**${a.reason ? ` — ${md(a.reason)}` : ''}`);
    return ['### Alarms (last read)', lines.join('\n') || 'none'];
}
/** What the run left alone (a rollback that would not touch a test route it may not change). */
function warningsSection(result) {
    if (result.warnings.length === 0)
        return [];
    return ['### Left alone', result.warnings.map((w) => `- ⚠️ ${md(w)}`).join('\n')];
}
/** Canary analysis per step: both colours' numbers side by side, the verdict and why. */
function analysisSection(result) {
    const canary = result.plan.canaryBefore;
    const stable = (0,src_color/* otherColor */.IP)(canary);
    const rows = result.steps.flatMap((s, i) => {
        const verdict = s.readings.find((r) => r.verdict)?.verdict;
        if (!verdict)
            return [];
        const cells = (m) => [
            String(m.requests),
            percent(errorRate(m)),
            m.p99Ms === undefined ? '—' : ms(m.p99Ms)
        ];
        return [
            tableRow([
                String(i + 1),
                describeWindow(verdict.window),
                ...cells(verdict.canary),
                ...cells(verdict.stable),
                `**${verdict.result}**`,
                md(verdict.reason)
            ])
        ];
    });
    if (rows.length === 0)
        return [];
    const head = ['step', 'window', `${canary} requests`, `${canary} errors`, `${canary} p99`];
    const tail = [`${stable} requests`, `${stable} errors`, `${stable} p99`, 'verdict', 'why'];
    return [
        `### Canary analysis (${canary} against ${stable})`,
        [tableRow([...head, ...tail]), tableRow([...head, ...tail].map(() => '---')), ...rows].join('\n')
    ];
}
/** What the smoke check and the hooks saw, one list per gate. */
function detailsSection(result) {
    const byLabel = new Map();
    for (const step of result.steps) {
        for (const reading of step.readings) {
            if (reading.details)
                byLabel.set(reading.label, reading.details);
        }
    }
    return [...byLabel].flatMap(([label, lines]) => [
        `### ${md(label[0].toUpperCase() + label.slice(1))}`,
        lines.map((line) => `- ${md(line)}`).join('\n')
    ]);
}
/** A dry run says what a real run would check, as well as what it would write. */
function dryRunChecks(result) {
    const lines = result.inputs.dryRun ? describeChecks(result.inputs) : [];
    if (lines.length === 0)
        return [];
    return ['### What it would check', lines.map((line) => `- ${md(line)}`).join('\n')];
}

;// CONCATENATED MODULE: ./src/finish-step.ts









/**
 * The rest of a step once its first request is under way (run-step.ts): the pipeline on the
 * service read already sent, then what to report. Never throws.
 */
async function finishStep(read, deps, start) {
    const { log } = deps;
    const { deployments } = start;
    let discovered;
    try {
        if (!start.begun)
            throw start.error;
        const { inputs, identity, ecs, service } = start.begun;
        const outcome = await runPipeline(inputs, {
            clients: createClients(inputs.region, ecs),
            ...(service ? { service } : {}),
            log,
            signal: deps.signal,
            identity,
            onDiscovered: (state) => {
                discovered = state;
            },
            onVersionKnown: (state, details) => deployments?.started(state, details)
        });
        await deployments?.finished(outcome);
        const result = runResult(outcome);
        return {
            result,
            outputs: {
                ...stepOutputs(outcome),
                [constants/* Outputs */.tY.Outcome]: result.outcome,
                [constants/* Outputs */.tY.Result]: JSON.stringify(result)
            },
            summary: renderSummary(outcome),
            outcome,
            ...(outcome.failure ? { failure: outcome.failure } : { notice: noticeLine(outcome) })
        };
    }
    catch (error) {
        const thrown = (0,errors/* messageOf */.bD)(error);
        // runPipeline throws only before its first write.
        const failure = endsNothingWritten(thrown);
        await deployments?.failedEarly(failure);
        const mode = read(constants/* Inputs */.G0.Mode).trim();
        const service = read(constants/* Inputs */.G0.Service).trim();
        const result = earlyResult({
            mode,
            cluster: read(constants/* Inputs */.G0.Cluster).trim(),
            service,
            message: failure,
            ...(discovered ? { state: discovered } : {})
        });
        return {
            result,
            outputs: {
                ...knownOutputs(discovered),
                [constants/* Outputs */.tY.Outcome]: result.outcome,
                [constants/* Outputs */.tY.Result]: JSON.stringify(result)
            },
            summary: renderFailure(mode, service, failure),
            failure,
            ...(!(error instanceof errors/* ActionError */.lZ) && error instanceof Error && error.stack
                ? { stack: error.stack }
                : {})
        };
    }
}
function noticeLine(result) {
    const { inputs, plan } = result;
    const name = result.state.service.name;
    if (inputs.dryRun) {
        const tag = plan.stableAfter !== plan.stableBefore ? ` and stable ${plan.stableAfter}` : '';
        return `${inputs.mode} (dry run): ${name} would go from ${(0,src_shares/* formatSplit */.oe)(plan.splitBefore)} to ${(0,src_shares/* formatSplit */.oe)(plan.splitAfter)}${tag}; nothing written.`;
    }
    const state = `${(0,src_shares/* formatSplit */.oe)(result.splitAfter)}, stable ${result.stableAfter}`;
    return result.changed
        ? `${inputs.mode}: ${name} now ${state}.`
        : `${inputs.mode}: ${name} unchanged at ${state}.`;
}
/**
 * An early failure's message, ending with the one sentence that says nothing was written. A
 * refusal that already says so in its own words has that ending replaced, not repeated.
 */
function endsNothingWritten(message) {
    const text = (0,errors/* sentence */.em)(message);
    for (const ending of [NOTHING_WRITTEN, 'Nothing was written.']) {
        if (text.toLowerCase().endsWith(ending.toLowerCase())) {
            return `${text.slice(0, -ending.length).trimEnd()} ${NOTHING_WRITTEN}`.trimStart();
        }
    }
    return `${text} ${NOTHING_WRITTEN}`;
}


/***/ },

/***/ 4051:
/***/ function(__unused_webpack_module, __webpack_exports__, __webpack_require__) {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createAlarmWatch: () => (/* binding */ createAlarmWatch)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4085);
/* harmony import */ var _aws_call_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1373);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _alarms_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8972);




/**
 * The CloudWatch reads behind the alarm gate, in a module of their own: it is loaded only by a
 * run that names alarms (compose.ts), so no other run evaluates the CloudWatch SDK.
 */
const DESCRIBE = 'cloudwatch:DescribeAlarms';
/** A watch over the named alarms and those under the prefix. */
function createAlarmWatch(config, cloudwatch) {
    const describe = async (input) => {
        const found = [];
        let NextToken;
        do {
            const page = await (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_0__/* .awsCall */ .uF)(DESCRIBE, () => cloudwatch.send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_2__.DescribeAlarmsCommand({
                ...input,
                AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
                NextToken
            })));
            found.push(...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? []));
            NextToken = page.NextToken;
        } while (NextToken);
        return found;
    };
    return async () => {
        const byNames = [];
        for (let i = 0; i < config.names.length; i += 100) {
            byNames.push(describe({ AlarmNames: config.names.slice(i, i + 100) }));
        }
        const [named, prefixed] = await Promise.all([
            Promise.all(byNames).then((pages) => pages.flat()),
            config.prefix ? describe({ AlarmNamePrefix: config.prefix }) : Promise.resolve([])
        ]);
        const missing = config.names.filter((name) => !named.some((a) => a.AlarmName === name));
        if (missing.length > 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .StateError */ .qq(`CloudWatch has no alarm named ${missing.join(', ')} in this account and region. Check "alarms".`);
        }
        if (config.prefix && prefixed.length === 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .StateError */ .qq(`No CloudWatch alarm name starts with "${config.prefix}": a gate on it would watch nothing. Check "alarm-prefix".`);
        }
        const byName = new Map();
        for (const alarm of [...named, ...prefixed]) {
            const name = alarm.AlarmName ?? '?';
            byName.set(name, {
                name,
                state: alarm.StateValue ?? 'UNKNOWN',
                reason: alarm.StateReason ?? ''
            });
        }
        return (0,_alarms_js__WEBPACK_IMPORTED_MODULE_3__/* .judgeAlarms */ .eX)([...byName.values()], config.treatMissingDataAsFailure);
    };
}


/***/ },

/***/ 8972:
/***/ function(__unused_webpack_module, __webpack_exports__, __webpack_require__) {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gj: () => (/* binding */ describeAlarms),
/* harmony export */   JQ: () => (/* binding */ AlarmGate),
/* harmony export */   eX: () => (/* binding */ judgeAlarms)
/* harmony export */ });
/* harmony import */ var _shares_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8855);

/** Which alarms fail the gate; pure. */
function judgeAlarms(alarms, treatMissingDataAsFailure) {
    const failing = alarms.filter((a) => a.state === 'ALARM' || (treatMissingDataAsFailure && a.state === 'INSUFFICIENT_DATA'));
    return { alarms, failing };
}
/** `name is ALARM (reason)` lines for messages and the summary. */
function describeAlarms(alarms) {
    return alarms.map((a) => `${a.name} is ${a.state}${a.reason ? ` (${a.reason})` : ''}`).join('; ');
}
const LABEL = 'alarms seen';
/** A read younger than this is still current for the first step's gate. */
const REUSE_MS = 1000;
/**
 * CloudWatch alarms the user built: none of them may be in ALARM (nor, when missing data counts
 * as failure, in INSUFFICIENT_DATA) before a shift or during a bake. Discovery reads them once so
 * a misnamed alarm is refused before any write; the first step reuses that read while it is fresh.
 */
class AlarmGate {
    watch;
    config;
    label = LABEL;
    judges = 'verdict';
    discovered;
    constructor(watch, config) {
        this.watch = watch;
        this.config = config;
    }
    /** The read made during discovery, with the time it was made. */
    async prime(now) {
        const check = await this.watch();
        this.discovered = { check, at: now };
        return check;
    }
    async before(context) {
        const kept = this.discovered;
        this.discovered = undefined;
        const check = kept && !context.fresh && context.clock.now() - kept.at < REUSE_MS
            ? kept.check
            : await this.watch();
        return this.reading(check, context.log, `Alarm before step ${context.step + 1}`);
    }
    async during(context) {
        const { color, step, share } = context;
        const where = `Alarm during the bake of step ${step + 1} (${color} at ${(0,_shares_js__WEBPACK_IMPORTED_MODULE_0__/* .formatPercent */ .l9)(share)}%)`;
        return this.reading(await this.watch(), context.log, where);
    }
    reading(check, log, where) {
        const noData = check.alarms.filter((a) => a.state === 'INSUFFICIENT_DATA');
        if (noData.length > 0 && !this.config.treatMissingDataAsFailure) {
            log.info(`Treated as OK: ${describeAlarms(noData)}`);
        }
        return {
            label: LABEL,
            text: check.alarms.map((a) => `${a.name} ${a.state}`).join(', ') || 'none',
            seen: check.alarms,
            ...(check.failing.length > 0 ? { failure: `${where}: ${describeAlarms(check.failing)}` } : {})
        };
    }
}


/***/ }

};
