import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCommands } from '../../src/commands/registry.js';
import { parseCommandLine, type CommandDefinition } from '../fakes/sandbox/command-line.js';
import { splitPairs } from '../fakes/sandbox/quoted.js';

/** The `hostlink>` prompt checks typed commands against the loader's definitions, as Discord's client does. */
describe('hostlink> command lines', () => {
  let definitions: Map<string, CommandDefinition>;
  before(async () => {
    const { commands } = loadCommands();
    definitions = new Map([...commands].map(([name, m]) => [name, m.data]));
  });
  const people = new Map([['alex', '100000000000000003']]);
  const parse = (line: string, mode?: 'run' | 'complete') =>
    parseCommandLine(line, definitions, mode, (name) => people.get(name));
  const refusal = (line: string, mode?: 'run' | 'complete'): string => {
    const result = parse(line, mode);
    assert.ok('error' in result, `"${line}" must be refused, got ${JSON.stringify(result)}`);
    return result.error;
  };

  test('a valid line becomes the options Discord sends, typed', () => {
    const result = parse('/coins add id:100000000000000001 amount:250');
    assert.ok('command' in result);
    assert.deepEqual(result.command, {
      name: 'coins',
      group: undefined,
      subcommand: 'add',
      path: 'coins add',
      options: [
        { name: 'id', type: 3, value: '100000000000000001' },
        { name: 'amount', type: 4, value: 250 },
      ],
    });
  });

  test('integers are whole numbers: 1e9, abc and 1.5 are refused, not turned into 1 or null', () => {
    assert.match(refusal('/coins add id:1 amount:1e9'), /^amount: "1e9" is not a whole number$/);
    assert.match(refusal('/coins add id:1 amount:abc'), /^amount: "abc" is not a whole number$/);
    assert.match(refusal('/coins add id:1 amount:1.5'), /"1.5" is not a whole number/);
    assert.match(refusal('/coins add id:1 amount:0'), /^amount: must be at least 1$/);
  });

  test('a missing required option, an unknown option, a repeat and a missing subcommand are refused', () => {
    assert.match(refusal('/coins add id:100000000000000001'), /^\/coins add needs amount:… \(required\)$/);
    assert.match(refusal('/coins add id:1 amount:5 colour:red'), /has no option "colour"/);
    assert.match(refusal('/coins add id:1 amount:5 amount:6'), /amount is given twice/);
    assert.match(refusal('/coins id:1'), /^\/coins needs one of: add, set, grant, balance$/);
    assert.match(refusal('/nosuch'), /^Unknown command \/nosuch\./);
  });

  test('booleans, choices, users and text with spaces', () => {
    assert.match(refusal('/server list public:yes'), /has no option|not true or false/);
    assert.match(
      refusal('/server power server:101 signal:explode'),
      /"explode" is not one of: start, stop, restart, kill/,
    );
    assert.match(
      refusal('/coins balance user:bob'),
      /"bob" is not a Discord id or mention, nor a person's name/,
    );
    const named = parse('/coins balance user:@alex');
    assert.ok('command' in named);
    assert.deepEqual(named.command.options, [{ name: 'user', type: 6, value: '100000000000000003' }]);
    const result = parse('/console send server:101 command:say hello world');
    assert.ok('command' in result);
    assert.deepEqual(result.command.options.at(-1), { name: 'command', type: 3, value: 'say hello world' });
    const mention = parse('/coins balance user:<@100000000000000003>');
    assert.ok('command' in mention);
    assert.equal(mention.command.options[0]!.value, '100000000000000003');
    const stream = parse('/console stream server:101 public:true');
    assert.ok('command' in stream);
    assert.deepEqual(stream.command.options[1], { name: 'public', type: 5, value: true });
  });

  test(':complete names the option being typed; it must autocomplete', () => {
    const result = parse('/server status server:Sur', 'complete');
    assert.ok('command' in result);
    assert.equal(result.command.focused, 'server');
    assert.deepEqual(result.command.options, [{ name: 'server', type: 3, value: 'Sur' }]);
    assert.match(refusal('/coins add amount:5', 'complete'), /has no option that autocompletes/);
  });
});

describe('name=value pairs', () => {
  test('quoted values keep spaces, separators and new lines; unquoted ones run to the next field', () => {
    assert.deepEqual(splitPairs('command="say hello world"', '=', ['command']), {
      pairs: [{ name: 'command', value: 'say hello world' }],
    });
    assert.deepEqual(splitPairs('content="line 1\\nline \\"2\\"" path=a b=c', '=', ['content', 'path']), {
      pairs: [
        { name: 'content', value: 'line 1\nline "2"' },
        { name: 'path', value: 'a b=c' },
      ],
    });
    assert.deepEqual(splitPairs('key="unterminated', '=', ['key']), {
      error: 'key: missing closing quote (")',
    });
  });
});
