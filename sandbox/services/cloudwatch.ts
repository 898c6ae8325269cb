/**
 * Amazon CloudWatch: an extension point with no operations yet.
 *
 * The protocol depends on the client. Current AWS SDK for JavaScript v3 clients send Smithy RPC v2
 * CBOR (`POST /service/GraniteServiceVersion20100801/operation/<Op>`, header
 * `smithy-protocol: rpc-v2-cbor`), which this sandbox does not decode; the router answers those
 * requests with a JSON UnknownOperationException. Older SDKs and the CLI send awsQuery (signing
 * name `monitoring`) or awsJson1_0 (target prefix `GraniteServiceVersion20100801`); both are
 * routed here and, until handlers are added, answer InvalidAction / UnknownOperationException.
 */
import type { ServiceModule } from './service.js'

export const cloudwatch: ServiceModule = {
  name: 'cloudwatch',
  signingName: 'monitoring',
  targetPrefix: 'GraniteServiceVersion20100801',
  xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  queryTypes: { numbers: new Set(), booleans: new Set() },
  operations: {}
}
