// The editor's model of a logic (drafts with stable ids for drag and drop) and its conversion to
// and from the engine's format (src/routing/types.ts), in one import: the dimension catalogue, the
// drafts, their conversion, the client checks and the reading of field errors each live in a module
// of their own.
export * from './dimension-catalogue';
export * from './logic-draft';
export * from './draft-conversion';
export * from './validate-draft';
export * from './field-errors';
