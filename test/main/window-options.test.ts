import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { isAppUrl } from '../../src/main/window-options';

/** The webPreferences literal of `new BrowserWindow({...})` in the Electron shell, property by property, as written. */
function webPreferencesInShell(): Record<string, string> {
  const source = ts.createSourceFile('index.ts', readFileSync('src/main/index.ts', 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Record<string, string>[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && node.expression.getText() === 'BrowserWindow') {
      const options = node.arguments?.[0];
      if (options && ts.isObjectLiteralExpression(options)) {
        for (const prop of options.properties) {
          if (ts.isPropertyAssignment(prop) && prop.name.getText() === 'webPreferences' && ts.isObjectLiteralExpression(prop.initializer)) {
            const out: Record<string, string> = {};
            for (const p of prop.initializer.properties) {
              if (!ts.isPropertyAssignment(p)) throw new Error(`webPreferences has a non-literal entry: ${p.getText()}`);
              out[p.name.getText()] = p.initializer.getText();
            }
            found.push(out);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (found.length !== 1) throw new Error(`expected one BrowserWindow with literal webPreferences, found ${found.length}`);
  return found[0]!;
}

describe('the desktop window', () => {
  it('is locked down exactly as the security checklist says', () => {
    expect(webPreferencesInShell()).toStrictEqual({
      preload: "join(__dirname, '../preload/index.cjs')",
      contextIsolation: 'true',
      sandbox: 'true',
      nodeIntegration: 'false',
      nodeIntegrationInWorker: 'false',
      nodeIntegrationInSubFrames: 'false',
      webSecurity: 'true',
      allowRunningInsecureContent: 'false',
      experimentalFeatures: 'false',
      webviewTag: 'false',
      spellcheck: 'false',
      disableBlinkFeatures: "'Auxclick'",
    });
  });

  it('denies every new window and hands nothing to the system browser', () => {
    const shell = readFileSync('src/main/index.ts', 'utf8');
    expect(shell).toContain("setWindowOpenHandler(() => ({ action: 'deny' }))");
    expect(shell).not.toMatch(/openExternal/);
    expect(shell).toMatch(/setPermissionRequestHandler\(\(_wc, _permission, callback\) => callback\(false\)\)/);
  });

  it('recognises its own page by parsed URL, never by prefix', () => {
    const index = 'file:///opt/hookbench/out/renderer/index.html';
    expect(isAppUrl(index, index)).toBe(true);
    expect(isAppUrl(`${index}#x`, index)).toBe(true);
    expect(isAppUrl(`${index}.evil.html`, index)).toBe(false);
    expect(isAppUrl('https://example.com/opt/hookbench/out/renderer/index.html', index)).toBe(false);
    expect(isAppUrl(undefined, index)).toBe(false);
    expect(isAppUrl('not a url', index)).toBe(false);
  });
});
