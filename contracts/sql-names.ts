/**
 * The SQL names config accepts and the release scripts put into shell text and SQL (lib/commands.ts checks them once
 * more): config validation and the scripts must agree on exactly one definition.
 */
/** An unquoted, lowercase SQL identifier: safe inside the scripts' shell text and SQL. */
export const sqlIdentifier = /^[a-z_][a-z0-9_]{0,62}$/;
/** A table name, optionally schema-qualified, made of lowercase SQL identifiers. */
export const sqlTableName = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
