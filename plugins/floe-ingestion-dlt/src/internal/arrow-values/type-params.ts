import type { Type } from 'apache-arrow';

/** The parameters of an Arrow type the encoders read, each present only on the types that have it. */
export interface TypeParams {
  readonly typeId: Type;
  readonly unit?: number;
  readonly timezone?: string | null;
  readonly bitWidth?: number;
  readonly scale?: number;
  readonly precision?: number;
}
