// Shared test harnesses for @floe packages (private).
export { startHttpTarget } from './http-target.js';
export type { HttpTarget, RecordedRequest, ScriptedResponse, TargetHandler } from './http-target.js';
export { createPgSchema, createMysqlDatabase, PG_URL, MYSQL_URL } from './databases.js';
export type { PgTestSchema, MysqlTestDatabase } from './databases.js';
export { captureSpans, spanText } from './memory-spans.js';
export type { MemorySpans } from './memory-spans.js';
