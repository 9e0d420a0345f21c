import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder the desktop app and the CLI share by default, so that
 * `hookbench deliveries` lists what the desktop app captured.
 * HOOKBENCH_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.HOOKBENCH_DATA_DIR) return env.HOOKBENCH_DATA_DIR;
  const home = homedir();
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Hookbench');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Hookbench');
    default:
      return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'hookbench');
  }
}
