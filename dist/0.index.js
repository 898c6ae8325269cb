export const id = 0;
export const ids = [0];
export const modules = {

/***/ 5000:
/***/ function(__unused_webpack_module, __webpack_exports__, __webpack_require__) {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Route53Router: () => (/* binding */ Route53Router),
  route53Client: () => (/* binding */ route53Client)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-route-53/dist-cjs/index.js
var dist_cjs = __webpack_require__(8621);
// EXTERNAL MODULE: ./src/aws/call.ts
var call = __webpack_require__(1373);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/routers/route53/records.ts
var route53_records = __webpack_require__(4858);
// EXTERNAL MODULE: ./src/color.ts
var color = __webpack_require__(8988);
// EXTERNAL MODULE: ./src/shares.ts
var shares = __webpack_require__(8855);
;// CONCATENATED MODULE: ./src/routers/route53/weights.ts



const MAX_ROUTE53_WEIGHT = 255;
function gcd(a, b) {
    return b === 0 ? a : gcd(b, a % b);
}
let reachableCache;
/**
 * Every whole permille share two weights of 0..255 give exactly, ascending. A share s is exact
 * when s/1000 in lowest terms p/q has p and q-p both at most 255; every whole percent is (q
 * divides 100), most tenths are not (0.1 % is 1/1000). Computed once from all weight pairs.
 */
function route53ReachableShares() {
    if (reachableCache)
        return reachableCache;
    const found = new Set();
    for (let canary = 0; canary <= MAX_ROUTE53_WEIGHT; canary++) {
        for (let other = 0; other <= MAX_ROUTE53_WEIGHT; other++) {
            const total = canary + other;
            if (total > 0 && (canary * shares/* FULL */.eW) % total === 0)
                found.add((canary * shares/* FULL */.eW) / total);
        }
    }
    reachableCache = [...found].sort((a, b) => a - b);
    return reachableCache;
}
/** `[share]` when Route 53 weights give it exactly, else the nearest reachable below and above. */
function route53Reachable(share) {
    const shares = route53ReachableShares();
    if (shares.includes(share))
        return [share];
    const below = shares.filter((s) => s < share).at(-1);
    const above = shares.find((s) => s > share);
    return [below, above].filter((s) => s !== undefined);
}
/**
 * Route 53 weights for a split of whole permille. Whole percents are written as percents
 * (readable in the console: 90 and 10); other shares as the smallest weights that give them
 * exactly (12.5 % as 7 and 1). Refuses a split no weights give exactly, and the empty split:
 * Route 53 spreads traffic evenly over records that all weigh 0, it never sends nothing.
 */
function route53WeightsFor(split) {
    const valid = color/* COLORS */.lm.every((c) => Number.isInteger(split[c]) && split[c] >= 0);
    if (!valid || split.Blue + split.Green !== shares/* FULL */.eW) {
        throw new errors/* StateError */.qq(`Route 53 weights cannot express Blue ${split.Blue}‰ / Green ${split.Green}‰: the shares must be whole permille adding up to 1000.`);
    }
    const divisor = color/* COLORS */.lm.every((c) => split[c] % 10 === 0) ? 10 : gcd(split.Blue, split.Green);
    const weights = { Blue: split.Blue / divisor, Green: split.Green / divisor };
    if (color/* COLORS */.lm.some((c) => weights[c] > MAX_ROUTE53_WEIGHT)) {
        throw new errors/* StateError */.qq(`Route 53 weights (0 to ${MAX_ROUTE53_WEIGHT}) cannot express Blue ${split.Blue}‰ / Green ${split.Green}‰ exactly.`);
    }
    return weights;
}
/** The split two records' weights make. Both 0 is an even split: Route 53 then answers with each alike. */
function splitOfRoute53Weights(weights) {
    const total = weights.Blue + weights.Green;
    if (total === 0)
        return { Blue: shares/* FULL */.eW / 2, Green: shares/* FULL */.eW / 2 };
    return { Blue: (weights.Blue * shares/* FULL */.eW) / total, Green: (weights.Green * shares/* FULL */.eW) / total };
}

;// CONCATENATED MODULE: ./src/routers/route53/route53-router.ts





/**
 * This module and the Route 53 SDK are loaded by dynamic import, only in a run whose route is
 * Route 53 (src/compose.ts): no other run evaluates them.
 */
function route53Client(region) {
    return new dist_cjs/* Route53Client */.LhC({ region, maxAttempts: 5 });
}
/**
 * Two weighted records of one name, one per colour (set identifiers `Blue` and `Green` by
 * default). Each shift is one ChangeResourceRecordSets batch that UPSERTs both records, so no
 * moment has one record changed and not the other; it waits for the change to be INSYNC (but for
 * a rollback) and reads both weights back. ListResourceRecordSets is strongly consistent with an
 * accepted change, so the read-back checks the write whether or not it is in sync yet. Everything on a record but its weight (health check, alias target,
 * TTL, values) is written back as it was read.
 */
class Route53Router {
    route53;
    route;
    options;
    kind = 'route53';
    id;
    snapshot;
    constructor(route53, route, options) {
        this.route53 = route53;
        this.route = route;
        this.options = options;
        this.id = `hostedzone/${route.hostedZoneId}/${(0,route53_records/* normalizeName */.Pc)(route.recordName)}`;
    }
    async read() {
        this.snapshot = await this.fetch();
        return splitOfRoute53Weights(weightsOf(this.snapshot));
    }
    reachable(share) {
        return route53Reachable(share);
    }
    /** Resolvers follow the records; the colours' own health checks do not depend on them. */
    async exposeForHealthChecks(_color) {
        return undefined;
    }
    async shift(split) {
        const records = this.records();
        const weights = route53WeightsFor(split);
        const response = await (0,call/* awsCall */.uF)('route53:ChangeResourceRecordSets', () => this.route53.send(new dist_cjs/* ChangeResourceRecordSetsCommand */.yzn({
            HostedZoneId: this.route.hostedZoneId,
            ChangeBatch: {
                Comment: `ecs-canary: Blue ${weights.Blue}, Green ${weights.Green}`,
                Changes: (0,route53_records/* upsertsFor */.Iq)(records, weights)
            }
        })), this.translate());
        const change = response.ChangeInfo?.Id ?? '';
        const [type, name] = [records.Blue.Type, (0,route53_records/* normalizeName */.Pc)(this.route.recordName)];
        const awaitSync = this.options.awaitSync ?? true;
        this.options.log(`Route 53 ${name} ${type}: wrote weights ${this.route.setIdentifiers.Blue}=${weights.Blue}, ` +
            `${this.route.setIdentifiers.Green}=${weights.Green} (change ${change}` +
            `${awaitSync ? '' : ', not waited for: name servers apply it within about a minute'})`);
        if (change && awaitSync)
            await this.waitInSync(change);
        this.snapshot = await this.fetch();
        return splitOfRoute53Weights(weightsOf(this.snapshot));
    }
    async verify() {
        return splitOfRoute53Weights(weightsOf(await this.fetch()));
    }
    /** What a reader of the summary should know: resolvers cache the answer for the TTL. */
    notes() {
        const ttl = this.snapshot?.Blue.TTL;
        const cached = ttl === undefined ? "the alias target's TTL" : `its TTL (${ttl} s)`;
        return [
            `DNS resolvers cache a Route 53 answer for ${cached}: a shift takes up to that long to reach every client.`
        ];
    }
    records() {
        if (!this.snapshot)
            throw new errors/* StateError */.qq(`Route 53 ${this.id} was written before it was read.`);
        return this.snapshot;
    }
    /** Every record at the name, over as many pages as the name spans. */
    async fetch() {
        const name = (0,route53_records/* normalizeName */.Pc)(this.route.recordName);
        const atName = [];
        let start = {
            name,
            ...(this.route.recordType ? { type: this.route.recordType } : {})
        };
        while (start) {
            const page = await (0,call/* awsCall */.uF)('route53:ListResourceRecordSets', () => this.route53.send(new dist_cjs/* ListResourceRecordSetsCommand */.IOz({
                HostedZoneId: this.route.hostedZoneId,
                StartRecordName: start?.name,
                ...(start?.type ? { StartRecordType: start.type } : {}),
                ...(start?.id ? { StartRecordIdentifier: start.id } : {}),
                MaxItems: 300
            })), this.translate());
            const sets = page.ResourceRecordSets ?? [];
            atName.push(...sets.filter((r) => (0,route53_records/* normalizeName */.Pc)(r.Name ?? '') === name));
            const next = page.NextRecordName;
            start =
                page.IsTruncated && next && (0,route53_records/* normalizeName */.Pc)(next) === name
                    ? { name: next, type: page.NextRecordType, id: page.NextRecordIdentifier }
                    : undefined;
        }
        return (0,route53_records/* pickWeightedRecords */.JW)(this.route, atName);
    }
    async waitInSync(change) {
        const { clock, pollMs = 2000, syncTimeoutMs = 300_000 } = this.options;
        const started = clock.now();
        let attempt = 0;
        for (;;) {
            const response = await (0,call/* awsCall */.uF)('route53:GetChange', () => this.route53.send(new dist_cjs/* GetChangeCommand */.Yn4({ Id: change })), this.translate());
            const status = response.ChangeInfo?.Status;
            if (status === 'INSYNC')
                return;
            if (clock.now() - started >= syncTimeoutMs) {
                throw new errors/* StateError */.qq(`Route 53 change ${change} is still ${status ?? 'unknown'} after ${Math.round(syncTimeoutMs / 1000)} s. ` +
                    'Both weights were written in one batch; Route 53 applies them together once it is in sync. ' +
                    'Run this step again to check and go on.');
            }
            // Soon after the write first (a change is often in sync within seconds), then every pollMs.
            await clock.sleep(Math.min(pollMs, 250 * 2 ** attempt));
            attempt += 1;
        }
    }
    translate() {
        const zone = this.route.hostedZoneId;
        return (name, message) => {
            if (name === 'NoSuchHostedZone') {
                return new errors/* NotFoundError */.m_(`Route 53 hosted zone ${zone} was not found. Check "hosted-zone-id" (the ID, such as Z0123456789ABCDEFGHIJ).`);
            }
            if (name === 'InvalidInput' && /hosted ?zone/i.test(message)) {
                return new errors/* InputError */.dz(`Route 53 refused hosted zone "${zone}": ${message} Check "hosted-zone-id".`);
            }
            if (name === 'InvalidChangeBatch') {
                return new errors/* StateError */.qq(`Route 53 refused the change to ${this.id}: ${message} Nothing was changed (a batch is applied whole or not at all).`);
            }
            return undefined;
        };
    }
}
function weightsOf(records) {
    return { Blue: records.Blue.Weight ?? 0, Green: records.Green.Weight ?? 0 };
}


/***/ }

};
