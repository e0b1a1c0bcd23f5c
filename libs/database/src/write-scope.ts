declare const IN_WRITE_TRANSACTION: unique symbol;

/**
 * Proof of being inside a write transaction. Only a store's `write` hands one to its work, and
 * every repository method that writes requires one, so a write made outside a transaction (which
 * would autocommit, and on SQLite wait for the lock with the event loop stopped) does not compile.
 */
export type Tx = { readonly [IN_WRITE_TRANSACTION]: true };

/** The one value; the stores' own (the library exports only the type). */
export const TX = Object.freeze({}) as Tx;
