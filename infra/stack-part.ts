import { Names, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';

/**
 * A named part of the stack (the ingest pipeline, the monthly snapshot …): it groups resources for the
 * reader of the code and of the construct tree, and is not part of their identity. CloudFormation
 * replaces a resource whose logical id changes, which for this stack would mean a new empty bucket or
 * table, new role ARNs for the clerks and an alarm e-mail to confirm again; so the stack leaves parts
 * out of logical ids (`logicalIdWithoutParts`) and resources keep the ids they had before the parts.
 * Two resources whose ids would then meet fail the synth (CloudFormation sections refuse duplicates).
 */
export class StackPart extends Construct {}

/** CDK's own naming of a path of ids (readable prefix, hash of the path), asked of a throwaway tree that holds just them. */
function uniqueIdOf(scopes: readonly IConstruct[]): string {
  const ids = scopes.filter((scope) => !(scope instanceof StackPart)).map((scope) => scope.node.id);
  const detached = ids.reduce((scope, id) => new Construct(scope, id), new Construct(undefined as unknown as Construct, ''));
  return Names.uniqueId(detached);
}

/** The logical id CDK would give the element if no StackPart stood between it and its stack. */
export function logicalIdWithoutParts(stack: Stack, element: CfnElement): string {
  const scopes = element.node.scopes;
  return uniqueIdOf(scopes.slice(scopes.indexOf(stack) + 1));
}

/** `Names.nodeUniqueId` of a construct as if no StackPart held it: for the ids CDK derives from another construct's path. */
export function uniqueIdWithoutParts(construct: IConstruct): string {
  return uniqueIdOf(construct.node.scopes.slice(1));
}
