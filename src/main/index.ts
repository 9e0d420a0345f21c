/**
 * The Electron shell: one locked-down window, IPC wired to the engine. Thin on
 * purpose: everything that does work lives in ./engine and runs without Electron.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, Notification, safeStorage, session } from 'electron';
import { IPC_EVENT, IPC_INVOKE, API_EVENTS, isApiMethod, type RpcReply } from '../shared/api';
import { createEngine, type Engine } from './engine';
import { defaultDataDir } from './engine/data-dir';
import { toErrorPayload } from './engine/errors';
import { isAppUrl } from './window-options';

const rendererIndex = join(__dirname, '../renderer/index.html');
const appIndexUrl = pathToFileURL(rendererIndex).href;
let engine: Engine | undefined;
let window: BrowserWindow | undefined;

function createWindow() {
  window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Hookbench',
    show: false,
    // Written out here, not built elsewhere, so that static checkers (electronegativity) see
    // them; test/main/window-options.test.ts reads this literal and asserts it exactly.
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
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
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window?.show());
  // No window opens, and nothing is handed to the system browser: the UI has no external links.
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appIndexUrl)) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void window.loadFile(rendererIndex);
}

async function main() {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  engine = await createEngine({
    dataDir: process.env.HOOKBENCH_DATA_DIR ?? defaultDataDir(),
    ensureDefaultEndpoint: true,
    mode: 'desktop',
    nativeBinding: process.env.HOOKBENCH_SQLITE_BINDING,
    // The OS keychain seals new private keys and secrets where the platform offers one;
    // values sealed by the key file (CLI, headless) still open here.
    sealer: safeStorage.isEncryptionAvailable()
      ? {
          kind: 'os',
          seal: (plain) => safeStorage.encryptString(plain.toString('base64')),
          open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
        }
      : undefined,
  });
  const running = engine;

  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, params: unknown): Promise<RpcReply<unknown>> => {
    if (!isAppUrl(event.senderFrame?.url, appIndexUrl)) {
      return { ok: false, error: { code: 'unauthorized', message: 'IPC from an unknown frame' } };
    }
    if (!isApiMethod(method)) return { ok: false, error: { code: 'unknown_method', message: String(method) } };
    try {
      return { ok: true, result: await running.call(method, params as never) };
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) };
    }
  });
  for (const name of API_EVENTS) {
    running.on(name, (payload) => window?.webContents.send(IPC_EVENT, name, payload));
  }
  // A desktop notification when a delivery arrives while the window is in the background, at most one every 5 s.
  let lastNotice = 0;
  running.on('delivery.created', (d) => {
    if (!Notification.isSupported() || window?.isFocused() || Date.now() - lastNotice < 5000) return;
    lastNotice = Date.now();
    const verdict = d.verdictOutcome === 'not-authentic' ? ' (not authentic)' : d.verdictOutcome === 'authentic' ? ' (authentic)' : '';
    new Notification({ title: 'Hookbench', body: `${d.method} ${d.path}${verdict}` }).show();
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      {
        label: 'View',
        submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
      },
      { role: 'windowMenu' },
    ]),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', (event) => {
  if (!engine) return;
  event.preventDefault();
  const closing = engine;
  engine = undefined;
  void closing.close().finally(() => app.quit());
});

main().catch((error: unknown) => {
  console.error(`Hookbench could not start: ${(error as Error).message}`);
  app.exit(1);
});
