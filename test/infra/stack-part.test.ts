import { App, Names, Stack, type CfnElement } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { logicalIdWithoutParts, StackPart, uniqueIdWithoutParts } from '../../infra/stack-part.js';

/** A stack whose logical ids leave its parts out, as DepartmentMetricsStack's do. */
class PartedStack extends Stack {
  protected override allocateLogicalId(element: CfnElement): string {
    return logicalIdWithoutParts(this, element);
  }
}

const cfnOf = (queue: sqs.Queue) => queue.node.defaultChild as CfnElement;

/** The queue at `path` below the stack; ids starting with `part:` are parts, `group:` plain constructs. */
function queueAt(stack: Stack, path: string[]): sqs.Queue {
  const parent = path.slice(0, -1).reduce<Construct>((scope, id) => {
    const [kind, name = ''] = id.split(':');
    return kind === 'part' ? new StackPart(scope, name) : new Construct(scope, name);
  }, stack);
  return new sqs.Queue(parent, path.at(-1) ?? '');
}

describe('logical ids without parts', () => {
  it.each([
    { where: 'a resource directly in the stack', parted: ['Queue'], flat: ['Queue'] },
    { where: 'a resource in a part', parted: ['part:Ingest', 'Queue'], flat: ['Queue'] },
    { where: 'a resource in a part within a part', parted: ['part:Outer', 'part:Inner', 'Queue'], flat: ['Queue'] },
    { where: 'a plain construct within a part, which stays in the id', parted: ['part:Outer', 'group:Analytics', 'Queue'], flat: ['group:Analytics', 'Queue'] },
  ])('$where gets the id it has with no parts', ({ parted, flat }) => {
    const partedStack = new PartedStack(new App(), 'Test');
    const flatStack = new Stack(new App(), 'Test');
    const inParts = queueAt(partedStack, parted);
    const withoutParts = queueAt(flatStack, flat);
    expect(partedStack.getLogicalId(cfnOf(inParts))).toBe(flatStack.getLogicalId(cfnOf(withoutParts)));
    expect(uniqueIdWithoutParts(inParts)).toBe(Names.nodeUniqueId(withoutParts.node));
  });

  it('refuses at synth two resources that meet once parts are left out', () => {
    const app = new App();
    const stack = new PartedStack(app, 'Test');
    queueAt(stack, ['part:A', 'Queue']);
    queueAt(stack, ['part:B', 'Queue']);
    expect(() => app.synth()).toThrow(/already contains/);
  });
});
