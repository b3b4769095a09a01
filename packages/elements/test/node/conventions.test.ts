import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

// The element conventions that source text can show: each component folder has its class and its styles, its
// TSDoc names every part its templates draw and only custom properties the theme defines, colours come from
// tokens, and every event an element fires is a typed class declared in GlobalEventHandlersEventMap.
const SRC = new URL('../../src/', import.meta.url).pathname;
const COMPONENTS = join(SRC, 'components');
const read = (path: string) => readFileSync(path, 'utf8');
const folders = readdirSync(COMPONENTS);
const sources = (folder: string) => readdirSync(join(COMPONENTS, folder)).filter((f) => f.endsWith('.ts')).map((f) => read(join(COMPONENTS, folder, f)));

describe('element conventions', () => {
  test('every component folder has <name>.component.ts and <name>.styles.ts', () => {
    assert.ok(folders.length >= 5);
    for (const folder of folders) {
      const files = readdirSync(join(COMPONENTS, folder));
      assert.ok(files.includes(`${folder}.component.ts`), `${folder}.component.ts`);
      assert.ok(files.includes(`${folder}.styles.ts`), `${folder}.styles.ts`);
    }
  });

  test('every part drawn is documented with @csspart, and every @cssproperty is a token of the theme', () => {
    const theme = read(join(SRC, 'internal/theme.ts'));
    for (const folder of folders) {
      const doc = read(join(COMPONENTS, folder, `${folder}.component.ts`));
      const documented = new Set([...doc.matchAll(/@csspart ([\w-]+)/g)].map((m) => m[1]));
      const drawn = new Set(sources(folder).flatMap((text) => [...text.matchAll(/\bpart="([\w-]+)"/g)].map((m) => m[1])));
      assert.ok(drawn.size > 0, `${folder} draws parts`);
      assert.deepEqual([...drawn].filter((p) => !documented.has(p)), [], `${folder}: parts without @csspart`);
      const properties = [...doc.matchAll(/@cssproperty (--[\w-]+)/g)].map((m) => m[1]!);
      assert.ok(properties.length > 0, `${folder} documents its custom properties`);
      for (const property of properties) assert.ok(property.startsWith('--sicert-') && theme.includes(`var(${property},`), `${folder}: ${property} is a theme token`);
    }
  });

  test('no raw colour outside the theme', () => {
    for (const folder of folders) {
      for (const text of sources(folder)) assert.equal(/#[0-9a-f]{3,8}\b|rgba?\(/i.exec(text)?.[0], undefined, `${folder} uses a raw colour`);
    }
  });

  test('every event is dispatched as a typed class declared in GlobalEventHandlersEventMap', () => {
    const events = read(join(SRC, 'events.ts'));
    for (const folder of folders) {
      for (const text of sources(folder)) {
        assert.equal(/new CustomEvent\(\s*'sicert-/.exec(text)?.[0], undefined, `${folder} fires an ad-hoc CustomEvent`);
        for (const [, name] of text.matchAll(/new (Sicert\w+Event)\(/g)) {
          assert.match(events, new RegExp(`export class ${name!} extends`), `${name!} is defined in events.ts`);
          assert.match(events, new RegExp(`'sicert-[\\w-]+': ${name!};`), `${name!} is declared in GlobalEventHandlersEventMap`);
        }
      }
    }
  });
});
