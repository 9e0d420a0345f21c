import { createEngine, type Engine } from '../engine';
import { startControlServer, type ControlServer } from './control-server';

export interface HeadlessOptions {
  dataDir: string;
  rendererDir: string;
  receiverPort?: number;
  receiverHost?: string;
  uiPort?: number;
  bodyLimitBytes?: number;
  token?: string;
  tunnelHost?: string;
}

/** The engine and the control server together: what `serve` and the desktop fallback run. */
export async function startHeadless(options: HeadlessOptions): Promise<{ engine: Engine; control: ControlServer }> {
  const engine = await createEngine({
    dataDir: options.dataDir,
    receiverPort: options.receiverPort,
    receiverHost: options.receiverHost,
    bodyLimitBytes: options.bodyLimitBytes,
    ensureDefaultEndpoint: true,
    mode: 'headless',
    tunnelHost: options.tunnelHost,
    // FULL unless told otherwise: an acknowledged delivery survives a power cut, not only a crash.
    synchronous: process.env.HOOKBENCH_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL',
  });
  try {
    const control = await startControlServer({
      engine,
      rendererDir: options.rendererDir,
      port: options.uiPort,
      token: options.token,
    });
    return { engine, control };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
