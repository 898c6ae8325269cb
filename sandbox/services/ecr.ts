/**
 * Amazon ECR (awsJson1_1, target prefix AmazonEC2ContainerRegistry_V20150921): registered so its
 * requests are recognised, with no operations yet — every call answers UnknownOperationException,
 * the shape AWS uses for an operation a JSON service does not have. Add handlers to `operations`
 * (e.g. DescribeImages) when the action needs them.
 */
import type { ServiceModule } from './service.js'

export const ecr: ServiceModule = {
  name: 'ecr',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  operations: {}
}
