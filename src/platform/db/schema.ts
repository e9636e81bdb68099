// Every table of every module, for drizzle's typed queries and for drizzle-kit.
export * from '../tenancy/schema.ts';
export * from '../audit/schema.ts';
export * from '../auth/schema.ts';
export * from '../../territoires/schema.ts';
export * from '../../contrat/schema.ts';
export * from '../../engagements/schema.ts';
export * from '../../subventions/schema.ts';
