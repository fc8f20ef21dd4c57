import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AnsiReducer,
  applySgr,
  colour256ToBasic,
  DEFAULT_SGR,
  hasMention,
  nearestColour,
  SGR_MAX_PARAMS,
  neutraliseMentions,
  stripAnsi,
  transition,
  type SgrState,
} from '../../src/console/ansi.js';

const E = '\u001b';
const reduce = (line: string, reducer = new AnsiReducer()) => reducer.reduce(line);

describe('console ANSI reduction', () => {
  test('plain text passes through untouched', () => {
    assert.deepEqual(reduce('[12:00:01 INFO]: Done (3.2s)!'), {
      display: '[12:00:01 INFO]: Done (3.2s)!',
      plain: '[12:00:01 INFO]: Done (3.2s)!',
    });
  });

  test('the supported SGR codes survive: reset, bold, underline, 30–37, 40–47', () => {
    const { display, plain } = reduce(`${E}[1;31mERR${E}[0m ok ${E}[4;42mbg${E}[0m`);
    assert.equal(display, `${E}[1;31mERR${E}[0m ok ${E}[4;42mbg${E}[0m`);
    assert.equal(plain, 'ERR ok bg');
  });

  test('bright colours map to the 8 basic ones', () => {
    assert.equal(reduce(`${E}[91mred${E}[0m`).display, `${E}[31mred${E}[0m`);
    assert.equal(reduce(`${E}[104mblue${E}[0m`).display, `${E}[44mblue${E}[0m`);
  });

  test('256-colour and truecolour map to the nearest basic colour', () => {
    assert.equal(reduce(`${E}[38;5;196mred${E}[0m`).display, `${E}[31mred${E}[0m`);
    assert.equal(reduce(`${E}[38;5;46mgreen${E}[0m`).display, `${E}[32mgreen${E}[0m`);
    assert.equal(reduce(`${E}[38;2;255;165;0morange${E}[0m`).display, `${E}[33morange${E}[0m`);
    assert.equal(reduce(`${E}[48;2;0;0;200mbg${E}[0m`).display, `${E}[44mbg${E}[0m`);
    assert.equal(reduce(`${E}[38:2::10:10:250mcolon${E}[0m`).display, `${E}[34mcolon${E}[0m`);
    assert.equal(colour256ToBasic(9), 1, 'bright red → red');
    assert.equal(colour256ToBasic(232), 0, 'dark grey → black');
    assert.equal(colour256ToBasic(255), 7, 'light grey → white');
    assert.equal(colour256ToBasic(300), null);
    assert.equal(nearestColour(128, 0, 128), 5, 'purple → magenta');
  });

  test('cursor movement, erase, OSC titles and links, DCS and charset switches are stripped', () => {
    const line = `${E}[2K${E}[1G${E}]0;title${E}\\> ${E}]8;;https://x.test${E}\\link${E}]8;;${E}\\ ${E}(Bdone${E}P1$r${E}\\${E}[?25h`;
    assert.deepEqual(reduce(line), { display: '> link done', plain: '> link done' });
    assert.equal(reduce(`a${E}]0;unterminated title`).plain, 'a');
    assert.equal(reduce(`half${E}[3`).plain, 'half');
  });

  test('control characters other than tab are stripped; carriage returns keep what a terminal shows', () => {
    assert.equal(reduce('a\u0007b\u0000c\u007fd\u0085e\tf').plain, 'abcde\tf');
    assert.equal(reduce('progress 10%\rprogress 99%').plain, 'progress 99%');
    assert.equal(reduce('line\r').plain, 'line');
    assert.equal(stripAnsi(`${E}[31mred${E}[0m\u0008`), 'red');
  });

  test('codes Discord does not render (italic, blink, 22/24/39/49) become resets that keep the rest', () => {
    assert.equal(reduce(`${E}[3;5;7mx`).display, 'x', 'italic, blink, inverse dropped');
    assert.equal(reduce(`${E}[1;31mA${E}[22mB${E}[0m`).display, `${E}[1;31mA${E}[0;31mB${E}[0m`);
    assert.equal(reduce(`${E}[4;32mA${E}[39mB${E}[0m`).display, `${E}[4;32mA${E}[0;4mB${E}[0m`);
  });

  test('styles carry to the next line, and every reduced line stands alone', () => {
    const reducer = new AnsiReducer();
    assert.equal(reducer.reduce(`${E}[33mwarn start`).display, `${E}[33mwarn start${E}[0m`);
    assert.equal(reducer.reduce('still yellow').display, `${E}[33mstill yellow${E}[0m`);
    assert.equal(reducer.reduce(`${E}[0mnormal`).display, 'normal');
    assert.deepEqual(reducer.state, DEFAULT_SGR);
  });

  test('redundant codes collapse into one sequence before text', () => {
    assert.equal(reduce(`${E}[31m${E}[1m${E}[31mx${E}[0m${E}[0m`).display, `${E}[1;31mx${E}[0m`);
  });

  test('transition emits the shortest sequence', () => {
    const red: SgrState = { ...DEFAULT_SGR, fg: 31 };
    const boldRed: SgrState = { ...red, bold: true };
    assert.equal(transition(DEFAULT_SGR, DEFAULT_SGR), '');
    assert.equal(transition(red, boldRed), `${E}[1m`);
    assert.equal(transition(boldRed, red), `${E}[0;31m`);
    const state: SgrState = { ...DEFAULT_SGR };
    applySgr('38;5;21;48;5;226', state);
    assert.deepEqual(state, { bold: false, underline: false, fg: 34, bg: 43 });
  });

  test('backtick runs cannot form a fence', () => {
    const { display } = reduce('```js not a fence``` and `single` ````');
    assert.ok(!display.includes('``'), display);
    assert.equal(display.replace(/\u200b/g, ''), '```js not a fence``` and `single` ````');
    // A colour code between backticks cannot join them either.
    assert.ok(!reduce(`\`${E}[31m\`${E}[0m\``).display.includes('``'));
  });

  test('mentions are broken with a zero-width space', () => {
    const { display, plain } = reduce('@everyone @here <@123456789012345678> <@!1234567890> <@&42> <#99>');
    assert.equal(hasMention(display), false, display);
    assert.equal(display.replace(/\u200b/g, ''), plain);
    assert.equal(neutraliseMentions('mail me@here.com'), 'mail me@\u200bhere.com');
    assert.equal(neutraliseMentions('a <@ b'), 'a <@ b', 'not followed by an id');
  });
  test('issue8 item 1: an SGR sequence applies its first 32 parameters only, as terminals do', () => {
    assert.equal(SGR_MAX_PARAMS, 32);
    // 31 harmless parameters, then red as the 32nd: applied.
    assert.equal(reduce(`${E}[${'1;'.repeat(31)}31mred`).display, `${E}[1;31mred${E}[0m`);
    // Red as the 33rd: ignored, like everything after it (the hostile flood is thousands of 48;5;…).
    assert.equal(reduce(`${E}[${'1;'.repeat(32)}31mstill default`).display, `${E}[1mstill default${E}[0m`);
    const flood = `${E}[${'48;5;'.repeat(1600)}mtext`;
    assert.equal(reduce(flood).plain, 'text');
    // An extended colour cut by the cap reads its missing values as absent, not as the next sequence's.
    const state: SgrState = { ...DEFAULT_SGR };
    applySgr(`${'1;'.repeat(30)}38;5`, state);
    assert.deepEqual(state, { bold: true, underline: false, fg: null, bg: null });
  });
});
