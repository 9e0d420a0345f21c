/**
 * The only thing the window gets: one `invoke` and one `on`, derived from the
 * contract. No Node, no ipcRenderer, no arbitrary channels.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_EVENTS, BRIDGE_GLOBAL, IPC_EVENT, IPC_INVOKE, isApiMethod, type ApiEvent } from '../shared/api';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, {
  invoke(method: unknown, params: unknown) {
    if (!isApiMethod(method)) return Promise.reject(new Error(`unknown method ${String(method)}`));
    return ipcRenderer.invoke(IPC_INVOKE, method, params);
  },
  on(event: ApiEvent, listener: (payload: unknown) => void) {
    if (!API_EVENTS.includes(event)) throw new Error(`unknown event ${String(event)}`);
    const handler = (_e: IpcRendererEvent, name: ApiEvent, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
});
