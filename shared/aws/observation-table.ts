/** The observations table's key schema, shared by the stack, the local stores and the repository. */
export const OBSERVATION_TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;
