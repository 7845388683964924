/** Text around the comma-separated rows of a body: `[`…`]` by default. */
export interface JsonBodyFraming {
  readonly open?: string;
  readonly close?: string;
}
