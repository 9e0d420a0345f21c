/**
 * Judging with duplicates looked up in the store: shared by the engine (at
 * capture and on "verify with...") and by the CLI's `verify`.
 */
import type { VerificationConfig, Verdict } from '../../shared/verdict';
import type { KeyLoader } from './schemes/jwks';
import { judge } from './schemes/registry';
import type { VerifyInput } from './schemes/types';
import type { DeliveriesRepo } from './store/deliveries-repo';

export type JudgeRequest = (
  request: VerifyInput & { endpointId: string | null },
  config: VerificationConfig,
  /** Judging time, ms. */
  now: number,
  /** Only deliveries older than this id count as "seen before". */
  beforeId?: number,
) => Promise<Verdict>;

/**
 * `arriving` answers for deliveries judged but not yet committed (the writer's
 * thread holds them for a moment): a duplicate sent at the same instant counts.
 */
export function createVerifier(
  deliveries: DeliveriesRepo,
  keys: KeyLoader,
  arriving: (endpointId: string | null, key: string) => boolean = () => false,
): JudgeRequest {
  return (request, config, now, beforeId) =>
    judge(request, {
      config,
      now,
      loadKeys: (source) => keys.load(source),
      seenBefore: (key) => {
        const id = deliveries.firstWithReplayKey(request.endpointId, key, beforeId);
        if (id !== null) return { deliveryId: id };
        return beforeId === undefined && arriving(request.endpointId, key) ? { deliveryId: null } : null;
      },
    });
}
