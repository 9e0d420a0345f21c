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

export function createVerifier(deliveries: DeliveriesRepo, keys: KeyLoader): JudgeRequest {
  return (request, config, now, beforeId) =>
    judge(request, {
      config,
      now,
      loadKeys: (source) => keys.load(source),
      seenBefore: (key) => {
        const id = deliveries.firstWithReplayKey(request.endpointId, key, beforeId);
        return id === null ? null : { deliveryId: id };
      },
    });
}
