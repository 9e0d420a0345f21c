import { describe, expect, it } from 'vitest';
import { isAppUrl, isSafeExternalUrl, windowWebPreferences } from '../../src/main/window-options';

describe('the desktop window', () => {
  it('is locked down exactly as the security checklist says', () => {
    expect(windowWebPreferences('/app/preload/index.cjs')).toStrictEqual({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    });
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

  it('opens only web links externally', () => {
    expect(isSafeExternalUrl('https://github.com')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('smb://host/share')).toBe(false);
  });
});
