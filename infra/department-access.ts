import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { reportsFolder, uploadFolder } from '../shared/s3-keys.js';
import { allowListing, allowObjects, assumableBy, type KeyPrefix, type SecureBucket } from './secure-defaults.js';
import { StackPart } from './stack-part.js';

export interface DepartmentAccessProps {
  /** Catalog department ids: one role each. */
  readonly departments: readonly string[];
  readonly uploadBucket: SecureBucket;
  /** Who may assume the roles (through IAM Identity Center, typically). @default the deploying account: those of its identities whose own policies allow it */
  readonly principal?: iam.IPrincipal;
  /** The principal tag holding the caller's department: a department's role asks `aws:PrincipalTag/<key>` = its id. */
  readonly departmentTagKey: string;
}

/**
 * One upload role per department: put workbooks into the department's own folder, read its own reports,
 * nothing else; assumed only by a caller tagged with that department, so that one department's clerks
 * cannot take another's role whatever their own policies allow.
 */
export class DepartmentAccess extends StackPart {
  readonly roles: ReadonlyMap<string, iam.Role>;

  constructor(scope: Construct, id: string, props: DepartmentAccessProps) {
    super(scope, id);
    this.roles = new Map(
      props.departments.map((department) => {
        const role = new iam.Role(this, `UploadRole-${department}`, {
          assumedBy: assumableBy({ principal: props.principal, principalTag: { key: props.departmentTagKey, value: department } }),
          description: `Uploads ${department} workbooks and reads their import reports`,
        });
        const incoming: KeyPrefix = uploadFolder(department);
        const reports: KeyPrefix = reportsFolder(department);
        allowObjects(role, props.uploadBucket, incoming, ['s3:PutObject']);
        allowObjects(role, props.uploadBucket, reports, ['s3:GetObject']);
        allowListing(role, props.uploadBucket, reports);
        return [department, role];
      }),
    );
  }
}
