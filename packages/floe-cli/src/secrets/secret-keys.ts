import type { SinkSecretKeys } from '@floe/core';

/** Which keys of a connection Secret a sink type reads, and which combinations are enough (its descriptor's `secret`). */
export type SecretKeyRule = SinkSecretKeys;

/** Describes a rule's alternatives for a message: `token, or username and password, or api_key`. */
export function describeAlternatives(rule: SecretKeyRule): string {
  return rule.anyOf.map((keys) => keys.join(' and ')).join(', or ');
}
