import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { reportsFolder, uploadFolder } from '../shared/s3-keys.js';
import { allowListing, allowObjects, type KeyPrefix, type SecureBucket } from './secure-defaults.js';
import { StackPart } from './stack-part.js';

export interface DepartmentAccessProps {
  /** Catalog department ids: one role each. */
  readonly departments: readonly string[];
  readonly uploadBucket: SecureBucket;
  /** Who may assume the roles; the account's own identities (through IAM Identity Center, typically). @default the account root */
  readonly principal?: iam.IPrincipal;
}

/** One upload role per department: put workbooks into the department's own folder, read its own reports, nothing else. */
export class DepartmentAccess extends StackPart {
  readonly roles: ReadonlyMap<string, iam.Role>;

  constructor(scope: Construct, id: string, props: DepartmentAccessProps) {
    super(scope, id);
    const principal = props.principal ?? new iam.AccountRootPrincipal();
    this.roles = new Map(
      props.departments.map((department) => {
        const role = new iam.Role(this, `UploadRole-${department}`, {
          assumedBy: principal,
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
