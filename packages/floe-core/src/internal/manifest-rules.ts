import type { PlatformManifest } from '../platform-manifest.js';
import type { RawIssue } from './raw-issue.js';

/** One cross-field rule of manifest.yaml. */
export type ManifestRule = (manifest: PlatformManifest) => RawIssue[];

const scopeName = (m: PlatformManifest): string => (m.scope === undefined ? 'not set' : `"${m.scope}"`);

/** `parent_manifest` only for `scope: domain`. */
export const parentOnlyForDomain: ManifestRule = (m) =>
  m.parent_manifest !== undefined && m.scope !== 'domain'
    ? [
        {
          segments: ['parent_manifest'],
          message: `is only allowed when scope is "domain" (scope is ${scopeName(m)}): only domain manifests inherit from a parent`,
        },
      ]
    : [];

/** `scope: domain` requires `parent_manifest`. */
export const domainNeedsParent: ManifestRule = (m) =>
  m.scope === 'domain' && m.parent_manifest === undefined
    ? [
        {
          segments: ['parent_manifest'],
          message: 'is required when scope is "domain": name the enterprise manifest this domain inherits from',
        },
      ]
    : [];

const onlyFor =
  (key: 'approved_plugins' | 'approved_sinks' | 'approved_products', scope: 'enterprise' | 'domain'): ManifestRule =>
  (m) =>
    m[key] !== undefined && m.scope !== scope
      ? [{ segments: [key], message: `is only allowed when scope is "${scope}" (scope is ${scopeName(m)})` }]
      : [];

/** `approved_plugins` only for `scope: enterprise`. */
export const approvedPluginsOnlyEnterprise = onlyFor('approved_plugins', 'enterprise');
/** `approved_sinks` only for `scope: enterprise` (FR-017). */
export const approvedSinksOnlyEnterprise = onlyFor('approved_sinks', 'enterprise');
/** `approved_products` only for `scope: domain`. */
export const approvedProductsOnlyDomain = onlyFor('approved_products', 'domain');

/** The cross-field rules of manifest.yaml, in reporting order. */
export const MANIFEST_RULES: readonly ManifestRule[] = [
  parentOnlyForDomain,
  domainNeedsParent,
  approvedPluginsOnlyEnterprise,
  approvedSinksOnlyEnterprise,
  approvedProductsOnlyDomain,
];
