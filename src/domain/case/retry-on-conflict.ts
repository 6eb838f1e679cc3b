import { ConcurrentModificationError } from '../shared/domain-error';

const DEFAULT_ATTEMPTS = 20;

/**
 * Runs `attempt` (load a case, change it, save it) again on fresh state when someone else
 * changed the case meanwhile. Case commands are re-applicable, so repeating them is safe.
 * Short random pauses keep many concurrent writers to one case from colliding in lockstep.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = DEFAULT_ATTEMPTS): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof ConcurrentModificationError) || n >= attempts) throw e;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(n, 10)));
    }
  }
}
