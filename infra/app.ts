import { App } from 'aws-cdk-lib';
import { DepartmentMetricsStack } from './pipeline-stack.js';

const app = new App();

const envName: unknown = app.node.tryGetContext('env') ?? 'dev';
// The name becomes part of the stack name and of every physical name derived from it.
if (typeof envName !== 'string' || !/^[a-z][a-z0-9-]*$/.test(envName)) {
  throw new Error(`context "env" must be lowercase letters, digits and dashes, starting with a letter (got ${String(envName)})`);
}

// No account or region: the template synthesizes offline and deploys to whichever account the credentials name.
new DepartmentMetricsStack(app, `DepartmentMetrics-${envName}`, {
  description: `Department metrics pipeline (${envName})`,
  tags: { project: 'department-metrics', environment: envName },
});
