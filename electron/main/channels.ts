/** IPC channel names shared by the main process (ipc.ts) and the preload; nothing else travels over IPC. */
export const RPC_CHANNEL = 'rpc'
export const EVENT_CHANNEL = 'rpc:event'
