/**
 * Which keys of a connection Secret a sink type reads, and which combinations are enough.
 * `anyOf` lists alternatives; each alternative is a set of keys that must all be present.
 */
export interface SecretKeyRule {
  /** Every key looked up, in the order they are reported. */
  readonly keys: readonly string[];
  /** Alternatives, any one of which is enough, e.g. `[['token'], ['username', 'password'], ['api_key']]`. */
  readonly anyOf: readonly (readonly string[])[];
}

/** The built-in sink types' secret keys. */
export const SECRET_KEY_RULES: Readonly<Record<string, SecretKeyRule>> = Object.freeze({
  sql_database: { keys: ['url'], anyOf: [['url']] },
  rest_api: {
    keys: ['token', 'username', 'password', 'api_key'],
    anyOf: [['token'], ['username', 'password'], ['api_key']],
  },
});

/** The rule for `sinkType`, or `undefined` for a sink type floe does not know (third-party plugins). */
export function secretKeyRule(sinkType: string): SecretKeyRule | undefined {
  return SECRET_KEY_RULES[sinkType];
}

/** Describes a rule's alternatives for a message: `token, or username and password, or api_key`. */
export function describeAlternatives(rule: SecretKeyRule): string {
  return rule.anyOf.map((keys) => keys.join(' and ')).join(', or ');
}
