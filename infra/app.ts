import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { catalog } from '../shared/catalog/catalog.js';
import { DepartmentMetricsStack } from './pipeline-stack.js';
import { stackConfigOf } from './stack-config.js';

const app = new App();
// Departments come from the catalog at synth time: a new department gets its role without a code change.
const config = stackConfigOf((key) => app.node.tryGetContext(key), catalog.departments.map((d) => d.id));

// No account or region: the template synthesizes offline and deploys to whichever account the credentials name.
new DepartmentMetricsStack(app, `DepartmentMetrics-${config.envName}`, {
  description: `Department metrics pipeline (${config.envName})`,
  tags: { project: 'department-metrics', environment: config.envName },
  config,
});
// Every synth is checked; an unsuppressed finding fails `cdk synth` the way it fails the tests.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
