import { describe, expect, it } from '@jest/globals';
import { Terminal } from '../../src/output/terminal.js';
import { Redactor } from '../../src/secrets/redactor.js';

const tty = () => {
  const written: string[] = [];
  return { written, stream: { write: (text: string) => void written.push(text), isTTY: true, columns: 80 } };
};

describe('Terminal', () => {
  it('colours on a terminal, not under NO_COLOR, not off a terminal', () => {
    const out = tty();
    expect(new Terminal(out.stream, out.stream, new Redactor(), {}, { TERM: 'xterm' }).colors.green('ok')).toContain(
      '\x1b[',
    );
    expect(
      new Terminal(out.stream, out.stream, new Redactor(), {}, { TERM: 'xterm', NO_COLOR: '1' }).colors.green('ok'),
    ).toBe('ok');
    const pipe = { write: () => undefined };
    expect(new Terminal(pipe, pipe, new Redactor(), {}, { TERM: 'xterm' }).colors.green('ok')).toBe('ok');
  });

  it('writes ASCII for ✔ ✘ ▲ █ when the locale is not UTF-8', () => {
    const out = tty();
    const terminal = new Terminal(out.stream, out.stream, new Redactor(), {}, { LANG: 'en_US.ISO-8859-1' });
    terminal.out('✔ a ✘ b ▲ c [██░░]');
    expect(out.written).toEqual(['+ a x b ! c [##..]\n']);
  });
});
