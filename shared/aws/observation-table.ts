/** The observations table's key schema, shared by the stack, the local stores and the repository. */
export const OBSERVATION_TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * Every item of a department lives in its partition, so every read is a Query, never a Scan:
 * its months' slices (observation-repository.ts) and the uploads the portal granted (portal-uploads.ts).
 */
export const departmentPartition = (department: string) => `department#${department}`;
