import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMAND_FILES } from '../../commands/_all.js';
import { registryOf } from '../../src/commands/loader.js';

const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

/** The command modules in commands/: `x.ts`, or a folder `x/` with an `index.ts`; names starting with `_` are not commands. */
function commandFilesOnDisk(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(COMMANDS_DIR).sort()) {
    if (entry.startsWith('_')) continue;
    if (entry.endsWith('.ts')) files.push(entry);
    else if (
      statSync(join(COMMANDS_DIR, entry)).isDirectory() &&
      readdirSync(join(COMMANDS_DIR, entry)).includes('index.ts')
    )
      files.push(`${entry}/index.ts`);
  }
  return files;
}

test('commands/_all.ts lists every command module in commands/, each once', () => {
  const listed = COMMAND_FILES.map((entry) => entry.file);
  assert.deepEqual([...listed].sort(), commandFilesOnDisk());
  assert.equal(new Set(listed).size, listed.length);
});

test('each listed file is the module imported under its name (its /name is the file name)', () => {
  for (const { file, module } of COMMAND_FILES) {
    const name = (module as { data: { name: string } }).data.name;
    assert.equal(name, file.replace(/(\/index)?\.ts$/, ''), `commands/${file}`);
  }
});

test('the loader names a listed file that is not a command module', () => {
  assert.throws(
    () => registryOf([{ file: 'broken.ts', module: { nothing: true } }]),
    /commands\/broken\.ts must default-export a command module/,
  );
});
